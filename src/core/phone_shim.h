/*
 * Private to core/phone and its tests: the C face of the libphonenumber shim (phone_shim.cc),
 * and the two halves of phone_normalize that the property test and the benchmark compare.
 *
 * Every function fills a `struct phone__result`: a status, the public phone_info, the exact
 * libphonenumber type (finer than enum phone_type, so tests compare more than the API shows)
 * and the region named by the "invalid for region XX" message. None throws, none allocates
 * anything the caller must free, all are thread-safe.
 */
#ifndef PROSPECT_CORE_PHONE_SHIM_H
#define PROSPECT_CORE_PHONE_SHIM_H

#include "core/phone.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum phone__status {
    PHONE__OK,                   /* valid number */
    PHONE__INVALID_NUMBER,       /* parsed, but not a valid number (info.e164 is set) */
    PHONE__NOT_A_NUMBER,         /* libphonenumber NOT_A_NUMBER */
    PHONE__INVALID_COUNTRY_CODE, /* INVALID_COUNTRY_CODE_ERROR: no "+" and no usable region */
    PHONE__TOO_SHORT,            /* TOO_SHORT_NSN or TOO_SHORT_AFTER_IDD */
    PHONE__TOO_LONG,             /* TOO_LONG_NSN */
    PHONE__INTERNAL,             /* libphonenumber or ICU threw or failed */
};

struct phone__result {
    enum phone__status status;
    struct phone_info info;
    int lpn_type;         /* PhoneNumberUtil::PhoneNumberType as returned, UNKNOWN (11) if none */
    char error_region[4]; /* for PHONE__INVALID_NUMBER: the number's region or, if it has
                             none, the main region of its country code ("US" for +1) */
};

/* The slow path: libphonenumber's Parse (with `region`, "" or two upper-case letters; "" is
 * passed on as "ZZ"), then Format E164, GetRegionCodeForNumber, IsValidNumber, GetNumberType;
 * the time zone from ICU (see phone_shim.cc). */
void phone__shim_normalize(const char *text, size_t len, const char *region,
                           struct phone__result *out);

/* The same classification for the number +1 `national_number` (10 digits) without parsing
 * text: what phone__shim_normalize gives for any string that parses to it. The fast path's
 * area-code table is built from this. */
void phone__shim_nanp(uint64_t national_number, struct phone__result *out);

/* The fast path (phone.c): true when it recognised `text` as one of the North-American forms
 * it handles and filled `out` exactly as phone__shim_normalize would; false (out untouched)
 * when the caller must take the slow path. `region` as for phone__shim_normalize. */
bool phone__fast(const char *text, size_t len, const char *region, struct phone__result *out);

/* The region argument both paths take: `default_region` upper-cased when it is two ASCII
 * letters, else "". `out` has room for 3 bytes. */
void phone__region_arg(const char *default_region, char out[3]);

#ifdef __cplusplus
}
#endif

#endif
