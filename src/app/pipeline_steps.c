/*
 * The built-in pipeline steps. import: the CSV import (normalizing, deduplicating, suppressing),
 * one chunk per `chunk_items` records; score: every contact of the tenant against an ICP file,
 * one chunk per `chunk_items` contacts in id order; export: one file per run, written whole in
 * one chunk.
 */
#include "app/pipeline.h"

#include "app/export.h"
#include "app/icp.h"
#include "app/import.h"
#include "app/scoring.h"
#include "store/contacts.h"
#include "util/json.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A required absolute path member (a pipeline runs in a server whose working directory is not
 * the user's). */
static enum pr_code check_path(const json_t *step, const char *key, struct pr_error *err)
{
    const char *path = NULL;
    enum pr_code rc = json_get_string(step, key, true, &path, err);

    if (rc == PR_OK && path[0] != '/')
        rc =
            pr_error_set(err, PR_INVALID, "\"%s\" must be an absolute path, got \"%s\"", key, path);
    return rc;
}

static int64_t detail_int(const json_t *detail, const char *key)
{
    return json_integer_value(json_object_get(detail, key));
}

/* --- import --- */

static enum pr_code import_check(const json_t *step, struct pr_error *err)
{
    const char *text = NULL;
    int64_t trust = 0;
    enum pr_code rc = check_path(step, "file", err);

    if (rc == PR_OK)
        rc = json_get_string(step, "source", false, &text, err);
    if (rc == PR_OK)
        rc = json_get_string(step, "list", false, &text, err);
    if (rc == PR_OK)
        rc = json_get_string(step, "region", false, &text, err);
    if (rc == PR_OK)
        rc = json_get_int(step, "trust", false, 0, 100, &trust, err);
    return rc;
}

static void import_options_of(const struct pipeline_step_ctx *c, struct import_options *opt)
{
    struct pr_error ignored; /* checked when the pipeline was defined */
    int64_t trust = 0;

    memset(opt, 0, sizeof *opt);
    (void)json_get_string(c->step, "file", true, &opt->path, &ignored);
    (void)json_get_string(c->step, "source", false, &opt->source, &ignored);
    (void)json_get_string(c->step, "list", false, &opt->list_name, &ignored);
    (void)json_get_string(c->step, "region", false, &opt->default_region, &ignored);
    (void)json_get_int(c->step, "trust", false, 0, 100, &trust, &ignored);
    opt->source_trust = (int)trust;
    opt->fuzzy_threshold = c->env->fuzzy_threshold;
    opt->zips = c->env->zips;
}

static enum pr_code import_estimate(struct pipeline_step_ctx *c, int64_t leads_before,
                                    int64_t *items, int64_t *credits, struct pr_error *err)
{
    struct import_options opt;
    struct import_plan plan;
    enum pr_code rc;

    (void)leads_before;
    import_options_of(c, &opt);
    rc = app_import_plan(c->app, c->t, &opt, &plan, err);
    *items = rc == PR_OK && !plan.was_already_imported ? plan.n_records : 0;
    *credits = 0;
    return rc;
}

static enum pr_code import_plan_step(struct pipeline_step_ctx *c, int64_t *n_items,
                                     struct pr_error *err)
{
    struct import_options opt;
    struct import_plan plan;
    enum pr_code rc;

    import_options_of(c, &opt);
    rc = app_import_plan(c->app, c->t, &opt, &plan, err);
    if (rc != PR_OK)
        return rc;
    if (plan.was_already_imported) {
        /* The same content from the same source: nothing to import, as with the CLI. */
        (void)json_object_set_new(c->detail, "import_id", json_integer(plan.import_id));
        (void)json_object_set_new(c->detail, "already_imported", json_true());
        *n_items = 0;
        return PR_OK;
    }
    (void)json_object_set_new(c->detail, "sha256", json_string(plan.sha256));
    (void)json_object_set_new(c->detail, "file_size", json_integer(plan.file_size));
    *n_items = plan.n_records;
    return PR_OK;
}

static enum pr_code import_begin(struct pipeline_step_ctx *c, struct pr_error *err)
{
    struct import_options opt;
    struct import_plan plan;
    int64_t import_id = 0;
    const char *sha = json_string_value(json_object_get(c->detail, "sha256"));
    enum pr_code rc;

    if (json_is_true(json_object_get(c->detail, "already_imported")))
        return PR_OK;
    memset(&plan, 0, sizeof plan);
    (void)snprintf(plan.sha256, sizeof plan.sha256, "%s", sha ? sha : "");
    plan.file_size = detail_int(c->detail, "file_size");
    import_options_of(c, &opt);
    rc = app_import_create(c->app, c->actor, c->t, &opt, &plan, &import_id, err);
    if (rc == PR_OK)
        (void)json_object_set_new(c->detail, "import_id", json_integer(import_id));
    return rc;
}

static enum pr_code import_chunk(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                                 int64_t *n_items, int64_t *n_rejected, struct pr_error *err)
{
    struct import_options opt;
    struct import_counts counts;
    enum pr_code rc;

    import_options_of(c, &opt);
    rc = app_import_records(c->app, c->actor, c->t, &opt, detail_int(c->detail, "import_id"),
                            chunk->first_item, chunk->n_planned, &counts, err);
    *n_items = counts.n_rows;
    *n_rejected = counts.n_rejected;
    return rc;
}

static enum pr_code import_finish(struct pipeline_step_ctx *c, struct pr_error *err)
{
    if (json_is_true(json_object_get(c->detail, "already_imported")))
        return PR_OK;
    return app_import_complete(c->app, c->actor, c->t, detail_int(c->detail, "import_id"), err);
}

/* The run ended early: the import record ends failed, with the run's reason. */
static enum pr_code import_abandon(struct pipeline_step_ctx *c, const char *reason,
                                   struct pr_error *err)
{
    int64_t import_id = detail_int(c->detail, "import_id");
    enum pr_code rc;

    if (import_id == 0 || json_is_true(json_object_get(c->detail, "already_imported")))
        return PR_OK;
    rc = store_imports_finish(c->app->st, c->t, import_id, false, reason, err);
    if (rc == PR_OK)
        rc = app_audit(c->app, c->actor, c->t, "import.fail", "import", import_id, NULL, err);
    return rc;
}

const struct pipeline_step_kind pipeline_import_step = {
    .name = "import",
    .adds_leads = true,
    .check = import_check,
    .estimate = import_estimate,
    .plan = import_plan_step,
    .begin = import_begin,
    .run_chunk = import_chunk,
    .finish = import_finish,
    .abandon = import_abandon,
};

/* --- score --- */

static enum pr_code score_check(const json_t *step, struct pr_error *err)
{
    return check_path(step, "icp", err);
}

static enum pr_code load_icp(const struct pipeline_step_ctx *c, struct icp **out,
                             struct pr_error *err)
{
    const char *path = NULL;
    enum pr_code rc = json_get_string(c->step, "icp", true, &path, err);

    return rc == PR_OK ? icp_load(path, out, err) : rc;
}

/* Upper bounds: the contacts stored now plus whatever the steps before may add. */
static enum pr_code count_estimate(struct pipeline_step_ctx *c, int64_t leads_before,
                                   int64_t *items, int64_t *credits, struct pr_error *err)
{
    int64_t stored = 0;
    enum pr_code rc = store_contacts_count(c->app->st, c->t, &stored, err);

    *items = stored + leads_before;
    *credits = 0;
    return rc;
}

static enum pr_code score_estimate(struct pipeline_step_ctx *c, int64_t leads_before,
                                   int64_t *items, int64_t *credits, struct pr_error *err)
{
    struct icp *icp = NULL;
    enum pr_code rc = load_icp(c, &icp, err);

    icp_free(icp);
    return rc == PR_OK ? count_estimate(c, leads_before, items, credits, err) : rc;
}

/* The ids after which each chunk starts, in id order, and the ICP version every chunk must
 * score with (an ICP edited mid-run fails the run rather than mixing two versions). */
static enum pr_code score_plan(struct pipeline_step_ctx *c, int64_t *n_items, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct contact *page = NULL;
    struct icp *icp = NULL;
    json_t *bounds = json_array();
    int64_t after = 0, n = 0;
    size_t got = 0, i;
    enum pr_code rc = load_icp(c, &icp, err);

    if (rc == PR_OK)
        (void)json_object_set_new(c->detail, "icp_version", json_string(icp->version));
    while (rc == PR_OK) {
        rc = store_contacts_list(c->app->st, c->t, after, 1000, a, &page, &got, err);
        for (i = 0; rc == PR_OK && i < got; i++, n++) {
            if (n % c->chunk_items == 0)
                (void)json_array_append_new(bounds, json_integer(after));
            after = page[i].id;
        }
        arena_reset(a);
        if (got < 1000)
            break;
    }
    (void)json_object_set_new(c->detail, "bounds", bounds);
    *n_items = n;
    icp_free(icp);
    arena_free(a);
    return rc;
}

static enum pr_code score_chunk(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                                int64_t *n_items, int64_t *n_rejected, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct contact *page = NULL;
    struct icp *icp = NULL;
    const char *version = json_string_value(json_object_get(c->detail, "icp_version"));
    int64_t after =
        json_integer_value(json_array_get(json_object_get(c->detail, "bounds"), chunk->chunk));
    int64_t left = chunk->n_planned;
    size_t got = 0, i;
    enum pr_code rc = load_icp(c, &icp, err);

    *n_items = *n_rejected = 0;
    if (rc == PR_OK && (version == NULL || strcmp(version, icp->version) != 0)) {
        pr_error_set(err, PR_CONFLICT, "the ICP file changed during the run");
        rc = pr_error_hint(err, "run the pipeline again to score with the new ICP");
    }
    while (rc == PR_OK && left > 0) {
        rc = store_contacts_list(c->app->st, c->t, after, left < 1000 ? (int)left : 1000, a, &page,
                                 &got, err);
        for (i = 0; rc == PR_OK && i < got; i++) {
            rc = app_score_contact(c->app, c->t, icp, page[i].id, NULL, err);
            after = page[i].id;
        }
        *n_items += (int64_t)got;
        left -= (int64_t)got;
        arena_reset(a);
        if (got == 0)
            break;
    }
    icp_free(icp);
    arena_free(a);
    return rc;
}

const struct pipeline_step_kind pipeline_score_step = {
    .name = "score",
    .check = score_check,
    .estimate = score_estimate,
    .plan = score_plan,
    .run_chunk = score_chunk,
};

/* --- export --- */

static enum pr_code export_check(const json_t *step, struct pr_error *err)
{
    const char *text = NULL;
    enum export_format format;
    int64_t min_score = 0;
    enum pr_code rc = json_get_string(step, "format", true, &text, err);

    if (rc == PR_OK)
        rc = app_export_format_parse(text, &format, err);
    if (rc == PR_OK)
        rc = check_path(step, "dir", err);
    if (rc == PR_OK)
        rc = json_get_string(step, "list", false, &text, err);
    if (rc == PR_OK)
        rc = json_get_int(step, "min_score", false, 0, 100, &min_score, err);
    return rc;
}

static enum pr_code export_plan(struct pipeline_step_ctx *c, int64_t *n_items, struct pr_error *err)
{
    const char *dir = NULL;
    char path[4096];
    enum pr_code rc = json_get_string(c->step, "dir", true, &dir, err);

    if (rc != PR_OK)
        return rc;
    if (access(dir, W_OK) != 0) {
        pr_error_set(err, PR_INVALID, "cannot write into %s: %s", dir, strerror(errno));
        return pr_error_hint(err, "create the directory or fix its permissions");
    }
    (void)snprintf(path, sizeof path, "%s/%s-run-%" PRId64 ".csv", dir, c->pipeline_name,
                   c->run_id);
    (void)json_object_set_new(c->detail, "file", json_string(path));
    *n_items = 1;
    return PR_OK;
}

/* Writes the whole file under a temporary name and renames it before the transaction commits:
 * a crash leaves either no record and a file a retry overwrites, or both. */
static enum pr_code export_chunk(struct pipeline_step_ctx *c, const struct pipeline_chunk *chunk,
                                 int64_t *n_items, int64_t *n_rejected, struct pr_error *err)
{
    struct pr_error ignored;
    struct export_options opt;
    struct export_result result;
    const char *path = json_string_value(json_object_get(c->detail, "file")), *format = NULL;
    int64_t min_score = -1;
    char tmp[4200];
    FILE *f;
    enum pr_code rc;

    (void)chunk;
    *n_items = *n_rejected = 0;
    memset(&opt, 0, sizeof opt);
    (void)json_get_string(c->step, "format", true, &format, &ignored);
    (void)app_export_format_parse(format, &opt.format, &ignored);
    (void)json_get_string(c->step, "list", false, &opt.list_name, &ignored);
    (void)json_get_int(c->step, "min_score", false, 0, 100, &min_score, &ignored);
    opt.has_min_score = min_score >= 0;
    opt.min_score = (int)min_score;
    opt.window_days = c->env->window_days;
    opt.in_caller_transaction = true;
    (void)snprintf(tmp, sizeof tmp, "%s.tmp", path ? path : "");
    f = path != NULL ? fopen(tmp, "w") : NULL;
    if (f == NULL)
        return pr_error_set(err, PR_IO, "cannot write %s: %s", tmp, strerror(errno));
    opt.out = f;
    rc = app_export_run(c->app, c->actor, c->t, &opt, &result, err);
    if (rc == PR_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        rc = pr_error_set(err, PR_IO, "cannot write %s: %s", tmp, strerror(errno));
    if (fclose(f) != 0 && rc == PR_OK)
        rc = pr_error_set(err, PR_IO, "cannot write %s: %s", tmp, strerror(errno));
    if (rc == PR_OK && rename(tmp, path) != 0)
        rc = pr_error_set(err, PR_IO, "cannot rename %s: %s", tmp, strerror(errno));
    if (rc != PR_OK) {
        (void)unlink(tmp);
        return rc;
    }
    (void)json_object_set_new(c->detail, "export_id", json_integer(result.export_id));
    (void)json_object_set_new(c->detail, "rows", json_integer(result.n_rows));
    *n_items = result.n_rows;
    return PR_OK;
}

const struct pipeline_step_kind pipeline_export_step = {
    .name = "export",
    .check = export_check,
    .estimate = count_estimate,
    .plan = export_plan,
    .run_chunk = export_chunk,
};
