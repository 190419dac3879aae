"""Per-train-type arrays (:mod:`silkway.compile.trains`) against the records they come from."""

from __future__ import annotations

from dataclasses import replace

import pytest

import silkway
from silkway.compile import compile_network
from silkway.compile.trains import lognormal_sigma
from silkway.model.records import BASE_TRAIN, TRAIN_TYPES, Dwell, TrainRule


def test_the_default_rows_are_the_networks_own_arrays() -> None:
    net = compile_network(silkway.load_network())
    t = net.default_train
    assert net.train_types == TRAIN_TYPES and TRAIN_TYPES[t] == BASE_TRAIN
    assert net.arc_hours_by_train.shape == (len(TRAIN_TYPES), net.n_arcs)
    assert list(net.arc_hours_by_train[t]) == list(net.arc_hours)
    assert list(net.link_cost_per_km_by_train[t]) == list(net.link_cost_per_km)
    assert list(net.crossing_hours_by_train[t]) == list(net.crossing_hours)
    assert list(net.crossing_sigma_by_train[t]) == list(net.crossing_sigma)
    assert (net.link_train_rule[t] == -1).all() and (net.crossing_train_rule[t] == -1).all()


def test_each_row_follows_its_rule(tiny_network) -> None:
    links = dict(tiny_network.links)
    links["AB"] = replace(links["AB"], section="cn")
    links["CD"] = replace(links["CD"], section="era", speed_kmh=None, duration_hours=8.0)
    rules = {
        "a": TrainRule("a", "wagonload", section="cn", speed_kmh=25.0, cost_factor=2.0),
        "b": TrainRule("b", "wagonload", section="era", speed_factor=0.5, cost_per_km_usd=1.5),
        "c": TrainRule("c", "express", crossing="xBC", median_hours=2.0, p90_hours=4.0),
    }
    net = compile_network(replace(tiny_network, links=links, train_rules=rules))
    wagon, express = TRAIN_TYPES.index("wagonload"), TRAIN_TYPES.index("express")
    ab, cd, bc = (net.links.index(k) for k in ("AB", "CD", "BC"))

    def hours(train: int, link: int) -> float:
        arc = next(a for a in range(net.n_arcs) if net.arc_link[a] == link)
        return float(net.arc_hours_by_train[train, arc])

    assert hours(wagon, ab) == pytest.approx(links["AB"].km / 25.0)
    assert net.link_cost_per_km_by_train[wagon, ab] == pytest.approx(2.0 * 0.3)
    assert hours(wagon, cd) == pytest.approx(8.0 / 0.5)  # a scheduled duration, halved speed
    assert net.link_cost_per_km_by_train[wagon, cd] == pytest.approx(1.5)
    assert hours(wagon, bc) == hours(net.default_train, bc)  # no section: its own
    assert hours(express, ab) == hours(net.default_train, ab)
    assert [net.train_rules.id(int(r)) for r in net.link_train_rule[wagon, [ab, cd]]] == [
        "a",
        "b",
    ]
    x = net.crossings.index("xBC")
    assert net.crossing_hours_by_train[express, x] == 2.0
    assert net.crossing_sigma_by_train[express, x] == pytest.approx(lognormal_sigma(Dwell(2, 4)))
    assert net.crossing_train_rule[express, x] == net.train_rules.index("c")
    other = net.crossings.index("xCB")  # the other direction keeps its own dwell
    assert net.crossing_hours_by_train[express, other] == net.crossing_hours[other]
