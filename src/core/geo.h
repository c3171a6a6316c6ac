/*
 * Geography: US ZIP centroids (data/us_zips.csv, compiled into the binary) with lookup by ZIP
 * and a spatial index for "ZIPs within N miles of a point, nearest first". Pure: the data is
 * embedded, nothing is read from disk.
 *
 * Distances are great-circle distances by the haversine formula on a sphere of radius
 * GEO_EARTH_RADIUS_MILES. The index answers radius queries without scanning every ZIP; its
 * answers are exactly those of a scan with geo_haversine_miles() (the same set, ordered by
 * distance, ties broken by ZIP), which the unit tests prove.
 *
 * An index is immutable once built, so one index may be shared by any number of threads.
 */
#ifndef PROSPECT_CORE_GEO_H
#define PROSPECT_CORE_GEO_H

#include "util/arena.h"
#include "util/error.h"

#include <stddef.h>

#define GEO_EARTH_RADIUS_MILES 3958.8

struct geo_index;

/*
 * One ZIP. lat and lon are degrees (WGS84); both are NaN for the few ZIPs whose source has no
 * centroid (military APO/FPO codes): those are found by geo_lookup() but never by
 * geo_within(). city and state are never empty; county and time_zone (an IANA name such as
 * "America/New_York") are "" when unknown. The strings live as long as the index.
 */
struct geo_zip {
    char zip[6];
    double lat, lon;
    const char *city, *state, *county, *time_zone;
};

/*
 * Builds the index over the ZIPs compiled into the binary. The caller owns *out and releases
 * it with geo_index_free(). Takes a few milliseconds; build it once and share it.
 * Errors: PR_INTERNAL when the embedded data is malformed (a build defect; the message names
 * the line).
 */
enum pr_code geo_index_build_us(struct geo_index **out, struct pr_error *err);

/*
 * Builds an index from `len` bytes of CSV in the us_zips.csv format: the header
 * `zip,lat,lon,city,state,county,time_zone`, then one line per ZIP, LF line endings, no
 * quoting; zip is five digits and strictly increasing; lat and lon are plain decimals
 * (-90..90, -180..180) or both empty; state is two capital letters; city is not empty; no
 * field holds control characters. `source_name` names the text in messages. The caller owns
 * *out (geo_index_free). Errors: PR_INVALID naming the first bad line and what is wrong with it.
 */
enum pr_code geo_index_build(const char *source_name, const char *text, size_t len,
                             struct geo_index **out, struct pr_error *err);

/* Releases an index and its strings. NULL is a no-op. */
void geo_index_free(struct geo_index *index);

/* Number of ZIPs in the index, and the i-th in ZIP order (i < geo_index_count; else NULL). The
 * records live as long as the index. */
size_t geo_index_count(const struct geo_index *index);
const struct geo_zip *geo_index_at(const struct geo_index *index, size_t i);

/* The record of a five-digit ZIP ("02134"), or NULL when `zip5` is unknown or not exactly five
 * digits. The record lives as long as the index. */
const struct geo_zip *geo_lookup(const struct geo_index *index, const char *zip5);

/*
 * The ZIPs whose centroid lies within `miles` (inclusive) of (lat, lon), nearest first, ties
 * in distance broken by ZIP. On PR_OK, *out_sorted[i] is the i-th ZIP and (*out_distances)[i]
 * its distance in miles (exactly geo_haversine_miles(lat, lon, zip->lat, zip->lon)); both
 * arrays live in `a`, and both are NULL when *n_out is 0. A radius of half the earth's
 * circumference or more returns every ZIP that has a centroid. Longitudes wrap at ±180.
 * Errors: PR_INVALID when lat is not in -90..90, lon not in -180..180, or miles is negative,
 * NaN or infinite (the outputs are then untouched).
 */
enum pr_code geo_within(const struct geo_index *index, double lat, double lon, double miles,
                        struct arena *a, const struct geo_zip ***out_sorted, double **out_distances,
                        size_t *n_out, struct pr_error *err);

/* Great-circle distance in miles between two points given in degrees (haversine formula,
 * radius GEO_EARTH_RADIUS_MILES). NaN if any argument is NaN. */
double geo_haversine_miles(double lat1, double lon1, double lat2, double lon2);

#endif
