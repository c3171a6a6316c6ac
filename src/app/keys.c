/* API key use cases. */
#include "app/keys.h"

#include "core/access.h"
#include "store/api_keys.h"
#include "store/tenants.h"
#include "util/arena.h"
#include "util/crypto.h"

#include <stdio.h>
#include <string.h>

#define TOKEN_PREFIX "prospect_"
#define PREFIX_LEN   8
#define SECRET_BYTES 32
#define SECRET_LEN   43

static void random_prefix(char out[PREFIX_LEN + 1])
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    char raw[32];
    size_t i;

    /* 8 characters from a 36-letter alphabet: ~41 bits, enough for a unique lookup handle;
     * the secret half carries the security. Modulo bias is irrelevant for a handle. */
    crypto_random_token(16, raw, sizeof raw);
    for (i = 0; i < PREFIX_LEN; i++)
        out[i] = alphabet[(unsigned char)raw[i] % (sizeof alphabet - 1)];
    out[PREFIX_LEN] = '\0';
}

enum pr_code app_keys_create(struct app *app, const struct app_actor *actor,
                             const struct tenant_ctx *t, const char *name, const char *scopes,
                             struct app_new_key *out, struct pr_error *err)
{
    unsigned scope_bits = 0;
    char canonical[32], secret[48], hash[65], detail[160];
    enum pr_code rc;
    int attempt;

    rc = access_scopes_parse(scopes, &scope_bits, err);
    if (rc != PR_OK)
        return rc;
    access_scopes_format(scope_bits, canonical, sizeof canonical);
    if (name == NULL || name[0] == '\0' || strlen(name) > 100) {
        pr_error_set(err, PR_INVALID, "key name must be 1 to 100 characters");
        return pr_error_hint(err, "name keys after where they are used, e.g. \"crm-sync\"");
    }
    /* A prefix collision is possible in principle; retry with a fresh one. */
    for (attempt = 0; attempt < 3; attempt++) {
        random_prefix(out->prefix);
        crypto_random_token(SECRET_BYTES, secret, sizeof secret);
        (void)snprintf(out->token, sizeof out->token, TOKEN_PREFIX "%s_%s", out->prefix, secret);
        explicit_bzero(secret, sizeof secret);
        crypto_sha256_hex(out->token, strlen(out->token), hash, sizeof hash);
        rc = store_begin(app->st, err);
        if (rc != PR_OK)
            return rc;
        rc = store_api_keys_create(app->st, t, name, out->prefix, hash, canonical, &out->id, err);
        if (rc == PR_OK) {
            (void)snprintf(detail, sizeof detail, "{\"prefix\":\"%s\",\"scopes\":\"%s\"}",
                           out->prefix, canonical);
            rc = app_audit(app, actor, t, "api_key.create", "api_key", out->id, detail, err);
        }
        if (rc == PR_OK)
            return store_commit(app->st, err);
        store_rollback(app->st);
        if (rc != PR_CONFLICT)
            break;
    }
    explicit_bzero(out->token, sizeof out->token);
    return rc;
}

enum pr_code app_keys_revoke(struct app *app, const struct app_actor *actor,
                             const struct tenant_ctx *t, int64_t key_id, struct pr_error *err)
{
    enum pr_code rc = store_begin(app->st, err);

    if (rc != PR_OK)
        return rc;
    rc = store_api_keys_revoke(app->st, t, key_id, err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "api_key.revoke", "api_key", key_id, NULL, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}

enum pr_code app_keys_list(struct app *app, const struct tenant_ctx *t, struct arena *a,
                           struct api_key **out, size_t *n_out, struct pr_error *err)
{
    return store_api_keys_list(app->st, t, a, out, n_out, err);
}

static bool token_has_shape(const char *token)
{
    size_t i, len = strlen(token);

    if (len != strlen(TOKEN_PREFIX) + PREFIX_LEN + 1 + SECRET_LEN ||
        strncmp(token, TOKEN_PREFIX, strlen(TOKEN_PREFIX)) != 0 ||
        token[strlen(TOKEN_PREFIX) + PREFIX_LEN] != '_')
        return false;
    for (i = strlen(TOKEN_PREFIX); i < strlen(TOKEN_PREFIX) + PREFIX_LEN; i++)
        if (!((token[i] >= 'a' && token[i] <= 'z') || (token[i] >= '0' && token[i] <= '9')))
            return false;
    return true;
}

enum pr_code app_keys_authenticate(struct app *app, const char *token, struct app_principal *out,
                                   struct pr_error *err)
{
    struct arena *a = arena_new(1024);
    struct api_key key;
    struct tenant tenant;
    struct tenant_ctx t;
    struct pr_error inner;
    char prefix[PREFIX_LEN + 1], hash[65];
    unsigned scopes = 0;
    enum pr_code rc = PR_AUTH;

    if (!token_has_shape(token))
        goto out;
    memcpy(prefix, token + strlen(TOKEN_PREFIX), PREFIX_LEN);
    prefix[PREFIX_LEN] = '\0';
    crypto_sha256_hex(token, strlen(token), hash, sizeof hash);
    rc = store_api_keys_find_by_prefix(app->st, prefix, a, &key, &inner);
    if (rc != PR_OK) {
        if (rc != PR_NOT_FOUND) { /* a database failure is not an authentication failure */
            *err = inner;
            goto out;
        }
        rc = PR_AUTH;
        goto out;
    }
    rc = PR_AUTH;
    if (!crypto_equal(hash, 64, key.token_hash, strlen(key.token_hash)) || key.revoked_at != 0)
        goto out;
    if (store_tenants_get(app->st, key.tenant_id, a, &tenant, &inner) != PR_OK ||
        strcmp(tenant.status, "active") != 0)
        goto out;
    if (access_scopes_parse(key.scopes, &scopes, &inner) != PR_OK)
        goto out;
    t.tenant_id = key.tenant_id;
    rc = store_api_keys_touch(app->st, &t, key.id, err);
    if (rc != PR_OK)
        goto out;
    out->tenant_id = key.tenant_id;
    out->key_id = key.id;
    out->scopes = scopes;
out:
    if (rc == PR_AUTH) {
        pr_error_set(err, PR_AUTH, "invalid API key");
        pr_error_hint(err, "check the key, or issue a new one with `prospect key create`");
    }
    arena_free(a);
    return rc;
}
