/* Phone normalization: international numbers, extensions, garbage, regions and time zones. The
 * expected values are libphonenumber's (checked against python3-phonenumbers 8.12.57). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/phone.h"
#include "core/phone_shim.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

struct phone_case {
    const char *text;
    const char *region; /* default region as given by the caller */
    enum pr_code rc;
    const char *e164; /* NULL: empty */
    enum phone_type type;
    const char *region_out;
    const char *time_zone;
    const char *message; /* substring of err.message when rc != PR_OK */
};

#define OK(text, region, e164, type, region_out, tz)                                               \
    {                                                                                              \
        text, region, PR_OK, e164, type, region_out, tz, NULL                                      \
    }
#define BAD(text, region, e164, message)                                                           \
    {                                                                                              \
        text, region, PR_INVALID, e164, PHONE_UNKNOWN, "", "", message                             \
    }

static const struct phone_case cases[] = {
    /* United Kingdom */
    OK("+44 20 7946 0018", "US", "+442079460018", PHONE_FIXED_LINE, "GB", "Europe/London"),
    OK("020 7946 0018", "GB", "+442079460018", PHONE_FIXED_LINE, "GB", "Europe/London"),
    OK("07400 123456", "GB", "+447400123456", PHONE_MOBILE, "GB", "Europe/London"),
    BAD("+44 7700 900123", "US", "+447700900123", "invalid for region GB"), /* drama range */
    /* Germany: two canonical zones (Busingen), one metazone, so Berlin */
    OK("+49 30 901820", "US", "+4930901820", PHONE_FIXED_LINE, "DE", "Europe/Berlin"),
    OK("030 901820", "de", "+4930901820", PHONE_FIXED_LINE, "DE", "Europe/Berlin"),
    OK("01512 3456789", "DE", "+4915123456789", PHONE_MOBILE, "DE", "Europe/Berlin"),
    OK("011 49 30 901820", "US", "+4930901820", PHONE_FIXED_LINE, "DE", "Europe/Berlin"),
    BAD("0049 30 901820", "US", "+1004930901820", "invalid for region US"), /* 00 is not US IDD */
    /* France */
    OK("+33 1 42 68 53 00", "US", "+33142685300", PHONE_FIXED_LINE, "FR", "Europe/Paris"),
    OK("06 12 34 56 78", "FR", "+33612345678", PHONE_MOBILE, "FR", "Europe/Paris"),
    /* India (ICU and libphonenumber both spell it Asia/Calcutta) */
    OK("+91 98765 43210", "US", "+919876543210", PHONE_MOBILE, "IN", "Asia/Calcutta"),
    OK("011 2345 6789", "IN", "+911123456789", PHONE_FIXED_LINE, "IN", "Asia/Calcutta"),
    OK("+91 11 2345 6789", NULL, "+911123456789", PHONE_FIXED_LINE, "IN", "Asia/Calcutta"),
    /* Brazil, Australia: several zones, none chosen */
    OK("+55 11 91234-5678", "US", "+5511912345678", PHONE_MOBILE, "BR", ""),
    OK("(11) 3456-7890", "BR", "+551134567890", PHONE_FIXED_LINE, "BR", ""),
    OK("+61 2 9374 4000", "US", "+61293744000", PHONE_FIXED_LINE, "AU", ""),
    OK("0412 345 678", "AU", "+61412345678", PHONE_MOBILE, "AU", ""),
    /* Japan */
    OK("+81 3-1234-5678", "US", "+81312345678", PHONE_FIXED_LINE, "JP", "Asia/Tokyo"),
    OK("090-1234-5678", "JP", "+819012345678", PHONE_MOBILE, "JP", "Asia/Tokyo"),
    /* Elsewhere */
    OK("+7 912 345 6789", "", "+79123456789", PHONE_MOBILE, "RU", ""),
    OK("+86 138 0013 8000", "", "+8613800138000", PHONE_MOBILE, "CN", ""),
    OK("+800 1234 5678", "", "+80012345678", PHONE_TOLL_FREE, "", ""), /* non-geographic */
    /* North America: the fast-path forms, and what the number says about its region */
    OK("(415) 555-2671", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("415.555.2671", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("1-415-555-2671", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("+1 415 555 2671", NULL, "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("415-555-2671", "us", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("416-555-2671", "US", "+14165552671", PHONE_FIXED_OR_MOBILE, "CA", ""),
    OK("416-555-2671", "CA", "+14165552671", PHONE_FIXED_OR_MOBILE, "CA", ""),
    OK("(204) 555-0100", "US", "+12045550100", PHONE_FIXED_OR_MOBILE, "CA", ""),
    OK("310-4567", "CA", "+13104567", PHONE_OTHER, "CA", ""), /* UAN, 7 digits */
    OK("1-868-620-1234", "US", "+18686201234", PHONE_MOBILE, "TT", "America/Port_of_Spain"),
    OK("+1 876 927 1234", "", "+18769271234", PHONE_FIXED_LINE, "JM", "America/Jamaica"),
    OK("+1 787 234 5678", "", "+17872345678", PHONE_FIXED_OR_MOBILE, "PR", "America/Puerto_Rico"),
    OK("+1 800 555 0100", "", "+18005550100", PHONE_TOLL_FREE, "US", ""),
    OK("+1 900 555 0100", "", "+19005550100", PHONE_OTHER, "US", ""), /* premium */
    OK("+1 600 555 0100", "", "+16005550100", PHONE_VOIP, "CA", ""),
    OK("+1 505 644 1234", "", "+15056441234", PHONE_FIXED_OR_MOBILE, "US", ""),
    BAD("+1 505 640 1234", "", "+15056401234", "invalid for region US"),
    BAD("415-055-2671", "US", "+14150552671", "invalid for region US"),
    BAD("211-555-1234", "US", "+12115551234", "invalid for region US"),
    BAD("555-0100", "US", "+15550100", "invalid for region US"),
    BAD("415 555 2671", "GB", "+444155552671", "invalid for region GB"),
    /* Extensions are parsed and dropped */
    OK("415-555-2671 x123", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("(415) 555-2671 ext. 12", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("415-555-2671 #45", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    OK("+44 20 7946 0018;ext=9", "", "+442079460018", PHONE_FIXED_LINE, "GB", "Europe/London"),
    /* Letters: vanity numbers are read on the keypad; leading words are skipped */
    OK("1-800-FLOWERS", "US", "+18003569377", PHONE_TOLL_FREE, "US", ""),
    OK("abc 415 555 2671", "US", "+14155552671", PHONE_FIXED_OR_MOBILE, "US", ""),
    /* Garbage, empty, too short, too long, no region */
    BAD("", "US", NULL, "empty phone number"),
    BAD(" \t ", "US", NULL, "empty phone number"),
    BAD("hello", "US", NULL, "not a phone number"),
    BAD("N/A", "US", NULL, "not a phone number"),
    BAD("---", "US", NULL, "not a phone number"),
    BAD("+", "US", NULL, "not a phone number"),
    BAD("()", "US", NULL, "not a phone number"),
    BAD("5", "US", NULL, "not a phone number"),
    BAD("+1 2", "US", NULL, "not a phone number"),
    BAD("12", "US", "+112", "invalid for region US"),
    BAD("123456789012345678901", "US", NULL, "too long"),
    BAD("4155552671", "", NULL, "unknown country code"),
    BAD("4155552671", NULL, NULL, "unknown country code"),
    BAD("4155552671", "USA", NULL, "unknown country code"),
    BAD("4155552671", "Z9", NULL, "unknown country code"),
};

static void check_case(const struct phone_case *c)
{
    struct phone_info info;
    struct pr_error err;
    enum pr_code rc;

    memset(&err, 0, sizeof err);
    rc = phone_normalize(c->text, strlen(c->text), c->region, &info, &err);
    if (rc != c->rc || strcmp(info.e164, c->e164 ? c->e164 : "") != 0 || info.type != c->type ||
        strcmp(info.region, c->region_out) != 0 || strcmp(info.time_zone, c->time_zone) != 0 ||
        info.is_valid != (c->rc == PR_OK) ||
        (c->message != NULL && strstr(err.message, c->message) == NULL)) {
        print_message("# \"%s\" (%s): rc=%d e164=%s type=%s region=%s tz=%s valid=%d msg=%s\n",
                      c->text, c->region ? c->region : "NULL", (int)rc, info.e164,
                      phone_type_name(info.type), info.region, info.time_zone, (int)info.is_valid,
                      err.message);
        fail();
    }
    if (rc != PR_OK) {
        assert_true(err.hint[0] != '\0');
        if (c->e164 != NULL || strstr(err.message, "empty") == NULL)
            assert_non_null(strstr(err.detail, "libphonenumber"));
    }
}

static void test_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_case(&cases[i]);
}

static void test_length_limit(void **state)
{
    char text[PHONE_INPUT_MAX + 2];
    struct phone_info info;
    struct pr_error err;

    (void)state;
    /* 250 bytes: libphonenumber looks at it (and finds it too long: 17 digits at most) */
    memset(text, '5', sizeof text);
    assert_int_equal(phone_normalize(text, PHONE_INPUT_MAX, "US", &info, &err), PR_INVALID);
    assert_string_equal(err.message, "too long");
    /* 251 bytes: refused unread; 250 spaces around a number also count */
    assert_int_equal(phone_normalize(text, PHONE_INPUT_MAX + 1, "US", &info, &err), PR_INVALID);
    assert_string_equal(err.message, "too long");
    assert_string_equal(info.e164, "");
    /* the length is `len`, not strlen: the bytes after it are never read */
    memcpy(text, "4155552671", 10);
    assert_int_equal(phone_normalize(text, 10, "US", &info, &err), PR_OK);
    assert_string_equal(info.e164, "+14155552671");
    /* embedded NUL and bytes that are not UTF-8 */
    assert_int_equal(phone_normalize("415\0"
                                     "5552671",
                                     11, "US", &info, &err),
                     PR_INVALID);
    assert_int_equal(phone_normalize("\xff\xfe 415 555 2671", 16, "US", &info, &err), PR_INVALID);
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(phone_type_name(PHONE_FIXED_LINE), "fixed_line");
    assert_string_equal(phone_type_name(PHONE_MOBILE), "mobile");
    assert_string_equal(phone_type_name(PHONE_FIXED_OR_MOBILE), "fixed_or_mobile");
    assert_string_equal(phone_type_name(PHONE_TOLL_FREE), "toll_free");
    assert_string_equal(phone_type_name(PHONE_VOIP), "voip");
    assert_string_equal(phone_type_name(PHONE_OTHER), "other");
    assert_string_equal(phone_type_name(PHONE_UNKNOWN), "unknown");
    assert_string_equal(phone_type_name((enum phone_type)99), "unknown");
}

static void test_region_arg(void **state)
{
    static const char *const cases_in[][2] = {
        {"US", "US"}, {"us", "US"}, {"cA", "CA"}, {"", ""},     {"USA", ""},
        {"U", ""},    {"1A", ""},   {"U ", ""},   {"zz", "ZZ"},
    };
    char out[3];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases_in / sizeof cases_in[0]; i++) {
        phone__region_arg(cases_in[i][0], out);
        assert_string_equal(out, cases_in[i][1]);
    }
    phone__region_arg(NULL, out);
    assert_string_equal(out, "");
}

/* The importer normalizes on two threads: both run the whole table at once (first use, with its
 * once-built tables, included) and must agree with the single-threaded answers. */
static void *run_table(void *arg)
{
    size_t i, *n_bad = arg;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct phone_info info;
        struct pr_error err;
        enum pr_code rc =
            phone_normalize(cases[i].text, strlen(cases[i].text), cases[i].region, &info, &err);
        if (rc != cases[i].rc || strcmp(info.e164, cases[i].e164 ? cases[i].e164 : "") != 0 ||
            strcmp(info.time_zone, cases[i].time_zone) != 0)
            (*n_bad)++;
    }
    return NULL;
}

static void test_threads(void **state)
{
    pthread_t threads[4];
    size_t n_bad[4] = {0, 0, 0, 0};
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, run_table, &n_bad[i]), 0);
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(n_bad[i], 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* first, so that the threads meet the once-built tables unbuilt */
        cmocka_unit_test(test_threads),      cmocka_unit_test(test_table),
        cmocka_unit_test(test_length_limit), cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_region_arg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
