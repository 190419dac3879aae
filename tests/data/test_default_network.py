"""The bundled corridor network: valid, sourced, connected, and planning sensibly."""

from __future__ import annotations

from collections import defaultdict

import pytest

import silkway
from silkway import NoRouteError
from silkway.model import validate_folder
from silkway.model.loader import default_network_path
from silkway.model.records import Network

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


def test_validates_with_no_problems() -> None:
    _, problems = validate_folder()
    assert [str(p) for p in problems] == []


def test_every_source_used_exists(default: Network) -> None:
    tables = [
        default.parameters,
        default.places,
        default.links,
        default.transfers,
        default.crossings,
        default.services,
        default.emission_factors,
        default.train_rules,
    ]
    used = {src for table in tables for rec in table.values() for src in rec.sources.values()}
    used |= {dep for s in default.sources.values() for dep in s.derived_from}
    assert used, "records cite sources"
    assert used - set(default.sources) == set()


def test_every_numeric_link_field_is_sourced(default: Network) -> None:
    for link in default.links.values():
        assert {"km"} <= set(link.sources), link.id
        if link.speed_kmh is not None:
            assert "speed_kmh" in link.sources, link.id


def test_every_place_has_its_time_zone(default: Network) -> None:
    zones_by_country = {
        "CN": {"Asia/Shanghai"},
        # the oblast zones: all of Kazakhstan keeps UTC+5 since 2024-03-01
        "KZ": {"Asia/Almaty", "Asia/Aqtau", "Asia/Aqtobe", "Asia/Atyrau", "Asia/Qyzylorda"},
        "KG": {"Asia/Bishkek"},
        "TJ": {"Asia/Dushanbe"},
        "UZ": {"Asia/Tashkent", "Asia/Samarkand"},
        "TM": {"Asia/Ashgabat"},
        "IR": {"Asia/Tehran"},
        "AZ": {"Asia/Baku"},
        "GE": {"Asia/Tbilisi"},
        "TR": {"Europe/Istanbul"},
        "RU": {"Europe/Moscow", "Asia/Yekaterinburg"},
        "BY": {"Europe/Minsk"},
        "PL": {"Europe/Warsaw"},
        "DE": {"Europe/Berlin"},
        "NL": {"Europe/Amsterdam"},
        "BE": {"Europe/Brussels"},
        "RO": {"Europe/Bucharest"},
        "BG": {"Europe/Sofia"},
        "HU": {"Europe/Budapest"},
    }
    for place in default.places.values():
        assert place.tz in zones_by_country[place.country], (place.id, place.tz)
    caspian = {p.id for p in default.places.values() if p.tz == "Asia/Aqtau"}
    assert caspian == {"KZ_AKT", "KZ_KUR", "KZ_UZN", "KZ_BEI", "KZ_MNG"}
    assert default.places["RU_PTK"].tz == "Asia/Yekaterinburg"
    assert default.places["CN_KHG"].tz == "Asia/Shanghai"  # Beijing time at the border


def test_transit_countries(default: Network) -> None:
    transit = {k.id: k.transit_countries for k in default.links.values() if k.transit_countries}
    assert transit == {
        "R_BUD_DUI": ("AT",),
        "R_SOF_BUD": ("RS",),
        "P_CAGP": ("UZ", "KZ"),
        "D_CND_IST": ("BG",),
    }
    assert default.links["R_WAW_DUI"].transit_countries == ()  # PL straight into DE
    for link in default.links.values():
        if link.mode in ("sea", "ferry", "air"):
            assert link.transit_countries == (), link.id  # waters and airspace: no transit


def _reachable(net: Network, start: str, *, planned: bool, cargo: str | None = None) -> set[str]:
    out: dict[str, set[str]] = defaultdict(set)
    for k in net.links.values():
        if k.status == "closed" or (k.status == "planned" and not planned):
            continue
        if cargo is not None and cargo not in k.cargo:
            continue
        out[k.from_id].add(k.to_id)
        if k.bidirectional:
            out[k.to_id].add(k.from_id)
    seen, stack = {start}, [start]
    while stack:
        for q in out[stack.pop()] - seen:
            seen.add(q)
            stack.append(q)
    return seen


def test_every_place_is_reachable(default: Network) -> None:
    # places whose every link is one-way away from them (pipeline heads) are sources only
    incident: dict[str, list] = defaultdict(list)
    for k in default.links.values():
        incident[k.from_id].append(k)
        incident[k.to_id].append(k)
    sources_only = {
        p for p, ks in incident.items() if all(not k.bidirectional and k.from_id == p for k in ks)
    }
    assert all(incident[p] for p in default.places), "every place has a link"
    for start in ("CN_XIA", "TR_IST", "DE_DUI"):
        missing = set(default.places) - _reachable(default, start, planned=True)
        assert missing <= sources_only, (start, sorted(missing))
    for p in sources_only:
        assert len(_reachable(default, p, planned=True)) > 1


def test_xian_to_istanbul_avoiding_russia(compiled, default: Network) -> None:
    r = silkway.plan(
        compiled, "Xi'an", "Istanbul", avoid_countries=["RU"], depart=MONDAY, samples=300
    )
    assert len(r.options) >= 2
    assert r.query["origin"]["id"] == "CN_XIA" and r.query["destination"]["id"] == "TR_IST"
    for o in r.options:
        countries = {default.places[p].country for leg in o.legs for p in (leg.from_id, leg.to_id)}
        assert "RU" not in countries, o.route
        assert all(b.from_country != "RU" and b.to_country != "RU" for b in o.borders)
        assert o.hours_p90 >= o.hours_p50 > 0 and o.cost_usd > 0


def test_planned_cku_railway_is_off_unless_asked(compiled, default: Network) -> None:
    planned = {k.id for k in default.links.values() if k.status == "planned"}
    assert planned, "the network has planned links (the CKU railway)"
    cku_ends = {p for k in planned for p in default.links[k].ends()}
    origin = next(p for p in cku_ends if default.places[p].country == "CN")
    destination = next(p for p in cku_ends if default.places[p].country == "UZ")
    without = silkway.plan(compiled, origin, destination, depart=MONDAY, uncertainty=False)
    assert all(leg.link_id not in planned for o in without.options for leg in o.legs)
    with_cku = silkway.plan(
        compiled, origin, destination, depart=MONDAY, uncertainty=False, include_planned=True
    )
    assert any(leg.link_id in planned for o in with_cku.options for leg in o.legs)
    for o in with_cku.options:
        for leg in o.legs:
            if leg.link_id in planned:
                assert default.links[leg.link_id].open_year is not None


def test_places_only_on_planned_links_need_include_planned(compiled, default: Network) -> None:
    operational_ends = {
        p for k in default.links.values() if k.status == "operational" for p in k.ends()
    }
    only_planned = sorted(set(default.places) - operational_ends)
    for place in only_planned:
        with pytest.raises(NoRouteError, match="include-planned"):
            silkway.plan(compiled, "CN_XIA", place, depart=MONDAY, uncertainty=False)


def test_names_resolve_in_several_languages(default: Network) -> None:
    from silkway.model.names import PlaceIndex

    index = PlaceIndex.of(default)
    assert index.resolve("Xi'an").id == index.resolve("xian").id == "CN_XIA"
    xian = default.places["CN_XIA"]
    for name in (xian.name_ru, xian.name_zh):
        if name:
            assert index.resolve(name).id == "CN_XIA"
