/* Cron schedules firing jobs (see scheduler.h). */
#include "jobs/scheduler.h"

#include "core/cron.h"
#include "store/jobs.h"
#include "store/schedules.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define DUE_PAGE 100

enum pr_code jobs_schedule_next(const char *cron, const char *time_zone, int64_t now_ms,
                                int64_t *next_ms, struct pr_error *err)
{
    struct cron_expr expr;
    enum pr_code rc = cron_parse(cron, strlen(cron), &expr, err);

    if (rc == PR_OK)
        rc = cron_next(&expr, time_zone, now_ms, next_ms, err);
    return rc;
}

/* One schedule, in its own transaction. */
static enum pr_code fire(struct jobs_env *env, const struct schedule *s, int64_t now, bool *fired,
                         struct pr_error *err)
{
    struct tenant_ctx t = {s->tenant_id};
    struct job_new job;
    struct pr_error job_err;
    char unique_key[48];
    int64_t next = 0, job_id = 0;
    enum pr_code rc = jobs_schedule_next(s->cron, s->time_zone, now, &next, err);

    *fired = false;
    if (rc != PR_OK)
        return rc;
    (void)snprintf(unique_key, sizeof unique_key, "schedule:%" PRId64, s->id);
    memset(&job, 0, sizeof job);
    job.kind = s->job_kind;
    job.payload = s->payload;
    job.unique_key = unique_key;
    rc = store_begin(env->st, err);
    if (rc != PR_OK)
        return rc;
    rc = store_jobs_enqueue(env->st, &t, &job, &job_id, &job_err);
    if (rc == PR_OK)
        *fired = true;
    else if (rc == PR_CONFLICT)
        rc = PR_OK; /* the previous run is still unfinished: skip this slot */
    else
        *err = job_err;
    if (rc == PR_OK)
        rc = store_schedules_mark_fired(env->st, &t, s->id, now, next, *fired ? job_id : 0, err);
    if (rc == PR_OK)
        return store_commit(env->st, err);
    store_rollback(env->st);
    *fired = false;
    return rc;
}

enum pr_code jobs_scheduler_tick(struct jobs_env *env, int64_t *n_fired, int64_t *n_skipped,
                                 struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct schedule *due = NULL;
    size_t n = 0, i;
    int64_t now = clock_now_ms(env->clock), fired_count = 0, skipped_count = 0;
    enum pr_code rc = store_schedules_due(env->st, now, DUE_PAGE, a, &due, &n, err);

    for (i = 0; rc == PR_OK && i < n; i++) {
        struct pr_error one;
        bool fired = false;
        enum pr_code one_rc = fire(env, &due[i], now, &fired, &one);

        if (one_rc == PR_OK && fired) {
            fired_count++;
        } else if (one_rc == PR_OK) {
            skipped_count++;
        } else if (one_rc == PR_CONFLICT || one_rc == PR_INVALID) {
            /* Another scheduler fired it first, or the stored expression no longer parses:
             * the first is normal, the second is logged and the others still fire. */
            if (one_rc == PR_INVALID && env->log != NULL)
                log_error(env->log, LOG_ERROR, "scheduler", &one);
        } else {
            *err = one;
            rc = one_rc;
        }
    }
    if (n_fired != NULL)
        *n_fired = fired_count;
    if (n_skipped != NULL)
        *n_skipped = skipped_count;
    arena_free(a);
    return rc;
}
