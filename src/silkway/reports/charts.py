"""Charts of origin-destination deltas as PNG files.

:func:`draw_od_delta_chart` takes the OD table of :func:`silkway.reports.compare.od_deltas`
(one row per pair, ``<metric>_base``, ``<metric>_other`` and ``<metric>_delta`` columns,
place names in ``origin_name`` and ``destination_name``) and draws, for the pairs whose
metric changed most, an arrow from the base value to the other value, sorted by the
change, each row labelled with its places and its change. matplotlib is imported inside
the function and the figure is drawn by the Agg canvas, without pyplot.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ._common import ReportError, short

if TYPE_CHECKING:
    import pandas as pd

METRIC_LABELS: dict[str, str] = {
    "time_p50_h": "door-to-door time P50 (h)",
    "time_p90_h": "door-to-door time P90 (h)",
    "time_p95_h": "door-to-door time P95 (h)",
    "cost_usd": "cost (USD)",
    "co2e_kg": "CO2e (kg)",
    "distance_km": "distance (km)",
    "transshipments": "transshipments",
    "borders": "borders",
}
"""Axis labels of the OD metrics the charts know; others are labelled by their name."""
WIDTH_PX = 1100
DPI = 100
ROW_PX = 30
"""Height of one pair's row, pixels; the chart is as tall as its rows need."""
DECREASE, INCREASE = "#2166ac", "#b2182b"


def top_changes(deltas: pd.DataFrame, metric: str, *, top: int) -> pd.DataFrame:
    """The ``top`` rows whose ``<metric>_delta`` is largest in magnitude, sorted by delta.

    Rows without a delta (a pair reachable on one side only) are left out; ties keep the
    table's order.
    """
    column = f"{metric}_delta"
    missing = [c for c in (f"{metric}_base", f"{metric}_other", column) if c not in deltas.columns]
    if missing:
        raise ReportError(f"OD delta table has no column {', '.join(missing)}")
    changed = deltas[deltas[column].notna() & (deltas[column] != 0)]
    order = changed[column].abs().sort_values(ascending=False, kind="stable").index[:top]
    return changed.loc[order].sort_values(column, kind="stable")


def pair_label(row: pd.Series) -> str:
    """``Kashgar → Tashkent`` from a row's place names (ids where it has no names),
    without their parenthesised details."""
    origin = short(row.get("origin_name", row["origin"]))
    destination = short(row.get("destination_name", row["destination"]))
    return f"{origin} → {destination}"


def draw_od_delta_chart(
    deltas: pd.DataFrame,
    *,
    metric: str,
    out_path: str | Path,
    top: int = 15,
    title: str = "",
    base_name: str = "base",
    other_name: str = "other",
) -> Path | None:
    """Draw the OD pairs whose ``metric`` changed most, base value to other value.

    Parameters
    ----------
    deltas
        OD delta table (see :func:`silkway.reports.compare.od_deltas`).
    metric
        Metric name, e.g. ``time_p50_h``, ``cost_usd`` or ``co2e_kg``.
    out_path
        The PNG file to write.
    top
        How many pairs to show (the largest changes in magnitude).
    title
        Title; default names the metric.
    base_name, other_name
        Names of the two sides, for the legend.

    Returns
    -------
    Path or None
        ``out_path``, or ``None`` (and no file) when no pair's metric changed.

    Raises
    ------
    ReportError
        If the table lacks the metric's columns, or the file cannot be written.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    rows = top_changes(deltas, metric, top=top)
    if rows.empty:
        return None
    base = rows[f"{metric}_base"].to_numpy(dtype=np.float64)
    other = rows[f"{metric}_other"].to_numpy(dtype=np.float64)
    delta = rows[f"{metric}_delta"].to_numpy(dtype=np.float64)
    labels = [pair_label(r) for _, r in rows.iterrows()]
    n = len(rows)
    height_px = 120 + ROW_PX * n
    fig = Figure(figsize=(WIDTH_PX / DPI, height_px / DPI), dpi=DPI)
    FigureCanvasAgg(fig)
    left = min(0.5, (20 + 6.5 * max(map(len, labels))) / WIDTH_PX)
    ax = fig.add_axes((left, 50 / height_px, 0.87 - left, 1 - 110 / height_px))
    y = np.arange(n)[::-1]  # the most negative change on top
    colours = [DECREASE if d < 0 else INCREASE for d in delta]
    ax.hlines(y, np.minimum(base, other), np.maximum(base, other), colors=colours, lw=2.5)
    ax.scatter(base, y, s=36, c="#888888", zorder=3)
    ax.scatter(other, y, s=36, c=colours, zorder=3)
    ax.set_yticks(y, labels, fontsize=8.5)
    ax.set_ylim(-0.7, n - 0.3)
    ax.grid(axis="x", color="#dddddd", lw=0.6)
    ax.set_axisbelow(True)
    ax.set_xlabel(METRIC_LABELS.get(metric, metric), fontsize=9)
    ax.tick_params(axis="x", labelsize=8)
    for yi, d in zip(y, delta, strict=True):
        ax.annotate(
            f"{d:+,.1f}",
            (1.0, float(yi)),
            xycoords=("axes fraction", "data"),
            xytext=(8, 0),
            textcoords="offset points",
            va="center",
            fontsize=8.5,
            color=DECREASE if d < 0 else INCREASE,
        )
    ax.legend(
        handles=[
            Line2D([], [], ls="", marker="o", color="#888888", label=base_name),
            Line2D([], [], ls="", marker="o", color=DECREASE, label=f"{other_name} (lower)"),
            Line2D([], [], ls="", marker="o", color=INCREASE, label=f"{other_name} (higher)"),
        ],
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncols=3,
        fontsize=8,
        frameon=False,
    )
    metric_label = METRIC_LABELS.get(metric, metric)
    fig.suptitle(
        title or f"Largest changes in {metric_label}, {other_name} against {base_name}",
        x=0.02,
        ha="left",
        fontsize=11,
    )
    path = Path(out_path)
    try:
        fig.savefig(path, format="png", dpi=DPI)
    except OSError as exc:
        raise ReportError(f"cannot write the chart {path}: {exc}") from exc
    return path
