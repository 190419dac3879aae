"""TFI1-TFI4 on a hand-made log, on DuckDB and PostgreSQL, against hand-computed answers.

The tiny network: A -rail 200 km- B =crossing xBC, rail 100 km= C -rail 300 km- D
=crossing xDE, ferry 300 km= E. Three shipments (all times UTC unless said):

S1, 20 t, March: departure A 00:00, freight 100 USD at A 00:00, gate B 04:00-05:00,
border entry B 06:00, fee 100000 KZT (= 200 USD at 500 KZT/USD) at B 07:00, unofficial
50 USD at C 10:00, border exit C 16:00, gauge change C 16:00-18:00, freight 300 USD at C
18:30, arrival D 22:00.

S2, 10 t, March, times written with +06:00: departure A 02:00Z, entry B 06:00Z, fee
150 USD at B 07:00Z, exit C 10:00Z, a gauge change start at C 10:00Z with no end (so
no delay), freight 240 USD at C 11:00Z, arrival D 16:00Z.

S3, 20 t, April: departure C 00:00 (rail), border entry D 06:00 (ferry), ferry load D
08:00, fee 50 USD at D 09:00, ferry departs D 12:00, arrives E 08:00 the next day,
border exit E 08:00, discharge E 10:00, arrival E 11:00.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from _monitor_events import Row, event, write_csv

from silkway.model.records import Network
from silkway.monitor import indicators
from silkway.monitor.currency import load_fx
from silkway.monitor.indicators import COLUMNS, tfi1, tfi2, tfi3, tfi4
from silkway.monitor.ingest import ingest
from silkway.monitor.store import Store

FX = """currency,month,units_per_usd,source,date,kind
USD,2026-03,1,,,
USD,2026-04,1,,,
KZT,2026-03,500,,,
"""


def _pay(ship: str, place: str, ts: str, amount: str, cur: str, cat: str, item: str) -> Row:
    return event(
        ship,
        "payment",
        place,
        ts,
        cost_item=item,
        cost_category=cat,
        cost_amount=amount,
        cost_currency=cur,
    )


def _log() -> list[Row]:
    s1 = [
        event("S1", "departure", "A", "2026-03-02T00:00:00Z", mode="rail", weight_t="20"),
        _pay("S1", "A", "2026-03-02T00:00:00Z", "100", "USD", "official", "freight"),
        event("S1", "gate_in", "B", "2026-03-02T04:00:00Z", mode="rail"),
        event("S1", "gate_out", "B", "2026-03-02T05:00:00Z", mode="rail"),
        event("S1", "border_entry", "B", "2026-03-02T06:00:00Z", mode="rail"),
        _pay("S1", "B", "2026-03-02T07:00:00Z", "100000", "KZT", "official", "fee"),
        _pay("S1", "C", "2026-03-02T10:00:00Z", "50", "USD", "unofficial", "tip"),
        event("S1", "border_exit", "C", "2026-03-02T16:00:00Z", mode="rail"),
        event("S1", "gauge_change_start", "C", "2026-03-02T16:00:00Z", mode="rail"),
        event("S1", "gauge_change_end", "C", "2026-03-02T18:00:00Z", mode="rail"),
        _pay("S1", "C", "2026-03-02T18:30:00Z", "300", "USD", "official", "freight"),
        event("S1", "arrival", "D", "2026-03-02T22:00:00Z", mode="rail"),
    ]
    s2 = [
        event("S2", "departure", "A", "2026-03-10T08:00:00+06:00", mode="rail", weight_t="10"),
        event("S2", "border_entry", "B", "2026-03-10T12:00:00+06:00", mode="rail"),
        _pay("S2", "B", "2026-03-10T13:00:00+06:00", "150", "USD", "official", "fee"),
        event("S2", "border_exit", "C", "2026-03-10T16:00:00+06:00", mode="rail"),
        event("S2", "gauge_change_start", "C", "2026-03-10T16:00:00+06:00", mode="rail"),
        _pay("S2", "C", "2026-03-10T17:00:00+06:00", "240", "USD", "official", "freight"),
        event("S2", "arrival", "D", "2026-03-10T22:00:00+06:00", mode="rail"),
    ]
    s3 = [
        event("S3", "departure", "C", "2026-04-01T00:00:00Z", mode="rail", weight_t="20"),
        event("S3", "border_entry", "D", "2026-04-01T06:00:00Z", mode="ferry"),
        event("S3", "ferry_load", "D", "2026-04-01T08:00:00Z", mode="ferry"),
        _pay("S3", "D", "2026-04-01T09:00:00Z", "50", "USD", "official", "fee"),
        event("S3", "ferry_depart", "D", "2026-04-01T12:00:00Z", mode="ferry"),
        event("S3", "ferry_arrive", "E", "2026-04-02T08:00:00Z", mode="ferry"),
        event("S3", "border_exit", "E", "2026-04-02T08:00:00Z", mode="ferry"),
        event("S3", "ferry_discharge", "E", "2026-04-02T10:00:00Z", mode="ferry"),
        event("S3", "arrival", "E", "2026-04-02T11:00:00Z", mode="ferry"),
    ]
    return s1 + s2 + s3


@pytest.fixture
def loaded(store: Store, tmp_path: Path, tiny_network: Network) -> Store:
    """The store, with the hand-made log ingested and the distances in place."""
    fx = tmp_path / "fx.csv"
    fx.write_text(FX, encoding="utf-8")
    summary = ingest(
        write_csv(tmp_path / "log.csv", _log()), store, network=tiny_network, fx=load_fx(fx)
    )
    assert (summary.rows_stored, summary.rows_quarantined) == (len(_log()), 0)
    indicators.prepare(store, tiny_network)
    return store


def _row(frame: pd.DataFrame, **keys: str) -> pd.Series:
    hit = frame
    for k, v in keys.items():
        hit = hit[hit[k] == v]
    assert len(hit) == 1, f"{keys}: {len(hit)} rows in\n{frame}"
    return hit.iloc[0]


def test_tfi1_time_to_clear(loaded: Store) -> None:
    frame = tfi1(loaded)
    assert tuple(frame.columns) == COLUMNS["tfi1"]
    bc = _row(frame, crossing_id="xBC", month="2026-03")
    # S1 06:00 -> 16:00 = 10 h; S2 06:00Z -> 10:00Z = 4 h
    assert bc["n"] == 2
    assert (bc["direction"], bc["mode"], bc["crossing"]) == ("CN->KZ", "rail", "Bravo-Charlie")
    assert bc["mean_hours"] == pytest.approx(7.0)
    assert bc["median_hours"] == pytest.approx(7.0)
    assert bc["p90_hours"] == pytest.approx(4 + 0.9 * 6)  # linear between the two
    de = _row(frame, crossing_id="xDE", month="2026-04")
    # S3: entry D 04-01 06:00 -> exit E 04-02 08:00 = 26 h (the sailing included)
    assert (de["n"], de["mean_hours"], de["mode"]) == (1, pytest.approx(26.0), "ferry")
    assert len(frame) == 2


def test_tfi2_cost_at_the_crossing(loaded: Store) -> None:
    frame = tfi2(loaded)
    assert tuple(frame.columns) == COLUMNS["tfi2"]
    bc = _row(frame, crossing_id="xBC", month="2026-03")
    # S1: 100000 KZT / 500 = 200 official + 50 unofficial = 250; S2: 150 official.
    # The freight at C 18:30 is after the exit and not counted.
    assert bc["n"] == 2
    assert bc["mean_usd"] == pytest.approx(200.0)
    assert bc["median_usd"] == pytest.approx(200.0)
    assert bc["p90_usd"] == pytest.approx(150 + 0.9 * 100)
    assert bc["mean_official_usd"] == pytest.approx((200 + 150) / 2)
    assert bc["mean_unofficial_usd"] == pytest.approx(50 / 2)
    assert bc["unofficial_share"] == pytest.approx(0.5)
    de = _row(frame, crossing_id="xDE", month="2026-04")
    assert de["mean_usd"] == pytest.approx(50.0)


def test_tfi3_cost_per_500_km_per_20_t(loaded: Store) -> None:
    frame = tfi3(loaded)
    assert tuple(frame.columns) == COLUMNS["tfi3"]
    ab = _row(frame, from_place="A", to_place="B", mode="rail", month="2026-03")
    # S1: 100 USD (paid at the departure, included) / (200/500) / (20/20) = 250
    # S2: no payment: 0 / (200/500) / (10/20) = 0
    assert (ab["n"], ab["km"]) == (2, pytest.approx(200.0))
    assert ab["mean_cost_usd"] == pytest.approx(50.0)
    assert ab["mean_usd_per_500km_20t"] == pytest.approx(125.0)
    assert ab["median_usd_per_500km_20t"] == pytest.approx(125.0)
    assert ab["p90_usd_per_500km_20t"] == pytest.approx(0.9 * 250)
    cd = _row(frame, from_place="C", to_place="D", mode="rail", month="2026-03")
    # S1: 300 / (300/500) / 1 = 500 (the unofficial 50 at C 10:00 is border cost);
    # S2: 240 / 0.6 / 0.5 = 800
    assert cd["mean_cost_usd"] == pytest.approx(270.0)
    assert cd["mean_usd_per_500km_20t"] == pytest.approx(650.0)
    assert cd["p90_usd_per_500km_20t"] == pytest.approx(500 + 0.9 * 300)
    cd4 = _row(frame, from_place="C", to_place="D", mode="rail", month="2026-04")
    assert (cd4["n"], cd4["mean_usd_per_500km_20t"]) == (1, pytest.approx(0.0))
    # E -> E (exit and arrival at one place) has no length and no row
    assert len(frame) == 3


def test_tfi4_speeds_per_section(loaded: Store) -> None:
    frame = tfi4(loaded, level="section")
    assert tuple(frame.columns) == COLUMNS["tfi4_section"]
    ab = _row(frame, from_place="A", to_place="B", month="2026-03")
    # S1: 6 h, of which 1 h at the terminal gate: SWOD 200/5 = 40, SWD 200/6
    # S2: 4 h, no delay: 50 and 50
    assert ab["mean_elapsed_hours"] == pytest.approx(5.0)
    assert ab["mean_delay_hours"] == pytest.approx(0.5)
    assert ab["swod_kmh"] == pytest.approx((40 + 50) / 2)
    assert ab["swd_kmh"] == pytest.approx((200 / 6 + 50) / 2)
    assert ab["median_swod_kmh"] == pytest.approx(45.0)
    cd = _row(frame, from_place="C", to_place="D", month="2026-03")
    # S1: 6 h with a 2 h gauge change: 300/4 = 75, 300/6 = 50; S2: the gauge change has
    # no end, so no delay: 50, 50
    assert cd["swod_kmh"] == pytest.approx(62.5)
    assert cd["swd_kmh"] == pytest.approx(50.0)
    assert cd["mean_delay_hours"] == pytest.approx(1.0)


def test_tfi4_speeds_per_trip(loaded: Store) -> None:
    frame = tfi4(loaded, level="trip")
    assert tuple(frame.columns) == COLUMNS["tfi4_trip"]
    ad = _row(frame, origin="A", destination="D", month="2026-03")
    # km 200 + 100 (the crossing's link) + 300 = 600.
    # S1: 22 h; delays 10 border + 1 gate + 2 gauge = 13: SWOD 600/9, SWD 600/22
    # S2: 14 h; delay 4 border: SWOD 60, SWD 600/14
    assert (ad["mode"], ad["n"], ad["km"]) == ("rail", 2, pytest.approx(600.0))
    assert ad["mean_elapsed_hours"] == pytest.approx(18.0)
    assert ad["mean_delay_hours"] == pytest.approx(8.5)
    assert ad["swod_kmh"] == pytest.approx((600 / 9 + 60) / 2)
    assert ad["swd_kmh"] == pytest.approx((600 / 22 + 600 / 14) / 2)
    ce = _row(frame, origin="C", destination="E", month="2026-04")
    # km 300 + 300 (ferry) + 0; 35 h. Delay: border 26 h less the 20 h sailing inside it
    # (the 4 h loading wait is inside the border time too), plus 2 h discharge = 8 h
    assert (ce["mode"], ce["km"]) == ("multimodal", pytest.approx(600.0))
    assert ce["mean_delay_hours"] == pytest.approx(8.0)
    assert ce["swod_kmh"] == pytest.approx(600 / 27)
    assert ce["swd_kmh"] == pytest.approx(600 / 35)


def test_months_pooled(loaded: Store) -> None:
    frame = tfi3(loaded, by_month=False)
    cd = _row(frame, from_place="C", to_place="D", mode="rail")
    # 500, 800 (March) and 0 (S3, April, no payment in the section)
    assert cd["month"] == "all"
    assert cd["n"] == 3
    assert cd["mean_usd_per_500km_20t"] == pytest.approx(1300 / 3)
    assert cd["median_usd_per_500km_20t"] == pytest.approx(500.0)


def test_empty_store_gives_empty_frames(store: Store) -> None:
    for frame, name in (
        (tfi1(store), "tfi1"),
        (tfi2(store), "tfi2"),
        (tfi3(store), "tfi3"),
        (tfi4(store, level="trip"), "tfi4_trip"),
    ):
        assert frame.empty
        assert tuple(frame.columns) == COLUMNS[name]


def test_bad_names_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown indicator 'tfi9'"):
        indicators.indicator_sql("tfi9")
    with pytest.raises(ValueError, match="TFI4 level must be one of section, trip"):
        tfi4(None, level="corridor")  # type: ignore[arg-type]


def test_distance_pairs_are_section_ends_and_crossings(loaded: Store) -> None:
    # sections A->B and C->D (S1, S2: rail; S3 starts at C by rail), each by its mode and
    # over any mode; E->E (S3's exit and arrival) is no pair; every crossing's two ends
    assert indicators.distance_pairs(loaded) == sorted(
        [
            ("A", "B", "rail"),
            ("A", "B", "any"),
            ("C", "D", "rail"),
            ("C", "D", "any"),
            ("B", "C", "rail"),
            ("C", "B", "rail"),
            ("A", "F", "road"),
            ("F", "A", "road"),
            ("D", "E", "ferry"),
            ("E", "D", "ferry"),
        ]
    )
