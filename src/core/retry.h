/*
 * Retry decisions for failed job attempts: error classes, capped exponential backoff with full
 * jitter, and the Retry-After header (RFC 9110 §10.2.3). Pure functions: the caller passes in
 * the random value and the current time, so tests and the job queue's fake clock can replay
 * every decision exactly.
 *
 * Backoff follows AWS's "Exponential Backoff and Jitter", Full Jitter variant: after the n-th
 * failed attempt wait a uniform random time in [0, min(cap, base * 2^(n-1))]. Full jitter
 * spreads retries of jobs that failed together (a provider outage) instead of sending them
 * back in synchronized waves.
 *
 * A Retry-After from the server wins over the backoff: the job waits the full value, clamped
 * to [retry_after_min_ms, retry_after_max_ms] so a server cannot make us retry in a tight loop
 * or park a job for a year.
 */
#ifndef PROSPECT_CORE_RETRY_H
#define PROSPECT_CORE_RETRY_H

#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum retry_class {
#define RETRY_ERROR_CLASS(id, name, retries) RETRY_CLASS_##id,
#include "error_classes.def"
#undef RETRY_ERROR_CLASS
    RETRY_CLASS_COUNT
};

/* The stable text form of a class ("transient", "rate_limited", ...); "unknown" for a value
 * outside the enum. Never NULL; the string is static. */
const char *retry_class_name(enum retry_class cls);

/* Parses a class name (ASCII case-insensitive, exact otherwise). PR_INVALID names the unknown
 * text and lists the valid names in the hint. */
enum pr_code retry_class_parse(const char *text, enum retry_class *out, struct pr_error *err);

/* True for the classes that are retried (transient, rate_limited); false for auth, permanent,
 * duplicate and for values outside the enum. */
bool retry_class_retries(enum retry_class cls);

struct retry_policy {
    int64_t base_ms;            /* backoff bound after the first failure */
    int64_t cap_ms;             /* the backoff bound never exceeds this */
    int max_attempts;           /* attempts in total, the first one included */
    int64_t retry_after_min_ms; /* a Retry-After is raised to at least this */
    int64_t retry_after_max_ms; /* and lowered to at most this */
};

/* The default policy: base 1 s, cap 1 h, 25 attempts, Retry-After clamped to [1 s, 6 h].
 * The bound reaches the cap at the 13th failure; a job that keeps failing is dead-lettered
 * after its 25th attempt, having waited about 6.6 h in total on average and 13.1 h at most
 * (24 backoffs: bounds 1 s ... 2048 s, then 12 of 1 h; the mean of each is half its bound). */
#define RETRY_DEFAULT_BASE_MS            1000
#define RETRY_DEFAULT_CAP_MS             (60 * 60 * 1000)
#define RETRY_DEFAULT_MAX_ATTEMPTS       25
#define RETRY_DEFAULT_RETRY_AFTER_MIN_MS 1000
#define RETRY_DEFAULT_RETRY_AFTER_MAX_MS (6 * 60 * 60 * 1000)

/* Returns the default policy above. */
struct retry_policy retry_policy_default(void);

/* Checks a policy read from configuration: base_ms > 0, cap_ms >= base_ms, max_attempts >= 1,
 * 0 <= retry_after_min_ms <= retry_after_max_ms. PR_CONFIG names the first broken rule. The
 * functions below never fail on a bad policy (they clamp), but their results are then of
 * little use. */
enum pr_code retry_policy_check(const struct retry_policy *policy, struct pr_error *err);

/* The backoff bound after failed attempt `attempt` (1-based): min(cap, base * 2^(attempt-1)),
 * computed without overflow for any attempt. An attempt below 1 counts as 1; a negative base
 * or cap counts as 0. */
int64_t retry_backoff_bound_ms(const struct retry_policy *policy, int attempt);

/* The full-jitter delay after failed attempt `attempt`: uniform in
 * [0, retry_backoff_bound_ms(policy, attempt)], both ends included, drawn from `random_u64`
 * (any uniformly random 64-bit value; the caller owns the generator). */
int64_t retry_backoff_ms(const struct retry_policy *policy, int attempt, uint64_t random_u64);

enum retry_action {
    RETRY_ACTION_RETRY,   /* run the job again after delay_ms */
    RETRY_ACTION_DISCARD, /* move the job to the dead-letter state */
};

enum retry_reason {
    RETRY_REASON_BACKOFF,       /* retry after the jittered backoff */
    RETRY_REASON_RETRY_AFTER,   /* retry after the server's (clamped) Retry-After */
    RETRY_REASON_NOT_RETRYABLE, /* the class never retries */
    RETRY_REASON_EXHAUSTED,     /* the failed attempt was the last one allowed */
};

struct retry_decision {
    enum retry_action action;
    enum retry_reason reason;
    int64_t delay_ms; /* >= 0; 0 when discarding */
};

/* Decides what happens after attempt `attempt` (1-based) failed with class `cls`:
 * - a class that does not retry is discarded at once, whatever the attempt;
 * - attempt >= max_attempts is discarded (exhausted);
 * - otherwise the job retries: after the Retry-After when `has_retry_after` (clamped to
 *   [retry_after_min_ms, retry_after_max_ms]: never less than the server asked unless that
 *   exceeds the maximum), else after retry_backoff_ms(policy, attempt, random_u64).
 * Retry-After is honoured for both retrying classes: RFC 9110 defines it for 503 (transient)
 * as well as 429 (rate_limited). A class outside the enum is treated as permanent. */
void retry_decide(const struct retry_policy *policy, enum retry_class cls, int attempt,
                  bool has_retry_after, int64_t retry_after_ms, uint64_t random_u64,
                  struct retry_decision *out);

/* Parses a Retry-After field value (RFC 9110 §10.2.3) of `len` bytes (not NUL-terminated;
 * NUL bytes are just invalid characters) into a delay from `now_ms` (Unix time in ms):
 * - delay-seconds: 1*DIGIT, no sign, no fraction; values past INT64_MAX ms saturate;
 * - HTTP-date in any of the three forms RFC 9110 §5.6.7 obliges recipients to accept:
 *   IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", obsolete RFC 850
 *   "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit year read within 50 years of now's year, as
 *   §5.6.7 requires) and asctime "Sun Nov  6 08:49:37 1994". Case-sensitive, as the grammar
 *   says. A date at or before now gives 0. Second 60 (leap second) is accepted. The day name
 *   must be one of the seven but is not checked against the date: it carries no information,
 *   and curl, Go and Python's email.utils ignore it too, so a server's wrong weekday does not
 *   cost us its retry hint.
 * Leading and trailing OWS (spaces, tabs) is allowed. On success *delay_ms >= 0. PR_INVALID for
 * anything else (empty, sign, fraction, garbage, impossible dates such as Feb 30 or hour 24);
 * the message does not echo the (untrusted) value. */
enum pr_code retry_after_parse(const char *value, size_t len, int64_t now_ms, int64_t *delay_ms,
                               struct pr_error *err);

#endif
