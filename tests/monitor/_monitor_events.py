"""Hand-made event logs on the tiny test network (A -rail- B =crossing= C -rail- D)."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from silkway.monitor.schema import INPUT_COLUMNS

Row = dict[str, str]


def event(shipment: str, kind: str, place: str, ts: str, **more: str) -> Row:
    """One event row; other columns empty unless given."""
    row = dict.fromkeys(INPUT_COLUMNS, "")
    row.update(shipment_id=shipment, event_type=kind, place=place, timestamp=ts)
    row.update(more)
    return row


def trip(shipment: str, start: datetime, *, fee_kzt: str = "5000") -> list[Row]:
    """A valid rail trip A -> D through the Bravo-Charlie crossing, with a fee at B."""

    def at(hours: float) -> str:
        return (start + timedelta(hours=hours)).isoformat().replace("+00:00", "Z")

    return [
        event(shipment, "departure", "A", at(0), mode="rail", cargo="container", weight_t="20"),
        event(shipment, "border_entry", "B", at(4), mode="rail"),
        event(
            shipment,
            "payment",
            "B",
            at(5),
            cost_item="customs fee",
            cost_category="official",
            cost_amount=fee_kzt,
            cost_currency="KZT",
        ),
        event(shipment, "border_exit", "C", at(14), mode="rail"),
        event(shipment, "arrival", "D", at(20), mode="rail"),
    ]


def trips(n: int, *, prefix: str = "S", start: datetime | None = None) -> list[Row]:
    """``n`` valid trips, one a day from 2026-03-01."""
    t0 = start or datetime(2026, 3, 1, tzinfo=UTC)
    rows: list[Row] = []
    for i in range(n):
        rows += trip(f"{prefix}{i}", t0 + timedelta(hours=i % 600))
    return rows


def write_csv(path: Path, rows: Iterable[Row], columns: Sequence[str] = INPUT_COLUMNS) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


FX = """currency,month,units_per_usd,source,date,kind
USD,2026-03,1,,,
KZT,2026-03,500,,,
EUR,2026-03,0.8,,,
"""


def write_fx(path: Path) -> Path:
    """A small rate table: KZT 500 and EUR 0.8 per USD in March 2026 only."""
    path.write_text(FX, encoding="utf-8")
    return path
