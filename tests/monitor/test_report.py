"""The monitoring report: files written, offline HTML, bounded charts, worst crossings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest

from silkway.compile import CompiledNetwork, compile_network
from silkway.model import load_network
from silkway.monitor.currency import load_fx
from silkway.monitor.ingest import ingest
from silkway.monitor.report import worst_crossings, write_monitor_report
from silkway.monitor.simulate import simulate, write_log
from silkway.monitor.store import Store
from silkway.reports._common import ReportError

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def bundled() -> CompiledNetwork:
    return compile_network(load_network())


def test_report_writes_an_offline_page(
    store: Store, bundled: CompiledNetwork, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    write_log(simulate(bundled, shipments=300, seed=9, start=dt.date(2025, 3, 1), months=3), log)
    summary = ingest(log, store, network=bundled.network, fx=load_fx())
    assert summary.rows_quarantined == 0
    out = tmp_path / "report"
    report = write_monitor_report(store, out, network=bundled.network, top=2)
    # two crossings with a trend and a dwell chart each, two sections with a trend
    assert len(report.charts) == 6
    for chart in report.charts:
        assert chart.parent == out / "charts"
        assert chart.read_bytes()[:8] == PNG
    page = report.index.read_text(encoding="utf-8")
    assert "<script" not in page.lower()
    refs = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert refs
    for ref in refs:
        if ref.startswith("data:"):
            assert ref.startswith("data:image/png;base64,")
        else:
            assert "://" not in ref and not ref.startswith("/"), ref
            assert (out / ref).is_file(), ref
    for name in ("tfi1", "tfi2", "tfi3", "tfi4_section", "tfi4_trip", "tfi1_monthly"):
        table = pd.read_csv(out / f"{name}.csv")
        pd.testing.assert_frame_equal(
            table, report.tables[name].reset_index(drop=True), check_dtype=False
        )
        assert len(table) > 0, name


def test_report_of_an_empty_store(store: Store, tmp_path: Path) -> None:
    report = write_monitor_report(store, tmp_path / "empty")
    assert report.charts == ()
    assert report.index.is_file()


def test_top_must_be_positive(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="top must be at least 1, not 0"):
        write_monitor_report(store, tmp_path, top=0)


def test_worst_crossings_rank_land_crossings_by_median_time() -> None:
    keys = ("crossing_id", "crossing", "direction", "mode")
    rows = [
        ("xA", "Alpha", "CN->KZ", "rail", 10, 30.0, 80.0),
        ("xB", "Bravo", "KZ->CN", "road", 5, 45.0, 60.0),
        ("xF", "Ferry", "KZ->AZ", "ferry", 7, 90.0, 120.0),
        ("xC", "Charlie", "UZ->KZ", "rail", 3, 12.0, 20.0),
    ]
    tfi1 = pd.DataFrame(rows, columns=[*keys, "n", "median_hours", "p90_hours"])
    tfi2 = pd.DataFrame(
        [(*r[:4], 100.0 + i, 0.1 * i) for i, r in enumerate(rows)],
        columns=[*keys, "mean_usd", "unofficial_share"],
    )
    worst = worst_crossings(tfi1, tfi2, top=2)
    # the ferry (90 h, the voyage included) is not ranked; then Bravo 45 h, Alpha 30 h
    assert list(worst["crossing_id"]) == ["xB", "xA"]
    assert list(worst["mean_usd"]) == [101.0, 100.0]
    assert list(worst["unofficial_share"]) == [0.1, 0.0]
