"""Pictures → the files a page shows: a pure function of a picture's bytes, so its result is cached.

A photo (JPEG, PNG, WebP, GIF) is turned upright by its EXIF orientation, converted to sRGB, and
saved again at a few widths (never wider than it was), as WebP and as JPEG (PNG when it has
transparent parts), with nothing of its metadata: phones' photos carry where they were taken,
the camera's serial number, sometimes the owner's name. A drawing (SVG) is parsed with a parser
that refuses entities and external references, and passes only when every element and attribute
is on a strict allow-list of geometry and presentation: no scripts, no event attributes, nothing
fetched from elsewhere. Each output file is named by a hash of its own bytes.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from site_gen.content.sourcefile import PICTURE_SUFFIXES
from site_gen.keys import key_of

PICTURES = "pictures"  # the output folder of every processed picture
WIDTHS = (320, 640, 960, 1280)  # a phone at 1x, a phone at 2x or a column, wider screens at 2x
MAX_PIXELS = 40_000_000  # a 40-megapixel camera's; more is no photo a page needs, and slow to decode
_JPEG_QUALITY, _WEBP_QUALITY = 82, 80

_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
etree.register_namespace("", _SVG)
etree.register_namespace("xlink", _XLINK)
# Shapes, text and gradients: what a line drawing needs, nothing that runs, links or fetches.
_SVG_ELEMENTS = frozenset({"svg", "g", "path", "circle", "ellipse", "line", "polyline", "polygon", "rect", "text",
                           "tspan", "title", "desc", "defs", "use", "linearGradient", "radialGradient", "stop",
                           "symbol", "clipPath", "mask", "marker"})
_SVG_ATTRIBUTES = frozenset({
    "id", "class", "viewBox", "width", "height", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry",
    "d", "points", "transform", "preserveAspectRatio", "version", "dx", "dy", "rotate", "textLength",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin",
    "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit", "stroke-opacity", "opacity", "color",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor", "dominant-baseline", "letter-spacing",
    "vector-effect", "visibility", "display", "clip-path", "clip-rule", "mask", "marker-start", "marker-mid",
    "marker-end", "offset", "stop-color", "stop-opacity", "gradientUnits", "gradientTransform", "spreadMethod",
    "fx", "fy", "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "clipPathUnits",
    "maskUnits", "maskContentUnits", "style", "role", "focusable", "lang", "href", f"{{{_XLINK}}}href",
    "{http://www.w3.org/XML/1998/namespace}space", "{http://www.w3.org/XML/1998/namespace}lang",
})
# A value may name another element of the drawing, url(#id), never anything outside it.
_OUTSIDE_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)
_UNSAFE_STYLE = re.compile(r"@import|expression\s*\(|javascript:|\\", re.IGNORECASE)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class PictureError(Exception):
    """A picture that cannot be shown: the message says what is wrong and what to do."""


@dataclass(frozen=True)
class Variant:
    """One output file of a picture: its path in the site, its pixel size and its type."""

    path: str
    width: int
    height: int
    type: str  # image/webp, image/jpeg, image/png or image/svg+xml


@dataclass(frozen=True)
class ProcessedPicture:
    """A picture ready for pages: its variants, narrowest first, in the preferred type and the fallback,
    and the files to write. `width`/`height` are the widest variant's, for the page's attributes."""

    width: int
    height: int
    modern: tuple[Variant, ...]  # WebP (the drawing itself for an SVG)
    fallback: tuple[Variant, ...]  # JPEG or PNG (the drawing itself for an SVG)
    files: tuple[tuple[str, bytes], ...]

    @property
    def src(self) -> Variant:
        """The file for a browser that reads no srcset: the widest fallback."""
        return self.fallback[-1]

    @property
    def is_drawing(self) -> bool:
        """An SVG drawing: one file at any width, with nothing to choose among."""
        return self.src.type == "image/svg+xml"


def is_picture(rel: str) -> bool:
    """Whether a file is one the picture step processes, by its name."""
    return rel.lower().endswith(PICTURE_SUFFIXES)


def process_picture(rel: str, data: bytes) -> ProcessedPicture:
    """The processed picture of a content file's bytes; raises PictureError when it cannot be shown."""
    stem = re.sub(r"[^a-z0-9-]+", "-", posixpath.splitext(posixpath.basename(rel))[0].lower()).strip("-") or "picture"
    if rel.lower().endswith(".svg"):
        return _drawing(stem, data)
    try:
        return _photo(stem, data)
    except (OSError, ValueError, TypeError, SyntaxError) as error:  # an unusual file Pillow reads but cannot convert
        raise PictureError(f"it could not be converted ({error}); save it again as an ordinary JPEG or PNG") from None


def _named(stem: str, width: int, suffix: str, data: bytes) -> str:
    return f"{PICTURES}/{stem}-{width}.{key_of(data)[:10]}.{suffix}"


def _photo(stem: str, data: bytes) -> ProcessedPicture:
    from PIL import Image, ImageOps, UnidentifiedImageError  # imported here: only builds with pictures pay for it

    try:
        with warnings.catch_warnings():
            # Pillow warns past its own limit (89 megapixels) before refusing past twice it; ours is lower.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))  # reads the header only: the size is known before decoding
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise PictureError(f"{width} × {height} pixels is over {MAX_PIXELS // 1_000_000} megapixels; "
                               "save it smaller (2,560 pixels wide is plenty)")
        image.load()
        image = ImageOps.exif_transpose(image)  # upright, as the camera was held
        image = _in_srgb(image)
    except Image.DecompressionBombError:
        raise PictureError(f"it is too large to be a photo (over {MAX_PIXELS // 1_000_000} megapixels); "
                           "save it smaller") from None
    except UnidentifiedImageError:
        raise PictureError("it is not a picture Pillow can read; save it as JPEG, PNG or WebP") from None
    except (OSError, SyntaxError, ValueError) as error:  # a truncated or corrupt file
        raise PictureError(f"it is damaged or cut short ({error}); save or copy it again") from None
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if alpha else "RGB")
    image.info.clear()  # no EXIF, XMP, ICC profile or comments goes on to any file made from it
    width, height = image.size
    widths = sorted({*(w for w in WIDTHS if w < width), min(width, WIDTHS[-1])})
    modern, fallback, files = [], [], []
    for each in widths:
        size = (each, max(1, round(height * each / width)))
        resized = image if size == image.size else image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        for kind, into in (("webp", modern), ("png" if alpha else "jpeg", fallback)):
            buffer = io.BytesIO()
            if kind == "webp":
                resized.save(buffer, "WEBP", quality=_WEBP_QUALITY, method=4)
            elif kind == "jpeg":
                resized.save(buffer, "JPEG", quality=_JPEG_QUALITY, optimize=True, progressive=True)
            else:
                resized.save(buffer, "PNG", optimize=True)
            encoded = buffer.getvalue()
            path = _named(stem, each, "jpg" if kind == "jpeg" else kind, encoded)
            into.append(Variant(path, *size, f"image/{kind}"))
            files.append((path, encoded))
    return ProcessedPicture(modern[-1].width, modern[-1].height, tuple(modern), tuple(fallback), tuple(files))


def _in_srgb(image):
    """The image converted to sRGB when it carries another colour profile (a phone's Display P3)."""
    profile = image.info.get("icc_profile")
    if not profile:
        return image
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        mode = "RGBA" if image.mode in ("RGBA", "LA", "PA") else "RGB"
        return ImageCms.profileToProfile(image.convert(mode), source, ImageCms.createProfile("sRGB"), outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # a broken profile: the colours as they are


def _drawing(stem: str, data: bytes) -> ProcessedPicture:
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    try:
        # A DOCTYPE line alone (Illustrator writes one) is harmless; entities can hide harm (billion laughs).
        root = fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise PictureError("the drawing declares entities or external references, which can hide harm; "
                           "save it again without them (Inkscape: Save As, Plain SVG)") from None
    except etree.ParseError as error:
        raise PictureError(f"it is not a well-formed SVG ({error})") from None
    if root.tag != f"{{{_SVG}}}svg":
        raise PictureError("it is not an SVG drawing (its outer element is not <svg> in the SVG namespace)")
    for element in root.iter():
        name = element.tag.removeprefix(f"{{{_SVG}}}") if isinstance(element.tag, str) else "?"
        if name not in _SVG_ELEMENTS:
            raise PictureError(f"the drawing holds <{name}>, which a page cannot show safely; remove it "
                               "(shapes, text, groups and gradients are allowed; no scripts, no embedded HTML)")
        for attribute, value in element.attrib.items():
            shown = attribute.replace(f"{{{_XLINK}}}", "xlink:")
            if attribute not in _SVG_ATTRIBUTES and not attribute.startswith("aria-"):
                raise PictureError(f'<{name}> has the attribute {shown}, which is not allowed in a drawing; remove it')
            if attribute.endswith("href") and not value.startswith("#"):
                raise PictureError(f'<{name}> refers to "{value[:60]}": a drawing may refer only to its own '
                                   "parts (#id); remove the reference")
            if _OUTSIDE_URL.search(value) or (attribute == "style" and _UNSAFE_STYLE.search(value)):
                raise PictureError(f"<{name}>'s {shown} fetches or runs something; use url(#id) of the drawing only")
    width, height = _drawing_size(root)
    cleaned = etree.tostring(root, encoding="utf-8", xml_declaration=False)
    path = _named(stem, width, "svg", cleaned)
    variant = Variant(path, width, height, "image/svg+xml")
    return ProcessedPicture(width, height, (variant,), (variant,), ((path, cleaned),))


def _drawing_size(root: etree.Element) -> tuple[int, int]:
    """The drawing's size in CSS pixels: its width and height, else its viewBox's."""
    box = root.get("viewBox", "").replace(",", " ").split()
    width, height = (_LENGTH.match(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return max(1, round(float(width.group(1)))), max(1, round(float(height.group(1))))
    if len(box) == 4:
        try:
            return max(1, round(float(box[2]))), max(1, round(float(box[3])))
        except ValueError:
            pass
    return 300, 150  # a browser's size for a picture of none
