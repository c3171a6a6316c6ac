/*
 * Fuzz target for core/domain. Checks that an accepted domain is lower-case ASCII letters,
 * digits, hyphens and dots, has at least two labels of 1-63 bytes, at most 253 bytes, a
 * non-numeric last label, and is its own normalization; that domain_to_ascii's output is
 * valid ASCII as well; and that a small output buffer gives an error, never a truncation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/domain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_ascii_name(const char *name)
{
    size_t i, label_len = 0;

    check(strlen(name) > 0 && strlen(name) <= DOMAIN_MAX_LEN);
    for (i = 0; name[i] != '\0'; i++) {
        char c = name[i];

        if (c == '.') {
            check(label_len > 0);
            label_len = 0;
            continue;
        }
        check((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
        check(++label_len <= 63);
    }
    check(label_len > 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char out[DOMAIN_BUF_SIZE], again[DOMAIN_BUF_SIZE], small[8];
    struct pr_error err;

    if (domain_normalize(text, size, out, sizeof out, &err) == PR_OK) {
        const char *last_dot = strrchr(out, '.');
        size_t i;

        check_ascii_name(out);
        check(last_dot != NULL);
        for (i = 1; last_dot[i] >= '0' && last_dot[i] <= '9'; i++)
            ;
        check(last_dot[i] != '\0');
        check(domain_normalize(out, strlen(out), again, sizeof again, &err) == PR_OK);
        check(strcmp(out, again) == 0);
        if (domain_normalize(text, size, small, sizeof small, &err) == PR_OK)
            check(strcmp(small, out) == 0);
        else
            check(strlen(out) >= sizeof small);
    } else {
        check(err.code == PR_INVALID || err.code == PR_INTERNAL);
    }
    if (domain_to_ascii(text, size, out, sizeof out, &err) == PR_OK) {
        check_ascii_name(out);
        check(domain_to_ascii(out, strlen(out), again, sizeof again, &err) == PR_OK);
        check(strcmp(out, again) == 0);
    }
    return 0;
}
