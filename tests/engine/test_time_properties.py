"""Time properties of the planner: weekly periodicity and FIFO.

* Timetables are weekly and border opening hours repeat every week: on a network whose
  posts keep UTC (the random networks), leaving one week later gives the same Pareto
  set. On the bundled network the same holds in December-January (no daylight-saving
  change in any of its zones in that window).
* Waiting is allowed everywhere, so leaving later never arrives earlier: the earliest
  arrival is non-decreasing in the departure time (FIFO).
"""

from __future__ import annotations

import datetime as dt

import pytest
from _random_networks import cases, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import silkway
from silkway.compile import compile_network

FRAME = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)  # a Monday 00:00 UTC


def criteria(net, origin: str, destination: str, depart: dt.datetime, **kw):
    """Sorted median-basis criteria of the whole Pareto set, or None if no route."""
    try:
        r = silkway.plan(
            net, origin, destination, depart=depart, uncertainty=False, all_options=True, **kw
        )
    except silkway.NoRouteError:
        return None
    return sorted(
        (round(o.hours_median_basis, 6), round(o.cost_usd, 6), round(o.co2e_wtw_kg, 6))
        for o in r.options
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(), later=st.sampled_from([0.25, 1.0, 7.5, 30.0]))
def test_random_networks_are_weekly_and_fifo(case, later: float) -> None:
    net = compile_network(case.network)
    kw = {"cargo": f"{case.teu}xTEU", "as_of": 1970}
    start = FRAME + dt.timedelta(hours=case.start_hours)
    now = criteria(net, case.origin, case.destination, start, **kw)
    week = criteria(net, case.origin, case.destination, start + dt.timedelta(weeks=1), **kw)
    assert now == week, describe(case)
    after = criteria(net, case.origin, case.destination, start + dt.timedelta(hours=later), **kw)
    assert (now is None) == (after is None)
    if now is not None and after is not None:
        earliest_now = min(c[0] for c in now)
        earliest_after = later + min(c[0] for c in after)
        assert earliest_after >= earliest_now - 1e-9, describe(case)


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


@pytest.mark.parametrize(
    ("origin", "destination"),
    [("Xi'an", "Istanbul"), ("Kashgar", "Tashkent"), ("Chongqing", "Duisburg"), ("Almaty", "Baku")],
)
def test_bundled_network_is_weekly_in_winter(net, origin: str, destination: str) -> None:
    for hour in (0, 13, 100):
        start = FRAME + dt.timedelta(hours=hour)
        a = criteria(net, origin, destination, start)
        b = criteria(net, origin, destination, start + dt.timedelta(weeks=1))
        assert a == b and a, hour


@pytest.mark.parametrize(("origin", "destination"), [("Xi'an", "Istanbul"), ("Almaty", "Baku")])
def test_bundled_network_is_fifo(net, origin: str, destination: str) -> None:
    arrivals = []
    for hour in range(0, 168, 7):
        c = criteria(net, origin, destination, FRAME + dt.timedelta(hours=hour))
        assert c
        arrivals.append(hour + min(x[0] for x in c))
    assert arrivals == sorted(arrivals)
