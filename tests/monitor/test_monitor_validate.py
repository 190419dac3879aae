"""Validation in a caller's DuckDB connection: the good rows stay there, nothing else does."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
from _monitor_events import trip, trips, write_csv, write_fx
from hypothesis import given, settings
from hypothesis import strategies as st

from silkway.model.records import Network
from silkway.monitor.currency import load_fx
from silkway.monitor.network import crossing_ends, place_lookup
from silkway.monitor.readers import read_events
from silkway.monitor.validate import EVENT_COLUMNS, _trimmed, validate_events, validate_in


def test_validate_in_leaves_the_connection_as_it_was(tmp_path: Path, tiny_network: Network) -> None:
    rows = [*trips(3), *trip("S0", datetime(2026, 3, 1, tzinfo=UTC))[:2]]  # two duplicates
    rows.append(dict(rows[0], place="nowhere", shipment_id="Q"))
    events = read_events(write_csv(tmp_path / "log.csv", rows))
    checks = {
        "places": place_lookup(tiny_network),
        "crossings": crossing_ends(tiny_network),
        "fx": load_fx(write_fx(tmp_path / "fx.csv")),
    }
    con = duckdb.connect()
    con.execute("SET TimeZone = 'Asia/Almaty'")
    con.execute("SET preserve_insertion_order = true")
    with validate_in(con, events, **checks) as staged:  # type: ignore[arg-type]
        inside = con.sql(f"SELECT * FROM {staged.good}").to_arrow_table()
        assert inside.num_rows == staged.good_rows == 15
        assert inside.column_names == list(EVENT_COLUMNS)
        assert (staged.duplicates, staged.quarantine.num_rows) == (2, 1)
    settings = con.execute(
        "SELECT current_setting('TimeZone'), current_setting('preserve_insertion_order')"
    ).fetchall()
    assert settings == [("Asia/Almaty", True)]
    assert con.execute("SELECT count(*) FROM duckdb_tables() WHERE temporary").fetchall() == [(0,)]
    assert con.execute(
        "SELECT count(*) FROM duckdb_views() WHERE temporary AND NOT internal"
    ).fetchall() == [(0,)]
    # the Arrow flavour gives the same rows
    alone = validate_events(events, **checks)  # type: ignore[arg-type]
    key = [("row_number", "ascending")]
    assert alone.good.sort_by(key).equals(inside.sort_by(key))


# the edges of the shortcut: spaces (ASCII and not), tab, "!", "~", DEL, and anything
_CHARS = st.one_of(st.sampled_from(" \u00a0\u3000\t!~\x7fa\u00e9"), st.characters(codec="utf-8"))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=_CHARS, max_size=6), max_size=30))
def test_trimmed_is_trim_then_nullif(values: list[str]) -> None:
    """The shortcut for cells with nothing to trim agrees with DuckDB's own ``trim``."""
    con = duckdb.connect()
    con.register("cells", pa.table({"v": pa.array(values, pa.string())}))
    got = con.execute(
        f"SELECT {_trimmed('v')} IS NOT DISTINCT FROM nullif(trim(v), ''), "
        f"{_trimmed('v', 'upper')} IS NOT DISTINCT FROM nullif(upper(trim(v)), '') FROM cells"
    ).fetchall()
    assert all(a and b for a, b in got)
