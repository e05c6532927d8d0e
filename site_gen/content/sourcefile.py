"""Reading one content file: UTF-8 text, the front matter between `---` lines, and its YAML nodes.

YAML is composed into nodes rather than loaded into dicts so that every key and value keeps
its line number for error messages (`yaml.compose` gives the line of every key). A syntax error
is told on the line of the mistake with its fix (a space after a colon or a dash, a line indented
too far, quotes around part of a text), not only where the parser noticed it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from site_gen.content.problems import Problems
from site_gen.content.yaml_reading import compose_yaml
from site_gen.keys import key_of

# Characters nobody means to type, that a word processor can leave in text: controls (tabs and
# line breaks aside), and the bidirectional overrides and isolates that can show text in another
# order than it is stored (the "Trojan Source" trick); and code points HTML forbids in a page.
HIDDEN_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")


@dataclass(frozen=True)
class SourceFile:
    """A content file: where it is on disk and how to name it in messages."""

    path: Path
    display: str  # e.g. content/exercises/bird-dog.md
    rel: str  # path inside the content folder, with forward slashes: exercises/bird-dog.md


@dataclass(frozen=True)
class FrontMatterFile:
    """A Markdown file split into its YAML front matter (as nodes) and its body."""

    source: SourceFile
    front: yaml.MappingNode
    front_line: int  # file line of the first YAML line, so node lines map back to the file
    body: str
    body_line: int
    front_key: str  # a hash of the text above the body: what, with its place, the file says besides its body


def make_source(path: Path, content_root: Path) -> SourceFile:
    """Describe a file under the content folder for messages and URLs."""
    rel = path.relative_to(content_root).as_posix()
    return SourceFile(path=path, display=display_path(path), rel=rel)


def display_path(path: Path) -> str:
    """The path as staff would type it: relative to the working folder when inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else Path(rel).as_posix()


def read_text(source: SourceFile, problems: Problems) -> str | None:
    """The file's text, or None after recording why it cannot be read."""
    try:
        data = source.path.read_bytes()
    except OSError as exc:
        problems.error(source.display, None, None, f"cannot read the file: {exc.strerror}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as some Windows editors save
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.error(
            source.display, line, None,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x}); save it as UTF-8",
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


# A translation is named as its source with its language's code before the extension: bird-dog.es.md.
# (A file's own name cannot hold a dot: slugs are letters, digits and hyphens.)
TRANSLATION = re.compile(r"\.([a-z]{2,3})(\.md|\.yaml)$")
PICTURE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".svg")  # what the picture step processes


class ContentFiles:
    """The read step: the text of every file of the content folder, read once (pictures left out).
    The loader and the convert step both take the files' text from here."""

    def __init__(self, content_dir: Path, problems: Problems) -> None:
        self.content_dir = content_dir
        self.problems = problems
        self._sources: dict[str, SourceFile] = {}  # by the file's path inside the content folder
        self._texts: dict[str, str | None] = {}
        self.pictures: list[str] = []  # pictures beside the content files (content/images/ is the loader's)
        shown = display_path(content_dir)
        for folder, folders, names in os.walk(content_dir):
            folders[:] = sorted(name for name in folders if not name.startswith(".") and name != "images")
            where = Path(folder)
            inside = where.relative_to(content_dir).as_posix()
            for name in sorted(names):
                if name.endswith((".md", ".yaml")) and not name.startswith("."):
                    rel = name if inside == "." else f"{inside}/{name}"
                    source = SourceFile(where / name, f"{shown}/{rel}", rel)
                    self._sources[rel] = source
                    self._texts[rel] = read_text(source, problems)
                elif name.lower().endswith(PICTURE_SUFFIXES) and not name.startswith("."):
                    self.pictures.append(name if inside == "." else f"{inside}/{name}")

    def sources(self, folder: str, suffix: str) -> list[SourceFile]:
        """The files of one content folder ending in `suffix`, by name; translations left out."""
        return [source for rel, source in self._sources.items()
                if rel.endswith(suffix) and rel.rpartition("/")[0] == folder and not TRANSLATION.search(rel)]

    def translations(self) -> list[tuple[SourceFile, str, str]]:
        """Every translation file (`bird-dog.es.md`), with its language's code and the path of the
        file it translates (`exercises/bird-dog.md`)."""
        found = []
        for rel, source in self._sources.items():
            match = TRANSLATION.search(rel)
            if match:
                found.append((source, match.group(1), rel[:match.start()] + match.group(2)))
        return found

    def text(self, source: SourceFile) -> str | None:
        """A file's text, or None when it cannot be read (the read step said why)."""
        if source.rel not in self._texts:  # not one the read step looks at: read it now
            self._texts[source.rel] = read_text(source, self.problems)
        return self._texts[source.rel]

    def names(self) -> list[str]:
        """Every file read, as its path inside the content folder."""
        return list(self._texts)

    def markdown_texts(self) -> list[tuple[str, str]]:
        """(path inside the content folder, text) of every Markdown file that could be read."""
        return [(rel, text) for rel, text in self._texts.items() if rel.endswith(".md") and text is not None]


def body_of(text: str) -> tuple[str, int] | None:
    """The body of a Markdown file with front matter, and the line it starts on, split as
    split_front_matter splits it; None when the file has no closed front matter."""
    lines = text.split("\n")
    end = _end_of_front_matter(lines) if lines[0].rstrip() == "---" else None
    return _body_after(lines, end) if end is not None else None


def split_front_matter(source: SourceFile, text: str, problems: Problems) -> FrontMatterFile | None:
    """Split `---` front matter from the Markdown body and compose it; None after an error."""
    if not text.strip():
        problems.error(source.display, 1, None, "the file is empty; it needs front matter between --- lines")
        return None
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        problems.error(
            source.display, 1, None,
            "no front matter: the file must start with a line of three dashes (---), "
            "then the fields, then another --- line",
        )
        return None
    index = _end_of_front_matter(lines)
    if index is None:
        problems.error(
            source.display, 1, None,
            "the front matter opened with --- on line 1 is never closed; add a line of three dashes (---) after the fields",
        )
        return None
    yaml_text = "\n".join(lines[1:index])
    node = compose_yaml(source, yaml_text, first_line=2, problems=problems)
    if node is None:
        return None
    body, body_line = _body_after(lines, index)
    hidden = HIDDEN_CONTROL.search(body)
    if hidden:
        line = body_line + body.count("\n", 0, hidden.start())
        problems.error(source.display, line, None, f"an invisible control character (U+{ord(hidden.group()):04X}) "
                                                   "that can hide or reorder text; delete it and type the text again")
        return None
    return FrontMatterFile(source, node, 2, body, body_line, key_of(text[: len(text) - len(body)]))


def _end_of_front_matter(lines: list[str]) -> int | None:
    """The line closing the front matter opened on the first line."""
    return next((index for index in range(1, len(lines)) if lines[index].rstrip() in ("---", "...")), None)


def _body_after(lines: list[str], end: int) -> tuple[str, int]:
    """The body below the front matter's closing line, and the file line it starts on."""
    return "\n".join(lines[end + 1:]), end + 2
