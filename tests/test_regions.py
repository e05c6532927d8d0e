"""Another body region, built from content alone: a knee and balance site (tests/sites/knee-and-balance)
with every dosage shape, said the same on the page, the program page, the packet, the tracker, the
blank handout and the structured data."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest
from pages import html_pages, read_page

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "sites" / "knee-and-balance"
TODAY = "2026-12-01"
PT = "Your physical therapist will tell you"

# slug: (the sentence, the blank handout, the tracker row's label, its marks on the first two days,
#        the ExercisePlan's dosage properties)
DOSAGES = {
    "quad-sets": (
        "Hold for 5 seconds. Do this 10 times, 3 times a day.",
        "Do ______ sets. Repeat ______ times. Hold ______ seconds. Do this ______ times a day, ______ days a week.",
        "3 times a day", ["tick tick tick", "tick tick tick"],
        {"repetitions": 10, "activityFrequency": "3 times a day"}),
    "step-ups": (
        "Do 3 sets of 12 on your left side only, every other day. Rest for 1 minute between sets.",
        "Do ______ sets. Repeat ______ times on your left side only. Rest ______ minutes between sets. "
        "Do this ______ times a day, ______ days a week.",
        "Every other day", ["tick", "rest"],
        {"repetitions": 12, "activityFrequency": "every other day",
         "restPeriods": {"@type": "QuantitativeValue", "value": 1, "unitCode": "MIN", "unitText": "minutes"}}),
    "hamstring-curls": (
        "Do 2 sets of 15 on your right side only, 3 times a week. Rest for 30 seconds between sets.",
        "Do ______ sets. Repeat ______ times on your right side only. Rest ______ seconds between sets. "
        "Do this ______ times a day, ______ days a week.",
        "3 times a week", ["tick", "tick"],
        {"repetitions": 15, "activityFrequency": "3 times a week",
         "restPeriods": {"@type": "QuantitativeValue", "value": 30, "unitCode": "SEC", "unitText": "seconds"}}),
    "clamshells": (
        "Do 2 sets of 10 on each side, once or twice a week.",
        "Do ______ sets. Repeat ______ times on each side. Do this ______ times a day, ______ days a week.",
        "Once or twice a week", ["tick", "tick"],
        {"repetitions": 10, "activityFrequency": "once or twice a week"}),
    "knee-slides": (
        "Your physical therapist will set how much and how often.",
        "Do ______ sets. Repeat ______ times. Do this ______ times a day, ______ days a week.",
        "As your therapist tells you", ["", ""],
        {}),
    "single-leg-stance": (
        "Hold for about 30 seconds. Do this 3 times on the side being treated, 4–5 times a week.",
        "Do ______ sets. Repeat ______ times on the side being treated. Hold ______ seconds. "
        "Do this ______ times a day, ______ days a week.",
        "4–5 times a week", ["tick", "tick"],
        {"repetitions": 3, "activityFrequency": "4–5 times a week"}),
    "walking-program": (
        "Walk for 10 minutes, twice a day.",
        "Walk for ______ minutes. Do this ______ times a day, ______ days a week.",
        "Twice a day. Write the minutes", ["minutes minutes", "minutes minutes"],
        {"activityDuration": "PT10M", "activityFrequency": "twice a day"}),
    "heel-toe-walk": (
        "Walk the length of a hallway. Do this twice a day.",
        "Walk this far: ______. Do this ______ times a day, ______ days a week.",  # the distance is the count
        "Twice a day", ["tick tick", "tick tick"],
        {"activityFrequency": "twice a day"}),
    "seated-marching": (
        "March in place for 30 seconds. Do 4 sets, spread out over the day, every day.",
        "Do ______ sets, spread out over the day. March in place for ______ seconds. Do this ______ days a week.",
        "Every day, 4 sets", ["tick tick tick tick", "tick tick tick tick"],
        {"activityDuration": "PT30S", "activityFrequency": "every day"}),
}
GROUPS = {"quad-sets": "Straightening your knee", "step-ups": "Straightening your knee",
          "hamstring-curls": "Bending your knee", "clamshells": "Strong hips", "knee-slides": "Bending your knee",
          "single-leg-stance": "Standing still", "walking-program": "Walking", "heel-toe-walk": "Walking",
          "seated-marching": "Walking"}
PROGRAMS = {"knee-start": ["quad-sets", "step-ups", "hamstring-curls", "clamshells", "knee-slides"],
            "steady-on-your-feet": ["single-leg-stance", "walking-program", "heel-toe-walk", "seated-marching"]}


def build(project: Path, *extra: str) -> int:
    return main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(project / "output"), "--today", TODAY, "--strict", "-q", *extra])


@pytest.fixture(scope="module")
def knee_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture built with --strict: any warning would fail it."""
    project = tmp_path_factory.mktemp("knee")
    shutil.copytree(FIXTURE / "content", project / "content")
    assert build(project) == 0
    return project / "output"


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def first(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.S)
    assert match, pattern
    return text_of(match.group(1))


def test_builds_strict_with_no_word_of_the_back_library(knee_site):
    assert len(html_pages(knee_site)) == 24  # with a page of clinics for each of its two countries
    for path in knee_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".css", ".js", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8").lower()
            for word in ("spine", "spinal", "plane", "four planes"):
                assert word not in text, f"{word} in {path}"


@pytest.mark.parametrize("slug", DOSAGES)
def test_each_dosage_reads_the_same_everywhere(knee_site, slug):
    sentence, blank, label, marks, plan = DOSAGES[slug]
    page = (knee_site / "exercises" / slug / "index.html").read_text()
    assert first(r'<p class="dosage-summary">(.*?)</p>', page) == sentence
    assert first(r'<p class="dosage-summary blank-dose">(.*?)</p>', page) == blank
    [data] = read_page(knee_site / "exercises" / slug / "index.html").json_ld
    entity = data["mainEntity"]
    title = entity["name"]
    assert entity == {"@type": "ExercisePlan", "name": title, "description": entity["description"],
                      "additionalVariable": sentence, "exerciseType": GROUPS[slug], **plan}
    [program] = [name for name, slugs in PROGRAMS.items() if slug in slugs]
    program_page = (knee_site / "programs" / program / "index.html").read_text()
    card = program_page.split(f'href="../../exercises/{slug}/"')[1].split("</li>")[0]
    assert first(r"<strong>(.*?)</strong>", card) == sentence
    packet = (knee_site / "programs" / program / "print.html").read_text()
    cover = packet.split('<ol class="cover-list">')[1].split("</ol>")[0]
    assert f"{html.escape(title, quote=False)} ({GROUPS[slug].lower()}): {sentence}" in text_of(cover)
    row = packet.split(f'<tr data-exercise="{slug}">')[1].split("</tr>")[0]
    assert first(r'<span class="tracker-often">(.*?)</span>', row) == label
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert len(cells) == 14
    shown = [" ".join(re.findall(r'class="(tick|minutes|rest-mark)"', cell)).replace("rest-mark", "rest")
             for cell in cells]
    assert shown == marks * 7


def test_a_dosage_left_to_the_therapist_is_a_note_in_the_report_not_a_warning(tmp_path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    assert main(["check", "--content", str(tmp_path / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(tmp_path / "output"), "--today", TODAY, "--strict", "-q"]) == 0
    report = json.loads((tmp_path / "output-report.json").read_text())
    [heel_slides] = [page for page in report if page["url"] == "exercises/knee-slides/"]
    assert heel_slides["findings"] == ["note: every number is left to the physical therapist; the page says so"]
    box = (tmp_path / "content" / "exercises" / "knee-slides.md").read_text()
    assert "as your therapist tells you" in box


def test_menu_and_lists_follow_the_topics(knee_site):
    home = (knee_site / "index.html").read_text()
    menu = re.findall(r'<nav aria-label="Main">(.*?)</nav>', home, re.S)[0]
    assert re.findall(r">([^<]+)</a>", menu) == ["Exercises", "Knee basics", "Balance", "Programs", "Find a clinic"]
    listing = read_page(knee_site / "exercises" / "index.html").text
    order = ["Knee basics", "Straightening your knee (knee extension)", "Quad Sets", "Step-Ups",
             "Bending your knee (hamstring work)", "Heel Slides", "Standing Hamstring Curls", "Strong hips",
             "Clamshells", "Balance", "Standing still", "Single-Leg Stance", "Walking", "Heel-to-Toe Walk",
             "Seated Marching", "Walking Program"]
    positions = [listing.index(words, listing.index("grouped by topic")) for words in order]
    assert positions == sorted(positions)
    topic = read_page(knee_site / "knee-basics" / "index.html")
    assert "Do these exercises cover both? ✓ Straightening your knee: Quad Sets , Step-Ups" in topic.text
    assert "Yes: together, these exercises train both." in topic.text


def test_a_program_shows_coverage_only_for_a_topic_that_asks_for_it(knee_site):
    knee = read_page(knee_site / "programs" / "knee-start" / "index.html").text
    assert ("What it covers: Knee basics ✓ Straightening your knee ✓ Bending your knee ✓ Strong hips "
            "It trains both of them.") in knee
    balance = read_page(knee_site / "programs" / "steady-on-your-feet" / "index.html").text
    assert "What it covers" not in balance and "✓" not in balance and "not covered" not in balance


def test_a_gap_in_a_coverage_topic_warns_and_shows(tmp_path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    program = tmp_path / "content" / "programs" / "knee-start.yaml"
    program.write_text(program.read_text().replace("  - exercise: hamstring-curls\n", "")
                       .replace("  - exercise: knee-slides\n    note: Ask how far to bend at your next visit.\n", ""))
    assert build(tmp_path) == 1  # --strict: the warning fails the build
    assert main(["--content", str(tmp_path / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(tmp_path / "output"), "--today", TODAY, "-q"]) == 0
    page = read_page(tmp_path / "output" / "programs" / "knee-start" / "index.html").text
    assert "✗ Bending your knee : not covered" in page
    assert "This program does not train bending your knee. How your knee works explains why each one matters" in page


def without_topics(content: Path) -> None:
    """The fixture with no topic page: exercises name none, the home page links to none."""
    for topic in ("knee-basics.md", "balance.md"):
        (content / topic).unlink()
    for path in (content / "exercises").glob("*.md"):
        path.write_text(re.sub(r"topics:\n  .*\n", "", path.read_text()))
    home = content / "index.md"
    home.write_text(re.sub(r" Start with .*\n", "\n", home.read_text()))


def test_a_site_with_no_topic_builds_and_lists_its_exercises(tmp_path):
    shutil.copytree(FIXTURE / "content", tmp_path / "content")
    without_topics(tmp_path / "content")
    assert build(tmp_path) == 0
    home = (tmp_path / "output" / "index.html").read_text()
    menu = re.findall(r'<nav aria-label="Main">(.*?)</nav>', home, re.S)[0]
    assert re.findall(r">([^<]+)</a>", menu) == ["Exercises", "Programs", "Find a clinic"]
    listing = read_page(tmp_path / "output" / "exercises" / "index.html").text
    assert "Every exercise in the library. Clamshells" in listing and "Other exercises" not in listing


def test_back_and_knee_topics_side_by_side(tmp_path):
    shutil.copytree(ROOT / "content", tmp_path / "content")
    for name in ("knee-basics.md", "balance.md"):
        shutil.copy(FIXTURE / "content" / name, tmp_path / "content" / name)
    for folder in ("exercises", "programs"):
        for path in (FIXTURE / "content" / folder).iterdir():
            shutil.copy(path, tmp_path / "content" / folder / path.name)
    assert build(tmp_path) == 0
    home = (tmp_path / "output" / "index.html").read_text()
    menu = re.findall(r'<nav aria-label="Main">(.*?)</nav>', home, re.S)[0]
    assert re.findall(r">([^<]+)</a>", menu) == ["Exercises", "Four planes", "Knee basics", "Balance", "Programs",
                                                 "Find a clinic"]
    back = read_page(tmp_path / "output" / "programs" / "back-care-basics" / "index.html").text
    assert "What it covers: Four planes" in back and "Knee basics" not in back.split("The exercises")[1]


@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("program", PROGRAMS)
def test_packets_print_a_cover_then_a_page_per_exercise(browser, pdf_tools, knee_site, tmp_path, program, paper):
    from test_print import pdf_pages, pdf_text, print_pdf

    pdf = print_pdf(browser, (knee_site / "programs" / program / "print.html").as_uri(), paper, tmp_path)
    assert pdf_pages(pdf) == 1 + len(PROGRAMS[program])
    cover = pdf_text(pdf, 1)
    for number, slug in enumerate(PROGRAMS[program], start=2):
        assert DOSAGES[slug][0] in cover and DOSAGES[slug][0] in pdf_text(pdf, number)
