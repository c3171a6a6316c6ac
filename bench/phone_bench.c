/*
 * Phone normalization benchmark: one million numbers of a realistic lead-file mix, normalized
 * single-threaded through phone_normalize (fast path, libphonenumber for the rest) and through
 * the libphonenumber shim only, in the same run. Prints ns per number for each, the fast path's
 * hit rate and the one-off cost of the first call (building the area-code and time-zone
 * tables). The mix is deterministic:
 *   62% US/CA numbers in the common written forms, 8% the same with an extension (" x12"),
 *   10% US/CA in other forms ("+1-415-555-2671 ", "1.415.555.2671", "(415)5552671"...),
 *   12% international in international or national form, 8% junk (7-digit, short, letters).
 * Area codes are 30 common ones; 10% of US/CA rows have default region CA.
 *   phone_bench [COUNT]     (default 1000000)
 */
#include "core/phone.h"
#include "core/phone_shim.h"
#include "util/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TEXT_SIZE 48

struct sample {
    char text[TEXT_SIZE];
    const char *region;
};

static uint64_t rng_state = 0x853c49e6748fea9bu;

static unsigned rng_below(unsigned n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (unsigned)((rng_state * 0x2545f4914f6cdd1du) >> 33) % n;
}

static double now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

/* Formats are literals (the build checks every format string), hence the switches. */
static int us_form(char *out, unsigned form, unsigned npa, unsigned nxx, unsigned line)
{
    switch (form) {
    case 0:
        return snprintf(out, TEXT_SIZE, "(%u) %u-%04u", npa, nxx, line);
    case 1:
        return snprintf(out, TEXT_SIZE, "%u-%u-%04u", npa, nxx, line);
    case 2:
        return snprintf(out, TEXT_SIZE, "%u.%u.%04u", npa, nxx, line);
    case 3:
        return snprintf(out, TEXT_SIZE, "%u%u%04u", npa, nxx, line);
    case 4:
        return snprintf(out, TEXT_SIZE, "+1 %u %u %04u", npa, nxx, line);
    case 5:
        return snprintf(out, TEXT_SIZE, "1-%u-%u-%04u", npa, nxx, line);
    /* less common forms */
    case 6:
        return snprintf(out, TEXT_SIZE, "+1-%u-%u-%04u ", npa, nxx, line);
    case 7:
        return snprintf(out, TEXT_SIZE, "1.%u.%u.%04u", npa, nxx, line);
    case 8:
        return snprintf(out, TEXT_SIZE, "(%u)%u%04u", npa, nxx, line);
    case 9:
        return snprintf(out, TEXT_SIZE, "%u %u %04u", npa, nxx, line);
    case 10:
        return snprintf(out, TEXT_SIZE, "+1 (%u) %u-%04u", npa, nxx, line);
    default:
        return snprintf(out, TEXT_SIZE, "%u-%u-%04u x%u", npa, nxx, line, line % 999);
    }
}

static int international(char *out, unsigned which, unsigned line, const char **region)
{
    static const char *const regions[] = {"US", "GB", "US", "DE", "",   "US",
                                          "US", "AU", "",   "US", "MX", "US"};

    *region = regions[which];
    switch (which) {
    case 0:
        return snprintf(out, TEXT_SIZE, "+44 20 7946 %04u", line);
    case 1:
        return snprintf(out, TEXT_SIZE, "020 7946 %04u", line);
    case 2:
        return snprintf(out, TEXT_SIZE, "+49 30 9018%04u", line);
    case 3:
        return snprintf(out, TEXT_SIZE, "0151 2345%04u", line);
    case 4:
        return snprintf(out, TEXT_SIZE, "+33 1 42 68 %04u", line);
    case 5:
        return snprintf(out, TEXT_SIZE, "+91 98765 4%04u", line);
    case 6:
        return snprintf(out, TEXT_SIZE, "+61 2 9374 %04u", line);
    case 7:
        return snprintf(out, TEXT_SIZE, "0412 34%04u", line);
    case 8:
        return snprintf(out, TEXT_SIZE, "+81 3-1234-%04u", line);
    case 9:
        return snprintf(out, TEXT_SIZE, "+55 11 91234-%04u", line);
    case 10:
        return snprintf(out, TEXT_SIZE, "+52 55 1234 %04u", line);
    default:
        return snprintf(out, TEXT_SIZE, "+1 876 927 %04u", line);
    }
}

static int junk(char *out, unsigned which, unsigned line)
{
    static const char *const fixed[] = {"n/a", "", "+", "415-555", "unknown", "0000000000"};

    switch (which) {
    case 0:
        return snprintf(out, TEXT_SIZE, "555-%04u", line);
    case 1:
        return snprintf(out, TEXT_SIZE, "call %04u", line);
    case 2:
        return snprintf(out, TEXT_SIZE, "%04u", line);
    case 3:
        return snprintf(out, TEXT_SIZE, "(000) 000-%04u", line);
    default:
        return snprintf(out, TEXT_SIZE, "%s", fixed[(which - 4) % 6]);
    }
}

static void make_sample(struct sample *s)
{
    static const unsigned area_codes[] = {201, 202, 212, 213, 214, 303, 305, 310, 312, 404,
                                          408, 415, 416, 469, 512, 514, 602, 604, 617, 646,
                                          702, 713, 718, 773, 800, 818, 858, 888, 905, 917};
    unsigned roll = rng_below(100), npa = area_codes[rng_below(30)];
    unsigned nxx = 200 + rng_below(800), line = rng_below(10000);
    int n;

    s->region = rng_below(10) == 0 ? "CA" : "US";
    if (roll < 62)
        n = us_form(s->text, rng_below(6), npa, nxx, line);
    else if (roll < 70)
        n = us_form(s->text, 11, npa, nxx, line);
    else if (roll < 80)
        n = us_form(s->text, 6 + rng_below(5), npa, nxx, line);
    else if (roll < 92)
        n = international(s->text, rng_below(12), line, &s->region);
    else
        n = junk(s->text, rng_below(10), line);
    if (n < 0 || n >= TEXT_SIZE)
        s->text[0] = '\0';
}

int main(int argc, char **argv)
{
    long count = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000;
    struct sample *samples;
    struct phone_info info;
    struct pr_error err;
    struct phone__result result;
    double t0, t_first, t_normalize, t_shim, t_fast;
    long i, n_fast = 0, n_valid = 0, n_valid_shim = 0;

    if (count <= 0 || count > 100000000) {
        fprintf(stderr, "usage: phone_bench [COUNT]\n");
        return 64;
    }
    samples = xmalloc((size_t)count * sizeof *samples);
    for (i = 0; i < count; i++)
        make_sample(&samples[i]);

    t0 = now_ns();
    phone_normalize("(415) 555-2671", 14, "US", &info, &err);
    phone_normalize("+44 20 7946 0018", 16, "US", &info, &err);
    t_first = now_ns() - t0;

    t0 = now_ns();
    for (i = 0; i < count; i++)
        n_valid += phone_normalize(samples[i].text, strlen(samples[i].text), samples[i].region,
                                   &info, &err) == PR_OK;
    t_normalize = now_ns() - t0;

    t0 = now_ns();
    for (i = 0; i < count; i++) {
        char region[3];
        phone__region_arg(samples[i].region, region);
        phone__shim_normalize(samples[i].text, strlen(samples[i].text), region, &result);
        n_valid_shim += result.status == PHONE__OK;
    }
    t_shim = now_ns() - t0;

    t0 = now_ns();
    for (i = 0; i < count; i++) {
        char region[3];
        phone__region_arg(samples[i].region, region);
        n_fast += phone__fast(samples[i].text, strlen(samples[i].text), region, &result);
    }
    t_fast = now_ns() - t0;

    printf("phone_bench: %ld numbers, single thread\n", count);
    printf("  first call (builds area-code and time-zone tables): %.1f ms\n", t_first / 1e6);
    printf("  phone_normalize (fast path + libphonenumber): %8.0f ns/number, %ld valid\n",
           t_normalize / (double)count, n_valid);
    printf("  libphonenumber shim only:                     %8.0f ns/number, %ld valid\n",
           t_shim / (double)count, n_valid_shim);
    printf("  fast path alone (answers or declines):        %8.1f ns/number\n",
           t_fast / (double)count);
    printf("  fast path hit rate: %.1f%%; speed-up of phone_normalize over the shim: %.1fx\n",
           100.0 * (double)n_fast / (double)count, t_shim / t_normalize);
    xfree(samples);
    return n_valid == n_valid_shim ? 0 : 1;
}
