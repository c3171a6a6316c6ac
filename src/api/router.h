/*
 * The route table and the path matcher. Pure: no I/O, no allocation, no server, so unit
 * tests and the fuzz target (tests/fuzz/router_fuzz.c) drive it directly.
 *
 * A pattern is an absolute path whose segments are literals or `{name}` parameters; a
 * parameter matches exactly one non-empty segment (no '/'). Matching is exact: no trailing
 * slash folding, no case folding, no dot-segment removal (a path with "." or ".." segments,
 * or with an empty segment, matches nothing). Parameter values are views into the request
 * path, valid as long as it is.
 */
#ifndef PROSPECT_API_ROUTER_H
#define PROSPECT_API_ROUTER_H

#include "core/access.h"
#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>
#include <stddef.h>

#define API_MAX_PARAMS       4
#define API_BODY_MAX_DEFAULT ((size_t)64 * 1024)
#define API_ALLOW_MAX        64

/* What a route needs from the caller's credential (routes.def's scope column, as
 * API_SCOPE_##name): PUBLIC routes need none; the others need a bearer key holding that scope
 * (admin implies write implies read, see core/access.h). */
#define API_SCOPE_PUBLIC 0u
#define API_SCOPE_READ   ((unsigned)ACCESS_SCOPE_READ)
#define API_SCOPE_WRITE  ((unsigned)ACCESS_SCOPE_WRITE)
#define API_SCOPE_ADMIN  ((unsigned)ACCESS_SCOPE_ADMIN)

struct api_request;
struct api_response;

/* A route handler: fills `res` and returns PR_OK, or returns an error code with `err` set
 * (the server renders it as problem+json; see problem.h). */
typedef enum pr_code (*api_handler_fn)(struct api_request *req, struct api_response *res,
                                       struct pr_error *err);

struct api_route {
    const char *method;  /* "GET", "POST", ... */
    const char *pattern; /* "/v1/contacts/{id}" */
    api_handler_fn handler;
    size_t max_body_len; /* 0: API_BODY_MAX_DEFAULT */
    unsigned scope;      /* API_SCOPE_PUBLIC or the one scope the credential must hold */
};

enum api_match_result {
    API_MATCH_FOUND,
    API_MATCH_NOT_FOUND,          /* no pattern matches the path: 404 */
    API_MATCH_METHOD_NOT_ALLOWED, /* a pattern matches, not with this method: 405 */
};

struct api_match {
    size_t route_index; /* valid with API_MATCH_FOUND */
    struct str params[API_MAX_PARAMS];
    size_t n_params;
    char allow[API_ALLOW_MAX]; /* "GET, HEAD" with API_MATCH_METHOD_NOT_ALLOWED, else "" */
};

/* True when `path` matches `pattern`; the parameter values (at most `max_params`, in pattern
 * order) go to `params` and their count to *n_params. A pattern with more parameters than
 * `max_params` matches nothing. */
bool api_path_match(const char *pattern, struct str path, struct str *params, size_t max_params,
                    size_t *n_params);

/* Finds the route for `method` and `path` (the path only: no query string). HEAD matches a
 * GET route. The first matching route in table order wins. */
enum api_match_result api_router_match(const struct api_route *routes, size_t n_routes,
                                       const char *method, struct str path, struct api_match *out);

/* Checks a route table at start-up: every pattern absolute, no empty segment, parameters
 * well-formed ("{" name "}" filling the whole segment, name of [a-z0-9_]), at most
 * API_MAX_PARAMS of them, methods upper case, no (method, pattern) twice, a scope that is
 * PUBLIC or exactly one of READ/WRITE/ADMIN, and every "/v1/" route behind a scope (the
 * resources are tenant data). PR_CONFIG naming the route otherwise. */
enum pr_code api_router_check(const struct api_route *routes, size_t n_routes,
                              struct pr_error *err);

/* The routes of the server, from routes.def, and their number. */
const struct api_route *api_routes(size_t *n_routes);

#endif
