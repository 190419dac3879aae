"""The search kernel: time-dependent multi-criteria label setting on the state graph.

A *label* is a partial route: its arrival time, cost, CO2e (well-to-wheel), number of
transshipments, and where it stands: (place, mode, gauge, service, next arc of that
service). Labels are settled in lexicographic order of (time, cost, CO2e); a label is
dropped when another at the same node is no worse on every criterion, or when a
finished route is no worse (target pruning). Waiting is allowed everywhere, so the
graph is FIFO. Routes are simple paths (no place twice).

Labels at a node are compared without regard to the places they have visited. That
keeps the search fast but makes the result a close approximation, not always the exact
Pareto set: a label may be dropped for one that has already passed a place the dropped
one still needed to pass in another mode or gauge, and a Pareto route through that
place is then missed. The result is exact for networks of three places; when every
place has a single state (one mode and gauge, no services); and when every place has
the same transfer between every two states and there are no services (see
``tests/engine/test_search_property.py``). With ``exact=True`` a label is compared only
with labels that visited a subset of its places: exact over simple paths on any
network (the property tests check it against brute force), but exponential on the
corridor network, so the planner runs it, on a label budget, only when the fast search
finds no route at all. Allowing a place twice would be exact and fast but offers routes
that cross a border and come back to change mode.

This module is the hot loop; everything it needs arrives precomputed in a
:class:`Costing`. Times are hours since Monday 00:00 UTC of the departure week.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from .timing import wait_for_departure, wait_until_open

OBJECTIVES: tuple[str, ...] = ("time", "cost", "co2")


@dataclass(frozen=True, slots=True)
class Costing:
    """Per-query numbers for every arc, transfer, crossing and service (median basis)."""

    arc_ok: NDArray[np.bool_]
    arc_cost_usd: NDArray[np.float64]
    arc_co2_kg: NDArray[np.float64]
    transfer_ok: NDArray[np.bool_]
    transfer_hours: NDArray[np.float64]
    transfer_cost_usd: NDArray[np.float64]
    transfer_co2_kg: NDArray[np.float64]
    transfer_counts: NDArray[np.int64]
    """1 where the transfer is a transshipment or gauge change, else 0."""
    crossing_hours: NDArray[np.float64]
    crossing_cost_usd: NDArray[np.float64]
    service_ok: NDArray[np.bool_]
    service_wait_hours: NDArray[np.float64]
    """Median wait of queue services (unused for timetabled ones)."""
    service_departures: tuple[NDArray[np.float64] | None, ...]
    """Weekly departures (hours of week) of timetabled services, ``None`` for queues."""


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


def search(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    destination: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...] = OBJECTIVES,
    max_transshipments: int | None = None,
    max_labels: int = 200_000,
    exact: bool = False,
) -> list[Route]:
    """Find the Pareto set of routes from ``origin`` to ``destination`` (place indexes).

    Parameters
    ----------
    net, costing
        The compiled network and this query's per-element numbers.
    origin, destination
        Place indexes.
    start_hours
        Departure, in hours since Monday 00:00 UTC of the departure week.
    objectives
        Criteria to be Pareto-optimal over, a subset of ``("time", "cost", "co2")``.
    max_transshipments
        Upper bound on transshipments and gauge changes; also a criterion when set.
    max_labels
        Safety bound on labels created; past it the search stops with what it has.
    exact
        Compare a label only with labels that visited a subset of its places. Exact
        over simple paths but exponential on large networks: the planner uses it, with
        a small label budget, only when the fast search finds no route at all.

    Returns
    -------
    list of Route
        One route per distinct criteria vector, sorted by time.
    """
    sel = tuple(OBJECTIVES.index(o) for o in objectives)
    use_k = max_transshipments is not None
    kmax = max_transshipments if max_transshipments is not None else 1 << 30

    arc_to = net.arc_to.tolist()
    arc_mode = net.arc_mode.tolist()
    arc_gauge = net.arc_gauge.tolist()
    arc_hours = net.arc_hours.tolist()
    arc_crossing = net.arc_crossing.tolist()
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
    windows = net.crossing_windows
    transfer_at = net.transfer_at
    out_arcs = net.out_arcs
    boardings = net.arc_boardings
    arc_served = net.arc_served.tolist()

    # label store: parallel lists indexed by label id
    l_crit: list[tuple[float, ...]] = []
    l_vals: list[tuple[float, float, float, int]] = []
    l_node: list[tuple[int, int, int, int, int]] = []
    l_mask: list[int] = []
    l_parent: list[int] = []
    l_step: list[Step | None] = []
    alive: list[bool] = []
    bags: dict[tuple[int, int, int, int, int], list[int]] = {}
    finished: list[int] = []
    heap: list[tuple[float, float, float, int]] = []

    def crit_of(v: tuple[float, float, float, int]) -> tuple[float, ...]:
        c = tuple(v[i] for i in sel)
        return (*c, float(v[3])) if use_k else c

    def dominated(c: tuple[float, ...], ids: list[int], mask: int = -1) -> bool:
        for j in ids:
            if alive[j] and (mask < 0 or not l_mask[j] & ~mask):
                cj = l_crit[j]
                if all(a <= b for a, b in zip(cj, c, strict=True)):
                    return True
        return False

    def push(
        vals: tuple[float, float, float, int],
        node: tuple[int, int, int, int, int],
        mask: int,
        parent: int,
        step: Step | None,
    ) -> None:
        c = crit_of(vals)
        if dominated(c, finished):
            return
        at_dest = node[0] == destination
        bag = finished if at_dest else bags.setdefault(node, [])
        if not at_dest and dominated(c, bag, mask if exact else -1):
            return
        for j in bag:
            if (
                alive[j]
                and (at_dest or not exact or not mask & ~l_mask[j])
                and all(a <= b for a, b in zip(c, l_crit[j], strict=True))
            ):
                alive[j] = False
        lid = len(l_crit)
        l_crit.append(c)
        l_vals.append(vals)
        l_node.append(node)
        l_mask.append(mask)
        l_parent.append(parent)
        l_step.append(step)
        alive.append(True)
        if at_dest:
            finished[:] = [j for j in finished if alive[j]]
            finished.append(lid)
        else:
            bag[:] = [j for j in bag if alive[j]]
            bag.append(lid)
            heapq.heappush(heap, (vals[0], vals[1], vals[2], lid))

    push((start_hours, 0.0, 0.0, 0), (origin, -1, -1, -1, -1), 1 << origin, -1, None)

    while heap:
        _, _, _, lid = heapq.heappop(heap)
        if not alive[lid]:
            continue
        t0, cost0, co20, k0 = l_vals[lid]
        if dominated(l_crit[lid], finished):
            continue
        p, m, g, svc, cont = l_node[lid]
        mask = l_mask[lid]
        for arc in out_arcs[p]:
            if not arc_ok[arc]:
                continue
            q = arc_to[arc]
            if mask >> q & 1:
                continue
            me, ge = arc_mode[arc], arc_gauge[arc]
            t, cost, co2, k = t0, cost0, co20, k0
            transfer = -1
            th = 0.0
            if m >= 0 and (me != m or ge != g):
                ti = transfer_at.get((p, m, g, me, ge))
                if ti is None or not t_ok[ti]:
                    continue
                transfer = ti
                th = t_h[ti]
                t += th
                cost += t_c[ti]
                co2 += t_e[ti]
                k += t_k[ti]
                if k > kmax:
                    continue
            options: list[tuple[int, float, int, bool]]
            arc_boards = boardings[arc]
            if not arc_boards:
                if arc_served[arc]:
                    continue
                options = [(-1, 0.0, -1, False)]
            else:
                options = []
                for b in arc_boards:
                    s = b.service
                    if not s_ok[s]:
                        continue
                    if transfer < 0 and s == svc and cont == arc:
                        options.append((s, 0.0, b.next_arc, True))
                        continue
                    deps = s_dep[s]
                    if deps is None:
                        wait = s_wait[s]
                    else:
                        wait = wait_for_departure(t - b.offset_hours, deps)
                    options.append((s, wait, b.next_arc, False))
            moving = arc_hours[arc]
            ci = arc_crossing[arc]
            for s, wait, nxt, continued in options:
                arrive = t + wait + moving
                open_wait = 0.0
                dwell = 0.0
                cost2 = cost + arc_cost[arc]
                if ci >= 0:
                    if windows[ci] is not None:
                        open_wait = wait_until_open(arrive, windows[ci])
                    dwell = c_h[ci]
                    cost2 += c_c[ci]
                t2 = arrive + open_wait + dwell
                step = Step(
                    arc,
                    transfer,
                    s,
                    continued,
                    t0 - start_hours,
                    th,
                    wait,
                    moving,
                    open_wait,
                    dwell,
                    t2 - start_hours,
                )
                push(
                    (t2, cost2, co2 + arc_co2[arc], k),
                    (q, me, ge, s, nxt),
                    mask | (1 << q),
                    lid,
                    step,
                )
                if len(l_crit) > max_labels:
                    heap.clear()
                    break

    routes: list[Route] = []
    for lid in finished:
        if not alive[lid]:
            continue
        steps: list[Step] = []
        j = lid
        while (done := l_step[j]) is not None:
            steps.append(done)
            j = l_parent[j]
        t, cost, co2, k = l_vals[lid]
        routes.append(Route(t - start_hours, cost, co2, k, tuple(reversed(steps))))
    routes.sort(key=lambda r: (r.hours, r.cost_usd, r.co2_kg))
    return routes
