"""``silkway places``: list and search places in any language."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, emit, load, print_to

if TYPE_CHECKING:
    from rich.console import Console


class PlacesFormat(StrEnum):
    """Output format of ``places``."""

    table = "table"
    json = "json"
    csv = "csv"


def places_command(
    query: Annotated[
        str,
        typer.Argument(
            help="Text to look for in ids and names (any language, case and accents ignored). "
            "Empty lists all places."
        ),
    ] = "",
    country: Annotated[
        str | None,
        typer.Option(help="Only places in this ISO country code, e.g. KZ.", show_default=False),
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only places of this kind: rail_terminal, dry_port, seaport, border_crossing, "
            "airport, pipeline_station or city.",
            show_default=False,
        ),
    ] = None,
    fmt: Annotated[PlacesFormat, typer.Option("--format", "-f", help="table, json or csv.")] = (
        PlacesFormat.table
    ),
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """List and search places, showing each one's id, names, country and kind."""
    from ..model.names import place_rows

    net = load(network, overlay, scenario=scenario)
    rows = place_rows(net, query, country=country, kind=kind)
    if fmt is PlacesFormat.json:
        emit(
            json.dumps({"schema": "silkway.places/1", "places": rows}, ensure_ascii=False, indent=2)
        )
        return
    if fmt is PlacesFormat.csv:
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=list(rows[0]) if rows else ["id"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        emit(buffer.getvalue().rstrip("\n"))
        return
    if not rows:
        emit(f"no place matches {query!r}")
        raise typer.Exit(1)
    print_to(None, lambda console: _table(console, rows))


def _table(console: "Console", rows: list[dict[str, Any]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(header_style="bold")
    for col in ("id", "English", "Русский", "中文", "local", "country", "kind", "UN/LOCODE"):
        table.add_column(col)
    keys = ("id", "name_en", "name_ru", "name_zh", "name_local", "country", "kind", "locode")
    for r in rows:
        table.add_row(*(escape(str(r[k])) for k in keys))
    console.print(table)
    console.print(f"[dim]{len(rows)} place{'s' if len(rows) != 1 else ''}[/]")


def register(app: typer.Typer) -> None:
    """Add ``places`` to the app."""
    from ._fastparams import FastCommand

    app.command("places", cls=FastCommand)(places_command)
