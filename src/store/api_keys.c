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

static void read_row(sqlite3_stmt *stmt, struct arena *a, struct api_key *out)
{
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

static enum pr_code get_one(struct store *st, const char *sql, const struct store_param *params,
                            size_t n_params, struct arena *a, struct api_key *out,
                            struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc = store__query(st, sql, params, n_params, &stmt, err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && !has_row)
        rc = pr_error_set(err, PR_NOT_FOUND, "API key not found");
    if (rc == PR_OK)
        read_row(stmt, a, out);
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
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
    return get_one(st, SQL_BY_PREFIX, STORE_PARAMS(STORE_TEXT(prefix)), a, out, err);
}

enum pr_code store_api_keys_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct arena *a, struct api_key *out, struct pr_error *err)
{
    return get_one(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), a, out, err);
}

enum pr_code store_api_keys_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                 struct api_key **out, size_t *n_out, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    size_t n = 0, cap = 0;
    struct api_key *rows = NULL;
    enum pr_code rc = store__query(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id)), &stmt, err);

    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        rows = store__array_grow(a, rows, n, &cap, sizeof *rows);
        read_row(stmt, a, &rows[n++]);
    }
    if (rc == PR_OK) {
        *out = rows;
        *n_out = n;
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
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
