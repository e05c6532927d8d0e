"""Quality gates for patient material, run on every build: reading level, actionability, review
dates, links and anchors, images, heading structure and page weight.

Call after every page has rendered: the checks read the rendered pages (the site's own
templates' output, so simple patterns suffice) and the content they came from.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urlsplit

from .assemble import Site
from .cache import Cache, key_of
from .model import Exercise, Page
from .problems import Problems
from .routes import Route

_HEADING = re.compile(r"<h([1-6])\b")
_LINK = re.compile(r"<a\b[^>]*?\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)
_REFERENCE = re.compile(r"\b(?:href|src)=\"([^\"]*)\"")
_ID = re.compile(r"\bid=\"([^\"]*)\"")
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


def check_site(site: Site, files: dict[str, bytes], problems: Problems, today: dt.date,
               cache: Cache | None = None) -> list[PageReport]:
    """Check every page; errors for broken links and images without alt text, warnings for the rest."""
    pages = {route.output_path: files[route.output_path].decode("utf-8") for route in site.routes if route.is_html
             and route.output_path in files}
    ids = {path: set(_ID.findall(html)) for path, html in pages.items()}
    reports = []
    for route in site.routes:
        if route.output_path not in pages:
            continue
        page = pages[route.output_path]
        where = route.item.source.display if route.item is not None else f"templates/{route.template}"
        report = PageReport(route.url or "/", where, _weight(route, page, files), _budget(site, route))

        def note(kind: str, field_name: str | None, message: str) -> None:
            getattr(problems, kind)(where, None, field_name, f"{message} (page {route.url or '/'})")
            report.findings.append(f"{kind}: {message}")

        _check_links(route, page, files, ids, site.config.base_url, note, report)
        _check_images(page, note)
        _check_structure(page, note)
        if report.weight > report.budget:
            note("warning", "page weight", f"{report.weight / 1024:.1f} KB of HTML, CSS and JavaScript, over the "
                                           f"budget of {report.budget / 1024:.0f} KB")
        if prose_to_grade(site, route):
            _check_reading(site, route.item, note, report, cache or Cache(None))
            _check_review(site, route.item, today, note)
        if isinstance(route.item, Exercise) and route.template == "exercise.html":
            _check_actionability(route.item, note)
        reports.append(report)
    return reports


def _weight(route: Route, html: str, files: dict[str, bytes]) -> int:
    """The page plus the stylesheets and scripts it loads, in bytes."""
    weight = len(html.encode("utf-8"))
    for href in _STYLESHEET.findall(html) + _SCRIPT.findall(html):
        target = _target(route, href)
        weight += len(files.get(target, b""))
    return weight


def _budget(site: Site, route: Route) -> int:
    # Handouts and packets are documents to print, each page a full exercise sheet: twice the budget.
    factor = 1 if route.in_sitemap or route.template == "404.html" else 2
    return site.config.page_budget_kb * 1024 * factor


def _target(route: Route, href: str) -> str:
    """The output file a relative link from this page points at."""
    base = route.url if route.url.endswith("/") or route.url == "" else posixpath.dirname(route.url) + "/"
    path = posixpath.normpath(posixpath.join(base, unquote(urlsplit(href).path)))
    path = "" if path == "." else path
    return path + "/index.html" if href.split("#")[0].endswith("/") and path else (path or "index.html")


def _check_links(route, html, files, ids, base_url, note, report) -> None:
    for href in _REFERENCE.findall(html):
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            if parts.scheme in ("http", "https") and not href.startswith(base_url):  # not this site's own address
                report.external_links.append(href)
            continue
        if route.template == "404.html" or href.startswith("/livereload"):
            continue  # the 404 page links from the site's root, as it is served at any depth
        target = _target(route, href) if parts.path else route.output_path
        if target not in files:
            note("error", "link", f'"{href}" leads to no page of the site')
        elif parts.fragment and target in ids and parts.fragment not in ids[target]:
            note("error", "link", f'"{href}": the page has no part called #{parts.fragment}')
    report.external_links = sorted(set(report.external_links))


def _check_images(html: str, note) -> None:
    for image in _IMAGE.findall(html):
        alt = re.search(r'\balt="([^"]*)"', image)
        decorative = 'role="presentation"' in image
        if alt is None or (not alt.group(1).strip() and not decorative):
            note("error", "image", f"{image[:80]} has no text for people who cannot see it: describe it in the "
                                   "brackets, ![like this](photo.jpg), or write ![decorative](photo.jpg)")


def _check_structure(html: str, note) -> None:
    levels = [int(level) for level in _HEADING.findall(html)]
    if levels.count(1) != 1:
        note("warning", "headings", f"{levels.count(1)} top-level headings; a page needs exactly one "
                                    "(its title): start headings in the text at ##")
    for before, after in zip(levels, levels[1:]):
        if after > before + 1:
            note("warning", "headings", f"a level-{after} heading follows a level-{before} one; do not skip levels")
            break
    for href, text in _LINK.findall(html):
        words = " ".join(_TAG.sub(" ", text).split()).lower().strip(".")
        if words in _VAGUE_LINK_TEXT:
            note("warning", "link text", f'a link says "{words}"; say where it goes instead')


def prose_to_grade(site: Site, route: Route) -> str | None:
    """The prose of a content page long enough to grade, or None for other pages."""
    if not isinstance(route.item, (Page, Exercise)) or route.template not in ("home.html", "planes.html",
                                                                               "exercise.html"):
        return None
    text = prose(site, route.item)
    return text if len(text.split()) >= 30 else None


def prose(site: Site, item: Page | Exercise) -> str:
    """A page's running text for its reading level: no headings, quotes or dosage box."""
    body = _TAG.sub(" ", _SKIPPED_IN_PROSE.sub(" ", str(site.get_body(item))))
    parts = [item.summary, unescape(body)]
    if isinstance(item, Exercise):
        parts += [*item.steps, *item.safety]
    if item is site.content.explainer:
        parts += [plane.description for plane in site.content.planes]
    return " ".join(" ".join(parts).split())


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade, by textstat with its offline pronunciation dictionary."""
    import textstat  # loads the CMU dictionary: only when there is text to score

    return round(float(textstat.flesch_kincaid_grade(text)), 1)


def _check_reading(site: Site, item: Page | Exercise, note, report: PageReport, cache: Cache) -> None:
    text = prose(site, item)
    report.grade = cache.memo("grades", key_of(text), lambda: reading_grade(text))
    sentences = sorted(_SENTENCE.split(text), key=lambda sentence: len(sentence.split()), reverse=True)
    report.longest_sentences = sentences[:2]
    target = site.config.reading_grade
    if report.grade > target:
        longest = " / ".join(f'"{sentence}"' for sentence in report.longest_sentences)
        note("warning", "reading level", f"grade {report.grade:g}, above the target of {target:g}; "
                                         f"shorten the longest sentences: {longest}")


def _check_review(site: Site, item: Page | Exercise, today: dt.date, note) -> None:
    age = (today - item.review.date).days
    if age > site.config.review_interval_days:
        note("warning", "reviewed", f"last reviewed {item.review.date.isoformat()}, {age} days ago; review it "
                                    f"(every {site.config.review_interval_days} days) and update the date")


def _check_actionability(exercise: Exercise, note) -> None:
    """PEMAT actionability: explicit steps, a dosage, a safety note, and words that speak to the reader."""
    dosage = exercise.dosage
    if len(dosage.set_by_therapist()) == 3 and dosage.hold is None and dosage.distance is None:
        note("warning", "dosage", "gives no amount or frequency at all; patients act on numbers")
    if len(exercise.steps) < 2:
        note("warning", "steps", "one step only; break the movement into numbered steps")
    words = re.findall(r"[a-z']+", " ".join((*exercise.steps, *exercise.safety, exercise.body)).lower())
    if not {"you", "your", "you're"} & set(words):
        note("warning", "steps", 'the steps do not speak to the reader; write them to "you"')
