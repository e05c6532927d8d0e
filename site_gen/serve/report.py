"""What the command line and the dev server show: problems, one per line, the build's summary, a
long build's progress on the terminal, and the check report as a web page."""

from __future__ import annotations

import functools
import html
import math
import os
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, TextIO

import jinja2

from site_gen.build.pipeline import BuildOptions, BuildResult
from site_gen.content.loader import load_site_config
from site_gen.content.model import SiteConfig
from site_gen.content.problems import Problem, Problems
from site_gen.content.sourcefile import ContentFiles
from site_gen.features.checks import PageReport

PROGRESS_AFTER_SECONDS = 2.0  # a build or check running longer than this shows its progress
PROGRESS_EVERY_SECONDS = 0.1  # and redraws it at most this often


def summary_line(result: BuildResult, output: Path) -> str:
    warnings = len(result.warnings)
    return (f"Built {result.pages} pages into {output}/ in {result.seconds:.2f} s, "
            f"{warnings} {'warning' if warnings == 1 else 'warnings'}.")


def print_problems(problems: list[Problem], label: str) -> None:
    for problem in problems:
        print(f"{problem}" if label == "error" else f"{problem} (warning)", file=sys.stderr)


class Progress:
    """A long build's progress on one line of a terminal ("Rendering pages: 640 of 1036"), written
    over in place and cleared at the end (`clear`). Nothing is shown until the build has run for
    PROGRESS_AFTER_SECONDS, so a quick build prints no more than before.

    It is the pipeline's `progress` callable: called with the step under way and, for a step of
    many pieces of work, how many are done of how many."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.clock = clock
        self.after = PROGRESS_AFTER_SECONDS
        self.every = PROGRESS_EVERY_SECONDS
        self.started = clock()
        self.step: str | None = None
        self.drawn_at: float | None = None
        self.shown = 0  # length of the line on the terminal; 0: none

    @classmethod
    def on_terminal(cls, stream: TextIO) -> Progress | None:
        """A Progress for `stream` when it is a terminal; None for a file, a pipe or captured output."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream) if isatty is not None and isatty() else None

    def __call__(self, step: str, done: int = 0, total: int = 0) -> None:
        now = self.clock()
        changed, self.step = step != self.step, step
        if now - self.started < self.after:
            return
        # Each step's start and end are drawn; counts between them at most every `every` seconds.
        if not changed and done < total and self.drawn_at is not None and now - self.drawn_at < self.every:
            return
        self.drawn_at = now
        self._draw(f"{step}: {done} of {total}" if total else f"{step}...")

    def clear(self) -> None:
        """Remove the line, leaving the cursor where it was before it was drawn."""
        if self.shown:
            self.stream.write("\r" + " " * self.shown + "\r")
            self.stream.flush()
            self.shown = 0

    def _draw(self, line: str) -> None:
        line = line[:self._width() - 1]  # a line that wrapped could not be written over
        self.stream.write("\r" + line + " " * (self.shown - len(line)))
        self.stream.flush()
        self.shown = len(line)

    def _width(self) -> int:
        try:
            columns = os.get_terminal_size(self.stream.fileno()).columns
        except (AttributeError, OSError, ValueError):  # not a real terminal's stream
            columns = 0
        return columns or 80  # 0: a terminal that does not say


# -- the check report as a web page ---------------------------------------------------------------

@functools.lru_cache(maxsize=None)
def dev_templates() -> jinja2.Environment:
    """The templates of the tool's own pages (the dev server's error page, the check report)."""
    environment = jinja2.Environment(loader=jinja2.PackageLoader("site_gen", "serve/dev_templates"), autoescape=True,
                                     undefined=jinja2.StrictUndefined)
    # A page's links are read from its HTML as written there ("&amp;" for "&"): the report shows the address.
    environment.filters["unescape"] = html.unescape
    return environment


@dataclass(frozen=True)
class Finding:
    """One finding of a page, with where it is as the build's warnings say it."""

    where: str  # "content/exercises/bird-dog.md" or "content/exercises/bird-dog.md:12"
    kind: str  # "error", "warning" or "note"; "" when the finding says none
    field: str | None
    message: str


@dataclass(frozen=True)
class PageView:
    """One page of the report, with what its bars show."""

    report: PageReport
    link: str | None  # where the page is served, when it is
    findings: tuple[Finding, ...]
    target: float  # the reading grade the site aims for
    # Where the bars end and their targets are marked, in percent of their length:
    grade_bar: float | None
    target_mark: float
    weight_bar: float
    budget_mark: float

    @property
    def above_target(self) -> bool:
        return self.report.grade is not None and self.report.grade > self.target

    @property
    def over_budget(self) -> bool:
        return self.report.weight > self.report.budget

    @property
    def needs_a_look(self) -> bool:
        return any(finding.kind in ("error", "warning") for finding in self.findings)


@dataclass(frozen=True)
class SiteFacts:
    """What the report says of the whole site: its title, and the reading grade it aims for."""

    title: str | None
    reading_grade: float

    @classmethod
    def of(cls, options: BuildOptions) -> SiteFacts:
        """Read from site.yaml; the defaults when it cannot be read (its errors are the build's to report)."""
        problems = Problems()
        config = load_site_config(ContentFiles(options.content, problems), problems, options.base_url) \
            if options.content.is_dir() else None
        return cls(config.title, config.reading_grade) if config else cls(None, SiteConfig.reading_grade)


def page_views(reports: Iterable[PageReport], warnings: Iterable[Problem], target: float,
               link_from: str | None = None) -> tuple[list[PageView], list[Problem]]:
    """The report's pages, those with errors or warnings first, and the warnings about no page.

    Each finding is placed as the build's warning about it is (file and line). A warning about a
    content file rather than a rendered page (a program leaving out a group) goes with the first
    page made from that file; one about no page's file (site.yaml's) is given apart. With
    `link_from` (the dev server's "/"), pages link to themselves."""
    reports, warnings = list(reports), list(warnings)
    said = {(problem.path, problem.message): problem for problem in warnings}
    placed: set[Problem] = set()
    findings = [[_finding(text, page, said, placed) for text in page.findings] for page in reports]
    first_of = {}
    for index, page in enumerate(reports):
        first_of.setdefault(page.source, index)
    apart = []
    for problem in warnings:
        if problem not in placed:
            if problem.path in first_of:
                findings[first_of[problem.path]].append(Finding(_where(problem.path, problem.line), "warning",
                                                                problem.field, problem.message))
            else:
                apart.append(problem)
    # One scale for every page's grade, so bars compare; the target at its middle unless a grade is higher.
    grade_scale = max([2 * target] + [math.ceil(page.grade) for page in reports if page.grade is not None])
    views = []
    for page, found in zip(reports, findings):
        weight_scale = max(2 * page.budget, page.weight, 1)
        views.append(PageView(
            page, None if link_from is None else link_from + ("" if page.url == "/" else page.url), tuple(found),
            target, grade_bar=None if page.grade is None else _percent(page.grade, grade_scale),
            target_mark=_percent(target, grade_scale),
            weight_bar=_percent(page.weight, weight_scale), budget_mark=_percent(page.budget, weight_scale)))
    return sorted(views, key=lambda view: not view.needs_a_look), apart


_LINE = re.compile(r"line ([0-9]+): ")


def _finding(text: str, page: PageReport, said: dict[tuple[str, str], Problem], placed: set[Problem]) -> Finding:
    """A finding ("warning: message", "note: line 12: message") with the file and line of the
    warning the build gave for it, when it gave one."""
    kind, colon, message = text.partition(": ")
    if not colon or kind not in ("error", "warning", "note"):
        kind, message = "", text
    line = _LINE.match(message)
    if line:
        message = message[line.end():]
    problem = said.get((page.source, f"{message} (page {page.url})"))
    if problem is None:
        return Finding(_where(page.source, int(line[1]) if line else None), kind, None, message)
    placed.add(problem)
    return Finding(_where(problem.path, problem.line), kind, problem.field, message)


def _where(path: str, line: int | None) -> str:
    return path if line is None else f"{path}:{line}"


def _percent(value: float, scale: float) -> float:
    return round(min(100.0, 100 * value / scale), 1)


def render_report(reports: Iterable[PageReport], warnings: Iterable[Problem], site: SiteFacts,
                  problems: Iterable[Problem] = (), link_from: str | None = None) -> str:
    """The check report as a web page: each page's reading grade and weight against their targets,
    its findings and its links to other sites (listed, never fetched); or, when the check stopped
    at errors, those errors."""
    pages, apart = page_views(reports, warnings, site.reading_grade, link_from)
    external = {html.unescape(link) for view in pages for link in view.report.external_links}
    return dev_templates().get_template("report.html").render(
        site=site, pages=pages, apart=apart, problems=list(problems), external=external,
        findings=sum(len(view.findings) for view in pages) + len(apart),
        above_target=sum(view.above_target for view in pages), over_budget=sum(view.over_budget for view in pages))


def write_html_report(path: Path, options: BuildOptions, reports: Iterable[PageReport], warnings: Iterable[Problem],
                      problems: Iterable[Problem] = ()) -> None:
    """Write the check report's web page (see render_report)."""
    path.write_text(render_report(reports, warnings, SiteFacts.of(options), problems), encoding="utf-8")
