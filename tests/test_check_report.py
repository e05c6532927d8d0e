"""`check`'s report as a web page, beside its JSON and served by the dev server: each page's reading
grade and weight against their targets, its findings and its links to other sites."""

from __future__ import annotations

import json
import math
import re
from html.parser import HTMLParser

import pytest
from devserver import DevServer

from site_gen.content.problems import Problem
from site_gen.features.checks import PageReport
from site_gen.serve.report import SiteFacts, render_report

SHIPPED_BUDGET = "page_budget_kb: {default: 30, exercise: 34, program_print: 64}\n"

BIRD = "content/exercises/bird-dog.md"
PHONE = {"width": 390, "height": 844}
TODAY = "2026-11-22"


BLOCKS = {"br", "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "section"}


class Sections(HTMLParser):
    """The text of a report, by section: the heading of each (a page's address) → all its words."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.sections: dict[str, str] = {}
        self.words: list[str] = []
        self.heading: list[str] | None = None
        self.current: str | None = None
        self.feed(html)
        self._close()

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:  # words on either side of a line break or a block are apart, as on the screen
            self.words.append(" ")
        if tag == "section":
            self._close()
            self.current = ""
        elif tag == "h2":
            self.heading = []

    def handle_endtag(self, tag):
        if tag in BLOCKS:
            self.words.append(" ")
        if tag == "h2" and self.heading is not None:
            self.current = " ".join("".join(self.heading).split())
            self.heading = None
        elif tag == "section":
            self._close()

    def handle_data(self, data):
        if self.heading is not None:
            self.heading.append(data)
        self.words.append(data)

    def _close(self):
        if self.current:
            self.sections[self.current] = " ".join("".join(self.words).split())
        self.words, self.current = [], None


def checked(site, run, *args: str):
    """Run check; its exit status, the reports from the JSON, the web page, and its sections by page."""
    result = run("check", "--today", TODAY, *args)
    html = (site.root / "output-report.html").read_text(encoding="utf-8")
    reports = json.loads((site.root / "output-report.json").read_text()) if result.status == 0 else []
    return result, reports, html, Sections(html).sections


def warnings_of(result, url: str) -> list[tuple[str, str, str]]:
    """The warnings printed about a page: (where, field, message) as `path[:line]: field: message (page URL)`."""
    found = []
    for line in result.err.splitlines():
        match = re.fullmatch(rf"(\S+?): ([^:]+): (.*) \(page {re.escape(url)}\) \(warning\)", line)
        if match:
            found.append(match.groups())
    return found


def test_check_writes_a_web_page_of_every_pages_grade_and_weight_against_its_targets(site, run):
    result, reports, html, sections = checked(site, run)
    assert result.status == 0
    assert "To see the report in a web browser, open output-report.html\n" in result.out
    assert set(sections) == {page["url"] for page in reports}  # every page checked, once
    for page in reports:
        text = sections[page["url"]]
        assert text.startswith(f"{page['url']} From {page['source']} Reading grade ")
        if page["grade"] is None:
            assert " Reading grade Not graded: the page has no running text of its own, or too little. " in text
        else:
            assert f" Reading grade {page['grade']:.1f}, for a target of 8 or lower. " in text
        assert f" Weight {page['weight'] / 1024:.1f} KB, for a budget of {page['budget'] // 1024} KB." in text
    bird = sections["exercises/bird-dog/"]
    # site.yaml's budgets for these templates (the shipped site's, for two languages).
    assert "for a budget of 34 KB" in bird and "for a budget of 64 KB" in sections["programs/back-care-basics/print.html"]
    assert "8 or lower (reading_grade in site.yaml); 0 pages are above it." in " ".join(html.split()).replace(
        "<code>", "").replace("</code>", "")
    assert "<script" not in html and "://" not in html.split("<main>")[0]  # nothing to run or fetch


def test_the_reading_target_and_the_bars_come_from_site_yaml(site, run):
    site.edit("content/site.yaml", "title: Back Care Library", "title: Back Care Library\nreading_grade: 2")
    result, reports, html, sections = checked(site, run)
    graded = [page for page in reports if page["grade"] is not None]
    assert graded and all(page["grade"] > 2 for page in graded)
    for page in graded:
        assert f" Reading grade {page['grade']:.1f}, for a target of 2 or lower: above the target. " in sections[page["url"]]
    assert f"{len(graded)} pages are above it." in html
    # One scale for every grade's bar: up to the highest grade (rounded up), the target's mark where 2 is on it.
    scale = max(4, math.ceil(max(page["grade"] for page in graded)))
    assert f'<span class="mark" style="left: {round(100 * 2 / scale, 1)}%">' in html


def test_findings_show_with_file_and_line_as_the_warnings_do(site, run):
    site.edit(BIRD, "## Tips", "Read about the planes [here](../spine-planes.md).\n\n#### Tips")
    site.edit("content/site.yaml", SHIPPED_BUDGET, "")  # the shipped budgets, replaced here
    site.edit("content/site.yaml", "title: Back Care Library", "title: Back Care Library\npage_budget_kb: 20")
    result, reports, html, sections = checked(site, run)
    assert result.status == 0
    warned = warnings_of(result, "exercises/bird-dog/")
    assert len(warned) >= 3  # link text, a skipped heading, the page's weight
    for where, field, message in warned:
        assert f"warning {where} · {field} {message}" in sections["exercises/bird-dog/"], (where, field, message)
    for page in reports:  # every finding of every page, with its page
        for finding in page["findings"]:
            kind, message = finding.split(": ", 1)
            assert f"{kind} " in sections[page["url"]]
            assert " ".join(re.sub(r"^line [0-9]+: ", "", message).split()) in sections[page["url"]], finding


def test_a_warning_about_a_file_rather_than_a_page_is_shown_with_that_files_page(site, run):
    site.write("content/programs/core-start.yaml", "title: Core start\nsummary: Two exercises to begin with.\n"
                                                   "exercises:\n  - exercise: bird-dog\n  - exercise: pallof-press\n")
    result, reports, html, sections = checked(site, run)
    assert ('content/programs/core-start.yaml: exercises: no exercise of it belongs to "Bending backward" '
            "(content/spine-planes.md asks programs to cover every group); the program page says so (warning)"
            ) in result.err
    assert ('warning content/programs/core-start.yaml · exercises no exercise of it belongs to "Bending backward" '
            "(content/spine-planes.md asks programs to cover every group); the program page says so"
            ) in sections["programs/core-start/"]
    assert list(sections).index("programs/core-start/") < list(sections).index("/")  # pages with warnings first


def test_a_warning_about_no_page_is_given_apart():
    page = PageReport("/", "content/index.md", 10240, 30720, 5.0)
    html = render_report([page], [Problem("content/site.yaml", 3, "services", "a service no clinic offers")],
                         SiteFacts("A site", 8))
    sections = Sections(html).sections
    assert sections["Warnings about no single page"] == ("Warnings about no single page warning content/site.yaml:3 · "
                                                        "services a service no clinic offers")
    assert sections["/"] == ("/ From content/index.md Reading grade 5.0, for a target of 8 or lower. "
                             "Weight 10.0 KB, for a budget of 30 KB.")
    assert 'style="width: 31.2%"' in html and 'style="left: 50.0%"' in html  # grade 5 on 0-16, target 8
    assert 'style="width: 16.7%"' in html  # 10 KB on 0-60, budget 30 at the middle


def test_what_content_says_is_shown_as_text_and_links_to_other_sites_are_listed(site, run):
    text = site.read(BIRD)
    long = ("When you have <script>alert('x')</script> considered the multifactorial interrelationships between "
            "musculoskeletal, psychosocial & behavioural determinants, comprehensive individualised "
            "interdisciplinary rehabilitation incorporating progressive neuromuscular re-education follows.")
    site.write(BIRD, text.split("\n---\n")[0] + "\n---\n" + " ".join([long] * 4) +
               "\n\nSee [MedlinePlus](https://medlineplus.gov/backpain.html?a=1&b=2).\n")
    result, reports, html, sections = checked(site, run)
    assert result.status == 0
    assert "<script>alert" not in html and "&lt;script&gt;alert(" in html
    assert "psychosocial &amp; behavioural" in html
    bird = sections["exercises/bird-dog/"]
    assert "Links to other sites https://medlineplus.gov/backpain.html?a=1&b=2" in bird
    assert '<a href="https://medlineplus.gov/backpain.html?a=1&amp;b=2" rel="noreferrer">' in html
    # The clinics' directions, each listed once as the address it is (its "&" written once as &amp;).
    assert '?api=1&amp;destination=' in html and "&amp;amp;" not in html


def test_a_check_stopped_by_errors_lists_them_in_its_web_page(site, run):
    site.edit(BIRD, "  reps: 15", "  reps: fifteen")
    result, _, html, _ = checked(site, run)
    assert result.status == 1
    assert "output-report.html" in result.err
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "The check stopped at 1 error. Fix it and check again: this report then shows every page." in words
    assert 'content/exercises/bird-dog.md:10 · dosage.reps expected a whole number, got &#34;fifteen&#34;' in words


@pytest.fixture
def server(site):
    dev = DevServer(site.root, "--today", TODAY)
    yield dev
    dev.stop()


def test_the_dev_server_serves_the_report_of_its_last_build(site, run, server):
    assert any(line.endswith(f"http://127.0.0.1:{server.port}/_report/") for line in server.lines)
    status, served = server.get("/_report/")
    assert status == 200
    assert '<a href="/exercises/bird-dog/">exercises/bird-dog/</a>' in served and '<a href="/">/</a>' in served
    assert '<script src="/livereload.js?port=' in served  # it reloads when a save is built
    from_check = checked(site, run)[3]
    assert Sections(served).sections == from_check  # the same report

    site.edit(BIRD, "  reps: 15", "  reps: fifteen")
    server.wait_for(lambda: "The check stopped at 1 error" in server.get("/_report/")[1], "the errors in the report")
    site.edit(BIRD, "  reps: fifteen", "  reps: 15")
    server.wait_for(lambda: "exercises/bird-dog/" in Sections(server.get("/_report/")[1]).sections,
                    "the report to come back")


# `width`: the phone's; under mobile emulation Chromium widens innerWidth to fit a page too wide.
MEASURE = """(width) => {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const small = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (!visible(el)) continue;
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (ownText && size < 16) small.push(`${el.tagName}.${el.className}: ${size}px`);
  }
  const tiny = [];
  for (const el of document.querySelectorAll('a')) {
    const inSentence = getComputedStyle(el).display === 'inline' &&
      [...el.parentElement.childNodes].some((n) => n !== el && n.nodeType === 3 && n.textContent.trim());
    const r = el.getBoundingClientRect();
    if (visible(el) && !inSentence && r.height < 44) tiny.push(`"${el.textContent.trim().slice(0, 30)}": ${r.height}px`);
  }
  return {overflow: document.documentElement.scrollWidth - width, small, tiny};
}"""


def test_the_report_is_accessible_and_fits_a_phone(site, run, browser):
    """axe-core at WCAG 2.2 AA and the site's phone measures, on the report as written and as served."""
    from axe_playwright_python.sync_playwright import Axe

    site.edit(BIRD, "## Tips", "See [MedlinePlus](https://medlineplus.gov/backpain.html).\n\n#### Tips")
    site.edit("content/site.yaml", "title: Back Care Library", "title: Back Care Library\nreading_grade: 4")
    assert run("check", "--today", TODAY).status == 0
    dev = DevServer(site.root)
    try:
        for url in ((site.root / "output-report.html").as_uri(), f"http://127.0.0.1:{dev.port}/_report/"):
            context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
            page = context.new_page()
            requests, problems = [], []
            page.on("request", lambda request: requests.append(request.url))
            page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
            page.goto(url)
            page.wait_for_load_state("networkidle")
            assert page.locator("h1").inner_text() == "Check report: Back Care Library"
            assert page.locator(".fill.over").count() > 0  # pages above the reading target of 4
            measured = page.evaluate(MEASURE, PHONE["width"])
            assert measured["overflow"] <= 0, "horizontal scroll at 390px"
            assert measured["small"] == [] and measured["tiny"] == []
            assert problems == []
            origin = url.rsplit("/", 1)[0] if url.startswith("file:") else f"http://127.0.0.1:{dev.port}/"
            assert requests and all(request.startswith(origin) for request in requests), requests
            context.close()
            context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is injected as a script
            page = context.new_page()
            page.goto(url)
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
            assert results.violations_count == 0, results.generate_report()
            context.close()
    finally:
        dev.stop()
