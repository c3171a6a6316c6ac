/*
 * String views and growable buffers, the two string types of the code base.
 *
 * `struct str` is a non-owning view (pointer + length, not necessarily NUL-terminated).
 * `struct buf` is a growable, always NUL-terminated buffer with a mandatory maximum size, as
 * curl's dynbuf: appends past the maximum fail with PR_INVALID instead of growing without
 * bound, so untrusted input cannot exhaust memory. The buffer owns its memory (buf_free).
 */
#ifndef PROSPECT_UTIL_STR_H
#define PROSPECT_UTIL_STR_H

#include "error.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct str {
    const char *ptr;
    size_t len;
};

/* View over a NUL-terminated string (NULL gives the empty view). */
struct str str_from_cstr(const char *s);

/* True when both views hold the same bytes. */
bool str_eq(struct str a, struct str b);

/* True when the views are equal ignoring ASCII case. */
bool str_eq_nocase(struct str a, struct str b);

/* View without leading and trailing ASCII white space. */
struct str str_trim(struct str s);

/* True when `s` starts with `prefix`. */
bool str_has_prefix(struct str s, const char *prefix);

struct buf {
    char *ptr;
    size_t len;
    size_t cap;
    size_t max;
};

/* Initializes an empty buffer that may grow to `max` bytes of content (not counting the NUL). */
void buf_init(struct buf *b, size_t max);

/* Releases the memory; the buffer is empty and reusable afterwards. */
void buf_free(struct buf *b);

/* Empties the buffer but keeps its memory. */
void buf_reset(struct buf *b);

/* Appends bytes. Returns PR_OK, or PR_INVALID when the result would exceed `max` (the buffer
 * is then left unchanged). */
enum pr_code buf_append(struct buf *b, const void *data, size_t len);
enum pr_code buf_puts(struct buf *b, const char *s);
enum pr_code buf_putc(struct buf *b, char c);
enum pr_code buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
enum pr_code buf_vprintf(struct buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* NUL-terminated contents ("" for an empty buffer); valid until the next change. */
const char *buf_cstr(const struct buf *b);

/* Hands the contents to the caller (free with xfree) and empties the buffer. */
char *buf_detach(struct buf *b);

#endif
