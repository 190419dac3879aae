"""Per-train-type arrays: the speed, price and border dwell each train type sees.

The links and crossings of a network hold the values of the block train (the default
train type). ``train_types.csv`` (:class:`~silkway.model.records.TrainRule`) says how
an express train and wagonload differ: per rail tariff section, a speed (``speed_kmh``,
or ``speed_factor`` on the link's own) and a price per km (``cost_per_km_usd`` or
``cost_factor``); per rail crossing, a dwell. :func:`train_arrays` turns them into one
row per train type (in :data:`~silkway.model.records.TRAIN_TYPES` order) of every array
that differs, so both search kernels, the bounds and the Monte Carlo read the chosen
type's row and nothing else.

Links that carry a service keep their own values under every train type (the service is
its own train, with its own timetable), and so do the crossings on them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..model.records import TRAIN_TYPES, Crossing, Dwell, Link, Network, TrainRule
from .ids import IdIndex

Z90 = 1.2815515655446004
"""The standard normal 90th percentile."""

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def lognormal_sigma(dwell: Dwell) -> float:
    """Sigma of the lognormal with the given median and P90 (0 for a fixed time)."""
    if dwell.median_hours <= 0 or dwell.p90_hours <= dwell.median_hours:
        return 0.0
    return math.log(dwell.p90_hours / dwell.median_hours) / Z90


@dataclass(frozen=True, slots=True)
class TrainArrays:
    """One row per train type (``TRAIN_TYPES`` order) of what differs between them.

    Attributes
    ----------
    rules
        Index of the rows of ``train_types.csv``.
    link_hours, link_cost_per_km
        Moving hours and price per km of every link, shape (train types, links).
    link_rule
        Row of ``train_types.csv`` that set a link's values (-1: the link's own).
    crossing_hours, crossing_sigma
        Median dwell and lognormal sigma of every crossing, shape (train types,
        crossings).
    crossing_rule
        Row that set a crossing's dwell (-1: the crossing's own).
    """

    rules: IdIndex
    link_hours: FloatArray
    link_cost_per_km: FloatArray
    link_rule: IntArray
    crossing_hours: FloatArray
    crossing_sigma: FloatArray
    crossing_rule: IntArray


def _link_values(link: Link, rule: TrainRule | None) -> tuple[float, float]:
    """(moving hours, price per km) of a link under ``rule`` (``None``: its own)."""
    hours, per_km = link.moving_hours(), link.cost_per_km_usd
    if rule is None:
        return hours, per_km
    if rule.speed_kmh is not None:
        hours = link.km / rule.speed_kmh
    elif rule.speed_factor is not None:
        hours = hours / rule.speed_factor
    if rule.cost_per_km_usd is not None:
        per_km = rule.cost_per_km_usd
    elif rule.cost_factor is not None:
        per_km = per_km * rule.cost_factor
    return hours, per_km


def train_arrays(
    network: Network,
    links: Sequence[Link],
    crossings: Sequence[Crossing],
    served: set[str],
) -> TrainArrays:
    """The per-train-type arrays of a validated network.

    Parameters
    ----------
    network
        The network (its ``train_rules``).
    links, crossings
        The link and crossing records in index order.
    served
        Ids of links that carry a service: they keep their own values.
    """
    rules = IdIndex(network.train_rules)
    by_section: dict[tuple[str, str], TrainRule] = {}
    by_crossing: dict[tuple[str, str], TrainRule] = {}
    for row in network.train_rules.values():
        if row.section:
            by_section.setdefault((row.train, row.section), row)
        elif row.crossing:
            by_crossing.setdefault((row.train, row.crossing), row)
    n_t = len(TRAIN_TYPES)
    link_hours = np.empty((n_t, len(links)))
    link_cost = np.empty((n_t, len(links)))
    link_rule = np.full((n_t, len(links)), -1, dtype=np.int64)
    c_hours = np.empty((n_t, len(crossings)))
    c_sigma = np.empty((n_t, len(crossings)))
    c_rule = np.full((n_t, len(crossings)), -1, dtype=np.int64)
    mode_of = {k.id: k.mode for k in links}
    for t, train in enumerate(TRAIN_TYPES):
        for li, link in enumerate(links):
            rule: TrainRule | None = None
            if link.mode == "rail" and link.section and link.id not in served:
                rule = by_section.get((train, link.section))
            link_hours[t, li], link_cost[t, li] = _link_values(link, rule)
            if rule is not None:
                link_rule[t, li] = rules.index(rule.id)
        for ci, crossing in enumerate(crossings):
            dwell = crossing.dwell
            x_rule: TrainRule | None = None
            if mode_of.get(crossing.link) == "rail" and crossing.link not in served:
                x_rule = by_crossing.get((train, crossing.id))
            if x_rule is not None and x_rule.dwell is not None:
                dwell = x_rule.dwell
                c_rule[t, ci] = rules.index(x_rule.id)
            c_hours[t, ci] = dwell.median_hours
            c_sigma[t, ci] = lognormal_sigma(dwell)
    return TrainArrays(rules, link_hours, link_cost, link_rule, c_hours, c_sigma, c_rule)
