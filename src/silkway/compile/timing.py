"""Time: weekly timetables, and border opening hours in local time on the absolute clock.

Time in the engine is hours since the *frame start*: Monday 00:00 UTC of the departure
week, with no wrap, so a trip of twelve days simply reaches hour 288 and beyond.

* Timetabled departures are weekly patterns in UTC, applied modulo 168 hours
  (:func:`wait_for_departure`).
* Border opening days and hours are given in the local time of the place (an IANA
  zone, through :mod:`zoneinfo`). :func:`opening_windows` turns them into absolute
  open intervals on the engine's clock for a horizon of weeks, so daylight-saving
  changes and zones 6-8 hours from UTC fall where they do in reality.
  :meth:`OpenWindows.finish` then answers both "when does it open" (no work) and
  "when is a dwell of so many hours done" (the dwell only runs while the post is open:
  a clearance that runs into the weekend waits for Monday).

Every function accepts a float or a numpy array of times, so the deterministic search
and the Monte Carlo share one implementation.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import overload
from zoneinfo import ZoneInfo

import numpy as np
from numpy.typing import NDArray

HOURS_PER_WEEK = 168.0
HORIZON_WEEKS = 60
"""Weeks of absolute opening intervals built per departure; later times fold back by
whole weeks (daylight-saving shifts beyond 14 months are ignored)."""

FloatArray = NDArray[np.float64]


def frame_start(moment: dt.datetime) -> dt.datetime:
    """Monday 00:00 UTC of the week of ``moment`` (an aware datetime)."""
    utc = moment.astimezone(dt.UTC)
    monday = utc.date() - dt.timedelta(days=utc.weekday())
    return dt.datetime(monday.year, monday.month, monday.day, tzinfo=dt.UTC)


def hours_since(start: dt.datetime, moment: dt.datetime) -> float:
    """Hours from ``start`` to ``moment`` (both aware)."""
    return (moment - start).total_seconds() / 3600.0


def weekly_windows(
    open_days: Sequence[int], open_hours: tuple[float, float] | None
) -> FloatArray | None:
    """Opening intervals as a ``(k, 2)`` array of hours of the (local) week, or ``None``.

    ``None`` means open around the clock every day. Adjacent full days are merged.
    """
    days = sorted(set(open_days))
    if len(days) == 7 and open_hours is None:
        return None
    start_h, end_h = open_hours if open_hours is not None else (0.0, 24.0)
    intervals: list[list[float]] = []
    for d in days:
        s, e = d * 24.0 + start_h, d * 24.0 + end_h
        if intervals and abs(intervals[-1][1] - s) < 1e-9:
            intervals[-1][1] = e
        else:
            intervals.append([s, e])
    return np.array(intervals, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class OpenWindows:
    """Absolute open intervals of one border post, in hours since the frame start.

    Built by :func:`opening_windows`. ``starts`` and ``ends`` are sorted and disjoint;
    ``cum`` is the open time before each interval.
    """

    starts: FloatArray
    ends: FloatArray
    cum: FloatArray
    cum_end: FloatArray
    fold_at: float
    """Times later than this fold back by whole weeks into the built horizon."""
    week_open: float
    """Open hours in one week near the end of the horizon (for work beyond it)."""
    lists: tuple[list[float], ...] = ()
    """``starts``, ``ends``, ``cum`` and ``cum_end`` as Python lists (for
    :meth:`finish_one`; empty: it uses :meth:`finish`)."""

    def finish_one(self, t_hours: float, work_hours: float) -> float:
        """:meth:`finish` of one time, with the same floating-point operations; a dwell
        that starts and ends within one open interval is answered without numpy."""
        t = t_hours
        if self.lists and work_hours > 0.0 and t <= self.fold_at:
            starts, ends, cum, cum_end = self.lists
            i = bisect.bisect_right(starts, t) - 1
            if i >= 0 and t < ends[i]:
                opened = cum[i] + min(max(t - starts[i], 0.0), ends[i] - starts[i])
                target = opened + work_hours
                if (
                    target > opened
                    and target <= cum_end[i]
                    and (i == 0 or cum_end[i - 1] < target)
                    and target <= cum_end[-1] - self.week_open
                ):
                    return t + (target - opened)
        return float(self.finish(t, work_hours))

    @overload
    def finish(self, t_hours: float, work_hours: float) -> float: ...
    @overload
    def finish(self, t_hours: FloatArray, work_hours: float | FloatArray) -> FloatArray: ...
    def finish(
        self, t_hours: float | FloatArray, work_hours: float | FloatArray
    ) -> float | FloatArray:
        """When ``work_hours`` of open time, counted from ``t_hours``, have passed.

        With no work this is the next moment the post is open (``t_hours`` itself if it
        is open). Work that ends exactly at a closing time ends then, not at the next
        opening.
        """
        scalar = np.isscalar(t_hours)
        t = np.asarray(t_hours, dtype=np.float64)
        work = np.broadcast_to(np.asarray(work_hours, dtype=np.float64), t.shape)
        shift = np.where(
            t > self.fold_at, np.ceil((t - self.fold_at) / HOURS_PER_WEEK) * HOURS_PER_WEEK, 0.0
        )
        tf = t - shift
        n = self.starts.shape[0]
        i = np.searchsorted(self.starts, tf, side="right") - 1
        ic = np.clip(i, 0, n - 1)
        span = self.ends[ic] - self.starts[ic]
        opened = np.where(i >= 0, self.cum[ic] + np.clip(tf - self.starts[ic], 0.0, span), 0.0)
        target = opened + work
        some_work = target > opened  # numerically: 1e-170 h of work is none
        # work that runs past the horizon: skip whole weeks of open time
        limit = self.cum_end[-1] - self.week_open
        weeks = np.where(target > limit, np.ceil((target - limit) / self.week_open), 0.0)
        target = target - weeks * self.week_open
        shift = shift + weeks * HOURS_PER_WEEK
        j = np.where(
            some_work,
            np.searchsorted(self.cum_end, target, side="left"),
            np.searchsorted(self.cum_end, target, side="right"),
        )
        jc = np.minimum(j, n - 1)
        done = np.where(
            j == i,
            tf + (target - opened),  # within the interval it started in: exact
            np.where(
                j >= n,
                self.ends[-1] + (target - self.cum_end[-1]),
                self.starts[jc] + (target - self.cum[jc]),
            ),
        )
        out = done + shift
        return float(out) if scalar else out


Day = tuple[int, int, int]
"""A closure day ``(year, month, day)``; year 0 means that day of every year."""


def opening_windows(
    open_days: Sequence[int],
    open_hours: tuple[float, float] | None,
    tz: str,
    start: dt.datetime,
    *,
    weeks: int = HORIZON_WEEKS,
    closures: Sequence[tuple[Day, Day]] = (),
) -> OpenWindows | None:
    """Absolute open intervals of a post open on ``open_days`` (0 = Monday), local time.

    Parameters
    ----------
    open_days, open_hours
        Local weekdays and hours (``None``: all day); every day and no hours, and no
        closures, means always open, and ``None`` is returned.
    tz
        IANA time zone of the post (empty: UTC).
    start
        The frame start (Monday 00:00 UTC of the departure week).
    weeks
        Horizon to build.
    closures
        Days the post is closed, first and last included (local days; see
        :func:`closed_intervals`), taken out of the weekly opening.
    """
    days = set(open_days)
    if len(days) == 7 and open_hours is None and not closures:
        return None
    zone: dt.tzinfo = ZoneInfo(tz) if tz else dt.UTC
    s_h, e_h = open_hours if open_hours is not None else (0.0, 24.0)
    first = (start - dt.timedelta(days=1)).astimezone(zone).date()
    pairs: list[list[float]] = []
    if len(days) == 7 and open_hours is None:  # open every day: one span (then closures)
        last = first + dt.timedelta(days=weeks * 7 + 2)
        span = [dt.datetime(x.year, x.month, x.day, tzinfo=zone) for x in (first, last)]
        pairs.append([hours_since(start, m.astimezone(dt.UTC)) for m in span])
    for d in range(weeks * 7 + 2 if not pairs else 0):
        day = first + dt.timedelta(days=d)
        if day.weekday() not in days:
            continue
        midnight = dt.datetime(day.year, day.month, day.day, tzinfo=zone)
        s = hours_since(start, (midnight + dt.timedelta(hours=s_h)).astimezone(dt.UTC))
        e = hours_since(start, (midnight + dt.timedelta(hours=e_h)).astimezone(dt.UTC))
        if pairs and s <= pairs[-1][1] + 1e-9:
            pairs[-1][1] = max(pairs[-1][1], e)
        else:
            pairs.append([s, e])
    arr = np.array(pairs, dtype=np.float64)
    starts, ends = arr[:, 0].copy(), arr[:, 1].copy()
    fold_at = float(ends[-1] - 10 * HOURS_PER_WEEK)
    week = (fold_at - 2 * HOURS_PER_WEEK, fold_at - HOURS_PER_WEEK)
    # open hours of a week without closures (for work beyond the horizon)
    week_open = float(
        np.sum(np.clip(np.minimum(ends, week[1]) - np.maximum(starts, week[0]), 0, None))
    )
    if closures:
        horizon = (float(starts[0]) - 48.0, float(ends[-1]) + 48.0)
        shut = closed_intervals(closures, zone, start, horizon)
        starts, ends = _subtract(starts, ends, shut)
        if starts.size == 0:  # closed for the whole horizon: opens after it
            starts = np.array([horizon[1]])
            ends = np.array([horizon[1] + HOURS_PER_WEEK])
    lengths = ends - starts
    cum_end = np.cumsum(lengths)
    cum = cum_end - lengths
    return OpenWindows(
        starts=starts,
        ends=ends,
        cum=cum,
        cum_end=cum_end,
        fold_at=fold_at,
        week_open=week_open,
        lists=(starts.tolist(), ends.tolist(), cum.tolist(), cum_end.tolist()),
    )


def closed_intervals(
    closures: Sequence[tuple[Day, Day]],
    zone: dt.tzinfo,
    start: dt.datetime,
    horizon: tuple[float, float],
) -> list[tuple[float, float]]:
    """Closed spans, in hours since ``start``, that meet ``horizon``, sorted and merged.

    Each closure runs from 00:00 local time on its first day to 24:00 on its last. A
    yearly one (year 0) is laid on every year the horizon touches; one whose last day
    comes before its first in the calendar runs over the new year.
    """
    first = (start + dt.timedelta(hours=horizon[0])).year - 1
    last = (start + dt.timedelta(hours=horizon[1])).year + 1
    out: list[tuple[float, float]] = []
    for (y0, m0, d0), (y1, m1, d1) in closures:
        spans: list[tuple[dt.date, dt.date]] = []
        if y0:
            spans.append((dt.date(y0, m0, d0), dt.date(y1, m1, d1)))
        else:
            wraps = (m1, d1) < (m0, d0)
            for year in range(first, last + 1):
                a = _yearly_day(year, m0, d0)
                b = _yearly_day(year + 1 if wraps else year, m1, d1)
                spans.append((a, b))
        for a, b in spans:
            s = hours_since(start, dt.datetime(a.year, a.month, a.day, tzinfo=zone))
            nxt = b + dt.timedelta(days=1)
            e = hours_since(start, dt.datetime(nxt.year, nxt.month, nxt.day, tzinfo=zone))
            if e > horizon[0] and s < horizon[1]:
                out.append((s, e))
    out.sort()
    merged: list[tuple[float, float]] = []
    for s, e in out:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _yearly_day(year: int, month: int, day: int) -> dt.date:
    """``month``-``day`` of ``year``; 29 February is 28 February in a common year."""
    if month == 2 and day == 29 and not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
        day = 28
    return dt.date(year, month, day)


def _subtract(
    starts: FloatArray, ends: FloatArray, shut: Sequence[tuple[float, float]]
) -> tuple[FloatArray, FloatArray]:
    """Open intervals ``starts``/``ends`` with the sorted, disjoint ``shut`` spans removed."""
    out_s: list[float] = []
    out_e: list[float] = []
    for s, e in zip(starts.tolist(), ends.tolist(), strict=True):
        cur = s
        for a, b in shut:
            if b <= cur or a >= e:
                continue
            if a > cur:
                out_s.append(cur)
                out_e.append(a)
            cur = max(cur, b)
            if cur >= e:
                break
        if cur < e:
            out_s.append(cur)
            out_e.append(e)
    return np.array(out_s, dtype=np.float64), np.array(out_e, dtype=np.float64)


@overload
def wait_for_departure(t_hours: float, departures: FloatArray) -> float: ...
@overload
def wait_for_departure(t_hours: FloatArray, departures: FloatArray) -> FloatArray: ...
def wait_for_departure(t_hours: float | FloatArray, departures: FloatArray) -> float | FloatArray:
    """Hours from ``t_hours`` until the next weekly departure (hours of the UTC week)."""
    if isinstance(t_hours, float | int):  # the search's case: a few departures, one time
        now = float(t_hours) % HOURS_PER_WEEK
        return float(min((d - now) % HOURS_PER_WEEK for d in departures.tolist()))
    tw = np.mod(np.asarray(t_hours, dtype=np.float64), HOURS_PER_WEEK)[..., None]
    wait = np.mod(departures - tw, HOURS_PER_WEEK).min(axis=-1)
    return float(wait) if np.isscalar(t_hours) else wait
