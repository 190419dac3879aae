"""Benchmark: planning latency on the bundled network, and one CLI call end to end.

Plans ``--pairs`` seeded random origin-destination pairs (places reachable by container
cargo) twice: once deterministic (medians only) and once with P50/P90 Monte Carlo
estimation. Prints p50/p99 latency for each, then times ``silkway plan`` as a fresh
process, interpreter start-up included.

Run: ``python benchmarks/plan.py`` (targets on a 2-core machine: p50 < 20 ms
deterministic, < 100 ms with uncertainty; one CLI call < 1.5 s).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time

import numpy as np

import silkway
from silkway.compile import compile_network


def _latencies(
    net: silkway.CompiledNetwork, pairs: list[tuple[str, str]], **kw: object
) -> dict[str, float]:
    times: list[float] = []
    no_route = 0
    options = 0
    for o, d in pairs:
        t0 = time.perf_counter()
        try:
            result = silkway.plan(net, o, d, depart="2026-12-07", **kw)  # type: ignore[arg-type]
            options += len(result.options)
        except silkway.NoRouteError:
            no_route += 1
        times.append((time.perf_counter() - t0) * 1000.0)
    arr = np.array(times)
    return {
        "p50_ms": float(np.quantile(arr, 0.5)),
        "p99_ms": float(np.quantile(arr, 0.99)),
        "mean_ms": float(arr.mean()),
        "max_ms": float(arr.max()),
        "no_route": no_route,
        "options_per_query": options / max(1, len(pairs) - no_route),
    }


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--cli-runs", type=int, default=5)
    args = parser.parse_args()

    t0 = time.perf_counter()
    network = silkway.load_network()
    t1 = time.perf_counter()
    net = compile_network(network)
    t2 = time.perf_counter()
    print(f"network: {network.name} {network.version}: {network.summary()}")
    print(
        f"load + validate: {(t1 - t0) * 1000:.1f} ms; compile: {(t2 - t1) * 1000:.1f} ms; "
        f"{net.n_arcs} arcs"
    )

    container_places = sorted(
        {
            pid
            for link in network.links.values()
            if "container" in link.cargo and link.status == "operational"
            for pid in link.ends()
        }
    )
    rng = np.random.default_rng(args.seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < args.pairs:
        a, b = rng.choice(len(container_places), size=2, replace=False)
        pairs.append((container_places[int(a)], container_places[int(b)]))

    silkway.plan(net, pairs[0][0], pairs[0][1])  # warm-up (imports, caches)
    for label, kw in (
        ("deterministic", {"uncertainty": False}),
        ("with P50/P90 (1000 draws)", {"uncertainty": True, "samples": 1000}),
    ):
        stats = _latencies(net, pairs, **kw)
        print(
            f"{label:>28}: p50 {stats['p50_ms']:7.1f} ms  p99 {stats['p99_ms']:7.1f} ms  "
            f"mean {stats['mean_ms']:6.1f} ms  max {stats['max_ms']:7.1f} ms  "
            f"({args.pairs} pairs, {stats['no_route']} without route, "
            f"{stats['options_per_query']:.1f} options/query)"
        )

    exe = shutil.which("silkway")
    cmd = [exe] if exe else [sys.executable, "-m", "silkway"]
    cmd += [
        "plan",
        "Xi'an",
        "Istanbul",
        "--avoid-country",
        "RU",
        "--depart",
        "2026-12-07",
        "--cargo",
        "2xFEU",
    ]
    walls: list[float] = []
    for _ in range(args.cli_runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    print(
        f'CLI `silkway plan "Xi\'an" Istanbul --avoid-country RU ...`: median '
        f"{statistics.median(walls):.2f} s, min {min(walls):.2f} s over {args.cli_runs} runs "
        "(fresh process, start-up included)"
    )


if __name__ == "__main__":
    main()
