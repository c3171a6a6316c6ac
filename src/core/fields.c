/*
 * Lead fields: the tables derived from lead_fields.def, the header alias table, and the header
 * row mapper.
 *
 * Headers are compared as keys: the significant bytes of a header are its ASCII letters and
 * digits (lower-cased) and its bytes >= 0x80, except U+00A0 (no-break space, common in
 * spreadsheet exports), U+200B (zero-width space) and U+FEFF (a byte-order mark the CSV reader
 * may have left on the first header), which are skipped like ASCII punctuation. Comparison walks
 * both strings without copying, so a header of any length costs one pass per alias at most, and
 * the alias table stays in the readable form users see in help output.
 */
#include "core/fields.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char *const field_names[FIELD_COUNT] = {
    [FIELD_NONE] = "none",
#define LEAD_FIELD(id, name, kind, column) [FIELD_##id] = name,
#include "lead_fields.def"
#undef LEAD_FIELD
};

static const enum lead_field_kind field_kinds[FIELD_COUNT] = {
    [FIELD_NONE] = LEAD_FIELD_KIND_CONTACT,
#define LEAD_FIELD(id, name, kind, column) [FIELD_##id] = LEAD_FIELD_KIND_##kind,
#include "lead_fields.def"
#undef LEAD_FIELD
};

static const char *const field_columns[FIELD_COUNT] = {
    [FIELD_NONE] = NULL,
#define LEAD_FIELD(id, name, kind, column) [FIELD_##id] = column,
#include "lead_fields.def"
#undef LEAD_FIELD
};

/*
 * The alias table: header spellings seen in lead exports (CRMs, data vendors, spreadsheets),
 * written as users see them. Matching ignores case and punctuation, so "E-mail" also covers
 * "email", "E_MAIL" and "e.mail", and "# Employees" is the key "employees". Each key maps to
 * one field (a unit test checks that no two entries disagree). Deliberately absent: headers
 * too ambiguous to guess ("Account", "Office", "Home Phone", "Personal Email", "Size"); they
 * stay custom fields unless a mapping file says otherwise.
 */
static const struct {
    const char *alias;
    enum lead_field field;
} aliases[] = {
    /* company */
    {"Company", FIELD_COMPANY_NAME},
    {"Company Name", FIELD_COMPANY_NAME},
    {"Company Name for Emails", FIELD_COMPANY_NAME},
    {"Organization", FIELD_COMPANY_NAME},
    {"Organisation", FIELD_COMPANY_NAME},
    {"Organization Name", FIELD_COMPANY_NAME},
    {"Organisation Name", FIELD_COMPANY_NAME},
    {"Account Name", FIELD_COMPANY_NAME},
    {"Business", FIELD_COMPANY_NAME},
    {"Business Name", FIELD_COMPANY_NAME},
    {"Employer", FIELD_COMPANY_NAME},
    {"Firm", FIELD_COMPANY_NAME},
    {"Firm Name", FIELD_COMPANY_NAME},
    {"Website", FIELD_WEBSITE},
    {"Web Site", FIELD_WEBSITE},
    {"Website URL", FIELD_WEBSITE},
    {"URL", FIELD_WEBSITE},
    {"Web", FIELD_WEBSITE},
    {"Web Address", FIELD_WEBSITE},
    {"Homepage", FIELD_WEBSITE},
    {"Company Website", FIELD_WEBSITE},
    {"Company URL", FIELD_WEBSITE},
    {"Domain", FIELD_DOMAIN},
    {"Domain Name", FIELD_DOMAIN},
    {"Company Domain", FIELD_DOMAIN},
    {"Website Domain", FIELD_DOMAIN},
    {"Company Phone", FIELD_COMPANY_PHONE},
    {"Company Phone Number", FIELD_COMPANY_PHONE},
    {"Corporate Phone", FIELD_COMPANY_PHONE},
    {"Main Phone", FIELD_COMPANY_PHONE},
    {"HQ Phone", FIELD_COMPANY_PHONE},
    {"Headquarters Phone", FIELD_COMPANY_PHONE},
    {"Switchboard", FIELD_COMPANY_PHONE},
    {"Industry", FIELD_INDUSTRY},
    {"Industry Type", FIELD_INDUSTRY},
    {"Company Industry", FIELD_INDUSTRY},
    {"Primary Industry", FIELD_INDUSTRY},
    {"Sector", FIELD_INDUSTRY},
    {"Vertical", FIELD_INDUSTRY},
    {"SIC", FIELD_SIC},
    {"SIC Code", FIELD_SIC},
    {"Primary SIC", FIELD_SIC},
    {"Primary SIC Code", FIELD_SIC},
    {"NAICS", FIELD_NAICS},
    {"NAICS Code", FIELD_NAICS},
    {"Primary NAICS", FIELD_NAICS},
    {"Primary NAICS Code", FIELD_NAICS},
    {"Employees", FIELD_EMPLOYEES},
    {"# Employees", FIELD_EMPLOYEES},
    {"Employee Count", FIELD_EMPLOYEES},
    {"Employees Count", FIELD_EMPLOYEES},
    {"Number of Employees", FIELD_EMPLOYEES},
    {"No. of Employees", FIELD_EMPLOYEES},
    {"Num Employees", FIELD_EMPLOYEES},
    {"Employee Size", FIELD_EMPLOYEES},
    {"Employee Range", FIELD_EMPLOYEES},
    {"Company Size", FIELD_EMPLOYEES},
    {"Headcount", FIELD_EMPLOYEES},
    {"Staff Count", FIELD_EMPLOYEES},
    {"Revenue", FIELD_REVENUE},
    {"Annual Revenue", FIELD_REVENUE},
    {"Revenue (USD)", FIELD_REVENUE},
    {"Company Revenue", FIELD_REVENUE},
    {"Annual Sales", FIELD_REVENUE},
    {"Sales Volume", FIELD_REVENUE},
    {"Company LinkedIn", FIELD_COMPANY_LINKEDIN},
    {"Company LinkedIn URL", FIELD_COMPANY_LINKEDIN},
    {"Company LinkedIn Page", FIELD_COMPANY_LINKEDIN},
    {"Company LinkedIn Profile", FIELD_COMPANY_LINKEDIN},
    {"Organization LinkedIn URL", FIELD_COMPANY_LINKEDIN},
    /* contact */
    {"First Name", FIELD_FIRST_NAME},
    {"First", FIELD_FIRST_NAME},
    {"Given Name", FIELD_FIRST_NAME},
    {"Forename", FIELD_FIRST_NAME},
    {"FName", FIELD_FIRST_NAME},
    {"Contact First Name", FIELD_FIRST_NAME},
    {"Last Name", FIELD_LAST_NAME},
    {"Last", FIELD_LAST_NAME},
    {"Surname", FIELD_LAST_NAME},
    {"Family Name", FIELD_LAST_NAME},
    {"LName", FIELD_LAST_NAME},
    {"Contact Last Name", FIELD_LAST_NAME},
    {"Full Name", FIELD_FULL_NAME},
    {"Name", FIELD_FULL_NAME},
    {"Contact Name", FIELD_FULL_NAME},
    {"Contact Full Name", FIELD_FULL_NAME},
    {"Contact", FIELD_FULL_NAME},
    {"Person Name", FIELD_FULL_NAME},
    {"Title", FIELD_TITLE},
    {"Job Title", FIELD_TITLE},
    {"Contact Title", FIELD_TITLE},
    {"Position", FIELD_TITLE},
    {"Job Position", FIELD_TITLE},
    {"Role", FIELD_TITLE},
    {"Job Role", FIELD_TITLE},
    {"Designation", FIELD_TITLE},
    {"Email", FIELD_EMAIL},
    {"E-mail", FIELD_EMAIL},
    {"Email Address", FIELD_EMAIL},
    {"E-mail Address", FIELD_EMAIL},
    {"Mail", FIELD_EMAIL},
    {"Work Email", FIELD_EMAIL},
    {"Business Email", FIELD_EMAIL},
    {"Corporate Email", FIELD_EMAIL},
    {"Contact Email", FIELD_EMAIL},
    {"Primary Email", FIELD_EMAIL},
    {"Phone", FIELD_PHONE},
    {"Phone Number", FIELD_PHONE},
    {"Telephone", FIELD_PHONE},
    {"Telephone Number", FIELD_PHONE},
    {"Tel", FIELD_PHONE},
    {"Contact Phone", FIELD_PHONE},
    {"Primary Phone", FIELD_PHONE},
    {"Mobile Phone", FIELD_PHONE_MOBILE},
    {"Mobile", FIELD_PHONE_MOBILE},
    {"Mobile Number", FIELD_PHONE_MOBILE},
    {"Mobile Phone Number", FIELD_PHONE_MOBILE},
    {"Phone (Mobile)", FIELD_PHONE_MOBILE},
    {"Cell", FIELD_PHONE_MOBILE},
    {"Cell Phone", FIELD_PHONE_MOBILE},
    {"Cell Number", FIELD_PHONE_MOBILE},
    {"Work Phone", FIELD_PHONE_WORK},
    {"Work Phone Number", FIELD_PHONE_WORK},
    {"Work Direct Phone", FIELD_PHONE_WORK},
    {"Phone (Work)", FIELD_PHONE_WORK},
    {"Office Phone", FIELD_PHONE_WORK},
    {"Business Phone", FIELD_PHONE_WORK},
    {"Direct Dial", FIELD_PHONE_WORK},
    {"Direct Phone", FIELD_PHONE_WORK},
    {"Direct Line", FIELD_PHONE_WORK},
    {"LinkedIn", FIELD_LINKEDIN},
    {"LinkedIn URL", FIELD_LINKEDIN},
    {"LinkedIn Profile", FIELD_LINKEDIN},
    {"LinkedIn Profile URL", FIELD_LINKEDIN},
    {"Person LinkedIn URL", FIELD_LINKEDIN},
    {"Contact LinkedIn URL", FIELD_LINKEDIN},
    {"Source", FIELD_SOURCE},
    {"Lead Source", FIELD_SOURCE},
    {"Data Source", FIELD_SOURCE},
    {"List Source", FIELD_SOURCE},
    /* place */
    {"Address", FIELD_ADDRESS},
    {"Address 1", FIELD_ADDRESS},
    {"Address Line 1", FIELD_ADDRESS},
    {"Street", FIELD_ADDRESS},
    {"Street 1", FIELD_ADDRESS},
    {"Street Address", FIELD_ADDRESS},
    {"Mailing Address", FIELD_ADDRESS},
    {"Company Address", FIELD_ADDRESS},
    {"Address 2", FIELD_ADDRESS2},
    {"Address Line 2", FIELD_ADDRESS2},
    {"Street 2", FIELD_ADDRESS2},
    {"Suite", FIELD_ADDRESS2},
    {"City", FIELD_CITY},
    {"Town", FIELD_CITY},
    {"City/Town", FIELD_CITY},
    {"Locality", FIELD_CITY},
    {"County", FIELD_COUNTY},
    {"County Name", FIELD_COUNTY},
    {"State", FIELD_STATE},
    {"ST", FIELD_STATE},
    {"State Code", FIELD_STATE},
    {"Province", FIELD_STATE},
    {"Region", FIELD_STATE},
    {"State/Province", FIELD_STATE},
    {"State or Province", FIELD_STATE},
    {"State/Region", FIELD_STATE},
    {"ZIP", FIELD_ZIP},
    {"Zip Code", FIELD_ZIP},
    {"ZIP+4", FIELD_ZIP},
    {"Postal Code", FIELD_ZIP},
    {"Postcode", FIELD_ZIP},
    {"Postal", FIELD_ZIP},
    {"Country", FIELD_COUNTRY},
    {"Country Code", FIELD_COUNTRY},
    {"Country Name", FIELD_COUNTRY},
    {"Country/Region", FIELD_COUNTRY},
};

#define N_ALIASES (sizeof aliases / sizeof aliases[0])

/* Override targets that are not fields. */
#define TARGET_CUSTOM (-1)
#define TARGET_IGNORE (-2)

const char *lead_field_name(enum lead_field field)
{
    if ((unsigned)field >= FIELD_COUNT)
        return "none";
    return field_names[field];
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool ascii_is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ascii_is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

enum lead_field lead_field_from_name(const char *name)
{
    size_t i, len;

    if (name == NULL)
        return FIELD_NONE;
    len = strlen(name);
    for (i = FIELD_NONE + 1; i < FIELD_COUNT; i++)
        if (strlen(field_names[i]) == len && strncasecmp(field_names[i], name, len) == 0)
            return (enum lead_field)i;
    return FIELD_NONE;
}

enum lead_field_kind lead_field_kind(enum lead_field field)
{
    if ((unsigned)field >= FIELD_COUNT)
        return LEAD_FIELD_KIND_CONTACT;
    return field_kinds[field];
}

const char *lead_field_column(enum lead_field field)
{
    if ((unsigned)field >= FIELD_COUNT)
        return NULL;
    return field_columns[field];
}

/* Length of an ignorable multi-byte sequence at p (U+00A0, U+200B, U+FEFF), else 0. */
static size_t ignorable_len(const unsigned char *p, const unsigned char *end)
{
    size_t left = (size_t)(end - p);

    if (left >= 2 && p[0] == 0xC2 && p[1] == 0xA0)
        return 2;
    if (left >= 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0x8B)
        return 3;
    if (left >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
        return 3;
    return 0;
}

/* Next significant key byte at *p (advancing past it), or -1 at the end. */
static int key_next(const unsigned char **p, const unsigned char *end)
{
    while (*p < end) {
        int c = **p;
        size_t skip;

        if (c < 0x80) {
            (*p)++;
            if (ascii_is_alnum(c))
                return ascii_lower(c);
            continue;
        }
        skip = ignorable_len(*p, end);
        if (skip > 0) {
            *p += skip;
            continue;
        }
        (*p)++;
        return c;
    }
    return -1;
}

static bool keys_equal(const char *a, size_t a_len, const char *b, size_t b_len)
{
    const unsigned char *pa = (const unsigned char *)a, *ea = pa + a_len;
    const unsigned char *pb = (const unsigned char *)b, *eb = pb + b_len;

    for (;;) {
        int ca = key_next(&pa, ea);
        int cb = key_next(&pb, eb);

        if (ca != cb)
            return false;
        if (ca < 0)
            return true;
    }
}

static bool key_is_empty(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;

    return key_next(&p, p + len) < 0;
}

enum lead_field lead_field_from_header(const char *header, size_t len)
{
    size_t i;

    if (header == NULL)
        return FIELD_NONE;
    for (i = 0; i < N_ALIASES; i++)
        if (keys_equal(header, len, aliases[i].alias, strlen(aliases[i].alias)))
            return aliases[i].field;
    return FIELD_NONE;
}

size_t lead_field_alias_count(void)
{
    return N_ALIASES;
}

const char *lead_field_alias_at(size_t i, enum lead_field *field)
{
    if (i >= N_ALIASES) {
        *field = FIELD_NONE;
        return NULL;
    }
    *field = aliases[i].field;
    return aliases[i].alias;
}

const char *field_column_how_name(enum field_column_how how)
{
    switch (how) {
    case FIELD_COLUMN_AUTO:
        return "auto";
    case FIELD_COLUMN_OVERRIDE:
        return "override";
    case FIELD_COLUMN_CUSTOM:
        return "custom";
    case FIELD_COLUMN_DUPLICATE:
        return "duplicate";
    case FIELD_COLUMN_IGNORED:
        return "ignored";
    }
    return "custom";
}

/* The header without surrounding white space (ASCII and U+00A0), a leading byte-order mark,
 * and one pair of surrounding double or single quotes. */
static struct str header_trim(struct str s)
{
    const unsigned char *p = (const unsigned char *)s.ptr;
    size_t start = 0, end = s.len;

    if (s.ptr == NULL)
        return (struct str){"", 0};
    for (int pass = 0; pass < 2; pass++) {
        for (;;) {
            size_t skip;

            if (start < end && ascii_is_space(p[start])) {
                start++;
                continue;
            }
            skip = ignorable_len(p + start, p + end);
            if (skip == 0)
                break;
            start += skip;
        }
        for (;;) {
            if (end > start && ascii_is_space(p[end - 1])) {
                end--;
                continue;
            }
            if (end - start >= 2 && p[end - 2] == 0xC2 && p[end - 1] == 0xA0) {
                end -= 2;
                continue;
            }
            break;
        }
        if (pass == 0 && end - start >= 2 && (p[start] == '"' || p[start] == '\'') &&
            p[end - 1] == p[start]) {
            start++;
            end--;
        } else {
            break;
        }
    }
    return (struct str){s.ptr + start, end - start};
}

/* True when an override header names this column: as keys, or byte for byte when the override
 * has no significant characters at all (a header such as "#"). */
static bool override_matches(struct str override_header, struct str column_header)
{
    if (key_is_empty(override_header.ptr, override_header.len))
        return str_eq(override_header, column_header);
    return keys_equal(override_header.ptr, override_header.len, column_header.ptr,
                      column_header.len);
}

static enum pr_code override_target(const struct mapping_override *o, int *target,
                                    struct pr_error *err)
{
    enum lead_field field;

    if (o->field == NULL || o->field[0] == '\0')
        return pr_error_set(err, PR_INVALID, "mapping for header \"%.80s\" names no field",
                            o->header);
    if (strcasecmp(o->field, "custom") == 0) {
        *target = TARGET_CUSTOM;
        return PR_OK;
    }
    if (strcasecmp(o->field, "ignore") == 0) {
        *target = TARGET_IGNORE;
        return PR_OK;
    }
    field = lead_field_from_name(o->field);
    if (field == FIELD_NONE) {
        pr_error_set(err, PR_INVALID, "unknown field \"%.60s\" for header \"%.80s\"", o->field,
                     o->header);
        return pr_error_hint(err, "use a field name such as company_name, email, mobile_phone "
                                  "or zip (lead_field_name() gives them all), or \"custom\" or "
                                  "\"ignore\"");
    }
    *target = (int)field;
    return PR_OK;
}

/* Validates every override and resolves its target into targets[i]. */
static enum pr_code validate_overrides(const struct mapping_override *overrides, size_t n,
                                       struct str *headers, int *targets, struct pr_error *err)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        enum pr_code rc;

        if (overrides[i].header == NULL)
            return pr_error_set(err, PR_INVALID, "mapping entry %zu has no header", i + 1);
        headers[i] = header_trim(str_from_cstr(overrides[i].header));
        if (headers[i].len == 0)
            return pr_error_set(err, PR_INVALID, "mapping entry %zu has an empty header", i + 1);
        rc = override_target(&overrides[i], &targets[i], err);
        if (rc != PR_OK)
            return rc;
        for (j = 0; j < i; j++) {
            if (targets[j] != targets[i] && override_matches(headers[j], headers[i])) {
                pr_error_set(err, PR_INVALID, "header \"%.80s\" is mapped twice",
                             overrides[i].header);
                return pr_error_hint(err, "map each header to one field");
            }
        }
    }
    return PR_OK;
}

/* Custom-field name base: the header cut at its first NUL byte (a C string cannot hold more,
 * and two names differing only after a NUL would collide) and to FIELD_CUSTOM_NAME_MAX bytes at
 * a UTF-8 boundary, or "column_<n>" when nothing is left. */
static char *custom_base(struct str header, size_t column, struct arena *arena)
{
    const char *nul = header.len > 0 ? memchr(header.ptr, '\0', header.len) : NULL;
    size_t len = nul != NULL ? (size_t)(nul - header.ptr) : header.len;

    if (len == 0)
        return arena_printf(arena, "column_%zu", column + 1);
    if (len > FIELD_CUSTOM_NAME_MAX) {
        len = FIELD_CUSTOM_NAME_MAX;
        while (len > 0 && ((unsigned char)header.ptr[len] & 0xC0) == 0x80)
            len--;
    }
    return arena_strndup(arena, header.ptr, len);
}

static bool custom_name_taken(const struct field_mapping *m, size_t before, const char *name)
{
    size_t i;

    for (i = 0; i < before; i++)
        if (m->columns[i].custom_name != NULL && strcmp(m->columns[i].custom_name, name) == 0)
            return true;
    return false;
}

/* Gives each custom column a unique name: a repeated name gets "_2", "_3"... in column order
 * (and a higher number if that too is taken, e.g. by a header literally called "Notes_2"). */
static void name_custom_columns(struct field_mapping *m, const struct str *trimmed,
                                struct arena *arena)
{
    char **bases = arena_calloc(arena, m->n_columns + 1, sizeof *bases);
    size_t i, j;

    for (i = 0; i < m->n_columns; i++) {
        struct field_column *c = &m->columns[i];
        char *name;
        size_t n_same = 1;

        if (c->how != FIELD_COLUMN_CUSTOM && c->how != FIELD_COLUMN_DUPLICATE)
            continue;
        bases[i] = custom_base(trimmed[i], i, arena);
        for (j = 0; j < i; j++)
            if (bases[j] != NULL && strcmp(bases[j], bases[i]) == 0)
                n_same++;
        name = bases[i];
        if (n_same > 1 || custom_name_taken(m, i, name)) {
            if (n_same < 2)
                n_same = 2;
            for (;;) {
                name = arena_printf(arena, "%s_%zu", bases[i], n_same);
                if (!custom_name_taken(m, i, name))
                    break;
                n_same++;
            }
        }
        c->custom_name = name;
    }
}

/* Assigns fields to the columns whose how is `how`, leftmost first; a taken field turns the
 * column into a duplicate custom field. */
static void claim_fields(struct field_mapping *m, const int *wanted, enum field_column_how how)
{
    size_t i;

    for (i = 0; i < m->n_columns; i++) {
        struct field_column *c = &m->columns[i];

        if (c->how != how)
            continue;
        if (m->column_of[wanted[i]] >= 0) {
            c->how = FIELD_COLUMN_DUPLICATE;
            c->field = FIELD_NONE;
            continue;
        }
        c->field = (enum lead_field)wanted[i];
        m->column_of[wanted[i]] = (int)i;
    }
}

enum pr_code field_mapping_from_headers(const struct str *headers, size_t n_headers,
                                        const struct mapping_override *overrides,
                                        size_t n_overrides, struct arena *arena,
                                        struct field_mapping *out, struct pr_error *err)
{
    struct str *trimmed, *override_headers;
    int *targets, *wanted;
    bool *used;
    size_t i, j;
    enum pr_code rc;

    memset(out, 0, sizeof *out);
    for (i = 0; i < FIELD_COUNT; i++)
        out->column_of[i] = -1;
    if (n_headers > FIELD_MAPPING_MAX_COLUMNS)
        return pr_error_set(err, PR_INVALID, "the header row has %zu columns, more than %d",
                            n_headers, FIELD_MAPPING_MAX_COLUMNS);
    if (n_overrides > FIELD_MAPPING_MAX_COLUMNS)
        return pr_error_set(err, PR_INVALID, "the mapping has %zu entries, more than %d",
                            n_overrides, FIELD_MAPPING_MAX_COLUMNS);
    targets = arena_calloc(arena, n_overrides + 1, sizeof *targets);
    used = arena_calloc(arena, n_overrides + 1, sizeof *used);
    override_headers = arena_calloc(arena, n_overrides + 1, sizeof *override_headers);
    rc = validate_overrides(overrides, n_overrides, override_headers, targets, err);
    if (rc != PR_OK)
        return rc;

    out->columns = arena_calloc(arena, n_headers + 1, sizeof *out->columns);
    trimmed = arena_calloc(arena, n_headers + 1, sizeof *trimmed);
    wanted = arena_calloc(arena, n_headers + 1, sizeof *wanted);
    out->n_columns = n_headers;
    for (i = 0; i < n_headers; i++) {
        struct field_column *c = &out->columns[i];
        int target = 0;
        bool overridden = false;

        trimmed[i] = header_trim(headers[i]);
        c->header = arena_strndup(arena, trimmed[i].ptr, trimmed[i].len);
        c->field = FIELD_NONE;
        for (j = 0; j < n_overrides; j++) {
            if (override_matches(override_headers[j], trimmed[i])) {
                used[j] = true;
                target = targets[j];
                overridden = true;
                break;
            }
        }
        if (!overridden) {
            wanted[i] = (int)lead_field_from_header(trimmed[i].ptr, trimmed[i].len);
            c->how = wanted[i] == FIELD_NONE ? FIELD_COLUMN_CUSTOM : FIELD_COLUMN_AUTO;
        } else if (target == TARGET_CUSTOM) {
            c->how = FIELD_COLUMN_CUSTOM;
        } else if (target == TARGET_IGNORE) {
            c->how = FIELD_COLUMN_IGNORED;
        } else {
            wanted[i] = target;
            c->how = FIELD_COLUMN_OVERRIDE;
        }
    }
    /* Explicit overrides claim their fields before the alias table's guesses. */
    claim_fields(out, wanted, FIELD_COLUMN_OVERRIDE);
    claim_fields(out, wanted, FIELD_COLUMN_AUTO);
    name_custom_columns(out, trimmed, arena);

    out->unused_overrides = arena_calloc(arena, n_overrides + 1, sizeof *out->unused_overrides);
    for (j = 0; j < n_overrides; j++)
        if (!used[j])
            out->unused_overrides[out->n_unused_overrides++] = overrides[j].header;
    return PR_OK;
}
