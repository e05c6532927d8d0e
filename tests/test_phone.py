"""A patient's phone, 360 and 390 px wide and 844 px tall, in a real Chromium: on every page the header
stays small, nothing scrolls sideways and nothing moves once shown; the home page's first screen leads
to the exercises and to a clinic; the locator's cards give today's hours and keep the week folded."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from urllib.parse import urlsplit

import pytest
from conftest import QuietHandler, serving
from pages import html_pages
from test_regions import FIXTURE, build, knee_site, without_topics  # noqa: F401 - knee_site: a fixture

WIDTHS = (360, 390)
HEIGHT = 844
HEADER_BUDGET = 0.12 * HEIGHT  # px: the header takes at most 12% of the screen
SCRIPT_DELAY = 0.2  # s: scripts arrive this late, so the page is painted before they run
# An ordinary Wednesday at every clinic (no closure), so that the open-now lines read the same on every
# run. (Set here, not with Playwright's clock, which also replaces the `performance` read below.)
MOMENT = dt.datetime(2026, 11, 25, 17, 30, tzinfo=dt.UTC)
FIXED_DATE = """(() => {
  const moment = MOMENT, RealDate = Date;
  window.Date = class extends RealDate {
    constructor(...args) { super(...(args.length ? args : [moment])); }
    static now() { return moment; }
  };
})();""".replace("MOMENT", str(int(MOMENT.timestamp() * 1000)))

# Cumulative layout shift as Lighthouse counts it: every 'layout-shift' entry since the page started
# (buffered), except those just after the reader's own input. What moved is kept, to say so on failure.
LAYOUT_SHIFTS = """
window.layoutShifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShifts.push({value: entry.value, moved: entry.sources.map((source) =>
      source.node ? `${source.node.nodeName.toLowerCase()}.${source.node.className || ''}` : '?')});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

# Read once the page has loaded (its deferred scripts have run) and two frames have been drawn since.
MEASURE = """async () => {
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))));
  const paint = performance.getEntriesByType('paint').find((entry) => entry.name === 'first-paint');
  const navigation = performance.getEntriesByType('navigation')[0];
  return {
    header: document.querySelector('body > header').getBoundingClientRect().height,
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    shift: window.layoutShifts.reduce((sum, entry) => sum + entry.value, 0),
    moved: window.layoutShifts.map((entry) => entry.moved),
    paintedFirst: Boolean(paint) && paint.startTime < navigation.domContentLoadedEventStart,
  };
}"""


class SlowScripts(QuietHandler):
    """A slow phone network: scripts come late and nothing is kept in cache, so the page is drawn before its
    scripts run, and whatever they add or move is a layout shift (as Lighthouse sees it), not a lucky race."""

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        if urlsplit(self.path).path.endswith(".js"):
            time.sleep(SCRIPT_DELAY)
        super().do_GET()


@pytest.fixture(scope="module")
def serve():
    """Serve built folders over HTTP, scripts slowly; gives each folder's address."""
    with serving(SlowScripts) as start:
        yield start


@pytest.fixture(scope="module")
def sites(built_site, knee_site, serve):
    """Each site to try: its built folder and its address."""
    return {"shipped": (built_site, serve(built_site)), "knee-and-balance": (knee_site, serve(knee_site))}


@pytest.fixture(scope="module")
def phones(browser):
    """One page per width, reused for every address, each counting layout shifts from its start."""
    contexts = []
    pages = {}
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": HEIGHT})
        context.add_init_script(LAYOUT_SHIFTS)
        context.add_init_script(FIXED_DATE)
        contexts.append(context)
        pages[width] = context.new_page()
    yield pages
    for context in contexts:
        context.close()


def measure_painted_first(page, address: str) -> dict:
    """Load a page and measure it, once it is sure that the page was drawn before its scripts ran (on a
    busy machine the first drawing can come late; then the page is loaded again)."""
    for _ in range(3):
        page.goto("about:blank")  # from another origin, so Chromium draws the page at once (no paint holding)
        page.goto(address)
        measured = page.evaluate(MEASURE)
        if measured["paintedFirst"]:
            return measured
    raise AssertionError(f"{address}: its scripts ran before it was drawn, three times: shifts would go unseen")


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["shipped", "knee-and-balance"])
def test_every_page_fits_the_phone_and_nothing_moves(sites, phones, name, width):
    folder, address = sites[name]
    page = phones[width]
    paths = [path.relative_to(folder).as_posix() for path in html_pages(folder)]
    assert len(paths) > 20
    problems = {}
    for path in paths:
        measured = measure_painted_first(page, address + path)
        found = []
        if measured["header"] > HEADER_BUDGET:
            found.append(f"header {measured['header']:.0f} px tall, over {HEADER_BUDGET:.0f}")
        if measured["overflow"] > 0:
            found.append(f"scrolls sideways by {measured['overflow']} px")
        if measured["shift"] > 0:
            found.append(f"layout shift {measured['shift']:.4f}, moving {measured['moved']}")
        if found:
            problems[path] = found
    assert problems == {}
    assert page.evaluate("new Date().toISOString()") == "2026-11-25T17:30:00.000Z"


@pytest.fixture(scope="module")
def without_topic_site(tmp_path_factory: pytest.TempPathFactory, serve) -> str:
    """The knee fixture with no topic at all: the home page has no topic to lead to."""
    project = tmp_path_factory.mktemp("no-topic")
    shutil.copytree(FIXTURE / "content", project / "content")
    without_topics(project / "content")
    assert build(project) == 0
    return serve(project / "output")


# The links in the page's main part (not the menu) that a reader sees without scrolling.
FIRST_SCREEN_LINKS = """() => [...document.querySelectorAll('main a[href]')].filter((link) => {
  const box = link.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
}).map((link) => [new URL(link.href).pathname, link.textContent.trim()])"""


@pytest.mark.parametrize("name", ["shipped", "knee-and-balance", "no topic"])
def test_home_page_first_screen_leads_to_the_exercises_and_a_clinic(browser, sites, without_topic_site, name):
    address = without_topic_site if name == "no topic" else sites[name][1]
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    page = context.new_page()
    page.goto(address)
    links = page.evaluate(FIRST_SCREEN_LINKS)
    context.close()
    paths = [path for path, words in links]
    assert "/exercises/" in paths and "/clinics/" in paths, links


# Worked out by hand from content/clinics/, in each clinic's own time zone.
TODAY = {
    "2026-11-23T15:00:00Z": {  # a Monday: 10:00 in New York, 8:00 in Denver
        "cary": "Today: 7 am to 7 pm",
        "raleigh-north-hills": "Today: 8 am to noon, 1 pm to 5 pm",
        "boulder": "Today: 7 am to 7 pm",
    },
    "2026-11-29T17:00:00Z": {  # a Sunday
        "cary": "Today: closed",
    },
    "2026-12-24T15:00:00Z": {  # Thursday 24 December: a holiday at two clinics
        "manhattan-midtown": "Today: closed (Winter holidays)",
        "raleigh-downtown": "Today: closed (Winter holidays)",
        "cary": "Today: 7 am to 7 pm",
    },
}


# The page listing each clinic's card: its state's.
PLACE_PAGES = {"cary": "clinics/us/nc/", "raleigh-north-hills": "clinics/us/nc/", "raleigh-downtown": "clinics/us/nc/",
               "boulder": "clinics/us/co/", "manhattan-midtown": "clinics/us/ny/"}


@pytest.mark.parametrize("moment", TODAY)
def test_locator_cards_show_todays_hours_and_fold_the_week(browser, site_url, moment):
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    page = context.new_page()
    page.clock.set_fixed_time(dt.datetime.fromisoformat(moment))
    for slug, words in TODAY[moment].items():
        page.goto(site_url + PLACE_PAGES[slug])
        card = page.locator(".clinic-card").filter(has=page.locator(f"address[data-clinic='{slug}']"))
        today = card.get_by_text("Today:")
        assert today.inner_text() == words
        assert today.is_visible()
        week = card.locator("details")
        assert week.locator("summary").inner_text() == "Hours this week"
        assert week.get_attribute("open") is None
        assert not week.locator("ul").is_visible()
    context.close()


def test_locator_week_opens_without_javascript(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + PLACE_PAGES["cary"])
    card = page.locator(".clinic-card").filter(has=page.locator("address[data-clinic='cary']"))
    # Only a script knows which day it is: without one, no blank line is left where today's hours would go.
    shown = [part for part in card.locator(":scope > *").all() if part.is_visible()]
    assert all(part.inner_text().strip() for part in shown)
    week = card.locator("details")
    assert not week.locator("ul").is_visible()
    summary = week.locator("summary")
    assert summary.bounding_box()["height"] >= 44
    summary.click()
    assert week.locator("ul").is_visible()
    assert week.locator("li").all_inner_texts() == ["Monday to Friday: 7 am to 7 pm", "Saturday: 8 am to noon",
                                                   "Sunday: closed"]
    context.close()


def test_menu_opens_without_javascript_and_marks_the_page(browser, site_url):
    context = browser.new_context(viewport={"width": 360, "height": HEIGHT}, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "programs/")
    page.keyboard.press("Tab")  # the skip link is still the first stop, and still leads past the menu
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    menu = page.get_by_role("navigation", name="Main")
    clinics = menu.get_by_role("link", name="Find a clinic")
    assert not clinics.is_visible()
    button = menu.get_by_text("Menu")
    assert button.bounding_box()["height"] >= 44
    button.click()
    assert clinics.is_visible()
    links = menu.get_by_role("link").all()
    assert len(links) == 4 and all(link.bounding_box()["height"] >= 44 for link in links)
    assert menu.locator("[aria-current=page]").inner_text() == "Programs"
    context.close()


# Space kept for what a script would show: elements laid out but invisible, and empty paragraphs.
KEPT_FOR_A_SCRIPT = """() => [...document.body.querySelectorAll('*')].filter((el) => {
  const box = el.getBoundingClientRect();
  const empty = el.tagName === 'P' && !el.textContent.trim();
  return box.height > 0 && (getComputedStyle(el).visibility === 'hidden' || empty);
}).map((el) => `${el.tagName.toLowerCase()}.${el.className}`)"""


def test_without_javascript_no_space_waits_for_a_script(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT}, java_script_enabled=False)
    page = context.new_page()
    kept = {}
    for path in ["exercises/bird-dog/", "programs/back-care-basics/print.html", "clinics/", "clinics/cary/"]:
        page.goto(site_url + path)
        kept[path] = page.evaluate(KEPT_FOR_A_SCRIPT)
    context.close()
    assert kept == {path: [] for path in kept}
