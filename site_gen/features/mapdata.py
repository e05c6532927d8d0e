"""The outlines the clinic map draws, made from two npm packages and shipped as
`site_gen/data/map-outlines.txt`, in the shape `features/maps.py` reads.

Sources, both public domain (the packages' code is ISC-licensed, Mike Bostock):
- Natural Earth's 1:50m countries (coasts and borders between countries), from world-atlas
  `countries-50m.json`, for every country except the United States and its territories;
- the US Census Bureau's 2017 cartographic boundaries of the states and territories at 1:10
  million, from us-atlas `states-10m.json`: the US's coasts, lake shores and borders, and the
  lines between its states. (Natural Earth draws the Great Lakes as land; the Census does not.)

The map is drawn from lines only, never filled areas, so each line is kept once and needs no ring
to close: a line holds an arc of the TopoJSON (a stretch of border between two junctions). Each is
simplified (Douglas–Peucker) to 0.01°, about a kilometre, three pixels on the narrowest view the
map draws (site_gen/data/README.md says why), its points rounded to hundredths of a degree, and
written as one text line: its kind, "C" (coast or country border) or "S" (a line between two US
states), the first point's longitude and latitude in hundredths, then each next point as the
difference from the one before. About 390 KB, 66,000 points. A test checks the file still equals
what the pinned packages give; to write it again:

    npm install --prefix /opt/atlas --ignore-scripts us-atlas@3.0.1 world-atlas@2.0.2
    python -m site_gen.features.mapdata /opt/atlas/node_modules
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

from site_gen.features.maps import TABLE, simplify

PACKAGES = {"world-atlas": "2.0.2", "us-atlas": "3.0.1"}  # the versions the shipped file was made from
ATLAS_DIR = Path("/opt/atlas/node_modules")  # where .ci/run installs them
TOLERANCE = 0.01  # degrees: Douglas–Peucker's tolerance, and the rounding of every point
# Natural Earth's countries (ISO 3166 numeric codes) that the Census outlines draw instead: the
# United States, Puerto Rico, Guam, the Northern Mariana Islands, the US Virgin Islands, American Samoa.
CENSUS_DRAWN = frozenset({"840", "630", "316", "580", "850", "016"})
_HEADER = ("# Outlines for the clinic map (features/maps.py): coasts and borders from Natural Earth 1:50m "
           "(world-atlas {world}), US states from the US Census Bureau 1:10m (us-atlas {us}); public domain.\n"
           "# One line each: C (coast, border) or S (between US states), then longitude and latitude in "
           "hundredths of a degree, the first point's, then each point's difference from the one before.\n")

Line = list[tuple[float, float]]


def decode_arcs(topology: dict) -> list[Line]:
    """The arcs of a quantized TopoJSON topology, as (longitude, latitude) points."""
    (scale_x, scale_y), (shift_x, shift_y) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # each position is the difference from the one before
            x += dx
            y += dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def arc_uses(geometries: list[dict]) -> dict[int, list[dict]]:
    """Each arc's index → the geometries (polygons or multipolygons) whose rings use it."""
    uses: dict[int, list[dict]] = {}
    for geometry in geometries:
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
        for polygon in polygons:
            for ring in polygon:
                for index in ring:
                    uses.setdefault(index if index >= 0 else ~index, []).append(geometry)  # ~i: arc i reversed
    return uses


def encode(kind: str, points: Line) -> str | None:
    """One line of the table: rounded to TOLERANCE, repeated points dropped; None for a line gone to a point."""
    rounded: list[tuple[int, int]] = []
    for lon, lat in points:
        point = (round(lon / TOLERANCE), round(lat / TOLERANCE))
        if not rounded or rounded[-1] != point:
            rounded.append(point)
    if len(rounded) < 2:
        return None
    numbers = [*rounded[0]]
    for (x1, y1), (x2, y2) in itertools.pairwise(rounded):
        numbers += [x2 - x1, y2 - y1]
    return " ".join([kind, *map(str, numbers)])


def table_from_atlases(folder: Path = ATLAS_DIR) -> str:
    """The table's text, from the installed packages' files under `folder` (a node_modules)."""
    versions = {}
    for package, wanted in PACKAGES.items():
        versions[package] = json.loads((folder / package / "package.json").read_text(encoding="utf-8"))["version"]
        if versions[package] != wanted:
            raise ValueError(f"{package} {versions[package]} is installed; the table is made from {wanted}")
    lines = []
    world = json.loads((folder / "world-atlas" / "countries-50m.json").read_text(encoding="utf-8"))
    world_arcs = decode_arcs(world)
    for index, users in sorted(arc_uses(world["objects"]["countries"]["geometries"]).items()):
        if not any(geometry.get("id") in CENSUS_DRAWN for geometry in users):
            lines.append(encode("C", simplify(world_arcs[index], TOLERANCE)))
    states = json.loads((folder / "us-atlas" / "states-10m.json").read_text(encoding="utf-8"))
    state_arcs = decode_arcs(states)
    for index, users in sorted(arc_uses(states["objects"]["states"]["geometries"]).items()):
        # An arc two states share is the line between them; one state's alone is a coast or the US border.
        lines.append(encode("S" if len(users) > 1 else "C", simplify(state_arcs[index], TOLERANCE)))
    header = _HEADER.format(world=versions["world-atlas"], us=versions["us-atlas"])
    return header + "".join(f"{line}\n" for line in lines if line is not None)


if __name__ == "__main__":
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else ATLAS_DIR
    TABLE.write_text(table_from_atlases(source), encoding="utf-8")
    print(f"wrote {TABLE}")
