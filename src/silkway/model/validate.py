"""Cross-record validation of a :class:`Network`.

:func:`validate` returns every problem it finds, each with file, line, field, a
reason and a stable ``code``. It never raises. Problem codes:

``unknown-id``, ``duplicate-id`` (loader), ``coordinates-out-of-range``,
``non-positive`` (loader), ``shorter-than-great-circle``, ``gauge-without-transfer``,
``border-without-crossing``, ``unknown-unit`` / ``unknown-cargo`` (loader),
``service-link-mismatch``, ``unreachable-place``, ``inconsistent-value``,
``unknown-country``, ``duplicate-crossing``, ``duplicate-transfer``,
``duplicate-train-rule``, ``duplicate-weather``.

Every problem is an error except ``unreachable-place`` for a place that only an
overlay cut off: that is a warning (see :attr:`silkway.Problem.severity`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from .._errors import Problem
from ..geo.lines import EARTH_RADIUS_KM, great_circle_km
from ._train_types import check_link_sections, check_train_rules
from .countries import is_country, unknown_country_message
from .records import (
    AIR_CARGO_CLASSES,
    MODES,
    Crossing,
    Dwell,
    Link,
    Network,
    Origin,
    Service,
    Transfer,
    Weather,
    travels_forward,
)
from .validate_advisories import check_advisories
from .validate_geo import check_emissions, check_geometry

__all__ = ["EARTH_RADIUS_KM", "great_circle_km", "validate"]

GREAT_CIRCLE_TOLERANCE = 0.005
"""Links may be up to 0.5 % shorter than the great circle, to absorb coordinate rounding."""


NO_TRANSIT_MODES: tuple[str, ...] = ("sea", "ferry", "air")
"""Modes whose links list no ``transit_countries``: waters and airspace are not transit."""

POSITIVE_PARAMETERS: tuple[str, ...] = (
    "payload_t_per_teu",
    "teu_per_feu",
    "teu_volume_m3",
    "general_density_kg_per_m3",
    "air_volume_cm3_per_kg",
    "road_driving_before_break_hours",
    "road_daily_driving_hours",
    "road_crew2_daily_driving_hours",
    "part_load_cbm_per_teu",
)
"""Parameters that divide or multiply cargo amounts and so must be greater than zero
(so must every vehicle capacity, ``vehicle_teu_<mode>`` and ``vehicle_t_<mode>``), and
the driving-time limits a truck drives between two stops."""

NON_NEGATIVE_PARAMETERS: tuple[str, ...] = (
    "road_break_hours",
    "road_daily_rest_hours",
    "road_crew2_daily_rest_hours",
    "road_crew2_cost_per_km_usd",
    "part_load_min_cbm",
    "part_load_cfs_usd_per_cbm",
    "part_load_cfs_min_usd",
)
"""Durations of stops and costs of the driving-time rules, and the minimum and station
charges of a part load (LCL): zero or more."""

VEHICLE_PARAMETER_PREFIXES: tuple[str, ...] = (
    "vehicle_teu_",
    "vehicle_t_",
    "part_load_kg_per_cbm_",
)
"""Parameters per mode, greater than zero: vehicle capacities (``vehicle_teu_road``, the
TEU a truck carries, and so on) and the W/M rule of a mode's LCL tariff
(``part_load_kg_per_cbm_rail``)."""

CAPACITY_MODES: dict[str, str] = {"trains/day": "rail", "trucks/day": "road"}
"""Capacity units that count vehicles of one mode."""


_p = Problem.at


def _where(origin: Origin | None) -> str:
    """``file:line`` of a record, for messages that name a second row."""
    return f"{origin.file}:{origin.line}" if origin is not None else "(no line)"


def _check_parameters(net: Network) -> Iterable[Problem]:
    for key, param in net.parameters.items():
        vehicle = next((p for p in VEHICLE_PARAMETER_PREFIXES if key.startswith(p)), None)
        if vehicle is not None and key[len(vehicle) :] not in MODES:
            yield _p(
                param.origin,
                "parameters.csv",
                "id",
                f"{key} names no mode; write {vehicle}<mode> with a mode of: {', '.join(MODES)}",
                "unknown-mode",
            )
        if key in NON_NEGATIVE_PARAMETERS and param.value < 0:
            yield _p(
                param.origin,
                "parameters.csv",
                "value",
                f"{key} is {param.value:g}; it must be zero or more",
                "negative",
            )
        if (key in POSITIVE_PARAMETERS or vehicle is not None) and param.value <= 0:
            yield _p(
                param.origin,
                "parameters.csv",
                "value",
                f"{key} is {param.value:g}; it must be greater than zero",
                "non-positive",
            )


def _check_provenance(net: Network) -> Iterable[Problem]:
    tables: list[tuple[str, Mapping[str, object]]] = [
        ("parameters.csv", net.parameters),
        ("places.csv", net.places),
        ("links.csv", net.links),
        ("transfers.csv", net.transfers),
        ("crossings.csv", net.crossings),
        ("services.csv", net.services),
        ("emission_factors.csv", net.emission_factors),
        ("train_types.csv", net.train_rules),
        ("weather.csv", net.weather),
        ("closures.csv", net.closures),
    ]
    for fallback, table in tables:
        for rec in table.values():
            sources: Mapping[str, str] = getattr(rec, "sources")  # noqa: B009
            origin: Origin | None = getattr(rec, "origin")  # noqa: B009
            for field, src_id in sorted(sources.items()):
                if src_id not in net.sources:
                    yield _p(
                        origin,
                        fallback,
                        "sources",
                        f"source {src_id!r} (for {field}) is not in sources.csv",
                        "unknown-id",
                    )
    for src in net.sources.values():
        for dep in src.derived_from:
            if dep not in net.sources:
                yield _p(
                    src.origin,
                    "sources.csv",
                    "derived_from",
                    f"unknown source {dep!r}",
                    "unknown-id",
                )
        if src.kind == "derived" and not src.derived_from and not src.note:
            yield _p(
                src.origin,
                "sources.csv",
                "note",
                "a derived source must say how it was derived (derived_from or note)",
                "inconsistent-value",
            )


def _check_dwell(
    dwell: Dwell, origin: Origin | None, fallback: str, field: str
) -> Iterable[Problem]:
    """A lognormal needs its P90 at or above its median."""
    if dwell.p90_hours < dwell.median_hours:
        yield _p(origin, fallback, field, f"{field} is below the median", "inconsistent-value")


def _check_places(net: Network) -> Iterable[Problem]:
    for place in net.places.values():
        if not -90.0 <= place.lat <= 90.0:
            yield _p(
                place.origin,
                "places.csv",
                "lat",
                f"latitude {place.lat} is outside -90..90",
                "coordinates-out-of-range",
            )
        if not -180.0 <= place.lon <= 180.0:
            yield _p(
                place.origin,
                "places.csv",
                "lon",
                f"longitude {place.lon} is outside -180..180",
                "coordinates-out-of-range",
            )
        if len(place.country) != 2 or not place.country.isalpha():
            yield _p(
                place.origin,
                "places.csv",
                "country",
                f"{place.country!r} is not an ISO 3166 alpha-2 code",
                "bad-value",
            )
        elif not is_country(place.country):
            yield _p(
                place.origin,
                "places.csv",
                "country",
                unknown_country_message(place.country),
                "unknown-country",
            )
        if place.locode and (len(place.locode) != 5 or not place.locode.isalnum()):
            yield _p(
                place.origin,
                "places.csv",
                "locode",
                f"{place.locode!r} is not a 5-character UN/LOCODE",
                "bad-value",
            )


def _check_links(net: Network) -> Iterable[Problem]:
    for link in net.links.values():
        o = link.origin
        ends_known = True
        for field, pid in (("from", link.from_id), ("to", link.to_id)):
            if pid not in net.places:
                ends_known = False
                yield _p(o, "links.csv", field, f"unknown place {pid!r}", "unknown-id")
        if link.from_id == link.to_id:
            yield _p(
                o, "links.csv", "to", "link starts and ends at the same place", "inconsistent-value"
            )
        if link.mode == "rail" and link.gauge_mm is None:
            yield _p(
                o, "links.csv", "gauge", "rail link needs a gauge (1435 or 1520)", "missing-value"
            )
        if link.mode != "rail" and link.gauge_mm is not None:
            yield _p(
                o, "links.csv", "gauge", f"a {link.mode} link has no gauge", "inconsistent-value"
            )
        if link.speed_kmh is None and link.duration_hours is None:
            yield _p(
                o, "links.csv", "speed_kmh", "give speed_kmh or duration_hours", "missing-value"
            )
        if link.mode == "pipeline" and set(link.cargo) - {"liquid_bulk"}:
            yield _p(o, "links.csv", "cargo", "pipelines carry liquid_bulk only", "unknown-cargo")
        if link.mode == "air" and set(link.cargo) - set(AIR_CARGO_CLASSES):
            yield _p(
                o,
                "links.csv",
                "cargo",
                "air links carry general cargo (and dangerous_goods where allowed) only; "
                f"not {', '.join(sorted(set(link.cargo) - set(AIR_CARGO_CLASSES)))}: "
                "containers and bulk do not fly",
                "unknown-cargo",
            )
        if link.cost_unit == "kg_chargeable" and link.mode != "air":
            yield _p(
                o,
                "links.csv",
                "cost_unit",
                f"kg_chargeable (air chargeable weight) prices air links only, not a "
                f"{link.mode} link",
                "inconsistent-value",
            )
        counted = CAPACITY_MODES.get(link.capacity_unit)
        if counted is not None and counted != link.mode:
            yield _p(
                o,
                "links.csv",
                "capacity_unit",
                f"{link.capacity_unit} counts {counted} vehicles, but this is a {link.mode} link",
                "inconsistent-value",
            )
        if link.status == "planned" and link.open_year is None:
            yield _p(
                o,
                "links.csv",
                "open_year",
                "a planned link needs its expected open_year",
                "missing-value",
            )
        if link.emission_factor:
            ef = net.emission_factors.get(link.emission_factor)
            if ef is None:
                yield _p(
                    o,
                    "links.csv",
                    "emission_factor",
                    f"unknown emission factor {link.emission_factor!r}",
                    "unknown-id",
                )
            elif ef.mode != link.mode:
                yield _p(
                    o,
                    "links.csv",
                    "emission_factor",
                    f"factor {ef.id!r} is for {ef.mode}, not {link.mode}",
                    "inconsistent-value",
                )
        else:
            yield _p(
                o,
                "links.csv",
                "emission_factor",
                "every link needs an emission factor",
                "missing-value",
            )
        if link.transit_countries and link.mode in NO_TRANSIT_MODES:
            yield _p(
                o,
                "links.csv",
                "transit_countries",
                f"a {link.mode} link lists no transit countries: territorial waters and "
                "airspace are not transit",
                "inconsistent-value",
            )
        if ends_known:
            a, b = net.places[link.from_id], net.places[link.to_id]
            for code in link.transit_countries:
                if code in (a.country, b.country):
                    end = a if code == a.country else b
                    yield _p(
                        o,
                        "links.csv",
                        "transit_countries",
                        f"{code} is the country of the link's end {end.id}; list only the "
                        "countries crossed between the ends",
                        "inconsistent-value",
                    )
            gc = great_circle_km(a.lat, a.lon, b.lat, b.lon)
            if link.km < gc * (1 - GREAT_CIRCLE_TOLERANCE):
                yield _p(
                    o,
                    "links.csv",
                    "km",
                    f"length {link.km:g} km is shorter than the great-circle distance "
                    f"{gc:.1f} km between {a.id} and {b.id}",
                    "shorter-than-great-circle",
                )


def _check_transfers(net: Network) -> Iterable[Problem]:
    gauge_pairs: dict[str, set[frozenset[int | None]]] = defaultdict(set)
    first: dict[tuple[str, frozenset[tuple[str, int | None]]], Transfer] = {}
    for t in net.transfers.values():
        o = t.origin
        states = frozenset({(t.from_mode, t.from_gauge_mm), (t.to_mode, t.to_gauge_mm)})
        earlier = first.setdefault((t.place, states), t)
        if earlier is not t:
            yield _p(
                o,
                "transfers.csv",
                "place",
                f"transfer {t.id} at {t.place} joins the same two states as transfer "
                f"{earlier.id} ({_where(earlier.origin)}); keep one row per place and pair "
                "of (mode, gauge) states",
                "duplicate-transfer",
            )
        if t.place not in net.places:
            yield _p(o, "transfers.csv", "place", f"unknown place {t.place!r}", "unknown-id")
        for gauge_f, mode, gauge in (
            ("from_gauge", t.from_mode, t.from_gauge_mm),
            ("to_gauge", t.to_mode, t.to_gauge_mm),
        ):
            if mode == "rail" and gauge is None:
                yield _p(o, "transfers.csv", gauge_f, "a rail state needs a gauge", "missing-value")
            if mode != "rail" and gauge is not None:
                yield _p(o, "transfers.csv", gauge_f, f"{mode} has no gauge", "inconsistent-value")
        if (t.from_mode, t.from_gauge_mm) == (t.to_mode, t.to_gauge_mm):
            yield _p(
                o,
                "transfers.csv",
                "to_mode",
                "transfer does not change mode or gauge",
                "inconsistent-value",
            )
        yield from _check_dwell(t.dwell, o, "transfers.csv", "p90_hours")
        if t.cost_unit == "kg_chargeable" and "air" not in (t.from_mode, t.to_mode):
            yield _p(
                o,
                "transfers.csv",
                "cost_unit",
                "kg_chargeable (air chargeable weight) prices transfers to or from air only",
                "inconsistent-value",
            )
        if t.from_mode == t.to_mode == "rail":
            gauge_pairs[t.place].add(frozenset((t.from_gauge_mm, t.to_gauge_mm)))
    # a place where rail links of two gauges meet needs a gauge-change transfer
    gauges_at: dict[str, dict[int, Link]] = defaultdict(dict)
    for link in net.links.values():
        if link.mode == "rail" and link.gauge_mm is not None and link.status != "closed":
            for pid in link.ends():
                gauges_at[pid].setdefault(link.gauge_mm, link)
    for pid, by_gauge in gauges_at.items():
        gs = sorted(by_gauge)
        for i, g1 in enumerate(gs):
            for g2 in gs[i + 1 :]:
                if frozenset((g1, g2)) not in gauge_pairs.get(pid, set()):
                    link = by_gauge[g2]
                    yield _p(
                        link.origin,
                        "links.csv",
                        "gauge",
                        f"rail gauges {g1} and {g2} meet at {pid} but transfers.csv "
                        f"defines no gauge change there",
                        "gauge-without-transfer",
                    )


def _check_crossings(net: Network) -> Iterable[Problem]:
    have: dict[tuple[str, str], Crossing] = {}
    for c in net.crossings.values():
        o = c.origin
        earlier = have.get((c.link, c.from_id))
        if earlier is not None:
            yield _p(
                o,
                "crossings.csv",
                "from",
                f"crossing {c.id} repeats crossing {earlier.id} ({_where(earlier.origin)}) "
                f"for link {c.link} leaving {c.from_id}; keep one row per link and direction",
                "duplicate-crossing",
            )
        else:
            have[(c.link, c.from_id)] = c
        link = net.links.get(c.link)
        if link is None:
            yield _p(o, "crossings.csv", "link", f"unknown link {c.link!r}", "unknown-id")
            continue
        if c.cost_unit == "kg_chargeable" and link.mode != "air":
            yield _p(
                o,
                "crossings.csv",
                "cost_unit",
                f"kg_chargeable (air chargeable weight) prices air crossings only, not a "
                f"{link.mode} link's",
                "inconsistent-value",
            )
        if c.from_id not in link.ends():
            yield _p(
                o,
                "crossings.csv",
                "from",
                f"{c.from_id!r} is not an end of link {link.id} ({link.from_id}-{link.to_id})",
                "unknown-id",
            )
        yield from _check_dwell(c.dwell, o, "crossings.csv", "p90_hours")
    for link in net.links.values():
        a, b = net.places.get(link.from_id), net.places.get(link.to_id)
        if a is None or b is None or a.country == b.country or link.status == "closed":
            continue
        directions = [link.from_id] + ([link.to_id] if link.bidirectional else [])
        for start in directions:
            if (link.id, start) not in have:
                yield _p(
                    link.origin,
                    "links.csv",
                    "to",
                    f"link {link.id} crosses the {a.country}-{b.country} border but "
                    f"crossings.csv has no row for it leaving {start}",
                    "border-without-crossing",
                )


def _check_closures(net: Network) -> Iterable[Problem]:
    """A closure names a crossing, a link with crossings or a place with crossings, and
    its two days are of one kind (both dated or both yearly), a dated one in order."""
    crossed_links = {c.link for c in net.crossings.values()}
    for cl in net.closures.values():
        o = cl.origin
        target = cl.applies_to
        if target in net.crossings:
            pass
        elif target in net.links:
            if target not in crossed_links:
                yield _p(
                    o,
                    "closures.csv",
                    "applies_to",
                    f"link {target} has no border crossing to close; closures apply to "
                    "crossings (give a crossing id, a link with rows in crossings.csv or "
                    "a place at a border)",
                    "inconsistent-value",
                )
        elif target in net.places:
            if not any(
                target in net.links[c.link].ends()
                for c in net.crossings.values()
                if c.link in net.links
            ):
                yield _p(
                    o,
                    "closures.csv",
                    "applies_to",
                    f"place {target} is at no border crossing; closures apply to crossings",
                    "inconsistent-value",
                )
        else:
            yield _p(
                o,
                "closures.csv",
                "applies_to",
                f"unknown id {target!r}: give a crossing, link or place id",
                "unknown-id",
            )
        if (cl.start[0] == 0) != (cl.end[0] == 0):
            yield _p(
                o,
                "closures.csv",
                "to",
                f"'from' and 'to' must both be dates (YYYY-MM-DD) or both yearly days "
                f"(MM-DD), not {cl.span_text()}",
                "inconsistent-value",
            )
        elif cl.start[0] and cl.end < cl.start:
            yield _p(
                o,
                "closures.csv",
                "to",
                f"the closure ends before it starts ({cl.span_text()})",
                "inconsistent-value",
            )


def _check_services(net: Network) -> Iterable[Problem]:
    for s in net.services.values():
        o = s.origin
        prev: Link | None = None
        for lid in s.links:
            link = net.links.get(lid)
            if link is None:
                yield _p(o, "services.csv", "links", f"unknown link {lid!r}", "unknown-id")
                prev = None
                continue
            if link.mode == "air" and set(s.cargo) - set(AIR_CARGO_CLASSES):
                yield _p(
                    o,
                    "services.csv",
                    "cargo",
                    "air services carry general cargo (and dangerous_goods where allowed) "
                    "only: containers and bulk do not fly",
                    "unknown-cargo",
                )
            if link.mode != s.mode:
                yield _p(
                    o,
                    "services.csv",
                    "links",
                    f"a {s.mode} service cannot use {link.mode} link {lid}",
                    "service-link-mismatch",
                )
            missing = set(s.cargo) - set(link.cargo)
            if missing:
                yield _p(
                    o,
                    "services.csv",
                    "cargo",
                    f"link {lid} does not accept {', '.join(sorted(missing))}",
                    "service-link-mismatch",
                )
            if prev is not None and not set(prev.ends()) & set(link.ends()):
                yield _p(
                    o,
                    "services.csv",
                    "links",
                    f"links {prev.id} and {lid} do not meet at a place",
                    "service-link-mismatch",
                )
            if s.bidirectional and not link.bidirectional:
                yield _p(
                    o,
                    "services.csv",
                    "bidirectional",
                    f"service runs both ways but link {lid} is one-way",
                    "service-link-mismatch",
                )
            prev = link
        yield from _check_service_direction(s, net)
        if s.kind == "timetable" and not s.departures:
            yield _p(
                o,
                "services.csv",
                "departures",
                "a timetable service needs departures",
                "missing-value",
            )
        if s.kind == "queue" and s.wait is None:
            yield _p(
                o,
                "services.csv",
                "median_wait_hours",
                "a queue service needs median_wait_hours",
                "missing-value",
            )
        if s.wait is not None:
            yield from _check_dwell(s.wait, o, "services.csv", "p90_wait_hours")


def _check_service_direction(s: Service, net: Network) -> Iterable[Problem]:
    """A service may not travel a one-way link against its direction."""
    links = [net.links[k] for k in s.links if k in net.links]
    if len(links) != len(s.links):
        return
    for i, link in enumerate(links):
        if not link.bidirectional and not travels_forward(links, i):
            yield _p(
                s.origin,
                "services.csv",
                "links",
                f"the service travels link {link.id} from {link.to_id} to {link.from_id}, "
                f"but the link is one-way ({link.from_id} to {link.to_id})",
                "service-link-mismatch",
            )


def _check_weather(net: Network) -> Iterable[Problem]:
    """Weather rows name known services, at most one row per service and month, one
    region per service (a service's storm days are those of its region), and storm odds
    that spells of the given length allow."""
    seen: dict[tuple[str, int], Weather] = {}
    region_of: dict[str, str] = {}
    for w in net.weather.values():
        most = w.mean_spell_days / (w.mean_spell_days + 1.0)
        if most < w.storm_day_probability <= 1.0:  # above 1 is out of range already
            yield _p(
                w.origin,
                "weather.csv",
                "storm_day_probability",
                f"a storm-day probability of {w.storm_day_probability:g} with storm spells of "
                f"{w.mean_spell_days:g} days on average leaves calm spells shorter than a day; "
                f"it can be at most {most:.4g} (L / (L + 1)): raise mean_spell_days or lower "
                "the probability",
                "inconsistent-value",
            )
        for sid in w.services:
            if sid not in net.services:
                yield _p(
                    w.origin, "weather.csv", "services", f"unknown service {sid!r}", "unknown-id"
                )
                continue
            first = seen.setdefault((sid, w.month), w)
            if first.id != w.id:
                yield _p(
                    w.origin,
                    "weather.csv",
                    "services",
                    f"service {sid} already has storm days for month {w.month} in row "
                    f"{first.id} ({_where(first.origin)}); give one row per service and month",
                    "duplicate-weather",
                )
            region = region_of.setdefault(sid, w.region)
            if region != w.region:
                yield _p(
                    w.origin,
                    "weather.csv",
                    "region",
                    f"service {sid} is in region {region!r} in another row; a service "
                    "belongs to one region",
                    "inconsistent-value",
                )


def _cut_off(net: Network) -> dict[str, str]:
    """Places outside the largest connected part of the network -> why."""
    ids = list(net.places)
    if not ids:
        return {}
    index = {pid: i for i, pid in enumerate(ids)}
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    degree = [0] * len(ids)
    for link in net.links.values():
        if link.status == "closed" or link.from_id not in index or link.to_id not in index:
            continue
        a, b = index[link.from_id], index[link.to_id]
        degree[a] += 1
        degree[b] += 1
        parent[find(a)] = find(b)
    sizes: dict[int, int] = defaultdict(int)
    for i in range(len(ids)):
        sizes[find(i)] += 1
    main = max(sizes, key=lambda r: sizes[r])
    return {
        pid: "has no links" if degree[i] == 0 else "is cut off from the main network"
        for pid, i in index.items()
        if find(i) != main
    }


def _check_reachability(
    net: Network, base: Network | None, overlays: Sequence[str], layer: str = "overlay"
) -> Iterable[Problem]:
    """Unreachable places are errors, unless only the overlays cut them off: warnings."""
    cut_in_base = _cut_off(base) if base is not None else {}
    named = (
        f"{layer} {overlays[0]} is" if len(overlays) == 1 else f"{layer}s {', '.join(overlays)} are"
    )
    for pid, why in _cut_off(net).items():
        place = net.places[pid]
        if base is not None and pid in base.places and pid not in cut_in_base:
            yield _p(
                place.origin,
                "places.csv",
                "id",
                f"place {pid} {why} once {named} applied (closing or replacing the "
                "links that reached it); no route reaches it",
                "unreachable-place",
                severity="warning",
            )
        else:
            yield _p(
                place.origin,
                "places.csv",
                "id",
                f"place {pid} {why}; no route reaches it",
                "unreachable-place",
            )


def validate(
    network: Network,
    *,
    base: Network | None = None,
    overlays: Sequence[str] = (),
    layer: str = "overlay",
) -> list[Problem]:
    """Return every cross-record problem of ``network`` (empty if it is valid).

    Parameters
    ----------
    network
        The network to check (with its overlays laid over it, if any).
    base
        The same network without its overlays, if it has any. A place the overlays cut
        off, but ``base`` reaches, is then reported as a warning naming ``overlays``
        instead of an error.
    overlays
        The overlay folders, for messages.
    layer
        What ``overlays`` are, for messages: ``overlay`` (folders) or ``scenario``.

    Returns
    -------
    list of Problem
        Errors and warnings, each with file, line, field and a stable code.
    """
    problems: list[Problem] = []
    for check in (
        _check_provenance,
        _check_parameters,
        _check_places,
        _check_links,
        _check_transfers,
        _check_crossings,
        _check_closures,
        _check_services,
        check_emissions,
        check_geometry,
        check_advisories,
        check_link_sections,
        check_train_rules,
        _check_weather,
    ):
        problems.extend(check(network))
    problems.extend(_check_reachability(network, base, overlays, layer))
    return problems
