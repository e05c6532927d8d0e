"""The clinic locator and the clinic pages in Spanish (es/clinics/), in a real Chromium: the search and
its results, "Usar mi ubicación", and whether each clinic is open at fixed clocks, all in Spanish from
the same clinic data as the English pages; no English word of the theme's on them, checked against
every message the locator's templates, scripts and Python say (as Babel extracts them)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}
# The files that hold the locator's and clinic pages' messages.
MESSAGE_FILES = {
    "python": ("site_gen/features/locator.py", "site_gen/features/locator_places.py", "site_gen/kinds/clinic.py",
               "site_gen/features/international.py"),
    "jinja2": ("site_gen/theme/clinic.html", "site_gen/theme/clinics.html", "site_gen/theme/clinics_place.html",
               "site_gen/theme/partials/clinic_cards.html", "site_gen/theme/partials/map.html"),
}
ORDER = "() => [...document.querySelectorAll('.clinic-results > li address')].map((a) => a.dataset.clinic)"
STATUS = "() => document.querySelector('#locator-status').textContent"
LABELS = """() => Object.fromEntries([...document.querySelectorAll('address[data-clinic]')]
    .map((a) => [a.dataset.clinic, a.parentNode.querySelector('.open-status')]).filter(([, p]) => p && !p.hidden)
    .map(([id, p]) => [id, p.textContent.replace(/[\\u00a0\\u202f]/g, ' ')]))"""
TOLD = "() => [...document.querySelectorAll('.clinic-results .open-status')].every((line) => line.textContent)"
# What a reader sees of the page's main part, and what a screen reader reads out besides (labels).
SEEN = """() => { const main = document.querySelector('main');
    return [main.innerText, ...[...main.querySelectorAll('[aria-label]')].map((e) => e.getAttribute('aria-label'))]
      .join('\\n').replace(/[\\u00a0\\u202f]/g, ' '); }"""

# Worked out by hand from the shipped clinic files, in each clinic's own time zone (as tests/test_locator.py's
# English ones), in Spanish: times as Chromium's Intl writes them for es-US.
MOMENTS = {
    "weekday morning": ("2026-11-23T13:30:00Z", {  # Monday: 8:30 in New York, 6:30 in Denver
        "cary": "Abierto ahora · cierra a las 7:00 p.m.",
        "denver-downtown": "Abierto ahora · cierra a las 6:00 p.m.",
        "boulder": "Cerrado · abre hoy a las 7:00 a.m.",
    }),
    "weekend": ("2026-11-28T16:30:00Z", {  # Saturday: 11:30 in New York, 9:30 in Denver
        "cary": "Abierto ahora · cierra a las 12:00 p.m.",
        "boulder": "Abierto ahora · cierra a las 11:00 a.m.",
        "denver-downtown": "Cerrado · abre el lunes a las 6:00 a.m.",
    }),
    "holiday": ("2026-12-24T15:00:00Z", {  # Thursday 24 December: 10:00 in New York, 8:00 in Denver
        "raleigh-downtown": "Cerrado hoy (Winter holidays) · abre el lunes a las 7:00 a.m.",
        "manhattan-midtown": "Cerrado hoy (Winter holidays) · abre el lunes a las 6:30 a.m.",
        "cary": "Abierto ahora · cierra a las 7:00 p.m.",
    }),
}


def english_messages() -> set[str]:
    """Every message of the locator's and clinic pages' (singular and plural), as Babel extracts them."""
    found = set()
    for method, paths in MESSAGE_FILES.items():
        options = {"trim_blocks": "true", "lstrip_blocks": "true"} if method == "jinja2" else {}
        for path in paths:
            for _, message, _, _ in extract_from_file(method, str(ROOT / path), options=options):
                found.update(message if isinstance(message, tuple) else (message,))
    return {message for message in found if message}


def english_words(messages: set[str]) -> set[str]:
    """The words of the messages between their placeholders ("Open now · closes at", "tomorrow"), each
    part with a word in it: what would show if a message were left untranslated."""
    parts = set()
    for message in messages:
        for part in re.split(r"%\(\w+\)[sd]", message):
            part = part.strip(" .,:;·()–-")
            if re.search(r"[A-Za-z]{2}", part):
                parts.add(part)
    return parts


def clinic_data() -> list[str]:
    """What the content writes, in English, that the pages show as it is: the care clinics offer
    (site.yaml's services), and each clinic's name, address and why it closes."""
    services = yaml.safe_load((ROOT / "content" / "site.yaml").read_text())["services"]
    clinics = [yaml.safe_load(path.read_text()) for path in (ROOT / "content" / "clinics").glob("*.yaml")]
    written = [clinic[key] for clinic in clinics for key in ("name", "street", "city") if key in clinic]
    reasons = [closure["reason"] for clinic in clinics for closure in clinic.get("closures", [])]
    return sorted({*services, *written, *reasons}, key=len, reverse=True)


def untranslated(text: str, parts: set[str]) -> list[str]:
    """The parts of English messages found in a page's text, as whole words, besides the content's words."""
    for words in clinic_data():
        text = re.sub(re.escape(words), " ", text, flags=re.I)
    return sorted(part for part in parts if re.search(rf"(?<![\w]){re.escape(part)}(?![\w])", text))


def catalog_messages() -> set[str]:
    """Every message the theme's Spanish catalog translates: none may show in English on a Spanish
    page, though its template no longer asked for it to be translated."""
    with (ROOT / "site_gen/theme/locale/es.po").open("rb") as file:
        catalog = read_po(file)
    return {text for message in catalog if message.id and message.string
            for text in (message.id if isinstance(message.id, tuple) else (message.id,))}


@pytest.fixture(scope="module")
def parts() -> set[str]:
    messages = english_messages()
    assert {"Use my location", "Open now · closes at %(time)s", "Clinics in %(place)s"} <= messages
    return english_words(messages | catalog_messages())


@pytest.fixture
def open_page(browser, site_url):
    contexts = []

    def open_at(path: str, when: str | None = None, **options):
        context = browser.new_context(viewport=PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        if when:
            page.clock.set_fixed_time(dt.datetime.fromisoformat(when.replace("Z", "+00:00")))
        page.goto(site_url + path)
        return page

    yield open_at
    for context in contexts:
        context.close()


def start_search(page) -> None:
    page.focus("#clinic-search")
    page.wait_for_selector("[data-locator][data-ready]")


def test_the_spanish_locator_searches_in_spanish(open_page, parts):
    english = open_page("clinics/")
    start_search(english)
    english.fill("#clinic-search", "Denver")
    page = open_page("es/clinics/")
    assert page.evaluate("document.documentElement.lang") == "es-US"
    assert page.locator("h1").inner_text() == "Buscar una clínica"
    label = "Busque por ciudad, código postal, nombre de la clínica o tipo de atención"
    assert page.get_by_label(label).count() == 1
    start_search(page)
    page.fill("#clinic-search", "Denver")
    found = page.evaluate(ORDER)
    assert found and found == english.evaluate(ORDER)  # the same clinics, from the same data
    assert page.evaluate(STATUS) == f"Se muestran {len(found)} clínicas, por nombre de la A a la Z."
    first = page.locator(".clinic-results > li").first
    assert first.locator("a.button").first.inner_text().startswith("Llame al (")
    assert first.locator("a.button-secondary").inner_text() == "Cómo llegar"
    assert first.locator("a.button-secondary").get_attribute("aria-label").startswith("Cómo llegar a Example")
    # Each result links to the clinic's Spanish page.
    assert first.locator("h3 a").get_attribute("href") == f"{found[0]}/"
    seen = page.evaluate(SEEN)
    page.fill("#clinic-search", "Springfield")
    assert page.evaluate(STATUS) == "Ninguna clínica coincide. Pruebe con una ciudad o un código postal."
    seen += page.evaluate(SEEN)
    page.fill("#clinic-search", "99501")  # Anchorage: no clinic near, so no location for it
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('99501')")
    assert page.evaluate(STATUS).startswith("No tenemos la ubicación del código postal 99501, así que")
    seen += page.evaluate(SEEN)
    page.fill("#clinic-search", "carolina del norte")  # a state by its Spanish name
    assert page.evaluate(ORDER) and page.evaluate(STATUS).startswith("Se muestran 5 clínicas")
    assert untranslated(seen, parts) == []
    assert page.errors == []


def test_use_my_location_in_spanish(open_page, parts):
    page = open_page("es/clinics/", geolocation={"latitude": 35.78, "longitude": -78.64}, permissions=["geolocation"])
    page.get_by_role("button", name="Usar mi ubicación").click()
    page.wait_for_function("() => document.querySelector('.clinic-results > li .distance')?.textContent")
    assert page.evaluate(STATUS) == ("Se muestran 12 clínicas, de la más cercana a la más lejana desde su "
                                     "ubicación.")
    distances = page.evaluate("() => [...document.querySelectorAll('.clinic-results .distance')]"
                              ".map((line) => line.textContent)")
    assert all(re.fullmatch(r"a [\d,]+\.\d mi", distance) for distance in distances), distances
    page.wait_for_function(TOLD)
    seen = page.evaluate(SEEN)
    page.fill("#clinic-search", "27511")  # a postal code: nearest its centre
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('27511')")
    assert page.evaluate(STATUS).endswith("de la más cercana a la más lejana desde el código postal 27511.")
    refused = open_page("es/clinics/")  # no permission: the browser does not share it
    refused.get_by_role("button", name="Usar mi ubicación").click()
    refused.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('ubicación')")
    assert refused.evaluate(STATUS).startswith("No se compartió su ubicación. Escriba una ciudad o un código postal")
    assert untranslated(seen + page.evaluate(SEEN) + refused.evaluate(SEEN), parts) == []
    assert page.errors == refused.errors == []


@pytest.mark.parametrize("moment", MOMENTS)
def test_open_now_in_spanish_at_fixed_clocks(open_page, moment, parts):
    when, expected = MOMENTS[moment]
    labels, seen = {}, ""
    for state in ("nc", "co", "ny"):  # each state's page of cards
        page = open_page(f"es/clinics/us/{state}/", when)
        labels.update(page.evaluate(LABELS))
        seen += page.evaluate(SEEN)
        assert page.errors == []
    for slug, label in expected.items():
        assert labels[slug] == label, slug
    locator = open_page("es/clinics/", when)  # the search's results say the same
    start_search(locator)
    locator.fill("#clinic-search", "example")
    locator.wait_for_function(TOLD)
    found = locator.evaluate(LABELS)
    assert {slug: found[slug] for slug in expected} == expected
    assert found["aurora"] == "Horario no disponible"
    assert untranslated(seen + locator.evaluate(SEEN), parts) == []


def test_a_spanish_clinic_page(open_page, parts):
    page = open_page("es/clinics/boulder/", "2026-11-28T16:30:00Z")  # Saturday, 9:30 in Boulder
    status = page.locator(".open-status").inner_text().replace("\u202f", " ")
    assert status == "Abierto ahora · cierra a las 11:00 a.m."
    assert page.locator("tr[aria-current=date] th").inner_text() == "Sábado"
    # The table's times are Babel's, the script's Intl's: the same time of day.
    row = page.locator("tr[aria-current=date] td").inner_text().replace("\u202f", " ").replace("\u00a0", " ")
    assert row.endswith("a 11:00 a.m."), row
    assert page.get_by_role("heading", name="Horario de atención").count() == 1
    assert "Idiomas que hablamos: inglés" in page.locator("main").inner_text()
    assert page.locator(".breadcrumb a").inner_text() == "Todas las clínicas"
    assert untranslated(page.evaluate(SEEN), parts) == []
    place = open_page("es/clinics/us/co/", "2026-11-28T16:30:00Z")
    assert place.locator("h1").inner_text() == "Clínicas en Colorado"
    assert place.title().startswith("Clínicas en Colorado · ")
    assert place.locator(".hours-today").first.inner_text().startswith("Hoy: ")
    nc = open_page("es/clinics/us/nc/")
    assert nc.locator("h1").inner_text() == "Clínicas en Carolina del Norte"
    assert untranslated(place.evaluate(SEEN) + nc.evaluate(SEEN), parts) == []
    assert page.errors == place.errors == []


def test_english_pages_carry_no_words(built_site):
    """The scripts have the English words themselves: the English pages' data gives none."""
    for path in ("clinics/index.html", "clinics/us/nc/index.html", "clinics/cary/index.html"):
        data = re.search(r'id="locator-data">(.*?)</script>', (built_site / path).read_text()).group(1)
        assert '"words"' not in data, path
    assert '"words"' in (built_site / "es/clinics/cary/index.html").read_text()


LONDON = """name: Example Physiotherapy – London
street: 10 Sample Road
city: London
region: Greater London
postal_code: "N1 0AA"
country: GB
phone: "+44 20 7946 0123"
latitude: 51.5362
longitude: -0.1033
timezone: Europe/London
services: [back pain]
languages: [English, Portuguese]
"""


def test_a_clinic_abroad_in_spanish(site, run):
    """Its country named in Spanish in its address, its emergency numbers joined by a Spanish "o",
    its languages named in Spanish; on the English pages, as they were."""
    site.write("content/clinics/london.yaml", LONDON)
    assert run("--output", "output", "-q", "--today", "2026-12-01").status == 0
    spanish = site.read("output/es/clinics/london/index.html")
    english = site.read("output/clinics/london/index.html")
    address = r'<address data-clinic="london">(.*?)</address>'
    assert re.search(address, spanish, re.S).group(1).split("<br>")[-1] == "Reino Unido"
    assert re.search(address, english, re.S).group(1).split("<br>")[-1] == "United Kingdom"
    assert "999 o 112" in spanish and "999 or 112" in english
    assert "Idiomas que hablamos: inglés, portugués" in spanish
    assert "Languages spoken: English, Portuguese" in english
    index = site.read("output/es/clinics/search.js")  # found by its country's Spanish name, and English one
    assert "reino unido" in index and "united kingdom" in index
