/*
 * Contacts repository. Every statement filters on tenant_id; a contact of another tenant is
 * "contact not found", exactly like a missing one. The link to a company goes through the
 * composite key (tenant_id, company_id), so the database refuses another tenant's company.
 */
#include "store/contacts.h"

#include "store/store_int.h"

#define CONTACT_COLUMNS                                                                            \
    "id, tenant_id, company_id, first_name, last_name, full_name, email, email_norm, phone, "      \
    "phone_e164, title, city, state, zip, country, linkedin_url, source, score, "                  \
    "is_suppressed, custom_fields, created_at, updated_at, phone_type, phone_region, time_zone, "  \
    "email_is_role, email_is_free, name_folded, score_breakdown, provenance, last_contacted_at"

static const char SQL_INSERT[] =
    "INSERT INTO contacts (tenant_id, company_id, first_name, last_name, full_name, email, "
    "email_norm, phone, phone_e164, title, city, state, zip, country, linkedin_url, source, "
    "score, is_suppressed, custom_fields, created_at, updated_at, phone_type, phone_region, "
    "time_zone, email_is_role, email_is_free, name_folded, score_breakdown, provenance, "
    "last_contacted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
    "?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
static const char SQL_GET[] =
    "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? AND id = ?";
static const char SQL_BY_EMAIL[] =
    "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? AND email_norm = ?";
static const char SQL_BY_PHONE[] = "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? "
                                   "AND phone_e164 = ? ORDER BY id LIMIT 1";
static const char SQL_BY_NAME_AT[] = "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? "
                                     "AND name_folded = ? AND company_id = ? ORDER BY id LIMIT 1";
static const char SQL_BY_NAME_ALONE[] =
    "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? AND name_folded = ? "
    "AND company_id IS NULL ORDER BY id LIMIT 1";
static const char SQL_BY_ZIP[] = "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? "
                                 "AND zip = ? AND id > ? ORDER BY id LIMIT ?";
static const char SQL_BY_ZIP_IN_LIST[] =
    "SELECT " CONTACT_COLUMNS " FROM contacts WHERE tenant_id = ? AND zip = ? AND id > ? "
    "AND EXISTS (SELECT 1 FROM list_members m WHERE m.tenant_id = contacts.tenant_id "
    "AND m.list_id = ? AND m.contact_id = contacts.id) ORDER BY id LIMIT ?";
static const char SQL_LIST[] = "SELECT " CONTACT_COLUMNS " FROM contacts "
                               "WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?";
static const char SQL_DELETE[] = "DELETE FROM contacts WHERE tenant_id = ? AND id = ?";
static const char SQL_COUNT[] = "SELECT count(*) FROM contacts WHERE tenant_id = ?";

static const struct store_column updatable[] = {
    {"company_id", STORE_PARAM_INT, true},
    {"first_name", STORE_PARAM_TEXT, true},
    {"last_name", STORE_PARAM_TEXT, true},
    {"full_name", STORE_PARAM_TEXT, true},
    {"email", STORE_PARAM_TEXT, true},
    {"email_norm", STORE_PARAM_TEXT, true},
    {"phone", STORE_PARAM_TEXT, true},
    {"phone_e164", STORE_PARAM_TEXT, true},
    {"title", STORE_PARAM_TEXT, true},
    {"city", STORE_PARAM_TEXT, true},
    {"state", STORE_PARAM_TEXT, true},
    {"zip", STORE_PARAM_TEXT, true},
    {"country", STORE_PARAM_TEXT, true},
    {"linkedin_url", STORE_PARAM_TEXT, true},
    {"source", STORE_PARAM_TEXT, true},
    {"score", STORE_PARAM_INT, true},
    {"is_suppressed", STORE_PARAM_INT, false},
    {"custom_fields", STORE_PARAM_TEXT, false},
    {"phone_type", STORE_PARAM_TEXT, true},
    {"phone_region", STORE_PARAM_TEXT, true},
    {"time_zone", STORE_PARAM_TEXT, true},
    {"email_is_role", STORE_PARAM_INT, false},
    {"email_is_free", STORE_PARAM_INT, false},
    {"name_folded", STORE_PARAM_TEXT, true},
    {"score_breakdown", STORE_PARAM_TEXT, true},
    {"provenance", STORE_PARAM_TEXT, false},
    {"last_contacted_at", STORE_PARAM_INT, true},
};

static void read_row(sqlite3_stmt *stmt, struct arena *a, void *row)
{
    struct contact *out = row;

    out->id = store__col_int(stmt, 0);
    out->tenant_id = store__col_int(stmt, 1);
    out->has_company = !store__col_is_null(stmt, 2);
    out->company_id = out->has_company ? store__col_int(stmt, 2) : 0;
    out->first_name = store__col_text(stmt, 3, a);
    out->last_name = store__col_text(stmt, 4, a);
    out->full_name = store__col_text(stmt, 5, a);
    out->email = store__col_text(stmt, 6, a);
    out->email_norm = store__col_text(stmt, 7, a);
    out->phone = store__col_text(stmt, 8, a);
    out->phone_e164 = store__col_text(stmt, 9, a);
    out->title = store__col_text(stmt, 10, a);
    out->city = store__col_text(stmt, 11, a);
    out->state = store__col_text(stmt, 12, a);
    out->zip = store__col_text(stmt, 13, a);
    out->country = store__col_text(stmt, 14, a);
    out->linkedin_url = store__col_text(stmt, 15, a);
    out->source = store__col_text(stmt, 16, a);
    out->has_score = !store__col_is_null(stmt, 17);
    out->score = out->has_score ? store__col_int(stmt, 17) : 0;
    out->is_suppressed = store__col_int(stmt, 18) != 0;
    out->custom_fields = store__col_text(stmt, 19, a);
    out->created_at = store__col_int(stmt, 20);
    out->updated_at = store__col_int(stmt, 21);
    out->phone_type = store__col_text(stmt, 22, a);
    out->phone_region = store__col_text(stmt, 23, a);
    out->time_zone = store__col_text(stmt, 24, a);
    out->email_is_role = store__col_int(stmt, 25) != 0;
    out->email_is_free = store__col_int(stmt, 26) != 0;
    out->name_folded = store__col_text(stmt, 27, a);
    out->score_breakdown = store__col_text(stmt, 28, a);
    out->provenance = store__col_text(stmt, 29, a);
    out->has_last_contacted = !store__col_is_null(stmt, 30);
    out->last_contacted_at = out->has_last_contacted ? store__col_int(stmt, 30) : 0;
}

enum pr_code store_contacts_create(struct store *st, const struct tenant_ctx *t,
                                   const struct contact *in, int64_t *out_id, struct pr_error *err)
{
    int64_t now = store_now_ms(st);

    return store__query_int(
        st, SQL_INSERT,
        STORE_PARAMS(STORE_INT(t->tenant_id), STORE_OPT_INT(in->has_company, in->company_id),
                     STORE_TEXT(in->first_name), STORE_TEXT(in->last_name),
                     STORE_TEXT(in->full_name), STORE_TEXT(in->email), STORE_TEXT(in->email_norm),
                     STORE_TEXT(in->phone), STORE_TEXT(in->phone_e164), STORE_TEXT(in->title),
                     STORE_TEXT(in->city), STORE_TEXT(in->state), STORE_TEXT(in->zip),
                     STORE_TEXT(in->country), STORE_TEXT(in->linkedin_url), STORE_TEXT(in->source),
                     STORE_OPT_INT(in->has_score, in->score), STORE_INT(in->is_suppressed ? 1 : 0),
                     STORE_TEXT(in->custom_fields ? in->custom_fields : "{}"), STORE_INT(now),
                     STORE_INT(now), STORE_TEXT(in->phone_type), STORE_TEXT(in->phone_region),
                     STORE_TEXT(in->time_zone), STORE_INT(in->email_is_role ? 1 : 0),
                     STORE_INT(in->email_is_free ? 1 : 0), STORE_TEXT(in->name_folded),
                     STORE_TEXT(in->score_breakdown),
                     STORE_TEXT(in->provenance ? in->provenance : "{}"),
                     STORE_OPT_INT(in->has_last_contacted, in->last_contacted_at)),
        out_id, err);
}

enum pr_code store_contacts_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct arena *a, struct contact *out, struct pr_error *err)
{
    return store__get(st, SQL_GET, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), read_row,
                      a, out, "contact not found", err);
}

enum pr_code store_contacts_find_by_email(struct store *st, const struct tenant_ctx *t,
                                          const char *email_norm, struct arena *a,
                                          struct contact *out, struct pr_error *err)
{
    return store__get(st, SQL_BY_EMAIL,
                      STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(email_norm)), read_row, a,
                      out, "contact not found", err);
}

enum pr_code store_contacts_find_by_phone(struct store *st, const struct tenant_ctx *t,
                                          const char *phone_e164, struct arena *a,
                                          struct contact *out, struct pr_error *err)
{
    return store__get(st, SQL_BY_PHONE,
                      STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(phone_e164)), read_row, a,
                      out, "contact not found", err);
}

enum pr_code store_contacts_find_by_name(struct store *st, const struct tenant_ctx *t,
                                         const char *name_folded, bool has_company,
                                         int64_t company_id, struct arena *a, struct contact *out,
                                         struct pr_error *err)
{
    if (has_company)
        return store__get(
            st, SQL_BY_NAME_AT,
            STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name_folded), STORE_INT(company_id)),
            read_row, a, out, "contact not found", err);
    return store__get(st, SQL_BY_NAME_ALONE,
                      STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(name_folded)), read_row, a,
                      out, "contact not found", err);
}

enum pr_code store_contacts_by_zip(struct store *st, const struct tenant_ctx *t, const char *zip,
                                   bool has_list, int64_t list_id, int64_t after_id, int limit,
                                   struct arena *a, struct contact **out, size_t *n_out,
                                   struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc;

    if (has_list)
        rc = store__list(st, SQL_BY_ZIP_IN_LIST,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(zip), STORE_INT(after_id),
                                      STORE_INT(list_id), STORE_INT(store__clamp_limit(limit))),
                         read_row, sizeof **out, a, &rows, n_out, err);
    else
        rc = store__list(st, SQL_BY_ZIP,
                         STORE_PARAMS(STORE_INT(t->tenant_id), STORE_TEXT(zip), STORE_INT(after_id),
                                      STORE_INT(store__clamp_limit(limit))),
                         read_row, sizeof **out, a, &rows, n_out, err);
    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_contacts_list(struct store *st, const struct tenant_ctx *t, int64_t after_id,
                                 int limit, struct arena *a, struct contact **out, size_t *n_out,
                                 struct pr_error *err)
{
    void *rows = NULL;
    enum pr_code rc = store__list(st, SQL_LIST,
                                  STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(after_id),
                                               STORE_INT(store__clamp_limit(limit))),
                                  read_row, sizeof **out, a, &rows, n_out, err);

    if (rc == PR_OK)
        *out = rows;
    return rc;
}

enum pr_code store_contacts_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                   const struct store_field *fields, size_t n_fields,
                                   struct pr_error *err)
{
    enum pr_code rc =
        store__update(st, t, "contacts", updatable, sizeof updatable / sizeof updatable[0], true,
                      id, fields, n_fields, err);

    if (rc == PR_NOT_FOUND)
        pr_error_set(err, PR_NOT_FOUND, "contact not found");
    return rc;
}

enum pr_code store_contacts_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                   struct pr_error *err)
{
    int64_t n_changed = 0;
    enum pr_code rc = store__exec_changes(
        st, SQL_DELETE, STORE_PARAMS(STORE_INT(t->tenant_id), STORE_INT(id)), &n_changed, err);

    if (rc == PR_OK && n_changed == 0)
        rc = pr_error_set(err, PR_NOT_FOUND, "contact not found");
    return rc;
}

enum pr_code store_contacts_count(struct store *st, const struct tenant_ctx *t, int64_t *out,
                                  struct pr_error *err)
{
    return store__query_int(st, SQL_COUNT, STORE_PARAMS(STORE_INT(t->tenant_id)), out, err);
}
