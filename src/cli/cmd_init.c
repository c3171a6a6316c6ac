/* prospect init: create the database, the first tenant and an admin API key. */
#include "cli/cli.h"

#include "app/workspace.h"

#include <getopt.h>
#include <string.h>

static const char usage[] =
    "usage: prospect init [--tenant SLUG] [--name NAME] [--key-name NAME]\n"
    "\n"
    "Creates the database (database.path, default var/prospect.db), applies the schema,\n"
    "creates the first tenant and an admin API key with scopes read,write,admin.\n"
    "The key is printed once on standard output; only its hash is stored.\n"
    "\n"
    "  --tenant SLUG    slug of the first tenant (default: default)\n"
    "  --name NAME      display name of the tenant (default: Default)\n"
    "  --key-name NAME  name of the admin key (default: admin)\n";

int cli_cmd_init(struct cli *cli)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"name", required_argument, NULL, 'n'},
        {"key-name", required_argument, NULL, 'k'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *slug = "default", *name = "Default", *key_name = "admin";
    struct app_new_key key;
    struct pr_error err;
    int64_t tenant_id = 0;
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "h", options, NULL);
        if (opt == -1)
            break;
        switch (opt) {
        case 't':
            slug = optarg;
            break;
        case 'n':
            name = optarg;
            break;
        case 'k':
            key_name = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            return cli_usage_error("init", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    if (optind < cli->argc)
        return cli_usage_error("init", "unexpected argument \"%s\"", cli->argv[optind]);
    if (cli_open(cli, true, &err) != PR_OK ||
        app_workspace_init(&cli->app, &cli->actor, slug, name, key_name, &tenant_id, &key, &err) !=
            PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Created database %s (schema version %d).\n", store_path(cli->app.st),
            store_schema_version(cli->app.st));
    fprintf(stderr, "Created tenant \"%s\" and admin API key %s.\n", slug, key.prefix);
    fprintf(stderr, "The key is shown only this once; store it in your secret manager:\n");
    printf("%s\n", key.token);
    fflush(stdout);
    explicit_bzero(key.token, sizeof key.token);
    fprintf(stderr, "Next: `prospect key create --name NAME --scopes read` for narrower keys, "
                    "`prospect user create` for dashboard users.\n");
    return 0;
}
