"""Part loads (LCL, groupage) on a network made for them: W/M, minimum, CFS charges.

The network (one country, so no border rows)::

    O --road 50 km-- H ==rail 3,000 km== D
    O ================ rail 4,000 km ===== D
                     H ==rail 100 km== P ~~sea 5,000 km~~ D

Rail is priced per FEU-km (0.5 USD), sea per FEU-km (0.1 USD), road per truck-km
(2 USD). The LCL tariff: 500 kg per cbm on rail, 1,000 on sea, at least 1 cbm, 27 cbm
sold per TEU, 20 USD per cbm at each container freight station, at least 50 USD.
"""

from __future__ import annotations

import pytest

import silkway
from silkway.compile import compile_network
from silkway.engine.cargo import Basis, parse_cargo
from silkway.engine.pricing import price
from silkway.engine.query import make_query
from silkway.model.records import (
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Source,
    Transfer,
)
from silkway.model.validate import validate

DEPART = "2026-12-07"
LCL = {
    "part_load_kg_per_cbm_rail": 500.0,
    "part_load_kg_per_cbm_sea": 1000.0,
    "part_load_min_cbm": 1.0,
    "part_load_cbm_per_teu": 27.0,
    "part_load_cfs_usd_per_cbm": 20.0,
    "part_load_cfs_min_usd": 50.0,
}


def _link(id: str, a: str, b: str, mode: str, km: float, rate: float) -> Link:
    return Link(
        id=id,
        from_id=a,
        to_id=b,
        mode=mode,
        km=km,
        cargo=("container", "general"),
        gauge_mm=1435 if mode == "rail" else None,
        emission_factor=f"ef_{mode}",
        speed_kmh=40.0,
        cost_per_km_usd=rate,
    )


def network(**params: float) -> Network:
    places = [
        Place("O", "Origin", "KZ", 43.0, 70.0, "city"),
        Place("H", "Rail hub", "KZ", 43.0, 70.6, "rail_terminal"),
        Place("P", "Port", "KZ", 43.0, 71.9, "seaport"),
        Place("D", "Destination", "KZ", 43.0, 104.0, "city"),
    ]
    links = [
        _link("O_H", "O", "H", "road", 50.0, 2.0),
        _link("H_D", "H", "D", "rail", 3000.0, 0.5),
        _link("O_D", "O", "D", "rail", 4000.0, 0.5),
        _link("H_P", "H", "P", "rail", 110.0, 0.5),
        _link("P_D", "P", "D", "sea", 5000.0, 0.1),
    ]

    def transfer(id: str, place: str, a: str, b: str) -> Transfer:
        ga, gb = (1435 if a == "rail" else None), (1435 if b == "rail" else None)
        return Transfer(id, place, "mode_change", a, ga, b, gb, Dwell(2, 2), 10.0, "FEU")

    transfers = [transfer("t_H", "H", "road", "rail"), transfer("t_P", "P", "rail", "sea")]
    values = {
        "payload_t_per_teu": 10.0,
        "teu_per_feu": 2.0,
        "teu_volume_m3": 33.2,
        "general_density_kg_per_m3": 200.0,
        "vehicle_teu_road": 2.0,
        "vehicle_t_road": 20.0,
        **params,
    }
    factors = {
        m: EmissionFactor(f"ef_{m}", m, "diesel", 20.0, 16.0) for m in ("road", "rail", "sea")
    }
    return Network(
        name="part loads",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "test")},
        parameters={k: Parameter(k, v, "", {"value": "s"}) for k, v in values.items()},
        places={p.id: p for p in places},
        links={k.id: k for k in links},
        transfers={t.id: t for t in transfers},
        crossings={},
        services={},
        emission_factors={f.id: f for f in factors.values()},
    )


@pytest.fixture(scope="module")
def net():
    network_ = network(**LCL)
    assert [p for p in validate(network_) if p.severity == "error"] == []
    return compile_network(network_)


@pytest.fixture(scope="module")
def plain():
    """The same network without an LCL tariff."""
    return compile_network(network())


def _arc(net, link: str, a: str) -> int:
    ix = net.places.index
    hit = (net.arc_link == net.links.index(link)) & (net.arc_from == ix(a))
    return int(hit.nonzero()[0][0])


def _costing(net, cargo: str, o: str = "O", d: str = "D"):
    return price(net, make_query(net, o, d, cargo=cargo, depart=DEPART))


def test_chargeable_volume_is_weight_or_measure_with_a_minimum(net) -> None:
    basis = Basis.of(net)
    # 800 kg at 200 kg/m3 = 4 m3; by weight 1.6 cbm on rail, 0.8 on sea
    assert basis.chargeable_cbm(parse_cargo("800kg"), "rail") == pytest.approx(4.0)
    # dense: 2 t in 1 m3 is 4 cbm by rail (500 kg per cbm), 2 by sea (1,000 kg)
    dense = parse_cargo("2t/1m3:general")
    assert basis.chargeable_cbm(dense, "rail") == pytest.approx(4.0)
    assert basis.chargeable_cbm(dense, "sea") == pytest.approx(2.0)
    # small: 50 kg is 0.25 m3 but pays the 1 cbm minimum
    assert basis.chargeable_cbm(parse_cargo("50kg"), "rail") == pytest.approx(1.0)
    assert basis.cfs_usd(parse_cargo("50kg"), "rail") == pytest.approx(50.0)  # the minimum
    assert basis.cfs_usd(parse_cargo("800kg"), "rail") == pytest.approx(80.0)
    assert not basis.consolidated(parse_cargo("800kg"), "road")  # road: a truck's share
    assert not basis.consolidated(parse_cargo("1xFEU"), "rail")  # containers: as counted


def test_a_part_load_pays_its_chargeable_share_and_both_stations(net, plain) -> None:
    c = _costing(net, "800kg")
    rail = _arc(net, "O_D", "O")
    line_haul = 4000 * 0.5 * (4.0 / 27.0) / 2.0  # 4 cbm of 27 per TEU, priced per FEU
    assert c.arc_cost_usd[rail] == pytest.approx(line_haul + 2 * 80.0)
    assert c.arc_cfs_usd is not None and c.arc_cfs_usd[rail] == pytest.approx(160.0)
    # without the tariff the same load paid its share of a container's inside volume
    before = _costing(plain, "800kg").arc_cost_usd[_arc(plain, "O_D", "O")]
    assert before == pytest.approx(4000 * 0.5 * (4.0 / 33.2) / 2.0)
    assert _costing(plain, "800kg").arc_cfs_usd is None


def test_stations_where_the_load_is_packed_and_unpacked_only(net) -> None:
    c = _costing(net, "800kg")
    assert c.arc_cfs_usd is not None and c.transfer_cfs_usd is not None
    t = net.transfers.index
    assert c.transfer_cfs_usd[t("t_H")] == pytest.approx(80.0)  # off the truck, into a box
    assert c.transfer_cfs_usd[t("t_P")] == 0.0  # rail to sea: the container moves on
    assert c.arc_cfs_usd[_arc(net, "O_H", "O")] == 0.0  # a truck leaves loose
    assert c.arc_cfs_usd[_arc(net, "H_D", "H")] == pytest.approx(80.0)  # unpacked at D
    assert c.arc_cfs_usd[_arc(net, "P_D", "P")] == pytest.approx(80.0)
    assert c.arc_cfs_usd[_arc(net, "H_P", "H")] == 0.0


def test_containers_and_bulk_pay_no_lcl_charges(net) -> None:
    c = _costing(net, "1xFEU")
    assert c.arc_cfs_usd is None and c.transfer_cfs_usd is None
    assert c.arc_cost_usd[_arc(net, "O_D", "O")] == pytest.approx(4000 * 0.5)


def test_a_planned_part_load_itemises_the_station_charges(net) -> None:
    r = silkway.plan(
        net, "O", "D", cargo="800kg", depart=DEPART, uncertainty=False, modes=("rail",)
    )
    opt = r.options[0]
    assert [leg.link_id for leg in opt.legs] == ["O_D"]
    items = opt.legs[0].cost_items
    assert ("handling", "part_load_cfs", pytest.approx(160.0)) in items
    assert sum(usd for _, _, usd in items) == pytest.approx(opt.legs[0].cost_usd)
    cited = {ref.parameter for ref in opt.legs[0].sources}
    assert "parameter:part_load_cbm_per_teu.value" in cited
    assert "parameter:part_load_kg_per_cbm_rail.value" in cited
