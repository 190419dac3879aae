"""``silkway.scenarios.runs``: grids of scenarios, sweeps of the skims and the
assignment (in process and on a local Dask cluster), and the scenario comparison."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from silkway.model.records import Network
from silkway.scenarios import ScenarioError, apply, load_scenario
from silkway.scenarios.runs import (
    RunOptions,
    changed_routes,
    compare_scenarios,
    element_totals,
    grid,
    parse_select,
    sweep,
)
from silkway.skims import matrix

DEPART = "2026-12-07"
PLACES = ("A", "C", "D", "E", "F")


def demand_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": ["A", "A", "C"],
            "destination": ["E", "D", "E"],
            "cargo_class": ["container"] * 3,
            "feu_per_year": [400.0, 300.0, 200.0],
            "tonnes_per_year": [6000.0, 4500.0, 3000.0],
            "value_usd": [math.nan] * 3,
            "source": ["test"] * 3,
        }
    )


def test_parse_select_reads_keys_and_lists() -> None:
    assert parse_select("kind=crossing, mode=rail,into=KZ|UZ") == {
        "kind": "crossing",
        "mode": "rail",
        "into": ["KZ", "UZ"],
    }


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("kind=crossing,mode", "is not key=value"),
        ("kind=crossing,mode=rail,mode=road", "given twice"),
        ("mode=rail", "needs kind="),
        ("kind=crossing,into=KZ|", "empty value"),
    ],
)
def test_parse_select_names_what_is_wrong(text: str, why: str) -> None:
    with pytest.raises(ScenarioError, match=why):
        parse_select(text)


def test_grid_scales_what_the_selector_picks(tiny_network: Network) -> None:
    runs = grid("kind=crossing,mode=rail", ["median_hours", "p90_hours"], [0.5, 2.0])
    assert [s.name for s in runs] == ["median_hours-x0_5", "median_hours-x2"]
    for scenario, factor in zip(runs, (0.5, 2.0), strict=True):
        patched = apply(tiny_network, scenario)
        for cid, crossing in tiny_network.crossings.items():
            link = tiny_network.links[crossing.link]
            want = crossing.dwell.median_hours * (factor if link.mode == "rail" else 1.0)
            assert patched.crossings[cid].dwell.median_hours == pytest.approx(want)


def test_grid_set_and_bad_input(tiny_network: Network) -> None:
    (set_to,) = grid({"kind": "crossing", "id": "xBC"}, ["median_hours"], [3.0], action="set")
    assert apply(tiny_network, set_to).crossings["xBC"].dwell.median_hours == 3.0
    with pytest.raises(ScenarioError, match="field"):
        grid("kind=crossing", [], [1.0])
    with pytest.raises(ScenarioError, match="value"):
        grid("kind=crossing", ["median_hours"], [])
    with pytest.raises(ScenarioError, match="finite"):
        grid("kind=crossing", ["median_hours"], [math.inf])
    with pytest.raises(ScenarioError):  # unknown field, checked as a file would be
        grid("kind=crossing", ["no_such_field"], [1.0])


def test_sweep_of_skims_equals_one_matrix_per_scenario(tiny_network: Network) -> None:
    runs = [load_scenario("baseline"), *grid("kind=crossing", ["median_hours", "p90_hours"], [3.0])]
    opts = RunOptions(places=PLACES, depart=DEPART, samples=50, seed=2)
    got = sweep(tiny_network, runs, model="skims", options=opts, workers=0)
    assert list(got.summary["scenario"]) == ["baseline", "median_hours-x3"]
    for s in runs:
        direct = matrix(
            apply(tiny_network, s), PLACES, depart=DEPART, samples=50, seed=2, workers=0
        )
        mine = got.table[got.table["scenario"] == s.name].drop(columns="scenario")
        pd.testing.assert_frame_equal(mine.reset_index(drop=True), direct, check_like=False)
    # the means are over the pairs reachable in every scenario
    common = got.table.groupby(["origin", "destination"])["reachable"].transform("all")
    for row in got.summary.itertuples():
        part = got.table[(got.table["scenario"] == row.scenario) & common]
        assert row.mean_time_p50_h == pytest.approx(part["time_p50_h"].mean())
        assert row.common_pairs == len(part)
    slower = got.summary.set_index("scenario")["mean_time_p50_h"]
    assert slower["median_hours-x3"] > slower["baseline"]


def test_sweep_rejects_repeated_names_and_nothing(tiny_network: Network) -> None:
    with pytest.raises(ScenarioError, match="repeat"):
        sweep(tiny_network, [load_scenario("baseline")] * 2, workers=0)
    with pytest.raises(ScenarioError, match="at least one"):
        sweep(tiny_network, [], workers=0)


def test_sweep_of_the_assignment(tiny_network: Network) -> None:
    runs = [load_scenario("baseline"), *grid("kind=crossing", ["median_hours", "p90_hours"], [4.0])]
    opts = RunOptions(depart=DEPART, demand=demand_frame())
    got = sweep(tiny_network, runs, model="assign", options=opts, workers=0)
    summary = got.summary.set_index("scenario")
    assert summary["converged"].all()
    assert (summary["demand_feu"] == 900.0).all()
    assert summary.loc["median_hours-x4", "feu_hours"] > summary.loc["baseline", "feu_hours"]
    assert set(got.table["scenario"]) == set(summary.index)


def test_sweep_on_a_local_cluster_equals_in_process(tiny_network: Network) -> None:
    runs = [
        load_scenario("baseline"),
        *grid("kind=crossing", ["median_hours", "p90_hours"], [0.5, 2.0]),
    ]
    opts = RunOptions(places=PLACES, depart=DEPART, samples=40, seed=5)
    here = sweep(tiny_network, runs, options=opts, workers=0)
    there = sweep(tiny_network, runs, options=opts, workers=2)
    pd.testing.assert_frame_equal(here.table, there.table)
    pd.testing.assert_frame_equal(here.summary, there.summary)


def test_element_totals_join_the_two_directions() -> None:
    flows = pd.DataFrame(
        {
            "kind": ["link", "link", "crossing"],
            "id": ["L", "L", "X"],
            "direction": ["forward", "backward", "forward"],
            "name": ["l", "l", "x"],
            "flow_feu": [10.0, 5.0, 7.0],
            "flow_t": [100.0, 50.0, 70.0],
            "capacity": [20.0, 20.0, math.nan],
            "v_c": [0.5, 0.25, math.nan],
            "added_delay_h": [1.0, 0.2, 0.0],
        }
    )
    got = element_totals(flows).set_index(["kind", "id"])
    assert got.loc[("link", "L"), "flow_feu"] == 15.0
    assert got.loc[("link", "L"), "v_c"] == 0.5 and got.loc[("link", "L"), "added_delay_h"] == 1.0
    assert len(got) == 2


def test_changed_routes_ranks_by_weighted_generalised_cost() -> None:
    def od(routes: list[str], costs: list[float]) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "origin": ["A", "A", "C"],
                "destination": ["E", "D", "E"],
                "cargo_class": ["container"] * 3,
                "top_route_places": routes,
                "generalised_cost_usd": costs,
                "demand_feu": [1.0, 100.0, 5.0],
            }
        )

    base = od(["A>B>E", "A>D", "C>E"], [100.0, 100.0, 100.0])
    other = od(["A>F>E", "A>F>D", "C>E"], [90.0, 99.0, 50.0])
    # A-D changes 1 USD on 100 FEU (100), A-E 10 USD on 1 FEU (10); C-E keeps its route
    assert changed_routes(base, other, top=5) == [
        ("A", "D", "A>D", "A>F>D"),
        ("A", "E", "A>B>E", "A>F>E"),
    ]
    assert changed_routes(base, other, top=1) == [("A", "D", "A>D", "A>F>D")]


def test_compare_scenarios_writes_the_report(tiny_network: Network, tmp_path: Path) -> None:
    slow = grid("kind=crossing", ["median_hours", "p90_hours"], [5.0])
    opts = RunOptions(depart=DEPART, samples=30, demand=demand_frame())
    summary = compare_scenarios(
        tiny_network,
        [load_scenario("baseline")],
        slow,
        out_dir=tmp_path / "cmp",
        options=opts,
        workers=0,
    )
    index = tmp_path / "cmp" / "index.html"
    assert summary.index == index and index.exists()
    html = index.read_text(encoding="utf-8")
    assert "median_hours-x5 against baseline" in html
    assert "http://" not in html and "https://" not in html
    # the skims cover the demand's places, and slower borders raise the times
    od = summary.od
    assert od is not None
    assert set(od["origin"]) | set(od["destination"]) == {"A", "C", "D", "E"}
    assert (od["time_p50_h_delta"].dropna() >= -1e-9).all()
    assert od["time_p50_h_delta"].max() > 0
    assert summary.elements is not None and not summary.elements.empty
