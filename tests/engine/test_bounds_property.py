"""The lower bounds of the planner's target pruning, on random small networks.

``test_search_property`` checks the kernel against a brute force *without* bounds; the
planner always searches *with* the lower bounds of :func:`silkway.engine.reach.lower_bounds`.
Here (the bounds themselves are checked against scipy in ``test_no_route``):

* the exact search with bounds (and a transshipment limit or fewer objectives) equals
  the brute force's Pareto front, as without bounds;
* the fast search with bounds returns only real Pareto-incomparable routes.
"""

from __future__ import annotations

import numpy as np
from _kernel import price_case
from _random_networks import Case, cases, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_search_property import brute_force, pareto, project, rounded

from silkway.compile import compile_network
from silkway.engine.reach import _dijkstra_scipy, dijkstra_to, lower_bounds
from silkway.engine.search import OBJECTIVES, search


def _setup(case: Case):
    net = compile_network(case.network)
    costing = price_case(
        net, case.origin, case.destination, teu=case.teu, start_hours=case.start_hours
    )
    d = net.places.index(case.destination)
    return net, costing, d, lower_bounds(net, costing, d)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=cases(),
    objectives=st.sampled_from([OBJECTIVES, ("time", "cost"), ("cost", "co2"), ("time",)]),
    kmax=st.sampled_from([None, 0, 1, 2]),
)
def test_exact_search_with_bounds_equals_brute_force(
    case: Case, objectives: tuple[str, ...], kmax: int | None
) -> None:
    net, costing, d, bounds = _setup(case)
    found = search(
        net,
        costing,
        net.places.index(case.origin),
        d,
        start_hours=case.start_hours,
        objectives=objectives,
        max_transshipments=kmax,
        bounds=bounds,
        exact=True,
    )
    with_k = kmax is not None
    got = {project_route(r, objectives, with_k) for r in found.routes}
    paths = brute_force(case.network, case, kmax)
    want = pareto({project(p, objectives, with_k) for p in paths})
    assert rounded(got) == rounded(want), describe(case)


def project_route(route, objectives: tuple[str, ...], with_k: bool) -> tuple[float, ...]:
    v = tuple(x for o, x in zip(OBJECTIVES, route.criteria(), strict=True) if o in objectives)
    return (*v, float(route.transshipments)) if with_k else v


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_fast_search_with_bounds_returns_real_pareto_routes(case: Case) -> None:
    net, costing, d, bounds = _setup(case)
    found = search(
        net,
        costing,
        net.places.index(case.origin),
        d,
        start_hours=case.start_hours,
        bounds=bounds,
    )
    priced = {p.steps: (p.hours, p.cost, p.co2) for p in brute_force(case.network, case, None)}
    crit = [r.criteria() for r in found.routes]
    assert pareto(set(crit)) == set(crit)
    for r in found.routes:
        steps = tuple(
            (
                net.links.id(int(net.arc_link[s.arc])),
                *net.arc_direction(s.arc),
                net.services.id(s.service) if s.service >= 0 else None,
            )
            for s in r.steps
        )
        assert steps in priced, describe(case)
        assert rounded([r.criteria()]) == rounded([priced[steps]]), describe(case)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=cases(),
    data=st.data(),
)
def test_scipy_bounds_equal_the_interpreted_dijkstra(case: Case, data) -> None:  # type: ignore[no-untyped-def]
    """Large networks take their bounds from scipy: the same numbers, whatever the
    weights (zeros, unusable arcs, parallel arcs of different weights)."""
    net = compile_network(case.network)
    n_arcs = net.arc_to.shape[0]
    weights = np.array(
        data.draw(
            st.lists(
                st.sampled_from([0.0, 1.0, 2.5, 7.0, float("inf")]),
                min_size=n_arcs,
                max_size=n_arcs,
            )
        )
    )
    targets = sorted(set(data.draw(st.lists(st.integers(0, len(net.places) - 1), min_size=1))))
    got = _dijkstra_scipy(net, weights, targets)
    want = [dijkstra_to(net, weights.tolist(), t) for t in targets]
    assert got == want, describe(case)
