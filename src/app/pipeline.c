/* Pipeline runs driven by jobs (see pipeline.h for the protocol). */
#include "app/pipeline.h"

#include "store/jobs.h"
#include "store/pipelines.h"
#include "util/json.h"
#include "util/str.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_CHUNK_ITEMS 5000
#define MAX_STEPS           20
#define JOB_MAX_ATTEMPTS    10

static const struct pipeline_step_kind *const builtin_kinds[] = {
    &pipeline_import_step,
    &pipeline_score_step,
    &pipeline_export_step,
};

static const struct app_actor system_actor = {"system", "pipeline", NULL};

static const struct pipeline_step_kind *find_kind(const struct pipeline_env *env, const char *name)
{
    size_t i;

    for (i = 0; i < sizeof builtin_kinds / sizeof builtin_kinds[0]; i++)
        if (strcmp(builtin_kinds[i]->name, name) == 0)
            return builtin_kinds[i];
    for (i = 0; env != NULL && i < env->n_extra_kinds; i++)
        if (strcmp(env->extra_kinds[i].name, name) == 0)
            return &env->extra_kinds[i];
    return NULL;
}

/* Parses and checks a definition: an array of 1..20 objects, each naming a known kind whose
 * own check passes. On success *out is a new reference. */
static enum pr_code parse_steps(const struct pipeline_env *env, const char *steps_json,
                                json_t **out, struct pr_error *err)
{
    json_t *steps = NULL;
    size_t i;
    enum pr_code rc = json_parse_limited(steps_json, strlen(steps_json), 64 * 1024, 4, &steps, err);

    if (rc == PR_OK &&
        (!json_is_array(steps) || json_array_size(steps) < 1 || json_array_size(steps) > MAX_STEPS))
        rc = pr_error_set(err, PR_INVALID, "a pipeline is a list of 1 to %d steps", MAX_STEPS);
    for (i = 0; rc == PR_OK && i < json_array_size(steps); i++) {
        const json_t *step = json_array_get(steps, i);
        const struct pipeline_step_kind *kind;
        const char *name = NULL;

        if (!json_is_object(step)) {
            rc = pr_error_set(err, PR_INVALID, "step %zu must be an object", i + 1);
            break;
        }
        rc = json_get_string(step, "step", true, &name, err);
        if (rc != PR_OK)
            break;
        kind = find_kind(env, name);
        if (kind == NULL) {
            pr_error_set(err, PR_INVALID, "step %zu: unknown step \"%s\"", i + 1, name);
            rc = pr_error_hint(err, "steps are import, score and export");
        } else {
            rc = kind->check(step, err);
            if (rc != PR_OK) {
                char prefix[96];
                size_t n_prefix, n_message = strlen(err->message);

                /* Prefix the step, keeping the check's hint (the message may be cut short). */
                (void)snprintf(prefix, sizeof prefix, "step %zu (%.40s): ", i + 1, name);
                n_prefix = strlen(prefix);
                if (n_prefix + n_message >= sizeof err->message)
                    n_message = sizeof err->message - 1 - n_prefix;
                memmove(err->message + n_prefix, err->message, n_message);
                memcpy(err->message, prefix, n_prefix);
                err->message[n_prefix + n_message] = '\0';
            }
        }
    }
    if (rc == PR_OK)
        *out = steps;
    else
        json_decref(steps);
    return rc;
}

static enum pr_code dump(const json_t *value, struct arena *a, const char **out,
                         struct pr_error *err)
{
    struct buf b;
    enum pr_code rc;

    buf_init(&b, 1024 * 1024);
    rc = json_dump_buf(value, &b);
    if (rc == PR_OK)
        *out = arena_strndup(a, buf_cstr(&b), b.len);
    else
        pr_error_set(err, PR_INTERNAL, "a pipeline step's detail is too large");
    buf_free(&b);
    return rc;
}

static enum pr_code enqueue(struct app *app, const struct tenant_ctx *t, const char *kind,
                            const char *payload, const char *key, struct pr_error *err)
{
    struct job_new job;
    int64_t id = 0;

    memset(&job, 0, sizeof job);
    job.kind = kind;
    job.payload = payload;
    job.max_attempts = JOB_MAX_ATTEMPTS;
    job.unique_key = key;
    job.idempotency_key = key;
    return store_jobs_enqueue(app->st, t, &job, &id, err);
}

static enum pr_code enqueue_step(struct app *app, const struct tenant_ctx *t, int64_t run_id,
                                 int64_t step_index, struct pr_error *err)
{
    char payload[96], key[96];

    (void)snprintf(payload, sizeof payload, "{\"run\":%" PRId64 ",\"step\":%" PRId64 "}", run_id,
                   step_index);
    (void)snprintf(key, sizeof key, "run:%" PRId64 ":step:%" PRId64, run_id, step_index);
    return enqueue(app, t, "pipeline.step", payload, key, err);
}

/* Ends the run (succeeded, failed) and hands it to the notifier through the outbox, in the
 * caller's transaction. */
static enum pr_code end_run(struct app *app, const struct app_actor *actor,
                            const struct tenant_ctx *t, int64_t run_id, const char *status,
                            const char *error, struct pr_error *err)
{
    char payload[64], key[64], detail[64];
    enum pr_code rc = store_pipeline_runs_finish(app->st, t, run_id, status, error, err);

    (void)snprintf(payload, sizeof payload, "{\"run\":%" PRId64 "}", run_id);
    (void)snprintf(key, sizeof key, "run:%" PRId64 ":notify", run_id);
    (void)snprintf(detail, sizeof detail, "{\"status\":\"%s\"}", status);
    if (rc == PR_OK)
        rc = enqueue(app, t, "pipeline.notify", payload, key, err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "pipeline.finish", "pipeline_run", run_id, detail, err);
    return rc;
}

/* A run as its jobs see it: the run, its pipeline and the parsed definition. */
struct loaded_run {
    struct pipeline_run run;
    struct pipeline pipeline;
    json_t *steps;
};

static enum pr_code load_run(struct app *app, const struct tenant_ctx *t,
                             const struct pipeline_env *env, int64_t run_id, struct arena *a,
                             struct loaded_run *out, struct pr_error *err)
{
    enum pr_code rc = store_pipeline_runs_get(app->st, t, run_id, a, &out->run, err);

    out->steps = NULL;
    if (rc == PR_OK)
        rc = store_pipelines_get(app->st, t, out->run.pipeline_id, a, &out->pipeline, err);
    if (rc == PR_OK)
        rc = parse_steps(env, out->pipeline.steps, &out->steps, err);
    if (rc == PR_OK && (int64_t)json_array_size(out->steps) != out->run.n_steps)
        rc = pr_error_set(err, PR_CONFLICT, "the pipeline's steps changed during the run");
    return rc;
}

/* Fills the hooks' context for step `step_index` of a loaded run. */
static const struct pipeline_step_kind *step_ctx(struct app *app, const struct tenant_ctx *t,
                                                 const struct pipeline_env *env,
                                                 const struct loaded_run *lr, int64_t step_index,
                                                 struct pipeline_step_ctx *c)
{
    const char *name = NULL;
    struct pr_error ignored;

    memset(c, 0, sizeof *c);
    c->app = app;
    c->actor = &system_actor;
    c->t = t;
    c->env = env;
    c->pipeline_name = lr->pipeline.name;
    c->step = json_array_get(lr->steps, (size_t)step_index);
    c->run_id = lr->run.id;
    c->step_index = step_index;
    c->chunk_items = env->chunk_items > 0 ? env->chunk_items : DEFAULT_CHUNK_ITEMS;
    (void)json_get_string(c->step, "step", true, &name, &ignored);
    return name != NULL ? find_kind(env, name) : NULL;
}

/* The step's work is done: close it, then enqueue the next step or end the run. In the
 * caller's transaction. */
static enum pr_code advance(struct pipeline_step_ctx *c, const struct pipeline_step_kind *kind,
                            int64_t n_steps, struct arena *a, struct pr_error *err)
{
    const char *detail = NULL;
    enum pr_code rc = kind->finish != NULL ? kind->finish(c, err) : PR_OK;

    if (rc == PR_OK)
        rc = dump(c->detail, a, &detail, err);
    if (rc == PR_OK)
        rc = store_pipeline_runs_finish_step(c->app->st, c->t, c->run_id, c->step_index, true,
                                             detail, err);
    if (rc != PR_OK)
        return rc;
    if (c->step_index + 1 < n_steps)
        return enqueue_step(c->app, c->t, c->run_id, c->step_index + 1, err);
    return end_run(c->app, c->actor, c->t, c->run_id, "succeeded", NULL, err);
}

/* The detail the step's plan stored, for its chunks. */
static enum pr_code load_detail(struct app *app, const struct tenant_ctx *t, int64_t run_id,
                                int64_t step_index, struct arena *a, json_t **out,
                                struct pr_error *err)
{
    struct pipeline_run_step *steps = NULL;
    size_t n = 0, i;
    enum pr_code rc = store_pipeline_runs_steps(app->st, t, run_id, a, &steps, &n, err);

    for (i = 0; rc == PR_OK && i < n; i++)
        if (steps[i].step_index == step_index)
            return json_parse_limited(steps[i].detail, strlen(steps[i].detail), 1024 * 1024, 8, out,
                                      err);
    return rc == PR_OK ? pr_error_set(err, PR_NOT_FOUND, "pipeline run step not found") : rc;
}

/* Ends a running run before its last step, in the caller's transaction: the step that runs is
 * closed as failed (with its kind's abandon hook), then the run ends with `status`. */
static enum pr_code end_early(struct app *app, const struct app_actor *actor,
                              const struct tenant_ctx *t, const struct pipeline_env *env,
                              int64_t run_id, int64_t step_index, const char *status,
                              const char *message, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct loaded_run lr;
    struct pipeline_step_ctx c;
    const struct pipeline_step_kind *kind = NULL;
    enum pr_code rc;

    memset(&lr, 0, sizeof lr);
    memset(&c, 0, sizeof c);
    rc = store_pipeline_runs_finish_step(app->st, t, run_id, step_index, false, NULL, err);
    if (rc == PR_OK && load_run(app, t, env, run_id, a, &lr, err) == PR_OK) {
        kind = step_ctx(app, t, env, &lr, step_index, &c);
        c.actor = actor;
        rc = load_detail(app, t, run_id, step_index, a, &c.detail, err);
        if (rc == PR_OK && kind != NULL && kind->abandon != NULL)
            rc = kind->abandon(&c, message, err);
    } else if (rc == PR_CONFLICT) {
        rc = PR_OK; /* the step had not begun: nothing to close */
    }
    if (rc == PR_OK)
        rc = end_run(app, actor, t, run_id, status, message, err);
    json_decref(c.detail);
    json_decref(lr.steps);
    arena_free(a);
    return rc;
}

/* A job of the run failed for good: the run fails with it (its own transaction). A run that
 * already ended (another chunk failed first) is left as it is. */
static void fail_run(struct app *app, const struct tenant_ctx *t, const struct pipeline_env *env,
                     int64_t run_id, int64_t step_index, const struct pr_error *failure)
{
    struct pr_error err;
    char message[sizeof err.message + 32];
    enum pr_code rc = store_begin(app->st, &err);

    (void)snprintf(message, sizeof message, "step %" PRId64 ": %s", step_index + 1,
                   failure->message);
    if (rc == PR_OK)
        rc = end_early(app, &system_actor, t, env, run_id, step_index, "failed", message, &err);
    if (rc == PR_OK)
        rc = store_commit(app->st, &err);
    else
        store_rollback(app->st);
    if (rc != PR_OK && rc != PR_CONFLICT && rc != PR_NOT_FOUND && app->log != NULL)
        log_error(app->log, LOG_ERROR, "pipeline", &err);
}

static struct app app_of(const struct job_run *run, const struct pipeline_env *env)
{
    struct app app;

    app.st = run->env->st;
    app.clock = run->env->clock;
    app.log = run->env->log;
    app.keyring = env->keyring;
    return app;
}

/* Reads {"run": N, "step": N, "chunk": N} (members absent from a kind's payload are left 0). */
static enum pr_code read_payload(const char *payload, int64_t *run_id, int64_t *step_index,
                                 int64_t *chunk, struct pr_error *err)
{
    json_t *p = NULL;
    enum pr_code rc = json_parse_limited(payload, strlen(payload), 4096, 2, &p, err);

    *run_id = *step_index = *chunk = 0;
    if (rc == PR_OK)
        rc = json_get_int(p, "run", true, 1, INT64_MAX, run_id, err);
    if (rc == PR_OK)
        rc = json_get_int(p, "step", false, 0, MAX_STEPS, step_index, err);
    if (rc == PR_OK)
        rc = json_get_int(p, "chunk", false, 0, INT64_MAX, chunk, err);
    json_decref(p);
    return rc;
}

static bool is_current(const struct loaded_run *lr, int64_t step_index)
{
    return strcmp(lr->run.status, "running") == 0 && lr->run.step_index == step_index;
}

/* Reads the run again under the write lock: a worker that stalled past its lease finds the run
 * moved on (or ended) by the worker that took its job over, and must not act on it. */
static enum pr_code still_current(struct app *app, const struct tenant_ctx *t, int64_t run_id,
                                  int64_t step_index, bool *is_current_now, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct pipeline_run run;
    enum pr_code rc = store_pipeline_runs_get(app->st, t, run_id, a, &run, err);

    *is_current_now =
        rc == PR_OK && strcmp(run.status, "running") == 0 && run.step_index == step_index;
    arena_free(a);
    return rc;
}

/* In the planning transaction: the step's records, its chunks and their jobs. */
static enum pr_code begin_step(struct pipeline_step_ctx *c, const struct pipeline_step_kind *kind,
                               const struct loaded_run *lr, int64_t n_items, struct arena *a,
                               struct pr_error *err)
{
    int64_t per = c->chunk_items;
    int64_t n_chunks = (n_items + per - 1) / per, k;
    const char *detail = NULL;
    enum pr_code rc = kind->begin != NULL ? kind->begin(c, err) : PR_OK;

    if (rc == PR_OK)
        rc = dump(c->detail, a, &detail, err);
    if (rc == PR_OK)
        rc = store_pipeline_runs_begin_step(c->app->st, c->t, c->run_id, c->step_index, kind->name,
                                            n_chunks, detail, err);
    for (k = 0; rc == PR_OK && k < n_chunks; k++) {
        char payload[128], key[96];
        int64_t first = k * per;

        (void)snprintf(payload, sizeof payload,
                       "{\"run\":%" PRId64 ",\"step\":%" PRId64 ",\"chunk\":%" PRId64 "}",
                       c->run_id, c->step_index, k);
        (void)snprintf(key, sizeof key, "run:%" PRId64 ":step:%" PRId64 ":chunk:%" PRId64,
                       c->run_id, c->step_index, k);
        rc = store_pipeline_runs_add_chunk(c->app->st, c->t, c->run_id, c->step_index, k, first,
                                           n_items - first < per ? n_items - first : per, err);
        if (rc == PR_OK)
            rc = enqueue(c->app, c->t, "pipeline.chunk", payload, key, err);
    }
    if (rc == PR_OK && n_chunks == 0)
        rc = advance(c, kind, lr->run.n_steps, a, err);
    return rc;
}

static enum pr_code commit_with_job(struct job_run *run, enum pr_code rc, struct pr_error *err)
{
    if (rc == PR_OK)
        rc = jobs_complete_in_transaction(run, err);
    if (rc == PR_OK)
        return store_commit(run->env->st, err);
    store_rollback(run->env->st);
    return rc;
}

static enum pr_code handle_step(struct job_run *run, struct pr_error *err)
{
    const struct pipeline_env *env = run->ctx;
    struct app app = app_of(run, env);
    struct loaded_run lr;
    struct pipeline_step_ctx c;
    const struct pipeline_step_kind *kind = NULL;
    int64_t run_id, step_index, unused, n_items = 0;
    enum pr_code rc = read_payload(run->job->payload, &run_id, &step_index, &unused, err);

    memset(&c, 0, sizeof c);
    memset(&lr, 0, sizeof lr);
    if (rc == PR_OK)
        rc = load_run(&app, run->t, env, run_id, run->arena, &lr, err);
    if (rc == PR_OK && !is_current(&lr, step_index)) {
        json_decref(lr.steps);
        return PR_OK; /* a replay after the run moved on, failed or was cancelled */
    }
    if (rc == PR_OK) {
        kind = step_ctx(&app, run->t, env, &lr, step_index, &c);
        c.detail = json_object();
        rc = kind->plan(&c, &n_items, err);
    }
    if (rc == PR_OK)
        rc = store_begin(app.st, err);
    if (rc == PR_OK) {
        bool is_current_now = false;
        struct pr_error step_err;
        enum pr_code step_rc =
            still_current(&app, run->t, run_id, step_index, &is_current_now, &step_err);

        if (step_rc == PR_OK && !is_current_now) {
            store_rollback(app.st);
        } else {
            if (step_rc == PR_OK)
                step_rc = begin_step(&c, kind, &lr, n_items, run->arena, &step_err);
            rc = commit_with_job(run, step_rc, err);
            if (step_rc != PR_OK)
                *err = step_err;
        }
    }
    if (rc != PR_OK && run_id > 0 && jobs_failure_is_final(run, rc))
        fail_run(&app, run->t, env, run_id, step_index, err);
    json_decref(c.detail);
    json_decref(lr.steps);
    return rc;
}

static enum pr_code run_chunk(struct job_run *run, struct pipeline_step_ctx *c,
                              const struct pipeline_step_kind *kind, const struct loaded_run *lr,
                              const struct pipeline_chunk *chunk, struct pr_error *err)
{
    struct pipeline_chunk current;
    int64_t n_items = 0, n_rejected = 0;
    bool is_step_done = false, is_current_now = false;
    enum pr_code rc = kind->spend != NULL ? kind->spend(c, chunk, err) : PR_OK;

    if (rc == PR_OK)
        rc = store_begin(c->app->st, err);
    if (rc != PR_OK)
        return rc;
    /* Read again under the write lock: a worker that stalled past its lease (in spend, say)
     * finds the chunk done by the worker that took its job over. Redoing it would end in
     * finish_chunk's "already done" conflict, a final failure that would fail the run. */
    rc = store_pipeline_runs_get_chunk(c->app->st, c->t, c->run_id, c->step_index, chunk->chunk,
                                       &current, err);
    if (rc == PR_OK)
        rc = still_current(c->app, c->t, c->run_id, c->step_index, &is_current_now, err);
    if (rc == PR_OK && (current.is_done || !is_current_now)) {
        store_rollback(c->app->st);
        return PR_OK;
    }
    if (rc == PR_OK)
        rc = kind->run_chunk(c, chunk, &n_items, &n_rejected, err);
    if (rc == PR_OK)
        rc =
            store_pipeline_runs_finish_chunk(c->app->st, c->t, c->run_id, c->step_index,
                                             chunk->chunk, n_items, n_rejected, &is_step_done, err);
    if (rc == PR_OK && is_step_done)
        rc = advance(c, kind, lr->run.n_steps, run->arena, err);
    return commit_with_job(run, rc, err);
}

static enum pr_code handle_chunk(struct job_run *run, struct pr_error *err)
{
    const struct pipeline_env *env = run->ctx;
    struct app app = app_of(run, env);
    struct loaded_run lr;
    struct pipeline_step_ctx c;
    struct pipeline_chunk chunk;
    const struct pipeline_step_kind *kind = NULL;
    int64_t run_id, step_index, chunk_no;
    enum pr_code rc = read_payload(run->job->payload, &run_id, &step_index, &chunk_no, err);

    memset(&c, 0, sizeof c);
    memset(&lr, 0, sizeof lr);
    memset(&chunk, 0, sizeof chunk);
    if (rc == PR_OK)
        rc = load_run(&app, run->t, env, run_id, run->arena, &lr, err);
    if (rc == PR_OK && is_current(&lr, step_index))
        rc = store_pipeline_runs_get_chunk(app.st, run->t, run_id, step_index, chunk_no, &chunk,
                                           err);
    if (rc == PR_OK && is_current(&lr, step_index) && !chunk.is_done) {
        kind = step_ctx(&app, run->t, env, &lr, step_index, &c);
        rc = load_detail(&app, run->t, run_id, step_index, run->arena, &c.detail, err);
        if (rc == PR_OK)
            rc = run_chunk(run, &c, kind, &lr, &chunk, err);
    }
    if (rc != PR_OK && run_id > 0 && jobs_failure_is_final(run, rc))
        fail_run(&app, run->t, env, run_id, step_index, err);
    json_decref(c.detail);
    json_decref(lr.steps);
    return rc;
}

static enum pr_code handle_notify(struct job_run *run, struct pr_error *err)
{
    const struct pipeline_env *env = run->ctx;
    struct app app = app_of(run, env);
    struct loaded_run lr;
    int64_t run_id, unused_step, unused_chunk;
    enum pr_code rc = read_payload(run->job->payload, &run_id, &unused_step, &unused_chunk, err);

    memset(&lr, 0, sizeof lr);
    if (rc == PR_OK)
        rc = store_pipeline_runs_get(app.st, run->t, run_id, run->arena, &lr.run, err);
    if (rc == PR_OK)
        rc = store_pipelines_get(app.st, run->t, lr.run.pipeline_id, run->arena, &lr.pipeline, err);
    if (rc == PR_OK && app.log != NULL) {
        char id[32], credits[32];

        (void)snprintf(id, sizeof id, "%" PRId64, run_id);
        (void)snprintf(credits, sizeof credits, "%" PRId64, lr.run.credits_spent);
        log_event(app.log, strcmp(lr.run.status, "succeeded") == 0 ? LOG_INFO : LOG_WARN,
                  "pipeline", "pipeline run finished", "run", id, "pipeline", lr.pipeline.name,
                  "status", lr.run.status, "credits", credits, (const char *)NULL);
    }
    if (rc == PR_OK && env->notifier != NULL)
        rc = env->notifier->run_finished(env->notifier->ctx, &app, run->t, lr.pipeline.name,
                                         &lr.run, err);
    return rc;
}

/* Starts a run in the caller's transaction. */
static enum pr_code start_in_transaction(struct app *app, const struct app_actor *actor,
                                         const struct tenant_ctx *t, const char *name,
                                         const char *trigger, int64_t *run_id, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct pipeline p;
    json_t *steps = NULL;
    enum pr_code rc = store_pipelines_find_by_name(app->st, t, name, a, &p, err);

    if (rc == PR_NOT_FOUND)
        pr_error_hint(err, "`prospect pipeline list` shows the pipelines");
    /* The definition was checked when it was stored; only its length matters here. */
    if (rc == PR_OK)
        rc = json_parse_limited(p.steps, strlen(p.steps), 64 * 1024, 4, &steps, err);
    if (rc == PR_OK)
        rc = store_pipeline_runs_start(app->st, t, p.id, trigger, (int64_t)json_array_size(steps),
                                       run_id, err);
    if (rc == PR_OK)
        rc = enqueue_step(app, t, *run_id, 0, err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "pipeline.start", "pipeline_run", *run_id, NULL, err);
    json_decref(steps);
    arena_free(a);
    return rc;
}

static enum pr_code handle_start(struct job_run *run, struct pr_error *err)
{
    const struct pipeline_env *env = run->ctx;
    struct app app = app_of(run, env);
    static const struct app_actor scheduler = {"system", "schedule", NULL};
    json_t *p = NULL;
    const char *name = NULL;
    int64_t run_id = 0;
    enum pr_code rc =
        json_parse_limited(run->job->payload, strlen(run->job->payload), 4096, 2, &p, err);

    if (rc == PR_OK)
        rc = json_get_string(p, "pipeline", true, &name, err);
    if (rc == PR_OK)
        rc = store_begin(app.st, err);
    if (rc == PR_OK) {
        rc = start_in_transaction(&app, &scheduler, run->t, name, "schedule", &run_id, err);
        /* Cron met "run now" (or a long run): this firing is skipped, not retried. */
        if (rc == PR_CONFLICT && app.log != NULL)
            log_event(app.log, LOG_INFO, "pipeline", "scheduled run skipped", "reason",
                      err->message, (const char *)NULL);
        rc = commit_with_job(run, rc == PR_CONFLICT ? PR_OK : rc, err);
    }
    json_decref(p);
    return rc;
}

size_t app_pipeline_job_kinds(const struct pipeline_env *env, struct job_kind *out, size_t max)
{
    const struct job_kind kinds[] = {
        {"pipeline.start", handle_start, 0, 0, (void *)env, 0},
        {"pipeline.step", handle_step, 0, 0, (void *)env, 0},
        {"pipeline.chunk", handle_chunk, 0, 0, (void *)env, 0},
        {"pipeline.notify", handle_notify, 0, 0, (void *)env, 0},
    };
    size_t n = sizeof kinds / sizeof kinds[0], i;

    for (i = 0; i < n && i < max; i++)
        out[i] = kinds[i];
    return n;
}

enum pr_code app_pipeline_start(struct app *app, const struct app_actor *actor,
                                const struct tenant_ctx *t, const char *name, const char *trigger,
                                int64_t *run_id, struct pr_error *err)
{
    enum pr_code rc = store_begin(app->st, err);

    if (rc != PR_OK)
        return rc;
    rc = start_in_transaction(app, actor, t, name, trigger, run_id, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}

/* Names end up in export file names, so they are kept to a safe alphabet. */
static bool is_valid_name(const char *name)
{
    size_t i, len = strlen(name);

    for (i = 0; i < len; i++)
        if (!isalnum((unsigned char)name[i]) && strchr("._-", name[i]) == NULL)
            return false;
    return len >= 1 && len <= 100 && name[0] != '.';
}

enum pr_code app_pipeline_create(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const struct pipeline_env *env,
                                 const char *name, const char *steps_json, int64_t *out_id,
                                 struct pr_error *err)
{
    json_t *steps = NULL;
    enum pr_code rc;

    if (!is_valid_name(name)) {
        pr_error_set(err, PR_INVALID, "invalid pipeline name \"%s\"", name);
        return pr_error_hint(err, "use 1 to 100 letters, digits, '.', '_' or '-', not starting "
                                  "with '.'");
    }
    rc = parse_steps(env, steps_json, &steps, err);

    json_decref(steps);
    if (rc == PR_OK)
        rc = store_begin(app->st, err);
    if (rc != PR_OK)
        return rc;
    rc = store_pipelines_create(app->st, t, name, steps_json, out_id, err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "pipeline.create", "pipeline", *out_id, NULL, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}

enum pr_code app_pipeline_remove(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const char *name, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct pipeline p;
    enum pr_code rc = store_begin(app->st, err);

    if (rc == PR_OK)
        rc = store_pipelines_find_by_name(app->st, t, name, a, &p, err);
    if (rc == PR_OK)
        rc = store_pipelines_remove(app->st, t, p.id, err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "pipeline.remove", "pipeline", p.id, NULL, err);
    if (rc == PR_OK)
        rc = store_commit(app->st, err);
    else
        store_rollback(app->st);
    arena_free(a);
    return rc;
}

enum pr_code app_pipeline_estimate(struct app *app, const struct tenant_ctx *t,
                                   const struct pipeline_env *env, const char *name,
                                   struct pipeline_estimate *out, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct loaded_run lr;
    struct pipeline_run *latest = NULL;
    size_t n = 0, i;
    int64_t leads = 0;
    enum pr_code rc;

    memset(out, 0, sizeof *out);
    memset(&lr, 0, sizeof lr);
    rc = store_pipelines_find_by_name(app->st, t, name, a, &lr.pipeline, err);
    if (rc == PR_OK)
        rc = parse_steps(env, lr.pipeline.steps, &lr.steps, err);
    if (rc == PR_OK)
        rc = store_pipeline_runs_list(app->st, t, lr.pipeline.id, 0, 1, a, &latest, &n, err);
    if (rc == PR_OK && n == 1 && strcmp(latest[0].status, "running") == 0) {
        out->is_running = true;
        out->running_run_id = latest[0].id;
    }
    for (i = 0; rc == PR_OK && i < json_array_size(lr.steps); i++) {
        struct pipeline_step_ctx c;
        const struct pipeline_step_kind *kind = step_ctx(app, t, env, &lr, (int64_t)i, &c);
        struct pipeline_estimate_step *e = &out->steps[out->n_steps++];

        e->name = kind->name;
        rc = kind->estimate(&c, leads, &e->items, &e->credits, err);
        if (kind->adds_leads)
            leads += e->items;
        out->credits += e->credits;
    }
    json_decref(lr.steps);
    arena_free(a);
    return rc;
}

enum pr_code app_pipeline_cancel(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const struct pipeline_env *env,
                                 int64_t run_id, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct pipeline_run run;
    enum pr_code rc = store_begin(app->st, err);

    if (rc == PR_OK)
        rc = store_pipeline_runs_get(app->st, t, run_id, a, &run, err);
    if (rc == PR_OK && strcmp(run.status, "running") != 0)
        rc = pr_error_set(err, PR_CONFLICT, "run %" PRId64 " is not running (%s)", run_id,
                          run.status);
    if (rc == PR_OK)
        rc = end_early(app, actor, t, env, run_id, run.step_index, "cancelled", "cancelled", err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "pipeline.cancel", "pipeline_run", run_id, NULL, err);
    if (rc == PR_OK)
        rc = store_commit(app->st, err);
    else
        store_rollback(app->st);
    arena_free(a);
    return rc;
}

enum pr_code app_pipeline_charge(struct app *app, const struct tenant_ctx *t, int64_t run_id,
                                 const char *idempotency_key, int64_t credits, struct pr_error *err)
{
    bool is_new = false;
    enum pr_code rc = store_begin(app->st, err);

    if (rc != PR_OK)
        return rc;
    rc = store_pipeline_runs_charge(app->st, t, run_id, idempotency_key, credits, &is_new, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}
