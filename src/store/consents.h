/* Consent records per contact and channel: an append-only history; the latest record wins. */
#ifndef PROSPECT_STORE_CONSENTS_H
#define PROSPECT_STORE_CONSENTS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct consent {
    int64_t id;
    int64_t tenant_id;
    int64_t contact_id;
    char *channel; /* email | sms | call | linkedin */
    char *status;  /* granted | revoked */
    char *source;
    char *evidence; /* free text or JSON, may be NULL */
    int64_t recorded_at;
};

/* Appends a record. PR_NOT_FOUND when the contact is not the tenant's. */
enum pr_code store_consents_record(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                   const char *channel, const char *status, const char *source,
                                   const char *evidence, int64_t *out_id, struct pr_error *err);
/* The latest record for (contact, channel); *found false when there is none (also when the
 * contact is not the tenant's). */
enum pr_code store_consents_latest(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                   const char *channel, struct arena *a, struct consent *out,
                                   bool *found, struct pr_error *err);
/* Full history of a contact, oldest first; empty when the contact is not the tenant's. */
enum pr_code store_consents_list(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                 struct arena *a, struct consent **out, size_t *n_out,
                                 struct pr_error *err);

#endif
