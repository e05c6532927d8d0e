"""The build, start to finish, one step after another:

    load → convert (bodies, pictures) → assemble → render → check → write

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
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Mapping, TypeVar

from site_gen.build.assemble import Site, assemble_sites, content_key, fit_sheets
from site_gen.build.cache import SHARDS, Cache, sharded
from site_gen.build.language import site_languages
from site_gen.build.markup import (
    EXTENSIONS,
    RenderedMarkdown,
    fast_path_problem,
    render_markdown,
)
from site_gen.build.pictures import PictureError, ProcessedPicture, process_picture
from site_gen.build.render import PARALLEL_MIN_ROUTES, PageRenderer, RenderedPage
from site_gen.build.theme import (
    ASSETS,
    Theme,
    check_templates,
    in_language,
    load_templates,
    make_environment,
    read_assets,
    read_print_measures,
)
from site_gen.build.workers import in_workers, workers_for
from site_gen.build.writer import check_output_dir, write_output
from site_gen.content.loader import load_content
from site_gen.content.model import Content
from site_gen.content.problems import BuildFailed, Problem, Problems, did_you_mean
from site_gen.content.sourcefile import ContentFiles, body_of, display_path
from site_gen.features.checks import PageReport, check_site, page_facts
from site_gen.features.locator import postcode_table
from site_gen.features.readability import load_dictionaries, reading_grade
from site_gen.keys import key_of

K = TypeVar("K")
V = TypeVar("V")

PARALLEL_MIN_PICTURES = 4  # pictures to encode from which a second process is worth starting
PARALLEL_MIN_BODIES = 100  # Markdown bodies to convert below which worker processes cost more than they save
# Told the step under way and, for one of many pieces of work, how many are done of how many
# (the command line shows it on a terminal when a build runs long).
Progress = Callable[[str, int, int], None]


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
    offline: bool = False  # a copy to open from disk (a USB stick): links name index.html, not the folder

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


def build(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Build the site and replace the output folder with it."""
    started = time.perf_counter()
    check_output(options)
    cache = Cache(options.cache_dir)
    try:
        files, warnings, reports = render_files(options, cache, progress)
        # The site before the cache: the disk's writing back of the cache's data would slow the
        # making of the site's many files.
        if progress is not None:
            progress("Writing the site", 0, 0)
        write_output(files, options.output)
    finally:
        cache.save()  # pure results stay good even when this build failed
    return BuildResult(files, warnings, reports, time.perf_counter() - started)


def check(options: BuildOptions, progress: Progress | None = None) -> BuildResult:
    """Render and check the site without writing it."""
    started = time.perf_counter()
    cache = Cache(options.cache_dir)
    try:
        files, warnings, reports = render_files(options, cache, progress)
    finally:
        cache.save()
    return BuildResult(files, warnings, reports, time.perf_counter() - started)


def render_files(options: BuildOptions, cache: Cache | None = None, progress: Progress | None = None
                 ) -> tuple[dict[str, bytes], list[Problem], list[PageReport]]:
    """Every output file in memory, the warnings and each page's checks; raises BuildFailed listing
    all errors. A cache is the caller's to save (the dev server keeps one in memory between builds);
    without one nothing is kept. `progress`, if given, is told each step and how far rendering is."""
    cache = cache or Cache(None)
    cache.start_build()
    problems = Problems()
    if progress is not None:
        progress("Reading the content", 0, 0)
    with _collector_paused():
        theme = Theme.of_project(options.templates)
        files = ContentFiles(options.content, problems) if options.content.is_dir() else None
        with converting(files, cache) as conversion:  # the bodies, by worker processes, while this process:
            # Compiled templates hold how each filter is called: kept apart for each version of the tool's code.
            jinja_cache = options.cache_dir / "jinja" / cache.stamp[:16] if options.cache_dir else None
            templates = load_templates(theme, problems, jinja_cache)
            measures = read_print_measures(theme, problems)
            content = load_content(options.content, problems, options.base_url, files=files, today=options.today,
                                   memo=lambda key, read: cache.memo(sharded("content", key), key, read))
            # Later steps go on with what loaded cleanly, so that one bad file hides no other's problems.
            if content is None or measures is None:
                raise BuildFailed(problems.errors, problems.warnings)
            if conversion.in_workers:  # a first build: as many pages to grade, by workers sharing these
                load_dictionaries()
            bodies = conversion.finish([content, *content.translations.values()])
        pictures, pictures_key = convert_pictures(options.content, content, cache, problems)
        languages = site_languages(content.site, theme, problems)
        contents = {language.code: content.translations.get(language.code, content) if index else content
                    for index, language in enumerate(languages)}
        # A page shows its pictures' file names: a replaced photo makes its pages again.
        key = key_of(content_key(content), pictures_key)
        # The sheets change only with the content outside bodies, the postal codes only with where
        # the clinics are: a text edit estimates and searches nothing again.
        # Each language's sheets say their dosage in its words (the theme's catalog, in its key).
        sheets = {code: cache.memo("print-fits", key_of(key, code, theme.key(), repr(measures)),
                                   lambda each=each, language=language: fit_sheets(each, measures, language.words))
                  for (code, each), language in zip(contents.items(), languages)}
        clinics = content.of("clinics")
        places = key_of(*((clinic.country, clinic.latitude, clinic.longitude) for clinic in clinics))
        postcodes = cache.memo("postcodes", places, lambda: postcode_table(clinics))
        sites = assemble_sites(contents, languages, key, bodies, sheets, measures, postcodes, problems,
                               options.offline, pictures)
        needed = {route.template for site in sites for route in site.routes}
        if not check_templates(theme, needed, problems) or templates is None:
            raise BuildFailed(problems.errors, problems.warnings)  # no page can be made without its templates
        files: dict[str, bytes] = {}
        facts: dict[str, object] = {}
        for site in sites:  # each language's pages through the theme in its words
            env = in_language(templates if site.language.is_main else make_environment(theme, jinja_cache),
                              site.language)
            # The cache forgets the pages no language of this build made only after the last language.
            made, read = render_pages(site, env, theme, options.content, cache, problems, progress,
                                      forget=site is sites[-1])
            files.update(made)
            facts.update(read)
        files.update(dict(path_data for picture in pictures.values() for path_data in picture.files))
        if progress is not None:
            progress("Checking pages", 0, 0)
        reports = [report for site in sites for report in check_site(site, files, facts, problems, options.today)]
        problems.warnings[:] = list(dict.fromkeys(problems.warnings))  # a site-wide finding once, not once a language
    if problems.errors or (options.strict and problems.warnings):
        raise BuildFailed(problems.errors + (problems.warnings if options.strict else []), problems.warnings)
    return files, problems.warnings, reports


def convert_pictures(content_dir: Path, content: Content, cache: Cache, problems: Problems
                     ) -> tuple[dict[str, ProcessedPicture], str]:
    """The convert step's pictures: each picture of the content folder resized, re-encoded and
    stripped of its metadata (build/pictures.py), by content file, with a hash of them all; an
    error for each that cannot be shown and each lead picture that names no picture. A picture is
    kept in the cache under its name and bytes (and the tool's code): only new or replaced ones are made."""
    keys, failed = {}, {}
    for rel in content.pictures:
        try:
            keys[rel] = key_of(rel.rpartition("/")[2], (content_dir / rel).read_bytes())
        except OSError as error:
            failed[rel] = f"cannot read it ({error.strerror})"
    made = cached_map(cache, "pictures", keys, lambda rels: _process_pictures(content_dir, rels))
    failed.update({rel: result for rel, result in made.items() if isinstance(result, str)})
    pictures = {rel: result for rel, result in made.items() if not isinstance(result, str)}
    blamed = set()
    for exercise in content.of("exercises"):
        for lead in exercise.pictures:
            if lead.file in failed:
                blamed.add(lead.file)
                problems.error(exercise.source.display, lead.line, lead.field,
                               f'"{lead.written}" cannot be shown: {failed[lead.file]}')
            elif lead.file not in pictures:
                exists = (content_dir / lead.file).is_file()
                folder = lead.file.rpartition("/")[0]
                near = [rel.rpartition("/")[2] for rel in pictures if rel.rpartition("/")[0] == folder]
                problems.error(exercise.source.display, lead.line, lead.field,
                               f'"{lead.written}" is not a picture; save it as JPEG, PNG, WebP or SVG' if exists else
                               f'no picture "{lead.written}" next to the exercise{did_you_mean(lead.written, near)}; '
                               "put the file beside the exercise's .md file, or correct its name")
    for rel in sorted(set(failed) - blamed):
        problems.error(f"{display_path(content_dir)}/{rel}", None, None, f"this picture cannot be shown: {failed[rel]}")
    return pictures, key_of(*sorted(keys.items()))


def _process_pictures(content_dir: Path, rels: list[str]) -> dict[str, ProcessedPicture | str]:
    """Each picture processed, or the message saying why it cannot be (kept too: it is as pure)."""
    def one(rel: str) -> ProcessedPicture | str:
        try:
            return process_picture(rel, (content_dir / rel).read_bytes())
        except PictureError as error:
            return str(error)
        except OSError as error:
            return f"cannot read it ({error.strerror})"

    workers = workers_for(len(rels), PARALLEL_MIN_PICTURES)
    if not workers:
        return {rel: one(rel) for rel in rels}
    with in_workers(lambda chunk: [one(rel) for rel in chunk], rels, workers, here_too=True) as started:
        return dict(zip(rels, itertools.chain.from_iterable(started())))


@dataclass(frozen=True)
class Conversion:
    """The convert step under way (see `converting`)."""

    in_workers: bool  # worker processes are converting bodies: a first build, or one after many edits
    finish: Callable[[list[Content]], dict[str, RenderedMarkdown]]  # each page's body as HTML, by content file


@contextlib.contextmanager
def converting(files: ContentFiles | None, cache: Cache) -> Iterator[Conversion]:
    """The convert step, started as soon as the files are read: Markdown → HTML for each body the
    cache lacks, by worker processes while this process loads the content and compiles the theme
    (the pipeline's one overlap of steps: on two cores a whole core would otherwise wait). Once the
    content is loaded, `finish` has this process take part in what is left, and returns each
    page's body as HTML, by content file."""
    # Each Markdown file's HTML is kept under a hash of its whole text (an edit of its front matter
    # converts its body again, as cheap as keeping apart what it is made of), its place and the extensions.
    keys: dict[str, str] = {}  # by content file
    found: dict[str, RenderedMarkdown] = {}  # by key
    missing: list[tuple[str, tuple[str, str, int]]] = []  # the bodies the cache lacks, with their keys
    for rel, text in files.markdown_texts() if files else ():
        keys[rel] = key = key_of(text, rel, EXTENSIONS)
        kept = cache.get(sharded("markdown", key), key)
        if kept is not None:
            found[key] = kept
        elif (split := body_of(text)) is not None:  # else the loader says what is wrong with the file
            missing.append((key, (split[0], rel, split[1])))
    for shard in SHARDS:  # bodies of older text: their memory is needed for the new ones
        cache.forget_unused(sharded("markdown", shard))
    convert = _converter(cache) if missing else render_markdown
    workers = workers_for(len(missing), PARALLEL_MIN_BODIES)
    with in_workers(convert, [body for _, body in missing], workers, here_too=True) if workers \
            else contextlib.nullcontext() as started:

        def bodies_of(contents: list[Content]) -> dict[str, RenderedMarkdown]:
            made = itertools.chain.from_iterable(started()) if started else convert([body for _, body in missing])
            for (key, _), rendered in zip(missing, made):
                cache.put(sharded("markdown", key), key, rendered)
                found[key] = rendered
            by_file = {}
            for page in (page for content in contents for page in content.pages_with_bodies()):
                rel = page.source.rel
                key = keys.get(rel)
                # The loader read the same text; a page of no file the read step saw is converted now.
                by_file[rel] = found[key] if key in found else convert([(page.body, rel, page.body_line)])[0]
            return by_file

        yield Conversion(bool(workers), bodies_of)


def _converter(cache: Cache) -> Callable[[list[tuple[str, str, int]]], list[RenderedMarkdown]]:
    """render_markdown, with markup's shortcut when it suits the installed Python-Markdown: a pure
    check, kept in the cache (whose stamp holds Python-Markdown's version), made before any worker starts."""
    problem = cache.memo("markdown-check", "fast path", fast_path_problem)
    if problem is not None:
        print(f"warning: {problem}; each body is converted with every pattern (slower)", file=sys.stderr)
    return functools.partial(render_markdown, fast=problem is None)


def render_pages(site: Site, templates, theme: Theme, content_dir: Path, cache: Cache, problems: Problems,
                 progress: Progress | None = None, forget: bool = True) -> tuple[dict[str, bytes], dict[str, object]]:
    """The render step: every output file's bytes by path, and what the checks read of each page.

    A page is rendered again only when something it depends on changed: it is kept under a hash of
    the theme, the whole content except page bodies, its address and how links are written
    (`offline`), with the bodies it used, which must be unchanged (and, through the cache's stamp,
    the tool's code). No dependency graph is kept by hand, so none can go stale."""
    assets = read_assets(theme)
    # The syllables of every word graded before: a page graded again looks up only its new words.
    counted = cache.memo("syllables", "words", dict)
    known = len(counted)
    grade = functools.lru_cache(maxsize=None)(functools.partial(reading_grade, counted=counted))
    renderer = PageRenderer(site, templates, assets, theme,
                            inspect=lambda route, html: page_facts(site, route, html, grade))
    world = key_of(theme.key(), site.content_key, site.offline)
    keys = {index: key_of(world, route.output_path) for index, route in enumerate(site.routes)}

    def render(indices: list[int]) -> dict[int, RenderedPage]:
        if len(indices) >= PARALLEL_MIN_ROUTES:
            load_dictionaries()  # before worker processes start, to share: each grades pages
        pages, errors = renderer.render_all(indices, progress and (
            lambda done, total: progress("Rendering pages", done, total)))
        problems.errors.extend(errors)
        return pages

    def unchanged(page: RenderedPage) -> bool:
        return all(renderer.body_key(rel) == body for rel, body in page.reads)

    pages = cached_map(cache, "pages", keys, render, still_good=unchanged, forget=forget)
    if len(counted) > known:  # words counted in this process (not in workers, whose work ends with them)
        cache.put("syllables", "words", counted)
    files = {f"{ASSETS}/{rel}": data for rel, data in assets.items()}
    files.update({image: (content_dir / image).read_bytes() for image in site.content.images})
    files.update({site.routes[index].output_path: page.data for index, page in sorted(pages.items())})
    facts = {site.routes[index].output_path: page.facts for index, page in pages.items() if page.facts is not None}
    return files, facts


def cached_map(cache: Cache, kind: str, keys: Mapping[K, str], make: Callable[[list[K]], dict[K, V]],
               still_good: Callable[[V], bool] = lambda value: True, forget: bool = True) -> dict[K, V]:
    """`make`'s result for each item of `keys`, kept in the cache under the item's key: items whose
    result is kept (and `still_good`) are not made again. `forget`: the cache then lets go of the
    results of this kind no call of this build asked for (not yet, before another call: a language's pages)."""
    found = {}
    for item, key in keys.items():
        value = cache.get(sharded(kind, key), key)
        if value is not None and still_good(value):
            found[item] = value
    for shard in SHARDS if forget else ():  # results from older inputs: their memory is needed for the new ones
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
        if enabled:
            gc.enable()


def check_output(options: BuildOptions) -> None:
    """Raise BuildFailed when the output folder would replace the content, the templates or the project."""
    refused = check_output_dir(options.output, {"content": options.content, "templates": options.templates,
                                                "project": options.content.resolve().parent})
    if refused:
        raise BuildFailed(refused)
