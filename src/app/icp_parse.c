/*
 * The ICP file's YAML, turned into a `struct icp` (steps 1 and 2 of icp.c's loading):
 *
 * 1. The libcyaml schema, in which every scalar is a string: all type and range checking
 *    happens in step 2, which knows what each key means and can say so. util/yaml.c loads the
 *    document against it (capping the memory aliases may take, and turning libcyaml's own
 *    messages into one naming the file and the key path, "industry.rules[2].sicc"); this file
 *    gives it the words and the list of valid keys.
 * 2. The raw strings are checked and copied into a `struct icp` in the caller's arena. Every
 *    message has the form
 *      <file>: <key>: expected <what>, got "<value>"
 *    and a hint. The totals rule (max_points add up to at most 100) is checked last.
 */
#include "app/icp_int.h"

#include "util/arena.h"
#include "util/str.h"
#include "util/yaml.h"

#include <cyaml/cyaml.h>

#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Most memory libcyaml may hold for one document (see util/yaml.h). */
#define ICP_MAX_EXPANDED_BYTES (16 * 1024 * 1024)

#define NAME_MAX_BYTES 200
#define EMPLOYEES_MAX  100000000LL        /* 10^8 */
#define REVENUE_MAX    1000000000000000LL /* 10^15 US dollars */

/* ==== step 1: the schema ==== */

struct raw_industry_rule {
    char *sic;
    char *naics;
    char *sector;
    char *points;
};

struct raw_range {
    char *min;
    char *max;
    char *points;
};

struct raw_keyword_rule {
    char **keywords;
    unsigned keywords_count;
    char *points;
};

struct raw_geo_rule {
    char *country;
    char **states;
    unsigned states_count;
    char *points;
};

struct raw_industry {
    char *max_points;
    struct raw_industry_rule *rules;
    unsigned rules_count;
};

struct raw_ranges { /* employees.ranges and revenue_usd.tiers */
    char *max_points;
    struct raw_range *rules;
    unsigned rules_count;
};

struct raw_title {
    char *max_points;
    struct raw_keyword_rule *seniority;
    unsigned seniority_count;
    struct raw_keyword_rule *department;
    unsigned department_count;
};

struct raw_geography {
    char *max_points;
    struct raw_geo_rule *rules;
    unsigned rules_count;
};

struct raw_list {
    char *max_points;
    char *points_per_match;
    char **values;
    unsigned values_count;
};

struct raw_icp {
    char *name;
    struct raw_industry *industry;
    struct raw_ranges *employees;
    struct raw_ranges *revenue_usd;
    struct raw_title *title;
    struct raw_geography *geography;
    struct raw_list *technologies;
    struct raw_list *intent_topics;
};

/* Scalars: a string, "" when the value is empty (so `points:` is an error, not a default).
 * Lists and sections: a null value ("rules:", "~") reads as absent. */
/* clang-format off */
#define TEXT(key, type, member) \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_OPTIONAL, type, member, 0, CYAML_UNLIMITED)
#define LIST(key, type, member, entry) \
    CYAML_FIELD_SEQUENCE_COUNT(key, CYAML_FLAG_POINTER_NULL_STR | CYAML_FLAG_OPTIONAL, type, \
                               member, member##_count, entry, 0, CYAML_UNLIMITED)
#define SECTION(key, member, fields) \
    CYAML_FIELD_MAPPING_PTR(key, CYAML_FLAG_POINTER_NULL_STR | CYAML_FLAG_OPTIONAL, \
                            struct raw_icp, member, fields)
/* clang-format on */

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t industry_rule_fields[] = {
    TEXT("sic", struct raw_industry_rule, sic),
    TEXT("naics", struct raw_industry_rule, naics),
    TEXT("sector", struct raw_industry_rule, sector),
    TEXT("points", struct raw_industry_rule, points),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t industry_rule_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_industry_rule, industry_rule_fields),
};
static const cyaml_schema_field_t industry_fields[] = {
    TEXT("max_points", struct raw_industry, max_points),
    LIST("rules", struct raw_industry, rules, &industry_rule_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t range_fields[] = {
    TEXT("min", struct raw_range, min),
    TEXT("max", struct raw_range, max),
    TEXT("points", struct raw_range, points),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t range_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_range, range_fields),
};
static const cyaml_schema_field_t employees_fields[] = {
    TEXT("max_points", struct raw_ranges, max_points),
    LIST("ranges", struct raw_ranges, rules, &range_entry),
    CYAML_FIELD_END,
};
static const cyaml_schema_field_t revenue_fields[] = {
    TEXT("max_points", struct raw_ranges, max_points),
    LIST("tiers", struct raw_ranges, rules, &range_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t keyword_rule_fields[] = {
    LIST("keywords", struct raw_keyword_rule, keywords, &string_entry),
    TEXT("points", struct raw_keyword_rule, points),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t keyword_rule_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_keyword_rule, keyword_rule_fields),
};
static const cyaml_schema_field_t title_fields[] = {
    TEXT("max_points", struct raw_title, max_points),
    LIST("seniority", struct raw_title, seniority, &keyword_rule_entry),
    LIST("department", struct raw_title, department, &keyword_rule_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t geo_rule_fields[] = {
    TEXT("country", struct raw_geo_rule, country),
    LIST("states", struct raw_geo_rule, states, &string_entry),
    TEXT("points", struct raw_geo_rule, points),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t geo_rule_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, struct raw_geo_rule, geo_rule_fields),
};
static const cyaml_schema_field_t geography_fields[] = {
    TEXT("max_points", struct raw_geography, max_points),
    LIST("rules", struct raw_geography, rules, &geo_rule_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t list_fields[] = {
    TEXT("max_points", struct raw_list, max_points),
    TEXT("points_per_match", struct raw_list, points_per_match),
    LIST("values", struct raw_list, values, &string_entry),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t top_fields[] = {
    TEXT("name", struct raw_icp, name),
    SECTION("industry", industry, industry_fields),
    SECTION("employees", employees, employees_fields),
    SECTION("revenue_usd", revenue_usd, revenue_fields),
    SECTION("title", title, title_fields),
    SECTION("geography", geography, geography_fields),
    SECTION("technologies", technologies, list_fields),
    SECTION("intent_topics", intent_topics, list_fields),
    CYAML_FIELD_END,
};
static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, struct raw_icp, top_fields),
};

/* The schema of the mapping at `path` ("industry.rules[0]"), or NULL. */
static const cyaml_schema_field_t *fields_at(const char *path)
{
    const cyaml_schema_value_t *v = &top_schema;
    const char *p = path;

    while (*p != '\0') {
        if (*p == '[') {
            if (v->type != CYAML_SEQUENCE)
                return NULL;
            v = v->sequence.entry;
            p = strchr(p, ']');
            if (p == NULL)
                return NULL;
            p++;
        } else {
            size_t len;
            const cyaml_schema_field_t *f;

            if (*p == '.')
                p++;
            len = strcspn(p, ".[");
            if (v->type != CYAML_MAPPING)
                return NULL;
            for (f = v->mapping.fields; f->key != NULL; f++) {
                if (strlen(f->key) == len && memcmp(f->key, p, len) == 0)
                    break;
            }
            if (f->key == NULL)
                return NULL;
            v = &f->value;
            p += len;
        }
    }
    return v->type == CYAML_MAPPING ? v->mapping.fields : NULL;
}

/* The keys of the mapping at `path`, for an unknown key. */
static void valid_keys_hint(const void *ctx, const char *path, struct pr_error *err)
{
    const cyaml_schema_field_t *fields = fields_at(path);
    struct buf list;

    (void)ctx;

    if (fields == NULL) {
        pr_error_hint(err, "see docs/icp.md for the valid keys");
        return;
    }
    buf_init(&list, sizeof err->hint - 1);
    for (const cyaml_schema_field_t *f = fields; f->key != NULL; f++) {
        (void)buf_puts(&list, list.len > 0 ? ", " : "");
        (void)buf_puts(&list, f->key);
    }
    pr_error_hint(err, "valid keys %s%s: %s; see docs/icp.md", path[0] ? "in " : "at the top level",
                  path, buf_cstr(&list));
    buf_free(&list);
}

const struct yaml_format icp__yaml_format = {
    .schema = &top_schema,
    .max_expanded_bytes = ICP_MAX_EXPANDED_BYTES,
    .docs = "docs/icp.md",
    .top_level_noun = "factors",
    .string_words = "a single value",
    .scalar_words = "a single value",
    .one_document_hint = "put the whole ICP in one document (remove the extra '---')",
    .has_list_indexes = true,
    .is_syntax_error_after_key = true,
    .valid_keys_hint = valid_keys_hint,
    .describe_expected = NULL,
    .ctx = NULL,
};

/* ==== step 2: checking and building ==== */

struct loader {
    const char *source;
    struct arena *a;
    struct pr_error *err;
    size_t n_entries; /* rules, keywords, states and values so far (ICP__MAX_TOTAL_ENTRIES) */
};

/* Writes a key path into `out` (cut to fit: it only appears in messages). */
__attribute__((format(printf, 3, 4))) static void key_printf(char *out, size_t size,
                                                             const char *fmt, ...)
{
    va_list ap;
    int written;

    va_start(ap, fmt);
    written = vsnprintf(out, size, fmt, ap);
    va_end(ap);
    if (written < 0)
        out[0] = '\0';
}

/* Sets `<source>: <key>: expected <what>, got "<value>"` (got nothing when `value` is NULL)
 * and a default hint; returns PR_CONFIG. Callers may replace the hint. */
static enum pr_code value_error(const struct loader *ld, const char *key, const char *what,
                                const char *value)
{
    if (value == NULL) {
        pr_error_set(ld->err, PR_CONFIG, "%s: %s: expected %s, got nothing", ld->source, key, what);
        return pr_error_hint(ld->err, "add %s to %s; see docs/icp.md", key, ld->source);
    }
    {
        char quoted[YAML_QUOTED_SIZE];

        yaml_quote_for_message(value, quoted, sizeof quoted);
        pr_error_set(ld->err, PR_CONFIG, "%s: %s: expected %s, got \"%s\"", ld->source, key, what,
                     quoted);
    }
    return pr_error_hint(ld->err, "fix the value of %s in %s; see docs/icp.md", key, ld->source);
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Base-10 digits, optionally grouped with '_' between digits (50_000_000); no sign, no
 * spaces. False when not a number or above `max`. */
static bool parse_number(const char *text, long long max, long long *out)
{
    long long value = 0;

    if (!is_digit(text[0]))
        return false;
    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '_' && is_digit(p[-1]) && is_digit(p[1]))
            continue;
        if (!is_digit(*p))
            return false;
        /* value * 10 + digit <= max, without overflow (and (max - digit) may be negative). */
        if (*p - '0' > max || value > (max - (*p - '0')) / 10)
            return false;
        value = value * 10 + (*p - '0');
    }
    *out = value;
    return true;
}

/* An integer within [min, max]; `note` follows the bounds in the message ("" for none). */
static enum pr_code load_number(const struct loader *ld, const char *key, const char *text,
                                long long min, long long max, const char *note, long long *out)
{
    long long value = 0;
    char what[160];

    if (text != NULL && parse_number(text, max, &value) && value >= min) {
        *out = value;
        return PR_OK;
    }
    key_printf(what, sizeof what, "an integer from %lld%s to %lld", min, note, max);
    return value_error(ld, key, what, text);
}

static enum pr_code load_max_points(const struct loader *ld, const char *factor, const char *text,
                                    int *out)
{
    char key[64];
    long long value = 0;
    enum pr_code rc;

    key_printf(key, sizeof key, "%s.max_points", factor);
    rc = load_number(ld, key, text, 0, SCORE_MAX_TOTAL, "", &value);
    *out = (int)value;
    return rc;
}

/* A rule's points: 0..the factor's max_points. */
static enum pr_code load_points(const struct loader *ld, const char *key, const char *text,
                                const char *factor, int min, int max_points, int *out)
{
    long long value = 0;
    char what[160];

    if (text != NULL && parse_number(text, max_points, &value) && value >= min) {
        *out = (int)value;
        return PR_OK;
    }
    key_printf(what, sizeof what, "an integer from %d to %d (%s.max_points)", min, max_points,
               factor);
    value_error(ld, key, what, text);
    if (text != NULL && parse_number(text, LLONG_MAX, &value) && value > max_points)
        pr_error_hint(ld->err, "raise %s.max_points or lower these points", factor);
    return PR_CONFIG;
}

/* Counts `n` more entries against ICP__MAX_TOTAL_ENTRIES, and a list against ICP_MAX_ENTRIES
 * and its minimum. `noun` names the entries ("rules"). */
static enum pr_code check_count(struct loader *ld, const char *key, const char *noun, unsigned n,
                                unsigned min)
{
    char what[96];

    if (n < min || n > ICP_MAX_ENTRIES) {
        key_printf(what, sizeof what, "a list of %u to %d %s", min, ICP_MAX_ENTRIES, noun);
        if (n == 0)
            pr_error_set(ld->err, PR_CONFIG, "%s: %s: expected %s, got none", ld->source, key,
                         what);
        else
            pr_error_set(ld->err, PR_CONFIG, "%s: %s: expected %s, got %u", ld->source, key, what,
                         n);
        return pr_error_hint(ld->err, "see docs/icp.md and data/icp.example.yaml");
    }
    ld->n_entries += n;
    if (ld->n_entries > ICP__MAX_TOTAL_ENTRIES) {
        pr_error_set(ld->err, PR_CONFIG,
                     "%s: %s: expected at most %d rules, keywords, states and values in all, got "
                     "more",
                     ld->source, key, ICP__MAX_TOTAL_ENTRIES);
        return pr_error_hint(ld->err, "an ICP this large is a mistake; simplify %s", ld->source);
    }
    return PR_OK;
}

/* A text of 1..ICP_MAX_TEXT bytes, trimmed, without control characters; copied into the arena. */
static enum pr_code load_text(const struct loader *ld, const char *key, const char *text,
                              size_t max_len, const char *noun, const char **out)
{
    struct str s = text != NULL ? str_trim(str_from_cstr(text)) : str_from_cstr(NULL);
    bool is_valid = text != NULL && s.len > 0 && s.len <= max_len;
    char what[128];

    for (size_t i = 0; is_valid && i < s.len; i++)
        is_valid = (unsigned char)s.ptr[i] >= 0x20 && s.ptr[i] != 0x7f;
    if (is_valid) {
        *out = arena_strndup(ld->a, s.ptr, s.len);
        return PR_OK;
    }
    key_printf(what, sizeof what, "a %s of 1 to %zu bytes without control characters", noun,
               max_len);
    return value_error(ld, key, what, text);
}

/* A keyword or list value: load_text, and it must hold a letter or digit. `words` gets its
 * compared form (score_words_normalize). */
static enum pr_code load_words(const struct loader *ld, const char *key, const char *text,
                               const char *noun, const char **out, const char **words)
{
    enum pr_code rc = load_text(ld, key, text, ICP_MAX_TEXT, noun, out);
    char what[128];

    if (rc != PR_OK)
        return rc;
    *words = score_words_normalize(ld->a, *out);
    if ((*words)[0] != '\0')
        return PR_OK;
    key_printf(what, sizeof what, "a %s with at least one letter or digit", noun);
    return value_error(ld, key, what, text);
}

/* Refuses words[i] when an earlier entry has the same word form; earlier_keys name them. */
static enum pr_code check_unique(const struct loader *ld, const char *key, const char *text,
                                 const char *noun, const char *const *words, size_t i,
                                 const char *const *earlier_keys)
{
    char what[128];

    for (size_t j = 0; j < i; j++) {
        if (strcmp(words[j], words[i]) != 0)
            continue;
        key_printf(what, sizeof what, "a %s not listed before", noun);
        value_error(ld, key, what, text);
        return pr_error_hint(ld->err, "%s gives \"%s\" already; list it once", earlier_keys[j],
                             words[j]);
    }
    return PR_OK;
}

/* ---- industry ---- */

static enum pr_code load_industry_value(const struct loader *ld, const char *key,
                                        enum icp_industry_kind kind, const char *text,
                                        const char **out)
{
    size_t len = strlen(text);
    size_t max_len = kind == ICP_INDUSTRY_SIC ? 4 : kind == ICP_INDUSTRY_NAICS ? 6 : 64;
    bool is_valid = len > 0 && len <= max_len;
    char *copy;

    for (size_t i = 0; is_valid && i < len; i++) {
        if (kind == ICP_INDUSTRY_SECTOR)
            is_valid = is_letter(text[i]) || is_digit(text[i]) || text[i] == '_';
        else
            is_valid = is_digit(text[i]);
    }
    if (!is_valid) {
        if (kind == ICP_INDUSTRY_SIC)
            return value_error(ld, key, "a SIC code or prefix of 1 to 4 digits", text);
        if (kind == ICP_INDUSTRY_NAICS)
            return value_error(ld, key, "a NAICS code or prefix of 1 to 6 digits", text);
        return value_error(ld, key,
                           "a sector name of letters, digits and '_' (such as "
                           "professional_services)",
                           text);
    }
    copy = arena_strndup(ld->a, text, len);
    for (char *p = copy; *p != '\0'; p++) {
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    *out = copy;
    return PR_OK;
}

static enum pr_code load_industry(struct loader *ld, const struct raw_industry *raw,
                                  struct icp_industry *f)
{
    static const char *const kind_keys[] = {"sic", "naics", "sector"};
    struct icp_industry_rule *rules;
    enum pr_code rc;

    rc = load_max_points(ld, "industry", raw->max_points, &f->max_points);
    if (rc == PR_OK)
        rc = check_count(ld, "industry.rules", "rules", raw->rules_count, 1);
    if (rc != PR_OK)
        return rc;
    rules = arena_calloc(ld->a, raw->rules_count, sizeof *rules);
    for (unsigned i = 0; i < raw->rules_count; i++) {
        const struct raw_industry_rule *r = &raw->rules[i];
        const char *given[3] = {r->sic, r->naics, r->sector};
        char key[96];
        unsigned n_given = 0;
        int kind = 0;

        for (int k = 0; k < 3; k++) {
            if (given[k] != NULL) {
                n_given++;
                kind = k;
            }
        }
        key_printf(key, sizeof key, "industry.rules[%u]", i);
        if (n_given != 1) {
            pr_error_set(ld->err, PR_CONFIG,
                         "%s: %s: expected exactly one of sic, naics, sector, got %s", ld->source,
                         key,
                         n_given == 0        ? "none"
                         : n_given == 3      ? "all three"
                         : r->sector == NULL ? "sic and naics"
                         : r->sic == NULL    ? "naics and sector"
                                             : "sic and sector");
            return pr_error_hint(ld->err, "write one rule per code or sector; see docs/icp.md");
        }
        key_printf(key, sizeof key, "industry.rules[%u].%s", i, kind_keys[kind]);
        rules[i].kind = (enum icp_industry_kind)kind;
        rc = load_industry_value(ld, key, rules[i].kind, given[kind], &rules[i].value);
        if (rc != PR_OK)
            return rc;
        for (unsigned j = 0; j < i; j++) {
            if (rules[j].kind == rules[i].kind && strcmp(rules[j].value, rules[i].value) == 0) {
                char what[64];

                key_printf(what, sizeof what, "a %s no earlier rule gives", kind_keys[kind]);
                value_error(ld, key, what, given[kind]);
                return pr_error_hint(ld->err, "industry.rules[%u] gives %s %s already; keep one", j,
                                     kind_keys[kind], rules[j].value);
            }
        }
        key_printf(key, sizeof key, "industry.rules[%u].points", i);
        rc = load_points(ld, key, r->points, "industry", 0, f->max_points, &rules[i].points);
        if (rc != PR_OK)
            return rc;
    }
    f->is_enabled = true;
    f->rules = rules;
    f->n_rules = raw->rules_count;
    return PR_OK;
}

/* ---- employees and revenue ---- */

static enum pr_code load_ranges(struct loader *ld, const struct raw_ranges *raw, const char *factor,
                                const char *list_key, long long limit, struct icp_ranges *f)
{
    struct icp_range_rule *rules;
    char key[96];
    enum pr_code rc;

    rc = load_max_points(ld, factor, raw->max_points, &f->max_points);
    key_printf(key, sizeof key, "%s.%s", factor, list_key);
    if (rc == PR_OK)
        rc = check_count(ld, key, list_key, raw->rules_count, 1);
    if (rc != PR_OK)
        return rc;
    rules = arena_calloc(ld->a, raw->rules_count, sizeof *rules);
    for (unsigned i = 0; i < raw->rules_count; i++) {
        const struct raw_range *r = &raw->rules[i];
        long long min = 0, max = LLONG_MAX;

        if (r->min != NULL) {
            key_printf(key, sizeof key, "%s.%s[%u].min", factor, list_key, i);
            rc = load_number(ld, key, r->min, 0, limit, "", &min);
        }
        if (rc == PR_OK && r->max != NULL) {
            key_printf(key, sizeof key, "%s.%s[%u].max", factor, list_key, i);
            rc = load_number(ld, key, r->max, min, limit, r->min != NULL ? " (its min)" : "", &max);
        }
        if (rc == PR_OK) {
            key_printf(key, sizeof key, "%s.%s[%u].points", factor, list_key, i);
            rc = load_points(ld, key, r->points, factor, 0, f->max_points, &rules[i].points);
        }
        if (rc != PR_OK)
            return rc;
        rules[i].min = min;
        rules[i].max = max;
    }
    f->is_enabled = true;
    f->rules = rules;
    f->n_rules = raw->rules_count;
    return PR_OK;
}

/* ---- title ---- */

/* One list of keyword rules (title.seniority or title.department). Keywords are stored in
 * their compared form, and each may appear once in the list. */
static enum pr_code load_keyword_rules(struct loader *ld, const char *list_key,
                                       const struct raw_keyword_rule *raw, unsigned n_raw,
                                       int max_points, const struct icp_keyword_rule **out,
                                       size_t *n_out)
{
    struct icp_keyword_rule *rules;
    const char **all_words;
    const char **all_keys;
    size_t n_all = 0, n_total = 0;
    char key[96];
    enum pr_code rc;

    rc = check_count(ld, list_key, "rules", n_raw, 0);
    if (rc != PR_OK || n_raw == 0)
        return rc;
    for (unsigned i = 0; i < n_raw; i++)
        n_total += raw[i].keywords_count;
    rules = arena_calloc(ld->a, n_raw, sizeof *rules);
    all_words = arena_calloc(ld->a, n_total + 1, sizeof *all_words);
    all_keys = arena_calloc(ld->a, n_total + 1, sizeof *all_keys);
    for (unsigned i = 0; i < n_raw; i++) {
        const char **keywords;

        key_printf(key, sizeof key, "%s[%u].keywords", list_key, i);
        rc = check_count(ld, key, "keywords", raw[i].keywords_count, 1);
        if (rc != PR_OK)
            return rc;
        keywords = arena_calloc(ld->a, raw[i].keywords_count, sizeof *keywords);
        for (unsigned k = 0; k < raw[i].keywords_count; k++) {
            const char *text = raw[i].keywords[k];
            const char *as_written;

            key_printf(key, sizeof key, "%s[%u].keywords[%u]", list_key, i, k);
            rc = load_words(ld, key, text, "keyword", &as_written, &all_words[n_all]);
            if (rc != PR_OK)
                return rc;
            all_keys[n_all] = arena_strdup(ld->a, key);
            rc = check_unique(ld, key, text, "keyword", all_words, n_all, all_keys);
            if (rc != PR_OK)
                return rc;
            keywords[k] = all_words[n_all++];
        }
        key_printf(key, sizeof key, "%s[%u].points", list_key, i);
        rc = load_points(ld, key, raw[i].points, "title", 0, max_points, &rules[i].points);
        if (rc != PR_OK)
            return rc;
        rules[i].keywords = keywords;
        rules[i].n_keywords = raw[i].keywords_count;
    }
    *out = rules;
    *n_out = n_raw;
    return PR_OK;
}

static enum pr_code load_title(struct loader *ld, const struct raw_title *raw, struct icp_title *f)
{
    enum pr_code rc = load_max_points(ld, "title", raw->max_points, &f->max_points);

    if (rc == PR_OK)
        rc = load_keyword_rules(ld, "title.seniority", raw->seniority, raw->seniority_count,
                                f->max_points, &f->seniority, &f->n_seniority);
    if (rc == PR_OK)
        rc = load_keyword_rules(ld, "title.department", raw->department, raw->department_count,
                                f->max_points, &f->department, &f->n_department);
    if (rc != PR_OK)
        return rc;
    if (f->n_seniority == 0 && f->n_department == 0) {
        pr_error_set(ld->err, PR_CONFIG,
                     "%s: title: expected seniority or department rules, got neither", ld->source);
        return pr_error_hint(ld->err, "add title.seniority rules (or remove title); see "
                                      "data/icp.example.yaml");
    }
    f->is_enabled = true;
    return PR_OK;
}

/* ---- geography ---- */

/* Letters and digits only, `min_len` to `max_len` of them; stored upper case. */
static enum pr_code load_code(const struct loader *ld, const char *key, const char *text,
                              size_t min_len, size_t max_len, bool letters_only, const char *what,
                              const char **out)
{
    size_t len = strlen(text);
    bool is_valid = len >= min_len && len <= max_len;
    char *copy;

    for (size_t i = 0; is_valid && i < len; i++)
        is_valid = is_letter(text[i]) || (!letters_only && is_digit(text[i]));
    if (!is_valid)
        return value_error(ld, key, what, text);
    copy = arena_strndup(ld->a, text, len);
    for (char *p = copy; *p != '\0'; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    }
    *out = copy;
    return PR_OK;
}

static enum pr_code load_geography(struct loader *ld, const struct raw_geography *raw,
                                   struct icp_geography *f)
{
    struct icp_geo_rule *rules;
    enum pr_code rc;

    rc = load_max_points(ld, "geography", raw->max_points, &f->max_points);
    if (rc == PR_OK)
        rc = check_count(ld, "geography.rules", "rules", raw->rules_count, 1);
    if (rc != PR_OK)
        return rc;
    rules = arena_calloc(ld->a, raw->rules_count, sizeof *rules);
    for (unsigned i = 0; i < raw->rules_count; i++) {
        const struct raw_geo_rule *r = &raw->rules[i];
        char key[96];

        key_printf(key, sizeof key, "geography.rules[%u]", i);
        if (r->country == NULL && r->states_count == 0) {
            pr_error_set(ld->err, PR_CONFIG, "%s: %s: expected country or states, got neither",
                         ld->source, key);
            return pr_error_hint(ld->err, "give a country (US), states ([CA, NY]) or both");
        }
        if (r->country != NULL) {
            key_printf(key, sizeof key, "geography.rules[%u].country", i);
            rc = load_code(ld, key, r->country, 2, 2, true,
                           "a two-letter country code (ISO 3166-1 alpha-2)", &rules[i].country);
            if (rc != PR_OK)
                return rc;
        }
        if (r->states_count > 0) {
            const char **states;

            key_printf(key, sizeof key, "geography.rules[%u].states", i);
            rc = check_count(ld, key, "states", r->states_count, 1);
            if (rc != PR_OK)
                return rc;
            states = arena_calloc(ld->a, r->states_count, sizeof *states);
            for (unsigned s = 0; s < r->states_count; s++) {
                key_printf(key, sizeof key, "geography.rules[%u].states[%u]", i, s);
                rc = load_code(ld, key, r->states[s], 1, 3, false,
                               "a state or region code of 1 to 3 letters or digits (such as CA)",
                               &states[s]);
                if (rc != PR_OK)
                    return rc;
            }
            rules[i].states = states;
            rules[i].n_states = r->states_count;
        }
        key_printf(key, sizeof key, "geography.rules[%u].points", i);
        rc = load_points(ld, key, r->points, "geography", 0, f->max_points, &rules[i].points);
        if (rc != PR_OK)
            return rc;
    }
    f->is_enabled = true;
    f->rules = rules;
    f->n_rules = raw->rules_count;
    return PR_OK;
}

/* ---- technologies and intent topics ---- */

static enum pr_code load_list(struct loader *ld, const struct raw_list *raw, const char *factor,
                              const char *noun, struct icp_list *f)
{
    const char **values;
    const char **words;
    const char **keys;
    char key[96];
    long long per_match = 0;
    enum pr_code rc;

    rc = load_max_points(ld, factor, raw->max_points, &f->max_points);
    if (rc == PR_OK && f->max_points == 0) {
        /* points_per_match must be 1..max_points; with 0 there is no valid value to give. */
        key_printf(key, sizeof key, "%s.max_points", factor);
        value_error(ld, key, "an integer from 1 to 100", raw->max_points);
        return pr_error_hint(ld->err, "remove %s to ignore it, or give it points", factor);
    }
    if (rc == PR_OK) {
        char note[64];

        key_printf(key, sizeof key, "%s.points_per_match", factor);
        key_printf(note, sizeof note, " to %d (%s.max_points)", f->max_points, factor);
        /* Written out so the message names the factor's max_points, as for rule points. */
        if (raw->points_per_match == NULL ||
            !parse_number(raw->points_per_match, f->max_points, &per_match) || per_match < 1) {
            char what[128];

            key_printf(what, sizeof what, "an integer from 1%s", note);
            return value_error(ld, key, what, raw->points_per_match);
        }
        f->points_per_match = (int)per_match;
        key_printf(key, sizeof key, "%s.values", factor);
        rc = check_count(ld, key, noun, raw->values_count, 1);
    }
    if (rc != PR_OK)
        return rc;
    values = arena_calloc(ld->a, raw->values_count, sizeof *values);
    words = arena_calloc(ld->a, raw->values_count, sizeof *words);
    keys = arena_calloc(ld->a, raw->values_count, sizeof *keys);
    for (unsigned i = 0; i < raw->values_count; i++) {
        key_printf(key, sizeof key, "%s.values[%u]", factor, i);
        rc = load_words(ld, key, raw->values[i], "value", &values[i], &words[i]);
        if (rc != PR_OK)
            return rc;
        keys[i] = arena_strdup(ld->a, key);
        rc = check_unique(ld, key, raw->values[i], "value", words, i, keys);
        if (rc != PR_OK)
            return rc;
    }
    f->is_enabled = true;
    f->values = values;
    f->n_values = raw->values_count;
    return PR_OK;
}

/* ---- the whole ICP ---- */

static enum pr_code check_total(const struct loader *ld, const struct icp *icp)
{
    const struct {
        const char *name;
        bool is_enabled;
        int max_points;
    } factors[SCORE_N_FACTORS] = {
        {"industry", icp->industry.is_enabled, icp->industry.max_points},
        {"employees", icp->employees.is_enabled, icp->employees.max_points},
        {"revenue_usd", icp->revenue_usd.is_enabled, icp->revenue_usd.max_points},
        {"title", icp->title.is_enabled, icp->title.max_points},
        {"geography", icp->geography.is_enabled, icp->geography.max_points},
        {"technologies", icp->technologies.is_enabled, icp->technologies.max_points},
        {"intent_topics", icp->intent_topics.is_enabled, icp->intent_topics.max_points},
    };
    struct buf sum_text;
    int sum = 0;

    buf_init(&sum_text, sizeof ld->err->hint - 1);
    for (size_t i = 0; i < SCORE_N_FACTORS; i++) {
        if (!factors[i].is_enabled)
            continue;
        sum += factors[i].max_points;
        (void)buf_printf(&sum_text, "%s%s %d", sum_text.len > 0 ? " + " : "", factors[i].name,
                         factors[i].max_points);
    }
    if (sum > SCORE_MAX_TOTAL) {
        pr_error_set(ld->err, PR_CONFIG,
                     "%s: max_points: expected the factors' max_points to add up to at most %d, "
                     "got %d",
                     ld->source, SCORE_MAX_TOTAL, sum);
        pr_error_hint(ld->err, "%s = %d; lower some so a score stays within 0-100",
                      buf_cstr(&sum_text), sum);
    }
    buf_free(&sum_text);
    return sum > SCORE_MAX_TOTAL ? PR_CONFIG : PR_OK;
}

enum pr_code icp__build(const struct raw_icp *raw, const char *source, struct arena *a,
                        struct icp *icp, struct pr_error *err)
{
    struct loader loader = {.source = source, .a = a, .err = err, .n_entries = 0};
    struct loader *ld = &loader;
    enum pr_code rc = PR_OK;

    if (raw->name != NULL)
        rc = load_text(ld, "name", raw->name, NAME_MAX_BYTES, "name", &icp->name);
    if (rc == PR_OK && raw->industry != NULL)
        rc = load_industry(ld, raw->industry, &icp->industry);
    if (rc == PR_OK && raw->employees != NULL)
        rc = load_ranges(ld, raw->employees, "employees", "ranges", EMPLOYEES_MAX, &icp->employees);
    if (rc == PR_OK && raw->revenue_usd != NULL)
        rc = load_ranges(ld, raw->revenue_usd, "revenue_usd", "tiers", REVENUE_MAX,
                         &icp->revenue_usd);
    if (rc == PR_OK && raw->title != NULL)
        rc = load_title(ld, raw->title, &icp->title);
    if (rc == PR_OK && raw->geography != NULL)
        rc = load_geography(ld, raw->geography, &icp->geography);
    if (rc == PR_OK && raw->technologies != NULL)
        rc = load_list(ld, raw->technologies, "technologies", "values", &icp->technologies);
    if (rc == PR_OK && raw->intent_topics != NULL)
        rc = load_list(ld, raw->intent_topics, "intent_topics", "values", &icp->intent_topics);
    if (rc != PR_OK)
        return rc;
    if (!icp->industry.is_enabled && !icp->employees.is_enabled && !icp->revenue_usd.is_enabled &&
        !icp->title.is_enabled && !icp->geography.is_enabled && !icp->technologies.is_enabled &&
        !icp->intent_topics.is_enabled) {
        pr_error_set(ld->err, PR_CONFIG,
                     "%s: expected at least one factor (industry, employees, revenue_usd, title, "
                     "geography, technologies, intent_topics), got none",
                     ld->source);
        return pr_error_hint(ld->err, "start from data/icp.example.yaml; see docs/icp.md");
    }
    return check_total(ld, icp);
}
