"""Every kind of page printed by a real Chromium, at Letter and at A4, and read back like paper: how
many sheets it takes, what is written on them (a clinic's phone, address, hours, closures, care and
web address), and what never is (open now, today's row, search, buttons, navigation). The handout and
the packet have their own tests in test_print.py; here they are only counted and looked over for controls."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
import yaml
from conftest import QuietHandler
from test_print import pdf_pages

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "sites" / "knee-and-balance"
PAPERS = ["Letter", "A4"]
# Pages are printed at a fixed moment, so that the locator script's time-of-day lines are on the
# screen to be left off the paper: a Monday at noon in New York, 10 am in Denver, 5 pm in London.
MOMENT = dt.datetime(2026, 11, 2, 17, 0, tzinfo=dt.UTC)
# Lines the locator script writes for the time of day ("Open now · closes at 7 pm", "Closed · opens
# today at 1 pm", "Today: 7 am to 7 pm"): right on screen, stale on paper.
TIME_OF_DAY = re.compile(r"^(Open now\b|Closed\b.*·|Closed today\b|Today:)")
NEVER_ON_PAPER = ("Open now", "Closed now", "Use my location", "Directions", "Skip to main content")

# What the browser sees on screen once the page's scripts have run: the texts the paper is checked against.
SCREEN = """() => {
  const main = document.querySelector('main');
  const text = (el) => el.innerText.replace(/\\s+/g, ' ').trim();
  return {
    lines: main.innerText.split('\\n').map((line) => line.trim()).filter(Boolean),
    headings: [...main.querySelectorAll('h1, h2, h3, h4')].filter((h) => h.getClientRects().length).map(text),
    phones: [...main.querySelectorAll('a[href^="tel:"]')].map((a) => a.innerText.match(/[+(\\d][\\d ()+-]{5,}\\d/)[0]),
    addresses: [...main.querySelectorAll('address')].map((a) => a.innerText.split('\\n').map((l) => l.trim())),
    hours: [...main.querySelectorAll('table tr')].map(text),
    today: [...main.querySelectorAll('[aria-current="date"]')].length,
    summaries: [...main.querySelectorAll('summary')].map(text),
    disclosed: [...main.querySelectorAll('details li')].map((li) => li.textContent.replace(/\\s+/g, ' ').trim()),
  };
}"""
# The same page as the printer lays it out (print media): anything that works as or looks like a
# control, text not in black, and the styles of today's row of a clinic's hours against the others.
PRINTED = """() => {
  const shown = (el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden';
  const drawn = (el) => { const s = getComputedStyle(el);
    return parseFloat(s.borderTopWidth) > 0 || s.backgroundColor !== 'rgba(0, 0, 0, 0)'; };
  const controls = [...document.querySelectorAll(
      'button, input, select, textarea, summary, nav, [role="search"], body > header, body > footer')]
    .filter(shown).map((el) => el.outerHTML.slice(0, 80));
  const buttonLike = [...document.querySelectorAll('a')].filter((a) => shown(a) && drawn(a))
    .map((a) => a.outerHTML.slice(0, 80));
  const texts = [...document.querySelectorAll('main *')].filter((el) => shown(el) &&
    [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()));
  const look = (cell) => { const s = getComputedStyle(cell);
    return [s.fontWeight, s.color, s.backgroundColor, s.borderTopColor, s.borderBottomColor].join(' '); };
  const rows = [...document.querySelectorAll('main table tr')];
  return {
    controls: controls.concat(buttonLike),
    colours: [...new Set(texts.map((el) => getComputedStyle(el).color))],
    smallest: Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize))),
    rows: rows.map((row) => ({today: row.getAttribute('aria-current') === 'date', cells: [...row.cells].map(look)})),
  };
}"""


class Printer:
    """Prints pages and keeps each result: several tests read the same sheets."""

    def __init__(self, browser, folder: Path) -> None:
        self.browser, self.folder, self.done = browser, folder, {}

    def __call__(self, url: str, paper: str) -> dict:
        """Open the page as staff would, let its scripts run (the load event), print it to PDF; with what
        the screen showed before and, for print media, the page's controls, colours and hours rows."""
        if (url, paper) not in self.done:
            context = self.browser.new_context()
            page = context.new_page()
            page.clock.set_fixed_time(MOMENT)
            page.goto(url, wait_until="load")
            result = {"screen": page.evaluate(SCREEN)}
            pdf = self.folder / f"{len(self.done)}.pdf"
            pdf.write_bytes(page.pdf(format=paper))
            page.emulate_media(media="print")
            result.update(pdf=pdf, pages=pdf_pages(pdf), text=pdf_text_of(pdf), printed=page.evaluate(PRINTED))
            context.close()
            self.done[url, paper] = result
        return self.done[url, paper]


@pytest.fixture(scope="module")
def printer(browser, pdf_tools, tmp_path_factory) -> Printer:
    return Printer(browser, tmp_path_factory.mktemp("printed"))


@pytest.fixture(scope="module")
def knee_site(tmp_path_factory) -> Path:
    """The knee and balance fixture built as test_regions.py builds it: clinics in London (no hours) and
    Toronto (three days a week)."""
    project = tmp_path_factory.mktemp("knee-print")
    shutil.copytree(FIXTURE / "content", project / "content")
    assert main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(project / "output"), "--today", "2026-12-01", "-q"]) == 0
    return project / "output"


@pytest.fixture(scope="module")
def knee_url(knee_site):
    """The fixture site served over HTTP, as site_url serves the shipped one."""
    with served(knee_site) as url:
        yield url


class served:
    """A built site served on 127.0.0.1 for the length of a `with` block: printed as from the web, where
    links from the site's root (the 404 page's) work."""

    def __init__(self, folder: Path) -> None:
        handler = functools.partial(QuietHandler, directory=str(folder))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def pdf_text_of(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def squashed(text: str) -> str:
    """Text without spaces or hyphens, lower case: a word broken over two printed lines still matches."""
    return re.sub(r"[\s\-‐]", "", text.lower())


def clinics_of(content: Path) -> dict[str, dict]:
    """Each clinic's YAML, by its page's slug."""
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
            for path in sorted(content.glob("clinics/*.yaml"))}


SHIPPED_CLINICS = clinics_of(ROOT / "content")
FIXTURE_CLINICS = clinics_of(FIXTURE / "content")


# Sheets each kind of page of the shipped site prints on, at (Letter, A4). Exact where the page's length is
# fixed by its kind; the home page and the exercise list grow with the library, so they get a bound.
PAGE_COUNTS = {
    "": (range(1, 4), range(1, 4)),  # the home page: an introduction, the topics and every exercise
    "exercises/": (range(1, 3), range(1, 3)),
    "spine-planes/": (3, 3),  # the explainer
    "exercises/bird-dog/": (1, 1),  # the handout
    "programs/": (1, 1),
    "programs/back-care-basics/": (1, 1),
    "programs/back-care-basics/print.html": (6, 6),  # the packet: a cover, then a sheet per exercise
    "clinics/": (1, 1),  # the places with clinics
    # A state's clinics: their map, then two columns of cards.
    **{place: (2, 2) for place in ("clinics/us/co/", "clinics/us/nc/", "clinics/us/ny/")},
    **{f"clinics/{slug}/": (1, 1) for slug in SHIPPED_CLINICS},
    "404.html": (1, 1),
}
HANDOUTS = ("exercises/bird-dog/", "programs/back-care-basics/print.html")  # black type of their own (handout.css)


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("url", PAGE_COUNTS)
def test_every_page_kind_prints_on_its_number_of_sheets_and_no_sheet_ends_on_a_heading(printer, site_url, url,
                                                                                       paper):
    printed = printer(site_url + url, paper)
    expected = PAGE_COUNTS[url][PAPERS.index(paper)]
    if isinstance(expected, range):
        assert printed["pages"] in expected
    else:
        assert printed["pages"] == expected
    headings = set(printed["screen"]["headings"])
    for number in range(1, printed["pages"]):  # the last sheet may end anywhere
        lines = [line.strip() for line in pdf_text_of(printed["pdf"], number).splitlines() if line.strip()]
        assert lines[-1] not in headings, f"sheet {number} ends on the heading {lines[-1]!r}"


@pytest.mark.slow
@pytest.mark.parametrize("url", PAGE_COUNTS)
def test_paper_has_no_controls_navigation_or_colour(printer, site_url, url):
    printed = printer(site_url + url, "Letter")
    assert printed["printed"]["controls"] == []
    for words in NEVER_ON_PAPER:
        assert words not in flat(printed["text"])
    if url not in HANDOUTS:
        assert printed["printed"]["colours"] == ["rgb(0, 0, 0)"]
        assert printed["printed"]["smallest"] >= 16  # 12 pt


def check_clinic_page(printed: dict, clinic: dict) -> None:
    """One sheet with the clinic's name, address, phone, hours, closures, care and web address, and
    nothing that tells the time of day."""
    screen, text = printed["screen"], flat(printed["text"])
    assert printed["pages"] == 1
    assert clinic["name"] in text
    assert screen["phones"] and [phone for phone in screen["phones"] if phone not in text] == []
    [address] = screen["addresses"]
    assert [line for line in address if line not in text] == []
    if clinic.get("hours"):
        assert len(screen["hours"]) == 7
        assert [row for row in screen["hours"] if row not in text] == []
    else:
        assert "Hours not listed" in text
    for closure in clinic.get("closures", []):
        assert closure["reason"] in text
    for service in clinic["services"]:
        assert squashed(service) in squashed(text)
    if clinic.get("website"):
        assert squashed(clinic["website"].split("://", 1)[1]) in squashed(text)
    stale = [line for line in screen["lines"] if TIME_OF_DAY.match(line)]
    assert bool(stale) == bool(clinic.get("hours"))  # the script ran: the screen says whether it is open
    for line in stale:
        assert line not in text
    for words in NEVER_ON_PAPER:
        assert words not in text


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("slug", SHIPPED_CLINICS)
def test_a_printed_clinic_page_is_one_sheet_with_everything_a_patient_needs(printer, site_url, slug, paper):
    check_clinic_page(printer(site_url + f"clinics/{slug}/", paper), SHIPPED_CLINICS[slug])


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("slug", FIXTURE_CLINICS)
def test_a_clinic_of_another_shape_prints_the_same(printer, knee_url, slug, paper):
    """London: no hours, a postcode with a space, a +44 number. Toronto: open three days a week."""
    check_clinic_page(printer(knee_url + f"clinics/{slug}/", paper), FIXTURE_CLINICS[slug])


@pytest.mark.parametrize("site_name", ["shipped", "fixture"])
def test_todays_row_of_the_hours_prints_like_the_others(printer, site_url, knee_url, site_name):
    base, clinics = (site_url, SHIPPED_CLINICS) if site_name == "shipped" else (knee_url, FIXTURE_CLINICS)
    slug = next(slug for slug, clinic in clinics.items() if clinic.get("hours"))
    printed = printer(base + f"clinics/{slug}/", "Letter")
    assert printed["screen"]["today"] == 1  # the script marked today's row on screen
    rows = printed["printed"]["rows"]
    today = [row["cells"] for row in rows if row["today"]]
    others = [row["cells"] for row in rows if not row["today"]]
    assert today and today[0] == others[0] == others[-1]


PLACE_PAGES = {"shipped": ("clinics/us/co/", "clinics/us/nc/", "clinics/us/ny/"),
               "fixture": ("clinics/ca/", "clinics/gb/")}


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("site_name", ["shipped", "fixture"])
def test_the_printed_clinic_list_gives_every_clinic_phone_address_and_hours(printer, site_url, knee_url,
                                                                           site_name, paper):
    base, clinics = (site_url, SHIPPED_CLINICS) if site_name == "shipped" else (knee_url, FIXTURE_CLINICS)
    # The clinics are listed on the page of their place (state, province or country).
    pages = [printer(base + place, paper) for place in PLACE_PAGES[site_name]]
    printed = {"text": " ".join(page["text"] for page in pages),
               "screen": {key: [item for page in pages for item in page["screen"][key]]
                          for key in ("disclosed", "lines", "summaries")}}
    text = flat(printed["text"])
    for slug, clinic in clinics.items():
        # The phone and address as the clinic's own page gives them (its Call link and its address).
        screen = printer(base + f"clinics/{slug}/", paper)["screen"]
        assert clinic["name"] in text or squashed(clinic["name"]) in squashed(text)
        assert screen["phones"][0] in text, (slug, screen["phones"][0])
        assert [line for line in screen["addresses"][0] if line not in text] == [], slug
    # Each clinic's week, folded behind a disclosure on screen, is written out on paper.
    week = printed["screen"]["disclosed"]
    assert len(week) >= sum(bool(clinic.get("hours")) for clinic in clinics.values())
    assert [line for line in week if line not in text] == []
    stale = [line for line in printed["screen"]["lines"] if TIME_OF_DAY.match(line)]
    assert stale  # the script ran
    for line in stale + printed["screen"]["summaries"] + list(NEVER_ON_PAPER):
        assert line not in text


def blank_bands(pdf: Path, page: int, folder: Path) -> list[float]:
    """The runs of blank rows of pixels on a printed page, top to bottom, each as a share of its height."""
    image = folder / f"{pdf.stem}-{page}"
    subprocess.run(["pdftoppm", "-r", "36", "-gray", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(image)], check=True)
    data = image.with_suffix(".pgm").read_bytes()
    header = re.match(rb"P5\s+(\d+)\s+(\d+)\s+255\s", data)  # a binary greyscale image, a byte a pixel
    width, height, pixels = int(header[1]), int(header[2]), data[header.end():]
    assert len(pixels) == width * height
    bands, run = [], 0
    for row in range(height):
        if min(pixels[row * width:(row + 1) * width]) >= 200:
            run += 1
        else:
            bands.append(run)
            run = 0
    return [band / height for band in bands + [run]]


def assert_no_half_empty_sheet(pdf: Path, folder: Path) -> int:
    """Every sheet but the last has no blank stretch over half its height (above, between or below).

    Measured on an image of each sheet (pdftoppm), not its text (pdftotext): a picture, a card's border
    or a rule is ink that pdftotext cannot see, so a sheet holding only a picture would read as empty,
    and the text gives no measure of where on the sheet the blank space lies."""
    pages = pdf_pages(pdf)
    for page in range(1, pages):
        tallest = max(blank_bands(pdf, page, folder))
        assert tallest < 0.5, f"sheet {page} of {pages} is {tallest:.0%} blank in one stretch"
    return pages


@pytest.mark.parametrize("paper", PAPERS)
def test_the_explainer_prints_without_half_empty_sheets(printer, site_url, tmp_path, paper):
    printed = printer(site_url + "spine-planes/", paper)
    assert printed["pages"] > 1
    assert_no_half_empty_sheet(printed["pdf"], tmp_path)


TALL_PICTURE = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 860" width="240" height="860">
<title>A tall drawing</title><rect x="4" y="4" width="232" height="852" fill="#888" stroke="#000" stroke-width="8"/>
</svg>
"""


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
def test_a_tall_picture_in_an_explainer_leaves_no_half_empty_sheet(browser, pdf_tools, site, run, tmp_path, paper):
    """A clinic's own picture, taller than the room left on the first sheet, cannot be split: it must
    shrink to fit beside the text rather than move on and leave the sheet half blank."""
    site.write("content/images/spine-planes.svg", TALL_PICTURE)
    assert run("-q").status == 0
    with served(site.output) as url:
        printed = Printer(browser, tmp_path)(url + "spine-planes/", paper)
    assert assert_no_half_empty_sheet(printed["pdf"], tmp_path) > 1


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
def test_a_clinic_with_every_field_at_length_still_prints_on_one_sheet(browser, pdf_tools, site, run, tmp_path,
                                                                       paper):
    """Every service the site offers, five closures, hours split around lunch, languages, email and website."""
    services = list(yaml.safe_load(site.read("content/site.yaml"))["services"])
    closures = "".join(f"  - from: 2027-0{month}-01\n    to: 2027-0{month}-03\n"
                       f"    reason: Staff training in month {month}\n" for month in range(1, 6))
    lunch = "".join(f'  {day}: ["07:00-12:00", "13:00-19:00"]\n' for day in ("monday", "tuesday", "wednesday",
                                                                            "thursday", "friday", "saturday"))
    text = site.read("content/clinics/raleigh-downtown.yaml")
    text = re.sub(r"hours:\n(  .*\n)+", "hours:\n" + lunch + "  sunday: closed\n", text)
    text = re.sub(r"closures:\n((  .*|    .*)\n)+", "closures:\n" + closures, text)
    text = re.sub(r"services: .*\n", f"services: [{', '.join(services)}]\n", text)
    text = re.sub(r"languages: .*\n", "languages: [English, Spanish, Mandarin, Vietnamese, Arabic, French]\n", text)
    site.write("content/clinics/raleigh-downtown.yaml", text)
    assert run("-q").status == 0
    with served(site.output) as url:
        printed = Printer(browser, tmp_path)(url + "clinics/raleigh-downtown/", paper)
    check_clinic_page(printed, yaml.safe_load(text))
    assert "Staff training in month 5" in flat(printed["text"])
