/* prospect schedule add|list|remove|enable|disable|tick: cron schedules that enqueue jobs. */
#include "cli/cli.h"

#include "jobs/scheduler.h"
#include "store/schedules.h"
#include "util/arena.h"
#include "util/json.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

static const char usage[] =
    "usage: prospect schedule add NAME --cron EXPR --job KIND [--tz ZONE] [--payload JSON]\n"
    "       prospect schedule list\n"
    "       prospect schedule remove|enable|disable NAME\n"
    "       prospect schedule tick      fire the due schedules now (what `serve` does)\n"
    "       (each also takes --tenant SLUG)\n"
    "\n"
    "EXPR is a 5-field cron expression (minute hour day month weekday; names like MON and\n"
    "JAN and @daily work), read in ZONE, an IANA time zone (default UTC): for example\n"
    "--cron \"0 7 * * 1-5\" --tz America/New_York. Across daylight-saving changes a skipped\n"
    "time fires at the change and a repeated time fires once. A schedule that missed runs\n"
    "while Prospect was down fires once, not once per missed slot; a firing whose previous\n"
    "job has not finished is skipped.\n";

struct schedule_args {
    const char *tenant;
    const char *cron;
    const char *tz;
    const char *job;
    const char *payload;
};

static int parse(struct cli *cli, struct schedule_args *args)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},  {"cron", required_argument, NULL, 'c'},
        {"tz", required_argument, NULL, 'z'},      {"job", required_argument, NULL, 'j'},
        {"payload", required_argument, NULL, 'p'}, {NULL, 0, NULL, 0},
    };
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        if (opt == 't')
            args->tenant = optarg;
        else if (opt == 'c')
            args->cron = optarg;
        else if (opt == 'z')
            args->tz = optarg;
        else if (opt == 'j')
            args->job = optarg;
        else if (opt == 'p')
            args->payload = optarg;
        else
            return cli_usage_error("schedule", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    return 0;
}

static bool is_kind_name(const char *kind)
{
    size_t i, len = strlen(kind);

    for (i = 0; i < len; i++)
        if (!((kind[i] >= 'a' && kind[i] <= 'z') || (kind[i] >= '0' && kind[i] <= '9') ||
              strchr("._-", kind[i]) != NULL))
            return false;
    return len > 0 && len <= 100;
}

static int schedule_add(struct cli *cli, const struct schedule_args *args,
                        const struct tenant_ctx *t, const char *name)
{
    struct pr_error err;
    json_t *payload = NULL;
    int64_t next = 0, id = 0;
    char when[32];
    const char *tz = args->tz ? args->tz : "UTC";
    enum pr_code rc;

    if (args->cron == NULL || args->job == NULL)
        return cli_usage_error("schedule", "schedule add needs --cron EXPR and --job KIND");
    if (!is_kind_name(args->job))
        return cli_usage_error("schedule", "--job takes a job kind of a-z, 0-9, '.', '_', '-'");
    if (args->payload != NULL) {
        rc =
            json_parse_limited(args->payload, strlen(args->payload), 64 * 1024, 16, &payload, &err);
        if (rc == PR_OK && !json_is_object(payload))
            rc = pr_error_set(&err, PR_INVALID, "--payload must be a JSON object");
        json_decref(payload);
        if (rc != PR_OK)
            return cli_fail(cli, &err);
    }
    rc = jobs_schedule_next(args->cron, tz, clock_now_ms(cli->app.clock), &next, &err);
    if (rc == PR_OK)
        rc = store_schedules_create(cli->app.st, t, name, args->job,
                                    args->payload ? args->payload : "{}", args->cron, tz, next, &id,
                                    &err);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 "\n", id);
    fprintf(stderr, "Schedule \"%s\" added; it first fires at %s UTC.\n", name,
            cli_format_time(next, when, sizeof when));
    return 0;
}

static int schedule_list(struct cli *cli, const struct tenant_ctx *t)
{
    struct schedule *rows = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char next[32], last[32];

    if (store_schedules_list(cli->app.st, t, a, &rows, &n, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-20s %-8s %-18s %-20s %-20s %-20s %s\n", "NAME", "ENABLED", "CRON", "ZONE",
           "NEXT RUN (UTC)", "LAST RUN (UTC)", "JOB");
    for (i = 0; i < n; i++)
        printf("%-20.20s %-8s %-18.18s %-20.20s %-20s %-20s %s\n", rows[i].name,
               rows[i].is_enabled ? "yes" : "no", rows[i].cron, rows[i].time_zone,
               cli_format_time(rows[i].next_run_at, next, sizeof next),
               cli_format_time(rows[i].last_run_at, last, sizeof last), rows[i].job_kind);
    arena_free(a);
    return 0;
}

static int schedule_by_name(struct cli *cli, const struct tenant_ctx *t, const char *sub,
                            const char *name)
{
    struct schedule s;
    struct pr_error err;
    struct arena *a = arena_new(1024);
    enum pr_code rc = store_schedules_find_by_name(cli->app.st, t, name, a, &s, &err);

    if (rc == PR_OK && strcmp(sub, "remove") == 0)
        rc = store_schedules_remove(cli->app.st, t, s.id, &err);
    else if (rc == PR_OK)
        rc = store_schedules_set_enabled(cli->app.st, t, s.id, strcmp(sub, "enable") == 0, &err);
    arena_free(a);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Schedule \"%s\" %s.\n", name,
            strcmp(sub, "remove") == 0   ? "removed"
            : strcmp(sub, "enable") == 0 ? "enabled"
                                         : "disabled");
    return 0;
}

static int schedule_tick(struct cli *cli)
{
    struct jobs_env env = {cli->app.st, cli->app.clock, cli->app.log, 0, 0, 0};
    struct pr_error err;
    int64_t n_fired = 0, n_skipped = 0;

    if (jobs_scheduler_tick(&env, &n_fired, &n_skipped, &err) != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 " fired, %" PRId64 " skipped (previous job unfinished)\n", n_fired,
           n_skipped);
    return 0;
}

int cli_cmd_schedule(struct cli *cli)
{
    static const char *const subs[] = {"add", "list", "remove", "enable", "disable", "tick"};
    struct schedule_args args;
    struct tenant_ctx t;
    struct pr_error err;
    const char *sub;
    bool is_known = false, takes_name;
    size_t i;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("schedule", "missing subcommand (add, list, remove, enable, "
                                           "disable or tick)");
    cli->argc--;
    cli->argv++;
    sub = cli->argv[0];
    for (i = 0; i < sizeof subs / sizeof subs[0]; i++)
        is_known = is_known || strcmp(sub, subs[i]) == 0;
    if (!is_known)
        return cli_usage_error("schedule", "unknown subcommand \"%s\"", sub);
    memset(&args, 0, sizeof args);
    status = parse(cli, &args);
    if (status != 0)
        return status;
    takes_name = strcmp(sub, "list") != 0 && strcmp(sub, "tick") != 0;
    if (optind != cli->argc - (takes_name ? 1 : 0))
        return cli_usage_error("schedule", "schedule %s takes %s", sub,
                               takes_name ? "exactly one NAME" : "no argument");
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "tick") == 0) /* the scheduler serves every tenant */
        return schedule_tick(cli);
    if (cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "add") == 0)
        return schedule_add(cli, &args, &t, cli->argv[optind]);
    if (strcmp(sub, "list") == 0)
        return schedule_list(cli, &t);
    return schedule_by_name(cli, &t, sub, cli->argv[optind]);
}
