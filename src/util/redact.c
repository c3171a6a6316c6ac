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
 *  5. phone numbers -> [phone]; the heuristic is in redact_phone.c.
 */
#include "redact.h"
#include "redact_int.h"

#include "mem.h"

#include <assert.h>
#include <stdint.h>
#include <string.h>

#define REDACT_KEY_MAX          128 /* longer words are not field names */
#define REDACT_BLANKS_MAX       32  /* blanks allowed around a key/value separator */
#define REDACT_LOCAL_MAX        64  /* RFC 5321 limit on the local part of an address */
#define REDACT_DOMAIN_MAX       255 /* RFC 1035 limit on a domain name */
#define REDACT_API_KEY_MIN_BODY 8

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
    return redact__is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
}

/* Characters of a domain label. */
static bool redact_is_label(unsigned char c)
{
    return redact__is_alnum(c) || c == '-';
}

/* Characters of a field name in key=value text. */
static bool redact_is_key(unsigned char c)
{
    return redact__is_word(c) || c == '-' || c == '.';
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
        if (j == word_len && (i + j == n || !redact__is_word((unsigned char)t[i + j])))
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
    if (c != 'b' || redact__is_word(redact_prev(s, i)))
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
        has_letter = has_letter || redact__is_alpha((unsigned char)t[k]);
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
    return redact__is_word(c) || c == '-' || (base64 && (c == '+' || c == '/' || c == '='));
}

/* Matcher 4: API keys. */
static bool redact_match_api_key(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    const char *t = s->text;
    size_t n = s->len, k, j;

    if (redact__is_alnum(redact_prev(s, i)))
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

            if (!redact__is_digit(c) && !(c >= 'A' && c <= 'Z'))
                return false;
        }
        if (j < n && redact__is_alnum((unsigned char)t[j]))
            return false;
        m->keep = 0;
        m->len = 20;
        m->placeholder = "[api-key]";
        return true;
    }
    return false;
}

/* Matcher 5: phone numbers. */
static bool redact_match_phone(const struct redact_scan *s, size_t i, struct redact_match *m)
{
    size_t len = redact__phone_len(s->text, s->len, i, redact_prev(s, i));

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
