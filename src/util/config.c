/*
 * Configuration loading: defaults, then one YAML file, then PROSPECT_* environment overrides.
 *
 * Every key is one row of `config_keys` below: its section and name, its kind (which decides
 * how the text is checked and stored), its default as text, its limits and where it lives in
 * struct config. Everything else is derived from that table: the libcyaml schema (built on the
 * stack for each load), the environment variable names (PROSPECT_<SECTION>_<NAME>, upper case)
 * and the messages; config_free walks it too. Adding a key is one row here plus its field in
 * struct config (and its line in docs/config.md and prospect.example.yaml).
 *
 * libcyaml reads every scalar as a string, so all type checking happens here and a bad value
 * is reported with the key and the text that was found. libcyaml's own messages (unknown keys,
 * a list where a string belongs, YAML syntax errors) are captured through its log callback,
 * never printed, and translated into one message; its raw text goes to err->detail.
 *
 * Each layer is validated as it is applied: a bad value in the file is an error even when an
 * environment variable overrides it, so a file is never silently half-valid.
 */
#include "config.h"

#include "mem.h"
#include "str.h"

#include <cyaml/cyaml.h>

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files (and texts) larger than this are rejected before they are read in full. */
#define CONFIG_MAX_BYTES (1024 * 1024)

/* Values longer than this are cut (with "...") when quoted in a message. */
#define CONFIG_QUOTE_MAX 60

/*
 * Most memory libcyaml may hold at once for one document. Aliases let a 1 MiB file expand
 * without bound (a long anchored string repeated by thousands of *aliases), so the allocator
 * given to libcyaml refuses past this and the load fails with a message instead of an abort.
 */
#define CONFIG_MAX_EXPANDED_BYTES (64 * 1024 * 1024)

#define CONFIG_DEFAULTS_SOURCE "(defaults)"
#define CONFIG_TEXT_SOURCE     "(text)"

enum key_kind {
    KIND_TEXT,      /* char *, length within [min, max] bytes */
    KIND_INT,       /* int, base-10 integer within [min, max] */
    KIND_LOG_LEVEL, /* enum log_level, via log_level_parse */
    KIND_REGION,    /* char *, two ASCII letters stored upper case */
    KIND_TEXT_LIST, /* char ** + size_t count, each entry as KIND_TEXT; file only */
};

struct config_key {
    const char *section;
    const char *name;
    enum key_kind kind;
    const char *default_value; /* NULL: unset (text kinds) or empty (lists) */
    long long min;
    long long max;
    const char *noun;    /* what a text value is, for messages: "path", "host name or address" */
    size_t offset;       /* of the field in struct config */
    size_t count_offset; /* KIND_TEXT_LIST: of the size_t count in struct config */
};

/* One row per key; the macros only keep each row on one line. */
/* clang-format off */
#define FIELD(member) offsetof(struct config, member)
#define KEY_TEXT(section, name, def, max, noun, member) \
    {section, name, KIND_TEXT, def, 1, max, noun, FIELD(member), 0}
#define KEY_INT(section, name, def, min, max, member) \
    {section, name, KIND_INT, def, min, max, NULL, FIELD(member), 0}
#define KEY_LOG_LEVEL(section, name, def, member) \
    {section, name, KIND_LOG_LEVEL, def, 0, 0, NULL, FIELD(member), 0}
#define KEY_REGION(section, name, def, member) \
    {section, name, KIND_REGION, def, 0, 0, NULL, FIELD(member), 0}
#define KEY_TEXT_LIST(section, name, noun, member, count_member) \
    {section, name, KIND_TEXT_LIST, NULL, 1, CONFIG_MAX_BYTES, noun, FIELD(member), \
     FIELD(count_member)}
/* clang-format on */

static const struct config_key config_keys[] = {
    KEY_TEXT("database", "path", "var/prospect.db", PATH_MAX - 1, "path", database_path),
    KEY_INT("database", "busy_timeout_ms", "5000", 0, 600000, database_busy_timeout_ms),
    KEY_LOG_LEVEL("log", "level", "info", log_level),
    KEY_TEXT_LIST("log", "redact", "string", log_redact, n_log_redact),
    KEY_TEXT("secrets", "key_file", NULL, PATH_MAX - 1, "path", secrets_key_file),
    KEY_TEXT("server", "address", "127.0.0.1", 255, "host name or address", server_address),
    KEY_INT("server", "port", "8080", 1, 65535, server_port),
    KEY_REGION("tenant_defaults", "phone_region", "US", phone_region),
};

#define N_KEYS (sizeof config_keys / sizeof config_keys[0])

/* Where a value came from; decides the source and the hint in messages. */
enum origin_kind { ORIGIN_DEFAULT, ORIGIN_FILE, ORIGIN_ENV };

struct origin {
    enum origin_kind kind;
    const char *source; /* file name or environment variable name */
};

/*
 * What libcyaml fills in. Every section is the same generic struct (only the slots of its own
 * keys are used), so the schema can be built from the table: slot i belongs to config_keys[i].
 */
struct raw_section {
    char *scalars[N_KEYS];
    char **lists[N_KEYS];
    unsigned list_counts[N_KEYS];
};

struct raw_doc {
    struct raw_section *sections[N_KEYS];
};

/* The libcyaml schema derived from config_keys, built for each load (it is small). */
struct schema {
    char section_names[N_KEYS][32];
    size_t n_sections;
    size_t key_section[N_KEYS]; /* section index of each key */
    cyaml_schema_field_t section_fields[N_KEYS][N_KEYS + 1];
    cyaml_schema_field_t top_fields[N_KEYS + 1];
    cyaml_schema_value_t top;
};

static const cyaml_schema_value_t list_entry_schema = {
    .type = CYAML_STRING,
    .flags = CYAML_FLAG_POINTER,
    .data_size = sizeof(char),
    .string = {.min = 0, .max = CYAML_UNLIMITED},
};

/* libcyaml's messages for one load, one entry per log call. */
#define CAPTURE_MAX_LINES 16

struct capture {
    char lines[CAPTURE_MAX_LINES][256];
    size_t n_lines;
    struct buf detail; /* all lines joined, for err->detail */
    bool has_extra_documents;
};

/* ---- helpers for messages ---- */

static void key_path(const struct config_key *k, char *out, size_t size)
{
    int written = snprintf(out, size, "%s.%s", k->section, k->name);

    assert(written > 0 && (size_t)written < size); /* static table, short names */
    (void)written;
}

static void upper_case_ascii(char *text)
{
    for (char *p = text; *p != '\0'; p++) {
        if (*p >= 'a' && *p <= 'z')
            *p = (char)(*p - 'a' + 'A');
    }
}

/* PROSPECT_<SECTION>_<NAME> in upper case: the one rule that names environment variables. */
static void key_env_name(const struct config_key *k, char *out, size_t size)
{
    int written = snprintf(out, size, "PROSPECT_%s_%s", k->section, k->name);

    assert(written > 0 && (size_t)written < size);
    (void)written;
    upper_case_ascii(out);
}

/*
 * Copies `text` for a message: control characters, quotes and backslashes escaped, cut after
 * CONFIG_QUOTE_MAX bytes (on a UTF-8 boundary) with "..." appended. `out` holds at least
 * 4 * CONFIG_QUOTE_MAX + 4 bytes.
 */
static void quote_for_message(const char *text, char *out, size_t size)
{
    size_t len = strlen(text);
    size_t cut = len;
    size_t used = 0;

    assert(size >= 4 * CONFIG_QUOTE_MAX + 4);
    if (len > CONFIG_QUOTE_MAX) {
        cut = CONFIG_QUOTE_MAX;
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

/* Sets `<source>: <key>: expected <what>, got "<value>"` and the hint for the origin. */
static enum pr_code value_error(struct pr_error *err, const struct origin *o,
                                const struct config_key *k, const char *key_display,
                                const char *what, const char *value)
{
    char quoted[4 * CONFIG_QUOTE_MAX + 4];
    char path[96];

    quote_for_message(value, quoted, sizeof quoted);
    key_path(k, path, sizeof path);
    pr_error_set(err, PR_CONFIG, "%s: %s: expected %s, got \"%s\"", o->source, key_display, what,
                 quoted);
    switch (o->kind) {
    case ORIGIN_ENV:
        pr_error_hint(err, "fix or unset %s (it overrides %s)", o->source, path);
        break;
    case ORIGIN_FILE:
        pr_error_hint(err, "fix the value of %s in %s", key_display, o->source);
        break;
    case ORIGIN_DEFAULT:
        pr_error_hint(err, "the built-in default for %s is invalid; this is a bug", path);
        break;
    }
    return PR_CONFIG;
}

/* ---- checking and storing one value ---- */

static bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ascii_letter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Base 10 only, optional sign, no spaces, no trailing bytes, within [min, max]. */
static bool parse_int(const char *text, long long min, long long max, long long *out)
{
    char *end = NULL;
    long long value;

    if (!(text[0] == '-' || text[0] == '+' || is_ascii_digit(text[0])))
        return false;
    errno = 0;
    value = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0')
        return false;
    if (value < min || value > max)
        return false;
    *out = value;
    return true;
}

/*
 * What key `k` expects, in words, for "expected <what>". `value` (may be NULL) is the rejected
 * text, used to pick the wording for texts; `is_entry` asks about one entry of a list.
 */
static void describe_expected(const struct config_key *k, const char *value, bool is_entry,
                              char *what, size_t size)
{
    struct buf b;

    buf_init(&b, size - 1); /* past the maximum the words are cut, never overflow */
    switch (k->kind) {
    case KIND_TEXT_LIST:
    case KIND_TEXT:
        if (k->kind == KIND_TEXT_LIST && !is_entry)
            (void)buf_printf(&b, "a list of non-empty %ss", k->noun);
        else if (value != NULL && (long long)strlen(value) > k->max)
            (void)buf_printf(&b, "a %s of at most %lld bytes", k->noun, k->max);
        else
            (void)buf_printf(&b, "a non-empty %s", k->noun);
        break;
    case KIND_INT:
        (void)buf_printf(&b, "an integer from %lld to %lld", k->min, k->max);
        break;
    case KIND_LOG_LEVEL:
        (void)buf_puts(&b, "one of ");
        for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
            (void)buf_puts(&b, log_level_name((enum log_level)i));
            (void)buf_puts(&b, i < LOG_ERROR ? ", " : "");
        }
        break;
    case KIND_REGION:
        (void)buf_puts(&b, "a two-letter country code (ISO 3166-1 alpha-2)");
        break;
    }
    memcpy(what, buf_cstr(&b), b.len + 1);
    buf_free(&b);
}

static bool text_fits(const struct config_key *k, const char *text)
{
    size_t len = strlen(text);
    return (long long)len >= k->min && (long long)len <= k->max;
}

/* Stores `text` (owned) in a char * field, freeing what was there. */
static void replace_text(void *field, char *text)
{
    char **slot = field;

    xfree(*slot);
    *slot = text;
}

static void free_text_list(char **list, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        explicit_bzero(list[i], strlen(list[i])); /* log.redact holds secrets */
        xfree(list[i]);
    }
    xfree(list);
}

/* Checks `value` for key `k` and stores it in `cfg`. Not for lists (see apply_list). */
static enum pr_code apply_value(struct config *cfg, const struct config_key *k, const char *value,
                                const struct origin *o, struct pr_error *err)
{
    void *field = (char *)cfg + k->offset;
    long long number = 0;
    enum log_level level = LOG_INFO;
    bool is_valid = false;

    switch (k->kind) {
    case KIND_TEXT:
        is_valid = text_fits(k, value);
        if (is_valid)
            replace_text(field, xstrdup(value));
        break;
    case KIND_INT:
        assert(k->min >= INT_MIN && k->max <= INT_MAX);
        is_valid = parse_int(value, k->min, k->max, &number);
        if (is_valid)
            *(int *)field = (int)number;
        break;
    case KIND_LOG_LEVEL:
        is_valid = log_level_parse(value, &level) == PR_OK;
        if (is_valid)
            *(enum log_level *)field = level;
        break;
    case KIND_REGION:
        is_valid = strlen(value) == 2 && is_ascii_letter(value[0]) && is_ascii_letter(value[1]);
        if (is_valid) {
            char *region = xstrdup(value);
            upper_case_ascii(region);
            replace_text(field, region);
        }
        break;
    case KIND_TEXT_LIST:
        assert(!"lists are applied with apply_list");
        break;
    }
    if (!is_valid) {
        char path[96];
        char what[128];

        key_path(k, path, sizeof path);
        describe_expected(k, value, false, what, sizeof what);
        return value_error(err, o, k, path, what, value);
    }
    return PR_OK;
}

/* Checks every entry of a list from the file, then replaces the list in `cfg`. */
static enum pr_code apply_list(struct config *cfg, const struct config_key *k, char **entries,
                               unsigned n_entries, const struct origin *o, struct pr_error *err)
{
    void *list_field = (char *)cfg + k->offset;
    void *count_field = (char *)cfg + k->count_offset;
    char ***list_slot = list_field;
    size_t *count_slot = count_field;
    char **copy = NULL;
    enum pr_code rc = PR_OK;

    assert(k->kind == KIND_TEXT_LIST);
    for (unsigned i = 0; i < n_entries; i++) {
        if (!text_fits(k, entries[i])) {
            char path[96];
            char display[128];
            char what[128];
            int written;

            key_path(k, path, sizeof path);
            written = snprintf(display, sizeof display, "%s[%u]", path, i);
            if (written < 0 || (size_t)written >= sizeof display)
                display[0] = '\0';
            describe_expected(k, entries[i], true, what, sizeof what);
            rc = value_error(err, o, k, display, what, entries[i]);
            goto out;
        }
    }
    copy = xcalloc(n_entries, sizeof *copy);
    for (unsigned i = 0; i < n_entries; i++)
        copy[i] = xstrdup(entries[i]);
    free_text_list(*list_slot, *count_slot);
    *list_slot = copy;
    *count_slot = n_entries;
out:
    return rc;
}

/* ---- libcyaml ---- */

/* Bytes libcyaml holds, for the CONFIG_MAX_EXPANDED_BYTES budget. */
struct alloc_budget {
    size_t n_live_bytes;
};

/* Every block given to libcyaml starts with its size, so realloc and free can keep the count. */
#define BLOCK_HEADER_SIZE sizeof(max_align_t)

/*
 * libcyaml's allocator: our wrappers (so real out-of-memory aborts as everywhere else) under
 * a budget. Past the budget it returns NULL, which libcyaml reports as CYAML_ERR_OOM with the
 * original block untouched, as its contract asks.
 */
static void *cyaml_mem_budgeted(void *ctx, void *ptr, size_t size)
{
    struct alloc_budget *budget = ctx;
    char *block = ptr != NULL ? (char *)ptr - BLOCK_HEADER_SIZE : NULL;
    size_t old_size = 0;

    if (block != NULL)
        memcpy(&old_size, block, sizeof old_size);
    if (size == 0) {
        budget->n_live_bytes -= old_size;
        xfree(block);
        return NULL;
    }
    if (size > CONFIG_MAX_EXPANDED_BYTES ||
        budget->n_live_bytes - old_size > CONFIG_MAX_EXPANDED_BYTES - size)
        return NULL;
    block = xrealloc(block, BLOCK_HEADER_SIZE + size);
    memcpy(block, &size, sizeof size);
    budget->n_live_bytes = budget->n_live_bytes - old_size + size;
    return block + BLOCK_HEADER_SIZE;
}

__attribute__((format(printf, 3, 0))) static void capture_log(cyaml_log_t level, void *ctx,
                                                              const char *fmt, va_list args)
{
    struct capture *cap = ctx;
    char line[256];
    size_t len;
    int written;
    bool is_notice;

    (void)level;
    written = vsnprintf(line, sizeof line, fmt, args);
    if (written < 0)
        return;
    len = strlen(line); /* the line may have been cut; that is fine for a message */
    while (len > 0 && line[len - 1] == '\n')
        line[--len] = '\0';
    /* Matched on the format, not the output: a key in the document could spell the words. */
    is_notice = strstr(fmt, "Ignoring documents after first") != NULL;
    if (is_notice)
        cap->has_extra_documents = true;
    if (!is_notice && cap->n_lines < CAPTURE_MAX_LINES) {
        memcpy(cap->lines[cap->n_lines], line, len + 1);
        cap->n_lines++;
    }
    if (cap->detail.len > 0)
        (void)buf_puts(&cap->detail, " | ");
    (void)buf_puts(&cap->detail, line); /* past its maximum the detail is simply cut */
}

static void schema_build(struct schema *s)
{
    size_t n_fields[N_KEYS] = {0};

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];
        size_t sec = 0;
        cyaml_schema_field_t *f;

        while (sec < s->n_sections && strcmp(s->section_names[sec], k->section) != 0)
            sec++;
        if (sec == s->n_sections) {
            int written =
                snprintf(s->section_names[sec], sizeof s->section_names[sec], "%s", k->section);
            assert(written > 0 && (size_t)written < sizeof s->section_names[sec]);
            (void)written;
            s->n_sections++;
        }
        s->key_section[i] = sec;
        f = &s->section_fields[sec][n_fields[sec]++];
        f->key = k->name;
        if (k->kind == KIND_TEXT_LIST) {
            f->data_offset = (uint32_t)(offsetof(struct raw_section, lists) + i * sizeof(char **));
            f->count_offset =
                (uint32_t)(offsetof(struct raw_section, list_counts) + i * sizeof(unsigned));
            f->count_size = sizeof(unsigned);
            f->value.type = CYAML_SEQUENCE;
            f->value.flags = (enum cyaml_flag)(CYAML_FLAG_POINTER_NULL_STR | CYAML_FLAG_OPTIONAL);
            f->value.data_size = sizeof(char *);
            f->value.sequence.entry = &list_entry_schema;
            f->value.sequence.min = 0;
            f->value.sequence.max = CYAML_UNLIMITED;
        } else {
            f->data_offset = (uint32_t)(offsetof(struct raw_section, scalars) + i * sizeof(char *));
            f->value.type = CYAML_STRING;
            f->value.flags = (enum cyaml_flag)(CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL);
            f->value.data_size = sizeof(char);
            f->value.string.min = 0;
            f->value.string.max = CYAML_UNLIMITED;
        }
    }
    /*
     * Sections and lists accept a null value ("secrets:" with every key commented out, "~") as
     * empty. Scalars do not: "path:" is an empty string, which the checks reject, rather than a
     * silent fall back to the default. Each field array ends with a zeroed entry (key NULL), as
     * memset left it.
     */
    for (size_t sec = 0; sec < s->n_sections; sec++) {
        cyaml_schema_field_t *f = &s->top_fields[sec];

        f->key = s->section_names[sec];
        f->data_offset =
            (uint32_t)(offsetof(struct raw_doc, sections) + sec * sizeof(struct raw_section *));
        f->value.type = CYAML_MAPPING;
        f->value.flags = (enum cyaml_flag)(CYAML_FLAG_POINTER_NULL_STR | CYAML_FLAG_OPTIONAL);
        f->value.data_size = sizeof(struct raw_section);
        f->value.mapping.fields = s->section_fields[sec];
    }
    s->top.type = CYAML_MAPPING;
    s->top.flags = CYAML_FLAG_POINTER;
    s->top.data_size = sizeof(struct raw_doc);
    s->top.mapping.fields = s->top_fields;
}

static void cyaml_config_init(cyaml_config_t *cc, struct capture *cap, struct alloc_budget *budget)
{
    memset(cc, 0, sizeof *cc);
    cc->log_fn = capture_log;
    cc->log_ctx = cap;
    cc->mem_fn = cyaml_mem_budgeted;
    cc->mem_ctx = budget;
    cc->log_level = CYAML_LOG_WARNING;
    cc->flags = CYAML_CFG_DEFAULT;
}

/* libcyaml's names for schema types and YAML events, in words. */
static const char *event_words(const char *name, size_t len)
{
    static const struct {
        const char *name;
        const char *words;
    } table[] = {
        {"MAPPING", "a mapping"},     {"MAPPING_START", "a mapping"}, {"STRING", "a string"},
        {"SCALAR", "a scalar"},       {"SEQUENCE", "a list"},         {"SEQUENCE_START", "a list"},
        {"SEQUENCE_FIXED", "a list"}, {"INT", "an integer"},          {"ALIAS", "an alias"},
    };

    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (strlen(table[i].name) == len && memcmp(table[i].name, name, len) == 0)
            return table[i].words;
    }
    return NULL;
}

/* What we understand of libcyaml's captured messages. */
struct cyaml_report {
    const char *message; /* first non-backtrace line without "Load: ", or NULL */
    char path[160];      /* dotted key path from the backtrace, outermost first */
    unsigned line;       /* innermost position from the backtrace, 0 when unknown */
    unsigned column;
    bool is_list_entry; /* the innermost backtrace frame is an entry of a list */
};

/* The key named "section.name", or NULL. */
static const struct config_key *key_by_path(const char *path)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        char candidate[96];

        key_path(&config_keys[i], candidate, sizeof candidate);
        if (strcmp(candidate, path) == 0)
            return &config_keys[i];
    }
    return NULL;
}

static void report_parse(const struct capture *cap, struct cyaml_report *r)
{
    const char *names[CAPTURE_MAX_LINES];
    size_t name_lens[CAPTURE_MAX_LINES];
    size_t n_names = 0;
    bool in_backtrace = false;
    struct buf path;

    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < cap->n_lines; i++) {
        const char *line = cap->lines[i];
        const char *text = strncmp(line, "Load: ", 6) == 0 ? line + 6 : line;

        if (strcmp(text, "Backtrace:") == 0) {
            in_backtrace = true;
            continue;
        }
        if (!in_backtrace) {
            if (r->message == NULL)
                r->message = text;
            continue;
        }
        if (r->line == 0) {
            const char *pos = strrchr(line, '(');
            unsigned l = 0, c = 0;

            if (pos != NULL && sscanf(pos, "(line: %u, column: %u)", &l, &c) == 2) {
                r->line = l;
                r->column = c;
            }
            r->is_list_entry = strncmp(line, "  in sequence entry ", 20) == 0;
        }
        if (strncmp(line, "  in mapping field '", 20) == 0) {
            const char *start = line + 20;
            const char *end = strstr(start, "' (line: ");

            if (end != NULL && n_names < CAPTURE_MAX_LINES) {
                names[n_names] = start;
                name_lens[n_names] = (size_t)(end - start);
                n_names++;
            }
        }
    }
    /* The backtrace runs innermost first; keys read outermost first. */
    buf_init(&path, sizeof r->path - 1);
    for (size_t i = n_names; i > 0; i--) {
        if (path.len > 0)
            (void)buf_putc(&path, '.');
        (void)buf_append(&path, names[i - 1], name_lens[i - 1]);
    }
    memcpy(r->path, buf_cstr(&path), path.len + 1);
    buf_free(&path);
}

/* "valid keys in server: address, port" or "valid sections: database, log, ..." */
static void valid_keys_hint(const struct schema *s, const char *section, struct pr_error *err)
{
    struct buf list;
    bool is_known_section = false;

    buf_init(&list, sizeof err->hint - 1);
    for (size_t sec = 0; sec < s->n_sections; sec++) {
        if (section[0] == '\0') {
            (void)buf_puts(&list, list.len > 0 ? ", " : "");
            (void)buf_puts(&list, s->section_names[sec]);
        } else if (strcmp(section, s->section_names[sec]) == 0) {
            is_known_section = true;
            for (size_t i = 0; i < N_KEYS; i++) {
                if (s->key_section[i] != sec)
                    continue;
                (void)buf_puts(&list, list.len > 0 ? ", " : "");
                (void)buf_puts(&list, config_keys[i].name);
            }
        }
    }
    if (section[0] == '\0')
        pr_error_hint(err, "valid sections: %s; see docs/config.md", buf_cstr(&list));
    else if (is_known_section)
        pr_error_hint(err, "valid keys in %s: %s; see docs/config.md", section, buf_cstr(&list));
    else
        pr_error_hint(err, "see docs/config.md for the valid keys");
    buf_free(&list);
}

/* First line of `text` that starts with a tab in its indentation (1-based), or 0. */
static unsigned tab_indented_line(const char *text, size_t len)
{
    unsigned line = 1;
    bool at_indent = true;

    for (size_t i = 0; i < len; i++) {
        char c = text[i];

        if (c == '\n') {
            line++;
            at_indent = true;
        } else if (at_indent && c == '\t') {
            return line;
        } else if (c != ' ') {
            at_indent = false;
        }
    }
    return 0;
}

/*
 * True when `text` holds no content: only blank lines, comments, directives and document
 * markers. libcyaml reads such a document ("---" alone) as a null scalar where it expects the
 * top-level mapping; for us it is an empty file.
 */
static bool is_blank_document(const char *text, size_t len)
{
    size_t i = 0;

    while (i < len) {
        size_t end = i;
        size_t start;

        while (end < len && text[end] != '\n')
            end++;
        start = i;
        while (start < end && (text[start] == ' ' || text[start] == '\t' || text[start] == '\r'))
            start++;
        if (start < end && text[start] != '#' && text[start] != '%') {
            bool is_marker = end - start >= 3 && (memcmp(text + start, "---", 3) == 0 ||
                                                  memcmp(text + start, "...", 3) == 0);
            size_t rest = start + 3;

            if (!is_marker)
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

/* Turns a failed cyaml_load_data into one PR_CONFIG error. */
static enum pr_code yaml_error(cyaml_err_t code, const struct capture *cap, const struct schema *s,
                               const char *source, const char *yaml, size_t len,
                               struct pr_error *err)
{
    struct cyaml_report r;
    char key[4 * CONFIG_QUOTE_MAX + 4];
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
        char name[4 * CONFIG_QUOTE_MAX + 4];

        quote_for_message(msg + 16, name, sizeof name);
        if (r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: %s: unknown key", source, name);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s.%s: unknown key", source, key, name);
        valid_keys_hint(s, r.path, err);
    } else if (code == CYAML_ERR_INVALID_VALUE && strncmp(msg, "Expecting ", 10) == 0 &&
               got_at != NULL) {
        const char *expected = event_words(msg + 10, (size_t)(got_at - (msg + 10)));
        const char *got = event_words(got_at + 13, strlen(got_at + 13));
        const struct config_key *k = key_by_path(r.path);
        char what[128];

        if (expected == NULL || got == NULL) {
            pr_error_set(err, PR_CONFIG, "%s: %s%s%s%s", source, key, r.path[0] ? ": " : "", msg,
                         where);
        } else if (k != NULL && r.is_list_entry) {
            describe_expected(k, NULL, true, what, sizeof what);
            pr_error_set(err, PR_CONFIG, "%s: %s: expected each entry to be %s, got %s%s", source,
                         key, what, got, where);
        } else if (k != NULL) {
            describe_expected(k, NULL, false, what, sizeof what);
            pr_error_set(err, PR_CONFIG, "%s: %s: expected %s, got %s%s", source, key, what, got,
                         where);
        } else if (r.path[0] == '\0') {
            pr_error_set(err, PR_CONFIG,
                         "%s: expected a mapping of sections at the top level, got %s", source,
                         got);
        } else {
            pr_error_set(err, PR_CONFIG, "%s: %s: expected %s, got %s%s", source, key, expected,
                         got, where);
        }
        pr_error_hint(err, "fix the structure of %s; see docs/config.md", source);
    } else if (code == CYAML_ERR_UNEXPECTED_EVENT &&
               strncmp(msg, "Mapping field already seen: ", 28) == 0) {
        char name[4 * CONFIG_QUOTE_MAX + 4];
        size_t path_len = strlen(r.path);
        size_t name_len = strlen(msg + 28);
        bool path_ends_with_name =
            path_len >= name_len && strcmp(r.path + path_len - name_len, msg + 28) == 0;

        quote_for_message(msg + 28, name, sizeof name);
        if (path_ends_with_name || r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: %s: duplicate key", source, r.path[0] ? key : name);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s.%s: duplicate key", source, key, name);
        pr_error_hint(err, "give each key once in %s", source);
    } else if (code == CYAML_ERR_LIBYAML_PARSER) {
        unsigned tab_line = tab_indented_line(yaml, len);
        const char *text = strncmp(msg, "libyaml: ", 9) == 0 ? msg + 9 : msg;

        if (r.line > 0)
            pr_error_set(err, PR_CONFIG, "%s: invalid YAML near line %u, column %u: %s", source,
                         r.line, r.column, text);
        else
            pr_error_set(err, PR_CONFIG, "%s: invalid YAML: %s", source, text);
        if (tab_line > 0)
            pr_error_hint(err, "line %u is indented with a tab; YAML allows only spaces", tab_line);
        else
            pr_error_hint(err, "fix the YAML syntax of %s", source);
    } else if (code == CYAML_ERR_INVALID_ALIAS &&
               strncmp(msg, "No anchor found for alias: ", 27) == 0) {
        char name[4 * CONFIG_QUOTE_MAX + 4];

        quote_for_message(msg + 27, name, sizeof name); /* still in libcyaml's quotes */
        if (r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: alias %s has no anchor%s", source, name, where);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s: alias %s has no anchor%s", source, key, name,
                         where);
        pr_error_hint(err, "define the anchor (&name) before its alias (*name) in %s", source);
    } else if (code == CYAML_ERR_OOM) {
        pr_error_set(err, PR_CONFIG,
                     "%s: document too large once aliases are expanded (over %d MiB)", source,
                     CONFIG_MAX_EXPANDED_BYTES / (1024 * 1024));
        pr_error_hint(err, "repeat fewer aliases (*name) in %s", source);
    } else if (code == CYAML_ERR_INTERNAL_ERROR) {
        /* In practice: a mapping key that is itself a list or mapping; libcyaml says nothing
         * useful and its backtrace points at the previous key, so name no key. */
        pr_error_set(err, PR_CONFIG, "%s: unsupported YAML (libcyaml: %s)", source,
                     cyaml_strerror(code));
        pr_error_hint(err, "mapping keys must be plain strings; fix %s", source);
    } else {
        char text[4 * CONFIG_QUOTE_MAX + 4];

        quote_for_message(msg, text, sizeof text);
        if (r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: %s", source, text);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s: %s%s", source, key, text, where);
        pr_error_hint(err, "fix %s; see docs/config.md", source);
    }
    pr_error_detail(err, "libcyaml: %s: %s", cyaml_strerror(code),
                    cap->detail.len > 0 ? buf_cstr(&cap->detail) : "(no message)");
    return PR_CONFIG;
}

/* Wipes the strings of lists before libcyaml frees them: log.redact holds secrets. */
static void raw_wipe_lists(struct raw_doc *raw, const struct schema *s)
{
    for (size_t i = 0; i < N_KEYS; i++) {
        struct raw_section *sec = raw->sections[s->key_section[i]];

        if (sec == NULL || sec->lists[i] == NULL)
            continue;
        for (unsigned j = 0; j < sec->list_counts[i]; j++) {
            if (sec->lists[i][j] != NULL)
                explicit_bzero(sec->lists[i][j], strlen(sec->lists[i][j]));
        }
    }
}

/* ---- layers ---- */

static enum pr_code apply_defaults(struct config *cfg, struct pr_error *err)
{
    const struct origin o = {ORIGIN_DEFAULT, CONFIG_DEFAULTS_SOURCE};
    enum pr_code rc = PR_OK;

    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];

        if (k->default_value == NULL || k->kind == KIND_TEXT_LIST)
            continue;
        rc = apply_value(cfg, k, k->default_value, &o, err);
        if (rc != PR_OK)
            goto out;
    }
out:
    return rc;
}

static enum pr_code apply_file(struct config *cfg, const struct raw_doc *raw,
                               const struct schema *s, const char *source, struct pr_error *err)
{
    const struct origin o = {ORIGIN_FILE, source};
    enum pr_code rc = PR_OK;

    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];
        const struct raw_section *sec = raw->sections[s->key_section[i]];

        if (sec == NULL)
            continue;
        if (k->kind == KIND_TEXT_LIST) {
            if (sec->lists[i] != NULL || sec->list_counts[i] > 0)
                rc = apply_list(cfg, k, sec->lists[i], sec->list_counts[i], &o, err);
        } else if (sec->scalars[i] != NULL) {
            rc = apply_value(cfg, k, sec->scalars[i], &o, err);
        }
        if (rc != PR_OK)
            goto out;
    }
out:
    return rc;
}

/* The value of `name` in a NULL-terminated "NAME=value" array (first match), or NULL. */
static const char *env_lookup(char *const *envp, const char *name)
{
    size_t len = strlen(name);

    for (size_t i = 0; envp != NULL && envp[i] != NULL; i++) {
        if (strncmp(envp[i], name, len) == 0 && envp[i][len] == '=')
            return envp[i] + len + 1;
    }
    return NULL;
}

static enum pr_code apply_env(struct config *cfg, char *const *envp, struct pr_error *err)
{
    enum pr_code rc = PR_OK;

    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];
        char name[96];
        const char *value;
        struct origin o = {ORIGIN_ENV, name};

        if (k->kind == KIND_TEXT_LIST)
            continue; /* lists come from the file only */
        key_env_name(k, name, sizeof name);
        value = env_lookup(envp, name);
        if (value == NULL)
            continue;
        rc = apply_value(cfg, k, value, &o, err);
        if (rc != PR_OK)
            goto out;
    }
out:
    return rc;
}

/* ---- public ---- */

/* The whole load: `yaml` NULL means no file (defaults and environment only). */
static enum pr_code config_build(const char *yaml, size_t len, const char *source,
                                 char *const *envp, struct config **out, struct pr_error *err)
{
    struct config *cfg = NULL;
    struct raw_doc *raw = NULL;
    struct schema *schema = NULL;
    struct capture *cap = NULL;
    struct alloc_budget budget = {0};
    cyaml_config_t cc;
    enum pr_code rc = PR_OK;

    assert(out != NULL && err != NULL);
    memset(&cc, 0, sizeof cc);
    pr_error_clear(err);
    *out = NULL;
    if (yaml != NULL && len > CONFIG_MAX_BYTES) {
        rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than 1 MiB (%zu bytes)", source, len);
        pr_error_hint(err, "a configuration file this large is a mistake; check %s", source);
        goto out;
    }

    cfg = xcalloc(1, sizeof *cfg);
    cfg->source = xstrdup(source);
    rc = apply_defaults(cfg, err);
    if (rc != PR_OK)
        goto out;

    if (yaml != NULL && len > 0) {
        cyaml_err_t cyaml_rc;

        schema = xmalloc(sizeof *schema);
        cap = xcalloc(1, sizeof *cap);
        schema_build(schema);
        buf_init(&cap->detail, sizeof err->detail - 32);
        cyaml_config_init(&cc, cap, &budget);
        cyaml_rc = cyaml_load_data((const uint8_t *)yaml, len, &cc, &schema->top,
                                   (cyaml_data_t **)&raw, NULL);
        if (cyaml_rc != CYAML_OK) {
            raw = NULL; /* untouched on failure, but be explicit */
            /* "---" alone is an empty file, not a scalar where the mapping belongs. */
            if (cyaml_rc != CYAML_ERR_INVALID_VALUE || !is_blank_document(yaml, len)) {
                rc = yaml_error(cyaml_rc, cap, schema, source, yaml, len, err);
                goto out;
            }
        }
        if (cap->has_extra_documents) {
            rc = pr_error_set(err, PR_CONFIG, "%s: more than one YAML document", source);
            pr_error_hint(err, "put all settings in one document (remove the extra '---')");
            goto out;
        }
        if (raw != NULL) {
            rc = apply_file(cfg, raw, schema, source, err);
            if (rc != PR_OK)
                goto out;
        }
    }

    rc = apply_env(cfg, envp, err);
    if (rc != PR_OK)
        goto out;
    *out = cfg;
    cfg = NULL;
out:
    if (raw != NULL) {
        raw_wipe_lists(raw, schema);
        cyaml_free(&cc, &schema->top, raw, 0);
    }
    assert(budget.n_live_bytes == 0);
    if (cap != NULL)
        buf_free(&cap->detail);
    xfree(cap);
    xfree(schema);
    config_free(cfg);
    return rc;
}

enum pr_code config_load_text(const char *yaml, size_t len, const char *source_name,
                              char *const *envp, struct config **out, struct pr_error *err)
{
    return config_build(yaml != NULL ? yaml : "", yaml != NULL ? len : 0,
                        source_name != NULL ? source_name : CONFIG_TEXT_SOURCE, envp, out, err);
}

/* Reads at most CONFIG_MAX_BYTES (+1 to notice a larger file) through a bounded buffer, so a
 * huge or endless file (a FIFO, /dev/zero) never makes us allocate more than the limit. */
static enum pr_code read_file(const char *path, struct buf *content, struct pr_error *err)
{
    int fd = -1;
    struct stat st;
    char chunk[8192];
    enum pr_code rc = PR_OK;

    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        rc = pr_error_set(err, PR_IO, "%s: cannot open: %s", path, strerror(errno));
        pr_error_hint(err, "check that %s exists and is readable, or give another file", path);
        goto out;
    }
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > CONFIG_MAX_BYTES) {
        rc = pr_error_set(err, PR_CONFIG, "%s: file is larger than 1 MiB (%lld bytes)", path,
                          (long long)st.st_size);
        pr_error_hint(err, "a configuration file this large is a mistake; check %s", path);
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
            pr_error_hint(err, "a configuration file this large is a mistake; check %s", path);
            goto out;
        }
    }
out:
    explicit_bzero(chunk, sizeof chunk);
    if (fd >= 0)
        close(fd);
    return rc;
}

enum pr_code config_load(const char *path, char *const *envp, struct config **out,
                         struct pr_error *err)
{
    struct buf content;
    enum pr_code rc;

    assert(out != NULL && err != NULL);
    buf_init(&content, CONFIG_MAX_BYTES);
    pr_error_clear(err);
    *out = NULL;
    if (path == NULL) {
        rc = config_build(NULL, 0, CONFIG_DEFAULTS_SOURCE, envp, out, err);
        goto out;
    }
    rc = read_file(path, &content, err);
    if (rc != PR_OK)
        goto out;
    rc = config_build(buf_cstr(&content), content.len, path, envp, out, err);
out:
    /* log.redact lists secrets. Best effort: copies freed while the buffer grew, and libyaml's
     * own buffers, are not wiped. */
    if (content.ptr != NULL)
        explicit_bzero(content.ptr, content.cap);
    buf_free(&content);
    return rc;
}

void config_free(struct config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];
        void *field = (char *)cfg + k->offset;

        if (k->kind == KIND_TEXT || k->kind == KIND_REGION) {
            replace_text(field, NULL);
        } else if (k->kind == KIND_TEXT_LIST) {
            void *count_field = (char *)cfg + k->count_offset;
            char ***list_slot = field;
            size_t *count_slot = count_field;

            free_text_list(*list_slot, *count_slot);
        }
    }
    xfree(cfg->source);
    xfree(cfg);
}
