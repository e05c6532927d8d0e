"""QR codes for printed handouts: drawn at build time as inline SVG, no network."""

from __future__ import annotations

import re
from dataclasses import dataclass

QUIET_ZONE = 4  # light modules around the symbol, as the QR standard asks, so phones find its edges
_DARK_RUN = re.compile(rb"\x00+")


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
    pixels = image.tobytes()  # one byte per module, row by row: 0 dark, 255 light
    moves, x, y = [], 0, None  # the pen's column and row; a path's first relative move counts from 0 0
    for row in range(height):
        for run in _DARK_RUN.finditer(pixels, row * width, (row + 1) * width):
            left, length = run.start() - row * width + QUIET_ZONE, run.end() - run.start()
            # Each stroke runs along the middle of its row: the first move goes down to the middle of
            # the first row, each later one down whole rows (whole numbers write faster than fractions).
            down = f"{row + QUIET_ZONE + 0.5:g}" if y is None else row - y
            moves.append(f"m{left - x} {down}h{length}")
            x, y = left + length, row
    return QrCode(width + 2 * QUIET_ZONE, "".join(moves))


def short_url(url: str) -> str:
    """The address as printed for people to type: no scheme."""
    return url.split("://", 1)[-1]
