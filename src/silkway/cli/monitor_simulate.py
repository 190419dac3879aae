"""``silkway monitor simulate``: a synthetic shipment event log for tests, demos, benchmarks."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import datetime as dt
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from .._errors import QueryError
from ._common import NetworkOpt, OutputError, OverlayOpt, ScenarioOpt, SeedOpt, describe_os_error


class LogFormat(StrEnum):
    """File format of a simulated log."""

    csv = "csv"
    jsonl = "jsonl"
    parquet = "parquet"


def simulate_command(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="File to write the log to.", show_default=False)
    ],
    shipments: Annotated[
        int, typer.Option("--shipments", help="Number of shipments.", min=1, max=100_000_000)
    ],
    seed: SeedOpt = 0,
    start: Annotated[
        str | None,
        typer.Option(
            help="First month of departures, YYYY-MM or YYYY-MM-DD (UTC). Default: the "
            "latest --months months the bundled rate table covers, with two months to "
            "spare for the trips to end.",
            show_default=False,
        ),
    ] = None,
    months: Annotated[
        int, typer.Option(help="Months over which shipments depart.", min=1, max=120)
    ] = 12,
    fmt: Annotated[
        LogFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="csv, jsonl or parquet (default: from the --out suffix, else csv).",
            show_default=False,
        ),
    ] = None,
    relations: Annotated[
        int, typer.Option(help="Origin-destination relations to plan.", min=1, max=1000)
    ] = 24,
    train: Annotated[
        str, typer.Option(help="Train type of rail legs: express, block or wagonload.")
    ] = "block",
    missing: Annotated[
        float, typer.Option(help="Share of events left out (0 to 1).", min=0.0, max=1.0)
    ] = 0.01,
    duplicates: Annotated[
        float, typer.Option(help="Share of rows repeated (0 to 1).", min=0.0, max=1.0)
    ] = 0.005,
    bad_rows: Annotated[
        float,
        typer.Option(
            "--bad-rows",
            help="Share of rows spoiled so that ingest quarantines them (0 to 1).",
            min=0.0,
            max=1.0,
        ),
    ] = 0.001,
    cost_noise: Annotated[
        float,
        typer.Option(
            help="Sigma of the lognormal noise on every amount (0: the network's costs).",
            min=0.0,
            max=2.0,
        ),
    ] = 0.1,
    unofficial_rate: Annotated[
        float,
        typer.Option(
            help="Share of border passages with an unofficial payment (0 to 1).",
            min=0.0,
            max=1.0,
        ),
    ] = 0.1,
    clean: Annotated[
        bool,
        typer.Option(
            "--clean", help="No missing events, duplicates or bad rows (overrides those three)."
        ),
    ] = False,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Write a synthetic event log drawn from the network's own routes and distributions.

    Relations are planned once each; shipments are then sampled along them: border
    dwell, gauge changes, ferry waits and storms from the network's distributions,
    payments in local currencies. Example: silkway monitor simulate --out log.csv
    --shipments 10000 --seed 1
    """
    from ..monitor.simulate import default_relations, simulate, write_log
    from ._common import emit, load_compiled

    kind = fmt.value if fmt is not None else _format_of(out)
    rates = _bundled_rates()
    first = _month(start) if start is not None else _last_months(rates, months)
    net = load_compiled(network, overlay, scenario=scenario)
    rels = default_relations(net.network, count=relations, seed=seed)
    if clean:
        missing = duplicates = bad_rows = 0.0
    tables = simulate(
        net,
        shipments=shipments,
        seed=seed,
        start=first,
        months=months,
        relations=rels,
        train=train,
        missing=missing,
        duplicates=duplicates,
        bad_rows=bad_rows,
        unofficial_rate=unofficial_rate,
        cost_noise=cost_noise,
        fx=rates,
    )
    try:
        rows = write_log(tables, out, fmt=kind)
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {describe_os_error(exc)}") from None
    emit(f"wrote {rows} rows ({shipments} shipments) to {out}")


def _format_of(path: Path) -> str:
    suffix = path.suffix.lower()
    return {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}.get(
        suffix, "csv"
    )


def _month(text: str) -> dt.date:
    try:
        if len(text) == 7:
            return dt.date.fromisoformat(text + "-01")
        return dt.date.fromisoformat(text).replace(day=1)
    except ValueError:
        raise QueryError(
            f"--start must be a month YYYY-MM or a day YYYY-MM-DD, not {text!r}"
        ) from None


def _last_months(rates: dict[tuple[str, str], float], months: int) -> dt.date:
    """The first month of departures so that ``months`` months of them, and trips of up
    to two months after them, fall in months with a USD rate (payments in a currency
    without a rate for their month fall back to USD, which must have one); 2026-01
    without rates."""
    covered = sorted(m for c, m in rates if c == "USD")
    if not covered:
        return dt.date(2026, 1, 1)
    last = dt.date.fromisoformat(covered[-1] + "-01")
    index = last.year * 12 + last.month - 1 - (months - 1) - 2
    return dt.date(index // 12, index % 12 + 1, 1)


def _bundled_rates() -> dict[tuple[str, str], float]:
    """The bundled monthly rates (currency units per USD by currency and month)."""
    from ..monitor.currency import load_fx

    return dict(load_fx().rates)


def register(group: typer.Typer) -> None:
    """Add ``simulate`` to the ``monitor`` group."""
    from ._fastparams import FastCommand

    group.command("simulate", cls=FastCommand)(simulate_command)
