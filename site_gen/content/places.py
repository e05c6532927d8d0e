"""Where a clinic is: its US ZIP code, latitude and longitude and time zone, checked against one
another, so that a clinic put in the wrong place cannot build silently.

Each check gives its findings as (field, message) pairs, which the clinic's loader records with
the file and line. The ZIP codes' centres are the table the tool ships (`features/postcodes.py`),
handed in by the caller: this module sits below `features`. Time zones come from tzfpy's offline
boundaries (timezone-boundary-builder's, oceans included), imported on first use: loading them
takes about 70 ms, and a rebuild finds these checks' results in the cache.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import zoneinfo
from typing import TYPE_CHECKING, Callable, Iterator, Mapping

if TYPE_CHECKING:
    from site_gen.features.postcodes import PostcodeTable

ZIP_COUNTRIES = ("US", "PR", "GU", "VI", "AS", "MP")  # the US and its territories: they use ZIP codes
ZIP_RADIUS_KM = 50  # a clinic farther than this from its ZIP code's centre is in the wrong place
# A clinic this near a place on the declared zone's clock is not called wrong: the boundaries are
# exact to a few hundred metres, but coordinates are often rounded (2 decimals: 1 km), a town can
# straddle a border, and a wrong call stops a correct clinic's build.
BORDER_KM = 5
EARTH_RADIUS_KM = 6371.0088
KM_PER_MILE = 1.609344

Findings = list[tuple[str, str]]  # (field, message)
# The shipped table and its centres by code, read when first needed.
Postcodes = Callable[[], tuple["PostcodeTable", Mapping[str, tuple[float, float]]]]

_ZIP = re.compile(r"([0-9]{5})(?:-[0-9]{4})?")  # ZIP or ZIP+4
# What people write for a zone, with the zone they mean: used when the coordinates cannot say.
_ABBREVIATIONS = {
    "America/New_York": ("EST", "EDT", "ET", "EST5EDT"), "America/Chicago": ("CST", "CDT", "CT", "CST6CDT"),
    "America/Denver": ("MST", "MDT", "MT", "MST7MDT"), "America/Los_Angeles": ("PST", "PDT", "PT", "PST8PDT"),
    "America/Anchorage": ("AKST", "AKDT"), "Pacific/Honolulu": ("HST",), "Europe/London": ("GMT", "BST"),
}
_MEANT = {abbreviation: zone for zone, abbreviations in _ABBREVIATIONS.items() for abbreviation in abbreviations}
# Names tzdata keeps for abbreviations, offsets and UTC: not a place's clock.
_NOT_PLACES = {"EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "CET", "MET", "WET", "EET"}
_UTC = {"UTC", "UCT", "GMT", "GMT0", "GMT+0", "GMT-0", "UT", "Z", "ZULU", "UNIVERSAL", "GREENWICH"}
_OFFSET = re.compile(r"(?:UTC|GMT|UT)?\s*[+\-−–]\s*[0-9]{1,2}(?:[:.]?[0-9]{2})?", re.I)


def check_place(country: str | None, postal_code: str | None, latitude: float | None, longitude: float | None,
                timezone: str | None, postcodes: Postcodes, year: int) -> Findings:
    """A clinic's ZIP code against its coordinates (US clinics), then its time zone against them."""
    point = (latitude, longitude) if latitude is not None and longitude is not None else None
    findings: Findings = []
    confirmed = None  # True: the ZIP code confirms the coordinates; False: they disagree
    if country in ZIP_COUNTRIES and postal_code is not None:
        findings, confirmed = check_zip(postal_code, point, postcodes)
    if timezone is not None:
        # Coordinates the ZIP code disagrees with are already reported: the zone is not checked against them.
        findings += check_timezone(timezone, point if confirmed is not False else None, confirmed is None, year)
    return findings


def check_zip(code: str, point: tuple[float, float] | None, postcodes: Postcodes) -> tuple[Findings, bool | None]:
    """Problems with a US clinic's ZIP code, and whether it confirms the clinic's coordinates.

    A code of five digits missing from the table (which holds the standard codes of streets) is
    taken on trust, with None: PO boxes and codes given to one building, such as a hospital's
    (27710, Duke University Medical Center), are real addresses the table cannot place.
    """
    match = _ZIP.fullmatch(code)
    table, centres = postcodes()
    if not match:
        padded = code.zfill(5) if code.isdigit() and len(code) < 5 else None
        if padded and point and padded in centres and km_between(*point, *centres[padded]) <= ZIP_RADIUS_KM:
            hint = f' (did you mean "{padded}"?)'  # a leading zero lost, as spreadsheets do
        else:
            nearest = nearest_zip(table, point) if point else None
            hint = f"; the one nearest to the clinic's latitude and longitude is {nearest}" if nearest else ""
        what = (f'"{code}" has {len(code)} digits, but US ZIP codes have 5' if code.isdigit()
                else f'"{code}" is not a US ZIP code, which has 5 digits')
        return [("postal_code", what + hint)], None
    centre = centres.get(match[1])
    if centre is None or centre == (0, 0) or point is None:  # (0, 0): one code the source could not place
        return [], None
    distance = km_between(*point, *centre)
    if distance <= ZIP_RADIUS_KM:
        return [], True
    away = f"{_distance(distance)} from the centre of ZIP code {match[1]} ({_at(*centre)})"
    for field, latitude, longitude, what, fix in misreadings(*point):
        if km_between(latitude, longitude, *centre) <= ZIP_RADIUS_KM:
            return [(field, f"{what} the clinic {away}; {fix}")], False
    nearest = nearest_zip(table, point)
    hint = f" (the ZIP code nearest to them is {nearest})" if nearest else ""
    message = (f"the centre of ZIP code {match[1]} ({_at(*centre)}) is {_distance(distance)} from the clinic's "
               f"latitude and longitude ({_at(*point)}){hint}; correct the one that is wrong")
    return [("postal_code", message)], False


def nearest_zip(table: PostcodeTable, point: tuple[float, float]) -> str | None:
    """The ZIP code whose centre is nearest to a point, if one is within ZIP_RADIUS_KM."""
    near = table.near(*point, ZIP_RADIUS_KM / KM_PER_MILE, EARTH_RADIUS_KM / KM_PER_MILE)
    distance, code = min(((km_between(*point, lat, lon), code) for code, lat, lon in near), default=(math.inf, None))
    return code if distance <= ZIP_RADIUS_KM else None


def check_timezone(name: str, point: tuple[float, float] | None, unconfirmed: bool, year: int) -> Findings:
    """A clinic's time zone: a place's IANA name, whose clock is the one at the clinic's coordinates
    (or within BORDER_KM of them). `unconfirmed`: no ZIP code vouches for the coordinates, so a
    dropped minus sign or swapped coordinates may be why they disagree."""
    here = zone_at(*point) if point else None
    suggestion = f'"{here}", the time zone at the clinic\'s latitude and longitude' if here else \
        f'a time zone\'s name such as "{_MEANT.get(name.upper(), "America/New_York")}"'
    if is_fixed_offset(name):
        what = "UTC itself" if _without_etc(name).upper() in _UTC else "a fixed offset from UTC"
        return [("timezone", f'"{name}" is {what}, which does not follow daylight saving time; use {suggestion}')]
    if is_abbreviation(name):
        return [("timezone", f'"{name}" is an abbreviation, not a time zone\'s name; use {suggestion}')]
    if _clock(name) is None:
        return [("timezone", f'"{name}" is not a time zone; use a name such as "{here or "America/New_York"}"')]
    if point is None or not zones_at(*point):  # no coordinates to check it by, or no boundaries known there
        return []
    if here is not None and keeps_clock(name, point, year):
        return []
    if unconfirmed:
        for field, latitude, longitude, what, fix in misreadings(*point):
            meant = zone_at(latitude, longitude)
            if meant is not None and same_clock(name, meant, year):
                return [(field, f'{what} the clinic {_in(zone_at(*point, sea=True))}, not in "{name}"; {fix}')]
    if here is None:
        return [("latitude", f"{_deg(point[0])} and longitude {_deg(point[1])} are at sea, far from any coast; "
                             "correct them")]
    return [("timezone", f'the clinic\'s latitude and longitude ({_at(*point)}) are in the "{here}" time zone, not '
                         f'"{name}"; use "{here}", or correct the latitude and longitude')]


def keeps_clock(name: str, point: tuple[float, float], year: int) -> bool:
    """Whether a zone keeps the clock of the place at `point`, or of a place within BORDER_KM of it
    (a zone this copy of tzdata does not know is given the benefit of the doubt)."""
    if any(same_clock(name, zone, year) is not False for zone in zones_at(*point)):
        return True
    return any(same_clock(name, zone, year) is not False for zone in zones_near(*point, BORDER_KM))


def misreadings(latitude: float, longitude: float) -> Iterator[tuple[str, float, float, str, str]]:
    """The coordinates as they were likely meant, when a minus sign was dropped or added, or they were
    swapped: (the field to correct, latitude, longitude, what was written, the fix)."""
    if longitude:
        yield "longitude", latitude, -longitude, f"{_deg(longitude)} puts", f"did you mean {_deg(-longitude)}?"
    if latitude:
        yield "latitude", -latitude, longitude, f"{_deg(latitude)} puts", f"did you mean {_deg(-latitude)}?"
    both = f"{_deg(latitude)} and longitude {_deg(longitude)} put"
    if latitude and longitude:
        yield "latitude", -latitude, -longitude, both, f"did you mean {_deg(-latitude)} and {_deg(-longitude)}?"
    if abs(longitude) <= 90 and latitude != longitude:
        yield ("latitude", longitude, latitude, both,
               f"they seem swapped: write latitude: {_deg(longitude)} and longitude: {_deg(latitude)}")


def is_fixed_offset(name: str) -> bool:
    """UTC itself, "UTC-5", "GMT+1", "-05:00", "Etc/GMT+5": a clock that never moves for daylight saving."""
    return _without_etc(name).upper() in _UTC or name.lower().startswith("etc/") or bool(_OFFSET.fullmatch(name))


def is_abbreviation(name: str) -> bool:
    """ "EST", "PST", "CEST", "est": a clock's abbreviation, which tzdata keeps for a few but no place uses."""
    return name in _NOT_PLACES or (bool(re.fullmatch(r"[A-Z]{2,5}|[a-z]{2,4}", name)) and _clock(name) is None)


def zone_at(latitude: float, longitude: float, sea: bool = False) -> str | None:
    """The time zone of the place at a point; None at sea (unless `sea`) and where no boundary says."""
    zone = _tzfpy().get_tz(longitude, latitude)
    return zone if zone and (sea or not zone.startswith("Etc/")) else None


def zones_at(latitude: float, longitude: float) -> set[str]:
    """Every time zone covering a point: two where boundaries overlap or meet."""
    tzfpy = _tzfpy()
    return {zone for zone in (tzfpy.get_tz(longitude, latitude), *tzfpy.get_tzs(longitude, latitude)) if zone}


def zones_near(latitude: float, longitude: float, km: int) -> set[str]:
    """The time zones within `km` of a point: those on circles around it, 1 km apart, at 16 bearings
    (a border crossing a circle is met within one step of its bearings)."""
    tzfpy = _tzfpy()
    zones = set()
    across = max(math.cos(math.radians(latitude)), 0.01)  # a degree of longitude shrinks towards the poles
    for radius in range(1, km + 1):
        degrees = math.degrees(radius / EARTH_RADIUS_KM)
        for step in range(16):
            bearing = math.tau * step / 16
            lat = min(90.0, max(-90.0, latitude + degrees * math.cos(bearing)))
            lon = (longitude + degrees * math.sin(bearing) / across + 180) % 360 - 180
            zones.add(tzfpy.get_tz(lon, lat))
    zones.discard("")
    return zones


@functools.lru_cache(maxsize=None)
def same_clock(a: str, b: str, year: int) -> bool | None:
    """Whether two zones' clocks agree in `year` and the next (None: one of them is unknown here).

    Compared every 6 hours, which finds every difference of offset or of daylight saving's dates;
    two zones changing an hour apart on the same night count as one. So aliases
    (US/Eastern, America/New_York), zones that differ only in their past (America/Indiana/Indianapolis)
    and a neighbouring country's zone with the same rules (America/Toronto) all agree.
    """
    if a == b:
        return True
    clock_a, clock_b = _clock(a), _clock(b)
    if clock_a is None or clock_b is None:
        return None
    start = dt.datetime(year, 1, 1, tzinfo=dt.timezone.utc)
    return all(moment.astimezone(clock_a).utcoffset() == moment.astimezone(clock_b).utcoffset()
               for moment in (start + dt.timedelta(hours=hours) for hours in range(0, 2 * 366 * 24, 6)))


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance by the haversine formula."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    half = (math.sin((phi2 - phi1) / 2) ** 2
            + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(half)))


def _clock(name: str) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _tzfpy():
    import tzfpy  # imported when first needed: a build without clinics, or with its checks cached, never loads it

    return tzfpy


def _without_etc(name: str) -> str:
    return name[4:] if name.lower().startswith("etc/") else name


def _in(zone: str) -> str:
    return "at sea" if zone.startswith("Etc/") or not zone else f'in the "{zone}" time zone'


def _deg(value: float) -> str:
    return repr(value)


def _at(latitude: float, longitude: float) -> str:
    return f"{_deg(latitude)}, {_deg(longitude)}"


def _distance(km: float) -> str:
    return f"{km:,.0f} km ({km / KM_PER_MILE:,.0f} miles)"
