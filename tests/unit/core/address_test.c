/* US states, ZIP5 and ISO country codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/address.h"

#include <pthread.h>
#include <string.h>

static void test_us_state(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: not a state */
    } cases[] = {
        {"CA", "CA"},
        {"ca", "CA"},
        {" ny ", "NY"},
        {"N.Y.", "NY"},
        {"New York", "NY"},
        {"NEW YORK", "NY"},
        {"new  york", "NY"},
        {"NewYork", "NY"},
        {"new-york", "NY"},
        {"California", "CA"},
        {"Calif.", "CA"},
        {"Mass.", "MA"},
        {"Massachusetts", "MA"},
        {"N. Dak.", "ND"},
        {"North Dakota", "ND"},
        {"W.Va.", "WV"},
        {"West Virginia", "WV"},
        {"Virginia", "VA"},
        {"Washington", "WA"},
        {"Wash.", "WA"},
        {"Washington, D.C.", "DC"},
        {"Washington DC", "DC"},
        {"District of Columbia", "DC"},
        {"D.C.", "DC"},
        {"Puerto Rico", "PR"},
        {"PR", "PR"},
        {"Guam", "GU"},
        {"U.S. Virgin Islands", "VI"},
        {"American Samoa", "AS"},
        {"Northern Mariana Islands", "MP"},
        {"Marshall Islands", "MH"},
        {"Palau", "PW"},
        {"Federated States of Micronesia", "FM"},
        {"AE", "AE"},
        {"Armed Forces Pacific", "AP"},
        {"Tex.", "TX"},
        {"texas", "TX"},
        {"Penna.", "PA"},
        {"Hawaii", "HI"},
        {"Wyo", "WY"},
        {"", NULL},
        {"   ", NULL},
        {"XX", NULL},
        {"New", NULL},
        {"Ontario", NULL},
        {"ON", NULL},
        {"New Yorkshire", NULL},
        {"C A", "CA"}, /* spaces are ignored everywhere */
        {"Californi", NULL},
        {"CA1", NULL},
        {"Côte", NULL},
        {"C@", NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[3] = "zz";
        bool ok = address_us_state(cases[i].in, out);

        if (cases[i].out == NULL) {
            if (ok)
                fail_msg("case %zu \"%s\" gave %s", i, cases[i].in, out);
            assert_string_equal(out, "");
        } else {
            if (!ok)
                fail_msg("case %zu \"%s\" not recognized", i, cases[i].in);
            assert_string_equal(out, cases[i].out);
        }
    }
}

/* Every USPS code maps to itself: the 50 states, DC, territories, military. */
static void test_us_state_codes(void **state)
{
    static const char *const codes[] = {
        "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL",
        "IN", "IA", "KS", "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT",
        "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK", "OR", "PA", "RI",
        "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR",
        "VI", "GU", "AS", "MP", "UM", "FM", "MH", "PW", "AA", "AE", "AP",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        char out[3];

        if (!address_us_state(codes[i], out))
            fail_msg("code %s not recognized", codes[i]);
        assert_string_equal(out, codes[i]);
    }
}

static void test_zip5(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: rejected */
    } cases[] = {
        {"02134", "02134"},
        {"90210", "90210"},
        {" 90210 ", "90210"},
        {"02134-1234", "02134"},
        {"02134 1234", "02134"},
        {"021341234", "02134"},
        {"2134", "02134"},
        {"2134-1234", "02134"},
        {"21341234", "02134"},
        {"601", "00601"},
        {"6011234", "00601"},
        {"501", "00501"},
        {"2134.0", "02134"},
        {"90210.00", "90210"},
        {"99950", "99950"},
        {"", NULL},
        {"1", NULL},
        {"12", NULL},
        {"123456", NULL},
        {"1234567890", NULL},
        {"00000", NULL},
        {"0", NULL},
        {"00000-1234", NULL},
        {"02134-123", NULL},
        {"02134-12345", NULL},
        {"02134--1234", NULL},
        {"02134-", NULL},
        {"ABCDE", NULL},
        {"0213A", NULL},
        {"SW1A 1AA", NULL},
        {"K1A 0B1", NULL},
        {"2134.5", NULL},
        {"2134.", NULL},
        {".0", NULL},
        {"12-1234", NULL},
        {"02134\n1234", NULL},
        {"-02134", NULL},
        {"+02134", NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[6] = "zzzzz";
        bool ok = address_zip5(cases[i].in, out);

        if (cases[i].out == NULL) {
            if (ok)
                fail_msg("case %zu \"%s\" gave %s", i, cases[i].in, out);
            assert_string_equal(out, "");
        } else {
            if (!ok)
                fail_msg("case %zu \"%s\" not recognized", i, cases[i].in);
            assert_string_equal(out, cases[i].out);
        }
    }
}

static void test_country(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* NULL: not recognized */
    } cases[] = {
        {"US", "US"},
        {"us", "US"},
        {"USA", "US"},
        {"U.S.A.", "US"},
        {"U.S.", "US"},
        {"United States", "US"},
        {"united states of america", "US"},
        {"America", "US"},
        {"UK", "GB"},
        {"GB", "GB"},
        {"GBR", "GB"},
        {"United Kingdom", "GB"},
        {"Great Britain", "GB"},
        {"England", "GB"},
        {"Scotland", "GB"},
        {"DE", "DE"},
        {"DEU", "DE"},
        {"Germany", "DE"},
        {"Deutschland", "DE"},
        {"deutschland", "DE"},
        {"France", "FR"},
        {"FRA", "FR"},
        {"España", "ES"},
        {"Espana", "ES"},
        {"Spain", "ES"},
        {"Österreich", "AT"},
        {"Schweiz", "CH"},
        {"Switzerland", "CH"},
        {"Suisse", "CH"},
        {"Nederland", "NL"},
        {"The Netherlands", "NL"},
        {"Netherlands", "NL"},
        {"Holland", "NL"},
        {"Sverige", "SE"},
        {"Italia", "IT"},
        {"Brasil", "BR"},
        {"Brazil", "BR"},
        {"México", "MX"},
        {"Mexico", "MX"},
        {"日本", "JP"},
        {"Japan", "JP"},
        {"South Korea", "KR"},
        {"Korea", "KR"},
        {"North Korea", "KP"},
        {"Côte d’Ivoire", "CI"},
        {"Cote d'Ivoire", "CI"},
        {"Ivory Coast", "CI"},
        {"Czechia", "CZ"},
        {"Czech Republic", "CZ"},
        {"Burma", "MM"},
        {"Myanmar", "MM"},
        {"Myanmar (Burma)", "MM"},
        {"UAE", "AE"},
        {"United Arab Emirates", "AE"},
        {"Russia", "RU"},
        {"Russian Federation", "RU"},
        {"Turkey", "TR"},
        {"Türkiye", "TR"},
        {"Hong Kong", "HK"},
        {"Macau", "MO"},
        {"Taiwan", "TW"},
        {"Vietnam", "VN"},
        {"Viet Nam", "VN"},
        {"Bosnia & Herzegovina", "BA"},
        {"Bosnia and Herzegovina", "BA"},
        {"St. Kitts & Nevis", "KN"},
        {"Saint Kitts and Nevis", "KN"},
        {"St Lucia", "LC"},
        {"Saint Vincent and the Grenadines", "VC"},
        {"Congo - Kinshasa", "CD"},
        {"DRC", "CD"},
        {"Democratic Republic of the Congo", "CD"},
        {"Republic of the Congo", "CG"},
        {"São Tomé & Príncipe", "ST"},
        {"Sao Tome and Principe", "ST"},
        {"Trinidad & Tobago", "TT"},
        {"CANADA", "CA"},
        {"  Canada  ", "CA"},
        {"Ireland", "IE"},
        {"New Zealand", "NZ"},
        {"Australia", "AU"},
        {"India", "IN"},
        {"Kosovo", "XK"},
        {"ST", "ST"},
        {"St.", "ST"},
        {"s/t", "ST"},
        {"Saint", NULL},
        {"St Helena", "SH"},
        {"", NULL},
        {"   ", NULL},
        {"Atlantis", NULL},
        {"XX", NULL},
        {"ZZZ", NULL},
        {"The", NULL},
        {"United", NULL},
        {"Germany!!", "DE"},
        {"\xFF\xFE", NULL},
    };
    char long_name[300];

    size_t i;

    (void)state;
    /* A name longer than any key is not recognized (it once overflowed the key buffer). */
    memset(long_name, 'D', sizeof long_name - 1);
    long_name[sizeof long_name - 1] = '\0';
    {
        char out[3];

        assert_false(address_country_iso2(long_name, out));
        long_name[120] = '\0';
        assert_false(address_country_iso2(long_name, out));
    }
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[3] = "zz";
        bool ok = address_country_iso2(cases[i].in, out);

        if (cases[i].out == NULL) {
            if (ok)
                fail_msg("case %zu \"%s\" gave %s", i, cases[i].in, out);
            assert_string_equal(out, "");
        } else {
            if (!ok)
                fail_msg("case %zu \"%s\" not recognized", i, cases[i].in);
            if (strcmp(out, cases[i].out) != 0)
                fail_msg("case %zu \"%s\" gave %s, want %s", i, cases[i].in, out, cases[i].out);
        }
    }
}

/* The lazily built table is built once even when first used from several threads. */
static void *lookup_many(void *arg)
{
    size_t i;
    int *ok = arg;

    for (i = 0; i < 200; i++) {
        char out[3];

        if (!address_country_iso2("Deutschland", out) || strcmp(out, "DE") != 0)
            *ok = 0;
    }
    return NULL;
}

static void test_country_threads(void **state)
{
    pthread_t threads[4];
    int ok[4] = {1, 1, 1, 1};
    size_t i;

    (void)state;
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, lookup_many, &ok[i]), 0);
    for (i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(threads[i], NULL), 0);
        assert_int_equal(ok[i], 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_country_threads), /* first: the table is not built yet */
        cmocka_unit_test(test_us_state),
        cmocka_unit_test(test_us_state_codes),
        cmocka_unit_test(test_zip5),
        cmocka_unit_test(test_country),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
