"""In which country a point lies, from a grid of country outlines shipped with silkway.

``data/geo/country_grid.npz`` holds a 0.05° grid (about 5 km) over the corridors, 10° W
to 135° E and 10° N to 62° N, rasterised from the Natural Earth 1:50m country outlines
by ``scripts/build_country_grid.py`` (its ``meta`` entry says from what). A cell takes the
country that covers its centre, so a point within a cell or two of a border may be
given the neighbour: callers count kilometres per country along a line and ignore short
stretches (see :func:`countries_along`). Points outside the grid are in no country.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .lines import Point, sample_lines

SAMPLE_KM = 4.0
"""Spacing of the points along a line at which the country is looked up."""


@dataclass(frozen=True)
class CountryGrid:
    """The country grid: cell codes and where the grid lies."""

    grid: NDArray[np.uint8]
    codes: tuple[str, ...]
    """ISO 3166-1 alpha-2 code of each cell value; value 0 is ``""`` (sea, no country)."""
    west: float
    south: float
    step: float
    meta: dict[str, str]
    """Where the grid comes from (source, version, script)."""

    def lookup(self, lons: NDArray[np.float64], lats: NDArray[np.float64]) -> NDArray[np.int64]:
        """Cell values (indexes into :attr:`codes`) at the given points; 0 outside."""
        rows = np.floor((lats - self.south) / self.step).astype(np.int64)
        cols = np.floor((lons - self.west) / self.step).astype(np.int64)
        h, w = self.grid.shape
        inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
        out = np.zeros(lons.shape, dtype=np.int64)
        out[inside] = self.grid[rows[inside], cols[inside]]
        return out

    def country_at(self, lon: float, lat: float) -> str:
        """The country code at one point, ``""`` at sea or outside the grid."""
        v = self.lookup(np.array([lon]), np.array([lat]))
        return self.codes[int(v[0])]


def grid_path() -> Path:
    """The shipped grid file."""
    return Path(__file__).resolve().parent.parent / "data" / "geo" / "country_grid.npz"


@lru_cache(maxsize=1)
def load_grid() -> CountryGrid:
    """The shipped country grid, read once per process (it is read-only data)."""
    with np.load(grid_path(), allow_pickle=False) as z:
        west, south, step = (float(x) for x in z["origin"])
        shape = tuple(int(n) for n in z["shape"])
        grid = np.repeat(z["values"], z["runs"]).reshape(shape)
        return CountryGrid(
            grid=grid,
            codes=tuple(str(c) for c in z["codes"]),
            west=west,
            south=south,
            step=step,
            meta=json.loads(str(z["meta"])),
        )


def countries_along(
    points: Sequence[Point], *, grid: CountryGrid | None = None, step_km: float = SAMPLE_KM
) -> dict[str, float]:
    """Kilometres of a polyline in each country, in the order the line enters them.

    Parameters
    ----------
    points
        The line, ``(lon, lat)``.
    grid
        The country grid; the shipped one by default.
    step_km
        Spacing of the lookups.

    Returns
    -------
    dict
        Country code -> km; stretches at sea or outside the grid are under ``""``.
    """
    return countries_along_many([points], grid=grid, step_km=step_km)[0]


def countries_along_many(
    lines: Sequence[Sequence[Point]],
    *,
    grid: CountryGrid | None = None,
    step_km: float = SAMPLE_KM,
) -> list[dict[str, float]]:
    """:func:`countries_along` for many lines at once (one numpy pass)."""
    g = grid or load_grid()
    owner, lons, lats, kms = sample_lines(lines, step_km=step_km)
    out: list[dict[str, float]] = [{} for _ in lines]
    if not len(kms):
        return out
    ncodes = len(g.codes)
    key = owner * ncodes + g.lookup(lons, lats)
    # km per (line, country), and the order in which each line enters its countries
    keys, first = np.unique(key, return_index=True)
    totals = np.bincount(key, weights=kms, minlength=int(keys.max()) + 1)[keys]
    for k in np.argsort(first, kind="stable").tolist():
        line, value = divmod(int(keys[k]), ncodes)
        out[line][g.codes[value]] = float(totals[k])
    return out
