"""The clinic map: each clinic a dot on outlines of coasts and borders, drawn at build time from
the table the tool ships (`site_gen/data/map-outlines.txt`, see `features/mapdata.py`); no tile,
no script, nothing fetched.

Clinics far apart get a map each, as atlases draw Alaska and Hawaii beside the US mainland
(`group_clinics`); each map's view fits its clinics' extent with a margin.
The projection is Lambert's azimuthal equal-area, centred on the middle of the clinics' latitudes
and of the narrowest span of longitudes holding them, north up:

    k = √(2 / (1 + sin φ0 sin φ + cos φ0 cos φ cos(λ − λ0)))
    x = k cos φ sin(λ − λ0),   y = k (cos φ0 sin φ − sin φ0 cos φ cos(λ − λ0))

on a sphere of radius 1, then scaled and shifted into the picture (SVG's y grows downwards). On
any one region's map it keeps areas and, near the centre, shapes; a US map looks as it does in
an atlas. The template draws the <svg> from what is here: the picture's size, path data for the
outlines (clipped to the picture and simplified to its scale) and each dot's position.
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from site_gen.kinds.clinic import Clinic

TABLE = Path(__file__).parent.parent / "data" / "map-outlines.txt"
EARTH_RADIUS_KM = 6371.0088
# Clinics this close, in a chain, share a map (Denver and Raleigh are 2,380 km apart; Honolulu is
# 3,850 km from San Francisco)...
LINK_KM = 2500
# ...unless it would be wider than this: the US mainland is 4,500 km across, and a map holding
# Anchorage or San Juan too would be mostly sea and Canada, its clinics' dots crowded together.
MAX_SPAN_KM = 5000
# The narrowest a view gets: a map of one town would show nothing around it to place it by, and
# the outlines (about a kilometre exact) would be coarser than the picture.
MIN_SPAN_KM = 200
MARGIN = 0.12  # of the clinics' extent (the larger way), each side, to show what is around them
FIRST_WIDTH, OTHER_WIDTH = 640, 200  # picture units (CSS pixels at full size): the main map, the others
PAD = 16  # units kept clear around the outermost dots, for the dot itself
ASPECT = (0.5, 0.75)  # height / width, at least and at most: the view widens or heightens to stay within
CLIP = 4  # outlines are cut this far outside the picture, so that a line's cut end never shows
SIMPLIFY = 2.0  # units: outlines are simplified to this: two pixels at most at full size, one on a phone
SPECK = 6  # units: a line (an island) whose extent is smaller in both directions is left out

Point = tuple[float, float]


@dataclass(frozen=True)
class Outline:
    """One line of the shipped table, with the cap of the sphere that holds it."""

    kind: str  # "C": a coast or a border between countries; "S": between two US states
    points: tuple[Point, ...]  # (longitude, latitude) in degrees
    centre: tuple[float, float, float]  # a unit vector
    radius: float  # radians: every point is within this angle of the centre


@dataclass(frozen=True)
class Dot:
    """A clinic on a map, at (x, y) in the picture's units, rounded."""

    clinic: Clinic
    x: int
    y: int


@dataclass(frozen=True)
class ClinicMap:
    """One map: its picture's size, its outlines as SVG path data, and its dots, in the clinics' order."""

    width: int
    height: int
    coasts: str  # coasts and borders between countries
    states: str  # lines between US states ("" for none)
    dots: tuple[Dot, ...]
    cities: tuple[str, ...]  # the clinics' cities, each once, to name the map by


@functools.cache  # every map of the build reads it once
def read_outlines(path: Path = TABLE) -> tuple[Outline, ...]:
    """The shipped table."""
    outlines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        kind, *numbers = line.split()
        x = y = 0
        points = []
        for dx, dy in zip(numbers[::2], numbers[1::2]):
            x += int(dx)
            y += int(dy)
            points.append((x / 100, y / 100))
        vectors = [_vector(lat, lon) for lon, lat in points]
        sums = [sum(axis) for axis in zip(*vectors)]
        norm = math.sqrt(sum(value * value for value in sums)) or 1.0
        centre = (sums[0] / norm, sums[1] / norm, sums[2] / norm)
        nearest = min(_dot(centre, vector) for vector in vectors)
        outlines.append(Outline(kind, tuple(points), centre, math.acos(max(-1.0, min(1.0, nearest)))))
    return tuple(outlines)


def clinic_maps(clinics: Sequence[Clinic], outlines: Sequence[Outline] | None = None) -> tuple[ClinicMap, ...]:
    """The maps showing these clinics: the group with the most clinics first, at full width."""
    if not clinics:
        return ()
    outlines = read_outlines() if outlines is None else outlines
    return tuple(_draw(group, FIRST_WIDTH if index == 0 else OTHER_WIDTH, outlines)
                 for index, group in enumerate(group_clinics(clinics)))


def group_clinics(clinics: Sequence[Clinic]) -> list[list[Clinic]]:
    """Clinics in groups that each get a map, the largest first (ties in the clinics' order), each
    group's clinics in their order.

    Clinics are linked to their nearest neighbours (a minimum spanning tree, links longer than
    LINK_KM left out); a group of linked clinics wider than MAX_SPAN_KM loses its longest link, and
    so on until every group fits: Anchorage, linked to Vancouver, is cut from a map that also holds
    Miami. Clinics in one cell of half a degree count as one place: a health system's hundreds of
    clinics are in far fewer places, and the tree costs the square of their number."""
    cells: dict[tuple[int, int], list[int]] = {}
    for index, clinic in enumerate(clinics):
        cells.setdefault((round(clinic.latitude * 2), round(clinic.longitude * 2)), []).append(index)
    members = list(cells.values())
    vectors = [_vector(clinics[group[0]].latitude, clinics[group[0]].longitude) for group in members]
    links = [link for link in _spanning_tree(vectors) if link[0] <= LINK_KM]
    groups = []
    for places in _fitting(list(range(len(vectors))), links, vectors):
        groups.append(sorted(index for place in places for index in members[place]))
    groups.sort(key=lambda group: (-len(group), group[0]))
    return [[clinics[index] for index in group] for group in groups]


def _spanning_tree(vectors: list[tuple[float, float, float]]) -> list[tuple[float, int, int]]:
    """Prim's minimum spanning tree of the points, as (km, one end, the other)."""
    if not vectors:
        return []
    nearest = {index: (_km(vectors[0], vectors[index]), 0) for index in range(1, len(vectors))}
    links = []
    while nearest:
        index = min(nearest, key=lambda other: nearest[other][0])
        km, to = nearest.pop(index)
        links.append((km, to, index))
        for other, (best, _) in nearest.items():
            distance = _km(vectors[index], vectors[other])
            if distance < best:
                nearest[other] = (distance, index)
    return links


def _fitting(places: list[int], links: list[tuple[float, int, int]], vectors: list[tuple[float, float, float]]
             ) -> list[list[int]]:
    """The places, linked, in groups no wider than MAX_SPAN_KM: each group too wide is cut at its longest link."""
    parent = {place: place for place in places}

    def root(place: int) -> int:
        while parent[place] != place:
            place = parent[place]
        return place

    for _, a, b in links:
        parent[root(a)] = root(b)
    parts: dict[int, list[int]] = {}
    for place in places:
        parts.setdefault(root(place), []).append(place)
    groups = []
    for part in parts.values():
        inside = [link for link in links if link[1] in part and link[2] in part]
        wide = any(_km(vectors[a], vectors[b]) > MAX_SPAN_KM for i, a in enumerate(part) for b in part[:i])
        if wide and inside:
            inside.remove(max(inside))
            groups += _fitting(part, inside, vectors)
        else:
            groups.append(part)
    return groups


def map_centre(points: Iterable[Point]) -> Point:
    """(latitude, longitude) of the middle of the points' latitudes and of the narrowest span of
    longitudes holding them (which may cross 180°)."""
    points = list(points)
    latitudes = [lat for lat, _ in points]
    longitudes = sorted(lon % 360 for _, lon in points)
    # The gap after each longitude to the next, round the circle: the span is the circle less the widest.
    gaps = [b - a for a, b in itertools.pairwise(longitudes)] + [longitudes[0] + 360 - longitudes[-1]]
    widest = max(range(len(gaps)), key=gaps.__getitem__)
    start = longitudes[(widest + 1) % len(longitudes)]
    middle = (start + (360 - gaps[widest]) / 2 + 180) % 360 - 180
    return (min(latitudes) + max(latitudes)) / 2, middle


def project(latitude: float, longitude: float, centre: Point) -> Point | None:
    """Lambert azimuthal equal-area, on a sphere of radius 1, y north; None past 90° from the centre
    (the far side: nothing there is in view, and near its middle the projection runs to infinity)."""
    phi, phi0 = math.radians(latitude), math.radians(centre[0])
    delta = math.radians(longitude - centre[1])
    cos_c = math.sin(phi0) * math.sin(phi) + math.cos(phi0) * math.cos(phi) * math.cos(delta)
    if cos_c <= 0:
        return None
    k = math.sqrt(2 / (1 + cos_c))
    return (k * math.cos(phi) * math.sin(delta),
            k * (math.cos(phi0) * math.sin(phi) - math.sin(phi0) * math.cos(phi) * math.cos(delta)))


def _km(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """Great-circle distance between two points given as unit vectors."""
    return EARTH_RADIUS_KM * math.acos(max(-1.0, min(1.0, _dot(a, b))))


def _draw(clinics: list[Clinic], width: int, outlines: Sequence[Outline]) -> ClinicMap:
    """One map: the view fitted to the clinics, their dots, and the outlines in view."""
    centre = map_centre((clinic.latitude, clinic.longitude) for clinic in clinics)
    spots = [project(clinic.latitude, clinic.longitude, centre) or (0.0, 0.0) for clinic in clinics]
    xs, ys = [x for x, _ in spots], [y for _, y in spots]
    least = MIN_SPAN_KM / EARTH_RADIUS_KM
    span_x, span_y = max(max(xs) - min(xs), least), max(max(ys) - min(ys), least)
    margin = 2 * MARGIN * max(span_x, span_y)
    span_x, span_y = span_x + margin, span_y + margin
    aspect = min(max(span_y / span_x, ASPECT[0]), ASPECT[1])
    span_x, span_y = max(span_x, span_y / aspect), max(span_y, span_x * aspect)
    scale = (width - 2 * PAD) / span_x
    height = round(span_y * scale + 2 * PAD)
    left = (min(xs) + max(xs)) / 2 - width / 2 / scale
    top = (min(ys) + max(ys)) / 2 + height / 2 / scale

    def to_picture(point: Point) -> Point:
        return (point[0] - left) * scale, (top - point[1]) * scale

    dots = tuple(Dot(clinic, *(round(value) for value in to_picture(spot))) for clinic, spot in zip(clinics, spots))
    # The angle from the centre to the farthest corner: outlines wholly farther cannot be in view.
    corners = [(x / scale + left, top - y / scale) for x in (-CLIP, width + CLIP) for y in (-CLIP, height + CLIP)]
    reach = max(2 * math.asin(min(1.0, math.hypot(*corner) / 2)) for corner in corners)
    middle = _vector(*centre)
    paths = {"C": [], "S": []}
    box = (-CLIP, -CLIP, width + CLIP, height + CLIP)
    for outline in outlines:
        if math.acos(max(-1.0, min(1.0, _dot(middle, outline.centre)))) > reach + outline.radius:
            continue
        run: list[Point] = []  # a stretch of the line on the near side
        for lon, lat in outline.points:
            spot = project(lat, lon, centre)
            if spot is not None:
                run.append(to_picture(spot))
            elif run:
                paths[outline.kind] += _clip(run, box)
                run = []
        paths[outline.kind] += _clip(run, box)
    cities = tuple(dict.fromkeys(clinic.city for clinic in clinics))
    return ClinicMap(width, height, _path_data(paths["C"]), _path_data(paths["S"]), dots, cities)


def _clip(line: list[Point], box: tuple[float, float, float, float]) -> list[list[Point]]:
    """The pieces of a line inside the box (Liang–Barsky, a segment at a time)."""
    pieces: list[list[Point]] = []
    current: list[Point] = []
    for start, end in itertools.pairwise(line):
        segment = _clip_segment(start, end, box)
        if segment is None:
            continue
        if current and current[-1] == segment[0]:
            current.append(segment[1])
        else:
            if len(current) > 1:
                pieces.append(current)
            current = list(segment)
    if len(current) > 1:
        pieces.append(current)
    return pieces


def _clip_segment(start: Point, end: Point, box: tuple[float, float, float, float]) -> tuple[Point, Point] | None:
    """The part of a segment inside the box, or None."""
    (x1, y1), (x2, y2) = start, end
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in ((-dx, x1 - box[0]), (dx, box[2] - x1), (-dy, y1 - box[1]), (dy, box[3] - y1)):
        if p == 0:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return None
    return ((x1 + low * dx, y1 + low * dy) if low > 0 else start,
            (x1 + high * dx, y1 + high * dy) if high < 1 else end)


def _path_data(lines: list[list[Point]]) -> str:
    """SVG path data for the lines, simplified to SIMPLIFY and rounded to whole units: each line an
    move and relative steps ("M12 34l3-2 4 1m5 6l..."); moves after the first are relative too."""
    parts = []
    at = None  # where the pen is
    for line in lines:
        points: list[tuple[int, int]] = []
        for x, y in simplify(line, SIMPLIFY):
            point = (round(x), round(y))
            if not points or points[-1] != point:
                points.append(point)
        xs, ys = [x for x, _ in points], [y for _, y in points]
        if len(points) < 2 or (max(xs) - min(xs) < SPECK and max(ys) - min(ys) < SPECK):
            continue
        steps = [value for (x1, y1), (x2, y2) in itertools.pairwise(points) for value in (x2 - x1, y2 - y1)]
        move = f"M{_numbers(points[0])}" if at is None else f"m{_numbers((points[0][0] - at[0], points[0][1] - at[1]))}"
        parts.append(f"{move}l{_numbers(steps)}")
        at = points[-1]
    return "".join(parts)


def _numbers(values: Iterable[int]) -> str:
    """Numbers as path data writes them: a minus sign is a separator of its own."""
    text = ""
    for value in values:
        text += (str(value) if not text or value < 0 else f" {value}")
    return text


def simplify(points: Sequence[Point], tolerance: float) -> list[Point]:
    """Douglas–Peucker: the fewest of the points keeping the line within `tolerance` of them all."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, at = tolerance, None
        for index in range(first + 1, last):
            x, y = points[index]
            distance = abs(dy * (x - x1) - dx * (y - y1)) / length if length else math.hypot(x - x1, y - y1)
            if distance > farthest:
                farthest, at = distance, index
        if at is not None:
            keep[at] = True
            stack += [(first, at), (at, last)]
    return [point for point, kept in zip(points, keep) if kept]


def _vector(latitude: float, longitude: float) -> tuple[float, float, float]:
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def _dot(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
