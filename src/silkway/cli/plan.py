"""``silkway plan``: ranked freight options between two places, optionally leg by leg."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import json
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    AvoidCountryOpt,
    DepartOpt,
    IncludePlannedOpt,
    ModeOpt,
    NetworkOpt,
    OverlayOpt,
    ScenarioOpt,
    SeedOpt,
    emit,
    load_compiled,
    print_to,
    stderr_line,
)

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table

    from ..results import Leg, Option, PlanResult, Wait


DEFAULT_TIME_LIMIT = 10.0
"""Seconds the search may take by default (``--time-limit``); the engine's default too."""


class SortBy(StrEnum):
    """Ranking criterion."""

    time = "time"
    cost = "cost"
    co2 = "co2"


class Severity(StrEnum):
    """Advisory severity, least severe first."""

    info = "info"
    warning = "warning"
    critical = "critical"


class TrainType(StrEnum):
    """Train type of the rail legs (``silkway.model.records.TRAIN_TYPES``)."""

    express = "express"
    block = "block"
    wagonload = "wagonload"


class PlanFormat(StrEnum):
    """Output format of ``plan``."""

    table = "table"
    json = "json"
    geojson = "geojson"


def plan_command(
    origin: Annotated[str, typer.Argument(help="Origin: place id or name in any language.")],
    destination: Annotated[str, typer.Argument(help="Destination: place id or name.")],
    depart: DepartOpt = None,
    cargo: Annotated[
        str,
        typer.Option(
            help="What to ship: 2xFEU, 3xTEU, 500t:dry_bulk, 800kg (general cargo, which "
            "may fly), 800kg/4m3 (with its volume), 3t:general, 1xTEU:dangerous_goods."
        ),
    ] = "1xFEU",
    cargo_class: Annotated[
        str | None,
        typer.Option(
            help="Cargo class override: container, general, dry_bulk, liquid_bulk, "
            "dangerous_goods.",
            show_default=False,
        ),
    ] = None,
    via: Annotated[
        list[str] | None,
        typer.Option(
            "--via",
            help="Place the route must pass, in the order given. Repeatable.",
            show_default=False,
        ),
    ] = None,
    avoid_country: AvoidCountryOpt = None,
    avoid_place: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid-place", help="Place id or name to avoid. Repeatable.", show_default=False
        ),
    ] = None,
    mode: ModeOpt = None,
    include_planned: IncludePlannedOpt = False,
    train: Annotated[
        TrainType,
        typer.Option(
            "--train",
            help="Train type of the rail legs: express (the default: a scheduled China-Europe "
            "express container train, cleared with priority, the same day, at the "
            "China-Kazakhstan border), block (a container block train without that "
            "priority, cleared at CAREC CPMM's mean border times) or wagonload "
            "(regional wagonload for a single container or a small consignment: slower, "
            "and priced at the CAREC CPMM regional rates).",
        ),
    ] = TrainType.express,
    as_of: Annotated[
        int | None,
        typer.Option(
            "--as-of",
            metavar="YEAR",
            help="Plan on the network as expected in YEAR: planned links open from their "
            "opening year. Default: the departure year.",
            show_default=False,
        ),
    ] = None,
    avoid_advisory: Annotated[
        Severity | None,
        typer.Option(
            "--avoid-advisory",
            metavar="SEVERITY",
            help="Leave out the countries, places, links and borders that advisories of "
            "this severity or higher (info, warning, critical) name, where valid on the "
            "departure date. Default: advisories are shown and exclude nothing.",
            show_default=False,
        ),
    ] = None,
    max_transshipments: Annotated[
        int | None,
        typer.Option(
            help="Most transshipments + gauge changes allowed.", min=0, show_default=False
        ),
    ] = None,
    crew: Annotated[
        int,
        typer.Option(
            "--crew",
            help="Drivers per truck: 1, or 2 for a two-driver crew (AETR multi-manning: "
            "up to 18 h of driving, then a 9-h rest, at the cost of the second driver). "
            "A single driver drives at most 9 h a day with a 45-min break after 4.5 h and "
            "an 11-h daily rest; the legs list the breaks and rests taken.",
            min=1,
            max=2,
        ),
    ] = 1,
    sort: Annotated[SortBy, typer.Option(help="Rank options by time, cost or co2.")] = (
        SortBy.time
    ),
    options: Annotated[
        int,
        typer.Option("--options", "-k", help="How many distinct options to show.", min=1, max=20),
    ] = 5,
    all_options: Annotated[
        bool,
        typer.Option(
            "--all", help="Show every Pareto-optimal route (then -k/--options is ignored)."
        ),
    ] = False,
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
    seed: SeedOpt = 0,
    no_uncertainty: Annotated[
        bool, typer.Option("--no-uncertainty", help="Medians only; skip the Monte Carlo.")
    ] = False,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            metavar="SECONDS",
            help="Stop the search after this many seconds (0: no limit); the result then "
            "says it may be incomplete.",
            min=0,
        ),
    ] = DEFAULT_TIME_LIMIT,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the output (table as plain text, JSON or GeoJSON) to this file "
            "instead of stdout.",
            show_default=False,
        ),
    ] = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Plan freight options from ORIGIN to DESTINATION.

    Example: silkway plan "Xi'an" Istanbul --avoid-country RU --depart 2026-12-07 --cargo 2xFEU
    """
    from ..engine.request import PlanRequest, run

    request = PlanRequest(
        origin=origin,
        destination=destination,
        via=tuple(via or ()),
        depart=depart,
        cargo=cargo,
        cargo_class=cargo_class,  # type: ignore[arg-type]  # the engine checks it
        avoid_countries=tuple(avoid_country or ()),
        avoid_places=tuple(avoid_place or ()),
        modes=tuple(mode) if mode is not None else None,  # type: ignore[arg-type]
        include_planned=include_planned,
        as_of=as_of,
        max_transshipments=max_transshipments,
        train=train.value,
        crew=crew,
        sort=sort.value,
        options=options,
        all_options=all_options,
        samples=samples,
        seed=seed,
        uncertainty=not no_uncertainty,
        time_limit=time_limit,
        avoid_advisory=avoid_advisory.value if avoid_advisory is not None else None,
        scenario=tuple(scenario or ()),
    )
    net = load_compiled(network, overlay, scenario=list(request.scenario))
    result = run(request, net)
    if fmt is PlanFormat.table:
        print_to(output, lambda console: render(result, console, explain=explain))
        return
    if fmt is PlanFormat.json:
        emit(result.to_json(), output)
    else:
        emit(json.dumps(result.to_geojson(), ensure_ascii=False, indent=2), output)
    for label, note in notes(result):  # machine output stays clean; notes go to stderr
        stderr_line(note, prefix=label, style="yellow")


def short_name(name: str) -> str:
    """A place name without its parenthesised facility note: "Kuryk port (ferry complex)"."""
    head = name.split(" (", 1)[0].strip()
    return head or name


COMPACT_BELOW = 110
"""Consoles narrower than this get the compact table (route on its own line beneath)."""


def render(result: "PlanResult", console: "Console", *, explain: bool) -> None:
    """Print the options table, and with ``explain`` every option leg by leg.

    On a console narrower than :data:`COMPACT_BELOW` columns (or too narrow for the
    wide table) the table keeps every number column and moves each option's route and
    modes to its own line beneath the table. Where even that table does not fit (below
    about 70 columns) there is no table: each option's numbers are spelled out in its
    block, so no number is ever cut short.
    """
    from rich.markup import escape

    console.print(_headline(result))
    wide = _table(result, compact=False)
    compact = console.width < COMPACT_BELOW or not _fits(wide, console)
    table: Table | None = wide
    if compact:
        narrow = _table(result, compact=True)
        table = narrow if _fits(narrow, console) else None
    if table is not None:
        console.print(table)
    q = result.query
    shown = (
        f"all {len(result.options)} Pareto-optimal routes shown"
        if q.get("all_options")
        else f"{len(result.options)} of {result.pareto_size} Pareto-optimal routes shown"
    )
    console.print(
        f"[dim]{shown}, sorted by {escape(str(q['sort']))}. "
        "CO2e is well-to-wheel (GLEC / ISO 14083). "
        + (
            f"P50/P90 from {q['samples']} Monte Carlo draws, seed {q['seed']}."
            if q["uncertainty"]
            else "Times are medians only."
        )
        + "[/]"
    )
    for label, note in notes(result):
        console.print(f"[bold yellow]{label}:[/] [yellow]{escape(note)}[/]")
    console.print(_option_notes(result, compact=compact, numbers=table is None))
    _advisories(result, console, sources=explain)
    if explain:
        for o in result.options:
            if compact:
                _explain_compact(o, console)
            else:
                _explain(o, console)
        _sources(result, console)
    else:
        console.print("[dim]Add --explain to open each option leg by leg.[/]")


def _headline(result: "PlanResult") -> str:
    from rich.markup import escape

    q = result.query
    line = (
        f"[bold]{escape(short_name(q['origin']['name']))} → "
        f"{escape(short_name(q['destination']['name']))}[/]  "
        f"{escape(str(q['cargo']))}, departing {str(q['depart'])[:16].replace('T', ' ')} UTC"
    )
    names = {
        pid: name for o in result.options for pid, name in zip(o.route, o.route_names, strict=False)
    }
    via = [_place_label(v, names) for v in q.get("via") or ()]
    if via:
        line += f", via {escape(', '.join(via))}"
    if q.get("avoid_countries"):
        line += f", avoiding {escape(', '.join(q['avoid_countries']))}"
    as_of = q.get("as_of")
    if as_of is not None and str(as_of) != str(q["depart"])[:4]:
        line += f", network as expected in {as_of}"
    if q.get("include_planned"):
        line += ", incl. planned links"
    scenarios = result.network.get("scenarios") or ()
    if scenarios:
        line += f", scenario {escape(' + '.join(scenarios))}"
    from ..model.records import DEFAULT_TRAIN

    train = q.get("train")
    if train and train != DEFAULT_TRAIN:
        line += f", {escape(str(train))} trains"
    if q.get("crew", 1) > 1:
        line += f", {q['crew']}-driver trucks"
    return line


def _place_label(v: Any, names: dict[str, str]) -> str:
    """A query echo's place (an id, or an ``{"id", "name"}`` dict) as a short name."""
    if isinstance(v, dict):
        return short_name(str(v.get("name") or v.get("id") or "?"))
    return short_name(names.get(str(v), str(v)))


def notes(result: "PlanResult") -> list[tuple[str, str]]:
    """``(label, text)`` notes to print after the table: ``incomplete`` first when the
    search was cut short, then each of the result's warnings."""
    out: list[tuple[str, str]] = []
    warnings = [str(w) for w in result.warnings]
    if not result.complete:
        stats = result.stats
        limit = result.query.get("time_limit")
        reasons = []
        if stats.get("deadline_hit"):
            reasons.append(f"its time limit of {limit:g} s" if limit else "its time limit")
        if stats.get("budget_hit"):
            reasons.append("its label budget")
        done = []
        if isinstance(stats.get("labels"), int):
            done.append(f"{stats['labels']:,} labels")
        if isinstance(stats.get("seconds"), int | float):
            done.append(f"{stats['seconds']:.1f} s")
        out.append(
            (
                "incomplete",
                "the search hit "
                + (" and ".join(reasons) or "its budget or time limit")
                + (f" ({', '.join(done)})" if done else "")
                + ", so this list may be incomplete: the options shown are real routes, but "
                "faster, cheaper or cleaner ones may be missing"
                + (
                    "; allow more time with --time-limit (0 for no limit)"
                    if stats.get("deadline_hit") or not reasons
                    else "; narrow the query (--mode, --avoid-country, --max-transshipments)"
                ),
            )
        )
        # the engine words the same fact as a warning; say it once
        warnings = [w for w in warnings if not w.startswith("the search stopped")]
    out.extend(("warning", w) for w in warnings)
    return out


_NUMBER_HEADERS = (
    "days\nP50",
    "days\nP90",
    "cost\nUSD",
    "CO2e\nt",
    "km",
    "borders",
    "gauge\nchanges",
    "trans-\nships",
)


def _table(result: "PlanResult", *, compact: bool) -> "Table":
    """The options table: wide (route and modes columns, detour) or compact (numbers)."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    if compact:  # one line per option, so no lines between rows
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    else:  # horizontal rules only: the vertical ones would cost 13 columns
        table = Table(
            box=box.HORIZONTALS,
            show_lines=True,
            show_edge=False,
            header_style="bold",
            padding=(0, 1, 0, 0),
        )
    table.add_column("#", justify="right", no_wrap=True)
    if not compact:
        table.add_column("route", ratio=1, min_width=20)
        table.add_column("modes", no_wrap=True)
    headers = list(_NUMBER_HEADERS)
    if not compact:
        headers.insert(5, "detour")
    for col in headers:
        table.add_column(col, justify="right", no_wrap=True)
    for o in result.options:
        numbers = [
            f"{o.hours_p50 / 24:.1f}",
            f"{o.hours_p90 / 24:.1f}",
            f"{o.cost_usd:,.0f}",
            f"{o.co2e_wtw_kg / 1000:.2f}",
            f"{o.distance_km:,.0f}",
            str(len(o.borders)),
            str(len(o.gauge_changes)),
            str(o.transshipments),
        ]
        if compact:
            table.add_row(str(o.rank), *numbers)
        else:
            numbers.insert(5, detour(o))
            table.add_row(
                str(o.rank),
                escape(" → ".join(map(short_name, o.route_names))),
                escape(wrap_modes(o.modes)),
                *numbers,
            )
    return table


def wrap_modes(modes: Sequence[str], width: int = 11) -> str:
    """``rail+road+rail+ferry`` broken after a ``+`` into lines of at most ``width``."""
    lines: list[str] = []
    for i, mode in enumerate(modes):
        piece = mode + ("+" if i < len(modes) - 1 else "")
        if lines and len(lines[-1]) + len(piece) <= width:
            lines[-1] += piece
        else:
            lines.append(piece)
    return "\n".join(lines)


def detour(o: "Option") -> str:
    """Route km over great-circle km, e.g. ``1.3×``."""
    return f"{o.detour_factor:.1f}×"


def _fits(table: "Table", console: "Console") -> bool:
    """Whether ``table`` fits the console without cutting any cell short."""
    from rich.measure import Measurement

    wide_open = console.options.update_width(10_000)
    return Measurement.get(console, wide_open, table).minimum <= console.width


def _option_notes(result: "PlanResult", *, compact: bool, numbers: bool = False) -> "Table":
    """One block per option: (compact) modes and route, then regimes, gauge changes,
    countries passed, (compact) detour, and planned links used; with ``numbers`` first
    a line with every number of the table."""
    from rich.markup import escape
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, min_width=3)
    grid.add_column(ratio=1)
    for o in result.options:
        lines = []
        if numbers:
            lines.append(
                f"days P50 {o.hours_p50 / 24:.1f}, P90 {o.hours_p90 / 24:.1f}; "
                f"cost {o.cost_usd:,.0f} USD; CO2e {o.co2e_wtw_kg / 1000:.2f} t; "
                f"{o.distance_km:,.0f} km; borders {len(o.borders)}; "
                f"gauge changes {len(o.gauge_changes)}; trans-ships {o.transshipments}"
            )
        if compact:
            lines.append(
                f"{escape('+'.join(o.modes))}: "
                + escape(" → ".join(map(short_name, o.route_names)))
            )
        facts = [f"regimes: {', '.join(o.regimes) or 'none'}"]
        if o.gauge_changes:
            facts.append(f"gauge changes at {', '.join(o.gauge_changes)}")
        if o.countries:
            facts.append(f"countries: {' → '.join(o.countries)}")
        if compact:
            facts.append(f"detour {detour(o)}")
        text = escape("; ".join(facts))
        if o.planned_links:
            s = "s" if len(o.planned_links) > 1 else ""
            text += f"; [magenta]uses planned link{s} {escape(', '.join(o.planned_links))}[/]"
        lines.append(text)
        grid.add_row(f"[bold]{o.rank}[/]", "\n".join(lines))
    return grid


_SEVERITY_STYLE = {"critical": "bold red", "warning": "yellow", "info": "cyan"}


def _advisories(result: "PlanResult", console: "Console", *, sources: bool) -> None:
    """One line per advisory that applies to any option (each once, with the options
    it applies to): its headline (first sentence); with ``sources`` (``--explain``) its
    whole text and source ids."""
    from rich.markup import escape
    from rich.table import Table

    seen: dict[str, tuple[Any, list[int]]] = {}
    for o in result.options:
        for adv in o.advisories:
            seen.setdefault(adv.id, (adv, []))[1].append(o.rank)
    if not seen:
        return
    mode = result.query.get("avoid_advisory")
    tail = f"; avoiding {mode}+" if mode else "; they exclude nothing unless --avoid-advisory"
    console.print(f"[bold]Advisories[/] [dim](valid on the departure date{escape(tail)})[/]")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    for adv, ranks in seen.values():
        which = "option" + ("s" if len(ranks) > 1 else "") + " " + ", ".join(map(str, ranks))
        style = _SEVERITY_STYLE.get(adv.severity, "")
        text = f"{escape(adv.category)} ({escape(which)}): "
        if sources:
            text += escape(adv.text) + f" [dim]sources: {escape(', '.join(adv.sources))}[/]"
        else:
            text += escape(adv.headline)
        grid.add_row(f"  [{style}]{escape(adv.severity)}[/]", text)
    console.print(grid)


def _source_marks(leg: "Leg") -> str:
    """The leg's source ids, ᵈ for derived and ᵉ for estimates."""
    marks = {"sourced": "", "derived": "ᵈ", "estimate": "ᵉ"}
    return " ".join(sorted({s.source + marks.get(s.kind, "?") for s in leg.sources}))


def _emissions(leg: "Leg") -> str:
    """The factor row and, for electric traction, the grid mix behind a leg's CO2e."""
    text = f"{leg.emission_factor} {leg.wtw_g_per_tkm:.1f} g/t-km WTW"
    if leg.grid_g_per_kwh is not None:
        mix = ", ".join(f"{c} {share:.0%}" for c, share in leg.grid_mix)
        text += f" (grid {leg.grid_g_per_kwh:.0f} g/kWh: {mix})"
    return text


def _explain_compact(o: "Option", console: "Console") -> None:
    """Option ``o`` leg by leg as indented blocks, for consoles too narrow for a table."""
    from rich.markup import escape
    from rich.table import Table

    console.print(
        f"\n[bold]Option {o.rank}:[/] " + escape(" → ".join(map(short_name, o.route_names)))
    )
    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True, min_width=3)
    grid.add_column(ratio=1)
    for seq, leg in enumerate(o.legs, start=1):
        mode = leg.mode + (f" {leg.gauge_mm} mm" if leg.gauge_mm else "")
        if leg.service_id:
            mode += f", service {leg.service_id}"
        wait = f"{leg.wait_hours:.1f} h waiting"
        if leg.wait_hours_p90 is not None:
            wait += f" (P90 {leg.wait_hours_p90:.0f} h)"
        lines = [
            f"[bold]{escape(leg.from_name)} → {escape(leg.to_name)}[/]  {escape(mode)}",
            escape(
                f"{leg.km:,.0f} km, {leg.hours:.1f} h moving, {wait}; "
                f"{leg.cost_usd:,.0f} USD; {leg.co2e_wtw_kg:,.0f} kg CO2e"
            ),
        ]
        waits = [w for w in leg.waits if _shown(w)]
        if waits:
            lines.append(
                "[dim]why waiting:[/] "
                + escape("; ".join(f"{w.detail}: {w.hours:.1f} h" for w in waits))
            )
        lines.append("[dim]CO2e:[/] " + escape(_emissions(leg)))
        lines.append("[dim]sources:[/] " + escape(_source_marks(leg)))
        grid.add_row(str(seq), "\n".join(lines))
    console.print(grid)
    _explain_totals(o, console)


def _shown(w: "Wait") -> bool:
    """Waits worth a line: those that take time, and storm odds even at a zero median
    (they widen the P90)."""
    return w.hours > 0 or w.code == "service.storm"


def _explain(o: "Option", console: "Console") -> None:
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
        table.add_row(
            escape(f"{leg.from_name} → {leg.to_name}"),
            mode,
            f"{leg.km:,.0f}",
            f"{leg.hours:.1f}",
            wait,
            escape("\n".join(f"{w.detail}: {w.hours:.1f} h" for w in leg.waits if _shown(w)))
            or "-",
            f"{leg.cost_usd:,.0f}",
            f"{leg.co2e_wtw_kg:,.0f}\n[dim]{escape(leg.emission_factor)}[/]",
            escape(_source_marks(leg)).replace(" ", "\n"),
        )
    console.print(table)
    _explain_factors(o, console)
    _explain_totals(o, console)


def _explain_factors(o: "Option", console: "Console") -> None:
    """The emission factor rows the option uses, and the grid of each electric leg."""
    from rich.markup import escape

    seen: dict[str, str] = {}
    for leg in o.legs:
        if leg.grid_g_per_kwh is None and leg.emission_factor not in seen:
            seen[leg.emission_factor] = (
                f"{leg.wtw_g_per_tkm:.1f} WTW / {leg.ttw_g_per_tkm:.1f} TTW g/t-km"
            )
    if seen:
        text = "; ".join(f"{k} {v}" for k, v in seen.items())
        console.print(escape(f"  emission factors: {text}"))
    for leg in o.legs:
        if leg.grid_g_per_kwh is not None:
            console.print(escape(f"  {leg.from_name} → {leg.to_name}: {_emissions(leg)}"))


def _explain_totals(o: "Option", console: "Console") -> None:
    from rich.markup import escape

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


def _sources(result: "PlanResult", console: "Console") -> None:
    """Every source cited, one line each where it fits; else the description wrapped and
    the URL on a line of its own, never broken (so it stays clickable)."""
    from rich.cells import cell_len
    from rich.markup import escape
    from rich.padding import Padding

    console.print("\n[bold]Sources[/] (ᵈ derived, ᵉ estimate; the rest are published figures)")
    for sid, s in result.sources.items():
        mark = {"derived": "ᵈ", "estimate": "ᵉ"}.get(s["kind"], "")
        date = f" ({s['date']})" if s["date"] else ""
        publisher = f", {s['publisher']}" if s["publisher"] else ""
        text = f"{sid}{mark}: {s['title']}{publisher}{date}"
        url = s["url"] or ""
        if cell_len(f"  {text} {url}") <= console.width or not url:
            console.print(Padding(escape(f"{text} {url}".rstrip()), (0, 0, 0, 2)))
        else:
            console.print(Padding(escape(text), (0, 0, 0, 2)))
            console.print(escape(f"    {url}"), soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``plan`` to the app."""
    from ._fastparams import FastCommand

    app.command("plan", cls=FastCommand)(plan_command)
