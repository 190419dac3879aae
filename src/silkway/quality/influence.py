"""Provenance weighted by influence: how much of the planned hours and cost rests on
sourced, derived and estimated parameters.

Counting numeric cells (``numbers_by_provenance``) treats the length of a 20 km spur and
the Caspian ferry wait alike. This module weighs each parameter by what it does to the
plans people ask for: it plans the long-haul relations (:mod:`.relations`), splits
every option's hours and cost among the parameters that produced them
(:mod:`silkway.engine.attribution`, the same provenance ``--explain`` prints) and adds
up, per kind of source, the hours and dollars each parameter accounts for.

The figures, exactly:

* every relation is planned with the planner's defaults (one FEU of containers, up to
  five distinct options, medians only: ``uncertainty=False``) and the fixed departure
  :data:`~.relations.LONG_HAUL_DEPART`; a relation without a route adds nothing;
* each option adds its median-basis hours (moving plus every wait) and its cost; each
  :class:`~silkway.results.Part` of a leg gives ``amount x weight`` to each of its
  parameters, and the parameter's source gives the kind;
* a parameter without provenance (a timetable's departures or a crossing's opening days
  whose row names no source for them) counts as ``estimate``;
* ``hours[kind]`` = hours from parameters of that kind / all hours, and ``cost[kind]``
  likewise for USD; the combined ``share[kind]`` is their mean,
  ``(hours[kind] + cost[kind]) / 2``: hours and cost count equally whatever their units.
  Each of the three sums to 1.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from .._errors import NoRouteError
from ..model.records import SOURCE_KINDS
from .relations import LONG_HAUL_DEPART, long_haul_relations

if TYPE_CHECKING:
    from ..compile import CompiledNetwork
    from ..model.records import Network, Source

NO_PROVENANCE = ""
"""Source id given to a parameter that carries no provenance (counted as estimate)."""
MEASURES: tuple[str, ...] = ("hours", "cost_usd")
_TABLE_KINDS: tuple[str, ...] = ("link", "transfer", "crossing", "service", "parameter")
"""Kinds of ``kind:id.field`` parameter names that are records of a network table."""


@dataclass(frozen=True, slots=True)
class ParameterInfluence:
    """The hours and cost one parameter accounts for over the relations."""

    parameter: str
    """``kind:id.field``, e.g. ``link:R_A_B.km``."""
    source: str
    """Source id (:data:`NO_PROVENANCE` if the parameter has none)."""
    kind: str
    """``sourced``, ``derived`` or ``estimate``."""
    hours: float
    cost_usd: float


@dataclass(frozen=True, slots=True)
class SourceInfluence:
    """The hours and cost the parameters of one source account for."""

    source: str
    kind: str
    hours: float
    cost_usd: float
    used_for: dict[str, int]
    """``kind.field`` (``link.km``) -> how many parameters of the source take part."""
    weight: float
    """Combined influence: ``(hours / all hours + cost / all cost) / 2``."""


@dataclass(frozen=True)
class Influence:
    """Provenance of the planned hours and cost over a set of relations."""

    share: dict[str, float]
    """Combined share by kind: the mean of ``hours_share`` and ``cost_share``."""
    hours_share: dict[str, float]
    cost_share: dict[str, float]
    hours_total: float
    cost_usd_total: float
    relations: int
    """Relations asked for."""
    no_route: tuple[tuple[str, str], ...]
    """Relations without a route (they add nothing)."""
    options: int
    depart: str
    cargo: str
    parameters: tuple[ParameterInfluence, ...] = field(default=())
    """Every parameter that took part, most influential first."""
    derived_on_estimates: float = 0.0
    """Combined share (of the same totals) of the parameters labelled derived whose
    derivation reaches an estimate through ``derived_from`` (e.g. a sourced station
    table plus an estimated connecting piece): counted in ``share["derived"]``, and
    reported beside it so that the figure is read with that caveat."""
    seconds: float = field(default=0.0, compare=False)
    """Time taken to plan and attribute (not counting loading the network); not
    compared: two results are equal when their figures are."""

    def weight(self, hours: float, cost_usd: float) -> float:
        """Combined influence of ``hours`` and ``cost_usd``, as a share of the totals."""
        h = hours / self.hours_total if self.hours_total else 0.0
        c = cost_usd / self.cost_usd_total if self.cost_usd_total else 0.0
        return (h + c) / 2

    def by_source(self) -> list[SourceInfluence]:
        """The parameters grouped by source, most influential first."""
        rows: dict[str, dict[str, Any]] = {}
        for p in self.parameters:
            row = rows.setdefault(p.source, {"kind": p.kind, "hours": 0.0, "cost": 0.0, "used": {}})
            row["hours"] += p.hours
            row["cost"] += p.cost_usd
            kind, _, rest = p.parameter.partition(":")
            field_name = rest.rpartition(".")[2] if kind in _TABLE_KINDS else ""
            what = f"{kind}.{field_name}" if field_name else kind
            row["used"][what] = row["used"].get(what, 0) + 1
        out = [
            SourceInfluence(
                sid,
                r["kind"],
                r["hours"],
                r["cost"],
                dict(sorted(r["used"].items(), key=lambda kv: (-kv[1], kv[0]))),
                self.weight(r["hours"], r["cost"]),
            )
            for sid, r in rows.items()
        ]
        out.sort(key=lambda s: (-s.weight, s.source))
        return out

    def to_dict(self, *, top: int = 10) -> dict[str, Any]:
        """The figures as ``silkway info`` prints them (``top`` estimate sources)."""
        return {
            "influence_share": _rounded(self.share),
            "influence_share_hours": _rounded(self.hours_share),
            "influence_share_cost": _rounded(self.cost_share),
            "influence_derived_on_estimates": round(self.derived_on_estimates, 4),
            "influence_basis": {
                "relations": self.relations,
                "relations_without_route": len(self.no_route),
                "options": self.options,
                "hours": round(self.hours_total, 1),
                "cost_usd": round(self.cost_usd_total, 0),
                "depart": self.depart,
                "cargo": self.cargo,
                "seconds": round(self.seconds, 3),
            },
            "influence_top_estimates": [
                {
                    "source": s.source,
                    "hours": round(s.hours, 1),
                    "cost_usd": round(s.cost_usd, 0),
                    "share": round(s.weight, 4),
                    "used_for": [{"field": k, "count": n} for k, n in s.used_for.items()],
                }
                for s in self.by_source()
                if s.kind == "estimate"
            ][:top],
        }

    def dump(self) -> dict[str, Any]:
        """Every figure, parameters included, as plain JSON values (see :meth:`load`)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["no_route"] = [list(p) for p in self.no_route]
        out["parameters"] = [
            [p.parameter, p.source, p.kind, p.hours, p.cost_usd] for p in self.parameters
        ]
        return out

    @classmethod
    def load(cls, data: dict[str, Any]) -> Influence:
        """The :class:`Influence` :meth:`dump` wrote."""
        values = dict(data)
        values["no_route"] = tuple((str(a), str(b)) for a, b in data["no_route"])
        values["parameters"] = tuple(
            ParameterInfluence(str(a), str(b), str(c), float(d), float(e))
            for a, b, c, d, e in data["parameters"]
        )
        return cls(**values)


def _rounded(shares: dict[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in shares.items()}


def influence(
    network: Network | CompiledNetwork,
    *,
    relations: Sequence[tuple[str, str]] | None = None,
    depart: str = LONG_HAUL_DEPART,
    cargo: str = "1xFEU",
) -> Influence | None:
    """Plan ``relations`` and weigh the network's provenance by the hours and cost.

    Parameters
    ----------
    network
        A loaded or compiled network.
    relations
        ``(origin, destination)`` place ids; default the long-haul relations whose
        places the network holds (:func:`~.relations.long_haul_relations`).
    depart, cargo
        Departure and consignment of every query.

    Returns
    -------
    Influence or None
        ``None`` if no relation has a route (nothing to weigh).
    """
    # imported here: ``silkway info`` reads cached figures without loading the engine
    from ..compile import CompiledNetwork, compile_network
    from ..engine.attribution import leg_parts
    from ..engine.cargo import parse_cargo
    from ..engine.planner import plan

    t0 = time.perf_counter()
    net = network if isinstance(network, CompiledNetwork) else compile_network(network)
    pairs = (
        list(relations) if relations is not None else long_haul_relations(set(net.network.places))
    )
    sources = net.network.sources
    consignment = parse_cargo(cargo)
    acc: dict[str, list[float]] = {}
    src_of: dict[str, str] = {}
    no_route: list[tuple[str, str]] = []
    n_options = 0
    for origin, destination in pairs:
        try:
            result = plan(
                net,
                origin,
                destination,
                depart=depart,
                cargo=cargo,
                uncertainty=False,
                time_limit=None,  # a time limit would make the figures depend on load
            )
        except NoRouteError:
            no_route.append((origin, destination))
            continue
        n_options += len(result.options)
        for option in result.options:
            for leg in option.legs:
                refs = {r.parameter: r.source for r in leg.sources}
                for part in leg_parts(net, consignment, leg):
                    col = MEASURES.index(part.measure)
                    for name, w in part.parameters:
                        row = acc.setdefault(name, [0.0, 0.0])
                        row[col] += part.amount * w
                        if name not in src_of:
                            src_of[name] = refs.get(name) or _provenance(net.network, name)
    if not n_options:
        return None
    params = [
        ParameterInfluence(name, src_of[name], _kind(src_of[name], sources), values[0], values[1])
        for name, values in acc.items()
    ]
    totals = [sum(p.hours for p in params), sum(p.cost_usd for p in params)]
    shares = [_shares(params, lambda p: p.hours), _shares(params, lambda p: p.cost_usd)]
    combined = {k: (shares[0][k] + shares[1][k]) / 2 for k in SOURCE_KINDS}
    out = Influence(
        share=combined,
        hours_share=shares[0],
        cost_share=shares[1],
        hours_total=totals[0],
        cost_usd_total=totals[1],
        relations=len(pairs),
        no_route=tuple(no_route),
        options=n_options,
        depart=depart,
        cargo=cargo,
    )
    ranked = sorted(params, key=lambda p: (-out.weight(p.hours, p.cost_usd), p.parameter))
    tainted = on_estimates(sources)
    caveat = sum(out.weight(p.hours, p.cost_usd) for p in params if p.source in tainted)
    return replace(
        out,
        parameters=tuple(ranked),
        derived_on_estimates=caveat,
        seconds=time.perf_counter() - t0,
    )


def on_estimates(sources: Mapping[str, Source]) -> frozenset[str]:
    """The derived sources whose ``derived_from`` chain reaches an estimate.

    Parameters
    ----------
    sources
        The network's sources by id.

    Returns
    -------
    frozenset of str
        Ids of sources of kind ``derived`` built, directly or through other derived
        sources, on at least one source of kind ``estimate`` (or on an id the network
        does not define).
    """
    memo: dict[str, bool] = {}

    def reaches(sid: str, path: frozenset[str]) -> bool:
        if sid in memo:
            return memo[sid]
        s = sources.get(sid)
        if s is None or s.kind == "estimate":
            return True
        hit = s.kind == "derived" and any(
            reaches(x, path | {sid}) for x in s.derived_from if x not in path
        )
        memo[sid] = hit
        return hit

    return frozenset(
        sid for sid, s in sources.items() if s.kind == "derived" and reaches(sid, frozenset())
    )


def _provenance(network: Network, name: str) -> str:
    """The source of parameter ``kind:id.field`` from its record, or
    :data:`NO_PROVENANCE` (``--explain`` lists the sources of the link, transfer,
    service and crossing of a leg; the global parameters that convert the consignment
    are looked up here)."""
    kind, _, rest = name.partition(":")
    element, _, field_name = rest.rpartition(".")
    tables: dict[str, Any] = {
        "parameter": network.parameters,
        "link": network.links,
        "transfer": network.transfers,
        "crossing": network.crossings,
        "service": network.services,
        "weather": network.weather,
    }
    rec = tables.get(kind, {}).get(element)
    if rec is None:
        return NO_PROVENANCE
    src: str = rec.sources.get(field_name, NO_PROVENANCE)
    return src


def _kind(source: str, sources: Any) -> str:
    s = sources.get(source)
    return s.kind if s is not None and s.kind in SOURCE_KINDS else "estimate"


def _shares(params: Iterable[ParameterInfluence], value: Any) -> dict[str, float]:
    by_kind = dict.fromkeys(SOURCE_KINDS, 0.0)
    for p in params:
        by_kind[p.kind] += value(p)
    total = sum(by_kind.values())
    return {k: (v / total if total else 0.0) for k, v in by_kind.items()}


__all__ = [
    "Influence",
    "ParameterInfluence",
    "SourceInfluence",
    "influence",
    "on_estimates",
]
