"""Ingest on both stores: every quarantine reason, duplicates, idempotency, atomicity."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from _monitor_events import Row, event, trip, trips, write_csv, write_fx

from silkway.model.records import Network
from silkway.monitor.currency import load_fx
from silkway.monitor.ingest import PAUSE_ENV, ingest
from silkway.monitor.store import Store, open_store

T0 = datetime(2026, 3, 2, tzinfo=UTC)
SRC = Path(__file__).resolve().parents[2] / "src"


def _ingest(store: Store, tmp_path: Path, rows: list[Row], net: Network, name: str = "log.csv"):
    return ingest(
        write_csv(tmp_path / name, rows),
        store,
        network=net,
        fx=load_fx(write_fx(tmp_path / "fx.csv")),
    )


def _quarantine(store: Store) -> list[tuple[int, str, str, str]]:
    rows = store.query(
        "SELECT row_number, field, reason, raw FROM sw_quarantine ORDER BY row_number"
    )
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3])) for r in rows]


def _bad(**fields: str) -> Row:
    """A row of shipment X9 that is fine but for ``fields``."""
    row = event("X9", "departure", "A", "2026-03-03T10:00:00+06:00", mode="rail")
    row.update(fields)
    return row


def _pay(**fields: str) -> Row:
    row = event(
        "X9",
        "payment",
        "B",
        "2026-03-03T10:00:00Z",
        cost_item="fee",
        cost_category="official",
        cost_amount="100",
        cost_currency="KZT",
    )
    row.update(fields)
    return row


CASES = {
    "no shipment id": ([_bad(shipment_id="")], "shipment_id", "missing"),
    "no event type": ([_bad(event_type=" ")], "event_type", "missing"),
    "no place": ([_bad(place="")], "place", "missing"),
    "no timestamp": ([_bad(timestamp="")], "timestamp", "missing"),
    "unknown event type": ([_bad(event_type="dparture")], "event_type", "unknown_event_type"),
    "no time zone": ([_bad(timestamp="2026-03-03T10:00:00")], "timestamp", "missing_time_zone"),
    "date only": ([_bad(timestamp="2026-03-03")], "timestamp", "missing_time_zone"),
    "bad day": ([_bad(timestamp="2026-03-45T10:00:00Z")], "timestamp", "malformed_timestamp"),
    "not a time": ([_bad(timestamp="yesterday noon")], "timestamp", "malformed_timestamp"),
    "zone name": (
        [_bad(timestamp="2026-03-03T10:00:00 Asia/Almaty")],
        "timestamp",
        "malformed_timestamp",
    ),
    "unknown place": ([_bad(place="KZZZZ")], "place", "unknown_place"),
    "unknown mode": ([_bad(mode="truck")], "mode", "unknown_mode"),
    "bad weight": ([_bad(weight_t="heavy")], "weight_t", "malformed_number"),
    "negative weight": ([_bad(weight_t="-1")], "weight_t", "negative_weight"),
    "negative cost": ([_pay(cost_amount="-5")], "cost_amount", "negative_cost"),
    "bad amount": ([_pay(cost_amount="1,000")], "cost_amount", "malformed_number"),
    "payment without amount": ([_pay(cost_amount="")], "cost_amount", "missing"),
    "no currency": ([_pay(cost_currency="")], "cost_currency", "missing"),
    "unknown currency": ([_pay(cost_currency="XXX")], "cost_currency", "unknown_currency"),
    "month without rate": (
        [_pay(timestamp="2026-04-03T10:00:00Z")],
        "cost_currency",
        "no_rate_for_month",
    ),
    "no category": ([_pay(cost_category="")], "cost_category", "missing"),
    "unknown category": ([_pay(cost_category="bribe")], "cost_category", "unknown_cost_category"),
    "out of order": (
        [_bad(timestamp="2026-03-05T00:00:00Z"), _bad(event_type="arrival", place="D")],
        "timestamp",
        "out_of_order",
    ),
    "exit without entry": (
        [_bad(event_type="border_exit", place="C")],
        "event_type",
        "border_exit_without_entry",
    ),
    "exit after the wrong crossing": (
        [
            _bad(event_type="border_entry", place="C"),
            _bad(event_type="border_exit", place="C", timestamp="2026-03-04T00:00:00Z"),
        ],
        "event_type",
        "border_exit_without_entry",
    ),
}


def test_every_bad_row_is_quarantined_with_its_reason(
    store: Store, tmp_path: Path, tiny_network: Network
) -> None:
    """One file holds a valid trip and every case of CASES, each its own shipment."""
    rows = trip("S1", T0)
    last_row: dict[str, int] = {}
    for i, (bad_rows, _, _) in enumerate(CASES.values()):
        for row in bad_rows:
            if row["shipment_id"]:
                row["shipment_id"] = f"X{i}"
            rows.append(row)
        last_row[str(len(rows))] = i
    summary = _ingest(store, tmp_path, rows, tiny_network)
    assert (summary.rows_read, summary.rows_quarantined) == (len(rows), len(CASES))
    assert summary.rows_stored == len(rows) - len(CASES)
    got = {}
    for row_number, field, reason, raw in _quarantine(store):
        case = list(CASES)[last_row[str(row_number)]]  # the last row of each case is bad
        got[case] = (field, reason.split(":", 1)[0])
        # nothing is lost: the raw row comes back whole
        assert {k: v or "" for k, v in json.loads(raw).items()} == rows[row_number - 1]
    assert got == {case: (field, code) for case, (_, field, code) in CASES.items()}
    codes = [code for _, _, code in CASES.values()]
    assert dict(summary.reasons) == {c: codes.count(c) for c in set(codes)}


def test_allowed_sequences(store: Store, tmp_path: Path, tiny_network: Network) -> None:
    """Payments may be recorded out of time order; equal timestamps are in order."""
    rows = trip("S1", T0)
    rows.insert(
        1,
        event(
            "S1",
            "payment",
            "A",
            "2026-03-01T00:00:00Z",
            cost_item="x",
            cost_category="unofficial",
            cost_amount="10",
            cost_currency="usd",
        ),
    )
    rows.append(event("S1", "gate_out", "D", rows[-1]["timestamp"]))
    summary = _ingest(store, tmp_path, rows, tiny_network)
    assert (summary.rows_stored, summary.rows_quarantined) == (len(rows), 0)


def test_costs_are_converted_at_the_month_rate(
    store: Store, tmp_path: Path, tiny_network: Network
) -> None:
    rows = [
        *trip("S1", T0, fee_kzt="5000"),
        _pay(cost_amount="8", cost_currency="EUR"),
        _pay(cost_amount="12.5", cost_currency=" usd "),
    ]
    _ingest(store, tmp_path, rows, tiny_network)
    got = store.query(
        "SELECT cost_amount, cost_currency, cost_usd FROM sw_events "
        "WHERE cost_amount IS NOT NULL ORDER BY row_number"
    )
    # KZT 500 and EUR 0.8 per USD (tests/monitor/_events.py FX)
    assert [(float(a), c, pytest.approx(u)) for a, c, u in got] == [
        (5000.0, "KZT", 10.0),
        (8.0, "EUR", 10.0),
        (12.5, "USD", 12.5),
    ]


def test_locodes_resolve_to_place_ids(store: Store, tmp_path: Path, tiny_network: Network) -> None:
    places = dict(tiny_network.places)
    places["D"] = dataclasses.replace(places["D"], locode="KZ DDD")
    net = dataclasses.replace(tiny_network, places=places)
    rows = trip("S1", T0)
    rows[-1]["place"] = "kzddd"
    rows.append(event("S2", "departure", "KZ DDD", "2026-03-05T00:00:00Z"))
    rows.append(event("S3", "departure", "KZDDX", "2026-03-05T00:00:00Z"))
    summary = _ingest(store, tmp_path, rows, net)
    assert summary.rows_quarantined == 1
    got = store.query(
        "SELECT shipment_id, place_id FROM sw_events WHERE event_type IN "
        "('arrival', 'departure') ORDER BY shipment_id, place_id"
    )
    assert got == [("S1", "A"), ("S1", "D"), ("S2", "D")]
    assert store.query("SELECT locode FROM sw_places WHERE place_id = 'D'") == [("KZDDD",)]


def test_ingest_is_idempotent(store: Store, tmp_path: Path, tiny_network: Network) -> None:
    rows = [*trips(20), _bad(place="nowhere")]
    first = _ingest(store, tmp_path, rows, tiny_network)
    assert (first.rows_stored, first.rows_quarantined) == (100, 1)
    before = _dump(store)
    again = _ingest(store, tmp_path, rows, tiny_network)
    assert again.already_ingested
    assert (again.rows_read, again.rows_stored, again.rows_duplicate) == (101, 0, 101)
    assert _dump(store) == before
    # the same events in another file (another order, more rows): only the new ones
    more = sorted(trips(20), key=lambda r: r["shipment_id"], reverse=True) + trip("NEW", T0)
    other = _ingest(store, tmp_path, more, tiny_network, "other.csv")
    assert (other.rows_stored, other.rows_duplicate) == (5, 100)


def test_duplicates_within_a_file(store: Store, tmp_path: Path, tiny_network: Network) -> None:
    rows = trip("S1", T0) + trip("S1", T0)[1:3]
    summary = _ingest(store, tmp_path, rows, tiny_network)
    assert (summary.rows_stored, summary.rows_duplicate, summary.rows_quarantined) == (5, 2, 0)
    rows = store.query("SELECT file_id, rows_read, rows_stored, rows_duplicate FROM sw_files")
    assert [r[1:] for r in rows] == [(7, 5, 2)]


def test_border_entry_already_in_the_store(
    store: Store, tmp_path: Path, tiny_network: Network
) -> None:
    rows = trip("S1", T0)
    _ingest(store, tmp_path, rows[:3], tiny_network, "part1.csv")
    summary = _ingest(store, tmp_path, rows[3:], tiny_network, "part2.csv")
    assert (summary.rows_stored, summary.rows_quarantined) == (2, 0)
    late = [event("S1", "border_exit", "C", "2026-03-01T00:00:00Z")]  # before its entry
    summary = _ingest(store, tmp_path, late, tiny_network, "part3.csv")
    assert summary.reasons == (("border_exit_without_entry", 1),)


def test_distances_of_the_legs(store: Store, tmp_path: Path, tiny_network: Network) -> None:
    _ingest(store, tmp_path, trip("S1", T0), tiny_network)
    got = store.query("SELECT from_place, to_place, mode, km FROM sw_distances ORDER BY 1, 2")
    # tiny network: AB 200 km, BC 100 km, CD 300 km, all rail
    assert [(a, b, m, float(k)) for a, b, m, k in got] == [
        ("A", "B", "rail", 200.0),
        ("B", "C", "rail", 100.0),
        ("C", "D", "rail", 300.0),
    ]


def _dump(store: Store) -> dict[str, list[tuple[object, ...]]]:
    tables = {
        "sw_events": "event_key",
        "sw_quarantine": "file_id, row_number",
        "sw_files": "file_id",
        "sw_places": "place_id",
        "sw_crossings": "crossing_id",
        "sw_distances": "from_place, to_place, mode",
    }
    return {t: store.query(f"SELECT * FROM {t} ORDER BY {k}") for t, k in tables.items()}


def test_a_killed_ingest_leaves_the_store_as_it_was(
    store_url: str, tmp_path: Path, tiny_network: Network, tiny_path: Path
) -> None:
    fx = write_fx(tmp_path / "fx.csv")
    with open_store(store_url) as s:
        ingest(
            write_csv(tmp_path / "first.csv", trips(10)), s, network=tiny_network, fx=load_fx(fx)
        )
        before = _dump(s)
    big = write_csv(tmp_path / "big.csv", [*trips(4000, prefix="B"), _bad(place="nowhere")])
    marker = tmp_path / "in-transaction"
    env = {**os.environ, PAUSE_ENV: str(marker), "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "silkway",
            "monitor",
            "ingest",
            str(big),
            "--store",
            store_url,
            "--network",
            str(tiny_path),
            "--fx",
            str(fx),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not marker.exists():
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            assert time.monotonic() < deadline, "the ingest never reached its transaction"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    if store_url.startswith("postgresql"):
        time.sleep(0.5)  # the server notices the lost connection and rolls back
    with open_store(store_url) as s:
        assert _dump(s) == before
        # and the file can be ingested afterwards, whole
        summary = ingest(big, s, network=tiny_network, fx=load_fx(fx))
        assert (summary.rows_stored, summary.rows_quarantined) == (20000, 1)
