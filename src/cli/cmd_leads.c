/* Lead commands over stored data: prospect rescore | near ZIP | sectors. */
#include "cli/cli.h"

#include "app/icp.h"
#include "app/scoring.h"
#include "cli/progress.h"
#include "store/companies.h"
#include "store/contacts.h"
#include "store/lists.h"
#include "util/arena.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum pr_code cli_load_icp(struct cli *cli, const char *path, bool is_required, struct icp **out,
                          struct pr_error *err)
{
    *out = NULL;
    if (path == NULL)
        path = cli->cfg->scoring_icp_file;
    if (path == NULL) {
        if (!is_required)
            return PR_OK;
        pr_error_set(err, PR_USAGE, "no ideal customer profile is configured");
        return pr_error_hint(err, "set scoring.icp_file or pass --icp FILE (example: "
                                  "data/icp.example.yaml)");
    }
    return icp_load(path, out, err);
}

static const char rescore_usage[] =
    "usage: prospect rescore [--icp FILE] [--tenant SLUG]\n"
    "\n"
    "Scores every lead again with the ideal customer profile (scoring.icp_file, or --icp),\n"
    "after the profile changed. Each score is 0-100 with a stored breakdown per factor that\n"
    "adds up to it, and is appended to the lead's score history with the profile's version.\n";

static void on_rescore_progress(void *ctx, int64_t n_done)
{
    cli_progress_update(ctx, 0, 0, n_done);
}

int cli_cmd_rescore(struct cli *cli)
{
    static const struct option options[] = {
        {"icp", required_argument, NULL, 'i'},
        {"tenant", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *icp_path = NULL, *tenant = NULL;
    struct cli_progress progress;
    struct tenant_ctx t;
    struct pr_error err;
    struct icp *icp = NULL;
    int64_t n_scored = 0;
    enum pr_code rc;
    int c;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(rescore_usage, stdout);
        return 0;
    }
    optind = 0;
    opterr = 0;
    for (;;) {
        c = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (c == -1)
            break;
        if (c == 'i')
            icp_path = optarg;
        else if (c == 't')
            tenant = optarg;
        else
            return cli_usage_error("rescore", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    if (optind != cli->argc)
        return cli_usage_error("rescore", "unexpected argument \"%s\"", cli->argv[optind]);
    if (cli_open(cli, false, &err) != PR_OK || cli_resolve_tenant(cli, tenant, &t, &err) != PR_OK ||
        cli_load_icp(cli, icp_path, true, &icp, &err) != PR_OK)
        return cli_fail(cli, &err);
    cli_progress_start(&progress, cli->app.clock);
    rc = app_rescore_all(&cli->app, &cli->actor, &t, icp, on_rescore_progress, &progress, &n_scored,
                         &err);
    cli_progress_finish(&progress);
    icp_free(icp);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    printf("%" PRId64 " leads scored\n", n_scored);
    return 0;
}

static const char near_usage[] =
    "usage: prospect near ZIP [--miles N] [--list NAME] [--limit N] [--companies]\n"
    "                         [--tenant SLUG]\n"
    "\n"
    "Lists the leads (or, with --companies, the companies) whose ZIP lies within N miles\n"
    "(default 25) of ZIP, nearest first, using the shipped US ZIP centroids.\n";

struct near_args {
    const char *tenant;
    const char *list;
    double miles;
    int limit;
    bool wants_companies;
};

static int parse_near(struct cli *cli, struct near_args *args)
{
    static const struct option options[] = {
        {"miles", required_argument, NULL, 'm'},  {"list", required_argument, NULL, 'l'},
        {"limit", required_argument, NULL, 'n'},  {"companies", no_argument, NULL, 'c'},
        {"tenant", required_argument, NULL, 't'}, {NULL, 0, NULL, 0},
    };
    char *end = NULL;
    int c;

    args->miles = 25.0;
    args->limit = 50;
    optind = 0;
    opterr = 0;
    for (;;) {
        c = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (c == -1)
            break;
        errno = 0;
        if (c == 'm') {
            args->miles = strtod(optarg, &end);
            if (errno != 0 || *end != '\0' || !isfinite(args->miles) || args->miles < 0 ||
                args->miles > 3000)
                return cli_usage_error("near", "--miles takes a distance from 0 to 3000");
        } else if (c == 'n') {
            long long n = 0;
            if (!cli_parse_integer(optarg, 1, 10000, &n))
                return cli_usage_error("near", "--limit takes a number from 1 to 10000");
            args->limit = (int)n;
        } else if (c == 'l') {
            args->list = optarg;
        } else if (c == 'c') {
            args->wants_companies = true;
        } else if (c == 't') {
            args->tenant = optarg;
        } else {
            return cli_usage_error("near", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    if (optind != cli->argc - 1)
        return cli_usage_error("near", "near takes exactly one ZIP");
    return 0;
}

int cli_cmd_near(struct cli *cli)
{
    struct near_args args;
    struct tenant_ctx t;
    struct pr_error err;
    const struct geo_index *zips;
    const struct geo_zip *centre, **found = NULL;
    struct contact_list list;
    double *distances = NULL;
    struct arena *a;
    size_t n_zips = 0, i, j;
    int printed = 0;
    enum pr_code rc = PR_OK;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(near_usage, stdout);
        return 0;
    }
    memset(&args, 0, sizeof args);
    status = parse_near(cli, &args);
    if (status != 0)
        return status;
    if (cli_open(cli, false, &err) != PR_OK ||
        cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    zips = cli_zip_index(cli);
    centre = zips ? geo_lookup(zips, cli->argv[optind]) : NULL;
    if (centre == NULL) {
        pr_error_set(&err, PR_NOT_FOUND, "unknown US ZIP \"%.10s\"", cli->argv[optind]);
        pr_error_hint(&err, "give a five-digit ZIP such as 10001");
        return cli_fail(cli, &err);
    }
    a = arena_new(0);
    if (args.list != NULL)
        rc = store_lists_find_by_name(cli->app.st, &t, args.list, a, &list, &err);
    if (rc == PR_OK)
        rc = geo_within(zips, centre->lat, centre->lon, args.miles, a, &found, &distances, &n_zips,
                        &err);
    if (rc == PR_OK)
        printf("%-8s %-6s %-7s %-24s %-32s %s\n", "MILES", "ZIP",
               args.wants_companies ? "COMPANY" : "CONTACT", args.wants_companies ? "NAME" : "NAME",
               args.wants_companies ? "DOMAIN" : "EMAIL", "CITY");
    for (i = 0; rc == PR_OK && i < n_zips && printed < args.limit; i++) {
        size_t n = 0;

        if (args.wants_companies) {
            struct company *rows = NULL;
            rc = store_companies_by_zip(cli->app.st, &t, found[i]->zip, 0, args.limit - printed, a,
                                        &rows, &n, &err);
            for (j = 0; rc == PR_OK && j < n; j++, printed++)
                printf("%-8.1f %-6s %-7" PRId64 " %-24.24s %-32.32s %s\n", distances[i],
                       found[i]->zip, rows[j].id, rows[j].name,
                       rows[j].domain ? rows[j].domain : "", found[i]->city);
        } else {
            struct contact *rows = NULL;
            rc = store_contacts_by_zip(cli->app.st, &t, found[i]->zip, args.list != NULL,
                                       args.list != NULL ? list.id : 0, 0, args.limit - printed, a,
                                       &rows, &n, &err);
            for (j = 0; rc == PR_OK && j < n; j++, printed++)
                printf("%-8.1f %-6s %-7" PRId64 " %-24.24s %-32.32s %s\n", distances[i],
                       found[i]->zip, rows[j].id, rows[j].full_name ? rows[j].full_name : "",
                       rows[j].email ? rows[j].email : "", found[i]->city);
        }
    }
    arena_free(a);
    if (rc != PR_OK)
        return cli_fail(cli, &err);
    fprintf(stderr, "%zu ZIPs within %.1f miles of %s (%s, %s); %d shown.\n", n_zips, args.miles,
            centre->zip, centre->city, centre->state, printed);
    return 0;
}

int cli_cmd_sectors(struct cli *cli)
{
    static const struct option options[] = {
        {"by", required_argument, NULL, 'b'},
        {"tenant", required_argument, NULL, 't'},
        {NULL, 0, NULL, 0},
    };
    const char *by = "state", *tenant = NULL;
    struct sector_count *rows = NULL;
    struct tenant_ctx t;
    struct pr_error err;
    struct arena *a;
    size_t n = 0, i;
    int c;

    if (cli_wants_help(cli->argc, cli->argv)) {
        printf("usage: prospect sectors [--by state|county|city] [--tenant SLUG]\n\n"
               "Counts companies per sector bucket (from SIC/NAICS) and place.\n");
        return 0;
    }
    optind = 0;
    opterr = 0;
    for (;;) {
        c = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (c == -1)
            break;
        if (c == 'b')
            by = optarg;
        else if (c == 't')
            tenant = optarg;
        else
            return cli_usage_error("sectors", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
    }
    if (optind != cli->argc)
        return cli_usage_error("sectors", "unexpected argument \"%s\"", cli->argv[optind]);
    if (cli_open(cli, false, &err) != PR_OK || cli_resolve_tenant(cli, tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    a = arena_new(0);
    if (store_companies_sector_counts(cli->app.st, &t, by, a, &rows, &n, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    printf("%-24s %-24s %s\n", "SECTOR", by, "COMPANIES");
    for (i = 0; i < n; i++)
        printf("%-24s %-24s %" PRId64 "\n", rows[i].sector ? rows[i].sector : "(unknown)",
               rows[i].place ? rows[i].place : "(unknown)", rows[i].n_companies);
    arena_free(a);
    return 0;
}
