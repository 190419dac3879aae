"""The numeric fields a scenario may scale or set, named as the CSV columns name them.

A field's name is its column in the network's CSV file (``median_hours`` of
``crossings.csv``), which is also the name its provenance uses (the ``sources``
column), so a changed number's provenance is found under the same name. Each field
maps to an attribute of the record, or to one of a :class:`~silkway.model.records.Dwell`
attribute (a crossing's ``median_hours`` is ``crossing.dwell.median_hours``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..model.records import Dwell
from ..model.schema import SCHEMAS, Column

FILES: dict[str, str] = {
    "link": "links.csv",
    "place": "places.csv",
    "crossing": "crossings.csv",
    "service": "services.csv",
    "transfer": "transfers.csv",
    "train_rule": "train_types.csv",
    "parameter": "parameters.csv",
}
"""Selector kind -> the CSV file of its records."""

FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "link": {
        "km": ("km", ""),
        "speed_kmh": ("speed_kmh", ""),
        "duration_hours": ("duration_hours", ""),
        "cost_fixed_usd": ("cost_fixed_usd", ""),
        "cost_per_km_usd": ("cost_per_km_usd", ""),
        "capacity": ("capacity", ""),
        "open_year": ("open_year", ""),
    },
    "crossing": {
        "median_hours": ("dwell", "median_hours"),
        "p90_hours": ("dwell", "p90_hours"),
        "cost_usd": ("cost_usd", ""),
    },
    "transfer": {
        "median_hours": ("dwell", "median_hours"),
        "p90_hours": ("dwell", "p90_hours"),
        "cost_usd": ("cost_usd", ""),
        "co2e_kg_per_teu": ("co2e_kg_per_teu", ""),
    },
    "service": {
        "median_wait_hours": ("wait", "median_hours"),
        "p90_wait_hours": ("wait", "p90_hours"),
        "capacity_teu": ("capacity_teu", ""),
    },
    "train_rule": {
        "median_hours": ("median_hours", ""),
        "p90_hours": ("p90_hours", ""),
        "speed_kmh": ("speed_kmh", ""),
        "speed_factor": ("speed_factor", ""),
        "cost_per_km_usd": ("cost_per_km_usd", ""),
        "cost_factor": ("cost_factor", ""),
    },
    "parameter": {"value": ("value", "")},
    "place": {},
}
"""Selector kind -> field (CSV column) -> (record attribute, attribute of the value
held there, or ``""``)."""

WHOLE_NUMBERS: frozenset[str] = frozenset({"open_year"})
"""Fields that hold whole numbers: they can be set, not scaled."""


def column(kind: str, name: str) -> Column:
    """The schema column of field ``name`` of ``kind`` (its parser and bounds)."""
    return next(c for c in SCHEMAS[FILES[kind]] if c.name == name)


def get(kind: str, rec: Any, name: str) -> float | None:
    """The value of field ``name`` of a record, or ``None`` if it has none."""
    attr, sub = FIELDS[kind][name]
    value = getattr(rec, attr)
    if sub and value is not None:
        value = getattr(value, sub)
    return None if value is None else float(value)


def put(kind: str, rec: Any, name: str, value: float) -> Any:
    """A copy of ``rec`` with field ``name`` set to ``value``.

    Raises
    ------
    ValueError
        If the field lives in a distribution the record does not have (the wait of a
        timetable service).
    """
    attr, sub = FIELDS[kind][name]
    typed: float | int = int(value) if name in WHOLE_NUMBERS else value
    if not sub:
        return replace(rec, **{attr: typed})
    inner = getattr(rec, attr)
    if inner is None:
        raise ValueError(f"{kind} {rec.id} has no {attr} distribution to change {name} of")
    if not isinstance(inner, Dwell):  # pragma: no cover - FIELDS names only Dwell values
        raise TypeError(f"{attr} of {kind} {rec.id} is not a distribution")
    return replace(rec, **{attr: replace(inner, **{sub: typed})})


def values_of(kind: str, rec: Any) -> dict[str, float | None]:
    """Every numeric field of a record -> its value (``None`` where it has none)."""
    return {name: get(kind, rec, name) for name in FIELDS[kind]}
