/*
 * The fast path equals libphonenumber. Two properties, both over inputs the fast path answers:
 *
 * 1. Every area code, and its exchanges: for each NPA 200-999 and NXX 200-999 (with a line number
 *    drawn at random), the fast path's answer for "NPA-NXX-XXXX" equals libphonenumber's
 *    classification of +1 NPANXXXXXX. This is the check that the area-code table and its
 *    exception list are exact for the installed metadata. All 640,000 exchanges take minutes
 *    under ASan (libphonenumber allocates a lot), so by default each area code is checked on 40
 *    exchanges, one in every block of 20 (drawn at random, as is the line number);
 *    PROSPECT_PHONE_EXHAUSTIVE=1 checks them all (do it after a libphonenumber upgrade).
 * 2. A generated corpus of 200,000 strings in every form the fast path reads (and many it must
 *    not), valid and invalid numbers, default regions US, CA, none and others, extensions in
 *    many styles, plus mutations (characters inserted, deleted, replaced; suffixes, letters,
 *    prefixes): wherever the fast path answers, its whole result equals the slow path's on the
 *    same string and region.
 *
 * Both report the fast path's hit rate as a TAP diagnostic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/phone_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORPUS_SIZE 200000

/* xorshift64*: deterministic, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1du;
}

static unsigned rng_below(unsigned n)
{
    return (unsigned)(rng_next() % n);
}

static void describe(const char *what, const struct phone__result *r)
{
    print_message("#   %s: status=%d e164=%s type=%d lpn_type=%d region=%s tz=%s valid=%d "
                  "error_region=%s\n",
                  what, (int)r->status, r->info.e164, (int)r->info.type, r->lpn_type,
                  r->info.region, r->info.time_zone, (int)r->info.is_valid, r->error_region);
}

static bool same_result(const struct phone__result *a, const struct phone__result *b)
{
    return a->status == b->status && a->lpn_type == b->lpn_type && a->info.type == b->info.type &&
           a->info.is_valid == b->info.is_valid && strcmp(a->info.e164, b->info.e164) == 0 &&
           strcmp(a->info.region, b->info.region) == 0 &&
           strcmp(a->info.time_zone, b->info.time_zone) == 0 &&
           strcmp(a->error_region, b->error_region) == 0;
}

static void test_every_area_code_and_exchange(void **state)
{
    const char *exhaustive = getenv("PROSPECT_PHONE_EXHAUSTIVE");
    unsigned step = exhaustive != NULL && strcmp(exhaustive, "1") == 0 ? 1 : 20;
    unsigned npa, nxx, n_answered = 0, n_tried = 0, n_failed = 0;

    (void)state;
    for (npa = 200; npa <= 999; npa++) {
        for (nxx = 200; nxx <= 999; nxx += step) {
            unsigned exchange = step == 1 ? nxx : nxx + rng_below(step);
            unsigned line = rng_below(10000);
            struct phone__result fast, slow;
            char text[16];

            snprintf(text, sizeof text, "%03u-%03u-%04u", npa, exchange, line);
            n_tried++;
            if (!phone__fast(text, strlen(text), "US", &fast))
                continue;
            n_answered++;
            phone__shim_nanp((uint64_t)npa * 10000000u + exchange * 10000u + line, &slow);
            if (!same_result(&fast, &slow)) {
                if (n_failed++ < 10) {
                    print_message("# mismatch for %s (region US)\n", text);
                    describe("fast", &fast);
                    describe("libphonenumber", &slow);
                }
            }
        }
    }
    print_message("# exchanges: fast path answered %u of %u NPA-NXX (%.1f%%), %u mismatches\n",
                  n_answered, n_tried, 100.0 * n_answered / n_tried, n_failed);
    assert_int_equal(n_failed, 0);
    /* The table must cover the mainland: at least 350 area codes' worth of exchanges. */
    assert_true(n_answered >= 350u * (800u / step));
}

/* Appends printf-style text to buf at *used; silently stops at the end of the buffer. */
static void put(char *buf, size_t size, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char *buf, size_t size, size_t *used, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (*used >= size - 1)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf + *used, size - *used, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    *used += (size_t)n < size - *used ? (size_t)n : size - *used - 1;
}

static unsigned pick_area_code(void)
{
    static const unsigned common[] = {212, 213, 312, 415, 416, 505, 604, 617, 646, 702,
                                      713, 800, 808, 809, 876, 888, 900, 514, 787, 340};
    unsigned roll = rng_below(100);

    if (roll < 30)
        return common[rng_below(sizeof common / sizeof common[0])];
    if (roll < 90)
        return 200 + rng_below(800);
    return rng_below(200); /* 0xx and 1xx: never an area code */
}

static unsigned pick_exchange(void)
{
    return rng_below(100) < 90 ? 200 + rng_below(800) : rng_below(200);
}

static char pick_separator(void)
{
    static const char seps[] = {' ', '-', '.', '-', ' '};
    return seps[rng_below(sizeof seps)];
}

/* One number in one of the written forms, with or without a national or international prefix. */
static void generate(char *buf, size_t size)
{
    unsigned npa = pick_area_code(), nxx = pick_exchange(), line = rng_below(10000);
    char s1 = pick_separator(), s2 = pick_separator();
    size_t used = 0;

    buf[0] = '\0';
    switch (rng_below(8)) {
    case 0:
    case 1:
        break;
    case 2:
        put(buf, size, &used, "+1 ");
        break;
    case 3:
        put(buf, size, &used, "+1");
        break;
    case 4:
        put(buf, size, &used, "1-");
        break;
    case 5:
        put(buf, size, &used, "1 ");
        break;
    case 6:
        put(buf, size, &used, "1");
        break;
    default:
        put(buf, size, &used, "+1%c", s1);
        break;
    }
    switch (rng_below(9)) {
    case 0:
        put(buf, size, &used, "(%03u) %03u-%04u", npa, nxx, line);
        break;
    case 1:
        put(buf, size, &used, "(%03u)%03u-%04u", npa, nxx, line);
        break;
    case 2:
        put(buf, size, &used, "%03u-%03u-%04u", npa, nxx, line);
        break;
    case 3:
        put(buf, size, &used, "%03u.%03u.%04u", npa, nxx, line);
        break;
    case 4:
        put(buf, size, &used, "%03u%03u%04u", npa, nxx, line);
        break;
    case 5:
        put(buf, size, &used, "%03u %03u %04u", npa, nxx, line);
        break;
    case 6:
        put(buf, size, &used, "%03u%c%03u%c%04u", npa, s1, nxx, s2, line);
        break;
    case 7:
        put(buf, size, &used, "%03u-%03u%04u", npa, nxx, line);
        break;
    default:
        put(buf, size, &used, "%03u-%04u", nxx, line); /* local, 7 digits */
        break;
    }
    if (rng_below(8) == 0) {
        static const char *const labels[] = {" x",   "x",     " X ",    " ext. ", " ext",
                                             "Ext.", " EXT ", " #",     ";ext=",  " extension ",
                                             ", x",  " x ",   " ext: ", "  x"};
        static const unsigned lengths[] = {1, 2, 3, 4, 5, 6, 6, 7, 9, 10};
        unsigned i, n = lengths[rng_below(sizeof lengths / sizeof lengths[0])];

        put(buf, size, &used, "%s", labels[rng_below(sizeof labels / sizeof labels[0])]);
        for (i = 0; i < n; i++)
            put(buf, size, &used, "%u", rng_below(10));
    }
    if (rng_below(10) == 0)
        put(buf, size, &used, "%s", rng_below(2) ? " " : "\t");
}

static void mutate(char *buf, size_t size)
{
    static const char *const insertions[] = {
        "0",
        "1",
        "5",
        "9",
        " ",
        "-",
        ".",
        "(",
        ")",
        "+",
        "x",
        "a",
        "/",
        "#",
        "\t",
        "*",
        ";",
        "\xef\xbc\x91", /* FULLWIDTH DIGIT ONE */
        "\xd9\xa3",     /* ARABIC-INDIC DIGIT THREE */
        "\xe2\x80\x90", /* HYPHEN */
        "\xc2\xa0",     /* NO-BREAK SPACE */
        "\xff",         /* not UTF-8 */
    };
    static const char *const suffixes[] = {" x123", " ext. 45",    ";ext=9", " #12", " ext 7",
                                           "x",     " / 555-1234", " abc",   "1",    "00"};
    static const char *const prefixes[] = {"tel:", "+",       "++1 ", "011 1 ", "001 ",
                                           "(",    "Phone: ", "0",    "+1 1 ",  "+11"};
    size_t len = strlen(buf), pos = len ? rng_below((unsigned)len + 1) : 0;
    char tmp[128];
    const char *piece;

    switch (rng_below(6)) {
    case 0: /* delete one character */
        if (len > 0 && pos < len)
            memmove(buf + pos, buf + pos + 1, len - pos);
        return;
    case 1: /* replace one character by a digit */
        if (len > 0 && pos < len)
            buf[pos] = (char)('0' + rng_below(10));
        return;
    case 2: /* insert a character */
        piece = insertions[rng_below(sizeof insertions / sizeof insertions[0])];
        break;
    case 3:
        snprintf(tmp, sizeof tmp, "%s%s", buf,
                 suffixes[rng_below(sizeof suffixes / sizeof suffixes[0])]);
        snprintf(buf, size, "%s", tmp);
        return;
    case 4:
        snprintf(tmp, sizeof tmp, "%s%s", prefixes[rng_below(sizeof prefixes / sizeof prefixes[0])],
                 buf);
        snprintf(buf, size, "%s", tmp);
        return;
    default: /* swap two neighbours */
        if (pos + 1 < len) {
            char c = buf[pos];
            buf[pos] = buf[pos + 1];
            buf[pos + 1] = c;
        }
        return;
    }
    if (len + strlen(piece) + 1 > size)
        return;
    snprintf(tmp, sizeof tmp, "%.*s%s%s", (int)pos, buf, piece, buf + pos);
    snprintf(buf, size, "%s", tmp);
}

static void test_generated_corpus(void **state)
{
    static const char *const regions[] = {"US", "US", "US", "CA", "", "GB", "PR", "DE", "JM"};
    unsigned i, n_answered = 0, n_valid = 0, n_extension = 0, n_failed = 0;

    (void)state;
    rng_state = 0x2545f4914f6cdd1du;
    for (i = 0; i < CORPUS_SIZE; i++) {
        const char *region = regions[rng_below(sizeof regions / sizeof regions[0])];
        struct phone__result fast, slow;
        char text[96];

        generate(text, sizeof text);
        if (rng_below(100) < 30)
            mutate(text, sizeof text);
        if (rng_below(100) < 5)
            mutate(text, sizeof text);
        if (!phone__fast(text, strlen(text), region, &fast))
            continue;
        n_answered++;
        n_valid += fast.status == PHONE__OK;
        n_extension += strpbrk(text, "xX") != NULL;
        phone__shim_normalize(text, strlen(text), region, &slow);
        if (!same_result(&fast, &slow) && n_failed++ < 10) {
            print_message("# mismatch for \"%s\" (region \"%s\")\n", text, region);
            describe("fast", &fast);
            describe("libphonenumber", &slow);
        }
    }
    print_message("# corpus: fast path answered %u of %u strings (%.1f%%; %u of them valid, %u "
                  "with an extension), %u mismatches\n",
                  n_answered, CORPUS_SIZE, 100.0 * n_answered / CORPUS_SIZE, n_valid, n_extension,
                  n_failed);
    assert_int_equal(n_failed, 0);
    assert_true(n_answered > CORPUS_SIZE / 4);
}

/* The forms named in the design, one each, must take the fast path (else it silently rots), and
 * a few near misses must not. */
static void test_forms_take_fast_path(void **state)
{
    static const struct {
        const char *text;
        const char *region;
    } cases[] = {
        {"(415) 555-2671", "US"},   {"415-555-2671", "US"},
        {"415.555.2671", "US"},     {"4155552671", "US"},
        {"+1 415 555 2671", "US"},  {"1-415-555-2671", "US"},
        {"+1 (415) 555-2671", ""},  {"+14155552671", "GB"},
        {"(416) 555-2671", "CA"},   {" 212 555 0199\t", "CA"},
        {"1 (604) 555-0100", "CA"}, {"+1-800-555-0100", "DE"},
        {"415-555-2671 x12", "US"}, {"(415) 555-2671 ext. 123456", "US"},
        {"4155552671X9", "US"},
    };
    static const char *const declined[][2] = {
        {"415-555-2671 #12", "US"},
        {"415-555-2671", "GB"},
        {"1-415-555-2671", ""},
        {"415-555-2671 x1234567", "US"},
        {"415-555-2671 extension 2", "US"},
        {"415-555-2671 x", "US"},
        {"415-555-2671;ext=9", "US"},
        {"415-055-2671", "US"},
        {"505-555-2671", "US"},
        {"876-555-2671", "US"},
        {"555-2671", "US"},
        {"415/555-2671", "US"},
        {"(415 555-2671", "US"},
        {"+44 20 7946 0018", "US"},
        {"41555526710", "US"},
        {"tel:+1-415-555-2671", "US"},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct phone__result fast, slow;

        assert_true(phone__fast(cases[i].text, strlen(cases[i].text), cases[i].region, &fast));
        phone__shim_normalize(cases[i].text, strlen(cases[i].text), cases[i].region, &slow);
        assert_true(same_result(&fast, &slow));
    }
    for (i = 0; i < sizeof declined / sizeof declined[0]; i++) {
        struct phone__result fast;

        assert_false(phone__fast(declined[i][0], strlen(declined[i][0]), declined[i][1], &fast));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms_take_fast_path),
        cmocka_unit_test(test_generated_corpus),
        cmocka_unit_test(test_every_area_code_and_exchange),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
