"""The store layer on both databases: statements, transactions, bulk loads, URLs."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from silkway.model.records import Network
from silkway.monitor.errors import StoreError
from silkway.monitor.store import Store, _to_pyformat, open_store


def test_placeholders_become_pyformat_outside_quotes() -> None:
    sql = "SELECT '?', \"a?\", x % 2 FROM t WHERE a = ? AND b LIKE '%x'"
    assert _to_pyformat(sql) == ("SELECT '?', \"a?\", x %% 2 FROM t WHERE a = %s AND b LIKE '%%x'")


def test_statements_and_queries(store: Store) -> None:
    n = store.execute(
        "INSERT INTO sw_places VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)",
        ["P1", "One '?' %", "KZ", "city", None, "P2", "Two", "CN", "city", "CNTWO"],
    )
    assert n == 2
    frame = store.query_df(
        "SELECT place_id, name, locode FROM sw_places WHERE country LIKE ? ORDER BY place_id",
        ["%"],
    )
    frame = frame.astype(object).where(frame.notna(), None)
    assert frame.to_dict("records") == [
        {"place_id": "P1", "name": "One '?' %", "locode": None},
        {"place_id": "P2", "name": "Two", "locode": "CNTWO"},
    ]


def test_transaction_commits_or_rolls_back(store: Store) -> None:
    with store.transaction():
        store.execute("INSERT INTO sw_places VALUES ('P1', 'One', 'KZ', 'city', NULL)")
    with pytest.raises(RuntimeError), store.transaction():
        store.execute("INSERT INTO sw_places VALUES ('P2', 'Two', 'KZ', 'city', NULL)")
        with store.transaction():  # nested: part of the outer one
            store.execute("DELETE FROM sw_places WHERE place_id = 'P1'")
        raise RuntimeError("boom")
    assert store.query("SELECT place_id FROM sw_places") == [("P1",)]


def test_load_arrow(store: Store) -> None:
    table = pa.table(
        {
            "from_place": ["A", "B"],
            "to_place": ["B", 'C,"q"'],
            "mode": ["rail", "rail"],
            "km": [1.5, 2.25],
        }
    )
    assert store.load_arrow("sw_distances", table) == 2
    got = store.query("SELECT from_place, to_place, mode, km FROM sw_distances ORDER BY 1")
    assert got == [("A", "B", "rail", 1.5), ("B", 'C,"q"', "rail", 2.25)]
    with pytest.raises(ValueError, match="not a table name"):
        store.load_arrow("sw_distances; DROP TABLE x", table)


def test_sync_network(store: Store, tiny_network: Network) -> None:
    store.sync_network(tiny_network, pairs=[("A", "D", "rail")])
    store.sync_network(tiny_network, pairs=[("A", "D", "rail"), ("D", "A", "any")])
    assert store.query("SELECT count(*) FROM sw_places") == [(len(tiny_network.places),)]
    assert store.query("SELECT count(*) FROM sw_crossings") == [(len(tiny_network.crossings),)]
    got = store.query("SELECT from_place, to_place, mode, km FROM sw_distances ORDER BY 1")
    assert got == [("A", "D", "rail", 600.0), ("D", "A", "any", 600.0)]
    store.sync_network(tiny_network)  # every pair: adds the missing ones only
    n = store.query("SELECT count(*) FROM sw_distances WHERE mode = 'rail'")[0][0]
    assert n == 12  # A, B, C, D joined by rail both ways: 4 * 3


def test_reopening_keeps_the_data(store_url: str) -> None:
    with open_store(store_url) as s:
        s.execute("INSERT INTO sw_places VALUES ('P1', 'One', 'KZ', 'city', NULL)")
    with open_store(store_url) as s:
        assert s.query("SELECT place_id FROM sw_places") == [("P1",)]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://localhost/x", "unknown store URL"),
        ("postgresql://nobody@127.0.0.1:1/none", "cannot connect to the PostgreSQL store"),
        ("postgresql://u:secret@127.0.0.1:1/none", r"store postgresql://u@127\.0\.0\.1:1/none"),
    ],
)
def test_bad_store_urls(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as info:
        open_store(url)
    assert "secret" not in str(info.value)


def test_duckdb_file_problems(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        open_store(tmp_path / "no" / "folder" / "s.duckdb")
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="cannot open the DuckDB store"):
        open_store(junk)
    with open_store(f"duckdb://{tmp_path}/s.duckdb") as s:
        assert s.kind == "duckdb"
    assert (tmp_path / "s.duckdb").exists()
    with open_store("duckdb:///:memory:") as s:
        assert s.query("SELECT count(*) FROM sw_events") == [(0,)]


def test_insert_new_from_a_named_relation(store: Store) -> None:
    rows = pa.table(
        {"place_id": ["P1", "P2"], "name": ["a", "b"], "country": ["KZ", "CN"], "kind": ["c", "c"]}
    )
    store.insert_new("sw_places", rows.slice(0, 1), key="place_id")
    cols = ["place_id", "name", "country", "kind"]
    with pytest.raises(ValueError, match="needs its columns"):
        store.insert_new("sw_places", "somewhere", key="place_id")
    with pytest.raises(ValueError, match="not a table or column name"):
        store.insert_new("sw_places", "x; DROP TABLE sw_places", key="place_id", columns=cols)
    con = store.embedded_connection()
    if con is None:
        assert store.kind == "postgresql"
        with pytest.raises(ValueError, match="needs a DuckDB store"):
            store.insert_new("sw_places", "staged", key="place_id", columns=cols)
        return
    con.register("staged", rows)
    assert store.insert_new("sw_places", "staged", key="place_id", columns=cols) == 1
    assert store.query("SELECT place_id FROM sw_places ORDER BY 1") == [("P1",), ("P2",)]


def test_event_keys_are_unique_in_the_shared_store(store: Store) -> None:
    insert = (
        "INSERT INTO sw_events (event_key, shipment_id, event_type, place_id, ts, file_id, "
        "row_number) VALUES ('00000000-0000-0000-0000-00000000000a', 'S', 'departure', 'A', "
        "TIMESTAMPTZ '2026-03-01 00:00:00+00', 'f', ?)"
    )
    store.execute(insert, [1])
    if store.kind == "postgresql":
        # several processes may ingest at once: the index settles races
        with pytest.raises(StoreError, match="sw_events_event_key"):
            store.execute(insert, [2])
    else:
        # one writer at a time: ingest's anti-join is enough, and no index slows it
        store.execute(insert, [2])
        assert store.query("SELECT count(*) FROM sw_events") == [(2,)]
