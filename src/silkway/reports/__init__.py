"""Reports: compare two networks in tables, maps, charts and one self-contained HTML page.

The stage after the engine and the assignment: it reads their results (skims, element
flows, plan results) and renders them; it changes nothing. Names are imported on first
use, so ``import silkway.reports`` does no work::

    from silkway.reports import compare
    summary = compare(base, other, base_name="baseline", other_name="cku-open",
                      skims_base=sb, skims_other=so, out_dir="out/cku")
    print(summary)

Modules: :mod:`.deltas` (OD, element and network differences), :mod:`.legs` (two routes
leg by leg), :mod:`.maps` (network maps over country outlines), :mod:`.charts` (OD
delta charts), :mod:`.html` (the page and its table files), :mod:`.comparison` (all of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._common import ReportError
    from .charts import draw_od_delta_chart
    from .comparison import ComparisonSummary, compare
    from .deltas import element_deltas, network_changes, od_deltas
    from .html import Image, Section, Table, write_report
    from .legs import LegDiff, leg_diff
    from .maps import draw_network_map

__all__ = [
    "ComparisonSummary",
    "Image",
    "LegDiff",
    "ReportError",
    "Section",
    "Table",
    "compare",
    "draw_network_map",
    "draw_od_delta_chart",
    "element_deltas",
    "leg_diff",
    "network_changes",
    "od_deltas",
    "write_report",
]

_LAZY = {
    "ReportError": "._common",
    "draw_od_delta_chart": ".charts",
    "ComparisonSummary": ".comparison",
    "compare": ".comparison",
    "element_deltas": ".deltas",
    "network_changes": ".deltas",
    "od_deltas": ".deltas",
    "Image": ".html",
    "Section": ".html",
    "Table": ".html",
    "write_report": ".html",
    "LegDiff": ".legs",
    "leg_diff": ".legs",
    "draw_network_map": ".maps",
}


def __getattr__(name: str) -> Any:
    """Import public names on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module 'silkway.reports' has no attribute {name!r}")
