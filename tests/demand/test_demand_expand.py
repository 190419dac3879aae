"""The country -> place expansion preserves totals, whatever the shares; no import-time work."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from silkway.demand import read_trade_tables
from silkway.demand._frame import DemandRecord, demand_frame
from silkway.demand.bundled import Flow, Segment, TradeTables, _records
from silkway.model import load_network
from silkway.model.records import Network

NETWORK: Network = load_network()
PLACES = sorted(NETWORK.places)
TABLES: TradeTables = read_trade_tables()


@st.composite
def zone(draw: st.DrawFn) -> tuple[tuple[str, float, int], ...]:
    places = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=5, unique=True))
    weights = draw(st.lists(st.integers(1, 100), min_size=len(places), max_size=len(places)))
    total = sum(weights)
    return tuple(
        (p, w / total, i + 2) for i, (p, w) in enumerate(zip(places, weights, strict=True))
    )


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    origin=zone(),
    destination=zone(),
    quantity=st.floats(min_value=0.0, max_value=1e7, allow_nan=False),
    unit=st.sampled_from(["bn USD", "TEU", "Mt"]),
    cargo=st.sampled_from(["container", "general", "dry_bulk"]),
    share=st.floats(min_value=0.0, max_value=1.0),
)
def test_expansion_preserves_totals(
    origin: tuple[tuple[str, float, int], ...],
    destination: tuple[tuple[str, float, int], ...],
    quantity: float,
    unit: str,
    cargo: str,
    share: float,
) -> None:
    assume(not {p for p, _, _ in origin} & {p for p, _, _ in destination})
    if unit == "TEU" and cargo == "dry_bulk":
        cargo = "container"  # bulk has no container count
    flow = Flow("f", "test", "AA", "BB", 2024, quantity, unit, "expand", {}, "", 2)
    seg = Segment("s", "f", "zo", "zd", cargo, share, 1.0, "", {}, "", 2)
    if unit == "bn USD":
        seg = replace(seg, usd_per_t="usd_per_t_dry_bulk")
    tables = replace(
        TABLES, flows={"f": flow}, segments={"s": seg}, zones={"zo": origin, "zd": destination}
    )
    records = [r for _, r in _records(tables, NETWORK)]
    frame = demand_frame(records)
    base_unit, amount = flow.base()
    amount *= share
    conv = tables.conversions
    if base_unit == "USD":
        assert frame["value_usd"].sum() == pytest.approx(amount, rel=1e-9, abs=1e-6)
        tonnes = amount / tables.values["usd_per_t_dry_bulk"]
    elif base_unit == "TEU":
        tonnes = amount / conv.teu_per_feu * conv.t_per_feu[cargo]
        assert frame["feu_per_year"].sum() == pytest.approx(amount / 2, rel=1e-9, abs=1e-6)
    else:
        tonnes = amount
    assert frame["tonnes_per_year"].sum() == pytest.approx(tonnes, rel=1e-9, abs=1e-6)
    pairs = {(o, d) for o, _, _ in origin for d, _, _ in destination}
    assert set(zip(frame["origin"], frame["destination"], strict=True)) == pairs


def test_a_segment_sending_freight_to_itself_is_an_error() -> None:
    from silkway.demand import DemandError

    seg = replace(TABLES.segments["cn_kz_export"], destination="CN_URC")
    tables = replace(TABLES, segments={"cn_kz_export": seg})
    with pytest.raises(DemandError, match="sends freight from CN_URC to itself"):
        list(_records(tables, NETWORK))


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B"]),
            st.sampled_from(["C", "D"]),
            st.floats(0, 1e6),
            st.floats(0, 1e6),
            st.one_of(st.just(float("nan")), st.floats(0, 1e9)),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_aggregation_preserves_totals(rows: list[tuple[str, str, float, float, float]]) -> None:
    records = [DemandRecord(o, d, "container", f, t, v, f"x{i}") for i, (o, d, f, t, v) in
               enumerate(rows)]  # fmt: skip
    frame = demand_frame(records)
    assert frame["feu_per_year"].sum() == pytest.approx(sum(r[2] for r in rows))
    assert frame["tonnes_per_year"].sum() == pytest.approx(sum(r[3] for r in rows))
    for row in frame.itertuples(index=False):
        parts = [r for r in rows if (r[0], r[1]) == (row.origin, row.destination)]
        values = [r[4] for r in parts]
        if any(v != v for v in values):
            assert row.value_usd != row.value_usd  # NaN: some part unknown
        else:
            assert row.value_usd == pytest.approx(sum(values))
        assert len(row.source.split(";")) == len(parts)


def test_import_does_no_work() -> None:
    code = (
        "import sys, silkway.demand as d; "
        "assert d.DEMAND_COLUMNS[0] == 'origin'; "
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_check_flow_must_match_its_corridor() -> None:
    from silkway.demand.bundled import _check_totals

    assert _check_totals(TABLES.flows) == []
    flows = dict(TABLES.flows)
    flows["cn_kz_2024"] = replace(flows["cn_kz_2024"], quantity=40.0)
    (problem,) = _check_totals(flows)
    assert problem.file == "flows.csv" and problem.field == "quantity"
    assert "cn_ca_total_2024 is 94.82 bn USD, but the 5 expanded flows" in problem.message
