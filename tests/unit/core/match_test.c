/* Similarity measures, fuzzy company matching, identity and blocking keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/match.h"
#include "util/arena.h"

#include <math.h>
#include <string.h>

#define TOLERANCE 0.0005

static double jw(const char *a, const char *b)
{
    return match_jaro_winkler(a, strlen(a), b, strlen(b));
}

static double trigram(const char *a, const char *b)
{
    return match_trigram_similarity(a, strlen(a), b, strlen(b));
}

static void expect_near(const char *what, const char *a, const char *b, double got, double want)
{
    if (fabs(got - want) > TOLERANCE)
        fail_msg("%s(\"%s\", \"%s\") = %.4f, want %.4f", what, a, b, got, want);
}

/* Published reference values (Winkler 1990; the Jaro-Winkler article's worked examples), and
 * edge cases. Each pair is checked both ways round. */
static void test_jaro_winkler(void **state)
{
    static const struct {
        const char *a, *b;
        double want;
    } cases[] = {
        {"MARTHA", "MARHTA", 0.961},
        {"DWAYNE", "DUANE", 0.840},
        {"DIXON", "DICKSONX", 0.813},
        {"JONES", "JOHNSON", 0.832},
        {"CRATE", "TRACE", 0.733},       /* no common prefix: Jaro alone */
        {"ABCVWXYZ", "CABVWXYZ", 0.958}, /* no common prefix: Jaro 0.958 */
        {"abc", "xyz", 0.0},
        {"abc", "abc", 1.0},
        {"a", "a", 1.0},
        {"", "", 1.0},
        {"", "abc", 0.0},
        /* code points, not bytes: u-umlaut is one character (Jaro 0.889 + prefix 1) */
        {"m\xC3\xBCller", "muller", 0.900},
        /* an invalid byte counts as one character of its own */
        {"ab\xFF", "ab\xFE", 0.822},
        {"acme holdings", "acme holding", 0.985},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_near("jw", cases[i].a, cases[i].b, jw(cases[i].a, cases[i].b), cases[i].want);
        expect_near("jw", cases[i].b, cases[i].a, jw(cases[i].b, cases[i].a), cases[i].want);
    }
    assert_true(match_jaro_winkler(NULL, 5, "", 0) == 1.0);
    assert_true(match_jaro_winkler(NULL, 0, "a", 1) == 0.0);
}

/* Only the first MATCH_MAX_CHARS code points take part. */
static void test_long_strings(void **state)
{
    char a[2 * MATCH_MAX_CHARS], b[2 * MATCH_MAX_CHARS];

    (void)state;
    memset(a, 'q', sizeof a);
    memcpy(b, a, sizeof b);
    b[MATCH_MAX_CHARS + 10] = 'z';
    assert_true(match_jaro_winkler(a, sizeof a, b, sizeof b) == 1.0);
    assert_true(match_trigram_similarity(a, sizeof a, b, sizeof b) == 1.0);
    b[MATCH_MAX_CHARS - 1] = 'z';
    assert_true(match_jaro_winkler(a, sizeof a, b, sizeof b) < 1.0);
    assert_true(match_trigram_similarity(a, sizeof a, b, sizeof b) < 1.0);
}

static void test_trigram(void **state)
{
    static const struct {
        const char *a, *b;
        double want;
    } cases[] = {
        /* {"  a"," ab","abc","bc "} vs {"  a"," ab","abd","bd "}: 2 of 6 */
        {"abc", "abd", 2.0 / 6.0},
        {"abc", "abc", 1.0},
        {"abc", "xyz", 0.0},
        {"", "", 1.0},
        {"", "a", 0.0},
        /* sets: repeats count once, so these share every trigram */
        {"aaaa", "aaaaa", 1.0},
        /* 12 shared of 15 */
        {"acme holdings", "acme holding", 0.8},
        {"first national bank of texas", "first national bank of ohio", 23.0 / 34.0},
        /* a two-byte character is one character: {"  m"," m\xfc","m\xfc "} vs {"  m"," mu","mu "}
         */
        {"m\xC3\xBC", "mu", 1.0 / 5.0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        expect_near("trigram", cases[i].a, cases[i].b, trigram(cases[i].a, cases[i].b),
                    cases[i].want);
        expect_near("trigram", cases[i].b, cases[i].a, trigram(cases[i].b, cases[i].a),
                    cases[i].want);
    }
    assert_true(match_trigram_similarity(NULL, 3, NULL, 0) == 1.0);
}

static void test_company_fuzzy(void **state)
{
    static const struct {
        const char *a, *b;
        bool match; /* at the default threshold */
    } cases[] = {
        {"acme holdings", "acme holding", true},
        {"acme", "acme", true},
        {"globex corporation", "globex corporaton", true},
        {"umbrella", "umbrela", true},
        {"wayne enterprises", "wayne enterprise", true},
        {"stark industries", "stark industry", true},
        {"initech", "initec", true},
        {"acme", "acne pharma", false},
        {"acme", "acme pharma", false},
        {"first national foods group", "first national roofing group", false},
        {"cedar capital enterprises", "cedar capital services", false},
        {"blue ridge capital", "blue ridge construction", false},
        {"maple leaf foods", "maple leaf insurance", false},
        {"soylent", "soylent green", false},
        {"abc", "xyz", false},
        {"", "", false},
        {"acme", "", false},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool ab = match_company_fuzzy(cases[i].a, cases[i].b, MATCH_DEFAULT_COMPANY_THRESHOLD);
        bool ba = match_company_fuzzy(cases[i].b, cases[i].a, MATCH_DEFAULT_COMPANY_THRESHOLD);

        if (ab != cases[i].match || ba != cases[i].match)
            fail_msg("\"%s\" / \"%s\": similarity %.4f, want %s", cases[i].a, cases[i].b,
                     match_company_similarity(cases[i].a, cases[i].b),
                     cases[i].match ? "a match" : "no match");
    }
    /* The combination: min(jw, trigram + 0.3). */
    expect_near(
        "company", "first national foods group", "first national roofing group",
        match_company_similarity("first national foods group", "first national roofing group"),
        0.856);
    expect_near("company", "acme holdings", "acme holding",
                match_company_similarity("acme holdings", "acme holding"), 0.985);
    /* The threshold is the caller's. */
    assert_true(match_company_fuzzy("hooli", "hooly", 0.75));
    assert_false(match_company_fuzzy("hooli", "hooly", 0.85));
    assert_true(match_company_fuzzy("acme", "acme", 1.0));
    assert_false(match_company_fuzzy("acme holdings", "acme holding", 1.0));
    assert_false(match_company_fuzzy(NULL, "acme", 0.0));
    assert_false(match_company_fuzzy("", "", 0.0));
}

static void test_contact_keys(void **state)
{
    static const struct {
        const char *email, *phone, *name, *company;
        const char *keys[MATCH_MAX_KEYS];
    } cases[] = {
        {"ann@acme.com",
         "+15125550100",
         "ann lee",
         "d:acme.com",
         {"e:ann@acme.com", "p:+15125550100", "n:ann lee|d:acme.com"}},
        {NULL, "+15125550100", "ann lee", "d:acme.com", {"p:+15125550100", "n:ann lee|d:acme.com"}},
        {"", "", "ann lee", "n:acme|austin", {"n:ann lee|n:acme|austin"}},
        {"ann@acme.com", NULL, "ann lee", NULL, {"e:ann@acme.com"}},
        {NULL, NULL, "ann lee", "", {NULL}},
        {NULL, NULL, NULL, "d:acme.com", {NULL}},
        {NULL, NULL, NULL, NULL, {NULL}},
        /* a '|' in the name cannot shift the boundary to the company key */
        {NULL, NULL, "a|b\\c", "d:x.com", {"n:a\\|b\\\\c|d:x.com"}},
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct arena *arena = arena_new(0);
        struct match_keys keys;
        size_t n_want = 0;

        match_contact_keys(cases[i].email, cases[i].phone, cases[i].name, cases[i].company, arena,
                           &keys);
        while (n_want < MATCH_MAX_KEYS && cases[i].keys[n_want] != NULL)
            n_want++;
        assert_int_equal(keys.n, n_want);
        for (k = 0; k < n_want; k++)
            assert_string_equal(keys.keys[k], cases[i].keys[k]);
        arena_free(arena);
    }
}

static void test_company_key(void **state)
{
    static const struct {
        const char *domain, *name, *city, *key;
    } cases[] = {
        {"acme.com", "acme", "Austin", "d:acme.com"},
        {"acme.com", NULL, NULL, "d:acme.com"},
        {NULL, "acme", " Austin ", "n:acme|austin"},
        {"", "acme", "SAN JOSE", "n:acme|san jose"},
        {NULL, "acme", NULL, "n:acme|"},
        {NULL, "a|b", "x|y", "n:a\\|b|x\\|y"},
        {NULL, NULL, "Austin", NULL},
        {"", "", "", NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct arena *arena = arena_new(0);
        const char *key = match_company_key(cases[i].domain, cases[i].name, cases[i].city, arena);

        if (cases[i].key == NULL)
            assert_null(key);
        else
            assert_string_equal(key, cases[i].key);
        arena_free(arena);
    }
}

static void test_block_keys(void **state)
{
    static const struct {
        const char *name, *state;
        const char *keys[2];
    } cases[] = {
        {"acme holdings", "TX", {"b:acm|tx", "s:ngs|tx"}},
        {"acme holdings", NULL, {"b:acm|", "s:ngs|"}},
        {"acm", "TX", {"b:acm|tx", NULL}},
        {"ab", "", {"b:ab|", NULL}},
        {"acme", "ca", {"b:acm|ca", "s:cme|ca"}},
        /* three characters, not three bytes */
        {"\xC3\xBC\xC3\xBC\xC3\xBCx\xC3\xA9",
         "by",
         {"b:\xC3\xBC\xC3\xBC\xC3\xBC|by", "s:\xC3\xBCx\xC3\xA9|by"}},
        {"", "TX", {NULL, NULL}},
        {NULL, "TX", {NULL, NULL}},
    };
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct arena *arena = arena_new(0);
        struct match_keys keys;
        size_t n_want = 0;

        match_company_block_keys(cases[i].name, cases[i].state, arena, &keys);
        while (n_want < 2 && cases[i].keys[n_want] != NULL)
            n_want++;
        assert_int_equal(keys.n, n_want);
        for (k = 0; k < n_want; k++)
            assert_string_equal(keys.keys[k], cases[i].keys[k]);
        arena_free(arena);
    }
    /* A typo at either end keeps the other block shared. */
    {
        struct arena *arena = arena_new(0);
        struct match_keys a, b;

        match_company_block_keys("acme holdings", "TX", arena, &a);
        match_company_block_keys("axme holdings", "TX", arena, &b);
        assert_string_not_equal(a.keys[0], b.keys[0]);
        assert_string_equal(a.keys[1], b.keys[1]);
        arena_free(arena);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jaro_winkler), cmocka_unit_test(test_long_strings),
        cmocka_unit_test(test_trigram),      cmocka_unit_test(test_company_fuzzy),
        cmocka_unit_test(test_contact_keys), cmocka_unit_test(test_company_key),
        cmocka_unit_test(test_block_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
