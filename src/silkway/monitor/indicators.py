"""The CAREC CPMM trade facilitation indicators, computed in the store, in SQL.

Each indicator is one SQL text (:func:`indicator_sql`) that DuckDB and PostgreSQL both
run, over the store's ``sw_events`` joined with ``sw_crossings`` and ``sw_distances``
(see :mod:`silkway.monitor.schema`); :func:`tfi1` to :func:`tfi4` run it through
:meth:`Store.query_df <silkway.monitor.store.Store.query_df>` and return a DataFrame
with the stable columns of :data:`COLUMNS`. The exact definitions, and how they follow
the CPMM methodology, are in ``docs/monitoring-indicators.md``:

* **TFI1**, time to clear a border crossing point: hours from a ``border_entry`` at a
  crossing's ``from`` place to the shipment's next border event when that is a
  ``border_exit`` at the other end of the crossing's link.
* **TFI2**, cost at a border crossing point: USD of the shipment's payments at either
  place of the crossing from entry to exit, both included; official and unofficial.
* **TFI3**, cost per 500 km per 20 t on a corridor section (from a ``departure`` or
  ``border_exit`` to the next ``border_entry`` or ``arrival``): the section's other
  payments, over ``km / 500`` and ``weight_t / 20``.
* **TFI4**, speed without delay (SWOD, km over moving hours) and with delay (SWD, km
  over elapsed hours), per corridor section or per whole trip; delays are border time,
  gauge changes, ferry waits and terminal dwell.

Results are per crossing (or section, or trip), mode and month (UTC, of the entry, the
section's start or the departure); ``by_month=False`` pools the months (``month`` is
then ``"all"``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .._errors import QueryError

if TYPE_CHECKING:
    import pandas as pd

    from ..model.records import Network
    from .store import Store

INDICATORS: Final[tuple[str, ...]] = ("tfi1", "tfi2", "tfi3", "tfi4")
TFI4_LEVELS: Final[tuple[str, ...]] = ("section", "trip")

_CROSSING_KEYS = ("crossing_id", "crossing", "from_country", "to_country", "direction", "mode")
_SECTION_KEYS = ("from_place", "to_place", "mode")
_TRIP_KEYS = ("origin", "destination", "mode")
COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "tfi1": (*_CROSSING_KEYS, "month", "n", "mean_hours", "median_hours", "p90_hours"),
    "tfi2": (
        *_CROSSING_KEYS,
        "month",
        "n",
        "mean_usd",
        "median_usd",
        "p90_usd",
        "mean_official_usd",
        "mean_unofficial_usd",
        "unofficial_share",
    ),
    "tfi3": (
        *_SECTION_KEYS,
        "month",
        "n",
        "km",
        "mean_cost_usd",
        "mean_usd_per_500km_20t",
        "median_usd_per_500km_20t",
        "p90_usd_per_500km_20t",
    ),
    "tfi4_section": (
        *_SECTION_KEYS,
        "month",
        "n",
        "km",
        "mean_elapsed_hours",
        "mean_delay_hours",
        "swod_kmh",
        "swd_kmh",
        "median_swod_kmh",
        "median_swd_kmh",
    ),
    "tfi4_trip": (
        *_TRIP_KEYS,
        "month",
        "n",
        "km",
        "mean_elapsed_hours",
        "mean_delay_hours",
        "swod_kmh",
        "swd_kmh",
        "median_swod_kmh",
        "median_swd_kmh",
    ),
}
"""Columns of each indicator's DataFrame, in order (``tfi4`` per level)."""

_HOURS = "CAST((EXTRACT(EPOCH FROM {b}) - EXTRACT(EPOCH FROM {a})) / 3600.0 AS DOUBLE PRECISION)"
_MONTH = (
    "CAST(EXTRACT(YEAR FROM {ts}) AS INTEGER) * 100 + CAST(EXTRACT(MONTH FROM {ts}) AS INTEGER)"
)
_DELAY_TYPES = (
    "gauge_change_start",
    "gauge_change_end",
    "ferry_load",
    "ferry_depart",
    "ferry_arrive",
    "ferry_discharge",
    "gate_in",
    "gate_out",
)


def hours_sql(a: str, b: str) -> str:
    """SQL for the hours from timestamp ``a`` to ``b`` (DOUBLE PRECISION)."""
    return _HOURS.format(a=a, b=b)


def _quantiles(x: str, name: str) -> str:
    return (
        f"AVG({x}) AS mean_{name}, "
        f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {x}) AS median_{name}, "
        f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {x}) AS p90_{name}"
    )


PASSAGES_SQL = """
sw_b AS (
    SELECT shipment_id, event_type, place_id, ts, mode,
        LEAD(event_type) OVER w AS next_type,
        LEAD(place_id) OVER w AS next_place,
        LEAD(ts) OVER w AS next_ts
    FROM sw_events
    WHERE event_type IN ('border_entry', 'border_exit')
    WINDOW w AS (PARTITION BY shipment_id
        ORDER BY ts, CASE event_type WHEN 'border_exit' THEN 0 ELSE 1 END, event_key)
),
passages AS (
    SELECT b.shipment_id, x.crossing_id, x.name AS crossing, x.from_country, x.to_country,
        x.from_country || '->' || x.to_country AS direction, x.mode,
        x.from_place, x.to_place, b.ts AS entry_ts, b.next_ts AS exit_ts
    FROM sw_b b
    JOIN sw_crossings x ON x.from_place = b.place_id AND x.to_place = b.next_place
        AND x.mode = COALESCE(b.mode, x.mode)
    WHERE b.event_type = 'border_entry' AND b.next_type = 'border_exit'
),
pay AS (
    SELECT event_key, shipment_id, place_id, ts, cost_category, cost_usd
    FROM sw_events
    WHERE event_type = 'payment' AND cost_usd IS NOT NULL
),
border_pay AS (
    SELECT p.shipment_id, p.crossing_id, p.entry_ts, y.event_key, y.cost_category, y.cost_usd
    FROM passages p
    JOIN pay y ON y.shipment_id = p.shipment_id
        AND y.place_id IN (p.from_place, p.to_place)
        AND y.ts BETWEEN p.entry_ts AND p.exit_ts
)"""
"""Border passages (entry paired with the matching exit) and the payments made there."""

_BOUNDARIES = """
sw_s AS (
    SELECT shipment_id, event_type, place_id, ts, mode,
        LEAD(event_type) OVER w AS next_type,
        LEAD(place_id) OVER w AS next_place,
        LEAD(ts) OVER w AS next_ts
    FROM sw_events
    WHERE event_type IN ('departure', 'border_exit', 'border_entry', 'arrival')
    WINDOW w AS (PARTITION BY shipment_id ORDER BY ts,
        CASE event_type WHEN 'departure' THEN 0 WHEN 'border_exit' THEN 1
            WHEN 'border_entry' THEN 2 ELSE 3 END, event_key)
)"""
"""Each departure, border exit, border entry and arrival with the shipment's next one."""

_SECTIONS = f"""{_BOUNDARIES},
weights AS (
    SELECT shipment_id, MAX(weight_t) AS weight_t FROM sw_events GROUP BY shipment_id
),
sections AS (
    SELECT s.shipment_id, s.place_id AS from_place, s.next_place AS to_place,
        CASE WHEN d.km IS NOT NULL THEN s.mode ELSE 'mixed' END AS mode,
        s.ts AS start_ts, s.next_ts AS end_ts,
        CASE WHEN s.place_id = s.next_place THEN 0 ELSE COALESCE(d.km, a.km) END AS km
    FROM sw_s s
    LEFT JOIN sw_distances d ON d.from_place = s.place_id AND d.to_place = s.next_place
        AND d.mode = s.mode
    LEFT JOIN sw_distances a ON a.from_place = s.place_id AND a.to_place = s.next_place
        AND a.mode = 'any'
    WHERE s.event_type IN ('departure', 'border_exit')
        AND s.next_type IN ('border_entry', 'arrival')
)"""
"""Corridor sections: a departure or border exit to the next border entry or arrival,
with the km between their places by the start event's mode (else over any mode; 0
when both are at one place)."""

_DELAYS = f"""
sw_d AS (
    SELECT shipment_id, event_type, place_id, ts,
        LEAD(event_type) OVER w AS next_type,
        LEAD(place_id) OVER w AS next_place,
        LEAD(ts) OVER w AS next_ts
    FROM sw_events
    WHERE event_type IN ({", ".join(f"'{t}'" for t in _DELAY_TYPES)})
    WINDOW w AS (PARTITION BY shipment_id ORDER BY ts,
        CASE WHEN event_type IN ('gauge_change_end', 'ferry_depart', 'ferry_discharge',
            'gate_out') THEN 0 ELSE 1 END, event_key)
),
delays AS (
    SELECT shipment_id, ts AS d_start, next_ts AS d_end
    FROM sw_d
    WHERE next_place = place_id AND (
        (event_type = 'gauge_change_start' AND next_type = 'gauge_change_end')
        OR (event_type = 'ferry_load' AND next_type = 'ferry_depart')
        OR (event_type = 'ferry_arrive' AND next_type = 'ferry_discharge')
        OR (event_type = 'gate_in' AND next_type = 'gate_out'))
),
voyages AS (
    SELECT shipment_id, ts AS v_start, next_ts AS v_end
    FROM sw_d
    WHERE event_type = 'ferry_depart' AND next_type = 'ferry_arrive'
)"""
"""Delays other than border time (gauge changes, ferry waits, terminal dwell), and
sailings (a ferry's departure to its arrival, which is moving time)."""


def _month(ts: str, by_month: bool) -> str:
    return _MONTH.format(ts=ts) if by_month else "0"


def _speeds() -> str:
    return (
        "COUNT(*) AS n, AVG(km) AS km, AVG(elapsed) AS mean_elapsed_hours, "
        "AVG(delay) AS mean_delay_hours, "
        "AVG(km / (elapsed - delay)) AS swod_kmh, AVG(km / elapsed) AS swd_kmh, "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY km / (elapsed - delay)) "
        "AS median_swod_kmh, "
        "percentile_cont(0.5) WITHIN GROUP (ORDER BY km / elapsed) AS median_swd_kmh"
    )


def indicator_sql(name: str, *, by_month: bool = True) -> str:
    """The SQL text of one indicator, for DuckDB and PostgreSQL alike.

    Parameters
    ----------
    name
        ``tfi1``, ``tfi2``, ``tfi3``, ``tfi4_section`` or ``tfi4_trip``.
    by_month
        Group by month (UTC) as well; else ``month`` is 0 for every row.

    Raises
    ------
    QueryError
        For an unknown indicator.
    """
    if name not in COLUMNS:
        raise QueryError(f"unknown indicator {name!r}; one of {', '.join(COLUMNS)}")
    keys = ", ".join(_CROSSING_KEYS)
    if name == "tfi1":
        return f"""WITH {PASSAGES_SQL}
SELECT {keys}, month, COUNT(*) AS n, {_quantiles("h", "hours")}
FROM (SELECT p.*, {hours_sql("entry_ts", "exit_ts")} AS h, {_month("entry_ts", by_month)} AS month
      FROM passages p) t
GROUP BY {keys}, month
ORDER BY crossing_id, month"""
    if name == "tfi2":
        pkeys = ", ".join(f"p.{k}" for k in _CROSSING_KEYS)
        return f"""WITH {PASSAGES_SQL},
passage_cost AS (
    SELECT {pkeys}, p.shipment_id, p.entry_ts,
        COALESCE(SUM(y.cost_usd), 0) AS usd,
        COALESCE(SUM(CASE WHEN y.cost_category = 'official' THEN y.cost_usd END), 0)
            AS official,
        COALESCE(SUM(CASE WHEN y.cost_category = 'unofficial' THEN y.cost_usd END), 0)
            AS unofficial
    FROM passages p
    LEFT JOIN pay y ON y.shipment_id = p.shipment_id
        AND y.place_id IN (p.from_place, p.to_place)
        AND y.ts BETWEEN p.entry_ts AND p.exit_ts
    GROUP BY {pkeys}, p.shipment_id, p.entry_ts
)
SELECT {keys}, month, COUNT(*) AS n, {_quantiles("usd", "usd")},
    AVG(official) AS mean_official_usd, AVG(unofficial) AS mean_unofficial_usd,
    AVG(CASE WHEN unofficial > 0 THEN 1.0 ELSE 0.0 END) AS unofficial_share
FROM (SELECT c.*, {_month("entry_ts", by_month)} AS month FROM passage_cost c) t
GROUP BY {keys}, month
ORDER BY crossing_id, month"""
    section_cost = f"""{PASSAGES_SQL}, {_SECTIONS},
section_pay AS (
    SELECT s.shipment_id, s.start_ts, COALESCE(SUM(y.cost_usd), 0) AS usd
    FROM sections s
    LEFT JOIN pay y ON y.shipment_id = s.shipment_id
        AND y.ts BETWEEN s.start_ts AND s.end_ts
        AND NOT EXISTS (SELECT 1 FROM border_pay b WHERE b.event_key = y.event_key)
    GROUP BY s.shipment_id, s.start_ts
)"""
    skeys = ", ".join(_SECTION_KEYS)
    if name == "tfi3":
        return f"""WITH {section_cost}
SELECT {skeys}, month, COUNT(*) AS n, AVG(km) AS km, AVG(usd) AS mean_cost_usd,
    {_quantiles("tfi3", "usd_per_500km_20t")}
FROM (SELECT s.*, c.usd, c.usd / (s.km / 500.0) / (w.weight_t / 20.0) AS tfi3,
          {_month("s.start_ts", by_month)} AS month
      FROM sections s
      JOIN section_pay c ON c.shipment_id = s.shipment_id AND c.start_ts = s.start_ts
      JOIN weights w ON w.shipment_id = s.shipment_id
      WHERE s.km > 0 AND w.weight_t > 0) t
GROUP BY {skeys}, month
ORDER BY from_place, to_place, mode, month"""
    if name == "tfi4_section":
        return f"""WITH {_SECTIONS}, {_DELAYS},
timed AS (
    SELECT s.shipment_id, s.from_place, s.to_place, s.mode, s.start_ts, s.km,
        {hours_sql("s.start_ts", "s.end_ts")} AS elapsed,
        COALESCE(SUM({hours_sql("d.d_start", "d.d_end")}), 0) AS delay
    FROM sections s
    LEFT JOIN delays d ON d.shipment_id = s.shipment_id
        AND d.d_start >= s.start_ts AND d.d_end <= s.end_ts
    GROUP BY s.shipment_id, s.from_place, s.to_place, s.mode, s.start_ts, s.end_ts, s.km
)
SELECT {skeys}, month, {_speeds()}
FROM (SELECT timed.*, {_month("start_ts", by_month)} AS month FROM timed
      WHERE km > 0 AND elapsed > delay) t
GROUP BY {skeys}, month
ORDER BY from_place, to_place, mode, month"""
    tkeys = ", ".join(_TRIP_KEYS)
    return f"""WITH {PASSAGES_SQL}, {_SECTIONS}, {_DELAYS},
ends AS (
    SELECT shipment_id,
        MIN(CASE WHEN event_type = 'departure' THEN ts END) AS dep_ts,
        MAX(CASE WHEN event_type = 'arrival' THEN ts END) AS arr_ts,
        COUNT(DISTINCT mode) AS modes, MIN(mode) AS first_mode
    FROM sw_events WHERE event_type <> 'payment'
    GROUP BY shipment_id
),
trips AS (
    SELECT e.shipment_id, e.dep_ts, e.arr_ts,
        CASE WHEN e.modes = 1 THEN e.first_mode ELSE 'multimodal' END AS mode,
        o.place_id AS origin, d.place_id AS destination
    FROM ends e
    JOIN sw_events o ON o.shipment_id = e.shipment_id AND o.event_type = 'departure'
        AND o.ts = e.dep_ts
    JOIN sw_events d ON d.shipment_id = e.shipment_id AND d.event_type = 'arrival'
        AND d.ts = e.arr_ts
    WHERE e.arr_ts > e.dep_ts
),
pieces AS (
    SELECT shipment_id, start_ts AS a, end_ts AS b, km, 0 AS border FROM sections
    UNION ALL
    SELECT p.shipment_id, p.entry_ts, p.exit_ts, d.km, 1 FROM passages p
    LEFT JOIN sw_distances d ON d.from_place = p.from_place AND d.to_place = p.to_place
        AND d.mode = p.mode
),
trip_km AS (
    SELECT t.shipment_id, SUM(c.km) AS km, COUNT(*) AS pieces, COUNT(c.km) AS measured,
        SUM(c.border) AS borders,
        SUM(CASE WHEN c.border = 1 THEN {hours_sql("c.a", "c.b")} ELSE 0 END) AS border_hours
    FROM trips t JOIN pieces c ON c.shipment_id = t.shipment_id
        AND c.a >= t.dep_ts AND c.b <= t.arr_ts
    GROUP BY t.shipment_id
),
other_delay AS (
    SELECT t.shipment_id, SUM({hours_sql("d.d_start", "d.d_end")}) AS hours
    FROM trips t JOIN delays d ON d.shipment_id = t.shipment_id
        AND d.d_start >= t.dep_ts AND d.d_end <= t.arr_ts
    WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.shipment_id = d.shipment_id
        AND p.entry_ts <= d.d_start AND p.exit_ts >= d.d_end)
    GROUP BY t.shipment_id
),
sailing AS (
    SELECT p.shipment_id, SUM({hours_sql("v.v_start", "v.v_end")}) AS hours
    FROM passages p JOIN voyages v ON v.shipment_id = p.shipment_id
        AND v.v_start >= p.entry_ts AND v.v_end <= p.exit_ts
    GROUP BY p.shipment_id
),
timed AS (
    SELECT t.shipment_id, t.origin, t.destination, t.mode, t.dep_ts, k.km,
        {hours_sql("t.dep_ts", "t.arr_ts")} AS elapsed,
        k.border_hours - COALESCE(v.hours, 0) + COALESCE(o.hours, 0) AS delay
    FROM trips t
    JOIN trip_km k ON k.shipment_id = t.shipment_id
    LEFT JOIN other_delay o ON o.shipment_id = t.shipment_id
    LEFT JOIN sailing v ON v.shipment_id = t.shipment_id
    WHERE k.measured = k.pieces AND k.pieces = 2 * k.borders + 1
)
SELECT {tkeys}, month, {_speeds()}
FROM (SELECT timed.*, {_month("dep_ts", by_month)} AS month FROM timed
      WHERE km > 0 AND elapsed > delay) t
GROUP BY {tkeys}, month
ORDER BY origin, destination, mode, month"""


def _run(store: Store, name: str, by_month: bool) -> pd.DataFrame:
    sql = indicator_sql(name, by_month=by_month)
    if store.kind == "postgresql":
        # PostgreSQL cannot estimate how many rows survive a filter on a window
        # function's result, guesses one, and nests loops over what are in fact
        # hundreds of thousands of passages: hash and merge joins instead, for this
        # query only
        store.execute("SET enable_nestloop = off")
        try:
            frame = store.query_df(sql)
        finally:
            store.execute("RESET enable_nestloop")
    else:
        frame = store.query_df(sql)
    frame = frame.reindex(columns=list(COLUMNS[name]))
    frame["month"] = [
        f"{int(m) // 100:04d}-{int(m) % 100:02d}" if by_month else "all" for m in frame["month"]
    ]
    frame["n"] = frame["n"].astype("int64")
    for col in COLUMNS[name]:
        if col not in frame or col in ("month", "n"):
            continue
        if col in (*_CROSSING_KEYS, *_SECTION_KEYS, *_TRIP_KEYS):
            frame[col] = frame[col].astype("string")
        else:
            frame[col] = frame[col].astype("float64")
    return frame.reset_index(drop=True)


def tfi1(store: Store, *, by_month: bool = True) -> pd.DataFrame:
    """TFI1, time to clear a border crossing point, in hours.

    Parameters
    ----------
    store
        An open store with events and the network's crossings.
    by_month
        One row per crossing and month (UTC, of the entry); ``False``: per crossing.

    Returns
    -------
    pandas.DataFrame
        Columns ``COLUMNS["tfi1"]``: the crossing (id, name, countries, ``direction``
        ``CN->KZ``, mode), ``month`` (``YYYY-MM`` or ``all``), ``n`` passages, and the
        mean, median and 90th percentile of the hours from entry to exit.
    """
    return _run(store, "tfi1", by_month)


def tfi2(store: Store, *, by_month: bool = True) -> pd.DataFrame:
    """TFI2, cost at a border crossing point, in USD per passage.

    Returns
    -------
    pandas.DataFrame
        Columns ``COLUMNS["tfi2"]``: per crossing and month, ``n`` passages; the mean,
        median and P90 of all payments at the crossing's two places from entry to exit
        (a passage without payments counts as 0); the mean official and unofficial
        parts; and the share of passages with an unofficial payment.
    """
    return _run(store, "tfi2", by_month)


def tfi3(store: Store, *, by_month: bool = True) -> pd.DataFrame:
    """TFI3, cost per 500 km per 20 t on a corridor section, in USD.

    Returns
    -------
    pandas.DataFrame
        Columns ``COLUMNS["tfi3"]``: per section (from place, to place, mode: the start
        event's, or ``mixed`` when the store has no distance by that mode) and month,
        ``n`` shipments, km, the mean cost of the section and the mean, median and P90
        of ``cost / (km / 500) / (weight_t / 20)``.
    """
    return _run(store, "tfi3", by_month)


def tfi4(store: Store, *, level: str = "section", by_month: bool = True) -> pd.DataFrame:
    """TFI4, speed without delay (SWOD) and with delay (SWD), in km/h.

    Parameters
    ----------
    store
        An open store.
    level
        ``section``: per corridor section; ``trip``: per origin, destination and
        mode (``multimodal`` when a trip's events name several) from departure to
        arrival, border time included as delay.
    by_month
        Group by month of the section's start or the departure as well.

    Returns
    -------
    pandas.DataFrame
        Columns ``COLUMNS["tfi4_<level>"]``: ``n``, km, the mean elapsed and delay
        hours, and the mean and median of each shipment's SWOD (km over elapsed minus
        delay hours) and SWD (km over elapsed hours).

    Raises
    ------
    QueryError
        For an unknown level.
    """
    if level not in TFI4_LEVELS:
        raise QueryError(f"TFI4 level must be one of {', '.join(TFI4_LEVELS)}, not {level!r}")
    return _run(store, f"tfi4_{level}", by_month)


def distance_pairs(store: Store) -> list[tuple[str, str, str]]:
    """The ``(from place, to place, mode)`` triples the indicators look up in
    ``sw_distances``: every section's ends by its start event's mode and over any mode,
    and every crossing's ends by its mode."""
    sql = f"""WITH {_BOUNDARIES}
SELECT DISTINCT place_id, next_place, COALESCE(mode, 'any') FROM sw_s
WHERE event_type IN ('departure', 'border_exit') AND next_type IN ('border_entry', 'arrival')
    AND place_id <> next_place"""
    out: set[tuple[str, str, str]] = set()
    for a, b, m in store.query(sql):
        out.add((str(a), str(b), str(m)))
        out.add((str(a), str(b), "any"))
    for a, b, m in store.query("SELECT from_place, to_place, mode FROM sw_crossings"):
        out.add((str(a), str(b), str(m)))
    return sorted(out)


def prepare(store: Store, network: Network) -> None:
    """Fill the store's places and crossings from ``network``, and the distances the
    indicators look up (:func:`distance_pairs`) that it lacks."""
    store.sync_network(network, pairs=[])
    store.sync_network(network, pairs=distance_pairs(store))
