"""``silkway info``: what a network holds and how much of it is sourced or estimated."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import json
from collections import Counter
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, emit, load, print_to

if TYPE_CHECKING:
    from rich.console import Console

    from ..model.records import Network

SCHEMA = "silkway.info/1"


class InfoFormat(StrEnum):
    """Output format of ``info``."""

    table = "table"
    json = "json"


def info_command(
    fmt: Annotated[InfoFormat, typer.Option("--format", "-f", help="table or json.")] = (
        InfoFormat.table
    ),
    as_json: Annotated[
        bool, typer.Option("--json", hidden=True, help="Same as --format json.")
    ] = False,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Summarise the network: counts, and the provenance of its numbers."""
    net = load(network, overlay, scenario=scenario)
    kinds: Counter[str] = Counter()
    tables = (
        net.parameters,
        net.places,
        net.links,
        net.transfers,
        net.crossings,
        net.services,
        net.emission_factors,
        net.grid_intensities,
        net.geometries,
        net.train_rules,
        net.weather,
    )
    by_scenario: Counter[str] = Counter()
    for table in tables:
        for rec in table.values():
            for src in rec.sources.values():
                kinds[net.sources[src].kind] += 1
                if src.startswith("scenario."):  # scenario.<name>.p<n>...: see scenarios
                    by_scenario[src.split(".")[1]] += 1
    summary: dict[str, Any] = {
        "schema": SCHEMA,
        "name": net.name,
        "version": net.version,
        "folder": net.folder,
        "scenarios": list(net.scenarios),
        "scenario_numbers": {name: by_scenario[name] for name in net.scenarios},
        "counts": net.summary(),
        "numbers_by_provenance": dict(sorted(kinds.items())),
        "provenance": _influence(net),
        "planned_links": sorted(k.id for k in net.links.values() if k.status == "planned"),
    }
    if as_json or fmt is InfoFormat.json:
        emit(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    print_to(None, lambda console: _table(console, net, summary, kinds))


def _influence(net: "Network") -> dict[str, Any]:
    """``provenance``: the influence-weighted shares over the long-haul relations
    (cached per network and silkway version, see :mod:`silkway.quality.cache`)."""
    from ..quality.cache import cached_influence
    from ..quality.relations import LONG_HAUL_DEPART, long_haul_relations
    from ._cache import cache_dir

    got, cached = cached_influence(net, cache_dir=cache_dir())
    if got is None:
        return {
            "influence_share": None,
            "influence_share_hours": None,
            "influence_share_cost": None,
            "influence_derived_on_estimates": None,
            "influence_basis": {
                "relations": len(long_haul_relations(set(net.places))),
                "options": 0,
                "depart": LONG_HAUL_DEPART,
            },
            "influence_top_estimates": [],
        }
    out = got.to_dict()
    out["influence_basis"]["cached"] = cached
    return out


def _table(
    console: "Console", net: "Network", summary: dict[str, Any], kinds: Counter[str]
) -> None:
    from rich.markup import escape

    console.print(f"[bold]{escape(net.name)}[/] {escape(net.version)}  ({escape(net.folder)})")
    if net.description:
        console.print(escape(net.description))
    if net.scenarios:
        applied = ", ".join(
            f"{name} ({n} number{'s' if n != 1 else ''} changed)"
            for name, n in summary["scenario_numbers"].items()
        )
        console.print(
            f"scenarios applied: {escape(applied)}; their sources are scenario.<name>.*",
            soft_wrap=True,
        )
    for k, v in summary["counts"].items():
        console.print(f"  {k:<17} {v:>5}")
    total = sum(kinds.values()) or 1
    console.print(
        "numbers by provenance: "
        + ", ".join(f"{k} {v} ({100 * v / total:.0f}%)" for k, v in sorted(kinds.items()))
    )
    prov = summary["provenance"]
    share = prov["influence_share"]
    basis = prov["influence_basis"]
    if share is None:
        console.print(
            "influence by provenance: none of the long-haul relations (silkway.quality."
            "relations) can be planned on this network",
            soft_wrap=True,
        )
    else:

        def pct(s: dict[str, float]) -> str:
            return ", ".join(f"{k} {100 * s[k]:.0f}%" for k in ("sourced", "derived", "estimate"))

        console.print(
            f"influence by provenance ({basis['relations']} long-haul relations, "
            f"{basis['options']} options; mean of hours and cost): {pct(share)}",
            soft_wrap=True,
        )
        console.print(
            f"  hours: {pct(prov['influence_share_hours'])}; "
            f"cost: {pct(prov['influence_share_cost'])}; derived on an estimated "
            f"input: {100 * prov['influence_derived_on_estimates']:.0f}%",
            soft_wrap=True,
        )
    if summary["planned_links"]:
        console.print(
            "planned links (off unless --include-planned): "
            + escape(", ".join(summary["planned_links"])),
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    """Add ``info`` to the app."""
    from ._fastparams import FastCommand

    app.command("info", cls=FastCommand)(info_command)
