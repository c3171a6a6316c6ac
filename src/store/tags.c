/*
 * Tags repository. Every statement filters on tenant_id; a tag or contact of another tenant is
 * "not found", exactly like a missing one. contact_tags references both sides through
 * (tenant_id, id), so the database itself refuses a cross-tenant assignment; the ownership
 * check before an insert only turns that refusal into a precise PR_NOT_FOUND.
 */
#include "store/tags.h"

#include "store/store_int.h"

#define TAG_COLUMNS "id, tenant_id, name, created_at"

static const char SQL_INSERT[] =
    "INSERT INTO tags (tenant_id, name, created_at) VALUES (?, ?, ?) RETURNING id";
static const char SQL_GET[] = "SELECT " TAG_COLUMNS " FROM tags WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST[] =
    "SELECT " TAG_COLUMNS " FROM tags WHERE tenant_id = ? ORDER BY name, id";
static const char SQL_RENAME[] = "UPDATE tags SET name = ? WHERE tenant_id = ? AND id = ?";
static const char SQL_DELETE[] = "DELETE FROM tags WHERE tenant_id = ? AND id = ?";
static const char SQL_OWNS_BOTH[] =
    "SELECT (SELECT count(*) FROM tags WHERE tenant_id = ? AND id = ?), "
    "(SELECT count(*) FROM contacts WHERE tenant_id = ? AND id = ?)";
static const char SQL_ATTACH[] =
    "INSERT INTO contact_tags (tenant_id, tag_id, contact_id, created_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT DO NOTHING";
static const char SQL_DETACH[] =
    "DELETE FROM contact_tags WHERE tenant_id = ? AND tag_id = ? AND contact_id = ?";
static const char SQL_OF_CONTACT[] =
    "SELECT t.id, t.tenant_id, t.name, t.created_at FROM contact_tags ct "
    "JOIN tags t ON t.tenant_id = ct.tenant_id AND t.id = ct.tag_id "
    "WHERE ct.tenant_id = ? AND ct.contact_id = ? ORDER BY t.name, t.id";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct tag *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->name = store__col_text(stmt, 2, a);
    out->created_at = store__col_int(stmt, 3);
}

enum pr_code store_tags_create(struct store *st, const struct tenant_ctx *t, const char *name,
                               int64_t *out_id, struct pr_error *err)
{
    return store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name), STORE_INT(store_now_ms(st))),
        out_id, err);
}

enum pr_code store_tags_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                            struct arena *a, struct tag *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "tag not found", err);
}

enum pr_code store_tags_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                             struct tag **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id)), read_row,
                                  sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_tags_rename(struct store *st, const struct tenant_ctx *t, int64_t id,
                               const char *name, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_RENAME, STORE_PARAMS(STORE_TEXT(name), STORE_INT(t->tenant_id), STORE_INT(id)),
        &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "tag not found");
    return rc;
}

enum pr_code store_tags_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "tag not found");
    return rc;
}

/* PR_NOT_FOUND unless both the tag and the contact belong to the tenant. */
static enum pr_code check_owned(struct store *st, const struct tenant_ctx *t, int64_t tag_id,
                                int64_t contact_id, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc = store__query(st, SQL_OWNS_BOTH,
                                   STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(tag_id),
                                                STORE_INT(t->tenant_id), STORE_INT(contact_id)),
                                   &stmt, err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && (!has_row || store__col_int(stmt, 0) == 0))
        rc = pr_error_set(err, PR_NOT_FOUND, "tag not found");
    else if (rc == PR_OK && store__col_int(stmt, 1) == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact not found");
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store_tags_attach(struct store *st, const struct tenant_ctx *t, int64_t tag_id,
                               int64_t contact_id, struct pr_error *err)
{
    enum pr_code rc = check_owned(st, t, tag_id, contact_id, err);

    if (rc != PR_OK)
        return rc;
    rc = store__exec(st, SQL_ATTACH,
                     STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(tag_id), STORE_INT(contact_id),
                                  STORE_INT(store_now_ms(st))),
                     err);
    /* ON CONFLICT absorbs a repeated attach, so the only conflict left is a foreign key: the
     * tag or contact was deleted after the check. */
    if (rc == PR_CONFLICT)
        rc = pr_error_set(err, PR_NOT_FOUND, "tag or contact not found");
    return rc;
}

enum pr_code store_tags_detach(struct store *st, const struct tenant_ctx *t, int64_t tag_id,
                               int64_t contact_id, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DETACH,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(tag_id), STORE_INT(contact_id)), &n_changed,
        err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact tag not found");
    return rc;
}

enum pr_code store_tags_of_contact(struct store *st, const struct tenant_ctx *t, int64_t contact_id,
                                   struct arena *a, struct tag **out, size_t *n_out,
                                   struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_OF_CONTACT,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(contact_id)),
                                  read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}
