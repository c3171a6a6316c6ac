/*
 * Loading the ICP file. Three steps, each with its own part of this file:
 *
 * 1. libcyaml reads the document against a schema in which every scalar is a string (as in
 *    util/config_yaml.c): all type and range checking happens in step 2, which knows what each
 *    key means and can say so. libcyaml's own messages (unknown keys, a list where a value
 *    belongs, YAML syntax) are captured through its log callback, never printed, and turned
 *    into one message naming the file and the key path ("industry.rules[2].sicc"); its raw
 *    text goes to err->detail. Its allocator is capped, because aliases let a small file
 *    expand without bound.
 * 2. The raw strings are checked and copied into a `struct icp` whose memory is one arena
 *    (icp_free frees it at once). Every message has the form
 *      <file>: <key>: expected <what>, got "<value>"
 *    and a hint. The totals rule (max_points add up to at most 100) is checked last.
 * 3. The version: SHA-256 of a canonical text of the scoring rules (length-prefixed strings,
 *    fixed order), so that comments and formatting do not change it.
 *
 * The loader needs only util/ and core/, which is why the unit test and the fuzz target can
 * compile this file on its own, without the store.
 */
#include "app/icp.h"

#include "util/arena.h"
#include "util/crypto.h"
#include "util/mem.h"
#include "util/str.h"

#include <cyaml/cyaml.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ICP_TEXT_SOURCE "(text)"

/* Most memory libcyaml may hold for one document (see step 1 above). */
#define ICP_MAX_EXPANDED_BYTES (16 * 1024 * 1024)

/* Most rules, keywords, states and values in one ICP, so scoring a lead stays cheap. */
#define ICP_MAX_TOTAL_ENTRIES 10000

#define NAME_MAX_BYTES 200
#define EMPLOYEES_MAX  100000000LL        /* 10^8 */
#define REVENUE_MAX    1000000000000000LL /* 10^15 US dollars */

/* Values quoted in messages are cut after QUOTE_MAX bytes. */
#define QUOTE_MAX   60
#define QUOTED_SIZE (4 * QUOTE_MAX + 4)

/* ==== step 1: libcyaml ==== */

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

/* ---- the capped allocator ---- */

struct alloc_budget {
    size_t n_live_bytes; /* capacity of the blocks libcyaml holds */
};

/* Every block given to libcyaml starts with its capacity, so realloc and free can keep count. */
#define BLOCK_HEADER_SIZE sizeof(max_align_t)

/*
 * libcyaml's allocator: our wrappers (so real out-of-memory aborts as everywhere) under a
 * budget. Past it, NULL, which libcyaml reports as CYAML_ERR_OOM with the old block untouched,
 * as its contract asks.
 *
 * libcyaml grows a sequence by one entry per realloc, so a list of n entries would copy O(n^2)
 * bytes (minutes for a 1 MiB list under AddressSanitizer, whose realloc always moves). Blocks
 * therefore grow to at least twice their capacity, and a realloc within the capacity returns
 * the same block (libcyaml zeroes new entries itself).
 */
static void *cyaml_mem_budgeted(void *ctx, void *ptr, size_t size)
{
    struct alloc_budget *budget = ctx;
    char *block = ptr != NULL ? (char *)ptr - BLOCK_HEADER_SIZE : NULL;
    size_t old_capacity = 0;
    size_t capacity;

    if (block != NULL)
        memcpy(&old_capacity, block, sizeof old_capacity);
    if (size == 0) {
        budget->n_live_bytes -= old_capacity;
        xfree(block);
        return NULL;
    }
    if (size <= old_capacity)
        return ptr;
    if (size > ICP_MAX_EXPANDED_BYTES)
        return NULL;
    capacity = old_capacity * 2 > size ? old_capacity * 2 : size; /* both <= the budget */
    if (budget->n_live_bytes - old_capacity > ICP_MAX_EXPANDED_BYTES - capacity)
        capacity = size; /* no room to double: take just what was asked, if that fits */
    if (budget->n_live_bytes - old_capacity > ICP_MAX_EXPANDED_BYTES - capacity)
        return NULL;
    block = xrealloc(block, BLOCK_HEADER_SIZE + capacity);
    memcpy(block, &capacity, sizeof capacity);
    budget->n_live_bytes = budget->n_live_bytes - old_capacity + capacity;
    return block + BLOCK_HEADER_SIZE;
}

/* ---- libcyaml's messages ---- */

#define CAPTURE_MAX_LINES 24

struct capture {
    char lines[CAPTURE_MAX_LINES][256];
    size_t n_lines;
    struct buf detail; /* every line joined, for err->detail */
    bool has_extra_documents;
};

__attribute__((format(printf, 3, 0))) static void capture_log(cyaml_log_t level, void *ctx,
                                                              const char *fmt, va_list args)
{
    struct capture *cap = ctx;
    char line[256];
    size_t len;
    bool is_notice;

    (void)level;
    if (vsnprintf(line, sizeof line, fmt, args) < 0)
        return;
    len = strlen(line);
    while (len > 0 && line[len - 1] == '\n')
        line[--len] = '\0';
    /* Matched on the format, not the output: a key in the document could spell the words. */
    is_notice = strstr(fmt, "Ignoring documents after first") != NULL;
    if (is_notice)
        cap->has_extra_documents = true;
    else if (cap->n_lines < CAPTURE_MAX_LINES)
        memcpy(cap->lines[cap->n_lines++], line, len + 1);
    if (cap->detail.len > 0)
        (void)buf_puts(&cap->detail, " | ");
    (void)buf_puts(&cap->detail, line); /* past its maximum the detail is simply cut */
}

/* Copies `text` for a message: control characters, quotes and backslashes escaped, cut after
 * QUOTE_MAX bytes (on a UTF-8 boundary) with "..." appended. `out` holds QUOTED_SIZE bytes. */
static void quote_for_message(const char *text, char *out, size_t size)
{
    size_t len = strlen(text);
    size_t cut = len;
    size_t used = 0;

    assert(size >= QUOTED_SIZE);
    if (len > QUOTE_MAX) {
        cut = QUOTE_MAX;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    for (size_t i = 0; i < cut; i++) {
        unsigned char c = (unsigned char)text[i];

        if (c < 0x20 || c == 0x7f) {
            int written = snprintf(out + used, size - used, "\\x%02x", c);

            if (written < 0 || (size_t)written >= size - used)
                break;
            used += (size_t)written;
        } else if (c == '"' || c == '\\') {
            out[used++] = '\\';
            out[used++] = (char)c;
        } else {
            out[used++] = (char)c;
        }
    }
    if (cut < len) {
        memcpy(out + used, "...", 3);
        used += 3;
    }
    out[used] = '\0';
}

/* libcyaml's names for schema types and YAML events, in words. */
static const char *event_words(const char *name, size_t len)
{
    static const struct {
        const char *name;
        const char *words;
    } table[] = {
        {"MAPPING", "a mapping"},     {"MAPPING_START", "a mapping"}, {"STRING", "a single value"},
        {"SCALAR", "a single value"}, {"SEQUENCE", "a list"},         {"SEQUENCE_START", "a list"},
        {"ALIAS", "an alias"},
    };

    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
            return table[i].words;
    }
    return NULL;
}

/* What we understand of libcyaml's captured lines. */
struct cyaml_report {
    const char *message; /* first line before the backtrace, without "Load: " */
    char path[192];      /* "industry.rules[2].sic", outermost first; lists count from 0 */
    unsigned line;       /* innermost position from the backtrace, 0 when unknown */
    unsigned column;
};

/*
 * The backtrace lists frames innermost first: "  in mapping field 'rules' (line: 3, column:
 * 5)", "  in sequence entry '2' (...)" (entries count from 1) and "  in mapping (...)", which
 * adds nothing to the path.
 */
static void report_parse(const struct capture *cap, struct cyaml_report *r)
{
    char parts[CAPTURE_MAX_LINES][80];
    size_t n_parts = 0;
    bool in_backtrace = false;
    struct buf path;

    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < cap->n_lines; i++) {
        const char *line = cap->lines[i];
        const char *text = strncmp(line, "Load: ", 6) == 0 ? line + 6 : line;
        const char *pos = strrchr(line, '(');
        unsigned l = 0, c = 0, entry = 0;

        if (strcmp(text, "Backtrace:") == 0) {
            in_backtrace = true;
            continue;
        }
        if (!in_backtrace) {
            if (r->message == NULL)
                r->message = text;
            continue;
        }
        if (r->line == 0 && pos != NULL && sscanf(pos, "(line: %u, column: %u)", &l, &c) == 2) {
            r->line = l;
            r->column = c;
        }
        if (n_parts == CAPTURE_MAX_LINES)
            continue;
        if (strncmp(line, "  in mapping field '", 20) == 0) {
            const char *start = line + 20;
            const char *end = strstr(start, "' (line: ");
            int written;

            if (end == NULL)
                continue;
            written = snprintf(parts[n_parts], sizeof parts[n_parts], ".%.*s",
                               (int)(end - start > 60 ? 60 : end - start), start);
            if (written > 0)
                n_parts++;
        } else if (sscanf(line, "  in sequence entry '%u'", &entry) == 1 && entry > 0) {
            int written = snprintf(parts[n_parts], sizeof parts[n_parts], "[%u]", entry - 1);

            if (written > 0)
                n_parts++;
        }
    }
    buf_init(&path, sizeof r->path - 1);
    for (size_t i = n_parts; i > 0; i--) {
        const char *part = parts[i - 1];

        (void)buf_puts(&path, path.len == 0 && part[0] == '.' ? part + 1 : part);
    }
    memcpy(r->path, buf_cstr(&path), path.len + 1);
    buf_free(&path);
}

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

static void valid_keys_hint(const char *path, struct pr_error *err)
{
    const cyaml_schema_field_t *fields = fields_at(path);
    struct buf list;

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

/* First line of `text` whose indentation holds a tab (1-based), or 0. */
static unsigned tab_indented_line(const char *text, size_t len)
{
    unsigned line = 1;
    bool at_indent = true;

    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') {
            line++;
            at_indent = true;
        } else if (at_indent && text[i] == '\t') {
            return line;
        } else if (text[i] != ' ') {
            at_indent = false;
        }
    }
    return 0;
}

/* Turns a failed cyaml_load_data into one PR_CONFIG error. */
static enum pr_code yaml_error(cyaml_err_t code, const struct capture *cap, const char *source,
                               const char *yaml, size_t len, struct pr_error *err)
{
    struct cyaml_report r;
    char key[QUOTED_SIZE];
    char where[64] = "";
    const char *msg;
    const char *got_at;

    report_parse(cap, &r);
    msg = r.message != NULL ? r.message : cyaml_strerror(code);
    got_at = strstr(msg, ", got event: ");
    if (r.line > 0) {
        int written = snprintf(where, sizeof where, " (line %u, column %u)", r.line, r.column);

        if (written < 0 || (size_t)written >= sizeof where)
            where[0] = '\0';
    }
    quote_for_message(r.path, key, sizeof key);

    if (code == CYAML_ERR_INVALID_KEY && strncmp(msg, "Unexpected key: ", 16) == 0) {
        char name[QUOTED_SIZE];

        quote_for_message(msg + 16, name, sizeof name);
        pr_error_set(err, PR_CONFIG, "%s: %s%s%s: unknown key", source, key, r.path[0] ? "." : "",
                     name);
        valid_keys_hint(r.path, err);
    } else if (code == CYAML_ERR_INVALID_VALUE && strncmp(msg, "Expecting ", 10) == 0 &&
               got_at != NULL) {
        const char *expected = event_words(msg + 10, (size_t)(got_at - (msg + 10)));
        const char *got = event_words(got_at + 13, strlen(got_at + 13));

        if (expected == NULL || got == NULL)
            pr_error_set(err, PR_CONFIG, "%s: %s%s%s%s", source, key, r.path[0] ? ": " : "", msg,
                         where);
        else if (r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG,
                         "%s: expected a mapping of factors at the top level, got %s", source, got);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s: expected %s, got %s%s", source, key, expected,
                         got, where);
        pr_error_hint(err, "fix the structure of %s; see docs/icp.md", source);
    } else if (code == CYAML_ERR_UNEXPECTED_EVENT &&
               strncmp(msg, "Mapping field already seen: ", 28) == 0) {
        char name[QUOTED_SIZE];

        /* The backtrace already ends with the repeated key, except at the top level. */
        quote_for_message(msg + 28, name, sizeof name);
        pr_error_set(err, PR_CONFIG, "%s: %s: duplicate key", source, r.path[0] ? key : name);
        pr_error_hint(err, "give each key once in %s", source);
    } else if (code == CYAML_ERR_LIBYAML_PARSER) {
        unsigned tab_line = tab_indented_line(yaml, len);
        const char *text = strncmp(msg, "libyaml: ", 9) == 0 ? msg + 9 : msg;

        /* libcyaml gives the position of the enclosing key, not libyaml's own mark: the
         * error lies at or after it. */
        if (r.line > 0)
            pr_error_set(err, PR_CONFIG, "%s: %s%sinvalid YAML after line %u, column %u: %s",
                         source, key, r.path[0] ? ": " : "", r.line, r.column, text);
        else
            pr_error_set(err, PR_CONFIG, "%s: invalid YAML: %s", source, text);
        if (tab_line > 0)
            pr_error_hint(err, "line %u is indented with a tab; YAML allows only spaces", tab_line);
        else
            pr_error_hint(err, "fix the YAML syntax of %s", source);
    } else if (code == CYAML_ERR_INVALID_ALIAS &&
               strncmp(msg, "No anchor found for alias: ", 27) == 0) {
        char name[QUOTED_SIZE];

        quote_for_message(msg + 27, name, sizeof name); /* still in libcyaml's quotes */
        pr_error_set(err, PR_CONFIG, "%s: %s%salias %s has no anchor%s", source, key,
                     r.path[0] ? ": " : "", name, where);
        pr_error_hint(err, "define the anchor (&name) before its alias (*name) in %s", source);
    } else if (code == CYAML_ERR_OOM) {
        pr_error_set(err, PR_CONFIG,
                     "%s: document too large once aliases are expanded (over %d MiB)", source,
                     ICP_MAX_EXPANDED_BYTES / (1024 * 1024));
        pr_error_hint(err, "repeat fewer aliases (*name) in %s", source);
    } else if (code == CYAML_ERR_INTERNAL_ERROR) {
        /* In practice a mapping key that is itself a list or mapping; libcyaml's backtrace
         * then points at the previous key, so name none. */
        pr_error_set(err, PR_CONFIG, "%s: unsupported YAML (libcyaml: %s)", source,
                     cyaml_strerror(code));
        pr_error_hint(err, "mapping keys must be plain strings; fix %s", source);
    } else {
        char text[QUOTED_SIZE];

        quote_for_message(msg, text, sizeof text);
        pr_error_set(err, PR_CONFIG, "%s: %s%s%s%s", source, key, r.path[0] ? ": " : "", text,
                     where);
        pr_error_hint(err, "fix %s; see docs/icp.md", source);
    }
    pr_error_detail(err, "libcyaml: %s: %s", cyaml_strerror(code),
                    cap->detail.len > 0 ? buf_cstr(&cap->detail) : "(no message)");
    return PR_CONFIG;
}

/* True when `text` holds no content: blank lines, comments, directives, document markers. */
static bool is_blank_document(const char *text, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t end = i, start = i;

        while (end < len && text[end] != '\n')
            end++;
        while (start < end && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r'))
            start++;
        if (start < end && text[start] != '#' && text[start] != '%') {
            size_t rest = start + 3;

            if (end - start < 3 ||
                (memcmp(text + start, "---", 3) != 0 && memcmp(text + start, "...", 3) != 0))
                return false;
            while (rest < end && (text[rest] == ' ' || text[rest] == '\t' || text[rest] == '\r'))
                rest++;
            if (rest < end && (text[rest] != '#' || rest == start + 3))
                return false;
        }
        i = end + 1;
    }
    return true;
}

/* ==== step 2: checking and building ==== */

struct loader {
    const char *source;
    struct arena *a;
    struct pr_error *err;
    size_t n_entries; /* rules, keywords, states and values so far (ICP_MAX_TOTAL_ENTRIES) */
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
        char quoted[QUOTED_SIZE];

        quote_for_message(value, quoted, sizeof quoted);
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

/* Counts `n` more entries against ICP_MAX_TOTAL_ENTRIES, and a list against ICP_MAX_ENTRIES
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
    if (ld->n_entries > ICP_MAX_TOTAL_ENTRIES) {
        pr_error_set(ld->err, PR_CONFIG,
                     "%s: %s: expected at most %d rules, keywords, states and values in all, got "
                     "more",
                     ld->source, key, ICP_MAX_TOTAL_ENTRIES);
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

static enum pr_code build(struct loader *ld, const struct raw_icp *raw, struct icp *icp)
{
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

/* ==== step 3: the version ==== */

static void canon_text(struct buf *b, const char *s)
{
    (void)buf_printf(b, " %zu:%s", strlen(s), s); /* length-prefixed: no separator to escape */
}

static void canon_ranges(struct buf *b, const char *factor, const struct icp_ranges *f)
{
    if (!f->is_enabled)
        return;
    (void)buf_printf(b, "\n%s %d", factor, f->max_points);
    for (size_t i = 0; i < f->n_rules; i++)
        (void)buf_printf(b, "\nrange %lld %lld %d", f->rules[i].min, f->rules[i].max,
                         f->rules[i].points);
}

static void canon_keywords(struct buf *b, const char *what, const struct icp_keyword_rule *rules,
                           size_t n)
{
    for (size_t i = 0; i < n; i++) {
        (void)buf_printf(b, "\n%s %d %zu", what, rules[i].points, rules[i].n_keywords);
        for (size_t k = 0; k < rules[i].n_keywords; k++)
            canon_text(b, rules[i].keywords[k]);
    }
}

static void canon_list(struct buf *b, const char *factor, const struct icp_list *f)
{
    if (!f->is_enabled)
        return;
    (void)buf_printf(b, "\n%s %d %d %zu", factor, f->max_points, f->points_per_match, f->n_values);
    for (size_t i = 0; i < f->n_values; i++)
        canon_text(b, f->values[i]);
}

/* The scoring rules as one text in a fixed order; equal rules give equal texts. */
static enum pr_code icp_version(struct arena *a, struct icp *icp, struct pr_error *err)
{
    struct buf b;
    char hex[65];
    enum pr_code rc = PR_OK;

    /* Bounded by ICP_MAX_TOTAL_ENTRIES entries of at most ICP_MAX_TEXT bytes, plus numbers. */
    buf_init(&b, (size_t)ICP_MAX_TOTAL_ENTRIES * (ICP_MAX_TEXT + 64) + 4096);
    (void)buf_puts(&b, "prospect-icp 1");
    if (icp->industry.is_enabled) {
        (void)buf_printf(&b, "\nindustry %d", icp->industry.max_points);
        for (size_t i = 0; i < icp->industry.n_rules; i++) {
            (void)buf_printf(&b, "\nrule %d %d", (int)icp->industry.rules[i].kind,
                             icp->industry.rules[i].points);
            canon_text(&b, icp->industry.rules[i].value);
        }
    }
    canon_ranges(&b, "employees", &icp->employees);
    canon_ranges(&b, "revenue_usd", &icp->revenue_usd);
    if (icp->title.is_enabled) {
        (void)buf_printf(&b, "\ntitle %d", icp->title.max_points);
        canon_keywords(&b, "seniority", icp->title.seniority, icp->title.n_seniority);
        canon_keywords(&b, "department", icp->title.department, icp->title.n_department);
    }
    if (icp->geography.is_enabled) {
        (void)buf_printf(&b, "\ngeography %d", icp->geography.max_points);
        for (size_t i = 0; i < icp->geography.n_rules; i++) {
            const struct icp_geo_rule *g = &icp->geography.rules[i];

            (void)buf_printf(&b, "\nrule %d %zu", g->points, g->n_states);
            canon_text(&b, g->country != NULL ? g->country : "*");
            for (size_t s = 0; s < g->n_states; s++)
                canon_text(&b, g->states[s]);
        }
    }
    canon_list(&b, "technologies", &icp->technologies);
    canon_list(&b, "intent_topics", &icp->intent_topics);
    if (b.len >= b.max) { /* cannot happen within the limits; never hash a cut text */
        rc = pr_error_set(err, PR_INTERNAL, "the ICP is too large to fingerprint");
        goto out;
    }
    crypto_sha256_hex(b.ptr, b.len, hex, sizeof hex);
    icp->version = arena_strndup(a, hex, 16);
out:
    buf_free(&b);
    return rc;
}

/* ==== public ==== */

/* The ICP and the arena that holds it, so icp_free can find the arena. */
struct icp_owned {
    struct icp icp;
    struct arena *arena;
};

enum pr_code icp_parse_text(const char *yaml, size_t len, const char *source_name, struct icp **out,
                            struct pr_error *err)
{
    const char *source = source_name != NULL ? source_name : ICP_TEXT_SOURCE;
    struct raw_icp *raw = NULL;
    struct capture cap;
    struct alloc_budget budget = {0};
    cyaml_config_t cc;
    cyaml_err_t cyaml_rc;
    struct arena *a = NULL;
    struct icp_owned *owned;
    struct loader ld;
    enum pr_code rc;

    assert(out != NULL && err != NULL);
    pr_error_clear(err);
    *out = NULL;
    memset(&cap, 0, sizeof cap);
    memset(&cc, 0, sizeof cc);
    buf_init(&cap.detail, sizeof err->detail - 32);
    if (yaml == NULL)
        len = 0;
    if (len > ICP_MAX_BYTES) {
        rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than 1 MiB (%zu bytes)", source, len);
        pr_error_hint(err, "an ICP file this large is a mistake; check %s", source);
        goto out;
    }
    rc = crypto_init(err);
    if (rc != PR_OK)
        goto out;
    if (len == 0 || is_blank_document(yaml, len)) {
        rc = pr_error_set(err, PR_CONFIG,
                          "%s: expected at least one factor (industry, employees, revenue_usd, "
                          "title, geography, technologies, intent_topics), got an empty file",
                          source);
        pr_error_hint(err, "start from data/icp.example.yaml; see docs/icp.md");
        goto out;
    }

    cc.log_fn = capture_log;
    cc.log_ctx = &cap;
    cc.mem_fn = cyaml_mem_budgeted;
    cc.mem_ctx = &budget;
    cc.log_level = CYAML_LOG_WARNING;
    cc.flags = CYAML_CFG_DEFAULT;
    cyaml_rc =
        cyaml_load_data((const uint8_t *)yaml, len, &cc, &top_schema, (cyaml_data_t **)&raw, NULL);
    if (cyaml_rc != CYAML_OK) {
        raw = NULL;
        rc = yaml_error(cyaml_rc, &cap, source, yaml, len, err);
        goto out;
    }
    if (cap.has_extra_documents) {
        rc = pr_error_set(err, PR_CONFIG, "%s: more than one YAML document", source);
        pr_error_hint(err, "put the whole ICP in one document (remove the extra '---')");
        goto out;
    }
    if (raw == NULL) { /* blank documents are caught above; be safe anyway */
        rc = pr_error_set(err, PR_CONFIG, "%s: expected a mapping of factors, got nothing", source);
        pr_error_hint(err, "start from data/icp.example.yaml; see docs/icp.md");
        goto out;
    }

    a = arena_new(0);
    owned = arena_calloc(a, 1, sizeof *owned);
    owned->arena = a;
    ld.source = source;
    ld.a = a;
    ld.err = err;
    ld.n_entries = 0;
    rc = build(&ld, raw, &owned->icp);
    if (rc == PR_OK)
        rc = icp_version(a, &owned->icp, err);
    if (rc == PR_OK) {
        struct pr_error check;

        /* The loader's checks imply core's; a failure here is a bug in one of them. */
        if (score_icp_check(&owned->icp, &check) != PR_OK) {
            rc = pr_error_set(err, PR_INTERNAL, "%s: the loaded ICP fails the scoring check",
                              source);
            pr_error_detail(err, "%s", check.message);
            goto out;
        }
        *out = &owned->icp;
        a = NULL;
    }
out:
    if (raw != NULL)
        cyaml_free(&cc, &top_schema, raw, 0);
    assert(budget.n_live_bytes == 0);
    buf_free(&cap.detail);
    arena_free(a);
    return rc;
}

/* Reads at most ICP_MAX_BYTES (+1 to notice a larger file) through a bounded buffer, so a huge
 * or endless file (a FIFO, /dev/zero) never makes us allocate more than the limit. */
static enum pr_code read_file(const char *path, struct buf *content, struct pr_error *err)
{
    int fd;
    struct stat st;
    char chunk[8192];
    enum pr_code rc = PR_OK;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = pr_error_set(err, PR_IO, "%s: cannot open: %s", path, strerror(errno));
        pr_error_hint(err, "check that %s exists and is readable, or give another file", path);
        return rc;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > ICP_MAX_BYTES) {
        rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than 1 MiB (%lld bytes)", path,
                          (long long)st.st_size);
        pr_error_hint(err, "an ICP file this large is a mistake; check %s", path);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = pr_error_set(err, PR_IO, "%s: cannot read: %s", path, strerror(errno));
            pr_error_hint(err, "check that %s is a readable file", path);
            goto out;
        }
        if (n == 0)
            break;
        if (buf_append(content, chunk, (size_t)n) != PR_OK) {
            rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than 1 MiB", path);
            pr_error_hint(err, "an ICP file this large is a mistake; check %s", path);
            goto out;
        }
    }
out:
    close(fd);
    return rc;
}

enum pr_code icp_load(const char *path, struct icp **out, struct pr_error *err)
{
    struct buf content;
    enum pr_code rc;

    assert(path != NULL && out != NULL && err != NULL);
    pr_error_clear(err);
    *out = NULL;
    buf_init(&content, ICP_MAX_BYTES);
    rc = read_file(path, &content, err);
    if (rc == PR_OK)
        rc = icp_parse_text(buf_cstr(&content), content.len, path, out, err);
    buf_free(&content);
    return rc;
}

void icp_free(struct icp *icp)
{
    struct icp_owned *owned;

    if (icp == NULL)
        return;
    owned = (struct icp_owned *)(void *)((char *)icp - offsetof(struct icp_owned, icp));
    arena_free(owned->arena);
}
