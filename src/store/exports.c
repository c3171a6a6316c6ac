/* Exports repository. Every statement filters on tenant_id. */
#include "store/exports.h"

#include "store/store_int.h"

static const char SQL_INSERT[] =
    "INSERT INTO exports (tenant_id, format, list_id, min_score, created_at) "
    "VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] = "SELECT id, tenant_id, format, list_id, min_score, n_rows, "
                              "n_skipped_window, created_at FROM exports "
                              "WHERE tenant_id = ? AND id = ?";
static const char SQL_ADD_ITEM[] =
    "INSERT INTO export_items (tenant_id, export_id, contact_id, exported_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (tenant_id, export_id, contact_id) DO NOTHING";
static const char SQL_FINISH[] = "UPDATE exports SET n_rows = ?, n_skipped_window = ? "
                                 "WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST_EXISTS[] = "SELECT count(*) FROM lists WHERE tenant_id = ? AND id = ?";
/* The window test is one EXISTS over the (tenant_id, contact_id, exported_at) index, plus the
 * contact's own last_contacted_at. ? IS NULL forms are avoided: PostgreSQL cannot type them. */
#define CANDIDATE_SELECT                                                                           \
    "SELECT c.id, (EXISTS (SELECT 1 FROM export_items e WHERE e.tenant_id = c.tenant_id "          \
    "AND e.contact_id = c.id AND e.exported_at >= ?) OR coalesce(c.last_contacted_at, 0) >= ?) "   \
    "FROM contacts c WHERE c.tenant_id = ? AND c.is_suppressed = 0 AND c.id > ? "                  \
    "AND coalesce(c.score, -1) >= ? "
static const char SQL_CANDIDATES_ALL[] = CANDIDATE_SELECT "ORDER BY c.id LIMIT ?";
static const char SQL_CANDIDATES_IN_LIST[] =
    CANDIDATE_SELECT "AND EXISTS (SELECT 1 FROM list_members m WHERE m.tenant_id = c.tenant_id "
                     "AND m.list_id = ? AND m.contact_id = c.id) ORDER BY c.id LIMIT ?";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct export_record *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->format = store__col_text(stmt, 2, a);
    out->has_list = !store__col_is_null(stmt, 3);
    out->list_id = out->has_list ? store__col_int(stmt, 3) : 0;
    out->has_min_score = !store__col_is_null(stmt, 4);
    out->min_score = out->has_min_score ? store__col_int(stmt, 4) : 0;
    out->n_rows = store__col_int(stmt, 5);
    out->n_skipped_window = store__col_int(stmt, 6);
    out->created_at = store__col_int(stmt, 7);
}

static void read_candidate(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct export_candidate *out = row;

    (void)a;
    out->contact_id = store__col_int(stmt, 0);
    out->is_recent = store__col_int(stmt, 1) != 0;
}

enum pr_code store_exports_create(struct store *st, const struct tenant_ctx *t, const char *format,
                                  bool has_list, int64_t list_id, bool has_min_score,
                                  int64_t min_score, int64_t *out_id, struct pr_error *err)
{
    int64_t exists = 0;

    /* exports.list_id has no foreign key (deleting a list must not be blocked by old exports),
     * so the tenant's ownership of the list is checked here. */
    if (has_list) {
        enum pr_code rc = store__query_int(
            st, SQL_LIST_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id)), &exists,
            err);
        if (rc != PR_OK)
            return rc;
        if (exists == 0)
            return pr_error_set(err, PR_NOT_FOUND, "list not found");
    }
    return store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(format), STORE_OPT_INT(has_list, list_id),
                     STORE_OPT_INT(has_min_score, min_score), STORE_INT(store_now_ms(st))),
        out_id, err);
}

enum pr_code store_exports_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct arena *a, struct export_record *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "export not found", err);
}

enum pr_code store_exports_add_item(struct store *st, const struct tenant_ctx *t, int64_t export_id,
                                    int64_t contact_id, struct pr_error *err)
{
    enum pr_code rc = store__exec(st, SQL_ADD_ITEM,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(export_id),
                                               STORE_INT(contact_id), STORE_INT(store_now_ms(st))),
                                  err);

    if (rc == PR_CONFLICT && store__error_is_foreign_key(err))
        rc = pr_error_set(err, PR_NOT_FOUND, "export or contact not found");
    return rc;
}

enum pr_code store_exports_finish(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  int64_t n_rows, int64_t n_skipped_window, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc =
        store__exec_changes(st, SQL_FINISH,
                            STORE_PARAMS(STORE_INT(n_rows), STORE_INT(n_skipped_window),
                                         STORE_INT(t->tenant_id), STORE_INT(id)),
                            &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "export not found");
    return rc;
}

enum pr_code store_exports_candidates(struct store *st, const struct tenant_ctx *t, bool has_list,
                                      int64_t list_id, bool has_min_score, int64_t min_score,
                                      int64_t window_start_ms, int64_t after_id, int limit,
                                      struct arena *a, struct export_candidate **out, size_t *n_out,
                                      struct pr_error *err)
{
    void *rows = NULL;
    int64_t floor = has_min_score ? min_score : -1, exists = 0;
    enum pr_code rc = PR_OK;

    if (has_list) {
        rc = store__query_int(st, SQL_LIST_EXISTS,
                              STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id)), &exists,
                              err);
        if (rc == PR_OK && exists == 0)
            rc = pr_error_set(err, PR_NOT_FOUND, "list not found");
        if (rc == PR_OK)
            rc = store__list(st, SQL_CANDIDATES_IN_LIST,
                             STORE_PARAMS(STORE_INT(window_start_ms), STORE_INT(window_start_ms),
                                          STORE_INT(t->tenant_id), STORE_INT(after_id),
                                          STORE_INT(floor), STORE_INT(list_id),
                                          STORE_INT(store__clamp_limit(limit))),
                             read_candidate, sizeof **out, a, &rows, n_out, err);
    } else {
        rc = store__list(st, SQL_CANDIDATES_ALL,
                         STORE_PARAMS(STORE_INT(window_start_ms), STORE_INT(window_start_ms),
                                      STORE_INT(t->tenant_id), STORE_INT(after_id),
                                      STORE_INT(floor), STORE_INT(store__clamp_limit(limit))),
                         read_candidate, sizeof **out, a, &rows, n_out, err);
    }
    if (rc == PR_OK)
        *out = rows;
    return rc;
}
