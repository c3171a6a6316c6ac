/* Minimal e-mail syntax check and matching key. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/email.h"

#include <stdio.h>
#include <string.h>

static void test_table(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: invalid */
    } cases[] = {
        {"Ann@Example.COM", "ann@example.com"},
        {"  bob.smith+crm@sub.example.co.uk \n", "bob.smith+crm@sub.example.co.uk"},
        {"o'neil@example.ie", "o'neil@example.ie"},
        {"a@b.co", "a@b.co"},
        {"", NULL},
        {"   ", NULL},
        {"plainaddress", NULL},
        {"@example.com", NULL},
        {"a@", NULL},
        {"a@@example.com", NULL},
        {"a@b@example.com", NULL},
        {"a@localhost", NULL},
        {".a@example.com", NULL},
        {"a.@example.com", NULL},
        {"a..b@example.com", NULL},
        {"a@-example.com", NULL},
        {"a@example-.com", NULL},
        {"a@exa mple.com", NULL},
        {"a b@example.com", NULL},
        {"a@example..com", NULL},
        {"a@example.com.", NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[300];
        struct pr_error err;
        enum pr_code rc = email_normalize(cases[i].in, out, sizeof out, &err);

        if (cases[i].out != NULL) {
            assert_int_equal(rc, PR_OK);
            assert_string_equal(out, cases[i].out);
        } else {
            assert_int_equal(rc, PR_INVALID);
            assert_true(err.message[0] != '\0');
        }
    }
}

static void test_lengths(void **state)
{
    char local[80], address[400], out[300];
    struct pr_error err;

    (void)state;
    memset(local, 'a', 65);
    local[65] = '\0';
    (void)snprintf(address, sizeof address, "%s@example.com", local);
    assert_int_equal(email_normalize(address, out, sizeof out, &err), PR_INVALID);
    local[64] = '\0';
    (void)snprintf(address, sizeof address, "%s@example.com", local);
    assert_int_equal(email_normalize(address, out, sizeof out, &err), PR_OK);
    assert_int_equal(email_normalize(address, out, 20, &err), PR_INVALID); /* buffer too small */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
