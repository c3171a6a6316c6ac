/* CSV writer: quoting, doubling, formula defusing, size limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/csv_write.h"

#include <string.h>

static void test_fields(void **state)
{
    static const struct {
        const char *in;
        bool defuse;
        const char *out;
    } cases[] = {
        {"plain", true, "plain"},
        {"", true, ""},
        {"a,b", true, "\"a,b\""},
        {"say \"hi\"", true, "\"say \"\"hi\"\"\""},
        {"line\nbreak", true, "\"line\nbreak\""},
        {"cr\rhere", true, "\"cr\rhere\""},
        {" padded ", true, "\" padded \""},
        {"=SUM(A1)", true, "\"'=SUM(A1)\""},
        {"+1 415 555 2671", true, "+1 415 555 2671"},
        {"+14155552671", true, "+14155552671"},
        {"+SUM(1)", true, "\"'+SUM(1)\""},
        {"-2+3", true, "\"'-2+3\""},
        {"-5", true, "-5"},
        {"-", true, "\"'-\""},
        {"@cmd", true, "\"'@cmd\""},
        {"\"", true, "\"\"\"\""},
        {"é, ü", true, "\"é, ü\""},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct buf b;

        buf_init(&b, 1024);
        assert_int_equal(csv_write_field(&b, cases[i].in, strlen(cases[i].in), cases[i].defuse),
                         PR_OK);
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_free(&b);
    }
}

static void test_records_and_limits(void **state)
{
    const char *fields[] = {"id", NULL, "a\"b", "x,y"};
    struct buf b;

    (void)state;
    buf_init(&b, 1024);
    assert_int_equal(csv_write_record(&b, fields, 4, true), PR_OK);
    assert_string_equal(buf_cstr(&b), "id,,\"a\"\"b\",\"x,y\"\r\n");
    buf_free(&b);
    buf_init(&b, 5);
    assert_int_equal(csv_write_record(&b, fields, 4, true), PR_INVALID);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fields),
        cmocka_unit_test(test_records_and_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
