"""Validation in a caller's DuckDB connection: the good rows stay there, nothing else does."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pyarrow as pa
from _monitor_events import event, trip, trips, write_csv, write_fx
from hypothesis import HealthCheck, given, settings
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


_MOVES = ("departure", "gate_in", "gate_out", "arrival", "border_entry", "border_exit")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.sampled_from(_MOVES), st.sampled_from("ABCDEF")),
        min_size=1,
        max_size=40,
    ),
    st.randoms(use_true_random=False),
)
def test_sequence_checks_against_a_plain_loop(
    tiny_network: Network, events: list[tuple[int, str, str]], rnd: random.Random
) -> None:
    """A movement event is out of order when an earlier one of its shipment (late or
    not) has a later time; a border exit that is not, lacks an entry when no earlier
    entry of its shipment that is not out of order either is at the entry side of a
    crossing into the exit's place."""
    hours = list(range(len(events)))
    rnd.shuffle(hours)  # distinct times: no two rows are one event
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    rows = [
        event(f"S{s}", kind, place, (t0 + timedelta(hours=h)).isoformat())
        for (s, kind, place), h in zip(events, hours, strict=True)
    ]
    crossings = crossing_ends(tiny_network)
    validated = validate_events(
        pa.Table.from_pylist([{"row_number": i + 1, **r} for i, r in enumerate(rows)]),
        places=place_lookup(tiny_network),
        crossings=crossings,
        fx=load_fx(),
    )
    into = {(c["from_place"], c["to_place"]) for c in crossings.to_pylist()}
    latest: dict[int, int] = {}
    entries: dict[int, list[str]] = {}
    expected: dict[int, str] = {}
    for i, ((s, kind, place), h) in enumerate(zip(events, hours, strict=True)):
        late = h < latest.get(s, -1)
        latest[s] = max(h, latest.get(s, -1))
        if late:
            expected[i + 1] = "out_of_order"
        elif kind == "border_entry":
            entries.setdefault(s, []).append(place)
        elif kind == "border_exit" and not any((e, place) in into for e in entries.get(s, [])):
            expected[i + 1] = "border_exit_without_entry"
    q = validated.quarantine
    got = {
        n: r.split(":")[0]
        for n, r in zip(q["row_number"].to_pylist(), q["reason"].to_pylist(), strict=True)
    }
    assert got == expected
