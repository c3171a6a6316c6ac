/* String views and bounded buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/mem.h"
#include "util/str.h"

#include <string.h>

static void test_views(void **state)
{
    static const struct {
        const char *in;
        const char *trimmed;
    } cases[] = {
        {"", ""}, {"  ", ""}, {" a ", "a"}, {"\t\r\nab c\n", "ab c"}, {"x", "x"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct str t = str_trim(str_from_cstr(cases[i].in));
        assert_true(str_eq(t, str_from_cstr(cases[i].trimmed)));
    }
    assert_true(str_eq_nocase(str_from_cstr("HeLLo"), str_from_cstr("hello")));
    assert_false(str_eq(str_from_cstr("abc"), str_from_cstr("abd")));
    assert_false(str_eq(str_from_cstr("abc"), str_from_cstr("ab")));
    assert_true(str_has_prefix(str_from_cstr("prospect_x"), "prospect_"));
    assert_false(str_has_prefix(str_from_cstr("pro"), "prospect_"));
    assert_int_equal(str_from_cstr(NULL).len, 0);
}

static void test_buf_appends_and_grows(void **state)
{
    struct buf b;
    int i;

    (void)state;
    buf_init(&b, 1 << 20);
    assert_string_equal(buf_cstr(&b), "");
    for (i = 0; i < 1000; i++)
        assert_int_equal(buf_printf(&b, "%d,", i % 10), PR_OK);
    assert_int_equal(b.len, 2000);
    assert_int_equal(strlen(buf_cstr(&b)), 2000);
    assert_int_equal(buf_putc(&b, '!'), PR_OK);
    assert_int_equal(b.ptr[2000], '!');
    buf_reset(&b);
    assert_string_equal(buf_cstr(&b), "");
    buf_free(&b);
}

static void test_buf_max_is_enforced(void **state)
{
    struct buf b;
    char big[600];

    (void)state;
    memset(big, 'y', sizeof big);
    buf_init(&b, 10);
    assert_int_equal(buf_puts(&b, "0123456789"), PR_OK);
    assert_int_equal(buf_putc(&b, 'x'), PR_INVALID);
    assert_string_equal(buf_cstr(&b), "0123456789"); /* unchanged after the refused append */
    buf_reset(&b);
    assert_int_equal(buf_printf(&b, "%.*s", 600, big), PR_INVALID);
    assert_int_equal(b.len, 0);
    buf_free(&b);
}

static void test_buf_long_printf_and_detach(void **state)
{
    struct buf b;
    char big[1000];
    char *owned;

    (void)state;
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    buf_init(&b, 4096);
    assert_int_equal(buf_printf(&b, "<%s>", big), PR_OK);
    assert_int_equal(b.len, 1001);
    owned = buf_detach(&b);
    assert_int_equal(strlen(owned), 1001);
    assert_int_equal(b.len, 0);
    xfree(owned);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_buf_appends_and_grows),
        cmocka_unit_test(test_buf_max_is_enforced),
        cmocka_unit_test(test_buf_long_printf_and_detach),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
