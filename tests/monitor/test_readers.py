"""Readers: CSV, JSON Lines and Parquet give the same rows; unreadable files fail clearly."""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from silkway.monitor.errors import MonitorError
from silkway.monitor.readers import read_events
from silkway.monitor.schema import INPUT_COLUMNS

# any text but control characters and surrogates; leading and trailing blanks kept
_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
)
_ROW = st.fixed_dictionaries({c: st.one_of(st.none(), _TEXT) for c in INPUT_COLUMNS})


def _write_all(folder: Path, rows: list[dict[str, str | None]]) -> list[Path]:
    with (folder / "log.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(INPUT_COLUMNS)
        # None is an empty cell; texts are never empty (min_size=1), so an empty cell
        # means null and nothing else
        for row in rows:
            writer.writerow(["" if row[c] is None else row[c] for c in INPUT_COLUMNS])
    with (folder / "log.jsonl").open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    table = pa.table({c: pa.array([r[c] for r in rows], pa.string()) for c in INPUT_COLUMNS})
    pq.write_table(table, folder / "log.parquet")
    return [folder / "log.csv", folder / "log.jsonl", folder / "log.parquet"]


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, min_size=1, max_size=8))
def test_the_three_formats_read_back_the_same_rows(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, str | None]]
) -> None:
    folder = tmp_path_factory.mktemp("formats")
    for path in _write_all(folder, rows):
        got = read_events(path).to_pylist()
        assert [r.pop("row_number") for r in got] == list(range(1, len(rows) + 1)), path
        assert got == rows, path


def test_csv_columns_in_any_order_and_optional_ones_left_out(tmp_path: Path) -> None:
    path = tmp_path / "log.csv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="") as fh:
        fh.write("\ufefftimestamp,place,extra,event_type,shipment_id\n")
        fh.write("2026-03-01T00:00:00Z,A,x,departure,S1\n")
    [row] = read_events(path).to_pylist()
    assert row == {
        "row_number": 1,
        **dict.fromkeys(INPUT_COLUMNS),
        "shipment_id": "S1",
        "event_type": "departure",
        "place": "A",
        "timestamp": "2026-03-01T00:00:00Z",
    }


def test_json_numbers_and_parquet_types_become_text(tmp_path: Path) -> None:
    import datetime as dt

    (tmp_path / "log.jsonl").write_text(
        '{"shipment_id": 7, "event_type": "payment", "place": "A", '
        '"timestamp": "2026-03-01T00:00:00Z", "cost_amount": 12.5}\n',
        encoding="utf-8",
    )
    [row] = read_events(tmp_path / "log.jsonl").to_pylist()
    assert (row["shipment_id"], row["cost_amount"]) == ("7", "12.5")
    when = dt.datetime(2026, 3, 1, 6, 30, tzinfo=dt.timezone(dt.timedelta(hours=6)))
    pq.write_table(
        pa.table(
            {
                "shipment_id": ["S"],
                "event_type": ["departure"],
                "place": ["A"],
                "timestamp": pa.array([when], pa.timestamp("us", tz="Asia/Almaty")),
                "weight_t": [20.0],
            }
        ),
        tmp_path / "typed.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "shipment_id": ["S"],
                "event_type": ["departure"],
                "place": ["A"],
                "timestamp": pa.array([dt.datetime(2026, 3, 1)], pa.timestamp("us")),
            }
        ),
        tmp_path / "naive.parquet",
    )
    [typed] = read_events(tmp_path / "typed.parquet").to_pylist()
    assert (typed["timestamp"], typed["weight_t"]) == ("2026-03-01T00:30:00.000000Z", "20.0")
    [naive] = read_events(tmp_path / "naive.parquet").to_pylist()
    assert naive["timestamp"] == "2026-03-01T00:00:00.000000"  # no zone: quarantined later


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("log.xlsx", b"x", "cannot tell the format"),
        ("log.parquet", b"not parquet at all", "cannot read it as Parquet"),
        ("log.jsonl", b'{"shipment_id": "S1"\n', "cannot read it as JSON Lines"),
        ("log.csv", b'shipment_id,event_type,place,timestamp\n"S1,x\n', "cannot read it as CSV"),
        ("log.csv", b"a,b,c\n1,2,3\n", "no column shipment_id, event_type, place, timestamp"),
        ("log.csv", b"shipment_id,event_type,place,timestamp\nS1,x,A\n", "cannot read it as CSV"),
    ],
)
def test_a_file_that_cannot_be_read_names_itself(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(MonitorError, match=message) as info:
        read_events(path)
    assert str(path) in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MonitorError, match="no such file"):
        read_events(tmp_path / "gone.csv")


def test_header_only_and_odd_column_names(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    path.write_text('shipment_id,event_type,place,timestamp,it\'s "odd"\n', encoding="utf-8")
    table = read_events(path)
    assert table.num_rows == 0
    assert table.column_names == ["row_number", *INPUT_COLUMNS]
