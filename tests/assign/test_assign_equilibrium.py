"""The assignment against equilibria solved independently: two parallel rail lines with
BPR links (scipy's brentq on the logit fixed point), a capacity-free network (plain
logit shares), conservation of flow, and random small instances (hypothesis)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.special import expit

import silkway
from silkway import AssignmentError
from silkway.assign import AssignmentWarning, assign, load_config
from silkway.assign.kernels import grouped_logit, queue_wait
from silkway.compile import CompiledNetwork, compile_network

PARALLEL = Path(__file__).parent / "data" / "parallel"
DEPART = "2026-06-01"
VALUE = 400_000.0
"""Cargo value per FEU in the demand rows: a value of time of 100 USD per FEU-hour."""


@pytest.fixture(scope="module")
def parallel() -> CompiledNetwork:
    return compile_network(silkway.load_network(PARALLEL))


def demand(feu: float, *, value: float = VALUE, origin: str = "A", dest: str = "B") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "origin": [origin],
            "destination": [dest],
            "cargo_class": ["container"],
            "feu_per_year": [feu],
            "tonnes_per_year": [feu * 20.0],
            "value_usd": [value * feu],
            "source": ["test"],
        }
    )


def free_flow(net: CompiledNetwork) -> dict[str, tuple[float, float]]:
    """Link id -> (cost USD, hours) of its one-leg route, from the planner."""
    result = silkway.plan(net, "A", "B", all_options=True, uncertainty=False, depart=DEPART)
    return {o.legs[0].link_id: (o.cost_usd, o.hours_p50) for o in result.options}


def bpr_config(alpha: float, beta: float, dispersion: float) -> dict[str, Any]:
    return {
        "delay": {"bpr": {"alpha": {"value": alpha}, "beta": {"value": beta}}},
        "logit": {"dispersion": {"value": dispersion}},
        "solver": {"column_generation_rounds": 0},
    }


def analytic_fast_share(
    routes: dict[str, tuple[float, float]],
    caps: dict[str, float],
    feu: float,
    vot: float,
    alpha: float,
    beta: float,
    dispersion: float,
) -> float:
    """The share of FAST at the logit fixed point, solved with brentq."""
    (c1, h1), (c2, h2) = routes["FAST"], routes["SLOW"]
    theta = dispersion / min(c1 + vot * h1, c2 + vot * h2)

    def gc(cost: float, hours: float, flow: float, cap: float) -> float:
        return float(cost + vot * hours * (1.0 + alpha * (flow / cap) ** beta))

    def excess(p: float) -> float:
        d = gc(c1, h1, p * feu, caps["FAST"]) - gc(c2, h2, (1 - p) * feu, caps["SLOW"])
        return p - 1.0 / (1.0 + math.exp(theta * d))

    return float(brentq(excess, 0.0, 1.0, xtol=1e-14))


def link_flow(result: Any, link: str) -> float:
    f = result.flows
    return float(f.loc[(f["kind"] == "link") & (f["id"] == link), "flow_feu"].sum())


def test_two_parallel_bpr_routes_match_the_analytic_equilibrium(parallel: CompiledNetwork) -> None:
    alpha, beta, dispersion, feu = 1.0, 4.0, 10.0, 15_000.0
    result = assign(
        parallel,
        demand(feu),
        config=load_config(bpr_config(alpha, beta, dispersion)),
        tolerance=1e-9,
        max_iterations=2000,
    )
    assert result.converged
    assert result.gap <= 1e-9
    vot = VALUE * 0.006 / 24.0
    caps = {"FAST": 20_000 / 2.0, "SLOW": 16_000 / 2.0}
    p = analytic_fast_share(free_flow(parallel), caps, feu, vot, alpha, beta, dispersion)
    assert 0.05 < p < 0.95  # congestion matters: the instance is not trivial
    assert link_flow(result, "FAST") == pytest.approx(p * feu, rel=1e-4)
    assert link_flow(result, "SLOW") == pytest.approx((1 - p) * feu, rel=1e-4)
    # the reported delay is the BPR delay at the equilibrium flow
    f = result.flows.set_index("id")
    hours = free_flow(parallel)["FAST"][1]
    assert f.loc["FAST", "added_delay_h"] == pytest.approx(
        hours * alpha * (p * feu / caps["FAST"]) ** beta, rel=1e-3
    )


def test_default_tolerance_gives_flows_within_1e4(parallel: CompiledNetwork) -> None:
    alpha, beta, dispersion, feu = 0.15, 4.0, 10.0, 18_000.0
    result = assign(parallel, demand(feu), config=load_config(bpr_config(alpha, beta, dispersion)))
    assert result.converged and result.gap <= 1e-4
    caps = {"FAST": 10_000.0, "SLOW": 8_000.0}
    p = analytic_fast_share(
        free_flow(parallel), caps, feu, VALUE * 0.006 / 24, alpha, beta, dispersion
    )
    assert link_flow(result, "FAST") / feu == pytest.approx(p, abs=1e-4)
    assert list(result.iterations["iteration"]) == list(range(1, len(result.iterations) + 1))


def test_capacity_free_network_gives_plain_logit_shares(parallel: CompiledNetwork) -> None:
    cfg = bpr_config(0.15, 4.0, 7.0)
    cfg["delay"]["functions"] = {"link": "none"}
    result = assign(parallel, demand(50_000.0), config=load_config(cfg))
    assert result.converged and len(result.iterations) == 1
    routes = free_flow(parallel)
    vot = VALUE * 0.006 / 24
    gc = np.array([c + vot * h for c, h in routes.values()])
    expected = np.exp(-7.0 * gc / gc.min()) / np.exp(-7.0 * gc / gc.min()).sum()
    by_link = {lid: link_flow(result, lid) / 50_000.0 for lid in routes}
    assert [by_link[k] for k in routes] == pytest.approx(list(expected), abs=1e-12)
    assert result.flows["added_delay_h"].abs().max() == 0.0


def test_flows_are_conserved(parallel: CompiledNetwork) -> None:
    d = pd.concat([demand(9_000.0), demand(3_000.0, origin="B", dest="A"), demand(1_000.0)])
    result = assign(parallel, d, config=load_config(bpr_config(0.5, 4.0, 10.0)))
    assert result.converged
    od = {
        (str(o), str(dd)): float(v)
        for o, dd, v in zip(
            result.od["origin"], result.od["destination"], result.od["demand_feu"], strict=True
        )
    }
    assert od[("A", "B")] == 10_000.0  # rows of one OD pair add up
    for key, group in result.routes.groupby(["origin", "destination"]):
        assert group["share"].sum() == pytest.approx(1.0, abs=1e-12)
        assert group["flow_feu"].sum() == pytest.approx(od[(str(key[0]), str(key[1]))], rel=1e-12)
    links = result.flows[result.flows["kind"] == "link"]
    assert links["flow_feu"].sum() == pytest.approx(13_000.0, rel=1e-12)
    backward = links[links["direction"] == "backward"]["flow_feu"].sum()
    assert backward == pytest.approx(3_000.0, rel=1e-12)


def test_not_converged_says_so(parallel: CompiledNetwork) -> None:
    with pytest.warns(AssignmentWarning, match="did not converge"):
        result = assign(
            parallel,
            demand(30_000.0),
            config=load_config(bpr_config(3.0, 6.0, 30.0)),
            max_iterations=3,
            tolerance=1e-12,
        )
    assert not result.converged
    assert result.summary["converged"] is False
    assert len(result.iterations) == 3


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    feu=st.floats(100.0, 40_000.0),
    alpha=st.floats(0.0, 2.0),
    beta=st.floats(1.0, 6.0),
    dispersion=st.floats(0.5, 40.0),
    value=st.floats(1_000.0, 1_000_000.0),
    cap_fast=st.floats(1_000.0, 50_000.0),
)
def test_converged_runs_meet_the_tolerance(
    parallel: CompiledNetwork,
    feu: float,
    alpha: float,
    beta: float,
    dispersion: float,
    value: float,
    cap_fast: float,
) -> None:
    cfg = bpr_config(alpha, beta, dispersion)
    cfg["capacities"] = {
        "link": {
            "FAST": {"value": cap_fast, "unit": "TEU/year", "source": "t_est", "kind": "estimate"}
        }
    }
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AssignmentWarning)
        result = assign(
            parallel, demand(feu, value=value), config=load_config(cfg), max_iterations=300
        )
    if result.converged:
        assert result.gap <= 1e-4
        assert result.iterations["gap"].iloc[-1] <= 1e-4
    assert result.routes["share"].sum() == pytest.approx(1.0, abs=1e-9)


def test_queue_wait_is_mm1_then_linear() -> None:
    rho = np.array([0.0, 0.5, 0.9, 0.95, 1.0, 2.0, np.nan])
    w = queue_wait(rho, np.full(7, 2.0), rho_max=0.95)
    assert w[:4] == pytest.approx([0.0, 2.0, 18.0, 38.0])
    slope = 2.0 / 0.05**2
    assert w[4] == pytest.approx(38.0 + slope * 0.05)
    assert w[5] == pytest.approx(38.0 + slope * 1.05)
    assert w[6] == 0.0


def test_grouped_logit_sums_to_one_per_group() -> None:
    u = np.array([-1.0, -2.0, -1000.0, 5.0, 5.0])
    g = np.array([0, 0, 0, 1, 1])
    s = grouped_logit(u, g, 2)
    assert s[:3].sum() == pytest.approx(1.0) and s[3:] == pytest.approx([0.5, 0.5])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("feu_per_year", -5.0, "row 1: feu_per_year must be a number at least 0"),
        ("feu_per_year", "lots", "row 1: feu_per_year must be a number"),
        ("origin", "NOWHERE", "row 1: unknown place 'NOWHERE'"),
        ("cargo_class", "gold", "row 1: unknown cargo class 'gold'"),
    ],
)
def test_bad_demand_names_the_row(
    parallel: CompiledNetwork, column: str, value: float | str, message: str
) -> None:
    d = demand(100.0).astype(object)
    d[column] = [value]
    with pytest.raises(AssignmentError, match=message):
        assign(parallel, d)


def test_bad_config_names_the_key() -> None:
    with pytest.raises(AssignmentError, match=r"logit\.dispersion must be above 0"):
        load_config({"logit": {"dispersion": {"value": 0}}})
    with pytest.raises(AssignmentError, match="unit 'boats' is not one of"):
        load_config(
            {
                "capacities": {
                    "link": {"X": {"value": 1, "unit": "boats", "source": "s", "kind": "estimate"}}
                }
            }
        )


def test_path_size_halves_identical_routes_and_leaves_distinct_ones() -> None:
    from silkway.assign.kernels import log_path_size

    group = np.array([0, 0, 0, 1])
    # routes 0 and 1 share link 5 (4 h) and differ on links 6 / 7 (1 h each); route 2 is
    # alone on link 8; route 3 (another group) also uses link 5
    entry_route = np.array([0, 0, 1, 1, 2, 3])
    entry_element = np.array([5, 6, 5, 7, 8, 5])
    entry_hours = np.array([4.0, 1.0, 4.0, 1.0, 3.0, 4.0])
    ps = np.exp(log_path_size(group, entry_route, entry_element, entry_hours))
    assert ps == pytest.approx([0.8 / 2 + 0.2, 0.8 / 2 + 0.2, 1.0, 1.0])


def bordered(tmp: Path) -> CompiledNetwork:
    """The parallel lines with B across a border: each line's crossing takes its link's
    capacity and a queueing delay; trains of 54 FEU."""
    import shutil

    folder = tmp / "bordered"
    shutil.copytree(PARALLEL, folder)
    places = (folder / "places.csv").read_text(encoding="utf-8")
    (folder / "places.csv").write_text(places.replace("B,Bravo,,,,,CN", "B,Bravo,,,,,KZ"))
    with (folder / "parameters.csv").open("a", encoding="utf-8") as fh:
        fh.write("vehicle_teu_rail,108,TEU,*=t_src\n")
    (folder / "crossings.csv").write_text(
        "id,link,from,name,median_hours,p90_hours,cost_usd,cost_unit,open_days,open_hours,"
        "regimes,sources\n"
        "xF,FAST,A,Fast border,2,2,0,shipment,Mon-Sun,,SMGS,*=t_src\n"
        "xS,SLOW,A,Slow border,2,2,0,shipment,Mon-Sun,,SMGS,*=t_src\n"
        "xFb,FAST,B,Fast border back,2,2,0,shipment,Mon-Sun,,SMGS,*=t_src\n"
        "xSb,SLOW,B,Slow border back,2,2,0,shipment,Mon-Sun,,SMGS,*=t_src\n",
        encoding="utf-8",
    )
    return compile_network(silkway.load_network(folder))


def test_border_queues_match_the_analytic_equilibrium(tmp_path: Path) -> None:
    net = bordered(tmp_path)
    result_plan = silkway.plan(net, "A", "B", all_options=True, uncertainty=False, depart=DEPART)
    routes = {o.legs[0].link_id: (o.cost_usd, o.hours_p50) for o in result_plan.options}
    cfg = bpr_config(0.15, 4.0, 10.0)
    cfg["delay"]["functions"] = {"link": "none", "crossing": "queue"}
    feu, vot, rho_max = 17_000.0, VALUE * 0.006 / 24.0, 0.95
    result = assign(net, demand(feu), config=load_config(cfg), tolerance=1e-10,
                    max_iterations=3000)  # fmt: skip
    assert result.converged
    caps = {"FAST": 10_000.0, "SLOW": 8_000.0}

    def wait(flow: float, cap: float) -> float:
        return float(queue_wait(np.array([flow / cap]), np.array([8760.0 * 54 / cap]),
                                rho_max=rho_max)[0])  # fmt: skip

    (c1, h1), (c2, h2) = routes["FAST"], routes["SLOW"]
    theta = 10.0 / min(c1 + vot * h1, c2 + vot * h2)

    def excess(p: float) -> float:
        d = c1 + vot * (h1 + wait(p * feu, caps["FAST"])) - c2
        d -= vot * (h2 + wait((1 - p) * feu, caps["SLOW"]))
        return p - float(expit(-theta * d))

    p = float(brentq(excess, 0.0, 1.0, xtol=1e-14))
    f = result.flows.set_index("id")
    assert f.loc["xF", "flow_feu"] == pytest.approx(p * feu, rel=1e-4)
    assert f.loc["xS", "flow_feu"] == pytest.approx((1 - p) * feu, rel=1e-4)
    assert f.loc["xF", "added_delay_h"] == pytest.approx(wait(p * feu, caps["FAST"]), rel=1e-3)
    assert f.loc["xF", "note"] == "capacity of link FAST"


def test_column_generation_finds_a_route_congestion_makes_worthwhile(tmp_path: Path) -> None:
    """A third line that free flow dominates (slower and dearer than FAST) joins the
    choice set once FAST is congested, and takes a share."""
    import shutil

    folder = tmp_path / "three"
    shutil.copytree(PARALLEL, folder)
    with (folder / "links.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "ALT,A,B,rail,1435,true,electric,205,45,,0,0.62,FEU,,,container;dry_bulk,"
            "operational,,true,ef_rail,,*=t_src\n"
        )
    net = compile_network(silkway.load_network(folder))
    free = silkway.plan(net, "A", "B", all_options=True, uncertainty=False, depart=DEPART)
    assert {o.legs[0].link_id for o in free.options} == {"FAST", "SLOW"}
    cfg = bpr_config(2.0, 4.0, 10.0)
    cfg["solver"] = {"column_generation_rounds": 2, "column_generation_every": 5}
    result = assign(net, demand(30_000.0), config=load_config(cfg), max_iterations=2000)
    assert result.converged
    routes = result.routes
    found = routes[routes["found_in_round"] > 0]
    assert len(found) == 1
    assert link_flow(result, "ALT") > 0.01 * 30_000.0
    assert routes["flow_feu"].sum() == pytest.approx(30_000.0)
    assert result.iterations["new_routes"].sum() == 1
