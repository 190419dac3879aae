"""Row validation of an event log: good rows for the store, bad rows for quarantine.

All checks run as vectorised SQL in DuckDB over the Arrow table a reader returns
(:func:`silkway.monitor.readers.read_events`): in an in-memory database
(:func:`validate_events`), or in a DuckDB store's own connection (:func:`validate_in`).
A row fails at its first problem, in this order, and is quarantined with the ``field``
concerned and a ``reason`` that starts with a stable code (``code: detail``):

``missing``
    a required field (shipment id, event type, place, timestamp) is empty; or a
    row with a cost lacks its amount, category or currency.
``unknown_event_type``
    not one of :data:`silkway.monitor.schema.EVENT_TYPES` (case is ignored).
``missing_time_zone`` / ``malformed_timestamp``
    the timestamp is not ISO 8601 with a UTC offset or ``Z``: a date and time
    without an offset, or no valid date and time at all.
``unknown_place``
    neither a place id of the network nor the UN/LOCODE of one of its places
    (``KZALA`` or ``KZ ALA``, upper or lower case); LOCODEs are resolved to place ids.
``unknown_mode`` / ``unknown_cost_category``
    not one of :data:`~silkway.monitor.schema.EVENT_MODES` /
    :data:`~silkway.monitor.schema.COST_CATEGORIES`.
``malformed_number`` / ``negative_weight`` / ``negative_cost``
    a weight or cost amount that is not a finite number, or is below zero.
``unknown_currency`` / ``no_rate_for_month``
    the rate table has no such currency, or no rate for it in the event's month (UTC).
``out_of_order``
    within a shipment, in the file's order, a movement event (any type but
    ``payment``) whose timestamp is earlier than that of an earlier movement event of
    the shipment. Payments may be recorded at any time.
``border_exit_without_entry``
    a ``border_exit`` at a place with no earlier ``border_entry`` of the same
    shipment at the entry side of a crossing that leaves into that place (the
    convention of :data:`~silkway.monitor.schema.BORDER_PAIR`) — earlier in the file,
    or already in the store.

A row has a cost when it is a ``payment`` or gives any cost column. Rows that pass
every check are identified by their ``event_key`` (see
:data:`silkway.monitor.schema.EVENT_KEY_SQL`); a row whose key an earlier row of the file
already has is a duplicate (counted, neither stored nor quarantined) and takes no part
in the sequence checks.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .network import ANY_MODE
from .schema import COST_CATEGORIES, EVENT_KEY_SQL, EVENT_MODES, EVENT_TYPES, INPUT_COLUMNS

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa  # type: ignore[import-untyped]

    from .currency import FxTable

EVENT_COLUMNS: tuple[str, ...] = (
    "event_key",
    "shipment_id",
    "event_type",
    "place_id",
    "ts",
    "mode",
    "cargo",
    "weight_t",
    "cost_item",
    "cost_category",
    "cost_amount",
    "cost_currency",
    "cost_usd",
    "row_number",
)
"""Columns of :attr:`Validated.good`: those of ``sw_events`` but ``file_id``."""

StoreEntries = Callable[["pa.Table"], "pa.Table"]
"""Given border exits still without an entry (``shipment_id``, ``place_id``, ``ts``),
return the store's ``border_entry`` events of those shipments (``shipment_id``,
``place_id``, ``ts``)."""

_TS_OFFSET = r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)? ?(Z|z|[+-]\d{2}(:?\d{2})?)"
_TS_NAIVE = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?"


@dataclass(frozen=True, slots=True)
class Validated:
    """The outcome of :func:`validate_events`."""

    good: pa.Table
    """Rows to store, columns :data:`EVENT_COLUMNS`, one per event key, in no particular
    order (``row_number`` tells the file's)."""
    quarantine: pa.Table
    """Rejected rows: ``row_number``, ``field``, ``reason``, ``raw`` (the row as JSON)."""
    duplicates: int
    """Rows whose event key an earlier row of the file has."""
    legs: pa.Table
    """Consecutive (``from_place``, ``to_place``, ``mode``) of each shipment's
    movement events, distinct; ``mode`` is the first event's, or ``any``."""


@dataclass(frozen=True, slots=True)
class Staged:
    """The outcome of :func:`validate_in`: :class:`Validated` with the good rows left in
    the connection."""

    good: str
    """Name of a temporary view of the connection: the good rows, columns
    :data:`EVENT_COLUMNS`."""
    good_rows: int
    """How many rows :attr:`good` has."""
    quarantine: pa.Table
    """As :attr:`Validated.quarantine`."""
    duplicates: int
    """As :attr:`Validated.duplicates`."""
    legs: pa.Table
    """As :attr:`Validated.legs`."""


def _sql_list(values: tuple[str, ...] | list[str]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def validate_events(
    events: pa.Table,
    *,
    places: dict[str, str],
    crossings: pa.Table,
    fx: FxTable,
    store_entries: StoreEntries | None = None,
    con: duckdb.DuckDBPyConnection | None = None,
) -> Validated:
    """Validate the rows of an event log.

    Parameters
    ----------
    events
        As :func:`~silkway.monitor.readers.read_events` returns it.
    places
        How places may be named -> place id (:func:`silkway.monitor.network.place_lookup`).
    crossings
        Entry and exit place of each crossing (``from_place``, ``to_place``;
        :func:`silkway.monitor.network.crossing_ends`).
    fx
        Monthly rates; costs in other currencies or months are quarantined.
    store_entries
        Looks up border entries already stored (see :data:`StoreEntries`); ``None``:
        only the file's own entries count.
    con
        DuckDB connection to compute in (default: a new in-memory one); its time zone
        is set to UTC and its results need not keep insertion order.

    Returns
    -------
    Validated
    """
    import duckdb

    own = con is None
    db = duckdb.connect() if con is None else con
    try:
        with validate_in(
            db, events, places=places, crossings=crossings, fx=fx, store_entries=store_entries
        ) as staged:
            good = db.sql(f"SELECT * FROM {staged.good}").to_arrow_table()
            return Validated(good, staged.quarantine, staged.duplicates, staged.legs)
    finally:
        if own:
            db.close()


@contextlib.contextmanager
def validate_in(
    con: duckdb.DuckDBPyConnection,
    events: pa.Table,
    *,
    places: dict[str, str],
    crossings: pa.Table,
    fx: FxTable,
    store_entries: StoreEntries | None = None,
) -> Iterator[Staged]:
    """Validate the rows of an event log in ``con`` and leave the good rows there.

    As :func:`validate_events`, but the good rows are not exported: they are the
    temporary view :attr:`Staged.good` of ``con`` until the block ends, so a DuckDB
    store can insert them without a round trip through Arrow. The block runs with the
    connection's time zone UTC and without insertion order kept; its settings and
    temporary tables are restored and dropped when the block ends.
    """
    import pyarrow as pa

    settings = ("TimeZone", "enable_progress_bar", "preserve_insertion_order")
    before = con.execute(
        "SELECT " + ", ".join(f"current_setting('{name}')" for name in settings)
    ).fetchall()[0]
    registered: list[str] = []
    try:
        con.execute("SET TimeZone = 'UTC'").fetchall()
        con.execute("SET enable_progress_bar = false").fetchall()
        # row_number carries the file's order: the engine need not keep it
        con.execute("SET preserve_insertion_order = false").fetchall()
        place_map = pa.table(
            {"key": pa.array(list(places), pa.string()), "pid": pa.array(list(places.values()))}
        )
        for name, table in (
            ("sw_v_in", events),
            ("sw_v_places", place_map),
            ("sw_v_fx", fx.arrow()),
            ("sw_v_cross", crossings),
        ):
            con.register(name, table)
            registered.append(name)
        con.execute(_checks_sql()).fetchall()
        for statement in _sequence_sql():
            con.execute(statement).fetchall()
        _store_exits(con, store_entries)
        # rows that passed the row checks but are dropped: duplicates, sequence problems
        con.execute(
            "CREATE OR REPLACE TEMP VIEW sw_v_good AS SELECT "
            + ", ".join(EVENT_COLUMNS)
            + " FROM sw_v_chk WHERE problem IS NULL AND row_number NOT IN "
            "(SELECT row_number FROM sw_v_dup UNION ALL SELECT row_number FROM sw_v_bad)"
        ).fetchall()
        raw = ", ".join(f'"{c}" := i."{c}"' for c in INPUT_COLUMNS)
        quarantine = con.sql(
            f"""SELECT b.row_number, b.field, b.reason, to_json(struct_pack({raw}))::VARCHAR AS raw
            FROM (SELECT row_number, problem.f AS field, problem.r AS reason FROM sw_v_chk
                  WHERE problem IS NOT NULL
                  UNION ALL
                  SELECT row_number, problem.f, problem.r FROM sw_v_bad) b
            JOIN sw_v_in i USING (row_number)
            ORDER BY b.row_number"""
        ).to_arrow_table()
        counts = con.execute(
            "SELECT (SELECT count(*) FROM sw_v_chk WHERE problem IS NULL), "
            "(SELECT count(*) FROM sw_v_dup), (SELECT count(*) FROM sw_v_bad)"
        ).fetchall()[0]
        legs = con.sql(_legs_sql()).to_arrow_table()
        good_rows = int(counts[0]) - int(counts[1]) - int(counts[2])
        yield Staged("sw_v_good", good_rows, quarantine, int(counts[1]), legs)
    finally:
        con.execute("DROP VIEW IF EXISTS sw_v_good").fetchall()
        for name in ("sw_v_bad", "sw_v_mv", "sw_v_dup", "sw_v_chk"):
            con.execute(f"DROP TABLE IF EXISTS {name}").fetchall()
        for name in registered:
            con.unregister(name)
        for name, value in zip(settings, before, strict=True):
            con.execute(f"SET {name} = {_sql_value(value)}").fetchall()


def _sql_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "'" + str(value).replace("'", "''") + "'"


def _trimmed(column: str, case: str = "") -> str:
    """SQL for a text column without surrounding white space (as DuckDB's ``trim``),
    null if empty, optionally ``lower``- or ``upper``-cased. Most cells have nothing
    to trim: plain ASCII that neither starts nor ends with a space is taken as it is,
    which skips ``trim``'s copy."""
    plain = (
        f"{column} >= '!' AND {column} < chr(127) AND NOT ends_with({column}, ' ') "
        f"AND strlen({column}) = length({column})"
    )
    text = f"CASE WHEN {plain} THEN {column} ELSE trim({column}) END"
    return f"nullif({case}({text}), '')" if case else f"nullif({text}, '')"


def _checks_sql() -> str:
    """The row checks: ``sw_v_chk`` with parsed values, the event key and ``problem``
    (a struct of field and reason) or null."""
    types = _sql_list(list(EVENT_TYPES))
    modes = _sql_list(EVENT_MODES)
    cats = _sql_list(COST_CATEGORIES)
    key = EVENT_KEY_SQL.format(
        shipment_id="sid",
        event_type="et",
        place_id="pid",
        ts="t",
        cost_item="item",
        cost_amount="amt",
        cost_currency="cur",
    )
    return f"""
    CREATE OR REPLACE TEMP TABLE sw_v_chk AS
    WITH p AS (
        SELECT row_number,
            {_trimmed("shipment_id")} AS sid,
            {_trimmed("event_type", "lower")} AS et,
            {_trimmed("place")} AS place_raw,
            {_trimmed('"timestamp"')} AS ts_txt,
            {_trimmed("mode", "lower")} AS md,
            {_trimmed("cargo")} AS cg,
            {_trimmed("weight_t")} AS w_txt,
            {_trimmed("cost_item")} AS item,
            {_trimmed("cost_category", "lower")} AS cat,
            {_trimmed("cost_amount")} AS amt_txt,
            {_trimmed("cost_currency", "upper")} AS cur
        FROM sw_v_in
    ), q AS (
        SELECT p.*,
            pl.pid AS pid,
            CASE WHEN regexp_full_match(ts_txt, '{_TS_OFFSET}')
                 THEN try_cast(ts_txt AS TIMESTAMPTZ) END AS t,
            try_cast(w_txt AS DOUBLE) AS w,
            try_cast(amt_txt AS DOUBLE) AS amt,
            (et = 'payment' OR item IS NOT NULL OR cat IS NOT NULL OR amt_txt IS NOT NULL
             OR cur IS NOT NULL) AS has_cost
        FROM p
        LEFT JOIN sw_v_places pl ON pl.key = p.place_raw
    ), r AS (
        SELECT q.*, fx.units_per_usd AS per_usd, known.currency AS known_cur
        FROM q
        LEFT JOIN sw_v_fx fx ON fx.currency = q.cur
            AND fx.month = CASE WHEN q.cur IS NOT NULL THEN strftime(q.t, '%Y-%m') END
        LEFT JOIN (SELECT DISTINCT currency FROM sw_v_fx) known ON known.currency = q.cur
    )
    SELECT row_number, sid AS shipment_id, et AS event_type, pid AS place_id, t AS ts,
        md AS mode, cg AS cargo, w AS weight_t, item AS cost_item, cat AS cost_category,
        amt AS cost_amount, cur AS cost_currency, amt / per_usd AS cost_usd,
        CASE
        WHEN sid IS NULL THEN {{'f': 'shipment_id', 'r': 'missing: the shipment id is empty'}}
        WHEN et IS NULL THEN {{'f': 'event_type', 'r': 'missing: the event type is empty'}}
        WHEN place_raw IS NULL THEN {{'f': 'place', 'r': 'missing: the place is empty'}}
        WHEN ts_txt IS NULL THEN {{'f': 'timestamp', 'r': 'missing: the timestamp is empty'}}
        WHEN et NOT IN {types} THEN {{'f': 'event_type',
            'r': 'unknown_event_type: ' || et || ' is not in the vocabulary'}}
        WHEN t IS NULL AND regexp_full_match(ts_txt, '{_TS_NAIVE}') THEN {{'f': 'timestamp',
            'r': 'missing_time_zone: ' || ts_txt || ' has no UTC offset (add Z or +HH:MM)'}}
        WHEN t IS NULL THEN {{'f': 'timestamp',
            'r': 'malformed_timestamp: ' || ts_txt || ' is not ISO 8601 with an offset'}}
        WHEN pid IS NULL THEN {{'f': 'place',
            'r': 'unknown_place: ' || place_raw
                 || ' is neither a place id nor a UN/LOCODE of the network'}}
        WHEN md IS NOT NULL AND md NOT IN {modes} THEN {{'f': 'mode',
            'r': 'unknown_mode: ' || md || ' is not one of {", ".join(EVENT_MODES)}'}}
        WHEN w_txt IS NOT NULL AND (w IS NULL OR NOT isfinite(w)) THEN {{'f': 'weight_t',
            'r': 'malformed_number: ' || w_txt || ' is not a number'}}
        WHEN w < 0 THEN {{'f': 'weight_t', 'r': 'negative_weight: ' || w_txt || ' is below zero'}}
        WHEN has_cost AND amt_txt IS NULL THEN {{'f': 'cost_amount',
            'r': 'missing: a row with a cost needs its amount'}}
        WHEN has_cost AND (amt IS NULL OR NOT isfinite(amt)) THEN {{'f': 'cost_amount',
            'r': 'malformed_number: ' || amt_txt || ' is not a number'}}
        WHEN amt < 0 THEN {{'f': 'cost_amount',
            'r': 'negative_cost: ' || amt_txt || ' is below zero'}}
        WHEN has_cost AND cat IS NULL THEN {{'f': 'cost_category',
            'r': 'missing: a row with a cost needs its category ({", ".join(COST_CATEGORIES)})'}}
        WHEN has_cost AND cat NOT IN {cats} THEN {{'f': 'cost_category',
            'r': 'unknown_cost_category: ' || cat || ' is not one of {", ".join(COST_CATEGORIES)}'}}
        WHEN has_cost AND cur IS NULL THEN {{'f': 'cost_currency',
            'r': 'missing: a row with a cost needs its currency'}}
        WHEN has_cost AND known_cur IS NULL THEN {{'f': 'cost_currency',
            'r': 'unknown_currency: ' || cur || ' is not in the rate table'}}
        WHEN has_cost AND per_usd IS NULL THEN {{'f': 'cost_currency',
            'r': 'no_rate_for_month: the rate table has no ' || cur || ' rate for '
                 || strftime(t, '%Y-%m')}}
        END AS problem,
        CASE WHEN problem IS NULL THEN {key} END AS event_key
    FROM r
    """


def _sequence_sql() -> tuple[str, ...]:
    """The duplicates and the sequence checks, on narrow tables.

    ``sw_v_dup``: rows whose event key an earlier good row has. ``sw_v_mv``: the other
    good movement events (not payments), with ``late`` (out of order) and ``nxt`` (the
    next movement event's place in row order), from one window pass: a row is late when
    its time is below the running maximum of its shipment's times up to it (which
    includes its own, so that is the same as below the maximum of the earlier ones; a
    running maximum is cheaper than a frame that stops before the row). ``sw_v_bad``:
    row, shipment, place, time and problem of the rows out of order and of the border
    exits without an entry (an anti-join, cheaper than the correlated ``NOT EXISTS`` it
    equals)."""
    first = "problem IS NULL AND row_number NOT IN (SELECT row_number FROM sw_v_dup)"
    shipment = "PARTITION BY shipment_id ORDER BY row_number"
    return (
        """CREATE OR REPLACE TEMP TABLE sw_v_dup AS
        SELECT c.row_number FROM sw_v_chk c
        JOIN (SELECT event_key, min(row_number) AS first FROM sw_v_chk
              WHERE problem IS NULL GROUP BY event_key HAVING count(*) > 1) d
            ON c.event_key = d.event_key AND c.row_number > d.first""",
        f"""CREATE OR REPLACE TEMP TABLE sw_v_mv AS
        SELECT row_number, shipment_id, event_type, place_id, ts, mode,
            ts < max(ts) OVER ({shipment} ROWS UNBOUNDED PRECEDING) AS late,
            lead(place_id) OVER ({shipment}) AS nxt
        FROM sw_v_chk WHERE {first} AND event_type <> 'payment'""",
        """CREATE OR REPLACE TEMP TABLE sw_v_bad AS
        SELECT row_number, shipment_id, place_id, ts, {'f': 'timestamp',
            'r': 'out_of_order: earlier than an earlier event of shipment ' || shipment_id}
            AS problem
        FROM sw_v_mv WHERE late""",
        """INSERT INTO sw_v_bad
        SELECT o.row_number, o.shipment_id, o.place_id, o.ts, {'f': 'event_type',
            'r': 'border_exit_without_entry: no border_entry of shipment ' || o.shipment_id
                 || ' at a crossing into ' || o.place_id}
        FROM sw_v_mv o ANTI JOIN (
            SELECT e.shipment_id, x.to_place, e.row_number FROM sw_v_mv e
            JOIN sw_v_cross x ON x.from_place = e.place_id
            WHERE e.event_type = 'border_entry' AND NOT e.late) en
        ON en.shipment_id = o.shipment_id AND en.to_place = o.place_id
            AND en.row_number < o.row_number
        WHERE o.event_type = 'border_exit' AND NOT o.late""",
    )


def _legs_sql() -> str:
    """Consecutive places of the stored movement events of each shipment, distinct.

    In a shipment none of whose rows ``sw_v_bad`` holds, times never go back, so row
    order is time order and the window pass's ``nxt`` is the next place; the few other
    shipments are ordered again without their bad rows."""
    dirty = "shipment_id IN (SELECT shipment_id FROM sw_v_bad)"
    return f"""
    SELECT DISTINCT place_id AS from_place, nxt AS to_place,
        coalesce(mode, '{ANY_MODE}') AS mode
    FROM (SELECT place_id, mode, nxt FROM sw_v_mv WHERE NOT ({dirty})
          UNION ALL
          SELECT place_id, mode, lead(place_id) OVER (
              PARTITION BY shipment_id ORDER BY ts, row_number)
          FROM sw_v_mv
          WHERE {dirty} AND row_number NOT IN (SELECT row_number FROM sw_v_bad))
    WHERE nxt IS NOT NULL AND nxt <> place_id"""


def _store_exits(db: duckdb.DuckDBPyConnection, store_entries: StoreEntries | None) -> None:
    """Clear the border exits whose entry is already in the store."""
    if store_entries is None:
        return
    lone = db.sql(
        "SELECT shipment_id, place_id, ts FROM sw_v_bad "
        "WHERE problem.r LIKE 'border_exit_without_entry:%'"
    ).to_arrow_table()
    if not lone.num_rows:
        return
    found = store_entries(lone)
    if not found.num_rows:
        return
    db.register("sw_v_stored", found)
    try:
        db.execute(
            """DELETE FROM sw_v_bad
            WHERE problem.r LIKE 'border_exit_without_entry:%' AND EXISTS (
                SELECT 1 FROM sw_v_stored s JOIN sw_v_cross x ON x.from_place = s.place_id
                WHERE s.shipment_id = sw_v_bad.shipment_id AND x.to_place = sw_v_bad.place_id
                    AND s.ts <= sw_v_bad.ts)"""
        ).fetchall()
    finally:
        db.unregister("sw_v_stored")
