"""One search per origin towards every destination (for skim matrices and assignment).

:func:`search_all` runs the kernel of :mod:`silkway.engine.search` (its compiled twin
:mod:`silkway.engine._jit` from ``JIT_MIN_PLACES`` places) in its one-to-all mode: no
place ends a route, so no label is pruned against a finished route, and the labels at
every place are kept and extended. The routes to a place are then its live labels
(their Pareto set over time, cost and CO2e, :meth:`OneToAll.routes`), and the best
route by one criterion (:meth:`OneToAll.best`) is the best by that criterion among
those :func:`silkway.plan` finds with medians only (``uncertainty=False``);
:func:`best_routes` then applies the planner's rule for routes that double back;
``tests/engine/test_onetoall.py`` checks it pair by pair.

:func:`best_routes` adds the planner's fallback: a destination that the kernel reached
by no label although it can be reached (the kernel compares labels at a node without
regard to the places they passed; see :mod:`silkway.engine.search`) is planned on its
own, fast search then exact search, as :func:`silkway.plan` would.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, overload

from .._errors import NoRouteError
from ..compile import CompiledNetwork
from . import search as kernel
from .diversify import candidate, champion, ordered, route_doubles_back
from .pricing import Allowed, Costing
from .query import Query
from .reach import reachable_places
from .search import DEFAULT_MAX_LABELS, OBJECTIVES, Labels, Route, SearchStats, label_search


@dataclass(frozen=True, slots=True)
class OneToAll:
    """The labels of one one-to-all search, grouped by the place they stand at."""

    origin: int
    """Place index of the origin."""
    labels: Labels
    at: dict[int, list[int]]
    """Place index to the ids of the live labels there (none for the origin)."""

    @property
    def complete(self) -> bool:
        """Whether the search ran to the end (no label budget or deadline stopped it)."""
        return self.labels.stats.complete

    def routes(self, place: int) -> list[Route]:
        """The Pareto set of routes to ``place`` over time, cost and CO2e, by time."""
        vals = self.labels.vals
        live = sorted(self.at.get(place, ()), key=lambda j: vals[j][:3])
        kept: list[int] = []
        for j in live:
            t, c, e, _ = vals[j]
            if not any(vals[i][0] <= t and vals[i][1] <= c and vals[i][2] <= e for i in kept):
                kept.append(j)
        return [self.labels.route(j) for j in kept]

    def best(self, place: int, sort: str = "time") -> Route | None:
        """The best route to ``place`` by ``sort`` (``time``, ``cost`` or ``co2`` first,
        then the others as :func:`silkway.plan` ranks them); ``None`` if none."""
        ids = self.at.get(place)
        if not ids:
            return None
        vals = self.labels.vals
        return self.labels.route(min(ids, key=lambda j: ordered(vals[j][:3], sort)))


def search_all(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...] = OBJECTIVES,
    max_labels: int = DEFAULT_MAX_LABELS,
    deadline: float | None = None,
    tolerance: float = 0.0,
) -> OneToAll:
    """Search from ``origin`` (a place index) towards every place at once.

    Parameters
    ----------
    net, costing
        The compiled network and the query's per-element numbers.
    origin
        Place index.
    start_hours
        Departure, in hours since the frame start.
    objectives
        Criteria of the Pareto sets (default all three).
    max_labels, deadline, tolerance
        The label budget, the ``time.perf_counter()`` deadline and the relative
        dominance tolerance of the kernel (see :func:`~.search.search`).

    Returns
    -------
    OneToAll
    """
    run = label_search if len(net.places) < kernel.JIT_MIN_PLACES else _label_search_jit
    found = run(
        net,
        costing,
        origin,
        -1,
        start_hours=start_hours,
        objectives=objectives,
        max_labels=max_labels,
        deadline=deadline,
        tolerance=tolerance,
    )
    at: dict[int, list[int]] = {}
    for lid, (where, live) in enumerate(zip(found.where, found.alive, strict=True)):
        if live and where[0] != origin:
            at.setdefault(where[0], []).append(lid)
    return OneToAll(origin, found, at)


def _label_search_jit(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    destination: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...],
    max_labels: int,
    deadline: float | None,
    tolerance: float,
) -> Labels:
    """:func:`~.search.label_search` on the compiled kernel (large networks), its
    arrays read as :class:`~.search.Labels` (steps rebuilt only when a route asks)."""
    from ._jit_search import label_arrays

    t_start = time.perf_counter()
    lab_i, lab_f, alive, _, counters, budget_hit, deadline_hit = label_arrays(
        net,
        costing,
        origin,
        destination,
        start_hours=start_hours,
        objectives=objectives,
        max_labels=max_labels,
        deadline=deadline,
        tolerance=tolerance,
    )
    n = int(counters[0])
    vals = [
        (t, c, e, k)
        for (t, c, e), k in zip(lab_f[:n, :3].tolist(), lab_i[:n, 6].tolist(), strict=True)
    ]
    where = [tuple(row) for row in lab_i[:n, :5].tolist()]
    stats = SearchStats(
        labels=n,
        expanded=int(counters[2]),
        seconds=time.perf_counter() - t_start,
        budget_hit=budget_hit,
        deadline_hit=deadline_hit,
    )
    return Labels(
        start_hours,
        vals,
        where,
        lab_i[:n, 5].tolist(),
        _JitSteps(lab_i, lab_f),
        alive[:n].tolist(),
        [],
        stats,
    )


class _JitSteps(Sequence[tuple[Any, ...] | None]):
    """The steps of the compiled kernel's labels, in the layout of
    :attr:`~.search.Labels.step` (``None`` for the origin's label), read on demand."""

    def __init__(self, lab_i: Any, lab_f: Any) -> None:
        self._i, self._f = lab_i, lab_f

    def __len__(self) -> int:
        return len(self._i)

    @overload
    def __getitem__(self, j: int) -> tuple[Any, ...] | None: ...
    @overload
    def __getitem__(self, j: slice) -> Sequence[tuple[Any, ...] | None]: ...
    def __getitem__(self, j: int | slice) -> Any:
        if isinstance(j, slice):
            return [self[x] for x in range(*j.indices(len(self)))]
        if self._i[j, 5] < 0:
            return None
        a, ti, sv, cont, n_brk, n_rst = self._i[j, 7:13].tolist()
        t2, _, _, t0, th, wait, mv, ow, dw, st, _, _, stopped = self._f[j].tolist()
        return (a, ti, sv, bool(cont), t0, th, wait, mv, ow, dw, t2, st, stopped, n_brk, n_rst)


def best_routes(
    net: CompiledNetwork,
    query: Query,
    costing: Costing,
    ok: Allowed,
    destinations: Sequence[int],
    *,
    sort: str = "time",
) -> tuple[list[Route | None], bool]:
    """The best route by ``sort`` from ``query.origin`` to each of ``destinations``.

    The best route is the one :func:`silkway.plan` ranks first by ``sort`` with medians
    only: the best by ``sort`` (then by the other criteria), unless it doubles back and
    a route that does not comes within ``BACKTRACK_MARGIN`` of it
    (:func:`~.diversify.champion`).

    ``query`` gives the origin, the departure, the objectives and the time limit of a
    fallback search (its destination and via places are not used); ``costing`` and
    ``ok`` are its :func:`~.pricing.price` and :func:`~.pricing.allowed`. The
    origin itself, if among ``destinations``, gets ``None``.

    Returns
    -------
    list of Route or None, bool
        One route per destination (``None``: no route), and whether every search ran to
        the end.
    """
    from .planner import _find

    o = net.places.index(query.origin)
    found = search_all(
        net,
        costing,
        o,
        start_hours=query.start_hours,
        objectives=query.objectives,
        tolerance=query.tolerance,
    )
    out: list[Route | None] = []
    complete = found.complete
    reached: set[int] | None = None
    for d in destinations:
        route = found.best(d, sort) if d != o else None
        if route is not None:
            route = _champion(net, route, partial(found.routes, d), sort)
        if route is None and d != o and found.complete:
            if reached is None:
                reached = reachable_places(net, ok, o)
            if d in reached and query.max_transshipments is None:
                single = replace(query, destination=net.places.id(d), via=())
                try:
                    routes, stats = _find(net, single, costing, time.perf_counter())
                except NoRouteError:
                    routes, stats = [], []
                complete = complete and all(s.complete for s in stats)
                if routes:
                    best = min(routes, key=lambda r: ordered(r.criteria(), sort))
                    route = _champion(net, best, partial(list, routes), sort)
        out.append(route)
    return out, complete


def _champion(
    net: CompiledNetwork, best: Route, pareto: Callable[[], list[Route]], sort: str
) -> Route:
    """``best`` (the best by ``sort``), unless it doubles back and a route of the Pareto
    set ``pareto()`` that does not comes close: the planner's rule
    (:func:`~.diversify.champion`), on median-basis times."""
    if not route_doubles_back(net, best):
        return best
    return champion([candidate(net, r, r.hours) for r in pareto()], sort).route


__all__ = ["OneToAll", "best_routes", "search_all"]
