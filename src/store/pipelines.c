/* Pipelines repository: every statement filters on tenant_id. */
#include "store/pipelines.h"

#include "store/store_int.h"

#define PIPELINE_COLUMNS "id, tenant_id, name, steps, created_at, updated_at"

static const char SQL_INSERT[] = "INSERT INTO pipelines (tenant_id, name, steps, created_at, "
                                 "updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] =
    "SELECT " PIPELINE_COLUMNS " FROM pipelines WHERE tenant_id = ? AND id = ?";
static const char SQL_BY_NAME[] =
    "SELECT " PIPELINE_COLUMNS " FROM pipelines WHERE tenant_id = ? AND name = ?";
static const char SQL_LIST[] =
    "SELECT " PIPELINE_COLUMNS " FROM pipelines WHERE tenant_id = ? ORDER BY name, id";
static const char SQL_RUNNING[] = "SELECT count(*) FROM pipeline_runs WHERE tenant_id = ? AND "
                                  "pipeline_id = ? AND status = 'running'";
static const char SQL_DELETE[] = "DELETE FROM pipelines WHERE tenant_id = ? AND id = ?";

static const char NOT_FOUND[] = "pipeline not found";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct pipeline *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->name = store__col_text(stmt, 2, a);
    out->steps = store__col_text(stmt, 3, a);
    out->created_at = store__col_int(stmt, 4);
    out->updated_at = store__col_int(stmt, 5);
}

enum pr_code store_pipelines_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                    const char *steps_json, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc =
        store__query_int(st, SQL_INSERT,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name),
                                      STORE_TEXT(steps_json), STORE_INT(now), STORE_INT(now)),
                         out_id, err);

    if (rc == PR_CONFLICT) {
        pr_error_set(err, PR_CONFLICT, "a pipeline named %s already exists", name);
        return pr_error_hint(err, "choose another name, or remove the existing pipeline first");
    }
    return rc;
}

enum pr_code store_pipelines_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct pipeline *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, NOT_FOUND, err);
}

enum pr_code store_pipelines_find_by_name(struct store *st, const struct tenant_ctx *t,
                                          const char *name, struct arena *a, struct pipeline *out,
                                          struct pr_error *err)
{
    return store__get(st, SQL_BY_NAME, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name)),
                      read_row, a, out, NOT_FOUND, err);
}

enum pr_code store_pipelines_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                  struct pipeline **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id)), read_row,
                                  sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_pipelines_remove(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct pr_error *err)
{
    int64_t n_running = 0, n_changed = 0;
    enum pr_code rc = store__query_int(
        st, SQL_RUNNING, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_running, err);

    if (rc == PR_OK && n_running > 0) {
        pr_error_set(err, PR_CONFLICT, "the pipeline is running");
        return pr_error_hint(err, "wait for the run to finish, then remove the pipeline");
    }
    if (rc == PR_OK)
        rc = store__exec_changes(
            st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);
    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    return rc;
}
