/* The audit log: an append-only record of every human, API and automation action. */
#ifndef PROSPECT_STORE_AUDIT_H
#define PROSPECT_STORE_AUDIT_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct audit_entry {
    int64_t id;
    int64_t tenant_id;
    char *actor_type;  /* user | api_key | cli | system */
    char *actor_id;    /* may be NULL */
    char *action;      /* e.g. "api_key.create" */
    char *object_type; /* e.g. "api_key" */
    char *object_id;   /* may be NULL */
    char *detail;      /* JSON object text, already free of secrets */
    char *request_id;  /* may be NULL */
    int64_t created_at;
};

/* Appends an entry (id, tenant_id and created_at of `in` are ignored; NULL detail is "{}"). */
enum pr_code store_audit_append(struct store *st, const struct tenant_ctx *t,
                                const struct audit_entry *in, int64_t *out_id,
                                struct pr_error *err);
/* Newest first: entries with id less than `before_id` (0 = from the newest), at most `limit`. */
enum pr_code store_audit_list(struct store *st, const struct tenant_ctx *t, int64_t before_id,
                              int limit, struct arena *a, struct audit_entry **out, size_t *n_out,
                              struct pr_error *err);

#endif
