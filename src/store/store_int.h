/*
 * Private interface shared by the store's files. Not for use outside src/store.
 *
 * Statements are prepared once per connection and cached by their SQL text pointer (the SQL
 * strings are static constants), reset and cleared each time they are handed out.
 * Parameters are typed values bound by position:
 *
 *   rc = store__exec(st, "DELETE FROM tags WHERE tenant_id = ? AND id = ?",
 *                    STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), err);
 */
#ifndef PROSPECT_STORE_STORE_INT_H
#define PROSPECT_STORE_STORE_INT_H

#include "store/store.h"
#include "util/arena.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>

enum store_param_type { STORE_PARAM_NULL, STORE_PARAM_INT, STORE_PARAM_TEXT };

struct store_param {
    enum store_param_type type;
    int64_t int_value;
    const char *text_value;
};

#define STORE_INT(v) ((struct store_param){.type = STORE_PARAM_INT, .int_value = (v)})
/* A NULL string binds SQL NULL. */
#define STORE_TEXT(v) ((struct store_param){.type = STORE_PARAM_TEXT, .text_value = (v)})
#define STORE_NULL    ((struct store_param){.type = STORE_PARAM_NULL})
/* An optional integer: binds NULL when `has` is false. */
#define STORE_OPT_INT(has, v) ((has) ? STORE_INT(v) : STORE_NULL)
#define STORE_PARAMS(...)                                                                          \
    (const struct store_param[]){__VA_ARGS__},                                                     \
        sizeof((const struct store_param[]){__VA_ARGS__}) / sizeof(struct store_param)
#define STORE_NO_PARAMS NULL, 0

struct store {
    sqlite3 *db;
    struct clock *clock;
    char *path;
    struct store_cached_stmt *cache;
    size_t n_cache;
    bool in_transaction;
};

/* Returns the cached prepared statement for `sql` with `params` bound. The statement belongs
 * to the store; use it before the next call that takes the same SQL. */
enum pr_code store__query(struct store *st, const char *sql, const struct store_param *params,
                          size_t n_params, sqlite3_stmt **out, struct pr_error *err);

/* Runs a statement that returns no rows. *n_changed (may be NULL) receives the row count. */
enum pr_code store__exec_changes(struct store *st, const char *sql,
                                 const struct store_param *params, size_t n_params,
                                 int64_t *n_changed, struct pr_error *err);
#define store__exec(st, sql, params_and_count, err)                                                \
    store__exec_changes((st), (sql), params_and_count, NULL, (err))

/* Steps a statement from store__query: *has_row is true when a row is available. */
enum pr_code store__step(struct store *st, sqlite3_stmt *stmt, bool *has_row, struct pr_error *err);

/* Row loop helper: steps `stmt` and returns true when a row is available; on an error returns
 * false with *rc set. Usage: while (rc == PR_OK && store__next(st, stmt, &rc, err)) { ... } */
bool store__next(struct store *st, sqlite3_stmt *stmt, enum pr_code *rc, struct pr_error *err);

/* Fills one row from the current row of `stmt`, copying text into `a`. `out` points at the
 * caller's row struct: each repository's reader converts it back to its own type, since calling
 * a function through a pointer of another type is undefined behaviour. */
typedef void (*store_row_reader)(sqlite3_stmt *stmt, struct arena *a, void *out);

/* Runs a query for at most one row and reads it into `out` with `read_row`. PR_NOT_FOUND with
 * the message `not_found` (e.g. "contact not found") when no row comes back. */
enum pr_code store__get(struct store *st, const char *sql, const struct store_param *params,
                        size_t n_params, store_row_reader read_row, struct arena *a, void *out,
                        const char *not_found, struct pr_error *err);

/* Runs a query and reads every row with `read_row` into an array of `row_size` elements in `a`.
 * On success *out receives the array (NULL when there are no rows) and *n_out its length; on
 * an error neither is written. Callers pass the address of a `void *` and convert it. */
enum pr_code store__list(struct store *st, const char *sql, const struct store_param *params,
                         size_t n_params, store_row_reader read_row, size_t row_size,
                         struct arena *a, void **out, size_t *n_out, struct pr_error *err);

/* Runs a query expected to return one integer (e.g. INSERT ... RETURNING id, or COUNT(*)).
 * PR_NOT_FOUND when no row comes back. */
enum pr_code store__query_int(struct store *st, const char *sql, const struct store_param *params,
                              size_t n_params, int64_t *out, struct pr_error *err);

/* Maps a SQLite result code to a pr_error (constraint, busy, read-only, corrupt, ...). */
enum pr_code store__fail(struct store *st, int sqlite_rc, struct pr_error *err);

/* True when `err` came from a foreign-key violation (a reference into another tenant or to a
 * missing row), which repositories report as PR_NOT_FOUND. */
bool store__error_is_foreign_key(const struct pr_error *err);

/* Column readers: text copied into `a` (NULL for SQL NULL); integers with a presence flag. */
char *store__col_text(sqlite3_stmt *stmt, int col, struct arena *a);
int64_t store__col_int(sqlite3_stmt *stmt, int col);
bool store__col_is_null(sqlite3_stmt *stmt, int col);

/* Runs a multi-statement script with no parameters (migrations only). */
enum pr_code store__exec_script(struct store *st, const char *sql, struct pr_error *err);

/* Verifies applied migrations and, when `apply`, applies pending ones (migrate.c). */
enum pr_code store__migrations_check(struct store *st, bool apply, int *n_applied,
                                     struct pr_error *err);

/* A column that store__update may set. */
struct store_column {
    const char *name;
    enum store_param_type type; /* STORE_PARAM_INT or STORE_PARAM_TEXT */
    bool is_nullable;
};

/* Updates one row of `table` (a constant) owned by the tenant: every field name must be in
 * `columns`, integer fields must parse, non-nullable fields must not be NULL, and no field may
 * repeat. Sets updated_at when `has_updated_at`. PR_NOT_FOUND when the row does not exist
 * for this tenant. The SQL is assembled only from `table` and `columns` entries. */
enum pr_code store__update(struct store *st, const struct tenant_ctx *t, const char *table,
                           const struct store_column *columns, size_t n_columns,
                           bool has_updated_at, int64_t id, const struct store_field *fields,
                           size_t n_fields, struct pr_error *err);

/* Returns `rows` (n elements of elem_size in `a`) with room for one more, growing the capacity
 * *cap (start it at 0 with rows NULL) by doubling into `a`. */
void *store__array_grow(struct arena *a, void *rows, size_t n, size_t *cap, size_t elem_size);

/* Validates a limit for list calls: 1..1000, default 50 when 0. */
int store__clamp_limit(int limit);

#endif
