/* The server's route table, from routes.def. Kept apart from router.c so the matcher links
 * without the handlers (unit tests, fuzz target). */
#include "api/handler.h"
#include "api/router.h"

static const struct api_route route_table[] = {
#define API_ROUTE(method, pattern, handler, max_body, scope)                                       \
    {#method, pattern, handler, max_body, API_SCOPE_##scope},
#include "api/routes.def"
#undef API_ROUTE
};

const struct api_route *api_routes(size_t *n_routes)
{
    *n_routes = sizeof route_table / sizeof route_table[0];
    return route_table;
}
