"""Reading YAML into nodes that keep the line of every key and value, and telling its mistakes on
the line where they were made, with what to type instead: the parser's own messages name what it
expected, on the line where it gave up, which is often the next one.

YAML is composed into nodes rather than loaded into dicts so that every key and value keeps its
line number for error messages.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import yaml

from site_gen.content.problems import Problems

if TYPE_CHECKING:
    from site_gen.content.sourcefile import SourceFile

# libyaml's C parser when present: the same nodes and marks, several times faster.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The parser notices a mistake where the text stops making sense, often a line later; these
# read the lines around that place for the mistakes staff make, and name the line to change.

_LINE = re.compile(r"(?P<indent> *)(?P<dash>-(?: +|$))?(?P<rest>.*)", re.DOTALL)
_KEY = re.compile(r"(?P<key>[^\s#\-\[\]{}'\"][^:#]*?|\"[^\"]*\"|'[^']*')[ \t]*:(?:[ \t]+(?P<value>.*)|$)")
_FIELD_NAME = re.compile(r"[a-z][a-z0-9_]*")  # how fields are named; "Note: …" is more likely text that goes on
_NO_SPACE_AFTER_COLON = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?P<value>[^\s:/#].*)")
_NO_SPACE_AFTER_DASH = re.compile(r"(?P<indent> *)-(?P<value>[^\s\-].*)")
_NO_COLON = re.compile(r"(?P<key>[a-z][a-z0-9_]*) +(?P<value>[^:#]+)")  # "title Cat Cow"



def compose_yaml(source: SourceFile, text: str, first_line: int, problems: Problems) -> yaml.MappingNode | None:
    """Compose YAML text into a mapping node; None after recording a syntax error.

    A list item YAML silently joins to the one above it is recorded too; the node is still returned,
    so the file's other mistakes are listed with it."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        line, field, message = yaml_problem(exc, text)
        problems.error(source.display, first_line + line if line is not None else None, field, message)
        return None
    except yaml.YAMLError as exc:  # e.g. a control character the reader rejects
        problems.error(source.display, None, None, f"not valid YAML: {exc}")
        return None
    if node is None:
        problems.error(source.display, first_line, None, "no fields given; expected key: value lines")
        return None
    if not isinstance(node, yaml.MappingNode):
        fixed = colon_without_space(text.strip()) if isinstance(node, yaml.ScalarNode) and not node.style else None
        problems.error(
            source.display, first_line + node.start_mark.line, fixed.partition(":")[0] if fixed else None,
            f"put a space after the colon: {quoted_whole(fixed)}" if fixed else
            "expected key: value lines (a YAML mapping) at the top level",
        )
        return None
    lines = text.split("\n")
    for line, field, column in joined_items(node, lines):
        problems.error(
            source.display, first_line + line, field,
            f"this item is indented {_spaces(_indent(lines[line]))}, more than the list's first item, so YAML joins "
            f"it to the item above; line its dash up with the others ({_spaces(column)})",
        )
    return node


def _split(line: str) -> tuple[int, bool, int, str]:
    """A YAML line's indentation, whether it is a list item ("- "), the column its text starts at, and its text."""
    match = _LINE.fullmatch(line)
    assert match is not None  # every line matches: each part may be empty
    return len(match["indent"]), match["dash"] is not None, match.start("rest"), match["rest"].rstrip()


def _entry(rest: str) -> tuple[str, str] | None:
    """(key, value) of a `key: value` line's text (the value without a comment), or None."""
    match = _KEY.match(rest)
    if not match:
        return None
    value = re.sub(r"(^|\s)#.*", "", match["value"] or "").strip()
    return match["key"].strip("'\""), value


def _is_content(line: str) -> bool:
    stripped = line.strip()
    return bool(stripped) and not stripped.startswith("#")


def _previous(lines: list[str], index: int) -> int | None:
    """The nearest line above that holds YAML (not blank, not a comment)."""
    return next((i for i in range(index - 1, -1, -1) if _is_content(lines[i])), None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _spaces(count: int) -> str:
    return "1 space" if count == 1 else f"{count} spaces"


def colon_without_space(line: str) -> str | None:
    """`title:Cat Cow` as `title: Cat Cow` when a line is a field's name and value with no space
    after the colon (YAML then reads it all as text), else None."""
    _, _, _, rest = _split(line)
    match = _NO_SPACE_AFTER_COLON.fullmatch(rest)  # one line only: "." does not match a line break
    return f"{match['key']}: {match['value']}" if match else None


def quoted_whole(text: str) -> str:
    """A text in straight quotes, as YAML reads it back unchanged: "…", or '…' when it holds a " or a \\."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def reads_as_typed(text: str) -> bool:
    """Whether YAML reads the text, written without quotes as a field's value, as this same text."""
    try:
        node = yaml.compose(f"value: {text}", Loader=_Loader)
    except yaml.YAMLError:
        return False
    value = node.value[0][1] if isinstance(node, yaml.MappingNode) and node.value else None
    return isinstance(value, yaml.ScalarNode) and value.tag == "tag:yaml.org,2002:str" and value.value == text


def _field_at(lines: list[str], index: int) -> str | None:
    """The field a line belongs to, named as the build names fields ("dosage.reps", "steps item 2"),
    told from the indentation of the lines above; None when they do not tell."""
    _, dash, _, rest = _split(lines[index])
    entry = _entry(rest) or _NO_SPACE_AFTER_COLON.fullmatch(rest) or (None if dash else _NO_COLON.fullmatch(rest))
    names = [entry[0] if isinstance(entry, tuple) else entry["key"]] if entry else []  # innermost first
    first = True
    while True:
        indent, dash, column, _ = _split(lines[index])
        dash = dash or (first and _NO_SPACE_AFTER_DASH.fullmatch(lines[index]) is not None)  # "-Do it": an item
        first = False
        above = index
        if dash:  # a list item: count the items above it, up to the line naming the list
            number = 1
            while (above := _previous(lines, above)) is not None:
                other, other_dash, _, _ = _split(lines[above])
                if other < indent or (other == indent and not other_dash):
                    break
                number += other == indent
            names.append(f" item {number}")
        elif indent == 0:
            break
        else:  # a field: the line above, less indented, that opens its group
            while (above := _previous(lines, above)) is not None:
                _, other_dash, other_column, other_rest = _split(lines[above])
                if other_dash and other_column == column and _entry(other_rest):  # "- key: value": the same item
                    break
                if other_column < column:
                    found = _entry(other_rest)
                    if found and not found[1]:
                        break
                    if other_dash:
                        return None
            if above is not None and other_dash and other_column == column and _entry(other_rest):
                index = above
                continue
        if above is None:
            return None
        found = _entry(_split(lines[above])[3])
        if found is None or found[1]:  # not a line opening a group or a list
            return None
        names.append(found[0])
        index = above
    path = ""
    for name in reversed(names):
        path = path + name if name.startswith(" ") or not path else f"{path}.{name}"
    return path or None


def joined_items(node: yaml.Node, lines: list[str]) -> list[tuple[int, str, int]]:
    """(line, list's field, column of its dashes) of each "- " line YAML took as more text of the item above,
    because it is indented more than that item's dash: `  - a` then `   - b` is one item, "a - b"."""
    found = []

    def visit(node: yaml.Node, name: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                key_name = key.value if isinstance(key, yaml.ScalarNode) else "?"
                visit(value, f"{name}.{key_name}" if name else key_name)
        elif isinstance(node, yaml.SequenceNode):
            for number, item in enumerate(node.value, start=1):
                if isinstance(item, yaml.ScalarNode) and not item.style and not node.flow_style:
                    for line in range(item.start_mark.line + 1, min(item.end_mark.line + 1, len(lines))):
                        if _split(lines[line])[1]:
                            found.append((line, name, node.start_mark.column))
                visit(item, f"{name} item {number}")

    visit(node, "")
    return found


def yaml_problem(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str | None, str]:
    """The line (counted from 0) of a YAML syntax error, its field when the lines tell, and what to do."""
    problem = exc.problem or "not valid YAML"
    lines = text.split("\n")
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else None
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return line, None, "a tab is used for indentation; indent with spaces"
    for index in range(min(line + 1, len(lines)) if line is not None else 0):
        told = _mixed_quotes(lines[index])
        if told:
            return index, _field_at(lines, index), told
    if exc.context == "while scanning a simple key" and exc.context_mark is not None:
        # A line that YAML took for text and found no ": " after: the mistake is on that line.
        line = exc.context_mark.line
        told = _dash_without_space(lines[line]) or _colon_without_space_message(lines[line])
        if told:
            return line, _field_at(lines, line), told
    elif "mapping values are not allowed" in problem and line is not None and line < len(lines):
        indented = _indented_more(lines, line)
        if indented:
            return line, _field_at(indented[1], line), indented[0]
        for index in range(line, -1, -1):  # a "key:value" line whose value went on to this line
            if not _is_content(lines[index]):
                continue
            told = _colon_without_space_message(lines[index])
            if told:
                return index, _field_at(lines, index), told
            if index < line and (_split(lines[index])[1] or _entry(_split(lines[index])[3])):
                break
        return line, None, "YAML syntax error: a ': ' inside a value; put the value in quotes"
    elif line is not None and line < len(lines):
        told = _partly_quoted(lines[line])
        if told:
            return line, _field_at(lines, line), told
        indented = _indented_more(lines, line)
        if indented:
            return line, _field_at(indented[1], line), indented[0]
    context = f" {exc.context}" if exc.context else ""
    return line, None, f"YAML syntax error:{context} {problem}".replace("  ", " ").strip()


def _colon_without_space_message(line: str) -> str | None:
    fixed = colon_without_space(line)
    if fixed:
        return f"put a space after the colon: {quoted_whole(fixed)}"
    _, dash, _, rest = _split(line)
    match = _NO_COLON.fullmatch(rest) if not dash and not _entry(rest) else None
    if match:
        return f'put a colon after the field\'s name: {quoted_whole(match["key"] + ": " + match["value"].strip())}'
    return None


def _dash_without_space(line: str) -> str | None:
    """`-Do not force it` in a list: YAML reads it as text, not as an item."""
    match = _NO_SPACE_AFTER_DASH.fullmatch(line.rstrip())
    if not match:
        return None
    return f"put a space after the dash: {quoted_whole('- ' + match['value'].strip())}"


def _indented_more(lines: list[str], index: int) -> tuple[str, list[str]] | None:
    """A field or list item indented more than the one above it, which has a value, so YAML takes the
    line for more of that value (`  sets: 2` then `   reps: 10`): what to do, and the lines as they
    would be with the line lined up."""
    above = _previous(lines, index)
    if above is None:
        return None
    indent, dash, column, rest = _split(lines[index])
    other, other_dash, other_column, other_rest = _split(lines[above])
    entry, other_entry = _entry(rest), _entry(other_rest)
    if dash and other_dash and indent > other and not other_entry:  # "  - a" then "   - b"
        told = (f"this item is indented {_spaces(indent)}, more than the one above it; line its dash up with "
                f"the others ({_spaces(other)})")
        expected = other
    elif dash or not entry or not _FIELD_NAME.fullmatch(entry[0]) or not other_entry or not other_entry[1]:
        return None  # only a field after a field with a value: other lines may be text that goes on
    elif indent <= other_column:
        return None
    else:
        told = (f"this line is indented {_spaces(indent)}, more than the line above it; line it up with that line "
                f"({_spaces(other_column)})")
        expected = other_column
    lined_up = [*lines[:index], " " * expected + lines[index].lstrip(" "), *lines[index + 1:]]
    return told, lined_up


def _partly_quoted(line: str) -> str | None:
    """`- "Don't" force it` or `text: 'It's fine'`: quotes that close before the text ends."""
    lead, value = _lead_and_value(line)
    if len(value) < 2 or value[0] not in "\"'":
        return None
    end = _closing_quote(value)
    if end is None or not re.sub(r"(^|\s)#.*", "", value[end + 1:]).strip():
        return None  # quoted whole (a comment may follow)
    if value.endswith(value[0]):  # meant to be quoted whole: a quote inside closed the quotes
        whole = value[1:-1].replace("''", "'") if value[0] == "'" else value[1:-1]
        told = f'the {value[0]} after "{value[1:end]}" ends the quoted text early'
    else:  # a quote followed by a letter was an apostrophe ('Don't), not the end of the quotes
        kept = value[end] if value[end + 1:end + 2].isalnum() else ""
        whole = value[1:end] + kept + re.sub(r"\s#.*", "", value[end + 1:]).rstrip()
        told = "a quoted text must be quoted whole"
    plain = " or leave out the quotes" if reads_as_typed(whole) else ""
    return f"{told}: write {lead}{quoted_whole(whole)}{plain}"


def _lead_and_value(line: str) -> tuple[str, str]:
    """What goes before a line's value ("- ", "title: ", "- note: ") and the value as written."""
    _, dash, _, rest = _split(line)
    entry = _entry(rest)
    lead = "- " if dash else ""
    if entry:
        return f"{lead}{entry[0]}: ", rest.split(":", 1)[1].strip()
    return lead, rest.strip()


def _closing_quote(value: str) -> int | None:
    """Where the quoted text opening `value` closes."""
    quote, index = value[0], 1
    while index < len(value):
        char = value[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and value[index + 1:index + 2] == "'":  # '' is a ' inside single quotes
                index += 2
                continue
            return index
        index += 1
    return None


def _mixed_quotes(line: str) -> str | None:
    """`title: "Cat Cow”`: a straight quote opened, a curly one typed to close it; YAML reads on to the
    next straight quote, lines below."""
    lead, value = _lead_and_value(line)
    if len(value) < 2 or value[0] not in "\"'" or value[0] in value[1:] or value[-1] not in "\u201c\u201d\u2018\u2019":
        return None
    return (f"the quotes do not match: {value[0]} opens the text and {value[-1]} (a curly quote, which your editor "
            f"typed) closes it; use straight quotes at both ends: {lead}{quoted_whole(value[1:-1])}")
