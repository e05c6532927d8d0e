"""The clinic locator for a health system: 500 clinics in several US states and in Canada, the UK and
Ireland. The locator's first load (its HTML and the CSS and JavaScript it loads up front) stays
within 30 KB, 10 KB compressed; every clinic is two taps from it without JavaScript (locator, place,
clinic); places are grouped under their country; and the search finds any clinic by its name."""

from __future__ import annotations

import gzip
import random
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

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


def clinic_files(seed: int = 19) -> dict[str, str]:
    """500 clinic files by slug: 440 in eight US states at real ZIP codes' centres, the rest abroad;
    each with the time zone of its place (tzfpy, as the build checks it)."""
    import tzfpy

    rng = random.Random(seed)
    names = [f"{first} {second}" for first in FIRST for second in SECOND]
    rng.shuffle(names)
    by_state = {state: [] for state in STATES}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        code, lat, lon = line.split()
        for state, (low, high, _) in STATES.items():
            if low <= code[:3] <= high and (float(lat), float(lon)) != (0, 0):
                by_state[state].append((code, float(lat), float(lon)))
    places = []
    for number in range(US_CLINICS):
        state = list(STATES)[number % len(STATES)]
        code, lat, lon = rng.choice(by_state[state])
        places.append(("US", state, f"Town {code}", lat, lon, f"{STATES[state][2]}-555-01", code))
    for country, region, city, lat, lon, phone, postal, count in ABROAD:
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


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped site with its clinics replaced by the 500 above, built; the output folder."""
    project = tmp_path_factory.mktemp("health-system")
    shutil.copytree(ROOT / "content", project / "content")
    shutil.rmtree(project / "content" / "clinics")
    (project / "content" / "clinics").mkdir()
    for slug, text in CLINICS.items():
        (project / "content" / "clinics" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    output = project / "output"
    assert main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(output), "-q"]) == 0
    return output


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


def test_every_clinic_is_two_taps_from_the_locator_without_javascript(big_site):
    locator = big_site / "clinics" / "index.html"
    clinics = {big_site / "clinics" / slug / "index.html" for slug in CLINICS}
    places = {target for href in read(locator).links if (target := page_of(locator, href))}
    reached = {target for place in places for href in read(place).links
               if (target := page_of(place, href))}
    assert clinics <= reached, f"{len(clinics - reached)} clinics are not two taps from the locator"
    assert not clinics & places  # the locator lists places, not each clinic


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
    assert read(big_site / "clinics" / "ca" / "on" / "index.html").headings[0] == ("h1", "Clinics in Ontario, Canada")
    assert read(big_site / "clinics" / "us" / "nc" / "index.html").headings[0] == ("h1", "Clinics in North Carolina")


@pytest.fixture(scope="module")
def big_url(big_site):
    import functools
    import http.server
    import threading

    from conftest import QuietHandler

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
