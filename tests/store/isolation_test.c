/*
 * Tenant isolation: every repository function of every tenant-owned aggregate, called with
 * tenant A's context against tenant B's ids and natural keys, must behave as if B's rows did
 * not exist, and must leave them exactly as they were.
 *
 * Each test seeds a fresh database: tenant B gets one row of every aggregate with its
 * relations (a contact in a company, on a list, tagged, with a consent), tenant A a few rows
 * of its own to attempt cross-tenant links with. The case then acts as A: reads give
 * PR_NOT_FOUND with the same message as a row that never existed (existence does not leak),
 * lists and counts hold none of B's rows, changes give PR_NOT_FOUND, links between A's and
 * B's rows are refused. Afterwards B's rows are read back twice and compared with the
 * snapshot taken before the case: through the repositories as B (every field of every
 * struct), and as raw rows of every table (every column, including ones the structs omit).
 *
 * The table `cases` names each repository function once. `expected_functions` is the
 * hard-coded list of the functions declared in the aggregate headers; one test checks that
 * both name the same functions, another re-reads the headers (when the source tree can be
 * found) so that a new repository function without an isolation case fails the suite.
 *
 * Exempt, because they are not tenant-owned or act on the whole store: store_tenants_*
 * (tenants.h: create, get, get_by_slug, list — operator paths only) and the connection
 * functions of store.h (open, close, migrate, begin, commit, rollback, backup, ...).
 * store_api_keys_find_by_prefix is deliberately cross-tenant (the authentication lookup
 * before a tenant is known): its case asserts that it answers with B's key and
 * tenant_id == B, so a caller binds the request to B, never to A.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store_test_util.h"

#include "store/api_keys.h"
#include "store/audit.h"
#include "store/companies.h"
#include "store/consents.h"
#include "store/contacts.h"
#include "store/lists.h"
#include "store/suppressions.h"
#include "store/tags.h"
#include "store/users.h"
#include "util/mem.h"
#include "util/str.h"

#include <dirent.h>
#include <inttypes.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#define N_OF(array) (sizeof(array) / sizeof((array)[0]))

/* An id no row of any tenant has. */
#define MISSING_ID INT64_C(999999)

#define PASSWORD_HASH "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
#define TOKEN_HASH_A  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TOKEN_HASH_B  "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

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

struct isolation_case;

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
    /* Tenant A's own rows, for cross-tenant links. */
    int64_t a_user, a_key, a_company, a_contact, a_list, a_tag;
    /* B as seen before the case: through the repositories, and as raw rows. */
    char *b_view_before;
    char *b_rows_before;
    struct buf scratch; /* freed in teardown, also when an assertion fails */
    sqlite3 *raw_db;    /* read-only second connection for the raw dump */
    sqlite3_stmt *raw_stmt;
};

typedef void (*isolation_case_fn)(struct world *w);

struct isolation_case {
    const char *name; /* the repository function the case covers */
    isolation_case_fn run;
};

/* ---- describing rows as text ---------------------------------------------------------------
 * Every field goes into the description; texts are length-prefixed, so two descriptions are
 * equal only when every field is byte-for-byte equal. */

static void put_int(struct buf *b, const char *name, int64_t value)
{
    assert_int_equal(buf_printf(b, "%s=%" PRId64 ";", name, value), PR_OK);
}

static void put_text(struct buf *b, const char *name, const char *value)
{
    if (value == NULL)
        assert_int_equal(buf_printf(b, "%s=NULL;", name), PR_OK);
    else
        assert_int_equal(buf_printf(b, "%s=%zu:%s;", name, strlen(value), value), PR_OK);
}

static void describe_user(struct buf *b, const struct user *u)
{
    put_int(b, "user.id", u->id);
    put_int(b, "tenant_id", u->tenant_id);
    put_text(b, "email", u->email);
    put_text(b, "name", u->name);
    put_text(b, "role", u->role);
    put_text(b, "status", u->status);
    put_text(b, "password_hash", u->password_hash);
    put_int(b, "created_at", u->created_at);
    put_int(b, "last_login_at", u->last_login_at);
}

static void describe_key(struct buf *b, const struct api_key *k)
{
    put_int(b, "api_key.id", k->id);
    put_int(b, "tenant_id", k->tenant_id);
    put_text(b, "name", k->name);
    put_text(b, "prefix", k->prefix);
    put_text(b, "token_hash", k->token_hash);
    put_text(b, "scopes", k->scopes);
    put_int(b, "created_at", k->created_at);
    put_int(b, "last_used_at", k->last_used_at);
    put_int(b, "revoked_at", k->revoked_at);
}

static void describe_company(struct buf *b, const struct company *c)
{
    put_int(b, "company.id", c->id);
    put_int(b, "tenant_id", c->tenant_id);
    put_text(b, "name", c->name);
    put_text(b, "name_folded", c->name_folded);
    put_text(b, "domain", c->domain);
    put_text(b, "website", c->website);
    put_text(b, "phone", c->phone);
    put_text(b, "industry", c->industry);
    put_text(b, "sic", c->sic);
    put_text(b, "naics", c->naics);
    put_int(b, "has_employees", c->has_employees);
    put_int(b, "employees", c->employees);
    put_int(b, "has_revenue_usd", c->has_revenue_usd);
    put_int(b, "revenue_usd", c->revenue_usd);
    put_text(b, "city", c->city);
    put_text(b, "state", c->state);
    put_text(b, "zip", c->zip);
    put_text(b, "country", c->country);
    put_text(b, "linkedin_url", c->linkedin_url);
    put_text(b, "custom_fields", c->custom_fields);
    put_int(b, "created_at", c->created_at);
    put_int(b, "updated_at", c->updated_at);
}

static void describe_contact(struct buf *b, const struct contact *c)
{
    put_int(b, "contact.id", c->id);
    put_int(b, "tenant_id", c->tenant_id);
    put_int(b, "has_company", c->has_company);
    put_int(b, "company_id", c->company_id);
    put_text(b, "first_name", c->first_name);
    put_text(b, "last_name", c->last_name);
    put_text(b, "full_name", c->full_name);
    put_text(b, "email", c->email);
    put_text(b, "email_norm", c->email_norm);
    put_text(b, "phone", c->phone);
    put_text(b, "phone_e164", c->phone_e164);
    put_text(b, "title", c->title);
    put_text(b, "city", c->city);
    put_text(b, "state", c->state);
    put_text(b, "zip", c->zip);
    put_text(b, "country", c->country);
    put_text(b, "linkedin_url", c->linkedin_url);
    put_text(b, "source", c->source);
    put_int(b, "has_score", c->has_score);
    put_int(b, "score", c->score);
    put_int(b, "is_suppressed", c->is_suppressed);
    put_text(b, "custom_fields", c->custom_fields);
    put_int(b, "created_at", c->created_at);
    put_int(b, "updated_at", c->updated_at);
}

static void describe_list(struct buf *b, const struct contact_list *l)
{
    put_int(b, "list.id", l->id);
    put_int(b, "tenant_id", l->tenant_id);
    put_text(b, "name", l->name);
    put_text(b, "description", l->description);
    put_int(b, "n_members", l->n_members);
    put_int(b, "created_at", l->created_at);
}

static void describe_tag(struct buf *b, const struct tag *t)
{
    put_int(b, "tag.id", t->id);
    put_int(b, "tenant_id", t->tenant_id);
    put_text(b, "name", t->name);
    put_int(b, "created_at", t->created_at);
}

static void describe_suppression(struct buf *b, const struct suppression *s)
{
    put_int(b, "suppression.id", s->id);
    put_int(b, "tenant_id", s->tenant_id);
    put_text(b, "kind", s->kind);
    put_text(b, "value", s->value);
    put_text(b, "reason", s->reason);
    put_text(b, "source", s->source);
    put_int(b, "created_at", s->created_at);
}

static void describe_consent(struct buf *b, const struct consent *c)
{
    put_int(b, "consent.id", c->id);
    put_int(b, "tenant_id", c->tenant_id);
    put_int(b, "contact_id", c->contact_id);
    put_text(b, "channel", c->channel);
    put_text(b, "status", c->status);
    put_text(b, "source", c->source);
    put_text(b, "evidence", c->evidence);
    put_int(b, "recorded_at", c->recorded_at);
}

static void describe_audit(struct buf *b, const struct audit_entry *e)
{
    put_int(b, "audit.id", e->id);
    put_int(b, "tenant_id", e->tenant_id);
    put_text(b, "actor_type", e->actor_type);
    put_text(b, "actor_id", e->actor_id);
    put_text(b, "action", e->action);
    put_text(b, "object_type", e->object_type);
    put_text(b, "object_id", e->object_id);
    put_text(b, "detail", e->detail);
    put_text(b, "request_id", e->request_id);
    put_int(b, "created_at", e->created_at);
}

/* ---- snapshots of tenant B ------------------------------------------------------------------ */

/* Everything B can read about itself through the repositories, as text. */
static char *b_view(struct world *w)
{
    struct store_fixture *fx = w->fx;
    struct buf *b = &w->scratch;
    const struct tenant_ctx *t = w->b;
    struct user user, *users;
    struct api_key key, *keys;
    struct company company, *companies;
    struct contact contact, *contacts;
    struct contact_list list, *lists;
    struct tag tag, *tags;
    struct suppression suppression, *suppressions;
    struct consent consent, *consents;
    struct audit_entry *entries;
    int64_t *member_ids, n_contacts = 0;
    bool found = false;
    size_t n, i;

    buf_reset(b);
    assert_ok(store_users_get(w->st, t, w->b_user, w->arena, &user, &fx->err), fx);
    describe_user(b, &user);
    assert_ok(store_users_list(w->st, t, w->arena, &users, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_user(b, &users[i]);
    assert_ok(store_api_keys_get(w->st, t, w->b_key, w->arena, &key, &fx->err), fx);
    describe_key(b, &key);
    assert_ok(store_api_keys_list(w->st, t, w->arena, &keys, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_key(b, &keys[i]);
    assert_ok(store_companies_get(w->st, t, w->b_company, w->arena, &company, &fx->err), fx);
    describe_company(b, &company);
    assert_ok(store_companies_list(w->st, t, 0, 1000, w->arena, &companies, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_company(b, &companies[i]);
    assert_ok(store_contacts_get(w->st, t, w->b_contact, w->arena, &contact, &fx->err), fx);
    describe_contact(b, &contact);
    assert_ok(store_contacts_list(w->st, t, 0, 1000, w->arena, &contacts, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_contact(b, &contacts[i]);
    assert_ok(store_contacts_count(w->st, t, &n_contacts, &fx->err), fx);
    put_int(b, "n_contacts", n_contacts);
    assert_ok(store_lists_get(w->st, t, w->b_list, w->arena, &list, &fx->err), fx);
    describe_list(b, &list);
    assert_ok(store_lists_list(w->st, t, w->arena, &lists, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_list(b, &lists[i]);
    assert_ok(
        store_lists_members(w->st, t, w->b_list, 0, 1000, w->arena, &member_ids, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        put_int(b, "member", member_ids[i]);
    assert_ok(store_tags_get(w->st, t, w->b_tag, w->arena, &tag, &fx->err), fx);
    describe_tag(b, &tag);
    assert_ok(store_tags_list(w->st, t, w->arena, &tags, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_tag(b, &tags[i]);
    assert_ok(store_tags_of_contact(w->st, t, w->b_contact, w->arena, &tags, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_tag(b, &tags[i]);
    assert_ok(store_suppressions_get(w->st, t, w->b_suppression, w->arena, &suppression, &fx->err),
              fx);
    describe_suppression(b, &suppression);
    assert_ok(
        store_suppressions_list(w->st, t, NULL, 0, 1000, w->arena, &suppressions, &n, &fx->err),
        fx);
    for (i = 0; i < n; i++)
        describe_suppression(b, &suppressions[i]);
    assert_ok(store_consents_latest(w->st, t, w->b_contact, "email", w->arena, &consent, &found,
                                    &fx->err),
              fx);
    assert_true(found);
    describe_consent(b, &consent);
    assert_ok(store_consents_list(w->st, t, w->b_contact, w->arena, &consents, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_consent(b, &consents[i]);
    assert_ok(store_audit_list(w->st, t, 0, 1000, w->arena, &entries, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_audit(b, &entries[i]);
    return arena_strdup(w->arena, buf_cstr(b));
}

/* Every column of every row of B in every table, read with SQL on a second connection. */
static char *b_rows(struct world *w)
{
    static const struct {
        const char *table;
        const char *tenant_column;
    } tables[] = {
        {"tenants", "id"},
        {"users", "tenant_id"},
        {"api_keys", "tenant_id"},
        {"companies", "tenant_id"},
        {"contacts", "tenant_id"},
        {"lists", "tenant_id"},
        {"list_members", "tenant_id"},
        {"tags", "tenant_id"},
        {"contact_tags", "tenant_id"},
        {"suppressions", "tenant_id"},
        {"consents", "tenant_id"},
        {"audit_log", "tenant_id"},
    };
    struct buf *b = &w->scratch;
    char sql[160];
    size_t i;
    int rc = SQLITE_OK, col, n_rows;

    buf_reset(b);
    for (i = 0; i < N_OF(tables); i++) {
        assert_true(snprintf(sql, sizeof sql, "SELECT * FROM %s WHERE %s = ? ORDER BY rowid",
                             tables[i].table, tables[i].tenant_column) < (int)sizeof sql);
        rc = sqlite3_prepare_v2(w->raw_db, sql, -1, &w->raw_stmt, NULL);
        if (rc == SQLITE_OK)
            rc = sqlite3_bind_int64(w->raw_stmt, 1, w->b->tenant_id);
        n_rows = 0;
        for (;;) {
            if (rc == SQLITE_OK)
                rc = sqlite3_step(w->raw_stmt);
            if (rc != SQLITE_ROW)
                break;
            rc = SQLITE_OK;
            n_rows++;
            (void)buf_printf(b, "\n%s:", tables[i].table);
            for (col = 0; col < sqlite3_column_count(w->raw_stmt); col++) {
                const char *name = sqlite3_column_name(w->raw_stmt, col);

                switch (sqlite3_column_type(w->raw_stmt, col)) {
                case SQLITE_NULL:
                    (void)buf_printf(b, "%s=NULL;", name);
                    break;
                case SQLITE_INTEGER:
                    (void)buf_printf(b, "%s=%lld;", name, sqlite3_column_int64(w->raw_stmt, col));
                    break;
                default:
                    (void)buf_printf(b, "%s=%d:", name, sqlite3_column_bytes(w->raw_stmt, col));
                    (void)buf_append(b, sqlite3_column_blob(w->raw_stmt, col),
                                     (size_t)sqlite3_column_bytes(w->raw_stmt, col));
                    (void)buf_putc(b, ';');
                    break;
                }
            }
        }
        sqlite3_finalize(w->raw_stmt);
        w->raw_stmt = NULL;
        if (rc != SQLITE_DONE)
            fail_msg("dumping %s: sqlite %d: %s", tables[i].table, rc, sqlite3_errmsg(w->raw_db));
        /* The seed gives B at least one row in every table. */
        if (n_rows == 0)
            fail_msg("tenant B has no rows in %s", tables[i].table);
    }
    return arena_strdup(w->arena, buf_cstr(b));
}

/* ---- the world: seed, setup, teardown ------------------------------------------------------- */

static struct company company_of(const char *name, const char *domain)
{
    struct company c = {0};

    c.name = (char *)name;
    c.name_folded = (char *)name;
    c.domain = (char *)domain;
    c.website = "https://www.example/";
    c.phone = "+49301234567";
    c.industry = "Software";
    c.sic = "7372";
    c.naics = "511210";
    c.has_employees = true;
    c.employees = 40;
    c.has_revenue_usd = true;
    c.revenue_usd = 9000000;
    c.city = "Berlin";
    c.state = "BE";
    c.zip = "10115";
    c.country = "DE";
    c.linkedin_url = "https://www.linkedin.com/company/example";
    c.custom_fields = "{\"tier\":\"gold\"}";
    return c;
}

static struct contact contact_of(const char *email_norm, bool has_company, int64_t company_id)
{
    struct contact c = {0};

    c.has_company = has_company;
    c.company_id = company_id;
    c.first_name = "Jo";
    c.last_name = "Example";
    c.full_name = "Jo Example";
    c.email = (char *)email_norm;
    c.email_norm = (char *)email_norm;
    c.phone = "030 1234568";
    c.phone_e164 = "+49301234568";
    c.title = "CTO";
    c.city = "Berlin";
    c.state = "BE";
    c.zip = "10115";
    c.country = "DE";
    c.linkedin_url = "https://www.linkedin.com/in/jo";
    c.source = "csv:b.csv";
    c.has_score = true;
    c.score = 88;
    c.is_suppressed = true;
    c.custom_fields = "{\"lead\":\"hot\"}";
    return c;
}

static void seed(struct world *w)
{
    struct store_fixture *fx = w->fx;
    struct company company;
    struct contact contact;
    struct audit_entry entry = {0};
    bool was_new = false;

    /* Tenant B: one row of every aggregate, with relations. */
    assert_ok(store_users_create(w->st, w->b, "Boss@B.example", "boss@b.example", "Boss", "owner",
                                 PASSWORD_HASH, &w->b_user, &fx->err),
              fx);
    assert_ok(store_api_keys_create(w->st, w->b, "ci", "bbbbbbbb", TOKEN_HASH_B, "read,write",
                                    &w->b_key, &fx->err),
              fx);
    company = company_of("B GmbH", "b.example");
    assert_ok(store_companies_create(w->st, w->b, &company, &w->b_company, &fx->err), fx);
    contact = contact_of("jo@b.example", true, w->b_company);
    assert_ok(store_contacts_create(w->st, w->b, &contact, &w->b_contact, &fx->err), fx);
    assert_ok(store_lists_create(w->st, w->b, "Shared name", "B's list", &w->b_list, &fx->err), fx);
    assert_ok(store_lists_add_member(w->st, w->b, w->b_list, w->b_contact, &fx->err), fx);
    assert_ok(store_tags_create(w->st, w->b, "vip", &w->b_tag, &fx->err), fx);
    assert_ok(store_tags_attach(w->st, w->b, w->b_tag, w->b_contact, &fx->err), fx);
    assert_ok(store_suppressions_add(w->st, w->b, "email", "jo@b.example", "unsubscribe", "link",
                                     &w->b_suppression, &was_new, &fx->err),
              fx);
    assert_ok(store_consents_record(w->st, w->b, w->b_contact, "email", "granted", "web form",
                                    "{\"ip\":\"192.0.2.7\"}", &w->b_consent, &fx->err),
              fx);
    entry.actor_type = "user";
    entry.actor_id = "boss";
    entry.action = "contact.create";
    entry.object_type = "contact";
    entry.object_id = "1";
    entry.detail = "{\"via\":\"import\"}";
    entry.request_id = "req-b";
    assert_ok(store_audit_append(w->st, w->b, &entry, &w->b_audit, &fx->err), fx);
    clock_fake_advance(&fx->clock, 1000);
    assert_ok(store_api_keys_touch(w->st, w->b, w->b_key, &fx->err), fx);

    /* Tenant A: rows of its own to link with B's. */
    assert_ok(store_users_create(w->st, w->a, "al@a.example", "al@a.example", "Al", "admin", NULL,
                                 &w->a_user, &fx->err),
              fx);
    assert_ok(store_api_keys_create(w->st, w->a, "ci", "aaaaaaaa", TOKEN_HASH_A, "read", &w->a_key,
                                    &fx->err),
              fx);
    company = company_of("A Inc", "a.example");
    assert_ok(store_companies_create(w->st, w->a, &company, &w->a_company, &fx->err), fx);
    contact = contact_of("al@a.example", false, 0);
    assert_ok(store_contacts_create(w->st, w->a, &contact, &w->a_contact, &fx->err), fx);
    assert_ok(store_lists_create(w->st, w->a, "A list", NULL, &w->a_list, &fx->err), fx);
    assert_ok(store_tags_create(w->st, w->a, "a-tag", &w->a_tag, &fx->err), fx);
}

/* *state comes in as the case (cmocka's initial state) and leaves as the world. */
static int world_setup(void **state)
{
    struct world *w = xcalloc(1, sizeof *w);
    void *fx_state = NULL;
    int rc = store_fixture_setup(&fx_state);

    if (rc != 0) {
        xfree(w);
        return rc;
    }
    w->c = *state;
    w->fx = fx_state;
    w->st = w->fx->st;
    w->arena = w->fx->arena;
    w->a = &w->fx->tenant_a;
    w->b = &w->fx->tenant_b;
    buf_init(&w->scratch, 1 << 20);
    *state = w;
    assert_int_equal(sqlite3_open_v2(w->fx->db_path, &w->raw_db, SQLITE_OPEN_READONLY, NULL),
                     SQLITE_OK);
    seed(w);
    w->b_view_before = b_view(w);
    w->b_rows_before = b_rows(w);
    /* Anything that touches B's rows from here on changes a time stamp. */
    clock_fake_advance(&w->fx->clock, 3600 * 1000);
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    void *fx_state = w->fx;

    sqlite3_finalize(w->raw_stmt);
    sqlite3_close(w->raw_db);
    buf_free(&w->scratch);
    xfree(w);
    return store_fixture_teardown(&fx_state);
}

/* Fails showing where `after` first differs from `before`. */
static void assert_same_text(const char *what, const char *before, const char *after)
{
    size_t i = 0, from;

    while (before[i] != '\0' && before[i] == after[i])
        i++;
    if (before[i] == '\0' && after[i] == '\0')
        return;
    from = i > 80 ? i - 80 : 0;
    fail_msg("%s of tenant B changed at byte %zu:\n  before: ...%.160s\n  after:  ...%.160s", what,
             i, before + from, after + from);
}

/* After every case: B's rows are as they were before it. */
static void assert_b_unchanged(struct world *w)
{
    char *view = b_view(w);
    char *rows = b_rows(w);

    assert_same_text("the repository view", w->b_view_before, view);
    assert_same_text("the rows", w->b_rows_before, rows);
}

/* ---- companies ------------------------------------------------------------------------------ */

static void case_companies_create(struct world *w)
{
    struct company in = company_of("Copy", "b.example"), out;
    int64_t id = 0;

    /* The domain is unique per tenant: A may use B's, and learns nothing from it. */
    assert_ok(store_companies_create(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_company);
    assert_ok(store_companies_find_by_domain(w->st, w->a, "b.example", w->arena, &out, &w->fx->err),
              w->fx);
    assert_int_equal(out.id, id);
    assert_int_equal(out.tenant_id, w->a->tenant_id);
}

static void case_companies_get(struct world *w)
{
    struct company out;
    int64_t id;

    assert_hidden(w, id, w->b_company, MISSING_ID,
                  store_companies_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_companies_find_by_domain(struct world *w)
{
    struct company out;
    const char *domain;

    assert_hidden(w, domain, "b.example", "missing.example",
                  store_companies_find_by_domain(w->st, w->a, domain, w->arena, &out, &w->fx->err));
}

static void case_companies_list(struct world *w)
{
    struct company *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_companies_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_company);
    }
}

static void case_companies_update(struct world *w)
{
    struct store_field fields[] = {{"name", "Taken over"}, {"custom_fields", "{}"}};
    int64_t id;

    assert_hidden(w, id, w->b_company, MISSING_ID,
                  store_companies_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
}

static void case_companies_delete(struct world *w)
{
    int64_t id;

    /* Nor may A's delete detach B's contacts from B's company (checked by the snapshot). */
    assert_hidden(w, id, w->b_company, MISSING_ID,
                  store_companies_delete(w->st, w->a, id, &w->fx->err));
    /* Inside a caller's transaction nothing rolls the detach back, so it must not have
     * touched B's contacts in the first place. */
    assert_ok(store_begin(w->st, &w->fx->err), w->fx);
    assert_int_equal(store_companies_delete(w->st, w->a, w->b_company, &w->fx->err), PR_NOT_FOUND);
    assert_ok(store_commit(w->st, &w->fx->err), w->fx);
}

/* ---- contacts ------------------------------------------------------------------------------- */

static void case_contacts_create(struct world *w)
{
    struct contact in = contact_of("new@a.example", true, w->b_company);
    int64_t id = 0, n = 0;

    /* A contact of A cannot point at B's company: the composite key refuses it. */
    assert_int_equal(store_contacts_create(w->st, w->a, &in, &id, &w->fx->err), PR_CONFLICT);
    in.company_id = MISSING_ID;
    assert_int_equal(store_contacts_create(w->st, w->a, &in, &id, &w->fx->err), PR_CONFLICT);
    assert_ok(store_contacts_count(w->st, w->a, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    /* The e-mail is unique per tenant: A may use B's. */
    in = contact_of("jo@b.example", false, 0);
    assert_ok(store_contacts_create(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_contact);
}

static void case_contacts_get(struct world *w)
{
    struct contact out;
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_contacts_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_contacts_find_by_email(struct world *w)
{
    struct contact out;
    const char *email;

    assert_hidden(w, email, "jo@b.example", "missing@b.example",
                  store_contacts_find_by_email(w->st, w->a, email, w->arena, &out, &w->fx->err));
}

static void case_contacts_list(struct world *w)
{
    struct contact *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_contacts_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_contact);
    }
}

static void case_contacts_update(struct world *w)
{
    struct store_field fields[] = {{"email_norm", "stolen@a.example"}, {"score", "1"}};
    struct store_field link[] = {{"company_id", NULL}};
    char company_id[32];
    struct contact out;
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_contacts_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
    /* A's own contact cannot be linked to B's company. */
    (void)snprintf(company_id, sizeof company_id, "%" PRId64, w->b_company);
    link[0].value = company_id;
    assert_int_equal(store_contacts_update(w->st, w->a, w->a_contact, link, 1, &w->fx->err),
                     PR_CONFLICT);
    assert_ok(store_contacts_get(w->st, w->a, w->a_contact, w->arena, &out, &w->fx->err), w->fx);
    assert_false(out.has_company);
}

static void case_contacts_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_contacts_delete(w->st, w->a, id, &w->fx->err));
}

static void case_contacts_count(struct world *w)
{
    int64_t n = 0;

    assert_ok(store_contacts_count(w->st, w->a, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
}

/* ---- lists ---------------------------------------------------------------------------------- */

static void case_lists_create(struct world *w)
{
    struct contact_list out;
    int64_t id = 0;

    assert_ok(store_lists_create(w->st, w->a, "Shared name", NULL, &id, &w->fx->err), w->fx);
    assert_true(id != w->b_list);
    assert_ok(store_lists_find_by_name(w->st, w->a, "Shared name", w->arena, &out, &w->fx->err),
              w->fx);
    assert_int_equal(out.id, id);
    assert_int_equal(out.n_members, 0);
}

static void case_lists_get(struct world *w)
{
    struct contact_list out;
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_lists_find_by_name(struct world *w)
{
    struct contact_list out;
    const char *name;

    assert_hidden(w, name, "Shared name", "Missing name",
                  store_lists_find_by_name(w->st, w->a, name, w->arena, &out, &w->fx->err));
}

static void case_lists_list(struct world *w)
{
    struct contact_list *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_lists_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_list);
        assert_int_equal(rows[i].n_members, 0);
    }
}

static void case_lists_update(struct world *w)
{
    struct store_field fields[] = {{"name", "Renamed"}, {"description", ""}};
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
}

static void case_lists_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID, store_lists_delete(w->st, w->a, id, &w->fx->err));
}

static void case_lists_add_member(struct world *w)
{
    struct contact_list out;
    int64_t id;

    /* A's list + B's contact, B's list + A's contact, B's list + B's contact. */
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_lists_add_member(w->st, w->a, w->a_list, id, &w->fx->err));
    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_add_member(w->st, w->a, id, w->a_contact, &w->fx->err));
    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_add_member(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_ok(store_lists_get(w->st, w->a, w->a_list, w->arena, &out, &w->fx->err), w->fx);
    assert_int_equal(out.n_members, 0);
}

static void case_lists_remove_member(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_remove_member(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_lists_remove_member(w->st, w->a, w->a_list, id, &w->fx->err));
}

static void case_lists_members(struct world *w)
{
    int64_t *ids = NULL, id;
    size_t n = 0;

    assert_hidden(w, id, w->b_list, MISSING_ID,
                  store_lists_members(w->st, w->a, id, 0, 1000, w->arena, &ids, &n, &w->fx->err));
}

/* ---- tags ----------------------------------------------------------------------------------- */

static void case_tags_create(struct world *w)
{
    int64_t id = 0;

    assert_ok(store_tags_create(w->st, w->a, "vip", &id, &w->fx->err), w->fx);
    assert_true(id != w->b_tag);
}

static void case_tags_get(struct world *w)
{
    struct tag out;
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_tags_list(struct world *w)
{
    struct tag *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_tags_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_tag);
    }
}

static void case_tags_rename(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_rename(w->st, w->a, id, "renamed", &w->fx->err));
}

static void case_tags_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID, store_tags_delete(w->st, w->a, id, &w->fx->err));
}

static void case_tags_attach(struct world *w)
{
    struct tag *rows = NULL;
    size_t n = 0;
    int64_t id;

    /* B's tag + A's contact, A's tag + B's contact, B's tag + B's contact. */
    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_attach(w->st, w->a, id, w->a_contact, &w->fx->err));
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_tags_attach(w->st, w->a, w->a_tag, id, &w->fx->err));
    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_attach(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_ok(store_tags_of_contact(w->st, w->a, w->a_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

static void case_tags_detach(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_tag, MISSING_ID,
                  store_tags_detach(w->st, w->a, id, w->b_contact, &w->fx->err));
    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_tags_detach(w->st, w->a, w->a_tag, id, &w->fx->err));
}

static void case_tags_of_contact(struct world *w)
{
    struct tag *rows = NULL;
    size_t n = 99;

    assert_ok(store_tags_of_contact(w->st, w->a, w->b_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

/* ---- suppressions --------------------------------------------------------------------------- */

static void case_suppressions_add(struct world *w)
{
    int64_t id = 0, again = 0;
    bool was_new = false;

    /* B's entry is not A's: A's add makes a new entry rather than returning B's id. */
    assert_ok(store_suppressions_add(w->st, w->a, "email", "jo@b.example", "manual", "ui", &id,
                                     &was_new, &w->fx->err),
              w->fx);
    assert_true(was_new);
    assert_true(id != w->b_suppression);
    /* Adding it again finds A's entry, not B's. */
    assert_ok(store_suppressions_add(w->st, w->a, "email", "jo@b.example", "bounce", "smtp", &again,
                                     &was_new, &w->fx->err),
              w->fx);
    assert_false(was_new);
    assert_int_equal(again, id);
    /* And B's add still finds B's entry, not A's new one. */
    assert_ok(store_suppressions_add(w->st, w->b, "email", "jo@b.example", "bounce", "smtp", &again,
                                     &was_new, &w->fx->err),
              w->fx);
    assert_false(was_new);
    assert_int_equal(again, w->b_suppression);
}

static void case_suppressions_get(struct world *w)
{
    struct suppression out;
    int64_t id;

    assert_hidden(w, id, w->b_suppression, MISSING_ID,
                  store_suppressions_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_suppressions_check(struct world *w)
{
    bool is_suppressed = true;

    assert_ok(
        store_suppressions_check(w->st, w->a, "email", "jo@b.example", &is_suppressed, &w->fx->err),
        w->fx);
    assert_false(is_suppressed);
}

static void case_suppressions_list(struct world *w)
{
    struct suppression *rows = NULL;
    size_t n = 99;

    assert_ok(store_suppressions_list(w->st, w->a, NULL, 0, 1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
    n = 99;
    assert_ok(
        store_suppressions_list(w->st, w->a, "email", 0, 1000, w->arena, &rows, &n, &w->fx->err),
        w->fx);
    assert_int_equal(n, 0);
}

static void case_suppressions_remove(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_suppression, MISSING_ID,
                  store_suppressions_remove(w->st, w->a, id, &w->fx->err));
}

/* ---- consents ------------------------------------------------------------------------------- */

static void case_consents_record(struct world *w)
{
    struct consent *rows = NULL;
    size_t n = 99;
    int64_t id, out_id = 0;

    assert_hidden(w, id, w->b_contact, MISSING_ID,
                  store_consents_record(w->st, w->a, id, "email", "revoked", "forged", NULL,
                                        &out_id, &w->fx->err));
    assert_ok(store_consents_list(w->st, w->a, w->b_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

static void case_consents_latest(struct world *w)
{
    struct consent out;
    bool found = true;

    assert_ok(store_consents_latest(w->st, w->a, w->b_contact, "email", w->arena, &out, &found,
                                    &w->fx->err),
              w->fx);
    assert_false(found);
}

static void case_consents_list(struct world *w)
{
    struct consent *rows = NULL;
    size_t n = 99;

    assert_ok(store_consents_list(w->st, w->a, w->b_contact, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

/* ---- audit ---------------------------------------------------------------------------------- */

static void case_audit_append(struct world *w)
{
    struct audit_entry in = {0}, *rows = NULL;
    int64_t id = 0;
    size_t n = 0;

    in.actor_type = "api_key";
    in.action = "contact.delete";
    in.object_type = "contact";
    assert_ok(store_audit_append(w->st, w->a, &in, &id, &w->fx->err), w->fx);
    assert_ok(store_audit_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, id);
    assert_int_equal(rows[0].tenant_id, w->a->tenant_id);
}

static void case_audit_list(struct world *w)
{
    struct audit_entry *rows = NULL;
    size_t n = 99;

    assert_ok(store_audit_list(w->st, w->a, 0, 1000, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 0);
    n = 99;
    assert_ok(store_audit_list(w->st, w->a, w->b_audit + 1, 1000, w->arena, &rows, &n, &w->fx->err),
              w->fx);
    assert_int_equal(n, 0);
}

/* ---- users ---------------------------------------------------------------------------------- */

static void case_users_create(struct world *w)
{
    int64_t id = 0;

    assert_ok(store_users_create(w->st, w->a, "boss@b.example", "boss@b.example", "Copy", "viewer",
                                 NULL, &id, &w->fx->err),
              w->fx);
    assert_true(id != w->b_user);
}

static void case_users_get(struct world *w)
{
    struct user out;
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_users_find_by_email(struct world *w)
{
    struct user out;
    const char *email;

    assert_hidden(w, email, "boss@b.example", "missing@b.example",
                  store_users_find_by_email(w->st, w->a, email, w->arena, &out, &w->fx->err));
}

static void case_users_list(struct world *w)
{
    struct user *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_users_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_user);
    }
}

static void case_users_set_password(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_set_password(w->st, w->a, id, PASSWORD_HASH "x", &w->fx->err));
    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_set_password(w->st, w->a, id, NULL, &w->fx->err));
}

static void case_users_update(struct world *w)
{
    struct store_field fields[] = {{"role", "viewer"}, {"status", "disabled"}};
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID,
                  store_users_update(w->st, w->a, id, fields, N_OF(fields), &w->fx->err));
}

static void case_users_delete(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_user, MISSING_ID, store_users_delete(w->st, w->a, id, &w->fx->err));
}

/* ---- api keys ------------------------------------------------------------------------------- */

static void case_api_keys_create(struct world *w)
{
    struct api_key *rows = NULL;
    size_t n = 0;
    int64_t id = 0;

    /* Prefixes are the global lookup handle, so B's is taken for everyone (they are random,
     * so the conflict tells nothing); nothing is created or changed. */
    assert_int_equal(store_api_keys_create(w->st, w->a, "copy", "bbbbbbbb", TOKEN_HASH_A, "admin",
                                           &id, &w->fx->err),
                     PR_CONFLICT);
    assert_ok(store_api_keys_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    assert_ok(store_api_keys_create(w->st, w->a, "second", "a2a2a2a2", TOKEN_HASH_A, "admin", &id,
                                    &w->fx->err),
              w->fx);
    assert_true(id != w->b_key);
}

static void case_api_keys_find_by_prefix(struct world *w)
{
    struct api_key found, as_b;

    /* Deliberately across tenants: the answer is B's key and names B as its tenant. */
    assert_ok(store_api_keys_find_by_prefix(w->st, "bbbbbbbb", w->arena, &found, &w->fx->err),
              w->fx);
    assert_int_equal(found.id, w->b_key);
    assert_int_equal(found.tenant_id, w->b->tenant_id);
    assert_true(found.tenant_id != w->a->tenant_id);
    assert_ok(store_api_keys_get(w->st, w->b, w->b_key, w->arena, &as_b, &w->fx->err), w->fx);
    buf_reset(&w->scratch);
    describe_key(&w->scratch, &found);
    {
        char *found_text = arena_strdup(w->arena, buf_cstr(&w->scratch));

        buf_reset(&w->scratch);
        describe_key(&w->scratch, &as_b);
        assert_string_equal(found_text, buf_cstr(&w->scratch));
    }
    assert_int_equal(
        store_api_keys_find_by_prefix(w->st, "zzzzzzzz", w->arena, &found, &w->fx->err),
        PR_NOT_FOUND);
}

static void case_api_keys_get(struct world *w)
{
    struct api_key out;
    int64_t id;

    assert_hidden(w, id, w->b_key, MISSING_ID,
                  store_api_keys_get(w->st, w->a, id, w->arena, &out, &w->fx->err));
}

static void case_api_keys_list(struct world *w)
{
    struct api_key *rows = NULL;
    size_t n = 0, i;

    assert_ok(store_api_keys_list(w->st, w->a, w->arena, &rows, &n, &w->fx->err), w->fx);
    assert_int_equal(n, 1);
    for (i = 0; i < n; i++) {
        assert_int_equal(rows[i].tenant_id, w->a->tenant_id);
        assert_true(rows[i].id != w->b_key);
    }
}

static void case_api_keys_revoke(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_key, MISSING_ID, store_api_keys_revoke(w->st, w->a, id, &w->fx->err));
}

static void case_api_keys_touch(struct world *w)
{
    int64_t id;

    assert_hidden(w, id, w->b_key, MISSING_ID, store_api_keys_touch(w->st, w->a, id, &w->fx->err));
}

/* ---- the table ------------------------------------------------------------------------------ */

#define CASE(fn)                                                                                   \
    {                                                                                              \
        "store_" #fn, case_##fn                                                                    \
    }

static const struct isolation_case cases[] = {
    CASE(companies_create),
    CASE(companies_get),
    CASE(companies_find_by_domain),
    CASE(companies_list),
    CASE(companies_update),
    CASE(companies_delete),
    CASE(contacts_create),
    CASE(contacts_get),
    CASE(contacts_find_by_email),
    CASE(contacts_list),
    CASE(contacts_update),
    CASE(contacts_delete),
    CASE(contacts_count),
    CASE(lists_create),
    CASE(lists_get),
    CASE(lists_find_by_name),
    CASE(lists_list),
    CASE(lists_update),
    CASE(lists_delete),
    CASE(lists_add_member),
    CASE(lists_remove_member),
    CASE(lists_members),
    CASE(tags_create),
    CASE(tags_get),
    CASE(tags_list),
    CASE(tags_rename),
    CASE(tags_delete),
    CASE(tags_attach),
    CASE(tags_detach),
    CASE(tags_of_contact),
    CASE(suppressions_add),
    CASE(suppressions_get),
    CASE(suppressions_check),
    CASE(suppressions_list),
    CASE(suppressions_remove),
    CASE(consents_record),
    CASE(consents_latest),
    CASE(consents_list),
    CASE(audit_append),
    CASE(audit_list),
    CASE(users_create),
    CASE(users_get),
    CASE(users_find_by_email),
    CASE(users_list),
    CASE(users_set_password),
    CASE(users_update),
    CASE(users_delete),
    CASE(api_keys_create),
    CASE(api_keys_find_by_prefix),
    CASE(api_keys_get),
    CASE(api_keys_list),
    CASE(api_keys_revoke),
    CASE(api_keys_touch),
};

/*
 * The repository functions declared in the aggregate headers, written out by hand. Taking
 * each function's address makes a removed or renamed function a compile error here.
 */
#define DECLARED(fn)                                                                               \
    {                                                                                              \
#fn, (void (*)(void))fn                                                                    \
    }

static const struct {
    const char *name;
    void (*address)(void);
} expected_functions[] = {
    DECLARED(store_companies_create),
    DECLARED(store_companies_get),
    DECLARED(store_companies_find_by_domain),
    DECLARED(store_companies_list),
    DECLARED(store_companies_update),
    DECLARED(store_companies_delete),
    DECLARED(store_contacts_create),
    DECLARED(store_contacts_get),
    DECLARED(store_contacts_find_by_email),
    DECLARED(store_contacts_list),
    DECLARED(store_contacts_update),
    DECLARED(store_contacts_delete),
    DECLARED(store_contacts_count),
    DECLARED(store_lists_create),
    DECLARED(store_lists_get),
    DECLARED(store_lists_find_by_name),
    DECLARED(store_lists_list),
    DECLARED(store_lists_update),
    DECLARED(store_lists_delete),
    DECLARED(store_lists_add_member),
    DECLARED(store_lists_remove_member),
    DECLARED(store_lists_members),
    DECLARED(store_tags_create),
    DECLARED(store_tags_get),
    DECLARED(store_tags_list),
    DECLARED(store_tags_rename),
    DECLARED(store_tags_delete),
    DECLARED(store_tags_attach),
    DECLARED(store_tags_detach),
    DECLARED(store_tags_of_contact),
    DECLARED(store_suppressions_add),
    DECLARED(store_suppressions_get),
    DECLARED(store_suppressions_check),
    DECLARED(store_suppressions_list),
    DECLARED(store_suppressions_remove),
    DECLARED(store_consents_record),
    DECLARED(store_consents_latest),
    DECLARED(store_consents_list),
    DECLARED(store_audit_append),
    DECLARED(store_audit_list),
    DECLARED(store_users_create),
    DECLARED(store_users_get),
    DECLARED(store_users_find_by_email),
    DECLARED(store_users_list),
    DECLARED(store_users_set_password),
    DECLARED(store_users_update),
    DECLARED(store_users_delete),
    DECLARED(store_api_keys_create),
    DECLARED(store_api_keys_find_by_prefix),
    DECLARED(store_api_keys_get),
    DECLARED(store_api_keys_list),
    DECLARED(store_api_keys_revoke),
    DECLARED(store_api_keys_touch),
};

/* Headers in src/store that declare no tenant-owned repository (see the file comment). */
static const char *const exempt_headers[] = {"store.h", "store_int.h", "tenants.h"};

static void run_case(void **state)
{
    struct world *w = *state;

    w->c->run(w);
    assert_b_unchanged(w);
}

static bool is_expected(const char *name)
{
    size_t i;

    for (i = 0; i < N_OF(expected_functions); i++)
        if (strcmp(expected_functions[i].name, name) == 0)
            return true;
    return false;
}

/* The table holds each declared function exactly once, and nothing else. */
static void test_table_covers_every_function(void **state)
{
    size_t i, j, n_found;

    (void)state;
    for (i = 0; i < N_OF(cases); i++) {
        if (!is_expected(cases[i].name))
            fail_msg("case %s is not a declared repository function", cases[i].name);
        for (j = i + 1; j < N_OF(cases); j++)
            if (strcmp(cases[i].name, cases[j].name) == 0)
                fail_msg("%s has two cases", cases[i].name);
    }
    for (i = 0; i < N_OF(expected_functions); i++) {
        assert_non_null(expected_functions[i].address);
        n_found = 0;
        for (j = 0; j < N_OF(cases); j++)
            n_found += strcmp(cases[j].name, expected_functions[i].name) == 0;
        if (n_found != 1)
            fail_msg("%s has no isolation case", expected_functions[i].name);
    }
    assert_int_equal(N_OF(cases), N_OF(expected_functions));
}

/* Removes comments so that names mentioned in them are not taken for declarations. */
static void strip_comments(char *text)
{
    char *p = text;

    for (p = strstr(p, "/*"); p != NULL; p = strstr(p, "/*")) {
        char *end = strstr(p + 2, "*/");
        char *stop = end ? end + 2 : p + strlen(p);

        memset(p, ' ', (size_t)(stop - p));
        p = stop;
    }
}

static bool is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/*
 * Reads the aggregate headers and checks that the functions they declare (`store_xxx(`) are
 * exactly `expected_functions`: a function added to a header without an isolation case fails
 * here. Skipped when the source tree is not where this file was compiled from.
 */
static void test_headers_declare_expected_functions(void **state)
{
#ifdef PROSPECT_SOURCE_ROOT
    const char *root = PROSPECT_SOURCE_ROOT "/";
    size_t root_len = strlen(root);
#else
    const char *root = __FILE__;
    const char *suffix = strstr(__FILE__, "tests/store/isolation_test.c");
    size_t root_len = suffix ? (size_t)(suffix - __FILE__) : 0;
#endif
    char dir_path[512], path[1024], name[128];
    struct dirent *entry;
    size_t n_declared = 0, i;
    DIR *dir;

    (void)state;
    (void)snprintf(dir_path, sizeof dir_path, "%.*ssrc/store", (int)root_len, root);
    dir = opendir(dir_path);
    if (dir == NULL) {
        fail_msg("cannot open %s; run from the build or source directory", dir_path);
    }
    for (entry = readdir(dir); entry != NULL; entry = readdir(dir)) {
        size_t len = strlen(entry->d_name);
        bool is_exempt = false;
        char *text = NULL, *p;
        FILE *f;
        long size;

        if (len < 3 || strcmp(entry->d_name + len - 2, ".h") != 0)
            continue;
        for (i = 0; i < N_OF(exempt_headers); i++)
            is_exempt = is_exempt || strcmp(entry->d_name, exempt_headers[i]) == 0;
        if (is_exempt)
            continue;
        (void)snprintf(path, sizeof path, "%s/%s", dir_path, entry->d_name);
        f = fopen(path, "rb");
        size = f != NULL && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
        if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
            text = xcalloc((size_t)size + 1, 1);
            if (fread(text, 1, (size_t)size, f) != (size_t)size) {
                xfree(text);
                text = NULL;
            }
        }
        if (f != NULL)
            fclose(f);
        if (text == NULL) {
            closedir(dir);
            fail_msg("cannot read %s", path);
        }
        strip_comments(text);
        for (p = strstr(text, "store_"); p != NULL; p = strstr(p + 1, "store_")) {
            size_t n = 0;
            const char *q;

            if (p > text && is_ident_char(p[-1]))
                continue;
            while (is_ident_char(p[n]) && n < sizeof name - 1) {
                name[n] = p[n];
                n++;
            }
            name[n] = '\0';
            for (q = p + n; *q == ' ' || *q == '\n' || *q == '\t'; q++)
                ;
            if (*q != '(')
                continue;
            n_declared++;
            if (!is_expected(name)) {
                xfree(text);
                closedir(dir);
                fail_msg("%s (declared in %s) has no isolation case", name, entry->d_name);
            }
        }
        xfree(text);
    }
    closedir(dir);
    assert_int_equal(n_declared, N_OF(expected_functions));
}

int main(void)
{
    struct CMUnitTest tests[N_OF(cases) + 2];
    size_t i;

    for (i = 0; i < N_OF(cases); i++) {
        tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate_setup_teardown(
            run_case, world_setup, world_teardown, (void *)&cases[i]);
        tests[i].name = cases[i].name;
    }
    tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_table_covers_every_function);
    tests[i++] = (struct CMUnitTest)cmocka_unit_test(test_headers_declare_expected_functions);
    return cmocka_run_group_tests_name("store/isolation", tests, NULL, NULL);
}
