"""``benchmarks/validation.py``: the published figures are well formed, the model values
are computed from the network (checked by hand on the tiny network), inputs are told
from checks, and ``docs/validation.md`` shows what the script prints."""

from __future__ import annotations

import csv
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import pytest

import silkway
from silkway.model import load_network

ROOT = Path(__file__).resolve().parents[2]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "validation_script", ROOT / "benchmarks" / "validation.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look the module up
    spec.loader.exec_module(module)
    return module


V = _load()


def _row(**kw):
    base = dict(
        id="X1",
        group="test",
        what="test",
        low=1.0,
        high=None,
        unit="h",
        measure="km",
        origin="A",
        destination="D",
        options={"modes": ["rail"]},
        source="made up",
        date="2026",
        url="",
        source_ids=(),
        line=2,
    )
    base.update(kw)
    return V.Published(**base)


@pytest.fixture(scope="module")
def tiny():
    return silkway.compile_network(load_network(ROOT / "tests" / "data" / "tiny"))


def test_hand_values_on_tiny(tiny) -> None:
    """A -> D by rail: A-B 200 km, B-C 100 km (the border leaving B: median 10 h,
    P90 30 h), C-D 300 km; every number sourced from t_src, the transfers t_est."""
    km, border = V.rows(
        tiny,
        [
            _row(id="K", measure="km", low=600),
            _row(id="B", measure="border_mean_h", low=10, source_ids=("t_src",)),
        ],
    )
    assert km.model == pytest.approx(600) and km.agrees and km.input_share == 0.0
    sigma = math.log(30 / 10) / 1.2815515655446004
    assert border.model == pytest.approx(10 * math.exp(sigma**2 / 2))
    assert border.input_share == pytest.approx(1.0)
    assert border.verdict.startswith("input, not a check")
    assert not border.agrees and "higher" in border.verdict


def test_ranges_and_points() -> None:
    p = _row(low=20, high=22)
    assert V.Row(p, 21.0, 0.0).agrees and V.Row(p, 21.0, 0.0).diff == 0.0
    assert V.Row(p, 24.2, 0.0).diff == pytest.approx(0.1)
    assert V.Row(p, 18.0, 0.0).verdict == "model 10% lower"
    q = _row(low=100)
    assert V.Row(q, 110.0, 0.0).agrees and not V.Row(q, 111.0, 0.0).agrees
    assert V.Row(q, 150.0, 0.3).verdict == "model 50% higher; partly input (30%)"


def test_published_table_is_well_formed() -> None:
    rows = V.read_published()
    assert len(rows) >= 30
    assert len({r.id for r in rows}) == len(rows)
    sources = load_network().sources
    groups = {r.group for r in rows}
    assert {"section time", "border dwell", "sailing", "tariff", "end to end"} <= groups
    for r in rows:
        assert r.source and r.date, r.id
        assert all(s in sources for s in r.source_ids), r.id
        assert r.high is None or r.high > r.low


def test_bad_table_names_file_line_field(tmp_path: Path) -> None:
    path = tmp_path / "published.csv"
    with V.DATA.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows[3][rows[0].index("measure")] = "speed_of_light"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(V.DataError, match=r"published\.csv:4 \[measure\]: unknown measure"):
        V.read_published(path)


def test_doc_shows_what_the_script_prints(capsys: pytest.CaptureFixture[str]) -> None:
    assert V.main([]) == 0
    printed = capsys.readouterr().out
    assert printed == V.generated_part(), (
        "docs/validation.md is stale: run python benchmarks/validation.py --write-doc"
    )
    assert "Inputs, not checks:" in printed and "| S1 |" in printed
