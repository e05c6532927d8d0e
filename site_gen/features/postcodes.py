"""The US postal codes the clinic locator can sort by: the `zipcodes` package's offline data,
shipped in the shape the locator searches.

zipcodes decodes its whole table on its first search, a large share of every build with a US
clinic. Its active standard codes are kept here instead, one line each, sorted by latitude, so the codes
near a clinic are found in a band of lines. A test checks the file still equals zipcodes' data;
`python -m site_gen.features.postcodes` writes it again (zipcodes is a test dependency only).
"""

from __future__ import annotations

import bisect
import functools
import math
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).parent.parent / "data" / "us-postcodes.txt"
_HEADER = ("# US postal codes (active, standard) with the latitude and longitude of their centre, "
           "from zipcodes {version}\n")


@dataclass(frozen=True)
class PostcodeTable:
    """Postal codes and their centres, sorted by latitude."""

    latitudes: list[float]
    rows: list[tuple[str, float, float]]  # (code, latitude, longitude)

    def near(self, latitude: float, longitude: float, miles: float, earth_radius_miles: float
             ) -> list[tuple[str, float, float]]:
        """The codes in the smallest box of latitudes and longitudes holding every point within
        `miles` of this one (so every code that near is among them): latitudes found by halving,
        longitudes compared. The box's half-width in longitude is asin(sin(d) / cos(latitude)) for
        an angular distance d, unless the circle reaches a pole."""
        angle = miles / earth_radius_miles
        degrees = math.degrees(angle)
        start = bisect.bisect_left(self.latitudes, latitude - degrees)
        band = self.rows[start:bisect.bisect_right(self.latitudes, latitude + degrees, lo=start)]
        reach = math.sin(angle) / math.cos(math.radians(latitude))
        if reach >= 1:
            return band
        across = math.degrees(math.asin(reach)) + 1e-9  # a hair wider: rounding must not drop a code
        return [row for row in band if abs((row[2] - longitude + 180) % 360 - 180) <= across]


@functools.cache  # the locator and the clinics' checks share it
def read_table(path: Path = TABLE) -> PostcodeTable:
    """The shipped table."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, latitude, longitude = line.split()
            rows.append((code, float(latitude), float(longitude)))
    return PostcodeTable([row[1] for row in rows], rows)


def table_from_zipcodes() -> str:
    """The table's text, from the installed zipcodes package's data."""
    import zipcodes

    entries = [entry for entry in zipcodes.list_all() if entry["active"] and entry["zip_code_type"] == "STANDARD"]
    entries.sort(key=lambda entry: (float(entry["lat"]), entry["zip_code"]))
    return _HEADER.format(version=zipcodes.__version__) + "".join(
        f"{entry['zip_code']} {entry['lat']} {entry['long']}\n" for entry in entries)


if __name__ == "__main__":
    TABLE.parent.mkdir(exist_ok=True)
    TABLE.write_text(table_from_zipcodes(), encoding="utf-8")
    print(f"wrote {TABLE}")
