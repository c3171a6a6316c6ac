/* Error object and the single code -> exit status / HTTP status map (see error_codes.def). */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct code_info {
    int exit_status;
    int http_status;
    const char *slug;
};

static const struct code_info code_table[] = {
#define PR_ERROR_CODE(name, exit_status, http_status, slug)                                        \
    [PR_##name] = {exit_status, http_status, slug},
#include "error_codes.def"
#undef PR_ERROR_CODE
};

static const struct code_info *info_for(enum pr_code code)
{
    if ((unsigned)code >= sizeof code_table / sizeof code_table[0])
        return &code_table[PR_INTERNAL];
    return &code_table[code];
}

void pr_error_clear(struct pr_error *err)
{
    err->code = PR_OK;
    err->message[0] = '\0';
    err->detail[0] = '\0';
    err->hint[0] = '\0';
}

enum pr_code pr_error_set(struct pr_error *err, enum pr_code code, const char *fmt, ...)
{
    va_list ap;

    pr_error_clear(err);
    err->code = code;
    va_start(ap, fmt);
    (void)vsnprintf(err->message, sizeof err->message, fmt, ap); /* truncation is fine */
    va_end(ap);
    return code;
}

enum pr_code pr_error_detail(struct pr_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(err->detail, sizeof err->detail, fmt, ap);
    va_end(ap);
    return err->code;
}

enum pr_code pr_error_hint(struct pr_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(err->hint, sizeof err->hint, fmt, ap);
    va_end(ap);
    return err->code;
}

int pr_code_exit_status(enum pr_code code)
{
    return info_for(code)->exit_status;
}

int pr_code_http_status(enum pr_code code)
{
    return info_for(code)->http_status;
}

const char *pr_code_slug(enum pr_code code)
{
    return info_for(code)->slug;
}
