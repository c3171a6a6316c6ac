/*
 * Fuzz target for util/redact. Redacts the input with a few configured secrets and checks:
 *  - with room for ten bytes per input byte (the bound log.c relies on) redaction succeeds;
 *  - no configured secret survives in the output (the secrets avoid '[' and ']' and are not
 *    part of any placeholder, the condition under which redact.c guarantees this);
 *  - with a small maximum it either succeeds or fails leaving the buffer as it was.
 * Linear time is checked by libFuzzer's timeout on large inputs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/redact.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_secrets[] = {
    "hunter2", "aaaa", "s3cr3t-Value", "555 1234", "x@y", "Bearer", "", "ab\"c",
};

#define N_SECRETS (sizeof fuzz_secrets / sizeof fuzz_secrets[0])

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct buf out, small;
    size_t i;
    char *key;

    buf_init(&out, size * 10 + 16);
    check(redact_text(text, size, fuzz_secrets, N_SECRETS, &out) == PR_OK);
    for (i = 0; i < N_SECRETS; i++) {
        if (fuzz_secrets[i][0] != '\0')
            check(memmem(buf_cstr(&out), out.len, fuzz_secrets[i], strlen(fuzz_secrets[i])) ==
                  NULL);
    }
    check(out.ptr == NULL || out.ptr[out.len] == '\0');

    buf_init(&small, size / 2 + 4);
    check(buf_puts(&small, "<>") == PR_OK);
    if (redact_text(text, size, fuzz_secrets, N_SECRETS, &small) == PR_OK)
        check(small.len == 2 + out.len && memcmp(small.ptr + 2, buf_cstr(&out), out.len) == 0);
    else
        check(small.len == 2 && strcmp(buf_cstr(&small), "<>") == 0);

    /* The key classifier on the same bytes as a C string. */
    key = xstrndup(text, size);
    (void)redact_key_is_secret(key);
    xfree(key);

    buf_free(&small);
    buf_free(&out);
    return 0;
}
