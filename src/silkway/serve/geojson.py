"""The served network and basemap as GeoJSON, and the provenance of a parameter.

:func:`network_features` draws every link along the line it follows (its
``link_geometry.csv`` line, else a great-circle arc for air and a straight line for the
rest: :func:`silkway.reports.maps.link_line`, as the report maps draw it) and every
place as a point with the flags a map marks. :func:`provenance` looks a parameter
reference of a plan result (``link:KZ_ALT-KZ_ALA.km``) up in the network.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..model.records import Network
from .problems import ProblemError

SHOWN_STATUSES: tuple[str, ...] = ("operational", "planned")
"""Link statuses the network GeoJSON shows (closed links are left out)."""
COORDINATE_DECIMALS = 5
"""Decimals of a coordinate (about a metre)."""


def network_features(network: Network) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The link features and the place features of ``network``, in the network's order.

    Links have ``kind`` ``link``, ``id``, ``mode``, ``from``/``to`` (ids),
    ``from_name_en``..``to_name_zh``, ``km``, ``gauge_mm``, ``status`` (``operational``
    or ``planned``) and ``open_year`` (a planned link's opening year, else null).
    Places have ``kind`` ``place``, ``id``, ``name_en``/``name_ru``/``name_zh``,
    ``country``, ``place_kind`` and the flags ``border_crossing`` (a border-crossing
    place, or an end of a link with a border crossing), ``gauge_change`` (a gauge
    change is possible there), ``seaport`` and ``airport``.
    """
    from ..reports.maps import link_line

    places = network.places
    links = []
    for link in network.links.values():
        if link.status not in SHOWN_STATUSES:
            continue
        a, b = places[link.from_id], places[link.to_id]
        line = link_line(network, link).round(COORDINATE_DECIMALS).tolist()
        links.append(
            {
                "type": "Feature",
                "id": link.id,
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "link",
                    "id": link.id,
                    "mode": link.mode,
                    "from": a.id,
                    "to": b.id,
                    **{f"from_name_{lang}": getattr(a, f"name_{lang}") for lang in _LANGS},
                    **{f"to_name_{lang}": getattr(b, f"name_{lang}") for lang in _LANGS},
                    "km": link.km,
                    "gauge_mm": link.gauge_mm,
                    "status": link.status,
                    "open_year": link.open_year if link.status == "planned" else None,
                },
            }
        )
    crossing_ends = {
        end
        for c in network.crossings.values()
        if c.link in network.links
        for end in (network.links[c.link].from_id, network.links[c.link].to_id)
    }
    gauge = {t.place for t in network.transfers.values() if t.kind == "gauge_change"}
    points = [
        {
            "type": "Feature",
            "id": p.id,
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(p.lon, COORDINATE_DECIMALS),
                    round(p.lat, COORDINATE_DECIMALS),
                ],
            },
            "properties": {
                "kind": "place",
                "id": p.id,
                **{f"name_{lang}": getattr(p, f"name_{lang}") for lang in _LANGS},
                "country": p.country,
                "place_kind": p.kind,
                "border_crossing": p.kind == "border_crossing" or p.id in crossing_ends,
                "gauge_change": p.id in gauge,
                "seaport": p.kind == "seaport",
                "airport": p.kind == "airport",
            },
        }
        for p in places.values()
    ]
    return links, points


_LANGS = ("en", "ru", "zh")


def select(
    links: list[dict[str, Any]],
    points: list[dict[str, Any]],
    *,
    modes: frozenset[str],
    include_planned: bool,
) -> dict[str, Any]:
    """A FeatureCollection of the links of ``modes`` (planned ones if asked), then the
    places those links touch."""
    chosen = [
        f
        for f in links
        if f["properties"]["mode"] in modes
        and (include_planned or f["properties"]["status"] != "planned")
    ]
    touched = {f["properties"][end] for f in chosen for end in ("from", "to")}
    return {
        "type": "FeatureCollection",
        "features": chosen + [p for p in points if p["properties"]["id"] in touched],
    }


TABLES: tuple[str, ...] = (
    "link",
    "transfer",
    "crossing",
    "service",
    "emission_factor",
    "grid",
    "train_type",
    "parameter",
    "weather",
    "place",
)
"""Record kinds a parameter reference may name (``kind:id.field``)."""


def _table(network: Network, kind: str) -> Mapping[str, Any]:
    tables: dict[str, Mapping[str, Any]] = {
        "link": network.links,
        "transfer": network.transfers,
        "crossing": network.crossings,
        "service": network.services,
        "emission_factor": network.emission_factors,
        "grid": network.grid_intensities,
        "train_type": network.train_rules,
        "parameter": network.parameters,
        "weather": network.weather,
        "place": network.places,
    }
    return tables[kind]


def provenance(network: Network, parameter: str) -> dict[str, Any]:
    """The value, source id and source record of ``parameter`` (``kind:id.field``).

    Raises
    ------
    ProblemError
        404, with the closest kinds, ids or fields, if the reference names nothing.
    """
    kind, sep, rest = parameter.partition(":")
    element, dot, field = rest.rpartition(".")
    if not sep or not dot or not element or not field:
        raise ProblemError(
            404,
            "unknown parameter",
            f"{parameter!r} is not a parameter reference; write kind:id.field, "
            "e.g. link:KZ_ALT-KZ_ALA.km",
            kind="unknown-parameter",
            matches=[],
        )
    if kind not in TABLES:
        raise _unknown(parameter, f"no record kind {kind!r}", kind, TABLES, "{}:" + rest)
    table = _table(network, kind)
    record = table.get(element)
    if record is None:
        raise _unknown(
            parameter, f"no {kind} {element!r}", element, tuple(table), kind + ":{}." + field
        )
    sources: Mapping[str, str] = getattr(record, "sources", {})
    if field not in sources:
        raise _unknown(
            parameter,
            f"{kind} {element} has no sourced field {field!r}",
            field,
            tuple(sources),
            f"{kind}:{element}." + "{}",
        )
    source_id = sources[field]
    source = network.sources.get(source_id)
    return {
        "parameter": parameter,
        "value": _value(record, field),
        "source": source_id,
        "record": source_record(source_id, source) if source is not None else None,
    }


def _value(record: Any, field: str) -> Any:
    """The field's value on the record, or on its dwell or wait (``median_hours``)."""
    for holder in (record, getattr(record, "dwell", None), getattr(record, "wait", None)):
        if holder is not None and hasattr(holder, field):
            value = getattr(holder, field)
            if isinstance(value, str | int | float | bool) or value is None:
                return value
            if isinstance(value, tuple):
                return [v if isinstance(v, str | int | float | bool) else str(v) for v in value]
            return str(value)
    return None


def _unknown(
    parameter: str, why: str, got: str, known: tuple[str, ...], template: str
) -> ProblemError:
    close = difflib.get_close_matches(got, known, n=5, cutoff=0.5)
    return ProblemError(
        404,
        "unknown parameter",
        f"unknown parameter {parameter!r}: {why}",
        kind="unknown-parameter",
        matches=[template.format(c) for c in close],
    )


def source_record(source_id: str, source: Any) -> dict[str, Any]:
    """A source as the API shows it."""
    return {
        "id": source_id,
        "kind": source.kind,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "date": source.date,
        "derived_from": list(source.derived_from),
        "note": source.note,
    }
