/*
 * The worker pool: N threads, each with its own store connection (one connection per
 * thread), each looping jobs_work_once() and sleeping `poll_ms` when no job was due.
 * jobs_pool_stop() stops claiming and waits for every running job to finish: nothing is
 * abandoned mid-attempt by a graceful stop (a killed process leaves leases that expire and are
 * reclaimed).
 */
#ifndef PROSPECT_JOBS_POOL_H
#define PROSPECT_JOBS_POOL_H

#include "jobs/runner.h"

struct jobs_pool;

struct jobs_pool_options {
    const char *database_path;
    int busy_timeout_ms;
    int n_workers;   /* 1..64 */
    int64_t poll_ms; /* sleep when idle (0: 200) */
    const struct job_kind *kinds;
    size_t n_kinds;
    struct retry_policy policy;
    struct clock *clock;
    struct logger *log; /* may be NULL */
    const char *name;   /* worker ids are "<name>-<n>" (NULL: the host name and pid) */
};

/* Opens a connection per worker and starts the threads. The options' pointers must outlive
 * the pool. */
enum pr_code jobs_pool_start(const struct jobs_pool_options *opt, struct jobs_pool **out,
                             struct pr_error *err);

/* Stops claiming, waits for running jobs to finish, joins the threads, closes everything. */
void jobs_pool_stop(struct jobs_pool *pool);

/* Reclaims at once the running jobs of this host's workers whose process is gone (a crash or
 * SIGKILL): worker ids are "<name>-<pid>-<n>", and a pid on this host that no longer exists
 * cannot finish its jobs, so they need not wait for their leases to expire. `name` as in
 * jobs_pool_options (NULL: the host name). A reused pid only delays the reclaim until the
 * lease expires. *n_reclaimed (may be NULL) counts the jobs taken back. */
enum pr_code jobs_reclaim_dead_workers(struct store *st, const char *name, int64_t *n_reclaimed,
                                       struct pr_error *err);

/* Jobs run so far (all workers). */
int64_t jobs_pool_n_ran(struct jobs_pool *pool);

#endif
