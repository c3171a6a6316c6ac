/* prospect migrate | backup FILE | secrets keygen: database and key operations. */
#include "cli/cli.h"

#include "util/crypto.h"

#include <string.h>

int cli_cmd_migrate(struct cli *cli)
{
    struct pr_error err;
    int n_applied = 0;

    if (cli_wants_help(cli->argc, cli->argv)) {
        printf("usage: prospect migrate\n\n"
               "Applies pending schema migrations (every command also does this on start).\n"
               "Refuses to run when an applied migration was changed. Make a backup first.\n");
        return 0;
    }
    if (cli->argc > 1)
        return cli_usage_error("migrate", "unexpected argument \"%s\"", cli->argv[1]);
    if (cli_open(cli, false, &err) != PR_OK ||
        store_migrate(cli->app.st, &n_applied, &err) != PR_OK)
        return cli_fail(cli, &err);
    printf("schema version %d (%s)\n", store_schema_version(cli->app.st),
           store_schema_version(cli->app.st) == store_schema_latest() ? "current" : "behind");
    return 0;
}

int cli_cmd_backup(struct cli *cli)
{
    struct pr_error err;

    if (cli_wants_help(cli->argc, cli->argv)) {
        printf("usage: prospect backup FILE\n\n"
               "Copies the live database to FILE with SQLite's online backup API; the server\n"
               "may keep running. FILE must not exist. Restore by stopping prospect and\n"
               "pointing database.path at the copy (or copying it into place).\n");
        return 0;
    }
    if (cli->argc != 2)
        return cli_usage_error("backup", "backup takes exactly one FILE");
    if (cli_open(cli, false, &err) != PR_OK ||
        store_backup(cli->app.st, cli->argv[1], &err) != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "Backed up %s to %s.\n", store_path(cli->app.st), cli->argv[1]);
    return 0;
}

int cli_cmd_secrets(struct cli *cli)
{
    char key[64];

    if (cli_wants_help(cli->argc, cli->argv)) {
        printf("usage: prospect secrets keygen\n\n"
               "Prints a new random key for encrypting secrets at rest. Put it first in the\n"
               "key file (secrets.key_file, mode 600) or in PROSPECT_SECRET_KEY; see\n"
               "docs/secrets.md for rotation.\n");
        return 0;
    }
    if (cli->argc != 2 || strcmp(cli->argv[1], "keygen") != 0)
        return cli_usage_error("secrets", "the only subcommand is keygen");
    {
        struct pr_error err;
        if (crypto_init(&err) != PR_OK)
            return cli_fail(cli, &err);
    }
    crypto_generate_key_b64(key, sizeof key);
    printf("%s\n", key);
    explicit_bzero(key, sizeof key);
    return 0;
}
