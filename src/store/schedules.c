/*
 * Schedules repository. Every statement but the due query filters on tenant_id; the due query
 * serves the scheduler, which is shared by all tenants. Firing is guarded by the row itself:
 * mark_fired changes the row only while it is still due, so under SQLite's single writer two
 * schedulers racing for one slot fire it once.
 */
#include "store/schedules.h"

#include "store/store_int.h"

#define SCHEDULE_COLUMNS                                                                           \
    "id, tenant_id, name, job_kind, payload, cron, time_zone, is_enabled, next_run_at, "           \
    "last_run_at, last_job_id, created_at, updated_at"

static const char SQL_INSERT[] =
    "INSERT INTO schedules (tenant_id, name, job_kind, payload, cron, time_zone, next_run_at, "
    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] =
    "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE tenant_id = ? AND id = ?";
static const char SQL_BY_NAME[] =
    "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE tenant_id = ? AND name = ?";
static const char SQL_LIST[] =
    "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE tenant_id = ? ORDER BY name, id";
static const char SQL_DELETE[] = "DELETE FROM schedules WHERE tenant_id = ? AND id = ?";
static const char SQL_SET_ENABLED[] =
    "UPDATE schedules SET is_enabled = ?, updated_at = ? WHERE tenant_id = ? AND id = ?";
/* All tenants: the scheduler binds each schedule's own tenant for the firing. */
static const char SQL_DUE[] = "SELECT " SCHEDULE_COLUMNS " FROM schedules WHERE is_enabled = 1 "
                              "AND next_run_at <= ? ORDER BY next_run_at, id LIMIT ?";
/* The WHERE clause is the race guard: once one scheduler moved next_run_at past the slot, the
 * other's update finds no row. A skipped slot (job 0) moves only next_run_at. */
static const char SQL_MARK_FIRED[] =
    "UPDATE schedules SET last_run_at = CASE WHEN ? > 0 THEN ? ELSE last_run_at END, "
    "last_job_id = CASE WHEN ? > 0 THEN ? ELSE last_job_id END, next_run_at = ?, "
    "updated_at = ? WHERE tenant_id = ? AND id = ? AND is_enabled = 1 AND next_run_at <= ?";
static const char SQL_EXISTS[] = "SELECT count(*) FROM schedules WHERE tenant_id = ? AND id = ?";

static const char NOT_FOUND[] = "schedule not found";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct schedule *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->name = store__col_text(stmt, 2, a);
    out->job_kind = store__col_text(stmt, 3, a);
    out->payload = store__col_text(stmt, 4, a);
    out->cron = store__col_text(stmt, 5, a);
    out->time_zone = store__col_text(stmt, 6, a);
    out->is_enabled = store__col_int(stmt, 7) != 0;
    out->next_run_at = store__col_int(stmt, 8);
    out->last_run_at = store__col_is_null(stmt, 9) ? 0 : store__col_int(stmt, 9);
    out->last_job_id = store__col_is_null(stmt, 10) ? 0 : store__col_int(stmt, 10);
    out->created_at = store__col_int(stmt, 11);
    out->updated_at = store__col_int(stmt, 12);
}

enum pr_code store_schedules_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                    const char *job_kind, const char *payload, const char *cron,
                                    const char *time_zone, int64_t next_run_at, int64_t *out_id,
                                    struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc = store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name), STORE_TEXT(job_kind),
                     STORE_TEXT(payload ? payload : "{}"), STORE_TEXT(cron), STORE_TEXT(time_zone),
                     STORE_INT(next_run_at), STORE_INT(now), STORE_INT(now)),
        out_id, err);

    /* The only unique key a new row can break is the name (the id is fresh). */
    if (rc == PR_CONFLICT) {
        pr_error_set(err, PR_CONFLICT, "a schedule named %s already exists", name);
        return pr_error_hint(err, "choose another name, or remove the existing schedule first");
    }
    return rc;
}

enum pr_code store_schedules_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct schedule *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, NOT_FOUND, err);
}

enum pr_code store_schedules_find_by_name(struct store *st, const struct tenant_ctx *t,
                                          const char *name, struct arena *a, struct schedule *out,
                                          struct pr_error *err)
{
    return store__get(st, SQL_BY_NAME, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name)),
                      read_row, a, out, NOT_FOUND, err);
}

enum pr_code store_schedules_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                  struct schedule **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id)), read_row,
                                  sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_schedules_remove(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    return rc;
}

enum pr_code store_schedules_set_enabled(struct store *st, const struct tenant_ctx *t, int64_t id,
                                         bool is_enabled, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc =
        store__exec_changes(st, SQL_SET_ENABLED,
                            STORE_PARAMS(STORE_INT(is_enabled ? 1 : 0), STORE_INT(store_now_ms(st)),
                                         STORE_INT(t->tenant_id), STORE_INT(id)),
                            &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    return rc;
}

enum pr_code store_schedules_due(struct store *st, int64_t now_ms, int limit, struct arena *a,
                                 struct schedule **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(
        st, SQL_DUE, STORE_PARAMS(STORE_INT(now_ms), STORE_INT(store__clamp_limit(limit))),
        read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_schedules_mark_fired(struct store *st, const struct tenant_ctx *t, int64_t id,
                                        int64_t fired_at, int64_t next_run_at, int64_t job_id,
                                        struct pr_error *err)
{
    int64_t n_changed = 0, exists = 0;
    enum pr_code rc;

    /* A next fire time not after this one would leave the slot due, and a second scheduler
     * would fire it again. */
    if (next_run_at <= fired_at)
        return pr_error_set(err, PR_INVALID, "the next fire time must be after this one");
    rc = store__exec_changes(st, SQL_MARK_FIRED,
                             STORE_PARAMS(STORE_INT(job_id), STORE_INT(fired_at), STORE_INT(job_id),
                                          STORE_INT(job_id), STORE_INT(next_run_at),
                                          STORE_INT(store_now_ms(st)), STORE_INT(t->tenant_id),
                                          STORE_INT(id), STORE_INT(fired_at)),
                             &n_changed, err);
    if (rc != PR_OK || n_changed > 0)
        return rc;
    rc = store__query_int(st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)),
                          &exists, err);
    if (rc == PR_OK && exists == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "%s", NOT_FOUND);
    else if (rc == PR_OK) {
        pr_error_set(err, PR_CONFLICT, "schedule already fired");
        rc = pr_error_hint(err, "another scheduler fired this slot first, or the schedule was "
                                "disabled; roll back");
    }
    return rc;
}
