/* CSV export (see export.h). Layouts are data (export_columns.def); this file resolves each
 * column's value source once and streams candidates page by page. */
#include "app/export.h"

#include "store/companies.h"
#include "store/contacts.h"
#include "store/exports.h"
#include "store/lists.h"
#include "store/suppressions.h"
#include "util/arena.h"
#include "util/clock.h"
#include "util/csv_write.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define PAGE               1000
#define MAX_EXPORT_COLUMNS APP_EXPORT_MAX_COLUMNS

struct layout_column {
    enum export_format format;
    const char *header;
    const char *source;
};

static const struct layout_column layout[] = {
#define EXPORT_COLUMN(format, header, source) {EXPORT_##format, header, source},
#include "app/export_columns.def"
#undef EXPORT_COLUMN
};

enum value_kind {
    VALUE_CONTACT_TEXT,
    VALUE_COMPANY_TEXT,
    VALUE_COMPANY_EMPLOYEES,
    VALUE_COMPANY_REVENUE,
    VALUE_CUSTOM,
    VALUE_SCORE,
    VALUE_PHONE_BUSINESS,
    VALUE_PHONE_MOBILE,
    VALUE_CONTACT_ID,
    VALUE_EXPORTED_AT,
};

struct member {
    const char *name;
    size_t offset;
};

#define CONTACT_MEMBER(m)                                                                          \
    {                                                                                              \
#m, offsetof(struct contact, m)                                                            \
    }
static const struct member contact_members[] = {
    CONTACT_MEMBER(first_name),   CONTACT_MEMBER(last_name),  CONTACT_MEMBER(full_name),
    CONTACT_MEMBER(email),        CONTACT_MEMBER(phone_e164), CONTACT_MEMBER(phone_type),
    CONTACT_MEMBER(title),        CONTACT_MEMBER(city),       CONTACT_MEMBER(state),
    CONTACT_MEMBER(zip),          CONTACT_MEMBER(country),    CONTACT_MEMBER(time_zone),
    CONTACT_MEMBER(linkedin_url), CONTACT_MEMBER(source),
};
#define COMPANY_MEMBER(m)                                                                          \
    {                                                                                              \
#m, offsetof(struct company, m)                                                            \
    }
static const struct member company_members[] = {
    COMPANY_MEMBER(name),     COMPANY_MEMBER(domain), COMPANY_MEMBER(website),
    COMPANY_MEMBER(industry), COMPANY_MEMBER(sector), COMPANY_MEMBER(sic),
    COMPANY_MEMBER(naics),    COMPANY_MEMBER(county), COMPANY_MEMBER(linkedin_url),
};

struct resolved_column {
    enum value_kind kind;
    size_t offset;
    const char *custom_name;
};

static const char *const format_names[] = {
    [EXPORT_GENERIC] = "generic",
    [EXPORT_HUBSPOT] = "hubspot",
    [EXPORT_VANILLASOFT] = "vanillasoft",
};

enum pr_code app_export_format_parse(const char *text, enum export_format *out,
                                     struct pr_error *err)
{
    size_t i;

    for (i = 0; i < sizeof format_names / sizeof format_names[0]; i++)
        if (strcmp(text, format_names[i]) == 0) {
            *out = (enum export_format)i;
            return PR_OK;
        }
    pr_error_set(err, PR_INVALID, "unknown export format \"%.40s\"", text);
    return pr_error_hint(err, "formats are generic, hubspot and vanillasoft");
}

const char *app_export_format_name(enum export_format format)
{
    return format_names[format];
}

size_t app_export_headers(enum export_format format, const char **out, size_t max)
{
    size_t i, n = 0;

    for (i = 0; i < sizeof layout / sizeof layout[0] && n < max; i++)
        if (layout[i].format == format)
            out[n++] = layout[i].header;
    return n;
}

static bool find_member(const struct member *members, size_t n, const char *name, size_t *offset)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(members[i].name, name) == 0) {
            *offset = members[i].offset;
            return true;
        }
    return false;
}

static enum pr_code resolve(const char *source, struct resolved_column *out, struct pr_error *err)
{
    const char *dot = strchr(source, '.');
    const char *name = dot ? dot + 1 : "";
    size_t prefix = dot ? (size_t)(dot - source) : 0;

    memset(out, 0, sizeof *out);
    if (prefix == 7 && strncmp(source, "contact", 7) == 0 &&
        find_member(contact_members, sizeof contact_members / sizeof contact_members[0], name,
                    &out->offset))
        out->kind = VALUE_CONTACT_TEXT;
    else if (strcmp(source, "company.employees") == 0)
        out->kind = VALUE_COMPANY_EMPLOYEES;
    else if (strcmp(source, "company.revenue_usd") == 0)
        out->kind = VALUE_COMPANY_REVENUE;
    else if (prefix == 7 && strncmp(source, "company", 7) == 0 &&
             find_member(company_members, sizeof company_members / sizeof company_members[0], name,
                         &out->offset))
        out->kind = VALUE_COMPANY_TEXT;
    else if (prefix == 6 && strncmp(source, "custom", 6) == 0 && name[0] != '\0') {
        out->kind = VALUE_CUSTOM;
        out->custom_name = name;
    } else if (strcmp(source, "score.total") == 0)
        out->kind = VALUE_SCORE;
    else if (strcmp(source, "phone.business") == 0)
        out->kind = VALUE_PHONE_BUSINESS;
    else if (strcmp(source, "phone.mobile") == 0)
        out->kind = VALUE_PHONE_MOBILE;
    else if (strcmp(source, "meta.contact_id") == 0)
        out->kind = VALUE_CONTACT_ID;
    else if (strcmp(source, "meta.exported_at") == 0)
        out->kind = VALUE_EXPORTED_AT;
    else
        return pr_error_set(err, PR_INTERNAL, "export column source \"%s\" is unknown", source);
    return PR_OK;
}

enum pr_code app_export_check_layouts(struct pr_error *err)
{
    struct resolved_column r;
    size_t i;
    enum pr_code rc = PR_OK;

    for (i = 0; rc == PR_OK && i < sizeof layout / sizeof layout[0]; i++)
        rc = resolve(layout[i].source, &r, err);
    return rc;
}

static const char *text_member(const void *record, size_t offset)
{
    const char *value;

    memcpy(&value, (const char *)record + offset, sizeof value);
    return value;
}

/* The text of one cell; numbers are formatted into `a`. */
static const char *cell(const struct resolved_column *col, const struct contact *c,
                        const struct company *co, bool has_company, json_t *custom,
                        int64_t exported_at, struct arena *a)
{
    bool is_mobile = c->phone_type != NULL && strcmp(c->phone_type, "mobile") == 0;
    char when[32];

    switch (col->kind) {
    case VALUE_CONTACT_TEXT:
        return text_member(c, col->offset);
    case VALUE_COMPANY_TEXT:
        return has_company ? text_member(co, col->offset) : NULL;
    case VALUE_COMPANY_EMPLOYEES:
        return has_company && co->has_employees ? arena_printf(a, "%" PRId64, co->employees) : NULL;
    case VALUE_COMPANY_REVENUE:
        return has_company && co->has_revenue_usd ? arena_printf(a, "%" PRId64, co->revenue_usd)
                                                  : NULL;
    case VALUE_CUSTOM:
        return json_string_value(json_object_get(custom, col->custom_name));
    case VALUE_SCORE:
        return c->has_score ? arena_printf(a, "%" PRId64, c->score) : NULL;
    case VALUE_PHONE_MOBILE:
        return is_mobile ? c->phone_e164 : NULL;
    case VALUE_PHONE_BUSINESS:
        if (!is_mobile && c->phone_e164 != NULL)
            return c->phone_e164;
        return has_company ? co->phone : NULL;
    case VALUE_CONTACT_ID:
        return arena_printf(a, "%" PRId64, c->id);
    case VALUE_EXPORTED_AT:
        return arena_strdup(a, clock_format_iso8601(exported_at, when, sizeof when));
    }
    return NULL;
}

/* The second suppression check, at write time, against the whole list. */
static enum pr_code still_allowed(struct app *app, const struct tenant_ctx *t,
                                  const struct contact *c, const struct company *co,
                                  bool has_company, bool *allowed, struct pr_error *err)
{
    const char *at = c->email_norm ? strchr(c->email_norm, '@') : NULL;
    const char *kinds[] = {"email", "phone", "domain", "domain"};
    const char *values[] = {c->email_norm, c->phone_e164, at ? at + 1 : NULL,
                            has_company ? co->domain : NULL};
    size_t i;
    enum pr_code rc = PR_OK;

    *allowed = !c->is_suppressed;
    for (i = 0; rc == PR_OK && *allowed && i < 4; i++) {
        bool hit = false;

        if (values[i] == NULL)
            continue;
        rc = store_suppressions_check(app->st, t, kinds[i], values[i], &hit, err);
        *allowed = !hit;
    }
    return rc;
}

struct export_run {
    struct app *app;
    const struct tenant_ctx *t;
    const struct export_options *opt;
    struct resolved_column columns[MAX_EXPORT_COLUMNS];
    size_t n_columns;
    int64_t export_id;
    int64_t now;
    struct buf line;
    struct export_result *result;
};

/* Transactions of their own, or none inside the caller's (opt->in_caller_transaction). */
static enum pr_code tx_begin(struct export_run *r, struct pr_error *err)
{
    return r->opt->in_caller_transaction ? PR_OK : store_begin(r->app->st, err);
}

static enum pr_code tx_end(struct export_run *r, enum pr_code rc, struct pr_error *err)
{
    if (r->opt->in_caller_transaction)
        return rc;
    if (rc == PR_OK)
        return store_commit(r->app->st, err);
    store_rollback(r->app->st);
    return rc;
}

static enum pr_code write_one(struct export_run *r, int64_t contact_id, struct arena *a,
                              struct pr_error *err)
{
    struct contact c;
    struct company co;
    const char *values[MAX_EXPORT_COLUMNS];
    json_t *custom = NULL;
    bool has_company = false, allowed = false;
    size_t i;
    enum pr_code rc = store_contacts_get(r->app->st, r->t, contact_id, a, &c, err);

    if (rc == PR_OK && c.has_company) {
        rc = store_companies_get(r->app->st, r->t, c.company_id, a, &co, err);
        has_company = rc == PR_OK;
    }
    if (rc == PR_OK)
        rc = still_allowed(r->app, r->t, &c, &co, has_company, &allowed, err);
    if (rc != PR_OK)
        return rc;
    if (!allowed) {
        r->result->n_skipped_suppressed++;
        return PR_OK;
    }
    custom = json_loads(c.custom_fields ? c.custom_fields : "{}", 0, NULL);
    for (i = 0; i < r->n_columns; i++)
        values[i] = cell(&r->columns[i], &c, &co, has_company, custom, r->now, a);
    rc = csv_write_record(&r->line, values, r->n_columns, true);
    json_decref(custom);
    if (rc != PR_OK)
        return pr_error_set(err, PR_INVALID, "contact %" PRId64 " is too large to export",
                            contact_id);
    r->result->n_rows++;
    return store_exports_add_item(r->app->st, r->t, r->export_id, contact_id, err);
}

static enum pr_code flush(struct export_run *r, struct pr_error *err)
{
    if (r->line.len > 0 && fwrite(r->line.ptr, 1, r->line.len, r->opt->out) != r->line.len)
        return pr_error_set(err, PR_IO, "cannot write the export: %s", strerror(errno));
    buf_reset(&r->line);
    return PR_OK;
}

static enum pr_code run_pages(struct export_run *r, bool has_list, int64_t list_id,
                              struct pr_error *err)
{
    struct arena *a = arena_new(0);
    struct export_candidate *page = NULL;
    int64_t window_start =
        r->opt->window_days > 0 ? r->now - (int64_t)r->opt->window_days * 86400000 : INT64_MAX;
    int64_t after = 0;
    size_t n = 0, i;
    enum pr_code rc = PR_OK;

    for (;;) {
        rc = tx_begin(r, err);
        if (rc == PR_OK)
            rc = store_exports_candidates(r->app->st, r->t, has_list, list_id,
                                          r->opt->has_min_score, r->opt->min_score, window_start,
                                          after, PAGE, a, &page, &n, err);
        for (i = 0; rc == PR_OK && i < n; i++) {
            after = page[i].contact_id;
            if (page[i].is_recent)
                r->result->n_skipped_window++;
            else
                rc = write_one(r, page[i].contact_id, a, err);
        }
        /* The rows reach the file before the items that record them are committed. */
        if (rc == PR_OK)
            rc = flush(r, err);
        rc = tx_end(r, rc, err);
        arena_reset(a);
        if (rc != PR_OK || n < PAGE)
            break;
    }
    arena_free(a);
    return rc;
}

enum pr_code app_export_run(struct app *app, const struct app_actor *actor,
                            const struct tenant_ctx *t, const struct export_options *opt,
                            struct export_result *out, struct pr_error *err)
{
    struct export_run r;
    struct arena *a = arena_new(1024);
    struct contact_list list;
    const char *headers[MAX_EXPORT_COLUMNS];
    bool has_list = false;
    size_t i;
    enum pr_code rc = PR_OK;

    memset(&r, 0, sizeof r);
    memset(out, 0, sizeof *out);
    r.app = app;
    r.t = t;
    r.opt = opt;
    r.result = out;
    r.now = store_now_ms(app->st);
    buf_init(&r.line, 256 * 1024 * 1024);
    for (i = 0; rc == PR_OK && i < sizeof layout / sizeof layout[0]; i++)
        if (layout[i].format == opt->format && r.n_columns < MAX_EXPORT_COLUMNS)
            rc = resolve(layout[i].source, &r.columns[r.n_columns++], err);
    if (rc == PR_OK && opt->list_name != NULL) {
        rc = store_lists_find_by_name(app->st, t, opt->list_name, a, &list, err);
        if (rc == PR_NOT_FOUND)
            pr_error_hint(err, "`prospect import --list NAME` creates lists");
        has_list = rc == PR_OK;
    }
    if (rc == PR_OK) {
        i = app_export_headers(opt->format, headers, MAX_EXPORT_COLUMNS);
        rc = csv_write_record(&r.line, headers, i, false) == PR_OK
                 ? PR_OK
                 : pr_error_set(err, PR_INTERNAL, "header too long");
    }
    if (rc == PR_OK)
        rc = tx_begin(&r, err);
    if (rc == PR_OK)
        rc = tx_end(&r,
                    store_exports_create(app->st, t, format_names[opt->format], has_list,
                                         has_list ? list.id : 0, opt->has_min_score, opt->min_score,
                                         &r.export_id, err),
                    err);
    if (rc == PR_OK)
        rc = run_pages(&r, has_list, has_list ? list.id : 0, err);
    if (rc == PR_OK)
        rc = flush(&r, err);
    if (rc == PR_OK)
        rc = tx_begin(&r, err);
    if (rc == PR_OK) {
        char detail[160];

        (void)snprintf(detail, sizeof detail,
                       "{\"format\":\"%s\",\"rows\":%" PRId64 ",\"skipped_window\":%" PRId64 "}",
                       format_names[opt->format], out->n_rows, out->n_skipped_window);
        rc = store_exports_finish(app->st, t, r.export_id, out->n_rows, out->n_skipped_window, err);
        if (rc == PR_OK)
            rc = app_audit(app, actor, t, "export.create", "export", r.export_id, detail, err);
        rc = tx_end(&r, rc, err);
    }
    out->export_id = r.export_id;
    buf_free(&r.line);
    arena_free(a);
    return rc;
}
