"""``silkway info``: what a network holds and how much of it is sourced or estimated."""

from __future__ import annotations

import json
from collections import Counter
from typing import Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, load


def info_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
) -> None:
    """Summarise the network: counts, and the provenance of its numbers."""
    net = load(network, overlay)
    kinds: Counter[str] = Counter()
    tables = (
        net.parameters,
        net.places,
        net.links,
        net.transfers,
        net.crossings,
        net.services,
        net.emission_factors,
    )
    for table in tables:
        for rec in table.values():
            for src in rec.sources.values():
                kinds[net.sources[src].kind] += 1
    summary = {
        "name": net.name,
        "version": net.version,
        "folder": net.folder,
        "counts": net.summary(),
        "numbers_by_provenance": dict(sorted(kinds.items())),
        "planned_links": sorted(k.id for k in net.links.values() if k.status == "planned"),
    }
    if as_json:
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    console.print(f"[bold]{escape(net.name)}[/] {escape(net.version)}  ({escape(net.folder)})")
    if net.description:
        console.print(escape(net.description))
    for k, v in net.summary().items():
        console.print(f"  {k:<17} {v:>5}")
    total = sum(kinds.values()) or 1
    console.print(
        "numbers by provenance: "
        + ", ".join(f"{k} {v} ({100 * v / total:.0f}%)" for k, v in sorted(kinds.items()))
    )
    if summary["planned_links"]:
        console.print(
            "planned links (off unless --include-planned): " + ", ".join(summary["planned_links"])
        )


def register(app: typer.Typer) -> None:
    """Add ``info`` to the app."""
    app.command("info")(info_command)
