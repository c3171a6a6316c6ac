/*
 * The scheduler: cron schedules stored per tenant (store/schedules.h) fire jobs. Each tick
 * takes the due schedules of every tenant and, for each in one transaction, enqueues its job
 * and moves the schedule to its next fire time after now. So a schedule that missed several
 * slots while the process was down fires once at start-up, not once per missed slot, and two
 * schedulers ticking together fire it once (the second loses the mark_fired race). A firing
 * whose previous job is still unfinished is skipped rather than queued twice (the job's unique
 * key is "schedule:<id>").
 */
#ifndef PROSPECT_JOBS_SCHEDULER_H
#define PROSPECT_JOBS_SCHEDULER_H

#include "jobs/runner.h"

/* Checks a cron expression and an IANA zone and gives the first fire time after `now_ms`.
 * PR_INVALID naming the problem. */
enum pr_code jobs_schedule_next(const char *cron, const char *time_zone, int64_t now_ms,
                                int64_t *next_ms, struct pr_error *err);

/* Fires every due schedule (all tenants). *n_fired counts enqueued jobs, *n_skipped the
 * firings whose previous job was still unfinished (either may be NULL). */
enum pr_code jobs_scheduler_tick(struct jobs_env *env, int64_t *n_fired, int64_t *n_skipped,
                                 struct pr_error *err);

#endif
