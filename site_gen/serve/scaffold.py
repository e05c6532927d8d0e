"""`new exercise "Cat Cow"`: a content file with every field present and explained."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
import unicodedata
from pathlib import Path
from string import Template

from site_gen.content.model import Review
from site_gen.content.problems import Problems
from site_gen.content.sourcefile import ContentFiles, display_path
from site_gen.kinds import topic
from site_gen.kinds.kind import Loading


def slugify(title: str) -> str:
    """ "Cat Cow" → "cat-cow": lower-case ASCII letters, digits and single dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")


def _topics_note(content_dir: Path) -> str:
    """Comment lines naming this site's topics and their groups, for the `topics` field."""
    # A topic with mistakes is left out here; the build names them.
    problems = Problems()
    found = topic.load(Loading(ContentFiles(content_dir, problems), None, Review(dt.date.min, ""), problems))
    lines = [f"#   {each.slug}: {', '.join(group.slug for group in each.groups) or '(no groups)'}"
             for each in found]
    return "\n# This site's topics and their groups:\n" + "\n".join(lines) if lines else ""


def new_exercise(content_dir: Path, title: str) -> int:
    """Write content/exercises/<slug>.md; refuse to overwrite. Returns the exit status."""
    slug = slugify(title)
    if not slug:
        print(f'site-gen: cannot make a file name from "{title}"; use letters or digits in the title', file=sys.stderr)
        return 1
    path = content_dir / "exercises" / f"{slug}.md"
    if path.exists():
        print(f"site-gen: {display_path(path)} already exists; it was left as it is", file=sys.stderr)
        return 1
    text = (Path(__file__).parent / "scaffold" / "exercise.md").read_text(encoding="utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as file:  # "x": never replace a file created meanwhile
        file.write(Template(text).substitute(title=json.dumps(title, ensure_ascii=False),
                                             topics=_topics_note(content_dir)))
    print(f"Wrote {display_path(path)}. Fill in its fields; the build tells you what is still missing.")
    return 0
