/*
 * Functional tests of the ingestion repositories against a real SQLite file: the import
 * lifecycle (running -> counts -> completed or failed, finding the completed import of a file,
 * per-row outcomes paged by line and by outcome), lead scores and their history, exports
 * (candidates and their filters, the re-contact window on the fake clock, items, final
 * counts), and the contact lookups by phone and by name that merging uses. Cross-tenant
 * behaviour is the subject of isolation_test.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/companies.h"
#include "store/contacts.h"
#include "store/exports.h"
#include "store/imports.h"
#include "store/lists.h"
#include "store/scores.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

/* assert_store_ok evaluates its argument more than once (a create would run twice), so calls
 * are passed through a variable first. */
#define assert_ok(call, fx)                                                                        \
    do {                                                                                           \
        enum pr_code rc_ = (call);                                                                 \
        assert_store_ok(rc_, fx);                                                                  \
    } while (0)

#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

/* Strings that may be NULL are equal when both are NULL or both hold the same text. */
#define assert_opt_string_equal(actual, expected)                                                  \
    do {                                                                                           \
        const char *actual_ = (actual), *expected_ = (expected);                                   \
        if (expected_ == NULL)                                                                     \
            assert_null(actual_);                                                                  \
        else                                                                                       \
            assert_string_equal(actual_, expected_);                                               \
    } while (0)

/* rc is `code` and the message mentions `word`. */
#define assert_error_mentions(rc, fx, code, word)                                                  \
    do {                                                                                           \
        assert_int_equal((rc), (code));                                                            \
        if (strstr((fx)->err.message, (word)) == NULL)                                             \
            fail_msg("message '%s' does not mention '%s'", (fx)->err.message, (word));             \
    } while (0)

#define SHA_1   "1111111111111111111111111111111111111111111111111111111111111111"
#define SHA_2   "2222222222222222222222222222222222222222222222222222222222222222"
#define DAY_MS  INT64_C(86400000)
#define MISSING INT64_C(999999)

/* A contact known by `email_norm` (may be NULL when a phone or a name identifies it). */
static struct contact contact_named(const char *email_norm)
{
    struct contact c = {0};

    c.email = (char *)email_norm;
    c.email_norm = (char *)email_norm;
    c.full_name = "Someone";
    return c;
}

static int64_t add_contact(struct store_fixture *fx, const struct contact *c)
{
    int64_t id = 0;

    assert_ok(store_contacts_create(fx->st, &fx->tenant_a, c, &id, &fx->err), fx);
    return id;
}

/* Number of rows of `table` (a constant) for tenant A, read on a second connection. */
static int64_t count_rows(struct store_fixture *fx, const char *table)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    char sql[128];
    int64_t n = -1;

    (void)snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE tenant_id = ?", table);
    assert_int_equal(sqlite3_open_v2(fx->db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) == SQLITE_OK &&
        sqlite3_bind_int64(stmt, 1, fx->tenant_a.tenant_id) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
        n = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    assert_true(n >= 0);
    return n;
}

/* ---- imports -------------------------------------------------------------------------------- */

static void assert_counts_equal(const struct import_counts *a, const struct import_counts *b)
{
    assert_int_equal(a->n_rows, b->n_rows);
    assert_int_equal(a->n_accepted, b->n_accepted);
    assert_int_equal(a->n_merged, b->n_merged);
    assert_int_equal(a->n_duplicate, b->n_duplicate);
    assert_int_equal(a->n_suppressed, b->n_suppressed);
    assert_int_equal(a->n_rejected, b->n_rejected);
}

static void test_import_lifecycle(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    static const struct import_counts zero = {0, 0, 0, 0, 0, 0};
    static const struct import_counts good = {10, 5, 2, 1, 1, 1};
    /* Each of these is one off in a different place: the CHECK refuses them all. */
    static const struct import_counts bad[] = {
        {10, 5, 2, 1, 1, 0},
        {10, 6, 2, 1, 1, 1},
        {9, 5, 2, 1, 1, 1},
        {0, 0, 0, 0, 0, 1},
    };
    struct import_record rec;
    int64_t list = 0, id = 0, found = 0, started;
    size_t i;

    assert_ok(store_lists_create(fx->st, t, "Imported", NULL, &list, &fx->err), fx);
    started = clock_now_ms(&fx->clock);
    assert_ok(store_imports_create(fx->st, t, "leads.csv", SHA_1, 4096, "csv:leads", true, list,
                                   "{\"E-mail\":\"email\"}", &id, &fx->err),
              fx);
    assert_ok(store_imports_get(fx->st, t, id, fx->arena, &rec, &fx->err), fx);
    assert_int_equal(rec.id, id);
    assert_int_equal(rec.tenant_id, t->tenant_id);
    assert_string_equal(rec.file_name, "leads.csv");
    assert_string_equal(rec.file_sha256, SHA_1);
    assert_int_equal(rec.file_size, 4096);
    assert_string_equal(rec.source, "csv:leads");
    assert_true(rec.has_list);
    assert_int_equal(rec.list_id, list);
    assert_string_equal(rec.status, "running");
    assert_counts_equal(&rec.counts, &zero);
    assert_string_equal(rec.mapping, "{\"E-mail\":\"email\"}");
    assert_null(rec.error);
    assert_int_equal(rec.started_at, started);
    assert_int_equal(rec.finished_at, 0);

    /* Counts that add up are kept; counts that do not are refused and change nothing. */
    assert_ok(store_imports_set_counts(fx->st, t, id, &good, &fx->err), fx);
    for (i = 0; i < N_OF(bad); i++) {
        enum pr_code rc = store_imports_set_counts(fx->st, t, id, &bad[i], &fx->err);

        assert_error_mentions(rc, fx, PR_INVALID, "imports_counts_add_up");
    }
    assert_ok(store_imports_get(fx->st, t, id, fx->arena, &rec, &fx->err), fx);
    assert_counts_equal(&rec.counts, &good);
    assert_int_equal(store_imports_set_counts(fx->st, t, MISSING, &good, &fx->err), PR_NOT_FOUND);

    /* Not findable as completed while it runs. */
    assert_int_equal(store_imports_find_completed(fx->st, t, SHA_1, "csv:leads", &found, &fx->err),
                     PR_NOT_FOUND);
    clock_fake_advance(&fx->clock, 5000);
    assert_ok(store_imports_finish(fx->st, t, id, true, NULL, &fx->err), fx);
    assert_ok(store_imports_get(fx->st, t, id, fx->arena, &rec, &fx->err), fx);
    assert_string_equal(rec.status, "completed");
    assert_int_equal(rec.finished_at, started + 5000);
    assert_int_equal(rec.started_at, started);
    assert_null(rec.error);
    assert_ok(store_imports_find_completed(fx->st, t, SHA_1, "csv:leads", &found, &fx->err), fx);
    assert_int_equal(found, id);
    /* The same content from another source, or another content, is a different file. */
    assert_int_equal(store_imports_find_completed(fx->st, t, SHA_1, "csv:other", &found, &fx->err),
                     PR_NOT_FOUND);
    assert_int_equal(store_imports_find_completed(fx->st, t, SHA_2, "csv:leads", &found, &fx->err),
                     PR_NOT_FOUND);

    /* Finishing twice, either way, is refused and changes nothing. */
    clock_fake_advance(&fx->clock, 5000);
    assert_error_mentions(store_imports_finish(fx->st, t, id, true, NULL, &fx->err), fx,
                          PR_NOT_FOUND, "already finished");
    assert_error_mentions(store_imports_finish(fx->st, t, id, false, "late", &fx->err), fx,
                          PR_NOT_FOUND, "already finished");
    assert_ok(store_imports_get(fx->st, t, id, fx->arena, &rec, &fx->err), fx);
    assert_string_equal(rec.status, "completed");
    assert_int_equal(rec.finished_at, started + 5000);
    assert_null(rec.error);
    assert_int_equal(store_imports_finish(fx->st, t, MISSING, true, NULL, &fx->err), PR_NOT_FOUND);
}

static void test_import_failed_and_duplicate_file(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    struct import_record rec, *rows = NULL;
    int64_t first = 0, failed = 0, again = 0, other_source = 0, found = 0;
    size_t n = 0;

    assert_ok(store_imports_create(fx->st, t, "a.csv", SHA_1, 10, "csv", false, 0, NULL, &first,
                                   &fx->err),
              fx);
    assert_ok(store_imports_finish(fx->st, t, first, true, NULL, &fx->err), fx);

    /* A failed import keeps its message and does not count as the completed one. */
    assert_ok(store_imports_create(fx->st, t, "a.csv", SHA_1, 10, "csv", false, 0, NULL, &failed,
                                   &fx->err),
              fx);
    assert_ok(store_imports_finish(fx->st, t, failed, false, "the disk is full", &fx->err), fx);
    assert_ok(store_imports_get(fx->st, t, failed, fx->arena, &rec, &fx->err), fx);
    assert_string_equal(rec.status, "failed");
    assert_string_equal(rec.error, "the disk is full");
    assert_false(rec.has_list);
    assert_string_equal(rec.mapping, "{}");
    assert_true(rec.finished_at > 0);

    /* A deliberate second import of the same file (prospect import --force) may complete too
     * (imports_file_idx is not unique); find_completed keeps answering with the first. */
    assert_ok(store_imports_create(fx->st, t, "copy of a.csv", SHA_1, 10, "csv", false, 0, NULL,
                                   &again, &fx->err),
              fx);
    assert_ok(store_imports_finish(fx->st, t, again, true, NULL, &fx->err), fx);
    assert_ok(store_imports_get(fx->st, t, again, fx->arena, &rec, &fx->err), fx);
    assert_string_equal(rec.status, "completed");
    assert_ok(store_imports_find_completed(fx->st, t, SHA_1, "csv", &found, &fx->err), fx);
    assert_int_equal(found, first);
    /* The same content from another source is another file. */
    assert_ok(store_imports_create(fx->st, t, "a.csv", SHA_1, 10, "xlsx", false, 0, NULL,
                                   &other_source, &fx->err),
              fx);
    assert_int_equal(store_imports_find_completed(fx->st, t, SHA_1, "xlsx", &found, &fx->err),
                     PR_NOT_FOUND);
    assert_ok(store_imports_finish(fx->st, t, other_source, true, NULL, &fx->err), fx);
    assert_ok(store_imports_find_completed(fx->st, t, SHA_1, "xlsx", &found, &fx->err), fx);
    assert_int_equal(found, other_source);

    /* A malformed hash is refused. */
    assert_int_equal(store_imports_create(fx->st, t, "a.csv", "abc", 10, "csv", false, 0, NULL,
                                          &found, &fx->err),
                     PR_INVALID);

    /* Newest first, in keyset pages below before_id. */
    assert_ok(store_imports_list(fx->st, t, 0, 2, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, other_source);
    assert_int_equal(rows[1].id, again);
    assert_ok(store_imports_list(fx->st, t, rows[1].id, 10, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 2);
    assert_int_equal(rows[0].id, failed);
    assert_int_equal(rows[1].id, first);
    assert_ok(store_imports_list(fx->st, t, first, 10, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 0);
}

static void test_import_rows(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    struct contact c = contact_named("jo@a.example");
    /* Written out of line order: pages come back by line. */
    struct import_row in[] = {
        {5, "rejected", false, 0, "invalid e-mail", "Jo,x@"},
        {1, "accepted", true, 0, NULL, NULL},
        {3, "duplicate", true, 0, NULL, NULL},
        {2, "merged", true, 0, NULL, NULL},
        {7, "rejected", false, 0, "no identity", ",,"},
        {4, "suppressed", false, 0, NULL, NULL},
        {6, "accepted", true, 0, NULL, NULL},
    };
    static const struct {
        const char *outcome; /* NULL: all */
        int64_t after_line;
        int limit;
        int64_t lines[4];
        size_t n_lines;
    } pages[] = {
        {NULL, 0, 3, {1, 2, 3}, 3},    {NULL, 3, 3, {4, 5, 6}, 3},     {NULL, 6, 3, {7}, 1},
        {NULL, 7, 3, {0}, 0},          {"rejected", 0, 10, {5, 7}, 2}, {"rejected", 5, 10, {7}, 1},
        {"accepted", 0, 1, {1}, 1},    {"accepted", 1, 1, {6}, 1},     {"merged", 0, 10, {2}, 1},
        {"suppressed", 0, 10, {4}, 1}, {"duplicate", 4, 10, {0}, 0},
    };
    /* Rows the schema refuses, and how. */
    static const struct {
        struct import_row row;
        enum pr_code code;
        const char *word;
    } refused[] = {
        {{8, "rejected", false, 0, NULL, "raw"}, PR_INVALID, "import_rows_reason_present"},
        {{8, "accepted", false, 0, "why", NULL}, PR_INVALID, "import_rows_reason_present"},
        {{8, "skipped", false, 0, NULL, NULL}, PR_INVALID, "import_rows_outcome_enum"},
        {{1, "accepted", false, 0, NULL, NULL}, PR_CONFLICT, "import_rows"},
    };
    struct import_row *rows = NULL;
    int64_t import_id = 0, contact;
    size_t n = 0, i, k;

    contact = add_contact(fx, &c);
    assert_ok(store_imports_create(fx->st, t, "rows.csv", SHA_1, 1, "csv", false, 0, NULL,
                                   &import_id, &fx->err),
              fx);
    for (i = 0; i < N_OF(in); i++) {
        if (in[i].has_contact)
            in[i].contact_id = contact;
        assert_ok(store_imports_add_row(fx->st, t, import_id, &in[i], &fx->err), fx);
    }
    for (i = 0; i < N_OF(pages); i++) {
        assert_ok(store_imports_rows(fx->st, t, import_id, pages[i].outcome, pages[i].after_line,
                                     pages[i].limit, fx->arena, &rows, &n, &fx->err),
                  fx);
        if (n != pages[i].n_lines)
            fail_msg("page %zu: %zu rows, expected %zu", i, n, pages[i].n_lines);
        for (k = 0; k < n; k++)
            assert_int_equal(rows[k].line, pages[i].lines[k]);
    }
    /* Every field comes back as written. */
    assert_ok(
        store_imports_rows(fx->st, t, import_id, NULL, 0, 100, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, N_OF(in));
    for (k = 0; k < n; k++) {
        const struct import_row *want = NULL;

        for (i = 0; i < N_OF(in); i++)
            if (in[i].line == rows[k].line)
                want = &in[i];
        assert_non_null(want);
        assert_string_equal(rows[k].outcome, want->outcome);
        assert_int_equal(rows[k].has_contact, want->has_contact);
        assert_int_equal(rows[k].contact_id, want->has_contact ? contact : 0);
        assert_opt_string_equal(rows[k].reason, want->reason);
        assert_opt_string_equal(rows[k].raw, want->raw);
    }
    for (i = 0; i < N_OF(refused); i++) {
        enum pr_code rc = store_imports_add_row(fx->st, t, import_id, &refused[i].row, &fx->err);

        assert_error_mentions(rc, fx, refused[i].code, refused[i].word);
    }
    assert_int_equal(count_rows(fx, "import_rows"), (int64_t)N_OF(in));
    assert_int_equal(
        store_imports_rows(fx->st, t, MISSING, NULL, 0, 10, fx->arena, &rows, &n, &fx->err),
        PR_NOT_FOUND);
}

/* ---- scores --------------------------------------------------------------------------------- */

static void test_scores(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    static const struct {
        int score;
        const char *breakdown;
        const char *icp_version;
        int64_t advance_ms; /* clock step before recording; 0: same instant as the last */
    } steps[] = {
        {40, "{\"title\":40}", "icp-1", 1000},
        {75, "{\"title\":40,\"size\":35}", "icp-1", 60000},
        {60, "{\"title\":30,\"size\":30}", "icp-2", 0},
        {100, "{\"title\":50,\"size\":50}", "icp-2", DAY_MS},
    };
    struct contact c = contact_named("scored@a.example"), out;
    struct score_entry *rows = NULL;
    int64_t contact, other, at[N_OF(steps)];
    size_t n = 99, i;

    contact = add_contact(fx, &c);
    c.email = c.email_norm = "other@a.example";
    other = add_contact(fx, &c);
    assert_ok(store_scores_history(fx->st, t, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 0);
    for (i = 0; i < N_OF(steps); i++) {
        clock_fake_advance(&fx->clock, steps[i].advance_ms);
        at[i] = clock_now_ms(&fx->clock);
        assert_ok(store_scores_record(fx->st, t, contact, steps[i].score, steps[i].breakdown,
                                      steps[i].icp_version, &fx->err),
                  fx);
    }
    /* Oldest first; two entries of the same instant keep the order they were recorded in. */
    assert_ok(store_scores_history(fx->st, t, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, N_OF(steps));
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].contact_id, contact);
        assert_int_equal(rows[i].score, steps[i].score);
        assert_string_equal(rows[i].breakdown, steps[i].breakdown);
        assert_string_equal(rows[i].icp_version, steps[i].icp_version);
        assert_int_equal(rows[i].scored_at, at[i]);
    }
    /* The contact carries the latest score and breakdown. */
    assert_ok(store_contacts_get(fx->st, t, contact, fx->arena, &out, &fx->err), fx);
    assert_true(out.has_score);
    assert_int_equal(out.score, steps[N_OF(steps) - 1].score);
    assert_string_equal(out.score_breakdown, steps[N_OF(steps) - 1].breakdown);
    assert_int_equal(out.updated_at, at[N_OF(steps) - 1]);
    /* Another contact's history is its own. */
    assert_ok(store_scores_history(fx->st, t, other, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, 0);

    /* Out of range: refused, nothing recorded. */
    assert_int_equal(store_scores_record(fx->st, t, contact, 101, "{}", "icp-2", &fx->err),
                     PR_INVALID);
    assert_int_equal(store_scores_record(fx->st, t, contact, -1, "{}", "icp-2", &fx->err),
                     PR_INVALID);
    /* A history entry the schema refuses (no ICP version) after the contact was updated:
     * inside the caller's transaction, the rollback undoes both. */
    assert_ok(store_begin(fx->st, &fx->err), fx);
    assert_int_equal(store_scores_record(fx->st, t, contact, 10, "{}", NULL, &fx->err), PR_INVALID);
    store_rollback(fx->st);
    assert_ok(store_contacts_get(fx->st, t, contact, fx->arena, &out, &fx->err), fx);
    assert_int_equal(out.score, steps[N_OF(steps) - 1].score);
    assert_ok(store_scores_history(fx->st, t, contact, fx->arena, &rows, &n, &fx->err), fx);
    assert_int_equal(n, N_OF(steps));

    assert_int_equal(store_scores_record(fx->st, t, MISSING, 50, "{}", "icp-2", &fx->err),
                     PR_NOT_FOUND);
    assert_int_equal(store_scores_history(fx->st, t, MISSING, fx->arena, &rows, &n, &fx->err),
                     PR_NOT_FOUND);
    /* Deleting the contact deletes its history. */
    assert_ok(store_contacts_delete(fx->st, t, contact, &fx->err), fx);
    assert_int_equal(count_rows(fx, "score_history"), 0);
}

/* ---- exports -------------------------------------------------------------------------------- */

/* The contacts the export tests choose from. */
struct export_world {
    int64_t list;
    int64_t hot;        /* score 90, on the list */
    int64_t cold;       /* score 40 */
    int64_t suppressed; /* score 95, on the list, suppressed */
    int64_t unscored;   /* no score */
    int64_t warm;       /* score 70, on the list */
};

static void export_world_seed(struct store_fixture *fx, struct export_world *x)
{
    const struct tenant_ctx *t = &fx->tenant_a;
    static const struct {
        const char *email;
        int score; /* -1: none */
        bool is_suppressed;
        bool on_list;
    } seeds[] = {
        {"hot@a.example", 90, false, true},  {"cold@a.example", 40, false, false},
        {"supp@a.example", 95, true, true},  {"unscored@a.example", -1, false, false},
        {"warm@a.example", 70, false, true},
    };
    int64_t *ids[] = {&x->hot, &x->cold, &x->suppressed, &x->unscored, &x->warm};
    size_t i;

    assert_ok(store_lists_create(fx->st, t, "Campaign", NULL, &x->list, &fx->err), fx);
    for (i = 0; i < N_OF(seeds); i++) {
        struct contact c = contact_named(seeds[i].email);

        c.has_score = seeds[i].score >= 0;
        c.score = seeds[i].score >= 0 ? seeds[i].score : 0;
        c.is_suppressed = seeds[i].is_suppressed;
        *ids[i] = add_contact(fx, &c);
        if (seeds[i].on_list)
            assert_ok(store_lists_add_member(fx->st, t, x->list, *ids[i], &fx->err), fx);
    }
}

static void test_export_candidates_filters(void **state)
{
    struct store_fixture *fx = *state;
    struct export_world x;
    enum who { HOT, COLD, SUPPRESSED, UNSCORED, WARM };
    static const struct {
        bool has_list;
        bool has_min_score;
        int64_t min_score;
        int64_t after; /* index into the ids + 1; 0: from the start */
        int limit;
        enum who expected[5];
        size_t n_expected;
    } cases[] = {
        /* Never suppressed ones; unscored ones only without a minimum. */
        {false, false, 0, 0, 100, {HOT, COLD, UNSCORED, WARM}, 4},
        {false, true, 0, 0, 100, {HOT, COLD, WARM}, 3},
        {false, true, 50, 0, 100, {HOT, WARM}, 2},
        {false, true, 70, 0, 100, {HOT, WARM}, 2},
        {false, true, 71, 0, 100, {HOT}, 1},
        {false, true, 100, 0, 100, {0}, 0},
        /* Only the list's members. */
        {true, false, 0, 0, 100, {HOT, WARM}, 2},
        {true, true, 80, 0, 100, {HOT}, 1},
        /* Keyset pages by ascending id. */
        {false, false, 0, 0, 2, {HOT, COLD}, 2},
        {false, false, 0, COLD + 1, 2, {UNSCORED, WARM}, 2},
        {false, false, 0, WARM + 1, 2, {0}, 0},
    };
    struct export_candidate *rows = NULL;
    int64_t ids[5];
    size_t n = 0, i, k;

    export_world_seed(fx, &x);
    ids[HOT] = x.hot;
    ids[COLD] = x.cold;
    ids[SUPPRESSED] = x.suppressed;
    ids[UNSCORED] = x.unscored;
    ids[WARM] = x.warm;
    for (i = 0; i < N_OF(cases); i++) {
        int64_t after = cases[i].after > 0 ? ids[cases[i].after - 1] : 0;

        assert_ok(store_exports_candidates(fx->st, &fx->tenant_a, cases[i].has_list, x.list,
                                           cases[i].has_min_score, cases[i].min_score,
                                           clock_now_ms(&fx->clock), after, cases[i].limit,
                                           fx->arena, &rows, &n, &fx->err),
                  fx);
        if (n != cases[i].n_expected)
            fail_msg("case %zu: %zu candidates, expected %zu", i, n, cases[i].n_expected);
        for (k = 0; k < n; k++) {
            assert_int_equal(rows[k].contact_id, ids[cases[i].expected[k]]);
            assert_false(rows[k].is_recent);
        }
    }
    assert_error_mentions(store_exports_candidates(fx->st, &fx->tenant_a, true, MISSING, false, 0,
                                                   0, 0, 100, fx->arena, &rows, &n, &fx->err),
                          fx, PR_NOT_FOUND, "list");
}

/* is_recent of `contact` among all candidates for a window starting at `window_start`. */
static bool is_recent(struct store_fixture *fx, int64_t contact, int64_t window_start)
{
    struct export_candidate *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_exports_candidates(fx->st, &fx->tenant_a, false, 0, false, 0, window_start, 0,
                                       1000, fx->arena, &rows, &n, &fx->err),
              fx);
    for (i = 0; i < n; i++)
        if (rows[i].contact_id == contact)
            return rows[i].is_recent;
    fail_msg("contact %lld is not a candidate", (long long)contact);
    return false;
}

static void test_export_window_and_items(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    struct export_world x;
    struct export_record rec;
    struct store_field contacted[] = {{"last_contacted_at", NULL}};
    char contacted_at[32];
    int64_t export_id = 0, exported_at, now;

    export_world_seed(fx, &x);
    assert_ok(store_exports_create(fx->st, t, "vanillasoft", true, x.list, true, 60, &export_id,
                                   &fx->err),
              fx);
    assert_ok(store_exports_get(fx->st, t, export_id, fx->arena, &rec, &fx->err), fx);
    assert_int_equal(rec.id, export_id);
    assert_int_equal(rec.tenant_id, t->tenant_id);
    assert_string_equal(rec.format, "vanillasoft");
    assert_true(rec.has_list);
    assert_int_equal(rec.list_id, x.list);
    assert_true(rec.has_min_score);
    assert_int_equal(rec.min_score, 60);
    assert_int_equal(rec.n_rows, 0);
    assert_int_equal(rec.n_skipped_window, 0);
    assert_int_equal(rec.created_at, clock_now_ms(&fx->clock));

    /* The export carries hot; recording it again changes nothing (idempotent). */
    exported_at = clock_now_ms(&fx->clock);
    assert_ok(store_exports_add_item(fx->st, t, export_id, x.hot, &fx->err), fx);
    assert_true(is_recent(fx, x.hot, exported_at));
    assert_false(is_recent(fx, x.warm, exported_at));
    clock_fake_advance(&fx->clock, 10 * DAY_MS);
    assert_ok(store_exports_add_item(fx->st, t, export_id, x.hot, &fx->err), fx);
    assert_int_equal(count_rows(fx, "export_items"), 1);
    now = clock_now_ms(&fx->clock);
    /* Exported 10 days ago: inside a 30-day window, and one that starts exactly then; outside
     * a 7-day window and one that starts a millisecond later (the second add_item did not
     * move the time). */
    assert_true(is_recent(fx, x.hot, now - 30 * DAY_MS));
    assert_true(is_recent(fx, x.hot, exported_at));
    assert_false(is_recent(fx, x.hot, now - 7 * DAY_MS));
    assert_false(is_recent(fx, x.hot, exported_at + 1));

    /* Contacted (outside exports) counts too, at or after the window start. */
    (void)snprintf(contacted_at, sizeof contacted_at, "%lld", (long long)(now - 2 * DAY_MS));
    contacted[0].value = contacted_at;
    assert_ok(store_contacts_update(fx->st, t, x.warm, contacted, 1, &fx->err), fx);
    assert_true(is_recent(fx, x.warm, now - 7 * DAY_MS));
    assert_true(is_recent(fx, x.warm, now - 2 * DAY_MS));
    assert_false(is_recent(fx, x.warm, now - 2 * DAY_MS + 1));
    assert_false(is_recent(fx, x.cold, now - 7 * DAY_MS));

    /* A second export carrying hot again is a second item. */
    {
        int64_t second = 0;

        assert_ok(store_exports_create(fx->st, t, "generic", false, 0, false, 0, &second, &fx->err),
                  fx);
        assert_ok(store_exports_get(fx->st, t, second, fx->arena, &rec, &fx->err), fx);
        assert_false(rec.has_list);
        assert_false(rec.has_min_score);
        assert_ok(store_exports_add_item(fx->st, t, second, x.hot, &fx->err), fx);
        assert_int_equal(count_rows(fx, "export_items"), 2);
        assert_true(is_recent(fx, x.hot, now - 7 * DAY_MS));
    }

    /* Final counts. */
    assert_ok(store_exports_finish(fx->st, t, export_id, 3, 1, &fx->err), fx);
    assert_ok(store_exports_get(fx->st, t, export_id, fx->arena, &rec, &fx->err), fx);
    assert_int_equal(rec.n_rows, 3);
    assert_int_equal(rec.n_skipped_window, 1);
    assert_int_equal(store_exports_finish(fx->st, t, MISSING, 1, 0, &fx->err), PR_NOT_FOUND);
    assert_int_equal(store_exports_get(fx->st, t, MISSING, fx->arena, &rec, &fx->err),
                     PR_NOT_FOUND);
    assert_int_equal(
        store_exports_create(fx->st, t, "csv", false, 0, false, 0, &export_id, &fx->err),
        PR_INVALID);
}

/* ---- contact lookups ------------------------------------------------------------------------ */

static void test_contacts_find_by_phone(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    static const char *const emails[] = {"first@a.example", "second@a.example", NULL};
    struct contact c, out;
    int64_t ids[N_OF(emails)], other;
    size_t i;

    /* Three contacts share a number (the last has no e-mail at all); the oldest answers. */
    for (i = 0; i < N_OF(emails); i++) {
        c = contact_named(emails[i]);
        c.phone = "(555) 555-0100";
        c.phone_e164 = "+15555550100";
        c.phone_type = "fixed_line_or_mobile";
        c.phone_region = "US";
        c.time_zone = "America/Chicago";
        ids[i] = add_contact(fx, &c);
        clock_fake_advance(&fx->clock, 1000);
    }
    c = contact_named("else@a.example");
    c.phone_e164 = "+15555550199";
    other = add_contact(fx, &c);
    assert_ok(store_contacts_find_by_phone(fx->st, t, "+15555550100", fx->arena, &out, &fx->err),
              fx);
    assert_int_equal(out.id, ids[0]);
    assert_string_equal(out.email_norm, "first@a.example");
    assert_string_equal(out.phone_type, "fixed_line_or_mobile");
    assert_string_equal(out.phone_region, "US");
    assert_string_equal(out.time_zone, "America/Chicago");
    assert_ok(store_contacts_find_by_phone(fx->st, t, "+15555550199", fx->arena, &out, &fx->err),
              fx);
    assert_int_equal(out.id, other);
    /* Without the oldest, the next oldest. */
    assert_ok(store_contacts_delete(fx->st, t, ids[0], &fx->err), fx);
    assert_ok(store_contacts_find_by_phone(fx->st, t, "+15555550100", fx->arena, &out, &fx->err),
              fx);
    assert_int_equal(out.id, ids[1]);
    /* Exact E.164 only: the national form is not a key. */
    assert_error_mentions(
        store_contacts_find_by_phone(fx->st, t, "(555) 555-0100", fx->arena, &out, &fx->err), fx,
        PR_NOT_FOUND, "contact");
    assert_int_equal(
        store_contacts_find_by_phone(fx->st, t, "+15555550101", fx->arena, &out, &fx->err),
        PR_NOT_FOUND);
}

static void test_contacts_find_by_name(void **state)
{
    struct store_fixture *fx = *state;
    const struct tenant_ctx *t = &fx->tenant_a;
    struct company co = {0};
    int64_t x = 0, y = 0, z = 0;
    enum who { X_OLD, X_NEW, ALONE, AT_Y, OTHER_NAME_AT_Z, N_WHO };
    static const struct {
        const char *email;
        const char *name_folded;
        int company; /* 0: none, 1: X, 2: Y, 3: Z */
    } seeds[N_WHO] = {
        {"x.old@a.example", "jo smith", 1}, {"x.new@a.example", "jo smith", 1},
        {"alone@a.example", "jo smith", 0}, {"y@a.example", "jo smith", 2},
        {"z@a.example", "sam lee", 3},
    };
    static const struct {
        const char *name_folded;
        int company;
        int expected; /* enum who, or -1: not found */
    } lookups[] = {
        {"jo smith", 1, X_OLD},
        {"jo smith", 0, ALONE},
        {"jo smith", 2, AT_Y},
        {"jo smith", 3, -1},
        {"sam lee", 3, OTHER_NAME_AT_Z},
        {"sam lee", 0, -1},
        {"jo  smith", 1, -1},
        {"Jo Smith", 0, -1},
        {"jo", 1, -1},
    };
    int64_t companies[4], ids[N_WHO];
    struct contact out;
    size_t i;

    co.name = co.name_folded = "x corp";
    assert_ok(store_companies_create(fx->st, t, &co, &x, &fx->err), fx);
    co.name = co.name_folded = "y corp";
    assert_ok(store_companies_create(fx->st, t, &co, &y, &fx->err), fx);
    co.name = co.name_folded = "z corp";
    assert_ok(store_companies_create(fx->st, t, &co, &z, &fx->err), fx);
    companies[0] = 0;
    companies[1] = x;
    companies[2] = y;
    companies[3] = z;
    for (i = 0; i < N_WHO; i++) {
        struct contact c = contact_named(seeds[i].email);

        c.name_folded = (char *)seeds[i].name_folded;
        c.has_company = seeds[i].company != 0;
        c.company_id = companies[seeds[i].company];
        ids[i] = add_contact(fx, &c);
    }
    for (i = 0; i < N_OF(lookups); i++) {
        enum pr_code rc =
            store_contacts_find_by_name(fx->st, t, lookups[i].name_folded, lookups[i].company != 0,
                                        companies[lookups[i].company], fx->arena, &out, &fx->err);

        if (lookups[i].expected < 0) {
            if (rc != PR_NOT_FOUND)
                fail_msg("lookup %zu: found contact %lld", i, (long long)out.id);
            continue;
        }
        assert_store_ok(rc, fx);
        if (out.id != ids[lookups[i].expected])
            fail_msg("lookup %zu: contact %lld, expected %lld", i, (long long)out.id,
                     (long long)ids[lookups[i].expected]);
        assert_string_equal(out.name_folded, lookups[i].name_folded);
    }
    /* Without the oldest at X, the next one there. */
    assert_ok(store_contacts_delete(fx->st, t, ids[X_OLD], &fx->err), fx);
    assert_ok(
        store_contacts_find_by_name(fx->st, t, "jo smith", true, x, fx->arena, &out, &fx->err), fx);
    assert_int_equal(out.id, ids[X_NEW]);
}

#define REPO_TEST(f) cmocka_unit_test_setup_teardown(f, store_fixture_setup, store_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        REPO_TEST(test_import_lifecycle),
        REPO_TEST(test_import_failed_and_duplicate_file),
        REPO_TEST(test_import_rows),
        REPO_TEST(test_scores),
        REPO_TEST(test_export_candidates_filters),
        REPO_TEST(test_export_window_and_items),
        REPO_TEST(test_contacts_find_by_phone),
        REPO_TEST(test_contacts_find_by_name),
    };

    return cmocka_run_group_tests_name("store/ingestion_repos", tests, NULL, NULL);
}
