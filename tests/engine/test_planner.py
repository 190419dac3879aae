"""The planner on the tiny network: constraints, sorting, uncertainty and errors.

Tiny: A, B in CN; C, D, F in KZ; E in AZ. Rail 1435 A-B-C (B-C crosses the border,
10 h dwell and 200 USD leaving B), rail 1520 C-D with a gauge change at C; road A-F-C
(A-F crosses the border, open Mon-Fri, 2 h, 100 USD), planned road F-D; a queue ferry
D-E (48 h median wait, 500 USD per FEU, 3 h border). 2026-12-07 is a Monday and
2026-12-04 a Friday.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import silkway
from silkway import (
    AmbiguousPlaceError,
    NoRouteError,
    QueryError,
    SilkwayError,
    UnknownPlaceError,
)
from silkway.compile import compile_network
from silkway.engine.cargo import Cargo
from silkway.model.records import Network

MONDAY = "2026-12-07"


@pytest.fixture(scope="module")
def net(tiny_network: Network):
    return compile_network(tiny_network)


def plan(net, origin: str = "A", destination: str = "E", **kw):
    kw.setdefault("depart", MONDAY)
    return silkway.plan(net, origin, destination, **kw)


def places_of(option) -> set[str]:
    return {p for leg in option.legs for p in (leg.from_id, leg.to_id)}


def links_of(option) -> tuple[str, ...]:
    return tuple(leg.link_id for leg in option.legs)


def test_dates_used_here() -> None:
    assert dt.date(2026, 12, 7).weekday() == 0
    assert dt.date(2026, 12, 4).weekday() == 4


# --------------------------------------------------------------------------- by hand


def test_a_to_e_options_by_hand(net) -> None:
    """Both Pareto routes from A to E, leaving Monday 00:00 with 1 FEU (2 TEU, 20 t).

    Rail A-B-C-D + ferry:
      time 4 (200 km / 50) + 2 (100 / 50) + 10 border + 6 gauge change + 6 (300 / 50)
           + 3 rail-ferry transfer + 48 ferry queue + 20 ferry + 3 border = 102 h
      cost 60 (200 x 0.3) + 30 + 200 border + 100 gauge + 90 + 50 transfer + 500 ferry
           + 50 border = 1080 USD
      CO2e 600 km x 20 g x 20 t / 1000 = 240, + 300 x 124.8 x 20 / 1000 = 748.8,
           + gauge change 2 kg/TEU x 2 TEU = 4: 992.8 kg
    Road A-F-C + rail C-D + ferry:
      time 410/60 + 2 border + 250/60 + 4 road-rail + 6 + 3 + 48 + 20 + 3 = 97 h
      cost 410 + 100 + 250 + 80 + 90 + 50 + 500 + 50 = 1530 USD
      CO2e 660 x 80 x 20 / 1000 = 1056, + 120 rail, + 748.8 ferry, + 4 = 1928.8 kg
    Neither dominates: road is faster, rail cheaper and cleaner.
    """
    r = plan(net, uncertainty=False)
    assert r.pareto_size == 2
    got = {links_of(o): (o.hours_median_basis, o.cost_usd, o.co2e_wtw_kg) for o in r.options}
    assert set(got) == {("AB", "BC", "CD", "DE"), ("AF", "FC", "CD", "DE")}
    assert got[("AB", "BC", "CD", "DE")] == pytest.approx((102.0, 1080.0, 992.8))
    assert got[("AF", "FC", "CD", "DE")] == pytest.approx((97.0, 1530.0, 1928.8))
    rail = next(o for o in r.options if o.legs[0].link_id == "AB")
    assert rail.gauge_changes == ("C",)
    assert rail.transshipments == 1  # the gauge change; the rail-ferry change is not one
    assert [b.name for b in rail.borders] == ["Bravo-Charlie", "Delta-Echo ferry"]
    assert rail.regimes == ("SMGS", "B/L")
    assert rail.route == ("A", "B", "C", "D", "E")
    assert rail.distance_km == 900.0


def test_cargo_size_scales_per_unit_costs(net) -> None:
    one = plan(net, "A", "C", modes=["rail"], uncertainty=False).options[0]
    three = plan(net, "A", "C", modes=["rail"], cargo="3xFEU", uncertainty=False).options[0]
    # A-B-C rail: 90 USD of track per FEU, 200 USD border per shipment
    assert one.cost_usd == pytest.approx(90 + 200)
    assert three.cost_usd == pytest.approx(3 * 90 + 200)
    # 300 km x 20 g/tkm x 20 t per FEU
    assert three.co2e_wtw_kg == pytest.approx(3 * one.co2e_wtw_kg) == pytest.approx(360.0)


# --------------------------------------------------------------------------- constraints


def test_avoid_places(net) -> None:
    # A to C goes by rail through B, or by road through F
    r = plan(net, "A", "C", avoid_places=["Bravo"])
    assert r.options
    assert all("B" not in places_of(o) for o in r.options)
    assert all(links_of(o) == ("AF", "FC") for o in r.options)
    assert r.query["avoid_places"] == ["B"]


def test_avoid_countries_blocks_with_a_reason(net) -> None:
    # every way to E passes D in KZ
    with pytest.raises(NoRouteError, match="not avoiding country KZ"):
        plan(net, avoid_countries=["KZ"])


def test_avoid_countries_changes_the_route(tiny_copy) -> None:
    # add a road A-G-C through Kyrgyzstan, faster than A-F-C, then avoid KG
    tiny_copy.add(
        "places.csv",
        id="G",
        name_en="Golf",
        country="KG",
        lat="41",
        lon="78.5",
        kind="city",
        sources="lat+lon=t_est",
    )
    for lid, a, b, km in (("AG", "A", "G", "200"), ("GC", "G", "C", "200")):
        tiny_copy.add(
            "links.csv",
            id=lid,
            **{"from": a},
            to=b,
            mode="road",
            energy="diesel",
            km=km,
            speed_kmh="80",
            cost_per_km_usd="1",
            cargo="container",
            emission_factor="ef_road",
            sources="*=t_est",
        )
        for start in (a, b):
            tiny_copy.add(
                "crossings.csv",
                id=f"x{lid}{start}",
                link=lid,
                **{"from": start},
                median_hours="1",
                sources="*=t_est",
            )
    net2 = silkway.load_network(tiny_copy.path)
    fastest = silkway.plan(net2, "A", "C", depart=MONDAY, sort="time").options[0]
    assert "G" in places_of(fastest)
    r = silkway.plan(net2, "A", "C", depart=MONDAY, avoid_countries=["kg"])
    assert r.query["avoid_countries"] == ["KG"]
    assert r.options and all("G" not in places_of(o) for o in r.options)


def test_avoiding_the_origin_is_a_query_error(net) -> None:
    with pytest.raises(QueryError, match="itself avoided"):
        plan(net, avoid_countries=["CN"])
    with pytest.raises(QueryError, match="itself avoided"):
        plan(net, avoid_places=["Echo"])


def test_modes(net) -> None:
    road = plan(net, "A", "C", modes=["road"])
    assert all(leg.mode == "road" for o in road.options for leg in o.legs)
    assert [links_of(o) for o in road.options] == [("AF", "FC")]
    rail = plan(net, "A", "C", modes=["rail", "ferry"])
    assert [links_of(o) for o in rail.options] == [("AB", "BC")]
    with pytest.raises(NoRouteError, match="allowing all modes"):
        plan(net, modes=["rail"])  # E is only reached by ferry


def test_cargo_class(net) -> None:
    # road links carry containers only: dry bulk from A to C must go by rail
    r = plan(net, "A", "C", cargo="20t:dry_bulk")
    assert [links_of(o) for o in r.options] == [("AB", "BC")]
    assert r.query["cargo_class"] == "dry_bulk"
    with pytest.raises(NoRouteError) as info:
        plan(net, "A", "C", cargo="1xFEU", cargo_class="liquid_bulk")
    assert "shipping it as container cargo" in str(info.value)
    assert "liquid_bulk" in str(info.value)


def test_include_planned(net) -> None:
    without = plan(net, "A", "D")
    assert all("FD" not in links_of(o) for o in without.options)
    with_planned = plan(net, "A", "D", include_planned=True)
    assert any("FD" in links_of(o) for o in with_planned.options)
    # A-F-D by road: 410/60 + 2 border + 300/60 = 13.83 h, against 28 h by rail
    fastest = min(with_planned.options, key=lambda o: o.hours_median_basis)
    assert links_of(fastest) == ("AF", "FD")
    assert fastest.hours_median_basis == pytest.approx(410 / 60 + 2 + 5)


def test_max_transshipments(net) -> None:
    # to D: rail needs the gauge change at C, road A-F-C needs the road-rail transfer
    # at C; only the planned road F-D has none
    with pytest.raises(NoRouteError) as info:
        plan(net, "A", "D", max_transshipments=0)
    msg = str(info.value)
    assert "lifting the transshipment limit" in msg and "including planned links" in msg
    r = plan(net, "A", "D", max_transshipments=0, include_planned=True)
    assert [links_of(o) for o in r.options] == [("AF", "FD")]
    assert all(o.transshipments == 0 for o in r.options)
    one = plan(net, "A", "D", max_transshipments=1)
    assert one.options and all(o.transshipments <= 1 for o in one.options)


# --------------------------------------------------------------------------- options


@pytest.mark.parametrize("sort", ["cost", "co2"])
def test_sort_orders(net, sort: str) -> None:
    r = plan(net, include_planned=True, sort=sort)
    assert len(r.options) >= 2
    key = {"cost": lambda o: o.cost_usd, "co2": lambda o: o.co2e_wtw_kg}[sort]
    values = [key(o) for o in r.options]
    assert values == sorted(values)
    assert [o.rank for o in r.options] == list(range(1, len(r.options) + 1))


def test_time_sort_is_by_p50(net) -> None:
    r = plan(net, include_planned=True, sort="time")
    p50 = [o.hours_p50 for o in r.options]
    assert p50 == sorted(p50)


def test_options_are_distinct(net) -> None:
    for kw in ({}, {"include_planned": True}, {"destination": "A", "origin": "E"}):
        r = plan(net, **kw)
        legs = [links_of(o) for o in r.options]
        assert len(legs) == len(set(legs))
        crit = [(o.hours_median_basis, o.cost_usd, o.co2e_wtw_kg) for o in r.options]
        assert len(crit) == len(set(crit))


def test_closed_link_is_not_routed(tiny_copy) -> None:
    tiny_copy.set("links.csv", "FC", "status", "closed")
    net2 = silkway.load_network(tiny_copy.path)
    with pytest.raises(NoRouteError):
        silkway.plan(net2, "A", "C", modes=["road"], depart=MONDAY)
    r = silkway.plan(net2, "A", "C", depart=MONDAY)
    assert all("FC" not in links_of(o) for o in r.options)


def test_max_options(net) -> None:
    assert len(plan(net, max_options=1).options) == 1


def test_fastest_cheapest_and_cleanest_are_offered(net) -> None:
    r = plan(net, uncertainty=False)
    # the rail route is cheapest and cleanest, the road route fastest (see above)
    assert min(o.cost_usd for o in r.options) == pytest.approx(1080.0)
    assert min(o.hours_median_basis for o in r.options) == pytest.approx(97.0)


# --------------------------------------------------------------------------- uncertainty


def test_same_seed_same_numbers(net) -> None:
    a = plan(net, seed=7, samples=500)
    b = plan(net, seed=7, samples=500)
    assert [(o.hours_p50, o.hours_p90) for o in a.options] == [
        (o.hours_p50, o.hours_p90) for o in b.options
    ]


def test_different_seed_different_numbers(net) -> None:
    # the ferry wait and the dwell times are lognormal: estimates from 300 draws differ
    def p50_by_route(seed: int) -> dict[tuple[str, ...], float]:
        return {links_of(o): o.hours_p50 for o in plan(net, seed=seed, samples=300).options}

    base = p50_by_route(0)
    others = [p50_by_route(s) for s in (1, 2, 3)]
    assert all(set(o) == set(base) for o in others)
    assert any(o[k] != base[k] for o in others for k in base)


def test_p90_not_below_p50(net) -> None:
    for kw in ({}, {"include_planned": True}, {"origin": "E", "destination": "A"}):
        for o in plan(net, **kw).options:
            assert o.hours_p90 >= o.hours_p50 > 0
            for leg in o.legs:
                assert leg.wait_hours_p90 >= leg.wait_hours_p50 >= 0


def test_p50_of_one_lognormal_wait_is_its_median(net) -> None:
    # A to C by rail: the only random time is the B-C border (median 10, P90 30)
    r = plan(net, "A", "C", modes=["rail"], samples=2000)
    o = r.options[0]
    assert o.hours_p90 > o.hours_p50
    # P50 of a lognormal is its median: 4 + 2 + 10 = 16 h, within sampling error
    assert o.hours_p50 == pytest.approx(16.0, rel=0.05)


def test_deterministic_mode(net) -> None:
    r = plan(net, uncertainty=False)
    assert r.query["samples"] == 0
    for o in r.options:
        assert o.hours_p50 == o.hours_p90 == o.hours_median_basis
        assert all(leg.wait_hours_p50 is None for leg in o.legs)


def test_border_closed_at_the_weekend(net) -> None:
    """Friday 20:00 (hour 4 x 24 + 20 = 116 of the week) by road from A to F.

    Arrival at F: 116 + 410/60 = 122.83 h, Saturday 02:50; A-F clears Mon-Fri only, so
    the cargo waits until Monday 00:00 (hour 168): 45.17 h, then the 2 h dwell.
    """
    r = plan(net, "A", "F", depart="2026-12-04T20:00", uncertainty=False)
    (o,) = r.options
    (leg,) = o.legs
    assert (leg.from_id, leg.to_id, leg.link_id) == ("A", "F", "AF")
    waits = {w.reason: w.hours for w in leg.waits}
    assert waits["closed"] == pytest.approx(168 - 116 - 410 / 60)
    assert waits["border"] == pytest.approx(2.0)
    assert "closed" in leg.wait_reason and "Mon-Fri" in leg.wait_reason
    assert o.hours_median_basis == pytest.approx(54.0)  # 6.83 + 45.17 + 2
    monday = plan(net, "A", "F", uncertainty=False).options[0]
    assert "closed" not in {w.reason for w in monday.legs[0].waits}
    assert monday.hours_median_basis == pytest.approx(410 / 60 + 2)


def test_arrival_times(net) -> None:
    o = plan(net, "A", "F", depart="2026-12-04T20:00", uncertainty=False).options[0]
    assert o.arrival_p50 == "2026-12-07T02:00+00:00"  # Friday 20:00 + 54 h


# --------------------------------------------------------------------------- inputs


def test_names_in_any_language(net) -> None:
    r = plan(net, "альфа", "ECHO", uncertainty=False)
    assert r.query["origin"] == {"id": "A", "name": "Alpha"}
    assert r.query["destination"]["id"] == "E"


def test_accepts_a_network_a_compiled_network_and_a_cargo(tiny_network: Network, net) -> None:
    a = silkway.plan(tiny_network, "A", "C", depart=MONDAY, uncertainty=False)
    b = silkway.plan(
        net, "A", "C", depart=MONDAY, uncertainty=False, cargo=Cargo(1, "FEU", "container")
    )
    assert [links_of(o) for o in a.options] == [links_of(o) for o in b.options]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"depart": "2026-13-45"}, QueryError),
        ({"depart": "next tuesday"}, QueryError),
        ({"cargo": "lots"}, QueryError),
        ({"cargo": "2xFEU", "cargo_class": "grain"}, QueryError),
        ({"origin": "Zulu"}, UnknownPlaceError),
        ({"destination": "Nowhere"}, UnknownPlaceError),
        ({"avoid_places": ["Zulu"]}, UnknownPlaceError),
        ({"modes": ["hovercraft"]}, QueryError),
        ({"sort": "fun"}, QueryError),
        ({"max_options": 0}, QueryError),
        ({"samples": 0}, QueryError),
        ({"max_transshipments": -1}, QueryError),
        ({"objectives": ("speed",)}, QueryError),
        ({"objectives": ()}, QueryError),
        ({"avoid_countries": ["UR"]}, QueryError),
        ({"destination": "Alpha"}, QueryError),  # same as the origin
    ],
)
def test_bad_queries(net, kwargs: dict, error: type[Exception]) -> None:
    kwargs = {"origin": "A", "destination": "E", **kwargs}
    with pytest.raises(error) as info:
        plan(net, **kwargs)
    assert isinstance(info.value, SilkwayError)
    assert str(info.value)


def test_ambiguous_name(tiny_copy) -> None:
    tiny_copy.copy_row(
        "places.csv", "F", id="F2", name_en="Foxtrot", lat="42.5", name_ru="", name_zh=""
    )
    tiny_copy.add(
        "links.csv",
        id="FF2",
        **{"from": "F"},
        to="F2",
        mode="road",
        energy="diesel",
        km="60",
        speed_kmh="60",
        cargo="container",
        emission_factor="ef_road",
        sources="*=t_est",
    )
    net2 = silkway.load_network(tiny_copy.path)
    with pytest.raises(AmbiguousPlaceError):
        silkway.plan(net2, "A", "Foxtrot")


text = st.text(max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    origin=st.one_of(st.sampled_from(["A", "Alpha", "E", "F", "Zulu", ""]), text),
    destination=st.one_of(st.sampled_from(["E", "Echo", "C", "A"]), text),
    cargo=st.one_of(st.sampled_from(["1xFEU", "2 TEU", "40t", "5t:liquid_bulk", "x"]), text),
    depart=st.one_of(st.none(), st.sampled_from(["2026-12-04T20:00", "2026-02-30"]), text),
    modes=st.one_of(st.none(), st.lists(st.sampled_from(["rail", "road", "ferry", "boat"]))),
    sort=st.sampled_from(["time", "cost", "co2", "speed"]),
    avoid=st.lists(st.sampled_from(["CN", "KZ", "AZ", "XX", "RUS", ""]), max_size=2),
)
def test_any_query_gives_a_result_or_a_silkway_error(
    net, origin, destination, cargo, depart, modes, sort, avoid
) -> None:
    try:
        r = silkway.plan(
            net,
            origin,
            destination,
            cargo=cargo,
            depart=depart,
            modes=modes,
            sort=sort,
            avoid_countries=avoid,
            samples=50,
        )
    except SilkwayError as exc:
        assert str(exc)
    else:
        assert r.options
