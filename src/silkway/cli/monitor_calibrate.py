"""``silkway monitor calibrate`` and ``silkway monitor validate``: the planner against the store.

``calibrate`` fits border dwell and ferry waits to the stored events and writes them as
an overlay folder or a scenario, with ``calibration.csv`` and a terminal table saying
what changed and what kept its values; ``validate`` compares the planner's predictions
with the observed times and writes CSV tables and an offline HTML page. Both join the
``monitor`` group through :func:`register`.
"""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import datetime as dt
import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, emit, load, print_to
from ._fastparams import FastCommand
from .monitor import STORE_ENV, StoreOpt

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from ..model.records import Network
    from ..monitor.calibrate import Calibration


class CalibrateAs(StrEnum):
    """What ``monitor calibrate`` writes."""

    overlay = "overlay"
    scenario = "scenario"


OutDirOpt = Annotated[
    Path, typer.Option("--out", metavar="DIR", help="Folder to write into (created if missing).")
]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Only events on or after this day (YYYY-MM-DD, UTC).",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        help="Only events on or before this day (YYYY-MM-DD, UTC).",
        show_default=False,
    ),
]


def _day(text: str | None, option: str) -> dt.date | None:
    from ..monitor.calibrate import CalibrationError

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise CalibrationError(f"{option}: {text!r} is not a date YYYY-MM-DD") from None


def _observations(
    store_url: str | None, network: "Network", since: dt.date | None, until: dt.date | None
) -> tuple["pd.DataFrame", "pd.DataFrame", str]:
    """Observed times and shipments of the period, and the store as named in outputs."""
    from ..monitor.calibrate import CalibrationError
    from ..monitor.observed import observed_times, period_bounds, read_events, shipments
    from ..monitor.store import DEFAULT_STORE, open_store, public_url

    period_bounds(since, until)  # a reversed period fails before the store is opened
    url = store_url or os.environ.get(STORE_ENV) or DEFAULT_STORE
    if "://" not in url and not Path(url).is_file():
        raise CalibrationError(
            f"no store at {url}: ingest an event log first (silkway monitor ingest FILE "
            "--store PATH), or name the store with --store"
        )
    with open_store(url) as store:
        events = read_events(store, since=since, until=until)
    span = "" if since is None and until is None else f" from {since or '...'} to {until or '...'}"
    if events.empty:
        raise CalibrationError(
            f"the store {public_url(url)} holds no departure, arrival, border or ferry "
            f"events{span}; ingest an event log first (silkway monitor ingest FILE)"
        )
    observed = observed_times(network, events)
    return observed, shipments(events), public_url(url)


def calibrate_command(
    out: OutDirOpt,
    store: StoreOpt = None,
    as_: Annotated[
        CalibrateAs,
        typer.Option("--as", help="overlay (a folder for --overlay) or scenario (YAML)."),
    ] = CalibrateAs.overlay,
    min_obs: Annotated[
        int,
        typer.Option(
            "--min-obs", min=1, help="Observations an item needs; fewer keep the old values."
        ),
    ] = 30,
    since: SinceOpt = None,
    until: UntilOpt = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Fit border dwell and ferry waits to the stored events; write an overlay or scenario."""
    from ..monitor.calibrate import (
        CalibrationError,
        calibrate,
        summary_frame,
        write_overlay,
        write_scenario,
    )

    first, last = _day(since, "--since"), _day(until, "--until")
    net = load(network, overlay, scenario=scenario)
    observed, _, label = _observations(store, net, first, last)
    if observed.empty:
        raise CalibrationError(
            "the stored events hold no complete border passage (entry and exit) or ferry "
            "wait (load and departure) at a crossing or queue service of the network"
        )
    period = None
    if first is not None or last is not None:
        started = observed["started_at"]
        period = (first or started.min().date(), last or started.max().date())
    result = calibrate(net, observed, min_obs=min_obs, store=label, period=period)
    folder = Path(out)
    if as_ is CalibrateAs.overlay:
        write_overlay(result, net, folder)
        target = f"overlay {folder} (silkway plan ... --overlay {folder})"
    else:
        path = write_scenario(result, folder / "calibration.yaml")
        target = f"scenario {path} (silkway plan ... --scenario {path})"
    summary = folder / "calibration.csv"
    try:
        summary_frame(result).to_csv(summary, index=False)
    except OSError as exc:
        raise CalibrationError(f"cannot write {summary}: {exc}") from exc
    print_to(None, lambda console: _print_calibration(console, result, target, summary))


def _print_calibration(
    console: "Console", result: "Calibration", target: str, summary: Path
) -> None:
    from rich.table import Table

    table = Table(title=f"Calibration from {result.period[0]} to {result.period[1]}")
    for name in ("kind", "id", "direction", "n", "old P50/P90 h", "new P50/P90 h", "status"):
        table.add_column(name, justify="right" if name == "n" else "left")
    for f in result.fits:
        if f.month is not None:
            continue
        table.add_row(
            f.kind,
            f.item_id,
            f.direction,
            str(f.n),
            f"{f.old.median_hours:g} / {f.old.p90_hours:g}",
            f"{f.new.median_hours:g} / {f.new.p90_hours:g}",
            f.status,
        )
    console.print(table)
    kept = sum(1 for f in result.fits if f.month is None and not f.calibrated)
    console.print(
        f"{len(result.changed)} items calibrated, {kept} kept their values (see status); "
        f"per-month figures in {summary} (the network has no month-dependent dwell, so "
        "they are reported only)."
    )
    console.print(f"Wrote the {target}.")


def validate_command(
    out: OutDirOpt,
    store: StoreOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    samples: Annotated[
        int, typer.Option(min=10, max=100_000, help="Monte Carlo draws per planned relation.")
    ] = 1000,
    train: Annotated[
        str,
        typer.Option(
            help="Train type of the plans: block (CPMM's regular trains, as crossings.csv "
            "gives the dwell), express or wagonload."
        ),
    ] = "block",
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Compare the planner's P50 and P10-P90 with the observed times; write a report."""
    from ..compile import compile_network
    from ..monitor.calibrate import CalibrationError
    from ..monitor.validation import (
        Validation,
        crossing_table,
        od_table,
        summary_lines,
        write_validation,
    )

    first, last = _day(since, "--since"), _day(until, "--until")
    net = load(network, overlay, scenario=scenario)
    observed, trips, label = _observations(store, net, first, last)
    if observed.empty and trips.empty:
        raise CalibrationError(
            "the stored events hold no border passage, ferry wait or complete shipment "
            "(departure and arrival) to compare with the planner"
        )
    crossings = crossing_table(net, observed)
    od, per_shipment = od_table(compile_network(net), trips, samples=samples, train=train)
    result = Validation(crossings, od, per_shipment)
    page = write_validation(result, out, store=label)
    emit("\n".join([*summary_lines(result), f"Wrote {page}"]))


def register(group: typer.Typer) -> None:
    """Add ``calibrate`` and ``validate`` to the ``monitor`` group."""
    group.command("calibrate", cls=FastCommand)(calibrate_command)
    group.command("validate", cls=FastCommand)(validate_command)


__all__ = ["calibrate_command", "register", "validate_command"]
