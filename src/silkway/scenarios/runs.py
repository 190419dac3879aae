"""Running the models under scenarios: sweeps and comparisons.

:func:`grid` turns one selector, the fields it scales (or sets) and a list of values
into one scenario per value, each checked as a file is. :func:`sweep` runs the skim
matrix (:func:`silkway.skims.matrix`) or the assignment (:func:`silkway.assign.assign`)
under each of several scenarios, one Dask task per scenario
(:func:`silkway.distributed.run_tasks`), and returns one long table and one summary
row per scenario. :func:`compare_scenarios` runs both models under two scenarios and
writes the comparison report (:func:`silkway.reports.compare`).

Monte Carlo draws are seeded per origin and element, never by task order, so every
scenario of a sweep samples the same random numbers (common random numbers): a change
between two scenarios is the scenario's, not the sampler's.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ScenarioError
from .format import Scenario, parse_scenario

if TYPE_CHECKING:
    import pandas as pd

    from ..model.records import Network
    from ..reports import ComparisonSummary

SWEEP_MODELS: tuple[str, ...] = ("skims", "assign")
"""What a sweep runs under each scenario."""
GRID_ACTIONS: tuple[str, ...] = ("scale", "set")
DEFAULT_SAMPLES = 200
"""Monte Carlo draws per route in sweeps and comparisons (``silkway matrix`` uses 1000):
enough for stable P90s of the differences, as every scenario draws the same numbers."""


def parse_select(text: str) -> dict[str, Any]:
    """Read a selector written on the command line: ``kind=crossing,mode=rail,into=KZ|UZ``.

    Parameters
    ----------
    text
        ``key=value`` pairs separated by commas; ``|`` separates the values of a list.

    Returns
    -------
    dict
        The selector as a scenario file writes it (``{kind: crossing, into: [KZ, UZ]}``).

    Raises
    ------
    ScenarioError
        If a pair has no ``=``, a key or value is empty, or a key repeats.
    """
    out: dict[str, Any] = {}
    for part in (p.strip() for p in text.split(",")):
        key, eq, value = part.partition("=")
        key, value = key.strip(), value.strip()
        if not eq or not key or not value:
            raise ScenarioError(
                "--select", None, f"{part!r} is not key=value (e.g. kind=crossing,mode=rail)"
            )
        if key in out:
            raise ScenarioError("--select", None, f"key {key!r} is given twice")
        values = [v.strip() for v in value.split("|")]
        if any(not v for v in values):
            raise ScenarioError("--select", None, f"{part!r} has an empty value")
        out[key] = values if len(values) > 1 else values[0]
    if "kind" not in out:
        raise ScenarioError("--select", None, "a selector needs kind= (e.g. kind=crossing)")
    return out


def grid(
    select: Mapping[str, Any] | str,
    fields: Sequence[str],
    values: Sequence[float],
    *,
    action: str = "scale",
) -> list[Scenario]:
    """One scenario per value: ``action`` the ``fields`` of what ``select`` picks.

    Parameters
    ----------
    select
        A selector (as in a scenario file), or its command-line text (:func:`parse_select`).
    fields
        Numeric fields to scale or set (``median_hours``, ``p90_hours`` ...).
    values
        One scenario per value: the factor (``scale``) or the new value (``set``).
    action
        ``scale`` or ``set``.

    Returns
    -------
    list of Scenario
        Named ``<field>-x<value>`` (scale) or ``<field>-<value>`` (set), a decimal
        point written ``_`` (``median_hours-x0_5``), each with a
        ``reason`` that says it is a point of a sweep. Checked as a file would be.

    Raises
    ------
    ScenarioError
        For a bad selector, field or value, or an empty list of fields or values.
    """
    import yaml

    if action not in GRID_ACTIONS:
        raise ScenarioError("--grid", None, f"action {action!r} is not one of scale, set")
    if not fields:
        raise ScenarioError("--grid", None, "give the field(s) to change (e.g. median_hours)")
    if not values:
        raise ScenarioError("--grid", None, "give at least one value")
    selector = parse_select(select) if isinstance(select, str) else dict(select)
    out = []
    for value in values:
        if not math.isfinite(value):
            raise ScenarioError("--grid", None, f"value {value!r} is not a finite number")
        shown = f"{value:g}"
        name = f"{fields[0]}-{'x' if action == 'scale' else ''}{shown}".replace(".", "_")
        doc = {
            "name": name,
            "title": f"{action} {', '.join(fields)} {'x' if action == 'scale' else 'to '}{shown}",
            "rationale": "A point of a scenario sweep (silkway scenario sweep --grid).",
            "patches": [
                {
                    action: selector,
                    ("by" if action == "scale" else "to"): dict.fromkeys(fields, value),
                    "reason": f"sweep: {action} {', '.join(fields)} "
                    f"{'by' if action == 'scale' else 'to'} {shown}",
                }
            ],
        }
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
        out.append(
            parse_scenario(
                text.encode(), file=f"--grid {name}", path=f"grid:{text}", default_name=name
            )
        )
    return out


@dataclass(frozen=True)
class RunOptions:
    """How the skims and the assignment run under each scenario (see :func:`sweep`)."""

    places: tuple[str, ...] | None = None
    depart: str | None = None
    cargo: str = "1xFEU"
    sort: str = "time"
    samples: int = DEFAULT_SAMPLES
    seed: int = 0
    include_planned: bool = False
    co2_price: float = 0.0
    tolerance: float | None = None
    max_iterations: int | None = None
    demand: Any = field(default=None, compare=False)
    """The demand table (:data:`silkway.demand.DEMAND_COLUMNS`) for the assignment."""


@dataclass(frozen=True)
class SweepResult:
    """What :func:`sweep` returns.

    Attributes
    ----------
    model
        ``skims`` or ``assign``.
    summary
        One row per scenario (see :func:`sweep`).
    table
        The skims (:data:`silkway.skims.COLUMNS`) or the element flows of the
        assignment, with a first column ``scenario``.
    """

    model: str
    summary: pd.DataFrame
    table: pd.DataFrame

    def write(self, folder: str | Path) -> list[Path]:
        """Write ``summary`` and the table (``skims`` or ``flows``) as CSV, and as
        Parquet when pyarrow is installed; return the paths written."""
        import importlib.util

        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        parquet = importlib.util.find_spec("pyarrow") is not None
        name = "skims" if self.model == "skims" else "flows"
        for stem, frame in (("summary", self.summary), (name, self.table)):
            frame.to_csv(out / f"{stem}.csv", index=False)
            written.append(out / f"{stem}.csv")
            if parquet:
                frame.to_parquet(out / f"{stem}.parquet", index=False)
                written.append(out / f"{stem}.parquet")
        return written


def sweep(
    network: Network,
    scenarios: Sequence[Scenario],
    *,
    model: str = "skims",
    options: RunOptions | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> SweepResult:
    """Run the skims or the assignment under each scenario, one task per scenario.

    Parameters
    ----------
    network
        The network the scenarios are laid over (each on its own, not composed).
    scenarios
        The scenarios, in the order of the output.
    model
        ``skims`` (the matrix between ``options.places``) or ``assign`` (the demand
        table ``options.demand``, by default the bundled one).
    options
        Places, departure, cargo, Monte Carlo draws and assignment settings.
    scheduler, workers, progress
        Where the tasks run (see :func:`silkway.distributed.run_tasks`).

    Returns
    -------
    SweepResult
        ``summary`` has per scenario, for skims: ``pairs``, ``reachable`` and the means
        of ``time_p50_h``, ``time_p90_h``, ``cost_usd`` and ``co2e_kg`` over the pairs
        reachable under every scenario (``common_pairs``), so the means compare; for
        the assignment: ``converged``, ``iterations``, ``gap``, ``demand_feu``,
        ``feu_hours``, ``added_delay_feu_h``, ``cost_usd``, ``co2e_t``, ``no_route``
        (OD groups without a route), ``max_v_c`` and the element at it.

    Raises
    ------
    ScenarioError
        If a scenario does not apply to the network (the first such, with its file).
    """
    from ..distributed import run_tasks

    if model not in SWEEP_MODELS:
        raise ScenarioError("sweep", None, f"model {model!r} is not one of skims, assign")
    if not scenarios:
        raise ScenarioError("sweep", None, "give at least one scenario (or a --grid)")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ScenarioError("sweep", None, f"scenario names repeat: {', '.join(names)}")
    opts = options or RunOptions()
    if model == "assign" and opts.demand is None:
        from ..demand import bundled_demand

        opts = replace(opts, demand=bundled_demand(network))
    results = run_tasks(
        run_under,
        [(model, (s,)) for s in scenarios],
        shared=(network, opts),
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        description="scenarios",
    )
    return _collect(model, names, results)


def run_under(shared: tuple[Network, RunOptions], task: tuple[str, tuple[Scenario, ...]]) -> Any:
    """One run (a Dask task of :func:`sweep` or :func:`compare_scenarios`): the network
    under ``task``'s scenarios, composed in order, then the skims as a DataFrame or the
    assignment's tables (``flows``, ``od``) and convergence (``converged``, ``gap``,
    ``iterations``) as a dict."""
    from .patching import apply_all

    network, opts = shared
    model, scenarios = task
    patched = apply_all(network, scenarios)
    if model == "skims":
        return skims_of(patched, opts)
    result = assignment_of(patched, opts)
    return {
        "flows": result.flows,
        "od": result.od,
        "converged": result.converged,
        "gap": result.gap,
        "iterations": len(result.iterations),
    }


def skims_of(network: Network, opts: RunOptions) -> pd.DataFrame:
    """The skim matrix of ``network`` with ``opts``, in this process."""
    from ..skims import matrix

    return matrix(
        network,
        opts.places,
        depart=opts.depart,
        cargo=opts.cargo,
        sort=opts.sort,
        samples=opts.samples,
        seed=opts.seed,
        include_planned=opts.include_planned,
        workers=0,
    )


def assignment_of(network: Network, opts: RunOptions) -> Any:
    """The assignment of ``opts.demand`` (default the bundled table) on ``network``."""
    import warnings

    from ..assign import AssignmentWarning, assign
    from ..demand import bundled_demand

    demand = opts.demand if opts.demand is not None else bundled_demand(network)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AssignmentWarning)  # the result lists them
        return assign(
            network,
            demand,
            co2_price=opts.co2_price,
            depart=opts.depart,
            tolerance=opts.tolerance,
            max_iterations=opts.max_iterations,
        )


def _collect(model: str, names: Sequence[str], results: Sequence[Any]) -> SweepResult:
    import pandas as pd

    if model == "skims":
        frames = [r.assign(scenario=n) for n, r in zip(names, results, strict=True)]
        table = pd.concat(frames, ignore_index=True)
        table = table[["scenario", *(c for c in table.columns if c != "scenario")]]
        common = table.groupby(["origin", "destination"])["reachable"].transform("all")
        rows = []
        for n, r in zip(names, results, strict=True):
            both = table[(table["scenario"] == n) & common]
            rows.append(
                {
                    "scenario": n,
                    "pairs": len(r),
                    "reachable": int(r["reachable"].sum()),
                    "common_pairs": len(both),
                    **{
                        f"mean_{m}": float(both[m].mean()) if len(both) else math.nan
                        for m in ("time_p50_h", "time_p90_h", "cost_usd", "co2e_kg")
                    },
                }
            )
        return SweepResult(model, pd.DataFrame(rows), table)
    flows = pd.concat(
        [r["flows"].assign(scenario=n) for n, r in zip(names, results, strict=True)],
        ignore_index=True,
    )
    flows = flows[["scenario", *(c for c in flows.columns if c != "scenario")]]
    rows = []
    for n, r in zip(names, results, strict=True):
        od, fl = r["od"], r["flows"]
        ok = od[od["status"] == "assigned"]
        top = fl.loc[fl["v_c"].idxmax()] if fl["v_c"].notna().any() else None
        rows.append(
            {
                "scenario": n,
                "converged": bool(r["converged"]),
                "iterations": int(r["iterations"]),
                "gap": float(r["gap"]),
                "demand_feu": float(ok["demand_feu"].sum()),
                "feu_hours": float((ok["demand_feu"] * ok["hours"]).sum()),
                "added_delay_feu_h": float((ok["demand_feu"] * ok["added_delay_h"]).sum()),
                "cost_usd": float((ok["demand_feu"] * ok["cost_usd"]).sum()),
                "co2e_t": float((ok["demand_feu"] * ok["co2e_kg"]).sum() / 1000),
                "no_route": int((od["status"] != "assigned").sum()),
                "max_v_c": float(top["v_c"]) if top is not None else math.nan,
                "max_v_c_at": f"{top['kind']} {top['id']}" if top is not None else "",
            }
        )
    return SweepResult(model, pd.DataFrame(rows), flows)


def element_totals(flows: pd.DataFrame) -> pd.DataFrame:
    """An assignment's element flows with both directions of an element in one row:
    flows summed, the larger utilisation and added delay kept (for the comparison)."""
    agg = {
        "name": "first",
        "flow_feu": "sum",
        "flow_t": "sum",
        "capacity": "max",
        "v_c": "max",
        "added_delay_h": "max",
    }
    present = {k: v for k, v in agg.items() if k in flows}
    return flows.groupby(["kind", "id"], as_index=False, sort=True).agg(present)


def compare_scenarios(
    network: Network,
    base: Sequence[Scenario],
    other: Sequence[Scenario],
    *,
    out_dir: str | Path,
    options: RunOptions | None = None,
    assign: bool = True,
    explain: int = 3,
    explain_pairs: Sequence[tuple[str, str]] = (),
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> ComparisonSummary:
    """Run the skims (and the assignment) under two scenarios and write the comparison.

    Parameters
    ----------
    network
        The network both are laid over.
    base, other
        The scenarios of each side, composed in order (``baseline`` is no patch).
    out_dir
        Folder of the report (``index.html``, maps, charts, tables).
    options
        As for :func:`sweep`. Without ``places``, the skims cover the places of the
        demand table.
    assign
        Also assign the demand on both sides and compare the element flows; the OD
        pairs whose most used route changes most in generalised cost are explained leg
        by leg, on the routes the assignment gives them.
    explain, explain_pairs
        How many route changes of the skims to explain leg by leg, and pairs to explain
        in any case (see :func:`silkway.reports.compare`).
    scheduler, workers, progress
        Where the runs go: the two sides' skims and assignments are four tasks.

    Returns
    -------
    ComparisonSummary
    """
    from ..distributed import run_tasks
    from ..reports import compare
    from .patching import apply_all

    opts = options or RunOptions()
    side_nets = [apply_all(network, base), apply_all(network, other)]
    if opts.demand is None and (assign or opts.places is None):
        from ..demand import bundled_demand

        opts = replace(opts, demand=bundled_demand(network))
    if opts.places is None:
        places = dict.fromkeys([*opts.demand["origin"], *opts.demand["destination"]])
        opts = replace(opts, places=tuple(str(p) for p in places))
    sides = (tuple(base), tuple(other))
    tasks = [("skims", sides[0]), ("skims", sides[1])]
    if assign:
        tasks += [("assign", sides[0]), ("assign", sides[1])]
    got = run_tasks(
        run_under,
        tasks,
        shared=(network, opts),
        scheduler=scheduler,
        workers=workers,
        progress=progress,
        description="runs",
    )
    skims = got[:2]
    pairs: list[tuple[str, ...]] = [tuple(p) for p in explain_pairs]
    flows: list[pd.DataFrame | None] = [None, None]
    if assign:
        od_base, od_other = got[2]["od"], got[3]["od"]
        flows = [element_totals(got[2]["flows"]), element_totals(got[3]["flows"])]
        pairs += changed_routes(od_base, od_other, top=explain)
    return compare(
        side_nets[0],
        side_nets[1],
        base_name=" + ".join(s.name for s in base) or "network",
        other_name=" + ".join(s.name for s in other) or "network",
        skims_base=skims[0],
        skims_other=skims[1],
        flows_base=flows[0],
        flows_other=flows[1],
        out_dir=out_dir,
        explain=explain,
        explain_pairs=pairs,
        plan_options={"depart": opts.depart, "cargo": opts.cargo},
    )


def changed_routes(
    od_base: pd.DataFrame, od_other: pd.DataFrame, *, top: int
) -> list[tuple[str, str, str, str]]:
    """OD pairs whose most used route differs between two assignments, the largest
    changes in demand-weighted generalised cost first, with both routes (place ids).

    Parameters
    ----------
    od_base, od_other
        The ``od`` tables of two assignments (:data:`silkway.assign.OD_COLUMNS`).
    top
        How many pairs (a pair counts once over its cargo classes).

    Returns
    -------
    list of (origin, destination, route_base, route_other)
    """
    keys = ["origin", "destination", "cargo_class"]
    cols = [*keys, "top_route_places", "generalised_cost_usd", "demand_feu"]
    both = od_base[cols].merge(od_other[cols], on=keys, suffixes=("_base", "_other"))
    both = both[
        (both["top_route_places_base"] != both["top_route_places_other"])
        & (both["top_route_places_base"] != "")
        & (both["top_route_places_other"] != "")
    ]
    size = (both["generalised_cost_usd_other"] - both["generalised_cost_usd_base"]).abs() * both[
        "demand_feu_base"
    ].clip(lower=1.0)
    both = both.assign(_size=size).sort_values("_size", ascending=False, kind="stable")
    out: dict[tuple[str, str], tuple[str, str, str, str]] = {}
    for r in both.itertuples(index=False):
        pair = (str(r.origin), str(r.destination))
        if pair not in out:
            out[pair] = (
                *pair,
                str(r.top_route_places_base),
                str(r.top_route_places_other),
            )
        if len(out) >= top:
            break
    return list(out.values())


__all__ = [
    "DEFAULT_SAMPLES",
    "RunOptions",
    "SweepResult",
    "changed_routes",
    "compare_scenarios",
    "element_totals",
    "grid",
    "parse_select",
    "sweep",
]
