/*
 * Table router: a linear scan over routes.def. With a handful of routes a scan beats any
 * tree on both speed and clarity; matching walks pattern and path segment by segment and
 * never allocates.
 */
#include "api/router.h"

#include <stdio.h>
#include <string.h>

/* Next segment of `s` starting at *pos (just after a '/'): its view, and *pos moves to the
 * next '/' or the end. */
static struct str next_segment(struct str s, size_t *pos)
{
    size_t start = *pos, end = start;

    while (end < s.len && s.ptr[end] != '/')
        end++;
    *pos = end;
    return (struct str){s.ptr + start, end - start};
}

static bool is_param(struct str seg)
{
    return seg.len >= 2 && seg.ptr[0] == '{' && seg.ptr[seg.len - 1] == '}';
}

static bool is_dot_segment(struct str seg)
{
    return (seg.len == 1 && seg.ptr[0] == '.') ||
           (seg.len == 2 && seg.ptr[0] == '.' && seg.ptr[1] == '.');
}

bool api_path_match(const char *pattern, struct str path, struct str *params, size_t max_params,
                    size_t *n_params)
{
    struct str pat = str_from_cstr(pattern);
    size_t pi = 0, si = 0, n = 0;

    *n_params = 0;
    if (pat.len == 0 || pat.ptr[0] != '/' || path.len == 0 || path.ptr[0] != '/')
        return false;
    for (;;) {
        struct str want, got;

        if (pi >= pat.len || si >= path.len)
            break;
        pi++; /* skip the '/' */
        si++;
        want = next_segment(pat, &pi);
        got = next_segment(path, &si);
        if (got.len == 0 || is_dot_segment(got))
            return false;
        if (is_param(want)) {
            if (n >= max_params)
                return false;
            params[n++] = got;
        } else if (!str_eq(want, got)) {
            return false;
        }
    }
    if (pi != pat.len || si != path.len)
        return false;
    *n_params = n;
    return true;
}

/* True when `route_method` answers `method` (HEAD is served by GET routes). */
static bool method_matches(const char *route_method, const char *method)
{
    return strcmp(route_method, method) == 0 ||
           (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

/* Appends `method` to the comma-separated Allow list unless it is there already. */
static void allow_add(char *allow, const char *method)
{
    size_t len = strlen(allow), mlen = strlen(method);
    const char *p = allow;
    int n;

    while (*p != '\0') {
        if (strncmp(p, method, mlen) == 0 && (p[mlen] == ',' || p[mlen] == '\0'))
            return;
        p = strchr(p, ',');
        if (p == NULL)
            break;
        p += 2; /* ", " */
    }
    n = snprintf(allow + len, API_ALLOW_MAX - len, "%s%s", len > 0 ? ", " : "", method);
    if (n < 0 || (size_t)n >= API_ALLOW_MAX - len)
        allow[len] = '\0'; /* cannot happen with the route table's few methods */
}

enum api_match_result api_router_match(const struct api_route *routes, size_t n_routes,
                                       const char *method, struct str path, struct api_match *out)
{
    size_t i, n_params;
    struct str params[API_MAX_PARAMS];
    bool is_path_known = false;

    memset(out, 0, sizeof *out);
    for (i = 0; i < n_routes; i++) {
        if (!api_path_match(routes[i].pattern, path, params, API_MAX_PARAMS, &n_params))
            continue;
        if (method_matches(routes[i].method, method)) {
            out->route_index = i;
            memcpy(out->params, params, n_params * sizeof params[0]);
            out->n_params = n_params;
            out->allow[0] = '\0';
            return API_MATCH_FOUND;
        }
        is_path_known = true;
        allow_add(out->allow, routes[i].method);
        if (strcmp(routes[i].method, "GET") == 0)
            allow_add(out->allow, "HEAD");
    }
    if (!is_path_known)
        return API_MATCH_NOT_FOUND;
    return API_MATCH_METHOD_NOT_ALLOWED;
}

static bool is_param_name(struct str name)
{
    size_t i;

    if (name.len == 0)
        return false;
    for (i = 0; i < name.len; i++) {
        char c = name.ptr[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return false;
    }
    return true;
}

static enum pr_code check_pattern(const char *pattern, struct pr_error *err)
{
    struct str pat = str_from_cstr(pattern);
    size_t pos = 0, n_params = 0;

    if (pat.len == 0 || pat.ptr[0] != '/')
        return pr_error_set(err, PR_CONFIG, "route \"%s\": the pattern must start with '/'",
                            pattern);
    while (pos < pat.len) {
        struct str seg;

        pos++;
        seg = next_segment(pat, &pos);
        if (seg.len == 0 || is_dot_segment(seg))
            return pr_error_set(err, PR_CONFIG, "route \"%s\": empty or dot segment", pattern);
        if (memchr(seg.ptr, '{', seg.len) == NULL && memchr(seg.ptr, '}', seg.len) == NULL)
            continue;
        if (!is_param(seg) || !is_param_name((struct str){seg.ptr + 1, seg.len - 2}))
            return pr_error_set(err, PR_CONFIG,
                                "route \"%s\": a parameter must fill its segment as {name} "
                                "with a name of a-z, 0-9 and _",
                                pattern);
        n_params++;
    }
    if (n_params > API_MAX_PARAMS)
        return pr_error_set(err, PR_CONFIG, "route \"%s\": more than %d parameters", pattern,
                            API_MAX_PARAMS);
    return PR_OK;
}

static bool is_good_scope(unsigned scope)
{
    return scope == API_SCOPE_PUBLIC || scope == API_SCOPE_READ || scope == API_SCOPE_WRITE ||
           scope == API_SCOPE_ADMIN;
}

enum pr_code api_router_check(const struct api_route *routes, size_t n_routes, struct pr_error *err)
{
    size_t i, j;
    const char *m;
    enum pr_code rc;

    for (i = 0; i < n_routes; i++) {
        rc = check_pattern(routes[i].pattern, err);
        if (rc != PR_OK)
            return rc;
        for (m = routes[i].method; *m != '\0'; m++)
            if (*m < 'A' || *m > 'Z')
                return pr_error_set(err, PR_CONFIG, "route \"%s\": method \"%s\" is not upper case",
                                    routes[i].pattern, routes[i].method);
        if (routes[i].method[0] == '\0' || strcmp(routes[i].method, "HEAD") == 0)
            return pr_error_set(err, PR_CONFIG, "route \"%s\": bad method \"%s\"",
                                routes[i].pattern, routes[i].method);
        if (!is_good_scope(routes[i].scope))
            return pr_error_set(err, PR_CONFIG, "route %s \"%s\": bad scope %u", routes[i].method,
                                routes[i].pattern, routes[i].scope);
        if (routes[i].scope == API_SCOPE_PUBLIC && strncmp(routes[i].pattern, "/v1/", 4) == 0)
            return pr_error_set(err, PR_CONFIG,
                                "route %s \"%s\": a /v1 route must be behind a scope",
                                routes[i].method, routes[i].pattern);
        for (j = 0; j < i; j++)
            if (strcmp(routes[i].method, routes[j].method) == 0 &&
                strcmp(routes[i].pattern, routes[j].pattern) == 0)
                return pr_error_set(err, PR_CONFIG, "route %s \"%s\" is declared twice",
                                    routes[i].method, routes[i].pattern);
    }
    return PR_OK;
}
