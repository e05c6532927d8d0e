"""Translations: `bird-dog.es.md` beside `bird-dog.md` gives the page in Spanish.

A translation gives its source's words, never its figures: each kind says which of its fields
are words (`Kind.translatable`) and makes the translated item from the source's (`Kind.translate`);
any other field of the source written in a translation is an error naming it. The content in each
of the site's other languages holds the translated items of each kind that is translated, in the
source's order, and the items of the others (clinics) as they are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import yaml

from site_gen.content.fields import Fields
from site_gen.content.model import Content, Review, SiteConfig, Translation
from site_gen.content.problems import Problems, did_you_mean, one_of
from site_gen.content.reading import read_review
from site_gen.content.sourcefile import ContentFiles, SourceFile, compose_yaml, split_front_matter
from site_gen.keys import key_of
from site_gen.kinds import KINDS
from site_gen.kinds.kind import Kind

OWN_FIELDS = ("reviewed", "reviewed_by", "translated_by")  # what every translation says of itself
SITE_FILE = "site.yaml"
SITE_WORDS = ("title", "clinic", "disclaimer", "services")  # what site.es.yaml may translate


@dataclass(frozen=True)
class TranslationFile:
    """A translation file as its kind's `translate` reads it: its fields, its body (Markdown files),
    and what it says of itself."""

    fields: Fields
    source: SourceFile
    body: str
    body_line: int
    front_key: str  # a hash of its front matter, with its source's: a translated page is made of both
    review: Review
    translation: Translation

    def page_fields(self, original: Any) -> dict[str, Any]:
        """The fields every translated page takes from its translation file, for dataclasses.replace."""
        return {"source": self.source, "title": self.fields.text("title"), "summary": self.fields.text("summary"),
                "review": self.review, "body": self.body, "body_line": self.body_line,
                "front_key": key_of(original.front_key, self.front_key), "translation": self.translation}


def translate_content(content: Content, files: ContentFiles, problems: Problems) -> dict[str, Content]:
    """The content in each of the site's other languages, by code; every problem of a translation
    file is recorded, and a translation with errors is left out."""
    codes = content.site.language_codes()
    others = codes[1:]
    kinds = {kind.plural: kind for kind in KINDS}
    originals = {item.source.rel: (kind, item) for kind in KINDS for item in content.of(kind.plural)}
    found: dict[str, dict[str, list[tuple[SourceFile, Any]]]] = {code: {} for code in others}
    sites = {code: content.site for code in others}
    for source, code, original_rel in files.translations():
        if original_rel == SITE_FILE and code in others:
            sites[code] = _translated_site(content.site, source, files, problems)
            continue
        if code not in others:
            problems.error(source.display, None, None,
                           f'a translation into "{code}", which is the site\'s main language; its words belong in '
                           f"{original_rel.rpartition('/')[2]}" if code == codes[0] else
                           f'a translation into "{code}", which site.yaml\'s languages do not list; add it there '
                           f"(languages: [{', '.join((*codes, code))}]) or rename the file")
            continue
        if original_rel not in originals:
            if original_rel not in content.unloaded:  # else the source's own errors say why
                # A warning: it is left out, as a deleted page's translation left behind should be.
                problems.warning(source.display, None, None,
                                 f"not published: no {original_rel.rpartition('/')[2]} beside it to translate; name "
                                 "a translation as its source file with the language's code before the extension")
            continue
        kind, item = originals[original_rel]
        if kind.translate is None:
            problems.error(source.display, None, None, f"a {kind.name} is not translated: its page shows its "
                                                       "words as they are in every language; delete this file")
            continue
        found[code].setdefault(kind.plural, []).append((source, item))
    return {code: _translated(dataclasses.replace(content, site=sites[code]), files, problems, code, by_kind, kinds)
            for code, by_kind in found.items()}


def _translated_site(site: SiteConfig, source: SourceFile, files: ContentFiles, problems: Problems) -> SiteConfig:
    """site.yaml's words in another language (`site.es.yaml`): the site's title, the clinic's name, the
    disclaimer and the services' names (by the names site.yaml gives them); the rest is site.yaml's."""
    text = files.text(source)
    node = compose_yaml(source, text, 1, problems) if text is not None else None
    if node is None:
        return site
    figures = {key.value: f"comes from {SITE_FILE} only; a translation of it gives {one_of(SITE_WORDS)}"
               for key, _ in getattr(node, "value", ()) if isinstance(key, yaml.ScalarNode)
               and key.value not in SITE_WORDS}
    fields = Fields(node, source.display, 1, problems, SITE_WORDS, retired=figures)
    names = {}
    for name, _, value_node in fields.entries("services", "expected each service as site.yaml names it, "
                                              "then its name in this language, such as: back pain: ..."):
        if name not in site.service_names():
            fields.error(f"services.{name}",
                         f"no service {name} in {SITE_FILE}{did_you_mean(name, site.service_names())}")
        elif (words := fields.text_of(value_node, f"services.{name}")) is not None:
            names[name] = words
    given = {key: fields.text(key, required=False) for key in ("title", "clinic", "disclaimer")}
    return dataclasses.replace(site, **{key: value for key, value in given.items() if value is not None},
                               service_translations=tuple(names.items()))


def _translated(content: Content, files: ContentFiles, problems: Problems, code: str,
                by_kind: dict[str, list[tuple[SourceFile, Any]]], kinds: dict[str, Kind]) -> Content:
    """The content in one language: each kind's translated items, in kind order so that a kind
    can use the translated items of those before it (a program, its exercises')."""
    translated: dict[str, dict[str, Any]] = {}  # by plural, then slug
    items: dict[str, tuple] = {}
    for plural, kind in kinds.items():
        if kind.translate is None:
            items[plural] = content.of(plural)
            continue
        done = {}
        for source, original in by_kind.get(plural, ()):
            file = _read(source, files, problems, kind, original, code)
            if file is None:
                continue
            errors_before = len(problems.errors)
            item = kind.translate(original, file, translated)
            if item is not None and len(problems.errors) == errors_before:
                done[original.slug] = item
        translated[plural] = done
        items[plural] = tuple(done[item.slug] for item in content.of(plural) if item.slug in done)
    return Content(content.site, items, content.images, content.pictures, content.unloaded)


def _read(source: SourceFile, files: ContentFiles, problems: Problems, kind: Kind, original: Any,
          code: str) -> TranslationFile | None:
    """A translation file's fields: its kind's words and its own; a figure of the source is an error."""
    text = files.text(source)
    if text is None:
        return None
    if source.rel.endswith(".md"):
        front = split_front_matter(source, text, problems)
        if front is None:
            return None
        node, first_line, body, body_line, front_key = front.front, front.front_line, front.body, front.body_line, \
            front.front_key
    else:
        node, first_line, body, body_line, front_key = compose_yaml(source, text, 1, problems), 1, "", 1, key_of(text)
        if node is None:
            return None
    if not isinstance(node, yaml.MappingNode):
        problems.error(source.display, first_line, None, "expected fields such as title: ..., one a line")
        return None
    shown = original.source.rel.rpartition("/")[2]
    figures = {key.value: (f"comes from {shown} only: a translation gives words, not figures; delete it here "
                           f"(a translation may give {one_of(kind.translatable + OWN_FIELDS)})")
               for key, _ in node.value if isinstance(key, yaml.ScalarNode)
               and key.value not in kind.translatable + OWN_FIELDS}
    fields = Fields(node, source.display, first_line, problems, kind.translatable + OWN_FIELDS, retired=figures)
    review = read_review(fields, None)
    translated_by = fields.text("translated_by", example="Ana Pérez, certified medical translator")
    if review is None or translated_by is None:
        return None
    return TranslationFile(fields, source, body, body_line, front_key, review,
                           Translation(code, translated_by, original.source, review))
