/*
 * Arena allocator: a singly linked list of blocks, bump allocation inside the newest one.
 * Requests larger than the block size get a block of their own, so a single big string does
 * not waste a whole default-sized block.
 */
#include "arena.h"

#include "mem.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
    struct arena_block *next;
    size_t capacity;
    size_t used;
    alignas(max_align_t) unsigned char data[];
};

struct arena {
    struct arena_block *head;
    size_t block_size;
    size_t n_bytes_used;
};

static struct arena_block *block_new(size_t capacity)
{
    struct arena_block *b = xmalloc(sizeof *b + capacity);
    b->next = NULL;
    b->capacity = capacity;
    b->used = 0;
    return b;
}

struct arena *arena_new(size_t block_size)
{
    struct arena *a = xmalloc(sizeof *a);
    a->block_size = block_size ? block_size : 8192;
    a->head = block_new(a->block_size);
    a->n_bytes_used = 0;
    return a;
}

void arena_free(struct arena *a)
{
    struct arena_block *b, *next;

    if (a == NULL)
        return;
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        xfree(b);
    }
    xfree(a);
}

void arena_reset(struct arena *a)
{
    struct arena_block *b = a->head, *next;

    /* Keep the oldest block (the tail), which has the default size. */
    while (b->next != NULL) {
        next = b->next;
        xfree(b);
        b = next;
    }
    b->used = 0;
    a->head = b;
    a->n_bytes_used = 0;
}

void *arena_alloc(struct arena *a, size_t size)
{
    const size_t align = alignof(max_align_t);
    size_t rounded, offset;
    struct arena_block *b;

    if (size > SIZE_MAX - align) {
        fprintf(stderr, "prospect: arena allocation of %zu bytes overflows\n", size);
        abort();
    }
    rounded = (size + align - 1) & ~(align - 1);
    if (rounded == 0)
        rounded = align;
    b = a->head;
    offset = b->used;
    if (b->capacity - offset < rounded) {
        b = block_new(rounded > a->block_size ? rounded : a->block_size);
        b->next = a->head;
        a->head = b;
        offset = 0;
    }
    b->used = offset + rounded;
    a->n_bytes_used += rounded;
    return b->data + offset;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > SIZE_MAX / size) {
        fprintf(stderr, "prospect: arena_calloc(%zu, %zu) overflows\n", count, size);
        abort();
    }
    p = arena_alloc(a, count * size);
    memset(p, 0, count * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1);
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
    va_list copy;
    int n;
    char *p;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return arena_strdup(a, "");
    p = arena_alloc(a, (size_t)n + 1);
    (void)vsnprintf(p, (size_t)n + 1, fmt, ap); /* size computed above, cannot truncate */
    return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
    va_list ap;
    char *p;

    va_start(ap, fmt);
    p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

size_t arena_used(const struct arena *a)
{
    return a->n_bytes_used;
}
