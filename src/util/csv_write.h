/*
 * Writing CSV (RFC 4180): fields are quoted when they hold the delimiter, a quote, CR or LF, or
 * start or end with a space; quotes are doubled; records end with CRLF as the RFC says.
 * Spreadsheet formula injection is defused: a field starting with = + - @ TAB or CR gets a
 * leading apostrophe (OWASP "CSV injection"), since exports are opened in spreadsheets;
 * signed numbers such as E.164 phones ("+14155552671", "-5") are left alone.
 */
#ifndef PROSPECT_UTIL_CSV_WRITE_H
#define PROSPECT_UTIL_CSV_WRITE_H

#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>
#include <stddef.h>

/* Appends one field (not the separator) to `out`. `defuse_formulas` applies the apostrophe
 * rule above. PR_INVALID when `out` would exceed its maximum. */
enum pr_code csv_write_field(struct buf *out, const char *value, size_t len, bool defuse_formulas);

/* Appends a whole record: fields separated by commas, then CRLF. NULL fields are empty. */
enum pr_code csv_write_record(struct buf *out, const char *const *fields, size_t n_fields,
                              bool defuse_formulas);

#endif
