/*
 * API keys. Only a SHA-256 hash of the token is stored (tokens are 256-bit random, so a fast
 * hash is as strong as a slow one here) with a short public prefix used to find the row.
 */
#ifndef PROSPECT_STORE_API_KEYS_H
#define PROSPECT_STORE_API_KEYS_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct api_key {
    int64_t id;
    int64_t tenant_id;
    char *name;
    char *prefix;
    char *token_hash; /* hex SHA-256 of the whole token */
    char *scopes;     /* canonical "read,write,admin" form */
    int64_t created_at;
    int64_t last_used_at; /* 0 when never */
    int64_t revoked_at;   /* 0 when active */
};

enum pr_code store_api_keys_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                   const char *prefix, const char *token_hash, const char *scopes,
                                   int64_t *out_id, struct pr_error *err);

/* Finds a key by its public prefix across tenants: this is the authentication lookup, before
 * any tenant is known. The caller must compare token_hash in constant time and check
 * revoked_at. PR_NOT_FOUND when no key has the prefix. */
enum pr_code store_api_keys_find_by_prefix(struct store *st, const char *prefix, struct arena *a,
                                           struct api_key *out, struct pr_error *err);

enum pr_code store_api_keys_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct arena *a, struct api_key *out, struct pr_error *err);
enum pr_code store_api_keys_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                 struct api_key **out, size_t *n_out, struct pr_error *err);

/* Revokes a key (idempotent: revoking a revoked key keeps the first time). */
enum pr_code store_api_keys_revoke(struct store *st, const struct tenant_ctx *t, int64_t id,
                                   struct pr_error *err);

/* Records a use of the key (last_used_at = now). */
enum pr_code store_api_keys_touch(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  struct pr_error *err);

#endif
