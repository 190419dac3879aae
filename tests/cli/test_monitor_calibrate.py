"""``silkway monitor calibrate`` and ``silkway monitor validate``: outputs the planner
reads, and clear errors (exit 2) for an empty or missing store and bad dates."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _cli_util import TINY, assert_clean_error, run

from silkway.model import load_network
from silkway.monitor.simulate import simulate, write_log
from silkway.monitor.store import open_store


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A DuckDB store holding a small clean simulated log of the tiny network."""
    folder = tmp_path_factory.mktemp("monitor-store")
    log, path = folder / "log.csv", folder / "store.duckdb"
    write_log(simulate(load_network(TINY), shipments=600, seed=2, months=3), log)
    from silkway.cli import main

    assert main(["monitor", "ingest", str(log), "--store", str(path), "--network", TINY]) == 0
    return path


def test_overlay_output_is_read_by_plan_and_validate(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "overlay"
    code, text, err = run(
        capsys, "monitor", "calibrate", "--store", str(store), "--out", str(out), "--network", TINY
    )
    assert code == 0, err
    assert "Wrote the overlay" in text and "per-month figures" in text
    assert {p.name for p in out.iterdir()} >= {"calibration.csv", "sources.csv", "network.yaml"}
    code, text, err = run(capsys, "validate", TINY, "--overlay", str(out))
    assert code == 0, err + text
    code, text, err = run(
        capsys, "plan", "A", "C", "--network", TINY, "--overlay", str(out), "--depart", "2026-02-02"
    )
    assert code == 0, err


def test_scenario_output_and_min_obs(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "scenario"
    args = ["monitor", "calibrate", "--store", str(store), "--network", TINY, "--as", "scenario"]
    code, text, err = run(capsys, *args, "--out", str(out), "--since", "2026-01-01")
    assert code == 0, err
    yaml_path = out / "calibration.yaml"
    code, _, err = run(capsys, "validate", TINY, "--scenario", str(yaml_path))
    assert code == 0, err
    # with a bar no item reaches, every item keeps its values and the summary says so
    code, text, err = run(capsys, *args, "--out", str(tmp_path / "none"), "--min-obs", "100000")
    assert code == 0, err
    assert "0 items calibrated" in text
    table = pd.read_csv(tmp_path / "none" / "calibration.csv", keep_default_na=False)
    whole = table[table["month"] == ""]
    assert not whole.empty and whole["status"].str.startswith("kept: ").all()
    assert (whole["new_median_hours"] == whole["old_median_hours"]).all()


def test_validate_writes_an_offline_report(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "validation"
    code, text, err = run(
        capsys,
        "monitor",
        "validate",
        "--store",
        str(store),
        "--out",
        str(out),
        "--network",
        TINY,
        "--samples",
        "100",
    )
    assert code == 0, err
    assert "WAPE" in text and "inside P10-P90" in text
    for name in ("index.html", "calibration.png", "crossings.csv", "od.csv", "shipments.csv"):
        assert (out / name).is_file(), name


@pytest.mark.parametrize("command", ["calibrate", "validate"])
def test_errors_exit_2(
    command: str, tmp_path: Path, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.duckdb"
    open_store(empty).close()
    base = ["monitor", command, "--network", TINY, "--out", str(tmp_path / "out")]
    cases = [
        (["--store", str(empty)], "holds no departure, arrival, border or ferry events"),
        (["--store", str(tmp_path / "missing.duckdb")], "no store at"),
        (["--store", str(store), "--since", "2026-13-01"], "is not a date YYYY-MM-DD"),
        (
            ["--store", str(store), "--since", "2026-03-01", "--until", "2026-02-01"],
            "--until 2026-02-01 is before --since 2026-03-01",
        ),
        (["--store", str(store), "--since", "2030-01-01"], "from 2030-01-01"),
    ]
    for extra, message in cases:
        code, out, err = run(capsys, *base, *extra)
        assert code == 2, (extra, err)
        assert message in " ".join(err.split()), (extra, err)
        assert_clean_error(err, out)
