"""The languages a site is published in, each with the theme's words for it.

The theme's own words (its templates', its scripts' and the dosage sentences' the tool writes) are
English in the code and translated by gettext catalogs, as Sphinx's and MkDocs' themes are: the
theme's `locale/<code>.po` for each language (a project's `templates/locale/<code>.po` replaces
the default theme's, file by file). A catalog is compiled when the build reads it, never kept
compiled beside it, so that what is read is what staff and translators edit. Dates and numbers are
written by Babel in the language's own way ("1 de noviembre de 2026").
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
from dataclasses import dataclass
from functools import cached_property

from site_gen.build.theme import Theme
from site_gen.content.model import SiteConfig, language_code
from site_gen.content.problems import Problems

LOCALE = "locale"  # the theme's folder of catalogs
TEMPLATE_CATALOG = f"{LOCALE}/messages.pot"  # every message of the default theme, extracted by Babel
SOURCE_LANGUAGE = "en"  # the language the theme's messages are written in


@dataclass(frozen=True)
class Language:
    """One language of the site: its tag, its code (translation files' and folders'), where its pages
    are published, and the theme's words in it."""

    tag: str  # as site.yaml gives it: "es-US"
    code: str  # "es"
    prefix: str  # "" for the site's first language, else "es/"
    words: gettext.NullTranslations  # the catalog; a NullTranslations gives the messages as written

    @cached_property
    def locale(self):
        from babel import Locale

        return Locale.parse(self.tag.replace("-", "_"))

    @property
    def is_main(self) -> bool:
        return self.prefix == ""

    def name(self) -> str:
        """The language's name in itself, as a language menu shows it: "Español" (for es-US too)."""
        from babel import Locale

        language = Locale(self.locale.language)
        name = language.get_display_name(language) or self.tag
        return name[:1].upper() + name[1:]

    def name_of(self, other: "Language") -> str:
        """Another language's name in this one ("inglés" for English, in Spanish), from Babel's data."""
        return self.locale.languages.get(other.code) or other.name()

    def date(self, value: dt.date) -> str:
        """A date written out in the language: "November 1, 2026", "1 de noviembre de 2026"."""
        from babel.dates import format_date

        return format_date(value, "long", locale=self.locale)

    def __repr__(self) -> str:  # cache keys and messages: the catalog's bytes are in the theme's key
        return f"Language({self.tag!r})"


def site_languages(config: SiteConfig, theme: Theme, problems: Problems) -> tuple[Language, ...]:
    """Each language of the site, the first at the root, with the theme's catalog for it; a language
    the theme has no catalog for is a warning (its pages show the theme's words in English)."""
    tags = config.languages or (config.language,)
    languages = []
    for index, tag in enumerate(tags):
        code = language_code(tag)
        languages.append(Language(tag, code, "" if index == 0 else f"{code}/", read_catalog(theme, tag, problems)))
    return tuple(languages)


def read_catalog(theme: Theme, tag: str, problems: Problems) -> gettext.NullTranslations:
    """The theme's catalog for a language, compiled in memory; each message of the default theme it
    does not translate is named in one warning."""
    code = language_code(tag)
    path = theme.find(f"{LOCALE}/{code}.po")
    if path is None:
        if code != SOURCE_LANGUAGE:
            problems.warning(theme.shown(f"{LOCALE}/{code}.po"), None, "languages",
                             f"no catalog of the theme's words in {tag}: its pages show them in English; "
                             f"copy {TEMPLATE_CATALOG} there and translate it (see docs/translations.md)")
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import PoFileError, read_po
    from babel.support import Translations

    try:
        with path.open("rb") as file:
            catalog = read_po(file, locale=tag.replace("-", "_"), abort_invalid=True)
    except (PoFileError, ValueError, OSError) as error:
        problems.error(theme.shown(f"{LOCALE}/{code}.po"), None, None, f"cannot be read as a catalog ({error})")
        return gettext.NullTranslations()
    missing = _untranslated(theme, catalog)
    if missing:
        shown = ", ".join(f'"{message}"' for message in missing[:3]) + (" …" if len(missing) > 3 else "")
        problems.warning(theme.shown(f"{LOCALE}/{code}.po"), None, None,
                         f"{len(missing)} of the theme's messages have no translation, shown in English: {shown}")
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled)


def _untranslated(theme: Theme, catalog) -> list[str]:
    """The messages of the theme's template catalog (messages.pot) the catalog does not translate."""
    template = theme.find(TEMPLATE_CATALOG)
    if template is None:
        return []
    from babel.messages.pofile import read_po

    with template.open("rb") as file:
        wanted = read_po(file)
    missing = []
    for message in wanted:
        if not message.id:
            continue
        found = catalog.get(message.id, context=message.context)
        strings = found.string if found is not None else None
        done = all(strings) if isinstance(strings, (tuple, list)) else bool(strings)
        if not done or (found is not None and found.fuzzy):
            missing.append(message.id[0] if isinstance(message.id, tuple) else message.id)
    return missing
