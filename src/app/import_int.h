/* Private interface between the import's files (import.c: the run; import_write.c: identity
 * resolution and writes of one lead). Not for use outside src/app. */
#ifndef PROSPECT_APP_IMPORT_INT_H
#define PROSPECT_APP_IMPORT_INT_H

#include "app/import.h"
#include "core/lead.h"
#include "util/csv.h"

enum import_outcome {
    IMPORT_ACCEPTED,   /* a new contact */
    IMPORT_MERGED,     /* an existing contact gained or changed at least one field */
    IMPORT_DUPLICATE,  /* an existing contact, nothing new */
    IMPORT_SUPPRESSED, /* stored, but on the suppression list: never exported or contacted */
    IMPORT_REJECTED,
};

struct import_run {
    struct app *app;
    const struct app_actor *actor;
    const struct tenant_ctx *t;
    const struct import_options *opt;
    struct arena *arena;     /* lives as long as the result */
    struct arena *row_arena; /* reset after every row */
    const char *source;
    int trust; /* the source's trust rank */
    const char *region;
    struct field_mapping *mapping; /* in `arena`: it outlives the run (import_result) */
    bool has_list;
    int64_t list_id;
    int64_t import_id;
    int64_t started_at; /* provenance time of every value of this import */
    struct import_counts counts;
};

/* Fills `r` for an import by `actor` with `opt` (the tenant's phone region unless the options
 * name one); `a` holds what the run keeps. */
enum pr_code import__init(struct import_run *r, struct app *app, const struct app_actor *actor,
                          const struct tenant_ctx *t, const struct import_options *opt,
                          struct arena *a, struct pr_error *err);

/* SHA-256 (hex) and size of the file at `path`. */
enum pr_code import__hash_file(const char *path, char out[65], int64_t *size, struct pr_error *err);

/* Opens r->opt->path, reads the header and maps it into r->mapping. On failure *reader is
 * NULL and the error says what is wrong with the file. */
enum pr_code import__open(struct import_run *r, struct csv_reader **reader, struct pr_error *err);

/* Creates the import record (status running), its list and source, in the caller's
 * transaction; sets r->import_id, r->trust, r->list_id. */
enum pr_code import__create_record(struct import_run *r, const char *sha, int64_t size,
                                   struct pr_error *err);

/* Imports the reader's next record in the caller's transaction (a record the reader refused
 * becomes a rejected row): *has_record is false at the end of the file. */
enum pr_code import__next(struct import_run *r, struct csv_reader *reader, bool *has_record,
                          struct pr_error *err);

/* Resolves the lead's company and contact against the store, inserts or merges them, applies
 * the suppression list and list membership. Data problems are PR_INVALID/PR_CONFLICT with the
 * reason for the rejects file; anything else is a failure of the import. */
enum pr_code import__write_lead(struct import_run *r, const struct lead *lead,
                                enum import_outcome *outcome, int64_t *contact_id,
                                struct pr_error *err);

#endif
