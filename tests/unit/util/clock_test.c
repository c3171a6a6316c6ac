/* Real and fake clocks, ISO-8601 formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/clock.h"

static void test_fake_clock(void **state)
{
    struct clock c;

    (void)state;
    clock_fake_init(&c, 1000);
    assert_int_equal(clock_now_ms(&c), 1000);
    clock_fake_advance(&c, 250);
    assert_int_equal(clock_now_ms(&c), 1250);
    clock_fake_set(&c, 5);
    assert_int_equal(clock_now_ms(&c), 5);
}

static void test_real_clock_is_plausible(void **state)
{
    int64_t now = clock_now_ms(clock_real());

    (void)state;
    assert_true(now > 1700000000000LL); /* after 2023-11 */
    assert_true(now < 4102444800000LL); /* before 2100 */
}

static void test_iso8601(void **state)
{
    static const struct {
        int64_t ms;
        const char *text;
    } cases[] = {
        {0, "1970-01-01T00:00:00.000Z"},
        {1764000000123, "2025-11-24T16:00:00.123Z"},
        {951782400000, "2000-02-29T00:00:00.000Z"},
        {-1, "1969-12-31T23:59:59.999Z"},
    };
    char out[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(clock_format_iso8601(cases[i].ms, out, sizeof out), cases[i].text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fake_clock),
        cmocka_unit_test(test_real_clock_is_plausible),
        cmocka_unit_test(test_iso8601),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
