"""Build ``src/silkway/data/geo/country_grid.npz``: which country each 0.05° cell lies in.

The grid covers the corridors (10° W to 135° E, 10° N to 62° N). It is rasterised from
the Natural Earth 1:50m admin-0 country outlines as the npm package ``world-atlas``
2.0.2 ships them (TopoJSON, ISO 3166-1 numeric ids), with the ids turned into alpha-2
codes by ``pycountry``. A cell takes the country that covers its centre; cells at sea
or in no country are 0. The result is deterministic: the same inputs give the same
file, byte for byte.

Usage (the inputs are installed by hand; nothing is fetched at run time)::

    npm install --prefix /tmp/npmgeo world-atlas@2.0.2
    pip install pycountry            # or: pip install -e '.[geodata]'
    python scripts/build_country_grid.py /tmp/npmgeo/node_modules/world-atlas

silkway reads the file with :mod:`silkway.geo.country_grid` (numpy only).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world_atlas import (
    alpha2,
    decode_arcs,
    polygons,
    pycountry_version,
    read_topology,
    write_npz,
)

WEST, SOUTH, EAST, NORTH = -10.0, 10.0, 135.0, 62.0
STEP = 0.05
OUT = Path(__file__).resolve().parent.parent / "src" / "silkway" / "data" / "geo"


def fill(grid: np.ndarray, rings: list[np.ndarray], value: int) -> None:
    """Set the cells whose centres lie inside ``rings`` (even-odd rule) to ``value``."""
    nrows, ncols = grid.shape
    xs_edges = []
    for r in rings:
        a, b = r[:-1], r[1:]
        xs_edges.append(np.column_stack([a, b]))
    edges = np.concatenate(xs_edges)  # x1, y1, x2, y2
    lat_min, lat_max = edges[:, [1, 3]].min(), edges[:, [1, 3]].max()
    row_lo = max(0, int(np.floor((lat_min - SOUTH) / STEP)))
    row_hi = min(nrows - 1, int(np.ceil((lat_max - SOUTH) / STEP)))
    centers_x = WEST + (np.arange(ncols) + 0.5) * STEP
    for row in range(row_lo, row_hi + 1):
        y = SOUTH + (row + 0.5) * STEP
        y1, y2 = edges[:, 1], edges[:, 3]
        crossing = (y1 <= y) != (y2 <= y)
        if not crossing.any():
            continue
        e = edges[crossing]
        xs = e[:, 0] + (y - e[:, 1]) * (e[:, 2] - e[:, 0]) / (e[:, 3] - e[:, 1])
        xs.sort()
        inside = np.zeros(ncols, dtype=np.int64)
        for x0, x1 in zip(xs[0::2], xs[1::2], strict=False):
            lo = np.searchsorted(centers_x, x0)
            hi = np.searchsorted(centers_x, x1)
            inside[lo:hi] += 1
        grid[row, inside % 2 == 1] = value


def build(atlas: Path) -> tuple[np.ndarray, list[str], dict[str, str]]:
    """Rasterise the countries of ``atlas/countries-50m.json``."""
    topo, version = read_topology(atlas)
    arcs = decode_arcs(topo)
    nrows = round((NORTH - SOUTH) / STEP)
    ncols = round((EAST - WEST) / STEP)
    grid = np.zeros((nrows, ncols), dtype=np.uint8)
    codes = [""]
    skipped = []
    geoms = sorted(topo["objects"]["countries"]["geometries"], key=lambda g: str(g.get("id", "")))
    for geom in geoms:
        code = alpha2(geom.get("id"))
        if code is None:
            skipped.append(geom.get("properties", {}).get("name", "?"))
            continue
        polys = polygons(geom, arcs)
        if not any(
            (r[:, 0].max() >= WEST and r[:, 0].min() <= EAST)
            and (r[:, 1].max() >= SOUTH and r[:, 1].min() <= NORTH)
            for p in polys
            for r in p
        ):
            continue
        codes.append(code)
        for p in polys:
            fill(grid, p, len(codes) - 1)
    meta = {
        "source": "Natural Earth 1:50m admin-0 countries, via the npm package world-atlas "
        f"{version} (countries-50m.json; Natural Earth is public domain, world-atlas ISC)",
        "codes": f"ISO 3166-1 numeric ids turned into alpha-2 by pycountry {pycountry_version()}",
        "grid": f"{STEP} degree cells, west {WEST}, south {SOUTH}, east {EAST}, north {NORTH}; "
        "a cell takes the country covering its centre; 0 is sea or no country",
        "skipped": "; ".join(sorted(skipped)) + " (no ISO numeric id)",
        "script": "scripts/build_country_grid.py",
    }
    return grid, codes, meta


def main(argv: list[str] | None = None) -> int:
    """Write the grid; print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("atlas", type=Path, help="folder of the world-atlas npm package")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    grid, codes, meta = build(args.atlas)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "country_grid.npz"
    # run-length encoded row by row (decoding is one numpy repeat: fast to load)
    flat = grid.ravel()
    starts = np.concatenate([[0], np.flatnonzero(np.diff(flat)) + 1])
    arrays = {
        "values": flat[starts].astype(np.uint8),
        "runs": np.diff(np.concatenate([starts, [flat.size]])).astype(np.uint32),
        "shape": np.array(grid.shape, dtype=np.int64),
        "codes": np.array(codes),
        "origin": np.array([WEST, SOUTH, STEP]),
        "meta": np.array(json.dumps(meta, sort_keys=True)),
    }
    write_npz(path, arrays)
    print(
        f"{path}: {grid.shape[1]} x {grid.shape[0]} cells, {len(codes) - 1} countries, "
        f"{path.stat().st_size / 1024:.0f} KiB",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
