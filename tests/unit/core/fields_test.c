/* Lead fields: vocabulary tables, the header alias mapper and the header row mapping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/fields.h"
#include "util/arena.h"

#include <stdio.h>
#include <string.h>

static enum lead_field header_field(const char *header)
{
    return lead_field_from_header(header, strlen(header));
}

/* Every spelling the issue and the brief name, plus the separators and case variants the mapper
 * must ignore, and headers that must stay custom. */
static void test_header_aliases(void **state)
{
    static const struct {
        const char *header;
        enum lead_field field;
    } cases[] = {
        {"Company Name", FIELD_COMPANY_NAME},
        {"COMPANY NAME", FIELD_COMPANY_NAME},
        {"company_name", FIELD_COMPANY_NAME},
        {"company-name", FIELD_COMPANY_NAME},
        {"Company.Name", FIELD_COMPANY_NAME},
        {"\"Company Name\"", FIELD_COMPANY_NAME},
        {"  'Company Name'  ", FIELD_COMPANY_NAME},
        {"\xEF\xBB\xBF"
         "Company Name",
         FIELD_COMPANY_NAME},
        {"Company\xC2\xA0Name", FIELD_COMPANY_NAME},
        {"Organization", FIELD_COMPANY_NAME},
        {"Account Name", FIELD_COMPANY_NAME},
        {"Company", FIELD_COMPANY_NAME},
        {"E-mail", FIELD_EMAIL},
        {"Email", FIELD_EMAIL},
        {"EMAIL_ADDRESS", FIELD_EMAIL},
        {"Email Address", FIELD_EMAIL},
        {"Work Email", FIELD_EMAIL},
        {"Mobile Phone", FIELD_PHONE_MOBILE},
        {"Cell", FIELD_PHONE_MOBILE},
        {"cell_phone", FIELD_PHONE_MOBILE},
        {"Work Phone", FIELD_PHONE_WORK},
        {"Office Phone", FIELD_PHONE_WORK},
        {"Direct Dial", FIELD_PHONE_WORK},
        {"Phone", FIELD_PHONE},
        {"Phone Number", FIELD_PHONE},
        {"Telephone", FIELD_PHONE},
        {"Phone #", FIELD_PHONE},
        {"Company Phone", FIELD_COMPANY_PHONE},
        {"Website", FIELD_WEBSITE},
        {"URL", FIELD_WEBSITE},
        {"Web Site", FIELD_WEBSITE},
        {"Domain", FIELD_DOMAIN},
        {"Company Domain", FIELD_DOMAIN},
        {"First Name", FIELD_FIRST_NAME},
        {"firstname", FIELD_FIRST_NAME},
        {"Given Name", FIELD_FIRST_NAME},
        {"Last Name", FIELD_LAST_NAME},
        {"Surname", FIELD_LAST_NAME},
        {"Family Name", FIELD_LAST_NAME},
        {"Full Name", FIELD_FULL_NAME},
        {"Name", FIELD_FULL_NAME},
        {"Contact Name", FIELD_FULL_NAME},
        {"Title", FIELD_TITLE},
        {"Job Title", FIELD_TITLE},
        {"Position", FIELD_TITLE},
        {"Address", FIELD_ADDRESS},
        {"Address Line 1", FIELD_ADDRESS},
        {"Address 2", FIELD_ADDRESS2},
        {"City", FIELD_CITY},
        {"Town", FIELD_CITY},
        {"State", FIELD_STATE},
        {"Province", FIELD_STATE},
        {"Region", FIELD_STATE},
        {"ZIP", FIELD_ZIP},
        {"Zip Code", FIELD_ZIP},
        {"Postal Code", FIELD_ZIP},
        {"Postcode", FIELD_ZIP},
        {"Country", FIELD_COUNTRY},
        {"County", FIELD_COUNTY},
        {"Industry", FIELD_INDUSTRY},
        {"SIC", FIELD_SIC},
        {"SIC Code", FIELD_SIC},
        {"NAICS", FIELD_NAICS},
        {"NAICS Code", FIELD_NAICS},
        {"Employees", FIELD_EMPLOYEES},
        {"Employee Count", FIELD_EMPLOYEES},
        {"# Employees", FIELD_EMPLOYEES},
        {"Company Size", FIELD_EMPLOYEES},
        {"Headcount", FIELD_EMPLOYEES},
        {"Revenue", FIELD_REVENUE},
        {"Annual Revenue", FIELD_REVENUE},
        {"Revenue ($)", FIELD_REVENUE},
        {"LinkedIn", FIELD_LINKEDIN},
        {"LinkedIn URL", FIELD_LINKEDIN},
        {"Person Linkedin Url", FIELD_LINKEDIN},
        {"Company Linkedin Url", FIELD_COMPANY_LINKEDIN},
        {"Company LinkedIn", FIELD_COMPANY_LINKEDIN},
        {"Source", FIELD_SOURCE},
        {"Lead Source", FIELD_SOURCE},
        /* custom fields */
        {"", FIELD_NONE},
        {"   ", FIELD_NONE},
        {"###", FIELD_NONE},
        {"Notes", FIELD_NONE},
        {"Email 2", FIELD_NONE},
        {"Personal Email", FIELD_NONE},
        {"Home Phone", FIELD_NONE},
        {"Account", FIELD_NONE},
        {"Emails", FIELD_NONE},
        {"E\xC3\xA9mail", FIELD_NONE},
        {"Company Name Extra", FIELD_NONE},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum lead_field got = header_field(cases[i].header);

        if (got != cases[i].field)
            fail_msg("header \"%s\": got %s, want %s", cases[i].header, lead_field_name(got),
                     lead_field_name(cases[i].field));
    }
    /* Length is honoured: no NUL needed, bytes after len ignored. */
    assert_int_equal(lead_field_from_header("Emailxyz", 5), FIELD_EMAIL);
    assert_int_equal(lead_field_from_header(NULL, 0), FIELD_NONE);
}

/* Rewrites an alias as snake_case ("Company Name" -> "company_name"). */
static void snake_case(const char *in, char *out, size_t out_size)
{
    size_t i, n = 0;

    for (i = 0; in[i] != '\0' && n + 1 < out_size; i++) {
        char c = in[i];

        out[n++] = c == ' ' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out[n] = '\0';
}

/* Every entry of the alias table maps to its own field in several spellings (which also proves
 * no earlier entry with the same key maps elsewhere), and every field has an alias. */
static void test_alias_table(void **state)
{
    bool reachable[FIELD_COUNT] = {false};
    size_t i, n = lead_field_alias_count();

    (void)state;
    assert_true(n > 100);
    for (i = 0; i < n; i++) {
        enum lead_field field;
        const char *alias = lead_field_alias_at(i, &field);
        char variant[128];
        size_t j;

        assert_non_null(alias);
        assert_int_not_equal(field, FIELD_NONE);
        if (header_field(alias) != field)
            fail_msg("alias \"%s\": got %s, want %s", alias, lead_field_name(header_field(alias)),
                     lead_field_name(field));
        snake_case(alias, variant, sizeof variant);
        assert_int_equal(header_field(variant), field);
        for (j = 0; alias[j] != '\0' && j + 1 < sizeof variant; j++)
            variant[j] = (alias[j] >= 'a' && alias[j] <= 'z') ? (char)(alias[j] - 32) : alias[j];
        variant[j] = '\0';
        assert_int_equal(header_field(variant), field);
        assert_true(snprintf(variant, sizeof variant, " \"%s\" ", alias) < (int)sizeof variant);
        assert_int_equal(header_field(variant), field);
        reachable[field] = true;
    }
    assert_null(lead_field_alias_at(n, &(enum lead_field){FIELD_EMAIL}));
    for (i = FIELD_NONE + 1; i < FIELD_COUNT; i++)
        if (!reachable[i])
            fail_msg("field %s has no alias", lead_field_name((enum lead_field)i));
}

static void test_names_kinds_columns(void **state)
{
    static const struct {
        enum lead_field field;
        const char *name;
        enum lead_field_kind kind;
        const char *column;
    } cases[] = {
        {FIELD_COMPANY_NAME, "company_name", LEAD_FIELD_KIND_COMPANY, "name"},
        {FIELD_REVENUE, "revenue", LEAD_FIELD_KIND_COMPANY, "revenue_usd"},
        {FIELD_COMPANY_PHONE, "company_phone", LEAD_FIELD_KIND_COMPANY, "phone"},
        {FIELD_COMPANY_LINKEDIN, "company_linkedin_url", LEAD_FIELD_KIND_COMPANY, "linkedin_url"},
        {FIELD_PHONE_MOBILE, "mobile_phone", LEAD_FIELD_KIND_CONTACT, "phone"},
        {FIELD_PHONE_WORK, "work_phone", LEAD_FIELD_KIND_CONTACT, "phone"},
        {FIELD_LINKEDIN, "linkedin_url", LEAD_FIELD_KIND_CONTACT, "linkedin_url"},
        {FIELD_EMAIL, "email", LEAD_FIELD_KIND_CONTACT, "email"},
        {FIELD_CITY, "city", LEAD_FIELD_KIND_PLACE, "city"},
        {FIELD_COUNTY, "county", LEAD_FIELD_KIND_PLACE, NULL},
        {FIELD_ADDRESS, "address", LEAD_FIELD_KIND_PLACE, NULL},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_string_equal(lead_field_name(cases[i].field), cases[i].name);
        assert_int_equal(lead_field_kind(cases[i].field), cases[i].kind);
        if (cases[i].column == NULL)
            assert_null(lead_field_column(cases[i].field));
        else
            assert_string_equal(lead_field_column(cases[i].field), cases[i].column);
    }
    for (i = FIELD_NONE + 1; i < FIELD_COUNT; i++) {
        const char *name = lead_field_name((enum lead_field)i);

        assert_int_equal(lead_field_from_name(name), i);
    }
    assert_int_equal(lead_field_from_name("EMAIL"), FIELD_EMAIL);
    assert_int_equal(lead_field_from_name("none"), FIELD_NONE);
    assert_int_equal(lead_field_from_name("e-mail"), FIELD_NONE);
    assert_int_equal(lead_field_from_name(NULL), FIELD_NONE);
    assert_string_equal(lead_field_name(FIELD_NONE), "none");
    assert_string_equal(lead_field_name(FIELD_COUNT), "none");
    assert_null(lead_field_column(FIELD_NONE));
}

#define MAX_COLS 8

struct expect_column {
    enum lead_field field;
    enum field_column_how how;
    const char *custom_name;
};

static void test_mapping(void **state)
{
    static const struct {
        const char *name;
        const char *headers[MAX_COLS];
        struct mapping_override overrides[4];
        struct expect_column columns[MAX_COLS];
        const char *unused; /* the one unused override header, or NULL */
    } cases[] = {
        {"auto",
         {"Company Name", "E-mail", "Mobile Phone", "Notes"},
         {{NULL, NULL}},
         {{FIELD_COMPANY_NAME, FIELD_COLUMN_AUTO, NULL},
          {FIELD_EMAIL, FIELD_COLUMN_AUTO, NULL},
          {FIELD_PHONE_MOBILE, FIELD_COLUMN_AUTO, NULL},
          {FIELD_NONE, FIELD_COLUMN_CUSTOM, "Notes"}},
         NULL},
        {"second email is a custom field",
         {"Email", "Name", "Email Address", "email"},
         {{NULL, NULL}},
         {{FIELD_EMAIL, FIELD_COLUMN_AUTO, NULL},
          {FIELD_FULL_NAME, FIELD_COLUMN_AUTO, NULL},
          {FIELD_NONE, FIELD_COLUMN_DUPLICATE, "Email Address"},
          {FIELD_NONE, FIELD_COLUMN_DUPLICATE, "email"}},
         NULL},
        {"repeated custom names are numbered",
         {"Notes", "", "Notes", " \"Notes\" ", "Notes_2", ""},
         {{NULL, NULL}},
         {{FIELD_NONE, FIELD_COLUMN_CUSTOM, "Notes"},
          {FIELD_NONE, FIELD_COLUMN_CUSTOM, "column_2"},
          {FIELD_NONE, FIELD_COLUMN_CUSTOM, "Notes_2"},
          {FIELD_NONE, FIELD_COLUMN_CUSTOM, "Notes_3"},
          {FIELD_NONE, FIELD_COLUMN_CUSTOM, "Notes_2_2"},
          {FIELD_NONE, FIELD_COLUMN_CUSTOM, "column_6"}},
         NULL},
        {"override beats an earlier auto-mapped column",
         {"Email", "E-Mail Address (work)", "Phone", "Cust ID"},
         {{"e-mail address (WORK)", "email"},
          {"phone", "mobile_phone"},
          {"Cust ID", "IGNORE"},
          {"Absent Header", "zip"}},
         {{FIELD_NONE, FIELD_COLUMN_DUPLICATE, "Email"},
          {FIELD_EMAIL, FIELD_COLUMN_OVERRIDE, NULL},
          {FIELD_PHONE_MOBILE, FIELD_COLUMN_OVERRIDE, NULL},
          {FIELD_NONE, FIELD_COLUMN_IGNORED, NULL}},
         "Absent Header"},
        {"override to custom",
         {"Name", "Contact"},
         {{"Name", "custom"}},
         {{FIELD_NONE, FIELD_COLUMN_CUSTOM, "Name"}, {FIELD_FULL_NAME, FIELD_COLUMN_AUTO, NULL}},
         NULL},
        {"two overrides to one field: leftmost wins",
         {"A", "B"},
         {{"a", "city"}, {"b", "city"}},
         {{FIELD_CITY, FIELD_COLUMN_OVERRIDE, NULL}, {FIELD_NONE, FIELD_COLUMN_DUPLICATE, "B"}},
         NULL},
        {"punctuation-only header matched byte for byte",
         {"#", "##"},
         {{"#", "source"}},
         {{FIELD_SOURCE, FIELD_COLUMN_OVERRIDE, NULL}, {FIELD_NONE, FIELD_COLUMN_CUSTOM, "##"}},
         NULL},
    };
    size_t c;

    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct arena *arena = arena_new(0);
        struct str headers[MAX_COLS];
        struct field_mapping m;
        struct pr_error err;
        size_t n = 0, n_overrides = 0, i, f;

        while (n < MAX_COLS && cases[c].headers[n] != NULL) {
            headers[n] = str_from_cstr(cases[c].headers[n]);
            n++;
        }
        while (n_overrides < 4 && cases[c].overrides[n_overrides].header != NULL)
            n_overrides++;
        if (field_mapping_from_headers(headers, n, cases[c].overrides, n_overrides, arena, &m,
                                       &err) != PR_OK)
            fail_msg("%s: %s", cases[c].name, err.message);
        assert_int_equal(m.n_columns, n);
        for (i = 0; i < n; i++) {
            const struct expect_column *want = &cases[c].columns[i];
            const struct field_column *got = &m.columns[i];

            if (got->field != want->field || got->how != want->how)
                fail_msg("%s: column %zu: got %s/%s, want %s/%s", cases[c].name, i,
                         lead_field_name(got->field), field_column_how_name(got->how),
                         lead_field_name(want->field), field_column_how_name(want->how));
            if (want->custom_name == NULL)
                assert_null(got->custom_name);
            else
                assert_string_equal(got->custom_name, want->custom_name);
            if (got->field != FIELD_NONE)
                assert_int_equal(m.column_of[got->field], i);
        }
        for (f = 0; f < FIELD_COUNT; f++)
            if (m.column_of[f] >= 0)
                assert_int_equal(m.columns[m.column_of[f]].field, f);
        assert_int_equal(m.column_of[FIELD_NONE], -1);
        if (cases[c].unused == NULL) {
            assert_int_equal(m.n_unused_overrides, 0);
        } else {
            assert_int_equal(m.n_unused_overrides, 1);
            assert_string_equal(m.unused_overrides[0], cases[c].unused);
        }
        arena_free(arena);
    }
}

static void test_mapping_header_text(void **state)
{
    struct arena *arena = arena_new(0);
    char long_header[300];
    struct str headers[3];
    struct field_mapping m;
    struct pr_error err;
    size_t i;

    (void)state;
    /* 199 ASCII bytes then a two-byte character straddling the 200-byte limit. */
    memset(long_header, 'x', 199);
    memcpy(long_header + 199, "\xC3\xA9tail", 6);
    headers[0] = (struct str){long_header, 205};
    headers[1] = str_from_cstr("  \"Quoted, Header\"\t");
    headers[2] = (struct str){"Email\0junk", 5};
    assert_int_equal(field_mapping_from_headers(headers, 3, NULL, 0, arena, &m, &err), PR_OK);
    assert_int_equal(strlen(m.columns[0].custom_name), 199);
    for (i = 0; i < 199; i++)
        assert_int_equal(m.columns[0].custom_name[i], 'x');
    assert_int_equal(strlen(m.columns[0].header), 205);
    assert_string_equal(m.columns[1].header, "Quoted, Header");
    assert_string_equal(m.columns[1].custom_name, "Quoted, Header");
    assert_int_equal(m.columns[2].field, FIELD_EMAIL);
    assert_string_equal(m.columns[2].header, "Email");
    assert_int_equal(field_mapping_from_headers(NULL, 0, NULL, 0, arena, &m, &err), PR_OK);
    assert_int_equal(m.n_columns, 0);
    arena_free(arena);
}

static void test_mapping_errors(void **state)
{
    static const struct {
        struct mapping_override overrides[2];
        const char *message_part;
    } cases[] = {
        {{{"Cust ID", "customer_id"}}, "unknown field \"customer_id\" for header \"Cust ID\""},
        {{{"Cust ID", "none"}}, "unknown field \"none\""},
        {{{"Cust ID", ""}}, "names no field"},
        {{{"Cust ID", NULL}}, "names no field"},
        {{{"  ", "email"}}, "empty header"},
        {{{NULL, "email"}}, "no header"},
        {{{"Work Email", "email"}, {"work_email", "phone"}}, "mapped twice"},
    };
    size_t c;

    (void)state;
    for (c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        struct arena *arena = arena_new(0);
        struct str headers[1] = {str_from_cstr("Work Email")};
        struct field_mapping m;
        struct pr_error err;
        size_t n_overrides = cases[c].overrides[1].field != NULL ? 2 : 1;

        assert_int_equal(field_mapping_from_headers(headers, 1, cases[c].overrides, n_overrides,
                                                    arena, &m, &err),
                         PR_INVALID);
        if (strstr(err.message, cases[c].message_part) == NULL)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", c, err.message,
                     cases[c].message_part);
        assert_int_equal(m.n_columns, 0);
        arena_free(arena);
    }
    {
        struct arena *arena = arena_new(0);
        struct field_mapping m;
        struct pr_error err;
        struct str *headers = arena_calloc(arena, FIELD_MAPPING_MAX_COLUMNS + 1, sizeof *headers);
        struct mapping_override same[2] = {{"Work Email", "email"}, {"work-email", "EMAIL"}};

        assert_int_equal(field_mapping_from_headers(headers, FIELD_MAPPING_MAX_COLUMNS + 1, NULL, 0,
                                                    arena, &m, &err),
                         PR_INVALID);
        assert_non_null(strstr(err.message, "columns"));
        assert_int_equal(field_mapping_from_headers(headers, FIELD_MAPPING_MAX_COLUMNS, NULL, 0,
                                                    arena, &m, &err),
                         PR_OK);
        assert_string_equal(m.columns[FIELD_MAPPING_MAX_COLUMNS - 1].custom_name, "column_4096");
        /* the same header listed twice with the same field is fine */
        assert_int_equal(field_mapping_from_headers(headers, 1, same, 2, arena, &m, &err), PR_OK);
        arena_free(arena);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_aliases),      cmocka_unit_test(test_alias_table),
        cmocka_unit_test(test_names_kinds_columns), cmocka_unit_test(test_mapping),
        cmocka_unit_test(test_mapping_header_text), cmocka_unit_test(test_mapping_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
