"""Single-criterion searches agree with scipy's Dijkstra on the same graph.

Without timetables, queues or opening windows every arc has a fixed time, cost and CO2e,
so the best route on one criterion is a shortest path. The graph for scipy is built
here independently of :mod:`silkway.compile`: each place has an arrival and a departure
node per state (mode, gauge); a link direction joins departure to arrival nodes of its
state (with its border crossing's dwell and cost); at a place, arrival joins departure
in the same state for free, or in another state through the one transfer row for that
change (a stop applies one transfer; two rows are not chained). Starting at the origin
needs no transfer, so the search starts from every departure state of the origin.
"""

from __future__ import annotations

import numpy as np
import pytest
from _kernel import price_case
from _random_networks import cases, describe
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import csgraph_from_dense, dijkstra

from silkway.compile import compile_network
from silkway.engine.search import search
from silkway.model.records import Network

TEU = 2  # 1 FEU


STATES = (("rail", 1435), ("rail", 1520), ("road", None))


def scipy_graph(net: Network, criterion: str) -> tuple[np.ndarray, dict[tuple, int]]:
    """Dense weight matrix (inf = no edge) over (arrive|depart, place, state) nodes."""
    tonnes = TEU * 10.0

    def qty(unit: str) -> float:
        return {"FEU": TEU / 2, "TEU": float(TEU), "t": tonnes, "shipment": 1.0}[unit]

    nodes = [
        (side, pid, state)
        for pid in net.places
        for state in STATES
        for side in ("arrive", "depart")
    ]
    at = {node: i for i, node in enumerate(nodes)}
    w = np.full((len(nodes), len(nodes)), np.inf)

    def relax(a: tuple, b: tuple, value: float) -> None:
        w[at[a], at[b]] = min(w[at[a], at[b]], value)  # parallel links: keep the best

    crossing = {(c.link, c.from_id): c for c in net.crossings.values()}
    for k in net.links.values():
        if k.status != "operational" or "container" not in k.cargo:
            continue
        state = (k.mode, k.gauge_mm)
        hours = k.duration_hours if k.duration_hours is not None else k.km / k.speed_kmh
        for a, b in [(k.from_id, k.to_id)] + ([(k.to_id, k.from_id)] if k.bidirectional else []):
            c = crossing.get((k.id, a))
            value = {
                "time": hours + (c.dwell.median_hours if c else 0.0),
                "cost": (k.cost_fixed_usd + k.cost_per_km_usd * k.km) * qty(k.cost_unit)
                + (c.cost_usd * qty(c.cost_unit) if c else 0.0),
                "co2": k.km
                * net.emission_factors[k.emission_factor].wtw_g_per_tkm
                * tonnes
                / 1000.0,
            }[criterion]
            relax(("depart", a, state), ("arrive", b, state), value)
    for pid in net.places:
        for state in STATES:
            relax(("arrive", pid, state), ("depart", pid, state), 0.0)
    for t in net.transfers.values():
        s1, s2 = (t.from_mode, t.from_gauge_mm), (t.to_mode, t.to_gauge_mm)
        value = {
            "time": t.dwell.median_hours,
            "cost": t.cost_usd * qty(t.cost_unit),
            "co2": t.co2e_kg_per_teu * TEU,
        }[criterion]
        relax(("arrive", t.place, s1), ("depart", t.place, s2), value)
        relax(("arrive", t.place, s2), ("depart", t.place, s1), value)
    return w, at


def scipy_best(net: Network, origin: str, destination: str, criterion: str) -> float:
    w, at = scipy_graph(net, criterion)
    graph = csgraph_from_dense(w, null_value=np.inf)
    starts = [at[("depart", origin, s)] for s in STATES]
    dist = dijkstra(graph, directed=True, indices=starts, min_only=True)
    return float(min(dist[at[("arrive", destination, s)]] for s in STATES))


def kernel_best(
    net: Network, origin: str, destination: str, criterion: str, start_hours: float
) -> float:
    compiled = compile_network(net)
    costing = price_case(compiled, origin, destination, teu=2, start_hours=start_hours)
    routes = search(
        compiled,
        costing,
        compiled.places.index(origin),
        compiled.places.index(destination),
        start_hours=start_hours,
        objectives=(criterion,),
    ).routes
    if not routes:
        return float("inf")
    # one criterion: a single best route
    assert len(routes) == 1
    return routes[0].criteria()[("time", "cost", "co2").index(criterion)]


static = {"windows": False, "services": False, "planned": False, "max_places": 8, "max_links": 14}


@settings(max_examples=150, deadline=None)
@given(cases(modes=("road",), transfers=False, **static), st.sampled_from(["time", "cost", "co2"]))
def test_one_mode_matches_dijkstra(case, criterion: str) -> None:
    expected = scipy_best(case.network, case.origin, case.destination, criterion)
    got = kernel_best(case.network, case.origin, case.destination, criterion, case.start_hours)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9), describe(case)


@settings(max_examples=150, deadline=None)
@given(
    cases(modes=("rail", "road"), uniform_transfers=True, **static),
    st.sampled_from(["time", "cost", "co2"]),
)
def test_modes_and_transfers_match_dijkstra_on_the_state_graph(case, criterion: str) -> None:
    # scipy's shortest path on the state graph may pass a place twice (out by rail, back
    # by road); the planner's routes never do. With the same transfer between every two
    # states at every place, such a loop is never shorter than changing state in place,
    # so the two optima agree (and the planner is exact on these networks).
    expected = scipy_best(case.network, case.origin, case.destination, criterion)
    got = kernel_best(case.network, case.origin, case.destination, criterion, case.start_hours)
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9), describe(case)


@pytest.mark.parametrize("seed", range(25))
def test_seeded_grid_networks_match_dijkstra(seed: int) -> None:
    """Larger random road networks from a seeded generator: 20 places, 45 links."""
    from silkway.model.records import EmissionFactor, Link, Parameter, Place, Source
    from silkway.model.validate import great_circle_km

    rng = np.random.default_rng(seed)
    places = {
        f"N{i}": Place(
            f"N{i}", f"N{i}", "KZ", 40 + rng.uniform(0, 3), 70 + rng.uniform(0, 3), "city"
        )
        for i in range(20)
    }
    ids = list(places)
    links = {}
    for j in range(45):
        a, b = rng.choice(ids, 2, replace=False)
        gc = great_circle_km(places[a].lat, places[a].lon, places[b].lat, places[b].lon)
        links[f"E{j}"] = Link(
            f"E{j}",
            str(a),
            str(b),
            "road",
            gc * rng.uniform(1.0, 1.6),
            ("container",),
            speed_kmh=rng.uniform(30, 90),
            cost_fixed_usd=rng.uniform(0, 200),
            cost_per_km_usd=rng.uniform(0.5, 2.0),
            bidirectional=bool(rng.random() < 0.8),
            emission_factor="ef",
        )
    net = Network(
        "grid",
        "0",
        "",
        "<memory>",
        {"s": Source("s", "estimate", "t")},
        {"payload_t_per_teu": Parameter("payload_t_per_teu", 10.0, "t")},
        places,
        links,
        {},
        {},
        {},
        {"ef": EmissionFactor("ef", "road", "diesel", 80.0, 65.0)},
    )
    o, d = (str(x) for x in rng.choice(ids, 2, replace=False))
    for criterion in ("time", "cost", "co2"):
        expected = scipy_best(net, o, d, criterion)
        got = kernel_best(net, o, d, criterion, start_hours=float(rng.uniform(0, 168)))
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
