"""The shape of the bundled network (issue 6): junctions, lines and crossings that a
forwarder expects, connected so that the planner can use them."""

from __future__ import annotations

from collections import defaultdict

import pytest

import silkway
from silkway.model.loader import default_network_path
from silkway.model.records import Network
from silkway.model.validate import great_circle_km

pytestmark = pytest.mark.skipif(
    not (default_network_path() / "places.csv").exists(),
    reason="the bundled default network (src/silkway/data/default) is not there",
)

MONDAY = "2026-12-07"


@pytest.fixture(scope="module")
def default() -> Network:
    return silkway.load_network()


@pytest.fixture(scope="module")
def compiled(default: Network):
    return silkway.compile_network(default)


def _rail_neighbours(net: Network) -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for k in net.links.values():
        if k.mode == "rail" and k.status == "operational":
            out[k.from_id].add(k.to_id)
            out[k.to_id].add(k.from_id)
    return out


# the junctions and the lines through them, as (place, rail neighbours it must have)
JUNCTIONS = {
    "KZ_AKG": {"KZ_DOS", "KZ_MOY", "KZ_USH"},  # Aktogay: Dostyk line, Moyynty line, Turksib
    "KZ_USH": {"KZ_AKG", "KZ_ZHT"},  # Turksib
    "KZ_ZHT": {"KZ_ALT", "KZ_USH", "KZ_ALA", "KZ_KZB"},  # Zhetygen and the Almaty bypass
    "KZ_SHU": {"KZ_KZB", "KZ_MOY", "KZ_ARY"},  # Shu
    "KZ_ARY": {"KZ_SHU", "KZ_SAR", "KZ_KZO"},  # Arys: Turksib meets the Trans-Aral
    "KZ_SKS": {"KZ_KZO", "KZ_SHK", "KZ_ZHE"},  # Saksaulskaya: Trans-Aral and Zhezkazgan line
    "KZ_SHK": {"KZ_SKS", "KZ_KND", "KZ_BEI"},  # Shalkar: Trans-Aral and Beineu line
    "KZ_KND": {"KZ_SHK", "KZ_MKT", "RU_ORB"},  # Kandyagash: to Makat and Iletsk/Orenburg
    "KZ_MKT": {"KZ_BEI", "KZ_KND"},  # Beineu-Makat
    "KZ_MNG": {"KZ_BEI", "KZ_AKT", "KZ_KUR", "KZ_UZN"},  # Mangyshlak: Aktau, Kuryk, Uzen
    "KZ_ZHR": {"KZ_MOY", "KZ_NQZ", "KZ_KZZ"},  # Zharyk: Moyynty-Zhezkazgan runs through it
    "UZ_BHK": {"UZ_TAS", "TM_TKB"},  # Uzbekistan - Turkmenistan by rail
    "TM_PHR": {"TM_TKB", "TM_BRK", "TM_SRK"},
    "TR_KPK": {"TR_IST", "BG_SVG"},  # Istanbul - Kapikule - Svilengrad - Sofia
    "BG_SOF": {"BG_SVG", "HU_BUD"},
    "HU_BUD": {"BG_SOF", "RO_CND", "DE_DUI"},
    "PL_KUZ": {"BY_BRU", "PL_WAW"},  # Bruzgi - Kuznica
    "PL_SIE": {"BY_SVI", "PL_WAW"},  # Svisloch - Siemianowka
}


@pytest.mark.parametrize("junction", sorted(JUNCTIONS))
def test_junctions_exist_and_join_their_lines(default: Network, junction: str) -> None:
    assert junction in default.places
    assert default.places[junction].tz, junction
    assert JUNCTIONS[junction] <= _rail_neighbours(default)[junction]


def test_links_through_junctions_replaced_the_direct_ones(default: Network) -> None:
    # the direct links ran through the junctions; they are split, not kept beside them
    pairs = {frozenset(k.ends()) for k in default.links.values() if k.mode == "rail"}
    for a, b in [
        ("KZ_DOS", "KZ_MOY"),  # via Aktogay
        ("KZ_ALA", "KZ_MOY"),  # via Shu
        ("KZ_MOY", "KZ_ZHE"),  # via Zharyk (or the new Kyzylzhar line)
        ("KZ_BEI", "KZ_AKT"),  # via Mangyshlak
        ("KZ_BEI", "KZ_KUR"),
        ("KZ_ALT", "KZ_ALA"),  # via Zhetygen
        ("RO_CND", "DE_DUI"),  # via Budapest
    ]:
        assert frozenset((a, b)) not in pairs, (a, b)


def test_almaty_bypass_and_kyzylzhar_line(default: Network) -> None:
    bypass = default.links["R_ZHT_KZB"]
    assert bypass.status == "operational" and 74 <= bypass.km <= 77
    kyzylzhar = default.links["R_MOY_KZZ"]
    assert kyzylzhar.km == 329 and kyzylzhar.status == "planned" and kyzylzhar.open_year


def test_sourced_lengths(default: Network) -> None:
    km = {k: default.links[k].km for k in default.links}
    assert km["R_DOS_AKG"] + km["R_AKG_MOY"] == 836  # Dostyk-Moyynty, KTZ
    assert km["R_ALA_KZB"] + km["R_KZB_SHU"] == 306  # Almaty-1 - Shu, KTZ
    assert km["R_ZHE_SKS"] + km["R_SHK_BEI"] == 988  # the Zhezkazgan-Beineu new line, UIC
    assert km["R_ALT_ZHT"] == 293
    assert 645 <= km["S_LYG_SHA"] <= 671  # 348-362 nm


def test_ports_where_cargo_is_handled(default: Network) -> None:
    sha, rtm = default.places["CN_SHA"], default.places["NL_RTM"]
    assert great_circle_km(sha.lat, sha.lon, 30.63, 122.07) < 5  # Yangshan
    assert great_circle_km(rtm.lat, rtm.lon, 51.95, 4.03) < 5  # Maasvlakte


def test_belarus_poland_alternatives_change_gauge_and_clear_both_ways(default: Network) -> None:
    for link, pl in (("R_BRE_MAL", "PL_MAL"), ("R_BRU_KUZ", "PL_KUZ"), ("R_SVI_SIE", "PL_SIE")):
        crossings = [c for c in default.crossings.values() if c.link == link]
        assert len(crossings) == 2, link
        gauges = {
            frozenset((t.from_gauge_mm, t.to_gauge_mm))
            for t in default.transfers.values()
            if t.place == pl and t.kind == "gauge_change"
        }
        assert frozenset((1520, 1435)) in gauges, pl


def test_new_places_have_crossings_on_border_links(default: Network) -> None:
    border_links = ("R_BHK_TKB", "R_KPK_SVG", "R_SOF_BUD", "R_KND_ORB", "S_SHA_AMB_SUEZ")
    for link in (*border_links, "S_SHA_POT_SUEZ"):
        froms = {c.from_id for c in default.crossings.values() if c.link == link}
        assert froms == set(default.links[link].ends()), link


def _places(option) -> list[str]:
    return [option.legs[0].from_id, *(leg.to_id for leg in option.legs)]


def test_tashkent_to_bandar_abbas_by_rail_does_not_pass_almaty(compiled) -> None:
    r = silkway.plan(
        compiled, "Tashkent", "Bandar Abbas", modes=["rail"], depart=MONDAY, samples=200
    )
    assert r.options
    for o in r.options:
        assert "KZ_ALA" not in _places(o), o.route
    best = r.options[0]
    assert {"UZ_BHK", "TM_TKB"} <= set(_places(best)), best.route  # Khodjadavlet-Farap


def test_xian_to_istanbul_without_russia_by_rail_and_ferry_crosses_the_caspian(compiled) -> None:
    r = silkway.plan(
        compiled,
        "Xi'an",
        "Istanbul",
        avoid_countries=["RU"],
        modes=["rail", "ferry"],
        depart=MONDAY,
        samples=300,
    )
    assert all("RU" not in o.countries for o in r.options)
    caspian = [o for o in r.options if "AZ_ALT" in _places(o) and "GE_TBS" in _places(o)]
    assert caspian, [o.route for o in r.options]


@pytest.mark.parametrize("port", ["Kuryk", "Aktau"])
def test_xian_to_istanbul_through_the_kazakh_caspian_ports(compiled, port: str) -> None:
    r = silkway.plan(
        compiled,
        "Xi'an",
        "Istanbul",
        avoid_countries=["RU"],
        modes=["rail", "ferry"],
        via=[port],
        depart=MONDAY,
        uncertainty=False,
    )
    assert r.options
    places = _places(r.options[0])
    assert "AZ_ALT" in places and places.index("AZ_ALT") > places.index(r.query["via"][0]), (
        r.options[0].route
    )


def test_istanbul_reaches_central_europe_by_rail(compiled) -> None:
    r = silkway.plan(compiled, "Istanbul", "Duisburg", modes=["rail"], depart=MONDAY, samples=200)
    assert r.options
    assert "TR_KPK" in _places(r.options[0]), r.options[0].route


@pytest.mark.parametrize("port", ["TR_AMB", "TR_MER", "GE_POT"])
def test_direct_sea_services_from_shanghai(compiled, default: Network, port: str) -> None:
    link = next(
        k for k in default.links.values() if k.mode == "sea" and set(k.ends()) == {"CN_SHA", port}
    )
    assert link.transit_countries == ()
    r = silkway.plan(compiled, "CN_SHA", port, modes=["sea"], depart=MONDAY, uncertainty=False)
    assert r.options and r.options[0].legs[0].link_id == link.id
