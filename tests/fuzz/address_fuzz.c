/*
 * Fuzz target for core/address. Feeds the input (as a C string) to the state, ZIP and country
 * recognizers and checks the shape of what they return: two upper-case letters, five digits
 * not all zero, and "" on failure; a recognized state or ZIP is recognized again from its
 * own output.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/address.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_upper2(const char *code)
{
    check(strlen(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' &&
          code[1] <= 'Z');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size);
    char state[3], zip[6], country[3], again[6];
    size_t i;

    if (address_us_state(text, state)) {
        check_upper2(state);
        check(address_us_state(state, again) && strcmp(again, state) == 0);
    } else {
        check(state[0] == '\0');
    }
    if (address_zip5(text, zip)) {
        check(strlen(zip) == 5 && strcmp(zip, "00000") != 0);
        for (i = 0; i < 5; i++)
            check(zip[i] >= '0' && zip[i] <= '9');
        check(address_zip5(zip, again) && strcmp(again, zip) == 0);
    } else {
        check(zip[0] == '\0');
    }
    if (address_country_iso2(text, country)) {
        check_upper2(country);
        check(address_country_iso2(country, again) && strcmp(again, country) == 0);
    } else {
        check(country[0] == '\0');
    }
    xfree(text);
    return 0;
}
