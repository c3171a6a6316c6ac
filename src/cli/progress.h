/*
 * Progress display for long CLI work: on a terminal, one self-overwriting line on stderr
 * ("  42%  120,000 rows  61,000 rows/s  ETA 0:02"), redrawn at most every 200 ms; when stderr
 * is not a terminal, nothing until the end (logs and CI output stay clean).
 */
#ifndef PROSPECT_CLI_PROGRESS_H
#define PROSPECT_CLI_PROGRESS_H

#include "util/clock.h"

#include <stdbool.h>
#include <stdint.h>

struct cli_progress {
    struct clock *clock;
    bool is_tty;
    int64_t started_at;
    int64_t drawn_at;
    bool has_drawn;
};

void cli_progress_start(struct cli_progress *p, struct clock *clock);

/* Reports `done` of `total` bytes (total 0: unknown) and `n_rows` rows so far. */
void cli_progress_update(struct cli_progress *p, uint64_t done, uint64_t total, int64_t n_rows);

/* Clears the line (on a terminal). */
void cli_progress_finish(struct cli_progress *p);

#endif
