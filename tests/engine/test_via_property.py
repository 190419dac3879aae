"""``via`` on random small networks, against the brute force of ``test_search_property``.

The brute force prices every simple path; the paths that pass the via places in order
are the candidates, and their Pareto front is what the exact search with ``via`` must
return (the exact search is exact over simple paths on any network). The fast search
and the planner must return only such paths, none dominating another; reachability
with via places must be a necessary condition.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _kernel import price_case
from _random_networks import Case, cases, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_search_property import brute_force, pareto, rounded

import silkway
from silkway.compile import compile_network
from silkway.engine.pricing import allowed, price
from silkway.engine.query import MIN_YEAR, make_query
from silkway.engine.reach import lower_bounds, min_transshipments
from silkway.engine.search import search

FRAME = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)  # a Monday 00:00 UTC


def passes_in_order(steps, via: list[str]) -> bool:
    places = [steps[0][1], *(s[2] for s in steps)]
    at = [places.index(v) if v in places else -1 for v in via]
    return all(i >= 0 for i in at) and at == sorted(at)


@st.composite
def via_cases(draw: st.DrawFn) -> tuple[Case, list[str]]:
    case = draw(cases(min_places=4, max_places=6, max_links=10))
    others = [p for p in case.network.places if p not in (case.origin, case.destination)]
    via = draw(st.lists(st.sampled_from(others), min_size=1, max_size=2, unique=True))
    return case, via


def _search(case: Case, via: list[str], *, exact: bool):
    net = compile_network(case.network)
    costing = price_case(
        net, case.origin, case.destination, teu=case.teu, start_hours=case.start_hours
    )
    o, d = net.places.index(case.origin), net.places.index(case.destination)
    v = [net.places.index(p) for p in via]
    found = search(
        net,
        costing,
        o,
        d,
        start_hours=case.start_hours,
        via=v,
        exact=exact,
        bounds=lower_bounds(net, costing, d, v),
    )
    return net, found.routes


def _steps(net, route) -> tuple[tuple[str, str, str, str | None], ...]:
    """(link, from, to, service) of each step, as the brute force lists them."""
    return tuple(
        (
            net.links.id(int(net.arc_link[s.arc])),
            *net.arc_direction(s.arc),
            net.services.id(s.service) if s.service >= 0 else None,
        )
        for s in route.steps
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vc=via_cases())
def test_exact_search_with_via_equals_brute_force(vc) -> None:
    case, via = vc
    wanted = [p for p in brute_force(case.network, case, None) if passes_in_order(p.steps, via)]
    front = pareto({(p.hours, p.cost, p.co2) for p in wanted})
    net, routes = _search(case, via, exact=True)
    got = {r.criteria() for r in routes}
    assert rounded(got) == rounded(front), f"via {via}\n" + describe(case)
    for r in routes:
        assert passes_in_order(_steps(net, r), via)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vc=via_cases())
def test_fast_search_with_via_returns_real_paths_through_the_via(vc) -> None:
    case, via = vc
    priced = {
        p.steps: (p.hours, p.cost, p.co2)
        for p in brute_force(case.network, case, None)
        if passes_in_order(p.steps, via)
    }
    net, routes = _search(case, via, exact=False)
    crit = [r.criteria() for r in routes]
    assert pareto(set(crit)) == set(crit)
    for r in routes:
        steps = _steps(net, r)
        assert steps in priced, f"via {via}\n" + describe(case)
        assert rounded([r.criteria()]) == rounded([priced[steps]])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(vc=via_cases())
def test_planner_with_via(vc) -> None:
    """The planner's options pass every via place in order; when it says no route,
    the brute force finds none either (the exact fallback rules out a false no)."""
    case, via = vc
    network = compile_network(case.network)
    depart = FRAME + dt.timedelta(hours=case.start_hours)
    query = make_query(
        network,
        case.origin,
        case.destination,
        via=via,
        depart=depart,
        cargo=f"{case.teu}xTEU",
        as_of=MIN_YEAR,
    )
    kmin = min_transshipments(
        network,
        allowed(network, query),
        network.places.index(case.origin),
        network.places.index(case.destination),
        [network.places.index(v) for v in via],
    )
    wanted = [p for p in brute_force(case.network, case, None) if passes_in_order(p.steps, via)]
    if wanted:
        assert kmin is not None and kmin <= min(p.k for p in wanted), describe(case)
    try:
        r = silkway.plan(
            network,
            case.origin,
            case.destination,
            via=via,
            depart=depart,
            cargo=f"{case.teu}xTEU",
            as_of=MIN_YEAR,
            uncertainty=False,
            all_options=True,
        )
    except silkway.NoRouteError:
        assert not wanted, f"via {via}\n" + describe(case)
        return
    assert r.options
    for o in r.options:
        steps = tuple((leg.link_id, leg.from_id, leg.to_id, None) for leg in o.legs)
        assert passes_in_order(steps, via)
    assert price(network, query) is not None


@pytest.mark.parametrize("via", [["B"], ["F"], ["B", "C"], ["F", "C"]])
def test_via_on_tiny(tiny_network, via: list[str]) -> None:
    """Tiny: A-B-C rail or A-F-C road, then C-D-E. Via B forces rail, via F road."""
    r = silkway.plan(
        compile_network(tiny_network), "A", "E", via=via, depart="2026-12-07", uncertainty=False
    )
    for o in r.options:
        places = [o.legs[0].from_id, *(leg.to_id for leg in o.legs)]
        assert all(v in places for v in via)
        first = o.legs[0].link_id
        assert first == ("AB" if via[0] == "B" else "AF")
