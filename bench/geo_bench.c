/*
 * Radius-query benchmark: geo_within over every US ZIP against, in the same run, the two ways
 * it could be done without an index: a brute-force haversine scan of all centroids, and a scan
 * with a plain bounding-box pre-check before the haversine. All three return the same list
 * (ZIPs within the radius, nearest first, ties by ZIP), which the run checks.
 *
 *   geo_bench [QUERIES [MILES]]     defaults: 100000 queries, 25 miles
 *
 * Centres are ZIP centroids drawn by a fixed-seed generator, so every run asks the same
 * queries. Each query is timed alone with CLOCK_MONOTONIC; the median and 99th percentile are
 * printed in microseconds. The brute-force scan is slow (about a millisecond a query), so it
 * runs on the first QUERIES/50 centres only; the pre-check scan on the first QUERIES/10.
 * Build with --buildtype=release for meaningful figures.
 */
#include "core/geo.h"
#include "util/arena.h"
#include "util/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct scan_hit {
    double miles;
    uint32_t zip;
};

struct centroids {
    size_t n;
    double *lat, *lon;
    uint32_t *zip; /* index in ZIP order */
};

static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int cmp_i64(const void *pa, const void *pb)
{
    int64_t a = *(const int64_t *)pa, b = *(const int64_t *)pb;
    return (a > b) - (a < b);
}

static int cmp_hit(const void *pa, const void *pb)
{
    const struct scan_hit *a = pa, *b = pb;
    if (a->miles != b->miles)
        return a->miles < b->miles ? -1 : 1;
    return (a->zip > b->zip) - (a->zip < b->zip);
}

/* Sorts the samples and returns the q-quantile in microseconds. */
static double quantile_us(int64_t *ns, size_t n, double q)
{
    qsort(ns, n, sizeof *ns, cmp_i64);
    return (double)ns[(size_t)(q * (double)(n - 1))] / 1000.0;
}

/* Brute force: every centroid gets the haversine. */
static size_t scan_all(const struct centroids *c, double lat, double lon, double miles,
                       struct scan_hit *hits)
{
    size_t i, n = 0;

    for (i = 0; i < c->n; i++) {
        double d = geo_haversine_miles(lat, lon, c->lat[i], c->lon[i]);
        if (d <= miles) {
            hits[n].miles = d;
            hits[n].zip = c->zip[i];
            n++;
        }
    }
    qsort(hits, n, sizeof *hits, cmp_hit);
    return n;
}

/* Every centroid is tested against the query's latitude/longitude box first; only those
 * inside get the haversine. The box is the exact one of the spherical cap, as the index uses;
 * longitudes are compared as differences, which handles the antimeridian. */
static size_t scan_box(const struct centroids *c, double lat, double lon, double miles,
                       struct scan_hit *hits)
{
    double r = fmin(miles / GEO_EARTH_RADIUS_MILES, M_PI), r_deg = r * 180 / M_PI;
    double lat_lo = lat - r_deg - 1e-4, lat_hi = lat + r_deg + 1e-4;
    double s = sin(r) / cos(lat * M_PI / 180);
    double d_lon = lat_lo <= -90 || lat_hi >= 90 || s >= 1 ? 180 : asin(s) * 180 / M_PI + 1e-4;
    size_t i, n = 0;

    for (i = 0; i < c->n; i++) {
        double d, dl;
        if (c->lat[i] < lat_lo || c->lat[i] > lat_hi)
            continue;
        dl = fabs(c->lon[i] - lon);
        if (dl > 180)
            dl = 360 - dl;
        if (dl > d_lon)
            continue;
        d = geo_haversine_miles(lat, lon, c->lat[i], c->lon[i]);
        if (d <= miles) {
            hits[n].miles = d;
            hits[n].zip = c->zip[i];
            n++;
        }
    }
    qsort(hits, n, sizeof *hits, cmp_hit);
    return n;
}

/* Exits when a scan's answer differs from the index's. */
static void same_answer(const struct geo_index *index, const char *what, size_t q,
                        const struct scan_hit *hits, size_t n, const struct geo_zip **zips,
                        const double *distances, size_t n_index)
{
    size_t i;
    int same = n == n_index;

    for (i = 0; same && i < n; i++)
        same = zips[i] == geo_index_at(index, hits[i].zip) && distances[i] == hits[i].miles;
    if (!same) {
        fprintf(stderr, "geo_bench: query %zu: %s found %zu ZIPs, the index %zu or others\n", q,
                what, n, n_index);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    size_t n_queries = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    double miles = argc > 2 ? strtod(argv[2], NULL) : 25;
    size_t n_brute = n_queries / 50, n_box = n_queries / 10, q, i, total_results = 0;
    struct geo_index *index;
    struct pr_error err;
    struct centroids c;
    struct scan_hit *hits;
    double *centre_lat, *centre_lon, t_index_med, t_index_p99, t_brute_med, t_brute_p99, t_box_med,
        t_box_p99;
    int64_t *ns, t0, build_ns;
    struct arena *a = arena_new(1 << 20);
    uint64_t seed = 42;

    if (n_queries < 50 || !(miles >= 0)) {
        fprintf(stderr, "usage: geo_bench [QUERIES (>= 50) [MILES]]\n");
        return 64;
    }
    t0 = now_ns();
    if (geo_index_build_us(&index, &err) != PR_OK) {
        fprintf(stderr, "geo_bench: %s\n", err.message);
        return 70;
    }
    build_ns = now_ns() - t0;

    c.n = 0;
    c.lat = xcalloc(geo_index_count(index), sizeof *c.lat);
    c.lon = xcalloc(geo_index_count(index), sizeof *c.lon);
    c.zip = xcalloc(geo_index_count(index), sizeof *c.zip);
    for (i = 0; i < geo_index_count(index); i++) {
        const struct geo_zip *z = geo_index_at(index, i);
        if (isnan(z->lat))
            continue;
        c.lat[c.n] = z->lat;
        c.lon[c.n] = z->lon;
        c.zip[c.n] = (uint32_t)i;
        c.n++;
    }
    /* Centres: centroids of ZIPs in the 50 states, DC and Puerto Rico (not APO/FPO). */
    centre_lat = xcalloc(n_queries, sizeof *centre_lat);
    centre_lon = xcalloc(n_queries, sizeof *centre_lon);
    for (q = 0; q < n_queries;) {
        const struct geo_zip *z = geo_index_at(index, c.zip[rng_next(&seed) % c.n]);
        if (strcmp(z->state, "AA") == 0 || strcmp(z->state, "AE") == 0 ||
            strcmp(z->state, "AP") == 0)
            continue;
        centre_lat[q] = z->lat;
        centre_lon[q] = z->lon;
        q++;
    }
    ns = xcalloc(n_queries, sizeof *ns);
    hits = xcalloc(c.n, sizeof *hits);

    for (q = 0; q < n_queries; q++) {
        const struct geo_zip **zips;
        double *distances;
        size_t n;

        t0 = now_ns();
        if (geo_within(index, centre_lat[q], centre_lon[q], miles, a, &zips, &distances, &n,
                       &err) != PR_OK) {
            fprintf(stderr, "geo_bench: %s\n", err.message);
            return 70;
        }
        ns[q] = now_ns() - t0;
        total_results += n;
        arena_reset(a);
    }
    t_index_med = quantile_us(ns, n_queries, 0.5);
    t_index_p99 = quantile_us(ns, n_queries, 0.99);

    for (q = 0; q < n_brute; q++) {
        t0 = now_ns();
        (void)scan_all(&c, centre_lat[q], centre_lon[q], miles, hits);
        ns[q] = now_ns() - t0;
    }
    t_brute_med = quantile_us(ns, n_brute, 0.5);
    t_brute_p99 = quantile_us(ns, n_brute, 0.99);

    for (q = 0; q < n_box; q++) {
        t0 = now_ns();
        (void)scan_box(&c, centre_lat[q], centre_lon[q], miles, hits);
        ns[q] = now_ns() - t0;
    }
    t_box_med = quantile_us(ns, n_box, 0.5);
    t_box_p99 = quantile_us(ns, n_box, 0.99);

    /* Untimed: all three give the same answer on the brute-force sample. */
    for (q = 0; q < n_brute; q++) {
        const struct geo_zip **zips;
        double *distances;
        size_t n_index, n;

        geo_within(index, centre_lat[q], centre_lon[q], miles, a, &zips, &distances, &n_index,
                   &err);
        n = scan_all(&c, centre_lat[q], centre_lon[q], miles, hits);
        same_answer(index, "the scan", q, hits, n, zips, distances, n_index);
        n = scan_box(&c, centre_lat[q], centre_lon[q], miles, hits);
        same_answer(index, "the box scan", q, hits, n, zips, distances, n_index);
        arena_reset(a);
    }

    printf("geo_bench: %zu ZIPs (%zu with centroid), index built in %.1f ms\n",
           geo_index_count(index), c.n, (double)build_ns / 1e6);
    printf("radius %.0f miles at random ZIP centroids, %.1f results a query on average\n", miles,
           (double)total_results / (double)n_queries);
    printf("%-24s %8s %12s %12s %10s\n", "method", "queries", "median us", "p99 us", "vs index");
    printf("%-24s %8zu %12.2f %12.2f %10s\n", "index (geo_within)", n_queries, t_index_med,
           t_index_p99, "1.0x");
    printf("%-24s %8zu %12.2f %12.2f %9.0fx\n", "bounding-box pre-check", n_box, t_box_med,
           t_box_p99, t_box_med / t_index_med);
    printf("%-24s %8zu %12.2f %12.2f %9.0fx\n", "brute-force haversine", n_brute, t_brute_med,
           t_brute_p99, t_brute_med / t_index_med);
    printf("answers identical on the %zu brute-force centres\n", n_brute);

    xfree(hits);
    xfree(ns);
    xfree(centre_lon);
    xfree(centre_lat);
    xfree(c.zip);
    xfree(c.lon);
    xfree(c.lat);
    arena_free(a);
    geo_index_free(index);
    return 0;
}
