/*
 * Opening, migrations and backup on real SQLite files: migrations apply once and re-run as a
 * no-op, a changed checksum or an unknown migration stops start-up with a clear message, a
 * pending migration without --migrate is refused, bad files are clean errors.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/tenants.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static struct store_options options_for(struct store_fixture *fx, const char *path, bool create,
                                        bool migrate)
{
    struct store_options opt = {path, 2000, create, migrate, &fx->clock};
    return opt;
}

/* Runs one SQL statement on the file with a plain SQLite connection (tampering). */
static void raw_exec(const char *path, const char *sql)
{
    sqlite3 *db = NULL;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
}

static int64_t raw_count(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    int64_t n;

    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &stmt, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
    n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    return n;
}

static void test_applied_once_then_noop(void **state)
{
    struct store_fixture *fx = *state;
    struct store_options opt = options_for(fx, fx->db_path, false, true);
    struct store *again = NULL;
    int n_applied = -1;

    assert_int_equal(store_schema_version(fx->st), store_schema_latest());
    assert_true(store_schema_latest() >= 1);
    assert_int_equal(raw_count(fx->db_path, "SELECT count(*) FROM schema_migrations"),
                     store_schema_latest());
    assert_int_equal(raw_count(fx->db_path, "SELECT count(*) FROM schema_migrations "
                                            "WHERE length(checksum) = 64"),
                     store_schema_latest());
    /* A second open and an explicit migrate change nothing. */
    clock_fake_advance(&fx->clock, 60000);
    assert_int_equal(store_open(&opt, &again, &fx->err), PR_OK);
    assert_store_ok(store_migrate(again, &n_applied, &fx->err), fx);
    assert_int_equal(n_applied, 0);
    store_close(again);
    assert_int_equal(raw_count(fx->db_path, "SELECT count(*) FROM schema_migrations "
                                            "WHERE applied_at = 1764000000000"),
                     store_schema_latest());
}

static void test_changed_checksum_refuses_start(void **state)
{
    struct store_fixture *fx = *state;
    struct store_options opt = options_for(fx, fx->db_path, false, true);
    struct store *again = NULL;

    raw_exec(fx->db_path, "UPDATE schema_migrations SET checksum = '"
                          "0123456789abcdef"
                          "0123456789abcdef0123456789abcdef0123456789abcdef' WHERE version = 1");
    assert_int_equal(store_open(&opt, &again, &fx->err), PR_SCHEMA);
    assert_null(again);
    assert_non_null(strstr(fx->err.message, "migration 1 (init) changed after it was applied"));
    assert_non_null(strstr(fx->err.hint, "new numbered migration"));
    assert_non_null(strstr(fx->err.detail, "checksum in database 0123456789abcdef"));
    /* Without migrating, start-up refuses too. */
    opt.migrate = false;
    assert_int_equal(store_open(&opt, &again, &fx->err), PR_SCHEMA);
}

static void test_unknown_migration_refuses_start(void **state)
{
    struct store_fixture *fx = *state;
    struct store_options opt = options_for(fx, fx->db_path, false, true);
    struct store *again = NULL;

    raw_exec(fx->db_path, "INSERT INTO schema_migrations VALUES (9999, 'future', 'x', 1)");
    assert_int_equal(store_open(&opt, &again, &fx->err), PR_SCHEMA);
    assert_non_null(strstr(fx->err.message, "migration 9999 (future)"));
    assert_non_null(strstr(fx->err.hint, "upgrade prospect"));
}

static void test_pending_without_migrate_is_refused(void **state)
{
    struct store_fixture *fx = *state;
    char path[400];
    struct store_options opt;
    struct store *st = NULL;

    (void)snprintf(path, sizeof path, "%s/empty.db", fx->dir);
    opt = options_for(fx, path, true, false);
    assert_int_equal(store_open(&opt, &st, &fx->err), PR_SCHEMA);
    assert_non_null(strstr(fx->err.message, "at version 0"));
    assert_non_null(strstr(fx->err.hint, "prospect migrate"));
    opt.migrate = true;
    assert_int_equal(store_open(&opt, &st, &fx->err), PR_OK);
    assert_int_equal(store_schema_version(st), store_schema_latest());
    store_close(st);
}

static void test_bad_files(void **state)
{
    struct store_fixture *fx = *state;
    char path[400];
    struct store_options opt;
    struct store *st = NULL;
    FILE *f;

    (void)snprintf(path, sizeof path, "%s/missing.db", fx->dir);
    opt = options_for(fx, path, false, true);
    assert_int_equal(store_open(&opt, &st, &fx->err), PR_NOT_FOUND);
    assert_non_null(strstr(fx->err.hint, "prospect init"));
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */

    (void)snprintf(path, sizeof path, "%s/garbage.db", fx->dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("this is not a database, just some text that is long enough to have a header ....\n"
          "more text more text more text more text more text more text more text more text\n",
          f);
    fclose(f);
    opt = options_for(fx, path, false, true);
    assert_int_equal(store_open(&opt, &st, &fx->err), PR_IO);
    assert_non_null(strstr(fx->err.message, "not a Prospect database"));

    opt = options_for(fx, fx->dir, false, true); /* a directory */
    assert_int_equal(store_open(&opt, &st, &fx->err), PR_IO);
    assert_non_null(strstr(fx->err.message, "not a regular file"));

    opt = options_for(fx, "/nonexistent-dir/x/prospect.db", true, true);
    assert_int_equal(store_open(&opt, &st, &fx->err), PR_IO);
    assert_non_null(strstr(fx->err.message, "cannot open the database"));
}

static void test_backup(void **state)
{
    struct store_fixture *fx = *state;
    char path[400];
    struct store_options opt;
    struct store *copy = NULL;
    struct tenant tenant;

    (void)snprintf(path, sizeof path, "%s/backup.db", fx->dir);
    assert_store_ok(store_backup(fx->st, path, &fx->err), fx);
    assert_int_equal(store_backup(fx->st, path, &fx->err), PR_CONFLICT);
    assert_non_null(strstr(fx->err.hint, "never overwrites"));
    opt = options_for(fx, path, false, false);
    assert_store_ok(store_open(&opt, &copy, &fx->err), fx);
    assert_store_ok(store_tenants_get_by_slug(copy, "tenant-b", fx->arena, &tenant, &fx->err), fx);
    assert_string_equal(tenant.name, "Tenant B");
    store_close(copy);
    (void)snprintf(path, sizeof path, "%s/no-such-dir/backup.db", fx->dir);
    assert_int_equal(store_backup(fx->st, path, &fx->err), PR_IO);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_applied_once_then_noop, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_changed_checksum_refuses_start, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_unknown_migration_refuses_start, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_pending_without_migrate_is_refused,
                                        store_fixture_setup, store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_bad_files, store_fixture_setup,
                                        store_fixture_teardown),
        cmocka_unit_test_setup_teardown(test_backup, store_fixture_setup, store_fixture_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
