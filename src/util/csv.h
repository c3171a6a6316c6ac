/*
 * Streaming CSV reader: one record per call, in bounded memory, from a file or a memory block.
 *
 * Parsing is libcsv's (RFC 4180 quoting, escaped quotes, quoted newlines, CR, LF and CRLF line
 * ends, lenient about stray quotes); this module adds what an importer of files people export
 * from spreadsheets and CRMs needs: input in 64 KiB chunks, encoding detection (UTF-8 with or
 * without BOM, UTF-16/32 with BOM, windows-1252 fields converted per field), delimiter
 * sniffing, size limits checked before memory is committed, physical line numbers, recovery
 * after a bad record, progress and the SHA-256 of the whole input. Design, limits and the
 * encoding policy: docs/internals/csv.md.
 *
 * Records come out as they are: blank lines (empty or only spaces) are skipped, ragged rows
 * keep their own field count, ASCII spaces around unquoted fields are trimmed (never tabs, and
 * never inside quotes). The first record is the header when the file has one; the reader does
 * not know.
 */
#ifndef PROSPECT_UTIL_CSV_H
#define PROSPECT_UTIL_CSV_H

#include "error.h"
#include "str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct csv_reader;

/* Reader options; a zeroed struct (or NULL) gives the defaults. */
struct csv_options {
    char delimiter;        /* 0 = sniff among , ; TAB | (comma when undecided) */
    size_t max_field_len;  /* bytes of one field as read, before any conversion; 0 = 16 MiB */
    size_t max_fields;     /* fields in one record; 0 = 4096 */
    size_t max_record_len; /* bytes of one record's fields in UTF-8; 0 = 64 MiB */
};

#define CSV_DEFAULT_MAX_FIELD_LEN  ((size_t)16 << 20)
#define CSV_DEFAULT_MAX_FIELDS     ((size_t)4096)
#define CSV_DEFAULT_MAX_RECORD_LEN ((size_t)64 << 20)

/* One record. `fields` holds `n_fields` views of valid UTF-8 without NUL bytes; they point
 * into the reader and stay valid until the next csv_reader_next() or csv_reader_close(). */
struct csv_record {
    size_t n_fields;
    const struct str *fields;
    uint64_t line;       /* 1-based physical line where the record starts */
    uint64_t line_count; /* physical lines it spans (more than 1 with quoted newlines) */
};

/* Opens `path` and reads its first chunk (64 KiB) to detect the encoding and, unless
 * `opts->delimiter` is set, the delimiter. On success *out is a reader to free with
 * csv_reader_close(). Errors: PR_NOT_FOUND (no such file), PR_IO (cannot open or read),
 * PR_INVALID (a directory; NUL bytes in the first chunk, "not a text file", unless it starts
 * with a UTF-16 or UTF-32 byte order mark; a delimiter option that is a quote, space, CR, LF
 * or NUL). An empty file is fine: it has no records. */
enum pr_code csv_reader_open_file(const char *path, const struct csv_options *opts,
                                  struct csv_reader **out, struct pr_error *err);

/* As csv_reader_open_file() over `len` bytes at `data`, which the caller keeps alive and
 * unchanged until csv_reader_close(). Errors: PR_INVALID as above. */
enum pr_code csv_reader_open_memory(const char *data, size_t len, const struct csv_options *opts,
                                    struct csv_reader **out, struct pr_error *err);

/* Reads the next record into *rec and sets *has_record; at the end of the input returns PR_OK
 * with *has_record false (and keeps doing so).
 * A bad record returns PR_INVALID with its line in the message ("line 12: field longer than
 * 16777216 bytes"), *has_record false and rec->line / rec->line_count set to the bad record's
 * lines; the reader stays usable and the next call reads the record after it. Bad records are:
 * a field longer than max_field_len, more than max_fields fields, fields adding up to more than
 * max_record_len bytes, a NUL byte in a field, and a quote left open at the end of the input
 * ("unclosed quote"; the input's last record, all of which it swallowed, is not returned).
 * PR_IO (read error) and PR_INTERNAL (conversion failure) are fatal: every later call returns
 * the same error. */
enum pr_code csv_reader_next(struct csv_reader *r, struct csv_record *rec, bool *has_record,
                             struct pr_error *err);

/* The delimiter in use (given or sniffed). */
char csv_reader_delimiter(const struct csv_reader *r);

/* The input's encoding as seen so far: "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE",
 * "UTF-32BE", "windows-1252" (some fields were not UTF-8 and were converted, none had UTF-8
 * beyond ASCII) or "UTF-8+windows-1252" (both kinds). A static string. */
const char *csv_reader_encoding(const struct csv_reader *r);

/* Number of fields converted from windows-1252 so far. */
uint64_t csv_reader_converted_fields(const struct csv_reader *r);

/* Bytes of the input consumed so far, and its total size (0 when unknown, e.g. a pipe): the
 * importer's progress. */
uint64_t csv_reader_bytes_read(const struct csv_reader *r);
uint64_t csv_reader_size(const struct csv_reader *r);

/* Writes the lower-case hex SHA-256 of the whole input (raw bytes, BOM included) into `out`
 * and returns true once the last chunk has been read (at the latest when csv_reader_next()
 * has returned no record); before that writes "" and returns false. */
bool csv_reader_sha256_hex(const struct csv_reader *r, char out[65]);

/* Closes the file and frees the reader and its records. NULL is a no-op. */
void csv_reader_close(struct csv_reader *r);

#endif
