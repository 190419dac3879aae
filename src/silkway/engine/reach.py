"""Plain graph searches that frame the label search: reachability and lower bounds.

* :func:`min_transshipments` is a 0-1 breadth-first search over (place, mode, gauge)
  states, with arcs and transfers as the query allows them. If the destination (through
  every via place, in order) is not reachable, or only with more transshipments than
  the query allows, there is no route, and the planner says so in milliseconds
  instead of running the label search. It ignores time and the rule that a route
  passes each place once, so "reachable" is necessary, not sufficient.
* :func:`lower_bounds` runs one backward Dijkstra per criterion over places from the
  destination (and from each via place), giving the :class:`~.search.Bounds` of the
  label search's target pruning. Bounds leave out transfers, waits and closures, which
  only add, so they never exceed what a route really needs.

Both read the compiled CSR arrays and the query's masks; plain ``heapq``/``deque``
loops, so a plan does not pay for importing scipy (the tests check them against it).
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..compile import CompiledNetwork
from . import search as kernel
from .pricing import Allowed, Costing
from .search import Bounds

_INF = float("inf")


def _state_graph(net: CompiledNetwork) -> dict[str, Any]:
    """Arcs by start state and transfers by state, as lists (built once per network)."""
    got = net.cache.get("states")
    if got is None:
        order = np.argsort(net.arc_from_state, kind="stable")
        ptr = np.zeros(net.n_states + 1, dtype=np.int64)
        np.add.at(ptr, net.arc_from_state + 1, 1)
        ptr = np.cumsum(ptr)
        transfers: list[list[tuple[int, int]]] = [[] for _ in range(net.n_states)]
        n = net.n_states
        for key, ti in net.transfer_between.items():
            transfers[key // n].append((key % n, ti))
        at_place: list[list[int]] = [[] for _ in range(len(net.places))]
        for s, p in enumerate(net.state_place.tolist()):
            at_place[p].append(s)
        got = {
            "ptr": ptr.tolist(),
            "arcs": order.tolist(),
            "transfers": transfers,
            "at_place": at_place,
            "arc_to_state": net.arc_to_state.tolist(),
        }
        net.cache["states"] = got
    return got


def min_transshipments(
    net: CompiledNetwork, ok: Allowed, origin: int, destination: int, via: Sequence[int] = ()
) -> int | None:
    """Fewest transshipments plus gauge changes of any walk origin -> via... -> destination.

    ``None`` if the destination cannot be reached at all under the masks in ``ok``.
    """
    if len(net.places) >= kernel.JIT_MIN_PLACES:
        from ._jit import min_transshipments_jit

        return min_transshipments_jit(net, ok.arc_ok, ok.transfer_ok, [origin, *via, destination])
    g = _state_graph(net)
    ptr, arcs, transfers = g["ptr"], g["arcs"], g["transfers"]
    at_place, arc_to_state = g["at_place"], g["arc_to_state"]
    arc_ok = ok.arc_ok.tolist()
    t_ok = ok.transfer_ok.tolist()
    counts = net.transfer_counts.tolist()
    best: dict[int, int] = {s: 0 for s in at_place[origin]}
    for target in (*via, destination):
        dist: dict[int, int] = dict(best)
        queue: deque[int] = deque(sorted(best, key=best.__getitem__))
        while queue:
            s = queue.popleft()
            d = dist[s]
            for i in range(ptr[s], ptr[s + 1]):
                a = arcs[i]
                if arc_ok[a]:
                    s2 = arc_to_state[a]
                    if d < dist.get(s2, 1 << 30):
                        dist[s2] = d
                        queue.appendleft(s2)
            for s2, ti in transfers[s]:
                if t_ok[ti]:
                    d2 = d + counts[ti]
                    if d2 < dist.get(s2, 1 << 30):
                        dist[s2] = d2
                        if counts[ti]:
                            queue.append(s2)
                        else:
                            queue.appendleft(s2)
        best = {s: dist[s] for s in at_place[target] if s in dist}
        if not best:
            return None
    return min(best.values())


def _reverse_graph(net: CompiledNetwork) -> tuple[list[int], list[int], list[int]]:
    got: tuple[list[int], list[int], list[int]] | None = net.cache.get("reverse")
    if got is None:
        order = np.argsort(net.arc_to, kind="stable")
        ptr = np.zeros(len(net.places) + 1, dtype=np.int64)
        np.add.at(ptr, net.arc_to + 1, 1)
        got = (np.cumsum(ptr).tolist(), order.tolist(), net.arc_from.tolist())
        net.cache["reverse"] = got
    return got


def dijkstra_to(net: CompiledNetwork, weights: Sequence[float], target: int) -> list[float]:
    """Least total weight from every place to ``target`` over arcs (``inf`` = unusable)."""
    ptr, order, arc_from = _reverse_graph(net)
    dist = [_INF] * len(net.places)
    dist[target] = 0.0
    heap = [(0.0, target)]
    while heap:
        d, v = heapq.heappop(heap)
        if d > dist[v]:
            continue
        for i in range(ptr[v], ptr[v + 1]):
            a = order[i]
            nd = d + weights[a]
            u = arc_from[a]
            if nd < dist[u]:
                dist[u] = nd
                heapq.heappush(heap, (nd, u))
    return dist


def lower_bounds(
    net: CompiledNetwork, costing: Costing, destination: int, via: Sequence[int] = ()
) -> Bounds:
    """Per via phase and place, lower bounds of hours, cost and CO2e to the destination."""
    ok = costing.arc_ok
    cross = net.arc_crossing
    has = cross >= 0
    hours = net.arc_hours.copy()
    hours[has] += costing.crossing_hours[cross[has]]
    cost = costing.arc_cost_usd.copy()
    cost[has] += costing.crossing_cost_usd[cross[has]]
    per_criterion = []
    for w in (hours, cost, costing.arc_co2_kg):
        weights = np.where(ok, w, _INF).tolist()
        targets = [*via, destination]
        legs = [dijkstra_to(net, weights, t) for t in targets]
        # phase i: to via[i] (or the destination), then on through the rest in order
        rest = [0.0] * len(targets)
        for i in range(len(targets) - 2, -1, -1):
            rest[i] = legs[i + 1][targets[i]] + rest[i + 1]
        per_criterion.append([[d + rest[i] for d in legs[i]] for i in range(len(targets))])
    return Bounds(*per_criterion)
