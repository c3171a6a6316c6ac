/*
 * Phone numbers: parse, validate and classify a number exactly as libphonenumber does, and give
 * its E.164 form, type, region and time zone.
 *
 * libphonenumber (C++) is reached only through phone_shim.cc; the common North-American forms
 * take a fast path in C that gives the same answers (see phone.c for why and how it is proved).
 * All functions are pure (no I/O) and thread-safe. The first call builds two read-only tables
 * (area codes, time zones per region; about 0.1-0.3 s) under a once-guard.
 */
#ifndef PROSPECT_CORE_PHONE_H
#define PROSPECT_CORE_PHONE_H

#include "util/error.h"

#include <stdbool.h>
#include <stddef.h>

/* Inputs longer than this are "too long" without being parsed (libphonenumber's own limit). */
#define PHONE_INPUT_MAX 250

enum phone_type {
    PHONE_FIXED_LINE,
    PHONE_MOBILE,
    PHONE_FIXED_OR_MOBILE, /* the region's numbering does not tell them apart (US, CA...) */
    PHONE_TOLL_FREE,
    PHONE_VOIP,
    PHONE_OTHER, /* premium rate, shared cost, personal, pager, UAN, voicemail */
    PHONE_UNKNOWN,
};

struct phone_info {
    /* "+" and the digits, without extension. E.164 allows 15 digits, but libphonenumber accepts
     * national numbers of up to 17 digits (valid ones in JP, DE, NG, KR exceed 15), so the
     * buffer holds '+', a 3-digit country code and 17 digits. */
    char e164[22];
    enum phone_type type;
    char region[3];     /* ISO 3166 alpha-2, "" when unknown or non-geographic (+800...) */
    char time_zone[48]; /* IANA zone id, "" when the region has several (US, CA, AU...) */
    bool is_valid;
};

/*
 * Parses `len` bytes of `text` (any formatting libphonenumber accepts: "(415) 555-2671",
 * "+44 20 7946 0018", "0151 1234 5678"...) as a number of `default_region` (ISO alpha-2, any
 * case; NULL, "" or anything else than two letters means none, so only "+CC..." forms parse) —
 * the row's country, else the tenant's setting — and fills `out`.
 *
 * An extension ("x123", "ext. 12", ";ext=9") is accepted and dropped: e164 never carries it.
 *
 * Returns PR_OK for a valid number (out->is_valid true). Otherwise PR_INVALID with `err` saying
 * why, without echoing the number: "empty phone number", "not a phone number", "too short",
 * "too long", "unknown country code" (no "+" and no default region), or "invalid for region XX"
 * when the digits parse but are not a valid number there; in that last case `out` still holds
 * the parsed e164 (useful as a matching key) with is_valid false, type PHONE_UNKNOWN and empty
 * region and time zone; in the others `out` is all empty. PR_INTERNAL if libphonenumber threw
 * (out of memory). `err` is left untouched on PR_OK.
 */
enum pr_code phone_normalize(const char *text, size_t len, const char *default_region,
                             struct phone_info *out, struct pr_error *err);

/* Stable lower-case name of a type ("fixed_line", "mobile", "fixed_or_mobile", "toll_free",
 * "voip", "other", "unknown"), for storage and output. Never NULL. */
const char *phone_type_name(enum phone_type type);

#endif
