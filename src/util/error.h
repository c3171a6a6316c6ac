/*
 * The one way to fail. Fallible functions return an `enum pr_code` (PR_OK == 0) and fill a
 * caller-owned `struct pr_error`: `message` is short and factual and may be shown to users,
 * `detail` holds implementation detail (SQL, errno text) for logs only and never reaches an
 * HTTP client, `hint` tells the user what to do. Codes map to exit codes and HTTP statuses
 * only through pr_code_exit_status() and pr_code_http_status().
 */
#ifndef PROSPECT_UTIL_ERROR_H
#define PROSPECT_UTIL_ERROR_H

enum pr_code {
#define PR_ERROR_CODE(name, exit_status, http_status, slug) PR_##name,
#include "error_codes.def"
#undef PR_ERROR_CODE
};

struct pr_error {
    enum pr_code code;
    char message[256];
    char detail[512];
    char hint[256];
};

/* Resets `err` to PR_OK with empty texts. */
void pr_error_clear(struct pr_error *err);

/* Sets code and message (printf-style, truncated to fit) and clears detail and hint.
 * Returns `code`, so callers can write `return pr_error_set(err, PR_INVALID, "...")`. */
enum pr_code pr_error_set(struct pr_error *err, enum pr_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sets the detail (for logs) or the hint (for users); returns err->code. */
enum pr_code pr_error_detail(struct pr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum pr_code pr_error_hint(struct pr_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Process exit status for a code (sysexits.h values; 0 for PR_OK). */
int pr_code_exit_status(enum pr_code code);

/* HTTP status for a code (200 for PR_OK). */
int pr_code_http_status(enum pr_code code);

/* Stable slug for a code, e.g. "not-found". Never NULL. */
const char *pr_code_slug(enum pr_code code);

#endif
