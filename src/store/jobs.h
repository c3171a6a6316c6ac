/*
 * The durable job queue (see docs/internals/jobs.md). A job is enqueued in the caller's
 * transaction (the outbox: the state change and the job that carries its side effect commit
 * together), claimed with a lease in one statement, kept alive by heartbeats, and finished as
 * succeeded, retried later (retryable), or discarded into the dead letters with its error
 * history. Every attempt is recorded in job_attempts.
 *
 * Claiming and reclaiming expired leases serve every tenant at once (workers are shared), so
 * those two calls take no tenant context; everything else is tenant-scoped.
 */
#ifndef PROSPECT_STORE_JOBS_H
#define PROSPECT_STORE_JOBS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct job_new {
    const char *kind;
    const char *payload;         /* JSON object text; NULL means "{}" */
    int priority;                /* higher first */
    int max_attempts;            /* 0: 25 */
    int64_t run_at;              /* 0: now */
    const char *unique_key;      /* NULL: not unique */
    const char *idempotency_key; /* NULL: "<kind>:<id>" once the id is known */
};

struct job {
    int64_t id;
    int64_t tenant_id;
    char *kind;
    char *payload;
    char *state; /* available | running | succeeded | retryable | discarded | cancelled */
    int64_t priority;
    int64_t attempt; /* attempts started, this one included while running */
    int64_t max_attempts;
    int64_t run_at;
    int64_t lease_expires_at; /* 0 unless running */
    char *worker_id;
    char *unique_key;
    char *idempotency_key; /* stable across attempts: handlers pass it to the remote side */
    char *last_error_class;
    char *last_error_code;
    char *last_error_message;
    int64_t created_at;
    int64_t finished_at; /* 0 while unfinished */
};

struct job_attempt {
    int64_t attempt;
    char *worker_id;
    int64_t started_at;
    int64_t finished_at; /* 0 while running */
    char *outcome;       /* succeeded | failed | lease_expired | released | cancelled, or NULL */
    char *error_class;
    char *error_code;
    char *error_message;
};

/* Enqueues a job in the caller's transaction. PR_CONFLICT ("already queued") when an
 * unfinished job of the tenant has the same kind and unique key, or the same idempotency key
 * was used before. */
enum pr_code store_jobs_enqueue(struct store *st, const struct tenant_ctx *t,
                                const struct job_new *in, int64_t *out_id, struct pr_error *err);

/* Claims up to `limit` due jobs of `kind` for `worker_id`, all tenants, highest priority then
 * oldest first, in one statement: each becomes running with attempt + 1 and a lease until
 * now + lease_ms. No more than `max_running` jobs of the kind run at once (0: no limit). */
enum pr_code store_jobs_claim(struct store *st, const char *kind, int max_running, int limit,
                              const char *worker_id, int64_t lease_ms, struct arena *a,
                              struct job **out, size_t *n_out, struct pr_error *err);

/* Extends the lease of a running job held by `worker_id`. PR_NOT_FOUND when the job is no
 * longer running under this worker (its lease expired and it was reclaimed): the worker must
 * stop and must not report a result. */
enum pr_code store_jobs_heartbeat(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  const char *worker_id, int64_t lease_ms, struct pr_error *err);

/* Finishes the running attempt: succeeded. PR_NOT_FOUND as for heartbeat. */
enum pr_code store_jobs_complete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 const char *worker_id, struct pr_error *err);

/* Completes, in the caller's transaction, those of the jobs `ids` (of any tenants: a worker's
 * claim serves them all) that are still running under `worker_id`; a job whose lease was lost
 * is left alone. *n_completed (may be NULL) counts the completed ones. */
enum pr_code store_jobs_complete_batch(struct store *st, const char *worker_id, const int64_t *ids,
                                       size_t n, int64_t *n_completed, struct pr_error *err);

/* Finishes the running attempt with an error (class as in core/error_classes.def): when
 * `retry_at` > 0 the job becomes retryable at that time, else it is discarded (dead letter).
 * PR_NOT_FOUND as for heartbeat. */
enum pr_code store_jobs_fail(struct store *st, const struct tenant_ctx *t, int64_t id,
                             const char *worker_id, const char *error_class, const char *error_code,
                             const char *error_message, int64_t retry_at, struct pr_error *err);

/* Gives a running job back without using up its attempt (graceful shutdown). */
enum pr_code store_jobs_release(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const char *worker_id, struct pr_error *err);

/* Every running job whose lease expired before `now` becomes retryable at once (or discarded
 * when it has no attempt left); its attempt is recorded as lease_expired. All tenants. */
enum pr_code store_jobs_reclaim_expired(struct store *st, int64_t *n_reclaimed,
                                        struct pr_error *err);

/* The distinct worker ids holding running jobs, all tenants (array and texts in `a`). With
 * store_jobs_expire_worker(), lets a starting process reclaim at once the jobs of workers it
 * knows are dead (a process on this host that no longer exists) instead of waiting for their
 * leases to run out. */
enum pr_code store_jobs_running_workers(struct store *st, struct arena *a, char ***out,
                                        size_t *n_out, struct pr_error *err);

/* Ends the leases of the running jobs of every worker whose id starts with `worker_prefix`
 * (all tenants): the next store_jobs_reclaim_expired() takes them. */
enum pr_code store_jobs_expire_worker(struct store *st, const char *worker_prefix,
                                      int64_t *n_expired, struct pr_error *err);

enum pr_code store_jobs_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                            struct arena *a, struct job *out, struct pr_error *err);
/* Newest first, ids below before_id (0: from the newest); `state` NULL for all states. */
enum pr_code store_jobs_list(struct store *st, const struct tenant_ctx *t, const char *state,
                             int64_t before_id, int limit, struct arena *a, struct job **out,
                             size_t *n_out, struct pr_error *err);
/* The attempts of a job, oldest first. PR_NOT_FOUND when the job is not the tenant's. */
enum pr_code store_jobs_attempts(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct job_attempt **out, size_t *n_out,
                                 struct pr_error *err);
/* Replays a dead letter: a discarded job becomes available now with a fresh allowance of
 * max_attempts attempts (its history stays). PR_CONFLICT when it is not discarded. */
enum pr_code store_jobs_retry(struct store *st, const struct tenant_ctx *t, int64_t id,
                              struct pr_error *err);
/* Cancels an available, retryable or discarded job. PR_CONFLICT when it is running or done. */
enum pr_code store_jobs_cancel(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct pr_error *err);

#endif
