"""Marking the theme's messages written in Python, for the catalogs.

`N_` marks a message where it is written, for Babel to extract (`pybabel extract -k N_`, see
docs/translations.md) into the theme's catalog, and leaves its words as they are: English, the
language the messages are written in. The words are said in a page's language later, by the code
or template that knows the page: `words.gettext(message)`, or `said(words)` for an N_ message with
values (a page's title that names its program).
"""

from __future__ import annotations

import gettext
from typing import Any, Self

# The theme's messages as they are written (English): where no page's language is given.
ENGLISH = gettext.NullTranslations()


class Message(str):
    """A message's words in English, as any string, which remember the message and its values so that
    a page in another language can say them in its own words (`said`)."""

    message: str
    values: dict[str, Any]

    def __new__(cls, message: str, values: dict[str, Any]) -> Self:
        self = super().__new__(cls, message % values if values else message)
        self.message, self.values = message, values
        return self

    def __reduce__(self) -> tuple[type, tuple[str, dict[str, Any]]]:  # pickled (the cache) as made
        return Message, (self.message, self.values)

    def said(self, words: gettext.NullTranslations) -> str:
        """The words in the language of `words` (its gettext translations), the values put in after."""
        text = words.gettext(self.message)
        return text % self.values if self.values else text


def N_(message: str, **values: Any) -> Message:
    """The message, marked for Babel to extract, its `%(name)s` placeholders filled with `values`: a
    string of its English words (the message itself when it has none), that can be `said` in another
    language."""
    return Message(message, values)


def said(text: str, words: gettext.NullTranslations | None) -> str:
    """Words for a page in the language of `words`: a message the tool writes (`N_`) translated, any
    other text (content's words) as it is; as it is too without `words`."""
    return text.said(words) if isinstance(text, Message) and words is not None else text
