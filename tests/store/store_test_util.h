/*
 * Shared set-up for store tests: a real SQLite file in a fresh temporary directory, opened
 * with migrations applied and a fake clock, and two tenants A and B.
 */
#ifndef PROSPECT_TESTS_STORE_TEST_UTIL_H
#define PROSPECT_TESTS_STORE_TEST_UTIL_H

#include "store/store.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/error.h"

struct store_fixture {
    char dir[256];
    char db_path[300];
    struct clock clock;
    struct store *st;
    struct arena *arena;
    struct tenant_ctx tenant_a;
    struct tenant_ctx tenant_b;
    struct pr_error err;
};

/* cmocka group/setup helpers: *state becomes a struct store_fixture. */
int store_fixture_setup(void **state);
int store_fixture_teardown(void **state);

/* Asserts rc == PR_OK and prints the error otherwise. */
#define assert_store_ok(expr, fx)                                                                  \
    do {                                                                                           \
        enum pr_code rc_once_ = (expr); /* evaluate the call exactly once */                       \
        if (rc_once_ != PR_OK)                                                                     \
            print_error("store error %d: %s (%s)\n", (int)rc_once_, (fx)->err.message,             \
                        (fx)->err.detail);                                                         \
        assert_int_equal(rc_once_, PR_OK);                                                         \
    } while (0)

#endif
