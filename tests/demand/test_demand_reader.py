"""Users' demand tables: CSV and Parquet, every row read or rejected with its reason."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from silkway.demand import DEMAND_COLUMNS, DemandError, demand_summary, read_demand
from silkway.demand.units import bundled_conversions
from silkway.model import load_network
from silkway.model.records import Network

HEADER = "origin,destination,volume,unit,cargo_class,value_usd\n"
GOOD = (
    HEADER
    + "Xian,Duisburg,100,FEU,container,\n"
    + "Сиань,DE_DUI,200,TEU,container,\n"
    + "西安,Almaty,2000,t/year,general,5000000\n"
    + "KZ_ATS,CN_ALA,1.5,Mt,liquid_bulk,800000000\n"
)


@pytest.fixture(scope="module")
def network() -> Network:
    return load_network()


def _write(tmp_path: Path, text: str, name: str = "od.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _problems(path: Path, network: Network) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(DemandError) as info:
        read_demand(path, network=network)
    assert str(path) in str(info.value)
    return [(p.line, p.field, p.message) for p in info.value.problems]


def test_csv_is_read_with_names_in_any_language(tmp_path: Path, network: Network) -> None:
    path = _write(tmp_path, GOOD)
    frame = read_demand(path, network=network)
    assert tuple(frame.columns) == DEMAND_COLUMNS
    conv = bundled_conversions()
    rows = {(r.origin, r.destination, r.cargo_class): r for r in frame.itertuples(index=False)}
    assert set(rows) == {
        ("CN_XIA", "DE_DUI", "container"),
        ("CN_XIA", "KZ_ALA", "general"),
        ("KZ_ATS", "CN_ALA", "liquid_bulk"),
    }
    box = rows["CN_XIA", "DE_DUI", "container"]  # 100 FEU + 200 TEU, summed
    assert box.feu_per_year == 200.0
    assert box.tonnes_per_year == pytest.approx(200 * conv.t_per_feu["container"])
    assert math.isnan(box.value_usd)
    assert box.source == f"user:{path}:2;user:{path}:3"
    general = rows["CN_XIA", "KZ_ALA", "general"]
    assert general.tonnes_per_year == 2000.0
    assert general.feu_per_year == pytest.approx(2000 / conv.t_per_feu["general"])
    assert general.value_usd == 5e6
    oil = rows["KZ_ATS", "CN_ALA", "liquid_bulk"]
    assert (oil.feu_per_year, oil.tonnes_per_year, oil.value_usd) == (0.0, 1.5e6, 8e8)
    assert frame.attrs["rows_read"] == 4
    summary = demand_summary(frame)
    assert f"read 4 rows from {path}" in summary
    assert "3 rows (origin, destination, class): 3 OD pairs" in summary


def test_parquet_gives_the_same_frame_as_csv(tmp_path: Path, network: Network) -> None:
    csv_frame = read_demand(_write(tmp_path, GOOD), network=network)
    table = pa.table(
        {
            "origin": ["Xian", "Сиань", "西安", "KZ_ATS"],
            "destination": ["Duisburg", "DE_DUI", "Almaty", "CN_ALA"],
            "volume": [100, 200, 2000.0, 1.5],
            "unit": ["FEU", "TEU", "t/year", "Mt"],
            "cargo_class": ["container", "container", "general", "liquid_bulk"],
            "value_usd": [None, None, 5e6, 8e8],
        }
    )
    path = tmp_path / "od.parquet"
    pq.write_table(table, path)
    frame = read_demand(path, network=network)
    cols = [c for c in DEMAND_COLUMNS if c != "source"]
    pd.testing.assert_frame_equal(frame[cols], csv_frame[cols])
    assert frame["source"].iloc[0] == f"user:{path}:2;user:{path}:3"


def test_frame_survives_a_parquet_and_csv_round_trip(tmp_path: Path, network: Network) -> None:
    frame = read_demand(_write(tmp_path, GOOD), network=network)
    frame.to_parquet(tmp_path / "out.parquet", index=False)
    back = pd.read_parquet(tmp_path / "out.parquet")
    pd.testing.assert_frame_equal(back, frame, check_dtype=False)
    frame.to_csv(tmp_path / "out.csv", index=False)
    again = pd.read_csv(tmp_path / "out.csv")
    pd.testing.assert_frame_equal(again, frame, check_dtype=False)


def test_parquet_found_by_content_whatever_its_name(tmp_path: Path, network: Network) -> None:
    frame = pd.DataFrame(
        {"origin": ["Xian"], "destination": ["Duisburg"], "volume": [1.0], "unit": ["FEU"],
         "cargo_class": ["container"]}
    )  # fmt: skip
    frame.to_parquet(tmp_path / "od.dat", index=False)
    assert read_demand(tmp_path / "od.dat", network=network)["feu_per_year"].iloc[0] == 1.0


@pytest.mark.parametrize(
    ("row", "field", "reason"),
    [
        ("Xiann,Duisburg,1,FEU,container,", "origin", "unknown place 'Xiann'; closest matches"),
        ("Xian,Dusiburg,1,FEU,container,", "destination", "Duisburg (duisport) (DE_DUI)"),
        ("Xian,Duisburg,-5,FEU,container,", "volume", "volume -5 is negative"),
        ("Xian,Duisburg,abc,FEU,container,", "volume", "volume 'abc' is not a number"),
        ("Xian,Duisburg,inf,FEU,container,", "volume", "not a finite number"),
        ("Xian,Duisburg,,FEU,container,", "volume", "volume is missing"),
        ("Xian,Duisburg,1,boxes,container,", "unit", "unknown unit 'boxes'"),
        ("Xian,Duisburg,1,,container,", "unit", "unit is missing"),
        ("Xian,Duisburg,1,FEU,grain,", "cargo_class", "unknown cargo class 'grain'"),
        ("Xian,Duisburg,1,FEU,container,-3", "value_usd", "value_usd -3 is negative"),
        ("Xian,Duisburg,1,FEU,container,lots", "value_usd", "'lots' is not a number"),
        ("Xian,Duisburg,1,FEU,dry_bulk,", "unit", "dry_bulk is bulk, not containerised"),
        ("Xian,CN_XIA,1,FEU,container,", "destination", "the same place (CN_XIA)"),
        (",Duisburg,1,FEU,container,", "origin", "missing place"),
    ],
)
def test_bad_row_is_rejected_with_its_line_and_reason(
    tmp_path: Path, network: Network, row: str, field: str, reason: str
) -> None:
    path = _write(tmp_path, GOOD + row + "\n")
    problems = _problems(path, network)
    assert len(problems) == 1
    line, got_field, message = problems[0]
    assert (line, got_field) == (6, field)
    assert reason in message


def test_every_bad_row_is_listed(tmp_path: Path, network: Network) -> None:
    text = HEADER + "Xian,Duisburg,-1,FEU,container,\nXian,Duisburg,1,FEU,container,\n"
    text += "Xian,Nowhere,x,FEU,container,\n"
    problems = _problems(_write(tmp_path, text), network)
    assert [(line, field) for line, field, _ in problems] == [
        (2, "volume"), (4, "destination"), (4, "volume"),
    ]  # fmt: skip


def test_ambiguous_name_is_rejected(tmp_path: Path, network: Network) -> None:
    path = _write(tmp_path, HEADER + "Sarakhs,Duisburg,1,FEU,container,\n")
    problems = _problems(path, network)
    assert problems[0][:2] == (2, "origin")
    assert "ambiguous" in problems[0][2]


def test_missing_and_unknown_columns(tmp_path: Path, network: Network) -> None:
    path = _write(tmp_path, "origin,destination,amount,cargo_class\nXian,Duisburg,1,container\n")
    problems = _problems(path, network)
    assert [(line, field) for line, field, _ in problems] == [
        (1, "volume"), (1, "unit"), (1, "amount"),
    ]  # fmt: skip
    assert "required column 'volume' is missing" in problems[0][2]


def test_row_with_too_many_cells(tmp_path: Path, network: Network) -> None:
    path = _write(tmp_path, GOOD + "Xian,Duisburg,1,FEU,container,,extra\n")
    assert _problems(path, network) == [(6, None, "row has more cells than the header")]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "is empty"),
        (HEADER.encode(), "has a header but no data rows"),
        (HEADER.encode() + b"Xi\xe4n,Duisburg,1,FEU,container,\n", "is not UTF-8 text"),
        (b"PAR1 this is not parquet", "is not a readable Parquet file"),
        (b'origin,destination\n"Xian,Duis\x00burg\n', "holds NUL bytes"),
    ],
)
def test_bad_file(tmp_path: Path, network: Network, content: bytes, reason: str) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    problems = _problems(path, network)
    assert len(problems) == 1 and reason in problems[0][2]


def test_unreadable_file(tmp_path: Path, network: Network) -> None:
    problems = _problems(tmp_path / "missing.csv", network)
    assert problems == [(None, None, "cannot be read: No such file or directory")]


def test_parquet_bad_rows_are_numbered_like_csv_lines(tmp_path: Path, network: Network) -> None:
    table = pa.table(
        {
            "origin": ["Xian", "Xian", None],
            "destination": ["Duisburg", "Duisburg", "Duisburg"],
            "volume": [1.0, -2.0, None],
            "unit": ["FEU", "FEU", "FEU"],
            "cargo_class": ["container", "container", "container"],
        }
    )
    path = tmp_path / "od.parquet"
    pq.write_table(table, path)
    problems = _problems(path, network)
    assert [(line, field) for line, field, _ in problems] == [
        (3, "volume"), (4, "origin"), (4, "volume"),
    ]  # fmt: skip


def test_parquet_with_text_volumes_and_booleans(tmp_path: Path, network: Network) -> None:
    table = pa.table(
        {
            "origin": ["Xian", "Xian"],
            "destination": ["Duisburg", "Duisburg"],
            "volume": ["12", "many"],
            "unit": ["FEU", "FEU"],
            "cargo_class": ["container", "container"],
            "value_usd": [True, None],
        }
    )
    path = tmp_path / "od.parquet"
    pq.write_table(table, path)
    problems = _problems(path, network)
    assert [(line, field) for line, field, _ in problems] == [(2, "value_usd"), (3, "volume")]


def test_output_schema_file_is_read_back_as_it_is(tmp_path: Path, network: Network) -> None:
    frame = read_demand(_write(tmp_path, GOOD), network=network)
    for name in ("out.parquet", "out.csv"):
        path = tmp_path / name
        if name.endswith("parquet"):
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False)
        back = read_demand(path, network=network)
        cols = [c for c in DEMAND_COLUMNS if c != "source"]
        pd.testing.assert_frame_equal(back[cols], frame[cols])
        assert back["source"].tolist() == [f"user:{path}:{i}" for i in (2, 3, 4)]


def test_output_schema_file_with_bad_rows(tmp_path: Path, network: Network) -> None:
    text = "origin,destination,cargo_class,feu_per_year,tonnes_per_year\n"
    text += "Xian,Duisburg,container,10,166\nKZ_ATS,CN_ALA,liquid_bulk,5,100\n"
    text += "Xian,Duisburg,general,,-1\n"
    problems = _problems(_write(tmp_path, text), network)
    assert [(line, field) for line, field, _ in problems] == [
        (3, "feu_per_year"), (4, "feu_per_year"), (4, "tonnes_per_year"),
    ]  # fmt: skip
    assert "bulk, not containerised" in problems[0][2]


def test_output_schema_file_missing_a_column(tmp_path: Path, network: Network) -> None:
    text = "origin,destination,cargo_class,feu_per_year\nXian,Duisburg,container,10\n"
    problems = _problems(_write(tmp_path, text), network)
    assert problems[0][:2] == (1, "tonnes_per_year")


def test_load_demand_picks_the_file_or_the_bundled_table(tmp_path: Path, network: Network) -> None:
    from silkway.demand import bundled_demand, load_demand

    path = _write(tmp_path, GOOD)
    pd.testing.assert_frame_equal(
        load_demand(path, network=network), read_demand(path, network=network)
    )
    pd.testing.assert_frame_equal(load_demand(network=network), bundled_demand(network))


def test_semicolon_separated_csv(tmp_path: Path, network: Network) -> None:
    path = _write(tmp_path, GOOD.replace(",", ";"))
    pd.testing.assert_frame_equal(
        read_demand(path, network=network).drop(columns="source"),
        read_demand(_write(tmp_path, GOOD, "b.csv"), network=network).drop(columns="source"),
    )


def test_duplicate_column(tmp_path: Path, network: Network) -> None:
    text = "origin,destination,volume,unit,cargo_class,volume\nXian,Duisburg,1,FEU,container,2\n"
    problems = _problems(_write(tmp_path, text), network)
    assert problems == [(1, "volume", "column 'volume' appears 2 times")]


def test_a_repeated_unknown_name_is_reported_on_every_row(tmp_path: Path, network: Network) -> None:
    text = HEADER + "Nowhere,Duisburg,1,FEU,container,\n" * 3
    problems = _problems(_write(tmp_path, text), network)
    assert [(line, field) for line, field, _ in problems] == [
        (2, "origin"), (3, "origin"), (4, "origin"),
    ]  # fmt: skip
    assert len({message for _, _, message in problems}) == 1


def test_column_names_ignore_case_and_spaces(tmp_path: Path, network: Network) -> None:
    text = "Origin, Destination ,VOLUME,Unit,Cargo Class,Value USD\n"
    frame = read_demand(
        _write(tmp_path, text + "Xian,Duisburg,1,FEU,container,\n"), network=network
    )
    assert frame["feu_per_year"].tolist() == [1.0]
    table = pa.table({"Origin": ["Xian"], "Destination": ["Duisburg"], "Volume": [2.0],
                      "UNIT": ["FEU"], "cargo class": ["container"]})  # fmt: skip
    pq.write_table(table, tmp_path / "od.parquet")
    assert read_demand(tmp_path / "od.parquet", network=network)["feu_per_year"].tolist() == [2.0]


def test_parquet_duplicate_column(tmp_path: Path, network: Network) -> None:
    table = pa.table(
        [pa.array(["Xian"]), pa.array(["Duisburg"]), pa.array([1.0]), pa.array(["FEU"]),
         pa.array(["container"]), pa.array(["Almaty"])],
        names=["origin", "destination", "volume", "unit", "cargo_class", "Origin"],
    )  # fmt: skip
    pq.write_table(table, tmp_path / "od.parquet")
    problems = _problems(tmp_path / "od.parquet", network)
    assert problems == [(1, "origin", "column 'origin' appears 2 times")]
