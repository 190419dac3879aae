"""``silkway scenario sweep`` and ``silkway scenario compare`` on the command line:
what they write, and the clear errors (exit status 2, no traceback) for bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _cli_util import DEPART, TINY, run

DEMAND = (
    "origin,destination,volume,unit,cargo_class\nA,E,400,FEU,container\nC,E,200,FEU,container\n"
)


def test_sweep_writes_the_summary_and_skims(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys, "scenario", "sweep", "baseline", "-n", TINY, "--places", "A,C,E",
        "--select", "kind=crossing", "--scale", "median_hours,p90_hours", "--values", "2",
        "--samples", "20", "--depart", DEPART, "--workers", "0", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0, err
    summary = pd.read_csv(tmp_path / "summary.csv")
    assert list(summary["scenario"]) == ["baseline", "median_hours-x2"]
    skims = pd.read_csv(tmp_path / "skims.csv")
    assert len(skims) == 2 * 6 and skims.columns[0] == "scenario"
    assert "median_hours-x2" in out


def test_sweep_of_the_assignment_reads_a_demand_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    demand = tmp_path / "od.csv"
    demand.write_text(DEMAND, encoding="utf-8")
    code, _, err = run(
        capsys, "scenario", "sweep", "baseline", "-n", TINY, "--model", "assign",
        "--demand", str(demand), "--depart", DEPART, "--workers", "0",
        "--out", str(tmp_path / "out"),
    )  # fmt: skip
    assert code == 0, err
    summary = pd.read_csv(tmp_path / "out" / "summary.csv")
    assert summary.loc[0, "demand_feu"] == 600.0 and bool(summary.loc[0, "converged"])
    assert (tmp_path / "out" / "flows.csv").exists()


@pytest.mark.parametrize(
    ("args", "why"),
    [
        ((), "give scenarios"),
        (("--select", "kind=crossing", "--values", "2"), "needs --select, --scale"),
        (("--select", "kind=crossing", "--scale", "median_hours", "--values", "x"), "numbers"),
        (
            ("--select", "kind=crossing", "--scale", "a", "--set", "b", "--values", "1"),
            "not both",
        ),
        (("--select", "mode=rail", "--scale", "median_hours", "--values", "1"), "kind="),
        (("no-such-scenario",), "no-such-scenario"),
    ],
)
def test_sweep_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], why: str
) -> None:
    code, _, err = run(capsys, "scenario", "sweep", *args, "-n", TINY, "--out", str(tmp_path))
    assert code == 2
    assert why in err and "Traceback" not in err


def test_sweep_unreachable_scheduler(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "scenario", "sweep", "baseline", "-n", TINY, "--places", "A,E",
        "--scheduler", "tcp://127.0.0.1:9", "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert "127.0.0.1:9" in err and "Traceback" not in err


def test_compare_writes_the_report(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demand = tmp_path / "od.csv"
    demand.write_text(DEMAND, encoding="utf-8")
    slower = tmp_path / "slower.yaml"
    slower.write_text(
        "title: slower borders\npatches:\n"
        "  - scale: {kind: crossing}\n    by: {median_hours: 3, p90_hours: 3}\n"
        "    reason: test\n",
        encoding="utf-8",
    )
    out_dir = tmp_path / "cmp"
    code, out, err = run(
        capsys, "scenario", "compare", "baseline", str(slower), "-n", TINY,
        "--demand", str(demand), "--samples", "20", "--depart", DEPART, "--workers", "0",
        "--explain", "A:E", "--out", str(out_dir),
    )  # fmt: skip
    assert code == 0, err
    assert "slower against baseline" in out
    assert (out_dir / "index.html").exists() and (out_dir / "od_deltas.csv").exists()
    assert "Alpha → Echo" in out  # the pair asked for is explained


@pytest.mark.parametrize(
    ("args", "why"),
    [
        (("baseline", "cku-open", "--explain", "A-E"), "FROM:TO"),
        (("baseline", "nope"), "nope"),
    ],
)
def test_compare_bad_input(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], why: str
) -> None:
    code, _, err = run(capsys, "scenario", "compare", *args, "-n", TINY, "--out", str(tmp_path))
    assert code == 2
    assert why in err and "Traceback" not in err


def test_sweep_lays_scenario_under_every_run(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    slower = tmp_path / "slower.yaml"
    slower.write_text(
        "patches:\n  - scale: {kind: crossing}\n    by: {median_hours: 3, p90_hours: 3}\n"
        "    reason: test\n",
        encoding="utf-8",
    )
    means = []
    for extra in ((), ("--scenario", str(slower))):
        out_dir = tmp_path / f"out{len(extra)}"
        code, _, err = run(
            capsys, "scenario", "sweep", "baseline", "-n", TINY, "--places", "A,C,E",
            "--samples", "0", "--depart", DEPART, "--workers", "0", "--out", str(out_dir),
            *extra,
        )  # fmt: skip
        assert code == 0, err
        means.append(pd.read_csv(out_dir / "summary.csv").loc[0, "mean_time_p50_h"])
    assert means[1] > means[0]
