/*
 * prospect serve: the long-running process. Runs the job workers and, once a second, the
 * scheduler, until SIGTERM or SIGINT; then stops claiming, lets running jobs finish and exits 0.
 * (The HTTP API joins this process in its own issue.)
 */
#include "cli/cli.h"

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
    "usage: prospect serve [--workers N]\n"
    "\n"
    "Runs the job workers (pipeline runs, scheduled jobs) and fires cron schedules until it\n"
    "receives SIGTERM or SIGINT, then lets running jobs finish and exits 0. Jobs left running\n"
    "by a process that was killed on this host are taken back at start-up.\n"
    "\n"
    "  --workers N   worker threads, 1 to 64 (default: jobs.workers, 2)\n";

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

static int parse(struct cli *cli, int *n_workers)
{
    static const struct option options[] = {
        {"workers", required_argument, NULL, 'w'},
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
            *n_workers = (int)number;
        else if (opt == 'w')
            return cli_usage_error("serve", "--workers takes a number from 1 to 64");
        else
            return cli_usage_error("serve", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    if (optind < cli->argc)
        return cli_usage_error("serve", "unexpected argument \"%s\"", cli->argv[optind]);
    return 0;
}

int cli_cmd_serve(struct cli *cli)
{
    struct jobs_env env;
    struct jobs_pool *pool = NULL;
    struct sigaction sa;
    struct pr_error err;
    int n_workers = 0, status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    status = parse(cli, &n_workers);
    if (status != 0)
        return status;
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    (void)sigaction(SIGTERM, &sa, NULL);
    (void)sigaction(SIGINT, &sa, NULL);
    if (cli_workers_start(cli, n_workers, &pool, &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "prospect: serving jobs with %d worker(s); stop with SIGTERM or Ctrl-C\n",
            n_workers > 0 ? n_workers : cli->cfg->jobs_workers);
    memset(&env, 0, sizeof env);
    env.st = cli->app.st;
    env.clock = cli->app.clock;
    env.log = cli->app.log;
    while (!stop_requested) {
        if (jobs_scheduler_tick(&env, NULL, NULL, &err) != PR_OK)
            log_error(cli->app.log, LOG_ERROR, "scheduler", &err);
        (void)sleep(1); /* a signal cuts the sleep short */
    }
    fprintf(stderr, "prospect: stopping: waiting for running jobs to finish\n");
    jobs_pool_stop(pool);
    fprintf(stderr, "prospect: stopped\n");
    return 0;
}
