"""What every kind of page is made of, and the route each of its outputs takes.

A kind (exercise, topic, program, clinic, the home page) is one unit: its model, how its files are
read (`load`), the pages it publishes (`routes`), and what the checks and search engines are told
of each page (`prose`, `check`, `structured_data`). The build asks the kind for these; it knows no
kind by name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator

from site_gen.content.model import Content, Review, SiteConfig
from site_gen.content.problems import Problems
from site_gen.content.sourcefile import ContentFiles

if TYPE_CHECKING:
    from site_gen.build.assemble import Site
    from site_gen.content.translation import TranslationFile

# Keeps a result between builds: memo(key, compute) gives compute()'s result, or the one kept for key.
Memo = Callable[[str, Callable[[], Any]], Any]


def no_memo(key: str, compute: Callable[[], Any]) -> Any:
    """Keeps nothing: every file is read afresh."""
    return compute()


@dataclass(frozen=True)
class Route:
    """One published file: its address, the template that makes it, and the object it shows.

    Addresses are site paths without a leading slash: "" is the home page, folders end with "/"
    and are written as `index.html` inside them."""

    url: str
    template: str
    title: str
    description: str = ""
    item: Any = None  # the content item it shows, if any
    own_page: bool = False  # the item's own page: where links to it lead, and what its kind's checks read
    in_sitemap: bool = True
    printable: bool = False  # a document to print (a packet): twice the page budget
    from_root: bool = False  # served at any depth (the not-found page): its links start from the site's root

    @property
    def output_path(self) -> str:
        """Path of the written file inside the output folder."""
        return self.url + "index.html" if self.url == "" or self.url.endswith("/") else self.url

    @property
    def is_html(self) -> bool:
        return self.output_path.endswith(".html")


@dataclass
class Loading:
    """What a kind's `load` is given: the content's files, what is loaded so far, where to report."""

    files: ContentFiles  # the read step's: every content file's text
    site: SiteConfig | None  # None when site.yaml has errors of its own
    review: Review  # the site's review date and reviewer, for pages that give none
    problems: Problems
    memo: Memo = no_memo  # for reading many files: reading one is pure, a function of its text
    loaded: dict[str, tuple] = field(default_factory=dict)  # the items of the kinds loaded before, by plural
    today: dt.date = field(default_factory=dt.date.today)  # the build's day (--today): a clinic's closures end

    @property
    def content_dir(self) -> Path:
        return self.files.content_dir


def _nothing(item: Any) -> tuple:
    return ()


@dataclass(frozen=True)
class Kind:
    """A kind of page, as a unit; see the module's docstring and docs/architecture.md."""

    name: str  # one of its items, in the content's words: "exercise"
    plural: str  # its items in `Content.items` and in templates: "exercises"
    model: type  # the class of its items
    load: Callable[[Loading], tuple]  # reads its files; records every problem; returns its items, in order
    routes: Callable[[Content], Iterator[Route]]  # every file it publishes, its items' own pages first
    # The text of an item's own page that the reading grade reads besides its summary and body.
    prose: Callable[[Any], tuple[str, ...]] = _nothing
    # Findings about an item's own page alone: (error, warning or note, field, message).
    check: Callable[[Any], tuple[tuple[str, str, str], ...]] = _nothing
    # The schema.org data of a page of the kind; None: the site's default (a MedicalWebPage).
    structured_data: Callable[["Site", Route], dict | None] | None = None
    # The fields a translation file (`bird-dog.es.md`) may give: its words, never its figures.
    translatable: tuple[str, ...] = ()
    # The translated item, from its source's, its translation file and the items translated into the same
    # language so far (by plural, then slug), whose kinds are loaded before it; None: the kind is not translated.
    translate: Callable[[Any, "TranslationFile", dict[str, dict[str, Any]]], Any] | None = None
