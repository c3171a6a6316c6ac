/*
 * The streaming CSV reader: every edge case of the import issue, table-driven. Each case is
 * read to the end and rendered as one line per record, "LINE+COUNT[field][field]", or
 * "LINE+COUNT!message" for a rejected record, so a table row shows the whole outcome.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/crypto.h"
#include "util/csv.h"
#include "util/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BYTES(s) s, sizeof(s) - 1

/* Reads every record and renders the outcome into `out`. */
static void render_all(struct csv_reader *r, struct buf *out)
{
    size_t guard;

    for (guard = 0; guard < 1000000; guard++) {
        struct csv_record rec;
        struct pr_error err;
        bool has = true;
        enum pr_code rc = csv_reader_next(r, &rec, &has, &err);
        size_t i;

        if (rc != PR_OK) {
            assert_int_equal(rc, PR_INVALID);
            assert_false(has);
            assert_int_equal(buf_printf(out, "%llu+%llu!%s\n", (unsigned long long)rec.line,
                                        (unsigned long long)rec.line_count, err.message),
                             PR_OK);
            continue;
        }
        if (!has)
            return;
        assert_int_equal(buf_printf(out, "%llu+%llu", (unsigned long long)rec.line,
                                    (unsigned long long)rec.line_count),
                         PR_OK);
        for (i = 0; i < rec.n_fields; i++) {
            assert_int_equal(buf_putc(out, '['), PR_OK);
            assert_int_equal(buf_append(out, rec.fields[i].ptr, rec.fields[i].len), PR_OK);
            assert_int_equal(buf_putc(out, ']'), PR_OK);
        }
        assert_int_equal(buf_putc(out, '\n'), PR_OK);
    }
    fail_msg("the reader never reached the end");
}

static void test_records(void **state)
{
    static const struct {
        const char *name;
        const char *input;
        size_t len;
        struct csv_options opts;
        char delimiter;
        const char *encoding;
        const char *expected;
    } cases[] = {
        {"empty file", BYTES(""), {0}, ',', "UTF-8", ""},
        {"header only",
         BYTES("name,email,phone\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[name][email][phone]\n"},
        {"header only, no final newline",
         BYTES("name,email"),
         {0},
         ',',
         "UTF-8",
         "1+1[name][email]\n"},
        {"only blank lines", BYTES("\n\r\n  \n"), {0}, ',', "UTF-8", ""},
        {"UTF-8 BOM stripped",
         BYTES("\xEF\xBB\xBFname,city\nJos\xC3\xA9,K\xC3\xB6ln\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[name][city]\n2+1[Jos\xC3\xA9][K\xC3\xB6ln]\n"},
        {"CRLF",
         BYTES("a,b\r\n1,2\r\n3,4"),
         {0},
         ',',
         "UTF-8",
         "1+1[a][b]\n2+1[1][2]\n3+1[3][4]\n"},
        {"CR only", BYTES("a,b\r1,2\r"), {0}, ',', "UTF-8", "1+1[a][b]\n2+1[1][2]\n"},
        {"mixed line ends",
         BYTES("a\rb\nc\r\nd\r\re\n\nf\n\rg"),
         {0},
         ',',
         "UTF-8",
         "1+1[a]\n2+1[b]\n3+1[c]\n4+1[d]\n6+1[e]\n8+1[f]\n10+1[g]\n"},
        {"quoted newlines, line numbers after them",
         BYTES("a,b\n\"x\ny\nz\",2\n3,\"4\"\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[a][b]\n2+3[x\ny\nz][2]\n5+1[3][4]\n"},
        {"quoted CRLF kept as data",
         BYTES("\"x\r\ny\",2\r\n3,4\r\n"),
         {0},
         ',',
         "UTF-8",
         "1+2[x\r\ny][2]\n3+1[3][4]\n"},
        {"escaped quotes",
         BYTES("\"he said \"\"hi\"\"\",\"\"\"\",\"\"\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[he said \"hi\"][\"][]\n"},
        {"quoted delimiter",
         BYTES("\"Acme, Inc.\",x\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[Acme, Inc.][x]\n"},
        {"ragged rows",
         BYTES("a,b,c\n1\n1,2,3,4\n,\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[a][b][c]\n2+1[1]\n3+1[1][2][3][4]\n4+1[][]\n"},
        {"blank lines skipped",
         BYTES("\n\na,b\n\n   \r\n1,2\n\n"),
         {0},
         ',',
         "UTF-8",
         "3+1[a][b]\n6+1[1][2]\n"},
        {"stray quote in an unquoted field is data",
         BYTES("5'10\",x\nO\"Brien,y\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[5'10\"][x]\n2+1[O\"Brien][y]\n"},
        {"spaces trimmed outside quotes, kept inside, tabs kept",
         BYTES(" a , \" b \" ,\tc\t,d e\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[a][ b ][\tc\t][d e]\n"},
        {"text after a closing quote stays in the field",
         BYTES("\"ab\"c,d\"\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[ab\"c,d]\n"},
        {"unclosed quote at the end",
         BYTES("a,b\n1,\"open\n2,3\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[a][b]\n2+2!line 2: unclosed quote\n"},
        {"unclosed quote, no final newline",
         BYTES("a,b\n\"x"),
         {0},
         ',',
         "UTF-8",
         "1+1[a][b]\n2+1!line 2: unclosed quote\n"},
        {"windows-1252 field converted",
         BYTES("name\nCaf\xE9 \x80\x39\n"),
         {0},
         ',',
         "windows-1252",
         "1+1[name]\n2+1[Caf\xC3\xA9 \xE2\x82\xAC\x39]\n"},
        {"mostly UTF-8 with a Latin-1 row",
         BYTES("Jos\xC3\xA9,a\nM\xFCller,b\n\xC3\xBC,c\n"),
         {0},
         ',',
         "UTF-8+windows-1252",
         "1+1[Jos\xC3\xA9][a]\n2+1[M\xC3\xBCller][b]\n3+1[\xC3\xBC][c]\n"},
        {"UTF-16LE with BOM",
         BYTES("\xFF\xFE"
               "a\0;\0\xE9\0\r\0\n\0\x3D\xD8\x00\xDE;\0b\0"),
         {0},
         ';',
         "UTF-16LE",
         "1+1[a][\xC3\xA9]\n2+1[\xF0\x9F\x98\x80][b]\n"},
        {"UTF-16BE with BOM",
         BYTES("\xFE\xFF\0a\0,\0\"\0,\0\"\0\n\0b"),
         {0},
         ',',
         "UTF-16BE",
         "1+1[a][,]\n2+1[b]\n"},
        {"UTF-32LE with BOM",
         BYTES("\xFF\xFE\0\0x\0\0\0|\0\0\0y\0\0\0"),
         {0},
         '|',
         "UTF-32LE",
         "1+1[x][y]\n"},
        {"semicolon sniffed",
         BYTES("name;price\nfoo;1,50\nbar;2,75\n"),
         {0},
         ';',
         "UTF-8",
         "1+1[name][price]\n2+1[foo][1,50]\n3+1[bar][2,75]\n"},
        {"tab sniffed, empty fields kept",
         BYTES("a\tb\tc\n1\t\t3\n"),
         {0},
         '\t',
         "UTF-8",
         "1+1[a][b][c]\n2+1[1][][3]\n"},
        {"pipe sniffed",
         BYTES("a|b,c|d\n1|2,3|4\n"),
         {0},
         '|',
         "UTF-8",
         "1+1[a][b,c][d]\n2+1[1][2,3][4]\n"},
        {"comma sniffed despite quoted semicolons",
         BYTES("\"a;b;c\",d\n\"e;f\",g\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[a;b;c][d]\n2+1[e;f][g]\n"},
        {"single column: comma",
         BYTES("email\na@b.c\n"),
         {0},
         ',',
         "UTF-8",
         "1+1[email]\n2+1[a@b.c]\n"},
        {"tie: comma", BYTES("a,b;c\n"), {0}, ',', "UTF-8", "1+1[a][b;c]\n"},
        {"delimiter given", BYTES("a,b;c\n"), {.delimiter = ';'}, ';', "UTF-8", "1+1[a,b][c]\n"},
        {"too many fields: that record only",
         BYTES("a,b\n1,2,3,4\n5,6\n"),
         {.max_fields = 3},
         ',',
         "UTF-8",
         "1+1[a][b]\n2+1!line 2: more than 3 fields\n3+1[5][6]\n"},
        {"field at the limit accepted",
         BYTES("abcd,\"abcd\",\"ab\"\"\"\n"),
         {.max_field_len = 4},
         ',',
         "UTF-8",
         "1+1[abcd][abcd][ab\"]\n"},
        {"field too long: that record only",
         BYTES("ab,cd\nabcdefgh,x\n\"abcdefghijkl\nmnop\",y\nz,\"q\"\n"),
         {.max_field_len = 4},
         ',',
         "UTF-8",
         "1+1[ab][cd]\n2+1!line 2: field longer than 4 bytes\n"
         "3+2!line 3: field longer than 4 bytes\n5+1[z][q]\n"},
        {"record too long: that record only",
         BYTES("abc,def\nab,c\n"),
         {.max_record_len = 5},
         ',',
         "UTF-8",
         "1+1!line 1: record longer than 5 bytes\n2+1[ab][c]\n"},
        {"long run of quotes and spaces while skipping",
         BYTES("\"aaaaaaaaaa\"                    ,b\n\"\"\"\"\"\"\"\"\"\"\"\"\"\",c\nok\n"),
         {.max_field_len = 3},
         ',',
         "UTF-8",
         "1+1!line 1: field longer than 3 bytes\n2+1!line 2: field longer than 3 bytes\n3+1[ok]\n"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct csv_reader *r = NULL;
        struct pr_error err;
        struct buf out;

        if (csv_reader_open_memory(cases[i].input, cases[i].len, &cases[i].opts, &r, &err) != PR_OK)
            fail_msg("%s: open: %s", cases[i].name, err.message);
        buf_init(&out, 1 << 20);
        render_all(r, &out);
        if (strcmp(buf_cstr(&out), cases[i].expected) != 0)
            fail_msg("%s: got\n%s\nexpected\n%s", cases[i].name, buf_cstr(&out), cases[i].expected);
        if (csv_reader_delimiter(r) != cases[i].delimiter ||
            strcmp(csv_reader_encoding(r), cases[i].encoding) != 0)
            fail_msg("%s: delimiter '%c' encoding %s", cases[i].name, csv_reader_delimiter(r),
                     csv_reader_encoding(r));
        assert_int_equal(csv_reader_bytes_read(r), cases[i].len);
        assert_int_equal(csv_reader_size(r), cases[i].len);
        buf_free(&out);
        csv_reader_close(r);
    }
}

static void test_open_errors(void **state)
{
    static const struct {
        const char *name;
        const char *input;
        size_t len;
        struct csv_options opts;
        const char *message_part;
    } cases[] = {
        {"binary garbage", BYTES("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), {0}, "not a text file"},
        {"NUL late in the first chunk", BYTES("a,b\n1,2\n\0"), {0}, "not a text file"},
        {"UTF-16 without BOM", BYTES("a\0,\0b\0"), {0}, "not a text file"},
        {"quote as delimiter", BYTES("a,b\n"), {.delimiter = '"'}, "delimiter"},
        {"space as delimiter", BYTES("a b\n"), {.delimiter = ' '}, "delimiter"},
        {"LF as delimiter", BYTES("a b\n"), {.delimiter = '\n'}, "delimiter"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct csv_reader *r = (struct csv_reader *)&r;
        struct pr_error err;

        if (csv_reader_open_memory(cases[i].input, cases[i].len, &cases[i].opts, &r, &err) !=
                PR_INVALID ||
            strstr(err.message, cases[i].message_part) == NULL)
            fail_msg("%s: not refused as expected (%s)", cases[i].name, err.message);
        assert_null(r);
    }
}

/* Writes `len` bytes to a new temporary file; returns its path (xfree it, unlink it). */
static char *write_temp(const void *data, size_t len)
{
    char *path = xstrdup("/tmp/prospect-csv-test-XXXXXX");
    int fd = mkstemp(path);
    FILE *f;

    assert_true(fd >= 0);
    f = fdopen(fd, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void test_file_errors(void **state)
{
    struct csv_reader *r = NULL;
    struct pr_error err;
    char *path = write_temp(BYTES("\x7f"
                                  "ELF\x02\x01\x01\0\0\0\0"));

    (void)state;
    assert_int_equal(csv_reader_open_file("/nonexistent/leads.csv", NULL, &r, &err), PR_NOT_FOUND);
    assert_null(r);
    assert_int_equal(csv_reader_open_file("/tmp", NULL, &r, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "directory"));
    assert_int_equal(csv_reader_open_file(path, NULL, &r, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "not a text file"));
    assert_null(r);
    unlink(path);
    xfree(path);
}

/* "h1,h2\n" + "\"<n x's>\",tail\n" + "next,row\n" */
static char *big_field_input(size_t n, size_t *len_out)
{
    static const char head[] = "h1,h2\n\"", tail[] = "\",tail\nnext,row\n";
    size_t len = sizeof head - 1 + n + sizeof tail - 1;
    char *s = xmalloc(len);

    memcpy(s, head, sizeof head - 1);
    memset(s + sizeof head - 1, 'x', n);
    memcpy(s + sizeof head - 1 + n, tail, sizeof tail - 1);
    *len_out = len;
    return s;
}

static void test_big_field(void **state)
{
    static const struct {
        size_t max_field_len;
        bool accepted;
    } cases[] = {
        {0, true},                /* the default, 16 MiB */
        {(size_t)10 << 20, true}, /* exactly the field's length */
        {((size_t)10 << 20) - 1, false},
        {(size_t)1 << 20, false},
    };
    size_t field_len = (size_t)10 << 20, len, i;
    char *input = big_field_input(field_len, &len);
    char *path = write_temp(input, len);

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct csv_options opts = {.max_field_len = cases[i].max_field_len};
        struct csv_reader *r = NULL;
        struct csv_record rec;
        struct pr_error err;
        bool has;

        assert_int_equal(csv_reader_open_file(path, &opts, &r, &err), PR_OK);
        assert_int_equal(csv_reader_next(r, &rec, &has, &err), PR_OK);
        assert_true(has);
        assert_int_equal(rec.n_fields, 2);
        if (cases[i].accepted) {
            assert_int_equal(csv_reader_next(r, &rec, &has, &err), PR_OK);
            assert_true(has);
            assert_int_equal(rec.n_fields, 2);
            assert_int_equal(rec.fields[0].len, field_len);
            assert_true(rec.fields[0].ptr[0] == 'x' && rec.fields[0].ptr[field_len - 1] == 'x');
            assert_int_equal(rec.fields[1].len, 4);
        } else {
            assert_int_equal(csv_reader_next(r, &rec, &has, &err), PR_INVALID);
            assert_false(has);
            assert_int_equal(rec.line, 2);
            assert_non_null(strstr(err.message, "line 2: field longer than"));
        }
        /* Either way the next record is readable. */
        assert_int_equal(csv_reader_next(r, &rec, &has, &err), PR_OK);
        assert_true(has);
        assert_int_equal(rec.line, 3);
        assert_int_equal(rec.n_fields, 2);
        assert_memory_equal(rec.fields[0].ptr, "next", 4);
        assert_int_equal(csv_reader_next(r, &rec, &has, &err), PR_OK);
        assert_false(has);
        csv_reader_close(r);
    }
    unlink(path);
    xfree(path);
    xfree(input);
}

/* A NUL byte after the first chunk rejects its record only. */
static void test_late_nul(void **state)
{
    size_t len = 100000, i;
    char *input = xmalloc(len);
    struct csv_reader *r = NULL;
    struct csv_record rec;
    struct pr_error err;
    bool has;
    size_t n_records = 0, n_bad = 0;

    (void)state;
    for (i = 0; i < len; i++)
        input[i] = (i % 10 == 9) ? '\n' : 'a';
    input[90003] = '\0';
    assert_int_equal(csv_reader_open_memory(input, len, NULL, &r, &err), PR_OK);
    for (;;) {
        enum pr_code rc = csv_reader_next(r, &rec, &has, &err);

        if (rc == PR_INVALID) {
            n_bad++;
            assert_int_equal(rec.line, 9001);
            assert_non_null(strstr(err.message, "NUL"));
            continue;
        }
        assert_int_equal(rc, PR_OK);
        if (!has)
            break;
        n_records++;
    }
    assert_int_equal(n_bad, 1);
    assert_int_equal(n_records, 9999);
    csv_reader_close(r);
    xfree(input);
}

/* Builds a CRLF file of `n` records "<i>,<name>" whose CRLF at record `split` straddles the
 * first 64 KiB chunk boundary. */
static char *crlf_input(size_t n, size_t *len_out)
{
    struct buf b;
    size_t i;

    buf_init(&b, 1 << 24);
    for (i = 0; i < n; i++) {
        assert_int_equal(buf_printf(&b, "%zu,name %zu \xC3\xA9\r\n", i, i % 97), PR_OK);
        if (b.len < 65536 && b.len + 40 > 65536) {
            /* Pad a record so its CR is the chunk's last byte. */
            size_t pad = 65536 - b.len - 3;

            assert_int_equal(buf_puts(&b, "p,"), PR_OK);
            while (pad-- > 0)
                assert_int_equal(buf_putc(&b, 'q'), PR_OK);
            assert_int_equal(buf_puts(&b, "\r\n"), PR_OK);
            assert_true(b.ptr[65535] == '\r' && b.ptr[65536] == '\n');
        }
    }
    *len_out = b.len;
    return buf_detach(&b);
}

static void test_progress_and_hash(void **state)
{
    size_t len, n_records = 0;
    char *input = crlf_input(20000, &len);
    char *path = write_temp(input, len);
    char expected_hash[65], hash[65];
    struct csv_reader *r = NULL;
    struct csv_record rec;
    struct pr_error err;
    uint64_t last_progress = 0;
    bool has;

    (void)state;
    assert_int_equal(crypto_init(&err), PR_OK);
    crypto_sha256_hex(input, len, expected_hash, sizeof expected_hash);
    assert_int_equal(csv_reader_open_file(path, NULL, &r, &err), PR_OK);
    assert_int_equal(csv_reader_size(r), len);
    assert_int_equal(csv_reader_bytes_read(r), 65536); /* streaming: one chunk so far */
    assert_false(csv_reader_sha256_hex(r, hash));
    assert_string_equal(hash, "");
    for (;;) {
        assert_int_equal(csv_reader_next(r, &rec, &has, &err), PR_OK);
        if (!has)
            break;
        n_records++;
        assert_int_equal(rec.line, n_records); /* one line per record, CRLF across chunks */
        assert_int_equal(rec.line_count, 1);
        assert_true(csv_reader_bytes_read(r) >= last_progress);
        assert_true(csv_reader_bytes_read(r) <= len);
        assert_true(csv_reader_bytes_read(r) - last_progress <= 65536);
        last_progress = csv_reader_bytes_read(r);
    }
    assert_int_equal(n_records, 20001);
    assert_int_equal(csv_reader_bytes_read(r), len);
    assert_true(csv_reader_sha256_hex(r, hash));
    assert_string_equal(hash, expected_hash);
    csv_reader_close(r);
    unlink(path);
    xfree(path);
    xfree(input);
}

/* Appends `len` bytes of UTF-8 to `out` as UTF-16LE (hand-written: test data only). */
static void append_utf16le(struct buf *out, const char *text, size_t len)
{
    size_t j;

    for (j = 0; j < len;) {
        const unsigned char *s = (const unsigned char *)text + j;
        unsigned char units[4];
        uint32_t c;

        if (s[0] < 0x80) {
            c = s[0];
            j += 1;
        } else if (s[0] < 0xE0) {
            c = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
            j += 2;
        } else if (s[0] < 0xF0) {
            c = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
            j += 3;
        } else {
            c = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
                ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
            j += 4;
        }
        if (c >= 0x10000) {
            uint32_t hi = 0xD800 + ((c - 0x10000) >> 10), lo = 0xDC00 + ((c - 0x10000) & 0x3FF);

            units[0] = (unsigned char)hi;
            units[1] = (unsigned char)(hi >> 8);
            units[2] = (unsigned char)lo;
            units[3] = (unsigned char)(lo >> 8);
            assert_int_equal(buf_append(out, units, 4), PR_OK);
        } else {
            units[0] = (unsigned char)c;
            units[1] = (unsigned char)(c >> 8);
            assert_int_equal(buf_append(out, units, 2), PR_OK);
        }
    }
}

/* The same text as UTF-8 and as UTF-16LE reads the same, over several chunks, with a
 * surrogate pair split by the first chunk boundary. */
static void test_utf16_streaming(void **state)
{
    struct buf body, body16, text, utf16, a, b;
    struct csv_reader *r = NULL;
    struct pr_error err;
    size_t i, off, last_lead = 0, n_pad;

    (void)state;
    buf_init(&body, 1 << 24);
    for (i = 0; i < 8000; i++)
        assert_int_equal(buf_printf(&body,
                                    "%zu;\"Gr\xC3\xBC\xC3\x9F\xE2\x82\xAC\r\n\xF0\x9F\x98\x80"
                                    "\";Z\xC3\xBCrich\n",
                                    i),
                         PR_OK);
    /* Find the last lead surrogate before the boundary, then pad a first line so it lands on
     * bytes 65534-65535: BOM (2) + "h;" + n_pad x's + LF, 2 bytes a character. */
    buf_init(&body16, 1 << 25);
    append_utf16le(&body16, body.ptr, body.len);
    for (off = 0; off + 1 < body16.len && off <= 65534 - 8; off += 2) {
        if ((unsigned char)body16.ptr[off + 1] >= 0xD8 &&
            (unsigned char)body16.ptr[off + 1] <= 0xDB)
            last_lead = off;
    }
    n_pad = (65534 - 8 - last_lead) / 2;
    buf_init(&text, 1 << 24);
    assert_int_equal(buf_puts(&text, "h;"), PR_OK);
    for (i = 0; i < n_pad; i++)
        assert_int_equal(buf_putc(&text, 'x'), PR_OK);
    assert_int_equal(buf_putc(&text, '\n'), PR_OK);
    assert_int_equal(buf_append(&text, body.ptr, body.len), PR_OK);
    buf_init(&utf16, 1 << 25);
    assert_int_equal(buf_append(&utf16, "\xFF\xFE", 2), PR_OK);
    append_utf16le(&utf16, text.ptr, text.len);
    assert_true((unsigned char)utf16.ptr[65535] >= 0xD8 && (unsigned char)utf16.ptr[65535] <= 0xDB);
    assert_true(utf16.len > 3 * 65536);

    buf_init(&a, 1 << 25);
    buf_init(&b, 1 << 25);
    assert_int_equal(csv_reader_open_memory(text.ptr, text.len, NULL, &r, &err), PR_OK);
    assert_int_equal(csv_reader_delimiter(r), ';');
    render_all(r, &a);
    csv_reader_close(r);
    assert_int_equal(csv_reader_open_memory(utf16.ptr, utf16.len, NULL, &r, &err), PR_OK);
    assert_int_equal(csv_reader_delimiter(r), ';');
    assert_string_equal(csv_reader_encoding(r), "UTF-16LE");
    render_all(r, &b);
    csv_reader_close(r);
    assert_string_equal(buf_cstr(&a), buf_cstr(&b));
    assert_non_null(strstr(buf_cstr(&a), "\n16000+2[7999][Gr\xC3\xBC\xC3\x9F\xE2\x82\xAC\r\n"));
    assert_null(strstr(buf_cstr(&a), "\xEF\xBF\xBD")); /* no U+FFFD: no pair was broken */
    buf_free(&body);
    buf_free(&body16);
    buf_free(&text);
    buf_free(&utf16);
    buf_free(&a);
    buf_free(&b);
}

/* Sniffing sees only the first 64 KiB and ignores the cut-off last line. */
static void test_sniff_sample(void **state)
{
    struct buf b;
    struct csv_reader *r = NULL;
    struct pr_error err;

    (void)state;
    buf_init(&b, 1 << 22);
    while (b.len < 70000)
        assert_int_equal(buf_puts(&b, "a|b|c,d\n"), PR_OK);
    /* Past the sample, commas galore: they must not count. */
    while (b.len < 200000)
        assert_int_equal(buf_puts(&b, ",,,,,,,,,,,,\n"), PR_OK);
    assert_int_equal(csv_reader_open_memory(b.ptr, b.len, NULL, &r, &err), PR_OK);
    assert_int_equal(csv_reader_delimiter(r), '|');
    csv_reader_close(r);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),         cmocka_unit_test(test_open_errors),
        cmocka_unit_test(test_file_errors),     cmocka_unit_test(test_big_field),
        cmocka_unit_test(test_late_nul),        cmocka_unit_test(test_progress_and_hash),
        cmocka_unit_test(test_utf16_streaming), cmocka_unit_test(test_sniff_sample),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
