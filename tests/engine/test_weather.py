"""Storm seasons (:mod:`silkway.engine.weather`) on a network made for the purpose.

A (KZ) and B (KZ) are joined by one 10-hour sea link that only a service sails; moving
times, dwell and waits are fixed, so every spread in the Monte Carlo comes from storms.

* A winter crossing's P90 is wider than a summer one's, and they are equal without a
  storm table.
* Storm days occur with their probability and spells last their mean length: tests
  whose tolerance is the binomial (or, for spell lengths, the geometric) sampling
  error at a fixed seed, for a false alarm rate of one in a million.
* The search adds the median hold (zero unless storms are more likely than not), the
  compiled kernel the same, and the Monte Carlo median agrees with it.
* A later arrival never sails earlier (the replay stays FIFO).
* The replay of storm holds equals the definition, one draw at a time, to the last bit.
* A service's capacity per departure refuses larger consignments, and says so.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_replay_differential import _Chain, check_routes

import silkway
from silkway.compile import compile_network
from silkway.engine import weather
from silkway.engine._jit_search import search_jit
from silkway.engine.cargo import Cargo
from silkway.engine.pricing import price
from silkway.engine.query import MIN_YEAR, make_query
from silkway.engine.search import search
from silkway.model.records import (
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Service,
    Source,
    Weather,
)
from silkway.model.validate import validate

Z = 4.891638475698
"""Two-sided normal quantile for a false alarm rate of 1e-6."""
JANUARY, JULY = "2027-01-11", "2027-07-12"  # Mondays: hour 0 of the engine's week


def _network(
    rows: dict[int, tuple[float, float]],
    *,
    kind: str = "queue",
    capacity_teu: float | None = None,
) -> Network:
    """A -sea- B with one service and storm days ``{month: (p, mean spell)}``."""
    link = Link(
        "S",
        "A",
        "B",
        "sea",
        200.0,
        ("container",),
        duration_hours=10.0,
        cost_fixed_usd=100.0,
        emission_factor="ef_sea",
    )
    if kind == "queue":
        svc = Service(
            "feeder", "Feeder", "queue", "sea", ("S",), ("container",), wait=Dwell(5.0, 5.0)
        )
    else:
        svc = Service(
            "feeder",
            "Feeder",
            "timetable",
            "sea",
            ("S",),
            ("container",),
            departures=tuple(24.0 * d + 18.0 for d in range(7)),
        )
    svc = dataclasses.replace(svc, capacity_teu=capacity_teu)
    net = Network(
        name="storms",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "t")},
        parameters={"payload_t_per_teu": Parameter("payload_t_per_teu", 10.0, "t")},
        places={
            "A": Place("A", "Port A", "KZ", 40.0, 50.0, "seaport"),
            "B": Place("B", "Port B", "KZ", 40.0, 51.0, "seaport"),
        },
        links={"S": link},
        transfers={},
        crossings={},
        services={"feeder": svc},
        emission_factors={"ef_sea": EmissionFactor("ef_sea", "sea", "mdo", 40.0, 35.0)},
        weather={
            f"w{m}": Weather(f"w{m}", "Test sea", ("feeder",), m, p, spell)
            for m, (p, spell) in rows.items()
        },
    )
    errors = [p for p in validate(net) if p.is_error]
    assert not errors, errors
    return net


def _option(network: Network, depart: str, **kw):
    kw.setdefault("samples", 4000)
    kw.setdefault("seed", 1)
    r = silkway.plan(compile_network(network), "A", "B", depart=depart, **kw)
    (option,) = r.options
    return option


CASPIAN = {1: (0.32, 3.7), 7: (0.05, 3.7)}


# --------------------------------------------------------------------------- seasons


@pytest.mark.parametrize("kind", ["queue", "timetable"])
def test_a_winter_p90_is_wider_than_a_summer_one(kind: str) -> None:
    winter, summer = (
        _option(_network(CASPIAN, kind=kind), JANUARY),
        _option(_network(CASPIAN, kind=kind), JULY),
    )
    assert winter.hours_p90 > summer.hours_p90 + 24.0
    # storms are less likely than not: the median world has none, in either season
    assert winter.hours_median_basis == summer.hours_median_basis
    assert winter.hours_p50 == pytest.approx(winter.hours_median_basis)
    assert summer.hours_p50 == pytest.approx(summer.hours_median_basis)
    held = [w for leg in winter.legs for w in leg.waits if w.code == "service.storm"]
    assert [(w.hours, w.subject_name) for w in held] == [(0.0, "Test sea")]
    assert held[0].note == "January: storm-day probability 32%, mean spell 3.7 days"
    assert winter.legs[0].wait_hours_p90 > summer.legs[0].wait_hours_p90


@pytest.mark.parametrize("kind", ["queue", "timetable"])
def test_without_a_storm_table_the_seasons_are_equal(kind: str) -> None:
    calm = _network({}, kind=kind)
    winter, summer = _option(calm, JANUARY), _option(calm, JULY)
    assert (winter.hours_p50, winter.hours_p90) == (summer.hours_p50, summer.hours_p90)
    assert winter.hours_p90 == winter.hours_median_basis
    assert not [w for leg in winter.legs for w in leg.waits if w.code == "service.storm"]


# --------------------------------------------------------------------------- sampling


def _storms(p: float, spell: float, key: int = 12345) -> weather.Storms:
    months = np.full(12, p)
    leave = 1.0 / spell
    return weather.Storms(
        key,
        months,
        np.full(12, 1.0 - leave),
        np.full(12, p * leave / (1.0 - p)),
        np.array([weather.median_days(p, spell)] * 12, dtype=np.int64),
    )


@pytest.mark.parametrize(("p", "spell"), [(0.32, 3.7), (0.05, 3.7), (0.7, 4.0), (0.5, 1.0)])
def test_storm_days_occur_with_their_probability(p: float, spell: float) -> None:
    """On any one day, draws are independent: the count of storm days among n draws is
    binomial(n, p). Days 1, 15 and 31 of January (the chain starts on the 1st in its
    steady state, so every day has probability p)."""
    n = 40_000
    stormy = weather.storm_days(_storms(p, spell), 2027, 1, seed=7, samples=n)
    assert stormy.shape == (31, n)
    tol = Z * math.sqrt(n * p * (1.0 - p))
    for day in (0, 14, 30):
        assert abs(int(stormy[day].sum()) - n * p) <= tol, day


@pytest.mark.parametrize(("p", "spell"), [(0.32, 3.7), (0.3, 2.0), (0.6, 6.0)])
def test_spells_last_their_mean_length(p: float, spell: float) -> None:
    """A shipment ready at 00:00 of a storm day is held to the end of the spell, ``N``
    days, ``P(N > n) = r**n`` (mean ``L``, variance ``r / (1 - r)**2``). Ready on 1 March,
    with the same odds in March and April (a 31-day spell is all but impossible)."""
    n = 40_000
    storm = _storms(p, spell)
    first_day = (dt.date(2027, 3, 1) - dt.date(1970, 1, 1)).days
    hold = weather.storm_hold(np.zeros(n), storm, first_day=first_day, seed=3, memo={})
    held = hold[hold > 0] / 24.0
    assert np.array_equal(held, np.round(held))  # whole days from 00:00
    k = held.shape[0]
    assert abs(k - n * p) <= Z * math.sqrt(n * p * (1.0 - p))
    r = 1.0 - 1.0 / spell
    assert abs(held.mean() - spell) <= Z * math.sqrt(r / (1.0 - r) ** 2 / k)


def test_storm_days_depend_on_the_seed_region_day_and_draw_only() -> None:
    """Fewer draws are a prefix of more; another region or seed gives other days."""
    a = weather.storm_days(_storms(0.3, 3.0), 2027, 2, seed=1, samples=500)
    assert np.array_equal(weather.storm_days(_storms(0.3, 3.0), 2027, 2, 1, 50), a[:, :50])
    assert not np.array_equal(weather.storm_days(_storms(0.3, 3.0), 2027, 2, 2, 500), a)
    assert not np.array_equal(weather.storm_days(_storms(0.3, 3.0, key=9), 2027, 2, 1, 500), a)


@settings(max_examples=60, deadline=None)
@given(
    start=st.floats(0.0, 24.0 * 120),
    later=st.floats(0.0, 24.0 * 20),
    p=st.sampled_from([0.05, 0.32, 0.7]),
    seed=st.integers(0, 2**32),
)
def test_a_later_arrival_never_sails_earlier(
    start: float, later: float, p: float, seed: int
) -> None:
    storm = _storms(p, 3.7)
    memo: dict[object, object] = {}
    t1 = np.full(300, start)
    t2 = t1 + later
    first_day = (dt.date(2026, 12, 7) - dt.date(1970, 1, 1)).days
    go1 = t1 + weather.storm_hold(t1, storm, first_day=first_day, seed=seed, memo=memo)
    go2 = t2 + weather.storm_hold(t2, storm, first_day=first_day, seed=seed, memo=memo)
    assert np.all(go2 >= go1)


# --------------------------------------------------------------------------- median


@pytest.mark.parametrize(("p", "spell", "margin"), [(0.65, 2.0, True), (0.9, 9.0, False)])
def test_the_search_adds_the_median_hold(p: float, spell: float, margin: bool) -> None:
    """Ready to sail at 05:00 (a 5-hour queue from 00:00): held to the end of day n,
    ``n`` the smallest whole number with ``(1 - 1/L)**n <= 0.5 / p``. Where the median's
    atom holds a good share of the draws (P(hold < 19 h) = 0.35, P(hold <= 19 h) = 0.675
    for p = 0.65, L = 2), the Monte Carlo median falls on it too; for p = 0.9, L = 9 the
    cumulative probability at the median is 0.5006, too close to call with 4,001 draws."""
    net = _network({1: (p, spell)})
    option = _option(net, JANUARY, samples=4001)
    n = math.ceil(math.log(0.5 / p) / math.log(1.0 - 1.0 / spell))
    assert option.hours_median_basis == 5.0 + (24.0 * n - 5.0) + 10.0
    (held,) = [w for w in option.legs[0].waits if w.code == "service.storm"]
    assert held.hours == 24.0 * n - 5.0
    if margin:  # the Monte Carlo median falls on the same atom of the hold's distribution
        assert option.hours_p50 == pytest.approx(option.hours_median_basis)


@pytest.mark.parametrize("kind", ["queue", "timetable"])
def test_the_compiled_kernel_adds_the_same_hold(kind: str) -> None:
    net = compile_network(_network({1: (0.9, 9.0), 12: (0.4, 2.0)}, kind=kind))
    for hour in (0.0, 17.5, 30.0, 170.0):
        query = make_query(
            net,
            "A",
            "B",
            cargo=Cargo(2, "TEU", "container"),
            depart=dt.datetime(2027, 1, 25, tzinfo=dt.UTC) + dt.timedelta(hours=hour),
            as_of=MIN_YEAR,
        )
        costing = price(net, query)
        kw = {"start_hours": query.start_hours}
        py, jit = search(net, costing, 0, 1, **kw), search_jit(net, costing, 0, 1, **kw)  # type: ignore[arg-type]
        assert [r.steps for r in jit.routes] == [r.steps for r in py.routes]
        step = py.routes[0].steps[0]
        ready = query.frame + dt.timedelta(hours=query.start_hours + step.service_wait_hours)
        assert (step.storm_hours > 0.0) == (ready.month == 1), hour


# --------------------------------------------------------------------------- replay


@pytest.mark.parametrize("kind", ["queue", "timetable"])
@pytest.mark.parametrize("depart", ["2027-01-31T20:00", "2027-02-26T08:00", "2027-07-12T00:00"])
def test_the_replay_of_storm_holds_equals_their_definition(kind: str, depart: str) -> None:
    """Leaving on the last day of January and of February (spells that run into the
    next month's chain) and in July."""
    net = compile_network(_network({1: (0.6, 3.0), 2: (0.3, 2.0), 3: (0.1, 1.5), 7: (0.05, 3.7)}))
    when = dt.datetime.fromisoformat(depart).replace(tzinfo=dt.UTC)
    query = make_query(net, "A", "B", cargo=Cargo(1, "FEU", "container"), depart=when)
    costing = price(net, query)
    routes = search(net, costing, 0, 1, start_hours=query.start_hours).routes
    for seed in (0, 99, 2**63 + 5):
        check_routes(
            net, costing, routes, query.start_hours, frame=query.frame, seed=seed, samples=257
        )


# --------------------------------------------------------------------------- capacity


def test_a_departure_carries_its_capacity_and_no_more() -> None:
    net = _network({}, capacity_teu=225.0)
    assert _option(net, JULY, cargo="112xFEU", uncertainty=False).legs[0].service_id == "feeder"
    with pytest.raises(silkway.NoRouteError, match=r"one departure of Feeder \(225 TEU\)"):
        _option(net, JULY, cargo="113xFEU", uncertainty=False)


def test_spells_of_two_months_ending_together_move_one_month_each() -> None:
    """Draws held past the end of March and of April in one call each move on one month a
    round: a March draw moved into April is not moved again into May in the same round
    (it was, when April's draws were looked at after it). Every draw's hold equals the
    plain one-draw-at-a-time chain of the replay differential test."""
    storms = _storms(0.9, 20.0)
    first_day = weather.frame_day(dt.datetime(2027, 3, 1, tzinfo=dt.UTC))
    samples = 200
    # alternate draws ready on 29 March and on 29 April (05:00 UTC)
    t = np.where(np.arange(samples) % 2 == 0, 28 * 24.0 + 5.0, 59 * 24.0 + 5.0)
    got = weather.storm_hold(t, storms, first_day=first_day, seed=7, memo={})
    chain = _Chain(storms, 7)
    want = [chain.hold(float(t[s]), first_day, s) for s in range(samples)]
    assert got.tolist() == want
    # the case is not vacuous: March draws held into April while April's run into May
    ends = first_day + (t + got) // 24
    assert (ends[::2] > first_day + 31).any() and (ends[1::2] > first_day + 61).any()
