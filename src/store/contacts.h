/* Contacts (people) of a tenant. Natural key: normalized e-mail, unique per tenant. */
#ifndef PROSPECT_STORE_CONTACTS_H
#define PROSPECT_STORE_CONTACTS_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct contact {
    int64_t id;
    int64_t tenant_id;
    bool has_company;
    int64_t company_id;
    char *first_name;
    char *last_name;
    char *full_name;
    char *email;
    char *email_norm;
    char *phone;
    char *phone_e164;
    char *title;
    char *city;
    char *state;
    char *zip;
    char *country;
    char *linkedin_url;
    char *source;
    bool has_score;
    int64_t score; /* 0..100 */
    bool is_suppressed;
    char *phone_type;      /* libphonenumber type name, e.g. "mobile" */
    char *phone_region;    /* ISO 3166-1 alpha-2 of the number */
    char *time_zone;       /* IANA zone of the person (phone or ZIP), NULL when unknown */
    bool email_is_role;    /* info@, sales@, ... */
    bool email_is_free;    /* gmail.com, ... */
    char *name_folded;     /* matching form of the person's name */
    char *score_breakdown; /* JSON of the latest score's factors */
    char *provenance;      /* JSON object: field -> {source, at} */
    bool has_last_contacted;
    int64_t last_contacted_at;
    char *custom_fields; /* JSON object text */
    int64_t created_at;
    int64_t updated_at;
};

/* Inserts `in`. A company_id of another tenant is refused (PR_CONFLICT) by the database. */
enum pr_code store_contacts_create(struct store *st, const struct tenant_ctx *t,
                                   const struct contact *in, int64_t *out_id, struct pr_error *err);
enum pr_code store_contacts_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                struct arena *a, struct contact *out, struct pr_error *err);
enum pr_code store_contacts_find_by_email(struct store *st, const struct tenant_ctx *t,
                                          const char *email_norm, struct arena *a,
                                          struct contact *out, struct pr_error *err);
/* The oldest contact of the tenant with this E.164 number; PR_NOT_FOUND when none. */
enum pr_code store_contacts_find_by_phone(struct store *st, const struct tenant_ctx *t,
                                          const char *phone_e164, struct arena *a,
                                          struct contact *out, struct pr_error *err);
/* The oldest contact with this folded name at this company (has_company false: without a
 * company); PR_NOT_FOUND when none. */
enum pr_code store_contacts_find_by_name(struct store *st, const struct tenant_ctx *t,
                                         const char *name_folded, bool has_company,
                                         int64_t company_id, struct arena *a, struct contact *out,
                                         struct pr_error *err);
/* Contacts of the tenant whose ZIP is `zip`, by ascending id > after_id, at most `limit`;
 * with has_list, only members of that list. */
enum pr_code store_contacts_by_zip(struct store *st, const struct tenant_ctx *t, const char *zip,
                                   bool has_list, int64_t list_id, int64_t after_id, int limit,
                                   struct arena *a, struct contact **out, size_t *n_out,
                                   struct pr_error *err);
/* Keyset page by ascending id, as store_companies_list. */
enum pr_code store_contacts_list(struct store *st, const struct tenant_ctx *t, int64_t after_id,
                                 int limit, struct arena *a, struct contact **out, size_t *n_out,
                                 struct pr_error *err);
/* Partial update; updatable: company_id, first_name, last_name, full_name, email, email_norm,
 * phone, phone_e164, title, city, state, zip, country, linkedin_url, source, score,
 * is_suppressed, custom_fields, phone_type, phone_region, time_zone, email_is_role,
 * email_is_free, name_folded, score_breakdown, provenance, last_contacted_at. */
enum pr_code store_contacts_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                   const struct store_field *fields, size_t n_fields,
                                   struct pr_error *err);
enum pr_code store_contacts_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                   struct pr_error *err);
/* Number of contacts of the tenant. */
enum pr_code store_contacts_count(struct store *st, const struct tenant_ctx *t, int64_t *out,
                                  struct pr_error *err);

#endif
