/*
 * Fuzz target for core/cron. The whole input is a cron expression; a hash of it picks the
 * instant `after` (1970..2130, or one of the 2026 DST changes of the zones below).
 *
 * Checks: cron_parse fails only with PR_INVALID and a "cron: " message with a hint; a parsed
 * expression formats to a canonical form that parses back to the same bits. Then in five zones
 * (UTC, New York, Berlin, Lord Howe's half-hour DST, Chatham's +12:45) cron_next either gives a
 * time > after on a whole minute (in UTC: one that matches the expression) or PR_INVALID
 * "never fires", and the latter exactly when the expression matches no real date. Finally
 * cron_missed agrees with cron_next: the window (after, next] holds exactly `next` as the
 * latest fire, and (after, next - 1 ms] holds none.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/cron.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static bool same(const struct cron_expr *a, const struct cron_expr *b)
{
    return a->minutes == b->minutes && a->hours == b->hours &&
           a->days_of_month == b->days_of_month && a->months == b->months &&
           a->days_of_week == b->days_of_week && a->is_dom_star == b->is_dom_star &&
           a->is_dow_star == b->is_dow_star;
}

/* True when some real date matches: only a restricted day-of-month with an unrestricted
 * day-of-week can fail (e.g. 30 February); otherwise every week has a matching day. */
static bool can_fire(const struct cron_expr *e)
{
    static const int max_days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int m, d;

    if (!e->is_dow_star || e->is_dom_star)
        return true;
    for (m = 1; m <= 12; m++)
        for (d = 1; d <= max_days[m - 1]; d++)
            if (((e->months >> m) & 1) && ((e->days_of_month >> d) & 1))
                return true;
    return false;
}

/* Civil UTC fields of `ms` (days-to-civil), weekday 0 = Sunday. */
static void utc_fields(int64_t ms, int *y, int *mo, int *d, int *h, int *mi, int *wd)
{
    int64_t days = ms / 86400000, rem = ms % 86400000;
    int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *mo = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*mo <= 2));
    *h = (int)(rem / 3600000);
    *mi = (int)(rem / 60000 % 60);
    *wd = (int)((days + 4) % 7);
}

static void check_utc_match(const struct cron_expr *e, int64_t ms)
{
    int y, mo, d, h, mi, wd;
    bool dom, dow;

    utc_fields(ms, &y, &mo, &d, &h, &mi, &wd);
    check((e->minutes >> mi) & 1);
    check((e->hours >> h) & 1);
    check((e->months >> mo) & 1);
    dom = (e->days_of_month >> d) & 1;
    dow = (e->days_of_week >> wd) & 1;
    check((!e->is_dom_star && !e->is_dow_star) ? (dom || dow) : (dom && dow));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const zones[] = {"UTC", "America/New_York", "Europe/Berlin",
                                        "Australia/Lord_Howe", "Pacific/Chatham"};
    static const int64_t dst_changes[] = {
        INT64_C(1772953140000), /* 2026-03-08T06:59:00Z, New York springs forward */
        INT64_C(1793510400000), /* 2026-11-01T05:20:00Z, New York's first 01:20 */
        INT64_C(1774746000000), /* 2026-03-29T01:00:00Z, Berlin springs forward */
        INT64_C(1792888200000), /* 2026-10-25T00:30:00Z, Berlin's first 02:30 */
    };
    struct cron_expr e, again;
    struct pr_error err;
    char text[CRON_FORMAT_MAX];
    uint64_t hash = 1469598103934665603u;
    int64_t after;
    size_t i;
    enum pr_code rc = cron_parse((const char *)data, size, &e, &err);

    if (rc != PR_OK) {
        check(rc == PR_INVALID && err.code == PR_INVALID);
        check(strncmp(err.message, "cron: ", 6) == 0 && err.hint[0] != '\0');
        return 0;
    }
    cron_format(&e, text, sizeof text);
    check(strlen(text) < sizeof text - 1);
    check(cron_parse(text, strlen(text), &again, &err) == PR_OK && same(&e, &again));

    for (i = 0; i < size; i++)
        hash = (hash ^ data[i]) * 1099511628211u;
    if (hash % 3 == 0)
        after = dst_changes[(hash >> 8) % 4] + (int64_t)((hash >> 16) % 7200000);
    else
        after = (int64_t)((hash >> 2) % UINT64_C(5049000000000)); /* 1970 .. 2130 */

    for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
        int64_t next = 0, latest = 0;
        bool has_missed = true;

        rc = cron_next(&e, zones[i], after, &next, &err);
        if (rc != PR_OK) {
            check(rc == PR_INVALID && strstr(err.message, "never fires") != NULL);
            check(!can_fire(&e));
            continue;
        }
        check(can_fire(&e));
        check(next > after && next % 60000 == 0);
        check(next - after <= INT64_C(9) * 366 * 86400000);
        if (i == 0)
            check_utc_match(&e, next);
        check(cron_missed(&e, zones[i], after, next, &has_missed, &latest, &err) == PR_OK);
        check(has_missed && latest == next);
        check(cron_missed(&e, zones[i], after, next - 1, &has_missed, &latest, &err) == PR_OK);
        check(!has_missed);
    }
    return 0;
}
