"""Benchmark: ingest of a 10-million-event log against DuckDB's own raw ``COPY``.

Steps, each timed (wall and CPU time of this process; the machine may be shared):

* ``generate``: a synthetic event log on the bundled network (unless ``--file`` names
  one), written by DuckDB: one shipment per five events across a border crossing of
  the network (departure, border entry, a payment, border exit, arrival), with a few
  duplicate rows and a few rows at unknown places;
* ``raw COPY``: DuckDB's ``COPY sw_raw FROM 'file'`` into a fresh DuckDB file, every
  column text, no checks: the limit;
* ``ingest``: :func:`silkway.monitor.ingest.ingest` into a fresh DuckDB store (read,
  hash, validate every row, convert costs, dedupe, store, quarantine), or into
  ``--store URL``;
* then every step of :data:`AFTER_INGEST` on the ingested store: the distances the
  indicators need, then each CPMM indicator (TFI1 to TFI4) computed in the store.

``--simulated`` generates the log with ``silkway monitor simulate``'s model instead
(routes planned on the network, every event type, local currencies).

Prints events per second for each step and ingest's share of the raw ``COPY`` speed, by
wall time and by CPU time.
Target: ingest with validation at half the raw COPY speed or better.

Run::

    python benchmarks/monitor.py                       # 10 million events
    python benchmarks/monitor.py --events 1000000 --json figures.json
    python benchmarks/monitor.py --file log.csv --store postgresql://...
    python benchmarks/monitor.py --simulated           # the simulator's 10 million events
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from silkway.model import load_network
from silkway.model.records import Network
from silkway.monitor.ingest import ingest
from silkway.monitor.network import crossing_table
from silkway.monitor.schema import EVENT_MODES, INPUT_COLUMNS
from silkway.monitor.store import Store, open_store

Step = Callable[[Store, Network], int]
"""A step run on the ingested store: returns the number of rows (or events) it handled,
for its throughput."""

AFTER_INGEST: list[tuple[str, Step]] = []
"""Named steps timed after the ingest, in order (indicator computations append here)."""


def _events(store: Store) -> int:
    return int(store.query("SELECT COUNT(*) FROM sw_events")[0][0])


def _indicator(name: str, **options: object) -> Step:
    """A step computing one indicator in the store; its throughput is in stored events
    per second (every event of the store is scanned)."""
    from silkway.monitor import indicators

    def step(store: Store, _network: Network) -> int:
        getattr(indicators, name)(store, **options)
        return _events(store)

    return step


def _prepare(store: Store, network: Network) -> int:
    from silkway.monitor.indicators import prepare

    prepare(store, network)
    return _events(store)


AFTER_INGEST += [
    ("indicators: distances", _prepare),
    ("TFI1 time at borders", _indicator("tfi1")),
    ("TFI2 cost at borders", _indicator("tfi2")),
    ("TFI3 cost per section", _indicator("tfi3")),
    ("TFI4 speeds per section", _indicator("tfi4", level="section")),
    ("TFI4 speeds per trip", _indicator("tfi4", level="trip")),
]


def simulated(path: Path, events: int, network: Network) -> int:
    """Write a log of about ``events`` rows with ``silkway monitor simulate``'s model
    (routes planned on the network, every event type, local currencies, 1 % missing
    events, 0.5 % duplicates, 0.1 % bad rows); return its row count."""
    import datetime as dt

    from silkway.monitor.currency import load_fx
    from silkway.monitor.simulate import simulate, write_log

    per_shipment = 19  # rows of an average simulated shipment on the bundled network
    tables = simulate(
        network,
        shipments=max(1, events // per_shipment),
        seed=1,
        start=dt.date(2025, 7, 1),
        months=12,
        missing=0.01,
        duplicates=0.005,
        bad_rows=0.001,
        fx=load_fx().rates,
    )
    return write_log(tables, path)


@dataclass(frozen=True)
class Figure:
    step: str
    rows: int
    wall_s: float
    cpu_s: float

    @property
    def per_s(self) -> float:
        return self.rows / self.wall_s if self.wall_s > 0 else float("inf")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def timed(step: str, fn: Callable[[], int]) -> Figure:
    """Run ``fn`` and time it."""
    wall, cpu = time.perf_counter(), _cpu()
    rows = fn()
    return Figure(step, rows, time.perf_counter() - wall, _cpu() - cpu)


def generate(path: Path, events: int, network: Network) -> int:
    """Write a synthetic CSV event log of about ``events`` rows; return its row count."""
    db = duckdb.connect()
    db.execute("SET TimeZone = 'UTC'").fetchall()
    crossings = crossing_table(network).to_pandas()
    db.register("crossings", crossings[crossings["mode"].isin(EVENT_MODES)])
    shipments = max(1, events // 5)
    cols = ", ".join(INPUT_COLUMNS)
    db.execute(
        f"""COPY (
        WITH x AS (SELECT row_number() OVER (ORDER BY crossing_id) - 1 AS ci, from_place,
                          to_place, mode FROM crossings),
        s AS (SELECT i AS sid, hash(i) AS h FROM range({shipments}) t(i)),
        t(k, event_type, side, hours, paid) AS (VALUES
            (0, 'departure', 0, 0, false), (1, 'border_entry', 0, 30, false),
            (2, 'payment', 0, 31, true), (3, 'border_exit', 1, 40, false),
            (4, 'arrival', 1, 70, false)),
        e AS (
            SELECT s.sid, t.k,
                'S' || s.sid AS shipment_id,
                t.event_type,
                CASE WHEN t.k = 0 AND s.h % 500 = 0 THEN 'NOWHERE'
                     WHEN t.side = 0 THEN x.from_place ELSE x.to_place END AS place,
                strftime(TIMESTAMPTZ '2025-01-01 00:00:00+00'
                    + to_seconds(CAST((s.h >> 16) % (600 * 86400) AS BIGINT))
                    + to_seconds(t.hours * 3600 + CAST(s.h % 36000 AS BIGINT) * (t.k >= 3)::INT),
                    '%Y-%m-%dT%H:%M:%SZ') AS "timestamp",
                CASE WHEN t.paid THEN NULL ELSE x.mode END AS mode,
                CASE WHEN t.k = 0 THEN 'container' END AS cargo,
                CASE WHEN t.k = 0 THEN CAST(10 + s.h % 15 AS VARCHAR) END AS weight_t,
                CASE WHEN t.paid THEN 'border fee' END AS cost_item,
                CASE WHEN t.paid THEN
                    (['official', 'unofficial'])[CAST(1 + (s.h >> 3) % 2 AS BIGINT)]
                    END AS cost_category,
                CASE WHEN t.paid THEN CAST(50 + s.h % 400 AS VARCHAR) END AS cost_amount,
                CASE WHEN t.paid THEN
                    (['USD', 'EUR', 'CNY', 'KZT'])[CAST(1 + (s.h >> 5) % 4 AS BIGINT)]
                    END AS cost_currency
            FROM s JOIN x ON x.ci = s.h % (SELECT count(*) FROM x) CROSS JOIN t
            UNION ALL  -- a few rows sent twice
            SELECT s.sid, 5, 'S' || s.sid, 'arrival', x.to_place,
                strftime(TIMESTAMPTZ '2025-01-01 00:00:00+00'
                    + to_seconds(CAST((s.h >> 16) % (600 * 86400) AS BIGINT))
                    + to_seconds(70 * 3600 + CAST(s.h % 36000 AS BIGINT)),
                    '%Y-%m-%dT%H:%M:%SZ'), x.mode, NULL, NULL, NULL, NULL, NULL, NULL
            FROM s JOIN x ON x.ci = s.h % (SELECT count(*) FROM x) WHERE s.h % 200 = 1
        )
        SELECT {cols} FROM e ORDER BY sid, k
        ) TO '{path}' (HEADER, DELIMITER ',')"""
    ).fetchall()
    rows = db.execute(f"SELECT count(*) FROM read_csv('{path}', all_varchar = true)").fetchall()
    db.close()
    return int(rows[0][0])


def raw_copy(path: Path, folder: Path) -> int:
    """DuckDB's own ``COPY`` of the file into a table of text columns."""
    db = duckdb.connect(str(folder / "raw.duckdb"))
    cols = ", ".join(f'"{c}" VARCHAR' for c in INPUT_COLUMNS)
    db.execute(f"CREATE TABLE sw_raw ({cols})").fetchall()
    n = db.execute(f"COPY sw_raw FROM '{path}' (HEADER)").fetchall()
    db.close()
    return int(n[0][0])


def main(argv: list[str] | None = None) -> list[Figure]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--file", type=Path, help="an existing event log to use")
    parser.add_argument("--store", help="ingest into this store (default: a fresh DuckDB file)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--simulated",
        action="store_true",
        help="generate the log with silkway monitor simulate's model (every event type)",
    )
    args = parser.parse_args(argv)
    network = load_network()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="silkway-bench-") as tmp:
        folder = Path(tmp)
        path = args.file
        if path is None:
            path = folder / "events.csv"
            make = simulated if args.simulated else generate
            figures.append(timed("generate", lambda: make(path, args.events, network)))
        size = path.stat().st_size
        figures.append(timed("raw COPY (DuckDB)", lambda: raw_copy(path, folder)))
        store = open_store(args.store or folder / "store.duckdb")
        summary = None

        phases: list[tuple[str, float]] = []

        def run_ingest() -> int:
            nonlocal summary
            start = time.perf_counter()
            summary = ingest(
                path,
                store,
                network=network,
                progress=lambda name, _done: phases.append((name, time.perf_counter() - start)),
            )
            return summary.rows_read

        figures.append(timed(f"ingest ({store.kind})", run_ingest))
        for name, step in AFTER_INGEST:
            figures.append(timed(name, lambda step=step: step(store, network)))  # type: ignore[misc]
        store.close()
    print(f"event log: {path.name}, {size / 1e6:,.0f} MB")
    print(f"{'step':<28}{'rows':>14}{'wall s':>10}{'CPU s':>10}{'rows/s':>14}")
    for f in figures:
        print(f"{f.step:<28}{f.rows:>14,}{f.wall_s:>10.1f}{f.cpu_s:>10.1f}{f.per_s:>14,.0f}")
    if summary is not None:
        print(
            f"ingest: {summary.rows_stored:,} stored, {summary.rows_duplicate:,} duplicate, "
            f"{summary.rows_quarantined:,} quarantined {dict(summary.reasons)}"
        )
    print(
        "ingest phases (wall s from its start): "
        + ", ".join(f"{name} {at:.1f}" for name, at in phases)
    )
    copy = next(f for f in figures if f.step.startswith("raw COPY"))
    ing = next(f for f in figures if f.step.startswith("ingest"))
    ratio = ing.per_s / copy.per_s
    verdict = "met" if ratio >= 0.5 else "NOT met"
    print(f"ingest speed / raw COPY speed = {ratio:.2f} (target >= 0.5: {verdict})")
    if ing.cpu_s > 0 and ing.rows == copy.rows:
        # on a shared machine CPU time is the steadier measure of the same ratio
        print(f"by CPU time: raw COPY CPU s / ingest CPU s = {copy.cpu_s / ing.cpu_s:.2f}")
    if args.json:
        args.json.write_text(
            json.dumps([{**asdict(f), "per_s": f.per_s} for f in figures], indent=2),
            encoding="utf-8",
        )
    return figures


if __name__ == "__main__":
    main()
