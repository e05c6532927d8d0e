"""Data for the clinic locator's script: the clinics, compactly, and postal-code centroids near them.

The page lists every clinic in HTML for readers without JavaScript; the script only needs what
it computes with: where each clinic is, its hours in its own time zone, and the words to search.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from site_gen.content.model import SiteConfig
from site_gen.features.postcodes import PostcodeTable, read_table

if TYPE_CHECKING:
    from site_gen.kinds.clinic import Clinic

POSTCODE_RADIUS_MILES = 25  # postal codes whose centroid is this close to a clinic go in the table
EARTH_RADIUS_MILES = 3958.8


def locator_data(config: SiteConfig, clinics: tuple[Clinic, ...]) -> dict[str, Any]:
    """What the locator script needs, ready for JSON."""
    return {"unit": config.distance_unit(), "clinics": [clinic_data(clinic) for clinic in clinics]}


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
    """US postal codes near the clinics → their centre [latitude, longitude], from the shipped table."""
    points = tuple(sorted((c.latitude, c.longitude) for c in clinics if c.country == "US"))
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
