"""Benchmark: the skim matrix, the assignment and a scenario sweep on the bundled network.

Matrix runs, each of every ordered pair of distinct places of the bundled network
(``silkway.skims.matrix``, fixed departure, routes chosen by time), on a compiled
network with empty caches:

* ``medians``: deterministic (``samples=0``);
* ``1000 draws``: time P50/P90/P95 from 1,000 Monte Carlo draws per route;

each in this process (``workers=0``), on a local Dask cluster of one worker process and
of two (``workers=1``, ``workers=2``; cluster start-up, sending the network and closing
included). For each: wall time, and the CPU time of this process and its worker
processes (the machine may be shared: CPU time says what the job cost, wall time what
the user waited). The rows of every run must equal those of the first run with the
same draws; the last lines say so, and whether the target is met.

Then the assignment of the bundled trade table to a relative gap of 1e-4
(``assign_equilibrium.py``: iterations, final gap, wall time), and a sweep of the
assignment under four bundled scenarios (``silkway.scenarios.runs.sweep``) in this
process and on a local Dask cluster of one and of two workers (one task per scenario).

Run::

    python benchmarks/assign.py                    # everything
    python benchmarks/assign.py --places 30        # the first 30 places only
    python benchmarks/assign.py --workers 0,2 --json figures.json

Targets (2-core machine): the full matrix with 1,000 draws in under 20 s; the
assignment to a relative gap of 1e-4 in under 60 s.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import time
from dataclasses import asdict, dataclass, replace
from typing import Any

import pandas as pd

import silkway
from assign_equilibrium import equilibrium_figures, print_figures
from silkway.demand import bundled_demand
from silkway.quality.relations import LONG_HAUL_DEPART
from silkway.scenarios import load_scenario
from silkway.scenarios.runs import RunOptions, sweep
from silkway.skims import matrix

DEPART = LONG_HAUL_DEPART
TARGET_MATRIX_DRAWS_S = 20.0


@dataclass
class MatrixFigures:
    """One matrix run."""

    draws: int
    workers: int
    places: int
    pairs: int
    reachable: int
    wall_s: float
    cpu_s: float
    """CPU seconds of this process and of the worker processes it started."""
    same_as_in_process: bool | None


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers, once they have ended
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _run(
    compiled: Any, places: list[str] | None, draws: int, workers: int
) -> tuple[Any, float, float]:
    net = replace(compiled, cache={})  # every run starts cold
    c0, t0 = _cpu(), time.perf_counter()
    frame = matrix(net, places, depart=DEPART, samples=draws, seed=0, workers=workers)
    return frame, time.perf_counter() - t0, _cpu() - c0


def main() -> None:
    """Run the benchmark, print one line per run and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=0, help="first N places only (0: all)")
    parser.add_argument("--draws", default="0,1000", help="comma list of Monte Carlo draws")
    parser.add_argument("--workers", default="0,1,2", help="comma list (0: in process)")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    parser.add_argument("--no-assign", action="store_true", help="matrix figures only")
    args = parser.parse_args()

    network = silkway.load_network()
    compiled = silkway.compile_network(network)
    ids = list(compiled.places.ids)
    places = ids[: args.places] if args.places else None
    n = len(places) if places else len(ids)
    print(
        f"silkway {silkway.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}; bundled {network.name} {network.version}: {n} places, "
        f"{n * (n - 1):,} ordered pairs; departure {DEPART}"
    )
    matrix(compiled, ids[:2], depart=DEPART, samples=10, workers=0)  # imports
    head = f"{'matrix':<12} {'where':<18} {'pairs':>7} {'reached':>7} {'wall s':>7} {'CPU s':>7}"
    print(head + "  same")
    runs: list[MatrixFigures] = []
    first: dict[int, pd.DataFrame] = {}
    for draws in (int(x) for x in args.draws.split(",")):
        for workers in (int(x) for x in args.workers.split(",")):
            frame, wall, cpu = _run(compiled, places, draws, workers)
            same = None
            if draws in first:
                same = bool(first[draws].equals(frame))
            else:
                first[draws] = frame
            fig = MatrixFigures(
                draws, workers, n, len(frame), int(frame.reachable.sum()), wall, cpu, same
            )
            runs.append(fig)
            where = "in process" if workers == 0 else f"{workers} Dask worker" + "s" * (workers > 1)
            label = "medians" if draws == 0 else f"{draws} draws"
            print(
                f"{label:<12} {where:<18} {fig.pairs:>7,} {fig.reachable:>7,} {wall:>7.2f} "
                f"{cpu:>7.2f}  {'-' if same is None else 'yes' if same else 'NO'}"
            )
    full = places is None
    best = [r.wall_s for r in runs if r.draws == 1000]
    if full and best:
        met = min(best) < TARGET_MATRIX_DRAWS_S
        print(
            f"target: full matrix with 1,000 draws < {TARGET_MATRIX_DRAWS_S:g} s: "
            f"{'met' if met else 'NOT met'} (best {min(best):.2f} s)"
        )
    if any(r.same_as_in_process is False for r in runs):
        print("WARNING: a run's rows differ from the first run with the same draws")
    out: dict[str, Any] = {"matrix": [asdict(r) for r in runs]}
    if not args.no_assign:
        print("\nassignment of the bundled trade table:")
        figures, gaps = equilibrium_figures(
            compiled,
            bundled_demand(network),
            label="bundled trade table",
            tolerance=1e-4,
            max_iterations=None,
        )
        print_figures(figures, gaps)
        out["assign"] = figures
        out["sweep"] = _sweep(network, args.workers)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(out, fh, indent=2)


def _sweep(network: Any, workers_list: str) -> list[dict[str, Any]]:
    """The assignment under four bundled scenarios, one task each, on 0, 1, 2 workers."""
    names = ["baseline", "cku-open", "caspian-ferries-doubled", "digital-borders"]
    runs = [load_scenario(n) for n in names]
    opts = RunOptions(depart=DEPART, demand=bundled_demand(network))
    print(f"\nsweep: the assignment under {', '.join(names)} (one task each)")
    rows, first = [], None
    for workers in (int(x) for x in workers_list.split(",")):
        c0, t0 = _cpu(), time.perf_counter()
        got = sweep(network, runs, model="assign", options=opts, workers=workers)
        wall, cpu = time.perf_counter() - t0, _cpu() - c0
        same = None if first is None else bool(first.equals(got.summary))
        first = got.summary if first is None else first
        where = "in process" if workers == 0 else f"{workers} Dask worker" + "s" * (workers > 1)
        print(
            f"  {where:<18} wall {wall:6.2f} s  CPU {cpu:6.2f} s  same: "
            f"{'-' if same is None else 'yes' if same else 'NO'}"
        )
        rows.append({"workers": workers, "wall_s": wall, "cpu_s": cpu, "same": same})
    assert first is not None
    cols = ["scenario", "converged", "iterations", "gap", "added_delay_feu_h", "max_v_c"]
    print(first[cols].to_string(index=False))
    return rows


if __name__ == "__main__":
    main()
