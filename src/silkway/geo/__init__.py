"""Geometry of the network: lines on the sphere and the countries they run through.

:mod:`.lines` measures and draws lines (great-circle distances, polyline lengths,
great-circle arcs for air links, points every few km along a line); :mod:`.country_grid`
tells in which country a point lies, from a grid of country outlines shipped with the
package. Neither reads network files; the model and the compile layer call them.
"""

from __future__ import annotations

from .lines import (
    EARTH_RADIUS_KM,
    great_circle_arc,
    great_circle_km,
    line_km,
    sample_line,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "great_circle_arc",
    "great_circle_km",
    "line_km",
    "sample_line",
]
