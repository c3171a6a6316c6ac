/* Scores repository. Every statement filters on tenant_id. */
#include "store/scores.h"

#include "store/store_int.h"

static const char SQL_SET[] = "UPDATE contacts SET score = ?, score_breakdown = ?, updated_at = ? "
                              "WHERE tenant_id = ? AND id = ?";
static const char SQL_HISTORY_ADD[] =
    "INSERT INTO score_history (tenant_id, contact_id, score, breakdown, icp_version, scored_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
static const char SQL_EXISTS[] = "SELECT count(*) FROM contacts WHERE tenant_id = ? AND id = ?";
static const char SQL_HISTORY[] =
    "SELECT contact_id, score, breakdown, icp_version, scored_at FROM score_history "
    "WHERE tenant_id = ? AND contact_id = ? ORDER BY scored_at, id";

static void read_entry(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct score_entry *out = row;

    out->contact_id = store__col_int(stmt, 0);
    out->score = store__col_int(stmt, 1);
    out->breakdown = store__col_text(stmt, 2, a);
    out->icp_version = store__col_text(stmt, 3, a);
    out->scored_at = store__col_int(stmt, 4);
}

enum pr_code store_scores_record(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                 int score, const char *breakdown_json, const char *icp_version,
                                 struct pr_error *err)
{
    int64_t now = store_now_ms(st), n_changed = 0;
    enum pr_code rc = store__exec_changes(st, SQL_SET,
                                          STORE_PARAMS(STORE_INT(score), STORE_TEXT(breakdown_json),
                                                       STORE_INT(now), STORE_INT(t->tenant_id),
                                                       STORE_INT(contact_id)),
                                          &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        return pr_error_set(err, PR_NOT_FOUND, "contact not found");
    if (rc == PR_OK)
        rc = store__exec(st, SQL_HISTORY_ADD,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id),
                                      STORE_INT(score), STORE_TEXT(breakdown_json),
                                      STORE_TEXT(icp_version), STORE_INT(now)),
                         err);
    return rc;
}

enum pr_code store_scores_history(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                  struct arena *a, struct score_entry **out, size_t *n_out,
                                  struct pr_error *err)
{
    void *rows = NULL;
    int64_t exists = 0;
    enum pr_code rc = store__query_int(
        st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id)), &exists, err);

    if (rc == PR_OK && exists == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact not found");
    if (rc != PR_OK)
        return rc;
    rc = store__list(st, SQL_HISTORY, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id)),
                     read_entry, sizeof **out, a, &rows, n_out, err);
    if (rc == PR_OK)
        *out = rows;
    return rc;
}
