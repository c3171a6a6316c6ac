/*
 * Identity and similarity: string similarity measures (Jaro-Winkler, trigram Jaccard), the
 * identity keys the importer looks records up by, the fuzzy company test and its blocking keys.
 * Pure functions; the importer owns lookups and storage.
 *
 * Similarities compare Unicode code points exactly (decoded from UTF-8; an invalid byte counts
 * as one character of its own), so callers pass folded text (core's company-name and person-name
 * folding). Both measures are symmetric, lie in [0, 1] and give 1 for equal strings. Only the
 * first MATCH_MAX_CHARS code points of each string are compared, which bounds the cost
 * (Jaro-Winkler is quadratic) on untrusted input; names are far shorter.
 */
#ifndef PROSPECT_CORE_MATCH_H
#define PROSPECT_CORE_MATCH_H

#include "util/arena.h"

#include <stdbool.h>
#include <stddef.h>

#define MATCH_MAX_CHARS 256

/* Default for the fuzzy company threshold, which the caller takes from config. */
#define MATCH_DEFAULT_COMPANY_THRESHOLD 0.92

/* Jaro-Winkler similarity: Jaro's measure plus Winkler's bonus for a common prefix (scale 0.1,
 * at most 4 characters, applied when the Jaro similarity exceeds 0.7, as Winkler defined it).
 * Two empty strings give 1, one empty string gives 0. NULL is taken as empty. */
double match_jaro_winkler(const char *a, size_t a_len, const char *b, size_t b_len);

/* Jaccard similarity of the sets of character trigrams of the two strings, each padded with two
 * spaces in front and one behind (as PostgreSQL's pg_trgm pads words), so short strings and
 * word starts weigh in: |A and B| / |A or B|. Two empty strings give 1, one gives 0. */
double match_trigram_similarity(const char *a, size_t a_len, const char *b, size_t b_len);

/* Similarity of two folded company names (NUL-terminated), in [0, 1]:
 *     min(jaro_winkler, trigram + 0.3)
 * Jaro-Winkler carries the score, as it forgives the typos and plural endings of one name
 * ("acme holdings" / "acme holding": 0.985), but it rewards a long common prefix even when a
 * whole word differs ("first national foods group" / "first national roofing group": 0.948).
 * The trigram similarity falls fast when whole words differ (0.556 there, so the pair scores
 * 0.856) and only by about three trigrams per typo, so capping Jaro-Winkler at trigram + 0.3
 * removes most prefix-only matches while keeping single typos in names of ten or more
 * characters. On a synthetic set of 600 company names at threshold 0.92 this kept 95% of
 * one-typo and all plural variants, and cut false matches between distinct names of the same
 * block from 70 to 26 of 3696 pairs (Jaro-Winkler alone: 97%, 70 false). Character measures
 * cannot tell a changed last word from two typos: "first national bank of texas" / "... of
 * ohio" still scores 0.935; the state in the blocking key keeps such pairs apart. An empty name
 * on either side gives 0. */
double match_company_similarity(const char *folded_a, const char *folded_b);

/* True when match_company_similarity() >= threshold (the configured value, in [0, 1]; default
 * MATCH_DEFAULT_COMPANY_THRESHOLD). Empty names never match. */
bool match_company_fuzzy(const char *folded_a, const char *folded_b, double threshold);

#define MATCH_MAX_KEYS 3

/* An ordered list of keys; the strings live in the arena given to the function that filled it. */
struct match_keys {
    size_t n;
    const char *keys[MATCH_MAX_KEYS];
};

/* Identity keys of a contact, in the order the importer looks them up (the first key found in
 * the store or earlier in the file identifies the contact):
 *   1. "e:<email_norm>"                  an e-mail address names one person;
 *   2. "p:<phone_e164>"                  a direct number almost always does;
 *   3. "n:<name_folded>|<company_key>"   a name is only unique within a company, so this key
 *                                        exists only when both are known.
 * Arguments are the normalized values (NULL or "" when absent); company_key is the company's
 * match_company_key(). '|' and '\' inside the name are escaped with '\', so the key is
 * unambiguous. out->n is 0 when the contact has no identity at all (the importer rejects such a
 * row). Strings live in `arena`. */
void match_contact_keys(const char *email_norm, const char *phone_e164, const char *name_folded,
                        const char *company_key, struct arena *arena, struct match_keys *out);

/* Identity key of a company: "d:<domain>" when the normalized domain is known, else
 * "n:<name_folded>|<city>" (city trimmed and ASCII lower-cased, empty when unknown; '|' and '\'
 * escaped with '\'), else NULL when there is neither a domain nor a name. The string lives in
 * `arena`. */
const char *match_company_key(const char *domain, const char *name_folded, const char *city,
                              struct arena *arena);

/* Blocking keys for fuzzy company matching: the importer compares a company only with those
 * sharing at least one of its keys, instead of with every company. The keys are the first
 * three and the last three characters of the folded name, each with the state (trimmed, ASCII
 * lower-cased): "b:<first 3>|<state>" and "s:<last 3>|<state>". Two keys, because a single
 * typo in the first three characters would otherwise put a duplicate into another block; a
 * typo cannot change both ends of a name longer than five characters. A name of at most three
 * characters gives one key; an empty name none. Companies without a state share the blocks
 * with an empty state. Strings live in `arena`. */
void match_company_block_keys(const char *name_folded, const char *state, struct arena *arena,
                              struct match_keys *out);

#endif
