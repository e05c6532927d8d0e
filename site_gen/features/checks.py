"""Quality gates for patient material, run on every build: reading level, actionability, review
dates, links and anchors, images, heading structure and page weight.

Each page is read once, where it is rendered (`page_facts`: the site's own templates' output, so
simple patterns suffice); `check_site` then checks across pages once every page has rendered.
What is found in a page's own content file (a hard sentence, a heading, a link, a picture in its
body; its review date) is reported on the line of that file it is written on.
"""

from __future__ import annotations

import datetime as dt
import functools
import heapq
import posixpath
import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from typing import TYPE_CHECKING, Callable, Iterable
from urllib.parse import unquote, urlsplit

from site_gen.content.model import Page, language_code
from site_gen.content.problems import Problems, did_you_mean
from site_gen.features.prose import (
    HEADING_TEXT,
    TAG,
    ContentText,
    front_matter,
    lines_to_grade,
)
from site_gen.features.readability import SENTENCE_END, graded, grades_above, split_sentences
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
# Tags inside a line of text; any other (a paragraph's, a list item's, a cell's, a line break's)
# ends a block of prose, and with it a sentence.
_SPACE_BEFORE_PUNCTUATION = re.compile(r" (?=[.,;:!?)])")  # left where a tag was: "<b>slow</b>." reads "slow ."
_SPACE_AFTER_OPENING = re.compile(r"(?<=[¿¡]) ")  # likewise: "¿<b>Le</b> duele?" reads "¿ Le duele ?"
_VAGUE_LINK_TEXT = {"click here", "here", "read more", "more", "this link", "link", "this page"}
_SENTENCE = SENTENCE_END  # where a sentence of prose_lines ends
_REVIEWED = re.compile(r"""["']?reviewed["']?\s*:""")  # the key, at the front matter's top level


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
    target_grade: float | None = None  # the site's reading_grade, for graded pages
    hard_sentences: list[dict] = field(default_factory=list)  # each above sentence_grade: line, grade, sentence


@dataclass(frozen=True)
class PageFacts:
    """What the checks need from one rendered page: a pure function of the page and its content, so
    it is worked out where the page is rendered (in parallel) and cached with it."""

    size: int  # bytes of HTML
    ids: frozenset[str]
    links: tuple[tuple[str, str, str], ...]  # (href, output file it leads to, #part) for links inside the site
    external: tuple[str, ...]  # http(s) links to other sites
    loads: tuple[str, ...]  # output files of the stylesheets and scripts it loads
    # (error, warning or note, field, message, line in the content file or None) found in the page alone
    notes: tuple[tuple[str, str, str, int | None], ...]
    grade: float | None = None
    longest_sentences: tuple[str, ...] = ()
    hard_sentences: tuple[tuple[int | None, float, str], ...] = ()  # (line, grade, sentence) above sentence_grade


def page_facts(site: Site, route: Route, html: str, grade_of: Callable[..., float | None]) -> PageFacts:
    """Read one rendered page for the checks; `grade_of` scores prose (a cached reading_grade: given
    `language=` for a page in another language than English)."""
    notes: list[tuple[str, str, str, int | None]] = []
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
    # The page's own content file, for the lines of what is found in its body (read only then).
    source = ContentText(site, route.item) if route.own_page and isinstance(route.item, Page) else None
    _check_images(html, notes, source)
    _check_structure(html, notes, source)
    ids = _ID.findall(html)
    _check_repeated_ids(ids, notes, source)
    grade, longest, hard = None, (), ()
    lines = lines_to_grade(site, route)
    language = reading_language(site)
    if lines and not graded(language):
        notes.append(("note", "reading level", f"not graded: there is no reading-grade formula for the language "
                                               f"{language}; have a reader of it check that the words are plain",
                      None))
    elif lines:
        if language != "en":  # the English grade is called as it always was: its cache's keys are the text alone
            grade_of = functools.partial(grade_of, language=language)
        grade = grade_of(lines.replace("\n", " "))
        sentences = split_sentences(lines, language)
        longest = tuple(map(_tidied, _longest(sentences)))
        hard = _hard_sentences(sentences, site.config.sentence_target(language), grade_of, source, language)
    if route.own_page:
        notes.extend((*finding, None) for finding in kind_of(route.item).check(route.item))
    return PageFacts(len(html.encode("utf-8")), frozenset(ids), tuple(links), tuple(sorted(external)),
                     loads, tuple(notes), grade, longest, hard)


def longest_sentences(prose_text: str) -> tuple[str, ...]:
    """The two sentences of the most words, the first of equals first, of prose with single spaces
    and each block (paragraph, list item, step) on a line of its own."""
    return _longest(_SENTENCE.split(prose_text))


def _longest(sentences: Iterable[str]) -> tuple[str, ...]:
    # Sentences have single spaces only, so a sentence's words are its spaces plus one.
    return tuple(heapq.nlargest(2, sentences, key=lambda sentence: sentence.count(" ")))


def reading_language(site: Site) -> str:
    """The code of the language a site's pages are graded in ("en", "es"): its own language's
    (`site.language.code`), else site.yaml's `language` (a Site made without languages, in tests)."""
    return site.language.code if site.language is not None else language_code(site.config.language or "en")


def _hard_sentences(sentences: list[str], target: float, grade_of: Callable[[str], float],
                    source: ContentText | None, language: str = "en") -> tuple[tuple[int | None, float, str], ...]:
    """The sentences graded above `target` alone (of those long enough to be judged), each once,
    with the line of the content file it is on."""
    found: dict[tuple[int | None, str], float] = {}
    for place, grade in grades_above(sentences, target, grade_of, language):
        line = source.find_sentence(sentences[place]) if source else None
        found.setdefault((line, _tidied(sentences[place])), grade)
    return tuple((line, grade, sentence) for (line, sentence), grade in found.items())


def _tidied(sentence: str) -> str:
    """A sentence as shown in a message: without the space a tag left before punctuation (which
    changes none of its words, so not its grade); nor the one after an opening ¿ or ¡."""
    return _SPACE_AFTER_OPENING.sub("", _SPACE_BEFORE_PUNCTUATION.sub("", sentence))


def _references(html: str) -> list[str]:
    """The href and src values of a page, in the order they come."""
    found = [match for pattern in _REFERENCES for match in pattern.finditer(html)]
    return [match.group(1) for match in sorted(found, key=lambda match: match.start())]


def check_site(site: Site, files: dict[str, bytes], facts: dict[str, PageFacts], problems: Problems,
               today: dt.date) -> list[PageReport]:
    """Check every page; errors for broken links and images without alt text, warnings for the rest."""
    _check_budget_names(site, problems)
    reading_target = site.config.reading_target(reading_language(site))
    sentence_target = site.config.sentence_target(reading_language(site))
    reports = []
    on_site_date: list[tuple[Route, PageReport]] = []  # pages past review whose date is site.yaml's
    unmade = {route.output_path for route in site.routes} - files.keys()
    for route in site.routes:
        page = facts.get(route.output_path)
        if page is None:
            continue
        where = route.item.source.display if route.item is not None else f"templates/{route.template}"
        weight = page.size + sum(len(files.get(target, b"")) for target in page.loads)
        report = PageReport(route.url or "/", where, weight, _budget(site, route), page.grade,
                            list(page.longest_sentences), list(page.external))

        def note(kind: str, field_name: str | None, message: str, line: int | None = None) -> None:
            if kind != "note":  # notes are for the report only: not counted, never fail a build
                getattr(problems, kind)(where, line, field_name, f"{message} (page {route.url or '/'})")
            report.findings.append(f"{kind}: {message}" if line is None else f"{kind}: line {line}: {message}")

        for href, target, fragment in page.links:
            if target not in files and target in unmade:
                continue  # a page whose template failed: that error says so
            if target not in files:
                note("error", "link", f'"{href}" leads to no page of the site')
            elif site.offline and _names_folder(href):  # a copy to open from disk (--offline)
                note("error", "link", f'"{href}" leads to a folder, which a browser opens from disk as a list of '
                                      "files; link to its index.html")
            elif fragment and target in facts and fragment not in facts[target].ids:
                note("error", "link", f'"{href}": the page has no part called #{fragment}')
        for kind, field_name, message, line in page.notes:
            note(kind, field_name, message, line)
        if report.weight > report.budget:
            note("warning", "page weight", f"{report.weight / 1024:.1f} KB of HTML, CSS and JavaScript, over the "
                                           f"budget of {report.budget / 1024:.0f} KB")
        if page.grade is not None:
            report.target_grade = reading_target
        if page.grade is not None and page.grade > reading_target:
            longest = " / ".join(f'"{sentence}"' for sentence in page.longest_sentences)
            note("warning", "reading level", f"grade {page.grade:g}, above the target of "
                                             f"{reading_target:g}; shorten the longest sentences: {longest}")
        for line, grade, sentence in page.hard_sentences:
            note("warning", "sentence", f"grade {grade:g}, above the target of {sentence_target:g} for one "
                                        f'sentence: "{_shortened(sentence)}"; split it, or say it in everyday words',
                 line)
            report.hard_sentences.append({"line": line, "grade": grade, "sentence": sentence})
        if page.grade is not None and _overdue(site, route.item, today):
            own, line = _own_review(site, route.item)
            if own:
                note("warning", "reviewed", _overdue_message(site, route.item.review.date, today), line)
            else:
                on_site_date.append((route, report))
        reports.append(report)
    if on_site_date:
        _check_site_review(site, on_site_date, problems, today)
    return reports


def _shortened(sentence: str, head: int = 60, tail: int = 30) -> str:
    """A long sentence as its first and last words, enough to find it."""
    if len(sentence) <= head + tail + 20:
        return sentence
    first = sentence[:head].rsplit(" ", 1)[0]
    last = sentence[-tail:].split(" ", 1)[-1]
    return f"{first} … {last}"


def _names_folder(href: str) -> bool:
    """Whether a link names a folder (`exercises/`, `..`), not a file: a server shows the folder's
    index.html, a browser reading from disk a list of its files."""
    path = urlsplit(href).path
    return path.endswith("/") or path.rsplit("/", 1)[-1] in (".", "..")


def _budget(site: Site, route: Route) -> int:
    name = route.template.removesuffix(".html")
    given = next((budget.kb for budget in site.config.page_budgets if budget.template == name), None)
    if given is not None:
        return given * 1024
    # Documents to print (program packets), each page a full exercise sheet: twice the budget.
    factor = 2 if route.printable else 1
    return site.config.page_budget_kb * 1024 * factor


def _check_budget_names(site: Site, problems: Problems) -> None:
    """Each template `page_budget_kb` names makes pages: a misspelt name would leave them unbudgeted."""
    names = sorted({route.template.removesuffix(".html") for route in site.routes if route.template.endswith(".html")})
    if site.content.unloaded:  # a file left out (its errors say why) may be all a template's pages
        return
    for budget in site.config.page_budgets:
        if budget.template not in names:
            problems.error(site.config.source.display, budget.line, f"page_budget_kb.{budget.template}",
                           f"no page is made from a template called {budget.template}"
                           f"{did_you_mean(budget.template, names)}; name one of {', '.join(names)} (a template "
                           "without .html), or default for every other page")


def _target(route: Route, href: str, root: str | None = None) -> str:
    """The output file a relative link from this page points at; with `root` (the site's own path),
    a link starting with it leads from the site's root."""
    if root is not None and href.startswith(root):
        return _resolve("", href[len(root):])
    base = route.url.rpartition("/")[0] + "/" if "/" in route.url else ""  # the page's folder; "" at the root
    up = "../" * base.count("/")
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


def _check_images(html: str, notes: list, source: ContentText | None) -> None:
    in_body = None  # the body's images without text, each taken once it is found in the page
    for image in _IMAGE.findall(html):
        if _without_alt(image):
            if in_body is None:
                in_body = [found for found in _IMAGE.findall(source.body_html) if _without_alt(found)] if source else []
            line = source.image_line(in_body, image) if source else None
            notes.append(("error", "image", f"{_named(image)[:80]} has no text for people who cannot see it: describe it in "
                                            "the brackets, ![like this](photo.jpg), or write ![decorative](photo.jpg)",
                          line))


def _named(image: str) -> str:
    """An image tag as a message shows it: its alt text and its file (a picture's sizes and srcset left out)."""
    alt, src = (re.search(rf'\s{name}="([^"]*)"', image) for name in ("alt", "src"))
    return f'<img alt="{alt.group(1) if alt else ""}" src="{src.group(1) if src else ""}">' if src else image


def _without_alt(image: str) -> bool:
    alt = re.search(r'\balt="([^"]*)"', image)
    return alt is None or (not alt.group(1).strip() and 'role="presentation"' not in image)


def _check_repeated_ids(ids: list[str], notes: list, source: ContentText | None) -> None:
    """Two parts of a page with one name (a heading in the text named as a part of the page's
    template, such as a group of a topic): a link to it can only lead to the first."""
    for name in sorted(name for name, count in Counter(ids).items() if count > 1):
        heading = re.search(rf'<h([1-6])\b[^>]*\bid="{re.escape(name)}"[^>]*>(.*?)</h\1>', source.body_html,
                            re.S) if source else None
        if heading:
            line = source.heading_line(int(heading.group(1)), heading.group(2))
            words = " ".join(unescape(TAG.sub(" ", heading.group(2))).split())
            notes.append(("warning", "headings", f'the heading "{words}" is called #{name} in the page\'s address, '
                                                 "as another part of the page is, so a link to it leads to the "
                                                 "other: give the heading other words", line))
        else:
            notes.append(("warning", "headings", f'two parts of the page are called #{name}, so a link to the '
                                                 "second leads to the first: the theme's templates name them", None))


def _check_structure(html: str, notes: list, source: ContentText | None) -> None:
    levels = [int(level) for level in _HEADING.findall(html)]
    if levels.count(1) != 1:
        line = source.heading_line(1, None) if source and levels.count(1) > 1 else None
        notes.append(("warning", "headings", f"{levels.count(1)} top-level headings; a page needs exactly one "
                                             "(its title): start headings in the text at ##", line))
    for index, (before, after) in enumerate(zip(levels, levels[1:]), start=1):
        if after > before + 1:
            headings = HEADING_TEXT.findall(html)
            text = headings[index][1] if source and len(headings) == len(levels) else None
            notes.append(("warning", "headings", f"a level-{after} heading follows a level-{before} one; do not skip "
                                                 "levels", source.heading_line(after, text) if text else None))
            break
    body_links = None  # the body's links, each taken once it is found in the page
    for href, text in _LINK.findall(html):
        words = " ".join(TAG.sub(" ", text).split()).lower().strip(".")
        if words in _VAGUE_LINK_TEXT:
            if body_links is None:
                body_links = _LINK.findall(source.body_html) if source else []
            line = source.link_line(body_links, (href, text), words) if source else None
            notes.append(("warning", "link text", f'a link says "{words}"; say where it goes instead', line))


def _overdue(site: Site, item: Page, today: dt.date) -> bool:
    return (today - item.review.date).days > site.config.review_interval_days


def _overdue_message(site: Site, date: dt.date, today: dt.date, whose: str = "", what: str = "it") -> str:
    return (f"last reviewed {date.isoformat()}, {(today - date).days} days ago{whose}; review {what} "
            f"(every {site.config.review_interval_days} days) and update the date")


def _own_review(site: Site, item: Page) -> tuple[bool, int | None]:
    """Whether a page gives its own review date, and the line of its `reviewed` (None: the page
    takes site.yaml's). Read from its file when it is still the one loaded; else the date says."""
    front = front_matter(item)
    if front is None:
        return item.review != site.config.review, None
    for number, line in enumerate(front.split("\n")[1:], start=2):
        if line.rstrip() in ("---", "..."):
            break
        if _REVIEWED.match(line):
            return True, number
    return False, None


def _check_site_review(site: Site, pages: list[tuple[Route, PageReport]], problems: Problems,
                       today: dt.date) -> None:
    """One warning for site.yaml's review date, naming the pages past review that take it, and
    a finding in each of their reports."""
    config, shown = site.config, 3
    names = [route.item.source.display for route, _ in pages]
    listed = ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
    whose = (f": the date of the page that gives none of its own ({listed})" if len(pages) == 1 else
             f": the date of {len(pages)} pages that give none of their own ({listed})")
    problems.warning(config.source.display, config.review_line, "reviewed",
                     _overdue_message(site, config.review.date, today, whose, "it" if len(pages) == 1 else "them"))
    where = config.source.display if config.review_line is None else f"{config.source.display}:{config.review_line}"
    for route, report in pages:
        report.findings.append(f"warning: {_overdue_message(site, config.review.date, today)} in {where}")
