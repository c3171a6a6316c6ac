/*
 * Tests for util/config: defaults, a full file, environment overrides, and one table per kind
 * of failure (bad values, bad structure, bad environment values) whose rows give the input and
 * the exact message expected. Files are written to a fresh directory under $TMPDIR (or /tmp).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "util/config.h"
#include "util/mem.h"
#include "util/str.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SOURCE "prospect.yaml"

/* ---- helpers ---- */

struct temp_dir {
    char path[512];
};

static void temp_dir_make(struct temp_dir *t)
{
    const char *base = getenv("TMPDIR");
    int written = snprintf(t->path, sizeof t->path, "%s/prospect_config_test_XXXXXX",
                           base != NULL && base[0] != '\0' ? base : "/tmp");

    assert_true(written > 0 && (size_t)written < sizeof t->path);
    assert_non_null(mkdtemp(t->path));
}

/* Writes `len` bytes to <dir>/<name> and puts the full path in `out`. */
static void temp_file_write(const struct temp_dir *t, const char *name, const char *data,
                            size_t len, char *out, size_t size)
{
    FILE *f;
    int written = snprintf(out, size, "%s/%s", t->path, name);

    assert_true(written > 0 && (size_t)written < size);
    f = fopen(out, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void temp_file_remove(const char *path)
{
    assert_int_equal(unlink(path), 0);
}

static void temp_dir_remove(const struct temp_dir *t)
{
    assert_int_equal(rmdir(t->path), 0);
}

/* Loads `yaml` under the name SOURCE; on success returns the config, else NULL. */
static struct config *load_text(const char *yaml, char *const *envp, enum pr_code *rc,
                                struct pr_error *err)
{
    struct config *cfg = (struct config *)(uintptr_t)1; /* must be reset to NULL on failure */

    *rc = config_load_text(yaml, strlen(yaml), SOURCE, envp, &cfg, err);
    if (*rc != PR_OK)
        assert_null(cfg);
    return cfg;
}

/* Asserts that loading fails with `code` and exactly `message`. */
static void assert_load_fails(const char *yaml, char *const *envp, enum pr_code code,
                              const char *message, struct pr_error *err)
{
    enum pr_code rc;
    struct config *cfg = load_text(yaml, envp, &rc, err);

    if (rc == PR_OK) {
        config_free(cfg);
        fail_msg("loading succeeded, expected: %s\n  yaml: %s", message, yaml);
    }
    assert_int_equal(rc, code);
    assert_int_equal(err->code, code);
    if (strcmp(err->message, message) != 0)
        fail_msg("message\n  got:      %s\n  expected: %s\n  yaml: %s", err->message, message,
                 yaml);
    assert_true(err->hint[0] != '\0');
}

static void assert_contains(const char *haystack, const char *needle)
{
    if (strstr(haystack, needle) == NULL)
        fail_msg("\"%s\" does not contain \"%s\"", haystack, needle);
}

/* ---- defaults and a valid file ---- */

static void assert_defaults(const struct config *cfg)
{
    assert_string_equal(cfg->database_path, "var/prospect.db");
    assert_int_equal(cfg->database_busy_timeout_ms, 5000);
    assert_int_equal(cfg->log_level, LOG_INFO);
    assert_int_equal(cfg->n_log_redact, 0);
    assert_null(cfg->secrets_key_file);
    assert_string_equal(cfg->server_address, "127.0.0.1");
    assert_int_equal(cfg->server_port, 8080);
    assert_string_equal(cfg->phone_region, "US");
}

static void test_defaults_with_null_path(void **state)
{
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    assert_int_equal(config_load(NULL, NULL, &cfg, &err), PR_OK);
    assert_int_equal(err.code, PR_OK);
    assert_non_null(cfg);
    assert_string_equal(cfg->source, "(defaults)");
    assert_defaults(cfg);
    config_free(cfg);
}

static void test_empty_and_comment_only_texts_give_defaults(void **state)
{
    static const char *const texts[] = {
        "",
        "# nothing here\n",
        "\n\n   \n",
        "---\n",
        "# a\n---\n# b\n",
        "{}\n",
        "database: {}\nlog: {}\n",
        "--- # empty\n...\n",
        "%YAML 1.2\n---\n",
        "\xef\xbb\xbf# bom\n",
        /* Null sections and lists are empty (every key commented out). */
        "database:\nsecrets:\n  # key_file: /etc/key\nserver: ~\nlog: {redact: }\n",
        "log:\n  redact:\n  # - x\ntenant_defaults: null\n",
    };
    struct pr_error err;

    (void)state;
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        enum pr_code rc;
        struct config *cfg = load_text(texts[i], NULL, &rc, &err);

        if (rc != PR_OK)
            fail_msg("text %zu: %s", i, err.message);
        assert_string_equal(cfg->source, SOURCE);
        assert_defaults(cfg);
        config_free(cfg);
    }
}

static const char full_file[] = "# Every key, none at its default.\n"
                                "database:\n"
                                "  path: /srv/prospect/data.db\n"
                                "  busy_timeout_ms: 250\n"
                                "log:\n"
                                "  level: debug\n"
                                "  redact:\n"
                                "    - hunter2\n"
                                "    - \"s3cr3t value\"\n"
                                "    - 'x:y'\n"
                                "secrets:\n"
                                "  key_file: /etc/prospect/key\n"
                                "server:\n"
                                "  address: 0.0.0.0\n"
                                "  port: 9000\n"
                                "tenant_defaults:\n"
                                "  phone_region: gb\n";

static void test_full_valid_file(void **state)
{
    struct temp_dir dir;
    char path[640];
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    temp_dir_make(&dir);
    temp_file_write(&dir, "prospect.yaml", full_file, strlen(full_file), path, sizeof path);
    assert_int_equal(config_load(path, NULL, &cfg, &err), PR_OK);
    assert_string_equal(cfg->source, path);
    assert_string_equal(cfg->database_path, "/srv/prospect/data.db");
    assert_int_equal(cfg->database_busy_timeout_ms, 250);
    assert_int_equal(cfg->log_level, LOG_DEBUG);
    assert_int_equal(cfg->n_log_redact, 3);
    assert_string_equal(cfg->log_redact[0], "hunter2");
    assert_string_equal(cfg->log_redact[1], "s3cr3t value");
    assert_string_equal(cfg->log_redact[2], "x:y");
    assert_string_equal(cfg->secrets_key_file, "/etc/prospect/key");
    assert_string_equal(cfg->server_address, "0.0.0.0");
    assert_int_equal(cfg->server_port, 9000);
    assert_string_equal(cfg->phone_region, "GB");
    config_free(cfg);
    temp_file_remove(path);
    temp_dir_remove(&dir);
}

static void test_redact_list_forms(void **state)
{
    struct pr_error err;
    enum pr_code rc;
    struct config *cfg;

    (void)state;
    cfg = load_text("log: {redact: [one, 'two', \"three\"]}\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_OK);
    assert_int_equal(cfg->n_log_redact, 3);
    assert_string_equal(cfg->log_redact[0], "one");
    assert_string_equal(cfg->log_redact[2], "three");
    config_free(cfg);

    cfg = load_text("log:\n  redact: []\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_OK);
    assert_int_equal(cfg->n_log_redact, 0);
    config_free(cfg);

    /* Numbers and booleans in the list are literal strings. */
    cfg = load_text("log:\n  redact:\n    - 12345\n    - true\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_OK);
    assert_int_equal(cfg->n_log_redact, 2);
    assert_string_equal(cfg->log_redact[0], "12345");
    assert_string_equal(cfg->log_redact[1], "true");
    config_free(cfg);
}

static void test_valid_edge_values(void **state)
{
    struct pr_error err;
    enum pr_code rc;
    struct config *cfg;

    (void)state;
    cfg = load_text("database: {busy_timeout_ms: 0}\nserver: {port: 1}\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_OK);
    assert_int_equal(cfg->database_busy_timeout_ms, 0);
    assert_int_equal(cfg->server_port, 1);
    config_free(cfg);

    cfg = load_text("database: {busy_timeout_ms: 600000}\nserver: {port: '65535'}\n", NULL, &rc,
                    &err);
    assert_int_equal(rc, PR_OK);
    assert_int_equal(cfg->database_busy_timeout_ms, 600000);
    assert_int_equal(cfg->server_port, 65535);
    config_free(cfg);

    /* A leading zero is still base 10 (010 is ten, not eight). */
    cfg = load_text("server: {port: 010}\ntenant_defaults: {phone_region: De}\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_OK);
    assert_int_equal(cfg->server_port, 10);
    assert_string_equal(cfg->phone_region, "DE");
    config_free(cfg);
}

static void test_anchors_and_aliases(void **state)
{
    struct pr_error err;
    enum pr_code rc;
    struct config *cfg;

    (void)state;
    cfg = load_text("server: {address: &host db.internal}\n"
                    "database: {path: *host}\n"
                    "log: {redact: &list [a, b]}\n",
                    NULL, &rc, &err);
    assert_int_equal(rc, PR_OK);
    assert_string_equal(cfg->server_address, "db.internal");
    assert_string_equal(cfg->database_path, "db.internal");
    assert_int_equal(cfg->n_log_redact, 2);
    config_free(cfg);
}

/* ---- bad values in the file ---- */

struct bad_value_case {
    const char *yaml;
    const char *message;
};

static const struct bad_value_case bad_values[] = {
    {"database: {busy_timeout_ms: soon}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"soon\""},
    {"database: {busy_timeout_ms: 600001}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"600001\""},
    {"database: {busy_timeout_ms: -1}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"-1\""},
    {"database: {busy_timeout_ms: 0x10}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"0x10\""},
    {"database: {busy_timeout_ms: 5000ms}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"5000ms\""},
    {"database: {busy_timeout_ms: 1.5}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"1.5\""},
    {"database: {busy_timeout_ms: 1e3}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"1e3\""},
    {"database: {busy_timeout_ms: 99999999999999999999999}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got "
            "\"99999999999999999999999\""},
    {"database: {busy_timeout_ms: ''}",
     SOURCE ": database.busy_timeout_ms: expected an integer from 0 to 600000, got \"\""},
    {"server: {port: 0}", SOURCE ": server.port: expected an integer from 1 to 65535, got \"0\""},
    {"server: {port: 65536}",
     SOURCE ": server.port: expected an integer from 1 to 65535, got \"65536\""},
    {"server: {port: http}",
     SOURCE ": server.port: expected an integer from 1 to 65535, got \"http\""},
    {"server: {port: ' 80'}",
     SOURCE ": server.port: expected an integer from 1 to 65535, got \" 80\""},
    {"server: {port: '80 '}",
     SOURCE ": server.port: expected an integer from 1 to 65535, got \"80 \""},
    {"server: {port: true}",
     SOURCE ": server.port: expected an integer from 1 to 65535, got \"true\""},
    {"log: {level: loud}",
     SOURCE ": log.level: expected one of debug, info, warn, error, got \"loud\""},
    {"log: {level: ''}", SOURCE ": log.level: expected one of debug, info, warn, error, got \"\""},
    {"tenant_defaults: {phone_region: USA}",
     SOURCE ": tenant_defaults.phone_region: expected a two-letter country code (ISO 3166-1 "
            "alpha-2), got \"USA\""},
    {"tenant_defaults: {phone_region: U1}",
     SOURCE ": tenant_defaults.phone_region: expected a two-letter country code (ISO 3166-1 "
            "alpha-2), got \"U1\""},
    {"tenant_defaults: {phone_region: \"\\u00dc\"}",
     SOURCE ": tenant_defaults.phone_region: expected a two-letter country code (ISO 3166-1 "
            "alpha-2), got \"\xc3\x9c\""},
    {"tenant_defaults: {phone_region: ''}",
     SOURCE ": tenant_defaults.phone_region: expected a two-letter country code (ISO 3166-1 "
            "alpha-2), got \"\""},
    {"database: {path: ''}", SOURCE ": database.path: expected a non-empty path, got \"\""},
    {"database:\n  path:\n", SOURCE ": database.path: expected a non-empty path, got \"\""},
    {"secrets: {key_file: ''}", SOURCE ": secrets.key_file: expected a non-empty path, got \"\""},
    {"server: {address: ''}",
     SOURCE ": server.address: expected a non-empty host name or address, got \"\""},
    {"log: {redact: [ok, '']}", SOURCE ": log.redact[1]: expected a non-empty string, got \"\""},
    /* Quotes and control characters are escaped in the message. */
    {"server: {port: \"8\\\"0\\t\"}",
     SOURCE ": server.port: expected an integer from 1 to 65535, got \"8\\\"0\\x09\""},
};

static void test_bad_values(void **state)
{
    struct pr_error err;

    (void)state;
    for (size_t i = 0; i < sizeof bad_values / sizeof bad_values[0]; i++)
        assert_load_fails(bad_values[i].yaml, NULL, PR_CONFIG, bad_values[i].message, &err);
}

static void test_bad_value_hint_names_key_and_file(void **state)
{
    struct pr_error err;

    (void)state;
    assert_load_fails("log:\n  level: loud\n", NULL, PR_CONFIG,
                      SOURCE ": log.level: expected one of debug, info, warn, error, got \"loud\"",
                      &err);
    assert_string_equal(err.hint, "fix the value of log.level in " SOURCE);
}

static void test_long_value_is_truncated(void **state)
{
    char yaml[6000];
    char expected[256];
    char long_path[5001];
    int written;
    struct pr_error err;

    (void)state;
    memset(long_path, 'a', sizeof long_path - 1);
    long_path[sizeof long_path - 1] = '\0';
    written = snprintf(yaml, sizeof yaml, "database: {path: %s}\n", long_path);
    assert_true(written > 0 && (size_t)written < sizeof yaml);
    written = snprintf(expected, sizeof expected,
                       SOURCE ": database.path: expected a path of at most 4095 bytes, got "
                              "\"%.60s...\"",
                       long_path);
    assert_true(written > 0 && (size_t)written < sizeof expected);
    assert_load_fails(yaml, NULL, PR_CONFIG, expected, &err);

    /* 61 bytes is cut, 60 is not. */
    assert_load_fails("server: {port: "
                      "1234567890123456789012345678901234567890123456789012345678901}",
                      NULL, PR_CONFIG,
                      SOURCE ": server.port: expected an integer from 1 to 65535, got "
                             "\"123456789012345678901234567890123456789012345678901234567890...\"",
                      &err);
    assert_load_fails("server: {port: "
                      "123456789012345678901234567890123456789012345678901234567890}",
                      NULL, PR_CONFIG,
                      SOURCE ": server.port: expected an integer from 1 to 65535, got "
                             "\"123456789012345678901234567890123456789012345678901234567890\"",
                      &err);
}

/* ---- bad structure ---- */

static const struct bad_value_case bad_structures[] = {
    /* Wrong YAML type where a scalar or section belongs. */
    {"server:\n  port: [1, 2]\n",
     SOURCE ": server.port: expected an integer from 1 to 65535, got a list (line 2, column 9)"},
    {"server: {port: {n: 1}}", SOURCE
     ": server.port: expected an integer from 1 to 65535, got a mapping (line 1, column 16)"},
    {"database: 5\n", SOURCE ": database: expected a mapping, got a scalar (line 1, column 11)"},
    {"log: {redact: secret}",
     SOURCE ": log.redact: expected a list of non-empty strings, got a scalar (line 1, column 15)"},
    {"log: {redact: [a, [b]]}", SOURCE ": log.redact: expected each entry to be a non-empty "
                                       "string, got a list (line 1, column 19)"},
    /* Not a mapping at the top level. */
    {"- database\n- log\n", SOURCE ": expected a mapping of sections at the top level, got a list"},
    {"[1, 2]", SOURCE ": expected a mapping of sections at the top level, got a list"},
    {"just text\n", SOURCE ": expected a mapping of sections at the top level, got a scalar"},
    {"--- text\n", SOURCE ": expected a mapping of sections at the top level, got a scalar"},
    {"---\n- a\n", SOURCE ": expected a mapping of sections at the top level, got a list"},
    /* Unknown keys, at both levels, including a flat dotted key. */
    {"server: {prot: 80}\n", SOURCE ": server.prot: unknown key"},
    {"sever:\n  port: 80\n", SOURCE ": sever: unknown key"},
    {"database.path: x.db\n", SOURCE ": database.path: unknown key"},
    {"log: {level: info, colour: red}\n", SOURCE ": log.colour: unknown key"},
    /* Duplicates. */
    {"server: {port: 1, port: 2}\n", SOURCE ": server.port: duplicate key"},
    {"server: {port: 1}\nserver: {port: 2}\n", SOURCE ": server: duplicate key"},
    /* Aliases and documents. */
    {"database: {path: *nowhere}\n",
     SOURCE ": database.path: alias 'nowhere' has no anchor (line 1, column 12)"},
    {"log: {redact: [a, *b]}\n",
     SOURCE ": log.redact: alias 'b' has no anchor (line 1, column 16)"},
    {"server: {port: 1}\n---\nserver: {port: 2}\n", SOURCE ": more than one YAML document"},
    /* A key that spells libcyaml's own notice is still just an unknown key. */
    {"database: {Ignoring documents after first: 1}\n",
     SOURCE ": database.Ignoring documents after first: unknown key"},
    {"*a\n", SOURCE ": alias 'a' has no anchor"},
    {"? [a, b]\n: 1\n", SOURCE ": unsupported YAML (libcyaml: Internal error)"},
};

static void test_bad_structure(void **state)
{
    struct pr_error err;

    (void)state;
    for (size_t i = 0; i < sizeof bad_structures / sizeof bad_structures[0]; i++) {
        assert_load_fails(bad_structures[i].yaml, NULL, PR_CONFIG, bad_structures[i].message, &err);
        if (strstr(bad_structures[i].message, "more than one") == NULL)
            assert_contains(err.detail, "libcyaml");
    }
}

static void test_unknown_key_hint_lists_valid_keys(void **state)
{
    struct pr_error err;

    (void)state;
    assert_load_fails("server: {prot: 80}\n", NULL, PR_CONFIG, SOURCE ": server.prot: unknown key",
                      &err);
    assert_string_equal(err.hint, "valid keys in server: address, port; see docs/config.md");
    assert_contains(err.detail, "Unexpected key: prot");

    assert_load_fails("sever: {}\n", NULL, PR_CONFIG, SOURCE ": sever: unknown key", &err);
    assert_string_equal(err.hint,
                        "valid sections: database, log, secrets, server, "
                        "tenant_defaults, ingest, scoring, jobs, pipeline; see docs/config.md");
}

static void test_malformed_yaml(void **state)
{
    struct pr_error err;
    enum pr_code rc;
    struct config *cfg;

    (void)state;
    /* Unbalanced brackets. */
    cfg = load_text("server: {port: 80\n", NULL, &rc, &err);
    assert_null(cfg);
    assert_int_equal(rc, PR_CONFIG);
    assert_contains(err.message, SOURCE ": invalid YAML");
    assert_contains(err.message, "did not find expected ',' or '}'");
    assert_contains(err.detail, "libyaml parser error");
    assert_string_equal(err.hint, "fix the YAML syntax of " SOURCE);

    cfg = load_text("log: {redact: [a, b}\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_CONFIG);
    assert_contains(err.message, SOURCE ": invalid YAML");

    cfg = load_text("server: \"unterminated\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_CONFIG);
    assert_contains(err.message, SOURCE ": invalid YAML");

    /* Tab indentation: the hint names the line. */
    cfg = load_text("server:\n  address: 0.0.0.0\n\tport: 80\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_CONFIG);
    assert_contains(err.message, SOURCE ": invalid YAML");
    assert_string_equal(err.hint, "line 3 is indented with a tab; YAML allows only spaces");

    /* Bad indentation without tabs. */
    cfg = load_text("server:\n  address: x\n   port: 80\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_CONFIG);
    assert_contains(
        err.message, SOURCE
        ": invalid YAML near line 2, column 12: mapping values are not allowed in this context");
    assert_contains(err.message, "mapping values are not allowed in this context");

    /* Bytes that are not text. */
    cfg = load_text("server: {address: \x01\x02}\n", NULL, &rc, &err);
    assert_int_equal(rc, PR_CONFIG);
    assert_contains(err.message, SOURCE ": invalid YAML");
}

static void test_embedded_nul_is_malformed(void **state)
{
    static const char yaml[] = "server: {port: 80}\n\0\n";
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    assert_int_equal(config_load_text(yaml, sizeof yaml - 1, SOURCE, NULL, &cfg, &err), PR_CONFIG);
    assert_null(cfg);
    assert_contains(err.message, SOURCE ": invalid YAML");
}

static void test_text_too_large(void **state)
{
    size_t len = 1024 * 1024 + 1;
    char *yaml = xmalloc(len);
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    memset(yaml, '#', len);
    assert_int_equal(config_load_text(yaml, len, SOURCE, NULL, &cfg, &err), PR_CONFIG);
    assert_null(cfg);
    assert_string_equal(err.message, SOURCE ": file is larger than 1 MiB (1048577 bytes)");
    /* Exactly 1 MiB of comment is fine. */
    assert_int_equal(config_load_text(yaml, len - 1, SOURCE, NULL, &cfg, &err), PR_OK);
    config_free(cfg);
    xfree(yaml);
}

static void test_alias_expansion_is_bounded(void **state)
{
    /* A long anchored string repeated by many aliases: about 1 MiB of text that would expand
     * to gigabytes. It must fail with a message, not exhaust memory. */
    size_t cap = 1024 * 1024;
    struct buf yaml;
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    buf_init(&yaml, cap);
    assert_int_equal(buf_puts(&yaml, "database: {path: &a "), PR_OK);
    for (int i = 0; i < 200000; i++)
        assert_int_equal(buf_putc(&yaml, 'x'), PR_OK);
    assert_int_equal(buf_puts(&yaml, "}\nlog: {redact: [*a"), PR_OK);
    while (yaml.len + 8 < cap)
        assert_int_equal(buf_puts(&yaml, ", *a"), PR_OK);
    assert_int_equal(buf_puts(&yaml, "]}\n"), PR_OK);
    assert_int_equal(config_load_text(buf_cstr(&yaml), yaml.len, SOURCE, NULL, &cfg, &err),
                     PR_CONFIG);
    assert_null(cfg);
    assert_string_equal(err.message,
                        SOURCE ": document too large once aliases are expanded (over 64 MiB)");
    buf_free(&yaml);
}

static void test_long_redact_list(void **state)
{
    struct buf yaml;
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    buf_init(&yaml, 1024 * 1024);
    assert_int_equal(buf_puts(&yaml, "log:\n  redact:\n"), PR_OK);
    for (int i = 0; i < 5000; i++)
        assert_int_equal(buf_printf(&yaml, "    - secret-%04d\n", i), PR_OK);
    assert_int_equal(config_load_text(buf_cstr(&yaml), yaml.len, SOURCE, NULL, &cfg, &err), PR_OK);
    assert_int_equal(cfg->n_log_redact, 5000);
    assert_string_equal(cfg->log_redact[0], "secret-0000");
    assert_string_equal(cfg->log_redact[4999], "secret-4999");
    config_free(cfg);
    buf_free(&yaml);
}

/* ---- files ---- */

static void test_missing_file_is_io_error(void **state)
{
    struct temp_dir dir;
    char path[640];
    char expected[800];
    struct pr_error err;
    struct config *cfg = (struct config *)(uintptr_t)1;
    int written;

    (void)state;
    temp_dir_make(&dir);
    written = snprintf(path, sizeof path, "%s/absent.yaml", dir.path);
    assert_true(written > 0 && (size_t)written < sizeof path);
    assert_int_equal(config_load(path, NULL, &cfg, &err), PR_IO);
    assert_null(cfg);
    assert_int_equal(err.code, PR_IO);
    written = snprintf(expected, sizeof expected, "%s: cannot open: %s", path, strerror(ENOENT));
    assert_true(written > 0 && (size_t)written < sizeof expected);
    assert_string_equal(err.message, expected);
    assert_contains(err.hint, path);

    /* A directory opens but cannot be read. */
    assert_int_equal(config_load(dir.path, NULL, &cfg, &err), PR_IO);
    assert_null(cfg);
    assert_contains(err.message, dir.path);
    assert_contains(err.message, strerror(EISDIR));
    temp_dir_remove(&dir);
}

static void test_large_file_rejected_before_reading(void **state)
{
    struct temp_dir dir;
    char path[640];
    struct pr_error err;
    struct config *cfg = NULL;
    size_t len = 2 * 1024 * 1024;
    char *data = xmalloc(len);

    (void)state;
    memset(data, '#', len);
    temp_dir_make(&dir);
    temp_file_write(&dir, "big.yaml", data, len, path, sizeof path);
    assert_int_equal(config_load(path, NULL, &cfg, &err), PR_CONFIG);
    assert_null(cfg);
    assert_contains(err.message, path);
    assert_contains(err.message, "file is larger than 1 MiB (2097152 bytes)");
    temp_file_remove(path);
    temp_dir_remove(&dir);
    xfree(data);
}

static void test_file_error_names_the_path(void **state)
{
    struct temp_dir dir;
    char path[640];
    char expected[900];
    struct pr_error err;
    struct config *cfg = NULL;
    static const char yaml[] = "server:\n  port: eighty\n";
    int written;

    (void)state;
    temp_dir_make(&dir);
    temp_file_write(&dir, "bad.yaml", yaml, strlen(yaml), path, sizeof path);
    assert_int_equal(config_load(path, NULL, &cfg, &err), PR_CONFIG);
    assert_null(cfg);
    written =
        snprintf(expected, sizeof expected,
                 "%s: server.port: expected an integer from 1 to 65535, got \"eighty\"", path);
    assert_true(written > 0 && (size_t)written < sizeof expected);
    assert_string_equal(err.message, expected);
    temp_file_remove(path);
    temp_dir_remove(&dir);
}

/* ---- environment ---- */

static void test_env_overrides_win_over_file(void **state)
{
    char *envp[] = {
        "HOME=/root",
        "PROSPECT_DATABASE_PATH=/env/db.sqlite",
        "PROSPECT_DATABASE_BUSY_TIMEOUT_MS=42",
        "PROSPECT_LOG_LEVEL=error",
        "PROSPECT_SECRETS_KEY_FILE=/env/key",
        "PROSPECT_SERVER_ADDRESS=::1",
        "PROSPECT_SERVER_PORT=9100",
        "PROSPECT_TENANT_DEFAULTS_PHONE_REGION=fr",
        "PROSPECT_SERVER_PORTX=1",   /* a longer name is another variable */
        "PROSPECT_SERVER_PORT",      /* no '=': not a definition */
        "PROSPECT_SERVER_PORT=9200", /* the first definition wins, as with getenv */
        "PROSPECT_LOG_REDACT=ignored",
        NULL,
    };
    struct pr_error err;
    enum pr_code rc;
    struct config *cfg;

    (void)state;
    cfg = load_text(full_file, envp, &rc, &err);
    if (rc != PR_OK)
        fail_msg("%s", err.message);
    assert_string_equal(cfg->database_path, "/env/db.sqlite");
    assert_int_equal(cfg->database_busy_timeout_ms, 42);
    assert_int_equal(cfg->log_level, LOG_ERROR);
    assert_string_equal(cfg->secrets_key_file, "/env/key");
    assert_string_equal(cfg->server_address, "::1");
    assert_int_equal(cfg->server_port, 9100);
    assert_string_equal(cfg->phone_region, "FR");
    /* log.redact is file-only. */
    assert_int_equal(cfg->n_log_redact, 3);
    config_free(cfg);
}

static void test_env_overrides_defaults_without_file(void **state)
{
    char *envp[] = {"PROSPECT_SERVER_PORT=1234", NULL};
    struct pr_error err;
    struct config *cfg = NULL;

    (void)state;
    assert_int_equal(config_load(NULL, envp, &cfg, &err), PR_OK);
    assert_int_equal(cfg->server_port, 1234);
    assert_string_equal(cfg->source, "(defaults)");
    config_free(cfg);
}

struct bad_env_case {
    const char *assignment;
    const char *message;
};

static const struct bad_env_case bad_envs[] = {
    {"PROSPECT_LOG_LEVEL=loud",
     "PROSPECT_LOG_LEVEL: log.level: expected one of debug, info, warn, error, got \"loud\""},
    {"PROSPECT_LOG_LEVEL=", "PROSPECT_LOG_LEVEL: log.level: expected one of debug, info, warn, "
                            "error, got \"\""},
    {"PROSPECT_DATABASE_PATH=", "PROSPECT_DATABASE_PATH: database.path: expected a non-empty "
                                "path, got \"\""},
    {"PROSPECT_DATABASE_BUSY_TIMEOUT_MS=5s",
     "PROSPECT_DATABASE_BUSY_TIMEOUT_MS: database.busy_timeout_ms: expected an integer from 0 to "
     "600000, got \"5s\""},
    {"PROSPECT_SECRETS_KEY_FILE=", "PROSPECT_SECRETS_KEY_FILE: secrets.key_file: expected a "
                                   "non-empty path, got \"\""},
    {"PROSPECT_SERVER_ADDRESS=", "PROSPECT_SERVER_ADDRESS: server.address: expected a non-empty "
                                 "host name or address, got \"\""},
    {"PROSPECT_SERVER_PORT=70000", "PROSPECT_SERVER_PORT: server.port: expected an integer from 1 "
                                   "to 65535, got \"70000\""},
    {"PROSPECT_SERVER_PORT= 80", "PROSPECT_SERVER_PORT: server.port: expected an integer from 1 "
                                 "to 65535, got \" 80\""},
    {"PROSPECT_SERVER_PORT=8\n0", "PROSPECT_SERVER_PORT: server.port: expected an integer from 1 "
                                  "to 65535, got \"8\\x0a0\""},
    {"PROSPECT_TENANT_DEFAULTS_PHONE_REGION=usa",
     "PROSPECT_TENANT_DEFAULTS_PHONE_REGION: tenant_defaults.phone_region: expected a two-letter "
     "country code (ISO 3166-1 alpha-2), got \"usa\""},
};

static void test_bad_env_values(void **state)
{
    struct pr_error err;

    (void)state;
    for (size_t i = 0; i < sizeof bad_envs / sizeof bad_envs[0]; i++) {
        char assignment[128];
        char *envp[] = {assignment, NULL};
        const char *name_end = strchr(bad_envs[i].assignment, '=');
        char hint[160];
        int written = snprintf(assignment, sizeof assignment, "%s", bad_envs[i].assignment);

        assert_true(written > 0 && (size_t)written < sizeof assignment);
        assert_load_fails("", envp, PR_CONFIG, bad_envs[i].message, &err);
        written = snprintf(hint, sizeof hint, "fix or unset %.*s",
                           (int)(name_end - bad_envs[i].assignment), bad_envs[i].assignment);
        assert_true(written > 0 && (size_t)written < sizeof hint);
        assert_contains(err.hint, hint);
    }
}

static void test_bad_file_value_fails_even_when_env_overrides_it(void **state)
{
    char *envp[] = {"PROSPECT_SERVER_PORT=80", NULL};
    struct pr_error err;

    (void)state;
    assert_load_fails("server: {port: eighty}\n", envp, PR_CONFIG,
                      SOURCE ": server.port: expected an integer from 1 to 65535, got \"eighty\"",
                      &err);
}

static void test_free_null_is_noop(void **state)
{
    (void)state;
    config_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_with_null_path),
        cmocka_unit_test(test_empty_and_comment_only_texts_give_defaults),
        cmocka_unit_test(test_full_valid_file),
        cmocka_unit_test(test_redact_list_forms),
        cmocka_unit_test(test_valid_edge_values),
        cmocka_unit_test(test_anchors_and_aliases),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_bad_value_hint_names_key_and_file),
        cmocka_unit_test(test_long_value_is_truncated),
        cmocka_unit_test(test_bad_structure),
        cmocka_unit_test(test_unknown_key_hint_lists_valid_keys),
        cmocka_unit_test(test_malformed_yaml),
        cmocka_unit_test(test_embedded_nul_is_malformed),
        cmocka_unit_test(test_text_too_large),
        cmocka_unit_test(test_alias_expansion_is_bounded),
        cmocka_unit_test(test_long_redact_list),
        cmocka_unit_test(test_missing_file_is_io_error),
        cmocka_unit_test(test_large_file_rejected_before_reading),
        cmocka_unit_test(test_file_error_names_the_path),
        cmocka_unit_test(test_env_overrides_win_over_file),
        cmocka_unit_test(test_env_overrides_defaults_without_file),
        cmocka_unit_test(test_bad_env_values),
        cmocka_unit_test(test_bad_file_value_fails_even_when_env_overrides_it),
        cmocka_unit_test(test_free_null_is_noop),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
