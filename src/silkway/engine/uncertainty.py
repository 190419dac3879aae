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

**Replay.** Each route is replayed through the weekly timetables and the opening
windows of border posts, so a late arrival misses a weekly departure, and a dwell that
runs into a closure waits for the next opening, as in reality.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from ..compile.network import element_key
from ..compile.timing import wait_for_departure
from .pricing import Costing
from .search import Route

FloatArray = NDArray[np.float64]
NORMALS_MEMO_ROWS = 4096
"""Rows of common random numbers a compiled network keeps between queries (a pure
function of seed, element and draw count, so keeping them changes no result)."""
_M64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _splitmix64(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The SplitMix64 finaliser (a bijective 64-bit mix), elementwise."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


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
    """Monte Carlo draws for one route: total hours, and per step the times before and
    after it and its moving time, from which the waits follow when they are asked for."""

    total_hours: FloatArray
    step_times: tuple[tuple[FloatArray, FloatArray, FloatArray | float], ...]
    """(time reaching the step's start, time done with its border, moving hours)."""
    p50: float
    p90: float
    """P50 and P90 of the total hours."""

    def quantile(self, q: float) -> float:
        """Quantile of the total door-to-door hours."""
        if q == 0.5:
            return self.p50
        if q == 0.9:
            return self.p90
        return quantile(self.total_hours, q)

    def step_waits(self) -> FloatArray:
        """Waiting hours of every step in every draw, shape (steps, draws)."""
        return np.vstack(
            [np.maximum(after - before - moving, 0.0) for before, after, moving in self.step_times]
        )


def quantile(values: FloatArray, q: float) -> float:
    """The ``q`` quantile with numpy's default (linear) rule, by partial sort."""
    return quantiles(values, (q,))[0]


def row_quantiles(rows: FloatArray, qs: Sequence[float]) -> FloatArray:
    """Quantiles of each row of a 2-D array (numpy's linear rule): shape (rows, len(qs))."""
    n = rows.shape[1]
    pos = np.array([q * (n - 1) for q in qs])
    lo = np.floor(pos).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    part = np.partition(rows, sorted(set(lo.tolist()) | set(hi.tolist())), axis=1)
    return np.asarray(part[:, lo] + (part[:, hi] - part[:, lo]) * (pos - lo))


def quantiles(values: FloatArray, qs: Sequence[float]) -> tuple[float, ...]:
    """Several quantiles with numpy's default (linear) rule, by one partial sort."""
    n = values.shape[0]
    pos = [q * (n - 1) for q in qs]
    lows = [math.floor(p) for p in pos]
    kth = sorted({k for lo in lows for k in (lo, min(lo + 1, n - 1))})
    part = np.partition(values, kth)
    return tuple(
        float(part[lo] + (part[min(lo + 1, n - 1)] - part[lo]) * (p - lo))
        for p, lo in zip(pos, lows, strict=True)
    )


class Sampler:
    """Correlated draws of every element one query touches, made once and shared.

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
        self._cache: dict[tuple[str, int, str], FloatArray] = {}
        self._seasons: dict[int, str] = {}
        self._drawn: dict[tuple[tuple[str, int, str], float, float], FloatArray] = {}

    def _season(self, at_hours: float) -> str:
        day = int(at_hours // 24.0)
        got = self._seasons.get(day)
        if got is None:
            got = self._seasons[day] = season_of(self.frame + dt.timedelta(days=day))
        return got

    def prepare(self, wanted: Sequence[tuple[str, int, float]]) -> None:
        """Draw, in one batch, the normals of ``(kind, index, at_hours)`` elements."""
        net = self.net
        todo: dict[tuple[str, int, str], tuple[int, int]] = {}
        for kind, idx, at in wanted:
            if getattr(net, f"{kind}_sigma")[idx] == 0.0:
                continue
            season = self._season(at)
            key = (kind, idx, season)
            if key in self._cache or key in todo:
                continue
            grp = int(getattr(net, f"{kind}_group")[idx])
            todo[key] = (
                int(getattr(net, f"{kind}_key")[idx]),
                element_key("group", f"{net.groups.id(grp)}@{season}"),
            )
        if not todo:
            return
        memo: dict[tuple[int, int, int], FloatArray] = net.cache.setdefault("normals", {})
        needed = list(dict.fromkeys(k for pair in todo.values() for k in pair))
        rows = [k for k in needed if (self.seed, self.samples, k) not in memo]
        if len(memo) + len(rows) > NORMALS_MEMO_ROWS:
            memo.clear()
            rows = needed
        if rows:
            z = standard_normals(rows, self.seed, self.samples)
            for i, k in enumerate(rows):
                memo[(self.seed, self.samples, k)] = z[i]
        a, b = math.sqrt(self._rho), math.sqrt(1.0 - self._rho)
        for key, (elem, grp_key) in todo.items():
            self._cache[key] = (
                a * memo[(self.seed, self.samples, grp_key)]
                + b * memo[(self.seed, self.samples, elem)]
            )

    def draw(
        self, kind: str, idx: int, at_hours: float, median: float, sigma: float
    ) -> FloatArray | float:
        """Hours of element ``(kind, idx)`` reached at ``at_hours``, in every draw.

        A fixed time (no spread) is returned as a plain float.
        """
        if sigma == 0.0 or median <= 0.0:
            return median
        key = (kind, idx, self._season(at_hours))
        drawn = self._drawn.get((key, median, sigma))
        if drawn is None:
            z = self._cache.get(key)
            if z is None:
                self.prepare([(kind, idx, at_hours)])
                z = self._cache[key]
            drawn = self._drawn[(key, median, sigma)] = median * np.exp(sigma * z)
        return drawn


def _elements(net: CompiledNetwork, route: Route, start: float) -> list[tuple[str, int, float]]:
    """The uncertain elements a route meets, with the (median-basis) hour it meets them."""
    out: list[tuple[str, int, float]] = []
    for step in route.steps:
        at = start + step.depart_hours
        if step.transfer >= 0:
            out.append(("transfer", step.transfer, at))
        if step.service >= 0 and not step.continued and net.service_queue[step.service]:
            out.append(("service", step.service, at))
        out.append(("link", int(net.arc_link[step.arc]), at))
        ci = int(net.arc_crossing[step.arc])
        if ci >= 0:
            out.append(("crossing", ci, start + step.arrive_hours))
    return out


def prepare_routes(
    net: CompiledNetwork, routes: Sequence[Route], *, start_hours: float, sampler: Sampler
) -> None:
    """Draw, in one batch, the random numbers of every element ``routes`` meet."""
    sampler.prepare([e for r in routes for e in _elements(net, r, start_hours)])


def simulate_routes(
    net: CompiledNetwork,
    costing: Costing,
    routes: Sequence[Route],
    *,
    start_hours: float,
    sampler: Sampler,
) -> list[RouteSample]:
    """Replay each route ``sampler.samples`` times with correlated random times.

    Elements the sampler has not prepared (see :func:`prepare_routes`) are drawn as
    they are met.
    """
    return [
        simulate_route(net, costing, r, start_hours=start_hours, sampler=sampler) for r in routes
    ]


def simulate_route(
    net: CompiledNetwork, costing: Costing, route: Route, *, start_hours: float, sampler: Sampler
) -> RouteSample:
    """Replay ``route`` with random dwell, waits and moving times (see the module doc)."""
    n = sampler.samples
    t = np.full(n, start_hours)
    times: list[tuple[FloatArray, FloatArray, FloatArray | float]] = []
    for step in route.steps:
        at = start_hours + step.depart_hours
        before = t  # every update below makes a new array
        if step.transfer >= 0:
            ti = step.transfer
            t = t + sampler.draw(
                "transfer", ti, at, float(net.transfer_hours[ti]), float(net.transfer_sigma[ti])
            )
        arc = step.arc
        if step.service >= 0 and not step.continued:
            sv = step.service
            deps = costing.service_departures[sv]
            if deps is None:
                t = t + sampler.draw(
                    "service", sv, at, float(net.service_hours[sv]), float(net.service_sigma[sv])
                )
            else:
                offset = next(
                    float(net.board_offset[b])
                    for b in net.boardings(arc)
                    if net.board_service[b] == sv
                )
                t = t + wait_for_departure(t - offset, deps)
        li = int(net.arc_link[arc])
        moving = sampler.draw("link", li, at, step.moving_hours, float(net.link_sigma[li]))
        t = t + moving
        ci = int(net.arc_crossing[arc])
        if ci >= 0:
            at_x = start_hours + step.arrive_hours
            dwell = sampler.draw(
                "crossing", ci, at_x, float(net.crossing_hours[ci]), float(net.crossing_sigma[ci])
            )
            on_schedule = (
                step.service >= 0
                and costing.service_departures[step.service] is not None
                and _continues(net, arc, step.service)
            )
            w = None if on_schedule else costing.windows[ci]
            t = w.finish(t, dwell) if w is not None else t + dwell
        times.append((before, t, moving))
    total = t - start_hours
    p50, p90 = quantiles(total, (0.5, 0.9))
    return RouteSample(total, tuple(times), p50, p90)


def _continues(net: CompiledNetwork, arc: int, service: int) -> bool:
    """Whether ``service`` runs on after ``arc`` (the arc is not its last stop)."""
    return any(
        net.board_service[b] == service and net.board_next[b] >= 0 for b in net.boardings(arc)
    )
