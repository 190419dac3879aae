"""``silkway assign``: trade flows onto the network with capacities and congestion."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates string annotations on every run.

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    NetworkOpt,
    OverlayOpt,
    ScenarioOpt,
    SchedulerOpt,
    WorkersOpt,
    load_compiled,
    print_to,
    stderr_line,
    stopped_by_ctrl_c,
)
from .demand import DemandOpt

if TYPE_CHECKING:
    from rich.console import Console

    from ..assign import AssignmentResult


def assign_command(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Folder to write the tables to (created if needed).",
            show_default=False,
        ),
    ],
    demand: DemandOpt = None,
    co2_price: Annotated[
        float, typer.Option("--co2-price", help="CO2e price in USD per tonne (WTW).", min=0.0)
    ] = 0.0,
    max_iterations: Annotated[
        int | None,
        typer.Option(
            "--max-iterations",
            help="Iteration limit (default 500, from the config).",
            min=1,
            show_default=False,
        ),
    ] = None,
    tolerance: Annotated[
        float | None,
        typer.Option(
            "--tolerance",
            help="Relative gap to stop at, above 0 (default 1e-4).",
            min=0.0,
            show_default=False,
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", help="YAML laid over the bundled assignment config.", show_default=False
        ),
    ] = None,
    depart: Annotated[
        str | None,
        typer.Option(
            help="Departure date the routes are planned for (default from the config).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", help="Bottlenecks shown.", min=1, max=50)] = 10,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Assign yearly OD trade flows to route options, with capacities and congestion.

    Writes flows, od, routes, iterations and bottlenecks (CSV, and Parquet with pyarrow)
    and summary.json to OUT, and prints the bottlenecks. With --workers N or --scheduler
    URL the assignment runs as one task on a Dask cluster (a sweep of several scenarios
    runs one task each: silkway scenario sweep --model assign).
    """
    from rich.console import Console

    from .._errors import AssignmentError
    from ..assign import load_config
    from ..demand import load_demand

    if tolerance is not None and not tolerance > 0:
        raise AssignmentError(f"--tolerance must be above 0, not {tolerance:g}")
    cfg = load_config(config)
    net = load_compiled(network, overlay, scenario=scenario)
    table = load_demand(demand, network=net.network)
    options: dict[str, Any] = {
        "config": cfg,
        "co2_price": co2_price,
        "depart": depart,
        "max_iterations": max_iterations,
        "tolerance": tolerance,
    }
    if scheduler is not None or workers:
        from ..distributed import run_tasks

        with stopped_by_ctrl_c():
            (result,) = run_tasks(
                _assign_task,
                [options],
                shared=(net.network, table),
                scheduler=scheduler,
                workers=workers,
                progress=True,
                description="assignment",
            )
    else:
        progress = Console(stderr=True).is_terminal
        result = _assign_task((net, table), {**options, "progress": progress})
    try:
        result.write(out)
    except OSError as exc:
        raise AssignmentError(f"cannot write the tables to {out}: {exc}") from None
    print_to(None, lambda console: render(result, console, top=top, out=out))
    for note in result.warnings:
        stderr_line(note, prefix="warning", style="yellow")


def _assign_task(shared: tuple[Any, Any], options: dict[str, Any]) -> "AssignmentResult":
    """The assignment, in this process or as a Dask task (the network and the demand are
    the shared data); its warnings are in the result, printed once each."""
    import warnings

    from ..assign import AssignmentWarning, assign

    network, table = shared
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AssignmentWarning)  # the result lists them
        return assign(network, table, **options)


def render(result: "AssignmentResult", console: "Console", *, top: int, out: Path) -> None:
    """The convergence line and the bottleneck tables."""
    from rich.markup import escape
    from rich.table import Table

    s = result.summary
    status = "[green]converged[/]" if result.converged else "[bold red]NOT converged[/]"
    console.print(
        f"[bold]Assignment[/]: {s['groups']} OD groups, {s['routes']} routes, "
        f"{s['demand_feu']:,.0f} FEU/year; {status}: relative gap {result.gap:.1e} "
        f"(tolerance {result.tolerance:g}) after {s['iterations']} iterations, "
        f"{result.seconds:.1f} s"
    )
    for ranking, title in (
        ("utilisation", "by utilisation (v/c)"),
        ("added_delay", "by added delay"),
    ):
        rows = result.bottlenecks[result.bottlenecks["ranking"] == ranking].head(top)
        if rows.empty:
            continue
        table = Table(title=f"Bottlenecks {title}", title_justify="left", header_style="bold")
        for col, just in (
            ("#", "right"),
            ("kind", "left"),
            ("element", "left"),
            ("v/c", "right"),
            ("+h", "right"),
            ("FEU/yr", "right"),
            ("loaded by", "left"),
        ):
            table.add_column(col, justify=just)  # type: ignore[arg-type]
        for r in rows.itertuples(index=False):
            rid, direction = str(r.id), str(r.direction)
            where = f"{rid}, {direction}" if direction else rid
            table.add_row(
                str(r.rank),
                escape(str(r.kind)),
                escape(f"{r.name} ({where})"),
                f"{r.v_c:.2f}",
                f"{r.added_delay_h:.1f}",
                f"{r.flow_feu:,.0f}",
                escape(str(r.loaded_by)),
            )
        console.print(table)
    missing = s.get("uncapacitated_by_kind") or {}
    if missing:
        text = ", ".join(f"{v} {k}s" for k, v in missing.items())
        console.print(f"[dim]Loaded without a known capacity (no congestion): {escape(text)}.[/]")
    console.print(f"[dim]Tables written to {escape(str(out))}.[/]")


def register(app: typer.Typer) -> None:
    """Add ``assign`` to the app."""
    from ._fastparams import FastCommand

    app.command("assign", cls=FastCommand)(assign_command)
