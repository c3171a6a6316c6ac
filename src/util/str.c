/* String views and bounded growable buffers. */
#include "str.h"

#include "mem.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

struct str str_from_cstr(const char *s)
{
    struct str v = {s ? s : "", s ? strlen(s) : 0};
    return v;
}

bool str_eq(struct str a, struct str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool str_eq_nocase(struct str a, struct str b)
{
    return a.len == b.len && (a.len == 0 || strncasecmp(a.ptr, b.ptr, a.len) == 0);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

struct str str_trim(struct str s)
{
    while (s.len > 0 && is_space(s.ptr[0])) {
        s.ptr++;
        s.len--;
    }
    while (s.len > 0 && is_space(s.ptr[s.len - 1]))
        s.len--;
    return s;
}

bool str_has_prefix(struct str s, const char *prefix)
{
    size_t n = strlen(prefix);
    return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

void buf_init(struct buf *b, size_t max)
{
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void buf_free(struct buf *b)
{
    xfree(b->ptr);
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
}

void buf_reset(struct buf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

enum pr_code buf_append(struct buf *b, const void *data, size_t len)
{
    size_t need;

    if (len > b->max || b->len > b->max - len)
        return PR_INVALID;
    need = b->len + len + 1;
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need)
            cap *= 2;
        if (cap > b->max + 1)
            cap = b->max + 1;
        b->ptr = xrealloc(b->ptr, cap);
        b->cap = cap;
    }
    if (len > 0)
        memcpy(b->ptr + b->len, data, len);
    b->len += len;
    b->ptr[b->len] = '\0';
    return PR_OK;
}

enum pr_code buf_puts(struct buf *b, const char *s)
{
    return buf_append(b, s, strlen(s));
}

enum pr_code buf_putc(struct buf *b, char c)
{
    return buf_append(b, &c, 1);
}

enum pr_code buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list copy;
    int n;
    enum pr_code rc;

    va_copy(copy, ap);
    n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        return PR_INVALID;
    if ((size_t)n < sizeof small)
        return buf_append(b, small, (size_t)n);
    {
        char *big = xmalloc((size_t)n + 1);
        (void)vsnprintf(big, (size_t)n + 1, fmt, ap); /* sized above, cannot truncate */
        rc = buf_append(b, big, (size_t)n);
        xfree(big);
    }
    return rc;
}

enum pr_code buf_printf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    enum pr_code rc;

    va_start(ap, fmt);
    rc = buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *buf_cstr(const struct buf *b)
{
    return b->ptr ? b->ptr : "";
}

char *buf_detach(struct buf *b)
{
    char *p = b->ptr ? b->ptr : xstrdup("");
    b->ptr = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
