/*
 * Tenants: the unit of isolation. Tenants are not tenant-owned, so these functions take no
 * tenant context; only operator paths (CLI, admin) call them.
 */
#ifndef PROSPECT_STORE_TENANTS_H
#define PROSPECT_STORE_TENANTS_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct tenant {
    int64_t id;
    char *slug; /* lower-case [a-z0-9-], unique */
    char *name;
    char *status;       /* active | suspended */
    char *phone_region; /* default region for phone numbers, e.g. "US" */
    int64_t created_at;
};

/* Creates a tenant; PR_CONFLICT when the slug is taken, PR_INVALID for a bad slug/name. */
enum pr_code store_tenants_create(struct store *st, const char *slug, const char *name,
                                  const char *phone_region, int64_t *out_id, struct pr_error *err);

/* Reads one tenant; strings live in `a`. PR_NOT_FOUND when missing. */
enum pr_code store_tenants_get(struct store *st, int64_t id, struct arena *a, struct tenant *out,
                               struct pr_error *err);
enum pr_code store_tenants_get_by_slug(struct store *st, const char *slug, struct arena *a,
                                       struct tenant *out, struct pr_error *err);

/* All tenants ordered by id; the array and strings live in `a`. */
enum pr_code store_tenants_list(struct store *st, struct arena *a, struct tenant **out,
                                size_t *n_out, struct pr_error *err);

#endif
