"""Findings that name the line to fix: a sentence too hard to read, wherever the page's prose has
it (body, steps, a topic's groups); headings, link text and pictures in a body; and a review date,
in the file it is written in. Sentences never run from one paragraph, list item or quote into the next."""

from __future__ import annotations

import json
import re
import shutil
from html import unescape

import pytest
from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

from site_gen.build import pipeline
from site_gen.features import checks, prose
from site_gen.features.readability import reading_grade, split_sentences

BIRD = "content/exercises/bird-dog.md"
TOPIC = "content/spine-planes.md"
# textstat grades this sentence 32.4 alone: as jargon as patient material gets.
JARGON = ("The multifactorial interrelationships between musculoskeletal, psychosocial and behavioural "
          "determinants necessitate comprehensive rehabilitation.")
JARGON_SHOWN = "The multifactorial interrelationships between … comprehensive rehabilitation."
SENTENCE_END = "split it, or say it in everyday words"


def line_of(site, rel: str, text: str) -> int:
    """The line of a file that holds `text`."""
    [number] = [number for number, line in enumerate(site.read(rel).split("\n"), start=1) if text in line]
    return number


def warnings(result) -> list[str]:
    return [line for line in result.err.splitlines() if line.endswith("(warning)")]


def test_a_jargon_sentence_in_a_body_is_named_on_its_line_though_the_page_grade_passes(site, run):
    # Written with markup: bold, a link, and on a line of its own inside its paragraph.
    site.edit(BIRD, "It can almost switch off. ",
              "It can almost switch off.\nThe **multifactorial** interrelationships between "
              "[musculoskeletal](../spine-planes.md), psychosocial and behavioural determinants necessitate "
              "comprehensive rehabilitation.\n")
    line = line_of(site, BIRD, "The **multifactorial**")
    result = run("check")
    assert result.status == 0
    assert warnings(result) == [
        f'{BIRD}:{line}: sentence: grade 32.4, above the target of 12 for one sentence: "{JARGON_SHOWN}"; '
        f"{SENTENCE_END} (page exercises/bird-dog/) (warning)"]
    [page] = [page for page in json.loads((site.root / "output-report.json").read_text())
              if page["url"] == "exercises/bird-dog/"]
    assert page["grade"] <= 8 == page["target_grade"]  # the page alone would not have said so
    assert page["hard_sentences"] == [{"line": line, "grade": 32.4, "sentence": JARGON}]
    assert reading_grade(JARGON) == 32.4
    assert run("--strict").status == 1


def test_a_jargon_sentence_in_a_step_is_named_on_the_steps_line(site, run):
    site.edit(BIRD, "  - Gently pull your belly in. This is your starting position.",
              f"  - Gently pull your belly in. {JARGON} This is your starting position.")
    line = line_of(site, BIRD, "Gently pull your belly in.")
    assert warnings(run()) == [
        f'{BIRD}:{line}: sentence: grade 32.4, above the target of 12 for one sentence: "{JARGON_SHOWN}"; '
        f"{SENTENCE_END} (page exercises/bird-dog/) (warning)"]


def test_a_jargon_sentence_in_a_topics_group_is_named_on_its_line(site, run):
    site.edit(TOPIC, "You also use it to sit up in bed.", f"You also use it to sit up in bed. {JARGON}")
    line = line_of(site, TOPIC, "You also use it to sit up in bed.")
    assert warnings(run()) == [
        f'{TOPIC}:{line}: sentence: grade 32.4, above the target of 12 for one sentence: "{JARGON_SHOWN}"; '
        f"{SENTENCE_END} (page spine-planes/) (warning)"]


def test_a_quoted_sentence_with_smart_quotes_is_found_and_ends_at_its_quote(site, run):
    # Smarty makes the quotes and the apostrophe curly on the page; the file has straight ones.
    site.edit(BIRD, "\n## Tips", f'\nNick\'s advice: "{JARGON}" Do not rush it.\n\n## Tips')
    line = line_of(site, BIRD, "Nick's advice")
    assert warnings(run()) == [
        f'{BIRD}:{line}: sentence: grade 29.5, above the target of 12 for one sentence: "Nick’s advice: '
        f'“The multifactorial interrelationships … rehabilitation.”"; {SENTENCE_END} (page exercises/bird-dog/) '
        "(warning)"]


def test_hard_prose_reports_the_page_grade_and_each_hard_sentence_once(site, run):
    text = site.read(BIRD)
    site.write(BIRD, text.split("\n---\n")[0] + "\n---\n" + " ".join([JARGON] * 8) + "\n")
    line = line_of(site, BIRD, JARGON)
    result = warnings(run())
    assert len(result) == 2
    assert re.fullmatch(rf"{BIRD}: reading level: grade [0-9.]+, above the target of 8; shorten the longest "
                        r"sentences: .* \(page exercises/bird-dog/\) \(warning\)", result[0])
    assert result[1] == (f'{BIRD}:{line}: sentence: grade 32.4, above the target of 12 for one sentence: '
                         f'"{JARGON_SHOWN}"; {SENTENCE_END} (page exercises/bird-dog/) (warning)')


def test_the_target_for_one_sentence_comes_from_site_yaml(site, run):
    site.edit(BIRD, "It can almost switch off.", f"It can almost switch off. {JARGON}")
    site.edit("content/site.yaml", "title: Back Care Library", "title: Back Care Library\nsentence_grade: 33")
    assert warnings(run()) == []
    site.edit("content/site.yaml", "sentence_grade: 33", "sentence_grade: 12")
    assert [line.split(", above")[0] for line in warnings(run())] == [
        f"{BIRD}:{line_of(site, BIRD, 'switch off')}: sentence: grade 32.4"]
    site.edit("content/site.yaml", "sentence_grade: 12", "sentence_grade: 11")
    lower = warnings(run())  # the shipped library's own sentences between grades 11 and 12 too
    assert len(lower) > 1 and all(float(line.split("grade ")[1].split(",")[0]) > 11 for line in lower)


def test_a_sentence_too_short_to_judge_alone_is_not_graded(site, run):
    # Five words, grade 47 alone: a single sentence this short is its words' syllables, not its reading.
    short = "Multifactorial interdisciplinary rehabilitation necessitates individualisation."
    assert reading_grade(short) > 14
    site.edit(BIRD, "It can almost switch off.", f"It can almost switch off. {short}")
    assert warnings(run()) == []


def test_a_heading_that_skips_a_level_is_named_on_its_line(site, run):
    site.edit(BIRD, "## Tips", "#### Tips")
    line = line_of(site, BIRD, "#### Tips")
    assert warnings(run()) == [f"{BIRD}:{line}: headings: a level-4 heading follows a level-2 one; do not skip "
                               "levels (page exercises/bird-dog/) (warning)"]


def test_a_second_top_level_heading_is_named_on_its_line(site, run):
    site.edit(BIRD, "## Tips", "Tips\n====")
    line = line_of(site, BIRD, "Tips")
    assert warnings(run()) == [f"{BIRD}:{line}: headings: 2 top-level headings; a page needs exactly one (its title): "
                               "start headings in the text at ## (page exercises/bird-dog/) (warning)"]


def test_a_link_saying_click_here_is_named_on_its_line(site, run):
    site.edit(BIRD, "## Tips", "To see the four planes, [click here](../spine-planes.md).\n\n"
                               "Or read it **[here](../spine-planes.md#flexion)**.\n\n## Tips")
    first, second = line_of(site, BIRD, "[click here]"), line_of(site, BIRD, "[here]")
    assert warnings(run()) == [
        f'{BIRD}:{first}: link text: a link says "click here"; say where it goes instead (page exercises/bird-dog/) '
        "(warning)",
        f'{BIRD}:{second}: link text: a link says "here"; say where it goes instead (page exercises/bird-dog/) '
        "(warning)"]


def test_a_picture_without_text_is_named_on_its_line(site, run):
    site.write("content/images/stretch.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.edit(BIRD, "## Tips", "![decorative](../images/spine-planes.svg)\n\n![](../images/stretch.svg)\n\n## Tips")
    line = line_of(site, BIRD, "![](")
    result = run()
    assert result.status == 1
    # The picture as published (tests/test_images.py): sized, under a name hashed from its bytes.
    [error] = result.errors
    assert re.fullmatch(
        rf'{BIRD}:{line}: image: <img alt="" src="../../pictures/stretch-300\.[0-9a-f]+\.svg"> has no text for people '
        r"who cannot see it: describe it in the brackets, !\[like this\]\(photo.jpg\), or write "
        r"!\[decorative\]\(photo.jpg\) \(page exercises/bird-dog/\)", error), error


def test_a_review_date_from_site_yaml_is_named_there_once_for_the_pages_it_covers(site, run):
    line = line_of(site, "content/site.yaml", "reviewed: ")
    assert warnings(run("--today", "2027-11-03")) == [
        f"content/site.yaml:{line}: reviewed: last reviewed 2026-11-01, 367 days ago: the date of 7 pages that give "
        "none of their own (content/index.md, content/spine-planes.md, content/exercises/bird-dog.md and 4 more); "
        "review them (every 365 days) and update the date (warning)"]
    # A page with a date of its own is named itself, on its line.
    site.edit(BIRD, "summary:", "reviewed: 2026-10-01\nreviewed_by: A. Therapist, PT\nsummary:")
    own = line_of(site, BIRD, "reviewed: ")
    assert warnings(run("--today", "2027-11-03")) == [
        f"{BIRD}:{own}: reviewed: last reviewed 2026-10-01, 398 days ago; review it (every 365 days) and update "
        "the date (page exercises/bird-dog/) (warning)",
        f"content/site.yaml:{line}: reviewed: last reviewed 2026-11-01, 367 days ago: the date of 6 pages that give "
        "none of their own (content/index.md, content/spine-planes.md, content/exercises/kettlebell-deadlift.md "
        "and 3 more); review them (every 365 days) and update the date (warning)"]
    assert run("check", "--today", "2027-11-03").status == 0
    report = {page["url"]: page for page in json.loads((site.root / "output-report.json").read_text())}
    assert report["/"]["findings"] == [f"warning: last reviewed 2026-11-01, 367 days ago; review it (every 365 days) "
                                       f"and update the date in content/site.yaml:{line}"]


# Sentences: each paragraph, list item and cell ends one, and so does a quote's closing mark after
# its full stop; the page's grade reads the same text as it always has.

def test_sentences_end_at_blocks_and_after_closing_quotes():
    lines = ('He said "Stop." Then rest.\nA list item without a full stop\nThe next item.\n'
             "She asked: “Why?” (It hurts.) Rest! “Fine.” Okay")
    assert split_sentences(lines) == ['He said "Stop."', "Then rest.", "A list item without a full stop",
                                      "The next item.", "She asked: “Why?”", "(It hurts.)", "Rest!", "“Fine.”",
                                      "Okay"]
    # Not inside a word or a number, nor after a comma inside quotes.
    assert split_sentences('Take 2.5 kg. "Slowly," she says, "or not."') == [
        "Take 2.5 kg.", '"Slowly," she says, "or not."']


# Words of one to six syllables, names the syllable table lacks, acronyms it counts letter by letter
# ("www": 9), punctuation: sentences of every grade and length.
WORDS = st.sampled_from(["you", "hold", "the", "stretch", "gentle", "muscle", "physical", "rehabilitation",
                         "musculoskeletal", "interdisciplinary", "Hershfield's", "Zywicki", "www", "w", "NBA",
                         "don't", "e.g.", "3.5", "x-ray", "—", ",", '"', "“", "”", "(", ")"])
SENTENCES = st.lists(st.lists(WORDS, min_size=1, max_size=40).map(" ".join).map(lambda text: text + "."),
                     min_size=1, max_size=6)


@settings(max_examples=300, deadline=None)
@given(SENTENCES, st.integers(1, 40))
def test_the_sentences_graded_above_the_target_are_those_textstat_grades_above_it(sentences, target):
    """The shortcut (a sentence is graded only when its words' most syllables could take it above
    the target) finds exactly what grading each sentence would."""
    from site_gen.features.readability import (
        SENTENCE_MIN_WORDS,
        _cleaned,
        _syllable_table,
        grades_above,
    )

    _syllable_table()  # read, as after a first build: the shortcut is taken
    expected = [(place, reading_grade(sentence)) for place, sentence in enumerate(sentences)
                if len(_cleaned(sentence).split()) >= SENTENCE_MIN_WORDS and reading_grade(sentence) > target]
    assert grades_above(sentences, target, reading_grade) == expected


BODY = """Your back has a stack of bones and you can train it

- Keep your hips level and steady as you go
- Breathe normally

> A quote is left out of the grade.

| What | When |
|---|---|
| Walk for ten minutes | Every morning |

Hershfield says it is "like a corset muscle." **It is not** hard."""


def test_no_sentence_runs_from_one_paragraph_list_item_cell_or_quote_into_the_next(site, run, monkeypatch):
    text = site.read(BIRD)
    site.write(BIRD, text.split("\n---\n")[0] + "\n---\n" + BODY + "\n")
    site_of = capture_site(monkeypatch)
    run()
    built = site_of()
    bird = next(item for item in built.content.of("exercises") if item.slug == "bird-dog")
    sentences = split_sentences(prose.prose_lines(built, bird))
    assert sentences[:8] == [bird.summary, "Your back has a stack of bones and you can train it",
                             "Keep your hips level and steady as you go", "Breathe normally", "What", "When",
                             "Walk for ten minutes", "Every morning"]
    assert sentences[8:11] == ["Hershfield says it is “like a corset muscle.”", "It is not hard.",
                               bird.steps[0].split(". ")[0] + "."]
    assert not any("quote is left out" in sentence for sentence in sentences)


def test_the_page_grade_reads_the_text_it_always_has(site, run, monkeypatch):
    """For every page of both sample sites and one of every block: summary, body (its tags spaces,
    headings, quotes and figures left out) and its kind's prose, joined by spaces; graded as textstat."""
    import textstat

    text = site.read(BIRD)
    site.write(BIRD, text.split("\n---\n")[0] + "\n---\n" + BODY + "\n\n1. A *numbered* item &amp; more\n"
               "2. Another, un*believ*able\n\n```\ncode is left out\n```\n")
    shutil.copytree(ROOT / "tests" / "sites" / "knee-and-balance" / "content", site.root / "knee" / "content")
    for content in (site.content, site.root / "knee" / "content"):
        site_of = capture_site(monkeypatch)
        run("--content", str(content), "--output", str(site.root / "out"))
        built = site_of()
        for item in built.content.pages_with_bodies():
            kind_prose = prose.kind_of(item).prose(item)
            body = prose.TAG.sub(" ", prose._SKIPPED_IN_PROSE.sub(" ", str(built.bodies[item.source.rel])))
            before = " ".join(" ".join([item.summary, unescape(body), *kind_prose]).split())
            assert prose.prose(built, item) == before
            assert reading_grade(before) == round(textstat.flesch_kincaid_grade(before), 1)


def capture_site(monkeypatch: pytest.MonkeyPatch):
    """The assembled site of the next build in its first language, as the checks are given it."""
    seen = []

    def check_site(site, *args, **kwargs):
        seen.append(site)
        return checks.check_site(site, *args, **kwargs)

    monkeypatch.setattr(pipeline, "check_site", check_site)
    return lambda: seen[0]
