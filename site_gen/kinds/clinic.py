"""Clinics: `content/clinics/<slug>.yaml`, each a page with its address, phone, hours and services,
and the clinic locator that lists them all."""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

import yaml

from site_gen.content.fields import Fields
from site_gen.content.model import Content, Phone, SiteConfig
from site_gen.content.places import Findings, check_place
from site_gen.content.problems import Problems, did_you_mean, one_of
from site_gen.content.reading import check_unique_slugs, read_slug
from site_gen.content.sourcefile import (
    ContentFiles,
    SourceFile,
    compose_yaml,
)
from site_gen.content.values import (
    check_country,
    check_email,
    check_region,
    check_url,
    parse_phone,
    suggest_country,
)
from site_gen.content.words import N_
from site_gen.features import international
from site_gen.features.jsonld import CONTEXT, medical_clinic
from site_gen.features.locator_places import Places, check_place_addresses, group_clinics
from site_gen.features.postcodes import PostcodeTable, read_table
from site_gen.keys import key_of
from site_gen.kinds.kind import Kind, Loading, Memo, Route, no_memo

if TYPE_CHECKING:
    from site_gen.build.assemble import Site
    from site_gen.build.language import Language

FOLDER = "clinics"
LIST_URL = "clinics/"
POSTCODES_URL = "clinics/postcodes.js"  # loaded by the locator only when someone types a postal code
SEARCH_URL = "clinics/search.js"  # every clinic, compactly: loaded by the locator when someone starts to search
PLACE_TEMPLATE = "clinics_place.html"  # the clinics of a place, or of a part of one (features/locator_places.py)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
CLINIC_FIELDS = (
    "name", "slug", "street", "city", "region", "postal_code", "country", "phone", "latitude", "longitude",
    "timezone", "hours", "closures", "services", "languages", "wheelchair_access", "website", "email",
)
CLOSURE_FIELDS = ("from", "to", "reason")



@dataclass(frozen=True)
class Interval:
    """An opening interval in a clinic's local time, "HH:MM" strings. It belongs to the day it opens:
    one that closes before it opens (18:00-02:00) runs past midnight into the next day."""

    opens: str
    closes: str

    @property
    def overnight(self) -> bool:
        """It closes the next day, after midnight."""
        return self.closes < self.opens

    @property
    def all_day(self) -> bool:
        """Open 24 hours: 00:00-24:00."""
        return (self.opens, self.closes) == ("00:00", "24:00")

    def minutes(self) -> tuple[int, int]:
        """When it opens and closes, in minutes from the start of its day (past 1440 the next day)."""
        opens, closes = (int(time[:2]) * 60 + int(time[3:]) for time in (self.opens, self.closes))
        return opens, closes + (1440 if self.overnight else 0)

    def opening(self, language: Language | None = None) -> str:
        """When it opens, as the page's language writes a time of day (international.time_of_day)."""
        return international.time_of_day(self.opens, language)

    def closing(self, language: Language | None = None) -> str:
        """When it closes, likewise."""
        return international.time_of_day(self.closes, language)


@dataclass(frozen=True)
class Closure:
    """Days a clinic is closed, both dates included."""

    start: dt.date
    end: dt.date
    reason: str


@dataclass(frozen=True)
class OpeningHours:
    """A week of opening hours (Monday first) and holiday closures."""

    days: tuple[tuple[Interval, ...], ...]  # seven entries; empty means closed
    closures: tuple[Closure, ...]

    def runs(self) -> tuple[tuple[int, int, tuple[Interval, ...]], ...]:
        """Consecutive weekdays with the same hours, as (first day, last day, intervals); 0 is Monday."""
        runs: list[tuple[int, int, tuple[Interval, ...]]] = []
        for day, intervals in enumerate(self.days):
            if runs and runs[-1][2] == intervals:
                runs[-1] = (runs[-1][0], day, intervals)
            else:
                runs.append((day, day, intervals))
        return tuple(runs)


@dataclass(frozen=True)
class Clinic:
    """A clinic location, from `content/clinics/<slug>.yaml`."""

    source: SourceFile
    slug: str
    name: str
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    phone: Phone
    latitude: float
    longitude: float
    timezone: str
    hours: OpeningHours | None  # None: hours not listed
    services: tuple[str, ...]
    languages: tuple[str, ...]
    wheelchair_access: bool | None
    website: str | None
    email: str | None

    def address_lines(self, site: SiteConfig, language: str | None = None) -> tuple[str, ...]:
        """Its address as its country writes it, a line each, then its country's name in the page's
        language (a tag; by default the site's first) when it is not the site's home country."""
        return international.address_lines(self.street, self.city, self.region, self.postal_code, self.country,
                                           site.country, language or site.language)

    def language_names(self, language: Language | None = None) -> tuple[str, ...]:
        """The languages spoken at the clinic, as its file names them in English ("Spanish"), named in
        the page's language where Babel knows the name ("español"); others as written."""
        if international.in_source_language(language):
            return self.languages
        return tuple(international.language_name(name, language.locale) for name in self.languages)

    def disclaimer(self, site: SiteConfig, words: gettext.NullTranslations | None = None) -> str:
        """The site's disclaimer on its own page: the emergency number it names is its country's; `words`,
        the page's language's (the site's disclaimer is in it)."""
        return international.disclaimer_for(site.disclaimer, site.country, self.country, words)


def load(loading: Loading) -> tuple[Clinic, ...]:
    """Every clinic file, sorted by region, city and name; files with errors are left out."""
    services = loading.site.service_names() if loading.site else None
    clinics = [clinic for source in loading.files.sources(FOLDER, ".yaml")
               if (clinic := load_clinic(source, loading.files, services, loading.problems, loading.memo,
                                         loading.today)) is not None]
    clinics = check_unique_slugs(clinics, loading.problems, "each clinic")
    clinics = check_place_addresses(clinics, loading.problems, FOLDER, loading.site.language if loading.site else "en")
    return tuple(sorted(clinics, key=lambda c: (c.region, c.city, c.name.lower(), c.slug)))


def load_clinic(source: SourceFile, files: ContentFiles, services: tuple[str, ...] | None,
                problems: Problems, memo: Memo = no_memo, today: dt.date | None = None) -> Clinic | None:
    """Read one clinic file; None after recording its errors. Its closures that ended before `today`
    (the build's day; default: today's date) are left out."""
    text = files.text(source)
    node = compose_yaml(source, text, 1, problems) if text is not None else None
    if node is None:
        return None
    errors_before = len(problems.errors)
    fields = Fields(node, source.display, 1, problems, CLINIC_FIELDS)
    # A region's name may hold an apostrophe (Côte d’Azur); the others are codes.
    country, region, postal_code, timezone = (fields.text(key, code=key != "region")
                                              for key in ("country", "region", "postal_code", "timezone"))
    latitude, longitude = fields.number("latitude", -90, 90), fields.number("longitude", -180, 180)
    # Country, region, ZIP code, coordinates and time zone, checked against one another: pure work
    # whose libraries' tables take a tenth of a second to load, so its findings are kept in the
    # cache, by the values they are made of.
    place = (country, region, postal_code, latitude, longitude, timezone, dt.date.today().year)
    findings, known_country = memo(key_of("clinic place", *place), lambda: check_clinic_place(*place))
    for field, message in findings:
        fields.error(field, message)
    clinic = Clinic(
        source=source,
        slug=read_slug(source, fields, "cary-downtown.yaml"),
        name=fields.text("name"),
        street=fields.text("street"),
        city=fields.text("city"),
        region=region,
        postal_code=postal_code,
        country=country,
        phone=_phone(fields, known_country),
        latitude=latitude,
        longitude=longitude,
        timezone=timezone,
        hours=_hours(fields, today or dt.date.today()),
        services=_services(fields, services),
        languages=fields.text_list("languages", required=False),
        wheelchair_access=fields.boolean("wheelchair_access") if fields.has("wheelchair_access") else None,
        website=fields.parsed("website", lambda text: check_url(text, ("https",)), required=False),
        email=fields.parsed("email", check_email, required=False),
    )
    return clinic if len(problems.errors) == errors_before else None


def check_clinic_place(country: str | None, region: str | None, postal_code: str | None, latitude: float | None,
                       longitude: float | None, timezone: str | None, year: int) -> tuple[Findings, str | None]:
    """The findings about a clinic's country, region, ZIP code, coordinates and time zone, and the
    country its phone number is read for (the one a mistaken code most likely means)."""
    findings: Findings = []
    known = None
    if country is not None:
        try:
            known = check_country(country)
        except ValueError as exc:
            findings.append(("country", str(exc)))
            known = suggest_country(country)
    if region is not None and known is not None:
        try:
            check_region(region, known)
        except ValueError as exc:
            findings.append(("region", str(exc)))
    return findings + check_place(known, postal_code, latitude, longitude, timezone, _postcodes, year), known


@functools.cache
def _postcodes() -> tuple[PostcodeTable, dict[str, tuple[float, float]]]:
    """The shipped US postal codes, and their centres by code."""
    table = read_table()
    return table, {code: (lat, lon) for code, lat, lon in table.rows}


def _phone(fields: Fields, country: str | None) -> Phone | None:
    """The phone number, read for the clinic's country; a local number is left unread when the
    country is wrong beyond guessing (its own error comes first)."""
    text = fields.text("phone", code=True)
    if text is None or (country is None and not text.startswith("+") and fields.has("country")):
        return None
    try:
        return parse_phone(text, country or "US")
    except ValueError as exc:
        fields.error("phone", str(exc))
        return None


def _services(fields: Fields, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    chosen = []
    for index, item in enumerate(fields.items("services"), start=1):
        value = fields.text_of(item, f"services item {index}")
        if value is None or allowed is None:
            continue
        if value not in allowed:
            fields.error("services", f'"{value}" is not one of the services in site.yaml{did_you_mean(value, allowed)}; '
                                     f"expected {one_of(allowed)}", item)
        else:
            chosen.append(value)
    return tuple(chosen)


def _hours(fields: Fields, today: dt.date) -> OpeningHours | None:
    """The week's hours and the closures not yet over on `today`; one over for more than a year is a warning."""
    week = fields.child("hours", WEEKDAYS, required=False)
    if week is None:
        if fields.has("closures"):
            fields.error("closures", "closures need opening hours; add hours or remove closures")
        return None
    days = tuple(_day(week, day) for day in WEEKDAYS)
    # Hours past midnight (Sunday's into Monday too) must end before the next day's first opening.
    for index, intervals in enumerate(days):
        following = WEEKDAYS[(index + 1) % 7]
        for late in (interval for interval in intervals if interval.overnight):
            for after in days[(index + 1) % 7]:
                if after.opens < late.closes:
                    week.error(following, f"{after.opens}-{after.closes} opens before {WEEKDAYS[index]}'s "
                                          f"{late.opens}-{late.closes} closes")
    closures = []
    for index, item in enumerate(fields.items("closures", required=False), start=1):
        closure = fields.child_of(item, f"closures item {index}", CLOSURE_FIELDS)
        if closure is None:
            continue
        start, end, reason = closure.date("from"), closure.date("to"), closure.text("reason")
        if start and end and end < start:
            closure.error("to", f"ends on {end}, before it starts on {start}")
        elif start and end and reason and end < today:  # over: not shown, and after a year, clutter
            if (today - end).days > 365:
                fields.problems.warning(closure.path, closure.line(), f"closures item {index}",
                                        f"ended {end}, more than a year ago, and is no longer shown; delete it")
        elif start and end and reason:
            closures.append(Closure(start, end, reason))
    return OpeningHours(days, tuple(closures))


def _day(week: Fields, day: str) -> tuple[Interval, ...]:
    node = week.raw(day)
    if node is None:
        return ()
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    intervals = []
    for item in items:
        text = week.text_of(item, day, code=True,
                            example='opening hours in quotes, such as "08:30-17:00", or closed')
        if text is None:
            continue
        if text.lower() == "closed" and len(items) == 1:
            return ()
        try:
            intervals.append(parse_interval(text))
        except ValueError as exc:
            week.error(day, str(exc), item)
    intervals.sort(key=lambda i: i.opens)
    for before, after in zip(intervals, intervals[1:]):
        if after.minutes()[0] < before.minutes()[1]:
            week.error(day, f"{before.opens}-{before.closes} and {after.opens}-{after.closes} overlap")
    return tuple(intervals)


_INTERVAL = re.compile(r"(\d{1,2}):(\d{2})\s*[-–—]\s*(\d{1,2}):(\d{2})")


def parse_interval(text: str) -> Interval:
    """ "07:00-19:00" (a hyphen or an en dash) into an opening interval; "18:00-02:00" closes the next day."""
    match = _INTERVAL.fullmatch(text.strip())
    if not match:
        raise ValueError(f'expected opening hours like "07:00-19:00" or closed, got "{text}"')
    open_h, open_m, close_h, close_m = (int(part) for part in match.groups())
    for hour, minute in ((open_h, open_m), (close_h, close_m)):
        if hour > 24 or minute > 59 or (hour == 24 and minute):
            raise ValueError(f'"{hour:02d}:{minute:02d}" is not a time of day; use 00:00 to 23:59 (24:00 for midnight)')
    if open_h == 24:
        raise ValueError("cannot open at 24:00; use 00:00")
    if (close_h, close_m) == (open_h, open_m):
        raise ValueError(f'opens and closes at {open_h:02d}:{open_m:02d}; write "00:00-24:00" for open 24 hours, '
                         f"or closed")
    # Closing at 00:00 is closing at midnight, at the end of the day it opened.
    closes = "24:00" if (close_h, close_m) == (0, 0) else f"{close_h:02d}:{close_m:02d}"
    return Interval(f"{open_h:02d}:{open_m:02d}", closes)


def clinic_url(clinic: Clinic) -> str:
    return f"{FOLDER}/{clinic.slug}/"


def places(content: Content, language: Language | None = None) -> Places:
    """The clinics by country, region and city, and the pages listing them, named in `language` (by
    default the site's first, with the theme's words as written)."""
    if language is None:
        return group_clinics(content.of("clinics"), content.site.country, content.site.language, FOLDER)
    return group_clinics(content.of("clinics"), content.site.country, language.tag, FOLDER, language.words)


def routes(content: Content) -> Iterator[Route]:
    """The clinic locator, the postal codes and search index it loads, the page of each place's
    clinics, then each clinic's page."""
    yield Route(LIST_URL, "clinics.html", N_("Find a clinic"),
                N_("Addresses, phone numbers and opening hours of every %(clinic)s clinic.", clinic=content.site.clinic))
    yield Route(POSTCODES_URL, "postcodes.js", "Postal codes", in_sitemap=False)
    yield Route(SEARCH_URL, "clinics_search.js", "Clinic search", in_sitemap=False)
    clinic_name = content.site.clinic
    for page in places(content).pages:
        # A part of a split place says which of its clinics it lists: each part's is its own.
        part = page.part
        if page.split:
            description = N_("Addresses, phone numbers and opening hours of clinics %(first)s–%(last)s of the "
                             "%(total)s %(clinic)s clinics in %(place)s (%(part)s).", first=part.first, last=part.last,
                             total=page.total, clinic=clinic_name, place=page.name, part=part.label)
        else:
            description = N_("Addresses, phone numbers and opening hours of the %(clinic)s clinics in %(place)s.",
                             clinic=clinic_name, place=page.name)
        yield Route(page.url, PLACE_TEMPLATE, page.title, description)
    for clinic in content.of("clinics"):
        yield Route(clinic_url(clinic), "clinic.html", clinic.name,
                    N_("%(address)s. Call %(phone)s.", address=", ".join(clinic.address_lines(content.site)),
                       phone=clinic.phone.display), clinic, own_page=True)


def structured_data(site: Site, route: Route) -> dict[str, Any] | None:
    """A clinic's page: the clinic itself, as a schema.org MedicalClinic (others: none)."""
    if not route.own_page:
        return None
    return {"@context": CONTEXT, **medical_clinic(site, route.item, site.config.base_url + route.url)}


KIND = Kind("clinic", "clinics", Clinic, load, routes, structured_data=structured_data)
