"""``silkway demand``: show the bundled trade table or a user's OD table."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, emit, load, print_to

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

DemandOpt = Annotated[
    Path | None,
    typer.Option(
        "--demand",
        help="Demand table (CSV or Parquet: origin, destination, volume, unit, cargo_class, "
        "optional value_usd; see docs/demand.md). Default: the bundled trade table.",
        show_default=False,
    ),
]
"""The ``--demand FILE`` option, for commands that take demand (with
:func:`silkway.demand.load_demand`)."""


def show_command(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Demand table (CSV or Parquet) with columns origin, destination, volume, "
            "unit, cargo_class and optionally value_usd. Without it: the bundled trade table.",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="Write the demand rows to this file: Parquet if it ends in .parquet or "
            ".pq, CSV otherwise. The summary is still printed.",
            show_default=False,
        ),
    ] = None,
    segments: Annotated[
        bool,
        typer.Option(
            "--segments",
            help="Bundled table only: show (or write) every segment's rows before they "
            "are summed, with the segment and flow each comes from.",
        ),
    ] = False,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Show demand: a summary and the origin-destination rows, in FEU, tonnes and USD a year."""
    from .._errors import QueryError
    from ..demand import bundled_segments, demand_summary, load_demand

    if file is not None and segments:
        raise QueryError("--segments applies to the bundled trade table, not to a FILE")
    net = load(network, overlay, scenario=scenario)
    frame = load_demand(file, network=net)
    summary = demand_summary(frame)
    if file is None:
        summary = "bundled trade table (silkway/data/demand, see docs/demand.md)\n" + summary
    table = bundled_segments(net) if segments else frame
    if out is not None:
        _write(table, out)
        emit(f"{summary}\nwrote {len(table)} rows to {out}")
        return
    print_to(None, lambda console: _print(console, summary, table))


def _write(frame: "pd.DataFrame", out: Path) -> None:
    from ._common import OutputError, describe_os_error

    try:
        if out.suffix.lower() in (".parquet", ".pq"):
            frame.to_parquet(out, index=False)
        else:
            frame.to_csv(out, index=False, lineterminator="\n")
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {describe_os_error(exc)}") from None


def _print(console: "Console", summary: str, frame: "pd.DataFrame") -> None:
    import math

    from rich.markup import escape
    from rich.table import Table

    console.print(escape(summary))
    table = Table(header_style="bold")
    for col in frame.columns:
        numeric = frame[col].dtype.kind == "f"
        table.add_column(str(col), justify="right" if numeric else "left")
    for row in frame.itertuples(index=False):
        cells = []
        for cell in row:
            if isinstance(cell, float):
                cells.append("" if math.isnan(cell) else f"{cell:,.1f}")
            else:
                cells.append(escape(str(cell)))
        table.add_row(*cells)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``demand show`` to the app."""
    from ._fastparams import FastCommand, FastGroup

    group = typer.Typer(
        name="demand",
        cls=FastGroup,
        help="Origin-destination demand: the bundled trade table or your own.",
        no_args_is_help=True,
    )
    group.command("show", cls=FastCommand)(show_command)
    app.add_typer(group, name="demand")
