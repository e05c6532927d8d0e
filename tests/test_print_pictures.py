"""Pictures on paper: every exercise's handout, and each page of a program's packet, prints its lead
pictures (small, in grey, beside the title and summary) and still fits one page at Letter and A4.

A picture is looked for where it prints: the page is drawn at 72 dpi, every word is painted out, and
what is left between the title and the dosage box must be drawing, not blank paper."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import ROOT, serving
from PIL import Image
from test_print import pdf_pages, print_pdf
from test_regions import FIXTURE, TODAY

from site_gen.cli import main

SHIPPED = sorted(path.stem for path in (ROOT / "content" / "exercises").glob("*.md") if path.stem.count(".") == 0)
KNEE = sorted(path.stem for path in (FIXTURE / "content" / "exercises").glob("*.md"))
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')


def photo(size=(1600, 1200)) -> bytes:
    """A photo as a phone takes it: a figure (dark) on a light floor."""
    image = Image.new("RGB", size, (235, 225, 205))
    image.paste((40, 60, 120), (size[0] // 3, size[1] // 4, size[0] * 2 // 3, size[1] * 3 // 4))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def knee_output(tmp_path_factory) -> Path:
    """The knee and balance fixture, each exercise led by a photo of its own (start) and a drawing (end),
    built with no warning that a sheet may not fit."""
    project = tmp_path_factory.mktemp("knee-pictures")
    shutil.copytree(FIXTURE / "content", project / "content")
    drawing = (ROOT / "content" / "exercises" / "bird-dog-end.svg").read_bytes()
    for slug in KNEE:
        path = project / "content" / "exercises" / f"{slug}.md"
        (path.parent / f"{slug}-start.jpg").write_bytes(photo())
        (path.parent / f"{slug}-end.svg").write_bytes(drawing)
        path.write_text(path.read_text(encoding="utf-8").replace(
            "---\n", f"---\npictures:\n  - file: {slug}-start.jpg\n    alt: Where you start\n    caption: Start\n"
                     f"  - file: {slug}-end.svg\n    alt: Where you end\n    caption: End\n", 1), encoding="utf-8")
    programs = project / "content" / "programs"
    programs.mkdir(exist_ok=True)
    (programs / "knee-start.yaml").write_text("title: Knee start\nsummary: Two to begin with.\nexercises:\n"
                                              "  - exercise: step-ups\n  - exercise: clamshells\n", encoding="utf-8")
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        assert main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                     "--output", str(project / "output"), "--today", TODAY, "-q"]) == 0
    assert "may not print on one page" not in errors.getvalue()
    return project / "output"


def words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """Every word printed on a page and its box, in points from the top left."""
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return [(float(x0), float(y0), float(x1), float(y1), text) for x0, y0, x1, y1, text in WORD.findall(html)]


def picture_ink(pdf: Path, page: int, title_word: str) -> int:
    """Dark pixels (at 72 dpi: one a point) printed between the sheet's title and its dosage box, words
    painted out: the lead pictures' ink, none when they do not print."""
    boxes = words(pdf, page)
    top = min(y0 for x0, y0, x1, y1, text in boxes if text == title_word)
    bottom = min(y0 for x0, y0, x1, y1, text in boxes if text == "How" and y0 > top)  # "How much and how often"
    png = subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", "-f", str(page), "-l", str(page), "-singlefile",
                          str(pdf)], capture_output=True, check=True).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    for x0, y0, x1, y1, _ in boxes:
        image.paste(255, (int(x0) - 1, int(y0) - 1, int(x1) + 2, int(y1) + 2))
    # From just above the title's words to above the dosage box's border (its heading's margin and border).
    region = image.crop((0, int(top) - 4, image.width, int(bottom) - 12))
    return sum(region.histogram()[:128])


def raster_images(pdf: Path, page: int) -> int:
    """How many raster images (photos) a page of the PDF holds."""
    assert shutil.which("pdfimages"), "pdfimages not found (Debian: apt-get install poppler-utils)"
    listing = subprocess.run(["pdfimages", "-list", "-f", str(page), "-l", str(page), str(pdf)],
                             capture_output=True, text=True, check=True).stdout
    return sum(1 for line in listing.splitlines()[2:] if line.split()[2] == "image")


def title_of(output: Path, slug: str) -> str:
    return re.search(r'class="sheet-title">([^<]+)<', (output / "exercises" / slug / "index.html")
                     .read_text(encoding="utf-8")).group(1).split()[0]


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_every_shipped_exercise_prints_its_drawings_on_one_page(browser, pdf_tools, built_site, site_url, tmp_path,
                                                               paper):
    for slug in SHIPPED:
        pdf = print_pdf(browser, f"{site_url}exercises/{slug}/", paper, tmp_path)
        assert pdf_pages(pdf) == 1, slug
        # Two line drawings, each some hundreds of points of ink at thumbnail size.
        assert picture_ink(pdf, 1, title_of(built_site, slug)) > 300, slug


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_every_fixture_exercise_prints_its_photo_and_drawing_on_one_page(browser, pdf_tools, knee_output, tmp_path,
                                                                        paper):
    with serving() as serve:
        url = serve(knee_output)
        for slug in KNEE:
            pdf = print_pdf(browser, f"{url}exercises/{slug}/", paper, tmp_path)
            assert pdf_pages(pdf) == 1, slug
            assert raster_images(pdf, 1) >= 1, slug  # the photo
            assert picture_ink(pdf, 1, title_of(knee_output, slug)) > 300, slug


@pytest.mark.slow
@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_the_packet_prints_each_exercise_with_its_pictures(browser, pdf_tools, built_site, site_url, tmp_path, paper):
    html = (built_site / "programs" / "back-care-basics" / "print.html").read_text(encoding="utf-8")
    titles = re.findall(r'class="sheet-title">([^<]+)<', html)
    pdf = print_pdf(browser, f"{site_url}programs/back-care-basics/print.html", paper, tmp_path)
    assert pdf_pages(pdf) == 1 + len(titles)
    for page, title in enumerate(titles, start=2):
        assert picture_ink(pdf, page, title.split()[0]) > 300, title


@pytest.mark.parametrize("density", [1, 2])
def test_the_packet_sends_its_photos_at_their_smallest(browser, knee_output, density):
    """A packet shows thumbnails, on screen as on paper: a browser fetches each photo's narrowest file,
    and prints it as it has it."""
    html = (knee_output / "programs" / "knee-start" / "print.html").read_text(encoding="utf-8")
    assert html.count('class="lead-pictures lead-pictures-small"') == 2
    context = browser.new_context(viewport={"width": 1280, "height": 800}, device_scale_factor=density)
    try:
        with serving() as serve:
            page = context.new_page()
            page.goto(f"{serve(knee_output)}programs/knee-start/print.html")
            page.wait_for_function("() => [...document.images].every((image) => image.complete)")
            photos = page.evaluate("""() => [...document.querySelectorAll('.lead-picture img')]
              .map((image) => image.currentSrc).filter((src) => !src.endsWith('.svg'))""")
    finally:
        context.close()
    assert len(photos) == 2 and all("-320." in src for src in photos), photos


MEDIUM_STEP = "Reach one arm forward and the other leg back, then return slowly, step {n}."


def without_pictures(text: str) -> str:
    """An exercise's front matter without its lead pictures."""
    return re.sub(r"\npictures:\n(  .*\n)+", "\n", text)


def spacing(site, slug: str) -> str:
    """The print spacing the build chose for an exercise's sheet."""
    return re.search(r'class="sheet sheet-(\w+)"', site.read(f"output/exercises/{slug}/index.html")).group(1)


def test_the_print_estimate_counts_the_lead_pictures(site, run):
    """Pictures beside the title narrow its lines: a sheet takes closer spacing with them than without,
    and one that fits only without them prints without them (they stay on its page on screen)."""
    steps = "steps:\n" + "".join(f'  - "{MEDIUM_STEP.format(n=n)}"\n' for n in range(1, 18))
    long_one = re.sub(r"steps:\n(  - .*\n)+", steps, site.read("content/exercises/bird-dog.md"))
    assert "\npictures:\n" in long_one
    site.write("content/exercises/long-one.md", long_one.replace("title: Bird Dog", "title: Long One"))
    with_them = run("-q")
    assert with_them.status == 0 and "Long One" not in with_them.err, with_them.err
    spacings_with = spacing(site, "bird-dog"), spacing(site, "long-one")
    assert spacings_with[1] == "tightest"
    assert 'class="lead-pictures"' in site.read("output/exercises/long-one/index.html")  # on screen

    for path in site.content.glob("exercises/*.md"):  # bird dog's translations follow it
        path.write_text(without_pictures(path.read_text(encoding="utf-8")), encoding="utf-8")
    without_them = run("-q")
    assert without_them.status == 0 and "Long One" not in without_them.err, without_them.err
    order = ["normal", "compact", "tight", "tighter", "tightest"]
    assert order.index(spacings_with[0]) > order.index(spacing(site, "bird-dog"))
    assert order.index(spacings_with[1]) > order.index(spacing(site, "long-one"))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_a_sheet_with_no_room_for_its_pictures_prints_on_one_page_without_them(browser, pdf_tools, site, run,
                                                                               tmp_path, paper):
    steps = "steps:\n" + "".join(f'  - "{MEDIUM_STEP.format(n=n)}"\n' for n in range(1, 18))
    long_one = re.sub(r"steps:\n(  - .*\n)+", steps, site.read("content/exercises/bird-dog.md"))
    site.write("content/exercises/long-one.md", long_one.replace("title: Bird Dog", "title: Long One"))
    assert run("-q").status == 0 and spacing(site, "long-one") == "tightest"
    with serving() as serve:
        pdf = print_pdf(browser, f"{serve(site.output)}exercises/long-one/", paper, tmp_path)
    assert pdf_pages(pdf) == 1
    assert "step 17." in " ".join(word[4] for word in words(pdf, 1))
    assert picture_ink(pdf, 1, "Long") == 0
