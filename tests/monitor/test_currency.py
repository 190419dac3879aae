"""Rate tables: the bundled one's provenance, conversions, and bad tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from silkway.monitor.currency import FX_KINDS, bundled_fx_path, load_fx
from silkway.monitor.errors import MonitorError

CORRIDOR = [
    "CNY", "KZT", "UZS", "KGS", "AZN", "GEL", "TRY", "EUR",
    "RUB", "BYN", "PLN", "TMT", "TJS", "IRR", "MNT", "USD",
]  # fmt: skip


def _months(first: str, last: str) -> list[str]:
    y, m = map(int, first.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def test_bundled_table_covers_the_corridor_currencies_monthly() -> None:
    fx = load_fx()
    for cur in CORRIDOR:
        for month in _months("2023-01", "2026-10"):
            assert (cur, month) in fx.rates, (cur, month)


def test_every_bundled_rate_has_provenance() -> None:
    folder = bundled_fx_path().parent
    with (folder / "fx_sources.csv").open(encoding="utf-8", newline="") as fh:
        sources = {row["id"]: row for row in csv.DictReader(fh)}
    with bundled_fx_path().open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        assert row["source"] in sources, row
        assert row["kind"] in FX_KINDS, row
        assert sources[row["source"]]["kind"] == row["kind"], row
        assert row["kind"] == "estimate" or row["date"], row
    for source in sources.values():  # derived figures name what they come from
        for parent in filter(None, source["derived_from"].split(";")):
            assert parent in sources, source["id"]


def test_conversion_by_month(tmp_path: Path) -> None:
    path = tmp_path / "fx.csv"
    path.write_text(
        "currency,month,units_per_usd\nKZT,2026-03,500\nKZT,2026-04,480\neur,2026-03,0.8\n",
        encoding="utf-8",
    )
    fx = load_fx(path)
    assert fx.to_usd(5000, "KZT", "2026-03") == pytest.approx(10.0)
    assert fx.to_usd(4800, "kzt", "2026-04") == pytest.approx(10.0)
    assert fx.to_usd(8, "EUR", "2026-03") == pytest.approx(10.0)
    with pytest.raises(MonitorError, match="no rate for KZT in 2026-05"):
        fx.to_usd(1, "KZT", "2026-05")
    with pytest.raises(MonitorError, match="unknown currency"):
        fx.to_usd(1, "XXX", "2026-03")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("currency,month\nKZT,2026-03\n", "no column units_per_usd"),
        ("currency,month,units_per_usd\n", "no rows"),
        ("currency,month,units_per_usd\nTENGE,2026-03,500\n", r":2 \[currency\]"),
        ("currency,month,units_per_usd\nKZT,2026-13,500\n", r":2 \[month\]"),
        ("currency,month,units_per_usd\nKZT,2026-03,0\n", r":2 \[units_per_usd\]"),
        ("currency,month,units_per_usd\nKZT,2026-03,abc\n", r":2 \[units_per_usd\]"),
        ("currency,month,units_per_usd,kind\nKZT,2026-03,5,guess\n", r":2 \[kind\]"),
        ("currency,month,units_per_usd\nKZT,2026-03,5\nKZT,2026-03,6\n", ":3: a second rate"),
    ],
)
def test_a_bad_table_names_file_line_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "fx.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MonitorError, match=message) as info:
        load_fx(path)
    assert str(path) in str(info.value)


def test_missing_table(tmp_path: Path) -> None:
    with pytest.raises(MonitorError, match="cannot read the rate table"):
        load_fx(tmp_path / "nope.csv")
