/*
 * Tests for app/icp: a full file read into the expected tables, the shipped example loaded and
 * used to score leads, the version (stable under comments, formatting, key order and quoting;
 * changed by any rule), and one table of invalid files whose rows give the YAML and the exact
 * message expected, naming the file and the key. icp_load is tested with files in a fresh
 * directory under $TMPDIR (or /tmp).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "app/icp.h"
#include "util/arena.h"
#include "util/str.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SOURCE "icp.yaml"

/* ---- helpers ---- */

static struct icp *parse_ok(const char *yaml)
{
    struct icp *icp = NULL;
    struct pr_error err;
    enum pr_code rc = icp_parse_text(yaml, strlen(yaml), SOURCE, &icp, &err);

    if (rc != PR_OK)
        fail_msg("parse failed: %s\n  hint: %s\n  yaml: %s", err.message, err.hint, yaml);
    assert_non_null(icp);
    return icp;
}

static void assert_parse_fails(const char *yaml, const char *message)
{
    struct icp *icp = (struct icp *)(uintptr_t)1; /* must be reset to NULL on failure */
    struct pr_error err;
    enum pr_code rc = icp_parse_text(yaml, strlen(yaml), SOURCE, &icp, &err);

    if (rc == PR_OK) {
        icp_free(icp);
        fail_msg("parse succeeded, expected: %s\n  yaml: %s", message, yaml);
    }
    assert_null(icp);
    assert_int_equal(rc, PR_CONFIG);
    assert_int_equal(err.code, PR_CONFIG);
    if (strcmp(err.message, message) != 0)
        fail_msg("message\n  got:      %s\n  expected: %s\n  yaml: %s", err.message, message, yaml);
    if (err.hint[0] == '\0')
        fail_msg("no hint for: %s", message);
}

/* ---- a full file ---- */

static const char full_yaml[] = "name: Test ICP\n"
                                "industry:\n"
                                "  max_points: 30\n"
                                "  rules:\n"
                                "    - sic: '737'\n"
                                "      points: 30\n"
                                "    - naics: \"5415\"\n"
                                "      points: 20\n"
                                "    - sector: Professional_Services\n"
                                "      points: 10\n"
                                "employees:\n"
                                "  max_points: 20\n"
                                "  ranges:\n"
                                "    - {min: 100, max: 499, points: 20}\n"
                                "    - {min: 500, points: 10}\n"
                                "    - {max: 99, points: 0}\n"
                                "revenue_usd:\n"
                                "  max_points: 10\n"
                                "  tiers:\n"
                                "    - {min: 10_000_000, max: 99_999_999, points: 10}\n"
                                "title:\n"
                                "  max_points: 20\n"
                                "  seniority:\n"
                                "    - keywords: [VP, Vice-President]\n"
                                "      points: 15\n"
                                "  department:\n"
                                "    - keywords: ['Sales', ' revenue ops ']\n"
                                "      points: 5\n"
                                "geography:\n"
                                "  max_points: 10\n"
                                "  rules:\n"
                                "    - {country: us, states: [ca, Ny], points: 10}\n"
                                "    - {states: [ON], points: 4}\n"
                                "technologies:\n"
                                "  max_points: 5\n"
                                "  points_per_match: 2\n"
                                "  values: [' Salesforce ', HubSpot]\n"
                                "intent_topics:\n"
                                "  max_points: 5\n"
                                "  points_per_match: 5\n"
                                "  values: [crm]\n";

static void test_full_file(void **state)
{
    struct icp *icp = parse_ok(full_yaml);

    (void)state;
    assert_string_equal(icp->name, "Test ICP");
    assert_int_equal(strlen(icp->version), 16);
    assert_int_equal(strspn(icp->version, "0123456789abcdef"), 16);

    assert_true(icp->industry.is_enabled);
    assert_int_equal(icp->industry.max_points, 30);
    assert_int_equal(icp->industry.n_rules, 3);
    assert_int_equal(icp->industry.rules[0].kind, ICP_INDUSTRY_SIC);
    assert_string_equal(icp->industry.rules[0].value, "737");
    assert_int_equal(icp->industry.rules[0].points, 30);
    assert_int_equal(icp->industry.rules[1].kind, ICP_INDUSTRY_NAICS);
    assert_string_equal(icp->industry.rules[1].value, "5415");
    assert_int_equal(icp->industry.rules[2].kind, ICP_INDUSTRY_SECTOR);
    assert_string_equal(icp->industry.rules[2].value, "professional_services");

    assert_int_equal(icp->employees.n_rules, 3);
    assert_int_equal(icp->employees.rules[0].min, 100);
    assert_int_equal(icp->employees.rules[0].max, 499);
    assert_true(icp->employees.rules[1].max == LLONG_MAX);
    assert_int_equal(icp->employees.rules[2].min, 0);
    assert_int_equal(icp->employees.rules[2].max, 99);
    assert_true(icp->revenue_usd.rules[0].min == 10000000LL);
    assert_true(icp->revenue_usd.rules[0].max == 99999999LL);

    assert_int_equal(icp->title.n_seniority, 1);
    assert_int_equal(icp->title.seniority[0].n_keywords, 2);
    assert_string_equal(icp->title.seniority[0].keywords[0], "vp");
    assert_string_equal(icp->title.seniority[0].keywords[1], "vice president");
    assert_string_equal(icp->title.department[0].keywords[1], "revenue ops");

    assert_string_equal(icp->geography.rules[0].country, "US");
    assert_string_equal(icp->geography.rules[0].states[1], "NY");
    assert_null(icp->geography.rules[1].country);
    assert_string_equal(icp->geography.rules[1].states[0], "ON");

    assert_int_equal(icp->technologies.points_per_match, 2);
    assert_string_equal(icp->technologies.values[0], "Salesforce");
    assert_int_equal(icp->intent_topics.max_points, 5);
    icp_free(icp);
}

/* Factors left out are not enabled and do not appear in a score. */
static void test_partial_file(void **state)
{
    struct icp *icp = parse_ok("title:\n"
                               "  max_points: 100\n"
                               "  department:\n"
                               "    - keywords: [it]\n"
                               "      points: 100\n"
                               "industry: ~\n");
    struct score_input in = {.title = "Head of IT"};
    struct arena *a = arena_new(0);
    struct score_result r;

    (void)state;
    assert_null(icp->name);
    assert_false(icp->industry.is_enabled);
    assert_int_equal(icp->title.n_seniority, 0);
    assert_int_equal(score_compute(icp, &in, a, &r), PR_OK);
    assert_int_equal(r.n_factors, 1);
    assert_int_equal(r.total, 100);
    arena_free(a);
    icp_free(icp);
}

/* ---- the shipped example ---- */

static char *example_text(size_t *len)
{
    const char *root = getenv("PROSPECT_SOURCE_ROOT");
    char path[1024];
    FILE *f;
    char *text;
    long size;

    assert_non_null(root);
    assert_true(snprintf(path, sizeof path, "%s/data/icp.example.yaml", root) < (int)sizeof path);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    size = ftell(f);
    assert_true(size > 0 && size < ICP_MAX_BYTES);
    rewind(f);
    text = test_malloc((size_t)size + 1);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    *len = (size_t)size;
    return text;
}

static void test_example_loads_and_scores(void **state)
{
    static const char *const tech[] = {"Salesforce", "Gong", "Slack"};
    static const char *const intent[] = {"Sales Engagement"};
    static const struct {
        struct score_input in;
        int total;
    } leads[] = {
        /* 25 + 20 + 10 + (14 + 6) + 10 + 8 + 3 */
        {{.sic = "7372",
          .has_employees = true,
          .employees = 250,
          .has_revenue_usd = true,
          .revenue_usd = 80000000,
          .title = "VP, Sales",
          .country = "US",
          .state = "NY",
          .technologies = tech,
          .n_technologies = 3,
          .intent_topics = intent,
          .n_intent_topics = 1},
         96},
        /* staffing agency: industry 0; 16 + 0; manager 6 + customer success 3; US 8 */
        {{.sic = "7361",
          .sector = "professional_services",
          .has_employees = true,
          .employees = 800,
          .title = "Customer Success Manager",
          .country = "us",
          .state = "OH"},
         33},
        /* nothing known */
        {{0}, 0},
        /* sector only: finance 12; CFO is 'chief'? no: 'cfo' is not listed -> 0 */
        {{.sector = "finance", .title = "CFO", .country = "DE"}, 12},
    };
    size_t len;
    char *text = example_text(&len);
    struct icp *icp = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);

    (void)state;
    if (icp_parse_text(text, len, "data/icp.example.yaml", &icp, &err) != PR_OK)
        fail_msg("%s (%s)", err.message, err.hint);
    assert_string_equal(icp->name, "US mid-market B2B, sales-led");
    for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
        struct score_result r;
        struct buf json;
        int sum = 0;

        assert_int_equal(score_compute(icp, &leads[i].in, a, &r), PR_OK);
        assert_int_equal(r.n_factors, SCORE_N_FACTORS);
        for (size_t k = 0; k < r.n_factors; k++)
            sum += r.factors[k].points;
        assert_int_equal(sum, r.total);
        if (r.total != leads[i].total) {
            buf_init(&json, 4096);
            (void)score_breakdown_json(&r, &json);
            fail_msg("lead %zu: total %d, expected %d: %s", i, r.total, leads[i].total,
                     buf_cstr(&json));
        }
        assert_string_equal(r.icp_version, icp->version);
    }
    icp_free(icp);
    arena_free(a);
    test_free(text);
}

/* ---- the version ---- */

static void test_version(void **state)
{
    static const char base[] = "industry:\n"
                               "  max_points: 50\n"
                               "  rules:\n"
                               "    - {sic: '73', points: 40}\n"
                               "technologies:\n"
                               "  max_points: 10\n"
                               "  points_per_match: 5\n"
                               "  values: [a, b]\n";
    /* Same rules: comments, flow vs block style, key order, quoting, a name. */
    static const char same[] = "# a comment\n"
                               "name: renamed\n"
                               "technologies: {values: ['a', \"b\"], points_per_match: '5',\n"
                               "               max_points: 10}\n"
                               "industry:\n"
                               "  rules:\n"
                               "    - points: 40   # forty\n"
                               "      sic: \"73\"\n"
                               "  max_points: 50\n";
    static const char *const different[] = {
        "industry: {max_points: 51, rules: [{sic: '73', points: 40}]}\n"
        "technologies: {max_points: 10, points_per_match: 5, values: [a, b]}\n",
        "industry: {max_points: 50, rules: [{sic: '73', points: 41}]}\n"
        "technologies: {max_points: 10, points_per_match: 5, values: [a, b]}\n",
        "industry: {max_points: 50, rules: [{sic: '731', points: 40}]}\n"
        "technologies: {max_points: 10, points_per_match: 5, values: [a, b]}\n",
        "industry: {max_points: 50, rules: [{naics: '73', points: 40}]}\n"
        "technologies: {max_points: 10, points_per_match: 5, values: [a, b]}\n",
        "industry: {max_points: 50, rules: [{sic: '73', points: 40}]}\n"
        "technologies: {max_points: 10, points_per_match: 5, values: [b, a]}\n",
        "industry: {max_points: 50, rules: [{sic: '73', points: 40}]}\n"
        "technologies: {max_points: 10, points_per_match: 5, values: [a b]}\n",
        "industry: {max_points: 50, rules: [{sic: '73', points: 40}]}\n"
        "intent_topics: {max_points: 10, points_per_match: 5, values: [a, b]}\n",
    };
    struct icp *a = parse_ok(base);
    struct icp *b = parse_ok(same);

    (void)state;
    assert_string_equal(a->version, b->version);
    icp_free(b);
    for (size_t i = 0; i < sizeof different / sizeof different[0]; i++) {
        struct icp *c = parse_ok(different[i]);

        if (strcmp(a->version, c->version) == 0)
            fail_msg("same version for different rules:\n%s", different[i]);
        for (size_t j = 0; j < i; j++) {
            struct icp *d = parse_ok(different[j]);

            assert_string_not_equal(c->version, d->version);
            icp_free(d);
        }
        icp_free(c);
    }
    icp_free(a);
}

/* ---- invalid files ---- */

#define ALL_FACTORS                                                                                \
    "(industry, employees, revenue_usd, title, geography, technologies, intent_topics)"

/* A valid title section to put other sections next to. */
#define TITLE_OK "title: {max_points: 10, seniority: [{keywords: [vp], points: 10}]}\n"

static const struct {
    const char *yaml;
    const char *message;
} bad_files[] = {
    /* empty */
    {"", SOURCE ": expected at least one factor " ALL_FACTORS ", got an empty file"},
    {"# only a comment\n---\n",
     SOURCE ": expected at least one factor " ALL_FACTORS ", got an empty file"},
    {"name: just a name\n", SOURCE ": expected at least one factor " ALL_FACTORS ", got none"},
    {"industry:\ntitle: ~\n", SOURCE ": expected at least one factor " ALL_FACTORS ", got none"},
    /* the total */
    {"industry: {max_points: 60, rules: [{sic: '73', points: 60}]}\n"
     "employees: {max_points: 50, ranges: [{min: 1, points: 50}]}\n",
     SOURCE ": max_points: expected the factors' max_points to add up to at most 100, got 110"},
    /* ranges */
    {"employees: {max_points: 10, ranges: [{min: 1, max: 5, points: 1},"
     " {min: 500, max: 200, points: 2}]}\n",
     SOURCE ": employees.ranges[1].max: expected an integer from 500 (its min) to 100000000, "
            "got \"200\""},
    {"revenue_usd: {max_points: 10, tiers: [{min: 1e6, points: 2}]}\n",
     SOURCE ": revenue_usd.tiers[0].min: expected an integer from 0 to 1000000000000000, got "
            "\"1e6\""},
    {"revenue_usd: {max_points: 10, tiers: [{min: -5, points: 2}]}\n",
     SOURCE ": revenue_usd.tiers[0].min: expected an integer from 0 to 1000000000000000, got "
            "\"-5\""},
    {"revenue_usd: {max_points: 10, tiers: [{min: 1__000, points: 2}]}\n",
     SOURCE ": revenue_usd.tiers[0].min: expected an integer from 0 to 1000000000000000, got "
            "\"1__000\""},
    {"employees: {max_points: 10, ranges: [{max: 100000001, points: 2}]}\n",
     SOURCE ": employees.ranges[0].max: expected an integer from 0 to 100000000, got "
            "\"100000001\""},
    {"employees: {max_points: 10, ranges: []}\n",
     SOURCE ": employees.ranges: expected a list of 1 to 1000 ranges, got none"},
    {"employees: {max_points: 10}\n",
     SOURCE ": employees.ranges: expected a list of 1 to 1000 ranges, got none"},
    /* points and max_points */
    {"employees: {max_points: 10, ranges: [{min: 1, points: 11}]}\n",
     SOURCE ": employees.ranges[0].points: expected an integer from 0 to 10 "
            "(employees.max_points), got \"11\""},
    {"employees: {max_points: 3, ranges: [{min: 1, points: 5}]}\n",
     SOURCE ": employees.ranges[0].points: expected an integer from 0 to 3 "
            "(employees.max_points), got \"5\""},
    {"employees: {max_points: 0, ranges: [{min: 1, points: 1}]}\n",
     SOURCE ": employees.ranges[0].points: expected an integer from 0 to 0 "
            "(employees.max_points), got \"1\""},
    {"employees: {max_points: 10, ranges: [{min: 1}]}\n",
     SOURCE ": employees.ranges[0].points: expected an integer from 0 to 10 "
            "(employees.max_points), got nothing"},
    {"employees: {max_points: 10, ranges: [{min: 1, points: }]}\n",
     SOURCE ": employees.ranges[0].points: expected an integer from 0 to 10 "
            "(employees.max_points), got \"\""},
    {"employees: {max_points: 101, ranges: [{min: 1, points: 1}]}\n",
     SOURCE ": employees.max_points: expected an integer from 0 to 100, got \"101\""},
    {"employees: {ranges: [{min: 1, points: 1}]}\n",
     SOURCE ": employees.max_points: expected an integer from 0 to 100, got nothing"},
    {"employees: {max_points: ten, ranges: [{min: 1, points: 1}]}\n",
     SOURCE ": employees.max_points: expected an integer from 0 to 100, got \"ten\""},
    /* industry */
    {"industry: {max_points: 10, rules: [{sic: 73a, points: 1}]}\n",
     SOURCE ": industry.rules[0].sic: expected a SIC code or prefix of 1 to 4 digits, got "
            "\"73a\""},
    {"industry: {max_points: 10, rules: [{naics: '1234567', points: 1}]}\n",
     SOURCE ": industry.rules[0].naics: expected a NAICS code or prefix of 1 to 6 digits, got "
            "\"1234567\""},
    {"industry: {max_points: 10, rules: [{sector: real estate, points: 1}]}\n",
     SOURCE ": industry.rules[0].sector: expected a sector name of letters, digits and '_' (such "
            "as professional_services), got \"real estate\""},
    {"industry: {max_points: 10, rules: [{sic: '73', naics: '54', points: 1}]}\n",
     SOURCE ": industry.rules[0]: expected exactly one of sic, naics, sector, got sic and naics"},
    {"industry: {max_points: 10, rules: [{points: 1}]}\n",
     SOURCE ": industry.rules[0]: expected exactly one of sic, naics, sector, got none"},
    {"industry: {max_points: 10, rules: [{sic: '73', points: 1}, {naics: '73', points: 1},"
     " {sic: '73', points: 2}]}\n",
     SOURCE ": industry.rules[2].sic: expected a sic no earlier rule gives, got \"73\""},
    /* title */
    {"title: {max_points: 10}\n",
     SOURCE ": title: expected seniority or department rules, got neither"},
    {"title: {max_points: 10, seniority: [{keywords: [vp, ceo, VP], points: 1}]}\n",
     SOURCE ": title.seniority[0].keywords[2]: expected a keyword not listed before, got "
            "\"VP\""},
    {"title: {max_points: 10, seniority: [{keywords: [vp], points: 1},"
     " {keywords: [chief, '.&.'], points: 2}]}\n",
     SOURCE ": title.seniority[1].keywords[1]: expected a keyword with at least one letter or "
            "digit, got \".&.\""},
    {"title: {max_points: 10, department: [{keywords: [' -- '], points: 1}]}\n",
     SOURCE ": title.department[0].keywords[0]: expected a keyword with at least one letter or "
            "digit, got \" -- \""},
    {"title: {max_points: 10, department: [{keywords: [], points: 1}]}\n",
     SOURCE ": title.department[0].keywords: expected a list of 1 to 1000 keywords, got none"},
    {"title: {max_points: 10, department: [{keywords: sales, points: 1}]}\n",
     SOURCE ": title.department[0].keywords: expected a list, got a single value (line 1, "
            "column 49)"},
    /* geography */
    {TITLE_OK "geography: {max_points: 0, rules: [{points: 0}]}\n",
     SOURCE ": geography.rules[0]: expected country or states, got neither"},
    {TITLE_OK "geography: {max_points: 5, rules: [{country: USA, points: 5}]}\n",
     SOURCE ": geography.rules[0].country: expected a two-letter country code (ISO 3166-1 "
            "alpha-2), got \"USA\""},
    {TITLE_OK "geography: {max_points: 5, rules: [{states: [CA, Texas], points: 5}]}\n",
     SOURCE ": geography.rules[0].states[1]: expected a state or region code of 1 to 3 letters "
            "or digits (such as CA), got \"Texas\""},
    /* lists */
    {"technologies: {max_points: 10, points_per_match: 0, values: [a]}\n",
     SOURCE ": technologies.points_per_match: expected an integer from 1 to 10 "
            "(technologies.max_points), got \"0\""},
    {"technologies: {max_points: 10, points_per_match: 11, values: [a]}\n",
     SOURCE ": technologies.points_per_match: expected an integer from 1 to 10 "
            "(technologies.max_points), got \"11\""},
    {"intent_topics: {max_points: 2, points_per_match: 3, values: [a]}\n",
     SOURCE ": intent_topics.points_per_match: expected an integer from 1 to 2 "
            "(intent_topics.max_points), got \"3\""},
    {"intent_topics: {max_points: 10, values: [a]}\n",
     SOURCE ": intent_topics.points_per_match: expected an integer from 1 to 10 "
            "(intent_topics.max_points), got nothing"},
    {"intent_topics: {max_points: 0, points_per_match: 1, values: [a]}\n",
     SOURCE ": intent_topics.max_points: expected an integer from 1 to 100, got \"0\""},
    {"technologies: {max_points: 10, points_per_match: 1, values: []}\n",
     SOURCE ": technologies.values: expected a list of 1 to 1000 values, got none"},
    {"technologies: {max_points: 10, points_per_match: 1, values: [SalesForce, salesforce]}\n",
     SOURCE ": technologies.values[1]: expected a value not listed before, got \"salesforce\""},
    {"technologies: {max_points: 10, points_per_match: 1, values: [\"a\\tb\"]}\n",
     SOURCE ": technologies.values[0]: expected a value of 1 to 100 bytes without control "
            "characters, got \"a\\x09b\""},
    {"name: ''\n" TITLE_OK,
     SOURCE ": name: expected a name of 1 to 200 bytes without control characters, got \"\""},
    /* structure, from libcyaml */
    {"industri:\n  max_points: 1\n", SOURCE ": industri: unknown key"},
    {"industry:\n  max_points: 10\n  rules:\n    - sic: '7'\n      points: 1\n"
     "    - sicc: '8'\n",
     SOURCE ": industry.rules[1].sicc: unknown key"},
    {"industry:\n  max_points: 10\n  rules: 5\n",
     SOURCE ": industry.rules: expected a list, got a single value (line 3, column 10)"},
    {"industry:\n  max_points: [10]\n",
     SOURCE ": industry.max_points: expected a single value, got a list (line 2, column 15)"},
    {"industry:\n  max_points: 10\n  max_points: 20\n",
     SOURCE ": industry.max_points: duplicate key"},
    {"title: 5\n", SOURCE ": title: expected a mapping, got a single value (line 1, column 8)"},
    {"- a\n- b\n", SOURCE ": expected a mapping of factors at the top level, got a list"},
    {"just text\n", SOURCE ": expected a mapping of factors at the top level, got a single value"},
    {"industry:\n\tmax_points: 1\n",
     SOURCE ": industry: invalid YAML after line 1, column 1: found character that cannot "
            "start any token"},
    {TITLE_OK "---\n" TITLE_OK, SOURCE ": more than one YAML document"},
    {"title: *nowhere\n", SOURCE ": title: alias 'nowhere' has no anchor (line 1, column 1)"},
};

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++)
        assert_parse_fails(bad_files[i].yaml, bad_files[i].message);
}

/* Hints say what to do; a few are checked word for word. */
static void test_hints(void **state)
{
    static const struct {
        const char *yaml;
        const char *hint;
    } cases[] = {
        {"industry: {max_points: 60, rules: [{sic: '73', points: 60}]}\n"
         "employees: {max_points: 50, ranges: [{min: 1, points: 50}]}\n",
         "industry 60 + employees 50 = 110; lower some so a score stays within 0-100"},
        {"industri:\n  max_points: 1\n",
         "valid keys at the top level: name, industry, employees, revenue_usd, title, "
         "geography, technologies, intent_topics; see docs/icp.md"},
        {"industry:\n  rules:\n    - {sicc: '8'}\n",
         "valid keys in industry.rules[0]: sic, naics, sector, points; see docs/icp.md"},
        {"employees: {max_points: 10, ranges: [{min: 1, points: 11}]}\n",
         "raise employees.max_points or lower these points"},
        {"industry: {max_points: 10, rules: [{sic: '73', points: 1}, {sic: '73', points: 2}]}\n",
         "industry.rules[0] gives sic 73 already; keep one"},
        {"title: {max_points: 10, seniority: [{keywords: [vp], points: 1},"
         " {keywords: [V-P, 'vp'], points: 2}]}\n",
         "title.seniority[0].keywords[0] gives \"vp\" already; list it once"},
        {"industry:\n\tmax_points: 1\n", "line 2 is indented with a tab; YAML allows only spaces"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct icp *icp = NULL;
        struct pr_error err;

        assert_int_equal(icp_parse_text(cases[i].yaml, strlen(cases[i].yaml), SOURCE, &icp, &err),
                         PR_CONFIG);
        if (strcmp(err.hint, cases[i].hint) != 0)
            fail_msg("hint\n  got:      %s\n  expected: %s", err.hint, cases[i].hint);
    }
}

/* Limits: entries per list, entries in all, file size, alias expansion. */
static void test_limits(void **state)
{
    struct buf b;
    struct icp *icp = NULL;
    struct pr_error err;

    (void)state;
    buf_init(&b, 4 * ICP_MAX_BYTES);

    /* 1001 values in one list. */
    assert_int_equal(buf_puts(&b, "technologies:\n  max_points: 10\n  points_per_match: 1\n"
                                  "  values:\n"),
                     PR_OK);
    for (int i = 0; i <= ICP_MAX_ENTRIES; i++)
        assert_int_equal(buf_printf(&b, "    - v%d\n", i), PR_OK);
    assert_parse_fails(buf_cstr(&b),
                       SOURCE ": technologies.values: expected a list of 1 to 1000 values, "
                              "got 1001");

    /* 11 rules of 1000 keywords each: each list is fine, the whole is not (the 11 rules count
     * too, so the 10th keyword list goes past 10000). */
    buf_reset(&b);
    assert_int_equal(buf_puts(&b, "title:\n  max_points: 10\n  seniority:\n"), PR_OK);
    for (int r = 0; r < 11; r++) {
        assert_int_equal(buf_printf(&b, "    - points: 1\n      keywords: ["), PR_OK);
        for (int k = 0; k < ICP_MAX_ENTRIES; k++)
            assert_int_equal(buf_printf(&b, "%sk%d_%d", k > 0 ? ", " : "", r, k), PR_OK);
        assert_int_equal(buf_puts(&b, "]\n"), PR_OK);
    }
    assert_parse_fails(buf_cstr(&b),
                       SOURCE ": title.seniority[9].keywords: expected at most 10000 rules, "
                              "keywords, states and values in all, got more");

    /* Over 1 MiB. */
    buf_reset(&b);
    while (b.len <= ICP_MAX_BYTES)
        assert_int_equal(buf_puts(&b, "# padding padding padding padding padding padding\n"),
                         PR_OK);
    assert_int_equal(icp_parse_text(b.ptr, b.len, SOURCE, &icp, &err), PR_CONFIG);
    assert_non_null(strstr(err.message, "file is larger than 1 MiB"));
    assert_null(icp);

    /* One anchored list of 20000 keywords repeated by 100 aliases: about 28 MiB once expanded.
     * It fails with a message, not an abort. */
    buf_reset(&b);
    assert_int_equal(buf_puts(&b, "title:\n  max_points: 10\n  seniority:\n"
                                  "    - points: 1\n      keywords: &k ["),
                     PR_OK);
    for (int k = 0; k < 20000; k++)
        assert_int_equal(buf_printf(&b, "%sk%d", k > 0 ? ", " : "", k), PR_OK);
    assert_int_equal(buf_puts(&b, "]\n"), PR_OK);
    for (int r = 0; r < 100; r++)
        assert_int_equal(buf_puts(&b, "    - {points: 1, keywords: *k}\n"), PR_OK);
    assert_parse_fails(buf_cstr(&b),
                       SOURCE ": document too large once aliases are expanded (over 16 MiB)");
    buf_free(&b);
}

/* ---- icp_load ---- */

static void test_load_file(void **state)
{
    const char *base = getenv("TMPDIR");
    char dir[512], path[600];
    struct icp *icp = NULL;
    struct pr_error err;
    FILE *f;

    (void)state;
    assert_true(snprintf(dir, sizeof dir, "%s/prospect_icp_test_XXXXXX",
                         base != NULL && base[0] != '\0' ? base : "/tmp") < (int)sizeof dir);
    assert_non_null(mkdtemp(dir));
    assert_true(snprintf(path, sizeof path, "%s/icp.yaml", dir) < (int)sizeof path);

    assert_int_equal(icp_load(path, &icp, &err), PR_IO);
    assert_null(icp);
    assert_non_null(strstr(err.message, "cannot open"));

    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(full_yaml, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(icp_load(path, &icp, &err), PR_OK);
    {
        struct icp *same = parse_ok(full_yaml);

        assert_string_equal(icp->version, same->version);
        icp_free(same);
    }
    icp_free(icp);

    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(
        fputs("employees: {max_points: 5, ranges: [{min: 9, max: 1, points: 1}]}\n", f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(icp_load(path, &icp, &err), PR_CONFIG);
    assert_null(icp);
    {
        char expected[800];

        assert_true(snprintf(expected, sizeof expected,
                             "%s: employees.ranges[0].max: expected an integer from 9 (its min) "
                             "to 100000000, got \"1\"",
                             path) < (int)sizeof expected);
        assert_string_equal(err.message, expected);
    }
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    icp_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_file),
        cmocka_unit_test(test_partial_file),
        cmocka_unit_test(test_example_loads_and_scores),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_load_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
