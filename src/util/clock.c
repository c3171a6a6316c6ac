/* Real and fake clocks. */
#include "clock.h"

#include <stdio.h>
#include <time.h>

static int64_t real_now_ms(struct clock *self)
{
    struct timespec ts;

    (void)self;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static struct clock real_clock = {real_now_ms, 0};

struct clock *clock_real(void)
{
    return &real_clock;
}

static int64_t fake_now_ms(struct clock *self)
{
    return self->fake_now_ms;
}

void clock_fake_init(struct clock *c, int64_t start_ms)
{
    c->now_ms = fake_now_ms;
    c->fake_now_ms = start_ms;
}

void clock_fake_set(struct clock *c, int64_t now_ms)
{
    c->fake_now_ms = now_ms;
}

void clock_fake_advance(struct clock *c, int64_t delta_ms)
{
    c->fake_now_ms += delta_ms;
}

char *clock_format_iso8601(int64_t ms, char *out, unsigned out_size)
{
    time_t secs = (time_t)(ms / 1000);
    int millis = (int)(ms % 1000);
    struct tm tm;

    if (millis < 0) {
        millis += 1000;
        secs -= 1;
    }
    gmtime_r(&secs, &tm);
    (void)snprintf(out, out_size, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
    return out;
}
