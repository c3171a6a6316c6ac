/*
 * HTTP metrics in Prometheus text format (exposition format 0.0.4):
 *   prospect_http_requests_total{route,method,status}       counter
 *   prospect_http_request_duration_seconds{route}           histogram, fixed buckets
 * Labels are bounded: `route` is a pattern from routes.def or "unmatched" (never a raw path),
 * `method` one of the standard methods or "OTHER", `status` a three-digit code. One mutex
 * guards the figures: an observation is a few additions, far below a request's cost.
 */
#ifndef PROSPECT_API_METRICS_H
#define PROSPECT_API_METRICS_H

#include "api/router.h"
#include "util/error.h"
#include "util/str.h"

#include <stddef.h>

struct api_metrics;

/* Creates the figures for `routes` (not copied: the table must outlive the metrics). */
struct api_metrics *api_metrics_new(const struct api_route *routes, size_t n_routes);
void api_metrics_free(struct api_metrics *m);

/* Counts one request. `route_index` == n_routes means "unmatched". Thread-safe. */
void api_metrics_observe(struct api_metrics *m, size_t route_index, const char *method, int status,
                         double seconds);

/* Appends the exposition text to `out`. PR_INVALID when `out` is full. Thread-safe. */
enum pr_code api_metrics_render(struct api_metrics *m, struct buf *out);

#endif
