/*
 * Allocation wrappers. They abort the process on out-of-memory (as Redis's zmalloc and
 * PostgreSQL's palloc do), so callers never check for NULL. Limits on untrusted sizes must be
 * enforced before calling them. Memory from these functions is released with xfree().
 */
#ifndef PROSPECT_UTIL_MEM_H
#define PROSPECT_UTIL_MEM_H

#include <stddef.h>

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t len);
void xfree(void *ptr);

#endif
