/* Companies (accounts) of a tenant. Natural key: normalized domain, unique per tenant. */
#ifndef PROSPECT_STORE_COMPANIES_H
#define PROSPECT_STORE_COMPANIES_H

#include "store/store.h"
#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

struct company {
    int64_t id;
    int64_t tenant_id;
    char *name;        /* display form */
    char *name_folded; /* matching form (lower case, no punctuation or legal suffix) */
    char *domain;      /* normalized domain, NULL when unknown */
    char *website;
    char *phone;
    char *industry;
    char *sic;
    char *naics;
    bool has_employees;
    int64_t employees;
    bool has_revenue_usd;
    int64_t revenue_usd;
    char *city;
    char *state;
    char *zip;
    char *country;
    char *linkedin_url;
    char *sector; /* sector bucket from SIC/NAICS (core/sector.h), NULL when unknown */
    char *county;
    char *provenance;    /* JSON object: field -> {source, at} */
    char *custom_fields; /* JSON object text, "{}" when none */
    int64_t created_at;
    int64_t updated_at;
};

/* Inserts `in` (id, tenant_id and times are ignored; NULL custom_fields means "{}"). */
enum pr_code store_companies_create(struct store *st, const struct tenant_ctx *t,
                                    const struct company *in, int64_t *out_id,
                                    struct pr_error *err);
enum pr_code store_companies_get(struct store *st, const struct tenant_ctx *t, int64_t id,
                                 struct arena *a, struct company *out, struct pr_error *err);
/* PR_NOT_FOUND when no company of the tenant has that domain. */
enum pr_code store_companies_find_by_domain(struct store *st, const struct tenant_ctx *t,
                                            const char *domain, struct arena *a,
                                            struct company *out, struct pr_error *err);
/* A company that fuzzy matching may compare with. */
struct company_candidate {
    int64_t id;
    char *name_folded;
    char *city;
    char *state;
};

/* Companies whose folded name starts with `name_prefix` (the blocking key of fuzzy matching),
 * at most `limit` (1..1000), in `a`. */
enum pr_code store_companies_candidates(struct store *st, const struct tenant_ctx *t,
                                        const char *name_prefix, int limit, struct arena *a,
                                        struct company_candidate **out, size_t *n_out,
                                        struct pr_error *err);

/* Companies of the tenant whose ZIP is `zip`, by ascending id > after_id, at most `limit`. */
enum pr_code store_companies_by_zip(struct store *st, const struct tenant_ctx *t, const char *zip,
                                    int64_t after_id, int limit, struct arena *a,
                                    struct company **out, size_t *n_out, struct pr_error *err);

/* One group of store_companies_sector_counts. */
struct sector_count {
    char *sector; /* NULL: unknown sector */
    char *place;  /* the state, county or city; NULL when unknown */
    int64_t n_companies;
};

/* Companies per sector bucket and place, `by` one of "state", "county", "city" (anything else
 * is PR_INVALID), ordered by sector then count descending. */
enum pr_code store_companies_sector_counts(struct store *st, const struct tenant_ctx *t,
                                           const char *by, struct arena *a,
                                           struct sector_count **out, size_t *n_out,
                                           struct pr_error *err);

/* Keyset page: ids greater than `after_id`, ascending, at most `limit` (1..1000; 0 = 50). */
enum pr_code store_companies_list(struct store *st, const struct tenant_ctx *t, int64_t after_id,
                                  int limit, struct arena *a, struct company **out, size_t *n_out,
                                  struct pr_error *err);
/* Partial update; updatable: name, name_folded, domain, website, phone, industry, sic, naics,
 * employees, revenue_usd, city, state, zip, country, linkedin_url, custom_fields, sector,
 * county, provenance. */
enum pr_code store_companies_update(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    const struct store_field *fields, size_t n_fields,
                                    struct pr_error *err);
/* Deletes the company; its contacts stay and lose the link (in one transaction, or inside the
 * caller's when one is open). PR_NOT_FOUND when the company is not the tenant's. */
enum pr_code store_companies_delete(struct store *st, const struct tenant_ctx *t, int64_t id,
                                    struct pr_error *err);

#endif
