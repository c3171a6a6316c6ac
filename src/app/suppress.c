/* Suppression list use cases. */
#include "app/suppress.h"

#include "core/domain.h"
#include "core/email.h"
#include "core/phone.h"
#include "store/suppressions.h"
#include "store/tenants.h"
#include "util/arena.h"
#include "util/csv.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

const char *app_suppress_guess_kind(const char *text)
{
    size_t i, n_digits = 0;

    if (strchr(text, '@') != NULL)
        return "email";
    for (i = 0; text[i] != '\0'; i++) {
        if (text[i] >= '0' && text[i] <= '9')
            n_digits++;
        else if (strchr("+-(). ", text[i]) == NULL)
            return "domain";
    }
    return n_digits > 0 ? "phone" : "domain";
}

enum pr_code app_suppress_normalize(const char *text, const char *kind, const char *region,
                                    const char **kind_out, char *out, size_t out_size,
                                    struct pr_error *err)
{
    enum pr_code rc;

    if (kind == NULL)
        kind = app_suppress_guess_kind(text);
    *kind_out = kind;
    if (strcmp(kind, "email") == 0) {
        struct email_norm norm;

        rc = email_normalize_lead(text, strlen(text), &norm, err);
        if (rc == PR_OK)
            (void)snprintf(out, out_size, "%s", norm.key);
        return rc;
    }
    if (strcmp(kind, "phone") == 0) {
        struct phone_info info;

        rc = phone_normalize(text, strlen(text), region, &info, err);
        if (rc == PR_OK && !info.is_valid)
            rc = pr_error_set(err, PR_INVALID, "\"%.40s\" is not a valid phone number", text);
        if (rc == PR_OK)
            (void)snprintf(out, out_size, "%s", info.e164);
        return rc;
    }
    if (strcmp(kind, "domain") == 0)
        return domain_normalize(text, strlen(text), out, out_size, err);
    pr_error_set(err, PR_INVALID, "unknown kind \"%.20s\"", kind);
    return pr_error_hint(err, "the kinds are email, phone and domain");
}

static enum pr_code tenant_region(struct app *app, const struct tenant_ctx *t, char region[3],
                                  struct pr_error *err)
{
    struct arena *a = arena_new(512);
    struct tenant tenant;
    enum pr_code rc = store_tenants_get(app->st, t->tenant_id, a, &tenant, err);

    if (rc == PR_OK)
        (void)snprintf(region, 3, "%s", tenant.phone_region);
    arena_free(a);
    return rc;
}

/* Adds one normalized value inside the caller's transaction. */
static enum pr_code add_normalized(struct app *app, const struct app_actor *actor,
                                   const struct tenant_ctx *t, const char *kind, const char *value,
                                   const char *reason, const char *source, int64_t *out_id,
                                   bool *was_new, int64_t *n_flagged, bool is_audited,
                                   struct pr_error *err)
{
    enum pr_code rc =
        store_suppressions_add(app->st, t, kind, value, reason, source, out_id, was_new, err);

    if (rc == PR_OK)
        rc = store_suppressions_refresh_contacts(app->st, t, kind, value, n_flagged, err);
    if (rc == PR_OK && *was_new && is_audited)
        rc = app_audit(app, actor, t, "suppression.add", "suppression", *out_id, NULL, err);
    return rc;
}

enum pr_code app_suppress_add(struct app *app, const struct app_actor *actor,
                              const struct tenant_ctx *t, const char *text, const char *kind,
                              const char *reason, const char *source, int64_t *out_id,
                              bool *was_new, int64_t *n_flagged, struct pr_error *err)
{
    char region[3], value[400];
    const char *used_kind = NULL;
    enum pr_code rc = tenant_region(app, t, region, err);

    if (rc == PR_OK)
        rc = app_suppress_normalize(text, kind, region, &used_kind, value, sizeof value, err);
    if (rc == PR_OK)
        rc = store_begin(app->st, err);
    if (rc != PR_OK)
        return rc;
    rc = add_normalized(app, actor, t, used_kind, value, reason, source, out_id, was_new, n_flagged,
                        true, err);
    if (rc == PR_OK)
        return store_commit(app->st, err);
    store_rollback(app->st);
    return rc;
}

enum pr_code app_suppress_remove(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, int64_t id, int64_t *n_unflagged,
                                 struct pr_error *err)
{
    struct arena *a = arena_new(1024);
    struct suppression entry;
    enum pr_code rc = store_begin(app->st, err);

    if (rc == PR_OK)
        rc = store_suppressions_get(app->st, t, id, a, &entry, err);
    if (rc == PR_OK)
        rc = store_suppressions_remove(app->st, t, id, err);
    if (rc == PR_OK)
        rc = store_suppressions_refresh_contacts(app->st, t, entry.kind, entry.value, n_unflagged,
                                                 err);
    if (rc == PR_OK)
        rc = app_audit(app, actor, t, "suppression.remove", "suppression", id, NULL, err);
    if (rc == PR_OK)
        rc = store_commit(app->st, err);
    else
        store_rollback(app->st);
    arena_free(a);
    return rc;
}

/* The column holding the values, and the kind it fixes (NULL: guess per value). */
static size_t value_column(const struct csv_record *header, const char **kind, bool *is_header)
{
    static const char *const names[] = {"email", "phone", "domain", "value"};
    size_t i, j;

    *kind = NULL;
    *is_header = false;
    for (i = 0; i < header->n_fields; i++)
        for (j = 0; j < 4; j++)
            if (header->fields[i].len == strlen(names[j]) &&
                strncasecmp(header->fields[i].ptr, names[j], header->fields[i].len) == 0) {
                *kind = j < 3 ? names[j] : NULL;
                *is_header = true;
                return i;
            }
    return 0;
}

enum pr_code app_suppress_import(struct app *app, const struct app_actor *actor,
                                 const struct tenant_ctx *t, const char *path, const char *reason,
                                 const char *source, struct suppress_import_counts *counts,
                                 struct pr_error *err)
{
    struct csv_reader *reader = NULL;
    struct csv_record rec;
    const char *kind = NULL;
    char region[3];
    bool has_record = true, is_header = false, in_tx = false;
    size_t column = 0;
    int n_in_batch = 0;
    enum pr_code rc = tenant_region(app, t, region, err);

    memset(counts, 0, sizeof *counts);
    if (rc == PR_OK)
        rc = csv_reader_open_file(path, NULL, &reader, err);
    while (rc == PR_OK) {
        char text[400], value[400];
        const char *used_kind = NULL;
        struct pr_error value_err;
        bool was_new = false;
        int64_t id = 0;

        rc = csv_reader_next(reader, &rec, &has_record, err);
        if (rc != PR_OK || !has_record)
            break;
        if (rec.line == 1) {
            column = value_column(&rec, &kind, &is_header);
            if (is_header)
                continue;
        }
        if (column >= rec.n_fields || rec.fields[column].len == 0)
            continue;
        (void)snprintf(text, sizeof text, "%.*s", (int)rec.fields[column].len,
                       rec.fields[column].ptr);
        if (app_suppress_normalize(text, kind, region, &used_kind, value, sizeof value,
                                   &value_err) != PR_OK) {
            if (counts->n_invalid++ == 0) {
                counts->first_invalid_line = (int64_t)rec.line;
                (void)snprintf(counts->first_invalid_reason, sizeof counts->first_invalid_reason,
                               "%s", value_err.message);
            }
            continue;
        }
        if (!in_tx) {
            rc = store_begin(app->st, err);
            in_tx = rc == PR_OK;
        }
        if (rc == PR_OK)
            rc = add_normalized(app, actor, t, used_kind, value, reason, source, &id, &was_new,
                                NULL, false, err);
        if (rc == PR_OK) {
            *(was_new ? &counts->n_added : &counts->n_existing) += 1;
            if (++n_in_batch == 1000) {
                rc = store_commit(app->st, err);
                in_tx = false;
                n_in_batch = 0;
            }
        }
    }
    if (rc == PR_OK && !in_tx) {
        rc = store_begin(app->st, err);
        in_tx = rc == PR_OK;
    }
    /* One audit entry for the whole file, with its counts. */
    if (rc == PR_OK) {
        char detail[200];

        (void)snprintf(detail, sizeof detail, "{\"added\":%lld,\"existing\":%lld,\"invalid\":%lld}",
                       (long long)counts->n_added, (long long)counts->n_existing,
                       (long long)counts->n_invalid);
        rc = app_audit(app, actor, t, "suppression.import", "suppression", 0, detail, err);
    }
    if (in_tx && rc == PR_OK)
        rc = store_commit(app->st, err);
    else if (in_tx)
        store_rollback(app->st);
    csv_reader_close(reader);
    return rc;
}
