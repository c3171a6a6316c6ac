/* Problem+json rendering (type from the slug, status from the one map, no internal detail)
 * and the Prometheus text of the metrics. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api/metrics.h"
#include "api/problem.h"
#include "util/json.h"

#include <string.h>

static json_t *parse(const struct buf *b)
{
    json_error_t jerr;
    json_t *doc = json_loadb(b->ptr, b->len, 0, &jerr);

    if (doc == NULL)
        fail_msg("not JSON (%s): %s", jerr.text, buf_cstr(b));
    return doc;
}

static void test_render_not_found(void **state)
{
    struct buf out;
    json_t *doc;

    (void)state;
    buf_init(&out, 4096);
    assert_int_equal(api_problem_render(&out, PR_NOT_FOUND, "no such contact", NULL, "abc123"),
                     PR_OK);
    doc = parse(&out);
    assert_string_equal(json_string_value(json_object_get(doc, "type")),
                        "https://prospect.dev/problems/not-found");
    assert_string_equal(json_string_value(json_object_get(doc, "title")), "Not Found");
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), 404);
    assert_string_equal(json_string_value(json_object_get(doc, "detail")), "no such contact");
    assert_string_equal(json_string_value(json_object_get(doc, "request_id")), "abc123");
    assert_null(json_object_get(doc, "hint"));
    json_decref(doc);
    buf_free(&out);
}

static void test_status_and_type_follow_the_map(void **state)
{
    static const enum pr_code codes[] = {
        PR_USAGE,       PR_INVALID, PR_CONFLICT,           PR_AUTH,     PR_FORBIDDEN,
        PR_UNAVAILABLE, PR_SCHEMA,  PR_METHOD_NOT_ALLOWED, PR_TOO_LARGE};
    struct buf out;
    char want_type[128];
    size_t i;

    (void)state;
    buf_init(&out, 4096);
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        json_t *doc;

        buf_reset(&out);
        assert_int_equal(api_problem_render(&out, codes[i], NULL, NULL, NULL), PR_OK);
        doc = parse(&out);
        (void)snprintf(want_type, sizeof want_type, "%s%s", API_PROBLEM_TYPE_BASE,
                       pr_code_slug(codes[i]));
        assert_string_equal(json_string_value(json_object_get(doc, "type")), want_type);
        assert_int_equal(json_integer_value(json_object_get(doc, "status")),
                         pr_code_http_status(codes[i]));
        assert_string_not_equal(json_string_value(json_object_get(doc, "title")), "Error");
        assert_null(json_object_get(doc, "detail"));
        assert_null(json_object_get(doc, "request_id"));
        json_decref(doc);
    }
    buf_free(&out);
}

static void test_escaping_and_hint(void **state)
{
    struct buf out;
    json_t *doc;

    (void)state;
    buf_init(&out, 4096);
    assert_int_equal(api_problem_render(&out, PR_INVALID, "field \"e\\mail\"\n bad",
                                        "use name@example.com", "r-1"),
                     PR_OK);
    doc = parse(&out);
    assert_string_equal(json_string_value(json_object_get(doc, "detail")),
                        "field \"e\\mail\"\n bad");
    assert_string_equal(json_string_value(json_object_get(doc, "hint")), "use name@example.com");
    assert_int_equal(json_integer_value(json_object_get(doc, "status")), 422);
    json_decref(doc);
    /* A full buffer is an error value, not a truncated document. */
    buf_free(&out);
    buf_init(&out, 16);
    assert_int_equal(api_problem_render(&out, PR_INVALID, "x", NULL, NULL), PR_INVALID);
    buf_free(&out);
}

static void test_internal_detail_hidden(void **state)
{
    struct pr_error err;

    (void)state;
    pr_error_set(&err, PR_IO, "cannot open /var/lib/prospect/db: permission denied");
    pr_error_detail(&err, "SELECT * FROM contacts WHERE host='db1.internal'");
    assert_null(strstr(api_problem_detail(&err, false), "/var"));
    assert_non_null(strstr(api_problem_detail(&err, false), "request id"));
    assert_string_equal(api_problem_detail(&err, true), err.message);
    pr_error_set(&err, PR_INTERNAL, "sqlite3_prepare failed");
    assert_null(strstr(api_problem_detail(&err, false), "sqlite"));
    /* Client errors keep their user-facing message. */
    pr_error_set(&err, PR_NOT_FOUND, "contact not found");
    assert_string_equal(api_problem_detail(&err, false), "contact not found");
}

static void test_metrics_text(void **state)
{
    static const struct api_route routes[] = {
        {"GET", "/healthz", NULL, 0, API_SCOPE_PUBLIC},
        {"GET", "/v1/contacts/{id}", NULL, 0, API_SCOPE_PUBLIC}};
    struct api_metrics *m = api_metrics_new(routes, 2);
    struct buf out;
    const char *text;

    (void)state;
    api_metrics_observe(m, 0, "GET", 200, 0.0004);
    api_metrics_observe(m, 0, "GET", 200, 0.003);
    api_metrics_observe(m, 1, "GET", 404, 0.02);
    api_metrics_observe(m, 2, "BREW", 405, 99.0); /* unmatched, unknown method, past buckets */
    buf_init(&out, 1 << 20);
    assert_int_equal(api_metrics_render(m, &out), PR_OK);
    text = buf_cstr(&out);
    assert_non_null(strstr(text, "# TYPE prospect_http_requests_total counter\n"));
    assert_non_null(strstr(
        text,
        "prospect_http_requests_total{route=\"/healthz\",method=\"GET\",status=\"200\"} 2\n"));
    assert_non_null(strstr(
        text,
        "prospect_http_requests_total{route=\"/v1/contacts/{id}\",method=\"GET\",status=\"404\"} "
        "1\n"));
    assert_non_null(strstr(
        text,
        "prospect_http_requests_total{route=\"unmatched\",method=\"OTHER\",status=\"405\"} 1\n"));
    assert_non_null(strstr(text, "# TYPE prospect_http_request_duration_seconds histogram\n"));
    assert_non_null(strstr(
        text,
        "prospect_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 1\n"));
    assert_non_null(strstr(
        text,
        "prospect_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 2\n"));
    assert_non_null(strstr(
        text, "prospect_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 2\n"));
    assert_non_null(strstr(
        text, "prospect_http_request_duration_seconds_bucket{route=\"unmatched\",le=\"10\"} 0\n"));
    assert_non_null(strstr(
        text,
        "prospect_http_request_duration_seconds_bucket{route=\"unmatched\",le=\"+Inf\"} 1\n"));
    assert_non_null(
        strstr(text, "prospect_http_request_duration_seconds_count{route=\"/healthz\"} 2\n"));
    buf_free(&out);
    api_metrics_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_not_found),
        cmocka_unit_test(test_status_and_type_follow_the_map),
        cmocka_unit_test(test_escaping_and_hint),
        cmocka_unit_test(test_internal_detail_hidden),
        cmocka_unit_test(test_metrics_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
