/*
 * Imports and their per-row outcomes. An import row is created "running" before the first
 * row is written and its counts advance with every committed batch, so progress survives a
 * crash; a completed import of the same file content and source makes a re-import a no-op.
 */
#ifndef PROSPECT_STORE_IMPORTS_H
#define PROSPECT_STORE_IMPORTS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct import_counts {
    int64_t n_rows;
    int64_t n_accepted;
    int64_t n_merged;
    int64_t n_duplicate;
    int64_t n_suppressed;
    int64_t n_rejected;
};

struct import_record {
    int64_t id;
    int64_t tenant_id;
    char *file_name;
    char *file_sha256;
    int64_t file_size;
    char *source;
    bool has_list;
    int64_t list_id;
    char *status; /* running | completed | failed */
    struct import_counts counts;
    char *mapping; /* JSON: header -> field */
    char *error;
    int64_t started_at;
    int64_t finished_at; /* 0 while running */
};

/* Outcome of one row: accepted | merged | duplicate | suppressed | rejected. */
struct import_row {
    int64_t line;
    char *outcome;
    bool has_contact;
    int64_t contact_id;
    char *reason; /* rejected rows only */
    char *raw;    /* rejected rows only: the row as CSV, for the rejects file */
};

enum pr_code store_imports_create(struct store *st, const struct tenant_ctx *t,
                                  const char *file_name, const char *file_sha256, int64_t file_size,
                                  const char *source, bool has_list, int64_t list_id,
                                  const char *mapping_json, int64_t *out_id, struct pr_error *err);
/* The completed import of this content and source; PR_NOT_FOUND when there is none. */
enum pr_code store_imports_find_completed(struct store *st, const struct tenant_ctx *t,
                                          const char *file_sha256, const char *source,
                                          int64_t *out_id, struct pr_error *err);
enum pr_code store_imports_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct arena *a, struct import_record *out, struct pr_error *err);
/* Newest first, ids below before_id (0: from the newest). */
enum pr_code store_imports_list(struct store *st, const struct tenant_ctx *t, int64_t before_id,
                                int limit, struct arena *a, struct import_record **out,
                                size_t *n_out, struct pr_error *err);
/* Sets the counts (they must add up: the database checks). */
enum pr_code store_imports_set_counts(struct store *st, const struct tenant_ctx *t, int64_t id,
                                      const struct import_counts *counts, struct pr_error *err);
/* Marks the import completed or failed (with an error message). */
enum pr_code store_imports_finish(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  bool is_success, const char *error, struct pr_error *err);
/* Records the outcome of one row. */
enum pr_code store_imports_add_row(struct store *st, const struct tenant_ctx *t, int64_t import_id,
                                   const struct import_row *row, struct pr_error *err);
/* Keyset page of rows with line > after_line; `outcome` NULL for all outcomes. PR_NOT_FOUND
 * when the import is not the tenant's. */
enum pr_code store_imports_rows(struct store *st, const struct tenant_ctx *t, int64_t import_id,
                                const char *outcome, int64_t after_line, int limit, struct arena *a,
                                struct import_row **out, size_t *n_out, struct pr_error *err);

#endif
