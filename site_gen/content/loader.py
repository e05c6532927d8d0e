"""Load and validate the content folder into typed data, collecting every error."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import yaml

from site_gen.content.fields import Fields
from site_gen.content.model import Content, PageBudget, Review, Service, SiteConfig, language_code
from site_gen.content.problems import Problems
from site_gen.content.reading import read_review
from site_gen.content.sourcefile import (
    PICTURE_SUFFIXES,
    ContentFiles,
    compose_yaml,
    display_path,
    make_source,
)
from site_gen.content.translation import translate_content
from site_gen.content.values import check_country, check_url, parse_phone
from site_gen.features.international import home_country
from site_gen.kinds import KINDS
from site_gen.kinds.kind import Loading, Memo, no_memo

SITE_FIELDS = ("title", "clinic", "phone", "base_url", "language", "disclaimer", "reviewed", "reviewed_by", "services",
               "reading_grade", "review_interval_days", "page_budget_kb", "sentence_grade", "country", "languages")
SITE_FILE = "site.yaml"
IMAGES = "images"  # the content's pictures, published where they are


def load_content(content_dir: Path, problems: Problems, base_url: str | None = None,
                 memo: Memo = no_memo, files: ContentFiles | None = None, today: dt.date | None = None
                 ) -> Content | None:
    """Read site.yaml, then every kind's files (site_gen.kinds.KINDS, in order), recording every
    problem. The content is what loaded cleanly, so later steps can find their problems too; None
    when there is no content folder or site.yaml cannot be read, without which nothing can be made.

    `base_url`, from the command line, replaces the one in site.yaml. Many files of a kind are each
    read through `memo` (the pipeline's cache): reading one is pure, a function of its text. The
    files' text comes from `files` (the read step's), else the folder is read now. `today` is the
    build's day (default: today's date), as of which a clinic's closures are over.
    """
    if not content_dir.is_dir():
        problems.error(display_path(content_dir), None, None, "the content folder does not exist")
        return None
    files = files or ContentFiles(content_dir, problems)
    site = load_site_config(files, problems, base_url)
    # When site.yaml itself is broken, its own errors say so; pages are not also blamed for its review date.
    loading = Loading(files, site, site.review if site else Review(dt.date.min, ""), problems, memo,
                      today=today or dt.date.today())
    for kind in KINDS:
        loading.loaded[kind.plural] = kind.load(loading)
    if site is None:
        return None
    images = tuple(sorted(path.relative_to(content_dir).as_posix() for path in (content_dir / IMAGES).rglob("*")
                          if path.is_file() and not path.name.startswith(".")))
    pictures = tuple(sorted({*files.pictures, *(image for image in images if image.lower().endswith(PICTURE_SUFFIXES))}))
    images = tuple(image for image in images if not image.lower().endswith(PICTURE_SUFFIXES))
    loaded = {item.source.rel for items in loading.loaded.values() for item in items}
    unloaded = frozenset(files.names()) - loaded - {SITE_FILE}
    content = Content(site, dict(loading.loaded), images, pictures=pictures, unloaded=unloaded)
    translations = translate_content(content, files, problems)
    return dataclasses.replace(content, translations=translations,
                               unloaded=unloaded - {source.rel for source, _, _ in files.translations()})


def load_site_config(files: ContentFiles, problems: Problems, base_url_override: str | None = None) -> SiteConfig | None:
    """Read `site.yaml`."""
    path = files.content_dir / SITE_FILE
    source = make_source(path, files.content_dir)
    if not path.is_file():
        problems.error(source.display, None, None, "missing: every site needs a site.yaml (see docs/content-format.md)")
        return None
    text = files.text(source)
    node = compose_yaml(source, text, 1, problems) if text is not None else None
    if node is None:
        return None
    errors_before = len(problems.errors)
    fields = Fields(node, source.display, 1, problems, SITE_FIELDS)
    base_url = fields.parsed("base_url", _check_base_url)
    if base_url_override is not None:
        try:
            base_url = _check_base_url(base_url_override)
        except ValueError as exc:
            problems.error("--base-url", None, None, str(exc))
    budget, budgets = _page_budgets(fields)
    languages = _languages(fields)
    language = languages[0] if languages else fields.text("language")
    country = _home_country(fields, language)
    # The main number is read for the site's country; when `country` is wrong, its own error says so.
    phone_unread = country is None and fields.has("country")
    config = SiteConfig(
        source=source,
        title=fields.text("title"),
        clinic=fields.text("clinic"),
        phone=None if phone_unread else fields.parsed("phone", lambda text: parse_phone(text, country or "US")),
        base_url=base_url,
        language=language,
        disclaimer=fields.text("disclaimer"),
        review=read_review(fields, None),
        services=_services(fields),
        **_grade_targets(fields, "reading_grade", languages or (language,)),
        review_interval_days=fields.whole_number("review_interval_days") or SiteConfig.review_interval_days,
        page_budget_kb=budget,
        page_budgets=budgets,
        **_grade_targets(fields, "sentence_grade", languages or (language,)),
        review_line=fields.line("reviewed") if fields.has("reviewed") else None,
        country=country,
        languages=languages or ((language,) if language else ()),
    )
    return config if len(problems.errors) == errors_before else None


def _page_budgets(fields: Fields) -> tuple[int, tuple[PageBudget, ...]]:
    """`page_budget_kb`: the most a page may weigh, one number for every page, or one for each
    template named (`clinics: 40`) with `default` for the others."""
    node = fields.raw("page_budget_kb")
    if not isinstance(node, yaml.MappingNode):
        return fields.whole_number("page_budget_kb") or SiteConfig.page_budget_kb, ()
    names = [name for name, _, _ in fields.entries("page_budget_kb", "")]
    budgets = fields.child_of(node, "page_budget_kb", names)
    if budgets is None:
        return SiteConfig.page_budget_kb, ()
    default = budgets.whole_number("default") if "default" in names else None
    return (default or SiteConfig.page_budget_kb,
            tuple(PageBudget(name, kb, budgets.line(name)) for name in names
                  if name != "default" and (kb := budgets.whole_number(name)) is not None))


def _languages(fields: Fields) -> tuple[str, ...]:
    """`languages`: every language the site is published in, the first at its root (replacing
    `language`, which then may only repeat the first). Each is a tag Babel knows ("es" or "es-US"),
    and no two share a code (the file names' and folders' "es")."""
    if not fields.has("languages"):
        return ()
    from babel import Locale, UnknownLocaleError  # imported here: a site in one language never needs it

    tags = fields.text_list("languages")
    for index, tag in enumerate(tags, start=1):
        try:
            Locale.parse(tag.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            fields.error("languages", f'item {index}: "{tag}" is not a language code; write one such as es or es-US')
            return ()
    codes = [language_code(tag) for tag in tags]
    if len(set(codes)) < len(codes):
        fields.error("languages", "two languages share a first part (such as pt-BR and pt-PT); "
                                  "a site publishes one of each")
        return ()
    if fields.has("language") and fields.text("language") != tags[0]:
        fields.error("language", "differs from the first of languages; delete language (languages' first is the "
                                 "site's main language)")
    return tags


def _home_country(fields: Fields, language: str | None) -> str | None:
    """`country`, the site's home country as a two-letter code; by default the region of `language`
    (en-US: US), if it names one."""
    if fields.has("country"):
        return fields.parsed("country", check_country)
    return home_country(language) if language else None


def _services(fields: Fields) -> tuple[Service, ...]:
    """`services`: each kind of care, with the exercises (by file name) that help with it."""
    expected = ("expected each service on its own line, followed by the exercises that help with it, such as: "
                "back pain: [bird-dog, pallof-press]")
    if not fields.has("services"):
        fields.error("services", expected)
    services = []
    for name, key_node, value_node in fields.entries("services", expected):
        if isinstance(value_node, yaml.SequenceNode):
            slugs = tuple(slug for item in value_node.value if (slug := fields.text_of(item, f"services.{name}")))
        elif value_node.tag.endswith(":null"):
            slugs = ()
        else:
            fields.error(f"services.{name}", 'expected a list of exercises, such as [bird-dog], or [] for none',
                         value_node)
            slugs = ()
        services.append(Service(name, slugs, fields.first_line + key_node.start_mark.line))
    return tuple(services)


def _check_base_url(text: str) -> str:
    url = check_url(text, ("https", "http"))
    return url if url.endswith("/") else url + "/"


def _grade_targets(fields: Fields, key: str, tags: tuple[str | None, ...]) -> dict[str, object]:
    """`reading_grade` or `sentence_grade` (`key`), as SiteConfig's fields: one whole number for
    every language, or a mapping with one for each of the site's languages (`tags`) by its code,
    `{en: 8, es: 8}`; the number is then the first language's. A language left out takes the default."""
    default = getattr(SiteConfig, key)
    node = fields.raw(key)
    if not isinstance(node, yaml.MappingNode):
        return {key: fields.whole_number(key) or default, f"{key}s": ()}
    codes = [language_code(tag) for tag in tags if tag]
    names = [name for name, _, _ in fields.entries(key, "")]
    targets = fields.child_of(node, key, names)
    found: dict[str, int] = {}
    for name in names if targets is not None else ():
        grade, code = targets.whole_number(name), language_code(name)
        if codes and code not in codes:
            targets.error(name, f'"{name}" is not one of the site\'s languages; give a grade for each of '
                                f"{', '.join(codes)} by its code, such as {key}: {{{codes[0]}: {default}}}")
        elif code in found:
            targets.error(name, f"a second grade for the language {code}; keep one")
        elif grade is not None:
            found[code] = grade
    return {key: found.get(codes[0], default) if codes else default, f"{key}s": tuple(found.items())}
