/*
 * API keys: issuing, revoking and authenticating. A token looks like
 *   prospect_<prefix>_<secret>
 * where <prefix> is 8 random characters [a-z0-9] (public, stored, used to find the key) and
 * <secret> is 32 random bytes in base64url (43 characters). Only the SHA-256 of the whole
 * token is stored; the token is shown once, at creation.
 */
#ifndef PROSPECT_APP_KEYS_H
#define PROSPECT_APP_KEYS_H

#include "app/app.h"
#include "store/api_keys.h"
#include "util/arena.h"

#include <stdint.h>

#define APP_KEY_TOKEN_SIZE 72 /* "prospect_" + 8 + "_" + 43 + NUL = 62, with room to spare */

struct app_new_key {
    int64_t id;
    char prefix[9];
    char token[APP_KEY_TOKEN_SIZE]; /* wipe with explicit_bzero after showing it */
};

/* Issues a key for the tenant with the given scopes text ("read,write"); audited. */
enum pr_code app_keys_create(struct app *app, const struct app_actor *actor,
                             const struct tenant_ctx *t, const char *name, const char *scopes,
                             struct app_new_key *out, struct pr_error *err);

/* Revokes a key of the tenant, effective for the next request; audited. */
enum pr_code app_keys_revoke(struct app *app, const struct app_actor *actor,
                             const struct tenant_ctx *t, int64_t key_id, struct pr_error *err);

/* The tenant's keys, oldest first, revoked ones included (never a token or hash a caller
 * could use: only the stored SHA-256). Rows live in `a`. Store errors only. */
enum pr_code app_keys_list(struct app *app, const struct tenant_ctx *t, struct arena *a,
                           struct api_key **out, size_t *n_out, struct pr_error *err);

/* The identity a valid key grants. */
struct app_principal {
    int64_t tenant_id;
    int64_t key_id;
    unsigned scopes; /* enum access_scope bits */
};

/* Authenticates a presented token: shape check, lookup by prefix, constant-time comparison of
 * the hash, revocation and tenant status. Every failure is the same PR_AUTH "invalid API key"
 * so that callers cannot tell which part was wrong. Records last use. */
enum pr_code app_keys_authenticate(struct app *app, const char *token, struct app_principal *out,
                                   struct pr_error *err);

#endif
