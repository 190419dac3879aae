"""The bundled assignment config: every number names a source and its kind, and every
source it names exists (in the config or in the bundled network's sources)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import silkway
from silkway.assign.config import SOURCE_KINDS, default_config_text, load_config


def _numbers(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every ``{value: ...}`` leaf (a number with its provenance), with its dotted path."""
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        if "value" in node:
            return [(path, node)]
        for key, child in node.items():
            if key != "sources":
                out += _numbers(child, f"{path}.{key}" if path else str(key))
    return out


def test_every_number_is_sourced() -> None:
    raw = yaml.safe_load(default_config_text())
    known = set(raw["sources"]) | set(silkway.load_network().sources)
    numbers = _numbers(raw)
    assert len(numbers) >= 20
    for path, leaf in numbers:
        assert leaf.get("kind") in SOURCE_KINDS, path
        for sid in str(leaf.get("source", "")).replace(";", " ").split():
            assert sid in known, f"{path}: unknown source {sid}"
        assert leaf.get("source"), path
    for sid, src in raw["sources"].items():
        assert src.get("kind") in SOURCE_KINDS and src.get("title"), sid


def test_bundled_config_loads_with_its_documented_defaults() -> None:
    cfg = load_config()
    assert cfg.tolerance == 1e-4 and cfg.max_iterations == 500
    assert cfg.bpr_alpha == 0.15 and cfg.bpr_beta == 4.0
    assert cfg.functions == {"link": "bpr", "crossing": "queue", "service": "queue",
                             "transfer": "queue"}  # fmt: skip
    # 0.6 % of 50,000 USD a day: 12.5 USD per FEU-hour
    assert cfg.vot_usd_per_hour("container", None) == 12.5
    assert cfg.vot_usd_per_hour("container", 100_000.0) == 25.0


def test_config_capacities_name_elements_of_the_bundled_network() -> None:
    net = silkway.load_network()
    tables = {"link": net.links, "crossing": net.crossings, "service": net.services,
              "transfer": net.transfers}  # fmt: skip
    for kind, entries in load_config().capacities.items():
        for eid in entries:
            assert eid in tables[kind], f"capacities.{kind}.{eid} is not in the network"


def test_capacities_of_bundled_elements() -> None:
    import pytest

    from silkway.assign.network import ElementKey, describe

    net = silkway.load_network()
    cfg = load_config()

    def cap(kind: str, eid: str, direction: str = "") -> tuple[float, str, str]:
        el = describe(ElementKey(kind, eid, direction), net, cfg)
        assert el.capacity is not None, eid
        return el.capacity.per_year, el.capacity.basis, el.capacity.kind

    # 20 trains a day of 108 TEU: 20 x 365 x 54 FEU
    assert cap("link", "R_KHG_ALT", "forward") == (20 * 365 * 54, "feu", "sourced")
    # the border crossing takes its link's capacity
    assert cap("crossing", "X_R_KHG_ALT_CN_KHG")[0] == 20 * 365 * 54
    # 15 Mt a year (the planned CKU railway) in tonnes
    assert cap("link", "R_KSG_TOR_CKU", "forward") == (15e6, "t", "sourced")
    # gas: 55 bcm x 0.735 Mt
    gas, basis, _ = cap("link", "P_CAGP", "forward")
    assert gas == pytest.approx(55 * 735_000) and basis == "t"
    # a daily feeder: 7 departures a week x 52.18 weeks x its TEU / 2
    feeder = net.services["SV_FEEDER_AKT_ALT"]
    per_year, basis, kind = cap("service", "SV_FEEDER_AKT_ALT", "forward")
    assert feeder.capacity_teu is not None and basis == "feu" and kind == "derived"
    assert per_year == pytest.approx(7 * 365.25 / 7 * feeder.capacity_teu / 2)
    # a Caspian ferry from the config, a queue service without one stays uncapacitated
    assert cap("service", "SV_CASPIAN_KUR_ALT", "forward") == (36_000, "feu", "derived")
    assert describe(ElementKey("service", "SV_LAKEVAN", "forward"), net, cfg).capacity is None


def test_a_scenario_that_doubles_the_caspian_ferries_doubles_their_capacity() -> None:
    """The ferries' capacity is the config's sailings a year times the TEU of a sailing in
    the network, so the caspian-ferries-doubled scenario doubles it."""
    import silkway
    from silkway.assign.config import load_config
    from silkway.assign.network import ElementKey, describe
    from silkway.scenarios import apply, load_scenario

    base = silkway.load_network()
    doubled = apply(base, load_scenario("caspian-ferries-doubled"))
    config = load_config(None)
    for sid in ("SV_CASPIAN_KUR_ALT", "SV_CASPIAN_TMB_ALT", "SV_CASPIAN_AKT_ALT"):
        key = ElementKey("service", sid, "forward")
        a, b = describe(key, base, config).capacity, describe(key, doubled, config).capacity
        assert a is not None and b is not None
        assert b.per_year == pytest.approx(2 * a.per_year)
    kur = describe(ElementKey("service", "SV_CASPIAN_KUR_ALT", "forward"), base, config)
    assert kur.capacity is not None
    assert kur.capacity.per_year == pytest.approx(720 * 100 / 2)  # FEU a year
