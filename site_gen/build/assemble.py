"""Assemble the site: addresses, topics and their exercises, neighbours, clinics by place, links.

Call after the content is loaded and its Markdown rendered. Everything here is cheap and global,
so it runs on every build: nothing can go stale.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import pickle
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

from markupsafe import Markup

from site_gen.build.language import Language
from site_gen.build.links import Elsewhere, resolve_bodies
from site_gen.build.markup import RenderedMarkdown
from site_gen.build.pictures import ProcessedPicture
from site_gen.build.routes import item_key, iter_routes, own_pages, relative_url
from site_gen.content.model import Content, Page, Review
from site_gen.content.problems import Problems, did_you_mean
from site_gen.content.words import ENGLISH
from site_gen.features.locator import clinic_data, locator_data, script_words, search_index
from site_gen.features.locator_places import CityGroup, Places, RegionGroup  # noqa: F401 - templates' types
from site_gen.features.maps import ClinicMap, clinic_maps
from site_gen.features.printfit import (
    PrintMeasures,
    choose_spacing,
    cover_fits,
    tightest,
)
from site_gen.keys import key_of
from site_gen.kinds.clinic import Clinic
from site_gen.kinds.clinic import places as clinic_places
from site_gen.kinds.dosage import Dosage
from site_gen.kinds.exercise import FOLDER as EXERCISES
from site_gen.kinds.exercise import Exercise
from site_gen.kinds.kind import Route
from site_gen.kinds.program import Program, print_packet_url
from site_gen.kinds.topic import Group, Topic

# Each printed sheet's spacing by (exercise slug, dosage, with blanks, with a note), and the file and
# title of each sheet that may not fit a page even with tight spacing.
SheetFits = tuple[dict[tuple, str], list[tuple[str, str]]]


@dataclass(frozen=True)
class GroupExercises:
    """A topic's group and the exercises that belong to it, in the library's order."""

    group: Group
    exercises: tuple[Exercise, ...]
    # In a language other than the site's first: the group's exercises not translated into it (their
    # pages in the first language), which its lists leave out but which still train the group.
    elsewhere: tuple[Exercise, ...] = ()


@dataclass(frozen=True)
class TopicExercises:
    """A topic with its exercises: by group, and all of them."""

    topic: Topic
    groups: tuple[GroupExercises, ...]
    exercises: tuple[Exercise, ...]
    missing: tuple[Group, ...]  # groups a program should cover that no exercise belongs to (coverage topics)


@dataclass(frozen=True)
class Coverage:
    """What a program trains of a topic that asks programs to cover all its groups."""

    topic: Topic
    groups: tuple[tuple[Group, bool], ...]  # the groups to show, each with whether the program trains it
    missing: tuple[Group, ...]


@dataclass(frozen=True)
class Site:
    """The whole site, ready for templates: content plus everything derived across pages."""

    content: Content
    routes: tuple[Route, ...]
    bodies: Mapping[str, Markup]  # content file → its body as HTML, links resolved; templates call body(item)
    topics: tuple[TopicExercises, ...]
    unplaced: tuple[Exercise, ...]  # exercises in no topic
    regions: tuple[RegionGroup, ...]  # every region with clinics, country by country (places.regions)
    print_fits: Mapping[tuple, str]  # (exercise slug, dosage, blank, has note) → print spacing
    print_measures: PrintMeasures  # the theme's, of its printed sheets
    locator: Mapping[str, Any]  # the locator script's data
    postcodes: Mapping[str, list[float]]  # postal code → centroid, near the clinics
    positions: Mapping[str, int]  # exercise slug → its place in the library's order
    urls: Mapping[tuple[str, str], str]  # each content item (routes.item_key) → the address of its own page
    content_key: str  # a hash of all the content but page bodies: when it changes, every page is made again
    offline: bool = False  # a copy to open from disk: links name index.html (routes.relative_url)
    places: Places = Places()  # the clinics by country, region and city, and the pages listing them
    # Each picture of the content as the picture step made it, by its path in the content folder.
    pictures: Mapping[str, ProcessedPicture] = field(default_factory=lambda: MappingProxyType({}))
    # The language of these pages, and every language of the site (the first at its root): a site in
    # more than one language is assembled once per language (`assemble_sites`).
    language: Language | None = None
    languages: tuple[Language, ...] = ()
    # Each item of the site's first language (routes.item_key) → its page, where links lead when
    # the item is not translated into this site's language.
    elsewhere: Mapping[tuple[str, str], str] = field(default_factory=lambda: MappingProxyType({}))
    # An address without its language's folder → the same page in each language that has it.
    # (Also when it was last reviewed, for the sitemap.)
    alternates: Mapping[str, tuple[tuple[Language, str, dt.date], ...]] = field(
        default_factory=lambda: MappingProxyType({}))
    page_urls: frozenset[str] = frozenset()  # the address of every page of this site's language

    @property
    def config(self):
        return self.content.site

    def get_review(self, item: object) -> Review:
        """When a page was last reviewed: its item's own date (a page's, a translation's), else the site's."""
        if isinstance(item, Page):
            return item.review
        translation = getattr(item, "translation", None)
        return translation.review if translation is not None else self.config.review

    def get_topic(self, slug: str) -> TopicExercises:
        return next(section for section in self.topics if section.topic.slug == slug)

    def get_places(self, exercise: Exercise) -> tuple[tuple[Topic, Group | None], ...]:
        """Each topic an exercise belongs to, with its group there (None in a topic without groups);
        a topic or group it names that does not exist (an error of its own) is left out."""
        topics = {section.topic.slug: section.topic for section in self.topics}
        places = []
        for place in exercise.topics:
            topic = topics.get(place.topic)
            if topic is not None:
                groups = [group for group in topic.groups if group.slug in place.groups]
                places += [(topic, group) for group in groups] or ([] if place.groups else [(topic, None)])
        return tuple(places)

    def get_group_names(self, exercise: Exercise) -> tuple[str, ...]:
        """The everyday names of the groups an exercise belongs to."""
        return tuple(group.name for _, group in self.get_places(exercise) if group is not None)

    def get_neighbours(self, exercise: Exercise) -> tuple[Exercise | None, Exercise | None]:
        """The exercises before and after this one in the library's order."""
        exercises = self.content.of("exercises")
        index = self.positions[exercise.slug]
        return (exercises[index - 1] if index > 0 else None,
                exercises[index + 1] if index + 1 < len(exercises) else None)

    def url_of(self, item: object) -> str:
        """The address of a content item's own page: in this site's language, else in the site's first."""
        key = item_key(item)
        return self.urls[key] if key in self.urls else self.elsewhere[key]

    def language_of(self, item: object) -> Language | None:
        """The language of the page a link to an item leads to, when it is not this page's (the item
        is not translated); None when it is."""
        return None if item_key(item) in self.urls or not self.languages else self.languages[0]

    def in_language(self, address: str) -> str:
        """A site address as the theme writes it (`clinics/`, a place's page), in this site's language
        when it has that page; else as given (an item's address, already in its language; a home page
        not translated; an asset)."""
        if self.language is None or self.language.is_main or self.language.prefix + address not in self.page_urls:
            return address
        return self.language.prefix + address

    def get_place_page(self, route: Route):
        """The page of clinics in a place a route shows (features/locator_places.PlacePage)."""
        return self.places.page(route.url.removeprefix(self.language.prefix if self.language else ""))

    def get_alternates(self, route: Route) -> tuple[tuple[Language, str, dt.date], ...]:
        """The page in each language that has it, this one's included (hreflang links, the language menu)."""
        prefix = self.language.prefix if self.language else ""
        return self.alternates.get(route.url.removeprefix(prefix), ())

    def print_packet_url(self, program: Program) -> str:
        return print_packet_url(program)

    def get_maps(self, clinics: Iterable[Clinic]) -> tuple[ClinicMap, ...]:
        """These clinics on maps drawn from the shipped outlines, a map per group of clinics near one
        another (features/maps.py); partials/map.html draws them."""
        return clinic_maps(tuple(clinics))

    def get_clinic_data(self, clinic: Clinic) -> dict[str, Any]:
        """One clinic's entry of the locator data, for its own page's script."""
        return self.get_locator_data((clinic,))

    def get_locator_data(self, clinics: Iterable[Clinic], search: bool = False) -> dict[str, Any]:
        """The locator data of these clinics, for the script of a page listing them, with the scripts'
        words in the page's language (the search's too on the locator: `search`) where they are not
        the scripts' own (features/locator.script_words)."""
        data: dict[str, Any] = {"unit": self.locator["unit"], "clinics": [clinic_data(clinic) for clinic in clinics]}
        said = script_words(self.language.words, self.language.locale, search) if self.language else {}
        if said:
            data["words"] = said
        return data

    def get_search_index(self, page_url: str) -> dict[str, Any]:
        """The locator's search index (clinics/search.js): every clinic, with a link to its page from
        the page at `page_url` (the locator, which loads it; in this site's language), its address and
        the words it is found by in that language."""
        page_url = self.in_language(page_url)
        return search_index(self.config, self.content.of("clinics"),
                            lambda clinic: relative_url(page_url, self.url_of(clinic), self.offline),
                            self.language.tag if self.language else None)

    def get_service_exercises(self, name: str) -> tuple[Exercise, ...]:
        """The exercises that help with a service, as site.yaml lists them."""
        slugs = next((service.exercises for service in self.config.services if service.name == name), ())
        return tuple(exercise for exercise in self.content.of("exercises") if exercise.slug in slugs)

    def get_coverage(self, program: Program) -> tuple[Coverage, ...]:
        """For each topic that asks for coverage and that the program's exercises belong to: which
        of its groups the program trains (supporting groups only when it does)."""
        trained = {(place.topic, group) for item in program.items for place in item.exercise.topics
                   for group in place.groups}
        used = {topic for topic, _ in trained}
        coverage = []
        for section in self.topics:
            topic = section.topic
            if topic.coverage and topic.slug in used:
                shown = tuple((group, (topic.slug, group.slug) in trained) for group in topic.groups
                              if not group.supporting or (topic.slug, group.slug) in trained)
                coverage.append(Coverage(topic, shown, tuple(group for group, done in shown if not done)))
        return tuple(coverage)

    def get_print_fit(self, exercise: Exercise, dosage: Dosage, note: bool = False, blank_too: bool = False) -> str:
        """The print spacing that keeps this sheet on one page (the tightest when none is thought to); with
        `blank_too`, the sheet can also print with blanks for the dosage, and both must fit."""
        fits = [self.print_fits.get((exercise.slug, dosage, blank, note)) or self.print_measures.spacings[-1].name
                for blank in ((False, True) if blank_too else (False,))]
        return tightest(fits, self.print_measures)


def assemble_sites(contents: Mapping[str, Content], languages: tuple[Language, ...], key: str,
                   rendered: Mapping[str, RenderedMarkdown], sheets: Mapping[str, SheetFits], measures: PrintMeasures,
                   postcodes: dict[str, list[float]], problems: Problems, offline: bool = False,
                   pictures: Mapping[str, ProcessedPicture] | None = None) -> tuple[Site, ...]:
    """The site in each of its languages (`contents` and `sheets` by language code, the first
    language's first): each a Site of its own pages, which know their pages in the other languages.
    A link to an item not translated leads to its page in the site's first language."""
    main = languages[0]
    routes = {language.code: tuple(iter_routes(contents[language.code], offline, language.prefix))
              for language in languages}
    alternates: dict[str, list[tuple[Language, str, dt.date]]] = {}
    for language in languages:
        config = contents[language.code].site
        for route in routes[language.code]:
            if route.is_html and route.in_sitemap:
                translation = getattr(route.item, "translation", None)
                reviewed = (route.item.review if isinstance(route.item, Page) else
                            translation.review if translation is not None else config.review).date
                alternates.setdefault(route.url.removeprefix(language.prefix), []).append(
                    (language, route.url, reviewed))
    shared = MappingProxyType({address: tuple(pages) for address, pages in alternates.items()})
    main_routes = routes[main.code]
    elsewhere = own_pages(main_routes)
    main_files = {route.item.source.rel: route.url for route in main_routes if route.own_page}
    sites = []
    for language in languages:
        content = contents[language.code]
        own = {page.source.rel for page in content.pages_with_bodies()}
        sites.append(assemble_site(content, key, {rel: body for rel, body in rendered.items() if rel in own},
                                   sheets[language.code], measures, postcodes, problems, offline, pictures,
                                   routes=routes[language.code], language=language, languages=languages,
                                   elsewhere=elsewhere if language != main else {}, alternates=shared,
                                   main_files=main_files if language != main else {},
                                   main_pages=frozenset(route.url for route in main_routes) if language != main
                                   else frozenset(),
                                   main_exercises=contents[main.code].of("exercises") if language != main else ()))
    return tuple(sites)


def assemble_site(content: Content, key: str, rendered: Mapping[str, RenderedMarkdown], sheets: SheetFits,
                  measures: PrintMeasures, postcodes: dict[str, list[float]], problems: Problems,
                  offline: bool = False, pictures: Mapping[str, ProcessedPicture] | None = None,
                  routes: tuple[Route, ...] | None = None, language: Language | None = None,
                  languages: tuple[Language, ...] = (), elsewhere: Mapping[tuple[str, str], str] | None = None,
                  alternates: Mapping[str, tuple[tuple[Language, str, dt.date], ...]] | None = None,
                  main_files: Mapping[str, str] | None = None, main_pages: frozenset[str] = frozenset(),
                  main_exercises: tuple[Exercise, ...] = ()) -> Site:
    """Put the site together and check what crosses pages: addresses, links and topic coverage.

    `key` is the content's `content_key`; `sheets` the print spacing of every sheet (`fit_sheets`),
    `postcodes` the postal codes near the clinics (`locator.postcode_table`); `offline`, a copy to
    open from disk, whose links name index.html; `pictures` the picture step's, by content file.
    The rest is given by `assemble_sites` for a site in several languages: this language's routes,
    the main language's pages (by item, and by content file for links in bodies), the alternates."""
    pictures = pictures or {}
    routes = routes if routes is not None else tuple(iter_routes(content, offline))
    _check_addresses(routes, problems)
    page_urls = {route.url for route in routes}
    urls = own_pages(routes)
    # A content file, as authors link to it, → the address of its page; pictures are published where they are.
    # A translated page's links name its source's neighbours, translated or not.
    file_urls = dict(main_files or {})
    file_urls.update({route.item.translation.original.rel: route.url for route in routes
                      if route.own_page and getattr(route.item, "translation", None) is not None})
    file_urls.update({route.item.source.rel: route.url for route in routes if route.own_page})
    file_urls.update({image: image for image in content.images})
    file_urls.update({rel: picture.src.path for rel, picture in pictures.items()})  # a link to a photo: its largest
    displays = {route.item.source.rel: route.item.source.display for route in routes if route.item is not None}
    # A link in another language's page to one not translated leads to the first language's, and says so.
    first_language = Elsewhere(main_pages - page_urls, languages[0].tag, language.words.gettext("(in %(language)s)")
                          % {"language": language.name_of(languages[0])}) if main_pages else None
    bodies = resolve_bodies(rendered, file_urls, page_urls | main_pages, displays, content.unloaded, pictures,
                            problems, offline, language.prefix if language else "", first_language)
    exercises = content.of("exercises")
    translated = {exercise.slug for exercise in exercises}
    untranslated = tuple(exercise for exercise in main_exercises if exercise.slug not in translated)
    topics = tuple(_topic_exercises(topic, exercises, untranslated) for topic in content.of("topics"))
    # With errors in the content (a file left out, a group misnamed), what is covered is not known.
    # In another language, groups and services are the first language's, whose checks said all.
    main = language is None or language.is_main
    complete = not problems.errors and main
    for section in topics if complete else ():
        for group in section.missing:
            problems.warning(section.topic.source.display, None, f"groups.{group.slug}",
                             f'no exercise belongs to "{group.name}"; the page says so')
    fits, too_long = sheets
    for display, title in too_long:
        problems.warning(display, None, "steps", f'"{title}" may not print on one page, even with tight spacing; '
                         "shorten its steps or safety notes")
    # In another language, an exercise whose topics are not translated is listed with those in none.
    placed = {exercise.slug for section in topics for exercise in section.exercises}
    unplaced = tuple(exercise for exercise in exercises if exercise.slug not in placed)
    places = clinic_places(content, language)  # its places named in its language
    site = Site(content, routes, MappingProxyType(bodies), topics, unplaced, places.regions,
                MappingProxyType(fits), measures,
                # Plain dicts: these go to json.dumps, which refuses read-only mapping proxies.
                locator_data(content.site, content.of("clinics")),
                postcodes,
                MappingProxyType({exercise.slug: index for index, exercise in enumerate(exercises)}),
                MappingProxyType(urls), key, offline, places, MappingProxyType(dict(pictures)), language, languages,
                MappingProxyType(dict(elsewhere or {})), alternates if alternates is not None else MappingProxyType({}),
                frozenset(page_urls))
    exercise_slugs = [exercise.slug for exercise in exercises]
    for service in content.site.services if main else ():
        for slug in service.exercises:
            if slug not in exercise_slugs and f"{EXERCISES}/{slug}.md" not in content.unloaded:
                problems.error(content.site.source.display, service.line, f"services.{service.name}",
                               f'no exercise "{slug}"{did_you_mean(slug, exercise_slugs)}; '
                               "expected the name of a file in content/exercises/")
    for program in content.of("programs"):
        if not cover_fits(program, measures, site.get_group_names, language.words if language else ENGLISH):
            problems.warning(program.source.display, None, "exercises",
                             f'the cover of "{program.title}" may not fit on one page; '
                             "its tracker has a row per exercise, so split it into two programs")
        for coverage in site.get_coverage(program) if complete else ():
            for group in coverage.missing:
                problems.warning(program.source.display, None, "exercises",
                                 f'no exercise of it belongs to "{group.name}" ({coverage.topic.source.display} asks '
                                 "programs to cover every group); the program page says so")
    return site


def _topic_exercises(topic: Topic, exercises: tuple[Exercise, ...], untranslated: tuple[Exercise, ...] = ()
                     ) -> TopicExercises:
    """A topic's exercises by group; `untranslated`: the first language's exercises not translated
    into the topic's language, which the groups name apart."""
    def in_group(among: tuple[Exercise, ...], group: Group) -> tuple[Exercise, ...]:
        return tuple(exercise for exercise in among for place in exercise.topics
                     if place.topic == topic.slug and group.slug in place.groups)

    in_topic = [(exercise, place) for exercise in exercises for place in exercise.topics if place.topic == topic.slug]
    groups = tuple(GroupExercises(group, in_group(exercises, group), in_group(untranslated, group))
                   for group in topic.groups)
    missing = tuple(entry.group for entry in groups
                    if topic.coverage and not entry.group.supporting and not entry.exercises and not entry.elsewhere)
    return TopicExercises(topic, groups, tuple(dict.fromkeys(exercise for exercise, _ in in_topic)), missing)


def _check_addresses(routes: tuple[Route, ...], problems: Problems) -> None:
    """No two outputs at one address (a topic named like a page the site makes)."""
    seen: dict[str, Route] = {}
    for route in routes:
        other = seen.setdefault(route.output_path, route)
        if other is not route:
            mine, theirs = (route, other) if route.item is not None else (other, route)
            where = mine.item.source.display if mine.item is not None else mine.template
            problems.error(where, None, None, f'its address "/{mine.url}" is already used by "{theirs.title}"; '
                                              "rename the file")


def fit_sheets(content: Content, measures: PrintMeasures, words: gettext.NullTranslations | None = None) -> SheetFits:
    """The print spacing of every sheet the site prints (each exercise's page, with and without blanks,
    and each page of a program's packet), and the file and title of each that may not fit a page.
    `words`: the language's, in which the sheets say their dosage (English, the theme's as written, by default)."""
    words = words or gettext.NullTranslations()
    sheets = [(exercise, exercise.dosage, blank, None) for exercise in content.of("exercises")
              for blank in (False, True)]
    sheets += [(item.exercise, item.dosage, False, item.note)
               for program in content.of("programs") for item in program.items]
    fits, too_long = {}, []
    for exercise, dosage, blank, note in sheets:
        fit = choose_spacing(exercise, dosage, measures, blank, note, words)
        if fit is None:
            too_long.append((exercise.source.display, exercise.title))
        fits[(exercise.slug, dosage, blank, note is not None)] = fit or measures.spacings[-1].name
    return fits, too_long


class _WithoutBodies(pickle.Pickler):
    """Pickles content leaving out page bodies: pages record the bodies they use on their own.

    A page or an exercise is made from its file's front matter, its place and the site's settings
    (pickled with the rest), so it is pickled as its place and the hash of its front matter: far
    quicker than its fields, one by one. Without pickle's memo ("fast" mode), so equal content
    gives equal bytes however its objects are shared (freshly loaded, or some read from the cache)."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, Page):  # topics and exercises are pages too
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
