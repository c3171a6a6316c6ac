/*
 * Writing one normalized lead: suppression, company identity, contact identity, survivorship
 * merge, list membership. Which struct member is which column is declared once, in the
 * column tables below; merging, inserting and provenance are driven by them.
 */
#include "app/import_int.h"

#include "core/match.h"
#include "core/merge.h"
#include "store/companies.h"
#include "store/contacts.h"
#include "store/lists.h"
#include "store/sources.h"
#include "store/suppressions.h"
#include "util/mem.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define DEFAULT_TRUST          50
#define MAX_COLUMNS            24
#define MAX_FUZZY_CANDIDATES   200
#define MAX_CACHED_PROVENANCES 8192

/* A text column shared by a stored record and struct lead. */
struct merged_column {
    const char *name;     /* column and provenance key */
    size_t record_offset; /* char * in struct contact or struct company */
    size_t lead_offset;   /* char * in struct lead */
};

#define CONTACT_COLUMN(column, lead_member)                                                        \
    {                                                                                              \
#column, offsetof(struct contact, column), offsetof(struct lead, lead_member)              \
    }
static const struct merged_column contact_columns[] = {
    CONTACT_COLUMN(first_name, first_name),
    CONTACT_COLUMN(last_name, last_name),
    CONTACT_COLUMN(full_name, full_name),
    CONTACT_COLUMN(email, email),
    CONTACT_COLUMN(phone, phone),
    CONTACT_COLUMN(phone_e164, phone_e164),
    CONTACT_COLUMN(phone_type, phone_type),
    CONTACT_COLUMN(phone_region, phone_region),
    CONTACT_COLUMN(time_zone, time_zone),
    CONTACT_COLUMN(title, title),
    CONTACT_COLUMN(city, city),
    CONTACT_COLUMN(state, state),
    CONTACT_COLUMN(zip, zip),
    CONTACT_COLUMN(country, country),
    CONTACT_COLUMN(linkedin_url, linkedin_url),
};

#define COMPANY_COLUMN(column, lead_member)                                                        \
    {                                                                                              \
#column, offsetof(struct company, column), offsetof(struct lead, lead_member)              \
    }
static const struct merged_column company_columns[] = {
    COMPANY_COLUMN(name, company_name), COMPANY_COLUMN(domain, domain),
    COMPANY_COLUMN(website, website),   COMPANY_COLUMN(phone, company_phone),
    COMPANY_COLUMN(industry, industry), COMPANY_COLUMN(sic, sic),
    COMPANY_COLUMN(naics, naics),       COMPANY_COLUMN(sector, sector),
    COMPANY_COLUMN(city, city),         COMPANY_COLUMN(state, state),
    COMPANY_COLUMN(zip, zip),           COMPANY_COLUMN(country, country),
    COMPANY_COLUMN(county, county),     COMPANY_COLUMN(linkedin_url, company_linkedin_url),
};

static char *member(const void *record, size_t offset)
{
    char *value;

    memcpy(&value, (const char *)record + offset, sizeof value);
    return value;
}

static struct str view(const char *s)
{
    struct str v = {s, s != NULL ? strlen(s) : 0};
    return v;
}

/* Trust of a source named in stored provenance: the tenant's configured rank, or the default
 * for a source it never configured. */
static int trust_of(struct import_run *r, const char *source)
{
    struct pr_error ignored;
    int trust = DEFAULT_TRUST;

    if (source == NULL)
        return 0;
    if (strcmp(source, r->source) == 0)
        return r->trust;
    if (r->trust_by_source != NULL) {
        int64_t cached;

        if (import__map_get(r->trust_by_source, source, strlen(source), &cached))
            return (int)cached;
    }
    if (store_sources_trust(r->app->st, r->t, source, &trust, &ignored) != PR_OK)
        trust = DEFAULT_TRUST;
    if (r->trust_by_source != NULL)
        import__map_put(r->trust_by_source, source, strlen(source), trust);
    return trust;
}

/* Merges `lead` into a stored record (`record` NULL for a new one) over `columns`, and turns
 * the survivors into store updates. Integer columns (employees, revenue) travel as text. */
struct merge_plan {
    size_t n_fields;
    struct store_field fields[MAX_COLUMNS + 4];
    struct merge_summary summary;
    char *provenance;
};

/* `provenance` is the stored provenance, parsed (NULL: none). */
static enum pr_code plan_merge(struct import_run *r, const struct merged_column *columns,
                               size_t n_columns, const void *record, const json_t *provenance,
                               const struct lead *lead, struct merge_plan *plan,
                               struct pr_error *err)
{
    const char *names[MAX_COLUMNS];
    struct merge_value existing[MAX_COLUMNS], incoming[MAX_COLUMNS], out[MAX_COLUMNS];
    enum merge_outcome outcomes[MAX_COLUMNS];
    struct buf json;
    size_t i;
    enum pr_code rc;

    buf_init(&json, 64 * 1024);
    for (i = 0; i < n_columns; i++) {
        struct pr_error ignored;

        names[i] = columns[i].name;
        memset(&existing[i], 0, sizeof existing[i]);
        if (record != NULL) {
            existing[i].value = view(member(record, columns[i].record_offset));
            /* A field without provenance is common (an empty column): skip the call, whose
             * "not found" error formats a message. */
            if (json_is_object(provenance) && json_object_get(provenance, names[i]) != NULL &&
                merge_provenance_get(provenance, names[i], &existing[i].provenance, &ignored) ==
                    PR_OK)
                existing[i].provenance.trust = trust_of(r, existing[i].provenance.source);
        }
        incoming[i].value = view(member(lead, columns[i].lead_offset));
        incoming[i].provenance.source = r->source;
        incoming[i].provenance.trust = r->trust;
        incoming[i].provenance.observed_at = r->started_at;
    }
    rc = merge_record(names, existing, incoming, n_columns, out, outcomes, &plan->summary, &json,
                      err);
    plan->n_fields = 0;
    for (i = 0; rc == PR_OK && i < n_columns; i++) {
        if (!merge_outcome_changes_value(outcomes[i]))
            continue;
        plan->fields[plan->n_fields].name = names[i];
        plan->fields[plan->n_fields].value =
            arena_strndup(r->row_arena, out[i].value.ptr, out[i].value.len);
        plan->n_fields++;
    }
    plan->provenance = arena_strndup(r->row_arena, buf_cstr(&json), json.len);
    buf_free(&json);
    return rc;
}

static void free_provenances(struct import_run *r)
{
    size_t i;

    for (i = 0; i < r->n_provenances; i++) {
        xfree(r->provenances[i].text);
        json_decref(r->provenances[i].parsed);
    }
    xfree(r->provenances);
    r->provenances = NULL;
    r->n_provenances = r->provenances_capacity = 0;
    import__map_free(r->provenance_ids);
    r->provenance_ids = NULL;
}

/* The parsed provenance of company `id` whose stored text is `text`: parsing it (jansson) was
 * the largest cost of merging a row into a known company, and most rows of a file meet a
 * company the file already named, unchanged since. Owned by the run. */
static const json_t *company_provenance(struct import_run *r, int64_t id, const char *text)
{
    struct import_provenance *p = NULL;
    int64_t index;

    if (text == NULL)
        return NULL;
    if (r->provenance_ids == NULL)
        r->provenance_ids = import__map_new();
    if (import__map_get(r->provenance_ids, (const char *)&id, sizeof id, &index)) {
        p = &r->provenances[index - 1];
        if (strcmp(p->text, text) == 0)
            return p->parsed;
        xfree(p->text);
        json_decref(p->parsed);
    } else {
        /* A bound on memory (a parsed provenance takes a few KiB): a big file names more
         * companies than are worth keeping, so the cache starts over when full. */
        if (r->n_provenances == MAX_CACHED_PROVENANCES) {
            free_provenances(r);
            r->provenance_ids = import__map_new();
        }
        if (r->n_provenances == r->provenances_capacity) {
            r->provenances_capacity =
                r->provenances_capacity > 0 ? 2 * r->provenances_capacity : 1024;
            r->provenances =
                xrealloc(r->provenances, r->provenances_capacity * sizeof *r->provenances);
        }
        p = &r->provenances[r->n_provenances++];
        import__map_put(r->provenance_ids, (const char *)&id, sizeof id, (int64_t)r->n_provenances);
    }
    p->text = xstrdup(text);
    p->parsed = json_loads(text, 0, NULL);
    return p->parsed;
}

/* ---- memory indexes ---- */

enum contact_key_kind { KEY_EMAIL = 'e', KEY_PHONE = 'p', KEY_NAME = 'n' };

/* Hash of one lookup key of a contact: its e-mail, its phone, or its folded name at a company
 * (`company_id`, used for KEY_NAME only). */
static uint64_t contact_key(enum contact_key_kind kind, const char *value, int64_t company_id)
{
    char key[512];
    int len = kind == KEY_NAME
                  ? snprintf(key, sizeof key, "%c%" PRId64 ":%s", kind, company_id, value)
                  : snprintf(key, sizeof key, "%c%s", kind, value);

    /* A longer key hashes its head and its length: a collision only costs a lookup. */
    if (len < 0)
        len = 0;
    return import__hash(key, (size_t)len < sizeof key ? (size_t)len : sizeof key - 1) ^
           (uint64_t)len;
}

/* Adds the keys of a contact stored (or about to be) with these values. */
static void add_contact_keys(struct import_run *r, const char *email_norm, const char *phone_e164,
                             const char *name_folded, bool has_company, int64_t company_id)
{
    if (r->contact_keys == NULL)
        return;
    if (email_norm != NULL)
        import__hash_set_add(r->contact_keys, contact_key(KEY_EMAIL, email_norm, 0));
    if (phone_e164 != NULL)
        import__hash_set_add(r->contact_keys, contact_key(KEY_PHONE, phone_e164, 0));
    if (name_folded != NULL && has_company)
        import__hash_set_add(r->contact_keys, contact_key(KEY_NAME, name_folded, company_id));
}

/* False only when no stored contact can have this key. */
static bool may_have_contact(struct import_run *r, enum contact_key_kind kind, const char *value,
                             int64_t company_id)
{
    return r->contact_keys == NULL ||
           import__hash_set_has(r->contact_keys, contact_key(kind, value, company_id));
}

static enum pr_code load_suppressions(struct import_run *r, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    int64_t after = 0;
    enum pr_code rc;

    r->suppressed = import__map_new();
    for (;;) {
        struct suppression *rows = NULL;
        size_t n = 0, i;

        rc = store_suppressions_list(r->app->st, r->t, NULL, after, 1000, a, &rows, &n, err);
        if (rc != PR_OK || n == 0)
            break;
        for (i = 0; i < n; i++) {
            char *key = arena_printf(a, "%s%c%s", rows[i].kind, '\0', rows[i].value);

            import__map_put(r->suppressed, key, strlen(rows[i].kind) + 1 + strlen(rows[i].value),
                            1);
            after = rows[i].id;
        }
        arena_reset(a);
    }
    arena_free(a);
    return rc;
}

static enum pr_code load_contact_keys(struct import_run *r, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    int64_t after = 0;
    enum pr_code rc;

    r->contact_keys = import__hash_set_new();
    for (;;) {
        struct contact *rows = NULL;
        size_t n = 0, i;

        rc = store_contacts_list(r->app->st, r->t, after, 1000, a, &rows, &n, err);
        if (rc != PR_OK || n == 0)
            break;
        for (i = 0; i < n; i++) {
            add_contact_keys(r, rows[i].email_norm, rows[i].phone_e164, rows[i].name_folded,
                             rows[i].has_company, rows[i].company_id);
            after = rows[i].id;
        }
        arena_reset(a);
    }
    arena_free(a);
    return rc;
}

static enum pr_code load_names(struct import_run *r, struct pr_error *err)
{
    struct arena *a = arena_new(0);
    int64_t after = 0;
    enum pr_code rc;

    import__names_free(r->names);
    r->names = import__names_new();
    r->are_names_stale = false;
    for (;;) {
        struct company *rows = NULL;
        size_t n = 0, i;

        rc = store_companies_list(r->app->st, r->t, after, 1000, a, &rows, &n, err);
        if (rc != PR_OK || n == 0)
            break;
        for (i = 0; i < n; i++) {
            import__names_add(r->names, rows[i].name_folded, rows[i].id, rows[i].city);
            after = rows[i].id;
        }
        arena_reset(a);
    }
    arena_free(a);
    if (rc != PR_OK) {
        import__names_free(r->names);
        r->names = NULL;
    }
    return rc;
}

enum pr_code import__indexes_open(struct import_run *r, bool preload, struct pr_error *err)
{
    enum pr_code rc = PR_OK;

    r->provenance_ids = import__map_new();
    r->trust_by_source = import__map_new();
    if (preload)
        rc = load_suppressions(r, err);
    if (preload && rc == PR_OK)
        rc = load_contact_keys(r, err);
    if (preload && rc == PR_OK)
        rc = load_names(r, err);
    return rc;
}

void import__indexes_close(struct import_run *r)
{
    free_provenances(r);
    import__map_free(r->suppressed);
    import__hash_set_free(r->contact_keys);
    import__names_free(r->names);
    import__map_free(r->trust_by_source);
    r->suppressed = NULL;
    r->contact_keys = NULL;
    r->names = NULL;
    r->trust_by_source = NULL;
}

void import__indexes_row_begin(struct import_run *r)
{
    r->has_row_changed_companies = false;
}

/* The provenance cache checks the stored text on every use and contact keys only ever err
 * towards a lookup, so only the names can be wrong after a rollback: they are reloaded. */
void import__indexes_row_rolled_back(struct import_run *r)
{
    if (r->has_row_changed_companies && r->names != NULL)
        r->are_names_stale = true;
    r->has_row_changed_companies = false;
}

static bool is_suppressed(struct import_run *r, const struct lead *lead, struct pr_error *err,
                          enum pr_code *rc)
{
    const char *kinds[] = {"email", "phone", "domain", "domain"};
    const char *email_domain = lead->email_norm ? strchr(lead->email_norm, '@') : NULL;
    const char *values[] = {lead->email_norm, lead->phone_e164, lead->domain,
                            email_domain ? email_domain + 1 : NULL};
    size_t i;

    for (i = 0; i < 4; i++) {
        bool hit = false;

        if (values[i] == NULL)
            continue;
        if (r->suppressed != NULL) {
            char key[1024];
            int len = snprintf(key, sizeof key, "%s%c%s", kinds[i], '\0', values[i]);
            int64_t ignored;

            if (len > 0 && (size_t)len < sizeof key) {
                if (import__map_get(r->suppressed, key, (size_t)len, &ignored))
                    return true;
                continue;
            }
        }
        *rc = store_suppressions_check(r->app->st, r->t, kinds[i], values[i], &hit, err);
        if (*rc != PR_OK || hit)
            return hit;
    }
    return false;
}

/* Finds the lead's company: by domain, else the same folded name (in the same city when both
 * are known), else the most similar name of its block above the threshold. A company found by
 * domain is read whole into *existing (*has_existing). */
static enum pr_code find_company(struct import_run *r, const struct lead *lead, bool *found,
                                 int64_t *id, struct company *existing, bool *has_existing,
                                 struct pr_error *err)
{
    struct company_candidate *candidates = NULL;
    size_t n = 0, i;
    char prefix[16];
    double threshold =
        r->opt->fuzzy_threshold > 0 ? r->opt->fuzzy_threshold : MATCH_DEFAULT_COMPANY_THRESHOLD;
    double best = 0.0;
    enum pr_code rc;

    *found = false;
    if (lead->domain != NULL) {
        rc = store_companies_find_by_domain(r->app->st, r->t, lead->domain, r->row_arena, existing,
                                            err);
        if (rc == PR_OK) {
            *found = true;
            *has_existing = true;
            *id = existing->id;
        }
        if (rc != PR_NOT_FOUND)
            return rc;
    }
    if (lead->company_folded == NULL)
        return PR_OK;
    /* Blocking: only names sharing the first three characters are compared (an index range
     * scan), so the cost per row stays constant as the tenant grows. */
    (void)snprintf(prefix, sizeof prefix, "%.3s", lead->company_folded);
    if (r->names != NULL && r->are_names_stale)
        rc = load_names(r, err);
    else
        rc = PR_OK;
    if (rc == PR_OK && r->names != NULL)
        n = import__names_candidates(r->names, prefix, MAX_FUZZY_CANDIDATES, r->row_arena,
                                     &candidates);
    else if (rc == PR_OK)
        rc = store_companies_candidates(r->app->st, r->t, prefix, MAX_FUZZY_CANDIDATES,
                                        r->row_arena, &candidates, &n, err);
    for (i = 0; rc == PR_OK && i < n; i++) {
        const struct company_candidate *c = &candidates[i];
        bool same_city = lead->city == NULL || c->city == NULL || strcmp(lead->city, c->city) == 0;
        double similarity;

        if (!same_city)
            continue;
        if (strcmp(c->name_folded, lead->company_folded) == 0) {
            *found = true;
            *id = c->id;
            return PR_OK;
        }
        similarity = match_company_similarity(c->name_folded, lead->company_folded);
        if (similarity >= threshold && similarity > best) {
            best = similarity;
            *found = true;
            *id = c->id;
        }
    }
    return rc;
}

static enum pr_code write_company(struct import_run *r, const struct lead *lead, bool *has_company,
                                  int64_t *company_id, struct pr_error *err)
{
    struct company existing, fresh;
    struct merge_plan plan = {0};
    bool found = false, has_existing = false;
    size_t i;
    enum pr_code rc;

    *has_company = false;
    if (lead->company_name == NULL && lead->domain == NULL)
        return PR_OK;
    rc = find_company(r, lead, &found, company_id, &existing, &has_existing, err);
    if (rc != PR_OK)
        return rc;
    if (found) {
        if (!has_existing)
            rc = store_companies_get(r->app->st, r->t, *company_id, r->row_arena, &existing, err);
        if (rc == PR_OK)
            rc = plan_merge(r, company_columns, sizeof company_columns / sizeof company_columns[0],
                            &existing, company_provenance(r, existing.id, existing.provenance),
                            lead, &plan, err);
        if (rc == PR_OK && plan.summary.n_changed + plan.summary.n_confirmed > 0) {
            r->has_row_changed_companies = true;
            for (i = 0; r->names != NULL && i < plan.n_fields; i++)
                if (strcmp(plan.fields[i].name, "city") == 0)
                    import__names_set_city(r->names, *company_id, plan.fields[i].value);
            plan.fields[plan.n_fields].name = "provenance";
            plan.fields[plan.n_fields++].value = plan.provenance;
            rc = store_companies_update(r->app->st, r->t, *company_id, plan.fields, plan.n_fields,
                                        err);
        }
        *has_company = rc == PR_OK;
        return rc;
    }
    rc = plan_merge(r, company_columns, sizeof company_columns / sizeof company_columns[0], NULL,
                    NULL, lead, &plan, err);
    if (rc != PR_OK)
        return rc;
    memset(&fresh, 0, sizeof fresh);
    fresh.name = lead->company_name != NULL ? lead->company_name : lead->domain;
    fresh.name_folded = lead->company_folded != NULL ? lead->company_folded : lead->domain;
    fresh.domain = lead->domain;
    fresh.website = lead->website;
    fresh.phone = lead->company_phone;
    fresh.industry = lead->industry;
    fresh.sic = lead->sic;
    fresh.naics = lead->naics;
    fresh.sector = lead->sector;
    fresh.has_employees = lead->has_employees;
    fresh.employees = lead->employees;
    fresh.has_revenue_usd = lead->has_revenue_usd;
    fresh.revenue_usd = lead->revenue_usd;
    fresh.city = lead->city;
    fresh.state = lead->state;
    fresh.zip = lead->zip;
    fresh.country = lead->country;
    fresh.county = lead->county;
    fresh.linkedin_url = lead->company_linkedin_url;
    fresh.provenance = plan.provenance;
    rc = store_companies_create(r->app->st, r->t, &fresh, company_id, err);
    if (rc == PR_OK && r->names != NULL) {
        r->has_row_changed_companies = true;
        import__names_add(r->names, fresh.name_folded, *company_id, fresh.city);
    }
    *has_company = rc == PR_OK;
    return rc;
}

/* The stored contact this lead is, by e-mail, then phone, then name at the company. */
static enum pr_code find_contact(struct import_run *r, const struct lead *lead, bool has_company,
                                 int64_t company_id, struct contact *out, bool *found,
                                 struct pr_error *err)
{
    enum pr_code rc = PR_NOT_FOUND;

    if (lead->email_norm != NULL && may_have_contact(r, KEY_EMAIL, lead->email_norm, 0))
        rc = store_contacts_find_by_email(r->app->st, r->t, lead->email_norm, r->row_arena, out,
                                          err);
    if (rc == PR_NOT_FOUND && lead->phone_e164 != NULL &&
        may_have_contact(r, KEY_PHONE, lead->phone_e164, 0))
        rc = store_contacts_find_by_phone(r->app->st, r->t, lead->phone_e164, r->row_arena, out,
                                          err);
    if (rc == PR_NOT_FOUND && lead->name_folded != NULL && has_company &&
        may_have_contact(r, KEY_NAME, lead->name_folded, company_id))
        rc = store_contacts_find_by_name(r->app->st, r->t, lead->name_folded, true, company_id,
                                         r->row_arena, out, err);
    /* A contact found by phone or name that already has another e-mail is another person
     * sharing a switchboard or a name: keep them apart. */
    if (rc == PR_OK && lead->email_norm != NULL && out->email_norm != NULL &&
        strcmp(lead->email_norm, out->email_norm) != 0)
        rc = PR_NOT_FOUND;
    *found = rc == PR_OK;
    return rc == PR_NOT_FOUND ? PR_OK : rc;
}

static enum pr_code insert_contact(struct import_run *r, const struct lead *lead, bool has_company,
                                   int64_t company_id, bool suppressed, int64_t *id,
                                   struct pr_error *err)
{
    struct contact c;
    struct merge_plan plan = {0};
    enum pr_code rc =
        plan_merge(r, contact_columns, sizeof contact_columns / sizeof contact_columns[0], NULL,
                   NULL, lead, &plan, err);

    if (rc != PR_OK)
        return rc;
    memset(&c, 0, sizeof c);
    c.has_company = has_company;
    c.company_id = company_id;
    c.first_name = lead->first_name;
    c.last_name = lead->last_name;
    c.full_name = lead->full_name;
    c.name_folded = lead->name_folded;
    c.email = lead->email;
    c.email_norm = lead->email_norm;
    c.email_is_role = lead->email_is_role;
    c.email_is_free = lead->email_is_free;
    c.phone = lead->phone;
    c.phone_e164 = lead->phone_e164;
    c.phone_type = lead->phone_type;
    c.phone_region = lead->phone_region;
    c.time_zone = lead->time_zone;
    c.title = lead->title;
    c.city = lead->city;
    c.state = lead->state;
    c.zip = lead->zip;
    c.country = lead->country;
    c.linkedin_url = lead->linkedin_url;
    c.source = lead->source != NULL ? lead->source : (char *)r->source;
    c.is_suppressed = suppressed;
    c.custom_fields = lead->custom_fields;
    c.provenance = plan.provenance;
    return store_contacts_create(r->app->st, r->t, &c, id, err);
}

static enum pr_code merge_contact(struct import_run *r, const struct lead *lead,
                                  const struct contact *existing, bool has_company,
                                  int64_t company_id, bool suppressed, bool *changed,
                                  struct pr_error *err)
{
    struct merge_plan plan = {0};
    char company_text[24];
    size_t i;
    json_t *provenance =
        existing->provenance != NULL ? json_loads(existing->provenance, 0, NULL) : NULL;
    enum pr_code rc =
        plan_merge(r, contact_columns, sizeof contact_columns / sizeof contact_columns[0], existing,
                   provenance, lead, &plan, err);

    json_decref(provenance);
    if (rc != PR_OK)
        return rc;
    *changed = plan.summary.n_changed > 0;
    /* Derived columns follow their source column. */
    for (i = 0; i < plan.n_fields && plan.n_fields < MAX_COLUMNS; i++) {
        if (strcmp(plan.fields[i].name, "email") == 0) {
            plan.fields[plan.n_fields].name = "email_norm";
            plan.fields[plan.n_fields++].value = lead->email_norm;
        } else if (strcmp(plan.fields[i].name, "full_name") == 0) {
            plan.fields[plan.n_fields].name = "name_folded";
            plan.fields[plan.n_fields++].value = lead->name_folded;
        }
    }
    if (has_company && !existing->has_company) {
        (void)snprintf(company_text, sizeof company_text, "%" PRId64, company_id);
        plan.fields[plan.n_fields].name = "company_id";
        plan.fields[plan.n_fields++].value = company_text;
        *changed = true;
    }
    if (suppressed && !existing->is_suppressed) {
        plan.fields[plan.n_fields].name = "is_suppressed";
        plan.fields[plan.n_fields++].value = "1";
    }
    if (plan.n_fields == 0 && !plan.summary.provenance_changed)
        return PR_OK;
    plan.fields[plan.n_fields].name = "provenance";
    plan.fields[plan.n_fields++].value = plan.provenance;
    return store_contacts_update(r->app->st, r->t, existing->id, plan.fields, plan.n_fields, err);
}

enum pr_code import__write_lead(struct import_run *r, const struct lead *lead,
                                enum import_outcome *outcome, int64_t *contact_id,
                                struct pr_error *err)
{
    struct contact existing = {0};
    bool has_company = false, found = false, changed = false, suppressed;
    int64_t company_id = 0;
    enum pr_code rc = PR_OK;

    suppressed = is_suppressed(r, lead, err, &rc);
    if (rc == PR_OK)
        rc = write_company(r, lead, &has_company, &company_id, err);
    if (rc == PR_OK)
        rc = find_contact(r, lead, has_company, company_id, &existing, &found, err);
    if (rc == PR_OK && !found) {
        rc = insert_contact(r, lead, has_company, company_id, suppressed, contact_id, err);
        *outcome = IMPORT_ACCEPTED;
        /* The contact keys skipped a lookup, but another session stored this e-mail since
         * they were loaded: look again, as without them. */
        if (rc == PR_CONFLICT && r->contact_keys != NULL) {
            struct import_hash_set *keys = r->contact_keys;

            r->contact_keys = NULL;
            rc = find_contact(r, lead, has_company, company_id, &existing, &found, err);
            r->contact_keys = keys;
            if (rc == PR_OK && !found) {
                rc = insert_contact(r, lead, has_company, company_id, suppressed, contact_id, err);
                *outcome = IMPORT_ACCEPTED;
            }
        }
        if (rc == PR_OK && !found)
            add_contact_keys(r, lead->email_norm, lead->phone_e164, lead->name_folded, has_company,
                             company_id);
    }
    if (rc == PR_OK && found) {
        *contact_id = existing.id;
        rc = merge_contact(r, lead, &existing, has_company, company_id, suppressed, &changed, err);
        *outcome = changed ? IMPORT_MERGED : IMPORT_DUPLICATE;
        /* The stored values are now the existing ones or the lead's: both are keys. */
        if (rc == PR_OK) {
            bool is_linked = existing.has_company || has_company;
            int64_t linked = existing.has_company ? existing.company_id : company_id;

            add_contact_keys(r, lead->email_norm, lead->phone_e164, lead->name_folded, is_linked,
                             linked);
            add_contact_keys(r, existing.email_norm, existing.phone_e164, existing.name_folded,
                             is_linked, linked);
        }
    }
    if (rc == PR_OK && suppressed)
        *outcome = IMPORT_SUPPRESSED;
    if (rc == PR_OK && r->has_list)
        rc = store_lists_add_member(r->app->st, r->t, r->list_id, *contact_id, err);
    return rc;
}
