/* Running one claimed job and recording what happened (see runner.h). */
#include "jobs/runner.h"

#include "util/crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_LEASE_MS 60000
/* A job's outcome is worth waiting for: the work is done, and a lost outcome means the job
 * runs again after its lease. So a busy database (another connection held the lock past the
 * busy timeout) is tried again a few times. */
#define OUTCOME_TRIES 5

enum pr_code jobs_complete_in_transaction(struct job_run *run, struct pr_error *err)
{
    enum pr_code rc = store_jobs_complete(run->env->st, run->t, run->job->id, run->worker_id, err);

    if (rc == PR_OK)
        run->is_completed = true;
    return rc;
}

enum pr_code jobs_heartbeat(struct job_run *run, struct pr_error *err)
{
    return store_jobs_heartbeat(run->env->st, run->t, run->job->id, run->worker_id, run->lease_ms,
                                err);
}

enum retry_class jobs_class_of(enum pr_code code)
{
    switch (code) {
    case PR_UNAVAILABLE:
    case PR_IO:
    case PR_INTERNAL:
        return RETRY_CLASS_TRANSIENT;
    case PR_AUTH:
    case PR_FORBIDDEN:
        return RETRY_CLASS_AUTH;
    case PR_CONFLICT:
        return RETRY_CLASS_DUPLICATE;
    default:
        return RETRY_CLASS_PERMANENT;
    }
}

bool jobs_failure_is_final(const struct job_run *run, enum pr_code code)
{
    enum retry_class cls = run->has_error_class ? run->error_class : jobs_class_of(code);

    return !retry_class_retries(cls) || run->job->attempt >= run->job->max_attempts;
}

static uint64_t random_u64(void)
{
    uint64_t value;

    crypto_random_bytes(&value, sizeof value);
    return value;
}

/* Records a failed attempt: retryable after the backoff, or discarded. */
static enum pr_code record_failure(struct job_run *run, enum pr_code code,
                                   const struct pr_error *failure,
                                   const struct retry_policy *defaults, struct pr_error *err)
{
    struct retry_policy policy = *defaults;
    struct retry_decision decision;
    enum retry_class cls = run->has_error_class ? run->error_class : jobs_class_of(code);
    int64_t retry_at = 0;
    int tries;
    enum pr_code rc = PR_UNAVAILABLE;

    policy.max_attempts = (int)run->job->max_attempts;
    retry_decide(&policy, cls, (int)run->job->attempt, run->has_retry_after, run->retry_after_ms,
                 random_u64(), &decision);
    if (decision.action == RETRY_ACTION_RETRY)
        retry_at = store_now_ms(run->env->st) + decision.delay_ms + 1;
    for (tries = 0; tries < OUTCOME_TRIES && rc == PR_UNAVAILABLE; tries++) {
        rc = store_begin(run->env->st, err);
        if (rc == PR_OK)
            rc = store_jobs_fail(run->env->st, run->t, run->job->id, run->worker_id,
                                 retry_class_name(cls), pr_code_slug(code), failure->message,
                                 retry_at, err);
        if (rc == PR_OK)
            rc = store_commit(run->env->st, err);
        else
            store_rollback(run->env->st);
    }
    return rc;
}

/* Completes the claimed jobs marked in `pending` in one transaction (a batch costs one commit).
 * A job whose lease was lost is skipped: it runs elsewhere. */
static enum pr_code complete_all(struct jobs_env *env, const struct job *jobs, const bool *pending,
                                 size_t n, const char *worker_id, struct arena *a,
                                 struct pr_error *err)
{
    int64_t *ids = arena_calloc(a, n, sizeof *ids);
    size_t n_ids = 0, k;
    enum pr_code rc = PR_UNAVAILABLE;
    int tries;

    for (k = 0; k < n; k++)
        if (pending[k])
            ids[n_ids++] = jobs[k].id;
    if (n_ids == 0)
        return PR_OK;
    for (tries = 0; tries < OUTCOME_TRIES && rc == PR_UNAVAILABLE; tries++) {
        rc = store_begin(env->st, err);
        if (rc == PR_OK)
            rc = store_jobs_complete_batch(env->st, worker_id, ids, n_ids, NULL, err);
        if (rc == PR_OK)
            rc = store_commit(env->st, err);
        else
            store_rollback(env->st);
    }
    return rc;
}

/* Runs one claimed job. A success the handler did not complete itself is left to the caller
 * (*is_pending), which completes the batch together; a failure is recorded at once. */
static enum pr_code run_claimed(struct jobs_env *env, const struct job_kind *kind,
                                const struct job *job, const char *worker_id,
                                const struct retry_policy *policy, bool *is_pending,
                                struct pr_error *err)
{
    struct tenant_ctx t = {job->tenant_id};
    struct job_run run;
    struct pr_error failure;
    enum pr_code handler_rc, rc = PR_OK;

    memset(&run, 0, sizeof run);
    run.env = env;
    run.t = &t;
    run.job = job;
    run.worker_id = worker_id;
    run.lease_ms = kind->lease_ms > 0 ? kind->lease_ms : DEFAULT_LEASE_MS;
    run.ctx = kind->ctx;
    run.arena = arena_new(0);
    pr_error_clear(&failure);
    handler_rc = kind->handler(&run, &failure);
    *is_pending = handler_rc == PR_OK && !run.is_completed;
    if (handler_rc != PR_OK) {
        if (env->log != NULL) {
            char id[32];

            (void)snprintf(id, sizeof id, "job-%" PRId64, job->id);
            log_error(env->log, LOG_WARN, id, &failure);
        }
        rc = record_failure(&run, handler_rc, &failure, policy, err);
    }
    /* A lost lease is not this worker's failure: the job runs elsewhere. */
    if (rc == PR_NOT_FOUND)
        rc = PR_OK;
    arena_free(run.arena);
    return rc;
}

enum pr_code jobs_work_once(struct jobs_env *env, const struct job_kind *kinds, size_t n_kinds,
                            const char *worker_id, const struct retry_policy *policy, bool *ran,
                            struct pr_error *err)
{
    struct arena *a = arena_new(4096);
    struct job *claimed = NULL;
    size_t n = 0, i;
    int64_t now = clock_now_ms(env->clock);
    enum pr_code rc = PR_OK;

    if (now >= env->next_reclaim_at) {
        rc = store_jobs_reclaim_expired(env->st, NULL, err);
        env->next_reclaim_at = now + env->reclaim_every_ms;
    }

    *ran = false;
    for (i = 0; rc == PR_OK && i < n_kinds && n == 0; i++) {
        int64_t lease = kinds[i].lease_ms > 0 ? kinds[i].lease_ms : DEFAULT_LEASE_MS;

        bool *pending;
        size_t k;

        rc = store_jobs_claim(env->st, kinds[i].name, kinds[i].max_running,
                              kinds[i].claim_batch > 1 ? kinds[i].claim_batch : 1, worker_id, lease,
                              a, &claimed, &n, err);
        pending = arena_calloc(a, n > 0 ? n : 1, sizeof *pending);
        for (k = 0; rc == PR_OK && k < n; k++) {
            rc = run_claimed(env, &kinds[i], &claimed[k], worker_id, policy, &pending[k], err);
            env->n_ran++;
            *ran = true;
        }
        /* Even after a store failure: the jobs that did succeed are worth recording. */
        if (n > 0) {
            struct pr_error complete_err;
            enum pr_code complete_rc =
                complete_all(env, claimed, pending, n, worker_id, a, &complete_err);

            if (rc == PR_OK && complete_rc != PR_OK) {
                rc = complete_rc;
                *err = complete_err;
            }
        }
    }
    arena_free(a);
    return rc;
}
