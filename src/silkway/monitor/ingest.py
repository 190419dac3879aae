"""Ingest an event log into a store: read, validate, store good rows, quarantine bad ones.

:func:`ingest` is idempotent and atomic per file. A file whose bytes (SHA-256) the
store's ``sw_files`` already lists is not read again; events whose ``event_key`` the
store already holds are counted as duplicates. Everything one file writes (its
``sw_files`` row, its events, its quarantined rows, the network tables and distances
its events need) is written in one transaction, so an ingest that fails or is killed
midway leaves the store as it was. On a DuckDB store the rows are validated in the
store's own connection (:func:`silkway.monitor.validate.validate_in`) and the good ones
inserted from there; a PostgreSQL store receives them as Arrow, by ``COPY``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import MonitorError
from .validate import EVENT_COLUMNS

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from ..model.records import Network
    from .currency import FxTable
    from .store import Store

Progress = Callable[[str, float], None]
"""Called with a step's name and the fraction of the file done (0 to 1)."""

PAUSE_ENV = "SILKWAY_TEST_INGEST_PAUSE"
"""Test hook: when set to a path, :func:`ingest` creates that file once the file's
transaction has written its events, then sleeps for a minute before committing (so a
test can kill the process inside the transaction). Never set it otherwise."""


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingest did."""

    path: str
    file_id: str
    """SHA-256 of the file's bytes."""
    rows_read: int
    rows_stored: int
    rows_duplicate: int
    """Rows whose event is already in the store or earlier in the file, and all rows
    of a file ingested before."""
    rows_quarantined: int
    already_ingested: bool = False
    """The store already had this file (by content): nothing was read or written."""
    reasons: tuple[tuple[str, int], ...] = ()
    """Quarantine counts by reason code (``unknown_place`` ...), largest first."""
    seconds: float = 0.0


def file_digest(path: Path) -> str:
    """SHA-256 (hex) of a file's bytes.

    Raises
    ------
    MonitorError
        If the file cannot be read.
    """
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 22):
                digest.update(chunk)
    except OSError as exc:
        raise MonitorError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    return digest.hexdigest()


def ingest(
    path: str | Path,
    store: Store,
    *,
    network: Network,
    fx: FxTable | None = None,
    progress: Progress | None = None,
) -> IngestSummary:
    """Validate an event log and write it to the store, in one transaction.

    Parameters
    ----------
    path
        CSV, JSON Lines or Parquet event log (see :mod:`silkway.monitor.readers`).
    store
        From :func:`silkway.monitor.store.open_store`.
    network
        Places, LOCODEs and crossings the events are checked against; its places,
        crossings and the distances between consecutive places of the events are
        copied to the store.
    fx
        Monthly rates (default: the bundled table, :func:`silkway.monitor.currency.load_fx`).
    progress
        Told of each step (see :data:`Progress`).

    Returns
    -------
    IngestSummary

    Raises
    ------
    MonitorError
        If the file cannot be read as an event log at all.
    StoreError
        If the store fails.
    """
    from .currency import load_fx
    from .network import crossing_ends, place_lookup
    from .readers import log_format, read_events
    from .validate import validate_events, validate_in

    start = time.perf_counter()
    path = Path(path)
    log_format(path)
    step = progress or (lambda _name, _done: None)
    step("hashing", 0.0)
    file_id = file_digest(path)
    known = store.query(
        "SELECT rows_read FROM sw_files WHERE file_id = ?",
        [file_id],
    )
    if known:
        n = int(known[0][0])
        step("done", 1.0)
        return IngestSummary(str(path), file_id, n, 0, n, 0, True, (), time.perf_counter() - start)
    step("reading", 0.05)
    events = read_events(path)
    step("validating", 0.3)
    places, crossings = place_lookup(network), crossing_ends(network)
    rates = fx if fx is not None else load_fx()

    def entries(lone: pa.Table) -> pa.Table:
        return _stored_entries(store, lone)

    con = store.embedded_connection()
    if con is None:
        validated = validate_events(
            events, places=places, crossings=crossings, fx=rates, store_entries=entries
        )
        step("storing", 0.6)
        with store.transaction():
            stored = _store_events(store, validated.good, file_id)
            checked = Checked(
                validated.good.num_rows, validated.quarantine, validated.duplicates, validated.legs
            )
            summary = _finish(store, network, path, file_id, events.num_rows, stored, checked, step)
    else:
        # DuckDB: validate in the store's own connection; the good rows never leave it
        with validate_in(
            con, events, places=places, crossings=crossings, fx=rates, store_entries=entries
        ) as staged:
            step("storing", 0.6)
            with store.transaction():
                stored = _store_staged(store, staged.good, file_id)
                checked = Checked(
                    staged.good_rows, staged.quarantine, staged.duplicates, staged.legs
                )
                summary = _finish(
                    store, network, path, file_id, events.num_rows, stored, checked, step
                )
    step("done", 1.0)
    return dataclasses.replace(summary, seconds=time.perf_counter() - start)


def _store_events(store: Store, good: pa.Table, file_id: str) -> int:
    """Insert the events the store lacks (by event key); return how many."""
    import pyarrow as pa

    staged = good.add_column(
        1, "file_id", pa.repeat(pa.scalar(file_id, pa.string()), good.num_rows)
    )
    return store.insert_new("sw_events", staged, key="event_key")


def _store_staged(store: Store, good: str, file_id: str) -> int:
    """As :func:`_store_events`, from the view ``good`` of the store's DuckDB connection."""
    store.execute(
        "CREATE OR REPLACE TEMP VIEW sw_i_good AS "
        f"SELECT '{file_id}' AS file_id, * FROM {good}"  # file_id: hex digits
    )
    try:
        return store.insert_new("sw_events", "sw_i_good", key="event_key", columns=_INSERTED)
    finally:
        store.execute("DROP VIEW IF EXISTS sw_i_good")


_INSERTED = ("file_id", *EVENT_COLUMNS)


@dataclass(frozen=True, slots=True)
class Checked:
    """What validation found, whichever way the good rows travel."""

    good_rows: int
    quarantine: pa.Table
    duplicates: int
    legs: pa.Table


def _finish(
    store: Store,
    network: Network,
    path: Path,
    file_id: str,
    read: int,
    stored: int,
    checked: Checked,
    step: Progress,
) -> IngestSummary:
    """Inside the file's transaction, after its events: quarantine, network tables,
    the ``sw_files`` row (then the test pause)."""
    step("quarantining", 0.85)
    q = checked.quarantine
    if q.num_rows:
        import pyarrow as pa

        q = q.add_column(0, "file_id", pa.repeat(pa.scalar(file_id, pa.string()), q.num_rows))
        store.load_arrow("sw_quarantine", q)
    legs = checked.legs.to_pylist()
    store.sync_network(network, pairs=[(r["from_place"], r["to_place"], r["mode"]) for r in legs])
    duplicate = checked.duplicates + checked.good_rows - stored
    store.execute(
        "INSERT INTO sw_files (file_id, path, ingested_at, rows_read, rows_stored, "
        "rows_duplicate, rows_quarantined) VALUES (?, ?, CURRENT_TIMESTAMP, ?, ?, ?, ?)",
        [file_id, str(path), read, stored, duplicate, int(q.num_rows)],
    )
    _pause_for_tests()
    return IngestSummary(
        str(path),
        file_id,
        read,
        stored,
        duplicate,
        int(q.num_rows),
        False,
        _reason_counts(checked.quarantine),
    )


def _stored_entries(store: Store, lone: pa.Table) -> pa.Table:
    """The store's border entries of the shipments in ``lone``."""
    import pyarrow as pa

    ids = sorted(set(lone.column("shipment_id").to_pylist()))
    parts = []
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ", ".join("?" * len(chunk))
        parts.append(
            store.query_arrow(
                "SELECT shipment_id, place_id, ts FROM sw_events "
                f"WHERE event_type = 'border_entry' AND shipment_id IN ({marks})",
                chunk,
            )
        )
    parts = [p for p in parts if p.num_rows]
    if not parts:
        return pa.table({"shipment_id": pa.array([], pa.string())})
    return pa.concat_tables(parts, promote_options="permissive")


def _reason_counts(quarantine: pa.Table) -> tuple[tuple[str, int], ...]:
    counts: dict[str, int] = {}
    for reason in quarantine.column("reason").to_pylist():
        code = str(reason).split(":", 1)[0]
        counts[code] = counts.get(code, 0) + 1
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _pause_for_tests() -> None:
    marker = os.environ.get(PAUSE_ENV)
    if marker:
        Path(marker).write_text("in transaction\n", encoding="utf-8")
        time.sleep(60)
