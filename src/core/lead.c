/*
 * Row -> normalized lead. Each normalizer is called through a small adapter below, so the
 * composition rules (what is fatal, what is dropped, what derives from what) read top-down in
 * lead_from_row().
 */
#include "core/lead.h"

#include "core/address.h"
#include "core/company.h"
#include "core/domain.h"
#include "core/email.h"
#include "core/person.h"
#include "core/phone.h"
#include "core/sector.h"
#include "util/json.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The trimmed value of `field` in this row, or an empty view. */
static struct str value_of(const struct field_mapping *m, const struct str *fields, size_t n,
                           enum lead_field field)
{
    int col = m->column_of[field];
    struct str empty = {"", 0};

    if (col < 0 || (size_t)col >= n)
        return empty;
    return str_trim(fields[col]);
}

static char *copy_or_null(struct arena *a, struct str v)
{
    return v.len > 0 ? arena_strndup(a, v.ptr, v.len) : NULL;
}

bool lead_parse_count(const char *text, size_t len, int64_t *out)
{
    char digits[32];
    size_t i, n = 0;
    double value, scale = 1.0;
    char *end = NULL;

    while (len > 0 && isspace((unsigned char)text[len - 1]))
        len--;
    for (i = 0; i < len && n < sizeof digits - 1; i++) {
        char c = text[i];
        if (isdigit((unsigned char)c) || c == '.')
            digits[n++] = c;
        else if (c == ',' || c == ' ' || c == '$' || c == '+')
            continue;
        else if (c == '-' && n > 0)
            break; /* "51-200": the lower bound */
        else if ((c == 'k' || c == 'K') && i == len - 1)
            scale = 1e3;
        else if ((c == 'm' || c == 'M') && i == len - 1)
            scale = 1e6;
        else if ((c == 'b' || c == 'B') && i == len - 1)
            scale = 1e9;
        else
            return false;
    }
    digits[n] = '\0';
    if (n == 0)
        return false;
    value = strtod(digits, &end);
    if (end == digits || *end != '\0' || !isfinite(value) || value * scale > 9e15)
        return false;
    *out = (int64_t)(value * scale);
    return true;
}

/* Names: use first/last when given, else split the full name; case-fix shouted or lowered
 * input; build the full name and its matching form. */
static void normalize_names(struct str first, struct str last, struct str full, struct arena *a,
                            struct lead *out)
{
    struct person_name parts;
    struct pr_error ignored;
    char full_buf[512];

    if (first.len == 0 && last.len == 0 && full.len > 0 &&
        person_name_split(full.ptr, full.len, &parts, &ignored) == PR_OK) {
        first = str_from_cstr(parts.first);
        last = str_from_cstr(parts.last);
    }
    if (first.len > 0 &&
        person_name_case(first.ptr, first.len, full_buf, sizeof full_buf, &ignored) == PR_OK)
        out->first_name = arena_strdup(a, full_buf);
    if (last.len > 0 &&
        person_name_case(last.ptr, last.len, full_buf, sizeof full_buf, &ignored) == PR_OK)
        out->last_name = arena_strdup(a, full_buf);
    if (out->first_name != NULL || out->last_name != NULL) {
        if (person_name_join(out->first_name, out->last_name, full_buf, sizeof full_buf,
                             &ignored) == PR_OK)
            out->full_name = arena_strdup(a, full_buf);
    } else if (full.len > 0 &&
               person_name_case(full.ptr, full.len, full_buf, sizeof full_buf, &ignored) == PR_OK) {
        out->full_name = arena_strdup(a, full_buf);
    }
    if (out->full_name != NULL) {
        company_fold(out->full_name, strlen(out->full_name), full_buf, sizeof full_buf);
        if (full_buf[0] != '\0')
            out->name_folded = arena_strdup(a, full_buf);
    }
}

static enum pr_code normalize_email(struct str email, struct arena *a, struct lead *out,
                                    struct pr_error *err)
{
    struct email_norm norm;
    enum pr_code rc;

    if (email.len == 0)
        return PR_OK;
    rc = email_normalize_lead(email.ptr, email.len, &norm, err);
    if (rc != PR_OK) {
        char reason[sizeof err->message];

        (void)snprintf(reason, sizeof reason, "%s", err->message);
        return pr_error_set(err, PR_INVALID, "invalid e-mail \"%.*s\": %s",
                            (int)(email.len > 80 ? 80 : email.len), email.ptr, reason);
    }
    out->email = arena_strdup(a, norm.display);
    out->email_norm = arena_strdup(a, norm.key);
    out->email_is_role = norm.is_role;
    out->email_is_free = norm.is_free_mail;
    return PR_OK;
}

/* The contact's phone: mobile, then work, then the generic column. Invalid numbers keep their
 * raw text but get no E.164 form (they cannot be dialled or matched, but are not fatal). */
static void normalize_phone(struct str mobile, struct str work, struct str other,
                            const char *region, struct arena *a, struct lead *out)
{
    struct str raw = mobile.len > 0 ? mobile : work.len > 0 ? work : other;
    struct phone_info info;
    struct pr_error ignored;

    if (raw.len == 0)
        return;
    out->phone = arena_strndup(a, raw.ptr, raw.len);
    if (phone_normalize(raw.ptr, raw.len, region, &info, &ignored) != PR_OK || !info.is_valid)
        return;
    out->phone_e164 = arena_strdup(a, info.e164);
    out->phone_type = arena_strdup(a, phone_type_name(info.type));
    out->phone_region = arena_strdup(a, info.region);
    if (info.time_zone[0] != '\0')
        out->time_zone = arena_strdup(a, info.time_zone);
}

static void normalize_place(struct str city, struct str state, struct str zip, struct str country,
                            struct str county, const struct geo_index *zips, struct arena *a,
                            struct lead *out)
{
    char code[8];
    const struct geo_zip *place = NULL;

    if (country.len > 0) {
        char *text = arena_strndup(a, country.ptr, country.len);
        out->country = address_country_iso2(text, code) ? arena_strdup(a, code) : text;
    }
    if (state.len > 0) {
        char *text = arena_strndup(a, state.ptr, state.len);
        out->state = address_us_state(text, code) ? arena_strdup(a, code) : text;
    }
    if (zip.len > 0) {
        char *text = arena_strndup(a, zip.ptr, zip.len);
        bool is_us = out->country == NULL || strcmp(out->country, "US") == 0;
        out->zip = is_us && address_zip5(text, code) ? arena_strdup(a, code) : text;
        if (is_us && zips != NULL)
            place = geo_lookup(zips, out->zip);
    }
    out->city = copy_or_null(a, city);
    out->county = copy_or_null(a, county);
    if (place != NULL) {
        if (out->county == NULL && place->county != NULL && place->county[0] != '\0')
            out->county = arena_strdup(a, place->county);
        if (out->state == NULL)
            out->state = arena_strdup(a, place->state);
        if (out->city == NULL)
            out->city = arena_strdup(a, place->city);
        if (out->time_zone == NULL && place->time_zone != NULL && place->time_zone[0] != '\0')
            out->time_zone = arena_strdup(a, place->time_zone);
    }
    if (out->country == NULL && (place != NULL || (out->state != NULL && strlen(out->state) == 2 &&
                                                   address_us_state(out->state, code))))
        out->country = arena_strdup(a, "US");
}

/* Company: display and matching names; the domain from the website or domain column, else
 * from a business e-mail address (never from free mail: gmail.com is nobody's company). */
static void normalize_company(const struct field_mapping *m, const struct str *fields, size_t n,
                              struct arena *a, struct lead *out)
{
    struct str name = value_of(m, fields, n, FIELD_COMPANY_NAME);
    struct str website = value_of(m, fields, n, FIELD_WEBSITE);
    struct str domain = value_of(m, fields, n, FIELD_DOMAIN);
    struct str sic = value_of(m, fields, n, FIELD_SIC);
    struct str naics = value_of(m, fields, n, FIELD_NAICS);
    struct str count;
    char buf[512];
    struct pr_error ignored;
    enum sector sector;
    bool has_sector = false;

    if (name.len > 0) {
        out->company_name = arena_strndup(a, name.ptr, name.len);
        company_fold(name.ptr, name.len, buf, sizeof buf);
        if (buf[0] != '\0')
            out->company_folded = arena_strdup(a, buf);
    }
    out->website = copy_or_null(a, website);
    if (domain.len == 0)
        domain = website;
    if (domain.len > 0 &&
        domain_normalize(domain.ptr, domain.len, buf, sizeof buf, &ignored) == PR_OK)
        out->domain = arena_strdup(a, buf);
    if (out->domain == NULL && out->email_norm != NULL && !out->email_is_free) {
        const char *at = strchr(out->email_norm, '@');
        if (at != NULL &&
            domain_normalize(at + 1, strlen(at + 1), buf, sizeof buf, &ignored) == PR_OK)
            out->domain = arena_strdup(a, buf);
    }
    /* SIC and NAICS codes are kept only when valid; SIC decides the sector, NAICS when there
     * is no valid SIC. */
    if (sic.len > 0) {
        char *code = arena_strndup(a, sic.ptr, sic.len);
        if (sector_from_sic(code, &sector, &ignored) == PR_OK) {
            out->sic = code;
            has_sector = true;
        }
    }
    if (naics.len > 0) {
        char *code = arena_strndup(a, naics.ptr, naics.len);
        enum sector by_naics;
        if (sector_from_naics(code, &by_naics, &ignored) == PR_OK) {
            out->naics = code;
            if (!has_sector)
                sector = by_naics;
            has_sector = true;
        }
    }
    if (has_sector)
        out->sector = arena_strdup(a, sector_name(sector));
    out->industry = copy_or_null(a, value_of(m, fields, n, FIELD_INDUSTRY));
    out->company_phone = copy_or_null(a, value_of(m, fields, n, FIELD_COMPANY_PHONE));
    out->company_linkedin_url = copy_or_null(a, value_of(m, fields, n, FIELD_COMPANY_LINKEDIN));
    count = value_of(m, fields, n, FIELD_EMPLOYEES);
    out->has_employees = count.len > 0 && lead_parse_count(count.ptr, count.len, &out->employees);
    count = value_of(m, fields, n, FIELD_REVENUE);
    out->has_revenue_usd =
        count.len > 0 && lead_parse_count(count.ptr, count.len, &out->revenue_usd);
}

/* Custom columns (unknown headers, duplicates) as one JSON object. */
static void collect_custom(const struct field_mapping *m, const struct str *fields, size_t n,
                           struct arena *a, struct lead *out)
{
    struct buf json;
    size_t i;
    bool is_first = true;

    buf_init(&json, 1024 * 1024);
    (void)buf_putc(&json, '{');
    for (i = 0; i < m->n_columns && i < n; i++) {
        const struct field_column *c = &m->columns[i];
        struct str v = str_trim(fields[i]);

        if (c->custom_name == NULL || v.len == 0)
            continue;
        if (!is_first)
            (void)buf_putc(&json, ',');
        (void)json_append_string(&json, c->custom_name, strlen(c->custom_name));
        (void)buf_putc(&json, ':');
        (void)json_append_string(&json, v.ptr, v.len);
        is_first = false;
    }
    (void)buf_putc(&json, '}');
    out->custom_fields = arena_strndup(a, json.ptr, json.len);
    buf_free(&json);
}

enum pr_code lead_from_row(const struct field_mapping *m, const struct str *fields, size_t n_fields,
                           const char *default_region, const struct geo_index *zips,
                           struct arena *a, struct lead *out, struct pr_error *err)
{
    char region[3];
    enum pr_code rc;

    memset(out, 0, sizeof *out);
    rc = normalize_email(value_of(m, fields, n_fields, FIELD_EMAIL), a, out, err);
    if (rc != PR_OK)
        return rc;
    normalize_names(value_of(m, fields, n_fields, FIELD_FIRST_NAME),
                    value_of(m, fields, n_fields, FIELD_LAST_NAME),
                    value_of(m, fields, n_fields, FIELD_FULL_NAME), a, out);
    normalize_place(
        value_of(m, fields, n_fields, FIELD_CITY), value_of(m, fields, n_fields, FIELD_STATE),
        value_of(m, fields, n_fields, FIELD_ZIP), value_of(m, fields, n_fields, FIELD_COUNTRY),
        value_of(m, fields, n_fields, FIELD_COUNTY), zips, a, out);
    /* The row's own country decides how a national number is read; the tenant's region is
     * the fallback. */
    (void)snprintf(region, sizeof region, "%s",
                   out->country != NULL && strlen(out->country) == 2 ? out->country
                                                                     : default_region);
    {
        char *zone_from_zip = out->time_zone;

        out->time_zone = NULL;
        normalize_phone(value_of(m, fields, n_fields, FIELD_PHONE_MOBILE),
                        value_of(m, fields, n_fields, FIELD_PHONE_WORK),
                        value_of(m, fields, n_fields, FIELD_PHONE), region, a, out);
        if (out->time_zone == NULL)
            out->time_zone = zone_from_zip;
    }
    normalize_company(m, fields, n_fields, a, out);
    out->title = copy_or_null(a, value_of(m, fields, n_fields, FIELD_TITLE));
    out->linkedin_url = copy_or_null(a, value_of(m, fields, n_fields, FIELD_LINKEDIN));
    out->source = copy_or_null(a, value_of(m, fields, n_fields, FIELD_SOURCE));
    collect_custom(m, fields, n_fields, a, out);
    if (out->email_norm == NULL && out->phone_e164 == NULL && out->full_name == NULL)
        return pr_error_set(err, PR_INVALID, "no e-mail, valid phone or name to identify the lead");
    return PR_OK;
}
