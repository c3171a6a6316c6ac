/* Lead scores: the latest score and breakdown on the contact, and the history of scores. */
#ifndef PROSPECT_STORE_SCORES_H
#define PROSPECT_STORE_SCORES_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct score_entry {
    int64_t contact_id;
    int64_t score;
    char *breakdown;   /* JSON */
    char *icp_version; /* which ICP produced it */
    int64_t scored_at;
};

/* Sets the contact's score and breakdown and appends a history entry, in the caller's
 * transaction. PR_NOT_FOUND when the contact is not the tenant's. */
enum pr_code store_scores_record(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                 int score, const char *breakdown_json, const char *icp_version,
                                 struct pr_error *err);
/* History of one contact, oldest first. PR_NOT_FOUND when the contact is not the tenant's. */
enum pr_code store_scores_history(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                  struct arena *a, struct score_entry **out, size_t *n_out,
                                  struct pr_error *err);

#endif
