"""Lines on the sphere: lengths, great-circle arcs and evenly spaced points.

Points are ``(lon, lat)`` pairs in WGS84 degrees, the GeoJSON order. Distances use a
sphere of the mean Earth radius (IUGG), which is within 0.5 % of the ellipsoid.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG)."""

MIN_SEGMENT_KM = 1e-9
"""Segments shorter than this (repeated points) are skipped when a line is sampled."""

Point = tuple[float, float]
"""``(lon, lat)`` in degrees."""


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance in km between two WGS84 points (latitude first)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def line_km(points: Sequence[Point]) -> float:
    """Length in km of a polyline of ``(lon, lat)`` points, segment by segment."""
    return sum(great_circle_km(a[1], a[0], b[1], b[0]) for a, b in itertools.pairwise(points))


def _to_xyz(p: Point) -> tuple[float, float, float]:
    lon, lat = math.radians(p[0]), math.radians(p[1])
    return (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))


def _interpolate(a: Point, b: Point, fractions: Sequence[float]) -> list[Point]:
    """Points at the given fractions of the great circle from ``a`` to ``b``."""
    xa, xb = _to_xyz(a), _to_xyz(b)
    dot = sum(u * v for u, v in zip(xa, xb, strict=True))
    cross = (
        xa[1] * xb[2] - xa[2] * xb[1],
        xa[2] * xb[0] - xa[0] * xb[2],
        xa[0] * xb[1] - xa[1] * xb[0],
    )
    omega = math.atan2(math.sqrt(sum(c * c for c in cross)), dot)
    if omega < 1e-12:
        return [a for _ in fractions]
    s = math.sin(omega)
    out: list[Point] = []
    for f in fractions:
        wa, wb = math.sin((1 - f) * omega) / s, math.sin(f * omega) / s
        x, y, z = (wa * u + wb * v for u, v in zip(xa, xb, strict=True))
        lat = math.degrees(math.atan2(z, math.hypot(x, y)))
        lon = math.degrees(math.atan2(y, x))
        out.append((lon, lat))
    return out


def great_circle_arc(a: Point, b: Point, *, step_km: float = 100.0) -> list[Point]:
    """The great circle from ``a`` to ``b`` as a polyline with a point every ``step_km``.

    Parameters
    ----------
    a, b
        End points ``(lon, lat)``; they are the first and last points of the result.
    step_km
        Largest distance between consecutive points.

    Returns
    -------
    list of (lon, lat)
        Longitudes may jump by 360 where the arc crosses the antimeridian.
    """
    km = great_circle_km(a[1], a[0], b[1], b[0])
    n = max(1, math.ceil(km / step_km))
    inner = _interpolate(a, b, [i / n for i in range(1, n)])
    return [a, *inner, b]


def _arc_km(a: Point, b: Point) -> float:
    """Great-circle km between two points, computed as :func:`sample_lines` does."""
    xa, xb = _to_xyz(a), _to_xyz(b)
    dot = sum(u * v for u, v in zip(xa, xb, strict=True))
    cross = (
        xa[1] * xb[2] - xa[2] * xb[1],
        xa[2] * xb[0] - xa[0] * xb[2],
        xa[0] * xb[1] - xa[1] * xb[0],
    )
    return math.atan2(math.sqrt(sum(c * c for c in cross)), dot) * EARTH_RADIUS_KM


def sample_line(points: Sequence[Point], *, step_km: float) -> tuple[list[Point], list[float]]:
    """Points along a polyline about every ``step_km``, each with the km it stands for.

    Each segment is cut into pieces of at most ``step_km``; the midpoint of each piece
    is returned with the piece's length, so the lengths add up to :func:`line_km`.

    Parameters
    ----------
    points
        The polyline, ``(lon, lat)``.
    step_km
        Largest piece length, > 0.

    Returns
    -------
    midpoints, km
        Midpoints ``(lon, lat)`` of the pieces and their lengths in km.
    """
    mids: list[Point] = []
    kms: list[float] = []
    for a, b in itertools.pairwise(points):
        seg = _arc_km(a, b)
        if seg <= MIN_SEGMENT_KM:
            continue
        n = max(1, math.ceil(seg / step_km))
        mids.extend(_interpolate(a, b, [(i + 0.5) / n for i in range(n)]))
        kms.extend([seg / n] * n)
    return mids, kms


def sample_lines(
    lines: Sequence[Sequence[Point]], *, step_km: float
) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`sample_line` for many lines at once, with numpy.

    Each segment is cut into ``ceil(length / step_km)`` equal pieces, as
    :func:`sample_line` does; the midpoints of all pieces of all lines come back together.

    Returns
    -------
    line, lons, lats, km
        For each piece: the index of its line in ``lines``, its midpoint and its length.
    """
    starts: list[Sequence[Point]] = []
    ends: list[Sequence[Point]] = []
    owner: list[int] = []
    for i, line in enumerate(lines):
        if len(line) < 2:
            continue
        starts.append(line[:-1])
        ends.append(line[1:])
        owner.extend([i] * (len(line) - 1))
    if not owner:
        empty = np.zeros(0)
        return np.zeros(0, dtype=np.int64), empty, empty, empty

    def xyz(chunks: list[Sequence[Point]]) -> NDArray[np.float64]:
        pts = np.radians(np.concatenate([np.asarray(c, dtype=np.float64) for c in chunks]))
        lon, lat = pts[:, 0], pts[:, 1]
        return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])

    a, b = xyz(starts), xyz(ends)
    # atan2 of the cross and dot products: exact for short segments too (unlike arccos)
    omega = np.arctan2(np.linalg.norm(np.cross(a, b), axis=1), np.einsum("ij,ij->i", a, b))
    seg_km = omega * EARTH_RADIUS_KM
    keep = seg_km > MIN_SEGMENT_KM
    a, b, omega, seg_km = a[keep], b[keep], omega[keep], seg_km[keep]
    seg_line = np.asarray(owner, dtype=np.int64)[keep]
    n = np.maximum(1, np.ceil(seg_km / step_km)).astype(np.int64)
    seg = np.repeat(np.arange(len(n)), n)
    first = np.cumsum(n) - n
    frac = (np.arange(int(n.sum())) - first[seg] + 0.5) / n[seg]
    om = omega[seg]
    s = np.sin(om)
    small = s < 1e-12
    s[small] = 1.0
    wa = np.where(small, 1 - frac, np.sin((1 - frac) * om) / s)
    wb = np.where(small, frac, np.sin(frac * om) / s)
    p = wa[:, None] * a[seg] + wb[:, None] * b[seg]
    lats = np.degrees(np.arctan2(p[:, 2], np.hypot(p[:, 0], p[:, 1])))
    lons = np.degrees(np.arctan2(p[:, 1], p[:, 0]))
    return seg_line[seg], lons, lats, (seg_km / n)[seg]
