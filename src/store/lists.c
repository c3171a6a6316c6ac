/*
 * Lists repository. Every statement filters on tenant_id; a list or contact of another tenant
 * is "not found", exactly like a missing one. Members reference both the list and the contact
 * through (tenant_id, id), so the database itself refuses a cross-tenant membership; the
 * ownership check before an insert only turns that refusal into a precise PR_NOT_FOUND.
 */
#include "store/lists.h"

#include "store/store_int.h"

/* n_members counts only this tenant's membership rows (the subquery binds tenant_id too). */
#define LIST_COLUMNS                                                                               \
    "l.id, l.tenant_id, l.name, l.description, "                                                   \
    "(SELECT count(*) FROM list_members m WHERE m.tenant_id = ? AND m.list_id = l.id), "           \
    "l.created_at"

static const char SQL_INSERT[] =
    "INSERT INTO lists (tenant_id, name, description, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] =
    "SELECT " LIST_COLUMNS " FROM lists l WHERE l.tenant_id = ? AND l.id = ?";
static const char SQL_BY_NAME[] =
    "SELECT " LIST_COLUMNS " FROM lists l WHERE l.tenant_id = ? AND l.name = ?";
static const char SQL_LIST[] =
    "SELECT " LIST_COLUMNS " FROM lists l WHERE l.tenant_id = ? ORDER BY l.name, l.id";
static const char SQL_DELETE[] = "DELETE FROM lists WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST_EXISTS[] = "SELECT count(*) FROM lists WHERE tenant_id = ? AND id = ?";
static const char SQL_OWNS_BOTH[] =
    "SELECT (SELECT count(*) FROM lists WHERE tenant_id = ? AND id = ?), "
    "(SELECT count(*) FROM contacts WHERE tenant_id = ? AND id = ?)";
static const char SQL_ADD_MEMBER[] =
    "INSERT INTO list_members (tenant_id, list_id, contact_id, added_at) VALUES (?, ?, ?, ?) "
    "ON CONFLICT DO NOTHING";
static const char SQL_REMOVE_MEMBER[] =
    "DELETE FROM list_members WHERE tenant_id = ? AND list_id = ? AND contact_id = ?";
static const char SQL_MEMBERS[] =
    "SELECT contact_id FROM list_members WHERE tenant_id = ? AND list_id = ? AND contact_id > ? "
    "ORDER BY contact_id LIMIT ?";

static const struct store_column updatable[] = {
    {"name", STORE_PARAM_TEXT, false},
    {"description", STORE_PARAM_TEXT, false},
};

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct contact_list *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->name = store__col_text(stmt, 2, a);
    out->description = store__col_text(stmt, 3, a);
    out->n_members = store__col_int(stmt, 4);
    out->created_at = store__col_int(stmt, 5);
}

static void read_contact_id(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    int64_t *out = row;

    (void)a;
    *out = store__col_int(stmt, 0);
}

enum pr_code store_lists_create(struct store *st, const struct tenant_ctx *t, const char *name,
                                const char *description, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);

    return store__query_int(st, SQL_INSERT,
                            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name),
                                         STORE_TEXT(description ? description : ""), STORE_INT(now),
                                         STORE_INT(now)),
                            out_id, err);
}

enum pr_code store_lists_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                             struct arena *a, struct contact_list *out, struct pr_error *err)
{
    return store__get(st, SQL_GET,
                      STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(t->tenant_id), STORE_INT(id)),
                      read_row, a, out, "list not found", err);
}

enum pr_code store_lists_find_by_name(struct store *st, const struct tenant_ctx *t,
                                      const char *name, struct arena *a, struct contact_list *out,
                                      struct pr_error *err)
{
    return store__get(
        st, SQL_BY_NAME,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(t->tenant_id), STORE_TEXT(name)), read_row,
        a, out, "list not found", err);
}

enum pr_code store_lists_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                              struct contact_list **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc =
        store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(t->tenant_id)),
                    read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_lists_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const struct store_field *fields, size_t n_fields,
                                struct pr_error *err)
{
    enum pr_code rc =
        store__update(st, t, "lists", updatable, sizeof updatable / sizeof updatable[0], true, id,
                      fields, n_fields, err);

    if (rc == PR_NOT_FOUND)
        pr_error_set(err, PR_NOT_FOUND, "list not found");
    return rc;
}

enum pr_code store_lists_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "list not found");
    return rc;
}

/* PR_NOT_FOUND unless both the list and the contact belong to the tenant. */
static enum pr_code check_owned(struct store *st, const struct tenant_ctx *t, int64_t list_id,
                                int64_t contact_id, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc = store__query(st, SQL_OWNS_BOTH,
                                   STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id),
                                                STORE_INT(t->tenant_id), STORE_INT(contact_id)),
                                   &stmt, err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && (!has_row || store__col_int(stmt, 0) == 0))
        rc = pr_error_set(err, PR_NOT_FOUND, "list not found");
    else if (rc == PR_OK && store__col_int(stmt, 1) == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact not found");
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store_lists_add_member(struct store *st, const struct tenant_ctx *t, int64_t list_id,
                                    int64_t contact_id, struct pr_error *err)
{
    enum pr_code rc = check_owned(st, t, list_id, contact_id, err);

    if (rc != PR_OK)
        return rc;
    rc = store__exec(st, SQL_ADD_MEMBER,
                     STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id),
                                  STORE_INT(contact_id), STORE_INT(store_now_ms(st))),
                     err);
    /* ON CONFLICT absorbs a repeated add, so the only conflict left is a foreign key: the list
     * or contact was deleted after the check. */
    if (rc == PR_CONFLICT)
        rc = pr_error_set(err, PR_NOT_FOUND, "list or contact not found");
    return rc;
}

enum pr_code store_lists_remove_member(struct store *st, const struct tenant_ctx *t,
                                       int64_t list_id, int64_t contact_id, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_REMOVE_MEMBER,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id), STORE_INT(contact_id)),
        &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "list member not found");
    return rc;
}

enum pr_code store_lists_members(struct store *st, const struct tenant_ctx *t, int64_t list_id,
                                 int64_t after_contact_id, int limit, struct arena *a,
                                 int64_t **out_contact_ids, size_t *n_out, struct pr_error *err)
{
    void *ids = NULL;
    int64_t n_lists = 0;
    enum pr_code rc =
        store__query_int(st, SQL_LIST_EXISTS,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id)), &n_lists, err);

    if (rc == PR_OK && n_lists == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "list not found");
    if (rc == PR_OK)
        rc = store__list(st, SQL_MEMBERS,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(list_id),
                                      STORE_INT(after_contact_id),
                                      STORE_INT(store__clamp_limit(limit))),
                         read_contact_id, sizeof **out_contact_ids, a, &ids, n_out, err);
    if (rc == PR_OK)
        *out_contact_ids = ids;
    return rc;
}
