/*
 * Private to the redaction scanner: what redact.c (the scan and matchers 1-4) and
 * redact_phone.c (matcher 5, the phone-number heuristic) share. Nothing outside
 * src/util/redact*.c includes it; the public contract is redact.h.
 *
 * The byte classes are ASCII only and take an unsigned char, so bytes of UTF-8 sequences are
 * never letters or digits.
 */
#ifndef PROSPECT_UTIL_REDACT_INT_H
#define PROSPECT_UTIL_REDACT_INT_H

#include <stdbool.h>
#include <stddef.h>

static inline bool redact__is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static inline bool redact__is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool redact__is_alnum(unsigned char c)
{
    return redact__is_digit(c) || redact__is_alpha(c);
}

static inline bool redact__is_word(unsigned char c)
{
    return redact__is_alnum(c) || c == '_';
}

/*
 * Length of the phone number that starts at t[i] (`n` bytes in all, i < n), or 0 when none
 * does. `prev` is the byte before position i as the scanner sees it (' ' at the start of the
 * text or just after a masked secret): a number does not start inside a word, a number or an
 * identifier. Looks at no more than 48 bytes from i.
 */
size_t redact__phone_len(const char *t, size_t n, size_t i, unsigned char prev);

#endif
