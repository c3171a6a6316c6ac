/*
 * API key use cases over a real database: issue, authenticate (constant-time hash check,
 * revocation at once, suspended tenants), users with argon2id passwords, and the audit trail.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "app/keys.h"
#include "app/users.h"
#include "app/workspace.h"
#include "core/access.h"
#include "store/audit.h"
#include "store/users.h"
#include "store/store_int.h"

#include <string.h>

static struct app app_for(struct store_fixture *fx)
{
    struct app app = {fx->st, &fx->clock, NULL, NULL};
    return app;
}

static const struct app_actor cli_actor = {"cli", "tester", NULL};

static void test_issue_and_authenticate(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct app_new_key key;
    struct app_principal who;
    char forged[APP_KEY_TOKEN_SIZE];

    assert_store_ok(
        app_keys_create(&app, &cli_actor, &fx->tenant_b, "crm", "read,write", &key, &fx->err), fx);
    assert_int_equal(strlen(key.token), 61);
    assert_int_equal(strncmp(key.token, "prospect_", 9), 0);
    assert_store_ok(app_keys_authenticate(&app, key.token, &who, &fx->err), fx);
    assert_int_equal(who.tenant_id, fx->tenant_b.tenant_id);
    assert_int_equal(who.key_id, key.id);
    assert_true(access_scopes_allow(who.scopes, ACCESS_SCOPE_WRITE));
    assert_false(access_scopes_allow(who.scopes, ACCESS_SCOPE_ADMIN));

    /* Same prefix, different secret; wrong shapes; all the same answer. */
    memcpy(forged, key.token, sizeof forged);
    forged[40] = forged[40] == 'a' ? 'b' : 'a';
    assert_int_equal(app_keys_authenticate(&app, forged, &who, &fx->err), PR_AUTH);
    assert_string_equal(fx->err.message, "invalid API key");
    assert_int_equal(app_keys_authenticate(&app, "", &who, &fx->err), PR_AUTH);
    assert_int_equal(app_keys_authenticate(&app, "prospect_", &who, &fx->err), PR_AUTH);
    assert_int_equal(app_keys_authenticate(&app, "Bearer x", &who, &fx->err), PR_AUTH);
    assert_string_equal(fx->err.message, "invalid API key");
}

static void test_revocation_is_immediate(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct app_new_key key;
    struct app_principal who;

    assert_store_ok(app_keys_create(&app, &cli_actor, &fx->tenant_a, "ci", "read", &key, &fx->err),
                    fx);
    assert_store_ok(app_keys_authenticate(&app, key.token, &who, &fx->err), fx);
    /* Tenant B cannot revoke tenant A's key. */
    assert_int_equal(app_keys_revoke(&app, &cli_actor, &fx->tenant_b, key.id, &fx->err),
                     PR_NOT_FOUND);
    assert_store_ok(app_keys_authenticate(&app, key.token, &who, &fx->err), fx);
    assert_store_ok(app_keys_revoke(&app, &cli_actor, &fx->tenant_a, key.id, &fx->err), fx);
    assert_int_equal(app_keys_authenticate(&app, key.token, &who, &fx->err), PR_AUTH);
}

static void test_suspended_tenant_is_refused(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct app_new_key key;
    struct app_principal who;

    assert_store_ok(app_keys_create(&app, &cli_actor, &fx->tenant_a, "ci", "read", &key, &fx->err),
                    fx);
    assert_store_ok(store__exec(fx->st, "UPDATE tenants SET status = 'suspended' WHERE id = ?",
                                STORE_PARAMS(STORE_INT(fx->tenant_a.tenant_id)), &fx->err),
                    fx);
    assert_int_equal(app_keys_authenticate(&app, key.token, &who, &fx->err), PR_AUTH);
}

static void test_bad_key_requests(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct app_new_key key;

    assert_int_equal(app_keys_create(&app, &cli_actor, &fx->tenant_a, "x", "root", &key, &fx->err),
                     PR_INVALID);
    assert_int_equal(app_keys_create(&app, &cli_actor, &fx->tenant_a, "", "read", &key, &fx->err),
                     PR_INVALID);
}

static void test_users_and_passwords(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct user user;
    int64_t id = 0;

    assert_int_equal(app_users_create(&app, &cli_actor, &fx->tenant_a, "a@x.io", "A", "member",
                                      "short", &id, &fx->err),
                     PR_INVALID);
    assert_int_equal(app_users_create(&app, &cli_actor, &fx->tenant_a, "not-an-email", "A",
                                      "member", "long enough password", &id, &fx->err),
                     PR_INVALID);
    assert_store_ok(app_users_create(&app, &cli_actor, &fx->tenant_a, " Ann@X.io ", "Ann", "admin",
                                     "long enough password", &id, &fx->err),
                    fx);
    assert_int_equal(app_users_create(&app, &cli_actor, &fx->tenant_a, "ann@x.io", "Ann", "admin",
                                      "long enough password", &id, &fx->err),
                     PR_CONFLICT);
    assert_store_ok(
        store_users_find_by_email(fx->st, &fx->tenant_a, "ann@x.io", fx->arena, &user, &fx->err),
        fx);
    assert_non_null(strstr(user.password_hash, "$argon2id$"));
    assert_null(strstr(user.password_hash, "long enough"));
    assert_store_ok(app_users_set_password(&app, &cli_actor, &fx->tenant_a, "ANN@x.io",
                                           "another long password", &fx->err),
                    fx);
    /* The same e-mail in tenant B does not exist. */
    assert_int_equal(app_users_set_password(&app, &cli_actor, &fx->tenant_b, "ann@x.io",
                                            "another long password", &fx->err),
                     PR_NOT_FOUND);
}

static void test_actions_are_audited(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct app_new_key key;
    struct audit_entry *entries = NULL;
    size_t n = 0;

    assert_store_ok(app_keys_create(&app, &cli_actor, &fx->tenant_a, "ci", "read", &key, &fx->err),
                    fx);
    assert_store_ok(app_keys_revoke(&app, &cli_actor, &fx->tenant_a, key.id, &fx->err), fx);
    assert_store_ok(
        store_audit_list(fx->st, &fx->tenant_a, 0, 10, fx->arena, &entries, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_string_equal(entries[0].action, "api_key.revoke");
    assert_string_equal(entries[1].action, "api_key.create");
    assert_string_equal(entries[1].actor_type, "cli");
    assert_string_equal(entries[1].actor_id, "tester");
    assert_null(strstr(entries[1].detail, key.token + 18)); /* never the secret */
    assert_store_ok(
        store_audit_list(fx->st, &fx->tenant_b, 0, 10, fx->arena, &entries, &n, &fx->err), fx);
    assert_int_equal(n, 0);
}

static void test_workspace_init_only_once(void **state)
{
    struct store_fixture *fx = *state;
    struct app app = app_for(fx);
    struct app_new_key key;
    int64_t tenant_id = 0;

    /* The fixture already has tenants, so init refuses. */
    assert_int_equal(app_workspace_init(&app, &cli_actor, "default", "Default", "admin", &tenant_id,
                                        &key, &fx->err),
                     PR_CONFLICT);
    assert_non_null(strstr(fx->err.message, "already initialized"));
    assert_int_equal(
        app_tenant_create(&app, &cli_actor, "Bad_Slug", "x", NULL, &tenant_id, &fx->err),
        PR_INVALID);
    assert_int_equal(
        app_tenant_create(&app, &cli_actor, "tenant-a", "x", NULL, &tenant_id, &fx->err),
        PR_CONFLICT);
    assert_int_equal(app_tenant_create(&app, &cli_actor, "c", "C", "U1", &tenant_id, &fx->err),
                     PR_INVALID);
    assert_store_ok(app_tenant_create(&app, &cli_actor, "c", "C", "gb", &tenant_id, &fx->err), fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_issue_and_authenticate, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_revocation_is_immediate, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_suspended_tenant_is_refused, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bad_key_requests, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_users_and_passwords, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_actions_are_audited, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_workspace_init_only_once, store_fixture_setup,
                                        store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
