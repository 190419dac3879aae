"""The compiled kernel (numba) against the interpreted one: the same routes.

Both take labels in the same order (time plus bound, cost, CO2e, label id), so they
keep and drop the same labels: equal fronts, and equal routes even where two routes tie.
"""

from __future__ import annotations

import itertools

import pytest
from _kernel import price_case
from _random_networks import Case, cases, describe
from hypothesis import given, settings
from hypothesis import strategies as st

import silkway
from silkway.compile import compile_network
from silkway.engine._jit_search import search_jit
from silkway.engine.pricing import price
from silkway.engine.query import make_query
from silkway.engine.reach import lower_bounds
from silkway.engine.search import OBJECTIVES, SearchResult, search


def _front(result: SearchResult) -> list[tuple[float, ...]]:
    return sorted(
        (round(r.hours, 6), round(r.cost_usd, 6), round(r.co2_kg, 6), r.transshipments)
        for r in result.routes
    )


def _steps(result: SearchResult) -> set[tuple[tuple[int, int], ...]]:
    return {tuple((s.arc, s.service) for s in r.steps) for r in result.routes}


objective_sets = st.sampled_from([OBJECTIVES, ("time",), ("cost", "co2"), ("time", "co2")])


@settings(max_examples=150, deadline=None)
@given(
    cases(driving=None),
    objective_sets,
    st.one_of(st.none(), st.integers(0, 2)),
    st.sampled_from([0.0, 0.0, 0.02, 0.3]),
)
def test_compiled_kernel_equals_the_interpreted_one(
    case: Case, objectives: tuple[str, ...], kmax: int | None, tolerance: float
) -> None:
    net = compile_network(case.network)
    costing = price_case(
        net,
        case.origin,
        case.destination,
        teu=case.teu,
        start_hours=case.start_hours,
        crew=case.crew,
    )
    o, d = net.places.index(case.origin), net.places.index(case.destination)
    bounds = lower_bounds(net, costing, d)
    kw = {
        "start_hours": case.start_hours,
        "objectives": objectives,
        "max_transshipments": kmax,
        "bounds": bounds,
        "tolerance": tolerance,
    }
    py = search(net, costing, o, d, **kw)  # type: ignore[arg-type]
    jit = search_jit(net, costing, o, d, **kw)  # type: ignore[arg-type]
    assert _front(jit) == _front(py), describe(case)
    # labels are taken in the same order, so even ties resolve to the same routes
    assert _steps(jit) == _steps(py), describe(case)
    # every compiled route is a route the interpreted kernel can price the same way
    for r in jit.routes:
        assert r.steps[-1].arrive_hours == pytest.approx(r.hours)
    # and the same breaks and rests on every step
    rests = {tuple((s.arc, s.rest_hours, s.breaks, s.rests) for s in r.steps) for r in py.routes}
    assert {
        tuple((s.arc, s.rest_hours, s.breaks, s.rests) for s in r.steps) for r in jit.routes
    } == rests
    assert jit.stats.complete and py.stats.complete


@settings(max_examples=80, deadline=None)
@given(cases(weather=True), st.sampled_from([0.0, 0.02]))
def test_compiled_kernel_equals_the_interpreted_one_with_storms(
    case: Case, tolerance: float
) -> None:
    """Services with storm days, some months above a probability of 0.5: both kernels add
    the same median hold (``Step.storm_hours``) and keep the same routes."""
    net = compile_network(case.network)
    costing = price_case(
        net, case.origin, case.destination, teu=case.teu, start_hours=case.start_hours
    )
    o, d = net.places.index(case.origin), net.places.index(case.destination)
    kw = {
        "start_hours": case.start_hours,
        "bounds": lower_bounds(net, costing, d),
        "tolerance": tolerance,
    }
    py = search(net, costing, o, d, **kw)  # type: ignore[arg-type]
    jit = search_jit(net, costing, o, d, **kw)  # type: ignore[arg-type]
    assert _front(jit) == _front(py), describe(case)
    assert [r.steps for r in jit.routes] == [r.steps for r in py.routes], describe(case)


PLACES = ["CN_XIA", "CN_URC", "KZ_ALA", "UZ_TAS", "AZ_BAK", "TR_IST", "DE_DUI"]


@pytest.mark.parametrize(
    "kw",
    [
        {},
        {"avoid_countries": ["RU"]},
        {"max_transshipments": 2},
        {"via": ["KZ_DOS"]},
        {"train": "express"},
        {"train": "wagonload"},
    ],
)
def test_same_fronts_on_the_bundled_network(kw: dict) -> None:
    net = compile_network(silkway.load_network())
    for o, d in itertools.permutations(PLACES, 2):
        if o == "KZ_DOS" or d == "KZ_DOS":
            continue
        q = make_query(net, o, d, depart="2026-12-07", **kw)
        costing = price(net, q)
        ix = net.places.index
        via = [ix(v) for v in q.via]
        bounds = lower_bounds(net, costing, ix(d), via)
        args = {
            "start_hours": q.start_hours,
            "max_transshipments": q.max_transshipments,
            "via": via,
            "bounds": bounds,
        }
        py = search(net, costing, ix(o), ix(d), **args)  # type: ignore[arg-type]
        jit = search_jit(net, costing, ix(o), ix(d), **args)  # type: ignore[arg-type]
        assert _front(jit) == _front(py), (o, d, kw)


def test_the_planner_uses_the_compiled_kernel_on_large_networks(
    monkeypatch: pytest.MonkeyPatch, tiny_network
) -> None:
    """With the threshold lowered, a plan goes through the compiled kernel and gives the
    same options as the interpreted one."""
    before = silkway.plan(tiny_network, "A", "E", depart="2026-12-07", uncertainty=False)
    calls: list[int] = []
    real = search_jit

    def counting(*a, **k):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr("silkway.engine.search.JIT_MIN_PLACES", 1)
    monkeypatch.setattr("silkway.engine._jit_search.search_jit", counting)
    after = silkway.plan(tiny_network, "A", "E", depart="2026-12-07", uncertainty=False)
    assert calls
    assert [(o.route, o.cost_usd, o.hours_p50) for o in after.options] == [
        (o.route, o.cost_usd, o.hours_p50) for o in before.options
    ]


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_compiled_reachability_equals_the_interpreted_one(case: Case, data) -> None:  # type: ignore[no-untyped-def]
    from silkway.engine import search as kernel
    from silkway.engine._jit_reach import min_transshipments_jit
    from silkway.engine.pricing import allowed
    from silkway.engine.reach import min_transshipments

    net = compile_network(case.network)
    q = make_query(net, case.origin, case.destination, depart="2026-12-07", as_of=1970)
    ok = allowed(net, q)
    others = [
        p for p in range(len(net.places)) if net.places.id(p) not in (case.origin, case.destination)
    ]
    via = data.draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
    o, d = net.places.index(case.origin), net.places.index(case.destination)
    expected = min_transshipments(net, ok, o, d, via)
    assert len(net.places) < kernel.JIT_MIN_PLACES  # the interpreted one ran above
    got = min_transshipments_jit(net, ok.arc_ok, ok.transfer_ok, [o, *via, d])
    assert got == expected, describe(case)
