"""Cargo rules on a network made for them: air, chargeable weight, vehicles, capacity.

The network (one country, so no border rows)::

    O --road 20 km-- OA ==air 3,000 km (service, 4 USD per chargeable kg)== DA --road 20 km-- D
    O ------------------------------ rail 3,500 km ------------------------------------------ D
    O --road 300 km (600 trucks/day)-- X --road 300 km-- D

Parameters: 10 t per TEU, a truck of 2 TEU or 20 t, a train of 100 TEU, an aircraft of
100 chargeable tonnes, general cargo at 200 kg/m3, IATA 6,000 cm3 per kg.
"""

from __future__ import annotations

import pytest

import silkway
from silkway import NoRouteError
from silkway.compile import compile_network
from silkway.engine.pricing import allowed, price
from silkway.engine.query import make_query
from silkway.model.records import (
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Service,
    Source,
    Transfer,
)
from silkway.model.validate import validate

DEPART = "2026-12-07"  # a Monday


def _link(id: str, a: str, b: str, mode: str, km: float, **kw) -> Link:
    cargo = kw.pop("cargo", ("container", "dry_bulk", "general"))
    return Link(
        id=id,
        from_id=a,
        to_id=b,
        mode=mode,
        km=km,
        cargo=cargo,
        gauge_mm=1435 if mode == "rail" else None,
        emission_factor=f"ef_{mode}",
        **kw,
    )


def network(**params: float) -> Network:
    places = [
        Place("O", "Origin", "KZ", 43.0, 70.0, "city"),
        Place("OA", "Origin airport", "KZ", 43.1, 70.1, "airport"),
        Place("DA", "Destination airport", "KZ", 43.0, 100.0, "airport"),
        Place("D", "Destination", "KZ", 43.1, 100.1, "city"),
        Place("X", "Halfway", "KZ", 43.0, 85.0, "city"),
    ]
    links = [
        _link("O_OA", "O", "OA", "road", 20.0, speed_kmh=40.0, cost_per_km_usd=2.0),
        _link("DA_D", "DA", "D", "road", 20.0, speed_kmh=40.0, cost_per_km_usd=2.0),
        _link(
            "OA_DA",
            "OA",
            "DA",
            "air",
            3000.0,
            cargo=("general",),
            duration_hours=4.0,
            cost_fixed_usd=4.0,
            cost_unit="kg_chargeable",
        ),
        _link("O_D", "O", "D", "rail", 3500.0, speed_kmh=40.0, cost_per_km_usd=0.5),
        _link(
            "O_X",
            "O",
            "X",
            "road",
            1300.0,
            speed_kmh=40.0,
            cost_per_km_usd=1.0,
            capacity=600.0,
            capacity_unit="trucks/day",
        ),
        _link("X_D", "X", "D", "road", 1300.0, speed_kmh=40.0, cost_per_km_usd=1.0),
    ]
    transfers = [
        Transfer(
            f"t_{p}",
            p,
            "transshipment",
            "road",
            None,
            "air",
            None,
            Dwell(2, 2),
            0.1,
            "kg_chargeable",
        )
        for p in ("OA", "DA")
    ]
    services = [
        Service("air", "Freighter O-D", "timetable", "air", ("OA_DA",), ("general",), (6.0,))
    ]
    values = {
        "payload_t_per_teu": 10.0,
        "teu_per_feu": 2.0,
        "teu_volume_m3": 33.2,
        "general_density_kg_per_m3": 200.0,
        "air_volume_cm3_per_kg": 6000.0,
        "vehicle_teu_road": 2.0,
        "vehicle_t_road": 20.0,
        "vehicle_teu_rail": 100.0,
        "vehicle_t_air": 100.0,
        **params,
    }
    factors = {
        "ef_road": EmissionFactor("ef_road", "road", "diesel", 80.0, 60.0),
        "ef_rail": EmissionFactor("ef_rail", "rail", "electric", 20.0, 0.0),
        "ef_air": EmissionFactor("ef_air", "air", "jet", 880.0, 720.0),
    }
    return Network(
        name="cargo rules",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "test")},
        parameters={k: Parameter(k, v, "") for k, v in values.items()},
        places={p.id: p for p in places},
        links={k.id: k for k in links},
        transfers={t.id: t for t in transfers},
        crossings={},
        services={s.id: s for s in services},
        emission_factors=factors,
    )


@pytest.fixture(scope="module")
def net():
    network_ = network()
    assert [p for p in validate(network_) if p.severity == "error"] == []
    return compile_network(network_)


def plan(net, cargo: str, o: str = "O", d: str = "D", **kw):
    return silkway.plan(net, o, d, cargo=cargo, depart=DEPART, uncertainty=False, **kw)


def air_legs(option):
    return [leg for leg in option.legs if leg.mode == "air"]


# --------------------------------------------------------------------------- air


def test_a_container_never_flies(net) -> None:
    for cargo in ("1xFEU", "1xTEU", "20t:dry_bulk"):
        r = plan(net, cargo, all_options=True)
        assert r.options
        assert not any(air_legs(o) for o in r.options), cargo
        q = make_query(net, "O", "D", cargo=cargo, depart=DEPART)
        ok = allowed(net, q)
        air_arcs = net.arc_mode == silkway.model.records.MODES.index("air")
        assert not ok.arc_ok[air_arcs].any()
        assert not ok.service_ok.any()


def test_a_container_asked_to_fly_is_told_to_ship_general_cargo(net) -> None:
    with pytest.raises(NoRouteError, match="shipping it as general cargo"):
        plan(net, "1xFEU", modes=["air", "road"], avoid_places=["X"])


def test_general_cargo_flies_and_pays_its_chargeable_weight(net) -> None:
    r = plan(net, "800kg")
    fastest = r.options[0]
    (leg,) = air_legs(fastest)
    assert leg.service_id == "air"
    # 800 kg at 200 kg/m3 is denser than 166.7 kg/m3: it pays for 800 kg
    # a leg's cost holds its link, the transfer onto it and its border: 800 x (4 + 0.1)
    assert leg.cost_usd == pytest.approx(800 * 4.0 + 800 * 0.1)


def test_light_cargo_pays_its_volume_weight_in_the_air(net) -> None:
    dense = make_query(net, "O", "D", cargo="800kg/2m3", depart=DEPART)
    light = make_query(net, "O", "D", cargo="800kg/6m3", depart=DEPART)
    air_link = net.links.index("OA_DA")
    air_arc = int((net.arc_link == air_link).nonzero()[0][0])
    assert price(net, dense).arc_cost_usd[air_arc] == pytest.approx(800 * 4.0)
    # 6 m3 x 1e6 / 6000 = 1,000 chargeable kg
    assert price(net, light).arc_cost_usd[air_arc] == pytest.approx(1000 * 4.0)
    # the airport handling is per chargeable kg too
    t = net.transfers.index("t_OA")
    assert price(net, light).transfer_cost_usd[t] == pytest.approx(1000 * 0.1)
    # CO2e counts the real mass: 0.8 t x 3,000 km x 880 g/tkm
    assert price(net, light).arc_co2_kg[air_arc] == pytest.approx(0.8 * 3000 * 880 / 1000)


def test_more_than_one_aircraft_does_not_fly(net) -> None:
    assert any(air_legs(o) for o in plan(net, "100t:general", all_options=True).options)
    r = plan(net, "101t:general", all_options=True)
    assert r.options and not any(air_legs(o) for o in r.options)
    with pytest.raises(NoRouteError, match=r"one aircraft \(100 t chargeable\)"):
        plan(net, "101t:general", modes=["air", "road"], avoid_places=["X"])
    # volume counts: 70 t in 700 m3 is 116.7 chargeable tonnes
    r = plan(net, "70t/700m3", all_options=True)
    assert not any(air_legs(o) for o in r.options)


# --------------------------------------------------------------------------- vehicles


def _road_cost(net, cargo: str) -> float:
    q = make_query(net, "O", "D", cargo=cargo, depart=DEPART)
    arc = int((net.arc_link == net.links.index("O_OA")).nonzero()[0][0])
    return float(price(net, q).arc_cost_usd[arc])


def test_a_truck_is_paid_whole_for_containers_and_bulk(net) -> None:
    one_truck = 20 * 2.0  # 20 km at 2 USD per truck-km
    assert _road_cost(net, "1xFEU") == pytest.approx(one_truck)
    assert _road_cost(net, "1xTEU") == pytest.approx(one_truck)  # a truck, not half of one
    assert _road_cost(net, "3xTEU") == pytest.approx(2 * one_truck)
    assert _road_cost(net, "5xFEU") == pytest.approx(5 * one_truck)
    assert _road_cost(net, "30t:dry_bulk") == pytest.approx(2 * one_truck)
    # rail is paid per container slot: a TEU is half an FEU there
    q = make_query(net, "O", "D", cargo="1xTEU", depart=DEPART)
    rail = int((net.arc_link == net.links.index("O_D")).nonzero()[0][0])
    assert price(net, q).arc_cost_usd[rail] == pytest.approx(3500 * 0.5 / 2)


def test_general_cargo_is_a_part_load_on_the_road(net) -> None:
    one_truck = 20 * 2.0
    # 5 t at 200 kg/m3 = 25 m3: by volume 25 / 33.2 / 2 of a truck, by weight 5 / 20
    assert _road_cost(net, "5t:general") == pytest.approx(one_truck * max(5 / 20, 25 / 33.2 / 2))
    assert _road_cost(net, "800kg/16.6m3") == pytest.approx(one_truck * 0.25)


def test_without_vehicle_parameters_nothing_is_rounded() -> None:
    bare = compile_network(
        network(vehicle_teu_road=float("nan"))  # stands for "not given"
    )
    q = make_query(bare, "O", "D", cargo="1xTEU", depart=DEPART)
    arc = int((bare.arc_link == bare.links.index("O_OA")).nonzero()[0][0])
    assert price(bare, q).arc_cost_usd[arc] == pytest.approx(20 * 2.0 / 2)


# --------------------------------------------------------------------------- capacity


def test_a_consignment_beyond_a_links_capacity_is_refused(net) -> None:
    kw = {"modes": ["road"], "avoid_places": ["OA"]}
    assert [leg.link_id for leg in plan(net, "600xFEU", **kw).options[0].legs] == ["O_X", "X_D"]
    with pytest.raises(NoRouteError) as info:
        plan(net, "601xFEU", **kw)
    msg = str(info.value)
    assert "road link O_X Origin – Halfway (600 trucks/day)" in msg
    assert "several smaller consignments" in msg
    # 1,201 TEU is 601 trucks of 2 TEU
    with pytest.raises(NoRouteError, match="600 trucks/day"):
        plan(net, "1201xTEU", **kw)


def test_a_huge_consignment_is_refused_not_put_in_one_truck(net) -> None:
    with pytest.raises(NoRouteError, match="more than the routes can carry"):
        plan(net, "1000000000xFEU", o="O", d="X")


def test_a_large_consignment_takes_several_trucks_priced_as_such(net) -> None:
    kw = {"modes": ["road"], "avoid_places": ["OA"]}
    one = plan(net, "1xFEU", **kw).options[0].cost_usd
    many = plan(net, "250xFEU", **kw).options[0].cost_usd
    assert many == pytest.approx(250 * one)
