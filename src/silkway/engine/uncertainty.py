"""Uncertainty: lognormal dwell and waits, and Monte Carlo evaluation of a route.

Border dwell, transfer dwell and queue waits are lognormal, given by a median and a
90th percentile. A route found on medians is replayed ``samples`` times through the
weekly timetables and opening windows, so waits compound the way they do in reality
(a late arrival can miss a weekly ferry). The same seed gives the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from ..model.records import Dwell
from .search import Costing, Route
from .timing import wait_for_departure, wait_until_open

Z90 = 1.2815515655446004
"""The standard normal 90th percentile."""


def lognormal_sigma(dwell: Dwell) -> float:
    """Sigma of the lognormal with the given median and P90 (0 for a fixed time)."""
    if dwell.median_hours <= 0 or dwell.p90_hours <= dwell.median_hours:
        return 0.0
    return math.log(dwell.p90_hours / dwell.median_hours) / Z90


def sample_dwell(dwell: Dwell, rng: np.random.Generator, n: int) -> NDArray[np.float64]:
    """``n`` draws of a dwell time in hours."""
    sigma = lognormal_sigma(dwell)
    if sigma == 0.0:
        return np.full(n, dwell.median_hours)
    return dwell.median_hours * np.exp(sigma * rng.standard_normal(n))


@dataclass(frozen=True, slots=True)
class RouteSample:
    """Monte Carlo draws for one route: total hours and the wait of each step."""

    total_hours: NDArray[np.float64]
    step_wait_hours: tuple[NDArray[np.float64], ...]

    def quantile(self, q: float) -> float:
        """Quantile of the total door-to-door hours."""
        return float(np.quantile(self.total_hours, q))


def simulate_route(
    net: CompiledNetwork,
    costing: Costing,
    route: Route,
    *,
    start_hours: float,
    samples: int,
    rng: np.random.Generator,
) -> RouteSample:
    """Replay ``route`` ``samples`` times with random dwell and queue waits."""
    network = net.network
    transfers = list(network.transfers.values())
    crossings = list(network.crossings.values())
    services = list(network.services.values())
    t = np.full(samples, start_hours)
    waits: list[NDArray[np.float64]] = []
    for step in route.steps:
        before = t.copy()
        if step.transfer >= 0:
            t = t + sample_dwell(transfers[step.transfer].dwell, rng, samples)
        if step.service >= 0 and not step.continued:
            svc = services[step.service]
            deps = costing.service_departures[step.service]
            if deps is None:
                assert svc.wait is not None
                t = t + sample_dwell(svc.wait, rng, samples)
            else:
                offset = next(
                    b.offset_hours for b in net.arc_boardings[step.arc] if b.service == step.service
                )
                t = t + wait_for_departure(t - offset, deps)
        t = t + step.moving_hours
        ci = int(net.arc_crossing[step.arc])
        if ci >= 0:
            t = t + wait_until_open(t, net.crossing_windows[ci])
            t = t + sample_dwell(crossings[ci].dwell, rng, samples)
        waits.append(np.maximum(t - before - step.moving_hours, 0.0))
    return RouteSample(t - start_hours, tuple(waits))
