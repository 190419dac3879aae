"""Waits with congested periods on the bundled network: one lognormal through a mixture.

Brest–Małaszewicze (BY→PL border dwell) and the Kuryk–Alat ferry wait are each a
mixture of a normal and a congested regime, with a share of departures meeting the
congested one; the data give the lognormal through the mixture's median and P90
(``der_dwell_malaszewicze``, ``der_kuryk_ferry_wait``). The regimes below are those
the two derivations name; the test recomputes the mixture and checks the rows.
"""

from __future__ import annotations

import math

import pytest
from scipy.optimize import brentq
from scipy.stats import lognorm

import silkway
from silkway.model.loader import default_network_path

pytestmark = pytest.mark.skipif(
    not (default_network_path() / "places.csv").exists(),
    reason="the bundled default network (src/silkway/data/default) is not there",
)

Z90 = 1.2815515655446004


def _lognormal(median: float, p90: float) -> lognorm:
    return lognorm(s=math.log(p90 / median) / Z90, scale=median)


def mixture_median_p90(
    normal: tuple[float, float], congested: tuple[float, float], share: float
) -> tuple[float, float]:
    """Median and P90 of a mixture: ``1 - share`` of the normal regime (median, P90),
    ``share`` of the congested one."""
    a, b = _lognormal(*normal), _lognormal(*congested)

    def quantile(q: float) -> float:
        return float(brentq(lambda x: (1 - share) * a.cdf(x) + share * b.cdf(x) - q, 1e-6, 1e6))

    return quantile(0.5), quantile(0.9)


@pytest.fixture(scope="module")
def network():
    return silkway.load_network()


def test_brest_malaszewicze_is_the_mixture_of_its_regimes(network) -> None:
    # congested: mean 240 h, sigma 0.443, so median 217.5 h and P90 217.5 e^(0.443 Z90)
    congested = (217.5, 217.5 * math.exp(0.443 * Z90))
    median, p90 = mixture_median_p90((60.0, 120.0), congested, 0.10)
    dwell = network.crossings["X_R_BRE_MAL_BY_BRE"].dwell
    assert dwell.median_hours == pytest.approx(median, abs=0.5)
    assert dwell.p90_hours == pytest.approx(p90, abs=0.5)


def test_the_kuryk_ferry_wait_is_the_mixture_of_its_regimes(network) -> None:
    normal = (8.4 + 24.0, 28.0 + 48.0)  # headway plus a standing queue
    congested = (365.0 / 2, 365.0)  # 700 wagons at 46 a day, and half of it
    median, p90 = mixture_median_p90(normal, congested, 0.25)
    wait = network.services["SV_CASPIAN_KUR_ALT"].wait
    assert wait is not None
    assert wait.median_hours == pytest.approx(median, abs=0.5)
    assert wait.p90_hours == pytest.approx(p90, abs=0.5)
    # a congested queue is in the tail, not in every departure's P90
    assert normal[1] < wait.p90_hours < congested[1]
