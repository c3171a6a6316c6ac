/*
 * Scoring a lead against an ICP. Each factor is a small function that picks its points and
 * writes a reason; score_compute adds them up. The total is the plain sum of the factors'
 * points, and because score_icp_check refuses an ICP whose max_points add up to more than 100,
 * the sum never needs clamping: what is stored as the breakdown is exactly what makes the score.
 *
 * Title keywords and list values are compared as "words": ASCII letters folded to lower case,
 * every run of ASCII characters other than letters and digits read as one space, bytes of
 * UTF-8 sequences kept as they are (so "Vice-President, Sales" holds the words "vice president
 * sales", and a keyword matches only whole words: "cto" is not found in "director").
 * Hand-written because no library at hand does this small word-boundary match on byte strings.
 */
#include "core/score.h"

#include "util/json.h"

#include <assert.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Reasons are cut to this many bytes; a quoted lead value to REASON_QUOTE_MAX. */
#define REASON_MAX       240
#define REASON_QUOTE_MAX 60
/* A list reason names at most this many matched values, then "+N more". */
#define REASON_MAX_NAMES 5

/* ---- small helpers ---- */

static bool is_known(const char *s)
{
    return s != NULL && str_trim(str_from_cstr(s)).len > 0;
}

static bool same_code(const char *a, const char *b)
{
    return str_eq_nocase(str_trim(str_from_cstr(a)), str_trim(str_from_cstr(b)));
}

static bool is_ascii_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Reads a string one character of its word form at a time (see the top of the file). */
struct words_cursor {
    const unsigned char *p;
    bool has_output;
    bool has_pending_space;
};

static struct words_cursor words_cursor_at(const char *s)
{
    struct words_cursor c = {(const unsigned char *)s, false, false};

    return c;
}

/* The next character of the word form, or 0 at the end. */
static int words_next(struct words_cursor *c)
{
    for (;;) {
        unsigned char ch = *c->p;

        if (ch == '\0')
            return 0;
        if (ch < 0x80 && !is_ascii_alnum(ch)) {
            c->p++;
            c->has_pending_space = c->has_output;
            continue;
        }
        if (c->has_pending_space) { /* the separator before this word; `ch` is read next */
            c->has_pending_space = false;
            return ' ';
        }
        c->p++;
        c->has_output = true;
        return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
    }
}

char *score_words_normalize(struct arena *a, const char *s)
{
    struct words_cursor c = words_cursor_at(s);
    char *out = arena_alloc(a, strlen(s) + 1); /* the word form is never longer */
    size_t used = 0;

    for (;;) {
        int ch = words_next(&c);

        if (ch == 0)
            break;
        out[used++] = (char)ch;
    }
    out[used] = '\0';
    return out;
}

/* True when `a` and `b` have the same, non-empty word form; compared without allocating. */
static bool words_equal(const char *a, const char *b)
{
    struct words_cursor ca = words_cursor_at(a), cb = words_cursor_at(b);
    bool is_empty = true;

    for (;;) {
        int x = words_next(&ca);

        if (x != words_next(&cb))
            return false;
        if (x == 0)
            return !is_empty;
        is_empty = false;
    }
}

/* True when `s` is already in the form score_words_normalize gives. */
static bool is_words(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (*p == ' ')
        return false;
    for (; *p != '\0'; p++) {
        if (*p == ' ' ? p[1] == ' ' || p[1] == '\0' : *p < 0x80 && !is_ascii_alnum(*p))
            return false;
        if (*p >= 'A' && *p <= 'Z')
            return false;
    }
    return true;
}

/* `s` in word form: itself when it already is (the loader stores keywords so, which spares
 * an allocation per keyword and lead), else a normalized copy in `a`. */
static const char *as_words(struct arena *a, const char *s)
{
    return is_words(s) ? s : score_words_normalize(a, s);
}

/* True when the normalized `needle` occurs in the normalized `hay` as whole words. */
static bool has_words(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    const char *p = hay;

    if (n == 0)
        return false;
    for (;;) {
        const char *hit = strstr(p, needle);

        if (hit == NULL)
            return false;
        if ((hit == hay || hit[-1] == ' ') && (hit[n] == '\0' || hit[n] == ' '))
            return true;
        p = hit + 1;
    }
}

/* Length of `s` cut to at most `max` bytes on a UTF-8 boundary, for "%.*s". */
static int cut_len(const char *s, size_t max)
{
    size_t len = strlen(s);

    if (len > max) {
        len = max;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    return (int)len;
}

/* A reason being written: a fixed buffer (no allocation per factor and lead), cut past
 * REASON_MAX bytes; reason_finish copies it into the arena. */
struct reason {
    char text[REASON_MAX + 1];
    size_t len;
};

static void reason_init(struct reason *r)
{
    r->text[0] = '\0';
    r->len = 0;
}

__attribute__((format(printf, 2, 3))) static void reason_add(struct reason *r, const char *fmt, ...)
{
    va_list ap;
    int written;

    va_start(ap, fmt);
    written = vsnprintf(r->text + r->len, sizeof r->text - r->len, fmt, ap);
    va_end(ap);
    if (written < 0)
        r->text[r->len] = '\0';
    else if ((size_t)written >= sizeof r->text - r->len)
        r->len = sizeof r->text - 1; /* cut; a cut UTF-8 sequence is mended by the JSON writer */
    else
        r->len += (size_t)written;
}

static const char *reason_finish(struct reason *r, struct arena *a)
{
    return arena_strndup(a, r->text, r->len);
}

static void range_describe(struct reason *r, const struct icp_range_rule *rule)
{
    if (rule->max == LLONG_MAX)
        reason_add(r, "%lld+", rule->min);
    else
        reason_add(r, "%lld-%lld", rule->min, rule->max);
}

/* ---- industry ---- */

/* The rule of `kind` with the longest prefix of `code`; the first given on a tie. */
static const struct icp_industry_rule *longest_prefix(const struct icp_industry *f,
                                                      enum icp_industry_kind kind, const char *code)
{
    const struct icp_industry_rule *best = NULL;
    size_t best_len = 0;
    struct str c;

    if (!is_known(code))
        return NULL;
    c = str_trim(str_from_cstr(code));
    for (size_t i = 0; i < f->n_rules; i++) {
        const struct icp_industry_rule *rule = &f->rules[i];
        size_t len = strlen(rule->value);

        if (rule->kind != kind || len == 0 || len > c.len || memcmp(c.ptr, rule->value, len) != 0)
            continue;
        if (best == NULL || len > best_len) {
            best = rule;
            best_len = len;
        }
    }
    return best;
}

static void score_industry(const struct icp_industry *f, const struct score_input *in,
                           struct arena *a, struct score_factor *out)
{
    const struct icp_industry_rule *sic = longest_prefix(f, ICP_INDUSTRY_SIC, in->sic);
    const struct icp_industry_rule *naics = longest_prefix(f, ICP_INDUSTRY_NAICS, in->naics);
    const struct icp_industry_rule *sector = NULL;
    struct reason r;

    reason_init(&r);
    /* A code is more specific than a sector bucket, so a matching code rule (even one worth 0,
     * which is how an ICP excludes an industry) decides. The company's SIC and NAICS describe
     * the same business; data vendors get one or the other wrong often enough that the better
     * reading wins. */
    if (sic != NULL && (naics == NULL || sic->points >= naics->points)) {
        out->points = sic->points;
        reason_add(&r, "SIC %.*s matches '%s'", cut_len(in->sic, 16), in->sic, sic->value);
    } else if (naics != NULL) {
        out->points = naics->points;
        reason_add(&r, "NAICS %.*s matches '%s'", cut_len(in->naics, 16), in->naics, naics->value);
    } else {
        if (is_known(in->sector)) {
            for (size_t i = 0; i < f->n_rules; i++) {
                const struct icp_industry_rule *rule = &f->rules[i];

                if (rule->kind == ICP_INDUSTRY_SECTOR && same_code(rule->value, in->sector) &&
                    (sector == NULL || rule->points > sector->points))
                    sector = rule;
            }
        }
        if (sector != NULL) {
            out->points = sector->points;
            reason_add(&r, "sector '%s' matches", sector->value);
        } else if (!is_known(in->sic) && !is_known(in->naics) && !is_known(in->sector)) {
            reason_add(&r, "no SIC, NAICS or sector");
        } else {
            reason_add(&r, "no rule matches");
            if (is_known(in->sic))
                reason_add(&r, " SIC %.*s", cut_len(in->sic, 16), in->sic);
            if (is_known(in->naics))
                reason_add(&r, " NAICS %.*s", cut_len(in->naics, 16), in->naics);
            if (is_known(in->sector))
                reason_add(&r, " sector '%.*s'", cut_len(in->sector, 40), in->sector);
        }
    }
    out->reason = reason_finish(&r, a);
}

/* ---- employees and revenue ---- */

/* `label_before` and `label_after` surround the value in the reason ("revenue ", " USD"). */
static void score_range(const struct icp_ranges *f, bool has_value, long long value,
                        const char *unknown_text, const char *label_before, const char *label_after,
                        struct arena *a, struct score_factor *out)
{
    const struct icp_range_rule *best = NULL;
    struct reason r;

    reason_init(&r);
    if (!has_value) {
        reason_add(&r, "%s", unknown_text);
        out->reason = reason_finish(&r, a);
        return;
    }
    for (size_t i = 0; i < f->n_rules; i++) {
        const struct icp_range_rule *rule = &f->rules[i];

        if (value >= rule->min && value <= rule->max &&
            (best == NULL || rule->points > best->points))
            best = rule;
    }
    reason_add(&r, "%s%lld%s", label_before, value, label_after);
    if (best != NULL) {
        out->points = best->points;
        reason_add(&r, " in ");
        range_describe(&r, best);
    } else {
        reason_add(&r, ": no range matches");
    }
    out->reason = reason_finish(&r, a);
}

/* ---- title ---- */

/* The rule with the most points that has a keyword in `title_words`, and that keyword. */
static const struct icp_keyword_rule *best_keyword_rule(const struct icp_keyword_rule *rules,
                                                        size_t n_rules, const char *title_words,
                                                        struct arena *a, const char **keyword)
{
    const struct icp_keyword_rule *best = NULL;

    for (size_t i = 0; i < n_rules; i++) {
        if (best != NULL && rules[i].points <= best->points)
            continue;
        for (size_t k = 0; k < rules[i].n_keywords; k++) {
            const char *words = as_words(a, rules[i].keywords[k]);

            if (has_words(title_words, words)) {
                best = &rules[i];
                *keyword = words;
                break;
            }
        }
    }
    return best;
}

static void score_title(const struct icp_title *f, const struct score_input *in, struct arena *a,
                        struct score_factor *out)
{
    const struct icp_keyword_rule *seniority = NULL, *department = NULL;
    const char *seniority_word = NULL, *department_word = NULL;
    const char *words;
    struct reason r;
    int sum = 0;

    reason_init(&r);
    if (!is_known(in->title)) {
        reason_add(&r, "no title");
        out->reason = reason_finish(&r, a);
        return;
    }
    words = score_words_normalize(a, in->title);
    seniority = best_keyword_rule(f->seniority, f->n_seniority, words, a, &seniority_word);
    department = best_keyword_rule(f->department, f->n_department, words, a, &department_word);
    if (seniority != NULL)
        sum += seniority->points;
    if (department != NULL)
        sum += department->points;
    out->points = sum < f->max_points ? sum : f->max_points;
    if (seniority == NULL && department == NULL) {
        reason_add(&r, "title '%.*s' matches no keyword", cut_len(in->title, REASON_QUOTE_MAX),
                   in->title);
    } else {
        reason_add(&r, "title matches");
        if (seniority != NULL)
            reason_add(&r, " '%s' (seniority)", seniority_word);
        if (seniority != NULL && department != NULL)
            reason_add(&r, " and");
        if (department != NULL)
            reason_add(&r, " '%s' (department)", department_word);
        if (sum > f->max_points)
            reason_add(&r, ", capped at %d", f->max_points);
    }
    out->reason = reason_finish(&r, a);
}

/* ---- geography ---- */

static bool geo_rule_matches(const struct icp_geo_rule *rule, const struct score_input *in)
{
    bool is_state_listed = rule->n_states == 0;

    if (rule->country != NULL && !(is_known(in->country) && same_code(rule->country, in->country)))
        return false;
    for (size_t i = 0; i < rule->n_states && !is_state_listed; i++)
        is_state_listed = is_known(in->state) && same_code(rule->states[i], in->state);
    return is_state_listed;
}

static void score_geography(const struct icp_geography *f, const struct score_input *in,
                            struct arena *a, struct score_factor *out)
{
    const struct icp_geo_rule *best = NULL;
    struct reason r;

    reason_init(&r);
    for (size_t i = 0; i < f->n_rules; i++) {
        if (geo_rule_matches(&f->rules[i], in) &&
            (best == NULL || f->rules[i].points > best->points))
            best = &f->rules[i];
    }
    if (best != NULL) {
        out->points = best->points;
        if (best->n_states > 0)
            reason_add(&r, "state %.*s%s%s is listed", cut_len(in->state, 8), in->state,
                       best->country != NULL ? " in " : "",
                       best->country != NULL ? best->country : "");
        else
            reason_add(&r, "country %s matches", best->country != NULL ? best->country : "(any)");
    } else if (!is_known(in->country) && !is_known(in->state)) {
        reason_add(&r, "location unknown");
    } else {
        reason_add(&r, "location");
        if (is_known(in->country))
            reason_add(&r, " country %.*s", cut_len(in->country, 8), in->country);
        if (is_known(in->state))
            reason_add(&r, " state %.*s", cut_len(in->state, 8), in->state);
        reason_add(&r, " matches no rule");
    }
    out->reason = reason_finish(&r, a);
}

/* ---- technologies and intent topics ---- */

static void score_list(const struct icp_list *f, const char *const *lead_values, size_t n_lead,
                       const char *noun, struct arena *a, struct score_factor *out)
{
    size_t n_known = 0, n_matches = 0;
    long long points;
    struct reason r;

    reason_init(&r);
    for (size_t i = 0; i < n_lead; i++) {
        if (lead_values[i] != NULL && is_known(lead_values[i]))
            n_known++;
    }
    if (n_known == 0) {
        reason_add(&r, "no %s known", noun);
        out->reason = reason_finish(&r, a);
        return;
    }
    /* Each listed value counts once, however often the lead repeats it. */
    for (size_t v = 0; v < f->n_values; v++) {
        bool is_match = false;

        for (size_t i = 0; i < n_lead && !is_match; i++)
            is_match = lead_values[i] != NULL && words_equal(f->values[v], lead_values[i]);
        if (!is_match)
            continue;
        if (n_matches < REASON_MAX_NAMES)
            reason_add(&r, "%s%s", n_matches == 0 ? "has " : ", ", f->values[v]);
        n_matches++;
    }
    if (n_matches == 0) {
        reason_add(&r, "none of the %zu listed %s", f->n_values, noun);
        out->reason = reason_finish(&r, a);
        return;
    }
    if (n_matches > REASON_MAX_NAMES)
        reason_add(&r, ", +%zu more", n_matches - REASON_MAX_NAMES);
    points = (long long)n_matches * f->points_per_match;
    out->points = points < f->max_points ? (int)points : f->max_points;
    reason_add(&r, " (%zu x %d", n_matches, f->points_per_match);
    reason_add(&r, points > f->max_points ? ", capped at %d)" : ")", f->max_points);
    out->reason = reason_finish(&r, a);
}

/* ---- checking an ICP ---- */

static enum pr_code check_points(const char *factor, const char *what, size_t index, int points,
                                 int max_points, struct pr_error *err)
{
    if (points >= 0 && points <= max_points)
        return PR_OK;
    return pr_error_set(err, PR_INVALID, "%s %s %zu: points %d outside 0..%d", factor, what, index,
                        points, max_points);
}

static enum pr_code check_strings(const char *factor, const char *const *list, size_t n,
                                  struct pr_error *err)
{
    if (n > 0 && list == NULL)
        return pr_error_set(err, PR_INVALID, "%s: list of %zu strings is NULL", factor, n);
    for (size_t i = 0; i < n; i++) {
        if (list[i] == NULL)
            return pr_error_set(err, PR_INVALID, "%s: string %zu is NULL", factor, i);
    }
    return PR_OK;
}

static enum pr_code check_keyword_rules(const char *what, const struct icp_keyword_rule *rules,
                                        size_t n, int max_points, struct pr_error *err)
{
    enum pr_code rc = PR_OK;

    if (n > 0 && rules == NULL)
        return pr_error_set(err, PR_INVALID, "title: %s rules are NULL", what);
    for (size_t i = 0; i < n && rc == PR_OK; i++) {
        rc = check_points("title", what, i, rules[i].points, max_points, err);
        if (rc == PR_OK)
            rc = check_strings("title", rules[i].keywords, rules[i].n_keywords, err);
    }
    return rc;
}

static enum pr_code check_ranges(const char *factor, const struct icp_ranges *f,
                                 struct pr_error *err)
{
    if (f->n_rules > 0 && f->rules == NULL)
        return pr_error_set(err, PR_INVALID, "%s: rules are NULL", factor);
    for (size_t i = 0; i < f->n_rules; i++) {
        enum pr_code rc = check_points(factor, "range", i, f->rules[i].points, f->max_points, err);

        if (rc != PR_OK)
            return rc;
        if (f->rules[i].min > f->rules[i].max)
            return pr_error_set(err, PR_INVALID, "%s range %zu: min %lld > max %lld", factor, i,
                                f->rules[i].min, f->rules[i].max);
    }
    return PR_OK;
}

static enum pr_code check_rules(const struct icp *icp, struct pr_error *err)
{
    enum pr_code rc = PR_OK;

    if (icp->industry.is_enabled) {
        if (icp->industry.n_rules > 0 && icp->industry.rules == NULL)
            return pr_error_set(err, PR_INVALID, "industry: rules are NULL");
        for (size_t i = 0; i < icp->industry.n_rules && rc == PR_OK; i++) {
            rc = check_points("industry", "rule", i, icp->industry.rules[i].points,
                              icp->industry.max_points, err);
            if (rc == PR_OK && icp->industry.rules[i].value == NULL)
                rc = pr_error_set(err, PR_INVALID, "industry rule %zu: value is NULL", i);
        }
    }
    if (rc == PR_OK && icp->employees.is_enabled)
        rc = check_ranges("employees", &icp->employees, err);
    if (rc == PR_OK && icp->revenue_usd.is_enabled)
        rc = check_ranges("revenue_usd", &icp->revenue_usd, err);
    if (rc == PR_OK && icp->title.is_enabled) {
        rc = check_keyword_rules("seniority", icp->title.seniority, icp->title.n_seniority,
                                 icp->title.max_points, err);
        if (rc == PR_OK)
            rc = check_keyword_rules("department", icp->title.department, icp->title.n_department,
                                     icp->title.max_points, err);
    }
    if (rc == PR_OK && icp->geography.is_enabled) {
        if (icp->geography.n_rules > 0 && icp->geography.rules == NULL)
            return pr_error_set(err, PR_INVALID, "geography: rules are NULL");
        for (size_t i = 0; i < icp->geography.n_rules && rc == PR_OK; i++) {
            const struct icp_geo_rule *g = &icp->geography.rules[i];

            rc = check_points("geography", "rule", i, g->points, icp->geography.max_points, err);
            if (rc == PR_OK)
                rc = check_strings("geography", g->states, g->n_states, err);
        }
    }
    for (int k = 0; k < 2 && rc == PR_OK; k++) {
        const struct icp_list *l = k == 0 ? &icp->technologies : &icp->intent_topics;
        const char *factor = k == 0 ? "technologies" : "intent_topics";

        if (!l->is_enabled)
            continue;
        if (l->points_per_match < 1 || l->points_per_match > l->max_points)
            rc = pr_error_set(err, PR_INVALID, "%s: points_per_match %d outside 1..%d", factor,
                              l->points_per_match, l->max_points);
        if (rc == PR_OK)
            rc = check_strings(factor, l->values, l->n_values, err);
    }
    return rc;
}

enum pr_code score_icp_check(const struct icp *icp, struct pr_error *err)
{
    const struct {
        const char *name;
        bool is_enabled;
        int max_points;
    } factors[SCORE_N_FACTORS] = {
        {"industry", icp->industry.is_enabled, icp->industry.max_points},
        {"employees", icp->employees.is_enabled, icp->employees.max_points},
        {"revenue_usd", icp->revenue_usd.is_enabled, icp->revenue_usd.max_points},
        {"title", icp->title.is_enabled, icp->title.max_points},
        {"geography", icp->geography.is_enabled, icp->geography.max_points},
        {"technologies", icp->technologies.is_enabled, icp->technologies.max_points},
        {"intent_topics", icp->intent_topics.is_enabled, icp->intent_topics.max_points},
    };
    int sum = 0;

    if (icp->version == NULL)
        return pr_error_set(err, PR_INVALID, "the ICP has no version");
    for (size_t i = 0; i < SCORE_N_FACTORS; i++) {
        if (!factors[i].is_enabled)
            continue;
        if (factors[i].max_points < 0 || factors[i].max_points > SCORE_MAX_TOTAL)
            return pr_error_set(err, PR_INVALID, "%s: max_points %d outside 0..%d", factors[i].name,
                                factors[i].max_points, SCORE_MAX_TOTAL);
        sum += factors[i].max_points;
    }
    if (sum > SCORE_MAX_TOTAL)
        return pr_error_set(err, PR_INVALID, "the factors' max_points add up to %d, more than %d",
                            sum, SCORE_MAX_TOTAL);
    return check_rules(icp, err);
}

/* ---- scoring ---- */

/* The next slot of the breakdown, at 0 points; the factor functions raise it on a match. */
static struct score_factor *next_factor(struct score_result *out, const char *name, int max_points)
{
    struct score_factor *f;

    assert(out->n_factors < SCORE_N_FACTORS);
    f = &out->factors[out->n_factors++];
    f->name = name;
    f->max_points = max_points;
    return f;
}

enum pr_code score_compute(const struct icp *icp, const struct score_input *in, struct arena *a,
                           struct score_result *out)
{
    struct pr_error err;

    memset(out, 0, sizeof *out);
    if (score_icp_check(icp, &err) != PR_OK)
        return PR_INVALID;
    out->icp_version = arena_strdup(a, icp->version);

    if (icp->industry.is_enabled)
        score_industry(&icp->industry, in, a,
                       next_factor(out, "industry", icp->industry.max_points));
    if (icp->employees.is_enabled)
        score_range(&icp->employees, in->has_employees, in->employees, "employee count unknown", "",
                    " employees", a, next_factor(out, "employees", icp->employees.max_points));
    if (icp->revenue_usd.is_enabled)
        score_range(&icp->revenue_usd, in->has_revenue_usd, in->revenue_usd, "revenue unknown",
                    "revenue ", " USD", a,
                    next_factor(out, "revenue_usd", icp->revenue_usd.max_points));
    if (icp->title.is_enabled)
        score_title(&icp->title, in, a, next_factor(out, "title", icp->title.max_points));
    if (icp->geography.is_enabled)
        score_geography(&icp->geography, in, a,
                        next_factor(out, "geography", icp->geography.max_points));
    if (icp->technologies.is_enabled)
        score_list(&icp->technologies, in->technologies, in->n_technologies, "technologies", a,
                   next_factor(out, "technologies", icp->technologies.max_points));
    if (icp->intent_topics.is_enabled)
        score_list(&icp->intent_topics, in->intent_topics, in->n_intent_topics, "intent topics", a,
                   next_factor(out, "intent_topics", icp->intent_topics.max_points));

    for (size_t i = 0; i < out->n_factors; i++) {
        assert(out->factors[i].points >= 0 && out->factors[i].points <= out->factors[i].max_points);
        out->total += out->factors[i].points;
    }
    assert(out->total >= 0 && out->total <= SCORE_MAX_TOTAL);
    return PR_OK;
}

enum pr_code score_breakdown_json(const struct score_result *result, struct buf *out)
{
    size_t saved_len = out->len;
    enum pr_code rc;

    rc = buf_printf(out, "{\"total\":%d,\"icp_version\":", result->total);
    if (rc == PR_OK)
        rc = json_append_string(out, result->icp_version != NULL ? result->icp_version : "",
                                result->icp_version != NULL ? strlen(result->icp_version) : 0);
    if (rc == PR_OK)
        rc = buf_puts(out, ",\"factors\":[");
    for (size_t i = 0; i < result->n_factors && rc == PR_OK; i++) {
        const struct score_factor *f = &result->factors[i];
        const char *reason = f->reason != NULL ? f->reason : "";

        rc = buf_printf(out, "%s{\"name\":", i > 0 ? "," : "");
        if (rc == PR_OK)
            rc = json_append_string(out, f->name, strlen(f->name));
        if (rc == PR_OK)
            rc = buf_printf(out, ",\"points\":%d,\"max\":%d,\"reason\":", f->points, f->max_points);
        if (rc == PR_OK)
            rc = json_append_string(out, reason, strlen(reason));
        if (rc == PR_OK)
            rc = buf_putc(out, '}');
    }
    if (rc == PR_OK)
        rc = buf_puts(out, "]}");
    if (rc != PR_OK && out->ptr != NULL) {
        out->len = saved_len;
        out->ptr[saved_len] = '\0';
    }
    return rc;
}
