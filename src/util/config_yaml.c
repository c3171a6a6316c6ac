/*
 * The libcyaml side of configuration loading: the schema derived from config__keys, and the
 * words and hooks that make util/yaml.c's messages speak of sections and keys. The allocator
 * cap (aliases let a 1 MiB file expand without bound) and the capture and translation of
 * libcyaml's messages live in util/yaml.c.
 *
 * libcyaml reads every scalar as a string (all type checking happens in config.c, which knows
 * each key's kind and limits), so the schema is one generic struct per section: slot i belongs
 * to config__keys[i].
 */
#include "config_int.h"

#include "mem.h"
#include "str.h"
#include "yaml.h"

#include <cyaml/cyaml.h>

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Most memory libcyaml may hold at once for one document (see util/yaml.h). */
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

/* ---- the words and hooks for util/yaml.c ---- */

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

/* "valid keys in server: address, port" or "valid sections: database, log, ..." */
static void valid_keys_hint(const void *ctx, const char *section, struct pr_error *err)
{
    const struct schema *s = ctx;
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

/* What the key at `path` expects, from its row in config__keys. */
static bool describe_expected(const void *ctx, const char *path, bool is_list_entry, char *what,
                              size_t size)
{
    const struct config__key *k = key_by_path(path);

    (void)ctx;
    if (k == NULL)
        return false;
    config__describe_expected(k, NULL, is_list_entry, what, size);
    return true;
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
    struct yaml_doc *yaml; /* never blank: a blank document gives no config__yaml_doc */
    struct raw_doc *raw;   /* the data of `yaml` */
    struct schema schema;  /* read by util/yaml.c until yaml_doc_free */
    struct yaml_format format;
};

/* Frees what libcyaml allocated and `doc` itself. */
static void doc_free(struct config__yaml_doc *doc)
{
    if (doc->raw != NULL)
        raw_wipe_lists(doc->raw, &doc->schema);
    yaml_doc_free(doc->yaml);
    xfree(doc);
}

enum pr_code config__yaml_parse(const char *yaml, size_t len, const char *source,
                                struct config__yaml_doc **out, struct pr_error *err)
{
    struct config__yaml_doc *doc = xcalloc(1, sizeof *doc);
    enum pr_code rc;

    assert(out != NULL && err != NULL);
    *out = NULL;
    schema_build(&doc->schema);
    doc->format = (struct yaml_format){
        .schema = &doc->schema.top,
        .max_expanded_bytes = CONFIG_MAX_EXPANDED_BYTES,
        .docs = "docs/config.md",
        .top_level_noun = "sections",
        .string_words = "a string",
        .scalar_words = "a scalar",
        .one_document_hint = "put all settings in one document (remove the extra '---')",
        .has_list_indexes = false,
        .is_syntax_error_after_key = false,
        .valid_keys_hint = valid_keys_hint,
        .describe_expected = describe_expected,
        .ctx = &doc->schema,
    };
    rc = yaml_load(yaml, len, source, &doc->format, &doc->yaml, err);
    doc->raw = yaml_doc_data(doc->yaml);
    if (rc == PR_OK && doc->raw != NULL) {
        *out = doc;
        doc = NULL;
    }
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
