"""A dosage: what a physical therapist prescribes, read from content and said in plain words.

One `Dosage` gives every way the site shows it: the sentence on the page, in lists, on the
program page and the packet's cover; the rows of the dosage box; the blank handout; the tracker
row; the structured data. Nothing is invented: what the content leaves out, the page says the
physical therapist sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from site_gen.content.fields import Fields

THERAPIST_SETS = "Your physical therapist will tell you"
SIDES = {  # as written in content → how the sentence says it
    "each side": "on each side",
    "left only": "on your left side only",
    "right only": "on your right side only",
    "affected side": "on the side being treated",
}
DOSAGE_FIELDS = ("sets", "reps", "hold_seconds", "duration", "distance", "rest", "side", "frequency",
                 "spread_over_day", "action")
RETIRED_FIELDS = {"per_side": 'no longer used; write "side: each side" in its place (or leave side out)'}


@dataclass(frozen=True)
class Span:
    """A length of time, as the content gives it: "about 5 seconds", "10 minutes"."""

    amount: int
    unit: str  # "second" or "minute"
    approximate: bool

    def words(self) -> str:
        unit = self.unit if self.amount == 1 else self.unit + "s"
        return f"{'about ' if self.approximate else ''}{self.amount} {unit}"

    def iso(self) -> str:
        """ISO 8601, as schema.org's Duration: "PT10M", "PT30S"."""
        return f"PT{self.amount}{'M' if self.unit == 'minute' else 'S'}"

    def unit_code(self) -> str:
        """UN/CEFACT unit code, as schema.org's QuantitativeValue: "MIN" or "SEC"."""
        return "MIN" if self.unit == "minute" else "SEC"


@dataclass(frozen=True)
class Frequency:
    """How often: `times_min`–`times_max` times a day or a week, or once every other day."""

    times_min: int
    times_max: int
    per: str  # "day", "week" or "other day"

    def words(self) -> str:
        """Plain words: "every day", "every other day", "once or twice a week", "3–4 times a week"."""
        low, high = self.times_min, self.times_max
        if self.per == "other day":
            return "every other day"
        if self.per == "day" and low == high == 1:
            return "every day"
        if (low, high) == (1, 2):
            return f"once or twice a {self.per}"
        if low == high:
            return {1: f"once a {self.per}", 2: f"twice a {self.per}"}.get(low, f"{low} times a {self.per}")
        return f"{low}–{high} times a {self.per}"


@dataclass(frozen=True)
class Dosage:
    """How much and how often, exactly as the content gives it; None where it gives nothing."""

    sets: int | None = None
    reps: int | None = None
    hold: Span | None = None  # how long to hold each repetition
    duration: Span | None = None  # how long each session lasts
    distance: str | None = None  # in the content's own words
    rest: Span | None = None  # between sets
    side: str | None = None  # a key of SIDES
    frequency: Frequency | None = None  # None: as the therapist says
    spread_over_day: bool = False
    action: str | None = None  # the verb for a time or a distance: "Walk"

    # -- the plain-words sentence -----------------------------------------------------------

    def sentence(self) -> str:
        """Everything given, in plain words: "Hold for 5 seconds. Do this 10 times, 3 times a day."."""
        sentences = []
        if self.hold is not None:
            sentences.append(f"Hold for {self.hold.words()}.")
        if self.distance is not None:
            sentences.append(f"{self.action or 'Go'} {self.distance}.")
        timed = f"{self.action or 'Do this'} for {self.duration.words()}" if self.duration else None
        count = self._count()
        if count and timed:  # a count and a session's length: the length is a sentence of its own
            sentences.append(timed + ".")
        main = count or timed or ("Do this" if self.side or self.frequency else None)
        if main is not None:
            if self.side and not count:
                main += " " + SIDES[self.side]
            if self.spread_over_day:
                main += ", spread out over the day"
            if self.frequency is not None:
                main += (", " if count or timed else " ") + self.frequency.words()
            sentences.append(main + ".")
        if self.rest is not None:
            sentences.append(f"Rest for {self.rest.words()} between sets.")
        return " ".join(sentences) or "Your physical therapist will set how much and how often."

    def _count(self) -> str | None:
        """ "Do this 15 times on each side", "Do 2 sets of 10", "Do 2 sets on each side"; None without a count."""
        side = " " + SIDES[self.side] if self.side else ""
        if self.sets is not None:
            sets = f"Do {self.sets} {'set' if self.sets == 1 else 'sets'}"
            return f"{sets} of {self.reps}{side}" if self.reps is not None else sets + side
        if self.reps is not None:
            return f"Do this {_times(self.reps)}{side}"
        return None

    # -- the dosage box ----------------------------------------------------------------------

    def asks_sets(self) -> bool:
        """Whether the dosage has sets: given, or not replaced by a session's length (a time or a distance)."""
        return self.sets is not None or (self.duration is None and self.distance is None)

    def asks_reps(self) -> bool:
        """Whether the dosage has repetitions: given, or not replaced by a session's length."""
        return self.reps is not None or (self.duration is None and self.distance is None)

    def rows(self) -> tuple[tuple[str, str], ...]:
        """The dosage box, a (label, words) row for each part; the therapist's for what is not given."""
        side = " " + SIDES[self.side] if self.side else ""
        rows = []
        if self.asks_sets():
            sets = None
            if self.sets is not None:
                sets = str(self.sets) + (side if self.reps is None else "")
                sets += ", spread out over the day" if self.spread_over_day else ""
            rows.append(("Sets", sets or THERAPIST_SETS))
        if self.asks_reps():
            rows.append(("Repeat", _times(self.reps) + side if self.reps is not None else THERAPIST_SETS))
        if self.side and self.sets is None and self.reps is None:
            rows.append(("Side", SIDES[self.side][:1].upper() + SIDES[self.side][1:]))
        if self.hold is not None:
            rows.append(("Hold", self.hold.words()))
        if self.duration is not None:
            rows.append(("How long", self.duration.words()))
        if self.distance is not None:
            rows.append(("Distance", self.distance))
        if self.rest is not None:
            rows.append(("Rest", f"{self.rest.words()} between sets"))
        rows.append(("How often", self.frequency.words().capitalize() if self.frequency else THERAPIST_SETS))
        return tuple(rows)

    def set_by_therapist(self) -> tuple[str, ...]:
        """The parts the content leaves to the physical therapist."""
        missing = []
        if self.sets is None and self.asks_sets():
            missing.append("sets")
        if self.reps is None and self.asks_reps():
            missing.append("repetitions")
        if self.frequency is None:
            missing.append("frequency")
        return tuple(missing)

    def is_left_to_therapist(self) -> bool:
        """Whether the content gives no amount at all: the therapist sets every number."""
        return self == Dosage(side=self.side, action=self.action)

    # -- the handout with blanks --------------------------------------------------------------

    def blank_sentence(self) -> str:
        """The dosage's shape with a blank for each number, for a therapist to fill in by hand: in the
        dosage box's order, only the parts this dosage has. A count the content leaves out gets a blank
        unless a session's length (a time or a distance) takes its place."""
        blank = "______"
        side = " " + SIDES[self.side] if self.side else ""
        sentences = []
        if self.asks_sets():
            spread = ", spread out over the day" if self.spread_over_day else ""
            sentences.append(f"Do {blank} sets{spread}.")
        if self.asks_reps():
            sentences.append(f"Repeat {blank} times{side}.")
            side = ""
        if self.hold is not None:
            sentences.append(f"Hold {blank} seconds.")
        if self.duration is not None:
            sentences.append(f"{self.action or 'Do this'} for {blank} {self.duration.unit}s{side}.")
            side = ""
        if self.distance is not None:
            sentences.append(f"{self.action or 'Go'} this far: {blank}{side}.")
            side = ""
        if self.rest is not None:
            sentences.append(f"Rest {blank} {self.rest.unit}s between sets.")
        # Sets spread over the day already say how often in a day.
        times_a_day = "" if self.spread_over_day else f" {blank} times a day,"
        sentences.append(f"Do this{times_a_day} {blank} days a week.")
        return " ".join(sentences)

    # -- the program's tracker ----------------------------------------------------------------

    def tracker_marks(self) -> int:
        """Marks a day on the tracker: one per set spread over the day, or per daily session; 0 for a
        row left plain (as the therapist says)."""
        if self.spread_over_day and self.sets:
            return self.sets
        if self.frequency is None:
            return 0
        return self.frequency.times_max if self.frequency.per == "day" else 1

    def is_rest_day(self, day: int) -> bool:
        """Whether the tracker's `day` (0 is the first) has no session: every other day, the odd ones."""
        return self.frequency is not None and self.frequency.per == "other day" and day % 2 == 1

    def tracker_label(self) -> str:
        """How often, under the exercise's name on the tracker."""
        words = self.frequency.words().capitalize() if self.frequency else "As your therapist tells you"
        if self.spread_over_day and self.sets:
            words += f", {self.sets} sets"
        if self.tracker_writes_minutes():
            words += ". Write the minutes"
        return words

    def tracker_writes_minutes(self) -> bool:
        """Whether the tracker asks for the minutes done, not a tick: sessions lasting minutes."""
        return self.duration is not None and self.duration.unit == "minute" and self.tracker_marks() > 0


def _times(count: int) -> str:
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


# -- reading it from content ------------------------------------------------------------------

_NUMBER_WORDS = {"once": 1, "twice": 2}
_FREQUENCY = re.compile(
    r"(?:(?P<daily>daily|every day)|(?P<other>every other day|every second day|on alternate days)"
    r"|(?P<low>\d+|once|twice)(?:\s*(?:-|–|or)\s*(?P<high>\d+|twice))?(?:\s+times?)?"
    r"\s+(?:a|per)\s+(?P<per>day|week))"
)
AS_TOLD = ("as your therapist tells you", "as your therapist says", "as directed")
FREQUENCY_FORMS = ('"daily", "every other day", "N times a day", "once a week", "twice a week", '
                   '"once or twice a week", "N times a week", "N-M times a week" or "as your therapist tells you"')


def parse_frequency(text: str) -> Frequency | None:
    """ "daily", "every other day", "5 times a day", "3-4 times a week"; None for "as your therapist tells you"."""
    words = " ".join(text.lower().split()).rstrip(".")
    if words in AS_TOLD:
        return None
    match = _FREQUENCY.fullmatch(words)
    if not match:
        raise ValueError(f'expected {FREQUENCY_FORMS}, got "{text}"')
    if match["daily"]:
        return Frequency(1, 1, "day")
    if match["other"]:
        return Frequency(1, 1, "other day")
    low = _NUMBER_WORDS.get(match["low"]) or int(match["low"])
    high = (_NUMBER_WORDS.get(match["high"]) or int(match["high"])) if match["high"] else low
    if low < 1 or high < low:
        raise ValueError(f'expected a number of times of 1 or more, smallest first, got "{text}"')
    return Frequency(low, high, match["per"])


_SPAN = re.compile(r"(about\s+)?(\d+)\s*(s|secs?|seconds?|m|mins?|minutes?)?")


def parse_hold(text: str) -> Span:
    """ "5" or "about 5" (seconds)."""
    match = _SPAN.fullmatch(text.strip().lower())
    if not match or int(match[2]) < 1 or (match[3] or "s").startswith("m"):
        raise ValueError(f'expected a whole number of seconds such as 5 or "about 5", got "{text}"')
    return Span(int(match[2]), "second", bool(match[1]))


def parse_span(text: str) -> Span:
    """ "10 minutes", "30 seconds", "about 1 minute"."""
    match = _SPAN.fullmatch(text.strip().lower())
    if not match or not match[3] or int(match[2]) < 1:
        raise ValueError(f'expected a time with its unit, such as "10 minutes", "30 seconds" or "about 1 minute", '
                         f'got "{text}"')
    return Span(int(match[2]), "minute" if match[3].startswith("m") else "second", bool(match[1]))


def read_dosage(fields: Fields, required: bool = True) -> Dosage | None:
    """The `dosage` group of an exercise (or a program's own dosage for one)."""
    dosage = fields.child("dosage", DOSAGE_FIELDS, required=required, retired=RETIRED_FIELDS)
    if dosage is None:
        return None
    frequency = dosage.parsed("frequency", parse_frequency, required=False)
    result = Dosage(
        sets=dosage.whole_number("sets"),
        reps=dosage.whole_number("reps"),
        hold=dosage.parsed("hold_seconds", parse_hold, required=False),
        duration=dosage.parsed("duration", parse_span, required=False),
        distance=dosage.text("distance", required=False),
        rest=dosage.parsed("rest", parse_span, required=False),
        side=dosage.choice("side", tuple(SIDES), required=False),
        frequency=frequency,
        spread_over_day=dosage.boolean("spread_over_day"),
        action=_capitalized(dosage.text("action", required=False)),
    )
    if result.spread_over_day and result.sets is None:
        dosage.error("spread_over_day", "needs sets: the sets are what is spread over the day")
    if result.rest is not None and result.sets is None:
        dosage.error("rest", "is the rest between sets; give sets too, or leave rest out")
    return result


def _capitalized(text: str | None) -> str | None:
    return text[:1].upper() + text[1:] if text else None
