"""Benchmark: one ``silkway`` command as a fresh process, start-up included.

Runs the command ``--runs`` times (after ``--warmup`` untimed runs, so the bytecode
caches are written) and prints the wall-clock min, median, p90 and max in seconds, and
the median CPU time (user + system) of the child, which moves less than the wall clock
on a busy machine. Every run must exit 0 with output on stdout.

Measured as a user's installation runs, with bytecode caches: if ``PYTHONDONTWRITEBYTECODE``
is set (as on some CI machines), the runs go without it and keep their caches in a
folder of the system's temporary directory instead of beside the sources, because
otherwise every run compiles silkway's modules anew (about 0.1 s more). ``--as-is``
keeps the environment as it is.

Run::

    python benchmarks/startup.py                        # the issue's plan query, 20 runs
    python benchmarks/startup.py --runs 50 -- silkway places Almaty
    python benchmarks/startup.py --python               # as `python -m silkway ...`

Target (2-core machine): ``silkway plan "Xi'an" Istanbul --avoid-country RU --depart
2026-12-07 --cargo 2xFEU`` under 0.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

DEFAULT_COMMAND = [
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
TARGET_S = 0.5


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Run ``argv`` once; return (wall seconds, child CPU seconds)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, capture_output=True, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0 or not proc.stdout:
        sys.exit(
            f"{' '.join(argv)} exited {proc.returncode}:\n" + proc.stderr.decode("utf-8", "replace")
        )
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0-100) by the nearest-rank method."""
    ranked = sorted(values)
    rank = max(1, -(-len(ranked) * q // 100))
    return ranked[int(rank) - 1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs (default 20)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs first (default 2)")
    parser.add_argument(
        "--python",
        action="store_true",
        help="run `python -m silkway` with this interpreter instead of the `silkway` script",
    )
    parser.add_argument(
        "--as-is",
        action="store_true",
        help="keep PYTHONDONTWRITEBYTECODE if set (every run then compiles silkway anew)",
    )
    parser.add_argument(
        "command", nargs="*", help="silkway arguments (default: the issue's plan query)"
    )
    args = parser.parse_args(argv)

    if args.python:
        prefix = [sys.executable, "-m", "silkway"]
    else:
        script = shutil.which("silkway") or os.path.join(os.path.dirname(sys.executable), "silkway")
        prefix = [script]
    command = prefix + (args.command or DEFAULT_COMMAND)
    env = dict(os.environ)
    note = ""
    if env.get("PYTHONDONTWRITEBYTECODE") and not args.as_is:
        del env["PYTHONDONTWRITEBYTECODE"]
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "silkway-startup-pycache")
        note = f", bytecode cached in {env['PYTHONPYCACHEPREFIX']}"

    for _ in range(args.warmup):
        run_once(command, env)
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu = run_once(command, env)
        walls.append(wall)
        cpus.append(cpu)

    shown = " ".join(repr(a) if " " in a or "'" in a else a for a in command)
    print(f"{shown}\n{args.runs} runs (after {args.warmup} warm-up{note}), seconds:")
    print(
        f"  wall  min {min(walls):.3f}  median {statistics.median(walls):.3f}  "
        f"p90 {percentile(walls, 90):.3f}  max {max(walls):.3f}"
    )
    print(f"  cpu   median {statistics.median(cpus):.3f} (user + system)")
    if not args.command:
        met = statistics.median(walls) < TARGET_S
        print(f"  target: median under {TARGET_S} s: {'met' if met else 'not met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
