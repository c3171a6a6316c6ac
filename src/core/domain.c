/*
 * Domain names from websites, URLs and e-mail addresses.
 *
 * URL dissection is hand-written because we want a forgiving host extractor for spreadsheet
 * cells ("www.acme.com/about", "acme.com:8080", "john@acme.com"), not a strict RFC 3986 parser
 * that rejects half of them; the host itself goes through ICU's UTS #46 implementation. Pure
 * ASCII names without "--" in positions 3-4 take a fast path that gives the same result as
 * UTS #46 (lower case + the STD3 letter-digit-hyphen check) without the ICU call, because an
 * import normalizes one or two domains per row.
 */
#include "core/domain.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <unicode/uidna.h>

/* Inputs longer than this are rejected before any work: no URL a person types is longer. */
#define DOMAIN_INPUT_MAX 2048

static UIDNA *shared_idna;
static pthread_once_t idna_once = PTHREAD_ONCE_INIT;

/* ICU documents UTS #46 instances as immutable and usable from several threads at once, so
 * one instance serves the process (opening one costs far more than a conversion). */
static void idna_open(void)
{
    UErrorCode status = U_ZERO_ERROR;
    UIDNA *idna = uidna_openUTS46(UIDNA_USE_STD3_RULES | UIDNA_CHECK_BIDI | UIDNA_CHECK_CONTEXTJ |
                                      UIDNA_NONTRANSITIONAL_TO_ASCII,
                                  &status);

    shared_idna = U_SUCCESS(status) ? idna : NULL;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_ldh(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

/* Checks a lower-case ASCII name: LDH labels of 1-63 bytes without leading or trailing hyphen,
 * at most DOMAIN_MAX_LEN bytes. */
static enum pr_code check_ascii_name(const char *name, size_t len, struct pr_error *err)
{
    size_t i, label_start = 0;

    if (len == 0)
        return pr_error_set(err, PR_INVALID, "domain is empty");
    if (len > DOMAIN_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "domain is longer than %d characters", DOMAIN_MAX_LEN);
    for (i = 0; i <= len; i++) {
        size_t label_len;

        if (i < len && name[i] != '.') {
            if (!is_ldh(name[i]))
                return pr_error_set(err, PR_INVALID, "domain contains an invalid character");
            continue;
        }
        label_len = i - label_start;
        if (label_len == 0)
            return pr_error_set(err, PR_INVALID, "domain has an empty label");
        if (label_len > 63)
            return pr_error_set(err, PR_INVALID, "domain label is longer than 63 characters");
        if (name[label_start] == '-' || name[i - 1] == '-')
            return pr_error_set(err, PR_INVALID, "domain label starts or ends with a hyphen");
        label_start = i + 1;
    }
    return PR_OK;
}

/* True when every byte is ASCII and no label has "--" at positions 3-4 (which UTS #46 treats
 * specially: Punycode "xn--" labels and the reserved hyphen rule). */
static bool takes_fast_path(const char *host, size_t len)
{
    size_t i, label_pos = 0;

    for (i = 0; i < len; i++) {
        if ((unsigned char)host[i] >= 0x80)
            return false;
        if (host[i] == '.') {
            label_pos = 0;
            continue;
        }
        if (label_pos == 2 && host[i] == '-' && i + 1 < len && host[i + 1] == '-')
            return false;
        label_pos++;
    }
    return true;
}

enum pr_code domain_to_ascii(const char *host, size_t len, char *out, size_t out_size,
                             struct pr_error *err)
{
    char converted[DOMAIN_INPUT_MAX];
    size_t out_len, i;
    enum pr_code rc;

    if (len == 0)
        return pr_error_set(err, PR_INVALID, "domain is empty");
    if (len > DOMAIN_INPUT_MAX)
        return pr_error_set(err, PR_INVALID, "domain is longer than %d characters", DOMAIN_MAX_LEN);
    if (takes_fast_path(host, len)) {
        for (i = 0; i < len; i++)
            converted[i] = ascii_lower(host[i]);
        out_len = len;
    } else {
        UErrorCode status = U_ZERO_ERROR;
        UIDNAInfo info = UIDNA_INFO_INITIALIZER;
        int32_t n;

        (void)pthread_once(&idna_once, idna_open);
        if (shared_idna == NULL)
            return pr_error_set(err, PR_INTERNAL, "cannot open the ICU IDNA converter");
        n = uidna_nameToASCII_UTF8(shared_idna, host, (int32_t)len, converted,
                                   (int32_t)sizeof converted, &info, &status);
        if (status == U_BUFFER_OVERFLOW_ERROR || status == U_STRING_NOT_TERMINATED_WARNING)
            return pr_error_set(err, PR_INVALID, "domain is longer than %d characters",
                                DOMAIN_MAX_LEN);
        if (U_FAILURE(status) || n < 0) {
            pr_error_set(err, PR_INVALID, "domain is not a valid name");
            return pr_error_detail(err, "ICU: %s", u_errorName(status));
        }
        if (info.errors != 0) {
            pr_error_set(err, PR_INVALID, "domain is not a valid internationalized name");
            return pr_error_detail(err, "UTS #46 error bits 0x%x", (unsigned)info.errors);
        }
        out_len = (size_t)n;
    }
    /* ICU output is checked too: UTS #46 maps some characters to dots ("。", "⒈") and lets
     * a trailing root dot through, which a key must not contain. */
    rc = check_ascii_name(converted, out_len, err);
    if (rc != PR_OK)
        return rc;
    if (out_len >= out_size)
        return pr_error_set(err, PR_INVALID, "domain does not fit in %zu bytes", out_size);
    memcpy(out, converted, out_len);
    out[out_len] = '\0';
    return PR_OK;
}

/* Length of a URL scheme followed by "://" at the start of s, or 0. */
static size_t scheme_len(const char *s, size_t len)
{
    size_t i;

    if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
        return 0;
    for (i = 1; i < len; i++) {
        char c = ascii_lower(s[i]);

        if ((c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '-' || c == '.')
            continue;
        break;
    }
    if (len - i >= 3 && memcmp(s + i, "://", 3) == 0)
        return i + 3;
    return 0;
}

static bool has_prefix_nocase(const char *s, size_t len, const char *prefix)
{
    size_t i, n = strlen(prefix);

    if (len < n)
        return false;
    for (i = 0; i < n; i++)
        if (ascii_lower(s[i]) != prefix[i])
            return false;
    return true;
}

/* True when the label at name[0..len) is "www" or "www" followed by digits. */
static bool is_www_label(const char *label, size_t len)
{
    size_t i;

    if (len < 3 || memcmp(label, "www", 3) != 0)
        return false;
    for (i = 3; i < len; i++)
        if (!is_digit(label[i]))
            return false;
    return true;
}

enum pr_code domain_normalize(const char *text, size_t len, char *out, size_t out_size,
                              struct pr_error *err)
{
    const char *p = text, *host, *last_dot;
    size_t n = len, host_len, i, name_len, skip;
    char name[DOMAIN_BUF_SIZE];
    const char *name_start;
    enum pr_code rc;

    while (n > 0 && is_space(p[0])) {
        p++;
        n--;
    }
    while (n > 0 && is_space(p[n - 1]))
        n--;
    if (n == 0)
        return pr_error_set(err, PR_INVALID, "domain is empty");
    if (n > DOMAIN_INPUT_MAX)
        return pr_error_set(err, PR_INVALID, "website is longer than %d characters",
                            DOMAIN_INPUT_MAX);

    skip = scheme_len(p, n);
    if (skip == 0 && n >= 2 && p[0] == '/' && p[1] == '/')
        skip = 2;
    if (skip == 0 && has_prefix_nocase(p, n, "mailto:"))
        skip = 7;
    p += skip;
    n -= skip;

    /* The authority ends at the path, query or fragment; browsers treat '\' as '/'. */
    host = p;
    host_len = 0;
    while (host_len < n && strchr("/?#\\", host[host_len]) == NULL)
        host_len++;
    /* User info: everything up to the last '@' (an e-mail's local part). */
    for (i = host_len; i > 0; i--) {
        if (host[i - 1] == '@') {
            host += i;
            host_len -= i;
            break;
        }
    }
    if (host_len == 0)
        return pr_error_set(err, PR_INVALID, "website has no host name");
    if (host[0] == '[')
        return pr_error_set(err, PR_INVALID, "an IP address is not a domain");
    /* Port: digits after the last ':' (possibly none). */
    for (i = host_len; i > 0; i--) {
        if (host[i - 1] == ':') {
            size_t j;

            for (j = i; j < host_len; j++)
                if (!is_digit(host[j]))
                    return pr_error_set(err, PR_INVALID, "website has an invalid port");
            host_len = i - 1;
            break;
        }
    }
    if (host_len > 0 && host[host_len - 1] == '.')
        host_len--;
    if (host_len == 0)
        return pr_error_set(err, PR_INVALID, "website has no host name");

    rc = domain_to_ascii(host, host_len, name, sizeof name, err);
    if (rc != PR_OK)
        return rc;
    name_len = strlen(name);

    last_dot = strrchr(name, '.');
    if (last_dot == NULL)
        return pr_error_set(err, PR_INVALID, "domain \"%s\" has a single label", name);
    for (i = 1; last_dot[i] != '\0' && is_digit(last_dot[i]); i++)
        ;
    if (last_dot[i] == '\0')
        return pr_error_set(err, PR_INVALID, "an IP address is not a domain");

    name_start = name;
    for (;;) {
        const char *dot = strchr(name_start, '.');

        /* Strip while at least two labels would remain. */
        if (dot == NULL || strchr(dot + 1, '.') == NULL ||
            !is_www_label(name_start, (size_t)(dot - name_start)))
            break;
        name_len -= (size_t)(dot + 1 - name_start);
        name_start = dot + 1;
    }
    if (name_len >= out_size)
        return pr_error_set(err, PR_INVALID, "domain does not fit in %zu bytes", out_size);
    memcpy(out, name_start, name_len + 1);
    return PR_OK;
}
