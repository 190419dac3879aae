"""Observed times from stored events: border dwell per crossing, ferry waits, door-to-door.

Owns the step from the store's events (``sw_events``) to the observations calibration
and validation fit and judge; the pairing is done per shipment on the events of the
period, in time order:

- **Border dwell** of a crossing (one link in one direction): a ``border_entry`` at the
  crossing's ``from`` place, paired with the shipment's next ``border_exit``, which must
  be at the other end of the crossing's link. The dwell is the time to the shipment's
  ``ferry_load`` at the entry place, where it boards a ferry before the exit (the
  crossing is a sailing: the wait and the voyage come after the dwell; without that
  load, a crossing on a link run by services gives no observation); else the time to
  the exit less the link's moving time at its median (``Link.moving_hours``), as the
  network's dwell excludes the ride across the border, floored at zero; where the ride
  varies too much for that (:data:`SEPARABLE_SHARE`), the dwell is not known.
- **Ferry wait** of a queue service: ``ferry_load`` to the next ``ferry_depart`` at the
  same place; the service is the queue service of the event's mode on the link from
  the load place to the place of the next ``ferry_arrive`` (or, where that is missing,
  the only such service at the load place).
- **Door-to-door** of a shipment: its ``departure`` to its ``arrival``, with the places
  of its border entries in order (the route it took).

An entry without a matching exit, or a load without a departure, gives no observation.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Final

import numpy as np

from .calibrate import OBSERVATION_COLUMNS, CalibrationError
from .schema import BORDER_PAIR

if TYPE_CHECKING:
    import pandas as pd

    from ..model.records import Network
    from .store import Store

TIMED_EVENTS: Final[tuple[str, ...]] = (
    "departure",
    "arrival",
    "border_entry",
    "border_exit",
    "ferry_load",
    "ferry_depart",
    "ferry_arrive",
)
"""The event types the observations are made of."""
SEPARABLE_SHARE: Final[float] = 0.1
"""A passage's dwell is its time less the ride across the link only where the ride's
spread (its P90 less its median, ``moving_p90_ratio_<mode>``) is at most this share of
the crossing's median dwell; on longer links (a 30-hour rail link with a half-hour
border, a sea voyage) the ride's own variation would swamp the dwell."""
EVENT_COLUMNS: Final[tuple[str, ...]] = ("shipment_id", "event_type", "place_id", "mode", "ts")
"""Columns of the events frame the pairing reads (``ts`` UTC, time-zone aware)."""


def period_bounds(
    since: dt.date | None, until: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """``[since 00:00 UTC, the day after until 00:00 UTC)``; raise if until < since."""
    if since is not None and until is not None and until < since:
        raise CalibrationError(f"--until {until} is before --since {since}")
    lo = None if since is None else dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
    hi = (
        None
        if until is None
        else dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    )
    return lo, hi


def read_events(
    store: Store, *, since: dt.date | None = None, until: dt.date | None = None
) -> pd.DataFrame:
    """The stored events of :data:`TIMED_EVENTS` whose time is in the period (both days
    included, UTC), in shipment and time order (:data:`EVENT_COLUMNS`)."""
    lo, hi = period_bounds(since, until)
    types = ", ".join("?" for _ in TIMED_EVENTS)
    where = [f"e.event_type IN ({types})"]
    params: list[object] = list(TIMED_EVENTS)
    if lo is not None:
        where.append("e.ts >= ?")
        params.append(lo)
    if hi is not None:
        where.append("e.ts < ?")
        params.append(hi)
    sql = (
        "SELECT e.shipment_id, e.event_type, e.place_id, e.mode, e.ts FROM sw_events e "
        f"WHERE {' AND '.join(where)} ORDER BY e.shipment_id, e.ts"
    )
    frame: pd.DataFrame = store.query_arrow(sql, params).to_pandas()  # faster than rows
    if frame.empty:
        import pandas as pd

        return pd.DataFrame({c: pd.Series(dtype=object) for c in EVENT_COLUMNS})
    return frame


def _next(left: pd.DataFrame, right: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """For each row of ``left``, the shipment's first row of ``right`` at or after it."""
    import pandas as pd

    a = left.sort_values("ts")
    b = right[["shipment_id", "place_id", "ts"]].sort_values("ts")
    b = b.assign(**{f"ts{suffix}": b["ts"]}).rename(columns={"place_id": f"place{suffix}"})
    return pd.merge_asof(a, b, on="ts", by="shipment_id", direction="forward")


def crossing_times(network: Network, events: pd.DataFrame) -> pd.DataFrame:
    """Border passages and their dwell (:data:`OBSERVATION_COLUMNS`, kind ``crossing``,
    plus ``shipment_id`` and ``passage_hours``: entry to exit, TFI1's time); ``hours``
    is NaN where the dwell is not known (a sailing without its ``ferry_load``).

    An entry is paired with the shipment's next border event if that is an exit at the
    other end of a crossing's link of the entry's mode (as :mod:`.indicators` pairs
    them for TFI1).
    """
    import pandas as pd

    from .network import other_end

    sailed = {lid for s in network.services.values() for lid in s.links}
    by_ends: dict[tuple[str, str, str], tuple[str, float]] = {}
    for c in network.crossings.values():
        link = network.links[c.link]
        ends = (c.from_id, other_end(network, c.link, c.from_id))
        ride = link.moving_hours()
        spread = ride * (network.parameter(f"moving_p90_ratio_{link.mode}", 1.0) - 1.0)
        if c.link in sailed or spread > SEPARABLE_SHARE * c.dwell.median_hours:
            ride = math.inf  # the dwell is not told from the ride (or the sailing)
        by_ends[(*ends, link.mode)] = (c.id, ride)
        by_ends.setdefault((*ends, ""), (c.id, ride))
    keys = ["place_id", "place_exit", "_mode"]
    table = pd.DataFrame(
        [(*k, cid, ride) for k, (cid, ride) in by_ends.items()],
        columns=[*keys, "item_id", "_ride"],
    )
    border = events[events["event_type"].isin(BORDER_PAIR)]
    # an exit before an entry at the same instant, as the indicators order them
    border = border.assign(_entry=border["event_type"] == BORDER_PAIR[0]).sort_values(
        ["shipment_id", "ts", "_entry"], kind="stable"
    )
    after = border.groupby("shipment_id", sort=False)[["event_type", "place_id", "ts"]].shift(-1)
    is_pair = border["_entry"] & (after["event_type"] == BORDER_PAIR[1])
    entries = border[is_pair].assign(place_exit=after["place_id"], ts_exit=after["ts"])
    if entries.empty:
        return pd.DataFrame({c: [] for c in OBSERVATION_COLUMNS})
    paired = _next(
        entries.drop(columns="_entry"), events[events["event_type"] == "ferry_load"], "_load"
    )
    paired = paired.assign(_mode=paired["mode"].fillna("").astype(str)).merge(table, on=keys)
    moving = paired["_ride"].to_numpy(dtype=np.float64)
    to_exit = (paired["ts_exit"] - paired["ts"]).dt.total_seconds().to_numpy() / 3600.0
    loaded = (
        (paired["place_load"] == paired["place_id"]) & (paired["ts_load"] <= paired["ts_exit"])
    ).to_numpy(dtype=bool)
    to_load = (paired["ts_load"] - paired["ts"]).dt.total_seconds().to_numpy() / 3600.0
    ridden = np.where(np.isfinite(moving), np.maximum(to_exit - moving, 0.0), np.nan)
    hours = np.where(loaded, to_load, ridden)
    return pd.DataFrame(
        {
            "kind": "crossing",
            "item_id": paired["item_id"].to_numpy(),
            "started_at": paired["ts"].to_numpy(),
            "hours": hours,
            "shipment_id": paired["shipment_id"].to_numpy(),
            "passage_hours": to_exit,
        }
    )


def ferry_times(network: Network, events: pd.DataFrame) -> pd.DataFrame:
    """Observed waits of queue services (:data:`OBSERVATION_COLUMNS`, kind ``service``)."""
    import pandas as pd

    by_link: dict[tuple[str, str, str], str] = {}
    at_place: dict[tuple[str, str], set[str]] = {}
    for s in network.services.values():
        if s.wait is None:
            continue
        for lid in s.links:
            link = network.links[lid]
            for a, b in ((link.from_id, link.to_id), (link.to_id, link.from_id)):
                by_link[(a, b, s.mode)] = s.id
                at_place.setdefault((a, s.mode), set()).add(s.id)
    loads = events[events["event_type"] == "ferry_load"]
    if loads.empty:
        return pd.DataFrame({c: [] for c in OBSERVATION_COLUMNS})
    paired = _next(loads, events[events["event_type"] == "ferry_depart"], "_depart")
    paired = _next(paired, events[events["event_type"] == "ferry_arrive"], "_arrive")
    paired = paired[paired["place_depart"] == paired["place_id"]]
    services: list[str | None] = []
    for place, arrive, mode in zip(
        paired["place_id"], paired["place_arrive"], paired["mode"], strict=True
    ):
        sid = by_link.get((str(place), str(arrive), str(mode)))
        if sid is None:
            only = at_place.get((str(place), str(mode)), set())
            sid = next(iter(only)) if len(only) == 1 else None
        services.append(sid)
    keep = np.array([s is not None for s in services], dtype=bool)
    paired = paired[keep]
    hours = (paired["ts_depart"] - paired["ts"]).dt.total_seconds().to_numpy() / 3600.0
    return pd.DataFrame(
        {
            "kind": "service",
            "item_id": [s for s in services if s is not None],
            "started_at": paired["ts"].to_numpy(),
            "hours": hours,
            "shipment_id": paired["shipment_id"].to_numpy(),
        }
    )


def observed_times(network: Network, events: pd.DataFrame) -> pd.DataFrame:
    """Border dwell and ferry waits observed in the events, one frame (UTC times);
    ``hours`` is NaN for a passage whose dwell is not known."""
    import pandas as pd

    frame = pd.concat(
        [crossing_times(network, events), ferry_times(network, events)], ignore_index=True
    )
    out = frame.assign(started_at=pd.to_datetime(frame["started_at"], utc=True))
    return out.sort_values(["kind", "item_id", "started_at"], ignore_index=True)


def shipments(events: pd.DataFrame) -> pd.DataFrame:
    """Door-to-door times (:data:`silkway.monitor.validation.SHIPMENT_COLUMNS`): each
    shipment with a departure and a later arrival, and its border entry places."""
    import pandas as pd

    first = events.drop_duplicates(["shipment_id", "event_type"], keep="first")
    dep = first[first["event_type"] == "departure"].set_index("shipment_id")
    last = events.drop_duplicates(["shipment_id", "event_type"], keep="last")
    arr = last[last["event_type"] == "arrival"].set_index("shipment_id")
    arrived = arr[["place_id", "ts"]].rename(columns={"place_id": "place_id_arr", "ts": "ts_arr"})
    both = dep[["place_id", "ts"]].join(arrived, how="inner")
    both = both[both["ts_arr"] > both["ts"]]
    entries = events[events["event_type"] == "border_entry"].sort_values(
        ["shipment_id", "ts"], kind="stable"
    )
    ids = entries["shipment_id"].to_numpy()
    places = entries["place_id"].to_numpy()
    starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]]) if ids.size else np.array([], int)
    route = {
        ids[a]: tuple(places[a:b]) for a, b in zip(starts, np.r_[starts[1:], ids.size], strict=True)
    }
    return pd.DataFrame(
        {
            "shipment_id": both.index.to_numpy(),
            "origin": both["place_id"].to_numpy(),
            "destination": both["place_id_arr"].to_numpy(),
            "departed_at": pd.to_datetime(both["ts"].to_numpy(), utc=True),
            "hours": (both["ts_arr"] - both["ts"]).dt.total_seconds().to_numpy() / 3600.0,
            "borders": [route.get(s, ()) for s in both.index],
        }
    )
