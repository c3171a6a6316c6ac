/*
 * Streaming CSV reader over libcsv (see csv.h for the contract, docs/internals/csv.md for the
 * design).
 *
 * Three stages, each bounded:
 *   1. input: the source (a file descriptor or a memory block) is read in 64 KiB chunks, each
 *      hashed (SHA-256) as it arrives;
 *   2. decoding: UTF-8 chunks pass through untouched (a BOM is skipped); input with a UTF-16
 *      or UTF-32 BOM is converted to UTF-8 by ICU, chunk by chunk;
 *   3. parsing: libcsv is push-based (it parses a whole buffer and calls back per field and
 *      per record), but csv_reader_next() must stop after one record. So the decoded chunk is
 *      fed to libcsv in slices that end just after the next CR or LF: a record can only end
 *      there, so at most one record completes per slice, and we return as soon as one has.
 *      The rest of the chunk waits for the next call. Slicing at line ends also gives the
 *      physical line numbers, and slices are cut shorter still so that libcsv's field buffer
 *      never grows more than two bytes past max_field_len before we notice.
 *
 * A bad record (too long a field, too many fields, a NUL byte) does not stop libcsv: the reader
 * remembers what was wrong, discards the record's data as it comes, lets libcsv find the
 * record's end by its own rules, and reports the error there. The next call starts afresh.
 */
#include "csv.h"
#include "csv_int.h"

#include "mem.h"

#include <csv.h> /* libcsv; src/util is not on the include path, so this is not ours */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>
#include <unistd.h>

#define CHUNK_LEN ((size_t)64 << 10)
/* UTF-16 grows by at most 3/2 into UTF-8 and UTF-32 does not grow: twice a chunk is room. */
#define DECODED_CAP (2 * CHUNK_LEN)
#define PIVOT_LEN   1024
#define MIN_BLOCK   ((size_t)4096)
/* Limits above this are clamped, so that 3 * max_field_len (windows-1252 to UTF-8) fits
 * ICU's int32_t lengths. */
#define MAX_LIMIT ((size_t)512 << 20)
/* After a record, field and record buffers bigger than this are released. */
#define KEEP_BUFFER ((size_t)1 << 20)

/* libcsv's parser states (libcsv.c); its struct csv_parser is public, these names are not. */
#define LIBCSV_FIELD_BEGUN            2
#define LIBCSV_FIELD_MIGHT_HAVE_ENDED 3

enum source_encoding {
    ENC_UTF8,
    ENC_UTF16LE,
    ENC_UTF16BE,
    ENC_UTF32LE,
    ENC_UTF32BE,
};

enum bad_record {
    BAD_NONE,
    BAD_FIELD_TOO_LONG,
    BAD_TOO_MANY_FIELDS,
    BAD_RECORD_TOO_LONG,
    BAD_NUL,
    BAD_ENCODING,
};

struct csv_reader {
    struct csv_options opts;
    char delimiter;

    /* Input. */
    int fd; /* -1 for a memory block */
    const unsigned char *mem;
    size_t mem_len;
    unsigned char *raw; /* chunk buffer for a file */
    uint64_t size;
    uint64_t bytes_read;
    bool raw_eof;
    const unsigned char *pending; /* raw bytes not yet decoded */
    size_t pending_len;
    crypto_hash_sha256_state sha;
    char sha_hex[65];

    /* Decoding. */
    enum source_encoding encoding;
    UConverter *from_source; /* UTF-16/32 input only */
    UConverter *to_utf8;
    UConverter *cp1252;
    UChar pivot[PIVOT_LEN];
    UChar *pivot_source;
    UChar *pivot_target;
    bool flushed;
    unsigned char *decoded;   /* UTF-16/32 input only */
    const unsigned char *dec; /* the chunk being parsed: raw (UTF-8) or decoded */
    size_t dec_pos;
    size_t dec_len;
    size_t next_lf; /* index of the next LF / CR at or after dec_pos, dec_len if none, */
    size_t next_cr; /* SIZE_MAX when not yet searched */

    /* Parsing. */
    struct csv_parser parser;
    uint64_t line;      /* physical line of the byte at dec_pos */
    bool after_cr;      /* the last byte fed was CR (a following LF ends no line) */
    bool at_line_start; /* the last byte fed was CR or LF */
    bool in_record;
    bool record_done;
    bool finished;
    uint64_t record_line;
    uint64_t record_end_line;
    enum bad_record bad;

    /* The current record: field bytes, end offsets, views. */
    struct buf data;
    size_t *ends;
    struct str *fields;
    size_t n_fields;
    size_t fields_cap;
    unsigned char *scratch; /* windows-1252 conversion output */
    size_t scratch_cap;

    uint64_t n_converted;
    bool saw_utf8_multibyte;

    struct pr_error fatal; /* code != PR_OK once the reader is dead */
};

static int is_ascii_space(unsigned char c)
{
    /* Only the space: libcsv also trims tabs by default, which would eat empty TSV fields. */
    return c == ' ';
}

/* ---- input ---------------------------------------------------------------------------- */

static void finish_hash(struct csv_reader *r)
{
    unsigned char digest[crypto_hash_sha256_BYTES];

    crypto_hash_sha256_final(&r->sha, digest);
    sodium_bin2hex(r->sha_hex, sizeof r->sha_hex, digest, sizeof digest);
}

/* Reads the next raw chunk into r->pending; sets raw_eof (and the hash) at the end. */
static enum pr_code read_raw(struct csv_reader *r, struct pr_error *err)
{
    size_t got = 0;

    if (r->fd < 0) {
        size_t left = r->mem_len - (size_t)r->bytes_read;

        got = left < CHUNK_LEN ? left : CHUNK_LEN;
        r->pending = r->mem + r->bytes_read;
        if (got == left)
            r->raw_eof = true;
    } else {
        /* Fill the whole chunk (pipes return short reads) so the first one is a fair sample. */
        while (got < CHUNK_LEN) {
            ssize_t n = read(r->fd, r->raw + got, CHUNK_LEN - got);

            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                pr_error_set(err, PR_IO, "cannot read the CSV file");
                return pr_error_detail(err, "read: %s", strerror(errno));
            }
            if (n == 0) {
                r->raw_eof = true;
                break;
            }
            got += (size_t)n;
        }
        r->pending = r->raw;
    }
    r->pending_len = got;
    r->bytes_read += got;
    if (got > 0)
        crypto_hash_sha256_update(&r->sha, r->pending, got);
    if (r->raw_eof)
        finish_hash(r);
    return PR_OK;
}

/* ---- decoding ------------------------------------------------------------------------- */

/* Converts pending UTF-16/32 bytes into r->decoded (as much as fits). */
static enum pr_code decode_pending(struct csv_reader *r, struct pr_error *err)
{
    char *target = (char *)r->decoded;
    const char *source = (const char *)r->pending;
    UErrorCode status = U_ZERO_ERROR;
    bool flush = r->raw_eof;

    ucnv_convertEx(r->to_utf8, r->from_source, &target, (char *)r->decoded + DECODED_CAP, &source,
                   source + r->pending_len, r->pivot, &r->pivot_source, &r->pivot_target,
                   r->pivot + PIVOT_LEN, false, flush, &status);
    r->pending_len -= (size_t)(source - (const char *)r->pending);
    r->pending = (const unsigned char *)source;
    r->dec = r->decoded;
    r->dec_pos = 0;
    r->dec_len = (size_t)(target - (char *)r->decoded);
    if (status == U_BUFFER_OVERFLOW_ERROR)
        return PR_OK; /* more output to come from the same input */
    if (status == U_TRUNCATED_CHAR_FOUND && flush) {
        r->flushed = true; /* an odd byte at the very end: dropped */
        return PR_OK;
    }
    if (U_FAILURE(status)) {
        pr_error_set(err, PR_INTERNAL, "cannot convert the CSV file to UTF-8");
        return pr_error_detail(err, "ucnv_convertEx: %s", u_errorName(status));
    }
    if (flush && r->pending_len == 0)
        r->flushed = true;
    return PR_OK;
}

/* Makes decoded bytes available at dec_pos; leaves dec_pos == dec_len at the end of input. */
static enum pr_code fill(struct csv_reader *r, struct pr_error *err)
{
    enum pr_code rc;

    while (r->dec_pos == r->dec_len) {
        if (r->pending_len == 0 && !r->raw_eof) {
            rc = read_raw(r, err);
            if (rc != PR_OK)
                return rc;
            continue;
        }
        if (r->pending_len == 0 && (r->encoding == ENC_UTF8 || r->flushed))
            return PR_OK;
        r->next_lf = r->next_cr = SIZE_MAX;
        if (r->encoding == ENC_UTF8) {
            r->dec = r->pending;
            r->dec_pos = 0;
            r->dec_len = r->pending_len;
            r->pending_len = 0;
        } else {
            rc = decode_pending(r, err);
            if (rc != PR_OK)
                return rc;
        }
    }
    return PR_OK;
}

/* Recognizes a byte order mark at the start of the first chunk and skips it. */
static enum pr_code detect_encoding(struct csv_reader *r, struct pr_error *err)
{
    static const struct {
        const char *bom;
        size_t len;
        enum source_encoding encoding;
        const char *icu_name;
    } boms[] = {
        /* UTF-32LE first: its BOM starts with UTF-16LE's. */
        {"\xFF\xFE\x00\x00", 4, ENC_UTF32LE, "UTF-32LE"},
        {"\x00\x00\xFE\xFF", 4, ENC_UTF32BE, "UTF-32BE"},
        {"\xFF\xFE", 2, ENC_UTF16LE, "UTF-16LE"},
        {"\xFE\xFF", 2, ENC_UTF16BE, "UTF-16BE"},
        {"\xEF\xBB\xBF", 3, ENC_UTF8, NULL},
    };
    UErrorCode status = U_ZERO_ERROR;
    size_t i;

    for (i = 0; i < sizeof boms / sizeof boms[0]; i++) {
        if (r->pending_len >= boms[i].len && memcmp(r->pending, boms[i].bom, boms[i].len) == 0)
            break;
    }
    /* UTF-8 (windows-1252 per field), with or without BOM: binary data has NUL bytes early. */
    if ((i == sizeof boms / sizeof boms[0] || boms[i].encoding == ENC_UTF8) &&
        memchr(r->pending, 0, r->pending_len) != NULL) {
        pr_error_set(err, PR_INVALID, "not a text file: NUL bytes in the first 64 KiB");
        return pr_error_hint(err, "export the data as CSV (UTF-8 or UTF-16 with a BOM)");
    }
    if (i == sizeof boms / sizeof boms[0])
        return PR_OK;
    r->pending += boms[i].len;
    r->pending_len -= boms[i].len;
    r->encoding = boms[i].encoding;
    if (boms[i].icu_name == NULL)
        return PR_OK;
    r->from_source = ucnv_open(boms[i].icu_name, &status);
    if (U_SUCCESS(status))
        r->to_utf8 = ucnv_open("UTF-8", &status);
    if (U_FAILURE(status)) {
        pr_error_set(err, PR_INTERNAL, "cannot open the %s converter", boms[i].icu_name);
        return pr_error_detail(err, "ucnv_open: %s", u_errorName(status));
    }
    r->decoded = xmalloc(DECODED_CAP);
    r->pivot_source = r->pivot_target = r->pivot;
    return PR_OK;
}

/* ---- fields --------------------------------------------------------------------------- */

/* 0: ASCII; 1: valid UTF-8 beyond ASCII; -1: not UTF-8. */
static int classify_field(const unsigned char *s, size_t len)
{
    size_t i = 0;
    int kind = 0;

    while (i < len) {
        UChar32 c;

        if (s[i] < 0x80) {
            i++;
            continue;
        }
        U8_NEXT(s, i, len, c);
        if (c < 0)
            return -1;
        kind = 1;
    }
    return kind;
}

/* Converts a windows-1252 field to UTF-8 in r->scratch; returns the length or -1. */
static int32_t convert_cp1252(struct csv_reader *r, const unsigned char *s, size_t len)
{
    UErrorCode status = U_ZERO_ERROR;
    size_t need = 3 * len + 1; /* at most 3 UTF-8 bytes per byte (the euro sign) */
    int32_t n;

    if (need > r->scratch_cap) {
        r->scratch = xrealloc(r->scratch, need);
        r->scratch_cap = need;
    }
    n = ucnv_toAlgorithmic(UCNV_UTF8, r->cp1252, (char *)r->scratch, (int32_t)need, (const char *)s,
                           (int32_t)len, &status);
    return U_SUCCESS(status) ? n : -1;
}

/* libcsv's field callback: checks the limits, fixes the encoding, appends the field. */
static void on_field(void *field, size_t len, void *ctx)
{
    struct csv_reader *r = ctx;
    const unsigned char *s = field;
    int kind;

    if (r->bad != BAD_NONE)
        return; /* the record is already rejected: its data is discarded */
    if (len > r->opts.max_field_len) {
        r->bad = BAD_FIELD_TOO_LONG;
        return;
    }
    if (r->n_fields == r->opts.max_fields) {
        r->bad = BAD_TOO_MANY_FIELDS;
        return;
    }
    if (len > 0 && memchr(s, 0, len) != NULL) {
        r->bad = BAD_NUL;
        return;
    }
    kind = classify_field(s, len);
    if (kind < 0) {
        int32_t n = convert_cp1252(r, s, len);

        if (n < 0) {
            r->bad = BAD_ENCODING; /* not expected: every byte has a windows-1252 mapping */
            return;
        }
        s = r->scratch;
        len = (size_t)n;
        r->n_converted++;
    } else if (kind > 0) {
        r->saw_utf8_multibyte = true;
    }
    if (buf_append(&r->data, s, len) != PR_OK) {
        r->bad = BAD_RECORD_TOO_LONG;
        return;
    }
    if (r->n_fields == r->fields_cap) {
        size_t cap = r->fields_cap ? 2 * r->fields_cap : 16;

        if (cap > r->opts.max_fields)
            cap = r->opts.max_fields;
        r->ends = xrealloc(r->ends, cap * sizeof *r->ends);
        r->fields = xrealloc(r->fields, cap * sizeof *r->fields);
        r->fields_cap = cap;
    }
    r->ends[r->n_fields++] = r->data.len;
}

/* libcsv's end-of-record callback. */
static void on_record_end(int c, void *ctx)
{
    struct csv_reader *r = ctx;

    (void)c;
    r->record_done = true;
    r->record_end_line = r->line;
    r->in_record = false;
}

/* ---- parsing -------------------------------------------------------------------------- */

static size_t next_newline(struct csv_reader *r)
{
    size_t start = r->dec_pos, end = r->dec_len;

    if (r->next_lf == SIZE_MAX || r->next_lf < start) {
        const unsigned char *p = memchr(r->dec + start, '\n', end - start);

        r->next_lf = p != NULL ? (size_t)(p - r->dec) : end;
    }
    if (r->next_cr == SIZE_MAX || r->next_cr < start) {
        const unsigned char *p = memchr(r->dec + start, '\r', end - start);

        r->next_cr = p != NULL ? (size_t)(p - r->dec) : end;
    }
    return r->next_lf < r->next_cr ? r->next_lf : r->next_cr;
}

/* Length of the next slice to feed libcsv: up to and including the next CR or LF, and short
 * enough that the field being read cannot pass max_field_len + 2 bytes in libcsv's buffer. */
static size_t next_slice(struct csv_reader *r)
{
    size_t nl = next_newline(r);
    size_t len = (nl < r->dec_len ? nl + 1 : r->dec_len) - r->dec_pos;
    size_t used = r->parser.entry_pos, limit = r->opts.max_field_len + 2;
    size_t budget = used < limit ? limit - used : 1;

    return len < budget ? len : budget;
}

/* Lets libcsv's field buffer grow geometrically (its default is 128 bytes at a time) but
 * never much past the field limit. */
static void set_block_size(struct csv_reader *r)
{
    size_t have = csv_get_buffer_size(&r->parser);
    size_t limit = r->opts.max_field_len + 2;
    size_t room = have < limit ? limit - have : 0;
    size_t block = have < MIN_BLOCK ? MIN_BLOCK : have;

    if (block > room)
        block = room < MIN_BLOCK ? MIN_BLOCK : room;
    csv_set_blk_size(&r->parser, block);
}

/*
 * The record is rejected: throw away what libcsv has buffered of the current field, so a
 * gigabyte-long field streams through in bounded memory. This writes libcsv's public
 * struct csv_parser, keeping what its state machine reads: in FIELD_MIGHT_HAVE_ENDED it
 * subtracts `spaces + 1` from entry_pos and tests `spaces` for zero; elsewhere `spaces` only
 * trims the (discarded) field.
 */
static void discard_field(struct csv_reader *r)
{
    struct csv_parser *p = &r->parser;

    if (p->pstate == LIBCSV_FIELD_MIGHT_HAVE_ENDED) {
        p->spaces = p->spaces ? 1 : 0;
        p->entry_pos = p->spaces + 1;
    } else {
        p->spaces = 0;
        p->entry_pos = 0;
    }
}

/* Tracks physical lines after feeding a slice of `len` bytes whose last byte is `c`. An LF
 * ends no line when it is the CR's partner in CRLF (a slice of that LF alone after a CR). */
static void count_line(struct csv_reader *r, unsigned char c, size_t len)
{
    if (c == '\n') {
        if (!r->after_cr || len > 1)
            r->line++;
        r->after_cr = false;
        r->at_line_start = true;
    } else if (c == '\r') {
        r->line++;
        r->after_cr = true;
        r->at_line_start = true;
    } else {
        r->after_cr = false;
        r->at_line_start = false;
    }
}

static void start_record(struct csv_reader *r)
{
    if (r->data.cap > KEEP_BUFFER)
        buf_free(&r->data);
    buf_reset(&r->data);
    if (csv_get_buffer_size(&r->parser) > KEEP_BUFFER && r->parser.entry_pos == 0)
        csv_free(&r->parser); /* libcsv allocates again on its next byte */
    r->n_fields = 0;
    r->bad = BAD_NONE;
    r->record_done = false;
}

static enum pr_code finish_record(struct csv_reader *r, bool unclosed, struct csv_record *rec,
                                  bool *has_record, struct pr_error *err)
{
    unsigned long long line = (unsigned long long)r->record_line;
    const char *base = buf_cstr(&r->data);
    size_t i, start = 0;

    rec->line = r->record_line;
    rec->line_count = r->record_end_line - r->record_line + 1;
    if (unclosed)
        return pr_error_set(err, PR_INVALID, "line %llu: unclosed quote", line);
    switch (r->bad) {
    case BAD_NONE:
        break;
    case BAD_FIELD_TOO_LONG:
        return pr_error_set(err, PR_INVALID, "line %llu: field longer than %zu bytes", line,
                            r->opts.max_field_len);
    case BAD_TOO_MANY_FIELDS:
        return pr_error_set(err, PR_INVALID, "line %llu: more than %zu fields", line,
                            r->opts.max_fields);
    case BAD_RECORD_TOO_LONG:
        return pr_error_set(err, PR_INVALID, "line %llu: record longer than %zu bytes", line,
                            r->opts.max_record_len);
    case BAD_NUL:
        return pr_error_set(err, PR_INVALID, "line %llu: NUL byte in a field", line);
    case BAD_ENCODING:
        return pr_error_set(err, PR_INVALID, "line %llu: a field is neither UTF-8 nor windows-1252",
                            line);
    }
    for (i = 0; i < r->n_fields; i++) {
        r->fields[i].ptr = base + start;
        r->fields[i].len = r->ends[i] - start;
        start = r->ends[i];
    }
    rec->n_fields = r->n_fields;
    rec->fields = r->fields;
    *has_record = true;
    return PR_OK;
}

/* End of input: flush libcsv's last record, if any. */
static enum pr_code finish_input(struct csv_reader *r, struct csv_record *rec, bool *has_record,
                                 struct pr_error *err)
{
    bool unclosed = r->parser.pstate == LIBCSV_FIELD_BEGUN && r->parser.quoted;

    r->finished = true;
    csv_fini(&r->parser, on_field, on_record_end, r);
    if (!r->record_done)
        return PR_OK;
    if (r->at_line_start && r->record_end_line > r->record_line)
        r->record_end_line--; /* the input ended with a newline inside an open quote */
    return finish_record(r, unclosed, rec, has_record, err);
}

static enum pr_code fail(struct csv_reader *r, enum pr_code rc, struct pr_error *err)
{
    r->fatal = *err;
    r->fatal.code = rc;
    return rc;
}

enum pr_code csv_reader_next(struct csv_reader *r, struct csv_record *rec, bool *has_record,
                             struct pr_error *err)
{
    enum pr_code rc;

    *has_record = false;
    memset(rec, 0, sizeof *rec);
    if (r->fatal.code != PR_OK) {
        *err = r->fatal;
        return r->fatal.code;
    }
    if (r->finished)
        return PR_OK;
    start_record(r);
    for (;;) {
        size_t len, i, n;

        if (r->dec_pos == r->dec_len) {
            rc = fill(r, err);
            if (rc != PR_OK)
                return fail(r, rc, err);
            if (r->dec_pos == r->dec_len)
                return finish_input(r, rec, has_record, err);
        }
        len = next_slice(r);
        if (!r->in_record) {
            /* A record starts at its first byte that libcsv does not skip. */
            for (i = 0; i < len; i++) {
                unsigned char c = r->dec[r->dec_pos + i];

                if (c != ' ' && !csv__is_newline(c)) {
                    r->in_record = true;
                    r->record_line = r->line;
                    break;
                }
            }
        }
        set_block_size(r);
        n = csv_parse(&r->parser, r->dec + r->dec_pos, len, on_field, on_record_end, r);
        if (n != len) {
            pr_error_set(err, PR_INTERNAL, "cannot parse the CSV file");
            pr_error_detail(err, "libcsv: %s", csv_strerror(csv_error(&r->parser)));
            return fail(r, PR_INTERNAL, err);
        }
        count_line(r, r->dec[r->dec_pos + len - 1], len);
        r->dec_pos += len;
        if (r->bad == BAD_NONE && r->parser.entry_pos > r->opts.max_field_len + 1)
            r->bad = BAD_FIELD_TOO_LONG;
        if (r->bad != BAD_NONE)
            discard_field(r);
        if (r->record_done)
            return finish_record(r, false, rec, has_record, err);
    }
}

/* ---- opening and closing -------------------------------------------------------------- */

static size_t limit_or(size_t value, size_t fallback)
{
    if (value == 0)
        return fallback;
    return value < MAX_LIMIT ? value : MAX_LIMIT;
}

static enum pr_code reader_new(const struct csv_options *opts, struct csv_reader **out,
                               struct pr_error *err)
{
    static const struct csv_options defaults = {0};
    struct csv_reader *r;
    UErrorCode status = U_ZERO_ERROR;
    unsigned char d;

    if (opts == NULL)
        opts = &defaults;
    d = (unsigned char)opts->delimiter;
    if (d == '"' || d == ' ' || d == '\r' || d == '\n' || d >= 0x80) {
        pr_error_set(err, PR_INVALID,
                     "a delimiter cannot be a quote, space, line end or non-ASCII");
        return pr_error_hint(err, "use , ; | or TAB, or leave it out to detect it");
    }
    r = xcalloc(1, sizeof *r);
    r->fd = -1;
    r->opts.delimiter = opts->delimiter;
    r->opts.max_field_len = limit_or(opts->max_field_len, CSV_DEFAULT_MAX_FIELD_LEN);
    r->opts.max_fields = limit_or(opts->max_fields, CSV_DEFAULT_MAX_FIELDS);
    r->opts.max_record_len = limit_or(opts->max_record_len, CSV_DEFAULT_MAX_RECORD_LEN);
    r->line = 1;
    r->dec = (const unsigned char *)""; /* never NULL, even before the first chunk */
    r->next_lf = r->next_cr = SIZE_MAX;
    buf_init(&r->data, r->opts.max_record_len);
    crypto_hash_sha256_init(&r->sha);
    csv_init(&r->parser, 0);
    csv_set_quote(&r->parser, '"');
    csv_set_space_func(&r->parser, is_ascii_space);
    csv_set_realloc_func(&r->parser, xrealloc);
    csv_set_free_func(&r->parser, xfree);
    r->cp1252 = ucnv_open("windows-1252", &status);
    if (U_FAILURE(status)) {
        csv_reader_close(r);
        pr_error_set(err, PR_INTERNAL, "cannot open the windows-1252 converter");
        return pr_error_detail(err, "ucnv_open: %s", u_errorName(status));
    }
    *out = r;
    return PR_OK;
}

/* Reads the first chunk: encoding, binary check, delimiter. */
static enum pr_code reader_start(struct csv_reader *r, struct pr_error *err)
{
    enum pr_code rc;

    rc = read_raw(r, err);
    if (rc == PR_OK)
        rc = detect_encoding(r, err);
    if (rc == PR_OK)
        rc = fill(r, err);
    if (rc != PR_OK)
        return rc;
    r->delimiter = r->opts.delimiter;
    if (r->delimiter == 0)
        r->delimiter = csv__sniff_delimiter(r->dec + r->dec_pos, r->dec_len - r->dec_pos,
                                            r->raw_eof && r->pending_len == 0);
    csv_set_delim(&r->parser, (unsigned char)r->delimiter);
    return PR_OK;
}

enum pr_code csv_reader_open_memory(const char *data, size_t len, const struct csv_options *opts,
                                    struct csv_reader **out, struct pr_error *err)
{
    struct csv_reader *r = NULL;
    enum pr_code rc;

    *out = NULL;
    rc = reader_new(opts, &r, err);
    if (rc != PR_OK)
        return rc;
    r->mem = (const unsigned char *)(len > 0 ? data : "");
    r->mem_len = len;
    r->size = len;
    rc = reader_start(r, err);
    if (rc != PR_OK) {
        csv_reader_close(r);
        return rc;
    }
    *out = r;
    return PR_OK;
}

enum pr_code csv_reader_open_file(const char *path, const struct csv_options *opts,
                                  struct csv_reader **out, struct pr_error *err)
{
    struct csv_reader *r = NULL;
    struct stat st;
    enum pr_code rc;
    int fd;

    *out = NULL;
    rc = reader_new(opts, &r, err);
    if (rc != PR_OK)
        return rc;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int saved = errno;

        csv_reader_close(r);
        if (saved == ENOENT)
            return pr_error_set(err, PR_NOT_FOUND, "no such file: %s", path);
        pr_error_set(err, PR_IO, "cannot open %s", path);
        return pr_error_detail(err, "open: %s", strerror(saved));
    }
    r->fd = fd;
    if (fstat(fd, &st) != 0) {
        pr_error_set(err, PR_IO, "cannot open %s", path);
        pr_error_detail(err, "fstat: %s", strerror(errno));
        rc = PR_IO;
        goto out;
    }
    if (S_ISDIR(st.st_mode)) {
        rc = pr_error_set(err, PR_INVALID, "%s is a directory, not a CSV file", path);
        goto out;
    }
    r->size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
    r->raw = xmalloc(CHUNK_LEN);
    rc = reader_start(r, err);
out:
    if (rc != PR_OK) {
        csv_reader_close(r);
        return rc;
    }
    *out = r;
    return PR_OK;
}

void csv_reader_close(struct csv_reader *r)
{
    if (r == NULL)
        return;
    if (r->fd >= 0)
        close(r->fd);
    csv_free(&r->parser);
    if (r->from_source != NULL)
        ucnv_close(r->from_source);
    if (r->to_utf8 != NULL)
        ucnv_close(r->to_utf8);
    if (r->cp1252 != NULL)
        ucnv_close(r->cp1252);
    buf_free(&r->data);
    xfree(r->raw);
    xfree(r->decoded);
    xfree(r->ends);
    xfree(r->fields);
    xfree(r->scratch);
    xfree(r);
}

/* ---- accessors ------------------------------------------------------------------------ */

char csv_reader_delimiter(const struct csv_reader *r)
{
    return r->delimiter;
}

const char *csv_reader_encoding(const struct csv_reader *r)
{
    static const char *const names[] = {
        [ENC_UTF8] = "UTF-8",       [ENC_UTF16LE] = "UTF-16LE", [ENC_UTF16BE] = "UTF-16BE",
        [ENC_UTF32LE] = "UTF-32LE", [ENC_UTF32BE] = "UTF-32BE",
    };

    if (r->encoding != ENC_UTF8 || r->n_converted == 0)
        return names[r->encoding];
    return r->saw_utf8_multibyte ? "UTF-8+windows-1252" : "windows-1252";
}

uint64_t csv_reader_converted_fields(const struct csv_reader *r)
{
    return r->n_converted;
}

uint64_t csv_reader_bytes_read(const struct csv_reader *r)
{
    return r->bytes_read;
}

uint64_t csv_reader_size(const struct csv_reader *r)
{
    return r->size;
}

bool csv_reader_sha256_hex(const struct csv_reader *r, char out[65])
{
    if (!r->raw_eof) {
        out[0] = '\0';
        return false;
    }
    memcpy(out, r->sha_hex, sizeof r->sha_hex);
    return true;
}
