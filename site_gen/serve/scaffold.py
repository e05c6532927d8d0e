"""`new KIND "Title"`: a content file of any kind (clinic, exercise, program, topic) with every
field present and explained for clinic staff. Never overwrites a file.

Each template (`scaffold/<kind>.md` or `.yaml`) builds as it is written to only "missing" errors,
one for each value to fill in: optional fields are left empty, and optional groups of fields
(a quote aside) are written as notes to take the "# " from.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from string import Template
from typing import Callable

from site_gen.content.loader import load_site_config
from site_gen.content.model import Review
from site_gen.content.problems import Problems
from site_gen.content.sourcefile import TRANSLATION, ContentFiles, display_path
from site_gen.kinds import clinic, exercise, program, topic
from site_gen.kinds.kind import Loading

TEMPLATES = Path(__file__).parent / "scaffold"


def slugify(title: str) -> str:
    """ "Cat Cow" → "cat-cow": lower-case ASCII letters, digits and single dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def _topics_note(content_dir: Path) -> str:
    """Comment lines naming this site's topics and their groups, for an exercise's `topics`."""
    # A topic with mistakes is left out here; the build names them.
    problems = Problems()
    found = topic.load(Loading(ContentFiles(content_dir, problems), None, Review(dt.date.min, ""), problems))
    lines = [f"#   {each.slug}: {', '.join(group.slug for group in each.groups) or '(no groups)'}"
             for each in found]
    return "\n# This site's topics and their groups:\n" + "\n".join(lines) if lines else ""


def _services_note(content_dir: Path) -> str:
    """Comment lines naming the services of site.yaml, for a clinic's `services`."""
    # A site.yaml with mistakes gives no list here; the build names them.
    problems = Problems()
    site = load_site_config(ContentFiles(content_dir, problems), problems)
    names = site.service_names() if site else ()
    return "\n# This site's services:\n" + "\n".join(f"#   {name}" for name in names) if names else ""


def _exercises_note(content_dir: Path) -> str:
    """Comment lines naming this site's exercise files, for a program's `exercises`."""
    folder = content_dir / exercise.FOLDER
    names = sorted(path.stem for path in folder.glob("*.md")
                   if not path.name.startswith(".") and not TRANSLATION.search(path.name)) if folder.is_dir() else []
    if not names:
        return ""
    lines = textwrap.wrap(", ".join(names), width=96, initial_indent="#   ", subsequent_indent="#   ",
                          break_on_hyphens=False, break_long_words=False)
    return "\n# This site's exercises:\n" + "\n".join(lines)


@dataclass(frozen=True)
class Scaffold:
    """How `new` makes one kind's file: where it goes, its template, and the notes about this site."""

    folder: str  # inside the content folder; "" for its top
    template: str  # a file in scaffold/, named with the new file's suffix
    notes: Callable[[Path], dict[str, str]] = lambda content_dir: {}

    def path(self, content_dir: Path, slug: str) -> Path:
        return content_dir / self.folder / f"{slug}{Path(self.template).suffix}"


SCAFFOLDS = {
    "clinic": Scaffold(clinic.FOLDER, "clinic.yaml", lambda content_dir: {"services": _services_note(content_dir)}),
    "exercise": Scaffold(exercise.FOLDER, "exercise.md", lambda content_dir: {"topics": _topics_note(content_dir)}),
    "program": Scaffold(program.FOLDER, "program.yaml",
                        lambda content_dir: {"exercises": _exercises_note(content_dir)}),
    "topic": Scaffold("", "topic.md"),
}
# A topic is published at the site's root: its address must not be one of the site's own pages.
_TAKEN_BY_THE_SITE = {
    exercise.FOLDER: "the list of exercises", program.FOLDER: "the list of home programs",
    clinic.FOLDER: "the list of clinics", Path(topic.HOME_PAGE).stem: "the home page (content/index.md)",
}


def new_file(content_dir: Path, kind: str, title: str, quiet: bool = False, prog: str = "site-gen") -> int:
    """Write a new content file of `kind` (a key of SCAFFOLDS) for `title`; refuse to overwrite.
    Returns the exit status."""
    scaffold = SCAFFOLDS[kind]
    if not content_dir.is_dir():  # run elsewhere than in the project's folder: make no stray folder
        print(f"{prog}: there is no content folder {display_path(content_dir)}/ here; run this in your project's "
              "folder, or name the content folder with --content", file=sys.stderr)
        return 1
    slug = slugify(title)
    if not slug:
        print(f'{prog}: cannot make a file name from "{title}"; use letters or digits in the title', file=sys.stderr)
        return 1
    if kind == "topic" and slug in _TAKEN_BY_THE_SITE:
        print(f'{prog}: a topic cannot be called "{slug}": its address is {_TAKEN_BY_THE_SITE[slug]}; '
              "choose another title", file=sys.stderr)
        return 1
    path = scaffold.path(content_dir, slug)
    if path.exists():
        print(f"{prog}: {display_path(path)} already exists; it was left as it is", file=sys.stderr)
        return 1
    text = Template((TEMPLATES / scaffold.template).read_text(encoding="utf-8")).substitute(
        title=json.dumps(title, ensure_ascii=False), slug=slug, **scaffold.notes(content_dir))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never replace a file created meanwhile
        file.write(text)
    if not quiet:
        print(f"Wrote {display_path(path)}. Fill in its fields; the build tells you what is still missing.")
    return 0
