"""Links in page bodies: each to its page's address, checked, as the assemble step resolves them.

The convert step leaves a body's links to pages and pictures of the site as placeholders
(build/markup.py); here each becomes a link relative to its page, a picture gets the attributes
of its processed files, and a link to a page of another language says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from markupsafe import Markup, escape

from site_gen.build.markup import ALLOWED_SCHEMES, Link, RenderedMarkdown, fill_links
from site_gen.build.pictures import ProcessedPicture, Variant
from site_gen.build.routes import relative_url
from site_gen.content.problems import Problems, did_you_mean, one_of


@dataclass(frozen=True)
class Elsewhere:
    """The pages of the site's first language a page in another links to when the page it names is
    not translated, and what such a link says: the language's tag (hreflang) and words."""

    pages: frozenset[str]
    tag: str
    note: str  # "(in English)", in the page's language


def resolve_bodies(rendered: Mapping[str, RenderedMarkdown], file_urls: Mapping[str, str], page_urls: set[str],
                   displays: Mapping[str, str], unloaded: frozenset[str], pictures: Mapping[str, ProcessedPicture],
                   problems: Problems, offline: bool = False, prefix: str = "",
                   elsewhere: Elsewhere | None = None) -> dict[str, Markup]:
    """Each body (by content file) as HTML with its links resolved: `file_urls` gives each content
    file's address (its page's, a picture's largest file), `page_urls` every page a link may name;
    each link to no page is an error with its file and line (`displays`), unless it names a file
    that could not be loaded (`unloaded`), whose own errors say why."""
    bodies = {}
    note = {"hreflang": elsewhere.tag, "data-in-language": str(escape(elsewhere.note))} if elsewhere else {}
    for rel, body in rendered.items():
        hrefs = [_resolve(link, file_urls[rel], file_urls, page_urls, unloaded, displays[rel], problems, offline,
                          prefix) for link in body.links]
        attributes = {number: _picture_attributes(pictures[link.target], file_urls[rel], offline)
                      for number, link in enumerate(body.links) if link.kind == "file" and link.target in pictures}
        if elsewhere:
            attributes.update({number: note for number, link in enumerate(body.links)
                               if _target(link, file_urls, page_urls, prefix) in elsewhere.pages})
        bodies[rel] = Markup(fill_links(body.html, hrefs, attributes))
    return bodies


# The column's width (main: 42rem less its 1rem sides) on wide screens, the screen's less the sides on narrow ones.
BODY_SIZES = "(min-width: 42rem) 40rem, calc(100vw - 2rem)"


# A phone's screen (up to 30rem) shows a body picture at most 30rem less the margins wide: its <source>
# lists the files up to twice that, so a 3x phone is not sent one wider than twice what it shows.
PHONE_WIDEST = 2 * (30 - 2) * 16


def _picture_attributes(picture: ProcessedPicture, page_url: str, offline: bool) -> dict[str, str]:
    """A body picture's srcset (its WebP files; src is its widest JPEG or PNG), its phone's (markup.py's
    <source>), sizes, width and height; it loads lazily, a body's pictures coming after the page's top."""
    def srcset(variants: tuple[Variant, ...]) -> str:
        return str(escape(", ".join(f"{relative_url(page_url, variant.path, offline)} {variant.width}w"
                                    for variant in variants)))

    phone = tuple(variant for variant in picture.modern if variant.width <= PHONE_WIDEST) or picture.modern[:1]
    return {"srcset": srcset(picture.modern), "phone-srcset": srcset(phone), "phone-type": picture.modern[0].type,
            "sizes": BODY_SIZES, "width": str(picture.width), "height": str(picture.height), "loading": "lazy",
            "decoding": "async"}



def _target(link: Link, file_urls: Mapping[str, str], page_urls: set[str], prefix: str) -> str | None:
    """The address a link to a page of the site leads to (as `_resolve` finds it), without its fragment."""
    if link.kind == "file":
        return file_urls.get(link.target)
    if link.kind == "site":
        return prefix + link.target if prefix + link.target in page_urls else link.target
    return None


def _resolve(link: Link, page_url: str, file_urls: Mapping[str, str], page_urls: set[str], unloaded: frozenset[str],
             display: str, problems: Problems, offline: bool = False, prefix: str = "") -> str:
    """The href for an internal link, recording an error when its target does not exist (a file
    that could not be loaded has its own errors). In a language's folder (`prefix`), a site path
    is first looked for in it: a translation keeps its source's links."""
    fragment = f"#{link.fragment}" if link.fragment else ""
    if link.kind in ("external", "anchor"):
        return link.written  # left as written; the page checks look at anchors once pages exist
    if link.kind == "bad":
        problems.error(display, link.line, "link",
                       f'"{link.written}" is not allowed; links start with '
                       f"{one_of(s + ':' for s in ALLOWED_SCHEMES)}, or point to a page of this site")
        return "#"
    if link.kind == "file":
        target = file_urls.get(link.target)
        if target is None and link.target in unloaded:
            return "#"
        if target is None:
            problems.error(display, link.line, "link",
                           f'no page or image is made from "{link.target}"{did_you_mean(link.target, file_urls)}')
            return "#"
    else:
        target = prefix + link.target if prefix + link.target in page_urls else link.target
        if target not in page_urls:
            suggestion = did_you_mean("/" + target, ["/" + url for url in page_urls])
            problems.error(display, link.line, "link", f'no page at "/{target}"{suggestion}')
            return "#"
    return str(escape(relative_url(page_url, target + fragment, offline)))

