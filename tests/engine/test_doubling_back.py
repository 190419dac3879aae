"""Routes that double back are offered only as champions, and always with a warning.

Diversify's rule (module doc of :mod:`silkway.engine.diversify`): a route *doubles
back* when, after having been within some great-circle distance of the destination, it
later moves more than ``max(300 km, 15 %`` of the origin-destination distance) farther
away; such a route is offered only when it is the fastest, cheapest or cleanest of the
Pareto set, and more than ``BACKTRACK_MARGIN`` (10 %) better on that criterion than every
route that does not double back. Recomputed here from places.csv with the haversine
formula, on a seeded sample of bundled origin-destination pairs.
"""

from __future__ import annotations

import csv
import itertools
import math
import random
import re
from pathlib import Path

import pytest

import silkway
from silkway.engine.diversify import BACKTRACK_MARGIN

PLACES_CSV = Path(silkway.__file__).parent / "data" / "default" / "places.csv"
EARTH_KM = 6371.0088


def haversine(a: tuple[float, float], b: tuple[float, float]) -> float:
    p1, p2 = math.radians(a[0]), math.radians(b[0])
    dp, dl = p2 - p1, math.radians(b[1] - a[1])
    x = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(x)))


@pytest.fixture(scope="module")
def coords() -> dict[str, tuple[float, float]]:
    with PLACES_CSV.open(encoding="utf-8", newline="") as handle:
        return {r["id"]: (float(r["lat"]), float(r["lon"])) for r in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


def backtrack_km(option, coords, destination: str) -> float:
    places = [option.legs[0].from_id, *(leg.to_id for leg in option.legs)]
    dist = [haversine(coords[p], coords[destination]) for p in places]
    return max([0.0, *(dist[i] - min(dist[:i]) for i in range(1, len(dist)))])


CRITERIA = (
    lambda x: x.hours_p50,
    lambda x: x.cost_usd,
    lambda x: x.co2e_wtw_kg,
)


def test_doubling_back_only_for_champions_and_always_warned(net, coords) -> None:
    pairs = list(itertools.permutations(sorted(coords), 2))
    planned = doubled = 0
    for o, d in random.Random(3).sample(pairs, 150):
        kw = {"depart": "2026-12-07", "samples": 100}
        try:
            everything = silkway.plan(net, o, d, all_options=True, **kw)
            r = silkway.plan(net, o, d, **kw)
        except silkway.NoRouteError:
            continue
        planned += 1
        direct = haversine(coords[o], coords[d])
        limit = max(300.0, 0.15 * direct)
        straight = [x for x in everything.options if backtrack_km(x, coords, d) < limit - 1]
        warned = {
            int(m.group(1)) for w in r.warnings if (m := re.match(r"option (\d+) doubles back", w))
        }
        for opt in r.options:
            back = backtrack_km(opt, coords, d)
            # a margin of 1 km either side of the threshold for rounding
            if back > limit + 1:
                doubled += 1
                leads = [
                    min(measure(x) for x in everything.options) == measure(opt)
                    and all(measure(x) > measure(opt) * (1 + BACKTRACK_MARGIN) for x in straight)
                    for measure in CRITERIA
                ]
                assert any(leads), (o, d, opt.route)
                assert opt.rank in warned, (o, d, opt.rank, r.warnings)
            elif back < limit - 1:
                assert opt.rank not in warned, (o, d, opt.rank, r.warnings)
    assert planned >= 50 and doubled >= 5
