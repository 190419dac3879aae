"""Build a demand frame (:data:`silkway.demand.DEMAND_COLUMNS`) from row records."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import DEMAND_COLUMNS

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True, slots=True)
class DemandRecord:
    """One contribution to an origin-destination-class row, before aggregation."""

    origin: str
    destination: str
    cargo_class: str
    feu: float
    tonnes: float
    value_usd: float
    """NaN if unknown."""
    source: str


def demand_frame(records: Iterable[DemandRecord]) -> pd.DataFrame:
    """Sum ``records`` into one row per (origin, destination, cargo_class).

    FEU and tonnes add up; the value adds up too, but is NaN when any contribution's
    value is unknown. Sources are joined by ``;`` in the order met. Rows are sorted by
    origin, destination and class.

    Parameters
    ----------
    records
        Contributions, in any order.

    Returns
    -------
    pandas.DataFrame
        Exactly the columns of :data:`~silkway.demand.DEMAND_COLUMNS`.
    """
    import pandas as pd

    sums: dict[tuple[str, str, str], list[float]] = {}
    sources: dict[tuple[str, str, str], list[str]] = {}
    for r in records:
        key = (r.origin, r.destination, r.cargo_class)
        acc = sums.setdefault(key, [0.0, 0.0, 0.0])
        acc[0] += r.feu
        acc[1] += r.tonnes
        acc[2] = math.nan if math.isnan(r.value_usd) else acc[2] + r.value_usd
        names = sources.setdefault(key, [])
        if r.source not in names:
            names.append(r.source)
    keys = sorted(sums)
    data = {
        "origin": pd.Series([k[0] for k in keys], dtype="str"),
        "destination": pd.Series([k[1] for k in keys], dtype="str"),
        "cargo_class": pd.Series([k[2] for k in keys], dtype="str"),
        "feu_per_year": pd.Series([sums[k][0] for k in keys], dtype="float64"),
        "tonnes_per_year": pd.Series([sums[k][1] for k in keys], dtype="float64"),
        "value_usd": pd.Series([sums[k][2] for k in keys], dtype="float64"),
        "source": pd.Series([";".join(sources[k]) for k in keys], dtype="str"),
    }
    return pd.DataFrame(data, columns=list(DEMAND_COLUMNS))
