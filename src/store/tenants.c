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

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct tenant *out = row;

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

enum pr_code store_tenants_get(struct store *st, int64_t id, struct arena *a, struct tenant *out,
                               struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(id)), read_row, a, out,
                      "tenant not found", err);
}

enum pr_code store_tenants_get_by_slug(struct store *st, const char *slug, struct arena *a,
                                       struct tenant *out, struct pr_error *err)
{
    return store__get(st, SQL_GET_BY_SLUG, STORE_PARAMS(STORE_TEXT(slug)), read_row, a, out,
                      "tenant not found", err);
}

enum pr_code store_tenants_list(struct store *st, struct arena *a, struct tenant **out,
                                size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc =
        store__list(st, SQL_LIST, STORE_NO_PARAMS, read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}
