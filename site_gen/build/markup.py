"""Markdown → HTML for page bodies: a pure function of the text, so its result can be cached.

Links to other content files (`../knee-care.md#strength`) and site paths (`/clinics/`) are
left as numbered placeholders and listed; the assemble step, which knows every page's address,
checks them and fills in relative URLs.

Python-Markdown is extended through its public API (Extension, Treeprocessor, InlineProcessor,
the registries' register, deregister and `in`). One shortcut leans on what its inline patterns
and smarty match: see _INLINE_NEEDS. fast_path_problem checks that it suits the installed
Python-Markdown; without it a body is converted with every pattern; either way the HTML is the same.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.smarty import SmartyExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension
from markdown.inlinepatterns import AUTOMAIL_RE, InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor, UnescapeTreeprocessor
from markdown.util import AtomicString

from site_gen.build.pictures import is_picture

EXTENSIONS = ("toc", "sane_lists", "smarty", "tables")
# Given to Markdown as objects: named, they are looked up among every installed package's entry
# points, which is slow.
_EXTENSION_CLASSES = {"toc": TocExtension, "sane_lists": SaneListExtension, "smarty": SmartyExtension,
                      "tables": TableExtension}
LINK_PLACEHOLDER = "site-gen-link:"  # an unknown scheme to authors, so never typed into content
ALLOWED_SCHEMES = ("https", "http", "mailto", "tel")
# A body picture's attributes, from its processed files (assemble.py gives their values).
LINK_ATTRIBUTES = ("hreflang", "data-in-language")  # a link's to a page in another language than its own
PICTURE_ATTRIBUTES = ("srcset", "sizes", "width", "height", "loading", "decoding")
# A phone's files of a body picture (assemble.py's PHONE_WIDEST): a <source> for screens up to 30rem, as
# partials/picture.html gives lead pictures, so that a 3x phone is not sent one wider than twice what it shows.
PHONE_MEDIA = "(max-width: 30rem)"

# The fast path. Every inline pattern searches every piece of a body's text (each paragraph,
# list item, heading, cell), and smarty's patterns search it again: most of the time spent
# converting plain prose. So a body is converted by a Markdown without the patterns that cannot
# match in it: each of Python-Markdown's inline patterns, by name, with the strings one of which a
# body must hold for it to match. That is knowledge of Python-Markdown's insides: the versions it
# was tested with are pinned in pyproject.toml, and fast_path_problem checks the installed one.
# A line break is two spaces before a newline once tabs are expanded and line ends made \n.
_INLINE_NEEDS = {"backtick": ("`",), "escape": ("\\",), "reference": ("[",), "link": ("[",),
                 "image_link": ("[",), "image_reference": ("[",), "short_reference": ("[",),
                 "short_image_ref": ("[",), "autolink": ("<",), "automail": ("<",),
                 "linebreak": ("  \n", " \r", "\t"), "entity": ("&",), "em_strong": ("*", "_")}
# smarty (as configured: no angled quotes) educates quotes, dashes and ellipses, nothing else
# (the escapes it adds, \' and \", hold a quote too). A body holding none is converted without
# smarty; in one holding some, each piece of text holding none is marked as final before smarty
# runs (_PlainForSmarty), so its patterns search only the pieces that may need them.
_SMARTY_NEEDS = ("'", '"', "--", "...")
_NEEDLES = sorted({needle for needles in (*_INLINE_NEEDS.values(), _SMARTY_NEEDS) for needle in needles})
# Bodies using each needle above, and the extensions' blocks: on first use the fast path must
# give each the HTML of a Markdown with every pattern.
_PROBES = ("`code`", "\\*a\\*", "[a][r]\n\n[r]: https://a.b", "[a](b.md)", "![a](b.png)",
           "![a][r]\n\n[r]: b.png", "[r]\n\n[r]: /c/", "![r]\n\n[r]: b.png", "<https://a.b>",
           "<a@b.c>", "a  \nb", "a  \r\nb", "a\t\nb", "&amp; &#35;", "*a* **b**", "_a_ __b__", "'a' b",
           '"a" b', "a -- b --- c", "a...", "'a' b\n\nc *d* e\n\n- f\n- 'g' h\n\n> i \"j\"",
           "# A\n\nB\n\n1. c\n2. d\n\n| e | f |\n|---|---|\n| g | h |\n")


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
    """A heading of a body, as toc found it: its level (1-6), id and text."""

    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class RenderedMarkdown:
    """A body's HTML (with link placeholders) and what it links to and is headed by."""

    html: str
    links: tuple[Link, ...]
    headings: tuple[Heading, ...]


def render_markdown(bodies: list[tuple[str, str, int]], fast: bool = True) -> list[RenderedMarkdown]:
    """Render Markdown bodies, each given as (text, the content file it is in, its first line);
    `fast`, with the shortcut of _INLINE_NEEDS, which fast_path_problem must find suits the
    installed Python-Markdown."""
    if not bodies:
        return []  # most rebuilds: no Markdown instance to make
    renderer = _Renderer(fast)
    return [renderer.render(*body) for body in bodies]


class _Renderer:
    """Markdown instances for many bodies, each reset between them (making one costs more than
    resetting it). `fast`: each body is converted by one without the inline patterns, and without
    smarty, it holds nothing for (_INLINE_NEEDS); a site's bodies lack few different sets."""

    def __init__(self, fast: bool) -> None:
        self.fast = fast
        self.collector = _LinkCollector()
        self.instances: dict[frozenset[str], markdown.Markdown] = {}  # by what is left out

    def render(self, text: str, source_rel: str, first_line: int) -> RenderedMarkdown:
        """One body's HTML, links and headings."""
        unneeded = _unneeded(text) if self.fast else frozenset()
        if unneeded not in self.instances:
            self.instances[unneeded] = _new_markdown(self.collector, unneeded, fast=self.fast)
        md = self.instances[unneeded]
        md.reset()  # clears what the last body left: its link references, heading ids, stashed HTML
        self.collector.start(source_rel, text, first_line)
        html = md.convert(text)
        return RenderedMarkdown(html, tuple(self.collector.links), tuple(_flatten_toc(md.toc_tokens)))


def _unneeded(text: str) -> frozenset[str]:
    """The inline patterns of _INLINE_NEEDS, and "smarty", that cannot match anything in text."""
    # Python-Markdown drops these two characters first, which could join a needle from pieces.
    if "\x02" in text or "\x03" in text:
        return frozenset()
    present = {needle for needle in _NEEDLES if needle in text}  # each looked for once
    unneeded = {name for name, needles in _INLINE_NEEDS.items() if present.isdisjoint(needles)}
    if present.isdisjoint(_SMARTY_NEEDS):
        unneeded.add("smarty")
    return frozenset(unneeded)


def _new_markdown(collector: _LinkCollector, unneeded: frozenset[str], fast: bool = False) -> markdown.Markdown:
    """A Markdown with the site's extensions and policy, without the patterns named in `unneeded`;
    `fast`, with smarty passing over the text it has nothing for."""
    extensions = [_EXTENSION_CLASSES[name]() for name in EXTENSIONS if name not in unneeded]
    md = markdown.Markdown(extensions=[*extensions, _SiteExtension(collector)], output_format="html")
    for name in unneeded - {"smarty"}:
        md.inlinePatterns.deregister(name)
    if fast and "smarty" not in unneeded:
        md.treeprocessors.register(_PlainForSmarty(md), "smarty-where-needed", _BEFORE_SMARTY)
    return md


def fast_path_problem() -> str | None:
    """Why leaving out patterns (see _INLINE_NEEDS) may change the HTML of the installed
    Python-Markdown, or None: a pattern it lacks, or a probe converted differently."""
    plain, fast = _Renderer(fast=False), _Renderer(fast=True)
    md = _new_markdown(plain.collector, frozenset())
    missing = [name for name in _INLINE_NEEDS if name not in md.inlinePatterns]
    if missing:
        return f"Python-Markdown {markdown.__version__} has no inline pattern {', '.join(missing)}"
    steps = _new_markdown(plain.collector, frozenset(), fast=True).treeprocessors
    try:  # the marker must run right before smarty, after the inline patterns
        places = [steps.get_index_for_name(name) for name in ("inline", "smarty-where-needed", "smarty")]
    except ValueError:
        places = []
    if not places or places != sorted(places) or places[2] != places[1] + 1:
        return f"Python-Markdown {markdown.__version__} runs smarty elsewhere among its tree processors"
    for probe in _PROBES:
        if fast.render(probe, "probe.md", 1) != plain.render(probe, "probe.md", 1):
            return (f"Python-Markdown {markdown.__version__} converts {probe!r} otherwise "
                    "without the patterns it holds nothing for")
    return None


def _flatten_toc(tokens: list[dict]) -> Iterator[Heading]:
    for token in tokens:
        yield Heading(token["level"], token["id"], token["name"])
        yield from _flatten_toc(token["children"])


class _SiteExtension(Extension):
    """The site's policy: typed HTML is text, email autolinks are plain, links are collected."""

    def __init__(self, collector: _LinkCollector) -> None:
        super().__init__()
        self.collector = collector

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # Typed HTML is shown as text, not run: authors write Markdown, and no page can carry a
        # script. (Should a release rename these, deregister raises: the build stops, unsafe never.)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        # Replaces Python-Markdown's own, at its priority (after autolink's 120).
        md.inlinePatterns.register(_EmailLink(AUTOMAIL_RE, md), "automail", 110)
        # After "inline" so links exist, before "prettify" and toc (priorities 10 and 5).
        md.treeprocessors.register(self.collector, "site_links", 15)
        # Last, on the finished HTML (Python-Markdown's own run at 30 to 10).
        md.postprocessors.register(_ForbiddenReferences(md), "forbidden_references", 5)


class _EmailLink(InlineProcessor):
    """`<frontdesk@example.com>` as a plain mailto: link. Python-Markdown's own writes the address,
    and the href, as character references, which the link collector cannot read."""

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[etree.Element, int, int]:  # noqa: N802
        address = self.unescape(m.group(1)).removeprefix("mailto:")
        element = etree.Element("a", href=f"mailto:{address}")
        element.text = AtomicString(address)  # not emphasis: an address may hold _ or *
        return element, m.start(0), m.end(0)


_NUMERIC_REFERENCE = re.compile(r"&#(?:([0-9]+)|[xX]([0-9a-fA-F]+));")


def _forbidden_in_html(code: int) -> bool:
    """Whether HTML forbids a character reference to this code point: NUL, past Unicode, a
    surrogate, a noncharacter, or a control character other than tab, newline and form feed."""
    return (code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE or (code < 0x20 and code not in (0x09, 0x0A, 0x0C)) or 0x7F <= code <= 0x9F)


class _ForbiddenReferences(Postprocessor):
    """Shows a character reference HTML forbids (`&#0;`) as the characters typed, as typed HTML is.
    Python-Markdown keeps every reference an author types, in text and in attributes (a link's
    title), and a browser reads a forbidden one as an error."""

    def run(self, text: str) -> str:
        if "&#" not in text:
            return text
        return _NUMERIC_REFERENCE.sub(self._shown, text)

    @staticmethod
    def _shown(match: re.Match[str]) -> str:
        decimal, hexadecimal = match.groups()
        digits = (decimal or hexadecimal).lstrip("0")
        # Past 8 digits it is past Unicode (and int() refuses thousands of digits).
        code = 0x110000 if len(digits) > 8 else int(decimal) if decimal is not None else int(hexadecimal, 16)
        return "&amp;" + match.group()[1:] if _forbidden_in_html(code) else match.group()


_BEFORE_SMARTY = 7  # smarty's tree processor runs at 6, after the inline patterns (20) and prettify (10)


class _PlainForSmarty(Treeprocessor):
    """Marks each piece of text holding nothing smarty educates as final (AtomicString, Python-Markdown's
    marker of text no later inline processing may change), so that smarty passes over it whole."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            for place in ("text", "tail"):
                text = getattr(element, place)
                if text and not isinstance(text, AtomicString) and not any(n in text for n in _SMARTY_NEEDS):
                    setattr(element, place, AtomicString(text))


_ESCAPES = UnescapeTreeprocessor()


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
        pictures: list[etree.Element] = []
        for element in root.iter():
            if element.tag == "img" and element.get("alt", "").strip().lower() == "decorative":
                element.set("alt", "")  # said so explicitly: screen readers skip it
                element.set("role", "presentation")
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute) is not None:
                # Backslash escapes (`\_`) are placeholders until Python-Markdown restores them, after this.
                element.set(attribute, self._rewrite(_ESCAPES.unescape(element.get(attribute))))
                if element.tag == "img" and self.links[-1].kind == "file" and is_picture(self.links[-1].target):
                    self._sized(element, len(self.links) - 1)
                    pictures.append(element)
                elif element.tag == "a" and self.links[-1].kind in ("file", "site"):
                    # A page of the site may not be translated into a page's language: the assemble step
                    # then says which language the link leads to.
                    for name in LINK_ATTRIBUTES:
                        element.set(name, f"{LINK_PLACEHOLDER}{len(self.links) - 1}:{name}")
        if pictures:
            self._with_phone_files(root, pictures)

    @staticmethod
    def _sized(image: etree.Element, number: int) -> None:
        """A picture of the content gets the attributes of its processed files: the assemble step,
        which has them, fills in each placeholder ("site-gen-link:3:srcset")."""
        for name in PICTURE_ATTRIBUTES:
            image.set(name, f"{LINK_PLACEHOLDER}{number}:{name}")

    @staticmethod
    def _with_phone_files(root: etree.Element, images: list[etree.Element]) -> None:
        """Each picture's <img> in a <picture> whose first <source> lists a phone's files."""
        parents = {child: parent for parent in root.iter() for child in parent}
        for image in images:
            parent, number = parents[image], image.get("sizes", "").removeprefix(LINK_PLACEHOLDER).split(":")[0]
            picture = etree.Element("picture")
            picture.tail, image.tail = image.tail, None
            parent.insert(list(parent).index(image), picture)
            parent.remove(image)
            etree.SubElement(picture, "source", {"media": PHONE_MEDIA, "type": f"{LINK_PLACEHOLDER}{number}:phone-type",
                                                 "sizes": f"{LINK_PLACEHOLDER}{number}:sizes",
                                                 "srcset": f"{LINK_PLACEHOLDER}{number}:phone-srcset"})
            picture.append(image)

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
        # An email autolink is written <address>: its href's mailto: is not in the text.
        for needle in (href, href.removeprefix("mailto:")):
            for index, text in enumerate(self.lines):
                if needle in text:
                    return self.first_line + index
        return self.first_line


_PLACEHOLDER = re.compile(re.escape(LINK_PLACEHOLDER) + r"(\d+)")
# A picture's <picture>, from _with_phone_files: its number, and its <img>.
_PHONE_PICTURE = re.compile(r'<picture><source [^>]*?"' + re.escape(LINK_PLACEHOLDER) + r'(\d+):phone-srcset"[^>]*>'
                            r'(<img [^>]*>)</picture>')
_ATTRIBUTE_PLACEHOLDER = re.compile(r' ([a-z-]+)="' + re.escape(LINK_PLACEHOLDER) + r'(\d+):([a-z-]+)"')


def fill_links(html: str, hrefs: list[str], attributes: Mapping[int, Mapping[str, str]] | None = None) -> str:
    """Replace link placeholders with the hrefs the assemble step resolved, in link order, and a
    picture's attribute placeholders with its `attributes` (by link number, then PICTURE_ATTRIBUTES
    name, or `phone-srcset` for its phone's <source>; each value escaped for HTML): an attribute
    given no value is left out."""
    def attribute(match: re.Match[str]) -> str:
        name, number, key = match.group(1), int(match.group(2)), match.group(3)
        value = (attributes or {}).get(number, {}).get(key)
        return "" if value is None else f' {name}="{value}"'

    # A picture that could not be made (its error says why) is its <img> alone, with no files to list.
    html = _PHONE_PICTURE.sub(lambda match: match.group(0) if int(match.group(1)) in (attributes or {})
                              else match.group(2), html)
    if attributes:
        html = _ATTRIBUTE_PLACEHOLDER.sub(attribute, html)
    elif LINK_PLACEHOLDER in html:  # pictures that could not be made (their errors say why): no attributes
        html = _ATTRIBUTE_PLACEHOLDER.sub("", html)
    return _PLACEHOLDER.sub(lambda match: hrefs[int(match.group(1))], html)
