"""Provenance weighted by influence: a hand computation on the tiny network, the
properties every result has, the cache, and the bundled network's figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import silkway
from silkway.model import load_network
from silkway.quality.cache import cached_influence, fingerprint
from silkway.quality.influence import NO_PROVENANCE, Influence, influence
from silkway.quality.relations import LONG_HAUL_PLACES, long_haul_relations

KINDS = ("sourced", "derived", "estimate")


@pytest.fixture
def graded(tiny_copy):
    """The tiny network with a derived source and some fields re-labelled:
    B-C's km is derived, C-D's speed an estimate, x_BC's dwell an estimate."""
    tiny_copy.add("sources.csv", id="t_der", kind="derived", title="Derived", derived_from="t_src")
    tiny_copy.set("links.csv", "BC", "sources", "km=t_der *=t_src")
    tiny_copy.set("links.csv", "CD", "sources", "speed_kmh=t_est *=t_src")
    tiny_copy.set("crossings.csv", "xBC", "sources", "median_hours=t_est *=t_src")
    return load_network(tiny_copy.path)


def test_hand_computation(graded) -> None:
    """B -> D is one route: rail B-C (100 km at 50 km/h, 0.3 USD/FEU-km), the border
    leaving B (10 h, 200 USD per shipment), a gauge change at C (6 h, 100 USD per FEU,
    all estimates) and rail C-D (300 km at 50 km/h, 0.3 USD/FEU-km)."""
    got = influence(graded, relations=[("B", "D")])
    assert got is not None and got.options == 1 and got.relations == 1
    # hours: B-C 2 h (km derived, speed sourced), border 10 h (estimate), gauge 6 h
    # (estimate), C-D 6 h (km sourced, speed estimate); each moving time half and half
    hours = {"sourced": 2 / 2 + 6 / 2, "derived": 2 / 2, "estimate": 10 + 6 + 6 / 2}
    # cost: B-C 30 USD (rate sourced, km derived), border 200 (sourced), gauge 100
    # (estimate; one FEU per FEU converts with no parameter), C-D 90 (all sourced)
    cost = {"sourced": 30 / 2 + 200 + 90, "derived": 30 / 2, "estimate": 100}
    assert got.hours_total == pytest.approx(24)
    assert got.cost_usd_total == pytest.approx(420)
    for k in KINDS:
        assert got.hours_share[k] == pytest.approx(hours[k] / 24)
        assert got.cost_share[k] == pytest.approx(cost[k] / 420)
        assert got.share[k] == pytest.approx((hours[k] / 24 + cost[k] / 420) / 2)
    by_param = {p.parameter: p for p in got.parameters}
    assert by_param["link:BC.km"].kind == "derived"
    assert by_param["link:BC.km"].hours == pytest.approx(1)
    assert by_param["link:BC.km"].cost_usd == pytest.approx(15)
    assert by_param["crossing:xBC.median_hours"].source == "t_est"
    # one source of each kind here, so each source's weight is its kind's share
    top = {s.source: s for s in got.by_source()}
    assert set(top) == {"t_src", "t_der", "t_est"}
    for sid, kind in (("t_src", "sourced"), ("t_der", "derived"), ("t_est", "estimate")):
        assert top[sid].weight == pytest.approx(got.share[kind])
    assert got.by_source()[0].source == "t_est"  # 19 of 24 hours


def test_no_provenance_counts_as_estimate(graded) -> None:
    """A-F leaving on Saturday waits for the post to open on Monday: the opening days
    carry no provenance, so those hours are estimates with no source."""
    got = influence(graded, relations=[("A", "F")], depart="2026-12-05")
    assert got is not None
    (closed,) = [p for p in got.parameters if p.parameter == "crossing:xAF.open_days"]
    assert closed.source == NO_PROVENANCE and closed.kind == "estimate"
    assert closed.hours > 24


@pytest.mark.parametrize("cargo", ["1xFEU", "2xTEU", "40t:dry_bulk"])
def test_shares_sum_to_one(tiny_network, cargo: str) -> None:
    pairs = [(o, d) for o in "ABCDF" for d in "ABCDEF" if o != d]
    got = influence(tiny_network, relations=pairs, cargo=cargo)
    assert got is not None
    for shares in (got.share, got.hours_share, got.cost_share):
        assert set(shares) == set(KINDS)
        assert sum(shares.values()) == pytest.approx(1.0)
        assert all(0.0 <= v <= 1.0 for v in shares.values())
    assert sum(p.hours for p in got.parameters) == pytest.approx(got.hours_total)
    assert sum(p.cost_usd for p in got.parameters) == pytest.approx(got.cost_usd_total)


def test_totals_are_the_options_totals(tiny_network) -> None:
    pairs = [("A", "E"), ("E", "A"), ("A", "D")]
    got = influence(tiny_network, relations=pairs)
    assert got is not None
    hours = cost = 0.0
    for o, d in pairs:
        for opt in silkway.plan(tiny_network, o, d, depart=got.depart, uncertainty=False):
            hours += opt.hours_median_basis
            cost += opt.cost_usd
    assert got.hours_total == pytest.approx(hours)
    assert got.cost_usd_total == pytest.approx(cost)


def test_no_route_and_missing_places(tiny_network) -> None:
    assert influence(tiny_network) is None  # none of the long-haul places
    # F is reached by road only, and the roads carry containers only
    got = influence(tiny_network, relations=[("A", "E"), ("E", "F")], cargo="40t:dry_bulk")
    assert got is not None and got.no_route == (("E", "F"),) and got.relations == 2
    assert long_haul_relations(set()) == []
    assert len(long_haul_relations()) == len(LONG_HAUL_PLACES) * (len(LONG_HAUL_PLACES) - 1)


def test_deterministic_and_round_trips(tiny_network) -> None:
    pairs = [("A", "E"), ("B", "D")]
    a, b = influence(tiny_network, relations=pairs), influence(tiny_network, relations=pairs)
    assert a is not None and b is not None
    assert (a.share, a.parameters) == (b.share, b.parameters)
    again = Influence.load(json.loads(json.dumps(a.dump())))
    assert again == a


def test_cache(tiny_copy, tmp_path: Path) -> None:
    net = load_network(tiny_copy.path)
    pairs = [("A", "E")]
    first, cached = cached_influence(net, cache_dir=tmp_path, relations=pairs)
    assert not cached and first is not None
    second, cached = cached_influence(net, cache_dir=tmp_path, relations=pairs)
    assert cached and second == first
    # an edited cell is another network: another key
    tiny_copy.set("links.csv", "DE", "cost_fixed_usd", "700")
    edited = load_network(tiny_copy.path)
    assert fingerprint(edited, pairs) != fingerprint(net, pairs)
    third, cached = cached_influence(edited, cache_dir=tmp_path, relations=pairs)
    assert not cached and third is not None and third.cost_usd_total > first.cost_usd_total
    # a damaged file is recomputed, an unwritable folder is no cache at all
    for f in tmp_path.glob("influence-*.json"):
        f.write_text("{not json", encoding="utf-8")
    fourth, cached = cached_influence(net, cache_dir=tmp_path, relations=pairs)
    assert not cached and fourth == first
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    fifth, cached = cached_influence(net, cache_dir=blocked / "sub", relations=pairs)
    assert not cached and fifth == first


@pytest.fixture(scope="module")
def bundled():
    return influence(silkway.load_network())


def test_bundled_network_reports_a_value(bundled) -> None:
    assert bundled is not None
    assert bundled.relations == 90 and bundled.options >= 90
    assert not bundled.no_route
    assert sum(bundled.share.values()) == pytest.approx(1.0)
    assert all(v > 0 for v in bundled.share.values())
    # every parameter's source is in the network (or it has none)
    sources = silkway.load_network().sources
    assert all(p.source in sources or p.source == NO_PROVENANCE for p in bundled.parameters)


def test_on_estimates_follows_the_derivation_chain() -> None:
    """A derived source counts as built on an estimate when any input, at any depth,
    is an estimate or undefined; a cycle ends the walk."""
    from silkway.model.records import Source
    from silkway.quality.influence import on_estimates

    def src(sid: str, kind: str, *inputs: str) -> Source:
        return Source(id=sid, kind=kind, title=sid, derived_from=inputs)

    sources = {
        s.id: s
        for s in (
            src("a", "sourced"),
            src("e", "estimate"),
            src("d_clean", "derived", "a"),
            src("d_direct", "derived", "a", "e"),
            src("d_deep", "derived", "d_clean", "d_direct"),
            src("d_missing", "derived", "nowhere"),
            src("c1", "derived", "c2", "a"),
            src("c2", "derived", "c1"),
        )
    }
    assert on_estimates(sources) == {"d_direct", "d_deep", "d_missing"}
