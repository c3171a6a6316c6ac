/*
 * The CSV import, suppression and export use cases over a real SQLite file: per-row truth and
 * counts, idempotent re-import, dedup within the file and across sources, survivorship,
 * fuzzy company matching, suppression (never exported), the re-contact window, scoring.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "../store/store_test_util.h"

#include "app/export.h"
#include "app/icp.h"
#include "app/import.h"
#include "app/scoring.h"
#include "app/suppress.h"
#include "store/companies.h"
#include "store/contacts.h"
#include "store/scores.h"
#include "util/mem.h"

#include <stdio.h>
#include <string.h>

static const struct app_actor actor = {"cli", "tester", NULL};

static struct app app_for(struct store_fixture *fx)
{
    struct app app = {fx->st, &fx->clock, NULL, NULL};
    return app;
}

/* Writes `text` to a file named `name` in the fixture's directory; returns the path (arena). */
static const char *write_file(struct store_fixture *fx, const char *name, const char *text)
{
    char *path = arena_printf(fx->arena, "%s/%s", fx->dir, name);
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    return path;
}

static enum pr_code run_import(struct store_fixture *fx, const struct tenant_ctx *t,
                               const char *path, const char *source, int trust,
                               struct import_result *out)
{
    struct app app = app_for(fx);
    struct import_options opt;

    memset(&opt, 0, sizeof opt);
    opt.path = path;
    opt.source = source;
    opt.source_trust = trust;
    opt.batch_size = 3; /* several batches even for small files */
    return app_import_run(&app, &actor, t, &opt, fx->arena, out, &fx->err);
}

static const char basic_csv[] =
    "First Name,Last Name,E-mail,Mobile Phone,Company Name,Website,State,ZIP,Notes\r\n"
    "Ann,Lee,Ann.Lee@Acme.com ,(415) 555-2671,\"Acme, Inc.\",https://www.acme.com/,california,"
    "94103,vip\r\n"
    "Bob,Stone,not-an-email,,Acme Inc,acme.com,CA,94103,\r\n"
    "Cy,Moss,cy@beta.io,+44 20 7946 0958,Beta Ltd,beta.io,,,\r\n"
    ",,,,,,,,only a note\r\n"
    "ANN,LEE,ann.lee@acme.com,,Acme,,,,\r\n";

static void test_basic_import_counts_and_normalization(void **state)
{
    struct store_fixture *fx = *state;
    struct import_result r;
    struct contact c;
    struct company co;
    struct import_row *rows = NULL;
    size_t n = 0;

    assert_store_ok(
        run_import(fx, &fx->tenant_a, write_file(fx, "a.csv", basic_csv), "list-a", 0, &r), fx);
    assert_int_equal(r.counts.n_rows, 5);
    assert_int_equal(r.counts.n_accepted, 2);
    assert_int_equal(r.counts.n_duplicate, 1);
    assert_int_equal(r.counts.n_rejected, 2);
    assert_int_equal(r.counts.n_rows, r.counts.n_accepted + r.counts.n_merged +
                                          r.counts.n_duplicate + r.counts.n_suppressed +
                                          r.counts.n_rejected);
    assert_store_ok(store_contacts_find_by_email(fx->st, &fx->tenant_a, "ann.lee@acme.com",
                                                 fx->arena, &c, &fx->err),
                    fx);
    assert_string_equal(c.email, "Ann.Lee@acme.com");
    assert_string_equal(c.phone_e164, "+14155552671");
    assert_string_equal(c.state, "CA");
    assert_string_equal(c.zip, "94103");
    assert_non_null(strstr(c.custom_fields, "\"Notes\":\"vip\""));
    assert_non_null(strstr(c.provenance, "\"source\":\"list-a\""));
    assert_true(c.has_company);
    assert_store_ok(
        store_companies_get(fx->st, &fx->tenant_a, c.company_id, fx->arena, &co, &fx->err), fx);
    assert_string_equal(co.domain, "acme.com");
    assert_string_equal(co.name, "Acme, Inc.");
    /* Rejections carry their line and reason. */
    assert_store_ok(store_imports_rows(fx->st, &fx->tenant_a, r.import_id, "rejected", 0, 10,
                                       fx->arena, &rows, &n, &fx->err),
                    fx);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].line, 3);
    assert_non_null(strstr(rows[0].reason, "invalid e-mail"));
    assert_int_equal(rows[1].line, 5);
    assert_non_null(strstr(rows[1].reason, "no e-mail, valid phone or name"));
    /* Tenant B saw nothing. */
    assert_int_equal(store_contacts_find_by_email(fx->st, &fx->tenant_b, "ann.lee@acme.com",
                                                  fx->arena, &c, &fx->err),
                     PR_NOT_FOUND);
}

static void test_reimport_is_idempotent(void **state)
{
    struct store_fixture *fx = *state;
    const char *path = write_file(fx, "a.csv", basic_csv);
    struct import_result first, again, forced;
    int64_t n_before = 0, n_after = 0;

    assert_store_ok(run_import(fx, &fx->tenant_a, path, "list-a", 0, &first), fx);
    assert_store_ok(store_contacts_count(fx->st, &fx->tenant_a, &n_before, &fx->err), fx);
    assert_store_ok(run_import(fx, &fx->tenant_a, path, "list-a", 0, &again), fx);
    assert_true(again.was_already_imported);
    assert_int_equal(again.import_id, first.import_id);
    /* Forced, every usable row is now a duplicate and nothing is created. */
    {
        struct app app = app_for(fx);
        struct import_options opt;

        memset(&opt, 0, sizeof opt);
        opt.path = path;
        opt.source = "list-a";
        opt.force = true;
        assert_store_ok(
            app_import_run(&app, &actor, &fx->tenant_a, &opt, fx->arena, &forced, &fx->err), fx);
    }
    assert_int_equal(forced.counts.n_accepted, 0);
    assert_int_equal(forced.counts.n_duplicate, 3);
    assert_int_equal(forced.counts.n_rejected, 2);
    assert_store_ok(store_contacts_count(fx->st, &fx->tenant_a, &n_after, &fx->err), fx);
    assert_int_equal(n_after, n_before);
}

static void test_bad_record_mid_batch_does_not_abort(void **state)
{
    struct store_fixture *fx = *state;
    struct buf csv;
    struct import_result r;
    int i;

    buf_init(&csv, 1 << 20);
    (void)buf_puts(&csv, "Email\n");
    for (i = 0; i < 7; i++) {
        if (i == 3) { /* a record with 5000 fields: refused by the reader, row rejected */
            int j;
            for (j = 0; j < 5000; j++)
                (void)buf_puts(&csv, "x,");
            (void)buf_puts(&csv, "x\n");
        } else {
            (void)buf_printf(&csv, "p%d@example.com\n", i);
        }
    }
    assert_store_ok(
        run_import(fx, &fx->tenant_a, write_file(fx, "wide.csv", buf_cstr(&csv)), "wide", 0, &r),
        fx);
    buf_free(&csv);
    assert_int_equal(r.counts.n_rows, 7);
    assert_int_equal(r.counts.n_accepted, 6);
    assert_int_equal(r.counts.n_rejected, 1);
}

static void test_cross_source_survivorship(void **state)
{
    struct store_fixture *fx = *state;
    struct import_result r;
    struct contact c;

    assert_store_ok(run_import(fx, &fx->tenant_a,
                               write_file(fx, "s1.csv", "Email,Title,City\nx@acme.com,CEO,\n"),
                               "purchased", 30, &r),
                    fx);
    clock_fake_advance(&fx->clock, 1000);
    /* A more trusted source replaces the title and fills the city: merged. */
    assert_store_ok(run_import(fx, &fx->tenant_a,
                               write_file(fx, "s2.csv",
                                          "Email,Title,City\nX@ACME.com,Chief Executive,Austin\n"),
                               "crm", 80, &r),
                    fx);
    assert_int_equal(r.counts.n_merged, 1);
    clock_fake_advance(&fx->clock, 1000);
    /* A less trusted, newer source changes nothing: duplicate. */
    assert_store_ok(run_import(fx, &fx->tenant_a,
                               write_file(fx, "s3.csv", "Email,Title,City\nx@acme.com,Intern,\n"),
                               "scraped", 10, &r),
                    fx);
    assert_int_equal(r.counts.n_duplicate, 1);
    assert_store_ok(
        store_contacts_find_by_email(fx->st, &fx->tenant_a, "x@acme.com", fx->arena, &c, &fx->err),
        fx);
    assert_string_equal(c.title, "Chief Executive");
    assert_string_equal(c.city, "Austin");
    assert_non_null(strstr(c.provenance, "\"crm\""));
}

static void test_phone_identity_and_fuzzy_company(void **state)
{
    struct store_fixture *fx = *state;
    struct import_result r;
    struct company *companies = NULL;
    size_t n = 0;
    int64_t n_contacts = 0;

    assert_store_ok(run_import(fx, &fx->tenant_a,
                               write_file(fx, "p.csv",
                                          "Name,Phone,Company,City\n"
                                          "Dee Park,415-555-0199,Granite Holdings Inc,Denver\n"
                                          "Dee Park,(415) 555 0199,Granite Holding LLC,Denver\n"
                                          "Eve Long,212-555-0142,Granite Holdings,Boulder\n"),
                               "p", 0, &r),
                    fx);
    assert_int_equal(r.counts.n_accepted, 2);
    assert_int_equal(r.counts.n_duplicate + r.counts.n_merged, 1);
    assert_store_ok(store_contacts_count(fx->st, &fx->tenant_a, &n_contacts, &fx->err), fx);
    assert_int_equal(n_contacts, 2);
    /* "Granite Holdings Inc" and "Granite Holding LLC" in Denver are one company; the same
     * name in another city is another office, another company. */
    assert_store_ok(
        store_companies_list(fx->st, &fx->tenant_a, 0, 10, fx->arena, &companies, &n, &fx->err),
        fx);
    assert_int_equal(n, 2);
}

static void test_suppression_flags_and_never_exports(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct import_result r;
    struct export_options opt;
    struct export_result out;
    bool was_new = false;
    int64_t id = 0, n_flagged = 0;
    char *text = NULL;
    size_t text_len = 0;

    assert_store_ok(app_suppress_add(&app, &actor, &fx->tenant_a, " Stop@Nope.com", NULL,
                                     "unsubscribe", "test", &id, &was_new, &n_flagged, &fx->err),
                    fx);
    assert_true(was_new);
    assert_store_ok(run_import(fx, &fx->tenant_a,
                               write_file(fx, "sup.csv",
                                          "Email,Company\nstop@nope.com,Nope\nok@fine.com,Fine\n"
                                          "later@blocked.org,Blocked\n"),
                               "sup", 0, &r),
                    fx);
    assert_int_equal(r.counts.n_suppressed, 1);
    assert_int_equal(r.counts.n_accepted, 2);
    /* A domain suppressed after the import flags its contacts at once. */
    assert_store_ok(app_suppress_add(&app, &actor, &fx->tenant_a, "blocked.org", "domain", "legal",
                                     "test", &id, &was_new, &n_flagged, &fx->err),
                    fx);
    assert_int_equal(n_flagged, 1);
    memset(&opt, 0, sizeof opt);
    opt.format = EXPORT_GENERIC;
    opt.out = open_memstream(&text, &text_len);
    assert_store_ok(app_export_run(&app, &actor, &fx->tenant_a, &opt, &out, &fx->err), fx);
    fclose(opt.out);
    assert_int_equal(out.n_rows, 1);
    assert_non_null(strstr(text, "ok@fine.com"));
    assert_null(strstr(text, "stop@nope.com"));
    assert_null(strstr(text, "blocked.org"));
    xfree(text); /* open_memstream allocates with malloc */
}

static int64_t export_rows(struct store_fixture *fx, enum export_format format, int window_days,
                           size_t *n_columns, int64_t *n_skipped)
{
    struct app app = app_for(fx);
    struct export_options opt;
    struct export_result out;
    char *text = NULL, *line_end;
    size_t text_len = 0, i;

    memset(&opt, 0, sizeof opt);
    opt.format = format;
    opt.window_days = window_days;
    opt.out = open_memstream(&text, &text_len);
    assert_store_ok(app_export_run(&app, &actor, &fx->tenant_a, &opt, &out, &fx->err), fx);
    fclose(opt.out);
    line_end = strstr(text, "\r\n");
    assert_non_null(line_end);
    *n_columns = 1;
    for (i = 0; text + i < line_end; i++)
        *n_columns += text[i] == ',';
    *n_skipped = out.n_skipped_window;
    xfree(text); /* open_memstream allocates with malloc */
    return out.n_rows;
}

static void test_export_window_and_layouts(void **state)
{
    struct store_fixture *fx = *state;
    struct import_result r;
    struct pr_error err;
    size_t n_columns = 0;
    int64_t n_skipped = 0;

    assert_int_equal(app_export_check_layouts(&err), PR_OK);
    assert_store_ok(run_import(fx, &fx->tenant_a,
                               write_file(fx, "w.csv", "Email\na@w.com\nb@w.com\nc@w.com\n"), "w",
                               0, &r),
                    fx);
    assert_int_equal(export_rows(fx, EXPORT_VANILLASOFT, 180, &n_columns, &n_skipped), 3);
    assert_int_equal(n_columns, 31);
    /* Exported a moment ago: the window leaves all three out. */
    clock_fake_advance(&fx->clock, 86400000LL);
    assert_int_equal(export_rows(fx, EXPORT_HUBSPOT, 180, &n_columns, &n_skipped), 0);
    assert_int_equal(n_skipped, 3);
    /* After the window they come back. */
    clock_fake_advance(&fx->clock, 180LL * 86400000LL);
    assert_int_equal(export_rows(fx, EXPORT_GENERIC, 180, &n_columns, &n_skipped), 3);
}

static const char icp_yaml[] =
    "industry:\n  max_points: 40\n  rules:\n    - sic: \"73\"\n      points: 40\n"
    "title:\n  max_points: 30\n  seniority:\n    - keywords: [ceo, chief]\n      points: 30\n"
    "geography:\n  max_points: 30\n  rules:\n    - country: US\n      states: [CA]\n"
    "      points: 30\n";

static void test_import_scores_and_rescore(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct icp *icp = NULL;
    struct import_options opt;
    struct import_result r;
    struct contact c;
    struct score_entry *history = NULL;
    size_t n = 0;
    int64_t n_scored = 0;

    assert_store_ok(icp_parse_text(icp_yaml, strlen(icp_yaml), "test-icp", &icp, &fx->err), fx);
    memset(&opt, 0, sizeof opt);
    opt.path = write_file(fx, "sc.csv",
                          "Email,Title,SIC Code,State,Company\nboss@sw.com,CEO,7372,CA,Soft\n");
    opt.icp = icp;
    assert_store_ok(app_import_run(&app, &actor, &fx->tenant_a, &opt, fx->arena, &r, &fx->err), fx);
    assert_store_ok(
        store_contacts_find_by_email(fx->st, &fx->tenant_a, "boss@sw.com", fx->arena, &c, &fx->err),
        fx);
    assert_true(c.has_score);
    assert_int_equal(c.score, 100);
    assert_non_null(strstr(c.score_breakdown, "\"total\":100"));
    assert_store_ok(
        app_rescore_all(&app, &actor, &fx->tenant_a, icp, NULL, NULL, &n_scored, &fx->err), fx);
    assert_int_equal(n_scored, 1);
    assert_store_ok(
        store_scores_history(fx->st, &fx->tenant_a, c.id, fx->arena, &history, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    icp_free(icp);
}

static void test_rejects_file(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct import_result r;
    char *text = NULL;
    size_t len = 0;
    FILE *f;

    assert_store_ok(
        run_import(fx, &fx->tenant_a, write_file(fx, "a.csv", basic_csv), "list-a", 0, &r), fx);
    f = open_memstream(&text, &len);
    assert_store_ok(app_import_write_rejects(&app, &fx->tenant_a, r.import_id, f, &fx->err), fx);
    fclose(f);
    assert_non_null(strstr(text, "First Name,Last Name,E-mail,Mobile Phone,Company Name,Website,"
                                 "State,ZIP,Notes,error,line\r\n"));
    assert_non_null(strstr(text, "Bob,Stone,not-an-email"));
    assert_non_null(strstr(text, ",3\r\n"));
    assert_non_null(strstr(text, ",5\r\n"));
    xfree(text); /* open_memstream allocates with malloc */
    /* Another tenant cannot read them. */
    f = open_memstream(&text, &len);
    assert_int_equal(app_import_write_rejects(&app, &fx->tenant_b, r.import_id, f, &fx->err),
                     PR_NOT_FOUND);
    fclose(f);
    xfree(text); /* open_memstream allocates with malloc */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, store_fixture_setup, store_fixture_teardown)
        T(test_basic_import_counts_and_normalization),
        T(test_reimport_is_idempotent),
        T(test_bad_record_mid_batch_does_not_abort),
        T(test_cross_source_survivorship),
        T(test_phone_identity_and_fuzzy_company),
        T(test_suppression_flags_and_never_exports),
        T(test_export_window_and_layouts),
        T(test_import_scores_and_rescore),
        T(test_rejects_file),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
