"""Opening windows in local time on the absolute clock, and weekly departures."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from silkway.compile.timing import (
    HOURS_PER_WEEK,
    frame_start,
    opening_windows,
    wait_for_departure,
    weekly_windows,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
WEEK = 168.0


# --------------------------------------------------------------------------- windows


def test_always_open_is_none() -> None:
    assert weekly_windows(range(7), None) is None
    assert weekly_windows([SUN, MON, TUE, WED, THU, FRI, SAT, MON], None) is None


def test_mon_fri_is_one_merged_interval() -> None:
    np.testing.assert_array_equal(weekly_windows(range(5), None), [[0, 120]])


def test_separate_days() -> None:
    np.testing.assert_array_equal(weekly_windows([MON, WED], None), [[0, 24], [48, 72]])


def test_opening_hours_each_day() -> None:
    w = weekly_windows([MON, TUE], (8.0, 17.5))
    np.testing.assert_array_equal(w, [[8, 17.5], [32, 41.5]])


def test_all_days_with_hours_is_not_always_open() -> None:
    w = weekly_windows(range(7), (6.0, 22.0))
    assert w is not None and w.shape == (7, 2)


def test_sunday_and_monday_are_not_merged_across_the_week_end() -> None:
    np.testing.assert_array_equal(weekly_windows([SUN, MON], None), [[0, 24], [144, 168]])


# --------------------------------------------------------------------------- opening

FRAME = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)  # a Monday
MON_FRI = (tuple(range(5)), None)
OFFICE = (tuple(range(5)), (9.0, 17.0))


def wait_until_open(t, spec, tz: str = ""):  # type: ignore[no-untyped-def]
    """Hours from ``t`` until a post open on ``spec`` (days, hours) is open."""
    w = opening_windows(spec[0], spec[1], tz, FRAME)
    if w is None:
        return 0.0 if np.isscalar(t) else np.zeros_like(t)
    return w.finish(t, 0.0) - t


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.0, 0.0),  # Monday 00:00: open
        (119.5, 0.0),  # Friday 23:30: open
        (120.0, 48.0),  # Saturday 00:00: closed until Monday 00:00 (168 - 120)
        (130.0, 38.0),  # Saturday 10:00
        (167.99, pytest.approx(0.01)),
        (168.0, 0.0),  # next Monday 00:00
        (3 * WEEK + 125.0, 43.0),  # Saturday 05:00 of the fourth week: 168 - 125
        (11 * WEEK + 50.0, 0.0),  # Wednesday 02:00, eleven weeks on
    ],
)
def test_wait_until_open_mon_fri(t: float, expected: float) -> None:
    assert wait_until_open(t, MON_FRI) == expected


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (8.0, 1.0),  # Monday 08:00 -> 09:00
        (9.0, 0.0),
        (16.99, 0.0),
        (17.0, 16.0),  # Monday 17:00 -> Tuesday 09:00 (24 + 9 - 17)
        (FRI * 24 + 18.0, 63.0),  # Friday 18:00 -> Monday 09:00: 6 + 48 + 9
        (5 * WEEK + FRI * 24 + 18.0, 63.0),  # same, five weeks later
        (-6.0, 15.0),  # Sunday 18:00 of the week before -> Monday 09:00
    ],
)
def test_wait_until_open_office_hours(t: float, expected: float) -> None:
    assert wait_until_open(t, OFFICE) == pytest.approx(expected)


def test_wait_until_open_always_open() -> None:
    always = (tuple(range(7)), None)
    assert opening_windows(*always, "", FRAME) is None
    assert wait_until_open(1234.5, always) == 0.0
    out = wait_until_open(np.array([0.0, 500.0]), always)
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, [0.0, 0.0])


def test_wait_until_open_scalar_is_float() -> None:
    w = wait_until_open(130.0, MON_FRI)
    assert isinstance(w, float)


def test_wait_until_open_on_arrays_matches_scalars() -> None:
    t = np.array([0.0, 120.0, 130.0, 3 * WEEK + 125.0, 17.0, 1000.25])
    out = wait_until_open(t, OFFICE)
    assert isinstance(out, np.ndarray) and out.shape == t.shape
    np.testing.assert_allclose(out, [wait_until_open(float(x), OFFICE) for x in t])
    grid = np.arange(24.0).reshape(4, 6)
    assert wait_until_open(grid, OFFICE).shape == (4, 6)


# --------------------------------------------------------------------------- departures

MON_THU_0600 = np.array([6.0, 78.0])  # Mon 06:00 and Thu 06:00


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (0.0, 6.0),
        (6.0, 0.0),  # leaving right now
        (7.0, 71.0),  # Monday 07:00 -> Thursday 06:00
        (80.0, 94.0),  # Thursday 08:00 -> Monday 06:00: 168 - 80 + 6
        (167.0, 7.0),
        (5 * WEEK + 80.0, 94.0),  # five weeks later: no 168 h wrap error
        # 12 weeks + 23 days = 15 weeks + 2 days: Wednesday 00:00 -> Thursday 06:00
        (12 * WEEK + 23 * 24.0, 30.0),
        (1e5 * WEEK + 6.0, 0.0),  # far in the future, exactly on a departure
    ],
)
def test_wait_for_departure(t: float, expected: float) -> None:
    assert wait_for_departure(t, MON_THU_0600) == pytest.approx(expected)


def test_wait_for_departure_scalar_and_array() -> None:
    assert isinstance(wait_for_departure(7.0, MON_THU_0600), float)
    t = np.array([0.0, 7.0, 80.0, 5 * WEEK + 80.0])
    out = wait_for_departure(t, MON_THU_0600)
    assert isinstance(out, np.ndarray)
    np.testing.assert_allclose(out, [6.0, 71.0, 94.0, 94.0])


def test_a_trip_over_several_weeks() -> None:
    """A 16-day trip that meets a weekly ferry, then a Mon-Fri border, in week 3."""
    t = 4 * 24 + 20.0  # depart Friday 20:00 of week 1 (hour 116)
    t += 10 * 24 + 3.0  # 10 days 3 h of rail: 116 + 243 = 359 = Monday 23:00 of week 3
    assert t == 2 * WEEK + 23.0
    t += wait_for_departure(t, MON_THU_0600)  # next ferry: Thursday 06:00 of week 3
    assert t == 2 * WEEK + 78.0
    t += 60.0  # a 60 h crossing: 2 * 168 + 138, Saturday 18:00 of week 3
    t += wait_until_open(t, MON_FRI)  # closed: Monday 00:00 of week 4
    assert t == pytest.approx(3 * WEEK)


# --------------------------------------------------------------------------- properties

windows = st.builds(
    lambda days, hours: (sorted(days), hours),
    st.sets(st.integers(0, 6), min_size=1),
    st.one_of(
        st.none(),
        st.tuples(st.integers(0, 23), st.integers(1, 24))
        .filter(lambda h: h[0] < h[1])
        .map(lambda h: (float(h[0]), float(h[1]))),
    ),
)
times = st.floats(min_value=0.0, max_value=60 * WEEK, allow_nan=False, allow_infinity=False)


def _is_open(t: float, days: list[int], hours: tuple[float, float] | None) -> bool:
    """Independent check: the day and hour of ``t`` (all in UTC hours since Monday)."""
    hour_of_week = t - math.floor(t / WEEK) * WEEK
    day, hour = int(hour_of_week // 24), hour_of_week % 24
    start, end = hours if hours is not None else (0.0, 24.0)
    return day in days and start <= hour < end


@given(windows, times)
def test_wait_until_open_lands_in_the_first_open_moment(spec, t: float) -> None:
    days, hours = spec
    if len(days) == 7 and hours is None:
        return
    wait = wait_until_open(t, (tuple(days), hours))
    assert 0.0 <= wait < HOURS_PER_WEEK
    eps = 1e-6
    if wait == 0.0:
        assert _is_open(t, days, hours) or _is_open(t + eps, days, hours)
    else:
        # open at t + wait (give rounding a hair), closed just before
        assert _is_open(t + wait + eps, days, hours)
        assert not _is_open(t + wait - eps, days, hours)
        # and closed everywhere in between (check on a 15-minute grid)
        for s in np.arange(t + eps, t + wait - eps, 0.25):
            assert not _is_open(float(s), days, hours)


@given(st.lists(st.floats(0.0, WEEK, exclude_max=True), min_size=1, max_size=6), times)
def test_wait_for_departure_finds_the_next_departure(deps: list[float], t: float) -> None:
    dep = np.array(sorted(deps))
    wait = wait_for_departure(t, dep)
    assert 0.0 <= wait < HOURS_PER_WEEK + 1e-9
    leave = t + wait
    # leave is a departure time, modulo whole weeks
    phase = leave - math.floor(leave / WEEK) * WEEK
    assert min(min(abs(phase - d), WEEK - abs(phase - d)) for d in deps) < 1e-6
    # no departure strictly between t and leave (one within rounding of t, which
    # floating point may put on either side of it, is left out)
    for d in deps:
        k = math.ceil((t - d) / WEEK)
        first = d + k * WEEK  # first occurrence of d at or after t
        if abs(first - t) > 1e-6:
            assert first >= leave - 1e-6


# --------------------------------------------------------------------------- dwell in open hours


@pytest.mark.parametrize(
    ("t", "work", "expected"),
    [
        (10.0, 3.0, 13.0),  # Monday 10:00, 3 h, all open
        (FRI * 24 + 15.0, 3.0, WEEK + 10.0),  # Friday 15:00: 2 h Friday, 1 h Monday
        (FRI * 24 + 15.0, 2.0, FRI * 24 + 17.0),  # ends exactly at closing time
        (SAT * 24 + 3.0, 4.0, WEEK + 13.0),  # arrives closed: Monday 09:00 + 4 h
        (FRI * 24 + 18.0, 0.0, WEEK + 9.0),  # no work: just the next opening
        (9.0, 17.0, 2 * 24 + 9.0 + 1.0),  # 8 h Monday, 8 h Tuesday, 1 h Wednesday
    ],
)
def test_dwell_runs_only_while_the_post_is_open(t: float, work: float, expected: float) -> None:
    w = opening_windows(*OFFICE, "", FRAME)
    assert w is not None
    assert w.finish(t, work) == pytest.approx(expected)


@settings(deadline=None)
@given(windows, times, st.floats(0.0, 100.0))
def test_dwell_counts_exactly_its_hours_of_open_time(spec, t: float, work: float) -> None:
    days, hours = spec
    w = opening_windows(days, hours, "", FRAME)
    if w is None:
        return
    done = w.finish(t, work)
    assert done >= t + work - 1e-9
    # the open time between t and done, counted on a fine grid, is the work
    grid = np.arange(t, done, 1 / 64)
    open_minutes = sum(_is_open(float(x) + 1 / 128, days, hours) for x in grid)
    assert open_minutes / 64 == pytest.approx(work, abs=2 / 64 + 1e-6)


def test_arrays_match_scalars() -> None:
    w = opening_windows(*OFFICE, "", FRAME)
    assert w is not None
    t = np.array([0.0, 120.0, 130.0, 3 * WEEK + 125.0, 17.0, 1000.25])
    work = np.array([0.0, 1.0, 5.5, 30.0, 0.0, 8.0])
    out = w.finish(t, work)
    np.testing.assert_allclose(
        out, [w.finish(float(a), float(b)) for a, b in zip(t, work, strict=True)]
    )


# --------------------------------------------------------------------------- time zones


def test_local_hours_shift_by_the_zone() -> None:
    """Irkeshtam's Mon-Fri 09:00-18:00 in Bishkek (UTC+6) is 03:00-12:00 UTC."""
    w = opening_windows(*((0, 1, 2, 3, 4), (9.0, 18.0)), "Asia/Bishkek", FRAME)
    assert w is not None
    assert w.finish(0.0, 0.0) == pytest.approx(3.0)  # Monday 00:00 UTC -> 03:00 UTC
    assert w.finish(12.0, 0.0) == pytest.approx(24 + 3.0)  # closes at 12:00 UTC
    # Friday's closing in UTC, then Monday's opening
    assert w.finish(FRI * 24 + 11.0, 2.0) == pytest.approx(WEEK + 3.0 + 1.0)


def test_daylight_saving_moves_utc_opening() -> None:
    """Warsaw opens 08:00 local: 07:00 UTC in winter, 06:00 UTC in summer."""
    winter = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)  # a Monday
    summer = dt.datetime(2027, 7, 5, tzinfo=dt.UTC)  # a Monday
    for start, utc_open in ((winter, 7.0), (summer, 6.0)):
        w = opening_windows((0, 1, 2, 3, 4), (8.0, 16.0), "Europe/Warsaw", start)
        assert w is not None
        assert w.finish(0.0, 0.0) == pytest.approx(utc_open)
    # one horizon across the change of 2027-03-28: the Monday after opens an hour earlier
    w = opening_windows((0, 1, 2, 3, 4), (8.0, 16.0), "Europe/Warsaw", winter)
    assert w is not None
    monday_after = (dt.datetime(2027, 3, 29, tzinfo=dt.UTC) - winter).total_seconds() / 3600
    assert w.finish(monday_after, 0.0) - monday_after == pytest.approx(6.0)


def test_frame_start_is_monday_midnight_utc() -> None:
    moment = dt.datetime(2026, 12, 10, 15, 30, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert frame_start(moment) == FRAME
    assert frame_start(FRAME) == FRAME
