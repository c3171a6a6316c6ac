/*
 * Isolation cases of the ingestion repositories (company candidates of fuzzy matching,
 * contacts looked up by phone and name, the suppression refresh, lead sources, imports,
 * scores, exports), run by isolation_test.c like its own: act as tenant A against tenant B's
 * ids and natural keys; B's rows are compared with their snapshot afterwards.
 */
#include "isolation_snapshot.h"

#include "store/exports.h"
#include "store/imports.h"
#include "store/scores.h"
#include "store/sources.h"
#include "store/suppressions.h"

#include <inttypes.h>

/* ---- companies: the blocking query of fuzzy matching ---------------------------------------- */

void case_companies_candidates(struct world *w)
{
    static const char *const prefixes[] = {"B", "B GmbH", "", "A"};
    struct company_candidate *rows = NULL;
    size_t n = 99, i, k;

    /* B's company's name, its prefix, and the empty prefix (every company): only A's. */
    for (k = 0; k < N_OF(prefixes); k++) {
        assert_ok(store_companies_candidates(w->st, w->a, prefixes[k], 1000, w->arena, &rows, &n,
                                             &w->fx->err),
                  w->fx);
        assert_int_equal(n, k < 2 ? 0 : 1);
        for (i = 0; i < n; i++)
            assert_int_equal(rows[i].id, w->a_company);
    }
}

/* ---- by ZIP and by sector: enrichment and reports ------------------------------------------- */

void case_companies_by_zip(struct world *w)
{
    struct company *rows = NULL;
    size_t n = 99;

    /* A's company shares B's ZIP: only A's answers, from the start or after B's id. */
    assert_ok(
        store_companies_by_zip(w->st, w->a, "10115", 0, 1000, w->arena, &rows, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, w->a_company);
    assert_ok(store_companies_by_zip(w->st, w->a, "10115", w->b_company, 1000, w->arena, &rows, &n,
                                     &w->fx->err),
              w->fx);
    assert_int_equal(n, w->a_company > w->b_company ? 1 : 0);
    assert_ok(
        store_companies_by_zip(w->st, w->a, "10117", 0, 1000, w->arena, &rows, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 0);
}

void case_companies_sector_counts(struct world *w)
{
    static const char *const groupings[] = {"state", "county", "city"};
    struct sector_count *rows = NULL;
    size_t n = 0, i, k;
    int64_t total;

    /* A and B have a company in the same sector and place: A counts only its own. */
    for (k = 0; k < N_OF(groupings); k++) {
        assert_ok(store_companies_sector_counts(w->st, w->a, groupings[k], w->arena, &rows, &n,
                                                &w->fx->err),
                  w->fx);
        total = 0;
        for (i = 0; i < n; i++)
            total += rows[i].n_companies;
        assert_int_equal(total, 1);
    }
}

void case_contacts_by_zip(struct world *w)
{
    struct contact *rows = NULL;
    size_t n = 99;
    int64_t list;

    /* A's contact shares B's ZIP: only A's answers. */
    assert_ok(store_contacts_by_zip(w->st, w->a, "10115", false, 0, 0, 1000, w->arena, &rows, &n,
                                    &w->fx->err),
              w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, w->a_contact);
    /* Within B's list A finds nothing, exactly as within a list that does not exist. */
    for (list = w->b_list; list != MISSING_ID; list = MISSING_ID) {
        n = 99;
        assert_ok(store_contacts_by_zip(w->st, w->a, "10115", true, list, 0, 1000, w->arena, &rows,
                                        &n, &w->fx->err),
                  w->fx);
        assert_int_equal(n, 0);
    }
}

/* ---- contacts: lookups added for ingestion -------------------------------------------------- */

void case_contacts_find_by_phone(struct world *w)
{
    struct contact out;
    const char *phone;

    assert_hidden(w, phone, PHONE_B, "+49309999999",
                  store_contacts_find_by_phone(w->st, w->a, phone, w->arena, &out, &w->fx->err));
    assert_hidden(w, phone, PHONE_B_SOLO, "+49309999999",
                  store_contacts_find_by_phone(w->st, w->a, phone, w->arena, &out, &w->fx->err));
}

void case_contacts_find_by_name(struct world *w)
{
    struct contact out;
    const char *name;
    int64_t company_id;

    /* B's name at B's company, B's name at A's company, B's name without a company. */
    assert_hidden(w, name, NAME_B, "nobody at all",
                  store_contacts_find_by_name(w->st, w->a, name, true, w->b_company, w->arena, &out,
                                              &w->fx->err));
    assert_hidden(w, company_id, w->b_company, MISSING_ID,
                  store_contacts_find_by_name(w->st, w->a, NAME_B, true, company_id, w->arena, &out,
                                              &w->fx->err));
    assert_hidden(w, name, NAME_B, "nobody at all",
                  store_contacts_find_by_name(w->st, w->a, name, true, w->a_company, w->arena, &out,
                                              &w->fx->err));
    assert_hidden(
        w, name, NAME_B_SOLO, "nobody at all",
        store_contacts_find_by_name(w->st, w->a, name, false, 0, w->arena, &out, &w->fx->err));
}

/* ---- lead sources --------------------------------------------------------------------------- */

void case_sources_ensure(struct world *w)
{
    int trust = 0;

    /* B's source name is free for A: A's ensure creates A's own source with A's trust, and
     * neither call reads or changes B's trust (80). */
    assert_ok(store_sources_ensure(w->st, w->a, SOURCE_B, 10, false, &trust, &w->fx->err), w->fx);
    assert_int_equal(trust, 10);
    assert_ok(store_sources_ensure(w->st, w->a, SOURCE_B, 20, true, &trust, &w->fx->err), w->fx);
    assert_int_equal(trust, 20);
    assert_ok(store_sources_trust(w->st, w->a, SOURCE_B, &trust, &w->fx->err), w->fx);
    assert_int_equal(trust, 20);
}

void case_sources_trust(struct world *w)
{
    const char *name;
    int trust = 0;

    assert_hidden(w, name, SOURCE_B, "csv:missing.csv",
                  store_sources_trust(w->st, w->a, name, &trust, &w->fx->err));
}

/* ---- suppressions: recomputing contacts.is_suppressed ---------------------------------------- */

void case_suppressions_refresh_contacts(struct world *w)
{
    static const struct {
        const char *kind;
        const char *value;
    } keys[] = {
        {"email", "jo@b.example"}, {"email", "sam@b.example"}, {"phone", PHONE_B},
        {"phone", PHONE_B_SOLO},   {"domain", "b.example"},
    };
    int64_t n_changed = 99;
    size_t i;

    /* Keys that only B's contacts match touch none of them (not even their updated_at,
     * which the snapshot would show). */
    for (i = 0; i < N_OF(keys); i++) {
        assert_ok(store_suppressions_refresh_contacts(w->st, w->a, keys[i].kind, keys[i].value,
                                                      &n_changed, &w->fx->err),
                  w->fx);
        assert_int_equal(n_changed, 0);
    }
}

/* ---- imports -------------------------------------------------------------------------------- */

void case_imports_create(struct world *w)
{
    struct import_record *rows = NULL;
    char message[sizeof w->fx->err.message];
    int64_t id = 0, found = 0;
    size_t n = 0;
    enum pr_code rc;

    /* An import of A into B's list is refused exactly like one into a list that does not
     * exist (the composite key), and creates nothing. */
    rc = store_imports_create(w->st, w->a, "x.csv", SHA256_B, 1, SOURCE_B, true, w->b_list, NULL,
                              &id, &w->fx->err);
    (void)snprintf(message, sizeof message, "%s", w->fx->err.message);
    assert_int_equal(rc, PR_CONFLICT);
    assert_int_equal(store_imports_create(w->st, w->a, "x.csv", SHA256_B, 1, SOURCE_B, true,
                                          MISSING_ID, NULL, &id, &w->fx->err),
                     PR_CONFLICT);
    assert_string_equal(message, w->fx->err.message);
    assert_ok(store_imports_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    /* The file B imported is new to A: A's import of it completes, and find_completed answers
     * with A's, not B's (B's is the older one). */
    assert_ok(store_imports_create(w->st, w->a, "b.csv", SHA256_B, 1234, SOURCE_B, false, 0, NULL,
                                   &id, &w->fx->err),
              w->fx);
    assert_true(id != w->b_import);
    assert_ok(store_imports_finish(w->st, w->a, id, true, NULL, &w->fx->err), w->fx);
    assert_ok(store_imports_find_completed(w->st, w->a, SHA256_B, SOURCE_B, &found, &w->fx->err),
              w->fx);
    assert_int_equal(found, id);
}

void case_imports_find_completed(struct world *w)
{
    const char *sha256;
    int64_t id = 0;

    assert_hidden(w, sha256, SHA256_B, SHA256_OTHER,
                  store_imports_find_completed(w->st, w->a, sha256, SOURCE_B, &id, &w->fx->err));
}

void case_imports_get(struct world *w)
{
    struct import_record out;
    int64_t id;

    assert_hidden(w, id, w->b_import, MISSING_ID,
                  store_imports_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
    assert_hidden(w, id, w->b_import_running, MISSING_ID,
                  store_imports_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_imports_list(struct world *w)
{
    struct import_record *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_imports_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_int_equal(rows[i].id, w->a_import);
    }
    /* B's imports were created first: the page below A's import would hold them. */
    assert_true(w->b_import_running < w->a_import);
    n = 99;
    assert_ok(store_imports_list(w->st, w->a, w->a_import, 1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

void case_imports_set_counts(struct world *w)
{
    static const struct import_counts counts = {9, 9, 0, 0, 0, 0};
    int64_t id;

    assert_hidden(w, id, w->b_import_running, MISSING_ID,
                  store_imports_set_counts(w->st, w->a, id, &counts, &w->fx->err));
    assert_hidden(w, id, w->b_import, MISSING_ID,
                  store_imports_set_counts(w->st, w->a, id, &counts, &w->fx->err));
}

void case_imports_finish(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_import_running, MISSING_ID,
                  store_imports_finish(w->st, w->a, id, true, NULL, &w->fx->err));
    assert_hidden(w, id, w->b_import_running, MISSING_ID,
                  store_imports_finish(w->st, w->a, id, false, "stopped by A", &w->fx->err));
}

void case_imports_add_row(struct world *w)
{
    struct import_row row = {100, "accepted", false, 0, NULL, NULL};
    struct import_row *rows = NULL;
    size_t n = 99;
    int64_t id;

    /* A's row in B's imports (completed and running) is refused like one in a missing import. */
    assert_hidden(w, id, w->b_import, MISSING_ID,
                  store_imports_add_row(w->st, w->a, id, &row, &w->fx->err));
    assert_hidden(w, id, w->b_import_running, MISSING_ID,
                  store_imports_add_row(w->st, w->a, id, &row, &w->fx->err));
    /* A's own import cannot record an outcome that names B's contact. */
    row.has_contact = true;
    row.outcome = "merged";
    assert_hidden(w, row.contact_id, w->b_contact, MISSING_ID,
                  store_imports_add_row(w->st, w->a, w->a_import, &row, &w->fx->err));
    assert_ok(store_imports_rows(w->st, w->a, w->a_import, NULL, 0, 1000, w->arena, &rows, &n,
                                 &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

void case_imports_rows(struct world *w)
{
    struct import_row *rows = NULL;
    size_t n = 0;
    int64_t id;

    assert_hidden(
        w, id, w->b_import, MISSING_ID,
        store_imports_rows(w->st, w->a, id, NULL, 0, 1000, w->arena, &rows, &n, &w->fx->err));
    assert_hidden(
        w, id, w->b_import, MISSING_ID,
        store_imports_rows(w->st, w->a, id, "rejected", 0, 1000, w->arena, &rows, &n, &w->fx->err));
    assert_hidden(
        w, id, w->b_import_running, MISSING_ID,
        store_imports_rows(w->st, w->a, id, NULL, 0, 1000, w->arena, &rows, &n, &w->fx->err));
}

/* ---- scores --------------------------------------------------------------------------------- */

void case_scores_record(struct world *w)
{
    struct score_entry *rows = NULL;
    size_t n = 99;
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_scores_record(w->st, w->a, id, 5, "{\"forged\":5}", "icp-a", &w->fx->err));
    assert_hidden(w, id, w->b_contact_solo, MISSING_ID,
                  store_scores_record(w->st, w->a, id, 5, "{\"forged\":5}", "icp-a", &w->fx->err));
    /* Nor was the refused score filed under A's own contact. */
    assert_ok(store_scores_history(w->st, w->a, w->a_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

void case_scores_history(struct world *w)
{
    struct score_entry *rows = NULL;
    size_t n = 0;
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_scores_history(w->st, w->a, id, w->arena, &rows, &n, &w->fx->err));
}

/* ---- exports -------------------------------------------------------------------------------- */

void case_exports_create(struct world *w)
{
    struct export_record out;
    char message[sizeof w->fx->err.message];
    enum pr_code b_rc, missing_rc;
    int64_t id = 0;

    assert_ok(store_exports_create(w->st, w->a, "hubspot", false, 0, true, 50, &id, &w->fx->err),
              w->fx);
    assert_true(id != w->b_export);
    assert_ok(store_exports_get(w->st, w->a, id, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
    /* An export of A over B's list is refused like one over a list that does not exist. */
    b_rc =
        store_exports_create(w->st, w->a, "generic", true, w->b_list, false, 0, &id, &w->fx->err);
    (void)snprintf(message, sizeof message, "%s", w->fx->err.message);
    missing_rc =
        store_exports_create(w->st, w->a, "generic", true, MISSING_ID, false, 0, &id, &w->fx->err);
    if (b_rc == PR_OK)
        fail_msg("tenant A created an export over tenant B's list %" PRId64, w->b_list);
    assert_int_equal(b_rc, missing_rc);
    assert_string_equal(message, w->fx->err.message);
}

void case_exports_get(struct world *w)
{
    struct export_record out;
    int64_t id;

    assert_hidden(w, id, w->b_export, MISSING_ID,
                  store_exports_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

void case_exports_add_item(struct world *w)
{
    struct export_candidate *rows = NULL;
    size_t n = 0;
    int64_t id;

    /* A's export + B's contact, B's export + A's contact, B's export + B's contact. */
    assert_hidden(w, id, w->b_contact_solo, MISSING_ID,
                  store_exports_add_item(w->st, w->a, w->a_export, id, &w->fx->err));
    assert_hidden(w, id, w->b_export, MISSING_ID,
                  store_exports_add_item(w->st, w->a, id, w->a_contact, &w->fx->err));
    assert_hidden(w, id, w->b_export, MISSING_ID,
                  store_exports_add_item(w->st, w->a, id, w->b_contact_solo, &w->fx->err));
    /* A's contact was not recorded as exported by any of it. */
    assert_ok(store_exports_candidates(w->st, w->a, false, 0, false, 0, WINDOW_START_B, 0, 1000,
                                       w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].contact_id, w->a_contact);
    assert_false(rows[0].is_recent);
}

void case_exports_finish(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_export, MISSING_ID,
                  store_exports_finish(w->st, w->a, id, 0, 0, &w->fx->err));
}

void case_exports_candidates(struct world *w)
{
    struct export_candidate *rows = NULL;
    size_t n = 0, i;
    int64_t id;

    /* All of A's candidates: A's one contact, none of B's, however the filters are set. */
    for (i = 0; i < 2; i++) {
        assert_ok(store_exports_candidates(w->st, w->a, false, 0, i == 1, 0, WINDOW_START_B, 0,
                                           1000, w->arena, &rows, &n, &w->fx->err),
                  w->fx);
        assert_int_equal(n, 1);
        assert_int_equal(rows[0].contact_id, w->a_contact);
        /* B's export of its own contacts says nothing about A's. */
        assert_false(rows[0].is_recent);
    }
    /* Keyset pages that start among B's ids reach no B contact either. */
    assert_ok(store_exports_candidates(w->st, w->a, false, 0, false, 0, 0, w->b_contact, 1000,
                                       w->arena, &rows, &n, &w->fx->err),
              w->fx);
    for (i = 0; i < n; i++)
        assert_int_equal(rows[i].contact_id, w->a_contact);
    /* B's list is not A's: refused like a missing list. */
    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_exports_candidates(w->st, w->a, true, id, false, 0, WINDOW_START_B, 0, 1000,
                                           w->arena, &rows, &n, &w->fx->err));
    /* A's empty list has no candidates. */
    assert_ok(store_exports_candidates(w->st, w->a, true, w->a_list, false, 0, WINDOW_START_B, 0,
                                       1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}
