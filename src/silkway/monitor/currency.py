"""Currency conversion of cost items: monthly average rates to the US dollar.

The bundled table ``silkway/data/monitor/fx_usd_monthly.csv`` gives, per currency and
calendar month, the average number of currency units per US dollar, with the
provenance of each row (a source id of ``fx_sources.csv``, the date of the source, and
whether the figure is sourced, derived or an estimate). Users can pass their own table
of the same columns (``silkway monitor ingest --fx FILE``). A cost in a currency the
table lacks, or in a month it does not cover, is quarantined, never guessed.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MonitorError

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

FX_COLUMNS: tuple[str, ...] = ("currency", "month", "units_per_usd", "source", "date", "kind")
"""Columns of a rate table. ``month`` is ``YYYY-MM``; ``units_per_usd`` the monthly
average of currency units one US dollar buys; ``kind`` is ``sourced``, ``derived`` or
``estimate``."""

FX_KINDS: tuple[str, ...] = ("sourced", "derived", "estimate")

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
_CURRENCY = re.compile(r"[A-Z]{3}")


def bundled_fx_path() -> Path:
    """The bundled rate table."""
    return Path(str(resources.files("silkway") / "data" / "monitor" / "fx_usd_monthly.csv"))


@dataclass(frozen=True, slots=True)
class FxTable:
    """Monthly average rates: ``(currency, month)`` -> units per US dollar."""

    rates: dict[tuple[str, str], float]
    path: str
    """The file the rates were read from."""

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency the table has at least one month for."""
        return frozenset(c for c, _ in self.rates)

    def to_usd(self, amount: float, currency: str, month: str) -> float:
        """Convert an amount to US dollars at the month's average rate.

        Raises
        ------
        MonitorError
            If the table has no rate for that currency, or none for that month.
        """
        key = (currency.strip().upper(), month)
        if key not in self.rates:
            what = "currency" if key[0] not in self.currencies else "month of the currency"
            raise MonitorError(f"{self.path}: no rate for {key[0]} in {month} (unknown {what})")
        return amount / self.rates[key]

    def arrow(self) -> pa.Table:
        """The rates as an Arrow table: ``currency``, ``month``, ``units_per_usd``."""
        import pyarrow as pa

        keys = list(self.rates)
        return pa.table(
            {
                "currency": pa.array([k[0] for k in keys], pa.string()),
                "month": pa.array([k[1] for k in keys], pa.string()),
                "units_per_usd": pa.array([self.rates[k] for k in keys], pa.float64()),
            }
        )


def load_fx(path: str | Path | None = None) -> FxTable:
    """Read a rate table (default: the bundled one).

    Parameters
    ----------
    path
        A CSV file with the columns of :data:`FX_COLUMNS` (``source``, ``date`` and
        ``kind`` may be empty in a user's table).

    Raises
    ------
    MonitorError
        Naming the file, line and field, if the file cannot be read, lacks a column,
        or has a bad currency code, month or rate, or the same month twice.
    """
    file = bundled_fx_path() if path is None else Path(path)
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
            header = list(rows[0]) if rows else []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MonitorError(f"{file}: cannot read the rate table: {reason}") from None
    need = ("currency", "month", "units_per_usd")
    missing = [c for c in need if c not in header]
    if not rows or missing:
        raise MonitorError(
            f"{file}: not a rate table: "
            + (f"no column {', '.join(missing)}" if rows else "no rows")
            + f" (columns: {', '.join(FX_COLUMNS)})"
        )
    rates: dict[tuple[str, str], float] = {}
    for line, row in enumerate(rows, start=2):
        cur = (row.get("currency") or "").strip().upper()
        month = (row.get("month") or "").strip()
        text = (row.get("units_per_usd") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not _CURRENCY.fullmatch(cur):
            raise MonitorError(f"{file}:{line} [currency]: {cur!r} is not an ISO 4217 code")
        if not _MONTH.fullmatch(month):
            raise MonitorError(f"{file}:{line} [month]: {month!r} is not a month like 2026-03")
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise MonitorError(f"{file}:{line} [units_per_usd]: {text!r} is not a positive number")
        if kind and kind not in FX_KINDS:
            raise MonitorError(
                f"{file}:{line} [kind]: {kind!r} is not one of {', '.join(FX_KINDS)}"
            )
        if (cur, month) in rates:
            raise MonitorError(f"{file}:{line}: a second rate for {cur} in {month}")
        rates[(cur, month)] = value
    return FxTable(rates, str(file))
