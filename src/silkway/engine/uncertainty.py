"""Uncertainty: correlated lognormal times, replayed by Monte Carlo along a route.

**Distributions.** Border dwell, transfer dwell and queue waits are lognormal, given by
a median and a 90th percentile; moving time on a link is lognormal around its median
with the spread of its mode (network parameters ``moving_p90_ratio_<mode>``).

**Common random numbers.** Draw ``s`` of an element (a transfer, crossing, queue
service or link) is a fixed function of the seed, the element's id and ``s``: a
counter-based generator (SplitMix64 over ``seed, element key, s``; Box-Muller for
normals). So the same route and seed give the same P50 and P90 in every listing,
whatever ``-k`` or ``--sort`` say, in matrices and in the API; and two routes, or a
network and a scenario of it, are compared in the same random "worlds".

**Correlation.** Delays on one corridor in one season move together. Each element
belongs to a corridor group (a border between two given countries for one mode; the
hubs of one country; a service's countries; a mode's links in one country; see
:mod:`silkway.compile.network`). Its log-time is ``log(median) + sigma * (sqrt(rho) *
Z[group, season] + sqrt(1 - rho) * Z[element])``: the marginal median and P90 stay as
the data give them, and a fraction ``rho`` (network parameter ``delay_correlation``)
of the variance is shared by the group in that meteorological season (Dec-Feb,
Mar-May, Jun-Aug, Sep-Nov of a given year).

**Storms.** A service with storm days (:mod:`silkway.engine.weather`) holds a draw in
port when the day it is ready to sail is a storm day in that draw, until the spell
ends; the storm days of a draw are a function of the seed, the region, the calendar
day and the draw, so winter crossings spread wider than summer ones.

**Replay.** Each route is replayed through the weekly timetables and the opening
windows of border posts, so a late arrival misses a weekly departure, and a dwell that
runs into a closure waits for the next opening, as in reality. All draws of a route are
replayed at once (numpy, one row of a clock array per operation), with the arithmetic of
:mod:`silkway.compile.timing` to the last bit (``tests/engine/test_replay_differential.py``
checks it against a replay of one draw at a time); an element's draws in a season are
kept by the compiled network for later queries.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from ..compile.network import element_key
from ..compile.timing import HOURS_PER_WEEK, OpenWindows, wait_for_departure
from ..model.records import MODES
from ._rng import splitmix64 as _splitmix64
from .driving import after_stop_array, drive_array
from .pricing import Costing
from .search import Route
from .weather import frame_day, storm_hold, storms

FloatArray = NDArray[np.float64]
NORMALS_MEMO_ROWS = 4096
"""Rows of common random numbers a compiled network keeps between queries (a pure
function of seed, element and draw count, so keeping them changes no result)."""
DRAWS_MEMO_FLOATS = 4 * 1024 * 1024
"""Numbers of lognormal draws a compiled network keeps between queries (32 MiB; each
element's draws are a pure function of seed, draw count, element, season, median and
spread, so keeping them changes no result)."""
_Request = tuple[str, int, float, float, float]
"""A draw wanted: kind, element index, hour it is met (for its season), median, sigma."""
_DrawKey = tuple[int, int, str, int, str, float, float]
"""Seed, draw count, kind, element index, season, median, sigma."""


def standard_normals(keys: Sequence[int], seed: int, samples: int) -> FloatArray:
    """Common random numbers: ``(len(keys), samples)`` standard normals.

    Row ``i`` depends only on ``keys[i]``, ``seed`` and the draw index, never on which
    other keys are asked for, nor on ``samples``: fewer draws are a prefix of more.
    Pairs of uniforms from a SplitMix64 counter stream become pairs of normals by
    Box-Muller.
    """
    k = np.array([int(x) & 0xFFFFFFFFFFFFFFFF for x in keys], dtype=np.uint64)[:, None]
    s = np.array([seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
    pairs = (samples + 1) // 2
    with np.errstate(over="ignore"):
        base = _splitmix64(k ^ _splitmix64(s))
        i = np.arange(pairs, dtype=np.uint64)[None, :] * np.uint64(2)
        u1 = (_splitmix64(base + i) >> np.uint64(11)).astype(np.float64)
        u2 = (_splitmix64(base + i + np.uint64(1)) >> np.uint64(11)).astype(np.float64)
    radius = np.sqrt(-2.0 * np.log(u1 * 2.0**-53 + 2.0**-54))  # u1 in (0, 1): log finite
    angle = (2.0 * math.pi * 2.0**-53) * u2
    # draw 2j is the cosine of pair j, draw 2j + 1 its sine: draw s never depends on n
    z = np.empty((k.shape[0], 2 * pairs), dtype=np.float64)
    z[:, 0::2] = radius * np.cos(angle)
    z[:, 1::2] = radius * np.sin(angle)
    return z[:, :samples]


def season_of(moment: dt.datetime) -> str:
    """Meteorological season id, e.g. ``2026-DJF`` for 2026-12-07 and 2027-01-15."""
    m = moment.month
    year = moment.year - (1 if m <= 2 else 0)
    name = ("DJF", "MAM", "JJA", "SON")[(m % 12) // 3]
    return f"{year}-{name}"


@dataclass(frozen=True, slots=True)
class RouteSample:
    """Monte Carlo draws for one route: the clock after every operation of its replay,
    from which the total hours and, when they are asked for, each step's waits follow."""

    total_hours: FloatArray
    p50: float
    p90: float
    """P50 and P90 of the total hours."""
    clock: FloatArray
    """Hours since the frame start after each operation, shape (operations + 1, draws);
    row 0 is the start."""
    step_rows: tuple[tuple[int, int], ...]
    """Per step: the clock rows reaching its start and done with its border."""
    moving: tuple[FloatArray | float, ...]
    """Per step: its moving hours in every draw (a float when fixed)."""

    def quantile(self, q: float) -> float:
        """Quantile of the total door-to-door hours."""
        if q == 0.5:
            return self.p50
        if q == 0.9:
            return self.p90
        return quantile(self.total_hours, q)

    def step_waits(self) -> FloatArray:
        """Waiting hours of every step in every draw, shape (steps, draws)."""
        clock = self.clock
        waits = np.empty((len(self.step_rows), clock.shape[1]))
        sub = np.subtract
        for k, (before, after) in enumerate(self.step_rows):
            row = waits[k]
            sub(clock[after], clock[before], out=row)
            sub(row, self.moving[k], out=row)
        return np.maximum(waits, 0.0, out=waits)


def quantile(values: FloatArray, q: float) -> float:
    """The ``q`` quantile with numpy's default (linear) rule."""
    return quantiles(values, (q,))[0]


def _positions(n: int, qs: Sequence[float]) -> tuple[list[float], list[int], list[int]]:
    """Linear-rule positions of ``qs`` among ``n`` sorted values: position, below, above."""
    pos = [q * (n - 1) for q in qs]
    lows = [math.floor(p) for p in pos]
    return pos, lows, [min(lo + 1, n - 1) for lo in lows]


def row_quantiles(rows: FloatArray, qs: Sequence[float], *, overwrite: bool = False) -> FloatArray:
    """Quantiles of each row of a 2-D array (numpy's linear rule): shape (rows, len(qs)).

    With ``overwrite`` the rows are sorted in place.
    """
    pos, lo, hi = _positions(rows.shape[1], qs)
    if overwrite:
        rows.sort(axis=1)  # a sort is faster than a partition at four ranks
        part = rows
    else:
        part = np.sort(rows, axis=1)
    frac = np.array(pos) - np.array(lo)
    return np.asarray(part[:, lo] + (part[:, hi] - part[:, lo]) * frac)


def quantiles(values: FloatArray, qs: Sequence[float]) -> tuple[float, ...]:
    """Several quantiles with numpy's default (linear) rule, by one sort."""
    return _sorted_quantiles(np.sort(values), qs)


def _sorted_quantiles(ordered: FloatArray, qs: Sequence[float]) -> tuple[float, ...]:
    """Quantiles of values sorted ascending (the linear rule of :func:`quantiles`)."""
    pos, lows, highs = _positions(ordered.shape[0], qs)
    out: list[float] = []
    for p, lo, hi in zip(pos, lows, highs, strict=True):
        a, b = float(ordered[lo]), float(ordered[hi])
        out.append(a + (b - a) * (p - lo))
    return tuple(out)


class Sampler:
    """Correlated draws of the elements routes meet, shared by all queries.

    The lognormal draws of an element in a season (for a seed, a number of draws, a
    median and a spread) are a pure function of those, so they are kept in the compiled
    network's cache (at most :data:`DRAWS_MEMO_FLOATS` numbers) and reused by later queries.

    Parameters
    ----------
    net
        The compiled network (medians, spreads, groups and keys).
    depart, frame
        The departure and the frame start, to place each element in its season.
    seed, samples
        As passed to :func:`silkway.plan`.
    """

    def __init__(
        self,
        net: CompiledNetwork,
        *,
        depart: dt.datetime,
        frame: dt.datetime,
        seed: int,
        samples: int,
    ) -> None:
        self.net = net
        self.frame = frame
        self.seed = seed
        self.samples = samples
        self._rho = net.delay_correlation
        self._seasons: dict[int, str] = {}

    def _season(self, at_hours: float) -> str:
        day = int(at_hours // 24.0)
        got = self._seasons.get(day)
        if got is None:
            got = self._seasons[day] = season_of(self.frame + dt.timedelta(days=day))
        return got

    def draws(self, wanted: Sequence[_Request]) -> list[FloatArray | float]:
        """Hours of each ``(kind, index, at_hours, median, sigma)`` element in every draw.

        A fixed time (no spread) is returned as a plain float; the draws not kept yet
        are made in one batch.
        """
        memo: dict[_DrawKey, FloatArray] = self.net.cache.setdefault("draws", {})
        seed, n = self.seed, self.samples
        out: list[FloatArray | float] = []
        todo: dict[_DrawKey, list[int]] = {}
        for kind, idx, at, median, sigma in wanted:
            if sigma == 0.0 or median <= 0.0:
                out.append(median)
                continue
            key = (seed, n, kind, idx, self._season(at), median, sigma)
            got = memo.get(key)
            if got is None:
                todo.setdefault(key, []).append(len(out))
                out.append(median)  # placeholder
            else:
                out.append(got)
        if todo:
            kept = self.net.cache.get("draws_floats", 0) + len(todo) * n
            if kept > DRAWS_MEMO_FLOATS:
                memo.clear()
                kept = len(todo) * n
            self.net.cache["draws_floats"] = kept
            normal = self._normals({(k[2], k[3], k[4]) for k in todo})
            for k, places in todo.items():
                _, _, kind, idx, season, median, sigma = k
                drawn = memo[k] = median * np.exp(sigma * normal[kind, idx, season])
                for i in places:
                    out[i] = drawn
        return out

    def _normals(
        self, elements: set[tuple[str, int, str]]
    ) -> dict[tuple[str, int, str], FloatArray]:
        """Correlated standard normals of ``(kind, index, season)`` elements."""
        net = self.net
        keys: dict[tuple[str, int, str], tuple[int, int]] = {}
        for kind, idx, season in elements:
            grp = int(getattr(net, f"{kind}_group")[idx])
            keys[kind, idx, season] = (
                int(getattr(net, f"{kind}_key")[idx]),
                element_key("group", f"{net.groups.id(grp)}@{season}"),
            )
        memo: dict[tuple[int, int, int], FloatArray] = net.cache.setdefault("normals", {})
        # rows are read from the memo once, into ``rows``: another thread planning on the
        # same network (the server's compute slots) may clear the memo at any moment
        needed = list(dict.fromkeys(k for pair in keys.values() for k in pair))
        rows: dict[int, FloatArray] = {}
        for k in needed:
            row = memo.get((self.seed, self.samples, k))
            if row is not None:
                rows[k] = row
        missing = [k for k in needed if k not in rows]
        if len(memo) + len(missing) > NORMALS_MEMO_ROWS:
            memo.clear()
        if missing:
            z = standard_normals(missing, self.seed, self.samples)
            for i, k in enumerate(missing):
                rows[k] = memo[(self.seed, self.samples, k)] = z[i]
        a, b = math.sqrt(self._rho), math.sqrt(1.0 - self._rho)
        return {element: a * rows[g] + b * rows[e] for element, (e, g) in keys.items()}


# --------------------------------------------------------------------------- replay
#
# A route's replay is a list of operations on the clock, one row each: additions (a
# transfer, a queue wait, moving, a dwell at an always-open border) and three that are
# not (waiting for a weekly departure, clearing a border that keeps opening hours, a
# storm hold before sailing).
# The clock is one (operations + 1, draws) array, each row computed from the one above
# for every draw at once.

_ADD, _BOARD, _CLEAR, _STORM, _DRIVE = 0, 1, 2, 3, 4
_Op = tuple[int, int, float, Any]
"""An operation: its kind, the draw it adds or works (-1: none), the boarding's offset
from the service's first stop, and the departures, the opening windows or the storm
table it waits for (for a drive: the clock row where the stop before it began)."""
_STOP, _RESET = 0, 1
_Program = tuple[list[_Op], list[_Request], list[tuple[int, int]], list[int], dict[int, int], Any]
"""Operations, draws, per step its clock rows, per step its moving draw; then what each
operation does to the driving clock (``_STOP``: a stop of its length, ``_RESET``: a
fresh driver) and the driving rules (``None``: none)."""


def _tables(net: CompiledNetwork) -> dict[str, list[Any]]:
    """The compiled arrays a replay reads per step, as lists (cached per network)."""
    got: dict[str, list[Any]] | None = net.cache.get("replay_tables")
    if got is None:
        names = ["arc_link", "arc_crossing", "link_sigma", "transfer_hours", "transfer_sigma"]
        names += ["service_hours", "service_sigma"]
        names += ["arc_mode", "crossing_transload"]
        got = net.cache["replay_tables"] = {k: getattr(net, k).tolist() for k in names}
    return got


def _program(
    net: CompiledNetwork, costing: Costing, route: Route, start: float, first: int
) -> _Program:
    """The operations of ``route``'s replay; its draws are requests ``first`` onwards.

    Returns the operations, the draws they need, and per step the clock rows reaching
    its start and done with it, and the request of its moving time.
    """
    tab = _tables(net)
    arc_link, arc_crossing, link_sigma = tab["arc_link"], tab["arc_crossing"], tab["link_sigma"]
    ops: list[_Op] = []
    wanted: list[_Request] = []
    rows: list[tuple[int, int]] = []
    moving: list[int] = []
    departures = costing.service_departures
    # the query's train type sets the crossings' dwell
    c_hours, c_sigma = costing.crossing_hours, costing.crossing_sigma
    storm_of = storms(net)
    rules = costing.drive_rules
    post: dict[int, int] = {}
    road = MODES.index("road")
    for step in route.steps:
        at = start + step.depart_hours
        before = len(ops)
        ti = step.transfer
        if ti >= 0:
            wanted.append(
                ("transfer", ti, at, tab["transfer_hours"][ti], tab["transfer_sigma"][ti])
            )
            ops.append((_ADD, first + len(wanted) - 1, 0.0, None))
        arc = step.arc
        sv = step.service
        if sv >= 0 and not step.continued:
            deps = departures[sv]
            if deps is None:
                wanted.append(
                    ("service", sv, at, tab["service_hours"][sv], tab["service_sigma"][sv])
                )
                ops.append((_ADD, first + len(wanted) - 1, 0.0, None))
            else:
                ops.append(
                    (_BOARD, -1, _board_offset(net, arc, sv), _week_departures(net, sv, deps))
                )
            storm = storm_of[sv]
            if storm is not None:
                ops.append((_STORM, -1, 0.0, storm))
        li = arc_link[arc]
        wanted.append(("link", li, at, step.moving_hours, link_sigma[li]))
        moving.append(first + len(wanted) - 1)
        driven = rules is not None and tab["arc_mode"][arc] == road
        if driven:
            ops.append((_DRIVE, moving[-1], 0.0, before))
        else:
            if rules is not None:
                post[len(ops)] = _RESET
            ops.append((_ADD, moving[-1], 0.0, None))
        ci = arc_crossing[arc]
        if ci >= 0:
            at_x = start + step.arrive_hours
            wanted.append(("crossing", ci, at_x, float(c_hours[ci]), float(c_sigma[ci])))
            on_schedule = sv >= 0 and departures[sv] is not None and _continues(net, arc, sv)
            w = None if on_schedule else costing.windows[ci]
            k = first + len(wanted) - 1
            if driven:
                post[len(ops)] = _RESET if tab["crossing_transload"][ci] else _STOP
            ops.append((_ADD, k, 0.0, None) if w is None else (_CLEAR, k, 0.0, w))
        rows.append((before, len(ops)))
    return ops, wanted, rows, moving, post, None if rules is None else rules.as_tuple()


@dataclass(frozen=True, slots=True)
class _Weather:
    """What a storm hold needs besides the clock: the frame's date, the seed, and the
    network's memo of storm days."""

    first_day: int
    seed: int
    memo: dict[object, object]


def _replay(
    program: _Program,
    drawn: Sequence[FloatArray | float],
    start: float,
    samples: int,
    weather: _Weather,
) -> RouteSample:
    """Run one route's operations in every draw at once."""
    ops, _, rows, moving, post, rules = program
    clock = np.empty((len(ops) + 1, samples))
    t = clock[0]
    t[...] = start
    add = np.add
    if rules is not None:
        b = np.zeros(samples)
        d = np.zeros(samples)
    for r, (kind, k, offset, extra) in enumerate(ops, start=1):
        out = clock[r]
        if kind == _ADD:
            add(t, drawn[k], out=out)
        elif kind == _BOARD:
            add(t, _departure_wait(t - offset, extra), out=out)
        elif kind == _STORM:
            hold = storm_hold(
                t, extra, first_day=weather.first_day, seed=weather.seed, memo=weather.memo
            )
            add(t, hold, out=out)
        elif kind == _DRIVE:
            pre = t - clock[extra]
            if (pre > 0.0).any():
                nb, nd = after_stop_array(b, d, pre, rules[1], rules[3])
                b, d = np.where(pre > 0.0, nb, b), np.where(pre > 0.0, nd, d)
            stopped, b, d = drive_array(b, d, drawn[k], rules)
            out[...] = t + drawn[k] + stopped
        else:
            out[...] = _finish(extra, t, drawn[k])
        action = post.get(r - 1)
        if action is not None:
            if action == _RESET:
                b = np.zeros(samples)
                d = np.zeros(samples)
            else:
                b, d = after_stop_array(b, d, out - t, rules[1], rules[3])
        t = out
    total = t - start
    p50, p90 = _sorted_quantiles(np.sort(total), (0.5, 0.9))
    return RouteSample(total, p50, p90, clock, tuple(rows), tuple(drawn[k] for k in moving))


def simulate_routes(
    net: CompiledNetwork,
    costing: Costing,
    routes: Sequence[Route],
    *,
    start_hours: float,
    sampler: Sampler,
) -> list[RouteSample]:
    """Replay each route ``sampler.samples`` times with correlated random times (see the
    module doc); the draws of all of them are looked up, or made, in one batch."""
    programs: list[_Program] = []
    wanted: list[_Request] = []
    for route in routes:
        programs.append(_program(net, costing, route, start_hours, len(wanted)))
        wanted += programs[-1][1]
    drawn = sampler.draws(wanted)
    weather = _Weather(
        frame_day(sampler.frame), sampler.seed, net.cache.setdefault("storm_days", {})
    )
    return [_replay(p, drawn, start_hours, sampler.samples, weather) for p in programs]


def simulate_route(
    net: CompiledNetwork, costing: Costing, route: Route, *, start_hours: float, sampler: Sampler
) -> RouteSample:
    """Replay ``route`` with random dwell, waits and moving times (see the module doc)."""
    (sample,) = simulate_routes(net, costing, [route], start_hours=start_hours, sampler=sampler)
    return sample


def _departure_wait(t_hours: FloatArray, departures: FloatArray) -> FloatArray:
    """:func:`~silkway.compile.timing.wait_for_departure` of an array of times, exactly.

    ``departures`` comes from :func:`_week_departures`. With departures within the week
    ``[0, 168)``, the earliest one at or after the hour of the week ``tw`` is found by
    bisection, and the week's first ``d0`` is taken next week instead if that is
    earlier: ``(d - tw) mod 168`` is ``d - tw`` for the former and ``(d0 - tw) + 168``
    for the latter, the same floating-point operations as the modulo.
    """
    if departures.size == 0 or departures[-1] != np.inf:  # outside the week: general rule
        return wait_for_departure(t_hours, departures)
    tw = np.mod(t_hours, HOURS_PER_WEEK)
    nxt = departures[np.searchsorted(departures, tw, side="left")] - tw  # inf past the last
    d0 = float(departures[0])
    late = tw > d0
    if not late.any():
        return nxt
    return np.where(late, np.minimum(nxt, (d0 - tw) + HOURS_PER_WEEK), nxt)


def _week_departures(net: CompiledNetwork, service: int, departures: FloatArray) -> FloatArray:
    """:func:`_week_departures_of` ``departures`` (cached per network and service)."""
    table: dict[int, tuple[FloatArray, FloatArray]] = net.cache.setdefault("week_departures", {})
    got = table.get(service)
    if got is None or got[0] is not departures:
        got = table[service] = (departures, _week_departures_of(departures))
    return got[1]


def _week_departures_of(departures: FloatArray) -> FloatArray:
    """``departures`` sorted with ``inf`` appended when all are within the week, else as
    they are (for :func:`_departure_wait`)."""
    ordered = np.sort(departures)
    if ordered.size > 0 and ordered[0] >= 0.0 and ordered[-1] < HOURS_PER_WEEK:
        return np.append(ordered, np.inf)
    return departures


def _finish(w: OpenWindows, t: FloatArray, work: FloatArray | float) -> FloatArray:
    """``w.finish(t, work)`` of an array of times, exactly: the same arithmetic, with the
    branches no draw takes left out (see :meth:`~silkway.compile.timing.OpenWindows.finish`)."""
    starts, ends, cum, cum_end = w.starts, w.ends, w.cum, w.cum_end
    n = starts.shape[0]
    shift: FloatArray | float = 0.0
    tf = t
    beyond = t > w.fold_at
    if beyond.any():
        shift = np.where(beyond, np.ceil((t - w.fold_at) / HOURS_PER_WEEK) * HOURS_PER_WEEK, 0.0)
        tf = t - shift
    i = np.searchsorted(starts, tf, side="right") - 1
    ic = np.maximum(i, 0)
    s = starts[ic]
    opened = cum[ic] + np.minimum(np.maximum(tf - s, 0.0), ends[ic] - s)
    if (i < 0).any():
        opened = np.where(i >= 0, opened, 0.0)
    target = opened + work
    some_work = target > opened
    limit = float(cum_end[-1]) - w.week_open
    over = target > limit
    if over.any():
        weeks = np.where(over, np.ceil((target - limit) / w.week_open), 0.0)
        target = target - weeks * w.week_open
        shift = shift + weeks * HOURS_PER_WEEK
    j = np.searchsorted(cum_end, target, side="left")
    if not some_work.all():
        j = np.where(some_work, j, np.searchsorted(cum_end, target, side="right"))
    jc = np.minimum(j, n - 1)
    later = starts[jc] + (target - cum[jc])
    if (j >= n).any():
        later = np.where(j >= n, ends[-1] + (target - cum_end[-1]), later)
    done = np.where(j == i, tf + (target - opened), later)
    return np.asarray(done + shift)


def _board_offset(net: CompiledNetwork, arc: int, service: int) -> float:
    """Hours from ``service``'s first stop to its boarding of ``arc`` (cached per network)."""
    table: dict[tuple[int, int], float] = net.cache.setdefault("board_offsets", {})
    got = table.get((arc, service))
    if got is None:
        got = table[arc, service] = next(
            float(net.board_offset[b])
            for b in net.boardings(arc)
            if net.board_service[b] == service
        )
    return got


def _continues(net: CompiledNetwork, arc: int, service: int) -> bool:
    """Whether ``service`` runs on after ``arc`` (the arc is not its last stop; cached)."""
    table: dict[tuple[int, int], bool] = net.cache.setdefault("service_continues", {})
    got = table.get((arc, service))
    if got is None:
        got = table[arc, service] = any(
            net.board_service[b] == service and net.board_next[b] >= 0 for b in net.boardings(arc)
        )
    return got
