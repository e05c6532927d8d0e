"""Filters and functions the templates call: links, assets, dates and times, body parts."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from site_gen.build.routes import relative_url
from site_gen.content.words import N_
from site_gen.features.international import time_of_day
from site_gen.kinds.kind import Route

ENGLISH = "en"  # the language whose times and counts this module words itself (others: Babel and the catalogs)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@pass_context
def url(context: Any, target: str, as_is: bool = False) -> str:
    """A link to a site address, relative from the page being rendered (naming index.html in a
    copy built to open from disk: see relative_url). The theme writes its own pages' addresses
    (`clinics/`) once for every language: each leads to the page in the language being rendered,
    unless `as_is` (a link to the same page in another language)."""
    route: Route = context["route"]
    if not as_is:
        target = context["site"].in_language(target)
    if route.from_root:  # served at any depth (the not-found page), so its links start from the root
        return context["base_path"] + target
    return relative_url(route.url, target, context["site"].offline)


@pass_context
def asset(context: Any, name: str) -> str:
    return url(context, context["assets"][name])


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


# Small counts as prose writes them, each a message of the catalogs.
_NUMBER_WORDS = (N_("zero"), N_("one"), N_("two"), N_("three"), N_("four"), N_("five"), N_("six"), N_("seven"),
                 N_("eight"), N_("nine"), N_("ten"), N_("eleven"), N_("twelve"))


@pass_context
def count_words(context: Any, number: int) -> str:
    """ "four" for 4, as prose writes small counts, in the page's language ("cuatro"); digits from 13 on,
    as the language writes them."""
    language = context.get("language")
    if 0 <= number < len(_NUMBER_WORDS):
        message = _NUMBER_WORDS[number]
        return language.words.gettext(message) if language is not None else message
    if language is None or language.code == ENGLISH:
        return str(number)
    from babel.numbers import format_decimal

    return format_decimal(number, locale=language.locale)


@pass_context
def format_date(context: Any, value) -> str:
    """The date in the page's language, the same on every machine whatever its locale: "November 1,
    2026", "1 de noviembre de 2026"."""
    language = context.get("language")
    return language.date(value) if language is not None else f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


@pass_context
def format_time(context: Any, value: str) -> str:
    """A time "HH:MM" as the page's language writes it (features/international.time_of_day): "7 am",
    "noon" in English; "7:00 a.m." in es-US."""
    return time_of_day(value, context.get("language"))
