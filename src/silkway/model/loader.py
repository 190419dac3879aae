"""Read a network folder (and optional overlays) into a :class:`Network`.

One function, :func:`read_network`, reads every CSV against the schema below and
collects every problem (file, line, field, reason) before giving up, so a user sees
them all at once. Cross-record checks live in :mod:`.validate`.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from .._errors import NetworkError, Problem
from . import _fields as f
from .records import (
    CAPACITY_UNITS,
    CARGO_CLASSES,
    COST_UNITS,
    GAUGES_MM,
    LINK_STATUSES,
    MODES,
    PLACE_KINDS,
    SERVICE_KINDS,
    SOURCE_KINDS,
    TRANSFER_KINDS,
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Origin,
    Parameter,
    Place,
    Service,
    Source,
    Transfer,
)

Parser = Callable[[str], Any]


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a network table."""

    name: str
    parse: Parser
    required: bool = False
    numeric: bool = False


def _col(
    name: str, parse: Parser = str, *, required: bool = False, numeric: bool = False
) -> Column:
    return Column(name, parse, required, numeric)


_mode = partial(f.parse_enum, allowed=MODES, what="mode", code="unknown-mode")
_cargo = partial(f.parse_enum_list, allowed=CARGO_CLASSES, what="cargo class", code="unknown-cargo")
_cost_unit = partial(f.parse_enum, allowed=COST_UNITS, what="unit", code="unknown-unit")
_gauge = partial(f.parse_gauge, allowed=GAUGES_MM)

SCHEMAS: dict[str, tuple[Column, ...]] = {
    "sources.csv": (
        _col("id", f.parse_id, required=True),
        _col(
            "kind",
            partial(f.parse_enum, allowed=SOURCE_KINDS, what="source kind"),
            required=True,
        ),
        _col("title", required=True),
        _col("publisher"),
        _col("url"),
        _col("date"),
        _col("derived_from", f.parse_list),
        _col("note"),
    ),
    "parameters.csv": (
        _col("id", f.parse_id, required=True),
        _col("value", f.parse_float, required=True, numeric=True),
        _col("unit", required=True),
        _col("sources", f.parse_provenance),
    ),
    "places.csv": (
        _col("id", f.parse_id, required=True),
        _col("name_en", required=True),
        _col("name_ru"),
        _col("name_zh"),
        _col("name_local"),
        _col("aliases", f.parse_list),
        _col("country", required=True),
        _col("lat", f.parse_float, required=True, numeric=True),
        _col("lon", f.parse_float, required=True, numeric=True),
        _col(
            "kind",
            partial(f.parse_enum, allowed=PLACE_KINDS, what="place kind"),
            required=True,
        ),
        _col("locode"),
        _col("sources", f.parse_provenance),
    ),
    "links.csv": (
        _col("id", f.parse_id, required=True),
        _col("from", f.parse_id, required=True),
        _col("to", f.parse_id, required=True),
        _col("mode", _mode, required=True),
        _col("gauge", _gauge),
        _col("electrified", f.parse_bool),
        _col("energy"),
        _col("km", f.parse_positive, required=True, numeric=True),
        _col("speed_kmh", f.parse_positive, numeric=True),
        _col("duration_hours", f.parse_positive, numeric=True),
        _col("cost_fixed_usd", f.parse_nonneg, numeric=True),
        _col("cost_per_km_usd", f.parse_nonneg, numeric=True),
        _col("cost_unit", _cost_unit),
        _col("capacity", f.parse_positive, numeric=True),
        _col(
            "capacity_unit",
            partial(f.parse_enum, allowed=CAPACITY_UNITS, what="unit", code="unknown-unit"),
        ),
        _col("cargo", _cargo, required=True),
        _col("status", partial(f.parse_enum, allowed=LINK_STATUSES, what="status")),
        _col("open_year", f.parse_int, numeric=True),
        _col("bidirectional", f.parse_bool),
        _col("emission_factor", f.parse_id),
        _col("sources", f.parse_provenance),
    ),
    "transfers.csv": (
        _col("id", f.parse_id, required=True),
        _col("place", f.parse_id, required=True),
        _col(
            "kind",
            partial(f.parse_enum, allowed=TRANSFER_KINDS, what="transfer kind"),
            required=True,
        ),
        _col("from_mode", _mode, required=True),
        _col("from_gauge", _gauge),
        _col("to_mode", _mode, required=True),
        _col("to_gauge", _gauge),
        _col("median_hours", f.parse_nonneg, required=True, numeric=True),
        _col("p90_hours", f.parse_nonneg, numeric=True),
        _col("cost_usd", f.parse_nonneg, numeric=True),
        _col("cost_unit", _cost_unit),
        _col("co2e_kg_per_teu", f.parse_nonneg, numeric=True),
        _col("sources", f.parse_provenance),
    ),
    "crossings.csv": (
        _col("id", f.parse_id, required=True),
        _col("link", f.parse_id, required=True),
        _col("from", f.parse_id, required=True),
        _col("name"),
        _col("median_hours", f.parse_nonneg, required=True, numeric=True),
        _col("p90_hours", f.parse_nonneg, numeric=True),
        _col("cost_usd", f.parse_nonneg, numeric=True),
        _col("cost_unit", _cost_unit),
        _col("open_days", f.parse_days),
        _col("open_hours", f.parse_hours_range),
        _col("regimes", f.parse_list),
        _col("sources", f.parse_provenance),
    ),
    "services.csv": (
        _col("id", f.parse_id, required=True),
        _col("name"),
        _col(
            "kind",
            partial(f.parse_enum, allowed=SERVICE_KINDS, what="service kind"),
            required=True,
        ),
        _col("mode", _mode, required=True),
        _col("links", f.parse_list, required=True),
        _col("departures", f.parse_departures),
        _col("median_wait_hours", f.parse_nonneg, numeric=True),
        _col("p90_wait_hours", f.parse_nonneg, numeric=True),
        _col("cargo", _cargo, required=True),
        _col("bidirectional", f.parse_bool),
        _col("sources", f.parse_provenance),
    ),
    "emission_factors.csv": (
        _col("id", f.parse_id, required=True),
        _col("mode", _mode, required=True),
        _col("energy", required=True),
        _col("description"),
        _col("wtw_g_per_tkm", f.parse_nonneg, required=True, numeric=True),
        _col("ttw_g_per_tkm", f.parse_nonneg, required=True, numeric=True),
        _col("sources", f.parse_provenance),
    ),
}

TABLE_FILES: tuple[str, ...] = tuple(SCHEMAS)
REQUIRED_FILES: tuple[str, ...] = ("sources.csv", "places.csv", "links.csv")


@dataclass(slots=True)
class Row:
    """One parsed CSV row: its origin, typed values and provenance."""

    origin: Origin
    values: dict[str, Any]
    provenance: dict[str, str]
    complete: bool = True
    """False if a required value is missing or unreadable: the row is reported, not built."""


def default_network_path() -> Path:
    """The folder of the bundled default network."""
    return Path(__file__).resolve().parent.parent / "data" / "default"


def _read_csv(
    path: Path, schema: Sequence[Column], problems: list[Problem], label: str
) -> list[Row]:
    name = label
    by_name = {c.name: c for c in schema}
    rows: list[Row] = []
    try:
        handle = path.open(encoding="utf-8", newline="")
    except OSError as exc:
        problems.append(Problem(name, None, None, f"cannot be read: {exc.strerror}", "io"))
        return rows
    with handle:
        try:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            for name_in_header in header:
                if name_in_header not in by_name:
                    problems.append(
                        Problem(
                            name,
                            1,
                            name_in_header,
                            f"unknown column {name_in_header!r}; expected: {', '.join(by_name)}",
                            "unknown-column",
                        )
                    )
            for col in schema:
                if col.required and col.name not in header:
                    problems.append(
                        Problem(name, 1, col.name, "required column is missing", "missing-column")
                    )
            for raw in reader:
                origin = Origin(name, reader.line_num)
                if None in raw:
                    problems.append(
                        Problem(
                            name, origin.line, None, "row has more cells than the header", "bad-row"
                        )
                    )
                    continue
                rows.append(_parse_row(raw, origin, schema, problems))
        except UnicodeDecodeError:
            line = _first_bad_utf8_line(path)
            problems.append(Problem(name, line, None, "is not UTF-8 text", "encoding"))
        except csv.Error as exc:
            problems.append(Problem(name, None, None, f"is not valid CSV: {exc}", "bad-csv"))
    return rows


def _first_bad_utf8_line(path: Path) -> int | None:
    """1-based line of the first byte of ``path`` that is not valid UTF-8."""
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.object.count(b"\n", 0, exc.start) + 1
    except OSError:
        return None
    return None


def _parse_row(
    raw: dict[str, str | None], origin: Origin, schema: Sequence[Column], problems: list[Problem]
) -> Row:
    values: dict[str, Any] = {}
    provenance: dict[str, str] = {}
    complete = True
    for col in schema:
        text = (raw.get(col.name) or "").strip()
        if not text:
            if col.required:
                complete = False
                problems.append(
                    Problem(
                        origin.file,
                        origin.line,
                        col.name,
                        "required value is empty",
                        "missing-value",
                    )
                )
            continue
        try:
            values[col.name] = col.parse(text)
        except f.CellError as exc:
            complete = complete and not col.required
            problems.append(Problem(origin.file, origin.line, col.name, str(exc), exc.code))
    declared = values.pop("sources", None)
    if declared is not None or "sources" in {c.name for c in schema}:
        declared = declared or {}
        default = declared.get("*")
        numeric = [c.name for c in schema if c.numeric and c.name in values]
        for field_name in declared:
            if field_name != "*" and field_name not in {c.name for c in schema if c.numeric}:
                problems.append(
                    Problem(
                        origin.file,
                        origin.line,
                        "sources",
                        f"provenance names {field_name!r}, which is not a numeric field",
                        "bad-provenance",
                    )
                )
        for field_name in numeric:
            src = declared.get(field_name, default)
            if src is None:
                problems.append(
                    Problem(
                        origin.file,
                        origin.line,
                        "sources",
                        f"no source given for {field_name!r}; add '{field_name}=SOURCE_ID'",
                        "missing-provenance",
                    )
                )
            else:
                provenance[field_name] = src
    return Row(origin, values, provenance, complete)


def _read_meta(folder: Path, problems: list[Problem]) -> dict[str, Any]:
    path = folder / "network.yaml"
    if not path.exists():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = None
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            line = mark.line + 1
        problems.append(
            Problem("network.yaml", line, None, f"is not valid YAML: {exc}", "bad-yaml")
        )
        return {}
    if data is None:
        return {}
    if not isinstance(data, dict):
        problems.append(
            Problem("network.yaml", None, None, "must be a mapping of keys", "bad-yaml")
        )
        return {}
    return data


def _layer(
    folder: Path, problems: list[Problem], *, base: bool, prefix: str
) -> tuple[dict[str, Any], dict[str, list[Row]]]:
    meta_problems: list[Problem] = []
    meta = _read_meta(folder, meta_problems)
    problems += [
        Problem(prefix + p.file, p.line, p.field, p.message, p.code) for p in meta_problems
    ]
    tables: dict[str, list[Row]] = {}
    for name, schema in SCHEMAS.items():
        path = folder / name
        if path.exists():
            tables[name] = _read_csv(path, schema, problems, prefix + name)
        elif base and name in REQUIRED_FILES:
            problems.append(
                Problem(prefix + name, None, None, "required file is missing", "missing-file")
            )
    return meta, tables


def _merge(layers: Iterable[dict[str, list[Row]]], problems: list[Problem]) -> dict[str, list[Row]]:
    merged: dict[str, dict[str, Row]] = {name: {} for name in SCHEMAS}
    for tables in layers:
        for name, rows in tables.items():
            seen: set[str] = set()
            for row in rows:
                key = row.values.get("id")
                if key is None:
                    continue
                if key in seen:
                    problems.append(
                        Problem(
                            row.origin.file,
                            row.origin.line,
                            "id",
                            f"duplicate id {key!r}",
                            "duplicate-id",
                        )
                    )
                    continue
                seen.add(key)
                merged[name][key] = row
    return {name: list(rows.values()) for name, rows in merged.items()}


def _dwell(v: dict[str, Any], median: str, p90: str) -> Dwell:
    m = float(v.get(median, 0.0))
    return Dwell(m, float(v.get(p90, m)))


def _build(meta: dict[str, Any], folder: str, tables: dict[str, list[Row]]) -> Network:
    def each(name: str) -> list[tuple[Row, dict[str, Any]]]:
        return [(r, r.values) for r in tables.get(name, []) if r.complete]

    sources = {
        v["id"]: Source(
            id=v["id"],
            kind=v["kind"],
            title=v["title"],
            publisher=v.get("publisher", ""),
            url=v.get("url", ""),
            date=v.get("date", ""),
            derived_from=v.get("derived_from", ()),
            note=v.get("note", ""),
            origin=r.origin,
        )
        for r, v in each("sources.csv")
    }
    parameters = {
        v["id"]: Parameter(v["id"], v["value"], v["unit"], r.provenance, r.origin)
        for r, v in each("parameters.csv")
    }
    places = {
        v["id"]: Place(
            id=v["id"],
            name_en=v["name_en"],
            country=v["country"].upper(),
            lat=v["lat"],
            lon=v["lon"],
            kind=v["kind"],
            name_ru=v.get("name_ru", ""),
            name_zh=v.get("name_zh", ""),
            name_local=v.get("name_local", ""),
            aliases=v.get("aliases", ()),
            locode=v.get("locode", ""),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("places.csv")
    }
    links = {
        v["id"]: Link(
            id=v["id"],
            from_id=v["from"],
            to_id=v["to"],
            mode=v["mode"],
            km=v["km"],
            cargo=v["cargo"],
            gauge_mm=v.get("gauge"),
            electrified=v.get("electrified"),
            energy=v.get("energy", ""),
            speed_kmh=v.get("speed_kmh"),
            duration_hours=v.get("duration_hours"),
            cost_fixed_usd=v.get("cost_fixed_usd", 0.0),
            cost_per_km_usd=v.get("cost_per_km_usd", 0.0),
            cost_unit=v.get("cost_unit", "FEU"),
            capacity=v.get("capacity"),
            capacity_unit=v.get("capacity_unit", ""),
            status=v.get("status", "operational"),
            open_year=v.get("open_year"),
            bidirectional=v.get("bidirectional", True),
            emission_factor=v.get("emission_factor", ""),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("links.csv")
    }
    transfers = {
        v["id"]: Transfer(
            id=v["id"],
            place=v["place"],
            kind=v["kind"],
            from_mode=v["from_mode"],
            from_gauge_mm=v.get("from_gauge"),
            to_mode=v["to_mode"],
            to_gauge_mm=v.get("to_gauge"),
            dwell=_dwell(v, "median_hours", "p90_hours"),
            cost_usd=v.get("cost_usd", 0.0),
            cost_unit=v.get("cost_unit", "FEU"),
            co2e_kg_per_teu=v.get("co2e_kg_per_teu", 0.0),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("transfers.csv")
    }
    crossings = {
        v["id"]: Crossing(
            id=v["id"],
            link=v["link"],
            from_id=v["from"],
            name=v.get("name", ""),
            dwell=_dwell(v, "median_hours", "p90_hours"),
            cost_usd=v.get("cost_usd", 0.0),
            cost_unit=v.get("cost_unit", "shipment"),
            open_days=v.get("open_days", (0, 1, 2, 3, 4, 5, 6)),
            open_hours=v.get("open_hours"),
            regimes=v.get("regimes", ()),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("crossings.csv")
    }
    services = {
        v["id"]: Service(
            id=v["id"],
            name=v.get("name", v["id"]),
            kind=v["kind"],
            mode=v["mode"],
            links=v["links"],
            cargo=v["cargo"],
            departures=v.get("departures", ()),
            wait=(
                _dwell(v, "median_wait_hours", "p90_wait_hours")
                if "median_wait_hours" in v
                else None
            ),
            bidirectional=v.get("bidirectional", True),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("services.csv")
    }
    factors = {
        v["id"]: EmissionFactor(
            id=v["id"],
            mode=v["mode"],
            energy=v["energy"],
            wtw_g_per_tkm=v["wtw_g_per_tkm"],
            ttw_g_per_tkm=v["ttw_g_per_tkm"],
            description=v.get("description", ""),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("emission_factors.csv")
    }
    return Network(
        name=str(meta.get("name", Path(folder).name)),
        version=str(meta.get("version", "")),
        description=str(meta.get("description", "")),
        folder=folder,
        sources=sources,
        parameters=parameters,
        places=places,
        links=links,
        transfers=transfers,
        crossings=crossings,
        services=services,
        emission_factors=factors,
    )


def read_network(
    path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()
) -> tuple[Network, list[Problem]]:
    """Read a network folder and its overlays without judging cross-record validity.

    Parameters
    ----------
    path
        Network folder; ``None`` for the bundled default network. A folder whose
        ``network.yaml`` says ``extends: default`` is read as an overlay on the default.
    overlays
        Further folders laid over the network in order; their rows replace rows with
        the same id and add new ones.

    Returns
    -------
    network, problems
        The network as far as it could be read, and every file-level problem found.
    """
    problems: list[Problem] = []
    folders: list[tuple[Path, bool]] = []
    main = default_network_path() if path is None else Path(path)
    if not main.is_dir():
        problems.append(Problem(str(main), None, None, "is not a network folder", "missing-file"))
        empty = _build({}, str(main), {})
        return empty, problems
    meta = _read_meta(main, [])
    extends = str(meta.get("extends", "") or "").strip()
    if extends not in ("", "default"):
        problems.append(
            Problem(
                "network.yaml",
                None,
                "extends",
                f"unknown base network {extends!r}; the only one is 'default'",
                "unknown-value",
            )
        )
    if extends == "default" and path is not None:
        folders.append((default_network_path(), True))
        folders.append((main, False))
    else:
        folders.append((main, True))
    for extra in overlays:
        extra_path = Path(extra)
        if not extra_path.is_dir():
            problems.append(
                Problem(str(extra_path), None, None, "is not an overlay folder", "missing-file")
            )
            continue
        folders.append((extra_path, False))
    layers: list[dict[str, list[Row]]] = []
    base_meta: dict[str, Any] = {}
    for folder, is_base in folders:
        prefix = f"{folder.name}/" if len(folders) > 1 else ""
        layer_meta, tables = _layer(folder, problems, base=is_base, prefix=prefix)
        if is_base:
            base_meta = layer_meta
        layers.append(tables)
    merged = _merge(layers, problems)
    return _build(base_meta, str(main), merged), problems


def raise_if_problems(problems: Sequence[Problem], folder: str) -> None:
    """Raise :class:`NetworkError` carrying ``problems`` if there are any."""
    if problems:
        raise NetworkError(problems, folder=folder)
