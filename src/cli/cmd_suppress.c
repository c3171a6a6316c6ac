/* prospect suppress add|import|list|remove */
#include "cli/cli.h"

#include "app/suppress.h"
#include "store/suppressions.h"
#include "util/arena.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect suppress add VALUE [--kind email|phone|domain] [--reason R] [--source S]\n"
    "       prospect suppress import FILE.csv [--reason R] [--source S]\n"
    "       prospect suppress list [--kind K] [--after ID] [--limit N]\n"
    "       prospect suppress remove ID\n"
    "       (each also takes --tenant SLUG)\n"
    "\n"
    "The suppression list holds e-mail addresses, phone numbers and domains that are never\n"
    "exported or contacted. Matching leads are kept and flagged at once, including leads\n"
    "imported later. The kind is guessed when not given (an '@' means e-mail, digits a phone).\n"
    "Reasons: unsubscribe, bounce, complaint, manual (default), do_not_call, legal, other.\n"
    "import reads the column named email, phone, domain or value, else the first column.\n";

struct suppress_args {
    const char *tenant;
    const char *kind;
    const char *reason;
    const char *source;
    int64_t after;
    int limit;
};

static int parse(struct cli *cli, struct suppress_args *args)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"kind", required_argument, NULL, 'k'},
        {"reason", required_argument, NULL, 'r'},
        {"source", required_argument, NULL, 's'},
        {"after", required_argument, NULL, 'a'},
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
        } else if (opt == 'k') {
            args->kind = optarg;
        } else if (opt == 'r') {
            args->reason = optarg;
        } else if (opt == 's') {
            args->source = optarg;
        } else if (opt == 'a' || opt == 'l') {
            if (!cli_parse_integer(optarg, 0, opt == 'l' ? 1000 : LLONG_MAX, &number))
                return cli_usage_error("suppress", "--%s takes a number%s",
                                       opt == 'a' ? "after" : "limit",
                                       opt == 'l' ? " from 1 to 1000" : "");
            if (opt == 'a')
                args->after = number;
            else
                args->limit = (int)number;
        } else {
            return cli_usage_error("suppress", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    return 0;
}

static int suppress_add(struct cli *cli, struct suppress_args *args, const struct tenant_ctx *t)
{
    struct pr_error err;
    bool was_new = false;
    int64_t id = 0, n_flagged = 0;

    if (app_suppress_add(&cli->app, &cli->actor, t, cli->argv[optind], args->kind,
                         args->reason ? args->reason : "manual",
                         args->source ? args->source : "cli", &id, &was_new, &n_flagged,
                         &err) != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 "\n", id);
    fprintf(stderr, "%s; %" PRId64 " contact%s now suppressed by it.\n",
            was_new ? "Added to the suppression list" : "Already on the suppression list",
            n_flagged, n_flagged == 1 ? " is" : "s are");
    return 0;
}

static int suppress_import(struct cli *cli, struct suppress_args *args, const struct tenant_ctx *t)
{
    struct suppress_import_counts counts;
    struct pr_error err;

    if (app_suppress_import(
            &cli->app, &cli->actor, t, cli->argv[optind], args->reason ? args->reason : "manual",
            args->source ? args->source : cli->argv[optind], &counts, &err) != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 " added, %" PRId64 " already listed, %" PRId64 " invalid\n", counts.n_added,
           counts.n_existing, counts.n_invalid);
    if (counts.n_invalid > 0)
        fprintf(stderr, "First invalid value on line %" PRId64 ": %s\n", counts.first_invalid_line,
                counts.first_invalid_reason);
    return 0;
}

static int suppress_list(struct cli *cli, struct suppress_args *args, const struct tenant_ctx *t)
{
    struct suppression *rows = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char created[32];

    if (store_suppressions_list(cli->app.st, t, args->kind, args->after, args->limit, a, &rows, &n,
                                &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-8s %-7s %-12s %-20s %-16s %s\n", "ID", "KIND", "REASON", "ADDED", "SOURCE", "VALUE");
    for (i = 0; i < n; i++)
        printf("%-8" PRId64 " %-7s %-12s %-20s %-16s %s\n", rows[i].id, rows[i].kind,
               rows[i].reason, cli_format_time(rows[i].created_at, created, sizeof created),
               rows[i].source, rows[i].value);
    if (n > 0 && n == (size_t)(args->limit > 0 ? args->limit : 50))
        fprintf(stderr, "More: prospect suppress list --after %" PRId64 "\n", rows[n - 1].id);
    arena_free(a);
    return 0;
}

static int suppress_remove(struct cli *cli, const struct tenant_ctx *t)
{
    struct pr_error err;
    long long id;
    int64_t n = 0;

    if (!cli_parse_integer(cli->argv[optind], 1, LLONG_MAX, &id))
        return cli_usage_error("suppress", "remove takes the numeric ID shown by suppress list");
    if (app_suppress_remove(&cli->app, &cli->actor, t, id, &n, &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Removed; %" PRId64 " contact%s re-evaluated.\n", n, n == 1 ? "" : "s");
    return 0;
}

int cli_cmd_suppress(struct cli *cli)
{
    struct suppress_args args;
    struct tenant_ctx t;
    struct pr_error err;
    const char *sub;
    bool takes_argument;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("suppress", "missing subcommand (add, import, list or remove)");
    cli->argc--;
    cli->argv++;
    sub = cli->argv[0];
    if (strcmp(sub, "add") != 0 && strcmp(sub, "import") != 0 && strcmp(sub, "list") != 0 &&
        strcmp(sub, "remove") != 0)
        return cli_usage_error("suppress", "unknown subcommand \"%s\"", sub);
    memset(&args, 0, sizeof args);
    status = parse(cli, &args);
    if (status != 0)
        return status;
    takes_argument = strcmp(sub, "list") != 0;
    if (optind != cli->argc - (takes_argument ? 1 : 0))
        return cli_usage_error("suppress", "suppress %s takes %s", sub,
                               takes_argument ? "exactly one argument" : "no argument");
    if (cli_open(cli, false, &err) != PR_OK ||
        cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "add") == 0)
        return suppress_add(cli, &args, &t);
    if (strcmp(sub, "import") == 0)
        return suppress_import(cli, &args, &t);
    if (strcmp(sub, "list") == 0)
        return suppress_list(cli, &args, &t);
    return suppress_remove(cli, &t);
}
