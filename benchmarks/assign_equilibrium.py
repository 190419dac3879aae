"""Benchmark: the capacity-constrained assignment of the bundled trade table.

Assigns the bundled trade table (``silkway.demand.bundled_demand``) to the bundled
network with the bundled assignment config, to a relative gap of ``--tolerance``
(default 1e-4), and prints: OD groups, routes (free-flow and after column generation),
iterations, the final gap, whether it converged, and the wall time split into planning
the choice sets and solving. ``--synthetic`` assigns a seeded synthetic table instead
(every ordered pair of a list of corridor places, container and dry bulk, random yearly
volumes), to scale the number of groups. ``benchmarks/assign.py`` runs the bundled
case with its matrix figures.

Run::

    python benchmarks/assign_equilibrium.py
    python benchmarks/assign_equilibrium.py --synthetic 200 --json figures.json

Target (2-core machine): relative gap 1e-4 in under 60 s for the bundled trade table.
The last line says whether it is met.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
import warnings
from typing import Any

import numpy as np
import pandas as pd

import silkway
from silkway.assign import AssignmentWarning, assign
from silkway.compile import compile_network
from silkway.demand import DEMAND_COLUMNS, bundled_demand

TARGET_S = 60.0
# fmt: off
PLACES: tuple[str, ...] = (
    "CN_XIA", "CN_CKG", "CN_URC", "CN_KSG", "CN_LYG", "CN_CGO", "KZ_ALA", "KZ_NQZ", "KZ_AKT",
    "UZ_TAS", "UZ_AND", "KG_FRU", "TM_TMB", "AZ_ALT", "GE_POT", "TR_IST", "PL_MAL",
    "DE_DUI", "RO_CND", "IR_BND", "NL_RTM", "HU_BUD",
)
# fmt: on


def synthetic(net: silkway.Network, groups: int, seed: int) -> pd.DataFrame:
    """``groups`` seeded OD rows between :data:`PLACES` (those the network has)."""
    rng = np.random.default_rng(seed)
    places = [p for p in PLACES if p in net.places]
    pairs = [(o, d) for o in places for d in places if o != d]
    rows = []
    for i in rng.permutation(len(pairs) * 2)[:groups]:
        o, d = pairs[i // 2]
        cls = "container" if i % 2 == 0 else "dry_bulk"
        feu = float(rng.lognormal(np.log(3000.0), 1.0))
        t = feu * (16.6 if cls == "container" else 20.0)
        rows.append((o, d, cls, feu, t, float("nan"), "synthetic"))
    return pd.DataFrame(rows, columns=list(DEMAND_COLUMNS))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tolerance", type=float, default=1e-4)
    ap.add_argument("--max-iterations", type=int, default=None)
    ap.add_argument(
        "--synthetic",
        type=int,
        default=0,
        metavar="GROUPS",
        help="assign GROUPS synthetic OD rows instead of the bundled table",
    )
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    net = silkway.load_network()
    cnet = compile_network(net)
    t_load = time.perf_counter() - t0
    if args.synthetic:
        table, label = synthetic(net, args.synthetic, args.seed), f"synthetic {args.synthetic}"
    else:
        table, label = bundled_demand(net), "bundled trade table"
    figures, gaps = equilibrium_figures(
        cnet, table, label=label, tolerance=args.tolerance, max_iterations=args.max_iterations
    )
    figures["seconds_load_compile"] = round(t_load, 3)
    print_figures(figures, gaps)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(figures, fh, indent=2)
    return 0


def equilibrium_figures(
    cnet: Any, table: pd.DataFrame, *, label: str, tolerance: float, max_iterations: int | None
) -> tuple[dict[str, Any], list[float]]:
    """Assign ``table`` on ``cnet``; return the figures and the gap of every iteration."""
    stamps: list[float] = []
    t1 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", AssignmentWarning)
        result = assign(
            cnet,
            table,
            tolerance=tolerance,
            max_iterations=max_iterations,
            on_iteration=lambda _: stamps.append(time.perf_counter()),
        )
    wall = time.perf_counter() - t1
    it = result.iterations
    first = stamps[0] - t1 if stamps else wall
    s = result.summary
    figures: dict[str, Any] = {
        "table": label,
        "rows": len(table),
        "groups": s["groups"],
        "groups_without_route": s["groups_without_route"],
        "routes": s["routes"],
        "routes_free_flow": int((result.routes["found_in_round"] == 0).sum()),
        "elements_loaded": s["elements_loaded"],
        "elements_loaded_without_capacity": s["elements_loaded_without_capacity"],
        "iterations": len(it),
        "final_gap": result.gap,
        "tolerance": tolerance,
        "converged": result.converged,
        "seconds_planning_free_flow": round(first, 3),
        "seconds_assign_total": round(wall, 3),
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    return figures, [float(g) for g in it["gap"]]


def print_figures(figures: dict[str, Any], gaps: list[float]) -> None:
    """Print the figures, the gap by iteration and whether the target is met."""
    for k, v in figures.items():
        print(f"{k:34} {v}")
    step = max(1, len(gaps) // 12)
    print("gap by iteration:", ", ".join(f"{g:.1e}" for g in gaps[::step]))
    met = figures["converged"] and figures["seconds_assign_total"] < TARGET_S
    print(
        f"target: gap {figures['tolerance']:g} in < {TARGET_S:g} s: {'met' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
