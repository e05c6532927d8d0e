"""Render every route through its Jinja template, in memory; nothing is written here."""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path

import jinja2
import rcssmin
import rjsmin
from markupsafe import Markup

from site_gen.build.assemble import Site
from site_gen.build.cache import SHARDS, Cache, key_of, sharded
from site_gen.build.filters import (
    asset,
    count_words,
    format_date,
    format_time,
    split_intro,
    strip_indentation,
    url,
)
from site_gen.build.routes import Route
from site_gen.build.workers import in_workers, workers_for
from site_gen.content.model import Exercise, Page, Topic
from site_gen.content.problems import Problem, Problems
from site_gen.content.sourcefile import display_path
from site_gen.features.checks import PageFacts, page_facts, reads_body
from site_gen.features.jsonld import structured_data
from site_gen.features.qrcodes import QrCode, qr_code, short_url
from site_gen.features.readability import reading_grade

# rcssmin and rjsmin: well-kept minifiers that understand strings, comments and regex literals.
_MINIFY = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}
ASSETS = "assets"  # folder inside templates/ whose files are published under assets/


def load_templates(templates_dir: Path, required: set[str], problems: Problems,
                   bytecode_dir: Path | None = None) -> jinja2.Environment | None:
    """A strict, autoescaping environment with every template compiled; None after errors.

    Compiled templates are kept in `bytecode_dir` (Jinja checks each against its source).
    """
    if not templates_dir.is_dir():
        problems.error(display_path(templates_dir), None, None, "the templates folder does not exist")
        return None
    if bytecode_dir:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir.resolve()),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # each build makes its own environment: no template changes under it
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}  # compact: bytes count
    env.filters.update(date=format_date, time=format_time, split_intro=split_intro, short_url=short_url,
                       count_words=count_words)
    env.globals.update(url=url, asset=asset)  # render_site adds body and qr, which track what a page uses
    names = env.list_templates(filter_func=lambda name: not name.startswith(ASSETS + "/"))
    for name in sorted(set(required) - set(names)):
        problems.error(display_path(templates_dir / name), None, None, "missing template; the site needs it to make its pages")
    for name in names:
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            problems.error(display_path(templates_dir / name), exc.lineno, "template", exc.message or "syntax error")
    return None if problems.errors else env


def read_assets(templates_dir: Path) -> dict[str, bytes]:
    """Static files, CSS and JavaScript named by a hash of their bytes so browsers can cache them forever."""
    assets = {}
    folder = templates_dir / ASSETS
    for path in sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else ():
        data = path.read_bytes()
        rel = path.relative_to(folder).as_posix()
        stem, ext = posixpath.splitext(rel)
        if ext in (".css", ".js"):
            data = _MINIFY[ext](data.decode("utf-8")).encode("utf-8")
            rel = f"{stem}.{hashlib.sha256(data).hexdigest()[:10]}{ext}"
        assets[rel] = data
    return assets


def asset_urls(assets: dict[str, bytes]) -> dict[str, str]:
    """Name as templates ask for it (`site.css`) → published address (`assets/site.1a2b3c4d5e.css`)."""
    urls = {}
    for rel in assets:
        stem, ext = posixpath.splitext(rel)
        name = posixpath.splitext(stem)[0] + ext if ext in (".css", ".js") else rel
        urls[name] = f"{ASSETS}/{rel}"
    return urls


PARALLEL_MIN_ROUTES = 300  # pages to render below which starting worker processes costs more than it saves
_LEARNED = ("qr", "grades")  # cache kinds the workers use, sent back so the cache keeps them
_COUNTED = ("syllables", "words")  # cache kind and key of the table of words' syllables


@dataclass(frozen=True)
class RenderedPage:
    """One rendered output file, as cached between builds."""

    data: bytes
    facts: PageFacts | None  # what the checks need, for HTML pages
    reads: tuple[tuple[str, str], ...]  # (content file, hash of its body) for each body the page used
    uses: tuple[tuple[str, str], ...] = ()  # (kind, key) of the cached QR codes and grades it used


def render_site(site: Site, env: jinja2.Environment, assets: dict[str, bytes], templates_dir: Path,
                content_dir: Path, problems: Problems, cache: Cache | None = None
                ) -> tuple[dict[str, bytes], dict[str, PageFacts]]:
    """Every output file's bytes by path, and each page's facts for the checks; template errors are
    recorded with template file and line.

    A page is rendered again only when something it depends on changed: its cache entry is keyed by
    a hash of this code, every template and asset, and the whole content except page bodies, and
    records the bodies the page used while rendering. No dependency graph is kept by hand, so none
    can go stale. Many pages are rendered by one worker process per core.
    """
    cache = cache or Cache(None)
    files = {f"{ASSETS}/{rel}": data for rel, data in assets.items()}
    files.update({image: (content_dir / image).read_bytes() for image in site.content.images})
    job = _Job(site, env, assets, templates_dir, cache)
    world = key_of(_code_key(), _folder_key(templates_dir), site.content_key)
    keys = [key_of(world, route.output_path) for route in site.routes]
    pages: dict[int, RenderedPage] = {}
    for index, key in enumerate(keys):
        page = cache.get(sharded("pages", key), key)
        if isinstance(page, RenderedPage) and all(job.body_key(rel) == body for rel, body in page.reads):
            pages[index] = page
            for kind, used in page.uses:  # still needed: kept for when this page is next rendered
                cache.keep(kind, used)
    cache.keep(*_COUNTED)  # the words' syllables are kept whole, whether or not this build grades a page
    for shard in SHARDS:  # pages made from older inputs: their memory is needed now
        cache.forget_unused(sharded("pages", shard))
    todo = [index for index in range(len(site.routes)) if index not in pages]
    workers = workers_for(len(todo), PARALLEL_MIN_ROUTES)
    rendered, errors = job.render_in_workers(todo, workers) if workers else job.render(todo)
    problems.errors.extend(errors)
    for index, page in rendered.items():
        cache.put(sharded("pages", keys[index]), keys[index], page)
    pages.update(rendered)
    facts = {}
    for index, route in enumerate(site.routes):
        if index in pages:
            files[route.output_path] = pages[index].data
            if pages[index].facts is not None:
                facts[route.output_path] = pages[index].facts
    return files, facts


class _Job:
    """Rendering one build's pages, in this process or in forked workers."""

    forked: "_Job | None" = None  # the job a forked worker inherited (fork copies memory: nothing is pickled)

    def __init__(self, site: Site, env: jinja2.Environment, assets: dict[str, bytes], templates_dir: Path,
                 cache: Cache) -> None:
        self.site, self.env, self.templates_dir, self.cache = site, env, templates_dir, cache
        self.shared = {"site": site, "config": site.config, "assets": asset_urls(assets),
                       "base_path": site.config.base_path()}
        self._items = {item.source.rel: item for item in site.content.pages_with_bodies()}
        self._body_keys: dict[str, str] = {}
        self._reads: dict[str, str] = {}
        self._uses: set[tuple[str, str]] = set()
        env.globals.update(qr=self.qr, body=self.body)

    def body(self, item: Page | Topic | Exercise) -> Markup:
        """A page body as HTML, for templates; noted as something the page being rendered depends on."""
        rel = item.source.rel
        self._reads[rel] = self.body_key(rel)
        return self.site.bodies[rel]

    def body_key(self, rel: str) -> str | None:
        """A hash of a body's Markdown and HTML (the checks read the one, pages show the other);
        worked out when first asked for, where the page is rendered; None for no such body."""
        if rel not in self._body_keys and rel in self.site.bodies:
            self._body_keys[rel] = key_of(self._items[rel].body, str(self.site.bodies[rel]))
        return self._body_keys.get(rel)

    def render(self, indices: list[int]) -> tuple[dict[int, RenderedPage], list[Problem]]:
        site, pages, errors = self.site, {}, []
        for index in indices:
            route = site.routes[index]
            self._reads, self._uses = {}, set()
            context = {**self.shared, "route": route, "item": route.item,
                       "canonical": site.config.base_url + route.url,
                       "structured_data": structured_data(site, route),
                       "review": site.get_review(route.item) if route.in_sitemap else None}
            try:
                text = self.env.get_template(route.template).render(context)
            except Exception as exc:  # a template bug: report where, keep going to find the rest
                where = _template_location(exc, route, self.templates_dir)
                errors.append(Problem(*where, f"{type(exc).__name__}: {exc}"))
                continue
            facts = None
            if route.is_html:
                text = strip_indentation(text)
                facts = page_facts(site, route, text, self._grade)
                if reads_body(route):
                    self.body(route.item)
            pages[index] = RenderedPage(text.encode("utf-8"), facts, tuple(sorted(self._reads.items())),
                                        tuple(sorted(self._uses)))
        return pages, errors

    def qr(self, url: str) -> QrCode:
        """The QR code of an address, for templates; cached."""
        self._uses.add(("qr", url))
        return self.cache.memo("qr", url, lambda: qr_code(url))

    def _grade(self, text: str) -> float:
        key = key_of(text)
        self._uses.add(("grades", key))
        return self.cache.memo("grades", key, lambda: self._new_grade(text))

    def _new_grade(self, text: str) -> float:
        words = self._counted_words()
        known = len(words)
        grade = reading_grade(text, words)
        if len(words) > known:
            self.cache.put(*_COUNTED, words)  # the same table, now with more words: saved again
        return grade

    def _counted_words(self) -> dict[str, int]:
        """Syllables of every word graded so far (one table: a pure result per word, and few words)."""
        return self.cache.memo(*_COUNTED, dict)

    def render_in_workers(self, indices: list[int], workers: int) -> tuple[dict[int, RenderedPage], list[Problem]]:
        _Job.forked = self
        try:
            with in_workers(_render_forked, indices, workers) as pieces:
                results = pieces()
        finally:
            _Job.forked = None
        pages, errors, counted = {}, [], {}
        for chunk_pages, chunk_errors, used, chunk_counted in results:
            pages.update(chunk_pages)
            errors.extend(chunk_errors)
            for kind, entries in used.items():
                self.cache.add(kind, entries)
            counted.update(chunk_counted)
        if counted:  # the workers graded pages: keep the words they counted
            words = self._counted_words()
            if counted.keys() - words.keys():
                words.update(counted)
                self.cache.put(*_COUNTED, words)
        return pages, errors


def _render_forked(indices: list[int]) -> tuple[dict[int, RenderedPage], list[Problem], dict[str, dict],
                                                dict[str, int]]:
    """In a worker: render some pages; return them, the cache entries used (found or computed) and
    the syllables of the words counted."""
    job = _Job.forked
    # This worker's copy of the cache: count only what this chunk uses, keeping the entries the
    # worker's later chunks need (forgetting them made each chunk make its QR codes and grades again).
    job.cache.start_counting()
    pages, errors = job.render(indices)
    counted = job.cache.used_entries(_COUNTED[0]).get(_COUNTED[1], {})  # empty unless it graded a page
    return pages, errors, {kind: job.cache.used_entries(kind) for kind in _LEARNED}, counted


def _code_key() -> str:
    """A hash of this package's code: pages rendered by other code are not reused."""
    return key_of(*(path.read_bytes() for path in sorted(Path(__file__).parent.rglob("*.py"))))


def _folder_key(folder: Path) -> str:
    """A hash of every file in a folder (the templates and their assets), names and bytes."""
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    return key_of(*((path.relative_to(folder).as_posix(), path.read_bytes()) for path in files))


def _template_location(exc: Exception, route: Route, templates_dir: Path) -> tuple[str, int | None, str]:
    """The template file and line an error happened at (Jinja maps frames back to templates)."""
    where = (display_path(templates_dir / route.template), None)
    root = str(templates_dir.resolve())
    traceback = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.startswith(root):
            where = (display_path(Path(filename)), traceback.tb_lineno)
        traceback = traceback.tb_next
    return where[0], where[1], f"rendering {route.output_path}"


