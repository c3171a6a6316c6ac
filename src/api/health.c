/*
 * Operational routes: /healthz (the process answers), /readyz (this thread's database
 * connection works and the schema is the one this binary knows) and /metrics (Prometheus).
 * None needs credentials: they reveal no tenant data. (Bind to loopback or filter them at the
 * proxy if the figures themselves are sensitive.)
 */
#include "api/handler.h"
#include "api/metrics.h"
#include "api/server.h"

enum pr_code api_handle_healthz(struct api_request *req, struct api_response *res,
                                struct pr_error *err)
{
    (void)req;
    if (buf_puts(&res->body, "{\"status\":\"ok\"}") != PR_OK)
        return pr_error_set(err, PR_INTERNAL, "response too large");
    return PR_OK;
}

enum pr_code api_handle_readyz(struct api_request *req, struct api_response *res,
                               struct pr_error *err)
{
    struct store *st = NULL;
    enum pr_code rc = api_request_store(req, &st, err);
    int version, latest = store_schema_latest();

    /* The messages below are constants written for operators; safe to show on a 503. */
    res->is_message_safe = true;
    if (rc != PR_OK) {
        log_error(req->log, LOG_WARN, req->id, err);
        if (rc == PR_SCHEMA)
            return pr_error_set(err, PR_UNAVAILABLE, "database schema does not match this binary");
        return pr_error_set(err, PR_UNAVAILABLE, "database not reachable");
    }
    /* A real query: reading the schema version fails (gives 0) when the database does not
     * answer, so it doubles as the `SELECT 1` probe. */
    version = store_schema_version(st);
    if (version == 0)
        return pr_error_set(err, PR_UNAVAILABLE, "database not reachable");
    if (version != latest)
        return pr_error_set(err, PR_UNAVAILABLE,
                            "database schema is at version %d, this "
                            "binary expects %d",
                            version, latest);
    if (buf_printf(&res->body, "{\"status\":\"ready\",\"schema_version\":%d}", version) != PR_OK)
        return pr_error_set(err, PR_INTERNAL, "response too large");
    return PR_OK;
}

enum pr_code api_handle_metrics(struct api_request *req, struct api_response *res,
                                struct pr_error *err)
{
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    if (api_metrics_render(api_server_metrics(req->server), &res->body) != PR_OK)
        return pr_error_set(err, PR_INTERNAL, "metrics too large");
    return PR_OK;
}
