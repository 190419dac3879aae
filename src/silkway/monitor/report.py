"""The monitoring report: CPMM indicators from the store as an offline HTML page and PNGs.

:func:`write_monitor_report` computes TFI1 to TFI4 in the store
(:mod:`silkway.monitor.indicators`), picks the crossings and corridor sections with the
most observations (at most ``top`` of each, so the number of charts stays bounded) and
writes, with the house report writer (:func:`silkway.reports.html.write_report`):

* per crossing, a monthly trend chart of the time to clear (mean, median, P90) and the
  cost (official and unofficial), and the distribution of its clearance times (a
  histogram with the lognormal fitted to the observations, by their log mean and log
  standard deviation);
* per section, a monthly trend chart of TFI3 and of SWOD and SWD;
* tables of TFI1, TFI2, TFI3 and TFI4 (per section and per trip), pooled over the
  months and by month, each also as CSV and Parquet.

The PNGs stay in ``DIR/charts``; the page embeds them, uses no script and links only
the files beside it, so it opens offline. :func:`worst_crossings` is the terminal
summary's table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

import numpy as np

from ..reports._common import ReportError
from ..reports.charts import DPI, WIDTH_PX
from . import indicators

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..model.records import Network
    from .store import Store

DEFAULT_TOP: Final = 6
"""Crossings and sections drawn, each: those with the most observations."""
MAX_DWELL_SAMPLES: Final = 20_000
"""Clearance times fetched per crossing for its distribution plot (the earliest)."""
TIME, COST, FREE = "#b2182b", "#2166ac", "#1b7837"


@dataclass(frozen=True)
class MonitorReport:
    """What :func:`write_monitor_report` wrote and computed."""

    index: Path
    charts: tuple[Path, ...]
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    """Each indicator's frame, by table name (``tfi1``, ``tfi1_monthly``, ...)."""


def passage_hours(store: Store, crossing_ids: list[str]) -> pd.DataFrame:
    """Hours to clear of individual passages (``crossing_id``, ``hours``) of the given
    crossings, at most :data:`MAX_DWELL_SAMPLES` each (the earliest entries)."""
    import pandas as pd

    if not crossing_ids:
        return pd.DataFrame({"crossing_id": [], "hours": []})
    marks = ", ".join("?" for _ in crossing_ids)
    sql = f"""WITH {indicators.PASSAGES_SQL}
SELECT crossing_id, hours FROM (
    SELECT crossing_id, {indicators.hours_sql("entry_ts", "exit_ts")} AS hours,
        ROW_NUMBER() OVER (PARTITION BY crossing_id ORDER BY entry_ts, shipment_id) AS k
    FROM passages WHERE crossing_id IN ({marks})) t
WHERE k <= {MAX_DWELL_SAMPLES}"""
    frame = store.query_df(sql, list(crossing_ids))
    frame["hours"] = frame["hours"].astype("float64")
    return frame


LAND_MODES: Final = ("rail", "road")
"""Modes of the crossings :func:`worst_crossings` ranks: on a ferry or sea link the
border entry and exit are at the link's two ends, so their time includes the voyage."""


def worst_crossings(tfi1: pd.DataFrame, tfi2: pd.DataFrame, *, top: int = 10) -> pd.DataFrame:
    """The ``top`` rail and road crossings with the longest median time to clear (pooled
    months), with their cost: ``crossing_id``, ``crossing``, ``direction``, ``mode``,
    ``n``, ``median_hours``, ``p90_hours``, ``mean_usd``, ``unofficial_share``."""
    keys = ["crossing_id", "crossing", "direction", "mode"]
    cost = tfi2[[*keys, "mean_usd", "unofficial_share"]]
    land = tfi1[tfi1["mode"].isin(LAND_MODES)]
    both = land[[*keys, "n", "median_hours", "p90_hours"]].merge(cost, on=keys, how="left")
    both = both.sort_values(["median_hours", "crossing_id"], ascending=[False, True])
    return both.head(top).reset_index(drop=True)


def write_monitor_report(
    store: Store,
    out_dir: str | Path,
    *,
    network: Network | None = None,
    top: int = DEFAULT_TOP,
) -> MonitorReport:
    """Compute the indicators in ``store`` and write the report into ``out_dir``.

    Parameters
    ----------
    store
        An open store with events.
    out_dir
        Folder for ``index.html``, the tables' CSV and Parquet files and ``charts/``.
    network
        If given, its places, crossings and the distances the indicators need are
        copied into the store first (:func:`silkway.monitor.indicators.prepare`).
    top
        Crossings and sections drawn, each (at least 1).

    Returns
    -------
    MonitorReport

    Raises
    ------
    ReportError
        If ``top`` is below 1 or the folder cannot be written.
    """
    from ..reports.html import Image, Section, Table, write_report

    if top < 1:
        raise ReportError(f"top must be at least 1, not {top}")
    if network is not None:
        indicators.prepare(store, network)
    folder = Path(out_dir)
    charts_dir = folder / "charts"
    try:
        charts_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot write the report into {folder}: {exc}") from exc
    t: dict[str, pd.DataFrame] = {
        "tfi1": indicators.tfi1(store, by_month=False),
        "tfi2": indicators.tfi2(store, by_month=False),
        "tfi3": indicators.tfi3(store, by_month=False),
        "tfi4_section": indicators.tfi4(store, level="section", by_month=False),
        "tfi4_trip": indicators.tfi4(store, level="trip", by_month=False),
        "tfi1_monthly": indicators.tfi1(store),
        "tfi2_monthly": indicators.tfi2(store),
        "tfi3_monthly": indicators.tfi3(store),
        "tfi4_section_monthly": indicators.tfi4(store, level="section"),
    }
    crossings = t["tfi1"].sort_values(["n", "crossing_id"], ascending=[False, True]).head(top)
    sections = (
        t["tfi3"]
        .sort_values(["n", "from_place", "to_place", "mode"], ascending=[False, True, True, True])
        .head(top)
    )
    dwell = passage_hours(store, [str(c) for c in crossings["crossing_id"]])
    charts: list[Path] = []
    crossing_images: list[Image] = []
    for _, row in crossings.iterrows():
        cid = str(row["crossing_id"])
        label = f"{row['crossing']} ({row['direction']}, {row['mode']})"
        trend = _crossing_trend(
            t["tfi1_monthly"][t["tfi1_monthly"]["crossing_id"] == cid],
            t["tfi2_monthly"][t["tfi2_monthly"]["crossing_id"] == cid],
            label,
            charts_dir / f"crossing_{_slug(cid)}_trend.png",
        )
        hist = _dwell_plot(
            dwell.loc[dwell["crossing_id"] == cid, "hours"].to_numpy(dtype=np.float64),
            label,
            charts_dir / f"crossing_{_slug(cid)}_dwell.png",
        )
        for path, what in ((trend, "monthly trend"), (hist, "distribution of clearance times")):
            if path is not None:
                charts.append(path)
                crossing_images.append(Image(path, f"{label}: {what}"))
    section_images: list[Image] = []
    monthly3, monthly4 = t["tfi3_monthly"], t["tfi4_section_monthly"]
    for _, row in sections.iterrows():
        keys = (str(row["from_place"]), str(row["to_place"]), str(row["mode"]))
        label = f"{keys[0]} → {keys[1]} ({keys[2]})"
        path = _section_trend(
            _select(monthly3, keys),
            _select(monthly4, keys),
            label,
            charts_dir / f"section_{_slug('_'.join(keys))}_trend.png",
        )
        if path is not None:
            charts.append(path)
            section_images.append(Image(path, f"{label}: monthly trend"))
    summary = _summary(store, t)
    index = write_report(
        folder,
        title="Corridor performance: CAREC CPMM indicators",
        summary=summary,
        sections=[
            Section(
                "Border crossing points: TFI1 and TFI2",
                text=(
                    "TFI1 is the time from a border entry to the matching exit at the "
                    "other end of the crossing's link; TFI2 the payments at the "
                    "crossing's two places between them, official and unofficial, in "
                    f"USD. Charts: the {len(crossings)} crossings with most passages.",
                ),
                images=crossing_images,
                tables=[
                    Table("tfi1", t["tfi1"], "TFI1, hours, all months"),
                    Table("tfi2", t["tfi2"], "TFI2, USD per passage, all months"),
                    Table("tfi1_monthly", t["tfi1_monthly"], "TFI1 by month"),
                    Table("tfi2_monthly", t["tfi2_monthly"], "TFI2 by month"),
                ],
            ),
            Section(
                "Corridor sections: TFI3 and TFI4",
                text=(
                    "A section runs from a departure or border exit to the next border "
                    "entry or arrival. TFI3 is its cost per 500 km per 20 t (USD); SWOD "
                    "and SWD are km over moving and over elapsed hours. Charts: the "
                    f"{len(sections)} sections with most shipments.",
                ),
                images=section_images,
                tables=[
                    Table("tfi3", t["tfi3"], "TFI3, USD per 500 km per 20 t, all months"),
                    Table("tfi4_section", t["tfi4_section"], "SWOD and SWD per section"),
                    Table("tfi3_monthly", t["tfi3_monthly"], "TFI3 by month"),
                    Table("tfi4_section_monthly", monthly4, "TFI4 per section by month"),
                ],
            ),
            Section(
                "Trips: TFI4 from departure to arrival",
                text=(
                    "SWD and SWOD of whole trips: the km of their sections and crossings; "
                    "delays are border time (less sailings), gauge changes, ferry waits "
                    "and terminal dwell.",
                ),
                tables=[Table("tfi4_trip", t["tfi4_trip"], "SWOD and SWD per trip")],
            ),
        ],
    )
    return MonitorReport(index, tuple(charts), t)


def _select(frame: pd.DataFrame, keys: tuple[str, str, str]) -> pd.DataFrame:
    hit = (
        (frame["from_place"] == keys[0])
        & (frame["to_place"] == keys[1])
        & (frame["mode"] == keys[2])
    )
    return frame[hit]


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)


def _summary(store: Store, t: dict[str, pd.DataFrame]) -> list[str]:
    (row,) = store.query(
        "SELECT COUNT(*), COUNT(DISTINCT shipment_id), MIN(ts), MAX(ts) FROM sw_events"
    )
    events, shipments, first, last = row
    lines = [
        f"Store {store.url} ({store.kind}): {int(events):,} events of {int(shipments):,} "
        f"shipments" + (f", {first:%Y-%m-%d} to {last:%Y-%m-%d} (UTC)." if first else "."),
        f"{int(t['tfi1']['n'].sum()):,} border passages at {len(t['tfi1'])} crossings; "
        f"{int(t['tfi3']['n'].sum()):,} measured corridor sections on {len(t['tfi3'])} "
        f"sections; {int(t['tfi4_trip']['n'].sum()):,} measured trips.",
        "Definitions: docs/monitoring-indicators.md (after the CAREC CPMM methodology).",
    ]
    return lines


def _figure(rows: int) -> tuple[Figure, list[Axes]]:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_PX / DPI, (150 + 230 * rows) / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    axes = fig.subplots(rows, 1, squeeze=False)[:, 0]
    return fig, list(axes)


def _save(fig: Figure, path: Path) -> Path:
    try:
        fig.savefig(path, format="png", dpi=DPI)
    except OSError as exc:
        raise ReportError(f"cannot write the chart {path}: {exc}") from exc
    return path


def _crossing_trend(
    times: pd.DataFrame, costs: pd.DataFrame, label: str, path: Path
) -> Path | None:
    """Monthly TFI1 (mean, median, P90) over monthly TFI2 (official, unofficial)."""
    if times.empty:
        return None
    fig, (ax1, ax2) = _figure(2)
    x = np.arange(len(times))
    ax1.plot(x, times["median_hours"], color=TIME, marker="o", label="median")
    ax1.plot(x, times["mean_hours"], color=TIME, ls="--", label="mean")
    ax1.plot(x, times["p90_hours"], color=TIME, ls=":", label="P90")
    ax1.set_ylabel("TFI1, hours to clear")
    ax1.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    months = list(times["month"])
    cost = costs.set_index("month").reindex(months)
    ax2.bar(x, cost["mean_official_usd"], color=COST, label="official")
    ax2.bar(
        x,
        cost["mean_unofficial_usd"],
        bottom=cost["mean_official_usd"],
        color="#f4a582",
        label="unofficial",
    )
    ax2.set_ylabel("TFI2, USD per passage")
    ax2.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    for ax in (ax1, ax2):
        ax.set_xticks(x, months, fontsize=8, rotation=45)
        ax.grid(axis="y", color="#dddddd", lw=0.6)
    fig.suptitle(label, x=0.02, ha="left", fontsize=11)
    fig.subplots_adjust(hspace=0.45, bottom=0.14, top=0.9, right=0.86)
    return _save(fig, path)


def _dwell_plot(hours: np.ndarray, label: str, path: Path) -> Path | None:
    """Histogram of clearance times with the fitted lognormal density."""
    hours = hours[np.isfinite(hours) & (hours > 0)]
    if hours.size < 2:
        return None
    fig, (ax,) = _figure(1)
    logs = np.log(hours)
    mu, sigma = float(logs.mean()), float(logs.std(ddof=1))
    top = float(np.quantile(hours, 0.99))
    bins = np.linspace(0.0, top, 60).tolist()
    ax.hist(hours[hours <= top], bins=bins, density=True, color="#bbbbbb", label="observed")
    if sigma > 0:
        grid = np.linspace(top / 400, top, 400)
        pdf = np.exp(-((np.log(grid) - mu) ** 2) / (2 * sigma**2)) / (
            grid * sigma * math.sqrt(2 * math.pi)
        )
        fitted = (
            f"lognormal fit: median {math.exp(mu):.1f} h, "
            f"P90 {math.exp(mu + 1.2815515655446004 * sigma):.1f} h"
        )
        ax.plot(grid, pdf, color=TIME, lw=1.8, label=fitted)
    ax.set_xlabel("hours from border entry to exit")
    ax.set_ylabel("density")
    ax.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    fig.suptitle(f"{label}: {hours.size:,} passages", x=0.02, ha="left", fontsize=11)
    fig.subplots_adjust(bottom=0.2, top=0.82, right=0.86)
    return _save(fig, path)


def _section_trend(
    costs: pd.DataFrame, speeds: pd.DataFrame, label: str, path: Path
) -> Path | None:
    """Monthly TFI3 over monthly SWOD and SWD."""
    if costs.empty:
        return None
    fig, (ax1, ax2) = _figure(2)
    months = list(costs["month"])
    x = np.arange(len(months))
    ax1.plot(x, costs["mean_usd_per_500km_20t"], color=COST, marker="o", label="mean")
    ax1.plot(x, costs["median_usd_per_500km_20t"], color=COST, ls="--", label="median")
    ax1.set_ylabel("TFI3, USD per 500 km per 20 t")
    ax1.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    sp = speeds.set_index("month").reindex(months)
    ax2.plot(x, sp["swod_kmh"], color=FREE, marker="o", label="SWOD")
    ax2.plot(x, sp["swd_kmh"], color=TIME, marker="o", label="SWD")
    ax2.set_ylabel("TFI4, km/h")
    ax2.legend(fontsize=8, frameon=False, loc="upper left", bbox_to_anchor=(1.005, 1.0))
    for ax in (ax1, ax2):
        ax.set_xticks(x, months, fontsize=8, rotation=45)
        ax.grid(axis="y", color="#dddddd", lw=0.6)
    fig.suptitle(label, x=0.02, ha="left", fontsize=11)
    fig.subplots_adjust(hspace=0.45, bottom=0.14, top=0.9, right=0.86)
    return _save(fig, path)
