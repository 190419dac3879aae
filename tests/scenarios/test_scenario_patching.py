"""Every patch kind on a small network built for it (tiny + tiny_corridor), and
composition: ``silkway.scenarios.apply`` (``silkway.scenarios.patching``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from silkway.model.records import Network
from silkway.scenarios import Scenario, ScenarioError, apply, apply_all, apply_traced

Make = Callable[..., Scenario]


def _one(make: Make, patch: str, sources: str = "") -> Scenario:
    return make(f"title: t\n{sources}patches:\n{patch}")


# --------------------------------------------------------------------------- close / open


def test_close_link(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - close: {kind: link, id: AF}\n    reason: road closed\n")
    out = apply(corridor, s)
    assert out.links["AF"].status == "closed"
    assert corridor.links["AF"].status == "operational"  # input unchanged
    changed = {k for k in out.links if out.links[k] != corridor.links[k]}
    assert changed == {"AF"}
    assert out.scenarios == ("test",)


def test_close_place_closes_every_link_at_it(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - close: {kind: place, id: F}\n    reason: city closed\n")
    applied = apply_traced(corridor, s)
    closed = {k for k, v in applied.network.links.items() if v.status == "closed"}
    assert closed == {"AF", "FC", "FD"}  # FD was planned: closed too
    assert applied.reports[0].matched == ("F",)
    # F is cut off by the scenario: a warning naming it, not an error
    assert any(w.code == "unreachable-place" and "F" in w.message for w in applied.warnings)
    assert all(not w.is_error for w in applied.network.warnings)


def test_close_crossing_closes_its_link(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - close: {kind: crossing, id: xCG}\n    reason: border shut\n")
    out = apply(corridor, s)
    assert out.links["CG"].status == "closed"
    assert out.crossings == corridor.crossings


def test_close_service_keeps_a_link_another_service_runs_on(
    corridor: Network, scenario_of: Make
) -> None:
    s = _one(scenario_of, "  - close: {kind: service, id: ferry_DE}\n    reason: strike\n")
    applied = apply_traced(corridor, s)
    out = applied.network
    # nothing is dropped silently: the storm row that named only this service is listed
    assert [(c.kind, c.id, c.field, c.new) for c in applied.reports[0].changes] == [
        ("service", "ferry_DE", "record", "removed"),
        ("weather", "calm_01", "services", "removed"),
    ]
    assert "ferry_DE" not in out.services
    assert out.links["DE"].status == "operational"  # feeder_DE still sails
    assert all("ferry_DE" not in w.services for w in out.weather.values())
    assert "calm_01" not in out.weather  # its only service is gone


def test_close_every_service_of_a_link_closes_it(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - close: {kind: service, link: DE}\n    reason: no ferries\n")
    out = apply(corridor, s)
    assert out.services.keys() == set()
    assert out.links["DE"].status == "closed"


def test_open_reverses_close(corridor: Network, scenario_of: Make) -> None:
    s = scenario_of(
        """
        title: t
        patches:
          - close: {kind: place, id: F}
            reason: closed
          - open: {kind: place, id: F}
            reason: reopened
        """
    )
    out = apply(corridor, s)
    assert out.links["AF"].status == "operational"
    assert out.links["FC"].status == "operational"
    # a planned link, once closed, reopens as operational (documented)
    assert out.links["FD"].status == "operational"
    assert out.links == {**corridor.links, "FD": out.links["FD"]}


def test_open_planned_link_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - open: {kind: link, id: FD}\n    reason: x\n")
    with pytest.raises(ScenarioError, match=r"planned, not closed.*include"):
        apply(corridor, s)


# --------------------------------------------------------------------------- include


def test_include_planned_link(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - include: {kind: link, status: planned}\n    source: t_src\n")
    applied = apply_traced(corridor, s)
    fd = applied.network.links["FD"]
    assert fd.status == "operational"
    assert fd.open_year == 2030 and fd.km == corridor.links["FD"].km  # planned parameters
    assert applied.reports[0].changes[0].field == "status"


def test_include_with_year_sets_open_year_with_provenance(
    corridor: Network, scenario_of: Make
) -> None:
    s = _one(scenario_of, "  - include: {kind: link, id: FD}\n    year: 2027\n    reason: early\n")
    out = apply(corridor, s)
    assert out.links["FD"].open_year == 2027
    sid = out.links["FD"].sources["open_year"]
    assert sid == "scenario.test.p1.t_est"
    assert out.sources[sid].kind == "estimate"


def test_include_operational_link_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - include: {kind: link, id: AB}\n    reason: x\n")
    with pytest.raises(ScenarioError, match="AB is operational, not planned"):
        apply(corridor, s)


# --------------------------------------------------------------------------- add


def test_add_link_crossing_and_service(corridor: Network, scenario_of: Make) -> None:
    s = scenario_of(
        """
        title: t
        patches:
          - add: link
            record: {id: GH, from: G, to: H, mode: road, km: 4000, speed_kmh: 60,
                     cost_per_km_usd: 1.2, cargo: [container], emission_factor: ef_road,
                     transit_countries: [TM, IR]}
            reason: a new road
          - add: crossing
            record: {id: xGH, link: GH, from: G, median_hours: 10, p90_hours: 30}
            reason: its border
          - add: crossing
            record: {id: xHG, link: GH, from: H, median_hours: 12, p90_hours: 40,
                     sources: {median_hours: t_src}}
            source: t_src
          - add: service
            record: {id: ferry_DE3, kind: queue, mode: ferry, links: DE, cargo: container,
                     median_wait_hours: 5, p90_wait_hours: 9}
            reason: a third ferry
        """
    )
    out = apply(corridor, s)
    gh = out.links["GH"]
    assert (gh.from_id, gh.to_id, gh.km, gh.transit_countries) == ("G", "H", 4000, ("TM", "IR"))
    assert gh.origin is not None and gh.origin.file.endswith("test.yaml")
    assert gh.sources["km"] == "scenario.test.p1"
    assert out.sources["scenario.test.p1"].kind == "estimate"
    # a record's own provenance is kept, wrapped in the scenario's source
    assert out.crossings["xHG"].sources["median_hours"] == "scenario.test.p3.t_src"
    assert out.crossings["xHG"].sources["p90_hours"] == "scenario.test.p3"
    assert out.sources["scenario.test.p3"].kind == "derived"
    assert out.services["ferry_DE3"].wait is not None


def test_add_existing_id_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of,
        "  - add: place\n    record: {id: A, name_en: A2, country: CN, lat: 40, lon: 80,"
        " kind: city}\n    reason: x\n",
    )
    with pytest.raises(ScenarioError, match="place A already exists"):
        apply(corridor, s)


def test_add_that_breaks_the_network_names_the_patch(corridor: Network, scenario_of: Make) -> None:
    # a border link without its crossings
    s = scenario_of(
        """
        title: t
        patches:
          - scale: {kind: link, id: AB}
            by: {km: 1.1}
            reason: fine
          - add: link
            record: {id: GH, from: G, to: H, mode: road, km: 4000, speed_kmh: 60,
                     cargo: [container], emission_factor: ef_road}
            reason: no crossing
        """
    )
    with pytest.raises(ScenarioError) as info:
        apply(corridor, s)
    err = info.value
    assert err.patch == "patch 2 (add)" and err.line == 6
    assert any(p.code == "border-without-crossing" for p in err.problems)
    assert "test.yaml:6: patch 2 (add): the patch leaves the network invalid" in str(err)


# --------------------------------------------------------------------------- scale / set


def test_scale_selected_crossings(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of,
        "  - scale: {kind: crossing, mode: rail, into: KZ}\n"
        "    by: {median_hours: 0.5, p90_hours: 0.5}\n    source: t_src\n",
    )
    applied = apply_traced(corridor, s)
    out = applied.network
    assert applied.reports[0].matched == ("xBC", "xGC")  # CN -> KZ and UZ -> KZ
    assert out.crossings["xBC"].dwell.median_hours == 5.0
    assert out.crossings["xBC"].dwell.p90_hours == 15.0
    assert out.crossings["xCB"] == corridor.crossings["xCB"]  # KZ -> CN: unchanged
    assert out.crossings["xAF"] == corridor.crossings["xAF"]  # road into KZ: unchanged
    src = out.sources[out.crossings["xBC"].sources["median_hours"]]
    assert src.kind == "derived" and src.derived_from == ("t_src", "t_src")
    assert src.note.startswith(f"{applied.scenario.file}:3: scale")


def test_scale_into_picks_every_direction_into_the_country(
    corridor: Network, scenario_of: Make
) -> None:
    s = _one(
        scenario_of,
        "  - scale: {kind: crossing, into: KZ}\n    by: {cost_usd: 2}\n    reason: fees\n",
    )
    applied = apply_traced(corridor, s)
    assert set(applied.reports[0].matched) == {"xBC", "xAF", "xGC", "xED"}
    assert applied.network.crossings["xGC"].cost_usd == 220


def test_set_service_capacity_and_parameter(corridor: Network, scenario_of: Make) -> None:
    s = scenario_of(
        """
        title: t
        patches:
          - set: {kind: service, id: feeder_DE}
            to: {capacity_teu: 250}
            reason: bigger vessel
          - set: {kind: parameter, id: payload_t_per_teu}
            to: {value: 12}
            reason: heavier boxes
          - set: {kind: link, id: AB}
            to: {capacity: 5}
            reason: capacity where none was given
        """
    )
    applied = apply_traced(corridor, s)
    out = applied.network
    assert out.services["feeder_DE"].capacity_teu == 250
    assert out.parameters["payload_t_per_teu"].value == 12
    assert out.links["AB"].capacity == 5
    change = applied.reports[2].changes[0]
    assert (change.old, change.new) == (None, 5)
    # a set value derives from the patch's source only, and the note names the original
    src = out.sources[out.services["feeder_DE"].sources["capacity_teu"]]
    assert src.derived_from == () and "t_src" in src.note


def test_scale_missing_value_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of, "  - scale: {kind: link, mode: rail}\n    by: {capacity: 2}\n    reason: x\n"
    )
    with pytest.raises(ScenarioError, match=r"has no capacity to scale.*has: capacity"):
        apply(corridor, s)
    ok = _one(
        scenario_of,
        "  - scale: {kind: link, mode: rail, has: capacity}\n"
        "    by: {capacity: 2}\n    reason: x\n",
    )
    assert apply(corridor, ok).links["CG"].capacity == 40


def test_scale_that_breaks_the_network(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of,
        "  - scale: {kind: crossing, id: xBC}\n    by: {median_hours: 4}\n    reason: slower\n",
    )
    with pytest.raises(ScenarioError) as info:
        apply(corridor, s)
    assert info.value.problems[0].field == "p90_hours"
    assert "below the median" in str(info.value)


def test_scale_out_of_bounds_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of,
        "  - scale: {kind: link, id: DE}\n    by: {duration_hours: 1000}\n    reason: x\n",
    )
    with pytest.raises(ScenarioError, match="link DE: duration_hours 20000 is too large"):
        apply(corridor, s)


def test_wait_of_a_timetable_service_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of,
        "  - set: {kind: service, id: feeder_DE}\n    to: {median_wait_hours: 3}\n    reason: x\n",
    )
    with pytest.raises(ScenarioError, match="no wait distribution"):
        apply(corridor, s)


def test_unknown_source_is_an_error(corridor: Network, scenario_of: Make) -> None:
    s = _one(scenario_of, "  - close: {kind: link, id: AB}\n    source: nowhere\n")
    with pytest.raises(ScenarioError, match="unknown source 'nowhere'"):
        apply(corridor, s)


def test_scenario_sources_are_added(corridor: Network, scenario_of: Make) -> None:
    s = _one(
        scenario_of,
        "  - close: {kind: link, id: AB}\n    source: s_new\n",
        sources="sources:\n  - {id: s_new, kind: sourced, title: A report, url: http://x}\n",
    )
    out = apply(corridor, s)
    assert out.sources["s_new"].title == "A report"
    assert out.sources["s_new"].origin is not None


# --------------------------------------------------------------------------- composition


def test_composition_in_order(corridor: Network, scenario_of: Make) -> None:
    halve = scenario_of(
        "title: a\npatches:\n  - scale: {kind: crossing, id: xBC}\n"
        "    by: {median_hours: 0.5, p90_hours: 0.5}\n    reason: a\n",
        "a.yaml",
    )
    fix = scenario_of(
        "title: b\npatches:\n  - set: {kind: crossing, id: xBC}\n"
        "    to: {median_hours: 2, p90_hours: 6}\n    reason: b\n",
        "b.yaml",
    )
    ab = apply_all(corridor, [halve, fix])
    ba = apply_all(corridor, [fix, halve])
    assert ab.crossings["xBC"].dwell.median_hours == 2
    assert ba.crossings["xBC"].dwell.median_hours == 1
    assert ab.scenarios == ("a", "b") and ba.scenarios == ("b", "a")
    # the second scenario's source derives from the first's
    sid = ba.crossings["xBC"].sources["median_hours"]
    assert sid == "scenario.a.p1.scenario.b.p1.t_src"
    assert ba.sources[sid].derived_from[0] == "scenario.b.p1.t_src"


def test_baseline_changes_nothing(corridor: Network) -> None:
    from silkway.scenarios import load_scenario

    out = apply(corridor, load_scenario("baseline"))
    for attr in ("links", "places", "crossings", "services", "sources", "weather"):
        assert getattr(out, attr) == getattr(corridor, attr)
    assert out.scenarios == ("baseline",)
