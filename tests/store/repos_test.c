/*
 * Functional tests of the tenant-owned repositories (companies, contacts, lists, tags,
 * suppressions, consents, audit) against a real SQLite file: round trips of every field,
 * keyset pages, whitelisted partial updates and their refusals, and the relations between
 * aggregates. Cross-tenant behaviour is the subject of isolation_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/audit.h"
#include "store/companies.h"
#include "store/consents.h"
#include "store/contacts.h"
#include "store/lists.h"
#include "store/suppressions.h"
#include "store/tags.h"

#include <stdio.h>
#include <string.h>

/* assert_store_ok evaluates its argument more than once (a create would run twice), so calls
 * are passed through a variable first. */
#define assert_ok(call, fx)                                                                        \
    do {                                                                                           \
        enum pr_code rc_ = (call);                                                                 \
        assert_store_ok(rc_, fx);                                                                  \
    } while (0)

#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

/* Strings that may be NULL are equal when both are NULL or both hold the same text. */
#define assert_opt_string_equal(actual, expected)                                                  \
    do {                                                                                           \
        const char *actual_ = (actual), *expected_ = (expected);                                   \
        if (expected_ == NULL)                                                                     \
            assert_null(actual_);                                                                  \
        else                                                                                       \
            assert_string_equal(actual_, expected_);                                               \
    } while (0)

/* rc is `code` and the message mentions `word` (e.g. the refused field's name). */
#define assert_error_mentions(rc, fx, code, word)                                                  \
    do {                                                                                           \
        assert_int_equal((rc), (code));                                                            \
        if (strstr((fx)->err.message, (word)) == NULL)                                             \
            fail_msg("message '%s' does not mention '%s'", (fx)->err.message, (word));             \
    } while (0)

static struct company full_company(void)
{
    struct company c = {0};

    c.name = "Acme Widgets, Inc.";
    c.name_folded = "acme widgets";
    c.domain = "acme.example";
    c.website = "https://www.acme.example/";
    c.phone = "+15555550100";
    c.industry = "Manufacturing";
    c.sic = "3599";
    c.naics = "332710";
    c.has_employees = true;
    c.employees = 120;
    c.has_revenue_usd = true;
    c.revenue_usd = 25000000;
    c.city = "Springfield";
    c.state = "IL";
    c.zip = "62701";
    c.country = "US";
    c.linkedin_url = "https://www.linkedin.com/company/acme";
    c.custom_fields = "{\"tier\":\"gold\"}";
    return c;
}

static struct company named_company(const char *name, const char *domain)
{
    struct company c = {0};

    c.name = (char *)name;
    c.name_folded = (char *)name;
    c.domain = (char *)domain;
    return c;
}

static struct contact full_contact(int64_t company_id)
{
    struct contact c = {0};

    c.has_company = true;
    c.company_id = company_id;
    c.first_name = "Jo";
    c.last_name = "Smith";
    c.full_name = "Jo Smith";
    c.email = "Jo.Smith@Acme.example";
    c.email_norm = "jo.smith@acme.example";
    c.phone = "(555) 555-0101";
    c.phone_e164 = "+15555550101";
    c.title = "VP Operations";
    c.city = "Springfield";
    c.state = "IL";
    c.zip = "62701";
    c.country = "US";
    c.linkedin_url = "https://www.linkedin.com/in/josmith";
    c.source = "csv:leads.csv";
    c.has_score = true;
    c.score = 72;
    c.is_suppressed = false;
    c.custom_fields = "{\"lead\":\"warm\"}";
    return c;
}

static struct contact named_contact(const char *email_norm)
{
    struct contact c = {0};

    c.email = (char *)email_norm;
    c.email_norm = (char *)email_norm;
    return c;
}

static void assert_company_equal(const struct company *a, const struct company *b)
{
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->tenant_id, b->tenant_id);
    assert_opt_string_equal(a->name, b->name);
    assert_opt_string_equal(a->name_folded, b->name_folded);
    assert_opt_string_equal(a->domain, b->domain);
    assert_opt_string_equal(a->website, b->website);
    assert_opt_string_equal(a->phone, b->phone);
    assert_opt_string_equal(a->industry, b->industry);
    assert_opt_string_equal(a->sic, b->sic);
    assert_opt_string_equal(a->naics, b->naics);
    assert_int_equal(a->has_employees, b->has_employees);
    assert_int_equal(a->employees, b->employees);
    assert_int_equal(a->has_revenue_usd, b->has_revenue_usd);
    assert_int_equal(a->revenue_usd, b->revenue_usd);
    assert_opt_string_equal(a->city, b->city);
    assert_opt_string_equal(a->state, b->state);
    assert_opt_string_equal(a->zip, b->zip);
    assert_opt_string_equal(a->country, b->country);
    assert_opt_string_equal(a->linkedin_url, b->linkedin_url);
    assert_opt_string_equal(a->custom_fields, b->custom_fields);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->updated_at, b->updated_at);
}

static void assert_contact_equal(const struct contact *a, const struct contact *b)
{
    assert_int_equal(a->id, b->id);
    assert_int_equal(a->tenant_id, b->tenant_id);
    assert_int_equal(a->has_company, b->has_company);
    assert_int_equal(a->company_id, b->company_id);
    assert_opt_string_equal(a->first_name, b->first_name);
    assert_opt_string_equal(a->last_name, b->last_name);
    assert_opt_string_equal(a->full_name, b->full_name);
    assert_opt_string_equal(a->email, b->email);
    assert_opt_string_equal(a->email_norm, b->email_norm);
    assert_opt_string_equal(a->phone, b->phone);
    assert_opt_string_equal(a->phone_e164, b->phone_e164);
    assert_opt_string_equal(a->title, b->title);
    assert_opt_string_equal(a->city, b->city);
    assert_opt_string_equal(a->state, b->state);
    assert_opt_string_equal(a->zip, b->zip);
    assert_opt_string_equal(a->country, b->country);
    assert_opt_string_equal(a->linkedin_url, b->linkedin_url);
    assert_opt_string_equal(a->source, b->source);
    assert_int_equal(a->has_score, b->has_score);
    assert_int_equal(a->score, b->score);
    assert_int_equal(a->is_suppressed, b->is_suppressed);
    assert_opt_string_equal(a->custom_fields, b->custom_fields);
    assert_int_equal(a->created_at, b->created_at);
    assert_int_equal(a->updated_at, b->updated_at);
}

static int64_t make_company(struct store_fixture *fx, const struct tenant_ctx *t, const char *name,
                            const char *domain)
{
    struct company in = named_company(name, domain);
    int64_t id = 0;

    assert_ok(store_companies_create(fx->st, t, &in, &id, &fx->err), fx);
    return id;
}

static int64_t make_contact(struct store_fixture *fx, const struct tenant_ctx *t,
                            const char *email_norm)
{
    struct contact in = named_contact(email_norm);
    int64_t id = 0;

    assert_ok(store_contacts_create(fx->st, t, &in, &id, &fx->err), fx);
    return id;
}

/* ---- companies ---------------------------------------------------------------------------- */

static void test_companies_create_get_find(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct company in = full_company(), out, expected, minimal = named_company("Bare", NULL);
    int64_t id = 0, bare_id = 0, now = clock_now_ms(&fx->clock);

    assert_ok(store_companies_create(fx->st, a, &in, &id, &fx->err), fx);
    assert_true(id > 0);
    assert_ok(store_companies_get(fx->st, a, id, fx->arena, &out, &fx->err), fx);
    expected = in;
    expected.id = id;
    expected.tenant_id = a->tenant_id;
    expected.created_at = now;
    expected.updated_at = now;
    assert_company_equal(&out, &expected);

    assert_ok(store_companies_find_by_domain(fx->st, a, "acme.example", fx->arena, &out, &fx->err),
              fx);
    assert_company_equal(&out, &expected);
    assert_int_equal(
        store_companies_find_by_domain(fx->st, a, "nobody.example", fx->arena, &out, &fx->err),
        PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "company not found");

    /* Optional fields stay NULL, custom_fields defaults to an empty object. */
    assert_ok(store_companies_create(fx->st, a, &minimal, &bare_id, &fx->err), fx);
    assert_ok(store_companies_get(fx->st, a, bare_id, fx->arena, &out, &fx->err), fx);
    assert_null(out.domain);
    assert_null(out.sic);
    assert_false(out.has_employees);
    assert_false(out.has_revenue_usd);
    assert_string_equal(out.custom_fields, "{}");

    /* The domain is the natural key within a tenant. */
    assert_int_equal(store_companies_create(fx->st, a, &in, &id, &fx->err), PR_CONFLICT);
    assert_int_equal(store_companies_get(fx->st, a, 999999, fx->arena, &out, &fx->err),
                     PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "company not found");
}

static void test_companies_list_pages(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t ids[5], after = 0;
    size_t seen = 0, i, n_pages = 0;
    char domain[64];

    /* Tenant B's rows are interleaved so the pages must skip them. */
    for (i = 0; i < N_OF(ids); i++) {
        (void)snprintf(domain, sizeof domain, "a%zu.example", i);
        ids[i] = make_company(fx, a, "Company", domain);
        (void)snprintf(domain, sizeof domain, "b%zu.example", i);
        (void)make_company(fx, &fx->tenant_b, "Other", domain);
    }
    for (;;) {
        struct company *rows = NULL;
        size_t n = 99;

        assert_ok(store_companies_list(fx->st, a, after, 2, fx->arena, &rows, &n, &fx->err), fx);
        if (n == 0)
            break;
        assert_true(n <= 2);
        n_pages++;
        for (i = 0; i < n; i++) {
            assert_true(seen < N_OF(ids));
            assert_int_equal(rows[i].id, ids[seen]);
            assert_int_equal(rows[i].tenant_id, a->tenant_id);
            seen++;
        }
        after = rows[n - 1].id;
    }
    assert_int_equal(seen, N_OF(ids));
    assert_int_equal(n_pages, 3);
}

static void test_companies_update(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct company in = full_company(), before, after;
    int64_t id = 0;
    static const char *const not_updatable[] = {"tenant_id", "id", "created_at", "updated_at",
                                                "name = 'x', tenant_id"};
    struct store_field change[] = {
        {"name", "Acme Holdings"}, {"employees", "250"}, {"domain", NULL}, {"city", "Peoria"}};
    size_t i;

    assert_ok(store_companies_create(fx->st, a, &in, &id, &fx->err), fx);
    assert_ok(store_companies_get(fx->st, a, id, fx->arena, &before, &fx->err), fx);
    clock_fake_advance(&fx->clock, 5000);
    assert_ok(store_companies_update(fx->st, a, id, change, N_OF(change), &fx->err), fx);
    assert_ok(store_companies_get(fx->st, a, id, fx->arena, &after, &fx->err), fx);
    assert_string_equal(after.name, "Acme Holdings");
    assert_true(after.has_employees);
    assert_int_equal(after.employees, 250);
    assert_null(after.domain);
    assert_string_equal(after.city, "Peoria");
    assert_int_equal(after.updated_at, before.updated_at + 5000);
    /* Untouched fields keep their values. */
    before.name = after.name;
    before.employees = after.employees;
    before.domain = after.domain;
    before.city = after.city;
    before.updated_at = after.updated_at;
    assert_company_equal(&after, &before);

    for (i = 0; i < N_OF(not_updatable); i++) {
        struct store_field f[] = {{not_updatable[i], "1"}};

        assert_error_mentions(store_companies_update(fx->st, a, id, f, 1, &fx->err), fx, PR_INVALID,
                              not_updatable[i]);
    }
    {
        struct store_field bad_int[] = {{"employees", "12x"}};
        struct store_field null_name[] = {{"name", NULL}};
        struct store_field null_custom[] = {{"custom_fields", NULL}};
        struct store_field negative[] = {{"employees", "-1"}};
        struct store_field twice[] = {{"city", "A"}, {"city", "B"}};

        assert_error_mentions(store_companies_update(fx->st, a, id, bad_int, 1, &fx->err), fx,
                              PR_INVALID, "employees");
        assert_error_mentions(store_companies_update(fx->st, a, id, null_name, 1, &fx->err), fx,
                              PR_INVALID, "name");
        assert_error_mentions(store_companies_update(fx->st, a, id, null_custom, 1, &fx->err), fx,
                              PR_INVALID, "custom_fields");
        assert_int_equal(store_companies_update(fx->st, a, id, negative, 1, &fx->err), PR_INVALID);
        assert_error_mentions(store_companies_update(fx->st, a, id, twice, 2, &fx->err), fx,
                              PR_INVALID, "city");
        assert_int_equal(store_companies_update(fx->st, a, id, NULL, 0, &fx->err), PR_INVALID);
        assert_int_equal(store_companies_update(fx->st, a, 999999, change, 1, &fx->err),
                         PR_NOT_FOUND);
        assert_string_equal(fx->err.message, "company not found");
    }
    /* None of the refused updates changed the row. */
    assert_ok(store_companies_get(fx->st, a, id, fx->arena, &before, &fx->err), fx);
    assert_company_equal(&before, &after);
}

static void test_companies_delete_detaches_contacts(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t acme = make_company(fx, a, "Acme", "acme.example");
    int64_t other = make_company(fx, a, "Other", "other.example");
    int64_t jo, al, ed, n = 0;
    struct contact in = named_contact("jo@acme.example"), out;
    struct company company;

    in.has_company = true;
    in.company_id = acme;
    assert_ok(store_contacts_create(fx->st, a, &in, &jo, &fx->err), fx);
    in.email_norm = in.email = "al@acme.example";
    assert_ok(store_contacts_create(fx->st, a, &in, &al, &fx->err), fx);
    in.email_norm = in.email = "ed@other.example";
    in.company_id = other;
    assert_ok(store_contacts_create(fx->st, a, &in, &ed, &fx->err), fx);

    /* Inside a caller's transaction the delete joins it and a rollback undoes it all. */
    assert_ok(store_begin(fx->st, &fx->err), fx);
    assert_ok(store_companies_delete(fx->st, a, acme, &fx->err), fx);
    store_rollback(fx->st);
    assert_ok(store_companies_get(fx->st, a, acme, fx->arena, &company, &fx->err), fx);
    assert_ok(store_contacts_get(fx->st, a, jo, fx->arena, &out, &fx->err), fx);
    assert_true(out.has_company);

    clock_fake_advance(&fx->clock, 1000);
    assert_ok(store_companies_delete(fx->st, a, acme, &fx->err), fx);
    assert_int_equal(store_companies_get(fx->st, a, acme, fx->arena, &company, &fx->err),
                     PR_NOT_FOUND);
    assert_ok(store_contacts_get(fx->st, a, jo, fx->arena, &out, &fx->err), fx);
    assert_false(out.has_company);
    assert_int_equal(out.updated_at, clock_now_ms(&fx->clock));
    assert_ok(store_contacts_get(fx->st, a, al, fx->arena, &out, &fx->err), fx);
    assert_false(out.has_company);
    assert_ok(store_contacts_get(fx->st, a, ed, fx->arena, &out, &fx->err), fx);
    assert_true(out.has_company);
    assert_int_equal(out.company_id, other);
    assert_ok(store_contacts_count(fx->st, a, &n, &fx->err), fx);
    assert_int_equal(n, 3);

    assert_int_equal(store_companies_delete(fx->st, a, acme, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "company not found");
    /* The failed delete left no transaction open. */
    assert_ok(store_begin(fx->st, &fx->err), fx);
    assert_ok(store_commit(fx->st, &fx->err), fx);
}

/* ---- contacts ----------------------------------------------------------------------------- */

static void test_contacts_create_get_find(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t company = make_company(fx, a, "Acme", "acme.example");
    struct contact in = full_contact(company), out, expected;
    struct contact no_identity = {0}, bad_company = named_contact("x@acme.example");
    int64_t id = 0, n = 0, now = clock_now_ms(&fx->clock);

    assert_ok(store_contacts_create(fx->st, a, &in, &id, &fx->err), fx);
    assert_ok(store_contacts_get(fx->st, a, id, fx->arena, &out, &fx->err), fx);
    expected = in;
    expected.id = id;
    expected.tenant_id = a->tenant_id;
    expected.created_at = now;
    expected.updated_at = now;
    assert_contact_equal(&out, &expected);
    assert_ok(
        store_contacts_find_by_email(fx->st, a, "jo.smith@acme.example", fx->arena, &out, &fx->err),
        fx);
    assert_contact_equal(&out, &expected);
    assert_int_equal(
        store_contacts_find_by_email(fx->st, a, "nobody@acme.example", fx->arena, &out, &fx->err),
        PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "contact not found");

    /* Natural key, identity rule and company reference are enforced. */
    assert_int_equal(store_contacts_create(fx->st, a, &in, &id, &fx->err), PR_CONFLICT);
    assert_int_equal(store_contacts_create(fx->st, a, &no_identity, &id, &fx->err), PR_INVALID);
    bad_company.has_company = true;
    bad_company.company_id = 999999;
    assert_int_equal(store_contacts_create(fx->st, a, &bad_company, &id, &fx->err), PR_CONFLICT);
    assert_ok(store_contacts_count(fx->st, a, &n, &fx->err), fx);
    assert_int_equal(n, 1);

    /* Defaults: no company, no score, not suppressed, empty custom fields. */
    id = make_contact(fx, a, "plain@acme.example");
    assert_ok(store_contacts_get(fx->st, a, id, fx->arena, &out, &fx->err), fx);
    assert_false(out.has_company);
    assert_false(out.has_score);
    assert_false(out.is_suppressed);
    assert_string_equal(out.custom_fields, "{}");
    assert_ok(store_contacts_count(fx->st, a, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_ok(store_contacts_count(fx->st, &fx->tenant_b, &n, &fx->err), fx);
    assert_int_equal(n, 0);
}

static void test_contacts_list_pages(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t ids[5], after = 0;
    size_t seen = 0, i, n_pages = 0;
    char email[64];

    for (i = 0; i < N_OF(ids); i++) {
        (void)snprintf(email, sizeof email, "a%zu@a.example", i);
        ids[i] = make_contact(fx, a, email);
        (void)snprintf(email, sizeof email, "b%zu@b.example", i);
        (void)make_contact(fx, &fx->tenant_b, email);
    }
    for (;;) {
        struct contact *rows = NULL;
        size_t n = 99;

        assert_ok(store_contacts_list(fx->st, a, after, 2, fx->arena, &rows, &n, &fx->err), fx);
        if (n == 0)
            break;
        assert_true(n <= 2);
        n_pages++;
        for (i = 0; i < n; i++) {
            assert_true(seen < N_OF(ids));
            assert_int_equal(rows[i].id, ids[seen]);
            assert_int_equal(rows[i].tenant_id, a->tenant_id);
            seen++;
        }
        after = rows[n - 1].id;
    }
    assert_int_equal(seen, N_OF(ids));
    assert_int_equal(n_pages, 3);
}

static void test_contacts_update_delete(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    int64_t company = make_company(fx, a, "Acme", "acme.example");
    struct contact in = full_contact(company), before, after;
    int64_t id = 0, n = 0;
    struct store_field change[] = {{"title", "COO"},
                                   {"score", "80"},
                                   {"is_suppressed", "1"},
                                   {"company_id", NULL},
                                   {"custom_fields", "{\"x\":1}"}};
    static const char *const not_updatable[] = {"tenant_id", "id", "created_at", "updated_at",
                                                "email_norm=NULL--"};
    size_t i;

    assert_ok(store_contacts_create(fx->st, a, &in, &id, &fx->err), fx);
    assert_ok(store_contacts_get(fx->st, a, id, fx->arena, &before, &fx->err), fx);
    clock_fake_advance(&fx->clock, 2000);
    assert_ok(store_contacts_update(fx->st, a, id, change, N_OF(change), &fx->err), fx);
    assert_ok(store_contacts_get(fx->st, a, id, fx->arena, &after, &fx->err), fx);
    assert_string_equal(after.title, "COO");
    assert_true(after.has_score);
    assert_int_equal(after.score, 80);
    assert_true(after.is_suppressed);
    assert_false(after.has_company);
    assert_string_equal(after.custom_fields, "{\"x\":1}");
    assert_int_equal(after.updated_at, before.updated_at + 2000);
    before.title = after.title;
    before.score = after.score;
    before.is_suppressed = after.is_suppressed;
    before.has_company = after.has_company;
    before.company_id = after.company_id;
    before.custom_fields = after.custom_fields;
    before.updated_at = after.updated_at;
    assert_contact_equal(&after, &before);

    for (i = 0; i < N_OF(not_updatable); i++) {
        struct store_field f[] = {{not_updatable[i], "1"}};

        assert_error_mentions(store_contacts_update(fx->st, a, id, f, 1, &fx->err), fx, PR_INVALID,
                              not_updatable[i]);
    }
    {
        struct store_field bad_int[] = {{"score", "eighty"}};
        struct store_field null_flag[] = {{"is_suppressed", NULL}};
        struct store_field out_of_range[] = {{"score", "101"}};
        struct store_field bad_company[] = {{"company_id", "999999"}};
        struct store_field bad_phone[] = {{"phone_e164", "555-0101"}};

        assert_error_mentions(store_contacts_update(fx->st, a, id, bad_int, 1, &fx->err), fx,
                              PR_INVALID, "score");
        assert_error_mentions(store_contacts_update(fx->st, a, id, null_flag, 1, &fx->err), fx,
                              PR_INVALID, "is_suppressed");
        assert_int_equal(store_contacts_update(fx->st, a, id, out_of_range, 1, &fx->err),
                         PR_INVALID);
        assert_int_equal(store_contacts_update(fx->st, a, id, bad_company, 1, &fx->err),
                         PR_CONFLICT);
        assert_int_equal(store_contacts_update(fx->st, a, id, bad_phone, 1, &fx->err), PR_INVALID);
        assert_int_equal(store_contacts_update(fx->st, a, 999999, change, 1, &fx->err),
                         PR_NOT_FOUND);
        assert_string_equal(fx->err.message, "contact not found");
    }
    assert_ok(store_contacts_get(fx->st, a, id, fx->arena, &before, &fx->err), fx);
    assert_contact_equal(&before, &after);

    assert_ok(store_contacts_delete(fx->st, a, id, &fx->err), fx);
    assert_int_equal(store_contacts_get(fx->st, a, id, fx->arena, &after, &fx->err), PR_NOT_FOUND);
    assert_int_equal(store_contacts_delete(fx->st, a, id, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "contact not found");
    assert_ok(store_contacts_count(fx->st, a, &n, &fx->err), fx);
    assert_int_equal(n, 0);
}

/* ---- lists -------------------------------------------------------------------------------- */

static void test_lists_crud(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct contact_list list, *rows = NULL;
    int64_t zeta = 0, alpha = 0, id = 0, now = clock_now_ms(&fx->clock);
    size_t n = 0;
    struct store_field rename[] = {{"name", "Beta"}, {"description", "Renamed"}};
    struct store_field not_updatable[] = {{"tenant_id", "1"}};
    struct store_field null_description[] = {{"description", NULL}};

    assert_ok(store_lists_create(fx->st, a, "Zeta", "Trade show", &zeta, &fx->err), fx);
    assert_ok(store_lists_create(fx->st, a, "Alpha", NULL, &alpha, &fx->err), fx);
    assert_ok(store_lists_get(fx->st, a, zeta, fx->arena, &list, &fx->err), fx);
    assert_int_equal(list.id, zeta);
    assert_int_equal(list.tenant_id, a->tenant_id);
    assert_string_equal(list.name, "Zeta");
    assert_string_equal(list.description, "Trade show");
    assert_int_equal(list.n_members, 0);
    assert_int_equal(list.created_at, now);
    assert_ok(store_lists_find_by_name(fx->st, a, "Alpha", fx->arena, &list, &fx->err), fx);
    assert_int_equal(list.id, alpha);
    assert_string_equal(list.description, "");
    assert_int_equal(store_lists_find_by_name(fx->st, a, "alpha", fx->arena, &list, &fx->err),
                     PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "list not found");
    assert_int_equal(store_lists_create(fx->st, a, "Zeta", NULL, &id, &fx->err), PR_CONFLICT);
    assert_int_equal(store_lists_create(fx->st, a, "", NULL, &id, &fx->err), PR_INVALID);

    /* By name. */
    assert_ok(store_lists_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "Alpha");
    assert_string_equal(rows[1].name, "Zeta");

    assert_ok(store_lists_update(fx->st, a, zeta, rename, N_OF(rename), &fx->err), fx);
    assert_ok(store_lists_get(fx->st, a, zeta, fx->arena, &list, &fx->err), fx);
    assert_string_equal(list.name, "Beta");
    assert_string_equal(list.description, "Renamed");
    assert_error_mentions(store_lists_update(fx->st, a, zeta, not_updatable, 1, &fx->err), fx,
                          PR_INVALID, "tenant_id");
    assert_error_mentions(store_lists_update(fx->st, a, zeta, null_description, 1, &fx->err), fx,
                          PR_INVALID, "description");
    assert_int_equal(store_lists_update(fx->st, a, 999999, rename, 1, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "list not found");

    assert_ok(store_lists_delete(fx->st, a, zeta, &fx->err), fx);
    assert_int_equal(store_lists_get(fx->st, a, zeta, fx->arena, &list, &fx->err), PR_NOT_FOUND);
    assert_int_equal(store_lists_delete(fx->st, a, zeta, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "list not found");
}

static void test_lists_membership(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct contact_list list, *rows = NULL;
    int64_t list_id = 0, other_id = 0, c1, c2, c3, *ids = NULL, after = 0;
    size_t n = 0, seen = 0;

    c1 = make_contact(fx, a, "c1@a.example");
    c2 = make_contact(fx, a, "c2@a.example");
    c3 = make_contact(fx, a, "c3@a.example");
    assert_ok(store_lists_create(fx->st, a, "Main", NULL, &list_id, &fx->err), fx);
    assert_ok(store_lists_create(fx->st, a, "Other", NULL, &other_id, &fx->err), fx);

    /* Adding twice is not an error and does not count twice. */
    assert_ok(store_lists_add_member(fx->st, a, list_id, c1, &fx->err), fx);
    assert_ok(store_lists_add_member(fx->st, a, list_id, c1, &fx->err), fx);
    assert_ok(store_lists_get(fx->st, a, list_id, fx->arena, &list, &fx->err), fx);
    assert_int_equal(list.n_members, 1);
    assert_ok(store_lists_add_member(fx->st, a, list_id, c3, &fx->err), fx);
    assert_ok(store_lists_add_member(fx->st, a, list_id, c2, &fx->err), fx);
    assert_ok(store_lists_add_member(fx->st, a, other_id, c2, &fx->err), fx);
    assert_ok(store_lists_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, list_id);
    assert_int_equal(rows[0].n_members, 3);
    assert_int_equal(rows[1].id, other_id);
    assert_int_equal(rows[1].n_members, 1);

    /* Keyset pages of member ids, ascending. */
    for (;;) {
        assert_ok(store_lists_members(fx->st, a, list_id, after, 2, fx->arena, &ids, &n, &fx->err),
                  fx);
        if (n == 0)
            break;
        assert_true(n <= 2);
        for (size_t i = 0; i < n; i++) {
            int64_t expected[] = {c1, c2, c3};

            assert_true(seen < 3);
            assert_int_equal(ids[i], expected[seen]);
            seen++;
        }
        after = ids[n - 1];
    }
    assert_int_equal(seen, 3);

    assert_int_equal(store_lists_add_member(fx->st, a, list_id, 999999, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "contact not found");
    assert_int_equal(store_lists_add_member(fx->st, a, 999999, c1, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "list not found");
    assert_int_equal(store_lists_members(fx->st, a, 999999, 0, 10, fx->arena, &ids, &n, &fx->err),
                     PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "list not found");

    assert_ok(store_lists_remove_member(fx->st, a, list_id, c3, &fx->err), fx);
    assert_int_equal(store_lists_remove_member(fx->st, a, list_id, c3, &fx->err), PR_NOT_FOUND);
    assert_ok(store_lists_get(fx->st, a, list_id, fx->arena, &list, &fx->err), fx);
    assert_int_equal(list.n_members, 2);

    /* Deleting a contact takes it off every list; deleting a list keeps the contacts. */
    assert_ok(store_contacts_delete(fx->st, a, c2, &fx->err), fx);
    assert_ok(store_lists_get(fx->st, a, list_id, fx->arena, &list, &fx->err), fx);
    assert_int_equal(list.n_members, 1);
    assert_ok(store_lists_get(fx->st, a, other_id, fx->arena, &list, &fx->err), fx);
    assert_int_equal(list.n_members, 0);
    assert_ok(store_lists_delete(fx->st, a, list_id, &fx->err), fx);
    assert_ok(store_contacts_count(fx->st, a, &after, &fx->err), fx);
    assert_int_equal(after, 2);
}

/* ---- tags --------------------------------------------------------------------------------- */

static void test_tags(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct tag tag, *rows = NULL;
    int64_t vip = 0, cold = 0, id = 0, contact, now = clock_now_ms(&fx->clock);
    size_t n = 0;

    contact = make_contact(fx, a, "jo@a.example");
    assert_ok(store_tags_create(fx->st, a, "vip", &vip, &fx->err), fx);
    assert_ok(store_tags_create(fx->st, a, "cold", &cold, &fx->err), fx);
    assert_int_equal(store_tags_create(fx->st, a, "vip", &id, &fx->err), PR_CONFLICT);
    assert_ok(store_tags_get(fx->st, a, vip, fx->arena, &tag, &fx->err), fx);
    assert_int_equal(tag.id, vip);
    assert_int_equal(tag.tenant_id, a->tenant_id);
    assert_string_equal(tag.name, "vip");
    assert_int_equal(tag.created_at, now);
    assert_ok(store_tags_list(fx->st, a, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "cold");
    assert_string_equal(rows[1].name, "vip");

    assert_ok(store_tags_rename(fx->st, a, cold, "warm", &fx->err), fx);
    assert_ok(store_tags_get(fx->st, a, cold, fx->arena, &tag, &fx->err), fx);
    assert_string_equal(tag.name, "warm");
    assert_int_equal(store_tags_rename(fx->st, a, cold, "vip", &fx->err), PR_CONFLICT);
    assert_int_equal(store_tags_rename(fx->st, a, 999999, "x", &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "tag not found");

    /* Attaching twice is not an error; tags of a contact come by name. */
    assert_ok(store_tags_attach(fx->st, a, vip, contact, &fx->err), fx);
    assert_ok(store_tags_attach(fx->st, a, vip, contact, &fx->err), fx);
    assert_ok(store_tags_attach(fx->st, a, cold, contact, &fx->err), fx);
    assert_ok(store_tags_of_contact(fx->st, a, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_string_equal(rows[0].name, "vip");
    assert_string_equal(rows[1].name, "warm");
    assert_int_equal(store_tags_attach(fx->st, a, 999999, contact, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "tag not found");
    assert_int_equal(store_tags_attach(fx->st, a, vip, 999999, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "contact not found");

    assert_ok(store_tags_detach(fx->st, a, vip, contact, &fx->err), fx);
    assert_int_equal(store_tags_detach(fx->st, a, vip, contact, &fx->err), PR_NOT_FOUND);
    assert_ok(store_tags_of_contact(fx->st, a, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, cold);

    /* Deleting a tag removes its assignments. */
    assert_ok(store_tags_delete(fx->st, a, cold, &fx->err), fx);
    assert_int_equal(store_tags_get(fx->st, a, cold, fx->arena, &tag, &fx->err), PR_NOT_FOUND);
    assert_int_equal(store_tags_delete(fx->st, a, cold, &fx->err), PR_NOT_FOUND);
    assert_ok(store_tags_of_contact(fx->st, a, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 0);
}

/* ---- suppressions ------------------------------------------------------------------------- */

static void test_suppressions(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct suppression s, *rows = NULL;
    int64_t id = 0, again = 0, phone = 0, domain = 0, now = clock_now_ms(&fx->clock);
    bool was_new = false, is_suppressed = true;
    size_t n = 0;

    assert_ok(store_suppressions_add(fx->st, a, "email", "jo@a.example", "unsubscribe", "link", &id,
                                     &was_new, &fx->err),
              fx);
    assert_true(was_new);
    clock_fake_advance(&fx->clock, 1000);
    assert_ok(store_suppressions_add(fx->st, a, "email", "jo@a.example", "bounce", "smtp", &again,
                                     &was_new, &fx->err),
              fx);
    assert_false(was_new);
    assert_int_equal(again, id);
    assert_int_equal(fx->err.code, PR_OK);
    assert_ok(store_suppressions_add(fx->st, a, "email", "jo@a.example", "bounce", "smtp", &again,
                                     NULL, &fx->err),
              fx);
    assert_int_equal(again, id);

    /* The first entry is kept as it was. */
    assert_ok(store_suppressions_get(fx->st, a, id, fx->arena, &s, &fx->err), fx);
    assert_int_equal(s.id, id);
    assert_int_equal(s.tenant_id, a->tenant_id);
    assert_string_equal(s.kind, "email");
    assert_string_equal(s.value, "jo@a.example");
    assert_string_equal(s.reason, "unsubscribe");
    assert_string_equal(s.source, "link");
    assert_int_equal(s.created_at, now);

    assert_ok(
        store_suppressions_check(fx->st, a, "email", "jo@a.example", &is_suppressed, &fx->err), fx);
    assert_true(is_suppressed);
    assert_ok(
        store_suppressions_check(fx->st, a, "email", "al@a.example", &is_suppressed, &fx->err), fx);
    assert_false(is_suppressed);
    assert_ok(
        store_suppressions_check(fx->st, a, "domain", "jo@a.example", &is_suppressed, &fx->err),
        fx);
    assert_false(is_suppressed);

    assert_ok(store_suppressions_add(fx->st, a, "phone", "+15555550101", "do_not_call", "call",
                                     &phone, &was_new, &fx->err),
              fx);
    assert_true(was_new);
    assert_ok(store_suppressions_add(fx->st, a, "domain", "competitor.example", "manual", "ui",
                                     &domain, &was_new, &fx->err),
              fx);
    assert_int_equal(
        store_suppressions_add(fx->st, a, "fax", "1", "manual", "ui", &again, &was_new, &fx->err),
        PR_INVALID);
    assert_int_equal(store_suppressions_add(fx->st, a, "email", "x@a.example", "because", "ui",
                                            &again, &was_new, &fx->err),
                     PR_INVALID);

    assert_ok(store_suppressions_list(fx->st, a, NULL, 0, 2, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, id);
    assert_int_equal(rows[1].id, phone);
    assert_ok(store_suppressions_list(fx->st, a, NULL, phone, 2, fx->arena, &rows, &n, &fx->err),
              fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, domain);
    assert_ok(store_suppressions_list(fx->st, a, "phone", 0, 0, fx->arena, &rows, &n, &fx->err),
              fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, phone);

    assert_ok(store_suppressions_remove(fx->st, a, id, &fx->err), fx);
    assert_int_equal(store_suppressions_remove(fx->st, a, id, &fx->err), PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "suppression not found");
    assert_int_equal(store_suppressions_get(fx->st, a, id, fx->arena, &s, &fx->err), PR_NOT_FOUND);
    assert_ok(
        store_suppressions_check(fx->st, a, "email", "jo@a.example", &is_suppressed, &fx->err), fx);
    assert_false(is_suppressed);
    /* Re-adding after a removal makes a new entry. */
    assert_ok(store_suppressions_add(fx->st, a, "email", "jo@a.example", "manual", "ui", &again,
                                     &was_new, &fx->err),
              fx);
    assert_true(was_new);
    assert_true(again != id);
}

/* ---- consents ----------------------------------------------------------------------------- */

static void test_consents(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct consent latest, *rows = NULL;
    int64_t contact = make_contact(fx, a, "jo@a.example"), first = 0, second = 0, third = 0;
    int64_t t0 = clock_now_ms(&fx->clock);
    bool found = true;
    size_t n = 0;

    assert_ok(
        store_consents_latest(fx->st, a, contact, "email", fx->arena, &latest, &found, &fx->err),
        fx);
    assert_false(found);
    assert_ok(store_consents_record(fx->st, a, contact, "email", "granted", "web form",
                                    "{\"ip\":\"192.0.2.1\"}", &first, &fx->err),
              fx);
    clock_fake_advance(&fx->clock, 60000);
    assert_ok(store_consents_record(fx->st, a, contact, "email", "revoked", "unsubscribe", NULL,
                                    &second, &fx->err),
              fx);
    assert_ok(
        store_consents_latest(fx->st, a, contact, "email", fx->arena, &latest, &found, &fx->err),
        fx);
    assert_true(found);
    assert_int_equal(latest.id, second);
    assert_int_equal(latest.tenant_id, a->tenant_id);
    assert_int_equal(latest.contact_id, contact);
    assert_string_equal(latest.channel, "email");
    assert_string_equal(latest.status, "revoked");
    assert_string_equal(latest.source, "unsubscribe");
    assert_null(latest.evidence);
    assert_int_equal(latest.recorded_at, t0 + 60000);

    /* Two records in the same millisecond: the later one wins. */
    assert_ok(store_consents_record(fx->st, a, contact, "email", "granted", "support", NULL, &third,
                                    &fx->err),
              fx);
    assert_ok(
        store_consents_latest(fx->st, a, contact, "email", fx->arena, &latest, &found, &fx->err),
        fx);
    assert_int_equal(latest.id, third);
    assert_string_equal(latest.status, "granted");

    /* Channels are independent. */
    assert_ok(
        store_consents_latest(fx->st, a, contact, "sms", fx->arena, &latest, &found, &fx->err), fx);
    assert_false(found);

    assert_ok(store_consents_list(fx->st, a, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 3);
    assert_int_equal(rows[0].id, first);
    assert_string_equal(rows[0].evidence, "{\"ip\":\"192.0.2.1\"}");
    assert_int_equal(rows[0].recorded_at, t0);
    assert_int_equal(rows[1].id, second);
    assert_int_equal(rows[2].id, third);

    assert_int_equal(
        store_consents_record(fx->st, a, 999999, "email", "granted", "x", NULL, &first, &fx->err),
        PR_NOT_FOUND);
    assert_string_equal(fx->err.message, "contact not found");
    assert_int_equal(
        store_consents_record(fx->st, a, contact, "fax", "granted", "x", NULL, &first, &fx->err),
        PR_INVALID);
    assert_int_equal(
        store_consents_record(fx->st, a, contact, "sms", "maybe", "x", NULL, &first, &fx->err),
        PR_INVALID);

    /* History goes with the contact. */
    assert_ok(store_contacts_delete(fx->st, a, contact, &fx->err), fx);
    assert_ok(store_consents_list(fx->st, a, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 0);
}

/* ---- audit -------------------------------------------------------------------------------- */

static void test_audit(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *a = &fx->tenant_a;
    struct audit_entry in = {0}, *rows = NULL;
    int64_t ids[5], before = 0, t0 = clock_now_ms(&fx->clock), id = 0;
    size_t i, n = 0, seen = 0;

    in.actor_type = "user";
    in.actor_id = "7";
    in.action = "contact.update";
    in.object_type = "contact";
    in.object_id = "42";
    in.detail = "{\"fields\":[\"title\"]}";
    in.request_id = "req-1";
    for (i = 0; i < N_OF(ids); i++) {
        assert_ok(store_audit_append(fx->st, a, &in, &ids[i], &fx->err), fx);
        clock_fake_advance(&fx->clock, 10);
    }

    /* Newest first, in pages of 2 that neither repeat nor skip. */
    for (;;) {
        assert_ok(store_audit_list(fx->st, a, before, 2, fx->arena, &rows, &n, &fx->err), fx);
        if (n == 0)
            break;
        assert_true(n <= 2);
        for (i = 0; i < n; i++) {
            assert_true(seen < N_OF(ids));
            assert_int_equal(rows[i].id, ids[N_OF(ids) - 1 - seen]);
            seen++;
        }
        before = rows[n - 1].id;
    }
    assert_int_equal(seen, N_OF(ids));

    assert_ok(store_audit_list(fx->st, a, 0, 1, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, ids[4]);
    assert_int_equal(rows[0].tenant_id, a->tenant_id);
    assert_string_equal(rows[0].actor_type, "user");
    assert_string_equal(rows[0].actor_id, "7");
    assert_string_equal(rows[0].action, "contact.update");
    assert_string_equal(rows[0].object_type, "contact");
    assert_string_equal(rows[0].object_id, "42");
    assert_string_equal(rows[0].detail, "{\"fields\":[\"title\"]}");
    assert_string_equal(rows[0].request_id, "req-1");
    assert_int_equal(rows[0].created_at, t0 + 40);

    /* Optional texts stay NULL; detail defaults to an empty object. */
    in.actor_type = "system";
    in.actor_id = NULL;
    in.object_id = NULL;
    in.detail = NULL;
    in.request_id = NULL;
    assert_ok(store_audit_append(fx->st, a, &in, &id, &fx->err), fx);
    assert_ok(store_audit_list(fx->st, a, 0, 1, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(rows[0].id, id);
    assert_null(rows[0].actor_id);
    assert_null(rows[0].object_id);
    assert_null(rows[0].request_id);
    assert_string_equal(rows[0].detail, "{}");
    in.actor_type = "robot";
    assert_int_equal(store_audit_append(fx->st, a, &in, &id, &fx->err), PR_INVALID);

    /* limit 0 means 50; limits above 1000 are capped. */
    in.actor_type = "cli";
    for (i = 0; i < 60; i++)
        assert_ok(store_audit_append(fx->st, a, &in, &id, &fx->err), fx);
    assert_ok(store_audit_list(fx->st, a, 0, 0, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 50);
    assert_ok(store_audit_list(fx->st, a, 0, 5000, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 66);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define REPO_TEST(f) cmocka_unit_test_setup_teardown(f, store_fixture_setup, store_fixture_teardown)
        REPO_TEST(test_companies_create_get_find),
        REPO_TEST(test_companies_list_pages),
        REPO_TEST(test_companies_update),
        REPO_TEST(test_companies_delete_detaches_contacts),
        REPO_TEST(test_contacts_create_get_find),
        REPO_TEST(test_contacts_list_pages),
        REPO_TEST(test_contacts_update_delete),
        REPO_TEST(test_lists_crud),
        REPO_TEST(test_lists_membership),
        REPO_TEST(test_tags),
        REPO_TEST(test_suppressions),
        REPO_TEST(test_consents),
        REPO_TEST(test_audit),
#undef REPO_TEST
    };

    return cmocka_run_group_tests_name("store/repos", tests, NULL, NULL);
}
