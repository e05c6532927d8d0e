"""The quotes and spaces word processors and phones type for typography: inside prose they stay,
around a value, or anywhere in a code (a number, a date, a phone number, hours, a choice), they
are a mistake, and the message says what to type instead."""

from __future__ import annotations

import re

from site_gen.content.yaml_reading import quoted_whole, reads_as_typed

_QUOTE_FAMILIES = (  # (the marks, the openers that cannot appear inside a value they wrap, their name)
    ("\u201c\u201d\u201e\u201f", "\u201c\u201d\u201e\u201f", "curly quotes"),  # “ ” „ ‟
    ("\u2018\u2019\u201a\u201b", "\u2018\u201a\u201b", "curly quotes"),  # ‘ ’ ‚ ‛ (’ is also the apostrophe)
    ("\u00ab\u00bb", "\u00ab\u00bb", "\u00ab \u00bb quotes"),  # « »
    ("\u2039\u203a", "\u2039\u203a", "\u2039 \u203a quotes"),  # ‹ ›
)
_CURLY = "".join(marks for marks, _, _ in _QUOTE_FAMILIES)
_LOOK_ALIKE_SPACES = {"\u00a0": "a non-breaking space", "\u202f": "a narrow non-breaking space",
                      "\u2007": "a figure space"}
_ZERO_WIDTH = {"\u200b": "an invisible zero-width space", "\u2060": "an invisible word joiner",
               "\ufeff": "an invisible zero-width no-break space"}
_TYPED = re.compile(f"[{_CURLY}{''.join(_LOOK_ALIKE_SPACES)}{''.join(_ZERO_WIDTH)}]")  # any of them at all


def typed_marks(value: str, code: bool, bare: bool = False) -> str | None:
    """What is wrong when a value holds the quotes or spaces an editor types for typography, or None.

    A value wrapped in curly quotes or guillemets, or starting or ending with a non-breaking or
    zero-width space, is always a mistake; inside prose they are typography and stay, but a `code`
    (a number, a date, a phone number, hours, a choice) can hold none of them. `bare`: the fix is
    to write the value without quotes (numbers, dates, true/false)."""
    if not _TYPED.search(value):  # most values: nothing typed for typography
        return None
    text = value.strip(" \t\n")
    for end, char in (("start", text[:1]), ("end", text[-1:])):
        name = _LOOK_ALIKE_SPACES.get(char) or _ZERO_WIDTH.get(char)
        if name:
            rest = text.strip("".join((*_LOOK_ALIKE_SPACES, *_ZERO_WIDTH, " ")))
            where = f' {"after" if end == "end" else "before"} "{rest}"' if rest else ""
            return f"there is {name} (U+{ord(char):04X}){where}, which your editor typed; delete it"
    for marks, openers, name in _QUOTE_FAMILIES:
        inner = text[1:-1]
        if len(text) > 1 and text[0] in marks and text[-1] in marks and not any(mark in inner for mark in openers):
            return f"{text} is in {name}, which your editor typed; {_straight_quotes(inner.strip(), bare)}"
    if not code:
        return None
    curly = sorted({char for char in text if char in _CURLY}, key=_CURLY.index)
    if curly:
        fixed = "".join(char for char in text if char not in _CURLY).strip()
        marks = f"a curly quote ({curly[0]})" if len(curly) == 1 else f"curly quotes ({' '.join(curly)})"
        return f"{text} has {marks} in it, which your editor typed; write {fixed if bare else quoted_whole(fixed)}"
    for index, char in enumerate(text):
        name = _LOOK_ALIKE_SPACES.get(char)
        if name:
            return (f'"{text}" has {name} (U+{ord(char):04X}) after "{text[:index]}", which your editor typed; '
                    "delete it and type an ordinary space")
        name = _ZERO_WIDTH.get(char)
        if name:
            return f'"{text}" has {name} (U+{ord(char):04X}) after "{text[:index]}", which your editor typed; delete it'
    return None


def _straight_quotes(text: str, bare: bool) -> str:
    """How to write a value that came wrapped in curly quotes."""
    if bare:
        return f"write it without quotes: {text}"
    quoted = quoted_whole(text)
    return f"use straight quotes ({quoted}) or none" if reads_as_typed(text) else f"use straight quotes: {quoted}"
