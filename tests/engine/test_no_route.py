"""No route: said fast, and said right.

* On the bundled network, a destination no query can reach is reported in milliseconds
  (the reachability check runs before the label search), with a message that names
  what blocks it: planned links for the CKU station Makmal, the cargo class for the
  oil pipeline from Atasu.
* A message that says "not connected" is true: no relaxation of the query opens a route;
  and a relaxation it names does open one (property test on random networks).
* Two constraints that block together are both named.
* Reachability is a necessary condition of the kernel (it never finds a route the
  0-1 BFS says is impossible or needs more transshipments), and the Dijkstra of the
  lower bounds equals scipy's (differential).
* A tiny time limit stops the search honestly.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace

import numpy as np
import pytest
from _random_networks import cases, describe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import csgraph_from_dense, dijkstra

import silkway
import silkway.engine.planner  # imported here, not inside the timed calls
from silkway import NoRouteError
from silkway.compile import compile_network
from silkway.engine.cargo import Cargo
from silkway.engine.pricing import allowed, price
from silkway.engine.query import make_query
from silkway.engine.reach import dijkstra_to, lower_bounds, min_transshipments, via_bottleneck
from silkway.engine.search import search
from silkway.model.records import CARGO_CLASSES

DEPART = "2026-12-07"
FRAME = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)  # a Monday 00:00 UTC
FAST_S = 0.2


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


@pytest.fixture(scope="module")
def tiny(tiny_network):
    return compile_network(tiny_network)


def no_route(net, origin: str, destination: str, **kw) -> tuple[str, float]:
    """The NoRouteError message of a query and the seconds it took to say it."""
    kw.setdefault("depart", DEPART)
    t0 = time.perf_counter()
    with pytest.raises(NoRouteError) as info:
        silkway.plan(net, origin, destination, **kw)
    return str(info.value), time.perf_counter() - t0


# --------------------------------------------------------------------------- bundled


def test_makmal_needs_planned_links_and_says_so_fast(net) -> None:
    msg, seconds = no_route(net, "Xi'an", "Makmal")
    assert seconds < FAST_S, seconds
    assert "planned" in msg
    assert "not connected" not in msg
    assert isinstance(NoRouteError(msg), ValueError)


def test_atasu_is_reported_fast_and_truthfully(net) -> None:
    """Atasu is the start of the one-way Kazakhstan-China oil pipeline to Alashankou.

    Nothing at all leads *into* Atasu (the pipeline runs away from it, and no other
    link ends there), so from Almaty "not connected" is the true answer; from Atasu
    to Alashankou only liquid bulk goes, and the message must say so.
    """
    network = net.network
    into_atasu = [
        k.id
        for k in network.links.values()
        if k.to_id == "KZ_ATS" or (k.bidirectional and k.from_id == "KZ_ATS")
    ]
    assert into_atasu == []
    msg, seconds = no_route(net, "Almaty", "Atasu")
    assert seconds < FAST_S, seconds
    assert "not connected" in msg

    out_of_atasu = [k for k in network.links.values() if k.from_id == "KZ_ATS"]
    assert {k.mode for k in out_of_atasu} == {"pipeline"}
    assert {c for k in out_of_atasu for c in k.cargo} == {"liquid_bulk"}
    msg, seconds = no_route(net, "Atasu", "Alashankou")
    assert seconds < FAST_S, seconds
    assert "liquid_bulk" in msg
    assert "not connected" not in msg
    # and the relaxation it names works
    r = silkway.plan(net, "Atasu", "Alashankou", depart=DEPART, cargo="100t:liquid_bulk")
    assert r.options and all(o.modes == ("pipeline",) for o in r.options)


@pytest.mark.parametrize("kw", [{"include_planned": True}, {"as_of": 2031}])
def test_makmal_is_reached_over_planned_links(net, kw: dict) -> None:
    planned = {k.id for k in net.network.links.values() if k.status == "planned"}
    assert planned  # the CKU railway
    r = silkway.plan(net, "Xi'an", "Makmal", depart=DEPART, uncertainty=False, **kw)
    assert r.options
    for o in r.options:
        used = [leg.link_id for leg in o.legs]
        assert o.route[-1] == "KG_MAK"
        assert o.planned_links, o.route
        assert set(o.planned_links) == {k for k in used if k in planned}
        assert list(o.planned_links) == list(dict.fromkeys(k for k in used if k in planned))


def test_as_of_before_the_opening_year_keeps_makmal_closed(net) -> None:
    # the year the planned links into Makmal open (other planned links open earlier)
    years = {
        k.open_year
        for k in net.network.links.values()
        if k.status == "planned" and "KG_MAK" in k.ends()
    }
    first = min(y for y in years if y)
    msg, _ = no_route(net, "Xi'an", "Makmal", as_of=first - 1)
    assert "planned" in msg
    assert silkway.plan(net, "Xi'an", "Makmal", depart=DEPART, as_of=first, uncertainty=False)


# --------------------------------------------------------------------------- two constraints


def test_two_constraints_that_block_only_together_are_both_named(tiny) -> None:
    """Tiny: A to C by rail through B, or by road through F.

    Avoiding B alone leaves the road, avoiding F alone the rail; avoiding both blocks,
    and lifting either one is enough.
    """
    kw = {"depart": DEPART, "uncertainty": False}
    assert silkway.plan(tiny, "A", "C", avoid_places=["B"], **kw).options
    assert silkway.plan(tiny, "A", "C", avoid_places=["F"], **kw).options
    msg, _ = no_route(tiny, "A", "C", avoid_places=["B", "F"])
    assert "not avoiding Bravo" in msg and "not avoiding Foxtrot" in msg
    assert "only when" not in msg  # either one alone is enough


def test_two_constraints_that_must_both_be_lifted_are_named_together(tiny) -> None:
    """Tiny, 20 t of dry bulk from A to D: road carries containers only, so the only
    way is rail A-B-C-D, with a gauge change at C (one transshipment).

    Avoiding B blocks it, and so does ``max_transshipments=0``; lifting either alone is
    not enough, lifting both is.
    """
    kw = {"depart": DEPART, "uncertainty": False, "cargo": "20t:dry_bulk"}
    for alone in ({"avoid_places": ["B"]}, {"max_transshipments": 0}):
        with pytest.raises(NoRouteError):
            silkway.plan(tiny, "A", "D", **alone, **kw)
    (o,) = silkway.plan(tiny, "A", "D", **kw).options
    assert [leg.link_id for leg in o.legs] == ["AB", "BC", "CD"]
    assert o.transshipments == 1
    msg, _ = no_route(tiny, "A", "D", avoid_places=["B"], max_transshipments=0, **kw)
    assert "only when not avoiding Bravo (B) and lifting the transshipment limit" in msg


# --------------------------------------------------------------------------- property


def _query(network, case, **kw):
    return make_query(
        network,
        case.origin,
        case.destination,
        cargo=Cargo(case.teu, "TEU", "container"),
        depart=FRAME + dt.timedelta(hours=case.start_hours),
        **kw,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(max_places=5, max_links=8))
def test_reachability_is_necessary_for_the_kernel(case) -> None:
    network = compile_network(case.network)
    query = _query(network, case)
    costing = price(network, query)
    o, d = network.places.index(case.origin), network.places.index(case.destination)
    kmin = min_transshipments(network, allowed(network, query), o, d)
    for exact in (False, True):
        found = search(network, costing, o, d, start_hours=query.start_hours, exact=exact)
        if found.routes:
            assert kmin is not None, describe(case)
            assert kmin <= min(r.transshipments for r in found.routes), describe(case)
    if kmin is None:
        # and the planner says so without searching
        with pytest.raises(NoRouteError):
            silkway.plan(network, case.origin, case.destination, depart=query.depart)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(max_places=6, max_links=9))
def test_dijkstra_equals_scipy(case) -> None:
    network = compile_network(case.network)
    query = _query(network, case)
    costing = price(network, query)
    d = network.places.index(case.destination)
    n = len(network.places)
    cross = network.arc_crossing
    has = cross >= 0
    hours = network.arc_hours.copy()
    hours[has] += costing.crossing_hours[cross[has]]
    cost = costing.arc_cost_usd.copy()
    cost[has] += costing.crossing_cost_usd[cross[has]]
    bounds = lower_bounds(network, costing, d)
    for w, bound in ((hours, bounds.time), (cost, bounds.cost), (costing.arc_co2_kg, bounds.co2)):
        weights = np.where(costing.arc_ok, w, np.inf)
        ours = dijkstra_to(network, weights.tolist(), d)
        # scipy: reversed graph (edge to -> from), parallel arcs reduced to the least
        dense = np.full((n, n), np.inf)
        for a in range(network.n_arcs):
            u, v = int(network.arc_to[a]), int(network.arc_from[a])
            dense[u, v] = min(dense[u, v], weights[a])
        graph = csgraph_from_dense(dense, null_value=np.inf)
        theirs = dijkstra(graph, directed=True, indices=d)
        assert np.allclose(ours, theirs, rtol=1e-12, atol=1e-9, equal_nan=False), describe(case)
        assert np.array_equal(np.isinf(ours), np.isinf(theirs))
        assert list(bound[0]) == ours


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=cases(max_places=5, max_links=8))
def test_no_route_messages_are_true(case) -> None:
    """ "Not connected" means no cargo class, year or mode opens a route; a relaxation the
    message names does open one."""
    network = compile_network(case.network)
    try:
        silkway.plan(
            network,
            case.origin,
            case.destination,
            depart=FRAME + dt.timedelta(hours=case.start_hours),
            uncertainty=False,
        )
    except NoRouteError as exc:
        msg = str(exc)
    else:
        return
    o, d = network.places.index(case.origin), network.places.index(case.destination)

    def reachable(cls: str, planned: bool) -> bool:
        unit = "t" if cls.endswith("_bulk") else "FEU"
        q = make_query(
            network,
            case.origin,
            case.destination,
            cargo=Cargo(1, unit, cls),
            include_planned=planned,
            depart=FRAME,
        )
        return min_transshipments(network, allowed(network, q), o, d) is not None

    if "not connected" in msg:
        assert not any(reachable(c, p) for c in CARGO_CLASSES for p in (False, True)), (
            msg + "\n" + describe(case)
        )
    planned = "including planned links (--include-planned)"
    single = "a route exists when " in msg
    if single and planned in msg:
        assert reachable("container", True), msg + "\n" + describe(case)
    for cls in CARGO_CLASSES:
        as_cls = f"shipping it as {cls} cargo"
        if single and as_cls in msg:
            assert reachable(cls, False), msg + "\n" + describe(case)
        if f"{planned} and {as_cls}" in msg:
            assert reachable(cls, True), msg + "\n" + describe(case)
            assert not reachable(cls, False) and not reachable("container", True)


# --------------------------------------------------------------------------- time limit


def test_tiny_time_limit_stops_the_search_honestly(net) -> None:
    try:
        r = silkway.plan(net, "Lianyungang", "Istanbul", depart=DEPART, time_limit=1e-9)
    except NoRouteError as exc:
        assert "time limit" in str(exc)
    else:
        assert r.complete is False
        assert r.stats["deadline_hit"] is True
        assert any("time limit" in w for w in r.warnings)
        assert r.options


def test_stats_are_reported(net) -> None:
    r = silkway.plan(net, "Xi'an", "Istanbul", depart=DEPART, uncertainty=False)
    assert {"labels", "seconds", "budget_hit", "deadline_hit"} <= set(r.stats)
    assert r.stats["labels"] > 0 and r.stats["seconds"] > 0
    assert r.stats["budget_hit"] is False and r.stats["deadline_hit"] is False
    assert r.complete is True


def test_no_time_limit_is_allowed(net) -> None:
    r = silkway.plan(net, "Kashgar", "Tashkent", depart=DEPART, time_limit=None, uncertainty=False)
    assert r.complete and r.query["time_limit"] is None


def _with_trap(network):
    """The bundled network plus CN_TRAP beside Xi'an: rail both ways to Xi'an and one
    way in from Lanzhou. From Xi'an, a walk passes it (Xi'an -> trap -> Xi'an), but no
    route that passes each place once does: it can leave only for Xi'an. Undirected,
    though, the trap has two place-disjoint ways out (to Xi'an, and via Lanzhou), so
    only the label search can tell, and the exhaustive one runs long."""
    base = network.links["R_XIA_LZH"]
    xia = network.places["CN_XIA"]
    trap = replace(
        xia,
        id="CN_TRAP",
        name_en="Trap",
        aliases=(),
        locode=None,
        lat=xia.lat + 0.1,
        lon=xia.lon + 0.1,
    )
    links = {
        **network.links,
        "R_TRAP_XIA": replace(base, id="R_TRAP_XIA", from_id="CN_TRAP", to_id="CN_XIA", km=20),
        "R_LZH_TRAP": replace(
            base, id="R_LZH_TRAP", from_id="CN_LZH", to_id="CN_TRAP", km=680, bidirectional=False
        ),
    }
    return replace(network, places={**network.places, "CN_TRAP": trap}, links=links)


@pytest.fixture(scope="module")
def trapped(net):
    return compile_network(_with_trap(net.network))


@pytest.mark.parametrize("limit", [0.2, 0.6])
def test_time_limit_bounds_a_hard_query(trapped, limit: float) -> None:
    """Via the trap from Xi'an to Istanbul: reachable by walks, but every simple path
    fails, so the exact search runs long; the time limit bounds the whole plan (the
    deadline is checked every 64 label expansions: a generous slack)."""
    t0 = time.perf_counter()
    with pytest.raises(NoRouteError) as info:
        silkway.plan(
            trapped,
            "Xi'an",
            "Istanbul",
            via=["CN_TRAP"],
            depart=DEPART,
            time_limit=limit,
            uncertainty=False,
        )
    assert time.perf_counter() - t0 < limit + 0.5
    assert "time limit" in str(info.value)


def test_no_simple_path_is_not_blamed_on_the_time_limit_alone(trapped) -> None:
    """The fast search proves it has no route through the trap; the exhaustive check
    is cut short by the time limit, and the message says what is likely, not merely
    "allow more time"."""
    with pytest.raises(silkway.NoRouteError) as info:
        silkway.plan(trapped, "Xi'an", "Istanbul", via=["CN_TRAP"], time_limit=0.5, depart=DEPART)
    message = str(info.value)
    assert "each place at most once" in message
    assert "passing some place twice" in message


@pytest.mark.parametrize(
    ("origin", "destination", "via", "twice"),
    [
        # Baku (the city) hangs off Alat alone: any way through it passes Alat twice
        ("Xi'an", "Istanbul", ["Baku"], "AZ_ALT"),
        # Dushanbe hangs off Murghab alone (the Kulma pass road)
        ("Kashgar", "Tashkent", ["Dushanbe"], "TJ_MUR"),
    ],
)
def test_a_via_place_no_simple_route_can_pass_is_named_fast(
    net, origin: str, destination: str, via: list[str], twice: str
) -> None:
    msg, seconds = no_route(net, origin, destination, via=via, time_limit=30)
    assert seconds < FAST_S, seconds
    assert f"({twice}) twice" in msg, msg
    assert "--via" in msg


def _simple_path_through(adj: dict[int, set[int]], o: int, v: int, d: int) -> bool:
    """Brute force: a path o -> ... -> v -> ... -> d passing each place once, undirected."""

    def paths(a: int, b: int, used: frozenset[int]):
        if a == b:
            yield used
            return
        for w in adj[a]:
            if w not in used:
                yield from paths(w, b, used | {w})

    return any(
        d not in first and any(True for _ in paths(v, d, first - {v}))
        for first in paths(o, v, frozenset({o}))
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases(max_places=7), st.integers(0, 6))
def test_via_bottleneck_matches_brute_force(case, pick: int) -> None:
    """Differential: via_bottleneck finds a via place blocked exactly when no simple
    undirected path through it exists; the place it names lies on every way out."""
    net = compile_network(case.network)
    ix = net.places.index
    o, d = ix(case.origin), ix(case.destination)
    others = [p for p in range(len(net.places)) if p not in (o, d)]
    if not others:
        return
    v = others[pick % len(others)]
    ok = np.ones(net.arc_from.shape[0], dtype=np.bool_)
    adj: dict[int, set[int]] = {p: set() for p in range(len(net.places))}
    for a, b in zip(net.arc_from.tolist(), net.arc_to.tolist(), strict=True):
        if a != b:
            adj[a].add(b)
            adj[b].add(a)
    got = via_bottleneck(net, ok, o, d, [v])
    assert (got is None) == _simple_path_through(adj, o, v, d), describe(case)
    if got is not None and got[1] is not None:
        w = got[1]
        seen, stack = {v}, [v]
        while stack:
            for x in adj[stack.pop()] - {w} - seen:
                seen.add(x)
                stack.append(x)
        assert not ({o, d} - {w}) & seen, describe(case)
