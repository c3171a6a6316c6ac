/*
 * Cron expressions: a small hand-written parser (Debian ships no C cron-expression library;
 * cronie's parser lives inside its daemon) into bit sets, and a next-fire search that works on
 * local civil date-times with plain integer arithmetic, asking ICU only to turn a local
 * wall-clock minute into a UTC instant (and the start instant into a wall-clock minute).
 *
 * Why the search is correct across DST. Let F(W) be the instant at which the local minute W
 * fires: the unique instant when W exists once, the first occurrence when it exists twice
 * (UCAL_WALLTIME_FIRST), and the transition instant when a gap skips it
 * (UCAL_WALLTIME_NEXT_VALID). F never decreases as W grows, and every W up to the wall-clock
 * minute of `after` has F(W) <= after. So the answer is F of the first matching W after that
 * minute whose F is > after: only minutes inside a fall-back overlap can have F <= after and
 * are skipped one by one (at most the overlap's length). Several gap minutes and the first
 * minute after the gap share one instant, so such a schedule fires once there, not twice.
 */
#include "core/cron.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucal.h>
#include <unicode/ustring.h>

enum { FIELD_MINUTE, FIELD_HOUR, FIELD_DOM, FIELD_MONTH, FIELD_DOW, N_FIELDS };

static const char *const month_names[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                          "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const weekday_names[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

static const struct field_spec {
    const char *name;
    int min, max;             /* accepted values (day-of-week accepts 7 for Sunday) */
    int last;                 /* the field's last value, the end of `*` and `a/n` */
    int names_base;           /* value of names[0] */
    const char *const *names; /* 3-letter names, or NULL */
    size_t n_names;
    const char *hint;
} fields[N_FIELDS] = {
    {"minute", 0, 59, 59, 0, NULL, 0, "minutes are 0-59"},
    {"hour", 0, 23, 23, 0, NULL, 0, "hours are 0-23"},
    {"day-of-month", 1, 31, 31, 0, NULL, 0, "days of the month are 1-31"},
    {"month", 1, 12, 12, 1, month_names, 12, "months are 1-12 or JAN-DEC"},
    {"day-of-week", 0, 7, 6, 0, weekday_names, 7,
     "weekdays are 0-7 (0 and 7 are Sunday) or SUN-SAT"},
};

static const struct {
    const char *name;
    const char *expansion;
} macros[] = {
    {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
    {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
    {"@hourly", "0 * * * *"},
};

/* Supported instants: 1970-01-01T00:00Z .. 9999-12-31T23:59:59.999Z. */
#define CRON_MS_MIN INT64_C(0)
#define CRON_MS_MAX INT64_C(253402300799999)
/* The longest gap between two fire times of a satisfiable expression is 8 years (29 February
 * from 2096 to 2104); one more year of margin. */
#define CRON_SEARCH_YEARS 9

/* Copies up to 32 bytes of a token for an error message, printable ASCII only. */
static void token_text(const char *p, size_t len, char out[40])
{
    size_t i, n = len > 32 ? 32 : len;

    for (i = 0; i < n; i++)
        out[i] = (p[i] >= 0x20 && p[i] < 0x7f) ? p[i] : '?';
    if (len > n) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

static enum pr_code field_error(struct pr_error *err, const struct field_spec *f, const char *what,
                                const char *p, size_t len)
{
    char token[40];

    token_text(p, len, token);
    pr_error_set(err, PR_INVALID, "cron: %s: %s%s", f->name, token, what);
    return pr_error_hint(err, "%s; write a value, a range a-b, a step */n or a-b/n, or a list",
                         f->hint);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Parses one value (number or name) of `len` bytes. */
static enum pr_code parse_value(const struct field_spec *f, const char *p, size_t len, int *out,
                                struct pr_error *err)
{
    size_t i;
    long v = 0;

    if (len == 0)
        return field_error(err, f, "(empty value) is not a value", "", 0);
    if (is_alpha(p[0])) {
        for (i = 0; f->names != NULL && len == 3 && i < f->n_names; i++) {
            if (strncasecmp(p, f->names[i], 3) == 0) {
                *out = f->names_base + (int)i;
                return PR_OK;
            }
        }
        if (f->names == NULL)
            return field_error(err, f, " is not a number", p, len);
        return field_error(
            err, f, f == &fields[FIELD_MONTH] ? " is not a month name" : " is not a weekday name",
            p, len);
    }
    for (i = 0; i < len; i++) {
        if (!is_digit(p[i]))
            return field_error(err, f, " is not a number", p, len);
        if (v < 100000)
            v = v * 10 + (p[i] - '0');
    }
    if (v < f->min || v > f->max) {
        char what[48];
        snprintf(what, sizeof what, " is out of range %d-%d", f->min, f->max);
        return field_error(err, f, what, p, len);
    }
    *out = (int)v;
    return PR_OK;
}

/* Parses one list item (`*`, a, a-b, each optionally /n) and sets its bits in `*bits`. */
static enum pr_code parse_item(const struct field_spec *f, const char *p, size_t len,
                               uint64_t *bits, bool *is_star, struct pr_error *err)
{
    const char *slash = memchr(p, '/', len);
    size_t base_len = slash != NULL ? (size_t)(slash - p) : len;
    int lo, hi, step = 1, v;
    enum pr_code rc;

    *is_star = false;
    if (slash != NULL) {
        const char *s = slash + 1;
        size_t s_len = len - base_len - 1, i;
        long n = 0;

        if (s_len == 0)
            return field_error(err, f, " has an empty step", p, len);
        for (i = 0; i < s_len; i++) {
            if (!is_digit(s[i]))
                return field_error(err, f, " is not a number (step)", s, s_len);
            if (n < 100000)
                n = n * 10 + (s[i] - '0');
        }
        if (n < 1 || n > f->last - f->min + 1) {
            char what[48];
            snprintf(what, sizeof what, " is out of range 1-%d (step)", f->last - f->min + 1);
            return field_error(err, f, what, s, s_len);
        }
        step = (int)n;
    }
    if (base_len == 1 && p[0] == '*') {
        lo = f->min;
        hi = f->last;
        *is_star = step == 1;
    } else {
        const char *dash = memchr(p, '-', base_len);
        size_t lo_len = dash != NULL ? (size_t)(dash - p) : base_len;

        rc = parse_value(f, p, lo_len, &lo, err);
        if (rc != PR_OK)
            return rc;
        if (dash != NULL) {
            rc = parse_value(f, dash + 1, base_len - lo_len - 1, &hi, err);
            if (rc != PR_OK)
                return rc;
            if (hi < lo) {
                field_error(err, f, " is a range that goes backwards", p, base_len);
                return pr_error_hint(err, "ranges do not wrap around; write a list instead%s",
                                     f == &fields[FIELD_DOW] ? " (or 7 for a Sunday at the end)"
                                                             : "");
            }
        } else {
            /* a/n means a through the field's last value, as most crons read it. */
            hi = slash != NULL ? (lo > f->last ? lo : f->last) : lo;
        }
    }
    for (v = lo; v <= hi; v += step)
        *bits |= UINT64_C(1) << (f == &fields[FIELD_DOW] && v == 7 ? 0 : v);
    return PR_OK;
}

/* Parses one field: a comma list of items. */
static enum pr_code parse_field(const struct field_spec *f, const char *p, size_t len,
                                uint64_t *bits, bool *is_star, struct pr_error *err)
{
    size_t start = 0;
    size_t n_items = 0;
    bool item_star = false;

    *bits = 0;
    for (;;) {
        const char *comma = memchr(p + start, ',', len - start);
        size_t end = comma != NULL ? (size_t)(comma - p) : len;
        enum pr_code rc;

        if (end == start)
            return field_error(err, f, "(empty list item) is not a value", "", 0);
        rc = parse_item(f, p + start, end - start, bits, &item_star, err);
        if (rc != PR_OK)
            return rc;
        n_items++;
        if (comma == NULL)
            break;
        start = end + 1;
    }
    *is_star = n_items == 1 && item_star;
    return PR_OK;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static enum pr_code parse_fields(const char *p, size_t len, struct cron_expr *out,
                                 struct pr_error *err)
{
    const char *starts[N_FIELDS];
    size_t lens[N_FIELDS];
    size_t i = 0, n = 0;
    uint64_t bits[N_FIELDS];
    bool is_star[N_FIELDS];
    int k;

    for (;;) {
        size_t start;

        while (i < len && is_space(p[i]))
            i++;
        if (i == len)
            break;
        start = i;
        while (i < len && !is_space(p[i]))
            i++;
        if (n < N_FIELDS) {
            starts[n] = p + start;
            lens[n] = i - start;
        }
        n++;
    }
    if (n != N_FIELDS) {
        pr_error_set(err, PR_INVALID,
                     "cron: expected 5 fields (minute hour day-of-month month day-of-week), got "
                     "%zu",
                     n);
        return pr_error_hint(err, "seconds and years are not supported; e.g. \"0 7 * * 1-5\" is "
                                  "07:00 on weekdays, or use @daily, @hourly...");
    }
    for (k = 0; k < N_FIELDS; k++) {
        enum pr_code rc = parse_field(&fields[k], starts[k], lens[k], &bits[k], &is_star[k], err);
        if (rc != PR_OK)
            return rc;
    }
    out->minutes = bits[FIELD_MINUTE];
    out->hours = (uint32_t)bits[FIELD_HOUR];
    out->days_of_month = (uint32_t)bits[FIELD_DOM];
    out->months = (uint16_t)bits[FIELD_MONTH];
    out->days_of_week = (uint8_t)bits[FIELD_DOW];
    out->is_dom_star = is_star[FIELD_DOM];
    out->is_dow_star = is_star[FIELD_DOW];
    return PR_OK;
}

enum pr_code cron_parse(const char *text, size_t len, struct cron_expr *out, struct pr_error *err)
{
    size_t i;

    pr_error_clear(err);
    memset(out, 0, sizeof *out);
    if (len > CRON_TEXT_MAX) {
        pr_error_set(err, PR_INVALID, "cron: expression is longer than %d bytes", CRON_TEXT_MAX);
        return pr_error_hint(err, "write a five-field expression such as \"0 7 * * 1-5\"");
    }
    while (len > 0 && is_space(text[0])) {
        text++;
        len--;
    }
    while (len > 0 && is_space(text[len - 1]))
        len--;
    if (len == 0) {
        pr_error_set(err, PR_INVALID, "cron: empty expression");
        return pr_error_hint(err, "write a five-field expression such as \"0 7 * * 1-5\"");
    }
    if (text[0] == '@') {
        char token[40];

        for (i = 0; i < sizeof macros / sizeof macros[0]; i++) {
            const char *m = macros[i].expansion;
            if (strlen(macros[i].name) == len && strncasecmp(text, macros[i].name, len) == 0)
                return parse_fields(m, strlen(m), out, err);
        }
        token_text(text, len, token);
        pr_error_set(err, PR_INVALID, "cron: unknown macro \"%s\"", token);
        return pr_error_hint(err, "macros are @yearly, @annually, @monthly, @weekly, @daily, "
                                  "@midnight and @hourly (@reboot is not supported)");
    }
    return parse_fields(text, len, out, err);
}

/* Appends one field in canonical form: `*` when unrestricted, otherwise runs as a or a-b. For
 * the day fields only a written `*` is unrestricted (Vixie's rule), so a full set that was
 * written as a range stays a range. */
static void format_field(uint64_t bits, int min, int max, bool is_star, char *out, size_t out_size,
                         size_t *pos)
{
    int v;
    bool first = true;

    if (*pos > 0 && *pos < out_size - 1)
        out[(*pos)++] = ' ';
    if (is_star) {
        if (*pos < out_size - 1)
            out[(*pos)++] = '*';
        out[*pos] = '\0';
        return;
    }
    for (v = min; v <= max; v++) {
        int end = v;
        int n;

        if (!(bits & (UINT64_C(1) << v)))
            continue;
        while (end < max && (bits & (UINT64_C(1) << (end + 1))))
            end++;
        if (end > v)
            n = snprintf(out + *pos, out_size - *pos, "%s%d-%d", first ? "" : ",", v, end);
        else
            n = snprintf(out + *pos, out_size - *pos, "%s%d", first ? "" : ",", v);
        if (n < 0 || (size_t)n >= out_size - *pos) {
            *pos = out_size - 1;
            return;
        }
        *pos += (size_t)n;
        first = false;
        v = end;
    }
}

void cron_format(const struct cron_expr *e, char *out, size_t out_size)
{
    size_t pos = 0;

    if (out_size == 0)
        return;
    out[0] = '\0';
    format_field(e->minutes, 0, 59, e->minutes == (UINT64_C(1) << 60) - 1, out, out_size, &pos);
    format_field(e->hours, 0, 23, e->hours == (UINT32_C(1) << 24) - 1, out, out_size, &pos);
    format_field(e->days_of_month, 1, 31, e->is_dom_star, out, out_size, &pos);
    format_field(e->months, 1, 12, e->months == 0x1ffe, out, out_size, &pos);
    format_field(e->days_of_week, 0, 6, e->is_dow_star, out, out_size, &pos);
}

/* ---- Civil calendar arithmetic (proleptic Gregorian) ---- */

struct civil {
    int year, month, day, hour, minute; /* month 1-12, day 1-31 */
};

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* 0 = Sunday. Sakamoto's method; y >= 1. */
static int weekday(int y, int m, int d)
{
    static const int t[] = {0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4};
    if (m < 3)
        y--;
    return (y + y / 4 - y / 100 + y / 400 + t[m - 1] + d) % 7;
}

static bool day_matches(const struct cron_expr *e, const struct civil *c)
{
    bool dom = (e->days_of_month >> c->day) & 1;
    bool dow = (e->days_of_week >> weekday(c->year, c->month, c->day)) & 1;

    /* Vixie cron: with both fields restricted, either one suffices. */
    if (!e->is_dom_star && !e->is_dow_star)
        return dom || dow;
    return dom && dow;
}

/* Smallest set bit in [from, max], or -1. */
static int next_bit(uint64_t bits, int from, int max)
{
    int v;
    for (v = from; v <= max; v++)
        if ((bits >> v) & 1)
            return v;
    return -1;
}

static void advance_month(struct civil *c)
{
    c->month++;
    if (c->month > 12) {
        c->month = 1;
        c->year++;
    }
    c->day = 1;
    c->hour = 0;
    c->minute = 0;
}

static void advance_day(struct civil *c)
{
    c->day++;
    c->hour = 0;
    c->minute = 0;
    if (c->day > days_in_month(c->year, c->month))
        advance_month(c);
}

static void advance_hour(struct civil *c)
{
    c->hour++;
    c->minute = 0;
    if (c->hour > 23)
        advance_day(c);
}

static void advance_minute(struct civil *c)
{
    c->minute++;
    if (c->minute > 59)
        advance_hour(c);
}

/* Moves `c` to the first matching minute at or after it; false past `limit_year`. */
static bool find_match(const struct cron_expr *e, struct civil *c, int limit_year)
{
    for (;;) {
        int h, m;

        if (c->year > limit_year)
            return false;
        if (!((e->months >> c->month) & 1)) {
            advance_month(c);
            continue;
        }
        if (!day_matches(e, c)) {
            advance_day(c);
            continue;
        }
        h = next_bit(e->hours, c->hour, 23);
        if (h < 0) {
            advance_day(c);
            continue;
        }
        if (h != c->hour) {
            c->hour = h;
            c->minute = 0;
        }
        m = next_bit(e->minutes, c->minute, 59);
        if (m < 0) {
            advance_hour(c);
            continue;
        }
        c->minute = m;
        return true;
    }
}

/* ---- ICU ---- */

/* Validates the zone and opens a Gregorian calendar in it with the DST policy set. */
static enum pr_code zone_open(const char *tz_name, UCalendar **out, struct pr_error *err)
{
    UChar zone[CRON_TZ_MAX + 1], canonical[128];
    UErrorCode status = U_ZERO_ERROR;
    UBool is_system = 0;
    size_t i, len = tz_name != NULL ? strnlen(tz_name, CRON_TZ_MAX + 1) : 0;
    int32_t canonical_len;
    UCalendar *cal;

    *out = NULL;
    for (i = 0; i < len; i++) {
        char ch = tz_name[i];
        if (!(is_alpha(ch) || is_digit(ch) || ch == '/' || ch == '_' || ch == '-' || ch == '+'))
            break;
    }
    if (len == 0 || len > CRON_TZ_MAX || i < len)
        goto unknown;
    u_charsToUChars(tz_name, zone, (int32_t)len);
    canonical_len = ucal_getCanonicalTimeZoneID(zone, (int32_t)len, canonical,
                                                (int32_t)(sizeof canonical / sizeof canonical[0]),
                                                &is_system, &status);
    if (U_FAILURE(status) || !is_system || canonical_len <= 0)
        goto unknown;
    {
        char name[128];
        if (canonical_len >= (int32_t)sizeof name)
            goto unknown;
        u_UCharsToChars(canonical, name, canonical_len);
        name[canonical_len] = '\0';
        if (strcmp(name, "Etc/Unknown") == 0)
            goto unknown;
    }
    cal = ucal_open(zone, (int32_t)len, "en_US_POSIX", UCAL_GREGORIAN, &status);
    if (U_FAILURE(status)) {
        if (cal != NULL)
            ucal_close(cal);
        pr_error_set(err, PR_INTERNAL, "cron: cannot open a calendar");
        return pr_error_detail(err, "ucal_open(%s): %s", tz_name, u_errorName(status));
    }
    ucal_setAttribute(cal, UCAL_LENIENT, 1);
    ucal_setAttribute(cal, UCAL_REPEATED_WALL_TIME, UCAL_WALLTIME_FIRST);
    ucal_setAttribute(cal, UCAL_SKIPPED_WALL_TIME, UCAL_WALLTIME_NEXT_VALID);
    *out = cal;
    return PR_OK;

unknown : {
    char token[40];
    token_text(tz_name != NULL ? tz_name : "", len, token);
    pr_error_set(err, PR_INVALID, "cron: unknown time zone \"%s\"", token);
    return pr_error_hint(err, "use an IANA zone name such as America/New_York or Europe/Berlin");
}
}

bool cron_zone_is_valid(const char *tz_name)
{
    struct pr_error err;
    UCalendar *cal;

    if (zone_open(tz_name, &cal, &err) != PR_OK)
        return false;
    ucal_close(cal);
    return true;
}

static enum pr_code icu_error(struct pr_error *err, const char *what, UErrorCode status)
{
    pr_error_set(err, PR_INTERNAL, "cron: time-zone arithmetic failed");
    return pr_error_detail(err, "%s: %s", what, u_errorName(status));
}

/* Local wall-clock minute of `ms` (seconds dropped). */
static enum pr_code to_civil(UCalendar *cal, int64_t ms, struct civil *c, struct pr_error *err)
{
    UErrorCode status = U_ZERO_ERROR;

    ucal_setMillis(cal, (UDate)ms, &status);
    c->year = ucal_get(cal, UCAL_EXTENDED_YEAR, &status);
    c->month = ucal_get(cal, UCAL_MONTH, &status) + 1;
    c->day = ucal_get(cal, UCAL_DATE, &status);
    c->hour = ucal_get(cal, UCAL_HOUR_OF_DAY, &status);
    c->minute = ucal_get(cal, UCAL_MINUTE, &status);
    if (U_FAILURE(status))
        return icu_error(err, "ucal_get", status);
    return PR_OK;
}

/* The fire instant F(W) of a local minute (see the top of the file). */
static enum pr_code to_instant(UCalendar *cal, const struct civil *c, int64_t *ms,
                               struct pr_error *err)
{
    UErrorCode status = U_ZERO_ERROR;
    UDate d;

    ucal_clear(cal);
    ucal_setDateTime(cal, c->year, c->month - 1, c->day, c->hour, c->minute, 0, &status);
    d = ucal_getMillis(cal, &status);
    if (U_FAILURE(status))
        return icu_error(err, "ucal_getMillis", status);
    *ms = (int64_t)d;
    return PR_OK;
}

static enum pr_code check_instant(int64_t ms, const char *what, struct pr_error *err)
{
    if (ms >= CRON_MS_MIN && ms <= CRON_MS_MAX)
        return PR_OK;
    pr_error_set(err, PR_INVALID, "cron: %s %lld is outside 1970-01-01..9999-12-31", what,
                 (long long)ms);
    return pr_error_hint(err, "times are UTC epoch milliseconds");
}

static enum pr_code next_in(UCalendar *cal, const struct cron_expr *e, int64_t after_ms,
                            int64_t *next_ms, struct pr_error *err)
{
    struct civil c;
    int limit_year;
    enum pr_code rc = to_civil(cal, after_ms, &c, err);

    if (rc != PR_OK)
        return rc;
    limit_year = c.year + CRON_SEARCH_YEARS;
    advance_minute(&c);
    for (;;) {
        int64_t ms = 0;

        if (!find_match(e, &c, limit_year)) {
            pr_error_set(err, PR_INVALID, "cron: the expression never fires");
            return pr_error_hint(err, "check the day-of-month against the months (e.g. there "
                                      "is no 30 February)");
        }
        rc = to_instant(cal, &c, &ms, err);
        if (rc != PR_OK)
            return rc;
        if (ms > after_ms) {
            *next_ms = ms;
            return PR_OK;
        }
        /* A minute of a fall-back overlap whose first occurrence is already past. */
        advance_minute(&c);
    }
}

enum pr_code cron_next(const struct cron_expr *e, const char *tz_name, int64_t after_ms,
                       int64_t *next_ms, struct pr_error *err)
{
    UCalendar *cal;
    enum pr_code rc;

    pr_error_clear(err);
    rc = zone_open(tz_name, &cal, err);
    if (rc != PR_OK)
        return rc;
    rc = check_instant(after_ms, "time", err);
    if (rc == PR_OK)
        rc = next_in(cal, e, after_ms, next_ms, err);
    ucal_close(cal);
    return rc;
}

enum pr_code cron_missed(const struct cron_expr *e, const char *tz_name, int64_t last_run_ms,
                         int64_t now_ms, bool *has_missed, int64_t *latest_missed_ms,
                         struct pr_error *err)
{
    UCalendar *cal;
    enum pr_code rc;
    int64_t latest, t, window = 60000;

    pr_error_clear(err);
    *has_missed = false;
    *latest_missed_ms = 0;
    rc = zone_open(tz_name, &cal, err);
    if (rc != PR_OK)
        return rc;
    rc = check_instant(last_run_ms, "last run", err);
    if (rc == PR_OK)
        rc = check_instant(now_ms, "now", err);
    if (rc != PR_OK || last_run_ms >= now_ms)
        goto out;
    rc = next_in(cal, e, last_run_ms, &latest, err);
    if (rc != PR_OK || latest > now_ms)
        goto out;
    /* Find a fire time close to now by looking back over doubling windows, then walk forward:
     * walking from last_run alone would take one step per missed slot (525,600 for a
     * minutely job down a year). When a window finds nothing, the fires between the known one
     * and now all lie in the older half of the next window, so the walk stays short. */
    for (;;) {
        if (now_ms - window <= latest)
            break;
        rc = next_in(cal, e, now_ms - window, &t, err);
        if (rc != PR_OK)
            goto out;
        if (t <= now_ms) {
            latest = t;
            break;
        }
        window *= 2;
    }
    for (;;) {
        rc = next_in(cal, e, latest, &t, err);
        if (rc == PR_INVALID) {
            rc = PR_OK; /* searched past the bound: `latest` is the last one */
            pr_error_clear(err);
            break;
        }
        if (rc != PR_OK)
            goto out;
        if (t > now_ms)
            break;
        latest = t;
    }
    *has_missed = true;
    *latest_missed_ms = latest;
out:
    ucal_close(cal);
    return rc;
}
