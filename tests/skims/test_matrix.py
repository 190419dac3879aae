"""``silkway.skims.matrix``: its rows and columns, its seeding, its agreement with
``silkway.plan``, and the ``silkway matrix`` command."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from silkway import QueryError, UnknownPlaceError
from silkway.cli import main
from silkway.compile import CompiledNetwork, compile_network
from silkway.engine.planner import plan
from silkway.model import load_network
from silkway.skims import COLUMNS, matrix

TINY = str(Path(__file__).resolve().parents[1] / "data" / "tiny")
DEPART = "2026-12-07"
PLACES = ["CN_XIA", "KZ_ALA", "UZ_TAS", "AZ_BAK", "TR_IST"]


@pytest.fixture(scope="module")
def bundled() -> CompiledNetwork:
    return compile_network(load_network())


@pytest.fixture(scope="module")
def five(bundled: CompiledNetwork) -> pd.DataFrame:
    return matrix(bundled, PLACES, depart=DEPART, samples=200, seed=3, workers=0)


def test_rows_and_columns(five: pd.DataFrame) -> None:
    assert tuple(five.columns) == COLUMNS
    assert len(five) == len(PLACES) * (len(PLACES) - 1)
    pairs = [(o, d) for o in PLACES for d in PLACES if o != d]
    assert list(zip(five.origin, five.destination, strict=True)) == pairs
    assert five.reachable.all()
    assert str(five.transshipments.dtype) == "Int64" and str(five.borders.dtype) == "Int64"
    assert (five.time_p50_h <= five.time_p90_h).all()
    assert (five.time_p90_h <= five.time_p95_h).all()
    for row in five.itertuples():
        places = row.route.split(">")
        assert places[0] == row.origin and places[-1] == row.destination
        assert all(
            m in {"rail", "road", "ferry", "sea", "air", "pipeline"} for m in row.modes.split("+")
        )
    assert five.attrs["complete"] is True


def test_seeding_does_not_depend_on_order_or_company(
    bundled: CompiledNetwork, five: pd.DataFrame
) -> None:
    """An origin's numbers are the same whatever the other places and their order."""
    other = matrix(
        bundled, ["TR_IST", "UZ_TAS", "CN_XIA"], depart=DEPART, samples=200, seed=3, workers=0
    )
    merged = other.merge(five, on=["origin", "destination"], suffixes=("", "_all"))
    assert len(merged) == len(other)
    for col in COLUMNS[2:]:
        pd.testing.assert_series_equal(merged[col], merged[f"{col}_all"], check_names=False)
    reseeded = matrix(bundled, ["TR_IST", "UZ_TAS"], depart=DEPART, samples=200, seed=4, workers=0)
    assert not (
        reseeded.time_p90_h.to_numpy()
        == five.set_index(["origin", "destination"])
        .loc[list(zip(reseeded.origin, reseeded.destination, strict=True)), "time_p90_h"]
        .to_numpy()
    ).all()


def test_quantiles_are_those_plan_reports_for_the_same_route(
    bundled: CompiledNetwork, five: pd.DataFrame
) -> None:
    """Common random numbers: the same route, seed and draws give the same P50/P90."""
    for row in five.head(6).itertuples():
        result = plan(
            bundled,
            row.origin,
            row.destination,
            depart=DEPART,
            samples=200,
            seed=3,
            all_options=True,
        )
        same = [
            o
            for o in result.options
            if math.isclose(o.cost_usd, row.cost_usd) and math.isclose(o.co2e_wtw_kg, row.co2e_kg)
        ]
        assert same, (row.origin, row.destination)
        assert same[0].hours_p50 == pytest.approx(row.time_p50_h, rel=1e-12)
        assert same[0].hours_p90 == pytest.approx(row.time_p90_h, rel=1e-12)


def test_medians_only_and_unreachable_rows(bundled: CompiledNetwork) -> None:
    makmal = bundled.names.resolve("Makmal").id
    frame = matrix(bundled, ["Kashgar", makmal], depart=DEPART, samples=0, workers=0)
    assert len(frame) == 2 and not frame.reachable.any()
    assert frame[list(COLUMNS[3:9])].isna().all().all()
    assert frame.transshipments.isna().all() and frame.modes.isna().all()
    opened = matrix(
        bundled, ["Kashgar", makmal], depart=DEPART, samples=0, include_planned=True, workers=0
    )
    assert opened.reachable.all()
    assert (opened.time_p50_h == opened.time_p95_h).all()


def test_bad_input(bundled: CompiledNetwork) -> None:
    with pytest.raises(UnknownPlaceError, match="closest matches"):
        matrix(bundled, ["Xian", "Almatyy"], samples=0)
    with pytest.raises(QueryError, match="samples"):
        matrix(bundled, ["Xian", "Almaty"], samples=-1)
    with pytest.raises(QueryError, match="sort"):
        matrix(bundled, ["Xian", "Almaty"], sort="speed")
    with pytest.raises(QueryError, match="workers"):
        matrix(bundled, ["Xian", "Almaty"], samples=0, workers=1, scheduler="tcp://127.0.0.1:1")


# ---------------------------------------------------------------- the command


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["matrix", "--network", TINY, "--depart", DEPART, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("suffix", [".csv", ".parquet"])
def test_command_writes_csv_and_parquet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"skims{suffix}"
    code, stdout, err = run(capsys, "--all", "--samples", "50", "--out", str(out))
    assert code == 0, err
    assert "pairs" in err and stdout == ""
    got = pd.read_csv(out) if suffix == ".csv" else pd.read_parquet(out)
    assert tuple(got.columns) == COLUMNS
    net = compile_network(load_network(Path(TINY)))
    want = matrix(net, depart=DEPART, samples=50, workers=0)
    assert len(got) == len(want)
    assert got.time_p90_h.to_numpy() == pytest.approx(want.time_p90_h.to_numpy(), nan_ok=True)


def test_command_prints_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--all", "--samples", "0")
    assert code == 0, err
    assert "P50 days" in out and "pairs" in out and "medians only" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--places", "Nowhere,Elsewhere"], "unknown place"),
        ([], "--places"),
        (["--all", "--places", "A"], "--places"),
        (["--all", "--out", "skims.xlsx"], ".csv or a .parquet"),
        (["--all", "--sort", "speed"], "Error"),
    ],
)
def test_command_bad_input_exits_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err and ("error:" in err or "Usage:" in err)
    assert "Traceback" not in err + out and "internal error" not in err


def test_command_takes_a_scenario(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The CKU railway scenario opens a route to Makmal, which only that railway reaches."""
    out = tmp_path / "cku.csv"
    args = ["matrix", "--places", "Kashgar,Makmal", "--samples", "0", "--depart", DEPART]
    assert main([*args, "--out", str(out)]) == 0
    assert not pd.read_csv(out).reachable.any()
    assert main([*args, "--scenario", "cku-open", "--out", str(out)]) == 0
    assert pd.read_csv(out).reachable.all()
    capsys.readouterr()
