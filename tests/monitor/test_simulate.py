"""The simulator: seeded, valid in clean mode, drawn from the network's distributions."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from silkway.compile import CompiledNetwork, compile_network
from silkway.compile.trains import Z90
from silkway.model import load_network
from silkway.monitor.currency import load_fx
from silkway.monitor.ingest import ingest
from silkway.monitor.schema import EVENT_TYPES, INPUT_COLUMNS
from silkway.monitor.simulate import Relation, default_relations, simulate, write_log
from silkway.monitor.store import Store

START = dt.date(2026, 3, 1)
WEST = (Relation("CN_XIA", "PL_MAL", ("rail",)),)
"""Xi'an to Malaszewicze by rail: four border crossings and a gauge change."""


@pytest.fixture(scope="module")
def bundled() -> CompiledNetwork:
    return compile_network(load_network())


def _usd_fx(path: Path, months: int = 14) -> Path:
    """A rate table with only USD (1 per USD), from March 2026 on."""
    lines = ["currency,month,units_per_usd,source,date,kind"]
    for m in range(months):
        y, mo = divmod(2 + m, 12)
        lines.append(f"USD,{2026 + y}-{mo + 1:02d},1,,,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _frame(net: CompiledNetwork, **kw: object) -> pd.DataFrame:
    return pa.concat_tables(list(simulate(net, start=START, **kw))).to_pandas()  # type: ignore[arg-type]


def test_same_seed_same_file(bundled: CompiledNetwork, tmp_path: Path) -> None:
    def log(seed: int, name: str) -> bytes:
        path = tmp_path / name
        write_log(simulate(bundled, shipments=300, seed=seed, start=START, bad_rows=0.01), path)
        return path.read_bytes()

    first = log(7, "a.csv")
    assert first == log(7, "b.csv")
    assert first != log(8, "c.csv")


def test_columns_and_vocabulary(bundled: CompiledNetwork) -> None:
    frame = _frame(bundled, shipments=200, seed=1)
    assert tuple(frame.columns) == INPUT_COLUMNS
    assert set(frame["event_type"]) <= set(EVENT_TYPES)
    assert frame["shipment_id"].nunique() == 200
    per_ship = frame[frame["event_type"] != "payment"].groupby("shipment_id")["event_type"]
    assert (per_ship.first() == "departure").all()
    assert (per_ship.last() == "arrival").all()
    pay = frame[frame["event_type"] == "payment"]
    assert pay["cost_amount"].gt(0).all()
    assert set(pay["cost_category"]) == {"official", "unofficial"}


def test_clean_log_passes_validation(
    store: Store, bundled: CompiledNetwork, tmp_path: Path
) -> None:
    log = tmp_path / "log.csv"
    rows = write_log(simulate(bundled, shipments=150, seed=3, start=START), log)
    summary = ingest(log, store, network=bundled.network, fx=load_fx(_usd_fx(tmp_path / "fx.csv")))
    assert summary.rows_quarantined == 0, summary.reasons
    assert (summary.rows_read, summary.rows_stored, summary.rows_duplicate) == (rows, rows, 0)


def test_dirty_log_is_quarantined_for_each_reason(
    store: Store, bundled: CompiledNetwork, tmp_path: Path
) -> None:
    log = tmp_path / "dirty.csv"
    rows = write_log(
        simulate(
            bundled,
            shipments=300,
            seed=4,
            start=START,
            missing=0.05,
            duplicates=0.02,
            bad_rows=0.01,
        ),
        log,
    )
    summary = ingest(log, store, network=bundled.network, fx=load_fx(_usd_fx(tmp_path / "fx.csv")))
    reasons = dict(summary.reasons)
    assert set(reasons) == {
        "malformed_timestamp",
        "missing_time_zone",
        "unknown_place",
        "unknown_event_type",
        "negative_cost",
        "unknown_currency",
        "border_exit_without_entry",
        "out_of_order",
    }
    assert summary.rows_duplicate > 0
    assert summary.rows_stored + summary.rows_duplicate + summary.rows_quarantined == rows
    # a spoilt row's siblings stay valid: few rows beyond the spoilt ones are lost
    assert summary.rows_quarantined < 0.02 * rows


def _hours(frame: pd.DataFrame, first: str, last: str) -> pd.DataFrame:
    """Hours from each ``first`` event to the shipment's next ``last`` event."""
    ev = frame[frame["event_type"].isin([first, last])].copy()
    ev["t"] = pd.to_datetime(ev["timestamp"], utc=True, format="ISO8601")
    ev["next_t"] = ev.groupby("shipment_id")["t"].shift(-1)
    ev["next_type"] = ev.groupby("shipment_id")["event_type"].shift(-1)
    ev["next_place"] = ev.groupby("shipment_id")["place"].shift(-1)
    ev = ev[(ev["event_type"] == first) & (ev["next_type"] == last)]
    ev["hours"] = (ev["next_t"] - ev["t"]).dt.total_seconds() / 3600
    return ev


def _lognormal(rng: np.random.Generator, median: float, p90: float, n: int) -> np.ndarray:
    sigma = math.log(p90 / median) / Z90 if p90 > median else 0.0
    return median * np.exp(sigma * rng.standard_normal(n))


def test_border_times_follow_the_network(bundled: CompiledNetwork) -> None:
    """Entry to exit is the crossing's dwell (median, P90 of crossings.csv) plus the
    moving time on its link (lognormal with the mode's spread): compared with an
    independent Monte Carlo of that sum, per crossing with many passages."""
    frame = _frame(bundled, shipments=6000, seed=11, relations=WEST)
    passages = _hours(frame, "border_entry", "border_exit")
    net = bundled.network
    ratio = net.parameter("moving_p90_ratio_rail", 1.0)
    rng = np.random.default_rng(0)
    checked = 0
    for (entry, exit_), group in passages.groupby(["place", "next_place"]):
        (crossing,) = [
            x
            for x in net.crossings.values()
            if x.from_id == entry
            and exit_ in net.links[x.link].ends()
            and net.links[x.link].mode == "rail"
        ]
        link = net.links[crossing.link]
        if len(group) < 2000:
            continue
        hours = link.moving_hours()
        ref = _lognormal(
            rng, crossing.dwell.median_hours, crossing.dwell.p90_hours, 400_000
        ) + _lognormal(rng, hours, hours * ratio, 400_000)
        got = group["hours"].to_numpy()
        assert np.median(got) == pytest.approx(np.median(ref), rel=0.04), crossing.id
        assert np.quantile(got, 0.9) == pytest.approx(np.quantile(ref, 0.9), rel=0.06), crossing.id
        checked += 1
    assert checked >= 3


def test_gauge_changes_follow_the_network(bundled: CompiledNetwork) -> None:
    frame = _frame(bundled, shipments=4000, seed=12, relations=WEST)
    changes = _hours(frame, "gauge_change_start", "gauge_change_end")
    assert len(changes) >= 3000
    for place, group in changes.groupby("place"):
        (transfer,) = [
            t
            for t in bundled.network.transfers.values()
            if t.place == place and t.kind == "gauge_change"
        ]
        got = group["hours"].to_numpy()
        # the lognormal's own quantiles; the standard error of the median here is ~2 %
        assert np.median(got) == pytest.approx(transfer.dwell.median_hours, rel=0.06)
        assert np.quantile(got, 0.9) == pytest.approx(transfer.dwell.p90_hours, rel=0.08)


def test_departures_spread_over_the_months(bundled: CompiledNetwork) -> None:
    frame = _frame(bundled, shipments=2000, seed=2, months=4)
    dep = frame[frame["event_type"] == "departure"]
    months = pd.to_datetime(dep["timestamp"], utc=True, format="ISO8601").dt.strftime("%Y-%m")
    counts = months.value_counts()
    assert set(counts.index) == {"2026-03", "2026-04", "2026-05", "2026-06"}
    assert counts.min() > 400  # about 500 each (months of 30 and 31 days)


def test_default_relations_are_seeded(bundled: CompiledNetwork) -> None:
    a = default_relations(bundled.network, count=8, seed=1)
    assert a == default_relations(bundled.network, count=8, seed=1)
    assert len(a) == 8
    assert all(r.origin in bundled.network.places for r in a)
    assert [r.modes for r in a][3] == ("road",)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"shipments": 0}, "shipments must be at least 1"),
        ({"shipments": 5, "months": 0}, "months must be at least 1"),
        ({"shipments": 5, "missing": 1.5}, "missing must be a share between 0 and 1"),
        ({"shipments": 5, "bad_rows": -0.1}, "bad-rows must be a share"),
        ({"shipments": 5, "cost_noise": 3.0}, "cost noise must be between 0 and 2"),
        ({"shipments": 5, "chunk_shipments": 0}, "chunk_shipments must be at least 1"),
    ],
)
def test_bad_options(bundled: CompiledNetwork, options: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        simulate(bundled, **options)  # type: ignore[arg-type]


def test_no_route_for_any_relation(bundled: CompiledNetwork) -> None:
    island = (Relation("CN_XIA", "PL_MAL", ("air",)),)
    with pytest.raises(ValueError, match="no relation to simulate has a route"):
        simulate(bundled, shipments=5, relations=island)
