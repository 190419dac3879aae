"""The bundled long-haul relations, defined once.

The ten places are the main origins, hubs and destinations of the China - Central Asia
- Europe corridors: Xi'an, Chongqing, Urumqi, Kashgar, Almaty, Tashkent, Baku, Poti,
Istanbul and Duisburg. The long-haul relations are their 90 ordered pairs, planned with
one fixed departure (a Monday in winter) and the planner's default cargo (one FEU).

``benchmarks/plan.py`` times them, and ``silkway info`` weighs the network's provenance
by them (:mod:`silkway.quality.influence`). Change the list here and both follow.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection

LONG_HAUL_PLACES: tuple[str, ...] = (
    "CN_XIA",  # Xi'an
    "CN_CKG",  # Chongqing
    "CN_URC",  # Urumqi
    "CN_KSG",  # Kashgar
    "KZ_ALA",  # Almaty
    "UZ_TAS",  # Tashkent
    "AZ_BAK",  # Baku
    "GE_POT",  # Poti
    "TR_IST",  # Istanbul
    "DE_DUI",  # Duisburg
)
"""Place ids of the long-haul relations (bundled network)."""

LONG_HAUL_DEPART = "2026-12-07"
"""Departure of every long-haul query: Monday 7 December 2026, 00:00 UTC."""


def long_haul_relations(
    places: Collection[str] | None = None,
) -> list[tuple[str, str]]:
    """The ordered pairs of :data:`LONG_HAUL_PLACES` (90 of them).

    Parameters
    ----------
    places
        If given, only the pairs whose two places are in it (a network's place ids):
        a network without some of the places gets the pairs it can plan.

    Returns
    -------
    list of (origin, destination)
    """
    pairs = list(itertools.permutations(LONG_HAUL_PLACES, 2))
    if places is None:
        return pairs
    return [(o, d) for o, d in pairs if o in places and d in places]
