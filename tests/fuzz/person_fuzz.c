/*
 * Fuzz target for core/person. Splits, cases and joins the input and checks that every part
 * fits its buffer, that an accepted split has a first or a last name, that casing is
 * idempotent and that joining first and last succeeds when either is present.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/person.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct person_name name;
    struct pr_error err;
    char cased[PERSON_PART_BUF_SIZE * 2], again[PERSON_PART_BUF_SIZE * 2];
    char joined[PERSON_PART_BUF_SIZE * 2 + 1];

    if (person_name_split(text, size, &name, &err) == PR_OK) {
        check(strlen(name.title) < PERSON_PART_BUF_SIZE &&
              strlen(name.first) < PERSON_PART_BUF_SIZE);
        check(strlen(name.middle) < PERSON_PART_BUF_SIZE &&
              strlen(name.last) < PERSON_PART_BUF_SIZE);
        check(strlen(name.suffix) < PERSON_PART_BUF_SIZE);
        check(name.first[0] != '\0' || name.last[0] != '\0');
        check(person_name_join(name.first, name.last, joined, sizeof joined, &err) == PR_OK);
    } else {
        check(err.code == PR_INVALID && err.message[0] != '\0');
    }
    if (person_name_case(text, size, cased, sizeof cased, &err) == PR_OK) {
        size_t n = strlen(cased);

        /* Simple case mapping may change UTF-8 lengths, and an embedded NUL ends the copy. */
        check(n <= size * 2);
        check(person_name_case(cased, n, again, sizeof again, &err) == PR_OK);
        check(strcmp(cased, again) == 0);
    }
    return 0;
}
