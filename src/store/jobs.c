/*
 * Job queue repository. The claim is one UPDATE ... RETURNING over a subquery ordered by
 * priority, due time and id; under SQLite's single writer that is atomic, and it is the one
 * statement a PostgreSQL backend replaces with a FOR UPDATE SKIP LOCKED variant. Claim and
 * reclaim serve all tenants (workers are shared); every other statement filters on tenant_id.
 */
#include "store/jobs.h"

#include "store/store_int.h"
#include "util/str.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define JOB_COLUMNS                                                                                \
    "id, tenant_id, kind, payload, state, priority, attempt, max_attempts, run_at, "               \
    "lease_expires_at, worker_id, unique_key, idempotency_key, last_error_class, "                 \
    "last_error_code, last_error_message, created_at, finished_at"

static const char SQL_INSERT[] =
    "INSERT INTO jobs (tenant_id, kind, payload, priority, max_attempts, run_at, unique_key, "
    "idempotency_key, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
/* A job enqueued without an idempotency key gets "<kind>:<id>" as soon as its id is known
 * (in the same transaction, so no one ever sees it without a key). */
static const char SQL_SET_KEY[] =
    "UPDATE jobs SET idempotency_key = ? WHERE tenant_id = ? AND id = ?";
/* The LIMIT honours the kind's concurrency limit: no more than `max` running at once. A
 * negative LIMIT means "no limit" to SQLite, so it is clamped at 0 explicitly. */
static const char SQL_CLAIM[] =
    "UPDATE jobs SET state = 'running', attempt = attempt + 1, lease_expires_at = ?, "
    "heartbeat_at = ?, worker_id = ?, updated_at = ? WHERE id IN (SELECT id FROM jobs "
    "WHERE state IN ('available', 'retryable') AND kind = ? AND run_at <= ? "
    "ORDER BY priority DESC, run_at, id LIMIT (SELECT CASE WHEN ? = 0 THEN ? "
    "WHEN r.n >= ? THEN 0 WHEN ? - r.n < ? THEN ? - r.n ELSE ? END FROM (SELECT count(*) AS n "
    "FROM jobs WHERE state = 'running' AND kind = ?) r)) RETURNING " JOB_COLUMNS;
/* A released attempt gave its number back (graceful shutdown is not a failure), so the next
 * claim reuses its row instead of colliding with it. */
static const char SQL_ATTEMPT_START[] =
    "INSERT INTO job_attempts (tenant_id, job_id, attempt, worker_id, started_at) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (tenant_id, job_id, attempt) DO UPDATE SET "
    "worker_id = excluded.worker_id, started_at = excluded.started_at, finished_at = NULL, "
    "outcome = NULL, error_class = NULL, error_code = NULL, error_message = NULL";
static const char SQL_ATTEMPT_END[] =
    "UPDATE job_attempts SET finished_at = ?, outcome = ?, error_class = ?, error_code = ?, "
    "error_message = ? WHERE tenant_id = ? AND job_id = ? AND attempt = "
    "(SELECT attempt FROM jobs WHERE tenant_id = ? AND id = ?)";
static const char SQL_HEARTBEAT[] =
    "UPDATE jobs SET lease_expires_at = ?, heartbeat_at = ?, updated_at = ? "
    "WHERE tenant_id = ? AND id = ? AND state = 'running' AND worker_id = ?";
static const char SQL_COMPLETE[] =
    "UPDATE jobs SET state = 'succeeded', lease_expires_at = NULL, finished_at = ?, "
    "updated_at = ? WHERE tenant_id = ? AND id = ? AND state = 'running' AND worker_id = ?";
/* A batch of one worker's jobs (any tenants: the ids come from its own claim). */
static const char SQL_COMPLETE_BATCH[] =
    "UPDATE jobs SET state = 'succeeded', lease_expires_at = NULL, finished_at = ?, "
    "updated_at = ? WHERE id IN (SELECT value FROM json_each(?)) AND state = 'running' "
    "AND worker_id = ? RETURNING json_array(tenant_id, id, attempt)";
static const char SQL_ATTEMPTS_END_BATCH[] =
    "UPDATE job_attempts SET finished_at = ?, outcome = 'succeeded' WHERE (tenant_id, job_id, "
    "attempt) IN (SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?))";
static const char SQL_FAIL[] =
    "UPDATE jobs SET state = CASE WHEN ? > 0 THEN 'retryable' ELSE 'discarded' END, "
    "run_at = CASE WHEN ? > 0 THEN ? ELSE run_at END, lease_expires_at = NULL, "
    "last_error_class = ?, last_error_code = ?, last_error_message = ?, "
    "finished_at = CASE WHEN ? > 0 THEN NULL ELSE ? END, updated_at = ? "
    "WHERE tenant_id = ? AND id = ? AND state = 'running' AND worker_id = ?";
static const char SQL_RELEASE[] =
    "UPDATE jobs SET state = 'available', attempt = attempt - 1, lease_expires_at = NULL, "
    "worker_id = NULL, updated_at = ? WHERE tenant_id = ? AND id = ? AND state = 'running' "
    "AND worker_id = ?";
static const char SQL_RELEASED_ATTEMPT[] =
    "UPDATE job_attempts SET finished_at = ?, outcome = 'released' WHERE tenant_id = ? "
    "AND job_id = ? AND attempt = (SELECT attempt + 1 FROM jobs WHERE tenant_id = ? AND id = ?)";
static const char SQL_EXPIRED_ATTEMPTS[] =
    "UPDATE job_attempts SET finished_at = ?, outcome = 'lease_expired', "
    "error_class = 'transient', error_code = 'lease_expired' WHERE (tenant_id, job_id, attempt) "
    "IN (SELECT tenant_id, id, attempt FROM jobs WHERE state = 'running' "
    "AND lease_expires_at < ?)";
static const char SQL_RECLAIM[] =
    "UPDATE jobs SET state = CASE WHEN attempt >= max_attempts THEN 'discarded' "
    "ELSE 'retryable' END, run_at = ?, lease_expires_at = NULL, worker_id = NULL, "
    "last_error_class = 'transient', last_error_code = 'lease_expired', "
    "last_error_message = 'the worker stopped before finishing (its lease expired)', "
    "finished_at = CASE WHEN attempt >= max_attempts THEN ? ELSE NULL END, updated_at = ? "
    "WHERE state = 'running' AND lease_expires_at < ?";
/* All tenants, like the reclaim: the workers are shared. */
static const char SQL_RUNNING_WORKERS[] =
    "SELECT DISTINCT worker_id FROM jobs WHERE state = 'running' ORDER BY worker_id";
static const char SQL_EXPIRE_WORKER[] =
    "UPDATE jobs SET lease_expires_at = ?, updated_at = ? WHERE state = 'running' "
    "AND substr(worker_id, 1, length(?)) = ?";
static const char SQL_GET[] = "SELECT " JOB_COLUMNS " FROM jobs WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST_ALL[] = "SELECT " JOB_COLUMNS " FROM jobs WHERE tenant_id = ? "
                                   "AND id < ? ORDER BY id DESC LIMIT ?";
static const char SQL_LIST_STATE[] = "SELECT " JOB_COLUMNS " FROM jobs WHERE tenant_id = ? "
                                     "AND state = ? AND id < ? ORDER BY id DESC LIMIT ?";
static const char SQL_EXISTS[] = "SELECT count(*) FROM jobs WHERE tenant_id = ? AND id = ?";
static const char SQL_ATTEMPTS[] =
    "SELECT attempt, worker_id, started_at, finished_at, outcome, error_class, error_code, "
    "error_message FROM job_attempts WHERE tenant_id = ? AND job_id = ? ORDER BY attempt";
static const char SQL_RETRY[] =
    "UPDATE jobs SET state = 'available', run_at = ?, finished_at = NULL, "
    "max_attempts = CASE WHEN attempt + max_attempts > 1000 THEN 1000 "
    "ELSE attempt + max_attempts END, updated_at = ? "
    "WHERE tenant_id = ? AND id = ? AND state = 'discarded'";
static const char SQL_CANCEL[] =
    "UPDATE jobs SET state = 'cancelled', finished_at = ?, updated_at = ? WHERE tenant_id = ? "
    "AND id = ? AND state IN ('available', 'retryable', 'discarded')";

static void read_job(sqlite3_stmt *stmt, struct arena *a, struct job *out)
{
    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->kind = store__col_text(stmt, 2, a);
    out->payload = store__col_text(stmt, 3, a);
    out->state = store__col_text(stmt, 4, a);
    out->priority = store__col_int(stmt, 5);
    out->attempt = store__col_int(stmt, 6);
    out->max_attempts = store__col_int(stmt, 7);
    out->run_at = store__col_int(stmt, 8);
    out->lease_expires_at = store__col_is_null(stmt, 9) ? 0 : store__col_int(stmt, 9);
    out->worker_id = store__col_text(stmt, 10, a);
    out->unique_key = store__col_text(stmt, 11, a);
    out->idempotency_key = store__col_text(stmt, 12, a);
    out->last_error_class = store__col_text(stmt, 13, a);
    out->last_error_code = store__col_text(stmt, 14, a);
    out->last_error_message = store__col_text(stmt, 15, a);
    out->created_at = store__col_int(stmt, 16);
    out->finished_at = store__col_is_null(stmt, 17) ? 0 : store__col_int(stmt, 17);
}

enum pr_code store_jobs_enqueue(struct store *st, const struct tenant_ctx *t,
                                const struct job_new *in, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    char key[160];
    enum pr_code rc;

    rc = store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(in->kind),
                     STORE_TEXT(in->payload ? in->payload : "{}"), STORE_INT(in->priority),
                     STORE_INT(in->max_attempts > 0 ? in->max_attempts : 25),
                     STORE_INT(in->run_at > 0 ? in->run_at : now), STORE_TEXT(in->unique_key),
                     STORE_TEXT(in->idempotency_key), STORE_INT(now), STORE_INT(now)),
        out_id, err);
    if (rc == PR_CONFLICT) {
        pr_error_set(err, PR_CONFLICT, "a %s job with this key is already queued", in->kind);
        return pr_error_hint(err, "wait for it to finish, or cancel it first");
    }
    if (rc == PR_OK && in->idempotency_key == NULL) {
        (void)snprintf(key, sizeof key, "%.100s:%" PRId64, in->kind, *out_id);
        rc = store__exec(st, SQL_SET_KEY,
                         STORE_PARAMS(STORE_TEXT(key), STORE_INT(t->tenant_id), STORE_INT(*out_id)),
                         err);
    }
    return rc;
}

enum pr_code store_jobs_claim(struct store *st, const char *kind, int max_running, int limit,
                              const char *worker_id, int64_t lease_ms, struct arena *a,
                              struct job **out, size_t *n_out, struct pr_error *err)
{
    sqlite3_stmt *stmt = NULL;
    size_t n = 0, cap = 0, i;
    struct job *rows = NULL;
    int64_t now = store_now_ms(st);
    bool owns_tx = !st->in_transaction;
    enum pr_code rc = owns_tx ? store_begin(st, err) : PR_OK;

    if (rc == PR_OK)
        rc = store__query(st, SQL_CLAIM,
                          STORE_PARAMS(STORE_INT(now + lease_ms), STORE_INT(now),
                                       STORE_TEXT(worker_id), STORE_INT(now), STORE_TEXT(kind),
                                       STORE_INT(now), STORE_INT(max_running), STORE_INT(limit),
                                       STORE_INT(max_running), STORE_INT(max_running),
                                       STORE_INT(limit), STORE_INT(max_running), STORE_INT(limit),
                                       STORE_TEXT(kind)),
                          &stmt, err);
    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        rows = store__array_grow(a, rows, n, &cap, sizeof *rows);
        read_job(stmt, a, &rows[n++]);
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
    for (i = 0; rc == PR_OK && i < n; i++)
        rc = store__exec(st, SQL_ATTEMPT_START,
                         STORE_PARAMS(STORE_INT(rows[i].tenant_id), STORE_INT(rows[i].id),
                                      STORE_INT(rows[i].attempt), STORE_TEXT(worker_id),
                                      STORE_INT(now)),
                         err);
    if (owns_tx && rc == PR_OK)
        rc = store_commit(st, err);
    else if (owns_tx)
        store_rollback(st);
    if (rc == PR_OK) {
        *out = rows;
        *n_out = n;
    }
    return rc;
}

/* Runs an UPDATE of the running job held by `worker_id`; no row is PR_NOT_FOUND (the lease
 * was lost). */
static enum pr_code update_running(struct store *st, const char *sql,
                                   const struct store_param *params, size_t n_params,
                                   struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(st, sql, params, n_params, &n_changed, err);

    if (rc == PR_OK && n_changed == 0) {
        pr_error_set(err, PR_NOT_FOUND, "job is not running under this worker");
        return pr_error_hint(err, "its lease expired and it was given to another worker");
    }
    return rc;
}

static enum pr_code end_attempt(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const char *outcome, const char *error_class,
                                const char *error_code, const char *error_message,
                                struct pr_error *err)
{
    return store__exec(st, SQL_ATTEMPT_END,
                       STORE_PARAMS(STORE_INT(store_now_ms(st)), STORE_TEXT(outcome),
                                    STORE_TEXT(error_class), STORE_TEXT(error_code),
                                    STORE_TEXT(error_message), STORE_INT(t->tenant_id),
                                    STORE_INT(id), STORE_INT(t->tenant_id), STORE_INT(id)),
                       err);
}

enum pr_code store_jobs_heartbeat(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  const char *worker_id, int64_t lease_ms, struct pr_error *err)
{
    int64_t now = store_now_ms(st);

    return update_running(st, SQL_HEARTBEAT,
                          STORE_PARAMS(STORE_INT(now + lease_ms), STORE_INT(now), STORE_INT(now),
                                       STORE_INT(t->tenant_id), STORE_INT(id),
                                       STORE_TEXT(worker_id)),
                          err);
}

enum pr_code store_jobs_complete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 const char *worker_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc =
        update_running(st, SQL_COMPLETE,
                       STORE_PARAMS(STORE_INT(now), STORE_INT(now), STORE_INT(t->tenant_id),
                                    STORE_INT(id), STORE_TEXT(worker_id)),
                       err);

    if (rc == PR_OK)
        rc = end_attempt(st, t, id, "succeeded", NULL, NULL, NULL, err);
    return rc;
}

enum pr_code store_jobs_complete_batch(struct store *st, const char *worker_id, const int64_t *ids,
                                       size_t n, int64_t *n_completed, struct pr_error *err)
{
    struct buf id_list, done;
    sqlite3_stmt *stmt = NULL;
    int64_t now = store_now_ms(st), count = 0;
    size_t i;
    enum pr_code rc = PR_OK;

    buf_init(&id_list, 64 * 1024 * 1024);
    buf_init(&done, 64 * 1024 * 1024);
    (void)buf_putc(&id_list, '[');
    for (i = 0; i < n; i++)
        (void)buf_printf(&id_list, "%s%" PRId64, i > 0 ? "," : "", ids[i]);
    (void)buf_putc(&id_list, ']');
    (void)buf_putc(&done, '[');
    rc = store__query(st, SQL_COMPLETE_BATCH,
                      STORE_PARAMS(STORE_INT(now), STORE_INT(now), STORE_TEXT(buf_cstr(&id_list)),
                                   STORE_TEXT(worker_id)),
                      &stmt, err);
    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        const unsigned char *triple = sqlite3_column_text(stmt, 0);

        (void)buf_printf(&done, "%s%s", count > 0 ? "," : "", (const char *)triple);
        count++;
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
    (void)buf_putc(&done, ']');
    if (rc == PR_OK && count > 0)
        rc = store__exec(st, SQL_ATTEMPTS_END_BATCH,
                         STORE_PARAMS(STORE_INT(now), STORE_TEXT(buf_cstr(&done))), err);
    if (rc == PR_OK && n_completed != NULL)
        *n_completed = count;
    buf_free(&id_list);
    buf_free(&done);
    return rc;
}

enum pr_code store_jobs_fail(struct store *st, const struct tenant_ctx *t, int64_t id,
                             const char *worker_id, const char *error_class, const char *error_code,
                             const char *error_message, int64_t retry_at, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc = update_running(
        st, SQL_FAIL,
        STORE_PARAMS(STORE_INT(retry_at), STORE_INT(retry_at), STORE_INT(retry_at),
                     STORE_TEXT(error_class), STORE_TEXT(error_code), STORE_TEXT(error_message),
                     STORE_INT(retry_at), STORE_INT(now), STORE_INT(now), STORE_INT(t->tenant_id),
                     STORE_INT(id), STORE_TEXT(worker_id)),
        err);

    if (rc == PR_OK)
        rc = end_attempt(st, t, id, "failed", error_class, error_code, error_message, err);
    return rc;
}

enum pr_code store_jobs_release(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const char *worker_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);
    enum pr_code rc = update_running(
        st, SQL_RELEASE,
        STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id), STORE_INT(id), STORE_TEXT(worker_id)),
        err);

    if (rc == PR_OK)
        rc = store__exec(st, SQL_RELEASED_ATTEMPT,
                         STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id), STORE_INT(id),
                                      STORE_INT(t->tenant_id), STORE_INT(id)),
                         err);
    return rc;
}

enum pr_code store_jobs_reclaim_expired(struct store *st, int64_t *n_reclaimed,
                                        struct pr_error *err)
{
    int64_t now = store_now_ms(st), n = 0;
    bool owns_tx = !st->in_transaction;
    enum pr_code rc = owns_tx ? store_begin(st, err) : PR_OK;

    if (rc == PR_OK)
        rc = store__exec(st, SQL_EXPIRED_ATTEMPTS, STORE_PARAMS(STORE_INT(now), STORE_INT(now)),
                         err);
    if (rc == PR_OK)
        rc = store__exec_changes(
            st, SQL_RECLAIM,
            STORE_PARAMS(STORE_INT(now), STORE_INT(now), STORE_INT(now), STORE_INT(now)), &n, err);
    if (owns_tx && rc == PR_OK)
        rc = store_commit(st, err);
    else if (owns_tx)
        store_rollback(st);
    if (rc == PR_OK && n_reclaimed != NULL)
        *n_reclaimed = n;
    return rc;
}

enum pr_code store_jobs_running_workers(struct store *st, struct arena *a, char ***out,
                                        size_t *n_out, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    size_t n = 0, cap = 0;
    char **ids = NULL;
    enum pr_code rc = store__query(st, SQL_RUNNING_WORKERS, STORE_NO_PARAMS, &stmt, err);

    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        ids = store__array_grow(a, ids, n, &cap, sizeof *ids);
        ids[n++] = store__col_text(stmt, 0, a);
    }
    if (rc != PR_OK)
        return rc;
    *out = ids;
    *n_out = n;
    return PR_OK;
}

enum pr_code store_jobs_expire_worker(struct store *st, const char *worker_prefix,
                                      int64_t *n_expired, struct pr_error *err)
{
    int64_t now = store_now_ms(st), n = 0;
    enum pr_code rc;

    if (worker_prefix == NULL || worker_prefix[0] == '\0')
        return pr_error_set(err, PR_INVALID, "a worker id prefix is required");
    rc = store__exec_changes(st, SQL_EXPIRE_WORKER,
                             STORE_PARAMS(STORE_INT(now - 1), STORE_INT(now),
                                          STORE_TEXT(worker_prefix), STORE_TEXT(worker_prefix)),
                             &n, err);
    if (rc == PR_OK && n_expired != NULL)
        *n_expired = n;
    return rc;
}

enum pr_code store_jobs_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                            struct arena *a, struct job *out, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc =
        store__query(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &stmt, err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && !has_row)
        rc = pr_error_set(err, PR_NOT_FOUND, "job not found");
    if (rc == PR_OK)
        read_job(stmt, a, out);
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store_jobs_list(struct store *st, const struct tenant_ctx *t, const char *state,
                             int64_t before_id, int limit, struct arena *a, struct job **out,
                             size_t *n_out, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    size_t n = 0, cap = 0;
    struct job *rows = NULL;
    int64_t before = before_id > 0 ? before_id : INT64_MAX;
    enum pr_code rc;

    if (state == NULL)
        rc = store__query(st, SQL_LIST_ALL,
                          STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(before),
                                       STORE_INT(store__clamp_limit(limit))),
                          &stmt, err);
    else
        rc = store__query(st, SQL_LIST_STATE,
                          STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(state),
                                       STORE_INT(before), STORE_INT(store__clamp_limit(limit))),
                          &stmt, err);
    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        rows = store__array_grow(a, rows, n, &cap, sizeof *rows);
        read_job(stmt, a, &rows[n++]);
    }
    if (rc == PR_OK) {
        *out = rows;
        *n_out = n;
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store_jobs_attempts(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct job_attempt **out, size_t *n_out,
                                 struct pr_error *err)
{
    sqlite3_stmt *stmt;
    size_t n = 0, cap = 0;
    struct job_attempt *rows = NULL;
    int64_t exists = 0;
    enum pr_code rc = store__query_int(
        st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &exists, err);

    if (rc == PR_OK && exists == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "job not found");
    if (rc != PR_OK)
        return rc;
    rc = store__query(st, SQL_ATTEMPTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &stmt,
                      err);
    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        struct job_attempt *r;

        rows = store__array_grow(a, rows, n, &cap, sizeof *rows);
        r = &rows[n++];
        r->attempt = store__col_int(stmt, 0);
        r->worker_id = store__col_text(stmt, 1, a);
        r->started_at = store__col_int(stmt, 2);
        r->finished_at = store__col_is_null(stmt, 3) ? 0 : store__col_int(stmt, 3);
        r->outcome = store__col_text(stmt, 4, a);
        r->error_class = store__col_text(stmt, 5, a);
        r->error_code = store__col_text(stmt, 6, a);
        r->error_message = store__col_text(stmt, 7, a);
    }
    if (rc == PR_OK) {
        *out = rows;
        *n_out = n;
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

/* A state change that only some states allow: no row is PR_NOT_FOUND when the job is not the
 * tenant's, PR_CONFLICT when it is in another state. */
static enum pr_code change_state(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 const char *sql, const char *refusal, struct pr_error *err)
{
    int64_t now = store_now_ms(st), n_changed = 0, exists = 0;
    enum pr_code rc = store__exec_changes(
        st, sql,
        STORE_PARAMS(STORE_INT(now), STORE_INT(now), STORE_INT(t->tenant_id), STORE_INT(id)),
        &n_changed, err);

    if (rc != PR_OK || n_changed > 0)
        return rc;
    rc = store__query_int(st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)),
                          &exists, err);
    if (rc == PR_OK)
        rc = exists ? pr_error_set(err, PR_CONFLICT, "%s", refusal)
                    : pr_error_set(err, PR_NOT_FOUND, "job not found");
    return rc;
}

enum pr_code store_jobs_retry(struct store *st, const struct tenant_ctx *t, int64_t id,
                              struct pr_error *err)
{
    return change_state(st, t, id, SQL_RETRY, "only a discarded job (a dead letter) is retried",
                        err);
}

enum pr_code store_jobs_cancel(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct pr_error *err)
{
    return change_state(st, t, id, SQL_CANCEL, "a running or finished job cannot be cancelled",
                        err);
}
