"""Opening hours told truthfully at any hour: periods past midnight, clinics open 24 hours, lunch
breaks, closures that are over, and each clinic in its own time zone (Guam, Honolulu, London). Read
through the pages' own script in Chromium at fixed clocks, and in the built pages without a browser."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import html
import http.server
import io
import json
import os
import re
import shutil
import threading
from pathlib import Path

import pytest
from conftest import QuietHandler
from test_regions import FIXTURE

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-04"  # the build's day, a Friday
PHONE = {"width": 360, "height": 844}
# The reader's own clock is in none of the clinics' zones: what the page says must not depend on it.
READER_ZONE = "Asia/Tokyo"


def clinic(name: str, street: str, city: str, region: str, postal_code: str, country: str, phone: str,
           latitude: float, longitude: float, timezone: str, rest: str) -> str:
    return (f"name: {name}\nstreet: {street}\ncity: {city}\nregion: \"{region}\"\npostal_code: \"{postal_code}\"\n"
            f"country: {country}\nphone: \"{phone}\"\nlatitude: {latitude}\nlongitude: {longitude}\n"
            f"timezone: {timezone}\nservices: [knee pain]\n{rest}")


# Real places: the build checks each time zone, and each US ZIP code, against the coordinates.
CLINICS = {
    "late-night": clinic("Late Night Knee Clinic", "1 Example Street", "Durham", "NC", "27701", "US",
                         "919-555-0111", 35.9940, -78.8986, "America/New_York", """hours:
  monday: "09:00-17:00"
  friday: "18:00-02:00"
  saturday: "10:00-14:00"
  sunday: "20:00-03:00"
"""),
    # Friday evening written as two days: to midnight, then Saturday from midnight.
    "split-night": clinic("Split Night Knee Clinic", "2 Example Street", "Raleigh", "NC", "27601", "US",
                          "919-555-0112", 35.7796, -78.6382, "America/New_York", """hours:
  friday: ["08:00-12:00", "18:00-24:00"]
  saturday: "00:00-02:00"
"""),
    "all-day": clinic("All Day Knee Clinic", "3 Example Street", "Boulder", "CO", "80302", "US",
                      "720-555-0113", 40.0150, -105.2705, "America/Denver", """hours:
  monday: "00:00-24:00"
  tuesday: "00:00-24:00"
  wednesday: "00:00-24:00"
  thursday: "00:00-24:00"
  friday: "00:00-24:00"
  saturday: "00:00-24:00"
  sunday: "00:00-24:00"
closures:
  - from: 2026-12-25
    to: 2026-12-25
    reason: Christmas Day
"""),
    "lunch": clinic("Lunch Break Knee Clinic", "4 Example Street", "Cary", "NC", "27511", "US",
                    "919-555-0114", 35.7915, -78.7811, "America/New_York", """hours:
  monday: ["08:00-12:00", "13:00-17:00"]
  tuesday: ["08:00-12:00", "13:00-17:00"]
  wednesday: ["08:00-12:00", "13:00-17:00"]
  thursday: ["08:00-12:00", "13:00-17:00"]
  friday: ["08:00-12:00", "13:00-17:00"]
closures:
  - from: 2025-11-01
    to: 2025-11-01
    reason: Staff training for all clinics.
  - from: 2026-11-26
    to: 2026-11-27
    reason: Thanksgiving
  - from: 2026-12-05
    to: 2026-12-06
    reason: Building work
  - from: 2026-12-11
    to: 2026-12-11
    reason: Staff training for all clinics.
"""),
    "guam": clinic("Guam Knee Clinic", "5 Example Street", "Hagåtña", "GU", "96910", "GU", "671-555-0115",
                   13.4757, 144.7489, "Pacific/Guam", """hours:
  monday: "08:00-17:00"
  tuesday: "08:00-17:00"
  wednesday: "08:00-17:00"
  thursday: "08:00-17:00"
  friday: "08:00-17:00"
  saturday: "09:00-12:00"
"""),
    "honolulu": clinic("Honolulu Knee Clinic", "6 Example Street", "Honolulu", "HI", "96813", "US",
                       "808-555-0116", 21.3069, -157.8583, "Pacific/Honolulu", """hours:
  monday: "08:00-17:00"
  tuesday: "08:00-17:00"
  wednesday: "08:00-17:00"
  thursday: "08:00-17:00"
  friday: "08:00-17:00"
"""),
    "london": clinic("London Knee Clinic", "7 Example Road", "London", "Greater London", "N1 0AA", "GB",
                     "+44 20 7946 0117", 51.5362, -0.1033, "Europe/London", """hours:
  monday: "09:00-17:30"
  tuesday: "09:00-17:30"
  wednesday: "09:00-17:30"
  thursday: "09:00-17:30"
  friday: "09:00-17:30"
"""),
}
OLD_CLOSURE_LINE = CLINICS["lunch"].splitlines().index("  - from: 2025-11-01") + 1


def write_site(project: Path, clinics: dict[str, str]) -> None:
    """The knee fixture's content with these clinic files in place of its own."""
    shutil.copytree(FIXTURE / "content", project / "content")
    for path in (project / "content" / "clinics").glob("*.yaml"):
        path.unlink()
    for slug, text in clinics.items():
        (project / "content" / "clinics" / f"{slug}.yaml").write_text(text, encoding="utf-8")


def build(project: Path, *extra: str) -> tuple[int, str]:
    """Build as a user would in the project's folder, as of TODAY; the exit status and what was printed."""
    printed = io.StringIO()
    cwd = os.getcwd()
    os.chdir(project)
    try:
        with contextlib.redirect_stderr(printed), contextlib.redirect_stdout(printed):
            status = main(["--templates", str(ROOT / "templates"), "--today", TODAY, "-q", *extra])
    finally:
        os.chdir(cwd)
    return status, printed.getvalue()


@pytest.fixture(scope="module")
def hours_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The clinics above, built as of TODAY: the output folder and what the build printed."""
    project = tmp_path_factory.mktemp("hours")
    write_site(project, CLINICS)
    status, printed = build(project)
    assert status == 0, printed
    return project / "output", printed


@pytest.fixture(scope="module")
def hours_url(hours_site):
    handler = functools.partial(QuietHandler, directory=str(hours_site[0]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def page_of(output: Path, slug: str) -> str:
    return (output / "clinics" / slug / "index.html").read_text(encoding="utf-8")


def rows_of(page: str) -> dict[str, str]:
    """A clinic page's hours table: weekday → its hours, as read."""
    return {text_of(day): text_of(hours) for day, hours in
            re.findall(r'<tr data-day="\d">\s*<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', page, re.S)}


def at(browser, address: str, path: str, moment: str):
    """The page in Chromium with its clock fixed at `moment` (UTC), in a reader's zone unlike any clinic's."""
    context = browser.new_context(viewport=PHONE, timezone_id=READER_ZONE)
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime.fromisoformat(moment.replace("Z", "+00:00")))
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(address + path)
    page.errors = errors
    return context, page


# What each card says: its open-now line and its "Today:" line.
CARDS = """() => Object.fromEntries([...document.querySelectorAll('address[data-clinic]')].map((address) => {
  const card = address.parentNode, line = (name) => card.querySelector(name)?.textContent;
  return [address.dataset.clinic, [line('.open-status'), line('.hours-today')]];
}))"""

# Worked out by hand from CLINICS, in each clinic's own zone: New York is UTC-5 in December, Denver
# UTC-7, Guam UTC+10 (a day ahead), Honolulu UTC-10, London UTC+0 in winter and +1 in summer.
MOMENTS = {
    "Friday 5 pm in New York": ("2026-12-04T22:00:00Z", {
        "late-night": ("Closed · opens today at 6 pm", "Today: 6 pm to 2 am"),
        "split-night": ("Closed · opens today at 6 pm", "Today: 8 am to noon, 6 pm to midnight"),
    }),
    "Friday 11:30 pm in New York": ("2026-12-05T04:30:00Z", {
        "late-night": ("Open now · closes at 2 am tomorrow", "Today: 6 pm to 2 am"),
        # Friday to midnight, then Saturday from midnight: open until 2 am, never "closes at midnight".
        "split-night": ("Open now · closes at 2 am tomorrow", "Today: 8 am to noon, 6 pm to midnight"),
    }),
    "Saturday 1 am in New York": ("2026-12-05T06:00:00Z", {
        "late-night": ("Open now · closes at 2 am", "Today: 10 am to 2 pm"),
        "split-night": ("Open now · closes at 2 am", "Today: midnight to 2 am"),
    }),
    "Saturday 2:30 am in New York": ("2026-12-05T07:30:00Z", {
        "late-night": ("Closed · opens today at 10 am", "Today: 10 am to 2 pm"),
        "split-night": ("Closed · opens Friday at 8 am", "Today: midnight to 2 am"),
    }),
    "Monday 2 am in New York, Sunday night's hours": ("2026-12-07T07:00:00Z", {
        "late-night": ("Open now · closes at 3 am", "Today: 9 am to 5 pm"),
    }),
    "Friday noon in Denver, lunch in New York": ("2026-12-04T17:30:00Z", {
        "all-day": ("Open 24 hours", "Today: open 24 hours"),
        "lunch": ("Closed · opens today at 1 pm", "Today: 8 am to noon, 1 pm to 5 pm"),
        "split-night": ("Closed · opens today at 6 pm", "Today: 8 am to noon, 6 pm to midnight"),
    }),
    "Friday morning in New York": ("2026-12-04T15:00:00Z", {
        "lunch": ("Open now · closes at noon", "Today: 8 am to noon, 1 pm to 5 pm"),
    }),
    "the night before Christmas Eve in Denver": ("2026-12-24T06:30:00Z", {  # 23:30: open for a day yet
        "all-day": ("Open 24 hours", "Today: open 24 hours"),
    }),
    "Christmas Eve in Denver": ("2026-12-24T19:00:00Z", {
        "all-day": ("Open now · closes at midnight", "Today: open 24 hours"),
    }),
    "Christmas Day in Denver": ("2026-12-25T17:00:00Z", {
        "all-day": ("Closed today (Christmas Day) · opens Saturday at 12 am", "Today: closed (Christmas Day)"),
    }),
    "Friday evening in London, Saturday dawn in Guam": ("2026-12-04T19:30:00Z", {
        "guam": ("Closed · opens today at 9 am", "Today: 9 am to noon"),
        "honolulu": ("Open now · closes at 5 pm", "Today: 8 am to 5 pm"),
        "london": ("Closed · opens Monday at 9 am", "Today: 9 am to 5:30 pm"),
    }),
    "a summer Friday, 5:30 pm in London": ("2027-07-02T16:30:00Z", {
        "london": ("Closed · opens Monday at 9 am", "Today: 9 am to 5:30 pm"),  # 4:30 pm in winter time
        "honolulu": ("Closed · opens today at 8 am", "Today: 8 am to 5 pm"),
        "guam": ("Closed · opens today at 9 am", "Today: 9 am to noon"),
    }),
}


def card_pages(output: Path) -> list[str]:
    """The locator's pages that list clinic cards (however the list is split), as site paths."""
    return sorted(path.relative_to(output).parent.as_posix() + "/" for path in (output / "clinics").rglob("index.html")
                  if 'class="hours-today"' in path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("moment", MOMENTS)
def test_locator_says_open_now_and_todays_hours_in_each_clinics_own_time(browser, hours_site, hours_url, moment):
    when, expected = MOMENTS[moment]
    cards, errors = {}, []
    for path in card_pages(hours_site[0]):
        context, page = at(browser, hours_url, path, when)
        cards.update(page.evaluate(CARDS))
        errors += page.errors
        context.close()
    assert {slug: tuple(cards[slug]) for slug in expected} == expected
    assert errors == []


@pytest.mark.parametrize(("slug", "moment", "status", "row"), [
    ("late-night", "2026-12-05T06:00:00Z", "Open now · closes at 2 am", "Saturday"),
    ("split-night", "2026-12-05T04:30:00Z", "Open now · closes at 2 am tomorrow", "Friday"),
    ("all-day", "2026-12-04T19:00:00Z", "Open 24 hours", "Friday"),
    ("guam", "2026-12-04T19:30:00Z", "Closed · opens today at 9 am", "Saturday"),
    ("honolulu", "2026-12-04T19:30:00Z", "Open now · closes at 5 pm", "Friday"),
])
def test_clinic_page_says_open_now_and_marks_today_in_its_own_time(browser, hours_url, slug, moment, status, row):
    context, page = at(browser, hours_url, f"clinics/{slug}/", moment)
    assert page.locator(".open-status").inner_text() == status
    assert page.locator("tr[aria-current=date] th").inner_text() == row
    context.close()


CLOSURES_SHOWN = ("() => [...document.querySelectorAll('.closures li')].filter((li) => li.checkVisibility())"
                  ".map((li) => li.textContent)")


@pytest.mark.parametrize(("moment", "shown"), [
    ("2026-12-04T15:00:00Z", ["December 5, 2026 to December 6, 2026: Building work",
                              "December 11, 2026: Staff training for all clinics."]),
    # Built on the 4th, read on the 8th: the building work is over.
    ("2026-12-08T15:00:00Z", ["December 11, 2026: Staff training for all clinics."]),
    # Read after the last one: no list, and no heading over nothing.
    ("2026-12-12T15:00:00Z", []),
])
def test_clinic_page_hides_closures_that_ended_since_it_was_built(browser, hours_url, moment, shown):
    context, page = at(browser, hours_url, "clinics/lunch/", moment)
    assert page.evaluate(CLOSURES_SHOWN) == shown
    assert page.get_by_role("heading", name="Closed on these days").is_visible() == bool(shown)
    context.close()


def test_open_now_line_has_room_for_its_longest_words_at_any_width(browser, hours_site, hours_url):
    """Issue 18: the line the script fills is as tall from the start as the longest words it may write
    there, so nothing moves when it does: at every width, wherever those words would wrap."""
    context, page = at(browser, hours_url, card_pages(hours_site[0])[0], "2026-12-04T15:00:00Z")
    moved = page.evaluate("""(texts) => {
      const line = document.querySelector('.open-status'), height = () => line.getBoundingClientRect().height;
      const moved = [];
      for (let width = 120; width <= 340; width++) {
        line.style.width = width + 'px';
        line.textContent = '';
        const reserved = height();
        for (const text of texts) {
          line.textContent = text;
          if (height() !== reserved) moved.push([width, text]);
        }
      }
      return moved;
    }""", ["Open now · closes at 12:30 pm tomorrow", "Closed · opens Wednesday at 12:30 pm",
           "Closed · opens Saturday at 12:30 pm", "Open now · closes at midnight", "Open 24 hours"])
    context.close()
    assert moved == []


# --- the built pages, without a browser ----------------------------------------------------------


def test_periods_past_midnight_and_24_hours_are_written_as_read(hours_site):
    output, _ = hours_site
    late = rows_of(page_of(output, "late-night"))
    assert late["Friday"] == "6 pm to 2 am" and late["Sunday"] == "8 pm to 3 am"
    assert rows_of(page_of(output, "split-night"))["Saturday"] == "midnight to 2 am"
    assert set(rows_of(page_of(output, "all-day")).values()) == {"Open 24 hours"}
    assert rows_of(page_of(output, "lunch"))["Monday"] == "8 am to noon, 1 pm to 5 pm"
    [card] = [card for path in card_pages(output) for card in re.findall(
        r'<li class="clinic-card">.*?</details>', (output / path / "index.html").read_text(encoding="utf-8"), re.S)
        if 'data-clinic="all-day"' in card]
    assert 'data-longest="Today: open 24 hours"' in card
    assert [text_of(item) for item in re.findall(r"<li>(.*?)</li>", card, re.S)] == \
        ["Monday to Sunday: open 24 hours"]
    for path in output.rglob("*.html"):
        assert "midnight to midnight" not in text_of(path.read_text(encoding="utf-8")), path


def test_structured_data_gives_a_period_past_midnight_as_one(hours_site):
    page = page_of(hours_site[0], "late-night")
    [data] = [json.loads(body) for body in re.findall(r'<script type="application/ld\+json">(.*?)</script>', page,
                                                      re.S)]
    assert {"@type": "OpeningHoursSpecification", "dayOfWeek": ["Friday"], "opens": "18:00", "closes": "02:00"} \
        in data["openingHoursSpecification"]


def test_closures_that_are_over_are_not_built(hours_site):
    output, _ = hours_site
    page = page_of(output, "lunch")
    listed = [text_of(item) for item in re.findall(r"<li data-ends=[^>]*>(.*?)</li>", page, re.S)]
    assert listed == ["December 5, 2026 to December 6, 2026: Building work",
                      "December 11, 2026: Staff training for all clinics."]
    for path in output.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".json", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "Thanksgiving" not in text and "2025-11-01" not in text and "2026-11-27" not in text, path


def test_a_closure_over_for_more_than_a_year_is_a_warning_naming_its_line(hours_site):
    _, printed = hours_site
    closures = [line for line in printed.splitlines() if "closures" in line]
    assert closures == [f"content/clinics/lunch.yaml:{OLD_CLOSURE_LINE}: closures item 1: ended 2025-11-01, more than "
                        "a year ago, and is no longer shown; delete it (warning)"]


def test_a_reason_ending_in_a_full_stop_gets_no_stray_colon(hours_site):
    page = text_of(page_of(hours_site[0], "lunch"))
    assert "December 11, 2026: Staff training for all clinics." in page
    assert ".:" not in page


@pytest.mark.parametrize(("hours", "error"), [
    ('  friday: "18:00-02:00"\n  saturday: "01:00-09:00"\n',
     "hours.saturday: 01:00-09:00 opens before friday's 18:00-02:00 closes"),
    ('  sunday: "22:00-03:00"\n  monday: "02:00-10:00"\n',  # across the week's end, into Monday
     "hours.monday: 02:00-10:00 opens before sunday's 22:00-03:00 closes"),
    ('  monday: ["18:00-02:00", "20:00-22:00"]\n', "hours.monday: 18:00-02:00 and 20:00-22:00 overlap"),
    ('  monday: "00:00-00:00"\n',
     'hours.monday: opens and closes at 00:00; write "00:00-24:00" for open 24 hours, or closed'),
])
def test_hours_that_overlap_past_midnight_are_refused(tmp_path, hours, error):
    write_site(tmp_path, {"late-night": CLINICS["late-night"].split("hours:\n")[0] + "hours:\n" + hours})
    status, printed = build(tmp_path)
    assert status == 1
    assert [line.split(": ", 1)[1] for line in printed.splitlines() if line.startswith("content/")] == [error]
