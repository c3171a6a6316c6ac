/* Audit log repository: append and newest-first pages. Every statement filters on tenant_id. */
#include "store/audit.h"

#include "store/store_int.h"

#include <stdint.h>

#define AUDIT_COLUMNS                                                                              \
    "id, tenant_id, actor_type, actor_id, action, object_type, object_id, detail, request_id, "    \
    "created_at"

static const char SQL_INSERT[] =
    "INSERT INTO audit_log (tenant_id, actor_type, actor_id, action, object_type, object_id, "
    "detail, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_LIST[] = "SELECT " AUDIT_COLUMNS " FROM audit_log "
                               "WHERE tenant_id = ? AND id < ? ORDER BY id DESC LIMIT ?";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct audit_entry *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->actor_type = store__col_text(stmt, 2, a);
    out->actor_id = store__col_text(stmt, 3, a);
    out->action = store__col_text(stmt, 4, a);
    out->object_type = store__col_text(stmt, 5, a);
    out->object_id = store__col_text(stmt, 6, a);
    out->detail = store__col_text(stmt, 7, a);
    out->request_id = store__col_text(stmt, 8, a);
    out->created_at = store__col_int(stmt, 9);
}

enum pr_code store_audit_append(struct store *st, const struct tenant_ctx *t,
                                const struct audit_entry *in, int64_t *out_id, struct pr_error *err)
{
    return store__query_int(st, SQL_INSERT,
                            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(in->actor_type),
                                         STORE_TEXT(in->actor_id), STORE_TEXT(in->action),
                                         STORE_TEXT(in->object_type), STORE_TEXT(in->object_id),
                                         STORE_TEXT(in->detail ? in->detail : "{}"),
                                         STORE_TEXT(in->request_id), STORE_INT(store_now_ms(st))),
                            out_id, err);
}

enum pr_code store_audit_list(struct store *st, const struct tenant_ctx *t, int64_t before_id,
                              int limit, struct arena *a, struct audit_entry **out, size_t *n_out,
                              struct pr_error *err)
{
    void *rows = NULL;
    /* One statement for both cases: "from the newest" is "below the largest id". */
    int64_t below = before_id > 0 ? before_id : INT64_MAX;
    enum pr_code rc = store__list(st, SQL_LIST,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(below),
                                               STORE_INT(store__clamp_limit(limit))),
                                  read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}
