/*
 * Isolation cases of the pipelines and their runs (store/pipelines.h, store/pipeline_runs.h),
 * run by isolation_test.c like its own: act as tenant A against tenant B's pipeline ids and
 * names and B's run ids, steps and chunks; B's pipelines, runs, steps, chunks and charges are
 * compared with their snapshot afterwards (what B reads of them, b_view_pipelines, is here beside
 * the seed; the raw rows of the five tables are dumped by isolation_snapshot.c).
 *
 * B's rows are in every state a move can meet: a running run at a begun step with a done and
 * a pending chunk, a finished run, a pipeline that is running and one that never ran. To A
 * every one of them is missing, whatever B itself would get (success or PR_CONFLICT), so not
 * even their state leaks. A has a pipeline of the same name as B's: names are per tenant, and
 * so is the one running run per pipeline.
 */
#include "isolation_snapshot.h"

#include "store/pipeline_runs.h"
#include "store/pipelines.h"

#include <inttypes.h>
#include <string.h>

/* A name no pipeline of any tenant has. */
#define MISSING_NAME "no-such-pipeline"

#define STEPS_B      "[{\"step\":\"import\"},{\"step\":\"enrich\"}]"
#define STEPS_B_IDLE "[{\"step\":\"export\"}]"
#define STEPS_A      "[{\"step\":\"score\"}]"

void seed_pipelines(struct world *w)
{
    struct store_fixture *fx = w->fx;
    bool is_done = true, is_new = false;

    assert_ok(
        store_pipelines_create(w->st, w->b, PIPELINE_NAME_B, STEPS_B, &w->b_pipeline, &fx->err),
        fx);
    assert_ok(store_pipelines_create(w->st, w->b, PIPELINE_NAME_B_IDLE, STEPS_B_IDLE,
                                     &w->b_pipeline_idle, &fx->err),
              fx);

    /* Finished: step 0 (one chunk) succeeded, step 1 (no chunks) failed, and so did the run. */
    assert_ok(store_pipeline_runs_start(w->st, w->b, w->b_pipeline, "schedule", 2,
                                        &w->b_run_finished, &fx->err),
              fx);
    assert_ok(store_pipeline_runs_begin_step(w->st, w->b, w->b_run_finished, 0, "import", 1,
                                             "{\"import_id\":7}", &fx->err),
              fx);
    assert_ok(store_pipeline_runs_add_chunk(w->st, w->b, w->b_run_finished, 0, 0, 0, 10, &fx->err),
              fx);
    assert_ok(store_pipeline_runs_finish_chunk(w->st, w->b, w->b_run_finished, 0, 0, 9, 1, &is_done,
                                               &fx->err),
              fx);
    assert_true(is_done);
    assert_ok(store_pipeline_runs_finish_step(w->st, w->b, w->b_run_finished, 0, true,
                                              "{\"n_merged\":3}", &fx->err),
              fx);
    assert_ok(store_pipeline_runs_begin_step(w->st, w->b, w->b_run_finished, 1, "enrich", 0, NULL,
                                             &fx->err),
              fx);
    assert_ok(store_pipeline_runs_finish_step(w->st, w->b, w->b_run_finished, 1, false,
                                              "{\"reason\":\"quota\"}", &fx->err),
              fx);
    assert_ok(store_pipeline_runs_finish(w->st, w->b, w->b_run_finished, "failed",
                                         "enrich: quota exceeded", &fx->err),
              fx);

    /* Running: step 0 begun with two chunks, the first done; one paid call charged. */
    assert_ok(store_pipeline_runs_start(w->st, w->b, w->b_pipeline, "manual", 2, &w->b_run_running,
                                        &fx->err),
              fx);
    assert_ok(store_pipeline_runs_begin_step(w->st, w->b, w->b_run_running, 0, "import", 2,
                                             "{\"file\":\"b.csv\"}", &fx->err),
              fx);
    assert_ok(store_pipeline_runs_add_chunk(w->st, w->b, w->b_run_running, 0, 0, 0, 100, &fx->err),
              fx);
    assert_ok(store_pipeline_runs_add_chunk(w->st, w->b, w->b_run_running, 0, 1, 100, 50, &fx->err),
              fx);
    assert_ok(store_pipeline_runs_finish_chunk(w->st, w->b, w->b_run_running, 0, 0, 95, 5, &is_done,
                                               &fx->err),
              fx);
    assert_false(is_done);
    assert_ok(store_pipeline_runs_charge(w->st, w->b, w->b_run_running, CHARGE_KEY_B, 3, &is_new,
                                         &fx->err),
              fx);
    assert_true(is_new);

    /* A's: B's name, one run that succeeded. */
    assert_ok(
        store_pipelines_create(w->st, w->a, PIPELINE_NAME_B, STEPS_A, &w->a_pipeline, &fx->err),
        fx);
    assert_ok(
        store_pipeline_runs_start(w->st, w->a, w->a_pipeline, "manual", 1, &w->a_run, &fx->err),
        fx);
    assert_ok(store_pipeline_runs_finish(w->st, w->a, w->a_run, "succeeded", NULL, &fx->err), fx);
}

/* ---- B as B sees it ------------------------------------------------------------------------- */

static void describe_pipeline(struct buf *b, const struct pipeline *p)
{
    put_int(b, "pipeline.id", p->id);
    put_int(b, "tenant_id", p->tenant_id);
    put_text(b, "name", p->name);
    put_text(b, "steps", p->steps);
    put_int(b, "created_at", p->created_at);
    put_int(b, "updated_at", p->updated_at);
}

static void describe_run(struct buf *b, const struct pipeline_run *r)
{
    put_int(b, "pipeline_run.id", r->id);
    put_int(b, "tenant_id", r->tenant_id);
    put_int(b, "pipeline_id", r->pipeline_id);
    put_text(b, "status", r->status);
    put_text(b, "trigger", r->trigger);
    put_int(b, "n_steps", r->n_steps);
    put_int(b, "step_index", r->step_index);
    put_int(b, "credits_spent", r->credits_spent);
    put_text(b, "error", r->error);
    put_int(b, "created_at", r->created_at);
    put_int(b, "updated_at", r->updated_at);
    put_int(b, "finished_at", r->finished_at);
}

static void describe_run_step(struct buf *b, const struct pipeline_run_step *s)
{
    put_int(b, "pipeline_run_step.step_index", s->step_index);
    put_text(b, "name", s->name);
    put_text(b, "status", s->status);
    put_int(b, "chunks_total", s->chunks_total);
    put_int(b, "chunks_done", s->chunks_done);
    put_int(b, "n_items", s->n_items);
    put_int(b, "n_rejected", s->n_rejected);
    put_text(b, "detail", s->detail);
    put_int(b, "started_at", s->started_at);
    put_int(b, "finished_at", s->finished_at);
}

static void describe_chunk(struct buf *b, const struct pipeline_chunk *c)
{
    put_int(b, "pipeline_chunk.chunk", c->chunk);
    put_int(b, "first_item", c->first_item);
    put_int(b, "n_planned", c->n_planned);
    put_int(b, "is_done", c->is_done);
    put_int(b, "n_items", c->n_items);
    put_int(b, "n_rejected", c->n_rejected);
}

/* B's pipelines by id and by name and their list; B's runs one by one with their steps and
 * those steps' chunks, and B's run lists; appended to w->scratch. */
void b_view_pipelines(struct world *w)
{
    static const char *const names[] = {PIPELINE_NAME_B, PIPELINE_NAME_B_IDLE};
    struct store_fixture *fx = w->fx;
    struct buf *b = &w->scratch;
    const struct tenant_ctx *t = w->b;
    const int64_t ids[] = {w->b_pipeline, w->b_pipeline_idle};
    const int64_t runs[] = {w->b_run_finished, w->b_run_running};
    const int64_t list_pipelines[] = {0, w->b_pipeline, w->b_pipeline_idle};
    struct pipeline pipeline, *pipelines;
    struct pipeline_run run, *run_rows;
    struct pipeline_run_step *steps;
    struct pipeline_chunk chunk;
    size_t n, n_steps, i, j, k;

    for (k = 0; k < N_OF(ids); k++) {
        assert_ok(store_pipelines_get(w->st, t, ids[k], w->arena, &pipeline, &fx->err), fx);
        describe_pipeline(b, &pipeline);
        assert_ok(store_pipelines_find_by_name(w->st, t, names[k], w->arena, &pipeline, &fx->err),
                  fx);
        describe_pipeline(b, &pipeline);
    }
    assert_ok(store_pipelines_list(w->st, t, w->arena, &pipelines, &n, &fx->err), fx);
    put_int(b, "n_pipelines", (int64_t)n);
    for (i = 0; i < n; i++)
        describe_pipeline(b, &pipelines[i]);
    for (k = 0; k < N_OF(runs); k++) {
        assert_ok(store_pipeline_runs_get(w->st, t, runs[k], w->arena, &run, &fx->err), fx);
        describe_run(b, &run);
        assert_ok(
            store_pipeline_runs_steps(w->st, t, runs[k], w->arena, &steps, &n_steps, &fx->err), fx);
        put_int(b, "n_run_steps", (int64_t)n_steps);
        for (i = 0; i < n_steps; i++) {
            describe_run_step(b, &steps[i]);
            for (j = 0; j < (size_t)steps[i].chunks_total; j++) {
                assert_ok(store_pipeline_runs_get_chunk(w->st, t, runs[k], steps[i].step_index,
                                                        (int64_t)j, &chunk, &fx->err),
                          fx);
                describe_chunk(b, &chunk);
            }
        }
    }
    for (k = 0; k < N_OF(list_pipelines); k++) {
        assert_ok(store_pipeline_runs_list(w->st, t, list_pipelines[k], 0, 1000, w->arena,
                                           &run_rows, &n, &fx->err),
                  fx);
        put_int(b, "n_pipeline_runs", (int64_t)n);
        for (i = 0; i < n; i++)
            describe_run(b, &run_rows[i]);
    }
}

/* Runs `call` as A once by itself and once in a caller's transaction (where nothing would roll
 * back a stray write before the snapshot is compared), with `id` each of B's `ids` and then an
 * id that does not exist. */
#define assert_each_hidden(w, id, b_ids, call)                                                     \
    do {                                                                                           \
        size_t k_, pass_;                                                                          \
                                                                                                   \
        for (pass_ = 0; pass_ < 2; pass_++) {                                                      \
            if (pass_ == 1)                                                                        \
                assert_ok(store_begin((w)->st, &(w)->fx->err), (w)->fx);                           \
            for (k_ = 0; k_ < N_OF(b_ids); k_++)                                                   \
                assert_hidden(w, id, (b_ids)[k_], MISSING_ID, call);                               \
            if (pass_ == 1)                                                                        \
                assert_ok(store_commit((w)->st, &(w)->fx->err), (w)->fx);                          \
        }                                                                                          \
    } while (0)

/* Over B's pipelines: the one with a running run, and the one that never ran. */
#define assert_pipelines_hidden(w, id, call)                                                       \
    do {                                                                                           \
        const int64_t b_pipelines_[] = {(w)->b_pipeline, (w)->b_pipeline_idle};                    \
                                                                                                   \
        assert_each_hidden(w, id, b_pipelines_, call);                                             \
    } while (0)

/* Over B's runs: the running one and the finished one. */
#define assert_runs_hidden(w, id, call)                                                            \
    do {                                                                                           \
        const int64_t b_runs_[] = {(w)->b_run_running, (w)->b_run_finished};                       \
                                                                                                   \
        assert_each_hidden(w, id, b_runs_, call);                                                  \
    } while (0)

/* ---- pipelines ------------------------------------------------------------------------------ */

void case_pipelines_create(struct world *w)
{
    struct pipeline out;
    int64_t id = 0, other = 0;

    /* Names are per tenant: A may use B's idle one's, and gets a pipeline of its own. */
    assert_ok(store_pipelines_create(w->st, w->a, PIPELINE_NAME_B_IDLE, STEPS_A, &id, &w->fx->err),
              w->fx);
    assert_true(id != w->b_pipeline_idle);
    assert_ok(store_pipelines_get(w->st, w->a, id, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
    assert_string_equal(out.name, PIPELINE_NAME_B_IDLE);
    assert_string_equal(out.steps, STEPS_A);
    /* The name still holds within A: the success above was not a missing constraint (nor was
     * the seed's A pipeline named like B's). */
    assert_int_equal(
        store_pipelines_create(w->st, w->a, PIPELINE_NAME_B_IDLE, STEPS_A, &other, &w->fx->err),
        PR_CONFLICT);
    assert_int_equal(
        store_pipelines_create(w->st, w->a, PIPELINE_NAME_B, STEPS_A, &other, &w->fx->err),
        PR_CONFLICT);
}

void case_pipelines_get(struct world *w)
{
    struct pipeline out;
    int64_t id;

    assert_pipelines_hidden(w, id,
                            store_pipelines_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_pipelines_find_by_name(struct world *w)
{
    struct pipeline out;
    const char *name;

    assert_hidden(w, name, PIPELINE_NAME_B_IDLE, MISSING_NAME,
                  store_pipelines_find_by_name(w->st, w->a, name, w->arena, &out, &w->fx->err));
    /* B's other name is A's too: A finds its own, never B's. */
    assert_ok(
        store_pipelines_find_by_name(w->st, w->a, PIPELINE_NAME_B, w->arena, &out, &w->fx->err),
        w->fx);
    assert_int_equal(out.id, w->a_pipeline);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
    assert_string_equal(out.steps, STEPS_A);
}

void case_pipelines_list(struct world *w)
{
    struct pipeline *rows = NULL;
    size_t n = 99;

    assert_ok(store_pipelines_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, w->a_pipeline);
    assert_int_equal(rows[0].tenant_id, w->a->tenant_id);
}

void case_pipelines_remove(struct world *w)
{
    struct pipeline_run run;
    int64_t id;

    /* B's running one (PR_CONFLICT for B) and B's idle one (removable by B): missing to A. */
    assert_pipelines_hidden(w, id, store_pipelines_remove(w->st, w->a, id, &w->fx->err));
    /* A's own, named like B's, goes with its run; B's of that name stays (the snapshot). */
    assert_ok(store_pipelines_remove(w->st, w->a, w->a_pipeline, &w->fx->err), w->fx);
    assert_int_equal(store_pipeline_runs_get(w->st, w->a, w->a_run, w->arena, &run, &w->fx->err),
                     PR_NOT_FOUND);
}

/* ---- runs ----------------------------------------------------------------------------------- */

void case_pipeline_runs_start(struct world *w)
{
    struct pipeline_run run;
    int64_t id, out_id = 0, again = 0;
    char run_text[32];

    /* B's running pipeline, where B would get PR_CONFLICT and the running run's id: to A it is
     * missing, and the id does not come out. */
    assert_pipelines_hidden(
        w, id, store_pipeline_runs_start(w->st, w->a, id, "manual", 2, &out_id, &w->fx->err));
    assert_true(out_id != w->b_run_running);
    assert_pipelines_hidden(
        w, id, store_pipeline_runs_start(w->st, w->a, id, "schedule", 1, &out_id, &w->fx->err));
    assert_true(out_id != w->b_run_running);

    /* One running run per pipeline and tenant: A's starts while B's runs, and a second start
     * names A's running run, never B's. */
    assert_ok(
        store_pipeline_runs_start(w->st, w->a, w->a_pipeline, "manual", 1, &out_id, &w->fx->err),
        w->fx);
    assert_true(out_id != w->b_run_running && out_id != w->a_run);
    assert_ok(store_pipeline_runs_get(w->st, w->a, out_id, w->arena, &run, &w->fx->err), w->fx);
    assert_int_equal(run.tenant_id, w->a->tenant_id);
    assert_int_equal(run.pipeline_id, w->a_pipeline);
    assert_string_equal(run.status, "running");
    assert_int_equal(
        store_pipeline_runs_start(w->st, w->a, w->a_pipeline, "manual", 1, &again, &w->fx->err),
        PR_CONFLICT);
    assert_int_equal(again, out_id);
    (void)snprintf(run_text, sizeof run_text, "run %" PRId64, out_id);
    assert_non_null(strstr(w->fx->err.message, run_text));
}

void case_pipeline_runs_get(struct world *w)
{
    struct pipeline_run out;
    int64_t id;

    assert_runs_hidden(w, id,
                       store_pipeline_runs_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_pipeline_runs_list(struct world *w)
{
    const int64_t pipelines[] = {0, w->a_pipeline};
    const int64_t b_pipelines[] = {w->b_pipeline, w->b_pipeline_idle};
    struct pipeline_run *rows = NULL;
    size_t n = 99, k;

    /* Every pipeline, and A's: A's one run, never B's. */
    for (k = 0; k < N_OF(pipelines); k++) {
        assert_ok(store_pipeline_runs_list(w->st, w->a, pipelines[k], 0, 1000, w->arena, &rows, &n,
                                           &w->fx->err),
                  w->fx);
        assert_int_equal(n, 1);
        assert_int_equal(rows[0].id, w->a_run);
        assert_int_equal(rows[0].tenant_id, w->a->tenant_id);
    }
    /* B's pipelines: nothing. */
    for (k = 0; k < N_OF(b_pipelines); k++) {
        assert_ok(store_pipeline_runs_list(w->st, w->a, b_pipelines[k], 0, 1000, w->arena, &rows,
                                           &n, &w->fx->err),
                  w->fx);
        assert_int_equal(n, 0);
    }
    /* Paging from A's run downwards (B's older ones are below it). */
    assert_ok(
        store_pipeline_runs_list(w->st, w->a, 0, w->a_run, 1000, w->arena, &rows, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 0);
}

void case_pipeline_runs_steps(struct world *w)
{
    struct pipeline_run_step *rows = NULL;
    size_t n = 0;
    int64_t id;

    assert_runs_hidden(
        w, id, store_pipeline_runs_steps(w->st, w->a, id, w->arena, &rows, &n, &w->fx->err));
}

void case_pipeline_runs_begin_step(struct world *w)
{
    int64_t id;

    /* Step 0 (begun already on both of B's runs) and step 1 (B's running run is not there
     * yet): PR_CONFLICT for B, missing to A. */
    assert_runs_hidden(
        w, id, store_pipeline_runs_begin_step(w->st, w->a, id, 0, "import", 3, NULL, &w->fx->err));
    assert_runs_hidden(w, id,
                       store_pipeline_runs_begin_step(w->st, w->a, id, 1, "enrich", 1,
                                                      "{\"forged\":true}", &w->fx->err));
}

void case_pipeline_runs_add_chunk(struct world *w)
{
    int64_t id;

    /* A new chunk and B's existing ones of a begun step, and a chunk of a step not begun. */
    assert_runs_hidden(w, id,
                       store_pipeline_runs_add_chunk(w->st, w->a, id, 0, 2, 150, 10, &w->fx->err));
    assert_runs_hidden(w, id,
                       store_pipeline_runs_add_chunk(w->st, w->a, id, 0, 0, 0, 100, &w->fx->err));
    assert_runs_hidden(w, id,
                       store_pipeline_runs_add_chunk(w->st, w->a, id, 0, 1, 100, 50, &w->fx->err));
    assert_runs_hidden(w, id,
                       store_pipeline_runs_add_chunk(w->st, w->a, id, 1, 0, 0, 10, &w->fx->err));
}

void case_pipeline_runs_get_chunk(struct world *w)
{
    struct pipeline_chunk out;
    int64_t id, chunk;

    /* B's done and pending chunks of the running run, the done one of the finished run. */
    for (chunk = 0; chunk < 2; chunk++)
        assert_runs_hidden(
            w, id, store_pipeline_runs_get_chunk(w->st, w->a, id, 0, chunk, &out, &w->fx->err));
}

void case_pipeline_runs_finish_chunk(struct world *w)
{
    bool is_step_done = true;
    int64_t id, chunk;

    /* Chunk 1 of B's running run is pending (B would finish the step with it), chunk 0 is
     * done (PR_CONFLICT for B): missing to A, which is never told the step is done. */
    for (chunk = 0; chunk < 2; chunk++) {
        assert_runs_hidden(w, id,
                           store_pipeline_runs_finish_chunk(w->st, w->a, id, 0, chunk, 50, 0,
                                                            &is_step_done, &w->fx->err));
        assert_false(is_step_done);
    }
}

void case_pipeline_runs_finish_step(struct world *w)
{
    int64_t id;

    /* Succeeded (B's running run would move on) and failed, with a detail and without. */
    assert_runs_hidden(w, id,
                       store_pipeline_runs_finish_step(w->st, w->a, id, 0, true,
                                                       "{\"forged\":true}", &w->fx->err));
    assert_runs_hidden(
        w, id, store_pipeline_runs_finish_step(w->st, w->a, id, 0, false, NULL, &w->fx->err));
    assert_runs_hidden(
        w, id, store_pipeline_runs_finish_step(w->st, w->a, id, 1, false, NULL, &w->fx->err));
}

void case_pipeline_runs_finish(struct world *w)
{
    int64_t id;

    /* Every ending: B's running run would take it, B's finished one gives B PR_CONFLICT. */
    assert_runs_hidden(w, id,
                       store_pipeline_runs_finish(w->st, w->a, id, "succeeded", NULL, &w->fx->err));
    assert_runs_hidden(
        w, id, store_pipeline_runs_finish(w->st, w->a, id, "failed", "forged", &w->fx->err));
    assert_runs_hidden(w, id,
                       store_pipeline_runs_finish(w->st, w->a, id, "cancelled", NULL, &w->fx->err));
}

void case_pipeline_runs_charge(struct world *w)
{
    struct pipeline_run run;
    bool is_new = true;
    int64_t id;

    /* A new key and B's: nothing recorded, nothing counted, not even "already charged". */
    assert_runs_hidden(
        w, id, store_pipeline_runs_charge(w->st, w->a, id, "charge-a-1", 5, &is_new, &w->fx->err));
    assert_false(is_new);
    assert_runs_hidden(
        w, id, store_pipeline_runs_charge(w->st, w->a, id, CHARGE_KEY_B, 5, &is_new, &w->fx->err));
    assert_false(is_new);
    /* Keys are per run: B's key is new on A's run, and counted once. */
    assert_ok(
        store_pipeline_runs_charge(w->st, w->a, w->a_run, CHARGE_KEY_B, 4, &is_new, &w->fx->err),
        w->fx);
    assert_true(is_new);
    assert_ok(
        store_pipeline_runs_charge(w->st, w->a, w->a_run, CHARGE_KEY_B, 4, &is_new, &w->fx->err),
        w->fx);
    assert_false(is_new);
    assert_ok(store_pipeline_runs_get(w->st, w->a, w->a_run, w->arena, &run, &w->fx->err), w->fx);
    assert_int_equal(run.credits_spent, 4);
}
