"""Route advisories on the tiny network (see ``test_planner.py``) and on the bundled one:
which options they attach to, the departure-date rule, and ``avoid_advisory``."""

from __future__ import annotations

import json

import pytest

import silkway
from silkway import NoRouteError, QueryError
from silkway.model import load_network

MONDAY = "2026-12-07"
HEADER = "id,category,severity,selector,valid_from,valid_to,text,sources\n"
ROWS = {
    "a_az": "sanctions,info,country:AZ,2026-01-01,,E is in AZ,t_src",
    "a_f": "congestion,warning,place:F,,,Queues at F,t_src",
    "a_ab": "closure,critical,link:AB,2026-12-01,2026-12-31,A-B closed in December,t_src;t_est",
    "a_xbc": "restriction,warning,crossing:xBC,,,Leaving B only,t_src",
    "a_border": "closure,info,border:KZ-CN,,,Any CN-KZ border,t_src",
    "a_old": "closure,critical,country:KZ,2020-01-01,2020-12-31,Long over,t_src",
    "a_winter": "other,info,place:D,--12-01,--02-28,Winter at D,t_est",
}


@pytest.fixture
def advised(tiny_copy):
    tiny_copy.write("advisories.csv", HEADER + "".join(f"{k},{v}\n" for k, v in ROWS.items()))
    return silkway.compile_network(load_network(tiny_copy.path))


def _uses(option, link: str) -> bool:
    return any(leg.link_id == link for leg in option.legs)


def _expected(option, day: str) -> set[str]:
    """The advisories an option should carry, worked out from its legs alone."""
    places = {p for leg in option.legs for p in (leg.from_id, leg.to_id)}
    links = {leg.link_id for leg in option.legs}
    out = {"a_az"}  # every A -> E option ends in AZ
    if "F" in places:
        out.add("a_f")
    if "AB" in links and day.startswith("2026-12"):
        out.add("a_ab")
    if any(leg.link_id == "BC" and leg.from_id == "B" for leg in option.legs):
        out.add("a_xbc")
    if any({b.from_country, b.to_country} == {"CN", "KZ"} for b in option.borders):
        out.add("a_border")
    if "D" in places and day[5:7] in ("12", "01", "02"):
        out.add("a_winter")
    return out


@pytest.mark.parametrize("day", [MONDAY, "2026-11-30", "2027-01-04", "2026-06-01"])
def test_options_carry_the_advisories_they_match(advised, day: str) -> None:
    result = silkway.plan(advised, "A", "E", depart=day, uncertainty=False, all_options=True)
    assert len(result.options) >= 2
    kinds = {_uses(o, "AB") for o in result.options}
    assert kinds == {True, False}  # both the rail and the road way in
    for option in result.options:
        assert {a.id for a in option.advisories} == _expected(option, day)
        severities = [a.severity for a in option.advisories]
        order = ["critical", "warning", "info"]
        assert severities == sorted(severities, key=order.index)  # most severe first
    doc = result.to_dict()
    first = doc["options"][0]["advisories"][0]
    assert set(first) == {
        "id",
        "category",
        "severity",
        "text",
        "valid_from",
        "valid_to",
        "matched",
        "sources",
    }
    # every advisory's sources are in the result's sources
    cited = {s for o in result.options for a in o.advisories for s in a.sources}
    assert cited <= set(doc["sources"])
    json.dumps(doc)


def test_matched_names_the_selectors(advised) -> None:
    result = silkway.plan(advised, "A", "E", depart=MONDAY, uncertainty=False, all_options=True)
    rail = next(o for o in result.options if _uses(o, "AB"))
    matched = {a.id: a.matched for a in rail.advisories}
    assert matched["a_ab"] == ("link:AB",)
    assert matched["a_xbc"] == ("crossing:xBC",)
    assert matched["a_border"] == ("border:CN-KZ",)
    assert matched["a_az"] == ("country:AZ",)
    ab = next(a for a in rail.advisories if a.id == "a_ab")
    assert (ab.valid_from, ab.valid_to) == ("2026-12-01", "2026-12-31")


def test_crossing_selector_is_one_direction(advised) -> None:
    back = silkway.plan(advised, "E", "A", depart=MONDAY, uncertainty=False, all_options=True)
    assert any(_uses(o, "BC") for o in back.options)
    assert all("a_xbc" not in {a.id for a in o.advisories} for o in back.options)


def test_no_advisories_file_means_none(tiny_network) -> None:
    result = silkway.plan(tiny_network, "A", "E", depart=MONDAY, uncertainty=False)
    assert all(o.advisories == () for o in result.options)
    assert all(o.to_dict()["advisories"] == [] for o in result.options)


def test_avoid_advisory_leaves_out_what_they_name(advised) -> None:
    plain = silkway.plan(advised, "A", "E", depart=MONDAY, uncertainty=False, all_options=True)
    critical = silkway.plan(
        advised, "A", "E", depart=MONDAY, uncertainty=False, all_options=True,
        avoid_advisory="critical",
    )  # fmt: skip
    assert any(_uses(o, "AB") for o in plain.options)
    assert critical.options and not any(_uses(o, "AB") for o in critical.options)
    assert critical.query["avoid_advisory"] == "critical"
    # outside December the A-B closure is not valid: nothing is left out
    june = silkway.plan(
        advised, "A", "E", depart="2026-06-01", uncertainty=False, all_options=True,
        avoid_advisory="critical",
    )  # fmt: skip
    assert any(_uses(o, "AB") for o in june.options)
    # warning and up also names F (place) and the B->C crossing: nothing is left
    with pytest.raises(NoRouteError, match="not avoiding warning\\+ advisories"):
        silkway.plan(advised, "A", "E", depart=MONDAY, avoid_advisory="warning")
    # every remaining option carries none of the avoided advisories
    for o in critical.options:
        assert all(a.severity != "critical" for a in o.advisories)


def test_avoid_advisory_border_selector(tiny_copy) -> None:
    tiny_copy.write("advisories.csv", HEADER + "b,closure,critical,border:CN-KZ,,,x,t_src\n")
    net = load_network(tiny_copy.path)
    with pytest.raises(NoRouteError, match="advisories"):  # every way out of CN crosses it
        silkway.plan(net, "A", "D", depart=MONDAY, avoid_advisory="critical")
    assert silkway.plan(net, "C", "E", depart=MONDAY, avoid_advisory="critical").options


def test_bad_severity_is_a_query_error(advised) -> None:
    with pytest.raises(QueryError, match="unknown advisory severity 'high'"):
        silkway.plan(advised, "A", "E", depart=MONDAY, avoid_advisory="high")
    r = silkway.plan(advised, "A", "E", depart=MONDAY, avoid_advisory=" Critical ")
    assert r.query["avoid_advisory"] == "critical"


@pytest.fixture(scope="module")
def bundled():
    return silkway.compile_network(silkway.load_network())


def test_bundled_sanctions_follow_the_corridor(bundled) -> None:
    """Xi'an -> Duisburg via Russia and Belarus carries the sanctions advisory; via the
    Middle Corridor (Alat) it does not."""
    north = silkway.plan(bundled, "Xi'an", "Duisburg", depart=MONDAY, uncertainty=False)
    via_ru = [o for o in north.options if "RU" in o.countries]
    assert via_ru
    for o in via_ru:
        assert "ADV_RU_BY_SANCTIONS" in {a.id for a in o.advisories}
    middle = silkway.plan(
        bundled, "Xi'an", "Duisburg", depart=MONDAY, uncertainty=False, via=["AZ_ALT"]
    )
    assert middle.options
    for o in middle.options:
        assert not {"RU", "BY"} & set(o.countries)
        assert "ADV_RU_BY_SANCTIONS" not in {a.id for a in o.advisories}
    # avoiding warnings and worse, the northern route goes
    avoiding = silkway.plan(
        bundled, "Xi'an", "Duisburg", depart=MONDAY, uncertainty=False, avoid_advisory="warning"
    )
    assert avoiding.options
    assert all(not {"RU", "BY"} & set(o.countries) for o in avoiding.options)


def test_bundled_closure_is_dated(bundled) -> None:
    """The Belarus-Poland closure of September 2025 applies to departures then only."""
    during = silkway.plan(bundled, "Xi'an", "Duisburg", depart="2025-09-15", uncertainty=False)
    after = silkway.plan(bundled, "Xi'an", "Duisburg", depart="2025-10-15", uncertainty=False)
    for result, expected in ((during, True), (after, False)):
        for o in result.options:
            if {"BY", "PL"} <= set(o.countries):
                assert ("ADV_BY_PL_CLOSED_2025_09" in {a.id for a in o.advisories}) is expected
