"""The event-log contract: input columns, the event vocabulary, and the store's tables.

An event log has one row per event of a shipment (a departure, a border entry or exit,
a gauge change, a ferry loading or sailing, an arrival) or per payment made along the
way. The vocabulary is modelled on DCSA Track & Trace (transport events ``ARRI`` and
``DEPA``, equipment events ``LOAD``, ``DISC``, ``GTIN`` and ``GTOT``) and on the
UN/EDIFACT IFTSTA status events; :data:`EVENT_TYPES` maps each type to both.

The tables are written once, in SQL that DuckDB and PostgreSQL both accept, so the
same statements create the embedded store and the shared one; the shared store adds
the unique index of :data:`SHARED_DDL`.
"""

from __future__ import annotations

from typing import Final

INPUT_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id",
    "event_type",
    "place",
    "timestamp",
    "mode",
    "cargo",
    "weight_t",
    "cost_item",
    "cost_category",
    "cost_amount",
    "cost_currency",
)
"""Columns of an event log, in order. ``place`` is a network place id or a UN/LOCODE;
``timestamp`` is ISO 8601 with a UTC offset (``2026-03-02T08:15:00+06:00``, or ``Z``).
The cost columns describe at most one cost item per row; several payments at one event
are several ``payment`` rows."""

REQUIRED_COLUMNS: Final[tuple[str, ...]] = ("shipment_id", "event_type", "place", "timestamp")

EVENT_TYPES: Final[dict[str, tuple[str, str]]] = {
    # type: (DCSA Track & Trace equivalent, UN/EDIFACT IFTSTA equivalent)
    "departure": ("TransportEvent DEPA at the place of receipt", "departed from origin"),
    "arrival": ("TransportEvent ARRI at the place of delivery", "arrived at destination"),
    "border_entry": (
        "TransportEvent ARRI at a border crossing point",
        "arrived at border / customs point",
    ),
    "border_exit": (
        "TransportEvent DEPA from a border crossing point",
        "released by customs, departed border",
    ),
    "gauge_change_start": ("EquipmentEvent DISC (bogie or transshipment)", "transshipment start"),
    "gauge_change_end": ("EquipmentEvent LOAD (bogie or transshipment)", "transshipment end"),
    "ferry_load": ("EquipmentEvent LOAD onto a vessel", "loaded on board"),
    "ferry_depart": ("TransportEvent DEPA of a vessel", "vessel departed"),
    "ferry_arrive": ("TransportEvent ARRI of a vessel", "vessel arrived"),
    "ferry_discharge": ("EquipmentEvent DISC from a vessel", "discharged from vessel"),
    "gate_in": ("EquipmentEvent GTIN at a terminal", "received at terminal"),
    "gate_out": ("EquipmentEvent GTOT at a terminal", "delivered from terminal"),
    "payment": ("(no DCSA equivalent: a cost item)", "charges paid"),
}
"""Every event type a log may use, with its DCSA and EDIFACT counterparts."""

EVENT_MODES: Final[tuple[str, ...]] = ("rail", "road", "ferry", "sea", "air")
"""Modes an event may name: the mode the shipment travels on from the event on."""

COST_CATEGORIES: Final[tuple[str, ...]] = ("official", "unofficial")
"""CPMM's split of a payment: a published fee or charge, or an informal payment."""

BORDER_PAIR: Final[tuple[str, str]] = ("border_entry", "border_exit")
"""A border crossing is entered at the crossing's ``from`` place (its side of departure)
and left at the other end of the crossing's link; the network's crossing record that
joins the two places, in that direction, names the crossing and its direction."""

DDL: Final[tuple[str, ...]] = (
    """CREATE TABLE IF NOT EXISTS sw_files (
        file_id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        ingested_at TIMESTAMPTZ NOT NULL,
        rows_read BIGINT NOT NULL,
        rows_stored BIGINT NOT NULL,
        rows_duplicate BIGINT NOT NULL,
        rows_quarantined BIGINT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sw_events (
        event_key UUID NOT NULL,
        shipment_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        place_id TEXT NOT NULL,
        ts TIMESTAMPTZ NOT NULL,
        mode TEXT,
        cargo TEXT,
        weight_t DOUBLE PRECISION,
        cost_item TEXT,
        cost_category TEXT,
        cost_amount DOUBLE PRECISION,
        cost_currency TEXT,
        cost_usd DOUBLE PRECISION,
        file_id TEXT NOT NULL,
        row_number BIGINT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sw_quarantine (
        file_id TEXT NOT NULL,
        row_number BIGINT NOT NULL,
        field TEXT,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL,
        PRIMARY KEY (file_id, row_number)
    )""",
    """CREATE TABLE IF NOT EXISTS sw_places (
        place_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        country TEXT NOT NULL,
        kind TEXT NOT NULL,
        locode TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS sw_crossings (
        crossing_id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        link_id TEXT NOT NULL,
        mode TEXT NOT NULL,
        from_place TEXT NOT NULL,
        to_place TEXT NOT NULL,
        from_country TEXT NOT NULL,
        to_country TEXT NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS sw_distances (
        from_place TEXT NOT NULL,
        to_place TEXT NOT NULL,
        mode TEXT NOT NULL,
        km DOUBLE PRECISION NOT NULL,
        PRIMARY KEY (from_place, to_place, mode)
    )""",
)
"""The store's tables. ``sw_events.event_key`` identifies an event (see
:data:`EVENT_KEY_SQL`); it makes ingesting the same event twice a no-op.
``sw_files.file_id`` is the SHA-256 of the file's bytes. ``sw_quarantine.raw`` is the
rejected row as JSON. ``sw_places``, ``sw_crossings`` and ``sw_distances`` are filled
from the network (distances: shortest length by mode between place pairs that occur in
the events), so indicators are computed by joins in the store.

``sw_events`` has no key index in the embedded store: ingest inserts only the events
whose key the store lacks (an anti-join inside the file's one transaction), and a DuckDB
file has one writer at a time, so an index would only slow the insert (DuckDB fills it
row by row: on 2 million events it took the insert from 7 to 12 CPU seconds and the
commit from 0.2 to 3 seconds)."""

SHARED_DDL: Final[tuple[str, ...]] = (
    "CREATE UNIQUE INDEX IF NOT EXISTS sw_events_event_key ON sw_events (event_key)",
)
"""Run after :data:`DDL` on the shared (PostgreSQL) store only: several processes may
ingest at once there, so the key is unique by index; of two concurrent ingests of one
event, the second fails and rolls back its file."""

EVENT_KEY_SQL: Final[str] = (
    "md5_number(concat_ws('|', {shipment_id}, {event_type}, {place_id}, epoch_us({ts}), "
    "coalesce({cost_item}, ''), coalesce(CAST({cost_amount} AS VARCHAR), ''), "
    "coalesce({cost_currency}, '')))::UUID"
)
"""DuckDB's expression of ``sw_events.event_key`` (fill in the column expressions with
:meth:`str.format`): the MD5 digest of the event's identity, its 16 bytes in reverse
order (``md5_number`` reads the digest as a little-endian integer), as a UUID. The
identity is the shipment id, event type, place id, the timestamp as integer microseconds
since 1970-01-01 UTC, the cost item, the amount (DuckDB's shortest decimal text of the
number, such as ``5000.0``) and the currency, joined by ``|``, absent values empty. In
Python: ``uuid.UUID(bytes=hashlib.md5(identity.encode()).digest()[::-1])``.

128 bits are plenty: the chance that any two of *n* distinct events share a key is
below n**2 / 2**129, about 1.5e-19 for ten billion events. (MD5's known weakness is
collisions crafted on purpose; a log's author who crafted one would only make one of
their own events count as a duplicate of another.) The key is computed only by
validation (in DuckDB), never by the stores."""
