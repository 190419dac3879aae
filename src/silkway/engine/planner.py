"""The freight planner: a query in, ranked and explained options out.

:func:`plan` checks the query (:mod:`.query`), prices every element for the cargo
(:mod:`.pricing`), checks that the destination can be reached at all (:mod:`.reach`,
milliseconds, and a message naming the constraints that block it if not), runs the
search kernel with lower-bound pruning (:mod:`.search`), replays the Pareto routes by
Monte Carlo (:mod:`.uncertainty`), picks distinct options by corridor on the P50 the
user sees (:mod:`.diversify`) and assembles them leg by leg (:mod:`.assemble`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from .._errors import NoRouteError, QueryError
from ..compile import CompiledNetwork, compile_network
from ..model.records import CARGO_CLASSES, DEFAULT_TRAIN, MODES, Network
from ..results import PlanResult
from . import search as kernel
from .assemble import assemble
from .cargo import Cargo
from .diversify import BACKTRACK_MARGIN, Candidate, candidate, doubles_back, pick, sort_key
from .pricing import Allowed, Costing, allowed, price, too_large
from .query import DEFAULT_TIME_LIMIT_S, OBJECTIVES, Query, make_query
from .reach import lower_bounds, min_transshipments, via_bottleneck
from .search import Route, SearchResult, SearchStats, search
from .uncertainty import RouteSample, Sampler, simulate_routes

EXACT_FALLBACK_LABELS = 50_000
"""Label budget of the exact search run when the fast search finds no route although
the destination is reachable."""
SEARCH_SHARE = 0.9
"""Share of a query's time limit the label search may use."""
COMBINATION_BUDGET_S = 0.25
"""Time the "no route" message may spend looking for combinations of constraints."""
SIMULATE_UP_TO = 40
CONTENDER_FACTOR = 1.5
"""Before options are picked, the Pareto routes that could be the fastest by P50 are
replayed by Monte Carlo, fastest median first: at most 40, and none whose median-basis
time is over 1.5 times the best P50 found (waits only add to a median-basis time). The
options shown are all replayed, so they are ranked on the P50 they report."""


def plan(
    network: Network | CompiledNetwork,
    origin: str,
    destination: str,
    *,
    via: Iterable[str] | str | None = (),
    depart: str | dt.date | dt.datetime | None = None,
    cargo: str | Cargo = "1xFEU",
    cargo_class: str | None = None,
    avoid_countries: Iterable[str] | str | None = (),
    avoid_places: Iterable[str] | str | None = (),
    modes: Iterable[str] | str | None = None,
    include_planned: bool = False,
    as_of: int | None = None,
    max_transshipments: int | None = None,
    sort: str = "time",
    max_options: int = 5,
    all_options: bool = False,
    uncertainty: bool = True,
    samples: int = 1000,
    seed: int = 0,
    objectives: Sequence[str] = OBJECTIVES,
    time_limit: float | None = DEFAULT_TIME_LIMIT_S,
    tolerance: float | None = None,
    avoid_advisory: str | None = None,
    train: str = DEFAULT_TRAIN,
    crew: int = 1,
) -> PlanResult:
    """Plan freight options between two places.

    Parameters
    ----------
    network
        A loaded network (:func:`silkway.load_network`) or one compiled with
        :func:`silkway.compile_network` (faster when planning many queries).
    origin, destination
        Place ids or names in any language ("Xi'an", "xian", "西安", "CN_XIA").
    via
        Places every option must pass, in this order (forces a corridor).
    depart
        Departure date or datetime (UTC if naive); default today 00:00 UTC.
    cargo
        ``"2xFEU"``, ``"3xTEU"``, ``"500t:dry_bulk"`` or a :class:`Cargo`.
    cargo_class
        Override the cargo class: container, dry_bulk, liquid_bulk, dangerous_goods.
    avoid_countries
        ISO 3166 alpha-2 codes no route may enter or cross, e.g. ``["RU", "BY"]`` (a
        single string is one code or a comma list). Links that cross a country
        between their ends avoid it too.
    avoid_places
        Place ids or names no route may touch.
    modes
        Allowed modes (default all): rail, road, ferry, sea, air, pipeline.
    include_planned
        Open every planned link, such as the China-Kyrgyzstan-Uzbekistan railway.
    as_of
        Year the network is evaluated in: planned links open from their opening year.
        Default: the departure's year.
    max_transshipments
        Most transshipments plus gauge changes a route may have.
    sort
        ``time`` (by P50), ``cost`` or ``co2``: the order options are listed in. The
        fastest, cheapest and lowest-CO2e options are always among them when
        ``max_options`` is 3 or more (with fewer, the sort's own champion comes first).
    max_options
        How many distinct options to return.
    all_options
        Return the whole Pareto set instead of distinct options.
    uncertainty
        Estimate P50/P90 door-to-door time by Monte Carlo (else medians only).
    samples, seed
        Monte Carlo draws per option, and the seed (same seed, same numbers).
    objectives
        Criteria of the Pareto set (default all three).
    time_limit
        Seconds the search may take (default 10; ``None`` for no limit). A search
        stopped by it returns the routes it found, marked incomplete.
    tolerance
        Relative tolerance of the search's dominance checks: ``0`` finds the Pareto
        set; ``0.05`` drops a partial route within 5 % of another on time, cost and
        CO2e, an approximation that makes searches on large networks many times
        faster. Default: 0 below ``LARGE_NETWORK_PLACES`` places, ``AUTO_TOLERANCE``
        from there (see :mod:`silkway.engine.query`). The result echoes the value used.
    avoid_advisory
        ``info``, ``warning`` or ``critical``: leave out every country, place, link,
        crossing and border that an advisory of that severity or higher names, if it is
        valid on the departure date (``advisories.csv``). Default ``None``: advisories
        are attached to the options they apply to and exclude nothing.
    train
        Train type of the rail legs: ``"express"`` (the default: a scheduled
        China-Europe express container train, cleared with priority, the same day, at
        the China-Kazakhstan border), ``"block"`` (a container block train without that
        priority, cleared at CAREC CPMM's mean border times) or ``"wagonload"``
        (regional wagonload: slower, dearer, CAREC CPMM rates). The network's
        ``train_types.csv`` says how each differs in speed, price and border dwell.
    crew
        Drivers per truck: ``1`` (default) or ``2``. Where the network gives driving-time
        rules (AETR), a single driver drives at most 9 h a day with a 45-min break after
        4.5 h and an 11-h daily rest; a two-driver crew drives up to 18 h and rests 9 h,
        at the cost of the second driver (see :mod:`silkway.engine.driving`).

    Returns
    -------
    PlanResult

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        If a place name does not resolve.
    QueryError
        For a bad input; the message names it.
    NoRouteError
        If no route satisfies the constraints; says which constraints block it.
    """
    if isinstance(network, CompiledNetwork):
        net = network
    elif isinstance(network, Network):
        net = compile_network(network)
    else:
        raise QueryError(
            f"network must be a Network or CompiledNetwork, not {type(network).__name__}"
        )
    query = make_query(
        net,
        origin,
        destination,
        via=via,
        depart=depart,
        cargo=cargo,
        cargo_class=cargo_class,
        avoid_countries=avoid_countries,
        avoid_places=avoid_places,
        modes=modes,
        include_planned=include_planned,
        as_of=as_of,
        max_transshipments=max_transshipments,
        sort=sort,
        max_options=max_options,
        all_options=all_options,
        uncertainty=uncertainty,
        samples=samples,
        seed=seed,
        objectives=objectives,
        time_limit=time_limit,
        tolerance=tolerance,
        avoid_advisory=avoid_advisory,
        train=train,
        crew=crew,
    )
    return run(net, query)


def _reachable(net: CompiledNetwork, query: Query, ok: Allowed | None = None) -> bool:
    """Whether the destination can be reached under ``query`` (``ok``: its masks)."""
    ix = net.places.index
    kmin = min_transshipments(
        net,
        ok if ok is not None else allowed(net, query),
        ix(query.origin),
        ix(query.destination),
        [ix(v) for v in query.via],
    )
    return kmin is not None and (
        query.max_transshipments is None or kmin <= query.max_transshipments
    )


def run(net: CompiledNetwork, query: Query) -> PlanResult:
    """Plan a checked query (see :func:`plan`)."""
    t_start = time.perf_counter()
    ok = allowed(net, query)
    if not _reachable(net, query, ok):
        raise NoRouteError(blocked_message(net, query))
    costing = price(net, query, ok)
    routes, stats = _find(net, query, costing, t_start)
    chosen = _choose(net, query, costing, routes)
    options = tuple(
        assemble(net, costing, c, rank, sample, query.depart)
        for rank, (c, sample) in enumerate(chosen, start=1)
    )
    complete = not any(s.budget_hit or s.deadline_hit for s in stats)
    cited = {ref.source for opt in options for leg in opt.legs for ref in leg.sources}
    cited |= {sid for opt in options for adv in opt.advisories for sid in adv.sources}
    srcs = net.network.sources
    return PlanResult(
        query={
            "origin": {"id": query.origin, "name": net.network.places[query.origin].name_en},
            "destination": {
                "id": query.destination,
                "name": net.network.places[query.destination].name_en,
            },
            **query.echo(),
        },
        network={
            "name": net.network.name,
            "version": net.network.version,
            "scenarios": list(net.network.scenarios),
        },
        options=options,
        pareto_size=len(routes),
        sources={
            sid: {
                "title": srcs[sid].title,
                "publisher": srcs[sid].publisher,
                "url": srcs[sid].url,
                "date": srcs[sid].date,
                "kind": srcs[sid].kind,
            }
            for sid in sorted(cited)
            if sid in srcs
        },
        complete=complete,
        stats={
            "labels": sum(s.labels for s in stats),
            "expanded": sum(s.expanded for s in stats),
            "search_seconds": round(sum(s.seconds for s in stats), 6),
            "seconds": round(time.perf_counter() - t_start, 6),
            "budget_hit": any(s.budget_hit for s in stats),
            "deadline_hit": any(s.deadline_hit for s in stats),
            "exact_fallback": len(stats) > 1,
        },
        warnings=_warnings(query, [c for c, _ in chosen], stats, complete),
    )


def _find(
    net: CompiledNetwork, query: Query, costing: Costing, t_start: float
) -> tuple[list[Route], list[SearchStats]]:
    """The Pareto routes: the fast search, then the exact one if it finds none.

    Raises
    ------
    NoRouteError
        If neither finds a route (the destination is reachable, so the reason is the
        time limit or the rule that a route passes each place once).
    """
    # the search stops at 90 % of the limit, leaving the rest for replay and assembly
    deadline = None if query.time_limit is None else t_start + SEARCH_SHARE * query.time_limit
    ix = net.places.index
    o, d = ix(query.origin), ix(query.destination)
    via = [ix(v) for v in query.via]
    kw: dict[str, Any] = {
        "start_hours": query.start_hours,
        "objectives": query.objectives,
        "max_transshipments": query.max_transshipments,
        "via": via,
        "bounds": lower_bounds(net, costing, d, via),
        "deadline": deadline,
    }
    found = _fast_search(net, costing, o, d, tolerance=query.tolerance, **kw)
    stats = [found.stats]
    routes = found.routes
    head = f"no route from {_label(net, query.origin)} to {_label(net, query.destination)}"
    if not routes and via:
        blocked = via_bottleneck(net, costing.arc_ok, o, d, via)
        if blocked is not None:
            v, w = blocked
            where = (
                f"every way through it passes {_label(net, net.places.id(w))} twice"
                if w is not None
                else "no way through it passes each place once"
            )
            raise NoRouteError(
                f"{head} via {_label(net, net.places.id(v))}: {where}, and a route passes "
                "each place at most once (drop that --via place, or choose a place on the "
                "way)."
            )
    if not routes and found.stats.complete:
        exact = search(net, costing, o, d, exact=True, max_labels=EXACT_FALLBACK_LABELS, **kw)
        stats.append(exact.stats)
        routes = exact.routes
    if routes:
        return routes, stats
    if len(stats) > 1 and stats[1].deadline_hit:
        raise NoRouteError(
            f"{head}: the search found no route that passes each place at most once, and "
            f"the exhaustive check was cut short by the time limit of {query.time_limit:g} s; "
            "the destination may be reachable only by passing some place twice (try "
            "fewer --via places or other constraints)."
        )
    if any(s.deadline_hit for s in stats):
        raise NoRouteError(
            f"{head} found within the time limit of {query.time_limit:g} s; the "
            "destination is reachable, so allow more time (--time-limit)."
        )
    raise NoRouteError(
        f"{head}: the destination is reachable only by passing some place twice "
        "(for example to change mode and come back), which silkway does not offer."
        + (" The search stopped at its label budget." if any(s.budget_hit for s in stats) else "")
    )


def _choose(
    net: CompiledNetwork, query: Query, costing: Costing, routes: list[Route]
) -> list[tuple[Candidate, RouteSample | None]]:
    """Replay the contenders, pick the options, replay those not yet replayed, rank."""
    samples: dict[int, RouteSample] = {}
    sampler = (
        Sampler(net, depart=query.depart, frame=query.frame, seed=query.seed, samples=query.samples)
        if query.uncertainty
        else None
    )

    def replay(indexes: Sequence[int]) -> None:
        if sampler is None or not indexes:
            return
        batch = [routes[i] for i in indexes]
        drawn = simulate_routes(net, costing, batch, start_hours=query.start_hours, sampler=sampler)
        samples.update(zip(indexes, drawn, strict=True))

    # replay the routes that could be the fastest by P50, fastest median first
    best_p50 = float("inf")
    by_time = sorted(range(len(routes)), key=lambda i: routes[i].hours)[:SIMULATE_UP_TO]
    for i in by_time:
        if sampler is None or routes[i].hours > CONTENDER_FACTOR * best_p50:
            break
        replay([i])
        best_p50 = min(best_p50, samples[i].quantile(0.5))
    cands = [
        candidate(net, r, samples[i].quantile(0.5) if i in samples else r.hours)
        for i, r in enumerate(routes)
    ]

    def replay_options(indexes: list[int]) -> list[Candidate]:
        # options ranked on the P50 the user sees, replayed if they were not before
        replay(indexes)
        done = set(indexes) if sampler is not None else set()
        return [
            replace(c, hours=samples[i].quantile(0.5)) if i in done else c
            for i, c in enumerate(cands)
        ]

    if query.all_options:
        rows = list(range(len(cands)))
        cands = replay_options([i for i in rows if i not in samples])
    else:
        # options that were not contenders for the fastest are replayed once picked, and
        # the pick is made again on their P50: the duplicate rule then holds on the P50s
        # the user sees (at most once per route, so this ends)
        while True:
            index_of = {id(c): i for i, c in enumerate(cands)}
            rows = [
                index_of[id(c)] for c in pick(cands, sort=query.sort, max_options=query.max_options)
            ]
            late = [i for i in rows if i not in samples]
            if not late or sampler is None:
                break
            cands = replay_options(late)
    key = sort_key(query.sort)
    rows.sort(key=lambda i: key(cands[i]))
    return [(cands[i], samples.get(i)) for i in rows]


def _fast_search(net: CompiledNetwork, costing: Costing, o: int, d: int, **kw: Any) -> SearchResult:
    """The fast search: compiled (numba, imported on first use) on large networks."""
    if len(net.places) >= kernel.JIT_MIN_PLACES:
        from ._jit_search import search_jit

        return search_jit(net, costing, o, d, **kw)
    return search(net, costing, o, d, **kw)


def _warnings(
    query: Query, chosen: Sequence[Candidate], stats: Sequence[SearchStats], complete: bool
) -> tuple[str, ...]:
    out: list[str] = []
    if not complete:
        why = (
            f"its time limit of {query.time_limit:g} s"
            if any(s.deadline_hit for s in stats)
            else "its label budget"
        )
        out.append(
            f"the search stopped at {why}: the options shown are real routes, but faster, "
            "cheaper or cleaner ones may be missing"
        )
    for rank, c in enumerate(chosen, start=1):
        if doubles_back(c):
            out.append(
                f"option {rank} doubles back ({c.backtrack_km:,.0f} km away from the "
                "destination after being closer); it is shown because no route that does "
                f"not double back comes within {BACKTRACK_MARGIN:.0%} of it on its best "
                "criterion"
            )
    return tuple(out)


def _label(net: CompiledNetwork, place_id: str) -> str:
    return net.names.label(place_id)


def _relaxations(net: CompiledNetwork, query: Query) -> list[tuple[str, Query]]:
    """Every single constraint of ``query`` that could be lifted, with the lifted query."""
    out: list[tuple[str, Query]] = []
    for c in sorted(query.avoid_countries):
        out.append(
            (
                f"not avoiding country {c}",
                replace(query, avoid_countries=query.avoid_countries - {c}),
            )
        )
    for p in sorted(query.avoid_places):
        out.append(
            (
                f"not avoiding {_label(net, p)}",
                replace(query, avoid_places=query.avoid_places - {p}),
            )
        )
    for v in query.via:
        out.append(
            (
                f"not going via {_label(net, v)}",
                replace(query, via=tuple(x for x in query.via if x != v)),
            )
        )
    if query.modes != frozenset(MODES):
        out.append(("allowing all modes", replace(query, modes=frozenset(MODES))))
    if not query.include_planned:
        out.append(
            ("including planned links (--include-planned)", replace(query, include_planned=True))
        )
    if query.max_transshipments is not None:
        out.append(("lifting the transshipment limit", replace(query, max_transshipments=None)))
    if query.avoid_advisory is not None:
        out.append(
            (
                f"not avoiding {query.avoid_advisory}+ advisories (--avoid-advisory)",
                replace(query, avoid_advisory=None),
            )
        )
    for cls in CARGO_CLASSES:
        if cls != query.cargo_class:
            unit = "t" if cls.endswith("_bulk") else "FEU"
            out.append((f"shipping it as {cls} cargo", replace(query, cargo=Cargo(1.0, unit, cls))))
    return out


def _combine(base: Query, parts: Sequence[tuple[str, Query]]) -> Query:
    """``base`` with every relaxation in ``parts`` applied."""
    q = base
    for _, r in parts:
        q = replace(
            q,
            avoid_countries=q.avoid_countries & r.avoid_countries,
            avoid_places=q.avoid_places & r.avoid_places,
            via=tuple(v for v in q.via if v in r.via),
            modes=q.modes | r.modes,
            include_planned=q.include_planned or r.include_planned,
            max_transshipments=None if r.max_transshipments is None else q.max_transshipments,
            avoid_advisory=None if r.avoid_advisory is None else q.avoid_advisory,
            cargo=r.cargo if r.cargo_class != base.cargo_class else q.cargo,
        )
    return q


def blocked_message(net: CompiledNetwork, query: Query) -> str:
    """Say which constraint, or combination of constraints, blocks every route."""
    head = (
        f"no route from {_label(net, query.origin)} to {_label(net, query.destination)} "
        f"for {query.cargo}"
    )
    smaller = replace(query, cargo=query.cargo.smallest())
    if smaller.cargo != query.cargo and _reachable(net, smaller):
        return f"{head}: {too_large(net, query)}"
    options = _relaxations(net, query)
    started = time.perf_counter()
    cut_short = False
    for size in (1, 2, 3):
        found = []
        for combo in itertools.combinations(options, size):
            if size > 1 and time.perf_counter() - started > COMBINATION_BUDGET_S:
                cut_short = True
                break
            if _reachable(net, _combine(query, combo)):
                found.append(combo)
        if found:
            phrases = [" and ".join(label for label, _ in combo) for combo in found[:6]]
            lead = "a route exists when " if size == 1 else "a route exists only when "
            return f"{head}; {lead}" + ", or when ".join(phrases) + "."
    if cut_short:
        return (
            f"{head}; lifting any one of its constraints does not open a route, and the "
            "search for a combination that would was cut short: try fewer constraints."
        )
    others = [o for o in options if o[1].cargo_class == query.cargo_class]
    cargo_options = [(lb, q) for lb, q in options if q.cargo_class != query.cargo_class]
    for label, as_cls in [("", query), *cargo_options]:
        lifted = replace(_combine(query, others), cargo=as_cls.cargo)
        if others and _reachable(net, lifted):
            lifted_all = ", ".join(lb for lb, _ in others) + (f" and {label}" if label else "")
            return f"{head}; a route exists only when {lifted_all}."
    return (
        f"{head}: the two places are not connected in this network for any cargo, mode "
        "or year; add links (see docs/network-format.md)."
    )


__all__ = ["plan", "run"]
