/*
 * CSV export in named layouts (generic, hubspot, vanillasoft; see export_columns.def). An
 * export never carries a suppressed lead (checked twice: the candidate query skips flagged
 * contacts and every row is checked against the suppression list again before it is
 * written), leaves out leads exported or contacted within the window (ingest.window_days),
 * and records every contact it carried (export_items), which is what the window reads next
 * time.
 */
#ifndef PROSPECT_APP_EXPORT_H
#define PROSPECT_APP_EXPORT_H

#include "app/app.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

enum export_format { EXPORT_GENERIC, EXPORT_HUBSPOT, EXPORT_VANILLASOFT };

/* "generic" | "hubspot" | "vanillasoft" -> format; PR_INVALID naming the valid ones. */
enum pr_code app_export_format_parse(const char *text, enum export_format *out,
                                     struct pr_error *err);
const char *app_export_format_name(enum export_format format);

/* Most columns a layout has. */
#define APP_EXPORT_MAX_COLUMNS 64

/* Writes the layout's column headers (static strings) into `out` (room for `max`) and returns
 * how many there are. */
size_t app_export_headers(enum export_format format, const char **out, size_t max);

struct export_options {
    enum export_format format;
    const char *list_name; /* NULL: all contacts */
    bool has_min_score;
    int min_score;
    int window_days; /* 0: no window */
    FILE *out;
    /* Run inside the caller's open transaction (all or nothing, committed with whatever the
     * caller commits) instead of one transaction per page. */
    bool in_caller_transaction;
};

struct export_result {
    int64_t export_id;
    int64_t n_rows;
    int64_t n_skipped_window;
    int64_t n_skipped_suppressed; /* caught by the second check at write time */
};

/* Writes the export to opt->out. Audited. */
enum pr_code app_export_run(struct app *app, const struct app_actor *actor,
                            const struct tenant_ctx *t, const struct export_options *opt,
                            struct export_result *out, struct pr_error *err);

/* Checks that every column of every layout names a known value source (run by the tests; a
 * typo in export_columns.def fails there, not in a customer's export). */
enum pr_code app_export_check_layouts(struct pr_error *err);

#endif
