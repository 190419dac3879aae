"""The event key of the store's contract, recomputed independently in Python."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _monitor_events import Row, event, trip, write_csv, write_fx

from silkway.model.records import Network
from silkway.monitor.currency import load_fx
from silkway.monitor.ingest import ingest
from silkway.monitor.store import Store

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _expected_key(row: Row, place_id: str) -> uuid.UUID:
    """``EVENT_KEY_SQL`` as its docstring states it, from the raw input row."""
    when = datetime.fromisoformat(row["timestamp"].strip().replace("Z", "+00:00"))
    amount = row["cost_amount"].strip()
    identity = "|".join(
        [
            row["shipment_id"].strip(),
            row["event_type"].strip().lower(),
            place_id,
            str((when - EPOCH) // timedelta(microseconds=1)),
            row["cost_item"].strip(),
            repr(float(amount)) if amount else "",
            row["cost_currency"].strip().upper(),
        ]
    )
    return uuid.UUID(bytes=hashlib.md5(identity.encode()).digest()[::-1])


def test_event_keys_match_their_definition(
    store: Store, tmp_path: Path, tiny_network: Network
) -> None:
    rows = trip("S1", datetime(2026, 3, 2, 6, 30, 15, 250000, tzinfo=UTC), fee_kzt="5000")
    rows += [
        event("S2", "Departure", "A", "2026-03-03T10:00:00+06:00", mode="rail"),
        event(
            "S2",
            "payment",
            "A",
            "2026-03-03T05:00:00.5Z",
            cost_item="escort",
            cost_category="unofficial",
            cost_amount="12.5",
            cost_currency=" usd ",
        ),
        event(
            "S2",
            "payment",
            "A",
            "2026-03-03T05:00:00.5Z",
            cost_category="official",
            cost_amount="0.1",
            cost_currency="EUR",
        ),
    ]
    ingest(
        write_csv(tmp_path / "log.csv", rows),
        store,
        network=tiny_network,
        fx=load_fx(write_fx(tmp_path / "fx.csv")),
    )
    got = store.query("SELECT row_number, place_id, event_key FROM sw_events ORDER BY row_number")
    assert [int(r[0]) for r in got] == list(range(1, len(rows) + 1))
    for row_number, place_id, key in got:
        assert uuid.UUID(str(key)) == _expected_key(rows[int(row_number) - 1], str(place_id))
    # the two drivers return the column as UUIDs, and every key is distinct
    assert all(isinstance(r[2], uuid.UUID) for r in got)
    assert len({r[2] for r in got}) == len(rows)
