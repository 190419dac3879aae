"""``silkway plan``: ranked freight options between two places, optionally leg by leg."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, load, write_text

if TYPE_CHECKING:
    from rich.console import Console

    from ..results import Option, PlanResult


class SortBy(StrEnum):
    """Ranking criterion."""

    time = "time"
    cost = "cost"
    co2 = "co2"


class PlanFormat(StrEnum):
    """Output format of ``plan``."""

    table = "table"
    json = "json"
    geojson = "geojson"


def plan_command(
    origin: Annotated[str, typer.Argument(help="Origin: place id or name in any language.")],
    destination: Annotated[str, typer.Argument(help="Destination: place id or name.")],
    depart: Annotated[
        str | None,
        typer.Option(
            help="Departure date or time, UTC: 2026-12-07 or 2026-12-07T08:00. Default: today.",
            show_default=False,
        ),
    ] = None,
    cargo: Annotated[
        str, typer.Option(help="What to ship: 2xFEU, 3xTEU, 500t:dry_bulk, 1xTEU:dangerous_goods.")
    ] = "1xFEU",
    cargo_class: Annotated[
        str | None,
        typer.Option(
            help="Cargo class override: container, dry_bulk, liquid_bulk, dangerous_goods.",
            show_default=False,
        ),
    ] = None,
    avoid_country: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid-country",
            help="ISO country code to avoid, e.g. RU. Repeatable or comma list.",
            show_default=False,
        ),
    ] = None,
    avoid_place: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid-place", help="Place id or name to avoid. Repeatable.", show_default=False
        ),
    ] = None,
    mode: Annotated[
        list[str] | None,
        typer.Option(
            "--mode",
            help="Allowed mode (rail, road, ferry, sea, air, pipeline). Repeatable. Default: all.",
            show_default=False,
        ),
    ] = None,
    include_planned: Annotated[
        bool, typer.Option("--include-planned", help="Open planned links such as the CKU railway.")
    ] = False,
    max_transshipments: Annotated[
        int | None,
        typer.Option(
            help="Most transshipments + gauge changes allowed.", min=0, show_default=False
        ),
    ] = None,
    sort: Annotated[SortBy, typer.Option(help="Rank options by time, cost or co2.")] = (
        SortBy.time
    ),
    options: Annotated[
        int,
        typer.Option("--options", "-k", help="How many distinct options to show.", min=1, max=20),
    ] = 5,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain", "-x", help="Open every option leg by leg, with waits and sources."
        ),
    ] = False,
    fmt: Annotated[
        PlanFormat,
        typer.Option("--format", "-f", help="table, json or geojson (stable documented schemas)."),
    ] = (PlanFormat.table),
    samples: Annotated[
        int, typer.Option(help="Monte Carlo draws per option for P50/P90.", min=1, max=100_000)
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same numbers.")] = 0,
    no_uncertainty: Annotated[
        bool, typer.Option("--no-uncertainty", help="Medians only; skip the Monte Carlo.")
    ] = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write JSON/GeoJSON to this file instead of stdout.",
            show_default=False,
        ),
    ] = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
) -> None:
    """Plan freight options from ORIGIN to DESTINATION.

    Example: silkway plan "Xi'an" Istanbul --avoid-country RU --depart 2026-12-07 --cargo 2xFEU
    """
    from ..engine.planner import plan

    net = load(network, overlay)
    result = plan(
        net,
        origin,
        destination,
        depart=depart,
        cargo=cargo,
        cargo_class=cargo_class,
        avoid_countries=avoid_country or (),
        avoid_places=avoid_place or (),
        modes=mode,
        include_planned=include_planned,
        max_transshipments=max_transshipments,
        sort=sort.value,
        max_options=options,
        uncertainty=not no_uncertainty,
        samples=samples,
        seed=seed,
    )
    if fmt is PlanFormat.json:
        write_text(result.to_json(), output)
    elif fmt is PlanFormat.geojson:
        write_text(json.dumps(result.to_geojson(), ensure_ascii=False, indent=2), output)
    else:
        from rich.console import Console

        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=140)
        render(result, console, explain=explain)


def short_name(name: str) -> str:
    """A place name without its parenthesised facility note: "Kuryk port (ferry complex)"."""
    head = name.split(" (", 1)[0].strip()
    return head or name


def render(result: PlanResult, console: Console, *, explain: bool) -> None:
    """Print the options table, and with ``explain`` every option leg by leg."""
    from rich.markup import escape
    from rich.table import Table

    q = result.query
    console.print(
        f"[bold]{escape(short_name(q['origin']['name']))} → "
        f"{escape(short_name(q['destination']['name']))}[/]  "
        f"{q['cargo']}, departing {q['depart'][:16].replace('T', ' ')} UTC"
        + (f", avoiding {', '.join(q['avoid_countries'])}" if q["avoid_countries"] else "")
        + (", incl. planned links" if q["include_planned"] else "")
    )
    table = Table(show_lines=True, header_style="bold", pad_edge=False)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("route", ratio=1, min_width=24)
    table.add_column("modes", min_width=10)
    for col in (
        "days\nP50",
        "days\nP90",
        "cost\nUSD",
        "CO2e\nt",
        "km",
        "borders",
        "gauge\nchanges",
        "trans-\nships",
    ):
        table.add_column(col, justify="right", no_wrap=True)
    for o in result.options:
        table.add_row(
            str(o.rank),
            escape(" → ".join(map(short_name, o.route_names))),
            "+".join(o.modes),
            f"{o.hours_p50 / 24:.1f}",
            f"{o.hours_p90 / 24:.1f}",
            f"{o.cost_usd:,.0f}",
            f"{o.co2e_wtw_kg / 1000:.2f}",
            f"{o.distance_km:,.0f}",
            str(len(o.borders)),
            str(len(o.gauge_changes)),
            str(o.transshipments),
        )
    console.print(table)
    console.print(
        f"[dim]{len(result.options)} of {result.pareto_size} Pareto-optimal routes shown, "
        f"sorted by {q['sort']}. CO2e is well-to-wheel (GLEC / ISO 14083). "
        + (
            "P50/P90 from " + str(q["samples"]) + " Monte Carlo draws, seed " + str(q["seed"]) + "."
            if q["uncertainty"]
            else "Times are medians only."
        )
        + "[/]"
    )
    for o in result.options:
        regimes = ", ".join(o.regimes) or "none"
        console.print(
            f"  [bold]{o.rank}[/] regimes: "
            + escape(
                regimes
                + (f"; gauge changes at {', '.join(o.gauge_changes)}" if o.gauge_changes else "")
            )
        )
    if explain:
        for o in result.options:
            _explain(o, console)
        _sources(result, console)
    else:
        console.print("[dim]Add --explain to open each option leg by leg.[/]")


def _explain(o: Option, console: Console) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(
        title=escape(f"Option {o.rank}: {' → '.join(map(short_name, o.route_names))}"),
        title_justify="left",
        header_style="bold",
        show_lines=True,
    )
    for col in (
        "leg",
        "mode",
        "km",
        "moving h",
        "waiting h",
        "why waiting",
        "cost USD",
        "CO2e kg",
        "sources",
    ):
        table.add_column(
            col,
            justify="right"
            if col in ("km", "moving h", "waiting h", "cost USD", "CO2e kg")
            else "left",
        )
    for leg in o.legs:
        mode = leg.mode + (f" {leg.gauge_mm}" if leg.gauge_mm else "")
        if leg.service_id:
            mode += f"\n[dim]{leg.service_id}[/]"
        wait = f"{leg.wait_hours:.1f}"
        if leg.wait_hours_p90 is not None:
            wait += f"\n[dim]P90 {leg.wait_hours_p90:.0f}[/]"
        srcs = sorted(
            {
                f"{s.source}" + {"sourced": "", "derived": "ᵈ", "estimate": "ᵉ"}.get(s.kind, "?")
                for s in leg.sources
            }
        )
        table.add_row(
            escape(f"{leg.from_name} → {leg.to_name}"),
            mode,
            f"{leg.km:,.0f}",
            f"{leg.hours:.1f}",
            wait,
            escape("\n".join(f"{w.detail}: {w.hours:.1f} h" for w in leg.waits if w.hours > 0))
            or "-",
            f"{leg.cost_usd:,.0f}",
            f"{leg.co2e_wtw_kg:,.0f}",
            escape(" ".join(srcs)),
        )
    console.print(table)
    console.print(
        f"  total: P50 {o.hours_p50 / 24:.1f} d, P90 {o.hours_p90 / 24:.1f} d "
        f"(arrive {o.arrival_p50[:16].replace('T', ' ')} / {o.arrival_p90[:16].replace('T', ' ')}"
        f" UTC); {o.cost_usd:,.0f} USD; {o.co2e_wtw_kg:,.0f} kg CO2e WTW "
        f"({o.co2e_ttw_kg:,.0f} TTW); {o.distance_km:,.0f} km"
    )
    for b in o.borders:
        console.print(
            escape(
                f"  border {b.name}: {b.from_country}→{b.to_country}, "
                f"{', '.join(b.regimes) or 'no regime listed'}"
            )
        )


def _sources(result: PlanResult, console: Console) -> None:
    from rich.markup import escape

    console.print("\n[bold]Sources[/] (ᵈ derived, ᵉ estimate; the rest are published figures)")
    for sid, s in result.sources.items():
        mark = {"derived": "ᵈ", "estimate": "ᵉ"}.get(s["kind"], "")
        where = f" {s['url']}" if s["url"] else ""
        date = f" ({s['date']})" if s["date"] else ""
        publisher = f", {s['publisher']}" if s["publisher"] else ""
        console.print(
            escape(f"  {sid}{mark}: {s['title']}{publisher}{date}{where}"), soft_wrap=True
        )


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the app."""
    app.command("plan")(plan_command)
