"""The clinic locator for a health system: 500 clinics in several US states and in Canada, the UK and
Ireland. The locator's first load (its HTML and the CSS and JavaScript it loads up front) stays
within 30 KB, 10 KB compressed; every clinic is two taps from it without JavaScript (locator, place,
clinic); places are grouped under their country; a place with many clinics is split into pages,
each listed on the locator, so that every page keeps to the default budget; and the search finds any
clinic by its name."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import random
import re
import shutil
import threading
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import QuietHandler
from test_html_valid import vnu  # noqa: F401 - a fixture
from test_phone import FIXED_DATE, HEIGHT, LAYOUT_SHIFTS, WIDTHS, SlowScripts, measure_painted_first

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "site_gen" / "data" / "us-postcodes.txt"
FIRST_LOAD_KB, FIRST_LOAD_GZIP_KB = 30, 10

# US states by the first three digits of their ZIP codes, each with an area code for its phones.
STATES = {"NC": ("270", "289", "919"), "CO": ("800", "816", "303"), "NY": ("100", "149", "212"),
          "TX": ("750", "799", "512"), "CA": ("900", "961", "415"), "WA": ("980", "994", "206"),
          "FL": ("320", "349", "305"), "IL": ("600", "629", "312")}
US_CLINICS = 440
# Clinics elsewhere: (country, region, city, latitude, longitude, phone prefix, postal code, how many).
ABROAD = [("CA", "ON", "Toronto", 43.65, -79.38, "416-555-01", "M5V 0A1", 20),
          ("CA", "BC", "Vancouver", 49.28, -123.12, "604-555-01", "V6B 1A1", 12),
          ("GB", "Greater London", "London", 51.51, -0.12, "+44 20 7946 0", "N1 0AA", 16),
          ("GB", "Greater Manchester", "Manchester", 53.48, -2.24, "+44 161 496 0", "M1 1AA", 7),
          ("IE", "Co. Dublin", "Dublin 2", 53.34, -6.26, "+353 1 555 0", "D02 X285", 5)]
# Made-up names, one pair of words each, so that a clinic's name is found by nothing else of it.
FIRST = ("Alder Birch Cedar Dogwood Elm Fir Gum Hazel Ironwood Juniper Kapok Larch Maple Nutmeg Olive Pine "
         "Quince Rowan Spruce Teak Umber Viburnum Willow Yew Zelkova").split()
SECOND = "Bend Brook Court Crossing Field Gate Glade Heath Hollow Lake Landing Meadow Mews Point Ridge Row " \
         "Square Station Vale Walk".split()
HOURS = """hours:
  monday: "07:00-19:00"
  tuesday: "07:00-19:00"
  wednesday: "07:00-19:00"
  thursday: "07:00-19:00"
  friday: "07:00-17:00"
  saturday: "08:00-12:00"
"""


def clinic_files(seed: int = 19, states: tuple[str, ...] = tuple(STATES), us_clinics: int = US_CLINICS,
                 abroad: list[tuple] = ABROAD) -> dict[str, str]:
    """500 clinic files by slug: 440 in eight US states at real ZIP codes' centres, the rest abroad;
    each with the time zone of its place (tzfpy, as the build checks it). Or as many in these states
    and abroad."""
    import tzfpy

    rng = random.Random(seed)
    names = [f"{first} {second}" for first in FIRST for second in SECOND]
    rng.shuffle(names)
    by_state = {state: [] for state in states}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, lat, lon = line.split()
        for state in states:
            low, high, _ = STATES[state]
            if low <= code[:3] <= high and (float(lat), float(lon)) != (0, 0):
                by_state[state].append((code, float(lat), float(lon)))
    places = []
    for number in range(us_clinics):
        state = states[number % len(states)]
        code, lat, lon = rng.choice(by_state[state])
        places.append(("US", state, f"Town {code}", lat, lon, f"{STATES[state][2]}-555-01", code))
    for country, region, city, lat, lon, phone, postal, count in abroad:
        places += [(country, region, city, lat + rng.uniform(-0.05, 0.05), lon + rng.uniform(-0.05, 0.05), phone,
                    postal) for _ in range(count)]
    files = {}
    for number, (country, region, city, lat, lon, phone, postal) in enumerate(places):
        name = names[number]
        slug = name.lower().replace(" ", "-")
        digits = 3 if phone.startswith("+") else 2
        files[slug] = f"""name: {name} Physical Therapy
street: {number + 1} Sample Street
city: {city}
region: "{region}"
postal_code: "{postal}"
country: {country}
phone: "{phone}{number % 10 ** digits:0{digits}d}"
latitude: {lat:.4f}
longitude: {lon:.4f}
timezone: {tzfpy.get_tz(lon, lat)}
{HOURS if number % 5 else ""}services: [back pain]
"""
    return files


CLINICS = clinic_files()


def build_with(project: Path, clinics: dict[str, str], *options: str) -> tuple[Path, str]:
    """The shipped site with its clinics replaced by these, built into project/output (with these
    command-line options): the output folder, and what the build printed as problems."""
    shutil.copytree(ROOT / "content", project / "content")
    # In the site's first language only: a locator's weight is the same in each.
    for translation in (project / "content").rglob("*.es.*"):
        translation.unlink()
    site_yaml = project / "content" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("languages: [en-US, es-US]", "language: en-US"),
                         encoding="utf-8")
    shutil.rmtree(project / "content" / "clinics")
    (project / "content" / "clinics").mkdir()
    for slug, text in clinics.items():
        (project / "content" / "clinics" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    output = project / "output"
    problems = io.StringIO()
    with contextlib.redirect_stderr(problems):
        status = main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                       "--output", str(output), "-q", *options])
    assert status == 0, problems.getvalue()
    return output, problems.getvalue()


@pytest.fixture(scope="module")
def big_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The shipped site with its clinics replaced by the 500 above, built: the output folder, and
    what the build printed as problems."""
    return build_with(tmp_path_factory.mktemp("health-system"), CLINICS)


@pytest.fixture(scope="module")
def big_site(big_build) -> Path:
    return big_build[0]


class _Links(HTMLParser):
    """The links of a page's main part in its text (a map's dots, in an <svg>, left out), and what
    its head loads."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.in_svg = 0
        self.links: list[str] = []
        self.loads: list[str] = []
        self.headings: list[tuple[str, str]] = []  # (tag, text) of h1 and h2 in the main part
        self._heading: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "main":
            self.in_main = True
        elif tag == "svg":
            self.in_svg += 1
        elif tag == "a" and self.in_main and not self.in_svg and attributes.get("href"):
            self.links.append(attributes["href"])
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.loads.append(attributes["href"])
        elif tag == "script" and attributes.get("src"):
            self.loads.append(attributes["src"])
        elif tag in ("h1", "h2") and self.in_main:
            self._heading = [tag]

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "svg":
            self.in_svg -= 1
        elif tag in ("h1", "h2") and self._heading:
            self.headings.append((tag, "".join(self._heading[1:]).strip()))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading.append(data)


def read(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def page_of(page: Path, href: str) -> Path | None:
    """The built file a relative link of a page leads to (None: another site, a phone number)."""
    if urlsplit(href).scheme or href.startswith("#"):
        return None
    target = Path(urljoin(page.as_uri(), urlsplit(href).path).removeprefix("file://"))
    return target / "index.html" if target.is_dir() else target


def test_the_locators_first_load_is_light_at_500_clinics(big_site):
    locator = big_site / "clinics" / "index.html"
    files = [locator] + [page_of(locator, href) for href in read(locator).loads]
    raw = [path.read_bytes() for path in files]
    weight, packed = sum(map(len, raw)), sum(len(gzip.compress(data, 9)) for data in raw)
    assert weight <= FIRST_LOAD_KB * 1024, f"{weight / 1024:.1f} KB: {[f.name for f in files]}"
    assert packed <= FIRST_LOAD_GZIP_KB * 1024, f"{packed / 1024:.1f} KB compressed"
    # What it loads when someone searches holds every clinic.
    index = (big_site / "clinics" / "search.js").read_text(encoding="utf-8")
    assert all(f'"id":"{slug}"' in index.replace(" ", "") for slug in CLINICS)


def place_pages(output: Path, slugs: Iterable[str]) -> set[Path]:
    """Every page listing the clinics of a place, or a part of them: each page under clinics/ but the
    locator and the clinics' own (these slugs')."""
    clinics = output / "clinics"
    return set(clinics.glob("**/index.html")) - {clinics / "index.html"} - {clinics / slug / "index.html"
                                                                          for slug in slugs}


def clinics_listed(page: Path, output: Path, slugs: Iterable[str]) -> list[str]:
    """The slugs of the clinics a page links to in its text (its map's dots left out), in order."""
    pages = {output / "clinics" / slug / "index.html": slug for slug in slugs}
    return [pages[target] for href in read(page).links if (target := page_of(page, href)) in pages]


def test_every_clinic_is_two_taps_from_the_locator_without_javascript(big_site):
    locator = big_site / "clinics" / "index.html"
    places = {target for href in read(locator).links if (target := page_of(locator, href))}
    # Every page of every place is linked from the locator: a place split into parts, each part.
    assert places == place_pages(big_site, CLINICS)
    assert len(places) > 13  # 13 places (8 states, 2 provinces, 2 UK regions, Ireland), most of them split
    # Each clinic is on exactly one of them.
    listed = Counter(slug for place in places for slug in clinics_listed(place, big_site, CLINICS))
    assert listed == Counter(list(CLINICS)), f"{sorted(set(CLINICS) - set(listed))[:5]} are on no page; " \
                                       f"{[slug for slug, count in listed.items() if count > 1][:5]} on two"


def test_the_500_clinic_site_builds_within_the_default_page_budget(big_build):
    """The places' pages too, however many clinics a place has: big places are split."""
    output, problems = big_build
    assert not [line for line in problems.splitlines() if "page weight" in line]
    assert (output / "clinics" / "us" / "nc" / "2" / "index.html").exists()


def parts_of(first: Path) -> list[Path]:
    """A place's pages in order: its first, then each one's next."""
    parts = [first]
    while next_link := re.search(r'<a rel="next" href="([^"]+)"', parts[-1].read_text(encoding="utf-8")):
        parts.append(page_of(parts[-1], next_link.group(1)))
        assert len(parts) <= len(CLINICS)
    return parts


def text_of(page: Path) -> str:
    """A page's main text, without its tags, its spaces single."""
    main = re.search(r"<main.*?</main>", page.read_text(encoding="utf-8"), re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", "", main).split())


def test_a_big_places_pages_list_its_clinics_by_city_and_say_which(big_site):
    north_carolina = {slug: dict(re.findall(r"^(name|city): (.*)$", text, re.M)) for slug, text in CLINICS.items()
                      if 'region: "NC"' in text}
    by_city = sorted(north_carolina, key=lambda slug: (north_carolina[slug]["city"].casefold(),
                                                       north_carolina[slug]["name"].casefold()))
    parts = parts_of(big_site / "clinics" / "us" / "nc" / "index.html")
    assert 1 < len(parts) < len(by_city)
    # Together, in order, the parts list the state's clinics by city, then name.
    listed = [clinics_listed(part, big_site, CLINICS) for part in parts]
    assert [slug for part in listed for slug in part] == by_city
    start = 1
    for part, slugs in zip(parts, listed):
        first, last = (north_carolina[slug]["city"] for slug in (slugs[0], slugs[-1]))
        where = first if first == last else f"{first} to {last}"
        assert read(part).headings[0] == ("h1", f"Clinics in North Carolina: {where}")
        assert f"Clinics {start}–{start + len(slugs) - 1} of {len(by_city)}" in text_of(part)
        start += len(slugs)
    # The locator lists each under the state, by its cities.
    locator = big_site / "clinics" / "index.html"
    row = re.search(r'href="us/nc/">North Carolina</a>(.*?)</li></ul></li>', locator.read_text(encoding="utf-8"),
                    re.S).group(1)
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', row)
    assert [page_of(locator, href) for href, _ in links] == parts
    assert [label for _, label in links] == [read(part).headings[0][1].split(": ", 1)[1] for part in parts]


def test_a_split_places_pages_link_to_one_another(big_site):
    for first in ("us/nc", "ca/on", "gb/greater-manchester"):
        parts = parts_of(big_site / "clinics" / first / "index.html")
        assert len(parts) > 1
        assert set(parts) == {page for page in place_pages(big_site, CLINICS)
                              if page.is_relative_to(big_site / "clinics" / first)}
        for number, part in enumerate(parts):
            html = part.read_text(encoding="utf-8")
            previous = re.search(r'<a rel="prev" href="([^"]+)"', html)
            assert (page_of(part, previous.group(1)) if previous else None) == (parts[number - 1] if number else None)
            # Each lists the place's parts, itself among them, marked.
            listed = re.search(r'<nav class="place-parts".*?</nav>', html, re.S).group(0)
            assert [page_of(part, href) for href in re.findall(r'href="([^"#]+)"', listed)] == parts
            current = re.findall(r'<a href="([^"]+)" aria-current="page">', listed)
            assert [page_of(part, href) for href in current] == [part]


def test_each_place_page_has_a_title_and_description_of_its_own(big_site):
    pages = place_pages(big_site, CLINICS)
    heads = [re.search(r'<title>(.*?)</title>.*?<meta name="description" content="([^"]*)">',
                       page.read_text(encoding="utf-8"), re.S).groups() for page in pages]
    for which in (0, 1):
        repeated = [text for text, count in Counter(head[which] for head in heads).items() if count > 1]
        assert not repeated, f"{len(repeated)} repeated, such as {repeated[0]!r}"


def test_a_place_of_hundreds_of_clinics_keeps_every_page_light(tmp_path):
    """All in one state: a page per few clinics, each listing the parts nearest it, not all of them.
    Built to open from disk (--offline), where the build refuses any link to a folder."""
    clinics = clinic_files(states=("NC",), us_clinics=200, abroad=[])
    output, problems = build_with(tmp_path, clinics, "--offline")
    assert not [line for line in problems.splitlines() if "page weight" in line]
    locator = output / "clinics" / "index.html"
    places = {target for href in read(locator).links if (target := page_of(locator, href))}
    assert places == place_pages(output, clinics)
    parts = parts_of(output / "clinics" / "us" / "index.html")  # one state: its country's page
    assert set(parts) == places
    assert Counter(slug for part in parts for slug in clinics_listed(part, output, clinics)) == Counter(list(clinics))
    for number, part in enumerate(parts):
        linked = {target for href in read(part).links if (target := page_of(part, href)) in places}
        near = set(parts[max(number - 1, 0):number + 2])
        assert {parts[0], parts[-1]} | near <= linked < set(parts)
        assert f"All {len(parts)} pages are listed under United States on All clinics." in text_of(part)


def test_places_are_grouped_under_their_country(big_site):
    locator = read(big_site / "clinics" / "index.html")
    countries = [text for tag, text in locator.headings if tag == "h2"]
    assert countries == ["United States", "Canada", "Ireland", "United Kingdom"]  # the site's own first
    html = (big_site / "clinics" / "index.html").read_text(encoding="utf-8")
    sections = dict(re.findall(r'<h2 id="country-(\w+)">.*?</h2>(.*?)</section>', html, re.S))
    listed = {code: re.findall(r'<a class="block-link" href="([^"]+)">([^<]+)</a>', section)
              for code, section in sections.items()}
    assert [name for _, name in listed["us"]] == ["California", "Colorado", "Florida", "Illinois", "New York",
                                                  "North Carolina", "Texas", "Washington"]
    assert listed["ca"] == [("ca/bc/", "British Columbia"), ("ca/on/", "Ontario")]
    # Few clinics: one page for the country, each region's link leading to its heading there.
    assert listed["ie"] == [("ie/#region-co-dublin", "Co. Dublin")]
    assert [name for _, name in listed["gb"]] == ["Greater London", "Greater Manchester"]
    dublin = read(big_site / "clinics" / "ie" / "index.html").headings
    assert dublin == [("h1", "Clinics in Ireland"), ("h2", "Co. Dublin")]
    # A region with many clinics is split: its first page's heading names its first and last cities;
    # pages of one city's clinics, which of them.
    ontario = read(big_site / "clinics" / "ca" / "on" / "index.html").headings[0]
    assert ontario[1].startswith("Clinics in Ontario, Canada: Toronto, clinics 1–")  # 20 clinics in Toronto alone
    assert read(big_site / "clinics" / "us" / "nc" / "index.html").headings[0][1].startswith(
        "Clinics in North Carolina: Town 27")


def test_a_split_places_pages_and_the_locator_listing_them_are_valid_html(big_site, vnu, tmp_path):
    # The checker reads each file alone: a few pages are enough, copied where it finds them.
    for page in ("clinics/index.html", "clinics/us/nc/index.html", "clinics/us/nc/2/index.html",
                 "clinics/ca/on/index.html", "clinics/gb/greater-manchester/2/index.html"):
        (tmp_path / page).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(big_site / page, tmp_path / page)
    assert vnu(tmp_path) == []


@pytest.fixture(scope="module")
def big_url(big_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler,
                                                                                 directory=str(big_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("slug", [sorted(CLINICS)[137], sorted(CLINICS)[-1]])
def test_typing_a_clinics_name_finds_it_and_opens_its_page(browser, big_url, slug):
    name = re.search(r"^name: (.*)$", CLINICS[slug], re.M).group(1)
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(big_url + "clinics/")
    page.get_by_label("Search by city, postal code, clinic name or care").press_sequentially(name.lower()[:12])
    page.wait_for_selector("[data-locator][data-ready]")
    results = page.locator(".clinic-results > li")
    assert results.count() <= 20
    page.fill("#clinic-search", name)
    assert results.count() == 1
    assert page.locator("#locator-status").inner_text() == "Showing 1 clinic, A to Z by name."
    results.get_by_role("link", name=name, exact=True).click()
    page.wait_for_url(f"**/clinics/{slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert errors == []
    context.close()


def test_a_broad_search_shows_the_first_clinics_and_says_how_many_more(browser, big_url):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(big_url + "clinics/")
    page.fill("#clinic-search", "physical")
    page.wait_for_selector("[data-locator][data-ready]")
    assert page.locator(".clinic-results > li").count() == 20
    assert page.locator("#locator-status").inner_text() == "Showing 20 of 500 clinics, A to Z by name."
    assert page.locator(".locator-more").inner_text() == \
        "480 more. Type more of a name, city or postal code to narrow the list."
    page.fill("#clinic-search", "")
    assert page.locator(".clinic-results > li").count() == 0
    assert page.locator(".clinic-places").is_visible() and not page.locator(".locator-more").is_visible()
    context.close()


def test_a_clinic_named_like_a_countrys_list_is_refused(site, run):
    """Clinic pages are clinics/<slug>/ and a country's clinics are listed at clinics/<country code>/."""
    site.write("content/clinics/us.yaml", site.read("content/clinics/cary.yaml"))
    result = run("build")
    assert result.status == 1
    assert result.errors == ['content/clinics/us.yaml: slug: "us" is where the list of clinics in United States '
                             'is (clinics/us/); give this clinic a slug of its own, such as "cary-us"']


# A part's page, and the locator, on a phone: the links to a place's parts are big enough to tap, the
# page does not scroll sideways and nothing moves once scripts have run; on paper, the part says
# which clinics it lists, without links.
TAP_TARGETS = """() => [...document.querySelectorAll('.place-parts a, .pager a, .part-count a')]
  .map((link) => [link.textContent.trim(), link.getBoundingClientRect().height])"""


@pytest.mark.slow
def test_a_split_places_pages_fit_a_phone_and_print_without_their_links(browser, big_site):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowScripts,
                                                                                 directory=str(big_site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": HEIGHT})
            context.add_init_script(LAYOUT_SHIFTS)
            context.add_init_script(FIXED_DATE)
            page = context.new_page()
            for path in ("clinics/", "clinics/us/nc/2/", "clinics/ca/on/"):
                measured = measure_painted_first(page, address + path)
                assert measured["overflow"] <= 0 and measured["shift"] == 0, (path, measured)
                targets = page.evaluate(TAP_TARGETS)
                assert len(targets) > 3 and all(height >= 44 for _, height in targets), (path, targets)
            page.goto(address + "clinics/us/nc/2/")
            page.emulate_media(media="print")
            assert re.fullmatch(r"Clinics 6–\d+ of 55", page.locator(".part-count").inner_text())
            assert not page.locator(".place-parts").is_visible() and not page.locator(".pager").is_visible()
            context.close()
    finally:
        server.shutdown()
        server.server_close()
