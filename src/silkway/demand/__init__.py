"""Demand: who sends how much freight where, as origin-destination tables.

Two sources of demand, one output schema (:data:`DEMAND_COLUMNS`):

- :func:`bundled_demand` expands the bundled, sourced trade-flow table
  (``silkway/data/demand/``: China-Central Asia trade by country, the China-Europe
  trains, the Trans-Caspian route) to place-level rows of a network;
- :func:`read_demand` reads a user's table from CSV or Parquet, rejecting the whole
  file, with every bad row listed, if any row is bad.

:func:`load_demand` picks one: the user's file if one is given, else the bundled table
(what ``--demand FILE`` means on the command line).

:func:`demand_summary` describes a demand frame in a few lines. Submodules are imported
on first use, so ``import silkway.demand`` loads neither pandas nor pyarrow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .bundled import (
        TradeTables,
        bundled_demand,
        bundled_segments,
        load_demand,
        read_trade_tables,
    )
    from .errors import DemandError
    from .reader import read_demand
    from .summary import demand_summary
    from .units import VOLUME_UNITS, Conversions

DEMAND_COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "cargo_class",
    "feu_per_year",
    "tonnes_per_year",
    "value_usd",
    "source",
)
"""Columns of every demand frame, in order, one row per (origin, destination,
cargo_class): place ids, the network's cargo class, FEU a year (the containerised
equivalent; 0 for bulk), tonnes a year, value in USD a year (NaN if unknown), and where
the row came from (``bundled:<segment id>`` or ``user:<file>:<line>``, several joined
by ``;``)."""

_LAZY = {
    "Conversions": ("silkway.demand.units", "Conversions"),
    "VOLUME_UNITS": ("silkway.demand.units", "VOLUME_UNITS"),
    "DemandError": ("silkway.demand.errors", "DemandError"),
    "TradeTables": ("silkway.demand.bundled", "TradeTables"),
    "bundled_demand": ("silkway.demand.bundled", "bundled_demand"),
    "bundled_segments": ("silkway.demand.bundled", "bundled_segments"),
    "load_demand": ("silkway.demand.bundled", "load_demand"),
    "read_trade_tables": ("silkway.demand.bundled", "read_trade_tables"),
    "read_demand": ("silkway.demand.reader", "read_demand"),
    "demand_summary": ("silkway.demand.summary", "demand_summary"),
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'silkway.demand' has no attribute {name!r}")


__all__ = [
    "DEMAND_COLUMNS",
    "VOLUME_UNITS",
    "Conversions",
    "DemandError",
    "TradeTables",
    "bundled_demand",
    "bundled_segments",
    "demand_summary",
    "load_demand",
    "read_demand",
    "read_trade_tables",
]
