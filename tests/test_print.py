"""Printed handouts and packets, printed to PDF by a real Chromium and read back like paper."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from test_site import EXERCISES

BASE = "https://backcare.example.org/"
SUMMARIES = {  # the dosage box's first line, from the source's facts table
    "bird-dog": "Do this 15 times on each side, every day.",
    "kettlebell-deadlift": "Do this once or twice a week.",
    "pallof-press": "Do 2 sets on each side, every day.",
    "single-arm-farmers-carry": "Walk about 30 feet, then turn and walk back. Do this once on each side, 3–4 times a "
                                "week.",
    "ankle-dorsiflexion-mobilization": "Hold for about 5 seconds. Do 5 sets of 30 on each side, spread out over the "
                                       "day, every day.",
}
# Tick boxes a day on the tracker: a box per session, so the ankle's 5 sets a day get 5.
BOXES_PER_DAY = {"bird-dog": 1, "kettlebell-deadlift": 1, "pallof-press": 1, "single-arm-farmers-carry": 1,
                 "ankle-dorsiflexion-mobilization": 5}


def print_pdf(browser, url: str, paper: str, tmp_path: Path) -> Path:
    """Print a page as the browser's Print button does, to a PDF file."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    path = tmp_path / f"{abs(hash((url, paper)))}.pdf"
    path.write_bytes(page.pdf(format=paper))
    context.close()
    return path


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pdf_text(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    text = subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def qr_codes(path: Path, page: int, tmp_path: Path) -> list[str]:
    """Decode the QR codes on a printed page with zbar, from a 150 dpi image of it."""
    image = tmp_path / f"page-{page}"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", str(page), "-l", str(page), "-singlefile", str(path),
                    str(image)], check=True)
    result = subprocess.run(["zbarimg", "--raw", "-q", f"{image}.png"], capture_output=True, text=True)
    return result.stdout.split()


@pytest.mark.parametrize("paper", ["Letter", "A4"])
@pytest.mark.parametrize("slug", EXERCISES)
def test_every_exercise_prints_on_one_page(browser, pdf_tools, built_site, tmp_path, slug, paper):
    pdf = print_pdf(browser, (built_site / "exercises" / slug / "index.html").as_uri(), paper, tmp_path)
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert SUMMARIES[slug] in text
    assert f"backcare.example.org/exercises/{slug}/" in text
    assert "Example Physical Therapy · Call (919) 555-0100" in text
    assert "Notes from your therapist" in text
    assert "Stop and call your physical therapist if pain gets worse or new pain starts." in text
    assert "Last reviewed November 1, 2026" in text
    for screen_only in ("Find a clinic near you", "Print this page", "Why it helps", "Skip to main content"):
        assert screen_only not in text
    assert "______" not in text  # the blanks print only when asked for


@pytest.mark.parametrize("slug", EXERCISES)
def test_qr_code_on_the_printed_page_opens_the_page(browser, pdf_tools, built_site, tmp_path, slug):
    pdf = print_pdf(browser, (built_site / "exercises" / slug / "index.html").as_uri(), "Letter", tmp_path)
    assert qr_codes(pdf, 1, tmp_path) == [f"{BASE}exercises/{slug}/"]


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_handout_with_blanks_prints_blanks_for_the_therapist(browser, pdf_tools, built_site, tmp_path, paper):
    """The exercise page's button shows the dosage as blanks; printed then, the sheet has the blanks."""
    context = browser.new_context()
    page = context.new_page()
    page.goto((built_site / "exercises" / "bird-dog" / "index.html").as_uri())
    assert not page.get_by_text("Do ______ sets.").is_visible()
    page.get_by_role("link", name="Handout with blanks for your therapist").click()
    assert page.url.endswith("#blank")
    assert page.get_by_text("Do ______ sets.").is_visible()
    assert not page.get_by_text("Do this 15 times on each side, every day.").is_visible()
    pdf = tmp_path / "blank.pdf"
    pdf.write_bytes(page.pdf(format=paper))
    page.get_by_role("link", name="Show the dosage filled in").click()
    assert page.get_by_text("Do this 15 times on each side, every day.").is_visible()
    context.close()
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    assert "Do ______ sets. Repeat ______ times on each side. Do this ______ times a day, ______ days a week." in text
    assert "15 times" not in text
    assert "Show the dosage filled in" not in text and "Handout with blanks" not in text
    assert qr_codes(pdf, 1, tmp_path) == [f"{BASE}exercises/bird-dog/"]


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_program_packet_prints_a_cover_then_a_page_per_exercise(browser, pdf_tools, built_site, tmp_path, paper):
    url = (built_site / "programs" / "back-care-basics" / "print.html").as_uri()
    pdf = print_pdf(browser, url, paper, tmp_path)
    assert pdf_pages(pdf) == 1 + len(EXERCISES)
    cover = pdf_text(pdf, 1)
    assert cover.startswith("Example Physical Therapy · Call (919) 555-0100 Back care basics")
    assert "Your name:" in cover and "Start date:" in cover
    for slug, summary in SUMMARIES.items():
        assert summary in cover
    assert "Week 1" in cover and "Week 2" in cover and "Distance from your big toe to the wall" in cover
    titles = ["Bird Dog", "Kettlebell Deadlift", "Pallof Press", "Single-Arm Farmer's Carry",
              "Ankle Dorsiflexion Mobilization"]
    for number, (slug, title) in enumerate(zip(EXERCISES, titles), start=2):
        text = pdf_text(pdf, number)
        assert title in text and SUMMARIES[slug] in text
    assert qr_codes(pdf, 6, tmp_path) == [f"{BASE}exercises/ankle-dorsiflexion-mobilization/"]


def test_tracker_has_a_box_per_session_for_two_weeks(browser, built_site):
    page = browser.new_page()
    page.goto((built_site / "programs" / "back-care-basics" / "print.html").as_uri())
    boxes = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('tr[data-exercise]')]
        .map((row) => [row.dataset.exercise, [...row.querySelectorAll('td')].map((cell) =>
            cell.querySelectorAll('.tick').length)]))""")
    assert boxes == {slug: [count] * 14 for slug, count in BOXES_PER_DAY.items()}
    labels = page.evaluate("[...document.querySelectorAll('tr[data-exercise] th')].map((th) => th.innerText)")
    assert labels[1] == "Kettlebell Deadlift\nOnce or twice a week"
    assert labels[4] == "Ankle Dorsiflexion Mobilization\nEvery day, 5 sets"
    measure = page.locator("tr[data-measure='ankle-dorsiflexion-mobilization']").inner_text()
    assert "Week 1: __________" in measure and "Week 2: __________" in measure
    page.close()


def test_print_type_is_large_black_and_free_of_site_chrome(browser, built_site):
    page = browser.new_page(viewport={"width": 700, "height": 1000})
    page.goto((built_site / "exercises" / "pallof-press" / "index.html").as_uri())
    page.emulate_media(media="print")
    measured = page.evaluate("""() => {
      const sheet = document.querySelector('.sheet');
      const texts = [...sheet.querySelectorAll('*')].filter((el) => !el.closest('svg, .sheet-small') &&
        el.getClientRects().length && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
      const size = (el) => parseFloat(getComputedStyle(el).fontSize);
      return {
        smallest: Math.min(...texts.map(size)),
        body: size(sheet.querySelector('.steps li')),
        title: size(sheet.querySelector('h1')),
        heading: size(sheet.querySelector('h2')),
        colours: [...new Set(texts.map((el) => getComputedStyle(el).color))],
        hidden: ['.site-header', '.site-footer', '.pager', '.find-clinic', '.print-button', '.skip-link']
          .map((s) => document.querySelector(s)).filter((el) => el && el.getClientRects().length).map((el) => el.className),
      };
    }""")
    assert measured["smallest"] >= 16  # 12 pt
    assert measured["title"] > measured["heading"] > measured["body"] >= 16
    assert measured["colours"] == ["rgb(0, 0, 0)"]
    assert measured["hidden"] == []
    page.close()


def test_print_button_appears_with_javascript_only(browser, built_site):
    url = (built_site / "exercises" / "bird-dog" / "index.html").as_uri()
    page = browser.new_page()
    page.goto(url)
    button = page.get_by_role("button", name="Print this page")
    assert button.is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")
    button.click()
    assert page.evaluate("window.printed") is True
    page.close()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    assert page.get_by_role("button", name="Print this page").count() == 0
    context.close()


LONG_STEP = ("Slowly and with control, move your arm and the opposite leg out and back again while you keep "
             "your back flat, your belly gently pulled in and your breathing calm and even, step {n}.")
MEDIUM_STEP = "Reach one arm forward and the other leg back, then return slowly, step {n}."


def steps_block(template: str, count: int = 12) -> str:
    return "steps:\n" + "".join(f'  - "{template.format(n=n)}"\n' for n in range(1, count + 1))


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_twelve_long_steps_print_on_one_page_or_the_build_warns(browser, pdf_tools, site, run, tmp_path, paper):
    text = site.read("content/exercises/bird-dog.md")
    text = re.sub(r"steps:\n(  - .*\n)+", steps_block(LONG_STEP), text).replace("title: Bird Dog", "title: Long One")
    site.write("content/exercises/long-one.md", text)
    result = run()
    assert result.status == 0
    warned = '"Long One" may not print on one page, even with tight spacing' in result.err
    for variant in ("", "#blank"):  # the handout, and the same page with blanks for the dosage
        pdf = print_pdf(browser, (site.output / "exercises" / "long-one" / "index.html").as_uri() + variant,
                        paper, tmp_path)
        assert warned or pdf_pages(pdf) == 1


@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_twelve_medium_steps_shrink_the_spacing_and_fit(browser, pdf_tools, site, run, tmp_path, paper):
    text = site.read("content/exercises/bird-dog.md")
    text = re.sub(r"steps:\n(  - .*\n)+", steps_block(MEDIUM_STEP), text).replace("title: Bird Dog", "title: Twelve")
    site.write("content/exercises/twelve.md", text)
    result = run()
    assert result.status == 0 and "Twelve" not in result.err
    html = site.read("output/exercises/twelve/index.html")
    assert re.search(r'class="sheet sheet-(compact|tight)"', html)
    for variant, dosage in (("", "15 times on each side"), ("#blank", "Do ______ sets.")):
        pdf = print_pdf(browser, (site.output / "exercises" / "twelve" / "index.html").as_uri() + variant,
                        paper, tmp_path)
        assert pdf_pages(pdf) == 1
        assert "step 12." in pdf_text(pdf) and dosage in pdf_text(pdf)


@pytest.mark.parametrize("url", ["https://backcare.example.org/exercises/bird-dog/", "https://x.org/",
                                 "https://backcare.example.org/exercises/" + "a-very-long-exercise-name-" * 6 + "/"])
def test_the_qr_code_path_draws_exactly_the_symbols_dark_modules(url):
    import zxingcpp

    from site_gen.features.qrcodes import QUIET_ZONE, qr_code

    code = qr_code(url)
    drawn, x, y = set(), 0.0, 0.0
    for command, numbers in re.findall(r"([mh])([-0-9. ]+)", code.path):
        values = [float(number) for number in numbers.split()]
        if command == "m":
            x, y = x + values[0], y + values[1]
        else:
            drawn |= {(int(x) + step, int(y)) for step in range(int(values[0]))}
            x += values[0]
    image = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(scale=1, add_quiet_zones=False)
    size = memoryview(image).shape[0]
    pixels = memoryview(image).tobytes()
    dark = {(column + QUIET_ZONE, row + QUIET_ZONE) for row in range(size) for column in range(size)
            if pixels[row * size + column] == 0}
    assert drawn == dark and code.size == size + 2 * QUIET_ZONE
