"""Load and validate the content folder into typed data, collecting every error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Callable, TypeVar

import yaml

from site_gen.content import clinics, topics
from site_gen.content.dosage import read_dosage
from site_gen.content.fields import Fields
from site_gen.content.model import (
    Content,
    Exercise,
    Measure,
    Page,
    Program,
    ProgramItem,
    Quote,
    Review,
    Service,
    SiteConfig,
)
from site_gen.content.problems import Problems, did_you_mean
from site_gen.content.sourcefile import (
    FrontMatterFile,
    SourceFile,
    compose_yaml,
    display_path,
    folder_sources,
    make_source,
    read_text,
    split_front_matter,
)
from site_gen.content.values import check_slug, check_url, parse_phone
from site_gen.keys import key_of

T = TypeVar("T")
# Keeps a result between builds: memo(key, compute) gives compute()'s result, or the one kept for key.
Memo = Callable[[str, Callable[[], Any]], Any]


def no_memo(key: str, compute: Callable[[], T]) -> T:
    """Keeps nothing: every file is read afresh."""
    return compute()


SITE_FIELDS = ("title", "clinic", "phone", "base_url", "language", "disclaimer", "reviewed", "reviewed_by", "services",
               "reading_grade", "review_interval_days", "page_budget_kb")
PAGE_FIELDS = ("title", "summary", "reviewed", "reviewed_by")
EXERCISE_FIELDS = (
    "title", "slug", "topics", "summary", "muscles", "equipment", "dosage", "steps", "safety", "quote", "measure",
    "reviewed", "reviewed_by",
)
MEASURE_FIELDS = ("what", "every")
PROGRAM_FIELDS = ("title", "slug", "summary", "exercises")
PROGRAM_ITEM_FIELDS = ("exercise", "dosage", "note")
QUOTE_FIELDS = ("text", "name", "credentials", "affiliation")


def load_content(content_dir: Path, problems: Problems, base_url: str | None = None,
                 memo: Memo = no_memo) -> Content | None:
    """Read every content file; None when any error was recorded (all of them are).

    `base_url`, from the command line, replaces the one in site.yaml. Exercises, the many files,
    are each read through `memo` (the pipeline's cache): reading one is pure, a function of its text.
    """
    if not content_dir.is_dir():
        problems.error(display_path(content_dir), None, None, "the content folder does not exist")
        return None
    site = load_site_config(content_dir, problems, base_url)
    # When site.yaml itself is broken, its own errors say so; pages are not also blamed for its review date.
    default_review = site.review if site else Review(dt.date.min, "")
    home = _load_required(content_dir / topics.HOME_PAGE, content_dir, problems,
                          lambda f: load_page(f, default_review, problems, "home"))
    topic_list = topics.load_topics(content_dir, default_review, problems, _review)
    retired = {"plane": topics.retired_plane(topic_list)}
    # An exercise is read from its file, the site's review date and, for its messages, the topics' groups.
    depends = (default_review, [(topic.slug, [group.slug for group in topic.groups]) for topic in topic_list])
    exercises = _load_folder(content_dir, "exercises", ".md", problems, memo, depends,
                             lambda f, found: load_exercise(f, default_review, found, retired))
    topics.check_places(exercises, topic_list, problems)
    clinic_list = clinics.load_clinics(content_dir, site.service_names() if site else None, problems)
    _check_unique_slugs(exercises, problems)
    exercises = topics.library_order(exercises, topic_list)
    programs = _load_yaml_folder(content_dir, "programs", PROGRAM_FIELDS, problems,
                                 lambda source, fields: load_program(source, fields, exercises, content_dir))
    _check_unique_slugs(programs, problems)
    if problems.errors or not (site and home):
        return None
    images = tuple(sorted(path.relative_to(content_dir).as_posix() for path in (content_dir / "images").rglob("*")
                          if path.is_file() and not path.name.startswith(".")))
    return Content(site, home, topic_list, tuple(exercises), clinic_list, tuple(programs), images)


def load_site_config(content_dir: Path, problems: Problems, base_url_override: str | None = None) -> SiteConfig | None:
    """Read `site.yaml`."""
    path = content_dir / "site.yaml"
    source = make_source(path, content_dir)
    if not path.is_file():
        problems.error(source.display, None, None, "missing: every site needs a site.yaml (see docs/content-format.md)")
        return None
    text = read_text(source, problems)
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
    config = SiteConfig(
        source=source,
        title=fields.text("title"),
        clinic=fields.text("clinic"),
        phone=fields.parsed("phone", parse_phone),
        base_url=base_url,
        language=fields.text("language"),
        disclaimer=fields.text("disclaimer"),
        review=_review(fields, None),
        services=_services(fields),
        reading_grade=fields.whole_number("reading_grade") or SiteConfig.reading_grade,
        review_interval_days=fields.whole_number("review_interval_days") or SiteConfig.review_interval_days,
        page_budget_kb=fields.whole_number("page_budget_kb") or SiteConfig.page_budget_kb,
    )
    return config if len(problems.errors) == errors_before else None


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


def load_page(file: FrontMatterFile, default_review: Review | None, problems: Problems, slug: str) -> Page | None:
    """Read a plain Markdown page: the home page."""
    fields = Fields(file.front, file.source.display, file.front_line, problems, PAGE_FIELDS)
    return _page(file, fields, slug, default_review)


def _page(file: FrontMatterFile, fields: Fields, slug: str, default_review: Review | None) -> Page | None:
    errors_before = len(fields.problems.errors)
    title, summary = fields.text("title"), fields.text("summary")
    review = _review(fields, default_review)
    if len(fields.problems.errors) > errors_before:
        return None
    return Page(file.source, slug, title, summary, review, file.body, file.body_line, file.front_key)


def load_exercise(file: FrontMatterFile, default_review: Review | None, problems: Problems,
                  retired: dict | None = None) -> Exercise | None:
    """Read one exercise file; `retired` fields of older formats get their own messages."""
    errors_before = len(problems.errors)
    fields = Fields(file.front, file.source.display, file.front_line, problems, EXERCISE_FIELDS, retired=retired)
    exercise = Exercise(
        source=file.source,
        slug=_slug(file.source, fields),
        title=fields.text("title"),
        topics=topics.read_places(fields),
        summary=fields.text("summary"),
        muscles=fields.text_list("muscles"),
        equipment=fields.text_list("equipment", allow_empty=True),
        dosage=read_dosage(fields),
        steps=fields.text_list("steps"),
        safety=fields.text_list("safety"),
        quote=_quote(fields),
        measure=_measure(fields),
        review=_review(fields, default_review),
        body=file.body,
        body_line=file.body_line,
        front_key=file.front_key,
    )
    return exercise if len(problems.errors) == errors_before else None


def load_program(source: SourceFile, fields: Fields, exercises: list[Exercise], content_dir: Path) -> Program:
    """Read a program file; each item names an exercise by its slug."""
    by_slug = {exercise.slug: exercise for exercise in exercises}
    items = []
    for index, node in enumerate(fields.items("exercises"), start=1):
        item = fields.child_of(node, f"exercises item {index}", PROGRAM_ITEM_FIELDS)
        slug = item.text("exercise") if item else None
        exercise = by_slug.get(slug)
        # An exercise file with errors of its own is already reported; only a missing one is news here.
        if slug and exercise is None and not (content_dir / "exercises" / f"{slug}.md").exists():
            item.error("exercise", f'no exercise "{slug}"{did_you_mean(slug, by_slug)}; '
                                   f"expected the name of a file in content/exercises/, such as {next(iter(by_slug), 'bird-dog')}")
        own_dosage = read_dosage(item, required=False) if item else None
        if exercise is not None:
            items.append(ProgramItem(exercise, own_dosage or exercise.dosage, own_dosage is not None,
                                     item.text("note", required=False)))
    return Program(source=source, slug=_slug(source, fields), title=fields.text("title"),
                   summary=fields.text("summary"), items=tuple(items))


def _measure(fields: Fields) -> Measure | None:
    measure = fields.child("measure", MEASURE_FIELDS, required=False)
    return Measure(measure.text("what"), measure.choice("every", ("day", "week"))) if measure else None


def _quote(fields: Fields) -> Quote | None:
    quote = fields.child("quote", QUOTE_FIELDS, required=False)
    return Quote(**{key: quote.text(key) for key in QUOTE_FIELDS}) if quote else None


def _slug(source: SourceFile, fields: Fields) -> str | None:
    if fields.has("slug"):
        return fields.parsed("slug", check_slug)
    stem = Path(source.rel).stem
    try:
        return check_slug(stem)
    except ValueError:
        fields.problems.error(
            source.display, None, None,
            f'the file name "{Path(source.rel).name}" cannot be used in a web address; '
            f"rename it using lower-case letters, digits and dashes, such as bird-dog.md",
        )
        return None


def _review(fields: Fields, default: Review | None) -> Review | None:
    """The page's own review date and reviewer, else the site's."""
    required = default is None
    date = fields.date("reviewed", required=required)
    by = fields.text("reviewed_by", required=required)
    if required:
        return Review(date, by) if date and by else None
    if fields.has("reviewed") != fields.has("reviewed_by"):
        missing = "reviewed_by" if fields.has("reviewed") else "reviewed"
        fields.error(missing, "missing; give both reviewed and reviewed_by, or neither to use site.yaml's")
        return None
    return Review(date, by) if date and by else default


def _load_required(path: Path, content_dir: Path, problems: Problems, load: Callable[[FrontMatterFile], T]) -> T | None:
    source = make_source(path, content_dir)
    if not path.is_file():
        problems.error(source.display, None, None, "missing: every site needs this page (see docs/content-format.md)")
        return None
    return _load_markdown(source, problems, load)


def _load_folder(content_dir: Path, folder: str, suffix: str, problems: Problems, memo: Memo, depends: object,
                 load: Callable[[FrontMatterFile, Problems], T | None]) -> list[T]:
    """Each Markdown file of a folder, read by `load`; `depends` is whatever else `load` reads."""
    results = []
    depends_key = repr(depends)
    for source in folder_sources(content_dir, folder, suffix):
        text = read_text(source, problems)
        if text is None:
            continue

        def read(source: SourceFile = source, text: str = text) -> tuple[T | None, Problems]:
            found = Problems()
            file = split_front_matter(source, text, found)
            return (load(file, found) if file is not None else None), found

        # The file's problems are kept with its result, so a cached file reports them again.
        key = key_of(str(source.path), source.display, source.rel, text, depends_key)
        result, found = memo(key, read)
        problems.extend(found)
        if result is not None:
            results.append(result)
    return results


def _load_yaml_folder(content_dir: Path, folder: str, allowed: tuple[str, ...], problems: Problems,
                      load: Callable[[SourceFile, Fields], T]) -> list[T]:
    """Each `.yaml` file of a folder, read by `load`; files with errors are left out."""
    results = []
    for source in folder_sources(content_dir, folder, ".yaml"):
        text = read_text(source, problems)
        node = compose_yaml(source, text, 1, problems) if text is not None else None
        if node is None:
            continue
        errors_before = len(problems.errors)
        result = load(source, Fields(node, source.display, 1, problems, allowed))
        if len(problems.errors) == errors_before:
            results.append(result)
    return results


def _load_markdown(source: SourceFile, problems: Problems, load: Callable[[FrontMatterFile], T]) -> T | None:
    text = read_text(source, problems)
    file = split_front_matter(source, text, problems) if text is not None else None
    return load(file) if file is not None else None


def _check_unique_slugs(items: list, problems: Problems) -> None:
    seen: dict[str, SourceFile] = {}
    for item in items:
        if item.slug in seen:
            problems.error(item.source.display, None, "slug",
                           f'"{item.slug}" is already used by {seen[item.slug].display}; each needs its own')
        else:
            seen[item.slug] = item.source
