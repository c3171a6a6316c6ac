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

/* Jobs run so far (all workers). */
int64_t jobs_pool_n_ran(struct jobs_pool *pool);

#endif
