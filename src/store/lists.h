/* Named lists of contacts and their members. */
#ifndef PROSPECT_STORE_LISTS_H
#define PROSPECT_STORE_LISTS_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct contact_list {
    int64_t id;
    int64_t tenant_id;
    char *name;
    char *description;
    int64_t n_members;
    int64_t created_at;
};

enum pr_code store_lists_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                const char *description, int64_t *out_id, struct pr_error *err);
enum pr_code store_lists_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                             struct arena *a, struct contact_list *out, struct pr_error *err);
enum pr_code store_lists_find_by_name(struct store *st, const struct tenant_ctx *t,
                                      const char *name, struct arena *a, struct contact_list *out,
                                      struct pr_error *err);
/* All lists of the tenant by name, with member counts. */
enum pr_code store_lists_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                              struct contact_list **out, size_t *n_out, struct pr_error *err);
/* Partial update; updatable: name, description. */
enum pr_code store_lists_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const struct store_field *fields, size_t n_fields,
                                struct pr_error *err);
enum pr_code store_lists_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct pr_error *err);

/* Adds a contact to a list (idempotent). PR_NOT_FOUND when either is not the tenant's. */
enum pr_code store_lists_add_member(struct store *st, const struct tenant_ctx *t, int64_t list_id,
                                    int64_t contact_id, struct pr_error *err);
/* Removes a member; PR_NOT_FOUND when it was not a member. */
enum pr_code store_lists_remove_member(struct store *st, const struct tenant_ctx *t,
                                       int64_t list_id, int64_t contact_id, struct pr_error *err);
/* Keyset page of member contact ids (ascending, greater than after_contact_id). PR_NOT_FOUND
 * when the list is not the tenant's. */
enum pr_code store_lists_members(struct store *st, const struct tenant_ctx *t, int64_t list_id,
                                 int64_t after_contact_id, int limit, struct arena *a,
                                 int64_t **out_contact_ids, size_t *n_out, struct pr_error *err);

#endif
