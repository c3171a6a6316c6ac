/*
 * Postal address parts: US state codes, ZIP5 and ISO 3166-1 alpha-2 country codes from the
 * forms they take in lead files. Each function returns true and writes a NUL-terminated code,
 * or returns false (with `out` set to "") when the text is not recognized: an unrecognized
 * state or country is a missing value for the caller, not an error. Pure; thread-safe.
 */
#ifndef PROSPECT_CORE_ADDRESS_H
#define PROSPECT_CORE_ADDRESS_H

#include <stdbool.h>

/*
 * US state or territory from its USPS code ("ca", "N.Y."), its name ("new york", "NEWYORK",
 * "Washington, D.C.") or its AP abbreviation ("Calif.", "Mass.", "N.Dak."), insensitive to
 * case, spaces, dots, hyphens and commas. Covers the 50 states, DC, the territories (AS, GU,
 * MP, PR, VI, UM), the freely associated states that use US ZIP codes (FM, MH, PW) and the
 * military "states" (AA, AE, AP).
 */
bool address_us_state(const char *text, char out[3]);

/*
 * ZIP5 from a US ZIP or ZIP+4, white space trimmed: "02134", "02134-1234", "02134 1234",
 * "021341234". Spreadsheets store ZIPs as numbers and drop leading zeros, so 3-4 digits are
 * padded ("2134" -> "02134", "601" -> "00601", Puerto Rico) and so are 7-8 digit ZIP+4
 * ("21341234" -> "02134"); a number rendered with a decimal part of zeros ("2134.0") is read
 * the same way. Everything else is rejected, including 1-2, 6 and 10+ digits and "00000".
 */
bool address_zip5(const char *text, char out[6]);

/*
 * ISO 3166-1 alpha-2 country code (upper case) from, in this order of precedence: an alpha-2
 * code ("us", "DE"), an alias ("UK", "USA", "U.S.A.", "America", "Great Britain", "England",
 * "Holland", "South Korea", "Ivory Coast", "Czech Republic", "Burma", "UAE", "Russia",
 * "Türkiye"/"Turkey"...), an alpha-3 code ("DEU"), the English name ("Germany", "United States",
 * "Côte d’Ivoire") or the name in the country's own main language ("Deutschland", "España",
 * "Österreich", "Sverige"). Insensitive to case, accents, spaces and punctuation, and '&' is
 * read as "and" and a leading "the" ignored ("The Netherlands"). Codes and names come from
 * ICU's locale data (uloc_getISOCountries, uloc_getISO3Country, uloc_getDisplayCountry),
 * built once on first use.
 */
bool address_country_iso2(const char *text, char out[3]);

#endif
