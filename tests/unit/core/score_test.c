/*
 * Tests for core/score: a table of leads scored against a realistic ICP with the expected
 * points of every factor (and words of the reason), title word matching, the industry
 * precedence rules, score_icp_check, the JSON breakdown, and the invariant over many generated
 * leads and several ICPs: the factors add up to the total, 0 <= total <= 100, no factor above
 * its max.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/score.h"
#include "util/json.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

/* ---- the ICPs ---- */

/* A B2B SaaS selling to US mid-market; max_points add up to exactly 100. */
static const struct icp_industry_rule saas_industry[] = {
    {ICP_INDUSTRY_SIC, "737", 25},
    {ICP_INDUSTRY_SIC, "7374", 20},
    {ICP_INDUSTRY_SIC, "73", 12},
    {ICP_INDUSTRY_SIC, "7361", 0}, /* staffing agencies: excluded */
    {ICP_INDUSTRY_NAICS, "5112", 25},
    {ICP_INDUSTRY_NAICS, "5415", 18},
    {ICP_INDUSTRY_NAICS, "54", 8},
    {ICP_INDUSTRY_SECTOR, "information", 10},
    {ICP_INDUSTRY_SECTOR, "professional_services", 6},
};
static const struct icp_range_rule saas_employees[] = {
    {50, 199, 12},
    {200, 999, 20},
    {1000, 4999, 10},
    {5000, LLONG_MAX, 4},
};
static const struct icp_range_rule saas_revenue[] = {
    {10000000, 49999999, 6},
    {50000000, 500000000, 10},
};
static const char *const kw_clevel[] = {"ceo", "cto", "cfo", "chief", "founder"};
static const char *const kw_vp[] = {"vp", "vice president", "svp"};
static const char *const kw_director[] = {"director", "head of"};
static const char *const kw_manager[] = {"manager"};
static const struct icp_keyword_rule saas_seniority[] = {
    {kw_clevel, 5, 14},
    {kw_vp, 3, 12},
    {kw_director, 2, 9},
    {kw_manager, 1, 5},
};
static const char *const kw_sales[] = {"sales", "revenue", "marketing"};
static const char *const kw_ops[] = {"operations", "it"};
static const struct icp_keyword_rule saas_department[] = {
    {kw_sales, 3, 6},
    {kw_ops, 2, 4},
};
static const char *const core_states[] = {"CA", "NY", "TX", "WA", "MA"};
static const struct icp_geo_rule saas_geo[] = {
    {"US", core_states, 5, 10},
    {"US", NULL, 0, 7},
    {"CA", NULL, 0, 3},
};
static const char *const saas_tech[] = {"Salesforce", "HubSpot", "Snowflake", "Segment"};
static const char *const saas_intent[] = {"CRM software", "sales automation"};

static const struct icp saas_icp = {
    .version = "0123456789abcdef",
    .name = "US mid-market",
    .industry = {true, 25, saas_industry, sizeof saas_industry / sizeof saas_industry[0]},
    .employees = {true, 20, saas_employees, 4},
    .revenue_usd = {true, 10, saas_revenue, 2},
    .title = {true, 20, saas_seniority, 4, saas_department, 2},
    .geography = {true, 10, saas_geo, 3},
    .technologies = {true, 10, 4, saas_tech, 4},
    .intent_topics = {true, 5, 5, saas_intent, 2},
};

/* Only some factors, generous caps: title alone may reach 40. */
static const struct icp_keyword_rule big_seniority[] = {{kw_clevel, 5, 40}, {kw_vp, 3, 30}};
static const struct icp_keyword_rule big_department[] = {{kw_sales, 3, 40}};
static const struct icp sparse_icp = {
    .version = "sparse",
    .title = {true, 40, big_seniority, 2, big_department, 1},
    .technologies = {true, 60, 25, saas_tech, 4},
};

/* Everything worth 0: a valid ICP that scores every lead 0. */
static const struct icp_range_rule zero_ranges[] = {{0, LLONG_MAX, 0}};
static const struct icp zero_icp = {
    .version = "zero",
    .employees = {true, 0, zero_ranges, 1},
    .revenue_usd = {true, 0, NULL, 0},
};

/* Overlapping rules everywhere, max_points adding up to 100. */
static const struct icp_range_rule overlap_ranges[] = {
    {0, 100, 5}, {50, 500, 15}, {0, LLONG_MAX, 1}, {400, 400, 15}};
static const struct icp_industry_rule overlap_industry[] = {
    {ICP_INDUSTRY_SIC, "7", 3},    {ICP_INDUSTRY_SIC, "73", 9},        {ICP_INDUSTRY_NAICS, "5", 9},
    {ICP_INDUSTRY_NAICS, "51", 2}, {ICP_INDUSTRY_SECTOR, "retail", 9},
};
static const struct icp_geo_rule overlap_geo[] = {
    {NULL, core_states, 5, 20}, {"US", NULL, 0, 5}, {"US", core_states, 2, 20}};
static const struct icp overlap_icp = {
    .version = "overlap",
    .industry = {true, 9, overlap_industry, 5},
    .employees = {true, 15, overlap_ranges, 4},
    .revenue_usd = {true, 15, overlap_ranges, 4},
    .title = {true, 14, saas_seniority, 4, saas_department, 2},
    .geography = {true, 20, overlap_geo, 3},
    .technologies = {true, 16, 16, saas_tech, 4},
    .intent_topics = {true, 11, 7, saas_intent, 2},
};

/* ---- helpers ---- */

enum { F_INDUSTRY, F_EMPLOYEES, F_REVENUE, F_TITLE, F_GEO, F_TECH, F_INTENT };

static const char *const factor_names[SCORE_N_FACTORS] = {
    "industry", "employees", "revenue_usd", "title", "geography", "technologies", "intent_topics",
};

/* The invariant every result must satisfy. */
static void assert_invariant(const struct icp *icp, const struct score_result *r)
{
    int sum = 0;

    assert_true(r->n_factors <= SCORE_N_FACTORS);
    for (size_t i = 0; i < r->n_factors; i++) {
        const struct score_factor *f = &r->factors[i];

        assert_non_null(f->name);
        assert_non_null(f->reason);
        assert_true(f->reason[0] != '\0');
        assert_true(f->points >= 0);
        assert_true(f->points <= f->max_points);
        sum += f->points;
    }
    assert_int_equal(sum, r->total);
    assert_true(r->total >= 0 && r->total <= SCORE_MAX_TOTAL);
    assert_string_equal(r->icp_version, icp->version);
}

static const struct score_factor *factor_named(const struct score_result *r, const char *name)
{
    for (size_t i = 0; i < r->n_factors; i++) {
        if (strcmp(r->factors[i].name, name) == 0)
            return &r->factors[i];
    }
    return NULL;
}

/* ---- the table of leads ---- */

struct lead_case {
    const char *label;
    struct score_input in;
    int points[SCORE_N_FACTORS]; /* expected, in factor order */
    int total;
    int reason_factor; /* -1: no reason check */
    const char *reason;
};

static const char *const tech_sf_hs[] = {"salesforce", " HUBSPOT ", "Jira"};
static const char *const tech_all[] = {"Segment", "snowflake", "hubspot", "salesforce",
                                       "Salesforce"};
static const char *const tech_none[] = {"Excel", ""};
static const char *const intent_crm[] = {"crm software", "CRM Software"};

static const struct lead_case lead_cases[] = {
    {"ideal lead",
     {.sic = "7372",
      .naics = "511210",
      .sector = "information",
      .has_employees = true,
      .employees = 350,
      .has_revenue_usd = true,
      .revenue_usd = 60000000,
      .title = "VP of Sales",
      .country = "US",
      .state = "CA",
      .technologies = tech_sf_hs,
      .n_technologies = 3,
      .intent_topics = intent_crm,
      .n_intent_topics = 2},
     {25, 20, 10, 18, 10, 8, 5},
     96,
     F_TITLE,
     "title matches 'vp' (seniority) and 'sales' (department)"},
    {"empty lead", {0}, {0, 0, 0, 0, 0, 0, 0}, 0, F_INDUSTRY, "no SIC, NAICS or sector"},
    {"longest SIC prefix wins, even at 0 points (exclusion)",
     {.sic = "7361", .sector = "professional_services"},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_INDUSTRY,
     "SIC 7361 matches '7361'"},
    {"SIC 7374 beats 737 by length, and 73 is shorter",
     {.sic = "7374"},
     {20, 0, 0, 0, 0, 0, 0},
     20,
     F_INDUSTRY,
     "SIC 7374 matches '7374'"},
    {"short SIC prefix",
     {.sic = "7389"},
     {12, 0, 0, 0, 0, 0, 0},
     12,
     F_INDUSTRY,
     "SIC 7389 matches '73'"},
    {"NAICS better than SIC wins",
     {.sic = "7389", .naics = "541511"},
     {18, 0, 0, 0, 0, 0, 0},
     18,
     F_INDUSTRY,
     "NAICS 541511 matches '5415'"},
    {"sector only when no code rule matches",
     {.sic = "2011", .sector = " Information "},
     {10, 0, 0, 0, 0, 0, 0},
     10,
     F_INDUSTRY,
     "sector 'information' matches"},
    {"nothing matches",
     {.sic = "2011", .naics = "311611", .sector = "manufacturing"},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_INDUSTRY,
     "no rule matches SIC 2011 NAICS 311611 sector 'manufacturing'"},
    {"employee range bounds are inclusive",
     {.has_employees = true, .employees = 199},
     {0, 12, 0, 0, 0, 0, 0},
     12,
     F_EMPLOYEES,
     "199 employees in 50-199"},
    {"open-ended employee range",
     {.has_employees = true, .employees = 250000},
     {0, 4, 0, 0, 0, 0, 0},
     4,
     F_EMPLOYEES,
     "250000 employees in 5000+"},
    {"too small",
     {.has_employees = true, .employees = 12},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_EMPLOYEES,
     "12 employees: no range matches"},
    {"zero employees is a known value",
     {.has_employees = true, .employees = 0, .has_revenue_usd = true, .revenue_usd = -5},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_REVENUE,
     "revenue -5 USD: no range matches"},
    {"revenue tier",
     {.has_revenue_usd = true, .revenue_usd = 10000000},
     {0, 0, 6, 0, 0, 0, 0},
     6,
     F_REVENUE,
     "revenue 10000000 USD in 10000000-49999999"},
    {"revenue unknown",
     {.revenue_usd = 60000000},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_REVENUE,
     "revenue unknown"},
    {"c-level plus department",
     {.title = "Chief Revenue Officer"},
     {0, 0, 0, 20, 0, 0, 0},
     20,
     F_TITLE,
     "title matches 'chief' (seniority) and 'revenue' (department)"},
    {"the better seniority rule wins",
     {.title = "CEO & Head of Sales"},
     {0, 0, 0, 20, 0, 0, 0},
     20,
     F_TITLE,
     "title matches 'ceo' (seniority) and 'sales' (department)"},
    {"word boundaries: cto is not in director",
     {.title = "Director, IT Operations"},
     {0, 0, 0, 13, 0, 0, 0},
     13,
     F_TITLE,
     "title matches 'director' (seniority) and 'operations' (department)"},
    {"phrase keyword across punctuation",
     {.title = "Vice-President,  Marketing"},
     {0, 0, 0, 18, 0, 0, 0},
     18,
     F_TITLE,
     "title matches 'vice president' (seniority) and 'marketing' (department)"},
    {"no partial words",
     {.title = "Salesperson / Itinerant Vpx"},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_TITLE,
     "title 'Salesperson / Itinerant Vpx' matches no keyword"},
    {"department only",
     {.title = "IT"},
     {0, 0, 0, 4, 0, 0, 0},
     4,
     F_TITLE,
     "title matches 'it' (department)"},
    {"state listed",
     {.country = "us", .state = "ny"},
     {0, 0, 0, 0, 10, 0, 0},
     10,
     F_GEO,
     "state ny in US is listed"},
    {"country only",
     {.country = "US", .state = "OH"},
     {0, 0, 0, 0, 7, 0, 0},
     7,
     F_GEO,
     "country US matches"},
    {"CA the country, not the state",
     {.country = "CA", .state = "ON"},
     {0, 0, 0, 0, 3, 0, 0},
     3,
     F_GEO,
     "country CA matches"},
    {"state without country matches no US rule",
     {.state = "CA"},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_GEO,
     "location state CA matches no rule"},
    {"each technology once, capped",
     {.technologies = tech_all, .n_technologies = 5},
     {0, 0, 0, 0, 0, 10, 0},
     10,
     F_TECH,
     "has Salesforce, HubSpot, Snowflake, Segment (4 x 4, capped at 10)"},
    {"no listed technology",
     {.technologies = tech_none, .n_technologies = 2},
     {0, 0, 0, 0, 0, 0, 0},
     0,
     F_TECH,
     "none of the 4 listed technologies"},
    {"intent counted once",
     {.intent_topics = intent_crm, .n_intent_topics = 2},
     {0, 0, 0, 0, 0, 0, 5},
     5,
     F_INTENT,
     "has CRM software (1 x 5)"},
};

static void test_lead_table(void **state)
{
    struct arena *a = arena_new(0);

    (void)state;
    for (size_t i = 0; i < sizeof lead_cases / sizeof lead_cases[0]; i++) {
        const struct lead_case *c = &lead_cases[i];
        struct score_result r;

        assert_int_equal(score_compute(&saas_icp, &c->in, a, &r), PR_OK);
        assert_invariant(&saas_icp, &r);
        assert_int_equal(r.n_factors, SCORE_N_FACTORS);
        for (size_t k = 0; k < SCORE_N_FACTORS; k++) {
            assert_string_equal(r.factors[k].name, factor_names[k]);
            if (r.factors[k].points != c->points[k])
                fail_msg("%s: %s: got %d points, expected %d (%s)", c->label, factor_names[k],
                         r.factors[k].points, c->points[k], r.factors[k].reason);
        }
        if (r.total != c->total)
            fail_msg("%s: total %d, expected %d", c->label, r.total, c->total);
        if (c->reason_factor >= 0 && strcmp(r.factors[c->reason_factor].reason, c->reason) != 0)
            fail_msg("%s: reason\n  got:      %s\n  expected: %s", c->label,
                     r.factors[c->reason_factor].reason, c->reason);
        arena_reset(a);
    }
    arena_free(a);
}

/* Only configured factors appear, in the fixed order, with their own max_points. */
static void test_configured_factors_only(void **state)
{
    static const char *const tech[] = {"Salesforce", "Segment", "HubSpot"};
    struct score_input in = {
        .title = "SVP Sales", .technologies = tech, .n_technologies = 3, .sic = "7372"};
    struct arena *a = arena_new(0);
    struct score_result r;

    (void)state;
    assert_int_equal(score_compute(&sparse_icp, &in, a, &r), PR_OK);
    assert_invariant(&sparse_icp, &r);
    assert_int_equal(r.n_factors, 2);
    assert_string_equal(r.factors[0].name, "title");
    assert_int_equal(r.factors[0].max_points, 40);
    assert_int_equal(r.factors[0].points, 40); /* 30 + 40, capped */
    assert_string_equal(r.factors[1].name, "technologies");
    assert_int_equal(r.factors[1].points, 60); /* 3 x 25, capped */
    assert_int_equal(r.total, 100);
    assert_null(factor_named(&r, "industry"));

    assert_int_equal(score_compute(&zero_icp, &in, a, &r), PR_OK);
    assert_invariant(&zero_icp, &r);
    assert_int_equal(r.n_factors, 2);
    assert_int_equal(r.total, 0);
    arena_free(a);
}

/* Overlapping rules: the best one wins, the first on a tie. */
static void test_best_rule_wins(void **state)
{
    struct score_input in = {.has_employees = true,
                             .employees = 400,
                             .sic = "7311",
                             .naics = "5182",
                             .country = "US",
                             .state = "TX"};
    struct arena *a = arena_new(0);
    struct score_result r;

    (void)state;
    assert_int_equal(score_compute(&overlap_icp, &in, a, &r), PR_OK);
    assert_invariant(&overlap_icp, &r);
    assert_int_equal(factor_named(&r, "employees")->points, 15);
    assert_string_equal(factor_named(&r, "employees")->reason, "400 employees in 50-500");
    /* SIC '73' (9) vs NAICS '51' (2, longer than '5'): SIC wins on points. */
    assert_int_equal(factor_named(&r, "industry")->points, 9);
    assert_string_equal(factor_named(&r, "industry")->reason, "SIC 7311 matches '73'");
    /* A state rule without a country matches any country; the first 20-point rule wins. */
    assert_int_equal(factor_named(&r, "geography")->points, 20);
    assert_string_equal(factor_named(&r, "geography")->reason, "state TX is listed");
    arena_free(a);
}

/* ---- the word form ---- */

static void test_words_normalize(void **state)
{
    static const struct {
        const char *in;
        const char *words;
    } cases[] = {
        {"", ""},
        {"  --  ", ""},
        {"VP", "vp"},
        {"Vice-President,  Sales", "vice president sales"},
        {"  Head of   IT ", "head of it"},
        {"V.P.", "v p"},
        {"C++/C#", "c c"},
        {"R&D", "r d"},
        {"Directeur g\xc3\xa9n\xc3\xa9ral", "directeur g\xc3\xa9n\xc3\xa9ral"},
        {"\xc3\x89QUIPE", "\xc3\x89quipe"}, /* only ASCII letters are folded */
        {"a\tb\nc", "a b c"},
        {"already words", "already words"},
    };
    struct arena *a = arena_new(0);

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = score_words_normalize(a, cases[i].in);

        if (strcmp(got, cases[i].words) != 0)
            fail_msg("\"%s\" -> \"%s\", expected \"%s\"", cases[i].in, got, cases[i].words);
    }
    arena_free(a);
}

/* ---- score_icp_check ---- */

static void test_icp_check(void **state)
{
    static const struct icp_range_rule bad_range[] = {{500, 200, 1}};
    static const struct icp_range_rule too_many_points[] = {{0, 10, 30}};
    static const char *const null_state[] = {NULL};
    static const struct icp_geo_rule bad_geo[] = {{"US", null_state, 1, 1}};
    struct icp icps[8];
    static const char *const messages[8] = {
        "the factors' max_points add up to 110, more than 100",
        "employees range 0: min 500 > max 200",
        "revenue_usd range 0: points 30 outside 0..10",
        "technologies: points_per_match 0 outside 1..10",
        "geography: string 0 is NULL",
        "the ICP has no version",
        "title: max_points 101 outside 0..100",
        "industry rule 2: points 26 outside 0..25",
    };
    struct icp_industry_rule industry[3] = {
        {ICP_INDUSTRY_SIC, "73", 1}, {ICP_INDUSTRY_SIC, "74", 2}, {ICP_INDUSTRY_SIC, "75", 26}};
    struct score_input in = {.title = "CEO"};
    struct arena *a = arena_new(0);

    (void)state;
    for (size_t i = 0; i < 8; i++)
        icps[i] = saas_icp;
    icps[0].intent_topics.max_points = 15;
    icps[1].employees.rules = bad_range;
    icps[1].employees.n_rules = 1;
    icps[2].revenue_usd.rules = too_many_points;
    icps[2].revenue_usd.n_rules = 1;
    icps[3].technologies.points_per_match = 0;
    icps[4].geography.rules = bad_geo;
    icps[4].geography.n_rules = 1;
    icps[5].version = NULL;
    memset(&icps[6], 0, sizeof icps[6]);
    icps[6].version = "v";
    icps[6].title.is_enabled = true;
    icps[6].title.max_points = 101;
    icps[7].industry.rules = industry;
    icps[7].industry.n_rules = 3;

    for (size_t i = 0; i < 8; i++) {
        struct pr_error err;
        struct score_result r;

        assert_int_equal(score_icp_check(&icps[i], &err), PR_INVALID);
        if (strcmp(err.message, messages[i]) != 0)
            fail_msg("case %zu\n  got:      %s\n  expected: %s", i, err.message, messages[i]);
        r.total = 77;
        assert_int_equal(score_compute(&icps[i], &in, a, &r), PR_INVALID);
        assert_int_equal(r.total, 0);
        assert_int_equal(r.n_factors, 0);
    }
    {
        struct pr_error err;

        assert_int_equal(score_icp_check(&saas_icp, &err), PR_OK);
        assert_int_equal(score_icp_check(&sparse_icp, &err), PR_OK);
        assert_int_equal(score_icp_check(&zero_icp, &err), PR_OK);
        assert_int_equal(score_icp_check(&overlap_icp, &err), PR_OK);
    }
    arena_free(a);
}

/* ---- JSON ---- */

static void test_breakdown_json(void **state)
{
    struct score_result r = {
        .total = 37,
        .icp_version = "0123456789abcdef",
        .n_factors = 2,
        .factors = {{"industry", 25, 25, "SIC 7372 matches '737'"},
                    {"title", 12, 20, "title \"VP\"\n\\ matches"}},
    };
    struct buf b, small;

    (void)state;
    buf_init(&b, 4096);
    assert_int_equal(buf_puts(&b, "x"), PR_OK);
    assert_int_equal(score_breakdown_json(&r, &b), PR_OK);
    assert_string_equal(buf_cstr(&b), "x{\"total\":37,\"icp_version\":\"0123456789abcdef\","
                                      "\"factors\":[{\"name\":\"industry\",\"points\":25,"
                                      "\"max\":25,\"reason\":\"SIC 7372 matches '737'\"},"
                                      "{\"name\":\"title\",\"points\":12,\"max\":20,"
                                      "\"reason\":\"title \\\"VP\\\"\\n\\\\ matches\"}]}");
    buf_free(&b);

    /* Too small: fails and leaves the buffer as it was. */
    buf_init(&small, 60);
    assert_int_equal(buf_puts(&small, "keep"), PR_OK);
    assert_int_equal(score_breakdown_json(&r, &small), PR_INVALID);
    assert_string_equal(buf_cstr(&small), "keep");
    assert_int_equal(small.len, 4);
    buf_free(&small);
}

/* ---- the invariant over generated leads ---- */

/* A small deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

static const char *pick(uint64_t *s, const char *const *from, size_t n)
{
    return from[next_random(s) % n];
}

static void test_invariant_generated(void **state)
{
    static const char *const sics[] = {NULL, "",     "7372",  "7374",   "7361", "73",
                                       "7",  "2011", "73721", " 7372 ", "abc",  "9999"};
    static const char *const naics[] = {NULL, "511210", "541511", "54", "5", "311611", "", "5112"};
    static const char *const sectors[] = {
        NULL, "information", "Information", "retail", "professional_services", "manufacturing", ""};
    static const char *const titles[] = {NULL,
                                         "",
                                         "CEO",
                                         "Chief Executive Officer & Founder",
                                         "VP Sales",
                                         "Head of Revenue Operations",
                                         "Sales Manager, IT",
                                         "SVP, Marketing & Sales",
                                         "intern",
                                         "Director of Operations",
                                         "---",
                                         "Directeur général \xc3\xa9quipe",
                                         "\xff\xfe bad bytes vp"};
    static const char *const countries[] = {NULL, "US", "us", "CA", "DE", "", "USA"};
    static const char *const states[] = {NULL, "CA", "ny", "OH", "ON", "", "Texas"};
    static const char *const techs[] = {"Salesforce", "hubspot", "Snowflake", "segment",
                                        "Excel",      "",        " HubSpot ", "Jira"};
    static const char *const intents[] = {"crm software", "Sales Automation", "payroll", ""};
    static const struct icp *const icps[] = {&saas_icp, &sparse_icp, &zero_icp, &overlap_icp};
    struct arena *a = arena_new(0);
    uint64_t seed = 0x9E3779B97F4A7C15ULL;
    struct buf json;

    (void)state;
    buf_init(&json, 1 << 16);
    for (int n = 0; n < 20000; n++) {
        const char *lead_techs[6];
        const char *lead_intents[4];
        struct score_input in = {0};
        struct score_result r;
        const struct icp *icp = icps[n % 4];
        json_t *parsed = NULL;
        struct pr_error err;

        in.sic = pick(&seed, sics, sizeof sics / sizeof sics[0]);
        in.naics = pick(&seed, naics, sizeof naics / sizeof naics[0]);
        in.sector = pick(&seed, sectors, sizeof sectors / sizeof sectors[0]);
        in.has_employees = next_random(&seed) % 4 != 0;
        in.employees = (long long)(next_random(&seed) % 20000) - 10;
        in.has_revenue_usd = next_random(&seed) % 4 != 0;
        in.revenue_usd = (long long)(next_random(&seed) % 1000000000ULL);
        in.title = pick(&seed, titles, sizeof titles / sizeof titles[0]);
        in.country = pick(&seed, countries, sizeof countries / sizeof countries[0]);
        in.state = pick(&seed, states, sizeof states / sizeof states[0]);
        in.n_technologies = next_random(&seed) % 7;
        for (size_t i = 0; i < in.n_technologies; i++)
            lead_techs[i] = pick(&seed, techs, sizeof techs / sizeof techs[0]);
        in.technologies = lead_techs;
        in.n_intent_topics = next_random(&seed) % 5;
        for (size_t i = 0; i < in.n_intent_topics; i++)
            lead_intents[i] = pick(&seed, intents, sizeof intents / sizeof intents[0]);
        in.intent_topics = lead_intents;

        assert_int_equal(score_compute(icp, &in, a, &r), PR_OK);
        assert_invariant(icp, &r);

        /* Deterministic: the same input gives the same breakdown. */
        {
            struct score_result again;

            assert_int_equal(score_compute(icp, &in, a, &again), PR_OK);
            assert_int_equal(again.total, r.total);
            for (size_t i = 0; i < r.n_factors; i++)
                assert_string_equal(again.factors[i].reason, r.factors[i].reason);
        }

        /* The stored form is valid JSON and says the same. */
        buf_reset(&json);
        assert_int_equal(score_breakdown_json(&r, &json), PR_OK);
        assert_int_equal(json_parse_limited(json.ptr, json.len, json.max, 4, &parsed, &err), PR_OK);
        assert_int_equal(json_integer_value(json_object_get(parsed, "total")), r.total);
        assert_int_equal(json_array_size(json_object_get(parsed, "factors")), r.n_factors);
        json_decref(parsed);
        arena_reset(a);
    }
    buf_free(&json);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lead_table),          cmocka_unit_test(test_configured_factors_only),
        cmocka_unit_test(test_best_rule_wins),      cmocka_unit_test(test_words_normalize),
        cmocka_unit_test(test_icp_check),           cmocka_unit_test(test_breakdown_json),
        cmocka_unit_test(test_invariant_generated),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
