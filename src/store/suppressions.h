/*
 * The tenant suppression list: e-mail addresses, phone numbers (E.164) and domains that must
 * never be contacted or exported. Values are stored normalized by the caller.
 */
#ifndef PROSPECT_STORE_SUPPRESSIONS_H
#define PROSPECT_STORE_SUPPRESSIONS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct suppression {
    int64_t id;
    int64_t tenant_id;
    char *kind; /* email | phone | domain */
    char *value;
    char *reason; /* unsubscribe | bounce | complaint | manual | do_not_call | legal | other */
    char *source;
    int64_t created_at;
};

/* Adds an entry. Adding an existing (kind, value) is not an error: *out_id gets the existing
 * id and *was_new (may be NULL) is false. */
enum pr_code store_suppressions_add(struct store *st, const struct tenant_ctx *t, const char *kind,
                                    const char *value, const char *reason, const char *source,
                                    int64_t *out_id, bool *was_new, struct pr_error *err);
enum pr_code store_suppressions_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct arena *a, struct suppression *out, struct pr_error *err);
/* True in *is_suppressed when (kind, value) is on the tenant's list. */
enum pr_code store_suppressions_check(struct store *st, const struct tenant_ctx *t,
                                      const char *kind, const char *value, bool *is_suppressed,
                                      struct pr_error *err);
/* Keyset page by ascending id; `kind` NULL for all kinds. */
enum pr_code store_suppressions_list(struct store *st, const struct tenant_ctx *t, const char *kind,
                                     int64_t after_id, int limit, struct arena *a,
                                     struct suppression **out, size_t *n_out, struct pr_error *err);
/* Recomputes contacts.is_suppressed for the tenant's contacts that (kind, value) touches (the
 * e-mail, the phone, or the e-mail or company domain), from the whole suppression list, so it
 * serves after an add and after a remove. *n_changed (may be NULL) counts changed contacts. */
enum pr_code store_suppressions_refresh_contacts(struct store *st, const struct tenant_ctx *t,
                                                 const char *kind, const char *value,
                                                 int64_t *n_changed, struct pr_error *err);
enum pr_code store_suppressions_remove(struct store *st, const struct tenant_ctx *t, int64_t id,
                                       struct pr_error *err);

#endif
