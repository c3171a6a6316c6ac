/*
 * Shared state and helpers of the CLI commands. A command handler receives the arguments
 * after its name (argv[0] is the command name), sets up what it needs with cli_open(), and
 * returns the process exit status.
 */
#ifndef PROSPECT_CLI_CLI_H
#define PROSPECT_CLI_CLI_H

#include "app/app.h"
#include "app/pipeline.h"
#include "core/geo.h"
#include "util/config.h"
#include "util/error.h"

#include <stdbool.h>
#include <stdio.h>

struct cli {
    int argc;
    char **argv;
    const char *config_path;   /* --config or PROSPECT_CONFIG; NULL for defaults */
    const char *database_path; /* --database override; NULL to use the config */
    bool is_verbose;
    struct config *cfg;
    struct app app;
    struct app_actor actor;
    char actor_id[64];
    struct geo_index *zips; /* built on first use by cli_zip_index() */
    /* What job handlers run with (cli_workers_start fills them; they outlive the pool). */
    struct pipeline_env pipeline;
    struct job_kind kinds[8];
    size_t n_kinds;
};

#define CLI_COMMAND(name, summary, handler) int handler(struct cli *cli);
#include "cli/commands.def"
#undef CLI_COMMAND

/* Loads the configuration, creates the logger and opens the store (creating the database
 * file and its directory when `create`). Pending migrations are applied. */
enum pr_code cli_open(struct cli *cli, bool create, struct pr_error *err);

/* Releases what cli_open set up. Safe to call when cli_open failed or never ran. */
void cli_close(struct cli *cli);

/* Prints `err` to stderr ("prospect: error: ...", then the hint) and returns its exit status. */
int cli_fail(struct cli *cli, const struct pr_error *err);

/* Prints a usage error naming the command and pointing at --help; returns 64. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* True when argv has -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);

/* Resolves --tenant SLUG (NULL: the only tenant, or a usage error when there are several). */
enum pr_code cli_resolve_tenant(struct cli *cli, const char *slug, struct tenant_ctx *out,
                                struct pr_error *err);

/* Reads a password: one line from stdin with `from_stdin`, else a prompt with echo off when
 * stdin is a terminal (asked twice), else PR_USAGE. The result is wiped by the caller. */
enum pr_code cli_read_password(bool from_stdin, char *out, size_t out_size, struct pr_error *err);

/* The US ZIP index (built once, on first use; NULL if it cannot be built, which is reported
 * as a warning in the log). */
const struct geo_index *cli_zip_index(struct cli *cli);

struct icp;
/* Loads the ICP from `path`, else scoring.icp_file; when neither is set, PR_USAGE if
 * `is_required`, else PR_OK with *out NULL. Free with icp_free(). */
enum pr_code cli_load_icp(struct cli *cli, const char *path, bool is_required, struct icp **out,
                          struct pr_error *err);

struct jobs_pool;
/* Sets cli->pipeline from the configuration (chunk size, window, fuzzy threshold, ZIPs). */
void cli_pipeline_env(struct cli *cli);

/* Starts `n_workers` job workers (0: jobs.workers) running every job kind, after reclaiming
 * the jobs of this host's dead workers (a killed earlier process). */
enum pr_code cli_workers_start(struct cli *cli, int n_workers, struct jobs_pool **out,
                               struct pr_error *err);

/* Parses `text` as a whole base-10 integer within [min, max]; false when it is not one. */
bool cli_parse_integer(const char *text, long long min, long long max, long long *out);

/* Formats epoch ms for tables ("-" for 0). */
const char *cli_format_time(int64_t ms, char *out, size_t out_size);

#endif
