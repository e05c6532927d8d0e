"""QR codes for printed handouts: drawn at build time as inline SVG, no network."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUIET_ZONE = 4  # light modules around the symbol, as the QR standard asks, so phones find its edges
_RUN = re.compile(rb"\x00+|\xff+")  # modules of one colour in a row: 0 dark, 255 light
# A run of dark modules is a stroke along the row, a run of light ones a move past it: looked up by
# the run itself (a symbol is at most 177 modules wide), so a row is drawn without a Python loop.
_TWO_TONES = bytes([0] + [255] * 255)  # any shade but black is light
_DRAWN = {**{b"\x00" * n: f"h{n}" for n in range(1, 178)}, **{b"\xff" * n: f"m{n} 0" for n in range(1, 178)}}


@dataclass(frozen=True)
class QrCode:
    """A QR code as SVG geometry: `size` modules square (quiet zone included) and a path whose
    one-unit-wide strokes draw the dark modules, row by row; the template draws the <svg>."""

    size: int
    path: str


def qr_code(url: str) -> QrCode:
    """The QR code of `url`; error correction M survives smudged paper.

    zxing-cpp encodes (with zint, in C: the standard's best mask is chosen in a fraction of a
    millisecond, where a pure-Python encoder takes several).
    """
    import zxingcpp  # here: most rebuilds make no new code

    barcode = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = memoryview(barcode.to_image(scale=1, add_quiet_zones=False))
    height, width = image.shape
    pixels = image.tobytes().translate(_TWO_TONES)  # one byte per module, row by row
    rows = ["".join(map(_DRAWN.__getitem__, _RUN.findall(pixels, row * width, (row + 1) * width)))
            for row in range(height)]
    # Strokes run along the middle of their row: the pen starts in the middle of the first row, inside
    # the quiet zone, and goes from the end of each row to the start of the next.
    return QrCode(width + 2 * QUIET_ZONE, f"m{QUIET_ZONE} {QUIET_ZONE + 0.5:g}" + f"m-{width} 1".join(rows))


def short_url(url: str) -> str:
    """The address as printed for people to type: no scheme."""
    return url.split("://", 1)[-1]
