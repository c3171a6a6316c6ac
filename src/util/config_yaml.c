/*
 * The libcyaml side of configuration loading: the schema derived from config__keys, the
 * allocator that caps what libcyaml may hold, and the capture of libcyaml's log messages and
 * their translation into one pr_error.
 *
 * libcyaml reads every scalar as a string (all type checking happens in config.c, which knows
 * each key's kind and limits), so the schema is one generic struct per section: slot i belongs
 * to config__keys[i]. libcyaml's own messages (unknown keys, a list where a string belongs, YAML
 * syntax errors) are captured through its log callback, never printed, and translated into one
 * message naming the file and the key; its raw text goes to err->detail.
 *
 * Aliases let a 1 MiB file expand without bound (a long anchored string repeated by thousands
 * of *aliases), so the allocator given to libcyaml refuses past CONFIG_MAX_EXPANDED_BYTES and
 * the load fails with a message instead of an abort.
 */
#include "config_int.h"

#include "mem.h"
#include "str.h"

#include <cyaml/cyaml.h>

#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Most memory libcyaml may hold at once for one document (see the top of the file). */
#define CONFIG_MAX_EXPANDED_BYTES (64 * 1024 * 1024)

/*
 * What libcyaml fills in. Every section is the same generic struct (only the slots of its own
 * keys are used), so the schema can be built from the table: slot i belongs to config__keys[i].
 */
struct raw_section {
    char *scalars[CONFIG__N_KEYS];
    char **lists[CONFIG__N_KEYS];
    unsigned list_counts[CONFIG__N_KEYS];
};

struct raw_doc {
    struct raw_section *sections[CONFIG__N_KEYS];
};

/* The libcyaml schema derived from config__keys, built for each load (it is small). */
struct schema {
    char section_names[CONFIG__N_KEYS][32];
    size_t n_sections;
    size_t key_section[CONFIG__N_KEYS]; /* section index of each key */
    cyaml_schema_field_t section_fields[CONFIG__N_KEYS][CONFIG__N_KEYS + 1];
    cyaml_schema_field_t top_fields[CONFIG__N_KEYS + 1];
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

/* ---- the capped allocator ---- */

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

/* ---- capturing libcyaml's messages ---- */

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

/* ---- the schema ---- */

static void schema_build(struct schema *s)
{
    size_t n_fields[CONFIG__N_KEYS] = {0};

    memset(s, 0, sizeof *s);
    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        const struct config__key *k = &config__keys[i];
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
        if (k->kind == CONFIG__KIND_TEXT_LIST) {
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

/* ---- translating libcyaml's messages into a pr_error ---- */

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
static const struct config__key *key_by_path(const char *path)
{
    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        char candidate[96];

        config__key_path(&config__keys[i], candidate, sizeof candidate);
        if (strcmp(candidate, path) == 0)
            return &config__keys[i];
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
            for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
                if (s->key_section[i] != sec)
                    continue;
                (void)buf_puts(&list, list.len > 0 ? ", " : "");
                (void)buf_puts(&list, config__keys[i].name);
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
    char key[CONFIG__QUOTED_SIZE];
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
    config__quote_for_message(r.path, key, sizeof key);

    if (code == CYAML_ERR_INVALID_KEY && strncmp(msg, "Unexpected key: ", 16) == 0) {
        char name[CONFIG__QUOTED_SIZE];

        config__quote_for_message(msg + 16, name, sizeof name);
        if (r.path[0] == '\0')
            pr_error_set(err, PR_CONFIG, "%s: %s: unknown key", source, name);
        else
            pr_error_set(err, PR_CONFIG, "%s: %s.%s: unknown key", source, key, name);
        valid_keys_hint(s, r.path, err);
    } else if (code == CYAML_ERR_INVALID_VALUE && strncmp(msg, "Expecting ", 10) == 0 &&
               got_at != NULL) {
        const char *expected = event_words(msg + 10, (size_t)(got_at - (msg + 10)));
        const char *got = event_words(got_at + 13, strlen(got_at + 13));
        const struct config__key *k = key_by_path(r.path);
        char what[128];

        if (expected == NULL || got == NULL) {
            pr_error_set(err, PR_CONFIG, "%s: %s%s%s%s", source, key, r.path[0] ? ": " : "", msg,
                         where);
        } else if (k != NULL && r.is_list_entry) {
            config__describe_expected(k, NULL, true, what, sizeof what);
            pr_error_set(err, PR_CONFIG, "%s: %s: expected each entry to be %s, got %s%s", source,
                         key, what, got, where);
        } else if (k != NULL) {
            config__describe_expected(k, NULL, false, what, sizeof what);
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
        char name[CONFIG__QUOTED_SIZE];
        size_t path_len = strlen(r.path);
        size_t name_len = strlen(msg + 28);
        bool path_ends_with_name =
            path_len >= name_len && strcmp(r.path + path_len - name_len, msg + 28) == 0;

        config__quote_for_message(msg + 28, name, sizeof name);
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
        char name[CONFIG__QUOTED_SIZE];

        config__quote_for_message(msg + 27, name, sizeof name); /* still in libcyaml's quotes */
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
        char text[CONFIG__QUOTED_SIZE];

        config__quote_for_message(msg, text, sizeof text);
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

/* ---- the document ---- */

/* Wipes the strings of lists before libcyaml frees them: log.redact holds secrets. */
static void raw_wipe_lists(struct raw_doc *raw, const struct schema *s)
{
    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        struct raw_section *sec = raw->sections[s->key_section[i]];

        if (sec == NULL || sec->lists[i] == NULL)
            continue;
        for (unsigned j = 0; j < sec->list_counts[i]; j++) {
            if (sec->lists[i][j] != NULL)
                explicit_bzero(sec->lists[i][j], strlen(sec->lists[i][j]));
        }
    }
}

struct config__yaml_doc {
    struct raw_doc *raw; /* NULL when the document holds nothing */
    struct schema schema;
    struct capture cap; /* libcyaml's log context, alive until cyaml_free */
    struct alloc_budget budget;
    cyaml_config_t cc;
};

/* Frees what libcyaml allocated and `doc` itself. */
static void doc_free(struct config__yaml_doc *doc)
{
    if (doc->raw != NULL) {
        raw_wipe_lists(doc->raw, &doc->schema);
        cyaml_free(&doc->cc, &doc->schema.top, doc->raw, 0);
    }
    assert(doc->budget.n_live_bytes == 0);
    buf_free(&doc->cap.detail);
    xfree(doc);
}

enum pr_code config__yaml_parse(const char *yaml, size_t len, const char *source,
                                struct config__yaml_doc **out, struct pr_error *err)
{
    struct config__yaml_doc *doc = xcalloc(1, sizeof *doc);
    cyaml_err_t cyaml_rc;
    enum pr_code rc = PR_OK;

    assert(out != NULL && err != NULL);
    *out = NULL;
    schema_build(&doc->schema);
    buf_init(&doc->cap.detail, sizeof err->detail - 32);
    cyaml_config_init(&doc->cc, &doc->cap, &doc->budget);
    cyaml_rc = cyaml_load_data((const uint8_t *)yaml, len, &doc->cc, &doc->schema.top,
                               (cyaml_data_t **)&doc->raw, NULL);
    if (cyaml_rc != CYAML_OK) {
        doc->raw = NULL; /* untouched on failure, but be explicit */
        /* "---" alone is an empty file, not a scalar where the mapping belongs. */
        if (cyaml_rc != CYAML_ERR_INVALID_VALUE || !is_blank_document(yaml, len)) {
            rc = yaml_error(cyaml_rc, &doc->cap, &doc->schema, source, yaml, len, err);
            goto out;
        }
    }
    if (doc->cap.has_extra_documents) {
        rc = pr_error_set(err, PR_CONFIG, "%s: more than one YAML document", source);
        pr_error_hint(err, "put all settings in one document (remove the extra '---')");
        goto out;
    }
    if (doc->raw != NULL) {
        *out = doc;
        doc = NULL;
    }
out:
    if (doc != NULL)
        doc_free(doc);
    return rc;
}

bool config__yaml_value(const struct config__yaml_doc *doc, size_t key_index,
                        struct config__yaml_value *out)
{
    const struct raw_section *sec;

    assert(key_index < CONFIG__N_KEYS);
    memset(out, 0, sizeof *out);
    if (doc == NULL || doc->raw == NULL)
        return false;
    sec = doc->raw->sections[doc->schema.key_section[key_index]];
    if (sec == NULL)
        return false;
    if (config__keys[key_index].kind == CONFIG__KIND_TEXT_LIST) {
        out->entries = sec->lists[key_index];
        out->n_entries = sec->list_counts[key_index];
        return out->entries != NULL || out->n_entries > 0;
    }
    out->scalar = sec->scalars[key_index];
    return out->scalar != NULL;
}

void config__yaml_free(struct config__yaml_doc *doc)
{
    if (doc != NULL)
        doc_free(doc);
}
