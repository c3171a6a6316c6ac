/* Company names folded for matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/company.h"

#include <string.h>

static void test_fold_table(void **state)
{
    static const struct {
        const char *in;
        const char *out; /* "" when nothing is left */
    } cases[] = {
        {"Acme", "acme"},
        {"ACME", "acme"},
        {"  Acme   Widgets  ", "acme widgets"},
        {"Acme, Inc.", "acme"},
        {"Acme Inc", "acme"},
        {"Acme Incorporated", "acme"},
        {"Acme Holdings, Inc.", "acme holdings"},
        {"The Acme Holdings, Inc.", "acme holdings"},
        {"Acme LLC", "acme"},
        {"Acme L.L.C.", "acme"},
        {"Acme, L. L. C.", "acme"},
        {"Acme Ltd", "acme"},
        {"Acme Ltd.", "acme"},
        {"Acme Limited", "acme"},
        {"Acme Corp.", "acme"},
        {"Acme Corporation", "acme"},
        {"Acme Co.", "acme"},
        {"Ford Motor Company", "ford motor"},
        {"Acme GmbH", "acme"},
        {"Acme GmbH & Co. KG", "acme"},
        {"Siemens AG", "siemens"},
        {"Danone S.A.", "danone"},
        {"Danone SA", "danone"},
        {"Acme SAS", "acme"},
        {"Acme S.A.S.", "acme"},
        {"Acme SARL", "acme"},
        {"Philips N.V.", "philips"},
        {"Acme B.V.", "acme"},
        {"Acme PLC", "acme"},
        {"Acme LLP", "acme"},
        {"Acme LP", "acme"},
        {"Acme Pty Ltd", "acme"},
        {"Acme Pty. Ltd.", "acme"},
        {"Nokia Oyj", "nokia"},
        {"Volvo AB", "volvo"},
        {"Equinor ASA", "equinor"},
        {"Fiat S.p.A.", "fiat"},
        {"Acme S.r.l.", "acme"},
        {"Toyota K.K.", "toyota"},
        {"Cemex, S.A.B. de C.V.", "cemex"},
        {"Bimbo S.A. de C.V.", "bimbo"},
        {"Acme Sdn Bhd", "acme"},
        {"Acme Sp. z o.o.", "acme"},
        {"SAP SE", "sap"},
        {"Acme Co., Ltd.", "acme"},
        {"Smith & Co", "smith"},
        {"Smith and Company", "smith"},
        {"Procter & Gamble Co.", "procter and gamble"},
        {"Procter and Gamble", "procter and gamble"},
        {"Johnson & Johnson", "johnson and johnson"},
        {"AT&T Inc.", "at and t"},
        {"McDonald's Corporation", "mcdonalds"},
        {"McDonald’s", "mcdonalds"},
        {"J.P. Morgan Chase & Co.", "jp morgan chase"},
        {"JP Morgan Chase", "jp morgan chase"},
        {"Hewlett-Packard", "hewlett packard"},
        {"Coca-Cola Company", "coca cola"},
        {"Amazon.com, Inc.", "amazoncom"},
        {"Yahoo! Inc.", "yahoo"},
        {"3M Company", "3m"},
        {"The Company", "company"},
        {"Company", "company"},
        {"Inc", "inc"},
        {"Limited Inc", "limited"},
        {"The", "the"},
        {"The The Band", "band"},
        {"The Home Depot", "home depot"},
        {"Théâtre Français SARL", "theatre francais"},
        {"Nestlé S.A.", "nestle"},
        {"Müller GmbH", "muller"},
        {"MÜLLER GMBH", "muller"},
        {"Straße AG", "strasse"},
        {"Ørsted A/S", "orsted"},
        {"Łódź Sp. z o.o.", "lodz"},
        {"Æon Co", "aeon"},
        {"ＡＣＭＥ Inc", "acme"},
        {"Acme (USA) Inc.", "acme usa"},
        {"Acme / Widgets", "acme widgets"},
        {"Acme\tWidgets\nInc", "acme widgets"},
        {"トヨタ自動車株式会社", "トヨタ自動車"},
        {"株式会社トヨタ", "トヨタ"},
        {"株式会社NTTドコモ", "nttドコモ"},
        {"华为技术有限公司", "华为技术"},
        {"삼성전자 주식회사", "삼성전자"},
        {"Acme Group", "acme group"},
        {"Acme International", "acme international"},
        {"", ""},
        {"   ", ""},
        {"...", ""},
        {"&", "and"},
        {"---", ""},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[COMPANY_KEY_BUF_SIZE], again[COMPANY_KEY_BUF_SIZE];
        size_t n = company_fold(cases[i].in, strlen(cases[i].in), out, sizeof out);

        if (strcmp(out, cases[i].out) != 0)
            fail_msg("case %zu \"%s\": got \"%s\", want \"%s\"", i, cases[i].in, out, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
        /* Folding a folded form returns it unchanged. */
        assert_int_equal(company_fold(out, n, again, sizeof again), n);
        assert_string_equal(again, out);
    }
}

/* Spellings of one company fold to one key. */
static void test_variants_meet(void **state)
{
    static const char *const groups[][6] = {
        {"Acme Holdings, Inc.", "ACME HOLDINGS INC", "acme holdings", "The Acme Holdings Inc",
         "Acme  Holdings,  Inc", NULL},
        {"Müller GmbH", "Muller GmbH", "MÜLLER GMBH", "muller", NULL},
        {"AT&T", "AT & T Inc.", "at&t inc", NULL},
        {"Ben & Jerry's", "Ben and Jerrys", "BEN & JERRY'S INC.", NULL},
    };
    size_t g;

    (void)state;
    for (g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        char first[COMPANY_KEY_BUF_SIZE];
        size_t k;

        (void)company_fold(groups[g][0], strlen(groups[g][0]), first, sizeof first);
        for (k = 1; k < 6 && groups[g][k] != NULL; k++) {
            char out[COMPANY_KEY_BUF_SIZE];

            (void)company_fold(groups[g][k], strlen(groups[g][k]), out, sizeof out);
            if (strcmp(out, first) != 0)
                fail_msg("group %zu: \"%s\" -> \"%s\" but \"%s\" -> \"%s\"", g, groups[g][k], out,
                         groups[g][0], first);
        }
    }
}

static void test_limits(void **state)
{
    char out[COMPANY_KEY_BUF_SIZE], small[5];
    static char big[COMPANY_NAME_MAX_LEN + 2];

    (void)state;
    /* A key that does not fit gives no key, never a truncated one. */
    assert_int_equal(company_fold("Acme Widgets", 12, small, sizeof small), 0);
    assert_string_equal(small, "");
    assert_int_equal(company_fold("Acme", 4, small, sizeof small), 4);
    assert_int_equal(company_fold("Acme", 4, small, 0), 0);
    /* Too long an input. */
    memset(big, 'a', sizeof big);
    assert_int_equal(company_fold(big, COMPANY_NAME_MAX_LEN + 1, out, sizeof out), 0);
    /* Ill-formed UTF-8 is dropped and separates words. */
    assert_int_equal(company_fold("Ac\xFFme Inc", 9, out, sizeof out), 5);
    assert_string_equal(out, "ac me");
    /* "&" grows to "and": 300 of them make a 1199-byte key, longer than an input may be,
     * which therefore folds to nothing. */
    {
        static char ands[300], key[2000], again[2000];

        memset(ands, '&', sizeof ands);
        assert_int_equal(company_fold(ands, sizeof ands, key, sizeof key), 300 * 4 - 1);
        assert_int_equal(company_fold(key, strlen(key), again, sizeof again), 0);
    }
    /* Embedded NUL is a separator, not an end. */
    assert_int_equal(company_fold("Acme\0Widgets", 12, out, sizeof out), 12);
    assert_string_equal(out, "acme widgets");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_table),
        cmocka_unit_test(test_variants_meet),
        cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
