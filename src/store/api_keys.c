/* API keys repository. Every statement filters on tenant_id, except the prefix lookup that
 * authentication makes before a tenant is known (see api_keys.h). */
#include "store/api_keys.h"

#include "store/store_int.h"

#define KEY_COLUMNS                                                                                \
    "id, tenant_id, name, prefix, token_hash, scopes, created_at, last_used_at, revoked_at"

static const char SQL_INSERT[] =
    "INSERT INTO api_keys (tenant_id, name, prefix, token_hash, scopes, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_BY_PREFIX[] = "SELECT " KEY_COLUMNS " FROM api_keys WHERE prefix = ?";
static const char SQL_GET[] = "SELECT " KEY_COLUMNS " FROM api_keys WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST[] =
    "SELECT " KEY_COLUMNS " FROM api_keys WHERE tenant_id = ? ORDER BY id";
static const char SQL_REVOKE[] =
    "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE tenant_id = ? AND id = ?";
static const char SQL_TOUCH[] =
    "UPDATE api_keys SET last_used_at = ? WHERE tenant_id = ? AND id = ?";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct api_key *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->name = store__col_text(stmt, 2, a);
    out->prefix = store__col_text(stmt, 3, a);
    out->token_hash = store__col_text(stmt, 4, a);
    out->scopes = store__col_text(stmt, 5, a);
    out->created_at = store__col_int(stmt, 6);
    out->last_used_at = store__col_is_null(stmt, 7) ? 0 : store__col_int(stmt, 7);
    out->revoked_at = store__col_is_null(stmt, 8) ? 0 : store__col_int(stmt, 8);
}

enum pr_code store_api_keys_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                   const char *prefix, const char *token_hash, const char *scopes,
                                   int64_t *out_id, struct pr_error *err)
{
    return store__query_int(st, SQL_INSERT,
                            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name),
                                         STORE_TEXT(prefix), STORE_TEXT(token_hash),
                                         STORE_TEXT(scopes), STORE_INT(store_now_ms(st))),
                            out_id, err);
}

enum pr_code store_api_keys_find_by_prefix(struct store *st, const char *prefix, struct arena *a,
                                           struct api_key *out, struct pr_error *err)
{
    return store__get(st, SQL_BY_PREFIX, STORE_PARAMS(STORE_TEXT(prefix)), read_row, a, out,
                      "API key not found", err);
}

enum pr_code store_api_keys_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct arena *a, struct api_key *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "API key not found", err);
}

enum pr_code store_api_keys_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                 struct api_key **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id)), read_row,
                                  sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

static enum pr_code update_one(struct store *st, const char *sql, const struct tenant_ctx *t,
                               int64_t id, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, sql, STORE_PARAMS(STORE_INT(store_now_ms(st)), STORE_INT(t->tenant_id), STORE_INT(id)),
        &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "API key not found");
    return rc;
}

enum pr_code store_api_keys_revoke(struct store *st, const struct tenant_ctx *t, int64_t id,
                                   struct pr_error *err)
{
    return update_one(st, SQL_REVOKE, t, id, err);
}

enum pr_code store_api_keys_touch(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  struct pr_error *err)
{
    return update_one(st, SQL_TOUCH, t, id, err);
}
