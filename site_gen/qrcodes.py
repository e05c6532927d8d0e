"""QR codes for printed handouts: inline SVG made at build time, no network."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for `url`, scalable by CSS; error correction M survives smudged paper."""
    code = segno.make(url, error="m", micro=False)
    # segno writes the SVG, escaping the URL it is given; the result is safe to inline.
    return Markup(code.svg_inline(scale=1, border=4, omitsize=True, dark="#000", svgclass="qr", lineclass=None))


def short_url(url: str) -> str:
    """The address as printed for people to type: no scheme."""
    return url.split("://", 1)[-1]
