/*
 * /v1/contacts: the keyset-paged list and one contact with its score breakdown, for the
 * tenant of the request's key (req->tenant, set by the server's authentication). Parses,
 * calls app/contacts and renders JSON with jansson; no rule lives here.
 */
#include "api/handler.h"
#include "api/params.h"
#include "app/contacts.h"
#include "util/arena.h"
#include "util/json.h"

#include <stdint.h>
#include <string.h>

#define LIMIT_DEFAULT       50
#define BREAKDOWN_MAX_LEN   ((size_t)64 * 1024)
#define BREAKDOWN_MAX_DEPTH 8

/* A JSON string, or null for NULL. Text that is not UTF-8 (it never should be: the import
 * validates it) also becomes null rather than failing the whole response. */
static json_t *string_or_null(const char *s)
{
    json_t *v = s != NULL ? json_string(s) : NULL;

    return v != NULL ? v : json_null();
}

static json_t *contact_json(const struct app_contact *ac)
{
    const struct contact *c = &ac->contact;
    json_t *o = json_object();

    (void)json_object_set_new(o, "id", json_integer(c->id));
    (void)json_object_set_new(o, "first_name", string_or_null(c->first_name));
    (void)json_object_set_new(o, "last_name", string_or_null(c->last_name));
    (void)json_object_set_new(o, "email", string_or_null(c->email));
    (void)json_object_set_new(o, "phone", string_or_null(c->phone));
    if (ac->company_name != NULL)
        (void)json_object_set_new(o, "company", string_or_null(ac->company_name));
    (void)json_object_set_new(o, "title", string_or_null(c->title));
    (void)json_object_set_new(o, "city", string_or_null(c->city));
    (void)json_object_set_new(o, "state", string_or_null(c->state));
    (void)json_object_set_new(o, "zip", string_or_null(c->zip));
    (void)json_object_set_new(o, "score", c->has_score ? json_integer(c->score) : json_null());
    (void)json_object_set_new(o, "is_suppressed", json_boolean(c->is_suppressed));
    return o;
}

/* Writes `root` (consumed) into the response body. */
static enum pr_code render(struct api_response *res, json_t *root, struct pr_error *err)
{
    enum pr_code rc = json_dump_buf(root, &res->body);

    json_decref(root);
    if (rc != PR_OK)
        return pr_error_set(err, PR_INTERNAL, "response too large");
    return PR_OK;
}

/* Reads an optional integer query parameter into *out (left as is when absent). */
static enum pr_code query_int(struct api_request *req, const char *name, int64_t min, int64_t max,
                              int64_t *out, struct pr_error *err)
{
    struct str text;

    if (!api_request_query(req, name, &text))
        return PR_OK;
    return api_param_int(name, text, min, max, out, err);
}

enum pr_code api_handle_contacts_list(struct api_request *req, struct api_response *res,
                                      struct pr_error *err)
{
    struct arena *a = NULL;
    struct app_contact *page = NULL;
    struct store *st = NULL;
    struct app app;
    json_t *root, *data;
    int64_t limit = LIMIT_DEFAULT, after = 0, next_after = 0;
    size_t n = 0, i;
    enum pr_code rc;

    rc = query_int(req, "limit", 1, APP_CONTACTS_PAGE_MAX, &limit, err);
    if (rc == PR_OK)
        rc = query_int(req, "after", 0, INT64_MAX, &after, err);
    if (rc != PR_OK)
        return pr_error_hint(err, "page with ?limit=1..%d&after=<next_after of the previous page>",
                             APP_CONTACTS_PAGE_MAX);
    rc = api_request_store(req, &st, err);
    if (rc != PR_OK)
        return rc;
    app = (struct app){.st = st, .log = req->log};
    a = arena_new(64 * 1024);
    rc = app_contacts_page(&app, &req->tenant, after, (int)limit, a, &page, &n, &next_after, err);
    if (rc != PR_OK)
        goto out;
    data = json_array();
    for (i = 0; i < n; i++)
        (void)json_array_append_new(data, contact_json(&page[i]));
    root = json_object();
    (void)json_object_set_new(root, "data", data);
    (void)json_object_set_new(root, "next_after",
                              next_after != 0 ? json_integer(next_after) : json_null());
    rc = render(res, root, err);
out:
    arena_free(a);
    return rc;
}

enum pr_code api_handle_contacts_get(struct api_request *req, struct api_response *res,
                                     struct pr_error *err)
{
    struct arena *a = NULL;
    struct app_contact contact;
    struct store *st = NULL;
    struct pr_error ignored;
    struct app app;
    json_t *root, *breakdown = NULL;
    int64_t id = 0;
    enum pr_code rc;

    /* A path id that is not a positive integer names no contact: the same 404 as a missing or
     * foreign one. */
    if (api_param_int("id", req->params[0], 1, INT64_MAX, &id, &ignored) != PR_OK)
        return pr_error_set(err, PR_NOT_FOUND, "no such contact");
    rc = api_request_store(req, &st, err);
    if (rc != PR_OK)
        return rc;
    app = (struct app){.st = st, .log = req->log};
    a = arena_new(16 * 1024);
    rc = app_contacts_get(&app, &req->tenant, id, a, &contact, err);
    if (rc != PR_OK)
        goto out;
    root = contact_json(&contact);
    /* The breakdown is JSON the scorer wrote; should it not parse, it is left null. */
    if (contact.contact.score_breakdown != NULL &&
        json_parse_limited(contact.contact.score_breakdown, strlen(contact.contact.score_breakdown),
                           BREAKDOWN_MAX_LEN, BREAKDOWN_MAX_DEPTH, &breakdown, &ignored) != PR_OK)
        breakdown = NULL;
    (void)json_object_set_new(root, "score_breakdown", breakdown != NULL ? breakdown : json_null());
    rc = render(res, root, err);
out:
    arena_free(a);
    return rc;
}
