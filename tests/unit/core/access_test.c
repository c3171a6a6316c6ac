/* Scopes and roles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/access.h"

#include <string.h>

static void test_scopes_parse(void **state)
{
    static const struct {
        const char *text;
        enum pr_code rc;
        const char *canonical;
        const char *message_part;
    } cases[] = {
        {"read", PR_OK, "read", NULL},
        {"write,read", PR_OK, "read,write", NULL},
        {" Admin , read ", PR_OK, "read,admin", NULL},
        {"read,write,admin", PR_OK, "read,write,admin", NULL},
        {"", PR_INVALID, NULL, "empty scope"},
        {"read,", PR_INVALID, NULL, "empty scope"},
        {"read,,write", PR_INVALID, NULL, "empty scope"},
        {"delete", PR_INVALID, NULL, "unknown scope \"delete\""},
        {"read,read", PR_INVALID, NULL, "listed twice"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pr_error err;
        unsigned scopes = 0;
        char text[64];

        assert_int_equal(access_scopes_parse(cases[i].text, &scopes, &err), cases[i].rc);
        if (cases[i].rc == PR_OK) {
            access_scopes_format(scopes, text, sizeof text);
            assert_string_equal(text, cases[i].canonical);
        } else {
            assert_non_null(strstr(err.message, cases[i].message_part));
            assert_true(err.hint[0] != '\0');
        }
    }
}

static void test_scopes_allow(void **state)
{
    (void)state;
    assert_true(access_scopes_allow(ACCESS_SCOPE_READ, ACCESS_SCOPE_READ));
    assert_false(access_scopes_allow(ACCESS_SCOPE_READ, ACCESS_SCOPE_WRITE));
    assert_false(access_scopes_allow(ACCESS_SCOPE_READ, ACCESS_SCOPE_ADMIN));
    assert_true(access_scopes_allow(ACCESS_SCOPE_WRITE, ACCESS_SCOPE_READ));
    assert_false(access_scopes_allow(ACCESS_SCOPE_WRITE, ACCESS_SCOPE_ADMIN));
    assert_true(access_scopes_allow(ACCESS_SCOPE_ADMIN, ACCESS_SCOPE_WRITE));
    assert_true(access_scopes_allow(ACCESS_SCOPE_ADMIN, ACCESS_SCOPE_READ));
    assert_false(access_scopes_allow(0, ACCESS_SCOPE_READ));
}

static void test_roles(void **state)
{
    enum access_role role;
    struct pr_error err;

    (void)state;
    assert_int_equal(access_role_parse("OWNER", &role, &err), PR_OK);
    assert_int_equal(role, ACCESS_ROLE_OWNER);
    assert_string_equal(access_role_name(role), "owner");
    assert_int_equal(access_role_parse("viewer", &role, &err), PR_OK);
    assert_string_equal(access_role_name(role), "viewer");
    assert_int_equal(access_role_parse("root", &role, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "root"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scopes_parse),
        cmocka_unit_test(test_scopes_allow),
        cmocka_unit_test(test_roles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
