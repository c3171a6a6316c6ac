/*
 * ZIP centroids and the radius index: lookups of known ZIPs, haversine against known
 * distances, the CSV validation, and the property that matters most: for thousands of
 * deterministic pseudo-random centres (with Alaska, the Aleutians at the antimeridian, Hawaii,
 * Puerto Rico and the poles among them) and every radius, geo_within returns exactly what a
 * brute-force haversine scan over the same data returns: the same ZIPs, the same distances, the
 * same order (ties broken by ZIP).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/geo.h"
#include "util/mem.h"
#include "util/str.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_US_ZIPS           42555
#define N_US_WITHOUT_CENTRE 306

static struct geo_index *us;

static int setup_us(void **state)
{
    struct pr_error err;

    (void)state;
    if (geo_index_build_us(&us, &err) != PR_OK) {
        fprintf(stderr, "geo_index_build_us: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown_us(void **state)
{
    (void)state;
    geo_index_free(us);
    us = NULL;
    return 0;
}

/* splitmix64: a deterministic generator, so every run checks the same centres. */
static uint64_t rng_next(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

static double rng_uniform(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * ((double)(rng_next(s) >> 11) / 9007199254740992.0);
}

static void test_lookup_known(void **state)
{
    static const struct {
        const char *zip, *city, *state, *county, *time_zone;
        double lat, lon;
    } cases[] = {
        {"10001", "New York", "NY", "New York", "America/New_York", 40.7484, -73.9967},
        {"90210", "Beverly Hills", "CA", "Los Angeles", "America/Los_Angeles", 34.0901, -118.4065},
        {"02134", "Allston", "MA", "Suffolk", "America/New_York", 42.3535, -71.1329},
        {"00501", "Holtsville", "NY", "Suffolk", "America/New_York", 40.8154, -73.0451},
        {"99501", "Anchorage", "AK", "Anchorage Municipality", "America/Anchorage", 61.2116,
         -149.8761},
        {"96813", "Honolulu", "HI", "Honolulu", "Pacific/Honolulu", 21.3179, -157.8521},
        {"00601", "Adjuntas", "PR", "", "America/Puerto_Rico", 18.16, -66.72},
        {"88001", "Las Cruces", "NM", "Dona Ana", "America/Denver", 32.2901, -106.7539},
        {"10200", "New York", "NY", "", "", 40.77, -73.95}, /* corrected longitude sign */
        {"34001", "Apo", "AA", "", "", NAN, NAN},           /* no centroid in the source */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct geo_zip *z = geo_lookup(us, cases[i].zip);

        assert_non_null(z);
        assert_string_equal(z->zip, cases[i].zip);
        assert_string_equal(z->city, cases[i].city);
        assert_string_equal(z->state, cases[i].state);
        assert_string_equal(z->county, cases[i].county);
        assert_string_equal(z->time_zone, cases[i].time_zone);
        if (isnan(cases[i].lat)) {
            assert_true(isnan(z->lat) && isnan(z->lon));
        } else {
            assert_true(z->lat == cases[i].lat);
            assert_true(z->lon == cases[i].lon);
        }
    }
}

static void test_lookup_unknown(void **state)
{
    static const char *const zips[] = {
        "00000", "99999", "00500", "1000", "100010", "1000a", "", " 1000", "10001 ", "-1000",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof zips / sizeof zips[0]; i++)
        assert_null(geo_lookup(us, zips[i]));
    assert_null(geo_lookup(us, NULL));
}

static void test_index_order(void **state)
{
    size_t i, n_without = 0;

    (void)state;
    assert_int_equal(geo_index_count(us), N_US_ZIPS);
    assert_null(geo_index_at(us, N_US_ZIPS));
    for (i = 0; i < N_US_ZIPS; i++) {
        const struct geo_zip *z = geo_index_at(us, i);
        if (i > 0)
            assert_true(strcmp(geo_index_at(us, i - 1)->zip, z->zip) < 0);
        assert_ptr_equal(geo_lookup(us, z->zip), z);
        n_without += isnan(z->lat);
    }
    assert_int_equal(n_without, N_US_WITHOUT_CENTRE);
}

static void test_haversine_known(void **state)
{
    /* Expected values: closed forms (one degree of arc is 2 pi R / 360, antipodes pi R) and,
     * for the city pairs, the spherical Vincenty formula (an independent method) on the same
     * radius, 3958.8 miles. */
    static const struct {
        double lat1, lon1, lat2, lon2, miles;
    } cases[] = {
        {40.7484, -73.9967, 40.7484, -73.9967, 0},
        {0, 0, 0, 1, 69.094094},
        {0, 179.5, 0, -179.5, 69.094094}, /* across the antimeridian */
        {90, 0, 89, 123, 69.094094},      /* longitude is meaningless at the pole */
        {0, 0, 0, 180, 12436.936997},
        {90, 0, -90, 0, 12436.936997},
        {40.6413, -73.7781, 33.9416, -118.4085, 2469.565555},  /* JFK - LAX */
        {51.5007, -0.1246, 40.6892, -74.0445, 3464.083880},    /* Big Ben - Liberty */
        {40.7484, -73.9967, 34.0901, -118.4065, 2453.348692},  /* 10001 - 90210 */
        {61.2116, -149.8761, 21.3179, -157.8521, 2783.099452}, /* 99501 - 96813 */
        {51.88, -176.65, 52.94, 173.17, 434.885130},           /* Adak - Attu */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d = geo_haversine_miles(cases[i].lat1, cases[i].lon1, cases[i].lat2, cases[i].lon2);
        double back =
            geo_haversine_miles(cases[i].lat2, cases[i].lon2, cases[i].lat1, cases[i].lon1);
        assert_float_equal(d, cases[i].miles, 1e-5);
        assert_float_equal(back, d, 1e-9);
    }
    assert_true(isnan(geo_haversine_miles(NAN, 0, 0, 0)));
    assert_true(isnan(geo_haversine_miles(0, 0, 0, NAN)));
}

static void test_within_invalid(void **state)
{
    static const struct {
        double lat, lon, miles;
    } cases[] = {
        {40, -74, -1},        {40, -74, -1e-300}, {40, -74, NAN}, {40, -74, INFINITY},
        {40, -74, -INFINITY}, {NAN, -74, 25},     {40, NAN, 25},  {91, -74, 25},
        {-90.0001, 0, 25},    {40, 180.5, 25},    {40, -181, 25}, {INFINITY, 0, 25},
        {0, -INFINITY, 25},
    };
    struct arena *a = arena_new(0);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct geo_zip **zips = (const struct geo_zip **)&zips;
        double *distances = (double *)&distances;
        size_t n = 77;
        struct pr_error err;

        assert_int_equal(geo_within(us, cases[i].lat, cases[i].lon, cases[i].miles, a, &zips,
                                    &distances, &n, &err),
                         PR_INVALID);
        assert_int_equal(err.code, PR_INVALID);
        assert_true(err.message[0] != '\0' && err.hint[0] != '\0');
        assert_int_equal(n, 77); /* outputs untouched */
        assert_ptr_equal(zips, (const struct geo_zip **)&zips);
        assert_ptr_equal(distances, (double *)&distances);
    }
    arena_free(a);
}

static void test_within_known(void **state)
{
    struct arena *a = arena_new(0);
    const struct geo_zip **zips;
    double *distances;
    size_t n, i;
    struct pr_error err;
    const struct geo_zip *z = geo_lookup(us, "90210");

    (void)state;
    /* Radius 0 at a centroid: that ZIP, at distance 0. */
    assert_int_equal(geo_within(us, z->lat, z->lon, 0, a, &zips, &distances, &n, &err), PR_OK);
    assert_int_equal(n, 1);
    assert_ptr_equal(zips[0], z);
    assert_true(distances[0] == 0);

    /* 00501 and 00544 share a centroid: both at 0, in ZIP order. */
    z = geo_lookup(us, "00544");
    assert_int_equal(geo_within(us, z->lat, z->lon, 0, a, &zips, &distances, &n, &err), PR_OK);
    assert_int_equal(n, 2);
    assert_string_equal(zips[0]->zip, "00501");
    assert_string_equal(zips[1]->zip, "00544");

    /* Midtown: 10001 first, all within a mile are Manhattan ZIPs, sorted by distance. */
    z = geo_lookup(us, "10001");
    assert_int_equal(geo_within(us, z->lat, z->lon, 1, a, &zips, &distances, &n, &err), PR_OK);
    assert_true(n > 5);
    assert_ptr_equal(zips[0], z);
    for (i = 1; i < n; i++) {
        assert_true(distances[i - 1] <= distances[i]);
        assert_true(distances[i] <= 1);
        assert_string_equal(zips[i]->state, "NY");
    }

    /* Mid-Atlantic ocean: nothing within 25 miles; outputs are NULL and 0. */
    assert_int_equal(geo_within(us, 30, -40, 25, a, &zips, &distances, &n, &err), PR_OK);
    assert_int_equal(n, 0);
    assert_null(zips);
    assert_null(distances);

    /* Half the circumference or more: every ZIP that has a centroid. */
    assert_int_equal(geo_within(us, 0, 0, 12500, a, &zips, &distances, &n, &err), PR_OK);
    assert_int_equal(n, N_US_ZIPS - N_US_WITHOUT_CENTRE);
    assert_int_equal(geo_within(us, 0, 0, 1e300, a, &zips, &distances, &n, &err), PR_OK);
    assert_int_equal(n, N_US_ZIPS - N_US_WITHOUT_CENTRE);
    arena_free(a);
}

/* ---- brute force ---- */

/* Position of `z` in ZIP order (the records of an index are one array; the result is checked
 * against geo_index_at, so a wrong guess fails rather than passes). */
static size_t zip_position(const struct geo_index *index, const struct geo_zip *z)
{
    size_t i = ((uintptr_t)z - (uintptr_t)geo_index_at(index, 0)) / sizeof *z;

    assert_ptr_equal(geo_index_at(index, i), z);
    return i;
}

/*
 * Checks geo_within against a brute-force scan for one centre and every radius of `radii`
 * (ascending). The scan computes geo_haversine_miles to every ZIP once (into `dist`, room for
 * geo_index_count) and counts the ZIPs within each radius. geo_within's answer for a radius
 * must then hold exactly that many ZIPs, each at its scanned distance (bit for bit) and within
 * the radius, in strictly increasing (distance, ZIP) order. That is the same set (distinct
 * members of the scan's set, as many as it has) in the one order that sorting it by (distance,
 * ZIP) gives, without sorting 40,000 scans of thousands of hits. Returns the number of results
 * compared.
 */
static size_t check_centre(const struct geo_index *index, double lat, double lon,
                           const double *radii, size_t n_radii, double *dist, struct arena *a)
{
    size_t n_within[16] = {0}, count = geo_index_count(index), r, i, total = 0;

    assert_true(n_radii <= 16);
    for (i = 0; i < count; i++) {
        const struct geo_zip *z = geo_index_at(index, i);
        dist[i] = geo_haversine_miles(lat, lon, z->lat, z->lon);
        if (!(dist[i] <= radii[n_radii - 1]))
            continue; /* beyond every radius, or NaN: no centroid, never found */
        for (r = 0; dist[i] > radii[r]; r++)
            ;
        n_within[r]++; /* within radii[r] and every larger one: summed below */
    }
    for (r = 1; r < n_radii; r++)
        n_within[r] += n_within[r - 1];
    for (r = 0; r < n_radii; r++) {
        const struct geo_zip **zips;
        double *distances;
        size_t n, prev = 0;
        struct pr_error err;

        assert_int_equal(geo_within(index, lat, lon, radii[r], a, &zips, &distances, &n, &err),
                         PR_OK);
        if (n != n_within[r])
            fail_msg("centre (%.17g, %.17g) radius %g: index found %zu ZIPs, scan %zu", lat, lon,
                     radii[r], n, n_within[r]);
        for (i = 0; i < n; i++) {
            size_t at = zip_position(index, zips[i]);
            if (distances[i] != dist[at] || !(distances[i] <= radii[r]))
                fail_msg("centre (%.17g, %.17g) radius %g: %s at %.17g, scan says %.17g", lat, lon,
                         radii[r], zips[i]->zip, distances[i], dist[at]);
            if (i > 0 && !(distances[i - 1] < distances[i] ||
                           (distances[i - 1] == distances[i] && prev < at)))
                fail_msg("centre (%.17g, %.17g) radius %g: %s at %.17g before %s at %.17g", lat,
                         lon, radii[r], zips[i - 1]->zip, distances[i - 1], zips[i]->zip,
                         distances[i]);
            prev = at;
        }
        total += n;
        arena_reset(a);
    }
    return total;
}

/* A centre of category `i % 10`: US ZIP centroids (exact, for ties at radius 0, or jittered),
 * Alaska, the Aleutians across the antimeridian, Hawaii, Puerto Rico, anywhere on earth. */
static void pick_centre(uint64_t *s, unsigned category, double *lat, double *lon)
{
    const struct geo_zip *z;

    switch (category) {
    case 0:
    case 1:
    case 2:
    case 3:
        do
            z = geo_index_at(us, (size_t)(rng_next(s) % N_US_ZIPS));
        while (isnan(z->lat));
        *lat = z->lat;
        *lon = z->lon;
        if (category >= 2) { /* jittered */
            *lat = fmax(-90, fmin(90, *lat + rng_uniform(s, -0.5, 0.5)));
            *lon = fmax(-180, fmin(180, *lon + rng_uniform(s, -0.5, 0.5)));
        }
        return;
    case 4: /* Alaska, to the north of the data */
        *lat = rng_uniform(s, 54, 71.5);
        *lon = rng_uniform(s, -168, -130);
        return;
    case 5: /* Aleutians, both sides of the antimeridian */
        *lat = rng_uniform(s, 50, 56);
        *lon = rng_uniform(s, 170, 200);
        if (*lon > 180)
            *lon -= 360;
        return;
    case 6: /* Hawaii */
        *lat = rng_uniform(s, 18.5, 22.5);
        *lon = rng_uniform(s, -160.5, -154.5);
        return;
    case 7: /* Puerto Rico */
        *lat = rng_uniform(s, 17.8, 18.6);
        *lon = rng_uniform(s, -67.5, -65.2);
        return;
    case 8: /* the contiguous states */
        *lat = rng_uniform(s, 25, 49);
        *lon = rng_uniform(s, -125, -67);
        return;
    default: /* anywhere, poles included */
        *lat = rng_uniform(s, -90, 90);
        *lon = rng_uniform(s, -180, 180);
        return;
    }
}

static void test_within_equals_brute_force_us(void **state)
{
    static const double radii[] = {0, 1, 5, 25, 100, 500};
    static const double edges[][2] = {
        {90, 0},         {-90, 0},      {0, 180},
        {0, -180},       {51.88, 180},  {51.88, -180},
        {52.94, 173.17}, {-89.9976, 0}, {71.2906, -156.7886},
        {18.4, -66.06},
    };
    double *dist = xcalloc(N_US_ZIPS, sizeof *dist);
    struct arena *a = arena_new(1 << 16);
    uint64_t seed = 20240601;
    size_t i, compared = 0, n_centres = 0;

    (void)state;
    for (i = 0; i < sizeof edges / sizeof edges[0]; i++, n_centres++)
        compared += check_centre(us, edges[i][0], edges[i][1], radii, 6, dist, a);
    for (i = 0; i < 2100; i++, n_centres++) {
        double lat, lon;
        pick_centre(&seed, (unsigned)(i % 10), &lat, &lon);
        compared += check_centre(us, lat, lon, radii, 6, dist, a);
    }
    print_message("# %zu centres x 6 radii, %zu results equal to the scan\n", n_centres, compared);
    assert_true(n_centres >= 2000);
    assert_true(compared > 1000000); /* the 500-mile radii alone hold millions */
    arena_free(a);
    xfree(dist);
}

/*
 * Synthetic data where the US has none: dense points on both sides of the antimeridian and
 * around both poles (lat ±90 and lon ±180 exactly included), repeated coordinates for ties,
 * and a sparse world grid; radii up to beyond half the circumference.
 */
static void test_within_equals_brute_force_synthetic(void **state)
{
    static const double radii[] = {0, 1, 5, 25, 100, 500, 3000, 12436, 12437, 20000};
    static const double edges[][2] = {
        {90, 0},    {-90, 0},         {0, 180},      {0, -180},      {89.99, 180},
        {90, -180}, {-89.99, -179.9}, {45, 179.999}, {45, -179.999},
    };
    struct buf csv;
    struct geo_index *index;
    struct pr_error err;
    double *dist;
    struct arena *a = arena_new(1 << 16);
    uint64_t seed = 7;
    double prev_lat = 0, prev_lon = 0;
    size_t i, compared = 0;

    (void)state;
    buf_init(&csv, 1 << 20);
    assert_int_equal(buf_puts(&csv, "zip,lat,lon,city,state,county,time_zone\n"), PR_OK);
    for (i = 0; i < 4000; i++) {
        double lat, lon;
        switch (i % 4) {
        case 0: /* antimeridian strip */
            lat = rng_uniform(&seed, -80, 80);
            lon = rng_uniform(&seed, 179, 181);
            if (lon > 180)
                lon -= 360;
            break;
        case 1: /* polar caps */
            lat = rng_uniform(&seed, 85, 90) * (i % 8 == 1 ? 1 : -1);
            lon = rng_uniform(&seed, -180, 180);
            break;
        case 2: /* the world */
            lat = rng_uniform(&seed, -90, 90);
            lon = rng_uniform(&seed, -180, 180);
            break;
        default: /* the previous point again: a tie in distance from anywhere */
            lat = prev_lat;
            lon = prev_lon;
            break;
        }
        if (i == 5 || i == 9) {
            lat = i == 5 ? 90 : -90;
            lon = i == 5 ? 180 : -180;
        } else if (i == 13 || i == 14) {
            lat = 0;
            lon = i == 13 ? 180 : -180;
        }
        assert_int_equal(buf_printf(&csv, "%05zu,%.6f,%.6f,Place %zu,XX,,\n", i, lat, lon, i),
                         PR_OK);
        prev_lat = lat;
        prev_lon = lon;
    }
    assert_int_equal(geo_index_build("synthetic", csv.ptr, csv.len, &index, &err), PR_OK);
    assert_int_equal(geo_index_count(index), 4000);
    dist = xcalloc(4000, sizeof *dist);
    for (i = 0; i < sizeof edges / sizeof edges[0]; i++)
        compared += check_centre(index, edges[i][0], edges[i][1], radii, 10, dist, a);
    for (i = 0; i < 600; i++) {
        double lat, lon;
        if (i % 3 == 0) { /* at a point: radius 0 finds it and its repeats */
            const struct geo_zip *z = geo_index_at(index, (size_t)(rng_next(&seed) % 4000));
            lat = z->lat;
            lon = z->lon;
        } else if (i % 3 == 1) { /* near the antimeridian or a pole */
            lat = rng_uniform(&seed, -90, 90);
            lon = i % 2 ? rng_uniform(&seed, 179.5, 180) : rng_uniform(&seed, -180, -179.5);
        } else {
            lat = rng_uniform(&seed, -90, 90);
            lon = rng_uniform(&seed, -180, 180);
        }
        compared += check_centre(index, lat, lon, radii, 10, dist, a);
    }
    assert_true(compared > 100000);
    xfree(dist);
    geo_index_free(index);
    buf_free(&csv);
    arena_free(a);
}

static void test_build_valid(void **state)
{
    static const char text[] = "zip,lat,lon,city,state,county,time_zone\n"
                               "00001,1.5,-2.25,Here,AB,Do\xc3\xb1"
                               "a Ana,Etc/UTC\n"
                               "00002,,,Nowhere,CD,,\n"
                               "00003,-0.000001,180,Edge,EF,,"; /* no final newline */
    struct geo_index *index;
    struct pr_error err;
    const struct geo_zip *z;

    (void)state;
    assert_int_equal(geo_index_build("t", text, sizeof text - 1, &index, &err), PR_OK);
    assert_int_equal(geo_index_count(index), 3);
    z = geo_lookup(index, "00001");
    assert_non_null(z);
    assert_true(z->lat == 1.5 && z->lon == -2.25);
    assert_string_equal(z->county, "Do\xc3\xb1"
                                   "a Ana");
    assert_string_equal(z->time_zone, "Etc/UTC");
    z = geo_lookup(index, "00002");
    assert_true(isnan(z->lat) && isnan(z->lon));
    assert_string_equal(z->county, "");
    z = geo_lookup(index, "00003");
    assert_true(z->lat == -0.000001 && z->lon == 180);
    assert_string_equal(z->time_zone, "");
    geo_index_free(index);

    /* Header only: an empty index that answers every query with nothing. */
    assert_int_equal(geo_index_build("t", text, 40, &index, &err), PR_OK);
    assert_int_equal(geo_index_count(index), 0);
    assert_null(geo_lookup(index, "00001"));
    {
        struct arena *a = arena_new(0);
        const struct geo_zip **zips;
        double *distances;
        size_t n;
        assert_int_equal(geo_within(index, 0, 0, 1e6, a, &zips, &distances, &n, &err), PR_OK);
        assert_int_equal(n, 0);
        arena_free(a);
    }
    geo_index_free(index);
}

static void test_build_errors(void **state)
{
#define H "zip,lat,lon,city,state,county,time_zone\n"
    static const struct {
        const char *text;
        size_t len; /* 0: strlen */
        const char *message_part;
    } cases[] = {
        {"", 0, "line 1: header"},
        {"zip,lat,lon,city,state,county\n", 0, "line 1: header"},
        {"ZIP,lat,lon,city,state,county,time_zone\n", 0, "line 1: header"},
        {H "\n", 0, "line 2: expected 7"},
        {H "00001,1,2,A,AB,,\n\n", 0, "line 3: expected 7"},
        {H "00001,1,2,A,AB,\n", 0, "line 2: expected 7"},
        {H "00001,1,2,A,AB,,,\n", 0, "line 2: expected 7"},
        {H "0001,1,2,A,AB,,\n", 0, "line 2: zip is not five"},
        {H "000011,1,2,A,AB,,\n", 0, "line 2: zip is not five"},
        {H "0000a,1,2,A,AB,,\n", 0, "line 2: zip is not five"},
        {H "00002,1,2,A,AB,,\n00001,1,2,A,AB,,\n", 0, "line 3: zip is not above"},
        {H "00001,1,2,A,AB,,\n00001,1,2,A,AB,,\n", 0, "line 3: zip is not above"},
        {H "00001,x,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,90.0001,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,-91,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,1e1,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,+1,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,.5,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,1.,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,1000,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,1.0000000000001,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,,2,A,AB,,\n", 0, "line 2: lat"},
        {H "00001,1,,A,AB,,\n", 0, "line 2: lon"},
        {H "00001,1,180.5,A,AB,,\n", 0, "line 2: lon"},
        {H "00001,1,-2-,A,AB,,\n", 0, "line 2: lon"},
        {H "00001,1,nan,A,AB,,\n", 0, "line 2: lon"},
        {H "00001,1,2,,AB,,\n", 0, "line 2: city is empty"},
        {H "00001,1,2,A,ab,,\n", 0, "line 2: state"},
        {H "00001,1,2,A,ABC,,\n", 0, "line 2: state"},
        {H "00001,1,2,A\t,AB,,\n", 0, "line 2: control character"},
        {H "00001,1,2,A,AB,,\r\n", 0, "line 2: control character"},
        {H "00001,1,2,A,AB,\xff,\n", 0, "line 2: control character or invalid UTF-8"},
        {H "00001,1,2,A,AB,\xc3,\n", 0, "line 2: control character or invalid UTF-8"},
        {H "00001,1,2,A,AB,\xc2\x85,\n", 0, "line 2: control character"},
        {H "00001,1,2,A\0B,AB,,\n", sizeof H - 1 + 20, "line 2: NUL byte"},
    };
#undef H
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct geo_index *index = (struct geo_index *)&index;
        struct pr_error err;
        size_t len = cases[i].len ? cases[i].len : strlen(cases[i].text);

        if (geo_index_build("t.csv", cases[i].text, len, &index, &err) != PR_INVALID)
            fail_msg("case %zu was accepted", i);
        if (strstr(err.message, cases[i].message_part) == NULL)
            fail_msg("case %zu: message \"%s\" lacks \"%s\"", i, err.message,
                     cases[i].message_part);
        assert_non_null(strstr(err.message, "t.csv"));
        assert_ptr_equal(index, (struct geo_index *)&index); /* untouched */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup_known),
        cmocka_unit_test(test_lookup_unknown),
        cmocka_unit_test(test_index_order),
        cmocka_unit_test(test_haversine_known),
        cmocka_unit_test(test_within_invalid),
        cmocka_unit_test(test_within_known),
        cmocka_unit_test(test_within_equals_brute_force_us),
        cmocka_unit_test(test_within_equals_brute_force_synthetic),
        cmocka_unit_test(test_build_valid),
        cmocka_unit_test(test_build_errors),
    };
    return cmocka_run_group_tests(tests, setup_us, teardown_us);
}
