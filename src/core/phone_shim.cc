/*
 * The one C++ file: libphonenumber behind the C functions of phone_shim.h.
 *
 * Parse, Format(E164), GetRegionCodeForNumber, IsValidNumber and GetNumberType are the
 * library's; nothing here second-guesses them. No exception leaves this file: every extern "C"
 * function catches everything and reports PHONE__INTERNAL. The only state is libphonenumber's
 * own singleton and the time-zone table below, built once (C++ guarantees thread-safe
 * initialisation of function-local statics) and read-only afterwards.
 *
 * Time zones. libphonenumber's PhoneNumberToTimeZonesMapper is not shipped by Debian (no header
 * in /usr/include/phonenumbers/geocoding, no symbol in libgeocoding), and its prefix data is not
 * in any installed header, so the zone comes from ICU by region alone:
 *   - the region's canonical location zones (ucal_openTimeZoneIDEnumeration);
 *   - one zone: that zone (GB, FR, IN, JP, and every Caribbean NANP member);
 *   - several that all share one CLDR metazone, so one local time (DE: Berlin and Busingen; AR,
 *     MY, UZ, MH): the metazone's reference zone for the region, if it is one of them;
 *   - otherwise "" (US, CA, AU, BR, MX, RU, ES...): a region alone cannot tell, and guessing
 *     would put quiet hours in the wrong place. Callers fall back to the address (ZIP → zone).
 */
#include "core/phone_shim.h"

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>
#include <unicode/locid.h>
#include <unicode/tznames.h>
#include <unicode/ucal.h>
#include <unicode/uenum.h>
#include <unicode/unistr.h>

#include <cstring>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

/* 2100-01-01T00:00Z: a date after every metazone change ICU knows, so the lookup gives the
 * current mapping without reading the clock. */
const UDate kMetazoneDate = 4102444800000.0;

const PhoneNumberUtil &util()
{
    return *PhoneNumberUtil::GetInstance();
}

void copy_text(char *dst, size_t size, const std::string &src)
{
    size_t n = src.size() < size - 1 ? src.size() : size - 1;
    std::memcpy(dst, src.data(), n);
    dst[n] = '\0';
}

std::string zone_for_region(const std::string &region, const icu::TimeZoneNames *names)
{
    UErrorCode status = U_ZERO_ERROR;
    UEnumeration *zones_enum = ucal_openTimeZoneIDEnumeration(UCAL_ZONE_TYPE_CANONICAL_LOCATION,
                                                              region.c_str(), nullptr, &status);
    std::vector<std::string> zones;

    if (U_FAILURE(status))
        return "";
    for (;;) {
        int32_t id_len = 0;
        const char *id = uenum_next(zones_enum, &id_len, &status);
        if (id == nullptr || U_FAILURE(status))
            break;
        zones.emplace_back(id, static_cast<size_t>(id_len));
    }
    uenum_close(zones_enum);
    if (U_FAILURE(status) || zones.empty())
        return "";
    if (zones.size() == 1)
        return zones[0];
    if (names == nullptr)
        return "";

    std::string shared;
    for (const std::string &zone : zones) {
        icu::UnicodeString metazone;
        std::string metazone_utf8;
        names->getMetaZoneID(icu::UnicodeString::fromUTF8(zone), kMetazoneDate, metazone);
        metazone.toUTF8String(metazone_utf8);
        if (metazone_utf8.empty() || (!shared.empty() && shared != metazone_utf8))
            return "";
        shared = metazone_utf8;
    }
    icu::UnicodeString reference;
    std::string reference_utf8;
    names->getReferenceZoneID(icu::UnicodeString::fromUTF8(shared), region.c_str(), reference);
    reference.toUTF8String(reference_utf8);
    for (const std::string &zone : zones)
        if (zone == reference_utf8)
            return zone;
    return "";
}

using ZoneTable = std::map<std::string, std::string>;

ZoneTable build_zone_table()
{
    std::set<std::string> regions;
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::TimeZoneNames> names(
        icu::TimeZoneNames::createInstance(icu::Locale::getRoot(), status));
    ZoneTable table;

    if (U_FAILURE(status))
        names.reset();
    util().GetSupportedRegions(&regions);
    for (const std::string &region : regions)
        table[region] = zone_for_region(region, names.get());
    return table;
}

const std::string &zone_of(const std::string &region)
{
    static const ZoneTable table = build_zone_table();
    static const std::string none;
    ZoneTable::const_iterator it = table.find(region);

    return it == table.end() ? none : it->second;
}

enum phone_type map_type(PhoneNumberUtil::PhoneNumberType type)
{
    switch (type) {
    case PhoneNumberUtil::FIXED_LINE:
        return PHONE_FIXED_LINE;
    case PhoneNumberUtil::MOBILE:
        return PHONE_MOBILE;
    case PhoneNumberUtil::FIXED_LINE_OR_MOBILE:
        return PHONE_FIXED_OR_MOBILE;
    case PhoneNumberUtil::TOLL_FREE:
        return PHONE_TOLL_FREE;
    case PhoneNumberUtil::VOIP:
        return PHONE_VOIP;
    case PhoneNumberUtil::PREMIUM_RATE:
    case PhoneNumberUtil::SHARED_COST:
    case PhoneNumberUtil::PERSONAL_NUMBER:
    case PhoneNumberUtil::PAGER:
    case PhoneNumberUtil::UAN:
    case PhoneNumberUtil::VOICEMAIL:
        return PHONE_OTHER;
    case PhoneNumberUtil::UNKNOWN:
        break;
    }
    return PHONE_UNKNOWN;
}

void clear(struct phone__result *out, enum phone__status status)
{
    std::memset(out, 0, sizeof *out);
    out->status = status;
    out->info.type = PHONE_UNKNOWN;
    out->lpn_type = PhoneNumberUtil::UNKNOWN;
}

/* Everything after Parse, shared by the text and the numeric entry points. */
void classify(const PhoneNumber &number, struct phone__result *out)
{
    std::string e164, region;

    clear(out, PHONE__OK);
    util().Format(number, PhoneNumberUtil::E164, &e164);
    if (e164.size() >= sizeof out->info.e164) {
        /* Cannot happen ('+', 3 + 17 digits fit); kept so a future library cannot overflow. */
        clear(out, PHONE__TOO_LONG);
        return;
    }
    copy_text(out->info.e164, sizeof out->info.e164, e164);
    util().GetRegionCodeForNumber(number, &region);
    /* IsValidNumber is, in libphonenumber's source, exactly IsValidNumberForRegion with the
     * number's own region; calling it that way saves one more region lookup. */
    bool is_valid = util().IsValidNumberForRegion(number, region);
    PhoneNumberUtil::PhoneNumberType type = util().GetNumberType(number);
    out->lpn_type = static_cast<int>(type);
    out->info.type = map_type(type);
    if (!is_valid) {
        out->status = PHONE__INVALID_NUMBER;
        if (region.empty() || region == "ZZ")
            util().GetRegionCodeForCountryCode(number.country_code(), &region);
        copy_text(out->error_region, sizeof out->error_region, region);
        return;
    }
    out->info.is_valid = true;
    if (region.size() == 2) {
        copy_text(out->info.region, sizeof out->info.region, region);
        copy_text(out->info.time_zone, sizeof out->info.time_zone, zone_of(region));
    }
}

enum phone__status map_error(PhoneNumberUtil::ErrorType error)
{
    switch (error) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        return PHONE__OK;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return PHONE__INVALID_COUNTRY_CODE;
    case PhoneNumberUtil::NOT_A_NUMBER:
        return PHONE__NOT_A_NUMBER;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return PHONE__TOO_SHORT;
    case PhoneNumberUtil::TOO_LONG_NSN:
        return PHONE__TOO_LONG;
    }
    return PHONE__INTERNAL;
}

} // namespace

extern "C" void phone__shim_normalize(const char *text, size_t len, const char *region,
                                      struct phone__result *out)
{
    try {
        PhoneNumber number;
        std::string input(text, len);
        std::string region_code(region != nullptr && region[0] != '\0' ? region : "ZZ");
        enum phone__status status = map_error(util().Parse(input, region_code, &number));
        if (status != PHONE__OK) {
            clear(out, status);
            return;
        }
        classify(number, out);
    } catch (...) {
        clear(out, PHONE__INTERNAL);
    }
}

extern "C" void phone__shim_nanp(uint64_t national_number, struct phone__result *out)
{
    try {
        PhoneNumber number;
        number.set_country_code(1);
        number.set_national_number(national_number);
        classify(number, out);
    } catch (...) {
        clear(out, PHONE__INTERNAL);
    }
}
