"""Strict inputs of ``silkway.plan``: every bad input is a QueryError that says what is wrong.

QueryError is a SilkwayError and a ValueError; nothing else may escape for a bad input
(no AttributeError, no hang). Run on the tiny network (A..F) so each call is instant.
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

import silkway
from silkway import QueryError, SilkwayError
from silkway.compile import compile_network
from silkway.engine.cargo import Cargo
from silkway.engine.query import make_query

MONDAY = "2026-12-07"


@pytest.fixture(scope="module")
def tiny(tiny_network):
    return compile_network(tiny_network)


@pytest.fixture(scope="module")
def bundled():
    return silkway.compile_network(silkway.load_network())


def _plan(net, **kw):
    kw = {"depart": MONDAY, "samples": 20, **kw}
    return silkway.plan(net, kw.pop("origin", "A"), kw.pop("destination", "C"), **kw)


def signature(result) -> list[tuple]:
    return [
        (o.route, tuple(leg.link_id for leg in o.legs), o.hours_p50, o.cost_usd)
        for o in result.options
    ]


# --------------------------------------------------------------------------- countries


def test_a_single_country_string_is_one_code(bundled) -> None:
    kw = {"depart": MONDAY, "uncertainty": False}
    one = silkway.plan(bundled, "Xi'an", "Istanbul", avoid_countries="RU", **kw)
    listed = silkway.plan(bundled, "Xi'an", "Istanbul", avoid_countries=["RU"], **kw)
    lower = silkway.plan(bundled, "Xi'an", "Istanbul", avoid_countries=" ru ", **kw)
    assert one.query["avoid_countries"] == listed.query["avoid_countries"] == ["RU"]
    assert lower.query["avoid_countries"] == ["RU"]
    assert signature(one) == signature(listed) == signature(lower)
    assert all("RU" not in o.countries for o in one.options)
    # a comma list is several codes
    both = silkway.plan(bundled, "Xi'an", "Istanbul", avoid_countries="RU,BY", **kw)
    assert both.query["avoid_countries"] == ["BY", "RU"]


@pytest.mark.parametrize(("code", "suggested"), [("UR", "RU"), ("XX", None), ("RUS", None)])
def test_unknown_country_is_a_query_error_with_suggestions(
    tiny, code: str, suggested: str | None
) -> None:
    with pytest.raises(QueryError) as info:
        _plan(tiny, avoid_countries=[code])
    msg = str(info.value)
    assert code in msg
    if suggested:
        assert "did you mean" in msg and suggested in msg
    else:
        assert "did you mean" in msg or "expected" in msg or "ISO" in msg


# --------------------------------------------------------------------------- bad inputs


@pytest.mark.parametrize(
    "kw",
    [
        {"seed": -1},
        {"seed": 2**63},
        {"seed": 1.5},
        {"seed": True},
        {"samples": 0},
        {"samples": -5},
        {"samples": 100_001},
        {"samples": True},
        {"max_options": 0},
        {"max_options": 1.0},
        {"depart": "9999-12-31"},
        {"depart": "0001-01-01T00:00+05:00"},
        {"depart": "1970-01-01T01:00+05:00"},  # 1969-12-31 20:00 UTC
        {"depart": "2200-12-31T23:00-05:00"},  # 2201-01-01 04:00 UTC
        {"depart": dt.date(1, 1, 1)},
        {"depart": 20261207},
        {"depart": ""},
        {"depart": "2026-12-07T25:00"},
        {"cargo": 5},
        {"cargo": None},
        {"cargo": "0xFEU"},
        {"cargo": "-1xFEU"},
        {"cargo": "nanxFEU"},
        {"cargo": "infxFEU"},
        {"modes": [1]},
        {"modes": ["rail", None]},
        {"modes": 5},
        {"time_limit": 0},
        {"time_limit": -1},
        {"time_limit": math.nan},
        {"time_limit": True},
        {"time_limit": "10"},
        {"tolerance": -0.01},
        {"tolerance": 0.51},
        {"tolerance": math.nan},
        {"tolerance": True},
        {"tolerance": "0.05"},
        {"as_of": 1969},
        {"as_of": True},
        {"as_of": 2030.0},
        {"include_planned": 1},
        {"all_options": "yes"},
        {"uncertainty": "no"},
        {"max_transshipments": -1},
        {"max_transshipments": True},
        {"sort": None},
        {"sort": "TIME "},
        {"via": [3]},
        {"via": ["A"]},  # the origin
        {"avoid_places": 5},
        {"avoid_countries": [None]},
        {"avoid_countries": 5},
        {"objectives": [1]},
        {"objectives": ()},
        {"cargo": Cargo(1, "FEU", "grain")},
        {"origin": None},
        {"destination": 5},
    ],
    ids=repr,
)
def test_bad_input_is_a_query_error(tiny, kw: dict) -> None:
    with pytest.raises(QueryError) as info:
        _plan(tiny, **kw)
    err = info.value
    assert isinstance(err, SilkwayError) and isinstance(err, ValueError)
    assert str(err)


@pytest.mark.parametrize("network", ["x", None, 5, {"places": {}}])
def test_network_must_be_a_network(network) -> None:
    with pytest.raises(QueryError) as info:
        silkway.plan(network, "A", "C", depart=MONDAY)
    assert "network" in str(info.value)
    assert isinstance(info.value, ValueError)


def test_inputs_at_the_edges_are_accepted(tiny) -> None:
    for kw in (
        {"seed": 0},
        {"seed": 2**63 - 1},
        {"samples": 1},
        {"max_options": 10**9},
        {"depart": "1970-01-01"},
        {"depart": "2200-12-31T23:00"},
        {"depart": dt.datetime(2026, 12, 7, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))},
        {"time_limit": None},
        {"time_limit": 1e-3},
        {"modes": "rail,road"},
        {"as_of": 1970},
    ):
        r = _plan(tiny, **kw)
        assert r.options, kw


def test_an_aware_departure_is_converted_to_utc(tiny) -> None:
    # 05:00 at UTC+5 is 00:00 UTC: the same plan as a naive midnight
    aware = dt.datetime(2026, 12, 7, 5, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    a = _plan(tiny, depart=aware, uncertainty=False)
    b = _plan(tiny, depart=MONDAY, uncertainty=False)
    assert a.query["depart"] == b.query["depart"] == "2026-12-07T00:00:00+00:00"
    assert signature(a) == signature(b)


# --------------------------------------------------------------------------- found by tests, fixed


@pytest.mark.parametrize("cargo_class", [5, ["container"]])
def test_cargo_class_must_be_text(tiny, cargo_class) -> None:
    with pytest.raises(QueryError):
        _plan(tiny, cargo_class=cargo_class)


@pytest.mark.parametrize(
    "cargo",
    [
        Cargo(-1.0, "FEU", "container"),
        Cargo(math.nan, "FEU", "container"),
        Cargo(0.0, "FEU", "container"),
        Cargo(1.0, "kg", "container"),
    ],
    ids=repr,
)
def test_a_cargo_object_is_checked(tiny, cargo: Cargo) -> None:
    with pytest.raises(QueryError):
        make_query(tiny, "A", "C", depart=MONDAY, cargo=cargo)


def test_tolerance_is_exact_by_default_on_small_networks_and_echoed(tiny) -> None:
    assert make_query(tiny, "A", "C", depart=MONDAY).tolerance == 0.0
    result = _plan(tiny, tolerance=0.1)
    assert result.to_dict()["query"]["tolerance"] == 0.1
