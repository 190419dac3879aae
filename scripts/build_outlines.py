"""Build ``src/silkway/data/geo/outlines.npz``: simplified country outlines for the maps.

The outlines are the Natural Earth 1:50m admin-0 countries (public domain) as the npm
package ``world-atlas`` 2.0.2 ships them (TopoJSON), decoded by ``_world_atlas.py`` as
``scripts/build_country_grid.py`` decodes them. Each TopoJSON arc is simplified once
(Douglas-Peucker, :data:`TOLERANCE_DEG`), so neighbours keep one shared border; the
rings are then clipped to :data:`REGION` (20° W to 150° E; a ring that crosses the
antimeridian, as Russia's does, is first made continuous in longitude, so the clip cuts
off the Russian Far East cleanly and no ring in the output crosses it),
and rings smaller than :data:`MIN_AREA_DEG2` after clipping are dropped. Numeric ids
become ISO alpha-2 codes by pycountry; the few outlines without an ISO id (Kosovo,
Northern Cyprus, Somaliland ...) keep their name and an empty code.

The script writes ``outlines.npz`` (read by :mod:`silkway.geo.outlines`, numpy only)
and ``outlines.json`` beside it, the provenance in plain JSON. Output is deterministic:
the same inputs and ``--date`` give the same bytes.

Usage (the inputs are installed by hand; nothing is fetched at run time)::

    npm install --prefix /tmp/npmgeo world-atlas@2.0.2
    pip install pycountry            # or: pip install -e '.[geodata]'
    python scripts/build_outlines.py /tmp/npmgeo/node_modules/world-atlas --date 2026-11-29
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _world_atlas import alpha2, decode_arcs, polygons, pycountry_version, read_topology, write_npz

REGION = (-20.0, -40.0, 150.0, 72.0)
"""West, south, east, north in degrees: every link of the bundled network (the Cape
route reaches 35° S and 18° W) with a margin, and nothing across the antimeridian."""
TOLERANCE_DEG = 0.02
"""Douglas-Peucker tolerance, degrees (about 2 km): far below a pixel of a corridor map."""
MIN_AREA_DEG2 = 0.01
"""Rings smaller than this (square degrees, about 100 km² at the equator) are dropped."""
SCALE = 1e-4
"""Coordinates are stored as int32 multiples of this many degrees (about 11 m)."""
OUT = Path(__file__).resolve().parent.parent / "src" / "silkway" / "data" / "geo"


def simplify(line: np.ndarray, tolerance: float) -> np.ndarray:
    """Douglas-Peucker simplification of a polyline; both ends are always kept."""
    n = len(line)
    if n <= 2:
        return line
    keep = np.zeros(n, dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        a, b = line[i], line[j]
        rel = line[i + 1 : j] - a
        d = b - a
        length = float(np.hypot(d[0], d[1]))
        if length == 0.0:  # a closed arc: distance to its end point
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(d[0] * rel[:, 1] - d[1] * rel[:, 0]) / length
        k = int(np.argmax(dist))
        if dist[k] > tolerance:
            m = i + 1 + k
            keep[m] = True
            stack.extend([(i, m), (m, j)])
    return line[keep]


def _clip_edge(p: np.ndarray, axis: int, bound: float, *, keep_above: bool) -> np.ndarray:
    """One Sutherland-Hodgman pass: the open ring ``p`` on one side of a line."""
    if not len(p):
        return p
    q = np.roll(p, -1, axis=0)
    v, w = p[:, axis], q[:, axis]
    inside_p = v >= bound if keep_above else v <= bound
    inside_q = w >= bound if keep_above else w <= bound
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(w != v, (bound - v) / (w - v), 0.0)
    cut = p + t[:, None] * (q - p)
    cut[:, axis] = bound
    out = np.empty((2 * len(p), 2))
    out[0::2], out[1::2] = cut, q
    mask = np.empty(2 * len(p), dtype=bool)
    mask[0::2], mask[1::2] = inside_p != inside_q, inside_q
    return out[mask]


def unwrap(ring: np.ndarray, west: float, east: float) -> np.ndarray:
    """A ring that crosses the antimeridian made continuous in longitude.

    TopoJSON rings jump from 180° to -180° where they cross it (Russia's does); such a
    ring is unwrapped (each step taken the short way round) and moved by the multiple of
    360° that lays most of it over ``west``..``east``, so that clipping cuts it cleanly.
    """
    if not np.any(np.abs(np.diff(ring[:, 0])) > 180):
        return ring
    out = ring.copy()
    out[:, 0] = np.degrees(np.unwrap(np.radians(ring[:, 0])))
    lo, hi = out[:, 0].min(), out[:, 0].max()
    shift = max((-360.0, 0.0, 360.0), key=lambda k: min(hi + k, east) - max(lo + k, west))
    out[:, 0] += shift
    return out


def clip(ring: np.ndarray, region: tuple[float, float, float, float]) -> np.ndarray:
    """A closed ring clipped to the rectangle ``region`` (closed again; may be empty)."""
    west, south, east, north = region
    ring = unwrap(ring, west, east)
    p = ring[:-1] if len(ring) > 1 and np.array_equal(ring[0], ring[-1]) else ring
    p = _clip_edge(p, 0, west, keep_above=True)
    p = _clip_edge(p, 0, east, keep_above=False)
    p = _clip_edge(p, 1, south, keep_above=True)
    p = _clip_edge(p, 1, north, keep_above=False)
    if len(p) < 3:
        return np.zeros((0, 2))
    return np.concatenate([p, p[:1]])


def area(ring: np.ndarray) -> float:
    """Unsigned shoelace area of a closed ring, square degrees."""
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))) / 2


def _quantise(ring: np.ndarray) -> np.ndarray:
    """The ring as int32 multiples of :data:`SCALE`, repeated points removed."""
    q = np.round(ring / SCALE).astype(np.int32)
    step = np.any(q[1:] != q[:-1], axis=1)
    return np.concatenate([q[:1], q[1:][step]])


def build(atlas: Path, *, date: str) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The outline arrays and their provenance from ``atlas/countries-50m.json``."""
    topo, version = read_topology(atlas)
    arcs = [simplify(a, TOLERANCE_DEG) for a in decode_arcs(topo)]
    countries: list[tuple[str, str, list[tuple[np.ndarray, bool]]]] = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = str(geom.get("properties", {}).get("name", ""))
        rings: list[tuple[np.ndarray, bool]] = []
        for poly in polygons(geom, arcs):
            for k, r in enumerate(poly):
                clipped = clip(r, REGION)
                if len(clipped) and area(clipped) >= MIN_AREA_DEG2:
                    q = _quantise(clipped)
                    if len(q) >= 4:
                        rings.append((q, k > 0))
        if rings:
            countries.append((alpha2(geom.get("id")) or "", name, rings))
    countries.sort(key=lambda c: (c[0] == "", c[0], c[1]))
    points, starts, owner, holes = [], [0], [], []
    for index, (_, _, rings) in enumerate(countries):
        for q, hole in rings:
            points.append(q)
            starts.append(starts[-1] + len(q))
            owner.append(index)
            holes.append(hole)
    ne = re.search(r"version (\d+\.\d+\.\d+)", (atlas / "README.md").read_text(encoding="utf-8"))
    meta = {
        "source": f"Natural Earth {ne.group(1) if ne else ''} 1:50m admin-0 countries, via the "
        f"npm package world-atlas {version} (countries-50m.json)",
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "codes": f"ISO 3166-1 numeric ids turned into alpha-2 by pycountry {pycountry_version()}; "
        "outlines without an ISO id keep their name and an empty code",
        "region": "west {}, south {}, east {}, north {} (degrees); rings clipped to it, so "
        "none crosses the antimeridian".format(*REGION),
        "simplification": f"Douglas-Peucker per TopoJSON arc, tolerance {TOLERANCE_DEG} degrees "
        f"(shared borders stay shared); rings under {MIN_AREA_DEG2} square degrees dropped",
        "precision": f"coordinates stored as int32 multiples of {SCALE} degrees",
        "date": date,
        "script": "scripts/build_outlines.py",
    }
    arrays = {
        "codes": np.array([c[0] for c in countries]),
        "names": np.array([c[1] for c in countries]),
        "points": np.concatenate(points),
        "ring_start": np.array(starts, dtype=np.int64),
        "ring_country": np.array(owner, dtype=np.int32),
        "ring_hole": np.array(holes, dtype=bool),
        "scale": np.array(SCALE),
        "region": np.array(REGION),
        "meta": np.array(json.dumps(meta, sort_keys=True)),
    }
    return arrays, meta


def main(argv: list[str] | None = None) -> int:
    """Write ``outlines.npz`` and ``outlines.json``; print a summary."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("atlas", type=Path, help="folder of the world-atlas npm package")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--date",
        default=dt.datetime.now(dt.UTC).date().isoformat(),
        help="date recorded as the build date (default today, UTC)",
    )
    args = parser.parse_args(argv)
    arrays, meta = build(args.atlas, date=args.date)
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / "outlines.npz"
    write_npz(path, arrays)
    summary = {
        **meta,
        "countries": len(arrays["codes"]),
        "rings": len(arrays["ring_country"]),
        "points": len(arrays["points"]),
    }
    (args.out / "outlines.json").write_text(
        json.dumps(summary, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(
        f"{path}: {summary['countries']} countries, {summary['rings']} rings, "
        f"{summary['points']} points, {path.stat().st_size / 1024:.0f} KiB",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
