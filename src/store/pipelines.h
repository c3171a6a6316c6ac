/*
 * Pipelines: a tenant's named, ordered list of steps, kept as JSON (the steps' meaning and
 * checks live in app/pipeline.h). Runs are in store/pipeline_runs.h. Everything here is
 * tenant-scoped: another tenant's pipeline answers PR_NOT_FOUND exactly like a missing one.
 */
#ifndef PROSPECT_STORE_PIPELINES_H
#define PROSPECT_STORE_PIPELINES_H

#include "store/store.h"
#include "util/arena.h"

#include <stddef.h>

struct pipeline {
    int64_t id;
    int64_t tenant_id;
    char *name;
    char *steps; /* JSON array of step objects */
    int64_t created_at;
    int64_t updated_at;
};

/* PR_CONFLICT ("a pipeline named X already exists"); PR_INVALID when `steps` is not a JSON
 * array of 1 to 20 elements or the name is empty or longer than 100 bytes. */
enum pr_code store_pipelines_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                    const char *steps_json, int64_t *out_id, struct pr_error *err);

/* One pipeline; texts in `a`. PR_NOT_FOUND ("pipeline not found"). */
enum pr_code store_pipelines_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct pipeline *out, struct pr_error *err);
enum pr_code store_pipelines_find_by_name(struct store *st, const struct tenant_ctx *t,
                                          const char *name, struct arena *a, struct pipeline *out,
                                          struct pr_error *err);

/* All pipelines of the tenant by name; array and texts in `a` (*out NULL when none). */
enum pr_code store_pipelines_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                                  struct pipeline **out, size_t *n_out, struct pr_error *err);

/* Deletes a pipeline and its runs' records. PR_NOT_FOUND when it is not the tenant's;
 * PR_CONFLICT when one of its runs is running. */
enum pr_code store_pipelines_remove(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct pr_error *err);

#endif
