"""Exercises: `content/exercises/<slug>.md`, each a page that prints as a one-page handout, and
the list of all of them."""

from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator

from site_gen.content.fields import Fields
from site_gen.content.model import Content, Page
from site_gen.content.problems import Problems
from site_gen.content.reading import (
    check_unique_slugs,
    read_markdown_folder,
    read_review,
    read_slug,
)
from site_gen.content.sourcefile import FrontMatterFile
from site_gen.content.words import N_
from site_gen.features.jsonld import web_page
from site_gen.kinds.dosage import ENGLISH, Dosage, read_dosage
from site_gen.kinds.kind import Kind, Loading, Route
from site_gen.kinds.topic import (
    TopicPlace,
    check_places,
    library_order,
    read_places,
    retired_plane,
)

if TYPE_CHECKING:
    from site_gen.build.assemble import Site
    from site_gen.content.translation import TranslationFile

FOLDER = "exercises"
LIST_URL = "exercises/"
EXERCISE_FIELDS = (
    "title", "slug", "topics", "summary", "muscles", "equipment", "dosage", "steps", "safety", "quote", "measure",
    "reviewed", "reviewed_by", "pictures",
)
PICTURE_FIELDS = ("file", "alt", "caption")
MAX_LEAD_PICTURES = 2  # the start and the end position
MEASURE_FIELDS = ("what", "every")
QUOTE_FIELDS = ("text", "name", "credentials", "affiliation")
DOSAGE_WORDS = ("action", "distance")  # the words of a dosage, which a translation gives
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
# Words that speak to the reader, by language: "you", "your" or "you're"; "usted", "su", "sus", "tú", "tu".
# A language not here is not checked for them.
TO_THE_READER = {
    "en": re.compile(r"(?<![a-z'])you(?:r|'re)?(?![a-z'])"),
    "es": re.compile(r"(?<!\w)(?:usted(?:es)?|sus?|tú|tus?)(?!\w)"),
}


@dataclass(frozen=True)
class Quote:
    """An expert's words, with attribution."""

    text: str
    name: str
    credentials: str
    affiliation: str
    translation: str | None = None  # the words in a translated page's language; `text` stays the expert's own


@dataclass(frozen=True)
class Measure:
    """Something the patient measures to track progress, such as toe-to-wall distance."""

    what: str
    every: str  # "day" or "week"


@dataclass(frozen=True)
class LeadPicture:
    """A picture leading an exercise's page (its start or end position). The picture step checks that
    the file exists and can be shown; this is what the front matter says of it."""

    file: str  # path inside the content folder (written relative to the exercise file)
    written: str  # as the author wrote it, for messages
    alt: str  # "" for a picture said to be decorative
    caption: str | None
    line: int
    field: str  # e.g. pictures item 1, for messages


@dataclass(frozen=True)
class Exercise(Page):
    """One exercise, from `content/exercises/<slug>.md`: a page with its dosage, steps and safety notes."""

    topics: tuple[TopicPlace, ...]  # checked against the topics when the content is loaded
    muscles: tuple[str, ...]
    equipment: tuple[str, ...]
    dosage: Dosage
    steps: tuple[str, ...]
    safety: tuple[str, ...]
    quote: Quote | None
    measure: Measure | None
    pictures: tuple[LeadPicture, ...] = ()


def load(loading: Loading) -> tuple[Exercise, ...]:
    """Every exercise, in the library's order (by topic and group, then title)."""
    topics = loading.loaded["topics"]
    retired = {"plane": retired_plane(topics)}
    # An exercise is read from its file, the site's review date and, for its messages, the topics' groups.
    depends = (loading.review, [(each.slug, [group.slug for group in each.groups]) for each in topics])
    exercises = read_markdown_folder(loading.files.sources(FOLDER, ".md"), loading.files,
                                     loading.problems, loading.memo, depends,
                                     lambda file, found: load_exercise(file, loading, found, retired))
    check_places(exercises, topics, loading.files, loading.problems)
    return tuple(library_order(check_unique_slugs(exercises, loading.problems), topics))


def load_exercise(file: FrontMatterFile, loading: Loading, problems: Problems,
                  retired: dict | None = None) -> Exercise | None:
    """Read one exercise file; `retired` fields of older formats get their own messages."""
    errors_before = len(problems.errors)
    fields = Fields(file.front, file.source.display, file.front_line, problems, EXERCISE_FIELDS, retired=retired)
    exercise = Exercise(
        source=file.source,
        slug=read_slug(file.source, fields, "bird-dog.md"),
        title=fields.text("title"),
        summary=fields.text("summary"),
        review=read_review(fields, loading.review),
        body=file.body,
        body_line=file.body_line,
        front_key=file.front_key,
        topics=read_places(fields),
        muscles=fields.text_list("muscles"),
        equipment=fields.text_list("equipment", allow_empty=True),
        dosage=read_dosage(fields),
        steps=fields.text_list("steps"),
        safety=fields.text_list("safety"),
        quote=_quote(fields),
        measure=_measure(fields),
        pictures=_pictures(fields, file.source.rel),
    )
    return exercise if len(problems.errors) == errors_before else None


def _pictures(fields: Fields, source_rel: str) -> tuple[LeadPicture, ...]:
    """The one or two pictures that lead the page, each a file next to the exercise (or a path from
    it) with words for people who cannot see it: `alt: decorative` says there is nothing to describe."""
    nodes = fields.items("pictures", required=False)
    if len(nodes) > MAX_LEAD_PICTURES:
        fields.error("pictures", f"{len(nodes)} pictures; give one or two (the start and end positions), "
                                 "and put more in the text below with ![what it shows](file.jpg)")
    pictures = []
    for index, node in enumerate(nodes, start=1):
        name = f"pictures item {index}"
        picture = fields.child_of(node, name, PICTURE_FIELDS)
        if picture is None:
            continue
        written = picture.text("file", example="bird-dog-start.jpg")
        alt = picture.text("alt", required=False)
        if alt is None:
            picture.error("alt", "missing; describe what the picture shows for people who cannot see it "
                                 '("alt: Hands under shoulders, knees under hips"), or write "alt: decorative"')
        caption = picture.text("caption", required=False)
        if written is None or alt is None:
            continue
        rel = posixpath.normpath(posixpath.join(posixpath.dirname(source_rel), written))
        if written.startswith("/") or "://" in written or rel.startswith("../"):
            picture.error("file", f'"{written}" is not a file of the content folder; put the picture next to '
                                  "the exercise file and write its name")
            continue
        pictures.append(LeadPicture(rel, written, "" if alt.strip().lower() == "decorative" else alt, caption,
                                    picture.line("file"), f"{name}.file"))
    return tuple(pictures)


def _measure(fields: Fields) -> Measure | None:
    measure = fields.child("measure", MEASURE_FIELDS, required=False)
    return Measure(measure.text("what"), measure.choice("every", ("day", "week"))) if measure else None


def _quote(fields: Fields) -> Quote | None:
    quote = fields.child("quote", QUOTE_FIELDS, required=False)
    return Quote(**{key: quote.text(key) for key in QUOTE_FIELDS}) if quote else None


def exercise_url(exercise: Exercise) -> str:
    return f"{FOLDER}/{exercise.slug}/"


def routes(content: Content) -> Iterator[Route]:
    """The list of all exercises, then each exercise's page."""
    yield Route(LIST_URL, "exercises.html", N_("All exercises"),
                N_("Every exercise in the library, grouped by topic.") if content.of("topics")
                else N_("Every exercise in the library."))
    for exercise in content.of("exercises"):
        yield Route(exercise_url(exercise), "exercise.html", exercise.title, exercise.summary, exercise,
                    own_page=True)


def prose(exercise: Exercise) -> tuple[str, ...]:
    """Its steps and safety notes, graded with its text (the dosage box is not prose)."""
    return (*exercise.steps, *exercise.safety)


def check(exercise: Exercise) -> tuple[tuple[str, str, str], ...]:
    """PEMAT actionability: explicit steps, a dosage, a safety note, and words that speak to the reader.
    A dosage left wholly to the therapist is allowed (the page says the therapist sets it): a note only."""
    notes = []
    if exercise.dosage.is_left_to_therapist():
        notes.append(("note", "dosage", "every number is left to the physical therapist; the page says so"))
    if len(exercise.steps) < 2:
        notes.append(("warning", "steps", "one step only; break the movement into numbered steps"))
    # A source file's language is the site's first, which the exercise does not know: any language's words do.
    patterns = ([TO_THE_READER[exercise.translation.language]] if exercise.translation else TO_THE_READER.values()) \
        if not exercise.translation or exercise.translation.language in TO_THE_READER else []
    words = " ".join((*exercise.steps, *exercise.safety, exercise.body)).lower()
    if patterns and not any(pattern.search(words) for pattern in patterns):
        notes.append(("warning", "steps", 'the steps do not speak to the reader; write them to "you"'))
    return tuple(notes)


def structured_data(site: Site, route: Route) -> dict[str, Any] | None:
    """Its page, whose main entity is an ExercisePlan with the dosage exactly as the content gives it:
    a session's length as its duration (never a hold, which the sentence in `additionalVariable` gives)."""
    exercise: Exercise = route.item
    dosage = exercise.dosage
    words = site.language.words if site.language is not None else ENGLISH  # said as the page says it
    plan: dict[str, Any] = {
        "@type": "ExercisePlan",
        "name": exercise.title,
        "description": exercise.summary,
        "additionalVariable": dosage.sentence(words),
    }
    groups = site.get_group_names(exercise)
    if groups:
        plan["exerciseType"] = ", ".join(groups)
    if dosage.reps is not None:
        plan["repetitions"] = dosage.reps
    if dosage.duration is not None:
        plan["activityDuration"] = dosage.duration.iso()
    if dosage.frequency is not None:
        plan["activityFrequency"] = dosage.frequency.words(words)
    if dosage.rest is not None:
        plan["restPeriods"] = {"@type": "QuantitativeValue", "value": dosage.rest.amount,
                               "unitCode": dosage.rest.unit_code(), "unitText": dosage.rest.unit_words(words)}
    return {**web_page(site, route), "mainEntity": plan}


def translate(exercise: Exercise, file: TranslationFile, translated: dict) -> Exercise:
    """The exercise in another language: its words; its dosage, topics and pictures' files are the source's.
    Each list is given whole (a translation may word a step as two); the pictures' words one by one."""
    fields = file.fields

    def words(key: str, source: tuple[str, ...]) -> tuple[str, ...]:
        return fields.text_list(key, required=bool(source), allow_empty=not source) if source or fields.has(key) \
            else ()

    quote, measure = exercise.quote, exercise.measure
    if exercise.quote is not None:
        given = fields.child("quote", ("translation",))
        quote = dataclasses.replace(exercise.quote, translation=given.text("translation")) if given else None
    if exercise.measure is not None:
        given = fields.child("measure", ("what",))
        measure = dataclasses.replace(exercise.measure, what=given.text("what")) if given else None
    for key, there in (("quote", exercise.quote), ("measure", exercise.measure)):
        if there is None and fields.has(key):
            fields.error(key, f"{exercise.source.rel} has no {key} to translate; delete it here")
    return dataclasses.replace(
        exercise, **file.page_fields(exercise), dosage=_dosage_words(fields, exercise.dosage),
        muscles=words("muscles", exercise.muscles),
        equipment=words("equipment", exercise.equipment), steps=words("steps", exercise.steps),
        safety=words("safety", exercise.safety), quote=quote, measure=measure,
        pictures=_translated_pictures(fields, exercise.pictures))


def _dosage_words(fields: Fields, dosage: Dosage) -> Dosage:
    """The dosage's own words in the translation's language (`dosage_words`: its `action`, "Walk", and
    its `distance`, "about 30 feet"), each where the source has it, with the source's very numbers."""
    given = fields.child("dosage_words", DOSAGE_WORDS, required=False)
    if given is None:
        for key in DOSAGE_WORDS:
            if getattr(dosage, key) is not None:
                fields.error("dosage_words", f"missing; translate the dosage's {key} (dosage_words: {key}: ...)")
        return dosage
    translated = {}
    for key in DOSAGE_WORDS:
        source = getattr(dosage, key)
        if source is None:
            if given.has(key):
                given.error(key, f"the source's dosage has no {key}; delete it here")
            continue
        text = given.text(key)
        if text is not None and _NUMBER.findall(text) != _NUMBER.findall(source):
            given.error(key, f'its numbers must be the source\'s ("{source}"): a translation gives words, not figures')
        translated[key] = text or source
    return dataclasses.replace(dosage, **translated)


def _translated_pictures(fields: Fields, pictures: tuple[LeadPicture, ...]) -> tuple[LeadPicture, ...]:
    """Each lead picture's alt text and caption in the translation's language, in the source's order."""
    nodes = fields.items("pictures", required=bool(pictures), allow_empty=not pictures)
    if len(nodes) != len(pictures):
        fields.error("pictures", f"{len(nodes)} pictures; the source has {len(pictures)}: give each one's alt "
                                 "(and caption), in the same order")
        return pictures
    translated = []
    for index, (node, picture) in enumerate(zip(nodes, pictures), start=1):
        given = fields.child_of(node, f"pictures item {index}", ("alt", "caption"))
        if given is None:
            return pictures
        alt = given.text("alt", required=bool(picture.alt))
        translated.append(dataclasses.replace(picture, alt="" if picture.alt == "" else alt or "",
                                              caption=given.text("caption", required=picture.caption is not None)))
    return tuple(translated)


KIND = Kind("exercise", "exercises", Exercise, load, routes, prose=prose, check=check,
            structured_data=structured_data,
            translatable=("title", "summary", "muscles", "equipment", "steps", "safety", "quote", "measure",
                          "pictures", "dosage_words"), translate=translate)
