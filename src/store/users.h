/* Users of a tenant: dashboard logins with a role and an argon2id password hash. */
#ifndef PROSPECT_STORE_USERS_H
#define PROSPECT_STORE_USERS_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct user {
    int64_t id;
    int64_t tenant_id;
    char *email;
    char *name;
    char *role;          /* owner | admin | member | viewer */
    char *status;        /* active | disabled */
    char *password_hash; /* argon2id string, NULL when no password is set */
    int64_t created_at;
    int64_t last_login_at; /* 0 when never */
};

/* Creates a user. `email_norm` is the matching key (unique per tenant: PR_CONFLICT). */
enum pr_code store_users_create(struct store *st, const struct tenant_ctx *t, const char *email,
                                const char *email_norm, const char *name, const char *role,
                                const char *password_hash, int64_t *out_id, struct pr_error *err);
enum pr_code store_users_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                             struct arena *a, struct user *out, struct pr_error *err);
enum pr_code store_users_find_by_email(struct store *st, const struct tenant_ctx *t,
                                       const char *email_norm, struct arena *a, struct user *out,
                                       struct pr_error *err);
enum pr_code store_users_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                              struct user **out, size_t *n_out, struct pr_error *err);
enum pr_code store_users_set_password(struct store *st, const struct tenant_ctx *t, int64_t id,
                                      const char *password_hash, struct pr_error *err);
/* Partial update; updatable fields: name, role, status. */
enum pr_code store_users_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const struct store_field *fields, size_t n_fields,
                                struct pr_error *err);
enum pr_code store_users_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct pr_error *err);

#endif
