"""Compiling a network into arrays: the id index, arcs, transfers, crossings, services."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from silkway.compile import IdIndex, cargo_mask, compile_network, mode_code
from silkway.model.records import CARGO_CLASSES, MODES, Network

ids = st.text(
    alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-",
    min_size=1,
    max_size=8,
)


@given(st.lists(ids, unique=True, max_size=40))
def test_id_index_round_trips(keys: list[str]) -> None:
    index = IdIndex(keys)
    assert len(index) == len(keys)
    assert index.ids == tuple(keys)
    for i, key in enumerate(keys):
        assert key in index
        assert index.index(key) == i
        assert index.id(i) == key
        assert index.index(index.id(i)) == i
    assert "not an id!" not in index


@given(st.lists(ids, min_size=1, max_size=20, unique=True), st.data())
def test_id_index_rejects_duplicates(keys: list[str], data: st.DataObject) -> None:
    dup = data.draw(st.sampled_from(keys))
    with pytest.raises(ValueError, match="unique"):
        IdIndex([*keys, dup])


def test_id_index_unknown_key() -> None:
    with pytest.raises(KeyError):
        IdIndex(["a"]).index("b")


@pytest.fixture(scope="module")
def compiled(tiny_network: Network):
    return compile_network(tiny_network)


def test_places_in_file_order(compiled, tiny_network: Network) -> None:
    assert compiled.places.ids == tuple(tiny_network.places)
    assert compiled.place_country == ("CN", "CN", "KZ", "KZ", "AZ", "KZ")
    assert compiled.place_lat.tolist() == [p.lat for p in tiny_network.places.values()]


def test_arcs_match_links(compiled, tiny_network: Network) -> None:
    # every tiny link is bidirectional: two arcs each, one per direction
    assert compiled.n_arcs == 2 * len(tiny_network.links)
    seen: dict[str, list[tuple[str, str]]] = {}
    for arc in range(compiled.n_arcs):
        link_id = compiled.links.id(int(compiled.arc_link[arc]))
        link = tiny_network.links[link_id]
        a, b = compiled.arc_direction(arc)
        seen.setdefault(link_id, []).append((a, b))
        assert {a, b} == {link.from_id, link.to_id}
        assert compiled.arc_km[arc] == link.km
        assert compiled.arc_hours[arc] == pytest.approx(link.moving_hours())
        assert compiled.arc_mode[arc] == MODES.index(link.mode)
        assert compiled.arc_gauge[arc] == (link.gauge_mm or 0)
        assert arc in compiled.out_arcs(compiled.places.index(a)).tolist()
    for link_id, link in tiny_network.links.items():
        assert sorted(seen[link_id]) == sorted(
            [(link.from_id, link.to_id), (link.to_id, link.from_id)]
        )
    # out_arcs partitions the arcs
    every = [a for p in range(len(compiled.places)) for a in compiled.out_arcs(p).tolist()]
    assert sorted(every) == list(range(compiled.n_arcs))


def test_one_way_link_has_one_arc(tiny_network: Network) -> None:
    links = dict(tiny_network.links)
    links["FD"] = replace(links["FD"], bidirectional=False)
    net = compile_network(replace(tiny_network, links=links))
    fd = net.links.index("FD")
    arcs = [a for a in range(net.n_arcs) if net.arc_link[a] == fd]
    assert [net.arc_direction(a) for a in arcs] == [("F", "D")]
    assert net.n_arcs == 2 * len(links) - 1


def test_crossings_attach_to_the_leaving_direction(compiled, tiny_network: Network) -> None:
    for arc in range(compiled.n_arcs):
        a, b = compiled.arc_direction(arc)
        link_id = compiled.links.id(int(compiled.arc_link[arc]))
        ci = int(compiled.arc_crossing[arc])
        expected = [
            c.id for c in tiny_network.crossings.values() if c.link == link_id and c.from_id == a
        ]
        if (
            compiled.place_country[compiled.places.index(a)]
            == (compiled.place_country[compiled.places.index(b)])
        ):
            assert ci == -1 and expected == []
        else:
            assert [compiled.crossings.id(ci)] == expected


def test_crossing_opening_days(compiled) -> None:
    always = dict(zip(compiled.crossings.ids, compiled.crossing_always_open.tolist(), strict=True))
    assert always["xBC"] is True  # Mon-Sun, no hours: always open
    assert always["xAF"] is False
    xaf = compiled.crossings.index("xAF")
    assert compiled.crossing_open_days[xaf] == (0, 1, 2, 3, 4)
    assert compiled.crossing_open_hours[xaf] is None


def test_transfers_are_keyed_in_both_directions(compiled) -> None:
    c = compiled.places.index("C")
    d = compiled.places.index("D")
    rail, road, ferry = mode_code("rail"), mode_code("road"), mode_code("ferry")
    c1435, c1520 = compiled.state(c, rail, 1435), compiled.state(c, rail, 1520)
    c_road, d_ferry = compiled.state(c, road), compiled.state(d, ferry)
    d1520, d1435 = compiled.state(d, rail, 1520), compiled.state(d, rail, 1435)
    t_gauge = compiled.transfers.index("tC_gauge")
    assert compiled.transfer(c1435, c1520) == compiled.transfer(c1520, c1435) == t_gauge
    t_road = compiled.transfers.index("tC_road")
    assert compiled.transfer(c_road, c1520) == compiled.transfer(c1520, c_road) == t_road
    t_ferry = compiled.transfers.index("tD_ferry")
    assert compiled.transfer(d_ferry, d1520) == t_ferry
    # nothing allows road <-> 1435 rail at C; D has no 1435 rail state at all
    assert compiled.transfer(c_road, c1435) == -1
    assert d1435 == -1
    assert len(compiled.transfer_between) == 2 * len(compiled.transfers)


def _boards(net, arc: int) -> list[tuple[int, float, int]]:
    return [
        (int(net.board_service[b]), float(net.board_offset[b]), int(net.board_next[b]))
        for b in net.boardings(arc)
    ]


def test_services_board_on_their_arcs(compiled) -> None:
    ferry = compiled.services.index("ferry_DE")
    boards = {
        compiled.arc_direction(a): _boards(compiled, a)
        for a in range(compiled.n_arcs)
        if _boards(compiled, a)
    }
    assert boards == {("D", "E"): [(ferry, 0.0, -1)], ("E", "D"): [(ferry, 0.0, -1)]}


def test_multi_link_service_offsets_and_continuation(tiny_network: Network) -> None:
    """Each stop's timetable is the first stop's plus moving time and border dwell."""
    from silkway.model.records import Service

    links = dict(tiny_network.links)
    links["BC"] = replace(links["BC"], from_id="C", to_id="B")
    services = {
        "ab_c": Service(
            "ab_c", "ABC", "timetable", "rail", ("AB", "BC"), ("container",), departures=(6.0,)
        )
    }
    net = compile_network(replace(tiny_network, links=links, services=services))
    arcs = {net.arc_direction(a): a for a in range(net.n_arcs)}
    # forward run A->B->C: AB moves 200/50 = 4 h, so boarding at B is 4 h after departure
    assert _boards(net, arcs[("A", "B")]) == [(0, 0.0, arcs[("B", "C")])]
    assert _boards(net, arcs[("B", "C")]) == [(0, 4.0, -1)]
    # reverse run C->B->A: CB moves 100/50 = 2 h and clears the border C->B (xCB, 5 h)
    assert _boards(net, arcs[("C", "B")]) == [(0, 0.0, arcs[("B", "A")])]
    assert _boards(net, arcs[("B", "A")]) == [(0, 7.0, -1)]
    assert _boards(net, arcs[("A", "F")]) == []


def test_per_link_flags(compiled, tiny_network: Network) -> None:
    planned = [compiled.links.id(i) for i in np.flatnonzero(compiled.link_planned)]
    assert planned == ["FD"]
    assert not compiled.link_closed.any()
    af = compiled.links.index("AF")
    assert compiled.link_cargo[af] == cargo_mask(["container"]) == 1
    ab = compiled.links.index("AB")
    assert compiled.link_cargo[ab] == 0b11  # container and dry_bulk
    assert compiled.link_wtw[compiled.links.index("DE")] == 124.8
    assert compiled.link_ttw[compiled.links.index("DE")] == 106.4


def test_cargo_mask_bits() -> None:
    assert cargo_mask([]) == 0
    assert cargo_mask(CARGO_CLASSES) == (1 << len(CARGO_CLASSES)) - 1
    assert cargo_mask(["liquid_bulk"]) == 1 << CARGO_CLASSES.index("liquid_bulk")
