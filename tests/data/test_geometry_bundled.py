"""The bundled link geometry: every link drawn, sea lines on the lanes, avoid is honest."""

from __future__ import annotations

import pytest

from silkway import plan
from silkway.compile import compile_network
from silkway.geo.lines import line_km
from silkway.model import load_network
from silkway.model.geometry import geometry_countries


@pytest.fixture(scope="module")
def network():
    return load_network()


def test_every_surface_link_has_a_line(network) -> None:
    missing = [
        k.id for k in network.links.values() if k.mode != "air" and k.id not in network.geometries
    ]
    assert missing == []


def test_sea_lines_from_searoute_agree_with_the_links_km(network) -> None:
    for g in network.geometries.values():
        if g.sources.get("line") == "der_searoute_geometry":
            link = network.links[g.link]
            assert abs(line_km(g.line) / link.km - 1) <= 0.05, link.id


def test_land_lines_stay_in_their_links_countries(network) -> None:
    for link in network.links.values():
        own = {network.places[link.from_id].country, network.places[link.to_id].country}
        own |= set(link.transit_countries)
        assert set(geometry_countries(network, link)) <= own, link.id


def test_avoiding_a_country_avoids_links_whose_line_crosses_it(tiny_copy) -> None:
    # AF (A in China, F called Kazakh) runs on its line through Kyrgyzstan, listed nowhere
    tiny_copy.write("link_geometry.csv", "id,via,line,sources\nAF,,80 40;78 41;76 42,line=t_est\n")
    network = load_network(tiny_copy.path)
    net = compile_network(network)
    codes = {net.countries.id(c) for c in net.link_countries(net.links.index("AF"))}
    assert "KG" in codes
    by_road = plan(network, "A", "C", modes=["road"], uncertainty=False)
    assert [leg.link_id for leg in by_road.options[0].legs] == ["AF", "FC"]
    avoided = plan(network, "A", "C", avoid_countries=["KG"], uncertainty=False)
    assert avoided.options
    assert all(leg.link_id != "AF" for o in avoided.options for leg in o.legs)


def test_geojson_draws_the_lines(network) -> None:
    result = plan(network, "Shanghai", "Rotterdam", modes=["sea"], uncertainty=False)
    feature = result.to_geojson()["features"][0]
    line = network.geometries[feature["properties"]["link"]].line
    coords = feature["geometry"]["coordinates"]
    assert len(coords) == len(line) > 50
    assert coords[0] == [round(line[0][0], 6), round(line[0][1], 6)]
    assert feature["properties"]["geometry"] == "geometry"


def test_air_legs_fly_great_circles(network) -> None:
    result = plan(
        network,
        "Chongqing",
        "Duisburg",
        cargo="800kg",
        modes=["air", "road"],
        uncertainty=False,
    )
    air = [f for f in result.to_geojson()["features"] if f["properties"]["mode"] == "air"]
    assert air and all(f["properties"]["geometry"] == "great_circle" for f in air)
    assert all(len(f["geometry"]["coordinates"]) > 10 for f in air)


def test_a_leg_travelled_backwards_follows_its_line_backwards(network) -> None:
    result = plan(network, "Rotterdam", "Shanghai", modes=["sea"], uncertainty=False)
    leg = result.options[0].legs[0]
    assert leg.path == network.geometries[leg.link_id].line[::-1]
