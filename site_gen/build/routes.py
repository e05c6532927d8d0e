"""The table of outputs: every address the site publishes, its template, and what it shows.

Each kind publishes its own (site_gen/kinds/); the site adds its not-found page, sitemap and
robots file. Addresses are site paths without a leading slash: "" is the home page, folders end
with "/" and are written as `index.html` inside them.
"""

from __future__ import annotations

import dataclasses
from typing import Iterator

from site_gen.content.model import Content
from site_gen.content.words import N_
from site_gen.kinds import KINDS
from site_gen.kinds.kind import Route

NOT_FOUND = "404.html"
INDEX = "index.html"  # the page a folder's address shows


def iter_routes(content: Content, offline: bool = False, prefix: str = "") -> Iterator[Route]:
    """Every output of the site, in a stable order: each kind's, then the site's own files.

    `offline`: a copy to open from disk, where no server shows the not-found page at any depth,
    so its links go from its own place like every other page's. `prefix`: the folder of a language
    other than the site's first ("es/"), whose pages are its kinds' only: the site's own files are one."""
    for kind in KINDS:
        for route in kind.routes(content):
            yield dataclasses.replace(route, url=prefix + route.url) if prefix else route
    if prefix:
        return
    yield Route(NOT_FOUND, "404.html", N_("Page not found"),
                N_("We could not find that page. Go to the home page, see all exercises, or find a clinic."),
                in_sitemap=False, from_root=not offline)
    yield Route("sitemap.xml", "sitemap.xml", "Sitemap", in_sitemap=False)
    yield Route("robots.txt", "robots.txt", "Robots", in_sitemap=False)


def item_key(item: object) -> tuple[str, str]:
    """What tells an item of the content from every other: its class and slug."""
    return type(item).__name__, item.slug


def own_pages(routes: tuple[Route, ...]) -> dict[tuple[str, str], str]:
    """Each content item (by item_key) → the address of its own page, where links to it lead."""
    return {item_key(route.item): route.url for route in routes if route.own_page}


def relative_url(from_url: str, to_url: str, offline: bool = False) -> str:
    """A link from the page at `from_url` to `to_url` that works at any sub-path and from disk.

    A link to a folder's page names the folder (`exercises/`), as a server shows its index.html;
    `offline`, it names the file (`exercises/index.html`), since a browser opening a folder from
    disk lists its files."""
    path, hash_mark, fragment = to_url.partition("#")
    # Site addresses are already normal (no "." or ".."), so comparing folders is enough; this runs
    # for every link of every page, where posixpath.relpath's filesystem calls would cost seconds.
    from_dirs = from_url.split("/")[:-1]
    to_parts = path.split("/")
    common = 0
    while common < len(from_dirs) and common < len(to_parts) - 1 and from_dirs[common] == to_parts[common]:
        common += 1
    relative = "../" * (len(from_dirs) - common) + "/".join(to_parts[common:])
    if offline and (relative == "" or relative.endswith("/")):
        relative += INDEX
    return (relative or "./") + hash_mark + fragment
