"""The build, start to finish, one step after another:

    load → convert → assemble → render → check → write

Each step is a function taking values and returning values; work inside a step may be shared
among worker processes. The pure steps are wrapped in the cache here (a content file read, a
body converted, the sheets' print spacing, a page rendered), keyed on their inputs and, through
the cache's stamp, on the tool's own code. Nothing touches the output folder until every page
has rendered and been checked.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, TypeVar

from site_gen.build.assemble import Site, assemble_site, content_key, fit_sheets
from site_gen.build.cache import SHARDS, Cache, sharded
from site_gen.build.markup import EXTENSIONS, RenderedMarkdown, render_markdown
from site_gen.build.render import PageRenderer, RenderedPage
from site_gen.build.theme import (
    ASSETS,
    Theme,
    check_templates,
    load_templates,
    read_assets,
    read_print_measures,
)
from site_gen.build.workers import in_workers, workers_for
from site_gen.build.writer import check_output_dir, write_output
from site_gen.content.loader import load_content
from site_gen.content.model import Content
from site_gen.content.problems import BuildFailed, Problem, Problems
from site_gen.features.checks import PageReport, check_site, page_facts
from site_gen.features.locator import postcode_table
from site_gen.features.readability import load_dictionaries, reading_grade
from site_gen.keys import key_of

K = TypeVar("K")
V = TypeVar("V")

PARALLEL_MIN_BODIES = 100  # Markdown bodies to convert below which worker processes cost more than they save


@dataclass(frozen=True)
class BuildOptions:
    """Where things are and how strict to be; from the command line."""

    content: Path = Path("content")
    templates: Path = Path("templates")  # the project's own templates, over the default theme
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


def build(options: BuildOptions) -> BuildResult:
    """Build the site and replace the output folder with it."""
    started = time.perf_counter()
    check_output(options)
    cache = Cache(options.cache_dir)
    try:
        files, warnings, reports = render_files(options, cache)
    finally:
        cache.save()  # pure results stay good even when this build failed
    write_output(files, options.output)
    return BuildResult(files, warnings, reports, time.perf_counter() - started)


def check(options: BuildOptions) -> BuildResult:
    """Render and check the site without writing it."""
    started = time.perf_counter()
    cache = Cache(options.cache_dir)
    try:
        files, warnings, reports = render_files(options, cache)
    finally:
        cache.save()
    return BuildResult(files, warnings, reports, time.perf_counter() - started)


def render_files(options: BuildOptions, cache: Cache | None = None
                 ) -> tuple[dict[str, bytes], list[Problem], list[PageReport]]:
    """Every output file in memory, the warnings and each page's checks; raises BuildFailed listing
    all errors. A cache is the caller's to save (the dev server keeps one in memory between builds);
    without one nothing is kept."""
    cache = cache or Cache(None)
    cache.start_build()
    problems = Problems()
    with _collector_paused():
        theme = Theme.of_project(options.templates)
        templates = load_templates(theme, problems, options.cache_dir / "jinja" if options.cache_dir else None)
        measures = read_print_measures(theme, problems)
        content = load_content(options.content, problems, options.base_url,
                               memo=lambda key, read: cache.memo(sharded("content", key), key, read))
        if content is None or templates is None or measures is None:
            raise BuildFailed(problems.errors, problems.warnings)
        bodies = convert_bodies(content, cache)
        key = content_key(content)
        # The sheets change only with the content outside bodies, the postal codes only with where
        # the clinics are: a text edit estimates and searches nothing again.
        sheets = cache.memo("print-fits", key_of(key, repr(measures)), lambda: fit_sheets(content, measures))
        clinics = content.of("clinics")
        places = key_of(*((clinic.country, clinic.latitude, clinic.longitude) for clinic in clinics))
        postcodes = cache.memo("postcodes", places, lambda: postcode_table(clinics))
        site = assemble_site(content, key, bodies, sheets, measures, postcodes, problems)
        check_templates(theme, {route.template for route in site.routes}, problems)
        if problems.errors:
            raise BuildFailed(problems.errors, problems.warnings)
        files, facts = render_pages(site, templates, theme, options.content, cache, problems)
        reports = check_site(site, files, facts, problems, options.today) if not problems.errors else []
    if problems.errors or (options.strict and problems.warnings):
        raise BuildFailed(problems.errors + (problems.warnings if options.strict else []), problems.warnings)
    return files, problems.warnings, reports


def convert_bodies(content: Content, cache: Cache) -> dict[str, RenderedMarkdown]:
    """The convert step: Markdown → HTML for every page with a body, by content file; by one worker
    process per core when many bodies are not in the cache."""
    pages = {page.source.rel: page for page in content.pages_with_bodies()}
    keys = {rel: key_of(page.body, rel, page.body_line, EXTENSIONS) for rel, page in pages.items()}

    def convert(rels: list[str]) -> dict[str, RenderedMarkdown]:
        bodies = [(pages[rel].body, rel, pages[rel].body_line) for rel in rels]
        workers = workers_for(len(bodies), PARALLEL_MIN_BODIES)
        if not workers:
            return dict(zip(rels, render_markdown(bodies)))
        with in_workers(render_markdown, bodies, workers) as results:
            return dict(zip(rels, itertools.chain.from_iterable(results())))

    return cached_map(cache, "markdown", keys, convert)


def render_pages(site: Site, templates, theme: Theme, content_dir: Path, cache: Cache, problems: Problems
                 ) -> tuple[dict[str, bytes], dict[str, object]]:
    """The render step: every output file's bytes by path, and what the checks read of each page.

    A page is rendered again only when something it depends on changed: it is kept under a hash of
    the theme, the whole content except page bodies and its address, with the bodies it used, which
    must be unchanged (and, through the cache's stamp, the tool's code). No dependency graph is kept
    by hand, so none can go stale."""
    assets = read_assets(theme)
    load_dictionaries()  # once, before the workers start: each grades pages
    grade = functools.lru_cache(maxsize=None)(reading_grade)
    renderer = PageRenderer(site, templates, assets, theme,
                            inspect=lambda route, html: page_facts(site, route, html, grade))
    world = key_of(theme.key(), site.content_key)
    keys = {index: key_of(world, route.output_path) for index, route in enumerate(site.routes)}

    def render(indices: list[int]) -> dict[int, RenderedPage]:
        pages, errors = renderer.render_all(indices)
        problems.errors.extend(errors)
        return pages

    def unchanged(page: RenderedPage) -> bool:
        return all(renderer.body_key(rel) == body for rel, body in page.reads)

    pages = cached_map(cache, "pages", keys, render, still_good=unchanged)
    files = {f"{ASSETS}/{rel}": data for rel, data in assets.items()}
    files.update({image: (content_dir / image).read_bytes() for image in site.content.images})
    files.update({site.routes[index].output_path: page.data for index, page in sorted(pages.items())})
    facts = {site.routes[index].output_path: page.facts for index, page in pages.items() if page.facts is not None}
    return files, facts


def cached_map(cache: Cache, kind: str, keys: Mapping[K, str], make: Callable[[list[K]], dict[K, V]],
               still_good: Callable[[V], bool] = lambda value: True) -> dict[K, V]:
    """`make`'s result for each item of `keys`, kept in the cache under the item's key: items whose
    result is kept (and `still_good`) are not made again."""
    found = {}
    for item, key in keys.items():
        value = cache.get(sharded(kind, key), key)
        if value is not None and still_good(value):
            found[item] = value
    for shard in SHARDS:  # results from older inputs: their memory is needed for the new ones
        cache.forget_unused(sharded(kind, shard))
    made = make([item for item in keys if item not in found])
    for item, value in made.items():
        cache.put(sharded(kind, keys[item]), keys[item], value)
    return {**found, **made}


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while a build runs, and the objects frozen for workers let go after.

    A build makes millions of objects and keeps most of them until it ends, so the collector's
    passes over them find almost nothing and cost a seventh of a cold build.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if enabled:
            gc.enable()


def check_output(options: BuildOptions) -> None:
    """Raise BuildFailed when the output folder would replace the content, the templates or the project."""
    refused = check_output_dir(options.output, {"content": options.content, "templates": options.templates,
                                                "project": options.content.resolve().parent})
    if refused:
        raise BuildFailed(refused)
