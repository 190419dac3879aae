"""Diversify's doubling-back rule, recomputed from places.csv for the option tests.

A route *doubles back* when, after having been within some great-circle distance of the
destination, it later moves more than ``max(300 km, 15 %`` of the origin-destination
distance) farther away (haversine on places.csv); the best route by a criterion is a
champion unless it doubles back and a route that does not comes within
``BACKTRACK_MARGIN`` of it on that criterion (:mod:`silkway.engine.diversify`).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import silkway
from silkway.engine.diversify import BACKTRACK_MARGIN

PLACES_CSV = Path(silkway.__file__).parent / "data" / "default" / "places.csv"
EARTH_KM = 6371.0088

with PLACES_CSV.open(encoding="utf-8", newline="") as _handle:
    COORDS: dict[str, tuple[float, float]] = {
        r["id"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(_handle)
    }


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    x = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(x)))


def backtrack_km(option: Any, coords: dict[str, tuple[float, float]], destination: str) -> float:
    places = [option.legs[0].from_id, *(leg.to_id for leg in option.legs)]
    dist = [haversine(coords[p], coords[destination]) for p in places]
    return max([0.0, *(dist[i] - min(dist[:i]) for i in range(1, len(dist)))])


def backtrack_limit(origin: str, destination: str) -> float:
    """Km a route may move back away from the destination without doubling back."""
    return max(300.0, 0.15 * haversine(COORDS[origin], COORDS[destination]))


def champion(
    options: Sequence[Any], key: Callable[[Any], tuple[float, ...]], destination: str
) -> Any:
    """The best option by ``key``, unless it doubles back and one that does not comes
    within ``BACKTRACK_MARGIN`` of it on the criterion ``key`` ranks first by."""
    best = min(options, key=key)
    limit = backtrack_limit(options[0].legs[0].from_id, destination)
    if backtrack_km(best, COORDS, destination) <= limit:
        return best
    straight = [x for x in options if backtrack_km(x, COORDS, destination) <= limit]
    if not straight:
        return best
    alternative = min(straight, key=key)
    return (
        alternative if key(alternative)[0] <= key(best)[0] * (1 + BACKTRACK_MARGIN) + 1e-9 else best
    )
