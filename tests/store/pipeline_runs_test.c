/*
 * Functional tests of the pipelines and pipeline runs repositories (store/pipelines.h,
 * store/pipeline_runs.h) against a real SQLite file: the table's rules (steps a JSON array of
 * 1 to 20, name length, unique name per tenant), one running run per pipeline, the guarded
 * moves of a run (begin a step at its index, plan and finish chunks with exactly one "step
 * done", finish a step and move on, finish the run), charges counted once per key, list
 * order and paging, and removal refused while running. Cross-tenant behaviour is the subject
 * of isolation_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/pipeline_runs.h"
#include "store/pipelines.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define assert_ok(call, fx)                                                                        \
    do {                                                                                           \
        enum pr_code rc_ = (call);                                                                 \
        assert_store_ok(rc_, fx);                                                                  \
    } while (0)

#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

/* rc is `code` and the message mentions `word`. */
#define assert_error_mentions(rc, fx, code, word)                                                  \
    do {                                                                                           \
        assert_int_equal((rc), (code));                                                            \
        if (strstr((fx)->err.message, (word)) == NULL)                                             \
            fail_msg("message '%s' does not mention '%s'", (fx)->err.message, (word));             \
    } while (0)

#define STEPS_TWO "[{\"step\":\"import\"},{\"step\":\"enrich\"}]"

/* Creates a pipeline of tenant A with two steps and returns its id. */
static int64_t create(struct store_fixture *fx, const char *name)
{
    int64_t id = 0;

    assert_ok(store_pipelines_create(fx->st, &fx->tenant_a, name, STEPS_TWO, &id, &fx->err), fx);
    return id;
}

/* Starts a manual run of two steps of tenant A's pipeline and returns its id. */
static int64_t start(struct store_fixture *fx, int64_t pipeline_id)
{
    int64_t id = 0;

    assert_ok(
        store_pipeline_runs_start(fx->st, &fx->tenant_a, pipeline_id, "manual", 2, &id, &fx->err),
        fx);
    return id;
}

static void get_run(struct store_fixture *fx, int64_t id, struct pipeline_run *out)
{
    assert_ok(store_pipeline_runs_get(fx->st, &fx->tenant_a, id, fx->arena, out, &fx->err), fx);
}

/* A JSON array of `n` step objects in `out`. */
static const char *steps_of(char *out, size_t size, int n)
{
    size_t len = 0;
    int i;

    out[len++] = '[';
    for (i = 0; i < n; i++) {
        int written = snprintf(out + len, size - len, "%s{\"step\":\"s%d\"}", i ? "," : "", i);

        assert_true(written > 0 && (size_t)written < size - len);
        len += (size_t)written;
    }
    assert_true(len + 2 <= size);
    out[len++] = ']';
    out[len] = '\0';
    return out;
}

static void test_pipeline_round_trip_and_rules(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    static const char *const bad_steps[] = {"[]", "{}", "\"import\"", "not json", "[1,", "null"};
    struct pipeline got, by_name, *rows = NULL;
    char steps[1024], name[128];
    int64_t now = clock_now_ms(&fx->clock), id = 0, other = 0;
    size_t n = 0, i;

    id = create(fx, "weekly");
    (void)create(fx, "daily");
    assert_ok(store_pipelines_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
    assert_int_equal(got.id, id);
    assert_int_equal(got.tenant_id, a->tenant_id);
    assert_string_equal(got.name, "weekly");
    assert_string_equal(got.steps, STEPS_TWO);
    assert_int_equal(got.created_at, now);
    assert_int_equal(got.updated_at, now);
    assert_ok(store_pipelines_find_by_name(fx->st, a, "weekly", fx->arena, &by_name, &fx->err), fx);
    assert_int_equal(by_name.id, id);
    assert_error_mentions(
        store_pipelines_find_by_name(fx->st, a, "monthly", fx->arena, &by_name, &fx->err), fx,
        PR_NOT_FOUND, "pipeline not found");
    assert_ok(store_pipelines_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "daily");
    assert_string_equal(rows[1].name, "weekly");

    /* The name is unique per tenant. */
    assert_error_mentions(store_pipelines_create(fx->st, a, "weekly", STEPS_TWO, &other, &fx->err),
                          fx, PR_CONFLICT, "a pipeline named weekly already exists");
    /* Steps: a JSON array of 1 to 20. */
    for (i = 0; i < N_OF(bad_steps); i++)
        assert_int_equal(store_pipelines_create(fx->st, a, "bad", bad_steps[i], &other, &fx->err),
                         PR_INVALID);
    assert_int_equal(store_pipelines_create(fx->st, a, "bad", steps_of(steps, sizeof steps, 21),
                                            &other, &fx->err),
                     PR_INVALID);
    assert_ok(store_pipelines_create(fx->st, a, "twenty", steps_of(steps, sizeof steps, 20), &other,
                                     &fx->err),
              fx);
    assert_ok(store_pipelines_create(fx->st, a, "one", steps_of(steps, sizeof steps, 1), &other,
                                     &fx->err),
              fx);
    /* The name: 1 to 100 bytes. */
    assert_int_equal(store_pipelines_create(fx->st, a, "", STEPS_TWO, &other, &fx->err),
                     PR_INVALID);
    memset(name, 'n', 101);
    name[101] = '\0';
    assert_int_equal(store_pipelines_create(fx->st, a, name, STEPS_TWO, &other, &fx->err),
                     PR_INVALID);
    name[100] = '\0';
    assert_ok(store_pipelines_create(fx->st, a, name, STEPS_TWO, &other, &fx->err), fx);
    assert_ok(store_pipelines_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 5);
}

static void test_one_running_run_per_pipeline(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t now = clock_now_ms(&fx->clock), pipeline = create(fx, "daily");
    int64_t other_pipeline = create(fx, "other"), run = 0, again = 0, next = 0;
    struct pipeline_run got;
    char run_text[32];

    run = start(fx, pipeline);
    get_run(fx, run, &got);
    assert_int_equal(got.tenant_id, a->tenant_id);
    assert_int_equal(got.pipeline_id, pipeline);
    assert_string_equal(got.status, "running");
    assert_string_equal(got.trigger, "manual");
    assert_int_equal(got.n_steps, 2);
    assert_int_equal(got.step_index, 0);
    assert_int_equal(got.credits_spent, 0);
    assert_null(got.error);
    assert_int_equal(got.created_at, now);
    assert_int_equal(got.finished_at, 0);

    /* A second start names the running run, in the message and in *out_id. */
    (void)snprintf(run_text, sizeof run_text, "run %" PRId64, run);
    assert_error_mentions(
        store_pipeline_runs_start(fx->st, a, pipeline, "schedule", 2, &again, &fx->err), fx,
        PR_CONFLICT, run_text);
    assert_int_equal(again, run);
    /* Another pipeline runs alongside; a missing one is not found. */
    assert_ok(store_pipeline_runs_start(fx->st, a, other_pipeline, "schedule", 1, &next, &fx->err),
              fx);
    assert_error_mentions(
        store_pipeline_runs_start(fx->st, a, INT64_C(999999), "manual", 1, &next, &fx->err), fx,
        PR_NOT_FOUND, "pipeline not found");
    /* The table's rules: the trigger, and at least one step. */
    assert_int_equal(store_pipeline_runs_start(fx->st, a, pipeline, "cron", 2, &next, &fx->err),
                     PR_INVALID);
    assert_int_equal(store_pipeline_runs_start(fx->st, a, pipeline, "manual", 0, &next, &fx->err),
                     PR_INVALID);

    /* Finished: a new run may start; the finished one cannot finish again. */
    clock_fake_advance(&fx->clock, 10);
    assert_ok(store_pipeline_runs_finish(fx->st, a, run, "cancelled", NULL, &fx->err), fx);
    get_run(fx, run, &got);
    assert_string_equal(got.status, "cancelled");
    assert_int_equal(got.finished_at, now + 10);
    assert_int_equal(got.updated_at, now + 10);
    assert_error_mentions(store_pipeline_runs_finish(fx->st, a, run, "succeeded", NULL, &fx->err),
                          fx, PR_CONFLICT, "not running");
    assert_error_mentions(
        store_pipeline_runs_finish(fx->st, a, INT64_C(999999), "succeeded", NULL, &fx->err), fx,
        PR_NOT_FOUND, "pipeline run not found");
    next = start(fx, pipeline);
    assert_true(next > run);
}

static void test_steps_and_chunks(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    static const int64_t counts[][2] = {{40, 2}, {35, 0}, {20, 5}}; /* items, rejected */
    static const int64_t order[] = {0, 2, 1};                       /* chunks finished */
    int64_t run = start(fx, create(fx, "daily")), now = clock_now_ms(&fx->clock), chunk;
    struct pipeline_run_step *steps = NULL;
    struct pipeline_chunk got;
    struct pipeline_run got_run;
    int n_step_done = 0;
    bool is_step_done = false;
    size_t n = 99, k;

    /* No step yet. */
    assert_ok(store_pipeline_runs_steps(fx->st, a, run, fx->arena, &steps, &n, &fx->err), fx);
    assert_int_equal(n, 0);
    /* Only the run's current step can begin, once. */
    assert_error_mentions(
        store_pipeline_runs_begin_step(fx->st, a, run, 1, "enrich", 1, NULL, &fx->err), fx,
        PR_CONFLICT, "not running at this step");
    assert_ok(store_pipeline_runs_begin_step(fx->st, a, run, 0, "import", 3,
                                             "{\"file\":\"a.csv\",\"n\":0}", &fx->err),
              fx);
    assert_error_mentions(
        store_pipeline_runs_begin_step(fx->st, a, run, 0, "import", 3, NULL, &fx->err), fx,
        PR_CONFLICT, "begun already");
    assert_error_mentions(
        store_pipeline_runs_begin_step(fx->st, a, INT64_C(999999), 0, "import", 3, NULL, &fx->err),
        fx, PR_NOT_FOUND, "pipeline run not found");

    /* Three chunks of 50, 50 and 40 items; none of a step not begun. */
    for (chunk = 0; chunk < 3; chunk++)
        assert_ok(store_pipeline_runs_add_chunk(fx->st, a, run, 0, chunk, chunk * 50,
                                                chunk < 2 ? 50 : 40, &fx->err),
                  fx);
    assert_int_equal(store_pipeline_runs_add_chunk(fx->st, a, run, 0, 1, 50, 50, &fx->err),
                     PR_CONFLICT);
    assert_int_equal(store_pipeline_runs_add_chunk(fx->st, a, run, 1, 0, 0, 10, &fx->err),
                     PR_NOT_FOUND);
    assert_int_equal(store_pipeline_runs_add_chunk(fx->st, a, run, 0, 3, 0, 0, &fx->err),
                     PR_INVALID);
    assert_ok(store_pipeline_runs_get_chunk(fx->st, a, run, 0, 2, &got, &fx->err), fx);
    assert_int_equal(got.chunk, 2);
    assert_int_equal(got.first_item, 100);
    assert_int_equal(got.n_planned, 40);
    assert_false(got.is_done);
    assert_int_equal(got.n_items, 0);
    assert_error_mentions(store_pipeline_runs_get_chunk(fx->st, a, run, 0, 3, &got, &fx->err), fx,
                          PR_NOT_FOUND, "pipeline chunk not found");

    /* Finished out of order: only the last one finished tells the step is done, and a chunk
     * finished twice is a conflict that changes nothing. */
    for (k = 0; k < N_OF(order); k++) {
        chunk = order[k];
        assert_ok(store_pipeline_runs_finish_chunk(fx->st, a, run, 0, chunk, counts[chunk][0],
                                                   counts[chunk][1], &is_step_done, &fx->err),
                  fx);
        assert_int_equal(is_step_done, k == N_OF(order) - 1);
        n_step_done += is_step_done;
        is_step_done = true;
        assert_error_mentions(store_pipeline_runs_finish_chunk(fx->st, a, run, 0, chunk, 1, 0,
                                                               &is_step_done, &fx->err),
                              fx, PR_CONFLICT, "chunk already done");
        assert_false(is_step_done);
    }
    assert_int_equal(n_step_done, 1);
    assert_error_mentions(
        store_pipeline_runs_finish_chunk(fx->st, a, run, 0, 7, 1, 0, &is_step_done, &fx->err), fx,
        PR_NOT_FOUND, "pipeline chunk not found");
    assert_ok(store_pipeline_runs_get_chunk(fx->st, a, run, 0, 2, &got, &fx->err), fx);
    assert_true(got.is_done);
    assert_int_equal(got.n_items, 20);
    assert_int_equal(got.n_rejected, 5);
    assert_ok(store_pipeline_runs_steps(fx->st, a, run, fx->arena, &steps, &n, &fx->err), fx);
    assert_int_equal(n, 1);
    assert_int_equal(steps[0].step_index, 0);
    assert_string_equal(steps[0].name, "import");
    assert_string_equal(steps[0].status, "running");
    assert_int_equal(steps[0].chunks_total, 3);
    assert_int_equal(steps[0].chunks_done, 3);
    assert_int_equal(steps[0].n_items, 95);
    assert_int_equal(steps[0].n_rejected, 7);
    assert_int_equal(steps[0].started_at, now);
    assert_int_equal(steps[0].finished_at, 0);

    /* The step succeeds: its detail is merged, the run moves to step 1. */
    clock_fake_advance(&fx->clock, 10);
    assert_ok(store_pipeline_runs_finish_step(fx->st, a, run, 0, true, "{\"n\":95,\"import_id\":4}",
                                              &fx->err),
              fx);
    assert_error_mentions(store_pipeline_runs_finish_step(fx->st, a, run, 0, true, NULL, &fx->err),
                          fx, PR_CONFLICT, "not running");
    get_run(fx, run, &got_run);
    assert_int_equal(got_run.step_index, 1);
    assert_string_equal(got_run.status, "running");
    assert_int_equal(got_run.updated_at, now + 10);

    /* Step 1, without chunks or detail, fails: the run stays at it until it is finished. */
    assert_ok(store_pipeline_runs_begin_step(fx->st, a, run, 1, "enrich", 0, NULL, &fx->err), fx);
    assert_ok(store_pipeline_runs_finish_step(fx->st, a, run, 1, false, NULL, &fx->err), fx);
    get_run(fx, run, &got_run);
    assert_int_equal(got_run.step_index, 1);
    assert_ok(store_pipeline_runs_finish(fx->st, a, run, "failed", "enrich: quota", &fx->err), fx);
    get_run(fx, run, &got_run);
    assert_string_equal(got_run.status, "failed");
    assert_string_equal(got_run.error, "enrich: quota");
    assert_int_equal(got_run.finished_at, now + 10);

    /* Steps in order, each with what it was given. */
    assert_ok(store_pipeline_runs_steps(fx->st, a, run, fx->arena, &steps, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_int_equal(steps[0].step_index, 0);
    assert_string_equal(steps[0].status, "succeeded");
    assert_string_equal(steps[0].detail, "{\"file\":\"a.csv\",\"n\":95,\"import_id\":4}");
    assert_int_equal(steps[0].finished_at, now + 10);
    assert_int_equal(steps[1].step_index, 1);
    assert_string_equal(steps[1].name, "enrich");
    assert_string_equal(steps[1].status, "failed");
    assert_string_equal(steps[1].detail, "{}");
    assert_int_equal(steps[1].chunks_total, 0);
    /* Nothing begins on a finished run. */
    assert_error_mentions(
        store_pipeline_runs_begin_step(fx->st, a, run, 1, "enrich", 0, NULL, &fx->err), fx,
        PR_CONFLICT, "not running at this step");
    assert_error_mentions(
        store_pipeline_runs_steps(fx->st, a, INT64_C(999999), fx->arena, &steps, &n, &fx->err), fx,
        PR_NOT_FOUND, "pipeline run not found");
}

static void test_charge_counts_a_key_once(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t run = start(fx, create(fx, "daily"));
    struct pipeline_run got;
    bool is_new = false;

    assert_ok(store_pipeline_runs_charge(fx->st, a, run, "call-1", 5, &is_new, &fx->err), fx);
    assert_true(is_new);
    assert_ok(store_pipeline_runs_charge(fx->st, a, run, "call-1", 5, &is_new, &fx->err), fx);
    assert_false(is_new);
    assert_ok(store_pipeline_runs_charge(fx->st, a, run, "call-2", 2, &is_new, &fx->err), fx);
    assert_true(is_new);
    get_run(fx, run, &got);
    assert_int_equal(got.credits_spent, 7);
    /* A charge commits on its own: a run that ended still shows what it spent. */
    assert_ok(store_pipeline_runs_finish(fx->st, a, run, "failed", "boom", &fx->err), fx);
    assert_ok(store_pipeline_runs_charge(fx->st, a, run, "call-3", 1, &is_new, &fx->err), fx);
    assert_true(is_new);
    get_run(fx, run, &got);
    assert_int_equal(got.credits_spent, 8);
    is_new = true;
    assert_error_mentions(
        store_pipeline_runs_charge(fx->st, a, INT64_C(999999), "call-1", 1, &is_new, &fx->err), fx,
        PR_NOT_FOUND, "pipeline run not found");
    assert_false(is_new);
    assert_int_equal(store_pipeline_runs_charge(fx->st, a, run, "call-4", -1, &is_new, &fx->err),
                     PR_INVALID);
}

static void test_list_order_and_paging(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t daily = create(fx, "daily"), weekly = create(fx, "weekly"), runs[5];
    const int64_t of[N_OF(runs)] = {daily, weekly, daily, weekly, daily};
    struct pipeline_run *rows = NULL;
    size_t n = 0, i;

    for (i = 0; i < N_OF(runs); i++) {
        runs[i] = start(fx, of[i]);
        if (i + 2 < N_OF(runs))
            assert_ok(store_pipeline_runs_finish(fx->st, a, runs[i], "succeeded", NULL, &fx->err),
                      fx);
    }
    /* Newest first. */
    assert_ok(store_pipeline_runs_list(fx->st, a, 0, 0, 100, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 5);
    for (i = 0; i < n; i++)
        assert_int_equal(rows[i].id, runs[N_OF(runs) - 1 - i]);
    /* One pipeline's. */
    assert_ok(store_pipeline_runs_list(fx->st, a, daily, 0, 100, fx->arena, &rows, &n, &fx->err),
              fx);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, runs[4]);
    assert_int_equal(rows[1].id, runs[2]);
    assert_int_equal(rows[2].id, runs[0]);
    /* Pages: ids below before_id, at most `limit`. */
    assert_ok(store_pipeline_runs_list(fx->st, a, 0, runs[3], 2, fx->arena, &rows, &n, &fx->err),
              fx);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, runs[2]);
    assert_int_equal(rows[1].id, runs[1]);
    assert_ok(
        store_pipeline_runs_list(fx->st, a, weekly, runs[1], 100, fx->arena, &rows, &n, &fx->err),
        fx);
    assert_int_equal(n, 0);
}

static void test_remove(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t pipeline = create(fx, "daily"), kept = create(fx, "kept");
    int64_t run = start(fx, pipeline), kept_run = start(fx, kept);
    struct pipeline_run_step *steps = NULL;
    struct pipeline_run got_run;
    struct pipeline got;
    bool is_new = false;
    size_t n = 0;

    assert_ok(store_pipeline_runs_begin_step(fx->st, a, run, 0, "import", 1, NULL, &fx->err), fx);
    assert_ok(store_pipeline_runs_add_chunk(fx->st, a, run, 0, 0, 0, 10, &fx->err), fx);
    assert_ok(store_pipeline_runs_charge(fx->st, a, run, "call-1", 1, &is_new, &fx->err), fx);

    /* Running: refused, nothing removed. */
    assert_error_mentions(store_pipelines_remove(fx->st, a, pipeline, &fx->err), fx, PR_CONFLICT,
                          "running");
    assert_ok(store_pipelines_get(fx->st, a, pipeline, fx->arena, &got, &fx->err), fx);
    get_run(fx, run, &got_run);

    /* Finished: the pipeline goes with its runs and their records; the other one stays. */
    assert_ok(store_pipeline_runs_finish(fx->st, a, run, "cancelled", NULL, &fx->err), fx);
    assert_ok(store_pipelines_remove(fx->st, a, pipeline, &fx->err), fx);
    assert_error_mentions(store_pipelines_get(fx->st, a, pipeline, fx->arena, &got, &fx->err), fx,
                          PR_NOT_FOUND, "pipeline not found");
    assert_error_mentions(store_pipeline_runs_get(fx->st, a, run, fx->arena, &got_run, &fx->err),
                          fx, PR_NOT_FOUND, "pipeline run not found");
    assert_int_equal(store_pipeline_runs_steps(fx->st, a, run, fx->arena, &steps, &n, &fx->err),
                     PR_NOT_FOUND);
    assert_error_mentions(store_pipelines_remove(fx->st, a, pipeline, &fx->err), fx, PR_NOT_FOUND,
                          "pipeline not found");
    get_run(fx, kept_run, &got_run);
    assert_string_equal(got_run.status, "running");
    /* The name is free again. */
    assert_true(create(fx, "daily") != pipeline);
}

int main(void)
{
#define PIPELINE_TEST(f)                                                                           \
    cmocka_unit_test_setup_teardown(f, store_fixture_setup, store_fixture_teardown)
    const struct CMUnitTest tests[] = {
        PIPELINE_TEST(test_pipeline_round_trip_and_rules),
        PIPELINE_TEST(test_one_running_run_per_pipeline),
        PIPELINE_TEST(test_steps_and_chunks),
        PIPELINE_TEST(test_charge_counts_a_key_once),
        PIPELINE_TEST(test_list_order_and_paging),
        PIPELINE_TEST(test_remove),
    };
#undef PIPELINE_TEST

    return cmocka_run_group_tests_name("store/pipeline_runs", tests, NULL, NULL);
}
