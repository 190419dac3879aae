"""The one-to-all search agrees with the planner, pair by pair.

For every origin and destination, the route :func:`best_routes` picks by a criterion
(one search from the origin towards every place) has the criteria of the one option
:func:`silkway.plan` gives for that sort with ``max_options=1`` and medians only (its
champion by that criterion, from one search per pair with target pruning): on random
networks for every pair, exactly (their arithmetic is binary-exact, see
``_random_networks``), and on a sample of the bundled network's pairs. A pair the
planner finds no route for gets none either.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace

import pytest
from _kernel import FRAME
from _random_networks import cases, describe
from hypothesis import given, settings
from hypothesis import strategies as st

from silkway import NoRouteError
from silkway.compile import CompiledNetwork, compile_network
from silkway.engine.cargo import Cargo
from silkway.engine.onetoall import best_routes, search_all
from silkway.engine.planner import run
from silkway.engine.pricing import allowed, price
from silkway.engine.query import MIN_YEAR, Query, make_query
from silkway.engine.search import Route
from silkway.model import load_network

SORTS = ("time", "cost", "co2")


def planner_best(net: CompiledNetwork, query: Query) -> tuple[float, float, float] | None:
    """Criteria of the planner's one option for ``max_options=1`` (its champion by the
    query's sort, medians only), or None for no route."""
    try:
        result = run(net, query)
    except NoRouteError:
        return None
    o = result.options[0]
    return (o.hours_median_basis, o.cost_usd, o.co2e_wtw_kg)


def compare_all(net: CompiledNetwork, base: Query, *, exact: bool, origins: list[str]) -> int:
    """Compare every pair from ``origins``; return how many pairs had a route."""
    ok = allowed(net, base)
    costing = price(net, base, ok)
    ids = net.places.ids
    reached = 0
    for origin in origins:
        query = replace(base, origin=origin)
        routes, complete = best_routes(net, query, costing, ok, range(len(ids)), sort=base.sort)
        assert complete
        for d, route in enumerate(routes):
            if ids[d] == origin:
                assert route is None
                continue
            want = planner_best(net, replace(query, destination=ids[d]))
            got = None if route is None else route.criteria()
            if want is None or got is None:
                assert want == got, (origin, ids[d], want, got)
                continue
            reached += 1
            if exact:
                assert got == want, (origin, ids[d], base.sort)
            else:
                assert got == pytest.approx(want, rel=1e-9, abs=1e-9), (origin, ids[d], base.sort)
    return reached


@settings(max_examples=150, deadline=None)
@given(cases(max_places=5, driving=None), st.sampled_from(SORTS))
def test_random_networks_every_pair(case: object, sort: str) -> None:
    net = compile_network(case.network)  # type: ignore[attr-defined]
    base = make_query(
        net,
        case.origin,  # type: ignore[attr-defined]
        case.destination,  # type: ignore[attr-defined]
        cargo=Cargo(case.teu, "TEU", "container"),  # type: ignore[attr-defined]
        depart=FRAME + dt.timedelta(hours=case.start_hours),  # type: ignore[attr-defined]
        as_of=MIN_YEAR,
        crew=case.crew,  # type: ignore[attr-defined]
        sort=sort,
        uncertainty=False,
        max_options=1,
        time_limit=None,
    )
    try:
        compare_all(net, base, exact=True, origins=list(net.places.ids))
    except AssertionError as exc:
        raise AssertionError(f"{exc}\n{describe(case)}") from None  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def bundled() -> CompiledNetwork:
    return compile_network(load_network())


@pytest.mark.parametrize("sort", SORTS)
def test_bundled_sample_of_origins(bundled: CompiledNetwork, sort: str) -> None:
    origins = random.Random(7).sample(list(bundled.places.ids), 4)
    base = make_query(
        bundled,
        "CN_XIA",
        "TR_IST",
        depart="2026-12-07",
        sort=sort,
        uncertainty=False,
        max_options=1,
    )
    assert compare_all(bundled, base, exact=False, origins=origins) > 250


def test_routes_are_the_pareto_set_by_time(bundled: CompiledNetwork) -> None:
    query = make_query(bundled, "CN_XIA", "KZ_ALA", depart="2026-12-07", uncertainty=False)
    found = search_all(
        bundled,
        price(bundled, query),
        bundled.places.index("CN_XIA"),
        start_hours=query.start_hours,
    )
    routes: list[Route] = found.routes(bundled.places.index("TR_IST"))
    assert routes and routes == sorted(routes, key=lambda r: r.criteria())
    for r in routes:
        assert not any(
            o is not r and all(a <= b for a, b in zip(o.criteria(), r.criteria(), strict=True))
            for o in routes
        )
    assert found.best(bundled.places.index("TR_IST"), "time") == routes[0]
    assert found.best(bundled.places.index("CN_XIA")) is None  # the origin itself


@pytest.mark.parametrize("sort", SORTS)
def test_compiled_kernel_gives_the_same_routes(
    bundled: CompiledNetwork, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From ``JIT_MIN_PLACES`` places the one-to-all search runs compiled: same routes."""
    query = make_query(bundled, "CN_XIA", "TR_IST", depart="2026-12-07", uncertainty=False)
    ok = allowed(bundled, query)
    costing = price(bundled, query, ok)
    every = range(len(bundled.places))
    for origin in ("CN_XIA", "KZ_ALA", "GE_POT"):
        at = replace(query, origin=origin)
        interpreted, _ = best_routes(bundled, at, costing, ok, every, sort=sort)
        with monkeypatch.context() as m:
            m.setattr("silkway.engine.search.JIT_MIN_PLACES", 1)
            compiled, complete = best_routes(bundled, at, costing, ok, every, sort=sort)
        assert complete
        assert compiled == interpreted, origin
