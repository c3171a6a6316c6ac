/*
 * Exports and the contacts each one carried. export_items is UNIQUE per (export, contact) and
 * is what the "previously exported within N days" window reads.
 */
#ifndef PROSPECT_STORE_EXPORTS_H
#define PROSPECT_STORE_EXPORTS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct export_record {
    int64_t id;
    int64_t tenant_id;
    char *format; /* generic | hubspot | vanillasoft */
    bool has_list;
    int64_t list_id;
    bool has_min_score;
    int64_t min_score;
    int64_t n_rows;
    int64_t n_skipped_window;
    int64_t created_at;
};

/* One contact an export may carry. */
struct export_candidate {
    int64_t contact_id;
    bool is_recent; /* exported or contacted at or after the window start */
};

enum pr_code store_exports_create(struct store *st, const struct tenant_ctx *t, const char *format,
                                  bool has_list, int64_t list_id, bool has_min_score,
                                  int64_t min_score, int64_t *out_id, struct pr_error *err);
enum pr_code store_exports_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct arena *a, struct export_record *out, struct pr_error *err);
/* Records that the export carried the contact (idempotent). PR_NOT_FOUND when the export or
 * the contact is not the tenant's. */
enum pr_code store_exports_add_item(struct store *st, const struct tenant_ctx *t, int64_t export_id,
                                    int64_t contact_id, struct pr_error *err);
/* Sets the final counts. */
enum pr_code store_exports_finish(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  int64_t n_rows, int64_t n_skipped_window, struct pr_error *err);
/* Keyset page (ascending contact id > after_id) of the tenant's contacts that an export may
 * carry: never suppressed ones; only members of the list when has_list; only scores >=
 * min_score when has_min_score. is_recent tells whether the contact was exported or contacted
 * at or after `window_start_ms`. PR_NOT_FOUND when the list is not the tenant's. */
enum pr_code store_exports_candidates(struct store *st, const struct tenant_ctx *t, bool has_list,
                                      int64_t list_id, bool has_min_score, int64_t min_score,
                                      int64_t window_start_ms, int64_t after_id, int limit,
                                      struct arena *a, struct export_candidate **out, size_t *n_out,
                                      struct pr_error *err);

#endif
