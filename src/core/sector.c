/*
 * SIC and NAICS codes to sector buckets. Hand-written tables: no library carries either
 * classification. A code is looked up by its longest listed prefix, so the general rule for a
 * major group and its exceptions (SIC 737 "computer services" inside 73 "business services")
 * sit side by side. docs/sectors.md explains every exception.
 */
#include "core/sector.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

struct prefix_rule {
    const char *prefix;
    enum sector sector;
};

/* Every SIC major group that exists, then the finer exceptions. */
static const struct prefix_rule sic_rules[] = {
    /* Division A: agriculture, forestry, fishing. */
    {"01", SECTOR_AGRICULTURE},
    {"02", SECTOR_AGRICULTURE},
    {"07", SECTOR_AGRICULTURE},
    {"08", SECTOR_AGRICULTURE},
    {"09", SECTOR_AGRICULTURE},
    /* B: mining. */
    {"10", SECTOR_MINING},
    {"12", SECTOR_MINING},
    {"13", SECTOR_MINING},
    {"14", SECTOR_MINING},
    /* C: construction. */
    {"15", SECTOR_CONSTRUCTION},
    {"16", SECTOR_CONSTRUCTION},
    {"17", SECTOR_CONSTRUCTION},
    /* D: manufacturing (20-39); publishing is information in NAICS (511). */
    {"20", SECTOR_MANUFACTURING},
    {"21", SECTOR_MANUFACTURING},
    {"22", SECTOR_MANUFACTURING},
    {"23", SECTOR_MANUFACTURING},
    {"24", SECTOR_MANUFACTURING},
    {"25", SECTOR_MANUFACTURING},
    {"26", SECTOR_MANUFACTURING},
    {"27", SECTOR_MANUFACTURING},
    {"271", SECTOR_INFORMATION},
    {"272", SECTOR_INFORMATION},
    {"273", SECTOR_INFORMATION},
    {"274", SECTOR_INFORMATION},
    {"28", SECTOR_MANUFACTURING},
    {"29", SECTOR_MANUFACTURING},
    {"30", SECTOR_MANUFACTURING},
    {"31", SECTOR_MANUFACTURING},
    {"32", SECTOR_MANUFACTURING},
    {"33", SECTOR_MANUFACTURING},
    {"34", SECTOR_MANUFACTURING},
    {"35", SECTOR_MANUFACTURING},
    {"36", SECTOR_MANUFACTURING},
    {"37", SECTOR_MANUFACTURING},
    {"38", SECTOR_MANUFACTURING},
    {"39", SECTOR_MANUFACTURING},
    /* E: transportation (40-47), communications (48: information), utilities (49). */
    {"40", SECTOR_TRANSPORTATION},
    {"41", SECTOR_TRANSPORTATION},
    {"42", SECTOR_TRANSPORTATION},
    {"43", SECTOR_TRANSPORTATION},
    {"44", SECTOR_TRANSPORTATION},
    {"45", SECTOR_TRANSPORTATION},
    {"46", SECTOR_TRANSPORTATION},
    {"47", SECTOR_TRANSPORTATION},
    {"48", SECTOR_INFORMATION},
    {"49", SECTOR_UTILITIES},
    {"4953", SECTOR_ADMINISTRATIVE_SERVICES},
    {"4959", SECTOR_ADMINISTRATIVE_SERVICES},
    /* F: wholesale. */
    {"50", SECTOR_WHOLESALE},
    {"51", SECTOR_WHOLESALE},
    /* G: retail; eating and drinking places are food services (NAICS 722). */
    {"52", SECTOR_RETAIL},
    {"53", SECTOR_RETAIL},
    {"54", SECTOR_RETAIL},
    {"55", SECTOR_RETAIL},
    {"56", SECTOR_RETAIL},
    {"57", SECTOR_RETAIL},
    {"58", SECTOR_HOSPITALITY},
    {"59", SECTOR_RETAIL},
    /* H: finance, insurance, real estate. */
    {"60", SECTOR_FINANCE},
    {"61", SECTOR_FINANCE},
    {"62", SECTOR_FINANCE},
    {"63", SECTOR_FINANCE},
    {"64", SECTOR_FINANCE},
    {"65", SECTOR_REAL_ESTATE},
    {"66", SECTOR_REAL_ESTATE},
    {"67", SECTOR_FINANCE},
    /* I: services. */
    {"70", SECTOR_HOSPITALITY},
    {"72", SECTOR_OTHER_SERVICES},
    {"73", SECTOR_ADMINISTRATIVE_SERVICES},
    {"731", SECTOR_PROFESSIONAL_SERVICES},
    {"735", SECTOR_REAL_ESTATE},
    {"737", SECTOR_PROFESSIONAL_SERVICES},
    {"7372", SECTOR_INFORMATION},
    {"7374", SECTOR_INFORMATION},
    {"7375", SECTOR_INFORMATION},
    {"7377", SECTOR_REAL_ESTATE},
    {"7378", SECTOR_OTHER_SERVICES},
    {"75", SECTOR_OTHER_SERVICES},
    {"751", SECTOR_REAL_ESTATE},
    {"76", SECTOR_OTHER_SERVICES},
    {"78", SECTOR_INFORMATION},
    {"784", SECTOR_REAL_ESTATE},
    {"79", SECTOR_ARTS_ENTERTAINMENT},
    {"80", SECTOR_HEALTHCARE},
    {"81", SECTOR_PROFESSIONAL_SERVICES},
    {"82", SECTOR_EDUCATION},
    {"83", SECTOR_HEALTHCARE},
    {"84", SECTOR_ARTS_ENTERTAINMENT},
    {"86", SECTOR_OTHER_SERVICES},
    {"87", SECTOR_PROFESSIONAL_SERVICES},
    {"8744", SECTOR_ADMINISTRATIVE_SERVICES},
    {"88", SECTOR_OTHER_SERVICES},
    {"89", SECTOR_PROFESSIONAL_SERVICES},
    /* J: public administration. */
    {"91", SECTOR_PUBLIC_ADMINISTRATION},
    {"92", SECTOR_PUBLIC_ADMINISTRATION},
    {"93", SECTOR_PUBLIC_ADMINISTRATION},
    {"94", SECTOR_PUBLIC_ADMINISTRATION},
    {"95", SECTOR_PUBLIC_ADMINISTRATION},
    {"96", SECTOR_PUBLIC_ADMINISTRATION},
    {"97", SECTOR_PUBLIC_ADMINISTRATION},
    /* K: nonclassifiable establishments. */
    {"99", SECTOR_UNCLASSIFIED},
};

static const struct prefix_rule naics_rules[] = {
    {"11", SECTOR_AGRICULTURE},
    {"21", SECTOR_MINING},
    {"22", SECTOR_UTILITIES},
    {"23", SECTOR_CONSTRUCTION},
    {"31", SECTOR_MANUFACTURING},
    {"32", SECTOR_MANUFACTURING},
    {"33", SECTOR_MANUFACTURING},
    {"42", SECTOR_WHOLESALE},
    {"44", SECTOR_RETAIL},
    {"45", SECTOR_RETAIL},
    {"48", SECTOR_TRANSPORTATION},
    {"49", SECTOR_TRANSPORTATION},
    {"51", SECTOR_INFORMATION},
    {"52", SECTOR_FINANCE},
    {"53", SECTOR_REAL_ESTATE},
    {"54", SECTOR_PROFESSIONAL_SERVICES},
    {"55", SECTOR_PROFESSIONAL_SERVICES},
    {"56", SECTOR_ADMINISTRATIVE_SERVICES},
    {"61", SECTOR_EDUCATION},
    {"62", SECTOR_HEALTHCARE},
    {"71", SECTOR_ARTS_ENTERTAINMENT},
    {"72", SECTOR_HOSPITALITY},
    {"81", SECTOR_OTHER_SERVICES},
    {"92", SECTOR_PUBLIC_ADMINISTRATION},
    {"99", SECTOR_UNCLASSIFIED},
};

static const char *const sector_names[SECTOR_COUNT] = {
    [SECTOR_AGRICULTURE] = "agriculture",
    [SECTOR_MINING] = "mining",
    [SECTOR_UTILITIES] = "utilities",
    [SECTOR_CONSTRUCTION] = "construction",
    [SECTOR_MANUFACTURING] = "manufacturing",
    [SECTOR_WHOLESALE] = "wholesale",
    [SECTOR_RETAIL] = "retail",
    [SECTOR_TRANSPORTATION] = "transportation",
    [SECTOR_INFORMATION] = "information",
    [SECTOR_FINANCE] = "finance",
    [SECTOR_REAL_ESTATE] = "real_estate",
    [SECTOR_PROFESSIONAL_SERVICES] = "professional_services",
    [SECTOR_ADMINISTRATIVE_SERVICES] = "administrative_services",
    [SECTOR_EDUCATION] = "education",
    [SECTOR_HEALTHCARE] = "healthcare",
    [SECTOR_ARTS_ENTERTAINMENT] = "arts_entertainment",
    [SECTOR_HOSPITALITY] = "hospitality",
    [SECTOR_OTHER_SERVICES] = "other_services",
    [SECTOR_PUBLIC_ADMINISTRATION] = "public_administration",
    [SECTOR_UNCLASSIFIED] = "unclassified",
};

/* Copies the trimmed code into `digits` if it is min_len..max_len ASCII digits; returns its
 * length, or 0. */
static size_t code_digits(const char *text, size_t min_len, size_t max_len, char digits[8])
{
    const char *p = text;
    size_t n = 0;

    while (*p == ' ' || *p == '\t')
        p++;
    while (*p >= '0' && *p <= '9') {
        if (n >= max_len)
            return 0;
        digits[n++] = *p++;
    }
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p != '\0' || n < min_len)
        return 0;
    digits[n] = '\0';
    return n;
}

/* The rule with the longest prefix of `code`, or NULL when not even its first two digits are
 * listed. */
static const struct prefix_rule *longest_rule(const struct prefix_rule *rules, size_t n_rules,
                                              const char *code)
{
    const struct prefix_rule *best = NULL;
    size_t i, best_len = 0;

    for (i = 0; i < n_rules; i++) {
        size_t len = strlen(rules[i].prefix);

        if (len > best_len && strncmp(code, rules[i].prefix, len) == 0) {
            best = &rules[i];
            best_len = len;
        }
    }
    return best;
}

enum pr_code sector_from_sic(const char *sic, enum sector *out, struct pr_error *err)
{
    char digits[8], padded[8];
    const struct prefix_rule *rule;
    size_t n = code_digits(sic, 2, 4, digits);

    if (n == 0) {
        pr_error_set(err, PR_INVALID, "SIC code must be 2 to 4 digits");
        return pr_error_detail(err, "got \"%.32s\"", sic);
    }
    rule = longest_rule(sic_rules, N_ELEMENTS(sic_rules), digits);
    if (rule == NULL && n == 3) {
        /* "111" is 0111 (wheat) with its leading zero lost, if 01 is a major group. */
        padded[0] = '0';
        memcpy(padded + 1, digits, 4);
        rule = longest_rule(sic_rules, N_ELEMENTS(sic_rules), padded);
    }
    if (rule == NULL)
        return pr_error_set(err, PR_INVALID, "SIC code %s has no known major group", digits);
    *out = rule->sector;
    return PR_OK;
}

enum pr_code sector_from_naics(const char *naics, enum sector *out, struct pr_error *err)
{
    char digits[8];
    const struct prefix_rule *rule;
    size_t n = code_digits(naics, 2, 6, digits);

    if (n == 0) {
        pr_error_set(err, PR_INVALID, "NAICS code must be 2 to 6 digits");
        return pr_error_detail(err, "got \"%.32s\"", naics);
    }
    rule = longest_rule(naics_rules, N_ELEMENTS(naics_rules), digits);
    if (rule == NULL)
        return pr_error_set(err, PR_INVALID, "NAICS code %s has no known sector", digits);
    *out = rule->sector;
    return PR_OK;
}

const char *sector_name(enum sector sector)
{
    if ((unsigned)sector >= SECTOR_COUNT)
        return "unknown";
    return sector_names[sector];
}

enum pr_code sector_parse(const char *name, enum sector *out, struct pr_error *err)
{
    size_t i;

    for (i = 0; i < SECTOR_COUNT; i++) {
        if (strcasecmp(name, sector_names[i]) == 0) {
            *out = (enum sector)i;
            return PR_OK;
        }
    }
    pr_error_set(err, PR_INVALID, "unknown sector \"%.64s\"", name);
    return pr_error_hint(err, "use one of the names in docs/sectors.md");
}
