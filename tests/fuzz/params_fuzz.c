/*
 * Fuzz target for api/params: the input is both an integer parameter (api_param_int with
 * the contact-list bounds, 1..200, and the id bounds) and an Authorization header value
 * (api_bearer_token, up to the first NUL).
 *
 * Checks: an accepted integer is within its bounds, was all digits, and printing it back
 * gives the input without leading zeros; a rejection leaves the output alone and names the
 * parameter. An accepted token is a non-empty view inside the header, after "Bearer " in any
 * case, with no space in it, and reaches the end of the header.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/params.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_int(struct str text, int64_t min, int64_t max)
{
    struct pr_error err;
    int64_t value = -7;
    char back[32];
    size_t zeros = 0;

    if (api_param_int("limit", text, min, max, &value, &err) != PR_OK) {
        check(value == -7 && err.code == PR_USAGE && strncmp(err.message, "limit:", 6) == 0);
        return;
    }
    check(value >= min && value <= max);
    while (zeros + 1 < text.len && text.ptr[zeros] == '0')
        zeros++;
    (void)snprintf(back, sizeof back, "%" PRId64, value);
    check(strlen(back) == text.len - zeros && memcmp(back, text.ptr + zeros, strlen(back)) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *copy = xmalloc(size + 1);
    struct str token, text;

    /* Own allocation, exact size for the integer view, so ASan sees any over-read. */
    memcpy(copy, data, size);
    text = (struct str){copy, size};
    check_int(text, 1, 200);
    check_int(text, 0, INT64_MAX);
    copy[size] = '\0';
    if (api_bearer_token(copy, &token)) {
        size_t header_len = strlen(copy);

        check(strncasecmp(copy, "bearer ", 7) == 0);
        check(token.len > 0 && token.ptr > copy && token.ptr + token.len == copy + header_len);
        check(memchr(token.ptr, ' ', token.len) == NULL);
    }
    xfree(copy);
    return 0;
}
