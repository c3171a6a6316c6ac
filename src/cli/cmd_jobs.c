/* prospect jobs list|show|retry|discard: inspecting the queue and its dead letters. */
#include "cli/cli.h"

#include "store/jobs.h"
#include "util/arena.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect jobs list [--state STATE] [--before ID] [--limit N]\n"
    "       prospect jobs show ID\n"
    "       prospect jobs retry ID      replay a dead letter (a discarded job)\n"
    "       prospect jobs discard ID    cancel a job that is not running or finished\n"
    "       (each also takes --tenant SLUG)\n"
    "\n"
    "States: available, running, succeeded, retryable, discarded (the dead letters),\n"
    "cancelled. `show` prints every attempt with its error class, code and message.\n";

struct jobs_args {
    const char *tenant;
    const char *state;
    int64_t before;
    int limit;
};

static int parse(struct cli *cli, struct jobs_args *args)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"state", required_argument, NULL, 's'},
        {"before", required_argument, NULL, 'b'},
        {"limit", required_argument, NULL, 'l'},
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
        if (opt == 't') {
            args->tenant = optarg;
        } else if (opt == 's') {
            args->state = optarg;
        } else if (opt == 'b' || opt == 'l') {
            if (!cli_parse_integer(optarg, 1, opt == 'l' ? 1000 : LLONG_MAX, &number))
                return cli_usage_error("jobs", "--%s takes a positive number%s",
                                       opt == 'b' ? "before" : "limit",
                                       opt == 'l' ? " up to 1000" : "");
            if (opt == 'b')
                args->before = number;
            else
                args->limit = (int)number;
        } else {
            return cli_usage_error("jobs", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    return 0;
}

static int jobs_list(struct cli *cli, const struct jobs_args *args, const struct tenant_ctx *t)
{
    struct job *jobs = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char when[32];

    if (store_jobs_list(cli->app.st, t, args->state, args->before, args->limit, a, &jobs, &n,
                        &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-8s %-20s %-10s %-9s %-20s %s\n", "ID", "KIND", "STATE", "ATTEMPTS", "RUN AT",
           "LAST ERROR");
    for (i = 0; i < n; i++)
        printf("%-8" PRId64 " %-20.20s %-10s %" PRId64 "/%-7" PRId64 " %-20s %s%s%s\n", jobs[i].id,
               jobs[i].kind, jobs[i].state, jobs[i].attempt, jobs[i].max_attempts,
               cli_format_time(jobs[i].run_at, when, sizeof when),
               jobs[i].last_error_class ? jobs[i].last_error_class : "",
               jobs[i].last_error_class ? ": " : "",
               jobs[i].last_error_message ? jobs[i].last_error_message : "");
    arena_free(a);
    return 0;
}

static int jobs_show(struct cli *cli, const struct tenant_ctx *t, int64_t id)
{
    struct job job;
    struct job_attempt *attempts = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char started[32], finished[32];

    if (store_jobs_get(cli->app.st, t, id, a, &job, &err) != PR_OK ||
        store_jobs_attempts(cli->app.st, t, id, a, &attempts, &n, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("job %" PRId64 " (%s): %s, attempt %" PRId64 " of %" PRId64 "\n", job.id, job.kind,
           job.state, job.attempt, job.max_attempts);
    printf("idempotency key: %s\n", job.idempotency_key ? job.idempotency_key : "");
    if (job.unique_key != NULL)
        printf("unique key: %s\n", job.unique_key);
    printf("payload: %s\n", job.payload);
    for (i = 0; i < n; i++)
        printf("  attempt %" PRId64 "  %-20s %-20s %-14s %s%s%s%s%s\n", attempts[i].attempt,
               cli_format_time(attempts[i].started_at, started, sizeof started),
               cli_format_time(attempts[i].finished_at, finished, sizeof finished),
               attempts[i].outcome ? attempts[i].outcome : "running",
               attempts[i].error_class ? attempts[i].error_class : "",
               attempts[i].error_code ? "/" : "",
               attempts[i].error_code ? attempts[i].error_code : "",
               attempts[i].error_message ? ": " : "",
               attempts[i].error_message ? attempts[i].error_message : "");
    arena_free(a);
    return 0;
}

int cli_cmd_jobs(struct cli *cli)
{
    struct jobs_args args;
    struct tenant_ctx t;
    struct pr_error err;
    const char *sub;
    long long id = 0;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("jobs", "missing subcommand (list, show, retry or discard)");
    cli->argc--;
    cli->argv++;
    sub = cli->argv[0];
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 && strcmp(sub, "retry") != 0 &&
        strcmp(sub, "discard") != 0)
        return cli_usage_error("jobs", "unknown subcommand \"%s\"", sub);
    memset(&args, 0, sizeof args);
    status = parse(cli, &args);
    if (status != 0)
        return status;
    if (strcmp(sub, "list") != 0) {
        if (optind != cli->argc - 1)
            return cli_usage_error("jobs", "jobs %s takes exactly one job ID", sub);
        if (!cli_parse_integer(cli->argv[optind], 1, LLONG_MAX, &id))
            return cli_usage_error("jobs", "a job ID is a positive number");
    } else if (optind != cli->argc) {
        return cli_usage_error("jobs", "unexpected argument \"%s\"", cli->argv[optind]);
    }
    if (cli_open(cli, false, &err) != PR_OK ||
        cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "list") == 0)
        return jobs_list(cli, &args, &t);
    if (strcmp(sub, "show") == 0)
        return jobs_show(cli, &t, id);
    if ((strcmp(sub, "retry") == 0 ? store_jobs_retry(cli->app.st, &t, id, &err)
                                   : store_jobs_cancel(cli->app.st, &t, id, &err)) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Job %lld %s.\n", id,
            strcmp(sub, "retry") == 0 ? "will run again" : "is cancelled");
    return 0;
}
