"""What a patient's phone shows, in a real headless Chromium."""

from __future__ import annotations

import pytest
from devserver import DevServer

PHONE = {"width": 390, "height": 844}
PAGES = ["", "exercises/bird-dog/", "clinics/", "spine-planes/", "exercises/", "clinics/cary/", "programs/",
         "programs/back-care-basics/", "programs/back-care-basics/print.html", "exercises/bird-dog/#blank"]

# Measured in the page: text smaller than 16px, and controls shorter than 44px that are not
# links inside a sentence (WCAG's exception for inline targets).
# `width`: the phone's; under mobile emulation Chromium widens innerWidth to fit a page too wide.
MEASURE = """(width) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const small = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg') || !visible(el)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (ownText && size < 16) small.push(`${el.tagName}.${el.className}: ${size}px`);
  }
  const tiny = [];
  for (const el of document.querySelectorAll('a, button, summary, input, select')) {
    if (!visible(el) || el.classList.contains('skip-link')) continue;
    const inSentence = getComputedStyle(el).display === 'inline' &&
      [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (!inSentence && r.height < 44) tiny.push(`${el.tagName} "${el.textContent.trim().slice(0, 30)}": ${r.height}px`);
  }
  return {overflow: document.documentElement.scrollWidth - width, small, tiny};
}"""


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_page_fits_a_phone_with_large_text_and_big_targets(phone, site_url, path):
    requests, problems = [], []
    phone.on("request", lambda request: requests.append(request.url))
    phone.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    phone.on("pageerror", lambda error: problems.append(str(error)))
    response = phone.goto(site_url + path)
    assert response.status == 200
    phone.wait_for_load_state("networkidle")
    measured = phone.evaluate(MEASURE, PHONE["width"])
    assert measured["overflow"] <= 0, "horizontal scroll at 390px"
    assert measured["small"] == []
    assert measured["tiny"] == []
    assert problems == []
    assert requests and all(url.startswith(site_url) for url in requests), requests


def test_every_page_has_no_accessibility_violations(browser, site_url, built_site):
    """axe-core at WCAG 2.2 AA (and its best practices) on every page the build makes."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    reports = {}
    paths = sorted(path.relative_to(built_site).as_posix() for path in built_site.rglob("*.html"))
    paths.append("exercises/bird-dog/index.html#blank")  # the handout with blanks: the same page, shown otherwise
    for path in paths:
        page.goto(site_url + path)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
        if results.violations_count:
            reports[path] = results.generate_report()
    context.close()
    assert reports == {}


def test_site_opened_from_disk_navigates(phone, built_site):
    phone.goto((built_site / "index.html").as_uri())
    phone.get_by_role("link", name="Bird Dog").first.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("/exercises/bird-dog/index.html")
    assert phone.locator("h1").inner_text() == "Bird Dog"
    phone.get_by_role("link", name="Four planes: Bending forward (flexion)").click()
    assert phone.url.endswith("/spine-planes/index.html#flexion")


def test_pages_are_readable_without_javascript(browser, site_url):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "exercises/bird-dog/")
    assert page.locator("h1").inner_text() == "Bird Dog"
    assert page.locator(".steps li").count() == 7
    assert "Do this 15 times on each side, every day." in page.locator(".dosage").inner_text()
    context.close()


def test_saving_a_file_reloads_the_open_page(site, phone):
    server = DevServer(site.root)
    try:
        phone.goto(f"http://127.0.0.1:{server.port}/exercises/bird-dog/")
        phone.wait_for_function("() => window.LiveReload !== undefined && window.LiveReload.connector && "
                                "window.LiveReload.connector._connectionDesired")
        site.edit("content/exercises/bird-dog.md", "title: Bird Dog", "title: Bird Dog Deluxe")
        phone.wait_for_function("() => document.querySelector('h1').textContent === 'Bird Dog Deluxe'", timeout=15000)
        site.edit("content/exercises/bird-dog.md", "  reps: 15", "  reps: lots")
        phone.wait_for_function("() => document.body.textContent.includes('dosage.reps')", timeout=15000)
    finally:
        server.stop()
