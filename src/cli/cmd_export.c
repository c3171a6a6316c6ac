/* prospect export: CSV export in a named layout, to a file or standard output. */
#include "cli/cli.h"

#include "app/export.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect export [--format generic|hubspot|vanillasoft] [--list NAME]\n"
    "                       [--min-score N] [--out FILE] [--columns] [--tenant SLUG]\n"
    "\n"
    "Writes leads as CSV (standard output unless --out). Suppressed leads are never exported;\n"
    "leads exported or contacted within ingest.window_days (default 180) are left out and\n"
    "counted. Every exported lead is recorded, so the next export's window sees it.\n"
    "\n"
    "  --format F     layout: generic (default), hubspot (HubSpot contact import) or\n"
    "                 vanillasoft (the 31-column list import; see docs/exports.md)\n"
    "  --list NAME    only members of this list\n"
    "  --min-score N  only leads scored N or more (0-100)\n"
    "  --out FILE     write to FILE (refuses to overwrite an existing file)\n"
    "  --columns      print the layout's columns and exit\n";

int cli_cmd_export(struct cli *cli)
{
    static const struct option options[] = {
        {"format", required_argument, NULL, 'f'},
        {"list", required_argument, NULL, 'l'},
        {"min-score", required_argument, NULL, 'm'},
        {"out", required_argument, NULL, 'o'},
        {"columns", no_argument, NULL, 'c'},
        {"tenant", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    struct export_options opt;
    struct export_result result;
    struct tenant_ctx t;
    struct pr_error err;
    const char *tenant = NULL, *out_path = NULL, *format = "generic";
    bool wants_columns = false;
    long long score = 0;
    int c;
    enum pr_code rc;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    memset(&opt, 0, sizeof opt);
    optind = 0;
    opterr = 0;
    for (;;) {
        c = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (c == -1)
            break;
        if (c == 'f') {
            format = optarg;
        } else if (c == 'l') {
            opt.list_name = optarg;
        } else if (c == 'm') {
            if (!cli_parse_integer(optarg, 0, 100, &score))
                return cli_usage_error("export", "--min-score takes a number from 0 to 100");
            opt.has_min_score = true;
            opt.min_score = (int)score;
        } else if (c == 'o') {
            out_path = optarg;
        } else if (c == 'c') {
            wants_columns = true;
        } else if (c == 't') {
            tenant = optarg;
        } else {
            return cli_usage_error("export", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    if (optind != cli->argc)
        return cli_usage_error("export", "unexpected argument \"%s\"", cli->argv[optind]);
    if (app_export_format_parse(format, &opt.format, &err) != PR_OK)
        return cli_fail(cli, &err);
    if (wants_columns) {
        size_t n, i;
        const char *headers[APP_EXPORT_MAX_COLUMNS];

        n = app_export_headers(opt.format, headers, APP_EXPORT_MAX_COLUMNS);
        for (i = 0; i < n; i++)
            printf("%2zu  %s\n", i + 1, headers[i]);
        return 0;
    }
    if (cli_open(cli, false, &err) != PR_OK || cli_resolve_tenant(cli, tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    opt.window_days = cli->cfg->ingest_window_days;
    opt.out = stdout;
    if (out_path != NULL) {
        opt.out = fopen(out_path, "wx"); /* x: never overwrite a previous export */
        if (opt.out == NULL) {
            pr_error_set(&err, errno == EEXIST ? PR_CONFLICT : PR_IO, "cannot create %s: %s",
                         out_path, strerror(errno));
            pr_error_hint(&err, "choose a new file name");
            return cli_fail(cli, &err);
        }
    }
    rc = app_export_run(&cli->app, &cli->actor, &t, &opt, &result, &err);
    if (out_path != NULL && fclose(opt.out) != 0 && rc == PR_OK)
        rc = pr_error_set(&err, PR_IO, "cannot write %s: %s", out_path, strerror(errno));
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr,
            "Export %" PRId64 " (%s): %" PRId64 " leads%s%s; %" PRId64
            " left out as exported or contacted in the last %d days.\n",
            result.export_id, format, result.n_rows, out_path ? " to " : "",
            out_path ? out_path : "", result.n_skipped_window, opt.window_days);
    return 0;
}
