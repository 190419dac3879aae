"""Calibration of the planner from observed times: fitted border dwell and ferry waits.

Owns the fit of the network's lognormal time distributions (:class:`Dwell`: median and
P90, in hours) to observed times, per **crossing** (one link in one direction, as
``crossings.csv`` has them: the time from ``border_entry`` to ``border_exit``) and per
**queue service** (a ferry that sails when full: the wait from ``ferry_load`` to
``ferry_depart``), and the output of the fit as an **overlay folder** (only the changed
rows of ``crossings.csv`` and ``services.csv``, plus their ``sources.csv`` rows) or a
**scenario** (``set`` patches; ``docs/scenarios.md``).

**The fit** takes the observed median and P90 (numpy's linear quantiles), not a
lognormal maximum-likelihood fit. The network's distributions *are* a median and a P90,
so the sample quantiles estimate them directly and stay right when the observed times
are not quite lognormal (a mix of good and bad weeks, a holiday tail), where the MLE
would put the P90 where the lognormal shape says it should be rather than where it is;
they are robust to up to 10 % of wild values (a mistyped date), and a zero time (entry
and exit in the same minute) needs no special case. The price is efficiency: the
standard error of a sample P90 is about ``sqrt(0.09 / n) * sigma / phi(1.2816)``
relative, 1.2 / sqrt(n) for a P90/median of 2.5 (6 % for 400 observations).

**Months.** The network has no month-dependent dwell or wait (only storm days and
closures are seasonal), so each item is fitted over the whole period; the figures per
calendar month (1-12, of the time the observation starts, UTC) are reported in the
summary only.

**Storms.** An observed ferry wait includes storm holds, which the planner adds from
``weather.csv`` on top of the queue wait; a service's wait is therefore fitted on its
calm months only (:func:`calm_months`), and the other months are reported.

**Provenance.** Each calibrated item gets its own ``derived`` source row naming the
store (its URL without a password), the period and the sample size; items with fewer
than ``min_obs`` observations keep the network's values and the summary says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from .._errors import SilkwayError
from ..model.records import Crossing, Dwell, Network, Service, Source
from .store import public_url

if TYPE_CHECKING:
    import pandas as pd

OBSERVATION_COLUMNS: Final[tuple[str, ...]] = ("kind", "item_id", "started_at", "hours")
"""Columns of a frame of observed times: ``kind`` (``crossing`` or ``service``), the
crossing or service id, when the time started (a time-zone-aware timestamp), and its
length in hours."""
KINDS: Final[tuple[str, ...]] = ("crossing", "service")
DEFAULT_MIN_OBS: Final[int] = 30
"""Observations an item needs before its fitted values replace the network's."""
DECIMALS: Final[int] = 1
"""Fitted hours are rounded to this many decimals, as the bundled data gives them."""
SUMMARY_COLUMNS: Final[tuple[str, ...]] = (
    "kind",
    "id",
    "name",
    "direction",
    "month",
    "n",
    "old_median_hours",
    "old_p90_hours",
    "observed_median_hours",
    "observed_p90_hours",
    "new_median_hours",
    "new_p90_hours",
    "status",
    "source",
    "note",
)
"""Columns of ``calibration.csv``: one row per item over the whole period (``month``
empty), then one per item and calendar month (summary only)."""
_ID_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class CalibrationError(SilkwayError, ValueError):
    """Calibration cannot run: no observations, a bad option, an unwritable output."""


@dataclass(frozen=True, slots=True)
class Fit:
    """The fit of one item (a crossing or a queue service), over the period or a month.

    Attributes
    ----------
    kind
        ``crossing`` or ``service``.
    item_id, name
        The network's id and name of the item.
    direction
        A crossing's countries, ``CN->KZ``; empty for a service (its wait is one
        distribution for both ways).
    month
        ``None``: the whole period (the fit the output uses); 1-12: that calendar month,
        reported only.
    n
        Observations.
    old
        The network's distribution.
    observed
        Median and P90 of the observations used (``None`` without any).
    new
        What the output gives: ``observed`` when calibrated, else ``old``.
    status
        ``calibrated``; ``kept: ...`` (too few observations, a zero median, no time
        known); ``month: summary only``.
    source
        Id of the source row of a calibrated item, else empty.
    """

    kind: str
    item_id: str
    name: str
    direction: str
    month: int | None
    n: int
    old: Dwell
    observed: Dwell | None
    new: Dwell
    status: str
    source: str = ""
    note: str = ""
    """What the fit used, where not every observation (a service's calm months)."""

    @property
    def calibrated(self) -> bool:
        """Whether the output changes the item."""
        return self.status == "calibrated"


@dataclass(frozen=True, slots=True)
class Calibration:
    """The fits of one calibration run and the sources that document them."""

    fits: tuple[Fit, ...]
    """Per item over the period first (sorted by kind and id), then per item and month."""
    sources: tuple[Source, ...]
    """One ``derived`` source per calibrated item."""
    store: str
    """The store the observations came from, without a password."""
    period: tuple[dt.date, dt.date]
    """First and last day of the observations used."""
    min_obs: int

    @property
    def changed(self) -> tuple[Fit, ...]:
        """The calibrated items (over the whole period)."""
        return tuple(f for f in self.fits if f.month is None and f.calibrated)


def fit_dwell(hours: Sequence[float] | np.ndarray) -> Dwell:
    """The median and P90 of observed times (numpy's linear quantiles), in hours.

    Parameters
    ----------
    hours
        Observed times, at least one, each finite and zero or more.

    Returns
    -------
    Dwell
        Rounded to :data:`DECIMALS` decimals (P90 never below the median).

    Raises
    ------
    CalibrationError
        If there are no times, or one is negative or not finite.
    """
    values = np.asarray(hours, dtype=np.float64)
    if values.size == 0:
        raise CalibrationError("no observed times to fit")
    if not np.all(np.isfinite(values)) or bool(np.any(values < 0)):
        raise CalibrationError("observed times must be finite and zero or more")
    median, p90 = np.quantile(values, (0.5, 0.9))
    m, p = round(float(median), DECIMALS), round(float(p90), DECIMALS)
    return Dwell(m, max(m, p))


def _direction(network: Network, crossing: Crossing) -> str:
    from .network import other_end

    to_id = other_end(network, crossing.link, crossing.from_id)
    return f"{network.places[crossing.from_id].country}->{network.places[to_id].country}"


def _item(network: Network, kind: str, item_id: str) -> tuple[str, str, Dwell] | None:
    """Name, direction and distribution of a crossing or queue service, if it has one."""
    if kind == "crossing":
        crossing = network.crossings.get(item_id)
        if crossing is None:
            return None
        return crossing.name, _direction(network, crossing), crossing.dwell
    service = network.services.get(item_id)
    if service is None or service.wait is None:
        return None
    return service.name, "", service.wait


ALL_MONTHS: Final[frozenset[int]] = frozenset(range(1, 13))


def calm_months(network: Network, service_id: str) -> frozenset[int]:
    """The months in which a service's storm-day probability (``weather.csv``) is the
    lowest of its year; a month without a row has none. Its observed waits include the
    storm holds, which the planner adds from ``weather.csv`` on top of the queue wait, so
    the wait is fitted on these months only."""
    chance = dict.fromkeys(ALL_MONTHS, 0.0)
    for w in network.weather.values():
        if service_id in w.services:
            chance[w.month] = w.storm_day_probability
    low = min(chance.values())
    return frozenset(m for m, p in chance.items() if p == low)


def _months_text(months: frozenset[int]) -> str:
    return ",".join(str(m) for m in sorted(months))


def check_observations(observations: pd.DataFrame) -> None:
    """Raise :class:`CalibrationError` unless the frame has the observation columns
    (:data:`OBSERVATION_COLUMNS`), known kinds and times of zero or more hours (NaN: a
    passage whose time is not known, counted but not fitted)."""
    missing = [c for c in OBSERVATION_COLUMNS if c not in observations.columns]
    if missing:
        raise CalibrationError(f"observations lack the column(s) {', '.join(missing)}")
    kinds = set(observations["kind"].unique()) - set(KINDS)
    if kinds:
        raise CalibrationError(
            f"unknown observation kind(s) {', '.join(sorted(map(str, kinds)))}; "
            f"known: {', '.join(KINDS)}"
        )
    hours = observations["hours"].to_numpy(dtype=np.float64)
    if bool(np.any(np.isinf(hours) | (hours < 0))):
        raise CalibrationError("observed times must be finite and zero or more hours")


def calibrate(
    network: Network,
    observations: pd.DataFrame,
    *,
    min_obs: int = DEFAULT_MIN_OBS,
    store: str = "",
    period: tuple[dt.date, dt.date] | None = None,
) -> Calibration:
    """Fit every crossing's dwell and every queue service's wait to the observations.

    Parameters
    ----------
    network
        The network whose items are calibrated (their old values and names).
    observations
        Observed times (:data:`OBSERVATION_COLUMNS`); rows naming an item the network
        lacks (or a service without a wait distribution) are left out; rows whose time
        is NaN (not known) are reported, not fitted; a service's waits are fitted on its
        :func:`calm_months` only.
    min_obs
        Observations an item needs to be calibrated; fewer keep the old values.
    store
        The store the observations came from (its password is dropped).
    period
        First and last day the observations were taken from (``--since``/``--until``);
        default: the days of the first and last observation.

    Returns
    -------
    Calibration

    Raises
    ------
    CalibrationError
        If ``min_obs`` is below 1, the frame is malformed, or no observation names an
        item of the network.
    """
    if min_obs < 1:
        raise CalibrationError(f"--min-obs must be at least 1 (got {min_obs})")
    check_observations(observations)
    pairs = observations[["kind", "item_id"]].drop_duplicates()
    ours = {
        (str(k), str(i))
        for k, i in zip(pairs["kind"], pairs["item_id"], strict=True)
        if _item(network, str(k), str(i)) is not None
    }
    known = [
        (str(k), str(i)) in ours
        for k, i in zip(observations["kind"], observations["item_id"], strict=True)
    ]
    obs = observations.loc[known]
    if obs.empty:
        raise CalibrationError(
            "no observed border crossing or ferry wait matches a crossing or queue service "
            "of the network"
        )
    started = obs["started_at"]
    if period is None:
        period = (started.min().date(), started.max().date())
    label = public_url(store)
    obs = obs.assign(month=started.dt.month)
    whole: list[Fit] = []
    monthly: list[Fit] = []
    sources: list[Source] = []
    for (kind, item_id), rows in obs.groupby(["kind", "item_id"], sort=True):
        info = _item(network, str(kind), str(item_id))
        assert info is not None  # filtered above
        name, direction, old = info
        head = (str(kind), str(item_id), name, direction)
        rows = rows[rows["hours"].notna()]
        calm = calm_months(network, str(item_id)) if kind == "service" else ALL_MONTHS
        note = "" if calm == ALL_MONTHS else f"months {_months_text(calm)} only (calm seas)"
        used = rows[rows["month"].isin(calm)]
        hours = used["hours"].to_numpy(dtype=np.float64)
        n = int(hours.size)
        observed = fit_dwell(hours) if n else None
        if n == 0 and rows.empty:
            status = "kept: dwell not separable from the ride or sailing"
        elif n == 0:
            status = f"kept: no observation in months {_months_text(calm)}"
        elif n < min_obs:
            status = f"kept: {n} < {min_obs} observations"
        elif observed is not None and observed.median_hours <= 0:
            status = "kept: observed median is 0 h"
        else:
            status = "calibrated"
        source = ""
        new = old
        if status == "calibrated" and observed is not None:
            source = source_id(str(item_id), period)
            what = f"{n} observed times" + (f" ({note})" if note else "")
            sources.append(_source(source, str(kind), str(item_id), name, what, label, period))
            new = observed
        whole.append(Fit(*head, None, n, old, observed, new, status, source, note))
        for month, part in rows.groupby("month", sort=True):
            in_month = part["hours"].to_numpy(dtype=np.float64)
            fitted = fit_dwell(in_month)
            monthly.append(
                Fit(*head, int(str(month)), in_month.size, old, fitted, new, "month: summary only")
            )
    return Calibration(tuple(whole + monthly), tuple(sources), label, period, min_obs)


def source_id(item_id: str, period: tuple[dt.date, dt.date]) -> str:
    """Id of the source row of an item calibrated over a period."""
    first, last = (d.strftime("%Y%m%d") for d in period)
    return f"obs_{_ID_SAFE.sub('_', item_id)}_{first}_{last}"


def _source(
    sid: str,
    kind: str,
    item_id: str,
    name: str,
    sample: str,
    store: str,
    period: tuple[dt.date, dt.date],
) -> Source:
    what = (
        "border dwell (border_entry to border_exit)"
        if kind == "crossing"
        else "ferry wait (ferry_load to ferry_depart)"
    )
    return Source(
        id=sid,
        kind="derived",
        title=f"Observed {what} at {name} ({item_id}), {period[0]} to {period[1]}",
        publisher="silkway monitor calibrate",
        url="",
        date=dt.date.today().isoformat(),
        derived_from=(),
        note=(
            f"Median and P90 (sample quantiles) of {sample} of {item_id} ({what}) from "
            f"{period[0]} to {period[1]}, store {store or '(not named)'}; fitted by "
            "silkway monitor calibrate."
        ),
    )


def summary_frame(calibration: Calibration) -> pd.DataFrame:
    """The fits as the table of ``calibration.csv`` (:data:`SUMMARY_COLUMNS`)."""
    import pandas as pd

    rows = []
    for f in calibration.fits:
        rows.append(
            {
                "kind": f.kind,
                "id": f.item_id,
                "name": f.name,
                "direction": f.direction,
                "month": "" if f.month is None else f.month,
                "n": f.n,
                "old_median_hours": f.old.median_hours,
                "old_p90_hours": f.old.p90_hours,
                "observed_median_hours": None if f.observed is None else f.observed.median_hours,
                "observed_p90_hours": None if f.observed is None else f.observed.p90_hours,
                "new_median_hours": f.new.median_hours,
                "new_p90_hours": f.new.p90_hours,
                "status": f.status,
                "source": f.source,
                "note": f.note,
            }
        )
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))


# --- output: an overlay folder ---------------------------------------------------------

_CROSSING_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "link",
    "from",
    "name",
    "median_hours",
    "p90_hours",
    "cost_usd",
    "cost_unit",
    "open_days",
    "open_hours",
    "regimes",
    "transload",
    "sources",
)
_SERVICE_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "name",
    "kind",
    "mode",
    "links",
    "departures",
    "median_wait_hours",
    "p90_wait_hours",
    "cargo",
    "bidirectional",
    "capacity_teu",
    "sources",
)
_SOURCE_COLUMNS: Final[tuple[str, ...]] = (
    "id",
    "kind",
    "title",
    "publisher",
    "url",
    "date",
    "derived_from",
    "note",
)
_WEEKDAYS: Final[tuple[str, ...]] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FIELDS: Final[Mapping[str, tuple[str, str]]] = {
    "crossing": ("median_hours", "p90_hours"),
    "service": ("median_wait_hours", "p90_wait_hours"),
}
"""The fields a calibrated item changes, as the CSV columns (and scenarios) name them."""


def _number(x: float) -> str:
    return repr(int(x)) if float(x).is_integer() else repr(float(x))


def _hhmm(hours: float) -> str:
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _provenance(sources: Mapping[str, str], fields: tuple[str, str], new: str) -> str:
    """The ``sources`` cell: the fitted fields cite ``new``, the others what they cited."""
    cited = {**{k: v for k, v in sources.items() if k not in fields}, **dict.fromkeys(fields, new)}
    by_source: dict[str, list[str]] = {}
    for name, sid in cited.items():
        by_source.setdefault(sid, []).append(name)
    return " ".join(f"{'+'.join(names)}={sid}" for sid, names in by_source.items())


def _crossing_row(crossing: Crossing, new: Dwell, source: str) -> dict[str, str]:
    c = crossing
    return {
        "id": c.id,
        "link": c.link,
        "from": c.from_id,
        "name": c.name,
        "median_hours": _number(new.median_hours),
        "p90_hours": _number(new.p90_hours),
        "cost_usd": _number(c.cost_usd),
        "cost_unit": c.cost_unit,
        "open_days": ";".join(_WEEKDAYS[d] for d in c.open_days),
        "open_hours": "" if c.open_hours is None else "-".join(map(_hhmm, c.open_hours)),
        "regimes": ";".join(c.regimes),
        "transload": "true" if c.transload else "",
        "sources": _provenance(c.sources, FIELDS["crossing"], source),
    }


def _service_row(service: Service, new: Dwell, source: str) -> dict[str, str]:
    s = service
    departures = ";".join(f"{_WEEKDAYS[int(h // 24)]} {_hhmm(h % 24)}" for h in s.departures)
    return {
        "id": s.id,
        "name": s.name,
        "kind": s.kind,
        "mode": s.mode,
        "links": ";".join(s.links),
        "departures": departures,
        "median_wait_hours": _number(new.median_hours),
        "p90_wait_hours": _number(new.p90_hours),
        "cargo": ";".join(s.cargo),
        "bidirectional": "true" if s.bidirectional else "false",
        "capacity_teu": "" if s.capacity_teu is None else _number(s.capacity_teu),
        "sources": _provenance(s.sources, FIELDS["service"], source),
    }


def _source_row(source: Source) -> dict[str, str]:
    return {
        "id": source.id,
        "kind": source.kind,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        "date": source.date,
        "derived_from": ";".join(source.derived_from),
        "note": source.note,
    }


def _write_csv(path: Path, columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def write_overlay(calibration: Calibration, network: Network, out_dir: str | Path) -> list[Path]:
    """Write the calibrated items as an overlay folder (``silkway plan --overlay DIR``).

    The folder holds ``network.yaml`` (a name and description), ``sources.csv`` (one row
    per calibrated item) and the changed rows of ``crossings.csv`` and ``services.csv``
    only (a file without changes is not written), each row whole, as the network has it,
    with the fitted median and P90 and their new source.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    CalibrationError
        If the folder cannot be written.
    """
    folder = Path(out_dir)
    crossings = [
        _crossing_row(network.crossings[f.item_id], f.new, f.source)
        for f in calibration.changed
        if f.kind == "crossing"
    ]
    services = [
        _service_row(network.services[f.item_id], f.new, f.source)
        for f in calibration.changed
        if f.kind == "service"
    ]
    first, last = calibration.period
    meta = (
        "# silkway overlay written by `silkway monitor calibrate` (docs/monitoring.md)\n"
        "name: calibration\n"
        f'version: "{dt.date.today().isoformat()}"\n'
        f"description: Border dwell and ferry waits fitted to observed events from {first} "
        f"to {last} ({len(calibration.changed)} items).\n"
    )
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "network.yaml").write_text(meta, encoding="utf-8")
        written.append(folder / "network.yaml")
        _write_csv(
            folder / "sources.csv", _SOURCE_COLUMNS, [_source_row(s) for s in calibration.sources]
        )
        written.append(folder / "sources.csv")
        for name, columns, rows in (
            ("crossings.csv", _CROSSING_COLUMNS, crossings),
            ("services.csv", _SERVICE_COLUMNS, services),
        ):
            path = folder / name
            if rows:
                _write_csv(path, columns, rows)
                written.append(path)
            elif path.exists():
                path.unlink()  # a stale file of an earlier run would still change rows
    except OSError as exc:
        raise CalibrationError(f"cannot write the overlay into {folder}: {exc}") from exc
    return written


# --- output: a scenario ----------------------------------------------------------------


def scenario_document(calibration: Calibration) -> dict[str, object]:
    """The calibration as a scenario (``docs/scenarios.md``): one ``set`` patch per
    calibrated item, citing its source, which the scenario's ``sources`` define."""
    first, last = calibration.period
    patches: list[dict[str, object]] = []
    for f in calibration.changed:
        median, p90 = FIELDS[f.kind]
        patches.append(
            {
                "set": {"kind": f.kind, "id": f.item_id},
                "to": {median: f.new.median_hours, p90: f.new.p90_hours},
                "source": f.source,
            }
        )
    sources: list[dict[str, object]] = []
    for s in calibration.sources:
        entry: dict[str, object] = {k: v for k, v in _source_row(s).items() if v}
        entry.pop("derived_from", None)
        sources.append(entry)
    return {
        "name": "calibration",
        "title": f"Border dwell and ferry waits as observed from {first} to {last}",
        "rationale": (
            f"Median and P90 of the observed times of {len(patches)} crossings and queue "
            f"services in the store {calibration.store or '(not named)'}, from {first} to "
            f"{last}; items with fewer than {calibration.min_obs} observations keep the "
            "network's values. Written by silkway monitor calibrate."
        ),
        "sources": sources,
        "patches": patches,
    }


def write_scenario(calibration: Calibration, path: str | Path) -> Path:
    """Write :func:`scenario_document` as YAML to ``path`` (``--scenario PATH`` reads it).

    Raises
    ------
    CalibrationError
        If the file cannot be written.
    """
    import yaml

    target = Path(path)
    text = "# silkway scenario written by `silkway monitor calibrate` (docs/scenarios.md)\n"
    text += yaml.safe_dump(scenario_document(calibration), sort_keys=False, allow_unicode=True)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise CalibrationError(f"cannot write the scenario {target}: {exc}") from exc
    return target
