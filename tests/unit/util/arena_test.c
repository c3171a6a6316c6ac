/* Arena allocator: alignment, growth, big allocations, reset, printf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/arena.h"

#include <stdalign.h>
#include <stdio.h>
#include <string.h>

static void test_alignment_and_distinct(void **state)
{
    struct arena *a = arena_new(64);
    size_t sizes[] = {1, 3, 7, 16, 33, 64, 65, 200, 1};
    void *prev = NULL;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = arena_alloc(a, sizes[i]);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        assert_ptr_not_equal(p, prev);
        memset(p, 0xab, sizes[i]); /* ASan flags any overlap or overflow */
        prev = p;
    }
    arena_free(a);
}

static void test_many_allocations_keep_contents(void **state)
{
    struct arena *a = arena_new(128);
    char *strings[500];
    char expect[32];
    int i;

    (void)state;
    for (i = 0; i < 500; i++)
        strings[i] = arena_printf(a, "value-%d", i);
    for (i = 0; i < 500; i++) {
        (void)snprintf(expect, sizeof expect, "value-%d", i);
        assert_string_equal(strings[i], expect);
    }
    arena_free(a);
}

static void test_big_allocation_gets_own_block(void **state)
{
    struct arena *a = arena_new(64);
    char *big = arena_alloc(a, 100000);

    (void)state;
    memset(big, 'x', 100000);
    assert_true(arena_used(a) >= 100000);
    arena_free(a);
}

static void test_reset_reuses(void **state)
{
    struct arena *a = arena_new(256);
    int i;

    (void)state;
    for (i = 0; i < 100; i++)
        (void)arena_alloc(a, 100);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    assert_string_equal(arena_strdup(a, "after reset"), "after reset");
    arena_free(a);
}

static void test_calloc_and_strndup(void **state)
{
    struct arena *a = arena_new(0);
    int *zeros = arena_calloc(a, 100, sizeof *zeros);
    int i;

    (void)state;
    for (i = 0; i < 100; i++)
        assert_int_equal(zeros[i], 0);
    assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
    assert_string_equal(arena_printf(a, "%s-%05d", "id", 42), "id-00042");
    arena_free(a);
    arena_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alignment_and_distinct),
        cmocka_unit_test(test_many_allocations_keep_contents),
        cmocka_unit_test(test_big_allocation_gets_own_block),
        cmocka_unit_test(test_reset_reuses),
        cmocka_unit_test(test_calloc_and_strndup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
