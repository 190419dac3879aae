"""The search kernel: time-dependent multi-criteria label setting on the state graph.

This module is the hot loop; everything it needs arrives precomputed, in the compiled
network's flat CSR arrays and a per-query :class:`~silkway.engine.pricing.Costing`.

A *label* is a partial route: its arrival time, cost, CO2e (well-to-wheel), number of
transshipments, and where it stands: (state, service it is on and the arc that service
takes next, via places passed). Labels leave the heap in order of arrival time plus a
lower bound of the time still to go (an A* order); a label is dropped when another at
the same node is no worse on every criterion, or when a finished route is no worse than
the label plus lower bounds of what is still to come on every criterion (target
pruning with the bounds of :mod:`silkway.engine.reach`). Waiting is allowed
everywhere, so the graph is FIFO. Routes are simple paths (no place twice).

Labels at a node are compared without regard to the places they have visited. That
keeps the search fast but makes the result a close approximation, not always the exact
Pareto set: a label may be dropped for one that has already passed a place the dropped
one still needed to pass in another mode or gauge, and a Pareto route through that
place is then missed. The result is exact for networks of three places; when every
place has a single state (one mode and gauge, no services); and when every place has
the same transfer between every two states and there are no services (see
``tests/engine/test_search_property.py``); on the bundled network a test compares it
with the exact search on every origin-destination pair. With ``exact=True`` a label is
compared only with labels that visited a subset of its places: exact over simple paths
on any network (the property tests check it against brute force), but exponential in
the worst case, so the planner runs it, on a label budget, only when the fast search
finds no route although the destination is reachable.

A search stops early at its label budget or its deadline; :class:`SearchStats` says
so, and the planner reports the result as incomplete.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..compile import CompiledNetwork
from ..compile.timing import wait_for_departure
from ..model.records import MODES
from .driving import after_stop, drive
from .pricing import Costing
from .query import OBJECTIVES as OBJECTIVES  # re-exported: the kernel names its criteria
from .weather import median_hold

DEFAULT_MAX_LABELS = 2_000_000
"""Label budget of one search: far above what any bundled query needs (a few hundred)."""

_INF = float("inf")
JIT_MIN_PLACES = 500
"""From this many places the planner runs the compiled twins of the fast search and the
reachability check (:mod:`silkway.engine._jit`); smaller networks, the bundled one among
them, are planned before numba would have loaded."""


@dataclass(frozen=True, slots=True)
class Step:
    """One arc of a found route and what happened before and after moving on it."""

    arc: int
    transfer: int
    """Transfer index applied before boarding the arc, or -1."""
    service: int
    """Service boarded or continued on this arc, or -1 (open access)."""
    continued: bool
    """True if the shipment stayed on the same service from the previous arc."""
    depart_hours: float
    """Time the cargo reached the arc's start place (before transfer and waits)."""
    transfer_hours: float
    service_wait_hours: float
    moving_hours: float
    opening_wait_hours: float
    crossing_hours: float
    arrive_hours: float
    storm_hours: float = 0.0
    """Median-basis hold in port for a storm before sailing (see
    :mod:`silkway.engine.weather`): zero unless storms are more likely than not."""
    rest_hours: float = 0.0
    """Hours the truck stood for driving-time breaks and daily rests on the arc (road
    legs under driving rules; part of the time before ``arrive_hours``)."""
    breaks: int = 0
    """Breaks taken on the arc (:mod:`silkway.engine.driving`)."""
    rests: int = 0
    """Daily rests taken on the arc."""


@dataclass(frozen=True, slots=True)
class Route:
    """A complete route: its criteria and its steps."""

    hours: float
    cost_usd: float
    co2_kg: float
    transshipments: int
    steps: tuple[Step, ...]

    def criteria(self) -> tuple[float, float, float]:
        """(hours, cost, CO2e)."""
        return (self.hours, self.cost_usd, self.co2_kg)


@dataclass(frozen=True, slots=True)
class SearchStats:
    """What one search did."""

    labels: int
    """Labels created."""
    expanded: int
    """Labels taken from the heap and extended."""
    seconds: float
    budget_hit: bool
    deadline_hit: bool

    @property
    def complete(self) -> bool:
        """Whether the search ran to the end (neither budget nor deadline stopped it)."""
        return not (self.budget_hit or self.deadline_hit)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Routes of one search (sorted by time) and its statistics."""

    routes: list[Route]
    stats: SearchStats


@dataclass(frozen=True, slots=True)
class Labels:
    """Every label one run of the kernel made (parallel lists indexed by label id).

    :func:`search` turns the finished labels into routes; the one-to-all search
    (:mod:`silkway.engine.onetoall`) reads the live labels at every place.
    """

    start_hours: float
    vals: list[tuple[float, float, float, int]]
    """(arrival hours since the frame start, cost, CO2e, transshipments)."""
    where: list[tuple[int, int, int, int, int]]
    """(place, state, service, next arc, via phase)."""
    parent: list[int]
    step: Sequence[tuple[Any, ...] | None]
    alive: list[bool]
    """False once another label dominated it."""
    finished: list[int]
    """Labels at the destination (none in one-to-all mode)."""
    stats: SearchStats

    def route(self, lid: int) -> Route:
        """The route that label ``lid`` ends, rebuilt from its parents."""
        raw: list[tuple[Any, ...]] = []
        j = lid
        while (done := self.step[j]) is not None:
            raw.append(done)
            j = self.parent[j]
        start_hours = self.start_hours
        steps = tuple(
            Step(a, ti, sv, cont, t0 - start_hours, th, w, mv, ow, dw, t2 - start_hours, st, *rest)
            for a, ti, sv, cont, t0, th, w, mv, ow, dw, t2, st, *rest in reversed(raw)
        )
        t, c, e, k = self.vals[lid]
        return Route(t - start_hours, c, e, k, steps)


@dataclass(frozen=True, slots=True)
class Bounds:
    """Lower bounds of the time, cost and CO2e still to go, per via phase and place.

    ``time[phase][place]`` bounds the hours from ``place`` to the destination for a
    route that has passed ``phase`` via places. ``inf`` means the destination cannot be
    reached from there.
    """

    time: Sequence[Sequence[float]]
    cost: Sequence[Sequence[float]]
    co2: Sequence[Sequence[float]]


def kernel_lists(net: CompiledNetwork) -> dict[str, Any]:
    """The compiled arrays the kernel reads, as Python lists (built once per network)."""
    got = net.cache.get("kernel")
    if got is None:
        got = {
            "out_ptr": net.out_ptr.tolist(),
            "out_arc": net.out_arc.tolist(),
            "arc_to": net.arc_to.tolist(),
            "arc_from_state": net.arc_from_state.tolist(),
            "arc_to_state": net.arc_to_state.tolist(),
            "arc_crossing": net.arc_crossing.tolist(),
            "board_ptr": net.board_ptr.tolist(),
            "board_service": net.board_service.tolist(),
            "board_offset": net.board_offset.tolist(),
            "board_next": net.board_next.tolist(),
            "always_open": net.crossing_always_open.tolist(),
            "arc_road": (net.arc_mode == MODES.index("road")).tolist(),
            "transload": net.crossing_transload.tolist(),
        }
        net.cache["kernel"] = got
    return got


def search(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    destination: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...] = OBJECTIVES,
    max_transshipments: int | None = None,
    max_labels: int = DEFAULT_MAX_LABELS,
    exact: bool = False,
    via: Sequence[int] = (),
    bounds: Bounds | None = None,
    deadline: float | None = None,
    tolerance: float = 0.0,
) -> SearchResult:
    """Find the Pareto set of routes from ``origin`` to ``destination`` (place indexes).

    The parameters are those of :func:`label_search`; the routes are its finished
    labels, sorted by time, cost and CO2e.
    """
    found = label_search(
        net,
        costing,
        origin,
        destination,
        start_hours=start_hours,
        objectives=objectives,
        max_transshipments=max_transshipments,
        max_labels=max_labels,
        exact=exact,
        via=via,
        bounds=bounds,
        deadline=deadline,
        tolerance=tolerance,
    )
    routes = [found.route(lid) for lid in found.finished if found.alive[lid]]
    routes.sort(key=lambda r: (r.hours, r.cost_usd, r.co2_kg))
    return SearchResult(routes, found.stats)


def label_search(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    destination: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...] = OBJECTIVES,
    max_transshipments: int | None = None,
    max_labels: int = DEFAULT_MAX_LABELS,
    exact: bool = False,
    via: Sequence[int] = (),
    bounds: Bounds | None = None,
    deadline: float | None = None,
    tolerance: float = 0.0,
) -> Labels:
    """Run the kernel from ``origin`` towards ``destination`` (place indexes).

    Parameters
    ----------
    net, costing
        The compiled network and this query's per-element numbers.
    origin, destination
        Place indexes. With ``destination=-1`` (one-to-all mode) no place ends a route:
        the labels at every place are kept and extended, nothing is pruned against
        finished routes (pass no ``bounds`` and no ``via``), and the result's
        ``finished`` is empty.
    start_hours
        Departure, in hours since the frame start (Monday 00:00 UTC of its week).
    objectives
        Criteria to be Pareto-optimal over, a subset of ``("time", "cost", "co2")``.
    max_transshipments
        Upper bound on transshipments and gauge changes; also a criterion when set.
    max_labels
        Label budget; past it the search stops with what it has.
    exact
        Compare a label only with labels that visited a subset of its places.
    via
        Place indexes every route passes, in this order.
    bounds
        Lower bounds for target pruning (see :class:`Bounds`); none if ``None``.
    deadline
        ``time.perf_counter()`` value at which the search stops with what it has.
    tolerance
        Relative tolerance of the dominance checks (ignored with ``exact=True``). A
        new label is dropped when another at the same node, or a finished route against
        its lower bounds, is within ``1 + tolerance`` of it on every criterion (time
        counted from the departure). Against finished routes, a label that could still
        beat the best finished time, cost or CO2e is compared exactly. The result is an
        approximation of the Pareto set, with no guarantee that it holds each Pareto
        route or each criterion's optimum; a large network's search makes far fewer
        labels with it. ``0`` is the dominance described above.

    Returns
    -------
    Labels
    """
    t_start = time.perf_counter()
    kl = kernel_lists(net)
    out_ptr, out_arc, arc_to = kl["out_ptr"], kl["out_arc"], kl["arc_to"]
    arc_from_state, arc_to_state = kl["arc_from_state"], kl["arc_to_state"]
    arc_crossing, always_open = kl["arc_crossing"], kl["always_open"]
    arc_hours = costing.arc_hours.tolist()
    board_ptr, board_service = kl["board_ptr"], kl["board_service"]
    board_offset, board_next = kl["board_offset"], kl["board_next"]
    between = net.transfer_between
    n_states = net.n_states

    arc_ok = costing.arc_ok.tolist()
    arc_cost = costing.arc_cost_usd.tolist()
    arc_co2 = costing.arc_co2_kg.tolist()
    t_ok = costing.transfer_ok.tolist()
    t_h = costing.transfer_hours.tolist()
    t_c = costing.transfer_cost_usd.tolist()
    t_e = costing.transfer_co2_kg.tolist()
    t_k = costing.transfer_counts.tolist()
    c_h = costing.crossing_hours.tolist()
    c_c = costing.crossing_cost_usd.tolist()
    s_ok = costing.service_ok.tolist()
    s_wait = costing.service_wait_hours.tolist()
    s_dep = costing.service_departures
    s_storm = [None if d is None else d.tolist() for d in costing.service_storm_days]
    windows = costing.windows
    arc_road, transload = kl["arc_road"], kl["transload"]
    rules = costing.drive_rules
    if rules is not None:
        r_bb, r_bh, r_dd, r_dr = rules.as_tuple()

    use_t, use_c, use_e = (o in objectives for o in OBJECTIVES)
    use_k = max_transshipments is not None
    kmax = max_transshipments if max_transshipments is not None else 1 << 30
    n_via = len(via)
    via_rank = {p: i for i, p in enumerate(via)}
    n_phase = n_via + 1
    zero = [[0.0] * len(net.places)] * n_phase
    lb_t = bounds.time if bounds is not None else zero
    lb_c = bounds.cost if bounds is not None else zero
    lb_e = bounds.co2 if bounds is not None else zero

    # label store: parallel lists indexed by label id
    l_vals: list[tuple[float, float, float, int]] = []
    l_crit: list[tuple[float, float, float, int]] = []
    l_where: list[tuple[int, int, int, int, int]] = []  # place, state, service, next arc, phase
    l_clock: list[tuple[float, float]] = []  # driving since the last break, and daily rest
    l_mask: list[int] = []
    l_parent: list[int] = []
    l_step: list[tuple[Any, ...] | None] = []
    alive: list[bool] = []
    bags: dict[Any, list[int]] = {}
    finished: list[int] = []
    heap: list[tuple[float, float, float, int]] = []

    fin_arr: list[Any] = [None]  # finished criteria as an (F, 4) array, rebuilt on change
    loose_on = tolerance > 0.0 and not exact
    relax = 1.0 + tolerance
    fin_min = [_INF, _INF, _INF]  # best finished (criterion) time, cost, CO2e

    def loosen(v: tuple[float, float, float, int]) -> tuple[float, float, float, int]:
        # v within the tolerance: what a label must beat to survive a relaxed check
        t = start_hours + (v[0] - start_hours) * relax if use_t else 0.0
        return (t, v[1] * relax, v[2] * relax, v[3])

    def no_new_best(v: tuple[float, float, float, int]) -> bool:
        return v[0] >= fin_min[0] and v[1] >= fin_min[1] and v[2] >= fin_min[2]

    def pruned_by_finished(est: tuple[float, float, float, int]) -> bool:
        if len(finished) <= 24:
            for j in finished:
                f = l_crit[j]
                if f[0] <= est[0] and f[1] <= est[1] and f[2] <= est[2] and f[3] <= est[3]:
                    return True
            return False
        arr = fin_arr[0]
        if arr is None:
            arr = fin_arr[0] = np.array([l_crit[j] for j in finished], dtype=np.float64)
        return bool((arr <= np.array(est)).all(axis=1).any())

    def push(
        vals: tuple[float, float, float, int],
        where: tuple[int, int, int, int, int],
        clock: tuple[float, float],
        mask: int,
        parent: int,
        step: tuple[Any, ...] | None,
    ) -> None:
        t, c, e, k = vals
        crit = (t if use_t else 0.0, c if use_c else 0.0, e if use_e else 0.0, k if use_k else 0)
        q, state, svc, nxt, phase = where
        at_dest = q == destination and phase == n_via
        if finished:
            if at_dest:
                est = crit
            else:
                bt, bc, be = lb_t[phase][q], lb_c[phase][q], lb_e[phase][q]
                est = (
                    crit[0] + bt if use_t else 0.0,
                    crit[1] + bc if use_c else 0.0,
                    crit[2] + be if use_e else 0.0,
                    crit[3],
                )
            if loose_on and no_new_best(est):
                est = loosen(est)
            if pruned_by_finished(est):
                return
        if at_dest:
            bag = finished
        else:
            key: Any = state * n_phase + phase if nxt < 0 else (state, phase, svc, nxt)
            bag = bags.get(key)  # type: ignore[assignment]
            if bag is None:
                bag = bags[key] = []
        c0, c1, c2, c3 = crit
        # a label covers another only if its driving clock is no later either (a more
        # rested driver can do whatever a less rested one can; see driving.py)
        cb, cd = clock
        if not exact or at_dest:
            # the bag holds only live, mutually non-dominated labels: one pass finds
            # a label that covers the new one (dominates it, or is within the
            # tolerance), or those the new one dominates
            if loose_on and (not at_dest or no_new_best(crit)):
                l0, l1, l2, _ = loosen(crit)
            else:
                l0, l1, l2 = c0, c1, c2
            doomed = None
            for pos, j in enumerate(bag):
                o = l_crit[j]
                ob, od = l_clock[j]
                if (
                    o[0] <= l0
                    and o[1] <= l1
                    and o[2] <= l2
                    and o[3] <= c3
                    and (at_dest or (ob <= cb and od <= cd))
                ):
                    return
                if (
                    c0 <= o[0]
                    and c1 <= o[1]
                    and c2 <= o[2]
                    and c3 <= o[3]
                    and (at_dest or (cb <= ob and cd <= od))
                ):
                    if doomed is None:
                        doomed = [pos]
                    else:
                        doomed.append(pos)
            if doomed is not None:
                for pos in doomed:
                    alive[bag[pos]] = False
                bag[:] = [j for j in bag if alive[j]]
        else:
            for j in bag:
                if not l_mask[j] & ~mask:
                    o = l_crit[j]
                    ob, od = l_clock[j]
                    if (
                        o[0] <= c0
                        and o[1] <= c1
                        and o[2] <= c2
                        and o[3] <= c3
                        and ob <= cb
                        and od <= cd
                    ):
                        return
            killed = False
            for j in bag:
                if not mask & ~l_mask[j]:
                    o = l_crit[j]
                    ob, od = l_clock[j]
                    if (
                        c0 <= o[0]
                        and c1 <= o[1]
                        and c2 <= o[2]
                        and c3 <= o[3]
                        and cb <= ob
                        and cd <= od
                    ):
                        alive[j] = False
                        killed = True
            if killed:
                bag[:] = [j for j in bag if alive[j]]
        if at_dest:
            fin_arr[0] = None
            for i in range(3):
                fin_min[i] = min(fin_min[i], crit[i])
        lid = len(l_vals)
        l_vals.append(vals)
        l_crit.append(crit)
        l_where.append(where)
        l_clock.append(clock)
        l_mask.append(mask)
        l_parent.append(parent)
        l_step.append(step)
        alive.append(True)
        bag.append(lid)
        if not at_dest:
            heapq.heappush(heap, (t + lb_t[phase][q], c, e, lid))

    push((start_hours, 0.0, 0.0, 0), (origin, -1, -1, -1, 0), (0.0, 0.0), 1 << origin, -1, None)
    expanded = 0
    budget_hit = deadline_hit = False
    while heap:
        lid = heapq.heappop(heap)[3]
        if not alive[lid]:
            continue
        t0, c0, e0, k0 = l_vals[lid]
        p, s0, svc0, nxt0, ph = l_where[lid]
        clk_b, clk_d = l_clock[lid]
        if finished:
            crit0 = l_crit[lid]
            est0 = (
                crit0[0] + lb_t[ph][p] if use_t else 0.0,
                crit0[1] + lb_c[ph][p] if use_c else 0.0,
                crit0[2] + lb_e[ph][p] if use_e else 0.0,
                crit0[3],
            )
            if loose_on and no_new_best(est0):
                est0 = loosen(est0)
            if pruned_by_finished(est0):
                continue
        expanded += 1
        if deadline is not None and not expanded & 15 and time.perf_counter() > deadline:
            deadline_hit = True
            break
        mask = l_mask[lid]
        for a in out_arc[out_ptr[p] : out_ptr[p + 1]]:
            if not arc_ok[a]:
                continue
            q = arc_to[a]
            if mask >> q & 1:
                continue
            q_phase = ph
            if n_via:
                rank = via_rank.get(q)
                if rank is not None:
                    if rank != ph:
                        continue
                    q_phase = ph + 1
                elif q == destination and ph < n_via:
                    continue
            t, c, e, k = t0, c0, e0, k0
            ti = -1
            th = 0.0
            s_from = arc_from_state[a]
            if s0 >= 0 and s0 != s_from:
                ti = between.get(s0 * n_states + s_from, -1)
                if ti < 0 or not t_ok[ti]:
                    continue
                th = t_h[ti]
                t += th
                c += t_c[ti]
                e += t_e[ti]
                k += t_k[ti]
                if k > kmax:
                    continue
            b0, b1 = board_ptr[a], board_ptr[a + 1]
            options: list[tuple[int, float, int, bool, float]]
            if b0 == b1:
                options = [(-1, 0.0, -1, False, 0.0)]
            else:
                options = []
                for b in range(b0, b1):
                    sv = board_service[b]
                    if not s_ok[sv]:
                        continue
                    if ti < 0 and sv == svc0 and nxt0 == a:
                        options.append((sv, 0.0, board_next[b], True, 0.0))
                        continue
                    deps = s_dep[sv]
                    wait = (
                        s_wait[sv]
                        if deps is None
                        else wait_for_departure(t - board_offset[b], deps)
                    )
                    days = s_storm[sv]
                    storm = 0.0 if days is None else median_hold(t + wait, days)
                    options.append((sv, wait, board_next[b], False, storm))
            moving = arc_hours[a]
            ci = arc_crossing[a]
            c1 = c + arc_cost[a]
            e1 = e + arc_co2[a]
            s_to = arc_to_state[a]
            qmask = mask | (1 << q)
            driven = rules is not None and arc_road[a]
            for sv, wait, nxt, cont, storm in options:
                stopped = 0.0
                n_brk = n_rst = 0
                cb = cd = 0.0
                if driven:
                    cb, cd = clk_b, clk_d
                    if th + wait + storm > 0.0:
                        cb, cd = after_stop(cb, cd, th + wait + storm, r_bh, r_dr)
                    stopped, cb, cd, n_brk, n_rst = drive(cb, cd, moving, r_bb, r_bh, r_dd, r_dr)
                arrive = t + wait + storm + moving + stopped
                open_wait = 0.0
                dwell = 0.0
                c2 = c1
                if ci >= 0:
                    dwell = c_h[ci]
                    c2 += c_c[ci]
                    # a timetabled run's stops keep its timetable: its border time
                    # between stops is in the schedule, not subject to opening hours
                    on_schedule = nxt >= 0 and s_dep[sv] is not None
                    if not always_open[ci] and not on_schedule:
                        w = windows[ci]
                        if w is not None:
                            open_wait = w.finish_one(arrive, dwell) - arrive - dwell
                t2 = arrive + open_wait + dwell
                if driven and ci >= 0:
                    if transload[ci]:
                        cb = cd = 0.0
                    else:
                        cb, cd = after_stop(cb, cd, open_wait + dwell, r_bh, r_dr)
                push(
                    (t2, c2, e1, k),
                    (q, s_to, sv if nxt >= 0 else -1, nxt, q_phase),
                    (cb, cd),
                    qmask,
                    lid,
                    (
                        a,
                        ti,
                        sv,
                        cont,
                        t0,
                        th,
                        wait,
                        moving,
                        open_wait,
                        dwell,
                        t2,
                        storm,
                        stopped,
                        n_brk,
                        n_rst,
                    ),
                )
            if len(l_vals) > max_labels:
                budget_hit = True
                break
        if budget_hit:
            break

    stats = SearchStats(
        labels=len(l_vals),
        expanded=expanded,
        seconds=time.perf_counter() - t_start,
        budget_hit=budget_hit,
        deadline_hit=deadline_hit,
    )
    return Labels(start_hours, l_vals, l_where, l_parent, l_step, alive, finished, stats)
