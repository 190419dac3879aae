"""Each bundled scenario validates on the bundled network and changes exactly what it
says it changes (``src/silkway/data/scenarios``)."""

from __future__ import annotations

from typing import Any

import pytest

from silkway.model import load_network
from silkway.model.records import Network
from silkway.scenarios import apply, apply_traced, bundled_scenarios, load_scenario


@pytest.fixture(scope="module")
def default() -> Network:
    return load_network()


def _diff(a: Network, b: Network, attr: str) -> dict[str, tuple[Any, Any]]:
    old, new = getattr(a, attr), getattr(b, attr)
    keys = set(old) | set(new)
    return {k: (old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)}


@pytest.mark.parametrize("name", bundled_scenarios())
def test_each_applies_documented_and_sourced(default: Network, name: str) -> None:
    s = load_scenario(name)
    assert s.title and s.rationale, "every bundled scenario says what and why"
    applied = apply_traced(default, s)
    assert applied.network.scenarios == (name,)
    assert all(not w.is_error for w in applied.network.warnings)
    for patch in s.patches:
        assert patch.source, f"{name} {patch.label} cites no source"
    # every scenario source the network cites exists and names the file
    for table in ("links", "crossings", "services", "train_rules"):
        for rec in getattr(applied.network, table).values():
            for sid in rec.sources.values():
                src = applied.network.sources[sid]
                if sid.startswith("scenario."):
                    assert src.note.startswith(s.file) and src.kind in ("derived", "estimate")


def test_baseline(default: Network) -> None:
    out = apply(default, load_scenario("baseline"))
    for attr in ("links", "crossings", "services", "places", "train_rules", "sources"):
        assert not _diff(default, out, attr)


def test_cku_open(default: Network) -> None:
    out = apply(default, load_scenario("cku-open"))
    changed = _diff(default, out, "links")
    cku = {"R_KSG_TOR_CKU", "R_TOR_MAK_CKU", "R_MAK_JAL_CKU", "R_JAL_AND_CKU"}
    assert set(changed) == cku
    for lid in cku:
        before, after = changed[lid]
        assert before.status == "planned" and after.status == "operational"
        from dataclasses import replace

        assert replace(after, status="planned") == before  # planned parameters kept
    assert out.links["R_MOY_KZZ"].status == "planned"  # not a CKU link
    for attr in ("crossings", "services", "places", "train_rules"):
        assert not _diff(default, out, attr)


def test_no_russia_transit(default: Network) -> None:
    applied = apply_traced(default, load_scenario("no-russia-transit"))
    out = applied.network
    changed = _diff(default, out, "links")
    ru = {p for p, place in default.places.items() if place.country == "RU"}
    touching = {
        k
        for k, link in default.links.items()
        if set(link.ends()) & ru or "RU" in link.transit_countries
    }
    assert touching and set(changed) == touching
    assert all(out.links[k].status == "closed" for k in touching)
    cut = {w.message.split()[1] for w in applied.warnings if w.code == "unreachable-place"}
    assert cut == ru


def test_caspian_ferries_doubled(default: Network) -> None:
    out = apply(default, load_scenario("caspian-ferries-doubled"))
    changed = _diff(default, out, "services")
    caspian = {
        sid for w in default.weather.values() if w.region == "Caspian Sea" for sid in w.services
    }
    assert set(changed) == caspian
    for sid in caspian:
        before, after = changed[sid]
        # every Caspian service carries twice the TEU a sailing (twice the vessels)
        assert before.capacity_teu is not None
        assert after.capacity_teu == pytest.approx(2 * before.capacity_teu)
        if before.kind == "queue":
            assert before.wait is not None and after.wait is not None
            assert after.wait.median_hours == pytest.approx(before.wait.median_hours / 2)
            assert after.wait.p90_hours == pytest.approx(before.wait.p90_hours / 2)
        else:
            assert after.capacity_teu == pytest.approx(2 * before.capacity_teu)
            assert after.departures == before.departures
    assert not _diff(default, out, "links") and not _diff(default, out, "weather")


def test_digital_borders(default: Network) -> None:
    out = apply(default, load_scenario("digital-borders"))
    changed = _diff(default, out, "crossings")
    land = {
        c.id for c in default.crossings.values() if default.links[c.link].mode in ("rail", "road")
    }
    assert set(changed) == land
    for before, after in changed.values():
        assert after.dwell.median_hours == pytest.approx(before.dwell.median_hours / 2)
        assert after.dwell.p90_hours == pytest.approx(before.dwell.p90_hours / 2)
        assert after.cost_usd == before.cost_usd
    rules = _diff(default, out, "train_rules")
    assert set(rules) == {r.id for r in default.train_rules.values() if r.median_hours}
    src = out.sources[out.crossings["X_R_KHG_ALT_CN_KHG"].sources["median_hours"]]
    assert src.kind == "derived" and "est_digital_borders_half" in src.derived_from
    assert out.sources["unece2011_ecmr"].url.startswith("https://")


def test_red_sea_closed(default: Network) -> None:
    out = apply(default, load_scenario("red-sea-closed"))
    changed = _diff(default, out, "links")
    suez = {
        k
        for k, g in default.geometries.items()
        if default.links[k].mode == "sea" and {"Suez", "Bab-el-Mandeb"} & set(g.via)
    }
    assert suez and set(changed) == suez
    assert all(out.links[k].status == "closed" for k in suez)
    assert out.links["S_SHA_RTM_CAPE"].status == "operational"


def test_red_sea_closed_sails_round_the_cape(default: Network) -> None:
    import silkway

    out = apply(default, load_scenario("red-sea-closed"))
    result = silkway.plan(
        out,
        "CN_SHA",
        "NL_RTM",
        modes=["sea"],
        depart="2026-12-07",
        uncertainty=False,
        max_options=1,
    )
    assert result.options[0].legs[0].link_id == "S_SHA_RTM_CAPE"
    assert result.network["scenarios"] == ["red-sea-closed"]


def test_all_compose(default: Network) -> None:
    """Every bundled scenario on top of the others, in order: a scenario applied after
    one that cut places off keeps those warnings (not errors)."""
    from silkway.scenarios import apply_all

    names = bundled_scenarios()
    out = apply_all(default, [load_scenario(n) for n in names])
    assert out.scenarios == names
    assert all(not w.is_error for w in out.warnings)
    cut = [w for w in out.warnings if w.code == "unreachable-place"]
    assert cut and all("once scenario no-russia-transit is applied" in w.message for w in cut)


def test_examples_apply(default: Network) -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "examples" / "scenarios"
    files = sorted(folder.glob("*.yaml"))
    assert files
    for path in files:
        applied = apply_traced(default, load_scenario(path))
        assert all(r.changes for r in applied.reports), path
