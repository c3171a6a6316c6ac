/*
 * The worker pool on a real database file: two worker threads, each with its own connection,
 * drain jobs of two tenants; every job runs exactly once (one attempt, succeeded), failures
 * are recorded, and stopping the pool joins every thread. No timing assertions: the test
 * waits for the work to be done, with a generous bound only against a hang.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../store/store_test_util.h"

#include "jobs/pool.h"
#include "store/jobs.h"

#include <stdatomic.h>
#include <string.h>
#include <unistd.h>

#define N_JOBS 200

static atomic_int n_handled;

static enum pr_code count_handler(struct job_run *run, struct pr_error *err)
{
    atomic_fetch_add(&n_handled, 1);
    if (strstr(run->job->payload, "fail") != NULL)
        return pr_error_set(err, PR_INVALID, "scripted failure");
    return PR_OK;
}

static const struct job_kind kinds[] = {{"count", count_handler, 0, 30000, NULL, 0}};

static void test_two_workers_run_each_job_once(void **state)
{
    struct store_fixture *fx = *state;
    struct jobs_pool_options opt;
    struct jobs_pool *pool = NULL;
    struct job *jobs = NULL;
    struct job_attempt *attempts = NULL;
    struct job_new j;
    size_t n = 0, n_attempts = 0, i;
    int64_t id = 0;
    int waited_ms = 0;

    atomic_store(&n_handled, 0);
    memset(&j, 0, sizeof j);
    j.kind = "count";
    assert_store_ok(store_begin(fx->st, &fx->err), fx);
    for (i = 0; i < N_JOBS; i++) {
        j.payload = i == 7 ? "{\"do\":\"fail\"}" : "{}";
        assert_store_ok(
            store_jobs_enqueue(fx->st, i % 2 ? &fx->tenant_a : &fx->tenant_b, &j, &id, &fx->err),
            fx);
    }
    assert_store_ok(store_commit(fx->st, &fx->err), fx);

    memset(&opt, 0, sizeof opt);
    opt.database_path = fx->db_path;
    opt.busy_timeout_ms = 10000;
    opt.n_workers = 2;
    opt.poll_ms = 10;
    opt.kinds = kinds;
    opt.n_kinds = 1;
    opt.policy = retry_policy_default();
    opt.clock = clock_real(); /* leases need time to pass for real across threads */
    opt.name = "pool-test";
    assert_store_ok(jobs_pool_start(&opt, &pool, &fx->err), fx);
    while (jobs_pool_n_ran(pool) < N_JOBS && waited_ms < 120000) {
        usleep(20000);
        waited_ms += 20;
    }
    jobs_pool_stop(pool);
    assert_int_equal(atomic_load(&n_handled), N_JOBS);

    /* Every job finished once: 199 succeeded, the scripted failure discarded (permanent). */
    for (i = 0; i < 2; i++) {
        const struct tenant_ctx *t = i ? &fx->tenant_a : &fx->tenant_b;
        size_t k;

        assert_store_ok(store_jobs_list(fx->st, t, NULL, 0, 1000, fx->arena, &jobs, &n, &fx->err),
                        fx);
        assert_int_equal(n, N_JOBS / 2);
        for (k = 0; k < n; k++) {
            assert_int_equal(jobs[k].attempt, 1);
            assert_true(strcmp(jobs[k].state, "succeeded") == 0 ||
                        (strcmp(jobs[k].state, "discarded") == 0 &&
                         strcmp(jobs[k].last_error_class, "permanent") == 0));
            assert_store_ok(store_jobs_attempts(fx->st, t, jobs[k].id, fx->arena, &attempts,
                                                &n_attempts, &fx->err),
                            fx);
            assert_int_equal(n_attempts, 1);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_workers_run_each_job_once, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
