/*
 * Tenant isolation: every repository function of every tenant-owned aggregate, called with
 * tenant A's context against tenant B's ids and natural keys, must behave as if B's rows did
 * not exist, and must leave them exactly as they were.
 *
 * Each test seeds a fresh database (isolation_world.c): tenant B gets a row of every aggregate
 * with its relations (contacts in a company and on a list, tagged, with a consent, imported,
 * scored and exported), tenant A a few rows of its own to attempt cross-tenant links with. The case
 * then acts as A: reads give PR_NOT_FOUND with the same message as a row that never existed
 * (existence does not leak), lists and counts hold none of B's rows, changes give PR_NOT_FOUND,
 * links between A's and B's rows are refused. Afterwards B's rows are read back twice and compared
 * with the snapshot taken before the case: through the repositories as B (every field of every
 * struct), and as raw rows of every table (every column, including ones the structs omit).
 * Those snapshots, and the reading of the store headers, are in isolation_snapshot.c; the
 * cases of users and API keys are in isolation_accounts.c, those of the ingestion
 * repositories (imports, scores, exports, lead sources, company candidates, lookups by phone,
 * name and ZIP, sector counts, the suppression refresh) in isolation_ingestion.c, those of
 * the pipelines and their runs in isolation_pipelines.c.
 *
 * The table `cases` names each repository function once. `expected_functions` is the
 * hard-coded list of the functions declared in the aggregate headers; one test checks that
 * both name the same functions, another re-reads the headers (when the source tree can be
 * found) so that a new repository function without an isolation case fails the suite.
 *
 * Exempt, because they are not tenant-owned or act on the whole store: store_tenants_*
 * (tenants.h: create, get, get_by_slug, list — operator paths only) and the connection
 * functions of store.h (open, close, migrate, begin, commit, rollback, backup, ...).
 * store_api_keys_find_by_prefix is deliberately cross-tenant (the authentication lookup
 * before a tenant is known): its case asserts that it answers with B's key and
 * tenant_id == B, so a caller binds the request to B, never to A. So are store_jobs_claim and
 * store_jobs_reclaim_expired (workers are shared by all tenants): their cases
 * (isolation_jobs.c) assert that a claim hands out B's job with tenant_id == B, so the runner
 * binds to B, and that a reclaim touches only expired leases. So is store_schedules_due (the
 * scheduler is shared): its case (isolation_schedules.c) asserts that it hands out B's due
 * schedule with tenant_id == B, never a disabled or future one, and that A cannot fire it.
 * store_jobs_running_workers and store_jobs_expire_worker serve the start-up reclaim of dead
 * workers: their cases assert that only worker ids come back and that expiring A's worker
 * leaves B's running job alone. store_jobs_complete_batch completes a worker's own claimed
 * jobs (of any tenant): its case asserts that B's job in A's batch stays running.
 * These seven are the functions in `cross_tenant_functions`, the only ones the header scan lets
 * go without a tenant context.
 */
#include "isolation_snapshot.h"

#include "store/audit.h"
#include "store/companies.h"
#include "store/consents.h"
#include "store/contacts.h"
#include "store/exports.h"
#include "store/imports.h"
#include "store/jobs.h"
#include "store/lists.h"
#include "store/pipeline_runs.h"
#include "store/pipelines.h"
#include "store/schedules.h"
#include "store/scores.h"
#include "store/sources.h"
#include "store/suppressions.h"
#include "store/tags.h"
#include "store/users.h"
#include "util/mem.h"

#include <dirent.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* ---- companies ------------------------------------------------------------------------------ */

static void case_companies_create(struct world *w)
{
    struct company in = world_company("Copy", "b.example"), out;
    int64_t id = 0;

    /* The domain is unique per tenant: A may use B's, and learns nothing from it. */
    assert_ok(store_companies_create(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_company);
    assert_ok(store_companies_find_by_domain(w->st, w->a, "b.example", w->arena, &out, &w->fx->err),
              w->fx);
    assert_int_equal(out.id, id);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
}

static void case_companies_get(struct world *w)
{
    struct company out;
    int64_t id;

    assert_hidden(w, id, w->b_company, MISSING_ID,
                  store_companies_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_companies_find_by_domain(struct world *w)
{
    struct company out;
    const char *domain;

    assert_hidden(w, domain, "b.example", "missing.example",
                  store_companies_find_by_domain(w->st, w->a, domain, w->arena, &out, &w->fx->err));
}

static void case_companies_list(struct world *w)
{
    struct company *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_companies_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_company);
    }
}

static void case_companies_update(struct world *w)
{
    struct store_field fields[] = {{"name", "Taken over"}, {"custom_fields", "{}"}};
    int64_t id;

    assert_hidden(w, id, w->b_company, MISSING_ID,
                  store_companies_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
}

static void case_companies_delete(struct world *w)
{
    int64_t id;

    /* Nor may A's delete detach B's contacts from B's company (checked by the snapshot). */
    assert_hidden(w, id, w->b_company, MISSING_ID,
                  store_companies_delete(w->st, w->a, id, &w->fx->err));
    /* Inside a caller's transaction nothing rolls the detach back, so it must not have
     * touched B's contacts in the first place. */
    assert_ok(store_begin(w->st, &w->fx->err), w->fx);
    assert_int_equal(store_companies_delete(w->st, w->a, w->b_company, &w->fx->err), PR_NOT_FOUND);
    assert_ok(store_commit(w->st, &w->fx->err), w->fx);
}

/* ---- contacts ------------------------------------------------------------------------------- */

static void case_contacts_create(struct world *w)
{
    struct contact in = world_contact("new@a.example", true, w->b_company);
    int64_t id = 0, n = 0;

    /* A contact of A cannot point at B's company: the composite key refuses it. */
    assert_int_equal(store_contacts_create(w->st, w->a, &in, &id, &w->fx->err), PR_CONFLICT);
    in.company_id = MISSING_ID;
    assert_int_equal(store_contacts_create(w->st, w->a, &in, &id, &w->fx->err), PR_CONFLICT);
    assert_ok(store_contacts_count(w->st, w->a, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    /* The e-mail is unique per tenant: A may use B's. */
    in = world_contact("jo@b.example", false, 0);
    assert_ok(store_contacts_create(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_contact);
}

static void case_contacts_get(struct world *w)
{
    struct contact out;
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_contacts_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_contacts_find_by_email(struct world *w)
{
    struct contact out;
    const char *email;

    assert_hidden(w, email, "jo@b.example", "missing@b.example",
                  store_contacts_find_by_email(w->st, w->a, email, w->arena, &out, &w->fx->err));
}

static void case_contacts_list(struct world *w)
{
    struct contact *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_contacts_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_contact);
    }
}

static void case_contacts_update(struct world *w)
{
    struct store_field fields[] = {{"email_norm", "stolen@a.example"}, {"score", "1"}};
    struct store_field link[] = {{"company_id", NULL}};
    char company_id[32];
    struct contact out;
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_contacts_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
    /* A's own contact cannot be linked to B's company. */
    (void)snprintf(company_id, sizeof company_id, "%" PRId64, w->b_company);
    link[0].value = company_id;
    assert_int_equal(store_contacts_update(w->st, w->a, w->a_contact, link, 1, &w->fx->err),
                     PR_CONFLICT);
    assert_ok(store_contacts_get(w->st, w->a, w->a_contact, w->arena, &out, &w->fx->err), w->fx);
    assert_false(out.has_company);
}

static void case_contacts_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_contacts_delete(w->st, w->a, id, &w->fx->err));
}

static void case_contacts_count(struct world *w)
{
    int64_t n = 0;

    assert_ok(store_contacts_count(w->st, w->a, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
}

/* ---- lists ---------------------------------------------------------------------------------- */

static void case_lists_create(struct world *w)
{
    struct contact_list out;
    int64_t id = 0;

    assert_ok(store_lists_create(w->st, w->a, "Shared name", NULL, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_list);
    assert_ok(store_lists_find_by_name(w->st, w->a, "Shared name", w->arena, &out, &w->fx->err),
              w->fx);
    assert_int_equal(out.id, id);
    assert_int_equal(out.n_members, 0);
}

static void case_lists_get(struct world *w)
{
    struct contact_list out;
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_lists_find_by_name(struct world *w)
{
    struct contact_list out;
    const char *name;

    assert_hidden(w, name, "Shared name", "Missing name",
                  store_lists_find_by_name(w->st, w->a, name, w->arena, &out, &w->fx->err));
}

static void case_lists_list(struct world *w)
{
    struct contact_list *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_lists_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_list);
        assert_int_equal(rows[i].n_members, 0);
    }
}

static void case_lists_update(struct world *w)
{
    struct store_field fields[] = {{"name", "Renamed"}, {"description", ""}};
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
}

static void case_lists_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID, store_lists_delete(w->st, w->a, id, &w->fx->err));
}

static void case_lists_add_member(struct world *w)
{
    struct contact_list out;
    int64_t id;

    /* A's list + B's contact, B's list + A's contact, B's list + B's contact. */
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_lists_add_member(w->st, w->a, w->a_list, id, &w->fx->err));
    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_add_member(w->st, w->a, id, w->a_contact, &w->fx->err));
    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_add_member(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_ok(store_lists_get(w->st, w->a, w->a_list, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.n_members, 0);
}

static void case_lists_remove_member(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_remove_member(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_lists_remove_member(w->st, w->a, w->a_list, id, &w->fx->err));
}

static void case_lists_members(struct world *w)
{
    int64_t *ids = NULL, id;
    size_t n = 0;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_members(w->st, w->a, id, 0, 1000, w->arena, &ids, &n, &w->fx->err));
}

/* ---- tags ----------------------------------------------------------------------------------- */

static void case_tags_create(struct world *w)
{
    int64_t id = 0;

    assert_ok(store_tags_create(w->st, w->a, "vip", &id, &w->fx->err), w->fx);
    assert_true(id != w->b_tag);
}

static void case_tags_get(struct world *w)
{
    struct tag out;
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_tags_list(struct world *w)
{
    struct tag *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_tags_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_tag);
    }
}

static void case_tags_rename(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_rename(w->st, w->a, id, "renamed", &w->fx->err));
}

static void case_tags_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID, store_tags_delete(w->st, w->a, id, &w->fx->err));
}

static void case_tags_attach(struct world *w)
{
    struct tag *rows = NULL;
    size_t n = 0;
    int64_t id;

    /* B's tag + A's contact, A's tag + B's contact, B's tag + B's contact. */
    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_attach(w->st, w->a, id, w->a_contact, &w->fx->err));
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_tags_attach(w->st, w->a, w->a_tag, id, &w->fx->err));
    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_attach(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_ok(store_tags_of_contact(w->st, w->a, w->a_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

static void case_tags_detach(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_detach(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_tags_detach(w->st, w->a, w->a_tag, id, &w->fx->err));
}

static void case_tags_of_contact(struct world *w)
{
    struct tag *rows = NULL;
    size_t n = 99;

    assert_ok(store_tags_of_contact(w->st, w->a, w->b_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

/* ---- suppressions --------------------------------------------------------------------------- */

static void case_suppressions_add(struct world *w)
{
    int64_t id = 0, again = 0;
    bool was_new = false;

    /* B's entry is not A's: A's add makes a new entry rather than returning B's id. */
    assert_ok(store_suppressions_add(w->st, w->a, "email", "jo@b.example", "manual", "ui", &id,
                                     &was_new, &w->fx->err),
              w->fx);
    assert_true(was_new);
    assert_true(id != w->b_suppression);
    /* Adding it again finds A's entry, not B's. */
    assert_ok(store_suppressions_add(w->st, w->a, "email", "jo@b.example", "bounce", "smtp", &again,
                                     &was_new, &w->fx->err),
              w->fx);
    assert_false(was_new);
    assert_int_equal(again, id);
    /* And B's add still finds B's entry, not A's new one. */
    assert_ok(store_suppressions_add(w->st, w->b, "email", "jo@b.example", "bounce", "smtp", &again,
                                     &was_new, &w->fx->err),
              w->fx);
    assert_false(was_new);
    assert_int_equal(again, w->b_suppression);
}

static void case_suppressions_get(struct world *w)
{
    struct suppression out;
    int64_t id;

    assert_hidden(w, id, w->b_suppression, MISSING_ID,
                  store_suppressions_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_suppressions_check(struct world *w)
{
    bool is_suppressed = true;

    assert_ok(
        store_suppressions_check(w->st, w->a, "email", "jo@b.example", &is_suppressed, &w->fx->err),
        w->fx);
    assert_false(is_suppressed);
}

static void case_suppressions_list(struct world *w)
{
    struct suppression *rows = NULL;
    size_t n = 99;

    assert_ok(store_suppressions_list(w->st, w->a, NULL, 0, 1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
    n = 99;
    assert_ok(
        store_suppressions_list(w->st, w->a, "email", 0, 1000, w->arena, &rows, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 0);
}

static void case_suppressions_remove(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_suppression, MISSING_ID,
                  store_suppressions_remove(w->st, w->a, id, &w->fx->err));
}

/* ---- consents ------------------------------------------------------------------------------- */

static void case_consents_record(struct world *w)
{
    struct consent *rows = NULL;
    size_t n = 99;
    int64_t id, out_id = 0;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_consents_record(w->st, w->a, id, "email", "revoked", "forged", NULL,
                                        &out_id, &w->fx->err));
    assert_ok(store_consents_list(w->st, w->a, w->b_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

static void case_consents_latest(struct world *w)
{
    struct consent out;
    bool found = true;

    assert_ok(store_consents_latest(w->st, w->a, w->b_contact, "email", w->arena, &out, &found,
                                    &w->fx->err),
              w->fx);
    assert_false(found);
}

static void case_consents_list(struct world *w)
{
    struct consent *rows = NULL;
    size_t n = 99;

    assert_ok(store_consents_list(w->st, w->a, w->b_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

/* ---- audit ---------------------------------------------------------------------------------- */

static void case_audit_append(struct world *w)
{
    struct audit_entry in = {0}, *rows = NULL;
    int64_t id = 0;
    size_t n = 0;

    in.actor_type = "api_key";
    in.action = "contact.delete";
    in.object_type = "contact";
    assert_ok(store_audit_append(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_ok(store_audit_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, id);
    assert_int_equal(rows[0].tenant_id, w->a->tenant_id);
}

static void case_audit_list(struct world *w)
{
    struct audit_entry *rows = NULL;
    size_t n = 99;

    assert_ok(store_audit_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 0);
    n = 99;
    assert_ok(store_audit_list(w->st, w->a, w->b_audit + 1, 1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

/* ---- the table ------------------------------------------------------------------------------ */

#define CASE(fn)                                                                                   \
    {                                                                                              \
        "store_" #fn, case_##fn                                                                    \
    }

static const struct isolation_case cases[] = {
    CASE(companies_create),
    CASE(companies_get),
    CASE(companies_find_by_domain),
    CASE(companies_candidates),
    CASE(companies_by_zip),
    CASE(companies_sector_counts),
    CASE(companies_list),
    CASE(companies_update),
    CASE(companies_delete),
    CASE(contacts_create),
    CASE(contacts_get),
    CASE(contacts_find_by_email),
    CASE(contacts_find_by_phone),
    CASE(contacts_find_by_name),
    CASE(contacts_by_zip),
    CASE(contacts_list),
    CASE(contacts_update),
    CASE(contacts_delete),
    CASE(contacts_count),
    CASE(lists_create),
    CASE(lists_get),
    CASE(lists_find_by_name),
    CASE(lists_list),
    CASE(lists_update),
    CASE(lists_delete),
    CASE(lists_add_member),
    CASE(lists_remove_member),
    CASE(lists_members),
    CASE(tags_create),
    CASE(tags_get),
    CASE(tags_list),
    CASE(tags_rename),
    CASE(tags_delete),
    CASE(tags_attach),
    CASE(tags_detach),
    CASE(tags_of_contact),
    CASE(suppressions_add),
    CASE(suppressions_get),
    CASE(suppressions_check),
    CASE(suppressions_list),
    CASE(suppressions_refresh_contacts),
    CASE(suppressions_remove),
    CASE(consents_record),
    CASE(consents_latest),
    CASE(consents_list),
    CASE(audit_append),
    CASE(audit_list),
    CASE(users_create),
    CASE(users_get),
    CASE(users_find_by_email),
    CASE(users_list),
    CASE(users_set_password),
    CASE(users_update),
    CASE(users_delete),
    CASE(api_keys_create),
    CASE(api_keys_find_by_prefix),
    CASE(api_keys_get),
    CASE(api_keys_list),
    CASE(api_keys_revoke),
    CASE(api_keys_touch),
    CASE(sources_ensure),
    CASE(sources_trust),
    CASE(imports_create),
    CASE(imports_find_completed),
    CASE(imports_get),
    CASE(imports_list),
    CASE(imports_set_counts),
    CASE(imports_finish),
    CASE(imports_add_row),
    CASE(imports_rows),
    CASE(scores_record),
    CASE(scores_history),
    CASE(exports_create),
    CASE(exports_get),
    CASE(exports_add_item),
    CASE(exports_finish),
    CASE(exports_candidates),
    CASE(jobs_enqueue),
    CASE(jobs_claim),
    CASE(jobs_heartbeat),
    CASE(jobs_complete),
    CASE(jobs_fail),
    CASE(jobs_release),
    CASE(jobs_reclaim_expired),
    CASE(jobs_running_workers),
    CASE(jobs_expire_worker),
    CASE(jobs_complete_batch),
    CASE(jobs_get),
    CASE(jobs_list),
    CASE(jobs_attempts),
    CASE(jobs_retry),
    CASE(jobs_cancel),
    CASE(schedules_create),
    CASE(schedules_get),
    CASE(schedules_find_by_name),
    CASE(schedules_list),
    CASE(schedules_remove),
    CASE(schedules_set_enabled),
    CASE(schedules_due),
    CASE(schedules_mark_fired),
    CASE(pipelines_create),
    CASE(pipelines_get),
    CASE(pipelines_find_by_name),
    CASE(pipelines_list),
    CASE(pipelines_remove),
    CASE(pipeline_runs_start),
    CASE(pipeline_runs_get),
    CASE(pipeline_runs_list),
    CASE(pipeline_runs_steps),
    CASE(pipeline_runs_begin_step),
    CASE(pipeline_runs_add_chunk),
    CASE(pipeline_runs_get_chunk),
    CASE(pipeline_runs_finish_chunk),
    CASE(pipeline_runs_finish_step),
    CASE(pipeline_runs_finish),
    CASE(pipeline_runs_charge),
};

/*
 * The repository functions declared in the aggregate headers, written out by hand. Taking
 * each function's address makes a removed or renamed function a compile error here.
 */
#define DECLARED(fn)                                                                               \
    {                                                                                              \
#fn, (void (*)(void))fn                                                                    \
    }

static const struct {
    const char *name;
    void (*address)(void);
} expected_functions[] = {
    DECLARED(store_companies_create),
    DECLARED(store_companies_get),
    DECLARED(store_companies_find_by_domain),
    DECLARED(store_companies_candidates),
    DECLARED(store_companies_by_zip),
    DECLARED(store_companies_sector_counts),
    DECLARED(store_companies_list),
    DECLARED(store_companies_update),
    DECLARED(store_companies_delete),
    DECLARED(store_contacts_create),
    DECLARED(store_contacts_get),
    DECLARED(store_contacts_find_by_email),
    DECLARED(store_contacts_find_by_phone),
    DECLARED(store_contacts_find_by_name),
    DECLARED(store_contacts_by_zip),
    DECLARED(store_contacts_list),
    DECLARED(store_contacts_update),
    DECLARED(store_contacts_delete),
    DECLARED(store_contacts_count),
    DECLARED(store_lists_create),
    DECLARED(store_lists_get),
    DECLARED(store_lists_find_by_name),
    DECLARED(store_lists_list),
    DECLARED(store_lists_update),
    DECLARED(store_lists_delete),
    DECLARED(store_lists_add_member),
    DECLARED(store_lists_remove_member),
    DECLARED(store_lists_members),
    DECLARED(store_tags_create),
    DECLARED(store_tags_get),
    DECLARED(store_tags_list),
    DECLARED(store_tags_rename),
    DECLARED(store_tags_delete),
    DECLARED(store_tags_attach),
    DECLARED(store_tags_detach),
    DECLARED(store_tags_of_contact),
    DECLARED(store_suppressions_add),
    DECLARED(store_suppressions_get),
    DECLARED(store_suppressions_check),
    DECLARED(store_suppressions_list),
    DECLARED(store_suppressions_refresh_contacts),
    DECLARED(store_suppressions_remove),
    DECLARED(store_consents_record),
    DECLARED(store_consents_latest),
    DECLARED(store_consents_list),
    DECLARED(store_audit_append),
    DECLARED(store_audit_list),
    DECLARED(store_users_create),
    DECLARED(store_users_get),
    DECLARED(store_users_find_by_email),
    DECLARED(store_users_list),
    DECLARED(store_users_set_password),
    DECLARED(store_users_update),
    DECLARED(store_users_delete),
    DECLARED(store_api_keys_create),
    DECLARED(store_api_keys_find_by_prefix),
    DECLARED(store_api_keys_get),
    DECLARED(store_api_keys_list),
    DECLARED(store_api_keys_revoke),
    DECLARED(store_api_keys_touch),
    DECLARED(store_sources_ensure),
    DECLARED(store_sources_trust),
    DECLARED(store_imports_create),
    DECLARED(store_imports_find_completed),
    DECLARED(store_imports_get),
    DECLARED(store_imports_list),
    DECLARED(store_imports_set_counts),
    DECLARED(store_imports_finish),
    DECLARED(store_imports_add_row),
    DECLARED(store_imports_rows),
    DECLARED(store_scores_record),
    DECLARED(store_scores_history),
    DECLARED(store_exports_create),
    DECLARED(store_exports_get),
    DECLARED(store_exports_add_item),
    DECLARED(store_exports_finish),
    DECLARED(store_exports_candidates),
    DECLARED(store_jobs_enqueue),
    DECLARED(store_jobs_claim),
    DECLARED(store_jobs_heartbeat),
    DECLARED(store_jobs_complete),
    DECLARED(store_jobs_fail),
    DECLARED(store_jobs_release),
    DECLARED(store_jobs_reclaim_expired),
    DECLARED(store_jobs_running_workers),
    DECLARED(store_jobs_expire_worker),
    DECLARED(store_jobs_complete_batch),
    DECLARED(store_jobs_get),
    DECLARED(store_jobs_list),
    DECLARED(store_jobs_attempts),
    DECLARED(store_jobs_retry),
    DECLARED(store_jobs_cancel),
    DECLARED(store_schedules_create),
    DECLARED(store_schedules_get),
    DECLARED(store_schedules_find_by_name),
    DECLARED(store_schedules_list),
    DECLARED(store_schedules_remove),
    DECLARED(store_schedules_set_enabled),
    DECLARED(store_schedules_due),
    DECLARED(store_schedules_mark_fired),
    DECLARED(store_pipelines_create),
    DECLARED(store_pipelines_get),
    DECLARED(store_pipelines_find_by_name),
    DECLARED(store_pipelines_list),
    DECLARED(store_pipelines_remove),
    DECLARED(store_pipeline_runs_start),
    DECLARED(store_pipeline_runs_get),
    DECLARED(store_pipeline_runs_list),
    DECLARED(store_pipeline_runs_steps),
    DECLARED(store_pipeline_runs_begin_step),
    DECLARED(store_pipeline_runs_add_chunk),
    DECLARED(store_pipeline_runs_get_chunk),
    DECLARED(store_pipeline_runs_finish_chunk),
    DECLARED(store_pipeline_runs_finish_step),
    DECLARED(store_pipeline_runs_finish),
    DECLARED(store_pipeline_runs_charge),
};

/*
 * The declared functions that take no tenant context because they serve every tenant at once;
 * each still has a case, which proves what it hands out is bound to the right tenant.
 * store_api_keys_find_by_prefix: authentication, before a tenant is known.
 * store_jobs_claim, store_jobs_reclaim_expired, store_jobs_running_workers,
 * store_jobs_expire_worker, store_jobs_complete_batch: the job workers, shared by all
 * tenants.
 * store_schedules_due: the scheduler, shared by all tenants.
 */
static const char *const cross_tenant_functions[] = {
    "store_api_keys_find_by_prefix", "store_jobs_claim",         "store_jobs_reclaim_expired",
    "store_jobs_running_workers",    "store_jobs_expire_worker", "store_jobs_complete_batch",
    "store_schedules_due",
};

static bool is_cross_tenant(const char *name)
{
    size_t i;

    for (i = 0; i < N_OF(cross_tenant_functions); i++)
        if (strcmp(cross_tenant_functions[i], name) == 0)
            return true;
    return false;
}

/* Whether the declaration at `decl` (up to its ';') has a `struct tenant_ctx` parameter. */
static bool takes_tenant(const char *decl)
{
    const char *end = strchr(decl, ';');
    const char *found = strstr(decl, "struct tenant_ctx");

    return found != NULL && (end == NULL || found < end);
}

/* Headers in src/store that declare no tenant-owned repository (see the file comment). */
static const char *const exempt_headers[] = {"store.h", "store_int.h", "tenants.h"};

static void run_case(void **state)
{
    struct world *w = *state;

    w->c->run(w);
    assert_b_unchanged(w);
}

static bool is_expected(const char *name)
{
    size_t i;

    for (i = 0; i < N_OF(expected_functions); i++)
        if (strcmp(expected_functions[i].name, name) == 0)
            return true;
    return false;
}

/* The table holds each declared function exactly once, and nothing else. */
static void test_table_covers_every_function(void **state)
{
    size_t i, j, n_found;

    (void)state;
    for (i = 0; i < N_OF(cases); i++) {
        if (!is_expected(cases[i].name))
            fail_msg("case %s is not a declared repository function", cases[i].name);
        for (j = i + 1; j < N_OF(cases); j++)
            if (strcmp(cases[i].name, cases[j].name) == 0)
                fail_msg("%s has two cases", cases[i].name);
    }
    for (i = 0; i < N_OF(expected_functions); i++) {
        assert_non_null(expected_functions[i].address);
        n_found = 0;
        for (j = 0; j < N_OF(cases); j++)
            n_found += strcmp(cases[j].name, expected_functions[i].name) == 0;
        if (n_found != 1)
            fail_msg("%s has no isolation case", expected_functions[i].name);
    }
    for (i = 0; i < N_OF(cross_tenant_functions); i++)
        if (!is_expected(cross_tenant_functions[i]))
            fail_msg("%s is not a declared repository function", cross_tenant_functions[i]);
    assert_int_equal(N_OF(cases), N_OF(expected_functions));
}

/*
 * Reads the aggregate headers and checks that the functions they declare (`store_xxx(`) are
 * exactly `expected_functions`: a function added to a header without an isolation case fails
 * here, and so does one without a `struct tenant_ctx` parameter unless it is one of
 * `cross_tenant_functions`. Skipped when the source tree is not where this file was compiled from.
 */
static void test_headers_declare_expected_functions(void **state)
{
#ifdef PROSPECT_SOURCE_ROOT
    const char *root = PROSPECT_SOURCE_ROOT "/";
    size_t root_len = strlen(root);
#else
    const char *root = __FILE__;
    const char *suffix = strstr(__FILE__, "tests/store/isolation_test.c");
    size_t root_len = suffix ? (size_t)(suffix - __FILE__) : 0;
#endif
    char dir_path[512], path[1024], name[128];
    struct dirent *entry;
    size_t n_declared = 0, i;
    DIR *dir;

    (void)state;
    (void)snprintf(dir_path, sizeof dir_path, "%.*ssrc/store", (int)root_len, root);
    dir = opendir(dir_path);
    if (dir == NULL) {
        fail_msg("cannot open %s; run from the build or source directory", dir_path);
    }
    for (entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
        size_t len = strlen(entry->d_name);
        bool is_exempt = false;
        char *text = NULL;
        const char *p;

        if (len < 3 || strcmp(entry->d_name + len - 2, ".h") != 0)
            continue;
        for (i = 0; i < N_OF(exempt_headers); i++)
            is_exempt = is_exempt || strcmp(entry->d_name, exempt_headers[i]) == 0;
        if (is_exempt)
            continue;
        (void)snprintf(path, sizeof path, "%s/%s", dir_path, entry->d_name);
        text = header_read_code(path);
        if (text == NULL) {
            closedir(dir);
            fail_msg("cannot read %s", path);
        }
        for (p = header_next_function(text, text, name, sizeof name); p != NULL;
             p = header_next_function(text, p + 1, name, sizeof name)) {
            const char *problem = NULL;

            n_declared++;
            if (!is_expected(name))
                problem = "has no isolation case";
            else if (!takes_tenant(p) && !is_cross_tenant(name))
                problem = "takes no tenant context and is not listed in cross_tenant_functions";
            else if (takes_tenant(p) && is_cross_tenant(name))
                problem = "takes a tenant context but is listed in cross_tenant_functions";
            if (problem != NULL) {
                char header[256];

                /* Copy the name first: closedir frees the entry. */
                (void)snprintf(header, sizeof header, "%s", entry->d_name);
                xfree(text);
                closedir(dir);
                fail_msg("%s (declared in %s) %s", name, header, problem);
            }
        }
        xfree(text);
    }
    closedir(dir);
    assert_int_equal(n_declared, N_OF(expected_functions));
}

int main(void)
{
    struct CMUnitTest tests[N_OF(cases) + 2];
    size_t i;

    for (i = 0; i < N_OF(cases); i++) {
        tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate_setup_teardown(
            run_case, world_setup, world_teardown, (void *)&cases[i]);
        tests[i].name = cases[i].name;
    }
    tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_table_covers_every_function);
    tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_headers_declare_expected_functions);
    return cmocka_run_group_tests_name("store/isolation", tests, NULL, NULL);
}
