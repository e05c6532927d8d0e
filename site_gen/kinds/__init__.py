"""The kinds of pages a site is made of, each one unit (its module here): its model, how its files
are read, the pages it publishes and what the checks and search engines are told of them.

To add a kind, write its module and put its KIND in KINDS (see docs/architecture.md).
"""

from __future__ import annotations

from typing import Any

from site_gen.kinds import clinic, exercise, home, program, topic
from site_gen.kinds.kind import Kind

# In the order they are loaded (a kind may use the items of those before it) and published.
KINDS: tuple[Kind, ...] = (home.KIND, topic.KIND, exercise.KIND, clinic.KIND, program.KIND)
_BY_MODEL = {kind.model: kind for kind in KINDS}


def _check_registry() -> None:
    """Each kind once, by a name and a model of its own: a mistake here fails at start-up, not in a build."""
    for attribute in ("name", "plural", "model"):
        values = [getattr(kind, attribute) for kind in KINDS]
        duplicates = sorted({str(value) for value in values if values.count(value) > 1})
        if duplicates:
            raise RuntimeError(f"site_gen.kinds: two kinds share a {attribute}: {', '.join(duplicates)}")


_check_registry()


def kind_of(item: Any) -> Kind:
    """The kind an item of the content belongs to."""
    try:
        return _BY_MODEL[type(item)]
    except KeyError:
        raise RuntimeError(f"{type(item).__name__} belongs to no kind in site_gen.kinds.KINDS") from None
