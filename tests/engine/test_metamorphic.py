"""An extra constraint never reveals a better route (metamorphic test).

Avoiding a place or a country, or allowing fewer modes, only removes routes: every
route found under the extra constraint must be weakly dominated (median-basis time,
cost, CO2e) by a route of the unconstrained Pareto set. Checked through the planner on
the bundled network (for every place on the unconstrained options, avoided one at a
time), and through the exact search on random small networks.
"""

from __future__ import annotations

import datetime as dt

import pytest
from _kernel import price_case
from _random_networks import cases, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import silkway
from silkway.compile import compile_network
from silkway.engine.cargo import Cargo
from silkway.engine.pricing import price
from silkway.engine.query import MIN_YEAR, make_query
from silkway.engine.search import search

DEPART = "2026-12-07"


def dominated_by(v, front) -> bool:
    return any(all(a <= b + 1e-9 for a, b in zip(u, v, strict=True)) for u in front)


def crit(o) -> tuple[float, float, float]:
    return (o.hours_median_basis, o.cost_usd, o.co2e_wtw_kg)


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Xi'an", "Istanbul"), ("Chongqing", "Duisburg"), ("Kashgar", "Tashkent")],
)
def test_bundled_extra_constraints_reveal_nothing(net, origin: str, destination: str) -> None:
    kw = {"depart": DEPART, "uncertainty": False, "all_options": True}
    free = silkway.plan(net, origin, destination, **kw)
    front = [crit(o) for o in free.options]
    ends = {free.query["origin"]["id"], free.query["destination"]["id"]}
    inner = sorted({leg.to_id for o in free.options for leg in o.legs} - ends)
    countries = sorted({c for o in free.options for c in o.countries})
    extra = [{"avoid_places": [p]} for p in inner]
    extra += [{"avoid_countries": [c]} for c in countries]
    extra += [{"modes": ["rail", "road", "ferry", "sea"]}, {"modes": ["rail", "ferry"]}]
    extra += [{"max_transshipments": k} for k in (0, 1, 2)]
    tried = 0
    for more in extra:
        try:
            r = silkway.plan(net, origin, destination, **kw, **more)
        except (silkway.NoRouteError, silkway.QueryError):
            continue
        tried += 1
        for o in r.options:
            assert dominated_by(crit(o), front), (more, crit(o))
    assert tried >= 5


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), data=st.data())
def test_exact_search_extra_constraints_reveal_nothing(case, data) -> None:
    network = compile_network(case.network)
    o, d = network.places.index(case.origin), network.places.index(case.destination)
    costing = price_case(
        network, case.origin, case.destination, teu=case.teu, start_hours=case.start_hours
    )
    free = search(network, costing, o, d, start_hours=case.start_hours, exact=True)
    front = [r.criteria() for r in free.routes]
    others = [p for p in case.network.places if p not in (case.origin, case.destination)]
    avoid = data.draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else []
    modes = data.draw(st.sampled_from([None, ["rail"], ["road"]]))
    query = make_query(
        network,
        case.origin,
        case.destination,
        cargo=Cargo(case.teu, "TEU", "container"),
        depart=dt.datetime(2026, 12, 7, tzinfo=dt.UTC) + dt.timedelta(hours=case.start_hours),
        as_of=MIN_YEAR,
        avoid_places=avoid,
        modes=modes,
    )
    limited = search(network, price(network, query), o, d, start_hours=case.start_hours, exact=True)
    for r in limited.routes:
        assert dominated_by(r.criteria(), front), describe(case)
