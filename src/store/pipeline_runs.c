/*
 * Pipeline runs repository: every statement filters on tenant_id. Each move is guarded by the
 * row it changes (a run still running and at the expected step, a chunk not yet done), so a
 * job replayed after a crash finds nothing to change and gets PR_CONFLICT instead of counting
 * twice.
 */
#include "store/pipeline_runs.h"

#include "store/store_int.h"

#include <inttypes.h>
#include <time.h>

#define RUN_COLUMNS                                                                                \
    "id, tenant_id, pipeline_id, status, trigger, n_steps, step_index, credits_spent, error, "     \
    "created_at, updated_at, finished_at"
#define STEP_COLUMNS                                                                               \
    "step_index, name, status, chunks_total, chunks_done, n_items, n_rejected, detail, "           \
    "started_at, finished_at"

static const char SQL_START[] =
    "INSERT INTO pipeline_runs (tenant_id, pipeline_id, trigger, n_steps, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_RUNNING[] = "SELECT id FROM pipeline_runs WHERE tenant_id = ? AND "
                                  "pipeline_id = ? AND status = 'running'";
static const char SQL_GET[] =
    "SELECT " RUN_COLUMNS " FROM pipeline_runs WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST[] = "SELECT " RUN_COLUMNS " FROM pipeline_runs WHERE tenant_id = ? "
                               "AND (? = 0 OR pipeline_id = ?) AND id < ? ORDER BY id DESC LIMIT ?";
static const char SQL_EXISTS[] =
    "SELECT count(*) FROM pipeline_runs WHERE tenant_id = ? AND id = ?";
static const char SQL_STEPS[] = "SELECT " STEP_COLUMNS " FROM pipeline_run_steps WHERE "
                                "tenant_id = ? AND run_id = ? ORDER BY step_index";
static const char SQL_TOUCH_AT_STEP[] =
    "UPDATE pipeline_runs SET updated_at = ? WHERE tenant_id = ? AND id = ? AND "
    "status = 'running' AND step_index = ?";
static const char SQL_INSERT_STEP[] =
    "INSERT INTO pipeline_run_steps (tenant_id, run_id, step_index, name, chunks_total, detail, "
    "started_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_INSERT_CHUNK[] =
    "INSERT INTO pipeline_chunks (tenant_id, run_id, step_index, chunk, first_item, n_planned) "
    "VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_GET_CHUNK[] =
    "SELECT chunk, first_item, n_planned, is_done, n_items, n_rejected FROM pipeline_chunks "
    "WHERE tenant_id = ? AND run_id = ? AND step_index = ? AND chunk = ?";
static const char SQL_DONE_CHUNK[] =
    "UPDATE pipeline_chunks SET is_done = 1, n_items = ?, n_rejected = ?, finished_at = ? "
    "WHERE tenant_id = ? AND run_id = ? AND step_index = ? AND chunk = ? AND is_done = 0";
/* Returns 1 for the caller that finished the step's last chunk: writers are serialized, so
 * exactly one sees chunks_done reach chunks_total. */
static const char SQL_ADD_TO_STEP[] =
    "UPDATE pipeline_run_steps SET chunks_done = chunks_done + 1, n_items = n_items + ?, "
    "n_rejected = n_rejected + ? WHERE tenant_id = ? AND run_id = ? AND step_index = ? "
    "RETURNING chunks_done = chunks_total";
static const char SQL_FINISH_STEP[] =
    "UPDATE pipeline_run_steps SET status = ?, finished_at = ?, "
    "detail = json_patch(detail, coalesce(?, '{}')) WHERE tenant_id = ? AND run_id = ? AND "
    "step_index = ? AND status = 'running'";
static const char SQL_NEXT_STEP[] =
    "UPDATE pipeline_runs SET step_index = step_index + 1, updated_at = ? WHERE tenant_id = ? "
    "AND id = ? AND status = 'running' AND step_index = ?";
static const char SQL_FINISH[] =
    "UPDATE pipeline_runs SET status = ?, error = ?, finished_at = ?, updated_at = ? "
    "WHERE tenant_id = ? AND id = ? AND status = 'running'";
static const char SQL_CHARGE[] =
    "INSERT INTO pipeline_charges (tenant_id, run_id, idempotency_key, credits, created_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
static const char SQL_ADD_CREDITS[] =
    "UPDATE pipeline_runs SET credits_spent = credits_spent + ?, updated_at = ? "
    "WHERE tenant_id = ? AND id = ?";

static const char NOT_FOUND[] = "pipeline run not found";

static void read_run(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct pipeline_run *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->pipeline_id = store__col_int(stmt, 2);
    out->status = store__col_text(stmt, 3, a);
    out->trigger = store__col_text(stmt, 4, a);
    out->n_steps = store__col_int(stmt, 5);
    out->step_index = store__col_int(stmt, 6);
    out->credits_spent = store__col_int(stmt, 7);
    out->error = store__col_text(stmt, 8, a);
    out->created_at = store__col_int(stmt, 9);
    out->updated_at = store__col_int(stmt, 10);
    out->finished_at = store__col_is_null(stmt, 11) ? 0 : store__col_int(stmt, 11);
}

static void read_step(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct pipeline_run_step *out = row;

    out->step_index = store__col_int(stmt, 0);
    out->name = store__col_text(stmt, 1, a);
    out->status = store__col_text(stmt, 2, a);
    out->chunks_total = store__col_int(stmt, 3);
    out->chunks_done = store__col_int(stmt, 4);
    out->n_items = store__col_int(stmt, 5);
    out->n_rejected = store__col_int(stmt, 6);
    out->detail = store__col_text(stmt, 7, a);
    out->started_at = store__col_int(stmt, 8);
    out->finished_at = store__col_is_null(stmt, 9) ? 0 : store__col_int(stmt, 9);
}

static void read_chunk(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct pipeline_chunk *out = row;

    (void)a;
    out->chunk = store__col_int(stmt, 0);
    out->first_item = store__col_int(stmt, 1);
    out->n_planned = store__col_int(stmt, 2);
    out->is_done = store__col_int(stmt, 3) != 0;
    out->n_items = store__col_int(stmt, 4);
    out->n_rejected = store__col_int(stmt, 5);
}

/* After a guarded update changed nothing: PR_NOT_FOUND when the run is not the tenant's, else
 * PR_CONFLICT with `conflict` as the message. */
static enum pr_code not_found_or_conflict(struct store *st, const struct tenant_ctx *t,
                                          int64_t run_id, const char *conflict,
                                          struct pr_error *err)
{
    int64_t exists = 0;
    enum pr_code rc = store__query_int(
        st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id)), &exists, err);

    if (rc != PR_OK)
        return rc;
    if (exists == 0)
        return pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    return pr_error_set(err, PR_CONFLICT, "%s", conflict);
}

enum pr_code store_pipeline_runs_start(struct store *st, const struct tenant_ctx *t,
                                       int64_t pipeline_id, const char *trigger, int64_t n_steps,
                                       int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc = store__query_int(st, SQL_START,
                                       STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(pipeline_id),
                                                    STORE_TEXT(trigger), STORE_INT(n_steps),
                                                    STORE_INT(now), STORE_INT(now)),
                                       out_id, err);

    if (rc == PR_CONFLICT && store__error_is_foreign_key(err))
        return pr_error_set(err, PR_NOT_FOUND, "pipeline not found");
    if (rc != PR_CONFLICT)
        return rc;
    /* The partial unique index refused a second running run: name the one that runs. */
    rc = store__query_int(st, SQL_RUNNING,
                          STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(pipeline_id)), out_id,
                          err);
    if (rc != PR_OK)
        return rc;
    pr_error_set(err, PR_CONFLICT, "pipeline already running: run %" PRId64, *out_id);
    return pr_error_hint(err, "wait for it to finish (prospect runs show ID) and run it again");
}

enum pr_code store_pipeline_runs_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                     struct arena *a, struct pipeline_run *out,
                                     struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_run,
                      a, out, NOT_FOUND, err);
}

enum pr_code store_pipeline_runs_list(struct store *st, const struct tenant_ctx *t,
                                      int64_t pipeline_id, int64_t before_id, int limit,
                                      struct arena *a, struct pipeline_run **out, size_t *n_out,
                                      struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(pipeline_id),
                                               STORE_INT(pipeline_id),
                                               STORE_INT(before_id > 0 ? before_id : INT64_MAX),
                                               STORE_INT(store__clamp_limit(limit))),
                                  read_run, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_pipeline_runs_steps(struct store *st, const struct tenant_ctx *t, int64_t run_id,
                                       struct arena *a, struct pipeline_run_step **out,
                                       size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    int64_t exists = 0;
    enum pr_code rc = store__query_int(
        st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id)), &exists, err);

    if (rc == PR_OK && exists == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    if (rc == PR_OK)
        rc = store__list(st, SQL_STEPS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id)),
                         read_step, sizeof **out, a, &rows, n_out, err);
    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_pipeline_runs_begin_step(struct store *st, const struct tenant_ctx *t,
                                            int64_t run_id, int64_t step_index, const char *name,
                                            int64_t chunks_total, const char *detail_json,
                                            struct pr_error *err)
{
    int64_t now = store_now_ms(st), n_changed = 0;
    enum pr_code rc = store__exec_changes(st, SQL_TOUCH_AT_STEP,
                                          STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id),
                                                       STORE_INT(run_id), STORE_INT(step_index)),
                                          &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        return not_found_or_conflict(st, t, run_id, "the run is not running at this step", err);
    if (rc == PR_OK)
        rc = store__exec(st, SQL_INSERT_STEP,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id),
                                      STORE_INT(step_index), STORE_TEXT(name),
                                      STORE_INT(chunks_total),
                                      STORE_TEXT(detail_json ? detail_json : "{}"), STORE_INT(now)),
                         err);
    if (rc == PR_CONFLICT)
        return pr_error_set(err, PR_CONFLICT, "step %" PRId64 " was begun already", step_index);
    return rc;
}

enum pr_code store_pipeline_runs_add_chunk(struct store *st, const struct tenant_ctx *t,
                                           int64_t run_id, int64_t step_index, int64_t chunk,
                                           int64_t first_item, int64_t n_planned,
                                           struct pr_error *err)
{
    enum pr_code rc =
        store__exec(st, SQL_INSERT_CHUNK,
                    STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id), STORE_INT(step_index),
                                 STORE_INT(chunk), STORE_INT(first_item), STORE_INT(n_planned)),
                    err);

    if (rc == PR_CONFLICT && store__error_is_foreign_key(err))
        return pr_error_set(err, PR_NOT_FOUND, "pipeline run step not found");
    return rc;
}

enum pr_code store_pipeline_runs_get_chunk(struct store *st, const struct tenant_ctx *t,
                                           int64_t run_id, int64_t step_index, int64_t chunk,
                                           struct pipeline_chunk *out, struct pr_error *err)
{
    return store__get(st, SQL_GET_CHUNK,
                      STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id),
                                   STORE_INT(step_index), STORE_INT(chunk)),
                      read_chunk, NULL, out, "pipeline chunk not found", err);
}

enum pr_code store_pipeline_runs_finish_chunk(struct store *st, const struct tenant_ctx *t,
                                              int64_t run_id, int64_t step_index, int64_t chunk,
                                              int64_t n_items, int64_t n_rejected,
                                              bool *is_step_done, struct pr_error *err)
{
    int64_t n_changed = 0, is_last = 0;
    struct pipeline_chunk existing;
    enum pr_code rc = store__exec_changes(st, SQL_DONE_CHUNK,
                                          STORE_PARAMS(STORE_INT(n_items), STORE_INT(n_rejected),
                                                       STORE_INT(store_now_ms(st)),
                                                       STORE_INT(t->tenant_id), STORE_INT(run_id),
                                                       STORE_INT(step_index), STORE_INT(chunk)),
                                          &n_changed, err);

    *is_step_done = false;
    if (rc == PR_OK && n_changed == 0) {
        rc = store_pipeline_runs_get_chunk(st, t, run_id, step_index, chunk, &existing, err);
        return rc != PR_OK ? rc : pr_error_set(err, PR_CONFLICT, "chunk already done");
    }
    if (rc == PR_OK)
        rc = store__query_int(st, SQL_ADD_TO_STEP,
                              STORE_PARAMS(STORE_INT(n_items), STORE_INT(n_rejected),
                                           STORE_INT(t->tenant_id), STORE_INT(run_id),
                                           STORE_INT(step_index)),
                              &is_last, err);
    if (rc == PR_OK)
        *is_step_done = is_last != 0;
    return rc;
}

enum pr_code store_pipeline_runs_finish_step(struct store *st, const struct tenant_ctx *t,
                                             int64_t run_id, int64_t step_index, bool is_success,
                                             const char *detail_json, struct pr_error *err)
{
    int64_t now = store_now_ms(st), n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_FINISH_STEP,
        STORE_PARAMS(STORE_TEXT(is_success ? "succeeded" : "failed"), STORE_INT(now),
                     STORE_TEXT(detail_json), STORE_INT(t->tenant_id), STORE_INT(run_id),
                     STORE_INT(step_index)),
        &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        return not_found_or_conflict(st, t, run_id, "the step is not running", err);
    if (rc == PR_OK && is_success)
        rc = store__exec_changes(st, SQL_NEXT_STEP,
                                 STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id),
                                              STORE_INT(run_id), STORE_INT(step_index)),
                                 &n_changed, err);
    if (rc == PR_OK && is_success && n_changed == 0)
        return not_found_or_conflict(st, t, run_id, "the run is not running at this step", err);
    return rc;
}

enum pr_code store_pipeline_runs_finish(struct store *st, const struct tenant_ctx *t,
                                        int64_t run_id, const char *status, const char *error,
                                        struct pr_error *err)
{
    int64_t now = store_now_ms(st), n_changed = 0;
    enum pr_code rc = store__exec_changes(st, SQL_FINISH,
                                          STORE_PARAMS(STORE_TEXT(status), STORE_TEXT(error),
                                                       STORE_INT(now), STORE_INT(now),
                                                       STORE_INT(t->tenant_id), STORE_INT(run_id)),
                                          &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        return not_found_or_conflict(st, t, run_id, "the run is not running", err);
    return rc;
}

enum pr_code store_pipeline_runs_charge(struct store *st, const struct tenant_ctx *t,
                                        int64_t run_id, const char *idempotency_key,
                                        int64_t credits, bool *is_new, struct pr_error *err)
{
    int64_t now = store_now_ms(st), n_changed = 0;
    enum pr_code rc = store__exec_changes(st, SQL_CHARGE,
                                          STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(run_id),
                                                       STORE_TEXT(idempotency_key),
                                                       STORE_INT(credits), STORE_INT(now)),
                                          &n_changed, err);

    *is_new = false;
    if (rc == PR_CONFLICT && store__error_is_foreign_key(err))
        return pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    if (rc == PR_OK && n_changed > 0) {
        *is_new = true;
        rc = store__exec(st, SQL_ADD_CREDITS,
                         STORE_PARAMS(STORE_INT(credits), STORE_INT(now), STORE_INT(t->tenant_id),
                                      STORE_INT(run_id)),
                         err);
    }
    return rc;
}
