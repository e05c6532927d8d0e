"""The content every kind shares, as typed data made once by the loader and never changed afterwards:
the site's settings, a Markdown page, and the whole content. Each kind's own model is in its unit
(`site_gen/kinds/`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from site_gen.content.sourcefile import SourceFile


@dataclass(frozen=True)
class Review:
    """When a page was last checked by a clinician, and by whom."""

    date: dt.date
    by: str


@dataclass(frozen=True)
class Phone:
    """A phone number: E.164 for `tel:` links, and the local way of writing it for people."""

    e164: str
    display: str


@dataclass(frozen=True)
class Service:
    """A kind of care clinics offer, and the exercises that help with it."""

    name: str
    exercises: tuple[str, ...]  # exercise slugs; checked when the site is assembled
    line: int  # where site.yaml names it, for that check's messages


@dataclass(frozen=True)
class PageBudget:
    """The weight allowed to the pages of one template, from `page_budget_kb` in site.yaml."""

    template: str  # the template's name without .html: "clinics", "program_print"
    kb: int
    line: int  # where site.yaml gives it, for the check that such pages exist


@dataclass(frozen=True)
class SiteConfig:
    """Site-wide settings from `content/site.yaml`."""

    source: SourceFile
    title: str
    clinic: str
    phone: Phone
    base_url: str  # always ends with "/"
    language: str
    disclaimer: str
    review: Review
    services: tuple[Service, ...]
    reading_grade: float = 8  # patient material: 6th to 8th grade
    review_interval_days: int = 365
    page_budget_kb: int = 30  # HTML + CSS + JS of a page, uncompressed
    page_budgets: tuple[PageBudget, ...] = ()  # the pages of these templates are allowed other weights
    sentence_grade: float = 12  # one sentence above it is a finding, whatever its page's grade
    # reading_grade and sentence_grade given for each language (`reading_grade: {en: 8, es: 8}`), as
    # (language code, grade); then the two numbers above are the site's first language's (or the defaults).
    reading_grades: tuple[tuple[str, int], ...] = ()
    sentence_grades: tuple[tuple[str, int], ...] = ()
    review_line: int | None = None  # where `reviewed` is, for the warning when its date is past review
    # The site's home country (`country`, else the region of `language`): addresses elsewhere name
    # their country, and distances are in its unit. None: every address names its country.
    country: str | None = None
    # Every language the site is published in (`languages`, else `language`), the first at its root.
    languages: tuple[str, ...] = ()
    # In another language (site.es.yaml): each service's name (as site.yaml gives it) → its name in it.
    service_translations: tuple[tuple[str, str], ...] = ()

    def language_codes(self) -> tuple[str, ...]:
        """Each language's code, as its translation files and folder name it: "es" for es-US."""
        return tuple(language_code(tag) for tag in self.languages or (self.language,))

    def service_names(self) -> tuple[str, ...]:
        return tuple(service.name for service in self.services)

    def service_words(self, name: str) -> str:
        """A service's name as pages in this language show it (site.es.yaml's, else site.yaml's)."""
        return dict(self.service_translations).get(name, name)

    def services_in_words(self, names: tuple[str, ...]) -> tuple[str, ...]:
        """Services' names as pages in this language show them."""
        return tuple(map(self.service_words, names))

    def base_path(self) -> str:
        """The path the site is published under ("/" at a domain's root): pages served at any
        depth (the not-found page) load from it."""
        return urlsplit(self.base_url).path or "/"

    def distance_unit(self) -> str:
        """ "mi" where people measure road distance in miles (the US, the UK), else "km"."""
        return "mi" if self.country in ("US", "GB", "LR", "MM") else "km"

    def reading_target(self, language: str) -> float:
        """The highest reading grade for a page's prose in `language` (a code or tag): site.yaml's
        `reading_grade`, its number or its grade for that language (else the default, 8)."""
        return _target(self.reading_grades, language, self.reading_grade, SiteConfig.reading_grade)

    def sentence_target(self, language: str) -> float:
        """The highest reading grade for one sentence in `language`: `sentence_grade`, likewise (default 12)."""
        return _target(self.sentence_grades, language, self.sentence_grade, SiteConfig.sentence_grade)


def _target(by_language: tuple[tuple[str, int], ...], language: str, given: float, default: float) -> float:
    """A reading target: one number for every language (`given`), or each language's, by code."""
    if not by_language:
        return given
    return dict(by_language).get(language_code(language), default)


def language_code(tag: str) -> str:
    """A language tag's first part, lower case: "es" for "es-US"."""
    return tag.split("-")[0].split("_")[0].lower()


@dataclass(frozen=True)
class Page:
    """A Markdown page: front matter, then its body. The home page is one; topics and exercises are
    pages with more fields."""

    source: SourceFile
    slug: str
    title: str
    summary: str
    review: Review
    body: str
    body_line: int
    front_key: str  # a hash of its front matter: with its place and site.yaml, all it is made of but its body
    # Set on a page in another language than the site's first: read from a translation file beside its source.
    translation: Translation | None = field(default=None, kw_only=True)


@dataclass(frozen=True)
class Translation:
    """What a translated page says of its translation, besides its words."""

    language: str  # the code of its file and folder: "es"
    translated_by: str
    original: SourceFile  # the source file it translates: its links and figures are that file's
    review: Review  # the translation's own review


@dataclass(frozen=True)
class Content:
    """Everything the loader read and validated from the content folder."""

    site: SiteConfig
    items: dict[str, tuple]  # each kind's items, in the order the site lists them, by the kind's plural
    images: tuple[str, ...] = ()  # files under content/images/, as paths inside the content folder
    # Every picture (PICTURE_SUFFIXES) in the content folder, content/images/ too, as paths inside it:
    # published as the picture step makes them, never as they are (see build/pictures.py).
    pictures: tuple[str, ...] = ()
    # Content files that could not be read into a page (their own errors say why): links and
    # references to them are not reported again, and a build with any fails after its checks.
    unloaded: frozenset[str] = frozenset()
    # The content in each of the site's other languages, by code (site.yaml's `languages`): each kind's
    # translated items (clinics as they are), figures from the source files.
    translations: dict[str, "Content"] = field(default_factory=dict)

    def of(self, plural: str) -> tuple:
        """The items of a kind, by its plural: content.of("exercises")."""
        return self.items[plural]

    def pages_with_bodies(self) -> tuple[Page, ...]:
        """The pages written in Markdown below their front matter."""
        return tuple(item for items in self.items.values() for item in items if isinstance(item, Page))
