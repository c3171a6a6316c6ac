/*
 * Published conformance suites for the CSV reader, read at run time from
 * $PROSPECT_CONFORMANCE_DIR (`make conformance` installs them from npm):
 *   - csv-spectrum: csvs/NAME.csv against json/NAME.json, an array of objects keyed by the
 *     header row;
 *   - PapaParse's own parser cases (tests/test-cases.js), turned into JSON by our
 *     tests/conformance/papaparse-cases.js, which keeps the cases a plain RFC 4180 reader can
 *     run and lists why it left the others out.
 * Cases where the reference's behaviour differs from ours by design are in the skip lists
 * below, each with its reason; a skipped case that starts passing fails the test, so the lists
 * stay true. Counts are printed as TAP diagnostics.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/csv.h"
#include "util/mem.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct skip {
    const char *name;
    const char *reason;
};

static const struct skip spectrum_skips[] = {
    /* Its JSON says "Contact Phone Number": "1234567890" where the CSV has 2095257564, and it
     * is a bare object, not an array: an error in csv-spectrum 2.0.0, not in the CSV. */
    {"location_coordinates", "expected JSON does not match its CSV (upstream error)"},
};

/* Matched on "suite/description". */
static const struct skip papaparse_skips[] = {
    /* We trim ASCII spaces around unquoted fields (libcsv's space handling, which also makes
     * `"x" ,` end the field instead of swallowing the rest of the file); PapaParse keeps them. */
    {"core/Whitespace at edges of unquoted field", "we trim spaces around unquoted fields"},
    {"core/Quoted field with whitespace around quotes", "we trim spaces around unquoted fields"},
    {"core/Input without comments with line starting with whitespace",
     "we trim spaces around unquoted fields"},
    /* We skip blank lines; PapaParse (skipEmptyLines false) returns each as a row [""]. */
    {"core/One column input with empty fields", "we skip blank lines"},
    {"parse/Blank lines at end", "we skip blank lines"},
    {"parse/Blank line in middle with whitespace", "we skip blank (and space-only) lines"},
    {"parse/Empty lines", "we skip blank lines"},
    {"parse/Skip empty lines, with first line only whitespace",
     "we skip space-only lines too (PapaParse's skipEmptyLines: true keeps them)"},
    /* PapaParse picks one line ending per file (the first seen) and treats the others as data;
     * we end a line at every CR, LF or CRLF, as files merged from several sources need. */
    {"parse/Mixed slash n and slash r should choose first as precident",
     "every CR, LF and CRLF ends a line for us"},
};

/* snprintf that fails the test instead of truncating. */
static void format_or_fail(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void format_or_fail(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= size)
        fail_msg("path or command too long");
}

static const char *conformance_dir(void)
{
    const char *dir = getenv("PROSPECT_CONFORMANCE_DIR");

    if (dir == NULL || dir[0] == '\0')
        fail_msg("PROSPECT_CONFORMANCE_DIR is not set (run the test through meson)");
    return dir;
}

static const char *find_skip(const struct skip *skips, size_t n_skips, const char *name)
{
    size_t i;

    for (i = 0; i < n_skips; i++) {
        if (strcmp(skips[i].name, name) == 0)
            return skips[i].reason;
    }
    return NULL;
}

/* The reader's outcome for a whole input: records (JSON arrays of strings) or, for a rejected
 * record, the error message (a JSON string). */
static json_t *read_outcomes(struct csv_reader *r)
{
    json_t *out = json_array();
    size_t guard;

    for (guard = 0; guard < 100000; guard++) {
        struct csv_record rec;
        struct pr_error err;
        bool has;
        enum pr_code rc = csv_reader_next(r, &rec, &has, &err);
        json_t *row;
        size_t i;

        if (rc != PR_OK) {
            assert_int_equal(rc, PR_INVALID);
            json_array_append_new(out, json_string(err.message));
            continue;
        }
        if (!has)
            return out;
        row = json_array();
        for (i = 0; i < rec.n_fields; i++) {
            json_t *field = json_stringn(rec.fields[i].ptr, rec.fields[i].len);

            assert_non_null(field); /* fields are valid UTF-8 */
            json_array_append_new(row, field);
        }
        json_array_append_new(out, row);
    }
    fail_msg("the reader never reached the end");
    return NULL;
}

struct dumped {
    char text[2048];
};

/* Compact JSON of `value` for a diagnostic (a note instead when it is too long). */
static struct dumped dump(const json_t *value)
{
    struct dumped d;
    size_t n = json_dumpb(value, d.text, sizeof d.text - 1, JSON_COMPACT);

    if (n == 0 || n >= sizeof d.text)
        snprintf(d.text, sizeof d.text, "(%zu bytes of JSON, not shown)", n);
    else
        d.text[n] = '\0';
    return d;
}

/* ---- csv-spectrum --------------------------------------------------------------------- */

static bool spectrum_matches(json_t *outcomes, json_t *expected, char *why, size_t why_size)
{
    json_t *header = json_array_get(outcomes, 0);
    size_t i, j;

    if (json_is_object(expected)) {
        snprintf(why, why_size, "expected JSON is not an array");
        return false;
    }
    if (!json_is_array(header) || json_array_size(outcomes) != json_array_size(expected) + 1) {
        snprintf(why, why_size, "%zu records, expected a header and %zu rows",
                 json_array_size(outcomes), json_array_size(expected));
        return false;
    }
    for (i = 0; i < json_array_size(expected); i++) {
        json_t *object = json_array_get(expected, i), *row = json_array_get(outcomes, i + 1);

        if (!json_is_array(row) || json_array_size(row) != json_array_size(header) ||
            json_object_size(object) != json_array_size(header)) {
            snprintf(why, why_size, "row %zu: wrong number of fields", i + 1);
            return false;
        }
        for (j = 0; j < json_array_size(header); j++) {
            const char *key = json_string_value(json_array_get(header, j));
            json_t *want = json_object_get(object, key);

            if (!json_equal(want, json_array_get(row, j))) {
                snprintf(why, why_size, "row %zu, column %s differs", i + 1, key);
                return false;
            }
        }
    }
    return true;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_csv_spectrum(void **state)
{
    char csv_dir[4096], path[4096];
    char *names[64];
    size_t n_names = 0, i, n_ran = 0, n_skipped = 0, n_failed = 0;
    DIR *dir;

    (void)state;
    format_or_fail(csv_dir, sizeof csv_dir, "%s/csv-spectrum/csvs", conformance_dir());
    dir = opendir(csv_dir);
    if (dir == NULL)
        fail_msg("cannot open %s: run `make conformance`", csv_dir);
    for (;;) {
        struct dirent *entry = readdir(dir);
        size_t len;

        if (entry == NULL)
            break;
        len = strlen(entry->d_name);
        if (len > 4 && strcmp(entry->d_name + len - 4, ".csv") == 0 && n_names < 64)
            names[n_names++] = xstrndup(entry->d_name, len - 4);
    }
    closedir(dir);
    qsort(names, n_names, sizeof *names, compare_names);
    assert_true(n_names >= 10);

    for (i = 0; i < n_names; i++) {
        const char *skip =
            find_skip(spectrum_skips, sizeof spectrum_skips / sizeof spectrum_skips[0], names[i]);
        struct csv_reader *r = NULL;
        struct pr_error err;
        json_error_t jerr;
        json_t *expected, *outcomes;
        char why[256] = "";
        bool ok;

        format_or_fail(path, sizeof path, "%s/csv-spectrum/json/%s.json", conformance_dir(),
                       names[i]);
        expected = json_load_file(path, JSON_DECODE_ANY, &jerr);
        if (expected == NULL)
            fail_msg("%s: %s", path, jerr.text);
        format_or_fail(path, sizeof path, "%s/%s.csv", csv_dir, names[i]);
        if (csv_reader_open_file(path, NULL, &r, &err) != PR_OK)
            fail_msg("%s: %s", path, err.message);
        outcomes = read_outcomes(r);
        ok = spectrum_matches(outcomes, expected, why, sizeof why);
        if (skip != NULL) {
            n_skipped++;
            printf("# csv-spectrum %s: skipped, %s\n", names[i], skip);
            if (ok) {
                printf("# csv-spectrum %s: skipped but passes, drop it from the skip list\n",
                       names[i]);
                n_failed++;
            }
        } else {
            n_ran++;
            if (!ok) {
                printf("# csv-spectrum %s: FAILED: %s; got %s\n", names[i], why,
                       dump(outcomes).text);
                n_failed++;
            }
        }
        json_decref(outcomes);
        json_decref(expected);
        csv_reader_close(r);
        xfree(names[i]);
    }
    printf("# csv-spectrum: %zu cases ran, %zu skipped, %zu failed\n", n_ran, n_skipped, n_failed);
    assert_int_equal(n_failed, 0);
}

/* ---- PapaParse ------------------------------------------------------------------------ */

/* Runs the case generator with node and returns its parsed output. */
static json_t *papaparse_cases(void)
{
    const char *root = getenv("PROSPECT_SOURCE_ROOT"), *conf = conformance_dir();
    char command[8192];
    struct buf out;
    FILE *pipe;
    json_error_t jerr;
    json_t *cases;
    int status;

    if (root == NULL || root[0] == '\0')
        fail_msg("PROSPECT_SOURCE_ROOT is not set (run the test through meson)");
    if (strchr(root, '\'') != NULL || strchr(conf, '\''))
        fail_msg("paths with a single quote are not supported");
    format_or_fail(command, sizeof command,
                   "node '%s/tests/conformance/papaparse-cases.js' '%s/papaparse'", root, conf);
    pipe = popen(command, "r");
    assert_non_null(pipe);
    buf_init(&out, 64 << 20);
    for (;;) {
        char chunk[65536];
        size_t n = fread(chunk, 1, sizeof chunk, pipe);

        if (n == 0)
            break;
        assert_int_equal(buf_append(&out, chunk, n), PR_OK);
    }
    status = pclose(pipe);
    if (status != 0)
        fail_msg("`%s` failed (status %d): is node installed, and `make conformance` done?",
                 command, status);
    cases = json_loadb(out.ptr, out.len, 0, &jerr);
    if (cases == NULL)
        fail_msg("case generator output is not JSON: %s", jerr.text);
    buf_free(&out);
    return cases;
}

static bool has_error_code(json_t *errors, const char *code)
{
    size_t i;

    for (i = 0; i < json_array_size(errors); i++) {
        const char *c = json_string_value(json_object_get(json_array_get(errors, i), "code"));

        if (c != NULL && strcmp(c, code) == 0)
            return true;
    }
    return false;
}

/*
 * Compares our outcome with PapaParse's expected data. Errors: PapaParse's "MissingQuotes"
 * (a quote still open at the end) is our rejected last record ("unclosed quote"); its
 * "InvalidQuotes" (text after a closing quote) and "UndetectableDelimiter" are not errors
 * for us, so only its data is compared (we read those fields as it does).
 */
static bool papaparse_matches(json_t *outcomes, json_t *expected_data, json_t *errors)
{
    size_t n = json_array_size(expected_data), i;
    bool unclosed = has_error_code(errors, "MissingQuotes");

    if (json_array_size(outcomes) != n)
        return false;
    for (i = 0; i < n; i++) {
        json_t *got = json_array_get(outcomes, i);

        if (unclosed && i == n - 1) {
            if (!json_is_string(got) || strstr(json_string_value(got), "unclosed quote") == NULL)
                return false;
        } else if (!json_equal(got, json_array_get(expected_data, i))) {
            return false;
        }
    }
    return true;
}

static void test_papaparse(void **state)
{
    json_t *all = papaparse_cases(), *cases = json_object_get(all, "cases");
    size_t i, n_ran = 0, n_skipped = 0, n_failed = 0;
    size_t n_excluded = json_array_size(json_object_get(all, "excluded"));

    (void)state;
    assert_true(json_array_size(cases) >= 60);
    for (i = 0; i < json_array_size(cases); i++) {
        json_t *c = json_array_get(cases, i);
        const char *suite = json_string_value(json_object_get(c, "suite"));
        const char *description = json_string_value(json_object_get(c, "description"));
        json_t *input = json_object_get(c, "input");
        const char *delimiter = json_string_value(json_object_get(c, "delimiter"));
        struct csv_options opts = {.delimiter = delimiter != NULL ? delimiter[0] : 0};
        struct csv_reader *r = NULL;
        struct pr_error err;
        char name[512];
        const char *skip;
        json_t *outcomes;
        bool ok;

        format_or_fail(name, sizeof name, "%s/%s", suite, description);
        skip = find_skip(papaparse_skips, sizeof papaparse_skips / sizeof papaparse_skips[0], name);
        if (csv_reader_open_memory(json_string_value(input), json_string_length(input), &opts, &r,
                                   &err) != PR_OK)
            fail_msg("%s: %s", name, err.message);
        outcomes = read_outcomes(r);
        ok = papaparse_matches(outcomes, json_object_get(c, "data"), json_object_get(c, "errors"));
        if (skip != NULL) {
            n_skipped++;
            printf("# papaparse %s: skipped, %s\n", name, skip);
            if (ok) {
                printf("# papaparse %s: skipped but passes, drop it from the skip list\n", name);
                n_failed++;
            }
        } else {
            n_ran++;
            if (!ok) {
                printf("# papaparse %s: FAILED\n#   got      %s\n#   expected %s\n", name,
                       dump(outcomes).text, dump(json_object_get(c, "data")).text);
                n_failed++;
            }
        }
        json_decref(outcomes);
        csv_reader_close(r);
    }
    printf("# papaparse: %zu cases ran, %zu skipped by design, %zu left out by the generator "
           "(options we do not have), %zu failed\n",
           n_ran, n_skipped, n_excluded, n_failed);
    json_decref(all);
    assert_int_equal(n_failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_spectrum),
        cmocka_unit_test(test_papaparse),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
