"""A page's prose, as patients read it and as its reading level is graded, block by block; and the
line of its content file a finding is about: a sentence, heading, link or picture, in its body or
in its front matter (summary, steps, groups)."""

from __future__ import annotations

import functools
import re
from html import unescape
from typing import TYPE_CHECKING

from site_gen.content.model import Page
from site_gen.content.problems import Problems
from site_gen.content.sourcefile import read_text
from site_gen.keys import key_of
from site_gen.kinds import kind_of

if TYPE_CHECKING:
    from site_gen.build.assemble import Site
    from site_gen.kinds.kind import Route

TAG = re.compile(r"<[^>]+>")
_SKIPPED_IN_PROSE = re.compile(r"<(h[1-6]|blockquote|figure|pre)\b.*?</\1>", re.S)
_BLOCK_TAG = re.compile(r"<(?!/?(?:a|abbr|b|cite|code|del|dfn|em|i|img|ins|kbd|mark|q|s|samp|small|span|strong|sub|"
                        r"sup|time|u|var)(?![\w-]))[^>]+>")
HEADING_TEXT = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1>", re.S)


def prose_to_grade(site: Site, route: Route) -> str | None:
    """The prose of a page showing its content's own body (home, topic, exercise), when long enough
    to grade; None for other pages."""
    lines = lines_to_grade(site, route)
    return lines.replace("\n", " ") if lines else None


def lines_to_grade(site: Site, route: Route) -> str | None:
    """prose_lines of a page showing its content's own body, when long enough to grade; else None."""
    if route.item is None or route.item.source.rel not in site.bodies:
        return None
    lines = prose_lines(site, route.item)
    return lines if len(lines.split()) >= 30 else None


def prose(site: Site, item: Page) -> str:
    """A page's running text for its reading level: its summary, its body without headings, quotes
    or figures, and what its kind adds (an exercise's steps; never the dosage box)."""
    return prose_lines(site, item).replace("\n", " ")


def prose_lines(site: Site, item: Page) -> str:
    """A page's prose (`prose`) with each block on a line of its own, so that no sentence runs from
    one into the next: its summary, each paragraph, list item or cell of its body, each piece its
    kind adds. Single spaces: its lines joined by spaces are its text as graded."""
    parts = (item.summary, body_lines(site, item), *kind_of(item).prose(item))
    return "\n".join(text for part in parts for line in part.split("\n") if (text := " ".join(line.split())))


def body_lines(site: Site, item: Page) -> str:
    """The prose of a page's body, each block on a line (some may be blank or spaced)."""
    html = _SKIPPED_IN_PROSE.sub("\n", str(site.bodies[item.source.rel]).replace("\n", " "))
    # Every other tag is a space, as the grade has always read the text (a line's words are the same).
    return unescape(TAG.sub(" ", _BLOCK_TAG.sub("\n", html)))



def front_matter(item: Page) -> str | None:
    """The text of a page's file above its body, read again; None when the file is no longer the
    one loaded (its front matter's hash differs) or cannot be read."""
    text = read_text(item.source, Problems())
    if text is None or not text.endswith(item.body):
        return None
    front = text[:len(text) - len(item.body)]
    return front if key_of(front) == item.front_key else None


_WORD = re.compile(r"[^\W_]+")  # words as both the Markdown and the page have them: punctuation and quotes aside
_ATX_HEADING = re.compile(r" {0,3}(#{1,6})(.*)$")
_SETEXT_UNDERLINE = re.compile(r" {0,3}(=+|-+)\s*$")
# What Markdown writes and a page does not show as text: pictures, where links lead, reference
# definitions; and character references, shown as the character.
_NOT_SHOWN = re.compile(r"(?P<image>!\[[^\]\n]*\][(\[][^)\]\n]*[)\]])"
                        r"|\](?P<target>\([^)\n]*\)|\[[^\]\n]*\])"
                        r"|(?P<definition>^ {0,3}\[[^\]\n]+\]:.*$)"
                        r"|(?P<entity>&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)", re.M)
_LINK_TEXT = re.compile(r"(?<![!\\])\[([^\[\]\n]*)\]")
_IMAGE_ALT = re.compile(r"!\[([^\]\n]*)\]")


def _shown(match: re.Match) -> str:
    if match.group("target") is not None:
        return "]"
    if match.group("entity") is not None:
        return unescape(match.group("entity")).replace("\n", " ")
    return ""


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class _Words:
    """The words of a text, each with the file line it is on."""

    def __init__(self, text: str, first_line: int) -> None:
        self.words, self.lines = [], []
        line, last = first_line, 0
        for match in _WORD.finditer(text):
            line += text.count("\n", last, match.start())
            last = match.start()
            self.words.append(match.group().lower())
            self.lines.append(line)

    def find(self, wanted: list[str], start: int = 0) -> int | None:
        """Where these words first follow one another, from the `start`th word on."""
        index = start - 1
        while wanted:
            try:
                index = self.words.index(wanted[0], index + 1)
            except ValueError:
                return None
            if self.words[index:index + len(wanted)] == wanted:
                return index
        return None


class ContentText:
    """A page's content file, to find the line a finding's text is on: read only when a finding
    needs a line (most pages have none). Its body is `item.body`; the lines above, its front matter
    (summary, steps, groups), are read from the file again."""

    def __init__(self, site: Site, item: Page) -> None:
        self.site, self.item = site, item
        self._images_taken = 0
        self._links_taken: dict[str, int] = {}
        self._after = {True: 0, False: 0}  # the next word to look for a sentence from, in the body or above it

    @property
    def body_html(self) -> str:
        return str(self.site.bodies.get(self.item.source.rel, ""))

    @functools.cached_property
    def _body_text(self) -> str:
        return _NOT_SHOWN.sub(_shown, self.item.body)

    @functools.cached_property
    def _body_words(self) -> _Words:
        return _Words(self._body_text, self.item.body_line)

    @functools.cached_property
    def _front_words(self) -> _Words | None:
        front = front_matter(self.item)
        return _Words(front, 1) if front is not None else None

    @functools.cached_property
    def _body_sentences(self) -> str:
        return " ".join(body_lines(self.site, self.item).split())

    def find_sentence(self, sentence: str) -> int | None:
        """The line a sentence of the page's prose starts on: in the body when the body has it, else
        above (summary, steps, groups). Found by its first words (else its last, should markup
        hide the first), looked for after the last sentence found there first (in case of repeats)."""
        in_body = sentence in self._body_sentences
        words = self._body_words if in_body else self._front_words
        wanted = _words(sentence)
        if words is None or not wanted:
            return None
        for key in (wanted[:6], wanted[-6:]):
            index = words.find(key, self._after[in_body])
            index = words.find(key) if index is None else index
            if index is not None:
                self._after[in_body] = index + 1
                return words.lines[index]
        return None

    @functools.cached_property
    def _headings(self) -> list[tuple[int, list[str], int]]:
        """(level, words, line) of each heading of the body, outside fenced code."""
        lines, found, fence = self._body_text.split("\n"), [], None
        for index, text in enumerate(lines):
            stripped = text.strip()
            if fence or stripped.startswith(("```", "~~~")):
                fence = None if fence and stripped.startswith(fence) else (fence or stripped[:3])
                continue
            atx = _ATX_HEADING.match(text)
            if atx:
                found.append((len(atx.group(1)), _words(atx.group(2)), self.item.body_line + index))
            elif index and _SETEXT_UNDERLINE.match(text) and lines[index - 1].strip() \
                    and not _ATX_HEADING.match(lines[index - 1]):
                level = 1 if "=" in text else 2
                found.append((level, _words(lines[index - 1]), self.item.body_line + index - 1))
        return found

    def heading_line(self, level: int, html: str | None) -> int | None:
        """The line of the body's heading of this level (and, given, this HTML); None when the body
        shows none such (the page's template does)."""
        body_headings = HEADING_TEXT.findall(self.body_html)
        if not any(int(found) == level and html in (None, text) for found, text in body_headings):
            return None
        wanted = None if html is None else _words(unescape(TAG.sub(" ", html)))
        return next((line for found, words, line in self._headings
                     if found == level and wanted in (None, words)), None)

    def link_line(self, body_links: list[tuple[str, str]], link: tuple[str, str], words: str) -> int | None:
        """The line of a link of the page that says `words`, when it is one of the body's (which are
        taken in turn): the next of the body's links written with those words."""
        if link not in body_links:
            return None
        body_links.remove(link)
        taken = self._links_taken[words] = self._links_taken.get(words, 0) + 1
        lines = [self.item.body_line + self._body_text.count("\n", 0, match.start())
                 for match in _LINK_TEXT.finditer(self._body_text) if " ".join(_words(match.group(1))) == words]
        return lines[taken - 1] if taken <= len(lines) else None

    def image_line(self, body_images: list[str], image: str) -> int | None:
        """The line of a picture of the page without text, when it is one of the body's (taken in
        turn): the next picture of the body written without it."""
        if image not in body_images:
            return None
        body_images.remove(image)
        self._images_taken += 1
        lines = [self.item.body_line + self.item.body.count("\n", 0, match.start())
                 for match in _IMAGE_ALT.finditer(self.item.body)
                 if not _words(match.group(1)) and match.group(1).strip().lower() != "decorative"]
        return lines[self._images_taken - 1] if self._images_taken <= len(lines) else None
