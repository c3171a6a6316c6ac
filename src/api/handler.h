/*
 * What a route handler sees: the request (method, path, parameters, body, request id, and on
 * routes behind a scope the tenant and key the bearer credential gave) and a response to fill. The
 * server owns both and frees them after the response is sent; strings and views in the request live
 * until then. A handler runs on one of the server's threads and gets that thread's store from
 * api_request_store() (one connection per thread: the store is not shared across threads).
 */
#ifndef PROSPECT_API_HANDLER_H
#define PROSPECT_API_HANDLER_H

#include "api/router.h"
#include "store/store.h"
#include "util/error.h"
#include "util/log.h"
#include "util/str.h"

#include <stdbool.h>
#include <stddef.h>

struct api_server;
struct api_connection; /* the transport's connection (opaque; see api_request_query) */

#define API_REQUEST_ID_MAX 65 /* 64 characters and the NUL */

struct api_request {
    const char *method; /* as received, e.g. "GET" */
    const char *path;   /* percent-decoded path without the query string */
    const struct api_route *route;
    struct str params[API_MAX_PARAMS]; /* in pattern order */
    size_t n_params;
    struct str body; /* the whole body (at most the route's limit) */
    char id[API_REQUEST_ID_MAX];
    struct api_server *server;
    struct logger *log;
    /* Set by the server before the handler runs on a route with a scope (routes.def): the
     * tenant of the authenticated key, to pass to every service call, the key and the scopes
     * it holds. Zero on PUBLIC routes. */
    struct tenant_ctx tenant;
    int64_t key_id;
    unsigned scopes;
    struct api_connection *connection;
};

struct api_response {
    int status;               /* 200 unless the handler says otherwise */
    const char *content_type; /* a static string; "application/json" by default */
    struct buf body;          /* bounded by API_RESPONSE_MAX */
    bool is_message_safe;     /* on error: err->message may be shown even for a 5xx */
};

#define API_RESPONSE_MAX ((size_t)4 * 1024 * 1024)

/* This thread's store, opened on first use (without creating or migrating the database) and
 * closed when the server stops. PR_NOT_FOUND (no database), PR_SCHEMA (migrations pending or
 * unknown) or another store error when it cannot be opened; it is tried again next time. */
enum pr_code api_request_store(struct api_request *req, struct store **out, struct pr_error *err);

/* The percent-decoded value of query parameter `name` (the first one when repeated) as a view
 * valid until the response is sent; false when the query string lacks it. "?limit" (no '=')
 * gives an empty value. */
bool api_request_query(const struct api_request *req, const char *name, struct str *out);

/* Handlers of routes.def. */
#define API_ROUTE(method, pattern, handler, max_body, scope)                                       \
    enum pr_code handler(struct api_request *req, struct api_response *res, struct pr_error *err);
#include "api/routes.def"
#undef API_ROUTE

#endif
