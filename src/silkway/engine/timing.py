"""Weekly time: timetabled departures and border opening windows.

Time in the engine is hours since Monday 00:00 UTC of the departure week, with no
wrap: a trip of twelve days simply reaches hour 288 and beyond. Weekly patterns are
applied modulo 168 hours. Every function here accepts a float or a numpy array of
times, so the deterministic search and the Monte Carlo share one implementation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

import numpy as np
from numpy.typing import NDArray

HOURS_PER_WEEK = 168.0

FloatArray = NDArray[np.float64]


def weekly_windows(
    open_days: Sequence[int], open_hours: tuple[float, float] | None
) -> FloatArray | None:
    """Opening intervals as a ``(k, 2)`` array of hours of the week, or ``None``.

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


@overload
def wait_until_open(t_hours: float, windows: FloatArray | None) -> float: ...
@overload
def wait_until_open(t_hours: FloatArray, windows: FloatArray | None) -> FloatArray: ...
def wait_until_open(t_hours: float | FloatArray, windows: FloatArray | None) -> float | FloatArray:
    """Hours to wait from ``t_hours`` until a crossing is open (0 if it is open)."""
    if windows is None:
        return 0.0 if np.isscalar(t_hours) else np.zeros_like(t_hours)
    tw = np.mod(np.asarray(t_hours, dtype=np.float64), HOURS_PER_WEEK)[..., None]
    inside = (tw >= windows[:, 0]) & (tw < windows[:, 1])
    ahead = np.mod(windows[:, 0] - tw, HOURS_PER_WEEK)
    wait = np.where(inside.any(axis=-1), 0.0, ahead.min(axis=-1))
    return float(wait) if np.isscalar(t_hours) else wait


@overload
def wait_for_departure(t_hours: float, departures: FloatArray) -> float: ...
@overload
def wait_for_departure(t_hours: FloatArray, departures: FloatArray) -> FloatArray: ...
def wait_for_departure(t_hours: float | FloatArray, departures: FloatArray) -> float | FloatArray:
    """Hours from ``t_hours`` until the next weekly departure (hours of the week)."""
    tw = np.mod(np.asarray(t_hours, dtype=np.float64), HOURS_PER_WEEK)[..., None]
    wait = np.mod(departures - tw, HOURS_PER_WEEK).min(axis=-1)
    return float(wait) if np.isscalar(t_hours) else wait
