/*
 * Errors as RFC 9457 problem details (application/problem+json):
 *   {"type":"https://prospect.dev/problems/not-found","title":"Not Found","status":404,
 *    "detail":"no route for this path","request_id":"3f9a0c1e7b2d4a65"}
 * `type` is built from the code's stable slug (util/error_codes.def) and never changes for a
 * code; `title` is the status's reason phrase; `status` comes from pr_code_http_status().
 * `detail` is the error's user-facing message only: callers never pass struct pr_error's
 * `detail` (SQL, paths, hosts), and api_problem_detail() hides messages of server faults.
 */
#ifndef PROSPECT_API_PROBLEM_H
#define PROSPECT_API_PROBLEM_H

#include "util/error.h"
#include "util/str.h"

#include <stdbool.h>

#define API_PROBLEM_CONTENT_TYPE "application/problem+json"
#define API_PROBLEM_TYPE_BASE    "https://prospect.dev/problems/"

/* Appends the problem document for `code` to `out`. `detail`, `hint` and `request_id` may be
 * NULL or empty (the member is then left out). PR_INVALID only when `out` is full. */
enum pr_code api_problem_render(struct buf *out, enum pr_code code, const char *detail,
                                const char *hint, const char *request_id);

/* The text that may be shown as `detail` for `err`: its message, except for codes whose
 * status is 500 (internal faults, whose messages can name files or hosts), which get a fixed
 * sentence. `is_message_safe` keeps the message for a 5xx too (the caller wrote it from
 * constants). The result lives as long as `err`. */
const char *api_problem_detail(const struct pr_error *err, bool is_message_safe);

/* Reason phrase of an HTTP status ("Not Found"); "Error" for one it does not know. */
const char *api_status_reason(int status);

#endif
