"""Benchmark: ``silkway serve`` under load, against ``silkway.plan`` called directly.

The load is a seeded mix of long-haul corridor queries: ordered pairs of Xi'an,
Chongqing, Urumqi, Kashgar, Almaty, Tashkent, Baku, Poti, Istanbul and Duisburg
(``silkway.quality.relations``), each with a seeded cargo, countries to avoid, sort
order, allowed modes and departure date between December 2026 and November 2027 (never
avoiding the origin's or the destination's own country). Each
drawn query is planned once here first; the mix keeps the first ``--queries`` that
have an answer (a "no route" would be a 422, not load), so every request of the load
should be a 200. Requests cycle through the whole mix, so no two requests in a row ask
the same thing and no result cache could answer them.

Figures, in order:

* ``in-process``: ``silkway.plan`` (through :func:`silkway.engine.request.run`, the
  function the API calls) for each query of the mix, one after another in this
  process: p50 / p99 / max ms per call; and beside it the time to write the
  ``silkway.plan/1`` JSON of each result (``PlanResult.to_json``, which the server
  does and a direct caller does not);
* ``--repeats`` rounds, each of ``--duration`` seconds of ``direct x2`` then of
  ``server``, alternating so that both meet the same background load on a shared
  machine:

  - ``direct x2``: two processes (multiprocessing), each with its own loaded network,
    each looping through the mix from its own starting point: calls per second
    together, p50 / p99 per call, and CPU ms per call;
  - ``server``: ``silkway serve --workers 2`` (started once, as a subprocess, on a free
    loopback port, waited for at ``/api/v1/health`` and warmed up for ``--warmup``
    seconds) with ``POST /api/v1/plan`` loaded through ``--connections`` connections
    from a second process: ``wrk`` (Debian package ``wrk``) with a Lua script that
    cycles through the mix, or, if ``wrk`` is not installed (or with ``--client
    python``), an asyncio + httpx client in a separate process (the output says
    which): requests per second, p50 / p99 / max latency, errors (HTTP status 400 or
    more; socket errors and time-outs), the server's CPU ms per request (its processes'
    CPU time from /proc) and the load generator's CPU in cores;

* ``health``: ``GET /api/v1/health`` loaded the same way: requests per second;
* the server log's statuses other than 2xx (``--keep-log FILE`` keeps the log).

The throughput share is the median over the rounds of server / direct; the p99 is the
median of the rounds' p99. CPU per request is the figure least moved by other jobs.

The machine has 2 cores: the load generator shares them with the server's two worker
processes, as the two direct processes share them with nothing. Hence the modest
default concurrency (4 connections: two per worker, as many as its compute slots). The
load average before and after is printed, since other jobs on the machine move every
figure.

Run::

    python benchmarks/serve.py                               # defaults, about 3 minutes
    python benchmarks/serve.py --duration 30 --connections 8 --json serve.json
    python benchmarks/serve.py --serve-option=--compute-slots=1 --keep-log serve.log
    python benchmarks/serve.py --client python               # without wrk

Targets: the server's throughput is at least 70 % of the two direct processes', its
p99 latency under 3x the in-process p99 per call, and no errors. The last line says
which are met.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

import silkway
from silkway.engine.request import PlanRequest, run
from silkway.quality.relations import LONG_HAUL_PLACES

PLAN_PATH = "/api/v1/plan"
HEALTH_PATH = "/api/v1/health"
TARGET_THROUGHPUT_SHARE = 0.70
TARGET_P99_FACTOR = 3.0

CARGOES = ("1xFEU", "2xFEU", "1xTEU", "3xTEU", "800kg/4m3", "500t:dry_bulk")
AVOID = ((), (), ("RU",), ("RU",), ("IR",), ("RU", "IR"), ("KZ",), ("GE",))
SORTS = ("time", "cost", "co2")
MODES: tuple[list[str] | None, ...] = (
    None,
    None,
    None,
    ["rail", "road", "ferry", "sea"],
    ["rail", "ferry", "sea"],
    ["rail", "road"],
)
FIRST_DEPART = dt.date(2026, 12, 1)
DEPART_DAYS = 365


# ----------------------------------------------------------------------------- the mix


def draw_mix(count: int, seed: int, network: Any) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """``count`` seeded plan request bodies that each have an answer, and the number of
    drawn queries left out, by error class."""
    rng = np.random.default_rng(seed)
    places = LONG_HAUL_PLACES
    bodies: list[dict[str, Any]] = []
    dropped: dict[str, int] = {}
    for _ in range(count * 20):
        if len(bodies) == count:
            break
        a, b = rng.choice(len(places), size=2, replace=False)
        body: dict[str, Any] = {
            "origin": places[int(a)],
            "destination": places[int(b)],
            "depart": str(FIRST_DEPART + dt.timedelta(days=int(rng.integers(DEPART_DAYS)))),
            "cargo": CARGOES[int(rng.integers(len(CARGOES)))],
            "sort": SORTS[int(rng.integers(len(SORTS)))],
            "seed": int(rng.integers(1000)),
        }
        ends = {network.network.places[body[k]].country for k in ("origin", "destination")}
        avoid = [c for c in AVOID[int(rng.integers(len(AVOID)))] if c not in ends]
        if avoid:
            body["avoid_countries"] = avoid
        modes = MODES[int(rng.integers(len(MODES)))]
        if modes is not None:
            body["modes"] = modes
        if rng.random() < 0.2:
            body["include_planned"] = True
        try:
            run(request_of(body), network)
        except silkway.SilkwayError as exc:
            dropped[type(exc).__name__] = dropped.get(type(exc).__name__, 0) + 1
            continue
        bodies.append(body)
    if len(bodies) < count:
        raise SystemExit(f"only {len(bodies)} of {count} drawn queries have an answer")
    return bodies, dropped


def request_of(body: dict[str, Any]) -> PlanRequest:
    """The :class:`PlanRequest` the server reads from ``body``."""
    return PlanRequest(**{k: tuple(v) if isinstance(v, list) else v for k, v in body.items()})


def _quantiles(ms: list[float]) -> dict[str, float]:
    arr = np.asarray(ms, dtype=float)
    return {
        "p50_ms": float(np.quantile(arr, 0.5)),
        "p99_ms": float(np.quantile(arr, 0.99)),
        "max_ms": float(arr.max()),
    }


def in_process(network: Any, bodies: list[dict[str, Any]], rounds: int) -> dict[str, Any]:
    """Plan time per call (and JSON time per result), one call after another."""
    plan_ms: list[float] = []
    json_ms: list[float] = []
    requests = [request_of(b) for b in bodies]
    for _ in range(rounds):
        for request in requests:
            t0 = time.perf_counter()
            result = run(request, network)
            t1 = time.perf_counter()
            result.to_json(indent=None).encode()
            t2 = time.perf_counter()
            plan_ms.append((t1 - t0) * 1000.0)
            json_ms.append((t2 - t1) * 1000.0)
    return {"calls": len(plan_ms), **_quantiles(plan_ms), "json": _quantiles(json_ms)}


# ----------------------------------------------------------------------------- direct


def _direct_worker(
    bodies: list[dict[str, Any]], start: int, seconds: float, rounds: int, barrier: Any, out: Any
) -> None:
    """One direct process: load the network, plan the mix once, then for each round
    loop through the mix for ``seconds`` (rounds start together, at the barrier)."""
    network = silkway.compile_network(silkway.load_network())
    requests = [request_of(b) for b in bodies]
    for request in requests:
        run(request, network)
    i = start
    for _ in range(rounds):
        barrier.wait()
        times: list[float] = []
        cpu0 = time.process_time()
        t_start = time.perf_counter()
        deadline = t_start + seconds
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            run(requests[i % len(requests)], network)
            times.append((time.perf_counter() - t0) * 1000.0)
            i += 1
        out.put((len(times), time.perf_counter() - t_start, time.process_time() - cpu0, times))


class Direct:
    """``processes`` processes planning the mix directly, round after round."""

    def __init__(
        self, bodies: list[dict[str, Any]], processes: int, seconds: float, rounds: int
    ) -> None:
        ctx = mp.get_context("spawn")
        self.processes = processes
        self._rounds_left = rounds
        self._barrier = ctx.Barrier(processes + 1)
        self._out = ctx.Queue()
        step = max(1, len(bodies) // processes)
        self._procs = [
            ctx.Process(
                target=_direct_worker,
                args=(bodies, k * step, seconds, rounds, self._barrier, self._out),
            )
            for k in range(processes)
        ]
        for p in self._procs:
            p.start()

    def round(self) -> dict[str, Any]:
        """One round: calls per second together, per call p50 / p99, CPU ms per call."""
        self._barrier.wait()
        got = [self._out.get() for _ in self._procs]
        self._rounds_left -= 1
        if not self._rounds_left:  # reaped now, so their CPU is not counted as the client's
            self.join()
        calls = sum(n for n, _, _, _ in got)
        return {
            "processes": self.processes,
            "calls": calls,
            "per_s": sum(n / s for n, s, _, _ in got),
            "cpu_ms_per_call": 1000.0 * sum(c for _, _, c, _ in got) / max(1, calls),
            **_quantiles([t for _, _, _, ts in got for t in ts]),
        }

    def join(self) -> None:
        """Wait for the processes to end (after their last round)."""
        for p in self._procs:
            p.join()


# ----------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def server(workers: int, log: Path, options: list[str]) -> Iterator[tuple[str, int]]:
    """``silkway serve --workers N`` on a free loopback port, up and answering health;
    yields its base URL and process id, and stops it after."""
    port = _free_port()
    cmd = [sys.executable, "-m", "silkway", "serve", "--workers", str(workers)]
    cmd += ["--port", str(port), *options]
    base = f"http://127.0.0.1:{port}"
    with log.open("wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=sink, start_new_session=True)
        try:
            deadline = time.monotonic() + 120.0
            while True:
                if proc.poll() is not None:
                    tail = log.read_text(errors="replace")[-2000:]
                    raise SystemExit(f"silkway serve exited ({proc.returncode}):\n{tail}")
                try:
                    with urllib.request.urlopen(base + HEALTH_PATH, timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("silkway serve did not answer /api/v1/health in 120 s")
                time.sleep(0.2)
            yield base, proc.pid
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()


def tree_cpu_s(pid: int) -> dict[int, float] | None:
    """CPU seconds (user + system) used so far by process ``pid`` and by each of its
    children (uvicorn's workers), from /proc; None where there is no /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, float] = {}
    try:
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # fields[0] is field 3 (state): ppid is field 4, utime and stime 14 and 15
            if int(entry.name) == pid or int(fields[1]) == pid:
                out[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    except OSError:
        return None
    return out


def children_cpu_s() -> float:
    """CPU seconds used by this process's finished children (the load generators)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Load:
    """What one load run measured."""

    client: str
    connections: int
    seconds: float
    requests: int
    per_s: float
    p50_ms: float
    p99_ms: float
    max_ms: float
    errors_status: int
    """Responses with HTTP status 400 or more."""
    errors_socket: int
    """Connect, read and write errors, and time-outs."""
    mb_per_s: float
    server_cpu_ms_per_request: float | None = None
    """CPU time of the server's processes over the run, per request."""
    server_cpu_cores: float | None = None
    """CPU time of the server's processes over the run, in cores."""
    busiest_process_share: float | None = None
    """The busiest server process's share of the server's CPU time over the run (two
    workers sharing the load evenly: 50 %)."""
    client_cpu_share: float | None = None
    """CPU time of the load generator over the run, in cores."""

    @property
    def errors(self) -> int:
        return self.errors_status + self.errors_socket


_LUA_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'SILKWAY-WRK {"requests": %d, "duration_us": %d, "bytes": %d, "status": %d, '
    .. '"socket": %d, "p50_us": %d, "p99_us": %d, "max_us": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.status,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
end
"""


def _lua(path: str, bodies: list[dict[str, Any]] | None) -> str:
    """A wrk script: GET ``path``, or POST the bodies in turn; ``done`` prints JSON."""
    if bodies is None:
        return f'wrk.method = "GET"\nwrk.path = "{path}"\n' + _LUA_DONE
    texts = [json.dumps(b) for b in bodies]  # ASCII: no long-bracket clash
    assert all("]==]" not in t for t in texts)
    lines = ["local bodies = {"] + [f"  [==[{t}]==]," for t in texts] + ["}"]
    lines += [
        "local n = #bodies",
        "local i = 0",
        'wrk.method = "POST"',
        f'wrk.path = "{path}"',
        'wrk.headers["Content-Type"] = "application/json"',
        "request = function()",
        "  i = i % n + 1",
        "  return wrk.format(nil, nil, nil, bodies[i])",
        "end",
    ]
    return "\n".join(lines) + "\n" + _LUA_DONE


def load_wrk(
    base: str, path: str, bodies: list[dict[str, Any]] | None, connections: int, seconds: float
) -> Load:
    """Load ``base + path`` with wrk (one thread) for ``seconds``."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(_lua(path, bodies))
        script = f.name
    try:
        cmd = ["wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s"]
        cmd += ["--timeout", "30s", "-s", script, base + path]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(script)
    line = next(x for x in out.splitlines() if x.startswith("SILKWAY-WRK "))
    raw = json.loads(line.split(" ", 1)[1])
    secs = raw["duration_us"] / 1e6
    return Load(
        client="wrk",
        connections=connections,
        seconds=secs,
        requests=raw["requests"],
        per_s=raw["requests"] / secs,
        p50_ms=raw["p50_us"] / 1000.0,
        p99_ms=raw["p99_us"] / 1000.0,
        max_ms=raw["max_us"] / 1000.0,
        errors_status=raw["status"],
        errors_socket=raw["socket"],
        mb_per_s=raw["bytes"] / secs / 1e6,
    )


async def _python_load(
    url: str, bodies: list[dict[str, Any]] | None, connections: int, seconds: float
) -> dict[str, Any]:
    import httpx

    payloads = [json.dumps(b).encode() for b in bodies] if bodies else [b""]
    headers = {"Content-Type": "application/json"}
    latencies: list[float] = []
    counts = {"status": 0, "socket": 0, "bytes": 0, "next": 0}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30.0) as client:
        start = time.perf_counter()
        deadline = start + seconds

        async def loop() -> None:
            while time.perf_counter() < deadline:
                payload = payloads[counts["next"] % len(payloads)]
                counts["next"] += 1
                t0 = time.perf_counter()
                try:
                    if bodies is None:
                        r = await client.get(url)
                    else:
                        r = await client.post(url, content=payload, headers=headers)
                except httpx.HTTPError:
                    counts["socket"] += 1
                    continue
                latencies.append((time.perf_counter() - t0) * 1000.0)
                counts["bytes"] += len(r.content)
                if r.status_code >= 400:
                    counts["status"] += 1

        await asyncio.gather(*(loop() for _ in range(connections)))
        elapsed = time.perf_counter() - start
    return {"latencies": latencies, "seconds": elapsed, **counts}


def _python_load_process(
    url: str, bodies: list[dict[str, Any]] | None, connections: int, seconds: float, out: Any
) -> None:
    out.put(asyncio.run(_python_load(url, bodies, connections, seconds)))


def load_python(
    base: str, path: str, bodies: list[dict[str, Any]] | None, connections: int, seconds: float
) -> Load:
    """Load ``base + path`` from a separate process with an asyncio + httpx client."""
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    proc = ctx.Process(
        target=_python_load_process, args=(base + path, bodies, connections, seconds, out)
    )
    proc.start()
    raw = out.get()
    proc.join()
    lat = raw["latencies"] or [float("nan")]
    q = _quantiles(lat)
    return Load(
        client="python (asyncio + httpx)",
        connections=connections,
        seconds=raw["seconds"],
        requests=len(raw["latencies"]),
        per_s=len(raw["latencies"]) / raw["seconds"],
        p50_ms=q["p50_ms"],
        p99_ms=q["p99_ms"],
        max_ms=q["max_ms"],
        errors_status=raw["status"],
        errors_socket=raw["socket"],
        mb_per_s=raw["bytes"] / raw["seconds"] / 1e6,
    )


# ----------------------------------------------------------------------------- main


def measure(
    loader: Any,
    base: str,
    pid: int,
    path: str,
    bodies: list[dict[str, Any]] | None,
    connections: int,
    seconds: float,
) -> Load:
    """One load run, with the CPU time the server and the load generator used."""
    server0, client0 = tree_cpu_s(pid), children_cpu_s()
    got: Load = loader(base, path, bodies, connections, seconds)
    server1, client1 = tree_cpu_s(pid), children_cpu_s()
    got = replace(got, client_cpu_share=(client1 - client0) / got.seconds)
    if server0 is None or server1 is None:
        return got
    used = [server1[p] - server0.get(p, 0.0) for p in server1]
    total = sum(used)
    return replace(
        got,
        server_cpu_ms_per_request=1000.0 * total / max(1, got.requests),
        server_cpu_cores=total / got.seconds,
        busiest_process_share=max(used) / total if total > 0 else None,
    )


def read_log(log: Path) -> tuple[int, dict[int, int], list[str]]:
    """The server log's request lines, their statuses other than 2xx (count by status)
    and its lines that are not request lines (warnings, tracebacks)."""
    lines = 0
    statuses: dict[int, int] = {}
    other: list[str] = []
    for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            record = json.loads(line)
            status = int(record["status"])
        except (ValueError, KeyError, TypeError):
            other.append(line)
            continue
        lines += 1
        if not 200 <= status < 300:
            statuses[status] = statuses.get(status, 0) + 1
    return lines, statuses, other


def _load_line(name: str, s: Load) -> str:
    cpu = ""
    if s.server_cpu_ms_per_request is not None and s.server_cpu_cores is not None:
        cpu = (
            f", server CPU {s.server_cpu_ms_per_request:.1f} ms/request = "
            f"{s.server_cpu_cores:.2f} cores"
        )
    if s.busiest_process_share is not None:
        cpu += f" ({s.busiest_process_share:.0%} of it in the busiest worker)"
    if s.client_cpu_share is not None:
        cpu += f", {s.client} {s.client_cpu_share:.2f} cores"
    return (
        f"{name:<10} {s.per_s:>7.1f} req/s  p50 {s.p50_ms:>6.1f} ms  p99 {s.p99_ms:>6.1f} ms  "
        f"max {s.max_ms:>6.1f} ms  errors {s.errors_status} status + {s.errors_socket} "
        f"socket  ({s.requests} requests in {s.seconds:.1f} s, {s.mb_per_s:.1f} MB/s, "
        f"{s.connections} connections{cpu})"
    )


def _direct_line(d: dict[str, Any]) -> str:
    return (
        f"direct x{d['processes']} {d['per_s']:>5.1f} calls/s  p50 {d['p50_ms']:>6.1f} ms  "
        f"p99 {d['p99_ms']:>6.1f} ms  ({d['calls']} calls, CPU {d['cpu_ms_per_call']:.1f} "
        "ms/call)"
    )


def main() -> None:
    """Run the benchmark, print the figures and the targets, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=240, help="size of the query mix")
    parser.add_argument("--seed", type=int, default=8, help="seed of the query mix")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per load run")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of server warm-up")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--rounds", type=int, default=2, help="in-process passes over the mix")
    parser.add_argument(
        "--repeats", type=int, default=3, help="rounds of direct and server load, alternating"
    )
    parser.add_argument(
        "--client",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk if installed (auto), or the Python fallback",
    )
    parser.add_argument(
        "--serve-option",
        action="append",
        default=[],
        metavar="OPTION",
        help="an option for silkway serve, e.g. --serve-option=--compute-slots=1 (repeatable)",
    )
    parser.add_argument("--keep-log", metavar="FILE", help="copy the server's log here")
    parser.add_argument("--json", metavar="FILE", help="write the figures as JSON")
    args = parser.parse_args()

    wrk = shutil.which("wrk")
    if args.client == "wrk" and not wrk:
        raise SystemExit("wrk is not installed (Debian: apt-get install -y wrk)")
    use_wrk = bool(wrk) and args.client != "python"
    loader = load_wrk if use_wrk else load_python
    cores = os.cpu_count()
    load_before = os.getloadavg()
    print(
        f"silkway {silkway.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {cores} cores (shared by the load generator and the "
        f"server's {args.workers} workers); load average {load_before[0]:.1f}"
    )
    if args.serve_option:
        print(f"silkway serve options: {' '.join(args.serve_option)}")
    if not use_wrk:
        why = "--client python" if wrk else "wrk is not installed"
        print(f"load generator: Python asyncio + httpx client ({why}), not wrk")

    network = silkway.compile_network(silkway.load_network())
    t0 = time.perf_counter()
    bodies, dropped = draw_mix(args.queries, args.seed, network)
    left_out = ", ".join(f"{n} {k}" for k, n in sorted(dropped.items())) or "none"
    print(
        f"mix: {len(bodies)} queries with an answer (seed {args.seed}; drawn and left out: "
        f"{left_out}; drawn in {time.perf_counter() - t0:.1f} s)"
    )

    inproc = in_process(network, bodies, args.rounds)
    print(
        f"in-process silkway.plan: p50 {inproc['p50_ms']:.1f} ms  p99 {inproc['p99_ms']:.1f} ms"
        f"  max {inproc['max_ms']:.1f} ms per call ({inproc['calls']} calls); its JSON "
        f"(to_json): p50 {inproc['json']['p50_ms']:.1f} ms  p99 {inproc['json']['p99_ms']:.1f}"
        " ms",
        flush=True,
    )
    direct = Direct(bodies, args.workers, args.duration, args.repeats)
    rounds: list[tuple[dict[str, Any], Load]] = []
    with tempfile.TemporaryDirectory(prefix="silkway-bench-serve-") as tmp:
        log = Path(tmp) / "serve.log"
        with server(args.workers, log, args.serve_option) as (base, pid):
            warm = measure(loader, base, pid, PLAN_PATH, bodies, args.connections, args.warmup)
            # direct and server runs alternate, so that both meet the same background load
            for r in range(args.repeats):
                d = direct.round()
                print(f"round {r + 1}  {_direct_line(d)}", flush=True)
                s = measure(loader, base, pid, PLAN_PATH, bodies, args.connections, args.duration)
                print(f"round {r + 1}  {_load_line('server', s)}", flush=True)
                rounds.append((d, s))
            health = measure(
                loader, base, pid, HEALTH_PATH, None, args.connections, min(args.duration, 10.0)
            )
            print(f"health   {_load_line('health', health)}", flush=True)
        log_lines, statuses, other = read_log(log)
        if args.keep_log:
            shutil.copyfile(log, args.keep_log)
    direct.join()
    load_after = os.getloadavg()

    shares = [s.per_s / d["per_s"] for d, s in rounds]
    share = float(np.median(shares))
    p99 = float(np.median([s.p99_ms for _, s in rounds]))
    factor = p99 / inproc["p99_ms"]
    errors = sum(s.errors for _, s in rounds) + health.errors + warm.errors
    print(
        f"server / direct x{args.workers}, median of {len(rounds)} rounds: {share:.0%} of the "
        f"throughput (rounds: {', '.join(f'{x:.0%}' for x in shares)}); server p99 "
        f"{p99:.1f} ms = {factor:.1f}x the in-process p99; {errors} errors (warm-up "
        f"{warm.errors}); load average after {load_after[0]:.1f}"
    )
    print(
        f"server log: {log_lines} request lines, statuses other than 2xx: "
        + (", ".join(f"{n} x {k}" for k, n in sorted(statuses.items())) or "none")
        + (f"; {len(other)} other lines, the first: {other[0][:200]}" if other else "")
    )
    targets = {
        f"throughput >= {TARGET_THROUGHPUT_SHARE:.0%} of direct x{args.workers}": share
        >= TARGET_THROUGHPUT_SHARE,
        f"p99 < {TARGET_P99_FACTOR:g}x in-process p99": factor < TARGET_P99_FACTOR,
        "zero errors": errors == 0,
    }
    verdict = {True: "met", False: "NOT met"}
    print("targets: " + "; ".join(f"{k}: {verdict[v]}" for k, v in targets.items()))

    if args.json:
        figures = {
            "python": platform.python_version(),
            "cores": cores,
            "load_average": {"before": load_before[0], "after": load_after[0]},
            "mix": {"queries": len(bodies), "seed": args.seed, "left_out": dropped},
            "in_process": inproc,
            "rounds": [{"direct": d, "server": asdict(s)} for d, s in rounds],
            "warmup": asdict(warm),
            "health": asdict(health),
            "throughput_share": share,
            "p99_factor": factor,
            "server_log": {"requests": log_lines, "not_2xx": statuses, "other": len(other)},
            "targets": targets,
        }
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"figures written to {args.json}")


if __name__ == "__main__":
    main()
