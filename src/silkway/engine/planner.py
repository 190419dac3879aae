"""The freight planner: a query in, ranked and explained options out.

:func:`plan` checks the query, prices every element for the cargo, runs the search
kernel, picks distinct options from the Pareto set, replays each through Monte Carlo
for P50/P90, and assembles :class:`~silkway.results.Option` records leg by leg.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from .._errors import NoRouteError, QueryError
from ..compile import CompiledNetwork, compile_network
from ..model.names import PlaceIndex
from ..model.records import CARGO_CLASSES, MODES, Network
from ..results import Border, Leg, Option, PlanResult, SourceRef, Wait
from .cargo import Cargo, parse_cargo
from .diversify import SORT_KEYS, diversify
from .search import OBJECTIVES, Costing, Route, search
from .uncertainty import simulate_route

DEFAULT_PAYLOAD_T_PER_TEU = 10.0


@dataclass(frozen=True, slots=True)
class Constraints:
    """What a route may use."""

    cargo_class: str = "container"
    avoid_countries: frozenset[str] = frozenset()
    avoid_places: frozenset[str] = frozenset()
    modes: frozenset[str] = frozenset(MODES)
    include_planned: bool = False
    max_transshipments: int | None = None


def parse_depart(depart: str | dt.date | dt.datetime | None) -> dt.datetime:
    """Departure as an aware UTC datetime; a date means 00:00 UTC; ``None`` means today."""
    if depart is None:
        today = dt.datetime.now(dt.UTC).date()
        return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    if isinstance(depart, dt.datetime):
        value = depart
    elif isinstance(depart, dt.date):
        value = dt.datetime(depart.year, depart.month, depart.day)
    else:
        try:
            value = dt.datetime.fromisoformat(depart.strip())
        except ValueError:
            raise QueryError(
                f"cannot read departure {depart!r}; write a date like 2026-12-07 "
                "or a time like 2026-12-07T08:00"
            ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def week_hours(moment: dt.datetime) -> float:
    """Hours since Monday 00:00 UTC of the week of ``moment``."""
    return moment.weekday() * 24.0 + moment.hour + moment.minute / 60.0 + moment.second / 3600.0


def build_costing(net: CompiledNetwork, cargo: Cargo, cons: Constraints) -> Costing:
    """Price every arc, transfer, crossing and service for ``cargo`` under ``cons``."""
    network = net.network
    payload = network.parameter("payload_t_per_teu", DEFAULT_PAYLOAD_T_PER_TEU)
    teu_per_feu = network.parameter("teu_per_feu", 2.0)

    def qty(unit: str) -> float:
        return cargo.quantity_in(unit, payload_t_per_teu=payload, teu_per_feu=teu_per_feu)

    tonnes = cargo.tonnes(payload_t_per_teu=payload, teu_per_feu=teu_per_feu)
    teu = cargo.teu(payload_t_per_teu=payload, teu_per_feu=teu_per_feu)
    links = list(network.links.values())
    banned_place = np.array(
        [
            pid in cons.avoid_places or p.country in cons.avoid_countries
            for pid, p in network.places.items()
        ],
        dtype=np.bool_,
    )
    link_ok = ~net.link_closed & (cons.include_planned | ~net.link_planned)
    link_ok &= (net.link_cargo & (1 << CARGO_CLASSES.index(cargo.cargo_class))) != 0
    link_ok &= np.array([k.mode in cons.modes for k in links], dtype=np.bool_)
    arc_ok = link_ok[net.arc_link] & ~banned_place[net.arc_from] & ~banned_place[net.arc_to]
    link_cost = np.array(
        [(k.cost_fixed_usd + k.cost_per_km_usd * k.km) * qty(k.cost_unit) for k in links]
    )
    transfers = list(network.transfers.values())
    crossings = list(network.crossings.values())
    services = list(network.services.values())
    return Costing(
        arc_ok=arc_ok,
        arc_cost_usd=link_cost[net.arc_link],
        arc_co2_kg=net.arc_km * net.link_wtw[net.arc_link] * tonnes / 1000.0,
        transfer_ok=np.array([t.place not in cons.avoid_places for t in transfers], dtype=bool),
        transfer_hours=np.array([t.dwell.median_hours for t in transfers], dtype=np.float64),
        transfer_cost_usd=np.array(
            [t.cost_usd * qty(t.cost_unit) for t in transfers], dtype=np.float64
        ),
        transfer_co2_kg=np.array([t.co2e_kg_per_teu * teu for t in transfers], dtype=np.float64),
        transfer_counts=np.array(
            [t.kind in ("gauge_change", "transshipment") for t in transfers], dtype=np.int64
        ),
        crossing_hours=np.array([c.dwell.median_hours for c in crossings], dtype=np.float64),
        crossing_cost_usd=np.array(
            [c.cost_usd * qty(c.cost_unit) for c in crossings], dtype=np.float64
        ),
        service_ok=np.array([cargo.cargo_class in s.cargo for s in services], dtype=np.bool_),
        service_wait_hours=np.array(
            [s.wait.median_hours if s.wait else 0.0 for s in services], dtype=np.float64
        ),
        service_departures=tuple(
            np.array(s.departures, dtype=np.float64) if s.kind == "timetable" else None
            for s in services
        ),
    )


def _norm_set(
    values: Iterable[str] | None, allowed: Sequence[str] | None, what: str
) -> frozenset[str]:
    out: set[str] = set()
    for v in values or ():
        for part in str(v).split(","):
            part = part.strip()
            if not part:
                continue
            if allowed is not None and part.lower() not in allowed:
                raise QueryError(f"unknown {what} {part!r}; expected one of: {', '.join(allowed)}")
            out.add(part.lower() if allowed is not None else part)
    return frozenset(out)


def plan(
    network: Network | CompiledNetwork,
    origin: str,
    destination: str,
    *,
    depart: str | dt.date | dt.datetime | None = None,
    cargo: str | Cargo = "1xFEU",
    cargo_class: str | None = None,
    avoid_countries: Iterable[str] = (),
    avoid_places: Iterable[str] = (),
    modes: Iterable[str] | None = None,
    include_planned: bool = False,
    max_transshipments: int | None = None,
    sort: str = "time",
    max_options: int = 5,
    uncertainty: bool = True,
    samples: int = 1000,
    seed: int = 0,
    objectives: Sequence[str] = OBJECTIVES,
) -> PlanResult:
    """Plan freight options between two places.

    Parameters
    ----------
    network
        A loaded network (:func:`silkway.load_network`) or one compiled with
        :func:`silkway.compile_network` (faster when planning many queries).
    origin, destination
        Place ids or names in any language ("Xi'an", "xian", "西安", "CN_XIA").
    depart
        Departure date or datetime (UTC if naive); default today 00:00 UTC.
    cargo
        ``"2xFEU"``, ``"3xTEU"``, ``"500t:dry_bulk"`` or a :class:`Cargo`.
    cargo_class
        Override the cargo class: container, dry_bulk, liquid_bulk, dangerous_goods.
    avoid_countries
        ISO 3166 alpha-2 codes no route may enter, e.g. ``["RU", "BY"]``.
    avoid_places
        Place ids or names no route may touch.
    modes
        Allowed modes (default all): rail, road, ferry, sea, air, pipeline.
    include_planned
        Open planned links, such as the China-Kyrgyzstan-Uzbekistan railway.
    max_transshipments
        Most transshipments plus gauge changes a route may have.
    sort
        ``time``, ``cost`` or ``co2``: the order options are ranked in.
    max_options
        How many distinct options to return.
    uncertainty
        Estimate P50/P90 door-to-door time by Monte Carlo (else medians only).
    samples, seed
        Monte Carlo draws per option, and the seed (same seed, same numbers).
    objectives
        Criteria of the Pareto set (default all three).

    Returns
    -------
    PlanResult

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        If a place name does not resolve.
    QueryError
        For a bad date, cargo, mode, sort or option.
    NoRouteError
        If no route satisfies the constraints; says which constraint blocks it.
    """
    net = network if isinstance(network, CompiledNetwork) else compile_network(network)
    index = PlaceIndex.of(net.network)
    o_place, d_place = index.resolve(origin), index.resolve(destination)
    if o_place.id == d_place.id:
        raise QueryError(f"origin and destination are the same place ({o_place.id})")
    if sort not in SORT_KEYS:
        raise QueryError(f"unknown sort {sort!r}; expected one of: {', '.join(SORT_KEYS)}")
    if max_options < 1:
        raise QueryError("max_options must be at least 1")
    if samples < 1:
        raise QueryError("samples must be at least 1")
    if max_transshipments is not None and max_transshipments < 0:
        raise QueryError("max_transshipments cannot be negative")
    bad_obj = [o for o in objectives if o not in OBJECTIVES]
    if bad_obj or not objectives:
        raise QueryError(f"objectives must be a non-empty subset of {', '.join(OBJECTIVES)}")
    cargo_obj = cargo if isinstance(cargo, Cargo) else parse_cargo(cargo, cargo_class=cargo_class)
    if isinstance(cargo, Cargo) and cargo_class:
        cargo_obj = replace(cargo, cargo_class=cargo_class)
    countries = frozenset(c.upper() for c in _norm_set(avoid_countries, None, "country"))
    for c in countries:
        if len(c) != 2 or not c.isalpha():
            raise QueryError(f"{c!r} is not an ISO 3166 alpha-2 country code (e.g. RU)")
    avoid_ids = frozenset(index.resolve(p).id for p in _norm_set(avoid_places, None, "place"))
    mode_set = _norm_set(modes, MODES, "mode") or frozenset(MODES)
    for place, role in ((o_place, "origin"), (d_place, "destination")):
        if place.id in avoid_ids or place.country in countries:
            raise QueryError(f"the {role} {place.name_en} ({place.id}) is itself avoided")
    cons = Constraints(
        cargo_obj.cargo_class, countries, avoid_ids, mode_set, include_planned, max_transshipments
    )
    depart_at = parse_depart(depart)
    start = week_hours(depart_at)
    o_idx, d_idx = net.places.index(o_place.id), net.places.index(d_place.id)
    costing = build_costing(net, cargo_obj, cons)
    routes = _search(net, costing, o_idx, d_idx, start, tuple(objectives), max_transshipments)
    if not routes:
        raise NoRouteError(_no_route_message(net, cargo_obj, cons, o_idx, d_idx, start, index))
    chosen = diversify(net, routes, sort=sort, max_options=max_options)
    options = []
    for i, route in enumerate(chosen, start=1):
        rng = np.random.default_rng(np.random.SeedSequence([seed, i]))
        sample = (
            simulate_route(net, costing, route, start_hours=start, samples=samples, rng=rng)
            if uncertainty
            else None
        )
        options.append(_assemble(net, costing, route, i, sample, depart_at))
    if sort == "time":  # rank by what the user sees: the P50 door-to-door time
        options.sort(key=lambda o: (o.hours_p50, o.cost_usd, o.co2e_wtw_kg))
    options = [replace(o, rank=rank) for rank, o in enumerate(options, start=1)]
    cited = {ref.source for o in options for leg in o.legs for ref in leg.sources}
    srcs = net.network.sources
    return PlanResult(
        query={
            "origin": {"id": o_place.id, "name": o_place.name_en},
            "destination": {"id": d_place.id, "name": d_place.name_en},
            "depart": depart_at.isoformat(),
            "cargo": str(cargo_obj),
            "cargo_class": cargo_obj.cargo_class,
            "sort": sort,
            "avoid_countries": sorted(countries),
            "avoid_places": sorted(avoid_ids),
            "modes": sorted(mode_set),
            "include_planned": include_planned,
            "max_transshipments": max_transshipments,
            "uncertainty": uncertainty,
            "samples": samples if uncertainty else 0,
            "seed": seed,
        },
        network={"name": net.network.name, "version": net.network.version},
        options=tuple(options),
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
    )


EXACT_FALLBACK_LABELS = 50_000
"""Label budget of the exact search run when the fast search finds no route."""


def _search(
    net: CompiledNetwork,
    costing: Costing,
    o: int,
    d: int,
    start: float,
    objectives: tuple[str, ...],
    max_transshipments: int | None,
) -> list[Route]:
    """The fast search, and the exact one (bounded) if the fast one finds nothing.

    The fast search can, rarely, drop the only label that leads on (see
    :mod:`silkway.engine.search`); the exact search rules out a false "no route".
    """
    routes = search(
        net,
        costing,
        o,
        d,
        start_hours=start,
        objectives=objectives,
        max_transshipments=max_transshipments,
    )
    if not routes:
        routes = search(
            net,
            costing,
            o,
            d,
            start_hours=start,
            objectives=objectives,
            max_transshipments=max_transshipments,
            exact=True,
            max_labels=EXACT_FALLBACK_LABELS,
        )
    return routes


def _no_route_message(
    net: CompiledNetwork,
    cargo: Cargo,
    cons: Constraints,
    o: int,
    d: int,
    start: float,
    index: PlaceIndex,
) -> str:
    """Say which single constraint, if relaxed, would let a route through."""
    relaxations: list[tuple[str, Constraints, Cargo]] = []
    for c in sorted(cons.avoid_countries):
        relaxations.append(
            (
                f"not avoiding country {c}",
                replace(cons, avoid_countries=cons.avoid_countries - {c}),
                cargo,
            )
        )
    for p in sorted(cons.avoid_places):
        relaxations.append(
            (
                f"not avoiding {index.label(p)}",
                replace(cons, avoid_places=cons.avoid_places - {p}),
                cargo,
            )
        )
    if cons.modes != frozenset(MODES):
        relaxations.append(("allowing all modes", replace(cons, modes=frozenset(MODES)), cargo))
    if not cons.include_planned:
        relaxations.append(
            (
                "including planned links (--include-planned)",
                replace(cons, include_planned=True),
                cargo,
            )
        )
    if cons.max_transshipments is not None:
        relaxations.append(
            ("lifting the transshipment limit", replace(cons, max_transshipments=None), cargo)
        )
    if cargo.cargo_class != "container":
        relaxations.append(
            (
                "shipping as container cargo",
                replace(cons, cargo_class="container"),
                Cargo(1.0, "FEU", "container"),
            )
        )
    unblock = []
    for label, relaxed, rc in relaxations:
        costing = build_costing(net, rc, relaxed)
        if _search(net, costing, o, d, start, ("time",), relaxed.max_transshipments):
            unblock.append(label)
    head = (
        f"no route from {index.label(net.places.id(o))} to {index.label(net.places.id(d))} "
        f"for {cargo}"
    )
    if unblock:
        return head + "; a route exists when " + " or when ".join(unblock) + "."
    return head + " under any single relaxation of the constraints; the places are not connected."


def _assemble(
    net: CompiledNetwork,
    costing: Costing,
    route: Route,
    rank: int,
    sample: object,
    depart_at: dt.datetime,
) -> Option:
    from .uncertainty import RouteSample

    network = net.network
    places = network.places
    links = list(network.links.values())
    transfers = list(network.transfers.values())
    crossings = list(network.crossings.values())
    services = list(network.services.values())
    ef = network.emission_factors
    legs: list[Leg] = []
    borders: list[Border] = []
    gauge_changes: list[str] = []
    transfers_done: list[tuple[str, str]] = []
    key_places: list[str] = [net.places.id(int(net.arc_from[route.steps[0].arc]))]
    mode_seq: list[str] = []
    rs = sample if isinstance(sample, RouteSample) else None
    for i, step in enumerate(route.steps):
        link = links[int(net.arc_link[step.arc])]
        a_id, b_id = net.arc_direction(step.arc)
        a, b = places[a_id], places[b_id]
        waits: list[Wait] = []
        refs: list[SourceRef] = [
            SourceRef(f"link:{link.id}.{f}", s, _kind(network, s)) for f, s in link.sources.items()
        ]
        fac = ef[link.emission_factor]
        refs += [
            SourceRef(f"emission_factor:{fac.id}.{f}", s, _kind(network, s))
            for f, s in fac.sources.items()
        ]
        cost = float(costing.arc_cost_usd[step.arc])
        co2_wtw = float(costing.arc_co2_kg[step.arc])
        co2_ttw = co2_wtw * (fac.ttw_g_per_tkm / fac.wtw_g_per_tkm if fac.wtw_g_per_tkm else 0.0)
        if step.transfer >= 0:
            t = transfers[step.transfer]
            waits.append(
                Wait(
                    "transfer",
                    step.transfer_hours,
                    a_id,
                    f"{t.kind.replace('_', ' ')} at {a.name_en}",
                )
            )
            refs += [
                SourceRef(f"transfer:{t.id}.{f}", s, _kind(network, s))
                for f, s in t.sources.items()
            ]
            cost += float(costing.transfer_cost_usd[step.transfer])
            tco2 = float(costing.transfer_co2_kg[step.transfer])
            # handling emissions are given well-to-wheel only (their TTW share is not in
            # the data), so they count towards WTW and not TTW
            co2_wtw += tco2
            transfers_done.append((a_id, t.kind))
            if t.kind == "gauge_change":
                gauge_changes.append(a_id)
            if not key_places or key_places[-1] != a_id:
                key_places.append(a_id)
        if step.service >= 0:
            svc = services[step.service]
            if not step.continued:
                why = "sails when full" if svc.kind == "queue" else "next timetabled departure"
                if why in svc.name:
                    why = "waiting for departure"
                waits.append(Wait("service", step.service_wait_hours, a_id, f"{svc.name}: {why}"))
            refs += [
                SourceRef(f"service:{svc.id}.{f}", s, _kind(network, s))
                for f, s in svc.sources.items()
            ]
        ci = int(net.arc_crossing[step.arc])
        if ci >= 0:
            c = crossings[ci]
            if step.opening_wait_hours > 0:
                waits.append(
                    Wait(
                        "closed",
                        step.opening_wait_hours,
                        b_id,
                        f"{c.name or b.name_en} closed ({_days(c.open_days)} only)",
                    )
                )
            waits.append(Wait("border", step.crossing_hours, b_id, f"border {c.name or b.name_en}"))
            refs += [
                SourceRef(f"crossing:{c.id}.{f}", s, _kind(network, s))
                for f, s in c.sources.items()
            ]
            cost += float(costing.crossing_cost_usd[ci])
            borders.append(
                Border(
                    c.name or f"{a.name_en}-{b.name_en}",
                    a_id,
                    b_id,
                    a.country,
                    b.country,
                    c.regimes,
                )
            )
            for pid in (a_id, b_id):
                if key_places[-1] != pid:
                    key_places.append(pid)
        if not mode_seq or mode_seq[-1] != link.mode:
            mode_seq.append(link.mode)
        wait_total = (
            step.transfer_hours
            + step.service_wait_hours
            + step.opening_wait_hours
            + step.crossing_hours
        )
        legs.append(
            Leg(
                from_id=a_id,
                to_id=b_id,
                from_name=a.name_en,
                to_name=b.name_en,
                mode=link.mode,
                link_id=link.id,
                service_id=services[step.service].id if step.service >= 0 else None,
                gauge_mm=link.gauge_mm,
                km=link.km,
                hours=step.moving_hours,
                wait_hours=wait_total,
                waits=tuple(waits),
                cost_usd=cost,
                co2e_wtw_kg=co2_wtw,
                co2e_ttw_kg=co2_ttw,
                sources=tuple(refs),
                wait_hours_p50=float(np.quantile(rs.step_wait_hours[i], 0.5)) if rs else None,
                wait_hours_p90=float(np.quantile(rs.step_wait_hours[i], 0.9)) if rs else None,
                path=((a.lon, a.lat), (b.lon, b.lat)),
            )
        )
    last = net.places.id(int(net.arc_to[route.steps[-1].arc]))
    if key_places[-1] != last:
        key_places.append(last)
    p50 = rs.quantile(0.5) if rs else route.hours
    p90 = rs.quantile(0.9) if rs else route.hours
    return Option(
        rank=rank,
        route=tuple(key_places),
        route_names=tuple(places[p].name_en for p in key_places),
        modes=tuple(mode_seq),
        hours_p50=p50,
        hours_p90=p90,
        hours_median_basis=route.hours,
        cost_usd=route.cost_usd,
        co2e_wtw_kg=route.co2_kg,
        co2e_ttw_kg=sum(leg.co2e_ttw_kg for leg in legs),
        distance_km=sum(leg.km for leg in legs),
        borders=tuple(borders),
        gauge_changes=tuple(gauge_changes),
        transshipments=route.transshipments,
        transfers=tuple(transfers_done),
        legs=tuple(legs),
        arrival_p50=(depart_at + dt.timedelta(hours=p50)).isoformat(timespec="minutes"),
        arrival_p90=(depart_at + dt.timedelta(hours=p90)).isoformat(timespec="minutes"),
    )


def _kind(network: Network, source_id: str) -> str:
    src = network.sources.get(source_id)
    return src.kind if src else "unknown"


def _days(days: Sequence[int]) -> str:
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    if list(days) == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        return f"{names[days[0]]}-{names[days[-1]]}"
    return ",".join(names[d] for d in days)
