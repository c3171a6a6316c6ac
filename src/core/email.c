/*
 * E-mail address syntax, display form, matching key and flags.
 *
 * The syntax check is hand-written: the libraries that implement RFC 5321/5322 (is_email,
 * email-addresses) are PHP and JavaScript, and our policy is deliberately narrower than the
 * RFCs (see email.h). The domain goes through domain_to_ascii (ICU UTS #46).
 */
#include "core/email.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

/* Longest input examined at all: no address is longer, whatever white space surrounds it. */
#define EMAIL_INPUT_MAX 1024

static const char *const role_locals[] = {
    /* Sorted (strcmp): looked up with bsearch. */
    "abuse",      "accounting", "accounts",   "admin",        "administrator",   "billing",
    "careers",    "contact",    "contactus",  "customercare", "customerservice", "do-not-reply",
    "donotreply", "enquiries",  "enquiry",    "finance",      "hello",           "help",
    "helpdesk",   "hr",         "info",       "inquiries",    "inquiry",         "jobs",
    "legal",      "mail",       "marketing",  "media",        "no-reply",        "noreply",
    "office",     "orders",     "postmaster", "press",        "privacy",         "reception",
    "recruiting", "sales",      "security",   "service",      "support",         "team",
    "webmaster",
};

static const char *const free_mail_domains[] = {
    /* Sorted (strcmp): looked up with bsearch. */
    "126.com",         "163.com",        "aim.com",        "aol.com",         "att.net",
    "bellsouth.net",   "bigpond.com",    "bk.ru",          "btinternet.com",  "charter.net",
    "comcast.net",     "cox.net",        "daum.net",       "earthlink.net",   "email.com",
    "fastmail.com",    "fastmail.fm",    "free.fr",        "freenet.de",      "gmail.com",
    "googlemail.com",  "hanmail.net",    "hushmail.com",   "icloud.com",      "inbox.ru",
    "interia.pl",      "juno.com",       "laposte.net",    "libero.it",       "list.ru",
    "mac.com",         "mail.com",       "mail.ru",        "me.com",          "msn.com",
    "naver.com",       "o2.pl",          "onet.pl",        "optusnet.com.au", "orange.fr",
    "pm.me",           "proton.me",      "protonmail.ch",  "protonmail.com",  "qq.com",
    "rambler.ru",      "rediffmail.com", "rocketmail.com", "rogers.com",      "sbcglobal.net",
    "seznam.cz",       "shaw.ca",        "sina.com",       "sky.com",         "sohu.com",
    "t-online.de",     "tuta.io",        "tutanota.com",   "ukr.net",         "verizon.net",
    "virginmedia.com", "wanadoo.fr",     "web.de",         "wp.pl",           "xtra.co.nz",
    "ya.ru",           "yeah.net",       "ymail.com",      "zoho.com",        "zohomail.com",
};

/* Providers that run the same service under many country domains (yahoo.co.uk, gmx.de). */
static const char *const free_mail_families[] = {
    "aol", "gmx", "hotmail", "live", "outlook", "yahoo", "yandex",
};

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

static int compare_cstr(const void *key, const void *element)
{
    return strcmp((const char *)key, *(const char *const *)element);
}

static bool in_sorted_list(const char *word, const char *const *list, size_t n)
{
    return bsearch(word, list, n, sizeof *list, compare_cstr) != NULL;
}

static char ascii_lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool is_ascii_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_ascii_digit(char c)
{
    return c >= '0' && c <= '9';
}

bool email_is_role_local(const char *local, size_t len)
{
    char word[32];
    size_t i;

    for (i = 0; i < len && local[i] != '+'; i++) {
        if (i + 1 >= sizeof word)
            return false;
        word[i] = ascii_lower(local[i]);
    }
    word[i] = '\0';
    return in_sorted_list(word, role_locals, N_ELEMENTS(role_locals));
}

/* True for a country-style ending: com, net, org, a two-letter code, or co./com./ne./or. + a
 * two-letter code. */
static bool is_country_ending(const char *s, size_t len)
{
    if ((len == 3 &&
         (memcmp(s, "com", 3) == 0 || memcmp(s, "net", 3) == 0 || memcmp(s, "org", 3) == 0)) ||
        (len == 2 && is_ascii_alpha(s[0]) && is_ascii_alpha(s[1])))
        return true;
    if (len == 5 &&
        (memcmp(s, "co.", 3) == 0 || memcmp(s, "ne.", 3) == 0 || memcmp(s, "or.", 3) == 0))
        return is_country_ending(s + 3, 2);
    if (len == 6 && memcmp(s, "com.", 4) == 0)
        return is_country_ending(s + 4, 2);
    return false;
}

bool email_is_free_mail_domain(const char *domain, size_t len)
{
    char name[DOMAIN_BUF_SIZE];
    const char *dot;
    size_t i, first_len;

    if (len == 0 || len >= sizeof name)
        return false;
    memcpy(name, domain, len);
    name[len] = '\0';
    if (in_sorted_list(name, free_mail_domains, N_ELEMENTS(free_mail_domains)))
        return true;
    dot = memchr(domain, '.', len);
    if (dot == NULL)
        return false;
    first_len = (size_t)(dot - domain);
    for (i = 0; i < N_ELEMENTS(free_mail_families); i++) {
        if (strlen(free_mail_families[i]) == first_len &&
            memcmp(domain, free_mail_families[i], first_len) == 0)
            return is_country_ending(dot + 1, len - first_len - 1);
    }
    return false;
}

/* Length of a trimmable character at s (space, tab, U+00A0 no-break space), or 0. */
static size_t blank_len(const char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (len >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

static bool ends_with_blank(const char *s, size_t len)
{
    if (len >= 1 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        return true;
    return len >= 2 && (unsigned char)s[len - 2] == 0xC2 && (unsigned char)s[len - 1] == 0xA0;
}

/* atext of RFC 5322 (ASCII part). */
static bool is_atext(char c)
{
    return is_ascii_alpha(c) || is_ascii_digit(c) || strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL;
}

static enum pr_code check_local(const char *local, size_t len, bool *is_ascii, struct pr_error *err)
{
    int32_t i = 0;

    *is_ascii = true;
    if (len == 0)
        return pr_error_set(err, PR_INVALID, "e-mail address has an empty local part");
    if (len > EMAIL_LOCAL_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "e-mail local part is longer than %d characters",
                            EMAIL_LOCAL_MAX_LEN);
    if (local[0] == '"')
        return pr_error_set(err, PR_INVALID, "quoted e-mail local parts are not accepted");
    if (local[0] == '.' || local[len - 1] == '.')
        return pr_error_set(err, PR_INVALID, "e-mail local part starts or ends with a dot");
    while ((size_t)i < len) {
        UChar32 c;
        int32_t at = i;

        if (local[i] == '.') {
            if (local[i + 1] == '.')
                return pr_error_set(err, PR_INVALID, "e-mail local part has two dots in a row");
            i++;
            continue;
        }
        if ((unsigned char)local[i] < 0x80) {
            if (!is_atext(local[i]))
                return pr_error_set(err, PR_INVALID,
                                    "e-mail local part contains an invalid character '%c'",
                                    local[i]);
            i++;
            continue;
        }
        *is_ascii = false;
        U8_NEXT((const uint8_t *)local, i, (int32_t)len, c);
        if (c < 0)
            return pr_error_set(err, PR_INVALID, "e-mail local part is not valid UTF-8");
        /* Letters, marks, digits, punctuation and symbols; no spaces, controls or format
         * characters (zero-width joiners and the like hide in copied text). */
        if (!u_isgraph(c)) {
            pr_error_set(err, PR_INVALID, "e-mail local part contains an invisible character");
            return pr_error_detail(err, "U+%04X at byte %d", (unsigned)c, (int)at);
        }
    }
    return PR_OK;
}

/* Lower-cases a UTF-8 local part with ICU's root case mapping. */
static enum pr_code lower_utf8(const char *s, size_t len, char *out, size_t out_size,
                               size_t *out_len, struct pr_error *err)
{
    UChar wide[EMAIL_LOCAL_MAX_LEN * 2], lowered[EMAIL_LOCAL_MAX_LEN * 4];
    UErrorCode status = U_ZERO_ERROR;
    int32_t n_wide = 0, n_lowered, n_out = 0;

    u_strFromUTF8(wide, (int32_t)N_ELEMENTS(wide), &n_wide, s, (int32_t)len, &status);
    if (U_SUCCESS(status))
        n_lowered = u_strToLower(lowered, (int32_t)N_ELEMENTS(lowered), wide, n_wide, "", &status);
    else
        n_lowered = 0;
    if (U_SUCCESS(status))
        u_strToUTF8(out, (int32_t)out_size, &n_out, lowered, n_lowered, &status);
    if (U_FAILURE(status) || status == U_STRING_NOT_TERMINATED_WARNING || (size_t)n_out >= out_size)
        return pr_error_set(err, PR_INVALID, "e-mail local part is too long in lower case");
    *out_len = (size_t)n_out;
    return PR_OK;
}

enum pr_code email_normalize_lead(const char *text, size_t len, struct email_norm *out,
                                  struct pr_error *err)
{
    const char *p = text, *at = NULL, *last_dot;
    size_t n = len, i, local_len, domain_len, total_len, key_local_len;
    bool is_ascii;
    enum pr_code rc;

    for (;;) {
        size_t blank = blank_len(p, n);

        if (blank == 0)
            break;
        p += blank;
        n -= blank;
    }
    while (ends_with_blank(p, n))
        n -= (p[n - 1] == '\t' || p[n - 1] == ' ') ? 1 : 2;
    if (n == 0)
        return pr_error_set(err, PR_INVALID, "e-mail address is empty");
    if (n > EMAIL_INPUT_MAX)
        return pr_error_set(err, PR_INVALID, "e-mail address is longer than %d characters",
                            EMAIL_MAX_LEN);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];

        if (c < 0x20 || c == 0x7F)
            return pr_error_set(err, PR_INVALID,
                                "e-mail address contains a control character or line break");
        if (c == '@') {
            if (at != NULL)
                return pr_error_set(err, PR_INVALID, "e-mail address must contain exactly one '@'");
            at = p + i;
        }
    }
    if (at == NULL)
        return pr_error_set(err, PR_INVALID, "e-mail address has no '@'");
    local_len = (size_t)(at - p);
    domain_len = n - local_len - 1;

    rc = check_local(p, local_len, &is_ascii, err);
    if (rc != PR_OK)
        return rc;
    if (domain_len == 0)
        return pr_error_set(err, PR_INVALID, "e-mail address has no domain");
    if (at[1] == '[')
        return pr_error_set(err, PR_INVALID, "e-mail address literals are not accepted");
    rc = domain_to_ascii(at + 1, domain_len, out->domain, sizeof out->domain, err);
    if (rc != PR_OK)
        return rc;
    last_dot = strrchr(out->domain, '.');
    if (last_dot == NULL)
        return pr_error_set(err, PR_INVALID, "e-mail domain \"%s\" has a single label",
                            out->domain);
    for (i = 1; is_ascii_digit(last_dot[i]); i++)
        ;
    if (last_dot[i] == '\0')
        return pr_error_set(err, PR_INVALID, "e-mail domain has a numeric top-level label");
    domain_len = strlen(out->domain);
    total_len = local_len + 1 + domain_len;
    if (total_len > EMAIL_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "e-mail address is longer than %d characters",
                            EMAIL_MAX_LEN);

    memcpy(out->display, p, local_len);
    out->display[local_len] = '@';
    memcpy(out->display + local_len + 1, out->domain, domain_len + 1);

    if (is_ascii) {
        for (i = 0; i < local_len; i++)
            out->key[i] = ascii_lower(p[i]);
        key_local_len = local_len;
    } else {
        rc = lower_utf8(p, local_len, out->key, sizeof out->key, &key_local_len, err);
        if (rc != PR_OK)
            return rc;
    }
    if (key_local_len + 1 + domain_len > EMAIL_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "e-mail address is longer than %d characters",
                            EMAIL_MAX_LEN);
    out->key[key_local_len] = '@';
    memcpy(out->key + key_local_len + 1, out->domain, domain_len + 1);

    out->is_role = email_is_role_local(p, local_len);
    out->is_free_mail = email_is_free_mail_domain(out->domain, domain_len);
    return PR_OK;
}

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

enum pr_code email_normalize(const char *address, char *out, size_t out_size, struct pr_error *err)
{
    struct email_norm norm;
    const char *p = address;
    size_t n, key_len;
    enum pr_code rc;

    while (is_ascii_space(*p))
        p++;
    n = strlen(p);
    while (n > 0 && is_ascii_space(p[n - 1]))
        n--;
    rc = email_normalize_lead(p, n, &norm, err);
    if (rc != PR_OK)
        return rc;
    key_len = strlen(norm.key);
    if (key_len >= out_size)
        return pr_error_set(err, PR_INVALID, "e-mail address does not fit in %zu bytes", out_size);
    memcpy(out, norm.key, key_len + 1);
    return PR_OK;
}
