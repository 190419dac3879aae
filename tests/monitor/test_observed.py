"""Observed times from events: hand-made logs of the tiny network, with hand-computed
border dwell, ferry waits and door-to-door times."""

from __future__ import annotations

import datetime as dt
import uuid

import numpy as np
import pandas as pd
import pytest

from silkway.model import load_network
from silkway.model.records import Network
from silkway.monitor.calibrate import CalibrationError
from silkway.monitor.observed import (
    EVENT_COLUMNS,
    crossing_times,
    observed_times,
    period_bounds,
    read_events,
    shipments,
)
from silkway.monitor.store import Store

T0 = pd.Timestamp("2026-03-02T00:00:00Z")


def events(rows: list[tuple[str, str, str, str, float]]) -> pd.DataFrame:
    """(shipment, event type, place, mode, hours after T0) -> an events frame."""
    frame = pd.DataFrame(
        [(s, e, p, m, T0 + pd.Timedelta(hours=h)) for s, e, p, m, h in rows],
        columns=list(EVENT_COLUMNS),
    )
    return frame.sort_values(["shipment_id", "ts"], kind="stable", ignore_index=True)


LOG = events(
    [
        # S1: A -> C by rail over Bravo-Charlie (link BC: 100 km at 50 km/h, 2 h)
        ("S1", "departure", "A", "rail", 0.0),
        ("S1", "border_entry", "B", "rail", 5.0),
        ("S1", "border_exit", "C", "rail", 19.0),  # 14 h = 12 h dwell + 2 h ride
        ("S1", "arrival", "C", "rail", 20.5),
        # S2: C -> E by rail, then the Delta-Echo ferry, a crossing on the ferry link
        ("S2", "departure", "C", "rail", 0.0),
        ("S2", "border_entry", "D", "ferry", 8.0),
        ("S2", "ferry_load", "D", "ferry", 11.0),  # dwell 3 h: entry to load
        ("S2", "ferry_depart", "D", "ferry", 51.0),  # wait 40 h
        ("S2", "ferry_arrive", "E", "ferry", 71.0),
        ("S2", "border_exit", "E", "ferry", 72.0),
        ("S2", "arrival", "E", "ferry", 75.0),
        # S3: an entry whose exit was lost, a ride shorter than the link's median
        ("S3", "departure", "A", "rail", 0.0),
        ("S3", "border_entry", "B", "rail", 4.0),
        ("S3", "arrival", "C", "rail", 30.0),
        ("S4", "border_entry", "C", "rail", 1.0),
        ("S4", "border_exit", "B", "rail", 2.5),  # 1.5 h, less than the 2 h ride: 0
        # S6: the ferry crossing Delta-Echo with its ferry_load lost: no dwell known
        ("S6", "border_entry", "D", "ferry", 1.0),
        ("S6", "ferry_depart", "D", "ferry", 30.0),
        ("S6", "border_exit", "E", "ferry", 52.0),
        # S5: a ferry load at E without an arrive event: the only queue service there
        ("S5", "ferry_load", "E", "ferry", 2.0),
        ("S5", "ferry_depart", "E", "ferry", 12.0),
    ]
)


def test_border_dwell_and_ferry_waits(tiny_network: Network) -> None:
    every = observed_times(tiny_network, LOG)
    unknown = every[every["hours"].isna()]
    assert list(unknown["shipment_id"]) == ["S6"]  # a passage whose dwell is not known
    assert "S6" in set(crossing_times(tiny_network, LOG)["shipment_id"])
    got = every[every["hours"].notna()]
    rows = sorted(zip(got["kind"], got["item_id"], got["shipment_id"], got["hours"], strict=True))
    assert rows == [
        ("crossing", "xBC", "S1", 12.0),
        ("crossing", "xCB", "S4", 0.0),
        ("crossing", "xDE", "S2", 3.0),
        ("service", "ferry_DE", "S2", 40.0),
        ("service", "ferry_DE", "S5", 10.0),
    ]
    s1 = got[got["shipment_id"] == "S1"].iloc[0]
    assert s1["started_at"] == T0 + pd.Timedelta(hours=5)


def test_door_to_door_with_border_places(tiny_network: Network) -> None:
    got = shipments(LOG).set_index("shipment_id")
    assert sorted(got.index) == ["S1", "S2", "S3"]  # S4, S5: no departure
    assert got.loc["S1", "hours"] == 20.5
    assert (got.loc["S2", "origin"], got.loc["S2", "destination"]) == ("C", "E")
    assert got.loc["S2", "borders"] == ("D",)
    assert got.loc["S3", "borders"] == ("B",)
    assert got.loc["S1", "departed_at"] == T0


def test_events_from_a_store_in_a_period(store: Store) -> None:
    for i, row in LOG.iterrows():
        key = str(uuid.UUID(int=int(i)))  # event keys are UUIDs
        store.execute(
            "INSERT INTO sw_events (event_key, shipment_id, event_type, place_id, ts, mode, "
            "file_id, row_number) VALUES (?, ?, ?, ?, ?, ?, 'f', ?)",
            [key, row.shipment_id, row.event_type, row.place_id, row.ts, row["mode"], i],
        )
    every = read_events(store)
    day_one = read_events(store, since=dt.date(2026, 3, 2), until=dt.date(2026, 3, 2))
    none = read_events(store, since=dt.date(2026, 4, 1))
    # the frame is the same from either store
    pd.testing.assert_frame_equal(
        every[["shipment_id", "event_type", "place_id", "ts"]].reset_index(drop=True),
        LOG[["shipment_id", "event_type", "place_id", "ts"]].reset_index(drop=True),
        check_dtype=False,
    )
    assert len(every) == len(LOG)
    assert day_one["ts"].max() < T0 + pd.Timedelta(days=1)
    assert len(day_one) == int((LOG["ts"] < T0 + pd.Timedelta(days=1)).sum())
    assert none.empty and list(none.columns) == list(EVENT_COLUMNS)


def test_a_reversed_period_is_an_error() -> None:
    with pytest.raises(CalibrationError, match="--until 2026-01-01 is before --since 2026-02-01"):
        period_bounds(dt.date(2026, 2, 1), dt.date(2026, 1, 1))


def test_a_dwell_is_told_from_the_ride_only_on_short_links() -> None:
    # Khorgos-Altynkol: a 15 km rail link (0.75 h) against an 87 h dwell; Duisburg-Warsaw:
    # a 30 h rail link whose ride varies by hours against a half-hour border
    net = load_network()
    ride = net.links["R_KHG_ALT"].moving_hours()
    log = events(
        [
            ("K", "border_entry", "CN_KHG", "rail", 0.0),
            ("K", "border_exit", "KZ_ALT", "rail", 90.0),
            ("W", "border_entry", "DE_DUI", "rail", 0.0),
            ("W", "border_exit", "PL_WAW", "rail", 31.0),
        ]
    )
    got = observed_times(net, log).set_index("shipment_id")
    assert got.loc["K", "item_id"] == "X_R_KHG_ALT_CN_KHG"
    assert got.loc["K", "hours"] == pytest.approx(90.0 - ride)
    assert got.loc["W", "item_id"] == "X_R_WAW_DUI_DE_DUI"
    assert np.isnan(got.loc["W", "hours"]) and got.loc["W", "passage_hours"] == 31.0
