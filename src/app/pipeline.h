/*
 * Pipeline runs (docs/pipelines.md). A pipeline is a tenant's ordered list of steps (today:
 * import -> score -> export; import does the normalizing and deduplicating). A run is driven by
 * jobs, so it survives crashes and is shared by every worker:
 *
 *   pipeline.step  {run, step}          plans the step: counts its items, splits them into
 *                                       chunks, and enqueues one job per chunk
 *   pipeline.chunk {run, step, chunk}   does one chunk in ONE transaction with the chunk's
 *                                       "done" mark and the job's completion; the last chunk
 *                                       of a step moves the run to the next step (or ends it)
 *   pipeline.notify {run}               hands a finished run to the notifier (outbox: it is
 *                                       enqueued in the transaction that ends the run)
 *   pipeline.start {pipeline}           what schedules enqueue: starts a run
 *
 * A killed process loses at most the chunks it was writing; their jobs are reclaimed and redone,
 * and finished chunks are never redone. At most one run per (tenant, pipeline) runs at a time:
 * the database refuses a second (store_pipeline_runs_start). Credits are recorded as they are
 * spent, in their own transactions (app_pipeline_charge), so a failed run keeps its cost.
 */
#ifndef PROSPECT_APP_PIPELINE_H
#define PROSPECT_APP_PIPELINE_H

#include "app/app.h"
#include "jobs/runner.h"
#include "store/pipeline_runs.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct geo_index;
struct pipeline_env;

/* What a step kind's hooks receive. */
struct pipeline_step_ctx {
    struct app *app;
    const struct app_actor *actor;
    const struct tenant_ctx *t;
    const struct pipeline_env *env;
    const char *pipeline_name;
    const json_t *step; /* the step's object from the pipeline definition */
    int64_t run_id;
    int64_t step_index;
    int64_t chunk_items; /* items per chunk: the plan's chunk k covers [k * chunk_items, ...) */
    /* The step's detail (an object): the plan writes what its chunks need (an import id, the
     * id bounds of chunks); a step's last chunk may add to it. Stored with the step. */
    json_t *detail;
};

/* A kind of step. Hooks not marked optional are required. */
struct pipeline_step_kind {
    const char *name;
    /* Checks the step's options when the pipeline is defined. */
    enum pr_code (*check)(const json_t *step, struct pr_error *err);
    /* Dry run: items the step would process and credits it would spend; `leads_before` is how
     * many leads the steps before it may add (the items of those with `adds_leads`). No
     * writes. */
    enum pr_code (*estimate)(struct pipeline_step_ctx *c, int64_t leads_before, int64_t *items,
                             int64_t *credits, struct pr_error *err);
    bool adds_leads; /* each item may become a new lead (import) */
    /* Plans the step outside any transaction (reading only): its item count, detail. */
    enum pr_code (*plan)(struct pipeline_step_ctx *c, int64_t *n_items, struct pr_error *err);
    /* Optional. In the planning transaction: records the step needs (an import record). */
    enum pr_code (*begin)(struct pipeline_step_ctx *c, struct pr_error *err);
    /* Optional. Before the chunk's transaction: paid calls, each charged with
     * app_pipeline_charge() under an idempotency key derived from the chunk. */
    enum pr_code (*spend)(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                          struct pr_error *err);
    /* In the chunk's transaction: the chunk's work. *n_items and *n_rejected count it. */
    enum pr_code (*run_chunk)(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                              int64_t *n_items, int64_t *n_rejected, struct pr_error *err);
    /* Optional. In the transaction of the step's last chunk (or of its plan when it has no
     * items): closes what begin opened. */
    enum pr_code (*finish)(struct pipeline_step_ctx *c, struct pr_error *err);
    /* Optional. In the transaction that ends the run early (failed or cancelled) while this
     * step runs: closes what begin opened, as failed with `reason`. */
    enum pr_code (*abandon)(struct pipeline_step_ctx *c, const char *reason, struct pr_error *err);
};

/* Receives finished runs (succeeded, failed or cancelled), at least once each. Outbound
 * webhooks plug in here. */
struct pipeline_notifier {
    enum pr_code (*run_finished)(void *ctx, struct app *app, const struct tenant_ctx *t,
                                 const char *pipeline_name, const struct pipeline_run *run,
                                 struct pr_error *err);
    void *ctx;
};

/* What the pipeline's job handlers share (read-only while workers run). */
struct pipeline_env {
    struct keyring *keyring;
    const struct geo_index *zips; /* ZIP time zones and counties for imports; may be NULL */
    double fuzzy_threshold;       /* company name matching (0: the import's default) */
    int window_days;              /* export window (0: none) */
    int64_t chunk_items;          /* items per chunk (0: 5000) */
    const struct pipeline_notifier *notifier; /* NULL: finished runs are only logged */
    /* Step kinds besides the built-in ones (tests add kinds that spend credits or fail). */
    const struct pipeline_step_kind *extra_kinds;
    size_t n_extra_kinds;
};

/* The built-in step kinds: import, score, export (app/pipeline_steps.c). */
extern const struct pipeline_step_kind pipeline_import_step, pipeline_score_step,
    pipeline_export_step;

/* Defines a pipeline from its steps (a JSON array of objects with a "step" member naming the
 * kind, plus that kind's options). PR_INVALID naming the step and problem; PR_CONFLICT when
 * the name is taken. Audited. */
enum pr_code app_pipeline_create(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const struct pipeline_env *env,
                                 const char *name, const char *steps_json, int64_t *out_id,
                                 struct pr_error *err);

/* Removes a pipeline that is not running. Audited. */
enum pr_code app_pipeline_remove(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const char *name,
                                 struct pr_error *err);

/* What "run now" would do: per step, estimated items and credits. */
struct pipeline_estimate_step {
    const char *name;
    int64_t items;
    int64_t credits;
};
struct pipeline_estimate {
    struct pipeline_estimate_step steps[20];
    size_t n_steps;
    int64_t credits;
    bool is_running;        /* a run is in progress: starting now would be refused */
    int64_t running_run_id; /* when is_running */
};

/* The dry run: nothing is written. */
enum pr_code app_pipeline_estimate(struct app *app, const struct tenant_ctx *t,
                                   const struct pipeline_env *env, const char *name,
                                   struct pipeline_estimate *out, struct pr_error *err);

/* Starts a run ("manual" or "schedule"). PR_CONFLICT ("pipeline already running: run N") when
 * one is running, with *run_id set to it. Audited. */
enum pr_code app_pipeline_start(struct app *app, const struct app_actor *actor,
                                const struct tenant_ctx *t, const char *name, const char *trigger,
                                int64_t *run_id, struct pr_error *err);

/* Cancels a running run: the step that runs is closed as failed (an import record is marked
 * failed), the run ends "cancelled", and its queued jobs end without doing anything. PR_CONFLICT
 * when the run is not running. Audited. */
enum pr_code app_pipeline_cancel(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const struct pipeline_env *env,
                                 int64_t run_id, struct pr_error *err);

/* Records `credits` spent by a paid call of the run under `idempotency_key`, in a transaction
 * of its own (call it outside any transaction, right after the call): a failed run keeps what
 * it spent, and a replayed call is not counted twice. */
enum pr_code app_pipeline_charge(struct app *app, const struct tenant_ctx *t, int64_t run_id,
                                 const char *idempotency_key, int64_t credits,
                                 struct pr_error *err);

/* The job kinds that drive runs, for a worker pool: writes up to `max` into `out` (their ctx is
 * `env`, which must outlive the pool) and returns how many there are (4). */
size_t app_pipeline_job_kinds(const struct pipeline_env *env, struct job_kind *out, size_t max);

#endif
