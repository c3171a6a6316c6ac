/*
 * Fuzz target for core/fields. The first line of the input is a header row (split on ','), each
 * further line "header=field" is an override (at most 8). Checks:
 *  - lead_field_from_header ignores ASCII case and added separators on any bytes;
 *  - field_mapping_from_headers either fails with PR_INVALID and an empty mapping, or gives a
 *    mapping where each field is held by at most one column and column_of agrees with the
 *    columns, auto-mapped columns hold their alias's field, custom columns have unique
 *    non-empty names of bounded length, other columns none, and unused overrides are counted
 *    at most once each.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/fields.h"
#include "util/arena.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OVERRIDES 8

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_header_invariance(const char *text, size_t len)
{
    enum lead_field field = lead_field_from_header(text, len);
    char *variant = xmalloc(2 * len + 2);
    size_t i, n = 0;

    /* upper-cased, with a '-' in front and a '_' after every ASCII byte (not inside UTF-8
     * sequences, whose bytes only count together) */
    variant[n++] = '-';
    for (i = 0; i < len; i++) {
        char c = text[i];

        variant[n++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        if ((unsigned char)c < 0x80)
            variant[n++] = '_';
    }
    check(lead_field_from_header(variant, n) == field);
    xfree(variant);
}

static void check_mapping(const struct field_mapping *m, const struct str *headers,
                          size_t n_headers, size_t n_overrides)
{
    size_t i, j, f;
    bool seen[FIELD_COUNT] = {false};

    check(m->n_columns == n_headers);
    check(m->n_unused_overrides <= n_overrides);
    check(m->column_of[FIELD_NONE] == -1);
    for (i = 0; i < m->n_columns; i++) {
        const struct field_column *c = &m->columns[i];

        check(c->header != NULL);
        switch (c->how) {
        case FIELD_COLUMN_AUTO:
            check(c->field != FIELD_NONE && c->field < FIELD_COUNT);
            check(lead_field_from_header(headers[i].ptr, headers[i].len) == c->field);
            /* fall through */
        case FIELD_COLUMN_OVERRIDE:
            check(c->field != FIELD_NONE && c->field < FIELD_COUNT);
            check(!seen[c->field]);
            seen[c->field] = true;
            check(m->column_of[c->field] == (int)i);
            check(c->custom_name == NULL);
            break;
        case FIELD_COLUMN_CUSTOM:
        case FIELD_COLUMN_DUPLICATE:
            check(c->field == FIELD_NONE);
            check(c->custom_name != NULL && c->custom_name[0] != '\0');
            check(strlen(c->custom_name) <= FIELD_CUSTOM_NAME_MAX + 16);
            for (j = 0; j < i; j++)
                check(m->columns[j].custom_name == NULL ||
                      strcmp(m->columns[j].custom_name, c->custom_name) != 0);
            break;
        case FIELD_COLUMN_IGNORED:
            check(c->field == FIELD_NONE && c->custom_name == NULL);
            break;
        default:
            check(0);
        }
    }
    for (f = 0; f < FIELD_COUNT; f++)
        check(m->column_of[f] < 0 || (seen[f] && m->columns[m->column_of[f]].field == f));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *line_end = memchr(text, '\n', size);
    size_t header_len = line_end != NULL ? (size_t)(line_end - text) : size;
    struct arena *arena = arena_new(0);
    struct mapping_override overrides[MAX_OVERRIDES];
    struct str *headers;
    size_t n_headers = 0, n_overrides = 0, i, start;
    struct field_mapping m;
    struct pr_error err;
    enum pr_code rc;

    check_header_invariance(text, size);

    /* header row */
    headers = arena_calloc(arena, header_len + 1, sizeof *headers);
    for (start = 0, i = 0; i <= header_len; i++) {
        if (i == header_len || text[i] == ',') {
            check_header_invariance(text + start, i - start);
            headers[n_headers++] = (struct str){text + start, i - start};
            start = i + 1;
        }
    }
    /* overrides: NUL-terminated copies of "header=field" lines */
    start = header_len + 1;
    while (start < size && n_overrides < MAX_OVERRIDES) {
        const char *line = text + start;
        const char *end = memchr(line, '\n', size - start);
        size_t len = end != NULL ? (size_t)(end - line) : size - start;
        const char *eq = memchr(line, '=', len);

        if (eq != NULL) {
            overrides[n_overrides].header = arena_strndup(arena, line, (size_t)(eq - line));
            overrides[n_overrides].field =
                arena_strndup(arena, eq + 1, len - (size_t)(eq - line) - 1);
        } else {
            overrides[n_overrides].header = arena_strndup(arena, line, len);
            overrides[n_overrides].field = NULL;
        }
        n_overrides++;
        start += len + 1;
    }

    rc = field_mapping_from_headers(headers, n_headers, overrides, n_overrides, arena, &m, &err);
    if (rc == PR_OK) {
        check_mapping(&m, headers, n_headers, n_overrides);
    } else {
        check(rc == PR_INVALID && err.message[0] != '\0' && m.n_columns == 0);
    }
    arena_free(arena);
    return 0;
}
