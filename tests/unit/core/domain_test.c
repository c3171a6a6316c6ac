/* Domains from websites, URLs and e-mail addresses; host names to ASCII. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/domain.h"

#include <string.h>

static void test_normalize_accepted(void **state)
{
    static const struct {
        const char *in;
        const char *out;
    } cases[] = {
        {"example.com", "example.com"},
        {"Example.COM", "example.com"},
        {"  example.com \r\n", "example.com"},
        {"www.example.com", "example.com"},
        {"WWW.Example.com", "example.com"},
        {"www2.example.com", "example.com"},
        {"www10.example.com", "example.com"},
        {"www.www.example.com", "example.com"},
        {"wwwx.example.com", "wwwx.example.com"},
        {"web.example.com", "web.example.com"},
        {"www.com", "www.com"},
        {"www.co.uk", "co.uk"},
        {"shop.example.co.uk", "shop.example.co.uk"},
        {"http://example.com", "example.com"},
        {"https://www.example.com/", "example.com"},
        {"HTTPS://WWW.EXAMPLE.COM/About-Us?ref=x#top", "example.com"},
        {"http://example.com:8080/path", "example.com"},
        {"example.com:443", "example.com"},
        {"example.com:", "example.com"},
        {"//cdn.example.com/x.js", "cdn.example.com"},
        {"ftp://files.example.org", "files.example.org"},
        {"git+ssh://git@example.org/repo", "example.org"},
        {"https://user:pa:ss@example.com/", "example.com"},
        {"john.smith@Example.com", "example.com"},
        {"mailto:John@Example.com", "example.com"},
        {"MAILTO:john@example.com?subject=hi", "example.com"},
        {"example.com.", "example.com"},
        {"http://example.com./", "example.com"},
        {"example.com/", "example.com"},
        {"example.com?x=1", "example.com"},
        {"example.com#frag", "example.com"},
        {"example.com\\path", "example.com"},
        {"www.example.com/index.html", "example.com"},
        {"bücher.de", "xn--bcher-kva.de"},
        {"https://www.Bücher.de:443/shop?x#y", "xn--bcher-kva.de"},
        {"BÜCHER.DE", "xn--bcher-kva.de"},
        {"xn--bcher-kva.de", "xn--bcher-kva.de"},
        {"straße.de", "xn--strae-oqa.de"},
        {"münchen.de", "xn--mnchen-3ya.de"},
        {"例子.广告", "xn--fsqu00a.xn--4rr70v"},
        {"例子。广告", "xn--fsqu00a.xn--4rr70v"},
        {"ｅｘａｍｐｌｅ.com", "example.com"},
        {"123.com", "123.com"},
        {"3m.com", "3m.com"},
        {"a.b", "a.b"},
        {"my-company.io", "my-company.io"},
        {"c--n.com", "c--n.com"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[DOMAIN_BUF_SIZE];
        struct pr_error err;

        if (domain_normalize(cases[i].in, strlen(cases[i].in), out, sizeof out, &err) != PR_OK)
            fail_msg("case %zu \"%s\": %s", i, cases[i].in, err.message);
        assert_string_equal(out, cases[i].out);
        /* Normalizing the result gives the result. */
        {
            char again[DOMAIN_BUF_SIZE];

            assert_int_equal(domain_normalize(out, strlen(out), again, sizeof again, &err), PR_OK);
            assert_string_equal(again, out);
        }
    }
}

static void test_normalize_rejected(void **state)
{
    static const struct {
        const char *in;
        const char *message_part;
    } cases[] = {
        {"", "empty"},
        {"   ", "empty"},
        {"http://", "no host"},
        {"http:///path", "no host"},
        {"john@", "no host"},
        {"localhost", "single label"},
        {"http://intranet/", "single label"},
        {"www", "single label"},
        {"com.", "single label"},
        {"192.168.1.1", "IP address"},
        {"http://10.0.0.1:8080/", "IP address"},
        {"example.123", "IP address"},
        {"[::1]", "IP address"},
        {"http://[2001:db8::1]/", "IP address"},
        {"example..com", "empty label"},
        {".example.com", "empty label"},
        {"example.com..", "empty label"},
        {"-example.com", "hyphen"},
        {"example-.com", "hyphen"},
        {"exa mple.com", "invalid character"},
        {"exa_mple.com", "invalid character"},
        {"example.com:80a", "port"},
        {"http:example.com", "port"},
        {"Acme Inc (acme.com)", "invalid character"},
        {"ab--cd.com", "internationalized"},
        {"xn--zz.com", "internationalized"},
        {"\xFF\xFE.com", "internationalized"},
        {"a\xE2\x80\x8D"
         "b.com",
         "internationalized"}, /* ZWJ outside its context */
        {"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "63"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[DOMAIN_BUF_SIZE];
        struct pr_error err;
        enum pr_code rc = domain_normalize(cases[i].in, strlen(cases[i].in), out, sizeof out, &err);

        if (rc != PR_INVALID)
            fail_msg("case %zu \"%s\" was accepted as \"%s\"", i, cases[i].in, out);
        if (strstr(err.message, cases[i].message_part) == NULL)
            fail_msg("case %zu \"%s\": message \"%s\" lacks \"%s\"", i, cases[i].in, err.message,
                     cases[i].message_part);
    }
}

static void test_to_ascii(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: invalid */
    } cases[] = {
        {"localhost", "localhost"}, /* single labels are the caller's decision */
        {"EXAMPLE.com", "example.com"},
        {"io", "io"},
        {"Bücher", "xn--bcher-kva"},
        {"255.255.255.255", "255.255.255.255"},
        {"example.com.", NULL},
        {"", NULL},
        {"a..b", NULL},
        {"a_b.com", NULL},
        {"⒈com", NULL}, /* U+2488 maps to "1." and is disallowed by the STD3 rules */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[DOMAIN_BUF_SIZE];
        struct pr_error err;
        enum pr_code rc = domain_to_ascii(cases[i].in, strlen(cases[i].in), out, sizeof out, &err);

        if (cases[i].out == NULL) {
            if (rc != PR_INVALID)
                fail_msg("case %zu \"%s\" was accepted as \"%s\"", i, cases[i].in, out);
        } else {
            if (rc != PR_OK)
                fail_msg("case %zu \"%s\": %s", i, cases[i].in, err.message);
            assert_string_equal(out, cases[i].out);
        }
    }
}

static void test_lengths(void **state)
{
    char name[400], out[DOMAIN_BUF_SIZE];
    struct pr_error err;
    size_t n = 0;

    (void)state;
    /* Four 63-byte labels, three dots: 255 bytes, over the 253 limit. */
    while (n < 4 * 64) {
        memset(name + n, 'a', 63);
        name[n + 63] = '.';
        n += 64;
    }
    n--; /* no trailing dot */
    assert_int_equal(domain_to_ascii(name, n, out, sizeof out, &err), PR_INVALID);
    assert_non_null(strstr(err.message, "253"));
    /* 253 bytes exactly is accepted: 63.63.63.61 */
    assert_int_equal(domain_to_ascii(name, 253, out, sizeof out, &err), PR_OK);
    assert_int_equal(strlen(out), 253);
    /* A small buffer is an error, not a truncation. */
    assert_int_equal(domain_normalize("example.com", 11, out, 11, &err), PR_INVALID);
    assert_int_equal(domain_normalize("example.com", 11, out, 12, &err), PR_OK);
    {
        static char big[5000];

        memset(big, 'a', sizeof big);
        assert_int_equal(domain_normalize(big, sizeof big, out, sizeof out, &err), PR_INVALID);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize_accepted),
        cmocka_unit_test(test_normalize_rejected),
        cmocka_unit_test(test_to_ascii),
        cmocka_unit_test(test_lengths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
