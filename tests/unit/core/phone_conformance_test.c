/*
 * Conformance: libphonenumber's own example numbers, every supported region and every number
 * type, plus the non-geographic calling codes (1,370 numbers), as printed by
 * tests/conformance/phone_examples.py from Debian's python3-phonenumbers (the same 8.12.57
 * metadata release as libphonenumber-dev; the script's first line names its version and the
 * test checks it).
 *
 * For each example: its national format, parsed with its region as the default, and its
 * international format, parsed with no default region, with "US", with "DE" and with its own
 * region, must give the example's E.164, its exact libphonenumber type, validity and the region
 * the library assigns to the number; phone_normalize (which may take the fast path) must agree
 * with the shim.
 *
 * Mismatch classes. Between the two libraries: none (6,852 checks agree). Against a naive
 * expectation, one, by design of the data: in shared numbering plans an example number of one
 * region belongs to another (AG's toll-free, premium and personal examples are NANP-wide +1 800,
 * +1 900 and +1 500 numbers, region US; likewise within +7, +44, +47, +61, +262, +590...). The
 * expected region is therefore the library's region_code_for_number, not the example's region.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/phone.h"
#include "core/phone_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N_FIELDS 8

static const char *const lpn_type_names[] = {
    "FIXED_LINE",  "MOBILE",  "FIXED_LINE_OR_MOBILE", "TOLL_FREE", "PREMIUM_RATE",
    "SHARED_COST", "VOIP",    "PERSONAL_NUMBER",      "PAGER",     "UAN",
    "VOICEMAIL",   "UNKNOWN",
};

struct example {
    const char *region, *requested, *national, *e164, *type, *international;
    bool is_valid;
    const char *number_region; /* the library's region for the number ("001": non-geographic) */
};

struct tally {
    unsigned n_examples, n_checks, n_failed;
};

static const char *type_name(int lpn_type)
{
    if (lpn_type < 0 || (size_t)lpn_type >= sizeof lpn_type_names / sizeof lpn_type_names[0])
        return "?";
    return lpn_type_names[lpn_type];
}

/* Splits `line` in place on tabs; false unless it has exactly N_FIELDS fields. */
static bool split(char *line, char *fields[N_FIELDS])
{
    size_t i;
    char *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    for (i = 0; i < N_FIELDS; i++) {
        char *tab = strchr(p, '\t');
        fields[i] = p;
        if (i == N_FIELDS - 1)
            return tab == NULL;
        if (tab == NULL)
            return false;
        *tab = '\0';
        p = tab + 1;
    }
    return false;
}

static void check(const struct example *ex, const char *text, const char *region,
                  struct tally *tally)
{
    struct phone__result slow;
    struct phone_info info;
    struct pr_error err;
    enum pr_code rc;
    const char *want_region = strlen(ex->number_region) == 2 ? ex->number_region : "";
    bool ok;

    tally->n_checks++;
    phone__shim_normalize(text, strlen(text), region, &slow);
    rc = phone_normalize(text, strlen(text), region, &info, &err);
    ok = strcmp(slow.info.e164, ex->e164) == 0 && strcmp(type_name(slow.lpn_type), ex->type) == 0 &&
         slow.info.is_valid == ex->is_valid &&
         (!ex->is_valid || strcmp(slow.info.region, want_region) == 0) &&
         (rc == PR_OK) == ex->is_valid && strcmp(info.e164, slow.info.e164) == 0 &&
         info.type == slow.info.type && strcmp(info.region, slow.info.region) == 0 &&
         strcmp(info.time_zone, slow.info.time_zone) == 0;
    if (!ok && tally->n_failed++ < 20)
        print_message("# %s %s \"%s\" with \"%s\": want %s %s valid=%d, got %s %s valid=%d "
                      "region=%s (phone_normalize: rc=%d %s)\n",
                      ex->region, ex->requested, text, region, ex->e164, ex->type,
                      (int)ex->is_valid, slow.info.e164, type_name(slow.lpn_type),
                      (int)slow.info.is_valid, slow.info.region, (int)rc, info.e164);
}

static FILE *open_examples(void)
{
    const char *root = getenv("PROSPECT_SOURCE_ROOT");
    const char *python = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    char command[1024];
    int n;

    if (root == NULL || strchr(root, '\'') != NULL)
        return NULL;
    n = snprintf(command, sizeof command, "%s '%s/tests/conformance/phone_examples.py'", python,
                 root);
    if (n < 0 || (size_t)n >= sizeof command)
        return NULL;
    return popen(command, "r");
}

static void test_examples(void **state)
{
    static const char *const regions[] = {"", "US", "DE"};
    struct tally tally = {0, 0, 0};
    char line[512];
    FILE *f;
    int status;
    bool version_ok = false;

    (void)state;
    f = open_examples();
    assert_non_null(f);
    for (;;) {
        char *fields[N_FIELDS];
        struct example ex;
        size_t i;

        if (fgets(line, sizeof line, f) == NULL)
            break;
        if (line[0] == '#') {
            version_ok = strstr(line, "phonenumbers 8.12.57") != NULL;
            continue;
        }
        assert_true(split(line, fields));
        ex = (struct example){fields[0],
                              fields[1],
                              fields[2],
                              fields[3],
                              fields[4],
                              fields[5],
                              strcmp(fields[6], "1") == 0,
                              fields[7]};
        tally.n_examples++;
        if (ex.national[0] != '\0')
            check(&ex, ex.national, ex.region, &tally);
        for (i = 0; i < sizeof regions / sizeof regions[0]; i++)
            check(&ex, ex.international, regions[i], &tally);
        if (strcmp(ex.region, "001") != 0)
            check(&ex, ex.international, ex.region, &tally);
    }
    status = pclose(f);
    print_message("# %u example numbers, %u checks, %u mismatches\n", tally.n_examples,
                  tally.n_checks, tally.n_failed);
    assert_int_equal(status, 0);
    /* The metadata of the C++ library and of the python one must be the same release. */
    assert_true(version_ok);
    assert_true(tally.n_examples > 1000);
    assert_int_equal(tally.n_failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
