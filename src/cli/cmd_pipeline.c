/* prospect pipeline add|list|show|remove: defining pipelines (docs/pipelines.md). */
#include "cli/cli.h"

#include "store/pipelines.h"
#include "util/arena.h"
#include "util/json.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect pipeline add NAME --import FILE [--source NAME] [--list NAME]\n"
    "                             [--trust N] [--region CC]\n"
    "                             [--score [--icp FILE]]\n"
    "                             [--export FORMAT --out-dir DIR [--min-score N]]\n"
    "       prospect pipeline add NAME --steps JSON\n"
    "       prospect pipeline list\n"
    "       prospect pipeline show NAME\n"
    "       prospect pipeline remove NAME\n"
    "       (each also takes --tenant SLUG)\n"
    "\n"
    "A pipeline is an ordered list of steps run by `prospect run NAME`: import a CSV file\n"
    "(normalizing, deduplicating, flagging suppressed leads), score every lead with the ICP,\n"
    "export the leads to a new CSV file per run in DIR. Paths are stored absolute.\n"
    "\n"
    "  --import FILE     the CSV file to import on every run (an unchanged file is skipped)\n"
    "  --source, --list, --trust, --region   as for `prospect import`\n"
    "  --score           score every lead after the import\n"
    "  --icp FILE        the ICP to score with (default: scoring.icp_file)\n"
    "  --export FORMAT   generic, hubspot or vanillasoft\n"
    "  --out-dir DIR     where each run writes NAME-run-ID.csv\n"
    "  --min-score N     export only leads scoring at least N\n"
    "  --steps JSON      the definition itself, e.g.\n"
    "                    '[{\"step\":\"import\",\"file\":\"/data/leads.csv\"}]'\n";

struct pipeline_args {
    const char *tenant;
    const char *import_file;
    const char *source;
    const char *list;
    const char *region;
    long long trust;
    bool has_trust;
    bool score;
    const char *icp;
    const char *export_format;
    const char *out_dir;
    long long min_score;
    bool has_min_score;
    const char *steps;
};

static int parse(struct cli *cli, struct pipeline_args *args)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"import", required_argument, NULL, 'i'},
        {"source", required_argument, NULL, 's'},
        {"list", required_argument, NULL, 'l'},
        {"region", required_argument, NULL, 'R'},
        {"trust", required_argument, NULL, 'T'},
        {"score", no_argument, NULL, 'S'},
        {"icp", required_argument, NULL, 'c'},
        {"export", required_argument, NULL, 'e'},
        {"out-dir", required_argument, NULL, 'o'},
        {"min-score", required_argument, NULL, 'm'},
        {"steps", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        switch (opt) {
        case 't':
            args->tenant = optarg;
            break;
        case 'i':
            args->import_file = optarg;
            break;
        case 's':
            args->source = optarg;
            break;
        case 'l':
            args->list = optarg;
            break;
        case 'R':
            args->region = optarg;
            break;
        case 'S':
            args->score = true;
            break;
        case 'c':
            args->icp = optarg;
            break;
        case 'e':
            args->export_format = optarg;
            break;
        case 'o':
            args->out_dir = optarg;
            break;
        case 'j':
            args->steps = optarg;
            break;
        case 'T':
            if (!cli_parse_integer(optarg, 0, 100, &args->trust))
                return cli_usage_error("pipeline", "--trust takes a number from 0 to 100");
            args->has_trust = true;
            break;
        case 'm':
            if (!cli_parse_integer(optarg, 0, 100, &args->min_score))
                return cli_usage_error("pipeline", "--min-score takes a number from 0 to 100");
            args->has_min_score = true;
            break;
        default:
            return cli_usage_error("pipeline", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    return 0;
}

/* The absolute form of an existing path (the server's working directory is not the user's). */
static enum pr_code absolute(const char *what, const char *path, json_t *step, const char *key,
                             struct pr_error *err)
{
    char full[PATH_MAX];

    if (realpath(path, full) == NULL) {
        pr_error_set(err, PR_NOT_FOUND, "%s %s: %s", what, path, strerror(errno));
        return pr_error_hint(err, "give a path that exists");
    }
    (void)json_object_set_new(step, key, json_string(full));
    return PR_OK;
}

static void set_optional(json_t *step, const char *key, const char *value)
{
    if (value != NULL)
        (void)json_object_set_new(step, key, json_string(value));
}

/* Builds the definition from the options. */
static enum pr_code build_steps(struct cli *cli, const struct pipeline_args *args, json_t *steps,
                                struct pr_error *err)
{
    json_t *step = json_pack("{s:s}", "step", "import");
    enum pr_code rc = absolute("import file", args->import_file, step, "file", err);

    set_optional(step, "source", args->source);
    set_optional(step, "list", args->list);
    set_optional(step, "region", args->region);
    if (args->has_trust)
        (void)json_object_set_new(step, "trust", json_integer(args->trust));
    (void)json_array_append_new(steps, step);
    if (rc == PR_OK && args->score) {
        const char *icp = args->icp ? args->icp : cli->cfg->scoring_icp_file;

        step = json_pack("{s:s}", "step", "score");
        (void)json_array_append_new(steps, step);
        if (icp == NULL) {
            pr_error_set(err, PR_USAGE, "--score needs an ICP");
            return pr_error_hint(err, "pass --icp FILE or set scoring.icp_file");
        }
        rc = absolute("ICP file", icp, step, "icp", err);
    }
    if (rc == PR_OK && args->export_format != NULL) {
        step = json_pack("{s:s,s:s}", "step", "export", "format", args->export_format);
        (void)json_array_append_new(steps, step);
        if (args->out_dir == NULL) {
            pr_error_set(err, PR_USAGE, "--export needs --out-dir DIR");
            return pr_error_hint(err, "each run writes NAME-run-ID.csv into DIR");
        }
        rc = absolute("output directory", args->out_dir, step, "dir", err);
        set_optional(step, "list", args->list);
        if (args->has_min_score)
            (void)json_object_set_new(step, "min_score", json_integer(args->min_score));
    }
    return rc;
}

static int pipeline_add(struct cli *cli, const struct pipeline_args *args,
                        const struct tenant_ctx *t, const char *name)
{
    struct pr_error err;
    struct buf text;
    json_t *steps = json_array();
    int64_t id = 0;
    enum pr_code rc = PR_OK;

    buf_init(&text, 64 * 1024);
    if (args->steps != NULL)
        (void)buf_puts(&text, args->steps);
    else
        rc = build_steps(cli, args, steps, &err);
    if (rc == PR_OK && args->steps == NULL && json_dump_buf(steps, &text) != PR_OK)
        rc = pr_error_set(&err, PR_INVALID, "the pipeline definition is too long");
    if (rc == PR_OK) {
        cli_pipeline_env(cli);
        rc = app_pipeline_create(&cli->app, &cli->actor, t, &cli->pipeline, name, buf_cstr(&text),
                                 &id, &err);
    }
    json_decref(steps);
    buf_free(&text);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 "\n", id);
    fprintf(stderr, "Pipeline \"%s\" added. See what a run would do: prospect run %s\n", name,
            name);
    return 0;
}

/* "import -> score -> export" from a definition. */
static void print_step_names(const char *steps_json)
{
    json_error_t ignored;
    json_t *steps = json_loads(steps_json, 0, &ignored);
    size_t i;

    for (i = 0; i < json_array_size(steps); i++)
        printf("%s%s", i > 0 ? " -> " : "",
               json_string_value(json_object_get(json_array_get(steps, i), "step")));
    json_decref(steps);
}

static int pipeline_list(struct cli *cli, const struct tenant_ctx *t)
{
    struct pipeline *rows = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;

    if (store_pipelines_list(cli->app.st, t, a, &rows, &n, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-24s %s\n", "NAME", "STEPS");
    for (i = 0; i < n; i++) {
        printf("%-24.24s ", rows[i].name);
        print_step_names(rows[i].steps);
        putchar('\n');
    }
    arena_free(a);
    return 0;
}

static int pipeline_show(struct cli *cli, const struct tenant_ctx *t, const char *name)
{
    struct pipeline p;
    struct pr_error err;
    struct arena *a = arena_new(0);
    json_error_t ignored;
    json_t *steps;

    if (store_pipelines_find_by_name(cli->app.st, t, name, a, &p, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    steps = json_loads(p.steps, 0, &ignored);
    if (steps == NULL || json_dumpf(steps, stdout, JSON_INDENT(2)) != 0)
        fputs(p.steps, stdout);
    putchar('\n');
    json_decref(steps);
    arena_free(a);
    return 0;
}

int cli_cmd_pipeline(struct cli *cli)
{
    struct pipeline_args args;
    struct tenant_ctx t;
    struct pr_error err;
    const char *sub;
    bool takes_name;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("pipeline", "missing subcommand (add, list, show or remove)");
    cli->argc--;
    cli->argv++;
    sub = cli->argv[0];
    if (strcmp(sub, "add") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 &&
        strcmp(sub, "remove") != 0)
        return cli_usage_error("pipeline", "unknown subcommand \"%s\"", sub);
    memset(&args, 0, sizeof args);
    status = parse(cli, &args);
    if (status != 0)
        return status;
    takes_name = strcmp(sub, "list") != 0;
    if (optind != cli->argc - (takes_name ? 1 : 0))
        return cli_usage_error("pipeline", "pipeline %s takes %s", sub,
                               takes_name ? "exactly one NAME" : "no argument");
    if (strcmp(sub, "add") == 0 && (args.import_file == NULL) == (args.steps == NULL))
        return cli_usage_error("pipeline", "pipeline add needs --import FILE or --steps JSON");
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "add") == 0)
        return pipeline_add(cli, &args, &t, cli->argv[optind]);
    if (strcmp(sub, "list") == 0)
        return pipeline_list(cli, &t);
    if (strcmp(sub, "show") == 0)
        return pipeline_show(cli, &t, cli->argv[optind]);
    if (app_pipeline_remove(&cli->app, &cli->actor, &t, cli->argv[optind], &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Pipeline \"%s\" removed.\n", cli->argv[optind]);
    return 0;
}
