/*
 * Delimiter sniffing for the CSV reader (csv.c): which of comma, semicolon, tab and pipe
 * separates the fields of a sample. Hand-written because libcsv parses with one known
 * delimiter. Pure: it reads the sample and keeps no state.
 */
#include "csv_int.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Most lines of the sample looked at (the counts live on the stack). */
#define SNIFF_MAX_LINES 256

/*
 * Counts the delimiter `d` outside quotes on each non-blank line of the sample (up to
 * SNIFF_MAX_LINES lines), with libcsv's notion of a quoted field (a quote opens one only at the
 * start of a field). The last line counts only when the sample is the whole input (otherwise it may
 * be cut).
 */
static size_t sniff_count(const unsigned char *s, size_t len, bool complete, unsigned char d,
                          uint32_t *counts)
{
    enum { FIELD_START, UNQUOTED, QUOTED, AFTER_QUOTE } state = FIELD_START;
    size_t n_lines = 0, i;
    uint32_t count = 0;
    bool has_content = false;

    for (i = 0; i < len && n_lines < SNIFF_MAX_LINES; i++) {
        unsigned char c = s[i];

        if (state == QUOTED) {
            if (c == '"')
                state = AFTER_QUOTE;
            continue;
        }
        if (state == AFTER_QUOTE && c == '"') {
            state = QUOTED; /* an escaped quote */
            continue;
        }
        if (csv__is_newline(c)) {
            if (has_content)
                counts[n_lines++] = count;
            count = 0;
            has_content = false;
            state = FIELD_START;
            continue;
        }
        has_content = true;
        if (c == d) {
            count++;
            state = FIELD_START;
        } else if (state == FIELD_START && c == '"') {
            state = QUOTED;
        } else if (!(state == FIELD_START && c == ' ')) {
            state = UNQUOTED;
        }
    }
    if (complete && has_content && i == len && n_lines < SNIFF_MAX_LINES)
        counts[n_lines++] = count;
    return n_lines;
}

/* Picks the candidate whose most frequent non-zero count per line is on the largest share of
 * the lines (a share, since quoted newlines make line counts differ between candidates); then
 * the one with more fields; then the earlier candidate (comma first). */
char csv__sniff_delimiter(const unsigned char *s, size_t len, bool complete)
{
    static const char candidates[] = {',', ';', '\t', '|'};
    uint32_t counts[SNIFF_MAX_LINES];
    size_t best_lines = 0, best_total = 1, c, i, j;
    uint32_t best_count = 0;
    char best = ',';

    for (c = 0; c < sizeof candidates; c++) {
        size_t n_lines = sniff_count(s, len, complete, (unsigned char)candidates[c], counts);
        size_t mode_lines = 0, share, best_share;
        uint32_t mode = 0;

        for (i = 0; i < n_lines; i++) {
            size_t same = 0;

            if (counts[i] == 0)
                continue;
            for (j = 0; j < n_lines; j++)
                same += counts[j] == counts[i];
            if (same > mode_lines || (same == mode_lines && counts[i] > mode)) {
                mode_lines = same;
                mode = counts[i];
            }
        }
        if (mode_lines == 0)
            continue;
        /* Compare mode_lines / n_lines with best_lines / best_total without division. */
        share = mode_lines * best_total;
        best_share = best_lines * n_lines;
        if (share > best_share || (share == best_share && mode > best_count)) {
            best_lines = mode_lines;
            best_total = n_lines;
            best_count = mode;
            best = candidates[c];
        }
    }
    return best;
}
