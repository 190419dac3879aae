"""A large network (576 places, above the planner's JIT threshold): both kernels agree.

The planner runs the compiled kernel (:mod:`silkway.engine._jit`) on networks of
``JIT_MIN_PLACES`` places or more, and the interpreted one below; its module doc says
both are the same label setting "same results up to ties between routes with equal
criteria". Here a seeded 24 x 24 grid of places (KZ west, UZ east, rail and road
links with random lengths, tariffs and border posts, road-rail transshipments at half
the places) is planned with each kernel.
"""

from __future__ import annotations

import math
import random

import pytest

import silkway
from silkway.compile import compile_network
from silkway.engine import search as kernel
from silkway.engine.pricing import price
from silkway.engine.query import make_query
from silkway.engine.reach import lower_bounds
from silkway.engine.search import search
from silkway.model.records import (
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Source,
    Transfer,
)
from silkway.model.validate import validate

SIDE = 24


def grid(side: int = SIDE, seed: int = 0) -> Network:
    rng = random.Random(seed)
    places = {}
    for r in range(side):
        for c in range(side):
            pid = f"P{r}_{c}"
            country = "KZ" if c < side // 2 else "UZ"
            places[pid] = Place(pid, pid, country, 40 + 0.2 * r, 60 + 0.2 * c, "city")
    links: dict[str, Link] = {}
    crossings: dict[str, Crossing] = {}
    transfers: dict[str, Transfer] = {}
    for r in range(side):
        for c in range(side):
            for dr, dc in ((0, 1), (1, 0)):
                r2, c2 = r + dr, c + dc
                if r2 >= side or c2 >= side:
                    continue
                a, b = f"P{r}_{c}", f"P{r2}_{c2}"
                for mode in ("rail", "road"):
                    if rng.random() < 0.35:
                        continue
                    lid = f"{mode}_{a}_{b}"
                    km = 40.0 * rng.choice([1, 1.25, 1.5, 2])
                    per_km = (
                        rng.choice([0.25, 0.5, 1.0, 1.5])
                        if mode == "road"
                        else rng.choice([0.25, 0.5])
                    )
                    links[lid] = Link(
                        lid,
                        a,
                        b,
                        mode,
                        km,
                        ("container",),
                        gauge_mm=1520 if mode == "rail" else None,
                        speed_kmh=40.0 if mode == "road" else 80.0,
                        cost_per_km_usd=per_km,
                        emission_factor=f"ef_{mode}",
                    )
                    if places[a].country != places[b].country:
                        for start in (a, b):
                            cid = f"x_{lid}_{start}"
                            crossings[cid] = Crossing(
                                cid,
                                lid,
                                start,
                                "x",
                                Dwell(rng.choice([1.0, 4.0, 12.0]), 20.0),
                                cost_usd=50.0,
                                open_days=rng.choice([(0, 1, 2, 3, 4, 5, 6), (0, 1, 2, 3, 4)]),
                            )
            if rng.random() < 0.5:
                pid = f"P{r}_{c}"
                transfers[f"t_{pid}"] = Transfer(
                    f"t_{pid}",
                    pid,
                    "transshipment",
                    "rail",
                    1520,
                    "road",
                    None,
                    Dwell(rng.choice([2.0, 6.0]), 8.0),
                    cost_usd=rng.choice([20.0, 80.0]),
                )
    return Network(
        name="grid",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "t")},
        parameters={"payload_t_per_teu": Parameter("payload_t_per_teu", 10.0, "t")},
        places=places,
        links=links,
        transfers=transfers,
        crossings=crossings,
        services={},
        emission_factors={
            "ef_rail": EmissionFactor("ef_rail", "rail", "electric", 20.0, 0.0),
            "ef_road": EmissionFactor("ef_road", "road", "diesel", 80.0, 60.0),
        },
    )


@pytest.fixture(scope="module")
def net():
    network = grid()
    assert not [p for p in validate(network) if p.severity == "error"]
    compiled = compile_network(network)
    assert len(compiled.places) >= kernel.JIT_MIN_PLACES
    return compiled


def front(result) -> list[tuple[float, float, float]]:
    return sorted(
        (round(o.hours_median_basis, 6), round(o.cost_usd, 6), round(o.co2e_wtw_kg, 6))
        for o in result.options
    )


def _plan_both(net, monkeypatch, origin, destination, via):
    kw = {"depart": "2026-12-07", "uncertainty": False, "all_options": True, "via": via}
    compiled = silkway.plan(net, origin, destination, **kw)
    monkeypatch.setattr(kernel, "JIT_MIN_PLACES", 10**9)
    interpreted = silkway.plan(net, origin, destination, **kw)
    monkeypatch.undo()
    return compiled, interpreted


QUERIES = [
    ("P5_17", "P2_16", []),
    ("P10_21", "P5_0", ["P21_3"]),
    ("P20_19", "P1_5", []),
    ("P16_4", "P8_22", ["P4_0"]),
]


@pytest.mark.parametrize(("origin", "destination", "via"), QUERIES)
def test_the_kernels_agree(net, monkeypatch, origin: str, destination: str, via) -> None:
    compiled, interpreted = _plan_both(net, monkeypatch, origin, destination, via)
    assert front(compiled) == front(interpreted)


def _places(option) -> list[str]:
    return [option.legs[0].from_id, *(leg.to_id for leg in option.legs)]


def test_every_route_of_either_kernel_is_real(net, monkeypatch) -> None:
    """Whatever the kernels disagree on below, each returns simple paths through the
    via place whose cost adds up, none dominating another."""
    compiled, interpreted = _plan_both(net, monkeypatch, "P16_15", "P18_11", ["P0_2"])
    for result in (compiled, interpreted):
        crit = front(result)
        for a in crit:
            assert not any(b != a and all(x <= y for x, y in zip(b, a, strict=True)) for b in crit)
        for o in result.options:
            places = _places(o)
            assert len(places) == len(set(places)) and "P0_2" in places
            assert o.cost_usd == pytest.approx(sum(leg.cost_usd for leg in o.legs))


def test_the_kernels_agree_with_via_on_the_grid(net, monkeypatch) -> None:
    compiled, interpreted = _plan_both(net, monkeypatch, "P16_15", "P18_11", ["P0_2"])
    assert front(compiled) == front(interpreted)


def test_the_interpreted_front_is_within_the_compiled_one(net) -> None:
    """The same difference at the kernel level, with the planner's bounds: the
    interpreted front is a subset of the compiled one (documenting the xfail above;
    if the kernels come to agree this still holds)."""
    from silkway.engine._jit_search import search_jit

    q = make_query(net, "P16_15", "P18_11", depart="2026-12-07", via=["P0_2"])
    costing = price(net, q)
    ix = net.places.index
    via = [ix(v) for v in q.via]
    kw = {
        "start_hours": q.start_hours,
        "via": via,
        "bounds": lower_bounds(net, costing, ix(q.destination), via),
    }
    py = search(net, costing, ix(q.origin), ix(q.destination), **kw)
    jit = search_jit(net, costing, ix(q.origin), ix(q.destination), **kw)
    assert {r.criteria() for r in py.routes} <= {r.criteria() for r in jit.routes}


def test_compiled_reachability_equals_the_interpreted_one(net, monkeypatch) -> None:
    """min_transshipments runs compiled above the threshold too: the same answer (count
    or None) as the interpreted 0-1 BFS, under via places, avoided places and modes."""
    from silkway.engine import reach
    from silkway.engine.pricing import allowed

    rng = random.Random(2)
    ids = list(net.network.places)
    unreachable = 0
    for _ in range(150):
        o, d = rng.sample(ids, 2)
        others = [x for x in ids if x not in (o, d)]
        via = rng.sample(others, rng.choice([0, 1, 2]))
        avoid = rng.sample([x for x in others if x not in via], rng.choice([0, 5, 50, 200]))
        modes = rng.choice([None, ["rail"], ["road"]])
        q = make_query(net, o, d, depart="2026-12-07", via=via, avoid_places=avoid, modes=modes)
        ix = net.places.index
        args = (net, allowed(net, q), ix(o), ix(d), [ix(v) for v in via])
        monkeypatch.setattr(kernel, "JIT_MIN_PLACES", 1)
        compiled = reach.min_transshipments(*args)
        monkeypatch.setattr(kernel, "JIT_MIN_PLACES", 10**9)
        interpreted = reach.min_transshipments(*args)
        assert compiled == interpreted, (o, d, via, len(avoid), modes)
        unreachable += compiled is None
    assert 0 < unreachable < 150


def _dominated_by(v, front) -> bool:
    return any(all(a <= b + 1e-9 for a, b in zip(u, v, strict=True)) for u in front)


@pytest.mark.xfail(
    strict=True,
    reason="the fast search misses Pareto routes on this grid: P16_15 -> P18_11 via "
    "P0_2 gives 4 routes, but avoiding the single place P11_6 gives a route of 42.875 "
    "h, 1325 USD, 1340 kg that none of the 4 dominates (the 42.625 h route costs "
    "1347.5, the 43.25 h one 1292.5); an extra constraint cannot create a route, so "
    "the unconstrained answer is not the Pareto set (the exact search, stopped after "
    "25 min, finds this route too); the planner runs the exact search only when the "
    "fast one finds nothing",
)
def test_avoiding_a_place_reveals_no_better_route_on_the_grid(net) -> None:
    kw = {"via": ["P0_2"], "depart": "2026-12-07", "uncertainty": False, "all_options": True}
    free = silkway.plan(net, "P16_15", "P18_11", **kw)
    avoided = silkway.plan(net, "P16_15", "P18_11", avoid_places=["P11_6"], **kw)
    front = [(o.hours_median_basis, o.cost_usd, o.co2e_wtw_kg) for o in free.options]
    for o in avoided.options:
        assert _dominated_by((o.hours_median_basis, o.cost_usd, o.co2e_wtw_kg), front)


def test_large_networks_default_to_a_tolerance() -> None:
    """From LARGE_NETWORK_PLACES places the default tolerance is AUTO_TOLERANCE; an
    explicit 0 asks for the exact Pareto set."""
    from silkway.engine.query import AUTO_TOLERANCE, LARGE_NETWORK_PLACES

    side = math.isqrt(LARGE_NETWORK_PLACES - 1) + 1
    big = compile_network(grid(side))
    assert len(big.places) >= LARGE_NETWORK_PLACES
    assert make_query(big, "P0_0", "P1_1", depart="2026-12-07").tolerance == AUTO_TOLERANCE
    assert make_query(big, "P0_0", "P1_1", depart="2026-12-07", tolerance=0).tolerance == 0.0
    small = compile_network(grid(side - 2))
    assert len(small.places) < LARGE_NETWORK_PLACES
    assert make_query(small, "P0_0", "P1_1", depart="2026-12-07").tolerance == 0.0
