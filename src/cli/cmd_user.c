/* prospect user create|passwd */
#include "cli/cli.h"

#include "app/users.h"

#include <getopt.h>
#include <inttypes.h>
#include <string.h>

static const char usage[] =
    "usage: prospect user create EMAIL [--name NAME] [--role ROLE] [--password-stdin]\n"
    "                            [--tenant SLUG]\n"
    "       prospect user passwd EMAIL [--password-stdin] [--tenant SLUG]\n"
    "\n"
    "  create  adds a dashboard user. ROLE is owner, admin, member (default) or viewer.\n"
    "  passwd  sets a user's password.\n"
    "  The password (12 characters or more) is asked twice on the terminal, or read as one\n"
    "  line from standard input with --password-stdin. It is stored as an argon2id hash.\n";

struct user_args {
    const char *tenant;
    const char *name;
    const char *role;
    bool from_stdin;
};

static int parse_options(struct cli *cli, struct user_args *args, bool is_create)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"name", required_argument, NULL, 'n'},
        {"role", required_argument, NULL, 'r'},
        {"password-stdin", no_argument, NULL, 'p'},
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
            args->tenant = optarg;
        else if (opt == 'p')
            args->from_stdin = true;
        else if (opt == 'n' && is_create)
            args->name = optarg;
        else if (opt == 'r' && is_create)
            args->role = optarg;
        else
            return cli_usage_error("user", "unknown or incomplete option \"%s\" for user %s",
                                   cli->argv[optind - 1], cli->argv[0]);
    }
    if (optind != cli->argc - 1)
        return cli_usage_error("user", "user %s takes exactly one EMAIL", cli->argv[0]);
    return 0;
}

static int user_run(struct cli *cli, bool is_create)
{
    struct user_args args = {NULL, "", "member", false};
    struct tenant_ctx t;
    struct pr_error err;
    char password[APP_PASSWORD_MAX_LEN + 2];
    const char *email;
    int64_t id = 0;
    enum pr_code rc;
    int status = parse_options(cli, &args, is_create);

    if (status != 0)
        return status;
    email = cli->argv[optind];
    if (cli_open(cli, false, &err) != PR_OK ||
        cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    rc = cli_read_password(args.from_stdin, password, sizeof password, &err);
    if (rc == PR_OK && is_create)
        rc = app_users_create(&cli->app, &cli->actor, &t, email, args.name, args.role, password,
                              &id, &err);
    else if (rc == PR_OK)
        rc = app_users_set_password(&cli->app, &cli->actor, &t, email, password, &err);
    explicit_bzero(password, sizeof password);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    if (is_create)
        fprintf(stderr, "Created user %s (id %" PRId64 ", role %s).\n", email, id, args.role);
    else
        fprintf(stderr, "Password of %s changed.\n", email);
    return 0;
}

int cli_cmd_user(struct cli *cli)
{
    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    if (cli->argc < 2)
        return cli_usage_error("user", "missing subcommand (create or passwd)");
    cli->argc--;
    cli->argv++;
    if (strcmp(cli->argv[0], "create") == 0)
        return user_run(cli, true);
    if (strcmp(cli->argv[0], "passwd") == 0)
        return user_run(cli, false);
    return cli_usage_error("user", "unknown subcommand \"%s\"", cli->argv[0]);
}
