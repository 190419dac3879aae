"""``silkway matrix``: the skim matrix between places, to a table, CSV or Parquet."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import QueryError
from ._common import (
    AvoidCountryOpt,
    DepartOpt,
    IncludePlannedOpt,
    ModeOpt,
    NetworkOpt,
    OutputError,
    OverlayOpt,
    ScenarioOpt,
    SchedulerOpt,
    SeedOpt,
    WorkersOpt,
    describe_os_error,
    load_compiled,
    print_to,
    stderr_line,
    stopped_by_ctrl_c,
)
from .plan import SortBy, short_name

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from ..compile import CompiledNetwork

FORMATS = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
"""File suffixes ``--out`` accepts, and the format each writes."""


def matrix_command(
    places: Annotated[
        list[str] | None,
        typer.Option(
            "--places",
            "-p",
            help="Places of the matrix: ids or names, comma-separated or repeated "
            "(every ordered pair of distinct places is a row).",
            show_default=False,
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every place of the network (instead of --places).")
    ] = False,
    depart: DepartOpt = None,
    cargo: Annotated[
        str, typer.Option(help="What to ship: 1xFEU, 2xTEU, 500t:dry_bulk, ...")
    ] = "1xFEU",
    sort: Annotated[
        SortBy,
        typer.Option(
            help="Choose each pair's route by time (median basis), cost or co2; ties go "
            "to the better of the other two."
        ),
    ] = SortBy.time,
    samples: Annotated[
        int,
        typer.Option(
            help="Monte Carlo draws per route for P50/P90/P95 (0: medians only).",
            min=0,
            max=100_000,
        ),
    ] = 1000,
    seed: SeedOpt = 0,
    include_planned: IncludePlannedOpt = False,
    avoid_country: AvoidCountryOpt = None,
    mode: ModeOpt = None,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the matrix to FILE.csv or FILE.parquet instead of printing a table.",
            show_default=False,
        ),
    ] = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Skim matrix: time P50/P90/P95, cost, CO2e and distance between places.

    One search per origin towards every destination; each pair's route is replayed by
    Monte Carlo. Example: silkway matrix --places Xi'an,Almaty,Tashkent,Baku --out skims.csv
    """
    from ..skims import matrix

    if every == bool(places):
        raise QueryError("give the places with --places A,B,C, or --all for every place")
    writer = _writer(out) if out is not None else None
    net = load_compiled(network, overlay, scenario=scenario)
    with stopped_by_ctrl_c():
        frame = matrix(
            net,
            None if every else places,
            depart=depart,
            cargo=cargo,
            sort=sort.value,
            samples=samples,
            seed=seed,
            include_planned=include_planned,
            avoid_countries=avoid_country or (),
            modes=mode,
            scheduler=scheduler,
            workers=workers,
            progress=True,
        )
    if not frame.attrs.get("complete", True):
        stderr_line(
            "a search stopped at its label budget or time limit: some pairs may have "
            "better routes than those shown",
            prefix="warning",
            style="yellow",
        )
    if out is not None and writer is not None:
        _write(frame, out, writer)
        stderr_line(_summary(frame), prefix="wrote " + str(out), style="green")
        return
    print_to(None, lambda console: render(frame, net, console))


def _writer(out: Path) -> str:
    """The format ``out``'s suffix asks for (checked before any work is done)."""
    fmt = FORMATS.get(out.suffix.lower())
    if fmt is None:
        raise QueryError(f"--out {out}: write a .csv or a .parquet file")
    return fmt


def _write(frame: "pd.DataFrame", out: Path, fmt: str) -> None:
    """Write ``frame`` as CSV or Parquet (attrs are not written)."""
    plain = frame.copy()
    plain.attrs = {}
    try:
        if fmt == "csv":
            plain.to_csv(out, index=False)
        else:
            plain.to_parquet(out, index=False)
    except ImportError as exc:  # pragma: no cover - pyarrow is a dependency
        raise OutputError(f"cannot write {out}: Parquet needs pyarrow ({exc})") from None
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {describe_os_error(exc)}") from None


def _summary(frame: "pd.DataFrame") -> str:
    q = frame.attrs.get("query", {})
    pairs = len(frame)
    reached = int(frame["reachable"].sum())
    draws = (
        f"P50/P90/P95 from {q['samples']} Monte Carlo draws, seed {q['seed']}"
        if q.get("samples")
        else "medians only"
    )
    return (
        f"{pairs:,} pairs, {reached:,} reachable; routes chosen by {q.get('sort', 'time')}; "
        f"{draws}."
    )


def _num(value: float, digits: int = 1) -> str:
    return (
        ""
        if value is None or (isinstance(value, float) and math.isnan(value))
        else (f"{value:,.{digits}f}")
    )


def render(frame: "pd.DataFrame", net: "CompiledNetwork", console: "Console") -> None:
    """Print the matrix as a table, one row per pair (times in days)."""
    from rich.markup import escape
    from rich.table import Table

    places = net.network.places
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    for name, right in (
        ("From", False),
        ("To", False),
        ("P50 days", True),
        ("P90 days", True),
        ("P95 days", True),
        ("Cost USD", True),
        ("CO2e kg", True),
        ("km", True),
        ("Borders", True),
        ("Modes", False),
    ):
        table.add_column(name, justify="right" if right else "left", no_wrap=not right)
    for row in frame.to_dict("records"):
        names = [escape(short_name(places[str(row[k])].name_en)) for k in ("origin", "destination")]
        if not row["reachable"]:
            table.add_row(*names, "[dim]no route[/]", *[""] * 7)
            continue
        table.add_row(
            *names,
            _num(row["time_p50_h"] / 24),
            _num(row["time_p90_h"] / 24),
            _num(row["time_p95_h"] / 24),
            _num(row["cost_usd"], 0),
            _num(row["co2e_kg"], 0),
            _num(row["distance_km"], 0),
            str(row["borders"]),
            escape(str(row["modes"])),
        )
    console.print(table)
    console.print(f"[dim]{escape(_summary(frame))} CO2e is well-to-wheel.[/]")


def register(app: typer.Typer) -> None:
    """Add ``matrix`` to the app."""
    from ._fastparams import FastCommand

    app.command("matrix", cls=FastCommand)(matrix_command)
