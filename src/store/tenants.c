/* Tenants repository. */
#include "store/tenants.h"

#include "store/store_int.h"

static const char SQL_INSERT[] =
    "INSERT INTO tenants (slug, name, phone_region, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] = "SELECT id, slug, name, status, phone_region, created_at "
                              "FROM tenants WHERE id = ?";
static const char SQL_GET_BY_SLUG[] = "SELECT id, slug, name, status, phone_region, created_at "
                                      "FROM tenants WHERE slug = ?";
static const char SQL_LIST[] = "SELECT id, slug, name, status, phone_region, created_at "
                               "FROM tenants ORDER BY id";

static void read_row(sqlite3_stmt *stmt, struct arena *a, struct tenant *out)
{
    out->id = store__col_int(stmt, 0);
    out->slug = store__col_text(stmt, 1, a);
    out->name = store__col_text(stmt, 2, a);
    out->status = store__col_text(stmt, 3, a);
    out->phone_region = store__col_text(stmt, 4, a);
    out->created_at = store__col_int(stmt, 5);
}

enum pr_code store_tenants_create(struct store *st, const char *slug, const char *name,
                                  const char *phone_region, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);

    return store__query_int(st, SQL_INSERT,
                            STORE_PARAMS(STORE_TEXT(slug), STORE_TEXT(name),
                                         STORE_TEXT(phone_region ? phone_region : "US"),
                                         STORE_INT(now), STORE_INT(now)),
                            out_id, err);
}

static enum pr_code get_one(struct store *st, const char *sql, const struct store_param *params,
                            size_t n_params, struct arena *a, struct tenant *out,
                            struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc = store__query(st, sql, params, n_params, &stmt, err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && !has_row)
        rc = pr_error_set(err, PR_NOT_FOUND, "tenant not found");
    if (rc == PR_OK)
        read_row(stmt, a, out);
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store_tenants_get(struct store *st, int64_t id, struct arena *a, struct tenant *out,
                               struct pr_error *err)
{
    return get_one(st, SQL_GET, STORE_PARAMS(STORE_INT(id)), a, out, err);
}

enum pr_code store_tenants_get_by_slug(struct store *st, const char *slug, struct arena *a,
                                       struct tenant *out, struct pr_error *err)
{
    return get_one(st, SQL_GET_BY_SLUG, STORE_PARAMS(STORE_TEXT(slug)), a, out, err);
}

enum pr_code store_tenants_list(struct store *st, struct arena *a, struct tenant **out,
                                size_t *n_out, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    size_t n = 0, cap = 0;
    struct tenant *rows = NULL;
    enum pr_code rc = store__query(st, SQL_LIST, STORE_NO_PARAMS, &stmt, err);

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
