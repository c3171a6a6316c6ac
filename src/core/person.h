/*
 * Person names: splitting a full name into its parts, fixing the case of names typed in all
 * capitals or all lower case, and joining first and last names. Western name order is
 * assumed (given names, then family name) unless a comma says "Family, Given". Pure functions;
 * thread-safe.
 */
#ifndef PROSPECT_CORE_PERSON_H
#define PROSPECT_CORE_PERSON_H

#include "util/error.h"

#include <stddef.h>

/* Longest name accepted, in bytes; every part fits in PERSON_PART_BUF_SIZE. */
#define PERSON_NAME_MAX_LEN  255
#define PERSON_PART_BUF_SIZE (PERSON_NAME_MAX_LEN + 1)

/* The parts of a name as written (case unchanged, white space collapsed); absent parts are
 * empty strings. */
struct person_name {
    char title[PERSON_PART_BUF_SIZE];  /* "Dr.", "Prof. Dr." */
    char first[PERSON_PART_BUF_SIZE];  /* "John" */
    char middle[PERSON_PART_BUF_SIZE]; /* "Q.", "Ann" */
    char last[PERSON_PART_BUF_SIZE];   /* "Smith", "van der Berg" */
    char suffix[PERSON_PART_BUF_SIZE]; /* "Jr.", "PhD" */
};

/*
 * Splits `len` bytes of UTF-8 full name into `out`:
 *  - "Smith, John Q." and "van der Berg, Mary Ann" are "Family, Given"; a comma followed only
 *    by suffixes ("John Smith, Jr.", "Jane Roe, PhD, MD") is not;
 *  - leading titles (Mr, Mrs, Ms, Miss, Mx, Dr, Prof, Sir, Dame, Rev, Fr, Hon, Judge, Capt,
 *    Col, Gen, Lt, Maj, Sgt, Rabbi, Pastor, Mme, Mlle, Herr, Frau..., with or without a dot)
 *    go to `title`, trailing suffixes (Jr, Sr, II, III, IV, PhD, MD, DDS, Esq, CPA, MBA, RN,
 *    JD, DVM, PE, CFA, CFP, Ret...) to `suffix`;
 *  - of the remaining words the first is `first`, the last is `last` together with the
 *    particles before it (van, von, der, den, de, del, della, di, da, dos, das, du, la, le,
 *    st, ter, ten, bin, ibn), and the words between are `middle` ("Mary Ann van der Berg":
 *    first "Mary", middle "Ann", last "van der Berg"; a double given name is first + middle);
 *  - a single remaining word is `first`, or `last` after a title ("Mr. Smith").
 * PR_INVALID when the name is empty, longer than PERSON_NAME_MAX_LEN, contains control
 * characters or is made only of titles and suffixes.
 */
enum pr_code person_name_split(const char *full, size_t len, struct person_name *out,
                               struct pr_error *err);

/*
 * Writes `text` with sensible capitals when it is all upper case or all lower case
 * ("JOHN SMITH", "john smith" -> "John Smith"): each word is capitalized, also after a hyphen
 * and after a one-letter prefix with an apostrophe ("O'Neil", "D'Angelo"); "Mc" names get a
 * second capital ("McDonald"; not "Mac", which would break Mack and Macy); particles
 * (van, von, der, den, de, del, della, di, da, dos, das, du, la, le, ter, ten) stay lower
 * case between words ("van der Berg", but "Van Morrison" and "John Le"); Roman numerals and
 * degrees after the first word are upper case ("III", "MD"; "PhD"). Text that already mixes
 * upper and lower case, or has no cased letters, is copied unchanged: a person who typed
 * "DeShawn" or "MacKenzie" knows best. Writes a NUL-terminated result into `out`.
 * PR_INVALID when the text is not valid UTF-8, contains control characters (tab aside), is
 * longer than PERSON_NAME_MAX_LEN or does not fit
 * in `out_size`.
 */
enum pr_code person_name_case(const char *text, size_t len, char *out, size_t out_size,
                              struct pr_error *err);

/*
 * Joins a first and a last name (NUL-terminated, either may be NULL or empty) with one space,
 * trimming white space around each: the full name to show. PR_INVALID when both are empty or
 * the result does not fit in `out_size`.
 */
enum pr_code person_name_join(const char *first, const char *last, char *out, size_t out_size,
                              struct pr_error *err);

#endif
