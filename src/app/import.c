/*
 * CSV import (see import.h). The flow for one file:
 *   hash the file -> skip when this content and source were imported (unless forced)
 *   -> read the header row, map it -> create the import record (status running)
 *   -> for each batch of rows: BEGIN; per row SAVEPOINT, normalize, resolve, write, record the
 *      outcome, RELEASE (or ROLLBACK TO and record a rejection); store the counts; COMMIT
 *   -> mark the import completed.
 * Counts are stored with each batch, so an interrupted import shows how far it got, and a row
 * counts exactly once whatever happens to it.
 */
#include "app/import.h"

#include "app/import_int.h"
#include "app/scoring.h"
#include "core/lead.h"
#include "store/lists.h"
#include "store/sources.h"
#include "store/tenants.h"
#include "util/crypto.h"
#include "util/csv.h"
#include "util/csv_write.h"
#include "util/json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_BATCH 10000

/* The mapping as stored with the import: the headers in order and the field of each. */
static char *mapping_json(const struct field_mapping *m, struct arena *a)
{
    struct buf b;
    size_t i;
    char *text;

    buf_init(&b, 4 * 1024 * 1024);
    (void)buf_puts(&b, "{\"headers\":[");
    for (i = 0; i < m->n_columns; i++) {
        if (i > 0)
            (void)buf_putc(&b, ',');
        (void)json_append_string(&b, m->columns[i].header, strlen(m->columns[i].header));
    }
    (void)buf_puts(&b, "],\"fields\":[");
    for (i = 0; i < m->n_columns; i++) {
        const struct field_column *c = &m->columns[i];
        const char *name = c->field != FIELD_NONE   ? lead_field_name(c->field)
                           : c->custom_name != NULL ? c->custom_name
                                                    : "";
        if (i > 0)
            (void)buf_putc(&b, ',');
        (void)json_append_string(&b, name, strlen(name));
    }
    (void)buf_puts(&b, "]}");
    text = arena_strndup(a, b.ptr, b.len);
    buf_free(&b);
    return text;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* SHA-256 of the whole file, before anything is written, for the idempotency check. */
static enum pr_code hash_file(const char *path, char out[65], int64_t *size, struct pr_error *err)
{
    FILE *f = fopen(path, "rb");
    enum pr_code rc;

    if (f == NULL) {
        pr_error_set(err, PR_IO, "cannot read %s: %s", path, strerror(errno));
        return pr_error_hint(err, "check the path and the file's permissions");
    }
    rc = crypto_sha256_stream(f, out, size, err);
    fclose(f);
    return rc;
}

static enum pr_code ensure_list(struct import_run *r, const char *name, struct pr_error *err)
{
    struct contact_list list;
    enum pr_code rc = store_lists_find_by_name(r->app->st, r->t, name, r->arena, &list, err);

    if (rc == PR_NOT_FOUND)
        rc = store_lists_create(r->app->st, r->t, name, "", &list.id, err);
    if (rc == PR_OK) {
        r->has_list = true;
        r->list_id = list.id;
    }
    return rc;
}

/* The row re-encoded as CSV, kept for the rejects file. */
static char *row_as_csv(const struct csv_record *rec, struct arena *a)
{
    struct buf b;
    size_t i;
    char *text;

    buf_init(&b, 64 * 1024 * 1024);
    for (i = 0; i < rec->n_fields; i++) {
        if (i > 0)
            (void)buf_putc(&b, ',');
        (void)csv_write_field(&b, rec->fields[i].ptr, rec->fields[i].len, false);
    }
    text = arena_strndup(a, buf_cstr(&b), b.len);
    buf_free(&b);
    return text;
}

static void count_outcome(struct import_counts *c, enum import_outcome outcome)
{
    c->n_rows++;
    switch (outcome) {
    case IMPORT_ACCEPTED:
        c->n_accepted++;
        break;
    case IMPORT_MERGED:
        c->n_merged++;
        break;
    case IMPORT_DUPLICATE:
        c->n_duplicate++;
        break;
    case IMPORT_SUPPRESSED:
        c->n_suppressed++;
        break;
    case IMPORT_REJECTED:
        c->n_rejected++;
        break;
    }
}

static const char *const outcome_names[] = {
    [IMPORT_ACCEPTED] = "accepted",   [IMPORT_MERGED] = "merged",
    [IMPORT_DUPLICATE] = "duplicate", [IMPORT_SUPPRESSED] = "suppressed",
    [IMPORT_REJECTED] = "rejected",
};

/* One row, all or nothing: its writes and its outcome record share a savepoint. A store
 * failure that is about this row's data (a constraint) rejects the row; anything else (disk
 * full, lock) fails the import. */
static enum pr_code process_row(struct import_run *r, const struct csv_record *rec,
                                struct pr_error *err)
{
    struct import_row row = {0};
    struct lead lead;
    struct pr_error row_err;
    enum import_outcome outcome = IMPORT_REJECTED;
    int64_t contact_id = 0;
    enum pr_code rc;

    row.line = (int64_t)rec->line;
    rc = store_savepoint(r->app->st, "import_row", err);
    if (rc != PR_OK)
        return rc;
    import__indexes_row_begin(r);
    rc = lead_from_row(r->mapping, rec->fields, rec->n_fields, r->region, r->opt->zips,
                       r->row_arena, &lead, &row_err);
    if (rc == PR_OK)
        rc = import__write_lead(r, &lead, &outcome, &contact_id, &row_err);
    /* Scores follow the data: a new contact or one whose fields changed is scored now. */
    if (rc == PR_OK && r->opt->icp != NULL &&
        (outcome == IMPORT_ACCEPTED || outcome == IMPORT_MERGED || outcome == IMPORT_SUPPRESSED))
        rc = app_score_contact(r->app, r->t, r->opt->icp, contact_id, NULL, &row_err);
    if (rc == PR_INVALID || rc == PR_CONFLICT || rc == PR_NOT_FOUND) {
        store_rollback_to(r->app->st, "import_row");
        import__indexes_row_rolled_back(r);
        outcome = IMPORT_REJECTED;
        row.reason = row_err.message;
        row.raw = row_as_csv(rec, r->row_arena);
        rc = PR_OK;
    } else if (rc != PR_OK) {
        *err = row_err;
        return rc;
    }
    row.outcome = (char *)outcome_names[outcome];
    row.has_contact = outcome != IMPORT_REJECTED;
    row.contact_id = contact_id;
    rc = store_imports_add_row(r->app->st, r->t, r->import_id, &row, err);
    if (rc == PR_OK)
        rc = store_release(r->app->st, "import_row", err);
    if (rc == PR_OK)
        count_outcome(&r->counts, outcome);
    return rc;
}

/* A record the reader refused (a field over the size limit, too many fields). */
static enum pr_code reject_unreadable(struct import_run *r, uint64_t line, const char *reason,
                                      struct pr_error *err)
{
    struct import_row row = {0};
    enum pr_code rc;

    row.line = (int64_t)line;
    row.outcome = (char *)outcome_names[IMPORT_REJECTED];
    row.reason = (char *)reason;
    row.raw = (char *)"";
    rc = store_imports_add_row(r->app->st, r->t, r->import_id, &row, err);
    if (rc == PR_OK)
        count_outcome(&r->counts, IMPORT_REJECTED);
    return rc;
}

enum pr_code import__next(struct import_run *r, struct csv_reader *reader, bool *has_record,
                          struct pr_error *err)
{
    struct csv_record rec;
    struct pr_error read_err;
    enum pr_code rc = csv_reader_next(reader, &rec, has_record, &read_err);

    if (rc == PR_INVALID) {
        *has_record = true;
        return reject_unreadable(r, rec.line, read_err.message, err);
    }
    if (rc != PR_OK) {
        *err = read_err;
        return rc;
    }
    if (!*has_record)
        return PR_OK;
    rc = process_row(r, &rec, err);
    arena_reset(r->row_arena);
    return rc;
}

static enum pr_code run_batches(struct import_run *r, struct csv_reader *reader,
                                struct pr_error *err)
{
    int batch = r->opt->batch_size > 0 ? r->opt->batch_size : DEFAULT_BATCH;
    bool has_record = true;
    enum pr_code rc = PR_OK;

    while (rc == PR_OK && has_record) {
        int n = 0;

        rc = store_begin(r->app->st, err);
        while (rc == PR_OK && has_record && n < batch) {
            rc = import__next(r, reader, &has_record, err);
            n++;
        }
        if (rc == PR_OK)
            rc = store_imports_set_counts(r->app->st, r->t, r->import_id, &r->counts, err);
        if (rc == PR_OK)
            rc = store_commit(r->app->st, err);
        else
            store_rollback(r->app->st);
        if (rc == PR_OK && r->opt->on_progress != NULL)
            r->opt->on_progress(r->opt->progress_ctx, csv_reader_bytes_read(reader),
                                csv_reader_size(reader), &r->counts);
    }
    return rc;
}

enum pr_code import__open(struct import_run *r, struct csv_reader **reader, struct pr_error *err)
{
    struct csv_record header;
    bool has_header = false;
    enum pr_code rc = csv_reader_open_file(r->opt->path, NULL, reader, err);

    if (rc == PR_OK)
        rc = csv_reader_next(*reader, &header, &has_header, err);
    if (rc == PR_OK && !has_header) {
        pr_error_set(err, PR_INVALID, "%s is empty", base_name(r->opt->path));
        rc = pr_error_hint(err, "the first line must name the columns, e.g. Email,Company");
    }
    if (rc == PR_OK) {
        r->mapping = arena_calloc(r->arena, 1, sizeof *r->mapping);
        rc = field_mapping_from_headers(header.fields, header.n_fields, r->opt->overrides,
                                        r->opt->n_overrides, r->arena, r->mapping, err);
    }
    if (rc != PR_OK) {
        csv_reader_close(*reader);
        *reader = NULL;
    }
    return rc;
}

enum pr_code import__create_record(struct import_run *r, const char *sha, int64_t size,
                                   struct pr_error *err)
{
    enum pr_code rc = PR_OK;

    if (r->opt->list_name != NULL)
        rc = ensure_list(r, r->opt->list_name, err);
    /* A trust given on the command line sets the source's rank; otherwise it keeps its own. */
    if (rc == PR_OK)
        rc = store_sources_ensure(r->app->st, r->t, r->source,
                                  r->opt->source_trust > 0 ? r->opt->source_trust : 50,
                                  r->opt->source_trust > 0, &r->trust, err);
    if (rc == PR_OK)
        rc = store_imports_create(r->app->st, r->t, base_name(r->opt->path), sha, size, r->source,
                                  r->has_list, r->list_id, mapping_json(r->mapping, r->arena),
                                  &r->import_id, err);
    if (rc == PR_OK)
        rc = app_audit(r->app, r->actor, r->t, "import.start", "import", r->import_id, NULL, err);
    return rc;
}

static enum pr_code start(struct import_run *r, const char *sha, int64_t size, struct pr_error *err)
{
    enum pr_code rc = store_begin(r->app->st, err);

    if (rc != PR_OK)
        return rc;
    rc = import__create_record(r, sha, size, err);
    if (rc == PR_OK)
        return store_commit(r->app->st, err);
    store_rollback(r->app->st);
    return rc;
}

static enum pr_code finish(struct import_run *r, enum pr_code result, struct pr_error *err)
{
    struct pr_error finish_err;
    enum pr_code rc = store_begin(r->app->st, &finish_err);

    if (rc == PR_OK)
        rc = store_imports_finish(r->app->st, r->t, r->import_id, result == PR_OK,
                                  result == PR_OK ? NULL : err->message, &finish_err);
    if (rc == PR_OK)
        rc = app_audit(r->app, r->actor, r->t, result == PR_OK ? "import.complete" : "import.fail",
                       "import", r->import_id, NULL, &finish_err);
    if (rc == PR_OK)
        rc = store_commit(r->app->st, &finish_err);
    else
        store_rollback(r->app->st);
    if (result == PR_OK && rc != PR_OK) {
        *err = finish_err;
        return rc;
    }
    return result;
}

enum pr_code import__init(struct import_run *r, struct app *app, const struct app_actor *actor,
                          const struct tenant_ctx *t, const struct import_options *opt,
                          struct arena *a, struct pr_error *err)
{
    struct tenant tenant;
    enum pr_code rc;

    memset(r, 0, sizeof *r);
    r->app = app;
    r->actor = actor;
    r->t = t;
    r->opt = opt;
    r->arena = a;
    r->source = opt->source != NULL ? opt->source : base_name(opt->path);
    r->started_at = store_now_ms(app->st);
    rc = store_tenants_get(app->st, t->tenant_id, a, &tenant, err);
    if (rc == PR_OK)
        r->region = opt->default_region != NULL ? opt->default_region : tenant.phone_region;
    return rc;
}

enum pr_code import__hash_file(const char *path, char out[65], int64_t *size, struct pr_error *err)
{
    return hash_file(path, out, size, err);
}

enum pr_code app_import_run(struct app *app, const struct app_actor *actor,
                            const struct tenant_ctx *t, const struct import_options *opt,
                            struct arena *a, struct import_result *out, struct pr_error *err)
{
    struct import_run r;
    struct csv_reader *reader = NULL;
    char sha[65];
    int64_t size = 0;
    enum pr_code rc;

    memset(out, 0, sizeof *out);
    rc = import__init(&r, app, actor, t, opt, a, err);
    if (rc == PR_OK)
        rc = hash_file(opt->path, sha, &size, err);
    if (rc != PR_OK)
        return rc;
    if (!opt->force &&
        store_imports_find_completed(app->st, t, sha, r.source, &out->import_id, err) == PR_OK) {
        out->was_already_imported = true;
        return PR_OK;
    }
    rc = import__open(&r, &reader, err);
    if (rc != PR_OK)
        return rc;
    out->mapping = r.mapping;
    r.row_arena = arena_new(64 * 1024);
    rc = start(&r, sha, size, err);
    if (rc == PR_OK) {
        out->import_id = r.import_id;
        out->delimiter = csv_reader_delimiter(reader);
        out->encoding = arena_strdup(a, csv_reader_encoding(reader));
        /* The whole file: the memory indexes load the tenant's suppressions, contact keys and
         * company names once (import_int.h). */
        rc = import__indexes_open(&r, true, err);
        if (rc == PR_OK)
            rc = run_batches(&r, reader, err);
        rc = finish(&r, rc, err);
    }
    out->counts = r.counts;
    import__indexes_close(&r);
    arena_free(r.row_arena);
    csv_reader_close(reader);
    return rc;
}

enum pr_code app_import_write_rejects(struct app *app, const struct tenant_ctx *t,
                                      int64_t import_id, FILE *out, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct import_record rec;
    struct import_row *rows = NULL;
    struct buf line;
    json_t *mapping = NULL, *headers;
    size_t n = 0, i;
    int64_t after = 0;
    enum pr_code rc = store_imports_get(app->st, t, import_id, a, &rec, err);

    buf_init(&line, 128 * 1024 * 1024);
    if (rc == PR_OK)
        rc = json_parse_limited(rec.mapping, strlen(rec.mapping), 64 * 1024 * 1024, 4, &mapping,
                                err);
    if (rc != PR_OK)
        goto out;
    headers = json_object_get(mapping, "headers");
    for (i = 0; i < json_array_size(headers); i++) {
        const char *h = json_string_value(json_array_get(headers, i));
        if (i > 0)
            (void)buf_putc(&line, ',');
        (void)csv_write_field(&line, h ? h : "", h ? strlen(h) : 0, false);
    }
    (void)buf_puts(&line, json_array_size(headers) > 0 ? ",error,line\r\n" : "error,line\r\n");
    for (;;) {
        rc = store_imports_rows(app->st, t, import_id, "rejected", after, 1000, a, &rows, &n, err);
        if (rc != PR_OK || n == 0)
            break;
        for (i = 0; i < n; i++) {
            char number[24];

            (void)snprintf(number, sizeof number, "%lld", (long long)rows[i].line);
            (void)buf_puts(&line, rows[i].raw ? rows[i].raw : "");
            (void)buf_putc(&line, ',');
            (void)csv_write_field(&line, rows[i].reason, strlen(rows[i].reason), true);
            (void)buf_printf(&line, ",%s\r\n", number);
            after = rows[i].line;
        }
        if (fwrite(line.ptr, 1, line.len, out) != line.len) {
            rc = pr_error_set(err, PR_IO, "cannot write the rejected rows: %s", strerror(errno));
            break;
        }
        buf_reset(&line);
        arena_reset(a);
    }
    if (rc == PR_OK && line.len > 0 && fwrite(line.ptr, 1, line.len, out) != line.len)
        rc = pr_error_set(err, PR_IO, "cannot write the rejected rows: %s", strerror(errno));
out:
    json_decref(mapping);
    buf_free(&line);
    arena_free(a);
    return rc;
}
