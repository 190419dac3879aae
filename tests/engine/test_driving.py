"""Driving-time rules on road legs: breaks, daily rests, two-driver crews.

The expected stops are computed here minute by minute from the rules (a driver who has
driven 270 minutes since the last break stops 45 minutes; one who has driven 540
minutes since the last rest stops 660), not with :mod:`silkway.engine.driving`.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

import silkway
from silkway.compile import compile_network
from silkway.engine import driving
from silkway.model.records import (
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Source,
)

DEPART = dt.datetime(2026, 7, 6, tzinfo=dt.UTC)  # a Monday
AETR = {
    "road_driving_before_break_hours": 4.5,
    "road_break_hours": 0.75,
    "road_daily_driving_hours": 9.0,
    "road_daily_rest_hours": 11.0,
    "road_crew2_daily_driving_hours": 18.0,
    "road_crew2_daily_rest_hours": 9.0,
    "road_crew2_cost_per_km_usd": 0.1,
}


def road_line(
    kms: list[float],
    *,
    speed: float = 60.0,
    rules: dict[str, float] | None = None,
    border_after: int | None = None,
    dwell: float = 1.0,
    transload: bool = False,
) -> Network:
    """Places P0..Pn on a meridian, joined by road links of ``kms`` km at ``speed``; with
    ``border_after``, the places after that link lie in another country and the link
    crossing into it has a border of ``dwell`` hours."""
    places = {}
    lat = 40.0
    for i in range(len(kms) + 1):
        country = "KZ" if border_after is None or i <= border_after else "UZ"
        places[f"P{i}"] = Place(f"P{i}", f"Place {i}", country, lat, 70.0, "city")
        if i < len(kms):
            lat += kms[i] / 111.2 * 0.9  # straight north, a little shorter than the road
    links = {
        f"L{i}": Link(
            f"L{i}",
            f"P{i}",
            f"P{i + 1}",
            "road",
            km,
            ("container",),
            speed_kmh=speed,
            cost_per_km_usd=1.0,
            emission_factor="ef",
        )
        for i, km in enumerate(kms)
    }
    crossings = {}
    if border_after is not None:
        link = f"L{border_after}"
        for start in (f"P{border_after}", f"P{border_after + 1}"):
            cid = f"X{start}"
            crossings[cid] = Crossing(
                cid, link, start, "Test border", Dwell(dwell, dwell), transload=transload
            )
    params = {"payload_t_per_teu": 10.0, "teu_per_feu": 2.0, "vehicle_teu_road": 2.0}
    params.update(rules if rules is not None else AETR)
    return Network(
        name="road",
        version="1",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "test")},
        parameters={k: Parameter(k, v, "h", {"value": "s"}) for k, v in params.items()},
        places=places,
        links=links,
        transfers={},
        crossings=crossings,
        services={},
        emission_factors={"ef": EmissionFactor("ef", "road", "diesel", 60.0, 50.0)},
    )


def minute_by_minute(
    legs: list[float],
    *,
    before_break: float,
    brk: float,
    daily: float,
    rest: float,
    stops: dict[int, float] | None = None,
) -> tuple[float, list[tuple[int, int]]]:
    """Total hours and (breaks, rests) per leg, driving one minute at a time; ``stops``
    adds a stop of so many hours after leg ``i`` (a stop of ``rest`` hours is a rest, of
    ``brk`` a break)."""
    since_break = since_rest = 0  # minutes
    total = 0
    per_leg = []
    for i, hours in enumerate(legs):
        minutes = round(hours * 60)
        n_break = n_rest = 0
        while minutes:
            if since_rest == round(daily * 60):
                total += round(rest * 60)
                n_rest += 1
                since_break = since_rest = 0
            elif since_break == round(before_break * 60):
                total += round(brk * 60)
                n_break += 1
                since_break = 0
            since_break += 1
            since_rest += 1
            total += 1
            minutes -= 1
        per_leg.append((n_break, n_rest))
        stop = (stops or {}).get(i, 0.0)
        total += round(stop * 60)
        if stop >= rest:
            since_break = since_rest = 0
        elif brk and stop >= brk:
            since_break = 0
    return total / 60, per_leg


def plan(net, **kw):
    return silkway.plan(net, "P0", f"P{len(net.links)}", depart=DEPART, **kw)


def test_three_legs_of_300_km_take_the_breaks_and_the_rest_the_rules_require() -> None:
    net = road_line([300.0, 300.0, 300.0])  # 5 h each at 60 km/h
    result = plan(net, uncertainty=False)
    (option,) = result.options
    want_hours, want_stops = minute_by_minute(
        [5.0, 5.0, 5.0], before_break=4.5, brk=0.75, daily=9.0, rest=11.0
    )
    assert option.hours_median_basis == pytest.approx(want_hours)
    assert want_hours == pytest.approx(15 + 2 * 0.75 + 11)  # the rules, read by a person
    for leg, (n_break, n_rest) in zip(option.legs, want_stops, strict=True):
        codes = {w.code: w for w in leg.waits}
        assert ("road.break" in codes) == (n_break > 0)
        assert ("road.rest" in codes) == (n_rest > 0)
        if n_break:
            assert codes["road.break"].hours == pytest.approx(0.75 * n_break)
        if n_rest:
            assert codes["road.rest"].hours == pytest.approx(11.0 * n_rest)
            assert "11 h daily rest" in leg.wait_reason
        assert leg.wait_hours == pytest.approx(0.75 * n_break + 11.0 * n_rest)
    legs_json = json.loads(result.to_json())["options"][0]["legs"]
    assert any(w["code"] == "road.rest" for leg in legs_json for w in leg["waits"])
    assert any(
        s["source"] == "s" and s["parameter"].startswith("parameter:road_")
        for leg in legs_json
        for s in leg["sources"]
    )


@pytest.mark.parametrize("kms", [[120.0], [600.0, 60.0], [900.0, 900.0], [270.0, 270.0, 30.0]])
def test_single_driver_matches_the_minute_by_minute_rules(kms: list[float]) -> None:
    net = road_line(kms)
    (option,) = plan(net, uncertainty=False).options
    want, _ = minute_by_minute(
        [k / 60.0 for k in kms], before_break=4.5, brk=0.75, daily=9.0, rest=11.0
    )
    assert option.hours_median_basis == pytest.approx(want)


def test_two_drivers_drive_18_hours_then_rest_9_and_pay_the_second_driver() -> None:
    net = road_line([600.0, 600.0, 600.0])  # 30 h of driving
    one = plan(net, uncertainty=False).options[0]
    two = plan(net, uncertainty=False, crew=2).options[0]
    want_two, _ = minute_by_minute(
        [10.0, 10.0, 10.0], before_break=1e6, brk=0.0, daily=18.0, rest=9.0
    )
    want_one, _ = minute_by_minute(
        [10.0, 10.0, 10.0], before_break=4.5, brk=0.75, daily=9.0, rest=11.0
    )
    assert two.hours_median_basis == pytest.approx(want_two) == pytest.approx(30 + 9)
    assert one.hours_median_basis == pytest.approx(want_one)
    assert two.hours_median_basis < one.hours_median_basis
    assert two.cost_usd == pytest.approx(one.cost_usd + 1800 * 0.1)
    assert json.loads(plan(net, uncertainty=False, crew=2).to_json())["query"]["crew"] == 2


def test_a_long_border_dwell_counts_as_the_daily_rest() -> None:
    # 8 h, a 12-h border, 8 h: the border is the rest, so no daily rest on the road
    net = road_line([480.0, 480.0], border_after=0, dwell=12.0)
    (option,) = plan(net, uncertainty=False).options
    want, _ = minute_by_minute(
        [8.0, 8.0], before_break=4.5, brk=0.75, daily=9.0, rest=11.0, stops={0: 12.0}
    )
    assert option.hours_median_basis == pytest.approx(want) == pytest.approx(8 + 0.75 + 12 + 8.75)
    # a short one is only a break: the second leg needs the rest after 1 h more
    short = road_line([480.0, 480.0], border_after=0, dwell=1.0)
    want, _ = minute_by_minute(
        [8.0, 8.0], before_break=4.5, brk=0.75, daily=9.0, rest=11.0, stops={0: 1.0}
    )
    assert plan(short, uncertainty=False).options[0].hours_median_basis == pytest.approx(want)


def test_transloading_at_a_border_starts_a_fresh_driver() -> None:
    kw = {"border_after": 0, "dwell": 1.0}
    same = plan(road_line([480.0, 480.0], **kw), uncertainty=False).options[0]
    fresh = plan(road_line([480.0, 480.0], transload=True, **kw), uncertainty=False).options[0]
    # 8 h with a break; a 1-h border (a break); 1 h to the 9-h limit, the rest, 7 h more
    assert same.hours_median_basis == pytest.approx(8.75 + 1 + 1 + 11 + 7.75)
    assert fresh.hours_median_basis == pytest.approx(8.75 + 1 + 8.75)


def test_without_rule_parameters_trucks_run_round_the_clock() -> None:
    net = road_line([300.0, 300.0, 300.0], rules={})
    assert plan(net, uncertainty=False).options[0].hours_median_basis == pytest.approx(15.0)


def test_monte_carlo_replays_the_rests() -> None:
    net = road_line([300.0, 300.0, 300.0])
    option = plan(net, samples=200).options[0]
    # moving times vary only where the network gives a spread; here none: exact
    assert option.hours_p50 == pytest.approx(option.hours_median_basis)
    assert option.legs[1].wait_hours_p50 == pytest.approx(11.0)


@pytest.mark.parametrize("crew", [0, 3, "2", 1.5, True, None])
def test_a_bad_crew_is_a_clear_query_error(crew) -> None:
    net = compile_network(road_line([300.0]))
    with pytest.raises(silkway.QueryError, match="crew must be 1"):
        plan(net, crew=crew)


def test_cli_crew_flag(tmp_path, capsys) -> None:
    from silkway.cli import main

    out = tmp_path / "plan.json"
    args = ["plan", "Kashgar", "Tashkent", "--mode", "road", "--crew", "2", "-f", "json"]
    assert main([*args, "-o", str(out), "--samples", "50"]) == 0
    assert json.loads(out.read_text())["query"]["crew"] == 2
    assert main(["plan", "Kashgar", "Tashkent", "--crew", "3"]) != 0
    assert "--crew" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("b", "d", "hours"),
    [(0.0, 0.0, 30.0), (4.4, 8.9, 0.2), (4.5, 9.0, 0.0), (1.0, 8.0, 4.5), (0.3, 2.0, 9.0)],
)
def test_array_drive_equals_scalar_drive(b: float, d: float, hours: float) -> None:
    rules = (4.5, 0.75, 9.0, 11.0)
    stopped, nb, nd, _, _ = driving.drive(b, d, hours, *rules)
    arr = driving.drive_array(np.array([b]), np.array([d]), np.array([hours]), rules)
    assert (float(arr[0][0]), float(arr[1][0]), float(arr[2][0])) == (stopped, nb, nd)


@pytest.mark.parametrize(
    "rules", [(4.5, 0.75, 9.0, 11.0), (float("inf"), 0.0, 18.0, 9.0), (0.5, 0.25, 1.5, 2.5)]
)
def test_compiled_drive_equals_the_python_one(rules: tuple[float, float, float, float]) -> None:
    from silkway.engine._jit import _after_stop, _drive

    rng = np.random.default_rng(7)
    for _ in range(300):
        d = float(rng.choice([0.0, 0.25, 1.0, 2.0, 8.75, 9.0, 17.5]))
        b = min(d, float(rng.choice([0.0, 0.25, 0.5, 4.5])))
        hours = float(rng.choice([0.0, 0.25, 1.75, 4.5, 9.0, 30.0, 2.0 / 3.0]))
        assert _drive(b, d, hours, *rules) == driving.drive(b, d, hours, *rules)
        stop = float(rng.choice([0.0, 0.5, 0.75, 9.0, 11.0, 12.0]))
        assert _after_stop(b, d, stop, rules[1], rules[3]) == driving.after_stop(
            b, d, stop, rules[1], rules[3]
        )
