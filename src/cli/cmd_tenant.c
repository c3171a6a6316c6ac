/* prospect tenant create|list */
#include "cli/cli.h"

#include "app/workspace.h"
#include "store/tenants.h"
#include "util/arena.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

static const char usage[] =
    "usage: prospect tenant create SLUG [--name NAME] [--phone-region CC]\n"
    "       prospect tenant list\n"
    "\n"
    "  create  adds a tenant; SLUG is 1-63 of a-z, 0-9 and '-'. --name defaults to the slug,\n"
    "          --phone-region (default US) is the country assumed for phone numbers without\n"
    "          a country code.\n"
    "  list    shows every tenant.\n";

static int tenant_create(struct cli *cli)
{
    static const struct option options[] = {
        {"name", required_argument, NULL, 'n'},
        {"phone-region", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *name = NULL, *region = NULL, *slug;
    struct pr_error err;
    int64_t id = 0;
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        if (opt == 'n')
            name = optarg;
        else if (opt == 'r')
            region = optarg;
        else
            return cli_usage_error("tenant", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    if (optind != cli->argc - 1)
        return cli_usage_error("tenant", "tenant create takes exactly one SLUG");
    slug = cli->argv[optind];
    if (cli_open(cli, false, &err) != PR_OK ||
        app_tenant_create(&cli->app, &cli->actor, slug, name ? name : slug, region, &id, &err) !=
            PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 "\t%s\n", id, slug);
    fprintf(stderr, "Created tenant \"%s\". Next: `prospect key create --tenant %s --name NAME`.\n",
            slug, slug);
    return 0;
}

static int tenant_list(struct cli *cli)
{
    struct arena *a;
    struct tenant *tenants = NULL;
    struct pr_error err;
    size_t n = 0, i;
    char created[32];

    if (cli->argc != 1)
        return cli_usage_error("tenant", "tenant list takes no arguments");
    if (cli_open(cli, false, &err) != PR_OK)
        return cli_fail(cli, &err);
    a = arena_new(0);
    if (store_tenants_list(cli->app.st, a, &tenants, &n, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-6s %-24s %-10s %-6s %-20s %s\n", "ID", "SLUG", "STATUS", "REGION", "CREATED", "NAME");
    for (i = 0; i < n; i++)
        printf("%-6" PRId64 " %-24s %-10s %-6s %-20s %s\n", tenants[i].id, tenants[i].slug,
               tenants[i].status, tenants[i].phone_region,
               cli_format_time(tenants[i].created_at, created, sizeof created), tenants[i].name);
    arena_free(a);
    return 0;
}

int cli_cmd_tenant(struct cli *cli)
{
    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("tenant", "missing subcommand (create or list)");
    cli->argc--;
    cli->argv++;
    if (strcmp(cli->argv[0], "create") == 0)
        return tenant_create(cli);
    if (strcmp(cli->argv[0], "list") == 0)
        return tenant_list(cli);
    return cli_usage_error("tenant", "unknown subcommand \"%s\"", cli->argv[0]);
}
