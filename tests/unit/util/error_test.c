/* The error object and the single code -> exit status / HTTP status map. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/error.h"

#include <string.h>

static void test_maps(void **state)
{
    static const struct {
        enum pr_code code;
        int exit_status;
        int http_status;
        const char *slug;
    } cases[] = {
        {PR_OK, 0, 200, "ok"},
        {PR_USAGE, 64, 400, "usage"},
        {PR_INVALID, 65, 422, "invalid"},
        {PR_CONFLICT, 65, 409, "conflict"},
        {PR_NOT_FOUND, 66, 404, "not-found"},
        {PR_UNAVAILABLE, 69, 503, "unavailable"},
        {PR_INTERNAL, 70, 500, "internal"},
        {PR_IO, 74, 500, "io"},
        {PR_AUTH, 77, 401, "unauthorized"},
        {PR_FORBIDDEN, 77, 403, "forbidden"},
        {PR_CONFIG, 78, 500, "config"},
        {PR_SCHEMA, 78, 503, "schema"},
        {PR_METHOD_NOT_ALLOWED, 64, 405, "method-not-allowed"},
        {PR_TOO_LARGE, 65, 413, "too-large"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(pr_code_exit_status(cases[i].code), cases[i].exit_status);
        assert_int_equal(pr_code_http_status(cases[i].code), cases[i].http_status);
        assert_string_equal(pr_code_slug(cases[i].code), cases[i].slug);
    }
    /* An out-of-range code maps to internal, never out of bounds. */
    assert_int_equal(pr_code_exit_status((enum pr_code)999), 70);
}

static void test_set_detail_hint(void **state)
{
    struct pr_error err;
    char long_text[1000];

    (void)state;
    memset(long_text, 'q', sizeof long_text - 1);
    long_text[sizeof long_text - 1] = '\0';
    assert_int_equal(pr_error_set(&err, PR_INVALID, "field %s bad", "x"), PR_INVALID);
    assert_string_equal(err.message, "field x bad");
    assert_int_equal(pr_error_detail(&err, "sql %d", 19), PR_INVALID);
    assert_int_equal(pr_error_hint(&err, "fix %s", "it"), PR_INVALID);
    assert_string_equal(err.detail, "sql 19");
    assert_string_equal(err.hint, "fix it");
    /* A new error clears the old detail and hint; long texts are truncated, not overflowed. */
    pr_error_set(&err, PR_IO, "%s", long_text);
    assert_int_equal(strlen(err.message), sizeof err.message - 1);
    assert_string_equal(err.detail, "");
    assert_string_equal(err.hint, "");
    pr_error_clear(&err);
    assert_int_equal(err.code, PR_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maps),
        cmocka_unit_test(test_set_detail_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
