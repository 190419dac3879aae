"""The bundled trade table: sourced totals, provenance of every number, expansion."""

from __future__ import annotations

import csv
from collections import defaultdict, deque
from pathlib import Path

import pandas as pd
import pytest

from silkway.demand import DEMAND_COLUMNS, bundled_demand, bundled_segments, read_trade_tables
from silkway.demand.bundled import data_folder
from silkway.model import load_network
from silkway.model.loader import default_network_path
from silkway.model.records import CARGO_CLASSES, SOURCE_KINDS, Network


@pytest.fixture(scope="module")
def network() -> Network:
    return load_network()


@pytest.fixture(scope="module")
def frame(network: Network) -> pd.DataFrame:
    return bundled_demand(network)


@pytest.fixture(scope="module")
def segments(network: Network) -> pd.DataFrame:
    return bundled_segments(network)


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_schema(frame: pd.DataFrame) -> None:
    assert tuple(frame.columns) == DEMAND_COLUMNS
    assert not frame.duplicated(["origin", "destination", "cargo_class"]).any()
    assert (frame["origin"] != frame["destination"]).all()
    for col in ("feu_per_year", "tonnes_per_year", "value_usd"):
        assert frame[col].dtype == "float64"
    assert set(frame["cargo_class"]) <= set(CARGO_CLASSES)
    assert (frame["feu_per_year"] >= 0).all() and (frame["tonnes_per_year"] > 0).all()
    assert frame["source"].str.startswith("bundled:").all()
    bulk = frame["cargo_class"].isin(["dry_bulk", "liquid_bulk"])
    assert (frame.loc[bulk, "feu_per_year"] == 0).all()
    assert (frame.loc[~bulk, "feu_per_year"] > 0).all()


def test_china_central_asia_totals_match_the_sourced_figures(
    frame: pd.DataFrame, segments: pd.DataFrame
) -> None:
    tables = read_trade_tables()
    flows = tables.flows
    countries = [f for f in flows.values() if f.corridor == "china_central_asia"]
    by_country = {f.destination: f.quantity for f in countries if f.role == "expand"}
    assert by_country == {"KZ": 43.82, "KG": 22.71, "UZ": 13.78, "TM": 10.65, "TJ": 3.86}
    assert sum(by_country.values()) == pytest.approx(flows["cn_ca_total_2024"].quantity)
    assert flows["cn_ca_total_2024"].quantity == 94.82
    assert flows["cn_ca_road_share_2024"].quantity == 51.8
    # every dollar of the five countries' trade reaches a place-level row
    assert frame["value_usd"].sum(skipna=True) == pytest.approx(94.82e9, rel=1e-9)
    for flow in countries:
        if flow.role == "expand":
            got = segments.loc[segments["flow"] == flow.id, "value_usd"].sum()
            assert got == pytest.approx(flow.quantity * 1e9, rel=1e-9), flow.id


def test_rail_and_caspian_totals_match_the_sourced_figures(segments: pd.DataFrame) -> None:
    def total(flow: str, column: str) -> float:
        return float(segments.loc[segments["flow"] == flow, column].sum())

    # China-Europe trains: 2,077,216 TEU is 1,038,608 FEU, all of it expanded
    assert total("cr_express_2024", "feu_per_year") == pytest.approx(2_077_216 / 2, rel=1e-9)
    # Trans-Caspian containers: 55,000 TEU less the westbound EU part (counted above)
    expected = 55_000 / 2 * (1 - 0.8 * 0.1182)
    assert total("titr_containers_2024", "feu_per_year") == pytest.approx(expected, rel=1e-9)
    # Trans-Caspian tonnes: 4.5 Mt less the tonnes in containers (counted above)
    assert total("titr_cargo_2024", "tonnes_per_year") == pytest.approx(
        4.5e6 * (1 - 0.1014), rel=1e-9
    )


def test_left_out_parts_say_which_flow_counts_them() -> None:
    tables = read_trade_tables()
    excluded = [s for s in tables.segments.values() if s.excluded]
    assert {s.id for s in excluded} == {"titr_west_eu", "titr_in_containers"}
    for seg in excluded:
        assert "Not expanded" in seg.note
        assert any(flow in seg.note for flow in tables.flows if flow != seg.flow)


def test_expansion_preserves_every_segment_total(segments: pd.DataFrame) -> None:
    tables = read_trade_tables()
    for seg in tables.segments.values():
        if seg.excluded:
            continue
        unit, quantity = tables.flows[seg.flow].base()
        amount = quantity * seg.share * seg.split
        rows = segments[segments["segment"] == seg.id]
        if unit == "USD":
            assert rows["value_usd"].sum() == pytest.approx(amount, rel=1e-9)
            expected_t = amount / tables.values[seg.usd_per_t]
            assert rows["tonnes_per_year"].sum() == pytest.approx(expected_t, rel=1e-9)
        elif unit == "TEU":
            assert rows["feu_per_year"].sum() == pytest.approx(amount / 2, rel=1e-9)
        else:
            assert rows["tonnes_per_year"].sum() == pytest.approx(amount, rel=1e-9)


def test_frame_is_the_sum_of_the_segments(frame: pd.DataFrame, segments: pd.DataFrame) -> None:
    summed = segments.groupby(["origin", "destination", "cargo_class"], as_index=False)[
        ["feu_per_year", "tonnes_per_year"]
    ].sum()
    merged = frame.merge(summed, on=["origin", "destination", "cargo_class"], suffixes=("", "_s"))
    assert len(merged) == len(frame) == len(summed)
    assert (merged["feu_per_year"] - merged["feu_per_year_s"]).abs().max() < 1e-6
    assert (merged["tonnes_per_year"] - merged["tonnes_per_year_s"]).abs().max() < 1e-6


def test_every_number_has_a_provenance_row() -> None:
    folder = data_folder()
    own = {r["id"]: r for r in _csv(folder / "sources.csv")}
    net = {r["id"]: r for r in _csv(default_network_path() / "sources.csv")}
    known = {**net, **own}
    numeric = {
        "flows.csv": ("quantity",),
        "segments.csv": ("share", "split"),
        "zones.csv": ("share",),
        "conversions.csv": ("value",),
    }
    used: set[str] = set()
    for file, fields in numeric.items():
        for row in _csv(folder / file):
            prov = dict(token.split("=", 1) for token in row["sources"].split())
            for field in fields:
                assert prov.get(field) in known, (file, row, field)
                used.add(prov[field])
    for sid, row in own.items():
        assert row["kind"] in SOURCE_KINDS, sid
        assert row["title"] and row["date"], sid
        if row["kind"] == "derived":
            inputs = [s for s in row["derived_from"].split(";") if s]
            assert inputs and all(s in known for s in inputs), sid
            assert row["note"], sid
        if row["kind"] == "estimate":
            assert row["note"], sid
        if row["kind"] == "sourced":
            assert row["publisher"] and "Confidence" in row["note"], sid
            assert row["url"] or "address" in row["note"].lower(), sid
    # every conversion a segment names exists, and the table's own sources are all used
    values = {r["id"] for r in _csv(folder / "conversions.csv")}
    for row in _csv(folder / "segments.csv"):
        assert not row["usd_per_t"] or row["usd_per_t"] in values
    derived_inputs = {s for r in own.values() for s in r["derived_from"].split(";") if s}
    cited = used | derived_inputs
    unused = {sid for sid in own if sid not in cited and "cross-check" not in own[sid]["note"]}
    unused -= {"orda2025_gac", "kg24_2025_transit", "cgtn2025_crexpress", "trend2024_titr"}
    unused -= {"timesca2025_edb"}  # cited in the note of est_kz_direction
    assert not unused


def _reachable(network: Network, cargo: str, start: str) -> set[str]:
    graph: dict[str, set[str]] = defaultdict(set)
    for link in network.links.values():
        if link.status != "operational" or cargo not in link.cargo:
            continue
        graph[link.from_id].add(link.to_id)
        if link.bidirectional:
            graph[link.to_id].add(link.from_id)
    seen, todo = {start}, deque([start])
    while todo:
        for nxt in graph[todo.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


def test_every_row_joins_places_linked_for_its_class(network: Network, frame: pd.DataFrame) -> None:
    reach: dict[tuple[str, str], set[str]] = {}
    for row in frame.itertuples(index=False):
        key = (str(row.cargo_class), str(row.origin))
        if key not in reach:
            reach[key] = _reachable(network, *key)
        assert row.destination in reach[key], row


def test_unknown_place_in_another_network_is_an_error(tiny_network: Network) -> None:
    from silkway.demand import DemandError

    with pytest.raises(DemandError) as info:
        bundled_demand(tiny_network)
    problems = info.value.problems
    assert problems and all("is not in network tiny" in p.message for p in problems)
    named = {p.message.split()[1] for p in problems}
    assert len(named) == len(problems)  # each missing place once
    assert "CN_URC" in named and "TJ_DYU" in named
    (direct,) = [p for p in problems if p.file == "segments.csv" and "TJ_DYU" in p.message]
    assert direct.line is not None and direct.field == "destination"
