"""Plan results: options and legs as records, and their JSON, GeoJSON and DataFrame forms.

The JSON schema is versioned (``schema: "silkway.plan/1"``) and documented in
``docs/output-schema.md``; field names here are the public contract. Results hold
plain values only: they know nothing of the engine that made them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

SCHEMA = "silkway.plan/1"


WAIT_CODES: tuple[str, ...] = (
    "transfer.gauge_change",
    "transfer.mode_change",
    "transfer.transshipment",
    "service.queue",
    "service.timetable",
    "service.storm",
    "border.closed",
    "border.closure",
    "border.dwell",
    "road.break",
    "road.rest",
)
"""Why cargo stands still; :attr:`Wait.detail` renders each in English."""


@dataclass(frozen=True, slots=True)
class Wait:
    """One reason the cargo stood still before or after a leg."""

    code: str
    """One of ``WAIT_CODES``."""
    hours: float
    where: str
    """Place id."""
    subject: str = ""
    """Id of the transfer, service or crossing that caused the wait."""
    subject_name: str = ""
    """Name of that service or crossing, or of the place for a transfer."""
    opening: str = ""
    """For ``border.closed``: the post's opening days and hours, e.g. ``Mon-Fri 09:00-18:00
    Asia/Bishkek``."""
    note: str = ""
    """For ``service.storm``: the month's storm odds, e.g. ``January: storm-day
    probability 32 %, mean spell 3.7 days``."""
    closure: str = ""
    """For ``border.closure``: the dated closure waited out, e.g. ``Spring Festival
    (Chinese New Year) 2026, 2026-02-15..2026-02-23``; for ``road.break`` and
    ``road.rest``: how many and of what length, under which rules."""

    @property
    def reason(self) -> str:
        """Coarse category (schema 1): ``transfer``, ``service``, ``closed``, ``border`` or
        ``road`` (driving-time breaks and rests)."""
        if self.code in ("border.closed", "border.closure"):
            return "closed"
        return self.code.split(".", 1)[0]

    @property
    def detail(self) -> str:
        """The wait in plain English, e.g. ``border Khorgos–Altynkol``."""
        name = self.subject_name or self.where
        kind, _, what = self.code.partition(".")
        if kind == "transfer":
            return f"{what.replace('_', ' ')} at {name}"
        if self.code == "service.queue":
            note = "" if "when full" in name else " (sails when full)"
            return f"{name}: waiting for it to sail{note}"
        if self.code == "service.timetable":
            return f"{name}: next timetabled departure"
        if self.code == "service.storm":
            odds = f" ({self.note})" if self.note else ""
            return f"held in port by storms on the {name}{odds}"
        if self.code == "border.closed":
            return f"{name} closed (open {self.opening or 'part of the week'} only)"
        if self.code == "border.closure":
            return f"{name} closed: {self.closure}"
        if kind == "road":
            return f"driver's {'rest' if what == 'rest' else 'breaks'}: {self.closure}"
        return f"border {name}"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """The source of one parameter used on a leg."""

    parameter: str
    """``record_kind:record_id.field``, e.g. ``link:KZ_ALT-KZ_ALA.km``."""
    source: str
    kind: str

    def to_dict(self) -> dict[str, str]:
        """The reference in the JSON schema (what ``dataclasses.asdict`` gives, without
        its recursive deep copy: a plan cites hundreds of these)."""
        return {"parameter": self.parameter, "source": self.source, "kind": self.kind}


@dataclass(frozen=True, slots=True)
class Leg:
    """One link travelled, with the transfer before it and the border after it."""

    from_id: str
    to_id: str
    from_name: str
    to_name: str
    mode: str
    link_id: str
    service_id: str | None
    gauge_mm: int | None
    km: float
    hours: float
    """Moving hours."""
    wait_hours: float
    """Median-basis waiting hours (transfer, service, closed border, border dwell)."""
    waits: tuple[Wait, ...]
    cost_usd: float
    co2e_wtw_kg: float
    co2e_ttw_kg: float
    sources: tuple[SourceRef, ...]
    wait_hours_p50: float | None = None
    wait_hours_p90: float | None = None
    path: tuple[tuple[float, float], ...] = ()
    """(lon, lat) points of the leg's line, in travel order: the link's geometry, a
    great-circle arc for air links without one, else the straight line."""
    emission_factor: str = ""
    """Id of the emission factor row the leg's CO2e uses."""
    wtw_g_per_tkm: float = 0.0
    ttw_g_per_tkm: float = 0.0
    """The intensities applied (g CO2e per tonne-km); for electric traction on a grid mix,
    the factor's kWh per tonne-km times :attr:`grid_g_per_kwh`."""
    grid_g_per_kwh: float | None = None
    """Grid intensity used for electric traction (g CO2e/kWh, km-weighted over the
    countries run in); ``None`` for fixed factors."""
    grid_mix: tuple[tuple[str, float], ...] = ()
    """``(country, share of km)`` behind :attr:`grid_g_per_kwh`."""
    path_kind: str = ""
    """Where :attr:`path` comes from: ``geometry`` (the link's line in
    ``link_geometry.csv``), ``great_circle`` (air) or ``straight``."""
    cost_items: tuple[tuple[str, str, float], ...] = ()
    """``cost_usd`` by element, ``(kind, id, usd)``: the link, the transfer before it and
    the border after it, and for a part load the container freight station charges
    (``("handling", "part_load_cfs", usd)``) where it is packed or unpacked (Python API
    only; :func:`silkway.engine.attribution.leg_parts` splits them, and the hours, among
    the parameters that produced them)."""

    @property
    def wait_reason(self) -> str:
        """Waits as one readable phrase, e.g. ``border Khorgos 34.8 h; ...``."""
        return "; ".join(f"{w.detail} ({w.hours:.1f} h)" for w in self.waits if w.hours > 0)


@dataclass(frozen=True, slots=True)
class Border:
    """A border crossed: crossing point, direction, and the regimes it needs."""

    name: str
    from_id: str
    to_id: str
    from_country: str
    to_country: str
    regimes: tuple[str, ...]


_SENTENCE = re.compile(r"(.+?[.!?])(?:\s+(?=[A-Z0-9\"“(])|$)", re.DOTALL)
"""The first sentence: up to a full stop followed by a capital (or the end)."""


@dataclass(frozen=True, slots=True)
class RouteAdvisory:
    """A sourced, dated note that applies to an option (``advisories.csv``)."""

    id: str
    category: str
    """``sanctions``, ``restriction``, ``closure``, ``congestion``, ``security``, ``other``."""
    severity: str
    """``info``, ``warning`` or ``critical``."""
    text: str
    valid_from: str
    """``YYYY-MM-DD``, ``--MM-DD`` (every year) or empty (open)."""
    valid_to: str
    matched: tuple[str, ...]
    """The selectors the route matched, e.g. ``country:RU``, ``place:KZ_KUR``."""
    sources: tuple[str, ...]

    @property
    def headline(self) -> str:
        """The text's first sentence (the table output shows it; ``--explain`` the rest)."""
        m = _SENTENCE.match(self.text)
        return m.group(1) if m else self.text

    def to_dict(self) -> dict[str, Any]:
        """The advisory in the JSON schema."""
        return {
            "id": self.id,
            "category": self.category,
            "severity": self.severity,
            "text": self.text,
            "valid_from": self.valid_from,
            "valid_to": self.valid_to,
            "matched": list(self.matched),
            "sources": list(self.sources),
        }


@dataclass(frozen=True, slots=True)
class Option:
    """One route option with its totals."""

    rank: int
    route: tuple[str, ...]
    """Key places: origin, transfer and border places, destination."""
    route_names: tuple[str, ...]
    modes: tuple[str, ...]
    hours_p50: float
    hours_p90: float
    hours_median_basis: float
    """Door-to-door hours with every distribution at its median (the search's view)."""
    cost_usd: float
    co2e_wtw_kg: float
    co2e_ttw_kg: float
    distance_km: float
    borders: tuple[Border, ...]
    gauge_changes: tuple[str, ...]
    transshipments: int
    transfers: tuple[tuple[str, str], ...]
    """(place id, transfer kind) for every transfer."""
    legs: tuple[Leg, ...]
    arrival_p50: str = ""
    arrival_p90: str = ""
    detour_factor: float = 1.0
    """Route km over the great-circle km from origin to destination."""
    countries: tuple[str, ...] = ()
    """ISO codes of every country the route passes, in order, transit countries included."""
    planned_links: tuple[str, ...] = ()
    """Ids of planned (not yet operational) links the route uses."""
    advisories: tuple[RouteAdvisory, ...] = ()
    """Advisories valid on the departure date that the route matches, most severe first."""
    hours_p10: float | None = None
    """P10 of the door-to-door hours (Python API only; the monitor's validation uses it
    for the P10-P90 band); ``None`` where an Option is built by hand."""

    @property
    def regimes(self) -> tuple[str, ...]:
        """Transit regimes and documents the option's borders need, first use first."""
        seen: dict[str, None] = {}
        for b in self.borders:
            for r in b.regimes:
                seen.setdefault(r, None)
        return tuple(seen)

    def to_dict(self) -> dict[str, Any]:
        """The option in the JSON schema."""
        return {
            "rank": self.rank,
            "route": list(self.route),
            "route_names": list(self.route_names),
            "modes": list(self.modes),
            "total_hours": {
                "p50": _r(self.hours_p50),
                "p90": _r(self.hours_p90),
                "median_basis": _r(self.hours_median_basis),
            },
            "total_days": {"p50": _r(self.hours_p50 / 24), "p90": _r(self.hours_p90 / 24)},
            "arrival": {"p50": self.arrival_p50, "p90": self.arrival_p90},
            "cost_usd": _r(self.cost_usd),
            "co2e_kg": {"wtw": _r(self.co2e_wtw_kg), "ttw": _r(self.co2e_ttw_kg)},
            "distance_km": _r(self.distance_km),
            "detour_factor": _r(self.detour_factor),
            "countries": list(self.countries),
            "planned_links": list(self.planned_links),
            "advisories": [a.to_dict() for a in self.advisories],
            "borders": [
                {
                    "name": b.name,
                    "from": b.from_id,
                    "to": b.to_id,
                    "from_country": b.from_country,
                    "to_country": b.to_country,
                    "regimes": list(b.regimes),
                }
                for b in self.borders
            ],
            "gauge_changes": list(self.gauge_changes),
            "transshipments": self.transshipments,
            "transfers": [{"place": p, "kind": k} for p, k in self.transfers],
            "regimes": list(self.regimes),
            "legs": [_leg_dict(leg) for leg in self.legs],
        }


def _r(x: float) -> float:
    return round(float(x), 2)


def _leg_dict(leg: Leg) -> dict[str, Any]:
    return {
        "from": leg.from_id,
        "to": leg.to_id,
        "from_name": leg.from_name,
        "to_name": leg.to_name,
        "mode": leg.mode,
        "link": leg.link_id,
        "service": leg.service_id,
        "gauge_mm": leg.gauge_mm,
        "km": _r(leg.km),
        "hours": _r(leg.hours),
        "wait_hours": _r(leg.wait_hours),
        "wait_hours_p50": None if leg.wait_hours_p50 is None else _r(leg.wait_hours_p50),
        "wait_hours_p90": None if leg.wait_hours_p90 is None else _r(leg.wait_hours_p90),
        "wait_reason": leg.wait_reason,
        "waits": [
            {
                "code": w.code,
                "reason": w.reason,
                "hours": _r(w.hours),
                "where": w.where,
                "subject": w.subject,
                "opening": w.opening,
                "note": w.note,
                "closure": w.closure,
                "detail": w.detail,
            }
            for w in leg.waits
        ],
        "cost_usd": _r(leg.cost_usd),
        "co2e_kg": {"wtw": _r(leg.co2e_wtw_kg), "ttw": _r(leg.co2e_ttw_kg)},
        "emissions": {
            "factor": leg.emission_factor,
            "wtw_g_per_tkm": _r(leg.wtw_g_per_tkm),
            "ttw_g_per_tkm": _r(leg.ttw_g_per_tkm),
            "grid_g_per_kwh": None if leg.grid_g_per_kwh is None else _r(leg.grid_g_per_kwh),
            "grid_mix": {c: round(share, 4) for c, share in leg.grid_mix},
        },
        "sources": [s.to_dict() for s in leg.sources],
    }


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What :func:`silkway.plan` returns: the query echo, options and cited sources."""

    query: dict[str, Any]
    network: dict[str, Any]
    """``name``, ``version`` and ``scenarios`` (the scenarios applied, in order)."""
    options: tuple[Option, ...]
    pareto_size: int
    sources: dict[str, dict[str, str]] = field(default_factory=dict)
    """Every source cited by a leg: id -> title, publisher, url, date, kind."""
    complete: bool = True
    """False if the search stopped at its label budget or time limit: the options shown
    are valid routes, but the Pareto set may be missing some."""
    stats: dict[str, Any] = field(default_factory=dict)
    """Search statistics: ``labels``, ``seconds``, ``budget_hit``, ``deadline_hit``."""
    warnings: tuple[str, ...] = ()
    """Plain-language notes about the result (e.g. an incomplete search)."""

    def __len__(self) -> int:
        return len(self.options)

    def __iter__(self) -> Iterator[Option]:
        return iter(self.options)

    def to_dict(self) -> dict[str, Any]:
        """The result in the documented JSON schema."""
        return {
            "schema": SCHEMA,
            "query": self.query,
            "network": self.network,
            "pareto_size": self.pareto_size,
            "complete": self.complete,
            "stats": self.stats,
            "warnings": list(self.warnings),
            "options": [o.to_dict() for o in self.options],
            "sources": self.sources,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The result as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_geojson(self) -> dict[str, Any]:
        """A GeoJSON FeatureCollection: one LineString feature per leg, per option."""
        features: list[dict[str, Any]] = []
        for o in self.options:
            for seq, leg in enumerate(o.legs, start=1):
                features.append(
                    {
                        "type": "Feature",
                        "geometry": {
                            "type": "LineString",
                            "coordinates": [[_r6(x), _r6(y)] for x, y in leg.path],
                        },
                        "properties": {
                            "option": o.rank,
                            "seq": seq,
                            "from": leg.from_id,
                            "to": leg.to_id,
                            "mode": leg.mode,
                            "link": leg.link_id,
                            "service": leg.service_id,
                            "km": _r(leg.km),
                            "hours": _r(leg.hours),
                            "wait_hours": _r(leg.wait_hours),
                            "cost_usd": _r(leg.cost_usd),
                            "co2e_kg_wtw": _r(leg.co2e_wtw_kg),
                            "option_hours_p50": _r(o.hours_p50),
                            "option_cost_usd": _r(o.cost_usd),
                            "from_name": leg.from_name,
                            "to_name": leg.to_name,
                            "gauge_mm": leg.gauge_mm,
                            "wait_reason": leg.wait_reason,
                            "co2e_kg_ttw": _r(leg.co2e_ttw_kg),
                            "emission_factor": leg.emission_factor,
                            "grid_g_per_kwh": (
                                None if leg.grid_g_per_kwh is None else _r(leg.grid_g_per_kwh)
                            ),
                            "geometry": leg.path_kind,
                            "option_hours_p90": _r(o.hours_p90),
                            "option_co2e_kg_wtw": _r(o.co2e_wtw_kg),
                            "option_modes": "+".join(o.modes),
                        },
                    }
                )
        return {
            "type": "FeatureCollection",
            "schema": SCHEMA,
            "query": self.query,
            "features": features,
        }

    def to_dataframe(self) -> pd.DataFrame:
        """One row per option, with stable column names (see ``OPTION_COLUMNS``)."""
        import pandas as pd

        rows = [
            {
                "rank": o.rank,
                "route": " - ".join(o.route_names),
                "modes": "+".join(o.modes),
                "total_hours_p50": o.hours_p50,
                "total_hours_p90": o.hours_p90,
                "total_days_p50": o.hours_p50 / 24,
                "total_days_p90": o.hours_p90 / 24,
                "cost_usd": o.cost_usd,
                "co2e_wtw_kg": o.co2e_wtw_kg,
                "co2e_ttw_kg": o.co2e_ttw_kg,
                "distance_km": o.distance_km,
                "borders": len(o.borders),
                "gauge_changes": len(o.gauge_changes),
                "transshipments": o.transshipments,
                "regimes": ";".join(o.regimes),
            }
            for o in self.options
        ]
        return pd.DataFrame(rows, columns=list(OPTION_COLUMNS))

    def legs_dataframe(self) -> pd.DataFrame:
        """One row per leg of every option, with stable column names (``LEG_COLUMNS``)."""
        import pandas as pd

        rows = [
            {
                "rank": o.rank,
                "seq": i,
                "from_id": leg.from_id,
                "to_id": leg.to_id,
                "mode": leg.mode,
                "link_id": leg.link_id,
                "service_id": leg.service_id,
                "km": leg.km,
                "hours": leg.hours,
                "wait_hours": leg.wait_hours,
                "wait_reason": leg.wait_reason,
                "cost_usd": leg.cost_usd,
                "co2e_wtw_kg": leg.co2e_wtw_kg,
                "co2e_ttw_kg": leg.co2e_ttw_kg,
            }
            for o in self.options
            for i, leg in enumerate(o.legs, start=1)
        ]
        return pd.DataFrame(rows, columns=list(LEG_COLUMNS))


def _r6(x: float) -> float:
    return round(float(x), 6)


OPTION_COLUMNS: tuple[str, ...] = (
    "rank",
    "route",
    "modes",
    "total_hours_p50",
    "total_hours_p90",
    "total_days_p50",
    "total_days_p90",
    "cost_usd",
    "co2e_wtw_kg",
    "co2e_ttw_kg",
    "distance_km",
    "borders",
    "gauge_changes",
    "transshipments",
    "regimes",
)
LEG_COLUMNS: tuple[str, ...] = (
    "rank",
    "seq",
    "from_id",
    "to_id",
    "mode",
    "link_id",
    "service_id",
    "km",
    "hours",
    "wait_hours",
    "wait_reason",
    "cost_usd",
    "co2e_wtw_kg",
    "co2e_ttw_kg",
)
