"""Benchmark: planning latency on the bundled and synthetic networks, and one CLI call.

Query sets, each planned with one compiled network and a fixed departure:

* ``bundled random``: ``--pairs`` seeded random origin-destination pairs of the bundled
  network (places reachable by container cargo), deterministic (medians only) and with
  P50/P90 Monte Carlo estimation (1000 draws per option);
* ``bundled long-haul``: the 90 ordered pairs of Xi'an, Chongqing, Urumqi, Kashgar,
  Almaty, Tashkent, Baku, Poti, Istanbul and Duisburg (``silkway.quality.relations``,
  shared with ``silkway info``), deterministic and with P50/P90;
* ``bundled blocked``: the ten long-haul places to Makmal (reached only by the planned
  CKU railway) and to Atasu (only by the oil pipeline): every answer is "no route",
  with the constraint that blocks it;
* ``synth N``: ``--synthetic-pairs`` seeded random pairs on a synthetic network of N
  places, generated into a temporary folder by ``benchmarks/synth.py`` with
  ``--synthetic-seed``, deterministic; and a third of them by air only (blocked: they
  are not airports).

For each set: plan latency p50 / p99 / max in ms; the number of "no route" answers
(``silkway.NoRouteError``) and the slowest of them, with how many were time-outs ("t/o":
the search hit its time limit before finding any route); labels per query (median and
max, from ``PlanResult.stats["labels"]``, "n/a" where the planner does not report them);
the share of incomplete results (``PlanResult.complete`` False: label budget or time
limit hit); and the ratio of plan time to one single-criterion Dijkstra (scipy, hours,
the fastest parallel arc) from the origin over the same compiled graph (median over
queries). Each query gets ``time_limit=--time-limit`` seconds where ``silkway.plan``
accepts it. Finally ``silkway plan`` is timed as a fresh process, start-up included.

Run::

    python benchmarks/plan.py                                   # everything
    python benchmarks/plan.py --synthetic 1000 --synthetic-pairs 30 --json figures.json
    python benchmarks/plan.py --synthetic none                  # bundled network only

Targets (2-core machine): bundled long-haul p50 < 5 ms with P50/P90; one ``silkway plan``
call < 0.5 s including start-up; every "no route" answer (time-outs aside) < 50 ms;
10,000 places p50 < 500 ms and no query over 10 s. The last line says which are met.
"""

from __future__ import annotations

import argparse
import inspect
import json
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

import silkway
from silkway.quality.relations import LONG_HAUL_DEPART, LONG_HAUL_PLACES, long_haul_relations
from synth import generate

# the long-haul relations and their departure are defined once, in the library
DEPART = LONG_HAUL_DEPART
LONG_HAUL = LONG_HAUL_PLACES
TARGET_LONG_HAUL_P50_MS = 5.0
TARGET_CLI_S = 0.5
TARGET_NO_ROUTE_MS = 50.0
TARGET_10K_P50_MS = 500.0
TARGET_10K_MAX_MS = 10_000.0


@dataclass
class SetFigures:
    """The figures of one query set planned one way."""

    name: str
    mode: str
    queries: int
    p50_ms: float
    p99_ms: float
    max_ms: float
    no_route: int
    no_route_max_ms: float | None
    no_route_timeouts: int
    """Of the "no route" answers, those where the search hit its time limit first."""
    no_route_proven_max_ms: float | None
    """Slowest "no route" answer that was not a time-out."""
    errors: int
    labels_p50: float | None
    labels_max: float | None
    incomplete_share: float
    dijkstra_p50_ms: float
    ratio_to_dijkstra_p50: float
    options_per_query: float


def _dijkstra_matrix(compiled: Any) -> Any:
    """Places x places CSR matrix of the fastest arc between each ordered pair."""
    n = len(compiled.places)
    a = np.asarray(compiled.arc_from, dtype=np.int64)
    b = np.asarray(compiled.arc_to, dtype=np.int64)
    w = np.asarray(compiled.arc_hours, dtype=np.float64)
    ok = np.isfinite(w) & (a != b)
    a, b, w = a[ok], b[ok], w[ok]
    key = a * n + b
    order = np.lexsort((w, key))
    key, w = key[order], w[order]
    first = np.ones(len(key), dtype=bool)
    first[1:] = key[1:] != key[:-1]
    key, w = key[first], w[first]
    return csr_matrix((w + 1e-9, (key // n, key % n)), shape=(n, n))


def _dijkstra_ms(matrix: Any, compiled: Any, pairs: list[tuple[str, str]]) -> list[float]:
    out: list[float] = []
    for origin, _ in pairs:
        index = compiled.places.index(origin)
        t0 = time.perf_counter()
        dijkstra(matrix, indices=index)
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def _plan_kwargs(time_limit: float) -> dict[str, Any]:
    params = inspect.signature(silkway.plan).parameters
    return {"time_limit": time_limit} if "time_limit" in params else {}


def _run_set(
    name: str,
    mode: str,
    compiled: Any,
    pairs: list[tuple[str, str]],
    dijkstra_ms: list[float],
    **kw: Any,
) -> SetFigures:
    times: list[float] = []
    no_route_times: list[float] = []
    proven: list[float] = []
    labels: list[float] = []
    ratios: list[float] = []
    incomplete = errors = options = answered = 0
    for (o, d), dj in zip(pairs, dijkstra_ms, strict=True):
        t0 = time.perf_counter()
        try:
            result = silkway.plan(compiled, o, d, depart=DEPART, **kw)
        except silkway.NoRouteError as exc:
            ms = (time.perf_counter() - t0) * 1000.0
            no_route_times.append(ms)
            if "time limit" not in str(exc):
                proven.append(ms)
        except silkway.SilkwayError as exc:
            ms = (time.perf_counter() - t0) * 1000.0
            errors += 1
            print(f"  {name}: {o} -> {d}: {type(exc).__name__}: {exc}", file=sys.stderr)
        else:
            ms = (time.perf_counter() - t0) * 1000.0
            answered += 1
            options += len(result.options)
            stats = getattr(result, "stats", None) or {}
            if stats.get("labels") is not None:
                labels.append(float(stats["labels"]))
            if not getattr(result, "complete", True):
                incomplete += 1
        times.append(ms)
        ratios.append(ms / max(dj, 1e-6))
    arr = np.array(times)
    return SetFigures(
        name=name,
        mode=mode,
        queries=len(pairs),
        p50_ms=float(np.quantile(arr, 0.5)),
        p99_ms=float(np.quantile(arr, 0.99)),
        max_ms=float(arr.max()),
        no_route=len(no_route_times),
        no_route_max_ms=max(no_route_times) if no_route_times else None,
        no_route_timeouts=len(no_route_times) - len(proven),
        no_route_proven_max_ms=max(proven) if proven else None,
        errors=errors,
        labels_p50=float(np.median(labels)) if labels else None,
        labels_max=max(labels) if labels else None,
        incomplete_share=incomplete / max(1, answered),
        dijkstra_p50_ms=float(np.median(dijkstra_ms)),
        ratio_to_dijkstra_p50=float(np.median(ratios)),
        options_per_query=options / max(1, answered),
    )


HEADER = (
    f"{'set':<22} {'mode':<13} {'n':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} "
    f"{'no route (max ms)':>24} {'labels p50/max':>16} {'incompl':>7} {'dijk ms':>7} "
    f"{'x dijk':>7} {'opt/q':>5}"
)


def _line(s: SetFigures) -> str:
    nr = f"{s.no_route}" + (f" ({s.no_route_max_ms:.1f})" if s.no_route_max_ms is not None else "")
    if s.no_route_timeouts:
        nr += f" {s.no_route_timeouts} t/o"
    lab = (
        f"{s.labels_p50:.0f}/{s.labels_max:.0f}"
        if s.labels_p50 is not None and s.labels_max is not None
        else "n/a"
    )
    err = f"  {s.errors} errors" if s.errors else ""
    return (
        f"{s.name:<22} {s.mode:<13} {s.queries:>4} {s.p50_ms:>8.1f} {s.p99_ms:>8.1f} "
        f"{s.max_ms:>8.1f} {nr:>24} {lab:>16} {s.incomplete_share:>7.0%} "
        f"{s.dijkstra_p50_ms:>7.2f} {s.ratio_to_dijkstra_p50:>7.0f} "
        f"{s.options_per_query:>5.1f}{err}"
    )


def _random_pairs(places: list[str], count: int, seed: int) -> list[tuple[str, str]]:
    rng = np.random.default_rng(seed)
    pairs: list[tuple[str, str]] = []
    while len(pairs) < count:
        a, b = rng.choice(len(places), size=2, replace=False)
        pairs.append((places[int(a)], places[int(b)]))
    return pairs


def _container_places(network: Any) -> list[str]:
    return sorted(
        {
            pid
            for link in network.links.values()
            if "container" in link.cargo and link.status == "operational"
            for pid in link.ends()
            if network.places[pid].kind != "airport"  # containers do not fly
        }
    )


def _cli_seconds(runs: int) -> list[float]:
    exe = shutil.which("silkway")
    cmd = [exe] if exe else [sys.executable, "-m", "silkway"]
    cmd += ["plan", "Xi'an", "Istanbul", "--avoid-country", "RU", "--depart", DEPART]
    cmd += ["--cargo", "2xFEU"]
    walls: list[float] = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True)
        walls.append(time.perf_counter() - t0)
    return walls


def _sizes(text: str) -> list[int]:
    if text.strip().lower() in ("", "none", "0"):
        return []
    return [int(x.replace("_", "")) for x in text.split(",") if x.strip()]


def main() -> None:
    """Run the benchmark, print one line per query set and optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=200, help="random pairs, bundled")
    parser.add_argument("--seed", type=int, default=42, help="seed of the random pairs")
    parser.add_argument("--cli-runs", type=int, default=5)
    parser.add_argument(
        "--synthetic",
        default="1000,10000",
        help="comma list of synthetic network sizes (places), or 'none'",
    )
    parser.add_argument("--synthetic-pairs", type=int, default=30)
    parser.add_argument("--synthetic-seed", type=int, default=1, help="generator seed")
    parser.add_argument("--time-limit", type=float, default=10.0, help="seconds per query")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()

    kw_limit = _plan_kwargs(args.time_limit)
    print(
        f"silkway {silkway.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}; per-query time limit: "
        + (f"{args.time_limit:g} s" if kw_limit else "not supported by silkway.plan")
    )
    figures: dict[str, Any] = {
        "python": platform.python_version(),
        "time_limit_s": args.time_limit if kw_limit else None,
        "networks": {},
        "sets": [],
    }
    sets: list[SetFigures] = []

    t0 = time.perf_counter()
    network = silkway.load_network()
    t1 = time.perf_counter()
    compiled = silkway.compile_network(network)
    t2 = time.perf_counter()
    figures["networks"]["bundled"] = {
        "places": len(network.places),
        "links": len(network.links),
        "arcs": compiled.n_arcs,
        "load_s": t1 - t0,
        "compile_s": t2 - t1,
    }
    print(
        f"bundled {network.name} {network.version}: {len(network.places)} places, "
        f"{len(network.links)} links, {compiled.n_arcs} arcs; load + validate "
        f"{(t1 - t0) * 1000:.0f} ms, compile {(t2 - t1) * 1000:.0f} ms"
    )
    matrix = _dijkstra_matrix(compiled)
    random_pairs = _random_pairs(_container_places(network), args.pairs, args.seed)
    long_pairs = long_haul_relations()
    silkway.plan(compiled, *random_pairs[0], depart=DEPART)  # warm-up (imports, caches)
    print(HEADER)
    for set_name, pairs in (("bundled random", random_pairs), ("bundled long-haul", long_pairs)):
        dj = _dijkstra_ms(matrix, compiled, pairs)
        for mode, kw in (
            ("deterministic", {"uncertainty": False}),
            ("P50/P90", {"uncertainty": True, "samples": 1000}),
        ):
            s = _run_set(set_name, mode, compiled, pairs, dj, **kw, **kw_limit)
            sets.append(s)
            print(_line(s), flush=True)

    # blocked queries, answered "no route" with the constraint that blocks them: Makmal
    # is reached only by the planned CKU railway, Atasu only by the oil pipeline
    blocked = [(o, d) for o in LONG_HAUL for d in ("KG_MAK", "KZ_ATS")]
    s = _run_set(
        "bundled blocked",
        "deterministic",
        compiled,
        blocked,
        _dijkstra_ms(matrix, compiled, blocked),
        uncertainty=False,
        **kw_limit,
    )
    sets.append(s)
    print(_line(s), flush=True)

    for size in _sizes(args.synthetic):
        with tempfile.TemporaryDirectory(prefix=f"silkway-synth{size}-") as tmp:
            t0 = time.perf_counter()
            generate(tmp, places=size, seed=args.synthetic_seed)
            t1 = time.perf_counter()
            net = silkway.load_network(tmp)
            t2 = time.perf_counter()
            comp = silkway.compile_network(net)
            t3 = time.perf_counter()
        name = f"synth {size:,}"
        figures["networks"][name] = {
            "places": len(net.places),
            "links": len(net.links),
            "arcs": comp.n_arcs,
            "generate_s": t1 - t0,
            "load_s": t2 - t1,
            "compile_s": t3 - t2,
            "seed": args.synthetic_seed,
        }
        print(
            f"{name}: {len(net.places)} places, {len(net.links)} links, {comp.n_arcs} arcs; "
            f"generate {t1 - t0:.1f} s, load + validate {t2 - t1:.1f} s, "
            f"compile {t3 - t2:.1f} s",
            flush=True,
        )
        pairs = _random_pairs(sorted(net.places), args.synthetic_pairs, args.seed)
        dj = _dijkstra_ms(_dijkstra_matrix(comp), comp, pairs)
        s = _run_set(name, "deterministic", comp, pairs, dj, uncertainty=False, **kw_limit)
        sets.append(s)
        print(_line(s), flush=True)
        # air only, between places that are not airports: blocked by the mode constraint
        airports = {pid for pid, p in net.places.items() if p.kind == "airport"}
        ground = [(o, d) for o, d in pairs if o not in airports and d not in airports]
        ground = ground[: max(1, len(ground) // 3)]
        s = _run_set(
            f"{name} blocked",
            "air only",
            comp,
            ground,
            _dijkstra_ms(_dijkstra_matrix(comp), comp, ground),
            uncertainty=False,
            modes=["air"],
            **kw_limit,
        )
        sets.append(s)
        print(_line(s), flush=True)

    walls = _cli_seconds(args.cli_runs) if args.cli_runs > 0 else []
    cli_median = statistics.median(walls) if walls else None
    if cli_median is not None:
        print(
            f'CLI `silkway plan "Xi\'an" Istanbul --avoid-country RU ...`: median '
            f"{cli_median:.2f} s, min {min(walls):.2f} s over {len(walls)} runs "
            "(fresh process, start-up included)"
        )

    targets: dict[str, bool | None] = {}
    long_p = [s for s in sets if s.name == "bundled long-haul" and s.mode == "P50/P90"]
    targets[f"bundled long-haul p50 < {TARGET_LONG_HAUL_P50_MS:g} ms with P50/P90"] = (
        long_p[0].p50_ms < TARGET_LONG_HAUL_P50_MS if long_p else None
    )
    targets[f"silkway plan < {TARGET_CLI_S:g} s including start-up"] = (
        cli_median < TARGET_CLI_S if cli_median is not None else None
    )
    nr = [s.no_route_proven_max_ms for s in sets if s.no_route_proven_max_ms is not None]
    targets[f'every "no route" (time-outs aside) < {TARGET_NO_ROUTE_MS:g} ms'] = (
        max(nr) < TARGET_NO_ROUTE_MS if nr else True
    )
    big = [s for s in sets if s.name == "synth 10,000"]
    targets[f"10,000 places p50 < {TARGET_10K_P50_MS:g} ms"] = (
        big[0].p50_ms < TARGET_10K_P50_MS if big else None
    )
    targets["10,000 places: no query over 10 s"] = (
        big[0].max_ms < TARGET_10K_MAX_MS if big else None
    )
    verdict = {True: "met", False: "NOT met", None: "not measured"}
    print("targets: " + "; ".join(f"{k}: {verdict[v]}" for k, v in targets.items()))

    if args.json:
        figures["sets"] = [asdict(s) for s in sets]
        figures["cli_s"] = {"median": cli_median, "runs": walls}
        figures["targets"] = targets
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
