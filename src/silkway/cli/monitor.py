"""``silkway monitor``: corridor performance monitoring from shipment event logs.

This module owns the command group and ``monitor ingest``. Other monitoring commands
live in their own modules, each with a ``register(group)`` function, and are added to
the group by naming the module in :data:`COMMAND_MODULES` (one line each). They share
:data:`StoreOpt` and :func:`open_store_option`.
"""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import importlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, load, print_to

if TYPE_CHECKING:
    from rich.console import Console

    from ..model.records import Network
    from ..monitor.currency import FxTable
    from ..monitor.ingest import IngestSummary
    from ..monitor.store import Store

COMMAND_MODULES: tuple[str, ...] = ("monitor_simulate", "monitor_report", "monitor_calibrate")
"""Modules of ``silkway.cli`` whose ``register(group)`` adds more ``monitor`` commands
(for example ``"monitor_report"``)."""

STORE_ENV = "SILKWAY_STORE"
"""Environment variable naming the store when ``--store`` is not given."""

StoreOpt = Annotated[
    str | None,
    typer.Option(
        "--store",
        metavar="URL",
        help="Event store: a DuckDB file path (or duckdb:///path), or "
        "postgresql://user@host:port/database. Default: $SILKWAY_STORE, else "
        "silkway-monitor.duckdb in the working folder.",
        show_default=False,
    ),
]

PROGRESS_BYTES = 8 << 20
"""Files at least this large get a progress bar (on a terminal)."""


def open_store_option(store: str | None) -> "Store":
    """The store named by ``--store``, ``$SILKWAY_STORE`` or the default file."""
    from ..monitor.store import open_store

    return open_store(store or os.environ.get(STORE_ENV) or None)


def ingest_command(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="Event logs: CSV, JSON Lines (.jsonl) or Parquet (see docs/monitoring.md).",
            show_default=False,
        ),
    ],
    store: StoreOpt = None,
    fx: Annotated[
        Path | None,
        typer.Option(
            "--fx",
            metavar="FILE",
            help="Monthly USD rate table (CSV: currency, month, units_per_usd, source, "
            "date, kind) instead of the bundled one.",
            show_default=False,
        ),
    ] = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Validate event logs and add them to the store; bad rows go to quarantine.

    Each file is stored in one transaction; a file already ingested (same bytes) and
    events already stored are skipped. Prints rows read, stored, duplicate and
    quarantined per file, and the quarantine reasons.
    """
    from ..monitor.currency import load_fx
    from ..monitor.errors import MonitorError
    from ..monitor.readers import log_format

    for file in files:  # fail before writing anything if a name is plainly wrong
        log_format(file)
        if not file.is_file():
            what = "no such file" if not file.exists() else "not a file"
            raise MonitorError(f"{file}: {what}")
    rates = load_fx(fx)
    net = load(network, overlay, scenario=scenario)  # its places are the known ones
    summaries = []
    with open_store_option(store) as db:
        for file in files:
            summaries.append(_ingest_one(file, db, net, rates))
    print_to(None, lambda console: _print(console, summaries, db.url))


def _ingest_one(file: Path, db: "Store", net: "Network", rates: "FxTable") -> "IngestSummary":
    from ..monitor.ingest import ingest as run

    show = sys.stderr.isatty() and file.stat().st_size >= PROGRESS_BYTES
    if not show:
        return run(file, db, network=net, fx=rates)
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task(file.name, total=1.0)

        def step(name: str, done: float) -> None:
            bar.update(task, completed=done, description=f"{file.name}: {name}")

        return run(file, db, network=net, fx=rates, progress=step)


def _print(console: "Console", summaries: "list[IngestSummary]", url: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(header_style="bold", title=f"ingested into {escape(url)}")
    table.add_column("file")
    for name in ("read", "stored", "duplicate", "quarantined"):
        table.add_column(name, justify="right")
    for s in summaries:
        name = escape(s.path) + (" (already ingested)" if s.already_ingested else "")
        table.add_row(
            name,
            f"{s.rows_read:,}",
            f"{s.rows_stored:,}",
            f"{s.rows_duplicate:,}",
            f"{s.rows_quarantined:,}",
        )
    console.print(table)
    reasons: dict[str, int] = {}
    for s in summaries:
        for code, n in s.reasons:
            reasons[code] = reasons.get(code, 0) + n
    if reasons:
        text = ", ".join(f"{code} {n:,}" for code, n in sorted(reasons.items()))
        console.print(f"quarantined rows by reason: {escape(text)} (table sw_quarantine)")


def register(app: typer.Typer) -> None:
    """Add the ``monitor`` group (``ingest`` and the commands of :data:`COMMAND_MODULES`)."""
    from ._fastparams import FastCommand, FastGroup

    group = typer.Typer(
        name="monitor",
        cls=FastGroup,
        help="Corridor performance monitoring: ingest shipment event logs into a store.",
        no_args_is_help=True,
    )
    group.command("ingest", cls=FastCommand)(ingest_command)
    for name in COMMAND_MODULES:
        importlib.import_module(f"{__package__}.{name}").register(group)
    app.add_typer(group, name="monitor")
