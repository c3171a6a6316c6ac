/*
 * Isolation cases of the schedules (store/schedules.h), run by isolation_test.c like its own:
 * act as tenant A against tenant B's schedule ids and names; B's schedules are compared with
 * their snapshot afterwards.
 *
 * store_schedules_due serves every tenant at once (the scheduler is shared), so its case proves
 * something else: it hands out B's due schedule with tenant_id == B (the scheduler fires it as
 * B, and A cannot fire it), never B's disabled or not yet due one.
 */
#include "isolation_snapshot.h"

#include "store/schedules.h"

/* A name no schedule of any tenant has. */
#define MISSING_NAME "no-such-schedule"

/* Fire times of the seed, relative to the clock when seed_schedules runs (cases run an hour
 * later, so the due ones are due then, and the future one is far beyond any case). */
#define DISABLED_DUE_OFFSET (-INT64_C(2000))    /* B's disabled one: would come first */
#define A_DUE_OFFSET        (-INT64_C(500))     /* A's, due before B's */
#define B_DUE_OFFSET        INT64_C(1000)       /* B's due one, after its first firing */
#define FUTURE_OFFSET       INT64_C(2592000000) /* 30 days */

void seed_schedules(struct world *w)
{
    struct store_fixture *fx = w->fx;
    int64_t now = store_now_ms(w->st);

    /* Due now, fired once before (with B's succeeded job), due again in the cases. */
    assert_ok(store_schedules_create(w->st, w->b, SCHEDULE_NAME_B, JOB_KIND_B,
                                     "{\"pipeline\":\"b\"}", "0 7 * * 1-5", "Europe/Berlin",
                                     now - 1000, &w->b_schedule_due, &fx->err),
              fx);
    assert_ok(store_schedules_mark_fired(w->st, w->b, w->b_schedule_due, now, now + B_DUE_OFFSET,
                                         w->b_job_succeeded, &fx->err),
              fx);
    /* Due long ago, but disabled. */
    assert_ok(store_schedules_create(w->st, w->b, SCHEDULE_NAME_B_DISABLED, JOB_KIND_B_RUNNING,
                                     NULL, "*/15 * * * *", "America/New_York",
                                     now + DISABLED_DUE_OFFSET, &w->b_schedule_disabled, &fx->err),
              fx);
    assert_ok(store_schedules_set_enabled(w->st, w->b, w->b_schedule_disabled, false, &fx->err),
              fx);
    /* Enabled, not due for a month. */
    assert_ok(store_schedules_create(w->st, w->b, SCHEDULE_NAME_B_FUTURE, JOB_KIND_B_SUCCEEDED,
                                     "{}", "@monthly", "UTC", now + FUTURE_OFFSET,
                                     &w->b_schedule_future, &fx->err),
              fx);
    /* A's: due, and due before B's. */
    assert_ok(store_schedules_create(w->st, w->a, "a-hourly", JOB_KIND_B, "{}", "@hourly", "UTC",
                                     now + A_DUE_OFFSET, &w->a_schedule, &fx->err),
              fx);
}

/* Runs `call` as A once by itself and once in a caller's transaction (where nothing would roll
 * back a stray write before the snapshot is compared), on each of B's schedules and on a
 * schedule that does not exist. */
#define assert_schedules_hidden(w, id, call)                                                       \
    do {                                                                                           \
        const int64_t b_ids_[] = {(w)->b_schedule_due, (w)->b_schedule_disabled,                   \
                                  (w)->b_schedule_future};                                         \
        size_t k_, pass_;                                                                          \
                                                                                                   \
        for (pass_ = 0; pass_ < 2; pass_++) {                                                      \
            if (pass_ == 1)                                                                        \
                assert_ok(store_begin((w)->st, &(w)->fx->err), (w)->fx);                           \
            for (k_ = 0; k_ < N_OF(b_ids_); k_++)                                                  \
                assert_hidden(w, id, b_ids_[k_], MISSING_ID, call);                                \
            if (pass_ == 1)                                                                        \
                assert_ok(store_commit((w)->st, &(w)->fx->err), (w)->fx);                          \
        }                                                                                          \
    } while (0)

/* ---- tenant-scoped calls -------------------------------------------------------------------- */

void case_schedules_create(struct world *w)
{
    struct schedule out;
    int64_t id = 0, other = 0;

    /* Names are per tenant: A may use B's, and gets a schedule of its own. */
    assert_ok(store_schedules_create(w->st, w->a, SCHEDULE_NAME_B, JOB_KIND_B, "{}", "0 7 * * *",
                                     "UTC", store_now_ms(w->st), &id, &w->fx->err),
              w->fx);
    assert_true(id != w->b_schedule_due);
    assert_ok(store_schedules_get(w->st, w->a, id, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
    assert_string_equal(out.name, SCHEDULE_NAME_B);
    assert_int_equal(out.last_job_id, 0);
    /* The name still holds within A: the success above was not a missing constraint. */
    assert_int_equal(store_schedules_create(w->st, w->a, SCHEDULE_NAME_B, JOB_KIND_B, "{}",
                                            "0 7 * * *", "UTC", store_now_ms(w->st), &other,
                                            &w->fx->err),
                     PR_CONFLICT);
}

void case_schedules_get(struct world *w)
{
    struct schedule out;
    int64_t id;

    assert_schedules_hidden(w, id,
                            store_schedules_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_schedules_find_by_name(struct world *w)
{
    static const char *const b_names[] = {SCHEDULE_NAME_B, SCHEDULE_NAME_B_DISABLED,
                                          SCHEDULE_NAME_B_FUTURE};
    struct schedule out;
    const char *name;
    size_t k;

    for (k = 0; k < N_OF(b_names); k++)
        assert_hidden(w, name, b_names[k], MISSING_NAME,
                      store_schedules_find_by_name(w->st, w->a, name, w->arena, &out, &w->fx->err));
    /* A's own is found: the lookup works. */
    assert_ok(store_schedules_find_by_name(w->st, w->a, "a-hourly", w->arena, &out, &w->fx->err),
              w->fx);
    assert_int_equal(out.id, w->a_schedule);
}

void case_schedules_list(struct world *w)
{
    struct schedule *rows = NULL;
    size_t n = 99;

    assert_ok(store_schedules_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, w->a_schedule);
    assert_int_equal(rows[0].tenant_id, w->a->tenant_id);
}

void case_schedules_remove(struct world *w)
{
    int64_t id;

    assert_schedules_hidden(w, id, store_schedules_remove(w->st, w->a, id, &w->fx->err));
}

void case_schedules_set_enabled(struct world *w)
{
    int64_t id;

    assert_schedules_hidden(w, id, store_schedules_set_enabled(w->st, w->a, id, true, &w->fx->err));
    assert_schedules_hidden(w, id,
                            store_schedules_set_enabled(w->st, w->a, id, false, &w->fx->err));
}

void case_schedules_mark_fired(struct world *w)
{
    int64_t id, now = store_now_ms(w->st);

    /* B's due one (which B would fire), its disabled and future ones (where B would get
     * PR_CONFLICT): to A all are missing, so not even their state leaks; with a job id and
     * without (a skipped slot). */
    assert_schedules_hidden(
        w, id,
        store_schedules_mark_fired(w->st, w->a, id, now, now + 60000, w->a_job, &w->fx->err));
    assert_schedules_hidden(
        w, id, store_schedules_mark_fired(w->st, w->a, id, now, now + 60000, 0, &w->fx->err));
}

/* ---- the call that serves all tenants ------------------------------------------------------- */

void case_schedules_due(struct world *w)
{
    struct schedule *due = NULL, out;
    int64_t now = store_now_ms(w->st);
    size_t n = 99, i;

    /* Now (an hour after the seed): A's and B's due ones, oldest first, B's as B's with
     * everything it was stored with; never the disabled or the future one. */
    assert_ok(store_schedules_due(w->st, now, 100, w->arena, &due, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 2);
    assert_int_equal(due[0].id, w->a_schedule);
    assert_int_equal(due[0].tenant_id, w->a->tenant_id);
    assert_int_equal(due[1].id, w->b_schedule_due);
    assert_int_equal(due[1].tenant_id, w->b->tenant_id);
    assert_string_equal(due[1].name, SCHEDULE_NAME_B);
    assert_string_equal(due[1].job_kind, JOB_KIND_B);
    assert_string_equal(due[1].payload, "{\"pipeline\":\"b\"}");
    assert_int_equal(due[1].last_job_id, w->b_job_succeeded);
    assert_true(due[1].is_enabled);
    /* Far in the future: B's future one too, still never the disabled one. */
    assert_ok(
        store_schedules_due(w->st, now + 2 * FUTURE_OFFSET, 100, w->arena, &due, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 3);
    assert_int_equal(due[2].id, w->b_schedule_future);
    assert_int_equal(due[2].tenant_id, w->b->tenant_id);
    for (i = 0; i < n; i++)
        assert_true(due[i].id != w->b_schedule_disabled && due[i].is_enabled);
    /* Before B's due time: A's only; and a limit of one takes the oldest. */
    assert_ok(store_schedules_due(w->st, now - 3600 * 1000, 100, w->arena, &due, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(due[0].id, w->a_schedule);
    assert_ok(store_schedules_due(w->st, now, 1, w->arena, &due, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(due[0].id, w->a_schedule);

    /* Handing B's schedule out does not let A fire it: only B can. Firing changes B by design,
     * so this part runs in a transaction that is rolled back. */
    assert_ok(store_begin(w->st, &w->fx->err), w->fx);
    assert_int_equal(store_schedules_mark_fired(w->st, w->a, w->b_schedule_due, now, now + 60000,
                                                w->a_job, &w->fx->err),
                     PR_NOT_FOUND);
    assert_ok(store_schedules_mark_fired(w->st, w->b, w->b_schedule_due, now, now + 60000, 0,
                                         &w->fx->err),
              w->fx);
    assert_ok(store_schedules_get(w->st, w->b, w->b_schedule_due, w->arena, &out, &w->fx->err),
              w->fx);
    assert_int_equal(out.next_run_at, now + 60000);
    store_rollback(w->st);
}
