/*
 * Tests for util/redact: a table of {input, expected output} per pattern, with the negative
 * cases (timestamps, dates, versions, short numbers, ids) next to the positive ones, then
 * configured secrets, the buffer maximum and redact_key_is_secret both ways.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/mem.h"
#include "util/redact.h"
#include "util/str.h"

struct redact_case {
    const char *input;
    const char *expected;
};

/* Runs every case with `secrets` and fails naming the first input that differs. */
static void run_cases(const struct redact_case *cases, size_t n_cases, const char *const *secrets,
                      size_t n_secrets)
{
    size_t i;

    for (i = 0; i < n_cases; i++) {
        struct buf out;
        enum pr_code rc;
        char message[1024];
        bool is_same;

        buf_init(&out, 1 << 16);
        rc = redact_text(cases[i].input, strlen(cases[i].input), secrets, n_secrets, &out);
        is_same = rc == PR_OK && strcmp(buf_cstr(&out), cases[i].expected) == 0;
        /* Only a diagnostic: a truncated message is fine. */
        (void)snprintf(message, sizeof message,
                       "case %zu: redact(\"%s\") = %d\n   got: \"%s\"\n  want: \"%s\"", i,
                       cases[i].input, (int)rc, buf_cstr(&out), cases[i].expected);
        buf_free(&out);
        if (!is_same)
            fail_msg("%s", message);
    }
}

#define RUN(cases) run_cases(cases, sizeof cases / sizeof cases[0], NULL, 0)

static void test_email(void **state)
{
    static const struct redact_case cases[] = {
        {"contact john.doe@example.com now", "contact [email] now"},
        {"mailto:a.b+x@ex-ample.co.uk,", "mailto:[email],"},
        {"<first_last%tag@sub.example.org>", "<[email]>"},
        {"end of sentence a@example.com.", "end of sentence [email]."},
        {"two: a@x.io,b@y.io", "two: [email],[email]"},
        {"UPPER@EXAMPLE.COM", "[email]"},
        {"4158675309@sms.example.net", "[email]"},
        /* not addresses */
        {"x@localhost", "x@localhost"},
        {"a@b.c", "a@b.c"},
        {"user@10.0.0.1", "user@10.0.0.1"},
        {"@example.com", "@example.com"},
        {"handle @someone.", "handle @someone."},
        {"a@", "a@"},
        {"a@.com", "a@.com"},
    };
    (void)state;
    RUN(cases);
}

static void test_phone(void **state)
{
    static const struct redact_case cases[] = {
        {"+1 (415) 867-5309", "[phone]"},
        {"+44 20 7946 0958", "[phone]"},
        {"+44 (0)20 7946 0958", "[phone]"},
        {"+33 6 12 34 56 78", "[phone]"},
        {"call 415.867.5309.", "call [phone]."},
        {"4158675309", "[phone]"},
        {"14158675309 then", "[phone] then"},
        {"tel:+14158675309", "tel:[phone]"},
        {"phone=415-867-5309&x=1", "phone=[phone]&x=1"},
        {"(415) 867-5309", "[phone]"},
        {"foo(4158675309)", "foo([phone])"},
        {"867-5309", "[phone]"},
        {"+1234567", "[phone]"},
        {"a 4158675309,4158675310 b", "a [phone],[phone] b"},
        {"+14158675309 12345", "[phone] 12345"},
        {"\"4158675309\"", "\"[phone]\""},
        /* timestamps and dates */
        {"2026-11-24T10:00:00.000Z", "2026-11-24T10:00:00.000Z"},
        {"at 2026-11-24 done", "at 2026-11-24 done"},
        {"2026-11-24 10:00:00", "2026-11-24 10:00:00"},
        {"24.11.2026", "24.11.2026"},
        {"24-11-2026", "24-11-2026"},
        {"2026.11.24", "2026.11.24"},
        {"20261124T100000Z", "20261124T100000Z"},
        /* versions, addresses, decimals */
        {"v1.2.3 and 1.2.3", "v1.2.3 and 1.2.3"},
        {"jansson 2.14.0", "jansson 2.14.0"},
        {"ip 192.168.100.200", "ip 192.168.100.200"},
        {"ip 10.0.0.1", "ip 10.0.0.1"},
        {"prices 12.50 13.75 14.00", "prices 12.50 13.75 14.00"},
        {"pi 3.14159265", "pi 3.14159265"},
        {"1764000000.123", "1764000000.123"},
        /* short numbers and plain runs under ten digits */
        {"HTTP 404 after 5000 ms", "HTTP 404 after 5000 ms"},
        {"size 1048576 bytes", "size 1048576 bytes"},
        {"123456789", "123456789"},
        {"1 2 3 4 5 6 7", "1 2 3 4 5 6 7"},
        /* numbers inside ids and words */
        {"req-7f3a req-12345678", "req-7f3a req-12345678"},
        {"lead_4158675309", "lead_4158675309"},
        {"x4158675309", "x4158675309"},
        {"4158675309abc", "4158675309abc"},
        {"v2.4158675309", "v2.4158675309"},
        {"12345678-1234-1234-1234-123456789012", "12345678-1234-1234-1234-123456789012"},
        {"12345678901234567890", "12345678901234567890"},
        {"415-867-5309-ext", "415-867-5309-ext"},
        {"/leads/4158675309/notes", "/leads/[phone]/notes"},
        {"+ 4158675309", "+ [phone]"},
        /* two separators in a row end a number: what follows stands alone */
        {"415  867 5309", "415  [phone]"},
        {"415--867--5309", "415--867--5309"},
    };
    (void)state;
    RUN(cases);
}

static void test_auth_scheme(void **state)
{
    static const struct redact_case cases[] = {
        {"sent Bearer abc.def-ghi_jkl~+/=, got 401", "sent Bearer [redacted], got 401"},
        {"bearer xyz", "bearer [redacted]"},
        {"BASIC dXNlcjpwYXNz", "BASIC [redacted]"},
        {"\"Bearer   tok\"", "\"Bearer   [redacted]\""},
        {"Bearer", "Bearer"},
        {"Bearer ", "Bearer "},
        {"Bearers abc", "Bearers abc"},
        {"xBearer abc", "xBearer abc"},
    };
    (void)state;
    RUN(cases);
}

static void test_api_key(void **state)
{
    static const struct redact_case cases[] = {
        {"key prospect_ab12cd34_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa end",
         "key [api-key] end"},
        {"prospect_ab12cd34 (truncated)", "[api-key] (truncated)"},
        {"sk_live_abcdefgh1234", "[api-key]"},
        {"sk_test_4eC39HqLyjWDarjtT1zdp7dc", "[api-key]"},
        {"rk_live_abcdefgh", "[api-key]"},
        {"pk_live_abcdefgh", "[api-key]"},
        {"whsec_abc+def/ghi=", "[api-key]"},
        {"xoxb-123456789-abc", "[api-key]"},
        {"xoxp-12345678", "[api-key]"},
        {"ghp_abcdefghijklmnop", "[api-key]"},
        {"gho_abcdefghijklmnop", "[api-key]"},
        {"github_pat_11ABCDEFG", "[api-key]"},
        {"id=AKIAIOSFODNN7EXAMPLE.", "id=[api-key]."},
        {"(sk_live_abcdefgh)", "([api-key])"},
        /* not keys */
        {"prospect_version", "prospect_version"},
        {"sk_test_short", "sk_test_short"},
        {"mask_live_abcdefgh", "mask_live_abcdefgh"},
        {"AKIAIOSFODNN7EXAMPLEX", "AKIAIOSFODNN7EXAMPLEX"},
        {"AKIA1234", "AKIA1234"},
        {"prospect", "prospect"},
    };
    (void)state;
    RUN(cases);
}

static void test_pairs(void **state)
{
    static const struct redact_case cases[] = {
        {"password=hunter2&user=bob", "password=[redacted]&user=bob"},
        {"{\"api_key\":\"abc\"}", "{\"api_key\":\"[redacted]\"}"},
        {"{\"password\" : \"a \\\"q\\\" b\", \"user\":\"bob\"}",
         "{\"password\" : \"[redacted]\", \"user\":\"bob\"}"},
        {"token: abc def", "token: [redacted] def"},
        {"x_api_key='v a l'", "x_api_key='[redacted]'"},
        {"Client-Secret = s3 rest", "Client-Secret = [redacted] rest"},
        {"?access_token=abc&x=1", "?access_token=[redacted]&x=1"},
        {"db.password=pw;next", "db.password=[redacted];next"},
        {"--password=foo --user=bar", "--password=[redacted] --user=bar"},
        {"Authorization: Bearer xyz", "Authorization: [redacted]"},
        {"Authorization: Digest a=1, b=2\nnext", "Authorization: [redacted]\nnext"},
        {"Set-Cookie: sid=abc; Path=/", "Set-Cookie: [redacted]"},
        {"authorization=Bearer xyz more", "authorization=[redacted] more"},
        {"\"credentials\":{\"user\":\"a\",\"pass\":\"b\"},\"x\":1",
         "\"credentials\":[redacted],\"x\":1"},
        {"\"tokens\":[\"a\",\"b\"]", "\"tokens\":[\"a\",\"b\"]"},
        {"\"session_tokens\":[\"a\",\"b\"],\"n\":2", "\"session_tokens\":[\"a\",\"b\"],\"n\":2"},
        {"\"refresh_token\":[\"a\",\"b\"],\"n\":2", "\"refresh_token\":[redacted],\"n\":2"},
        {"{\\\"password\\\":\\\"x\\\\\\\"y\\\",\\\"user\\\":\\\"bob\\\"}",
         "{\\\"password\\\":\\\"[redacted]\\\",\\\"user\\\":\\\"bob\\\"}"},
        {"{\"password\":\"unterminated", "{\"password\":\"[redacted]"},
        {"{\"password\":null}", "{\"password\":[redacted]"},
        {"sessionid=1; theme=dark", "sessionid=[redacted]; theme=dark"},
        /* not secret keys, or nothing to hide */
        {"passwordless=true tokens=5 key=v", "passwordless=true tokens=5 key=v"},
        {"password=", "password="},
        {"{\"password\":\"\"}", "{\"password\":\"\"}"},
        {"reset your password now", "reset your password now"},
        {"user=bob", "user=bob"},
    };
    (void)state;
    RUN(cases);
}

static void test_mixed(void **state)
{
    static const struct redact_case cases[] = {
        {"", ""},
        {"nothing to see here", "nothing to see here"},
        {"lead a@b.io phone +1 415 867 5309 key sk_live_abcdefgh1234",
         "lead [email] phone [phone] key [api-key]"},
        {"https://user:pa55@host.example.com/x", "https://user:[email]/x"},
        {"caf\xc3\xa9 john@example.com \xff", "caf\xc3\xa9 [email] \xff"},
    };
    (void)state;
    RUN(cases);
}

static void test_secrets(void **state)
{
    static const char *const secrets[] = {"hunter2xyz", "", "abab", NULL, "c j"};
    static const struct redact_case cases[] = {
        {"pw is hunter2xyz.", "pw is [secret]."},
        {"hunter2xyzhunter2xyz", "[secret]"},
        /* a secret inside an address: the whole address goes */
        {"john.hunter2xyz@example.com", "[email]"},
        {"hunter2xyzjohn@example.com", "[email]"},
        /* overlapping occurrences are all covered */
        {"xababab!", "x[secret]!"},
        /* a word after a secret is a new word */
        {"abc john@example.com", "ab[secret][email]"},
        /* bytes a pattern keeps still go through the mask */
        {"hunter2xyz_password=v", "[secret]_password=[redacted]"},
        {"Bearer hunter2xyz", "Bearer [redacted]"},
        {"hunter2xy", "hunter2xy"},
    };
    (void)state;
    run_cases(cases, sizeof cases / sizeof cases[0], secrets, sizeof secrets / sizeof secrets[0]);
}

static void test_buf_max(void **state)
{
    struct buf out;
    const char *text = "mail john@example.com";

    (void)state;
    /* Exactly enough room. */
    buf_init(&out, strlen("mail [email]"));
    assert_int_equal(redact_text(text, strlen(text), NULL, 0, &out), PR_OK);
    assert_string_equal(buf_cstr(&out), "mail [email]");
    buf_free(&out);

    /* One byte short: PR_INVALID and the buffer keeps its earlier contents. */
    buf_init(&out, strlen("> mail [email]") - 1);
    assert_int_equal(buf_puts(&out, "> "), PR_OK);
    assert_int_equal(redact_text(text, strlen(text), NULL, 0, &out), PR_INVALID);
    assert_string_equal(buf_cstr(&out), "> ");
    assert_int_equal(out.len, 2);
    buf_free(&out);

    /* A placeholder longer than its input still counts. */
    buf_init(&out, 4);
    assert_int_equal(redact_text("pwd=x", 5, NULL, 0, &out), PR_INVALID);
    assert_int_equal(out.len, 0);
    buf_free(&out);

    /* Not NUL-terminated input, and a NULL text of length 0. */
    buf_init(&out, 64);
    assert_int_equal(redact_text("4158675309XYZ", 10, NULL, 0, &out), PR_OK);
    assert_string_equal(buf_cstr(&out), "[phone]");
    assert_int_equal(redact_text(NULL, 0, NULL, 0, &out), PR_OK);
    assert_string_equal(buf_cstr(&out), "[phone]");
    buf_free(&out);
}

/* Inputs built to defeat a naive scanner; a quadratic pass would take hours at this size and
 * trip the test timeout. */
static void test_hostile_inputs_are_linear(void **state)
{
    static const char *const units[] = {"1 ",        "a",  "a.",      "-1", "@a.", "password",
                                        "prospect_", "(1", "Bearer ", "\"", "ab"};
    static const char *const secrets[] = {"a", "abababababababababababababab"};
    size_t size = 1 << 20, k;

    (void)state;
    for (k = 0; k < sizeof units / sizeof units[0]; k++) {
        size_t unit_len = strlen(units[k]), i;
        char *text = xmalloc(size);
        struct buf out;

        for (i = 0; i < size; i++)
            text[i] = units[k][i % unit_len];
        buf_init(&out, size * 10);
        assert_int_equal(redact_text(text, size, secrets, 2, &out), PR_OK);
        buf_free(&out);
        xfree(text);
    }
}

static void test_key_is_secret(void **state)
{
    static const char *const secret_keys[] = {
        "password",
        "Password",
        "PASSWORD",
        "user_password",
        "db-passwd",
        "pwd",
        "secret",
        "client_secret",
        "CLIENT-SECRET",
        "token",
        "csrf_token",
        "access_token",
        "api_key",
        "apikey",
        "X-Api-Key",
        "X_API_KEY",
        "api-key",
        "access_key",
        "aws_secret_access_key",
        "private_key",
        "privateKey",
        "authorization",
        "Proxy-Authorization",
        "cookie",
        "Set-Cookie",
        "session_id",
        "sessionid",
        "JSESSIONID",
        "credentials",
        "gcp_credentials",
        "pass_word",
        "--password",
        "api__key",
    };
    static const char *const plain_keys[] = {
        "",          "user", "email", "key", "passwordless", "tokens",  "token_count", "session",
        "secretary", "name", "id",    "api", "credential",   "cookies", "authorized",  "pass",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof secret_keys / sizeof secret_keys[0]; i++) {
        if (!redact_key_is_secret(secret_keys[i]))
            fail_msg("\"%s\" should be a secret key", secret_keys[i]);
    }
    for (i = 0; i < sizeof plain_keys / sizeof plain_keys[0]; i++) {
        if (redact_key_is_secret(plain_keys[i]))
            fail_msg("\"%s\" should not be a secret key", plain_keys[i]);
    }
    assert_false(redact_key_is_secret(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_phone),
        cmocka_unit_test(test_auth_scheme),
        cmocka_unit_test(test_api_key),
        cmocka_unit_test(test_pairs),
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_secrets),
        cmocka_unit_test(test_buf_max),
        cmocka_unit_test(test_hostile_inputs_are_linear),
        cmocka_unit_test(test_key_is_secret),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
