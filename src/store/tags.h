/* Tags and their assignment to contacts. */
#ifndef PROSPECT_STORE_TAGS_H
#define PROSPECT_STORE_TAGS_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct tag {
    int64_t id;
    int64_t tenant_id;
    char *name;
    int64_t created_at;
};

enum pr_code store_tags_create(struct store *st, const struct tenant_ctx *t, const char *name,
                               int64_t *out_id, struct pr_error *err);
enum pr_code store_tags_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                            struct arena *a, struct tag *out, struct pr_error *err);
enum pr_code store_tags_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                             struct tag **out, size_t *n_out, struct pr_error *err);
/* Renames a tag. */
enum pr_code store_tags_rename(struct store *st, const struct tenant_ctx *t, int64_t id,
                               const char *name, struct pr_error *err);
enum pr_code store_tags_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct pr_error *err);
/* Tags a contact (idempotent); PR_NOT_FOUND when the tag or contact is not the tenant's. */
enum pr_code store_tags_attach(struct store *st, const struct tenant_ctx *t, int64_t tag_id,
                               int64_t contact_id, struct pr_error *err);
/* Removes a tag from a contact; PR_NOT_FOUND when the contact did not have it. */
enum pr_code store_tags_detach(struct store *st, const struct tenant_ctx *t, int64_t tag_id,
                               int64_t contact_id, struct pr_error *err);
/* Tags of one contact, by name; empty when it has none or is not the tenant's. */
enum pr_code store_tags_of_contact(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                   struct arena *a, struct tag **out, size_t *n_out,
                                   struct pr_error *err);

#endif
