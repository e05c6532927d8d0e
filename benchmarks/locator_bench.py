"""Locator benchmark: page weight and filter-keystroke time with many clinics, in Chromium.

    python benchmarks/locator_bench.py --clinics 2000

Generates that many fictional clinics beside the shipped content (in a temporary folder),
builds the site, and prints the locator's first load (its HTML and the CSS and JavaScript it loads
up front, raw and compressed), what its search loads when first used, the heaviest page of a
place's clinics, and, over several runs, the time from a keystroke in the search box to the
filtered list being laid out (typing a city letter by letter, a postal code that sorts by
distance, and clearing the search). Needs Playwright and Chromium. It reports; it is not a test.
"""

from __future__ import annotations

import argparse
import gzip
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from site_gen.cli import main as build_main  # noqa: E402

CITIES = [("Raleigh", "NC", "27601", 35.78, -78.64, "America/New_York"),
          ("Denver", "CO", "80202", 39.74, -104.99, "America/Denver"),
          ("Chicago", "IL", "60601", 41.88, -87.63, "America/Chicago"),
          ("Seattle", "WA", "98101", 47.61, -122.33, "America/Los_Angeles"),
          ("Austin", "TX", "78701", 30.27, -97.74, "America/Chicago")]


def write_clinics(content: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    folder = content / "clinics"
    shutil.rmtree(folder)
    folder.mkdir()
    for number in range(count):
        city, region, postal, lat, lon, zone = rng.choice(CITIES)
        opens = rng.choice(["07:00", "08:00"])
        (folder / f"clinic-{number:05d}.yaml").write_text(f"""name: Example Physical Therapy – {city} {number}
street: {100 + number} Sample Street
city: {city}
region: {region}
postal_code: "{postal}"
country: US
phone: "919-555-{number % 10000:04d}"
latitude: {lat + rng.uniform(-0.3, 0.3):.4f}
longitude: {lon + rng.uniform(-0.3, 0.3):.4f}
timezone: {zone}
hours:
  monday: "{opens}-19:00"
  tuesday: "{opens}-19:00"
  wednesday: "{opens}-19:00"
  thursday: "{opens}-19:00"
  friday: "{opens}-17:00"
  saturday: "08:00-12:00"
services: [back pain]
""")


def first_load(output: Path) -> list[Path]:
    """The locator page and the stylesheets and scripts its HTML loads up front."""
    page = output / "clinics" / "index.html"
    html = page.read_text(encoding="utf-8")
    loads = re.findall(r'<link rel="stylesheet" href="([^"]+)"|<script src="([^"]+)"', html)
    return [page] + [(page.parent / (href or src)).resolve() for href, src in loads]


def kilobytes(paths: list[Path]) -> str:
    data = [path.read_bytes() for path in paths]
    return f"{sum(map(len, data)) / 1024:.1f} KB ({sum(len(gzip.compress(d, 9)) for d in data) / 1024:.1f} KB gzip)"


QUERIES = ("d", "de", "den", "denv", "denve", "denver", "", "8", "80", "802", "8020", "80202", "")


def measure_keystrokes(page_url: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS, find_chromium

    timings: dict[str, list[float]] = {query: [] for query in QUERIES}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(page_url)
        page.focus("#clinic-search")  # the locator loads its search and its index of every clinic
        page.wait_for_selector("[data-locator][data-ready]")
        page.fill("#clinic-search", "80202")  # and the postal codes, once
        page.wait_for_function("() => window.sitePostcodes !== undefined")
        page.fill("#clinic-search", "")
        for _ in range(runs):
            for text in QUERIES:
                timings[text].append(page.evaluate("""(text) => {
                  const input = document.querySelector('#clinic-search');
                  const start = performance.now();
                  input.value = text;
                  input.dispatchEvent(new Event('input'));
                  document.body.getBoundingClientRect();  // include style and layout
                  return performance.now() - start;
                }""", text))
        browser.close()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clinics", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        project = Path(scratch)
        shutil.copytree(ROOT / "content", project / "content")
        shutil.copytree(ROOT / "templates", project / "templates")
        write_clinics(project / "content", args.clinics)
        output = project / "output"
        started = time.perf_counter()
        status = build_main(["--content", str(project / "content"), "--templates", str(project / "templates"),
                             "--output", str(output), "-q"])
        built = time.perf_counter() - started
        if status:
            sys.exit(status)
        loaded = first_load(output)
        index = output / "clinics" / "search.js"
        # The pages of each place's clinics, as the locator links them.
        links = re.findall(r'<div class="clinic-places">(.*?)</div>', loaded[0].read_text(encoding="utf-8"), re.S)
        places = {output / "clinics" / href.split("#")[0] / "index.html"
                  for block in links for href in re.findall(r'href="([^"]+)"', block)}
        heaviest = max(places, key=lambda path: path.stat().st_size)
        print(f"clinics: {args.clinics}   build: {built:.2f} s")
        print(f"locator's first load: {kilobytes(loaded)}: " + ", ".join(path.name for path in loaded))
        print(f"loaded when the search is first used: index {kilobytes([index])}")
        print(f"heaviest place page (HTML): {heaviest.relative_to(output).parent}/ "
              f"{heaviest.stat().st_size / 1024:.1f} KB, {len(places)} place pages")
        timings = measure_keystrokes((output / "clinics" / "index.html").as_uri(), args.runs)
    every = [ms for values in timings.values() for ms in values]
    print(f"filter keystroke (input to layout), {len(every)} keystrokes: median {statistics.median(every):.1f} ms, "
          f"min {min(every):.1f} ms, max {max(every):.1f} ms")
    for query, values in timings.items():
        print(f"  {query or '(cleared)':>9}: median {statistics.median(values):.1f} ms, max {max(values):.1f} ms")

if __name__ == "__main__":
    main()
