/* SIC and NAICS codes to sector buckets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/sector.h"

#include <stdio.h>
#include <string.h>

static void test_sic_table(void **state)
{
    static const struct {
        const char *code;
        enum sector sector;
    } cases[] = {
        {"0111", SECTOR_AGRICULTURE},
        {"111", SECTOR_AGRICULTURE}, /* 0111 with its leading zero lost */
        {"112", SECTOR_AGRICULTURE},
        {"01", SECTOR_AGRICULTURE},
        {"0782", SECTOR_AGRICULTURE},
        {"782", SECTOR_INFORMATION}, /* industry group 782, not 0782: 78 exists */
        {"0912", SECTOR_AGRICULTURE},
        {"1311", SECTOR_MINING},
        {"1221", SECTOR_MINING},
        {"1521", SECTOR_CONSTRUCTION},
        {"1731", SECTOR_CONSTRUCTION},
        {"2011", SECTOR_MANUFACTURING},
        {"2711", SECTOR_INFORMATION},
        {"2731", SECTOR_INFORMATION},
        {"2752", SECTOR_MANUFACTURING},
        {"27", SECTOR_MANUFACTURING},
        {"3571", SECTOR_MANUFACTURING},
        {"3674", SECTOR_MANUFACTURING},
        {"4011", SECTOR_TRANSPORTATION},
        {"4213", SECTOR_TRANSPORTATION},
        {"4311", SECTOR_TRANSPORTATION},
        {"4512", SECTOR_TRANSPORTATION},
        {"4813", SECTOR_INFORMATION},
        {"4833", SECTOR_INFORMATION},
        {"4911", SECTOR_UTILITIES},
        {"4952", SECTOR_UTILITIES},
        {"4953", SECTOR_ADMINISTRATIVE_SERVICES},
        {"5045", SECTOR_WHOLESALE},
        {"5122", SECTOR_WHOLESALE},
        {"5411", SECTOR_RETAIL},
        {"5812", SECTOR_HOSPITALITY},
        {"5912", SECTOR_RETAIL},
        {"6021", SECTOR_FINANCE},
        {"6211", SECTOR_FINANCE},
        {"6311", SECTOR_FINANCE},
        {"6411", SECTOR_FINANCE},
        {"6512", SECTOR_REAL_ESTATE},
        {"6531", SECTOR_REAL_ESTATE},
        {"6611", SECTOR_REAL_ESTATE},
        {"6719", SECTOR_FINANCE},
        {"7011", SECTOR_HOSPITALITY},
        {"7231", SECTOR_OTHER_SERVICES},
        {"7311", SECTOR_PROFESSIONAL_SERVICES},
        {"7349", SECTOR_ADMINISTRATIVE_SERVICES},
        {"7359", SECTOR_REAL_ESTATE},
        {"7363", SECTOR_ADMINISTRATIVE_SERVICES},
        {"7371", SECTOR_PROFESSIONAL_SERVICES},
        {"7372", SECTOR_INFORMATION},
        {"7373", SECTOR_PROFESSIONAL_SERVICES},
        {"7374", SECTOR_INFORMATION},
        {"7375", SECTOR_INFORMATION},
        {"7377", SECTOR_REAL_ESTATE},
        {"7378", SECTOR_OTHER_SERVICES},
        {"7379", SECTOR_PROFESSIONAL_SERVICES},
        {"737", SECTOR_PROFESSIONAL_SERVICES},
        {"73", SECTOR_ADMINISTRATIVE_SERVICES},
        {"7381", SECTOR_ADMINISTRATIVE_SERVICES},
        {"7514", SECTOR_REAL_ESTATE},
        {"7538", SECTOR_OTHER_SERVICES},
        {"7622", SECTOR_OTHER_SERVICES},
        {"7812", SECTOR_INFORMATION},
        {"7841", SECTOR_REAL_ESTATE},
        {"7991", SECTOR_ARTS_ENTERTAINMENT},
        {"8011", SECTOR_HEALTHCARE},
        {"8062", SECTOR_HEALTHCARE},
        {"8111", SECTOR_PROFESSIONAL_SERVICES},
        {"8211", SECTOR_EDUCATION},
        {"8221", SECTOR_EDUCATION},
        {"8322", SECTOR_HEALTHCARE},
        {"8412", SECTOR_ARTS_ENTERTAINMENT},
        {"8611", SECTOR_OTHER_SERVICES},
        {"8711", SECTOR_PROFESSIONAL_SERVICES},
        {"8721", SECTOR_PROFESSIONAL_SERVICES},
        {"8742", SECTOR_PROFESSIONAL_SERVICES},
        {"8744", SECTOR_ADMINISTRATIVE_SERVICES},
        {"8811", SECTOR_OTHER_SERVICES},
        {"8999", SECTOR_PROFESSIONAL_SERVICES},
        {"9111", SECTOR_PUBLIC_ADMINISTRATION},
        {"9711", SECTOR_PUBLIC_ADMINISTRATION},
        {"9999", SECTOR_UNCLASSIFIED},
        {" 7372 ", SECTOR_INFORMATION},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum sector sector;
        struct pr_error err;

        if (sector_from_sic(cases[i].code, &sector, &err) != PR_OK)
            fail_msg("SIC \"%s\": %s", cases[i].code, err.message);
        if (sector != cases[i].sector)
            fail_msg("SIC \"%s\": %s, want %s", cases[i].code, sector_name(sector),
                     sector_name(cases[i].sector));
    }
}

static void test_sic_rejected(void **state)
{
    static const char *const codes[] = {
        "",   " ",    "7",  "73721", "ABCD", "73a", "7-372", "73.72", "-737", "0",
        "05", "0512", "11", "1111",  "18",   "19",  "68",    "6811",  "69",   "71",
        "74", "7411", "77", "85",    "90",   "98",  "9811",  "680",   "690",  "030",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        enum sector sector = SECTOR_COUNT;
        struct pr_error err;

        if (sector_from_sic(codes[i], &sector, &err) != PR_INVALID)
            fail_msg("SIC \"%s\" was accepted as %s", codes[i], sector_name(sector));
        assert_non_null(strstr(err.message, "SIC"));
        assert_int_equal(sector, SECTOR_COUNT); /* untouched */
    }
}

static void test_naics_table(void **state)
{
    static const struct {
        const char *code;
        enum sector sector;
    } cases[] = {
        {"111110", SECTOR_AGRICULTURE},
        {"11", SECTOR_AGRICULTURE},
        {"211120", SECTOR_MINING},
        {"221112", SECTOR_UTILITIES},
        {"236220", SECTOR_CONSTRUCTION},
        {"311111", SECTOR_MANUFACTURING},
        {"325412", SECTOR_MANUFACTURING},
        {"334111", SECTOR_MANUFACTURING},
        {"423430", SECTOR_WHOLESALE},
        {"445110", SECTOR_RETAIL},
        {"454110", SECTOR_RETAIL},
        {"481111", SECTOR_TRANSPORTATION},
        {"493110", SECTOR_TRANSPORTATION},
        {"511210", SECTOR_INFORMATION},
        {"517311", SECTOR_INFORMATION},
        {"522110", SECTOR_FINANCE},
        {"524126", SECTOR_FINANCE},
        {"531210", SECTOR_REAL_ESTATE},
        {"532111", SECTOR_REAL_ESTATE},
        {"541511", SECTOR_PROFESSIONAL_SERVICES},
        {"5415", SECTOR_PROFESSIONAL_SERVICES},
        {"551112", SECTOR_PROFESSIONAL_SERVICES},
        {"561320", SECTOR_ADMINISTRATIVE_SERVICES},
        {"562111", SECTOR_ADMINISTRATIVE_SERVICES},
        {"611310", SECTOR_EDUCATION},
        {"621111", SECTOR_HEALTHCARE},
        {"624410", SECTOR_HEALTHCARE},
        {"711211", SECTOR_ARTS_ENTERTAINMENT},
        {"721110", SECTOR_HOSPITALITY},
        {"722511", SECTOR_HOSPITALITY},
        {"811111", SECTOR_OTHER_SERVICES},
        {"921110", SECTOR_PUBLIC_ADMINISTRATION},
        {"99", SECTOR_UNCLASSIFIED},
        {" 541511\t", SECTOR_PROFESSIONAL_SERVICES},
        {"541", SECTOR_PROFESSIONAL_SERVICES},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum sector sector;
        struct pr_error err;

        if (sector_from_naics(cases[i].code, &sector, &err) != PR_OK)
            fail_msg("NAICS \"%s\": %s", cases[i].code, err.message);
        if (sector != cases[i].sector)
            fail_msg("NAICS \"%s\": %s, want %s", cases[i].code, sector_name(sector),
                     sector_name(cases[i].sector));
    }
}

static void test_naics_rejected(void **state)
{
    static const char *const codes[] = {
        "",   "5",  "5415111", "54151a", "abc", "10", "12", "24", "30",
        "34", "41", "43",      "46",     "47",  "50", "57", "60", "63",
        "70", "73", "80",      "82",     "91",  "93", "98", "00", "541-511",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        enum sector sector;
        struct pr_error err;

        if (sector_from_naics(codes[i], &sector, &err) != PR_INVALID)
            fail_msg("NAICS \"%s\" was accepted as %s", codes[i], sector_name(sector));
        assert_non_null(strstr(err.message, "NAICS"));
    }
}

/* Every 2-digit SIC and NAICS prefix gives a sector or an error, and the two systems agree
 * on the sectors both can express. */
static void test_every_prefix(void **state)
{
    static const struct {
        const char *sic, *naics;
    } pairs[] = {
        {"0111", "111140"}, {"1311", "211120"}, {"4911", "221122"}, {"1521", "236115"},
        {"2834", "325412"}, {"5045", "423430"}, {"5411", "445110"}, {"4213", "484121"},
        {"4813", "517311"}, {"6021", "522110"}, {"6531", "531210"}, {"8711", "541330"},
        {"7361", "561311"}, {"8221", "611310"}, {"8062", "622110"}, {"7996", "713110"},
        {"7011", "721110"}, {"5812", "722511"}, {"7538", "811111"}, {"9111", "921110"},
        {"7372", "511210"}, {"7371", "541511"}, {"4953", "562111"},
    };
    unsigned n_ok = 0;
    size_t i;
    int d;

    (void)state;
    for (d = 0; d < 100; d++) {
        char code[3];
        enum sector sector;
        struct pr_error err;

        (void)snprintf(code, sizeof code, "%02d", d);
        if (sector_from_sic(code, &sector, &err) == PR_OK) {
            assert_true(sector < SECTOR_COUNT);
            n_ok++;
        }
        if (sector_from_naics(code, &sector, &err) == PR_OK) {
            assert_true(sector < SECTOR_COUNT);
            n_ok++;
        }
    }
    assert_int_equal(n_ok, 84 + 25); /* SIC major groups (1987 + 43, 66) + NAICS sectors */
    for (i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        enum sector a, b;
        struct pr_error err;

        assert_int_equal(sector_from_sic(pairs[i].sic, &a, &err), PR_OK);
        assert_int_equal(sector_from_naics(pairs[i].naics, &b, &err), PR_OK);
        if (a != b)
            fail_msg("SIC %s is %s but NAICS %s is %s", pairs[i].sic, sector_name(a),
                     pairs[i].naics, sector_name(b));
    }
}

static void test_names(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < SECTOR_COUNT; i++) {
        enum sector parsed;
        struct pr_error err;
        const char *name = sector_name((enum sector)i);

        assert_non_null(name);
        assert_string_not_equal(name, "unknown");
        assert_int_equal(sector_parse(name, &parsed, &err), PR_OK);
        assert_int_equal(parsed, i);
    }
    assert_string_equal(sector_name(SECTOR_PROFESSIONAL_SERVICES), "professional_services");
    assert_string_equal(sector_name(SECTOR_COUNT), "unknown");
    assert_string_equal(sector_name((enum sector) - 1), "unknown");
    {
        enum sector parsed;
        struct pr_error err;

        assert_int_equal(sector_parse("REAL_ESTATE", &parsed, &err), PR_OK);
        assert_int_equal(parsed, SECTOR_REAL_ESTATE);
        assert_int_equal(sector_parse("fintech", &parsed, &err), PR_INVALID);
        assert_non_null(strstr(err.message, "fintech"));
        assert_int_equal(sector_parse("", &parsed, &err), PR_INVALID);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sic_table),    cmocka_unit_test(test_sic_rejected),
        cmocka_unit_test(test_naics_table),  cmocka_unit_test(test_naics_rejected),
        cmocka_unit_test(test_every_prefix), cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
