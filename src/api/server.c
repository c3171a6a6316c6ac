/*
 * libmicrohttpd plumbing. MHD runs `n_threads` epoll threads, each owning the connections it
 * accepted; a request is handled start to finish on one of them, so the per-thread store needs
 * no locking. Three callbacks frame a request:
 *   on_uri        the request line arrived: the request context is born (start of the clock);
 *   on_request    headers complete (route, id, size checks), then body chunks, then the
 *                 handler; the response is queued from here;
 *   on_completed  the response went out (or the connection died): metrics, access log, free.
 * on_connection tracks every open connection with its phase so that a watchdog thread can cut
 * a client that trickles its request (MHD's own timeout only measures idleness) and so that a
 * graceful stop can close idle keep-alive connections and wait for the others. See
 * docs/internals/http.md.
 */
#include "api/server.h"

#include "api/handler.h"
#include "api/metrics.h"
#include "api/params.h"
#include "api/problem.h"
#include "app/keys.h"
#include "core/access.h"
#include "util/crypto.h"
#include "util/mem.h"

#include <microhttpd.h>

#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define WATCHDOG_PERIOD_MS 100
#define DISCARD_MAX        ((size_t)1024 * 1024) /* body bytes read past a limit before hanging up */
#define PROBLEM_MAX        ((size_t)8 * 1024)

enum conn_phase {
    CONN_IDLE,       /* waiting for a request line (new or keep-alive connection) */
    CONN_RECEIVING,  /* request line seen; headers or body still arriving */
    CONN_RESPONDING, /* response queued; MHD is sending it */
};

/* One open connection (MHD's socket_context); on the server's list under `lock`. */
struct conn_state {
    struct conn_state *prev, *next;
    int fd;
    enum conn_phase phase;
    int64_t phase_at_ms; /* monotonic */
    bool is_cut;
};

/* One per request (MHD's con_cls), from the request line to completion. */
struct request_ctx {
    struct api_request req;
    struct api_response res;
    struct buf body;
    char method[16]; /* for metrics and the log; truncated, never the raw URL */
    size_t route_index;
    size_t max_body_len;
    size_t discarded_len;
    int64_t started_ns;
    int status; /* 0 until a response is queued */
    size_t bytes;
    bool is_started; /* headers seen by on_request */
    bool is_too_large;
};

struct thread_store {
    struct thread_store *next;
    struct store *st;
};

struct api_server {
    struct MHD_Daemon *daemon;
    struct api_server_options opt;
    char *address;
    char *database_path;
    bool is_ipv6;
    int port;
    const struct api_route *routes;
    size_t n_routes;
    struct api_metrics *metrics;

    pthread_mutex_t lock; /* guards everything below */
    pthread_cond_t changed;
    struct conn_state *conns;
    size_t n_conns;
    bool is_draining;
    bool is_stopping; /* tells the watchdog to exit */
    struct thread_store *stores;

    pthread_key_t store_key;
    pthread_t watchdog;
    bool has_watchdog;
};

static int64_t mono_ns(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t mono_ms(void)
{
    return mono_ns() / 1000000;
}

static struct conn_state *conn_of(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

    return info != NULL ? info->socket_context : NULL;
}

static void set_phase(struct api_server *srv, struct MHD_Connection *conn, enum conn_phase phase)
{
    struct conn_state *cs = conn_of(conn);

    if (cs == NULL)
        return;
    (void)pthread_mutex_lock(&srv->lock);
    cs->phase = phase;
    cs->phase_at_ms = mono_ms();
    (void)pthread_mutex_unlock(&srv->lock);
}

/* --- the watchdog ----------------------------------------------------------------------- */

/* Cuts (shutdown(2), which wakes MHD's epoll; MHD then closes the socket) every connection
 * whose request has taken longer than timeout_s to arrive, and while draining every idle one.
 * MHD reports a connection closed before it closes the descriptor, and the list entry goes
 * away under the same lock, so a descriptor seen here is never one already reused. */
static void *watchdog_main(void *arg)
{
    struct api_server *srv = arg;
    int64_t timeout_ms = (int64_t)srv->opt.timeout_s * 1000;
    struct conn_state *cs;
    struct timespec until;

    (void)pthread_mutex_lock(&srv->lock);
    while (!srv->is_stopping) {
        int64_t now = mono_ms();

        for (cs = srv->conns; cs != NULL; cs = cs->next) {
            bool is_late = cs->phase != CONN_RESPONDING && now - cs->phase_at_ms > timeout_ms;

            if (cs->is_cut || !(is_late || (srv->is_draining && cs->phase == CONN_IDLE)))
                continue;
            (void)shutdown(cs->fd, SHUT_RDWR);
            cs->is_cut = true;
            if (is_late)
                log_event(srv->opt.log, LOG_INFO, NULL, "http connection cut: request too slow",
                          "phase", cs->phase == CONN_IDLE ? "idle" : "receiving",
                          (const char *)NULL);
        }
        (void)clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += WATCHDOG_PERIOD_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        (void)pthread_cond_timedwait(&srv->changed, &srv->lock, &until);
    }
    (void)pthread_mutex_unlock(&srv->lock);
    return NULL;
}

/* --- per-thread stores ---------------------------------------------------------------- */

enum pr_code api_request_store(struct api_request *req, struct store **out, struct pr_error *err)
{
    struct api_server *srv = req->server;
    struct store *st = pthread_getspecific(srv->store_key);
    struct store_options opt = {0};
    struct thread_store *ts;
    enum pr_code rc;

    if (st != NULL) {
        *out = st;
        return PR_OK;
    }
    opt.path = srv->database_path;
    opt.busy_timeout_ms = srv->opt.busy_timeout_ms;
    opt.create = false;
    opt.migrate = false; /* `serve` migrated at start; a newer schema is not ours to apply */
    opt.clock = srv->opt.clock;
    rc = store_open(&opt, &st, err);
    if (rc != PR_OK)
        return rc;
    ts = xcalloc(1, sizeof *ts);
    ts->st = st;
    (void)pthread_mutex_lock(&srv->lock);
    ts->next = srv->stores;
    srv->stores = ts;
    (void)pthread_mutex_unlock(&srv->lock);
    (void)pthread_setspecific(srv->store_key, st);
    *out = st;
    return PR_OK;
}

struct api_metrics *api_server_metrics(struct api_server *srv)
{
    return srv->metrics;
}

/* --- responses -------------------------------------------------------------------------- */

static void add_header(struct MHD_Response *resp, const char *name, const char *value)
{
    /* Fails only on out-of-memory or a bad header value; ours are constants or checked ids. */
    (void)MHD_add_response_header(resp, name, value);
}

static enum MHD_Result respond(struct api_server *srv, struct MHD_Connection *conn,
                               struct request_ctx *rq, int status, const char *content_type,
                               const char *body, size_t len, const char *allow)
{
    struct MHD_Response *resp;
    enum MHD_Result ret;
    bool is_draining;

    resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    add_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    add_header(resp, "X-Request-Id", rq->req.id);
    add_header(resp, "X-Content-Type-Options", "nosniff");
    add_header(resp, "X-Frame-Options", "DENY");
    add_header(resp, "Referrer-Policy", "no-referrer");
    add_header(resp, "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
    add_header(resp, "Cache-Control", "no-store");
    if (allow != NULL)
        add_header(resp, MHD_HTTP_HEADER_ALLOW, allow);
    if (status == MHD_HTTP_UNAUTHORIZED) /* RFC 9110 11.6.1: every 401 carries a challenge */
        add_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"prospect\"");
    (void)pthread_mutex_lock(&srv->lock);
    is_draining = srv->is_draining;
    (void)pthread_mutex_unlock(&srv->lock);
    if (is_draining)
        add_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    ret = MHD_queue_response(conn, (unsigned)status, resp);
    MHD_destroy_response(resp);
    if (ret == MHD_YES) {
        rq->status = status;
        rq->bytes = len;
        set_phase(srv, conn, CONN_RESPONDING);
    }
    return ret;
}

/* Answers `err` as problem+json. 5xx messages are hidden unless `is_message_safe`. */
static enum MHD_Result respond_problem(struct api_server *srv, struct MHD_Connection *conn,
                                       struct request_ctx *rq, const struct pr_error *err,
                                       bool is_message_safe, const char *allow)
{
    struct buf out;
    const char *detail = api_problem_detail(err, is_message_safe);
    bool is_fault = pr_code_http_status(err->code) >= 500;
    enum MHD_Result ret;

    buf_init(&out, PROBLEM_MAX);
    if (api_problem_render(&out, err->code, detail, is_fault ? NULL : err->hint, rq->req.id) !=
        PR_OK) {
        buf_reset(&out);
        (void)api_problem_render(&out, err->code, NULL, NULL, rq->req.id);
    }
    ret = respond(srv, conn, rq, pr_code_http_status(err->code), API_PROBLEM_CONTENT_TYPE,
                  buf_cstr(&out), out.len, allow);
    buf_free(&out);
    return ret;
}

static enum MHD_Result respond_error(struct api_server *srv, struct MHD_Connection *conn,
                                     struct request_ctx *rq, enum pr_code code, const char *message,
                                     const char *allow)
{
    struct pr_error err;

    pr_error_set(&err, code, "%s", message);
    return respond_problem(srv, conn, rq, &err, true, allow);
}

/* --- request life cycle ------------------------------------------------------------------ */

/* True for an incoming X-Request-Id we may echo: 8 to 64 of [A-Za-z0-9._-]. */
static bool is_good_request_id(const char *id)
{
    size_t len = 0;

    for (; id[len] != '\0'; len++) {
        char c = id[len];

        if (len >= API_REQUEST_ID_MAX - 1)
            return false;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return false;
    }
    return len >= 8;
}

static void request_id_init(struct MHD_Connection *conn, char *out)
{
    static const char hex[] = "0123456789abcdef";
    const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Request-Id");
    unsigned char bytes[8];
    size_t i;

    if (given != NULL && is_good_request_id(given)) {
        (void)snprintf(out, API_REQUEST_ID_MAX, "%s", given);
        return;
    }
    crypto_random_bytes(bytes, sizeof bytes);
    for (i = 0; i < sizeof bytes; i++) {
        out[2 * i] = hex[bytes[i] >> 4];
        out[2 * i + 1] = hex[bytes[i] & 15];
    }
    out[2 * sizeof bytes] = '\0';
}

static struct request_ctx *request_new(struct api_server *srv)
{
    struct request_ctx *rq = xcalloc(1, sizeof *rq);

    rq->started_ns = mono_ns();
    rq->route_index = srv->n_routes; /* "unmatched" until routed */
    rq->req.server = srv;
    rq->req.log = srv->opt.log;
    return rq;
}

static void request_free(struct request_ctx *rq)
{
    buf_free(&rq->body);
    buf_free(&rq->res.body);
    xfree(rq);
}

/* Reads Content-Length when present; false when it is malformed. */
static bool content_length(struct MHD_Connection *conn, bool *is_present, unsigned long long *out)
{
    const char *text =
        MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    char *end = NULL;

    *is_present = text != NULL;
    if (text == NULL)
        return true;
    if (text[0] < '0' || text[0] > '9')
        return false;
    errno = 0;
    *out = strtoull(text, &end, 10);
    return errno == 0 && *end == '\0';
}

bool api_request_query(const struct api_request *req, const char *name, struct str *out)
{
    const char *value = NULL;
    size_t len = 0;

    if (MHD_lookup_connection_value_n((struct MHD_Connection *)req->connection,
                                      MHD_GET_ARGUMENT_KIND, name, strlen(name), &value,
                                      &len) != MHD_YES)
        return false;
    *out = value != NULL ? (struct str){value, len} : (struct str){"", 0};
    return true;
}

static const char *scope_name(unsigned scope)
{
    switch (scope) {
    case API_SCOPE_READ:
        return "read";
    case API_SCOPE_WRITE:
        return "write";
    default:
        return "admin";
    }
}

/* Routes behind a scope need `Authorization: Bearer <key>`: the key is authenticated by
 * app_keys_authenticate (lookup by its public prefix, constant-time hash comparison,
 * revocation, tenant status), then must hold the route's scope. The principal's tenant goes
 * to the request. The token is never logged or kept: it is a view into MHD's header, used only
 * here. Answers 401 (with WWW-Authenticate, see respond) or 403 itself and returns false. */
static bool request_authenticate(struct api_server *srv, struct MHD_Connection *conn,
                                 struct request_ctx *rq, enum MHD_Result *answer)
{
    const struct api_route *route = rq->req.route;
    const char *header;
    struct app_principal who;
    struct pr_error err;
    struct store *st = NULL;
    struct app app;
    struct str token;
    char copy[APP_KEY_TOKEN_SIZE];
    enum pr_code rc;

    if (route->scope == API_SCOPE_PUBLIC)
        return true;
    header = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!api_bearer_token(header, &token)) {
        pr_error_set(&err, PR_AUTH, "%s",
                     header == NULL ? "missing Authorization header"
                                    : "malformed Authorization header");
        pr_error_hint(&err, "send the header \"Authorization: Bearer <API key>\"");
        *answer = respond_problem(srv, conn, rq, &err, false, NULL);
        return false;
    }
    /* Every valid key has the same, short length; a longer token is simply unknown. */
    if (token.len >= sizeof copy)
        token.len = 0;
    memcpy(copy, token.ptr, token.len);
    copy[token.len] = '\0';
    rc = api_request_store(&rq->req, &st, &err);
    if (rc == PR_OK) {
        app = (struct app){.st = st, .clock = srv->opt.clock, .log = srv->opt.log};
        rc = app_keys_authenticate(&app, copy, &who, &err);
    }
    explicit_bzero(copy, sizeof copy);
    if (rc != PR_OK) {
        if (rc != PR_AUTH)
            log_error(srv->opt.log, LOG_ERROR, rq->req.id, &err);
        *answer = respond_problem(srv, conn, rq, &err, false, NULL);
        return false;
    }
    if (!access_scopes_allow(who.scopes, (enum access_scope)route->scope)) {
        pr_error_set(&err, PR_FORBIDDEN, "this API key lacks the \"%s\" scope",
                     scope_name(route->scope));
        pr_error_hint(&err, "issue a key with that scope: prospect key create --scopes %s",
                      scope_name(route->scope));
        *answer = respond_problem(srv, conn, rq, &err, false, NULL);
        return false;
    }
    rq->req.tenant.tenant_id = who.tenant_id;
    rq->req.key_id = who.key_id;
    rq->req.scopes = who.scopes;
    return true;
}

/* Headers are complete: id, route, size checks. Errors are answered at once. */
static enum MHD_Result request_begin(struct api_server *srv, struct MHD_Connection *conn,
                                     struct request_ctx *rq, const char *url, const char *method)
{
    struct api_match match;
    enum api_match_result found;
    const struct api_route *route;
    unsigned long long declared_len = 0;
    bool has_length;
    enum MHD_Result answer = MHD_NO;

    rq->is_started = true;
    (void)snprintf(rq->method, sizeof rq->method, "%s", method);
    request_id_init(conn, rq->req.id);
    rq->req.method = method;
    rq->req.path = url; /* MHD gives the decoded path without the query string */
    rq->req.connection = (struct api_connection *)conn;
    found = api_router_match(srv->routes, srv->n_routes, method, str_from_cstr(url), &match);
    if (found == API_MATCH_NOT_FOUND)
        return respond_error(srv, conn, rq, PR_NOT_FOUND, "no route for this path", NULL);
    if (found == API_MATCH_METHOD_NOT_ALLOWED)
        return respond_error(srv, conn, rq, PR_METHOD_NOT_ALLOWED,
                             "this path does not accept that method", match.allow);
    route = &srv->routes[match.route_index];
    rq->route_index = match.route_index;
    rq->req.route = route;
    memcpy(rq->req.params, match.params, sizeof match.params);
    rq->req.n_params = match.n_params;
    rq->max_body_len = route->max_body_len ? route->max_body_len : API_BODY_MAX_DEFAULT;
    if (!content_length(conn, &has_length, &declared_len))
        return respond_error(srv, conn, rq, PR_USAGE, "malformed Content-Length", NULL);
    if (has_length && declared_len > rq->max_body_len) {
        rq->is_too_large = true;
        return respond_error(srv, conn, rq, PR_TOO_LARGE,
                             "the request body is larger than this route accepts", NULL);
    }
    /* Before the body is read: an unauthenticated client does not get to upload. The body
     * buffer stays at its zero maximum, so what else arrives is dropped (request_body). */
    if (!request_authenticate(srv, conn, rq, &answer))
        return answer;
    buf_init(&rq->body, rq->max_body_len);
    return MHD_YES;
}

/* A body chunk. Past the limit (chunked uploads), the rest is read and dropped, up to
 * DISCARD_MAX, so that the 413 can be sent; beyond that the connection is closed. */
static enum MHD_Result request_body(struct request_ctx *rq, const char *data, size_t *len)
{
    if (!rq->is_too_large && buf_append(&rq->body, data, *len) != PR_OK)
        rq->is_too_large = true;
    if (rq->is_too_large) {
        rq->discarded_len += *len;
        if (rq->discarded_len > DISCARD_MAX)
            return MHD_NO;
    }
    *len = 0;
    return MHD_YES;
}

/* The whole request is in: run the handler. */
static enum MHD_Result request_run(struct api_server *srv, struct MHD_Connection *conn,
                                   struct request_ctx *rq)
{
    struct pr_error err;
    enum pr_code code;

    if (rq->is_too_large)
        return respond_error(srv, conn, rq, PR_TOO_LARGE,
                             "the request body is larger than this route accepts", NULL);
    rq->req.body = (struct str){buf_cstr(&rq->body), rq->body.len};
    rq->res.status = 200;
    rq->res.content_type = "application/json";
    buf_init(&rq->res.body, API_RESPONSE_MAX);
    pr_error_clear(&err);
    code = rq->req.route->handler(&rq->req, &rq->res, &err);
    if (code == PR_OK)
        return respond(srv, conn, rq, rq->res.status, rq->res.content_type, buf_cstr(&rq->res.body),
                       rq->res.body.len, NULL);
    if (err.code != code) /* a handler that forgot to fill err */
        pr_error_set(&err, code, "request failed");
    log_error(srv->opt.log, pr_code_http_status(code) >= 500 ? LOG_ERROR : LOG_INFO, rq->req.id,
              &err);
    return respond_problem(srv, conn, rq, &err, rq->res.is_message_safe, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct api_server *srv = cls;
    struct request_ctx *rq = *con_cls;

    (void)version;
    if (rq == NULL) { /* on_uri always runs first; this is defence only */
        rq = request_new(srv);
        *con_cls = rq;
    }
    if (!rq->is_started)
        return request_begin(srv, conn, rq, url, method);
    if (rq->status != 0) /* answered early (413); drop what else arrives */
        return request_body(rq, upload_data, upload_data_size);
    if (*upload_data_size > 0)
        return request_body(rq, upload_data, upload_data_size);
    return request_run(srv, conn, rq);
}

/* The request line arrived. `uri` holds the query string, which may carry secrets: it is
 * not kept. The returned context becomes the request's con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    struct api_server *srv = cls;

    (void)uri;
    set_phase(srv, conn, CONN_RECEIVING);
    return request_new(srv);
}

static const char *termination_name(enum MHD_RequestTerminationCode toe)
{
    switch (toe) {
    case MHD_REQUEST_TERMINATED_COMPLETED_OK:
        return "completed";
    case MHD_REQUEST_TERMINATED_WITH_ERROR:
        return "error";
    case MHD_REQUEST_TERMINATED_TIMEOUT_REACHED:
        return "timeout";
    case MHD_REQUEST_TERMINATED_DAEMON_SHUTDOWN:
        return "shutdown";
    case MHD_REQUEST_TERMINATED_READ_ERROR:
        return "read-error";
    case MHD_REQUEST_TERMINATED_CLIENT_ABORT:
        return "client-abort";
    default:
        return "other";
    }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct api_server *srv = cls;
    struct request_ctx *rq = *con_cls;
    const char *route;
    char status[16], duration[32], bytes[32];
    double seconds;

    if (rq == NULL)
        return;
    *con_cls = NULL;
    seconds = (double)(mono_ns() - rq->started_ns) / 1e9;
    route = rq->route_index < srv->n_routes ? srv->routes[rq->route_index].pattern : "unmatched";
    (void)snprintf(duration, sizeof duration, "%.3f", seconds * 1000.0);
    (void)snprintf(bytes, sizeof bytes, "%zu", rq->bytes);
    (void)snprintf(status, sizeof status, "%d", rq->status);
    if (rq->status != 0)
        api_metrics_observe(srv->metrics, rq->route_index, rq->method, rq->status, seconds);
    if (rq->status != 0 && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
        log_event(srv->opt.log, LOG_INFO, rq->req.id, "http request", "method", rq->method, "route",
                  route, "status", status, "duration_ms", duration, "bytes", bytes,
                  (const char *)NULL);
    else
        log_event(srv->opt.log, LOG_INFO, rq->req.id[0] ? rq->req.id : NULL,
                  "http request not completed", "method", rq->is_started ? rq->method : "", "route",
                  route, "status", status, "duration_ms", duration, "outcome",
                  termination_name(toe), (const char *)NULL);
    set_phase(srv, conn, CONN_IDLE);
    request_free(rq);
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    struct api_server *srv = cls;
    struct conn_state *cs;
    const union MHD_ConnectionInfo *info;

    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        cs = xcalloc(1, sizeof *cs);
        info = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        cs->fd = info != NULL ? info->connect_fd : -1;
        cs->is_cut = cs->fd < 0;
        cs->phase = CONN_IDLE;
        cs->phase_at_ms = mono_ms();
        (void)pthread_mutex_lock(&srv->lock);
        cs->next = srv->conns;
        if (srv->conns != NULL)
            srv->conns->prev = cs;
        srv->conns = cs;
        srv->n_conns++;
        (void)pthread_mutex_unlock(&srv->lock);
        *socket_context = cs;
        return;
    }
    cs = *socket_context;
    if (cs == NULL)
        return;
    (void)pthread_mutex_lock(&srv->lock);
    if (cs->prev != NULL)
        cs->prev->next = cs->next;
    else
        srv->conns = cs->next;
    if (cs->next != NULL)
        cs->next->prev = cs->prev;
    srv->n_conns--;
    (void)pthread_cond_broadcast(&srv->changed);
    (void)pthread_mutex_unlock(&srv->lock);
    *socket_context = NULL;
    xfree(cs);
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct api_server *srv = cls;
    char text[512];
    size_t len;

    (void)vsnprintf(text, sizeof text, fmt, ap);
    len = strlen(text);
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        text[--len] = '\0';
    log_event(srv->opt.log, LOG_WARN, NULL, "http server", "message", text, (const char *)NULL);
}
#pragma GCC diagnostic pop

/* --- start and stop ----------------------------------------------------------------------- */

static enum pr_code resolve(struct api_server *srv, struct sockaddr_storage *addr,
                            struct pr_error *err)
{
    struct addrinfo hints, *res = NULL;
    int rc;

    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST; /* a bind address: no DNS at start-up */
    rc = getaddrinfo(srv->address, NULL, &hints, &res);
    if (rc != 0 || res == NULL) {
        pr_error_set(err, PR_CONFIG, "server.address: expected an IP address, got \"%s\"",
                     srv->address);
        pr_error_detail(err, "getaddrinfo: %s", gai_strerror(rc));
        pr_error_hint(err, "use an IP address such as 127.0.0.1, ::1 or 0.0.0.0");
        return PR_CONFIG;
    }
    memset(addr, 0, sizeof *addr);
    memcpy(addr, res->ai_addr, res->ai_addrlen);
    srv->is_ipv6 = res->ai_family == AF_INET6;
    if (srv->is_ipv6)
        ((struct sockaddr_in6 *)addr)->sin6_port = htons((uint16_t)srv->opt.port);
    else
        ((struct sockaddr_in *)addr)->sin_port = htons((uint16_t)srv->opt.port);
    freeaddrinfo(res);
    return PR_OK;
}

static enum pr_code check_options(const struct api_server_options *opt, struct pr_error *err)
{
    if (opt->address == NULL || opt->address[0] == '\0' || opt->database_path == NULL ||
        opt->log == NULL)
        return pr_error_set(err, PR_CONFIG,
                            "the HTTP server needs an address, a database "
                            "and a logger");
    if (opt->port < 0 || opt->port > 65535)
        return pr_error_set(err, PR_CONFIG, "server.port: expected 0 to 65535, got %d", opt->port);
    if (opt->n_threads < 0 || opt->n_threads > 256 || opt->timeout_s < 0 || opt->timeout_s > 3600 ||
        opt->max_connections < 0)
        return pr_error_set(err, PR_CONFIG,
                            "HTTP server: thread count, timeout or connection "
                            "limit out of range");
    return PR_OK;
}

static void server_free(struct api_server *srv)
{
    struct thread_store *ts, *next;

    for (ts = srv->stores; ts != NULL; ts = next) {
        next = ts->next;
        store_close(ts->st);
        xfree(ts);
    }
    (void)pthread_key_delete(srv->store_key);
    (void)pthread_cond_destroy(&srv->changed);
    (void)pthread_mutex_destroy(&srv->lock);
    api_metrics_free(srv->metrics);
    xfree(srv->address);
    xfree(srv->database_path);
    xfree(srv);
}

static void watchdog_stop(struct api_server *srv)
{
    if (!srv->has_watchdog)
        return;
    (void)pthread_mutex_lock(&srv->lock);
    srv->is_stopping = true;
    (void)pthread_cond_broadcast(&srv->changed);
    (void)pthread_mutex_unlock(&srv->lock);
    (void)pthread_join(srv->watchdog, NULL);
    srv->has_watchdog = false;
}

enum pr_code api_server_start(const struct api_server_options *opt, struct api_server **out,
                              struct pr_error *err)
{
    struct api_server *srv;
    struct sockaddr_storage addr;
    const union MHD_DaemonInfo *info;
    unsigned flags;
    enum pr_code rc;

    *out = NULL;
    rc = check_options(opt, err);
    if (rc != PR_OK)
        return rc;
    srv = xcalloc(1, sizeof *srv);
    srv->opt = *opt;
    srv->address = xstrdup(opt->address);
    srv->database_path = xstrdup(opt->database_path);
    srv->opt.address = srv->address;
    srv->opt.database_path = srv->database_path;
    if (srv->opt.n_threads == 0)
        srv->opt.n_threads = API_SERVER_THREADS_DEFAULT;
    if (srv->opt.timeout_s == 0)
        srv->opt.timeout_s = API_SERVER_TIMEOUT_DEFAULT;
    if (srv->opt.max_connections == 0)
        srv->opt.max_connections = API_SERVER_CONNECTIONS_DEFAULT;
    if (srv->opt.connection_memory_limit == 0)
        srv->opt.connection_memory_limit = 64 * 1024;
    (void)pthread_mutex_init(&srv->lock, NULL);
    (void)pthread_cond_init(&srv->changed, NULL);
    (void)pthread_key_create(&srv->store_key, NULL);
    srv->routes = api_routes(&srv->n_routes);
    srv->metrics = api_metrics_new(srv->routes, srv->n_routes);
    rc = api_router_check(srv->routes, srv->n_routes, err);
    if (rc == PR_OK)
        rc = resolve(srv, &addr, err);
    if (rc != PR_OK)
        goto fail;
    if (pthread_create(&srv->watchdog, NULL, watchdog_main, srv) != 0) {
        rc = pr_error_set(err, PR_INTERNAL, "cannot start the HTTP watchdog thread");
        goto fail;
    }
    srv->has_watchdog = true;
    /* ITC: required for MHD_quiesce_daemon with internal threads. */
    flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (srv->is_ipv6)
        flags |= MHD_USE_IPv6;
    srv->daemon = MHD_start_daemon(
        flags, (uint16_t)srv->opt.port, NULL, NULL, on_request, srv, MHD_OPTION_EXTERNAL_LOGGER,
        on_mhd_log, srv, /* first, or MHD logs to stderr itself */
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)srv->opt.n_threads, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)srv->opt.timeout_s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)srv->opt.max_connections,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, srv->opt.connection_memory_limit,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        srv, MHD_OPTION_URI_LOG_CALLBACK, on_uri, srv, MHD_OPTION_LISTENING_ADDRESS_REUSE,
        (unsigned)1, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        rc = pr_error_set(err, PR_IO, "cannot listen on %s port %d", srv->address, srv->opt.port);
        pr_error_hint(err, "is another process using the port? choose one with --port or "
                           "server.port");
        goto fail;
    }
    info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info != NULL && info->port != 0 ? info->port : srv->opt.port;
    *out = srv;
    return PR_OK;
fail:
    watchdog_stop(srv);
    server_free(srv);
    return rc;
}

int api_server_port(const struct api_server *srv)
{
    return srv->port;
}

void api_server_url(const struct api_server *srv, char *out, size_t out_size)
{
    (void)snprintf(out, out_size, srv->is_ipv6 ? "http://[%s]:%d" : "http://%s:%d", srv->address,
                   srv->port);
}

void api_server_stop(struct api_server *srv)
{
    MHD_socket listen_fd;
    struct timespec until;
    int64_t deadline_ms;

    if (srv == NULL)
        return;
    (void)pthread_mutex_lock(&srv->lock);
    srv->is_draining = true; /* the watchdog now closes idle connections */
    (void)pthread_cond_broadcast(&srv->changed);
    (void)pthread_mutex_unlock(&srv->lock);
    listen_fd = MHD_quiesce_daemon(srv->daemon);
    deadline_ms = mono_ms() + (int64_t)srv->opt.timeout_s * 1000 + 1000;
    (void)pthread_mutex_lock(&srv->lock);
    while (srv->n_conns > 0 && mono_ms() < deadline_ms) {
        (void)clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += 50 * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        (void)pthread_cond_timedwait(&srv->changed, &srv->lock, &until);
    }
    (void)pthread_mutex_unlock(&srv->lock);
    MHD_stop_daemon(srv->daemon);
    /* MHD hands the quiesced socket to us, to close only after the threads are gone. */
    if (listen_fd != MHD_INVALID_SOCKET)
        (void)close(listen_fd);
    watchdog_stop(srv);
    server_free(srv);
}
