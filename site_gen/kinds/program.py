"""Home programs: `content/programs/<slug>.yaml`, each a named set of exercises with a page and a
printable packet (a cover with a two-week tracker, then a page per exercise), and the list of them."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from site_gen.content.fields import Fields
from site_gen.content.model import Content, Translation
from site_gen.content.problems import did_you_mean, one_of
from site_gen.content.reading import check_unique_slugs, read_slug, read_yaml_folder
from site_gen.content.sourcefile import SourceFile
from site_gen.content.words import N_
from site_gen.kinds.dosage import Dosage, read_dosage
from site_gen.kinds.exercise import FOLDER as EXERCISES
from site_gen.kinds.exercise import Exercise
from site_gen.kinds.kind import Kind, Loading, Route

if TYPE_CHECKING:
    from site_gen.content.translation import TranslationFile

FOLDER = "programs"
LIST_URL = "programs/"
PROGRAM_FIELDS = ("title", "slug", "summary", "exercises")
PROGRAM_ITEM_FIELDS = ("exercise", "dosage", "note")
# A program's packet is a file beside its page, not a folder of its own: a folder costs the disk
# far more than a file.
PRINT_PACKET = "print.html"


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
    translation: Translation | None = None  # set on the program in another language than the site's first


def load(loading: Loading) -> tuple[Program, ...]:
    """Every program, by file name; each names its exercises, which are loaded before."""
    exercises = loading.loaded["exercises"]
    programs = read_yaml_folder(loading.files, FOLDER, PROGRAM_FIELDS, loading.problems,
                                lambda source, fields: load_program(source, fields, exercises, loading.content_dir))
    return tuple(check_unique_slugs(programs, loading.problems))


def load_program(source: SourceFile, fields: Fields, exercises: tuple[Exercise, ...], content_dir: Path) -> Program:
    """Read a program file; each item names an exercise by its slug."""
    by_slug = {exercise.slug: exercise for exercise in exercises}
    items = []
    for index, node in enumerate(fields.items("exercises"), start=1):
        item = fields.child_of(node, f"exercises item {index}", PROGRAM_ITEM_FIELDS)
        slug = item.text("exercise") if item else None
        exercise = by_slug.get(slug)
        # An exercise file with errors of its own is already reported; only a missing one is news here.
        if slug and exercise is None and not (content_dir / EXERCISES / f"{slug}.md").exists():
            item.error("exercise", f'no exercise "{slug}"{did_you_mean(slug, by_slug)}; expected the name of a '
                                   f"file in content/{EXERCISES}/, such as {next(iter(by_slug), 'bird-dog')}")
        own_dosage = read_dosage(item, required=False) if item else None
        if exercise is not None:
            items.append(ProgramItem(exercise, own_dosage or exercise.dosage, own_dosage is not None,
                                     item.text("note", required=False)))
    return Program(source=source, slug=read_slug(source, fields, "back-care-basics.yaml"),
                   title=fields.text("title"), summary=fields.text("summary"), items=tuple(items))


def program_url(program: Program) -> str:
    return f"{FOLDER}/{program.slug}/"


def print_packet_url(program: Program) -> str:
    return program_url(program) + PRINT_PACKET


def routes(content: Content) -> Iterator[Route]:
    """The list of programs, then each program's page and its printable packet."""
    yield Route(LIST_URL, "programs.html", N_("Home programs"),
                N_("Sets of exercises to do at home, each with a printable packet and a weekly tracker."))
    for program in content.of("programs"):
        yield Route(program_url(program), "program.html", program.title, program.summary, program, own_page=True)
        yield Route(print_packet_url(program), "program_print.html",
                    N_("%(title)s: printable packet", title=program.title),
                    N_("%(title)s: a cover with a two-week tracker, then one page per exercise.", title=program.title),
                    program,
                    in_sitemap=False, printable=True)


def translate(program: Program, file: TranslationFile, translated: dict) -> Program:
    """The program in another language: its title, summary and notes (by exercise); its exercises are
    the same, in the same order, each in that language where it is translated."""
    fields = file.fields
    notes = {name: node for name, _, node in fields.entries("notes", "expected each note on its own line, after "
                                                            "its exercise's file name, such as: bird-dog: ...")}
    noted = {item.exercise.slug for item in program.items if item.note}
    listed = {item.exercise.slug for item in program.items}
    exercises_dir = file.source.path.parent.parent / EXERCISES
    for slug in sorted(set(notes) - noted):
        if slug not in listed and (exercises_dir / f"{slug}.md").exists():
            continue  # an exercise of the program left out for its own errors, which say why
        fields.error(f"notes.{slug}", f"{program.source.rel} gives no note for {slug} to translate; "
                                      f"notes translate those of {one_of(sorted(noted)) if noted else 'none'}")
    for slug in sorted(noted - set(notes)):
        fields.error("notes", f"missing the note for {slug}; translate every note of {program.source.rel}")
    exercises = translated.get("exercises", {})
    # An exercise's own dosage, in the translation's words; a program's own is the source's.
    items = tuple(dataclasses.replace(item, exercise=(exercise := exercises.get(item.exercise.slug, item.exercise)),
                                      dosage=item.dosage if item.own_dosage else exercise.dosage,
                                      note=fields.text_of(notes[item.exercise.slug], f"notes.{item.exercise.slug}")
                                      if item.note and item.exercise.slug in notes else item.note)
                  for item in program.items)
    return dataclasses.replace(program, title=fields.text("title"), summary=fields.text("summary"), items=items,
                               translation=file.translation)


KIND = Kind("program", "programs", Program, load, routes, translatable=("title", "summary", "notes"),
            translate=translate)
