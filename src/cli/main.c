/*
 * prospect: entry point. Parses the global options, then dispatches to the command named in
 * commands.def. Global options come before the command:
 *   prospect [--config FILE] [--database PATH] [--verbose] COMMAND [ARGS...]
 */
#include "cli/cli.h"

#include "prospect_version.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

struct command {
    const char *name;
    const char *summary;
    int (*handler)(struct cli *cli);
};

static const struct command commands[] = {
#define CLI_COMMAND(name, summary, handler) {name, summary, handler},
#include "cli/commands.def"
#undef CLI_COMMAND
};

static const struct command *find_command(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static void print_overview(FILE *out)
{
    size_t i;

    fprintf(out,
            "prospect %s: self-hosted lead-to-outreach engine\n\n"
            "usage: prospect [--config FILE] [--database PATH] [--verbose] COMMAND [ARGS]\n\n"
            "commands:\n",
            PROSPECT_VERSION);
    for (i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(
        out,
        "\nglobal options:\n"
        "  --config FILE    configuration file (default: $PROSPECT_CONFIG, else ./prospect.yaml "
        "if present)\n"
        "  --database PATH  database file (overrides database.path)\n"
        "  --verbose        show error details and debug logs\n"
        "\nexit codes: 0 ok, 64 usage, 65 bad input or conflict, 66 not found, 69 busy,\n"
        "            70 internal, 74 I/O, 77 permission, 78 configuration or schema\n"
        "\nRun `prospect COMMAND --help` for a command's options.\n");
}

int cli_cmd_help(struct cli *cli)
{
    const struct command *cmd;
    char *argv[] = {NULL, "--help", NULL};
    struct cli sub;

    if (cli->argc < 2 || strcmp(cli->argv[1], "--help") == 0 || strcmp(cli->argv[1], "-h") == 0) {
        print_overview(stdout);
        return 0;
    }
    cmd = find_command(cli->argv[1]);
    if (cmd == NULL || cmd->handler == cli_cmd_help)
        return cli_usage_error("help", "unknown command \"%s\"", cli->argv[1]);
    sub = *cli;
    argv[0] = cli->argv[1];
    sub.argc = 2;
    sub.argv = argv;
    return cmd->handler(&sub);
}

int cli_cmd_version(struct cli *cli)
{
    if (cli_wants_help(cli->argc, cli->argv)) {
        printf("usage: prospect version\n\nPrints the version of this prospect binary.\n");
        return 0;
    }
    if (cli->argc > 1)
        return cli_usage_error("version", "unexpected argument \"%s\"", cli->argv[1]);
    printf("prospect %s\n", PROSPECT_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"database", required_argument, NULL, 'd'},
        {"verbose", no_argument, NULL, 'v'},      {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
    };
    struct cli cli;
    const struct command *cmd;
    int opt, status;

    memset(&cli, 0, sizeof cli);
    cli.config_path = getenv("PROSPECT_CONFIG");
    opterr = 0;
    for (;;) {
        opt = getopt_long(argc, argv, "+hv", options, NULL);
        if (opt == -1)
            break;
        switch (opt) {
        case 'c':
            cli.config_path = optarg;
            break;
        case 'd':
            cli.database_path = optarg;
            break;
        case 'v':
            cli.is_verbose = true;
            break;
        case 'h':
            print_overview(stdout);
            return 0;
        case 'V':
            printf("prospect %s\n", PROSPECT_VERSION);
            return 0;
        default:
            return cli_usage_error(NULL, "unknown or incomplete option \"%s\"", argv[optind - 1]);
        }
    }
    if (optind >= argc) {
        print_overview(stderr);
        return 64;
    }
    cmd = find_command(argv[optind]);
    if (cmd == NULL)
        return cli_usage_error(NULL, "unknown command \"%s\"", argv[optind]);
    cli.argc = argc - optind;
    cli.argv = argv + optind;
    status = cmd->handler(&cli);
    cli_close(&cli);
    return status;
}
