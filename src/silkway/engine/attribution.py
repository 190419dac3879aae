"""Attribution: which parameters produced each hour and each dollar of a leg.

Every number of an option is computed from parameters of the network: a link's length
and speed, a crossing's dwell and fee, a transfer's handling time and cost, the truck
size that bills a road leg. :func:`leg_parts` splits a leg's hours (moving plus every
wait, median basis) and its cost (by :attr:`~silkway.results.Leg.cost_items`) into
:class:`Part` records, each naming the parameters it was computed from (as
``kind:id.field``, the names :class:`~silkway.results.SourceRef` uses in ``--explain``)
with weights that sum to 1. It runs on demand, not while planning: ``silkway info``
weighs the provenance of the network by it (:mod:`silkway.quality.influence`).

The rules, in one place:

* A **sum** is split into its terms first: a link's cost is its fixed cost plus its
  per-km cost; a leg's hours are its moving hours plus each wait.
* A **product or quotient** of parameters is shared among them in proportion to the
  absolute elasticity of the amount with respect to each (the relative change of the
  amount per relative change of the parameter). For a plain product or quotient every
  factor has elasticity 1 in absolute value, so ``hours = km / speed_kmh`` gives half
  to ``km`` and half to ``speed_kmh``, and ``cost = rate x km x quantity`` a third to
  each factor that is a parameter.
* **Moving hours** come from ``duration_hours`` where a link gives one, else from
  ``km`` and ``speed_kmh``.
* **Waits**: a transfer's ``median_hours``, a queue service's ``median_wait_hours``, a
  timetable's ``departures``, a crossing's ``median_hours`` (dwell) or its
  ``open_days`` and ``open_hours`` (waiting for a closed post to open). Timetables and
  opening days may name a source in the row's ``sources`` (``departures=SOURCE``,
  ``open_days=SOURCE``); :mod:`silkway.quality.influence` counts one that does not as an
  estimate. A wait of a kind
  this module does not know is attributed to the global parameters the leg cites whose
  name holds the last word of its code (``road.rest`` to ``road_daily_rest_hours``),
  else to a parameter named after the wait, with no provenance (an estimate).
* **Costs** are a rate (``cost_fixed_usd``, ``cost_per_km_usd`` with ``km``, or
  ``cost_usd``) times the consignment's quantity in the rate's unit. The consignment is
  the query's; the network parameters that convert it into the unit (TEU per FEU,
  payload per TEU, the TEU of one truck, ...) are factors too, with the elasticity the
  conversion gives them, measured numerically on both sides and the smaller one kept
  (a whole number of trucks is flat between two steps, so a step is not an elasticity).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from ..compile import CompiledNetwork
from ..model.records import COST_UNITS, MODES, Link
from ..results import Leg, Wait
from .cargo import Basis, Cargo
from .pricing import quantities, quantities_by_mode

STEP = 1e-6
"""Relative change of a parameter used to measure the elasticity of a quantity."""
MIN_ELASTICITY = 1e-6
"""Elasticities smaller than this (in absolute value) are taken as zero."""

Weighted = tuple[tuple[str, float], ...]
"""``(parameter, weight)`` pairs, the weights not yet normalised."""


@dataclass(frozen=True, slots=True)
class Part:
    """A part of a leg's hours or cost, and the parameters that produced it.

    A leg's parts add up to its hours (moving plus waiting, median basis) and to its
    cost.
    """

    measure: str
    """``hours`` or ``cost_usd``."""
    amount: float
    parameters: tuple[tuple[str, float], ...]
    """``(parameter, weight)``: parameters named as in
    :attr:`silkway.results.SourceRef.parameter` (``link:R_A_B.km``), weights summing
    to 1."""


def leg_parts(net: CompiledNetwork, cargo: Cargo, leg: Leg) -> tuple[Part, ...]:
    """The hours and cost of ``leg`` (planned for ``cargo``) split by parameter.

    Parameters
    ----------
    net
        The compiled network the leg was planned on.
    cargo
        The consignment it was planned for (its conversion into cost units is
        attributed to the network parameters it uses).
    leg
        A leg of an option :func:`silkway.plan` returned.

    Returns
    -------
    tuple of Part
        Their hours add up to ``leg.hours + leg.wait_hours``, their costs to
        ``leg.cost_usd``.
    """
    factors = quantity_factors(net, cargo)
    link = net.network.links[leg.link_id]
    parts = [moving_part(link, leg.hours)]
    items = leg.cost_items or (("link", leg.link_id, leg.cost_usd),)
    for kind, element, usd in items:
        if kind == "link":
            parts += link_cost_parts(net, net.links.index(element), usd, factors)
        elif kind == "transfer":
            unit = int(net.transfer_cost_unit[net.transfers.index(element)])
            parts.append(element_cost_part(kind, element, usd, factors.plain[unit]))
        elif kind == "crossing":
            ci = net.crossings.index(element)
            key = (int(net.crossing_mode[ci]), int(net.crossing_cost_unit[ci]))
            parts.append(element_cost_part(kind, element, usd, factors.by_mode[key]))
        elif kind == "handling":  # a container freight station charge (part loads)
            parts.append(part("cost_usd", usd, _cfs_factors(net, cargo)))
        else:  # a cost this module does not know: every cost parameter of the element
            parts.append(part("cost_usd", usd, _fallback(net, element, "cost")))
    cited = [r.parameter for r in leg.sources]
    parts += [wait_part(net, w, cited) for w in leg.waits]
    return tuple(parts)


def _cfs_factors(net: CompiledNetwork, cargo: Cargo) -> list[tuple[str, float]]:
    """The parameter of a container freight station charge: its minimum where that is
    what it came to, else its rate per chargeable cubic metre."""
    basis = Basis.of(net)
    by_rate = [
        basis.part_load_cfs_usd_per_cbm * basis.chargeable_cbm(cargo, m)
        for m in MODES
        if basis.consolidated(cargo, m)
    ]
    at_minimum = bool(by_rate) and max(by_rate) < basis.part_load_cfs_min_usd
    key = "part_load_cfs_min_usd" if at_minimum else "part_load_cfs_usd_per_cbm"
    return [(parameter_name("parameter", key, "value"), 1.0)]


def parameter_name(kind: str, element_id: str, field: str) -> str:
    """The name of one parameter: ``kind:id.field`` (``link:R_A_B.km``)."""
    return f"{kind}:{element_id}.{field}"


def part(measure: str, amount: float, weighted: Iterable[tuple[str, float]]) -> Part:
    """A :class:`Part` with its weights normalised to sum to 1 (equal where all are 0)."""
    merged: dict[str, float] = {}
    for name, w in weighted:
        merged[name] = merged.get(name, 0.0) + abs(w)
    total = sum(merged.values())
    if not merged:
        return Part(measure, amount, ())
    if total <= 0:
        return Part(measure, amount, tuple((k, 1.0 / len(merged)) for k in merged))
    return Part(measure, amount, tuple((k, w / total) for k, w in merged.items()))


def moving_part(link: Link, hours: float) -> Part:
    """The moving hours of a leg on ``link``."""
    if link.duration_hours is not None:
        return part("hours", hours, [(parameter_name("link", link.id, "duration_hours"), 1.0)])
    return part(
        "hours",
        hours,
        [
            (parameter_name("link", link.id, "km"), 1.0),
            (parameter_name("link", link.id, "speed_kmh"), 1.0),
        ],
    )


_WAIT_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "transfer.gauge_change": ("transfer", ("median_hours",)),
    "transfer.mode_change": ("transfer", ("median_hours",)),
    "transfer.transshipment": ("transfer", ("median_hours",)),
    "service.queue": ("service", ("median_wait_hours",)),
    "service.timetable": ("service", ("departures",)),
    "border.dwell": ("crossing", ("median_hours",)),
}


def wait_part(net: CompiledNetwork, wait: Wait, cited: Iterable[str] = ()) -> Part:
    """The hours of one wait, attributed to the parameter that sets it.

    ``cited`` are the parameters the leg cites (:attr:`~silkway.results.Leg.sources`):
    a wait of a kind this module does not know (``road.rest``) is attributed to the
    global parameters among them whose name holds the last word of its code
    (``parameter:road_daily_rest_hours.value``), else to a parameter of its own name
    with no provenance (``road.rest:<subject>``), counted as an estimate.
    """
    if wait.code == "border.dwell":  # a train type's row may set the crossing's dwell
        rules = net.network.train_rules
        for name in cited:
            kind, _, rest = name.partition(":")
            rid, _, field = rest.rpartition(".")
            rule = rules.get(rid) if kind == "train_type" else None
            if rule is not None and rule.crossing == wait.subject and field == "median_hours":
                return part("hours", wait.hours, [(name, 1.0)])
    known = _WAIT_FIELDS.get(wait.code)
    if known is not None:
        kind, names = known
        return part(
            "hours", wait.hours, [(parameter_name(kind, wait.subject, f), 1.0) for f in names]
        )
    if wait.code == "service.storm":  # the storm table of the service's region
        rows = [w.id for w in net.network.weather.values() if wait.subject in w.services]
        fields = ("storm_day_probability", "mean_spell_days")
        return part(
            "hours",
            wait.hours,
            [(parameter_name("weather", r, f), 1.0) for r in rows for f in fields],
        )
    if wait.code == "border.closed":
        c = net.network.crossings[wait.subject]
        names = ("open_days", "open_hours") if c.open_hours is not None else ("open_days",)
        return part(
            "hours", wait.hours, [(parameter_name("crossing", wait.subject, f), 1.0) for f in names]
        )
    word = wait.code.rpartition(".")[2]
    named = [n for n in cited if n.startswith("parameter:") and word and word in n]
    if named:
        return part("hours", wait.hours, [(n, 1.0) for n in dict.fromkeys(named)])
    return part("hours", wait.hours, [(f"{wait.code}:{wait.subject}", 1.0)])


def _fallback(net: CompiledNetwork, subject: str, word: str) -> list[tuple[str, float]]:
    """Every parameter of the element ``subject`` whose name holds ``word`` (else every
    parameter of it)."""
    network = net.network
    for kind, table in (
        ("crossing", network.crossings),
        ("transfer", network.transfers),
        ("service", network.services),
        ("link", network.links),
    ):
        rec = table.get(subject)
        if rec is not None:
            names = [f for f in rec.sources if word in f] or list(rec.sources)
            return [(parameter_name(kind, subject, f), 1.0) for f in names]
    return []


# --- costs --------------------------------------------------------------------------


class QuantityFactors:
    """The network parameters that convert a consignment into each cost unit, with
    their elasticities, per mode (links and crossings) and plain (transfers).

    Built once per network and consignment (see :func:`quantity_factors`).
    """

    __slots__ = ("by_mode", "plain")

    def __init__(
        self, plain: dict[int, Weighted], by_mode: dict[tuple[int, int], Weighted]
    ) -> None:
        self.plain = plain
        """Cost unit index -> factors, for quantities not billed per vehicle."""
        self.by_mode = by_mode
        """(mode index, cost unit index) -> factors, for links and crossings."""


def _perturbations(basis: Basis, network_parameters: Sequence[str]) -> list[tuple[str, str, int]]:
    """``(parameter id, Basis field, element index or -1)`` of every parameter the
    network sets that a :class:`Basis` reads."""
    out: list[tuple[str, str, int]] = []
    have = set(network_parameters)
    for f in fields(basis):
        value = getattr(basis, f.name)
        if isinstance(value, tuple):
            stem = f.name  # vehicle_teu, vehicle_t
            for m, mode in enumerate(MODES):
                pid = f"{stem}_{mode}"
                if pid in have and math.isfinite(value[m]) and value[m] > 0:
                    out.append((pid, f.name, m))
        elif f.name in have and value:
            out.append((f.name, f.name, -1))
    return out


def _scaled(basis: Basis, attr: str, index: int, factor: float) -> Basis:
    """``basis`` with one parameter (``attr``, or element ``index`` of it) scaled."""
    value = getattr(basis, attr)
    changed: Any
    if index < 0:
        changed = value * factor
    else:
        items = list(value)
        items[index] = items[index] * factor
        changed = tuple(items)
    return replace(basis, **{attr: changed})


def quantity_factors(net: CompiledNetwork, cargo: Cargo) -> QuantityFactors:
    """The conversion factors of ``cargo`` (cached per network and consignment)."""
    key = ("quantity_factors", cargo)
    got: QuantityFactors | None = net.cache.get(key)
    if got is not None:
        return got
    basis = Basis.of(net)
    base_plain = quantities(net, cargo, basis)
    base_mode = quantities_by_mode(net, cargo, basis)
    plain: dict[int, list[tuple[str, float]]] = {u: [] for u in range(len(COST_UNITS))}
    by_mode: dict[tuple[int, int], list[tuple[str, float]]] = {
        (m, u): [] for m in range(len(MODES)) for u in range(len(COST_UNITS))
    }
    for pid, attr, index in _perturbations(basis, list(net.network.parameters)):
        sides = []
        for factor in (1.0 + STEP, 1.0 - STEP):
            b = _scaled(basis, attr, index, factor)
            sides.append(
                (quantities(net, cargo, b), quantities_by_mode(net, cargo, b), math.log(factor))
            )
        e_plain = _elasticity(base_plain, [(q, d) for q, _, d in sides])
        e_mode = _elasticity(base_mode, [(q, d) for _, q, d in sides])
        name = parameter_name("parameter", pid, "value")
        for u in np.flatnonzero(e_plain).tolist():
            plain[u].append((name, float(e_plain[u])))
        for m, u in zip(*np.nonzero(e_mode), strict=True):
            by_mode[(int(m), int(u))].append((name, float(e_mode[m, u])))
    got = QuantityFactors(
        {k: tuple(v) for k, v in plain.items()}, {k: tuple(v) for k, v in by_mode.items()}
    )
    net.cache[key] = got
    return got


def _elasticity(base: np.ndarray, sides: list[tuple[np.ndarray, float]]) -> np.ndarray:
    """Absolute elasticity of ``base`` from its values on each side of a small change,
    the smaller side kept (a step on one side is not an elasticity); 0 where tiny."""
    with np.errstate(divide="ignore", invalid="ignore"):
        per_side = [np.abs((np.log(q) - np.log(base)) / d) for q, d in sides]
    e = np.minimum(*per_side) if len(per_side) == 2 else per_side[0]
    e = np.where(np.isfinite(e) & (base > 0), e, 0.0)
    e[e < MIN_ELASTICITY] = 0.0
    # measured to about 1e-9; rounded so that equal factors get equal weights
    return np.round(e, 6)


def link_cost_parts(
    net: CompiledNetwork, link_index: int, cost: float, factors: QuantityFactors
) -> list[Part]:
    """A link's cost for the consignment: its fixed part and its per-km part."""
    link_id = net.links.id(link_index)
    fixed = float(net.link_cost_fixed[link_index])
    per_km = float(net.link_cost_per_km[link_index] * net.link_km[link_index])
    unit = int(net.link_cost_unit[link_index])
    conv = factors.by_mode[(int(net.link_mode[link_index]), unit)]
    out = []
    whole = fixed + per_km
    if fixed > 0:
        out.append(
            part(
                "cost_usd",
                cost * fixed / whole,
                [(parameter_name("link", link_id, "cost_fixed_usd"), 1.0), *conv],
            )
        )
    if per_km > 0 or not out:
        share = per_km / whole if whole > 0 else 1.0
        out.append(
            part(
                "cost_usd",
                cost * share,
                [
                    (parameter_name("link", link_id, "cost_per_km_usd"), 1.0),
                    (parameter_name("link", link_id, "km"), 1.0),
                    *conv,
                ],
            )
        )
    return out


def element_cost_part(kind: str, element_id: str, cost: float, conv: Weighted) -> Part:
    """The cost of a transfer or crossing: its ``cost_usd`` times the quantity."""
    return part("cost_usd", cost, [(parameter_name(kind, element_id, "cost_usd"), 1.0), *conv])


__all__ = [
    "Part",
    "QuantityFactors",
    "element_cost_part",
    "leg_parts",
    "link_cost_parts",
    "moving_part",
    "parameter_name",
    "part",
    "quantity_factors",
    "wait_part",
]
