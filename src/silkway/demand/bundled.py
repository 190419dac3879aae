"""The bundled trade-flow table and its expansion to place-level demand.

The table lives in ``silkway/data/demand/`` as five CSV files, each auditable by hand:

``flows.csv``
    Raw, published figures at country level with their units: China-Central Asia
    trade by country (bn USD), the China-Europe trains (TEU), the Trans-Caspian route
    (TEU and Mt). ``role`` is ``expand`` (turned into demand), ``check`` (a total that
    the expanded flows of its corridor, in its unit, must sum to) or ``reference`` (a
    figure kept for calibration, such as the road share of China-Central Asia trade).
``segments.csv``
    How each expanded flow is cut: a direction ``share`` of the flow and a ``split`` of
    that direction, going from an origin zone to a destination zone as one cargo class,
    valued (for flows in USD) at ``usd_per_t``. A segment without zones and class is a
    part left out on purpose, with the reason in its note (for example containers
    already counted by another flow). A flow's ``share * split`` sum to 1.
``zones.csv``
    A zone's places and their shares (summing to 1). A segment may also name one place
    id instead of a zone.
``conversions.csv``
    TEU per FEU, tonnes per FEU by class, USD per tonne by kind of cargo.
``sources.csv``
    The provenance of every number (kinds ``sourced``, ``derived``, ``estimate``), in
    the network's scheme; ids not found here are looked up in the bundled network's
    ``sources.csv``.

Every numeric cell names its source in the row's ``sources`` column (``share=id``).
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .._errors import Problem
from .errors import DemandError
from .units import Conversions

if TYPE_CHECKING:
    import pandas as pd

    from ..model.records import Network
    from ._frame import DemandRecord

FLOW_UNITS: Mapping[str, tuple[str, float]] = {
    "bn USD": ("USD", 1e9),
    "USD": ("USD", 1.0),
    "TEU": ("TEU", 1.0),
    "FEU": ("FEU", 1.0),
    "Mt": ("t", 1e6),
    "t": ("t", 1.0),
    "%": ("%", 1.0),
}
"""Units of ``flows.csv``: unit -> (base unit, factor to it)."""
FLOW_ROLES: tuple[str, ...] = ("expand", "check", "reference")
SHARE_TOLERANCE = 1e-6
"""How far a sum of shares may be from 1."""


@dataclass(frozen=True, slots=True)
class Flow:
    """A raw row of ``flows.csv``: a published figure with its unit."""

    id: str
    corridor: str
    origin: str
    destination: str
    year: int
    quantity: float
    unit: str
    role: str
    sources: Mapping[str, str]
    note: str
    line: int

    def base(self) -> tuple[str, float]:
        """The quantity in its base unit: ``("USD", 94.82e9)``, ``("TEU", ...)``."""
        unit, factor = FLOW_UNITS[self.unit]
        return unit, self.quantity * factor


@dataclass(frozen=True, slots=True)
class Segment:
    """A row of ``segments.csv``: one directed, classed part of a flow."""

    id: str
    flow: str
    origin: str
    destination: str
    cargo_class: str
    share: float
    split: float
    usd_per_t: str
    sources: Mapping[str, str]
    note: str
    line: int

    @property
    def excluded(self) -> bool:
        """Whether the part is left out on purpose (no zones, no class)."""
        return not self.cargo_class


@dataclass(frozen=True, slots=True)
class TradeTables:
    """The bundled trade table, as read and checked.

    Attributes
    ----------
    folder : Path
        Where it was read from.
    flows, segments : mapping of id to Flow, Segment
        In file order.
    zones : mapping of zone id to (place id, share, line) tuples
    values : mapping of conversion id to value
        Every row of ``conversions.csv``.
    conversions : Conversions
        TEU per FEU and tonnes per FEU by class, from ``values``.
    sources : mapping of source id to kind
        The table's own sources and the bundled network's.
    """

    folder: Path
    flows: Mapping[str, Flow]
    segments: Mapping[str, Segment]
    zones: Mapping[str, tuple[tuple[str, float, int], ...]]
    values: Mapping[str, float]
    conversions: Conversions
    sources: Mapping[str, str]


def data_folder() -> Path:
    """The folder of the bundled trade table."""
    return Path(__file__).resolve().parent.parent / "data" / "demand"


def _rows(folder: Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        for raw in reader:
            yield reader.line_num, {k: (v or "").strip() for k, v in raw.items() if k}


def _provenance(text: str) -> dict[str, str]:
    from ..model._fields import parse_provenance

    return parse_provenance(text)


def read_trade_tables() -> TradeTables:
    """Read and check the bundled trade table.

    Returns
    -------
    TradeTables
        The five files, parsed.

    Raises
    ------
    DemandError
        If a number has no provenance or an unknown source, a share sum is not 1, a
        unit, role, class, zone or conversion is unknown (a defect of the package data,
        listed row by row).
    """
    from ..model.loader import default_network_path
    from ..model.records import CARGO_CLASSES

    folder = data_folder()
    problems: list[Problem] = []
    sources = {r["id"]: r["kind"] for _, r in _rows(folder, "sources.csv")}
    for _, r in _rows(default_network_path(), "sources.csv"):
        sources.setdefault(r["id"], r["kind"])

    def need(file: str, line: int, prov: Mapping[str, str], *fields: str) -> None:
        for name in fields:
            sid = prov.get(name)
            if sid is None:
                problems.append(Problem(file, line, name, "number without a source", "no-source"))
            elif sid not in sources:
                msg = f"unknown source id {sid!r}"
                problems.append(Problem(file, line, name, msg, "unknown-source"))

    values: dict[str, float] = {}
    for line, r in _rows(folder, "conversions.csv"):
        values[r["id"]] = float(r["value"])
        need("conversions.csv", line, _provenance(r["sources"]), "value")
    flows: dict[str, Flow] = {}
    for line, r in _rows(folder, "flows.csv"):
        flow = Flow(
            id=r["id"],
            corridor=r["corridor"],
            origin=r["origin"],
            destination=r["destination"],
            year=int(r["year"]),
            quantity=float(r["quantity"]),
            unit=r["unit"],
            role=r["role"],
            sources=_provenance(r["sources"]),
            note=r["note"],
            line=line,
        )
        if flow.unit not in FLOW_UNITS or flow.role not in FLOW_ROLES:
            msg = f"unit {flow.unit!r} or role {flow.role!r} unknown"
            problems.append(Problem("flows.csv", line, "unit", msg, "unknown-value"))
        need("flows.csv", line, flow.sources, "quantity")
        flows[flow.id] = flow
    zones: dict[str, list[tuple[str, float, int]]] = {}
    for line, r in _rows(folder, "zones.csv"):
        zones.setdefault(r["zone"], []).append((r["place"], float(r["share"]), line))
        need("zones.csv", line, _provenance(r["sources"]), "share")
    for zone, members in zones.items():
        total = sum(share for _, share, _ in members)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            msg = f"zone {zone} shares sum to {total:.6g}, not 1"
            problems.append(Problem("zones.csv", members[0][2], "share", msg, "bad-sum"))
    segments: dict[str, Segment] = {}
    for line, r in _rows(folder, "segments.csv"):
        seg = Segment(
            id=r["id"],
            flow=r["flow"],
            origin=r["origin"],
            destination=r["destination"],
            cargo_class=r["cargo_class"],
            share=float(r["share"]),
            split=float(r["split"]),
            usd_per_t=r["usd_per_t"],
            sources=_provenance(r["sources"]),
            note=r["note"],
            line=line,
        )
        need("segments.csv", line, seg.sources, "share", "split")
        problems += _segment_problems(seg, flows, values, CARGO_CLASSES, line)
        segments[seg.id] = seg
    problems += _check_totals(flows)
    for flow in flows.values():
        parts = [s.share * s.split for s in segments.values() if s.flow == flow.id]
        if flow.role == "expand" and abs(sum(parts) - 1.0) > SHARE_TOLERANCE:
            msg = f"segments of flow {flow.id} take {sum(parts):.6g} of it, not 1"
            problems.append(Problem("flows.csv", flow.line, "quantity", msg, "bad-sum"))
        if flow.role != "expand" and parts:
            msg = f"flow {flow.id} has role {flow.role} but segments cut it"
            problems.append(Problem("flows.csv", flow.line, "role", msg, "bad-role"))
    prefix = "t_per_feu_"
    per_class = {k.removeprefix(prefix): v for k, v in values.items() if k.startswith(prefix)}
    conversions = Conversions(teu_per_feu=values["teu_per_feu"], t_per_feu=per_class)
    if problems:
        raise DemandError(problems, file=str(folder))
    frozen = {k: tuple(v) for k, v in zones.items()}
    return TradeTables(folder, flows, segments, frozen, values, conversions, sources)


def _check_totals(flows: Mapping[str, Flow]) -> list[Problem]:
    """A ``check`` flow must equal the sum of its corridor's expanded flows in its unit."""
    out: list[Problem] = []
    for check in flows.values():
        if check.role != "check":
            continue
        parts = [
            f.quantity
            for f in flows.values()
            if f.role == "expand" and f.corridor == check.corridor and f.unit == check.unit
        ]
        if abs(sum(parts) - check.quantity) > SHARE_TOLERANCE * check.quantity:
            msg = (
                f"flow {check.id} is {check.quantity:g} {check.unit}, but the {len(parts)} "
                f"expanded flows of corridor {check.corridor} sum to {sum(parts):g}"
            )
            out.append(Problem("flows.csv", check.line, "quantity", msg, "bad-sum"))
    return out


def _segment_problems(
    seg: Segment,
    flows: Mapping[str, Flow],
    values: Mapping[str, float],
    classes: tuple[str, ...],
    line: int,
) -> list[Problem]:
    out: list[Problem] = []

    def bad(field: str, message: str) -> None:
        out.append(Problem("segments.csv", line, field, message, "bad-value"))

    flow = flows.get(seg.flow)
    if flow is None:
        bad("flow", f"unknown flow {seg.flow!r}")
        return out
    if seg.excluded:
        if seg.origin or seg.destination:
            bad("cargo_class", "a segment left out has no zones; one expanded needs a class")
        return out
    if seg.cargo_class not in classes:
        bad("cargo_class", f"unknown cargo class {seg.cargo_class!r}")
    if not (seg.origin and seg.destination):
        bad("origin", "an expanded segment needs an origin and a destination")
    usd = flow.base()[0] == "USD"
    if usd and (not seg.usd_per_t.startswith("usd_per_t") or seg.usd_per_t not in values):
        bad("usd_per_t", f"flow in USD needs a usd_per_t conversion, not {seg.usd_per_t!r}")
    if not usd and seg.usd_per_t:
        bad("usd_per_t", "only flows in USD are converted by value")
    if not (0.0 <= seg.share <= 1.0 and 0.0 <= seg.split <= 1.0):
        bad("share", "share and split must lie between 0 and 1")
    return out


def _members(tables: TradeTables, name: str) -> tuple[tuple[str, float, str, int], ...]:
    """``(place, share, file, line)`` of a zone, or of a single place id named directly."""
    if name in tables.zones:
        return tuple((p, share, "zones.csv", line) for p, share, line in tables.zones[name])
    return ((name, 1.0, "segments.csv", 0),)


def _missing_places(tables: TradeTables, network: Network) -> list[Problem]:
    """One problem per place the table names that ``network`` lacks, where first named."""
    out: list[Problem] = []
    seen: set[str] = set()
    for seg in tables.segments.values():
        if seg.excluded:
            continue
        for field, name in (("origin", seg.origin), ("destination", seg.destination)):
            for place, _, file, line in _members(tables, name):
                if place in network.places or place in seen:
                    continue
                seen.add(place)
                where = f"zone {name}" if file == "zones.csv" else f"segment {seg.id}"
                msg = f"place {place} ({where}) is not in network {network.name}"
                row, column = (line, "place") if file == "zones.csv" else (seg.line, field)
                out.append(Problem(file, row, column, msg, "unknown-place"))
    return out


def _records(tables: TradeTables, network: Network) -> Iterator[tuple[Segment, DemandRecord]]:
    """Place-level contributions of every expanded segment.

    Raises
    ------
    DemandError
        If the network lacks a place the table names (each listed once), or a segment
        would send freight from a place to itself.
    """
    from ._frame import DemandRecord

    problems = _missing_places(tables, network)
    out: list[tuple[Segment, DemandRecord]] = []
    for seg in tables.segments.values():
        if seg.excluded:
            continue
        unit, quantity = tables.flows[seg.flow].base()
        amount = quantity * seg.share * seg.split
        if unit == "USD":
            value = amount
            feu, tonnes = tables.conversions.convert(
                amount / tables.values[seg.usd_per_t], "t", seg.cargo_class
            )
        else:
            value = math.nan
            feu, tonnes = tables.conversions.convert(amount, unit, seg.cargo_class)
        destinations = _members(tables, seg.destination)
        for o, os_, _, _ in _members(tables, seg.origin):
            for d, ds, _, _ in destinations:
                if o == d:
                    msg = f"segment {seg.id} sends freight from {o} to itself"
                    problems.append(Problem("segments.csv", seg.line, "destination", msg, "loop"))
                f = os_ * ds
                rec = DemandRecord(
                    o, d, seg.cargo_class, feu * f, tonnes * f, value * f, f"bundled:{seg.id}"
                )
                out.append((seg, rec))
    if problems:
        raise DemandError(problems, file=str(tables.folder))
    yield from out


def bundled_segments(network: Network) -> pd.DataFrame:
    """The bundled trade table expanded to places, one row per segment and place pair.

    This is the audit view of :func:`bundled_demand`: the same numbers before they are
    summed by origin, destination and class, each row with its segment and flow.

    Parameters
    ----------
    network
        The network whose places the zones name.

    Returns
    -------
    pandas.DataFrame
        Columns ``segment``, ``flow``, ``origin``, ``destination``, ``cargo_class``,
        ``feu_per_year``, ``tonnes_per_year``, ``value_usd``.

    Raises
    ------
    DemandError
        If the package data is inconsistent or names a place the network lacks.
    """
    import pandas as pd

    tables = read_trade_tables()
    rows = [
        (seg.id, seg.flow, r.origin, r.destination, r.cargo_class, r.feu, r.tonnes, r.value_usd)
        for seg, r in _records(tables, network)
    ]
    columns = ["segment", "flow", "origin", "destination", "cargo_class"]
    columns += ["feu_per_year", "tonnes_per_year", "value_usd"]
    return pd.DataFrame(rows, columns=columns)


def bundled_demand(network: Network) -> pd.DataFrame:
    """The bundled trade table as place-level demand on ``network``.

    Parameters
    ----------
    network
        The network whose places the table's zones name (the bundled network, or one
        that keeps its place ids).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~silkway.demand.DEMAND_COLUMNS`, one row per (origin,
        destination, cargo_class); ``source`` is ``bundled:<segment id>`` (several
        joined by ``;``), a row of ``data/demand/segments.csv``.

    Raises
    ------
    DemandError
        If the package data is inconsistent or names a place the network lacks.
    """
    from ._frame import demand_frame

    return demand_frame(r for _, r in _records(read_trade_tables(), network))


def load_demand(path: str | Path | None = None, *, network: Network) -> pd.DataFrame:
    """A user's demand table if ``path`` is given, else the bundled trade table.

    Parameters
    ----------
    path
        A CSV or Parquet file for :func:`~silkway.demand.read_demand`, or ``None``.
    network
        The network whose places the rows name.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`~silkway.demand.DEMAND_COLUMNS`.

    Raises
    ------
    DemandError
        If the file cannot be read or has a bad row (every problem listed).
    """
    if path is None:
        return bundled_demand(network)
    from .reader import read_demand

    return read_demand(path, network=network)
