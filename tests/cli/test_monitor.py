"""``silkway monitor ingest``: the summary, and exit status 2 with a clear message on errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _cli_util import TINY, assert_clean_error, run, run_script

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "monitor"))
from _monitor_events import event, trip, write_csv, write_fx


def _log(tmp_path: Path) -> Path:
    from datetime import UTC, datetime

    rows = trip("S1", datetime(2026, 3, 2, tzinfo=UTC))
    rows.append(event("S2", "departure", "Nowhere", "2026-03-02T00:00:00Z"))
    return write_csv(tmp_path / "log.csv", rows)


def test_ingest_prints_the_summary_and_is_idempotent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log, fx, db = _log(tmp_path), write_fx(tmp_path / "fx.csv"), tmp_path / "m.duckdb"
    args = ("monitor", "ingest", str(log), "--store", str(db), "-n", TINY, "--fx", str(fx))
    code, out, err = run(capsys, *args)
    assert (code, err) == (0, "")
    line = next(x for x in out.splitlines() if "log.csv" in x)
    assert [cell.strip() for cell in line.split("│")[2:6]] == ["6", "5", "0", "1"]
    assert "unknown_place 1" in out
    code, out, _ = run(capsys, *args)
    assert code == 0
    assert "(already ingested)" in out


def test_store_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.duckdb"
    monkeypatch.setenv("SILKWAY_STORE", str(db))
    log, fx = _log(tmp_path), write_fx(tmp_path / "fx.csv")
    code, out, _ = run(capsys, "monitor", "ingest", str(log), "-n", TINY, "--fx", str(fx))
    assert code == 0
    assert db.exists()
    assert str(db) in out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.csv", "missing.csv: no such file"),
        (lambda p: p, "cannot tell the format"),
        (lambda p: _write(p / "bad.parquet", b"junk"), "bad.parquet: cannot read it as Parquet"),
        (lambda p: _write(p / "cols.csv", b"a,b\n1,2\n"), "cols.csv: not an event log"),
    ],
    ids=["missing", "folder", "not-parquet", "no-columns"],
)
def test_unreadable_file_exits_2(tmp_path: Path, make: object, message: str) -> None:
    bad = make(tmp_path)  # type: ignore[operator]
    proc = run_script("monitor", "ingest", str(bad), "--store", str(tmp_path / "m.duckdb"))
    assert proc.returncode == 2
    assert message in proc.stderr
    assert_clean_error(proc.stderr, proc.stdout)


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_unreachable_store_exits_2(tmp_path: Path) -> None:
    log = _log(tmp_path)
    proc = run_script(
        "monitor", "ingest", str(log), "-n", TINY, "--store", "postgresql://me@127.0.0.1:1/db"
    )
    assert proc.returncode == 2
    assert "cannot connect to the PostgreSQL store postgresql://me@127.0.0.1:1/db" in proc.stderr
    assert_clean_error(proc.stderr, proc.stdout)


def test_bad_rate_table_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fx = tmp_path / "fx.csv"
    fx.write_text("currency,month,units_per_usd\nKZT,March,500\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "monitor",
        "ingest",
        str(_log(tmp_path)),
        "--fx",
        str(fx),
        "--store",
        str(tmp_path / "m.duckdb"),
    )
    assert code == 2
    assert f"{fx}:2 [month]" in err
