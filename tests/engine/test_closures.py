"""Dated and seasonal closures of border crossings, through the time-dependent planner.

A tiny network: A (China) to C (Kyrgyzstan) by road over the pass B, whose crossing
closes for the 2026 Spring Festival, or round by D, a crossing that does not close but
is 30 hours longer.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import silkway
from silkway.compile.timing import closed_intervals, opening_windows
from silkway.model.records import (
    Closure,
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Source,
)

SPRING = Closure(
    "CL_SPRING", "AB", (2026, 2, 15), (2026, 2, 23), "Spring Festival 2026", {"from": "s"}
)
WINTER = Closure("CL_WINTER", "AB", (0, 12, 1), (0, 4, 30), "Winter on the pass", {"from": "s"})


def network(*closures: Closure, detour: bool = False) -> Network:
    places = {
        "A": Place("A", "Kashgar-like", "CN", 39.5, 76.0, "city", tz="Asia/Shanghai"),
        "B": Place("B", "Pass", "KG", 39.7, 75.0, "border_crossing", tz="Asia/Bishkek"),
        "C": Place("C", "Osh-like", "KG", 40.5, 72.8, "city", tz="Asia/Bishkek"),
        "D": Place("D", "Other pass", "KG", 40.6, 75.4, "border_crossing", tz="Asia/Bishkek"),
    }

    def road(lid: str, a: str, b: str, hours: float) -> Link:
        return Link(
            lid, a, b, "road", 60.0 * hours, ("container",), speed_kmh=60.0,
            cost_per_km_usd=1.0, emission_factor="ef",
        )  # fmt: skip

    links = {"AB": road("AB", "A", "B", 5.0), "BC": road("BC", "B", "C", 5.0)}
    if detour:
        links["AD"] = road("AD", "A", "D", 20.0)
        links["DC"] = road("DC", "D", "C", 20.0)
    crossings = {}
    for lid in [k for k in links if k in ("AB", "AD")]:
        for start in links[lid].ends():
            cid = f"X_{lid}_{start}"
            crossings[cid] = Crossing(cid, lid, start, f"Crossing {lid}", Dwell(2.0, 2.0))
    return Network(
        name="closures",
        version="1",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "test")},
        parameters={"payload_t_per_teu": Parameter("payload_t_per_teu", 10.0, "t")},
        places=places,
        links=links,
        transfers={},
        crossings=crossings,
        services={},
        emission_factors={"ef": EmissionFactor("ef", "road", "diesel", 60.0, 50.0)},
        closures={c.id: c for c in closures},
    )


def fastest(net: Network, depart: str) -> silkway.results.Option:  # type: ignore[name-defined]
    result = silkway.plan(net, "A", "C", depart=depart, uncertainty=False)
    return min(result.options, key=lambda o: o.hours_median_basis)


def test_a_departure_before_the_closure_waits_until_it_reopens() -> None:
    # leaves 2026-02-14 20:00 UTC, reaches the pass 2026-02-15 01:00 UTC (07:00 in
    # Bishkek), after the closure began: it waits until 2026-02-24 00:00 Bishkek time
    option = fastest(network(SPRING), "2026-02-14T20:00")
    (wait,) = [w for leg in option.legs for w in leg.waits if w.code == "border.closure"]
    reopens = dt.datetime(2026, 2, 24, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    reached = dt.datetime(2026, 2, 15, 1, tzinfo=dt.UTC)
    assert wait.hours == pytest.approx((reopens - reached).total_seconds() / 3600)
    assert "Spring Festival 2026" in wait.detail and "2026-02-15..2026-02-23" in wait.closure
    assert wait.reason == "closed"
    assert option.hours_median_basis == pytest.approx(5 + wait.hours + 2 + 5)
    data = json.loads(silkway.plan(network(SPRING), "A", "C", depart="2026-02-14T20:00").to_json())
    codes = [w["code"] for leg in data["options"][0]["legs"] for w in leg["waits"]]
    assert "border.closure" in codes


def test_a_departure_that_clears_before_the_closure_does_not_wait() -> None:
    option = fastest(network(SPRING), "2026-02-13T00:00")
    assert option.hours_median_basis == pytest.approx(12.0)


def test_the_same_departure_in_summer_does_not_wait() -> None:
    option = fastest(network(SPRING, WINTER), "2026-07-14T20:00")
    assert option.hours_median_basis == pytest.approx(12.0)
    assert not [w for leg in option.legs for w in leg.waits if w.code.startswith("border.clos")]


def test_the_planner_prefers_another_crossing_during_the_closure() -> None:
    option = fastest(network(SPRING, detour=True), "2026-02-14T20:00")
    assert option.route == ("A", "D", "C")
    assert option.hours_median_basis == pytest.approx(20 + 2 + 20)
    summer = fastest(network(SPRING, detour=True), "2026-07-14T20:00")
    assert summer.route == ("A", "B", "C")


def test_a_yearly_closure_runs_over_the_new_year() -> None:
    option = fastest(network(WINTER), "2027-01-10T00:00")
    (wait,) = [w for leg in option.legs for w in leg.waits if w.code == "border.closure"]
    reopens = dt.datetime(2027, 5, 1, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    reached = dt.datetime(2027, 1, 10, 5, tzinfo=dt.UTC)
    assert wait.hours == pytest.approx((reopens - reached).total_seconds() / 3600)
    assert "Winter on the pass" in wait.detail


def test_closed_intervals_are_local_days_and_merge() -> None:
    start = dt.datetime(2026, 2, 9, tzinfo=dt.UTC)  # a Monday
    zone = dt.timezone(dt.timedelta(hours=8))
    spans = closed_intervals(
        [((2026, 2, 15), (2026, 2, 16)), ((2026, 2, 17), (2026, 2, 17)), ((0, 3, 1), (0, 3, 1))],
        zone,
        start,
        (0.0, 24.0 * 30),
    )
    # 15-17 Feb merge into one span from 00:00 on the 15th to 24:00 on the 17th (UTC+8)
    assert spans[0] == (6 * 24 - 8.0, 9 * 24 - 8.0)
    assert spans[1] == (20 * 24 - 8.0, 21 * 24 - 8.0)  # 1 March, every year
    assert len(spans) == 2


def test_open_windows_without_weekly_limits_still_close_on_closure_days() -> None:
    start = dt.datetime(2026, 2, 9, tzinfo=dt.UTC)
    w = opening_windows(range(7), None, "", start, closures=[((2026, 2, 15), (2026, 2, 23))])
    assert w is not None
    assert w.finish(6 * 24 + 1.0, 0.0) == 15 * 24  # closed on the 15th: opens on the 24th
    assert w.finish(5 * 24.0, 2.0) == 5 * 24 + 2.0  # before it: no wait
    assert w.finish(6 * 24 - 1.0, 2.0) == 15 * 24 + 1.0  # a dwell that runs into it
    assert opening_windows(range(7), None, "", start) is None


def test_overlays_add_closures(tmp_path: Path) -> None:
    (tmp_path / "network.yaml").write_text("name: closed\nextends: default\n")
    (tmp_path / "closures.csv").write_text(
        "id,applies_to,from,to,reason,sources\n"
        "CL_IRK_TEST,D_KSG_IRK,2026-07-01,2026-07-31,Road works,from+to=est_border\n",
        encoding="utf-8",
    )
    net = silkway.load_network(overlays=[tmp_path])
    assert "CL_IRK_TEST" in net.closures and "CL_TOR_NATIONAL" in net.closures
    result = silkway.plan(
        net, "Kashgar", "Osh", modes=["road"], depart="2026-07-06", uncertainty=False
    )
    assert all("KG_IRK" not in o.route or o.hours_median_basis > 24 * 20 for o in result.options)
    assert any("KG_TOR" in o.route for o in result.options)
