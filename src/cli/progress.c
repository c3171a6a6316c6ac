/* Terminal progress line. */
#include "cli/progress.h"

#include <inttypes.h>
#include <stdio.h>
#include <unistd.h>

void cli_progress_start(struct cli_progress *p, struct clock *clock)
{
    p->clock = clock;
    p->is_tty = isatty(STDERR_FILENO) == 1;
    p->started_at = clock_now_ms(clock);
    p->drawn_at = 0;
    p->has_drawn = false;
}

void cli_progress_update(struct cli_progress *p, uint64_t done, uint64_t total, int64_t n_rows)
{
    int64_t now, elapsed_ms;
    double rate;

    if (!p->is_tty)
        return;
    now = clock_now_ms(p->clock);
    if (p->has_drawn && now - p->drawn_at < 200)
        return;
    elapsed_ms = now - p->started_at > 0 ? now - p->started_at : 1;
    rate = (double)n_rows * 1000.0 / (double)elapsed_ms;
    if (total > 0 && done > 0) {
        double fraction = (double)done / (double)total;
        int64_t eta_s = (int64_t)((double)elapsed_ms / fraction * (1.0 - fraction) / 1000.0);

        fprintf(stderr,
                "\r  %3d%%  %" PRId64 " rows  %.0f rows/s  ETA %" PRId64 ":%02" PRId64 "   ",
                (int)(fraction * 100.0), n_rows, rate, eta_s / 60, eta_s % 60);
    } else {
        fprintf(stderr, "\r  %" PRId64 " rows  %.0f rows/s   ", n_rows, rate);
    }
    fflush(stderr);
    p->drawn_at = now;
    p->has_drawn = true;
}

void cli_progress_finish(struct cli_progress *p)
{
    if (p->is_tty && p->has_drawn)
        fprintf(stderr, "\r%60s\r", "");
}
