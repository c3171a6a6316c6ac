/*
 * Request counters and latency histograms. Counters are kept per (route, method, status) in
 * a small array that grows on first sight of a combination; its size is bounded by the
 * labels (routes x methods x statuses actually used), so it cannot grow with input.
 */
#include "api/metrics.h"

#include "util/mem.h"

#include <pthread.h>
#include <string.h>

static const double bucket_bounds[] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                       0.25,  0.5,    1,     2.5,  5,     10};
#define N_BUCKETS (sizeof bucket_bounds / sizeof bucket_bounds[0])

static const char *const method_names[] = {"GET",   "HEAD",   "POST",    "PUT",
                                           "PATCH", "DELETE", "OPTIONS", "OTHER"};
#define N_METHODS (sizeof method_names / sizeof method_names[0])

struct counter {
    size_t route_index;
    size_t method_index;
    int status;
    unsigned long long count;
};

struct histogram {
    unsigned long long buckets[N_BUCKETS]; /* non-cumulative; summed when rendered */
    unsigned long long count;
    double sum;
};

struct api_metrics {
    pthread_mutex_t lock;
    const struct api_route *routes;
    size_t n_routes;
    struct counter *counters;
    size_t n_counters, cap_counters;
    struct histogram *histograms; /* n_routes + 1, the last for "unmatched" */
};

struct api_metrics *api_metrics_new(const struct api_route *routes, size_t n_routes)
{
    struct api_metrics *m = xcalloc(1, sizeof *m);

    (void)pthread_mutex_init(&m->lock, NULL);
    m->routes = routes;
    m->n_routes = n_routes;
    m->histograms = xcalloc(n_routes + 1, sizeof *m->histograms);
    return m;
}

void api_metrics_free(struct api_metrics *m)
{
    if (m == NULL)
        return;
    (void)pthread_mutex_destroy(&m->lock);
    xfree(m->counters);
    xfree(m->histograms);
    xfree(m);
}

static size_t method_index(const char *method)
{
    size_t i;

    for (i = 0; i + 1 < N_METHODS; i++)
        if (strcmp(method, method_names[i]) == 0)
            return i;
    return N_METHODS - 1;
}

void api_metrics_observe(struct api_metrics *m, size_t route_index, const char *method, int status,
                         double seconds)
{
    size_t mi = method_index(method), i;
    struct histogram *h;

    if (route_index > m->n_routes)
        route_index = m->n_routes;
    if (status < 100 || status > 599)
        status = 599;
    if (seconds < 0)
        seconds = 0;
    (void)pthread_mutex_lock(&m->lock);
    for (i = 0; i < m->n_counters; i++)
        if (m->counters[i].route_index == route_index && m->counters[i].method_index == mi &&
            m->counters[i].status == status)
            break;
    if (i == m->n_counters) {
        if (m->n_counters == m->cap_counters) {
            m->cap_counters = m->cap_counters ? m->cap_counters * 2 : 16;
            m->counters = xrealloc(m->counters, m->cap_counters * sizeof *m->counters);
        }
        m->counters[i] = (struct counter){route_index, mi, status, 0};
        m->n_counters++;
    }
    m->counters[i].count++;
    h = &m->histograms[route_index];
    for (i = 0; i < N_BUCKETS; i++)
        if (seconds <= bucket_bounds[i]) {
            h->buckets[i]++;
            break;
        }
    h->count++;
    h->sum += seconds;
    (void)pthread_mutex_unlock(&m->lock);
}

static const char *route_label(const struct api_metrics *m, size_t route_index)
{
    return route_index < m->n_routes ? m->routes[route_index].pattern : "unmatched";
}

static enum pr_code render_locked(struct api_metrics *m, struct buf *out)
{
    enum pr_code rc;
    size_t i, r;

    rc = buf_puts(out, "# HELP prospect_http_requests_total HTTP requests answered, by route "
                       "pattern, method and status.\n"
                       "# TYPE prospect_http_requests_total counter\n");
    for (i = 0; rc == PR_OK && i < m->n_counters; i++)
        rc = buf_printf(out,
                        "prospect_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} "
                        "%llu\n",
                        route_label(m, m->counters[i].route_index),
                        method_names[m->counters[i].method_index], m->counters[i].status,
                        m->counters[i].count);
    if (rc == PR_OK)
        rc = buf_puts(out, "# HELP prospect_http_request_duration_seconds Time from the request "
                           "line to the response, by route pattern.\n"
                           "# TYPE prospect_http_request_duration_seconds histogram\n");
    for (r = 0; rc == PR_OK && r <= m->n_routes; r++) {
        const struct histogram *h = &m->histograms[r];
        unsigned long long cumulative = 0;
        const char *label = route_label(m, r);

        for (i = 0; rc == PR_OK && i < N_BUCKETS; i++) {
            cumulative += h->buckets[i];
            rc = buf_printf(out,
                            "prospect_http_request_duration_seconds_bucket{route=\"%s\","
                            "le=\"%g\"} %llu\n",
                            label, bucket_bounds[i], cumulative);
        }
        if (rc == PR_OK)
            rc = buf_printf(out,
                            "prospect_http_request_duration_seconds_bucket{route=\"%s\","
                            "le=\"+Inf\"} %llu\n"
                            "prospect_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
                            "prospect_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
                            label, h->count, label, h->sum, label, h->count);
    }
    return rc;
}

enum pr_code api_metrics_render(struct api_metrics *m, struct buf *out)
{
    enum pr_code rc;

    (void)pthread_mutex_lock(&m->lock);
    rc = render_locked(m, out);
    (void)pthread_mutex_unlock(&m->lock);
    return rc;
}
