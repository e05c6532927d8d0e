"""What the kinds share in reading their files: folders of Markdown or YAML files, a page's review
date, its slug, and the check that no two items of a kind share one."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, TypeVar

from site_gen.content.fields import Fields
from site_gen.content.model import Review
from site_gen.content.problems import Problems
from site_gen.content.sourcefile import (
    ContentFiles,
    FrontMatterFile,
    SourceFile,
    compose_yaml,
    make_source,
    split_front_matter,
)
from site_gen.content.values import check_slug
from site_gen.keys import key_of

T = TypeVar("T")
Memo = Callable[[str, Callable[[], T]], T]
PAGE_FIELDS = ("title", "summary", "reviewed", "reviewed_by")


def read_markdown_file(source: SourceFile, files: ContentFiles, problems: Problems,
                       read: Callable[[FrontMatterFile], T]) -> T | None:
    """One Markdown file with front matter, read by `read`; None after an error (recorded)."""
    text = files.text(source)
    file = split_front_matter(source, text, problems) if text is not None else None
    return read(file) if file is not None else None


def read_required_page(files: ContentFiles, name: str, problems: Problems,
                       read: Callable[[FrontMatterFile], T]) -> T | None:
    """A Markdown file every site needs (the home page); its absence is an error."""
    content_dir = files.content_dir
    path = content_dir / name
    source = make_source(path, content_dir)
    if not path.is_file():
        problems.error(source.display, None, None, "missing: every site needs this page (see docs/content-format.md)")
        return None
    return read_markdown_file(source, files, problems, read)


def read_markdown_folder(sources: Iterable[SourceFile], files: ContentFiles, problems: Problems, memo: Memo,
                         depends: object, read: Callable[[FrontMatterFile, Problems], T | None]) -> list[T]:
    """Each Markdown file given, read by `read` through `memo` (the pipeline's cache): reading a file
    is pure, a function of its text, its place and `depends` (whatever else `read` reads)."""
    results = []
    depends_key = repr(depends)
    for source in sources:
        text = files.text(source)
        if text is None:
            continue

        def read_file(source: SourceFile = source, text: str = text) -> tuple[T | None, Problems]:
            found = Problems()
            file = split_front_matter(source, text, found)
            return (read(file, found) if file is not None else None), found

        # The file's problems are kept with its result, so a file read before reports them again.
        key = key_of(str(source.path), source.display, source.rel, text, depends_key)
        result, found = memo(key, read_file)
        problems.extend(found)
        if result is not None:
            results.append(result)
    return results


def read_yaml_folder(files: ContentFiles, folder: str, allowed: tuple[str, ...], problems: Problems,
                     read: Callable[[SourceFile, Fields], T]) -> list[T]:
    """Each `.yaml` file of a content folder, read by `read`; files with errors are left out."""
    results = []
    for source in files.sources(folder, ".yaml"):
        text = files.text(source)
        node = compose_yaml(source, text, 1, problems) if text is not None else None
        if node is None:
            continue
        errors_before = len(problems.errors)
        result = read(source, Fields(node, source.display, 1, problems, allowed))
        if len(problems.errors) == errors_before:
            results.append(result)
    return results


def read_review(fields: Fields, default: Review | None) -> Review | None:
    """A page's own review date and reviewer, else the site's (`default`; required when None)."""
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


def read_slug(source: SourceFile, fields: Fields, example: str) -> str | None:
    """An item's `slug` field, else its file name's stem; `example` is a good file name for the message."""
    if fields.has("slug"):
        return fields.parsed("slug", check_slug)
    stem = Path(source.rel).stem
    try:
        return check_slug(stem)
    except ValueError:
        fields.problems.error(
            source.display, None, None,
            f'the file name "{Path(source.rel).name}" cannot be used in a web address; '
            f"rename it using lower-case letters, digits and dashes, such as {example}",
        )
        return None


def check_unique_slugs(items: Iterable[T], problems: Problems, what: str = "each") -> list[T]:
    """The items, each slug once: a later item with an earlier one's slug (their pages would share
    an address) is an error and left out."""
    seen: dict[str, SourceFile] = {}
    kept = []
    for item in items:
        if item.slug in seen:
            problems.error(item.source.display, None, "slug",
                           f'"{item.slug}" is already used by {seen[item.slug].display}; {what} needs its own')
        else:
            seen[item.slug] = item.source
            kept.append(item)
    return kept
