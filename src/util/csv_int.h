/*
 * Private to the CSV reader: what csv.c (input, decoding, parsing) and csv_sniff.c (the
 * delimiter sniffer) share. Nothing outside src/util/csv*.c includes it; the public contract
 * is csv.h.
 */
#ifndef PROSPECT_UTIL_CSV_INT_H
#define PROSPECT_UTIL_CSV_INT_H

#include <stdbool.h>
#include <stddef.h>

/* CR and LF, where a record (and a physical line) can end. */
static inline bool csv__is_newline(unsigned char c)
{
    return c == '\n' || c == '\r';
}

/*
 * The delimiter of the decoded UTF-8 sample `s` (`len` bytes): ',', ';', '\t' or '|', the one
 * whose most frequent non-zero count per line holds on the largest share of the sample's
 * non-blank lines (at most the first 256); ',' when none occurs at all. `complete` says the
 * sample is the whole input, so its last line counts even without a line end. Reads `s` only;
 * never fails.
 */
char csv__sniff_delimiter(const unsigned char *s, size_t len, bool complete);

#endif
