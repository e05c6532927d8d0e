"""Markdown → HTML for page bodies: a pure function of the text, so its result can be cached.

Links to other content files (`../knee-care.md#strength`) and site paths (`/clinics/`) are
left as numbered placeholders and listed; the assemble step, which knows every page's address,
checks them and fills in relative URLs.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, TocTreeprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

EXTENSIONS = ("toc", "sane_lists", "smarty", "tables")
# Given to Markdown as objects: named, they are looked up among every installed package's entry
# points, which took 18 ms of each build that converts a body.
_EXTENSION_CLASSES = {"toc": TocExtension, "sane_lists": SaneListExtension, "smarty": SmartyExtension,
                      "tables": TableExtension}
# Python-Markdown's inline patterns, and smarty's (curly quotes, dashes, ellipses: a second pass),
# each with the text one of which it needs to match. Every pattern searches every piece of a body's
# text: half of converting a body of plain prose went to searches that could not match, and two
# thirds of one with an apostrophe. So a body is converted without the patterns it gives nothing
# to, and without smarty's pass when it needs none of its patterns. (A line break is two spaces
# before a newline once tabs are expanded and line ends made \n.)
_INLINE_NEEDS = {"backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",), "image_link": ("[",),
                 "image_reference": ("[",), "short_reference": ("[",), "short_image_ref": ("[",),
                 "autolink": ("<",), "automail": ("<",), "linebreak": ("  \n", " \r", "\t"), "entity": ("&",),
                 "em_strong": ("*", "_")}
_SMARTY_NEEDS = {"smarty-em-dashes": ("--",), "smarty-en-dashes": ("--",), "smarty-ellipses": ("...",),
                 **{f"smarty-quotes-{number}": ("'",) for number in (0, 6, 7, 8, 9, 10)},
                 **{f"smarty-quotes-{number}": ('"',) for number in (1, 11, 12, 13, 14)},
                 "smarty-quotes-2": ('"\'',), "smarty-quotes-3": ("'\"",), "smarty-quotes-4": ("'\"",),
                 "smarty-quotes-5": ('"\'',)}
# Python-Markdown's block processors, each with the text one of which a block needs for it to
# apply: each is tried on every block of a body, in order, before a plain paragraph (a fifth of
# converting prose with headings). None of these spans lines: a block inside a quote or a list item (its
# lines without their markers) holds only what the body's lines hold. Tabs become four spaces.
# Numbered lists are always tried: any decimal digit starts one, not only 0 to 9.
_BLOCK_NEEDS = {"indent": ("    ", "\t"), "code": ("    ", "\t"), "hashheader": ("#",), "setextheader": ("=", "-"),
                "hr": ("-", "_", "*"), "ulist": ("-", "+", "*"), "quote": (">",), "reference": ("]:",),
                "table": ("|",)}
# toc's marker: where a body says [TOC], toc puts a list of its headings. Each body's list is also
# made and turned into HTML for `md.toc`, which the site never uses: 8% of converting a body. A
# body without the marker is converted by a toc that makes no list (the headings' ids, and the
# headings the site lists, are made as before).
_TOC_NEEDS = {"toc-marker": ("[TOC]",)}
LINK_PLACEHOLDER = "site-gen-link:"  # an unknown scheme to authors, so never typed into content
ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")


@dataclass(frozen=True)
class Link:
    """A link in a body: to a content file, a site path, an anchor, or out of the site."""

    kind: str  # "file" (content file), "site" (path from the site root), "anchor", "external", "bad"
    target: str  # content-relative file path, site path, "" for an anchor, or the URL
    fragment: str
    written: str  # as the author wrote it, for messages
    line: int


@dataclass(frozen=True)
class Heading:
    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class RenderedMarkdown:
    """A body's HTML (with link placeholders) and what it links to and is headed by."""

    html: str
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]


def render_markdown(bodies: list[tuple[str, str, int]]) -> list[RenderedMarkdown]:
    """Render Markdown bodies, each given as (text, the content file it is in, its first line)."""
    if not bodies:
        return []  # most rebuilds: no Markdown instance to make
    renderer = _Renderer()
    return [renderer.render(*body) for body in bodies]


class _Renderer:
    """Markdown instances for many bodies, each reset between them: making one costs an eighth of
    converting a page. Each has all EXTENSIONS and inline patterns but those its bodies need not
    (_INLINE_NEEDS, _SMARTY_NEEDS, _TOC_NEEDS, _BLOCK_NEEDS); a site's bodies lack few different sets
    of what they need."""

    def __init__(self) -> None:
        self.collector = _LinkCollector()
        self.needs = {**_INLINE_NEEDS, **_SMARTY_NEEDS, **_TOC_NEEDS, **_BLOCK_NEEDS}
        # Each piece of text something needs, looked for once per body (by name, a tenth of the conversion).
        self.needles = sorted({needle for needles in self.needs.values() for needle in needles})
        self.instances: dict[frozenset[str], markdown.Markdown] = {}  # by the needles a body lacks

    def _markdown(self, absent: frozenset[str]) -> markdown.Markdown:
        if absent not in self.instances:
            unneeded = {name for name, needles in self.needs.items() if absent.issuperset(needles)}
            typography = not unneeded.issuperset(_SMARTY_NEEDS)
            extensions = [_EXTENSION_CLASSES[name]() for name in EXTENSIONS if typography or name != "smarty"]
            if "toc-marker" in unneeded:
                extensions = [_TocWithoutList() if isinstance(extension, TocExtension) else extension
                              for extension in extensions]
            md = markdown.Markdown(extensions=[*extensions, _SiteExtension(self.collector)], output_format="html")
            # Typed HTML is shown as text, not run: authors write Markdown, and no page can carry a script.
            md.preprocessors.deregister("html_block")
            md.inlinePatterns.deregister("html")
            for name in unneeded:
                if name in _BLOCK_NEEDS:
                    md.parser.blockprocessors.deregister(name)
                elif name in _INLINE_NEEDS:
                    md.inlinePatterns.deregister(name)
            # The inline patterns kept search every piece of text (each paragraph, list item,
            # heading): a piece without what a pattern needs is passed over without its search.
            for name, needles in _INLINE_NEEDS.items():
                if name in md.inlinePatterns:
                    md.inlinePatterns[name].compiled_re = _Guarded(md.inlinePatterns[name].compiled_re, needles)
            if typography:
                _leave_out_of_smarty(md, unneeded)
            self.instances[absent] = md
        return self.instances[absent]

    def render(self, text: str, source_rel: str, first_line: int) -> RenderedMarkdown:
        # Python-Markdown drops these two control characters first, which could join what a body
        # needs from pieces: with either, nothing is left out.
        absent = frozenset() if "\x02" in text or "\x03" in text else frozenset(
            needle for needle in self.needles if needle not in text)
        md = self._markdown(absent)
        md.reset()  # clears what the last body left: its link references, headings, stashed HTML
        self.collector.start(source_rel, text, first_line)
        html = md.convert(text)
        return RenderedMarkdown(html, tuple(self.collector.links), tuple(_flatten_toc(md.toc_tokens)))


class _TextWithout(Treeprocessor):
    """Marks each piece of text holding none of `needles` as not to be processed by the inline
    steps after it (Python-Markdown's AtomicString), so that smarty passes over it whole instead of
    trying each of its patterns on it: most paragraphs of a body with one apostrophe have none."""

    def __init__(self, md: markdown.Markdown, needles: set[str]) -> None:
        super().__init__(md)
        self.needles = needles

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for place in ("text", "tail"):
                text = getattr(element, place)
                if text and not isinstance(text, AtomicString) and not any(needle in text for needle in self.needles):
                    setattr(element, place, AtomicString(text))


class _Guarded:
    """An inline pattern's regular expression that finds nothing, without searching, in text that
    holds none of what the pattern needs (Python-Markdown asks it for `finditer`)."""

    def __init__(self, expression: re.Pattern, needles: tuple[str, ...]) -> None:
        self.expression, self.needles, self.pattern = expression, needles, expression.pattern

    def finditer(self, text: str, start: int = 0):
        if any(needle in text for needle in self.needles):
            return self.expression.finditer(text, start)
        return iter(())


class _TocWithoutList(TocExtension):
    """toc for a body without its marker: headings get their ids and are listed in `md.toc_tokens`,
    but no list of them is made for `md.toc`."""

    class TreeProcessorClass(TocTreeprocessor):
        def build_toc_div(self, toc_list: list) -> etree.Element:
            return etree.Element("div")

    def __init__(self) -> None:
        super().__init__(marker="")


def _leave_out_of_smarty(md: markdown.Markdown, unneeded: set[str]) -> None:
    """smarty without the patterns a body needs not; and, when the needs of every pattern it has
    are known, passing over each piece of text holding none of them (before smarty, at 6)."""
    smarty = md.treeprocessors["smarty"].inlinePatterns
    for name in unneeded:
        if _matches_what_it_needs(smarty, name):
            smarty.deregister(name)
    kept = [name for name in _SMARTY_NEEDS if _matches_what_it_needs(smarty, name)]
    if kept and len(kept) == len(smarty):
        needles = {needle for name in kept for needle in _SMARTY_NEEDS[name]}
        md.treeprocessors.register(_TextWithout(md, needles), "smarty-where-needed", 7)


def _matches_what_it_needs(smarty: markdown.util.Registry, name: str) -> bool:
    """Whether smarty has this pattern and it looks for what _SMARTY_NEEDS says: smarty numbers its
    quote patterns by their order, which another version of it may change."""
    return (name in _SMARTY_NEEDS and name in smarty
            and _SMARTY_NEEDS[name][0][0] in smarty[name].compiled_re.pattern)


def _flatten_toc(tokens: list[dict]):
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten_toc(token["children"])


class _LinkCollector(Treeprocessor):
    """Replaces each internal link's href with a placeholder and records the link."""

    def __init__(self) -> None:
        super().__init__()
        self.start("", "", 1)

    def start(self, source_rel: str, text: str, first_line: int) -> None:
        """Collect the links of a new body."""
        self.source_dir = posixpath.dirname(source_rel)
        self.lines = text.split("\n")
        self.first_line = first_line
        self.links: list[Link] = []

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "img" and element.get("alt", "").strip().lower() == "decorative":
                element.set("alt", "")  # said so explicitly: screen readers skip it
                element.set("role", "presentation")
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute) is not None:
                element.set(attribute, self._rewrite(element.get(attribute)))

    def _rewrite(self, href: str) -> str:
        link = self._classify(href)
        self.links.append(link)
        if link.kind in ("file", "site"):
            return f"{LINK_PLACEHOLDER}{len(self.links) - 1}"
        return href if link.kind != "bad" else "#"

    def _classify(self, href: str) -> Link:
        line = self._line_of(href)
        parts = urlsplit(href)
        if parts.scheme:
            kind = "external" if parts.scheme.lower() in ALLOWED_SCHEMES else "bad"
            return Link(kind, href, "", href, line)
        if href.startswith("//"):
            return Link("bad", href, "", href, line)
        if not parts.path:
            return Link("anchor", "", parts.fragment, href, line)
        if parts.path.startswith("/"):
            path = posixpath.normpath(parts.path).lstrip("/")
            if path == ".":
                path = ""
            elif not posixpath.splitext(path)[1]:
                path += "/"
            return Link("site", path, parts.fragment, href, line)
        target = posixpath.normpath(posixpath.join(self.source_dir, parts.path))
        return Link("file", target, parts.fragment, href, line)

    def _line_of(self, href: str) -> int:
        for index, text in enumerate(self.lines):
            if href in text:
                return self.first_line + index
        return self.first_line


class _SiteExtension(Extension):
    def __init__(self, collector: _LinkCollector) -> None:
        super().__init__()
        self.collector = collector

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # After "inline" so links exist, before "prettify" and toc (priorities 10 and 5).
        md.treeprocessors.register(self.collector, "site_links", 15)


_PLACEHOLDER = re.compile(re.escape(LINK_PLACEHOLDER) + r"(\d+)")


def fill_links(html: str, hrefs: list[str]) -> str:
    """Replace link placeholders with the hrefs the assemble step resolved, in link order."""
    return _PLACEHOLDER.sub(lambda match: hrefs[int(match.group(1))], html)
