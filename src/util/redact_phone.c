/*
 * The phone-number matcher of the redaction scanner (matcher 5 in redact.c): a heuristic that
 * finds phone numbers written in the usual ways without also taking dates, times, versions,
 * IPv4 addresses, decimals and ids. It looks at a bounded number of bytes from each starting
 * point, so the scan stays linear. The rules, and the false positives they accept, are below.
 */
#include "redact_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define REDACT_PHONE_MIN_DIGITS 7
#define REDACT_PHONE_MAX_DIGITS 15 /* E.164 */
#define REDACT_PHONE_MIN_PLAIN  10 /* a bare run of digits needs this many */
#define REDACT_PHONE_MAX_SCAN   48 /* bytes looked at from one starting point */

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

        if (redact__is_word(next))
            return false;
        if ((next == '.' || next == '-' || next == ':') && end + 1 < n &&
            redact__is_alnum((unsigned char)t[end + 1]))
            return false;
    }
    return true;
}

size_t redact__phone_len(const char *t, size_t n, size_t i, unsigned char prev)
{
    size_t limit, j = i, best = 0;
    unsigned char c = (unsigned char)t[i];
    struct redact_phone p;
    bool after_sep = false; /* the previous byte was ' ', '-' or '.' */

    if (!redact__is_digit(c) && c != '+' && c != '(')
        return 0;
    if (redact__is_word(prev) || prev == '.' || prev == '-' || prev == '+')
        return 0;
    memset(&p, 0, sizeof p);
    limit = n - i > REDACT_PHONE_MAX_SCAN ? i + REDACT_PHONE_MAX_SCAN : n;
    if (c == '+') {
        p.has_plus = true;
        j++;
    }
    for (; j < limit; j++) {
        c = (unsigned char)t[j];
        if (redact__is_digit(c)) {
            if (p.group_len == 0)
                redact_phone_open_group(&p);
            p.group_len++;
            p.n_digits++;
            after_sep = false;
            if (p.n_digits > REDACT_PHONE_MAX_DIGITS)
                break;
            if (j + 1 < n && redact__is_digit((unsigned char)t[j + 1]))
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
            if (!p.in_paren || !redact__is_digit((unsigned char)t[j - 1]))
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
