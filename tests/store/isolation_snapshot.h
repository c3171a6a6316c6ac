/*
 * Shared parts of the tenant-isolation test (isolation_test.c): the world each case runs in
 * (seeded in isolation_world.c), snapshots of tenant B (every field of every B row read back
 * through the repositories, and every column of every B row dumped from a second, raw
 * connection; isolation_snapshot.c), the byte-level comparison of two snapshots, reading the
 * store headers to find the functions they declare, and the cases of the ingestion
 * repositories (isolation_ingestion.c).
 */
#ifndef PROSPECT_TESTS_STORE_ISOLATION_SNAPSHOT_H
#define PROSPECT_TESTS_STORE_ISOLATION_SNAPSHOT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/api_keys.h"
#include "store/companies.h"
#include "store/contacts.h"
#include "util/str.h"

#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>

#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

/* An id no row of any tenant has. */
#define MISSING_ID INT64_C(999999)

#define PASSWORD_HASH "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
#define TOKEN_HASH_A  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TOKEN_HASH_B  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
/* Content hash and source of B's completed import, and a hash no completed import has. */
#define SHA256_B     "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
#define SHA256_OTHER "0000000000000000000000000000000000000000000000000000000000000000"
#define SOURCE_B     "csv:b.csv"
/* B's phone numbers and folded names: the contact at B's company, the one without one. */
#define PHONE_B      "+49301234568"
#define PHONE_B_SOLO "+49301230000"
#define NAME_B       "jo example"
#define NAME_B_SOLO  "sam solo"
/* The window start B's view asks export candidates about: the fake clock's start. */
#define WINDOW_START_B INT64_C(1764000000000)
/* B's jobs: the kinds of its available, running, discarded and succeeded jobs (one each, so
 * that a claim of one kind finds only that job), the keys of the available one, and the
 * worker holding the running one (with a lease far beyond anything a case waits). */
#define JOB_KIND_B           "email.send"
#define JOB_KIND_B_RUNNING   "crm.push"
#define JOB_KIND_B_DISCARDED "enrich"
#define JOB_KIND_B_SUCCEEDED "report"
#define UNIQUE_KEY_B         "contact:b:1"
#define IDEMPOTENCY_KEY_B    "idem-b-1"
#define WORKER_B             "worker-b"
#define LEASE_B_MS           INT64_C(86400000)
/* B's schedules: the due one, the disabled one and the one due in a month. */
#define SCHEDULE_NAME_B          "b-weekdays"
#define SCHEDULE_NAME_B_DISABLED "b-paused"
#define SCHEDULE_NAME_B_FUTURE   "b-monthly"
/* B's pipelines: the one with runs (A has one of the same name: names are per tenant) and the
 * idle one (A has none of that name); the idempotency key of B's charge. */
#define PIPELINE_NAME_B      "b-daily"
#define PIPELINE_NAME_B_IDLE "b-idle"
#define CHARGE_KEY_B         "charge-b-1"

/* assert_store_ok evaluates its argument more than once (a create would run twice), so calls
 * are passed through a variable first. */
#define assert_ok(call, fx)                                                                        \
    do {                                                                                           \
        enum pr_code rc_ = (call);                                                                 \
        assert_store_ok(rc_, fx);                                                                  \
    } while (0)

/*
 * `call` (which uses the variable `var`) answers PR_NOT_FOUND for B's row (`var` = b_value)
 * with the same message as for a row that does not exist at all (`var` = missing_value).
 */
#define assert_hidden(w, var, b_value, missing_value, call)                                        \
    do {                                                                                           \
        char b_message_[sizeof((w)->fx->err.message)];                                             \
        enum pr_code b_rc_, missing_rc_;                                                           \
                                                                                                   \
        var = (b_value);                                                                           \
        b_rc_ = (call);                                                                            \
        (void)snprintf(b_message_, sizeof b_message_, "%s", (w)->fx->err.message);                 \
        var = (missing_value);                                                                     \
        missing_rc_ = (call);                                                                      \
        assert_int_equal(b_rc_, PR_NOT_FOUND);                                                     \
        assert_int_equal(missing_rc_, PR_NOT_FOUND);                                               \
        assert_string_equal(b_message_, (w)->fx->err.message);                                     \
    } while (0)

struct world;

typedef void (*isolation_case_fn)(struct world *w);

struct isolation_case {
    const char *name; /* the repository function the case covers */
    isolation_case_fn run;
};

struct world {
    const struct isolation_case *c; /* the case this world was built for */
    struct store_fixture *fx;
    struct store *st;
    struct arena *arena;
    const struct tenant_ctx *a;
    const struct tenant_ctx *b;
    /* Tenant B's rows. */
    int64_t b_user, b_key, b_company, b_contact, b_list, b_tag, b_suppression, b_consent;
    int64_t b_audit;
    int64_t b_contact_solo;      /* without a company, not suppressed, on B's list */
    int64_t b_import;            /* completed, with a row of every outcome */
    int64_t b_import_running;    /* still running, with one row */
    int64_t b_export;            /* carried b_contact_solo */
    int64_t b_job_available;     /* JOB_KIND_B, with UNIQUE_KEY_B and IDEMPOTENCY_KEY_B */
    int64_t b_job_running;       /* claimed by WORKER_B */
    int64_t b_job_discarded;     /* a dead letter after three attempts of every ending */
    int64_t b_job_succeeded;     /* claimed and completed */
    int64_t b_schedule_due;      /* due in every case, fired once before (b_job_succeeded) */
    int64_t b_schedule_disabled; /* due long ago, but disabled */
    int64_t b_schedule_future;   /* enabled, due in a month */
    int64_t b_pipeline;          /* PIPELINE_NAME_B, with b_run_finished and b_run_running */
    int64_t b_pipeline_idle;     /* PIPELINE_NAME_B_IDLE, never run */
    int64_t b_run_finished;      /* failed at step 1 after step 0 (one chunk) succeeded */
    int64_t b_run_running;       /* at step 0, begun: chunk 0 done, chunk 1 pending; charged */
    /* Tenant A's own rows, for cross-tenant links. */
    int64_t a_user, a_key, a_company, a_contact, a_list, a_tag, a_import, a_export;
    int64_t a_job;      /* available, of JOB_KIND_B, below B's priority */
    int64_t a_schedule; /* "a-hourly", due in every case, before B's */
    int64_t a_pipeline; /* named PIPELINE_NAME_B too */
    int64_t a_run;      /* of a_pipeline, succeeded (so A may start another) */
    /* B as seen before the case: through the repositories, and as raw rows. */
    char *b_view_before;
    char *b_rows_before;
    struct buf scratch; /* freed in teardown, also when an assertion fails */
    sqlite3 *raw_db;    /* read-only second connection for the raw dump */
    sqlite3_stmt *raw_stmt;
};

/* ---- isolation_world.c ---- */

/* A company / contact with every field set (texts point at literals or at the arguments). */
struct company world_company(const char *name, const char *domain);
struct contact world_contact(const char *email_norm, bool has_company, int64_t company_id);

/* cmocka setup/teardown of one case: *state comes in as the case (cmocka's initial state) and
 * leaves as the world, seeded, with B's snapshots taken and the clock advanced by an hour. */
int world_setup(void **state);
int world_teardown(void **state);

/* ---- isolation_snapshot.c ---- */

/* Append `name=value;` to `b`; texts length-prefixed (`name=len:text;`, or `name=NULL;`), so
 * two descriptions are equal only when every field is byte-for-byte equal. */
void put_int(struct buf *b, const char *name, int64_t value);
void put_text(struct buf *b, const char *name, const char *value);

/* Appends every field of `k` to `b`, texts length-prefixed: two descriptions are equal only
 * when every field is byte-for-byte equal. */
void describe_key(struct buf *b, const struct api_key *k);

/* Everything B can read about itself through the repositories, as text in w->arena (built in
 * w->scratch). Fails the test when a read fails. */
char *b_view(struct world *w);

/* Every column of every row of B in every table, read with SQL on w->raw_db, as text in
 * w->arena (built in w->scratch). Fails the test when a table cannot be read or holds no row
 * of B. */
char *b_rows(struct world *w);

/* Fails showing where `after` first differs from `before`; `what` names the snapshot. */
void assert_same_text(const char *what, const char *before, const char *after);

/* After every case: B's view and rows are as they were before it (w->b_view_before and
 * w->b_rows_before). */
void assert_b_unchanged(struct world *w);

/* The text of the file at `path` with its comments blanked out (so that names mentioned in them
 * are not taken for declarations), NUL-terminated; the caller frees it with xfree. NULL when
 * the file cannot be read. */
char *header_read_code(const char *path);

/*
 * Finds the first function declaration in `code` at or after `from`: an identifier that starts
 * with "store_", is not the tail of a longer identifier and is followed (after blanks) by '('.
 * Copies the identifier to `name` (cut to `name_size` - 1 bytes) and returns where it starts;
 * search on from the byte after it. NULL when there is none.
 */
const char *header_next_function(const char *code, const char *from, char *name, size_t name_size);

/* ---- isolation_accounts.c: cases of users and API keys ---- */

void case_users_create(struct world *w);
void case_users_get(struct world *w);
void case_users_find_by_email(struct world *w);
void case_users_list(struct world *w);
void case_users_set_password(struct world *w);
void case_users_update(struct world *w);
void case_users_delete(struct world *w);
void case_api_keys_create(struct world *w);
void case_api_keys_find_by_prefix(struct world *w);
void case_api_keys_get(struct world *w);
void case_api_keys_list(struct world *w);
void case_api_keys_revoke(struct world *w);
void case_api_keys_touch(struct world *w);

/* ---- isolation_ingestion.c: cases of the ingestion repositories ---- */

void case_companies_candidates(struct world *w);
void case_suppressions_refresh_contacts(struct world *w);
void case_sources_ensure(struct world *w);
void case_sources_trust(struct world *w);
void case_companies_by_zip(struct world *w);
void case_companies_sector_counts(struct world *w);
void case_contacts_by_zip(struct world *w);
void case_contacts_find_by_phone(struct world *w);
void case_contacts_find_by_name(struct world *w);
void case_imports_create(struct world *w);
void case_imports_find_completed(struct world *w);
void case_imports_get(struct world *w);
void case_imports_list(struct world *w);
void case_imports_set_counts(struct world *w);
void case_imports_finish(struct world *w);
void case_imports_add_row(struct world *w);
void case_imports_rows(struct world *w);
void case_scores_record(struct world *w);
void case_scores_history(struct world *w);
void case_exports_create(struct world *w);
void case_exports_get(struct world *w);
void case_exports_add_item(struct world *w);
void case_exports_finish(struct world *w);
void case_exports_candidates(struct world *w);

/* ---- isolation_jobs.c: B's jobs and the cases of the job queue ---- */

/* Seeds B's jobs (see struct world) and A's one job; claims and reclaims as it goes, so it
 * runs when no other job is due. */
void seed_jobs(struct world *w);

void case_jobs_enqueue(struct world *w);
void case_jobs_claim(struct world *w);
void case_jobs_heartbeat(struct world *w);
void case_jobs_complete(struct world *w);
void case_jobs_fail(struct world *w);
void case_jobs_release(struct world *w);
void case_jobs_reclaim_expired(struct world *w);
void case_jobs_running_workers(struct world *w);
void case_jobs_expire_worker(struct world *w);
void case_jobs_complete_batch(struct world *w);
void case_jobs_get(struct world *w);
void case_jobs_list(struct world *w);
void case_jobs_attempts(struct world *w);
void case_jobs_retry(struct world *w);
void case_jobs_cancel(struct world *w);

/* ---- isolation_schedules.c: B's schedules and the cases of the schedules ---- */

/* Seeds B's schedules and A's one (see struct world); runs after seed_jobs. */
void seed_schedules(struct world *w);

void case_schedules_create(struct world *w);
void case_schedules_get(struct world *w);
void case_schedules_find_by_name(struct world *w);
void case_schedules_list(struct world *w);
void case_schedules_remove(struct world *w);
void case_schedules_set_enabled(struct world *w);
void case_schedules_due(struct world *w);
void case_schedules_mark_fired(struct world *w);

/* ---- isolation_pipelines.c: B's pipelines and runs, and the cases of their repositories ---- */

/* Seeds B's pipelines and runs and A's (see struct world). */
void seed_pipelines(struct world *w);

/* B's pipelines, runs, steps and chunks as B reads them, appended to w->scratch (b_view). */
void b_view_pipelines(struct world *w);

void case_pipelines_create(struct world *w);
void case_pipelines_get(struct world *w);
void case_pipelines_find_by_name(struct world *w);
void case_pipelines_list(struct world *w);
void case_pipelines_remove(struct world *w);
void case_pipeline_runs_start(struct world *w);
void case_pipeline_runs_get(struct world *w);
void case_pipeline_runs_list(struct world *w);
void case_pipeline_runs_steps(struct world *w);
void case_pipeline_runs_begin_step(struct world *w);
void case_pipeline_runs_add_chunk(struct world *w);
void case_pipeline_runs_get_chunk(struct world *w);
void case_pipeline_runs_finish_chunk(struct world *w);
void case_pipeline_runs_finish_step(struct world *w);
void case_pipeline_runs_finish(struct world *w);
void case_pipeline_runs_charge(struct world *w);

#endif
