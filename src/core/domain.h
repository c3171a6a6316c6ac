/*
 * Domain names: the company key of a lead. A website, URL or e-mail address is reduced to the
 * registrable host in its ASCII form ("https://WWW.Bücher.de:443/shop?x#y" -> "xn--bcher-kva.de")
 * so that every source spelling of the same site gives the same key.
 *
 * Internationalized names are converted with ICU's UTS #46 implementation (nontransitional,
 * STD3 rules, BiDi and CONTEXTJ checks: what current browsers and registries do), so "ß" stays
 * "ß" (IDNA2008) instead of becoming "ss". Pure functions; thread-safe.
 */
#ifndef PROSPECT_CORE_DOMAIN_H
#define PROSPECT_CORE_DOMAIN_H

#include "util/error.h"

#include <stddef.h>

/* Longest domain name in bytes (RFC 1035: 255 octets on the wire, 253 in text form), and the
 * size of a buffer that always holds one with its NUL. */
#define DOMAIN_MAX_LEN  253
#define DOMAIN_BUF_SIZE (DOMAIN_MAX_LEN + 1)

/*
 * Converts one host name (no scheme, port or path) to its ASCII, lower-case form: UTS #46
 * mapping and validation, Punycode for non-ASCII labels. Every label must be 1-63 letters,
 * digits or hyphens, not starting or ending with a hyphen, and the name at most 253 bytes; an
 * empty label (a leading, doubled or trailing dot) is an error. Single labels and numeric
 * names are accepted here: callers decide (domain_normalize rejects them).
 * Writes a NUL-terminated name into `out` (DOMAIN_BUF_SIZE bytes always suffice).
 * PR_INVALID with the reason when the name is not valid or does not fit in `out_size`.
 */
enum pr_code domain_to_ascii(const char *host, size_t len, char *out, size_t out_size,
                             struct pr_error *err);

/*
 * Normalizes a website, URL or e-mail address to the domain that identifies the organization:
 *  - surrounding white space is trimmed;
 *  - a scheme ("https://", "HTTP://", "//", "mailto:") is removed, then everything from the
 *    first '/', '?', '#' or '\\' (path, query, fragment);
 *  - user info ("user:pass@" in a URL, the local part of an e-mail address) and a port
 *    (":8080") are removed;
 *  - one trailing dot (the DNS root) is removed;
 *  - the host is converted with domain_to_ascii (lower case, IDN -> Punycode);
 *  - leading "www." labels, and "www" followed by digits ("www2.", "www3."), are removed while
 *    at least two labels remain: they name a web server by convention, never the
 *    organization ("www.com" itself stays). Other host labels ("shop.", "m.") are kept,
 *    because without the public-suffix list we cannot tell them from a registrable name.
 * Rejects (PR_INVALID, with the reason) empty input, IP addresses (IPv4, bracketed IPv6, any
 * name whose last label is numeric), single-label names ("localhost"), invalid labels and
 * names that do not fit in `out_size`. Writes a NUL-terminated domain into `out`.
 */
enum pr_code domain_normalize(const char *text, size_t len, char *out, size_t out_size,
                              struct pr_error *err);

#endif
