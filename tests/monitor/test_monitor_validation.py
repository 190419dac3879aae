"""Validation metrics against hand-computed values, the lognormal band against the normal
quantile, the OD comparison against the planner itself, and the offline report."""

from __future__ import annotations

import math
import re
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import silkway
from silkway.compile import compile_network
from silkway.model.records import Dwell, Network
from silkway.monitor.validation import (
    METRIC_COLUMNS,
    OD_KEYS,
    Validation,
    band,
    crossing_table,
    metrics,
    od_table,
    write_validation,
)

Z90 = NormalDist().inv_cdf(0.9)


def test_metrics_by_hand() -> None:
    # observed 10, 20, 30, 40 against P50 20 and band 12-35:
    # errors 10, 0, -10, -20: bias -5 h, -20 / 100 = -20 %; WAPE 40 / 100 = 40 %;
    # inside the band: 20 and 30 -> 0.5
    got = metrics([10, 20, 30, 40], [20] * 4, [12] * 4, [35] * 4)
    assert got["n"] == 4
    assert got["bias_hours"] == pytest.approx(-5.0)
    assert got["bias_pct"] == pytest.approx(-20.0)
    assert got["wape_pct"] == pytest.approx(40.0)
    assert got["in_band_share"] == pytest.approx(0.5)
    assert got["observed_median"] == pytest.approx(25.0)
    # band ends count as inside
    assert metrics([12, 35], [20, 20], [12, 12], [35, 35])["in_band_share"] == 1.0
    empty = metrics([], [], [], [])
    assert empty["n"] == 0 and all(math.isnan(empty[c]) for c in METRIC_COLUMNS if c != "n")


@given(st.floats(0.1, 500.0), st.floats(1.0, 8.0))
def test_band_is_the_lognormal_p10_p90(median: float, ratio: float) -> None:
    p10, p90 = band(Dwell(median, median * ratio))
    sigma = math.log(ratio) / Z90
    expected = median * math.exp(sigma * NormalDist().inv_cdf(0.1))
    assert p10 == pytest.approx(expected, rel=1e-9)
    assert p90 == median * ratio


def test_crossing_table_by_hand(tiny_network: Network) -> None:
    # xBC: median 10, P90 30, so P10 = 100 / 30 = 3.33 h
    obs = pd.DataFrame(
        {
            "kind": ["crossing"] * 3 + ["service"],
            "item_id": ["xBC", "xBC", "xBC", "ferry_DE"],
            "started_at": pd.Timestamp("2026-03-01", tz="UTC"),
            "hours": [2.0, 10.0, 24.0, 48.0],
        }
    )
    table = crossing_table(tiny_network, obs).set_index("id")
    row = table.loc["xBC"]
    assert row["predicted_p50"] == 10.0 and row["predicted_p10"] == pytest.approx(10 / 3)
    assert row["bias_hours"] == pytest.approx((8 + 0 - 14) / 3)
    assert row["wape_pct"] == pytest.approx(100 * 22 / 36)
    assert row["in_band_share"] == pytest.approx(2 / 3)
    assert table.loc["ferry_DE", "bias_hours"] == 0.0
    pooled = table[table["kind"] == "all"].iloc[0]
    assert pooled["n"] == 4
    assert pooled["wape_pct"] == pytest.approx(100 * 22 / 84)


@pytest.fixture(scope="module")
def tiny_compiled(tiny_path: Path) -> silkway.CompiledNetwork:
    return compile_network(silkway.load_network(tiny_path))


def test_od_rows_use_the_planner_once_per_relation_and_month(
    tiny_compiled: silkway.CompiledNetwork,
) -> None:
    trips = pd.DataFrame(
        {
            "shipment_id": ["a", "b", "c", "d"],
            "origin": ["A", "A", "A", "C"],
            "destination": ["C", "C", "C", "A"],
            "departed_at": pd.to_datetime(
                ["2026-03-03", "2026-03-20", "2026-04-02", "2026-03-05"], utc=True
            ),
            "hours": [30.0, 40.0, 20.0, 25.0],
            "borders": [("B",), ("nowhere",), (), ("C",)],
        }
    )
    od, per = od_table(tiny_compiled, trips, samples=200)
    assert set(od["month"]) == {"2026-03", "2026-04", ""}
    march = silkway.plan(
        tiny_compiled, "A", "C", depart="2026-03-15", samples=200, seed=0, train="block"
    )
    ranks = {o.rank: o for o in march.options}
    for sid in ("a", "b"):
        row = per[per["shipment_id"] == sid].iloc[0]
        option = ranks[int(row["option_rank"])]
        assert row["predicted_p50"] == option.hours_p50
        assert row["predicted_p10"] == option.hours_p10
        assert row["predicted_p10"] <= row["predicted_p50"] <= row["predicted_p90"]
    matched = dict(zip(per["shipment_id"], per["route_matched"], strict=True))
    assert matched["a"] and not matched["b"]  # no option enters a border at "nowhere"
    assert per[per["shipment_id"] == "b"].iloc[0]["option_rank"] == march.options[0].rank
    # each row's metrics are those of its shipments (relation, month and option)
    for _, row in od[od["origin"] != "all"].iterrows():
        mine = per[
            (per["origin"] == row["origin"])
            & (per["destination"] == row["destination"])
            & (per["month"] == row["month"])
            & (per["option_rank"] == row["option_rank"])
        ]
        expected = metrics(
            *(
                mine[c].to_numpy()
                for c in ("observed_hours", "predicted_p50", "predicted_p10", "predicted_p90")
            )
        )
        for key, value in expected.items():
            assert row[key] == pytest.approx(value)
        if (row["origin"], row["month"]) == ("A", "2026-03"):
            assert row["route"] == " > ".join(ranks[int(row["option_rank"])].route)
    assert od.iloc[-1]["n"] == 4


def test_a_relation_not_planned_keeps_its_row(tiny_compiled: silkway.CompiledNetwork) -> None:
    trips = pd.DataFrame(
        {
            "shipment_id": ["x"],
            "origin": ["A"],
            "destination": ["A"],
            "departed_at": pd.to_datetime(["2026-03-03"], utc=True),
            "hours": [3.0],
            "borders": [()],
        }
    )
    od, per = od_table(tiny_compiled, trips, samples=50)
    assert per.empty
    assert (
        od.iloc[0]["note"].startswith("not planned: origin and destination are the same")
        and od.iloc[0]["n"] == 0
    )


def test_report_is_offline_with_a_plot(tiny_network: Network, tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    obs = pd.DataFrame(
        {
            "kind": "crossing",
            "item_id": ["xBC"] * 50 + ["xCB"] * 50,
            "started_at": pd.Timestamp("2026-03-01", tz="UTC"),
            "hours": rng.lognormal(2.0, 0.6, 100),
        }
    )
    od = pd.DataFrame(columns=[*OD_KEYS, "matched", "note", *METRIC_COLUMNS])
    page = write_validation(
        Validation(crossing_table(tiny_network, obs), od, pd.DataFrame()), tmp_path
    )
    text = page.read_text(encoding="utf-8")
    assert "data:image/png;base64," in text
    assert not re.search(r"(src|href)=\"https?://", text)
    assert (tmp_path / "calibration.png").stat().st_size > 1000
    assert pd.read_csv(tmp_path / "crossings.csv")["id"].fillna("").tolist() == ["xBC", "xCB", ""]
