"""Assemble the site: addresses, planes and their exercises, neighbours, clinics by place, links.

Call after the content is loaded and its Markdown rendered. Everything here is cheap and global,
so it runs on every build: nothing can go stale.
"""

from __future__ import annotations

import io
import itertools
import pickle
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Mapping

from markupsafe import Markup, escape

from .cache import Cache, key_of
from .locator import clinic_data, locator_data, postcode_table
from .markup import ALLOWED_SCHEMES, Link, RenderedMarkdown, fill_links
from .model import SPINAL_PLANES, Clinic, Content, Dosage, Exercise, Page, Plane, Program, Review
from .printfit import choose_spacing, cover_fits, tightest
from .problems import Problems, did_you_mean, one_of
from .routes import Route, iter_routes, print_packet_url, relative_url, source_urls, url_of


@dataclass(frozen=True)
class PlaneGroup:
    plane: Plane
    exercises: tuple[Exercise, ...]


@dataclass(frozen=True)
class CityGroup:
    city: str
    clinics: tuple[Clinic, ...]


@dataclass(frozen=True)
class RegionGroup:
    region: str
    cities: tuple[CityGroup, ...]


@dataclass(frozen=True)
class Site:
    """The whole site, ready for templates: content plus everything derived across pages."""

    content: Content
    routes: tuple[Route, ...]
    bodies: Mapping[str, Markup]  # content file → its body as HTML, links resolved; templates call body(item)
    planes: tuple[PlaneGroup, ...]
    uncovered_planes: tuple[Plane, ...]  # spinal planes no exercise trains
    regions: tuple[RegionGroup, ...]
    print_fits: Mapping[tuple, str]  # (exercise slug, dosage, blank, has note) → print spacing
    locator: Mapping[str, Any]  # the locator script's data
    postcodes: Mapping[str, list[float]]  # postal code → centroid, near the clinics
    positions: Mapping[str, int]  # exercise slug → its place in the library's order
    content_key: str  # a hash of all the content but page bodies: when it changes, every page is made again

    @property
    def config(self):
        return self.content.site

    def get_review(self, item: Page | Exercise | Clinic | None) -> Review:
        """When a page was last reviewed: its own date, else the site's."""
        return item.review if isinstance(item, (Page, Exercise)) else self.config.review

    def get_plane(self, slug: str) -> Plane:
        return next(group.plane for group in self.planes if group.plane.slug == slug)

    def get_neighbours(self, exercise: Exercise) -> tuple[Exercise | None, Exercise | None]:
        """The exercises before and after this one in the library's order."""
        exercises = self.content.exercises
        index = self.positions[exercise.slug]
        return (exercises[index - 1] if index > 0 else None,
                exercises[index + 1] if index + 1 < len(exercises) else None)

    def url_of(self, item: Exercise | Clinic | Program) -> str:
        return url_of(item)

    def print_packet_url(self, program: Program) -> str:
        return print_packet_url(program)

    def get_clinic_data(self, clinic: Clinic) -> dict[str, Any]:
        """One clinic's entry of the locator data, for its own page's script."""
        return {"unit": self.locator["unit"], "clinics": [clinic_data(clinic)]}

    def get_service_exercises(self, name: str) -> tuple[Exercise, ...]:
        """The exercises that help with a service, as site.yaml lists them."""
        slugs = next((service.exercises for service in self.config.services if service.name == name), ())
        return tuple(exercise for exercise in self.content.exercises if exercise.slug in slugs)

    def get_uncovered_planes(self, program: Program) -> tuple[Plane, ...]:
        """Spinal planes none of a program's exercises train."""
        trained = program.planes()
        return tuple(group.plane for group in self.planes
                     if group.plane.slug in SPINAL_PLANES and group.plane.slug not in trained)

    def get_print_fit(self, exercise: Exercise, dosage: Dosage, note: bool = False, blank_too: bool = False) -> str:
        """The print spacing that keeps this sheet on one page (tight when none is thought to); with
        `blank_too`, the sheet can also print with blanks for the dosage, and both must fit."""
        fits = [self.print_fits.get((exercise.slug, dosage, blank, note)) or "tight"
                for blank in ((False, True) if blank_too else (False,))]
        return tightest(fits)


def assemble_site(content: Content, key: str, rendered: Mapping[str, RenderedMarkdown], problems: Problems,
                  cache: Cache | None = None) -> Site:
    """Put the site together and check what crosses pages: links and plane coverage.

    `key` is the content's `content_key`."""
    routes = tuple(iter_routes(content))
    page_urls = {route.url for route in routes}
    file_urls = source_urls(content)
    displays = {route.item.source.rel: route.item.source.display for route in routes if route.item is not None}
    bodies = {}
    for rel, body in rendered.items():
        hrefs = [_resolve(link, file_urls[rel], file_urls, page_urls, displays[rel], problems) for link in body.links]
        bodies[rel] = Markup(fill_links(body.html, hrefs))
    planes = tuple(PlaneGroup(plane, tuple(e for e in content.exercises if e.plane == plane.slug))
                   for plane in content.planes)
    uncovered = tuple(group.plane for group in planes if group.plane.slug in SPINAL_PLANES and not group.exercises)
    for plane in uncovered:
        problems.warning(content.explainer.source.display, None, "planes",
                         f'no exercise trains {plane.slug} ("{plane.name}"); the explainer says so on the page')
    cache = cache or Cache(None)
    fits, too_long = _memo_print_fits(content, cache, key)
    for display, title in too_long:
        problems.warning(display, None, "steps", f'"{title}" may not print on one page, even with tight spacing; '
                         "shorten its steps or safety notes")
    site = Site(content, routes, MappingProxyType(bodies), planes, uncovered, _group_clinics(content.clinics),
                MappingProxyType(fits),
                # Plain dicts: these go to json.dumps, which refuses read-only mapping proxies.
                locator_data(content.site, content.clinics),
                _memo_postcodes(content, cache),
                MappingProxyType({exercise.slug: index for index, exercise in enumerate(content.exercises)}), key)
    exercise_slugs = [exercise.slug for exercise in content.exercises]
    for service in content.site.services:
        for slug in service.exercises:
            if slug not in exercise_slugs:
                problems.error(content.site.source.display, service.line, f"services.{service.name}",
                               f'no exercise "{slug}"{did_you_mean(slug, exercise_slugs)}; '
                               "expected the name of a file in content/exercises/")
    for program in content.programs:
        if not cover_fits(program):
            problems.warning(program.source.display, None, "exercises",
                             f'the cover of "{program.title}" may not fit on one page; '
                             "its tracker has a row per exercise, so split it into two programs")
        for plane in site.get_uncovered_planes(program):
            problems.warning(program.source.display, None, "exercises",
                             f'no exercise trains {plane.slug} ("{plane.name}"); the program page says so')
    return site


def prepare(content: Content, key: str, cache: Cache) -> None:
    """Work out, into the cache, what assembling needs besides the bodies (the print spacing of every
    sheet, the postal codes near the clinics), so that the pipeline can have it done while the bodies
    are converted; `key` is the content's `content_key`."""
    _memo_print_fits(content, cache, key)
    _memo_postcodes(content, cache)


def _memo_print_fits(content: Content, cache: Cache, key: str) -> tuple[dict[tuple, str], list[tuple[str, str]]]:
    # Sheets change only with the content outside bodies: a text edit does not estimate them again.
    return cache.memo("print-fits", key, lambda: _print_fits(content))


def _memo_postcodes(content: Content, cache: Cache) -> dict[str, list[float]]:
    # They depend only on where the clinics are.
    key = key_of(*((clinic.country, clinic.latitude, clinic.longitude) for clinic in content.clinics))
    return cache.memo("postcodes", key, lambda: postcode_table(content.clinics))


def _print_fits(content: Content) -> tuple[dict[tuple, str], list[tuple[str, str]]]:
    """The print spacing of every sheet the site prints, and the file and title of each that may not fit a page."""
    sheets = [(exercise, exercise.dosage, blank, None) for exercise in content.exercises for blank in (False, True)]
    sheets += [(item.exercise, item.dosage, False, item.note)
               for program in content.programs for item in program.items]
    fits, too_long = {}, []
    for exercise, dosage, blank, note in sheets:
        fit = choose_spacing(exercise, dosage, blank, note)
        if fit is None:
            too_long.append((exercise.source.display, exercise.title))
        fits[(exercise.slug, dosage, blank, note is not None)] = fit or "tight"
    return fits, too_long


class _WithoutBodies(pickle.Pickler):
    """Pickles content leaving out page bodies: pages record the bodies they use on their own.

    A page or an exercise is made from its file's front matter, its place and the site's settings
    (pickled with the rest), so it is pickled as its place and the hash of its front matter: far
    quicker than its fields, one by one. Without pickle's memo ("fast" mode), so equal content
    gives equal bytes however its objects are shared (freshly loaded, or some read from the cache)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, (Page, Exercise)):
            return tuple, ((type(obj).__name__, obj.source.rel, obj.source.display, obj.front_key),)
        return NotImplemented


def content_key(content: Content) -> str:
    """A hash of everything the loader read except page bodies: what every page and sheet depends
    on besides the bodies it shows."""
    buffer = io.BytesIO()
    pickler = _WithoutBodies(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True  # an attribute of each pickler (a class attribute is not seen)
    pickler.dump(content)
    return key_of(buffer.getvalue())


def _resolve(link: Link, page_url: str, file_urls: Mapping[str, str], page_urls: set[str],
             display: str, problems: Problems) -> str:
    """The href for an internal link, recording an error when its target does not exist."""
    fragment = f"#{link.fragment}" if link.fragment else ""
    if link.kind in ("external", "anchor"):
        return link.written  # left as written; the page checks look at anchors once pages exist
    if link.kind == "bad":
        problems.error(display, link.line, "link",
                       f'"{link.written}" is not allowed; links start with '
                       f"{one_of(s + ':' for s in ALLOWED_SCHEMES)}, or point to a page of this site")
        return "#"
    if link.kind == "file":
        target = file_urls.get(link.target)
        if target is None:
            problems.error(display, link.line, "link",
                           f'no page or image is made from "{link.target}"{did_you_mean(link.target, file_urls)}')
            return "#"
    else:
        target = link.target
        if target not in page_urls:
            suggestion = did_you_mean("/" + target, ["/" + url for url in page_urls])
            problems.error(display, link.line, "link", f'no page at "/{target}"{suggestion}')
            return "#"
    return str(escape(relative_url(page_url, target + fragment)))


def _group_clinics(clinics: tuple[Clinic, ...]) -> tuple[RegionGroup, ...]:
    """Clinics by region, then city (the loader sorted them that way)."""
    return tuple(
        RegionGroup(region, tuple(CityGroup(city, tuple(by_city))
                                  for city, by_city in itertools.groupby(by_region, key=lambda c: c.city)))
        for region, by_region in itertools.groupby(clinics, key=lambda c: c.region)
    )
