"""The clinic's content as typed data, made once by the loader and never changed afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from site_gen.content.dosage import Dosage
from site_gen.content.sourcefile import SourceFile

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


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

    def service_names(self) -> tuple[str, ...]:
        return tuple(service.name for service in self.services)

    def base_path(self) -> str:
        """The path the site is published under ("/" at a domain's root): pages served at any
        depth (the not-found page) load from it."""
        return urlsplit(self.base_url).path or "/"

    def distance_unit(self) -> str:
        """ "mi" where people measure road distance in miles (the US, the UK), else "km"."""
        region = self.language.replace("_", "-").split("-")[-1].upper()
        return "mi" if region in ("US", "GB", "LR", "MM") else "km"


@dataclass(frozen=True)
class Quote:
    """An expert's words, with attribution."""

    text: str
    name: str
    credentials: str
    affiliation: str


@dataclass(frozen=True)
class Measure:
    """Something the patient measures to track progress, such as toe-to-wall distance."""

    what: str
    every: str  # "day" or "week"


@dataclass(frozen=True)
class Exercise:
    """One exercise, from `content/exercises/<slug>.md`."""

    source: SourceFile
    slug: str
    title: str
    topics: tuple[TopicPlace, ...]  # checked against the topics when the content is loaded
    summary: str
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    dosage: Dosage
    steps: tuple[str, ...]
    safety: tuple[str, ...]
    quote: Quote | None
    measure: Measure | None
    review: Review
    body: str  # Markdown
    body_line: int
    front_key: str  # a hash of its front matter: with its source and site.yaml, all it is made of but its body


@dataclass(frozen=True)
class TopicPlace:
    """Where an exercise belongs in a topic: the topic's slug and, when it has groups, which."""

    topic: str
    groups: tuple[str, ...]
    line: int  # where the exercise names it, for the loader's messages


@dataclass(frozen=True)
class Group:
    """One of a topic's groups of exercises (a way the body moves, a kind of work), in everyday words."""

    slug: str
    name: str
    technical: str | None  # the clinician's word for it, when there is one
    description: str
    supporting: bool  # supporting work: not needed for a program to cover the topic


@dataclass(frozen=True)
class Page:
    """A Markdown page: the home page."""

    source: SourceFile
    slug: str
    title: str
    summary: str
    review: Review
    body: str
    body_line: int
    front_key: str  # as Exercise's


@dataclass(frozen=True)
class Topic(Page):
    """An explainer page, from `content/<slug>.md`, with the groups its exercises fall into."""

    menu: str | None  # its short name in the site's menu; None: not in the menu
    order: int | None  # its place among the topics; None: after those with one, by title
    groups: tuple[Group, ...]
    coverage: bool  # programs using it should cover every group that is not supporting work

    def get_group(self, slug: str) -> Group:
        return next(group for group in self.groups if group.slug == slug)

    def label(self) -> str:
        """Its short name: the menu's, else its title."""
        return self.menu or self.title


@dataclass(frozen=True)
class Interval:
    """An opening interval in a clinic's local time, "HH:MM" strings."""

    opens: str
    closes: str


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


@dataclass(frozen=True)
class ProgramItem:
    """One exercise of a program, with the therapist's own dosage when it differs."""

    exercise: Exercise
    dosage: Dosage  # the program's own, else the exercise's
    own_dosage: bool
    note: str | None


@dataclass(frozen=True)
class Program:
    """A home program: a named, ordered set of exercises, from `content/programs/<slug>.yaml`."""

    source: SourceFile
    slug: str
    title: str
    summary: str
    items: tuple[ProgramItem, ...]


@dataclass(frozen=True)
class Content:
    """Everything the loader read and validated from the content folder."""

    site: SiteConfig
    home: Page
    topics: tuple[Topic, ...]  # in their order
    exercises: tuple[Exercise, ...]
    clinics: tuple[Clinic, ...]
    programs: tuple[Program, ...]
    images: tuple[str, ...] = ()  # files under content/images/, as paths inside the content folder

    def pages_with_bodies(self) -> tuple[Page | Topic | Exercise, ...]:
        """The pages written in Markdown below their front matter."""
        return (self.home, *self.topics, *self.exercises)
