"""The build, start to finish: load → Markdown → assemble → templates → write.

Each step is a module of its own; data flows forward only. Nothing touches the output folder
until every page has rendered without error. A first build starts the Markdown step as loading
starts: it needs only the files' bodies.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from site_gen.build.assemble import assemble_site, content_key, prepare
from site_gen.build.cache import Cache, key_of, sharded
from site_gen.build.markup import EXTENSIONS, RenderedMarkdown, render_markdown
from site_gen.build.render import load_templates, read_assets, render_site
from site_gen.build.workers import alongside, in_workers, workers_for
from site_gen.build.writer import check_output_dir, write_output
from site_gen.content.loader import body_sources, load_content
from site_gen.content.model import Content
from site_gen.content.problems import BuildFailed, Problem, Problems
from site_gen.content.sourcefile import SourceFile, read_body
from site_gen.features.checks import PageReport, check_site
from site_gen.features.readability import load_dictionaries

REQUIRED_TEMPLATES = {"home.html", "topic.html", "exercises.html", "exercise.html",
                      "clinics.html", "clinic.html", "programs.html", "program.html", "program_print.html",
                      "404.html", "sitemap.xml", "robots.txt", "postcodes.js"}


@dataclass(frozen=True)
class BuildOptions:
    """Where things are and how strict to be; from the command line."""

    content: Path = Path("content")
    templates: Path = Path("templates")
    output: Path = Path("output")
    base_url: str | None = None
    strict: bool = False
    today: dt.date = field(default_factory=dt.date.today)  # for review dates; tests fix it
    use_cache: bool = True  # .cache/ beside the content folder

    @property
    def cache_dir(self) -> Path | None:
        return self.content.resolve().parent / ".cache" if self.use_cache else None


@dataclass(frozen=True)
class BuildResult:
    files: dict[str, bytes]
    warnings: list[Problem]
    reports: list[PageReport]
    seconds: float

    @property
    def pages(self) -> int:
        return sum(1 for path in self.files if path.endswith(".html"))


def render_files(options: BuildOptions, cache: Cache | None = None
                 ) -> tuple[dict[str, bytes], list[Problem], list[PageReport]]:
    """Every output file in memory, the warnings and each page's checks; raises BuildFailed listing all errors.

    A given `cache` is the caller's to save (the dev server keeps one in memory between its builds;
    `build` writes it while it writes the site); otherwise `.cache/` is read and written back.
    """
    if cache is not None:
        cache.start_build()
        with _collector_paused():
            return _render_files(options, cache)
    cache = Cache(options.cache_dir)
    try:
        with _collector_paused():
            return _render_files(options, cache)
    finally:
        cache.save()  # pure results stay good even when this build failed


@contextlib.contextmanager
def _collector_paused():
    """Python's cycle collector off while a build runs, and the objects frozen for workers let go after.

    A build makes millions of objects and keeps most of them until it ends, so the collector's
    passes over them found almost nothing and took 0.5 s of a 3.5 s cold build at 1,000 exercises.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def _render_files(options: BuildOptions, cache: Cache) -> tuple[dict[str, bytes], list[Problem], list[PageReport]]:
    problems = Problems()
    with _bodies_started(options.content, cache) as started:
        env = load_templates(options.templates, REQUIRED_TEMPLATES, problems,
                             options.cache_dir / "jinja" if options.cache_dir else None)
        content = load_content(options.content, problems, base_url=options.base_url, cache=cache)
        if content is None or env is None:
            raise BuildFailed(problems.errors, problems.warnings)
        key = content_key(content)
        bodies = render_bodies(content, cache, started, meanwhile=lambda: _work_without_bodies(content, key, cache))
    site = assemble_site(content, key, bodies, problems, cache)
    files, facts = render_site(site, env, read_assets(options.templates), options.templates, options.content,
                               problems, cache)
    reports = check_site(site, files, facts, problems, options.today) if not problems.errors else []
    if problems.errors or (options.strict and problems.warnings):
        raise BuildFailed(problems.errors + (problems.warnings if options.strict else []), problems.warnings)
    return files, problems.warnings, reports


def _work_without_bodies(content: Content, key: str, cache: Cache) -> None:
    """Work of later steps that needs no page body, done while worker processes convert the bodies
    (instead of after, or in each render worker: 0.2 s of a first build of 1,000 exercises)."""
    prepare(content, key, cache)
    load_dictionaries()  # before the render step forks its workers, which grade most pages of such a build


PARALLEL_MIN_BODIES = 100  # Markdown bodies to convert below which worker processes cost more than they save


Converted = list[tuple[str, RenderedMarkdown]]  # bodies as HTML, each with the key it is looked up by


@contextlib.contextmanager
def _bodies_started(content_dir: Path, cache: Cache) -> Iterator[Callable[[], Converted] | None]:
    """A first build's Markdown step, started at once: worker processes (one fewer than the cores)
    read the content's Markdown files and convert their bodies while this process compiles the
    templates and reads the content, with a core that would otherwise be idle. Gives what helps
    them with the rest and returns (key, HTML) pairs. None when the cache holds anything (later
    builds find most bodies there), for fewer than PARALLEL_MIN_BODIES bodies, or on one core."""
    sources = body_sources(content_dir) if cache.is_empty() else []
    workers = workers_for(len(sources), PARALLEL_MIN_BODIES)
    if not workers:
        yield None
        return
    with in_workers(_convert_files, sources, workers, here_too=True) as results:
        yield lambda: list(itertools.chain.from_iterable(results()))


def _convert_files(sources: Sequence[SourceFile]) -> Converted:
    """The bodies of these files as HTML, each with the key render_bodies looks it up by."""
    bodies = []
    for source in sources:
        found = read_body(source)
        if found is not None:  # the loader says what is wrong with the file
            bodies.append((found[0], source.rel, found[1]))
    return [(_body_key(*body), rendered) for body, rendered in zip(bodies, render_markdown(bodies))]


def _body_key(body: str, rel: str, first_line: int) -> str:
    return key_of(body, rel, first_line, EXTENSIONS)


def render_bodies(content: Content, cache: Cache,
                  started: Callable[[], Converted] | None = None,
                  meanwhile: Callable[[], None] | None = None) -> dict[str, RenderedMarkdown]:
    """Markdown → HTML for every page with a body, by content file (a pure step, so cached).

    `started` gives the bodies converted since the build started (see _bodies_started); one
    whose file changed since then is converted again. Many other bodies not in the cache are
    converted by one worker process per core. While workers convert, this process does `meanwhile`;
    otherwise it is not run here.
    """
    pages = content.pages_with_bodies()
    keys = {page.source.rel: _body_key(page.body, page.source.rel, page.body_line) for page in pages}
    if started is not None:
        if meanwhile is not None:
            meanwhile()
            meanwhile = None
        converted_early = dict(started())
        for key in keys.values():
            if key in converted_early:
                cache.put(sharded("markdown", key), key, converted_early[key])
    found = {rel: cache.get(sharded("markdown", key), key) for rel, key in keys.items()}
    missing = [page for page in pages if found[page.source.rel] is None]
    bodies = [(page.body, page.source.rel, page.body_line) for page in missing]
    workers = workers_for(len(missing), PARALLEL_MIN_BODIES)
    if workers:
        with in_workers(render_markdown, bodies, workers) as results:
            if meanwhile is not None:
                meanwhile()
            converted = list(itertools.chain.from_iterable(results()))
    else:
        converted = render_markdown(bodies)
    for page, rendered in zip(missing, converted):
        key = keys[page.source.rel]
        cache.put(sharded("markdown", key), key, rendered)
        found[page.source.rel] = rendered
    return found


def check_output(options: BuildOptions) -> None:
    """Raise BuildFailed when the output folder would replace the content, the templates or the project."""
    refused = check_output_dir(options.output, {"content": options.content, "templates": options.templates,
                                                "project": options.content.resolve().parent})
    if refused:
        raise BuildFailed(refused)


def build(options: BuildOptions) -> BuildResult:
    """Build the site and replace the output folder with it."""
    started = time.perf_counter()
    check_output(options)
    cache = Cache(options.cache_dir)
    try:
        files, warnings, reports = render_files(options, cache)
    except Exception:
        cache.save()  # pure results stay good even when this build failed
        raise
    # The cache is written while the site is (they share no file), by another process: a thread
    # held Python's lock from the writing of the site (1,000 exercises: both took 0.11-0.12 s
    # after rendering, 0.08-0.09 s so).
    with alongside(cache.save):
        write_output(files, options.output)
    return BuildResult(files, warnings, reports, time.perf_counter() - started)


def check(options: BuildOptions) -> BuildResult:
    """Render and check the site without writing it."""
    started = time.perf_counter()
    files, warnings, reports = render_files(options)
    return BuildResult(files, warnings, reports, time.perf_counter() - started)

