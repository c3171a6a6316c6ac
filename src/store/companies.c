/*
 * Companies repository. Every statement filters on tenant_id. A company of another tenant is
 * "company not found", exactly like a missing one. Deleting a company first detaches its
 * contacts (contacts.company_id has no ON DELETE action, so the delete would otherwise fail).
 */
#include "store/companies.h"

#include "store/store_int.h"

#include <string.h>

#define COMPANY_COLUMNS                                                                            \
    "id, tenant_id, name, name_folded, domain, website, phone, industry, sic, naics, "             \
    "employees, revenue_usd, city, state, zip, country, linkedin_url, custom_fields, "             \
    "created_at, updated_at, sector, county, provenance"

static const char SQL_INSERT[] =
    "INSERT INTO companies (tenant_id, name, name_folded, domain, website, phone, industry, "
    "sic, naics, employees, revenue_usd, city, state, zip, country, linkedin_url, "
    "custom_fields, created_at, updated_at, sector, county, provenance) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] =
    "SELECT " COMPANY_COLUMNS " FROM companies WHERE tenant_id = ? AND id = ?";
static const char SQL_BY_DOMAIN[] =
    "SELECT " COMPANY_COLUMNS " FROM companies WHERE tenant_id = ? AND domain = ?";
static const char SQL_LIST[] = "SELECT " COMPANY_COLUMNS " FROM companies "
                               "WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?";
/* A prefix range on the (tenant_id, name_folded) index: name_folded >= prefix AND
 * name_folded < prefix || U+10FFFF... spelled with the highest byte so both SQLite and
 * PostgreSQL (C collation) use the index. */
static const char SQL_CANDIDATES[] =
    "SELECT id, name_folded, city, state FROM companies WHERE tenant_id = ? "
    "AND name_folded >= ? AND name_folded < ? ORDER BY name_folded, id LIMIT ?";
static const char SQL_BY_ZIP[] = "SELECT " COMPANY_COLUMNS " FROM companies WHERE tenant_id = ? "
                                 "AND zip = ? AND id > ? ORDER BY id LIMIT ?";
/* One statement per grouping column: the column is chosen from this fixed set, never from
 * input. */
#define SECTOR_COUNTS(column)                                                                      \
    "SELECT sector, " column                                                                       \
    ", count(*) FROM companies WHERE tenant_id = ? GROUP BY sector, " column                       \
    " ORDER BY sector, count(*) DESC, " column
static const char SQL_COUNTS_BY_STATE[] = SECTOR_COUNTS("state");
static const char SQL_COUNTS_BY_COUNTY[] = SECTOR_COUNTS("county");
static const char SQL_COUNTS_BY_CITY[] = SECTOR_COUNTS("city");
static const char SQL_DETACH_CONTACTS[] = "UPDATE contacts SET company_id = NULL, updated_at = ? "
                                          "WHERE tenant_id = ? AND company_id = ?";
static const char SQL_DELETE[] = "DELETE FROM companies WHERE tenant_id = ? AND id = ?";

static const struct store_column updatable[] = {
    {"name", STORE_PARAM_TEXT, false},        {"name_folded", STORE_PARAM_TEXT, false},
    {"domain", STORE_PARAM_TEXT, true},       {"website", STORE_PARAM_TEXT, true},
    {"phone", STORE_PARAM_TEXT, true},        {"industry", STORE_PARAM_TEXT, true},
    {"sic", STORE_PARAM_TEXT, true},          {"naics", STORE_PARAM_TEXT, true},
    {"employees", STORE_PARAM_INT, true},     {"revenue_usd", STORE_PARAM_INT, true},
    {"city", STORE_PARAM_TEXT, true},         {"state", STORE_PARAM_TEXT, true},
    {"zip", STORE_PARAM_TEXT, true},          {"country", STORE_PARAM_TEXT, true},
    {"linkedin_url", STORE_PARAM_TEXT, true}, {"custom_fields", STORE_PARAM_TEXT, false},
    {"sector", STORE_PARAM_TEXT, true},       {"county", STORE_PARAM_TEXT, true},
    {"provenance", STORE_PARAM_TEXT, false},
};

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct company *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->name = store__col_text(stmt, 2, a);
    out->name_folded = store__col_text(stmt, 3, a);
    out->domain = store__col_text(stmt, 4, a);
    out->website = store__col_text(stmt, 5, a);
    out->phone = store__col_text(stmt, 6, a);
    out->industry = store__col_text(stmt, 7, a);
    out->sic = store__col_text(stmt, 8, a);
    out->naics = store__col_text(stmt, 9, a);
    out->has_employees = !store__col_is_null(stmt, 10);
    out->employees = out->has_employees ? store__col_int(stmt, 10) : 0;
    out->has_revenue_usd = !store__col_is_null(stmt, 11);
    out->revenue_usd = out->has_revenue_usd ? store__col_int(stmt, 11) : 0;
    out->city = store__col_text(stmt, 12, a);
    out->state = store__col_text(stmt, 13, a);
    out->zip = store__col_text(stmt, 14, a);
    out->country = store__col_text(stmt, 15, a);
    out->linkedin_url = store__col_text(stmt, 16, a);
    out->custom_fields = store__col_text(stmt, 17, a);
    out->created_at = store__col_int(stmt, 18);
    out->updated_at = store__col_int(stmt, 19);
    out->sector = store__col_text(stmt, 20, a);
    out->county = store__col_text(stmt, 21, a);
    out->provenance = store__col_text(stmt, 22, a);
}

static void read_candidate(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct company_candidate *out = row;

    out->id = store__col_int(stmt, 0);
    out->name_folded = store__col_text(stmt, 1, a);
    out->city = store__col_text(stmt, 2, a);
    out->state = store__col_text(stmt, 3, a);
}

static void read_sector_count(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct sector_count *out = row;

    out->sector = store__col_text(stmt, 0, a);
    out->place = store__col_text(stmt, 1, a);
    out->n_companies = store__col_int(stmt, 2);
}

enum pr_code store_companies_create(struct store *st, const struct tenant_ctx *t,
                                    const struct company *in, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);

    return store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(in->name), STORE_TEXT(in->name_folded),
                     STORE_TEXT(in->domain), STORE_TEXT(in->website), STORE_TEXT(in->phone),
                     STORE_TEXT(in->industry), STORE_TEXT(in->sic), STORE_TEXT(in->naics),
                     STORE_OPT_INT(in->has_employees, in->employees),
                     STORE_OPT_INT(in->has_revenue_usd, in->revenue_usd), STORE_TEXT(in->city),
                     STORE_TEXT(in->state), STORE_TEXT(in->zip), STORE_TEXT(in->country),
                     STORE_TEXT(in->linkedin_url),
                     STORE_TEXT(in->custom_fields ? in->custom_fields : "{}"), STORE_INT(now),
                     STORE_INT(now), STORE_TEXT(in->sector), STORE_TEXT(in->county),
                     STORE_TEXT(in->provenance ? in->provenance : "{}")),
        out_id, err);
}

enum pr_code store_companies_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct company *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "company not found", err);
}

enum pr_code store_companies_find_by_domain(struct store *st, const struct tenant_ctx *t,
                                            const char *domain, struct arena *a,
                                            struct company *out, struct pr_error *err)
{
    return store__get(st, SQL_BY_DOMAIN, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(domain)),
                      read_row, a, out, "company not found", err);
}

enum pr_code store_companies_candidates(struct store *st, const struct tenant_ctx *t,
                                        const char *name_prefix, int limit, struct arena *a,
                                        struct company_candidate **out, size_t *n_out,
                                        struct pr_error *err)
{
    void *rows = NULL;
    char *upper = arena_printf(a, "%s\xf4\x8f\xbf\xbf", name_prefix);
    enum pr_code rc =
        store__list(st, SQL_CANDIDATES,
                    STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name_prefix),
                                 STORE_TEXT(upper), STORE_INT(store__clamp_limit(limit))),
                    read_candidate, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_companies_by_zip(struct store *st, const struct tenant_ctx *t, const char *zip,
                                    int64_t after_id, int limit, struct arena *a,
                                    struct company **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc =
        store__list(st, SQL_BY_ZIP,
                    STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(zip), STORE_INT(after_id),
                                 STORE_INT(store__clamp_limit(limit))),
                    read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_companies_sector_counts(struct store *st, const struct tenant_ctx *t,
                                           const char *by, struct arena *a,
                                           struct sector_count **out, size_t *n_out,
                                           struct pr_error *err)
{
    void *rows = NULL;
    const char *sql = strcmp(by, "state") == 0    ? SQL_COUNTS_BY_STATE
                      : strcmp(by, "county") == 0 ? SQL_COUNTS_BY_COUNTY
                      : strcmp(by, "city") == 0   ? SQL_COUNTS_BY_CITY
                                                  : NULL;
    enum pr_code rc;

    if (sql == NULL) {
        pr_error_set(err, PR_INVALID, "cannot count by \"%.20s\"", by);
        return pr_error_hint(err, "count by state, county or city");
    }
    rc = store__list(st, sql, STORE_PARAMS(STORE_INT(t->tenant_id)), read_sector_count,
                     sizeof **out, a, &rows, n_out, err);
    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_companies_list(struct store *st, const struct tenant_ctx *t, int64_t after_id,
                                  int limit, struct arena *a, struct company **out, size_t *n_out,
                                  struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(after_id),
                                               STORE_INT(store__clamp_limit(limit))),
                                  read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_companies_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    const struct store_field *fields, size_t n_fields,
                                    struct pr_error *err)
{
    enum pr_code rc =
        store__update(st, t, "companies", updatable, sizeof updatable / sizeof updatable[0], true,
                      id, fields, n_fields, err);

    if (rc == PR_NOT_FOUND)
        pr_error_set(err, PR_NOT_FOUND, "company not found");
    return rc;
}

enum pr_code store_companies_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct pr_error *err)
{
    /* Transactions do not nest: inside the caller's transaction (e.g. delete + audit entry)
     * the two statements simply join it, and the caller's rollback undoes them on failure. */
    bool is_own_transaction = !st->in_transaction;
    int64_t n_changed = 0;
    enum pr_code rc = PR_OK;

    if (is_own_transaction) {
        rc = store_begin(st, err);
        if (rc != PR_OK)
            return rc;
    }
    rc = store__exec(
        st, SQL_DETACH_CONTACTS,
        STORE_PARAMS(STORE_INT(store_now_ms(st)), STORE_INT(t->tenant_id), STORE_INT(id)), err);
    if (rc != PR_OK)
        goto out;
    rc = store__exec_changes(st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)),
                             &n_changed, err);
    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "company not found");
    if (rc == PR_OK && is_own_transaction)
        rc = store_commit(st, err);
out:
    if (rc != PR_OK && is_own_transaction)
        store_rollback(st);
    return rc;
}
