/*
 * Fuzz target for util/json. Feeds the input to json_parse_limited and, when it parses,
 * dumps it with json_dump_buf and checks the dump parses back to an equal value; exercises the
 * getters on whatever came out. Then escapes the raw bytes with json_append_string and checks
 * the literal parses back with jansson as a string, equal to the input whenever the input was
 * valid UTF-8.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "util/str.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void fuzz_getters(const json_t *root)
{
    static const char *const keys[] = {"a", "email", "limit", "on", ""};
    size_t i;

    for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        struct pr_error err;
        const char *s = NULL;
        int64_t n = 0;
        bool b = false;

        if (json_get_string(root, keys[i], i % 2 == 0, &s, &err) == PR_OK) {
            if (s != NULL)
                check(strlen(s) == json_string_length(json_object_get(root, keys[i])));
        } else {
            check(err.code == PR_INVALID && err.message[0] != '\0');
        }
        if (json_get_int(root, keys[i], false, -100, 100, &n, &err) == PR_OK)
            check(n >= -100 && n <= 100);
        else
            check(err.code == PR_INVALID && err.message[0] != '\0');
        if (json_get_bool(root, keys[i], true, &b, &err) != PR_OK)
            check(err.code == PR_INVALID && err.message[0] != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct pr_error err;
    json_t *root = NULL, *again = NULL, *decoded, *direct;
    struct buf out;

    if (json_parse_limited(text, size, 1 << 16, 16, &root, &err) == PR_OK) {
        buf_init(&out, 1 << 20);
        check(json_dump_buf(root, &out) == PR_OK);
        check(json_parse_limited(out.ptr, out.len, out.len, 16, &again, &err) == PR_OK);
        check(json_equal(root, again));
        json_decref(again);
        fuzz_getters(root);
        json_decref(root);
        buf_free(&out);
    } else {
        check(root == NULL && err.code == PR_INVALID && err.message[0] != '\0');
    }

    buf_init(&out, size * 6 + 2);
    check(json_append_string(&out, text, size) == PR_OK);
    decoded = json_loadb(out.ptr, out.len, JSON_DECODE_ANY | JSON_ALLOW_NUL, NULL);
    check(json_is_string(decoded));
    direct = json_stringn(text, size); /* NULL when the input is not valid UTF-8 */
    if (direct != NULL)
        check(json_equal(direct, decoded));
    json_decref(direct);
    json_decref(decoded);
    buf_free(&out);
    return 0;
}
