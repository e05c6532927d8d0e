"""Make the README's pictures: an exercise page on a phone, and page 1 of its printed handout.

    .venv/bin/python docs/screenshots.py

Builds the shipped content, opens the Bird Dog page in headless Chromium (Debian's `chromium`)
at a phone's size, and prints it to PDF at US Letter; pdftoppm (poppler-utils) turns the printed
page into an image. Writes docs/images/phone-exercise.png and docs/images/handout.png.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PAGE = "exercises/bird-dog/index.html"


def main() -> int:
    from playwright.sync_api import sync_playwright

    from site_gen.cli import main as build

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None or shutil.which("pdftoppm") is None:
        print("needs Debian's chromium and poppler-utils (apt-get install chromium poppler-utils)", file=sys.stderr)
        return 1
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        output = Path(scratch) / "site"
        if build(["--content", str(ROOT / "content"), "--templates", str(ROOT / "templates"),
                  "--output", str(output), "-q"]):
            return 1
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                        is_mobile=True, has_touch=True)
            page = phone.new_page()
            page.goto((output / PAGE).as_uri())
            page.screenshot(path=str(IMAGES / "phone-exercise.png"))
            printed = browser.new_context().new_page()
            printed.goto((output / PAGE).as_uri())
            pdf = Path(scratch) / "handout.pdf"
            pdf.write_bytes(printed.pdf(format="Letter"))
            browser.close()
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(IMAGES / "handout")], check=True)
    print(f"wrote {IMAGES / 'phone-exercise.png'} and {IMAGES / 'handout.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
