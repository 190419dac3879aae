"""Train types on a network made for them: speed, price and border dwell per type and
direction, read identically by both kernels, the bounds and the Monte Carlo.

The network (China to Kazakhstan, one gauge change)::

    O ==1435, cn, 1,000 km== B ==1435, cn, 20 km== K ==1520, era, 2,000 km== D
    (CN)                     (CN)   border B<->K   (KZ)                       (KZ)

The border B->K (into Kazakhstan) takes a median 30 h and K->B (into China) 10 h. The
rules: an express train clears B->K in 6 h (P90 15 h); wagonload runs the ``era``
section at 16 km/h for 1.8 USD/FEU-km and the ``cn`` section at half speed for three
times the price. Every expectation is recomputed here from the records, not copied
from the engine.
"""

from __future__ import annotations

import dataclasses
import math

import pytest

import silkway
from silkway import QueryError
from silkway.compile import compile_network
from silkway.engine.pricing import price
from silkway.engine.query import make_query
from silkway.engine.reach import lower_bounds
from silkway.engine.search import search
from silkway.model.records import (
    DEFAULT_TRAIN,
    TRAIN_TYPES,
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Service,
    Source,
    TrainRule,
    Transfer,
)
from silkway.model.validate import validate

DEPART = "2026-12-07"  # a Monday
Z90 = 1.2815515655446004


def _rail(id: str, a: str, b: str, km: float, gauge: int, section: str, **kw) -> Link:
    return Link(
        id=id,
        from_id=a,
        to_id=b,
        mode="rail",
        km=km,
        cargo=("container",),
        gauge_mm=gauge,
        emission_factor="ef_rail",
        section=section,
        sources={"km": "s", "speed_kmh": "s", "cost_per_km_usd": "s"},
        **kw,
    )


RULES = {
    "EXP_BK": TrainRule(
        "EXP_BK",
        "express",
        crossing="x_BK",
        median_hours=6.0,
        p90_hours=15.0,
        sources={"median_hours": "s", "p90_hours": "s"},
    ),
    "WAG_ERA": TrainRule(
        "WAG_ERA",
        "wagonload",
        section="era",
        speed_kmh=16.0,
        cost_per_km_usd=1.8,
        sources={"speed_kmh": "s", "cost_per_km_usd": "s"},
    ),
    "WAG_CN": TrainRule(
        "WAG_CN",
        "wagonload",
        section="cn",
        speed_factor=0.5,
        cost_factor=3.0,
        sources={"speed_factor": "s", "cost_factor": "s"},
    ),
}


def network(*, rules: dict[str, TrainRule] = RULES, services: tuple[Service, ...] = ()) -> Network:
    places = [
        Place("O", "Origin", "CN", 44.0, 70.0, "rail_terminal"),
        Place("B", "Border (CN)", "CN", 44.0, 80.0, "border_crossing"),
        Place("K", "Border (KZ)", "KZ", 44.0, 80.2, "dry_port"),
        Place("D", "Destination", "KZ", 44.0, 100.0, "rail_terminal"),
    ]
    links = [
        _rail("OB", "O", "B", 1000.0, 1435, "cn", speed_kmh=50.0, cost_per_km_usd=0.4),
        _rail("BK", "B", "K", 20.0, 1435, "cn", speed_kmh=20.0, cost_per_km_usd=0.4),
        _rail("KD", "K", "D", 2000.0, 1520, "era", speed_kmh=40.0, cost_per_km_usd=0.6),
    ]
    crossings = [
        Crossing("x_BK", "BK", "B", "B-K", Dwell(30.0, 75.0), 300.0, "FEU"),
        Crossing("x_KB", "BK", "K", "K-B", Dwell(10.0, 25.0), 100.0, "FEU"),
    ]
    transfers = [
        Transfer("t_K", "K", "gauge_change", "rail", 1435, "rail", 1520, Dwell(2.0, 2.0), 150.0)
    ]
    params = {"payload_t_per_teu": 10.0, "teu_per_feu": 2.0, "vehicle_teu_rail": 100.0}
    return Network(
        name="train types",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "test")},
        parameters={k: Parameter(k, v, "") for k, v in params.items()},
        places={p.id: p for p in places},
        links={k.id: k for k in links},
        transfers={t.id: t for t in transfers},
        crossings={c.id: c for c in crossings},
        services={s.id: s for s in services},
        emission_factors={"ef_rail": EmissionFactor("ef_rail", "rail", "electric", 20.0, 0.0)},
        train_rules=rules,
    )


@pytest.fixture(scope="module")
def net():
    raw = network()
    assert validate(raw) == []
    return compile_network(raw)


def expected(raw: Network, train: str, origin: str, feu: float = 1.0) -> tuple[float, float]:
    """(median hours, cost) of the only route, recomputed from the records and rules."""
    links = [raw.links[k] for k in ("OB", "BK", "KD")]
    crossing = raw.crossings["x_BK" if origin == "O" else "x_KB"]
    hours = cost = 0.0
    for link in links:
        rule = next(
            (r for r in raw.train_rules.values() if r.train == train and r.section == link.section),
            None,
        )
        speed, per_km = link.speed_kmh or 0.0, link.cost_per_km_usd
        if rule is not None:
            speed = rule.speed_kmh or speed * (rule.speed_factor or 1.0)
            per_km = rule.cost_per_km_usd or per_km * (rule.cost_factor or 1.0)
        hours += link.km / speed
        cost += per_km * link.km * feu
    dwell = crossing.dwell.median_hours
    for r in raw.train_rules.values():
        if r.train == train and r.crossing == crossing.id and r.dwell is not None:
            dwell = r.dwell.median_hours
    transfer = raw.transfers["t_K"]
    hours += dwell + transfer.dwell.median_hours
    cost += (crossing.cost_usd + transfer.cost_usd) * feu
    return hours, cost


@pytest.mark.parametrize("train", TRAIN_TYPES)
@pytest.mark.parametrize(("origin", "destination"), [("O", "D"), ("D", "O")])
def test_each_train_type_moves_waits_and_pays_as_its_rules_say(
    net, train: str, origin: str, destination: str
) -> None:
    result = silkway.plan(
        net, origin, destination, depart=DEPART, train=train, uncertainty=False, all_options=True
    )
    (option,) = result.options
    hours, cost = expected(net.network, train, origin)
    assert option.hours_median_basis == pytest.approx(hours)
    assert option.cost_usd == pytest.approx(cost)
    assert result.query["train"] == train


def test_the_types_differ_the_way_the_rules_say(net) -> None:
    raw = net.network
    block, express, wagon = (expected(raw, t, "O") for t in ("block", "express", "wagonload"))
    assert block[0] - express[0] == pytest.approx(30.0 - 6.0)  # only the B->K dwell
    assert express[1] == pytest.approx(block[1])
    # wagonload: era at 16 km/h and 1.8 USD/km; cn at half speed, three times the price
    slower = (1000 / 25 - 1000 / 50) + (20 / 10 - 20 / 20) + (2000 / 16 - 2000 / 40)
    assert wagon[0] - block[0] == pytest.approx(slower)
    assert wagon[1] - block[1] == pytest.approx((1.2 - 0.4) * 1020 + (1.8 - 0.6) * 2000)


def test_inbound_and_outbound_dwell_follow_the_direction(net) -> None:
    into_kz = silkway.plan(net, "O", "D", depart=DEPART, train="block", uncertainty=False)
    into_cn = silkway.plan(net, "D", "O", depart=DEPART, train="block", uncertainty=False)
    dwell_kz = [
        w.hours for leg in into_kz.options[0].legs for w in leg.waits if w.code == "border.dwell"
    ]
    dwell_cn = [
        w.hours for leg in into_cn.options[0].legs for w in leg.waits if w.code == "border.dwell"
    ]
    assert dwell_kz == [pytest.approx(30.0)] and dwell_cn == [pytest.approx(10.0)]
    # the express rule is for B->K only: the other direction keeps its own dwell
    back = silkway.plan(net, "D", "O", depart=DEPART, uncertainty=False, train="express")
    assert back.options[0].hours_median_basis == pytest.approx(
        into_cn.options[0].hours_median_basis
    )


def test_costing_arrays_are_the_types_rows(net) -> None:
    for t, train in enumerate(TRAIN_TYPES):
        costing = price(net, make_query(net, "O", "D", depart=DEPART, train=train))
        assert costing.train == t
        assert list(costing.arc_hours) == list(net.arc_hours_by_train[t])
        assert list(costing.crossing_hours) == list(net.crossing_hours_by_train[t])
    express = price(net, make_query(net, "O", "D", depart=DEPART, train="express"))
    ci = net.crossings.index("x_BK")
    assert express.crossing_sigma[ci] == pytest.approx(math.log(15.0 / 6.0) / Z90)


@pytest.mark.parametrize("train", TRAIN_TYPES)
def test_bounds_and_both_kernels_use_the_types_hours(net, train: str) -> None:
    pytest.importorskip("numba")
    from silkway.engine._jit_search import search_jit

    q = make_query(net, "O", "D", depart=DEPART, train=train)
    costing = price(net, q)
    o, d = net.places.index("O"), net.places.index("D")
    bounds = lower_bounds(net, costing, d)
    hours, _ = expected(net.network, train, "O")
    # the time bound at the origin is the route's median-basis time (a single route)
    assert bounds.time[0][o] == pytest.approx(hours - 2.0)  # transfers are not in the bound
    kw = {"start_hours": q.start_hours, "bounds": bounds}
    py, jit = search(net, costing, o, d, **kw), search_jit(net, costing, o, d, **kw)
    assert [r.hours for r in py.routes] == [pytest.approx(hours)]
    assert [(r.hours, r.cost_usd) for r in jit.routes] == [
        (pytest.approx(r.hours), pytest.approx(r.cost_usd)) for r in py.routes
    ]


def test_the_monte_carlo_draws_the_types_dwell(net) -> None:
    """With the moving time fixed, a route's spread is its border's: the express
    lognormal (median 6, P90 15) instead of the block train's (30, 75)."""
    fixed = dataclasses.replace(net, link_sigma=net.link_sigma * 0.0, cache={})
    for train, (median, p90) in (("express", (6.0, 15.0)), ("block", (30.0, 75.0))):
        r = silkway.plan(fixed, "O", "D", depart=DEPART, train=train, samples=4000, seed=3)
        base = r.options[0].hours_median_basis - median
        assert r.options[0].hours_p50 - base == pytest.approx(median, rel=0.05)
        assert r.options[0].hours_p90 - base == pytest.approx(p90, rel=0.08)


def test_provenance_of_a_leg_names_the_rule_that_set_it(net) -> None:
    r = silkway.plan(net, "O", "D", depart=DEPART, train="wagonload", uncertainty=False)
    params = {ref.parameter for leg in r.options[0].legs for ref in leg.sources}
    assert "train_type:WAG_ERA.speed_kmh" in params
    assert "train_type:WAG_ERA.cost_per_km_usd" in params
    # the absolute values replace the link's own; factors apply to them
    assert "link:KD.speed_kmh" not in params and "link:KD.cost_per_km_usd" not in params
    assert {"link:OB.speed_kmh", "train_type:WAG_CN.speed_factor"} <= params


def test_links_with_a_service_keep_their_own_values() -> None:
    svc = Service("sv", "Timetabled train", "timetable", "rail", ("KD",), ("container",), (6.0,))
    compiled = compile_network(network(services=(svc,)))
    wagon = TRAIN_TYPES.index("wagonload")
    kd = compiled.links.index("KD")
    arcs = [a for a in range(compiled.n_arcs) if compiled.arc_link[a] == kd]
    assert all(compiled.arc_hours_by_train[wagon, a] == compiled.arc_hours[a] for a in arcs)
    assert compiled.link_cost_per_km_by_train[wagon, kd] == 0.6
    ob = compiled.links.index("OB")
    assert compiled.link_cost_per_km_by_train[wagon, ob] == pytest.approx(1.2)


def test_a_consignment_pays_per_container_slot_whatever_the_train(net) -> None:
    for train in TRAIN_TYPES:
        one = silkway.plan(net, "O", "D", depart=DEPART, train=train, uncertainty=False)
        two = silkway.plan(
            net, "O", "D", depart=DEPART, train=train, uncertainty=False, cargo="2xFEU"
        )
        assert two.options[0].cost_usd == pytest.approx(2 * one.options[0].cost_usd)
        assert two.options[0].hours_median_basis == one.options[0].hours_median_basis


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("rocket", r"unknown train type 'rocket'; expected express .* block .* wagonload"),
        (3, r"train must be text"),
        ("", r"unknown train type ''"),
    ],
)
def test_a_bad_train_type_is_a_query_error(net, value, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        silkway.plan(net, "O", "D", depart=DEPART, train=value)


def test_train_type_is_keyword_only_case_insensitive_and_echoed(net) -> None:
    r = silkway.plan(net, "O", "D", depart=DEPART, train=" Express ", uncertainty=False)
    assert r.query["train"] == "express"
    default = silkway.plan(net, "O", "D", depart=DEPART, uncertainty=False)
    assert default.query["train"] == "express" == DEFAULT_TRAIN
    assert default.options[0].hours_median_basis == r.options[0].hours_median_basis
    with pytest.raises(TypeError):
        silkway.plan(net, "O", "D", DEPART)  # type: ignore[misc]
