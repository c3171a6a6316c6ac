/*
 * Consents repository: an append-only history per contact and channel. Every statement filters
 * on tenant_id. The record points at its contact through (tenant_id, contact_id), so the
 * database refuses a consent for another tenant's contact; the check before the insert turns
 * that into the same "contact not found" a missing contact gives.
 */
#include "store/consents.h"

#include "store/store_int.h"

#define CONSENT_COLUMNS "id, tenant_id, contact_id, channel, status, source, evidence, recorded_at"

static const char SQL_CONTACT_EXISTS[] =
    "SELECT count(*) FROM contacts WHERE tenant_id = ? AND id = ?";
static const char SQL_INSERT[] =
    "INSERT INTO consents (tenant_id, contact_id, channel, status, source, evidence, "
    "recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
/* Records made in the same millisecond are ordered by id: the later insert wins. */
static const char SQL_LATEST[] =
    "SELECT " CONSENT_COLUMNS " FROM consents WHERE tenant_id = ? AND contact_id = ? "
    "AND channel = ? ORDER BY recorded_at DESC, id DESC LIMIT 1";
static const char SQL_LIST[] = "SELECT " CONSENT_COLUMNS " FROM consents "
                               "WHERE tenant_id = ? AND contact_id = ? ORDER BY recorded_at, id";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct consent *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->contact_id = store__col_int(stmt, 2);
    out->channel = store__col_text(stmt, 3, a);
    out->status = store__col_text(stmt, 4, a);
    out->source = store__col_text(stmt, 5, a);
    out->evidence = store__col_text(stmt, 6, a);
    out->recorded_at = store__col_int(stmt, 7);
}

enum pr_code store_consents_record(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                   const char *channel, const char *status, const char *source,
                                   const char *evidence, int64_t *out_id, struct pr_error *err)
{
    int64_t n_contacts = 0;
    enum pr_code rc = store__query_int(st, SQL_CONTACT_EXISTS,
                                       STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id)),
                                       &n_contacts, err);

    if (rc == PR_OK && n_contacts == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact not found");
    if (rc == PR_OK)
        rc = store__query_int(st, SQL_INSERT,
                              STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id),
                                           STORE_TEXT(channel), STORE_TEXT(status),
                                           STORE_TEXT(source), STORE_TEXT(evidence),
                                           STORE_INT(store_now_ms(st))),
                              out_id, err);
    /* The insert has no unique key, so a conflict is the foreign key: the contact was deleted
     * after the check. */
    if (rc == PR_CONFLICT)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact not found");
    return rc;
}

enum pr_code store_consents_latest(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                   const char *channel, struct arena *a, struct consent *out,
                                   bool *found, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row = false;
    enum pr_code rc = store__query(
        st, SQL_LATEST,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id), STORE_TEXT(channel)), &stmt,
        err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK) {
        *found = has_row;
        if (has_row)
            read_row(stmt, a, out);
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store_consents_list(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                 struct arena *a, struct consent **out, size_t *n_out,
                                 struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc =
        store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id)),
                    read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}
