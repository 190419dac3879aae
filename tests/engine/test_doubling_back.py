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

import itertools
import random
import re

import pytest
from _backtrack import COORDS, backtrack_km, haversine

import silkway
from silkway.engine.diversify import BACKTRACK_MARGIN


@pytest.fixture(scope="module")
def coords() -> dict[str, tuple[float, float]]:
    return COORDS


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


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
