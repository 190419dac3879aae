"""Assembly: a found route and its Monte Carlo draws become an :class:`Option`, leg by leg.

Numbers come from the compiled arrays and the query's :class:`~.pricing.Costing`;
the network's records are read only for names and for the provenance of each number
(built once per network and element, in the compiled network's cache). Waits carry
codes (:data:`silkway.results.WAIT_CODES`); English text is the renderers' business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from ..compile import CompiledNetwork
from ..compile.timing import closed_intervals, frame_start, hours_since
from ..geo.lines import great_circle_arc
from ..model.records import MODES
from ..results import Border, Leg, Option, RouteAdvisory, SourceRef, Wait
from .advisories import RouteFacts, border_key, for_route, valid_on
from .cargo import Basis
from .diversify import Candidate
from .pricing import Costing
from .search import Step
from .uncertainty import RouteSample, row_quantiles


def _refs(net: CompiledNetwork, kind: str, element_id: str) -> tuple[SourceRef, ...]:
    """Provenance of every number of one record, as ``SourceRef`` (cached per network)."""
    key = ("refs", kind, element_id)
    got = net.cache.get(key)
    if got is None:
        network = net.network
        table: Mapping[str, Any] = {
            "link": network.links,
            "emission_factor": network.emission_factors,
            "transfer": network.transfers,
            "service": network.services,
            "crossing": network.crossings,
            "grid": network.grid_intensities,
            "train_type": network.train_rules,
            "parameter": network.parameters,
        }[kind]
        rec = table[element_id]
        sources = network.sources
        got = tuple(
            SourceRef(f"{kind}:{element_id}.{f}", s, sources[s].kind if s in sources else "unknown")
            for f, s in rec.sources.items()
        )
        net.cache[key] = got
    return got


_REPLACED: dict[str, tuple[str, ...]] = {
    "speed_kmh": ("speed_kmh", "duration_hours"),
    "cost_per_km_usd": ("cost_per_km_usd",),
    "median_hours": ("median_hours", "p90_hours"),
}
"""Fields of a link or crossing that a train-type row's absolute value replaces."""


def _with_train(
    net: CompiledNetwork, kind: str, element_id: str, rule: int
) -> tuple[SourceRef, ...]:
    """Provenance of a link or crossing under a train type: its own, less the fields the
    row of ``train_types.csv`` (index ``rule``, -1: none) replaces, plus the row's."""
    own = _refs(net, kind, element_id)
    if rule < 0:
        return own
    rid = net.train_rules.id(rule)
    row = net.network.train_rules[rid]
    gone = {f for key, fields in _REPLACED.items() if getattr(row, key) is not None for f in fields}
    kept = tuple(r for r in own if r.parameter.rsplit(".", 1)[1] not in gone)
    return kept + _refs(net, "train_type", rid)


def _train_rows(net: CompiledNetwork, train: int) -> tuple[list[int], list[int]]:
    """Rows of ``train_types.csv`` that set each link's and crossing's values under one
    train type (-1: their own), as lists (cached per network and train type)."""
    key = ("assembly_train_rows", train)
    got: tuple[list[int], list[int]] | None = net.cache.get(key)
    if got is None:
        got = net.cache[key] = (
            net.link_train_rule[train].tolist(),
            net.crossing_train_rule[train].tolist(),
        )
    return got


def _tables(net: CompiledNetwork) -> dict[str, list[Any]]:
    """The compiled arrays assembly reads per leg, as lists (cached per network)."""
    got: dict[str, list[Any]] | None = net.cache.get("assembly_tables")
    if got is None:
        names = ["arc_link", "arc_from", "arc_to", "arc_crossing", "arc_mode", "arc_gauge"]
        names += ["arc_km", "link_planned", "link_wtw", "link_ttw", "service_queue"]
        got = net.cache["assembly_tables"] = {k: getattr(net, k).tolist() for k in names}
    return got


Line = tuple[tuple[float, float], ...]


def _line(net: CompiledNetwork, link_id: str, forward: bool) -> tuple[Line, str]:
    """The line a leg follows and where it comes from (``geometry``, ``great_circle`` or
    ``straight``): the link's geometry, else a great-circle arc (air) or the straight
    line between its places; reversed when the leg travels the link from ``to`` to
    ``from``. Cached per network and link."""
    key = ("line", link_id)
    got: tuple[Line, str] | None = net.cache.get(key)
    if got is None:
        network = net.network
        link = network.links[link_id]
        geometry = network.geometries.get(link_id)
        a, b = network.places[link.from_id], network.places[link.to_id]
        if geometry is not None:
            got = (tuple(geometry.line), "geometry")
        elif link.mode == "air":
            got = (tuple(great_circle_arc((a.lon, a.lat), (b.lon, b.lat))), "great_circle")
        else:
            got = (((a.lon, a.lat), (b.lon, b.lat)), "straight")
        net.cache[key] = got
    line, kind = got
    return (line if forward else line[::-1]), kind


def assemble(
    net: CompiledNetwork,
    costing: Costing,
    cand: Candidate,
    rank: int,
    sample: RouteSample | None,
    depart_at: dt.datetime,
) -> Option:
    """Build the :class:`Option` for one chosen candidate."""
    network = net.network
    places = network.places
    route = cand.route
    legs: list[Leg] = []
    borders: list[Border] = []
    gauge_changes: list[str] = []
    transfers_done: list[tuple[str, str]] = []
    tab = _tables(net)
    arc_link, arc_crossing, place_id = tab["arc_link"], tab["arc_crossing"], net.places.id
    link_rule, crossing_rule = _train_rows(net, costing.train)
    key_places: list[str] = [place_id(tab["arc_from"][route.steps[0].arc])]
    mode_seq: list[str] = []
    planned: list[str] = []
    leg_q = (
        row_quantiles(sample.step_waits(), (0.5, 0.9), overwrite=True).tolist()
        if sample is not None
        else None
    )
    for i, step in enumerate(route.steps):
        arc = step.arc
        li = arc_link[arc]
        link_id = net.links.id(li)
        link = network.links[link_id]
        a_id, b_id = place_id(tab["arc_from"][arc]), place_id(tab["arc_to"][arc])
        a, b = places[a_id], places[b_id]
        if tab["link_planned"][li]:
            planned.append(link_id)
        waits: list[Wait] = []
        refs = list(_with_train(net, "link", link_id, link_rule[li]))
        refs += _refs(net, "emission_factor", link.emission_factor)
        for country, _ in net.link_grid_mix[li]:
            refs += _refs(net, "grid", country)
        cost = float(costing.arc_cost_usd[arc])
        cfs = float(costing.arc_cfs_usd[arc]) if costing.arc_cfs_usd is not None else 0.0
        cost_items = [("link", link_id, cost - cfs)]
        if cfs:
            cost_items.append(("handling", _CFS, cfs))
        co2_wtw = float(costing.arc_co2_kg[arc])
        wtw = tab["link_wtw"][li]
        co2_ttw = co2_wtw * (tab["link_ttw"][li] / wtw if wtw else 0.0)
        if step.transfer >= 0:
            ti = step.transfer
            kind = net.transfer_kind[ti]
            waits.append(
                Wait(f"transfer.{kind}", step.transfer_hours, a_id, net.transfers.id(ti), a.name_en)
            )
            refs += _refs(net, "transfer", net.transfers.id(ti))
            t_cost = float(costing.transfer_cost_usd[ti])
            t_cfs = (
                float(costing.transfer_cfs_usd[ti]) if costing.transfer_cfs_usd is not None else 0.0
            )
            cost_items.append(("transfer", net.transfers.id(ti), t_cost - t_cfs))
            if t_cfs:
                cost_items.append(("handling", _CFS, t_cfs))
                cfs += t_cfs
            cost += t_cost
            # handling emissions are given well-to-wheel only (their TTW share is not in
            # the data), so they count towards WTW and not TTW
            co2_wtw += float(costing.transfer_co2_kg[ti])
            transfers_done.append((a_id, kind))
            if kind == "gauge_change":
                gauge_changes.append(a_id)
            if key_places[-1] != a_id:
                key_places.append(a_id)
        if step.service >= 0:
            sv = step.service
            sid = net.services.id(sv)
            if not step.continued:
                code = "service.queue" if tab["service_queue"][sv] else "service.timetable"
                waits.append(
                    Wait(code, step.service_wait_hours, a_id, sid, network.services[sid].name)
                )
                ready = step.depart_hours + step.transfer_hours + step.service_wait_hours
                storm = _storm_wait(net, sv, depart_at + dt.timedelta(hours=ready))
                if storm is not None:
                    waits.append(replace(storm, hours=step.storm_hours, where=a_id))
            refs += _refs(net, "service", sid)
        part_load: list[str] = []
        if tab["arc_mode"][arc] in _part_load_modes(net, costing):
            mode_name = MODES[tab["arc_mode"][arc]]
            part_load += [f"part_load_kg_per_cbm_{mode_name}", *_PART_LOAD_TARIFF]
        if cfs:
            part_load += _PART_LOAD_CFS
        for key in part_load:
            if key in network.parameters:
                refs += _refs(net, "parameter", key)
        rules = costing.drive_rules
        crew2 = rules is not None and rules.crew > 1 and tab["arc_mode"][arc] == _ROAD
        if crew2 and "road_crew2_cost_per_km_usd" in network.parameters:
            refs += _refs(net, "parameter", "road_crew2_cost_per_km_usd")
        if step.rest_hours > 0 and costing.drive_rules is not None:
            waits += _driving_waits(costing, step, a_id, link_id)
            for key in _RULE_PARAMETERS[costing.drive_rules.crew > 1]:
                if key in network.parameters:
                    refs += _refs(net, "parameter", key)
        ci = arc_crossing[arc]
        if ci >= 0:
            cid = net.crossings.id(ci)
            c = network.crossings[cid]
            name = c.name or b.name_en
            if step.opening_wait_hours > WAIT_EPS:
                came = step.arrive_hours - step.crossing_hours - step.opening_wait_hours
                closure = _closure_met(net, ci, depart_at, came, step.opening_wait_hours)
                if closure:
                    waits.append(
                        Wait(
                            "border.closure",
                            step.opening_wait_hours,
                            b_id,
                            cid,
                            name,
                            closure=closure,
                        )
                    )
                else:
                    waits.append(
                        Wait(
                            "border.closed",
                            step.opening_wait_hours,
                            b_id,
                            cid,
                            name,
                            _opening(net, ci),
                        )
                    )
            waits.append(Wait("border.dwell", step.crossing_hours, b_id, cid, name))
            refs += _with_train(net, "crossing", cid, crossing_rule[ci])
            c_cost = float(costing.crossing_cost_usd[ci])
            cost_items.append(("crossing", cid, c_cost))
            cost += c_cost
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
        mode = MODES[tab["arc_mode"][arc]]
        if not mode_seq or mode_seq[-1] != mode:
            mode_seq.append(mode)
        wait_total = (
            step.transfer_hours
            + step.service_wait_hours
            + step.storm_hours
            + step.rest_hours
            + step.opening_wait_hours
            + step.crossing_hours
        )
        path, path_kind = _line(net, link_id, a_id == link.from_id)
        w50 = w90 = None
        if leg_q is not None:
            w50, w90 = leg_q[i]
        legs.append(
            Leg(
                from_id=a_id,
                to_id=b_id,
                from_name=a.name_en,
                to_name=b.name_en,
                mode=mode,
                link_id=link_id,
                service_id=net.services.id(step.service) if step.service >= 0 else None,
                gauge_mm=tab["arc_gauge"][arc] or None,
                km=tab["arc_km"][arc],
                hours=step.moving_hours,
                wait_hours=wait_total,
                waits=tuple(waits),
                cost_usd=cost,
                co2e_wtw_kg=co2_wtw,
                co2e_ttw_kg=co2_ttw,
                sources=tuple(refs),
                wait_hours_p50=w50,
                wait_hours_p90=w90,
                path=path,
                path_kind=path_kind,
                emission_factor=link.emission_factor,
                wtw_g_per_tkm=tab["link_wtw"][li],
                ttw_g_per_tkm=tab["link_ttw"][li],
                grid_g_per_kwh=_grid(net, li),
                grid_mix=net.link_grid_mix[li],
                cost_items=tuple(cost_items),
            )
        )
    countries = tuple(net.countries.id(c) for c in cand.countries)
    advisories: tuple[RouteAdvisory, ...] = ()
    if valid_on(net, depart_at.date()):
        crossed = [arc_crossing[s.arc] for s in route.steps if arc_crossing[s.arc] >= 0]
        facts = RouteFacts(
            countries=frozenset(countries),
            places=frozenset(p for leg in legs for p in (leg.from_id, leg.to_id)),
            links=frozenset(leg.link_id for leg in legs),
            crossings=frozenset(net.crossings.id(ci) for ci in crossed),
            borders=frozenset(border_key(b.from_country, b.to_country) for b in borders),
        )
        advisories = for_route(net, depart_at.date(), facts)
    last = place_id(tab["arc_to"][route.steps[-1].arc])
    if key_places[-1] != last:
        key_places.append(last)
    p50, p90 = (sample.p50, sample.p90) if sample is not None else (route.hours, route.hours)
    return Option(
        rank=rank,
        route=tuple(key_places),
        route_names=tuple(places[p].name_en for p in key_places),
        modes=tuple(mode_seq),
        hours_p50=p50,
        hours_p90=p90,
        hours_p10=sample.quantile(0.1) if sample is not None else route.hours,
        hours_median_basis=route.hours,
        cost_usd=route.cost_usd,
        co2e_wtw_kg=route.co2_kg,
        co2e_ttw_kg=sum(leg.co2e_ttw_kg for leg in legs),
        distance_km=cand.km,
        borders=tuple(borders),
        gauge_changes=tuple(gauge_changes),
        transshipments=route.transshipments,
        transfers=tuple(transfers_done),
        legs=tuple(legs),
        arrival_p50=(depart_at + dt.timedelta(hours=p50)).isoformat(timespec="minutes"),
        arrival_p90=(depart_at + dt.timedelta(hours=p90)).isoformat(timespec="minutes"),
        detour_factor=cand.detour_factor,
        countries=countries,
        planned_links=tuple(dict.fromkeys(planned)),
        advisories=advisories,
    )


def _grid(net: CompiledNetwork, link: int) -> float | None:
    g = float(net.link_grid_g_per_kwh[link])
    return None if g != g else g  # NaN: a fixed factor


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _storm_wait(net: CompiledNetwork, service: int, ready: dt.datetime) -> Wait | None:
    """The storm entry of a boarding in ``ready``'s month, or ``None`` if the service has
    no storm days then (hours and place are filled in by the caller)."""
    month = ready.astimezone(dt.UTC).month - 1
    p = float(net.service_storm_p[service, month])
    if p <= 0.0:
        return None
    spell = float(net.service_storm_spell[service, month])
    note = f"{_MONTHS[month]}: storm-day probability {p:.0%}, mean spell {spell:g} days"
    sid = net.services.id(service)
    return Wait("service.storm", 0.0, "", sid, net.service_storm_region[service], note=note)


_RULE_PARAMETERS = (
    (
        "road_driving_before_break_hours",
        "road_break_hours",
        "road_daily_driving_hours",
        "road_daily_rest_hours",
    ),
    ("road_crew2_daily_driving_hours", "road_crew2_daily_rest_hours"),
)
"""The parameters behind a road leg's breaks and rests, for one driver and for two."""
_ROAD = MODES.index("road")
_CFS = "part_load_cfs"
"""Cost item subject of a container freight station charge (kind ``handling``)."""
_PART_LOAD_TARIFF = ("part_load_min_cbm", "part_load_cbm_per_teu")
"""Parameters of the LCL tariff a part load's consolidated legs cite (with the W/M rule
of the leg's mode, ``part_load_kg_per_cbm_<mode>``)."""
_PART_LOAD_CFS = ("part_load_cfs_usd_per_cbm", "part_load_cfs_min_usd")
"""Parameters of a container freight station charge, cited by the legs that pay one."""


def _part_load_modes(net: CompiledNetwork, costing: Costing) -> frozenset[int]:
    """Modes (indexes) on which the query's cargo is priced as a part load (LCL)."""
    basis = Basis.of(net)
    return frozenset(m for m, mode in enumerate(MODES) if basis.consolidated(costing.cargo, mode))


WAIT_EPS = 1e-6
"""Waits shorter than this (hours; rounding noise of the opening windows) are not shown."""


def _driving_waits(costing: Costing, step: Step, where: str, link_id: str) -> list[Wait]:
    """The driving-time breaks and daily rests a road leg took, as waits."""
    rules = costing.drive_rules
    assert rules is not None
    crew = "two-driver crew" if rules.crew > 1 else "single driver"
    out: list[Wait] = []
    if step.breaks:
        out.append(
            Wait(
                "road.break",
                step.breaks * rules.break_hours,
                where,
                link_id,
                closure=f"{step.breaks} x {rules.break_hours * 60:.0f} min after each "
                f"{rules.before_break:g} h of driving (AETR, {crew})",
            )
        )
    if step.rests:
        out.append(
            Wait(
                "road.rest",
                step.rests * rules.daily_rest,
                where,
                link_id,
                closure=f"{step.rests} x {rules.daily_rest:g} h daily rest after "
                f"{rules.daily_driving:g} h of driving (AETR, {crew})",
            )
        )
    return out


def _closure_met(
    net: CompiledNetwork, crossing: int, depart_at: dt.datetime, came: float, waited: float
) -> str:
    """The dated closure of ``crossing`` that a wait from ``came`` (hours after the
    departure) for ``waited`` hours ran into, as text; empty if none did."""
    closures = net.crossing_closures[crossing]
    if not closures:
        return ""
    frame = frame_start(depart_at)
    at = hours_since(frame, depart_at) + came
    zone: dt.tzinfo = ZoneInfo(net.crossing_tz[crossing]) if net.crossing_tz[crossing] else dt.UTC
    for cl in closures:
        for s, e in closed_intervals([(cl.start, cl.end)], zone, frame, (at, at + waited)):
            if s < at + waited and e > at:
                return f"{cl.reason or cl.id}, {cl.span_text()}"
    return ""


def _opening(net: CompiledNetwork, crossing: int) -> str:
    """A post's opening days, hours and zone, e.g. ``Mon-Fri 09:00-18:00 Asia/Bishkek``."""
    days = sorted(net.crossing_open_days[crossing])
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        text = f"{_DAYS[days[0]]}-{_DAYS[days[-1]]}"
    else:
        text = ",".join(_DAYS[d] for d in days)
    hours = net.crossing_open_hours[crossing]
    if hours is not None:
        text += " " + "-".join(f"{int(h):02d}:{round(h % 1 * 60):02d}" for h in hours)
    return f"{text} {net.crossing_tz[crossing] or 'UTC'}"
