/*
 * Redaction scanner. One left-to-right pass over the text; at each position the matchers below
 * are tried in order and the first that matches decides what is written. Every matcher either
 * requires a word boundary before it (so it starts at most once per run of its characters) or
 * looks at a bounded number of bytes when it fails, and a match is skipped as a whole, so the
 * pass is linear in the input. No regular expressions, no backtracking.
 *
 * Configured secrets are found first, each with Knuth-Morris-Pratt (linear, overlapping
 * occurrences included), and marked in a byte mask. The scan then works on the original text:
 * a pattern that matches at a position wins even over masked bytes (so a secret inside an
 * e-mail address still turns the whole address into "[email]"), bytes a pattern keeps (a key
 * name, "Bearer ") are written through the mask, and any other masked run becomes "[secret]".
 * No masked byte is ever copied to the output, so a secret cannot survive unless it can be
 * spelled with placeholder text ("[secret]" and friends) - secrets are long random strings.
 * A position just after a masked run counts as a word start, so "xSECRETjohn@example.com"
 * still loses the address.
 *
 * Matchers, in order:
 *  1. key/value pairs whose key names a secret (redact_key_is_secret): key=value, key: value,
 *     "key":"value", key='value', \"key\":\"value\" (JSON inside a JSON string). The key and
 *     separator are kept, the value becomes [redacted]. A quoted value runs to its closing
 *     quote (to the end of the text if there is none); a value starting with '{' or '[' runs to
 *     the matching bracket; any other value runs to white space, '&', ',' or ';'. An
 *     authorization or cookie header ("Authorization: ...") runs to the end of the line, and a
 *     value that is an auth scheme ("token=Bearer abc") also takes the word after it.
 *  2. "Bearer <token>" / "Basic <token>" (scheme case-insensitive): the scheme is kept, the
 *     token (up to white space, a quote, ',', ';' or '\') becomes [redacted]. Prose such as
 *     "Basic plan" loses its next word, a harmless false positive.
 *  3. e-mail addresses: a run of [A-Za-z0-9._%+-] (at most 64 bytes), '@', then at least two
 *     dot-separated labels of [A-Za-z0-9-] whose last has two or more characters including a
 *     letter -> [email]. "x@localhost" is not an address; a trailing '.' is not taken.
 *  4. API keys -> [api-key]: "prospect_" and the well-known prefixes in redact_api_prefixes
 *     followed by 8 or more [A-Za-z0-9_-] (whsec_ also takes base64 '+', '/', '='), and AWS
 *     access key ids AKIA/ASIA + 16 [0-9A-Z]. Not after a letter or digit.
 *  5. phone numbers -> [phone]; see the heuristic above redact_phone_len().
 */
#include "redact.h"

#include "mem.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#define REDACT_KEY_MAX          128 /* longer words are not field names */
#define REDACT_BLANKS_MAX       32  /* blanks allowed around a key/value separator */
#define REDACT_LOCAL_MAX        64  /* RFC 5321 limit on the local part of an address */
#define REDACT_DOMAIN_MAX       255 /* RFC 1035 limit on a domain name */
#define REDACT_API_KEY_MIN_BODY 8
#define REDACT_PHONE_MIN_DIGITS 7
#define REDACT_PHONE_MAX_DIGITS 15 /* E.164 */
#define REDACT_PHONE_MIN_PLAIN  10 /* a bare run of digits needs this many */
#define REDACT_PHONE_MAX_SCAN   48 /* bytes looked at from one starting point */

static const char redact_placeholder_secret[] = "[secret]";

struct redact_scan {
    const char *text;
    size_t len;
    unsigned char *mask; /* mask[i] != 0: byte i is part of a configured secret; NULL if none */
    size_t word_start;   /* position treated as a word start (just after a masked run) */
    struct buf *out;
    enum pr_code rc; /* first append failure; output stops there */
};

struct redact_match {
    size_t keep; /* leading bytes written (through the mask) before the placeholder */
    size_t len;  /* bytes consumed in all, keep < len */
    const char *placeholder;
};

static bool redact_is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static bool redact_is_alpha(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool redact_is_alnum(unsigned char c)
{
    return redact_is_digit(c) || redact_is_alpha(c);
}

static bool redact_is_word(unsigned char c)
{
    return redact_is_alnum(c) || c == '_';
}

static bool redact_is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool redact_is_blank(unsigned char c)
{
    return c == ' ' || c == '\t';
}

/* Characters of an e-mail local part. */
static bool redact_is_local(unsigned char c)
{
    return redact_is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Characters of a domain label. */
static bool redact_is_label(unsigned char c)
{
    return redact_is_alnum(c) || c == '-';
}

/* Characters of a field name in key=value text. */
static bool redact_is_key(unsigned char c)
{
    return redact_is_word(c) || c == '-' || c == '.';
}

static unsigned char redact_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/* The byte before position i, or ' ' at the start of the text or of a word that follows a
 * masked run. */
static unsigned char redact_prev(const struct redact_scan *s, size_t i)
{
    if (i == 0 || i == s->word_start)
        return ' ';
    return (unsigned char)s->text[i - 1];
}

/* Key names that hold secrets. A key matches when, lower-cased and with '-' and '_' removed,
 * it equals or ends with one of these, so "X-Api-Key", "client_secret", "db.password",
 * "csrf_token" and "Set-Cookie" all match while "passwordless", "tokens" and "key" do not.
 * "clientsecret" is implied by "secret" and kept for the reader. */
static const char *const redact_secret_words[] = {
    "password",  "passwd",       "pwd",         "secret",        "token",
    "apikey",    "accesskey",    "privatekey",  "authorization", "cookie",
    "sessionid", "clientsecret", "credentials",
};

#define REDACT_TAIL_MAX 16 /* longer than the longest word above */

/* Fills tail[] with the last normalized characters of key, last first; returns how many. */
static size_t redact_key_tail(const char *key, size_t len, char tail[REDACT_TAIL_MAX])
{
    size_t n = 0, i;

    for (i = len; i > 0 && n < REDACT_TAIL_MAX; i--) {
        unsigned char c = (unsigned char)key[i - 1];

        if (c == '-' || c == '_')
            continue;
        tail[n++] = (char)redact_lower(c);
    }
    return n;
}

static bool redact_tail_ends_with(const char *tail, size_t n, const char *word)
{
    size_t word_len = strlen(word), k;

    if (word_len > n)
        return false;
    for (k = 0; k < word_len; k++) {
        if (tail[k] != word[word_len - 1 - k])
            return false;
    }
    return true;
}

static bool redact_key_is_secret_n(const char *key, size_t len)
{
    char tail[REDACT_TAIL_MAX];
    size_t n = redact_key_tail(key, len, tail), k;

    for (k = 0; k < sizeof redact_secret_words / sizeof redact_secret_words[0]; k++) {
        if (redact_tail_ends_with(tail, n, redact_secret_words[k]))
            return true;
    }
    return false;
}

bool redact_key_is_secret(const char *key)
{
    if (key == NULL)
        return false;
    return redact_key_is_secret_n(key, strlen(key));
}

/* Keys whose value is a whole header line ("Authorization: Digest a=1, b=2"). */
static bool redact_key_is_header(const char *key, size_t len)
{
    char tail[REDACT_TAIL_MAX];
    size_t n = redact_key_tail(key, len, tail);

    return redact_tail_ends_with(tail, n, "authorization") ||
           redact_tail_ends_with(tail, n, "cookie");
}

/* Length of the auth scheme word ("Bearer", "Basic") at t[i..n), or 0. The word must not
 * continue into letters. */
static size_t redact_scheme_len(const char *t, size_t n, size_t i)
{
    static const char *const schemes[] = {"bearer", "basic", "token", "digest"};
    size_t k, j;

    for (k = 0; k < sizeof schemes / sizeof schemes[0]; k++) {
        size_t word_len = strlen(schemes[k]);

        if (n - i < word_len)
            continue;
        for (j = 0; j < word_len; j++) {
            if (redact_lower((unsigned char)t[i + j]) != (unsigned char)schemes[k][j])
                break;
        }
        if (j == word_len && (i + j == n || !redact_is_word((unsigned char)t[i + j])))
            return word_len;
    }
    return 0;
}

/* Characters of a bearer or basic token. */
static bool redact_is_token(unsigned char c)
{
    return !redact_is_space(c) && c != '"' && c != '\'' && c != ',' && c != ';' && c != '\\';
}

static size_t redact_skip_blanks(const char *t, size_t n, size_t j)
{
    size_t limit = n - j > REDACT_BLANKS_MAX ? j + REDACT_BLANKS_MAX : n;

    while (j < limit && redact_is_blank((unsigned char)t[j]))
        j++;
    return j;
}

/* End of a quoted value whose content starts at j. With `escaped`, the value was opened by
 * \" (JSON inside a JSON string) and closes at a quote preceded by exactly one backslash;
 * otherwise it closes at a quote not escaped by a backslash. Returns n when unterminated:
 * redacting too much is the safe failure. */
static size_t redact_quoted_end(const char *t, size_t n, size_t j, char quote, bool escaped)
{
    while (j < n) {
        if (t[j] == '\\') {
            size_t run = 0;

            while (j + run < n && t[j + run] == '\\')
                run++;
            if (escaped && run == 1 && j + 1 < n && t[j + 1] == quote)
                return j;
            j += run;
            if (!escaped && run % 2 == 1)
                j++; /* the escaped character */
            continue;
        }
        if (!escaped && t[j] == quote)
            return j;
        j++;
    }
    return n;
}

/* End (exclusive) of the bracketed value starting at t[j] ('{' or '['), skipping strings;
 * n when unbalanced. */
static size_t redact_bracket_end(const char *t, size_t n, size_t j)
{
    size_t depth = 0;

    while (j < n) {
        char c = t[j];

        if (c == '"') {
            j = redact_quoted_end(t, n, j + 1, '"', false);
            if (j < n)
                j++;
            continue;
        }
        if (c == '{' || c == '[') {
            depth++;
        } else if (c == '}' || c == ']') {
            depth--;
            if (depth == 0)
                return j + 1;
        }
        j++;
    }
    return n;
}

/* End of an unquoted value starting at j. */
static size_t redact_bare_end(const char *t, size_t n, size_t j)
{
    while (j < n) {
        unsigned char c = (unsigned char)t[j];

        if (redact_is_space(c) || c == '&' || c == ',' || c == ';')
            break;
        j++;
    }
    return j;
}

/* Matcher 1: key=value pairs whose key names a secret. */
static bool redact_match_pair(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    const char *t = s->text;
    size_t n = s->len, key_end = i, limit, j, value, end;
    char sep;

    if (!redact_is_key((unsigned char)t[i]) || redact_is_key(redact_prev(s, i)))
        return false;
    limit = n - i > REDACT_KEY_MAX ? i + REDACT_KEY_MAX + 1 : n;
    while (key_end < limit && redact_is_key((unsigned char)t[key_end]))
        key_end++;
    if (key_end - i > REDACT_KEY_MAX || !redact_key_is_secret_n(t + i, key_end - i))
        return false;
    /* The closing quote of "key", 'key' or \"key\". */
    j = key_end;
    if (j + 1 < n && t[j] == '\\' && (t[j + 1] == '"' || t[j + 1] == '\''))
        j += 2;
    else if (j < n && (t[j] == '"' || t[j] == '\''))
        j++;
    j = redact_skip_blanks(t, n, j);
    if (j >= n || (t[j] != '=' && t[j] != ':'))
        return false;
    sep = t[j];
    value = redact_skip_blanks(t, n, j + 1);
    if (value >= n)
        return false;
    if (t[value] == '"' || t[value] == '\'' ||
        (value + 1 < n && t[value] == '\\' && (t[value + 1] == '"' || t[value + 1] == '\''))) {
        bool escaped = t[value] == '\\';
        char quote = escaped ? t[value + 1] : t[value];

        value += escaped ? 2 : 1;
        end = redact_quoted_end(t, n, value, quote, escaped);
    } else if (t[value] == '{' || t[value] == '[') {
        end = redact_bracket_end(t, n, value);
    } else if (sep == ':' && redact_key_is_header(t + i, key_end - i)) {
        end = value;
        while (end < n && t[end] != '\r' && t[end] != '\n')
            end++;
    } else {
        end = redact_bare_end(t, n, value);
        if (end > value && redact_scheme_len(t, n, value) == end - value) {
            /* "token=Bearer abc": the credentials are the next word. */
            size_t next = redact_skip_blanks(t, n, end);

            if (next > end)
                end = redact_bare_end(t, n, next);
        }
    }
    if (end == value)
        return false; /* empty value: nothing to hide */
    m->keep = value - i;
    m->len = end - i;
    m->placeholder = "[redacted]";
    return true;
}

/* Matcher 2: "Bearer <token>" and "Basic <token>". */
static bool redact_match_auth(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    const char *t = s->text;
    size_t n = s->len, word_len, j, start;
    unsigned char c = redact_lower((unsigned char)t[i]);

    /* Of the scheme words only "bearer" and "basic" start with 'b'. */
    if (c != 'b' || redact_is_word(redact_prev(s, i)))
        return false;
    word_len = redact_scheme_len(t, n, i);
    if (word_len == 0)
        return false;
    j = i + word_len;
    if (j >= n || !redact_is_blank((unsigned char)t[j]))
        return false;
    start = redact_skip_blanks(t, n, j);
    j = start;
    while (j < n && redact_is_token((unsigned char)t[j]))
        j++;
    if (j == start)
        return false;
    m->keep = start - i;
    m->len = j - i;
    m->placeholder = "[redacted]";
    return true;
}

/* End of the domain starting at t[j], or 0 when there is no acceptable domain there. */
static size_t redact_domain_end(const char *t, size_t n, size_t j)
{
    size_t limit = n - j > REDACT_DOMAIN_MAX ? j + REDACT_DOMAIN_MAX : n;
    size_t n_labels = 0, last = 0, end = 0, k;
    bool has_letter = false;

    for (;;) {
        size_t start = j;

        while (j < limit && redact_is_label((unsigned char)t[j]))
            j++;
        if (j == start)
            break;
        n_labels++;
        last = start;
        end = j;
        if (j + 1 < limit && t[j] == '.' && redact_is_label((unsigned char)t[j + 1])) {
            j++;
            continue;
        }
        break;
    }
    if (n_labels < 2 || end - last < 2)
        return 0;
    for (k = last; k < end; k++)
        has_letter = has_letter || redact_is_alpha((unsigned char)t[k]);
    return has_letter ? end : 0;
}

/* Matcher 3: e-mail addresses. */
static bool redact_match_email(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    const char *t = s->text;
    size_t n = s->len, j = i, limit, end;

    if (!redact_is_local((unsigned char)t[i]) || redact_is_local(redact_prev(s, i)))
        return false;
    limit = n - i > REDACT_LOCAL_MAX ? i + REDACT_LOCAL_MAX + 1 : n;
    while (j < limit && redact_is_local((unsigned char)t[j]))
        j++;
    if (j >= n || t[j] != '@' || j - i > REDACT_LOCAL_MAX)
        return false;
    end = redact_domain_end(t, n, j + 1);
    if (end == 0)
        return false;
    m->keep = 0;
    m->len = end - i;
    m->placeholder = "[email]";
    return true;
}

/* Prefixes of API keys and tokens; each must be followed by at least
 * REDACT_API_KEY_MIN_BODY key characters. Prospect's own keys are
 * prospect_<8 [a-z0-9]>_<43 base64url>; any "prospect_" + 8 or more is taken so that mangled
 * or truncated keys are caught too. The others: Stripe secret, restricted and publishable
 * keys and webhook secrets; Slack bot, user, app, refresh and session tokens; GitHub
 * personal, OAuth, user-to-server, server-to-server and refresh tokens. */
static const char *const redact_api_prefixes[] = {
    "prospect_", "sk_live_", "sk_test_", "rk_live_", "rk_test_", "pk_live_",
    "whsec_",    "xoxb-",    "xoxp-",    "xoxa-",    "xoxr-",    "xoxs-",
    "ghp_",      "gho_",     "ghu_",     "ghs_",     "ghr_",     "github_pat_",
};

static bool redact_is_key_body(unsigned char c, bool base64)
{
    return redact_is_word(c) || c == '-' || (base64 && (c == '+' || c == '/' || c == '='));
}

/* Matcher 4: API keys. */
static bool redact_match_api_key(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    const char *t = s->text;
    size_t n = s->len, k, j;

    if (redact_is_alnum(redact_prev(s, i)))
        return false;
    for (k = 0; k < sizeof redact_api_prefixes / sizeof redact_api_prefixes[0]; k++) {
        const char *prefix = redact_api_prefixes[k];
        size_t prefix_len = strlen(prefix);
        bool base64 = prefix[0] == 'w';

        if (n - i < prefix_len || memcmp(t + i, prefix, prefix_len) != 0)
            continue;
        j = i + prefix_len;
        while (j < n && redact_is_key_body((unsigned char)t[j], base64))
            j++;
        if (j - i - prefix_len < REDACT_API_KEY_MIN_BODY)
            continue;
        m->keep = 0;
        m->len = j - i;
        m->placeholder = "[api-key]";
        return true;
    }
    /* AWS access key ids: AKIA (long-term) or ASIA (temporary) + 16 [0-9A-Z]. */
    if (n - i >= 20 && (memcmp(t + i, "AKIA", 4) == 0 || memcmp(t + i, "ASIA", 4) == 0)) {
        for (j = i + 4; j < i + 20; j++) {
            unsigned char c = (unsigned char)t[j];

            if (!redact_is_digit(c) && !(c >= 'A' && c <= 'Z'))
                return false;
        }
        if (j < n && redact_is_alnum((unsigned char)t[j]))
            return false;
        m->keep = 0;
        m->len = 20;
        m->placeholder = "[api-key]";
        return true;
    }
    return false;
}

/*
 * Phone numbers. A candidate starts with '+', '(' or a digit that does not continue a word,
 * a number or an identifier (the byte before it is not a letter, digit, '_', '.', '-' or '+':
 * "req-12345678", "v1.2345678" and "x4158675309" are left alone). From there it is a run of
 * digit groups separated by single ' ', '-' or '.' (two in a row end it), with optional
 * parentheses around one group, '+' only first. Every place where a digit group ends outside
 * parentheses is a possible end, and the longest valid one wins. An end is valid when:
 *   - it holds 7 to 15 digits (E.164 allows 15; longer digit runs are ids, not phones);
 *   - a bare digit run (no '+', separator or parenthesis) has at least 10 digits: 4158675309
 *     and 14158675309 are phones, while counts, sizes and milliseconds such as 404, 5000 or
 *     1048576 are not;
 *   - the next byte is not a letter, digit or '_', nor '.', '-' or ':' followed by a letter
 *     or digit, so the number does not run on into a word, a time ("2026-11-24T10", "10:00")
 *     or a longer dotted or dashed token ("192.168.100" of an address);
 *   - at most one group has a single digit (a country or trunk code as in "+1 415 ...", or
 *     the "6" of "+33 6 12 34 56 78"), which rules out lists such as "1 2 3 4 5 6 7";
 *   - a space-separated token using '.' has two dots or more, so decimals ("12.50 13.75")
 *     are not phones while "415.867.5309" is, and a token shaped like an IPv4 address (four
 *     groups of at most three digits) is not;
 *   - without '+' or parentheses, the first three groups are not a date: yyyy-mm-dd,
 *     dd-mm-yyyy, or the same with dots.
 * So "+1 (415) 867-5309", "+44 20 7946 0958", "415.867.5309", "867-5309" and "4158675309"
 * become [phone]; ISO timestamps and dates, versions (1.2.3), IPv4 addresses, short numbers,
 * UUIDs and ids keep their digits. Known false positives: a bare 10-15 digit number (epoch
 * seconds or milliseconds), and lists of 2-4 digit numbers separated by spaces.
 * Each candidate looks at no more than REDACT_PHONE_MAX_SCAN bytes.
 */
struct redact_phone {
    size_t n_digits;
    size_t n_groups;
    size_t n_single_groups; /* one-digit groups outside parentheses */
    size_t group_len;       /* digits in the current group */
    size_t first_lens[3];   /* lengths of the first three groups */
    char first_seps[3];     /* separator before each of them ('p' for parentheses or mixed) */
    char pending_sep;       /* separator(s) seen since the last digit */
    bool has_plus, has_paren, has_sep, in_paren;
    bool is_bad;            /* an earlier token broke the dot rules */
    size_t token_dots;      /* for the current space-separated token: */
    size_t token_groups;    /*   its '.' separators, digit groups */
    size_t token_max_group; /*   and longest group */
};

/* True when the current token breaks the dot rules (a decimal or an IPv4 address). */
static bool redact_phone_token_bad(const struct redact_phone *p)
{
    if (p->token_dots == 1)
        return true;
    return p->token_dots == 3 && p->token_groups == 4 && p->token_max_group <= 3;
}

static void redact_phone_open_group(struct redact_phone *p)
{
    if (p->n_groups < 3) {
        p->first_seps[p->n_groups] = p->pending_sep;
        p->first_lens[p->n_groups] = 0;
    }
    p->pending_sep = 0;
}

static void redact_phone_close_group(struct redact_phone *p)
{
    if (p->n_groups < 3)
        p->first_lens[p->n_groups] = p->group_len;
    if (p->group_len == 1 && !p->in_paren)
        p->n_single_groups++;
    if (p->group_len > p->token_max_group)
        p->token_max_group = p->group_len;
    p->token_groups++;
    p->n_groups++;
    p->group_len = 0;
}

static bool redact_phone_is_date(const struct redact_phone *p)
{
    const size_t *lens = p->first_lens;

    if (p->has_plus || p->has_paren || p->n_groups < 3)
        return false;
    if (p->first_seps[1] != p->first_seps[2] ||
        (p->first_seps[1] != '-' && p->first_seps[1] != '.'))
        return false;
    return (lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2) ||
           (lens[0] <= 2 && lens[1] <= 2 && lens[2] == 4);
}

/* Whether the candidate ending at t[end] (exclusive, just after a digit group) is valid. */
static bool redact_phone_valid(const struct redact_phone *p, const char *t, size_t n, size_t end)
{
    if (p->n_digits < REDACT_PHONE_MIN_DIGITS || p->n_digits > REDACT_PHONE_MAX_DIGITS)
        return false;
    if (!p->has_plus && !p->has_sep && !p->has_paren && p->n_digits < REDACT_PHONE_MIN_PLAIN)
        return false;
    if (p->is_bad || redact_phone_token_bad(p) || p->n_single_groups > 1 || redact_phone_is_date(p))
        return false;
    if (end < n) {
        unsigned char next = (unsigned char)t[end];

        if (redact_is_word(next))
            return false;
        if ((next == '.' || next == '-' || next == ':') && end + 1 < n &&
            redact_is_alnum((unsigned char)t[end + 1]))
            return false;
    }
    return true;
}

/* Length of the phone number starting at position i, or 0. */
static size_t redact_phone_len(const struct redact_scan *s, size_t i)
{
    const char *t = s->text;
    size_t n = s->len, limit, j = i, best = 0;
    unsigned char c = (unsigned char)t[i], prev = redact_prev(s, i);
    struct redact_phone p;
    bool after_sep = false; /* the previous byte was ' ', '-' or '.' */

    if (!redact_is_digit(c) && c != '+' && c != '(')
        return 0;
    if (redact_is_word(prev) || prev == '.' || prev == '-' || prev == '+')
        return 0;
    memset(&p, 0, sizeof p);
    limit = n - i > REDACT_PHONE_MAX_SCAN ? i + REDACT_PHONE_MAX_SCAN : n;
    if (c == '+') {
        p.has_plus = true;
        j++;
    }
    for (; j < limit; j++) {
        c = (unsigned char)t[j];
        if (redact_is_digit(c)) {
            if (p.group_len == 0)
                redact_phone_open_group(&p);
            p.group_len++;
            p.n_digits++;
            after_sep = false;
            if (p.n_digits > REDACT_PHONE_MAX_DIGITS)
                break;
            if (j + 1 < n && redact_is_digit((unsigned char)t[j + 1]))
                continue;
            redact_phone_close_group(&p);
            if (!p.in_paren && redact_phone_valid(&p, t, n, j + 1))
                best = j + 1 - i;
        } else if (c == ' ' || c == '-' || c == '.') {
            if (after_sep || p.in_paren || j == i + (p.has_plus ? 1u : 0u))
                break;
            if (c == ' ') {
                if (redact_phone_token_bad(&p))
                    p.is_bad = true;
                p.token_dots = 0;
                p.token_groups = 0;
                p.token_max_group = 0;
            } else if (c == '.') {
                p.token_dots++;
            }
            p.pending_sep = p.pending_sep == 0 ? (char)c : 'p';
            p.has_sep = true;
            after_sep = true;
        } else if (c == '(') {
            if (p.in_paren)
                break;
            p.in_paren = true;
            p.has_paren = true;
            p.pending_sep = 'p';
            after_sep = false;
        } else if (c == ')') {
            if (!p.in_paren || !redact_is_digit((unsigned char)t[j - 1]))
                break;
            p.in_paren = false;
            p.pending_sep = 'p';
            after_sep = false;
        } else {
            break;
        }
        if (p.is_bad)
            break;
    }
    return best;
}

/* Matcher 5: phone numbers. */
static bool redact_match_phone(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    size_t len = redact_phone_len(s, i);

    if (len == 0)
        return false;
    m->keep = 0;
    m->len = len;
    m->placeholder = "[phone]";
    return true;
}

static bool redact_find(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    return redact_match_pair(s, i, m) || redact_match_auth(s, i, m) ||
           redact_match_email(s, i, m) || redact_match_api_key(s, i, m) ||
           redact_match_phone(s, i, m);
}

/* Marks every occurrence of `secret` (overlapping ones included) in the mask, with
 * Knuth-Morris-Pratt so the cost is linear in text and secret. */
static void redact_mark_secret(struct redact_scan *s, const char *secret, size_t secret_len)
{
    size_t *border = xmalloc(secret_len * sizeof *border);
    size_t k = 0, i, marked = 0;

    border[0] = 0;
    for (i = 1; i < secret_len; i++) {
        while (k > 0 && secret[i] != secret[k])
            k = border[k - 1];
        if (secret[i] == secret[k])
            k++;
        border[i] = k;
    }
    k = 0;
    for (i = 0; i < s->len; i++) {
        while (k > 0 && s->text[i] != secret[k])
            k = border[k - 1];
        if (s->text[i] == secret[k])
            k++;
        if (k == secret_len) {
            size_t start = i + 1 - secret_len, j;

            if (s->mask == NULL)
                s->mask = xcalloc(s->len, 1);
            /* Overlapping matches: mark each byte once, so this stays linear. */
            for (j = start > marked ? start : marked; j <= i; j++)
                s->mask[j] = 1;
            marked = i + 1;
            k = border[k - 1];
        }
    }
    xfree(border);
}

static void redact_put(struct redact_scan *s, const char *data, size_t len)
{
    if (s->rc == PR_OK && len > 0)
        s->rc = buf_append(s->out, data, len);
}

static bool redact_masked(const struct redact_scan *s, size_t i)
{
    return s->mask != NULL && s->mask[i] != 0;
}

/* Writes text[from..to), each masked run as [secret]. */
static void redact_emit(struct redact_scan *s, size_t from, size_t to)
{
    size_t i = from;

    while (i < to) {
        size_t start = i;

        if (redact_masked(s, i)) {
            while (i < to && redact_masked(s, i))
                i++;
            redact_put(s, redact_placeholder_secret, sizeof redact_placeholder_secret - 1);
            continue;
        }
        while (i < to && !redact_masked(s, i))
            i++;
        redact_put(s, s->text + start, i - start);
    }
}

enum pr_code redact_text(const char *text, size_t len, const char *const *secrets, size_t n_secrets,
                         struct buf *out)
{
    struct redact_scan s;
    size_t saved_len = out->len, i = 0, pending = 0, k;

    assert(text != NULL || len == 0);
    s.text = text != NULL ? text : "";
    s.len = len;
    s.mask = NULL;
    s.word_start = SIZE_MAX;
    s.out = out;
    s.rc = PR_OK;
    for (k = 0; k < n_secrets; k++) {
        size_t secret_len = secrets[k] != NULL ? strlen(secrets[k]) : 0;

        if (secret_len > 0 && secret_len <= len)
            redact_mark_secret(&s, secrets[k], secret_len);
    }
    while (i < len && s.rc == PR_OK) {
        struct redact_match m;

        if (redact_find(&s, i, &m)) {
            assert(m.keep < m.len && m.len <= len - i);
            redact_emit(&s, pending, i + m.keep);
            redact_put(&s, m.placeholder, strlen(m.placeholder));
            i += m.len;
            pending = i;
            continue;
        }
        if (redact_masked(&s, i)) {
            redact_emit(&s, pending, i);
            while (i < len && redact_masked(&s, i))
                i++;
            redact_put(&s, redact_placeholder_secret, sizeof redact_placeholder_secret - 1);
            pending = i;
            s.word_start = i;
            continue;
        }
        i++;
    }
    redact_emit(&s, pending, len);
    xfree(s.mask);
    if (s.rc != PR_OK) {
        out->len = saved_len;
        if (out->ptr != NULL)
            out->ptr[saved_len] = '\0';
    }
    return s.rc;
}
