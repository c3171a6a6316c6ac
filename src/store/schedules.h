/*
 * Cron schedules (docs/schedules.md): per tenant, a named schedule enqueues a job of `job_kind`
 * with `payload` at the times of `cron` read in `time_zone`. The store only stores them: the
 * expression and the zone are checked, and fire times computed, in jobs/ (jobs/scheduler.h).
 *
 * The scheduler serves every tenant at once, so store_schedules_due takes no tenant context
 * (like store_jobs_claim); what it returns carries each schedule's tenant_id, and the firing
 * itself (store_schedules_mark_fired) is tenant-scoped again. Everything else is tenant-scoped:
 * another tenant's schedule answers PR_NOT_FOUND exactly like a missing one.
 */
#ifndef PROSPECT_STORE_SCHEDULES_H
#define PROSPECT_STORE_SCHEDULES_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct schedule {
    int64_t id;
    int64_t tenant_id;
    char *name;
    char *job_kind;
    char *payload; /* JSON object text */
    char *cron;
    char *time_zone; /* IANA id */
    bool is_enabled;
    int64_t next_run_at; /* epoch ms */
    int64_t last_run_at; /* 0: never fired */
    int64_t last_job_id; /* 0: no job enqueued yet */
    int64_t created_at;
    int64_t updated_at;
};

/* Creates an enabled schedule due at `next_run_at`. `payload` NULL means "{}". PR_CONFLICT ("a
 * schedule named X already exists") when the tenant has one of that name; PR_INVALID when a
 * value breaks a rule of the table (lengths; payload not a JSON object). */
enum pr_code store_schedules_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                    const char *job_kind, const char *payload, const char *cron,
                                    const char *time_zone, int64_t next_run_at, int64_t *out_id,
                                    struct pr_error *err);

/* One schedule; texts in `a`. PR_NOT_FOUND ("schedule not found"). */
enum pr_code store_schedules_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct schedule *out, struct pr_error *err);
enum pr_code store_schedules_find_by_name(struct store *st, const struct tenant_ctx *t,
                                          const char *name, struct arena *a, struct schedule *out,
                                          struct pr_error *err);

/* All schedules of the tenant by name; the array and texts in `a` (*out NULL when none). */
enum pr_code store_schedules_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                  struct schedule **out, size_t *n_out, struct pr_error *err);

/* Deletes a schedule (its jobs stay). PR_NOT_FOUND when it is not the tenant's. */
enum pr_code store_schedules_remove(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct pr_error *err);

/* Enables or disables a schedule (idempotent). Enabling keeps next_run_at, so a schedule whose
 * time passed while it was disabled fires once at the next tick. PR_NOT_FOUND when it is not
 * the tenant's. */
enum pr_code store_schedules_set_enabled(struct store *st, const struct tenant_ctx *t, int64_t id,
                                         bool is_enabled, struct pr_error *err);

/* The enabled schedules of all tenants due at `now_ms` (next_run_at <= now_ms), oldest fire
 * time first, at most `limit` (1..1000; 0: 50). The array and texts in `a`; each carries its
 * tenant_id, which is the tenant context its firing must use. */
enum pr_code store_schedules_due(struct store *st, int64_t now_ms, int limit, struct arena *a,
                                 struct schedule **out, size_t *n_out, struct pr_error *err);

/* Records a firing at `fired_at` and moves the schedule to `next_run_at` (> fired_at, else
 * PR_INVALID), but only while it is enabled and still due (its next_run_at <= fired_at): of two
 * schedulers firing the same slot, the second gets PR_CONFLICT ("schedule already fired"), and
 * must roll back the job it enqueued in the same transaction. `job_id` is the job enqueued; 0
 * when the slot was skipped (no job), which leaves last_run_at and last_job_id as they were.
 * PR_NOT_FOUND when the schedule is not the tenant's. */
enum pr_code store_schedules_mark_fired(struct store *st, const struct tenant_ctx *t, int64_t id,
                                        int64_t fired_at, int64_t next_run_at, int64_t job_id,
                                        struct pr_error *err);

#endif
