/*
 * The pipeline engine (app/pipeline.h) over a real SQLite file: runs driven single-threaded by
 * jobs_work_once() with a fake clock, so every interleaving is scripted. import -> score ->
 * export end to end with its counts, files and notification; resume after a worker dies holding
 * a chunk (and after a worker stalls past its lease); replayed chunk jobs and charges count
 * once; a failing step fails the run and keeps its credits; one running run per pipeline, also
 * against 50 threads with their own connections; scheduled starts; definition checks; the dry
 * run.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../store/store_test_util.h"

#include "app/pipeline.h"
#include "store/contacts.h"
#include "store/imports.h"
#include "store/jobs.h"
#include "store/pipeline_runs.h"
#include "store/pipelines.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/str.h"

#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N_OF(array)    (sizeof(array) / sizeof((array)[0]))
#define CHUNK_ITEMS    5
#define DEAD_LEASE_MS  5000
#define N_RACE_THREADS 50
#define STALL_LEASE_MS 60000 /* the default lease of pipeline jobs */

static const struct app_actor actor = {"cli", "tester", NULL};

/* rc is `code` and the error message mentions `word`. */
#define assert_error_mentions(rc, fx, code, word)                                                  \
    do {                                                                                           \
        assert_int_equal((rc), (code));                                                            \
        if (strstr((fx)->err.message, (word)) == NULL)                                             \
            fail_msg("message '%s' does not mention '%s'", (fx)->err.message, (word));             \
    } while (0)

/* --- a test step kind, "charge": {"step": "charge", "items": N} --- */

/* What the hooks saw, per chunk (reset by world_setup). Hooks run on the test's thread. */
static int charge_spends[16], charge_works[16];
/* The "stall" variant: before chunk `stall_chunk`'s transaction, its worker stalls past its
 * lease and `stall_st`'s worker takes the job over and finishes it. */
static int64_t stall_chunk = -1;
static struct store *stall_st;
static const struct pipeline_env *stall_env;
static struct retry_policy stall_policy;

static enum pr_code charge_check(const json_t *step, struct pr_error *err)
{
    int64_t items = 0;

    return json_get_int(step, "items", true, 0, 1000, &items, err);
}

static int64_t charge_items(const struct pipeline_step_ctx *c)
{
    return json_integer_value(json_object_get(c->step, "items"));
}

static enum pr_code charge_estimate(struct pipeline_step_ctx *c, int64_t leads_before,
                                    int64_t *items, int64_t *credits, struct pr_error *err)
{
    (void)leads_before;
    (void)err;
    *items = charge_items(c);
    *credits = 10 * ((*items + c->chunk_items - 1) / c->chunk_items);
    return PR_OK;
}

static enum pr_code charge_plan(struct pipeline_step_ctx *c, int64_t *n_items, struct pr_error *err)
{
    (void)err;
    *n_items = charge_items(c);
    return PR_OK;
}

static enum pr_code charge_spend(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                                 struct pr_error *err)
{
    char key[96];

    assert_in_range(chunk->chunk, 0, N_OF(charge_spends) - 1);
    charge_spends[chunk->chunk]++;
    (void)snprintf(key, sizeof key, "run:%" PRId64 ":chunk:%" PRId64, c->run_id, chunk->chunk);
    return app_pipeline_charge(c->app, c->t, c->run_id, key, 10, err);
}

static enum pr_code charge_run_chunk(struct pipeline_step_ctx *c,
                                     const struct pipeline_chunk *chunk, int64_t *n_items,
                                     int64_t *n_rejected, struct pr_error *err)
{
    (void)c;
    charge_works[chunk->chunk]++;
    *n_items = *n_rejected = 0;
    if (chunk->chunk == 2)
        return pr_error_set(err, PR_INVALID, "chunk 2 refused");
    *n_items = chunk->n_planned;
    return PR_OK;
}

/* The stall: a dead worker holds chunk 2 (so chunk 1 is not its step's last), the clock moves
 * past this worker's lease, and worker "w2" on stall_st takes chunk 1 over and finishes it. */
static void take_over_stalled_chunk(const struct pipeline_step_ctx *c)
{
    struct clock *clock = c->app->clock;
    struct jobs_env other = {stall_st, clock, NULL, 0, 0, 0};
    struct job_kind kinds[4];
    struct pipeline_chunk chunk;
    struct pr_error err;
    struct arena *a = arena_new(0);
    struct job *held = NULL;
    size_t n_kinds = app_pipeline_job_kinds(stall_env, kinds, N_OF(kinds)), n = 0, i;
    bool ran = true;

    stall_chunk = -1; /* once */
    assert_int_equal(store_jobs_claim(stall_st, "pipeline.chunk", 0, 1, "dead-2",
                                      2 * STALL_LEASE_MS, a, &held, &n, &err),
                     PR_OK);
    assert_int_equal(n, 1);
    assert_non_null(strstr(held[0].payload, "\"chunk\":2"));
    arena_free(a);
    clock_fake_advance(clock, STALL_LEASE_MS + 1); /* past this worker's lease */
    memset(&chunk, 0, sizeof chunk);
    for (i = 0; i < 10 && ran && !chunk.is_done; i++) {
        assert_int_equal(jobs_work_once(&other, kinds, n_kinds, "w2", &stall_policy, &ran, &err),
                         PR_OK);
        assert_int_equal(store_pipeline_runs_get_chunk(stall_st, c->t, c->run_id, c->step_index, 1,
                                                       &chunk, &err),
                         PR_OK);
    }
    assert_true(chunk.is_done);
}

static enum pr_code stall_spend(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                                struct pr_error *err)
{
    (void)err;
    charge_spends[chunk->chunk]++;
    if (chunk->chunk == stall_chunk)
        take_over_stalled_chunk(c);
    return PR_OK;
}

static enum pr_code stall_run_chunk(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                                    int64_t *n_items, int64_t *n_rejected, struct pr_error *err)
{
    (void)c;
    (void)err;
    charge_works[chunk->chunk]++;
    *n_items = chunk->n_planned;
    *n_rejected = 0;
    return PR_OK;
}

static const struct pipeline_step_kind test_kinds[] = {
    {
        .name = "charge",
        .check = charge_check,
        .estimate = charge_estimate,
        .plan = charge_plan,
        .spend = charge_spend,
        .run_chunk = charge_run_chunk,
    },
    {
        .name = "stall",
        .check = charge_check,
        .estimate = charge_estimate,
        .plan = charge_plan,
        .spend = stall_spend,
        .run_chunk = stall_run_chunk,
    },
};

/* --- the world: a store fixture, the pipeline env with a counting notifier, the jobs --- */

struct world {
    struct store_fixture *fx;
    struct app app;
    struct pipeline_env env;
    struct pipeline_notifier notifier;
    struct job_kind kinds[4];
    size_t n_kinds;
    struct jobs_env jobs;
    struct retry_policy policy;
    int n_notified;
    int64_t notified_run;
    char notified_status[32];
};

static enum pr_code record_finished(void *ctx, struct app *app, const struct tenant_ctx *t,
                                    const char *pipeline_name, const struct pipeline_run *run,
                                    struct pr_error *err)
{
    struct world *w = ctx;

    (void)app;
    (void)t;
    (void)pipeline_name;
    (void)err;
    w->n_notified++;
    w->notified_run = run->id;
    (void)snprintf(w->notified_status, sizeof w->notified_status, "%s", run->status);
    return PR_OK;
}

static int world_setup(void **state)
{
    struct world *w = xcalloc(1, sizeof *w);
    void *fx_state = NULL;

    assert_int_equal(store_fixture_setup(&fx_state), 0);
    w->fx = fx_state;
    w->app.st = w->fx->st;
    w->app.clock = &w->fx->clock;
    w->notifier.run_finished = record_finished;
    w->notifier.ctx = w;
    w->env.chunk_items = CHUNK_ITEMS;
    w->env.notifier = &w->notifier;
    w->env.extra_kinds = test_kinds;
    w->env.n_extra_kinds = N_OF(test_kinds);
    w->n_kinds = app_pipeline_job_kinds(&w->env, w->kinds, N_OF(w->kinds));
    assert_int_equal(w->n_kinds, 4);
    w->jobs.st = w->fx->st;
    w->jobs.clock = &w->fx->clock;
    /* Small delays: a retryable job comes due once the clock moves past cap_ms. */
    w->policy = retry_policy_default();
    w->policy.base_ms = 10;
    w->policy.cap_ms = 100;
    w->policy.retry_after_min_ms = 0;
    w->policy.retry_after_max_ms = 100;
    memset(charge_spends, 0, sizeof charge_spends);
    memset(charge_works, 0, sizeof charge_works);
    stall_chunk = -1;
    stall_st = NULL;
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    void *fx_state = w->fx;

    if (stall_st != NULL) { /* a failed test left it open */
        store_close(stall_st);
        stall_st = NULL;
    }
    xfree(w);
    return store_fixture_teardown(&fx_state);
}

static size_t count_jobs(struct world *w, const char *state, const char *kind)
{
    struct job *jobs = NULL;
    size_t n = 0, i, n_kind = 0;

    assert_store_ok(store_jobs_list(w->fx->st, &w->fx->tenant_a, state, 0, 1000, w->fx->arena,
                                    &jobs, &n, &w->fx->err),
                    w->fx);
    assert_true(n < 1000);
    for (i = 0; i < n; i++)
        n_kind += kind == NULL || strcmp(jobs[i].kind, kind) == 0;
    return n_kind;
}

/* Runs due jobs one at a time until none is due; a retryable job is waited for by moving the
 * clock past the policy's cap (never as far as a lease). Returns how many jobs ran. */
static int drain(struct world *w)
{
    int n_ran = 0, i;

    for (i = 0; i < 2000; i++) {
        bool ran = false;

        assert_store_ok(
            jobs_work_once(&w->jobs, w->kinds, w->n_kinds, "w1", &w->policy, &ran, &w->fx->err),
            w->fx);
        if (ran) {
            n_ran++;
            continue;
        }
        if (count_jobs(w, "retryable", NULL) == 0)
            return n_ran;
        clock_fake_advance(&w->fx->clock, w->policy.cap_ms + 1);
    }
    fail_msg("jobs still due after %d rounds", i);
    return n_ran;
}

static int64_t create_pipeline(struct world *w, const char *name, const char *steps)
{
    int64_t id = 0;

    assert_store_ok(app_pipeline_create(&w->app, &actor, &w->fx->tenant_a, &w->env, name, steps,
                                        &id, &w->fx->err),
                    w->fx);
    return id;
}

static int64_t start(struct world *w, const char *name)
{
    int64_t run_id = 0;

    assert_store_ok(
        app_pipeline_start(&w->app, &actor, &w->fx->tenant_a, name, "manual", &run_id, &w->fx->err),
        w->fx);
    assert_true(run_id > 0);
    return run_id;
}

static struct pipeline_run get_run(struct world *w, int64_t run_id)
{
    struct pipeline_run run;

    assert_store_ok(store_pipeline_runs_get(w->fx->st, &w->fx->tenant_a, run_id, w->fx->arena, &run,
                                            &w->fx->err),
                    w->fx);
    return run;
}

static struct pipeline_run_step *get_steps(struct world *w, int64_t run_id, size_t *n)
{
    struct pipeline_run_step *steps = NULL;

    assert_store_ok(store_pipeline_runs_steps(w->fx->st, &w->fx->tenant_a, run_id, w->fx->arena,
                                              &steps, n, &w->fx->err),
                    w->fx);
    return steps;
}

static int64_t detail_int(const struct pipeline_run_step *step, const char *key)
{
    json_t *detail = json_loads(step->detail, 0, NULL);
    int64_t value;

    assert_non_null(detail);
    value = json_integer_value(json_object_get(detail, key));
    json_decref(detail);
    return value;
}

/* Every chunk of the step is done, with the counts its step adds up. */
static void assert_chunks_done(struct world *w, int64_t run_id, const struct pipeline_run_step *s)
{
    int64_t k, n_items = 0, n_rejected = 0;

    for (k = 0; k < s->chunks_total; k++) {
        struct pipeline_chunk chunk;

        assert_store_ok(store_pipeline_runs_get_chunk(w->fx->st, &w->fx->tenant_a, run_id,
                                                      s->step_index, k, &chunk, &w->fx->err),
                        w->fx);
        assert_true(chunk.is_done);
        n_items += chunk.n_items;
        n_rejected += chunk.n_rejected;
    }
    assert_int_equal(n_items, s->n_items);
    assert_int_equal(n_rejected, s->n_rejected);
}

/* Writes `text` into the fixture's directory; returns the path (arena). */
static const char *write_file(struct world *w, const char *name, const char *text)
{
    char *path = arena_printf(w->fx->arena, "%s/%s", w->fx->dir, name);
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* 23 records: 20 people, 2 repeats of earlier ones (e-mail in upper case) and 1 bad e-mail. */
#define CSV_RECORDS  23
#define CSV_PEOPLE   20
#define CSV_REJECTED 1

static const char *write_leads(struct world *w)
{
    struct buf csv;
    const char *path;
    int person = 0, i;

    buf_init(&csv, 1 << 20);
    (void)buf_puts(&csv, "Email,Title\r\n");
    for (i = 0; i < CSV_RECORDS; i++) {
        if (i == 7)
            (void)buf_puts(&csv, "P02@EXAMPLE.COM,CEO\r\n");
        else if (i == 12)
            (void)buf_puts(&csv, "not-an-email,CEO\r\n");
        else if (i == 18)
            (void)buf_puts(&csv, "P11@EXAMPLE.COM,Engineer\r\n");
        else {
            (void)buf_printf(&csv, "p%02d@example.com,%s\r\n", person,
                             person % 2 == 0 ? "CEO" : "Engineer");
            person++;
        }
    }
    assert_int_equal(person, CSV_PEOPLE);
    path = write_file(w, "leads.csv", buf_cstr(&csv));
    buf_free(&csv);
    return path;
}

static const char icp_yaml[] =
    "title:\n  max_points: 100\n  seniority:\n    - keywords: [ceo, chief]\n      points: 100\n";

/* import -> score -> export over leads.csv; returns the pipeline's name. */
static const char *create_lead_pipeline(struct world *w, const char *name)
{
    const char *leads = write_leads(w), *icp = write_file(w, "icp.yaml", icp_yaml);

    create_pipeline(w, name,
                    arena_printf(w->fx->arena,
                                 "[{\"step\":\"import\",\"file\":\"%s\"},"
                                 "{\"step\":\"score\",\"icp\":\"%s\"},"
                                 "{\"step\":\"export\",\"format\":\"generic\",\"dir\":\"%s\"}]",
                                 leads, icp, w->fx->dir));
    return name;
}

/* Checks a finished import -> score -> export run: steps, chunks, the import record and its
 * rows, the contacts, the export file. */
static void assert_lead_run_done(struct world *w, const char *name, int64_t run_id)
{
    struct pipeline_run run = get_run(w, run_id);
    struct pipeline_run_step *steps;
    struct import_record rec;
    struct import_row *rows = NULL;
    struct contact *contacts = NULL;
    char *export_path, line[512];
    size_t n = 0, i;
    int64_t n_contacts = 0, n_lines = 0;
    FILE *f;

    assert_string_equal(run.status, "succeeded");
    assert_null(run.error);
    assert_int_equal(run.n_steps, 3);
    assert_int_equal(run.step_index, 3);
    assert_true(run.finished_at > 0);
    steps = get_steps(w, run_id, &n);
    assert_int_equal(n, 3);
    for (i = 0; i < n; i++) {
        assert_string_equal(steps[i].status, "succeeded");
        assert_int_equal(steps[i].chunks_done, steps[i].chunks_total);
        assert_chunks_done(w, run_id, &steps[i]);
    }
    /* import: 23 records in chunks of 5. */
    assert_string_equal(steps[0].name, "import");
    assert_int_equal(steps[0].chunks_total, 5);
    assert_int_equal(steps[0].n_items, CSV_RECORDS);
    assert_int_equal(steps[0].n_rejected, CSV_REJECTED);
    /* score: the 20 contacts in chunks of 5. */
    assert_string_equal(steps[1].name, "score");
    assert_int_equal(steps[1].chunks_total, 4);
    assert_int_equal(steps[1].n_items, CSV_PEOPLE);
    /* export: one file. */
    assert_string_equal(steps[2].name, "export");
    assert_int_equal(steps[2].chunks_total, 1);
    assert_int_equal(steps[2].n_items, CSV_PEOPLE);
    assert_int_equal(detail_int(&steps[2], "rows"), CSV_PEOPLE);
    assert_true(detail_int(&steps[2], "export_id") > 0);

    /* The import record is completed and its counts add up. */
    assert_store_ok(store_imports_get(w->fx->st, &w->fx->tenant_a,
                                      detail_int(&steps[0], "import_id"), w->fx->arena, &rec,
                                      &w->fx->err),
                    w->fx);
    assert_string_equal(rec.status, "completed");
    assert_int_equal(rec.counts.n_rows, CSV_RECORDS);
    assert_int_equal(rec.counts.n_accepted, CSV_PEOPLE);
    assert_int_equal(rec.counts.n_duplicate, 2);
    assert_int_equal(rec.counts.n_merged + rec.counts.n_suppressed, 0);
    assert_int_equal(rec.counts.n_rejected, CSV_REJECTED);
    assert_int_equal(rec.counts.n_rows, rec.counts.n_accepted + rec.counts.n_merged +
                                            rec.counts.n_duplicate + rec.counts.n_suppressed +
                                            rec.counts.n_rejected);
    /* Every line of the file has exactly one row: lines 2..24 in order, nothing else. */
    assert_store_ok(store_imports_rows(w->fx->st, &w->fx->tenant_a, rec.id, NULL, 0, 1000,
                                       w->fx->arena, &rows, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, CSV_RECORDS);
    for (i = 0; i < n; i++)
        assert_int_equal(rows[i].line, (int64_t)i + 2);
    assert_string_equal(rows[12].outcome, "rejected");

    /* 20 contacts, every one scored. */
    assert_store_ok(store_contacts_count(w->fx->st, &w->fx->tenant_a, &n_contacts, &w->fx->err),
                    w->fx);
    assert_int_equal(n_contacts, CSV_PEOPLE);
    assert_store_ok(store_contacts_list(w->fx->st, &w->fx->tenant_a, 0, 100, w->fx->arena,
                                        &contacts, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, CSV_PEOPLE);
    for (i = 0; i < n; i++)
        assert_true(contacts[i].has_score);

    /* The export file: a header and 20 rows. */
    export_path = arena_printf(w->fx->arena, "%s/%s-run-%" PRId64 ".csv", w->fx->dir, name, run_id);
    f = fopen(export_path, "rb");
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL)
        n_lines += strchr(line, '\n') != NULL;
    assert_int_equal(fclose(f), 0);
    assert_int_equal(n_lines, 1 + CSV_PEOPLE);

    /* The notifier heard of the run once, and no job is left unfinished or dead. */
    assert_int_equal(w->n_notified, 1);
    assert_int_equal(w->notified_run, run_id);
    assert_string_equal(w->notified_status, "succeeded");
    assert_int_equal(count_jobs(w, "succeeded", "pipeline.notify"), 1);
    assert_int_equal(count_jobs(w, "running", NULL), 0);
    assert_int_equal(count_jobs(w, "available", NULL), 0);
    assert_int_equal(count_jobs(w, "retryable", NULL), 0);
    assert_int_equal(count_jobs(w, "discarded", NULL), 0);
}

/* 1. import -> score -> export end to end. */
static void test_import_score_export(void **state)
{
    struct world *w = *state;
    const char *name = create_lead_pipeline(w, "leads");
    int64_t run_id = start(w, name);
    struct pipeline_run run = get_run(w, run_id);

    assert_string_equal(run.status, "running");
    assert_string_equal(run.trigger, "manual");
    assert_int_equal(run.step_index, 0);
    /* 3 step jobs, 5 + 4 + 1 chunk jobs, 1 notify job. */
    assert_int_equal(drain(w), 14);
    assert_lead_run_done(w, name, run_id);
    assert_int_equal(count_jobs(w, "succeeded", "pipeline.chunk"), 10);
}

/* Enqueues a pipeline job of tenant A outside any transaction. */
static void enqueue_job(struct world *w, const char *kind, const char *payload, const char *key)
{
    struct job_new job;
    int64_t id = 0;

    memset(&job, 0, sizeof job);
    job.kind = kind;
    job.payload = payload;
    job.unique_key = key;
    job.idempotency_key = key;
    assert_store_ok(store_jobs_enqueue(w->fx->st, &w->fx->tenant_a, &job, &id, &w->fx->err), w->fx);
}

/* 2. A worker dies holding a chunk: its lease runs out, the chunk is redone once, finished
 * chunks are never redone; a replayed chunk job changes nothing. */
static void test_resume_after_dead_worker(void **state)
{
    struct world *w = *state;
    const char *name = create_lead_pipeline(w, "leads");
    int64_t run_id = start(w, name);
    struct job *claimed = NULL;
    struct pipeline_run_step *steps;
    struct import_record before, after;
    char payload[96];
    size_t n = 0;
    bool ran = false;

    /* The step job plans the import: 5 chunk jobs. */
    assert_store_ok(
        jobs_work_once(&w->jobs, w->kinds, w->n_kinds, "w1", &w->policy, &ran, &w->fx->err), w->fx);
    assert_true(ran);
    assert_int_equal(count_jobs(w, "available", "pipeline.chunk"), 5);
    /* A worker claims one and dies. */
    assert_store_ok(store_jobs_claim(w->fx->st, "pipeline.chunk", 0, 1, "dead-1", DEAD_LEASE_MS,
                                     w->fx->arena, &claimed, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, 1);
    assert_non_null(strstr(claimed[0].payload, "\"chunk\":0"));
    /* The others run; the step waits for the dead worker's chunk. */
    assert_int_equal(drain(w), 4);
    steps = get_steps(w, run_id, &n);
    assert_int_equal(n, 1);
    assert_int_equal(steps[0].chunks_done, 4);
    assert_string_equal(get_run(w, run_id).status, "running");
    assert_int_equal(count_jobs(w, "running", NULL), 1);

    /* A duplicate of a finished chunk's job (another key, same payload) is a no-op. */
    assert_store_ok(store_imports_get(w->fx->st, &w->fx->tenant_a,
                                      detail_int(&steps[0], "import_id"), w->fx->arena, &before,
                                      &w->fx->err),
                    w->fx);
    (void)snprintf(payload, sizeof payload, "{\"run\":%" PRId64 ",\"step\":0,\"chunk\":1}", run_id);
    enqueue_job(w, "pipeline.chunk", payload, "replay:chunk:1");
    assert_int_equal(drain(w), 1);
    assert_int_equal(count_jobs(w, "discarded", NULL), 0);
    steps = get_steps(w, run_id, &n);
    assert_int_equal(steps[0].chunks_done, 4);
    assert_store_ok(store_imports_get(w->fx->st, &w->fx->tenant_a, before.id, w->fx->arena, &after,
                                      &w->fx->err),
                    w->fx);
    assert_memory_equal(&after.counts, &before.counts, sizeof before.counts);

    /* Past the lease the chunk is reclaimed and redone, and the run goes on to the end. */
    clock_fake_advance(&w->fx->clock, DEAD_LEASE_MS + 1);
    assert_int_equal(drain(w), 1 + 1 + 4 + 1 + 1 + 1);
    assert_lead_run_done(w, name, run_id);
    assert_int_equal(count_jobs(w, "succeeded", "pipeline.chunk"), 11);

    /* Replayed after the run ended: still nothing changes. */
    enqueue_job(w, "pipeline.chunk", payload, "replay:chunk:1:again");
    assert_int_equal(drain(w), 1);
    assert_lead_run_done(w, name, run_id);
}

/* 3. A step fails for good: the run fails naming the step, keeps the credits spent up to the
 * failure, the job goes to the dead letters, later chunks do no work, replays cost nothing. */
static void test_failed_run_keeps_its_credits(void **state)
{
    struct world *w = *state;
    int64_t run_id;
    struct pipeline_run run;
    struct pipeline_run_step *steps;
    struct job *dead = NULL;
    char key[64];
    size_t n = 0;

    create_pipeline(w, "paid", "[{\"step\":\"charge\",\"items\":25}]");
    run_id = start(w, "paid");
    /* The step, 5 chunks, the notification. */
    assert_int_equal(drain(w), 1 + 5 + 1);
    run = get_run(w, run_id);
    assert_string_equal(run.status, "failed");
    assert_non_null(run.error);
    if (strstr(run.error, "step 1") == NULL || strstr(run.error, "chunk 2 refused") == NULL)
        fail_msg("run error '%s' does not name the step and its failure", run.error);
    assert_int_equal(run.credits_spent, 30);
    steps = get_steps(w, run_id, &n);
    assert_int_equal(n, 1);
    assert_string_equal(steps[0].status, "failed");
    assert_int_equal(steps[0].chunks_total, 5);
    assert_int_equal(steps[0].chunks_done, 2);
    /* Chunks 0 to 2 were charged and worked on; 3 and 4 found the run failed. */
    assert_int_equal(charge_spends[0] + charge_spends[1] + charge_spends[2], 3);
    assert_int_equal(charge_works[0] + charge_works[1] + charge_works[2], 3);
    assert_int_equal(charge_spends[3] + charge_spends[4], 0);
    assert_int_equal(charge_works[3] + charge_works[4], 0);
    /* The failed chunk's job is a dead letter; the others succeeded. */
    assert_store_ok(store_jobs_list(w->fx->st, &w->fx->tenant_a, "discarded", 0, 10, w->fx->arena,
                                    &dead, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, 1);
    assert_string_equal(dead[0].kind, "pipeline.chunk");
    assert_non_null(strstr(dead[0].payload, "\"chunk\":2"));
    assert_string_equal(dead[0].last_error_class, "permanent");
    assert_int_equal(count_jobs(w, "succeeded", "pipeline.chunk"), 4);
    assert_int_equal(w->n_notified, 1);
    assert_string_equal(w->notified_status, "failed");

    /* A charge replayed with its key is not counted again. */
    (void)snprintf(key, sizeof key, "run:%" PRId64 ":chunk:0", run_id);
    assert_store_ok(app_pipeline_charge(&w->app, &w->fx->tenant_a, run_id, key, 10, &w->fx->err),
                    w->fx);
    assert_int_equal(get_run(w, run_id).credits_spent, 30);
    /* Replaying the dead letter finds the run failed: no work, no charge. */
    assert_store_ok(store_jobs_retry(w->fx->st, &w->fx->tenant_a, dead[0].id, &w->fx->err), w->fx);
    assert_int_equal(drain(w), 1);
    assert_int_equal(charge_spends[2] + charge_works[2], 2);
    run = get_run(w, run_id);
    assert_int_equal(run.credits_spent, 30);
    assert_string_equal(run.status, "failed");
    assert_int_equal(w->n_notified, 1);
}

/* 4a. A second start while a run is running is refused with the running run's id. */
static void test_one_running_run_per_pipeline(void **state)
{
    struct world *w = *state;
    int64_t first, other = 0, again;

    create_pipeline(w, "once", "[{\"step\":\"charge\",\"items\":0}]");
    first = start(w, "once");
    assert_error_mentions(app_pipeline_start(&w->app, &actor, &w->fx->tenant_a, "once", "manual",
                                             &other, &w->fx->err),
                          w->fx, PR_CONFLICT, "already running");
    assert_int_equal(other, first);
    assert_int_equal(count_jobs(w, "available", "pipeline.step"), 1);
    /* No step has items: the step job ends the run at once. */
    assert_int_equal(drain(w), 2);
    assert_string_equal(get_run(w, first).status, "succeeded");
    again = start(w, "once");
    assert_true(again > first);
    assert_string_equal(get_run(w, again).status, "running");
    /* Tenant B has no pipeline of that name. */
    assert_int_equal(app_pipeline_start(&w->app, &actor, &w->fx->tenant_b, "once", "manual", &other,
                                        &w->fx->err),
                     PR_NOT_FOUND);
}

/* 4b. 50 threads, each with its own connection, start the same pipeline at once. */
struct racer {
    pthread_t thread;
    pthread_barrier_t *barrier;
    const char *db_path;
    struct clock *clock; /* the fake clock: only read while the racers run */
    struct tenant_ctx tenant;
    enum pr_code open_rc;
    enum pr_code rc;
    int64_t run_id;
    struct pr_error err;
};

static void *race_start(void *arg)
{
    struct racer *r = arg;
    struct store_options opt;
    struct store *st = NULL;

    memset(&opt, 0, sizeof opt);
    opt.path = r->db_path;
    opt.busy_timeout_ms = 30000;
    opt.clock = r->clock;
    r->open_rc = store_open(&opt, &st, &r->err);
    (void)pthread_barrier_wait(r->barrier);
    if (r->open_rc == PR_OK) {
        struct app app = {st, r->clock, NULL, NULL};

        r->rc = app_pipeline_start(&app, &actor, &r->tenant, "race", "manual", &r->run_id, &r->err);
        store_close(st);
    }
    return NULL;
}

static void test_fifty_concurrent_starts(void **state)
{
    struct world *w = *state;
    struct racer *racers = xcalloc(N_RACE_THREADS, sizeof *racers);
    pthread_barrier_t barrier;
    int64_t winner = 0;
    int n_ok = 0, n_conflict = 0, i;
    struct pipeline_run *runs = NULL;
    size_t n = 0;

    create_pipeline(w, "race", "[{\"step\":\"charge\",\"items\":0}]");
    assert_int_equal(pthread_barrier_init(&barrier, NULL, N_RACE_THREADS), 0);
    for (i = 0; i < N_RACE_THREADS; i++) {
        racers[i].barrier = &barrier;
        racers[i].db_path = w->fx->db_path;
        racers[i].clock = &w->fx->clock;
        racers[i].tenant = w->fx->tenant_a;
        assert_int_equal(pthread_create(&racers[i].thread, NULL, race_start, &racers[i]), 0);
    }
    for (i = 0; i < N_RACE_THREADS; i++)
        assert_int_equal(pthread_join(racers[i].thread, NULL), 0);
    assert_int_equal(pthread_barrier_destroy(&barrier), 0);
    for (i = 0; i < N_RACE_THREADS; i++) {
        if (racers[i].open_rc != PR_OK)
            fail_msg("racer %d: store_open: %s", i, racers[i].err.message);
        if (racers[i].rc == PR_OK) {
            n_ok++;
            winner = racers[i].run_id;
        } else if (racers[i].rc == PR_CONFLICT &&
                   strstr(racers[i].err.message, "already running") != NULL) {
            n_conflict++;
        } else {
            fail_msg("racer %d: error %d: %s", i, (int)racers[i].rc, racers[i].err.message);
        }
    }
    assert_int_equal(n_ok, 1);
    assert_int_equal(n_conflict, N_RACE_THREADS - 1);
    for (i = 0; i < N_RACE_THREADS; i++)
        assert_int_equal(racers[i].run_id, winner);
    xfree(racers);
    /* One run and one step job. */
    assert_store_ok(store_pipeline_runs_list(w->fx->st, &w->fx->tenant_a, 0, 0, 100, w->fx->arena,
                                             &runs, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(runs[0].id, winner);
    assert_int_equal(count_jobs(w, "available", "pipeline.step"), 1);
}

/* 5. A schedule's "pipeline.start" job starts a run; while it runs, another is skipped. */
static void test_scheduled_start(void **state)
{
    struct world *w = *state;
    struct pipeline_run *runs = NULL;
    size_t n = 0;
    bool ran = false;

    create_pipeline(w, "nightly", "[{\"step\":\"charge\",\"items\":5}]");
    enqueue_job(w, "pipeline.start", "{\"pipeline\":\"nightly\"}", NULL);
    assert_store_ok(
        jobs_work_once(&w->jobs, w->kinds, w->n_kinds, "w1", &w->policy, &ran, &w->fx->err), w->fx);
    assert_true(ran);
    assert_store_ok(store_pipeline_runs_list(w->fx->st, &w->fx->tenant_a, 0, 0, 100, w->fx->arena,
                                             &runs, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, 1);
    assert_string_equal(runs[0].trigger, "schedule");
    assert_string_equal(runs[0].status, "running");
    /* The next firing meets the running run: done, no second run, no dead letter. */
    enqueue_job(w, "pipeline.start", "{\"pipeline\":\"nightly\"}", NULL);
    assert_store_ok(
        jobs_work_once(&w->jobs, w->kinds, w->n_kinds, "w1", &w->policy, &ran, &w->fx->err), w->fx);
    assert_true(ran);
    assert_int_equal(count_jobs(w, "succeeded", "pipeline.start"), 2);
    assert_int_equal(count_jobs(w, "discarded", NULL), 0);
    assert_int_equal(count_jobs(w, "retryable", NULL), 0);
    assert_store_ok(store_pipeline_runs_list(w->fx->st, &w->fx->tenant_a, 0, 0, 100, w->fx->arena,
                                             &runs, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, 1);
    /* The run itself completes: step, one chunk, notification. */
    assert_int_equal(drain(w), 3);
    assert_string_equal(get_run(w, runs[0].id).status, "succeeded");
    assert_int_equal(get_run(w, runs[0].id).credits_spent, 10);
    assert_int_equal(w->n_notified, 1);
}

/* 6. Definitions are checked before they are stored. */
static void test_create_rejects_bad_definitions(void **state)
{
    struct world *w = *state;
    static const struct {
        const char *name;
        const char *steps;
        const char *word;
    } cases[] = {
        {"a/b", "[{\"step\":\"charge\",\"items\":1}]", "invalid pipeline name"},
        {"", "[{\"step\":\"charge\",\"items\":1}]", "invalid pipeline name"},
        {".hidden", "[{\"step\":\"charge\",\"items\":1}]", "invalid pipeline name"},
        {"p", "[{\"step\":\"enrich\"}]", "unknown step \"enrich\""},
        {"p", "[{\"nostep\":1}]", "step"},
        {"p", "[{\"step\":\"import\",\"file\":\"leads.csv\"}]", "absolute path"},
        {"p", "[{\"step\":\"import\",\"file\":\"leads.csv\"}]", "\"file\""},
        {"p", "[{\"step\":\"export\",\"format\":\"generic\"}]", "'dir'"},
        {"p", "[{\"step\":\"export\",\"format\":\"csv\",\"dir\":\"/tmp\"}]", "format \"csv\""},
        {"p", "[{\"step\":\"score\"}]", "'icp'"},
        {"p", "[]", "1 to 20 steps"},
        {"p", "{\"step\":\"charge\"}", "1 to 20 steps"},
        {"p", "[42]", "must be an object"},
    };
    struct pipeline *list = NULL;
    size_t n = 0, i;
    int64_t id = 0;

    for (i = 0; i < N_OF(cases); i++) {
        enum pr_code rc = app_pipeline_create(&w->app, &actor, &w->fx->tenant_a, &w->env,
                                              cases[i].name, cases[i].steps, &id, &w->fx->err);

        if (rc != PR_INVALID || strstr(w->fx->err.message, cases[i].word) == NULL)
            fail_msg("case %zu (%s): rc %d, message '%s' should mention '%s'", i, cases[i].steps,
                     (int)rc, w->fx->err.message, cases[i].word);
    }
    /* A step's own problem is reported under its number and kind. */
    assert_error_mentions(app_pipeline_create(&w->app, &actor, &w->fx->tenant_a, &w->env, "p",
                                              "[{\"step\":\"charge\",\"items\":1},"
                                              "{\"step\":\"import\",\"file\":\"x.csv\"}]",
                                              &id, &w->fx->err),
                          w->fx, PR_INVALID, "step 2 (import)");
    assert_store_ok(
        store_pipelines_list(w->fx->st, &w->fx->tenant_a, w->fx->arena, &list, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 0);
    /* A good one is stored; its name then is taken. */
    create_pipeline(w, "p", "[{\"step\":\"charge\",\"items\":1}]");
    assert_int_equal(app_pipeline_create(&w->app, &actor, &w->fx->tenant_a, &w->env, "p",
                                         "[{\"step\":\"charge\",\"items\":1}]", &id, &w->fx->err),
                     PR_CONFLICT);
}

/* 7. The dry run: items per step, credits, and whether a run is in progress. */
static void test_estimate(void **state)
{
    struct world *w = *state;
    const char *name = create_lead_pipeline(w, "leads");
    struct pipeline_estimate e;
    int64_t run_id;

    assert_store_ok(
        app_pipeline_estimate(&w->app, &w->fx->tenant_a, &w->env, name, &e, &w->fx->err), w->fx);
    assert_int_equal(e.n_steps, 3);
    assert_string_equal(e.steps[0].name, "import");
    assert_int_equal(e.steps[0].items, CSV_RECORDS);
    assert_string_equal(e.steps[1].name, "score");
    assert_int_equal(e.steps[1].items, CSV_RECORDS); /* nothing stored yet: at most the file */
    assert_string_equal(e.steps[2].name, "export");
    assert_int_equal(e.steps[2].items, CSV_RECORDS);
    assert_int_equal(e.credits, 0);
    assert_false(e.is_running);
    /* The dry run wrote nothing. */
    assert_int_equal(count_jobs(w, NULL, NULL), 0);

    run_id = start(w, name);
    assert_store_ok(
        app_pipeline_estimate(&w->app, &w->fx->tenant_a, &w->env, name, &e, &w->fx->err), w->fx);
    assert_true(e.is_running);
    assert_int_equal(e.running_run_id, run_id);
    (void)drain(w);
    assert_string_equal(get_run(w, run_id).status, "succeeded");

    /* The file is imported now: nothing to import; the stored contacts are what remains. */
    assert_store_ok(
        app_pipeline_estimate(&w->app, &w->fx->tenant_a, &w->env, name, &e, &w->fx->err), w->fx);
    assert_false(e.is_running);
    assert_int_equal(e.steps[0].items, 0);
    assert_int_equal(e.steps[1].items, CSV_PEOPLE);
    /* The stored contacts, counted once: only the import may add leads. */
    assert_int_equal(e.steps[2].items, CSV_PEOPLE);

    /* Credits come from the steps' estimates. */
    create_pipeline(w, "paid", "[{\"step\":\"charge\",\"items\":12}]");
    assert_store_ok(
        app_pipeline_estimate(&w->app, &w->fx->tenant_a, &w->env, "paid", &e, &w->fx->err), w->fx);
    assert_int_equal(e.n_steps, 1);
    assert_int_equal(e.steps[0].items, 12);
    assert_int_equal(e.steps[0].credits, 30);
    assert_int_equal(e.credits, 30);
    assert_int_equal(
        app_pipeline_estimate(&w->app, &w->fx->tenant_b, &w->env, "paid", &e, &w->fx->err),
        PR_NOT_FOUND);
}

/* 8. A worker stalls past its lease before its chunk's transaction; another worker takes the
 * job over and finishes the chunk. The stalled worker then finds the chunk done: it must
 * neither count it again nor fail the run. */
static void test_stalled_worker_does_not_fail_the_run(void **state)
{
    struct world *w = *state;
    struct store_options opt;
    struct pipeline_run run;
    struct pipeline_run_step *steps;
    size_t n = 0;
    int64_t run_id;
    int n_ran;

    memset(&opt, 0, sizeof opt);
    opt.path = w->fx->db_path;
    opt.busy_timeout_ms = 2000;
    opt.clock = &w->fx->clock;
    assert_store_ok(store_open(&opt, &stall_st, &w->fx->err), w->fx);
    stall_env = &w->env;
    stall_policy = w->policy;
    stall_chunk = 1;
    create_pipeline(w, "stall", "[{\"step\":\"stall\",\"items\":15}]");
    run_id = start(w, "stall");
    /* The step, chunk 0, chunk 1 (which w2 does meanwhile); chunk 2 is held by dead-2. */
    n_ran = drain(w);
    run = get_run(w, run_id);
    if (strcmp(run.status, "running") != 0)
        fail_msg("run %s: %s", run.status, run.error ? run.error : "");
    assert_int_equal(n_ran, 3);
    assert_int_equal(charge_spends[1], 2); /* both workers got as far as spending */
    assert_int_equal(charge_works[1], 1);  /* only one did the work */
    steps = get_steps(w, run_id, &n);
    assert_int_equal(steps[0].chunks_done, 2);
    assert_int_equal(steps[0].n_items, 10);
    /* dead-2's lease runs out: chunk 2 is redone and the run ends. */
    clock_fake_advance(&w->fx->clock, 2 * STALL_LEASE_MS);
    assert_int_equal(drain(w), 2);
    store_close(stall_st);
    stall_st = NULL;
    run = get_run(w, run_id);
    if (strcmp(run.status, "succeeded") != 0)
        fail_msg("run %s: %s", run.status, run.error ? run.error : "");
    steps = get_steps(w, run_id, &n);
    assert_int_equal(n, 1);
    assert_int_equal(steps[0].chunks_done, 3);
    assert_int_equal(steps[0].n_items, 15);
    assert_chunks_done(w, run_id, &steps[0]);
    assert_int_equal(charge_works[0] + charge_works[1] + charge_works[2], 3);
    assert_int_equal(count_jobs(w, "running", NULL), 0);
    assert_int_equal(count_jobs(w, "discarded", NULL), 0);
    assert_int_equal(w->n_notified, 1);
    assert_string_equal(w->notified_status, "succeeded");
}

/* A step whose input vanished (the ICP file was deleted) fails the run for good: the run is not
 * left "running", which would refuse every later start. */
static void test_missing_input_fails_the_run(void **state)
{
    struct world *w = *state;
    const char *name = create_lead_pipeline(w, "vanishing");
    char *icp = arena_printf(w->fx->arena, "%s/icp.yaml", w->fx->dir);
    struct pipeline_run run;
    int64_t run_id;

    assert_int_equal(unlink(icp), 0);
    run_id = start(w, name);
    drain(w);
    run = get_run(w, run_id);
    assert_string_equal(run.status, "failed");
    assert_non_null(run.error);
    assert_non_null(strstr(run.error, "step 2"));
    assert_int_equal(count_jobs(w, "running", NULL) + count_jobs(w, "available", NULL) +
                         count_jobs(w, "retryable", NULL),
                     0);
    write_file(w, "icp.yaml", icp_yaml);
    assert_true(start(w, name) > run_id);
    drain(w);

    /* A not-found answer (an export list that does not exist) fails the run as well. */
    create_pipeline(w, "no-list",
                    arena_printf(w->fx->arena,
                                 "[{\"step\":\"export\",\"format\":\"generic\",\"dir\":\"%s\","
                                 "\"list\":\"missing\"}]",
                                 w->fx->dir));
    run_id = start(w, "no-list");
    drain(w);
    run = get_run(w, run_id);
    assert_string_equal(run.status, "failed");
    assert_non_null(strstr(run.error, "list"));
}

/* Cancelling mid-import: the run ends cancelled, its import record failed, the chunks still
 * queued do nothing, and the pipeline can run again. */
static void test_cancel_mid_import(void **state)
{
    struct world *w = *state;
    const char *name = create_lead_pipeline(w, "cancelled");
    struct pipeline_run_step *steps;
    struct import_record rec;
    struct pipeline_run run;
    struct import_row *rows = NULL;
    size_t n = 0;
    bool ran = false;
    int64_t run_id = start(w, name);

    /* The step job plans the import: its chunk jobs are queued, none has run. */
    assert_store_ok(
        jobs_work_once(&w->jobs, w->kinds, w->n_kinds, "w1", &w->policy, &ran, &w->fx->err), w->fx);
    assert_true(ran);
    assert_store_ok(
        app_pipeline_cancel(&w->app, &actor, &w->fx->tenant_a, &w->env, run_id, &w->fx->err),
        w->fx);
    assert_int_equal(
        app_pipeline_cancel(&w->app, &actor, &w->fx->tenant_a, &w->env, run_id, &w->fx->err),
        PR_CONFLICT);
    drain(w);
    run = get_run(w, run_id);
    assert_string_equal(run.status, "cancelled");
    steps = get_steps(w, run_id, &n);
    assert_int_equal(n, 1);
    assert_string_equal(steps[0].status, "failed");
    assert_int_equal(steps[0].chunks_done, 0);
    assert_store_ok(store_imports_get(w->fx->st, &w->fx->tenant_a,
                                      detail_int(&steps[0], "import_id"), w->fx->arena, &rec,
                                      &w->fx->err),
                    w->fx);
    assert_string_equal(rec.status, "failed");
    assert_int_equal(rec.counts.n_rows, 0);
    assert_store_ok(store_imports_rows(w->fx->st, &w->fx->tenant_a, rec.id, NULL, 0, 1000,
                                       w->fx->arena, &rows, &n, &w->fx->err),
                    w->fx);
    assert_int_equal(n, 0);
    assert_int_equal(count_jobs(w, "running", NULL) + count_jobs(w, "available", NULL), 0);
    assert_true(start(w, name) > run_id);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, world_setup, world_teardown)
        T(test_import_score_export),
        T(test_resume_after_dead_worker),
        T(test_failed_run_keeps_its_credits),
        T(test_one_running_run_per_pipeline),
        T(test_fifty_concurrent_starts),
        T(test_scheduled_start),
        T(test_create_rejects_bad_definitions),
        T(test_estimate),
        T(test_stalled_worker_does_not_fail_the_run),
        T(test_missing_input_fails_the_run),
        T(test_cancel_mid_import),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
