"""A dosage: what a physical therapist prescribes, read from content and said in plain words.

One `Dosage` gives every way the site shows it: the sentence on the page, in lists, on the
program page and the packet's cover; the rows of the dosage box; the blank handout; the tracker
row; the structured data. Nothing is invented: what the content leaves out, the page says the
physical therapist sets.

Every word is said in the page's language: each method takes the language's gettext translations
as `words` (English, the messages as written, by default). Counts go through ngettext, for each
language's plural rules ("1 serie", "3 series"); each sentence or clause is one message with named
placeholders, and where clauses are joined the joining pattern is a message too, so a language may
order and punctuate them its own way.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass

from site_gen.content.fields import Fields
from site_gen.content.words import ENGLISH, N_

BLANK = "______"  # a blank on the handout, for the therapist to fill in
SIDES = {  # as written in content → how the sentence says it (a message)
    "each side": N_("on each side"),
    "left only": N_("on your left side only"),
    "right only": N_("on your right side only"),
    "affected side": N_("on the side being treated"),
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

    def words(self, words: gettext.NullTranslations = ENGLISH) -> str:
        """ "about 5 seconds", "1 minute"."""
        amount = self.amount
        if self.unit == "minute":
            said = (words.ngettext("about %(num)d minute", "about %(num)d minutes", amount) if self.approximate
                    else words.ngettext("%(num)d minute", "%(num)d minutes", amount))
        else:
            said = (words.ngettext("about %(num)d second", "about %(num)d seconds", amount) if self.approximate
                    else words.ngettext("%(num)d second", "%(num)d seconds", amount))
        return said % {"num": amount}

    def unit_words(self, words: gettext.NullTranslations = ENGLISH) -> str:
        """The unit's name, as schema.org's unitText: "minutes" or "seconds"."""
        return words.gettext("minutes") if self.unit == "minute" else words.gettext("seconds")

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

    def words(self, words: gettext.NullTranslations = ENGLISH) -> str:
        """Plain words: "every day", "every other day", "once or twice a week", "3–4 times a week"."""
        low, high = self.times_min, self.times_max
        if self.per == "other day":
            return words.gettext("every other day")
        daily = self.per == "day"
        if daily and low == high == 1:
            return words.gettext("every day")
        if (low, high) == (1, 2):
            return words.gettext("once or twice a day") if daily else words.gettext("once or twice a week")
        if low == high == 1:
            return words.gettext("once a week")  # once a day is every day, above
        if low == high == 2:
            return words.gettext("twice a day") if daily else words.gettext("twice a week")
        if low == high:
            if daily:
                return words.ngettext("%(num)d time a day", "%(num)d times a day", low) % {"num": low}
            return words.ngettext("%(num)d time a week", "%(num)d times a week", low) % {"num": low}
        values = {"low": low, "high": high}
        # The range's words follow its larger number, as "3–4 times" does.
        if daily:
            return words.ngettext("%(low)d–%(high)d time a day", "%(low)d–%(high)d times a day", high) % values
        return words.ngettext("%(low)d–%(high)d time a week", "%(low)d–%(high)d times a week", high) % values


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

    def sentence(self, words: gettext.NullTranslations = ENGLISH) -> str:
        """Everything given, in plain words: "Hold for 5 seconds. Do this 10 times, 3 times a day."."""
        sentences = []
        if self.hold is not None:
            sentences.append(words.gettext("Hold for %(time)s.") % {"time": self.hold.words(words)})
        if self.distance is not None:
            if self.action:
                sentences.append(words.gettext("%(action)s %(distance)s.")
                                 % {"action": self.action, "distance": self.distance})
            else:
                sentences.append(words.gettext("Go %(distance)s.") % {"distance": self.distance})
        timed = None
        if self.duration is not None:
            time = self.duration.words(words)
            timed = (words.gettext("%(action)s for %(time)s") % {"action": self.action, "time": time} if self.action
                     else words.gettext("Do this for %(time)s") % {"time": time})
        count = self._count(words)
        if count and timed:  # a count and a session's length: the length is a sentence of its own
            sentences.append(_end(timed, words))
        main = count or timed or (words.gettext("Do this") if self.side or self.frequency else None)
        if main is not None:
            if self.side and not count:
                main = _on_side(main, self.side, words)
            if self.spread_over_day:
                main = _spread(main, words)
            if self.frequency is not None:
                how_often = {"what": main, "how_often": self.frequency.words(words)}
                # After a count or a time, a comma; after "Do this" alone, none.
                main = (words.gettext("%(what)s, %(how_often)s") if count or timed
                        else words.gettext("%(what)s %(how_often)s")) % how_often
            sentences.append(_end(main, words))
        if self.rest is not None:
            sentences.append(words.gettext("Rest for %(time)s between sets.") % {"time": self.rest.words(words)})
        return " ".join(sentences) or words.gettext("Your physical therapist will set how much and how often.")

    def _count(self, words: gettext.NullTranslations) -> str | None:
        """ "Do this 15 times on each side", "Do 2 sets of 10", "Do 2 sets on each side"; None without a count."""
        if self.sets is not None:
            sets = _sets(self.sets, words)
            if self.reps is not None:
                # Counted by the repetitions in each set: a bare number in English ("Do 2 sets of 10"), a
                # counted noun in others ("Haga 2 series de 10 repeticiones").
                count = words.ngettext("Do %(sets)s of %(num)d", "Do %(sets)s of %(num)d", self.reps) \
                    % {"sets": sets, "num": self.reps}
            else:
                count = words.gettext("Do %(sets)s") % {"sets": sets}
        elif self.reps is not None:
            count = (words.gettext("Do this twice") if self.reps == 2
                     else words.ngettext("Do this once", "Do this %(num)d times", self.reps) % {"num": self.reps})
        else:
            return None
        return _on_side(count, self.side, words) if self.side else count

    # -- the dosage box ----------------------------------------------------------------------

    def asks_sets(self) -> bool:
        """Whether the dosage has sets: given, or not replaced by a session's length (a time or a distance)."""
        return self.sets is not None or (self.duration is None and self.distance is None)

    def asks_reps(self) -> bool:
        """Whether the dosage has repetitions: given, or not replaced by a session's length."""
        return self.reps is not None or (self.duration is None and self.distance is None)

    def rows(self, words: gettext.NullTranslations = ENGLISH) -> tuple[tuple[str, str], ...]:
        """The dosage box, a (label, words) row for each part; the therapist's for what is not given."""
        told = words.gettext("Your physical therapist will tell you")
        rows = []
        if self.asks_sets():
            sets = None
            if self.sets is not None:
                sets = str(self.sets)
                if self.side and self.reps is None:
                    sets = _on_side(sets, self.side, words)
                if self.spread_over_day:
                    sets = _spread(sets, words)
            rows.append((words.gettext("Sets"), sets or told))
        if self.asks_reps():
            repeat = told
            if self.reps is not None:
                repeat = (words.gettext("twice") if self.reps == 2
                          else words.ngettext("once", "%(num)d times", self.reps) % {"num": self.reps})
                repeat = _on_side(repeat, self.side, words) if self.side else repeat
            rows.append((words.gettext("Repeat"), repeat))
        if self.side and self.sets is None and self.reps is None:
            rows.append((words.gettext("Side"), _upper_first(words.gettext(SIDES[self.side]))))
        if self.hold is not None:
            rows.append((words.gettext("Hold"), self.hold.words(words)))
        if self.duration is not None:
            rows.append((words.gettext("How long"), self.duration.words(words)))
        if self.distance is not None:
            rows.append((words.gettext("Distance"), self.distance))
        if self.rest is not None:
            rows.append((words.gettext("Rest"), words.gettext("%(time)s between sets") % {"time": self.rest.words(words)}))
        rows.append((words.gettext("How often"),
                     _upper_first(self.frequency.words(words)) if self.frequency else told))
        return tuple(rows)

    def set_by_therapist(self) -> tuple[str, ...]:
        """The parts the content leaves to the physical therapist (names, not words for a page)."""
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

    def blank_sentence(self, words: gettext.NullTranslations = ENGLISH) -> str:
        """The dosage's shape with a blank for each number, for a therapist to fill in by hand: in the
        dosage box's order, only the parts this dosage has. A count the content leaves out gets a blank
        unless a session's length (a time or a distance) takes its place."""
        blank = {"blank": BLANK}
        side = self.side  # said once, after the first count or length
        sentences = []
        if self.asks_sets():
            sentences.append((words.gettext("Do %(blank)s sets, spread out over the day.") if self.spread_over_day
                              else words.gettext("Do %(blank)s sets.")) % blank)
        if self.asks_reps():
            sentences.append(words.gettext("Repeat %(blank)s times %(side)s.")
                             % {**blank, "side": words.gettext(SIDES[side])} if side
                             else words.gettext("Repeat %(blank)s times.") % blank)
            side = None
        if self.hold is not None:
            sentences.append(words.gettext("Hold %(blank)s seconds.") % blank)
        if self.duration is not None:
            values = {**blank, "action": self.action}
            if self.duration.unit == "minute":
                timed = (words.gettext("%(action)s for %(blank)s minutes") if self.action
                         else words.gettext("Do this for %(blank)s minutes")) % values
            else:
                timed = (words.gettext("%(action)s for %(blank)s seconds") if self.action
                         else words.gettext("Do this for %(blank)s seconds")) % values
            sentences.append(_end(_on_side(timed, side, words) if side else timed, words))
            side = None
        if self.distance is not None:
            far = (words.gettext("%(action)s this far: %(blank)s") % {**blank, "action": self.action} if self.action
                   else words.gettext("Go this far: %(blank)s") % blank)
            sentences.append(_end(_on_side(far, side, words) if side else far, words))
            side = None
        if self.rest is not None:
            sentences.append((words.gettext("Rest %(blank)s minutes between sets.") if self.rest.unit == "minute"
                              else words.gettext("Rest %(blank)s seconds between sets.")) % blank)
        # Sets spread over the day already say how often in a day.
        sentences.append((words.gettext("Do this %(blank)s days a week.") if self.spread_over_day
                          else words.gettext("Do this %(blank)s times a day, %(blank)s days a week.")) % blank)
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

    def tracker_label(self, words: gettext.NullTranslations = ENGLISH) -> str:
        """How often, under the exercise's name on the tracker: "Every day, 4 sets", "Twice a day. Write the minutes"."""
        label = (_upper_first(self.frequency.words(words)) if self.frequency
                 else words.gettext("As your therapist tells you"))
        if self.spread_over_day and self.sets:
            label = words.gettext("%(how_often)s, %(sets)s") % {"how_often": label, "sets": _sets(self.sets, words)}
        if self.tracker_writes_minutes():
            label = words.gettext("%(how_often)s. Write the minutes") % {"how_often": label}
        return label

    def tracker_writes_minutes(self) -> bool:
        """Whether the tracker asks for the minutes done, not a tick: sessions lasting minutes."""
        return self.duration is not None and self.duration.unit == "minute" and self.tracker_marks() > 0


# -- the words that join a dosage's clauses -------------------------------------------------------

def _sets(count: int, words: gettext.NullTranslations) -> str:
    return words.ngettext("%(num)d set", "%(num)d sets", count) % {"num": count}


def _on_side(what: str, side: str, words: gettext.NullTranslations) -> str:
    """ "Do this 15 times" and a side: "Do this 15 times on each side"."""
    return words.gettext("%(what)s %(side)s") % {"what": what, "side": words.gettext(SIDES[side])}


def _spread(what: str, words: gettext.NullTranslations) -> str:
    return words.gettext("%(what)s, spread out over the day") % {"what": what}


def _end(clause: str, words: gettext.NullTranslations) -> str:
    """A clause as a sentence of its own: "Do this twice a day."."""
    return words.gettext("%(clause)s.") % {"clause": clause}


def _upper_first(text: str) -> str:
    """The first letter a capital, the rest as it is (str.capitalize would lower the rest)."""
    return text[:1].upper() + text[1:]


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
    return _upper_first(text) if text else None
