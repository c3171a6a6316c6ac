/* Private interface between the import's files (import.c: the run; import_write.c: identity
 * resolution and writes of one lead). Not for use outside src/app. */
#ifndef PROSPECT_APP_IMPORT_INT_H
#define PROSPECT_APP_IMPORT_INT_H

#include "app/import.h"
#include "core/lead.h"

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

/* Resolves the lead's company and contact against the store, inserts or merges them, applies
 * the suppression list and list membership. Data problems are PR_INVALID/PR_CONFLICT with the
 * reason for the rejects file; anything else is a failure of the import. */
enum pr_code import__write_lead(struct import_run *r, const struct lead *lead,
                                enum import_outcome *outcome, int64_t *contact_id,
                                struct pr_error *err);

#endif
