"""The columns of every network table: name, parser, whether required, numeric bounds.

:data:`SCHEMAS` maps each CSV file name to its columns, in the order the reference
(``docs/network-format.md``) lists them. The loader (:mod:`.loader`) reads every file
against it; the bounds below turn absurd magnitudes (``km=1e308``) into problems with
code ``out-of-range`` before any arithmetic sees them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from . import _fields as f
from .records import (
    ADVISORY_CATEGORIES,
    ADVISORY_SEVERITIES,
    CAPACITY_UNITS,
    CARGO_CLASSES,
    COST_UNITS,
    GAUGES_MM,
    LINK_STATUSES,
    MODES,
    PLACE_KINDS,
    SERVICE_KINDS,
    SOURCE_KINDS,
    TRAIN_TYPES,
    TRANSFER_KINDS,
)

Parser = Callable[[str], Any]
"""Turns one cell's text into a typed value, or raises :class:`._fields.CellError`."""


@dataclass(frozen=True, slots=True)
class Bounds:
    """The sane range of a numeric column, both ends included.

    Attributes
    ----------
    low, high
        Smallest and largest accepted value.
    why
        What the limit stands for, shown in the problem message (``one year``).
    unit_hint
        Whether a value outside suggests a wrong unit (said in the message).
    """

    low: float
    high: float
    why: str = ""
    unit_hint: bool = True


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a network table.

    Attributes
    ----------
    name
        Header name.
    parse
        Cell parser.
    required
        Whether every row needs a value.
    numeric
        Whether the value is a number that needs a source (see the ``sources`` column).
    bounds
        Sane range of a numeric value; outside it is an ``out-of-range`` problem.
    cited
        Whether a value that is not a number (a timetable, opening days) may name a
        source in the ``sources`` column. Unlike a numeric value it need not, and ``*``
        does not cover it.
    """

    name: str
    parse: Parser
    required: bool = False
    numeric: bool = False
    bounds: Bounds | None = None
    cited: bool = False


def _col(
    name: str,
    parse: Parser = str,
    *,
    required: bool = False,
    numeric: bool = False,
    bounds: Bounds | None = None,
    cited: bool = False,
) -> Column:
    return Column(name, parse, required, numeric, bounds, cited)


EARTH_CIRCUMFERENCE_KM = 40_075.0
"""Equatorial circumference: no link is longer."""

HOURS = Bounds(0.0, 8_760.0, "one year")
"""Durations, dwells and waits."""
USD = Bounds(0.0, 1e7, "USD 10 million")
"""Costs."""
KM = Bounds(0.0, EARTH_CIRCUMFERENCE_KM, "the Earth's circumference")
SPEED = Bounds(0.0, 1_200.0, "faster than any freight aircraft")
CAPACITY = Bounds(0.0, 1e12, "10^12 units")
G_PER_TKM = Bounds(0.0, 10_000.0, "10 kg CO2e per tonne-km")
KWH_PER_TKM = Bounds(0.0, 10.0, "10 kWh per tonne-km")
G_PER_KWH = Bounds(0.0, 2_000.0, "2 kg CO2e per kWh, above any grid")
KG_PER_TEU = Bounds(0.0, 10_000.0, "10 t CO2e per TEU handled")
PARAMETER = Bounds(-1e6, 1e6, "parameters lie within a million either way")
FACTOR = Bounds(0.0, 100.0, "a hundredfold change")
"""Train-type factors on a link's own speed or price."""
YEAR = Bounds(1800, 2200, "a year from 1800 to 2200", unit_hint=False)
MONTH = Bounds(1, 12, "a month from 1 (January) to 12 (December)", unit_hint=False)
PROBABILITY = Bounds(0.0, 1.0, "a probability", unit_hint=False)
SPELL = Bounds(1.0, 366.0, "a storm spell lasts whole days, from 1 to a year")

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
        _col("value", f.parse_float, required=True, numeric=True, bounds=PARAMETER),
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
        _col("tz", f.parse_timezone),
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
        _col("km", f.parse_positive, required=True, numeric=True, bounds=KM),
        _col("speed_kmh", f.parse_positive, numeric=True, bounds=SPEED),
        _col("duration_hours", f.parse_positive, numeric=True, bounds=HOURS),
        _col("cost_fixed_usd", f.parse_nonneg, numeric=True, bounds=USD),
        _col("cost_per_km_usd", f.parse_nonneg, numeric=True, bounds=USD),
        _col("cost_unit", _cost_unit),
        _col("capacity", f.parse_positive, numeric=True, bounds=CAPACITY),
        _col(
            "capacity_unit",
            partial(f.parse_enum, allowed=CAPACITY_UNITS, what="unit", code="unknown-unit"),
        ),
        _col("cargo", _cargo, required=True),
        _col("status", partial(f.parse_enum, allowed=LINK_STATUSES, what="status")),
        _col("open_year", f.parse_int, numeric=True, bounds=YEAR),
        _col("bidirectional", f.parse_bool),
        _col("emission_factor", f.parse_id),
        _col("transit_countries", f.parse_country_list),
        _col("sources", f.parse_provenance),
        _col("section", f.parse_id),
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
        _col("median_hours", f.parse_nonneg, required=True, numeric=True, bounds=HOURS),
        _col("p90_hours", f.parse_nonneg, numeric=True, bounds=HOURS),
        _col("cost_usd", f.parse_nonneg, numeric=True, bounds=USD),
        _col("cost_unit", _cost_unit),
        _col("co2e_kg_per_teu", f.parse_nonneg, numeric=True, bounds=KG_PER_TEU),
        _col("sources", f.parse_provenance),
    ),
    "crossings.csv": (
        _col("id", f.parse_id, required=True),
        _col("link", f.parse_id, required=True),
        _col("from", f.parse_id, required=True),
        _col("name"),
        _col("median_hours", f.parse_nonneg, required=True, numeric=True, bounds=HOURS),
        _col("p90_hours", f.parse_nonneg, numeric=True, bounds=HOURS),
        _col("cost_usd", f.parse_nonneg, numeric=True, bounds=USD),
        _col("cost_unit", _cost_unit),
        _col("open_days", f.parse_days, cited=True),
        _col("open_hours", f.parse_hours_range, cited=True),
        _col("regimes", f.parse_list),
        _col("transload", f.parse_bool),
        _col("sources", f.parse_provenance),
    ),
    "closures.csv": (
        _col("id", f.parse_id, required=True),
        _col("applies_to", f.parse_id, required=True),
        _col("from", f.parse_day, required=True, numeric=True),
        _col("to", f.parse_day, required=True, numeric=True),
        _col("reason"),
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
        _col("departures", f.parse_departures, cited=True),
        _col("median_wait_hours", f.parse_nonneg, numeric=True, bounds=HOURS),
        _col("p90_wait_hours", f.parse_nonneg, numeric=True, bounds=HOURS),
        _col("cargo", _cargo, required=True),
        _col("bidirectional", f.parse_bool),
        _col("capacity_teu", f.parse_positive, numeric=True, bounds=CAPACITY),
        _col("sources", f.parse_provenance),
    ),
    "train_types.csv": (
        _col("id", f.parse_id, required=True),
        _col(
            "train",
            partial(f.parse_enum, allowed=TRAIN_TYPES, what="train type"),
            required=True,
        ),
        _col("section", f.parse_id),
        _col("crossing", f.parse_id),
        _col("speed_kmh", f.parse_positive, numeric=True, bounds=SPEED),
        _col("speed_factor", f.parse_positive, numeric=True, bounds=FACTOR),
        _col("cost_per_km_usd", f.parse_nonneg, numeric=True, bounds=USD),
        _col("cost_factor", f.parse_nonneg, numeric=True, bounds=FACTOR),
        _col("median_hours", f.parse_nonneg, numeric=True, bounds=HOURS),
        _col("p90_hours", f.parse_nonneg, numeric=True, bounds=HOURS),
        _col("sources", f.parse_provenance),
    ),
    "emission_factors.csv": (
        _col("id", f.parse_id, required=True),
        _col("mode", _mode, required=True),
        _col("energy", required=True),
        _col("description"),
        _col("wtw_g_per_tkm", f.parse_nonneg, numeric=True, bounds=G_PER_TKM),
        _col("ttw_g_per_tkm", f.parse_nonneg, numeric=True, bounds=G_PER_TKM),
        _col("kwh_per_tkm", f.parse_positive, numeric=True, bounds=KWH_PER_TKM),
        _col("sources", f.parse_provenance),
    ),
    "grid_intensity.csv": (
        _col("id", f.parse_country, required=True),
        _col("name"),
        _col("year", f.parse_int),
        _col("wtw_g_per_kwh", f.parse_nonneg, required=True, numeric=True, bounds=G_PER_KWH),
        _col("sources", f.parse_provenance),
    ),
    "link_geometry.csv": (
        _col("id", f.parse_id, required=True),
        _col("via", f.parse_list),
        _col("line", f.parse_line, required=True, numeric=True),
        _col("sources", f.parse_provenance),
    ),
    "advisories.csv": (
        _col("id", f.parse_id, required=True),
        _col(
            "category",
            partial(f.parse_enum, allowed=ADVISORY_CATEGORIES, what="advisory category"),
        ),
        _col(
            "severity",
            partial(f.parse_enum, allowed=ADVISORY_SEVERITIES, what="severity"),
            required=True,
        ),
        _col("selector", f.parse_selectors, required=True),
        _col("valid_from", f.parse_advisory_date),
        _col("valid_to", f.parse_advisory_date),
        _col("text", required=True),
        _col("sources", f.parse_list, required=True),
    ),
    "weather.csv": (
        _col("id", f.parse_id, required=True),
        _col("region", required=True),
        _col("services", f.parse_list, required=True),
        _col("month", f.parse_int, required=True, bounds=MONTH),
        _col(
            "storm_day_probability",
            f.parse_nonneg,
            required=True,
            numeric=True,
            bounds=PROBABILITY,
        ),
        _col("mean_spell_days", f.parse_positive, required=True, numeric=True, bounds=SPELL),
        _col("sources", f.parse_provenance),
    ),
}
"""File name -> its columns."""

TABLE_FILES: tuple[str, ...] = tuple(SCHEMAS)
"""Every CSV file a network folder may hold."""
REQUIRED_FILES: tuple[str, ...] = ("sources.csv", "places.csv", "links.csv")
"""Files a (base) network folder must have."""


def out_of_range(column: Column, value: float) -> str | None:
    """Why ``value`` is outside ``column``'s bounds, or ``None`` if it is within them."""
    b = column.bounds
    if b is None or b.low <= value <= b.high:
        return None
    why = f" ({b.why})" if b.why else ""
    if value > b.high:
        message = f"{column.name} {value:g} is too large: it must be at most {b.high:g}{why}"
    else:
        message = f"{column.name} {value:g} is too small: it must be at least {b.low:g}{why}"
    return message + ("; check the unit" if b.unit_hint else "")
