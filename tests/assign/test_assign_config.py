"""The bundled assignment config: every number names a source and its kind, and every
source it names exists (in the config or in the bundled network's sources)."""

from __future__ import annotations

from typing import Any

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
