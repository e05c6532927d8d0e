"""Load and validate clinic locations from `content/clinics/<slug>.yaml`."""

from __future__ import annotations

import zoneinfo
from pathlib import Path

import yaml

from site_gen.content.fields import Fields
from site_gen.content.model import WEEKDAYS, Clinic, Closure, Interval, OpeningHours
from site_gen.content.problems import Problems, did_you_mean, one_of
from site_gen.content.sourcefile import compose_yaml, make_source, read_text
from site_gen.content.values import (
    check_email,
    check_slug,
    check_url,
    parse_interval,
    parse_phone,
)

CLINIC_FIELDS = (
    "name", "slug", "street", "city", "region", "postal_code", "country", "phone", "latitude", "longitude",
    "timezone", "hours", "closures", "services", "languages", "wheelchair_access", "website", "email",
)
CLOSURE_FIELDS = ("from", "to", "reason")


def load_clinics(content_dir: Path, services: tuple[str, ...] | None, problems: Problems) -> tuple[Clinic, ...]:
    """Every clinic file, sorted by region, city and name; files with errors are left out."""
    clinics = []
    seen: dict[str, str] = {}
    for path in sorted((content_dir / "clinics").glob("*.yaml")):
        clinic = load_clinic(path, content_dir, services, problems)
        if clinic is None:
            continue
        if clinic.slug in seen:
            problems.error(clinic.source.display, None, "slug",
                           f'"{clinic.slug}" is already used by {seen[clinic.slug]}; each clinic needs its own')
            continue
        seen[clinic.slug] = clinic.source.display
        clinics.append(clinic)
    clinics.sort(key=lambda c: (c.region, c.city, c.name.lower(), c.slug))
    return tuple(clinics)


def load_clinic(path: Path, content_dir: Path, services: tuple[str, ...] | None, problems: Problems) -> Clinic | None:
    """Read one clinic file; None after recording its errors."""
    source = make_source(path, content_dir)
    text = read_text(source, problems)
    node = compose_yaml(source, text, 1, problems) if text is not None else None
    if node is None:
        return None
    errors_before = len(problems.errors)
    fields = Fields(node, source.display, 1, problems, CLINIC_FIELDS)
    country = fields.text("country")
    if country is not None and not (len(country) == 2 and country.isalpha() and country.isupper()):
        fields.error("country", f'expected a two-letter country code such as "US", got "{country}"')
    clinic = Clinic(
        source=source,
        slug=_clinic_slug(path, fields),
        name=fields.text("name"),
        street=fields.text("street"),
        city=fields.text("city"),
        region=fields.text("region"),
        postal_code=fields.text("postal_code"),
        country=country,
        phone=fields.parsed("phone", lambda text: parse_phone(text, country or "US")),
        latitude=fields.number("latitude", -90, 90),
        longitude=fields.number("longitude", -180, 180),
        timezone=_timezone(fields),
        hours=_hours(fields),
        services=_services(fields, services),
        languages=fields.text_list("languages", required=False),
        wheelchair_access=fields.boolean("wheelchair_access") if fields.has("wheelchair_access") else None,
        website=fields.parsed("website", lambda text: check_url(text, ("https",)), required=False),
        email=fields.parsed("email", check_email, required=False),
    )
    return clinic if len(problems.errors) == errors_before else None


def _clinic_slug(path: Path, fields: Fields) -> str | None:
    if fields.has("slug"):
        return fields.parsed("slug", check_slug)
    try:
        return check_slug(path.stem)
    except ValueError:
        fields.problems.error(fields.path, None, None,
                              f'the file name "{path.name}" cannot be used in a web address; rename it using '
                              "lower-case letters, digits and dashes, such as cary-downtown.yaml")
        return None


def _timezone(fields: Fields) -> str | None:
    name = fields.text("timezone")
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        fields.error("timezone", f'"{name}" is not a time zone; use a name such as "America/New_York"')
        return None
    return name


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


def _hours(fields: Fields) -> OpeningHours | None:
    week = fields.child("hours", WEEKDAYS, required=False)
    if week is None:
        if fields.has("closures"):
            fields.error("closures", "closures need opening hours; add hours or remove closures")
        return None
    days = tuple(_day(week, day) for day in WEEKDAYS)
    closures = []
    for index, item in enumerate(fields.items("closures", required=False), start=1):
        closure = fields.child_of(item, f"closures item {index}", CLOSURE_FIELDS)
        if closure is None:
            continue
        start, end, reason = closure.date("from"), closure.date("to"), closure.text("reason")
        if start and end and end < start:
            closure.error("to", f"ends on {end}, before it starts on {start}")
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
        text = week.text_of(item, day)
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
        if after.opens < before.closes:
            week.error(day, f"{before.opens}-{before.closes} and {after.opens}-{after.closes} overlap")
    return tuple(intervals)
