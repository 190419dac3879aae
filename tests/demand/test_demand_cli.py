"""``silkway demand show``: the summary and table, ``--out``, and clean errors (exit 2)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from silkway.cli import main
from silkway.demand import DEMAND_COLUMNS

GOOD = (
    "origin,destination,volume,unit,cargo_class,value_usd,note\n"
    "Xian,Duisburg,100,FEU,container,,weekly train\n"
    "Urumqi,Almaty,3000,t,general,9000000,\n"
)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "demand", "show")
    assert code == 0, err
    assert out.startswith("bundled trade table")
    assert "OD pairs" in out and "container" in out and "bundled:cr_westbound" in out
    assert "total" in out and "94,820,000,000" in out


def test_show_file_and_write_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "od.csv"
    path.write_text(GOOD, encoding="utf-8")
    code, out, err = run(capsys, "demand", "show", str(path))
    assert code == 0, err
    assert f"read 2 rows from {path}" in out and "CN_XIA" in out and "DE_DUI" in out
    for name in ("out.csv", "out.parquet"):
        target = tmp_path / name
        code, out, err = run(capsys, "demand", "show", str(path), "--out", str(target))
        assert code == 0, err
        assert f"wrote 2 rows to {target}" in out
        back = pd.read_parquet(target) if name.endswith("parquet") else pd.read_csv(target)
        assert tuple(back.columns) == DEMAND_COLUMNS
        assert sorted(back["origin"]) == ["CN_URC", "CN_XIA"]


def test_segments_of_the_bundled_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "segments.csv"
    code, out, err = run(capsys, "demand", "show", "--segments", "-o", str(target))
    assert "wrote" in out
    assert code == 0, err
    frame = pd.read_csv(target)
    assert {"segment", "flow"} <= set(frame.columns)
    code, _, err = run(capsys, "demand", "show", str(target), "--segments")
    assert code == 2 and "--segments applies to the bundled trade table" in err


@pytest.mark.parametrize(
    ("text", "where", "reason"),
    [
        (GOOD + "Xiann,Duisburg,1,FEU,container,,\n", ":4 [origin]", "unknown place 'Xiann'"),
        (GOOD + "Xian,Duisburg,-1,FEU,container,,\n", ":4 [volume]", "volume -1 is negative"),
        (GOOD + "Xian,Duisburg,ten,FEU,container,,\n", ":4 [volume]", "is not a number"),
        (GOOD + "Xian,Duisburg,1,pallets,container,,\n", ":4 [unit]", "unknown unit"),
        (GOOD + "Xian,Duisburg,1,FEU,coal,,\n", ":4 [cargo_class]", "unknown cargo class"),
        ("origin,destination,volume\nXian,Duisburg,1\n", ":1 [unit]", "required column 'unit'"),
    ],
)
def test_bad_table_exits_2_naming_file_row_and_reason(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, where: str, reason: str
) -> None:
    path = tmp_path / "od.csv"
    path.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "demand", "show", str(path))
    assert code == 2
    assert f"{path}{where}" in err and reason in err
    assert err.startswith("error: demand table")
    assert "Traceback" not in err + out and "internal error" not in err


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("od.csv", b"PAR1\x00\x01garbage", "is not a readable Parquet file"),
        ("od.parquet", b"o,d\n", "is not a readable Parquet file"),
        ("od.csv", b"o\xffd\n", "not UTF-8"),
    ],
)
def test_bad_file_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, out, err = run(capsys, "demand", "show", str(path))
    assert code == 2 and str(path) in err and reason in err
    assert "Traceback" not in err + out


def test_missing_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "demand", "show", str(tmp_path / "none.csv"))
    assert code == 2 and "none.csv" in err and "cannot be read" in err


def test_unwritable_out_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "demand", "show", "-o", str(tmp_path / "no" / "dir" / "x.csv"))
    assert code == 2 and "cannot write" in err
