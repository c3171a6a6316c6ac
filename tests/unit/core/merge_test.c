/* Survivorship rules, record merging and provenance JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/merge.h"

#include <string.h>

static struct merge_value value(const char *text, const char *source, int trust, int64_t at)
{
    struct merge_value v;

    v.value = text == NULL ? (struct str){NULL, 0} : str_from_cstr(text);
    v.provenance.source = source;
    v.provenance.trust = trust;
    v.provenance.observed_at = at;
    return v;
}

static void test_merge_field(void **state)
{
    static const struct {
        const char *name;
        const char *e_value, *e_source;
        int e_trust;
        int64_t e_at;
        const char *i_value, *i_source;
        int i_trust;
        int64_t i_at;
        enum merge_outcome outcome;
        const char *value, *source; /* survivor */
        int64_t at;
    } cases[] = {
        {"non-empty beats empty", "", NULL, 0, 0, "a@x.com", "crm", 1, 10, MERGE_FILLED, "a@x.com",
         "crm", 10},
        {"NULL is empty", NULL, NULL, 0, 0, "a@x.com", "crm", 1, 10, MERGE_FILLED, "a@x.com", "crm",
         10},
        {"empty never replaces", "a@x.com", "crm", 1, 10, "", "vendor", 9, 99, MERGE_KEPT,
         "a@x.com", "crm", 10},
        {"empty never replaces, even less trusted", "a@x.com", "crm", 5, 10, NULL, "v", 1, 99,
         MERGE_KEPT, "a@x.com", "crm", 10},
        {"both empty", "", "crm", 1, 10, "", "v", 9, 99, MERGE_KEPT, "", "crm", 10},
        {"more trusted wins even when older", "old", "scrape", 1, 100, "new", "crm", 5, 50,
         MERGE_UPDATED, "new", "crm", 50},
        {"less trusted loses even when newer", "old", "crm", 5, 50, "new", "scrape", 1, 100,
         MERGE_KEPT, "old", "crm", 50},
        {"equal trust: newer wins", "old", "a", 3, 50, "new", "b", 3, 100, MERGE_UPDATED, "new",
         "b", 100},
        {"equal trust: older loses", "old", "a", 3, 100, "new", "b", 3, 50, MERGE_KEPT, "old", "a",
         100},
        {"equal trust and time: existing kept", "old", "a", 3, 100, "new", "b", 3, 100, MERGE_KEPT,
         "old", "a", 100},
        {"same value from a more trusted source", "v", "scrape", 1, 100, "v", "crm", 5, 50,
         MERGE_CONFIRMED, "v", "crm", 50},
        {"same value, same trust, newer: nothing changes", "v", "a", 3, 100, "v", "a", 3, 200,
         MERGE_KEPT, "v", "a", 100},
        {"same value, less trusted", "v", "crm", 5, 100, "v", "scrape", 1, 200, MERGE_KEPT, "v",
         "crm", 100},
        {"negative trust ranks order too", "old", "a", -2, 100, "new", "b", -1, 50, MERGE_UPDATED,
         "new", "b", 50},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct merge_value e =
            value(cases[i].e_value, cases[i].e_source, cases[i].e_trust, cases[i].e_at);
        struct merge_value in =
            value(cases[i].i_value, cases[i].i_source, cases[i].i_trust, cases[i].i_at);
        struct merge_value out;
        enum merge_outcome got = merge_field(&e, &in, &out);

        if (got != cases[i].outcome)
            fail_msg("%s: outcome %s, want %s", cases[i].name, merge_outcome_name(got),
                     merge_outcome_name(cases[i].outcome));
        assert_true(str_eq(out.value, str_from_cstr(cases[i].value)));
        assert_string_equal(out.provenance.source, cases[i].source);
        assert_int_equal(out.provenance.observed_at, cases[i].at);
        assert_int_equal(merge_outcome_changes_value(got),
                         got == MERGE_FILLED || got == MERGE_UPDATED);
        /* in place: out may be the existing value itself */
        assert_int_equal(merge_field(&e, &in, &e), cases[i].outcome);
        assert_true(str_eq(e.value, out.value));
    }
}

#define N_FIELDS 4

static void test_merge_record(void **state)
{
    static const char *const names[N_FIELDS] = {"email", "title", "city", "phone"};
    static const struct {
        const char *name;
        struct merge_value existing[N_FIELDS];
        struct merge_value incoming[N_FIELDS];
        size_t n_filled, n_updated, n_confirmed, n_kept;
        bool provenance_changed;
        const char *json;
    } cases[] = {
        {"duplicate: the same row again",
         {{{"a@x.com", 7}, {"crm", 2, 100}},
          {{"CEO", 3}, {"crm", 2, 100}},
          {{NULL, 0}, {0}},
          {{NULL, 0}, {0}}},
         {{{"a@x.com", 7}, {"crm", 2, 200}},
          {{"CEO", 3}, {"crm", 2, 200}},
          {{"", 0}, {"crm", 2, 200}},
          {{NULL, 0}, {0}}},
         0,
         0,
         0,
         4,
         false,
         "{\"email\":{\"source\":\"crm\",\"at\":100},\"title\":{\"source\":\"crm\",\"at\":100}}"},
        {"merge: fills one field, updates another, keeps a third",
         {{{"a@x.com", 7}, {"crm", 2, 100}},
          {{"CEO", 3}, {"scrape", 1, 100}},
          {{NULL, 0}, {0}},
          {{"+15125550100", 12}, {"crm", 2, 100}}},
         {{{"a@x.com", 7}, {"vendor", 1, 300}},
          {{"CTO", 3}, {"vendor", 1, 300}},
          {{"Austin", 6}, {"vendor", 1, 300}},
          {{"+15125550199", 12}, {"vendor", 1, 300}}},
         1,
         1,
         0,
         2,
         true,
         "{\"email\":{\"source\":\"crm\",\"at\":100},\"title\":{\"source\":\"vendor\",\"at\":300},"
         "\"city\":{\"source\":\"vendor\",\"at\":300},\"phone\":{\"source\":\"crm\",\"at\":100}}"},
        {"confirmation only: not a merge, provenance moves",
         {{{"a@x.com", 7}, {"scrape", 1, 100}},
          {{NULL, 0}, {0}},
          {{NULL, 0}, {0}},
          {{NULL, 0}, {0}}},
         {{{"a@x.com", 7}, {"crm", 5, 50}}, {{NULL, 0}, {0}}, {{NULL, 0}, {0}}, {{NULL, 0}, {0}}},
         0,
         0,
         1,
         3,
         true,
         "{\"email\":{\"source\":\"crm\",\"at\":50}}"},
        {"values without a known source have no provenance",
         {{{"a@x.com", 7}, {NULL, 0, 0}}, {{NULL, 0}, {0}}, {{NULL, 0}, {0}}, {{NULL, 0}, {0}}},
         {{{NULL, 0}, {0}},
          {{"Q\"uote", 6}, {"we\"ird\n", 1, 5}},
          {{NULL, 0}, {0}},
          {{NULL, 0}, {0}}},
         1,
         0,
         0,
         3,
         true,
         "{\"title\":{\"source\":\"we\\\"ird\\n\",\"at\":5}}"},
    };
    size_t c, i;

    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct merge_value out[N_FIELDS];
        enum merge_outcome outcomes[N_FIELDS];
        struct merge_summary summary;
        struct pr_error err;
        struct buf json;

        buf_init(&json, 4096);
        assert_int_equal(merge_record(names, cases[c].existing, cases[c].incoming, N_FIELDS, out,
                                      outcomes, &summary, &json, &err),
                         PR_OK);
        if (summary.n_filled != cases[c].n_filled || summary.n_updated != cases[c].n_updated ||
            summary.n_confirmed != cases[c].n_confirmed || summary.n_kept != cases[c].n_kept)
            fail_msg("%s: filled %zu updated %zu confirmed %zu kept %zu", cases[c].name,
                     summary.n_filled, summary.n_updated, summary.n_confirmed, summary.n_kept);
        assert_int_equal(summary.n_changed, cases[c].n_filled + cases[c].n_updated);
        assert_int_equal(summary.provenance_changed, cases[c].provenance_changed);
        assert_string_equal(buf_cstr(&json), cases[c].json);
        for (i = 0; i < N_FIELDS; i++) {
            struct merge_value one;

            assert_int_equal(outcomes[i],
                             merge_field(&cases[c].existing[i], &cases[c].incoming[i], &one));
            assert_true(str_eq(one.value, out[i].value));
        }
        /* NULL outcomes are allowed; appending keeps what the buffer held. */
        buf_reset(&json);
        assert_int_equal(buf_puts(&json, "x"), PR_OK);
        assert_int_equal(merge_record(names, cases[c].existing, cases[c].incoming, N_FIELDS, out,
                                      NULL, &summary, &json, &err),
                         PR_OK);
        assert_int_equal(buf_cstr(&json)[0], 'x');
        assert_string_equal(buf_cstr(&json) + 1, cases[c].json);
        buf_free(&json);
    }
}

static void test_merge_record_limits(void **state)
{
    static const char *const names[1] = {"email"};
    struct merge_value existing[1], incoming[1], out[1];
    struct merge_summary summary;
    struct pr_error err;
    struct buf json;

    (void)state;
    existing[0] = value(NULL, NULL, 0, 0);
    incoming[0] = value("a@x.com", "crm", 1, 10);
    buf_init(&json, 20);
    assert_int_equal(buf_puts(&json, "keep"), PR_OK);
    assert_int_equal(merge_record(names, existing, incoming, 1, out, NULL, &summary, &json, &err),
                     PR_INVALID);
    assert_string_equal(buf_cstr(&json), "keep");
    assert_non_null(strstr(err.message, "provenance"));
    /* the merge itself still happened */
    assert_int_equal(summary.n_filled, 1);
    assert_true(str_eq(out[0].value, str_from_cstr("a@x.com")));
    /* no fields: an empty object, a duplicate */
    buf_reset(&json);
    assert_int_equal(merge_record(names, existing, incoming, 0, out, NULL, &summary, &json, &err),
                     PR_OK);
    assert_string_equal(buf_cstr(&json), "{}");
    assert_int_equal(summary.n_changed, 0);
    buf_free(&json);
}

/* What merge_record writes, merge_provenance_get reads back. */
static void test_provenance_get(void **state)
{
    static const char *const names[2] = {"email", "title"};
    struct merge_value existing[2], incoming[2], out[2];
    struct merge_provenance p;
    struct merge_summary summary;
    struct pr_error err;
    struct buf json;
    json_t *root = NULL;

    (void)state;
    existing[0] = value("a@x.com", "crm", 2, 1700000000000);
    existing[1] = value(NULL, NULL, 0, 0);
    incoming[0] = value(NULL, NULL, 0, 0);
    incoming[1] = value("CEO", "vendor", 1, 1700000000123);
    buf_init(&json, 1024);
    assert_int_equal(merge_record(names, existing, incoming, 2, out, NULL, &summary, &json, &err),
                     PR_OK);
    assert_int_equal(json_parse_limited(json.ptr, json.len, 1024, 4, &root, &err), PR_OK);
    assert_int_equal(merge_provenance_get(root, "email", &p, &err), PR_OK);
    assert_string_equal(p.source, "crm");
    assert_true(p.observed_at == 1700000000000);
    assert_int_equal(p.trust, 0);
    assert_int_equal(merge_provenance_get(root, "title", &p, &err), PR_OK);
    assert_string_equal(p.source, "vendor");
    assert_true(p.observed_at == 1700000000123);
    assert_int_equal(merge_provenance_get(root, "city", &p, &err), PR_NOT_FOUND);
    json_decref(root);
    buf_free(&json);

    {
        static const struct {
            const char *json;
            enum pr_code rc;
        } cases[] = {
            {"{\"email\":{\"source\":\"crm\",\"at\":5}}", PR_OK},
            {"[]", PR_NOT_FOUND},
            {"{}", PR_NOT_FOUND},
            {"{\"email\":\"crm\"}", PR_INVALID},
            {"{\"email\":{\"source\":1,\"at\":5}}", PR_INVALID},
            {"{\"email\":{\"source\":\"crm\"}}", PR_INVALID},
            {"{\"email\":{\"source\":\"crm\",\"at\":-1}}", PR_INVALID},
            {"{\"email\":{\"source\":\"crm\",\"at\":\"5\"}}", PR_INVALID},
        };
        size_t i;

        for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
            assert_int_equal(
                json_parse_limited(cases[i].json, strlen(cases[i].json), 1024, 4, &root, &err),
                PR_OK);
            assert_int_equal(merge_provenance_get(root, "email", &p, &err), cases[i].rc);
            if (cases[i].rc == PR_INVALID)
                assert_true(strstr(err.message, "email") != NULL ||
                            strstr(err.detail, "email") != NULL);
            json_decref(root);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_merge_field),
        cmocka_unit_test(test_merge_record),
        cmocka_unit_test(test_merge_record_limits),
        cmocka_unit_test(test_provenance_get),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
