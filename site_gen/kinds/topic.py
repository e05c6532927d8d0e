"""Topics: explainer pages at `content/<slug>.md`, each with the groups its exercises fall into.

A topic is content, not code: its groups (the ways a joint moves, the parts of a balance
program) are declared in its front matter, and exercises name the topic and group they belong
to. A topic with `coverage: true` asks every program that uses it to cover all its groups.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator

import yaml

from site_gen.content.fields import Fields
from site_gen.content.model import Content, Page
from site_gen.content.problems import Problems, did_you_mean, one_of
from site_gen.content.reading import read_markdown_file, read_review
from site_gen.content.sourcefile import (
    TRANSLATION,
    ContentFiles,
    FrontMatterFile,
    SourceFile,
    display_path,
)
from site_gen.content.values import check_slug
from site_gen.kinds.kind import Kind, Loading, Route

if TYPE_CHECKING:
    from site_gen.content.translation import TranslationFile

TOPIC_FIELDS = ("title", "summary", "reviewed", "reviewed_by", "menu", "order", "groups", "coverage")
GROUP_FIELDS = ("name", "technical", "description", "supporting")
HOME_PAGE = "index.md"  # the one Markdown file at the top of the content folder that is not a topic
_RETIRED = {"planes": 'no longer used; rename "planes:" to "groups:" (each group has a name, a description, '
                      "and optionally its technical name)"}


@dataclass(frozen=True)
class Group:
    """One of a topic's groups of exercises (a way the body moves, a kind of work), in everyday words."""

    slug: str
    name: str
    technical: str | None  # the clinician's word for it, when there is one
    description: str
    supporting: bool  # supporting work: not needed for a program to cover the topic


@dataclass(frozen=True)
class Topic(Page):
    """An explainer page, from `content/<slug>.md`, with the groups its exercises fall into."""

    menu: str | None  # its short name in the site's menu; None: not in the menu
    order: int | None  # its place among the topics; None: after those with one, by title
    groups: tuple[Group, ...]
    coverage: bool  # programs using it should cover every group that is not supporting work

    def get_group(self, slug: str) -> Group:
        return next(group for group in self.groups if group.slug == slug)

    def label(self) -> str:
        """Its short name: the menu's, else its title."""
        return self.menu or self.title


@dataclass(frozen=True)
class TopicPlace:
    """Where an exercise belongs in a topic: the topic's slug and, when it has groups, which."""

    topic: str
    groups: tuple[str, ...]
    line: int  # where the exercise names it, for the loader's messages


def topic_sources(content_dir: Path) -> list[SourceFile]:
    """The topic files: every Markdown file at the top of the content folder but the home page."""
    shown = display_path(content_dir)
    names = sorted(name for name in os.listdir(content_dir)
                   if name.endswith(".md") and name != HOME_PAGE and not name.startswith(".")
                   and not TRANSLATION.search(name))
    return [SourceFile(content_dir / name, f"{shown}/{name}", name) for name in names]


def load(loading: Loading) -> tuple[Topic, ...]:
    """Every topic, in the order the site shows them: by `order`, then by title."""
    topics = [topic for source in topic_sources(loading.content_dir)
              if (topic := read_markdown_file(source, loading.files, loading.problems,
                                              lambda file: load_topic(file, loading))) is not None]
    return tuple(sorted(topics, key=lambda t: (t.order is None, t.order or 0, t.title.lower(), t.slug)))


def load_topic(file: FrontMatterFile, loading: Loading) -> Topic | None:
    """Read one topic file."""
    problems = loading.problems
    errors_before = len(problems.errors)
    fields = Fields(file.front, file.source.display, file.front_line, problems, TOPIC_FIELDS, retired=_RETIRED)
    slug = _slug_of(file.source, problems)
    groups = _groups(fields)
    coverage = fields.boolean("coverage")
    if coverage and not fields.has("groups"):
        fields.error("coverage", "needs groups: a program covers a topic by training each of its groups")
    topic = Topic(
        source=file.source, slug=slug, title=fields.text("title"), summary=fields.text("summary"),
        review=read_review(fields, loading.review), body=file.body, body_line=file.body_line,
        front_key=file.front_key, menu=fields.text("menu", required=False),
        order=fields.whole_number("order", minimum=0), groups=groups, coverage=coverage,
    )
    return topic if len(problems.errors) == errors_before else None


def topic_url(topic: Topic) -> str:
    return f"{topic.slug}/"  # at the site's root, as its file is at the content folder's


def routes(content: Content) -> Iterator[Route]:
    for topic in content.of("topics"):
        yield Route(topic_url(topic), "topic.html", topic.title, topic.summary, topic, own_page=True)


def prose(topic: Topic) -> tuple[str, ...]:
    """What its page says of each group, graded with its text."""
    return tuple(group.description for group in topic.groups)


def _groups(fields: Fields) -> tuple[Group, ...]:
    groups = []
    for key, key_node, value_node in fields.entries("groups", "expected each group on its own line: its short name "
                                                    "(used by exercises), then its fields, such as: balance: with "
                                                    "name: and description: below it"):
        try:
            check_slug(key)
        except ValueError as exc:
            fields.error(f"groups.{key}", str(exc), key_node)
            continue
        group = fields.child_of(value_node, f"groups.{key}", GROUP_FIELDS)
        if group is not None:
            groups.append(Group(key, group.text("name"), group.text("technical", required=False),
                                group.text("description"), group.boolean("supporting")))
    return tuple(groups)


def _slug_of(source: SourceFile, problems: Problems) -> str | None:
    stem = Path(source.rel).stem
    try:
        return check_slug(stem)
    except ValueError:
        problems.error(source.display, None, None,
                       f'the file name "{source.rel}" cannot be used in a web address; rename it using '
                       "lower-case letters, digits and dashes, such as knee-care.md")
        return None


def read_places(fields: Fields) -> tuple[TopicPlace, ...]:
    """An exercise's `topics`: each topic it belongs to, with its group(s) there.

    Written as lines of `topic: group` (or a list of groups), or as a list of topics without groups."""
    node = fields.raw("topics")
    if node is None:
        return ()
    places = []
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            topic = fields.text_of(item, "topics")
            if topic is not None:
                places.append(TopicPlace(topic, (), fields.first_line + item.start_mark.line))
        return tuple(places)
    for topic, key_node, value_node in fields.entries("topics", "expected each topic on its own line, followed by "
                                                      'its group, such as: "knee-care: strength"'):
        name = f"topics.{topic}"
        if isinstance(value_node, yaml.SequenceNode):
            groups = tuple(group for item in value_node.value if (group := fields.text_of(item, name)))
        elif isinstance(value_node, yaml.ScalarNode) and value_node.tag.endswith(":null"):
            groups = ()
        else:
            group = fields.text_of(value_node, name)
            groups = (group,) if group else ()
        places.append(TopicPlace(topic, groups, fields.first_line + key_node.start_mark.line))
    return tuple(places)


def retired_plane(topics: Iterable[Topic]) -> Callable[[yaml.Node], str]:
    """The message for an exercise's `plane` field, an older format: what to write in its place."""
    by_group = {}
    for topic in topics:
        for group in topic.groups:
            by_group.setdefault(group.slug, topic.slug)

    def message(node: yaml.Node) -> str:
        value = node.value if isinstance(node, yaml.ScalarNode) else ""
        if value in by_group:
            return (f'no longer used; in its place write "topics:" and, on the next line, indented by two spaces, '
                    f'"{by_group[value]}: {value}"')
        return ('no longer used; name the topic page and its group instead: "topics:" and, on the next line, '
                'indented by two spaces, "<topic>: <group>" (see docs/content-format.md)')

    return message


def check_places(exercises: Iterable, topics: tuple[Topic, ...], files: ContentFiles, problems: Problems) -> None:
    """Every topic and group the exercises name exists (a topic file with errors of its own is
    not blamed again)."""
    by_slug = {topic.slug: topic for topic in topics}
    unread = {Path(source.rel).stem for source in topic_sources(files.content_dir)} - set(by_slug)
    for exercise in exercises:
        for place in exercise.topics:
            name = f"topics.{place.topic}"
            topic = by_slug.get(place.topic)
            if topic is None and place.topic in unread:
                continue
            if topic is None:
                example = next(iter(by_slug), "knee-care")
                problems.error(exercise.source.display, place.line, name,
                               f'no topic "{place.topic}"{did_you_mean(place.topic, by_slug)}; expected the name '
                               f"of a topic page in content/ (without .md), such as {example}")
                continue
            slugs = [group.slug for group in topic.groups]
            if topic.groups and not place.groups:
                problems.error(exercise.source.display, place.line, name,
                               f"name its group in {topic.source.display}: {one_of(slugs)}")
            elif place.groups and not topic.groups:
                problems.error(exercise.source.display, place.line, name,
                               f"{topic.source.display} has no groups; leave the value after the colon empty")
            for group in place.groups:
                if group not in slugs:
                    problems.error(exercise.source.display, place.line, name,
                                   f'"{group}" is not a group of {topic.source.display}{did_you_mean(group, slugs)}; '
                                   f"expected one of {one_of(slugs)}")


def library_order(exercises: list, topics: tuple[Topic, ...]) -> list:
    """The exercises in the order the library lists them: by their first topic and group, then by
    title; those in no topic last."""
    position = {}
    for index, topic in enumerate(topics):
        position[(topic.slug, None)] = (index, 0)
        for group_index, group in enumerate(topic.groups):
            position[(topic.slug, group.slug)] = (index, group_index)

    def key(exercise) -> tuple:
        first = exercise.topics[0] if exercise.topics else None
        where = position.get((first.topic, first.groups[0] if first.groups else None)) if first else None
        return (where is None, where or (0, 0), exercise.title.lower(), exercise.slug)

    return sorted(exercises, key=key)


def translate(topic: Topic, file: TranslationFile, translated: dict) -> Topic:
    """The topic in another language: its words, and each group's (by the source's names for them)."""
    fields = file.fields
    groups = []
    named = {name: node for name, _, node in fields.entries("groups", "expected each group of the source by its "
                                                            "short name, with its name and description below it")}
    for name in sorted(set(named) - {group.slug for group in topic.groups}):
        fields.error(f"groups.{name}", f"no group {name} in {topic.source.rel}; "
                                       f"translate its groups: {one_of(group.slug for group in topic.groups)}")
    for group in topic.groups:
        if group.slug not in named:
            fields.error("groups", f"missing the group {group.slug}; translate every group's name and description")
            continue
        words = fields.child_of(named[group.slug], f"groups.{group.slug}", ("name", "technical", "description"))
        if words is not None:
            groups.append(dataclasses.replace(group, name=words.text("name"), description=words.text("description"),
                                              technical=words.text("technical", required=group.technical is not None)))
    return dataclasses.replace(topic, **file.page_fields(topic), groups=tuple(groups),
                               menu=fields.text("menu", required=topic.menu is not None))


KIND = Kind("topic", "topics", Topic, load, routes, prose=prose,
            translatable=("title", "summary", "menu", "groups"), translate=translate)
