"""Rows of a simulated event log: codes, blocks of rows, their text, and the files.

:mod:`silkway.monitor.simulate` samples shipments as integer codes (:class:`Block`);
:class:`Formatter` turns a block into an Arrow table with the columns of
:data:`~silkway.monitor.schema.INPUT_COLUMNS`: timestamps in the local time of each
place with its UTC offset (by UTC day, from the place's IANA zone), amounts in the local
currency where the rate table has the month, duplicates and spoiled rows on request
(:data:`BAD_ROW_KINDS`). :func:`write_log` writes the tables as CSV, JSON Lines or
Parquet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

from .._errors import QueryError
from ..model.records import TRANSFER_KINDS
from .schema import COST_CATEGORIES, EVENT_MODES, EVENT_TYPES, INPUT_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from ..model.records import Network

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

FORMATS: Final[tuple[str, ...]] = ("csv", "jsonl", "parquet")
"""File formats :func:`write_log` writes."""
BAD_ROW_KINDS: Final[tuple[str, ...]] = (
    "malformed_timestamp",
    "missing_timezone",
    "unknown_place",
    "unknown_event_type",
    "negative_cost",
    "unknown_currency",
    "exit_without_entry",
    "out_of_order",
)
"""Ways a bad row is spoiled, one each, in turn."""
CURRENCY_OF_COUNTRY: Final[Mapping[str, str]] = {
    "AZ": "AZN",
    "BE": "EUR",
    "BG": "EUR",
    "BY": "BYN",
    "CN": "CNY",
    "DE": "EUR",
    "GE": "GEL",
    "HU": "HUF",
    "IR": "IRR",
    "KG": "KGS",
    "KZ": "KZT",
    "NL": "EUR",
    "PL": "PLN",
    "RO": "RON",
    "RU": "RUB",
    "TJ": "TJS",
    "TM": "TMT",
    "TR": "TRY",
    "UZ": "UZS",
}
"""ISO 4217 currency of each country (ISO 3166 alpha-2); others pay in USD."""


@dataclass(frozen=True, slots=True)
class Block:
    """Rows of some shipments as codes: one entry per row."""

    ship: IntArray
    ts: IntArray
    kind: IntArray
    place: IntArray
    mode: IntArray
    """Index in ``EVENT_MODES``; -1 for a payment."""
    item: IntArray
    """Index in ``ITEMS``; 0 for an event."""
    category: IntArray
    usd: FloatArray
    """NaN for an event."""


ITEMS: Final = ("", "freight", "border_fee", "informal_payment", *TRANSFER_KINDS)
CATEGORIES: Final = ("", *COST_CATEGORIES)
KINDS: Final = (*EVENT_TYPES, "teleport")
"""Event types, and the unknown one a bad row may name."""
NOWHERE: Final = "XXNOWHERE"


class Codes:
    """The one mapping from a network's place ids to the integer codes of a block."""

    def __init__(self, network: Network) -> None:
        self.places: tuple[str, ...] = (*network.places, NOWHERE)
        self.place_index = {p: i for i, p in enumerate(self.places)}
        self.kind_index = {k: i for i, k in enumerate(KINDS)}


def merge_blocks(blocks: Sequence[Block]) -> Block:
    """One block, in shipment order (rows of a shipment stay in time order)."""
    cat = {f: np.concatenate([getattr(b, f) for b in blocks]) for f in Block.__slots__}
    order = np.argsort(cat["ship"], kind="stable")
    return Block(**{f: v[order] for f, v in cat.items()})


@dataclass(frozen=True, slots=True)
class Dirt:
    missing: float
    duplicates: float
    bad_rows: float


class Formatter:
    """Turns blocks into Arrow tables: local times with UTC offsets, local currencies,
    duplicates and spoiled rows."""

    def __init__(
        self, network: Network, codes: Codes, t0: int, t1: int, fx: Mapping[tuple[str, str], float]
    ) -> None:
        self.codes = codes
        self.day0 = t0 // 86400
        days = t1 // 86400 - self.day0 + 1
        offsets: dict[int, int] = {}
        table = np.zeros((len(codes.places), days), dtype=np.int64)
        noon = [
            dt.datetime.fromtimestamp((self.day0 + d) * 86400 + 43200, tz=dt.UTC)
            for d in range(days)
        ]
        by_tz: dict[str, IntArray] = {}
        currency = np.zeros(len(codes.places), dtype=np.int64)
        self.currencies: list[str] = ["USD"]
        for i, pid in enumerate(codes.places[:-1]):
            place = network.places[pid]
            tz = place.tz or "UTC"
            if tz not in by_tz:
                zone = ZoneInfo(tz)
                secs = [
                    int((m.astimezone(zone).utcoffset() or dt.timedelta()).total_seconds())
                    for m in noon
                ]
                by_tz[tz] = np.array([offsets.setdefault(s, len(offsets)) for s in secs])
            table[i] = by_tz[tz]
            cur = CURRENCY_OF_COUNTRY.get(place.country, "USD")
            if cur not in self.currencies:
                self.currencies.append(cur)
            currency[i] = self.currencies.index(cur)
        table[-1] = offsets.setdefault(0, len(offsets))
        self.offset_code = table
        self.offset_secs = np.array(sorted(offsets, key=offsets.__getitem__), dtype=np.int64)
        self.offset_text = [_offset_text(s) for s in self.offset_secs.tolist()]
        self.place_currency = currency
        self.month0 = int(np.datetime64(t0, "s").astype("datetime64[M]").astype(np.int64))
        months = (t1 - t0) // (28 * 86400) + 2
        rate = np.full((len(self.currencies), months), np.nan)
        rate[0] = 1.0
        for c, cur in enumerate(self.currencies[1:], start=1):
            for m in range(months):
                key = str(np.datetime64(self.month0 + m, "M"))
                rate[c, m] = fx.get((cur, key), np.nan)
        self.units_per_usd = rate

    def table(
        self,
        block: Block,
        weights: FloatArray,
        first_id: int,
        rng: np.random.Generator,
        dirt: Dirt,
    ) -> pa.Table:
        """The block as a table with the columns of ``INPUT_COLUMNS``."""
        import pyarrow as pa
        import pyarrow.compute as pc  # type: ignore[import-untyped]

        n = block.ts.shape[0]
        rows = np.arange(n)
        if dirt.duplicates > 0:
            rows = np.repeat(rows, 1 + (rng.random(n) < dirt.duplicates))
        b = Block(**{f: getattr(block, f)[rows] for f in Block.__slots__})
        n = rows.shape[0]
        is_pay = b.mode < 0
        # currency: the place's, where the month has a rate, else USD
        cur = self.place_currency[b.place].copy()
        month = np.clip(
            b.ts.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64) - self.month0,
            0,
            self.units_per_usd.shape[1] - 1,
        )
        rate = self.units_per_usd[cur, month]
        unknown = ~np.isfinite(rate)
        cur[unknown] = 0
        rate[unknown] = 1.0
        amount = np.round(b.usd * rate, 2)
        currency = pa.DictionaryArray.from_arrays(
            pa.array(cur, mask=~is_pay), pa.array(self.currencies)
        ).cast(pa.string())
        day = np.clip(b.ts // 86400 - self.day0, 0, self.offset_code.shape[1] - 1)
        off = self.offset_code[b.place, day]
        local = pa.array((b.ts + self.offset_secs[off]).astype("datetime64[s]")).cast(pa.string())
        stamp = pc.binary_join_element_wise(
            pc.replace_substring(local, " ", "T", max_replacements=1),
            pc.take(pa.array(self.offset_text), pa.array(off)),
            "",
        )
        kind = b.kind.copy()
        place = b.place.copy()
        keep = np.ones(n, dtype=bool)
        spoiled_stamps: dict[int, str] = {}
        bad_currency: list[int] = []
        if dirt.bad_rows > 0:
            bad = np.flatnonzero(rng.random(n) < dirt.bad_rows)
            ts_text = stamp
            for j, r in enumerate(bad.tolist()):
                how = BAD_ROW_KINDS[j % len(BAD_ROW_KINDS)]
                if how == "malformed_timestamp":
                    spoiled_stamps[r] = "2026-13-45T25:61:00+06:00"
                elif how == "missing_timezone":
                    spoiled_stamps[r] = str(ts_text[r].as_py())[:19]
                elif how == "unknown_place":
                    place[r] = len(self.codes.places) - 1
                elif how == "unknown_event_type":
                    kind[r] = len(KINDS) - 1
                elif how in ("negative_cost", "unknown_currency"):
                    pays = np.flatnonzero(is_pay[r : r + 64])
                    if pays.size:
                        p = r + int(pays[0])
                        if how == "negative_cost":
                            amount[p] = -abs(amount[p]) - 1.0
                        else:
                            bad_currency.append(p)
                elif how == "exit_without_entry":
                    entries = np.flatnonzero(
                        kind[r : r + 64] == self.codes.kind_index["border_entry"]
                    )
                    if entries.size:
                        keep[r + int(entries[0])] = False
                elif how == "out_of_order" and r > 0 and b.ship[r - 1] == b.ship[r]:
                    spoiled_stamps[r] = _stamp_text(int(b.ts[r - 1]) - 3600)
        if spoiled_stamps:
            mask = np.zeros(n, dtype=bool)
            idx = sorted(spoiled_stamps)
            mask[idx] = True
            stamp = pc.replace_with_mask(
                stamp, pa.array(mask), pa.array([spoiled_stamps[i] for i in idx])
            )
        if bad_currency:
            mask = np.zeros(n, dtype=bool)
            mask[bad_currency] = True
            spoilt = pa.array(["ZZZ"] * int(mask.sum()))
            currency = pc.replace_with_mask(currency, pa.array(mask), spoilt)
        ids = pc.binary_join_element_wise(
            "S", pc.utf8_lpad(pa.array(b.ship).cast(pa.string()), width=8, padding="0"), ""
        )
        cols = {
            "shipment_id": ids,
            "event_type": pc.take(pa.array(KINDS), pa.array(kind)),
            "place": pc.take(pa.array(self.codes.places), pa.array(place)),
            "timestamp": stamp,
            "mode": pc.take(pa.array(EVENT_MODES), pa.array(b.mode, mask=is_pay)),
            "cargo": pa.array(np.full(n, "container")),
            "weight_t": pa.array(weights[b.ship - first_id]),
            "cost_item": pc.take(pa.array(ITEMS), pa.array(b.item, mask=~is_pay)),
            "cost_category": pc.take(pa.array(CATEGORIES), pa.array(b.category, mask=~is_pay)),
            "cost_amount": pa.array(amount, mask=~is_pay),
            "cost_currency": currency,
        }
        out = pa.table({c: cols[c] for c in INPUT_COLUMNS})
        if not keep.all():
            out = out.filter(pa.array(keep))
        return out


def _offset_text(seconds: int) -> str:
    """``+06:00`` for 21600."""
    sign = "-" if seconds < 0 else "+"
    m = abs(seconds) // 60
    return f"{sign}{m // 60:02d}:{m % 60:02d}"


def _stamp_text(t: int) -> str:
    """An epoch second in ISO 8601, UTC."""
    return dt.datetime.fromtimestamp(t, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def write_log(tables: Iterator[pa.Table], path: Path, *, fmt: str = "csv") -> int:
    """Write simulated tables to ``path`` in ``fmt`` (``csv``, ``jsonl`` or ``parquet``).

    Parameters
    ----------
    tables
        What :func:`simulate` yields.
    path
        File to write (replaced if it exists).
    fmt
        One of :data:`FORMATS`.

    Returns
    -------
    int
        Rows written.

    Raises
    ------
    QueryError
        For an unknown format.
    """
    import pyarrow.csv as pacsv  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    if fmt not in FORMATS:
        raise QueryError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    rows = 0
    writer: pacsv.CSVWriter | pq.ParquetWriter | None = None
    with open(path, "wb") as sink:
        try:
            for table in tables:
                rows += table.num_rows
                if fmt == "jsonl":
                    _write_jsonl(table, sink)
                    continue
                if writer is None:
                    writer = (
                        pacsv.CSVWriter(sink, table.schema)
                        if fmt == "csv"
                        else pq.ParquetWriter(sink, table.schema, compression="zstd")
                    )
                writer.write_table(table)
        finally:
            if writer is not None:
                writer.close()
    return rows


def _write_jsonl(table: pa.Table, sink: object) -> None:
    """One JSON object per row; missing values left out."""
    import json

    write = sink.write  # type: ignore[attr-defined]
    columns = table.column_names
    for values in zip(*(table.column(c).to_pylist() for c in columns), strict=True):
        row = {c: v for c, v in zip(columns, values, strict=True) if v is not None}
        write((json.dumps(row, ensure_ascii=False) + "\n").encode())
