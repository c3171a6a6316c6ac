/*
 * Fuzz target for core/retry. retry_after_parse on arbitrary bytes, at a fixed clock and at a
 * clock taken from the input: it never crashes, gives PR_INVALID or a delay >= 0, is
 * deterministic, and a value of digits only parses to its seconds (saturated). The first 28
 * bytes, when present, also drive retry_backoff_ms and retry_decide: the delay stays within
 * [0, min(cap, base * 2^(attempt-1))] (checked against a naive doubling loop), the extreme
 * random values reach both ends, and the decision follows the class and attempt rules.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/retry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW_2025 INT64_C(1735689600000)

static void check(int ok)
{
    if (!ok)
        abort();
}

static uint64_t read_u64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = (v << 8) | p[i];
    return v;
}

static void check_parse(const char *text, size_t size, int64_t now_ms)
{
    struct pr_error err;
    int64_t delay = -1, again = -1;
    enum pr_code rc = retry_after_parse(text, size, now_ms, &delay, &err);

    if (rc != PR_OK) {
        check(rc == PR_INVALID && err.code == PR_INVALID);
        return;
    }
    check(delay >= 0);
    check(retry_after_parse(text, size, now_ms, &again, &err) == PR_OK && again == delay);
}

static void check_digits(const char *text, size_t size)
{
    struct pr_error err;
    uint64_t seconds = 0;
    int64_t delay;
    size_t i;

    if (size == 0)
        return;
    for (i = 0; i < size; i++) {
        if (text[i] < '0' || text[i] > '9')
            return;
        if (seconds <= UINT64_MAX / 100)
            seconds = seconds * 10 + (uint64_t)(text[i] - '0');
    }
    check(retry_after_parse(text, size, NOW_2025, &delay, &err) == PR_OK);
    if (seconds > (uint64_t)(INT64_MAX / 1000))
        check(delay == INT64_MAX);
    else
        check(delay == (int64_t)seconds * 1000);
}

static int64_t naive_bound(int64_t base, int64_t cap, int attempt)
{
    int64_t bound = base;
    int i;

    if (base <= 0 || cap <= 0)
        return 0;
    if (cap < base)
        return cap;
    for (i = 1; i < attempt; i++) {
        if (bound > cap / 2)
            return cap;
        bound *= 2;
    }
    return bound < cap ? bound : cap;
}

static void check_backoff(const uint8_t *data)
{
    struct retry_policy p = retry_policy_default();
    struct retry_decision d;
    uint64_t random_u64 = read_u64(data + 16);
    /* attempt from 4 bytes, so huge and negative attempts are reached too */
    int attempt = (int)(int32_t)(uint32_t)(read_u64(data + 20) >> 32);
    enum retry_class cls = (enum retry_class)(data[24] % (RETRY_CLASS_COUNT + 1));
    int64_t bound, delay;

    p.base_ms = (int64_t)(read_u64(data) >> 1 >> (data[25] & 63)); /* >= 0: negation is safe */
    p.cap_ms = (int64_t)(read_u64(data + 8) >> 1 >> (data[26] & 63));
    p.max_attempts = data[27];
    if (data[24] & 0x80) {
        p.base_ms = -p.base_ms;
        p.cap_ms = -p.cap_ms;
    }
    bound = retry_backoff_bound_ms(&p, attempt);
    check(bound == naive_bound(p.base_ms, p.cap_ms, attempt < 1 ? 1 : attempt));
    delay = retry_backoff_ms(&p, attempt, random_u64);
    check(delay >= 0 && delay <= bound);
    check(retry_backoff_ms(&p, attempt, 0) == 0);
    check(retry_backoff_ms(&p, attempt, UINT64_MAX) == bound);

    retry_decide(&p, cls, attempt, false, 0, random_u64, &d);
    check(d.delay_ms >= 0);
    if (!retry_class_retries(cls) || attempt >= p.max_attempts) {
        check(d.action == RETRY_ACTION_DISCARD && d.delay_ms == 0);
    } else {
        check(d.action == RETRY_ACTION_RETRY && d.delay_ms == delay);
        retry_decide(&p, cls, attempt, true, (int64_t)random_u64, random_u64, &d);
        check(d.action == RETRY_ACTION_RETRY && d.reason == RETRY_REASON_RETRY_AFTER);
        check(d.delay_ms >= p.retry_after_min_ms && d.delay_ms <= p.retry_after_max_ms);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;

    check_parse(text, size, NOW_2025);
    check_digits(text, size);
    if (size >= 8) {
        check_parse(text + 8, size - 8, (int64_t)read_u64(data));
        check_parse(text, size, (int64_t)read_u64(data));
    }
    if (size >= 28)
        check_backoff(data);
    return 0;
}
