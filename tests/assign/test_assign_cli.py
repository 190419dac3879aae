"""``silkway assign`` in this process: tables written, bottlenecks printed, bad input
exits 2 with a message naming the file, row or key (no traceback)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

import silkway
from silkway.assign import assign
from silkway.cli import main
from silkway.cli.assign import render

TINY = str(Path(__file__).resolve().parents[1] / "data" / "tiny")

PARALLEL = str(Path(__file__).parent / "data" / "parallel")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def write_demand(path: Path, volume: str = "12000", origin: str = "A") -> Path:
    path.write_text(
        f"origin,destination,volume,unit,cargo_class,value_usd\n{origin},B,{volume},FEU,container,\n",
        encoding="utf-8",
    )
    return path


def test_bad_config_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("logit:\n  dispersion: {value: -1}\n", encoding="utf-8")
    code, _, err = run(capsys, "assign", "--out", str(tmp_path / "o"), "--config", str(cfg))
    assert code == 2
    assert "bad.yaml: logit.dispersion must be above 0" in err
    assert "Traceback" not in err


def test_bad_tolerance_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "assign", "--out", str(tmp_path), "--tolerance", "0")
    assert code == 2 and "--tolerance must be above 0" in err


def test_render_prints_convergence_and_bottlenecks(tmp_path: Path) -> None:
    net = silkway.load_network(PARALLEL)
    demand = pd.DataFrame(
        {"origin": ["A"], "destination": ["B"], "cargo_class": ["container"],
         "feu_per_year": [15_000.0], "tonnes_per_year": [250_000.0],
         "value_usd": [float("nan")], "source": ["test"]}
    )  # fmt: skip
    result = assign(net, demand)
    console = Console(file=io.StringIO(), width=160, color_system=None)
    render(result, console, top=5, out=tmp_path)
    text = console.file.getvalue()  # type: ignore[attr-defined]
    assert "converged: relative gap" in text
    assert (
        "Bottlenecks by utilisation" in text
        and "(FAST, forward)" in text
        and "A→B container" in text
    )
    files = {p.name for p in result.write(tmp_path, parquet=False)}
    assert {"flows.csv", "od.csv", "routes.csv", "iterations.csv", "bottlenecks.csv"} <= files
    assert "summary.json" in files


def test_assign_writes_tables(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("silkway.demand")
    demand = write_demand(tmp_path / "d.csv")
    out = tmp_path / "out"
    code, stdout, err = run(
        capsys, "assign", "--demand", str(demand), "--out", str(out), "--network", PARALLEL
    )
    assert code == 0, err
    assert "converged" in stdout and "Bottlenecks" in stdout
    flows = pd.read_csv(out / "flows.csv")
    assert flows.loc[flows["kind"] == "link", "flow_feu"].sum() == pytest.approx(12_000.0)


@pytest.mark.parametrize(
    ("volume", "origin", "expect"), [("-5", "A", "volume"), ("5", "NOWHERE", "NOWHERE")]
)
def test_bad_demand_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, volume: str, origin: str, expect: str
) -> None:
    pytest.importorskip("silkway.demand")
    demand = write_demand(tmp_path / "d.csv", volume, origin)
    code, _, err = run(
        capsys, "assign", "--demand", str(demand), "--out", str(tmp_path), "--network", PARALLEL
    )
    assert code == 2
    assert "d.csv:2" in err and expect in err  # file:row
    assert "Traceback" not in err


def test_assign_on_a_local_cluster_equals_in_process(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--workers 1`` runs the assignment as one task on a local Dask cluster: the same
    flows as in this process."""
    demand = tmp_path / "od.csv"
    demand.write_text(
        "origin,destination,volume,unit,cargo_class\nA,E,400,FEU,container\n", encoding="utf-8"
    )
    frames = []
    for extra in ((), ("--workers", "1")):
        out = tmp_path / f"out{len(extra)}"
        code = main(["assign", "-n", TINY, "--demand", str(demand), "--out", str(out), *extra])
        _, err = capsys.readouterr()
        assert code == 0, err
        frames.append(pd.read_csv(out / "flows.csv"))
    pd.testing.assert_frame_equal(frames[0], frames[1])


def test_assign_unreachable_scheduler(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    demand = tmp_path / "od.csv"
    demand.write_text(
        "origin,destination,volume,unit,cargo_class\nA,E,400,FEU,container\n", encoding="utf-8"
    )
    args = ["assign", "-n", TINY, "--demand", str(demand), "--out", str(tmp_path / "out")]
    code = main([*args, "--scheduler", "tcp://127.0.0.1:9"])
    _, err = capsys.readouterr()
    assert code == 2 and "127.0.0.1:9" in err and "Traceback" not in err
