"""OD, element and network deltas are exact; compare() writes the whole report; the CKU
case is explained leg by leg."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from _report_util import CKU_LINKS, assert_offline, png_size

from silkway.model.records import Dwell, Network
from silkway.reports import (
    ReportError,
    compare,
    element_deltas,
    leg_diff,
    network_changes,
    od_deltas,
)

NAN = float("nan")
COLUMNS = [
    "origin", "destination", "reachable", "time_p50_h", "time_p90_h", "time_p95_h",
    "cost_usd", "co2e_kg", "distance_km", "transshipments", "borders", "modes", "route",
]  # fmt: skip
ROAD_VIA_IRKESHTAM = "CN_KSG>KG_IRK>KG_OSH>UZ_AND>UZ_TAS"
RAIL_VIA_CKU = "CN_KSG>KG_TOR>KG_MAK>KG_JAL>UZ_AND>UZ_TAS"
DEPART = {"depart": "2026-06-01"}


def _skims(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS)


BASE = _skims(
    [
        ("CN_KSG", "UZ_TAS", True, 44.0, 62.0, 70.0, 1400.0, 1000.0, 1000.0, 1, 2, "road+rail",
         ROAD_VIA_IRKESHTAM),
        ("CN_KSG", "KG_OSH", True, 25.0, 28.0, 30.0, 970.0, 800.0, 500.0, 0, 1, "road",
         "CN_KSG>KG_IRK>KG_OSH"),
        ("CN_URC", "UZ_TAS", False, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, None, None),
        ("CN_URC", "KG_OSH", True, 5.0, 6.0, 7.0, 10.0, 1.0, 100.0, 0, 0, "road", "CN_URC>KG_OSH"),
    ]
)  # fmt: skip
OTHER = _skims(
    [
        ("CN_KSG", "UZ_TAS", True, 73.0, 135.0, 150.0, 950.0, 400.0, 900.0, 1, 2, "rail",
         RAIL_VIA_CKU),
        ("CN_KSG", "KG_OSH", False, NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN, None, None),
        ("CN_URC", "UZ_TAS", True, 60.0, 70.0, 80.0, 1700.0, 900.0, 1500.0, 0, 2, "rail",
         "CN_URC>UZ_TAS"),
        ("CN_XIA", "UZ_TAS", True, 120.0, 140.0, 150.0, 2700.0, 2000.0, 3500.0, 0, 2, "rail",
         "CN_XIA>UZ_TAS"),
    ]
)  # fmt: skip


def test_od_deltas_are_exact_and_keep_every_pair(bundled: Network) -> None:
    od = od_deltas(BASE, OTHER, networks=[bundled]).set_index(["origin", "destination"])
    assert len(od) == 5
    assert od["status"].to_dict() == {
        ("CN_KSG", "KG_OSH"): "no longer reachable",
        ("CN_KSG", "UZ_TAS"): "both",
        ("CN_URC", "KG_OSH"): "base only",
        ("CN_URC", "UZ_TAS"): "newly reachable",
        ("CN_XIA", "UZ_TAS"): "other only",
    }
    row = od.loc[("CN_KSG", "UZ_TAS")]
    expected = {
        "time_p50_h": 29.0, "time_p90_h": 73.0, "time_p95_h": 80.0, "cost_usd": -450.0,
        "co2e_kg": -600.0, "distance_km": -100.0, "transshipments": 0.0, "borders": 0.0,
    }  # fmt: skip
    for metric, delta in expected.items():
        assert row[f"{metric}_delta"] == delta, metric
    assert row["time_p50_h_pct"] == pytest.approx(100 * 29 / 44)
    assert row["cost_usd_pct"] == pytest.approx(-100 * 450 / 1400)
    assert row["origin_name"] == "Kashgar" and row["destination_name"] == "Tashkent"
    assert bool(row["route_changed"]) and row["route_other"] == RAIL_VIA_CKU
    # a pair reachable on one side only has both values but no delta
    lost = od.loc[("CN_KSG", "KG_OSH")]
    assert lost["time_p50_h_base"] == 25.0 and math.isnan(lost["time_p50_h_delta"])
    assert not od.loc[("CN_URC", "UZ_TAS"), "route_changed"]


def test_od_deltas_reject_bad_tables() -> None:
    with pytest.raises(ReportError, match="base skims has no column reachable"):
        od_deltas(BASE.drop(columns="reachable"), OTHER)
    with pytest.raises(ReportError, match="other skims has 2 rows that repeat"):
        od_deltas(BASE, pd.concat([OTHER, OTHER.head(1)]))


def test_element_deltas_count_a_missing_element_as_carrying_nothing() -> None:
    base = pd.DataFrame(
        {"kind": ["link", "crossing"], "id": ["R_A", "X_B"], "name": ["a", "b"],
         "flow_feu": [100.0, 50.0], "flow_t": [1e3, 5e2], "capacity": [1e3, 60.0],
         "v_c": [0.1, 0.83], "added_delay_h": [0.0, 5.0]}
    )  # fmt: skip
    other = pd.DataFrame(
        {"kind": ["link", "crossing", "link"], "id": ["R_A", "X_B", "R_NEW"],
         "name": ["a", "b", "new"], "flow_feu": [40.0, 45.0, 60.0], "flow_t": [4e2, 4.5e2, 6e2],
         "capacity": [1e3, 60.0, 2e3], "v_c": [0.04, 0.75, 0.03],
         "added_delay_h": [0.0, 3.0, 0.0]}
    )  # fmt: skip
    el = element_deltas(base, other).set_index(["kind", "id"])
    assert el.loc[("link", "R_A"), "flow_feu_delta"] == -60.0
    assert el.loc[("crossing", "X_B"), "v_c_delta"] == pytest.approx(-0.08)
    assert el.loc[("crossing", "X_B"), "added_delay_h_delta"] == -2.0
    new = el.loc[("link", "R_NEW")]
    assert new["status"] == "other only" and new["name"] == "new"
    assert new["flow_feu_base"] == 0.0 and new["flow_feu_delta"] == 60.0
    assert math.isnan(new["capacity_base"]) and math.isnan(new["capacity_delta"])
    with pytest.raises(ReportError, match="base element flows has no column id"):
        element_deltas(base.drop(columns="id"), other)


def test_network_changes_name_the_opened_cku_links(bundled: Network, cku_open: Network) -> None:
    changes = network_changes(bundled, cku_open)
    assert sorted(changes["id"]) == sorted(CKU_LINKS)
    assert set(changes["change"]) == {"opened"}
    assert all("status: 'planned' -> 'operational'" in f for f in changes["fields"])
    assert network_changes(bundled, bundled).empty


def test_leg_diff_explains_the_cku_case(bundled: Network, cku_open: Network) -> None:
    diff = leg_diff(bundled, cku_open, "Kashgar", "Tashkent", sort="cost", plan_options=DEPART)
    t = diff.table
    by_status = {s: set(t.loc[t["status"] == s, "link_id"]) for s in ("kept", "replaced", "new")}
    assert by_status["new"] == set(CKU_LINKS)  # the CKU legs replace ...
    assert {"D_KSG_IRK", "D_IRK_OSH"} <= by_status["replaced"]  # ... the road via Irkeshtam
    assert diff.changed and not diff.notes
    # the leg deltas add up to the change of the routes' leg sums
    for column, attr in (
        ("hours", "hours"),
        ("wait_hours", "wait_hours"),
        ("cost_usd", "cost_usd"),
    ):
        legs = sum(getattr(x, attr) for x in diff.other.legs) - sum(
            getattr(x, attr) for x in diff.base.legs
        )
        assert t[f"{column}_delta"].sum() == pytest.approx(legs)
    assert t["cost_usd_delta"].sum() == pytest.approx(diff.other.cost_usd - diff.base.cost_usd)
    text = " ".join(diff.lines(base_name="baseline", other_name="cku-open"))
    assert "Torugart" in text and "Irkeshtam" in text and "cku-open replaces" in text
    assert "Kashgar → Tashkent" in diff.headline(other_name="cku-open")


def test_compare_writes_the_report_and_explains_changed_routes(
    bundled: Network, cku_open: Network, tmp_path: Path
) -> None:
    summary = compare(
        bundled,
        cku_open,
        base_name="baseline",
        other_name="cku-open",
        skims_base=BASE,
        skims_other=OTHER,
        out_dir=tmp_path / "out",
        explain=1,
        plan_options=DEPART,
    )
    out = tmp_path / "out"
    for name in ("index.html", "od_deltas.csv", "network_changes.csv", "leg_diffs.csv"):
        assert (out / name).exists(), name
    for name in ("map_network_changes.png", "chart_time_p50_h.png", "chart_cost_usd.png"):
        assert png_size(out / name)[0] > 500, name
    assert summary.od is not None and len(summary.od) == 5
    assert pd.read_csv(out / "od_deltas.csv")["cost_usd_delta"].dropna().tolist() == [-450.0]
    # the skims' routes pick the options compared, leg by leg
    (diff,) = summary.leg_diffs
    assert diff.base.route == tuple(ROAD_VIA_IRKESHTAM.split(">"))
    assert diff.other.route == tuple(RAIL_VIA_CKU.split(">")) and not diff.notes
    legs = pd.read_csv(out / "leg_diffs.csv")
    assert set(CKU_LINKS) <= set(legs.loc[legs["status"] == "new", "link_id"])
    text = str(summary)
    assert "4 link(s) opened" in text and "Kashgar → Tashkent" in text
    assert text.endswith(f"report: {out / 'index.html'}") and len(text.splitlines()) < 15
    assert all(p.exists() for p in summary.files) and len(summary.files) >= 10
    page = (out / "index.html").read_text(encoding="utf-8")
    assert_offline(page)
    assert "R_KSG_TOR_CKU" in page and "Leg by leg" in page and "Torugart" in page


def test_compare_maps_flows_and_needs_both_sides(
    bundled: Network, cku_open: Network, tmp_path: Path
) -> None:
    flows = pd.DataFrame(
        {"kind": ["link", "crossing", "terminal"], "id": ["D_KSG_IRK", "X_R_KHG_ALT_CN_KHG", "T1"],
         "name": ["a", "b", "t"], "flow_feu": [100.0, 50.0, 1.0], "flow_t": [1.0, 1.0, 1.0],
         "capacity": [1e3, 60.0, 1.0], "v_c": [0.1, 0.83, 0.5], "added_delay_h": [0.0, 5.0, 0.0]}
    )  # fmt: skip
    other = flows.assign(flow_feu=[40.0, 45.0, 1.0], v_c=[0.04, 0.75, 0.5])
    summary = compare(
        bundled, cku_open, flows_base=flows, flows_other=other, out_dir=tmp_path, explain=0
    )
    assert summary.elements is not None and summary.od is None
    for name in ("map_flow_feu_link.png", "map_v_c_crossing.png", "element_deltas.csv"):
        assert (tmp_path / name).exists(), name
    assert any("terminal" in line for line in summary.lines)  # not drawn, and said so
    with pytest.raises(ReportError, match="both networks"):
        compare(bundled, cku_open, skims_base=BASE, out_dir=tmp_path)


def test_compare_maps_changed_border_dwell(bundled: Network, tmp_path: Path) -> None:
    halved = {
        k: replace(c, dwell=Dwell(c.dwell.median_hours / 2, c.dwell.p90_hours / 2))
        for k, c in bundled.crossings.items()
        if k.startswith("X_R_KHG_ALT")
    }
    other = replace(bundled, crossings={**bundled.crossings, **halved})
    summary = compare(bundled, other, out_dir=tmp_path, explain=0)
    assert sorted(summary.changes["id"]) == sorted(halved)
    assert set(summary.changes["change"]) == {"changed"}
    assert "map_network_changes.png" not in {p.name for p in summary.files}
    assert png_size(tmp_path / "map_crossing_dwell.png") == (1400, 900)
    assert all(p.exists() for p in summary.files)
