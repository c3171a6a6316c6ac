/* The chunked import used by pipeline runs (see "split into chunks" in import.h). */
#include "app/import.h"

#include "app/import_int.h"
#include "store/sources.h"

#include <string.h>

/* Reads and drops `n` data records: the same records, bad ones included, that the plan
 * counted, so chunk boundaries are stable. */
static enum pr_code skip_records(struct csv_reader *reader, int64_t n, struct pr_error *err)
{
    int64_t i;

    for (i = 0; i < n; i++) {
        struct csv_record rec;
        struct pr_error read_err;
        bool has_record = false;
        enum pr_code rc = csv_reader_next(reader, &rec, &has_record, &read_err);

        if (rc != PR_OK && rc != PR_INVALID) {
            *err = read_err;
            return rc;
        }
        if (rc == PR_OK && !has_record)
            return pr_error_set(err, PR_CONFLICT, "the file has fewer records than planned");
    }
    return PR_OK;
}

enum pr_code app_import_plan(struct app *app, const struct tenant_ctx *t,
                             const struct import_options *opt, struct import_plan *out,
                             struct pr_error *err)
{
    static const struct app_actor planner = {"system", "pipeline", NULL};
    struct arena *a = arena_new(0);
    struct import_run r;
    struct csv_reader *reader = NULL;
    enum pr_code rc = import__init(&r, app, &planner, t, opt, a, err);

    memset(out, 0, sizeof *out);
    if (rc == PR_OK)
        rc = import__hash_file(opt->path, out->sha256, &out->file_size, err);
    if (rc == PR_OK && !opt->force &&
        store_imports_find_completed(app->st, t, out->sha256, r.source, &out->import_id, err) ==
            PR_OK) {
        out->was_already_imported = true;
        arena_free(a);
        return PR_OK;
    }
    if (rc == PR_OK)
        rc = import__open(&r, &reader, err);
    for (;;) {
        struct csv_record rec;
        struct pr_error read_err;
        bool has_record = false;

        if (rc != PR_OK)
            break;
        rc = csv_reader_next(reader, &rec, &has_record, &read_err);
        if (rc == PR_INVALID)
            rc = PR_OK;
        else if (rc != PR_OK)
            *err = read_err;
        else if (!has_record)
            break;
        out->n_records++;
    }
    csv_reader_close(reader);
    arena_free(a);
    return rc;
}

enum pr_code app_import_create(struct app *app, const struct app_actor *actor,
                               const struct tenant_ctx *t, const struct import_options *opt,
                               const struct import_plan *plan, int64_t *import_id,
                               struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct import_run r;
    struct csv_reader *reader = NULL;
    enum pr_code rc = import__init(&r, app, actor, t, opt, a, err);

    if (rc == PR_OK)
        rc = import__open(&r, &reader, err);
    if (rc == PR_OK)
        rc = import__create_record(&r, plan->sha256, plan->file_size, err);
    if (rc == PR_OK)
        *import_id = r.import_id;
    csv_reader_close(reader);
    arena_free(a);
    return rc;
}

static void add_counts(struct import_counts *to, const struct import_counts *c)
{
    to->n_rows += c->n_rows;
    to->n_accepted += c->n_accepted;
    to->n_merged += c->n_merged;
    to->n_duplicate += c->n_duplicate;
    to->n_suppressed += c->n_suppressed;
    to->n_rejected += c->n_rejected;
}

/* Attaches `r` to an existing import: its source, list and start time (the provenance time of
 * every value it writes, whichever chunk writes it). */
static enum pr_code attach(struct import_run *r, const struct import_record *rec,
                           struct pr_error *err)
{
    r->import_id = rec->id;
    r->source = rec->source;
    r->has_list = rec->has_list;
    r->list_id = rec->list_id;
    r->started_at = rec->started_at;
    return store_sources_ensure(r->app->st, r->t, rec->source, 50, false, &r->trust, err);
}

enum pr_code app_import_records(struct app *app, const struct app_actor *actor,
                                const struct tenant_ctx *t, const struct import_options *opt,
                                int64_t import_id, int64_t first, int64_t n,
                                struct import_counts *counts, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct import_run r;
    struct import_record rec;
    struct csv_reader *reader = NULL;
    char sha[65];
    int64_t size = 0, i;
    bool has_record = true;
    enum pr_code rc = import__init(&r, app, actor, t, opt, a, err);

    memset(&rec, 0, sizeof rec);
    if (rc == PR_OK)
        rc = store_imports_get(app->st, t, import_id, a, &rec, err);
    if (rc == PR_OK)
        rc = import__hash_file(opt->path, sha, &size, err);
    if (rc == PR_OK && strcmp(sha, rec.file_sha256) != 0) {
        pr_error_set(err, PR_CONFLICT, "%s changed after its import began", opt->path);
        rc = pr_error_hint(err, "leave the file alone until the run finishes; run again to "
                                "import the new content");
    }
    if (rc == PR_OK)
        rc = attach(&r, &rec, err);
    if (rc == PR_OK)
        rc = import__open(&r, &reader, err);
    if (rc == PR_OK)
        rc = skip_records(reader, first, err);
    r.row_arena = arena_new(64 * 1024);
    if (rc == PR_OK)
        rc = import__indexes_open(&r, false, err);
    for (i = 0; rc == PR_OK && has_record && i < n; i++)
        rc = import__next(&r, reader, &has_record, err);
    if (rc == PR_OK) {
        add_counts(&rec.counts, &r.counts);
        rc = store_imports_set_counts(app->st, t, import_id, &rec.counts, err);
    }
    if (rc == PR_OK && counts != NULL)
        *counts = r.counts;
    import__indexes_close(&r);
    arena_free(r.row_arena);
    csv_reader_close(reader);
    arena_free(a);
    return rc;
}

enum pr_code app_import_complete(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, int64_t import_id,
                                 struct pr_error *err)
{
    enum pr_code rc = store_imports_finish(app->st, t, import_id, true, NULL, err);

    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "import.complete", "import", import_id, NULL, err);
    return rc;
}
