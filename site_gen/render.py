"""Render every route through its Jinja template, in memory; nothing is written here."""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import posixpath
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import rcssmin
import rjsmin
from jinja2 import pass_context
from markupsafe import Markup

from .assemble import Site
from .cache import Cache, key_of
from .checks import prose_to_grade, reading_grade
from .jsonld import structured_data
from .problems import Problem, Problems
from .qrcodes import qr_svg, short_url
from .routes import NOT_FOUND, Route, relative_url
from .sourcefile import display_path

# rcssmin and rjsmin: well-kept minifiers that understand strings, comments and regex literals.
_MINIFY = {".css": rcssmin.cssmin, ".js": rjsmin.jsmin}
ASSETS = "assets"  # folder inside templates/ whose files are published under assets/
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def load_templates(templates_dir: Path, required: set[str], problems: Problems) -> jinja2.Environment | None:
    """A strict, autoescaping environment with every template compiled; None after errors."""
    if not templates_dir.is_dir():
        problems.error(display_path(templates_dir), None, None, "the templates folder does not exist")
        return None
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir.resolve()),
        autoescape=jinja2.select_autoescape(disabled_extensions=("txt",), default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}  # compact: bytes count
    env.filters.update(date=format_date, time=format_time, split_intro=split_intro, short_url=short_url)
    env.globals.update(url=_url, asset=_asset, qr=qr_svg)  # render_site swaps in a cached qr
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


PARALLEL_MIN_ROUTES = 300  # below this, starting worker processes costs more than it saves
_LEARNED = ("qr", "grades")  # cache kinds the workers fill in, sent back to be kept


def render_site(site: Site, env: jinja2.Environment, assets: dict[str, bytes], templates_dir: Path,
                content_dir: Path, problems: Problems, cache: Cache | None = None) -> dict[str, bytes]:
    """Every output file's bytes by path; template errors are recorded with template file and line.

    Large sites are rendered by one worker process per core, forked so that they share the site
    already in memory; rendering is a pure function of the site, so the split changes nothing.
    """
    cache = cache or Cache(None)
    env.globals["qr"] = lambda url: cache.memo("qr", url, lambda: qr_svg(url))
    files = {f"{ASSETS}/{rel}": data for rel, data in assets.items()}
    files.update({image: (content_dir / image).read_bytes() for image in site.content.images})
    job = _Job(site, env, assets, templates_dir, cache)
    workers = min(os.cpu_count() or 1, 8)
    if len(site.routes) < PARALLEL_MIN_ROUTES or workers < 2 or "fork" not in mp.get_all_start_methods():
        rendered, errors = job.render(0, len(site.routes))
    else:
        rendered, errors = job.render_in_workers(workers)
    files.update(rendered)
    problems.errors.extend(errors)
    return files


class _Job:
    """Rendering one build's routes, in this process or in forked workers."""

    forked: "_Job | None" = None  # the job a forked worker inherited (fork copies memory: nothing is pickled)

    def __init__(self, site: Site, env: jinja2.Environment, assets: dict[str, bytes], templates_dir: Path,
                 cache: Cache) -> None:
        self.site, self.env, self.templates_dir, self.cache = site, env, templates_dir, cache
        self.shared = {"site": site, "config": site.config, "assets": asset_urls(assets),
                       "base_path": urlsplit(site.config.base_url).path or "/"}

    def render(self, start: int, stop: int) -> tuple[dict[str, bytes], list[Problem]]:
        site, files, errors = self.site, {}, []
        for route in site.routes[start:stop]:
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
            if route.is_html:
                text = strip_indentation(text)
            files[route.output_path] = text.encode("utf-8")
            graded_text = prose_to_grade(site, route)
            if graded_text:  # scored here, in parallel, for the checks that follow
                self.cache.memo("grades", key_of(graded_text), lambda: reading_grade(graded_text))
        return files, errors

    def render_in_workers(self, workers: int) -> tuple[dict[str, bytes], list[Problem]]:
        count = len(self.site.routes)
        step = max(1, -(-count // (workers * 4)))  # a few chunks per worker, so none waits long
        chunks = [(start, min(start + step, count)) for start in range(0, count, step)]
        _Job.forked = self
        try:
            with mp.get_context("fork").Pool(workers) as pool:
                results = pool.starmap(_render_forked, chunks)
        finally:
            _Job.forked = None
        files, errors = {}, []
        for chunk_files, chunk_errors, learned in results:
            files.update(chunk_files)
            errors.extend(chunk_errors)
            for kind, entries in learned.items():
                self.cache.add(kind, entries)
        return files, errors


def _render_forked(start: int, stop: int) -> tuple[dict[str, bytes], list[Problem], dict[str, dict]]:
    """In a worker: render a slice of routes; return the pages and the cache entries it computed."""
    job = _Job.forked
    before = {kind: set(job.cache.table(kind)) for kind in _LEARNED}
    files, errors = job.render(start, stop)
    learned = {kind: {key: value for key, value in job.cache.table(kind).items() if key not in before[kind]}
               for kind in _LEARNED}
    return files, errors, learned


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


@pass_context
def _url(context: Any, target: str) -> str:
    """A link to a site address, relative from the page being rendered."""
    route: Route = context["route"]
    if route.url == NOT_FOUND:  # served at any depth, so its links must start from the root
        return context["base_path"] + target
    return relative_url(route.url, target)


@pass_context
def _asset(context: Any, name: str) -> str:
    return _url(context, context["assets"][name])


_PRE = re.compile(r"(<pre\b.*?</pre>)", re.S)


def strip_indentation(html: str) -> str:
    """Drop the templates' indentation from each line (never inside <pre>): bytes a phone need not fetch."""
    pieces = _PRE.split(html)
    for index in range(0, len(pieces), 2):  # even pieces are outside <pre>
        pieces[index] = re.sub(r"\n[ \t]+", "\n", pieces[index])
    return "".join(pieces)


def split_intro(html: Markup) -> tuple[Markup, Markup]:
    """A body's introduction (before its first ## heading) and the rest."""
    index = html.find("<h2")
    return (html, Markup("")) if index < 0 else (Markup(html[:index]), Markup(html[index:]))


def format_date(value) -> str:
    """ "November 1, 2026", the same on every machine whatever its locale."""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


def format_time(value: str) -> str:
    """ "07:00" → "7 am", "13:30" → "1:30 pm", "12:00" → "noon", "24:00" → "midnight"."""
    hour, minute = (int(part) for part in value.split(":"))
    if (hour, minute) == (12, 0):
        return "noon"
    if hour in (0, 24) and minute == 0:
        return "midnight"
    suffix = "am" if hour < 12 or hour == 24 else "pm"
    hour = hour % 12 or 12
    return f"{hour}:{minute:02d} {suffix}" if minute else f"{hour} {suffix}"
