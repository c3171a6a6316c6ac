/*
 * Error classes, full-jitter backoff and Retry-After parsing.
 *
 * The HTTP-date parser is hand-written because the C library has nothing fit: strptime and
 * timegm/mktime depend on the locale (day and month names) and on global time-zone state
 * (TZ, tzset), neither belongs in a pure module, and none of them applies RFC 9110's 50-year
 * rule for two-digit years. The civil-date arithmetic is Howard Hinnant's days_from_civil,
 * exact for the proleptic Gregorian calendar, which is what HTTP-date uses.
 */
#include "core/retry.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *name;
    bool retries;
} class_table[] = {
#define RETRY_ERROR_CLASS(id, name, retries) [RETRY_CLASS_##id] = {name, retries},
#include "error_classes.def"
#undef RETRY_ERROR_CLASS
};

const char *retry_class_name(enum retry_class cls)
{
    if ((unsigned)cls >= RETRY_CLASS_COUNT)
        return "unknown";
    return class_table[cls].name;
}

enum pr_code retry_class_parse(const char *text, enum retry_class *out, struct pr_error *err)
{
    size_t i;

    for (i = 0; text != NULL && i < RETRY_CLASS_COUNT; i++) {
        if (strcasecmp(text, class_table[i].name) == 0) {
            *out = (enum retry_class)i;
            return PR_OK;
        }
    }
    pr_error_set(err, PR_INVALID, "unknown error class \"%.40s\"", text != NULL ? text : "");
    return pr_error_hint(err, "valid classes are transient, rate_limited, auth, permanent, "
                              "duplicate");
}

bool retry_class_retries(enum retry_class cls)
{
    return (unsigned)cls < RETRY_CLASS_COUNT && class_table[cls].retries;
}

struct retry_policy retry_policy_default(void)
{
    struct retry_policy policy = {
        .base_ms = RETRY_DEFAULT_BASE_MS,
        .cap_ms = RETRY_DEFAULT_CAP_MS,
        .max_attempts = RETRY_DEFAULT_MAX_ATTEMPTS,
        .retry_after_min_ms = RETRY_DEFAULT_RETRY_AFTER_MIN_MS,
        .retry_after_max_ms = RETRY_DEFAULT_RETRY_AFTER_MAX_MS,
    };
    return policy;
}

enum pr_code retry_policy_check(const struct retry_policy *policy, struct pr_error *err)
{
    if (policy->base_ms <= 0)
        return pr_error_set(err, PR_CONFIG, "retry base delay must be positive");
    if (policy->cap_ms < policy->base_ms)
        return pr_error_set(err, PR_CONFIG, "retry cap must be at least the base delay");
    if (policy->max_attempts < 1)
        return pr_error_set(err, PR_CONFIG, "retry max attempts must be at least 1");
    if (policy->retry_after_min_ms < 0)
        return pr_error_set(err, PR_CONFIG, "Retry-After minimum must not be negative");
    if (policy->retry_after_max_ms < policy->retry_after_min_ms)
        return pr_error_set(err, PR_CONFIG, "Retry-After maximum must be at least the minimum");
    return PR_OK;
}

int64_t retry_backoff_bound_ms(const struct retry_policy *policy, int attempt)
{
    int64_t base = policy->base_ms > 0 ? policy->base_ms : 0;
    int64_t cap = policy->cap_ms > 0 ? policy->cap_ms : 0;
    int shift = attempt > 1 ? attempt - 1 : 0;

    if (base == 0)
        return 0;
    /* base * 2^shift > cap  <=>  base > floor(cap / 2^shift): compare without multiplying,
     * so no attempt number can overflow. */
    if (shift >= 63 || base > (cap >> shift))
        return cap;
    return base << shift;
}

/* High 64 bits of the 128-bit product a * b, in portable C (no __int128 under -Wpedantic). */
static uint64_t mul_high_u64(uint64_t a, uint64_t b)
{
    uint64_t a_lo = (uint32_t)a, a_hi = a >> 32, b_lo = (uint32_t)b, b_hi = b >> 32;
    uint64_t lo_lo = a_lo * b_lo, hi_lo = a_hi * b_lo, lo_hi = a_lo * b_hi, hi_hi = a_hi * b_hi;
    uint64_t cross = (lo_lo >> 32) + (uint32_t)hi_lo + lo_hi; /* cannot overflow */

    return hi_hi + (hi_lo >> 32) + (cross >> 32);
}

int64_t retry_backoff_ms(const struct retry_policy *policy, int attempt, uint64_t random_u64)
{
    uint64_t bound = (uint64_t)retry_backoff_bound_ms(policy, attempt);

    /* Scale instead of taking a modulo (Lemire's multiply-shift): floor(r * (bound + 1) / 2^64)
     * maps [0, 2^64) onto [0, bound] monotonically, r = 0 gives 0 and r = UINT64_MAX gives
     * bound. Each output gets floor or ceil of 2^64 / (bound + 1) inputs, so the bias is below
     * (bound + 1) / 2^64: under 2^-32 for any bound under 49 days. bound + 1 <= 2^63. */
    return (int64_t)mul_high_u64(random_u64, bound + 1);
}

void retry_decide(const struct retry_policy *policy, enum retry_class cls, int attempt,
                  bool has_retry_after, int64_t retry_after_ms, uint64_t random_u64,
                  struct retry_decision *out)
{
    out->delay_ms = 0;
    out->action = RETRY_ACTION_DISCARD;
    if (!retry_class_retries(cls)) {
        out->reason = RETRY_REASON_NOT_RETRYABLE;
        return;
    }
    if (attempt >= policy->max_attempts) {
        out->reason = RETRY_REASON_EXHAUSTED;
        return;
    }
    out->action = RETRY_ACTION_RETRY;
    if (has_retry_after) {
        int64_t delay = retry_after_ms;

        /* Maximum first, then minimum: with a (misconfigured) min > max the minimum wins, so
         * a server is never retried sooner than the configured floor. */
        if (delay > policy->retry_after_max_ms)
            delay = policy->retry_after_max_ms;
        if (delay < policy->retry_after_min_ms)
            delay = policy->retry_after_min_ms;
        out->reason = RETRY_REASON_RETRY_AFTER;
        out->delay_ms = delay > 0 ? delay : 0;
        return;
    }
    out->reason = RETRY_REASON_BACKOFF;
    out->delay_ms = retry_backoff_ms(policy, attempt, random_u64);
}

/* ---- Retry-After ---- */

#define MS_PER_DAY (INT64_C(86400) * 1000)

static const char *const day_names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
static const char *const day_names_long[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                             "Friday", "Saturday", "Sunday"};
static const char *const month_names[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* A cursor over the value. Each step checks the next bytes and clears `ok` on a mismatch, so a
 * grammar reads as a straight sequence of steps with one check at the end. */
struct cursor {
    const char *p;
    size_t len;
    size_t pos;
    bool ok;
};

static void take_char(struct cursor *c, char ch)
{
    if (c->ok && c->pos < c->len && c->p[c->pos] == ch)
        c->pos++;
    else
        c->ok = false;
}

static int take_digits(struct cursor *c, size_t n_digits)
{
    int value = 0;
    size_t i;

    for (i = 0; c->ok && i < n_digits; i++) {
        char ch = c->pos < c->len ? c->p[c->pos] : '\0';

        if (ch < '0' || ch > '9') {
            c->ok = false;
            break;
        }
        value = value * 10 + (ch - '0');
        c->pos++;
    }
    return value;
}

/* Index of the name in `names` that the cursor is at (exact, case-sensitive), or -1. No name of
 * a table is a prefix of another, so the first match is the only one. */
static int take_name(struct cursor *c, const char *const *names, size_t n_names)
{
    size_t i;

    for (i = 0; c->ok && i < n_names; i++) {
        size_t name_len = strlen(names[i]);

        if (c->len - c->pos >= name_len && memcmp(c->p + c->pos, names[i], name_len) == 0) {
            c->pos += name_len;
            return (int)i;
        }
    }
    c->ok = false;
    return -1;
}

/* "HH:MM:SS" as seconds of the day; range-checked by the caller. */
static void take_time(struct cursor *c, int *hour, int *minute, int *second)
{
    *hour = take_digits(c, 2);
    take_char(c, ':');
    *minute = take_digits(c, 2);
    take_char(c, ':');
    *second = take_digits(c, 2);
}

static bool is_leap_year(int64_t y)
{
    return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int days_in_month(int64_t y, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return month == 2 && is_leap_year(y) ? 29 : days[month - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant, "chrono-Compatible Low-Level
 * Date Algorithms"); month 1-12, day 1-31. */
static int64_t days_from_civil(int64_t y, int month, int day)
{
    int64_t era, yoe, doy, doe;

    y -= month <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The proleptic Gregorian year of a day number (the inverse of days_from_civil, year only). */
static int64_t year_from_days(int64_t z)
{
    int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    return yoe + era * 400 + (mp >= 10); /* months Jan, Feb belong to the next year */
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b < 0) ? q - 1 : q;
}

/* RFC 9110 §5.6.7: a two-digit year that "appears to be more than 50 years in the future" is
 * the most recent past year with those digits. So the year lies in [now - 49, now + 50]. */
static int64_t year_from_two_digits(int yy, int64_t now_ms)
{
    int64_t now_year = year_from_days(floor_div(now_ms, MS_PER_DAY));
    int64_t year = now_year - (now_year % 100 + 100) % 100 + yy;

    if (year > now_year + 50)
        year -= 100;
    else if (year < now_year - 49)
        year += 100;
    return year;
}

static enum pr_code parse_delay_seconds(struct cursor *c, int64_t *delay_ms, struct pr_error *err)
{
    uint64_t seconds = 0;
    bool saturated = false;

    for (; c->pos < c->len && c->p[c->pos] >= '0' && c->p[c->pos] <= '9'; c->pos++) {
        seconds = seconds * 10 + (uint64_t)(c->p[c->pos] - '0');
        if (seconds > (uint64_t)(INT64_MAX / 1000)) {
            saturated = true;
            seconds = (uint64_t)(INT64_MAX / 1000);
        }
    }
    if (c->pos != c->len)
        return pr_error_set(err, PR_INVALID, "Retry-After seconds must be digits only");
    *delay_ms = saturated ? INT64_MAX : (int64_t)seconds * 1000;
    return PR_OK;
}

static enum pr_code parse_http_date(struct cursor *c, int64_t now_ms, int64_t *delay_ms,
                                    struct pr_error *err)
{
    int64_t year, days, target_ms;
    int month, day, hour, minute, second;

    if (c->len - c->pos > 3 && c->p[c->pos + 3] == ',') {
        /* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
        take_name(c, day_names, 7);
        take_char(c, ',');
        take_char(c, ' ');
        day = take_digits(c, 2);
        take_char(c, ' ');
        month = take_name(c, month_names, 12) + 1;
        take_char(c, ' ');
        year = take_digits(c, 4);
        take_char(c, ' ');
        take_time(c, &hour, &minute, &second);
        take_char(c, ' ');
        take_name(c, (const char *const[]){"GMT"}, 1);
    } else if (c->len - c->pos > 3 && c->p[c->pos + 3] == ' ') {
        /* asctime: Sun Nov  6 08:49:37 1994 (day is 2DIGIT or SP DIGIT) */
        take_name(c, day_names, 7);
        take_char(c, ' ');
        month = take_name(c, month_names, 12) + 1;
        take_char(c, ' ');
        if (c->pos < c->len && c->p[c->pos] == ' ') {
            c->pos++;
            day = take_digits(c, 1);
        } else {
            day = take_digits(c, 2);
        }
        take_char(c, ' ');
        take_time(c, &hour, &minute, &second);
        take_char(c, ' ');
        year = take_digits(c, 4);
    } else {
        /* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT */
        take_name(c, day_names_long, 7);
        take_char(c, ',');
        take_char(c, ' ');
        day = take_digits(c, 2);
        take_char(c, '-');
        month = take_name(c, month_names, 12) + 1;
        take_char(c, '-');
        year = year_from_two_digits(take_digits(c, 2), now_ms);
        take_char(c, ' ');
        take_time(c, &hour, &minute, &second);
        take_char(c, ' ');
        take_name(c, (const char *const[]){"GMT"}, 1);
    }
    if (!c->ok || c->pos != c->len)
        return pr_error_set(err, PR_INVALID,
                            "Retry-After is neither delay-seconds nor an HTTP-date");
    if (day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60)
        return pr_error_set(err, PR_INVALID, "Retry-After date does not exist");

    /* Saturating arithmetic: a two-digit year read near an extreme `now_ms` can lie beyond
     * the int64 range of milliseconds. */
    days = days_from_civil(year, month, day);
    if (__builtin_mul_overflow(days, MS_PER_DAY, &target_ms) ||
        __builtin_add_overflow(target_ms, ((int64_t)hour * 3600 + minute * 60 + second) * 1000,
                               &target_ms))
        target_ms = days < 0 ? INT64_MIN : INT64_MAX;
    if (target_ms <= now_ms)
        *delay_ms = 0;
    else if (__builtin_sub_overflow(target_ms, now_ms, delay_ms))
        *delay_ms = INT64_MAX;
    return PR_OK;
}

enum pr_code retry_after_parse(const char *value, size_t len, int64_t now_ms, int64_t *delay_ms,
                               struct pr_error *err)
{
    struct cursor c = {value, len, 0, true};

    /* OWS = *( SP / HTAB ) around the field value. */
    while (c.len > 0 && (value[c.len - 1] == ' ' || value[c.len - 1] == '\t'))
        c.len--;
    while (c.pos < c.len && (value[c.pos] == ' ' || value[c.pos] == '\t'))
        c.pos++;
    if (c.pos == c.len)
        return pr_error_set(err, PR_INVALID, "Retry-After is empty");
    if (value[c.pos] >= '0' && value[c.pos] <= '9')
        return parse_delay_seconds(&c, delay_ms, err);
    return parse_http_date(&c, now_ms, delay_ms, err);
}
