/*
 * Suppressions repository. Every statement filters on tenant_id. Adding is idempotent on the
 * natural key (tenant_id, kind, value): the insert does nothing on a duplicate and the
 * existing id is read back instead.
 */
#include "store/suppressions.h"

#include "store/store_int.h"

#include <string.h>

#define SUPPRESSION_COLUMNS "id, tenant_id, kind, value, reason, source, created_at"

static const char SQL_INSERT[] =
    "INSERT INTO suppressions (tenant_id, kind, value, reason, source, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id, kind, value) DO NOTHING RETURNING id";
static const char SQL_FIND_ID[] =
    "SELECT id FROM suppressions WHERE tenant_id = ? AND kind = ? AND value = ?";
static const char SQL_GET[] =
    "SELECT " SUPPRESSION_COLUMNS " FROM suppressions WHERE tenant_id = ? AND id = ?";
/* The key is unique, so the count is 0 or 1 (and reads as an integer on every backend). */
static const char SQL_CHECK[] =
    "SELECT count(*) FROM suppressions WHERE tenant_id = ? AND kind = ? AND value = ?";
/* Two statements rather than "(? IS NULL OR kind = ?)", whose untyped NULL parameter
 * PostgreSQL cannot type. */
static const char SQL_LIST[] = "SELECT " SUPPRESSION_COLUMNS " FROM suppressions "
                               "WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?";
static const char SQL_LIST_KIND[] =
    "SELECT " SUPPRESSION_COLUMNS " FROM suppressions "
    "WHERE tenant_id = ? AND kind = ? AND id > ? ORDER BY id LIMIT ?";
static const char SQL_DELETE[] = "DELETE FROM suppressions WHERE tenant_id = ? AND id = ?";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct suppression *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->kind = store__col_text(stmt, 2, a);
    out->value = store__col_text(stmt, 3, a);
    out->reason = store__col_text(stmt, 4, a);
    out->source = store__col_text(stmt, 5, a);
    out->created_at = store__col_int(stmt, 6);
}

enum pr_code store_suppressions_add(struct store *st, const struct tenant_ctx *t, const char *kind,
                                    const char *value, const char *reason, const char *source,
                                    int64_t *out_id, bool *was_new, struct pr_error *err)
{
    enum pr_code rc = PR_OK;
    bool is_new = false;
    int attempt;

    /* A second attempt covers an entry removed between the two statements of the first. */
    for (attempt = 0; attempt < 2; attempt++) {
        rc = store__query_int(st, SQL_INSERT,
                              STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(kind),
                                           STORE_TEXT(value), STORE_TEXT(reason),
                                           STORE_TEXT(source), STORE_INT(store_now_ms(st))),
                              out_id, err);
        is_new = rc == PR_OK;
        if (rc != PR_NOT_FOUND)
            break;
        /* No row back: the entry exists already. */
        rc = store__query_int(
            st, SQL_FIND_ID,
            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(kind), STORE_TEXT(value)), out_id,
            err);
        if (rc != PR_NOT_FOUND)
            break;
    }
    if (rc == PR_NOT_FOUND) {
        pr_error_set(err, PR_UNAVAILABLE, "the suppression list changed during the update");
        rc = pr_error_hint(err, "retry");
    }
    if (rc == PR_OK) {
        pr_error_clear(err);
        if (was_new != NULL)
            *was_new = is_new;
    }
    return rc;
}

enum pr_code store_suppressions_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct arena *a, struct suppression *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "suppression not found", err);
}

enum pr_code store_suppressions_check(struct store *st, const struct tenant_ctx *t,
                                      const char *kind, const char *value, bool *is_suppressed,
                                      struct pr_error *err)
{
    int64_t n = 0;
    enum pr_code rc = store__query_int(
        st, SQL_CHECK, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(kind), STORE_TEXT(value)),
        &n, err);

    if (rc == PR_OK)
        *is_suppressed = n > 0;
    return rc;
}

enum pr_code store_suppressions_list(struct store *st, const struct tenant_ctx *t, const char *kind,
                                     int64_t after_id, int limit, struct arena *a,
                                     struct suppression **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    int64_t clamped = store__clamp_limit(limit);
    enum pr_code rc;

    if (kind == NULL)
        rc = store__list(
            st, SQL_LIST,
            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(after_id), STORE_INT(clamped)),
            read_row, sizeof **out, a, &rows, n_out, err);
    else
        rc = store__list(st, SQL_LIST_KIND,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(kind),
                                      STORE_INT(after_id), STORE_INT(clamped)),
                         read_row, sizeof **out, a, &rows, n_out, err);
    if (rc == PR_OK)
        *out = rows;
    return rc;
}

/* Whether a contact is suppressed, from the whole list: its e-mail, its phone, its e-mail's
 * domain or its company's domain is listed. */
#define SUPPRESSED_NOW                                                                             \
    "EXISTS (SELECT 1 FROM suppressions s WHERE s.tenant_id = contacts.tenant_id AND ("            \
    "(s.kind = 'email' AND s.value = contacts.email_norm) OR "                                     \
    "(s.kind = 'phone' AND s.value = contacts.phone_e164) OR "                                     \
    "(s.kind = 'domain' AND (contacts.email_norm LIKE '%@' || s.value OR s.value = "               \
    "(SELECT co.domain FROM companies co WHERE co.tenant_id = contacts.tenant_id "                 \
    "AND co.id = contacts.company_id)))))"
static const char SQL_REFRESH_EMAIL[] =
    "UPDATE contacts SET is_suppressed = CASE WHEN " SUPPRESSED_NOW " THEN 1 ELSE 0 END, "
    "updated_at = ? WHERE tenant_id = ? AND email_norm = ?";
static const char SQL_REFRESH_PHONE[] =
    "UPDATE contacts SET is_suppressed = CASE WHEN " SUPPRESSED_NOW " THEN 1 ELSE 0 END, "
    "updated_at = ? WHERE tenant_id = ? AND phone_e164 = ?";
static const char SQL_REFRESH_DOMAIN[] =
    "UPDATE contacts SET is_suppressed = CASE WHEN " SUPPRESSED_NOW " THEN 1 ELSE 0 END, "
    "updated_at = ? WHERE tenant_id = ? AND (email_norm LIKE '%@' || ? OR company_id IN "
    "(SELECT id FROM companies WHERE tenant_id = ? AND domain = ?))";

enum pr_code store_suppressions_refresh_contacts(struct store *st, const struct tenant_ctx *t,
                                                 const char *kind, const char *value,
                                                 int64_t *n_changed, struct pr_error *err)
{
    int64_t now = store_now_ms(st), n = 0;
    enum pr_code rc;

    if (strcmp(kind, "email") == 0)
        rc = store__exec_changes(
            st, SQL_REFRESH_EMAIL,
            STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id), STORE_TEXT(value)), &n, err);
    else if (strcmp(kind, "phone") == 0)
        rc = store__exec_changes(
            st, SQL_REFRESH_PHONE,
            STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id), STORE_TEXT(value)), &n, err);
    else if (strcmp(kind, "domain") == 0)
        rc = store__exec_changes(st, SQL_REFRESH_DOMAIN,
                                 STORE_PARAMS(STORE_INT(now), STORE_INT(t->tenant_id),
                                              STORE_TEXT(value), STORE_INT(t->tenant_id),
                                              STORE_TEXT(value)),
                                 &n, err);
    else
        rc = pr_error_set(err, PR_INVALID, "unknown suppression kind \"%.20s\"", kind);
    if (rc == PR_OK && n_changed != NULL)
        *n_changed = n;
    return rc;
}

enum pr_code store_suppressions_remove(struct store *st, const struct tenant_ctx *t, int64_t id,
                                       struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "suppression not found");
    return rc;
}
