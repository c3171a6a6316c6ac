/*
 * The store: one database connection and everything that goes through it. A `struct store`
 * is used by one thread at a time (open one per thread). Repository functions live in the
 * per-aggregate headers (store/contacts.h, ...); this header covers opening, migrations,
 * transactions and backup.
 */
#ifndef PROSPECT_STORE_STORE_H
#define PROSPECT_STORE_STORE_H

#include "util/clock.h"
#include "util/error.h"

#include <stdbool.h>
#include <stdint.h>

struct store;

/* The tenant a call acts for. Every repository function of a tenant-owned aggregate takes
 * one and touches only that tenant's rows; another tenant's row answers PR_NOT_FOUND. */
struct tenant_ctx {
    int64_t tenant_id;
};

struct store_options {
    const char *path;    /* database file */
    int busy_timeout_ms; /* how long to wait for a lock before PR_UNAVAILABLE */
    bool create;         /* create the file when missing (else PR_NOT_FOUND) */
    bool migrate;        /* apply pending migrations (else PR_SCHEMA when any is pending) */
    struct clock *clock; /* stamps created_at/updated_at; NULL means the real clock */
};

/* One field of a partial update: `name` is checked against the aggregate's whitelist of
 * updatable columns (anything else is PR_INVALID naming the field); `value` is the new value as
 * text (integers in base 10), NULL to clear the column. */
struct store_field {
    const char *name;
    const char *value;
};

/* Opens (and with `create`, creates) the database, configures it and checks migrations:
 * an applied migration whose checksum differs from the compiled one, or one this binary does
 * not know, is PR_SCHEMA and the store is not opened. With `migrate`, pending migrations are
 * applied. On success *out is owned by the caller (store_close). */
enum pr_code store_open(const struct store_options *opt, struct store **out, struct pr_error *err);
void store_close(struct store *st);

/* Applies pending migrations; *n_applied (may be NULL) receives how many ran. */
enum pr_code store_migrate(struct store *st, int *n_applied, struct pr_error *err);

/* Schema version: the highest applied migration, and the highest this binary knows. */
int store_schema_version(struct store *st);
int store_schema_latest(void);

/* Transactions. store_begin takes the write lock at once (BEGIN IMMEDIATE) so a transaction
 * never fails half-way on a lock upgrade. Nested calls are not supported. */
enum pr_code store_begin(struct store *st, struct pr_error *err);
enum pr_code store_commit(struct store *st, struct pr_error *err);
void store_rollback(struct store *st);

/* Savepoints inside a transaction: one row of an import is written all or nothing, while the
 * batch around it goes on. `name` is a constant identifier. */
enum pr_code store_savepoint(struct store *st, const char *name, struct pr_error *err);
enum pr_code store_release(struct store *st, const char *name, struct pr_error *err);
void store_rollback_to(struct store *st, const char *name);

/* Copies the live database to `dest_path` with SQLite's online backup API (readers and
 * writers may continue). Fails with PR_CONFLICT when dest_path exists. */
enum pr_code store_backup(struct store *st, const char *dest_path, struct pr_error *err);

/* Current time from the store's clock (epoch ms). */
int64_t store_now_ms(struct store *st);

/* The database file path. */
const char *store_path(const struct store *st);

#endif
