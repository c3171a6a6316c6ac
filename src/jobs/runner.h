/*
 * Running jobs. A handler does the work of one job kind. It receives a `struct job_run` (its
 * worker's environment, the tenant, the job with its stable idempotency key, an arena reset after
 * the attempt) and returns PR_OK or an error. The outbox contract: a handler that changes
 * local state does it in one transaction that ends with jobs_complete_in_transaction(), so
 * the state change and the job's completion commit together; any remote call carries
 * job->idempotency_key so a retry after a crash cannot duplicate it.
 *
 * On failure the handler may set run->error_class (else it follows from the error code:
 * busy/I/O/internal are transient; auth/forbidden are auth; conflict is duplicate; the rest are
 * permanent) and a Retry-After. The runner then retries with capped exponential backoff and
 * full jitter, or discards the job into the dead letters (core/retry.h).
 */
#ifndef PROSPECT_JOBS_RUNNER_H
#define PROSPECT_JOBS_RUNNER_H

#include "core/retry.h"
#include "store/jobs.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/log.h"

#include <stdbool.h>

/* What a worker runs jobs with: its own store connection, the clock and the logger. */
struct jobs_env {
    struct store *st;
    struct clock *clock;
    struct logger *log; /* may be NULL */
    /* Expired leases are reclaimed at most this often by this worker (0: on every
     * jobs_work_once). A reclaim is a write transaction: once a second is plenty. */
    int64_t reclaim_every_ms;
    int64_t next_reclaim_at; /* kept by jobs_work_once */
    int64_t n_ran;           /* jobs run by this worker, counted by jobs_work_once */
};

struct job_run {
    struct jobs_env *env;
    const struct tenant_ctx *t;
    const struct job *job;
    struct arena *arena;
    const char *worker_id;
    int64_t lease_ms;
    void *ctx; /* the job kind's ctx */
    /* Set by the handler when it fails: */
    bool has_error_class;
    enum retry_class error_class;
    bool has_retry_after;
    int64_t retry_after_ms;
    /* Set by jobs_complete_in_transaction(). */
    bool is_completed;
};

typedef enum pr_code (*job_handler_fn)(struct job_run *run, struct pr_error *err);

struct job_kind {
    const char *name;
    job_handler_fn handler;
    int max_running;  /* jobs of this kind running at once across all workers; 0: no limit */
    int64_t lease_ms; /* how long a claim lasts without a heartbeat (0: 60 s) */
    void *ctx;        /* handed to the handler as run->ctx */
    /* Jobs one claim takes (0 or 1: one). For short jobs only: the batch runs one after the
     * other on the claiming worker, and every lease in it starts at the claim. */
    int claim_batch;
};

/* Completes the job inside the handler's open transaction. */
enum pr_code jobs_complete_in_transaction(struct job_run *run, struct pr_error *err);

/* Extends the lease. PR_NOT_FOUND means the lease was lost (the job was reclaimed and may run
 * elsewhere): the handler must stop and return that error without writing anything. */
enum pr_code jobs_heartbeat(struct job_run *run, struct pr_error *err);

/* The error class an error code implies when the handler did not set one. */
enum retry_class jobs_class_of(enum pr_code code);

/* True when failing this attempt with `code` (and the class the handler set, if any) ends the
 * job: the class does not retry, or this was its last attempt. A handler that owns a larger
 * state (a pipeline run) uses it to mark that state failed along with the job. */
bool jobs_failure_is_final(const struct job_run *run, enum pr_code code);

/* One step of a worker: reclaims expired leases (see reclaim_every_ms), claims due jobs of the
 * first kind (in `kinds` order) that has one (one, or up to the kind's claim_batch), runs them
 * and records each outcome. *ran is false when no job
 * was due. A failing handler is not an error of this call; a store failure is. */
enum pr_code jobs_work_once(struct jobs_env *env, const struct job_kind *kinds, size_t n_kinds,
                            const char *worker_id, const struct retry_policy *policy, bool *ran,
                            struct pr_error *err);

#endif
