/*
 * Configuration: one YAML file (parsed with libcyaml), then PROSPECT_* environment overrides,
 * then validation. Every error names the source (file path or environment variable), the key,
 * what was expected and what was found, e.g.
 *   prospect.yaml: database.busy_timeout_ms: expected an integer from 0 to 600000, got "soon"
 *   PROSPECT_LOG_LEVEL: log.level: expected one of debug, info, warn, error, got "loud"
 *
 * Keys (all optional; defaults in brackets) and their environment variables:
 *   database.path            [var/prospect.db]  PROSPECT_DATABASE_PATH
 *   database.busy_timeout_ms [5000]             PROSPECT_DATABASE_BUSY_TIMEOUT_MS
 *   log.level                [info]             PROSPECT_LOG_LEVEL
 *   log.redact               [] list of literal strings to redact (file only)
 *   secrets.key_file         [none]             PROSPECT_SECRETS_KEY_FILE
 *   server.address           [127.0.0.1]        PROSPECT_SERVER_ADDRESS
 *   server.port              [8080]             PROSPECT_SERVER_PORT
 *   tenant_defaults.phone_region [US]           PROSPECT_TENANT_DEFAULTS_PHONE_REGION
 *   ingest.window_days       [180] do not export or contact a lead again within this many
 *                                  days                   PROSPECT_INGEST_WINDOW_DAYS
 *   ingest.fuzzy_threshold_pct [92] company-name similarity (percent) that counts as the same
 *                                  company               PROSPECT_INGEST_FUZZY_THRESHOLD_PCT
 *   scoring.icp_file         [none] the ideal customer profile (YAML, docs/icp.md)
 *                                                         PROSPECT_SCORING_ICP_FILE
 *   jobs.workers             [2] worker threads of `prospect serve`   PROSPECT_JOBS_WORKERS
 *   pipeline.chunk_items     [5000] items per chunk job of a pipeline step
 *                                                         PROSPECT_PIPELINE_CHUNK_ITEMS
 * Unknown keys are errors (a typo must not silently fall back to a default).
 *
 * Each key's environment variable is PROSPECT_ + the key in upper case with '.' -> '_'; other
 * PROSPECT_* variables are not configuration and are ignored (PROSPECT_SECRET_KEY belongs to
 * crypto.h). A variable that is set but empty is a value, so PROSPECT_DATABASE_PATH= is an
 * error. Each layer is checked as it is applied: a bad file value fails even when overridden.
 * Limits: the file is at most 1 MiB, and aliases may not expand it past 64 MiB. docs/config.md
 * describes every key and message.
 */
#ifndef PROSPECT_UTIL_CONFIG_H
#define PROSPECT_UTIL_CONFIG_H

#include "error.h"
#include "log.h"

#include <stddef.h>

struct config {
    char *source; /* the file that was read, or "(defaults)" */
    char *database_path;
    int database_busy_timeout_ms;
    enum log_level log_level;
    char **log_redact; /* n_log_redact strings */
    size_t n_log_redact;
    char *secrets_key_file; /* NULL when unset */
    char *server_address;
    int server_port;
    char *phone_region; /* ISO 3166-1 alpha-2, upper case */
    int ingest_window_days;
    int ingest_fuzzy_threshold_pct;
    char *scoring_icp_file; /* NULL when unset */
    int jobs_workers;
    int pipeline_chunk_items;
};

/* Loads `path` (NULL: defaults only, no file), applies overrides from `envp` (a NULL-terminated
 * "NAME=value" array such as environ; NULL for none), validates. On success *out is owned by
 * the caller (config_free). On failure returns PR_CONFIG, or PR_IO when the file cannot be
 * read, with a message in the form above and a hint, and sets *out to NULL. `source` is `path`
 * as given, or "(defaults)" when `path` is NULL. */
enum pr_code config_load(const char *path, char *const *envp, struct config **out,
                         struct pr_error *err);

/* Loads from an in-memory YAML document; `source_name` is used in messages. Same contract as
 * config_load; `source` is `source_name` ("(text)" when NULL). An empty text, or one with only
 * comments, gives the defaults. (Used by config_load, the tests and the fuzz target.) */
enum pr_code config_load_text(const char *yaml, size_t len, const char *source_name,
                              char *const *envp, struct config **out, struct pr_error *err);

/* Frees `cfg` and everything in it, wiping the log.redact strings first. NULL is a no-op. */
void config_free(struct config *cfg);

#endif
