"""The shipped content, built end to end: every page, link, address and dosage checked."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pages import html_pages, read_page

BASE = "https://backcare.example.org/"
ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ["bird-dog", "kettlebell-deadlift", "pallof-press", "single-arm-farmers-carry",
             "ankle-dorsiflexion-mobilization"]
PT = "Your physical therapist will tell you"

# The dosage box of each exercise, word for word, from the source's facts table
# (../shared/source/README.md): numbers only where the source gives them.
DOSAGE_BOXES = {
    "bird-dog": f"Do this 15 times on each side, every day. Sets {PT} Repeat 15 times on each side How often Every day",
    "kettlebell-deadlift": f"Do this once or twice a week. Sets {PT} Repeat {PT} How often Once or twice a week",
    "pallof-press": f"Do 2 sets on each side, every day. Sets 2 on each side Repeat {PT} How often Every day",
    "single-arm-farmers-carry": ("Walk about 30 feet, then turn and walk back. Do this once on each side, 3–4 times "
                                 "a week. Repeat once on each side "
                                 "Distance about 30 feet, then turn and walk back How often 3–4 times a week"),
    "ankle-dorsiflexion-mobilization": ("Hold for about 5 seconds. Do 5 sets of 30 on each side, spread out over the "
                                        "day, every day. Sets 5, spread out over the day Repeat 30 times on each side "
                                        "Hold about 5 seconds How often Every day"),
}
PLANES = {"bird-dog": "flexion", "kettlebell-deadlift": "extension", "pallof-press": "rotation",
          "single-arm-farmers-carry": "side-bending", "ankle-dorsiflexion-mobilization": "mobility"}


def page_url(output: Path, path: Path) -> str:
    rel = path.relative_to(output).as_posix()
    return rel[: -len("index.html")] if rel.endswith("index.html") else rel


def is_print_only(url: str) -> bool:
    """Program packets: documents to print, kept out of the sitemap."""
    return url.endswith("/print.html")


def test_every_page_is_built(built_site):
    urls = {page_url(built_site, path) for path in html_pages(built_site)}
    assert {"", "spine-planes/", "exercises/", "clinics/", "404.html"} <= urls
    assert {f"exercises/{slug}/" for slug in EXERCISES} <= urls
    clinics = {f"clinics/{path.stem}/" for path in (ROOT / "content" / "clinics").glob("*.yaml")}
    places = {"clinics/us/co/", "clinics/us/nc/", "clinics/us/ny/"}  # a page for each state with clinics
    assert {url for url in urls if url.startswith("clinics/") and url != "clinics/"} == clinics | places


def test_no_broken_internal_link_or_anchor(built_site):
    pages = {path: read_page(path) for path in html_pages(built_site)}
    checked = 0
    for path, page in pages.items():
        if path.name == "404.html":
            continue  # its links start from the site root, as it is served at any depth
        for tag, attribute, value in page.links:
            parts = urlsplit(value)
            if parts.scheme or value.startswith("//"):
                continue
            assert not value.startswith("/"), f"{path}: {value} is not relative"
            target = (path.parent / parts.path).resolve() if parts.path else path
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{path}: {tag} {attribute}={value} points at nothing"
            assert built_site.resolve() in target.parents
            if parts.fragment:
                assert parts.fragment in pages[target].ids, f"{path}: no #{parts.fragment} in {target}"
            checked += 1
    assert checked > 200


def test_no_request_can_leave_the_site(built_site):
    for path in html_pages(built_site):
        for tag, attributes in read_page(path).tags:
            # Not loaded: the canonical address and the page's addresses in other languages (hreflang).
            loads = attributes.get("src") or (attributes.get("href") if attributes.get("rel") not in ("canonical", "alternate")
                                              else None)
            if tag in ("link", "script", "img", "iframe", "source") and loads:
                assert not urlsplit(loads).scheme and not loads.startswith("//"), f"{path}: loads {loads}"


def test_json_ld_parses_and_describes_each_page(built_site):
    for path in html_pages(built_site):
        page = read_page(path)
        address = page_url(built_site, path)
        url = address.removeprefix("es/")  # the Spanish pages' are the same, in their language
        if url in ("404.html", "exercises/", "clinics/", "programs/") or url.startswith("clinics/us/"):  # lists
            assert page.json_ld == []
            continue
        [data] = page.json_ld
        assert data["@context"] == "https://schema.org"
        if url.startswith("clinics/") and url != "clinics/":
            assert data["@type"] == "MedicalClinic"
            assert data["url"] == BASE + address
            assert set(data["geo"]) == {"@type", "latitude", "longitude"}
            assert re.fullmatch(r"\+1\d{10}", data["telephone"])
            if "aurora" not in url:  # the sample clinic whose hours are not listed
                assert data["openingHoursSpecification"]
        else:
            assert data["@type"] == "MedicalWebPage"
            # A translation has its own review date.
            assert data["lastReviewed"] == ("2026-12-01" if address.startswith("es/") else "2026-11-01")
            assert data["medicalAudience"]["audienceType"] == "Patient"
            assert data["url"] == BASE + address


def test_exercise_pages_carry_an_exercise_plan_with_the_source_dosage(built_site):
    plans = {slug: read_page(built_site / "exercises" / slug / "index.html").json_ld[0]["mainEntity"]
             for slug in EXERCISES}
    assert {slug: plan["@type"] for slug, plan in plans.items()} == dict.fromkeys(EXERCISES, "ExercisePlan")
    assert plans["bird-dog"]["repetitions"] == 15
    assert plans["ankle-dorsiflexion-mobilization"]["repetitions"] == 30
    assert "repetitions" not in plans["kettlebell-deadlift"]
    assert "repetitions" not in plans["pallof-press"]
    assert plans["single-arm-farmers-carry"]["activityFrequency"] == "3–4 times a week"


def test_sitemap_lists_every_page_once(built_site):
    tree = ET.parse(built_site / "sitemap.xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = [loc.text for loc in tree.findall("s:url/s:loc", namespace)]
    pages = [BASE + page_url(built_site, path) for path in html_pages(built_site)
             if path.name != "404.html" and not is_print_only(page_url(built_site, path))]
    assert sorted(locs) == sorted(pages)
    assert (built_site / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


@pytest.mark.parametrize("slug", EXERCISES)
def test_dosage_box_says_exactly_what_the_source_gives(built_site, slug):
    text = read_page(built_site / "exercises" / slug / "index.html").text
    box = text[text.index("How much and how often") + len("How much and how often"): text.index("What you need")]
    # then the same box with blanks, shown at #blank: starting with the sets or, without them, the repetitions
    filled, blanks = re.split(r"\s(?=(?:Do|Repeat) ______)", box, maxsplit=1)
    expected = DOSAGE_BOXES[slug]
    if "Your physical therapist will tell you" in expected:
        expected += " Your physical therapist sets what is not given here, to suit you."
    assert filled.strip() == expected
    assert blanks.strip().endswith("Your physical therapist fills in these blanks for you. Show the dosage filled in")


@pytest.mark.parametrize("slug", EXERCISES)
def test_exercise_page_has_everything_a_patient_needs(built_site, slug):
    path = built_site / "exercises" / slug / "index.html"
    page = read_page(path)
    plane = PLANES[slug]
    hrefs = [value for tag, attribute, value in page.links if tag == "a"]
    assert f"../../spine-planes/#{plane}" in hrefs  # topic badge → its group's section of the topic page
    assert "../../clinics/" in hrefs
    assert "Stop and call your physical therapist if pain gets worse or new pain starts." in page.text
    assert "How to do it" in page.text and "Muscles worked" in page.text and "What you need" in page.text
    assert "Last reviewed November 1, 2026" in page.text
    rels = [attrs.get("rel") for tag, attrs in page.tags if tag == "a" and attrs.get("rel")]
    assert rels == (["next"] if slug == EXERCISES[0] else ["prev"] if slug == EXERCISES[-1] else ["prev", "next"])
    source = (Path(__file__).parent.parent / "content" / "exercises" / f"{slug}.md").read_text()
    steps = re.search(r"^steps:\n((?:  - .*\n)+)", source, re.M).group(1).count("  - ")
    ordered = path.read_text().split('<ol class="steps">')[1].split("</ol>")[0]
    assert ordered.count("<li>") == steps


def test_quotes_are_attributed(built_site):
    text = read_page(built_site / "exercises" / "bird-dog" / "index.html").text
    assert ("It's like a corset muscle." in text or "It’s like a corset muscle." in text)
    assert "Nicholas Hershfield, PT, DPT, OCS, Hospital for Special Surgery, New York City" in text


def test_explainer_links_every_exercise_to_its_plane_and_checks_coverage(built_site):
    path = built_site / "spine-planes" / "index.html"
    page = read_page(path)
    html = path.read_text()
    for slug, plane in PLANES.items():
        section = html.split(f'<section class="topic-group" id="{plane}"')[1].split("</section>")[0]
        assert f'href="../exercises/{slug}/"' in section
    assert "Yes: together, these exercises train all four." in page.text
    assert "Why the ankle matters to your back" in page.text
    assert page.text.count("✓") == 4


def test_home_lists_the_five_exercises_and_links_onward(built_site):
    page = read_page(built_site / "index.html")
    hrefs = [value for tag, attribute, value in page.links if tag == "a"]
    for slug in EXERCISES:
        assert f"exercises/{slug}/" in hrefs
    assert "spine-planes/" in hrefs and "clinics/" in hrefs


def test_locator_lists_every_clinic_with_call_directions_and_hours(built_site):
    # clinics/ lists the places, country then region, each linking to the page of its clinics.
    places = read_page(built_site / "clinics" / "index.html")
    assert {value for tag, attribute, value in places.links if value.startswith("us/")} == {"us/co/", "us/nc/",
                                                                                          "us/ny/"}
    paths = sorted((built_site / "clinics" / "us").glob("*/index.html"))
    pages = [read_page(path) for path in paths]
    html = "".join(path.read_text() for path in paths)
    text = " ".join(page.text for page in pages)
    main_line = "tel:+19195550100"
    calls = [value for page in pages for tag, attribute, value in page.links
             if value.startswith("tel:+1") and value != main_line]
    directions = [value for page in pages for tag, attribute, value in page.links if "maps/dir/" in value]
    clinics = list((ROOT / "content" / "clinics").glob("*.yaml"))
    assert len(calls) == len(clinics)  # one per clinic
    assert len(directions) == len(clinics)
    assert html.count('<ul class="hours-summary">') == sum("\nhours:" in path.read_text() for path in clinics)
    assert "Monday to Friday: 7 am to 7 pm" in text
    assert "Hours not listed. Please call." in text
    assert "tel:+19195550103" in calls and "(919) 555-0103" in text


def test_clinic_page_shows_closures_and_hours(built_site):
    text = read_page(built_site / "clinics" / "raleigh-downtown" / "index.html").text
    assert "December 24, 2026 to December 26, 2026: Winter holidays" in text
    assert "Monday 7 am to 7 pm" in text or "Monday" in text
    north_hills = read_page(built_site / "clinics" / "raleigh-north-hills" / "index.html").text
    assert "Monday 8 am to noon, 1 pm to 5 pm" in north_hills


def test_head_has_canonical_and_open_graph(built_site):
    for path in html_pages(built_site):
        page = read_page(path)
        url = page_url(built_site, path)
        if url == "404.html" or is_print_only(url):
            assert "og:url" not in page.meta
            continue
        canonical = [value for tag, attribute, value in page.links if tag == "link" and attribute == "href"
                     and value.startswith("https://")]
        # The canonical address, then, for a page in both languages, each language's and the default's.
        assert canonical[0] == BASE + url
        assert canonical[1:] == [] or BASE + url in canonical[1:]
        assert page.meta["og:url"] == BASE + url
        assert page.meta["og:title"] and page.meta["og:description"]
        assert page.meta["Content-Security-Policy"].startswith("default-src 'self';")


def test_one_small_stylesheet_with_a_hashed_name_and_pages_under_budget(built_site):
    [css] = list((built_site / "assets").glob("site.*.css"))
    assert re.fullmatch(r"site\.[0-9a-f]{10}\.css", css.name)
    for path in html_pages(built_site):
        if is_print_only(page_url(built_site, path)):
            continue  # printed, not browsed on a phone
        weight = path.stat().st_size + css.stat().st_size
        assert weight < 30 * 1024, f"{path}: {weight} bytes with its CSS"


def test_no_web_fonts_or_third_party_hosts_in_css(built_site):
    [css] = list((built_site / "assets").glob("site.*.css"))
    text = css.read_text()
    assert "@font-face" not in text and "url(" not in text and "@import" not in text


def test_pages_link_only_relatively_so_the_site_works_under_a_sub_path(tmp_path, run, monkeypatch):
    root = Path(__file__).parent.parent
    monkeypatch.chdir(root)
    output = tmp_path / "out"
    assert run("--output", str(output), "--base-url", "https://example.org/clinic/sub/", "-q").status == 0
    home = (output / "index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/clinic/sub/">' in home
    not_found = (output / "404.html").read_text()
    assert 'href="/clinic/sub/exercises/"' in not_found
    assert posixpath.join("/clinic/sub/", "assets/") in not_found


def test_program_page_lists_exercises_dosages_and_planes(built_site):
    page = read_page(built_site / "programs" / "back-care-basics" / "index.html")
    for summary in ("Do this 15 times on each side, every day.", "Do this once or twice a week.",
                    "Do 2 sets on each side, every day.",
                    "Walk about 30 feet, then turn and walk back. Do this once on each side, 3–4 times a week.",
                    "Hold for about 5 seconds. Do 5 sets of 30 on each side, spread out over the day, every day."):
        assert summary in page.text
    assert "What it covers: Four planes" in page.text and "It trains all four of them." in page.text
    assert page.text.count("✓") == 5  # four planes and the ankle work
    hrefs = [value for tag, attribute, value in page.links if tag == "a"]
    assert "print.html" in hrefs
    index = read_page(built_site / "programs" / "index.html")
    assert "back-care-basics/" in [value for tag, attribute, value in index.links]
