"""Scenarios: small YAML files of patches laid over a network (and its overlays).

A scenario says what changes and why: close a link, include a planned railway, halve
the border dwell of every rail crossing into Kazakhstan, double the Caspian ferries.
Each patch carries a ``source`` or a ``reason``, and every number it changes gets a
provenance that says the scenario changed it. Applying one is a pure function::

    import silkway
    from silkway.scenarios import apply, load_scenario

    net = silkway.load_network()
    cku = apply(net, load_scenario("cku-open"))          # a bundled one, or a path
    silkway.plan(cku, "Kashgar", "Tashkent", depart="2026-12-07")

The format and the selector grammar are documented in ``docs/scenarios.md``. Nothing
is imported until it is used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .errors import ScenarioError
    from .format import Patch, Scenario, bundled_scenarios, load_scenario, parse_scenario
    from .patching import Applied, Change, PatchReport, apply, apply_all, apply_traced
    from .select import Selector

_LAZY = {
    "Applied": "patching",
    "Change": "patching",
    "PatchReport": "patching",
    "apply": "patching",
    "apply_all": "patching",
    "apply_traced": "patching",
    "ScenarioError": "errors",
    "Patch": "format",
    "Scenario": "format",
    "bundled_scenarios": "format",
    "load_scenario": "format",
    "parse_scenario": "format",
    "Selector": "select",
}

__all__ = [
    "Applied",
    "Change",
    "Patch",
    "PatchReport",
    "Scenario",
    "ScenarioError",
    "Selector",
    "apply",
    "apply_all",
    "apply_traced",
    "bundled_scenarios",
    "load_scenario",
    "parse_scenario",
]


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
