/* prospect import FILE.csv: the CSV import with progress, mapping overrides and rejects. */
#include "cli/cli.h"

#include "app/icp.h"
#include "app/import.h"
#include "cli/progress.h"
#include "util/arena.h"
#include "util/csv.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: prospect import FILE.csv [--list NAME] [--source NAME] [--trust N]\n"
    "                       [--mapping FILE] [--rejects FILE] [--region CC] [--force]\n"
    "                       [--icp FILE] [--tenant SLUG]\n"
    "\n"
    "Imports leads from a CSV file (comma, semicolon, tab or pipe separated; UTF-8, UTF-16 or\n"
    "Windows-1252). Headers are recognized by name (\"Company Name\", \"E-mail\", \"Mobile "
    "Phone\",\n"
    "\"Website\", \"ZIP\"...); unknown columns are kept as custom fields. Every row is accepted,\n"
    "merged into an existing lead, marked duplicate, suppressed, or rejected with a reason.\n"
    "Importing the same file from the same source again does nothing (use --force to redo).\n"
    "\n"
    "  --list NAME     add the imported contacts to this list (created when missing)\n"
    "  --source NAME   provenance of the values (default: the file name)\n"
    "  --trust N       trust rank 0-100 of the source: between two values, the more trusted\n"
    "                  source wins (default: the source's rank, 50 for a new source)\n"
    "  --mapping FILE  a CSV of two columns, header,field, overriding the automatic mapping;\n"
    "                  field is a field name, \"custom\" or \"ignore\"\n"
    "  --rejects FILE  write the rejected rows there, with an error and a line column\n"
    "  --region CC     country of phone numbers without a country code (default: tenant's)\n"
    "  --force         import even when this file was imported before\n"
    "  --icp FILE      score new and changed leads with this ICP (default: scoring.icp_file)\n";

struct import_args {
    const char *tenant;
    const char *mapping_path;
    const char *rejects_path;
    const char *icp_path;
    struct import_options opt;
};

static int parse(struct cli *cli, struct import_args *args)
{
    static const struct option options[] = {
        {"list", required_argument, NULL, 'l'},    {"source", required_argument, NULL, 's'},
        {"trust", required_argument, NULL, 'T'},   {"mapping", required_argument, NULL, 'm'},
        {"rejects", required_argument, NULL, 'r'}, {"region", required_argument, NULL, 'R'},
        {"force", no_argument, NULL, 'f'},         {"tenant", required_argument, NULL, 't'},
        {"icp", required_argument, NULL, 'i'},     {NULL, 0, NULL, 0},
    };
    long long trust = 0;
    int opt;

    optind = 0;
    opterr = 0;
    for (;;) {
        opt = getopt_long(cli->argc, cli->argv, "", options, NULL);
        if (opt == -1)
            break;
        switch (opt) {
        case 'l':
            args->opt.list_name = optarg;
            break;
        case 's':
            args->opt.source = optarg;
            break;
        case 'T':
            if (!cli_parse_integer(optarg, 0, 100, &trust))
                return cli_usage_error("import", "--trust takes a number from 0 to 100");
            args->opt.source_trust = (int)trust;
            break;
        case 'm':
            args->mapping_path = optarg;
            break;
        case 'r':
            args->rejects_path = optarg;
            break;
        case 'R':
            args->opt.default_region = optarg;
            break;
        case 'f':
            args->opt.force = true;
            break;
        case 't':
            args->tenant = optarg;
            break;
        case 'i':
            args->icp_path = optarg;
            break;
        default:
            return cli_usage_error("import", "unknown or incomplete option \"%s\"",
                                   cli->argv[optind - 1]);
        }
    }
    if (optind != cli->argc - 1)
        return cli_usage_error("import", "import takes exactly one FILE");
    args->opt.path = cli->argv[optind];
    return 0;
}

/* Reads a mapping file: rows of header,field (a first row "header,field" is skipped). */
static enum pr_code read_mapping(const char *path, struct arena *a, struct mapping_override **out,
                                 size_t *n_out, struct pr_error *err)
{
    struct csv_reader *reader = NULL;
    struct csv_record rec;
    struct mapping_override *rows = NULL;
    size_t n = 0, cap = 0;
    bool has_record = true;
    enum pr_code rc = csv_reader_open_file(path, NULL, &reader, err);

    while (rc == PR_OK) {
        rc = csv_reader_next(reader, &rec, &has_record, err);
        if (rc != PR_OK || !has_record)
            break;
        if (rec.n_fields != 2) {
            rc = pr_error_set(err, PR_INVALID,
                              "%s line %" PRIu64 ": expected 2 columns "
                              "(header,field), got %zu",
                              path, rec.line, rec.n_fields);
            break;
        }
        if (rec.line == 1 && rec.fields[0].len == 6 && memcmp(rec.fields[0].ptr, "header", 6) == 0)
            continue;
        if (n == cap) {
            struct mapping_override *bigger;
            cap = cap ? cap * 2 : 16;
            bigger = arena_calloc(a, cap, sizeof *bigger);
            if (n > 0)
                memcpy(bigger, rows, n * sizeof *rows);
            rows = bigger;
        }
        rows[n].header = arena_strndup(a, rec.fields[0].ptr, rec.fields[0].len);
        rows[n].field = arena_strndup(a, rec.fields[1].ptr, rec.fields[1].len);
        n++;
    }
    csv_reader_close(reader);
    *out = rows;
    *n_out = n;
    return rc;
}

static void on_progress(void *ctx, uint64_t done, uint64_t total, const struct import_counts *c)
{
    cli_progress_update(ctx, done, total, c->n_rows);
}

static void print_mapping(const struct field_mapping *m)
{
    size_t i;

    fprintf(stderr, "Columns:\n");
    for (i = 0; i < m->n_columns; i++) {
        const struct field_column *c = &m->columns[i];

        if (c->field != FIELD_NONE)
            fprintf(stderr, "  %-28s -> %s (%s)\n", c->header, lead_field_name(c->field),
                    field_column_how_name(c->how));
        else
            fprintf(stderr, "  %-28s -> %s\n", c->header,
                    c->how == FIELD_COLUMN_IGNORED ? "ignored" : "custom field");
    }
}

static int write_rejects(struct cli *cli, const struct tenant_ctx *t, int64_t import_id,
                         const char *path)
{
    struct pr_error err;
    FILE *f = fopen(path, "w");
    enum pr_code rc;

    if (f == NULL) {
        pr_error_set(&err, PR_IO, "cannot write %s: %s", path, strerror(errno));
        return cli_fail(cli, &err);
    }
    rc = app_import_write_rejects(&cli->app, t, import_id, f, &err);
    if (fclose(f) != 0 && rc == PR_OK)
        rc = pr_error_set(&err, PR_IO, "cannot write %s: %s", path, strerror(errno));
    return rc == PR_OK ? 0 : cli_fail(cli, &err);
}

int cli_cmd_import(struct cli *cli)
{
    struct import_args args;
    struct import_result result;
    struct cli_progress progress;
    struct mapping_override *overrides = NULL;
    struct icp *icp = NULL;
    struct tenant_ctx t;
    struct pr_error err;
    struct arena *a;
    int64_t started;
    enum pr_code rc;
    int status;

    if (cli_wants_help(cli->argc, cli->argv)) {
        fputs(usage, stdout);
        return 0;
    }
    memset(&args, 0, sizeof args);
    status = parse(cli, &args);
    if (status != 0)
        return status;
    if (cli_open(cli, false, &err) != PR_OK ||
        cli_resolve_tenant(cli, args.tenant, &t, &err) != PR_OK)
        return cli_fail(cli, &err);
    a = arena_new(0);
    if (args.mapping_path != NULL &&
        read_mapping(args.mapping_path, a, &overrides, &args.opt.n_overrides, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    args.opt.overrides = overrides;
    args.opt.fuzzy_threshold = cli->cfg->ingest_fuzzy_threshold_pct / 100.0;
    args.opt.zips = cli_zip_index(cli);
    if (cli_load_icp(cli, args.icp_path, false, &icp, &err) != PR_OK) {
        arena_free(a);
        return cli_fail(cli, &err);
    }
    args.opt.icp = icp;
    args.opt.on_progress = on_progress;
    args.opt.progress_ctx = &progress;
    cli_progress_start(&progress, cli->app.clock);
    started = clock_now_ms(cli->app.clock);
    rc = app_import_run(&cli->app, &cli->actor, &t, &args.opt, a, &result, &err);
    icp_free(icp);
    if (rc != PR_OK) {
        cli_progress_finish(&progress);
        if (result.import_id > 0)
            fprintf(stderr, "Import #%" PRId64 " stopped after %" PRId64 " rows; they are saved.\n",
                    result.import_id, result.counts.n_rows);
        arena_free(a);
        return cli_fail(cli, &err);
    }
    cli_progress_finish(&progress);
    if (result.was_already_imported) {
        fprintf(stderr,
                "%s was already imported from this source (import #%" PRId64
                "); nothing to do. Use --force to import it again.\n",
                args.opt.path, result.import_id);
        arena_free(a);
        return 0;
    }
    print_mapping(result.mapping);
    printf("import %" PRId64 ": %" PRId64 " rows in %.1f s: %" PRId64 " accepted, %" PRId64
           " merged, %" PRId64 " duplicate, %" PRId64 " suppressed, %" PRId64 " rejected\n",
           result.import_id, result.counts.n_rows,
           (double)(clock_now_ms(cli->app.clock) - started) / 1000.0, result.counts.n_accepted,
           result.counts.n_merged, result.counts.n_duplicate, result.counts.n_suppressed,
           result.counts.n_rejected);
    status = 0;
    if (args.rejects_path != NULL)
        status = write_rejects(cli, &t, result.import_id, args.rejects_path);
    else if (result.counts.n_rejected > 0)
        fprintf(stderr,
                "Rejected rows, with the reason and line: prospect imports rejects %" PRId64
                " --out FILE\n",
                result.import_id);
    arena_free(a);
    return status;
}
