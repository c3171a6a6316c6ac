/* prospect key create|list|revoke */
#include "cli/cli.h"

#include "app/keys.h"
#include "store/api_keys.h"
#include "util/arena.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect key create --name NAME [--scopes LIST] [--tenant SLUG]\n"
    "       prospect key list [--tenant SLUG]\n"
    "       prospect key revoke ID|PREFIX [--tenant SLUG]\n"
    "\n"
    "  create  issues an API key and prints it once on standard output. --scopes is a\n"
    "          comma-separated list of read, write, admin (default: read).\n"
    "  list    shows the tenant's keys (never the secret part).\n"
    "  revoke  disables a key at once; give its id or its 8-character prefix.\n"
    "  --tenant is needed only when the database has several tenants.\n";

/* Parses the options every subcommand shares plus --name/--scopes for create. */
static int parse_options(struct cli *cli, const char **tenant, const char **name,
                         const char **scopes)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"name", required_argument, NULL, 'n'},
        {"scopes", required_argument, NULL, 's'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        if (opt == 't')
            *tenant = optarg;
        else if (opt == 'n' && name != NULL)
            *name = optarg;
        else if (opt == 's' && scopes != NULL)
            *scopes = optarg;
        else
            return cli_usage_error("key", "unknown or incomplete option \"%s\" for key %s",
                                   cli->argv[optind - 1], cli->argv[0]);
    }
    return 0;
}

static int key_create(struct cli *cli)
{
    const char *tenant = NULL, *name = NULL, *scopes = "read";
    struct app_new_key key;
    struct tenant_ctx t;
    struct pr_error err;
    int status = parse_options(cli, &tenant, &name, &scopes);

    if (status != 0)
        return status;
    if (optind != cli->argc)
        return cli_usage_error("key", "unexpected argument \"%s\"", cli->argv[optind]);
    if (name == NULL)
        return cli_usage_error("key", "key create needs --name NAME");
    if (cli_open(cli, false, &err) != PR_OK || cli_resolve_tenant(cli, tenant, &t, &err) != PR_OK ||
        app_keys_create(&cli->app, &cli->actor, &t, name, scopes, &key, &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Created API key %s (id %" PRId64 "). It is shown only this once:\n",
            key.prefix, key.id);
    printf("%s\n", key.token);
    fflush(stdout);
    explicit_bzero(key.token, sizeof key.token);
    return 0;
}

static int key_list(struct cli *cli)
{
    const char *tenant = NULL;
    struct api_key *keys = NULL;
    struct tenant_ctx t;
    struct pr_error err;
    struct arena *a;
    size_t n = 0, i;
    char created[32], used[32];
    int status = parse_options(cli, &tenant, NULL, NULL);

    if (status != 0)
        return status;
    if (optind != cli->argc)
        return cli_usage_error("key", "unexpected argument \"%s\"", cli->argv[optind]);
    if (cli_open(cli, false, &err) != PR_OK || cli_resolve_tenant(cli, tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    a = arena_new(0);
    if (store_api_keys_list(cli->app.st, &t, a, &keys, &n, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-6s %-8s %-8s %-17s %-20s %-20s %s\n", "ID", "PREFIX", "STATUS", "SCOPES", "CREATED",
           "LAST USED", "NAME");
    for (i = 0; i < n; i++)
        printf("%-6" PRId64 " %-8s %-8s %-17s %-20s %-20s %s\n", keys[i].id, keys[i].prefix,
               keys[i].revoked_at ? "revoked" : "active", keys[i].scopes,
               cli_format_time(keys[i].created_at, created, sizeof created),
               cli_format_time(keys[i].last_used_at, used, sizeof used), keys[i].name);
    arena_free(a);
    return 0;
}

/* Finds the key id for an argument that is either a numeric id or a key prefix. */
static enum pr_code resolve_key(struct cli *cli, const struct tenant_ctx *t, const char *arg,
                                int64_t *out_id, struct pr_error *err)
{
    struct arena *a = arena_new(1024);
    struct api_key key;
    long long id;
    enum pr_code rc;

    if (cli_parse_integer(arg, 1, LLONG_MAX, &id))
        rc = store_api_keys_get(cli->app.st, t, id, a, &key, err);
    else
        rc = store_api_keys_find_by_prefix(cli->app.st, arg, a, &key, err);
    /* A prefix of another tenant's key is reported exactly like a missing one. */
    if (rc == PR_OK && key.tenant_id != t->tenant_id)
        rc = PR_NOT_FOUND;
    if (rc == PR_NOT_FOUND) {
        pr_error_set(err, PR_NOT_FOUND, "no API key \"%.40s\" in this tenant", arg);
        pr_error_hint(err, "`prospect key list` shows the keys");
    }
    if (rc == PR_OK)
        *out_id = key.id;
    arena_free(a);
    return rc;
}

static int key_revoke(struct cli *cli)
{
    const char *tenant = NULL;
    struct tenant_ctx t;
    struct pr_error err;
    int64_t id = 0;
    int status = parse_options(cli, &tenant, NULL, NULL);

    if (status != 0)
        return status;
    if (optind != cli->argc - 1)
        return cli_usage_error("key", "key revoke takes exactly one ID or PREFIX");
    if (cli_open(cli, false, &err) != PR_OK || cli_resolve_tenant(cli, tenant, &t, &err) != PR_OK ||
        resolve_key(cli, &t, cli->argv[optind], &id, &err) != PR_OK ||
        app_keys_revoke(&cli->app, &cli->actor, &t, id, &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Revoked API key %s; requests with it are refused from now on.\n",
            cli->argv[optind]);
    return 0;
}

int cli_cmd_key(struct cli *cli)
{
    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("key", "missing subcommand (create, list or revoke)");
    cli->argc--;
    cli->argv++;
    if (strcmp(cli->argv[0], "create") == 0)
        return key_create(cli);
    if (strcmp(cli->argv[0], "list") == 0)
        return key_list(cli);
    if (strcmp(cli->argv[0], "revoke") == 0)
        return key_revoke(cli);
    return cli_usage_error("key", "unknown subcommand \"%s\"", cli->argv[0]);
}
