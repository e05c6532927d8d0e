"""Content errors and warnings, collected over a whole build and reported together."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, with where it is and what is allowed."""

    path: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


@dataclass
class Problems:
    """Collects every error and warning of a build, so staff see them all at once."""

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def error(self, path: str, line: int | None, field_name: str | None, message: str) -> None:
        self.errors.append(Problem(path, line, field_name, message))

    def warning(self, path: str, line: int | None, field_name: str | None, message: str) -> None:
        self.warnings.append(Problem(path, line, field_name, message))

    def extend(self, other: "Problems") -> None:
        self.errors.extend(other.errors)
        self.warnings.extend(other.warnings)


class BuildFailed(Exception):
    """The build stopped because of content errors (or warnings under --strict)."""

    def __init__(self, problems: Iterable[Problem], warnings: Iterable[Problem] = ()):
        self.problems = sorted(set(problems), key=_sort_key)
        self.warnings = sorted(set(warnings), key=_sort_key)
        super().__init__("\n".join(str(p) for p in self.problems))


def _sort_key(problem: Problem) -> tuple:
    return (problem.path, problem.line or 0, problem.field or "", problem.message)


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to a misspelt word, if any is close."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "title"?)' when a close match exists, else ''."""
    match = closest(word, choices)
    return f' (did you mean "{match}"?)' if match else ""


def one_of(choices: Iterable[str]) -> str:
    """A readable list of allowed values: 'a, b or c'."""
    items = list(choices)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]
