/*
 * Helpers over jansson: typed, bounded access to JSON objects with errors that name the field,
 * parsing with a size and depth limit, and dumping into a struct buf.
 * Returned strings point into the json_t they came from and live as long as it does.
 */
#ifndef PROSPECT_UTIL_JSON_H
#define PROSPECT_UTIL_JSON_H

#include "error.h"
#include "str.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

/* Parses `len` bytes. Fails with PR_INVALID (message names line and column) on malformed JSON,
 * on input longer than `max_len` bytes, or nested deeper than `max_depth` arrays/objects.
 * On success *out is a new reference the caller must json_decref(). */
enum pr_code json_parse_limited(const char *text, size_t len, size_t max_len, int max_depth,
                                json_t **out, struct pr_error *err);

/* Reads a string member. `required` false: a missing or null member gives *out = NULL and
 * PR_OK. A member of the wrong type is PR_INVALID ("field 'email' must be a string"). */
enum pr_code json_get_string(const json_t *obj, const char *key, bool required, const char **out,
                             struct pr_error *err);

/* Reads an integer member within [min, max]. A missing optional member leaves *out unchanged. */
enum pr_code json_get_int(const json_t *obj, const char *key, bool required, int64_t min,
                          int64_t max, int64_t *out, struct pr_error *err);

/* Reads a boolean member. A missing optional member leaves *out unchanged. */
enum pr_code json_get_bool(const json_t *obj, const char *key, bool required, bool *out,
                           struct pr_error *err);

/* Serializes compactly (keys in insertion order) and appends to `out`. PR_INVALID when `out`
 * would exceed its maximum. */
enum pr_code json_dump_buf(const json_t *value, struct buf *out);

/* Appends `s` (length `len`) as a JSON string literal, quotes included, escaping as RFC 8259
 * requires; invalid UTF-8 bytes become U+FFFD. */
enum pr_code json_append_string(struct buf *out, const char *s, size_t len);

#endif
