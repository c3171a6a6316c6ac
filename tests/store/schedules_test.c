/*
 * Functional tests of the schedules repository (store/schedules.h) against a real SQLite file:
 * round trips, the table's rules (unique name per tenant, lengths, payload a JSON object), the
 * due query's filter and order, enabling and disabling, and the firing guard that makes two
 * schedulers racing for one slot fire it once (also across two connections). Cross-tenant
 * behaviour is the subject of isolation_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/schedules.h"

#include <stdio.h>
#include <string.h>

#define assert_ok(call, fx)                                                                        \
    do {                                                                                           \
        enum pr_code rc_ = (call);                                                                 \
        assert_store_ok(rc_, fx);                                                                  \
    } while (0)

#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

/* rc is `code` and the message mentions `word`. */
#define assert_error_mentions(rc, fx, code, word)                                                  \
    do {                                                                                           \
        assert_int_equal((rc), (code));                                                            \
        if (strstr((fx)->err.message, (word)) == NULL)                                             \
            fail_msg("message '%s' does not mention '%s'", (fx)->err.message, (word));             \
    } while (0)

/* Creates a schedule of tenant A with the usual values and returns its id. */
static int64_t create(struct store_fixture *fx, const char *name, int64_t next_run_at)
{
    int64_t id = 0;

    assert_ok(store_schedules_create(fx->st, &fx->tenant_a, name, "pipeline.run",
                                     "{\"pipeline\":\"daily\"}", "0 7 * * 1-5", "America/New_York",
                                     next_run_at, &id, &fx->err),
              fx);
    return id;
}

static void assert_same_schedule(const struct schedule *x, const struct schedule *y)
{
    assert_int_equal(x->id, y->id);
    assert_int_equal(x->tenant_id, y->tenant_id);
    assert_string_equal(x->name, y->name);
    assert_string_equal(x->job_kind, y->job_kind);
    assert_string_equal(x->payload, y->payload);
    assert_string_equal(x->cron, y->cron);
    assert_string_equal(x->time_zone, y->time_zone);
    assert_int_equal(x->is_enabled, y->is_enabled);
    assert_int_equal(x->next_run_at, y->next_run_at);
    assert_int_equal(x->last_run_at, y->last_run_at);
    assert_int_equal(x->last_job_id, y->last_job_id);
    assert_int_equal(x->created_at, y->created_at);
    assert_int_equal(x->updated_at, y->updated_at);
}

static void test_create_get_list_remove(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    static const char *const names[] = {"weekly", "daily", "monthly"};
    struct schedule got, by_name, *rows = NULL;
    int64_t now = clock_now_ms(&fx->clock), id = 0, ids[N_OF(names)];
    size_t n = 0, i;

    assert_ok(store_schedules_create(fx->st, a, "nightly", "export.run", NULL, "@daily",
                                     "Europe/Berlin", now + 5000, &id, &fx->err),
              fx);
    assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
    assert_int_equal(got.id, id);
    assert_int_equal(got.tenant_id, a->tenant_id);
    assert_string_equal(got.name, "nightly");
    assert_string_equal(got.job_kind, "export.run");
    assert_string_equal(got.payload, "{}");
    assert_string_equal(got.cron, "@daily");
    assert_string_equal(got.time_zone, "Europe/Berlin");
    assert_true(got.is_enabled);
    assert_int_equal(got.next_run_at, now + 5000);
    assert_int_equal(got.last_run_at, 0);
    assert_int_equal(got.last_job_id, 0);
    assert_int_equal(got.created_at, now);
    assert_int_equal(got.updated_at, now);
    assert_ok(store_schedules_find_by_name(fx->st, a, "nightly", fx->arena, &by_name, &fx->err),
              fx);
    assert_same_schedule(&got, &by_name);

    /* The list is by name, whatever the order of creation. */
    for (i = 0; i < N_OF(names); i++)
        ids[i] = create(fx, names[i], now);
    assert_ok(store_schedules_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 4);
    assert_string_equal(rows[0].name, "daily");
    assert_string_equal(rows[1].name, "monthly");
    assert_string_equal(rows[2].name, "nightly");
    assert_string_equal(rows[3].name, "weekly");
    assert_same_schedule(&rows[2], &got);
    assert_string_equal(rows[0].payload, "{\"pipeline\":\"daily\"}");

    /* Removed: gone by id and by name, and a second removal is not found. */
    assert_ok(store_schedules_remove(fx->st, a, ids[0], &fx->err), fx);
    assert_error_mentions(store_schedules_get(fx->st, a, ids[0], fx->arena, &got, &fx->err), fx,
                          PR_NOT_FOUND, "schedule not found");
    assert_error_mentions(
        store_schedules_find_by_name(fx->st, a, "weekly", fx->arena, &got, &fx->err), fx,
        PR_NOT_FOUND, "schedule not found");
    assert_error_mentions(store_schedules_remove(fx->st, a, ids[0], &fx->err), fx, PR_NOT_FOUND,
                          "schedule not found");
    assert_ok(store_schedules_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 3);
    /* The name is free again. */
    (void)create(fx, "weekly", now);

    /* Another tenant has none. */
    assert_ok(store_schedules_list(fx->st, &fx->tenant_b, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 0);
    assert_null(rows);
}

static void test_create_refusals(void **state)
{
    struct store_fixture *fx = *state;
    char s65[66], s101[102], s201[202];
    struct {
        const char *name, *job_kind, *payload, *cron, *time_zone;
        enum pr_code code;
        const char *mentions; /* in the message */
    } cases[] = {
        {"dup", "k", NULL, "@daily", "UTC", PR_CONFLICT, "a schedule named dup already exists"},
        {"", "k", NULL, "@daily", "UTC", PR_INVALID, "schedules_name_length"},
        {s101, "k", NULL, "@daily", "UTC", PR_INVALID, "schedules_name_length"},
        {NULL, "k", NULL, "@daily", "UTC", PR_INVALID, "schedules.name"},
        {"x", "", NULL, "@daily", "UTC", PR_INVALID, "schedules_job_kind_length"},
        {"x", s101, NULL, "@daily", "UTC", PR_INVALID, "schedules_job_kind_length"},
        {"x", "k", NULL, "", "UTC", PR_INVALID, "schedules_cron_length"},
        {"x", "k", NULL, s201, "UTC", PR_INVALID, "schedules_cron_length"},
        {"x", "k", NULL, "@daily", "", PR_INVALID, "schedules_time_zone_length"},
        {"x", "k", NULL, "@daily", s65, PR_INVALID, "schedules_time_zone_length"},
        {"x", "k", "[1]", "@daily", "UTC", PR_INVALID, "schedules_payload_object"},
        {"x", "k", "{\"a\":", "@daily", "UTC", PR_INVALID, "schedules_payload_object"},
        {"x", "k", "", "@daily", "UTC", PR_INVALID, "schedules_payload_object"},
        /* The longest allowed values, and the same name in the other tenant, are accepted. */
        {s101 + 1, s101 + 1, "{\"a\":[1]}", s201 + 1, s65 + 1, PR_OK, ""},
    };
    struct schedule *rows = NULL;
    int64_t id = 0;
    size_t i, n = 0;

    memset(s65, 'z', sizeof s65 - 1);
    s65[sizeof s65 - 1] = '\0';
    memset(s101, 'n', sizeof s101 - 1);
    s101[sizeof s101 - 1] = '\0';
    memset(s201, '*', sizeof s201 - 1);
    s201[sizeof s201 - 1] = '\0';
    assert_int_equal(strlen(s65), 65);
    assert_int_equal(strlen(s101), 101);
    assert_int_equal(strlen(s201), 201);
    (void)create(fx, "dup", 1);
    assert_ok(store_schedules_create(fx->st, &fx->tenant_b, "dup", "k", NULL, "@daily", "UTC", 1,
                                     &id, &fx->err),
              fx);
    for (i = 0; i < N_OF(cases); i++) {
        enum pr_code rc = store_schedules_create(fx->st, &fx->tenant_a, cases[i].name,
                                                 cases[i].job_kind, cases[i].payload, cases[i].cron,
                                                 cases[i].time_zone, 1, &id, &fx->err);

        if (rc != cases[i].code || strstr(fx->err.message, cases[i].mentions) == NULL)
            fail_msg("case %zu: got %d '%s', want %d mentioning '%s'", i, (int)rc, fx->err.message,
                     (int)cases[i].code, cases[i].mentions);
    }
    /* Only "dup" and the longest values made it. */
    assert_ok(store_schedules_list(fx->st, &fx->tenant_a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
}

/* The due list at `at` is exactly `expected` (names, in order), each with its own tenant. */
struct due_row {
    const char *name;
    const struct tenant_ctx *tenant;
    int64_t offset; /* next_run_at - now */
    bool is_enabled;
    int64_t id;
};

static void assert_due(struct store_fixture *fx, const struct due_row *rows, size_t n_rows,
                       int64_t at, int limit, const char *const *expected, size_t n_expected)
{
    struct schedule *due = NULL;
    size_t n = 99, i, k;

    assert_ok(store_schedules_due(fx->st, at, limit, fx->arena, &due, &n, &fx->err), fx);
    assert_int_equal(n, n_expected);
    for (k = 0; k < n; k++) {
        assert_string_equal(due[k].name, expected[k]);
        assert_true(due[k].is_enabled);
        assert_true(due[k].next_run_at <= at);
        for (i = 0; i < n_rows; i++)
            if (rows[i].id == due[k].id)
                assert_int_equal(due[k].tenant_id, rows[i].tenant->tenant_id);
    }
}

static void test_due_filter_and_order(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a, *b = &fx->tenant_b;
    int64_t now = clock_now_ms(&fx->clock);
    struct due_row rows[] = {
        {"late", a, -10, true, 0},        {"oldest", b, -5000, true, 0},
        {"off", a, -9000, false, 0},      {"exactly-now", a, 0, true, 0},
        {"tie-first", b, -100, true, 0},  {"future", a, 1, true, 0},
        {"tie-second", a, -100, true, 0}, {"future-off", b, 60000, false, 0},
    };
    /* By fire time, then id (of the two tied at -100, the one created first); never the
     * disabled ones, however old; next_run_at == now is due. */
    static const char *const at_now[] = {"oldest", "tie-first", "tie-second", "late",
                                         "exactly-now"};
    static const char *const at_later[] = {"oldest", "tie-first",   "tie-second",
                                           "late",   "exactly-now", "future"};
    size_t i;

    for (i = 0; i < N_OF(rows); i++) {
        assert_ok(store_schedules_create(fx->st, rows[i].tenant, rows[i].name, "k", NULL, "@hourly",
                                         "UTC", now + rows[i].offset, &rows[i].id, &fx->err),
                  fx);
        if (!rows[i].is_enabled)
            assert_ok(
                store_schedules_set_enabled(fx->st, rows[i].tenant, rows[i].id, false, &fx->err),
                fx);
    }
    assert_due(fx, rows, N_OF(rows), now, 100, at_now, N_OF(at_now));
    /* The limit takes the oldest; 0 is the default (50). */
    assert_due(fx, rows, N_OF(rows), now, 2, at_now, 2);
    assert_due(fx, rows, N_OF(rows), now, 0, at_now, N_OF(at_now));
    /* One millisecond later the "future" one is due too; a minute later, still never the
     * disabled ones. */
    assert_due(fx, rows, N_OF(rows), now + 1, 100, at_later, N_OF(at_later));
    assert_due(fx, rows, N_OF(rows), now + 60000, 100, at_later, N_OF(at_later));
    /* Before the oldest: nothing. */
    assert_due(fx, rows, N_OF(rows), now - 5001, 100, at_now, 0);
}

static void test_enable_disable(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t now = clock_now_ms(&fx->clock), id = create(fx, "s", now);
    static const struct {
        bool set;
        bool is_due;
    } steps[] = {{false, false}, {false, false}, {true, true}, {true, true}, {false, false}};
    struct schedule *due = NULL, got;
    size_t n = 0, i;

    for (i = 0; i < N_OF(steps); i++) {
        clock_fake_advance(&fx->clock, 1000);
        assert_ok(store_schedules_set_enabled(fx->st, a, id, steps[i].set, &fx->err), fx);
        assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
        assert_int_equal(got.is_enabled, steps[i].set);
        assert_int_equal(got.updated_at, clock_now_ms(&fx->clock));
        assert_int_equal(got.next_run_at, now); /* kept */
        assert_ok(store_schedules_due(fx->st, clock_now_ms(&fx->clock), 10, fx->arena, &due, &n,
                                      &fx->err),
                  fx);
        assert_int_equal(n, steps[i].is_due ? 1 : 0);
    }
    assert_error_mentions(store_schedules_set_enabled(fx->st, a, id + 1000, true, &fx->err), fx,
                          PR_NOT_FOUND, "schedule not found");
    /* A disabled schedule cannot be fired. */
    assert_error_mentions(store_schedules_mark_fired(fx->st, a, id, clock_now_ms(&fx->clock),
                                                     now + 999999, 7, &fx->err),
                          fx, PR_CONFLICT, "already fired");
}

static void test_mark_fired(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t now = clock_now_ms(&fx->clock), id = create(fx, "s", now - 60000);
    struct schedule before, got, *due = NULL;
    size_t n = 0;

    /* Not yet due at fired_at: refused, unchanged. Next time not after this one: refused. */
    assert_error_mentions(
        store_schedules_mark_fired(fx->st, a, id, now - 60001, now + 1, 5, &fx->err), fx,
        PR_CONFLICT, "already fired");
    assert_error_mentions(store_schedules_mark_fired(fx->st, a, id, now, now, 5, &fx->err), fx,
                          PR_INVALID, "after");
    assert_error_mentions(
        store_schedules_mark_fired(fx->st, a, id + 1000, now, now + 1, 5, &fx->err), fx,
        PR_NOT_FOUND, "schedule not found");
    assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &before, &fx->err), fx);
    assert_int_equal(before.next_run_at, now - 60000);
    assert_int_equal(before.updated_at, now);

    /* Fired: last run, job and next time recorded; no longer due. */
    clock_fake_advance(&fx->clock, 10);
    assert_ok(store_schedules_mark_fired(fx->st, a, id, now, now + 3600000, 42, &fx->err), fx);
    assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
    assert_int_equal(got.last_run_at, now);
    assert_int_equal(got.last_job_id, 42);
    assert_int_equal(got.next_run_at, now + 3600000);
    assert_int_equal(got.updated_at, now + 10);
    assert_ok(store_schedules_due(fx->st, now + 10, 10, fx->arena, &due, &n, &fx->err), fx);
    assert_int_equal(n, 0);

    /* The same slot again (the scheduler that lost the race): conflict, nothing changes. */
    before = got;
    assert_error_mentions(
        store_schedules_mark_fired(fx->st, a, id, now, now + 7200000, 43, &fx->err), fx,
        PR_CONFLICT, "already fired");
    assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
    assert_int_equal(got.next_run_at, before.next_run_at);
    assert_int_equal(got.last_job_id, 42);
    assert_int_equal(got.updated_at, before.updated_at);

    /* The next slot, skipped (job 0: its previous job still ran): only next_run_at moves. */
    assert_ok(store_schedules_mark_fired(fx->st, a, id, now + 3600000, now + 7200000, 0, &fx->err),
              fx);
    assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
    assert_int_equal(got.next_run_at, now + 7200000);
    assert_int_equal(got.last_run_at, now);
    assert_int_equal(got.last_job_id, 42);
}

/* Two schedulers on two connections see the same due schedule; the one that commits first
 * fires it, the other's firing is refused inside its own transaction. */
static void test_mark_fired_race_two_connections(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct store_options opt = {0};
    struct store *other = NULL;
    struct schedule *due1 = NULL, *due2 = NULL, got;
    size_t n1 = 0, n2 = 0;
    int64_t now = clock_now_ms(&fx->clock), id = create(fx, "race", now - 1);

    opt.path = fx->db_path;
    opt.busy_timeout_ms = 2000;
    opt.clock = &fx->clock;
    assert_ok(store_open(&opt, &other, &fx->err), fx);
    assert_ok(store_schedules_due(fx->st, now, 10, fx->arena, &due1, &n1, &fx->err), fx);
    assert_ok(store_schedules_due(other, now, 10, fx->arena, &due2, &n2, &fx->err), fx);
    assert_int_equal(n1, 1);
    assert_int_equal(n2, 1);
    assert_int_equal(due1[0].id, id);
    assert_int_equal(due2[0].id, id);

    assert_ok(store_begin(fx->st, &fx->err), fx);
    assert_ok(store_schedules_mark_fired(fx->st, a, id, now, now + 60000, 1, &fx->err), fx);
    assert_ok(store_commit(fx->st, &fx->err), fx);
    assert_ok(store_begin(other, &fx->err), fx);
    assert_error_mentions(store_schedules_mark_fired(other, a, id, now, now + 60000, 2, &fx->err),
                          fx, PR_CONFLICT, "already fired");
    store_rollback(other);
    store_close(other);

    assert_ok(store_schedules_get(fx->st, a, id, fx->arena, &got, &fx->err), fx);
    assert_int_equal(got.last_job_id, 1);
    assert_int_equal(got.next_run_at, now + 60000);
}

int main(void)
{
#define SCHEDULE_TEST(f)                                                                           \
    cmocka_unit_test_setup_teardown(f, store_fixture_setup, store_fixture_teardown)
    const struct CMUnitTest tests[] = {
        SCHEDULE_TEST(test_create_get_list_remove),
        SCHEDULE_TEST(test_create_refusals),
        SCHEDULE_TEST(test_due_filter_and_order),
        SCHEDULE_TEST(test_enable_disable),
        SCHEDULE_TEST(test_mark_fired),
        SCHEDULE_TEST(test_mark_fired_race_two_connections),
    };
#undef SCHEDULE_TEST

    return cmocka_run_group_tests_name("store/schedules", tests, NULL, NULL);
}
