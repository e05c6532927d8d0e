"""Filters and functions the templates call: links, assets, dates and times, body parts."""

from __future__ import annotations

import re
from typing import Any

from jinja2 import pass_context
from markupsafe import Markup

from site_gen.build.routes import relative_url
from site_gen.kinds.kind import Route

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


@pass_context
def url(context: Any, target: str) -> str:
    """A link to a site address, relative from the page being rendered (naming index.html in a
    copy built to open from disk: see relative_url)."""
    route: Route = context["route"]
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


_NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                 "twelve")


def count_words(number: int) -> str:
    """ "four" for 4, as prose writes small counts; digits from 13 on."""
    return _NUMBER_WORDS[number] if 0 <= number < len(_NUMBER_WORDS) else str(number)


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
