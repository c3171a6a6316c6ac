/* The path matcher and the table router: literals, parameters, 404 vs 405 with Allow, HEAD,
 * strictness (trailing slash, empty and dot segments), and the start-up table check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "api/router.h"

#include <string.h>

static const struct api_route routes[] = {
    {"GET", "/healthz", NULL, 0, API_SCOPE_PUBLIC},
    {"GET", "/v1/contacts", NULL, 0, API_SCOPE_READ},
    {"POST", "/v1/contacts", NULL, 0, API_SCOPE_READ},
    {"GET", "/v1/contacts/{id}", NULL, 0, API_SCOPE_READ},
    {"PATCH", "/v1/contacts/{id}", NULL, 0, API_SCOPE_READ},
    {"DELETE", "/v1/contacts/{id}", NULL, 0, API_SCOPE_READ},
    {"GET", "/v1/lists/{list_id}/members/{id}", NULL, 0, API_SCOPE_READ},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

static enum api_match_result match(const char *method, const char *path, struct api_match *m)
{
    return api_router_match(routes, N_ROUTES, method, str_from_cstr(path), m);
}

static void assert_param(struct str got, const char *want)
{
    assert_int_equal(got.len, strlen(want));
    assert_memory_equal(got.ptr, want, got.len);
}

static void test_literal_and_params(void **state)
{
    struct api_match m;

    (void)state;
    assert_int_equal(match("GET", "/healthz", &m), API_MATCH_FOUND);
    assert_int_equal(m.route_index, 0);
    assert_int_equal(m.n_params, 0);
    assert_string_equal(m.allow, "");

    assert_int_equal(match("GET", "/v1/contacts/42", &m), API_MATCH_FOUND);
    assert_int_equal(m.route_index, 3);
    assert_int_equal(m.n_params, 1);
    assert_param(m.params[0], "42");

    assert_int_equal(match("DELETE", "/v1/contacts/abc-1", &m), API_MATCH_FOUND);
    assert_int_equal(m.route_index, 5);

    assert_int_equal(match("GET", "/v1/lists/7/members/9", &m), API_MATCH_FOUND);
    assert_int_equal(m.route_index, 6);
    assert_int_equal(m.n_params, 2);
    assert_param(m.params[0], "7");
    assert_param(m.params[1], "9");
}

static void test_not_found_and_strictness(void **state)
{
    static const char *const paths[] = {
        "/",
        "",
        "healthz",
        "/healthz/",
        "/healthz/x",
        "/HEALTHZ",
        "//healthz",
        "/v1/contacts//",
        "/v1/contacts/1/x",
        "/v1/contacts/..",
        "/v1/contacts/.",
        "/v1",
        "/v1/lists/7/members",
        "/v1/lists//members/9",
    };
    struct api_match m;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        assert_int_equal(match("GET", paths[i], &m), API_MATCH_NOT_FOUND);
        assert_string_equal(m.allow, "");
    }
}

static void test_method_not_allowed(void **state)
{
    struct api_match m;

    (void)state;
    assert_int_equal(match("POST", "/healthz", &m), API_MATCH_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD");
    assert_int_equal(match("PUT", "/v1/contacts/5", &m), API_MATCH_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD, PATCH, DELETE");
    assert_int_equal(match("DELETE", "/v1/contacts", &m), API_MATCH_METHOD_NOT_ALLOWED);
    assert_string_equal(m.allow, "GET, HEAD, POST");
    /* Method names are case-sensitive (RFC 9110). */
    assert_int_equal(match("get", "/healthz", &m), API_MATCH_METHOD_NOT_ALLOWED);
}

static void test_head_uses_get(void **state)
{
    struct api_match m;

    (void)state;
    assert_int_equal(match("HEAD", "/v1/contacts/3", &m), API_MATCH_FOUND);
    assert_int_equal(m.route_index, 3);
}

static void test_path_match_param_limit(void **state)
{
    struct str params[1];
    size_t n = 99;

    (void)state;
    assert_false(api_path_match("/a/{x}/{y}", str_from_cstr("/a/1/2"), params, 1, &n));
    assert_int_equal(n, 0);
    assert_true(api_path_match("/a/{x}", str_from_cstr("/a/1"), params, 1, &n));
    assert_int_equal(n, 1);
    /* A view, not a C string: bytes past `len` are not looked at. */
    assert_true(api_path_match("/a", (struct str){"/a/b", 2}, params, 1, &n));
}

static void test_check(void **state)
{
    static const struct {
        struct api_route route;
        const char *message_part; /* NULL: valid */
    } cases[] = {
        {{"GET", "/v1/contacts/{id}", NULL, 0, API_SCOPE_READ}, NULL},
        {{"GET", "/v1/contacts/{id}", NULL, 0, API_SCOPE_PUBLIC}, "behind a scope"},
        {{"GET", "/v1/contacts", NULL, 0, API_SCOPE_READ | API_SCOPE_WRITE}, "bad scope"},
        {{"GET", "/healthz", NULL, 0, API_SCOPE_PUBLIC}, NULL},
        {{"GET", "v1/contacts", NULL, 0, API_SCOPE_PUBLIC}, "must start with '/'"},
        {{"GET", "/v1//contacts", NULL, 0, API_SCOPE_PUBLIC}, "empty or dot segment"},
        {{"GET", "/v1/contacts/", NULL, 0, API_SCOPE_PUBLIC}, "empty or dot segment"},
        {{"GET", "/", NULL, 0, API_SCOPE_PUBLIC}, "empty or dot segment"},
        {{"GET", "/v1/{Id}", NULL, 0, API_SCOPE_PUBLIC}, "parameter"},
        {{"GET", "/v1/x{id}", NULL, 0, API_SCOPE_PUBLIC}, "parameter"},
        {{"GET", "/v1/{}", NULL, 0, API_SCOPE_PUBLIC}, "parameter"},
        {{"GET", "/{a}/{b}/{c}/{d}/{e}", NULL, 0, API_SCOPE_PUBLIC}, "more than"},
        {{"get", "/v1", NULL, 0, API_SCOPE_PUBLIC}, "upper case"},
        {{"HEAD", "/v1", NULL, 0, API_SCOPE_PUBLIC}, "bad method"},
    };
    static const struct api_route twice[] = {{"GET", "/a", NULL, 0, API_SCOPE_PUBLIC},
                                             {"GET", "/a", NULL, 0, API_SCOPE_PUBLIC}};
    struct pr_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum pr_code rc = api_router_check(&cases[i].route, 1, &err);

        if (cases[i].message_part == NULL) {
            assert_int_equal(rc, PR_OK);
            continue;
        }
        assert_int_equal(rc, PR_CONFIG);
        if (strstr(err.message, cases[i].message_part) == NULL)
            fail_msg("%s: \"%s\" lacks \"%s\"", cases[i].route.pattern, err.message,
                     cases[i].message_part);
    }
    assert_int_equal(api_router_check(twice, 2, &err), PR_CONFIG);
    assert_non_null(strstr(err.message, "declared twice"));
    assert_int_equal(api_router_check(routes, N_ROUTES, &err), PR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_literal_and_params),
        cmocka_unit_test(test_not_found_and_strictness),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_head_uses_get),
        cmocka_unit_test(test_path_match_param_limit),
        cmocka_unit_test(test_check),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
