"""Validation of the planner against observed times: bias, WAPE and P10-P90 band share.

Owns the comparison of what the planner predicts with what the event logs observed:

- **per crossing** (and queue service): each observed time against the network item's
  lognormal distribution, whose P50 is its median and whose P10-P90 band is
  ``median^2 / P90`` to ``P90`` (:func:`band`);
- **per OD pair**: each shipment's door-to-door time (departure to arrival) against
  the planner's P50 and P10-P90 for its relation and departure month. Every distinct
  relation and month is planned once (:func:`silkway.plan`, departing on the 15th at
  00:00 UTC, fixed seed, block trains: :data:`TRAIN`), and a shipment is compared with
  the option that crossed the same borders in the same order, else with the first
  option (the fastest P50).

The metrics of a set of observations ``o_i`` with predicted P50 ``p_i`` are the bias
``mean(p_i - o_i)`` (hours) and ``sum(p_i - o_i) / sum(o_i)`` (%), the WAPE
``sum|p_i - o_i| / sum(o_i)`` (%), and the share of observations inside their
predicted P10-P90 band (ends included). :func:`write_validation` writes them as CSV
tables and an offline HTML page with a calibration plot (predicted against observed
P50).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from .._errors import AmbiguousPlaceError, NoRouteError, QueryError, UnknownPlaceError
from ..model.records import TRAIN_TYPES, Dwell, Network
from .calibrate import KINDS, CalibrationError, calm_months, check_observations

if TYPE_CHECKING:
    import pandas as pd

    from ..compile import CompiledNetwork
    from ..results import Option

SHIPMENT_COLUMNS: Final[tuple[str, ...]] = (
    "shipment_id",
    "origin",
    "destination",
    "departed_at",
    "hours",
    "borders",
)
"""Columns of a frame of observed shipments: id, origin and destination place ids, the
departure time (time-zone aware), door-to-door hours, and the places of its border
entries in order (a tuple; empty when none was observed)."""
METRIC_COLUMNS: Final[tuple[str, ...]] = (
    "n",
    "predicted_p10",
    "predicted_p50",
    "predicted_p90",
    "observed_median",
    "bias_hours",
    "bias_pct",
    "wape_pct",
    "in_band_share",
)
"""The metrics of one row of the tables (predicted P10/P50/P90: means over its
observations; observed median of them)."""
OD_KEYS: Final[tuple[str, ...]] = ("origin", "destination", "month", "option_rank", "route")
"""Keys of a row of the OD table: the relation, the departure month (``YYYY-MM``) and the
planner's option the shipments were compared with (its rank and key places), so the
shipments of one route are judged against that route's P50, not against a mix."""
PLAN_DAY: Final[int] = 15
"""Day of the month a relation is planned on (00:00 UTC)."""
SEED: Final[int] = 0
"""Monte Carlo seed of the plans."""
TRAIN: Final[str] = "block"
"""Train type of the plans: CAREC CPMM's border times are those of regular (block)
trains, and so is the dwell of ``crossings.csv``."""


def band(dwell: Dwell) -> tuple[float, float]:
    """P10 and P90 of a lognormal given by its median and P90.

    The lognormal is symmetric in log time around the median, so
    ``P10 = median^2 / P90``; a fixed time (P90 equal to the median) is its own band.
    """
    if dwell.p90_hours <= 0:
        return (0.0, 0.0)
    return (dwell.median_hours**2 / dwell.p90_hours, dwell.p90_hours)


def metrics(
    observed: Sequence[float] | np.ndarray,
    p50: Sequence[float] | np.ndarray,
    p10: Sequence[float] | np.ndarray,
    p90: Sequence[float] | np.ndarray,
) -> dict[str, float]:
    """Bias, WAPE and band share of observations against their predictions.

    Parameters
    ----------
    observed
        Observed hours, one per observation.
    p50, p10, p90
        The prediction for each observation (same length).

    Returns
    -------
    dict
        The :data:`METRIC_COLUMNS`; percentages are ``nan`` when the observed hours sum
        to zero, and every metric is ``nan`` without observations.
    """
    o = np.asarray(observed, dtype=np.float64)
    p = np.asarray(p50, dtype=np.float64)
    lo = np.asarray(p10, dtype=np.float64)
    hi = np.asarray(p90, dtype=np.float64)
    n = int(o.size)
    if n == 0:
        return {c: (0 if c == "n" else float("nan")) for c in METRIC_COLUMNS}
    total = float(o.sum())
    err = p - o
    pct = 100.0 / total if total > 0 else float("nan")
    return {
        "n": n,
        "predicted_p10": float(lo.mean()),
        "predicted_p50": float(p.mean()),
        "predicted_p90": float(hi.mean()),
        "observed_median": float(np.median(o)),
        "bias_hours": float(err.mean()),
        "bias_pct": float(err.sum()) * pct,
        "wape_pct": float(np.abs(err).sum()) * pct,
        "in_band_share": float(np.mean((o >= lo) & (o <= hi))),
    }


def crossing_table(network: Network, observations: pd.DataFrame) -> pd.DataFrame:
    """Observed crossing dwell (and queue waits) against the network's distributions.

    Parameters
    ----------
    network
        The network whose predictions are judged.
    observations
        Observed times (:data:`silkway.monitor.calibrate.OBSERVATION_COLUMNS`); rows
        naming an item the network lacks, times not known (NaN) and a service's waits
        outside its calm months (:func:`~silkway.monitor.calibrate.calm_months`: the
        planner adds storm holds on top of the wait) are left out.

    Returns
    -------
    pandas.DataFrame
        One row per item (``kind``, ``id``, ``name``, then :data:`METRIC_COLUMNS`),
        sorted by kind and id, and a last row ``all`` pooling every observation.
    """
    import pandas as pd

    check_observations(observations)
    known = observations[observations["hours"].notna()]
    calm = [
        kind != "service" or month in calm_months(network, str(item))
        for kind, item, month in zip(
            known["kind"], known["item_id"], known["started_at"].dt.month, strict=True
        )
    ]
    known = known[np.array(calm, dtype=bool)]
    rows: list[dict[str, object]] = []
    pooled: list[np.ndarray] = []
    for (kind, item_id), part in known.groupby(["kind", "item_id"], sort=True):
        dwell, name = _distribution(network, str(kind), str(item_id))
        if dwell is None:
            continue
        o = part["hours"].to_numpy(dtype=np.float64)
        p10, p90 = band(dwell)
        cols = np.stack([o, np.full_like(o, dwell.median_hours), np.full_like(o, p10)])
        cols = np.vstack([cols, np.full_like(o, p90)])
        pooled.append(cols)
        rows.append({"kind": kind, "id": item_id, "name": name, **metrics(*cols)})
    if pooled:
        rows.append({"kind": "all", "id": "", "name": "", **metrics(*np.hstack(pooled))})
    return pd.DataFrame(rows, columns=["kind", "id", "name", *METRIC_COLUMNS])


def _distribution(network: Network, kind: str, item_id: str) -> tuple[Dwell | None, str]:
    assert kind in KINDS
    if kind == "crossing":
        c = network.crossings.get(item_id)
        return (None, "") if c is None else (c.dwell, c.name)
    s = network.services.get(item_id)
    return (None, "") if s is None else (s.wait, s.name)


def match_option(options: Sequence[Option], borders: Sequence[str]) -> tuple[int, bool]:
    """Index of the option whose borders are entered at ``borders`` (places, in that
    order), and whether one is; else ``(0, False)``: the first option."""
    wanted = tuple(str(p) for p in borders)
    if wanted:
        for i, option in enumerate(options):
            if tuple(b.from_id for b in option.borders) == wanted:
                return i, True
    return 0, False


def od_table(
    network: Network | CompiledNetwork,
    shipments: pd.DataFrame,
    *,
    samples: int = 1000,
    train: str = TRAIN,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Observed door-to-door times against the planner's, per relation and month.

    Parameters
    ----------
    network
        The network (compiled, for speed, or not) the planner runs on.
    shipments
        Observed shipments (:data:`SHIPMENT_COLUMNS`).
    samples
        Monte Carlo draws per plan.
    train
        Train type of the plans (default :data:`TRAIN`).

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Per relation, departure month and option compared with (:data:`OD_KEYS`,
        ``matched`` shipments, ``note``, then :data:`METRIC_COLUMNS`; a last row
        ``all``), and per shipment (its prediction and whether its route matched).
        A relation the planner cannot plan (no route, an unknown place, origin and
        destination the same) keeps its row, with the reason in ``note``, and no metrics.

    Raises
    ------
    CalibrationError
        If columns are missing or the train type is unknown.
    """
    import pandas as pd

    from ..engine.planner import plan

    missing = [c for c in SHIPMENT_COLUMNS if c not in shipments.columns]
    if missing:
        raise CalibrationError(f"shipments lack the column(s) {', '.join(missing)}")
    if train not in TRAIN_TYPES:
        raise CalibrationError(f"unknown train type {train!r}; one of: {', '.join(TRAIN_TYPES)}")
    frame = shipments.assign(month=shipments["departed_at"].dt.strftime("%Y-%m"))
    per_shipment: list[dict[str, object]] = []
    rows: list[dict[str, object]] = []
    for (origin, destination, month), part in frame.groupby(
        ["origin", "destination", "month"], sort=True
    ):
        year, mon = (int(x) for x in str(month).split("-"))
        depart = dt.datetime(year, mon, PLAN_DAY, tzinfo=dt.UTC)
        head = {"origin": origin, "destination": destination, "month": month}
        try:
            result = plan(
                network,
                str(origin),
                str(destination),
                depart=depart,
                samples=samples,
                seed=SEED,
                train=train,
            )
        except (NoRouteError, QueryError, UnknownPlaceError, AmbiguousPlaceError) as exc:
            note = f"not planned: {exc}"
            rows.append({**head, "matched": 0, "note": note, **metrics([], [], [], [])})
            continue
        options = result.options
        by_option: dict[int, list[tuple[float, float, float, float]]] = {}
        matched: dict[int, int] = {}
        for sid, hours, borders in zip(
            part["shipment_id"], part["hours"], part["borders"], strict=True
        ):
            i, ok = match_option(options, borders)
            o = options[i]
            p10 = o.hours_p10 if o.hours_p10 is not None else o.hours_p50
            by_option.setdefault(i, []).append((float(hours), o.hours_p50, p10, o.hours_p90))
            matched[i] = matched.get(i, 0) + ok
            per_shipment.append(
                {
                    **head,
                    "shipment_id": sid,
                    "observed_hours": float(hours),
                    "option_rank": o.rank,
                    "route_matched": ok,
                    "predicted_p10": p10,
                    "predicted_p50": o.hours_p50,
                    "predicted_p90": o.hours_p90,
                }
            )
        for i in sorted(by_option):
            cols = np.array(by_option[i]).T
            route = " > ".join(options[i].route)
            extra = {"option_rank": options[i].rank, "route": route, "matched": matched[i]}
            rows.append({**head, **extra, "note": "", **metrics(*cols)})
    done = pd.DataFrame(per_shipment)
    if not done.empty:
        pooled = metrics(
            *(
                done[c].to_numpy(dtype=np.float64)
                for c in ("observed_hours", "predicted_p50", "predicted_p10", "predicted_p90")
            )
        )
        rows.append(
            {
                "origin": "all",
                "destination": "",
                "month": "",
                "matched": int(done["route_matched"].sum()),
                "note": "",
                **pooled,
            }
        )
    columns = [*OD_KEYS, "matched", "note", *METRIC_COLUMNS]
    return pd.DataFrame(rows, columns=columns), done


@dataclass(frozen=True, slots=True)
class Validation:
    """The tables of one validation run."""

    crossings: pd.DataFrame
    od: pd.DataFrame
    shipments: pd.DataFrame


def draw_calibration_plot(validation: Validation, out_path: str | Path) -> Path | None:
    """Predicted P50 against observed median, per crossing and per relation (PNG).

    Returns
    -------
    Path or None
        ``out_path``, or ``None`` (no file) when there is nothing to plot.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    parts = [
        (validation.crossings, "kind", "crossing / ferry wait", "#2166ac"),
        (validation.od, "origin", "OD pair, month and route", "#b2182b"),
    ]
    fig = Figure(figsize=(6.5, 6.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    top = 0.0
    for frame, key, label, colour in parts:
        if frame.empty:
            continue
        rows = frame[frame[key] != "all"].dropna(subset=["observed_median", "predicted_p50"])
        if rows.empty:
            continue
        x = rows["observed_median"].to_numpy(dtype=np.float64)
        y = rows["predicted_p50"].to_numpy(dtype=np.float64)
        ax.scatter(x, y, s=28, c=colour, label=label, alpha=0.8, zorder=3)
        top = max(top, float(x.max()), float(y.max()))
    if top <= 0:
        return None
    ax.plot([0, top * 1.05], [0, top * 1.05], color="#888888", lw=1, label="predicted = observed")
    ax.set_xlim(0, top * 1.05)
    ax.set_ylim(0, top * 1.05)
    ax.set_xlabel("observed median (h)")
    ax.set_ylabel("predicted P50 (h)")
    ax.set_title("Calibration: predicted P50 against observed median")
    ax.grid(color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    ax.legend(fontsize=8, loc="upper left")
    path = Path(out_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png")
    except OSError as exc:
        raise CalibrationError(f"cannot write the plot {path}: {exc}") from exc
    return path


def _pooled(frame: pd.DataFrame, column: str, value: str) -> str:
    rows = frame[frame[column] == value]
    if rows.empty or not rows.iloc[0]["n"]:
        return "no observations"
    r = rows.iloc[0]
    return (
        f"{int(r['n'])} observations: bias {r['bias_hours']:+.1f} h ({r['bias_pct']:+.1f} %), "
        f"WAPE {r['wape_pct']:.1f} %, {100 * r['in_band_share']:.0f} % inside P10-P90"
    )


def summary_lines(validation: Validation) -> list[str]:
    """The pooled figures, one line per table (terminal and page)."""
    return [
        "Crossings and ferry waits: " + _pooled(validation.crossings, "kind", "all"),
        "Door-to-door, per OD pair: " + _pooled(validation.od, "origin", "all"),
    ]


def write_validation(validation: Validation, out_dir: str | Path, *, store: str = "") -> Path:
    """Write ``crossings.csv``, ``od.csv``, ``shipments.csv``, ``calibration.png`` and
    ``index.html`` (offline) into ``out_dir``; return the page."""
    from ..reports.html import Image, Section, Table, write_report

    folder = Path(out_dir)
    plot = draw_calibration_plot(validation, folder / "calibration.png")
    caption = "Each point is a crossing, a ferry service or an OD pair, month and route."
    images = [] if plot is None else [Image(plot, caption)]
    method = (
        "Bias is the mean of predicted P50 minus observed (hours; as % of the observed "
        "total), WAPE the sum of absolute differences over the observed total, and the "
        "band share the share of observations inside the predicted P10-P90. A skewed time "
        "that is well predicted still shows a negative bias (its mean is above its "
        "median): compare the observed median with the P50, and expect a band share "
        "near 80 %."
    )
    sections = [
        Section(
            "Calibration plot",
            text=[method],
            images=images,
        ),
        Section(
            "Border crossings and ferry waits",
            text=[
                "Observed times against the network's lognormal distribution of each "
                "crossing (link and direction) or queue service; P10 = median^2 / P90."
            ],
            tables=[Table("crossings", validation.crossings)],
        ),
        Section(
            "Origin-destination pairs",
            text=[
                f"Door-to-door times (departure to arrival) against silkway.plan for the "
                f"relation, departing on day {PLAN_DAY} of the month at 00:00 UTC, seed "
                f"{SEED}; 'matched' counts shipments whose borders match an option's."
            ],
            tables=[Table("od", validation.od), Table("shipments", validation.shipments)],
        ),
    ]
    summary = summary_lines(validation)
    if store:
        summary.append(f"Store: {store}")
    return write_report(
        folder, title="silkway monitor validate", summary=summary, sections=sections
    )
