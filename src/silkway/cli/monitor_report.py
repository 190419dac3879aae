"""``silkway monitor report``: the CPMM indicators of a store as an offline HTML report."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt
from .monitor import StoreOpt

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console


def report_command(
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Folder to write the report into.", show_default=False),
    ],
    store: StoreOpt = None,
    top: Annotated[
        int,
        typer.Option(help="Crossings and sections drawn, each (those with most data).", min=1),
    ] = 6,
    worst: Annotated[
        int, typer.Option(help="Rail and road crossings in the terminal summary.", min=1)
    ] = 10,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Write the CAREC CPMM indicators (TFI1-TFI4, SWOD and SWD) as an HTML report.

    Trend charts per crossing and section, dwell distributions, and tables (also as
    CSV and Parquet); the page opens offline. Prints the crossings slowest to clear.
    Example: silkway monitor report --store events.duckdb --out report/
    """
    from ..monitor.report import worst_crossings, write_monitor_report
    from ._common import load, print_to
    from .monitor import open_store_option

    net = load(network, overlay, scenario=scenario)
    with open_store_option(store) as db:
        report = write_monitor_report(db, out, network=net, top=top)
    slow = worst_crossings(report.tables["tfi1"], report.tables["tfi2"], top=worst)
    print_to(None, lambda console: _print(console, slow, report.index, len(report.charts)))


def _print(console: "Console", slow: "pd.DataFrame", index: Path, charts: int) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(header_style="bold", title="border crossings slowest to clear (TFI1, TFI2)")
    table.add_column("crossing")
    table.add_column("direction")
    table.add_column("mode")
    for name in ("passages", "median h", "P90 h", "cost USD", "unofficial"):
        table.add_column(name, justify="right")
    for row in slow.itertuples(index=False):
        table.add_row(
            escape(str(row.crossing)),
            escape(str(row.direction)),
            escape(str(row.mode)),
            f"{row.n:,}",
            f"{row.median_hours:,.1f}",
            f"{row.p90_hours:,.1f}",
            f"{row.mean_usd:,.0f}",
            f"{row.unofficial_share:.0%}",
        )
    if len(slow):
        console.print(table)
    else:
        console.print("no rail or road border passages in the store")
    console.print(f"report: {escape(str(index))} ({charts} charts)")


def register(group: typer.Typer) -> None:
    """Add ``report`` to the ``monitor`` group."""
    from ._fastparams import FastCommand

    group.command("report", cls=FastCommand)(report_command)
