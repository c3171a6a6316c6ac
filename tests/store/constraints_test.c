/*
 * CHECK, UNIQUE, NOT NULL and FOREIGN KEY violations surface as clean errors (a code, a
 * message naming the rule or the field, the database text only in `detail`), never crashes,
 * and leave the database usable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/api_keys.h"
#include "store/companies.h"
#include "store/contacts.h"
#include "store/suppressions.h"
#include "store/tenants.h"
#include "store/users.h"

#include <string.h>

#define HASH64 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static void expect_error(struct store_fixture *fx, enum pr_code rc, enum pr_code want,
                         const char *message_part)
{
    if (rc != want || strstr(fx->err.message, message_part) == NULL)
        print_error("got %d \"%s\", want %d with \"%s\"\n", (int)rc, fx->err.message, (int)want,
                    message_part);
    assert_int_equal(rc, want);
    assert_non_null(strstr(fx->err.message, message_part));
    /* SQLite's own words stay in the detail, out of the user-facing message. */
    assert_null(strstr(fx->err.message, "sqlite"));
    assert_non_null(strstr(fx->err.detail, "sqlite"));
}

static void test_check_violations(void **state)
{
    struct store_fixture *fx = *state;
    struct tenant_ctx *a = &fx->tenant_a;
    struct contact c = {0};
    struct store_field score = {"score", "101"};
    int64_t id = 0;
    bool was_new;

    expect_error(fx, store_tenants_create(fx->st, "Bad Slug", "x", "US", &id, &fx->err), PR_INVALID,
                 "tenants_slug_format");
    expect_error(fx, store_tenants_create(fx->st, "ok", "x", "usa", &id, &fx->err), PR_INVALID,
                 "tenants_phone_region_format");
    expect_error(
        fx, store_users_create(fx->st, a, "u@x.io", "u@x.io", "U", "root", NULL, &id, &fx->err),
        PR_INVALID, "users_role_enum");
    expect_error(
        fx,
        store_users_create(fx->st, a, "u@x.io", "u@x.io", "U", "member", "plain", &id, &fx->err),
        PR_INVALID, "users_password_hash_format");
    expect_error(fx, store_api_keys_create(fx->st, a, "k", "SHORT", HASH64, "read", &id, &fx->err),
                 PR_INVALID, "api_keys_prefix_format");
    expect_error(fx,
                 store_api_keys_create(fx->st, a, "k", "abcd1234", HASH64, "root", &id, &fx->err),
                 PR_INVALID, "api_keys_scopes_enum");
    expect_error(
        fx,
        store_suppressions_add(fx->st, a, "fax", "123", "manual", "test", &id, &was_new, &fx->err),
        PR_INVALID, "suppressions_kind_enum");
    c.email = "p@x.io";
    c.email_norm = "p@x.io";
    assert_store_ok(store_contacts_create(fx->st, a, &c, &id, &fx->err), fx);
    expect_error(fx, store_contacts_update(fx->st, a, id, &score, 1, &fx->err), PR_INVALID,
                 "contacts_score_range");
    c.email = NULL;
    c.email_norm = NULL; /* no identity at all */
    expect_error(fx, store_contacts_create(fx->st, a, &c, &id, &fx->err), PR_INVALID,
                 "contacts_identity_present");
    c.full_name = "Pat";
    c.phone_e164 = "4155550100"; /* not E.164 */
    expect_error(fx, store_contacts_create(fx->st, a, &c, &id, &fx->err), PR_INVALID,
                 "contacts_phone_e164_format");
}

static void test_unique_violations(void **state)
{
    struct store_fixture *fx = *state;
    struct contact c = {0};
    struct company co = {0};
    int64_t id = 0;

    expect_error(fx, store_tenants_create(fx->st, "tenant-a", "again", "US", &id, &fx->err),
                 PR_CONFLICT, "tenants: a row with the same slug already exists");
    c.email = "Dup@Example.com";
    c.email_norm = "dup@example.com";
    assert_store_ok(store_contacts_create(fx->st, &fx->tenant_a, &c, &id, &fx->err), fx);
    expect_error(fx, store_contacts_create(fx->st, &fx->tenant_a, &c, &id, &fx->err), PR_CONFLICT,
                 "contacts: a row with the same email already exists");
    /* The same natural key in another tenant is fine. */
    assert_store_ok(store_contacts_create(fx->st, &fx->tenant_b, &c, &id, &fx->err), fx);
    co.name = "Acme";
    co.name_folded = "acme";
    co.domain = "acme.com";
    assert_store_ok(store_companies_create(fx->st, &fx->tenant_a, &co, &id, &fx->err), fx);
    expect_error(fx, store_companies_create(fx->st, &fx->tenant_a, &co, &id, &fx->err), PR_CONFLICT,
                 "companies: a row with the same domain already exists");
    /* API key prefixes are unique across tenants (they are the lookup handle). */
    assert_store_ok(store_api_keys_create(fx->st, &fx->tenant_a, "k", "abcd1234", HASH64, "read",
                                          &id, &fx->err),
                    fx);
    expect_error(fx,
                 store_api_keys_create(fx->st, &fx->tenant_b, "k", "abcd1234", HASH64, "read", &id,
                                       &fx->err),
                 PR_CONFLICT, "api_keys: a row with the same prefix already exists");
}

static void test_not_null_and_foreign_keys(void **state)
{
    struct store_fixture *fx = *state;
    struct company co = {0};
    struct contact c = {0};
    int64_t company_b = 0, id = 0;

    expect_error(fx, store_tenants_create(fx->st, "x", NULL, "US", &id, &fx->err), PR_INVALID,
                 "tenants.name is required");
    co.name = "Beta";
    co.name_folded = "beta";
    assert_store_ok(store_companies_create(fx->st, &fx->tenant_b, &co, &company_b, &fx->err), fx);
    /* Tenant A cannot point its contact at tenant B's company: the composite key refuses it. */
    c.email = "x@y.io";
    c.email_norm = "x@y.io";
    c.has_company = true;
    c.company_id = company_b;
    expect_error(fx, store_contacts_create(fx->st, &fx->tenant_a, &c, &id, &fx->err), PR_CONFLICT,
                 "refers to a row that does not exist");
    /* The connection is still usable afterwards. */
    c.has_company = false;
    assert_store_ok(store_contacts_create(fx->st, &fx->tenant_a, &c, &id, &fx->err), fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_check_violations, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unique_violations, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_not_null_and_foreign_keys, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
