"""Monte Carlo P50/P90: common random numbers, marginals, replay, correlation.

* The random numbers of an element depend only on the seed, the element and the draw
  (``standard_normals``): a route's P50/P90 do not depend on which other routes are
  listed, how many, or in which order.
* The draws are standard normal (mean, spread, Kolmogorov-Smirnov).
* A lognormal dwell given by median ``m`` and P90 ``q`` gives P50 ~ ``m`` and P90 ~
  ``q`` plus the fixed parts of the route.
* Replay: a late draw misses a weekly departure and waits a week; a queue wait adds its
  lognormal; a clearance that reaches a Mon-Fri border at the weekend waits for Monday.
* ``delay_correlation`` makes two borders of the same country pair move together: the
  P90-P50 spread of a route over both is wider with 1.0 than with 0.0.

The purpose-built networks below have no ``moving_p90_ratio_*`` parameter, so moving
times are fixed at their medians and every spread comes from the element under test.
2026-12-07 is a Monday: hour 0 of the engine's week.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import sys
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from _random_networks import cases, describe
from hypothesis import HealthCheck, given, settings
from scipy import stats

import silkway
from silkway.compile import compile_network
from silkway.engine.uncertainty import standard_normals
from silkway.model.records import (
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Service,
    Source,
    Transfer,
)
from silkway.model.validate import validate

MONDAY = "2026-12-07"
Z90 = 1.2815515655446004


@pytest.fixture(scope="module")
def bundled():
    return silkway.compile_network(silkway.load_network())


def identity(option) -> tuple:
    return (option.route, option.modes, tuple(leg.link_id for leg in option.legs))


# --------------------------------------------------------------------------- bundled


def test_same_route_same_quantiles_in_every_listing(bundled) -> None:
    seen: dict[tuple, tuple[float, float]] = {}
    listed: dict[tuple, int] = {}
    for origin, destination in (("Xi'an", "Istanbul"), ("Chongqing", "Duisburg")):
        for sort in ("time", "cost", "co2"):
            for k in (1, 3, 5, 10):
                r = silkway.plan(
                    bundled,
                    origin,
                    destination,
                    depart=MONDAY,
                    sort=sort,
                    max_options=k,
                    samples=400,
                    seed=11,
                )
                for o in r.options:
                    got = (o.hours_p50, o.hours_p90)
                    assert seen.setdefault(identity(o), got) == got, identity(o)[0]
                    listed[identity(o)] = listed.get(identity(o), 0) + 1
        everything = silkway.plan(
            bundled, origin, destination, depart=MONDAY, all_options=True, samples=400, seed=11
        )
        for o in everything.options:
            got = (o.hours_p50, o.hours_p90)
            assert seen.setdefault(identity(o), got) == got
    # routes really recur across listings: the checks above compared something
    assert sum(n >= 6 for n in listed.values()) >= 2


@pytest.mark.parametrize(
    "kw",
    [
        {"avoid_countries": ["RU"]},
        {"modes": ["rail", "ferry", "sea"]},
        {"max_transshipments": 3},
        {"objectives": ["time", "cost"]},
    ],
    ids=repr,
)
def test_same_route_same_quantiles_under_other_constraints(bundled, kw: dict) -> None:
    """Constraints change which routes are found, not the random worlds a route is
    replayed in: a route found both with and without them has the same P50 and P90."""

    def quantiles(**extra) -> dict[tuple, tuple[float, float]]:
        r = silkway.plan(
            bundled,
            "Xi'an",
            "Istanbul",
            depart=MONDAY,
            all_options=True,
            samples=300,
            seed=2,
            **extra,
        )
        return {identity(o): (o.hours_p50, o.hours_p90) for o in r.options}

    base, other = quantiles(), quantiles(**kw)
    common = set(base) & set(other)
    assert common
    assert {k: other[k] for k in common} == {k: base[k] for k in common}


def test_same_seed_same_numbers_different_seed_different_numbers(bundled) -> None:
    def quantiles(seed: int) -> dict[tuple, tuple[float, float]]:
        r = silkway.plan(
            bundled, "Xi'an", "Istanbul", depart=MONDAY, all_options=True, samples=300, seed=seed
        )
        return {identity(o): (o.hours_p50, o.hours_p90) for o in r.options}

    a, b, c = quantiles(5), quantiles(5), quantiles(6)
    assert a == b
    assert set(a) == set(c)
    # every route has some random element; with another seed its estimates move
    assert sum(a[k] != c[k] for k in a) >= len(a) // 2
    assert any(a[k] != c[k] for k in a)


def test_large_seed_is_accepted(bundled) -> None:
    r = silkway.plan(bundled, "Kashgar", "Tashkent", depart=MONDAY, samples=50, seed=2**63 - 1)
    assert r.query["seed"] == 2**63 - 1 and r.options


# --------------------------------------------------------------------------- normals


def test_standard_normals_rows_depend_only_on_their_key() -> None:
    keys = [3, 2**62 + 17, 123456789, 0]
    z = standard_normals(keys, 7, 500)
    assert z.shape == (4, 500)
    for i, k in enumerate(keys):
        alone = standard_normals([k], 7, 500)[0]
        assert np.array_equal(z[i], alone)
        # reordering the other keys changes nothing
        mixed = standard_normals([*reversed(keys), k], 7, 500)
        assert np.array_equal(mixed[-1], alone)
    # another seed gives other numbers
    assert not np.array_equal(standard_normals(keys, 8, 500), z)


def test_draw_s_does_not_depend_on_the_number_of_draws() -> None:
    """Module doc of silkway.engine.uncertainty: 'Draw s of an element ... is a fixed
    function of the seed, the element's id and s'. Then fewer draws are a prefix of
    more draws."""
    for n in (2, 3, 120, 999):
        assert np.array_equal(
            standard_normals([3], 7, n)[0], standard_normals([3], 7, 1000)[0][:n]
        ), n


def test_standard_normals_are_standard_normal() -> None:
    n = 200_000
    z = standard_normals([42, 43], 0, n)
    for row in z:
        assert np.all(np.isfinite(row))
        assert abs(row.mean()) < 0.01  # standard error 1/sqrt(200k) = 0.0022
        assert abs(row.std() - 1.0) < 0.01
        assert stats.kstest(row, "norm").pvalue > 1e-4
    # two keys are independent streams
    assert abs(np.corrcoef(z[0], z[1])[0, 1]) < 0.01


# --------------------------------------------------------------------------- networks


def _network(
    places: list[Place],
    links: list[Link],
    *,
    transfers: tuple[Transfer, ...] = (),
    crossings: tuple[Crossing, ...] = (),
    services: tuple[Service, ...] = (),
    correlation: float | None = None,
) -> Network:
    params = {"payload_t_per_teu": Parameter("payload_t_per_teu", 10.0, "t")}
    if correlation is not None:
        params["delay_correlation"] = Parameter("delay_correlation", correlation, "1")
    net = Network(
        name="mc",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "t")},
        parameters=params,
        places={p.id: p for p in places},
        links={k.id: k for k in links},
        transfers={t.id: t for t in transfers},
        crossings={c.id: c for c in crossings},
        services={s.id: s for s in services},
        emission_factors={
            "ef_road": EmissionFactor("ef_road", "road", "diesel", 80.0, 60.0),
            "ef_rail": EmissionFactor("ef_rail", "rail", "electric", 20.0, 0.0),
        },
    )
    errors = [p for p in validate(net) if getattr(p, "severity", "error") == "error"]
    assert not errors, errors
    return net


def _place(pid: str, country: str, lon: float) -> Place:
    return Place(pid, f"Place {pid}", country, 40.0, lon, "city")


def _road(lid: str, a: str, b: str, hours: float) -> Link:
    # 60 km/h, km a whole multiple so that hours are exact; lengths well above the
    # great-circle distance of places 0.5 degree of longitude apart (~43 km)
    return Link(
        lid,
        a,
        b,
        "road",
        60.0 * hours,
        ("container",),
        speed_kmh=60.0,
        cost_per_km_usd=1.0,
        bidirectional=False,
        emission_factor="ef_road",
    )


def _plan(network: Network, origin: str, destination: str, **kw):
    kw.setdefault("depart", MONDAY)
    kw.setdefault("samples", 20_000)
    r = silkway.plan(compile_network(network), origin, destination, **kw)
    (option,) = r.options
    return option


# --------------------------------------------------------------------------- marginals


@pytest.mark.parametrize(("median", "p90"), [(10.0, 30.0), (4.0, 5.0), (24.0, 96.0)])
def test_one_lognormal_border_has_its_median_and_p90(median: float, p90: float) -> None:
    """A -road- B, 10 h moving (fixed), one always-open crossing entering B with a
    lognormal dwell: P50 = 10 + median, P90 = 10 + p90 (monotone in the one random
    time), within the sampling error of 20,000 draws (about 1 % of the quantile's
    lognormal factor)."""
    net = _network(
        [_place("A", "KZ", 70.0), _place("B", "UZ", 71.0)],
        [_road("AB", "A", "B", 10.0)],
        crossings=(Crossing("x", "AB", "A", "A-B", Dwell(median, p90)),),
    )
    o = _plan(net, "A", "B")
    assert o.hours_median_basis == pytest.approx(10.0 + median)
    sigma = math.log(p90 / median) / Z90
    tol = 0.03 * sigma  # relative error of exp(sigma * z) for a small error in z
    assert o.hours_p50 == pytest.approx(10.0 + median, abs=median * tol + 1e-9)
    assert o.hours_p90 == pytest.approx(10.0 + p90, abs=p90 * tol + 1e-9)
    (leg,) = o.legs
    assert leg.wait_hours_p50 == pytest.approx(median, abs=median * tol + 1e-9)
    assert leg.wait_hours_p90 == pytest.approx(p90, abs=p90 * tol + 1e-9)


def test_a_fixed_dwell_has_no_spread() -> None:
    net = _network(
        [_place("A", "KZ", 70.0), _place("B", "UZ", 71.0)],
        [_road("AB", "A", "B", 10.0)],
        crossings=(Crossing("x", "AB", "A", "A-B", Dwell(6.0, 6.0)),),
    )
    o = _plan(net, "A", "B", samples=100)
    assert o.hours_p50 == o.hours_p90 == o.hours_median_basis == 16.0


# --------------------------------------------------------------------------- replay


def test_a_late_draw_misses_the_weekly_train() -> None:
    """A -road- B (10 h), a road-rail transfer at B (median 10 h, P90 40 h), then a
    weekly train B -rail- C (10 h) leaving Tuesday 00:00 UTC (hour 24 of the week).

    Median basis: 10 + 10 = hour 20 at the train, wait 4 h, arrive 34 h.
    A draw whose transfer takes more than 14 h misses it and takes next week's, at hour
    192, arriving at 202 h. P(dwell > 14) = 1 - Phi(ln(1.4) / sigma) with sigma =
    ln(4) / 1.2816 = 1.082: 1 - Phi(0.311) = 0.378. So P50 = 34 exactly (62 % of the
    draws) and P90 = 202 exactly: a jump of one week, 168 h.
    """
    net = _network(
        [_place("A", "KZ", 70.0), _place("B", "KZ", 70.5), _place("C", "KZ", 71.0)],
        [
            _road("AB", "A", "B", 10.0),
            Link(
                "BC",
                "B",
                "C",
                "rail",
                500.0,
                ("container",),
                gauge_mm=1520,
                duration_hours=10.0,
                bidirectional=False,
                emission_factor="ef_rail",
            ),
        ],
        transfers=(
            Transfer("tB", "B", "transshipment", "road", None, "rail", 1520, Dwell(10.0, 40.0)),
        ),
        services=(
            Service(
                "train",
                "weekly train",
                "timetable",
                "rail",
                ("BC",),
                ("container",),
                (24.0,),
                bidirectional=False,
            ),
        ),
    )
    o = _plan(net, "A", "C")
    assert o.hours_median_basis == pytest.approx(34.0)
    assert o.hours_p50 == pytest.approx(34.0)
    assert o.hours_p90 == pytest.approx(202.0)
    assert o.hours_p90 - o.hours_p50 == pytest.approx(168.0)


def test_a_queue_wait_is_replayed() -> None:
    """A queue ferry-like service on A -road- B (10 h): its wait (median 20, P90 60)
    comes before moving; P50 = 30, P90 = 70."""
    net = _network(
        [_place("A", "KZ", 70.0), _place("B", "KZ", 71.0)],
        [_road("AB", "A", "B", 10.0)],
        services=(
            Service(
                "q",
                "queue",
                "queue",
                "road",
                ("AB",),
                ("container",),
                wait=Dwell(20, 60),
                bidirectional=False,
            ),
        ),
    )
    o = _plan(net, "A", "B")
    assert o.hours_median_basis == pytest.approx(30.0)
    sigma = math.log(3.0) / Z90
    assert o.hours_p50 == pytest.approx(30.0, abs=20 * 0.03 * sigma)
    assert o.hours_p90 == pytest.approx(70.0, abs=60 * 0.03 * sigma)


def _weekend_network(open_days: tuple[int, ...]) -> Network:
    return _network(
        [_place("A", "KZ", 70.0), _place("B", "KZ", 70.5), _place("C", "UZ", 71.0)],
        [_road("AB", "A", "B", 4.0), _road("BC", "B", "C", 4.0)],
        services=(
            Service(
                "q",
                "queue",
                "queue",
                "road",
                ("AB",),
                ("container",),
                wait=Dwell(4, 48),
                bidirectional=False,
            ),
        ),
        crossings=(Crossing("x", "BC", "B", "B-C", Dwell(2.0, 2.0), open_days=open_days),),
    )


def test_a_weekend_closure_is_replayed() -> None:
    """Leave A on Friday 2026-12-11 00:00 UTC. Queue wait w (median 4, P90 48 h), then
    4 + 4 h to the border at C, open Mon-Fri (UTC, no zone), dwell 2 h fixed.

    Arrival a = w + 8 hours after departure; Saturday 00:00 is a = 24, Monday 00:00 is
    a = 72. The total T is a + 2 if a <= 22; a + 50 if 22 < a < 24 (the clearance
    resumes on Monday); 74 if 24 <= a <= 72; a + 2 after. T is non-decreasing in w, so
    its quantiles are T of w's: P50 = T(4) = 14; P90 = T(48) = 74 (w from 16 to 64
    gives 74, and P(w < 16) = Phi(ln 4 / 1.939) = 0.76, P(w < 64) = Phi(ln 16 / 1.939)
    = 0.92, so the 0.9 quantile is in the flat part). Open every day instead, P90 =
    48 + 10 = 58.
    """
    friday = "2026-12-11"
    closed = _plan(_weekend_network((0, 1, 2, 3, 4)), "A", "C", depart=friday)
    assert closed.hours_median_basis == pytest.approx(14.0)
    sigma = math.log(12.0) / Z90
    assert closed.hours_p50 == pytest.approx(14.0, abs=4 * 0.03 * sigma)
    assert closed.hours_p90 == pytest.approx(74.0)
    always = _plan(_weekend_network((0, 1, 2, 3, 4, 5, 6)), "A", "C", depart=friday)
    assert always.hours_p50 == pytest.approx(closed.hours_p50)
    assert always.hours_p90 == pytest.approx(58.0, abs=48 * 0.03 * sigma)


# --------------------------------------------------------------------------- correlation


def _two_borders(correlation: float) -> Network:
    """A (KZ) -road- B (UZ) -road- C (KZ): two road borders of the pair KZ-UZ, one
    correlation group, each dwell median 10 h, P90 30 h."""
    return _network(
        [_place("A", "KZ", 70.0), _place("B", "UZ", 70.5), _place("C", "KZ", 71.0)],
        [_road("AB", "A", "B", 5.0), _road("BC", "B", "C", 5.0)],
        crossings=(
            Crossing("x1", "AB", "A", "A-B", Dwell(10.0, 30.0)),
            Crossing("x2", "BC", "B", "B-C", Dwell(10.0, 30.0)),
        ),
        correlation=correlation,
    )


def test_correlated_borders_widen_the_spread() -> None:
    """With correlation 1 both dwells are 10 exp(sigma Z) with one Z: the sum's P50 is
    20 and its P90 60, so P90 - P50 = 40 (plus 10 h fixed moving in both). With
    correlation 0 they are independent: the sum's P50 is higher than 20 (the mean of a
    lognormal is above its median) and its P90 below 60, a narrower spread."""
    one = _plan(_two_borders(1.0), "A", "C")
    zero = _plan(_two_borders(0.0), "A", "C")
    sigma = math.log(3.0) / Z90
    assert one.hours_p50 == pytest.approx(30.0, abs=20 * 0.03 * sigma)
    assert one.hours_p90 == pytest.approx(70.0, abs=60 * 0.03 * sigma)
    assert zero.hours_p50 > one.hours_p50
    assert zero.hours_p90 < one.hours_p90
    assert (one.hours_p90 - one.hours_p50) > (zero.hours_p90 - zero.hours_p50) + 5.0


# --------------------------------------------------------------------------- many queries


def test_many_queries_on_one_compiled_network(tiny_network) -> None:
    """One compiled network planned with many seeds (a batch of queries, a server):
    every plan succeeds. Each seed first plans A-C by rail (its B-C border's normals are
    memoised), then A-E, which shares that border and adds others."""
    from silkway.engine.uncertainty import NORMALS_MEMO_ROWS

    net = compile_network(tiny_network)
    kw = {"depart": MONDAY, "samples": 10}
    for seed in range(NORMALS_MEMO_ROWS // 10 + 10):
        silkway.plan(net, "A", "C", modes=["rail"], seed=seed, **kw)
        first = silkway.plan(net, "A", "E", seed=seed, **kw)
        assert first.options
    # and the numbers are still those of a fresh network
    again = silkway.plan(compile_network(tiny_network), "A", "E", seed=seed, **kw)
    assert [o.hours_p90 for o in again.options] == [o.hours_p90 for o in first.options]


# --------------------------------------------------------------------------- replay = search


def _without_spread(network: Network) -> Network:
    """The network with every dwell and queue wait fixed at its median (P90 = median),
    train types' border dwell included, and no storm days (storms are random too; their
    median hold is zero where ``p <= 0.5``)."""

    def fixed(d: Dwell) -> Dwell:
        return Dwell(d.median_hours, d.median_hours)

    return dataclasses.replace(
        network,
        transfers={
            k: dataclasses.replace(t, dwell=fixed(t.dwell)) for k, t in network.transfers.items()
        },
        crossings={
            k: dataclasses.replace(c, dwell=fixed(c.dwell)) for k, c in network.crossings.items()
        },
        services={
            k: dataclasses.replace(s, wait=fixed(s.wait) if s.wait else None)
            for k, s in network.services.items()
        },
        weather={},
        # a train type's own border dwell (the express default's) is fixed the same way
        train_rules={
            k: dataclasses.replace(r, p90_hours=r.median_hours)
            for k, r in network.train_rules.items()
        },
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases())
def test_replay_without_spread_equals_the_search(case) -> None:
    """With no spread anywhere, every Monte Carlo draw is the median world, so the
    replay (timetables, queues, opening windows, services between stops) must give
    exactly the search's door-to-door time for every Pareto route: a differential test
    of the two implementations of the timing rules."""
    net = compile_network(_without_spread(case.network))
    try:
        r = silkway.plan(
            net,
            case.origin,
            case.destination,
            depart=dt.datetime(2026, 12, 7, tzinfo=dt.UTC) + dt.timedelta(hours=case.start_hours),
            cargo=f"{case.teu}xTEU",
            all_options=True,
            samples=3,
        )
    except silkway.NoRouteError:
        return
    for o in r.options:
        assert o.hours_p50 == pytest.approx(o.hours_median_basis, abs=1e-6), describe(case)
        assert o.hours_p90 == pytest.approx(o.hours_median_basis, abs=1e-6), describe(case)
        for leg in o.legs:
            assert leg.wait_hours_p50 == pytest.approx(leg.wait_hours, abs=1e-6), describe(case)


@pytest.mark.parametrize("depart", ["2026-12-11T15:00", "2027-03-26T18:00", "2027-10-29T20:00"])
def test_bundled_replay_without_spread_equals_the_search(depart: str) -> None:
    """The same differential on the bundled network (border posts in local time, weekly
    trains, Caspian queues), leaving on Fridays just before weekends and the European
    daylight-saving changes of 2027-03-28 and 2027-10-31."""
    import itertools
    import random

    network = silkway.load_network()
    network = _without_spread(
        dataclasses.replace(
            network,
            parameters={
                k: v for k, v in network.parameters.items() if not k.startswith("moving_p90")
            },
        )
    )
    net = compile_network(network)
    pairs = list(itertools.permutations(sorted(network.places), 2))
    checked = 0
    for o, d in random.Random(depart).sample(pairs, 80):
        try:
            r = silkway.plan(net, o, d, depart=depart, all_options=True, samples=2)
        except silkway.NoRouteError:
            continue
        checked += 1
        for opt in r.options:
            assert opt.hours_p50 == pytest.approx(opt.hours_median_basis, abs=1e-6), (o, d)
            assert opt.hours_p90 == pytest.approx(opt.hours_median_basis, abs=1e-6), (o, d)
    assert checked >= 20


def test_a_scenario_is_replayed_in_the_same_worlds(bundled) -> None:
    """Common random numbers between a network and a scenario of it: lengthening the
    Caspian feeder's border dwell by 10 % (median and P90, so the same sigma; enough to
    keep its route in the Pareto set) leaves every route that does not cross it with
    exactly the same P50 and P90, and makes none of the routes that do faster (every
    draw's dwell grows; the replay, storm holds included, is FIFO)."""
    network = bundled.network
    ferry = "S_AKT_ALT"
    assert any(c.link == ferry for c in network.crossings.values())
    scenario = dataclasses.replace(
        network,
        crossings={
            k: (
                dataclasses.replace(
                    c, dwell=Dwell(1.1 * c.dwell.median_hours, 1.1 * c.dwell.p90_hours)
                )
                if c.link == ferry
                else c
            )
            for k, c in network.crossings.items()
        },
    )

    def quantiles(net) -> dict[tuple, tuple[float, float]]:
        r = silkway.plan(
            net, "Xi'an", "Istanbul", depart=MONDAY, all_options=True, samples=300, seed=4
        )
        return {identity(o): (o.hours_p50, o.hours_p90) for o in r.options}

    base, changed = quantiles(bundled), quantiles(compile_network(scenario))
    common = set(base) & set(changed)
    crossing = [k for k in common if ferry in k[2]]
    other = [k for k in common if ferry not in k[2]]
    assert crossing and other
    for k in other:
        assert changed[k] == base[k], k[0]
    for k in crossing:
        assert changed[k][0] > base[k][0] and changed[k][1] > base[k][1], k[0]


def _borders_three_weeks_apart(correlation: float) -> Network:
    """A (KZ) -road- B (UZ) over 5 h, then B -road- C (KZ) over 480 h (1 km/h): the two
    KZ-UZ road borders (median 10, P90 30 each) are cleared about three weeks apart."""
    slow = Link(
        "BC",
        "B",
        "C",
        "road",
        480.0,
        ("container",),
        speed_kmh=1.0,
        cost_per_km_usd=1.0,
        bidirectional=False,
        emission_factor="ef_road",
    )
    return _network(
        [_place("A", "KZ", 70.0), _place("B", "UZ", 70.5), _place("C", "KZ", 71.0)],
        [_road("AB", "A", "B", 5.0), slow],
        crossings=(
            Crossing("x1", "AB", "A", "A-B", Dwell(10.0, 30.0)),
            Crossing("x2", "BC", "B", "B-C", Dwell(10.0, 30.0)),
        ),
        correlation=correlation,
    )


def test_correlation_is_within_one_season() -> None:
    """The shared part of a delay belongs to a corridor group in one meteorological
    season. Leaving 2027-01-04 both borders are cleared in December-February: with
    correlation 1 their sum spreads as one lognormal doubled (P90 - P50 = 2 x (30 -
    10) = 40 h). Leaving 2027-02-15 the first is cleared in February, the second (about
    495 h later) in March: different seasons, so the two are independent and the
    spread is that of correlation 0."""
    spread = {}
    for depart in ("2027-01-04", "2027-02-15"):
        for rho in (1.0, 0.0):
            o = _plan(_borders_three_weeks_apart(rho), "A", "C", depart=depart)
            spread[depart, rho] = o.hours_p90 - o.hours_p50
    sigma = math.log(3.0) / Z90
    assert spread["2027-01-04", 1.0] == pytest.approx(40.0, abs=60 * 0.03 * sigma + 20 * 0.03)
    assert spread["2027-01-04", 1.0] > spread["2027-01-04", 0.0] + 5.0
    # across the season boundary correlation 1 is no different from correlation 0
    assert spread["2027-02-15", 1.0] == pytest.approx(spread["2027-02-15", 0.0], abs=2.0)
    assert spread["2027-02-15", 0.0] == pytest.approx(spread["2027-01-04", 0.0], abs=2.0)


def test_an_overlay_is_replayed_in_the_same_worlds(bundled) -> None:
    """The example overlay that opens the CKU railway adds routes from Kashgar to
    Tashkent; every route found on both networks has the same P50 and P90."""
    from pathlib import Path

    overlay = Path(__file__).resolve().parents[2] / "examples" / "overlays" / "cku-open"
    if not overlay.is_dir():
        pytest.skip("examples/overlays/cku-open is not in this checkout")
    opened = silkway.load_network(overlay)

    def quantiles(net) -> dict[tuple, tuple[float, float]]:
        r = silkway.plan(
            net, "Kashgar", "Tashkent", depart=MONDAY, all_options=True, samples=300, seed=9
        )
        return {identity(o): (o.hours_p50, o.hours_p90) for o in r.options}

    base, scenario = quantiles(bundled), quantiles(opened)
    assert set(scenario) - set(base)  # the CKU adds at least one route
    common = set(base) & set(scenario)
    assert common
    assert {k: scenario[k] for k in common} == {k: base[k] for k in common}


def test_threads_sharing_a_network_plan_as_one_thread_does(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server's compute slots plan on one compiled network from several threads.
    With the memos of draws and normals kept tiny here they are cleared all the time; no
    thread may lose a row it is about to read, and every plan equals the plan made
    alone."""
    from silkway.engine import uncertainty

    monkeypatch.setattr(uncertainty, "NORMALS_MEMO_ROWS", 4)
    monkeypatch.setattr(uncertainty, "DRAWS_MEMO_FLOATS", 0)
    pairs = [("CN_XIA", "TR_IST"), ("KZ_ALA", "DE_DUI"), ("CN_CKG", "GE_POT"), ("UZ_TAS", "AZ_BAK")]
    queries = [(o, d, seed) for seed in (1, 2, 3) for o, d in pairs]

    def options(net: object, query: tuple[str, str, int]) -> list[dict[str, object]]:
        o, d, seed = query
        result = silkway.plan(net, o, d, depart="2026-12-07", samples=200, seed=seed)  # type: ignore[arg-type]
        return [option.to_dict() for option in result.options]

    alone = [options(compile_network(silkway.load_network()), q) for q in queries]
    shared = compile_network(silkway.load_network())
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        with ThreadPoolExecutor(max_workers=4) as pool:
            together = list(pool.map(lambda q: options(shared, q), queries * 3))
    finally:
        sys.setswitchinterval(switch)
    assert together == alone * 3
