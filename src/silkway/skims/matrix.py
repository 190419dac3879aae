"""Skim matrices: time P50/P90/P95, cost, CO2e and distance between every pair of places.

**One search per origin.** Each origin is one task: one one-to-all search
(:func:`silkway.engine.onetoall.best_routes`) gives, for every destination, the best
route by the chosen criterion (``sort``: ``time`` by the median-basis time, ``cost`` or
``co2``; the route :func:`silkway.plan` gives with ``max_options=1`` and medians only);
then the chosen routes are
replayed by Monte Carlo (:func:`silkway.engine.uncertainty.simulate_routes`, all of an
origin's routes in one batch) for the P50, P90 and P95 of door-to-door time.

**Seeding.** A draw of an element (a border, a transfer, a queue, a link) is a pure
function of the seed, the element and the draw number (common random numbers, see
:mod:`silkway.engine.uncertainty`). So each task's numbers depend on the seed and on
the elements its routes meet, never on the task's rank, on the worker it runs on or on
the order tasks run in: a matrix is the same on one process, on a local cluster or on
a remote one. The origin does not enter the draws, on purpose: the same route gets the
same P50 in a matrix as in ``silkway plan`` with the same seed and samples, and routes
from different origins that cross the same border meet the same delays in a draw.

**Rows.** One row per ordered pair of distinct places, origins in the order of
``places`` and destinations in that order within each origin. A pair with no route is
a row too (``reachable`` False, numbers missing), never dropped.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .._errors import QueryError
from ..compile import CompiledNetwork, compile_network
from ..model.records import MODES, Network

if TYPE_CHECKING:
    import pandas as pd

    from ..engine.pricing import Allowed, Costing
    from ..engine.query import Query
    from ..engine.search import Route

COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "reachable",
    "time_p50_h",
    "time_p90_h",
    "time_p95_h",
    "cost_usd",
    "co2e_kg",
    "distance_km",
    "transshipments",
    "borders",
    "modes",
    "route",
)
"""The matrix's columns, in order (documented in ``docs/output-schema.md``)."""
QUANTILES: tuple[float, float, float] = (0.5, 0.9, 0.95)
ROUTE_SEPARATOR = ">"
"""Joins the place ids of the ``route`` column (every place passed, origin first)."""
MODE_SEPARATOR = "+"
"""Joins the modes of the ``modes`` column, one per run of legs in the same mode."""

Row = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class Job:
    """What every origin's task needs besides the network (small: sent with each task).

    ``query`` is a checked query whose origin each task replaces; its destination is
    a placeholder (see :func:`_template`).
    """

    query: Query
    destinations: tuple[str, ...]
    sort: str
    samples: int
    """Monte Carlo draws per route; 0: medians only."""


def matrix(
    network: Network | CompiledNetwork,
    places: Iterable[str] | str | None = None,
    *,
    depart: str | dt.date | dt.datetime | None = None,
    cargo: str = "1xFEU",
    sort: str = "time",
    samples: int = 1000,
    seed: int = 0,
    include_planned: bool = False,
    avoid_countries: Iterable[str] | str | None = (),
    modes: Iterable[str] | str | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> pd.DataFrame:
    """The skim matrix between ``places``: one search per origin, one row per pair.

    Parameters
    ----------
    network
        A loaded or compiled network.
    places
        Place ids or names (any language; a string may be a comma list); default every
        place of the network, in its order. Repeats are dropped.
    depart, cargo, include_planned, avoid_countries, modes
        As for :func:`silkway.plan`.
    sort
        Criterion the route of each pair is chosen by: ``time`` (the median-basis time),
        ``cost`` or ``co2``, ties broken by the other two; a route that doubles back
        gives way to one that does not within 10 % of it, as in :func:`silkway.plan`.
    samples, seed
        Monte Carlo draws per route for the time quantiles, and the seed; ``samples=0``
        gives medians only (P50 = P90 = P95 = the median-basis time).
    scheduler, workers, progress
        Where the origins' tasks run and whether a progress bar shows (see
        :func:`silkway.distributed.run_tasks`).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``origin`` and ``destination`` (place ids),
        ``reachable``; ``time_p50_h``, ``time_p90_h``, ``time_p95_h`` (door-to-door
        hours), ``cost_usd``, ``co2e_kg`` (well-to-wheel), ``distance_km``;
        ``transshipments`` (transshipments plus gauge changes) and ``borders`` (border
        crossings) as nullable integers; ``modes`` (``"rail+ferry+rail"``) and
        ``route`` (the place ids passed, joined by ``>``). Numbers are missing where a
        pair is not reachable. ``DataFrame.attrs`` holds the query echo and
        ``complete`` (False if a search stopped at its budget or time limit).

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        If a place does not resolve (the message lists the closest names).
    QueryError
        For a bad option.
    SchedulerError
        If the Dask scheduler cannot be reached.
    """
    from ..distributed import in_process, run_tasks

    net = network if isinstance(network, CompiledNetwork) else _compiled(network)
    ids = _place_ids(net, places)
    if isinstance(samples, bool) or not isinstance(samples, int) or samples < 0:
        raise QueryError(f"samples must be a whole number, 0 or more, not {samples!r}")
    query = _template(
        net,
        depart=depart,
        cargo=cargo,
        sort=sort,
        samples=samples,
        seed=seed,
        include_planned=include_planned,
        avoid_countries=avoid_countries,
        modes=modes,
    )
    job = Job(query, ids, sort, samples)
    local = in_process(len(ids), scheduler=scheduler, workers=workers)
    shared = net if local else _portable(net)
    results = run_tasks(
        origin_rows,
        [(job, o) for o in ids],
        shared=shared,
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        description="origins",
    )
    rows = [row for got, _ in results for row in got]
    frame = _frame(rows)
    frame.attrs["query"] = {**query.echo(), "samples": samples, "places": len(ids)}
    frame.attrs["complete"] = all(done for _, done in results)
    return frame


def _compiled(network: Network) -> CompiledNetwork:
    if not isinstance(network, Network):
        raise QueryError(
            f"network must be a Network or CompiledNetwork, not {type(network).__name__}"
        )
    return compile_network(network)


def _portable(net: CompiledNetwork) -> CompiledNetwork:
    """``net`` without its caches, to be sent to workers (they build their own)."""
    return replace(net, cache={})


def _place_ids(net: CompiledNetwork, places: Iterable[str] | str | None) -> tuple[str, ...]:
    """Place ids of ``places`` (names resolved, repeats dropped), or every place."""
    if places is None:
        return net.places.ids
    items = [places] if isinstance(places, str) else list(places)
    out: dict[str, None] = {}
    for item in items:
        if not isinstance(item, str):
            raise QueryError(f"places must be names or ids, not {type(item).__name__}")
        for part in item.split(","):
            if part.strip():
                out.setdefault(net.names.resolve(part.strip()).id, None)
    return tuple(out)


def _template(net: CompiledNetwork, *, samples: int, **options: Any) -> Query:
    """A checked query for ``options`` (:func:`~silkway.engine.query.make_query` judges
    them), between two places that no avoided country holds; tasks set the origin."""
    from ..engine.query import make_query

    raw = options.get("avoid_countries") or ()
    codes = {c.strip().upper() for part in _texts(raw) for c in part.split(",")}
    ids = net.places.ids
    free = [p for p in ids if net.network.places[p].country not in codes] or list(ids)
    if len(free) < 2:
        raise QueryError("a skim matrix needs a network of two places or more")
    return make_query(
        net,
        free[0],
        free[1],
        uncertainty=samples > 0,
        samples=max(samples, 1),
        **options,
    )


def _texts(value: Iterable[str] | str) -> list[str]:
    return [value] if isinstance(value, str) else [v for v in value if isinstance(v, str)]


def _costing(net: CompiledNetwork, query: Query) -> tuple[Allowed, Costing]:
    """The masks and prices of ``query`` (kept in the network's cache for the next
    origin of the same job; one entry)."""
    from ..engine.pricing import allowed, price

    got = net.cache.get("skims.costing")
    if got is None or got[0] != query:
        ok = allowed(net, query)
        got = net.cache["skims.costing"] = (query, ok, price(net, query, ok))
    return got[1], got[2]


def origin_rows(net: CompiledNetwork, task: tuple[Job, str]) -> tuple[list[Row], bool]:
    """The rows of one origin (the task of :func:`matrix`), and whether its searches
    ran to the end."""
    from ..engine.onetoall import best_routes
    from ..engine.uncertainty import Sampler, quantiles, simulate_routes

    job, origin = task
    query = replace(job.query, origin=origin)
    ok, costing = _costing(net, job.query)
    index = net.places.index
    targets = [d for d in job.destinations if d != origin]
    routes, complete = best_routes(
        net, query, costing, ok, [index(d) for d in targets], sort=job.sort
    )
    found = [r for r in routes if r is not None]
    times: list[tuple[float, ...]]
    if job.samples > 0 and found:
        sampler = Sampler(
            net, depart=query.depart, frame=query.frame, seed=query.seed, samples=job.samples
        )
        drawn = simulate_routes(net, costing, found, start_hours=query.start_hours, sampler=sampler)
        times = [quantiles(s.total_hours, QUANTILES) for s in drawn]
    else:
        times = [(r.hours,) * len(QUANTILES) for r in found]
    it = iter(times)
    rows = [
        _row(net, origin, d, r, next(it)) if r is not None else _unreachable(origin, d)
        for d, r in zip(targets, routes, strict=True)
    ]
    return rows, complete


def _row(
    net: CompiledNetwork, origin: str, destination: str, route: Route, times: Sequence[float]
) -> Row:
    tab = _lists(net)
    arc_mode, arc_to, arc_crossing, arc_km = (
        tab["arc_mode"],
        tab["arc_to"],
        tab["arc_crossing"],
        tab["arc_km"],
    )
    arcs = [s.arc for s in route.steps]
    modes: list[str] = []
    for a in arcs:
        mode = MODES[arc_mode[a]]
        if not modes or modes[-1] != mode:
            modes.append(mode)
    place_id = net.places.id
    return (
        origin,
        destination,
        True,
        *times,
        route.cost_usd,
        route.co2_kg,
        math.fsum(arc_km[a] for a in arcs),
        route.transshipments,
        sum(arc_crossing[a] >= 0 for a in arcs),
        MODE_SEPARATOR.join(modes),
        ROUTE_SEPARATOR.join([origin, *(place_id(arc_to[a]) for a in arcs)]),
    )


def _lists(net: CompiledNetwork) -> dict[str, list[Any]]:
    """The arc arrays a row reads, as lists (cached per network)."""
    got: dict[str, list[Any]] | None = net.cache.get("skims.lists")
    if got is None:
        names = ("arc_mode", "arc_to", "arc_crossing", "arc_km")
        got = net.cache["skims.lists"] = {k: getattr(net, k).tolist() for k in names}
    return got


def _unreachable(origin: str, destination: str) -> Row:
    nan = float("nan")
    return (origin, destination, False, nan, nan, nan, nan, nan, nan, None, None, None, None)


def _frame(rows: list[Row]) -> pd.DataFrame:
    """The rows as a DataFrame with the documented columns and dtypes."""
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    dtypes: dict[str, Any] = {
        "origin": "string",
        "destination": "string",
        "reachable": "bool",
        "transshipments": "Int64",
        "borders": "Int64",
        "modes": "string",
        "route": "string",
    }
    for name in ("time_p50_h", "time_p90_h", "time_p95_h", "cost_usd", "co2e_kg", "distance_km"):
        dtypes[name] = "float64"
    return frame.astype(dtypes)


__all__ = ["COLUMNS", "Job", "matrix", "origin_rows"]
