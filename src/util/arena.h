/*
 * Arena allocator: many small allocations freed together. Lifetimes in Prospect are arenas
 * (process, request, job attempt, CLI command). Memory returned by arena_* lives until
 * arena_reset() or arena_free() on that arena; never pass it to xfree().
 */
#ifndef PROSPECT_UTIL_ARENA_H
#define PROSPECT_UTIL_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

/* Creates an arena whose blocks hold at least `block_size` bytes (0 picks 8 KiB). */
struct arena *arena_new(size_t block_size);

/* Releases every block and the arena itself. NULL is a no-op. */
void arena_free(struct arena *a);

/* Frees all allocations but keeps the first block for reuse. */
void arena_reset(struct arena *a);

/* Returns `size` bytes aligned for any type; aborts on out-of-memory. */
void *arena_alloc(struct arena *a, size_t size);

/* As arena_alloc, zero-filled; checks count * size for overflow (aborts on overflow). */
void *arena_calloc(struct arena *a, size_t count, size_t size);

/* Copies of strings, NUL-terminated, in the arena. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Bytes handed out since creation or the last reset (for tests and metrics). */
size_t arena_used(const struct arena *a);

#endif
