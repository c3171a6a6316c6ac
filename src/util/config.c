/*
 * Configuration loading: defaults, then one YAML file, then PROSPECT_* environment overrides.
 *
 * Every key is one row of `config__keys` below: its section and name, its kind (which decides
 * how the text is checked and stored), its default as text, its limits and where it lives in
 * struct config. Everything else is derived from that table: the libcyaml schema (config_yaml.c
 * builds it for each load), the environment variable names (PROSPECT_<SECTION>_<NAME>, upper
 * case) and the messages; config_free walks it too. Adding a key is one row here, its field in
 * struct config and one more in CONFIG__N_KEYS (config_int.h; the build fails until it matches),
 * and its line in docs/config.md and prospect.example.yaml.
 *
 * libcyaml reads every scalar as a string, so all type checking happens here and a bad value
 * is reported with the key and the text that was found. Reading the file and turning libcyaml's
 * own messages into one error is config_yaml.c's part.
 *
 * Each layer is validated as it is applied: a bad value in the file is an error even when an
 * environment variable overrides it, so a file is never silently half-valid.
 */
#include "config.h"
#include "config_int.h"
#include "yaml.h"

#include "mem.h"
#include "str.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files (and texts) larger than this are rejected before they are read in full. */
#define CONFIG_MAX_BYTES (1024 * 1024)

#define CONFIG_DEFAULTS_SOURCE "(defaults)"
#define CONFIG_TEXT_SOURCE     "(text)"

/* One row per key; the macros only keep each row on one line. */
/* clang-format off */
#define FIELD(member) offsetof(struct config, member)
#define KEY_TEXT(section, name, def, max, noun, member) \
    {section, name, CONFIG__KIND_TEXT, def, 1, max, noun, FIELD(member), 0}
#define KEY_INT(section, name, def, min, max, member) \
    {section, name, CONFIG__KIND_INT, def, min, max, NULL, FIELD(member), 0}
#define KEY_LOG_LEVEL(section, name, def, member) \
    {section, name, CONFIG__KIND_LOG_LEVEL, def, 0, 0, NULL, FIELD(member), 0}
#define KEY_REGION(section, name, def, member) \
    {section, name, CONFIG__KIND_REGION, def, 0, 0, NULL, FIELD(member), 0}
#define KEY_TEXT_LIST(section, name, noun, member, count_member) \
    {section, name, CONFIG__KIND_TEXT_LIST, NULL, 1, CONFIG_MAX_BYTES, noun, FIELD(member), \
     FIELD(count_member)}
/* clang-format on */

const struct config__key config__keys[] = {
    KEY_TEXT("database", "path", "var/prospect.db", PATH_MAX - 1, "path", database_path),
    KEY_INT("database", "busy_timeout_ms", "5000", 0, 600000, database_busy_timeout_ms),
    KEY_LOG_LEVEL("log", "level", "info", log_level),
    KEY_TEXT_LIST("log", "redact", "string", log_redact, n_log_redact),
    KEY_TEXT("secrets", "key_file", NULL, PATH_MAX - 1, "path", secrets_key_file),
    KEY_TEXT("server", "address", "127.0.0.1", 255, "host name or address", server_address),
    KEY_INT("server", "port", "8080", 1, 65535, server_port),
    KEY_REGION("tenant_defaults", "phone_region", "US", phone_region),
    KEY_INT("ingest", "window_days", "180", 0, 3650, ingest_window_days),
    KEY_INT("ingest", "fuzzy_threshold_pct", "92", 50, 100, ingest_fuzzy_threshold_pct),
    KEY_TEXT("scoring", "icp_file", NULL, PATH_MAX - 1, "path", scoring_icp_file),
    KEY_INT("jobs", "workers", "2", 1, 64, jobs_workers),
    KEY_INT("pipeline", "chunk_items", "5000", 10, 1000000, pipeline_chunk_items),
};

static_assert(sizeof config__keys / sizeof config__keys[0] == CONFIG__N_KEYS,
              "CONFIG__N_KEYS in config_int.h must count the rows of config__keys");

/* Where a value came from; decides the source and the hint in messages. */
enum origin_kind { ORIGIN_DEFAULT, ORIGIN_FILE, ORIGIN_ENV };

struct origin {
    enum origin_kind kind;
    const char *source; /* file name or environment variable name */
};

/* ---- helpers for messages ---- */

void config__key_path(const struct config__key *k, char *out, size_t size)
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
static void key_env_name(const struct config__key *k, char *out, size_t size)
{
    int written = snprintf(out, size, "PROSPECT_%s_%s", k->section, k->name);

    assert(written > 0 && (size_t)written < size);
    (void)written;
    upper_case_ascii(out);
}

/* Sets `<source>: <key>: expected <what>, got "<value>"` and the hint for the origin. */
static enum pr_code value_error(struct pr_error *err, const struct origin *o,
                                const struct config__key *k, const char *key_display,
                                const char *what, const char *value)
{
    char quoted[YAML_QUOTED_SIZE];
    char path[96];

    yaml_quote_for_message(value, quoted, sizeof quoted);
    config__key_path(k, path, sizeof path);
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
void config__describe_expected(const struct config__key *k, const char *value, bool is_entry,
                               char *what, size_t size)
{
    struct buf b;

    buf_init(&b, size - 1); /* past the maximum the words are cut, never overflow */
    switch (k->kind) {
    case CONFIG__KIND_TEXT_LIST:
    case CONFIG__KIND_TEXT:
        if (k->kind == CONFIG__KIND_TEXT_LIST && !is_entry)
            (void)buf_printf(&b, "a list of non-empty %ss", k->noun);
        else if (value != NULL && (long long)strlen(value) > k->max)
            (void)buf_printf(&b, "a %s of at most %lld bytes", k->noun, k->max);
        else
            (void)buf_printf(&b, "a non-empty %s", k->noun);
        break;
    case CONFIG__KIND_INT:
        (void)buf_printf(&b, "an integer from %lld to %lld", k->min, k->max);
        break;
    case CONFIG__KIND_LOG_LEVEL:
        (void)buf_puts(&b, "one of ");
        for (int i = LOG_DEBUG; i <= LOG_ERROR; i++) {
            (void)buf_puts(&b, log_level_name((enum log_level)i));
            (void)buf_puts(&b, i < LOG_ERROR ? ", " : "");
        }
        break;
    case CONFIG__KIND_REGION:
        (void)buf_puts(&b, "a two-letter country code (ISO 3166-1 alpha-2)");
        break;
    }
    memcpy(what, buf_cstr(&b), b.len + 1);
    buf_free(&b);
}

static bool text_fits(const struct config__key *k, const char *text)
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
static enum pr_code apply_value(struct config *cfg, const struct config__key *k, const char *value,
                                const struct origin *o, struct pr_error *err)
{
    void *field = (char *)cfg + k->offset;
    long long number = 0;
    enum log_level level = LOG_INFO;
    bool is_valid = false;

    switch (k->kind) {
    case CONFIG__KIND_TEXT:
        is_valid = text_fits(k, value);
        if (is_valid)
            replace_text(field, xstrdup(value));
        break;
    case CONFIG__KIND_INT:
        assert(k->min >= INT_MIN && k->max <= INT_MAX);
        is_valid = parse_int(value, k->min, k->max, &number);
        if (is_valid)
            *(int *)field = (int)number;
        break;
    case CONFIG__KIND_LOG_LEVEL:
        is_valid = log_level_parse(value, &level) == PR_OK;
        if (is_valid)
            *(enum log_level *)field = level;
        break;
    case CONFIG__KIND_REGION:
        is_valid = strlen(value) == 2 && is_ascii_letter(value[0]) && is_ascii_letter(value[1]);
        if (is_valid) {
            char *region = xstrdup(value);
            upper_case_ascii(region);
            replace_text(field, region);
        }
        break;
    case CONFIG__KIND_TEXT_LIST:
        assert(!"lists are applied with apply_list");
        break;
    }
    if (!is_valid) {
        char path[96];
        char what[128];

        config__key_path(k, path, sizeof path);
        config__describe_expected(k, value, false, what, sizeof what);
        return value_error(err, o, k, path, what, value);
    }
    return PR_OK;
}

/* Checks every entry of a list from the file, then replaces the list in `cfg`. */
static enum pr_code apply_list(struct config *cfg, const struct config__key *k, char **entries,
                               unsigned n_entries, const struct origin *o, struct pr_error *err)
{
    void *list_field = (char *)cfg + k->offset;
    void *count_field = (char *)cfg + k->count_offset;
    char ***list_slot = list_field;
    size_t *count_slot = count_field;
    char **copy = NULL;
    enum pr_code rc = PR_OK;

    assert(k->kind == CONFIG__KIND_TEXT_LIST);
    for (unsigned i = 0; i < n_entries; i++) {
        if (!text_fits(k, entries[i])) {
            char path[96];
            char display[128];
            char what[128];
            int written;

            config__key_path(k, path, sizeof path);
            written = snprintf(display, sizeof display, "%s[%u]", path, i);
            if (written < 0 || (size_t)written >= sizeof display)
                display[0] = '\0';
            config__describe_expected(k, entries[i], true, what, sizeof what);
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

/* ---- layers ---- */

static enum pr_code apply_defaults(struct config *cfg, struct pr_error *err)
{
    const struct origin o = {ORIGIN_DEFAULT, CONFIG_DEFAULTS_SOURCE};
    enum pr_code rc = PR_OK;

    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        const struct config__key *k = &config__keys[i];

        if (k->default_value == NULL || k->kind == CONFIG__KIND_TEXT_LIST)
            continue;
        rc = apply_value(cfg, k, k->default_value, &o, err);
        if (rc != PR_OK)
            goto out;
    }
out:
    return rc;
}

static enum pr_code apply_file(struct config *cfg, const struct config__yaml_doc *doc,
                               const char *source, struct pr_error *err)
{
    const struct origin o = {ORIGIN_FILE, source};
    enum pr_code rc = PR_OK;

    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        const struct config__key *k = &config__keys[i];
        struct config__yaml_value v;

        if (!config__yaml_value(doc, i, &v))
            continue;
        if (k->kind == CONFIG__KIND_TEXT_LIST)
            rc = apply_list(cfg, k, v.entries, v.n_entries, &o, err);
        else
            rc = apply_value(cfg, k, v.scalar, &o, err);
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

    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        const struct config__key *k = &config__keys[i];
        char name[96];
        const char *value;
        struct origin o = {ORIGIN_ENV, name};

        if (k->kind == CONFIG__KIND_TEXT_LIST)
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
    struct config__yaml_doc *doc = NULL;
    enum pr_code rc = PR_OK;

    assert(out != NULL && err != NULL);
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
        rc = config__yaml_parse(yaml, len, source, &doc, err);
        if (rc != PR_OK)
            goto out;
        rc = apply_file(cfg, doc, source, err);
        if (rc != PR_OK)
            goto out;
    }

    rc = apply_env(cfg, envp, err);
    if (rc != PR_OK)
        goto out;
    *out = cfg;
    cfg = NULL;
out:
    config__yaml_free(doc);
    config_free(cfg);
    return rc;
}

enum pr_code config_load_text(const char *yaml, size_t len, const char *source_name,
                              char *const *envp, struct config **out, struct pr_error *err)
{
    return config_build(yaml != NULL ? yaml : "", yaml != NULL ? len : 0,
                        source_name != NULL ? source_name : CONFIG_TEXT_SOURCE, envp, out, err);
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
    rc = yaml_read_file(path, "configuration file", &content, err);
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
    for (size_t i = 0; i < CONFIG__N_KEYS; i++) {
        const struct config__key *k = &config__keys[i];
        void *field = (char *)cfg + k->offset;

        if (k->kind == CONFIG__KIND_TEXT || k->kind == CONFIG__KIND_REGION) {
            replace_text(field, NULL);
        } else if (k->kind == CONFIG__KIND_TEXT_LIST) {
            void *count_field = (char *)cfg + k->count_offset;
            char ***list_slot = field;
            size_t *count_slot = count_field;

            free_text_list(*list_slot, *count_slot);
        }
    }
    xfree(cfg->source);
    xfree(cfg);
}
