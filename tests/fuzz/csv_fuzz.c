/*
 * Fuzz target for util/csv. Reads the input to the end twice: once with small limits and a
 * sniffed delimiter (so the bad-record recovery paths run often), once with the defaults and a
 * comma. Checks that opening either succeeds or refuses with PR_INVALID; that every call
 * returns a record or a PR_INVALID bad record and the reader always reaches the end; that
 * fields are valid UTF-8 without NUL bytes and within the limits; that records never overlap
 * and their line numbers never decrease; that progress only grows; and that the SHA-256 at the
 * end is the input's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/crypto.h"
#include "util/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void read_all(const uint8_t *data, size_t size, const struct csv_options *opts)
{
    size_t max_field = opts->max_field_len ? opts->max_field_len : CSV_DEFAULT_MAX_FIELD_LEN;
    size_t max_fields = opts->max_fields ? opts->max_fields : CSV_DEFAULT_MAX_FIELDS;
    size_t max_record = opts->max_record_len ? opts->max_record_len : CSV_DEFAULT_MAX_RECORD_LEN;
    struct csv_reader *r = NULL;
    struct pr_error err;
    uint64_t next_line = 1, progress = 0;
    size_t calls;
    char hash[65], expected[65];

    if (csv_reader_open_memory((const char *)data, size, opts, &r, &err) != PR_OK) {
        check(err.code == PR_INVALID && r == NULL && err.message[0] != '\0');
        return;
    }
    check(opts->delimiter == 0 || csv_reader_delimiter(r) == opts->delimiter);
    /* Every record or bad record consumes at least one byte: size + 2 calls reach the end. */
    for (calls = 0;; calls++) {
        struct csv_record rec;
        bool has = true;
        enum pr_code rc = csv_reader_next(r, &rec, &has, &err);
        size_t i, total = 0;

        check(calls <= size + 2);
        check(csv_reader_bytes_read(r) >= progress && csv_reader_bytes_read(r) <= size);
        progress = csv_reader_bytes_read(r);
        if (rc == PR_OK && !has)
            break;
        check(rc == PR_OK || (rc == PR_INVALID && !has && err.message[0] != '\0'));
        check(rec.line >= next_line && rec.line_count >= 1);
        next_line = rec.line + rec.line_count;
        if (rc != PR_OK)
            continue;
        check(rec.n_fields >= 1 && rec.n_fields <= max_fields);
        for (i = 0; i < rec.n_fields; i++) {
            json_t *s = json_stringn(rec.fields[i].ptr, rec.fields[i].len); /* checks UTF-8 */

            check(s != NULL);
            json_decref(s);
            check(memchr(rec.fields[i].ptr, 0, rec.fields[i].len) == NULL);
            check(rec.fields[i].len <= 3 * max_field);
            total += rec.fields[i].len;
        }
        check(total <= max_record);
    }
    /* The end is sticky. */
    {
        struct csv_record rec;
        bool has = true;

        check(csv_reader_next(r, &rec, &has, &err) == PR_OK && !has);
    }
    check(csv_reader_bytes_read(r) == size);
    check(csv_reader_sha256_hex(r, hash));
    crypto_sha256_hex(data, size, expected, sizeof expected);
    check(strcmp(hash, expected) == 0);
    csv_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct csv_options small = {
        .max_field_len = 8, .max_fields = 6, .max_record_len = 24};
    static const struct csv_options defaults = {.delimiter = ','};

    read_all(data, size, &small);
    read_all(data, size, &defaults);
    return 0;
}
