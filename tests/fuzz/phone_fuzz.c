/*
 * Fuzz target for core/phone. The first byte picks the default region (byte % 12: "0" US,
 * "1" CA, "2" none, "3" GB, "4" DE...), the rest is the text.
 * Checks, besides the sanitizers' own:
 *  - phone_normalize returns PR_OK or PR_INVALID (PR_INTERNAL only if libphonenumber threw,
 *    which a fuzzer input must not cause), with is_valid true exactly on PR_OK, NUL-terminated
 *    fields, and an e164 that is '+' and digits or empty;
 *  - differential: wherever the fast path answers, its result equals the shim's.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/phone.h"
#include "core/phone_shim.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fuzz_regions[] = {"US", "CA", "",   "GB", "DE", "us",
                                           "ZZ", "JP", "BR", "IN", "PR", "USA"};

#define N_REGIONS (sizeof fuzz_regions / sizeof fuzz_regions[0])

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_info(const struct phone_info *info)
{
    size_t i, len = strnlen(info->e164, sizeof info->e164);

    check(len < sizeof info->e164);
    check(strnlen(info->region, sizeof info->region) < sizeof info->region);
    check(strnlen(info->time_zone, sizeof info->time_zone) < sizeof info->time_zone);
    check(len == 0 || info->e164[0] == '+');
    for (i = 1; i < len; i++)
        check(info->e164[i] >= '0' && info->e164[i] <= '9');
    check((unsigned)info->type <= PHONE_UNKNOWN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *region_in, *text;
    struct phone__result fast, slow;
    struct phone_info info;
    struct pr_error err;
    enum pr_code rc;
    char region[3];

    if (size == 0)
        return 0;
    region_in = fuzz_regions[data[0] % N_REGIONS];
    text = (const char *)data + 1;
    size--;

    rc = phone_normalize(text, size, region_in, &info, &err);
    check(rc == PR_OK || rc == PR_INVALID);
    check(info.is_valid == (rc == PR_OK));
    check_info(&info);
    if (rc == PR_OK)
        check(info.e164[0] == '+' && info.type != PHONE_UNKNOWN);

    phone__region_arg(region_in, region);
    if (size <= PHONE_INPUT_MAX && phone__fast(text, size, region, &fast)) {
        phone__shim_normalize(text, size, region, &slow);
        check(fast.status == slow.status && fast.lpn_type == slow.lpn_type);
        check(strcmp(fast.info.e164, slow.info.e164) == 0 && fast.info.type == slow.info.type &&
              strcmp(fast.info.region, slow.info.region) == 0 &&
              strcmp(fast.info.time_zone, slow.info.time_zone) == 0 &&
              fast.info.is_valid == slow.info.is_valid);
        check(strcmp(fast.error_region, slow.error_region) == 0);
    }
    return 0;
}
