/*
 * Cron expressions: parsing, formatting, next fire times across DST changes, the missed-run
 * rule and errors. No clock is read: every instant is written out.
 *
 * Every expected instant below was verified independently with a scratch script (not in the
 * repository) using python3's zoneinfo (the system tz database): it walks UTC minutes one by
 * one and fires at a minute when its local wall time matches and is the first occurrence, or
 * when a spring-forward gap just before it skipped a matching local minute. The two 29 February
 * 2104 cases were checked by hand (2100 is not a leap year).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/cron.h"

#include <stdio.h>
#include <string.h>

/* "YYYY-MM-DDTHH:MM:SSZ" to epoch milliseconds (days-from-civil, proleptic Gregorian). */
static int64_t iso_ms(const char *s)
{
    int y, m, d, hh, mm, ss;
    int64_t era, yoe, doy, doe, days;

    assert_int_equal(sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &y, &m, &d, &hh, &mm, &ss), 6);
    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    days = era * 146097 + doe - 719468;
    return ((days * 24 + hh) * 60 + mm) * INT64_C(60000) + ss * INT64_C(1000);
}

static void parse_ok(const char *text, struct cron_expr *e)
{
    struct pr_error err;

    if (cron_parse(text, strlen(text), e, &err) != PR_OK)
        fail_msg("\"%s\": %s", text, err.message);
}

static void test_iso_helper(void **state)
{
    (void)state;
    assert_true(iso_ms("1970-01-01T00:00:00Z") == 0);
    assert_true(iso_ms("2026-03-08T07:00:00Z") == INT64_C(1772953200000));
}

/* The table: every syntax form, both DST changes of 2026 in America/New_York and
 * Europe/Berlin, 02:30 daily jobs on those days, and a few unusual offsets. */
static void test_next_table(void **state)
{
    static const struct {
        const char *expr, *zone, *after, *expected;
    } cases[] = {
        /* syntax, in UTC */
        {"* * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"},
        {"* * * * *", "UTC", "2026-01-01T00:00:59Z", "2026-01-01T00:01:00Z"},
        {"*/15 * * * *", "UTC", "2026-01-01T00:07:30Z", "2026-01-01T00:15:00Z"},
        {"5,35 * * * *", "UTC", "2026-01-01T00:35:00Z", "2026-01-01T01:05:00Z"},
        {"10-12 * * * *", "UTC", "2026-01-01T00:12:00Z", "2026-01-01T01:10:00Z"},
        {"0-30/10 9 * * *", "UTC", "2026-01-01T09:30:00Z", "2026-01-02T09:00:00Z"},
        {"5/20 * * * *", "UTC", "2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z"},
        {"0 0 1 JAN *", "UTC", "2026-01-01T00:00:00Z", "2027-01-01T00:00:00Z"},
        {"0 12 * jan-MAR Mon-Fri", "UTC", "2026-03-31T12:00:00Z", "2027-01-01T12:00:00Z"},
        {"0 0 * * 7", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z"},
        {"0 0 * * 0", "UTC", "2026-01-01T00:00:00Z", "2026-01-04T00:00:00Z"},
        {"0 0 * * 5-7", "UTC", "2026-01-04T00:00:00Z", "2026-01-09T00:00:00Z"},
        /* Vixie: both day fields restricted, either matches (Friday 2 Jan, then the 13th) */
        {"0 0 13 * 5", "UTC", "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z"},
        {"0 0 13 * 5", "UTC", "2026-01-09T00:00:00Z", "2026-01-13T00:00:00Z"},
        {"0 0 1-7 * MON", "UTC", "2026-01-07T00:00:00Z", "2026-01-12T00:00:00Z"},
        {"0 0 */2 * *", "UTC", "2026-01-31T00:00:00Z", "2026-02-01T00:00:00Z"},
        {"0 0 */2 * 1", "UTC", "2026-01-03T00:00:00Z", "2026-01-05T00:00:00Z"},
        {"0 9 * * SUN-SAT", "UTC", "2026-01-01T10:00:00Z", "2026-01-02T09:00:00Z"},
        {"0 0 1-31 * 1", "UTC", "2026-01-01T10:00:00Z", "2026-01-02T00:00:00Z"},
        {"59 23 31 12 *", "UTC", "2026-01-01T00:00:00Z", "2026-12-31T23:59:00Z"},
        {"0 0 29 2 *", "UTC", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z"},
        {"0 0 29 2 *", "UTC", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"},
        {"0 0 29 2 *", "UTC", "2096-02-29T00:00:00Z", "2104-02-29T00:00:00Z"},
        {"@yearly", "UTC", "2026-06-15T00:00:00Z", "2027-01-01T00:00:00Z"},
        {"@annually", "UTC", "2026-06-15T00:00:00Z", "2027-01-01T00:00:00Z"},
        {"@monthly", "UTC", "2026-06-15T00:00:00Z", "2026-07-01T00:00:00Z"},
        {"@weekly", "UTC", "2026-06-15T00:00:00Z", "2026-06-21T00:00:00Z"},
        {"@daily", "UTC", "2026-06-15T00:00:00Z", "2026-06-16T00:00:00Z"},
        {"@MIDNIGHT", "UTC", "2026-06-15T23:59:59Z", "2026-06-16T00:00:00Z"},
        {"@hourly", "UTC", "2026-06-15T00:00:00Z", "2026-06-15T01:00:00Z"},
        /* weekdays at 07:00 New York: Sunday 8 March and Sunday 1 November 2026 */
        {"0 7 * * 1-5", "America/New_York", "2026-03-06T11:59:00Z", "2026-03-06T12:00:00Z"},
        {"0 7 * * 1-5", "America/New_York", "2026-03-06T12:00:00Z", "2026-03-09T11:00:00Z"},
        {"0 7 * * 1-5", "America/New_York", "2026-03-09T11:00:00Z", "2026-03-10T11:00:00Z"},
        {"0 7 * * 1-5", "America/New_York", "2026-10-30T10:00:00Z", "2026-10-30T11:00:00Z"},
        {"0 7 * * 1-5", "America/New_York", "2026-10-30T11:00:00Z", "2026-11-02T12:00:00Z"},
        /* Berlin: Sunday 29 March and Sunday 25 October 2026 */
        {"0 7 * * 1-5", "Europe/Berlin", "2026-03-27T06:00:00Z", "2026-03-30T05:00:00Z"},
        {"0 7 * * 1-5", "Europe/Berlin", "2026-03-30T05:00:00Z", "2026-03-31T05:00:00Z"},
        {"0 7 * * 1-5", "Europe/Berlin", "2026-10-23T05:00:00Z", "2026-10-26T06:00:00Z"},
        /* 02:30 daily: skipped in spring (fires 03:00 EDT/CEST), once in autumn */
        {"30 2 * * *", "America/New_York", "2026-03-07T08:00:00Z", "2026-03-08T07:00:00Z"},
        {"30 2 * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"},
        {"30 2 * * *", "America/New_York", "2026-10-31T07:00:00Z", "2026-11-01T07:30:00Z"},
        {"30 2 * * *", "America/New_York", "2026-11-01T07:30:00Z", "2026-11-02T07:30:00Z"},
        {"30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z"},
        {"30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"},
        {"30 2 * * *", "Europe/Berlin", "2026-03-28T02:00:00Z", "2026-03-29T01:00:00Z"},
        {"30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"},
        {"30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z"},
        {"30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"},
        /* `after` inside the second 01:xx of New York: the repeated minutes are skipped */
        {"*/20 * * * *", "America/New_York", "2026-11-01T06:10:00Z", "2026-11-01T07:00:00Z"},
        {"*/30 * * * *", "America/New_York", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z"},
        {"0 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"},
        {"15 2,3 * * *", "Europe/Berlin", "2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z"},
        /* half-hour DST (Lord Howe), +05:45, +13:45/+12:45 */
        {"0 9 * * *", "Australia/Lord_Howe", "2026-01-01T00:00:00Z", "2026-01-01T22:00:00Z"},
        {"15 2 * * *", "Australia/Lord_Howe", "2026-10-03T12:00:00Z", "2026-10-03T15:30:00Z"},
        {"0 9 * * *", "Asia/Kathmandu", "2026-01-01T00:00:00Z", "2026-01-01T03:15:00Z"},
        {"0 0 * * *", "Pacific/Chatham", "2026-04-04T00:00:00Z", "2026-04-04T10:15:00Z"},
        {"0 9 * * *", "US/Eastern", "2026-07-01T00:00:00Z", "2026-07-01T13:00:00Z"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cron_expr e;
        struct pr_error err;
        int64_t next = 0;

        parse_ok(cases[i].expr, &e);
        if (cron_next(&e, cases[i].zone, iso_ms(cases[i].after), &next, &err) != PR_OK)
            fail_msg("%s %s: %s", cases[i].expr, cases[i].zone, err.message);
        if (next != iso_ms(cases[i].expected))
            fail_msg("\"%s\" %s after %s: got %lld, want %s (%lld)", cases[i].expr, cases[i].zone,
                     cases[i].after, (long long)next, cases[i].expected,
                     (long long)iso_ms(cases[i].expected));
    }
}

/* Consecutive fire times across the transitions: no duplicate, and no skipped local hour
 * except the one that does not exist (in autumn the repeated hour fires once). */
static void test_chains(void **state)
{
    static const struct {
        const char *expr, *zone, *after;
        const char *expected[6];
    } cases[] = {
        {"0 * * * *",
         "America/New_York",
         "2026-03-08T04:30:00Z",
         {"2026-03-08T05:00:00Z", "2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z",
          "2026-03-08T08:00:00Z", "2026-03-08T09:00:00Z"}},
        {"0 * * * *",
         "America/New_York",
         "2026-11-01T03:30:00Z",
         {"2026-11-01T04:00:00Z", "2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z",
          "2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z"}},
        {"0 * * * *",
         "Europe/Berlin",
         "2026-03-28T23:30:00Z",
         {"2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z",
          "2026-03-29T03:00:00Z", "2026-03-29T04:00:00Z"}},
        {"0 * * * *",
         "Europe/Berlin",
         "2026-10-24T22:30:00Z",
         {"2026-10-24T23:00:00Z", "2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z",
          "2026-10-25T03:00:00Z", "2026-10-25T04:00:00Z"}},
        {"*/30 * * * *",
         "America/New_York",
         "2026-03-08T05:45:00Z",
         {"2026-03-08T06:00:00Z", "2026-03-08T06:30:00Z", "2026-03-08T07:00:00Z",
          "2026-03-08T07:30:00Z", "2026-03-08T08:00:00Z"}},
        {"*/30 * * * *",
         "Europe/Berlin",
         "2026-10-24T23:45:00Z",
         {"2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z", "2026-10-25T02:00:00Z",
          "2026-10-25T02:30:00Z", "2026-10-25T03:00:00Z", "2026-10-25T03:30:00Z"}},
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cron_expr e;
        struct pr_error err;
        int64_t t = iso_ms(cases[i].after);

        parse_ok(cases[i].expr, &e);
        for (k = 0; k < 6 && cases[i].expected[k] != NULL; k++) {
            int64_t next = 0;
            assert_int_equal(cron_next(&e, cases[i].zone, t, &next, &err), PR_OK);
            if (next != iso_ms(cases[i].expected[k]))
                fail_msg("\"%s\" %s step %zu: got %lld, want %s", cases[i].expr, cases[i].zone, k,
                         (long long)next, cases[i].expected[k]);
            t = next;
        }
    }
}

static void test_missed(void **state)
{
    static const struct {
        const char *expr, *zone, *last_run, *now;
        const char *latest; /* NULL: nothing missed */
    } cases[] = {
        /* down three days with a daily job: one run, for the latest slot */
        {"0 3 * * *", "America/New_York", "2026-03-01T08:00:00Z", "2026-03-04T12:00:00Z",
         "2026-03-04T08:00:00Z"},
        {"0 3 * * *", "America/New_York", "2026-03-04T08:00:00Z", "2026-03-04T12:00:00Z", NULL},
        /* the interval is (last_run, now]: a slot exactly at now counts */
        {"0 3 * * *", "America/New_York", "2026-03-04T07:59:00Z", "2026-03-04T08:00:00Z",
         "2026-03-04T08:00:00Z"},
        {"30 2 * * *", "America/New_York", "2026-03-06T08:00:00Z", "2026-03-08T07:00:00Z",
         "2026-03-08T07:00:00Z"},
        {"0 7 * * 1-5", "Europe/Berlin", "2026-03-27T05:00:00Z", "2026-03-30T04:59:00Z",
         "2026-03-27T06:00:00Z"},
        {"0 7 * * 1-5", "Europe/Berlin", "2026-03-27T05:00:00Z", "2026-03-30T05:00:00Z",
         "2026-03-30T05:00:00Z"},
        /* minutely, down a year: the latest minute, found without a step per slot */
        {"* * * * *", "Europe/Berlin", "2025-06-01T00:00:00Z", "2026-06-01T10:20:30Z",
         "2026-06-01T10:20:00Z"},
        /* down 9 years with a leap-day job */
        {"0 0 29 2 *", "UTC", "2019-01-01T00:00:00Z", "2028-01-01T00:00:00Z",
         "2024-02-29T00:00:00Z"},
        /* clock went back */
        {"* * * * *", "UTC", "2026-01-02T00:00:00Z", "2026-01-01T00:00:00Z", NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cron_expr e;
        struct pr_error err;
        bool has_missed = true;
        int64_t latest = -1;

        parse_ok(cases[i].expr, &e);
        assert_int_equal(cron_missed(&e, cases[i].zone, iso_ms(cases[i].last_run),
                                     iso_ms(cases[i].now), &has_missed, &latest, &err),
                         PR_OK);
        if (cases[i].latest == NULL) {
            assert_false(has_missed);
            assert_true(latest == 0);
        } else {
            assert_true(has_missed);
            if (latest != iso_ms(cases[i].latest))
                fail_msg("case %zu: latest %lld, want %s", i, (long long)latest, cases[i].latest);
        }
    }
}

static void test_parse_errors(void **state)
{
    static const struct {
        const char *text;
        const char *message; /* a part of it */
    } cases[] = {
        {"", "cron: empty expression"},
        {"   \t ", "cron: empty expression"},
        {"* * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 4"},
        {"* * * * * *", "got 6"},
        {"0 25 * * *", "cron: hour: 25 is out of range 0-23"},
        {"60 * * * *", "cron: minute: 60 is out of range 0-59"},
        {"0 0 0 * *", "cron: day-of-month: 0 is out of range 1-31"},
        {"0 0 32 * *", "cron: day-of-month: 32 is out of range 1-31"},
        {"0 0 * 13 *", "cron: month: 13 is out of range 1-12"},
        {"0 0 * * 8", "cron: day-of-week: 8 is out of range 0-7"},
        {"99999999999999999999 * * * *", "cron: minute: 99999999999999999999 is out of range"},
        {"0 0 * FOO *", "cron: month: FOO is not a month name"},
        {"0 0 * JANUARY *", "cron: month: JANUARY is not a month name"},
        {"0 0 * * FUN", "cron: day-of-week: FUN is not a weekday name"},
        {"0 0 * * FRI-SUN", "cron: day-of-week: FRI-SUN is a range that goes backwards"},
        {"a * * * *", "cron: minute: a is not a number"},
        {"0 MON * * *", "cron: hour: MON is not a number"},
        {"* * * * 1.5", "cron: day-of-week: 1.5 is not a number"},
        {"-1 * * * *", "cron: minute: (empty value)"},
        {"1- * * * *", "cron: minute: (empty value)"},
        {"1,,2 * * * *", "cron: minute: (empty list item)"},
        {"1, * * * *", "cron: minute: (empty list item)"},
        {"5-1 * * * *", "cron: minute: 5-1 is a range that goes backwards"},
        {"*/0 * * * *", "cron: minute: 0 is out of range 1-60 (step)"},
        {"0 */25 * * *", "cron: hour: 25 is out of range 1-24 (step)"},
        {"1/ * * * *", "cron: minute: 1/ has an empty step"},
        {"*/x * * * *", "cron: minute: x is not a number (step)"},
        {"*/2/3 * * * *", "cron: minute: 2/3 is not a number (step)"},
        {"** * * * *", "cron: minute: ** is not a number"},
        {"@reboot", "cron: unknown macro \"@reboot\""},
        {"@daily 5", "cron: unknown macro \"@daily 5\""},
        {"0 0 * * \x01", "cron: day-of-week: ? is not a number"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cron_expr e;
        struct pr_error err;

        assert_int_equal(cron_parse(cases[i].text, strlen(cases[i].text), &e, &err), PR_INVALID);
        assert_int_equal(err.code, PR_INVALID);
        if (strstr(err.message, cases[i].message) == NULL)
            fail_msg("\"%s\": message \"%s\" lacks \"%s\"", cases[i].text, err.message,
                     cases[i].message);
        assert_true(err.hint[0] != '\0');
    }
}

/* Parse, then format: the canonical form, which parses back to the same expression. */
static void test_format(void **state)
{
    static const struct {
        const char *text, *canonical;
    } cases[] = {
        {"* * * * *", "* * * * *"},
        {"*/1 */1 */1 */1 */1", "* * * * *"},
        {"*/15 9-17 * * MON-FRI", "0,15,30,45 9-17 * * 1-5"},
        {"  0 7 * * 1-5\n", "0 7 * * 1-5"},
        {"@weekly", "0 0 * * 0"},
        {"@hourly", "0 * * * *"},
        {"0 0 * * 7", "0 0 * * 0"},
        {"0 0 * * 5-7", "0 0 * * 0,5-6"},
        {"0 0 1-31 * *", "0 0 1-31 * *"},
        {"0 0 * * 0-6", "0 0 * * 0-6"},
        {"0 0 * 1-12 *", "0 0 * * *"},
        {"0-59 0-23 * * *", "* * * * *"},
        {"0 0 */2 * *", "0 0 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 * *"},
        {"0 0 1 jan,Feb,MAR *", "0 0 1 1-3 *"},
        {"5/20 1,2,3,5 * * *", "5,25,45 1-3,5 * * *"},
        {"0 0 * * */7", "0 0 * * 0"},
        {"*/2 */2 */2 */2 */2",
         "0,2,4,6,8,10,12,14,16,18,20,22,24,26,28,30,32,34,36,38,40,42,44,46,48,50,52,54,56,58 "
         "0,2,4,6,8,10,12,14,16,18,20,22 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 "
         "1,3,5,7,9,11 0,2,4,6"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cron_expr e, again;
        char text[CRON_FORMAT_MAX];

        parse_ok(cases[i].text, &e);
        cron_format(&e, text, sizeof text);
        assert_string_equal(text, cases[i].canonical);
        parse_ok(text, &again);
        assert_true(again.minutes == e.minutes && again.hours == e.hours &&
                    again.days_of_month == e.days_of_month && again.months == e.months &&
                    again.days_of_week == e.days_of_week && again.is_dom_star == e.is_dom_star &&
                    again.is_dow_star == e.is_dow_star);
    }
}

static void test_parse_bits(void **state)
{
    struct cron_expr e;

    (void)state;
    parse_ok("0 0 * * *", &e);
    assert_true(e.is_dom_star && e.is_dow_star);
    parse_ok("0 0 */2 * *", &e);
    assert_false(e.is_dom_star);
    parse_ok("0 0 * * SUN,7", &e);
    assert_int_equal(e.days_of_week, 1);
    parse_ok("0 0 * * *,1", &e);
    assert_false(e.is_dow_star);
    parse_ok("1-3,10 * * * *", &e);
    assert_true(e.minutes == ((UINT64_C(1) << 1) | (UINT64_C(1) << 2) | (UINT64_C(1) << 3) |
                              (UINT64_C(1) << 10)));
    /* not NUL-terminated: only `len` bytes are read */
    assert_int_equal(cron_parse("0 7 * * 1-5XYZ", 11, &e, &(struct pr_error){0}), PR_OK);
    assert_int_equal(e.days_of_week, 0x3e);
}

static void test_zones_and_limits(void **state)
{
    static const char *const bad_zones[] = {
        "Mars/Olympus",
        "",
        "GMT+05:00",
        "Etc/Unknown",
        "America/New_York\n",
        "america/new york",
        "../../etc/passwd",
        "Europe/Berlin/Extra",
        "Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/B",
    };
    static const char *const good_zones[] = {
        "UTC",      "Etc/UTC", "US/Eastern", "Europe/Berlin", "America/Argentina/Buenos_Aires",
        "Etc/GMT+5"};
    static const char *const never[] = {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30-31 FEB *"};
    struct cron_expr e;
    struct pr_error err;
    int64_t next = 0;
    bool has_missed;
    size_t i;

    (void)state;
    parse_ok("* * * * *", &e);
    for (i = 0; i < sizeof bad_zones / sizeof bad_zones[0]; i++) {
        assert_false(cron_zone_is_valid(bad_zones[i]));
        assert_int_equal(cron_next(&e, bad_zones[i], 0, &next, &err), PR_INVALID);
        assert_non_null(strstr(err.message, "unknown time zone"));
        assert_true(err.hint[0] != '\0');
    }
    assert_false(cron_zone_is_valid(NULL));
    assert_int_equal(cron_next(&e, NULL, 0, &next, &err), PR_INVALID);
    for (i = 0; i < sizeof good_zones / sizeof good_zones[0]; i++)
        assert_true(cron_zone_is_valid(good_zones[i]));

    assert_int_equal(cron_next(&e, "UTC", -1, &next, &err), PR_INVALID);
    assert_int_equal(cron_next(&e, "UTC", INT64_MAX, &next, &err), PR_INVALID);
    assert_int_equal(cron_next(&e, "UTC", 0, &next, &err), PR_OK);
    assert_true(next == 60000);
    assert_int_equal(cron_next(&e, "UTC", iso_ms("9999-12-31T23:59:59Z"), &next, &err), PR_OK);
    assert_true(next == iso_ms("9999-12-31T23:59:59Z") + 1000);
    assert_int_equal(cron_missed(&e, "UTC", -5, 0, &has_missed, &next, &err), PR_INVALID);

    for (i = 0; i < sizeof never / sizeof never[0]; i++) {
        parse_ok(never[i], &e);
        assert_int_equal(cron_next(&e, "Europe/Berlin", 0, &next, &err), PR_INVALID);
        assert_non_null(strstr(err.message, "never fires"));
        assert_int_equal(
            cron_missed(&e, "UTC", 0, iso_ms("2030-01-01T00:00:00Z"), &has_missed, &next, &err),
            PR_INVALID);
    }
    /* restricted day-of-week rescues an impossible day-of-month (Vixie's OR) */
    parse_ok("0 0 30 2 MON", &e);
    assert_int_equal(cron_next(&e, "UTC", iso_ms("2026-01-01T00:00:00Z"), &next, &err), PR_OK);
    assert_true(next == iso_ms("2026-02-02T00:00:00Z"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iso_helper),   cmocka_unit_test(test_next_table),
        cmocka_unit_test(test_chains),       cmocka_unit_test(test_missed),
        cmocka_unit_test(test_parse_errors), cmocka_unit_test(test_format),
        cmocka_unit_test(test_parse_bits),   cmocka_unit_test(test_zones_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
