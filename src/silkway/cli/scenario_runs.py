"""``silkway scenario sweep`` and ``silkway scenario compare``: the models under scenarios.

``sweep`` runs the skim matrix or the assignment under several scenarios, or under one
scenario per value of a grid over one selector, as Dask tasks; ``compare`` runs both
under two scenarios and writes the offline comparison report. The work is in
:mod:`silkway.scenarios.runs`; this module reads the options and prints the summary.
"""

# Annotations are evaluated here, not left as strings (see cli/scenario.py).

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import QueryError
from ._common import (
    DepartOpt,
    NetworkOpt,
    OverlayOpt,
    ScenarioOpt,
    SchedulerOpt,
    SeedOpt,
    WorkersOpt,
    load,
    load_scenarios,
    print_to,
    stderr_line,
    stopped_by_ctrl_c,
)
from .demand import DemandOpt

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console

    from ..model.records import Network
    from ..scenarios.runs import RunOptions


class Model(StrEnum):
    """What ``scenario sweep`` runs under each scenario."""

    skims = "skims"
    assign = "assign"


class Sort(StrEnum):
    """Criterion a skim's route is chosen by."""

    time = "time"
    cost = "cost"
    co2 = "co2"


OutDirOpt = Annotated[
    Path,
    typer.Option(
        "--out", "-o", help="Folder to write into (created if needed).", show_default=False
    ),
]
PlacesOpt = Annotated[
    str | None,
    typer.Option(
        "--places",
        metavar="A,B,C",
        help="Places of the skims (ids or names, comma-separated). Default: the places "
        "of the demand table.",
        show_default=False,
    ),
]
SamplesOpt = Annotated[
    int, typer.Option(help="Monte Carlo draws per route of the skims (0: medians).", min=0)
]
SortOpt = Annotated[
    Sort, typer.Option(help="Route of each skim pair: fastest, cheapest or greenest.")
]


def sweep_command(
    scenarios: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[NAME|PATH]...",
            help="Scenarios to run, each on its own (bundled names or YAML files).",
            show_default=False,
        ),
    ] = None,
    out: OutDirOpt = Path("sweep"),
    model: Annotated[Model, typer.Option("--model", help="skims or assign.")] = Model.skims,
    select: Annotated[
        str | None,
        typer.Option(
            "--select",
            metavar="KEY=VALUE,...",
            help="Grid: the selector, e.g. kind=crossing,mode=rail,into=KZ (values a|b).",
            show_default=False,
        ),
    ] = None,
    scale: Annotated[
        str | None,
        typer.Option(
            "--scale",
            metavar="FIELD,...",
            help="Grid: fields to scale by each value, e.g. median_hours,p90_hours.",
            show_default=False,
        ),
    ] = None,
    set_: Annotated[
        str | None,
        typer.Option(
            "--set",
            metavar="FIELD,...",
            help="Grid: fields to set to each value (instead of --scale).",
            show_default=False,
        ),
    ] = None,
    values: Annotated[
        str | None,
        typer.Option(
            "--values",
            metavar="V1,V2,...",
            help="Grid: one scenario per value, e.g. 0.5,0.75,1.",
            show_default=False,
        ),
    ] = None,
    places: PlacesOpt = None,
    demand: DemandOpt = None,
    depart: DepartOpt = None,
    samples: SamplesOpt = 200,
    seed: SeedOpt = 0,
    sort: SortOpt = Sort.time,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Run the skims or the assignment under several scenarios, one Dask task each.

    Give scenarios by name or file, or a grid over one selector (--select, --scale or
    --set, --values), or both; --scenario lays a scenario under every one of them.
    Writes summary and skims (or flows) as CSV and Parquet.
    Example: silkway scenario sweep baseline cku-open digital-borders --out sweep
    """
    from ..scenarios.runs import sweep

    runs = load_scenarios(scenarios)
    runs += _grid(select, scale, set_, values)
    if not runs:
        raise QueryError(
            "give scenarios (e.g. baseline cku-open) or a grid (--select, --scale, --values)"
        )
    net = load(network, overlay, scenario=scenario)
    opts = _options(
        net, places=places, demand=demand, depart=depart, samples=samples, seed=seed, sort=sort
    )
    with stopped_by_ctrl_c():
        result = sweep(
            net,
            runs,
            model=model.value,
            options=opts,
            scheduler=scheduler,
            workers=workers,
            progress=True,
        )
    written = _written(lambda: result.write(out), out)
    print_to(None, lambda console: _print_frame(console, result.summary, "Sweep"))
    stderr_line(f"{len(written)} files in {out}", prefix="wrote", style="green")


def _grid(
    select: str | None, scale: str | None, set_: str | None, values: str | None
) -> list["Scenario"]:
    from ..scenarios.runs import grid

    given = [x is not None for x in (select, scale or set_, values)]
    if not any(given):
        return []
    if not all(given):
        raise QueryError("a grid needs --select, --scale (or --set) and --values together")
    if scale is not None and set_ is not None:
        raise QueryError("give --scale or --set, not both")
    try:
        numbers = [float(v) for v in str(values).split(",") if v.strip()]
    except ValueError:
        raise QueryError(f"--values must be numbers separated by commas, not {values!r}") from None
    fields = [f.strip() for f in str(scale or set_).split(",") if f.strip()]
    return grid(str(select), fields, numbers, action="scale" if scale is not None else "set")


def compare_command(
    base: Annotated[str, typer.Argument(metavar="BASE", help="Scenario of the base side.")],
    other: Annotated[str, typer.Argument(metavar="OTHER", help="Scenario compared with it.")],
    out: OutDirOpt = Path("comparison"),
    places: PlacesOpt = None,
    demand: DemandOpt = None,
    no_assign: Annotated[
        bool, typer.Option("--no-assign", help="Compare the skims only (no assignment).")
    ] = False,
    explain: Annotated[
        list[str] | None,
        typer.Option(
            "--explain",
            metavar="FROM:TO",
            help="Explain this OD pair leg by leg in any case (repeatable).",
            show_default=False,
        ),
    ] = None,
    depart: DepartOpt = None,
    samples: SamplesOpt = 200,
    sort: SortOpt = Sort.time,
    workers: WorkersOpt = None,
    scheduler: SchedulerOpt = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Compare two scenarios: OD changes, flows, bottlenecks and the legs that changed.

    Writes index.html (opens offline), PNG maps and charts, and the tables as CSV and
    Parquet to OUT, and prints a short summary; --scenario lays a scenario under both
    sides. Example:
    silkway scenario compare baseline cku-open --out cku
    """
    from ..scenarios.runs import compare_scenarios

    sides = load_scenarios([base]), load_scenarios([other])
    pairs = [_pair(text) for text in explain or ()]
    net = load(network, overlay, scenario=scenario)
    opts = _options(
        net, places=places, demand=demand, depart=depart, samples=samples, seed=0, sort=sort
    )
    with stopped_by_ctrl_c():
        summary = compare_scenarios(
            net,
            sides[0],
            sides[1],
            out_dir=out,
            options=opts,
            assign=not no_assign,
            explain_pairs=pairs,
            scheduler=scheduler,
            workers=workers,
            progress=True,
        )
    print_to(None, lambda console: console.print(str(summary), soft_wrap=True, markup=False))


def _pair(text: str) -> tuple[str, str]:
    origin, sep, destination = text.partition(":")
    if not sep or not origin.strip() or not destination.strip():
        raise QueryError(f"--explain takes FROM:TO (e.g. Kashgar:Tashkent), not {text!r}")
    return origin.strip(), destination.strip()


def _options(
    net: "Network",
    *,
    places: str | None,
    demand: Path | None,
    depart: str | None,
    samples: int,
    seed: int,
    sort: Sort,
) -> "RunOptions":
    from ..scenarios.runs import RunOptions

    table = None
    if demand is not None:
        from ..demand import read_demand

        table = read_demand(demand, network=net)
    listed = tuple(p.strip() for p in places.split(",") if p.strip()) if places else None
    return RunOptions(
        places=listed,
        depart=depart,
        samples=samples,
        seed=seed,
        sort=sort.value,
        demand=table,
    )


def _written(write: "Callable[[], list[Path]]", out: Path) -> list[Path]:
    from .._errors import SilkwayError

    try:
        return write()
    except OSError as exc:
        raise SilkwayError(f"cannot write to {out}: {exc.strerror or exc}") from None


def _print_frame(console: "Console", frame: "pd.DataFrame", title: str) -> None:
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for c in frame.columns:
        numeric = frame[c].dtype.kind in "fiu"
        table.add_column(
            str(c).replace("_", " "), justify="right" if numeric else "left", overflow="fold"
        )
    for row in frame.itertuples(index=False):
        table.add_row(*(_cell(v) for v in row))
    console.print(table)


def _cell(v: object) -> str:
    """A summary number, short: 0.0001, 12.3, 45.6k, 2.49M, 9.78bn."""
    if isinstance(v, bool) or not isinstance(v, float | int):
        return str(v)
    x = float(v)
    if x != x:
        return ""
    if isinstance(v, int) and abs(x) < 1e4:
        return str(v)
    for size, suffix in ((1e9, "bn"), (1e6, "M"), (1e4, "k")):
        if abs(x) >= size:
            return f"{x / size:,.2f}{suffix}" if abs(x) < 10 * size else f"{x / size:,.1f}{suffix}"
    return f"{x:.3g}" if abs(x) < 1 else f"{x:,.1f}"


if TYPE_CHECKING:
    from collections.abc import Callable

    from ..scenarios.format import Scenario

__all__ = ["compare_command", "sweep_command"]
