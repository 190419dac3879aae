"""Part loads (LCL) on the bundled network: 800 kg of general cargo Chongqing → Duisburg.

By rail the load pays the consolidator's tariff: its chargeable cubic metres (W/M, at
least 1 cbm) as a share of the 27 cbm a TEU is sold as, and a container freight station
at each end. It used to pay only its share of a container's inside volume (about
470 USD). The air option still shows.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

import silkway
from silkway.engine.cargo import Basis, parse_cargo
from silkway.model.loader import default_network_path

pytestmark = pytest.mark.skipif(
    not (default_network_path() / "places.csv").exists(),
    reason="the bundled default network (src/silkway/data/default) is not there",
)

DEPART = "2026-12-07"


@pytest.fixture(scope="module")
def net():
    return silkway.compile_network(silkway.load_network())


@pytest.fixture(scope="module")
def result(net):
    return silkway.plan(net, "Chongqing", "Duisburg", cargo="800kg", depart=DEPART)


def test_the_rail_option_pays_the_lcl_tariff_and_both_stations(net, result) -> None:
    rail = [o for o in result.options if set(o.modes) == {"rail"}]
    assert rail, [o.route for o in result.options]
    option = rail[0]
    items = [item for leg in option.legs for item in leg.cost_items]
    stations = [usd for kind, _, usd in items if kind == "handling"]
    basis = Basis.of(net)
    fee = basis.cfs_usd(parse_cargo("800kg"), "rail")
    assert fee > 0
    assert stations == [pytest.approx(fee), pytest.approx(fee)]  # packed and unpacked
    assert "handling" in [kind for kind, _, _ in option.legs[0].cost_items]  # at Chongqing
    assert "handling" in [kind for kind, _, _ in option.legs[-1].cost_items]  # at Duisburg
    # the line haul is the chargeable volume's share of a TEU sold at 27 cbm, more than
    # the old share of a container's inside volume
    cbm = basis.chargeable_cbm(parse_cargo("800kg"), "rail")
    assert cbm == pytest.approx(800 / 190)  # by volume, at the default density
    cited = {ref.source for leg in option.legs for ref in leg.sources}
    assert {"der_lcl_cbm_per_teu", "est_cfs_charges", "bussped2026_groupage"} <= cited
    # the same route on the network without the LCL tariff: a share of the inside volume
    network = silkway.load_network()
    plain = replace(
        network,
        parameters={k: v for k, v in network.parameters.items() if not k.startswith("part_load")},
    )
    before = silkway.plan(
        silkway.compile_network(plain), "Chongqing", "Duisburg", cargo="800kg", depart=DEPART
    )
    (same,) = [o for o in before.options if o.route == option.route and o.modes == option.modes]
    assert option.cost_usd > same.cost_usd + 2 * fee


def test_the_air_option_still_shows(result) -> None:
    assert any("air" in o.modes for o in result.options), [o.route for o in result.options]
