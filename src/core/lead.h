/*
 * One imported row turned into a normalized lead: the composition of every normalizer (e-mail,
 * phone, names, domain, company name, address, sector) applied to the columns a field mapping
 * names. Pure: the importer (app/import.c) does the I/O and the identity work; this decides
 * what a row means and whether it is usable at all.
 *
 * A row is rejected (PR_INVALID, with a reason meant for the rejects file) when it has no
 * identity (no valid e-mail, no valid phone and no name), or when a present e-mail is not an
 * e-mail address. Other unusable values are dropped, not fatal: an invalid phone keeps its raw
 * text without an E.164 form, an unknown state stays as written, and so on.
 */
#ifndef PROSPECT_CORE_LEAD_H
#define PROSPECT_CORE_LEAD_H

#include "core/fields.h"
#include "core/geo.h"
#include "util/arena.h"
#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>
#include <stdint.h>

struct lead {
    /* contact */
    char *first_name;
    char *last_name;
    char *full_name;
    char *name_folded; /* matching form of the full name */
    char *email;       /* display form */
    char *email_norm;  /* matching key */
    bool email_is_role;
    bool email_is_free;
    char *phone; /* as written */
    char *phone_e164;
    char *phone_type;
    char *phone_region;
    char *time_zone; /* from the phone, else from the ZIP */
    char *title;
    char *linkedin_url;
    char *source;
    /* place, stored on both records */
    char *city;
    char *state;   /* USPS code for US addresses */
    char *zip;     /* ZIP5 for US addresses */
    char *country; /* ISO 3166-1 alpha-2 */
    char *county;
    /* company */
    char *company_name;   /* display form */
    char *company_folded; /* matching form */
    char *domain;
    char *website;
    char *company_phone;
    char *industry;
    char *sic;
    char *naics;
    char *sector;
    char *company_linkedin_url;
    bool has_employees;
    int64_t employees;
    bool has_revenue_usd;
    int64_t revenue_usd;
    char *custom_fields; /* JSON object of the custom columns, "{}" when none */
};

/* Normalizes one row. `fields` holds the row's values by column (n_fields may differ from the
 * mapping's column count: missing columns are empty, extra ones are ignored).
 * `default_region` is the tenant's phone region ("US"), used when the row has no country;
 * `zips` (may be NULL) fills time zone and county from a US ZIP. Strings live in `a`.
 * PR_INVALID with a reason when the row cannot be used. */
enum pr_code lead_from_row(const struct field_mapping *mapping, const struct str *fields,
                           size_t n_fields, const char *default_region,
                           const struct geo_index *zips, struct arena *a, struct lead *out,
                           struct pr_error *err);

/* Parses a count such as "1,200", "1200", "51-200" (the lower bound), "10k", "1.5M" into a
 * non-negative integer. False when it is not a count. */
bool lead_parse_count(const char *text, size_t len, int64_t *out);

#endif
