/*
 * Cron expressions with an IANA time zone: parsing, next fire time and the missed-run rule.
 * Pure functions; time-zone arithmetic is ICU's (ucal), everything else is plain integer code.
 *
 * Syntax: the five standard fields "minute hour day-of-month month day-of-week", each `*`, a
 * number, a range `a-b`, a step (`*` or `a-b` followed by `/n`, or `a/n` meaning a-MAX/n), or a
 * comma list of these;
 * months JAN-DEC and weekdays SUN-SAT by name (any case), 0 and 7 both Sunday; and the macros
 * @yearly/@annually, @monthly, @weekly, @daily/@midnight, @hourly. Vixie-cron's day rule: when
 * both day fields are restricted (neither is `*`) a day matches if EITHER matches.
 *
 * Time zones and DST (docs/schedules.md): the expression is matched against local wall-clock
 * times of the zone. A local time skipped by a spring-forward gap fires once, at the first
 * instant after the gap (the transition); a local time that occurs twice on a fall-back day
 * fires once, at its first occurrence. All instants are UTC epoch milliseconds.
 */
#ifndef PROSPECT_CORE_CRON_H
#define PROSPECT_CORE_CRON_H

#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A parsed expression: one bit per allowed value. */
struct cron_expr {
    uint64_t minutes;       /* bit m: minute m, 0-59 */
    uint32_t hours;         /* bit h: hour h, 0-23 */
    uint32_t days_of_month; /* bit d: day d, 1-31 */
    uint16_t months;        /* bit m: month m, 1-12 */
    uint8_t days_of_week;   /* bit w: weekday w, 0-6, 0 = Sunday (7 is folded into 0) */
    bool is_dom_star;       /* day-of-month was written `*` (step 1 at most) */
    bool is_dow_star;       /* day-of-week was written `*` (step 1 at most) */
};

/* Longest cron_format output, NUL included. */
#define CRON_FORMAT_MAX 256

/* Longest accepted expression and time-zone name, in bytes. */
#define CRON_TEXT_MAX 1024
#define CRON_TZ_MAX   64

/* Parses `len` bytes of `text` (need not be NUL-terminated; surrounding white space is
 * ignored) into `out`. PR_INVALID names the field and the bad token, e.g. "cron: hour: 25 is
 * out of range 0-23", with a hint; `out` is then unspecified. */
enum pr_code cron_parse(const char *text, size_t len, struct cron_expr *out, struct pr_error *err);

/* Writes a canonical five-field form of `e` into `out` (lists and ranges, steps expanded,
 * names as numbers), always NUL-terminated; CRON_FORMAT_MAX bytes always suffice. Parsing
 * the result gives back an identical `struct cron_expr`. */
void cron_format(const struct cron_expr *e, char *out, size_t out_size);

/* True when `tz_name` is a known IANA zone id (canonical or a link such as "US/Eastern"),
 * checked with ICU. Custom ids ("GMT+05:00") and "Etc/Unknown" are refused. */
bool cron_zone_is_valid(const char *tz_name);

/* The first fire time strictly after `after_ms`, interpreting `e` in the zone `tz_name`, into
 * `*next_ms`. PR_INVALID for an unknown zone, for `after_ms` outside 1970-01-01..9999-12-31,
 * and "never fires" for an expression that matches no existing date (`0 0 30 2 *`). The
 * search advances field by field and is bounded (a little over 8 years, the longest gap
 * between two 29ths of February), so it always ends quickly. */
enum pr_code cron_next(const struct cron_expr *e, const char *tz_name, int64_t after_ms,
                       int64_t *next_ms, struct pr_error *err);

/* The missed-run rule: sets `*has_missed` when at least one fire time lies in
 * (last_run_ms, now_ms], and then `*latest_missed_ms` to the latest of them (otherwise it is
 * left at 0), so a scheduler that was down runs the schedule once, not once per missed slot.
 * `last_run_ms` is the last run, or the schedule's creation time if it never ran; a
 * `last_run_ms` >= `now_ms` (clock went back) reports nothing missed. Errors as cron_next. */
enum pr_code cron_missed(const struct cron_expr *e, const char *tz_name, int64_t last_run_ms,
                         int64_t now_ms, bool *has_missed, int64_t *latest_missed_ms,
                         struct pr_error *err);

#endif
