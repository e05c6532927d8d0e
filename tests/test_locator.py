"""The clinic locator in a real Chromium: search, nearest first, open now, and without JavaScript.

The locator (`clinics/`) lists the places (countries, then regions), each linking to the page of its
clinics; its search loads the index of every clinic when first used, and shows the clinics found."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest
import yaml

CLINICS = {path.stem: yaml.safe_load(path.read_text())
           for path in (Path(__file__).parent.parent / "content" / "clinics").glob("*.yaml")}
PHONE = {"width": 390, "height": 844}
ORDER = "() => [...document.querySelectorAll('.clinic-results > li:not([hidden]) address')].map((a) => a.dataset.clinic)"
DISTANCES = ("() => [...document.querySelectorAll('.clinic-results > li:not([hidden])')]"
             ".map((li) => li.querySelector('.distance').textContent)")
# The shipped clinics' states, as the locator names them, with the page listing each one's clinics.
PLACES = {"CO": ("Colorado", "clinics/us/co/"), "NC": ("North Carolina", "clinics/us/nc/"),
          "NY": ("New York", "clinics/us/ny/")}


def great_circle_miles(lat1, lon1, lat2, lon2):
    """Haversine on a sphere of the Earth's mean radius, written here independently of the site's script."""
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 3958.8 * math.asin(math.sqrt(a))


def by_distance(lat, lon):
    return sorted(CLINICS, key=lambda slug: great_circle_miles(lat, lon, CLINICS[slug]["latitude"],
                                                               CLINICS[slug]["longitude"]))


def alphabetical():
    return [slug for slug, clinic in sorted(CLINICS.items(), key=lambda item: item[1]["name"])]


@pytest.fixture
def locator(browser, site_url):
    contexts = []

    def open_locator(path="clinics/", **options):
        context = browser.new_context(viewport=PHONE, **options)
        contexts.append(context)
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors
        page.goto(site_url + path)
        if path == "clinics/":  # the search loads what it needs when first used
            page.focus("#clinic-search")
            page.wait_for_selector("[data-locator][data-ready]")
        return page

    yield open_locator
    for context in contexts:
        context.close()


def test_typing_a_city_filters_and_clearing_restores(locator):
    page = locator()
    assert page.evaluate(ORDER) == [] and page.locator(".clinic-places").is_visible()
    page.fill("#clinic-search", "Denver")
    assert sorted(page.evaluate(ORDER)) == sorted(s for s, c in CLINICS.items() if c["city"] == "Denver")
    assert page.locator("#locator-status").inner_text() == "Showing 2 clinics, A to Z by name."
    assert not page.locator(".clinic-places").is_visible()
    page.fill("#clinic-search", "example")  # every clinic's name: all of them, A to Z
    assert page.evaluate(ORDER) == alphabetical()
    page.fill("#clinic-search", "")
    assert page.evaluate(ORDER) == [] and page.locator(".clinic-places").is_visible()
    assert page.locator("#locator-status").inner_text() == ""
    assert page.errors == []


def test_a_result_links_to_its_clinic_with_call_and_directions(locator):
    page = locator()
    page.fill("#clinic-search", "Boulder")
    clinic = CLINICS["boulder"]
    result = page.locator(".clinic-results > li")
    assert result.get_by_role("link", name="Directions to " + clinic["name"]).get_attribute("href") == \
        f"https://www.google.com/maps/dir/?api=1&destination={clinic['latitude']},{clinic['longitude']}"
    assert result.get_by_role("link", name=re.compile("^Call")).get_attribute("href").startswith("tel:+1303")
    result.get_by_role("link", name=clinic["name"], exact=True).click()
    page.wait_for_url("**/clinics/boulder/")
    assert page.get_by_role("heading", level=1).inner_text() == clinic["name"]


def test_search_by_service_and_no_match(locator):
    page = locator()
    page.fill("#clinic-search", "pelvic")
    assert sorted(page.evaluate(ORDER)) == sorted(s for s, c in CLINICS.items() if "pelvic health" in c["services"])
    page.fill("#clinic-search", "Springfield")
    assert page.evaluate(ORDER) == []
    assert page.locator("#locator-status").inner_text() == "No clinic matches. Try a city or a postal code."


def test_nearest_first_with_location_granted(locator):
    here = (35.9940, -78.8986)  # a fixed point in Durham, North Carolina
    page = locator(geolocation={"latitude": here[0], "longitude": here[1]}, permissions=["geolocation"])
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('nearest')")
    expected = by_distance(*here)
    assert page.evaluate(ORDER) == expected
    shown = page.evaluate(DISTANCES)
    for slug, text in zip(expected, shown):
        miles = float(re.fullmatch(r"([\d.]+) mi away", text).group(1))
        clinic = CLINICS[slug]
        assert abs(miles - great_circle_miles(*here, clinic["latitude"], clinic["longitude"])) <= 0.1
    assert page.locator("#locator-status").inner_text() == \
        "Showing 12 clinics, nearest first, from your location."
    page.fill("#clinic-search", "Raleigh")  # filtering keeps the nearest-first order
    assert page.evaluate(ORDER) == [slug for slug in expected if CLINICS[slug]["city"] == "Raleigh"]


def test_use_my_location_as_the_first_thing_pressed(browser, site_url):
    """The locator loads its search when first used: a press of the button before then is not lost."""
    here = (39.7392, -104.9903)  # Denver
    context = browser.new_context(viewport=PHONE, geolocation={"latitude": here[0], "longitude": here[1]},
                                  permissions=["geolocation"])
    page = context.new_page()
    page.goto(site_url + "clinics/")
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('nearest')")
    assert page.evaluate(ORDER) == by_distance(*here)
    context.close()


def test_location_refused_says_so_and_keeps_a_to_z(locator):
    page = locator()  # no permission granted: the browser refuses
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('not shared')")
    assert page.locator("#locator-status").inner_text() == (
        "Your location was not shared. Type a city or postal code to find a clinic near you.")
    assert page.evaluate(ORDER) == [] and page.locator(".clinic-places").is_visible()
    page.fill("#clinic-search", "Boulder")
    assert page.evaluate(ORDER) == ["boulder"]
    assert page.errors == []


def test_postal_code_sorts_by_distance_from_its_centroid(locator):
    import zipcodes

    [entry] = zipcodes.matching("10001")
    page = locator()
    page.fill("#clinic-search", "10001")
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('10001')")
    assert page.evaluate(ORDER) == by_distance(float(entry["lat"]), float(entry["long"]))
    assert page.locator("#locator-status").inner_text() == \
        "Showing 12 clinics, nearest first, from postal code 10001."


def test_unknown_postal_code_falls_back_to_text_and_says_so(locator):
    page = locator()
    page.fill("#clinic-search", "99501")  # Anchorage: no clinic near, so not in the table
    page.wait_for_function("() => window.sitePostcodes !== undefined")
    page.fill("#clinic-search", "99501")
    assert page.evaluate(ORDER) == []
    assert page.locator("#locator-status").inner_text().startswith(
        "We have no location for postal code 99501, so this shows clinics whose details match it.")
    page.fill("#clinic-search", "27511")
    assert page.evaluate(ORDER)[0] == "cary"


# Each clinic's open-now line shown on the page, by its slug.
LABELS = """() => Object.fromEntries([...document.querySelectorAll('address[data-clinic]')]
    .map((a) => [a.dataset.clinic, a.parentNode.querySelector('.open-status')]).filter(([, p]) => p && !p.hidden)
    .map(([id, p]) => [id, p.textContent]))"""


# Every result says whether its clinic is open (the search writes it once the list is drawn).
TOLD = "() => [...document.querySelectorAll('.clinic-results .open-status')].every((line) => line.textContent)"


# Expected labels worked out by hand from the clinic files, in each clinic's own time zone.
MOMENTS = {
    "weekday morning": ("2026-11-23T13:30:00Z", {  # Monday: 8:30 in New York, 6:30 in Denver
        "cary": "Open now · closes at 7 pm",
        "denver-downtown": "Open now · closes at 6 pm",
        "boulder": "Closed · opens today at 7 am",
    }),
    "weekend": ("2026-11-28T16:30:00Z", {  # Saturday: 11:30 in New York, 9:30 in Denver
        "cary": "Open now · closes at noon",
        "boulder": "Open now · closes at 11 am",
        "denver-downtown": "Closed · opens Monday at 6 am",
    }),
    "holiday": ("2026-12-24T15:00:00Z", {  # Thursday 24 December: 10:00 in New York, 8:00 in Denver
        "raleigh-downtown": "Closed today (Winter holidays) · opens Monday at 7 am",
        "manhattan-midtown": "Closed today (Winter holidays) · opens Monday at 6:30 am",
        "cary": "Open now · closes at 7 pm",
        "denver-downtown": "Open now · closes at 6 pm",
    }),
}


@pytest.mark.parametrize("moment", MOMENTS)
def test_open_now_in_each_clinics_time_zone(browser, site_url, moment):
    when, expected = MOMENTS[moment]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime.fromisoformat(when.replace("Z", "+00:00")))
    labels = {}
    for _, path in PLACES.values():  # each state's page of cards
        page.goto(site_url + path)
        labels.update(page.evaluate(LABELS))
    for slug, label in expected.items():
        assert labels[slug] == label, slug
    assert "aurora" not in labels  # no hours: the card says "Hours not listed", and it stays listed
    page.goto(site_url + "clinics/")  # the locator's results say the same
    page.fill("#clinic-search", "example")
    page.wait_for_selector("[data-locator][data-ready]")
    page.wait_for_function(TOLD)
    found = page.evaluate(LABELS)
    assert {slug: found[slug] for slug in expected} == expected
    assert found["aurora"] == "Hours not listed"
    page.fill("#clinic-search", "Aurora")
    assert page.evaluate(ORDER) == ["aurora"]
    context.close()


def test_clinic_page_marks_today_and_its_status(browser, site_url):
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime(2026, 11, 28, 16, 30, tzinfo=dt.timezone.utc))  # Saturday
    page.goto(site_url + "clinics/boulder/")
    assert page.locator("tr[aria-current=date] th").inner_text() == "Saturday"
    assert page.locator(".open-status").inner_text() == "Open now · closes at 11 am"
    context.close()


def test_without_javascript_each_state_leads_to_its_clinics_by_city(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "clinics/")
    assert page.locator("[data-locator]").is_hidden()
    assert page.locator("main h2").all_inner_texts() == ["United States"]
    places = page.locator(".place-list li")
    states = sorted(PLACES.values())
    assert [" ".join(text.split()) for text in places.all_text_contents()] == [
        f"{name} {count} clinics" for name, _ in states
        for count in [sum(PLACES[clinic["region"]][0] == name for clinic in CLINICS.values())]]
    listed = []
    for name, path in states:
        page.goto(site_url + "clinics/")
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url(f"**/{path}")
        assert page.locator("h1").inner_text() == f"Clinics in {name}"
        here = {slug: clinic for slug, clinic in CLINICS.items() if PLACES[clinic["region"]][0] == name}
        assert page.locator("main h2").all_inner_texts() == sorted({clinic["city"] for clinic in here.values()})
        for clinic in here.values():
            assert page.get_by_role("heading", name=clinic["name"]).is_visible()
        listed += page.evaluate("() => [...document.querySelectorAll('address')].map((a) => a.dataset.clinic)")
    assert sorted(listed) == sorted(CLINICS)
    context.close()


def test_locator_fits_a_phone_in_every_state(locator):
    page = locator(geolocation={"latitude": 40.75, "longitude": -73.99}, permissions=["geolocation"])
    page.get_by_role("button", name="Use my location").click()
    page.wait_for_function("() => document.querySelector('#locator-status').textContent.includes('nearest')")
    measured = page.evaluate("""() => ({
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      short: [...document.querySelectorAll('button, .button, input')].filter((el) => el.getClientRects().length)
        .map((el) => el.getBoundingClientRect().height).filter((height) => height < 44),
    })""")
    assert measured == {"overflow": 0, "short": []}


def test_postcode_table_holds_every_standard_code_within_the_radius_of_a_clinic():
    import zipcodes

    from site_gen.content.model import Review
    from site_gen.content.problems import Problems
    from site_gen.content.sourcefile import ContentFiles
    from site_gen.features.locator import (
        POSTCODE_RADIUS_MILES,
        miles_between,
        postcode_table,
    )
    from site_gen.kinds import clinic
    from site_gen.kinds.kind import Loading

    files = ContentFiles(Path(__file__).parent.parent / "content", Problems())
    clinics = clinic.load(Loading(files, None, Review(dt.date.min, ""), Problems()))
    points = [(clinic.latitude, clinic.longitude) for clinic in clinics if clinic.country == "US"]
    expected = {entry["zip_code"]: [round(float(entry["lat"]), 4), round(float(entry["long"]), 4)]
                for entry in zipcodes.list_all() if entry["active"] and entry["zip_code_type"] == "STANDARD"
                and any(miles_between(float(entry["lat"]), float(entry["long"]), *point) <= POSTCODE_RADIUS_MILES
                        for point in points)}
    assert len(expected) > 100 and postcode_table(clinics) == dict(sorted(expected.items()))


def test_shipped_postcode_table_is_zipcodes_data():
    from site_gen.features.postcodes import TABLE, table_from_zipcodes

    assert TABLE.read_text(encoding="utf-8") == table_from_zipcodes(), \
        "the shipped table differs from zipcodes' data: write it again with python -m site_gen.features.postcodes"


def test_postcodes_near_a_clinic_are_all_those_within_the_radius_wherever_it_is():
    """The search looks only in a box of latitudes and longitudes around each clinic: it finds
    what measuring the distance to every code finds, also at the edge of the radius, across the
    180th meridian and near a pole (where the box is a band of latitudes)."""
    import random

    from site_gen.features.locator import (
        EARTH_RADIUS_MILES,
        POSTCODE_RADIUS_MILES,
        miles_between,
        postcodes_near,
    )
    from site_gen.features.postcodes import PostcodeTable

    rng = random.Random(6)
    step = math.degrees(POSTCODE_RADIUS_MILES / EARTH_RADIUS_MILES)
    for clinic in [(40.0, -100.0), (0.0, 10.0), (65.0, -150.0), (51.0, 179.9), (-33.0, -179.95), (89.9, 0.0)]:
        rows = []
        for number in range(3000):
            lat = max(-90.0, min(90.0, clinic[0] + rng.uniform(-1.5, 1.5) * step))
            lon = (clinic[1] + rng.uniform(-3, 3) * step / max(0.05, math.cos(math.radians(lat))) + 180) % 360 - 180
            rows.append((f"{number:05d}", lat, lon))
        rows.sort(key=lambda row: row[1])
        expected = {code: [round(lat, 4), round(lon, 4)] for code, lat, lon in rows
                    if miles_between(lat, lon, *clinic) <= POSTCODE_RADIUS_MILES}
        assert 100 < len(expected) < len(rows)
        assert postcodes_near((clinic,), PostcodeTable([row[1] for row in rows], rows)) == dict(sorted(expected.items()))
