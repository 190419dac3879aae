"""Every option obeys the query's constraints and adds up, on random bundled queries.

A seeded sample of origin-destination pairs of the bundled network, each with a random
mix of avoided countries, allowed modes, a transshipment limit, cargo (container, dry
and liquid bulk, dangerous goods) and planned links on or off; every option of the whole
Pareto set is checked leg by leg against the network's records:

* no leg's link touches an avoided country (ends or transit countries), uses a mode
  not allowed, refuses the cargo class, is closed, or is planned when planned links
  are off; a service boarded accepts the cargo class;
* the transshipment count is at most the limit and equals the gauge changes plus
  transshipments among its transfers;
* the route is a simple chained path from origin to destination;
* the option's totals are the sums of its legs.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

import silkway
from silkway import NoRouteError, QueryError

MODES = ["rail", "road", "ferry", "sea", "air", "pipeline"]
DEPART = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
CARGOES = ["1xFEU", "2xTEU", "500t:dry_bulk", "100t:liquid_bulk", "1xTEU:dangerous_goods"]


@pytest.fixture(scope="module")
def network():
    return silkway.load_network()


@pytest.fixture(scope="module")
def net(network):
    return silkway.compile_network(network)


def _queries(network, n: int, seed: int):
    ids = sorted(network.places)
    countries = sorted({p.country for p in network.places.values()})
    pairs = list(itertools.permutations(ids, 2))
    rng = random.Random(seed)
    for o, d in rng.sample(pairs, n):
        yield (
            o,
            d,
            {
                "avoid_countries": rng.sample(countries, rng.randint(0, 2)),
                "modes": rng.sample(MODES, rng.randint(2, 6)),
                "max_transshipments": rng.choice([None, 0, 1, 2, 3]),
                "cargo": rng.choice(CARGOES),
                "include_planned": rng.random() < 0.3,
            },
        )


@pytest.mark.parametrize("seed", [1, 2])
def test_options_obey_the_constraints_and_add_up(network, net, seed: int) -> None:
    planned = 0
    for o, d, kw in _queries(network, 250, seed):
        try:
            r = silkway.plan(net, o, d, depart=DEPART, uncertainty=False, all_options=True, **kw)
        except (NoRouteError, QueryError):
            continue
        planned += 1
        cls = r.query["cargo_class"]
        avoid = set(kw["avoid_countries"])
        for opt in r.options:
            where = (o, d, kw, opt.route)
            kinds = [k for _, k in opt.transfers]
            assert opt.transshipments == sum(k in ("gauge_change", "transshipment") for k in kinds)
            if kw["max_transshipments"] is not None:
                assert opt.transshipments <= kw["max_transshipments"], where
            assert not set(opt.countries) & avoid, where
            for leg in opt.legs:
                link = network.links[leg.link_id]
                touched = {
                    network.places[link.from_id].country,
                    network.places[link.to_id].country,
                    *link.transit_countries,
                }
                assert not touched & avoid, where
                assert {leg.from_id, leg.to_id} == {link.from_id, link.to_id}
                assert leg.mode == link.mode and leg.mode in kw["modes"], where
                assert cls in link.cargo, where
                assert link.status != "closed"
                # a planned link is open when asked for, or from its opening year on
                assert (
                    link.status != "planned"
                    or kw["include_planned"]
                    or (link.open_year is not None and link.open_year <= r.query["as_of"])
                ), where
                if leg.service_id is not None:
                    assert cls in network.services[leg.service_id].cargo
            places = [opt.legs[0].from_id, *(leg.to_id for leg in opt.legs)]
            assert len(places) == len(set(places)), where
            assert places[0] == r.query["origin"]["id"]
            assert places[-1] == r.query["destination"]["id"]
            assert all(a.to_id == b.from_id for a, b in itertools.pairwise(opt.legs))
            assert opt.route[0] == places[0] and opt.route[-1] == places[-1]
            assert set(opt.route) <= set(places)
            assert opt.cost_usd == pytest.approx(sum(leg.cost_usd for leg in opt.legs))
            assert opt.co2e_wtw_kg == pytest.approx(sum(leg.co2e_wtw_kg for leg in opt.legs))
            assert opt.distance_km == pytest.approx(sum(leg.km for leg in opt.legs))
            assert opt.hours_median_basis == pytest.approx(
                sum(leg.hours + leg.wait_hours for leg in opt.legs)
            )
            for leg in opt.legs:
                assert sum(w.hours for w in leg.waits) == pytest.approx(leg.wait_hours)
            arrival = dt.datetime.fromisoformat(opt.arrival_p50)
            expected = DEPART + dt.timedelta(hours=opt.hours_p50)
            assert abs((arrival - expected).total_seconds()) <= 60
            assert opt.arrival_p50 == opt.arrival_p90  # no uncertainty: P90 = P50
            assert len(opt.borders) == sum(
                any(w.code == "border.dwell" for w in leg.waits) for leg in opt.legs
            )
    assert planned >= 50
