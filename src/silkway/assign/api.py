"""``assign``: trade flows onto the network, with capacities, congestion and route choice."""

from __future__ import annotations

import datetime as dt
import math
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import AssignmentError
from ..compile import CompiledNetwork, compile_network
from ..demand import DEMAND_COLUMNS
from ..model.records import CARGO_CLASSES, Network
from .choice import ChoiceSets, Group, plan_group
from .config import AssignConfig, load_config
from .network import congested_network
from .solver import FN_BPR, Iteration, Params, Problem, State, evaluate, solve

if TYPE_CHECKING:
    import pandas as pd

    from .result import AssignmentResult


class AssignmentWarning(UserWarning):
    """The assignment did not converge, or some demand has no route."""


def assign(
    network: Network | CompiledNetwork,
    demand: pd.DataFrame,
    *,
    config: AssignConfig | str | Path | None = None,
    co2_price: float = 0.0,
    depart: str | dt.date | None = None,
    max_iterations: int | None = None,
    tolerance: float | None = None,
    column_generation: bool = True,
    progress: bool = False,
    on_iteration: Callable[[Iteration], None] | None = None,
) -> AssignmentResult:
    """Assign yearly OD demand to route options under capacities: a stochastic user
    equilibrium with logit route choice.

    Parameters
    ----------
    network
        A loaded or compiled network.
    demand
        One row per flow: ``origin``, ``destination`` (place ids), ``cargo_class``,
        ``feu_per_year``, ``tonnes_per_year``, ``value_usd`` (NaN if unknown),
        ``source`` (see :mod:`silkway.demand`). Rows of the same OD pair and class add up.
    config
        An :class:`AssignConfig`, or a YAML file laid over the bundled config.
    co2_price
        USD per tonne of CO2e (well-to-wheel) added to the generalised cost.
    depart
        Departure date the route options are planned for; default the config's.
    max_iterations, tolerance
        Iteration limit and relative-gap tolerance; default the config's (500, 1e-4).
    column_generation
        Re-plan every group under congestion (config ``column_generation_*``) and add
        the routes found.
    progress
        Show a progress bar (rich) on stderr.
    on_iteration
        Called with each iteration's gap and step.

    Returns
    -------
    AssignmentResult

    Raises
    ------
    AssignmentError
        For a bad demand table (missing column, negative or non-numeric volume, unknown
        place or cargo class) or a bad option; the message names the row.

    Warns
    -----
    AssignmentWarning
        If the gap did not reach the tolerance within the iteration limit (the result
        then says ``converged=False``), or a group has no route.
    """
    from .result import build_result

    t_start = time.perf_counter()
    cfg = config if isinstance(config, AssignConfig) else load_config(config)
    if not math.isfinite(co2_price) or co2_price < 0:
        raise AssignmentError(
            f"co2_price must be a number of USD per t, at least 0, not {co2_price}"
        )
    tol = cfg.tolerance if tolerance is None else float(tolerance)
    max_it = cfg.max_iterations if max_iterations is None else int(max_iterations)
    if not tol > 0 or max_it < 1:
        raise AssignmentError("tolerance must be above 0 and max_iterations at least 1")
    cnet = network if isinstance(network, CompiledNetwork) else compile_network(network)
    net = cnet.network
    day = str(depart) if depart is not None else cfg.depart
    sets = ChoiceSets(groups(demand, net, cfg))
    bar = _Bar(progress, len(sets.groups), max_it)
    for g, group in enumerate(sets.groups):
        found = plan_group(cnet, group, cfg, day)
        if isinstance(found, str):
            sets.failures[g] = found
        else:
            for option in found:
                sets.add(g, option, net, cfg, 0)
        bar.planned()
    if not sets.routes:
        raise AssignmentError(
            "no demand row has a route on this network: "
            + "; ".join(
                f"{sets.groups[g].origin}→{sets.groups[g].destination}: {why}"
                for g, why in list(sets.failures.items())[:5]
            )
        )
    prm = Params(
        cfg.dispersion,
        cfg.bpr_alpha,
        cfg.bpr_beta,
        cfg.queue_variability,
        cfg.rho_max,
        float(co2_price),
        cfg.path_size,
    )
    pb = sets.problem(net, cfg, None)
    reference = pb.reference
    rounds_done = [0]

    def extend(state: State) -> tuple[Problem, np.ndarray, int]:
        rounds_done[0] += 1
        nonlocal pb
        factor = np.where(pb.function == FN_BPR, state.delay_h / np.maximum(pb.t0, 1e-9), 0.0)
        congested = compile_network(
            congested_network(net, sets.elements.elements, list(state.delay_h), list(factor))
        )
        before = len(sets.routes)
        # expected added delay, valued at the group's value of time, over its scale
        hours = np.bincount(pb.group, weights=state.shares * state.route_added_h,
                            minlength=len(sets.groups))  # fmt: skip
        delayed = hours * pb.vot / pb.reference
        for g, group in enumerate(sets.groups):
            if g in sets.failures or delayed[g] < cfg.column_generation_min_share:
                continue
            found = plan_group(congested, group, cfg, day)
            if not isinstance(found, str):
                for option in found:
                    sets.add(g, option, net, cfg, rounds_done[0])
        added = len(sets.routes) - before
        pb = sets.problem(net, cfg, reference)
        shares = np.concatenate([state.shares, np.zeros(added)])
        return pb, shares, added

    def log(item: Iteration) -> None:
        bar.iteration(item)
        if on_iteration is not None:
            on_iteration(item)

    try:
        outcome = solve(
            pb,
            prm,
            tolerance=tol,
            max_iterations=max_it,
            sra_up=cfg.sra_up,
            sra_down=cfg.sra_down,
            extend=extend if column_generation else None,
            extend_every=cfg.column_generation_every,
            extend_rounds=cfg.column_generation_rounds,
            on_iteration=log,
        )
    finally:
        bar.close()
    free = evaluate(pb, evaluate(pb, np.zeros(len(sets.routes)), prm).target, prm)
    result = build_result(
        sets,
        pb,
        outcome,
        free,
        cfg,
        co2_price=float(co2_price),
        tolerance=tol,
        max_iterations=max_it,
        depart=day,
        seconds=time.perf_counter() - t_start,
    )
    for w in result.warnings:
        warnings.warn(w, AssignmentWarning, stacklevel=2)
    return result


def groups(demand: Any, network: Network, config: AssignConfig) -> list[Group]:
    """The demand table checked and summed by (origin, destination, cargo class).

    Raises
    ------
    AssignmentError
        Naming the row (1-based, as in the table) and the reason.
    """
    import pandas as pd

    if not isinstance(demand, pd.DataFrame):
        raise AssignmentError(f"demand must be a pandas DataFrame, not {type(demand).__name__}")
    missing = [c for c in DEMAND_COLUMNS[:5] if c not in demand.columns]
    if missing:
        raise AssignmentError(
            f"demand table lacks column(s) {', '.join(missing)}; expected "
            + ", ".join(DEMAND_COLUMNS)
        )
    if demand.empty:
        raise AssignmentError("demand table has no rows")
    t_per_feu = network.parameter("payload_t_per_teu", 10.0) * network.parameter("teu_per_feu", 2.0)
    sums: dict[tuple[str, str, str], list[float]] = {}
    for n, rec in enumerate(demand.to_dict(orient="records"), start=1):
        o, d, cls = str(rec["origin"]), str(rec["destination"]), str(rec["cargo_class"])
        for place in (o, d):
            if place not in network.places:
                raise AssignmentError(
                    f"demand row {n}: unknown place {place!r} (use place ids; "
                    "`silkway places QUERY` finds them)"
                )
        if o == d:
            raise AssignmentError(f"demand row {n}: origin and destination are both {o!r}")
        if cls not in CARGO_CLASSES:
            raise AssignmentError(
                f"demand row {n}: unknown cargo class {cls!r}; expected one of "
                + ", ".join(CARGO_CLASSES)
            )
        feu = _volume(rec["feu_per_year"], n, "feu_per_year")
        t = _volume(rec["tonnes_per_year"], n, "tonnes_per_year")
        raw_value = rec.get("value_usd", float("nan"))
        value = _volume(raw_value, n, "value_usd") if _present(raw_value) else float("nan")
        acc = sums.setdefault((o, d, cls), [0.0, 0.0, 0.0, 0.0])
        acc[0] += feu
        acc[1] += t
        if math.isfinite(value):
            acc[2] += value
            acc[3] += feu if feu > 0 else t / t_per_feu
    out: list[Group] = []
    for (o, d, cls), (feu, t, value, valued) in sums.items():
        weight = feu if feu > 0 else t / t_per_feu
        if weight <= 0:
            continue
        per_feu = value / valued if valued > 0 else None
        out.append(Group(o, d, cls, feu, t, per_feu, config.vot_usd_per_hour(cls, per_feu), weight))
    if not out:
        raise AssignmentError("demand table has no positive volume")
    return out


def _present(x: Any) -> bool:
    return not (x is None or (isinstance(x, float) and math.isnan(x)))


def _volume(x: Any, row: int, column: str) -> float:
    if isinstance(x, bool):
        raise AssignmentError(f"demand row {row}: {column} must be a number, not {x!r}")
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise AssignmentError(f"demand row {row}: {column} must be a number, not {x!r}") from None
    if math.isnan(v):
        v = 0.0
    if not math.isfinite(v) or v < 0:
        raise AssignmentError(f"demand row {row}: {column} must be a number at least 0, not {x!r}")
    return v


class _Bar:
    """A rich progress bar on stderr (planning, then iterations), or nothing."""

    def __init__(self, on: bool, n_groups: int, max_iterations: int) -> None:
        self.progress: Any = None
        if not on:
            return
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[info]}"),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.progress.start()
        self.plan = self.progress.add_task("planning routes", total=n_groups, info="")
        self.solve = self.progress.add_task("equilibrium", total=max_iterations, info="")

    def planned(self) -> None:
        if self.progress is not None:
            self.progress.advance(self.plan)

    def iteration(self, item: Iteration) -> None:
        if self.progress is not None:
            self.progress.update(self.solve, completed=item.iteration, info=f"gap {item.gap:.2e}")

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()
