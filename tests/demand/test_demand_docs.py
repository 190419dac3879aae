"""docs/demand.md keeps up with the bundled trade table."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from silkway.demand import bundled_demand, bundled_segments, read_trade_tables
from silkway.model import load_network

DOC = (Path(__file__).resolve().parents[2] / "docs" / "demand.md").read_text(encoding="utf-8")


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("*", "").split()[0] or "nan")


def test_segment_table_matches_the_data() -> None:
    tables = read_trade_tables()
    segments = bundled_segments(load_network())
    sums = segments.groupby("segment")[["feu_per_year", "tonnes_per_year"]].sum()
    rows = re.findall(r"^\| `(\w+)` \| [^|]+\|[^|]*\| ([\d.]+) × ([\d.]+) \|(.*)$", DOC, re.M)
    assert {r[0] for r in rows} == set(tables.segments)
    for sid, share, split, rest in rows:
        seg = tables.segments[sid]
        assert (float(share), float(split)) == (seg.share, seg.split), sid
        if seg.excluded:
            continue
        feu, mt = (c.strip() for c in rest.split("|")[:2])
        assert _number(feu) == pytest.approx(sums.loc[sid, "feu_per_year"], abs=0.5), sid
        assert _number(mt) == pytest.approx(sums.loc[sid, "tonnes_per_year"] / 1e6, abs=0.005)


def test_totals_table_matches_the_data() -> None:
    frame: pd.DataFrame = bundled_demand(load_network())
    by_class = frame.groupby("cargo_class")[["feu_per_year", "tonnes_per_year"]].sum()
    for cls in by_class.index:
        match = re.search(rf"^\| {cls} \| ([\d,]+) \| ([\d,]+) \|", DOC, re.M)
        assert match, cls
        assert _number(match.group(1)) == round(by_class.loc[cls, "feu_per_year"])
        assert _number(match.group(2)) == round(by_class.loc[cls, "tonnes_per_year"])
    pairs = len(frame[["origin", "destination"]].drop_duplicates())
    assert f"This is {len(frame)} rows (origin, destination, class) and {pairs} OD pairs" in DOC
