"""Storm seasons: sailings held in port on storm days (the network's ``weather.csv``).

**The model.** Per sea region and month the network gives ``p``, the probability that a
day is a storm day, and ``L``, the mean length of a storm spell in days. Days (UTC
calendar days) are stormy or calm as a two-state Markov chain: a storm day is followed
by another with probability ``1 - 1/L`` (so spells last ``L`` days on average, and what
is left of a spell is again geometric with mean ``L``), a calm day by a storm day with
probability ``(p / L) / (1 - p)`` (so that a day is stormy with probability ``p``). Each
calendar month's chain starts on its first day in its steady state, so every day of a
month is a storm day with probability exactly ``p`` (a spell that runs past the end of a
month meets the next month's chain). On a storm day the region's services do not sail: a
shipment ready to leave (after its queue wait, or at its timetabled departure) is held
until 00:00 UTC of the first calm day. A later arrival never leaves earlier.

**Monte Carlo** (:func:`storm_hold`). In draw ``s`` the chain of a region is driven by
uniforms that are fixed functions of the seed, the region, the calendar day and ``s``
(SplitMix64 counters, as for the other random numbers), so every route that meets the
region on a given day in draw ``s`` sees the same weather, whatever the query.

**The deterministic plan** (the search, the median basis) adds the *median* hold
(:func:`median_days`), taken at the steady state of the month the shipment is ready in:
zero in every month whose storm-day probability is 0.5 or less (in the bundled network,
every month); above that, the hold to the end of day ``D + n - 1`` for a shipment ready
on day ``D``, with ``n`` the smallest whole number of days with ``(1 - 1/L)**n <= 0.5 / p``.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from ._rng import open_unit, splitmix64

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

HORIZON_DAYS = 1100
"""Days after the frame start for which the deterministic plan looks up months (three
years); later days take the last one's month."""
MONTHS_KEPT = 48
"""Region-months of Monte Carlo storm days a compiled network keeps between queries."""
_EPOCH = dt.date(1970, 1, 1)


def max_probability(mean_spell_days: float) -> float:
    """The largest storm-day probability spells of ``mean_spell_days`` allow: calm spells
    last at least a day, so ``p <= L / (L + 1)``."""
    return mean_spell_days / (mean_spell_days + 1.0)


def median_days(p: float, mean_spell_days: float) -> int:
    """Median hold in days (to the end of the ``n``-th day, counting the one the shipment
    is ready on): 0 if ``p <= 0.5``, else the smallest ``n`` with ``r**n <= 0.5 / p``,
    ``r = 1 - 1/L`` (the steady state of one month)."""
    if p <= 0.5:
        return 0
    r, n, tail = 1.0 - 1.0 / mean_spell_days, 1, 1.0 - 1.0 / mean_spell_days
    while tail > 0.5 / p:
        tail *= r
        n += 1
    return n


@dataclass(frozen=True, slots=True)
class Storms:
    """One service's storm table, per month (0 = January)."""

    key: int
    """Random-number key of the service's region (shared by the region's services)."""
    p: FloatArray
    """Storm-day probability (the steady state of the month)."""
    stay: FloatArray
    """Probability that a storm day is followed by another, ``1 - 1/L``."""
    start: FloatArray
    """Probability that a calm day is followed by a storm day, ``(p / L) / (1 - p)``."""
    median: IntArray
    """Median hold in days (see :func:`median_days`)."""


def storms(net: CompiledNetwork) -> tuple[Storms | None, ...]:
    """Per service its :class:`Storms`, ``None`` where it has no storm days (cached)."""
    got: tuple[Storms | None, ...] | None = net.cache.get("storms")
    if got is None:
        out: list[Storms | None] = []
        for sv in range(len(net.services)):
            p = net.service_storm_p[sv].copy()
            if not bool(np.any(p > 0.0)):
                out.append(None)
                continue
            spell = net.service_storm_spell[sv]
            leave = 1.0 / spell
            start = np.where(p < 1.0, p * leave / np.maximum(1.0 - p, 1e-300), 1.0)
            med = [median_days(float(p[m]), float(spell[m])) for m in range(12)]
            out.append(
                Storms(
                    int(net.service_storm_key[sv]),
                    p,
                    1.0 - leave,
                    np.minimum(start, 1.0),
                    np.array(med, dtype=np.int64),
                )
            )
        got = net.cache["storms"] = tuple(out)
    return got


def frame_day(frame: dt.datetime) -> int:
    """Days from 1970-01-01 to the frame start's UTC date."""
    return (frame.astimezone(dt.UTC).date() - _EPOCH).days


def months_of(days: IntArray) -> IntArray:
    """Month index (0 = January) of days counted from 1970-01-01."""
    return np.asarray(
        days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12,
        dtype=np.int64,
    )


def median_hold_days(net: CompiledNetwork, frame: dt.datetime) -> tuple[IntArray | None, ...]:
    """Per service, the median hold in days for each day from the frame start
    (:data:`HORIZON_DAYS` of them); ``None`` where it is zero every month."""
    key = ("storm_median_days", frame)
    got: tuple[IntArray | None, ...] | None = net.cache.get(key)
    if got is None:
        month: IntArray | None = None
        out: list[IntArray | None] = []
        for s in storms(net):
            if s is None or not bool(np.any(s.median > 0)):
                out.append(None)
                continue
            if month is None:
                month = months_of(frame_day(frame) + np.arange(HORIZON_DAYS, dtype=np.int64))
            out.append(s.median[month])
        got = net.cache[key] = tuple(out)
    return got


def median_hold(ready_hours: float, days: list[int]) -> float:
    """The deterministic hold of a shipment ready to sail at ``ready_hours`` (hours since
    the frame start), given a service's median days per day (a list, for the kernel)."""
    d = math.floor(ready_hours / 24.0)
    n = days[d if d < len(days) else -1]
    return (d + n) * 24.0 - ready_hours if n > 0 else 0.0


def uniforms(seed: int, key: int, days: IntArray, samples: int) -> FloatArray:
    """The uniforms driving a region's chain: shape (days, samples), row ``i`` for calendar
    day ``days[i]`` (days since 1970-01-01), column ``s`` for draw ``s``."""
    words = np.array([key & 0xFFFFFFFFFFFFFFFF, seed & 0xFFFFFFFFFFFFFFFF], dtype=np.uint64)
    with np.errstate(over="ignore"):
        base = splitmix64(words[:1] ^ splitmix64(words[1:]))
        per_day = splitmix64(base ^ splitmix64(days.astype(np.uint64)))
        draws = np.arange(samples, dtype=np.uint64)
        return open_unit(splitmix64(per_day[:, None] + draws[None, :]))


def month_days(year: int, month: int) -> tuple[int, int]:
    """First day (since 1970-01-01) and number of days of a calendar month (1-12)."""
    first = (dt.date(year, month, 1) - _EPOCH).days
    after = dt.date(year + month // 12, month % 12 + 1, 1)
    return first, (after - _EPOCH).days - first


def storm_days(storm: Storms, year: int, month: int, seed: int, samples: int) -> NDArray[np.bool_]:
    """Whether each day of a month is a storm day, shape (days, samples): the chain of the
    module doc, started on the first in the month's steady state."""
    first, n_days = month_days(year, month)
    u = uniforms(seed, storm.key, first + np.arange(n_days, dtype=np.int64), samples)
    m = month - 1
    out = np.empty(u.shape, dtype=np.bool_)
    out[0] = u[0] < storm.p[m]
    for d in range(1, n_days):
        out[d] = np.where(out[d - 1], u[d] < storm.stay[m], u[d] < storm.start[m])
    return out


def _next_calm(
    storm: Storms, year: int, month: int, seed: int, samples: int, memo: dict[object, object]
) -> NDArray[np.int64]:
    """First calm day at or after each day of a month (days since 1970-01-01), per draw;
    the first day of the next month where the spell runs past the month's end."""
    key = ("next_calm", seed, samples, storm.key, year, month)
    got = memo.get(key)
    if got is None:
        stormy = storm_days(storm, year, month, seed, samples)
        first, n_days = month_days(year, month)
        later = np.full(samples, first + n_days, dtype=np.int64)
        table = np.empty(stormy.shape, dtype=np.int64)
        for d in range(n_days - 1, -1, -1):
            later = np.where(stormy[d], later, first + d)
            table[d] = later
        if len(memo) >= MONTHS_KEPT:
            memo.clear()
        memo[key] = got = table
    return got  # type: ignore[return-value]


MAX_MONTHS_HELD = 24
"""A hold that would run longer than this many months ends there (only a storm table
with storm-day probabilities near 1 comes close)."""


def storm_hold(
    t: FloatArray, storm: Storms, *, first_day: int, seed: int, memo: dict[object, object]
) -> FloatArray:
    """Hours each draw is held when ready to sail at ``t`` (hours since the frame start,
    whose date is ``first_day`` days after 1970-01-01); ``t[s]`` is draw ``s``. ``memo``
    keeps region-months of storm days between calls."""
    samples = t.shape[0]
    day = np.floor(t / 24.0)
    absolute = day.astype(np.int64) + first_day
    months = absolute.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    calm = np.empty(t.shape, dtype=np.int64)
    end = np.empty(t.shape, dtype=np.int64)
    for ym in np.unique(months).tolist():
        sel = np.flatnonzero(months == ym)
        first, n_days = month_days(1970 + ym // 12, ym % 12 + 1)
        table = _next_calm(storm, 1970 + ym // 12, ym % 12 + 1, seed, samples, memo)
        calm[sel] = table[absolute[sel] - first, sel]
        end[sel] = first + n_days
    # spells that run past the end of their month continue in the next month's chain
    for _ in range(MAX_MONTHS_HELD):
        going = np.flatnonzero(calm == end)
        if going.size == 0:
            break
        held_in = months[going]  # before any is moved on: a draw moves one month a round
        for ym in np.unique(held_in).tolist():
            sel = going[held_in == ym]
            year, month = 1970 + (ym + 1) // 12, (ym + 1) % 12 + 1
            first, n_days = month_days(year, month)
            calm[sel] = _next_calm(storm, year, month, seed, samples, memo)[0, sel]
            end[sel] = first + n_days
            months[sel] = ym + 1
    return np.where(calm > absolute, (calm - first_day) * 24.0 - t, 0.0)
