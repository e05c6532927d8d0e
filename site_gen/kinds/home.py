"""The home page: `content/index.md`, published at the site's root."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Iterator

from site_gen.content.fields import Fields
from site_gen.content.model import Content, Page
from site_gen.content.reading import PAGE_FIELDS, read_required_page, read_review
from site_gen.content.sourcefile import FrontMatterFile
from site_gen.kinds.kind import Kind, Loading, Route

if TYPE_CHECKING:
    from site_gen.content.translation import TranslationFile

FILE = "index.md"


def load(loading: Loading) -> tuple[Page, ...]:
    """The home page; its absence is an error."""

    def read(file: FrontMatterFile) -> Page | None:
        problems = loading.problems
        errors_before = len(problems.errors)
        fields = Fields(file.front, file.source.display, file.front_line, problems, PAGE_FIELDS)
        page = Page(file.source, "home", fields.text("title"), fields.text("summary"),
                    read_review(fields, loading.review), file.body, file.body_line, file.front_key)
        return page if len(problems.errors) == errors_before else None

    page = read_required_page(loading.files, FILE, loading.problems, read)
    return (page,) if page else ()


def routes(content: Content) -> Iterator[Route]:
    for home in content.of("home"):
        yield Route("", "home.html", home.title, home.summary, home, own_page=True)


def translate(home: Page, file: TranslationFile, translated: dict) -> Page:
    """The home page in another language: its title, summary and text."""
    return dataclasses.replace(home, **file.page_fields(home))


KIND = Kind("home page", "home", Page, load, routes, translatable=("title", "summary"), translate=translate)
