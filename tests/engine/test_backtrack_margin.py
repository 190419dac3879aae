"""A route that doubles back is a champion only with a real lead (diversify's rule).

Candidates made for the purpose: a direct route, and one that doubles back 800 km
(more than ``max(300 km, 15 %`` of a 2,000 km relation) with a lower CO2e.
"""

from __future__ import annotations

import pytest

from silkway.engine.diversify import BACKTRACK_MARGIN, Candidate, champion, doubles_back, pick
from silkway.engine.search import Route


def _candidate(hours: float, cost: float, co2: float, back_km: float = 0.0) -> Candidate:
    return Candidate(
        route=Route(hours, cost, co2, 0, ()),
        hours=hours,
        borders=(),
        countries=(),
        km=2_500.0 + 2 * back_km,
        direct_km=2_000.0,
        backtrack_km=back_km,
    )


DIRECT = _candidate(260.0, 3_600.0, 2_860.0)


def test_a_marginal_lead_does_not_make_a_detour_the_champion() -> None:
    detour = _candidate(400.0, 8_800.0, 2_840.0, back_km=800.0)  # 0.7 % less CO2e
    assert doubles_back(detour) and not doubles_back(DIRECT)
    assert champion([DIRECT, detour], "co2") is DIRECT
    assert pick([DIRECT, detour]) == [DIRECT]


def test_a_real_lead_keeps_the_detour_as_champion() -> None:
    co2 = 2_860.0 / (1.0 + BACKTRACK_MARGIN) * 0.99  # more than the margin below
    detour = _candidate(400.0, 8_800.0, co2, back_km=800.0)
    assert champion([DIRECT, detour], "co2") is detour
    assert pick([DIRECT, detour]) == [DIRECT, detour]


@pytest.mark.parametrize("sort", ["time", "cost", "co2"])
def test_a_detour_with_no_alternative_stays_the_champion(sort: str) -> None:
    detour = _candidate(400.0, 8_800.0, 2_840.0, back_km=800.0)
    assert champion([detour], sort) is detour
