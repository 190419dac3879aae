"""Driving-time rules of road legs (AETR): breaks, daily rests and the driving clock.

A truck drives at its link's speed, but its driver may not drive on without end. Under
the AETR (Kazakhstan, Central Asia, the Caucasus, Türkiye and the EU apply it, and EU
Regulation 561/2006 says the same):

* a **break** of 45 minutes after 4.5 hours of driving;
* at most **9 hours of driving** between two daily rests, then a **daily rest** of
  11 hours;
* with a **two-driver crew** (multi-manning) each driver still drives at most 9 hours a
  day, breaks are taken in the passenger seat while the other drives, and the crew
  takes a daily rest of 9 hours (in a stationary vehicle) within 30 hours of the end of
  the last one: the vehicle drives up to 18 hours, then stops for 9.

The network gives these numbers in ``parameters.csv`` (:class:`DriveRules`); a network
without them has no driving rules (trucks run round the clock).

**The driving clock.** A route's state on the road is its driving since the last break
(``b``) and since the last daily rest (``d``). A road leg adds driving; when the next
hour of driving would pass a limit, the truck stops: a break resets ``b``, a daily rest
resets both (:func:`drive`: rests are taken as late as the rules allow). Any stop of the
cargo on the way (a border dwell, a wait for a crossing to open, a transfer) counts as a
break if it lasts the break's length and as a daily rest if it lasts the rest's length
(:func:`after_stop`). Leaving the road (a mode change) or a transloading border (the
goods go on in another truck with another driver) starts a fresh clock.

Both search kernels and the Monte Carlo replay call these functions (the compiled kernel
through numba), so the three do the same arithmetic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .._errors import QueryError

FloatArray = NDArray[np.float64]

EPS = 1e-9
"""Driving that stays within this of a limit reaches it (no rest for rounding noise)."""
CREWS: tuple[int, ...] = (1, 2)
"""Drivers a truck may carry: one (the default) or two (multi-manning)."""

PARAMETERS: tuple[str, ...] = (
    "road_driving_before_break_hours",
    "road_break_hours",
    "road_daily_driving_hours",
    "road_daily_rest_hours",
    "road_crew2_daily_driving_hours",
    "road_crew2_daily_rest_hours",
    "road_crew2_cost_per_km_usd",
)
"""Network parameters of the driving rules (``docs/network-format.md``)."""


@dataclass(frozen=True, slots=True)
class DriveRules:
    """The driving-time rules for one crew, in hours.

    ``before_break`` is ``inf`` when breaks need no stop (a two-driver crew).
    """

    before_break: float
    break_hours: float
    daily_driving: float
    daily_rest: float
    crew: int = 1

    def as_tuple(self) -> tuple[float, float, float, float]:
        """(before_break, break_hours, daily_driving, daily_rest), as the kernels read it."""
        return (self.before_break, self.break_hours, self.daily_driving, self.daily_rest)


def rules_of(parameters: dict[str, float], crew: int) -> DriveRules | None:
    """The rules for ``crew`` drivers from a network's parameters, or ``None`` if the
    network gives no driving rules (``road_daily_driving_hours`` is not set)."""
    p = parameters
    if "road_daily_driving_hours" not in p:
        return None
    if crew == 1:
        return DriveRules(
            before_break=p.get("road_driving_before_break_hours", math.inf),
            break_hours=p.get("road_break_hours", 0.0),
            daily_driving=p["road_daily_driving_hours"],
            daily_rest=p.get("road_daily_rest_hours", 0.0),
            crew=1,
        )
    return DriveRules(
        before_break=math.inf,
        break_hours=0.0,
        daily_driving=p.get("road_crew2_daily_driving_hours", 2 * p["road_daily_driving_hours"]),
        daily_rest=p.get("road_crew2_daily_rest_hours", p.get("road_daily_rest_hours", 0.0)),
        crew=crew,
    )


def check_crew(crew: object) -> int:
    """``crew`` as a checked number of drivers.

    Raises
    ------
    QueryError
        Unless it is 1 or 2.
    """
    if isinstance(crew, bool) or not isinstance(crew, int) or crew not in CREWS:
        raise QueryError(f"crew must be 1 (a single driver) or 2 (a two-driver crew), not {crew!r}")
    return crew


def drive(
    b: float,
    d: float,
    hours: float,
    before_break: float,
    break_hours: float,
    daily_driving: float,
    daily_rest: float,
) -> tuple[float, float, float, int, int]:
    """Drive ``hours`` from the clock ``(b, d)`` under the rules.

    Returns
    -------
    (stopped, b, d, breaks, rests)
        Hours stopped for breaks and rests on the way, the clock at the end, and how
        many breaks and daily rests were taken. A limit reached exactly at the end of
        the leg is not yet a stop: the next leg, or a long enough stop, decides.
    """
    stopped = 0.0
    breaks = 0
    rests = 0
    left = hours
    # fresh names for the clock: numba mis-compiles arguments reassigned in this loop
    cb = b + 0.0
    cd = d + 0.0
    room = min(daily_driving - cd, before_break - cb)
    while left > room + EPS:
        if room > 0.0:
            cb = cb + room
            cd = cd + room
            left = left - room
        if cd >= daily_driving - EPS:
            stopped = stopped + daily_rest
            rests += 1
            cb = 0.0
            cd = 0.0
        else:
            stopped = stopped + break_hours
            breaks += 1
            cb = 0.0
        room = min(daily_driving - cd, before_break - cb)
    cb = cb + left
    cd = cd + left
    return stopped, cb, cd, breaks, rests


def after_stop(
    b: float, d: float, hours: float, break_hours: float, daily_rest: float
) -> tuple[float, float]:
    """The clock after the truck stood still ``hours`` (a break or a rest if long enough)."""
    if hours >= daily_rest - EPS:
        return 0.0, 0.0
    if break_hours > 0.0 and hours >= break_hours - EPS:
        return 0.0, d
    return b, d


def drive_array(
    b: FloatArray,
    d: FloatArray,
    hours: FloatArray | float,
    rules: tuple[float, float, float, float],
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """:func:`drive` for arrays of clocks and driving hours (one per Monte Carlo draw),
    with the same floating-point operations in the same order.

    Returns
    -------
    (stopped, b, d)
    """
    before_break, break_hours, daily_driving, daily_rest = rules
    b = np.array(b, dtype=np.float64)
    d = np.array(d, dtype=np.float64)
    left = np.array(np.broadcast_to(hours, b.shape), dtype=np.float64)
    stopped = np.zeros_like(b)
    active = np.ones(b.shape, dtype=np.bool_)
    while active.any():
        idx = np.flatnonzero(active)
        bi, di, li = b[idx], d[idx], left[idx]
        room = np.minimum(daily_driving - di, before_break - bi)
        fin = li <= room + EPS
        done = idx[fin]
        b[done] = bi[fin] + li[fin]
        d[done] = di[fin] + li[fin]
        active[done] = False
        go = ~fin
        gi = idx[go]
        rg, bg, dg, lg = room[go], bi[go], di[go], li[go]
        pos = rg > 0.0
        bg = np.where(pos, bg + rg, bg)
        dg = np.where(pos, dg + rg, dg)
        lg = np.where(pos, lg - rg, lg)
        rest = dg >= daily_driving - EPS
        stopped[gi] = np.where(rest, stopped[gi] + daily_rest, stopped[gi] + break_hours)
        b[gi] = 0.0
        d[gi] = np.where(rest, 0.0, dg)
        left[gi] = lg
    return stopped, b, d


def after_stop_array(
    b: FloatArray, d: FloatArray, hours: FloatArray, break_hours: float, daily_rest: float
) -> tuple[FloatArray, FloatArray]:
    """:func:`after_stop` for arrays of clocks and stops."""
    rest = hours >= daily_rest - EPS
    brk = (hours >= break_hours - EPS) if break_hours > 0.0 else np.zeros_like(rest)
    return np.where(rest | brk, 0.0, b), np.where(rest, 0.0, d)
