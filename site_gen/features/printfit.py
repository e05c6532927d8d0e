"""Will an exercise sheet print on one page? An estimate of its printed height, made at build time.

The print stylesheet has three spacings: normal, compact and tight (type stays at 12 pt in all).
The build picks the roomiest one whose estimated height fits the smaller of US Letter and A4
(A4's narrower width, Letter's shorter height), and warns when even tight does not fit.

The estimate counts lines from text length at a conservative average character width, so it
errs towards tighter spacing; tests print real sheets in Chromium to keep it honest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from site_gen.kinds.dosage import Dosage
    from site_gen.kinds.exercise import Exercise
    from site_gen.kinds.program import Program

# The printable area: A4's width and Letter's height, less the stylesheet's 0.5 in margins (96 px/in).
PAGE_WIDTH_PX = (8.27 - 1.0) * 96
PAGE_HEIGHT_PX = 9.9 * 96  # the sheet's height in the print stylesheet, inside 0.5 in margins
CHAR_WIDTH_EM = 0.52  # DejaVu Sans, a wide system font, measured in Chromium: no step wrapped to more lines than counted
PT = 96 / 72  # px per point
# The cover's parts that do not grow with the program: clinic line, title, name and date blanks,
# headings, tracker caption and head, footer. Measured on the shipped cover (438 px), plus 30 px.
COVER_FIXED = 468.0


@dataclass(frozen=True)
class Spacing:
    name: str
    line_height: float  # as in the print stylesheet's .sheet-<name>
    item_gap: float  # px between list items
    fixed: float  # px of everything whose size does not depend on the text: headings, QR code, notes, borders


# `fixed` is measured: sheets of 4 to 14 steps printed in Chromium (with DejaVu Sans, a wide font),
# fitted as height = fixed + 1.01 × estimated text, plus the largest error seen (about 30 px).
SPACINGS = (
    Spacing("normal", 1.3, 4, 455),
    Spacing("compact", 1.22, 1.3, 455),
    Spacing("tight", 1.15, 0, 400),
)


def _lines(text: str, font_pt: float, indent_px: float = 0) -> int:
    """Lines the text wraps to, word by word, in the page width less an indent."""
    chars_per_line = max(8, int((PAGE_WIDTH_PX - indent_px) / (font_pt * PT * CHAR_WIDTH_EM)))
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


def estimate_height(exercise: Exercise, dosage: Dosage, blank: bool, spacing: Spacing, note: str | None = None) -> float:
    """Estimated printed height of a sheet in px, at a given spacing."""

    def text(texts: list[str], font_pt: float = 12, indent_px: float = 0) -> float:
        return sum(_lines(line, font_pt, indent_px) * font_pt * PT * spacing.line_height + spacing.item_gap
                   for line in texts)

    if blank:
        dosage_text = [dosage.blank_sentence(), "Your physical therapist fills in."]
    else:
        dosage_text = [dosage.sentence(), *["row"] * math.ceil(len(dosage.rows()) / 2)]
        dosage_text += ["Your physical therapist sets what is not given here."] if dosage.set_by_therapist() else []
    return spacing.fixed + sum((
        text([exercise.title], 22),
        text([exercise.summary]),
        # A program's note is written on the first ruled line of the notes area; only more lines add height.
        text([note]) - text(["one line"]) if note else 0,
        text(dosage_text, 12, 24),
        text(["What you need: " + ", ".join(exercise.equipment)]),
        text(list(exercise.steps), 12, 24),
        text([*exercise.safety, "Stop and call your physical therapist if pain gets worse or new pain starts."],
             12, 30),
    ))


def choose_spacing(exercise: Exercise, dosage: Dosage, blank: bool = False, note: str | None = None) -> str | None:
    """The roomiest spacing that fits one page, or None when none does."""
    for spacing in SPACINGS:
        if estimate_height(exercise, dosage, blank, spacing, note) <= PAGE_HEIGHT_PX:
            return spacing.name
    return None


def tightest(names: list[str]) -> str:
    """The tightest of some spacings, by name."""
    order = [spacing.name for spacing in SPACINGS]
    return max(names, key=order.index)


def estimate_cover_height(program: Program) -> float:
    """Estimated printed height of a program's cover in px: header, exercise list and tracker."""
    column = PAGE_WIDTH_PX - 1.55 * 96  # indent that leaves the tracker's first column
    line = 11 * PT * 1.15
    height = COVER_FIXED
    for item in program.items:
        dosage = item.dosage
        height += _lines(f"{item.exercise.title} (xxxxxxx): {dosage.sentence()}", 12, 40) * 12 * PT * 1.25
        label = _lines(item.exercise.title, 11, column) + _lines(dosage.tracker_label(), 10, column)
        height += max(label * line, math.ceil(dosage.tracker_marks() / 3) * 12) + 4
        if item.exercise.measure:
            height += _lines(item.exercise.measure.what, 11, column) * line + 4
    return height


def cover_fits(program: Program) -> bool:
    return estimate_cover_height(program) <= PAGE_HEIGHT_PX
