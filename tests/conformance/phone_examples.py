#!/usr/bin/env python3
"""libphonenumber's example numbers, for tests/unit/core/phone_conformance_test.c.

Prints one TSV line per example number of every supported region and every number type
(phonenumbers.example_number_for_type), then one per non-geographic calling code (region 001):

  region  requested_type  national_format  e164  type  international_format  is_valid
  number_region

`type`, `is_valid` and `number_region` are what the library says of the example: a US
"FIXED_LINE" example is FIXED_LINE_OR_MOBILE, and the toll-free example of Antigua (AG) is a
NANP-wide +1 800 number whose region is US (shared numbering plans: +1, +7, +44, +61...).
national_format is empty for region 001; number_region is empty when the library names none. The first line is a comment
with the library's version. Uses Debian's python3-phonenumbers, which carries the same metadata
release as libphonenumber-dev; exits 3 if the module is missing.
"""
import sys

try:
    import phonenumbers
    from phonenumbers import PhoneNumberFormat, PhoneNumberType
except ImportError:
    # Debian's module lives here; a python3 from elsewhere (pyenv) does not search it.
    sys.path.append("/usr/lib/python3/dist-packages")
    try:
        import phonenumbers
        from phonenumbers import PhoneNumberFormat, PhoneNumberType
    except ImportError:
        print("phone_examples: python3-phonenumbers is not installed", file=sys.stderr)
        sys.exit(3)

TYPES = [
    "FIXED_LINE", "MOBILE", "FIXED_LINE_OR_MOBILE", "TOLL_FREE", "PREMIUM_RATE", "SHARED_COST",
    "VOIP", "PERSONAL_NUMBER", "PAGER", "UAN", "VOICEMAIL", "UNKNOWN",
]
NAME_OF = {getattr(PhoneNumberType, name): name for name in TYPES}


def row(region, requested, number, national):
    print("\t".join([
        region,
        requested,
        national,
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        NAME_OF[phonenumbers.number_type(number)],
        phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
        "1" if phonenumbers.is_valid_number(number) else "0",
        phonenumbers.region_code_for_number(number) or "",
    ]))


def main():
    print("# phonenumbers " + phonenumbers.__version__)
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for requested in TYPES:
            number = phonenumbers.example_number_for_type(region, getattr(PhoneNumberType, requested))
            if number is None:
                continue
            national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
            row(region, requested, number, national)
    for code in sorted(phonenumbers.COUNTRY_CODES_FOR_NON_GEO_REGIONS):
        number = phonenumbers.example_number_for_non_geo_entity(code)
        if number is not None:
            row("001", "ANY", number, "")


if __name__ == "__main__":
    main()
