/*
 * Fuzz target for core/company. Checks that the folded form is NUL-terminated valid UTF-8
 * of the returned length, has no leading, trailing or doubled spaces and no ASCII upper case
 * or punctuation, that folding it again returns it unchanged (when it is not longer than the
 * input limit), and that a smaller buffer
 * gives the same key or no key at all.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/company.h"

#include <unicode/utf8.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[COMPANY_NAME_MAX_LEN * 20], again[COMPANY_NAME_MAX_LEN * 20];
    char small[16];
    size_t n = company_fold((const char *)data, size, out, sizeof out), i;
    int32_t k = 0;

    check(strlen(out) == n);
    if (n == 0)
        return 0;
    check(out[0] != ' ' && out[n - 1] != ' ');
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];

        check(!(c >= 'A' && c <= 'Z'));
        check(c >= 0x80 || c == ' ' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
        check(!(c == ' ' && out[i + 1] == ' '));
    }
    while (k < (int32_t)n) {
        UChar32 c;

        U8_NEXT((const uint8_t *)out, k, (int32_t)n, c);
        check(c >= 0);
    }
    /* "&" grows to "and": a key can outgrow the input limit, and then has no key itself. */
    if (n <= COMPANY_NAME_MAX_LEN) {
        check(company_fold(out, n, again, sizeof again) == n);
        check(strcmp(out, again) == 0);
    }
    if (company_fold((const char *)data, size, small, sizeof small) != 0)
        check(strcmp(small, out) == 0);
    else
        check(n >= sizeof small);
    return 0;
}
