/* Problem+json rendering (RFC 9457); see problem.h. */
#include "api/problem.h"

#include "util/json.h"

#include <string.h>

const char *api_status_reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 413:
        return "Content Too Large";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Error";
    }
}

const char *api_problem_detail(const struct pr_error *err, bool is_message_safe)
{
    if (pr_code_http_status(err->code) == 500 && !is_message_safe)
        return "an internal error occurred; quote the request id when reporting it";
    return err->message;
}

static enum pr_code member(struct buf *out, const char *name, const char *value)
{
    enum pr_code rc = buf_printf(out, ",\"%s\":", name);

    if (rc == PR_OK)
        rc = json_append_string(out, value, strlen(value));
    return rc;
}

enum pr_code api_problem_render(struct buf *out, enum pr_code code, const char *detail,
                                const char *hint, const char *request_id)
{
    int status = pr_code_http_status(code);
    enum pr_code rc;

    rc = buf_printf(out, "{\"type\":\"%s%s\"", API_PROBLEM_TYPE_BASE, pr_code_slug(code));
    if (rc == PR_OK)
        rc = member(out, "title", api_status_reason(status));
    if (rc == PR_OK)
        rc = buf_printf(out, ",\"status\":%d", status);
    if (rc == PR_OK && detail != NULL && detail[0] != '\0')
        rc = member(out, "detail", detail);
    if (rc == PR_OK && hint != NULL && hint[0] != '\0')
        rc = member(out, "hint", hint);
    if (rc == PR_OK && request_id != NULL && request_id[0] != '\0')
        rc = member(out, "request_id", request_id);
    if (rc == PR_OK)
        rc = buf_putc(out, '}');
    return rc;
}
