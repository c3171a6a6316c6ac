/*
 * Fuzz target for core/sector. Feeds the input (as a C string) to the SIC and NAICS mappers
 * and the name parser and checks that an accepted code gives a sector in range whose name
 * parses back to it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/sector.h"
#include "util/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok)
{
    if (!ok)
        abort();
}

static void check_sector(enum sector sector)
{
    enum sector parsed;
    struct pr_error err;

    check((unsigned)sector < SECTOR_COUNT);
    check(sector_parse(sector_name(sector), &parsed, &err) == PR_OK && parsed == sector);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = xstrndup((const char *)data, size);
    enum sector sector;
    struct pr_error err;

    if (sector_from_sic(text, &sector, &err) == PR_OK)
        check_sector(sector);
    else
        check(err.code == PR_INVALID);
    if (sector_from_naics(text, &sector, &err) == PR_OK)
        check_sector(sector);
    else
        check(err.code == PR_INVALID);
    if (sector_parse(text, &sector, &err) == PR_OK)
        check(strcasecmp(sector_name(sector), text) == 0);
    xfree(text);
    return 0;
}
