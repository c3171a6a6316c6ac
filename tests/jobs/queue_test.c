/*
 * The job queue and runner over a real SQLite file with a fake clock: claim with a lease,
 * attempts and their history, unique jobs, the outbox (a job enqueued in a rolled-back
 * transaction does not exist), lease expiry and reclaim, retries by error class with bounded
 * backoff and Retry-After, dead letters and their replay, per-kind concurrency.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../store/store_test_util.h"

#include "jobs/runner.h"
#include "jobs/scheduler.h"
#include "store/schedules.h"
#include "store/jobs.h"

#include <string.h>

static struct job_new job_of(const char *kind)
{
    struct job_new j;

    memset(&j, 0, sizeof j);
    j.kind = kind;
    return j;
}

static struct job *claim(struct store_fixture *fx, const char *kind, int max_running, size_t *n)
{
    struct job *jobs = NULL;

    assert_store_ok(
        store_jobs_claim(fx->st, kind, max_running, 10, "w1", 1000, fx->arena, &jobs, n, &fx->err),
        fx);
    return jobs;
}

static void test_enqueue_claim_complete(void **state)
{
    struct store_fixture *fx = *state;
    struct job_new j = job_of("noop");
    struct job *jobs, done;
    struct job_attempt *attempts = NULL;
    size_t n = 0;
    int64_t id = 0;

    j.payload = "{\"row\":1}";
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &id, &fx->err), fx);
    jobs = claim(fx, "noop", 0, &n);
    assert_int_equal(n, 1);
    assert_int_equal(jobs[0].id, id);
    assert_int_equal(jobs[0].tenant_id, fx->tenant_a.tenant_id);
    assert_int_equal(jobs[0].attempt, 1);
    assert_string_equal(jobs[0].state, "running");
    assert_string_equal(jobs[0].payload, "{\"row\":1}");
    assert_int_equal(jobs[0].lease_expires_at, 1764000000000 + 1000);
    /* The idempotency key is stable: "<kind>:<id>". */
    assert_non_null(strstr(jobs[0].idempotency_key, "noop:"));
    assert_int_equal(claim(fx, "noop", 0, &n) == NULL || n == 0, 1); /* nothing else due */
    assert_store_ok(store_jobs_complete(fx->st, &fx->tenant_a, id, "w1", &fx->err), fx);
    assert_store_ok(store_jobs_get(fx->st, &fx->tenant_a, id, fx->arena, &done, &fx->err), fx);
    assert_string_equal(done.state, "succeeded");
    assert_store_ok(
        store_jobs_attempts(fx->st, &fx->tenant_a, id, fx->arena, &attempts, &n, &fx->err), fx);
    assert_int_equal(n, 1);
    assert_string_equal(attempts[0].outcome, "succeeded");
    /* Completing twice, or by another worker, is refused. */
    assert_int_equal(store_jobs_complete(fx->st, &fx->tenant_a, id, "w1", &fx->err), PR_NOT_FOUND);
}

static void test_unique_jobs_and_outbox(void **state)
{
    struct store_fixture *fx = *state;
    struct job_new j = job_of("sync");
    struct job *jobs;
    size_t n = 0;
    int64_t id = 0, other = 0;

    j.unique_key = "crm-push:42";
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &id, &fx->err), fx);
    assert_int_equal(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &other, &fx->err), PR_CONFLICT);
    assert_non_null(strstr(fx->err.message, "already queued"));
    /* Another tenant has its own keys. */
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_b, &j, &other, &fx->err), fx);
    /* Still unique while running; free again once finished. */
    jobs = claim(fx, "sync", 0, &n);
    assert_int_equal(n, 2);
    assert_int_equal(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &other, &fx->err), PR_CONFLICT);
    assert_store_ok(store_jobs_complete(fx->st, &fx->tenant_a, id, "w1", &fx->err), fx);
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &other, &fx->err), fx);
    (void)jobs;
    /* Outbox: a job enqueued in a transaction that rolls back never existed. */
    assert_store_ok(store_begin(fx->st, &fx->err), fx);
    j.unique_key = "rolled-back";
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &other, &fx->err), fx);
    store_rollback(fx->st);
    assert_int_equal(store_jobs_get(fx->st, &fx->tenant_a, other, fx->arena, &jobs[0], &fx->err),
                     PR_NOT_FOUND);
}

static void test_expired_lease_is_reclaimed(void **state)
{
    struct store_fixture *fx = *state;
    struct job_new j = job_of("slow");
    struct job *jobs;
    struct job_attempt *attempts = NULL;
    size_t n = 0;
    int64_t id = 0, n_reclaimed = 0;

    j.max_attempts = 2;
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &id, &fx->err), fx);
    jobs = claim(fx, "slow", 0, &n);
    assert_int_equal(n, 1);
    /* A heartbeat extends the lease: nothing is reclaimed 900 ms later. */
    clock_fake_advance(&fx->clock, 900);
    assert_store_ok(store_jobs_heartbeat(fx->st, &fx->tenant_a, id, "w1", 1000, &fx->err), fx);
    clock_fake_advance(&fx->clock, 900);
    assert_store_ok(store_jobs_reclaim_expired(fx->st, &n_reclaimed, &fx->err), fx);
    assert_int_equal(n_reclaimed, 0);
    /* The worker dies: past the lease, the job is reclaimed and its attempt recorded. */
    clock_fake_advance(&fx->clock, 200);
    assert_store_ok(store_jobs_reclaim_expired(fx->st, &n_reclaimed, &fx->err), fx);
    assert_int_equal(n_reclaimed, 1);
    /* The old worker's lease is gone: it may not report anything. */
    assert_int_equal(store_jobs_heartbeat(fx->st, &fx->tenant_a, id, "w1", 1000, &fx->err),
                     PR_NOT_FOUND);
    assert_int_equal(store_jobs_complete(fx->st, &fx->tenant_a, id, "w1", &fx->err), PR_NOT_FOUND);
    jobs = claim(fx, "slow", 0, &n);
    assert_int_equal(n, 1);
    assert_int_equal(jobs[0].attempt, 2);
    /* Lease lost on the last attempt: discarded, with both attempts in the history. */
    clock_fake_advance(&fx->clock, 5000);
    assert_store_ok(store_jobs_reclaim_expired(fx->st, &n_reclaimed, &fx->err), fx);
    assert_store_ok(store_jobs_get(fx->st, &fx->tenant_a, id, fx->arena, &jobs[0], &fx->err), fx);
    assert_string_equal(jobs[0].state, "discarded");
    assert_string_equal(jobs[0].last_error_code, "lease_expired");
    assert_store_ok(
        store_jobs_attempts(fx->st, &fx->tenant_a, id, fx->arena, &attempts, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_string_equal(attempts[0].outcome, "lease_expired");
    assert_string_equal(attempts[1].outcome, "lease_expired");
}

static void test_release_gives_the_attempt_back(void **state)
{
    struct store_fixture *fx = *state;
    struct job_new j = job_of("released");
    struct job *jobs;
    struct job_attempt *attempts = NULL;
    size_t n = 0;
    int64_t id = 0;

    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &id, &fx->err), fx);
    (void)claim(fx, "released", 0, &n);
    assert_store_ok(store_jobs_release(fx->st, &fx->tenant_a, id, "w1", &fx->err), fx);
    /* Claimed again (by any tenant's worker): same attempt number, no collision. */
    jobs = claim(fx, "released", 0, &n);
    assert_int_equal(n, 1);
    assert_int_equal(jobs[0].attempt, 1);
    assert_store_ok(store_jobs_complete(fx->st, &fx->tenant_a, id, "w1", &fx->err), fx);
    assert_store_ok(
        store_jobs_attempts(fx->st, &fx->tenant_a, id, fx->arena, &attempts, &n, &fx->err), fx);
    assert_int_equal(n, 1);
    assert_string_equal(attempts[0].outcome, "succeeded");
}

static void test_per_kind_concurrency(void **state)
{
    struct store_fixture *fx = *state;
    struct job_new j = job_of("limited");
    size_t n = 0;
    int64_t id = 0;
    int i;

    for (i = 0; i < 3; i++)
        assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_a, &j, &id, &fx->err), fx);
    (void)claim(fx, "limited", 2, &n);
    assert_int_equal(n, 2);
    (void)claim(fx, "limited", 2, &n);
    assert_int_equal(n, 0); /* two already run: the limit holds */
}

/* Handlers for the runner tests: their behaviour is set through the payload. */
static int n_handled;

static enum pr_code scripted_handler(struct job_run *run, struct pr_error *err)
{
    n_handled++;
    if (strstr(run->job->payload, "transient") != NULL)
        return pr_error_set(err, PR_UNAVAILABLE, "upstream busy");
    if (strstr(run->job->payload, "permanent") != NULL)
        return pr_error_set(err, PR_INVALID, "bad payload");
    if (strstr(run->job->payload, "ratelimited") != NULL) {
        run->has_error_class = true;
        run->error_class = RETRY_CLASS_RATE_LIMITED;
        run->has_retry_after = true;
        run->retry_after_ms = 30000;
        return pr_error_set(err, PR_UNAVAILABLE, "429");
    }
    /* Success: local state and completion commit together (the outbox contract). */
    {
        enum pr_code rc = store_begin(run->env->st, err);
        if (rc == PR_OK)
            rc = jobs_complete_in_transaction(run, err);
        if (rc == PR_OK)
            return store_commit(run->env->st, err);
        store_rollback(run->env->st);
        return rc;
    }
}

static const struct job_kind kinds[] = {{"scripted", scripted_handler, 0, 1000, NULL, 0}};

static struct job run_one(struct store_fixture *fx, const char *payload, int max_attempts)
{
    struct jobs_env env = {fx->st, &fx->clock, NULL, 0, 0, 0};
    struct retry_policy policy = retry_policy_default();
    struct job_new j = job_of("scripted");
    struct job out;
    bool ran = false;
    int64_t id = 0;

    j.payload = payload;
    j.max_attempts = max_attempts;
    assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_b, &j, &id, &fx->err), fx);
    assert_store_ok(jobs_work_once(&env, kinds, 1, "w1", &policy, &ran, &fx->err), fx);
    assert_true(ran);
    assert_store_ok(store_jobs_get(fx->st, &fx->tenant_b, id, fx->arena, &out, &fx->err), fx);
    return out;
}

static void test_runner_retries_by_class(void **state)
{
    struct store_fixture *fx = *state;
    struct retry_policy policy = retry_policy_default();
    int64_t now = clock_now_ms(&fx->clock);
    struct job j;

    j = run_one(fx, "{}", 5);
    assert_string_equal(j.state, "succeeded");
    /* Transient: retried later, within the first backoff bound. */
    j = run_one(fx, "{\"do\":\"transient\"}", 5);
    assert_string_equal(j.state, "retryable");
    assert_string_equal(j.last_error_class, "transient");
    assert_true(j.run_at > now);
    assert_true(j.run_at <= now + retry_backoff_bound_ms(&policy, 1) + 1);
    /* Permanent: straight to the dead letters. */
    j = run_one(fx, "{\"do\":\"permanent\"}", 5);
    assert_string_equal(j.state, "discarded");
    assert_string_equal(j.last_error_class, "permanent");
    assert_string_equal(j.last_error_message, "bad payload");
    /* Rate limited with Retry-After: waits it out in full. */
    j = run_one(fx, "{\"do\":\"ratelimited\"}", 5);
    assert_string_equal(j.state, "retryable");
    assert_true(j.run_at >= now + 30000);
    /* A transient error on the last attempt exhausts the job. */
    j = run_one(fx, "{\"do\":\"transient\"}", 1);
    assert_string_equal(j.state, "discarded");
}

static void test_dead_letters_replay_and_cancel(void **state)
{
    struct store_fixture *fx = *state;
    struct jobs_env env = {fx->st, &fx->clock, NULL, 0, 0, 0};
    struct retry_policy policy = retry_policy_default();
    struct job j;
    bool ran = false;

    j = run_one(fx, "{\"do\":\"permanent\"}", 3);
    assert_string_equal(j.state, "discarded");
    /* Replaying is explicit, and gives it attempts again; its history stays. */
    assert_store_ok(store_jobs_retry(fx->st, &fx->tenant_b, j.id, &fx->err), fx);
    assert_int_equal(store_jobs_retry(fx->st, &fx->tenant_b, j.id, &fx->err), PR_CONFLICT);
    n_handled = 0;
    assert_store_ok(jobs_work_once(&env, kinds, 1, "w1", &policy, &ran, &fx->err), fx);
    assert_int_equal(n_handled, 1);
    assert_store_ok(store_jobs_get(fx->st, &fx->tenant_b, j.id, fx->arena, &j, &fx->err), fx);
    assert_int_equal(j.attempt, 2);
    /* Cancel: only what is not running or done. */
    assert_store_ok(store_jobs_cancel(fx->st, &fx->tenant_b, j.id, &fx->err), fx);
    j = run_one(fx, "{}", 3);
    assert_int_equal(store_jobs_cancel(fx->st, &fx->tenant_b, j.id, &fx->err), PR_CONFLICT);
    assert_int_equal(store_jobs_cancel(fx->st, &fx->tenant_a, j.id, &fx->err), PR_NOT_FOUND);
}

static void test_scheduler_fires_missed_runs_once(void **state)
{
    struct store_fixture *fx = *state;
    struct jobs_env env = {fx->st, &fx->clock, NULL, 0, 0, 0};
    struct schedule s;
    struct job *jobs;
    size_t n = 0;
    int64_t next = 0, id = 0, n_fired = 0, n_skipped = 0;

    /* 2025-11-24T16:00Z is 11:00 in New York: a 07:00 weekday job next fires the 25th. */
    assert_store_ok(jobs_schedule_next("0 7 * * 1-5", "America/New_York", clock_now_ms(&fx->clock),
                                       &next, &fx->err),
                    fx);
    assert_int_equal(next, 1764072000000); /* 2025-11-25T12:00:00Z */
    assert_store_ok(store_schedules_create(fx->st, &fx->tenant_a, "morning", "digest", NULL,
                                           "0 7 * * 1-5", "America/New_York", next, &id, &fx->err),
                    fx);
    assert_store_ok(jobs_scheduler_tick(&env, &n_fired, &n_skipped, &fx->err), fx);
    assert_int_equal(n_fired, 0); /* not due yet */
    /* Down for three days: the schedule missed three slots and fires once. */
    clock_fake_advance(&fx->clock, 3 * 86400000LL);
    assert_store_ok(jobs_scheduler_tick(&env, &n_fired, &n_skipped, &fx->err), fx);
    assert_int_equal(n_fired, 1);
    assert_store_ok(jobs_scheduler_tick(&env, &n_fired, &n_skipped, &fx->err), fx);
    assert_int_equal(n_fired, 0);
    assert_store_ok(store_schedules_get(fx->st, &fx->tenant_a, id, fx->arena, &s, &fx->err), fx);
    assert_true(s.next_run_at > clock_now_ms(&fx->clock));
    assert_true(s.last_job_id > 0);
    /* The next slot comes while that job is still unfinished: skipped, not doubled. */
    clock_fake_set(&fx->clock, s.next_run_at);
    assert_store_ok(jobs_scheduler_tick(&env, &n_fired, &n_skipped, &fx->err), fx);
    assert_int_equal(n_fired, 0);
    assert_int_equal(n_skipped, 1);
    jobs = claim(fx, "digest", 0, &n);
    assert_int_equal(n, 1);
    assert_int_equal(jobs[0].tenant_id, fx->tenant_a.tenant_id);
    /* A bad expression is refused before it is stored. */
    assert_int_equal(jobs_schedule_next("0 25 * * *", "UTC", 0, &next, &fx->err), PR_INVALID);
    assert_int_equal(jobs_schedule_next("0 7 * * *", "Mars/Olympus", 0, &next, &fx->err),
                     PR_INVALID);
}

/* Succeeds without completing itself (the runner completes), or fails on "permanent". */
static enum pr_code plain_handler(struct job_run *run, struct pr_error *err)
{
    if (strstr(run->job->payload, "permanent") != NULL)
        return pr_error_set(err, PR_INVALID, "bad payload");
    return PR_OK;
}

/* A kind with claim_batch takes several jobs per claim, records a failure at once and
 * completes the successes together. */
static void test_claim_batch(void **state)
{
    static const struct job_kind batched[] = {{"plain", plain_handler, 0, 60000, NULL, 4}};
    struct store_fixture *fx = *state;
    struct jobs_env env = {fx->st, &fx->clock, NULL, 0, 0, 0};
    struct retry_policy policy = retry_policy_default();
    struct job_new j = job_of("plain");
    struct job out;
    int64_t ids[10];
    bool ran = false;
    size_t i;
    static const char *const expected[] = {"succeeded", "discarded", "succeeded", "succeeded",
                                           "available", "available", "available", "available",
                                           "available", "available"};

    for (i = 0; i < 10; i++) {
        j.payload = i == 1 ? "{\"do\":\"permanent\"}" : "{}";
        assert_store_ok(store_jobs_enqueue(fx->st, &fx->tenant_b, &j, &ids[i], &fx->err), fx);
    }
    assert_store_ok(jobs_work_once(&env, batched, 1, "w1", &policy, &ran, &fx->err), fx);
    assert_true(ran);
    assert_int_equal(env.n_ran, 4);
    for (i = 0; i < 10; i++) {
        assert_store_ok(store_jobs_get(fx->st, &fx->tenant_b, ids[i], fx->arena, &out, &fx->err),
                        fx);
        assert_string_equal(out.state, expected[i]);
    }
    assert_store_ok(jobs_work_once(&env, batched, 1, "w1", &policy, &ran, &fx->err), fx);
    assert_store_ok(jobs_work_once(&env, batched, 1, "w1", &policy, &ran, &fx->err), fx);
    assert_int_equal(env.n_ran, 10);
    for (i = 4; i < 10; i++) {
        assert_store_ok(store_jobs_get(fx->st, &fx->tenant_b, ids[i], fx->arena, &out, &fx->err),
                        fx);
        assert_string_equal(out.state, "succeeded");
        assert_int_equal(out.attempt, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
        T(test_enqueue_claim_complete),
        T(test_unique_jobs_and_outbox),
        T(test_expired_lease_is_reclaimed),
        T(test_release_gives_the_attempt_back),
        T(test_per_kind_concurrency),
        T(test_scheduler_fires_missed_runs_once),
        T(test_runner_retries_by_class),
        T(test_dead_letters_replay_and_cancel),
        T(test_claim_batch),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
