"""Plain graph searches that frame the label search: reachability and lower bounds.

* :func:`min_transshipments` is a 0-1 breadth-first search over (place, mode, gauge)
  states, with arcs and transfers as the query allows them. If the destination (through
  every via place, in order) is not reachable, or only with more transshipments than
  the query allows, there is no route, and the planner says so in milliseconds
  instead of running the label search. It ignores time and the rule that a route
  passes each place once, so "reachable" is necessary, not sufficient.
* :func:`via_bottleneck` catches the via place that no route can pass through while
  passing every place once (a dead-end place whose only neighbour lies on the way): two
  place-disjoint paths from it, one to the origin and one to the destination, must
  exist in the place graph. A unit-capacity flow of 2 decides that in two
  augmentations, where the exact label search would run to its time limit.
* :func:`lower_bounds` runs one backward Dijkstra per criterion over places from the
  destination (and from each via place), giving the :class:`~.search.Bounds` of the
  label search's target pruning. Bounds leave out transfers, waits and closures, which
  only add, so they never exceed what a route really needs.

Both read the compiled CSR arrays and the query's masks. On small networks they are
plain ``heapq``/``deque`` loops, so a plan on the bundled network does not pay for
importing scipy or numba (the tests check them against scipy); from
``search.JIT_MIN_PLACES`` places the reachability check runs compiled and the bounds
run on :func:`scipy.sparse.csgraph.dijkstra`.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from . import search as kernel
from .pricing import Allowed, Costing
from .search import Bounds

_INF = float("inf")


def grouped(keys: NDArray[np.int64], n: int) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """CSR of positions grouped by key: ``order[ptr[k]:ptr[k + 1]]`` are those with key ``k``."""
    order = np.argsort(keys, kind="stable").astype(np.int64)
    ptr = np.zeros(n + 1, dtype=np.int64)
    np.add.at(ptr, keys + 1, 1)
    return np.cumsum(ptr), order


def state_csr(net: CompiledNetwork) -> tuple[NDArray[np.int64], ...]:
    """Arcs by start state and transfers by state (built once per network).

    Returns ``(arc_ptr, arcs, tr_ptr, tr_to, tr_idx)``: the arcs leaving state ``s`` are
    ``arcs[arc_ptr[s]:arc_ptr[s + 1]]``; its transfers lead to ``tr_to[x]`` by transfer
    ``tr_idx[x]`` for ``x`` in ``range(tr_ptr[s], tr_ptr[s + 1])``.
    """
    got: tuple[NDArray[np.int64], ...] | None = net.cache.get("state_csr")
    if got is None:
        n = net.n_states
        pairs = np.array(
            sorted((key // n, key % n, ti) for key, ti in net.transfer_between.items()),
            dtype=np.int64,
        ).reshape(-1, 3)
        tr_ptr, _ = grouped(pairs[:, 0], n)
        got = (*grouped(net.arc_from_state, n), tr_ptr, pairs[:, 1].copy(), pairs[:, 2].copy())
        net.cache["state_csr"] = got
    return got


def _state_lists(net: CompiledNetwork) -> dict[str, Any]:
    """:func:`state_csr` and the states at each place as lists, for the Python loops."""
    got = net.cache.get("state_lists")
    if got is None:
        arc_ptr, arcs, tr_ptr, tr_to, tr_idx = (a.tolist() for a in state_csr(net))
        at_place: list[list[int]] = [[] for _ in range(len(net.places))]
        for s, p in enumerate(net.state_place.tolist()):
            at_place[p].append(s)
        got = {
            "ptr": arc_ptr,
            "arcs": arcs,
            "transfers": [
                list(
                    zip(
                        tr_to[tr_ptr[s] : tr_ptr[s + 1]],
                        tr_idx[tr_ptr[s] : tr_ptr[s + 1]],
                        strict=True,
                    )
                )
                for s in range(net.n_states)
            ],
            "at_place": at_place,
            "arc_to_state": net.arc_to_state.tolist(),
        }
        net.cache["state_lists"] = got
    return got


def min_transshipments(
    net: CompiledNetwork, ok: Allowed, origin: int, destination: int, via: Sequence[int] = ()
) -> int | None:
    """Fewest transshipments plus gauge changes of any walk origin -> via... -> destination.

    ``None`` if the destination cannot be reached at all under the masks in ``ok``.
    """
    if len(net.places) >= kernel.JIT_MIN_PLACES:
        from ._jit_reach import min_transshipments_jit

        return min_transshipments_jit(net, ok.arc_ok, ok.transfer_ok, [origin, *via, destination])
    at_place = _state_lists(net)["at_place"]
    best: dict[int, int] = {s: 0 for s in at_place[origin]}
    for target in (*via, destination):
        dist = _fewest_transshipments(net, ok, best)
        best = {s: dist[s] for s in at_place[target] if s in dist}
        if not best:
            return None
    return min(best.values())


def reachable_places(net: CompiledNetwork, ok: Allowed, origin: int) -> set[int]:
    """Indexes of the places some walk from ``origin`` reaches under the masks in ``ok``
    (the origin included)."""
    g = _state_lists(net)
    dist = _fewest_transshipments(net, ok, {s: 0 for s in g["at_place"][origin]})
    return {int(p) for p in net.state_place[list(dist)]} | {origin}


def _fewest_transshipments(
    net: CompiledNetwork, ok: Allowed, start: dict[int, int]
) -> dict[int, int]:
    """Fewest transshipments plus gauge changes to every state reached from the states
    in ``start`` (with their counts so far): a 0-1 breadth-first search."""
    g = _state_lists(net)
    ptr, arcs, transfers, arc_to_state = g["ptr"], g["arcs"], g["transfers"], g["arc_to_state"]
    arc_ok = ok.arc_ok.tolist()
    t_ok = ok.transfer_ok.tolist()
    counts = net.transfer_counts.tolist()
    dist: dict[int, int] = dict(start)
    queue: deque[int] = deque(sorted(start, key=start.__getitem__))
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
    return dist


def via_bottleneck(
    net: CompiledNetwork,
    arc_ok: NDArray[np.bool_],
    origin: int,
    destination: int,
    via: Sequence[int],
) -> tuple[int, int | None] | None:
    """The first via place no route through which passes every place once, or ``None``.

    A route origin -> ... -> ``v`` -> ... -> destination that passes each place once
    holds two paths from ``v``, to the origin and to the destination, that share no
    place but ``v``. Over the places joined by an allowed arc (either way), the
    function looks for them as a flow of 2 from ``v`` where every other place carries
    at most 1. It ignores direction, modes and time, so passing is necessary, not
    sufficient.

    Returns
    -------
    tuple of (int, int or None), or None
        ``(v, w)``: via place ``v`` and the place ``w`` that every such pair of paths
        would have to share (``None`` if the cut is not a single place); ``None`` when
        every via place passes the check.
    """
    n = len(net.places)
    a_from, a_to = net.arc_from[arc_ok], net.arc_to[arc_ok]
    keep = a_from != a_to
    nbrs: list[set[int]] = [set() for _ in range(n)]
    for a, b in zip(a_from[keep].tolist(), a_to[keep].tolist(), strict=True):
        nbrs[a].add(b)
        nbrs[b].add(a)
    for v in via:
        if v in (origin, destination):
            continue
        cut = _two_disjoint_paths(nbrs, v, (origin, destination))
        if cut is not False:
            return v, cut
    return None


def _two_disjoint_paths(nbrs: list[set[int]], v: int, ends: tuple[int, int]) -> int | bool | None:
    """``False`` if paths ``v`` -> ``ends[0]`` and ``v`` -> ``ends[1]`` sharing only ``v``
    exist; else the single place every pair shares (``None`` if there is none).

    Node ``2u`` enters place ``u`` and ``2u + 1`` leaves it (capacity 1 between them);
    ``-1`` is the sink, fed by both ends. Flows are kept as a residual dict.
    """
    sink = -1
    residual: dict[tuple[int, int], int] = {}

    def cap(x: int, y: int) -> int:
        got = residual.get((x, y))
        if got is not None:
            return got
        if y == x + 1 and x % 2 == 0:  # through a place
            return 1
        if x % 2 == 1 and y != sink and y % 2 == 0 and (y // 2) in nbrs[x // 2]:
            return 2  # along a link: never the bottleneck
        if y == sink and x % 2 == 1 and x // 2 in ends:
            return 1
        return 0

    def succ(x: int) -> list[int]:
        if x == sink:
            return []
        u = x // 2
        if x % 2 == 0:  # entering u: on through u, or back along a link used
            return [x + 1, *(2 * w + 1 for w in nbrs[u])]
        out = [2 * w for w in nbrs[u]] + [x - 1]
        return [*out, sink] if u in ends else out

    source = 2 * v + 1
    for _ in range(2):
        parent = {source: source}
        queue = deque([source])
        while queue and sink not in parent:
            x = queue.popleft()
            for y in succ(x):
                if y not in parent and cap(x, y) > 0:
                    parent[y] = x
                    queue.append(y)
        if sink not in parent:
            # the places entered but not left from the source's side form the cut
            cut = [x // 2 for x in parent if x % 2 == 0 and x + 1 not in parent]
            return cut[0] if len(cut) == 1 else None
        y = sink
        while y != source:
            x = parent[y]
            residual[(x, y)] = cap(x, y) - 1
            residual[(y, x)] = cap(y, x) + 1
            y = x
    return False


def _reverse_graph(net: CompiledNetwork) -> tuple[list[int], list[int], list[int]]:
    got: tuple[list[int], list[int], list[int]] | None = net.cache.get("reverse")
    if got is None:
        ptr, order = grouped(net.arc_to, len(net.places))
        got = (ptr.tolist(), order.tolist(), net.arc_from.tolist())
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


def _dijkstra_scipy(
    net: CompiledNetwork, weights: NDArray[np.float64], targets: Sequence[int]
) -> list[list[float]]:
    """:func:`dijkstra_to` for several targets at once, on scipy's compiled Dijkstra."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    n = len(net.places)
    pairs = net.cache.get("reverse_pairs")
    if pairs is None:
        # the reversed arcs (to -> from) grouped by place pair, as a CSR structure with
        # one entry per pair: a sparse matrix would add parallel arcs up, not take the least
        order = np.lexsort((net.arc_from, net.arc_to))
        rows, cols = net.arc_to[order], net.arc_from[order]
        first = np.ones(rows.shape[0], dtype=np.bool_)
        first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
        starts = np.flatnonzero(first)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.add.at(indptr, rows[starts] + 1, 1)
        pairs = (order, starts, cols[starts], np.cumsum(indptr))
        net.cache["reverse_pairs"] = pairs
    order, starts, indices, indptr = pairs
    least = np.minimum.reduceat(weights[order], starts) if starts.shape[0] else weights[:0]
    graph = csr_matrix((least, indices, indptr), shape=(n, n))
    dist = dijkstra(graph, directed=True, indices=list(targets))
    return [row.tolist() for row in np.atleast_2d(dist)]


def lower_bounds(
    net: CompiledNetwork, costing: Costing, destination: int, via: Sequence[int] = ()
) -> Bounds:
    """Per via phase and place, lower bounds of hours, cost and CO2e to the destination."""
    ok = costing.arc_ok
    cross = net.arc_crossing
    has = cross >= 0
    hours = costing.arc_hours.copy()
    hours[has] += costing.crossing_hours[cross[has]]
    cost = costing.arc_cost_usd.copy()
    cost[has] += costing.crossing_cost_usd[cross[has]]
    per_criterion = []
    targets = [*via, destination]
    large = len(net.places) >= kernel.JIT_MIN_PLACES
    for w in (hours, cost, costing.arc_co2_kg):
        weights = np.where(ok, w, _INF)
        if large:
            legs = _dijkstra_scipy(net, weights, targets)
        else:
            as_list = weights.tolist()
            legs = [dijkstra_to(net, as_list, t) for t in targets]
        # phase i: to via[i] (or the destination), then on through the rest in order
        rest = [0.0] * len(targets)
        for i in range(len(targets) - 2, -1, -1):
            rest[i] = legs[i + 1][targets[i]] + rest[i + 1]
        per_criterion.append([[d + rest[i] for d in legs[i]] for i in range(len(targets))])
    return Bounds(*per_criterion)
