/*
 * JSON helpers over jansson: bounded parsing, typed member access whose errors name the field,
 * compact dumping into a struct buf, and a string escaper that never emits invalid UTF-8.
 *
 * Parsing limits. The size limit is checked before jansson sees a byte. Nesting depth is
 * checked after parsing by a recursive walk bounded by `max_depth` (it stops descending as
 * soon as the limit is passed), so the walk's own recursion is at most max_depth + 1 frames;
 * jansson itself parses recursively but stops at its compiled JSON_PARSER_MAX_DEPTH (2048),
 * which is reported as the same depth error. Duplicate object keys are rejected
 * (JSON_REJECT_DUPLICATES) and so is "\u0000" inside strings (jansson's default), because the
 * getters hand out C strings that a NUL would silently cut short. Any JSON value is accepted
 * at the top level (RFC 8259); callers that need an object get a clear error from the getters.
 *
 * json_append_string decodes UTF-8 strictly (no overlongs, no surrogates, nothing above
 * U+10FFFF) and replaces each maximal ill-formed subsequence with one U+FFFD, the practice
 * Unicode recommends (and what browsers do), so the output is always valid UTF-8 and valid JSON.
 */
#include "json.h"

#include <assert.h>
#include <inttypes.h>
#include <string.h>

/* Walks `value` and returns true when some array or object lies deeper than `max_depth`.
 * `depth` is the nesting level of `value` itself (1 for a top-level container). */
static bool json_too_deep(json_t *value, int depth, int max_depth)
{
    size_t index;
    const char *key;
    json_t *member;

    if (!json_is_array(value) && !json_is_object(value))
        return false;
    if (depth > max_depth)
        return true;
    if (json_is_array(value)) {
        json_array_foreach(value, index, member)
        {
            if (json_too_deep(member, depth + 1, max_depth))
                return true;
        }
    } else {
        json_object_foreach(value, key, member)
        {
            if (json_too_deep(member, depth + 1, max_depth))
                return true;
        }
    }
    return false;
}

enum pr_code json_parse_limited(const char *text, size_t len, size_t max_len, int max_depth,
                                json_t **out, struct pr_error *err)
{
    json_error_t jerr;
    json_t *root = NULL;
    enum pr_code rc = PR_OK;

    assert(max_depth >= 0);
    *out = NULL;
    if (len > max_len) {
        rc = pr_error_set(err, PR_INVALID, "JSON body is larger than %zu bytes", max_len);
        goto out;
    }
    root =
        json_loadb(text != NULL ? text : "", len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (root == NULL) {
        if (json_error_code(&jerr) == json_error_stack_overflow)
            rc = pr_error_set(err, PR_INVALID, "JSON nested deeper than %d levels", max_depth);
        else
            rc = pr_error_set(err, PR_INVALID, "malformed JSON at line %d, column %d: %s",
                              jerr.line, jerr.column, jerr.text);
        goto out;
    }
    if (json_too_deep(root, 1, max_depth)) {
        rc = pr_error_set(err, PR_INVALID, "JSON nested deeper than %d levels", max_depth);
        goto out;
    }
    *out = root;
    root = NULL;
out:
    json_decref(root);
    return rc;
}

/* Looks `key` up in `obj`. Sets *member to NULL for a missing or null member. Fails when
 * `obj` is not an object, or when the member is absent and `required`. */
static enum pr_code json_member(const json_t *obj, const char *key, bool required, json_t **member,
                                struct pr_error *err)
{
    json_t *value;

    *member = NULL;
    if (!json_is_object(obj))
        return pr_error_set(err, PR_INVALID, "expected a JSON object holding field '%s'", key);
    value = json_object_get(obj, key);
    if (value == NULL || json_is_null(value)) {
        if (required)
            return pr_error_set(err, PR_INVALID, "field '%s' is required", key);
        return PR_OK;
    }
    *member = value;
    return PR_OK;
}

enum pr_code json_get_string(const json_t *obj, const char *key, bool required, const char **out,
                             struct pr_error *err)
{
    json_t *member;
    enum pr_code rc;
    const char *value;

    rc = json_member(obj, key, required, &member, err);
    if (rc != PR_OK)
        return rc;
    if (member == NULL) {
        *out = NULL;
        return PR_OK;
    }
    if (!json_is_string(member))
        return pr_error_set(err, PR_INVALID, "field '%s' must be a string", key);
    value = json_string_value(member);
    /* Values built with json_stringn() may hold a NUL that C callers would cut at. */
    if (strlen(value) != json_string_length(member))
        return pr_error_set(err, PR_INVALID, "field '%s' must not contain NUL characters", key);
    *out = value;
    return PR_OK;
}

enum pr_code json_get_int(const json_t *obj, const char *key, bool required, int64_t min,
                          int64_t max, int64_t *out, struct pr_error *err)
{
    json_t *member;
    enum pr_code rc;
    json_int_t value;

    rc = json_member(obj, key, required, &member, err);
    if (rc != PR_OK || member == NULL)
        return rc;
    if (json_is_integer(member)) {
        value = json_integer_value(member);
        if (value >= min && value <= max) {
            *out = (int64_t)value;
            return PR_OK;
        }
    }
    if (min == INT64_MIN && max == INT64_MAX)
        return pr_error_set(err, PR_INVALID, "field '%s' must be an integer", key);
    return pr_error_set(err, PR_INVALID,
                        "field '%s' must be an integer from %" PRId64 " to %" PRId64, key, min,
                        max);
}

enum pr_code json_get_bool(const json_t *obj, const char *key, bool required, bool *out,
                           struct pr_error *err)
{
    json_t *member;
    enum pr_code rc;

    rc = json_member(obj, key, required, &member, err);
    if (rc != PR_OK || member == NULL)
        return rc;
    if (!json_is_boolean(member))
        return pr_error_set(err, PR_INVALID, "field '%s' must be true or false", key);
    *out = json_is_true(member);
    return PR_OK;
}

static int json_dump_to_buf(const char *data, size_t size, void *ctx)
{
    return buf_append(ctx, data, size) == PR_OK ? 0 : -1;
}

/* Puts `b` back to `len` bytes after a failed multi-part append. */
static void json_buf_truncate(struct buf *b, size_t len)
{
    b->len = len;
    if (b->ptr != NULL)
        b->ptr[len] = '\0';
}

enum pr_code json_dump_buf(const json_t *value, struct buf *out)
{
    size_t saved_len = out->len;

    if (value == NULL)
        return PR_INVALID;
    if (json_dump_callback(value, json_dump_to_buf, out,
                           JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) != 0) {
        json_buf_truncate(out, saved_len);
        return PR_INVALID;
    }
    return PR_OK;
}

/* Length of the well-formed UTF-8 sequence at s[0..len), or 0 when it is ill-formed. In the
 * latter case *bad_len is the length of the maximal ill-formed subpart to replace (>= 1). */
static size_t json_utf8_sequence(const unsigned char *s, size_t len, size_t *bad_len)
{
    unsigned char lead = s[0];
    size_t need, i;
    unsigned char lo = 0x80, hi = 0xBF; /* range allowed for the second byte */

    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 3;
        if (lead == 0xE0)
            lo = 0xA0; /* no overlongs */
        else if (lead == 0xED)
            hi = 0x9F; /* no surrogates */
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 4;
        if (lead == 0xF0)
            lo = 0x90; /* no overlongs */
        else if (lead == 0xF4)
            hi = 0x8F; /* nothing above U+10FFFF */
    } else {
        *bad_len = 1; /* stray continuation byte, C0/C1 or F5..FF */
        return 0;
    }
    for (i = 1; i < need; i++) {
        unsigned char c;

        if (i >= len)
            break;
        c = s[i];
        if (i == 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF))
            break;
    }
    if (i == need)
        return need;
    *bad_len = i;
    return 0;
}

enum pr_code json_append_string(struct buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    size_t saved_len = out->len;
    size_t i = 0, run = 0; /* run: start of pending bytes copied verbatim */
    enum pr_code rc;

    rc = buf_putc(out, '"');
    while (rc == PR_OK && i < len) {
        unsigned char c = p[i];
        char esc[6];
        size_t esc_len = 0, seq_len, bad_len = 0;

        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (c >= 0x80) {
            seq_len = json_utf8_sequence(p + i, len - i, &bad_len);
            if (seq_len > 0) {
                i += seq_len;
                continue;
            }
        }
        /* Flush the verbatim run, then write the escape or replacement for p[i]. */
        rc = buf_append(out, p + run, i - run);
        if (rc != PR_OK)
            break;
        if (c >= 0x80) {
            rc = buf_append(out, "\xEF\xBF\xBD", 3);
            i += bad_len;
            run = i;
            continue;
        }
        esc[esc_len++] = '\\';
        switch (c) {
        case '"':
            esc[esc_len++] = '"';
            break;
        case '\\':
            esc[esc_len++] = '\\';
            break;
        case '\n':
            esc[esc_len++] = 'n';
            break;
        case '\r':
            esc[esc_len++] = 'r';
            break;
        case '\t':
            esc[esc_len++] = 't';
            break;
        case '\b':
            esc[esc_len++] = 'b';
            break;
        case '\f':
            esc[esc_len++] = 'f';
            break;
        default:
            esc[esc_len++] = 'u';
            esc[esc_len++] = '0';
            esc[esc_len++] = '0';
            esc[esc_len++] = hex[c >> 4];
            esc[esc_len++] = hex[c & 0xF];
            break;
        }
        rc = buf_append(out, esc, esc_len);
        i++;
        run = i;
    }
    if (rc == PR_OK)
        rc = buf_append(out, p + run, i - run);
    if (rc == PR_OK)
        rc = buf_putc(out, '"');
    if (rc != PR_OK)
        json_buf_truncate(out, saved_len);
    return rc;
}
