/*
 * Company name folding.
 *
 * ICU does the Unicode work (NFKC_Casefold, NFD/NFC, general categories). Splitting into words
 * and dropping legal forms is hand-written: no library knows legal-form suffixes. ASCII names,
 * nearly all of a US lead file, skip ICU: for ASCII, NFKC_Casefold is lower-casing and NFD
 * and NFC change nothing, so both paths give the same words.
 *
 * Words are collected as (offset, length) pairs into one UTF-8 byte array; the suffix rules
 * then only move the first and last word indexes and, for CJK forms glued to a word, shorten
 * a word. Each rule applies until none does, which is what makes folding idempotent.
 */
#include "core/company.h"

#include "util/mem.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* Legal forms as folded words, the longest (in words) first so that "sa de cv" goes whole
 * before "cv" alone could match. */
static const char *const legal_suffixes[] = {
    "sab de cv", "sa de cv",     "s de rl", "sp z oo", "s a s", "l l c", "l l p",
    "sdn bhd",   "a s",          "s a",     "s l",     "ab",    "ag",    "aps",
    "as",        "asa",          "bhd",     "bv",      "bvba",  "co",    "company",
    "corp",      "corporation",  "cv",      "eirl",    "eurl",  "gk",    "gmbh",
    "inc",       "incorporated", "kft",     "kg",      "kgaa",  "kk",    "lda",
    "limited",   "llc",          "llp",     "lp",      "ltd",   "ltda",  "mbh",
    "nv",        "oao",          "ohg",     "ooo",     "oy",    "oyj",   "pbc",
    "pc",        "plc",          "pllc",    "pte",     "pty",   "pvt",   "sa",
    "sab",       "sarl",         "sas",     "se",      "sl",    "spa",   "sro",
    "srl",       "zrt",
};

/* Legal forms written without spaces in Chinese, Japanese and Korean names, either before or
 * after the name; longest first ("股份有限公司" before "有限公司"). */
static const char *const cjk_forms[] = {
    "股份有限公司", "株式会社", "有限会社", "合同会社", "有限公司", "주식회사",
};

struct word {
    size_t offset;
    size_t len;
};

struct folder {
    char *bytes; /* the words' UTF-8, back to back */
    size_t n_bytes;
    struct word *words;
    size_t n_words;
    bool in_word;
};

static void start_word(struct folder *f)
{
    if (!f->in_word) {
        f->words[f->n_words].offset = f->n_bytes;
        f->words[f->n_words].len = 0;
        f->n_words++;
        f->in_word = true;
    }
}

static void append_bytes(struct folder *f, const char *s, size_t len)
{
    start_word(f);
    memcpy(f->bytes + f->n_bytes, s, len);
    f->n_bytes += len;
    f->words[f->n_words - 1].len += len;
}

static void append_code_point(struct folder *f, UChar32 c)
{
    uint8_t utf8[U8_MAX_LENGTH];
    int32_t n = 0;
    UBool is_error = false;

    U8_APPEND((uint8_t *)utf8, n, (int32_t)sizeof utf8, c, is_error);
    if (!is_error)
        append_bytes(f, (const char *)utf8, (size_t)n);
}

/* ASCII spellings of folded letters that have no canonical decomposition. */
static const char *letter_spelling(UChar32 c)
{
    switch (c) {
    case 0x00E6:
        return "ae"; /* æ */
    case 0x00F0:
        return "d"; /* ð */
    case 0x00F8:
        return "o"; /* ø */
    case 0x00FE:
        return "th"; /* þ */
    case 0x0111:
        return "d"; /* đ */
    case 0x0127:
        return "h"; /* ħ */
    case 0x0131:
        return "i"; /* dotless ı */
    case 0x0142:
        return "l"; /* ł */
    case 0x0153:
        return "oe"; /* œ */
    case 0x0167:
        return "t"; /* ŧ */
    default:
        return NULL;
    }
}

static bool is_joiner(UChar32 c)
{
    /* Removed without splitting a word: dots of abbreviations, apostrophes. */
    return c == '.' || c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BC;
}

static bool is_word_char(UChar32 c)
{
    if (c < 0x80)
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    return u_isalnum(c) || (U_GET_GC_MASK(c) & (U_GC_M_MASK | U_GC_NL_MASK | U_GC_NO_MASK));
}

/* Combining diacritical marks: the accents of Latin, Greek and Cyrillic letters. Marks of
 * other scripts (Devanagari vowel signs, the Japanese voicing mark) are part of the letter
 * and stay. */
static bool is_diacritic(UChar32 c)
{
    return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
           (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
           (c >= 0xFE20 && c <= 0xFE2F);
}

/* Feeds one folded code point. */
static void feed(struct folder *f, UChar32 c)
{
    const char *spelling;

    if (is_joiner(c))
        return;
    if (c == '&') {
        f->in_word = false;
        append_bytes(f, "and", 3);
        f->in_word = false;
        return;
    }
    spelling = c >= 0x80 ? letter_spelling(c) : NULL;
    if (spelling != NULL) {
        append_bytes(f, spelling, strlen(spelling));
        return;
    }
    if (is_word_char(c)) {
        append_code_point(f, c);
        return;
    }
    f->in_word = false;
}

/* Normalizes with `norm`, growing the destination once if the first guess was short. NULL
 * on an ICU failure. */
static UChar *normalize_alloc(const UNormalizer2 *norm, const UChar *src, int32_t n, int32_t *out_n)
{
    UErrorCode status = U_ZERO_ERROR;
    int32_t cap = n * 2 + 16, m;
    UChar *dst = xmalloc((size_t)cap * sizeof *dst);

    m = unorm2_normalize(norm, src, n, dst, cap, &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
        xfree(dst);
        cap = m + 1;
        dst = xmalloc((size_t)cap * sizeof *dst);
        status = U_ZERO_ERROR;
        m = unorm2_normalize(norm, src, n, dst, cap, &status);
    }
    if (U_FAILURE(status)) {
        xfree(dst);
        return NULL;
    }
    *out_n = m;
    return dst;
}

/* Splits a non-ASCII name into folded words: NFKC_Casefold, then NFD to separate the
 * accents, which are dropped, then NFC to put the other marks back on their letters (and
 * Hangul syllables back together). False on an ICU failure. */
static bool split_unicode(struct folder *f, const char *name, size_t len)
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&status);
    UChar *wide, *folded = NULL, *decomposed = NULL, *composed = NULL;
    int32_t n_wide = 0, n_folded = 0, n_decomposed = 0, n_kept = 0, n_composed = 0, i = 0;
    bool ok = false;

    if (U_FAILURE(status))
        return false;
    wide = xmalloc((len + 1) * sizeof *wide);
    /* Ill-formed sequences become U+FFFD, a symbol, which separates words. */
    u_strFromUTF8WithSub(wide, (int32_t)len + 1, &n_wide, name, (int32_t)len, 0xFFFD, NULL,
                         &status);
    if (U_FAILURE(status))
        goto out;
    folded = normalize_alloc(nfkc_cf, wide, n_wide, &n_folded);
    if (folded == NULL)
        goto out;
    decomposed = normalize_alloc(nfd, folded, n_folded, &n_decomposed);
    if (decomposed == NULL)
        goto out;
    /* Accents are BMP code points, so dropping UTF-16 units one by one is safe. */
    for (i = 0; i < n_decomposed; i++)
        if (!is_diacritic(decomposed[i]))
            decomposed[n_kept++] = decomposed[i];
    composed = normalize_alloc(nfc, decomposed, n_kept, &n_composed);
    if (composed == NULL)
        goto out;
    /* Each code point adds at most 4 bytes and one word. */
    f->bytes = xmalloc((size_t)n_composed * 4 + 4);
    f->words = xmalloc(((size_t)n_composed + 1) * sizeof *f->words);
    i = 0;
    while (i < n_composed) {
        UChar32 c;

        U16_NEXT(composed, i, n_composed, c);
        feed(f, c);
    }
    ok = true;
out:
    xfree(composed);
    xfree(decomposed);
    xfree(folded);
    xfree(wide);
    return ok;
}

static void split_ascii(struct folder *f, const char *name, size_t len)
{
    size_t i;

    f->bytes = xmalloc(len * 4 + 4);
    f->words = xmalloc((len + 1) * sizeof *f->words);
    for (i = 0; i < len; i++) {
        char c = name[i];

        feed(f, (c >= 'A' && c <= 'Z') ? (UChar32)(c - 'A' + 'a') : (UChar32)(unsigned char)c);
    }
}

static bool word_is(const struct folder *f, size_t index, const char *text, size_t text_len)
{
    const struct word *w = &f->words[index];

    return w->len == text_len && memcmp(f->bytes + w->offset, text, text_len) == 0;
}

/* Number of words in a suffix pattern such as "sa de cv", and whether words[first, last)
 * end with it. */
static bool ends_with_pattern(const struct folder *f, size_t first, size_t last,
                              const char *pattern, size_t *n_pattern_words)
{
    const char *p = pattern;
    size_t n = 1, i, index;

    for (i = 0; pattern[i] != '\0'; i++)
        if (pattern[i] == ' ')
            n++;
    *n_pattern_words = n;
    if (last - first <= n) /* keep at least one word */
        return false;
    for (index = last - n; index < last; index++) {
        const char *space = strchr(p, ' ');
        size_t word_len = space != NULL ? (size_t)(space - p) : strlen(p);

        if (!word_is(f, index, p, word_len))
            return false;
        p += word_len + (space != NULL ? 1 : 0);
    }
    return true;
}

/* Cuts a CJK legal form glued to the start or the end of a word. */
static bool cut_cjk_form(struct folder *f, size_t index, bool at_end)
{
    struct word *w = &f->words[index];
    size_t i;

    for (i = 0; i < N_ELEMENTS(cjk_forms); i++) {
        size_t form_len = strlen(cjk_forms[i]);

        if (w->len <= form_len)
            continue;
        if (at_end &&
            memcmp(f->bytes + w->offset + w->len - form_len, cjk_forms[i], form_len) == 0) {
            w->len -= form_len;
            return true;
        }
        if (!at_end && memcmp(f->bytes + w->offset, cjk_forms[i], form_len) == 0) {
            w->offset += form_len;
            w->len -= form_len;
            return true;
        }
    }
    return false;
}

static bool is_cjk_form_word(const struct folder *f, size_t index)
{
    size_t i;

    for (i = 0; i < N_ELEMENTS(cjk_forms); i++)
        if (word_is(f, index, cjk_forms[i], strlen(cjk_forms[i])))
            return true;
    return false;
}

/* Applies one rule; true if it changed something. */
static bool apply_one_rule(struct folder *f, size_t *first, size_t *last)
{
    size_t i, n_pattern_words;

    if (*last - *first > 1 && (word_is(f, *first, "the", 3) || is_cjk_form_word(f, *first))) {
        (*first)++;
        return true;
    }
    if (*last - *first > 1 && is_cjk_form_word(f, *last - 1)) {
        (*last)--;
        return true;
    }
    if (cut_cjk_form(f, *first, false) || cut_cjk_form(f, *last - 1, true))
        return true;
    for (i = 0; i < N_ELEMENTS(legal_suffixes); i++) {
        if (ends_with_pattern(f, *first, *last, legal_suffixes[i], &n_pattern_words)) {
            *last -= n_pattern_words;
            /* "Smith & Co" leaves "smith and": the "and" belonged to the legal form. */
            if (*last - *first > 1 && word_is(f, *last - 1, "and", 3))
                (*last)--;
            return true;
        }
    }
    return false;
}

size_t company_fold(const char *name, size_t len, char *out, size_t out_size)
{
    struct folder f = {0};
    size_t i, first, last, out_len = 0;
    bool is_ascii = true;

    if (out_size > 0)
        out[0] = '\0';
    if (len == 0 || len > COMPANY_NAME_MAX_LEN || out_size == 0)
        return 0;
    for (i = 0; i < len; i++)
        if ((unsigned char)name[i] >= 0x80)
            is_ascii = false;
    if (is_ascii)
        split_ascii(&f, name, len);
    else if (!split_unicode(&f, name, len))
        goto out;

    first = 0;
    last = f.n_words;
    if (last == 0)
        goto out;
    while (apply_one_rule(&f, &first, &last))
        ;
    for (i = first; i < last; i++)
        out_len += f.words[i].len + (i > first ? 1 : 0);
    if (out_len == 0 || out_len >= out_size) {
        out_len = 0;
        goto out;
    }
    out_len = 0;
    for (i = first; i < last; i++) {
        if (i > first)
            out[out_len++] = ' ';
        memcpy(out + out_len, f.bytes + f.words[i].offset, f.words[i].len);
        out_len += f.words[i].len;
    }
    out[out_len] = '\0';
out:
    xfree(f.words);
    xfree(f.bytes);
    return out_len;
}
