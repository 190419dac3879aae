"""A few lines that say what a demand frame holds."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def demand_summary(frame: pd.DataFrame) -> str:
    """Describe a demand frame: rows read, OD pairs, and totals by cargo class.

    Parameters
    ----------
    frame
        A frame with the columns of :data:`~silkway.demand.DEMAND_COLUMNS`, as returned
        by :func:`~silkway.demand.read_demand` or :func:`~silkway.demand.bundled_demand`.
        If its ``attrs`` hold ``file`` and ``rows_read`` (as ``read_demand`` sets them),
        the first line names them.

    Returns
    -------
    str
        Plain text without a trailing newline, e.g.::

            read 12 rows from od.csv
            9 rows (origin, destination, class): 7 OD pairs, 4 origins, 5 destinations
            class              FEU/year          t/year     value USD/year
            container         1,200.0        19,920.0      ...
            total             ...
    """
    from . import DEMAND_COLUMNS

    missing = [c for c in DEMAND_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"not a demand frame: columns {', '.join(missing)} are missing")
    lines: list[str] = []
    if "file" in frame.attrs and "rows_read" in frame.attrs:
        n = int(frame.attrs["rows_read"])
        lines.append(f"read {n} row{'s' if n != 1 else ''} from {frame.attrs['file']}")
    pairs = frame[["origin", "destination"]].drop_duplicates()
    lines.append(
        f"{len(frame)} rows (origin, destination, class): {len(pairs)} OD pairs, "
        f"{frame['origin'].nunique()} origins, {frame['destination'].nunique()} destinations"
    )
    lines.append(f"{'class':<16}{'FEU/year':>16}{'t/year':>20}  {'value USD/year'}")
    groups = frame.groupby("cargo_class", sort=True)
    for cls, part in groups:
        lines.append(_total_line(str(cls), part))
    lines.append(_total_line("total", frame))
    return "\n".join(lines)


def _total_line(label: str, part: pd.DataFrame) -> str:
    values = part["value_usd"]
    known = int(values.notna().sum())
    if known == 0:
        value = "unknown"
    else:
        value = f"{float(values.sum(skipna=True)):,.0f}"
        if known < len(values):
            value += f" ({len(values) - known} unknown)"
    feu = float(part["feu_per_year"].sum())
    tonnes = float(part["tonnes_per_year"].sum())
    feu_text = f"{feu:,.1f}" if not math.isnan(feu) else "nan"
    return f"{label:<16}{feu_text:>16}{tonnes:>20,.1f}  {value}"
