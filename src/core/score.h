/*
 * Lead scoring against an ideal customer profile (ICP): a score from 0 to 100 with a stored
 * per-factor breakdown. Pure and deterministic: the same ICP and the same lead always give the
 * same score, breakdown and reasons.
 *
 * The one rule: the breakdown adds up to the score. Each factor has a `max_points` and never
 * gives more than it; an ICP whose factors' max_points add up to more than 100 is refused (by
 * the loader, app/icp.h, and again here), so the total is at most 100 without any clamping of
 * the total. Points are never negative; a rule worth 0 is how an ICP excludes something.
 *
 * Factors, in breakdown order (only the factors the ICP configures appear):
 *   industry      rules on a SIC prefix, a NAICS prefix or a sector bucket name; per code
 *                 system the longest matching prefix wins, the better of the SIC and NAICS
 *                 matches wins, and a sector rule counts only when no code rule matched;
 *   employees     ranges [min, max] of the employee count; the best matching range wins;
 *   revenue_usd   tiers [min, max] of annual revenue in US dollars; the best tier wins;
 *   title         seniority rules and department rules, each a keyword list matched on word
 *                 boundaries ignoring ASCII case; best seniority + best department, capped at
 *                 the factor's max_points;
 *   geography     rules on a country and/or a list of states (region codes); best wins;
 *   technologies, intent_topics
 *                 lists of values; points_per_match for each listed value the lead has, capped
 *                 at the factor's max_points.
 * "Best" means most points; among equal points the rule given first wins (for the reason).
 * docs/icp.md describes the file format and every rule in words.
 */
#ifndef PROSPECT_CORE_SCORE_H
#define PROSPECT_CORE_SCORE_H

#include "util/arena.h"
#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>
#include <stddef.h>

/* The largest score, and the most the factors' max_points may add up to. */
#define SCORE_MAX_TOTAL 100

/* The number of factor kinds, hence the most factors a breakdown holds. */
#define SCORE_N_FACTORS 7

/* ---- the ICP: plain data, built by app/icp.c from YAML or by hand in tests ---- */

enum icp_industry_kind { ICP_INDUSTRY_SIC, ICP_INDUSTRY_NAICS, ICP_INDUSTRY_SECTOR };

struct icp_industry_rule {
    enum icp_industry_kind kind;
    const char *value; /* SIC or NAICS prefix (digits), or a sector bucket name */
    int points;
};

/* A range of a count or an amount, both ends included. */
struct icp_range_rule {
    long long min;
    long long max; /* LLONG_MAX: no upper bound */
    int points;
};

/* Matches when any keyword occurs in the title as whole words (see score.c). */
struct icp_keyword_rule {
    const char *const *keywords;
    size_t n_keywords;
    int points;
};

/* Matches when the country matches (if given) and the state is listed (if states are given). */
struct icp_geo_rule {
    const char *country;       /* ISO 3166-1 alpha-2; NULL: any country */
    const char *const *states; /* region codes such as "CA"; n_states 0: any state */
    size_t n_states;
    int points;
};

struct icp_industry {
    bool is_enabled;
    int max_points;
    const struct icp_industry_rule *rules;
    size_t n_rules;
};

struct icp_ranges {
    bool is_enabled;
    int max_points;
    const struct icp_range_rule *rules;
    size_t n_rules;
};

struct icp_title {
    bool is_enabled;
    int max_points;
    const struct icp_keyword_rule *seniority;
    size_t n_seniority;
    const struct icp_keyword_rule *department;
    size_t n_department;
};

struct icp_geography {
    bool is_enabled;
    int max_points;
    const struct icp_geo_rule *rules;
    size_t n_rules;
};

struct icp_list {
    bool is_enabled;
    int max_points;
    int points_per_match;
    const char *const *values;
    size_t n_values;
};

struct icp {
    const char *version; /* identifies the scoring rules; stored with every score */
    const char *name;    /* for people; may be NULL */
    struct icp_industry industry;
    struct icp_ranges employees;
    struct icp_ranges revenue_usd;
    struct icp_title title;
    struct icp_geography geography;
    struct icp_list technologies;
    struct icp_list intent_topics;
};

/*
 * Checks what score_compute relies on: a version is set, every enabled factor's max_points is
 * 0..100 and they add up to at most SCORE_MAX_TOTAL, every rule's points are 0..its factor's
 * max_points, points_per_match is 1..max_points, ranges have min <= max, and every string
 * is non-NULL. PR_INVALID naming the first problem otherwise. (The loader gives the messages
 * users see, with file and key; this is the backstop for ICPs built in code.)
 */
enum pr_code score_icp_check(const struct icp *icp, struct pr_error *err);

/*
 * The form in which title keywords and list values are compared: ASCII letters in lower case,
 * each run of other ASCII characters (spaces, punctuation) as one space, none at either end,
 * UTF-8 bytes as they are ("Vice-President, Sales" -> "vice president sales"). A new string in
 * `a`; "" when `s` holds no letters or digits (such a keyword never matches).
 */
char *score_words_normalize(struct arena *a, const char *s);

/* ---- a lead, as scoring sees it ---- */

/*
 * Plain values from a contact and its company. Every string may be NULL or empty (unknown);
 * unknown data scores 0 for its factor. Codes are expected normalized (core/ normalizers): SIC
 * and NAICS as digits, sector as a bucket name such as "information", country as ISO 3166-1
 * alpha-2, state as a region code such as "CA"; comparisons ignore ASCII case and surrounding
 * white space. Nothing here is kept after score_compute returns.
 */
struct score_input {
    const char *sic;
    const char *naics;
    const char *sector;
    bool has_employees;
    long long employees;
    bool has_revenue_usd;
    long long revenue_usd;
    const char *title;
    const char *country;
    const char *state;
    const char *const *technologies;
    size_t n_technologies;
    const char *const *intent_topics;
    size_t n_intent_topics;
};

/* ---- the result ---- */

struct score_factor {
    const char *name; /* "industry", "employees", ...: a static string */
    int points;       /* 0..max_points */
    int max_points;
    const char *reason; /* for people, e.g. "title matches 'vp'"; in the caller's arena */
};

struct score_result {
    int total;               /* the sum of factors[i].points; 0..SCORE_MAX_TOTAL */
    const char *icp_version; /* copy of icp->version, in the caller's arena */
    size_t n_factors;
    struct score_factor factors[SCORE_N_FACTORS];
};

/*
 * Scores `in` against `icp` into *out. Reasons and the version copy are allocated in `a` and
 * live as long as it. Returns PR_OK, or PR_INVALID (and *out zeroed) when `icp` fails
 * score_icp_check. Lead data never makes it fail: unknown or odd values score 0 for their factor.
 */
enum pr_code score_compute(const struct icp *icp, const struct score_input *in, struct arena *a,
                           struct score_result *out);

/*
 * Appends the breakdown as one JSON object to `out`, for storage with the score:
 *   {"total":62,"icp_version":"3f2a...","factors":[{"name":"industry","points":25,"max":25,
 *    "reason":"SIC 7372 matches '737'"},...]}
 * PR_INVALID when `out` would exceed its maximum (`out` is then left as it was).
 */
enum pr_code score_breakdown_json(const struct score_result *result, struct buf *out);

#endif
