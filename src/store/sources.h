/* Lead sources of a tenant and their trust rank (0..100), used by survivorship. */
#ifndef PROSPECT_STORE_SOURCES_H
#define PROSPECT_STORE_SOURCES_H

#include "store/store.h"

#include <stdbool.h>

/* Creates the source with `trust`, or, when it exists and `set_trust` is true, changes its
 * trust; with set_trust false an existing source keeps its trust. *out_trust (may be NULL)
 * receives the trust in force. */
enum pr_code store_sources_ensure(struct store *st, const struct tenant_ctx *t, const char *name,
                                  int trust, bool set_trust, int *out_trust, struct pr_error *err);

/* The trust of a source; PR_NOT_FOUND when the tenant has no such source. */
enum pr_code store_sources_trust(struct store *st, const struct tenant_ctx *t, const char *name,
                                 int *out_trust, struct pr_error *err);

#endif
