"""Locator benchmark: page weight and filter-keystroke time with many clinics, in Chromium.

    python benchmarks/locator_bench.py --clinics 2000

Generates that many fictional clinics beside the shipped content (in a temporary folder),
builds the site, and prints the locator page's weight and, over several runs, the time from a
keystroke in the search box to the filtered list being laid out. Needs Playwright and Chromium.
"""

from __future__ import annotations

import argparse
import random
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


def measure_keystrokes(page_url: str, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_ARGS, find_chromium

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(page_url)
        page.wait_for_selector("#locator-status:not(:empty)")
        for _ in range(runs):
            for text in ("d", "de", "den", "denv", "denve", "denver", ""):
                timings.append(page.evaluate("""(text) => {
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
        weight = (output / "clinics" / "index.html").stat().st_size
        assets = {path.name: path.stat().st_size for path in (output / "assets").iterdir()}
        css = sum(size for name, size in assets.items() if name.startswith("site.") and name.endswith(".css"))
        js = sum(size for name, size in assets.items() if name.endswith(".js"))
        timings = measure_keystrokes((output / "clinics" / "index.html").as_uri(), args.runs)
    print(f"clinics: {args.clinics}   build: {built:.2f} s")
    print(f"locator page: HTML {weight / 1024:.1f} KB + CSS {css / 1024:.1f} KB + JS {js / 1024:.1f} KB")
    print(f"filter keystroke (input to layout), {len(timings)} keystrokes: median {statistics.median(timings):.1f} ms, "
          f"min {min(timings):.1f} ms, max {max(timings):.1f} ms")


if __name__ == "__main__":
    main()
