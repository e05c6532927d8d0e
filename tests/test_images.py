"""Pictures: a clinic's photos and drawings next to its exercise files come out upright, light, without
their metadata, at the widths a screen needs; hostile drawings and broken files stop the build with
a one-line message and leave the last good site alone; a replaced photo alone is encoded again."""

from __future__ import annotations

import contextlib
import functools
import http.server
import io
import shutil
import struct
import threading
import time
import zlib
from pathlib import Path

import pytest
from conftest import QuietHandler, Site
from PIL import Image
from test_print import pdf_pages, print_pdf
from test_regions import FIXTURE, TODAY

EXERCISE = "content/exercises/clamshells.md"
PAGE = "output/exercises/clamshells/index.html"
SECRETS = (b"SERIAL-4242", b"Secret Camera Co", b"Jane Photographer", b"xmpmeta")
WIDTHS = {320, 640, 960, 1280}


@pytest.fixture
def knee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Site:
    """The knee and balance fixture site, copied to edit; the working folder is the copy's root."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURE / "content", root / "content")
    monkeypatch.chdir(root)
    return Site(root)


def build(run):
    return run("--content", "content", "--output", "output", "-q", "--today", TODAY)


def phone_photo(top=(0, 0, 255), size=(2000, 1500), orientation: int = 6) -> bytes:
    """A phone's landscape-sensor JPEG, held upright (EXIF orientation 6: turn it a quarter clockwise),
    with where it was taken, the camera and its owner, and XMP. Its sensor's top rows are `top`'s colour."""
    image = Image.new("RGB", size, (230, 200, 160))
    image.paste(top, (0, 0, size[0], size[1] // 10))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "Secret Camera Co"
    exif[0xA431] = "SERIAL-4242"
    exif[0x013B] = "Jane Photographer"
    exif[0x8825] = {1: "N", 2: (40.0, 44.0, 55.0), 3: "W", 4: (73.0, 59.0, 11.0)}
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, xmp=xmp, quality=90)
    return buffer.getvalue()


def with_pictures(site: Site, *files: str, body: str = "") -> None:
    """The exercise led by these pictures (beside it), each with alt text; `body` added to its text."""
    lines = "".join(f"  - file: {name}\n    alt: Lying on your side, knees bent, picture {number}\n"
                    for number, name in enumerate(files, start=1))
    site.edit(EXERCISE, "---\n", f"---\npictures:\n{lines}")
    if body:
        site.write(EXERCISE, site.read(EXERCISE) + f"\n\n{body}\n")


def output_files(site: Site) -> dict[str, bytes]:
    return {path.relative_to(site.output).as_posix(): path.read_bytes()
            for path in site.output.rglob("*") if path.is_file()}


def test_a_phone_photo_comes_out_upright_without_its_metadata_at_each_width(knee, run):
    knee.write("content/exercises/start.jpg", phone_photo())
    with_pictures(knee, "start.jpg", body="![Knees bent, seen from above](start.jpg)")
    assert build(run).status == 0
    made = {path.name: path.read_bytes() for path in (knee.output / "pictures").iterdir()}
    assert {name.rsplit(".", 1)[1] for name in made} == {"webp", "jpg"}
    widths = {}
    for name, data in made.items():
        assert not any(secret in data for secret in SECRETS), name
        image = Image.open(io.BytesIO(data))
        assert not image.getexif() and "xmp" not in image.info and "icc_profile" not in image.info, name
        widths.setdefault(image.format, set()).add(image.width)
        # Upright: the sensor's 2000 × 1500 stood on end, its top rows (blue) now on the right.
        assert image.height == round(image.width * 2000 / 1500), name
        right, left = image.convert("RGB").getpixel((image.width - 2, image.height // 2)), image.convert("RGB").getpixel((1, image.height // 2))
        assert right[2] > 200 and right[0] < 60 and left[2] < 200, (name, right, left)
    assert widths == {"WEBP": WIDTHS, "JPEG": WIDTHS}
    page = knee.read(PAGE)
    lead = page[page.index('class="lead-pictures'):]
    assert 'width="1280" height="1707"' in lead and 'alt="Lying on your side, knees bent, picture 1"' in lead
    assert 'fetchpriority="high"' in lead.split("</figure>")[0]  # the first screen's picture loads at once
    body = page[page.index('alt="Knees bent, seen from above"') - 400:]
    body = body[body.rindex("<img"):body.index(">", body.index('alt="Knees bent'))]
    assert 'loading="lazy"' in body and 'width="1280"' in body and " 320w" in body and ".webp 1280w" in body
    assert "start.jpg" not in "".join(output_files(knee))  # never the original, with its GPS


def test_a_small_picture_is_never_enlarged(knee, run):
    image = io.BytesIO()
    Image.new("RGBA", (500, 300), (0, 0, 0, 0)).save(image, "PNG")  # transparent: its fallback stays PNG
    knee.write("content/exercises/small.png", image.getvalue())
    with_pictures(knee, "small.png")
    assert build(run).status == 0
    made = sorted(path.name for path in (knee.output / "pictures").iterdir())
    assert [name.split(".")[0] for name in made] == ["small-320", "small-320", "small-500", "small-500"]
    assert {name.rsplit(".", 1)[1] for name in made} == {"webp", "png"}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>&c;</text></svg>"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 400 300">{}</svg>'
HOSTILE = {
    "script": (SVG.format("<script>alert(1)</script><rect width='4' height='4'/>"), "<script>"),
    "onload": (SVG.replace("<svg ", "<svg onload='alert(1)' ").format("<rect width='4' height='4'/>"), "onload"),
    "external use": (SVG.format("<use xlink:href='https://evil.example/a.svg#x'/>"), "https://evil.example"),
    "external image": (SVG.format("<image href='https://evil.example/a.png'/>"), "<image>"),
    "foreignObject": (SVG.format("<foreignObject><p xmlns='http://www.w3.org/1999/xhtml'>hi</p></foreignObject>"),
                      "<foreignObject>"),
    "style url": (SVG.format("<rect width='4' height='4' style='fill: url(https://evil.example/x)'/>"), "fetches"),
    "billion laughs": (BILLION_LAUGHS, "entities"),
    "external entity": ('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                        + SVG.format("<text>&x;</text>"), "entities"),
}


def test_a_clean_drawing_passes_and_keeps_its_shapes(knee, run):
    drawing = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    drawing += SVG.format("<title>Start</title><g fill='none' stroke='#000' stroke-width='4'>"
                         "<circle cx='50' cy='50' r='20'/><path d='M10 10 L90 90'/></g>")
    knee.write("content/exercises/start.svg", drawing)
    with_pictures(knee, "start.svg")
    assert build(run).status == 0
    [made] = (knee.output / "pictures").iterdir()
    assert made.name.startswith("start-400.") and made.suffix == ".svg"
    assert b"<circle" in made.read_bytes() and b"M10 10 L90 90" in made.read_bytes()
    assert 'width="400" height="300"' in knee.read(PAGE)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_drawing_is_refused_cleanly_and_the_last_site_stays(knee, run, name):
    assert build(run).status == 0
    before = output_files(knee)
    drawing, said = HOSTILE[name]
    knee.write("content/exercises/start.svg", drawing)
    with_pictures(knee, "start.svg")
    result = build(run)
    assert result.status != 0
    assert "Traceback" not in result.err
    [line] = result.errors
    assert line.startswith(f"{EXERCISE}:3: pictures item 1.file:") and said in line, line
    assert output_files(knee) == before


def png_header(width: int, height: int) -> bytes:
    """A PNG claiming this size, with a few bytes of pixels: what a decoder reads to learn the size."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


BROKEN = {
    "truncated.jpg": (phone_photo()[:6000], "damaged or cut short"),
    "notes.png": (b"These are my notes, not a picture.\n", "not a picture"),
    "huge.png": (png_header(50_000, 50_000), "megapixels"),
    "big.png": (png_header(8_000, 6_000), "over 40 megapixels"),  # under Pillow's own limit: ours
}


@pytest.mark.parametrize("name", BROKEN)
def test_a_broken_picture_is_a_clean_error_and_the_last_site_stays(knee, run, name):
    assert build(run).status == 0
    before = output_files(knee)
    data, said = BROKEN[name]
    knee.write(f"content/exercises/{name}", data)
    with_pictures(knee, name)
    result = build(run)
    assert result.status != 0 and "Traceback" not in result.err
    [line] = result.errors
    assert line.startswith(f'{EXERCISE}:3: pictures item 1.file: "{name}" cannot be shown:') and said in line, line
    assert output_files(knee) == before
    # A broken picture no page uses is named by its own path.
    knee.edit(EXERCISE, f"pictures:\n  - file: {name}\n    alt: Lying on your side, knees bent, picture 1\n", "")
    result = build(run)
    assert result.errors == [f"content/exercises/{name}: this picture cannot be shown: " + line.split("cannot be shown: ")[1]]


def test_lead_pictures_are_checked_like_other_fields(knee, run):
    knee.write("content/exercises/start.jpg", phone_photo())
    knee.edit(EXERCISE, "---\n", "---\npictures:\n  - file: start.jpg\n    alt: Lying down\n"
                                 "  - file: start.jpg\n    alt:\n  - file: start.jpg\n    alt: x\n    captoin: End\n")
    result = build(run)
    assert result.status != 0
    text = "\n".join(result.errors)
    assert f'{EXERCISE}:6: pictures item 2.alt: missing; describe what the picture shows' in text and "decorative" in text
    assert "captoin" in text and 'did you mean "caption"' in text, text
    assert "3 pictures; give one or two" in text
    knee.edit(EXERCISE, "  - file: start.jpg\n    alt: Lying down\n", "  - file: strat.jpg\n    alt: Lying down\n")
    knee.edit(EXERCISE, "    alt:\n  - file: start.jpg\n    alt: x\n    captoin: End\n", "    alt: decorative\n")
    result = build(run)
    assert result.errors == [f'{EXERCISE}:3: pictures item 1.file: no picture "strat.jpg" next to the exercise '
                             '(did you mean "start.jpg"?); put the file beside the exercise\'s .md file, or correct its name']
    knee.edit(EXERCISE, "strat.jpg", "start.jpg")
    assert build(run).status == 0
    assert 'alt="" role="presentation"' in knee.read(PAGE)  # decorative, said so


def test_replacing_one_photo_encodes_that_photo_only(knee, run, monkeypatch):
    knee.write("content/exercises/start.jpg", phone_photo())
    knee.write("content/exercises/end.jpg", phone_photo(top=(255, 0, 0)))
    with_pictures(knee, "start.jpg", "end.jpg")
    assert build(run).status == 0
    before = output_files(knee)
    knee.write("content/exercises/end.jpg", phone_photo(top=(0, 160, 0)))
    saved = []
    original = Image.Image.save
    monkeypatch.setattr(Image.Image, "save", lambda self, *args, **kwargs: (saved.append(self.size),
                                                                              original(self, *args, **kwargs))[1])
    assert build(run).status == 0
    assert len(saved) == 8  # four widths, WebP and JPEG, of the replaced photo only
    after = output_files(knee)
    start = {path for path in before if "/start-" in path}
    assert start and {path: after[path] for path in start} == {path: before[path] for path in start}
    assert {path for path in after if "/end-" in path}.isdisjoint(before)  # new names: no stale copy in a cache


class SlowPictures(QuietHandler):
    """A phone network: pictures come after the page is drawn, so a page that moves as they arrive shifts."""

    def do_GET(self) -> None:
        if "/pictures/" in self.path:
            time.sleep(0.4)
        super().do_GET()


@pytest.fixture
def served(knee):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SlowPictures, directory=str(knee.output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


LAYOUT_SHIFTS = """window.shift = 0; new PerformanceObserver((list) => { for (const entry of list.getEntries())
  if (!entry.hadRecentInput) window.shift += entry.value; }).observe({type: 'layout-shift', buffered: true});"""


@pytest.mark.parametrize("density", [1, 2, 3])
def test_a_phone_gets_pictures_no_wider_than_twice_their_size_and_nothing_moves(knee, run, served, browser, density):
    """At 1x, 2x and 3x (most phones now): a 3x phone would pick a file three times as wide as shown."""
    knee.write("content/exercises/start.jpg", phone_photo())
    knee.write("content/exercises/end.jpg", phone_photo(top=(255, 0, 0)))
    with_pictures(knee, "start.jpg", "end.jpg", body="![Knees bent, seen from above](start.jpg)")
    assert build(run).status == 0
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=density)
    context.add_init_script(LAYOUT_SHIFTS)
    try:
        page = context.new_page()
        page.goto(served + "exercises/clamshells/")
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("() => [...document.images].every((image) => image.complete && image.naturalWidth)")
        # The file's own width (naturalWidth is divided by the density srcset gives it).
        shown = page.evaluate("""() => Promise.all([...document.images]
          .filter((image) => image.currentSrc.includes('/pictures/'))
          .map((image) => new Promise((done) => {
            const file = new Image();
            file.onload = () => done({src: image.currentSrc, natural: file.naturalWidth, width: image.clientWidth,
                                      lead: Boolean(image.closest('.lead-picture'))});
            file.src = image.currentSrc;
          })))""")
        assert len(shown) == 3
        for image in shown:
            assert image["natural"] <= 2 * image["width"], shown
            assert image["src"].endswith(".webp"), image
        assert page.evaluate("window.shift") == 0
    finally:
        context.close()



@pytest.mark.parametrize("paper", ["Letter", "A4"])
def test_every_exercise_with_pictures_still_prints_on_one_page(browser, pdf_tools, site, run, tmp_path, paper):
    """Each shipped exercise led by a phone photo and a drawing: the pictures are for the screen (the sheet has
    no room for them yet), and the sheet stays one page."""
    slugs = sorted(path.stem for path in (site.content / "exercises").glob("*.md") if "." not in path.stem)
    for slug in slugs:
        rel = f"content/exercises/{slug}.md"
        site.write(f"content/exercises/{slug}-photo.jpg", phone_photo())
        site.write(f"content/exercises/{slug}-drawing.svg", SVG.format("<rect width='400' height='300' fill='#888'/>"))
        text = site.read(rel)
        if "\npictures:" not in text:  # the shipped drawings may lead it already
            site.edit(rel, "---\n", f"---\npictures:\n  - file: {slug}-photo.jpg\n    alt: The start\n"
                                    f"    caption: Start\n  - file: {slug}-drawing.svg\n    alt: The end\n    caption: End\n")
    result = run("-q")
    assert result.status == 0 and "may not print on one page" not in result.err, result.err
    with served_folder(site.output) as url:
        for slug in slugs:
            assert "lead-pictures" in site.read(f"output/exercises/{slug}/index.html")
            pdf = print_pdf(browser, f"{url}exercises/{slug}/", paper, tmp_path)
            assert pdf_pages(pdf) == 1, slug


@contextlib.contextmanager
def served_folder(folder: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
