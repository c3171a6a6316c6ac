/*
 * US states, ZIP5 and ISO country codes.
 *
 * The state table is hand-written because no library on the machine carries USPS codes with
 * their AP abbreviations. The country table is built from ICU's locale data on first use
 * (pthread_once; read-only afterwards, so lookups from any thread need no lock), plus a short
 * list of aliases that ICU does not know as names.
 */
#include "core/address.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* Longest input examined; no state or country name is longer. */
#define ADDRESS_INPUT_MAX 128

struct code_entry {
    const char *key; /* lower-case letters and digits only */
    const char *code;
};

/* Sorted by key (strcmp) for bsearch: a misplaced key would be missed, which address_test.c's
 * code and name tables would catch. Keys are codes, names and AP abbreviations with
 * everything but letters and digits removed. */
static const struct code_entry us_states[] = {
    {"aa", "AA"},
    {"ae", "AE"},
    {"ak", "AK"},
    {"al", "AL"},
    {"ala", "AL"},
    {"alabama", "AL"},
    {"alaska", "AK"},
    {"americansamoa", "AS"},
    {"ap", "AP"},
    {"ar", "AR"},
    {"ariz", "AZ"},
    {"arizona", "AZ"},
    {"ark", "AR"},
    {"arkansas", "AR"},
    {"armedforcesafrica", "AE"},
    {"armedforcesamericas", "AA"},
    {"armedforcescanada", "AE"},
    {"armedforceseurope", "AE"},
    {"armedforcesmiddleeast", "AE"},
    {"armedforcespacific", "AP"},
    {"as", "AS"},
    {"az", "AZ"},
    {"ca", "CA"},
    {"cal", "CA"},
    {"calif", "CA"},
    {"california", "CA"},
    {"co", "CO"},
    {"colo", "CO"},
    {"colorado", "CO"},
    {"commonwealthofthenorthernmarianaislands", "MP"},
    {"conn", "CT"},
    {"connecticut", "CT"},
    {"ct", "CT"},
    {"dc", "DC"},
    {"de", "DE"},
    {"del", "DE"},
    {"delaware", "DE"},
    {"distofcolumbia", "DC"},
    {"districtofcolumbia", "DC"},
    {"federatedstatesofmicronesia", "FM"},
    {"fl", "FL"},
    {"fla", "FL"},
    {"florida", "FL"},
    {"fm", "FM"},
    {"ga", "GA"},
    {"georgia", "GA"},
    {"gu", "GU"},
    {"guam", "GU"},
    {"hawaii", "HI"},
    {"hi", "HI"},
    {"ia", "IA"},
    {"id", "ID"},
    {"idaho", "ID"},
    {"il", "IL"},
    {"ill", "IL"},
    {"illinois", "IL"},
    {"in", "IN"},
    {"ind", "IN"},
    {"indiana", "IN"},
    {"iowa", "IA"},
    {"kan", "KS"},
    {"kans", "KS"},
    {"kansas", "KS"},
    {"kentucky", "KY"},
    {"ks", "KS"},
    {"ky", "KY"},
    {"la", "LA"},
    {"louisiana", "LA"},
    {"ma", "MA"},
    {"maine", "ME"},
    {"marshallislands", "MH"},
    {"maryland", "MD"},
    {"mass", "MA"},
    {"massachusetts", "MA"},
    {"md", "MD"},
    {"me", "ME"},
    {"mh", "MH"},
    {"mi", "MI"},
    {"mich", "MI"},
    {"michigan", "MI"},
    {"micronesia", "FM"},
    {"minn", "MN"},
    {"minnesota", "MN"},
    {"miss", "MS"},
    {"mississippi", "MS"},
    {"missouri", "MO"},
    {"mn", "MN"},
    {"mo", "MO"},
    {"mont", "MT"},
    {"montana", "MT"},
    {"mp", "MP"},
    {"ms", "MS"},
    {"mt", "MT"},
    {"nc", "NC"},
    {"nd", "ND"},
    {"ndak", "ND"},
    {"ne", "NE"},
    {"neb", "NE"},
    {"nebr", "NE"},
    {"nebraska", "NE"},
    {"nev", "NV"},
    {"nevada", "NV"},
    {"newhampshire", "NH"},
    {"newjersey", "NJ"},
    {"newmexico", "NM"},
    {"newyork", "NY"},
    {"nh", "NH"},
    {"nj", "NJ"},
    {"nm", "NM"},
    {"nmex", "NM"},
    {"northcarolina", "NC"},
    {"northdakota", "ND"},
    {"northernmarianaislands", "MP"},
    {"northernmarianas", "MP"},
    {"nv", "NV"},
    {"ny", "NY"},
    {"oh", "OH"},
    {"ohio", "OH"},
    {"ok", "OK"},
    {"okla", "OK"},
    {"oklahoma", "OK"},
    {"or", "OR"},
    {"ore", "OR"},
    {"oreg", "OR"},
    {"oregon", "OR"},
    {"pa", "PA"},
    {"palau", "PW"},
    {"penn", "PA"},
    {"penna", "PA"},
    {"pennsylvania", "PA"},
    {"pr", "PR"},
    {"puertorico", "PR"},
    {"pw", "PW"},
    {"rhodeisland", "RI"},
    {"ri", "RI"},
    {"sc", "SC"},
    {"sd", "SD"},
    {"sdak", "SD"},
    {"southcarolina", "SC"},
    {"southdakota", "SD"},
    {"tenn", "TN"},
    {"tennessee", "TN"},
    {"tex", "TX"},
    {"texas", "TX"},
    {"tn", "TN"},
    {"tx", "TX"},
    {"um", "UM"},
    {"unitedstatesminoroutlyingislands", "UM"},
    {"unitedstatesvirginislands", "VI"},
    {"usminoroutlyingislands", "UM"},
    {"usvirginislands", "VI"},
    {"ut", "UT"},
    {"utah", "UT"},
    {"va", "VA"},
    {"vermont", "VT"},
    {"vi", "VI"},
    {"virginia", "VA"},
    {"virginislands", "VI"},
    {"vt", "VT"},
    {"wa", "WA"},
    {"wash", "WA"},
    {"washington", "WA"},
    {"washingtondc", "DC"},
    {"westvirginia", "WV"},
    {"wi", "WI"},
    {"wis", "WI"},
    {"wisc", "WI"},
    {"wisconsin", "WI"},
    {"wv", "WV"},
    {"wva", "WV"},
    {"wy", "WY"},
    {"wyo", "WY"},
    {"wyoming", "WY"},
};

static int compare_entry_key(const void *key, const void *element)
{
    return strcmp((const char *)key, ((const struct code_entry *)element)->key);
}

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

bool address_us_state(const char *text, char out[3])
{
    char key[ADDRESS_INPUT_MAX];
    const struct code_entry *found;
    size_t n = 0;
    const char *p;

    out[0] = '\0';
    for (p = text; *p != '\0'; p++) {
        char c = *p;

        if (is_ascii_space(c) || c == '.' || c == '-' || c == ',' || c == '\'')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) || n + 1 >= sizeof key)
            return false;
        key[n++] = c;
    }
    key[n] = '\0';
    found = bsearch(key, us_states, N_ELEMENTS(us_states), sizeof us_states[0], compare_entry_key);
    if (found == NULL)
        return false;
    memcpy(out, found->code, 3);
    return true;
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Length of the run of digits at s. */
static size_t digit_run(const char *s)
{
    size_t n = 0;

    while (is_digit(s[n]))
        n++;
    return n;
}

bool address_zip5(const char *text, char out[6])
{
    const char *p = text;
    size_t len, first, second = 0, i;
    char padded[10];

    out[0] = '\0';
    while (is_ascii_space(*p))
        p++;
    len = strlen(p);
    while (len > 0 && is_ascii_space(p[len - 1]))
        len--;
    first = digit_run(p);
    if (first < len && (p[first] == '-' || p[first] == ' ') && first >= 3 && first <= 5) {
        second = digit_run(p + first + 1);
        if (second != 4 || first + 1 + second != len)
            return false;
    } else if (first < len && p[first] == '.' && first + 1 < len) {
        /* "2134.0": a ZIP that went through a floating-point column. */
        for (i = first + 1; i < len; i++)
            if (p[i] != '0')
                return false;
    } else if (first != len) {
        return false;
    }
    if (second == 4 || (first >= 3 && first <= 5)) {
        memset(padded, '0', 5);
        memcpy(padded + 5 - first, p, first);
    } else if (first >= 7 && first <= 9) {
        memset(padded, '0', 9);
        memcpy(padded + 9 - first, p, first);
    } else {
        return false;
    }
    if (memcmp(padded, "00000", 5) == 0)
        return false;
    memcpy(out, padded, 5);
    out[5] = '\0';
    return true;
}

/* ---- countries ---- */

#define COUNTRY_KEY_SIZE    96
#define MAX_COUNTRY_ENTRIES 1400

enum rank { RANK_ALPHA2, RANK_ALIAS, RANK_ALPHA3, RANK_ENGLISH, RANK_NATIVE };

struct country_entry {
    char key[COUNTRY_KEY_SIZE];
    char code[3];
    unsigned short rank;
    unsigned short order;
};

static const struct {
    const char *name;
    const char *code;
} country_aliases[] = {
    {"USA", "US"},
    {"United States of America", "US"},
    {"America", "US"},
    {"UK", "GB"},
    {"Great Britain", "GB"},
    {"Britain", "GB"},
    {"England", "GB"},
    {"Scotland", "GB"},
    {"Wales", "GB"},
    {"Northern Ireland", "GB"},
    {"United Kingdom of Great Britain and Northern Ireland", "GB"},
    {"Holland", "NL"},
    {"Korea", "KR"},
    {"Republic of Korea", "KR"},
    {"DPRK", "KP"},
    {"Ivory Coast", "CI"},
    {"Czech Republic", "CZ"},
    {"Burma", "MM"},
    {"Myanmar", "MM"},
    {"UAE", "AE"},
    {"Russian Federation", "RU"},
    {"Turkey", "TR"},
    {"Türkiye", "TR"},
    {"Vatican", "VA"},
    {"Holy See", "VA"},
    {"Swaziland", "SZ"},
    {"Macedonia", "MK"},
    {"East Timor", "TL"},
    {"Palestine", "PS"},
    {"Democratic Republic of the Congo", "CD"},
    {"DR Congo", "CD"},
    {"DRC", "CD"},
    {"Republic of the Congo", "CG"},
    {"Hong Kong", "HK"},
    {"Macau", "MO"},
    {"Macao", "MO"},
    {"People's Republic of China", "CN"},
    {"PRC", "CN"},
    {"Viet Nam", "VN"},
    {"Bosnia", "BA"},
    {"Saint Vincent and the Grenadines", "VC"},
    {"Heard Island and McDonald Islands", "HM"},
    {"Suisse", "CH"},
    {"Svizzera", "CH"},
    {"KSA", "SA"},
    {"Kingdom of Saudi Arabia", "SA"},
    {"Republic of Ireland", "IE"},
    {"Eire", "IE"},
    {"Falkland Islands", "FK"},
    {"Micronesia", "FM"},
    {"Federated States of Micronesia", "FM"},
    {"US Virgin Islands", "VI"},
    {"British Virgin Islands", "VG"},
    {"Trinidad", "TT"},
    {"Antigua", "AG"},
    {"Lao PDR", "LA"},
};

static struct country_entry *country_table;
static size_t n_country_entries;
static pthread_once_t country_once = PTHREAD_ONCE_INIT;
static struct country_entry country_storage[MAX_COUNTRY_ENTRIES];

static bool is_joiner(UChar32 c)
{
    return c == '.' || c == '\'' || c == '`' || c == 0x2018 || c == 0x2019 || c == 0x02BC;
}

/* Builds the lookup key of a name from UTF-16: compatibility forms and case folded, accents
 * dropped, words of letters and digits kept, "&" read as "and", "st" as "saint", a leading
 * "the" dropped, and the words concatenated. False when nothing is left or the key is too
 * long. */
static bool key_from_utf16(const UChar *name, int32_t n, char key[COUNTRY_KEY_SIZE])
{
    UErrorCode status = U_ZERO_ERROR;
    const UNormalizer2 *nfkc_cf = unorm2_getNFKCCasefoldInstance(&status);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&status);
    UChar folded[ADDRESS_INPUT_MAX * 4], decomposed[ADDRESS_INPUT_MAX * 8];
    int32_t n_folded, n_decomposed, i = 0, key_len = 0, word_start = 0, word_index = 0;
    int32_t st_start = -1;
    UBool is_error = false;

    if (U_FAILURE(status))
        return false;
    n_folded = unorm2_normalize(nfkc_cf, name, n, folded, (int32_t)N_ELEMENTS(folded), &status);
    n_decomposed = unorm2_normalize(nfd, folded, n_folded, decomposed,
                                    (int32_t)N_ELEMENTS(decomposed), &status);
    if (U_FAILURE(status))
        return false;
    /* One more round than there are code points, to close the last word. */
    for (;;) {
        UChar32 c = 0;
        bool at_end = i >= n_decomposed;

        if (!at_end)
            U16_NEXT(decomposed, i, n_decomposed, c);
        if (!at_end && (U_GET_GC_MASK(c) & (U_GC_MN_MASK | U_GC_ME_MASK)))
            continue;
        if (!at_end && is_joiner(c))
            continue;
        if (!at_end && c != '&' && (u_isalnum(c) || (U_GET_GC_MASK(c) & U_GC_MC_MASK))) {
            /* U8_APPEND checks the capacity only for multi-byte sequences. */
            if (key_len + U8_LENGTH(c) >= COUNTRY_KEY_SIZE)
                return false;
            U8_APPEND((uint8_t *)key, key_len, COUNTRY_KEY_SIZE - 1, c, is_error);
            if (is_error)
                return false;
            continue;
        }
        /* A word ended at key[word_start, key_len). */
        if (key_len > word_start) {
            int32_t word_len = key_len - word_start;

            if (st_start >= 0) {
                /* "st" followed by a word is "saint"; alone it is the code ST. */
                if (key_len + 3 >= COUNTRY_KEY_SIZE)
                    return false;
                memmove(key + st_start + 5, key + st_start + 2, (size_t)(key_len - st_start - 2));
                memcpy(key + st_start, "saint", 5);
                key_len += 3;
                word_start += 3;
                st_start = -1;
            }
            if (word_index == 0 && word_len == 3 && memcmp(key + word_start, "the", 3) == 0)
                key_len = word_start; /* a leading "the" */
            else if (word_len == 2 && memcmp(key + word_start, "st", 2) == 0)
                st_start = word_start;
            word_index++;
            word_start = key_len;
        }
        if (at_end)
            break;
        if (c == '&') {
            if (key_len + 3 >= COUNTRY_KEY_SIZE)
                return false;
            memcpy(key + key_len, "and", 3);
            key_len += 3;
            word_index++;
            word_start = key_len;
        }
    }
    key[key_len] = '\0';
    return key_len > 0;
}

static bool key_from_utf8(const char *text, size_t len, char key[COUNTRY_KEY_SIZE])
{
    UChar wide[ADDRESS_INPUT_MAX];
    UErrorCode status = U_ZERO_ERROR;
    int32_t n = 0;

    if (len >= ADDRESS_INPUT_MAX)
        return false;
    u_strFromUTF8(wide, (int32_t)N_ELEMENTS(wide), &n, text, (int32_t)len, &status);
    if (U_FAILURE(status))
        return false;
    return key_from_utf16(wide, n, key);
}

static void add_entry(const char *key, const char *code, enum rank rank)
{
    struct country_entry *e;

    if (n_country_entries >= MAX_COUNTRY_ENTRIES)
        return;
    e = &country_storage[n_country_entries];
    (void)snprintf(e->key, sizeof e->key, "%s", key);
    memcpy(e->code, code, 3);
    e->rank = (unsigned short)rank;
    e->order = (unsigned short)n_country_entries;
    n_country_entries++;
}

static void add_utf16_name(const UChar *name, int32_t n, const char *code, enum rank rank)
{
    char key[COUNTRY_KEY_SIZE];

    if (key_from_utf16(name, n, key))
        add_entry(key, code, rank);
}

static int compare_entries(const void *a, const void *b)
{
    const struct country_entry *x = a, *y = b;
    int by_key = strcmp(x->key, y->key);

    if (by_key != 0)
        return by_key;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

static void country_table_build(void)
{
    const char *const *codes = uloc_getISOCountries();
    size_t i, kept = 0;

    for (; *codes != NULL; codes++) {
        char locale[16], likely[ULOC_FULLNAME_CAPACITY], language[ULOC_LANG_CAPACITY];
        char lower[3];
        UChar name[128];
        UErrorCode status = U_ZERO_ERROR;
        const char *alpha3;
        int32_t n;

        if (strlen(*codes) != 2)
            continue;
        lower[0] = (char)((*codes)[0] - 'A' + 'a');
        lower[1] = (char)((*codes)[1] - 'A' + 'a');
        lower[2] = '\0';
        add_entry(lower, *codes, RANK_ALPHA2);
        (void)snprintf(locale, sizeof locale, "und_%s", *codes);
        alpha3 = uloc_getISO3Country(locale);
        if (alpha3 != NULL && strlen(alpha3) == 3) {
            char key[4];

            for (i = 0; i < 3; i++)
                key[i] = (char)(alpha3[i] >= 'A' && alpha3[i] <= 'Z' ? alpha3[i] - 'A' + 'a'
                                                                     : alpha3[i]);
            key[3] = '\0';
            add_entry(key, *codes, RANK_ALPHA3);
        }
        n = uloc_getDisplayCountry(locale, "en", name, (int32_t)N_ELEMENTS(name), &status);
        if (status == U_ZERO_ERROR)
            add_utf16_name(name, n, *codes, RANK_ENGLISH);
        status = U_ZERO_ERROR;
        uloc_addLikelySubtags(locale, likely, (int32_t)sizeof likely, &status);
        uloc_getLanguage(likely, language, (int32_t)sizeof language, &status);
        if (U_FAILURE(status) || language[0] == '\0')
            continue;
        n = uloc_getDisplayCountry(locale, language, name, (int32_t)N_ELEMENTS(name), &status);
        /* A warning means ICU fell back to another language or to the bare code. */
        if (status == U_ZERO_ERROR)
            add_utf16_name(name, n, *codes, RANK_NATIVE);
    }
    for (i = 0; i < N_ELEMENTS(country_aliases); i++) {
        char key[COUNTRY_KEY_SIZE];

        if (key_from_utf8(country_aliases[i].name, strlen(country_aliases[i].name), key))
            add_entry(key, country_aliases[i].code, RANK_ALIAS);
    }
    qsort(country_storage, n_country_entries, sizeof country_storage[0], compare_entries);
    /* Keep the best-ranked entry of every key. */
    for (i = 0; i < n_country_entries; i++) {
        if (kept > 0 && strcmp(country_storage[kept - 1].key, country_storage[i].key) == 0)
            continue;
        country_storage[kept++] = country_storage[i];
    }
    n_country_entries = kept;
    country_table = country_storage;
}

static int compare_country_key(const void *key, const void *element)
{
    return strcmp((const char *)key, ((const struct country_entry *)element)->key);
}

bool address_country_iso2(const char *text, char out[3])
{
    char key[COUNTRY_KEY_SIZE];
    const struct country_entry *found;

    out[0] = '\0';
    (void)pthread_once(&country_once, country_table_build);
    if (!key_from_utf8(text, strlen(text), key))
        return false;
    found = bsearch(key, country_table, n_country_entries, sizeof country_table[0],
                    compare_country_key);
    if (found == NULL)
        return false;
    memcpy(out, found->code, 3);
    return true;
}
