/* prospect imports list|show|rejects: earlier imports, their counts and their rejected rows. */
#include "cli/cli.h"

#include "app/import.h"
#include "store/imports.h"
#include "util/arena.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect imports list [--before ID] [--limit N]\n"
    "       prospect imports show ID\n"
    "       prospect imports rejects ID [--out FILE]\n"
    "       (each also takes --tenant SLUG)\n"
    "\n"
    "  list     the tenant's imports, newest first, with their status and counts\n"
    "  show     one import: file, source, mapping, counts, timings\n"
    "  rejects  the rejected rows as CSV: the original columns plus error and line\n"
    "           (standard output unless --out; --out never overwrites a file)\n";

struct imports_args {
    const char *tenant;
    const char *out;
    int64_t before;
    int limit;
};

static int parse(struct cli *cli, struct imports_args *args)
{
    static const struct option options[] = {
        {"tenant", required_argument, NULL, 't'},
        {"out", required_argument, NULL, 'o'},
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
        } else if (opt == 'o') {
            args->out = optarg;
        } else if (opt == 'b' || opt == 'l') {
            if (!cli_parse_integer(optarg, 1, opt == 'l' ? 1000 : LLONG_MAX, &number))
                return cli_usage_error("imports", "--%s takes a positive number%s",
                                       opt == 'b' ? "before" : "limit",
                                       opt == 'l' ? " up to 1000" : "");
            if (opt == 'b')
                args->before = number;
            else
                args->limit = (int)number;
        } else {
            return cli_usage_error("imports", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    return 0;
}

static void print_counts(const struct import_counts *c)
{
    printf("%" PRId64 " rows: %" PRId64 " accepted, %" PRId64 " merged, %" PRId64
           " duplicate, %" PRId64 " suppressed, %" PRId64 " rejected\n",
           c->n_rows, c->n_accepted, c->n_merged, c->n_duplicate, c->n_suppressed, c->n_rejected);
}

static int imports_list(struct cli *cli, const struct imports_args *args,
                        const struct tenant_ctx *t)
{
    struct import_record *rows = NULL;
    struct pr_error err;
    struct arena *a = arena_new(0);
    size_t n = 0, i;
    char started[32];

    if (store_imports_list(cli->app.st, t, args->before, args->limit, a, &rows, &n, &err) !=
        PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-6s %-10s %-20s %-9s %-9s %-9s %-24s %s\n", "ID", "STATUS", "STARTED", "ROWS", "NEW",
           "REJECTED", "SOURCE", "FILE");
    for (i = 0; i < n; i++)
        printf("%-6" PRId64 " %-10s %-20s %-9" PRId64 " %-9" PRId64 " %-9" PRId64 " %-24.24s %s\n",
               rows[i].id, rows[i].status,
               cli_format_time(rows[i].started_at, started, sizeof started), rows[i].counts.n_rows,
               rows[i].counts.n_accepted, rows[i].counts.n_rejected, rows[i].source,
               rows[i].file_name);
    arena_free(a);
    return 0;
}

static int imports_show(struct cli *cli, const struct tenant_ctx *t, int64_t id)
{
    struct import_record rec;
    struct pr_error err;
    struct arena *a = arena_new(0);
    char started[32], finished[32];

    if (store_imports_get(cli->app.st, t, id, a, &rec, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("import %" PRId64 ": %s\n", rec.id, rec.status);
    printf("file: %s (%" PRId64 " bytes, sha256 %s)\n", rec.file_name, rec.file_size,
           rec.file_sha256);
    printf("source: %s\n", rec.source);
    printf("started: %s UTC, finished: %s UTC\n",
           cli_format_time(rec.started_at, started, sizeof started),
           cli_format_time(rec.finished_at, finished, sizeof finished));
    print_counts(&rec.counts);
    printf("mapping: %s\n", rec.mapping);
    if (rec.error != NULL)
        printf("error: %s\n", rec.error);
    arena_free(a);
    return 0;
}

static int imports_rejects(struct cli *cli, const struct imports_args *args,
                           const struct tenant_ctx *t, int64_t id)
{
    struct pr_error err;
    FILE *out = stdout;
    enum pr_code rc;

    if (args->out != NULL) {
        out = fopen(args->out, "wx"); /* x: never overwrite */
        if (out == NULL) {
            pr_error_set(&err, errno == EEXIST ? PR_CONFLICT : PR_IO, "cannot create %s: %s",
                         args->out, strerror(errno));
            pr_error_hint(&err, "choose a new file name");
            return cli_fail(cli, &err);
        }
    }
    rc = app_import_write_rejects(&cli->app, t, id, out, &err);
    if (args->out != NULL && fclose(out) != 0 && rc == PR_OK)
        rc = pr_error_set(&err, PR_IO, "cannot write %s: %s", args->out, strerror(errno));
    return rc == PR_OK ? 0 : cli_fail(cli, &err);
}

int cli_cmd_imports(struct cli *cli)
{
    struct imports_args args;
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
        return cli_usage_error("imports", "missing subcommand (list, show or rejects)");
    cli->argc--;
    cli->argv++;
    sub = cli->argv[0];
    if (strcmp(sub, "list") != 0 && strcmp(sub, "show") != 0 && strcmp(sub, "rejects") != 0)
        return cli_usage_error("imports", "unknown subcommand \"%s\"", sub);
    memset(&args, 0, sizeof args);
    status = parse(cli, &args);
    if (status != 0)
        return status;
    if (strcmp(sub, "list") != 0) {
        if (optind != cli->argc - 1)
            return cli_usage_error("imports", "imports %s takes exactly one import ID", sub);
        if (!cli_parse_integer(cli->argv[optind], 1, LLONG_MAX, &id))
            return cli_usage_error("imports", "an import ID is a positive number");
    } else if (optind != cli->argc) {
        return cli_usage_error("imports", "unexpected argument \"%s\"", cli->argv[optind]);
    }
    if (cli_open(cli, false, &err) != PR_OK ||
        cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (strcmp(sub, "list") == 0)
        return imports_list(cli, &args, &t);
    if (strcmp(sub, "show") == 0)
        return imports_show(cli, &t, id);
    return imports_rejects(cli, &args, &t, id);
}
