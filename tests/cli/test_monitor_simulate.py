"""``silkway monitor simulate``: writes a log in each format; bad options exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from _cli_util import TINY, run


def test_simulate_writes_csv(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "log.csv"
    code, stdout, err = run(
        capsys, "monitor", "simulate", "--out", str(out), "--shipments", "20", "--clean"
    )
    assert (code, err) == (0, "")
    lines = out.read_text(encoding="utf-8").splitlines()
    assert stdout.strip() == f"wrote {len(lines) - 1} rows (20 shipments) to {out}"
    assert lines[0].startswith('"shipment_id","event_type","place","timestamp"')


def test_no_noise_no_unofficial_payments(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "log.csv"
    args = ("-o", str(out), "--shipments", "30", "--clean", "--cost-noise", "0")
    code, _, _ = run(capsys, "monitor", "simulate", *args, "--unofficial-rate", "0")
    assert code == 0
    text = out.read_text(encoding="utf-8")
    assert '"official"' in text
    assert '"unofficial"' not in text


def test_format_from_the_suffix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "log.parquet"
    code, _, _ = run(capsys, "monitor", "simulate", "-o", str(out), "--shipments", "5")
    assert code == 0
    assert pq.read_table(out).num_rows > 5 * 4


def test_simulate_on_another_network(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "log.jsonl"
    code, _, err = run(
        capsys,
        "monitor",
        "simulate",
        "-o",
        str(out),
        "--shipments",
        "5",
        "-n",
        TINY,
        "--start",
        "2026-03",
        "--relations",
        "4",
    )
    assert (code, err) == (0, ""), err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert {r["shipment_id"] for r in rows} == {f"S{i:08d}" for i in range(5)}
    assert {r["place"] for r in rows} <= set("ABCDEF")  # the tiny network's places


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--start", "2026-13"), "--start must be a month YYYY-MM or a day YYYY-MM-DD"),
        (("--train", "maglev"), "maglev"),
        (("--missing", "2"), "--missing"),
        (("--cost-noise", "-1"), "--cost-noise"),
    ],
)
def test_bad_options_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(
        capsys, "monitor", "simulate", "-o", str(tmp_path / "x.csv"), "--shipments", "3", *args
    )
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_unwritable_output_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(
        capsys, "monitor", "simulate", "-o", str(tmp_path / "no" / "x.csv"), "--shipments", "3"
    )
    assert code == 2
    assert "cannot write" in err
