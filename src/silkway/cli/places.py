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

    from ..model.records import Network


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
    from ..model.names import PlaceIndex

    net = load(network, overlay, scenario=scenario)
    country = _check_country(net, country)
    kind = _check_kind(net, kind)
    found = PlaceIndex.of(net).search(query)
    if country is not None:
        found = [p for p in found if p.country == country]
    if kind is not None:
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


def _check_country(net: "Network", country: str | None) -> str | None:
    """The ISO code, upper-cased; a QueryError if it is not one or no place is in it."""
    from .._errors import QueryError

    if country is None:
        return None
    code = country.strip().upper()
    present = sorted({p.country for p in net.places.values()})
    if code in present:
        return code
    have = f"countries with places: {', '.join(present)}" if present else "it has no places"
    if len(code) != 2 or not code.isascii() or not code.isalpha():
        raise QueryError(f"--country {country!r} is not a two-letter ISO country code; {have}")
    raise QueryError(f"no place of this network is in country {code}; {have}")


def _check_kind(net: "Network", kind: str | None) -> str | None:
    """The place kind, lower-cased; a QueryError if it is not one or no place has it."""
    from .._errors import QueryError
    from ..model.records import PLACE_KINDS

    if kind is None:
        return None
    value = kind.strip().lower()
    if value not in PLACE_KINDS:
        raise QueryError(f"unknown place kind {kind!r}; valid kinds: {', '.join(PLACE_KINDS)}")
    present = [k for k in PLACE_KINDS if any(p.kind == k for p in net.places.values())]
    if value not in present:
        raise QueryError(
            f"no place of this network is of kind {value!r}; "
            f"kinds it has: {', '.join(present) or 'none'}"
        )
    return value


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
