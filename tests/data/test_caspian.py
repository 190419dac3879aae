"""The bundled Caspian and Black Sea crossings (issue 6 §4).

* Containers cross Aktau–Alat on the scheduled feeder, lifted from rail at Aktau and
  onto rail at Alat; wagons and trucks keep the queue ferries.
* Every Caspian and Georgian Black Sea sailing has storm days, and a January crossing's
  P90 is wider than a July one's on the same route, with the same median basis.
* The queue waits are no longer contradicted by their own sources: the headway part of
  each is at most the wait's median.
"""

from __future__ import annotations

import pytest

import silkway
from silkway.model.loader import default_network_path

pytestmark = pytest.mark.skipif(
    not (default_network_path() / "places.csv").exists(),
    reason="the bundled default network (src/silkway/data/default) is not there",
)

JANUARY, JULY = "2027-01-11", "2027-07-12"  # Mondays


@pytest.fixture(scope="module")
def compiled():
    return silkway.compile_network(silkway.load_network())


def _feeder(option) -> bool:
    return any(leg.service_id == "SV_FEEDER_AKT_ALT" for leg in option.legs)


def test_containers_cross_on_the_feeder_with_lifts_at_both_ports(compiled) -> None:
    r = silkway.plan(compiled, "Xi'an", "Baku", depart=JULY, samples=200)
    option = next(o for o in r.options if _feeder(o))
    lifts = [(p, k) for p, k in option.transfers if p in ("KZ_AKT", "AZ_ALT")]
    assert lifts == [("KZ_AKT", "transshipment"), ("AZ_ALT", "transshipment")]
    (sea,) = [leg for leg in option.legs if leg.link_id == "S_AKT_ALT"]
    assert sea.mode == "sea" and (sea.from_id, sea.to_id) == ("KZ_AKT", "AZ_ALT")
    codes = [w.code for w in sea.waits]
    assert codes[:3] == ["transfer.transshipment", "service.timetable", "service.storm"]


def test_the_feeder_carries_containers_only(compiled) -> None:
    r = silkway.plan(
        compiled, "Almaty", "Baku", depart=JULY, cargo="500t:dry_bulk", all_options=True
    )
    assert r.options and not any(_feeder(o) for o in r.options)


def test_every_caspian_and_black_sea_sailing_has_storm_days(compiled) -> None:
    network = compiled.network
    with_storms = {sid for w in network.weather.values() for sid in w.services}
    caspian = {
        "SV_FEEDER_AKT_ALT",
        "SV_CASPIAN_AKT_ALT",
        "SV_CASPIAN_KUR_ALT",
        "SV_CASPIAN_TMB_ALT",
    }
    assert caspian | {"SV_BS_POT_CND", "SV_BS_BUS_CND"} == with_storms
    months = {(sid, w.month) for w in network.weather.values() for sid in w.services}
    assert len(months) == 12 * len(with_storms)


@pytest.mark.parametrize(("origin", "destination"), [("Almaty", "Baku"), ("Xi'an", "Baku")])
def test_a_january_crossing_spreads_wider_than_a_july_one(
    compiled, origin: str, destination: str
) -> None:
    def feeder_route(depart: str):
        r = silkway.plan(compiled, origin, destination, depart=depart, samples=1000, seed=3)
        return next(o for o in r.options if _feeder(o))

    winter, summer = feeder_route(JANUARY), feeder_route(JULY)
    assert [leg.link_id for leg in winter.legs] == [leg.link_id for leg in summer.legs]
    assert winter.hours_p90 - winter.hours_p50 > summer.hours_p90 - summer.hours_p50
    assert winter.hours_p90 > summer.hours_p90


def test_queue_waits_are_at_least_their_headway(compiled) -> None:
    """Kuryk: 13.8 calls a week, a 12.2 h mean headway, median wait 8.4 h before any
    congestion; Turkmenbashi: 9.9 sailings a week, 11.8 h. The medians may only add
    congestion to these, never fall below them."""
    services = compiled.network.services
    for sid, headway_median in (("SV_CASPIAN_KUR_ALT", 8.4), ("SV_CASPIAN_TMB_ALT", 11.8)):
        wait = services[sid].wait
        assert wait is not None and wait.median_hours >= headway_median
        assert wait.p90_hours > wait.median_hours


def test_an_overlay_replaces_a_month_of_storm_days(compiled, tmp_path) -> None:
    """weather.csv rows are replaced by id like any other: a calm January overlay gives
    the feeder route of January its July-like spread back."""
    rows = [w for w in compiled.network.weather.values() if w.month == 1]
    lines = ["id,region,services,month,storm_day_probability,mean_spell_days,sources"]
    lines += [
        f"{w.id},{w.region},{';'.join(w.services)},1,0,1,*=est_caspian_storm_season" for w in rows
    ]
    (tmp_path / "weather.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "network.yaml").write_text("name: calm-january\nextends: default\n")
    calm = silkway.compile_network(silkway.load_network(tmp_path))
    assert not any(w.storm_day_probability for w in calm.network.weather.values() if w.month == 1)

    def feeder_route(net):
        r = silkway.plan(net, "Almaty", "Baku", depart=JANUARY, samples=1000, seed=3)
        return next(o for o in r.options if _feeder(o))

    stormy, quiet = feeder_route(compiled), feeder_route(calm)
    assert [leg.link_id for leg in stormy.legs] == [leg.link_id for leg in quiet.legs]
    assert quiet.hours_p90 < stormy.hours_p90
    assert quiet.hours_median_basis == stormy.hours_median_basis
