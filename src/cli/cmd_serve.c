/*
 * prospect serve: the long-running process. Runs the HTTP API (api/server.h), the job workers
 * and, once a second, the scheduler, until SIGTERM or SIGINT; then stops the HTTP server first
 * (no new connections, requests in flight finish), then stops claiming jobs, lets running
 * jobs finish and exits 0.
 */
#include "cli/cli.h"

#include "api/server.h"
#include "jobs/pool.h"
#include "jobs/scheduler.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: prospect serve [--workers N] [--address A] [--port N] [--http-threads N]\n"
    "\n"
    "Serves the HTTP API, runs the job workers (pipeline runs, scheduled jobs) and fires cron\n"
    "schedules until it receives SIGTERM or SIGINT; then stops accepting connections, lets\n"
    "requests and running jobs finish and exits 0. Jobs left running by a process that was\n"
    "killed on this host are taken back at start-up. Prints \"prospect: listening on\n"
    "http://ADDRESS:PORT\" to stderr once the API accepts connections.\n"
    "\n"
    "  --workers N        worker threads, 1 to 64 (default: jobs.workers, 2)\n"
    "  --address A        address to bind (default: server.address, 127.0.0.1)\n"
    "  --port N           port, 0 to 65535; 0 picks a free one (default: server.port, 8080)\n"
    "  --http-threads N   HTTP request threads, 1 to 64 (default: 4)\n";

struct serve_options {
    int n_workers;       /* 0: jobs.workers */
    const char *address; /* NULL: server.address */
    int port;            /* -1: server.port */
    int n_http_threads;  /* 0: the server's default */
};

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

void cli_pipeline_env(struct cli *cli)
{
    memset(&cli->pipeline, 0, sizeof cli->pipeline);
    cli->pipeline.keyring = cli->app.keyring;
    cli->pipeline.zips = cli_zip_index(cli);
    cli->pipeline.fuzzy_threshold = cli->cfg->ingest_fuzzy_threshold_pct / 100.0;
    cli->pipeline.window_days = cli->cfg->ingest_window_days;
    cli->pipeline.chunk_items = cli->cfg->pipeline_chunk_items;
}

enum pr_code cli_workers_start(struct cli *cli, int n_workers, struct jobs_pool **out,
                               struct pr_error *err)
{
    struct jobs_pool_options opt;
    int64_t n_reclaimed = 0;
    enum pr_code rc = jobs_reclaim_dead_workers(cli->app.st, NULL, &n_reclaimed, err);

    if (rc != PR_OK)
        return rc;
    if (n_reclaimed > 0)
        fprintf(stderr, "prospect: took back %" PRId64 " job(s) of a stopped process\n",
                n_reclaimed);
    cli_pipeline_env(cli);
    cli->n_kinds = app_pipeline_job_kinds(&cli->pipeline, cli->kinds,
                                          sizeof cli->kinds / sizeof cli->kinds[0]);
    memset(&opt, 0, sizeof opt);
    opt.database_path = store_path(cli->app.st);
    opt.busy_timeout_ms = cli->cfg->database_busy_timeout_ms;
    opt.n_workers = n_workers > 0 ? n_workers : cli->cfg->jobs_workers;
    opt.poll_ms = 100;
    opt.kinds = cli->kinds;
    opt.n_kinds = cli->n_kinds;
    opt.policy = retry_policy_default();
    opt.clock = cli->app.clock;
    opt.log = cli->app.log;
    return jobs_pool_start(&opt, out, err);
}

static int parse(struct cli *cli, struct serve_options *so)
{
    static const struct option options[] = {
        {"workers", required_argument, NULL, 'w'},
        {"address", required_argument, NULL, 'a'},
        {"port", required_argument, NULL, 'p'},
        {"http-threads", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    long long number;
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        if (opt == 'w' && cli_parse_integer(optarg, 1, 64, &number))
            so->n_workers = (int)number;
        else if (opt == 'w')
            return cli_usage_error("serve", "--workers takes a number from 1 to 64");
        else if (opt == 'a' && optarg[0] != '\0')
            so->address = optarg;
        else if (opt == 'a')
            return cli_usage_error("serve", "--address takes an address such as 127.0.0.1");
        else if (opt == 'p' && cli_parse_integer(optarg, 0, 65535, &number))
            so->port = (int)number;
        else if (opt == 'p')
            return cli_usage_error("serve", "--port takes a number from 0 to 65535");
        else if (opt == 't' && cli_parse_integer(optarg, 1, 64, &number))
            so->n_http_threads = (int)number;
        else if (opt == 't')
            return cli_usage_error("serve", "--http-threads takes a number from 1 to 64");
        else
            return cli_usage_error("serve", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    if (optind < cli->argc)
        return cli_usage_error("serve", "unexpected argument \"%s\"", cli->argv[optind]);
    return 0;
}

/* Starts the HTTP API with its own logger at log.level (the CLI's logger only shows
 * warnings), so the access log reaches stderr. */
static enum pr_code http_start(struct cli *cli, const struct serve_options *so, struct logger *log,
                               struct api_server **out, struct pr_error *err)
{
    struct api_server_options opt;
    char url[128];
    enum pr_code rc;

    memset(&opt, 0, sizeof opt);
    opt.address = so->address != NULL ? so->address : cli->cfg->server_address;
    opt.port = so->port >= 0 ? so->port : cli->cfg->server_port;
    opt.n_threads = so->n_http_threads;
    opt.database_path = store_path(cli->app.st);
    opt.busy_timeout_ms = cli->cfg->database_busy_timeout_ms;
    opt.clock = cli->app.clock;
    opt.log = log;
    rc = api_server_start(&opt, out, err);
    if (rc != PR_OK)
        return rc;
    api_server_url(*out, url, sizeof url);
    fprintf(stderr, "prospect: listening on %s\n", url);
    return PR_OK;
}

int cli_cmd_serve(struct cli *cli)
{
    struct serve_options so = {0, NULL, -1, 0};
    struct jobs_env env;
    struct jobs_pool *pool = NULL;
    struct api_server *http = NULL;
    struct logger *http_log = NULL;
    struct sigaction sa;
    struct pr_error err;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    status = parse(cli, &so);
    if (status != 0)
        return status;
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGINT, &sa, NULL);
    if (cli_workers_start(cli, so.n_workers, &pool, &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "prospect: serving jobs with %d worker(s); stop with SIGTERM or Ctrl-C\n",
            so.n_workers > 0 ? so.n_workers : cli->cfg->jobs_workers);
    http_log =
        logger_new(STDERR_FILENO, cli->is_verbose ? LOG_DEBUG : cli->cfg->log_level, cli->app.clock,
                   (const char *const *)cli->cfg->log_redact, cli->cfg->n_log_redact);
    if (http_start(cli, &so, http_log, &http, &err) != PR_OK) {
        jobs_pool_stop(pool);
        logger_free(http_log);
        return cli_fail(cli, &err);
    }
    memset(&env, 0, sizeof env);
    env.st = cli->app.st;
    env.clock = cli->app.clock;
    env.log = cli->app.log;
    while (!stop_requested) {
        if (jobs_scheduler_tick(&env, NULL, NULL, &err) != PR_OK)
            log_error(cli->app.log, LOG_ERROR, "scheduler", &err);
        (void)sleep(1); /* a signal cuts the sleep short */
    }
    fprintf(stderr, "prospect: stopping: closing the HTTP server, finishing requests\n");
    api_server_stop(http);
    logger_free(http_log);
    fprintf(stderr, "prospect: stopping: waiting for running jobs to finish\n");
    jobs_pool_stop(pool);
    fprintf(stderr, "prospect: stopped\n");
    return 0;
}
