/*
 * The HTTP server: libmicrohttpd with an internal pool of epoll threads, the route table of
 * routes.def, problem+json errors, a request id, security headers and a JSON access-log line
 * on every response, and Prometheus metrics. docs/api.md describes the wire contract and
 * docs/internals/http.md the threads, lifetimes and the shutdown sequence.
 */
#ifndef PROSPECT_API_SERVER_H
#define PROSPECT_API_SERVER_H

#include "util/clock.h"
#include "util/error.h"
#include "util/log.h"

#include <stddef.h>

struct api_server;

struct api_server_options {
    const char *address;            /* IP literal or host name to bind; required */
    int port;                       /* 0: a free port chosen by the kernel */
    int n_threads;                  /* request threads; 0: API_SERVER_THREADS_DEFAULT */
    int timeout_s;                  /* 0: API_SERVER_TIMEOUT_DEFAULT, see below */
    int max_connections;            /* 0: API_SERVER_CONNECTIONS_DEFAULT */
    size_t connection_memory_limit; /* headers + read buffer per connection; 0: 64 KiB */
    const char *database_path;      /* each request thread opens its own store on it */
    int busy_timeout_ms;
    struct clock *clock;
    struct logger *log; /* access log and errors; not owned */
};

#define API_SERVER_THREADS_DEFAULT     4
#define API_SERVER_TIMEOUT_DEFAULT     10
#define API_SERVER_CONNECTIONS_DEFAULT 1024

/* Binds and starts the threads. `timeout_s` bounds both idleness (no byte for that long) and
 * the time a request may take to arrive (request line, headers and body), so a client that
 * trickles one byte a second is cut off. PR_CONFIG for a bad option or route table, PR_IO
 * when the address cannot be bound (in use, not local). On success *out is owned by the
 * caller (api_server_stop). */
enum pr_code api_server_start(const struct api_server_options *opt, struct api_server **out,
                              struct pr_error *err);

/* The bound port (the real one when the options asked for 0). */
int api_server_port(const struct api_server *srv);

/* Writes "http://ADDRESS:PORT" (IPv6 literals in brackets) into `out`. */
void api_server_url(const struct api_server *srv, char *out, size_t out_size);

/* Graceful stop: stops accepting, closes idle keep-alive connections, lets requests in
 * flight finish (at most timeout_s more), then joins the threads, closes the per-thread stores
 * and frees `srv`. NULL is a no-op. */
void api_server_stop(struct api_server *srv);

struct api_metrics;
/* The server's metrics (for the /metrics handler). */
struct api_metrics *api_server_metrics(struct api_server *srv);

#endif
