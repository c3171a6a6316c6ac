/*
 * Tests for util/json: parse limits (size, depth, malformed input with line and column,
 * duplicate keys), the typed getters and their messages, dumping, and the string escaper with
 * its table of invalid UTF-8.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/json.h"
#include "util/mem.h"
#include "util/str.h"

/* Parses a C string with generous limits unless given. */
static enum pr_code parse(const char *text, size_t max_len, int max_depth, json_t **out,
                          struct pr_error *err)
{
    return json_parse_limited(text, strlen(text), max_len, max_depth, out, err);
}

static void test_parse_ok(void **state)
{
    struct pr_error err;
    json_t *root = NULL;

    (void)state;
    assert_int_equal(parse("{\"a\": [1, {\"b\": true}], \"c\": \"d\"}", 1024, 8, &root, &err),
                     PR_OK);
    assert_true(json_is_object(root));
    assert_string_equal(json_string_value(json_object_get(root, "c")), "d");
    json_decref(root);

    /* Any value at the top level (RFC 8259), surrounding white space allowed. */
    assert_int_equal(parse(" 42 ", 1024, 8, &root, &err), PR_OK);
    assert_true(json_is_integer(root));
    json_decref(root);
    assert_int_equal(parse("\"x\"", 1024, 0, &root, &err), PR_OK);
    json_decref(root);

    /* Only `len` bytes are read. */
    assert_int_equal(json_parse_limited("[1]garbage", 3, 3, 1, &root, &err), PR_OK);
    assert_int_equal(json_array_size(root), 1);
    json_decref(root);
}

static void test_parse_size_limit(void **state)
{
    struct pr_error err;
    json_t *root = (json_t *)&err; /* must be reset to NULL on failure */

    (void)state;
    assert_int_equal(parse("[1,2,3,4,5]", 10, 8, &root, &err), PR_INVALID);
    assert_null(root);
    assert_int_equal(err.code, PR_INVALID);
    assert_string_equal(err.message, "JSON body is larger than 10 bytes");

    /* Exactly at the limit is fine. */
    assert_int_equal(parse("[1,2,3,4,5]", 11, 8, &root, &err), PR_OK);
    json_decref(root);
}

struct depth_case {
    const char *text;
    int max_depth;
    bool is_ok;
};

static void test_parse_depth_limit(void **state)
{
    static const struct depth_case cases[] = {
        {"1", 0, true},
        {"[]", 0, false},
        {"[]", 1, true},
        {"[[[]]]", 3, true},
        {"[[[]]]", 2, false},
        {"{\"a\":{\"b\":{}}}", 3, true},
        {"{\"a\":{\"b\":{}}}", 2, false},
        {"[1,[2],{\"x\":[3,[4]]}]", 4, true},
        {"[1,[2],{\"x\":[3,[4]]}]", 3, false},
        {"[[],[],[],[1]]", 2, true},
        {"[[],[],[],[[]]]", 2, false},
    };
    struct pr_error err;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *root = NULL;
        enum pr_code rc = parse(cases[i].text, 1024, cases[i].max_depth, &root, &err);

        if ((rc == PR_OK) != cases[i].is_ok)
            fail_msg("case %zu: %s at depth %d gave %d", i, cases[i].text, cases[i].max_depth,
                     (int)rc);
        if (rc == PR_OK) {
            json_decref(root);
        } else {
            char want[64];
            int n = snprintf(want, sizeof want, "JSON nested deeper than %d levels",
                             cases[i].max_depth);

            assert_true(n > 0 && (size_t)n < sizeof want);
            assert_null(root);
            assert_string_equal(err.message, want);
        }
    }
}

/* Nesting past jansson's own parser limit gives the depth error, not a crash. */
static void test_parse_very_deep(void **state)
{
    size_t depth = 100000, i;
    char *text = xmalloc(2 * depth);
    struct pr_error err;
    json_t *root = NULL;

    (void)state;
    for (i = 0; i < depth; i++) {
        text[i] = '[';
        text[2 * depth - 1 - i] = ']';
    }
    assert_int_equal(json_parse_limited(text, 2 * depth, 4 * depth, 64, &root, &err), PR_INVALID);
    assert_null(root);
    assert_string_equal(err.message, "JSON nested deeper than 64 levels");
    xfree(text);
}

struct malformed_case {
    const char *text;
    const char *message;
};

static void test_parse_malformed(void **state)
{
    static const struct malformed_case cases[] = {
        {"{\n  \"a\": 1,\n  \"b\": }",
         "malformed JSON at line 3, column 8: unexpected token near '}'"},
        {"", "malformed JSON at line 1, column 0: unexpected token near end of file"},
        {"{\"a\":1} x", "malformed JSON at line 1, column 9: end of file expected near 'x'"},
        {"{\"a\":1,\"a\":2}",
         "malformed JSON at line 1, column 10: duplicate object key near '\"a\"'"},
        {"[\"\\u0000\"]",
         "malformed JSON at line 1, column 9: \\u0000 is not allowed without JSON_ALLOW_NUL near "
         "'\"\\u0000\"'"},
        {"[\"\xff\"]", "malformed JSON at line 1, column 2: unable to decode byte 0xff near '\"'"},
        {"[1,]", "malformed JSON at line 1, column 4: unexpected token near ']'"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pr_error err;
        json_t *root = NULL;

        assert_int_equal(parse(cases[i].text, 1024, 8, &root, &err), PR_INVALID);
        assert_null(root);
        assert_int_equal(err.code, PR_INVALID);
        if (strcmp(err.message, cases[i].message) != 0)
            fail_msg("case %zu:\n   got: %s\n  want: %s", i, err.message, cases[i].message);
    }
}

static json_t *load(const char *text)
{
    json_t *root = json_loads(text, 0, NULL);

    assert_non_null(root);
    return root;
}

static void test_get_string(void **state)
{
    json_t *obj = load("{\"email\":\"a@b.io\",\"n\":1,\"none\":null,\"nul\":\"x\"}");
    const char *s = "unchanged";
    struct pr_error err;

    (void)state;
    json_object_set_new(obj, "nul", json_stringn("a\0b", 3));

    assert_int_equal(json_get_string(obj, "email", true, &s, &err), PR_OK);
    assert_string_equal(s, "a@b.io");

    assert_int_equal(json_get_string(obj, "missing", false, &s, &err), PR_OK);
    assert_null(s);
    s = "unchanged";
    assert_int_equal(json_get_string(obj, "none", false, &s, &err), PR_OK);
    assert_null(s);

    assert_int_equal(json_get_string(obj, "missing", true, &s, &err), PR_INVALID);
    assert_string_equal(err.message, "field 'missing' is required");
    assert_int_equal(json_get_string(obj, "none", true, &s, &err), PR_INVALID);
    assert_string_equal(err.message, "field 'none' is required");

    assert_int_equal(json_get_string(obj, "n", false, &s, &err), PR_INVALID);
    assert_string_equal(err.message, "field 'n' must be a string");
    assert_int_equal(json_get_string(obj, "nul", false, &s, &err), PR_INVALID);
    assert_string_equal(err.message, "field 'nul' must not contain NUL characters");
    json_decref(obj);

    obj = load("[1]");
    assert_int_equal(json_get_string(obj, "email", false, &s, &err), PR_INVALID);
    assert_string_equal(err.message, "expected a JSON object holding field 'email'");
    json_decref(obj);
}

struct int_case {
    const char *member; /* JSON text of the member, NULL for absent */
    bool required;
    int64_t min, max;
    enum pr_code rc;
    int64_t value; /* *out afterwards; 7 means untouched */
    const char *message;
};

static void test_get_int(void **state)
{
    static const struct int_case cases[] = {
        {"50", true, 1, 100, PR_OK, 50, NULL},
        {"1", true, 1, 100, PR_OK, 1, NULL},
        {"100", false, 1, 100, PR_OK, 100, NULL},
        {"0", true, 1, 100, PR_INVALID, 7, "field 'limit' must be an integer from 1 to 100"},
        {"101", true, 1, 100, PR_INVALID, 7, "field 'limit' must be an integer from 1 to 100"},
        {"-5", false, -10, -1, PR_OK, -5, NULL},
        {"5.0", true, 1, 100, PR_INVALID, 7, "field 'limit' must be an integer from 1 to 100"},
        {"\"5\"", true, 1, 100, PR_INVALID, 7, "field 'limit' must be an integer from 1 to 100"},
        {"true", true, 1, 100, PR_INVALID, 7, "field 'limit' must be an integer from 1 to 100"},
        {NULL, false, 1, 100, PR_OK, 7, NULL},
        {"null", false, 1, 100, PR_OK, 7, NULL},
        {NULL, true, 1, 100, PR_INVALID, 7, "field 'limit' is required"},
        {"9223372036854775807", true, INT64_MIN, INT64_MAX, PR_OK, INT64_MAX, NULL},
        {"-9223372036854775808", true, INT64_MIN, INT64_MAX, PR_OK, INT64_MIN, NULL},
        {"[]", true, INT64_MIN, INT64_MAX, PR_INVALID, 7, "field 'limit' must be an integer"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[128];
        json_t *obj;
        int64_t value = 7;
        struct pr_error err;
        enum pr_code rc;
        int n = snprintf(text, sizeof text, "{\"limit\":%s}",
                         cases[i].member != NULL ? cases[i].member : "null");

        assert_true(n > 0 && (size_t)n < sizeof text);
        obj = load(text);
        if (cases[i].member == NULL)
            json_object_del(obj, "limit"); /* absent rather than null */
        rc =
            json_get_int(obj, "limit", cases[i].required, cases[i].min, cases[i].max, &value, &err);
        json_decref(obj);
        if (rc != cases[i].rc || value != cases[i].value)
            fail_msg("case %zu: %s gave rc %d value %lld", i, text, (int)rc, (long long)value);
        if (cases[i].message != NULL && strcmp(err.message, cases[i].message) != 0)
            fail_msg("case %zu: message %s", i, err.message);
    }
}

static void test_get_bool(void **state)
{
    json_t *obj = load("{\"on\":true,\"off\":false,\"n\":1}");
    bool value = false;
    struct pr_error err;

    (void)state;
    assert_int_equal(json_get_bool(obj, "on", true, &value, &err), PR_OK);
    assert_true(value);
    assert_int_equal(json_get_bool(obj, "off", true, &value, &err), PR_OK);
    assert_false(value);
    value = true;
    assert_int_equal(json_get_bool(obj, "missing", false, &value, &err), PR_OK);
    assert_true(value);
    assert_int_equal(json_get_bool(obj, "missing", true, &value, &err), PR_INVALID);
    assert_string_equal(err.message, "field 'missing' is required");
    assert_int_equal(json_get_bool(obj, "n", true, &value, &err), PR_INVALID);
    assert_string_equal(err.message, "field 'n' must be true or false");
    assert_true(value);
    json_decref(obj);
}

static void test_dump(void **state)
{
    json_t *obj = json_object();
    struct buf out;

    (void)state;
    json_object_set_new(obj, "z", json_integer(1));
    json_object_set_new(obj, "a", json_pack("[s,b,n]", "caf\xc3\xa9/\"", 1));
    json_object_set_new(obj, "m", json_real(1.5));

    buf_init(&out, 1024);
    assert_int_equal(buf_puts(&out, ">"), PR_OK);
    assert_int_equal(json_dump_buf(obj, &out), PR_OK);
    assert_string_equal(buf_cstr(&out),
                        ">{\"z\":1,\"a\":[\"caf\xc3\xa9/\\\"\",true,null],\"m\":1.5}");
    buf_free(&out);

    /* Scalars dump too. */
    buf_init(&out, 16);
    assert_int_equal(json_dump_buf(json_object_get(obj, "z"), &out), PR_OK);
    assert_string_equal(buf_cstr(&out), "1");
    buf_free(&out);

    /* Too small: PR_INVALID and the buffer keeps what it had. */
    buf_init(&out, 20);
    assert_int_equal(buf_puts(&out, "keep"), PR_OK);
    assert_int_equal(json_dump_buf(obj, &out), PR_INVALID);
    assert_string_equal(buf_cstr(&out), "keep");
    assert_int_equal(out.len, 4);
    assert_int_equal(json_dump_buf(NULL, &out), PR_INVALID);
    buf_free(&out);
    json_decref(obj);
}

struct escape_case {
    const char *input;
    size_t len;
    const char *expected; /* literal, quotes included */
};

#define ESC(in, out)                                                                               \
    {                                                                                              \
        in, sizeof in - 1, out                                                                     \
    }
#define FFFD "\xEF\xBF\xBD"

static void test_append_string(void **state)
{
    static const struct escape_case cases[] = {
        ESC("", "\"\""),
        ESC("plain text", "\"plain text\""),
        ESC("q\"b\\s/", "\"q\\\"b\\\\s/\""),
        ESC("\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\""),
        ESC("\x01\x1f\x7f", "\"\\u0001\\u001F\x7f\""),
        ESC("a\0b", "\"a\\u0000b\""),
        ESC("<&>", "\"<&>\""),
        /* valid UTF-8 passes through: 2, 3 and 4 bytes, U+FFFF, U+10FFFF, U+2028 */
        ESC("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
            "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""),
        ESC("\xef\xbf\xbf\xf4\x8f\xbf\xbf\xe2\x80\xa8",
            "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\xe2\x80\xa8\""),
        /* invalid: one U+FFFD per maximal ill-formed subpart */
        ESC("\x80", "\"" FFFD "\""),
        ESC("a\xbf"
            "b",
            "\"a" FFFD "b\""),
        ESC("\xc0\x80", "\"" FFFD FFFD "\""),                   /* overlong NUL */
        ESC("\xc1\xbf", "\"" FFFD FFFD "\""),                   /* overlong */
        ESC("\xe0\x80\x80", "\"" FFFD FFFD FFFD "\""),          /* overlong 3-byte */
        ESC("\xf0\x80\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""), /* overlong 4-byte */
        ESC("\xed\xa0\x80", "\"" FFFD FFFD FFFD "\""),          /* surrogate U+D800 */
        ESC("\xed\xbf\xbf", "\"" FFFD FFFD FFFD "\""),          /* surrogate U+DFFF */
        ESC("\xf4\x90\x80\x80", "\"" FFFD FFFD FFFD FFFD "\""), /* above U+10FFFF */
        ESC("\xf5\x80", "\"" FFFD FFFD "\""),
        ESC("\xff\xfe", "\"" FFFD FFFD "\""),
        ESC("\xe2\x82", "\"" FFFD "\""), /* truncated at the end */
        ESC("\xe2\x82"
            "A",
            "\"" FFFD "A\""), /* truncated before ASCII */
        ESC("\xf0\x9f\x98", "\"" FFFD "\""),
        ESC("\xf0\x9f\x98\"", "\"" FFFD "\\\"\""),
        ESC("\xc3\xc3\xa9", "\"" FFFD "\xc3\xa9\""), /* a new lead byte restarts */
        ESC("\xe2\x28\xa1", "\"" FFFD "(" FFFD "\""),
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf out;
        json_t *decoded;

        buf_init(&out, 256);
        assert_int_equal(json_append_string(&out, cases[i].input, cases[i].len), PR_OK);
        if (out.len != strlen(cases[i].expected) || strcmp(buf_cstr(&out), cases[i].expected) != 0)
            fail_msg("case %zu: got %s", i, buf_cstr(&out));
        /* Whatever came in, the literal is valid JSON. */
        decoded = json_loadb(out.ptr, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
        if (!json_is_string(decoded))
            fail_msg("case %zu: %s does not parse back", i, buf_cstr(&out));
        json_decref(decoded);
        buf_free(&out);
    }
}

static void test_append_string_limits(void **state)
{
    struct buf out;

    (void)state;
    buf_init(&out, 8);
    assert_int_equal(buf_puts(&out, "ab"), PR_OK);
    /* 2 + 8 bytes ("\n\n\n" escaped and quoted) is over 8: nothing is appended. */
    assert_int_equal(json_append_string(&out, "\n\n\n", 3), PR_INVALID);
    assert_string_equal(buf_cstr(&out), "ab");
    assert_int_equal(out.len, 2);
    /* 2 + 4, then 6 + 2: exactly full. */
    assert_int_equal(json_append_string(&out, "\n", 1), PR_OK);
    assert_int_equal(json_append_string(&out, "", 0), PR_OK);
    assert_string_equal(buf_cstr(&out), "ab\"\\n\"\"\"");
    /* Full: even an empty literal does not fit, and an invalid byte fails the same way. */
    assert_int_equal(json_append_string(&out, "", 0), PR_INVALID);
    assert_int_equal(json_append_string(&out, "\xff", 1), PR_INVALID);
    assert_int_equal(out.len, 8);
    buf_free(&out);

    buf_init(&out, 8);
    assert_int_equal(json_append_string(&out, NULL, 0), PR_OK);
    assert_string_equal(buf_cstr(&out), "\"\"");
    buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_ok),
        cmocka_unit_test(test_parse_size_limit),
        cmocka_unit_test(test_parse_depth_limit),
        cmocka_unit_test(test_parse_very_deep),
        cmocka_unit_test(test_parse_malformed),
        cmocka_unit_test(test_get_string),
        cmocka_unit_test(test_get_int),
        cmocka_unit_test(test_get_bool),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_append_string),
        cmocka_unit_test(test_append_string_limits),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
