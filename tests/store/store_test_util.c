/* Fixture for store tests: temporary database file, fake clock, two tenants. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/tenants.h"
#include "util/crypto.h"
#include "util/mem.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int store_fixture_setup(void **state)
{
    struct store_fixture *fx = xcalloc(1, sizeof *fx);
    struct store_options opt = {0};
    int64_t id = 0;

    assert_int_equal(crypto_init(&fx->err), PR_OK);
    (void)snprintf(fx->dir, sizeof fx->dir, "/tmp/prospect-store-test-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    (void)snprintf(fx->db_path, sizeof fx->db_path, "%s/test.db", fx->dir);
    clock_fake_init(&fx->clock, 1764000000000);
    opt.path = fx->db_path;
    opt.busy_timeout_ms = 2000;
    opt.create = true;
    opt.migrate = true;
    opt.clock = &fx->clock;
    assert_int_equal(store_open(&opt, &fx->st, &fx->err), PR_OK);
    fx->arena = arena_new(0);
    assert_int_equal(store_tenants_create(fx->st, "tenant-a", "Tenant A", "US", &id, &fx->err),
                     PR_OK);
    fx->tenant_a.tenant_id = id;
    assert_int_equal(store_tenants_create(fx->st, "tenant-b", "Tenant B", "DE", &id, &fx->err),
                     PR_OK);
    fx->tenant_b.tenant_id = id;
    *state = fx;
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

int store_fixture_teardown(void **state)
{
    struct store_fixture *fx = *state;

    store_close(fx->st);
    arena_free(fx->arena);
    (void)nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    xfree(fx);
    return 0;
}
