/*
 * CSV import: the use case behind `prospect import` and, later, the API's upload. Streams the
 * file, maps headers, normalizes every row (core/lead), resolves identity against what is
 * stored (companies by domain, then folded name with fuzzy matching; contacts by e-mail, then
 * phone, then name at the company), merges with survivorship rules, flags suppressed leads and
 * records each row's outcome. Rows are written in batches, each row inside a savepoint, so a
 * bad row is rejected on its own and never skews the counts or aborts the import.
 */
#ifndef PROSPECT_APP_IMPORT_H
#define PROSPECT_APP_IMPORT_H

#include "app/app.h"
#include "core/fields.h"
#include "core/geo.h"
#include "core/score.h"
#include "store/imports.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct import_options {
    const char *path;      /* the CSV file */
    const char *source;    /* provenance name; NULL: the file's base name */
    int source_trust;      /* survivorship rank of the source, 0..100 (default 50) */
    const char *list_name; /* NULL: no list; created when missing */
    const struct mapping_override *overrides; /* from a mapping file; may be NULL */
    size_t n_overrides;
    const char *default_region;   /* phone region for rows without a country; NULL: tenant's */
    double fuzzy_threshold;       /* company name similarity for a match (0: default 0.92) */
    const struct geo_index *zips; /* for ZIP-derived time zone and county; may be NULL */
    const struct icp *icp;        /* score new and merged contacts with it; NULL: no scoring */
    bool force;                   /* import again even when this file was imported */
    int batch_size;               /* rows per transaction (0: 10000) */
    /* Progress, called after each batch: bytes read of the total, counts so far. */
    void (*on_progress)(void *ctx, uint64_t bytes_done, uint64_t bytes_total,
                        const struct import_counts *counts);
    void *progress_ctx;
};

struct import_result {
    int64_t import_id;
    bool was_already_imported; /* the same file and source was imported before: nothing done */
    struct import_counts counts;
    const struct field_mapping *mapping; /* in the arena passed to app_import_run */
    char delimiter;
    const char *encoding;
};

/* Runs an import. A file that cannot be read at all (missing, not text, no header) fails with
 * an error and no import record; once rows are being read, row problems become rejected rows.
 * `a` holds what `out` points to. */
enum pr_code app_import_run(struct app *app, const struct app_actor *actor,
                            const struct tenant_ctx *t, const struct import_options *opt,
                            struct arena *a, struct import_result *out, struct pr_error *err);

/*
 * The same import split into chunks (pipeline runs, app/pipeline.h): plan the file, create the
 * import record, import record ranges each inside the caller's transaction (so a range's rows
 * commit together with whatever marks the range done), complete. Every call re-reads the file
 * from the start, so the file must not change during the import (the plan's SHA-256 is checked
 * by app_import_records).
 */
struct import_plan {
    char sha256[65];
    int64_t file_size;
    int64_t n_records;         /* data records, unreadable ones included */
    bool was_already_imported; /* then import_id is the completed import and nothing is to do */
    int64_t import_id;
};

/* Reads the whole file once: hash, header mapping (errors as app_import_run), record count. No
 * writes. */
enum pr_code app_import_plan(struct app *app, const struct tenant_ctx *t,
                             const struct import_options *opt, struct import_plan *out,
                             struct pr_error *err);

/* Creates the import record (running) in the caller's transaction. */
enum pr_code app_import_create(struct app *app, const struct app_actor *actor,
                               const struct tenant_ctx *t, const struct import_options *opt,
                               const struct import_plan *plan, int64_t *import_id,
                               struct pr_error *err);

/* Imports data records [first, first + n) of the file into import `import_id`, in the caller's
 * transaction, and adds their outcomes to the import's counts; *counts (may be NULL) receives
 * this range's. PR_CONFLICT when the file changed since the import was created. */
enum pr_code app_import_records(struct app *app, const struct app_actor *actor,
                                const struct tenant_ctx *t, const struct import_options *opt,
                                int64_t import_id, int64_t first, int64_t n,
                                struct import_counts *counts, struct pr_error *err);

/* Marks the import completed, in the caller's transaction. */
enum pr_code app_import_complete(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, int64_t import_id,
                                 struct pr_error *err);

/* Writes the rejected rows of an import as CSV: the original header plus an "error" column
 * with the reason and the line number. */
enum pr_code app_import_write_rejects(struct app *app, const struct tenant_ctx *t,
                                      int64_t import_id, FILE *out, struct pr_error *err);

#endif
