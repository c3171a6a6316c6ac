/*
 * Similarity measures and identity keys.
 *
 * Jaro-Winkler and the trigram measure are hand-written: no Debian C library offers them
 * (Debian packages Jaro-Winkler only for Ruby, Java and Rust; PostgreSQL's pg_trgm lives inside
 * the server). Both work on code points decoded with ICU's U8_NEXT into fixed arrays of
 * MATCH_MAX_CHARS, so they never allocate.
 */
#include "core/match.h"

#include <stdint.h>
#include <string.h>

#include <unicode/utf8.h>

#define WINKLER_SCALE           0.1
#define WINKLER_MAX_PREFIX      4
#define WINKLER_BOOST_THRESHOLD 0.7
#define TRIGRAM_MARGIN          0.3

/* Code points above Unicode's range stand for invalid bytes, one per byte value. */
#define INVALID_BYTE_BASE 0x110000u

struct code_points {
    uint32_t cp[MATCH_MAX_CHARS];
    size_t n;
};

static void decode(const char *s, size_t len, struct code_points *out)
{
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = 0, end;

    out->n = 0;
    if (s == NULL)
        return;
    /* MATCH_MAX_CHARS code points take at most 4 bytes each; the rest is never read. */
    if (len > 4 * MATCH_MAX_CHARS)
        len = 4 * MATCH_MAX_CHARS;
    end = (int32_t)len;
    while (i < end && out->n < MATCH_MAX_CHARS) {
        int32_t start = i;
        UChar32 c;

        U8_NEXT(p, i, end, c);
        out->cp[out->n++] = c < 0 ? INVALID_BYTE_BASE + p[start] : (uint32_t)c;
    }
}

/* Orders the pair canonically so the greedy matching sees the same pair either way round; this
 * makes the result exactly symmetric whatever ties the greedy steps meet. */
static bool pair_swapped(const char *a, size_t a_len, const char *b, size_t b_len)
{
    size_t n = a_len < b_len ? a_len : b_len;
    int cmp = n > 0 ? memcmp(a, b, n) : 0;

    if (cmp != 0)
        return cmp > 0;
    return a_len > b_len;
}

static double jaro(const struct code_points *a, const struct code_points *b)
{
    bool a_matched[MATCH_MAX_CHARS], b_matched[MATCH_MAX_CHARS];
    size_t window, i, j, k, n_matches = 0, n_half_transposed = 0;
    size_t longer = a->n > b->n ? a->n : b->n;

    if (a->n == 0 && b->n == 0)
        return 1.0;
    if (a->n == 0 || b->n == 0)
        return 0.0;
    memset(a_matched, 0, a->n * sizeof a_matched[0]);
    memset(b_matched, 0, b->n * sizeof b_matched[0]);
    window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    for (i = 0; i < a->n; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < b->n ? i + window + 1 : b->n;

        for (j = lo; j < hi; j++) {
            if (b_matched[j] || a->cp[i] != b->cp[j])
                continue;
            a_matched[i] = b_matched[j] = true;
            n_matches++;
            break;
        }
    }
    if (n_matches == 0)
        return 0.0;
    /* Matched characters taken in order on both sides: count the positions that differ. */
    for (i = 0, k = 0; i < a->n; i++) {
        if (!a_matched[i])
            continue;
        while (!b_matched[k])
            k++;
        if (a->cp[i] != b->cp[k])
            n_half_transposed++;
        k++;
    }
    {
        double m = (double)n_matches;
        double t = (double)(n_half_transposed / 2);

        return (m / (double)a->n + m / (double)b->n + (m - t) / m) / 3.0;
    }
}

static double jaro_winkler(const struct code_points *a, const struct code_points *b)
{
    double j = jaro(a, b);
    size_t prefix = 0;

    if (j <= WINKLER_BOOST_THRESHOLD)
        return j;
    while (prefix < WINKLER_MAX_PREFIX && prefix < a->n && prefix < b->n &&
           a->cp[prefix] == b->cp[prefix])
        prefix++;
    return j + (double)prefix * WINKLER_SCALE * (1.0 - j);
}

/* Decodes the pair in canonical order (see pair_swapped). */
static void decode_pair(const char *a, size_t a_len, const char *b, size_t b_len,
                        struct code_points *ca, struct code_points *cb)
{
    if (a == NULL)
        a_len = 0;
    if (b == NULL)
        b_len = 0;
    if (pair_swapped(a, a_len, b, b_len)) {
        decode(b, b_len, ca);
        decode(a, a_len, cb);
    } else {
        decode(a, a_len, ca);
        decode(b, b_len, cb);
    }
}

double match_jaro_winkler(const char *a, size_t a_len, const char *b, size_t b_len)
{
    struct code_points ca, cb;

    decode_pair(a, a_len, b, b_len, &ca, &cb);
    return jaro_winkler(&ca, &cb);
}

/* A trigram packed into 63 bits: 21 bits per code point covers Unicode and the invalid-byte
 * range above it. */
static uint64_t trigram_pack(uint32_t c0, uint32_t c1, uint32_t c2)
{
    return ((uint64_t)c0 << 42) | ((uint64_t)c1 << 21) | (uint64_t)c2;
}

/* Insertion sort: names give a few dozen trigrams, where it beats qsort's indirect calls. */
static void u64_sort(uint64_t *v, size_t n)
{
    size_t i, j;

    for (i = 1; i < n; i++) {
        uint64_t x = v[i];

        for (j = i; j > 0 && v[j - 1] > x; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
}

/* Sorted, distinct trigrams of "  " + s + " "; returns their number. */
static size_t trigrams(const struct code_points *s, uint64_t *out)
{
    uint32_t padded[MATCH_MAX_CHARS + 3];
    size_t i, n_padded = 0, n = 0, n_distinct = 0;

    padded[n_padded++] = ' ';
    padded[n_padded++] = ' ';
    for (i = 0; i < s->n; i++)
        padded[n_padded++] = s->cp[i];
    padded[n_padded++] = ' ';
    for (i = 0; i + 2 < n_padded; i++)
        out[n++] = trigram_pack(padded[i], padded[i + 1], padded[i + 2]);
    u64_sort(out, n);
    for (i = 0; i < n; i++)
        if (n_distinct == 0 || out[n_distinct - 1] != out[i])
            out[n_distinct++] = out[i];
    return n_distinct;
}

static double trigram_similarity(const struct code_points *a, const struct code_points *b)
{
    uint64_t ta[MATCH_MAX_CHARS + 1], tb[MATCH_MAX_CHARS + 1];
    size_t na, nb, i = 0, j = 0, n_common = 0;

    if (a->n == 0 && b->n == 0)
        return 1.0;
    if (a->n == 0 || b->n == 0)
        return 0.0;
    na = trigrams(a, ta);
    nb = trigrams(b, tb);
    while (i < na && j < nb) {
        if (ta[i] == tb[j]) {
            n_common++;
            i++;
            j++;
        } else if (ta[i] < tb[j]) {
            i++;
        } else {
            j++;
        }
    }
    return (double)n_common / (double)(na + nb - n_common);
}

double match_trigram_similarity(const char *a, size_t a_len, const char *b, size_t b_len)
{
    struct code_points ca, cb;

    decode_pair(a, a_len, b, b_len, &ca, &cb);
    return trigram_similarity(&ca, &cb);
}

double match_company_similarity(const char *folded_a, const char *folded_b)
{
    struct code_points ca, cb;
    double jw, tri;

    if (folded_a == NULL || folded_b == NULL || folded_a[0] == '\0' || folded_b[0] == '\0')
        return 0.0;
    decode_pair(folded_a, strlen(folded_a), folded_b, strlen(folded_b), &ca, &cb);
    jw = jaro_winkler(&ca, &cb);
    tri = trigram_similarity(&ca, &cb);
    return jw < tri + TRIGRAM_MARGIN ? jw : tri + TRIGRAM_MARGIN;
}

bool match_company_fuzzy(const char *folded_a, const char *folded_b, double threshold)
{
    if (folded_a == NULL || folded_b == NULL || folded_a[0] == '\0' || folded_b[0] == '\0')
        return false;
    return match_company_similarity(folded_a, folded_b) >= threshold;
}

/* Key building. A key is a prefix and parts; parts marked `escaped` get '\' before '|' and
 * '\', parts marked `lower` are trimmed and ASCII lower-cased. */
struct key_part {
    const char *text;
    bool escaped;
    bool lower;
};

static bool is_blank(const char *s)
{
    return s == NULL || s[0] == '\0';
}

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static const char *build_key(struct arena *arena, const char *prefix, const struct key_part *parts,
                             size_t n_parts)
{
    size_t size = strlen(prefix) + n_parts + 1, i, p;
    char *key, *w;

    for (p = 0; p < n_parts; p++)
        for (i = 0; parts[p].text[i] != '\0'; i++)
            size +=
                (parts[p].escaped && (parts[p].text[i] == '|' || parts[p].text[i] == '\\')) ? 2 : 1;
    key = arena_alloc(arena, size);
    w = key;
    memcpy(w, prefix, strlen(prefix));
    w += strlen(prefix);
    for (p = 0; p < n_parts; p++) {
        const char *s = parts[p].text;
        size_t len = strlen(s);

        if (p > 0)
            *w++ = '|';
        if (parts[p].lower) {
            while (len > 0 && is_ascii_space(s[len - 1]))
                len--;
            while (len > 0 && is_ascii_space(*s)) {
                s++;
                len--;
            }
        }
        for (i = 0; i < len; i++) {
            char c = s[i];

            if (parts[p].escaped && (c == '|' || c == '\\'))
                *w++ = '\\';
            if (parts[p].lower && c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            *w++ = c;
        }
    }
    *w = '\0';
    return key;
}

void match_contact_keys(const char *email_norm, const char *phone_e164, const char *name_folded,
                        const char *company_key, struct arena *arena, struct match_keys *out)
{
    memset(out, 0, sizeof *out);
    if (!is_blank(email_norm)) {
        struct key_part part = {email_norm, false, false};
        out->keys[out->n++] = build_key(arena, "e:", &part, 1);
    }
    if (!is_blank(phone_e164)) {
        struct key_part part = {phone_e164, false, false};
        out->keys[out->n++] = build_key(arena, "p:", &part, 1);
    }
    if (!is_blank(name_folded) && !is_blank(company_key)) {
        /* The company key is taken verbatim: it is already unambiguous and follows the first
         * unescaped '|'. */
        struct key_part parts[2] = {{name_folded, true, false}, {company_key, false, false}};
        out->keys[out->n++] = build_key(arena, "n:", parts, 2);
    }
}

const char *match_company_key(const char *domain, const char *name_folded, const char *city,
                              struct arena *arena)
{
    if (!is_blank(domain)) {
        struct key_part part = {domain, false, false};
        return build_key(arena, "d:", &part, 1);
    }
    if (!is_blank(name_folded)) {
        struct key_part parts[2] = {{name_folded, true, false}, {city ? city : "", true, true}};
        return build_key(arena, "n:", parts, 2);
    }
    return NULL;
}

/* Byte offset just after the first `n` code points of s (or its end). */
static size_t prefix_bytes(const char *s, size_t len, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = 0, end = len > INT32_MAX ? INT32_MAX : (int32_t)len;

    while (n > 0 && i < end) {
        UChar32 c;

        U8_NEXT(p, i, end, c);
        (void)c;
        n--;
    }
    return (size_t)i;
}

/* Byte offset where the last `n` code points of s start (0 when it has fewer). */
static size_t suffix_start(const char *s, size_t len, size_t n)
{
    const uint8_t *p = (const uint8_t *)s;
    int32_t i = len > INT32_MAX ? INT32_MAX : (int32_t)len;

    while (n > 0 && i > 0) {
        UChar32 c;

        U8_PREV(p, 0, i, c);
        (void)c;
        n--;
    }
    return (size_t)i;
}

void match_company_block_keys(const char *name_folded, const char *state, struct arena *arena,
                              struct match_keys *out)
{
    size_t len, head_len, tail_start;
    struct key_part parts[2];
    char *head, *tail;

    memset(out, 0, sizeof *out);
    if (is_blank(name_folded))
        return;
    len = strlen(name_folded);
    head_len = prefix_bytes(name_folded, len, 3);
    tail_start = suffix_start(name_folded, len, 3);
    head = arena_strndup(arena, name_folded, head_len);
    parts[0] = (struct key_part){head, true, false};
    parts[1] = (struct key_part){state ? state : "", true, true};
    out->keys[out->n++] = build_key(arena, "b:", parts, 2);
    if (head_len == len)
        return; /* three characters or fewer: the suffix block would hold the same names */
    tail = arena_strndup(arena, name_folded + tail_start, len - tail_start);
    parts[0].text = tail;
    out->keys[out->n++] = build_key(arena, "s:", parts, 2);
}
