/*
 * Fuzz target for the configuration loader: the input is a YAML document given to
 * config_load_text (no environment). Whatever comes back is freed; a crash, a sanitizer report
 * or a leak is a bug. The 1 MiB limit and libcyaml's own checks are exercised as they are.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct config *cfg = NULL;
    struct pr_error err;
    enum pr_code rc;

    rc = config_load_text((const char *)data, size, "fuzz.yaml", NULL, &cfg, &err);
    /* Success and a config go together; a failure names the source and gives a hint. */
    if ((rc == PR_OK) != (cfg != NULL))
        __builtin_trap();
    if (rc != PR_OK && (strncmp(err.message, "fuzz.yaml: ", 11) != 0 || err.hint[0] == '\0'))
        __builtin_trap();
    config_free(cfg);
    return 0;
}
