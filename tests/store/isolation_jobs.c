/*
 * Isolation cases of the job queue (store/jobs.h), run by isolation_test.c like its own: act
 * as tenant A against tenant B's job ids, keys and worker id; B's jobs and attempts are
 * compared with their snapshot afterwards.
 *
 * store_jobs_claim and store_jobs_reclaim_expired serve every tenant at once (workers are
 * shared), so their cases prove something else: a claim hands out B's job with tenant_id ==
 * B (the runner binds its tenant context from it, so B's job runs as B, never as A), and a
 * reclaim takes back only leases that expired, so B's running job keeps its worker.
 */
#include "isolation_snapshot.h"

#include "store/jobs.h"

#include <inttypes.h>
#include <string.h>

/* A kind only A enqueues, so that claiming it cannot take one of B's jobs. */
#define JOB_KIND_A "a.only"
#define WORKER_A   "worker-a"

/* Claims the one due job of `kind` for `worker`; it must be `tenant`'s job `id`. */
static void claim_one(struct world *w, const char *kind, const char *worker, int64_t lease_ms,
                      const struct tenant_ctx *tenant, int64_t id)
{
    struct job *claimed = NULL;
    size_t n = 0;

    assert_ok(
        store_jobs_claim(w->st, kind, 0, 10, worker, lease_ms, w->arena, &claimed, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(claimed[0].id, id);
    assert_int_equal(claimed[0].tenant_id, tenant->tenant_id);
}

static int64_t enqueue(struct world *w, const struct tenant_ctx *tenant, const char *kind,
                       int priority, int max_attempts)
{
    struct job_new in = {0};
    int64_t id = 0;

    in.kind = kind;
    in.payload = "{\"contact\":1}";
    in.priority = priority;
    in.max_attempts = max_attempts;
    assert_ok(store_jobs_enqueue(w->st, tenant, &in, &id, &w->fx->err), w->fx);
    return id;
}

void seed_jobs(struct world *w)
{
    struct store_fixture *fx = w->fx;
    struct job_new in = {0};
    int64_t n = 0;

    /* A dead letter whose attempts ended every way a failure ends: the lease expired, a
     * transient error (retried), a permanent one (discarded). */
    w->b_job_discarded = enqueue(w, w->b, JOB_KIND_B_DISCARDED, 0, 3);
    claim_one(w, JOB_KIND_B_DISCARDED, WORKER_B, 1000, w->b, w->b_job_discarded);
    clock_fake_advance(&fx->clock, 2000);
    assert_ok(store_jobs_reclaim_expired(w->st, &n, &fx->err), fx);
    assert_int_equal(n, 1);
    claim_one(w, JOB_KIND_B_DISCARDED, WORKER_B, 60000, w->b, w->b_job_discarded);
    assert_ok(store_jobs_fail(w->st, w->b, w->b_job_discarded, WORKER_B, "transient", "http_503",
                              "service unavailable", store_now_ms(w->st) + 1000, &fx->err),
              fx);
    clock_fake_advance(&fx->clock, 1000);
    claim_one(w, JOB_KIND_B_DISCARDED, WORKER_B, 60000, w->b, w->b_job_discarded);
    assert_ok(store_jobs_fail(w->st, w->b, w->b_job_discarded, WORKER_B, "permanent", "http_400",
                              "bad request", 0, &fx->err),
              fx);

    /* A job that succeeded. */
    w->b_job_succeeded = enqueue(w, w->b, JOB_KIND_B_SUCCEEDED, 0, 0);
    claim_one(w, JOB_KIND_B_SUCCEEDED, WORKER_B, 60000, w->b, w->b_job_succeeded);
    assert_ok(store_jobs_complete(w->st, w->b, w->b_job_succeeded, WORKER_B, &fx->err), fx);

    /* An available job with both keys, above A's in priority. */
    in.kind = JOB_KIND_B;
    in.payload = "{\"to\":\"jo@b.example\"}";
    in.priority = 5;
    in.max_attempts = 4;
    in.unique_key = UNIQUE_KEY_B;
    in.idempotency_key = IDEMPOTENCY_KEY_B;
    assert_ok(store_jobs_enqueue(w->st, w->b, &in, &w->b_job_available, &fx->err), fx);

    /* A running job, claimed with a lease no case outlives. */
    w->b_job_running = enqueue(w, w->b, JOB_KIND_B_RUNNING, 1, 0);
    claim_one(w, JOB_KIND_B_RUNNING, WORKER_B, LEASE_B_MS, w->b, w->b_job_running);

    /* A's job: of B's available kind, so a claim of that kind serves both tenants. */
    w->a_job = enqueue(w, w->a, JOB_KIND_B, 0, 0);
}

/* ---- tenant-scoped calls -------------------------------------------------------------------- */

void case_jobs_enqueue(struct world *w)
{
    struct job_new in = {0};
    struct job out;
    char b_generated_key[64];
    int64_t id = 0, other = 0;

    /* Unique and idempotency keys are per tenant: A may use B's, and gets a job of its own. */
    in.kind = JOB_KIND_B;
    in.unique_key = UNIQUE_KEY_B;
    in.idempotency_key = IDEMPOTENCY_KEY_B;
    assert_ok(store_jobs_enqueue(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_job_available);
    assert_ok(store_jobs_get(w->st, w->a, id, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
    assert_string_equal(out.state, "available");
    assert_string_equal(out.unique_key, UNIQUE_KEY_B);
    assert_string_equal(out.idempotency_key, IDEMPOTENCY_KEY_B);
    /* The keys still hold within A: the success above was not a missing constraint. */
    assert_int_equal(store_jobs_enqueue(w->st, w->a, &in, &other, &w->fx->err), PR_CONFLICT);
    in.unique_key = NULL;
    assert_int_equal(store_jobs_enqueue(w->st, w->a, &in, &other, &w->fx->err), PR_CONFLICT);
    /* B's generated key ("<kind>:<id>") is free for A too. */
    (void)snprintf(b_generated_key, sizeof b_generated_key, "%s:%" PRId64, JOB_KIND_B_SUCCEEDED,
                   w->b_job_succeeded);
    in.kind = JOB_KIND_B_SUCCEEDED;
    in.idempotency_key = b_generated_key;
    assert_ok(store_jobs_enqueue(w->st, w->a, &in, &other, &w->fx->err), w->fx);
    assert_ok(store_jobs_get(w->st, w->a, other, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
    assert_string_equal(out.idempotency_key, b_generated_key);
}

/* Runs `call` as A on B's running job with B's worker, then on a job that does not exist, once
 * by itself and once in a caller's transaction (where nothing would roll back a stray write
 * before the snapshot is compared). */
#define assert_running_hidden(w, id, call)                                                         \
    do {                                                                                           \
        assert_hidden(w, id, (w)->b_job_running, MISSING_ID, call);                                \
        assert_ok(store_begin((w)->st, &(w)->fx->err), (w)->fx);                                   \
        assert_hidden(w, id, (w)->b_job_running, MISSING_ID, call);                                \
        assert_ok(store_commit((w)->st, &(w)->fx->err), (w)->fx);                                  \
    } while (0)

void case_jobs_heartbeat(struct world *w)
{
    int64_t id;

    assert_running_hidden(w, id,
                          store_jobs_heartbeat(w->st, w->a, id, WORKER_B, LEASE_B_MS, &w->fx->err));
}

void case_jobs_complete(struct world *w)
{
    int64_t id;

    assert_running_hidden(w, id, store_jobs_complete(w->st, w->a, id, WORKER_B, &w->fx->err));
}

void case_jobs_fail(struct world *w)
{
    int64_t id, retry_at = store_now_ms(w->st) + 1000;

    /* Both endings of a failure: retried later, and discarded. */
    assert_running_hidden(w, id,
                          store_jobs_fail(w->st, w->a, id, WORKER_B, "transient", "http_503",
                                          "forged", retry_at, &w->fx->err));
    assert_running_hidden(w, id,
                          store_jobs_fail(w->st, w->a, id, WORKER_B, "permanent", "http_400",
                                          "forged", 0, &w->fx->err));
}

void case_jobs_release(struct world *w)
{
    int64_t id;

    assert_running_hidden(w, id, store_jobs_release(w->st, w->a, id, WORKER_B, &w->fx->err));
}

void case_jobs_get(struct world *w)
{
    const int64_t b_jobs[] = {w->b_job_available, w->b_job_running, w->b_job_discarded,
                              w->b_job_succeeded};
    struct job out;
    int64_t id;
    size_t k;

    for (k = 0; k < N_OF(b_jobs); k++)
        assert_hidden(w, id, b_jobs[k], MISSING_ID,
                      store_jobs_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_jobs_attempts(struct world *w)
{
    const int64_t b_jobs[] = {w->b_job_available, w->b_job_running, w->b_job_discarded,
                              w->b_job_succeeded};
    struct job_attempt *rows = NULL;
    size_t n = 0, k;
    int64_t id;

    for (k = 0; k < N_OF(b_jobs); k++)
        assert_hidden(w, id, b_jobs[k], MISSING_ID,
                      store_jobs_attempts(w->st, w->a, id, w->arena, &rows, &n, &w->fx->err));
}

void case_jobs_list(struct world *w)
{
    static const char *const states[] = {NULL,        "available", "running",  "succeeded",
                                         "retryable", "discarded", "cancelled"};
    struct job *rows = NULL;
    size_t n = 99, i, k;

    /* A has one available job: every state and page gives it or nothing, never B's. */
    for (k = 0; k < N_OF(states); k++) {
        assert_ok(
            store_jobs_list(w->st, w->a, states[k], 0, 1000, w->arena, &rows, &n, &w->fx->err),
            w->fx);
        assert_int_equal(n, k < 2 ? 1 : 0);
        for (i = 0; i < n; i++) {
            assert_int_equal(rows[i].id, w->a_job);
            assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        }
    }
    /* Paging from beyond B's ids, and from A's job downwards (B's older ones are below it). */
    assert_ok(
        store_jobs_list(w->st, w->a, NULL, w->a_job + 1000, 1000, w->arena, &rows, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, w->a_job);
    assert_ok(store_jobs_list(w->st, w->a, NULL, w->a_job, 1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

void case_jobs_retry(struct world *w)
{
    int64_t id;

    /* B's dead letter (which B could retry) and B's available job (where B would get
     * PR_CONFLICT): to A both are missing, so not even their state leaks. */
    assert_hidden(w, id, w->b_job_discarded, MISSING_ID,
                  store_jobs_retry(w->st, w->a, id, &w->fx->err));
    assert_hidden(w, id, w->b_job_available, MISSING_ID,
                  store_jobs_retry(w->st, w->a, id, &w->fx->err));
}

void case_jobs_cancel(struct world *w)
{
    const int64_t b_jobs[] = {w->b_job_available, w->b_job_discarded, w->b_job_running,
                              w->b_job_succeeded};
    int64_t id;
    size_t k;

    /* Cancellable for B (available, discarded) or a PR_CONFLICT for B (running, succeeded):
     * missing to A either way. */
    for (k = 0; k < N_OF(b_jobs); k++)
        assert_hidden(w, id, b_jobs[k], MISSING_ID,
                      store_jobs_cancel(w->st, w->a, id, &w->fx->err));
}

/* ---- the calls that serve all tenants ------------------------------------------------------- */

void case_jobs_claim(struct world *w)
{
    static const char *const b_busy_kinds[] = {JOB_KIND_B_RUNNING, JOB_KIND_B_DISCARDED,
                                               JOB_KIND_B_SUCCEEDED};
    struct job *claimed = NULL, out;
    int64_t a_running;
    size_t n = 99, k;

    /* Of the kinds where B's job is running or finished, a claim takes none of B's; once A
     * has a due job of such a kind, a claim takes just that one (all committed: the snapshot
     * shows B untouched). */
    for (k = 0; k < N_OF(b_busy_kinds); k++) {
        assert_ok(store_jobs_claim(w->st, b_busy_kinds[k], 0, 10, WORKER_A, 60000, w->arena,
                                   &claimed, &n, &w->fx->err),
                  w->fx);
        assert_int_equal(n, 0);
    }
    a_running = enqueue(w, w->a, JOB_KIND_B_RUNNING, 0, 0);
    assert_ok(store_jobs_claim(w->st, JOB_KIND_B_RUNNING, 0, 10, WORKER_A, 60000, w->arena,
                               &claimed, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(claimed[0].id, a_running);
    assert_int_equal(claimed[0].tenant_id, w->a->tenant_id);

    /* B's due job is claimed as B's: its tenant_id is B (the runner's tenant context comes
     * from it), with B's keys. Claiming it changes B by design, so this part runs in a
     * transaction that is rolled back. */
    assert_ok(store_begin(w->st, &w->fx->err), w->fx);
    assert_ok(store_jobs_claim(w->st, JOB_KIND_B, 0, 10, WORKER_A, 60000, w->arena, &claimed, &n,
                               &w->fx->err),
              w->fx);
    assert_int_equal(n, 2);
    assert_int_equal(claimed[0].id, w->b_job_available);
    assert_int_equal(claimed[0].tenant_id, w->b->tenant_id);
    assert_string_equal(claimed[0].state, "running");
    assert_string_equal(claimed[0].worker_id, WORKER_A);
    assert_string_equal(claimed[0].unique_key, UNIQUE_KEY_B);
    assert_string_equal(claimed[0].idempotency_key, IDEMPOTENCY_KEY_B);
    assert_int_equal(claimed[1].id, w->a_job);
    assert_int_equal(claimed[1].tenant_id, w->a->tenant_id);
    /* Holding B's job's lease does not let the worker act on it as A: only as B. */
    assert_int_equal(
        store_jobs_heartbeat(w->st, w->a, w->b_job_available, WORKER_A, 60000, &w->fx->err),
        PR_NOT_FOUND);
    assert_int_equal(store_jobs_complete(w->st, w->a, w->b_job_available, WORKER_A, &w->fx->err),
                     PR_NOT_FOUND);
    assert_int_equal(store_jobs_get(w->st, w->a, w->b_job_available, w->arena, &out, &w->fx->err),
                     PR_NOT_FOUND);
    assert_ok(store_jobs_heartbeat(w->st, w->b, w->b_job_available, WORKER_A, 60000, &w->fx->err),
              w->fx);
    assert_ok(store_jobs_get(w->st, w->b, w->b_job_available, w->arena, &out, &w->fx->err), w->fx);
    assert_string_equal(out.state, "running");
    assert_string_equal(out.worker_id, WORKER_A);
    store_rollback(w->st);
}

/* Cross-tenant by design (the workers are shared): lists B's worker too, and only ids. */
void case_jobs_running_workers(struct world *w)
{
    char **ids = NULL;
    size_t n = 0, i;
    bool has_b = false, has_a = false;
    int64_t running = enqueue(w, w->a, JOB_KIND_A, 0, 0);

    claim_one(w, JOB_KIND_A, WORKER_A, 60000, w->a, running);
    assert_ok(store_jobs_running_workers(w->st, w->arena, &ids, &n, &w->fx->err), w->fx);
    for (i = 0; i < n; i++) {
        has_b = has_b || strcmp(ids[i], WORKER_B) == 0;
        has_a = has_a || strcmp(ids[i], WORKER_A) == 0;
    }
    assert_true(has_a && has_b);
}

/* Completes only the jobs running under the calling worker: B's running job id, slipped into
 * A's batch, stays running under WORKER_B. */
void case_jobs_complete_batch(struct world *w)
{
    struct job out;
    int64_t ids[2], n = 99;

    ids[0] = enqueue(w, w->a, JOB_KIND_A, 0, 0);
    claim_one(w, JOB_KIND_A, WORKER_A, 60000, w->a, ids[0]);
    ids[1] = w->b_job_running;
    assert_ok(store_jobs_complete_batch(w->st, WORKER_A, ids, 2, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_ok(store_jobs_get(w->st, w->a, ids[0], w->arena, &out, &w->fx->err), w->fx);
    assert_string_equal(out.state, "succeeded");
    assert_ok(store_jobs_get(w->st, w->b, w->b_job_running, w->arena, &out, &w->fx->err), w->fx);
    assert_string_equal(out.state, "running");
    assert_string_equal(out.worker_id, WORKER_B);
}

/* Ends only the leases of the named worker's jobs: A expiring its own worker leaves B's
 * running job (WORKER_B) untouched, and a prefix must match from the start. */
void case_jobs_expire_worker(struct world *w)
{
    struct job out;
    int64_t n = 99;
    int64_t running = enqueue(w, w->a, JOB_KIND_A, 0, 0);

    claim_one(w, JOB_KIND_A, WORKER_A, 60000, w->a, running);
    assert_ok(store_jobs_expire_worker(w->st, "-b", &n, &w->fx->err), w->fx);
    assert_int_equal(n, 0);
    assert_ok(store_jobs_expire_worker(w->st, WORKER_A, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_ok(store_jobs_reclaim_expired(w->st, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_ok(store_jobs_get(w->st, w->a, running, w->arena, &out, &w->fx->err), w->fx);
    assert_string_equal(out.state, "retryable");
    assert_int_equal(store_jobs_expire_worker(w->st, "", &n, &w->fx->err), PR_INVALID);
}

void case_jobs_reclaim_expired(struct world *w)
{
    struct job_attempt *attempts = NULL;
    struct job out;
    int64_t expiring, holding, n = 99;
    size_t n_attempts = 0;

    /* Two of A's jobs run besides B's: one with a short lease, one with a long one. */
    expiring = enqueue(w, w->a, JOB_KIND_A, 1, 0);
    claim_one(w, JOB_KIND_A, WORKER_A, 1000, w->a, expiring);
    holding = enqueue(w, w->a, JOB_KIND_A, 0, 0);
    claim_one(w, JOB_KIND_A, WORKER_A, 60000, w->a, holding);
    assert_ok(store_jobs_reclaim_expired(w->st, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 0);
    /* Past the short lease only (B's and the long one are far from expiring). */
    clock_fake_advance(&w->fx->clock, 2000);
    assert_ok(store_jobs_reclaim_expired(w->st, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_ok(store_jobs_get(w->st, w->a, expiring, w->arena, &out, &w->fx->err), w->fx);
    assert_string_equal(out.state, "retryable");
    assert_string_equal(out.last_error_code, "lease_expired");
    assert_ok(
        store_jobs_attempts(w->st, w->a, expiring, w->arena, &attempts, &n_attempts, &w->fx->err),
        w->fx);
    assert_int_equal(n_attempts, 1);
    assert_string_equal(attempts[0].outcome, "lease_expired");
    assert_ok(store_jobs_get(w->st, w->a, holding, w->arena, &out, &w->fx->err), w->fx);
    assert_string_equal(out.state, "running");
    assert_ok(
        store_jobs_attempts(w->st, w->a, holding, w->arena, &attempts, &n_attempts, &w->fx->err),
        w->fx);
    assert_int_equal(n_attempts, 1);
    assert_null(attempts[0].outcome);
    assert_ok(store_jobs_reclaim_expired(w->st, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 0);
}
