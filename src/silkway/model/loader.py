"""Read a network folder (and optional overlays) into a :class:`Network`.

One function, :func:`read_network`, reads every CSV against :mod:`.schema` and
collects every problem (file, line, field, reason) before giving up, so a user sees
them all at once. Cross-record checks live in :mod:`.validate`.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .._errors import NetworkError, Problem, errors_only
from . import _fields as f
from .records import (
    Advisory,
    Closure,
    Crossing,
    Dwell,
    EmissionFactor,
    GridIntensity,
    Link,
    LinkGeometry,
    Network,
    Origin,
    Parameter,
    Place,
    Service,
    Source,
    TrainRule,
    Transfer,
    Weather,
)
from .schema import REQUIRED_FILES, SCHEMAS, TABLE_FILES, Column, out_of_range

__all__ = [
    "REQUIRED_FILES",
    "SCHEMAS",
    "TABLE_FILES",
    "Column",
    "Reading",
    "Row",
    "default_network_path",
    "parse_records",
    "raise_if_problems",
    "read_layers",
    "read_network",
]


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
        handle = path.open(encoding="utf-8-sig", newline="")
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
        bad_chars = f.control_characters(text)
        if bad_chars:
            complete = complete and not col.required
            problems.append(
                Problem(
                    origin.file,
                    origin.line,
                    col.name,
                    f"contains control character{'s' if len(bad_chars) > 1 else ''} "
                    f"{', '.join(dict.fromkeys(bad_chars))} (tab, newline, NUL, ...); "
                    "remove it",
                    "control-character",
                )
            )
            continue
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
            continue
        reason = out_of_range(col, values[col.name]) if col.bounds is not None else None
        if reason is not None:
            # the value is kept (it is a finite number), so nothing else trips over it
            problems.append(Problem(origin.file, origin.line, col.name, reason, "out-of-range"))
    # a ``sources`` column is provenance (``field=source_id``) except in tables without
    # numbers, where it lists source ids (advisories.csv)
    has_provenance = any(c.name == "sources" and c.parse is f.parse_provenance for c in schema)
    if has_provenance:
        declared = values.pop("sources", None) or {}
        default = declared.get("*")
        numeric = [c.name for c in schema if c.numeric and c.name in values]
        cited = {c.name for c in schema if c.cited}
        for field_name in declared:
            if field_name in cited:  # a timetable or opening days: a source, not required
                if field_name in values:
                    provenance[field_name] = declared[field_name]
            elif field_name != "*" and field_name not in {c.name for c in schema if c.numeric}:
                problems.append(
                    Problem(
                        origin.file,
                        origin.line,
                        "sources",
                        f"provenance names {field_name!r}, which is neither a numeric field "
                        "nor one that may cite a source",
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
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
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
            tz=v.get("tz", ""),
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
            transit_countries=v.get("transit_countries", ()),
            section=v.get("section", ""),
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
            transload=v.get("transload", False),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("crossings.csv")
    }
    closures = {
        v["id"]: Closure(
            id=v["id"],
            applies_to=v["applies_to"],
            start=v["from"],
            end=v["to"],
            reason=v.get("reason", ""),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("closures.csv")
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
            capacity_teu=v.get("capacity_teu"),
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
            # NaN: not given (a factor per kWh, or a row the validator reports)
            wtw_g_per_tkm=v.get("wtw_g_per_tkm", math.nan),
            ttw_g_per_tkm=v.get("ttw_g_per_tkm", math.nan),
            description=v.get("description", ""),
            kwh_per_tkm=v.get("kwh_per_tkm"),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("emission_factors.csv")
    }
    grids = {
        v["id"]: GridIntensity(
            country=v["id"],
            wtw_g_per_kwh=v["wtw_g_per_kwh"],
            year=v.get("year"),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("grid_intensity.csv")
    }
    geometry_rows = each("link_geometry.csv")
    country_km = _country_km(
        [links.get(v["id"]) for _, v in geometry_rows], [v["line"] for _, v in geometry_rows]
    )
    geometries = {
        v["id"]: LinkGeometry(
            link=v["id"],
            line=v["line"],
            via=v.get("via", ()),
            country_km=km,
            sources=r.provenance,
            origin=r.origin,
        )
        for (r, v), km in zip(geometry_rows, country_km, strict=True)
    }
    advisories = {
        v["id"]: Advisory(
            id=v["id"],
            severity=v["severity"],
            selectors=v["selector"],
            text=v["text"],
            sources=v["sources"],
            category=v.get("category", "other"),
            valid_from=v.get("valid_from"),
            valid_to=v.get("valid_to"),
            origin=r.origin,
        )
        for r, v in each("advisories.csv")
    }
    train_rules = {
        v["id"]: TrainRule(
            id=v["id"],
            train=v["train"],
            section=v.get("section", ""),
            crossing=v.get("crossing", ""),
            speed_kmh=v.get("speed_kmh"),
            speed_factor=v.get("speed_factor"),
            cost_per_km_usd=v.get("cost_per_km_usd"),
            cost_factor=v.get("cost_factor"),
            median_hours=v.get("median_hours"),
            p90_hours=v.get("p90_hours"),
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("train_types.csv")
    }
    weather = {
        v["id"]: Weather(
            id=v["id"],
            region=v["region"],
            services=v["services"],
            month=v["month"],
            storm_day_probability=v["storm_day_probability"],
            mean_spell_days=v["mean_spell_days"],
            sources=r.provenance,
            origin=r.origin,
        )
        for r, v in each("weather.csv")
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
        geometries=geometries,
        grid_intensities=grids,
        advisories=advisories,
        train_rules=train_rules,
        weather=weather,
        closures=closures,
    )


TABLE_ATTRIBUTES: dict[str, str] = {
    "sources.csv": "sources",
    "parameters.csv": "parameters",
    "places.csv": "places",
    "links.csv": "links",
    "transfers.csv": "transfers",
    "crossings.csv": "crossings",
    "services.csv": "services",
}
"""Tables :func:`parse_records` builds records of -> the :class:`Network` attribute."""


def parse_records(
    file: str, rows: Sequence[tuple[Origin, dict[str, str]]]
) -> tuple[dict[str, Any], list[Problem]]:
    """Parse rows given as cell texts, exactly as rows of ``file`` are read, into records.

    For records that do not come from a CSV file (a scenario's added link, say): each
    row is checked against the table's schema like a CSV row (unknown columns, required
    values, parsers, bounds, provenance) and built by the same code.

    Parameters
    ----------
    file
        Table name, one of :data:`TABLE_ATTRIBUTES` (``links.csv`` ...).
    rows
        ``(origin, {column: text})`` per row; the origin goes into every problem.

    Returns
    -------
    records, problems
        The records built (by id, complete rows only) and every problem found.
    """
    schema = SCHEMAS[file]
    known = {c.name for c in schema}
    problems: list[Problem] = []
    parsed: list[Row] = []
    for origin, raw in rows:
        for name in raw:
            if name not in known:
                problems.append(
                    Problem(
                        origin.file,
                        origin.line,
                        name,
                        f"unknown field {name!r}; expected: {', '.join(sorted(known))}",
                        "unknown-column",
                    )
                )
        parsed.append(
            _parse_row({k: v for k, v in raw.items() if k in known}, origin, schema, problems)
        )
    built = _build({}, "", {file: parsed})
    return dict(getattr(built, TABLE_ATTRIBUTES[file])), problems


LAND_MODES: tuple[str, ...] = ("rail", "road", "pipeline")
"""Modes whose lines are checked against the countries they run through."""


def _country_km(
    links: list[Link | None], lines: list[tuple[tuple[float, float], ...]]
) -> list[dict[str, float]]:
    """Km of each land link's line per country (from the shipped country grid).

    Lines of unknown links and of sea, ferry and air links get an empty mapping.
    """
    land = [i for i, k in enumerate(links) if k is not None and k.mode in LAND_MODES]
    out: list[dict[str, float]] = [{} for _ in lines]
    if not land:
        return out
    from ..geo.country_grid import countries_along_many

    for i, km in zip(land, countries_along_many([lines[i] for i in land]), strict=True):
        out[i] = km
    return out


@dataclass(frozen=True, slots=True)
class Reading:
    """What :func:`read_layers` read: the network, its file-level problems, its layers.

    Attributes
    ----------
    network
        The network with every overlay laid over it, as far as it could be read.
    problems
        Every file-level problem found (cross-record checks are :mod:`.validate`'s).
    base
        The network without its overlays, or ``None`` if there are none. Validation
        uses it to tell what an overlay changed.
    overlays
        The overlay folders, in order, as given (a folder whose ``network.yaml`` says
        ``extends: default`` is the first overlay, on the bundled network).
    """

    network: Network
    problems: list[Problem]
    base: Network | None = None
    overlays: tuple[str, ...] = ()


def read_layers(path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()) -> Reading:
    """Read a network folder and its overlays, keeping the base network apart.

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
    Reading
        The merged network, the file-level problems, and the base network without
        overlays (for telling what the overlays changed).
    """
    problems: list[Problem] = []
    folders: list[tuple[Path, bool]] = []
    main = default_network_path() if path is None else Path(path)
    if not main.is_dir():
        problems.append(Problem(str(main), None, None, "is not a network folder", "missing-file"))
        return Reading(_build({}, str(main), {}), problems)
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
    overlay_names: list[str] = []
    if extends == "default" and path is not None:
        folders.append((default_network_path(), True))
        folders.append((main, False))
        overlay_names.append(str(path))
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
        overlay_names.append(str(extra))
    layers: list[dict[str, list[Row]]] = []
    base_meta: dict[str, Any] = {}
    for folder, is_base in folders:
        prefix = f"{folder.name}/" if len(folders) > 1 else ""
        layer_meta, tables = _layer(folder, problems, base=is_base, prefix=prefix)
        if is_base:
            base_meta = layer_meta
        layers.append(tables)
    merged = _merge(layers, problems)
    network = _build(base_meta, str(main), merged)
    if len(layers) == 1:
        return Reading(network, problems)
    base = _build(base_meta, str(main), _merge(layers[:1], []))
    return Reading(network, problems, base, tuple(overlay_names))


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
    reading = read_layers(path, overlays=overlays)
    return reading.network, reading.problems


def raise_if_problems(problems: Sequence[Problem], folder: str) -> None:
    """Raise :class:`NetworkError` carrying the errors among ``problems``, if any.

    Warnings (see :attr:`Problem.severity`) never raise.
    """
    errors = errors_only(problems)
    if errors:
        raise NetworkError(errors, folder=folder)
