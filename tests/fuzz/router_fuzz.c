/*
 * Fuzz target for api/router. The first byte picks a method, the rest is the request path.
 * The table is the server's own (routes.def, without handlers) plus parameterised patterns.
 *
 * Checks: the table passes api_router_check; FOUND names a route whose method answers the
 * request and whose pattern api_path_match accepts, with parameters that are non-empty views
 * inside the path holding no '/'; METHOD_NOT_ALLOWED comes with a non-empty Allow list that
 * does not name the requested method, and NOT_FOUND with an empty one; the answer does not
 * depend on bytes past the path's length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/router.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct api_route routes[] = {
#define API_ROUTE(method, pattern, handler, max_body, scope)                                       \
    {#method, pattern, NULL, max_body, API_SCOPE_##scope},
#include "api/routes.def"
#undef API_ROUTE
    {"POST", "/v1/contacts", NULL, 0, API_SCOPE_WRITE},
    {"PATCH", "/v1/contacts/{id}", NULL, 0, API_SCOPE_WRITE},
    {"GET", "/v1/lists/{list_id}/members/{id}", NULL, 0, API_SCOPE_READ},
    {"DELETE", "/{a}/{b}/{c}/{d}", NULL, 0, API_SCOPE_ADMIN},
};
#define N_ROUTES (sizeof routes / sizeof routes[0])

static void check(int ok)
{
    if (!ok)
        abort();
}

static bool same_match(const struct api_match *a, const struct api_match *b)
{
    return a->route_index == b->route_index && a->n_params == b->n_params &&
           memcmp(a->params, b->params, a->n_params * sizeof a->params[0]) == 0 &&
           strcmp(a->allow, b->allow) == 0;
}

/* True when the Allow list ("GET, HEAD, ...") holds `method` as one of its entries. */
static bool allow_names(const char *allow, const char *method)
{
    size_t len = strlen(method);
    const char *p = allow;

    while (p != NULL && *p != '\0') {
        if (strncmp(p, method, len) == 0 && (p[len] == ',' || p[len] == '\0'))
            return true;
        p = strchr(p, ',');
        if (p != NULL)
            p += 2;
    }
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "HEAD", "POST", "PATCH", "DELETE", "PUT", "get"};
    struct api_match m, again;
    struct pr_error err;
    const char *method;
    struct str path;
    char *copy;
    size_t i;
    enum api_match_result r;

    check(api_router_check(routes, N_ROUTES, &err) == PR_OK);
    if (size == 0)
        return 0;
    method = methods[data[0] % (sizeof methods / sizeof methods[0])];
    /* The path in its own allocation with a guard byte after it, so ASan sees any over-read. */
    copy = xmalloc(size);
    memcpy(copy, data + 1, size - 1);
    copy[size - 1] = '/';
    path = (struct str){copy, size - 1};
    r = api_router_match(routes, N_ROUTES, method, path, &m);
    check(strlen(m.allow) < API_ALLOW_MAX);
    if (r == API_MATCH_FOUND) {
        const struct api_route *route = &routes[m.route_index];
        struct str params[API_MAX_PARAMS];
        size_t n = 0;

        check(m.route_index < N_ROUTES && m.allow[0] == '\0');
        check(strcmp(route->method, method) == 0 ||
              (strcmp(method, "HEAD") == 0 && strcmp(route->method, "GET") == 0));
        check(api_path_match(route->pattern, path, params, API_MAX_PARAMS, &n));
        check(n == m.n_params && n <= API_MAX_PARAMS);
        for (i = 0; i < n; i++) {
            check(m.params[i].len > 0);
            check(m.params[i].ptr >= path.ptr &&
                  m.params[i].ptr + m.params[i].len <= path.ptr + path.len);
            check(memchr(m.params[i].ptr, '/', m.params[i].len) == NULL);
        }
    } else if (r == API_MATCH_METHOD_NOT_ALLOWED) {
        check(m.allow[0] != '\0');
        check(!allow_names(m.allow, method));
        check(strcmp(method, "HEAD") != 0 || !allow_names(m.allow, "GET"));
    } else {
        check(r == API_MATCH_NOT_FOUND && m.allow[0] == '\0');
    }
    /* Bytes past the view do not matter. */
    copy[size - 1] = 'x';
    check(api_router_match(routes, N_ROUTES, method, path, &again) == r);
    check(same_match(&m, &again));
    xfree(copy);
    return 0;
}
