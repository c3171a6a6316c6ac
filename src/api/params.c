/* Query, path and header parameter parsing; see params.h. */
#include "api/params.h"

#include <string.h>
#include <strings.h>

enum pr_code api_param_int(const char *name, struct str text, int64_t min, int64_t max,
                           int64_t *out, struct pr_error *err)
{
    int64_t value = 0;
    size_t i;

    if (text.len == 0)
        goto bad;
    for (i = 0; i < text.len; i++) {
        int digit = text.ptr[i] - '0';

        if (digit < 0 || digit > 9)
            goto bad;
        /* Stop before value * 10 + digit could pass `max` (and so before any overflow). */
        if (value > (max - digit) / 10)
            goto bad;
        value = value * 10 + digit;
    }
    if (value < min || value > max)
        goto bad;
    *out = value;
    return PR_OK;
bad:
    pr_error_set(err, PR_USAGE, "%s: expected an integer from %lld to %lld", name, (long long)min,
                 (long long)max);
    return PR_USAGE;
}

static bool is_b64token_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool api_bearer_token(const char *header, struct str *token)
{
    static const char scheme[] = "bearer";
    size_t start, i;

    if (header == NULL || strncasecmp(header, scheme, sizeof scheme - 1) != 0)
        return false;
    i = sizeof scheme - 1;
    if (header[i] != ' ')
        return false;
    while (header[i] == ' ')
        i++;
    start = i;
    while (is_b64token_char(header[i]))
        i++;
    if (i == start)
        return false;
    while (header[i] == '=')
        i++;
    if (header[i] != '\0')
        return false;
    token->ptr = header + start;
    token->len = i - start;
    return true;
}
