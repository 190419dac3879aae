"""Cargo classes and air freight on the bundled network (issue 6 §1): the observed cases.

- A loaded container never flies (it used to, for about 75,000 USD per FEU, and was the
  fastest option on most long queries).
- 800 kg of general cargo from Chongqing to Duisburg gets an air option whose flight
  goes from a Chinese hub to a European hub, not through Almaty.
- A consignment beyond what the routes can carry is refused with the limits named
  (``1000000000xFEU`` used to go in one truck).
"""

from __future__ import annotations

import itertools

import pytest

import silkway
from silkway import NoRouteError
from silkway.engine.pricing import allowed
from silkway.engine.query import make_query
from silkway.model.loader import default_network_path
from silkway.model.records import AIR_CARGO_CLASSES, MODES

pytestmark = pytest.mark.skipif(
    not (default_network_path() / "places.csv").exists(),
    reason="the bundled default network (src/silkway/data/default) is not there",
)

DEPART = "2026-12-07"
LONG_HAUL = [
    "Xi'an",
    "Chongqing",
    "Urumqi",
    "Kashgar",
    "Almaty",
    "Tashkent",
    "Baku",
    "Poti",
    "Istanbul",
    "Duisburg",
]
CHINESE_HUBS = {"CN_CGO_AIR", "CN_CKG_AIR", "CN_XIY_AIR", "CN_PVG_AIR", "CN_URC_AIR"}
EUROPEAN_HUBS = {"DE_FRA", "BE_LGG", "HU_BUD_AIR", "DE_LEJ"}


@pytest.fixture(scope="module")
def default():
    return silkway.load_network()


@pytest.fixture(scope="module")
def net(default):
    return silkway.compile_network(default)


def test_air_links_and_services_carry_no_containers(default) -> None:
    air = [k for k in default.links.values() if k.mode == "air"]
    assert len(air) >= 15
    for link in air:
        assert set(link.cargo) <= set(AIR_CARGO_CLASSES), link.id
        assert link.cost_unit == "kg_chargeable", link.id
    for s in default.services.values():
        if s.mode == "air":
            assert set(s.cargo) <= set(AIR_CARGO_CLASSES), s.id


def test_the_air_hubs_exist_and_reach_a_city_by_road(default) -> None:
    hubs = CHINESE_HUBS | EUROPEAN_HUBS | {"TR_IST_AIR", "AZ_GYD", "KZ_ALA_AIR", "UZ_TAS_AIR"}
    hubs |= {"UZ_NVI"}
    for pid in hubs:
        assert default.places[pid].kind == "airport", pid
        modes = {k.mode for k in default.links.values() if pid in k.ends()}
        assert modes == {"air", "road"}, (pid, modes)
        assert any(
            t.place == pid and {t.from_mode, t.to_mode} == {"road", "air"}
            for t in default.transfers.values()
        ), pid


def test_every_chinese_hub_flies_to_europe(default) -> None:
    for hub in CHINESE_HUBS:
        ends = {
            k.to_id if k.from_id == hub else k.from_id
            for k in default.links.values()
            if k.mode == "air" and hub in k.ends()
        }
        assert ends & (EUROPEAN_HUBS | {"TR_IST_AIR"}), hub


@pytest.mark.parametrize(("origin", "destination"), list(itertools.combinations(LONG_HAUL, 2)))
def test_a_container_never_flies(net, origin: str, destination: str) -> None:
    query = make_query(net, origin, destination, cargo="2xFEU", depart=DEPART)
    ok = allowed(net, query)
    assert not ok.arc_ok[net.arc_mode == MODES.index("air")].any()
    try:
        r = silkway.plan(
            net,
            origin,
            destination,
            cargo="2xFEU",
            depart=DEPART,
            uncertainty=False,
            all_options=True,
        )
    except NoRouteError:
        return
    for option in r.options:
        assert "air" not in option.modes, (origin, destination, option.route)


def test_800_kg_from_chongqing_to_duisburg_flies_from_a_chinese_to_a_european_hub(net) -> None:
    r = silkway.plan(net, "Chongqing", "Duisburg", cargo="800kg", depart=DEPART)
    flying = [o for o in r.options if "air" in o.modes]
    assert flying, [o.route for o in r.options]
    fastest = min(r.options, key=lambda o: o.hours_p50)
    assert "air" in fastest.modes
    for option in (fastest, flying[0]):
        (leg,) = [leg for leg in option.legs if leg.mode == "air"]
        assert leg.from_id in CHINESE_HUBS and leg.to_id in EUROPEAN_HUBS, option.route
        assert not {"KZ_ALA", "KZ_ALA_AIR"} & set(option.route), option.route
    # the flight is priced per chargeable kg from the index: 800 x 3.97 USD at least
    (leg,) = [leg for leg in fastest.legs if leg.mode == "air"]
    assert leg.cost_usd >= 800 * 3.97
    # and door to door it is days, not weeks, for a few thousand dollars
    assert fastest.hours_p50 < 7 * 24
    assert 3_000 < fastest.cost_usd < 6_000


def test_xian_to_frankfurt_general_cargo_gets_an_air_option(net) -> None:
    r = silkway.plan(net, "Xi'an", "Frankfurt", cargo="3t:general", depart=DEPART)
    assert any("air" in o.modes for o in r.options)
    assert r.query["cargo"] == "3 t general"


def test_a_huge_consignment_is_refused_with_its_limits(net) -> None:
    with pytest.raises(NoRouteError) as info:
        silkway.plan(net, "Chongqing", "Duisburg", cargo="1000000000xFEU", depart=DEPART)
    msg = str(info.value)
    assert "is more than the routes can carry in one consignment" in msg
    assert "one sea vessel (24,346 TEU)" in msg
    assert "trains/day" in msg


def test_consignments_too_big_for_one_aircraft_go_by_surface(net) -> None:
    r = silkway.plan(
        net,
        "Chongqing",
        "Duisburg",
        cargo="200t:general",
        depart=DEPART,
        uncertainty=False,
        all_options=True,
    )
    assert r.options and not any("air" in o.modes for o in r.options)


def test_dangerous_goods_may_go_by_sea(default) -> None:
    sea = [k for k in default.links.values() if k.mode == "sea"]
    assert sea and all("dangerous_goods" in k.cargo for k in sea)
