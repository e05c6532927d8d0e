"""The clinic map: drawn at build time from shipped outlines, a dot per clinic linking to its page,
where the documented projection puts it; light, printable, accessible, and nothing fetched.

Tried on a scratch site of 25 real places: the US mainland, Alaska, Hawaii, Guam, Puerto Rico,
Toronto, Vancouver, London, Manchester, Dublin and Cork."""

from __future__ import annotations

import functools
import http.server
import math
import os
import re
import shutil
import subprocess
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import QuietHandler, skip_or_fail

from site_gen.cli import main

ROOT = Path(__file__).resolve().parent.parent
PHONE = {"width": 390, "height": 844}
BUDGET = 15 * 1024  # the map's share of the locator's first load at 25 clinics
LOCATOR = "clinics/index.html"

# city, region, country, postal code, phone, latitude, longitude, time zone: each clinic at its city's centre.
PLACES = [
    ("Seattle", "WA", "US", "98104", "206-555-0101", 47.6062, -122.3321, "America/Los_Angeles"),
    ("Portland", "OR", "US", "97204", "503-555-0101", 45.5152, -122.6784, "America/Los_Angeles"),
    ("San Francisco", "CA", "US", "94102", "415-555-0101", 37.7793, -122.4193, "America/Los_Angeles"),
    ("Los Angeles", "CA", "US", "90012", "213-555-0101", 34.0522, -118.2437, "America/Los_Angeles"),
    ("Phoenix", "AZ", "US", "85004", "602-555-0101", 33.4484, -112.0740, "America/Phoenix"),
    ("Denver", "CO", "US", "80202", "303-555-0101", 39.7392, -104.9903, "America/Denver"),
    ("Dallas", "TX", "US", "75201", "214-555-0101", 32.7767, -96.7970, "America/Chicago"),
    ("Chicago", "IL", "US", "60602", "312-555-0101", 41.8781, -87.6298, "America/Chicago"),
    ("Minneapolis", "MN", "US", "55401", "612-555-0101", 44.9778, -93.2650, "America/Chicago"),
    ("Atlanta", "GA", "US", "30303", "404-555-0101", 33.7490, -84.3880, "America/New_York"),
    ("Miami", "FL", "US", "33130", "305-555-0101", 25.7617, -80.1918, "America/New_York"),
    ("Boston", "MA", "US", "02108", "617-555-0101", 42.3601, -71.0589, "America/New_York"),
    ("New York", "NY", "US", "10018", "212-555-0101", 40.7549, -73.9925, "America/New_York"),
    ("Washington", "DC", "US", "20004", "202-555-0101", 38.8951, -77.0364, "America/New_York"),
    ("Raleigh", "NC", "US", "27601", "919-555-0101", 35.7796, -78.6382, "America/New_York"),
    ("Anchorage", "AK", "US", "99501", "907-555-0101", 61.2181, -149.9003, "America/Anchorage"),
    ("Honolulu", "HI", "US", "96813", "808-555-0101", 21.3069, -157.8583, "Pacific/Honolulu"),
    ("Hagåtña", "GU", "US", "96910", "671-555-0101", 13.4757, 144.7489, "Pacific/Guam"),
    ("San Juan", "PR", "US", "00901", "787-555-0101", 18.4655, -66.1057, "America/Puerto_Rico"),
    ("Toronto", "ON", "CA", "M5V 0A1", "416-555-0101", 43.6446, -79.3977, "America/Toronto"),
    ("Vancouver", "BC", "CA", "V6B 1A1", "604-555-0101", 49.2827, -123.1207, "America/Vancouver"),
    ("London", "Greater London", "GB", "N1 0AA", "+44 20 7946 0101", 51.5362, -0.1033, "Europe/London"),
    ("Manchester", "Greater Manchester", "GB", "M1 1AE", "+44 161 496 0101", 53.4808, -2.2426, "Europe/London"),
    ("Dublin", "Co. Dublin", "IE", "D02 X285", "+353 1 555 0101", 53.3498, -6.2603, "Europe/Dublin"),
    ("Cork", "Co. Cork", "IE", "T12 X70A", "+353 21 555 0101", 51.8985, -8.4756, "Europe/Dublin"),
]
# The maps those clinics are drawn on, by their cities: the places far from the rest get their own.
MAPS = [
    {"Seattle", "Portland", "San Francisco", "Los Angeles", "Phoenix", "Denver", "Dallas", "Chicago", "Minneapolis",
     "Atlanta", "Miami", "Boston", "New York", "Washington", "Raleigh", "Toronto", "Vancouver"},
    {"London", "Manchester", "Dublin", "Cork"},
    {"Anchorage"}, {"Honolulu"}, {"Hagåtña"}, {"San Juan"},
]


def clinic_file(city: str, region: str, country: str, postal_code: str, phone: str, latitude: float,
                longitude: float, timezone: str) -> str:
    return (f'name: "Map Test Clinic – {city}"\nstreet: 1 Example Street\ncity: "{city}"\nregion: "{region}"\n'
            f'postal_code: "{postal_code}"\ncountry: "{country}"\nphone: "{phone}"\nlatitude: {latitude}\n'
            f'longitude: {longitude}\ntimezone: {timezone}\nservices: [back pain]\n')


def build_project(root: Path, places: list[tuple], *options: str) -> Path:
    """The shipped project with these clinics instead of its own, built (with these options); its output folder."""
    shutil.copytree(ROOT / "content", root / "content")
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.rmtree(root / "content" / "clinics")
    (root / "content" / "clinics").mkdir()
    for place in places:
        slug = re.sub(r"[^a-z]+", "-", place[0].lower().replace("å", "a").replace("ñ", "n")).strip("-")
        while (root / "content" / "clinics" / f"{slug}.yaml").exists():  # a second clinic in the city
            slug += "-2"
        (root / "content" / "clinics" / f"{slug}.yaml").write_text(clinic_file(*place), encoding="utf-8")
    output = root / "output"
    assert main(["--content", str(root / "content"), "--templates", str(root / "templates"),
                 "--output", str(output), "-q", *options]) == 0
    return output


@pytest.fixture(scope="module")
def group_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A health system of 25 clinics in five countries and territories, built."""
    return build_project(tmp_path_factory.mktemp("group"), PLACES)


@pytest.fixture(scope="module")
def group_url(group_site: Path):
    handler = functools.partial(QuietHandler, directory=str(group_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


class _Maps(HTMLParser):
    """The maps of a page: each one's picture size, outlines and links (href, name, the dot's centre), and
    the page's other links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.maps: list[dict] = []
        self.in_figure = self.in_map = False
        self.link: dict | None = None
        self.page_links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "svg" and self.in_figure:
            self.in_map = True
            _, _, width, height = attributes["viewbox"].split()  # the parser lowercases names
            self.maps.append({"width": float(width), "height": float(height), "links": [], "paths": {}})
        elif tag == "figure":
            self.in_figure = "clinic-map" in attributes.get("class", "")
        elif tag == "a" and self.in_map:
            self.link = {"href": attributes["href"], "name": attributes.get("aria-label")}
            self.maps[-1]["links"].append(self.link)
        elif tag == "a":
            self.page_links.append(attributes.get("href"))
        elif tag == "path" and self.in_map:
            self.maps[-1]["paths"][attributes["class"]] = attributes["d"]
        elif tag == "use" and self.link is not None:
            self.link["dot"] = (float(attributes["x"]), float(attributes["y"]))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "svg":
            self.in_map = False
        elif tag == "a":
            self.link = None


def read_maps(page: Path) -> _Maps:
    maps = _Maps()
    maps.feed(page.read_text(encoding="utf-8"))
    return maps


def lambert(latitude: float, longitude: float, centre: tuple[float, float]) -> tuple[float, float]:
    """Lambert azimuthal equal-area (Snyder, Map Projections: A Working Manual, eq. 24-2 to 24-4), y north."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    phi1, lam0 = math.radians(centre[0]), math.radians(centre[1])
    k = math.sqrt(2 / (1 + math.sin(phi1) * math.sin(phi) + math.cos(phi1) * math.cos(phi) * math.cos(lam - lam0)))
    return (k * math.cos(phi) * math.sin(lam - lam0),
            k * (math.cos(phi1) * math.sin(phi) - math.sin(phi1) * math.cos(phi) * math.cos(lam - lam0)))


def documented_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the latitudes, and of the narrowest arc of longitudes holding them all."""
    latitudes = [lat for lat, _ in points]
    best = None
    for start in {lon % 360 for _, lon in points}:  # the arc starts at one of the longitudes
        width = max((lon - start) % 360 for _, lon in points)
        if best is None or width < best[0]:
            best = (width, start)
    middle = (best[1] + best[0] / 2 + 180) % 360 - 180
    return (min(latitudes) + max(latitudes)) / 2, middle


def fit_residuals(expected: list[tuple[float, float]], drawn: list[tuple[float, float]]) -> tuple[float, list[float]]:
    """The scale and shift that best put `expected` (y north) on `drawn` (y down), by least squares,
    and each point's distance from where they put it, in picture units."""
    n = len(expected)
    mx, my = sum(x for x, _ in expected) / n, sum(y for _, y in expected) / n
    dx, dy = sum(x for x, _ in drawn) / n, sum(y for _, y in drawn) / n
    spread = sum((x - mx) ** 2 + (y - my) ** 2 for x, y in expected)
    scale = sum((x - mx) * (u - dx) - (y - my) * (v - dy) for (x, y), (u, v) in zip(expected, drawn)) / spread
    return scale, [math.hypot(dx + scale * (x - mx) - u, dy - scale * (y - my) - v)
                   for (x, y), (u, v) in zip(expected, drawn)]


def test_each_clinic_is_one_link_on_the_map_named_for_it(group_site):
    found = read_maps(group_site / LOCATOR)
    links = [link for map_ in found.maps for link in map_["links"]]
    assert sorted(link["name"] for link in links) == sorted(f"Map Test Clinic – {place[0]}" for place in PLACES)
    for link in links:
        target = (group_site / "clinics" / link["href"] / "index.html").resolve()
        assert target.is_file(), link["href"]
        assert f"<h1>{link['name']}</h1>" in target.read_text(encoding="utf-8")


def test_each_place_page_maps_its_clinics_and_lists_them_too(group_site):
    """A region's or country's page: its own map, each dot a clinic its list (the map's text) links to as well."""
    mapped = []
    for page in sorted(group_site.joinpath("clinics").rglob("index.html")):
        found = read_maps(page)
        if page.parent.name == "clinics" or not found.maps:
            continue
        for link in (link for map_ in found.maps for link in map_["links"]):
            assert link["href"] in found.page_links, f"{page}: {link['name']} is on the map, not in the list"
            mapped.append(link["name"])
    assert sorted(mapped) == sorted(f"Map Test Clinic – {place[0]}" for place in PLACES)


def test_far_places_get_their_own_maps(group_site):
    found = read_maps(group_site / LOCATOR)
    city = {f"Map Test Clinic – {place[0]}": place[0] for place in PLACES}
    drawn = [frozenset(city[link["name"]] for link in map_["links"]) for map_ in found.maps]
    assert drawn[0] == MAPS[0], "the map with the most clinics comes first"
    assert set(drawn) == {frozenset(cities) for cities in MAPS}
    assert found.maps[0]["width"] == 640, "the main map takes the width"


def test_each_dot_is_where_the_documented_projection_puts_its_clinic(group_site):
    found = read_maps(group_site / LOCATOR)
    where = {f"Map Test Clinic – {place[0]}": (place[5], place[6]) for place in PLACES}
    for map_ in found.maps:
        points = [where[link["name"]] for link in map_["links"]]
        centre = documented_centre(points)
        expected = [lambert(lat, lon, centre) for lat, lon in points]
        drawn = [link["dot"] for link in map_["links"]]
        for x, y in drawn:
            assert 0 < x < map_["width"] and 0 < y < map_["height"], "every dot is in the picture"
        if len(points) > 1:
            scale, residuals = fit_residuals(expected, drawn)
            assert scale > 0
            assert max(residuals) <= 1.5, (map_["links"], residuals)


def test_the_offline_copys_dots_open_their_clinics_from_disk(tmp_path):
    """`build --offline`: each dot names its clinic page's index.html, as the copy's other links do."""
    output = build_project(tmp_path, PLACES[:3], "--offline")
    for link in (link for map_ in read_maps(output / LOCATOR).maps for link in map_["links"]):
        assert link["href"].endswith("/index.html")
        assert (output / "clinics" / link["href"]).is_file()


def test_a_map_across_the_antimeridian_is_centred_on_it(tmp_path):
    """Suva (178.4° E) and Lakeba (178.8° W), Fiji: one map of the 300 km between them, not of the world."""
    places = [("Suva", "Central", "FJ", "0000", "+679 331 0101", -18.1416, 178.4419, "Pacific/Fiji"),
              ("Lakeba", "Eastern", "FJ", "0000", "+679 882 0101", -18.2333, -178.8000, "Pacific/Fiji")]
    found = read_maps(build_project(tmp_path, places) / LOCATOR)
    assert len(found.maps) == 1
    (suva,), (lakeba,) = ([link["dot"] for link in found.maps[0]["links"] if place in link["name"]]
                          for place in ("Suva", "Lakeba"))
    assert suva[0] < lakeba[0], "Suva is west of Lakeba"
    km_per_unit = 290 / (lakeba[0] - suva[0])
    assert 0.4 < km_per_unit < 1.2, "the view is a few hundred km across"


def test_clinics_at_one_address_are_two_dots_in_the_middle_of_a_map_of_their_coast(tmp_path):
    boston = PLACES[11]
    found = read_maps(build_project(tmp_path, [boston, ("Boston", *boston[1:])]) / LOCATOR)
    (map_,) = found.maps
    assert [link["href"] for link in map_["links"]] == ["boston/", "boston-2/"]
    for link in map_["links"]:
        x, y = link["dot"]
        assert abs(x - map_["width"] / 2) <= 1 and abs(y - map_["height"] / 2) <= 1
    assert len(map_["paths"]["map-coast"]) > 200, "Massachusetts Bay's coast"
    assert map_["paths"]["map-states"], "the lines to New Hampshire and Rhode Island"


def test_the_map_costs_at_most_15_kb_of_the_first_load_at_25_clinics(group_site):
    """The maps' HTML, and the stylesheet's rules for them."""
    html = group_site.joinpath(LOCATOR).read_text(encoding="utf-8")
    start = html.index('<div class="clinic-maps">')
    end = html.index("</figure>\n</div>", html.rindex('<figure class="clinic-map">')) + len("</figure>\n</div>")
    svg_bytes = len(html[start:end].encode())
    css = "".join(path.read_text(encoding="utf-8") for path in group_site.joinpath("assets").glob("*.css")
                  if "site" in path.name)
    rules = re.findall(r"[^{}]*(?:clinic-map|map-coast|map-states)[^{}]*\{[^{}]*\}", css)
    css_bytes = len("".join(rules).encode())
    print(f"map: {svg_bytes} bytes of HTML, {css_bytes} of CSS")
    assert svg_bytes + css_bytes <= BUDGET


def test_the_map_data_is_what_the_pinned_atlases_give():
    from site_gen.features.mapdata import ATLAS_DIR, PACKAGES, table_from_atlases
    from site_gen.features.maps import TABLE

    folder = Path(os.environ.get("ATLAS_DIR", ATLAS_DIR))
    if not all((folder / package / "package.json").is_file() for package in PACKAGES):
        reason = (f"us-atlas and world-atlas are not installed in {folder} (npm install --prefix "
                  f"{folder.parent} {' '.join(f'{name}@{version}' for name, version in PACKAGES.items())})")
        skip_or_fail(reason)
    assert TABLE.read_text(encoding="utf-8") == table_from_atlases(folder), \
        "the shipped outlines differ from the atlases': write them again with python -m site_gen.features.mapdata"


def test_the_map_fetches_nothing_from_another_host_and_its_dots_open_their_clinics(browser, group_url):
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(group_url + "clinics/")
    page.wait_for_load_state("networkidle")
    assert requests and all(url.startswith(group_url) for url in requests), requests
    # A tap 18px from the dot still opens its clinic: the target is 44px wide on a phone.
    dot = page.locator('svg a[aria-label="Map Test Clinic – Denver"]')
    box = dot.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44, "the link's area"
    page.touchscreen.tap(box["x"] + box["width"] / 2 + 18, box["y"] + box["height"] / 2)
    page.wait_for_url("**/clinics/denver/")
    assert "Map Test Clinic – Denver" in page.locator("h1").inner_text()
    context.close()


def test_dots_are_links_reached_by_the_keyboard_with_the_clinics_names(browser, group_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is injected as a script
    page = context.new_page()
    page.goto(group_url + "clinics/")
    names = []
    for _ in range(80):  # the header's links, the search, then the map's dots
        page.keyboard.press("Tab")
        focused = page.evaluate("(() => { const a = document.activeElement; "
                                "return a.closest('svg') ? a.getAttribute('aria-label') : null; })()")
        if focused:
            names.append(focused)
        elif names:
            break
    assert len(names) == len(PLACES) and set(names) == {f"Map Test Clinic – {place[0]}" for place in PLACES}
    for name in names:  # as the browser's accessibility tree names them
        assert page.locator("svg").get_by_role("link", name=name, exact=True).count() == 1
    for path in ("clinics/", "clinics/us/ca/"):  # the locator, and a region's page with its own map
        page.goto(group_url + path)
        assert page.locator(".clinic-map svg").count() >= 1
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
            "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}})
        assert results.violations_count == 0, results.generate_report()
    context.close()


def page_pixels(pdf: Path, page: int, tmp_path: Path, dpi: int) -> tuple[int, int, bytes]:
    """A printed page as an image: width, height, and three bytes (red, green, blue) a pixel."""
    stem = tmp_path / f"page{page}"
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf), str(stem)], check=True)
    width, height, pixels = re.match(rb"P6\s+(\d+)\s+(\d+)\s+\d+\s(.*)", stem.with_suffix(".ppm").read_bytes(),
                                     re.S).groups()
    return int(width), int(height), pixels


def test_the_map_prints_in_black_on_the_first_page(browser, pdf_tools, group_url, tmp_path):
    context = browser.new_context()
    page = context.new_page()
    page.goto(group_url + "clinics/")
    page.emulate_media(media="print")
    box = page.locator(".clinic-map svg").first.bounding_box()  # CSS pixels from the page's top-left
    assert box is not None, "the map is shown in print"
    pdf = tmp_path / "locator.pdf"
    pdf.write_bytes(page.pdf(format="Letter"))
    context.close()
    dpi = 50
    width, height, pixels = page_pixels(pdf, 1, tmp_path, dpi)
    scale, margin = dpi / 96, 0.5 * dpi  # CSS pixels are 1/96 inch; @page's margin is half an inch
    left, top = margin + box["x"] * scale, margin + box["y"] * scale
    right, bottom = left + box["width"] * scale, top + box["height"] * scale
    assert bottom < height, "the main map is on the first page"
    dark = coloured = 0
    for y in range(int(top) + 3, int(bottom) - 3):  # within its frame: outlines and dots
        for x in range(int(left) + 3, int(right) - 3):
            red, green, blue = pixels[3 * (y * width + x):3 * (y * width + x) + 3]
            dark += max(red, green, blue) < 100
            coloured += max(red, green, blue) - min(red, green, blue) > 48
    area = (int(bottom) - int(top) - 6) * (int(right) - int(left) - 6)
    assert dark > 0.02 * area, f"only {dark} dark pixels in the map's {area}"
    assert coloured == 0, "the map prints in black and white"
