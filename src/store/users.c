/* Users repository. Every statement filters on tenant_id. */
#include "store/users.h"

#include "store/store_int.h"

#define USER_COLUMNS                                                                               \
    "id, tenant_id, email, name, role, status, password_hash, created_at, last_login_at"

static const char SQL_INSERT[] =
    "INSERT INTO users (tenant_id, email, email_norm, name, role, password_hash, created_at, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] = "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? AND id = ?";
static const char SQL_BY_EMAIL[] =
    "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? AND email_norm = ?";
static const char SQL_LIST[] = "SELECT " USER_COLUMNS " FROM users WHERE tenant_id = ? ORDER BY id";
static const char SQL_SET_PASSWORD[] =
    "UPDATE users SET password_hash = ?, updated_at = ? WHERE tenant_id = ? AND id = ?";
static const char SQL_DELETE[] = "DELETE FROM users WHERE tenant_id = ? AND id = ?";

static const struct store_column updatable[] = {
    {"name", STORE_PARAM_TEXT, false},
    {"role", STORE_PARAM_TEXT, false},
    {"status", STORE_PARAM_TEXT, false},
};

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct user *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->email = store__col_text(stmt, 2, a);
    out->name = store__col_text(stmt, 3, a);
    out->role = store__col_text(stmt, 4, a);
    out->status = store__col_text(stmt, 5, a);
    out->password_hash = store__col_text(stmt, 6, a);
    out->created_at = store__col_int(stmt, 7);
    out->last_login_at = store__col_is_null(stmt, 8) ? 0 : store__col_int(stmt, 8);
}

enum pr_code store_users_create(struct store *st, const struct tenant_ctx *t, const char *email,
                                const char *email_norm, const char *name, const char *role,
                                const char *password_hash, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);

    return store__query_int(st, SQL_INSERT,
                            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(email),
                                         STORE_TEXT(email_norm), STORE_TEXT(name ? name : ""),
                                         STORE_TEXT(role), STORE_TEXT(password_hash),
                                         STORE_INT(now), STORE_INT(now)),
                            out_id, err);
}

enum pr_code store_users_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                             struct arena *a, struct user *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "user not found", err);
}

enum pr_code store_users_find_by_email(struct store *st, const struct tenant_ctx *t,
                                       const char *email_norm, struct arena *a, struct user *out,
                                       struct pr_error *err)
{
    return store__get(st, SQL_BY_EMAIL,
                      STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(email_norm)), read_row, a,
                      out, "user not found", err);
}

enum pr_code store_users_list(struct store *st, const struct tenant_ctx *t, struct arena *a,
                              struct user **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST, STORE_PARAMS(STORE_INT(t->tenant_id)), read_row,
                                  sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_users_set_password(struct store *st, const struct tenant_ctx *t, int64_t id,
                                      const char *password_hash, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc =
        store__exec_changes(st, SQL_SET_PASSWORD,
                            STORE_PARAMS(STORE_TEXT(password_hash), STORE_INT(store_now_ms(st)),
                                         STORE_INT(t->tenant_id), STORE_INT(id)),
                            &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "user not found");
    return rc;
}

enum pr_code store_users_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                const struct store_field *fields, size_t n_fields,
                                struct pr_error *err)
{
    enum pr_code rc =
        store__update(st, t, "users", updatable, sizeof updatable / sizeof updatable[0], true, id,
                      fields, n_fields, err);

    if (rc == PR_NOT_FOUND)
        pr_error_set(err, PR_NOT_FOUND, "user not found");
    return rc;
}

enum pr_code store_users_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "user not found");
    return rc;
}
