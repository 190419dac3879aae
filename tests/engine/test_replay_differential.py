"""The Monte Carlo replay agrees exactly with a plain per-draw reference replay.

:func:`silkway.engine.uncertainty.simulate_routes` replays every draw at once, on one
clock array per route, with its own exact forms of the weekly-departure wait and of the
border clearance, and keeps draws between queries. The reference below replays one draw
at a time with Python floats, :func:`~silkway.compile.timing.wait_for_departure` and
:meth:`~silkway.compile.timing.OpenWindows.finish` (their scalar paths), and makes each
element's draws afresh from :func:`~silkway.engine.uncertainty.standard_normals`, as the
module doc defines them. Totals, per-step waits, P50 and P90 must be equal to the last
bit: on random small networks (with spreads, timetables, queues, opening windows,
services running over several links, and storm days), and on the bundled network.

Storm holds are replayed here from their definition in :mod:`silkway.engine.weather`,
one draw and one day at a time with Python integers: SplitMix64 uniforms per region,
calendar day and draw, the storm/calm chain of each calendar month from its first day,
and the hold to 00:00 UTC of the first calm day.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random

import numpy as np
import pytest
from _kernel import FRAME
from _random_networks import cases, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import silkway
from silkway.compile import CompiledNetwork, compile_network
from silkway.compile.network import element_key
from silkway.compile.timing import opening_windows, wait_for_departure
from silkway.engine import driving, uncertainty, weather
from silkway.engine.cargo import Cargo
from silkway.engine.pricing import Costing, price
from silkway.engine.query import MIN_YEAR, make_query
from silkway.engine.search import Route, search
from silkway.engine.uncertainty import (
    Sampler,
    season_of,
    simulate_routes,
    standard_normals,
)
from silkway.model.records import MODES


def _draws(
    net: CompiledNetwork, kind: str, idx: int, at: float, median: float, sigma: float, **kw
) -> np.ndarray | float:
    """Draws of one element met at hour ``at``, from the module doc's definition."""
    if sigma == 0.0 or median <= 0.0:
        return median
    season = season_of(kw["frame"] + dt.timedelta(days=int(at // 24.0)))
    grp = int(getattr(net, f"{kind}_group")[idx])
    keys = [
        element_key("group", f"{net.groups.id(grp)}@{season}"),
        int(getattr(net, f"{kind}_key")[idx]),
    ]
    zg, ze = standard_normals(keys, kw["seed"], kw["samples"])
    rho = net.delay_correlation
    return median * np.exp(sigma * (math.sqrt(rho) * zg + math.sqrt(1.0 - rho) * ze))


M64 = (1 << 64) - 1


def _mix(x: int) -> int:
    """SplitMix64 of one 64-bit integer."""
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def _uniform(seed: int, key: int, day: int, draw: int) -> float:
    """The uniform of a region's chain on one calendar day (days since 1970) in one draw."""
    base = _mix((key & M64) ^ _mix(seed & M64))
    z = _mix(((_mix(base ^ _mix(day & M64))) + draw) & M64)
    return (z >> 11) * 2.0**-53 + 2.0**-54


class _Chain:
    """A region's storm days, one draw and one day at a time, memoised."""

    def __init__(self, storm: weather.Storms, seed: int) -> None:
        self.storm, self.seed, self.memo = storm, seed, {}

    def stormy(self, day: int, draw: int) -> bool:
        got = self.memo.get((day, draw))
        if got is None:
            date = dt.date(1970, 1, 1) + dt.timedelta(days=day)
            m = date.month - 1
            u = _uniform(self.seed, self.storm.key, day, draw)
            if date.day == 1:
                got = u < float(self.storm.p[m])
            elif self.stormy(day - 1, draw):
                got = u < float(self.storm.stay[m])
            else:
                got = u < float(self.storm.start[m])
            self.memo[(day, draw)] = got
        return got

    def hold(self, t: float, first_day: int, draw: int) -> float:
        day = math.floor(t / 24.0) + first_day
        if not self.stormy(day, draw):
            return 0.0
        calm = day + 1
        while self.stormy(calm, draw):
            calm += 1
        return (calm - first_day) * 24.0 - t


def reference(
    net: CompiledNetwork, costing: Costing, route: Route, start: float, **kw
) -> tuple[np.ndarray, np.ndarray]:
    """Total hours of every draw and waiting hours of every step, one draw at a time."""
    n = kw["samples"]

    def value(x: np.ndarray | float, s: int) -> float:
        return float(x) if isinstance(x, float) else float(x[s])

    first_day = (kw["frame"].date() - dt.date(1970, 1, 1)).days
    chains: dict[int, _Chain] = {}
    plan = []  # per step, what the replay does, with its draws
    for step in route.steps:
        at = start + step.depart_hours
        arc, sv = step.arc, step.service
        transfer = None
        if step.transfer >= 0:
            ti = step.transfer
            transfer = _draws(
                net,
                "transfer",
                ti,
                at,
                float(net.transfer_hours[ti]),
                float(net.transfer_sigma[ti]),
                **kw,
            )
        queue = board = None
        if sv >= 0 and not step.continued:
            deps = costing.service_departures[sv]
            if deps is None:
                queue = _draws(
                    net,
                    "service",
                    sv,
                    at,
                    float(net.service_hours[sv]),
                    float(net.service_sigma[sv]),
                    **kw,
                )
            else:
                offset = next(
                    float(net.board_offset[b])
                    for b in net.boardings(arc)
                    if net.board_service[b] == sv
                )
                board = (offset, deps)
        storm = None
        if sv >= 0 and not step.continued:
            table = weather.storms(net)[sv]
            if table is not None:
                storm = chains.setdefault(table.key, _Chain(table, kw["seed"]))
        li = int(net.arc_link[arc])
        moving = _draws(net, "link", li, at, step.moving_hours, float(net.link_sigma[li]), **kw)
        crossing = None
        ci = int(net.arc_crossing[arc])
        if ci >= 0:
            dwell = _draws(
                net,
                "crossing",
                ci,
                start + step.arrive_hours,
                float(costing.crossing_hours[ci]),
                float(costing.crossing_sigma[ci]),
                **kw,
            )
            on_schedule = (
                sv >= 0
                and costing.service_departures[sv] is not None
                and any(
                    net.board_service[b] == sv and net.board_next[b] >= 0
                    for b in net.boardings(arc)
                )
            )
            crossing = (dwell, None if on_schedule else costing.windows[ci])
        road = net.arc_mode[arc] == MODES.index("road")
        transload = ci >= 0 and bool(net.crossing_transload[ci])
        plan.append((transfer, queue, board, storm, moving, crossing, road, transload))

    rules = costing.drive_rules
    totals = np.empty(n)
    waits = np.empty((len(plan), n))
    for s in range(n):
        t = float(start)
        b = d = 0.0  # the driving clock: the module doc of driving.py, one draw at a time
        for k, (transfer, queue, board, storm, moving, crossing, road, transload) in enumerate(
            plan
        ):
            before = t
            if transfer is not None:
                t = t + value(transfer, s)
            if queue is not None:
                t = t + value(queue, s)
            if board is not None:
                t = t + wait_for_departure(t - board[0], board[1])
            if storm is not None:
                t = t + storm.hold(t, first_day, s)
            driven = rules is not None and road
            if driven:
                if t - before > 0.0:
                    b, d = driving.after_stop(b, d, t - before, rules.break_hours, rules.daily_rest)
                stopped, b, d, _, _ = driving.drive(b, d, value(moving, s), *rules.as_tuple())
                t = t + value(moving, s) + stopped
            else:
                t = t + value(moving, s)
                b = d = 0.0
            if crossing is not None:
                dwell, w = crossing
                came = t
                t = w.finish(t, value(dwell, s)) if w is not None else t + value(dwell, s)
                if driven:
                    if transload:
                        b = d = 0.0
                    else:
                        b, d = driving.after_stop(
                            b, d, t - came, rules.break_hours, rules.daily_rest
                        )
            waits[k, s] = max(t - before - value(moving, s), 0.0)
        totals[s] = t - start
    return totals, waits


def linear_quantile(values: np.ndarray, q: float) -> float:
    ordered = sorted(values.tolist())
    p = q * (len(ordered) - 1)
    lo = math.floor(p)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (p - lo)


def check_routes(
    net: CompiledNetwork,
    costing: Costing,
    routes: list[Route],
    start: float,
    *,
    frame: dt.datetime,
    seed: int,
    samples: int,
    context: str = "",
) -> None:
    sampler = Sampler(net, depart=frame, frame=frame, seed=seed, samples=samples)
    got = simulate_routes(net, costing, routes, start_hours=start, sampler=sampler)
    for route, sample in zip(routes, got, strict=True):
        totals, waits = reference(
            net, costing, route, start, frame=frame, seed=seed, samples=samples
        )
        assert np.array_equal(sample.total_hours, totals), context
        assert np.array_equal(sample.step_waits(), waits), context
        assert sample.p50 == linear_quantile(totals, 0.5), context
        assert sample.p90 == linear_quantile(totals, 0.9), context
        assert sample.p50 == pytest.approx(float(np.quantile(totals, 0.5)), rel=1e-12)
        want = [[linear_quantile(row, q) for q in (0.5, 0.9)] for row in waits]
        assert uncertainty.row_quantiles(sample.step_waits(), (0.5, 0.9)).tolist() == want


def _query_parts(
    net: CompiledNetwork,
    origin: str,
    destination: str,
    depart: dt.datetime,
    teu: int,
    crew: int = 1,
) -> tuple[Costing, list[Route], float, dt.datetime]:
    query = make_query(
        net,
        origin,
        destination,
        cargo=Cargo(teu, "TEU", "container"),
        depart=depart,
        as_of=MIN_YEAR,
        crew=crew,
    )
    costing = price(net, query)
    ix = net.places.index
    found = search(net, costing, ix(origin), ix(destination), start_hours=query.start_hours)
    return costing, found.routes, query.start_hours, query.frame


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=cases(max_places=5, driving=None),
    weeks=st.sampled_from([0, 11]),
    seed=st.integers(0, 2**64 - 1),
    samples=st.integers(1, 40),
)
def test_replay_equals_the_reference_on_random_networks(
    case, weeks: int, seed: int, samples: int
) -> None:
    """Leaving in the four weeks from 2026-12-07, or from 2027-02-22 (routes then meet
    elements in two seasons)."""
    net = compile_network(case.network)
    depart = FRAME + dt.timedelta(weeks=weeks, hours=case.start_hours)
    costing, routes, start, frame = _query_parts(
        net, case.origin, case.destination, depart, case.teu, case.crew
    )
    check_routes(
        net,
        costing,
        routes,
        start,
        frame=frame,
        seed=seed,
        samples=samples,
        context=describe(case),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    case=cases(max_places=5, weather=True),
    weeks=st.sampled_from([0, 8, 30]),
    seed=st.integers(0, 2**64 - 1),
    samples=st.integers(1, 40),
)
def test_replay_with_storms_equals_the_reference(case, weeks: int, seed: int, samples: int) -> None:
    """Random networks whose services have storm days, leaving in December, February or
    July: the storm holds of every draw are those of the definition, to the last bit."""
    net = compile_network(case.network)
    depart = FRAME + dt.timedelta(weeks=weeks, hours=case.start_hours)
    costing, routes, start, frame = _query_parts(
        net, case.origin, case.destination, depart, case.teu
    )
    check_routes(
        net, costing, routes, start, frame=frame, seed=seed, samples=samples, context=describe(case)
    )


@pytest.fixture(scope="module")
def bundled() -> CompiledNetwork:
    return silkway.compile_network(silkway.load_network())


@pytest.mark.parametrize(
    "depart", ["2026-12-07T00:00", "2026-12-11T15:00", "2027-02-26T20:00", "2027-03-26T18:00"]
)
def test_replay_equals_the_reference_on_the_bundled_network(bundled, depart: str) -> None:
    """Long-haul pairs and random pairs (weekly trains, Caspian queues, border posts with
    opening hours in local time), leaving on a Monday, before a weekend, just before the
    season changes (1 March), and before the European change to summer time."""
    when = dt.datetime.fromisoformat(depart).replace(tzinfo=dt.UTC)
    places = sorted(bundled.network.places)
    pairs = [("CN_XIA", "TR_IST"), ("CN_CKG", "DE_DUI"), ("CN_KSG", "UZ_TAS"), ("AZ_BAK", "KZ_ALA")]
    pairs += random.Random(depart).sample(list(itertools.permutations(places, 2)), 12)
    checked = 0
    for origin, destination in pairs:
        try:
            costing, routes, start, frame = _query_parts(bundled, origin, destination, when, 2)
        except silkway.SilkwayError:
            continue
        if not routes:
            continue
        checked += 1
        check_routes(
            bundled,
            costing,
            routes[:6],
            start,
            frame=frame,
            seed=3,
            samples=101,
            context=f"{origin} -> {destination}",
        )
    assert checked >= 8


def test_draws_kept_between_queries_are_the_draws_made_afresh(bundled, monkeypatch) -> None:
    """The network keeps draws between queries, and clears them when they would pass
    DRAWS_MEMO_FLOATS numbers. Neither changes a number: replays with a warm memo, after
    clearing it, and with a memo too small to keep a query's draws are the same."""
    when = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    costing, routes, start, frame = _query_parts(bundled, "CN_XIA", "DE_DUI", when, 2)

    def totals() -> list[list[float]]:
        sampler = Sampler(bundled, depart=when, frame=frame, seed=5, samples=64)
        got = simulate_routes(bundled, costing, routes, start_hours=start, sampler=sampler)
        return [s.total_hours.tolist() for s in got]

    first = totals()
    assert totals() == first
    bundled.cache.pop("draws", None)
    bundled.cache.pop("normals", None)
    assert totals() == first
    monkeypatch.setattr(uncertainty, "DRAWS_MEMO_FLOATS", 3 * 64)
    assert totals() == first
    assert totals() == first
    assert len(bundled.cache["draws"]) * 64 <= max(3 * 64, bundled.cache["draws_floats"])


# --------------------------------------------------------------------------- the parts


def _edge_times(rng: np.random.Generator, marks: np.ndarray, n: int) -> np.ndarray:
    """Random times, plus times exactly on ``marks`` and one ulp either side of them."""
    on = rng.choice(marks, size=n)
    return np.concatenate(
        [
            rng.uniform(-200.0, 12_000.0, n),
            on,
            np.nextafter(on, np.inf),
            np.nextafter(on, -np.inf),
            on + 168.0 * rng.integers(0, 80, n),
        ]
    )


@pytest.mark.parametrize(
    "departures",
    [[24.0], [0.0, 84.5], [3.25, 50.0, 120.75, 167.75], [0.0], [167.99999999999997], [12.0, 12.0]],
)
def test_departure_wait_equals_wait_for_departure(departures: list[float]) -> None:
    rng = np.random.default_rng(len(departures))
    deps = np.array(departures)
    t = _edge_times(rng, np.concatenate([deps, deps + 168.0, [0.0, 168.0]]), 400)
    t = np.concatenate([t, [-1e-300, -0.0, 0.0, 1e-300, 168.0 - 1e-13, -168.0]])
    prepared = uncertainty._week_departures_of(deps)
    got = uncertainty._departure_wait(t, prepared)
    want = wait_for_departure(t, deps)
    assert np.array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    # and the scalar path of the reference agrees with the vector one
    assert [wait_for_departure(float(x), deps) for x in t[:50]] == want[:50].tolist()


def test_departures_outside_the_week_take_the_general_rule() -> None:
    deps = np.array([-5.0, 200.0])
    t = np.linspace(-50.0, 900.0, 777)
    prepared = uncertainty._week_departures_of(deps)
    assert np.array_equal(uncertainty._departure_wait(t, prepared), wait_for_departure(t, deps))


@pytest.mark.parametrize(
    ("days", "hours", "tz"),
    [
        ((0, 1, 2, 3, 4), (9.0, 18.0), "Asia/Almaty"),
        ((0, 2, 4), None, "Europe/Warsaw"),
        ((5, 6), (0.0, 24.0), ""),
        ((3,), (22.0, 23.5), "Asia/Tashkent"),
        ((0, 1, 2, 3, 4, 5), (6.0, 20.0), "Europe/Istanbul"),
    ],
)
def test_finish_equals_open_windows_finish(days, hours, tz: str) -> None:
    w = opening_windows(days, hours, tz, dt.datetime(2027, 3, 22, tzinfo=dt.UTC))
    assert w is not None
    rng = np.random.default_rng(len(days))
    marks = np.concatenate([w.starts, w.ends, [w.fold_at]])
    t = _edge_times(rng, marks, 300)
    n = t.shape[0]
    works: list[np.ndarray | float] = [
        rng.lognormal(1.5, 1.0, n),
        0.0,
        5.0,
        np.where(rng.random(n) < 0.3, 0.0, rng.uniform(0.0, 30.0, n)),
        rng.uniform(0.0, 20_000.0, n),  # beyond the horizon
        np.full(n, 1e-170),
    ]
    for work in works:
        got = uncertainty._finish(w, t, work)
        want = w.finish(t, work)
        assert np.array_equal(got, want)
    # all times within the horizon and open: the fast branches
    inside = w.starts[:20] + 0.25
    assert np.array_equal(uncertainty._finish(w, inside, 0.5), w.finish(inside, 0.5))
