/* Imports repository. Every statement filters on tenant_id. */
#include "store/imports.h"

#include "store/store_int.h"

#include <stdint.h>

#define IMPORT_COLUMNS                                                                             \
    "id, tenant_id, file_name, file_sha256, file_size, source, list_id, status, n_rows, "          \
    "n_accepted, n_merged, n_duplicate, n_suppressed, n_rejected, mapping, error, started_at, "    \
    "finished_at"

static const char SQL_INSERT[] =
    "INSERT INTO imports (tenant_id, file_name, file_sha256, file_size, source, list_id, status, "
    "mapping, started_at) VALUES (?, ?, ?, ?, ?, ?, 'running', ?, ?) RETURNING id";
static const char SQL_FIND_COMPLETED[] =
    "SELECT id FROM imports WHERE tenant_id = ? AND file_sha256 = ? AND source = ? "
    "AND status = 'completed' ORDER BY id LIMIT 1";
static const char SQL_GET[] =
    "SELECT " IMPORT_COLUMNS " FROM imports WHERE tenant_id = ? AND id = ?";
static const char SQL_LIST[] = "SELECT " IMPORT_COLUMNS " FROM imports WHERE tenant_id = ? "
                               "AND id < ? ORDER BY id DESC LIMIT ?";
static const char SQL_SET_COUNTS[] =
    "UPDATE imports SET n_rows = ?, n_accepted = ?, n_merged = ?, n_duplicate = ?, "
    "n_suppressed = ?, n_rejected = ? WHERE tenant_id = ? AND id = ?";
static const char SQL_FINISH[] = "UPDATE imports SET status = ?, error = ?, finished_at = ? "
                                 "WHERE tenant_id = ? AND id = ? AND status = 'running'";
static const char SQL_ADD_ROW[] =
    "INSERT INTO import_rows (tenant_id, import_id, line, outcome, contact_id, reason, raw) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
static const char SQL_ROWS_ALL[] =
    "SELECT line, outcome, contact_id, reason, raw FROM import_rows WHERE tenant_id = ? "
    "AND import_id = ? AND line > ? ORDER BY line LIMIT ?";
static const char SQL_ROWS_BY_OUTCOME[] =
    "SELECT line, outcome, contact_id, reason, raw FROM import_rows WHERE tenant_id = ? "
    "AND import_id = ? AND outcome = ? AND line > ? ORDER BY line LIMIT ?";
static const char SQL_EXISTS[] = "SELECT count(*) FROM imports WHERE tenant_id = ? AND id = ?";

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct import_record *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->file_name = store__col_text(stmt, 2, a);
    out->file_sha256 = store__col_text(stmt, 3, a);
    out->file_size = store__col_int(stmt, 4);
    out->source = store__col_text(stmt, 5, a);
    out->has_list = !store__col_is_null(stmt, 6);
    out->list_id = out->has_list ? store__col_int(stmt, 6) : 0;
    out->status = store__col_text(stmt, 7, a);
    out->counts.n_rows = store__col_int(stmt, 8);
    out->counts.n_accepted = store__col_int(stmt, 9);
    out->counts.n_merged = store__col_int(stmt, 10);
    out->counts.n_duplicate = store__col_int(stmt, 11);
    out->counts.n_suppressed = store__col_int(stmt, 12);
    out->counts.n_rejected = store__col_int(stmt, 13);
    out->mapping = store__col_text(stmt, 14, a);
    out->error = store__col_text(stmt, 15, a);
    out->started_at = store__col_int(stmt, 16);
    out->finished_at = store__col_is_null(stmt, 17) ? 0 : store__col_int(stmt, 17);
}

static void read_import_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct import_row *r = row;

    r->line = store__col_int(stmt, 0);
    r->outcome = store__col_text(stmt, 1, a);
    r->has_contact = !store__col_is_null(stmt, 2);
    r->contact_id = r->has_contact ? store__col_int(stmt, 2) : 0;
    r->reason = store__col_text(stmt, 3, a);
    r->raw = store__col_text(stmt, 4, a);
}

enum pr_code store_imports_create(struct store *st, const struct tenant_ctx *t,
                                  const char *file_name, const char *file_sha256, int64_t file_size,
                                  const char *source, bool has_list, int64_t list_id,
                                  const char *mapping_json, int64_t *out_id, struct pr_error *err)
{
    return store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(file_name), STORE_TEXT(file_sha256),
                     STORE_INT(file_size), STORE_TEXT(source), STORE_OPT_INT(has_list, list_id),
                     STORE_TEXT(mapping_json ? mapping_json : "{}"), STORE_INT(store_now_ms(st))),
        out_id, err);
}

enum pr_code store_imports_find_completed(struct store *st, const struct tenant_ctx *t,
                                          const char *file_sha256, const char *source,
                                          int64_t *out_id, struct pr_error *err)
{
    enum pr_code rc = store__query_int(
        st, SQL_FIND_COMPLETED,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(file_sha256), STORE_TEXT(source)), out_id,
        err);

    if (rc == PR_NOT_FOUND)
        pr_error_set(err, PR_NOT_FOUND, "import not found");
    return rc;
}

enum pr_code store_imports_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                               struct arena *a, struct import_record *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "import not found", err);
}

enum pr_code store_imports_list(struct store *st, const struct tenant_ctx *t, int64_t before_id,
                                int limit, struct arena *a, struct import_record **out,
                                size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST,
                                  STORE_PARAMS(STORE_INT(t->tenant_id),
                                               STORE_INT(before_id > 0 ? before_id : INT64_MAX),
                                               STORE_INT(store__clamp_limit(limit))),
                                  read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_imports_set_counts(struct store *st, const struct tenant_ctx *t, int64_t id,
                                      const struct import_counts *c, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_SET_COUNTS,
        STORE_PARAMS(STORE_INT(c->n_rows), STORE_INT(c->n_accepted), STORE_INT(c->n_merged),
                     STORE_INT(c->n_duplicate), STORE_INT(c->n_suppressed),
                     STORE_INT(c->n_rejected), STORE_INT(t->tenant_id), STORE_INT(id)),
        &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "import not found");
    return rc;
}

enum pr_code store_imports_finish(struct store *st, const struct tenant_ctx *t, int64_t id,
                                  bool is_success, const char *error, struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_FINISH,
        STORE_PARAMS(STORE_TEXT(is_success ? "completed" : "failed"), STORE_TEXT(error),
                     STORE_INT(store_now_ms(st)), STORE_INT(t->tenant_id), STORE_INT(id)),
        &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "import not found or already finished");
    return rc;
}

enum pr_code store_imports_add_row(struct store *st, const struct tenant_ctx *t, int64_t import_id,
                                   const struct import_row *row, struct pr_error *err)
{
    enum pr_code rc = store__exec(st, SQL_ADD_ROW,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(import_id),
                                               STORE_INT(row->line), STORE_TEXT(row->outcome),
                                               STORE_OPT_INT(row->has_contact, row->contact_id),
                                               STORE_TEXT(row->reason), STORE_TEXT(row->raw)),
                                  err);

    /* The composite keys refuse an import or a contact of another tenant. */
    if (rc == PR_CONFLICT && store__error_is_foreign_key(err))
        rc = pr_error_set(err, PR_NOT_FOUND, "import or contact not found");
    return rc;
}

enum pr_code store_imports_rows(struct store *st, const struct tenant_ctx *t, int64_t import_id,
                                const char *outcome, int64_t after_line, int limit, struct arena *a,
                                struct import_row **out, size_t *n_out, struct pr_error *err)
{
    void *rows = NULL;
    int64_t exists = 0;
    enum pr_code rc = store__query_int(
        st, SQL_EXISTS, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(import_id)), &exists, err);

    if (rc == PR_OK && exists == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "import not found");
    if (rc != PR_OK)
        return rc;
    if (outcome == NULL)
        rc = store__list(st, SQL_ROWS_ALL,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(import_id),
                                      STORE_INT(after_line), STORE_INT(store__clamp_limit(limit))),
                         read_import_row, sizeof **out, a, &rows, n_out, err);
    else
        rc = store__list(st, SQL_ROWS_BY_OUTCOME,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(import_id),
                                      STORE_TEXT(outcome), STORE_INT(after_line),
                                      STORE_INT(store__clamp_limit(limit))),
                         read_import_row, sizeof **out, a, &rows, n_out, err);
    if (rc == PR_OK)
        *out = rows;
    return rc;
}
