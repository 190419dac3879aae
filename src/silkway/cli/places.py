"""``silkway places``: list and search places in any language."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, load


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
        str | None, typer.Option(help="Only places in this ISO country code.", show_default=False)
    ] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="Only places of this kind, e.g. seaport, border_crossing.", show_default=False
        ),
    ] = None,
    fmt: Annotated[PlacesFormat, typer.Option("--format", "-f", help="table, json or csv.")] = (
        PlacesFormat.table
    ),
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
) -> None:
    """List and search places, showing each one's id, names, country and kind."""
    from ..model.names import PlaceIndex

    net = load(network, overlay)
    found = PlaceIndex.of(net).search(query)
    if country:
        found = [p for p in found if p.country == country.upper()]
    if kind:
        found = [p for p in found if p.kind == kind]
    rows = [
        {
            "id": p.id,
            "name_en": p.name_en,
            "name_ru": p.name_ru,
            "name_zh": p.name_zh,
            "name_local": p.name_local,
            "country": p.country,
            "kind": p.kind,
            "locode": p.locode,
            "lat": p.lat,
            "lon": p.lon,
        }
        for p in found
    ]
    if fmt is PlacesFormat.json:
        typer.echo(
            json.dumps({"schema": "silkway.places/1", "places": rows}, ensure_ascii=False, indent=2)
        )
        return
    if fmt is PlacesFormat.csv:
        import csv
        import sys

        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["id"])
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    if not console.is_terminal:
        console = Console(highlight=False, width=160)
    if not rows:
        console.print(f"no place matches {escape(query)!r}")
        raise typer.Exit(1)
    table = Table(header_style="bold")
    for col in ("id", "English", "Русский", "中文", "local", "country", "kind", "UN/LOCODE"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            *(
                escape(str(r[k]))
                for k in (
                    "id",
                    "name_en",
                    "name_ru",
                    "name_zh",
                    "name_local",
                    "country",
                    "kind",
                    "locode",
                )
            )
        )
    console.print(table)
    console.print(f"[dim]{len(rows)} place{'s' if len(rows) != 1 else ''}[/]")


def register(app: typer.Typer) -> None:
    """Add ``places`` to the app."""
    app.command("places")(places_command)
