"""Will an exercise sheet print on one page? An estimate of its printed height, made at build time.

The theme declares the measures of its printed sheets (`print-measures.yaml`): the printable
area, and spacings from roomiest to tightest (type stays at 12 pt in all). The build picks the
roomiest spacing whose estimated height fits, and warns when even the tightest does not.

The estimate counts lines from text length at a conservative average character width, so it
errs towards tighter spacing; tests print real sheets in Chromium to keep it honest.
"""

from __future__ import annotations

import gettext
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import yaml

from site_gen.content.words import ENGLISH

if TYPE_CHECKING:
    from collections.abc import Callable

    from site_gen.kinds.dosage import Dosage
    from site_gen.kinds.exercise import Exercise
    from site_gen.kinds.program import Program

PT = 96 / 72  # CSS pixels per point


@dataclass(frozen=True)
class Spacing:
    name: str
    line_height: float  # as in the print stylesheet's .sheet-<name>
    item_gap: float  # px between list items
    fixed: float  # px of everything whose size does not depend on the text: headings, QR code, notes, borders
    pictures: bool = True  # prints the lead pictures (the last resort of a theme may leave them to the screen)


@dataclass(frozen=True)
class PrintMeasures:
    """The measures a theme declares of its printed sheets (its print-measures.yaml)."""

    page_width: float
    page_height: float
    char_width_em: float
    spacings: tuple[Spacing, ...]  # roomiest first
    parts: dict[str, dict[str, float]]  # each part of a sheet: its type `size` (pt) and `indent` (px)
    own_lines: dict[str, int]  # lines of the theme's own words that grow a sheet
    cover: dict[str, Any]  # the packet cover's measures
    # The lead pictures beside the title and summary: each one's `width`, the `gap` between them and
    # the `margin` to the text, and their `height` with captions. None: the theme prints no pictures.
    pictures: dict[str, float] | None = None

    @classmethod
    def from_yaml(cls, text: str) -> "PrintMeasures":
        """Read a theme's print-measures.yaml; a ValueError says what is wrong."""
        try:
            data = yaml.safe_load(text)
            return cls(float(data["page_width"]), float(data["page_height"]), float(data["char_width_em"]),
                       tuple(Spacing(name, float(values["line_height"]), float(values["item_gap"]),
                                     float(values["fixed"]), bool(values.get("pictures", True)))
                             for name, values in data["spacings"].items()),
                       data["parts"], data["own_lines"], data["cover"],
                       {key: float(data["pictures"][key]) for key in ("width", "gap", "margin", "height")}
                       if "pictures" in data else None)
        except (yaml.YAMLError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"not the measures of printed sheets ({type(exc).__name__}: {exc}); see the default "
                             "theme's print-measures.yaml") from None

    def beside_pictures(self, count: int) -> float:
        """The width `count` lead pictures take from the title and summary beside them, in px."""
        if not count or not self.pictures:
            return 0
        pictures = self.pictures
        return count * pictures["width"] + (count - 1) * pictures["gap"] + pictures["margin"]

    def lines(self, text: str, part: dict[str, float]) -> int:
        """Lines the text wraps to, word by word, in the page width less the part's indent (or the
        part's own width), at the part's own character width if it has one (bold type is wider)."""
        width = part.get("width", self.page_width - part.get("indent", 0))
        char_width = part.get("char_width_em", self.char_width_em)
        chars_per_line = max(8, int(width / (part["size"] * PT * char_width)))
        if len(text) <= chars_per_line:  # most steps and notes: one line, without counting word by word
            return 1
        lines, used = 1, 0
        for word in text.split():
            if used and used + 1 + len(word) > chars_per_line:
                lines, used = lines + 1, 0
            used += (1 if used else 0) + len(word)
            while used > chars_per_line:  # a word longer than a line breaks anywhere
                lines, used = lines + 1, used - chars_per_line
        return lines


def estimate_height(exercise: Exercise, dosage: Dosage, blank: bool, spacing: Spacing, measures: PrintMeasures,
                    note: str | None = None, words: gettext.NullTranslations = ENGLISH) -> float:
    """Estimated printed height of a sheet in px, at a given spacing, its dosage said in `words`."""
    parts, own = measures.parts, measures.own_lines

    def text(texts: list[str], part: str | dict[str, float], extra_lines: int = 0) -> float:
        measure = parts[part] if isinstance(part, str) else part
        lines = sum(measures.lines(line, measure) for line in texts) + extra_lines
        return lines * measure["size"] * PT * spacing.line_height + (len(texts) + extra_lines) * spacing.item_gap

    # The lead pictures narrow the title and summary beside them, and the header is at least their height.
    beside = measures.beside_pictures(len(exercise.pictures) if spacing.pictures else 0)
    header = sum(text([line], {**parts[part], "indent": parts[part].get("indent", 0) + beside})
                 for line, part in ((exercise.title, "title"), (exercise.summary, "summary")))
    if beside:
        header = max(header, measures.pictures["height"])

    if blank:
        dosage_text = text([dosage.blank_sentence(words)], "dosage", own["blank_note"])
    else:
        note_lines = own["dosage_note"] if dosage.set_by_therapist() else 0
        dosage_text = text([dosage.sentence(words), *["row"] * math.ceil(len(dosage.rows()) / 2)], "dosage", note_lines)
    return spacing.fixed + sum((
        header,
        # A program's note is written on the first ruled line of the notes area; only more lines add height.
        text([note], "note") - text(["one line"], "note") if note else 0,
        dosage_text,
        text(["x" * int(parts["equipment"].get("label_chars", 0)) + ", ".join(exercise.equipment)],
             "equipment"),
        text(list(exercise.steps), "steps"),
        text(list(exercise.safety), "safety", own["safety"]),
    ))


def choose_spacing(exercise: Exercise, dosage: Dosage, measures: PrintMeasures, blank: bool = False,
                   note: str | None = None, words: gettext.NullTranslations = ENGLISH) -> str | None:
    """The roomiest spacing that fits one page, or None when none does."""
    for spacing in measures.spacings:
        if estimate_height(exercise, dosage, blank, spacing, measures, note, words) <= measures.page_height:
            return spacing.name
    return None


def tightest(names: list[str], measures: PrintMeasures) -> str:
    """The tightest of some spacings, by name."""
    order = [spacing.name for spacing in measures.spacings]
    return max(names, key=order.index)


def estimate_cover_height(program: Program, measures: PrintMeasures,
                          group_names: Callable[[Exercise], tuple[str, ...]] | None = None,
                          words: gettext.NullTranslations = ENGLISH) -> float:
    """Estimated printed height of a program's cover in px: header, exercise list and tracker.
    `group_names` gives the names of an exercise's groups, which its line in the list ends with."""
    cover = measures.cover
    listed, label, often = cover["list"], cover["tracker_label"], cover["tracker_often"]
    label_line = label["size"] * PT * label["line_height"]
    height = cover["fixed"]
    for item in program.items:
        dosage = item.dosage
        # Without the groups' names, a typical length: the longest of them wrap a line more.
        if group_names is not None:
            names = ", ".join(group_names(item.exercise))
        else:
            names = "x" * int(listed["group_chars"]) if item.exercise.topics else ""
        groups = f" ({names})" if names else ""
        height += (measures.lines(f"{item.exercise.title}{groups}: {dosage.sentence(words)}", listed)
                   * listed["size"] * PT * listed["line_height"] + listed.get("item_gap", 0))
        lines = measures.lines(item.exercise.title, label) + measures.lines(dosage.tracker_label(words), often)
        # Lines of marks, each a mark and the gap below it, less the gap below the last.
        mark_lines = math.ceil(dosage.tracker_marks() / cover["marks_per_line"])
        marks = mark_lines * cover["mark_height"] - (cover.get("mark_gap", 0) if mark_lines else 0)
        height += max(lines * label_line, marks) + cover["row_gap"]
        if item.exercise.measure:
            height += measures.lines(item.exercise.measure.what, label) * label_line + cover["row_gap"]
    return height


def cover_fits(program: Program, measures: PrintMeasures,
               group_names: Callable[[Exercise], tuple[str, ...]] | None = None,
               words: gettext.NullTranslations = ENGLISH) -> bool:
    """Whether a program's cover is estimated to fit its page (the cover's own height, if the theme gives one)."""
    height = estimate_cover_height(program, measures, group_names, words)
    return height <= float(measures.cover.get("height", measures.page_height))
