"""The provenance of a parameter, and source records, as the API serves them.

:func:`provenance` looks a parameter reference of a plan result
(``link:KZ_ALT-KZ_ALA.km``) up in the network: its value, its source id and the source
record; an unknown kind, id or field is a 404 problem with the closest matches.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any

from ..model.records import Network
from .problems import ProblemError

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
