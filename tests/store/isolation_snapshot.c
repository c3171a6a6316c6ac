/*
 * Snapshots of tenant B for the isolation test, and the header scan behind its coverage check.
 *
 * A snapshot is text: b_view reads every field of every struct B can read about itself through
 * the repositories (acting as B), b_rows dumps every column of every B row of every table with
 * plain SQL on a second, read-only connection (so columns the structs omit are covered too).
 * Texts are length-prefixed, so two snapshots are equal only when every field is byte-for-byte
 * equal, and assert_same_text shows where they first differ.
 */
#include "isolation_snapshot.h"

#include "store/audit.h"
#include "store/companies.h"
#include "store/consents.h"
#include "store/contacts.h"
#include "store/exports.h"
#include "store/imports.h"
#include "store/jobs.h"
#include "store/lists.h"
#include "store/schedules.h"
#include "store/scores.h"
#include "store/sources.h"
#include "store/suppressions.h"
#include "store/tags.h"
#include "store/users.h"
#include "util/mem.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* ---- describing rows as text ---------------------------------------------------------------
 * Every field goes into the description; texts are length-prefixed, so two descriptions are
 * equal only when every field is byte-for-byte equal. */

void put_int(struct buf *b, const char *name, int64_t value)
{
    assert_int_equal(buf_printf(b, "%s=%" PRId64 ";", name, value), PR_OK);
}

void put_text(struct buf *b, const char *name, const char *value)
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

void describe_key(struct buf *b, const struct api_key *k)
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
    put_text(b, "sector", c->sector);
    put_text(b, "county", c->county);
    put_text(b, "provenance", c->provenance);
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
    put_text(b, "phone_type", c->phone_type);
    put_text(b, "phone_region", c->phone_region);
    put_text(b, "time_zone", c->time_zone);
    put_int(b, "email_is_role", c->email_is_role);
    put_int(b, "email_is_free", c->email_is_free);
    put_text(b, "name_folded", c->name_folded);
    put_text(b, "score_breakdown", c->score_breakdown);
    put_text(b, "provenance", c->provenance);
    put_int(b, "has_last_contacted", c->has_last_contacted);
    put_int(b, "last_contacted_at", c->last_contacted_at);
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

static void describe_import(struct buf *b, const struct import_record *r)
{
    put_int(b, "import.id", r->id);
    put_int(b, "tenant_id", r->tenant_id);
    put_text(b, "file_name", r->file_name);
    put_text(b, "file_sha256", r->file_sha256);
    put_int(b, "file_size", r->file_size);
    put_text(b, "source", r->source);
    put_int(b, "has_list", r->has_list);
    put_int(b, "list_id", r->list_id);
    put_text(b, "status", r->status);
    put_int(b, "n_rows", r->counts.n_rows);
    put_int(b, "n_accepted", r->counts.n_accepted);
    put_int(b, "n_merged", r->counts.n_merged);
    put_int(b, "n_duplicate", r->counts.n_duplicate);
    put_int(b, "n_suppressed", r->counts.n_suppressed);
    put_int(b, "n_rejected", r->counts.n_rejected);
    put_text(b, "mapping", r->mapping);
    put_text(b, "error", r->error);
    put_int(b, "started_at", r->started_at);
    put_int(b, "finished_at", r->finished_at);
}

static void describe_import_row(struct buf *b, const struct import_row *r)
{
    put_int(b, "import_row.line", r->line);
    put_text(b, "outcome", r->outcome);
    put_int(b, "has_contact", r->has_contact);
    put_int(b, "contact_id", r->contact_id);
    put_text(b, "reason", r->reason);
    put_text(b, "raw", r->raw);
}

static void describe_score(struct buf *b, const struct score_entry *e)
{
    put_int(b, "score.contact_id", e->contact_id);
    put_int(b, "score", e->score);
    put_text(b, "breakdown", e->breakdown);
    put_text(b, "icp_version", e->icp_version);
    put_int(b, "scored_at", e->scored_at);
}

static void describe_export(struct buf *b, const struct export_record *e)
{
    put_int(b, "export.id", e->id);
    put_int(b, "tenant_id", e->tenant_id);
    put_text(b, "format", e->format);
    put_int(b, "has_list", e->has_list);
    put_int(b, "list_id", e->list_id);
    put_int(b, "has_min_score", e->has_min_score);
    put_int(b, "min_score", e->min_score);
    put_int(b, "n_rows", e->n_rows);
    put_int(b, "n_skipped_window", e->n_skipped_window);
    put_int(b, "created_at", e->created_at);
}

static void describe_job(struct buf *b, const struct job *j)
{
    put_int(b, "job.id", j->id);
    put_int(b, "tenant_id", j->tenant_id);
    put_text(b, "kind", j->kind);
    put_text(b, "payload", j->payload);
    put_text(b, "state", j->state);
    put_int(b, "priority", j->priority);
    put_int(b, "attempt", j->attempt);
    put_int(b, "max_attempts", j->max_attempts);
    put_int(b, "run_at", j->run_at);
    put_int(b, "lease_expires_at", j->lease_expires_at);
    put_text(b, "worker_id", j->worker_id);
    put_text(b, "unique_key", j->unique_key);
    put_text(b, "idempotency_key", j->idempotency_key);
    put_text(b, "last_error_class", j->last_error_class);
    put_text(b, "last_error_code", j->last_error_code);
    put_text(b, "last_error_message", j->last_error_message);
    put_int(b, "created_at", j->created_at);
    put_int(b, "finished_at", j->finished_at);
}

static void describe_job_attempt(struct buf *b, const struct job_attempt *a)
{
    put_int(b, "job_attempt.attempt", a->attempt);
    put_text(b, "worker_id", a->worker_id);
    put_int(b, "started_at", a->started_at);
    put_int(b, "finished_at", a->finished_at);
    put_text(b, "outcome", a->outcome);
    put_text(b, "error_class", a->error_class);
    put_text(b, "error_code", a->error_code);
    put_text(b, "error_message", a->error_message);
}

static void describe_schedule(struct buf *b, const struct schedule *s)
{
    put_int(b, "schedule.id", s->id);
    put_int(b, "tenant_id", s->tenant_id);
    put_text(b, "name", s->name);
    put_text(b, "job_kind", s->job_kind);
    put_text(b, "payload", s->payload);
    put_text(b, "cron", s->cron);
    put_text(b, "time_zone", s->time_zone);
    put_int(b, "is_enabled", s->is_enabled);
    put_int(b, "next_run_at", s->next_run_at);
    put_int(b, "last_run_at", s->last_run_at);
    put_int(b, "last_job_id", s->last_job_id);
    put_int(b, "created_at", s->created_at);
    put_int(b, "updated_at", s->updated_at);
}

/* ---- snapshots of tenant B ------------------------------------------------------------------ */

/* B's schedules by id and by name, and B's schedule list, appended to w->scratch. */
static void b_view_schedules(struct world *w)
{
    static const char *const names[] = {SCHEDULE_NAME_B, SCHEDULE_NAME_B_DISABLED,
                                        SCHEDULE_NAME_B_FUTURE};
    struct store_fixture *fx = w->fx;
    struct buf *b = &w->scratch;
    const struct tenant_ctx *t = w->b;
    const int64_t ids[] = {w->b_schedule_due, w->b_schedule_disabled, w->b_schedule_future};
    struct schedule schedule, *rows;
    size_t n, i, k;

    for (k = 0; k < N_OF(ids); k++) {
        assert_ok(store_schedules_get(w->st, t, ids[k], w->arena, &schedule, &fx->err), fx);
        describe_schedule(b, &schedule);
        assert_ok(store_schedules_find_by_name(w->st, t, names[k], w->arena, &schedule, &fx->err),
                  fx);
        describe_schedule(b, &schedule);
    }
    assert_ok(store_schedules_list(w->st, t, w->arena, &rows, &n, &fx->err), fx);
    put_int(b, "n_schedules", (int64_t)n);
    for (i = 0; i < n; i++)
        describe_schedule(b, &rows[i]);
}

/* B's jobs one by one with their attempts, and B's job lists by state, appended to
 * w->scratch. */
static void b_view_jobs(struct world *w)
{
    static const char *const states[] = {NULL,        "available", "running",  "succeeded",
                                         "retryable", "discarded", "cancelled"};
    struct store_fixture *fx = w->fx;
    struct buf *b = &w->scratch;
    const struct tenant_ctx *t = w->b;
    const int64_t jobs[] = {w->b_job_available, w->b_job_running, w->b_job_discarded,
                            w->b_job_succeeded};
    struct job job, *rows;
    struct job_attempt *attempts;
    size_t n, i, k;

    for (k = 0; k < N_OF(jobs); k++) {
        assert_ok(store_jobs_get(w->st, t, jobs[k], w->arena, &job, &fx->err), fx);
        describe_job(b, &job);
        assert_ok(store_jobs_attempts(w->st, t, jobs[k], w->arena, &attempts, &n, &fx->err), fx);
        put_int(b, "n_attempts", (int64_t)n);
        for (i = 0; i < n; i++)
            describe_job_attempt(b, &attempts[i]);
    }
    for (k = 0; k < N_OF(states); k++) {
        assert_ok(store_jobs_list(w->st, t, states[k], 0, 1000, w->arena, &rows, &n, &fx->err), fx);
        put_int(b, "n_jobs", (int64_t)n);
        for (i = 0; i < n; i++)
            describe_job(b, &rows[i]);
    }
}

/* B's company candidates, companies by ZIP, sector counts, contacts by ZIP, lookups by phone
 * and name, source trust, imports with their rows, score
 * history, export and export candidates, appended to w->scratch. */
static void b_view_ingestion(struct world *w)
{
    static const char *const outcomes[] = {NULL, "accepted", "rejected"};
    struct store_fixture *fx = w->fx;
    struct buf *b = &w->scratch;
    const struct tenant_ctx *t = w->b;
    const int64_t imports[] = {w->b_import, w->b_import_running};
    struct contact contact;
    struct company_candidate *candidates_of_name;
    struct company *companies;
    struct contact *contacts;
    struct sector_count *sectors;
    static const char *const groupings[] = {"state", "county", "city"};
    struct import_record record, *records;
    struct import_row *rows;
    struct score_entry *scores;
    struct export_record export;
    struct export_candidate *candidates;
    int64_t id = 0;
    int trust = 0;
    size_t n, i, j, k;

    assert_ok(
        store_companies_candidates(w->st, t, "", 1000, w->arena, &candidates_of_name, &n, &fx->err),
        fx);
    for (i = 0; i < n; i++) {
        put_int(b, "company_candidate.id", candidates_of_name[i].id);
        put_text(b, "name_folded", candidates_of_name[i].name_folded);
        put_text(b, "city", candidates_of_name[i].city);
        put_text(b, "state", candidates_of_name[i].state);
    }
    assert_ok(
        store_companies_by_zip(w->st, t, "10115", 0, 1000, w->arena, &companies, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_company(b, &companies[i]);
    for (k = 0; k < N_OF(groupings); k++) {
        assert_ok(
            store_companies_sector_counts(w->st, t, groupings[k], w->arena, &sectors, &n, &fx->err),
            fx);
        for (i = 0; i < n; i++) {
            put_text(b, "sector", sectors[i].sector);
            put_text(b, "place", sectors[i].place);
            put_int(b, "n_companies", sectors[i].n_companies);
        }
    }
    for (k = 0; k < 2; k++) {
        assert_ok(store_contacts_by_zip(w->st, t, "10115", k == 1, w->b_list, 0, 1000, w->arena,
                                        &contacts, &n, &fx->err),
                  fx);
        put_int(b, "n_by_zip", (int64_t)n);
        for (i = 0; i < n; i++)
            describe_contact(b, &contacts[i]);
    }
    assert_ok(store_contacts_find_by_phone(w->st, t, PHONE_B, w->arena, &contact, &fx->err), fx);
    describe_contact(b, &contact);
    assert_ok(store_contacts_find_by_name(w->st, t, NAME_B, true, w->b_company, w->arena, &contact,
                                          &fx->err),
              fx);
    describe_contact(b, &contact);
    assert_ok(
        store_contacts_find_by_name(w->st, t, NAME_B_SOLO, false, 0, w->arena, &contact, &fx->err),
        fx);
    describe_contact(b, &contact);
    assert_ok(store_sources_trust(w->st, t, SOURCE_B, &trust, &fx->err), fx);
    put_int(b, "source_trust", trust);
    assert_ok(store_imports_find_completed(w->st, t, SHA256_B, SOURCE_B, &id, &fx->err), fx);
    put_int(b, "completed_import", id);
    for (k = 0; k < N_OF(imports); k++) {
        assert_ok(store_imports_get(w->st, t, imports[k], w->arena, &record, &fx->err), fx);
        describe_import(b, &record);
        for (i = 0; i < N_OF(outcomes); i++) {
            assert_ok(store_imports_rows(w->st, t, imports[k], outcomes[i], 0, 1000, w->arena,
                                         &rows, &n, &fx->err),
                      fx);
            put_int(b, "n_import_rows", (int64_t)n);
            for (j = 0; j < n; j++)
                describe_import_row(b, &rows[j]);
        }
    }
    assert_ok(store_imports_list(w->st, t, 0, 1000, w->arena, &records, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_import(b, &records[i]);
    assert_ok(store_scores_history(w->st, t, w->b_contact, w->arena, &scores, &n, &fx->err), fx);
    for (i = 0; i < n; i++)
        describe_score(b, &scores[i]);
    assert_ok(store_exports_get(w->st, t, w->b_export, w->arena, &export, &fx->err), fx);
    describe_export(b, &export);
    for (k = 0; k < 2; k++) {
        assert_ok(store_exports_candidates(w->st, t, k == 1, w->b_list, false, 0, WINDOW_START_B, 0,
                                           1000, w->arena, &candidates, &n, &fx->err),
                  fx);
        put_int(b, "n_candidates", (int64_t)n);
        for (i = 0; i < n; i++) {
            put_int(b, "candidate", candidates[i].contact_id);
            put_int(b, "is_recent", candidates[i].is_recent);
        }
    }
}

/* Everything B can read about itself through the repositories, as text. */
char *b_view(struct world *w)
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
    b_view_ingestion(w);
    b_view_jobs(w);
    b_view_schedules(w);
    b_view_pipelines(w);
    return arena_strdup(w->arena, buf_cstr(b));
}

/* The tables of tenant-owned rows, and the column that names the tenant. */
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
    {"imports", "tenant_id"},
    {"import_rows", "tenant_id"},
    {"score_history", "tenant_id"},
    {"exports", "tenant_id"},
    {"export_items", "tenant_id"},
    {"lead_sources", "tenant_id"},
    {"jobs", "tenant_id"},
    {"job_attempts", "tenant_id"},
    {"schedules", "tenant_id"},
    {"pipelines", "tenant_id"},
    {"pipeline_runs", "tenant_id"},
    {"pipeline_run_steps", "tenant_id"},
    {"pipeline_chunks", "tenant_id"},
    {"pipeline_charges", "tenant_id"},
};

/* Tables without rows of a tenant to dump: the migration log. */
static const char *const tables_not_dumped[] = {"schema_migrations"};

/* Fails when the database has a table that is neither dumped nor exempt, so that a table added
 * by a migration cannot escape the raw comparison. */
static void assert_every_table_dumped(struct world *w)
{
    int rc = sqlite3_prepare_v2(w->raw_db,
                                "SELECT name FROM sqlite_schema WHERE type = 'table' "
                                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
                                -1, &w->raw_stmt, NULL);
    size_t i;

    for (;;) {
        const char *name;
        bool is_known = false;

        if (rc == SQLITE_OK)
            rc = sqlite3_step(w->raw_stmt);
        if (rc != SQLITE_ROW)
            break;
        rc = SQLITE_OK;
        name = (const char *)sqlite3_column_text(w->raw_stmt, 0);
        for (i = 0; i < N_OF(tables); i++)
            is_known = is_known || strcmp(name, tables[i].table) == 0;
        for (i = 0; i < N_OF(tables_not_dumped); i++)
            is_known = is_known || strcmp(name, tables_not_dumped[i]) == 0;
        if (!is_known)
            fail_msg("table %s is not in the raw dump of tenant B (isolation_snapshot.c)", name);
    }
    sqlite3_finalize(w->raw_stmt);
    w->raw_stmt = NULL;
    if (rc != SQLITE_DONE)
        fail_msg("listing tables: sqlite %d: %s", rc, sqlite3_errmsg(w->raw_db));
}

/* Every column of every row of B in every table, read with SQL on a second connection. */
char *b_rows(struct world *w)
{
    struct buf *b = &w->scratch;
    char sql[160];
    size_t i;
    int rc = SQLITE_OK, col, n_rows;

    assert_every_table_dumped(w);
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

/* ---- comparing snapshots ------------------------------------------------------------------- */

/* Fails showing where `after` first differs from `before`. */
void assert_same_text(const char *what, const char *before, const char *after)
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
void assert_b_unchanged(struct world *w)
{
    char *view = b_view(w);
    char *rows = b_rows(w);

    assert_same_text("the repository view", w->b_view_before, view);
    assert_same_text("the rows", w->b_rows_before, rows);
}

/* ---- reading the store headers ------------------------------------------------------------- */

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

char *header_read_code(const char *path)
{
    char *text = NULL;
    FILE *f = fopen(path, "rb");
    long size = f != NULL && fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;

    if (size >= 0 && fseek(f, 0, SEEK_SET) == 0) {
        text = xcalloc((size_t)size + 1, 1);
        if (fread(text, 1, (size_t)size, f) != (size_t)size) {
            xfree(text);
            text = NULL;
        }
    }
    if (f != NULL)
        fclose(f);
    if (text != NULL)
        strip_comments(text);
    return text;
}

const char *header_next_function(const char *code, const char *from, char *name, size_t name_size)
{
    const char *p;

    for (p = strstr(from, "store_"); p != NULL; p = strstr(p + 1, "store_")) {
        size_t n = 0;
        const char *q;

        if (p > code && is_ident_char(p[-1]))
            continue;
        while (is_ident_char(p[n]) && n < name_size - 1) {
            name[n] = p[n];
            n++;
        }
        name[n] = '\0';
        for (q = p + n; *q == ' ' || *q == '\n' || *q == '\t'; q++)
            ;
        if (*q == '(')
            return p;
    }
    return NULL;
}
