/*
 * Company names folded for matching. "The Acme Holdings, Inc.", "ACME HOLDINGS INC" and
 * "Acme Holdings" fold to the same "acme holdings", so dedup can compare names exactly (and
 * fuzzy matching works on the folded form). The display form is the caller's: this module
 * never changes it. Pure functions; thread-safe.
 */
#ifndef PROSPECT_CORE_COMPANY_H
#define PROSPECT_CORE_COMPANY_H

#include <stddef.h>

/* Longest input folded; longer names fold to nothing (no real company name is longer). */
#define COMPANY_NAME_MAX_LEN 1024

/* A key buffer size for callers that store keys. */
#define COMPANY_KEY_BUF_SIZE 512

/*
 * Folds `len` bytes of UTF-8 company name into its matching form:
 *  1. Unicode compatibility forms and case are folded (NFKC_Casefold); accents are removed
 *     (combining diacritical marks after NFD; other scripts' marks stay); letters without a
 *     decomposition are spelled in ASCII (æ->ae, ø->o, ł->l, đ->d, þ->th, œ->oe, ı->i; ß
 *     became "ss" in the case fold);
 *  2. '&' becomes the word "and"; apostrophes and dots are removed without splitting a word
 *     ("McDonald's" -> "mcdonalds", "L.L.C." -> "llc", "J.P. Morgan" -> "jp morgan"); any
 *     other character that is not a letter or digit separates words; words are joined with
 *     one space;
 *  3. a leading "the" is dropped (repeatedly) while words remain after it;
 *  4. legal-form suffixes are dropped from the end, repeatedly, while words remain before
 *     them, and so is an "and" left dangling by such a removal ("GmbH & Co. KG" goes whole).
 *
 * The suffixes, as folded words: a s (A/S), ab, ag, aps, as, asa, bhd, bv, bvba, co, company,
 * corp, corporation, cv, eirl, eurl, gk, gmbh, inc, incorporated, kft, kg, kgaa, kk, l l c,
 * l l p, lda, limited, llc, llp, lp, ltd, ltda, mbh, nv, oao, ohg, ooo, oy, oyj, pbc, pc, plc,
 * pllc, pte, pty, pvt, s a, s a s, s de rl, s l, sa, sa de cv, sab, sab de cv, sarl, sas,
 * sdn bhd, se, sl, sp z oo, spa, sro, srl, zrt; and the CJK forms 株式会社, 有限会社,
 * 合同会社, 有限公司, 股份有限公司, 주식회사 at either end of a word. Words such as "holdings",
 * "group" or "international" are kept: they often tell two companies apart ("Acme Holdings,
 * Inc." folds to "acme holdings").
 *
 * Ill-formed UTF-8 is dropped. Writes the NUL-terminated result into `out` and returns its
 * length. Returns 0 with `out` set to "" (when out_size > 0) when nothing is left (empty
 * input, only punctuation), when the input is longer than COMPANY_NAME_MAX_LEN, or when the
 * result does not fit in `out_size` (the result can be longer than the input: "&" becomes
 * "and", compatibility forms expand; COMPANY_KEY_BUF_SIZE holds the key of any real name).
 * A name without a key is no company match, never an error. Folding a folded form of at most
 * COMPANY_NAME_MAX_LEN bytes returns it unchanged.
 */
size_t company_fold(const char *name, size_t len, char *out, size_t out_size);

#endif
