"""The render step: each route through its Jinja template, in memory; nothing is written here.

While a page's HTML is at hand, it is also read for the checks (`inspect`, given by the pipeline),
so that a page is read once, where it is made, in parallel with the others.
"""

from __future__ import annotations

import functools
import itertools
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import jinja2
from markupsafe import Markup

from site_gen.build.assemble import Site
from site_gen.build.filters import strip_indentation
from site_gen.build.theme import Theme, asset_urls
from site_gen.build.workers import in_workers, workers_for
from site_gen.content.model import Page
from site_gen.content.problems import Problem
from site_gen.content.sourcefile import display_path
from site_gen.features.jsonld import web_page
from site_gen.features.qrcodes import QrCode, qr_code
from site_gen.keys import key_of
from site_gen.kinds import kind_of
from site_gen.kinds.kind import Route

PARALLEL_MIN_ROUTES = 300  # pages to render below which starting worker processes costs more than it saves
PROGRESS_SECONDS = 0.05  # how often this process tells how far the worker processes are

Inspect = Callable[[Route, str], object]  # reads a rendered HTML page for the checks


@dataclass(frozen=True)
class RenderedPage:
    """One rendered output file, as kept between builds."""

    data: bytes
    facts: object  # what `inspect` read of it, for HTML pages; else None
    reads: tuple[tuple[str, str], ...]  # (content file, its body_key) for each body the page used


class PageRenderer:
    """Renders the pages of one build, in this process or in forked worker processes."""

    def __init__(self, site: Site, env: jinja2.Environment, assets: dict[str, bytes], theme: Theme,
                 inspect: Inspect) -> None:
        self.site, self.env, self.theme, self.inspect = site, env, theme, inspect
        self.shared = {"site": site, "config": site.config, "assets": asset_urls(assets),
                       "base_path": site.config.base_path()}
        self._items = {item.source.rel: item for item in site.content.pages_with_bodies()}
        self._body_keys: dict[str, str] = {}
        self._reads: dict[str, str] = {}
        env.globals.update(qr=self.qr, body=self.body)

    def body(self, item: Page) -> Markup:
        """A page body as HTML, for templates; noted as something the page being rendered depends on."""
        rel = item.source.rel
        self._reads[rel] = self.body_key(rel)
        return self.site.bodies[rel]

    def body_key(self, rel: str) -> str | None:
        """A hash of a body's Markdown and HTML (the checks read the one, pages show the other);
        worked out when first asked for; None for no such body. A page kept from an earlier build
        is good while every body it read has the same key."""
        if rel not in self._body_keys and rel in self.site.bodies:
            self._body_keys[rel] = key_of(self._items[rel].body, str(self.site.bodies[rel]))
        return self._body_keys.get(rel)

    def qr(self, url: str) -> QrCode:
        """The QR code of an address, for templates."""
        return qr_code(url)

    def render_all(self, indices: list[int], progress: Callable[[int, int], None] | None = None
                   ) -> tuple[dict[int, RenderedPage], list[Problem]]:
        """The pages of these routes (by their place in `site.routes`), by one worker process per
        core when there are many; template errors are returned with template file and line.
        `progress` is told how many pages are rendered, of how many, as they are."""
        workers = workers_for(len(indices), PARALLEL_MIN_ROUTES)
        if not workers and progress is None:
            return self.render(indices)
        if not workers:
            done = itertools.count(1)
            return self.render(indices, each=lambda: progress(next(done), len(indices)))
        import multiprocessing

        rendered = multiprocessing.get_context("fork").Value("i", 0)  # by every worker, shared with them

        def count() -> None:
            with rendered.get_lock():
                rendered.value += 1

        pages: dict[int, RenderedPage] = {}
        errors: list[Problem] = []
        # Forked, each worker has this renderer as it is: nothing is sent to it but its pieces.
        render = functools.partial(self.render, each=count) if progress else self.render
        with in_workers(render, indices, workers) as results:
            # This process only waits for the workers' results: meanwhile it tells how far they are.
            while progress and rendered.value < len(indices) and multiprocessing.active_children():
                progress(rendered.value, len(indices))
                time.sleep(PROGRESS_SECONDS)
            for piece_pages, piece_errors in results():
                pages.update(piece_pages)
                errors.extend(piece_errors)
        return pages, errors

    def render(self, indices: list[int], each: Callable[[], None] | None = None
               ) -> tuple[dict[int, RenderedPage], list[Problem]]:
        """The pages of these routes, rendered in this process; `each` is called after each page."""
        site, pages, errors = self.site, {}, []
        for index in indices:
            route = site.routes[index]
            self._reads = {}
            context = {**self.shared, "route": route, "item": route.item,
                       "canonical": site.config.base_url + route.url,
                       "structured_data": structured_data(site, route),
                       "review": site.get_review(route.item) if route.in_sitemap else None}
            try:
                text = self.env.get_template(route.template).render(context)
            except Exception as exc:  # a template bug: report where, keep going to find the rest
                where = _template_location(exc, route, self.theme)
                errors.append(Problem(*where, f"{type(exc).__name__}: {exc}"))
                continue
            facts = None
            if route.is_html:
                text = strip_indentation(text)
                facts = self.inspect(route, text)
                if route.item is not None and route.item.source.rel in site.bodies:
                    self.body(route.item)  # the checks read the page's own body (its prose)
            pages[index] = RenderedPage(text.encode("utf-8"), facts, tuple(sorted(self._reads.items())))
            if each is not None:
                each()
        return pages, errors


def structured_data(site: Site, route: Route) -> dict | None:
    """The JSON-LD of a page showing a content item: its kind's, else a MedicalWebPage; None for
    lists, the not-found page and other files."""
    if not route.is_html or route.item is None:
        return None
    kind = kind_of(route.item)
    return kind.structured_data(site, route) if kind.structured_data else web_page(site, route)


def _template_location(exc: Exception, route: Route, theme: Theme) -> tuple[str, int | None, str]:
    """The template file and line an error happened at (Jinja maps frames back to templates)."""
    where = (theme.shown(route.template), None)
    roots = tuple(str(folder) for folder in theme.folders)
    traceback = exc.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.startswith(roots):
            where = (display_path(Path(filename)), traceback.tb_lineno)
        traceback = traceback.tb_next
    return where[0], where[1], f"rendering {route.output_path}"
