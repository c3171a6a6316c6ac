/*
 * Industry sectors: SIC (1987, with the 1972 major groups 43 and 66 still found in old lists)
 * and NAICS codes mapped onto one list of sector buckets, so scoring and reports can treat
 * leads from either system alike. The mapping and its reasons are in docs/sectors.md.
 * Pure functions; thread-safe.
 */
#ifndef PROSPECT_CORE_SECTOR_H
#define PROSPECT_CORE_SECTOR_H

#include "util/error.h"

/* The buckets follow the NAICS 2-digit sectors (55 "management of companies" folded into
 * professional services); SIC codes are placed by major group and, where SIC groups
 * differently from NAICS, by industry group or industry (software, publishing, waste, rental).
 * SECTOR_UNCLASSIFIED is SIC 99 / NAICS 99. */
enum sector {
    SECTOR_AGRICULTURE,
    SECTOR_MINING,
    SECTOR_UTILITIES,
    SECTOR_CONSTRUCTION,
    SECTOR_MANUFACTURING,
    SECTOR_WHOLESALE,
    SECTOR_RETAIL,
    SECTOR_TRANSPORTATION,
    SECTOR_INFORMATION,
    SECTOR_FINANCE,
    SECTOR_REAL_ESTATE,
    SECTOR_PROFESSIONAL_SERVICES,
    SECTOR_ADMINISTRATIVE_SERVICES,
    SECTOR_EDUCATION,
    SECTOR_HEALTHCARE,
    SECTOR_ARTS_ENTERTAINMENT,
    SECTOR_HOSPITALITY,
    SECTOR_OTHER_SERVICES,
    SECTOR_PUBLIC_ADMINISTRATION,
    SECTOR_UNCLASSIFIED,
    SECTOR_COUNT
};

/*
 * Sector of a SIC code: 2-4 digits, white space trimmed ("7372", "73", "737"). Spreadsheets
 * drop the leading zero of agriculture codes ("0111" -> "111"): a 3-digit code whose first
 * two digits are no SIC major group but whose zero-padded form is ("111" -> "0111") is read
 * as such. PR_INVALID (naming the code) for anything else: not 2-4 digits, or a major group
 * that does not exist (03-06, 11, 18, 19, 68, 69, 71, 74, 77, 85, 90, 98).
 */
enum pr_code sector_from_sic(const char *sic, enum sector *out, struct pr_error *err);

/*
 * Sector of a NAICS code: 2-6 digits, white space trimmed ("541511", "54"). PR_INVALID
 * (naming the code) when it is not 2-6 digits or its first two digits are no NAICS sector
 * (11, 21, 22, 23, 31-33, 42, 44-45, 48-49, 51-56, 61, 62, 71, 72, 81, 92, 99).
 */
enum pr_code sector_from_naics(const char *naics, enum sector *out, struct pr_error *err);

/* Stable snake_case name of a sector ("professional_services"), used in the database, the
 * ICP file and exports. "unknown" for a value out of range; never NULL. */
const char *sector_name(enum sector sector);

/* The sector named `name` (as sector_name gives it; case-insensitive). PR_INVALID naming the
 * unknown name otherwise. */
enum pr_code sector_parse(const char *name, enum sector *out, struct pr_error *err);

#endif
