"""Emission intensity of every link: a fixed GLEC row, or electric traction on a grid mix.

A link whose emission factor gives ``wtw_g_per_tkm`` and ``ttw_g_per_tkm`` uses both as
they are. A link whose factor gives ``kwh_per_tkm`` (electric traction) runs on the
electricity of the countries it crosses: its WTW is that energy times the mean grid
intensity of those countries, weighted by the kilometres it runs in each, and its TTW is
zero. The kilometres per country come from the link's geometry (the shipped country grid,
see :mod:`silkway.geo.country_grid`) where it has one; otherwise the link's countries
(its ends and ``transit_countries``) weigh equally.

Both search kernels and the Monte Carlo read the resulting arrays through the compiled
network, so nothing downstream needs to know which kind of factor a link has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model.geometry import country_shares
from ..model.records import Link, Network


@dataclass(frozen=True)
class LinkIntensities:
    """Per-link emission intensities and, for grid-based links, the grid used.

    Attributes
    ----------
    wtw, ttw
        g CO2e per tonne-km, well to wheel and tank to wheel, per link.
    grid_g_per_kwh
        The km-weighted grid intensity of a grid-based link (NaN for the others).
    grid_mix
        Per link, ``(country, share)`` pairs of its grid mix (empty for fixed factors).
    """

    wtw: NDArray[np.float64]
    ttw: NDArray[np.float64]
    grid_g_per_kwh: NDArray[np.float64]
    grid_mix: tuple[tuple[tuple[str, float], ...], ...]


def link_intensities(network: Network, links: Sequence[Link]) -> LinkIntensities:
    """Emission intensities of ``links`` (in compiled order) on a validated network."""
    factors = network.emission_factors
    grids = network.grid_intensities
    n = len(links)
    wtw = np.zeros(n, dtype=np.float64)
    ttw = np.zeros(n, dtype=np.float64)
    grid = np.full(n, np.nan, dtype=np.float64)
    mixes: list[tuple[tuple[str, float], ...]] = []
    for i, link in enumerate(links):
        ef = factors[link.emission_factor]
        if ef.kwh_per_tkm is None:
            wtw[i], ttw[i] = ef.wtw_g_per_tkm, ef.ttw_g_per_tkm
            mixes.append(())
            continue
        mix = country_shares(network, link)
        g = sum(share * grids[c].wtw_g_per_kwh for c, share in mix)
        grid[i] = g
        wtw[i] = ef.kwh_per_tkm * g
        mixes.append(mix)
    return LinkIntensities(wtw, ttw, grid, tuple(mixes))
