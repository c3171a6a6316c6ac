/* Error classes, full-jitter backoff, retry decisions and Retry-After parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/retry.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* 2025-01-01T00:00:00Z, a Wednesday. */
#define NOW_2025 INT64_C(1735689600000)

/* Deterministic generator for the property tests (Vigna's splitmix64). */
static uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* The bound computed a second, naive way: double step by step and stop at the cap. */
static int64_t naive_bound(int64_t base, int64_t cap, int attempt)
{
    int64_t bound = base;
    int i;

    for (i = 1; i < attempt; i++) {
        if (bound > cap / 2)
            return cap;
        bound *= 2;
    }
    return bound < cap ? bound : cap;
}

/* Unix time in ms of a UTC civil time, through the C library (an independent oracle). */
static int64_t utc_ms(int year, int month, int day, int hour, int minute, int second)
{
    struct tm tm = {0};

    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day;
    tm.tm_hour = hour;
    tm.tm_min = minute;
    tm.tm_sec = second;
    return (int64_t)timegm(&tm) * 1000;
}

static void test_classes(void **state)
{
    static const struct {
        enum retry_class cls;
        const char *name;
        bool retries;
    } cases[] = {
        {RETRY_CLASS_TRANSIENT, "transient", true},
        {RETRY_CLASS_RATE_LIMITED, "rate_limited", true},
        {RETRY_CLASS_AUTH, "auth", false},
        {RETRY_CLASS_PERMANENT, "permanent", false},
        {RETRY_CLASS_DUPLICATE, "duplicate", false},
    };
    static const struct {
        const char *text;
        enum pr_code rc;
        enum retry_class cls;
    } parses[] = {
        {"transient", PR_OK, RETRY_CLASS_TRANSIENT},
        {"RATE_LIMITED", PR_OK, RETRY_CLASS_RATE_LIMITED},
        {"Duplicate", PR_OK, RETRY_CLASS_DUPLICATE},
        {"rate-limited", PR_INVALID, 0},
        {"", PR_INVALID, 0},
        {" auth", PR_INVALID, 0},
        {"fatal", PR_INVALID, 0},
    };
    struct pr_error err;
    enum retry_class cls;
    size_t i;

    (void)state;
    assert_int_equal(RETRY_CLASS_COUNT, sizeof cases / sizeof cases[0]);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(retry_class_name(cases[i].cls), cases[i].name);
        assert_int_equal(retry_class_retries(cases[i].cls), cases[i].retries);
        assert_int_equal(retry_class_parse(cases[i].name, &cls, &err), PR_OK);
        assert_int_equal(cls, cases[i].cls);
    }
    for (i = 0; i < sizeof parses / sizeof parses[0]; i++) {
        assert_int_equal(retry_class_parse(parses[i].text, &cls, &err), parses[i].rc);
        if (parses[i].rc == PR_OK)
            assert_int_equal(cls, parses[i].cls);
        else
            assert_non_null(strstr(err.message, "unknown error class"));
    }
    assert_int_equal(retry_class_parse(NULL, &cls, &err), PR_INVALID);
    assert_string_equal(retry_class_name(RETRY_CLASS_COUNT), "unknown");
    assert_false(retry_class_retries(RETRY_CLASS_COUNT));
    assert_false(retry_class_retries((enum retry_class) - 1));
}

static void test_policy(void **state)
{
    static const struct {
        struct retry_policy policy;
        enum pr_code rc;
        const char *message_part;
    } cases[] = {
        {{1000, 3600000, 25, 1000, 21600000}, PR_OK, NULL},
        {{1, 1, 1, 0, 0}, PR_OK, NULL},
        {{0, 3600000, 25, 1000, 21600000}, PR_CONFIG, "base"},
        {{-1, 3600000, 25, 1000, 21600000}, PR_CONFIG, "base"},
        {{1000, 999, 25, 1000, 21600000}, PR_CONFIG, "cap"},
        {{1000, 3600000, 0, 1000, 21600000}, PR_CONFIG, "attempts"},
        {{1000, 3600000, 25, -1, 21600000}, PR_CONFIG, "minimum"},
        {{1000, 3600000, 25, 2000, 1000}, PR_CONFIG, "maximum"},
    };
    struct retry_policy def = retry_policy_default();
    struct pr_error err;
    size_t i;

    (void)state;
    assert_int_equal(def.base_ms, 1000);
    assert_int_equal(def.cap_ms, 3600000);
    assert_int_equal(def.max_attempts, 25);
    assert_int_equal(def.retry_after_min_ms, 1000);
    assert_int_equal(def.retry_after_max_ms, 21600000);
    assert_int_equal(retry_policy_check(&def, &err), PR_OK);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(retry_policy_check(&cases[i].policy, &err), cases[i].rc);
        if (cases[i].rc != PR_OK)
            assert_non_null(strstr(err.message, cases[i].message_part));
    }
}

static void test_backoff_bound(void **state)
{
    static const struct {
        int64_t base_ms, cap_ms;
        int attempt;
        int64_t bound_ms;
    } cases[] = {
        {1000, 3600000, 1, 1000},
        {1000, 3600000, 2, 2000},
        {1000, 3600000, 12, 2048000},
        {1000, 3600000, 13, 3600000}, /* 4,096,000 > cap */
        {1000, 3600000, 0, 1000},     /* attempts below 1 count as 1 */
        {1000, 3600000, -7, 1000},
        {1000, 3600000, 63, 3600000},
        {1000, 3600000, 64, 3600000},
        {1000, 3600000, 65, 3600000},
        {1000, 3600000, INT_MAX, 3600000},
        {1, INT64_MAX, 63, INT64_C(1) << 62},
        {1, INT64_MAX, 64, INT64_MAX}, /* 2^63 would overflow: the cap */
        {INT64_MAX, INT64_MAX, 1, INT64_MAX},
        {INT64_MAX, INT64_MAX, 2, INT64_MAX},
        {INT64_MAX, INT64_MAX, INT_MAX, INT64_MAX},
        {3, 10, 3, 10},
        {3, 12, 3, 12},
        {3, 11, 3, 11},
        {0, 3600000, 5, 0},
        {-5, 3600000, 5, 0},
        {1000, -1, 5, 0},
        {5000, 1000, 1, 1000}, /* cap below base: the cap wins */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct retry_policy p = retry_policy_default();

        p.base_ms = cases[i].base_ms;
        p.cap_ms = cases[i].cap_ms;
        assert_int_equal(retry_backoff_bound_ms(&p, cases[i].attempt), cases[i].bound_ms);
        /* the extreme random values reach both ends of the range exactly */
        assert_int_equal(retry_backoff_ms(&p, cases[i].attempt, 0), 0);
        assert_int_equal(retry_backoff_ms(&p, cases[i].attempt, UINT64_MAX), cases[i].bound_ms);
    }
}

static void test_backoff_within_bounds(void **state)
{
    static const struct {
        int64_t base_ms, cap_ms;
    } policies[] = {
        {1000, 3600000},
        {1, INT64_MAX},
        {250, 30000},
        {7, 1000003},
    };
    uint64_t rng = 42;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof policies / sizeof policies[0]; i++) {
        struct retry_policy p = retry_policy_default();
        int attempt;

        p.base_ms = policies[i].base_ms;
        p.cap_ms = policies[i].cap_ms;
        for (attempt = 1; attempt <= 100; attempt++) {
            int64_t bound = naive_bound(p.base_ms, p.cap_ms, attempt);
            int n;

            assert_int_equal(retry_backoff_bound_ms(&p, attempt), bound);
            for (n = 0; n < 10000; n++) {
                int64_t delay = retry_backoff_ms(&p, attempt, splitmix64(&rng));

                if (delay < 0 || delay > bound)
                    fail_msg("attempt %d: delay %lld outside [0, %lld]", attempt, (long long)delay,
                             (long long)bound);
            }
        }
    }
}

/* Every decile of [0, bound] is hit, and the mean is near bound / 2. */
static void test_backoff_jitter_covers_range(void **state)
{
    struct retry_policy p = retry_policy_default();
    uint64_t rng = 7;
    int attempt;

    (void)state;
    for (attempt = 3; attempt <= 16; attempt++) { /* 13..16 are capped */
        int64_t bound = retry_backoff_bound_ms(&p, attempt);
        long hits[10] = {0};
        double sum = 0;
        int n, d;

        for (n = 0; n < 10000; n++) {
            int64_t delay = retry_backoff_ms(&p, attempt, splitmix64(&rng));
            int decile = (int)((double)delay * 10 / ((double)bound + 1));

            hits[decile]++;
            sum += (double)delay;
        }
        for (d = 0; d < 10; d++)
            if (hits[d] < 800) /* expected 1000 each */
                fail_msg("attempt %d: decile %d hit %ld times", attempt, d, hits[d]);
        assert_true(sum / 10000 > 0.47 * (double)bound && sum / 10000 < 0.53 * (double)bound);
    }
}

static void test_backoff_cap(void **state)
{
    struct retry_policy p = retry_policy_default();
    uint64_t rng = 99;
    int64_t max_seen = 0;
    int attempt;

    (void)state;
    for (attempt = 13; attempt <= 2000; attempt++) {
        int64_t delay = retry_backoff_ms(&p, attempt, splitmix64(&rng));

        assert_int_equal(retry_backoff_bound_ms(&p, attempt), p.cap_ms);
        assert_true(delay >= 0 && delay <= p.cap_ms);
        if (delay > max_seen)
            max_seen = delay;
    }
    assert_true(max_seen > p.cap_ms * 9 / 10); /* capped, but the whole capped range is used */
    assert_int_equal(retry_backoff_ms(&p, INT_MAX, UINT64_MAX), p.cap_ms);
}

/* Every class at every attempt edge, with and without Retry-After. */
static void test_decide_table(void **state)
{
    static const struct {
        enum retry_class cls;
        bool retries;
    } classes[] = {
        {RETRY_CLASS_TRANSIENT, true},  {RETRY_CLASS_RATE_LIMITED, true},
        {RETRY_CLASS_AUTH, false},      {RETRY_CLASS_PERMANENT, false},
        {RETRY_CLASS_DUPLICATE, false}, {RETRY_CLASS_COUNT, false}, /* out of range */
    };
    static const int attempts[] = {-1, 0, 1, 2, 24, 25, 26, INT_MAX};
    struct retry_policy p = retry_policy_default();
    uint64_t rng = 1;
    size_t c, a;
    int with_retry_after;

    (void)state;
    for (c = 0; c < sizeof classes / sizeof classes[0]; c++)
        for (a = 0; a < sizeof attempts / sizeof attempts[0]; a++)
            for (with_retry_after = 0; with_retry_after <= 1; with_retry_after++) {
                struct retry_decision d;
                int attempt = attempts[a];
                uint64_t r = splitmix64(&rng);

                retry_decide(&p, classes[c].cls, attempt, with_retry_after, 120000, r, &d);
                if (!classes[c].retries) {
                    assert_int_equal(d.action, RETRY_ACTION_DISCARD);
                    assert_int_equal(d.reason, RETRY_REASON_NOT_RETRYABLE);
                    assert_int_equal(d.delay_ms, 0);
                } else if (attempt >= 25) {
                    assert_int_equal(d.action, RETRY_ACTION_DISCARD);
                    assert_int_equal(d.reason, RETRY_REASON_EXHAUSTED);
                    assert_int_equal(d.delay_ms, 0);
                } else if (with_retry_after) {
                    assert_int_equal(d.action, RETRY_ACTION_RETRY);
                    assert_int_equal(d.reason, RETRY_REASON_RETRY_AFTER);
                    assert_int_equal(d.delay_ms, 120000);
                } else {
                    assert_int_equal(d.action, RETRY_ACTION_RETRY);
                    assert_int_equal(d.reason, RETRY_REASON_BACKOFF);
                    assert_int_equal(d.delay_ms, retry_backoff_ms(&p, attempt, r));
                }
            }
}

static void test_decide_exhaustion_edges(void **state)
{
    static const struct {
        int max_attempts, attempt;
        enum retry_action action;
    } cases[] = {
        {1, 1, RETRY_ACTION_DISCARD}, /* one attempt only: never retried */
        {2, 1, RETRY_ACTION_RETRY},    {2, 2, RETRY_ACTION_DISCARD},
        {0, 1, RETRY_ACTION_DISCARD}, /* a broken policy never retries */
        {-3, 1, RETRY_ACTION_DISCARD},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct retry_policy p = retry_policy_default();
        struct retry_decision d;

        p.max_attempts = cases[i].max_attempts;
        retry_decide(&p, RETRY_CLASS_TRANSIENT, cases[i].attempt, false, 0, 5, &d);
        assert_int_equal(d.action, cases[i].action);
    }
}

static void test_decide_clamps_retry_after(void **state)
{
    static const struct {
        enum retry_class cls;
        int64_t retry_after_ms, delay_ms;
    } cases[] = {
        {RETRY_CLASS_RATE_LIMITED, 120000, 120000},
        {RETRY_CLASS_RATE_LIMITED, 0, 1000}, /* raised to the minimum */
        {RETRY_CLASS_RATE_LIMITED, -5000, 1000},
        {RETRY_CLASS_RATE_LIMITED, 999, 1000},
        {RETRY_CLASS_RATE_LIMITED, 1000, 1000},
        {RETRY_CLASS_RATE_LIMITED, 1001, 1001}, /* never less than the server asked */
        {RETRY_CLASS_RATE_LIMITED, 21600000, 21600000},
        {RETRY_CLASS_RATE_LIMITED, 21600001, 21600000}, /* lowered to the maximum */
        {RETRY_CLASS_RATE_LIMITED, INT64_MAX, 21600000},
        {RETRY_CLASS_TRANSIENT, 7200000, 7200000}, /* 503 + Retry-After */
        {RETRY_CLASS_TRANSIENT, INT64_MIN, 1000},
    };
    struct retry_policy p = retry_policy_default();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct retry_decision d;

        /* UINT64_MAX would give the largest backoff: the Retry-After must win anyway */
        retry_decide(&p, cases[i].cls, 3, true, cases[i].retry_after_ms, UINT64_MAX, &d);
        assert_int_equal(d.action, RETRY_ACTION_RETRY);
        assert_int_equal(d.reason, RETRY_REASON_RETRY_AFTER);
        assert_int_equal(d.delay_ms, cases[i].delay_ms);
    }

    /* A misconfigured min > max: the minimum wins. */
    {
        struct retry_decision d;

        p.retry_after_min_ms = 5000;
        p.retry_after_max_ms = 2000;
        retry_decide(&p, RETRY_CLASS_RATE_LIMITED, 1, true, 3000, 0, &d);
        assert_int_equal(d.delay_ms, 5000);
    }
}

struct date {
    int year, month, day, hour, minute, second;
};

static void test_retry_after_vectors(void **state)
{
    static const struct {
        const char *value;
        int64_t now_ms;
        enum pr_code rc;
        int64_t delay_ms; /* used when `at` is zero */
        struct date at;   /* else the expected target; delay = max(0, at - now) */
    } cases[] = {
        /* delay-seconds */
        {"120", NOW_2025, PR_OK, 120000, {0}},
        {"0", NOW_2025, PR_OK, 0, {0}},
        {"  30  ", NOW_2025, PR_OK, 30000, {0}},
        {"\t30\t", NOW_2025, PR_OK, 30000, {0}},
        {"007", NOW_2025, PR_OK, 7000, {0}},
        {"9223372036854775", NOW_2025, PR_OK, INT64_C(9223372036854775000), {0}},
        {"9223372036854776", NOW_2025, PR_OK, INT64_MAX, {0}},
        {"99999999999999999999", NOW_2025, PR_OK, INT64_MAX, {0}},
        {"99999999999999999999999999999999999999999", NOW_2025, PR_OK, INT64_MAX, {0}},
        {"-5", NOW_2025, PR_INVALID, 0, {0}},
        {"+5", NOW_2025, PR_INVALID, 0, {0}},
        {"1.5", NOW_2025, PR_INVALID, 0, {0}},
        {"1e3", NOW_2025, PR_INVALID, 0, {0}},
        {"0x10", NOW_2025, PR_INVALID, 0, {0}},
        {"12 3", NOW_2025, PR_INVALID, 0, {0}},
        {"120s", NOW_2025, PR_INVALID, 0, {0}},
        {"abc", NOW_2025, PR_INVALID, 0, {0}},
        {"", NOW_2025, PR_INVALID, 0, {0}},
        {"   ", NOW_2025, PR_INVALID, 0, {0}},
        {"\r\n120", NOW_2025, PR_INVALID, 0, {0}}, /* only SP and HTAB are OWS */
        /* IMF-fixdate */
        {"Wed, 01 Jan 2025 00:02:00 GMT", NOW_2025, PR_OK, 120000, {0}},
        {"  Wed, 01 Jan 2025 00:02:00 GMT\t", NOW_2025, PR_OK, 120000, {0}},
        {"Wed, 01 Jan 2025 00:00:00 GMT", NOW_2025, PR_OK, 0, {0}}, /* now: 0 */
        {"Tue, 31 Dec 2024 23:59:59 GMT", NOW_2025, PR_OK, 0, {0}}, /* past: 0 */
        {"Sun, 06 Nov 1994 08:49:37 GMT", NOW_2025, PR_OK, 0, {0}},
        {"Fri, 31 Dec 1999 23:59:59 GMT", NOW_2025, PR_OK, 0, {0}},
        {"Sun, 06 Nov 1994 08:49:37 GMT", 0, PR_OK, 0, {1994, 11, 6, 8, 49, 37}},
        {"Thu, 01 Jan 2026 00:00:00 GMT", NOW_2025, PR_OK, INT64_C(31536000000), {0}},
        {"Fri, 31 Dec 9999 23:59:59 GMT", NOW_2025, PR_OK, 0, {9999, 12, 31, 23, 59, 59}},
        {"Tue, 29 Feb 2028 12:00:00 GMT", NOW_2025, PR_OK, 0, {2028, 2, 29, 12, 0, 0}},
        {"Tue, 29 Feb 2000 12:00:00 GMT", NOW_2025, PR_OK, 0, {0}},      /* leap, past */
        {"Wed, 01 Jan 2025 00:01:60 GMT", NOW_2025, PR_OK, 120000, {0}}, /* leap second */
        /* wrong weekday (2025-01-01 is a Wednesday): accepted, the date decides */
        {"Mon, 01 Jan 2025 00:02:00 GMT", NOW_2025, PR_OK, 120000, {0}},
        {"Sunday, 01-Jan-25 00:02:00 GMT", NOW_2025, PR_OK, 120000, {0}},
        {"Fri Jan  1 00:02:00 2025", NOW_2025, PR_OK, 120000, {0}},
        /* invalid dates */
        {"Sun, 30 Feb 2025 00:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Sat, 29 Feb 2025 00:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Mon, 29 Feb 2100 00:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Thu, 31 Apr 2025 00:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 00 Jan 2025 00:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 32 Jan 2025 00:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 24:00:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 23:60:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 23:59:61 GMT", NOW_2025, PR_INVALID, 0, {0}},
        /* IMF-fixdate syntax: case-sensitive, exact spacing, GMT only */
        {"wed, 01 Jan 2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 jan 2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 00:02:00 gmt", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 00:02:00 UTC", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 00:02:00 +0000", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 00:02:00", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 00:02:00 GMT x", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed,  01 Jan 2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 1 Jan 2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 25 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Jan 2025 0:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Xyz, 01 Jan 2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed, 01 Foo 2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed,", NOW_2025, PR_INVALID, 0, {0}},
        /* RFC 850: two-digit year within 50 years of now's year (2025: 1976..2075) */
        {"Sunday, 06-Nov-94 08:49:37 GMT", NOW_2025, PR_OK, 0, {0}},
        {"Sunday, 06-Nov-94 08:49:37 GMT", 0, PR_OK, 0, {1994, 11, 6, 8, 49, 37}},
        {"Wednesday, 01-Jan-25 00:02:00 GMT", NOW_2025, PR_OK, 120000, {0}},
        {"Thursday, 01-Jan-26 00:00:00 GMT", NOW_2025, PR_OK, INT64_C(31536000000), {0}},
        {"Tuesday, 01-Jan-75 00:00:00 GMT", NOW_2025, PR_OK, 0, {2075, 1, 1, 0, 0, 0}},
        {"Thursday, 01-Jan-76 00:00:00 GMT", NOW_2025, PR_OK, 0, {0}}, /* 1976, past */
        {"Thursday, 01-Jan-76 00:00:00 GMT", 0, PR_OK, 0, {1976, 1, 1, 0, 0, 0}},
        {"Friday, 01-Jan-00 00:00:00 GMT",
         INT64_C(4083264000000),
         PR_OK,
         0,
         {2100, 1, 1, 0, 0, 0}}, /* now 2099-05-24: "00" is 2100, not 2000 */
        {"Wed, 01-Jan-25 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wednesday, 01-Jan-2025 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wednesday, 01 Jan 25 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wednesday, 29-Feb-25 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wednesday, 01-Jan-25 00:02:00", NOW_2025, PR_INVALID, 0, {0}},
        {"wednesday, 01-Jan-25 00:02:00 GMT", NOW_2025, PR_INVALID, 0, {0}},
        /* asctime: day is 2DIGIT or SP DIGIT */
        {"Sun Nov  6 08:49:37 1994", NOW_2025, PR_OK, 0, {0}},
        {"Sun Nov  6 08:49:37 1994", 0, PR_OK, 0, {1994, 11, 6, 8, 49, 37}},
        {"Wed Jan  1 00:02:00 2025", NOW_2025, PR_OK, 120000, {0}},
        {"Wed Jan 01 00:02:00 2025", NOW_2025, PR_OK, 120000, {0}},
        {"Fri Dec 31 23:59:59 9999", NOW_2025, PR_OK, 0, {9999, 12, 31, 23, 59, 59}},
        {"Wed Jan 1 00:02:00 2025", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed Jan  1 00:02:00 2025 GMT", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed Jan  1 00:02:00 25", NOW_2025, PR_INVALID, 0, {0}},
        {"Sun Feb 30 08:49:37 2025", NOW_2025, PR_INVALID, 0, {0}},
        {"Wed Jan  1 24:00:00 2025", NOW_2025, PR_INVALID, 0, {0}},
        /* extreme clocks saturate instead of overflowing */
        {"Wed, 01 Jan 2025 00:02:00 GMT", INT64_MIN, PR_OK, INT64_MAX, {0}},
        {"Wed, 01 Jan 2025 00:02:00 GMT", INT64_MAX, PR_OK, 0, {0}},
        {"Sunday, 06-Nov-94 08:49:37 GMT", INT64_MAX, PR_OK, 0, {0}},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pr_error err;
        int64_t delay = -1, expected = cases[i].delay_ms;
        enum pr_code rc;

        rc = retry_after_parse(cases[i].value, strlen(cases[i].value), cases[i].now_ms, &delay,
                               &err);
        if (rc != cases[i].rc)
            fail_msg("\"%s\": got %s, want %s (%s)", cases[i].value, pr_code_slug(rc),
                     pr_code_slug(cases[i].rc), rc == PR_OK ? "" : err.message);
        if (rc != PR_OK) {
            assert_int_equal(err.code, PR_INVALID);
            if (strlen(cases[i].value) > 1) /* never echoes the value */
                assert_null(strstr(err.message, cases[i].value));
            continue;
        }
        if (cases[i].at.year != 0) {
            const struct date *at = &cases[i].at;

            expected = utc_ms(at->year, at->month, at->day, at->hour, at->minute, at->second) -
                       cases[i].now_ms;
            if (expected < 0)
                expected = 0;
        }
        if (delay != expected)
            fail_msg("\"%s\": delay %lld, want %lld", cases[i].value, (long long)delay,
                     (long long)expected);
    }
}

static void test_retry_after_not_nul_terminated(void **state)
{
    struct pr_error err;
    int64_t delay = -1;

    (void)state;
    /* the length decides, not a NUL: "1205" read as 3 bytes is 120 s */
    assert_int_equal(retry_after_parse("1205", 3, NOW_2025, &delay, &err), PR_OK);
    assert_int_equal(delay, 120000);
    assert_int_equal(retry_after_parse("12\0", 3, NOW_2025, &delay, &err), PR_INVALID);
    assert_int_equal(retry_after_parse(NULL, 0, NOW_2025, &delay, &err), PR_INVALID);
    /* an IMF-fixdate cut short one byte before its end */
    assert_int_equal(retry_after_parse("Wed, 01 Jan 2025 00:02:00 GMT", 28, NOW_2025, &delay, &err),
                     PR_INVALID);
}

/* The hand-written calendar against timegm: random instants from 1970 to 9999 formatted in
 * the three date forms parse back to themselves. */
static void test_http_date_matches_timegm(void **state)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const days_long[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    const int64_t max_s = INT64_C(253402300799); /* 9999-12-31T23:59:59Z */
    uint64_t rng = 2025;
    int n;

    (void)state;
    for (n = 0; n < 20000; n++) {
        time_t t = (time_t)(splitmix64(&rng) % (uint64_t)(max_s + 1));
        struct tm tm;
        char imf[64], rfc850[64], asc[64];
        int64_t delay, now_ms;
        struct pr_error err;

        assert_non_null(gmtime_r(&t, &tm));
        assert_true(snprintf(imf, sizeof imf, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                             days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900,
                             tm.tm_hour, tm.tm_min, tm.tm_sec) < (int)sizeof imf);
        assert_true(snprintf(asc, sizeof asc, "%s %s %2d %02d:%02d:%02d %04d", days[tm.tm_wday],
                             months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                             tm.tm_year + 1900) < (int)sizeof asc);
        assert_true(snprintf(rfc850, sizeof rfc850, "%s, %02d-%s-%02d %02d:%02d:%02d GMT",
                             days_long[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
                             (tm.tm_year + 1900) % 100, tm.tm_hour, tm.tm_min,
                             tm.tm_sec) < (int)sizeof rfc850);

        assert_int_equal(retry_after_parse(imf, strlen(imf), 0, &delay, &err), PR_OK);
        assert_int_equal(delay, (int64_t)t * 1000);
        assert_int_equal(retry_after_parse(asc, strlen(asc), 0, &delay, &err), PR_OK);
        assert_int_equal(delay, (int64_t)t * 1000);
        /* RFC 850 seen from the first day of the same year: within the 50-year window */
        now_ms = utc_ms(tm.tm_year + 1900, 1, 1, 0, 0, 0);
        assert_int_equal(retry_after_parse(rfc850, strlen(rfc850), now_ms, &delay, &err), PR_OK);
        assert_int_equal(delay, (int64_t)t * 1000 - now_ms);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_classes),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_backoff_bound),
        cmocka_unit_test(test_backoff_within_bounds),
        cmocka_unit_test(test_backoff_jitter_covers_range),
        cmocka_unit_test(test_backoff_cap),
        cmocka_unit_test(test_decide_table),
        cmocka_unit_test(test_decide_exhaustion_edges),
        cmocka_unit_test(test_decide_clamps_retry_after),
        cmocka_unit_test(test_retry_after_vectors),
        cmocka_unit_test(test_retry_after_not_nul_terminated),
        cmocka_unit_test(test_http_date_matches_timegm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
