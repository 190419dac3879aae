"""Timetabled services along several links keep one timetable at every stop."""

from __future__ import annotations

from dataclasses import replace

import pytest

from silkway import plan
from silkway.model.records import Network, Service


@pytest.fixture(scope="module")
def net(tiny_network: Network) -> Network:
    """The tiny network with a rail service C-B-A leaving C on Mondays at 06:00 UTC.

    C -> B: 100 km at 50 km/h = 2 h, then the C->B border (xCB, median 5 h) is part of
    the schedule because the service runs on; B -> A: 200 km at 50 km/h = 4 h. So the
    train is due at B at 06:00 + 2 + 5 = 13:00 and at A at 17:00.
    """
    services = {
        "cba": Service(
            "cba",
            "Rail C-B-A",
            "timetable",
            "rail",
            ("BC", "AB"),
            ("container",),
            departures=(6.0,),
            bidirectional=False,
        )
    }
    return replace(tiny_network, services=services)


def _arrival_hours(result, start: float) -> float:  # type: ignore[no-untyped-def]
    (option,) = [o for o in result.options if {leg.mode for leg in o.legs} == {"rail"}]
    return start + option.hours_median_basis


def test_boarding_at_a_later_stop_catches_the_same_train(net: Network) -> None:
    through = plan(net, "C", "A", modes=["rail"], depart="2026-12-07T00:00", uncertainty=False)
    assert _arrival_hours(through, 0.0) == pytest.approx(17.0)
    # waiting at B from 12:00: the train is due at 13:00 and reaches A at 17:00
    later = plan(net, "B", "A", modes=["rail"], depart="2026-12-07T12:00", uncertainty=False)
    assert _arrival_hours(later, 12.0) == pytest.approx(17.0)
    (leg,) = later.options[0].legs
    assert leg.service_id == "cba"
    assert leg.wait_hours == pytest.approx(1.0)
    # missing it by a minute means next Monday's train
    missed = plan(net, "B", "A", modes=["rail"], depart="2026-12-07T13:01", uncertainty=False)
    assert _arrival_hours(missed, 13 + 1 / 60) == pytest.approx(168 + 17.0)


def test_the_shipment_stays_on_board_through_the_stop(net: Network) -> None:
    through = plan(net, "C", "A", modes=["rail"], depart="2026-12-07T00:00", uncertainty=False)
    first, second = through.options[0].legs
    assert first.service_id == second.service_id == "cba"
    # no second wait for the service at B: only the border dwell on the first leg
    assert [w.code for w in second.waits] == []
    assert [w.code for w in first.waits] == ["service.timetable", "border.dwell"]
