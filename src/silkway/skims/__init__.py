"""Skim matrices: door-to-door time quantiles, cost, CO2e and distance between places.

See :func:`matrix` (:mod:`.matrix`).
"""

from __future__ import annotations

from .matrix import COLUMNS, matrix

__all__ = ["COLUMNS", "matrix"]
