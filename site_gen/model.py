"""The clinic's content as typed data, made once by the loader and never changed afterwards."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlsplit

from .sourcefile import SourceFile

PLANES = ("flexion", "extension", "rotation", "side-bending", "mobility")
SPINAL_PLANES = PLANES[:4]  # the four the spine moves in; mobility is supporting work
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
class Frequency:
    """How often: `times_min`–`times_max` times per day or per week."""

    times_min: int
    times_max: int
    per: str  # "day" or "week"

    def words(self) -> str:
        """Plain words: "every day", "once or twice a week", "3–4 times a week"."""
        low, high = self.times_min, self.times_max
        if self.per == "day" and low == high == 1:
            return "every day"
        if (low, high) == (1, 2):
            return f"once or twice a {self.per}"
        if low == high:
            return {1: f"once a {self.per}", 2: f"twice a {self.per}"}.get(low, f"{low} times a {self.per}")
        return f"{low}–{high} times a {self.per}"

    def sessions_per_week(self) -> tuple[int, int]:
        """Fewest and most sessions in a week, for the weekly tracker."""
        days = 7 if self.per == "day" else 1
        return self.times_min * days, self.times_max * days


@dataclass(frozen=True)
class Hold:
    """How long to hold each repetition."""

    seconds: int
    approximate: bool

    def words(self) -> str:
        unit = "second" if self.seconds == 1 else "seconds"
        return f"{'about ' if self.approximate else ''}{self.seconds} {unit}"


@dataclass(frozen=True)
class Dosage:
    """How much and how often, exactly as the source gives it; None where it gives nothing."""

    sets: int | None
    reps: int | None
    per_side: bool
    hold: Hold | None
    distance: str | None
    frequency: Frequency | None
    spread_over_day: bool

    def sets_words(self) -> str | None:
        """ "2 on each side", "5, spread out over the day", or None when not given."""
        if self.sets is None:
            return None
        words = str(self.sets)
        if self.per_side and self.reps is None:
            words += " on each side"
        if self.spread_over_day:
            words += ", spread out over the day"
        return words

    def reps_words(self) -> str | None:
        """ "15 times on each side", "once on each side", or None when not given."""
        if self.reps is None:
            return None
        words = "once" if self.reps == 1 else f"{self.reps} times"
        return words + (" on each side" if self.per_side else "")

    def summary(self) -> str:
        """One line for lists and the top of the dosage box: "15 times on each side, every day"."""
        side = " on each side" if self.per_side else ""
        parts = []
        if self.sets is not None:
            sets = f"{self.sets} {'set' if self.sets == 1 else 'sets'}"
            parts.append(f"{sets} of {self.reps}{side}" if self.reps is not None else sets + side)
        elif self.reps is not None:
            parts.append(self.reps_words())
        if self.spread_over_day:
            parts.append("spread out over the day")
        if self.frequency is not None:
            parts.append(self.frequency.words())
        text = ", ".join(parts)
        return text[:1].upper() + text[1:] if text else "Your physical therapist will set how much and how often"

    def boxes_per_day(self) -> int:
        """Tick boxes a day on the weekly tracker: one per set spread over the day, or per daily session."""
        if self.spread_over_day and self.sets:
            return self.sets
        if self.frequency is not None and self.frequency.per == "day":
            return self.frequency.times_max
        return 1  # weekly, or as the therapist says: tick the days it is done

    def set_by_therapist(self) -> tuple[str, ...]:
        """The parts of the dosage the source leaves to the physical therapist."""
        missing = []
        if self.sets is None:
            missing.append("sets")
        if self.reps is None:
            missing.append("repetitions")
        if self.frequency is None:
            missing.append("frequency")
        return tuple(missing)


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
    plane: str
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
class Plane:
    """A way the spine moves (or `mobility`, the supporting work), in everyday words."""

    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class Page:
    """A Markdown page: the home page or the explainer."""

    source: SourceFile
    slug: str
    title: str
    summary: str
    review: Review
    body: str
    body_line: int
    front_key: str  # as Exercise's


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

    def planes(self) -> tuple[str, ...]:
        """The planes its exercises train, in the standard order."""
        trained = {item.exercise.plane for item in self.items}
        return tuple(plane for plane in PLANES if plane in trained)


@dataclass(frozen=True)
class Content:
    """Everything the loader read and validated from the content folder."""

    site: SiteConfig
    home: Page
    explainer: Page
    planes: tuple[Plane, ...]
    exercises: tuple[Exercise, ...]
    clinics: tuple[Clinic, ...]
    programs: tuple[Program, ...]
    images: tuple[str, ...] = ()  # files under content/images/, as paths inside the content folder

    def pages_with_bodies(self) -> tuple[Page | Exercise, ...]:
        """The pages written in Markdown below their front matter."""
        return (self.home, self.explainer, *self.exercises)
