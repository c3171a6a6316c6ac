/*
 * Lead fields and the header mapper. `enum lead_field` is the vocabulary of an imported row
 * (declared once in lead_fields.def); lead_field_from_header() maps a CSV header to a field
 * through a table of aliases, and field_mapping_from_headers() maps a whole header row, applying
 * a user's overrides and keeping every other column as a custom field. Pure functions.
 *
 * Header matching ignores ASCII case, white space (also U+00A0), every ASCII character that is
 * not a letter or digit (dashes, underscores, dots, quotes, '#', parentheses...) and a leading
 * byte-order mark, so "Company Name", "COMPANY NAME", company_name and "company-name" are one
 * key ("companyname"). Bytes >= 0x80 are compared as they are. The alias table is data in
 * fields.c (lead_field_alias_at() lists it).
 */
#ifndef PROSPECT_CORE_FIELDS_H
#define PROSPECT_CORE_FIELDS_H

#include "util/arena.h"
#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>
#include <stddef.h>

enum lead_field {
    FIELD_NONE = 0, /* no field: a custom (or ignored) column */
#define LEAD_FIELD(id, name, kind, column) FIELD_##id,
#include "lead_fields.def"
#undef LEAD_FIELD
    FIELD_COUNT /* number of enum values, FIELD_NONE included */
};

enum lead_field_kind {
    LEAD_FIELD_KIND_COMPANY,
    LEAD_FIELD_KIND_CONTACT,
    LEAD_FIELD_KIND_PLACE, /* the row's location: stored on both the company and the contact */
};

/* Stable text form ("company_name", "mobile_phone"); "none" for FIELD_NONE and for values out
 * of range. Static storage. */
const char *lead_field_name(enum lead_field field);

/* The field whose name is `name` (as lead_field_name() gives it, ASCII case ignored), or
 * FIELD_NONE ("none" included). */
enum lead_field lead_field_from_name(const char *name);

/* Which record the field belongs to (FIELD_NONE gives LEAD_FIELD_KIND_CONTACT). */
enum lead_field_kind lead_field_kind(enum lead_field field);

/* Column in the schema (companies or contacts, per the kind), or NULL when the schema has none
 * (address, address2, county) or for FIELD_NONE. Static storage. */
const char *lead_field_column(enum lead_field field);

/* Maps one header (`len` bytes, need not be NUL-terminated, any bytes) to a field through the
 * alias table, or FIELD_NONE when no alias matches. Never fails. */
enum lead_field lead_field_from_header(const char *header, size_t len);

/* The i-th entry of the alias table (i < lead_field_alias_count()): the alias as written in
 * the table (static storage) and its field. For tests and help output. */
size_t lead_field_alias_count(void);
const char *lead_field_alias_at(size_t i, enum lead_field *field);

/* One line of a user's mapping file, parsed by the caller: the header as it appears in the file
 * and the name of the field to map it to (a lead_field_name(), or "custom" to keep the column
 * as a custom field, or "ignore" to drop it; ASCII case ignored). Headers match as aliases do (case
 * and punctuation are ignored). */
struct mapping_override {
    const char *header;
    const char *field;
};

/* How a column got its meaning, for the CLI to report. */
enum field_column_how {
    FIELD_COLUMN_AUTO,      /* mapped through the alias table */
    FIELD_COLUMN_OVERRIDE,  /* mapped by the user's mapping file */
    FIELD_COLUMN_CUSTOM,    /* unknown header (or "custom" in the mapping file) */
    FIELD_COLUMN_DUPLICATE, /* its field was already taken by another column: custom field */
    FIELD_COLUMN_IGNORED,   /* "ignore" in the mapping file: the importer drops the column */
};

struct field_column {
    enum lead_field field; /* FIELD_NONE unless how is AUTO or OVERRIDE */
    enum field_column_how how;
    const char *header;      /* the header trimmed of white space and surrounding quotes
                                (a C string: it ends early if the header holds a NUL byte) */
    const char *custom_name; /* key in custom_fields for CUSTOM and DUPLICATE columns, else
                                NULL: the trimmed header (up to a NUL byte, at most
                                FIELD_CUSTOM_NAME_MAX bytes cut at a UTF-8 boundary),
                                "column_<n>" (1-based) when empty, with "_2", "_3"... appended
                                to repeats, so names are unique */
};

#define FIELD_MAPPING_MAX_COLUMNS 4096
#define FIELD_CUSTOM_NAME_MAX     200

struct field_mapping {
    size_t n_columns;
    struct field_column *columns;  /* n_columns entries */
    int column_of[FIELD_COUNT];    /* column index holding each field, -1 when absent;
                                      column_of[FIELD_NONE] is always -1 */
    size_t n_unused_overrides;     /* overrides whose header matched no column: a mapping file */
    const char **unused_overrides; /* shared by several files may name absent headers, so this is
                                      reported (their `header` strings), not an error */
};

/* Maps a header row of `n_headers` columns. Each column takes, in this order of precedence:
 * the field an override names, else the alias table's field, else it is a custom field.
 * A field is held by one column only. Overridden columns claim their fields first, then
 * auto-mapped columns; within each, the leftmost column wins and a later column that maps to a
 * taken field (a second "Email") becomes a custom field with how = FIELD_COLUMN_DUPLICATE.
 *
 * Every override is validated even when its header is absent: PR_INVALID names an unknown
 * field name, an empty header, or a header listed twice with different fields. More than
 * FIELD_MAPPING_MAX_COLUMNS columns is PR_INVALID. Everything `out` points to lives in `arena`
 * (header texts are copied). On error `out` is left empty (n_columns 0). */
enum pr_code field_mapping_from_headers(const struct str *headers, size_t n_headers,
                                        const struct mapping_override *overrides,
                                        size_t n_overrides, struct arena *arena,
                                        struct field_mapping *out, struct pr_error *err);

/* Text form of a column's `how` ("auto", "override", "custom", "duplicate", "ignored"). */
const char *field_column_how_name(enum field_column_how how);

#endif
