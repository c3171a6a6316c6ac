/*
 * /v1/api-keys (admin scope): the tenant's keys as metadata (id, name, public prefix,
 * scopes, times). Never a token or a hash: the token exists only in its holder's hands.
 */
#include "api/handler.h"
#include "app/keys.h"
#include "util/json.h"

static json_t *time_or_null(int64_t ms)
{
    char text[40];

    if (ms == 0)
        return json_null();
    return json_string(clock_format_iso8601(ms, text, sizeof text));
}

enum pr_code api_handle_api_keys_list(struct api_request *req, struct api_response *res,
                                      struct pr_error *err)
{
    struct arena *a = NULL;
    struct api_key *keys = NULL;
    struct store *st = NULL;
    struct app app;
    json_t *root, *data;
    size_t n = 0, i;
    enum pr_code rc = api_request_store(req, &st, err);

    if (rc != PR_OK)
        return rc;
    app = (struct app){.st = st, .log = req->log};
    a = arena_new(16 * 1024);
    rc = app_keys_list(&app, &req->tenant, a, &keys, &n, err);
    if (rc != PR_OK)
        goto out;
    data = json_array();
    for (i = 0; i < n; i++) {
        json_t *k = json_object();

        (void)json_object_set_new(k, "id", json_integer(keys[i].id));
        (void)json_object_set_new(k, "name", json_string(keys[i].name));
        (void)json_object_set_new(k, "prefix", json_string(keys[i].prefix));
        (void)json_object_set_new(k, "scopes", json_string(keys[i].scopes));
        (void)json_object_set_new(k, "created_at", time_or_null(keys[i].created_at));
        (void)json_object_set_new(k, "last_used_at", time_or_null(keys[i].last_used_at));
        (void)json_object_set_new(k, "revoked_at", time_or_null(keys[i].revoked_at));
        (void)json_array_append_new(data, k);
    }
    root = json_object();
    (void)json_object_set_new(root, "data", data);
    rc = json_dump_buf(root, &res->body);
    json_decref(root);
    if (rc != PR_OK)
        rc = pr_error_set(err, PR_INTERNAL, "response too large");
out:
    arena_free(a);
    return rc;
}
