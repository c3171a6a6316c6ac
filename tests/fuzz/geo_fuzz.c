/*
 * Fuzz target for core/geo. The first byte selects how each of the next three 8-byte fields
 * becomes an argument of geo_within (latitude, longitude, miles): the raw IEEE bits (NaN,
 * infinities, subnormals), a value spread over a little more than the valid range, a special
 * value (±0, the range ends, the doubles just past them, DBL_MAX...), or a coarse grid step
 * (radii on a logarithmic scale). Bit 6 negates the radius.
 * The remaining bytes are CSV text for geo_index_build.
 *
 * Checks: geo_within on the built-in US index fails with PR_INVALID exactly when an argument is
 * out of range; its results are strictly ordered by (distance, ZIP), each distance is the
 * haversine of that ZIP and at most the radius; with the selector's top bit set and no CSV
 * part, the count is also compared with a full scan (42,000 haversines, so not on every
 * input; the unit test compares 12,000 queries with the scan). When the CSV
 * builds, the same query runs on that index and is compared with a full scan, and every ZIP is
 * found again by geo_lookup.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define HEADER_LEN 25

static void check(int ok)
{
    if (!ok)
        abort();
}

/* Modes 1 and 3 spread over -1.01 * limit .. 1.01 * limit, or, for the radius (`log_scale`),
 * over 0 .. limit on a logarithmic scale so that most radii are small and queries fast. */
static double decode(const uint8_t *p, unsigned mode, double limit, int log_scale)
{
    double specials[] = {
        NAN,
        -NAN,
        INFINITY,
        -INFINITY,
        0.0,
        -0.0,
        limit,
        -limit,
        nextafter(limit, INFINITY),
        nextafter(-limit, -INFINITY),
        DBL_MAX,
        -DBL_MAX,
        DBL_TRUE_MIN,
        1e-300,
        25.0,
        12436.936997,
        12437.0,
        1e300,
    };
    uint32_t u;
    double d, frac;

    switch (mode) {
    case 0:
        memcpy(&d, p, sizeof d);
        return d;
    case 2:
        return specials[p[0] % (sizeof specials / sizeof specials[0])];
    case 1:
        memcpy(&u, p, sizeof u);
        frac = (double)u / 4294967295.0;
        break;
    default:
        frac = p[0] / 255.0;
        break;
    }
    if (log_scale)
        return expm1(frac * frac * frac * log1p(limit)); /* mostly small radii */
    return -1.01 * limit + 2.02 * limit * frac;
}

static int zip_before(const struct geo_zip *a, double da, const struct geo_zip *b, double db)
{
    return da < db || (da == db && strcmp(a->zip, b->zip) < 0);
}

/* Checks one query's results; with `scan`, also that a full scan finds as many ZIPs. */
static void check_results(const struct geo_index *index, double lat, double lon, double miles,
                          const struct geo_zip **zips, const double *distances, size_t n, int scan)
{
    size_t i;

    check((n == 0) == (zips == NULL) && (n == 0) == (distances == NULL));
    for (i = 0; i < n; i++) {
        check(distances[i] == geo_haversine_miles(lat, lon, zips[i]->lat, zips[i]->lon));
        check(distances[i] <= miles);
        if (i > 0)
            check(zip_before(zips[i - 1], distances[i - 1], zips[i], distances[i]));
    }
    if (scan) {
        size_t count = geo_index_count(index), expected = 0;
        for (i = 0; i < count; i++) {
            const struct geo_zip *z = geo_index_at(index, i);
            expected += geo_haversine_miles(lat, lon, z->lat, z->lon) <= miles;
        }
        check(expected == n);
    }
}

static void query(const struct geo_index *index, double lat, double lon, double miles, int scan)
{
    struct arena *a = arena_new(0);
    const struct geo_zip **zips = NULL;
    double *distances = NULL;
    size_t n = 0;
    struct pr_error err;
    int valid = lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 && miles >= 0 && !isinf(miles);
    enum pr_code rc = geo_within(index, lat, lon, miles, a, &zips, &distances, &n, &err);

    check(rc == (valid ? PR_OK : PR_INVALID));
    if (rc == PR_OK)
        check_results(index, lat, lon, miles, zips, distances, n, scan);
    else
        check(err.code == PR_INVALID && err.message[0] != '\0');
    arena_free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct geo_index *us; /* built once, shared by every input, never freed */
    uint8_t header[HEADER_LEN] = {0};
    struct geo_index *index;
    struct pr_error err;
    double lat, lon, miles;
    unsigned selector;

    if (us == NULL)
        check(geo_index_build_us(&us, &err) == PR_OK);
    memcpy(header, data, size < HEADER_LEN ? size : HEADER_LEN);
    selector = header[0];
    lat = decode(header + 1, selector & 3, 90, 0);
    lon = decode(header + 9, (selector >> 2) & 3, 180, 0);
    miles = fabs(decode(header + 17, (selector >> 4) & 3, 13000, 1));
    if (selector & 0x40)
        miles = -miles;
    query(us, lat, lon, miles, (selector & 0x80) && size <= HEADER_LEN);

    if (size > HEADER_LEN && geo_index_build("fuzz", (const char *)data + HEADER_LEN,
                                             size - HEADER_LEN, &index, &err) == PR_OK) {
        size_t i, count = geo_index_count(index);
        for (i = 0; i < count; i++)
            check(geo_lookup(index, geo_index_at(index, i)->zip) == geo_index_at(index, i));
        query(index, lat, lon, miles, 1);
        geo_index_free(index);
    } else if (size > HEADER_LEN) {
        check(err.code == PR_INVALID && err.message[0] != '\0');
    }
    return 0;
}
