"""The program packet, and the handout with blanks, as a patient and a printer get them.

On a phone the packet's two-week tracker scrolls sideways in its own labelled region and the page
does not. On paper the cover is one page, whatever the program, and its tick boxes are big enough
for a pen: measured on the printed PDF, rendered at 300 dpi, as paper gets it.
"""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from test_print import pdf_pages, pdf_text, print_pdf

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "sites" / "knee-and-balance"
TODAY = "2026-12-01"
DPI = 300
MM = DPI / 25.4  # pixels a millimetre, on the rendered page

# A sixth exercise for the shipped program: ten minutes' walking three times a day, so its row has
# three lines a day to write minutes on, after the ankle's five boxes a day.
BRISK_WALK = """---
title: Brisk Walk
summary: Builds your stamina and keeps you steady as you move.
muscles:
  - thigh and hip muscles
equipment: []
dosage:
  duration: 10 minutes
  action: walk
  frequency: 3 times a day
steps:
  - Put on shoes that fit you well.
  - Walk at a pace where you can still talk.
  - Slow down for the last minute.
safety:
  - Move slowly. Stop if you feel sharp pain.
---
Your physical therapist may change how much you do as you get stronger. Go at your own pace.
"""

# The shipped exercises' handouts with blanks: a blank for each part the dosage has, and no other.
BLANKS = {
    "bird-dog": "Do ______ sets. Repeat ______ times on each side. Do this ______ times a day, ______ days a week.",
    "kettlebell-deadlift": "Do ______ sets. Repeat ______ times. Do this ______ times a day, ______ days a week.",
    "pallof-press": "Do ______ sets. Repeat ______ times on each side. Do this ______ times a day, ______ days a week.",
    # A carry: one walk a side, as far as the therapist says. No hold, no sets.
    "single-arm-farmers-carry": "Repeat ______ times on each side. Walk this far: ______. "
                                "Do this ______ times a day, ______ days a week.",
    # Sets spread over the day: they already say how many times a day.
    "ankle-dorsiflexion-mobilization": "Do ______ sets, spread out over the day. Repeat ______ times on each side. "
                                       "Hold ______ seconds. Do this ______ days a week.",
}


def build(content: Path, output: Path) -> str:
    """Build a site as `python build.py` does; its warnings."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["--content", str(content), "--templates", str(ROOT / "templates"), "--output", str(output),
                       "--today", TODAY, "-q"])
    assert status == 0, err.getvalue()
    return err.getvalue()


@pytest.fixture(scope="module")
def packets(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, int]]:
    """Each packet to try, with its number of exercises: the shipped one, the same with a sixth
    exercise (a scratch site), and the two of the knee and balance fixture."""
    six = tmp_path_factory.mktemp("six")
    shutil.copytree(ROOT / "content", six / "content")
    (six / "content" / "exercises" / "brisk-walk.md").write_text(BRISK_WALK, encoding="utf-8")
    program = six / "content" / "programs" / "back-care-basics.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "  - exercise: brisk-walk\n", encoding="utf-8")
    # The English packet (the Spanish words of six rows are estimated to need more than the cover's page).
    (six / "content" / "programs" / "back-care-basics.es.yaml").unlink()
    assert "may not fit on one page" not in build(six / "content", six / "output")
    knee = tmp_path_factory.mktemp("knee")
    shutil.copytree(FIXTURE / "content", knee / "content")
    build(knee / "content", knee / "output")
    return {
        "back-care-basics": (built_site / "programs" / "back-care-basics" / "print.html", 5),
        "six-exercises": (six / "output" / "programs" / "back-care-basics" / "print.html", 6),
        "knee-start": (knee / "output" / "programs" / "knee-start" / "print.html", 5),
        "steady-on-your-feet": (knee / "output" / "programs" / "steady-on-your-feet" / "print.html", 4),
    }


# -- on a phone -------------------------------------------------------------------------------------

@pytest.mark.parametrize("packet", ["back-care-basics", "six-exercises"])
@pytest.mark.parametrize("width", [390, 360])
def test_on_a_phone_only_the_tracker_scrolls_sideways_in_its_own_region(browser, packets, width, packet):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": width, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, bypass_csp=True)  # bypass_csp: axe is injected as a script
    page = context.new_page()
    page.goto(packets[packet][0].as_uri())
    # Against the phone's width, not innerWidth: a mobile browser widens its layout viewport to fit what overflows.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    region = page.get_by_role("region", name="Your two-week tracker")
    assert region.count() == 1
    measured = region.evaluate("(el) => ({scroll: el.scrollWidth, client: el.clientWidth, "
                               "right: el.getBoundingClientRect().right})")
    assert measured["scroll"] > measured["client"]  # wider than the phone: it scrolls, inside its region
    assert measured["right"] <= width
    # A keyboard scrolls it too: it takes focus.
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.tracker-scroll').scrollLeft > 0", timeout=5000)
    # Scrolled to its end, each row still names its exercise.
    region.evaluate("(el) => { el.scrollLeft = el.scrollWidth; }")
    left = region.evaluate("(el) => el.getBoundingClientRect().left")
    names = page.locator(".tracker tbody th").evaluate_all("(ths) => ths.map((th) => th.getBoundingClientRect().left)")
    assert names and all(x >= left - 1 for x in names)
    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": [
        "scrollable-region-focusable", "aria-allowed-role", "aria-valid-attr-value", "landmark-unique"]}})
    assert results.violations_count == 0, results.generate_report()
    context.close()


# -- on paper ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("packet", ["back-care-basics", "six-exercises", "knee-start", "steady-on-your-feet"])
def test_the_cover_is_one_page_then_a_page_per_exercise(browser, pdf_tools, packets, tmp_path, packet, paper):
    path, exercises = packets[packet]
    pdf = print_pdf(browser, path.as_uri(), paper, tmp_path)
    assert pdf_pages(pdf) == 1 + exercises
    cover = pdf_text(pdf, 1)
    assert "Week 2" in cover and "Questions or pain that gets worse?" in cover  # the whole tracker, and below it
    assert "Week 2" not in pdf_text(pdf, 2)


def test_a_program_too_long_for_one_cover_warns_and_it_is_so(browser, pdf_tools, tmp_path):
    """The build's estimate knows the boxes' size: two exercises with five boxes a day more, and it warns."""
    shutil.copytree(ROOT / "content", tmp_path / "content")
    exercises = tmp_path / "content" / "exercises"
    (exercises / "brisk-walk.md").write_text(BRISK_WALK, encoding="utf-8")
    ankle = (exercises / "ankle-dorsiflexion-mobilization.md").read_text(encoding="utf-8")
    (exercises / "calf-stretch.md").write_text(ankle.replace("title: Ankle Dorsiflexion Mobilization",
                                                             "title: Calf Stretch"), encoding="utf-8")
    program = tmp_path / "content" / "programs" / "back-care-basics.yaml"
    program.write_text(program.read_text(encoding="utf-8") + "  - exercise: brisk-walk\n  - exercise: calf-stretch\n",
                       encoding="utf-8")
    warnings = build(tmp_path / "content", tmp_path / "output")
    assert ('content/programs/back-care-basics.yaml: exercises: the cover of "Back care basics" may not fit on one '
            "page") in warnings
    pdf = print_pdf(browser, (tmp_path / "output" / "programs" / "back-care-basics" / "print.html").as_uri(), "Letter",
                    tmp_path)
    assert pdf_pages(pdf) > 1 + 7


Shape = tuple[int, int, int, int, list[tuple[int, int, int]]]  # left, top, right, bottom; its rows' dark runs


def dark_shapes(pdf: Path, page: int, image: Path) -> list[Shape]:
    """Every connected shape of dark pixels on a page of a PDF rendered at 300 dpi, grey."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(image)], check=True)
    data = image.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
    width, height, pixels = int(header[1]), int(header[2]), data[header.end():]
    runs: list[tuple[int, int, int]] = []  # (row, start, end) of each run of dark pixels
    parent: list[int] = []  # union-find over runs: runs that touch are one shape

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    above: list[int] = []
    for y in range(height):
        here, first = [], 0
        for match in re.finditer(rb"[\x00-\x7f]+", pixels[y * width:(y + 1) * width]):
            index = len(runs)
            runs.append((y, match.start(), match.end()))
            parent.append(index)
            here.append(index)
            while first < len(above) and runs[above[first]][2] < match.start():
                first += 1
            touching = first
            while touching < len(above) and runs[above[touching]][1] <= match.end():
                parent[root(index)] = root(above[touching])
                touching += 1
        above = here
    shapes: dict[int, list[tuple[int, int, int]]] = {}
    for index, run in enumerate(runs):
        shapes.setdefault(root(index), []).append(run)
    return [(min(x0 for _, x0, _ in rows), rows[0][0], max(x1 for _, _, x1 in rows), rows[-1][0] + 1, rows)
            for rows in shapes.values()]


def is_box(shape: Shape) -> bool:
    """An empty square outline, 2 to 10 mm a side: a tick box (letters are smaller, or not hollow)."""
    left, top, right, bottom, rows = shape
    width, height, band = right - left, bottom - top, 0.6 * MM
    if not (2 * MM <= width <= 10 * MM and 2 * MM <= height <= 10 * MM and abs(width - height) < 0.5 * MM):
        return False
    on_edges = all(y < top + band or y >= bottom - band or x1 <= left + band or x0 >= right - band
                   for y, x0, x1 in rows)
    closed = [any(x1 - x0 > 0.9 * width for y, x0, x1 in rows if y in edge)
              for edge in (range(top, int(top + band)), range(int(bottom - band), bottom))]
    return on_edges and all(closed)


def gap(a: Shape, b: Shape) -> float:
    """The clear space between two shapes' boxes, in mm."""
    across = max(0, b[0] - a[2], a[0] - b[2])
    down = max(0, b[1] - a[3], a[1] - b[3])
    return max(across, down) / MM


@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("packet", ["back-care-basics", "six-exercises", "steady-on-your-feet"])
def test_tick_boxes_on_paper_are_at_least_5_mm_and_1_5_mm_apart(browser, pdf_tools, packets, tmp_path, packet,
                                                                 paper):
    path, _ = packets[packet]
    page = path.read_text(encoding="utf-8")
    pdf = print_pdf(browser, path.as_uri(), paper, tmp_path)
    shapes = dark_shapes(pdf, 1, tmp_path / "cover")
    boxes = [shape for shape in shapes if is_box(shape)]
    assert len(boxes) == page.count('<span class="tick"></span>')  # every box found, and nothing else
    sizes = [((right - left) / MM, (bottom - top) / MM) for left, top, right, bottom, _ in boxes]
    assert min(min(size) for size in sizes) >= 5, sizes
    assert min(gap(a, b) for a in boxes for b in boxes if a is not b) >= 1.5
    # A session of minutes gets a line to write them on, narrower than its day, with room above for a number.
    lines = [shape for shape in shapes if 4 * MM <= shape[2] - shape[0] <= 8.5 * MM and shape[3] - shape[1] < 0.6 * MM]
    assert len(lines) == page.count('<span class="minutes"></span>')
    for line in lines:
        assert min(gap(line, other) for other in lines if other is not line) >= 1.5
        above = [other for other in lines if other[0] == line[0] and other[1] < line[1]]
        assert all((line[1] - other[1]) / MM >= 5 for other in above)


# -- the handout with blanks --------------------------------------------------------------------------

@pytest.mark.parametrize("slug", BLANKS)
def test_the_printed_handout_with_blanks_asks_only_for_what_the_dosage_has(browser, pdf_tools, built_site, tmp_path,
                                                                          slug):
    url = (built_site / "exercises" / slug / "index.html").as_uri() + "#blank"
    text = pdf_text(print_pdf(browser, url, "Letter", tmp_path))
    box = text.split("How much and how often", 1)[1].split("Your physical therapist fills in these blanks", 1)[0]
    assert box.strip() == BLANKS[slug]
