"""Parsers for the small formats inside fields: phone, country and region codes, URL, email, slug.

Each returns the parsed value, or raises `ValueError` whose message says what is allowed;
the loader adds the file, line and field.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from urllib.parse import urlsplit

from site_gen.content.model import Phone

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

# A number, then maybe an extension: "919-555-0100 ext. 2", "x2", "extension 2", "#2".
_PHONE = re.compile(r"(?P<number>[+\d\s().\-]+?)[\s,;]*(?:(?:ext\.?|extension|x|#)\s*(?P<ext>\d{1,7}))?", re.I)


def parse_phone(text: str, country: str = "US") -> Phone:
    """A phone number (and its extension) for the clinic's `country`: E.164 for `tel:` links, with
    ";ext=2" after it for an extension (RFC 3966), and the way people there write it (a number of
    another country is written internationally, with its +).

    phonenumbers reads the number (its country, its national format). It is checked for a length
    its country allows (`is_possible_number_with_reason`) and, in North America, for the numbering
    plan's own rules; not for being assigned (`is_valid_number`): that list lags behind new area
    codes, and would refuse numbers kept for samples, such as the shipped clinics' 555-01xx, should
    it stop listing them.
    """
    plain = PLAIN_NORTH_AMERICAN.fullmatch(text.strip())
    if plain and country in ("US", "CA"):  # most numbers: read without loading phonenumbers (10 ms a build)
        number = re.sub(r"\D", "", text)[-10:]
        return Phone(f"+1{number}", f"({number[:3]}) {number[3:6]}-{number[6:]}")
    return read_phone(text, country)


# A North American number as clinics write it, without + or extension: (919) 555-0100, 1-919-555-0100.
# phonenumbers reads and writes these the same way; a test compares the two.
PLAIN_NORTH_AMERICAN = re.compile(r"(?:1[ .-]?)?\(?[2-9][0-9]{2}\)?[ .-]?[2-9][0-9]{2}[ .-]?[0-9]{4}")


def read_phone(text: str, country: str) -> Phone:
    """`parse_phone`, every number read by phonenumbers."""
    import phonenumbers  # imported here: most builds do not need it

    match = _PHONE.fullmatch(text.strip())
    if not match:
        raise ValueError(f'expected a phone number such as "919-555-0100" or "+44 20 7946 0000", got "{text}"')
    number, extension = match["number"], match["ext"]
    international = number.startswith("+")
    if international and not 8 <= len(re.sub(r"\D", "", number)) <= 15:
        raise ValueError(f'expected an international number of 8 to 15 digits after the +, got "{text}"')
    if not international and phonenumbers.country_code_for_region(country) == 0:  # no way to read a local number
        raise ValueError(f'expected the number with its country code, such as "+44 20 7946 0000", got "{text}"')
    north_american = f'expected a 10-digit phone number such as "919-555-0100", got "{text}"'
    try:
        parsed = phonenumbers.parse(number, None if international else country)
    except phonenumbers.NumberParseException:
        if international:
            raise ValueError(f'"{text}" does not start with a country calling code after the +, such as +1 for the '
                             "US and Canada or +44 for the UK") from None
        raise ValueError(north_american if phonenumbers.country_code_for_region(country) == 1 else
                         f'expected a phone number such as {_example(country)}, got "{text}"') from None
    if parsed.country_code == 1:  # North America: 10 digits, and the rules every number there follows
        national = str(parsed.national_number)
        if len(national) != 10:
            raise ValueError(north_american)
        if national[0] in "01" or national[3] in "01":
            raise ValueError(f'"{text}" is not a valid North American number (area code and exchange cannot start '
                             "with 0 or 1)")
    else:
        # IS_POSSIBLE alone: is_possible_number also passes a local number without its area code.
        reason = phonenumbers.is_possible_number_with_reason(parsed)
        if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
            example = _example(phonenumbers.region_code_for_country_code(parsed.country_code), international)
            raise ValueError(f'expected a phone number such as {example}, got "{text}" ({_wrong_length(reason)})')
    parsed.extension = extension
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)  # the number alone
    own = parsed.country_code == phonenumbers.country_code_for_region(country)
    display = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL if own
                                         else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return Phone(e164 + (f";ext={extension}" if extension else ""), display)


def _example(region: str, international: bool = False) -> str:
    """A number of that country, quoted, written as the number it corrects was (with its + or without)."""
    import phonenumbers

    example = phonenumbers.example_number(region)
    if example is None:
        return '"+44 20 7946 0000"'
    style = phonenumbers.PhoneNumberFormat.INTERNATIONAL if international else phonenumbers.PhoneNumberFormat.NATIONAL
    return f'"{phonenumbers.format_number(example, style)}"'


def _wrong_length(reason: int) -> str:
    import phonenumbers

    result = phonenumbers.ValidationResult
    return {result.TOO_LONG: "too many digits", result.INVALID_LENGTH: "a wrong number of digits"}.get(
        reason, "too few digits")  # TOO_SHORT, or IS_POSSIBLE_LOCAL_ONLY: as long as a number without its area code


# Codes people write that ISO 3166 does not give to the country they mean.
_NOT_ISO = {"UK": ("the United Kingdom", "GB")}
# Names people write that are not a country's name in ISO 3166.
_OTHER_NAMES = {"britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
                "northern ireland": "GB", "america": "US"}


def check_country(text: str) -> str:
    """A two-letter ISO 3166 country code, such as "US" or "GB"."""
    import pycountry  # imported here (35 ms): a rebuild, finding the clinics' checks in the cache, does without

    if re.fullmatch(r"[A-Z]{2}", text) and pycountry.countries.get(alpha_2=text) is not None:
        return text
    if text.upper() in _NOT_ISO:
        name, code = _NOT_ISO[text.upper()]
        raise ValueError(f'"{text}" is not an ISO country code; {name}\'s code is "{code}"')
    code = suggest_country(text)
    if code is None and re.fullmatch(r"[A-Z]{2}", text):
        raise ValueError(f'"{text}" is not a country code; expected a two-letter ISO 3166 code such as "US", "CA" '
                         'or "GB"')
    hint = f' (did you mean "{code}"?)' if code else ""
    raise ValueError(f'expected a two-letter country code such as "US", got "{text}"{hint}')


def suggest_country(text: str) -> str | None:
    """The two-letter code of the country a mistaken `country` means ("United States", "usa", "UK"), if any."""
    import pycountry

    if text.upper() in _NOT_ISO:
        return _NOT_ISO[text.upper()][1]
    plain = _plain(text).replace(".", "")
    if plain in _OTHER_NAMES:
        return _OTHER_NAMES[plain]
    try:
        return pycountry.countries.lookup(plain).alpha_2  # a code in lower case, a three-letter code, a name
    except LookupError:
        pass
    names = {_plain(name): country.alpha_2 for country in pycountry.countries
             for name in (country.name, getattr(country, "common_name", None)) if name}
    close = difflib.get_close_matches(plain, list(names), n=1, cutoff=0.8)
    return names[close[0]] if close else None


_REGIONS = {"US": ('a US state\'s two-letter code such as "NC"', "NC"),
            "CA": ('a Canadian province\'s or territory\'s two-letter code such as "ON"', "ON")}


def check_region(text: str, country: str) -> str:
    """A US clinic's state (or district or territory) and a Canadian clinic's province or territory,
    as its two-letter code; other countries' regions are free text."""
    if country not in _REGIONS:
        return text
    import pycountry

    names = {subdivision.code.split("-")[1]: subdivision.name
             for subdivision in pycountry.subdivisions.get(country_code=country)}
    if text in names:
        return text
    by_name = {_plain(name): code for code, name in names.items()}
    plain = _plain(text).replace(".", "")
    code = (plain.upper() if plain.upper() in names else by_name.get(plain)
            or next((by_name[close] for close in difflib.get_close_matches(plain, list(by_name), n=1, cutoff=0.8)),
                    None))
    hint = f' (did you mean "{code}"?)' if code else ""
    raise ValueError(f'expected {_REGIONS[country][0]}, got "{text}"{hint}')


def _plain(text: str) -> str:
    """Lower case, without accents or extra spaces: "Québec " → "quebec"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower().split())


def check_url(text: str, schemes: tuple[str, ...]) -> str:
    """The URL if its scheme is allowed (and a web URL names a host)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in text):
        raise ValueError(f'a web address cannot contain spaces or control characters, got "{text}"')
    parts = urlsplit(text)
    allowed = " or ".join(f"{scheme}:" for scheme in schemes)
    if parts.scheme.lower() not in schemes:
        raise ValueError(f'expected an address starting with {allowed}, got "{text}"')
    if parts.scheme.lower() in ("http", "https") and not parts.hostname:
        raise ValueError(f'expected a full web address such as "https://example.com/", got "{text}"')
    return text


_EMAIL = re.compile(r"[^@\s<>\"'(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+")


def check_email(text: str) -> str:
    """The address if it looks like name@example.com."""
    if not _EMAIL.fullmatch(text):
        raise ValueError(f'expected an email address such as "front-desk@example.com", got "{text}"')
    return text


def check_slug(text: str) -> str:
    """The slug if it is lower-case letters, digits and single dashes (so it stays in its folder)."""
    if not SLUG.fullmatch(text):
        raise ValueError(f'"{text}" cannot be used in a web address; use lower-case letters, digits and dashes, such as "bird-dog"')
    return text
