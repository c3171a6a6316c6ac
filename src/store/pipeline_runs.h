/*
 * Pipeline runs, their steps, chunks and charges (schema: migrations/0005_pipelines.sql). The
 * state machine that drives them is app/pipeline.c; these calls are its durable moves, each
 * made inside the caller's transaction, so a move and the job that follows it commit together.
 * Everything is tenant-scoped: another tenant's run answers PR_NOT_FOUND like a missing one.
 */
#ifndef PROSPECT_STORE_PIPELINE_RUNS_H
#define PROSPECT_STORE_PIPELINE_RUNS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct pipeline_run {
    int64_t id;
    int64_t tenant_id;
    int64_t pipeline_id;
    char *status;  /* running | succeeded | failed | cancelled */
    char *trigger; /* manual | schedule */
    int64_t n_steps;
    int64_t step_index; /* the step running now; n_steps once every step is done */
    int64_t credits_spent;
    char *error; /* NULL unless failed */
    int64_t created_at;
    int64_t updated_at;
    int64_t finished_at; /* 0 while running */
};

struct pipeline_run_step {
    int64_t step_index;
    char *name;
    char *status; /* running | succeeded | failed */
    int64_t chunks_total;
    int64_t chunks_done;
    int64_t n_items;
    int64_t n_rejected;
    char *detail; /* JSON object */
    int64_t started_at;
    int64_t finished_at; /* 0 while running */
};

struct pipeline_chunk {
    int64_t chunk;
    int64_t first_item;
    int64_t n_planned;
    bool is_done;
    int64_t n_items;
    int64_t n_rejected;
};

/* Starts a run of the pipeline. The database allows one running run per (tenant, pipeline):
 * when one is running this fails with PR_CONFLICT ("pipeline already running: run N") and
 * *out_id receives the running run's id. PR_NOT_FOUND when the pipeline is not the
 * tenant's. */
enum pr_code store_pipeline_runs_start(struct store *st, const struct tenant_ctx *t,
                                       int64_t pipeline_id, const char *trigger, int64_t n_steps,
                                       int64_t *out_id, struct pr_error *err);

enum pr_code store_pipeline_runs_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                     struct arena *a, struct pipeline_run *out,
                                     struct pr_error *err);

/* Newest first, ids below before_id (0: from the newest); pipeline_id 0 for every pipeline. */
enum pr_code store_pipeline_runs_list(struct store *st, const struct tenant_ctx *t,
                                      int64_t pipeline_id, int64_t before_id, int limit,
                                      struct arena *a, struct pipeline_run **out, size_t *n_out,
                                      struct pr_error *err);

/* The run's steps so far, in order. PR_NOT_FOUND when the run is not the tenant's. */
enum pr_code store_pipeline_runs_steps(struct store *st, const struct tenant_ctx *t, int64_t run_id,
                                       struct arena *a, struct pipeline_run_step **out,
                                       size_t *n_out, struct pr_error *err);

/* Begins step `step_index` of a running run whose current step it is: records the step as
 * running with `chunks_total` chunks and its detail (JSON object; NULL for "{}"). PR_CONFLICT
 * when the run is not running or is at another step, or the step was begun already. */
enum pr_code store_pipeline_runs_begin_step(struct store *st, const struct tenant_ctx *t,
                                            int64_t run_id, int64_t step_index, const char *name,
                                            int64_t chunks_total, const char *detail_json,
                                            struct pr_error *err);

/* Plans chunk `chunk` of a begun step: items [first_item, first_item + n_planned). */
enum pr_code store_pipeline_runs_add_chunk(struct store *st, const struct tenant_ctx *t,
                                           int64_t run_id, int64_t step_index, int64_t chunk,
                                           int64_t first_item, int64_t n_planned,
                                           struct pr_error *err);

enum pr_code store_pipeline_runs_get_chunk(struct store *st, const struct tenant_ctx *t,
                                           int64_t run_id, int64_t step_index, int64_t chunk,
                                           struct pipeline_chunk *out, struct pr_error *err);

/* Marks a chunk done with its counts and adds them to its step. *is_step_done tells whether
 * it was the step's last chunk (exactly one caller sees true). PR_CONFLICT ("chunk already
 * done") when it was marked before: the caller must roll back what it wrote. */
enum pr_code store_pipeline_runs_finish_chunk(struct store *st, const struct tenant_ctx *t,
                                              int64_t run_id, int64_t step_index, int64_t chunk,
                                              int64_t n_items, int64_t n_rejected,
                                              bool *is_step_done, struct pr_error *err);

/* Ends a running step as succeeded or failed, merges `detail_json` (NULL: none) into its
 * detail, and, when it succeeded, moves the run to the next step. */
enum pr_code store_pipeline_runs_finish_step(struct store *st, const struct tenant_ctx *t,
                                             int64_t run_id, int64_t step_index, bool is_success,
                                             const char *detail_json, struct pr_error *err);

/* Ends a running run: status "succeeded", "failed" (with `error`) or "cancelled".
 * PR_CONFLICT when it is not running any more. */
enum pr_code store_pipeline_runs_finish(struct store *st, const struct tenant_ctx *t,
                                        int64_t run_id, const char *status, const char *error,
                                        struct pr_error *err);

/* Records credits spent by a paid call. A second charge with the same idempotency key is not
 * counted again (*is_new false). */
enum pr_code store_pipeline_runs_charge(struct store *st, const struct tenant_ctx *t,
                                        int64_t run_id, const char *idempotency_key,
                                        int64_t credits, bool *is_new, struct pr_error *err);

#endif
