/*
 * Person names. Hand-written: no C library splits Western names (Python's nameparser is the
 * usual reference and its rules are the ones followed here, in a smaller form). Case mapping
 * of single code points uses ICU so that "JOSÉ" becomes "José".
 *
 * Words are compared with their ASCII letters lower-cased and dots removed, so "Ph.D.",
 * "PHD" and "phd" are the same suffix.
 */
#include "core/person.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_TOKENS    (PERSON_NAME_MAX_LEN / 2 + 2)

/* All lists sorted (strcmp) for bsearch. */
static const char *const titles[] = {
    "capt", "col",       "dame",  "dr",    "father",   "fr",   "frau", "gen",
    "herr", "hon",       "imam",  "judge", "lady",     "lord", "lt",   "maj",
    "miss", "mlle",      "mme",   "mr",    "mrs",      "ms",   "mx",   "pastor",
    "prof", "professor", "rabbi", "rev",   "reverend", "sgt",  "sir",
};

static const char *const suffixes[] = {
    "cbe", "cfa", "cfp", "cpa", "dds", "dmd", "dvm", "esq", "ii", "iii", "iv", "jd", "jr",
    "kbe", "mba", "mbe", "md",  "np",  "obe", "pe",  "phd", "qc", "ret", "rn", "sr",
};

static const char *const split_particles[] = {
    "bin", "da",  "das", "de", "del", "della", "den", "der", "di",  "dos",
    "du",  "ibn", "la",  "le", "st",  "ten",   "ter", "van", "von",
};

static const char *const case_particles[] = {
    "da",  "das", "de", "del", "della", "den", "der", "di",
    "dos", "du",  "la", "le",  "ten",   "ter", "van", "von",
};

/* Written in capitals after the first word. */
static const char *const capital_words[] = {
    "cfa", "cfp", "cpa", "dds", "dmd", "dvm", "ii",  "iii",  "iv",
    "ix",  "jd",  "mba", "md",  "rn",  "vi",  "vii", "viii",
};

struct token {
    const char *ptr;
    size_t len;
};

static int compare_cstr(const void *key, const void *element)
{
    return strcmp((const char *)key, *(const char *const *)element);
}

/* Lower-cases ASCII letters and drops dots into `key`; false when the word has non-ASCII
 * bytes or is too long to be in any list. */
static bool word_key(const char *s, size_t len, char key[16])
{
    size_t i, n = 0;

    for (i = 0; i < len; i++) {
        char c = s[i];

        if ((unsigned char)c >= 0x80 || n + 1 >= 16)
            return false;
        if (c == '.')
            continue;
        key[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    key[n] = '\0';
    return n > 0;
}

static bool word_in(const char *s, size_t len, const char *const *list, size_t n)
{
    char key[16];

    return word_key(s, len, key) && bsearch(key, list, n, sizeof *list, compare_cstr) != NULL;
}

static bool is_title(struct token t)
{
    return word_in(t.ptr, t.len, titles, N_ELEMENTS(titles));
}

static bool is_suffix(struct token t)
{
    return word_in(t.ptr, t.len, suffixes, N_ELEMENTS(suffixes));
}

static bool is_split_particle(struct token t)
{
    return word_in(t.ptr, t.len, split_particles, N_ELEMENTS(split_particles));
}

/* Appends tokens [from, to) joined by `sep` to the NUL-terminated `out`, itself separated
 * from what it holds by `sep`. */
static enum pr_code put_tokens(char *out, const struct token *tokens, size_t from, size_t to,
                               const char *sep, struct pr_error *err)
{
    size_t used = strlen(out), sep_len = strlen(sep), i;

    for (i = from; i < to; i++) {
        size_t need = tokens[i].len + (used > 0 ? sep_len : 0);

        if (used + need >= PERSON_PART_BUF_SIZE)
            return pr_error_set(err, PR_INVALID, "name is longer than %d characters",
                                PERSON_NAME_MAX_LEN);
        if (used > 0) {
            memcpy(out + used, sep, sep_len);
            used += sep_len;
        }
        memcpy(out + used, tokens[i].ptr, tokens[i].len);
        used += tokens[i].len;
        out[used] = '\0';
    }
    return PR_OK;
}

/* Given names and family name without commas: "Dr. John Q. Smith Jr.". */
static enum pr_code split_plain(const struct token *t, size_t from, size_t to,
                                struct person_name *out, struct pr_error *err)
{
    size_t title_end = from, suffix_start = to, last_start;
    enum pr_code rc;

    while (title_end < to && is_title(t[title_end]))
        title_end++;
    while (suffix_start > title_end && is_suffix(t[suffix_start - 1]))
        suffix_start--;
    if (title_end == suffix_start)
        return pr_error_set(err, PR_INVALID, "name has only titles or suffixes");
    rc = put_tokens(out->title, t, from, title_end, " ", err);
    if (rc == PR_OK)
        rc = put_tokens(out->suffix, t, suffix_start, to, ", ", err);
    if (rc != PR_OK)
        return rc;
    if (suffix_start - title_end == 1) {
        /* "Mr. Smith": after a title a lone word is the family name. */
        return put_tokens(title_end > from ? out->last : out->first, t, title_end, suffix_start,
                          " ", err);
    }
    last_start = suffix_start - 1;
    while (last_start - 1 > title_end && is_split_particle(t[last_start - 1]))
        last_start--;
    rc = put_tokens(out->first, t, title_end, title_end + 1, " ", err);
    if (rc == PR_OK)
        rc = put_tokens(out->middle, t, title_end + 1, last_start, " ", err);
    if (rc == PR_OK)
        rc = put_tokens(out->last, t, last_start, suffix_start, " ", err);
    return rc;
}

/* "Family [Suffix], Given [Middle]": family tokens [f_from, f_to), given [g_from, g_to). */
static enum pr_code split_family_first(const struct token *t, size_t f_from, size_t f_to,
                                       size_t g_from, size_t g_to, struct person_name *out,
                                       struct pr_error *err)
{
    size_t f_end = f_to, g_start = g_from, g_end = g_to;
    enum pr_code rc;

    while (f_end - f_from > 1 && is_suffix(t[f_end - 1]))
        f_end--;
    while (g_start < g_end && is_title(t[g_start]))
        g_start++;
    while (g_end > g_start + 1 && is_suffix(t[g_end - 1]))
        g_end--;
    rc = put_tokens(out->title, t, g_from, g_start, " ", err);
    if (rc == PR_OK)
        rc = put_tokens(out->suffix, t, f_end, f_to, ", ", err);
    if (rc == PR_OK)
        rc = put_tokens(out->suffix, t, g_end, g_to, ", ", err);
    if (rc == PR_OK)
        rc = put_tokens(out->last, t, f_from, f_end, " ", err);
    if (rc == PR_OK && g_end > g_start) {
        rc = put_tokens(out->first, t, g_start, g_start + 1, " ", err);
        if (rc == PR_OK)
            rc = put_tokens(out->middle, t, g_start + 1, g_end, " ", err);
    }
    return rc;
}

enum pr_code person_name_split(const char *full, size_t len, struct person_name *out,
                               struct pr_error *err)
{
    struct token tokens[MAX_TOKENS];
    /* segment_start[k]: first token of comma-separated segment k (empty segments dropped). */
    size_t segment_start[MAX_TOKENS + 1], n_tokens = 0, n_segments = 0, i, k;
    bool in_token = false, new_segment = true, has_comma_after_words = false;
    enum pr_code rc;

    memset(out, 0, sizeof *out);
    if (len > PERSON_NAME_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "name is longer than %d characters",
                            PERSON_NAME_MAX_LEN);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)full[i];

        if (c == ' ' || c == '\t' || c == ',') {
            in_token = false;
            if (c == ',') {
                new_segment = true;
                has_comma_after_words = n_tokens > 0;
            }
            continue;
        }
        if (c < 0x20 || c == 0x7F)
            return pr_error_set(err, PR_INVALID, "name contains a control character");
        if (!in_token) {
            if (new_segment) {
                segment_start[n_segments++] = n_tokens;
                new_segment = false;
            }
            tokens[n_tokens].ptr = full + i;
            tokens[n_tokens].len = 0;
            n_tokens++;
            in_token = true;
        }
        tokens[n_tokens - 1].len++;
    }
    if (n_tokens == 0)
        return pr_error_set(err, PR_INVALID, "name is empty");
    segment_start[n_segments] = n_tokens;

    if (!has_comma_after_words)
        return split_plain(tokens, 0, n_tokens, out, err);
    if (n_segments == 1) /* "Smith," */
        return split_family_first(tokens, 0, n_tokens, n_tokens, n_tokens, out, err);
    for (i = segment_start[1]; i < n_tokens; i++)
        if (!is_suffix(tokens[i]))
            break;
    if (i == n_tokens) {
        /* "John Smith, Jr., PhD": the commas only set off suffixes. */
        rc = split_plain(tokens, 0, segment_start[1], out, err);
        if (rc == PR_OK)
            rc = put_tokens(out->suffix, tokens, segment_start[1], n_tokens, ", ", err);
        return rc;
    }
    for (k = 2; k < n_segments; k++)
        for (i = segment_start[k]; i < segment_start[k + 1]; i++)
            if (!is_suffix(tokens[i]))
                return pr_error_set(err, PR_INVALID, "name has too many commas");
    rc = split_family_first(tokens, 0, segment_start[1], segment_start[1], segment_start[2], out,
                            err);
    if (rc == PR_OK && n_segments > 2)
        rc = put_tokens(out->suffix, tokens, segment_start[2], n_tokens, ", ", err);
    return rc;
}

/* ---- case ---- */

enum word_mode { MODE_CAPITALIZE, MODE_LOWER, MODE_UPPER, MODE_PHD };

struct word_span {
    size_t start; /* byte offsets into the text */
    size_t end;
    size_t n_code_points;
};

static bool is_word_code_point(UChar32 c)
{
    return u_isalnum(c) || (U_GET_GC_MASK(c) & (U_GC_M_MASK | U_GC_NL_MASK | U_GC_NO_MASK));
}

static bool is_apostrophe(char c)
{
    return c == '\'';
}

/* The byte before a word is an apostrophe (ASCII or U+2019). */
static bool after_apostrophe(const char *text, size_t start)
{
    return (start >= 1 && is_apostrophe(text[start - 1])) ||
           (start >= 3 && memcmp(text + start - 3, "\xE2\x80\x99", 3) == 0);
}

static bool after_space(const char *text, size_t start)
{
    return start >= 1 && (text[start - 1] == ' ' || text[start - 1] == '\t');
}

static enum word_mode choose_mode(const char *text, const struct word_span *words, size_t w,
                                  size_t n_words)
{
    const struct word_span *word = &words[w];
    char key[16];
    bool has_key = word_key(text + word->start, word->end - word->start, key);

    if (w == 0)
        return MODE_CAPITALIZE;
    if (after_apostrophe(text, word->start) && words[w - 1].end + 1 <= word->start &&
        words[w - 1].n_code_points > 1)
        return MODE_LOWER; /* "JOHN'S" -> "John's", but "O'NEIL" -> "O'Neil" */
    if (!has_key || !after_space(text, word->start))
        return MODE_CAPITALIZE;
    if (strcmp(key, "phd") == 0)
        return MODE_PHD;
    if (bsearch(key, capital_words, N_ELEMENTS(capital_words), sizeof *capital_words,
                compare_cstr) != NULL)
        return MODE_UPPER;
    if (w + 1 < n_words && bsearch(key, case_particles, N_ELEMENTS(case_particles),
                                   sizeof *case_particles, compare_cstr) != NULL)
        return MODE_LOWER;
    return MODE_CAPITALIZE;
}

static enum pr_code put_code_point(char *out, size_t out_size, size_t *used, UChar32 c,
                                   struct pr_error *err)
{
    int32_t n = (int32_t)*used;
    UBool is_error = false;

    if (*used + U8_LENGTH(c) >= out_size)
        return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
    U8_APPEND((uint8_t *)out, n, (int32_t)out_size, c, is_error);
    if (is_error)
        return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
    *used = (size_t)n;
    return PR_OK;
}

static enum pr_code case_word(const char *text, const struct word_span *word, enum word_mode mode,
                              char *out, size_t out_size, size_t *used, struct pr_error *err)
{
    int32_t i = (int32_t)word->start, j = 0;
    bool is_mc = word->n_code_points > 2 &&
                 (text[word->start] == 'm' || text[word->start] == 'M') &&
                 (text[word->start + 1] == 'c' || text[word->start + 1] == 'C');

    if (mode == MODE_PHD) {
        if (*used + 3 >= out_size)
            return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
        memcpy(out + *used, "PhD", 3);
        *used += 3;
        return PR_OK;
    }
    while ((size_t)i < word->end) {
        UChar32 c, mapped;
        enum pr_code rc;

        U8_NEXT((const uint8_t *)text, i, (int32_t)word->end, c);
        if (mode == MODE_UPPER)
            mapped = u_toupper(c);
        else if (mode == MODE_LOWER)
            mapped = u_tolower(c);
        else if (j == 0)
            mapped = u_totitle(c);
        else if (j == 2 && is_mc)
            mapped = u_toupper(c);
        else
            mapped = u_tolower(c);
        rc = put_code_point(out, out_size, used, mapped, err);
        if (rc != PR_OK)
            return rc;
        j++;
    }
    return PR_OK;
}

enum pr_code person_name_case(const char *text, size_t len, char *out, size_t out_size,
                              struct pr_error *err)
{
    struct word_span words[PERSON_NAME_MAX_LEN + 1];
    size_t n_words = 0, used = 0, w, copied_to = 0;
    bool has_upper = false, has_lower = false, in_word = false;
    int32_t i = 0;

    if (out_size > 0)
        out[0] = '\0';
    if (len > PERSON_NAME_MAX_LEN)
        return pr_error_set(err, PR_INVALID, "name is longer than %d characters",
                            PERSON_NAME_MAX_LEN);
    while ((size_t)i < len) {
        UChar32 c;
        int32_t at = i;

        U8_NEXT((const uint8_t *)text, i, (int32_t)len, c);
        if (c < 0)
            return pr_error_set(err, PR_INVALID, "name is not valid UTF-8");
        if ((c < 0x20 && c != '\t') || c == 0x7F)
            return pr_error_set(err, PR_INVALID, "name contains a control character");
        if (u_isupper(c) || u_istitle(c))
            has_upper = true;
        else if (u_islower(c))
            has_lower = true;
        if (is_word_code_point(c)) {
            if (!in_word) {
                words[n_words].start = (size_t)at;
                words[n_words].n_code_points = 0;
                n_words++;
                in_word = true;
            }
            words[n_words - 1].end = (size_t)i;
            words[n_words - 1].n_code_points++;
        } else {
            in_word = false;
        }
    }
    if (has_upper == has_lower) {
        /* Mixed case is kept as typed; no cased letters: nothing to do. */
        if (len >= out_size)
            return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
        memcpy(out, text, len);
        out[len] = '\0';
        return PR_OK;
    }
    for (w = 0; w < n_words; w++) {
        enum pr_code rc;
        size_t gap = words[w].start - copied_to;

        if (used + gap >= out_size)
            return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
        memcpy(out + used, text + copied_to, gap);
        used += gap;
        rc = case_word(text, &words[w], choose_mode(text, words, w, n_words), out, out_size, &used,
                       err);
        if (rc != PR_OK)
            return rc;
        copied_to = words[w].end;
    }
    if (used + (len - copied_to) >= out_size)
        return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
    memcpy(out + used, text + copied_to, len - copied_to);
    used += len - copied_to;
    out[used] = '\0';
    return PR_OK;
}

/* ---- join ---- */

static struct token trimmed(const char *s)
{
    struct token t = {s != NULL ? s : "", 0};

    while (*t.ptr == ' ' || *t.ptr == '\t')
        t.ptr++;
    t.len = strlen(t.ptr);
    while (t.len > 0 && (t.ptr[t.len - 1] == ' ' || t.ptr[t.len - 1] == '\t'))
        t.len--;
    return t;
}

enum pr_code person_name_join(const char *first, const char *last, char *out, size_t out_size,
                              struct pr_error *err)
{
    struct token a = trimmed(first), b = trimmed(last);
    size_t total = a.len + b.len + (a.len > 0 && b.len > 0 ? 1 : 0), used = 0;

    if (out_size > 0)
        out[0] = '\0';
    if (total == 0)
        return pr_error_set(err, PR_INVALID, "name is empty");
    if (total >= out_size)
        return pr_error_set(err, PR_INVALID, "name does not fit in %zu bytes", out_size);
    memcpy(out, a.ptr, a.len);
    used = a.len;
    if (a.len > 0 && b.len > 0)
        out[used++] = ' ';
    memcpy(out + used, b.ptr, b.len);
    out[used + b.len] = '\0';
    return PR_OK;
}
