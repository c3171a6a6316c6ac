/*
 * prospect run NAME [--yes] [--wait]: "run now" for a pipeline, which first answers with a dry
 * run; prospect runs list|show: past and current runs with their steps, counts and credits.
 */
#include "cli/cli.h"

#include "cli/progress.h"
#include "jobs/pool.h"
#include "store/pipelines.h"
#include "util/arena.h"

#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static const char run_usage[] =
    "usage: prospect run NAME [--yes] [--wait] [--tenant SLUG]\n"
    "\n"
    "Without --yes, shows what a run of the pipeline would do (steps, estimated items and\n"
    "credits) and starts nothing. With --yes, starts a run; `prospect serve` carries it out,\n"
    "or --wait runs the workers here until the run ends. One run per pipeline at a time: a\n"
    "second start is refused with \"already running\" (exit 65).\n"
    "\n"
    "  --yes    start the run\n"
    "  --wait   run it in this process and wait for it (exit 1 when the run fails)\n";

static const char runs_usage[] =
    "usage: prospect runs list [--pipeline NAME] [--limit N]\n"
    "       prospect runs show ID\n"
    "       prospect runs cancel ID   stop a running run (its import ends failed)\n"
    "       (each also takes --tenant SLUG)\n";

struct run_args {
    const char *tenant;
    const char *pipeline;
    bool yes;
    bool wait;
    int limit;
};

static int parse(struct cli *cli, const char *command, struct run_args *args)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'}, {"yes", no_argument, NULL, 'y'},
        {"wait", no_argument, NULL, 'w'},         {"pipeline", required_argument, NULL, 'p'},
        {"limit", required_argument, NULL, 'l'},  {NULL, 0, NULL, 0},
    };
    long long number;
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        if (opt == 't')
            args->tenant = optarg;
        else if (opt == 'y')
            args->yes = true;
        else if (opt == 'w')
            args->wait = true;
        else if (opt == 'p')
            args->pipeline = optarg;
        else if (opt == 'l' && cli_parse_integer(optarg, 1, 1000, &number))
            args->limit = (int)number;
        else if (opt == 'l')
            return cli_usage_error(command, "--limit takes a number from 1 to 1000");
        else
            return cli_usage_error(command, "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    return 0;
}

static int print_estimate(struct cli *cli, const struct tenant_ctx *t, const char *name)
{
    struct pipeline_estimate e;
    struct pr_error err;
    size_t i;

    cli_pipeline_env(cli);
    if (app_pipeline_estimate(&cli->app, t, &cli->pipeline, name, &e, &err) != PR_OK)
        return cli_fail(cli, &err);
    printf("Pipeline \"%s\" would run %zu step(s):\n", name, e.n_steps);
    for (i = 0; i < e.n_steps; i++)
        printf("  %zu. %-8s up to %" PRId64 " item(s), %" PRId64 " credit(s)\n", i + 1,
               e.steps[i].name, e.steps[i].items, e.steps[i].credits);
    printf("Estimated cost: %" PRId64 " credit(s).\n", e.credits);
    if (e.is_running)
        printf("Run %" PRId64 " is in progress: a new run would be refused until it ends.\n",
               e.running_run_id);
    printf("Nothing was started. To start it: prospect run %s --yes\n", name);
    return 0;
}

static int print_run(struct cli *cli, const struct tenant_ctx *t, int64_t run_id)
{
    struct pipeline_run run;
    struct pipeline_run_step *steps = NULL;
    struct pipeline p;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char started[32], finished[32];
    enum pr_code rc = store_pipeline_runs_get(cli->app.st, t, run_id, a, &run, &err);

    if (rc == PR_OK)
        rc = store_pipelines_get(cli->app.st, t, run.pipeline_id, a, &p, &err);
    if (rc == PR_OK)
        rc = store_pipeline_runs_steps(cli->app.st, t, run_id, a, &steps, &n, &err);
    if (rc != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("run %" PRId64 "  pipeline %s  %s  trigger %s  credits %" PRId64 "\n", run.id, p.name,
           run.status, run.trigger, run.credits_spent);
    printf("started %s UTC  finished %s UTC\n",
           cli_format_time(run.created_at, started, sizeof started),
           cli_format_time(run.finished_at, finished, sizeof finished));
    if (run.error != NULL)
        printf("error: %s\n", run.error);
    printf("%-4s %-8s %-10s %-13s %-10s %-10s %s\n", "STEP", "NAME", "STATUS", "CHUNKS", "ITEMS",
           "REJECTED", "DETAIL");
    for (i = 0; i < n; i++) {
        char chunks[32];

        (void)snprintf(chunks, sizeof chunks, "%" PRId64 "/%" PRId64, steps[i].chunks_done,
                       steps[i].chunks_total);
        printf("%-4" PRId64 " %-8s %-10s %-13s %-10" PRId64 " %-10" PRId64 " %s\n",
               steps[i].step_index + 1, steps[i].name, steps[i].status, chunks, steps[i].n_items,
               steps[i].n_rejected, steps[i].detail);
    }
    arena_free(a);
    return 0;
}

/* Runs the workers here until the run ends; progress on a terminal. */
static int wait_for(struct cli *cli, const struct tenant_ctx *t, int64_t run_id)
{
    struct jobs_pool *pool = NULL;
    struct cli_progress progress;
    struct pr_error err;
    struct arena *a = arena_new(0);
    struct pipeline_run run;
    enum pr_code rc = cli_workers_start(cli, 0, &pool, &err);
    bool has_failed = false;

    cli_progress_start(&progress, cli->app.clock);
    while (rc == PR_OK) {
        struct timespec pause = {0, 200 * 1000 * 1000};
        struct pipeline_run_step *steps = NULL;
        size_t n = 0;

        arena_reset(a);
        rc = store_pipeline_runs_get(cli->app.st, t, run_id, a, &run, &err);
        if (rc == PR_OK)
            rc = store_pipeline_runs_steps(cli->app.st, t, run_id, a, &steps, &n, &err);
        if (rc != PR_OK || strcmp(run.status, "running") != 0)
            break;
        if (n > 0)
            cli_progress_update(&progress, (uint64_t)steps[n - 1].chunks_done,
                                (uint64_t)steps[n - 1].chunks_total, steps[n - 1].n_items);
        (void)nanosleep(&pause, NULL);
    }
    cli_progress_finish(&progress);
    jobs_pool_stop(pool);
    if (rc == PR_OK)
        has_failed = strcmp(run.status, "succeeded") != 0;
    arena_free(a);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    (void)print_run(cli, t, run_id);
    return has_failed ? 1 : 0;
}

int cli_cmd_run(struct cli *cli)
{
    struct run_args args;
    struct tenant_ctx t;
    struct pr_error err;
    int64_t run_id = 0;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(run_usage, stdout);
        return 0;
    }
    memset(&args, 0, sizeof args);
    status = parse(cli, "run", &args);
    if (status != 0)
        return status;
    if (optind != cli->argc - 1)
        return cli_usage_error("run", "run takes exactly one pipeline NAME");
    if (args.wait && !args.yes)
        return cli_usage_error("run", "--wait starts the run: add --yes");
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (!args.yes)
        return print_estimate(cli, &t, cli->argv[optind]);
    if (app_pipeline_start(&cli->app, &cli->actor, &t, cli->argv[optind], "manual", &run_id,
                           &err) != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 "\n", run_id);
    fflush(stdout);
    if (args.wait)
        return wait_for(cli, &t, run_id);
    fprintf(stderr,
            "Run %" PRId64 " started; `prospect serve` carries it out. Follow it with: "
            "prospect runs show %" PRId64 "\n",
            run_id, run_id);
    return 0;
}

static int runs_list(struct cli *cli, const struct tenant_ctx *t, const struct run_args *args)
{
    struct pipeline_run *rows = NULL;
    struct pipeline p;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char started[32];
    enum pr_code rc = PR_OK;

    p.id = 0;
    if (args->pipeline != NULL)
        rc = store_pipelines_find_by_name(cli->app.st, t, args->pipeline, a, &p, &err);
    if (rc == PR_OK)
        rc = store_pipeline_runs_list(cli->app.st, t, p.id, 0, args->limit, a, &rows, &n, &err);
    if (rc != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-8s %-10s %-10s %-9s %-6s %-8s %s\n", "ID", "PIPELINE", "STATUS", "TRIGGER", "STEP",
           "CREDITS", "STARTED (UTC)");
    for (i = 0; i < n; i++)
        printf("%-8" PRId64 " %-10" PRId64 " %-10s %-9s %" PRId64 "/%-4" PRId64 " %-8" PRId64
               " %s\n",
               rows[i].id, rows[i].pipeline_id, rows[i].status, rows[i].trigger, rows[i].step_index,
               rows[i].n_steps, rows[i].credits_spent,
               cli_format_time(rows[i].created_at, started, sizeof started));
    arena_free(a);
    return 0;
}

int cli_cmd_runs(struct cli *cli)
{
    struct run_args args;
    struct tenant_ctx t;
    struct pr_error err;
    long long id = 0;
    const char *sub;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(runs_usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("runs", "missing subcommand (list, show or cancel)");
    cli->argc--;
    cli->argv++;
    sub = cli->argv[0];
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 && strcmp(sub, "cancel") != 0)
        return cli_usage_error("runs", "unknown subcommand \"%s\"", sub);
    memset(&args, 0, sizeof args);
    status = parse(cli, "runs", &args);
    if (status != 0)
        return status;
    if (strcmp(sub, "list") != 0 &&
        (optind != cli->argc - 1 || !cli_parse_integer(cli->argv[optind], 1, LLONG_MAX, &id)))
        return cli_usage_error("runs", "runs %s takes one run ID", sub);
    if (strcmp(sub, "list") == 0 && optind != cli->argc)
        return cli_usage_error("runs", "runs list takes no argument");
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "cancel") == 0) {
        cli_pipeline_env(cli);
        if (app_pipeline_cancel(&cli->app, &cli->actor, &t, &cli->pipeline, id, &err) != PR_OK)
            return cli_fail(cli, &err);
        fprintf(stderr, "Run %lld cancelled.\n", id);
        return 0;
    }
    return strcmp(sub, "show") == 0 ? print_run(cli, &t, id) : runs_list(cli, &t, &args);
}
