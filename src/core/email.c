/* Minimal e-mail syntax check and matching key. */
#include "core/email.h"

#include <ctype.h>
#include <string.h>

static int is_local_char(unsigned char c)
{
    return isalnum(c) || strchr("!#$%&'*+/=?^_`{|}~.-", c) != NULL;
}

static int domain_is_valid(const char *d, size_t len)
{
    size_t label_len = 0, i, n_dots = 0;

    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)d[i];
        if (c == '.') {
            if (label_len == 0 || d[i - 1] == '-')
                return 0;
            label_len = 0;
            n_dots++;
        } else if (isalnum(c) || (c == '-' && label_len > 0) || c >= 0x80) {
            if (++label_len > 63)
                return 0;
        } else {
            return 0;
        }
    }
    return label_len > 0 && d[len - 1] != '-' && n_dots > 0;
}

enum pr_code email_normalize(const char *address, char *out, size_t out_size, struct pr_error *err)
{
    const char *start = address, *at;
    size_t len, local_len, i;

    while (isspace((unsigned char)*start))
        start++;
    len = strlen(start);
    while (len > 0 && isspace((unsigned char)start[len - 1]))
        len--;
    if (len == 0)
        return pr_error_set(err, PR_INVALID, "e-mail address is empty");
    if (len > 254 || len >= out_size)
        return pr_error_set(err, PR_INVALID, "e-mail address is longer than 254 characters");
    at = memchr(start, '@', len);
    if (at == NULL || memchr(at + 1, '@', len - (size_t)(at - start) - 1) != NULL)
        return pr_error_set(err, PR_INVALID, "e-mail address must contain exactly one '@'");
    local_len = (size_t)(at - start);
    if (local_len == 0 || local_len > 64)
        return pr_error_set(err, PR_INVALID, "e-mail address has an empty or too long local part");
    for (i = 0; i < local_len; i++)
        if (!is_local_char((unsigned char)start[i]) ||
            (start[i] == '.' && (i == 0 || i == local_len - 1 || start[i - 1] == '.')))
            return pr_error_set(err, PR_INVALID, "e-mail address has an invalid local part");
    if (!domain_is_valid(at + 1, len - local_len - 1))
        return pr_error_set(err, PR_INVALID, "e-mail address has an invalid domain");
    for (i = 0; i < len; i++)
        out[i] = (char)tolower((unsigned char)start[i]);
    out[len] = '\0';
    return PR_OK;
}
