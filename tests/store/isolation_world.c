/*
 * The world of one isolation case (see isolation_test.c): a fresh database where tenant B has
 * a row of every aggregate with its relations, and tenant A a few rows of its own to attempt
 * cross-tenant links with (B's and A's jobs are seeded in isolation_jobs.c, their schedules in
 * isolation_schedules.c, their pipelines and runs in isolation_pipelines.c). B's snapshots are
 * taken right after the seed.
 */
#include "isolation_snapshot.h"

#include "store/audit.h"
#include "store/consents.h"
#include "store/exports.h"
#include "store/imports.h"
#include "store/lists.h"
#include "store/scores.h"
#include "store/sources.h"
#include "store/suppressions.h"
#include "store/tags.h"
#include "store/users.h"
#include "util/mem.h"

struct company world_company(const char *name, const char *domain)
{
    struct company c = {0};

    c.name = (char *)name;
    c.name_folded = (char *)name;
    c.domain = (char *)domain;
    c.website = "https://www.example/";
    c.phone = "+49301234567";
    c.industry = "Software";
    c.sic = "7372";
    c.naics = "511210";
    c.has_employees = true;
    c.employees = 40;
    c.has_revenue_usd = true;
    c.revenue_usd = 9000000;
    c.city = "Berlin";
    c.state = "BE";
    c.zip = "10115";
    c.country = "DE";
    c.linkedin_url = "https://www.linkedin.com/company/example";
    c.sector = "technology";
    c.county = "Berlin";
    c.provenance = "{\"name\":{\"source\":\"csv:b.csv\",\"at\":1764000000000}}";
    c.custom_fields = "{\"tier\":\"gold\"}";
    return c;
}

struct contact world_contact(const char *email_norm, bool has_company, int64_t company_id)
{
    struct contact c = {0};

    c.has_company = has_company;
    c.company_id = company_id;
    c.first_name = "Jo";
    c.last_name = "Example";
    c.full_name = "Jo Example";
    c.email = (char *)email_norm;
    c.email_norm = (char *)email_norm;
    c.phone = "030 1234568";
    c.phone_e164 = PHONE_B;
    c.title = "CTO";
    c.city = "Berlin";
    c.state = "BE";
    c.zip = "10115";
    c.country = "DE";
    c.linkedin_url = "https://www.linkedin.com/in/jo";
    c.source = SOURCE_B;
    c.has_score = true;
    c.score = 88;
    c.is_suppressed = true;
    c.phone_type = "fixed_line";
    c.phone_region = "DE";
    c.time_zone = "Europe/Berlin";
    c.email_is_role = true;
    c.email_is_free = true;
    c.name_folded = NAME_B;
    c.score_breakdown = "{\"title\":40,\"size\":48}";
    c.provenance = "{\"email\":{\"source\":\"csv:b.csv\",\"at\":1764000000000}}";
    c.has_last_contacted = true;
    c.last_contacted_at = 1763000000000;
    c.custom_fields = "{\"lead\":\"hot\"}";
    return c;
}

/* B's imports: a completed one with a row of every outcome, and a running one. */
static void seed_b_imports(struct world *w)
{
    struct store_fixture *fx = w->fx;
    static const struct import_counts counts = {5, 1, 1, 1, 1, 1};
    struct import_row rows[] = {
        {2, "accepted", true, 0, NULL, NULL},
        {3, "merged", true, 0, NULL, NULL},
        {4, "duplicate", true, 0, NULL, NULL},
        {5, "suppressed", false, 0, NULL, NULL},
        {6, "rejected", false, 0, "invalid e-mail", "Jo,Example,not-an-email"},
    };
    struct import_row running_row = {2, "accepted", true, 0, NULL, NULL};
    size_t i;

    rows[0].contact_id = w->b_contact;
    rows[1].contact_id = w->b_contact_solo;
    rows[2].contact_id = w->b_contact;
    running_row.contact_id = w->b_contact_solo;
    assert_ok(store_imports_create(w->st, w->b, "b.csv", SHA256_B, 1234, SOURCE_B, true, w->b_list,
                                   "{\"Email\":\"email\"}", &w->b_import, &fx->err),
              fx);
    for (i = 0; i < N_OF(rows); i++)
        assert_ok(store_imports_add_row(w->st, w->b, w->b_import, &rows[i], &fx->err), fx);
    assert_ok(store_imports_set_counts(w->st, w->b, w->b_import, &counts, &fx->err), fx);
    assert_ok(store_imports_finish(w->st, w->b, w->b_import, true, NULL, &fx->err), fx);
    assert_ok(store_imports_create(w->st, w->b, "more.csv", SHA256_OTHER, 99, "csv:more.csv", false,
                                   0, NULL, &w->b_import_running, &fx->err),
              fx);
    assert_ok(store_imports_add_row(w->st, w->b, w->b_import_running, &running_row, &fx->err), fx);
}

static void seed(struct world *w)
{
    struct store_fixture *fx = w->fx;
    struct company company;
    struct contact contact;
    struct audit_entry entry = {0};
    bool was_new = false;

    /* Tenant B: one row of every aggregate, with relations. */
    assert_ok(store_users_create(w->st, w->b, "Boss@B.example", "boss@b.example", "Boss", "owner",
                                 PASSWORD_HASH, &w->b_user, &fx->err),
              fx);
    assert_ok(store_api_keys_create(w->st, w->b, "ci", "bbbbbbbb", TOKEN_HASH_B, "read,write",
                                    &w->b_key, &fx->err),
              fx);
    company = world_company("B GmbH", "b.example");
    assert_ok(store_companies_create(w->st, w->b, &company, &w->b_company, &fx->err), fx);
    contact = world_contact("jo@b.example", true, w->b_company);
    assert_ok(store_contacts_create(w->st, w->b, &contact, &w->b_contact, &fx->err), fx);
    contact = world_contact("sam@b.example", false, 0);
    contact.phone_e164 = PHONE_B_SOLO;
    contact.name_folded = NAME_B_SOLO;
    contact.is_suppressed = false;
    contact.score = 60;
    contact.has_last_contacted = false;
    assert_ok(store_contacts_create(w->st, w->b, &contact, &w->b_contact_solo, &fx->err), fx);
    assert_ok(store_lists_create(w->st, w->b, "Shared name", "B's list", &w->b_list, &fx->err), fx);
    assert_ok(store_lists_add_member(w->st, w->b, w->b_list, w->b_contact, &fx->err), fx);
    assert_ok(store_lists_add_member(w->st, w->b, w->b_list, w->b_contact_solo, &fx->err), fx);
    assert_ok(store_tags_create(w->st, w->b, "vip", &w->b_tag, &fx->err), fx);
    assert_ok(store_tags_attach(w->st, w->b, w->b_tag, w->b_contact, &fx->err), fx);
    assert_ok(store_suppressions_add(w->st, w->b, "email", "jo@b.example", "unsubscribe", "link",
                                     &w->b_suppression, &was_new, &fx->err),
              fx);
    assert_ok(store_consents_record(w->st, w->b, w->b_contact, "email", "granted", "web form",
                                    "{\"ip\":\"192.0.2.7\"}", &w->b_consent, &fx->err),
              fx);
    entry.actor_type = "user";
    entry.actor_id = "boss";
    entry.action = "contact.create";
    entry.object_type = "contact";
    entry.object_id = "1";
    entry.detail = "{\"via\":\"import\"}";
    entry.request_id = "req-b";
    assert_ok(store_audit_append(w->st, w->b, &entry, &w->b_audit, &fx->err), fx);
    assert_ok(store_sources_ensure(w->st, w->b, SOURCE_B, 80, true, NULL, &fx->err), fx);
    seed_b_imports(w);
    assert_ok(store_scores_record(w->st, w->b, w->b_contact, 91, "{\"title\":45,\"size\":46}",
                                  "icp-b-1", &fx->err),
              fx);
    assert_ok(store_exports_create(w->st, w->b, "hubspot", true, w->b_list, true, 50, &w->b_export,
                                   &fx->err),
              fx);
    assert_ok(store_exports_add_item(w->st, w->b, w->b_export, w->b_contact_solo, &fx->err), fx);
    assert_ok(store_exports_finish(w->st, w->b, w->b_export, 1, 0, &fx->err), fx);
    clock_fake_advance(&fx->clock, 1000);
    assert_ok(store_api_keys_touch(w->st, w->b, w->b_key, &fx->err), fx);

    /* Tenant A: rows of its own to link with B's. A's contact shares neither B's phone nor
     * B's names, and is not suppressed, so lookups and candidates could only find B's by
     * leaking. */
    assert_ok(store_users_create(w->st, w->a, "al@a.example", "al@a.example", "Al", "admin", NULL,
                                 &w->a_user, &fx->err),
              fx);
    assert_ok(store_api_keys_create(w->st, w->a, "ci", "aaaaaaaa", TOKEN_HASH_A, "read", &w->a_key,
                                    &fx->err),
              fx);
    company = world_company("A Inc", "a.example");
    assert_ok(store_companies_create(w->st, w->a, &company, &w->a_company, &fx->err), fx);
    contact = world_contact("al@a.example", false, 0);
    contact.phone_e164 = "+15555550123";
    contact.name_folded = "al example";
    contact.is_suppressed = false;
    contact.has_last_contacted = false;
    assert_ok(store_contacts_create(w->st, w->a, &contact, &w->a_contact, &fx->err), fx);
    assert_ok(store_lists_create(w->st, w->a, "A list", NULL, &w->a_list, &fx->err), fx);
    assert_ok(store_tags_create(w->st, w->a, "a-tag", &w->a_tag, &fx->err), fx);
    assert_ok(store_imports_create(w->st, w->a, "a.csv", SHA256_OTHER, 10, "csv:a.csv", false, 0,
                                   NULL, &w->a_import, &fx->err),
              fx);
    assert_ok(
        store_exports_create(w->st, w->a, "generic", false, 0, false, 0, &w->a_export, &fx->err),
        fx);
    seed_jobs(w);
    seed_schedules(w);
    seed_pipelines(w);
}

int world_setup(void **state)
{
    struct world *w = xcalloc(1, sizeof *w);
    void *fx_state = NULL;
    int rc = store_fixture_setup(&fx_state);

    if (rc != 0) {
        xfree(w);
        return rc;
    }
    w->c = *state;
    w->fx = fx_state;
    w->st = w->fx->st;
    w->arena = w->fx->arena;
    w->a = &w->fx->tenant_a;
    w->b = &w->fx->tenant_b;
    buf_init(&w->scratch, 1 << 20);
    *state = w;
    assert_int_equal(sqlite3_open_v2(w->fx->db_path, &w->raw_db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    seed(w);
    w->b_view_before = b_view(w);
    w->b_rows_before = b_rows(w);
    /* Anything that touches B's rows from here on changes a time stamp. */
    clock_fake_advance(&w->fx->clock, 3600 * 1000);
    return 0;
}

int world_teardown(void **state)
{
    struct world *w = *state;
    void *fx_state = w->fx;

    sqlite3_finalize(w->raw_stmt);
    sqlite3_close(w->raw_db);
    buf_free(&w->scratch);
    xfree(w);
    return store_fixture_teardown(&fx_state);
}
