"""Benchmark: calibration and validation of the planner from a simulated monitoring store.

Simulates a log of the bundled network (``silkway.monitor.simulate``, seed 4, 24
relations), ingests it into a DuckDB store in a temporary folder, then times each step of
``silkway monitor calibrate`` and ``silkway monitor validate`` in this process: reading
the timed events (Arrow), pairing border passages and ferry waits, door-to-door times,
the fit, the overlay, the crossing table and the OD table (one plan per relation and
month). Prints events per second for the reading and pairing steps, and the share of
observations inside the P10-P90 band (80 % when the network generated the log).

Run::

    python benchmarks/monitor_calibrate.py                     # 50,000 shipments, 3 months
    python benchmarks/monitor_calibrate.py --shipments 200000 --months 12

Target (2-core machine): calibration of a million-event store in under 10 s.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shipments", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=3)
    args = parser.parse_args()

    import silkway
    from silkway.compile import compile_network
    from silkway.monitor.calibrate import calibrate, write_overlay
    from silkway.monitor.ingest import ingest
    from silkway.monitor.observed import observed_times, read_events, shipments
    from silkway.monitor.simulate import default_relations, simulate, write_log
    from silkway.monitor.store import open_store
    from silkway.monitor.validation import crossing_table, od_table

    net = silkway.load_network()
    compiled = compile_network(net)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        log = folder / "log.parquet"
        rels = default_relations(net, count=24, seed=4)
        tables = simulate(
            compiled, shipments=args.shipments, seed=4, months=args.months, relations=rels
        )
        rows = write_log(tables, log, fmt="parquet")
        with open_store(folder / "store.duckdb") as store:
            t = time.perf_counter()
            ingest(log, store, network=net)
            took = time.perf_counter() - t
            print(f"setup: {rows:,} events ({args.shipments:,} shipments) ingested in {took:.1f} s")
            figures: list[tuple[str, float, int]] = []

            def step(name: str, count: int, start: float) -> None:
                figures.append((name, time.perf_counter() - start, count))

            t = time.perf_counter()
            events = read_events(store)
            step("read timed events (Arrow)", len(events), t)
        t = time.perf_counter()
        observed = observed_times(net, events)
        step("pair passages and ferry waits", len(events), t)
        t = time.perf_counter()
        trips = shipments(events)
        step("door-to-door times", len(events), t)
        t = time.perf_counter()
        fitted = calibrate(net, observed)
        step("fit (median and P90 per item)", len(observed), t)
        t = time.perf_counter()
        write_overlay(fitted, net, folder / "overlay")
        step("write the overlay", len(fitted.changed), t)
        t = time.perf_counter()
        crossings = crossing_table(net, observed)
        step("validation: crossings", len(observed), t)
        t = time.perf_counter()
        od, _ = od_table(compiled, trips)
        step("validation: OD pairs (plans)", len(od) - 1, t)
    width = max(len(n) for n, _, _ in figures)
    for name, seconds, count in figures:
        rate = count / max(seconds, 1e-9)
        print(f"{name:<{width}}  {seconds:7.2f} s  {count:>10,} items  {rate:>12,.0f} /s")
    calibrate_s = sum(s for n, s, _ in figures[:5])
    print(f"calibrate total (without start-up and network loading): {calibrate_s:.2f} s")
    pooled = crossings[crossings["kind"] == "all"].iloc[0]
    print(
        f"crossings: {100 * pooled['in_band_share']:.1f} % of {int(pooled['n']):,} inside P10-P90"
    )
    items = sum(1 for f in fitted.fits if f.month is None)
    print(f"items calibrated: {len(fitted.changed)} of {items}")


if __name__ == "__main__":
    main()
