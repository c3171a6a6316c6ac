/* E-mail syntax, display form, matching key, role and free-mail flags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/email.h"

#include <stdio.h>
#include <string.h>

/* The login form (email_normalize). */
static void test_login_table(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: invalid */
    } cases[] = {
        {"Ann@Example.COM", "ann@example.com"},
        {"  bob.smith+crm@sub.example.co.uk \n", "bob.smith+crm@sub.example.co.uk"},
        {"o'neil@example.ie", "o'neil@example.ie"},
        {"a@b.co", "a@b.co"},
        {"Ann@Bücher.de", "ann@xn--bcher-kva.de"},
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
            if (rc != PR_OK)
                fail_msg("case %zu \"%s\": %s", i, cases[i].in, err.message);
            assert_string_equal(out, cases[i].out);
        } else {
            if (rc != PR_INVALID)
                fail_msg("case %zu \"%s\" was accepted as \"%s\"", i, cases[i].in, out);
            assert_true(err.message[0] != '\0');
        }
    }
}

static void test_login_lengths(void **state)
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

/* The lead form: accepted addresses with every output field. */
static void test_lead_accepted(void **state)
{
    static const struct {
        const char *in;
        const char *display, *key, *domain;
        bool is_role, is_free_mail;
    } cases[] = {
        {"John.Smith@Example.COM", "John.Smith@example.com", "john.smith@example.com",
         "example.com", false, false},
        {"  sales@acme.io\t", "sales@acme.io", "sales@acme.io", "acme.io", true, false},
        {"\xC2\xA0Info@ACME.com\xC2\xA0", "Info@acme.com", "info@acme.com", "acme.com", true,
         false},
        {"sales+emea@acme.com", "sales+emea@acme.com", "sales+emea@acme.com", "acme.com", true,
         false},
        {"NoReply@shop.example", "NoReply@shop.example", "noreply@shop.example", "shop.example",
         true, false},
        {"no-reply@x.org", "no-reply@x.org", "no-reply@x.org", "x.org", true, false},
        {"postmaster@example.net", "postmaster@example.net", "postmaster@example.net",
         "example.net", true, false},
        {"informatics@example.com", "informatics@example.com", "informatics@example.com",
         "example.com", false, false},
        {"j.doe+news@GMAIL.com", "j.doe+news@gmail.com", "j.doe+news@gmail.com", "gmail.com", false,
         true},
        {"jdoe@googlemail.com", "jdoe@googlemail.com", "jdoe@googlemail.com", "googlemail.com",
         false, true},
        {"a@yahoo.co.uk", "a@yahoo.co.uk", "a@yahoo.co.uk", "yahoo.co.uk", false, true},
        {"a@yahoo.com.br", "a@yahoo.com.br", "a@yahoo.com.br", "yahoo.com.br", false, true},
        {"a@hotmail.fr", "a@hotmail.fr", "a@hotmail.fr", "hotmail.fr", false, true},
        {"a@gmx.de", "a@gmx.de", "a@gmx.de", "gmx.de", false, true},
        {"a@gmx.net", "a@gmx.net", "a@gmx.net", "gmx.net", false, true},
        {"a@yandex.ru", "a@yandex.ru", "a@yandex.ru", "yandex.ru", false, true},
        {"a@outlook.com", "a@outlook.com", "a@outlook.com", "outlook.com", false, true},
        {"a@web.de", "a@web.de", "a@web.de", "web.de", false, true},
        {"a@proton.me", "a@proton.me", "a@proton.me", "proton.me", false, true},
        {"a@qq.com", "a@qq.com", "a@qq.com", "qq.com", false, true},
        {"a@163.com", "a@163.com", "a@163.com", "163.com", false, true},
        {"a@icloud.com", "a@icloud.com", "a@icloud.com", "icloud.com", false, true},
        {"hello@yahoo.example.com", "hello@yahoo.example.com", "hello@yahoo.example.com",
         "yahoo.example.com", true, false},
        {"a@mail.gmail.com", "a@mail.gmail.com", "a@mail.gmail.com", "mail.gmail.com", false,
         false},
        {"a@notgmail.com", "a@notgmail.com", "a@notgmail.com", "notgmail.com", false, false},
        {"a@yahoo.company", "a@yahoo.company", "a@yahoo.company", "yahoo.company", false, false},
        {"!#$%&'*+-/=?^_`{|}~@example.com", "!#$%&'*+-/=?^_`{|}~@example.com",
         "!#$%&'*+-/=?^_`{|}~@example.com", "example.com", false, false},
        {"ann@Bücher.DE", "ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de", "xn--bcher-kva.de", false,
         false},
        {"ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de", "ann@xn--bcher-kva.de", "xn--bcher-kva.de",
         false, false},
        {"ann@straße.de", "ann@xn--strae-oqa.de", "ann@xn--strae-oqa.de", "xn--strae-oqa.de", false,
         false},
        {"JÖRG@example.de", "JÖRG@example.de", "jörg@example.de", "example.de", false, false},
        {"用户@例子.广告", "用户@xn--fsqu00a.xn--4rr70v", "用户@xn--fsqu00a.xn--4rr70v",
         "xn--fsqu00a.xn--4rr70v", false, false},
        {"x@123.com", "x@123.com", "x@123.com", "123.com", false, false},
        {"x@c--n.com", "x@c--n.com", "x@c--n.com", "c--n.com", false, false},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct email_norm norm;
        struct pr_error err;

        if (email_normalize_lead(cases[i].in, strlen(cases[i].in), &norm, &err) != PR_OK)
            fail_msg("case %zu \"%s\": %s", i, cases[i].in, err.message);
        assert_string_equal(norm.display, cases[i].display);
        assert_string_equal(norm.key, cases[i].key);
        assert_string_equal(norm.domain, cases[i].domain);
        if (norm.is_role != cases[i].is_role || norm.is_free_mail != cases[i].is_free_mail)
            fail_msg("case %zu \"%s\": role %d free %d", i, cases[i].in, norm.is_role,
                     norm.is_free_mail);
    }
}

/* The lead form: rejected addresses and a word the message must contain. */
static void test_lead_rejected(void **state)
{
    static const struct {
        const char *in;
        const char *message_part;
    } cases[] = {
        {"", "empty"},
        {" \t ", "empty"},
        {"john", "no '@'"},
        {"john@", "no domain"},
        {"@example.com", "empty local part"},
        {"a@b@example.com", "exactly one"},
        {"\"john smith\"@example.com", "quoted"},
        {"\"a@b\"@example.com", "exactly one"},
        {"\"john\"@example.com", "quoted"},
        {"john@[192.0.2.1]", "literal"},
        {"john@io", "single label"},
        {"john@gmail", "single label"},
        {"john@example.123", "numeric"},
        {"john@192.168.1.1", "numeric"},
        {"john@example.com.", "empty label"},
        {"john@.example.com", "empty label"},
        {"john@example..com", "empty label"},
        {"john@-example.com", "hyphen"},
        {"john@example-.com", "hyphen"},
        {"john@exa_mple.com", "invalid"},
        {"john@example.com\n", "control"},
        {"john@example.com\r\n", "control"},
        {"\r\n john@example.com", "control"},
        {"jo\x01hn@example.com", "control"},
        {"jo\x7Fhn@example.com", "control"},
        {"john smith@example.com", "invalid character"},
        {"john(comment)@example.com", "invalid character"},
        {"john,smith@example.com", "invalid character"},
        {"john;x@example.com", "invalid character"},
        {"<john@example.com>", "invalid character"},
        {".john@example.com", "dot"},
        {"john.@example.com", "dot"},
        {"jo..hn@example.com", "two dots"},
        {"j\xC3@example.com", "UTF-8"},
        {"j\xE2\x80\x8Bohn@example.com", "invisible"}, /* zero-width space */
        {"john@ex\xC3\xA4mple.c\xC3\xB6m\xFF", "internationalized"},
        {"john@example.com (John)", "invalid character"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct email_norm norm;
        struct pr_error err;
        enum pr_code rc = email_normalize_lead(cases[i].in, strlen(cases[i].in), &norm, &err);

        if (rc != PR_INVALID)
            fail_msg("case %zu \"%s\" was accepted as \"%s\"", i, cases[i].in, norm.display);
        if (strstr(err.message, cases[i].message_part) == NULL)
            fail_msg("case %zu \"%s\": message \"%s\" lacks \"%s\"", i, cases[i].in, err.message,
                     cases[i].message_part);
    }
}

static void test_lead_lengths(void **state)
{
    char address[600];
    struct email_norm norm;
    struct pr_error err;
    size_t n;

    (void)state;
    /* 64 + 1 + (63 + 63 + 59 + 4) = 254 bytes: the longest address. */
    memset(address, 'a', 64);
    address[64] = '@';
    memset(address + 65, 'b', 62);
    address[127] = '.';
    memset(address + 128, 'b', 62);
    address[190] = '.';
    memset(address + 191, 'c', 59);
    memcpy(address + 250, ".com", 5);
    n = strlen(address);
    assert_int_equal(n, 254);
    assert_int_equal(email_normalize_lead(address, n, &norm, &err), PR_OK);
    assert_int_equal(strlen(norm.display), 254);
    address[n - 4] = 'd';
    memcpy(address + n - 3, ".com", 4);
    assert_int_equal(email_normalize_lead(address, n + 1, &norm, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "254"));

    /* An IDN domain that is short in UTF-8 but long in Punycode counts with its ASCII form. */
    memset(address, 'a', 64);
    address[64] = '@';
    n = 65;
    while (n < 65 + 16 * 7) { /* "例子." is 7 bytes of UTF-8, "xn--fsqu00a." 12 of ASCII */
        memcpy(address + n, "\xE4\xBE\x8B\xE5\xAD\x90.", 7);
        n += 7;
    }
    memcpy(address + n, "com", 3);
    n += 3;
    assert_int_equal(n, 180);
    assert_int_equal(email_normalize_lead(address, n, &norm, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "254"));

    /* Embedded NUL. */
    assert_int_equal(email_normalize_lead("a\0b@example.com", 15, &norm, &err), PR_INVALID);
    /* Huge input is rejected before any work. */
    {
        static char big[5000];

        memset(big, 'a', sizeof big);
        assert_int_equal(email_normalize_lead(big, sizeof big, &norm, &err), PR_INVALID);
    }
}

static void test_role_and_free_lists(void **state)
{
    static const char *const roles[] = {
        "info",      "INFO",       "sales",   "support", "admin",      "noreply",   "hello",
        "contact",   "office",     "billing", "hr",      "jobs",       "marketing", "team",
        "webmaster", "postmaster", "abuse",   "info+x",  "Sales+EMEA",
    };
    static const char *const not_roles[] = {
        "john", "informatics", "infos", "x+info", "", "salesman", "a-very-long-local-part-x",
    };
    static const char *const free_domains[] = {
        "gmail.com",      "googlemail.com", "yahoo.com",   "yahoo.fr", "yahoo.co.jp",
        "hotmail.com",    "hotmail.co.uk",  "outlook.com", "live.com", "msn.com",
        "aol.com",        "icloud.com",     "me.com",      "mac.com",  "proton.me",
        "protonmail.com", "gmx.de",         "gmx.at",      "web.de",   "mail.ru",
        "yandex.ru",      "yandex.com",     "qq.com",      "163.com",  "zoho.com",
        "comcast.net",
    };
    static const char *const company_domains[] = {
        "acme.com",    "gmail.co",    "yahoo",        "yahoo.",     "yahoo.example.com",
        "mygmail.com", "gmx.company", "hotmail.co.u", "google.com", "",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (!email_is_role_local(roles[i], strlen(roles[i])))
            fail_msg("\"%s\" should be a role", roles[i]);
    for (i = 0; i < sizeof not_roles / sizeof not_roles[0]; i++)
        if (email_is_role_local(not_roles[i], strlen(not_roles[i])))
            fail_msg("\"%s\" should not be a role", not_roles[i]);
    for (i = 0; i < sizeof free_domains / sizeof free_domains[0]; i++)
        if (!email_is_free_mail_domain(free_domains[i], strlen(free_domains[i])))
            fail_msg("\"%s\" should be free mail", free_domains[i]);
    for (i = 0; i < sizeof company_domains / sizeof company_domains[0]; i++)
        if (email_is_free_mail_domain(company_domains[i], strlen(company_domains[i])))
            fail_msg("\"%s\" should not be free mail", company_domains[i]);
}

/* Normalizing a display form gives the same result again. */
static void test_idempotent(void **state)
{
    static const char *const inputs[] = {
        "John.Smith@Example.COM",
        " ann@Bücher.de ",
        "JÖRG@example.de",
        "sales+x@GMAIL.com",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        struct email_norm first, second;
        struct pr_error err;

        assert_int_equal(email_normalize_lead(inputs[i], strlen(inputs[i]), &first, &err), PR_OK);
        assert_int_equal(email_normalize_lead(first.display, strlen(first.display), &second, &err),
                         PR_OK);
        assert_string_equal(first.display, second.display);
        assert_string_equal(first.key, second.key);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_table),   cmocka_unit_test(test_login_lengths),
        cmocka_unit_test(test_lead_accepted), cmocka_unit_test(test_lead_rejected),
        cmocka_unit_test(test_lead_lengths),  cmocka_unit_test(test_role_and_free_lists),
        cmocka_unit_test(test_idempotent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
