"""Attribution: every hour and dollar of a leg is split among the parameters that made it.

On the tiny network (see ``test_planner.py``): the parts of every leg add up to the
leg's hours and cost, their weights to 1, every parameter they name exists, and the
splits follow the documented rules (``silkway.engine.attribution``).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import fields

import pytest

import silkway
from silkway.compile import compile_network
from silkway.engine.attribution import leg_parts, part, wait_part
from silkway.engine.cargo import parse_cargo
from silkway.engine.pricing import quantities_by_mode
from silkway.model.records import COST_UNITS, MODES, Network
from silkway.quality.relations import LONG_HAUL_DEPART, long_haul_relations
from silkway.results import Wait

MONDAY = "2026-12-07"
SATURDAY = "2026-12-05"


@pytest.fixture(scope="module")
def net(tiny_network: Network):
    return compile_network(tiny_network)


def _options(net, cargo: str = "1xFEU", depart: str = MONDAY):
    places = sorted(net.network.places)
    for o, d in itertools.permutations(places, 2):
        try:
            result = silkway.plan(
                net, o, d, depart=depart, cargo=cargo, uncertainty=False, all_options=True
            )
        except silkway.NoRouteError:
            continue
        yield from result.options


def _field_exists(network: Network, name: str) -> bool:
    kind, rest = name.split(":", 1)
    element, field = rest.rsplit(".", 1)
    table = {
        "link": network.links,
        "transfer": network.transfers,
        "crossing": network.crossings,
        "service": network.services,
        "parameter": network.parameters,
    }[kind]
    if element not in table:
        return False
    rec = table[element]
    if kind == "parameter":
        return field == "value"
    names = {f.name for f in fields(rec)}
    # dwell and wait fields live in a Dwell record; departures/open_days are plain
    return field in names or field in rec.sources or field in ("median_hours", "median_wait_hours")


@pytest.mark.parametrize("cargo", ["1xFEU", "3xTEU", "25t:dry_bulk"])
@pytest.mark.parametrize("depart", [MONDAY, SATURDAY])
def test_parts_add_up_to_the_leg(net, cargo: str, depart: str) -> None:
    seen = 0
    consignment = parse_cargo(cargo)
    for option in _options(net, cargo, depart):
        for leg in option.legs:
            parts = leg_parts(net, consignment, leg)
            hours = sum(p.amount for p in parts if p.measure == "hours")
            cost = sum(p.amount for p in parts if p.measure == "cost_usd")
            assert hours == pytest.approx(leg.hours + leg.wait_hours, abs=1e-9)
            assert cost == pytest.approx(leg.cost_usd, abs=1e-9)
            assert sum(usd for _, _, usd in leg.cost_items) == pytest.approx(leg.cost_usd)
            for p in parts:
                assert p.measure in ("hours", "cost_usd")
                assert p.parameters, p
                assert math.fsum(w for _, w in p.parameters) == pytest.approx(1.0)
                assert all(w >= 0 for _, w in p.parameters)
                for name, _ in p.parameters:
                    assert _field_exists(net.network, name), name
            seen += 1
        assert sum(leg.hours + leg.wait_hours for leg in option.legs) == pytest.approx(
            option.hours_median_basis
        )
        assert sum(leg.cost_usd for leg in option.legs) == pytest.approx(option.cost_usd)
    assert seen > 10


def _parts(net, option, link: str, measure: str, cargo: str = "1xFEU"):
    (leg,) = [leg for leg in option.legs if leg.link_id == link]
    return [p for p in leg_parts(net, parse_cargo(cargo), leg) if p.measure == measure]


def test_rules_on_one_route(net) -> None:
    """B -> D: rail B-C (border leaving B), gauge change at C, rail C-D."""
    (option,) = silkway.plan(net, "B", "D", depart=MONDAY, uncertainty=False).options
    assert [leg.link_id for leg in option.legs] == ["BC", "CD"]
    moving_bc, dwell = _parts(net, option, "BC", "hours")
    moving_cd, gauge = _parts(net, option, "CD", "hours")
    assert moving_bc.amount == pytest.approx(100 / 50)
    assert moving_cd.amount == pytest.approx(300 / 50)
    assert dict(moving_cd.parameters) == {"link:CD.km": 0.5, "link:CD.speed_kmh": 0.5}
    assert dwell.amount == pytest.approx(10)
    assert dict(dwell.parameters) == {"crossing:xBC.median_hours": 1.0}
    assert gauge.amount == pytest.approx(6)
    assert dict(gauge.parameters) == {"transfer:tC_gauge.median_hours": 1.0}
    rail_cost, gauge_cost = _parts(net, option, "CD", "cost_usd")
    assert rail_cost.amount == pytest.approx(0.3 * 300)
    assert dict(rail_cost.parameters) == {"link:CD.cost_per_km_usd": 0.5, "link:CD.km": 0.5}
    # one FEU priced per FEU: TEU per FEU cancels out, so it takes no share
    assert gauge_cost.amount == pytest.approx(100)
    assert dict(gauge_cost.parameters) == {"transfer:tC_gauge.cost_usd": 1.0}


def test_conversion_parameters_take_their_share(net) -> None:
    """One TEU on links priced per FEU: the cost is rate x km x (1 / teu_per_feu)."""
    (option,) = silkway.plan(net, "B", "D", depart=MONDAY, cargo="1xTEU", uncertainty=False).options
    rail_cost, _ = _parts(net, option, "CD", "cost_usd", "1xTEU")
    assert rail_cost.amount == pytest.approx(0.3 * 300 / 2)
    assert dict(rail_cost.parameters) == pytest.approx(
        {
            "link:CD.cost_per_km_usd": 1 / 3,
            "link:CD.km": 1 / 3,
            "parameter:teu_per_feu.value": 1 / 3,
        }
    )
    # the crossing is paid per shipment: no conversion at all
    _, border_cost = _parts(net, option, "BC", "cost_usd", "1xTEU")
    assert dict(border_cost.parameters) == {"crossing:xBC.cost_usd": 1.0}


def test_closed_border_wait_is_the_opening_days(net) -> None:
    """A-F is open Mon-Fri: leaving on Saturday waits for Monday."""
    result = silkway.plan(net, "A", "F", depart=SATURDAY, uncertainty=False)
    (leg,) = result.options[0].legs
    closed = [w for w in leg.waits if w.code == "border.closed"]
    assert closed and closed[0].hours > 24
    hours = [p for p in leg_parts(net, parse_cargo("1xFEU"), leg) if p.measure == "hours"]
    assert any(
        dict(p.parameters) == {"crossing:xAF.open_days": 1.0}
        and p.amount == pytest.approx(closed[0].hours)
        for p in hours
    )


def test_part_normalises_weights() -> None:
    p = part("hours", 6.0, [("a", 2.0), ("b", -1.0), ("a", 1.0)])
    assert dict(p.parameters) == pytest.approx({"a": 0.75, "b": 0.25})
    assert dict(part("hours", 1.0, [("a", 0.0), ("b", 0.0)]).parameters) == {"a": 0.5, "b": 0.5}
    assert part("hours", 1.0, []).parameters == ()


def test_unknown_waits_go_to_the_parameters_cited_or_to_no_source(net) -> None:
    rest = Wait("road.rest", 11.0, "A", "AF")
    cited = ["link:AF.km", "parameter:road_daily_rest_hours.value", "parameter:x_break.value"]
    assert dict(wait_part(net, rest, cited).parameters) == {
        "parameter:road_daily_rest_hours.value": 1.0
    }
    odd = wait_part(net, Wait("storm.hold", 5.0, "D", "ferry_DE"), cited)
    assert dict(odd.parameters) == {"storm.hold:ferry_DE": 1.0} and odd.amount == 5.0


@pytest.fixture(scope="module")
def bundled():
    return compile_network(silkway.load_network())


def test_named_parameters_reproduce_the_bundled_numbers(bundled) -> None:
    """On long-haul relations, each part's amount is what its named parameters give:
    moving hours = km / speed (or the duration), a wait = the element's median, a
    link's per-km cost = rate x km x the consignment's quantity. When the engine starts
    computing a number from something else, this fails and the attribution must follow."""
    network = bundled.network
    cargo = parse_cargo("1xFEU")
    qty = quantities_by_mode(bundled, cargo)
    checked = 0
    for o, d in long_haul_relations()[::7]:
        result = silkway.plan(bundled, o, d, depart=LONG_HAUL_DEPART, uncertainty=False)
        for leg in result.options[0].legs:
            link = network.links[leg.link_id]
            for p in leg_parts(bundled, cargo, leg):
                names = dict(p.parameters)
                if names == {f"link:{link.id}.km": 0.5, f"link:{link.id}.speed_kmh": 0.5}:
                    assert p.amount == pytest.approx(link.km / link.speed_kmh)
                elif f"link:{link.id}.duration_hours" in names:
                    assert p.amount == pytest.approx(link.duration_hours)
                elif f"link:{link.id}.cost_per_km_usd" in names:
                    q = qty[MODES.index(link.mode), COST_UNITS.index(link.cost_unit)]
                    assert p.amount == pytest.approx(link.cost_per_km_usd * link.km * q)
                elif len(names) == 1:
                    (name,) = names
                    kind, _, rest = name.partition(":")
                    element, _, field = rest.rpartition(".")
                    if field == "median_hours" and kind == "crossing":
                        assert p.amount == pytest.approx(
                            network.crossings[element].dwell.median_hours
                        )
                    elif field == "median_hours" and kind == "train_type":
                        # the default express train's own dwell at China-Kazakhstan posts
                        assert p.amount == pytest.approx(network.train_rules[element].median_hours)
                    elif field == "median_hours" and kind == "transfer":
                        assert p.amount == pytest.approx(
                            network.transfers[element].dwell.median_hours
                        )
                    elif field == "median_wait_hours":
                        assert p.amount == pytest.approx(
                            network.services[element].wait.median_hours
                        )
                    else:
                        continue
                else:
                    continue
                checked += 1
    assert checked > 50
