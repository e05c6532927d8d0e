"""A copy that works from a disk or USB stick: `build --offline` writes links that name each folder's
index.html, and a not-found page whose links start from its own place, so the whole site reads
from disk with JavaScript off. The normal build keeps its pretty addresses (`exercises/`)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

import pytest
from pages import html_pages, read_page

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
SITES = {"shipped": ROOT / "content", "knee-and-balance": ROOT / "tests" / "sites" / "knee-and-balance" / "content"}
TODAY = "2026-12-01"

# Each link's address made absolute; an SVG link's `href` is an object, not a string.
ABSOLUTE_HREFS = "links => links.map(link => new URL(link.getAttribute('href'), document.baseURI).href)"


def build(project: Path, output: str, *extra: str) -> int:
    return main(["--content", str(project / "content"), "--templates", str(ROOT / "templates"),
                 "--output", str(project / output), "--today", TODAY, "-q", *extra])


@pytest.fixture(scope="module", params=list(SITES))
def builds(request, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A site built twice from one project (and one cache): normally, then --offline."""
    project = tmp_path_factory.mktemp(request.param)
    shutil.copytree(SITES[request.param], project / "content")
    assert build(project, "output") == 0
    assert build(project, "offline", "--offline") == 0
    return project / "output", project / "offline"


def local_links(page: Path) -> list[tuple[str, str]]:
    """Each (tag, href or src) of a built page that leads inside the site (not https:, tel:, mailto:)."""
    return [(tag, value) for tag, _, value in read_page(page).links
            if not urlsplit(value).scheme and urlsplit(value).path]


def nav_links(page: Path) -> list[str]:
    html = page.read_text(encoding="utf-8")
    header = re.search(r"<header\b.*?</header>", html, re.S).group(0)
    return re.findall(r'href="([^"]*)"', header)


# -- the files, without a browser ---------------------------------------------------------------------

def test_every_local_link_of_the_offline_copy_names_a_file(builds):
    _, offline = builds
    wrong = []
    for page in html_pages(offline):
        for tag, href in local_links(page):
            target = (page.parent / unquote(urlsplit(href).path)).resolve()
            if not target.is_file() or offline.resolve() not in target.parents:
                wrong.append(f"{page.relative_to(offline)}: <{tag}> {href}")
            elif tag == "a" and target.suffix not in (".html", ".jpg", ".jpeg", ".png", ".webp", ".svg"):
                wrong.append(f"{page.relative_to(offline)}: <a> {href} is not a page")
    assert wrong == []


def test_offline_links_name_index_html(builds):
    _, offline = builds
    home, exercises = offline / "index.html", offline / "exercises" / "index.html"
    first = min((offline / "exercises").glob("*/index.html"))
    assert {"index.html", "exercises/index.html"} <= set(nav_links(home))
    assert {"../index.html", "index.html"} <= set(nav_links(exercises))
    assert {"../../index.html", "../index.html"} <= set(nav_links(first))
    assert [href for page in (home, exercises, first) for href in nav_links(page) if href.endswith("/")] == []
    assert f'href="{first.parent.name}/index.html"' in exercises.read_text(encoding="utf-8")


def test_the_normal_build_keeps_pretty_addresses(builds):
    normal, _ = builds
    first = min((normal / "exercises").glob("*/index.html"))
    assert {"./", "exercises/"} <= set(nav_links(normal / "index.html"))
    assert {"../../", "../"} <= set(nav_links(first))
    named = [f"{page.relative_to(normal)}: {href}" for page in html_pages(normal) for _, href in local_links(page)
             if urlsplit(href).path.endswith("index.html")]
    assert named == []
    # The not-found page, served at any depth, loads from the site's root, as before.
    assert '<link rel="stylesheet" href="/assets/site.' in (normal / "404.html").read_text(encoding="utf-8")


def pretty(html: str) -> str:
    """An offline page's links as the normal build writes them: `exercises/`, `../`, `./#part`."""
    return re.sub(r'href="([^"#:]*?)index\.html', lambda match: f'href="{match.group(1) or "./"}', html)


def test_offline_pages_differ_from_the_published_ones_only_in_links_naming_index_html(builds):
    normal, offline = builds
    # The sitemap, canonical links, og:url, the JSON-LD and the handouts' QR codes lead to the published site.
    assert (offline / "sitemap.xml").read_bytes() == (normal / "sitemap.xml").read_bytes()
    assert (offline / "robots.txt").read_bytes() == (normal / "robots.txt").read_bytes()
    different = [str(page.relative_to(normal)) for page in html_pages(normal) if page.name != "404.html"
                 and pretty((offline / page.relative_to(normal)).read_text(encoding="utf-8"))
                 != page.read_text(encoding="utf-8")]
    assert different == []


# -- switching, with the cache --------------------------------------------------------------------------

def test_switching_between_offline_and_normal_builds_gives_the_right_links(site, run):
    bird = "output/exercises/bird-dog/index.html"
    for offline in (True, False, True, False):
        assert run(*(["--offline"] if offline else []), "-q").status == 0
        html = site.read(bird)
        assert ('href="../index.html"' in html) is offline
        assert ('href="../"' in html) is not offline
        body_link = "../../spine-planes/index.html#flexion" if offline else "../../spine-planes/#flexion"
        assert f'href="{body_link}"' in html
        assert ('href="assets/site.' in site.read("output/404.html")) is offline
    assert (site.root / ".cache").is_dir()


# -- the checks -----------------------------------------------------------------------------------------

def test_check_offline_finds_folder_and_broken_links(site, run):
    site.edit(site.override("404.html"), "</ul>",
              '<li><a href="clinics/">Clinics</a></li><li><a href="exercises/nope/index.html">Nope</a></li></ul>')
    assert run("check", "--offline", "-q").errors == [
        ('templates/404.html: link: "clinics/" leads to a folder, which a browser opens from disk as a list of files; '
         "link to its index.html (page 404.html)"),
        'templates/404.html: link: "exercises/nope/index.html" leads to no page of the site (page 404.html)',
        "Check failed: 2 error(s), listed in output-report.html too.",
    ]
    assert run("--offline", "-q").status == 1
    assert run("check", "-q").status == 0  # served, the not-found page's links start from the root: not checked


def test_check_offline_passes_the_shipped_site(site, run):
    assert run("check", "--offline", "-q").status == 0


def test_serve_refuses_offline(site, capsys, monkeypatch):
    # The dev server serves its pages over HTTP, where folder links work: a copy for disk is built.
    monkeypatch.setattr("site_gen.serve.server.serve", lambda *args, **options: pytest.fail("serve started"))
    for args in (["--offline", "serve"], ["serve", "--offline"]):
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 2
    errors = capsys.readouterr().err.splitlines()
    assert errors.count("site-gen: error: --offline does not apply to serve; see site-gen serve --help") == 2


# -- from disk in Chromium, JavaScript off --------------------------------------------------------------

def test_every_link_of_the_offline_copy_opens_a_page_from_disk_without_javascript(browser, builds):
    _, offline = builds
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    start = [(offline / "index.html").as_uri(), (offline / "404.html").as_uri()]
    queue, seen, linked_from, wrong = list(start), set(start), {}, []
    while queue:
        url = queue.pop(0)
        try:
            page.goto(url)
        except Exception as error:  # noqa: BLE001 - a file that is not there: net::ERR_FILE_NOT_FOUND
            wrong.append(f"{url} (from {linked_from.get(url)}): {str(error).splitlines()[0]}")
            continue
        # A folder opens as a list of its files, with an <h1> of its own ("Index of ..."), but no site page.
        if not page.url.endswith(".html") or page.locator("h1").count() != 1 or page.locator("main#main").count() != 1:
            wrong.append(f"{url} (from {linked_from.get(url)}) opened {page.url}, not a page of the site")
            continue
        for href in page.eval_on_selector_all("a[href]", ABSOLUTE_HREFS):
            target = urldefrag(href).url
            if target.startswith("file:") and target not in seen:
                seen.add(target)
                linked_from[target] = page.url
                queue.append(target)
    context.close()
    assert wrong == []
    # Every page of the copy but the not-found page is reached by following links from the home page.
    assert {Path(unquote(urlsplit(url).path)) for url in seen} >= set(html_pages(offline))


def test_not_found_page_is_styled_from_disk_wherever_the_copy_sits(browser, builds, tmp_path):
    _, offline = builds
    stick = tmp_path / "USB stick" / "clinic site"
    shutil.copytree(offline, stick)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_content("<p>unstyled</p>")
    unstyled = page.locator("body").evaluate("body => getComputedStyle(body).margin")
    page.goto((stick / "404.html").as_uri())
    assert page.eval_on_selector_all('link[rel="stylesheet"]', "links => links.map(link => link.sheet !== null)") \
        == [True]
    assert page.locator("body").evaluate("body => getComputedStyle(body).margin") != unstyled
    page.get_by_role("link", name="See all exercises").click()
    assert page.url == (stick / "exercises" / "index.html").as_uri()
    assert page.locator("h1").count() == 1
    context.close()
