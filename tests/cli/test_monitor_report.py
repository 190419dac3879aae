"""``silkway monitor report``: the report folder and the terminal summary; errors exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli_util import run


def test_simulate_ingest_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    log, db, out = tmp_path / "log.csv", tmp_path / "m.duckdb", tmp_path / "report"
    code, _, _ = run(capsys, "monitor", "simulate", "-o", str(log), "--shipments", "200", "--clean")
    assert code == 0
    code, stdout, _ = run(capsys, "monitor", "ingest", str(log), "--store", str(db))
    assert code == 0
    code, stdout, err = run(
        capsys,
        "monitor",
        "report",
        "--store",
        str(db),
        "--out",
        str(out),
        "--top",
        "1",
        "--worst",
        "3",
    )
    assert (code, err) == (0, "")
    assert "border crossings slowest to clear" in stdout
    assert f"report: {out / 'index.html'} (3 charts)" in stdout
    body = stdout.split("┡", 1)[1].split("└", 1)[0]
    assert len([line for line in body.splitlines() if line.startswith("│")]) == 3
    assert (out / "index.html").is_file()
    assert len(list((out / "charts").glob("*.png"))) == 3


def test_empty_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, stdout, err = run(
        capsys, "monitor", "report", "--store", str(tmp_path / "e.duckdb"), "-o", str(tmp_path)
    )
    assert (code, err) == (0, "")
    assert "no rail or road border passages in the store" in stdout


def test_unreachable_store_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "monitor", "report", "--store", "mysql://x/y", "--out", str(tmp_path)
    )
    assert code == 2
    assert "unknown store URL 'mysql://x/y'" in err
    assert "Traceback" not in err


def test_unwritable_folder_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(
        capsys, "monitor", "report", "--store", str(tmp_path / "e.duckdb"), "-o", str(blocker)
    )
    assert code == 2
    assert "cannot write the report into" in err
