/*
 * Fuzz target for core/match. The input is split into two strings at its first NUL byte (or in
 * the middle when it has none). Checks, for Jaro-Winkler, the trigram similarity and the
 * company similarity: 0 <= sim <= 1, sim(a, b) == sim(b, a) exactly, sim(a, a) == 1 (for the
 * company similarity only when a is not empty, which never matches), and match_company_fuzzy
 * agreeing with the similarity. Then builds contact, company and blocking keys from the strings
 * and checks their count, order and prefixes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/match.h"
#include "util/arena.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_measure(double (*sim)(const char *, size_t, const char *, size_t), const char *a,
                          size_t a_len, const char *b, size_t b_len)
{
    double ab = sim(a, a_len, b, b_len);
    double ba = sim(b, b_len, a, a_len);

    check(ab >= 0.0 && ab <= 1.0);
    check(ab == ba);
    check(sim(a, a_len, a, a_len) == 1.0);
    check(sim(b, b_len, b, b_len) == 1.0);
}

static void check_keys(const char *a, const char *b, struct arena *arena)
{
    struct match_keys keys;
    const char *company = match_company_key(b, a, b, arena);
    const char *by_name = match_company_key(NULL, a, b, arena);
    size_t i;

    if (b[0] != '\0')
        check(company != NULL && strncmp(company, "d:", 2) == 0);
    else if (a[0] != '\0')
        check(company != NULL && strncmp(company, "n:", 2) == 0);
    else
        check(company == NULL);
    check((by_name == NULL) == (a[0] == '\0'));

    match_contact_keys(a, b, a, company, arena, &keys);
    check(keys.n <= MATCH_MAX_KEYS);
    i = 0;
    if (a[0] != '\0')
        check(strncmp(keys.keys[i++], "e:", 2) == 0);
    if (b[0] != '\0')
        check(strncmp(keys.keys[i++], "p:", 2) == 0);
    if (a[0] != '\0' && company != NULL)
        check(strncmp(keys.keys[i++], "n:", 2) == 0);
    check(keys.n == i);

    match_company_block_keys(a, b, arena, &keys);
    check(keys.n <= 2 && (keys.n == 0) == (a[0] == '\0'));
    if (keys.n > 0)
        check(strncmp(keys.keys[0], "b:", 2) == 0);
    if (keys.n > 1)
        check(strncmp(keys.keys[1], "s:", 2) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *nul = memchr(text, '\0', size);
    size_t a_len = nul != NULL ? (size_t)(nul - text) : size / 2;
    const char *b = nul != NULL ? nul + 1 : text + a_len;
    size_t b_len = size - (size_t)(b - text);
    char *a_str = xstrndup(text, a_len), *b_str = xstrndup(b, b_len);
    struct arena *arena = arena_new(0);
    double ab, ba;

    check_measure(match_jaro_winkler, text, a_len, b, b_len);
    check_measure(match_trigram_similarity, text, a_len, b, b_len);

    /* the NUL-terminated API sees the strings up to their first NUL */
    ab = match_company_similarity(a_str, b_str);
    ba = match_company_similarity(b_str, a_str);
    check(ab >= 0.0 && ab <= 1.0 && ab == ba);
    check(match_company_fuzzy(a_str, b_str, 0.92) == (a_str[0] != '\0' && ab >= 0.92));
    if (a_str[0] != '\0')
        check(match_company_similarity(a_str, a_str) == 1.0);
    else
        check(ab == 0.0);

    check_keys(a_str, b_str, arena);
    arena_free(arena);
    xfree(a_str);
    xfree(b_str);
    return 0;
}
