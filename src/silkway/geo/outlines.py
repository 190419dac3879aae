"""Country outlines shipped with silkway, for drawing maps without a download.

``data/geo/outlines.npz`` holds the Natural Earth 1:50m admin-0 countries (public domain,
via the npm package ``world-atlas`` 2.0.2), simplified and clipped to the region of the
corridors (20° W to 150° E, 40° S to 72° N, so no ring crosses the antimeridian) by
``scripts/build_outlines.py``; ``outlines.json`` beside it, and :attr:`Outlines.meta`,
say from what and how. Nothing is read until :func:`load_outlines` is called.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Outlines:
    """Country outlines as rings of ``(lon, lat)`` points.

    Ring ``i`` is ``points[ring_start[i]:ring_start[i + 1]]`` (closed: its last point is
    its first), belongs to country ``ring_country[i]`` and is a hole in that country's
    polygon where ``ring_hole[i]`` (a hole follows the outer ring it lies in). Inside a
    country is what an odd number of its rings encloses.
    """

    codes: tuple[str, ...]
    """ISO 3166-1 alpha-2 code of each country (``""`` for the few without one)."""
    names: tuple[str, ...]
    """Natural Earth's English name of each country."""
    points: NDArray[np.float64]
    ring_start: NDArray[np.int64]
    ring_country: NDArray[np.int64]
    ring_hole: NDArray[np.bool_]
    region: tuple[float, float, float, float]
    """West, south, east, north (degrees) the outlines are clipped to."""
    meta: dict[str, str]
    """Where the outlines come from: source, licence, simplification, date, script."""

    def __len__(self) -> int:
        return len(self.ring_country)

    def ring(self, i: int) -> NDArray[np.float64]:
        """Ring ``i`` as an ``(n, 2)`` array of ``(lon, lat)``."""
        return self.points[self.ring_start[i] : self.ring_start[i + 1]]

    def rings(self) -> Iterator[tuple[str, NDArray[np.float64]]]:
        """Every ring with its country's code, in file order (countries sorted by code)."""
        for i in range(len(self)):
            yield self.codes[int(self.ring_country[i])], self.ring(i)

    def country_rings(self, code: str) -> list[NDArray[np.float64]]:
        """The rings of the country ``code`` (empty if it has none in the region)."""
        if code not in self.codes:
            return []
        index = self.codes.index(code)
        return [self.ring(int(i)) for i in np.flatnonzero(self.ring_country == index)]

    def contains(self, code: str, lon: float, lat: float) -> bool:
        """Whether ``(lon, lat)`` lies inside the country ``code`` (even-odd rule)."""
        crossings = 0
        for r in self.country_rings(code):
            x1, y1, x2, y2 = r[:-1, 0], r[:-1, 1], r[1:, 0], r[1:, 1]
            spans = (y1 <= lat) != (y2 <= lat)
            xs = x1[spans] + (lat - y1[spans]) * (x2[spans] - x1[spans]) / (y2[spans] - y1[spans])
            crossings += int(np.count_nonzero(xs > lon))
        return crossings % 2 == 1

    def to_geojson(self) -> dict[str, Any]:
        """The outlines as a GeoJSON FeatureCollection: one MultiPolygon per country,
        with ``code`` and ``name`` properties (for a web map; coordinates in degrees)."""
        features: list[dict[str, Any]] = []
        for index, (code, name) in enumerate(zip(self.codes, self.names, strict=True)):
            polygons: list[list[list[list[float]]]] = []
            for i in np.flatnonzero(self.ring_country == index).tolist():
                ring = np.round(self.ring(i), 4).tolist()
                if self.ring_hole[i] and polygons:
                    polygons[-1].append(ring)
                else:
                    polygons.append([ring])
            features.append(
                {
                    "type": "Feature",
                    "properties": {"code": code, "name": name},
                    "geometry": {"type": "MultiPolygon", "coordinates": polygons},
                }
            )
        return {"type": "FeatureCollection", "features": features}

    def country_at(self, lon: float, lat: float) -> str:
        """Code of the country whose outline holds the point, ``""`` if none does."""
        for code in self.codes:
            if code and self.contains(code, lon, lat):
                return code
        return ""


def outlines_path() -> Path:
    """The shipped outlines file."""
    return Path(__file__).resolve().parent.parent / "data" / "geo" / "outlines.npz"


@lru_cache(maxsize=1)
def load_outlines() -> Outlines:
    """The shipped outlines, read once per process (they are read-only data)."""
    with np.load(outlines_path(), allow_pickle=False) as z:
        scale = float(z["scale"])
        west, south, east, north = (float(x) for x in z["region"])
        return Outlines(
            codes=tuple(str(c) for c in z["codes"]),
            names=tuple(str(n) for n in z["names"]),
            points=z["points"].astype(np.float64) * scale,
            ring_start=z["ring_start"].astype(np.int64),
            ring_country=z["ring_country"].astype(np.int64),
            ring_hole=z["ring_hole"].astype(np.bool_),
            region=(west, south, east, north),
            meta=json.loads(str(z["meta"])),
        )
