"""Typed fields read from YAML nodes, each error naming the file, line and field.

Values are read from the text as written (`node.value`), never from PyYAML's guess at a type,
so a value YAML would silently change (`8:30` → 510, `no` → False, `01234` → 668) is caught
and the message asks for quotes. The curly quotes and non-breaking spaces word processors and
phones type are typography inside prose and stay; around a value, or anywhere in a code (a
number, a date, a phone number, a choice), they are a mistake, and the message says what to type.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Callable, Mapping, Sequence, TypeVar

import yaml

from site_gen.content.problems import Problems, closest, did_you_mean, one_of
from site_gen.content.sourcefile import HIDDEN_CONTROL
from site_gen.content.typography import typed_marks
from site_gen.content.yaml_reading import colon_without_space, quoted_whole

T = TypeVar("T")

_TAG = "tag:yaml.org,2002:"
_WHOLE = re.compile(r"[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Fields:
    """The fields of one YAML mapping, read with types; problems are recorded, not raised."""

    def __init__(
        self,
        node: yaml.Node,
        path: str,
        first_line: int,
        problems: Problems,
        allowed: Sequence[str],
        prefix: str = "",
        retired: Mapping[str, str | Callable[[yaml.Node], str]] | None = None,
    ) -> None:
        self.path = path
        self.first_line = first_line  # file line of YAML line 0
        self.problems = problems
        self.prefix = prefix
        self.node = node
        self._values: dict[str, yaml.Node] = {}
        self._misspelt: set[str] = set()  # fields an unknown key was taken for: not also "missing"
        # A block whose fields are all empty, as the scaffold writes them: (line, name, message) told once,
        # in place of a "missing" for each of its fields; set by child_of.
        self._blank: tuple[int, str, str] | None = None
        self._blank_told = False
        if not isinstance(node, yaml.MappingNode):
            self.problems.error(path, self._line(node), prefix.rstrip(".") or None, "expected key: value lines (a mapping)")
            return
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else ""
            if retired and key in retired:  # a field of an older format: say what replaces it
                message = retired[key]
                self.problems.error(path, self._line(key_node), prefix + key,
                                    message if isinstance(message, str) else message(value_node))
            elif key not in allowed:
                suggestion = closest(key, allowed)
                hint = f' (did you mean "{suggestion}"?)' if suggestion else f"; allowed: {', '.join(allowed)}"
                self.problems.error(path, self._line(key_node), prefix + key, f"unknown field{hint}")
                self._misspelt.add(suggestion)
            elif key in self._values:
                self.problems.error(path, self._line(key_node), prefix + key, "given twice; keep one")
            else:
                self._values[key] = value_node

    # -- where things are ------------------------------------------------------------------

    def _line(self, node: yaml.Node) -> int:
        return self.first_line + node.start_mark.line

    def line(self, key: str | None = None) -> int:
        """File line of a field's value, or of the mapping itself."""
        node = self._values.get(key) if key else None
        return self._line(node if node is not None else self.node)

    def name(self, key: str) -> str:
        return self.prefix + key

    def error(self, key: str, message: str, node: yaml.Node | None = None) -> None:
        """Record an error against a field (or one of its items)."""
        line = self._line(node) if node is not None else self.line(key)
        self.problems.error(self.path, line, self.name(key), message)

    def has(self, key: str) -> bool:
        node = self._values.get(key)
        return node is not None and not _is_null(node)

    def raw(self, key: str) -> yaml.Node | None:
        """The node of a field that needs its own parsing, or None when not given."""
        return self._values.get(key) if self.has(key) else None

    def _missing(self, key: str, required: bool, expected: str) -> None:
        if not required or key in self._misspelt:
            return
        if self._blank is not None:
            if not self._blank_told:
                self.problems.error(self.path, *self._blank)
                self._blank_told = True
            return
        self.problems.error(self.path, self.line(key), self.name(key), f"missing; expected {expected}")

    # -- scalar values ---------------------------------------------------------------------

    def text(self, key: str, required: bool = True, code: bool = False, example: str | None = None) -> str | None:
        """A non-empty piece of text (see text_of for `code` and `example`)."""
        node = self.raw(key)
        if node is None:
            self._missing(key, required, "text")
            return None
        return self.text_of(node, key, code=code, example=example)

    def text_of(self, node: yaml.Node, key: str, code: bool = False, example: str | None = None) -> str | None:
        """Text from a scalar node, refusing values YAML would have changed, and the curly quotes and
        look-alike spaces an editor types around a value (inside prose they are typography and stay).

        `code`: the text is a code, not prose (a postal code, opening hours): a curly quote or a
        non-breaking space anywhere in it is a mistake. `example`: what to write when YAML changed the
        value and quoting it as typed would not do either, completing "write …", such as
        'opening hours in quotes, such as "08:30-17:00", or closed'."""
        if not isinstance(node, yaml.ScalarNode):
            self.error(key, _as_text(node, self._in_list(node)) or f"expected text, got {_kind(node)}", node)
            return None
        value = node.value
        if not node.style:  # plain, unquoted: YAML may have read it as something else
            changed = _yaml_reading(node)
            if changed:
                fix = f"write {example}" if example else f'put it in quotes: "{value}"'
                self.error(key, f"got {value}, which YAML reads as {changed}; {fix}", node)
                return None
        if _is_null(node):
            self.error(key, "missing; expected text", node)
            return None
        value = value.strip()
        if not value:
            self.error(key, "must not be empty", node)
            return None
        hidden = HIDDEN_CONTROL.search(value)
        if hidden:
            self.error(key, f"contains an invisible control character (U+{ord(hidden.group()):04X}) that can "
                            "hide or reorder text; delete it and type the text again", node)
            return None
        typed = typed_marks(node.value, code)
        if typed:
            self.error(key, typed, node)
            return None
        return value

    def _in_list(self, node: yaml.Node) -> bool:
        """Whether a node is an item of a list in this mapping."""
        seen: list[yaml.Node] = [self.node]
        while seen:
            parent = seen.pop()
            if isinstance(parent, yaml.SequenceNode) and any(item is node for item in parent.value):
                return True
            if isinstance(parent, yaml.SequenceNode):
                seen.extend(parent.value)
            elif isinstance(parent, yaml.MappingNode):
                seen.extend(value for _, value in parent.value)
        return False

    def parsed(self, key: str, parse: Callable[[str], T], required: bool = True) -> T | None:
        """A text field run through a parser from `values`; its ValueError is the message."""
        text = self.text(key, required=required, code=True)
        if text is None:
            return None
        try:
            return parse(text)
        except ValueError as exc:
            self.error(key, str(exc))
            return None

    def choice(self, key: str, choices: Sequence[str], required: bool = True) -> str | None:
        """One of a fixed set of words."""
        node = self.raw(key)
        if node is None:
            self._missing(key, required, f"one of {one_of(choices)}")
            return None
        value = self.text_of(node, key, code=True)
        if value is not None and value not in choices:
            self.error(key, f'"{value}" is not allowed{did_you_mean(value, choices)}; expected one of {one_of(choices)}', node)
            return None
        return value

    def whole_number(self, key: str, minimum: int = 1, required: bool = False) -> int | None:
        """A whole number of at least `minimum`; quoted digits are accepted."""
        node = self.raw(key)
        if node is None:
            self._missing(key, required, "a whole number")
            return None
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        typed = typed_marks(raw, code=True, bare=True) if raw is not None else None
        if typed:
            self.error(key, typed, node)
            return None
        tag = node.tag.removeprefix(_TAG)
        if raw is not None and tag in ("int", "str") and _WHOLE.fullmatch(raw.strip()) and not _changed_int(node):
            number = int(raw.strip())
        elif raw is not None and tag == "int" and raw.startswith("-") and _WHOLE.fullmatch(raw[1:]):
            number = int(raw)
        else:
            shown = f'"{raw}"' if raw is not None and tag == "str" else (raw if raw is not None else _kind(node))
            self.error(key, f"expected a whole number, got {shown}", node)
            return None
        if number < minimum:
            self.error(key, f"expected a whole number of {minimum} or more, got {number}", node)
            return None
        return number

    def number(self, key: str, low: float, high: float, required: bool = True) -> float | None:
        """A decimal number within [low, high]."""
        node = self.raw(key)
        if node is None:
            self._missing(key, required, f"a number from {low:g} to {high:g}")
            return None
        raw = node.value if isinstance(node, yaml.ScalarNode) else None
        typed = typed_marks(raw, code=True, bare=True) if raw is not None else None
        if typed:
            self.error(key, typed, node)
            return None
        try:
            number = float(raw) if raw is not None and node.tag.removeprefix(_TAG) in ("int", "float") else None
        except ValueError:
            number = None
        if number is None or number != number:  # rejects NaN too
            shown = f'"{raw}"' if raw is not None else _kind(node)
            self.error(key, f"expected a number from {low:g} to {high:g}, got {shown}", node)
            return None
        if not low <= number <= high:
            self.error(key, f"expected a number from {low:g} to {high:g}, got {raw}", node)
            return None
        return number

    def boolean(self, key: str, default: bool = False) -> bool:
        """true or false."""
        node = self.raw(key)
        if node is None:
            return default
        if node.tag == _TAG + "bool":
            return node.value.lower() in ("true", "yes", "on", "y")
        typed = typed_marks(node.value, code=True, bare=True) if isinstance(node, yaml.ScalarNode) else None
        if typed:
            self.error(key, typed, node)
            return default
        shown = f'"{node.value}"' if isinstance(node, yaml.ScalarNode) else _kind(node)
        self.error(key, f"expected true or false, got {shown}", node)
        return default

    def date(self, key: str, required: bool = True) -> dt.date | None:
        """A calendar date written as YYYY-MM-DD."""
        node = self.raw(key)
        if node is None:
            self._missing(key, required, "a date like 2026-11-01")
            return None
        return self.date_of(node, key)

    def date_of(self, node: yaml.Node, key: str) -> dt.date | None:
        typed = typed_marks(node.value, code=True, bare=True) if isinstance(node, yaml.ScalarNode) else None
        if typed:
            self.error(key, typed, node)
            return None
        raw = node.value.strip() if isinstance(node, yaml.ScalarNode) else None
        if raw is not None and _DATE.fullmatch(raw):
            try:
                return dt.date.fromisoformat(raw)
            except ValueError:
                pass  # e.g. 2026-02-30: reported below
        shown = f'"{raw}"' if raw is not None else _kind(node)
        self.error(key, f"expected a date like 2026-11-01, got {shown}", node)
        return None

    # -- collections -----------------------------------------------------------------------

    def items(self, key: str, required: bool = True, allow_empty: bool = False) -> list[yaml.Node]:
        """The item nodes of a list field (empty when missing or wrong)."""
        node = self.raw(key)
        if node is None:
            if required and not (allow_empty and key in self._values):
                self._missing(key, True, "a list, one \"- item\" per line" + (" (or [] for none)" if allow_empty else ""))
            return []
        if not isinstance(node, yaml.SequenceNode):
            if isinstance(node, yaml.ScalarNode) and not node.style and re.match(r"-[^\s-]", node.value):  # "-Do it"
                first = quoted_whole("- " + node.value[1:].split(" - ")[0])
                self.error(key, f'expected a list, one "- item" per line; put a space after the dash: {first}', node)
            else:
                self.error(key, f'expected a list, one "- item" per line, got {_kind(node)}', node)
            return []
        if not node.value and not allow_empty:
            self.error(key, "the list is empty; give at least one item", node)
        return list(node.value)

    def text_list(self, key: str, required: bool = True, allow_empty: bool = False) -> tuple[str, ...]:
        """A list of non-empty texts."""
        values = []
        for index, item in enumerate(self.items(key, required, allow_empty), start=1):
            value = self.text_of(item, f"{key} item {index}")
            if value is not None:
                values.append(value)
        return tuple(values)

    def entries(self, key: str, expected: str) -> list[tuple[str, yaml.Node, yaml.Node]]:
        """The (name, key node, value node) of each line of a field written as `name: value` lines,
        whose names are the content's own (services, groups); `expected` says how to write it."""
        node = self.raw(key)
        if node is None:
            return []
        if not isinstance(node, yaml.MappingNode):
            self.error(key, expected, node)
            return []
        return [(name, key_node, value_node) for key_node, value_node in node.value
                if (name := self.text_of(key_node, key)) is not None]

    def child(self, key: str, allowed: Sequence[str], required: bool = True,
              retired: Mapping[str, str] | None = None) -> "Fields | None":
        """A nested mapping, read with its own allowed keys (and `retired` ones, each with its message)."""
        node = self.raw(key)
        if node is None:
            self._missing(key, required, f"fields {', '.join(allowed)}")
            return None
        return self.child_of(node, key, allowed, retired, optional=not required)

    def child_of(self, node: yaml.Node, key: str, allowed: Sequence[str],
                 retired: Mapping[str, str] | None = None, optional: bool = True) -> "Fields | None":
        """A nested mapping; when all its fields are empty and one it needs is missing, one message says
        to fill them in (or, when `optional`, to delete the block) in place of one for each field."""
        if not isinstance(node, yaml.MappingNode):
            fixed = colon_without_space(node.value) if isinstance(node, yaml.ScalarNode) and not node.style else None
            if fixed and fixed.partition(":")[0] in allowed:  # "reps:10": YAML read it all as text
                self.error(key, f"put a space after the colon: {quoted_whole(fixed)}", node)
            else:
                self.error(key, f"expected fields ({', '.join(allowed)}), got {_kind(node)}", node)
            return None
        child = Fields(node, self.path, self.first_line, self.problems, allowed, prefix=self.name(key) + ".",
                       retired=retired)
        if node.value and all(_is_null(value) for _, value in node.value):
            names = [name.value for name, _ in node.value if isinstance(name, yaml.ScalarNode)]
            written = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)
            pairs = self.node.value if isinstance(self.node, yaml.MappingNode) else ()
            key_node = next((name for name, value in pairs if value is node), None)
            if self._in_list(node):
                delete = ", or delete the item"
            else:
                delete = f", or delete the {key.rpartition('.')[2]} block" if optional else ""
            child._blank = (self._line(key_node if key_node is not None else node), self.name(key),
                            f"fill in {written}{delete}")
        return child


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == _TAG + "null"


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a group of fields"
    return f'"{node.value}"'


def _changed_int(node: yaml.ScalarNode) -> bool:
    """An unquoted number YAML 1.1 reads differently from how it looks: 8:30, 01234, 0x1F."""
    raw = node.value.lstrip("+-")
    return node.tag == _TAG + "int" and (":" in raw or "_" in raw or (len(raw) > 1 and raw[0] == "0"))


def _yaml_reading(node: yaml.ScalarNode) -> str | None:
    """What YAML makes of a plain scalar, when that differs from the text as written."""
    if node.tag == _TAG + "bool":
        return "true" if node.value.lower() in ("true", "yes", "on", "y") else "false"
    if _changed_int(node):
        return f"the number {yaml.safe_load(node.value)}"
    return None


def _as_text(node: yaml.Node, in_list: bool) -> str | None:
    """The message for `- Note: do not force it`, which YAML reads as a field and its value, not as text."""
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return None
    name, value = node.value[0]
    if not all(isinstance(part, yaml.ScalarNode) and not part.style for part in (name, value)):
        return None
    if name.value.islower() and " " not in name.value and " " not in value.value:
        return None  # "knee-care: strength" is a field written where text was expected, not text with a colon
    told = f'the ": " after "{name.value}" makes YAML read this {"item " if in_list else ""}as a field'
    whole = quoted_whole(f"{name.value}: {value.value}".rstrip())
    return f"{told}; put the whole item in quotes: - {whole}" if in_list else f"{told}; put it all in quotes: {whole}"
