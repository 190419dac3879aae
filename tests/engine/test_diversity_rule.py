"""The options follow diversify's documented rule, on sampled bundled relations.

Module doc of :mod:`silkway.engine.diversify`: a route's corridor is the sequence of
border points it crosses (the places on either side, whatever the mode) and the
countries it passes; two routes on one corridor are duplicates when the one taken first
is within ``DUPLICATE_TOLERANCE`` of the other, or better, on every criterion (P50,
cost, CO2e); the fastest, cheapest and cleanest routes are taken first, whatever the
sort, then the rest in sort order. So for every option that is not a champion, no
option taken before it on the same corridor is within the tolerance of it. (A champion
that doubles back gives way to a route that does not and comes within
``BACKTRACK_MARGIN`` of it: ``test_doubling_back.py``.)
"""

from __future__ import annotations

import itertools
import random

import pytest
from _backtrack import champion

import silkway
from silkway.engine.diversify import DUPLICATE_TOLERANCE, MARGINAL_GAIN

SORT_KEYS = {
    "time": lambda o: (o.hours_p50, o.cost_usd, o.co2e_wtw_kg),
    "cost": lambda o: (o.cost_usd, o.hours_p50, o.co2e_wtw_kg),
    "co2": lambda o: (o.co2e_wtw_kg, o.hours_p50, o.cost_usd),
}


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


def identity(option) -> tuple:
    return (option.route, option.modes, tuple(leg.link_id for leg in option.legs))


def corridor(option) -> tuple:
    return (tuple((b.from_id, b.to_id) for b in option.borders), option.countries)


def within(a, b, tolerance: float) -> bool:
    """``a`` within ``1 + tolerance`` of ``b``, or better, on every criterion."""
    return all(x <= y * (1.0 + tolerance) + 1e-9 for x, y in zip(a, b, strict=True))


def criteria(option) -> tuple[float, float, float]:
    return (option.hours_p50, option.cost_usd, option.co2e_wtw_kg)


@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_no_option_duplicates_one_taken_before_it(net, sort: str) -> None:
    ids = sorted(net.network.places)
    # three relations known to offer several options on one corridor (so the check is
    # never vacuous), then a random sample
    pairs = [("PL_WAW", "GE_POT"), ("PL_WAW", "CN_SHA"), ("CN_SHA", "PL_MAL")]
    pairs += random.Random(sort).sample(list(itertools.permutations(ids, 2)), 80)
    seen_pairs = 0
    for o, d in pairs:
        kw = {"depart": "2026-12-07", "samples": 200, "seed": 1}
        try:
            everything = silkway.plan(net, o, d, all_options=True, **kw)
            r = silkway.plan(net, o, d, sort=sort, max_options=6, **kw)
        except silkway.NoRouteError:
            continue
        champions = {identity(champion(everything.options, k, d)) for k in SORT_KEYS.values()}
        assert champions <= {identity(x) for x in r.options}, (o, d)
        # the order options were taken in: champions, then the rest by the sort key
        taken = sorted(r.options, key=lambda x: (identity(x) not in champions, SORT_KEYS[sort](x)))
        for i, c in enumerate(taken):
            if identity(c) in champions:
                continue
            for x in taken[:i]:
                if corridor(x) == corridor(c):
                    seen_pairs += 1
                    assert not within(criteria(x), criteria(c), DUPLICATE_TOLERANCE), (
                        o,
                        d,
                        x.route,
                        c.route,
                    )
    assert seen_pairs >= 1


@pytest.mark.parametrize("sort", list(SORT_KEYS))
def test_no_other_option_is_marginal_against_one_taken_before_it(net, sort: str) -> None:
    """A route that is not a champion is left out when an option taken before it is
    within MARGINAL_GAIN of it on every criterion and better by more than the duplicate
    tolerance on one; the long-haul relations to Istanbul once offered rail via
    Duisburg, 65 % dearer and days slower, for 1 % less CO2e."""
    ids = sorted(net.network.places)
    pairs = [("CN_XIA", "TR_IST"), ("CN_URC", "TR_IST"), ("UZ_TAS", "TR_IST")]
    pairs += random.Random(f"marginal-{sort}").sample(list(itertools.permutations(ids, 2)), 60)
    checked = 0
    for o, d in pairs:
        kw = {"depart": "2026-12-07", "samples": 200, "seed": 1}
        try:
            everything = silkway.plan(net, o, d, all_options=True, **kw)
            r = silkway.plan(net, o, d, sort=sort, max_options=6, **kw)
        except silkway.NoRouteError:
            continue
        champions = {identity(champion(everything.options, k, d)) for k in SORT_KEYS.values()}
        taken = sorted(r.options, key=lambda x: (identity(x) not in champions, SORT_KEYS[sort](x)))
        for i, c in enumerate(taken):
            if identity(c) in champions:
                continue
            checked += 1
            for x in taken[:i]:
                marginal = within(criteria(x), criteria(c), MARGINAL_GAIN) and not within(
                    criteria(c), criteria(x), DUPLICATE_TOLERANCE
                )
                assert not marginal, (o, d, c.route)
    assert checked >= 5
