/*
 * The clock interface. Everything that depends on time (schedules, TTLs, backoff, leases,
 * quiet hours, created_at stamps) reads it through a `struct clock` passed in, so tests use a
 * fake clock and stay deterministic. Times are UTC milliseconds since the Unix epoch.
 */
#ifndef PROSPECT_UTIL_CLOCK_H
#define PROSPECT_UTIL_CLOCK_H

#include <stdint.h>

struct clock {
    int64_t (*now_ms)(struct clock *self);
    int64_t fake_now_ms; /* used by the fake clock only */
};

/* The process-wide real clock (CLOCK_REALTIME). Stateless, safe from any thread. */
struct clock *clock_real(void);

/* Initializes a fake clock that reads `start_ms` until advanced or set. */
void clock_fake_init(struct clock *c, int64_t start_ms);
void clock_fake_set(struct clock *c, int64_t now_ms);
void clock_fake_advance(struct clock *c, int64_t delta_ms);

static inline int64_t clock_now_ms(struct clock *c)
{
    return c->now_ms(c);
}

/* Formats `ms` as ISO-8601 UTC with milliseconds ("2026-11-24T10:00:00.000Z") into `out`
 * (at least 25 bytes). Returns `out`. */
char *clock_format_iso8601(int64_t ms, char *out, unsigned out_size);

#endif
