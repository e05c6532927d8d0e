"""Quality gates for patient material, run on every build: reading level, actionability, review
dates, links and anchors, images, heading structure and page weight.

Each page is read once, where it is rendered (`page_facts`: the site's own templates' output, so
simple patterns suffice); `check_site` then checks across pages once every page has rendered.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Callable
from urllib.parse import unquote, urlsplit

from site_gen.content.model import Page
from site_gen.content.problems import Problems
from site_gen.kinds import kind_of
from site_gen.kinds.kind import Route

if TYPE_CHECKING:
    from site_gen.build.assemble import Site

_HEADING = re.compile(r"<h([1-6])\b")
_LINK = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)
# Each pattern starts with its literal text, which the regex engine finds quickly (a leading \b or
# alternation made the checks scan every position: 20 times slower on a long page); what must
# come before the attribute's name is checked afterwards, looking back.
_REFERENCES = (re.compile(r'href="(?<=\shref=")([^"]*)"'), re.compile(r'src="(?<=\ssrc=")([^"]*)"'))
_ID = re.compile(r'id="(?<=\sid=")([^"]*)"')
_IMAGE = re.compile(r"<img\b[^>]*>")
_STYLESHEET = re.compile(r"<link rel=\"stylesheet\" href=\"([^\"]*)\"")
_SCRIPT = re.compile(r"<script src=\"([^\"]*)\"")
_TAG = re.compile(r"<[^>]+>")
_SKIPPED_IN_PROSE = re.compile(r"<(h[1-6]|blockquote|figure|pre)\b.*?</\1>", re.S)
_VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "this link", "link", "this page"}
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


@dataclass
class PageReport:
    """What the checks found on one page, for the terminal table and the JSON report."""

    url: str
    source: str
    weight: int
    budget: int
    grade: float | None = None
    longest_sentences: list[str] = field(default_factory=list)
    external_links: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PageFacts:
    """What the checks need from one rendered page: a pure function of the page and its content, so
    it is worked out where the page is rendered (in parallel) and cached with it."""

    size: int  # bytes of HTML
    ids: frozenset[str]
    links: tuple[tuple[str, str, str], ...]  # (href, output file it leads to, #part) for links inside the site
    external: tuple[str, ...]  # http(s) links to other sites
    loads: tuple[str, ...]  # output files of the stylesheets and scripts it loads
    notes: tuple[tuple[str, str, str], ...]  # (error, warning or note, field, message) found in the page alone
    grade: float | None = None
    longest_sentences: tuple[str, ...] = ()


def page_facts(site: Site, route: Route, html: str, grade_of: Callable[[str], float]) -> PageFacts:
    """Read one rendered page for the checks; `grade_of` scores prose (a cached reading_grade)."""
    notes: list[tuple[str, str, str]] = []
    links, external = [], set()
    for href in _references(html):
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            if parts.scheme in ("http", "https") and not href.startswith(site.config.base_url):  # not this site
                external.add(href)
        elif not route.from_root and not href.startswith("/livereload"):
            # The 404 page links from the site's root, as it is served at any depth: not checked.
            links.append((href, _target(route, href) if parts.path else route.output_path, parts.fragment))
    # The 404 page loads its stylesheets from the site's own path, as it is served at any depth.
    root = site.config.base_path()
    loads = tuple(_target(route, href, root) for href in _STYLESHEET.findall(html) + _SCRIPT.findall(html))
    _check_images(html, notes)
    _check_structure(html, notes)
    grade, longest = None, ()
    text = prose_to_grade(site, route)
    if text:
        grade = grade_of(text)
        longest = longest_sentences(text)
    if route.own_page:
        notes.extend(kind_of(route.item).check(route.item))
    return PageFacts(len(html.encode("utf-8")), frozenset(_ID.findall(html)), tuple(links), tuple(sorted(external)),
                     loads, tuple(notes), grade, longest)


def longest_sentences(prose_text: str) -> tuple[str, ...]:
    """The two sentences of the most words, the first of equals first (prose has single spaces only,
    so a sentence's words are its spaces plus one)."""
    return tuple(heapq.nlargest(2, _SENTENCE.split(prose_text), key=lambda sentence: sentence.count(" ")))


def _references(html: str) -> list[str]:
    """The href and src values of a page, in the order they come."""
    found = [match for pattern in _REFERENCES for match in pattern.finditer(html)]
    return [match.group(1) for match in sorted(found, key=lambda match: match.start())]


def check_site(site: Site, files: dict[str, bytes], facts: dict[str, PageFacts], problems: Problems,
               today: dt.date) -> list[PageReport]:
    """Check every page; errors for broken links and images without alt text, warnings for the rest."""
    reports = []
    for route in site.routes:
        page = facts.get(route.output_path)
        if page is None:
            continue
        where = route.item.source.display if route.item is not None else f"templates/{route.template}"
        weight = page.size + sum(len(files.get(target, b"")) for target in page.loads)
        report = PageReport(route.url or "/", where, weight, _budget(site, route), page.grade,
                            list(page.longest_sentences), list(page.external))

        def note(kind: str, field_name: str | None, message: str) -> None:
            if kind != "note":  # notes are for the report only: not counted, never fail a build
                getattr(problems, kind)(where, None, field_name, f"{message} (page {route.url or '/'})")
            report.findings.append(f"{kind}: {message}")

        for href, target, fragment in page.links:
            if target not in files:
                note("error", "link", f'"{href}" leads to no page of the site')
            elif fragment and target in facts and fragment not in facts[target].ids:
                note("error", "link", f'"{href}": the page has no part called #{fragment}')
        for kind, field_name, message in page.notes:
            note(kind, field_name, message)
        if report.weight > report.budget:
            note("warning", "page weight", f"{report.weight / 1024:.1f} KB of HTML, CSS and JavaScript, over the "
                                           f"budget of {report.budget / 1024:.0f} KB")
        if page.grade is not None and page.grade > site.config.reading_grade:
            longest = " / ".join(f'"{sentence}"' for sentence in page.longest_sentences)
            note("warning", "reading level", f"grade {page.grade:g}, above the target of "
                                             f"{site.config.reading_grade:g}; shorten the longest sentences: {longest}")
        if page.grade is not None:
            _check_review(site, route.item, today, note)
        reports.append(report)
    return reports


def _budget(site: Site, route: Route) -> int:
    # Documents to print (program packets), each page a full exercise sheet: twice the budget.
    factor = 2 if route.printable else 1
    return site.config.page_budget_kb * 1024 * factor


def _target(route: Route, href: str, root: str | None = None) -> str:
    """The output file a relative link from this page points at; with `root` (the site's own path),
    a link starting with it leads from the site's root."""
    if root is not None and href.startswith(root):
        return _resolve("", href[len(root):])
    base = route.url if route.url.endswith("/") or route.url == "" else posixpath.dirname(route.url) + "/"
    up = "../" * base.count("/") if not base.startswith("/") else ""  # "/": a file at the root
    rest = href[len(up):]
    # A link that first climbs to the site's root (a stylesheet, the menu) leads to the same file from
    # every page as deep: worked out once, not for each page.
    if up and href.startswith(up) and not rest.startswith("/"):
        return _resolve("", rest)
    return _resolve(base, href)


@functools.lru_cache(maxsize=4096)
def _resolve(base: str, href: str) -> str:
    path = posixpath.normpath(posixpath.join(base, unquote(urlsplit(href).path)))
    path = "" if path == "." else path
    return path + "/index.html" if href.split("#")[0].endswith("/") and path else (path or "index.html")


def _check_images(html: str, notes: list) -> None:
    for image in _IMAGE.findall(html):
        alt = re.search(r'\balt="([^"]*)"', image)
        decorative = 'role="presentation"' in image
        if alt is None or (not alt.group(1).strip() and not decorative):
            notes.append(("error", "image", f"{image[:80]} has no text for people who cannot see it: describe it "
                                            "in the brackets, ![like this](photo.jpg), or write ![decorative](photo.jpg)"))


def _check_structure(html: str, notes: list) -> None:
    levels = [int(level) for level in _HEADING.findall(html)]
    if levels.count(1) != 1:
        notes.append(("warning", "headings", f"{levels.count(1)} top-level headings; a page needs exactly one "
                                             "(its title): start headings in the text at ##"))
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            notes.append(("warning", "headings",
                          f"a level-{after} heading follows a level-{before} one; do not skip levels"))
            break
    for href, text in _LINK.findall(html):
        words = " ".join(_TAG.sub(" ", text).split()).lower().strip(".")
        if words in _VAGUE_LINK_TEXT:
            notes.append(("warning", "link text", f'a link says "{words}"; say where it goes instead'))


def prose_to_grade(site: Site, route: Route) -> str | None:
    """The prose of a page showing its content's own body (home, topic, exercise), when long enough
    to grade; None for other pages."""
    if route.item is None or route.item.source.rel not in site.bodies:
        return None
    text = prose(site, route.item)
    return text if len(text.split()) >= 30 else None


def prose(site: Site, item: Page) -> str:
    """A page's running text for its reading level: its summary, its body without headings, quotes
    or figures, and what its kind adds (an exercise's steps; never the dosage box)."""
    body = _TAG.sub(" ", _SKIPPED_IN_PROSE.sub(" ", str(site.bodies[item.source.rel])))
    parts = [item.summary, unescape(body), *kind_of(item).prose(item)]
    return " ".join(" ".join(parts).split())


def _check_review(site: Site, item: Page, today: dt.date, note) -> None:
    age = (today - item.review.date).days
    if age > site.config.review_interval_days:
        note("warning", "reviewed", f"last reviewed {item.review.date.isoformat()}, {age} days ago; review it "
                                    f"(every {site.config.review_interval_days} days) and update the date")
