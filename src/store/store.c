/*
 * The SQLite connection: opening and configuring it, the statement cache, typed parameter
 * binding, partial updates from a column whitelist, transactions, and the one mapping from
 * SQLite result codes to pr_error.
 */
#include "store/store_int.h"

#include "util/mem.h"
#include "util/str.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct store_cached_stmt {
    const char *sql;
    sqlite3_stmt *stmt;
};

int64_t store_now_ms(struct store *st)
{
    return clock_now_ms(st->clock);
}

const char *store_path(const struct store *st)
{
    return st->path;
}

void *store__array_grow(struct arena *a, void *rows, size_t n, size_t *cap, size_t elem_size)
{
    void *bigger;

    if (n < *cap)
        return rows;
    *cap = *cap ? *cap * 2 : 16;
    bigger = arena_calloc(a, *cap, elem_size);
    if (n > 0)
        memcpy(bigger, rows, n * elem_size);
    return bigger;
}

int store__clamp_limit(int limit)
{
    if (limit <= 0)
        return 50;
    return limit > 1000 ? 1000 : limit;
}

/* "UNIQUE constraint failed: contacts.tenant_id, contacts.email_norm" -> "email" */
static void describe_unique(const char *msg, char *out, size_t out_size)
{
    const char *cols = strchr(msg, ':');
    struct buf b;

    buf_init(&b, out_size - 1);
    cols = cols ? cols + 1 : "";
    while (*cols != '\0') {
        const char *end = cols + strcspn(cols, ",");
        const char *dot = memchr(cols, '.', (size_t)(end - cols));
        const char *name = dot ? dot + 1 : cols;
        size_t len = (size_t)(end - name);

        while (*name == ' ' && len > 0) {
            name++;
            len--;
        }
        if (len > 5 && memcmp(name + len - 5, "_norm", 5) == 0)
            len -= 5;
        if (!(len == 9 && memcmp(name, "tenant_id", 9) == 0)) {
            if (b.len > 0)
                (void)buf_puts(&b, " and ");
            (void)buf_append(&b, name, len);
        }
        cols = *end ? end + 1 : end;
    }
    (void)snprintf(out, out_size, "%s", buf_cstr(&b));
    buf_free(&b);
}

static const char *table_of(const char *msg, char *out, size_t out_size)
{
    const char *start = strchr(msg, ':');
    size_t len;

    start = start ? start + 1 : msg;
    while (*start == ' ')
        start++;
    len = strcspn(start, ".");
    (void)snprintf(out, out_size, "%.*s", (int)len, start);
    return out;
}

enum pr_code store__fail(struct store *st, int rc, struct pr_error *err)
{
    const char *msg = st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc);
    char what[160], table[64];

    switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
        describe_unique(msg, what, sizeof what);
        pr_error_set(err, PR_CONFLICT, "%s: a row with the same %s already exists",
                     table_of(msg, table, sizeof table), what);
        pr_error_hint(err, "use the existing row, or change the %s", what);
        break;
    case SQLITE_CONSTRAINT_CHECK: {
        const char *name = strchr(msg, ':');
        pr_error_set(err, PR_INVALID, "value not allowed (rule %s)", name ? name + 2 : "unknown");
        pr_error_hint(err, "see docs/schema.md for the allowed values");
        break;
    }
    case SQLITE_CONSTRAINT_NOTNULL: {
        const char *name = strchr(msg, ':');
        pr_error_set(err, PR_INVALID, "%s is required", name ? name + 2 : "a value");
        break;
    }
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        pr_error_set(err, PR_CONFLICT,
                     "the change refers to a row that does not exist, or "
                     "removes one that other rows still use");
        break;
    case SQLITE_BUSY:
    case SQLITE_BUSY_SNAPSHOT:
    case SQLITE_BUSY_TIMEOUT:
    case SQLITE_LOCKED:
        pr_error_set(err, PR_UNAVAILABLE, "the database is busy");
        pr_error_hint(err, "retry; another process held a lock longer than "
                           "database.busy_timeout_ms");
        break;
    case SQLITE_READONLY:
    case SQLITE_READONLY_DIRECTORY:
    case SQLITE_READONLY_CANTINIT:
    case SQLITE_READONLY_DBMOVED:
        pr_error_set(err, PR_IO, "the database %s is read-only", st->path ? st->path : "");
        pr_error_hint(err, "Prospect needs write access to the file and its directory");
        break;
    case SQLITE_CANTOPEN:
        pr_error_set(err, PR_IO, "cannot open the database %s", st->path ? st->path : "");
        pr_error_hint(err, "check that the directory exists and is writable");
        break;
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        pr_error_set(err, PR_IO, "%s is not a Prospect database, or it is damaged",
                     st->path ? st->path : "the file");
        pr_error_hint(err, "check database.path, or restore a backup made with prospect backup");
        break;
    case SQLITE_FULL:
        pr_error_set(err, PR_IO, "the disk is full");
        pr_error_hint(err, "free space on the volume that holds %s", st->path ? st->path : "");
        break;
    case SQLITE_IOERR:
    default:
        if ((rc & 0xff) == SQLITE_IOERR)
            pr_error_set(err, PR_IO, "the database could not be read or written");
        else if ((rc & 0xff) == SQLITE_CONSTRAINT)
            pr_error_set(err, PR_INVALID, "the change breaks a rule of the database");
        else
            pr_error_set(err, PR_INTERNAL, "database error");
        break;
    }
    return pr_error_detail(err, "sqlite %d: %s", rc, msg);
}

bool store__error_is_foreign_key(const struct pr_error *err)
{
    char prefix[32];

    (void)snprintf(prefix, sizeof prefix, "sqlite %d:", SQLITE_CONSTRAINT_FOREIGNKEY);
    return strncmp(err->detail, prefix, strlen(prefix)) == 0;
}

static enum pr_code bind_params(struct store *st, sqlite3_stmt *stmt,
                                const struct store_param *params, size_t n_params,
                                struct pr_error *err)
{
    size_t i;
    int rc = SQLITE_OK;

    for (i = 0; i < n_params && rc == SQLITE_OK; i++) {
        int idx = (int)i + 1;
        switch (params[i].type) {
        case STORE_PARAM_INT:
            rc = sqlite3_bind_int64(stmt, idx, params[i].int_value);
            break;
        case STORE_PARAM_TEXT:
            rc = params[i].text_value == NULL
                     ? sqlite3_bind_null(stmt, idx)
                     : sqlite3_bind_text(stmt, idx, params[i].text_value, -1, SQLITE_STATIC);
            break;
        case STORE_PARAM_NULL:
            rc = sqlite3_bind_null(stmt, idx);
            break;
        }
    }
    if (rc != SQLITE_OK)
        return store__fail(st, rc, err);
    return PR_OK;
}

static enum pr_code prepare_cached(struct store *st, const char *sql, sqlite3_stmt **out,
                                   struct pr_error *err)
{
    size_t i;
    sqlite3_stmt *stmt = NULL;
    int rc;

    for (i = 0; i < st->n_cache; i++) {
        if (st->cache[i].sql == sql) {
            sqlite3_reset(st->cache[i].stmt);
            sqlite3_clear_bindings(st->cache[i].stmt);
            *out = st->cache[i].stmt;
            return PR_OK;
        }
    }
    rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
    if (rc != SQLITE_OK)
        return store__fail(st, rc, err);
    st->cache = xrealloc(st->cache, (st->n_cache + 1) * sizeof *st->cache);
    st->cache[st->n_cache].sql = sql;
    st->cache[st->n_cache].stmt = stmt;
    st->n_cache++;
    *out = stmt;
    return PR_OK;
}

enum pr_code store__query(struct store *st, const char *sql, const struct store_param *params,
                          size_t n_params, sqlite3_stmt **out, struct pr_error *err)
{
    enum pr_code rc;

    *out = NULL;
    rc = prepare_cached(st, sql, out, err);
    if (rc != PR_OK)
        return rc;
    if ((size_t)sqlite3_bind_parameter_count(*out) != n_params) {
        pr_error_set(err, PR_INTERNAL, "database error");
        return pr_error_detail(err, "statement expects %d parameters, got %zu: %s",
                               sqlite3_bind_parameter_count(*out), n_params, sql);
    }
    return bind_params(st, *out, params, n_params, err);
}

enum pr_code store__step(struct store *st, sqlite3_stmt *stmt, bool *has_row, struct pr_error *err)
{
    int rc = sqlite3_step(stmt);

    if (rc == SQLITE_ROW) {
        *has_row = true;
        return PR_OK;
    }
    *has_row = false;
    if (rc == SQLITE_DONE)
        return PR_OK;
    rc = sqlite3_extended_errcode(st->db);
    sqlite3_reset(stmt);
    return store__fail(st, rc, err);
}

bool store__next(struct store *st, sqlite3_stmt *stmt, enum pr_code *rc, struct pr_error *err)
{
    bool has_row = false;

    *rc = store__step(st, stmt, &has_row, err);
    return *rc == PR_OK && has_row;
}

enum pr_code store__exec_changes(struct store *st, const char *sql,
                                 const struct store_param *params, size_t n_params,
                                 int64_t *n_changed, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc = store__query(st, sql, params, n_params, &stmt, err);

    if (rc != PR_OK)
        return rc;
    do {
        rc = store__step(st, stmt, &has_row, err);
    } while (rc == PR_OK && has_row);
    if (rc == PR_OK && n_changed != NULL)
        *n_changed = sqlite3_changes64(st->db);
    sqlite3_reset(stmt);
    return rc;
}

enum pr_code store__query_int(struct store *st, const char *sql, const struct store_param *params,
                              size_t n_params, int64_t *out, struct pr_error *err)
{
    sqlite3_stmt *stmt;
    bool has_row;
    enum pr_code rc = store__query(st, sql, params, n_params, &stmt, err);

    if (rc != PR_OK)
        return rc;
    rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && !has_row)
        rc = pr_error_set(err, PR_NOT_FOUND, "not found");
    if (rc == PR_OK) {
        *out = sqlite3_column_int64(stmt, 0);
        /* Drain so that INSERT ... RETURNING completes before the statement is reset. */
        while (rc == PR_OK && has_row)
            rc = store__step(st, stmt, &has_row, err);
    }
    sqlite3_reset(stmt);
    return rc;
}

enum pr_code store__get(struct store *st, const char *sql, const struct store_param *params,
                        size_t n_params, store_row_reader read_row, struct arena *a, void *out,
                        const char *not_found, struct pr_error *err)
{
    sqlite3_stmt *stmt = NULL;
    bool has_row = false;
    enum pr_code rc = store__query(st, sql, params, n_params, &stmt, err);

    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && !has_row)
        rc = pr_error_set(err, PR_NOT_FOUND, "%s", not_found);
    if (rc == PR_OK)
        read_row(stmt, a, out);
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

enum pr_code store__list(struct store *st, const char *sql, const struct store_param *params,
                         size_t n_params, store_row_reader read_row, size_t row_size,
                         struct arena *a, void **out, size_t *n_out, struct pr_error *err)
{
    sqlite3_stmt *stmt = NULL;
    size_t n = 0, cap = 0;
    unsigned char *rows = NULL;
    enum pr_code rc = store__query(st, sql, params, n_params, &stmt, err);

    while (rc == PR_OK && store__next(st, stmt, &rc, err)) {
        rows = store__array_grow(a, rows, n, &cap, row_size);
        read_row(stmt, a, rows + n * row_size);
        n++;
    }
    if (rc == PR_OK) {
        *out = rows;
        *n_out = n;
    }
    if (stmt != NULL)
        sqlite3_reset(stmt);
    return rc;
}

char *store__col_text(sqlite3_stmt *stmt, int col, struct arena *a)
{
    const unsigned char *text;

    if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
        return NULL;
    text = sqlite3_column_text(stmt, col);
    return arena_strndup(a, (const char *)text, (size_t)sqlite3_column_bytes(stmt, col));
}

int64_t store__col_int(sqlite3_stmt *stmt, int col)
{
    return sqlite3_column_int64(stmt, col);
}

bool store__col_is_null(sqlite3_stmt *stmt, int col)
{
    return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

enum pr_code store__exec_script(struct store *st, const char *sql, struct pr_error *err)
{
    char *errmsg = NULL;
    int rc = sqlite3_exec(st->db, sql, NULL, NULL, &errmsg);

    sqlite3_free(errmsg);
    if (rc != SQLITE_OK)
        return store__fail(st, sqlite3_extended_errcode(st->db), err);
    return PR_OK;
}

static bool parse_int64(const char *text, int64_t *out)
{
    char *end = NULL;
    long long v;

    errno = 0;
    v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return false;
    *out = v;
    return true;
}

static const struct store_column *find_column(const struct store_column *columns, size_t n,
                                              const char *name)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(columns[i].name, name) == 0)
            return &columns[i];
    return NULL;
}

enum pr_code store__update(struct store *st, const struct tenant_ctx *t, const char *table,
                           const struct store_column *columns, size_t n_columns,
                           bool has_updated_at, int64_t id, const struct store_field *fields,
                           size_t n_fields, struct pr_error *err)
{
    struct store_param *params = NULL;
    const struct store_column **seen = NULL;
    sqlite3_stmt *stmt = NULL;
    struct buf sql;
    size_t i, n = 0;
    bool has_row;
    int64_t *ints = NULL;
    enum pr_code rc = PR_OK;
    int sqlite_rc;

    buf_init(&sql, 8192);
    if (n_fields == 0)
        return pr_error_set(err, PR_INVALID, "nothing to update");
    if (n_fields > 2 * n_columns) /* surely repeats; refuse before the quadratic check */
        return pr_error_set(err, PR_INVALID, "too many fields (%zu) in one update", n_fields);
    params = xcalloc(n_fields + 3, sizeof *params);
    seen = xcalloc(n_fields, sizeof *seen);
    ints = xcalloc(n_fields, sizeof *ints);
    (void)buf_printf(&sql, "UPDATE %s SET ", table);
    for (i = 0; i < n_fields; i++) {
        const struct store_column *col = find_column(columns, n_columns, fields[i].name);
        size_t j;

        if (col == NULL) {
            pr_error_set(err, PR_INVALID, "field '%.60s' cannot be changed", fields[i].name);
            rc = pr_error_hint(err, "updatable fields are listed in the API reference");
            goto out;
        }
        for (j = 0; j < i; j++)
            if (seen[j] == col) {
                rc = pr_error_set(err, PR_INVALID, "field '%s' is given twice", col->name);
                goto out;
            }
        seen[i] = col;
        if (fields[i].value == NULL) {
            if (!col->is_nullable) {
                rc = pr_error_set(err, PR_INVALID, "field '%s' cannot be empty", col->name);
                goto out;
            }
            params[n++] = STORE_NULL;
        } else if (col->type == STORE_PARAM_INT) {
            if (!parse_int64(fields[i].value, &ints[i])) {
                rc = pr_error_set(err, PR_INVALID, "field '%s' must be an integer", col->name);
                goto out;
            }
            params[n++] = STORE_INT(ints[i]);
        } else {
            params[n++] = STORE_TEXT(fields[i].value);
        }
        (void)buf_printf(&sql, "%s%s = ?", i ? ", " : "", col->name);
    }
    if (has_updated_at) {
        (void)buf_puts(&sql, ", updated_at = ?");
        params[n++] = STORE_INT(store_now_ms(st));
    }
    (void)buf_puts(&sql, " WHERE tenant_id = ? AND id = ? RETURNING id");
    params[n++] = STORE_INT(t->tenant_id);
    params[n++] = STORE_INT(id);
    /* Column lists vary per call, so this statement is prepared fresh, not cached. */
    sqlite_rc = sqlite3_prepare_v2(st->db, buf_cstr(&sql), -1, &stmt, NULL);
    if (sqlite_rc != SQLITE_OK) {
        rc = store__fail(st, sqlite_rc, err);
        goto out;
    }
    rc = bind_params(st, stmt, params, n, err);
    if (rc == PR_OK)
        rc = store__step(st, stmt, &has_row, err);
    if (rc == PR_OK && !has_row)
        rc = pr_error_set(err, PR_NOT_FOUND, "not found");
    while (rc == PR_OK && has_row)
        rc = store__step(st, stmt, &has_row, err);
out:
    sqlite3_finalize(stmt);
    xfree(ints);
    xfree(seen);
    xfree(params);
    buf_free(&sql);
    return rc;
}

enum pr_code store_begin(struct store *st, struct pr_error *err)
{
    enum pr_code rc = store__exec(st, "BEGIN IMMEDIATE", STORE_NO_PARAMS, err);

    if (rc == PR_OK)
        st->in_transaction = true;
    return rc;
}

enum pr_code store_commit(struct store *st, struct pr_error *err)
{
    enum pr_code rc = store__exec(st, "COMMIT", STORE_NO_PARAMS, err);

    if (rc == PR_OK)
        st->in_transaction = false;
    else
        store_rollback(st);
    return rc;
}

void store_rollback(struct store *st)
{
    if (sqlite3_get_autocommit(st->db) == 0)
        (void)sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_transaction = false;
}

/* Savepoint names are compile-time identifiers of the callers, never input; they are checked
 * anyway so that no caller can turn this into SQL injection. */
static bool is_identifier(const char *name)
{
    size_t i;

    for (i = 0; name[i] != '\0'; i++)
        if (!(name[i] == '_' || (name[i] >= 'a' && name[i] <= 'z')))
            return false;
    return i > 0 && i < 32;
}

static enum pr_code savepoint_op(struct store *st, const char *verb, const char *name,
                                 struct pr_error *err)
{
    char sql[64];

    if (!is_identifier(name))
        return pr_error_set(err, PR_INTERNAL, "invalid savepoint name");
    (void)snprintf(sql, sizeof sql, "%s %s", verb, name);
    return store__exec_script(st, sql, err);
}

enum pr_code store_savepoint(struct store *st, const char *name, struct pr_error *err)
{
    return savepoint_op(st, "SAVEPOINT", name, err);
}

enum pr_code store_release(struct store *st, const char *name, struct pr_error *err)
{
    return savepoint_op(st, "RELEASE", name, err);
}

void store_rollback_to(struct store *st, const char *name)
{
    struct pr_error ignored;

    (void)savepoint_op(st, "ROLLBACK TO", name, &ignored);
}

static enum pr_code configure(struct store *st, int busy_timeout_ms, struct pr_error *err)
{
    sqlite3_stmt *stmt = NULL;
    enum pr_code rc;
    bool is_wal = false;
    int sqlite_rc;

    sqlite3_extended_result_codes(st->db, 1);
    sqlite3_busy_timeout(st->db, busy_timeout_ms);
    if (sqlite3_db_readonly(st->db, "main") == 1) {
        pr_error_set(err, PR_IO, "the database %s is read-only", st->path);
        return pr_error_hint(err, "Prospect needs write access to the file and its directory");
    }
    /* Reading the schema first turns "not a database" into a clear error before any pragma. */
    rc = store__exec_script(st, "SELECT count(*) FROM sqlite_schema", err);
    if (rc != PR_OK)
        return rc;
    sqlite_rc = sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL", -1, &stmt, NULL);
    if (sqlite_rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW)
        is_wal = strcmp((const char *)sqlite3_column_text(stmt, 0), "wal") == 0;
    else
        sqlite_rc = sqlite3_extended_errcode(st->db);
    sqlite3_finalize(stmt);
    if (!is_wal) {
        if (sqlite_rc != SQLITE_OK)
            return store__fail(st, sqlite_rc, err);
        pr_error_set(err, PR_IO, "cannot switch %s to write-ahead logging", st->path);
        return pr_error_hint(err, "put the database on a local file system");
    }
    /* NORMAL is durable against process crashes in WAL mode; a power loss may drop the last
     * commits but never corrupts, and side effects carry idempotency keys for that case. */
    /* temp_store = MEMORY keeps statement journals (one per savepoint: the importer writes
     * each row inside one) off the disk; a 64 MiB page cache keeps big import batches from
     * spilling to the WAL before they commit. */
    return store__exec_script(st,
                              "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; "
                              "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -65536;",
                              err);
}

enum pr_code store_open(const struct store_options *opt, struct store **out, struct pr_error *err)
{
    struct store *st = xcalloc(1, sizeof *st);
    struct stat sb;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    int sqlite_rc;
    enum pr_code rc;

    st->path = xstrdup(opt->path);
    st->clock = opt->clock ? opt->clock : clock_real();
    if (stat(opt->path, &sb) != 0) {
        if (!opt->create) {
            pr_error_set(err, PR_NOT_FOUND, "no database at %s", opt->path);
            pr_error_hint(err, "run `prospect init` first, or point database.path at an existing "
                               "database");
            rc = PR_NOT_FOUND;
            goto fail;
        }
        flags |= SQLITE_OPEN_CREATE;
    } else if (!S_ISREG(sb.st_mode)) {
        rc = pr_error_set(err, PR_IO, "%s is not a regular file", opt->path);
        pr_error_hint(err, "point database.path at a database file");
        goto fail;
    }
    sqlite_rc = sqlite3_open_v2(opt->path, &st->db, flags, NULL);
    if (sqlite_rc != SQLITE_OK) {
        rc = store__fail(st, sqlite_rc, err);
        goto fail;
    }
    rc = configure(st, opt->busy_timeout_ms, err);
    if (rc == PR_OK)
        rc = store__migrations_check(st, opt->migrate, NULL, err);
    if (rc != PR_OK)
        goto fail;
    *out = st;
    return PR_OK;
fail:
    store_close(st);
    return rc;
}

void store_close(struct store *st)
{
    size_t i;

    if (st == NULL)
        return;
    for (i = 0; i < st->n_cache; i++)
        sqlite3_finalize(st->cache[i].stmt);
    xfree(st->cache);
    sqlite3_close(st->db);
    xfree(st->path);
    xfree(st);
}

enum pr_code store_backup(struct store *st, const char *dest_path, struct pr_error *err)
{
    struct stat sb;
    sqlite3 *dest = NULL;
    sqlite3_backup *backup;
    int rc;
    enum pr_code result = PR_OK;

    if (stat(dest_path, &sb) == 0) {
        pr_error_set(err, PR_CONFLICT, "%s already exists", dest_path);
        return pr_error_hint(err, "choose a new file name; a backup never overwrites a file");
    }
    rc = sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        pr_error_set(err, PR_IO, "cannot create backup file %s", dest_path);
        pr_error_detail(err, "sqlite %d: %s", rc, sqlite3_errmsg(dest));
        pr_error_hint(err, "check that the directory exists and is writable");
        result = PR_IO;
        goto out;
    }
    backup = sqlite3_backup_init(dest, "main", st->db, "main");
    if (backup == NULL) {
        result = pr_error_set(err, PR_IO, "cannot start the backup");
        pr_error_detail(err, "%s", sqlite3_errmsg(dest));
        goto out;
    }
    /* Copy in steps so writers are not blocked for the whole copy; busy/locked pages retry. */
    do {
        rc = sqlite3_backup_step(backup, 256);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(20);
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        result = pr_error_set(err, PR_IO, "the backup failed");
        pr_error_detail(err, "sqlite %d: %s", rc, sqlite3_errstr(rc));
        pr_error_hint(err, "check free space; the partial file %s can be deleted", dest_path);
    }
out:
    sqlite3_close(dest);
    if (result != PR_OK && stat(dest_path, &sb) == 0 && sb.st_size == 0)
        (void)remove(dest_path);
    return result;
}
