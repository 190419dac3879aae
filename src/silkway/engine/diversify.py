"""Pick a few genuinely different options from a Pareto set.

Two routes are near-duplicates when

* most of their kilometres run on the same links (km-weighted Jaccard similarity above
  ``max_overlap``) and they cross the same borders, or
* they use the same set of modes, or share more than half their kilometres, and the
  candidate is ε-dominated by the chosen route: no more than ``outcome_tolerance``
  (15 %) better on any of time, cost and CO2e (three ways to reach the same airport,
  or the same corridor with a short road detour).

Routes are taken greedily: the best route on each criterion first, so a forwarder sees
the fastest, the cheapest and the cleanest even when the sort puts them low, then the
rest in the requested sort order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..compile import CompiledNetwork
from .search import Route

SORT_KEYS: tuple[str, ...] = ("time", "cost", "co2")


def sort_key(sort: str) -> Callable[[Route], tuple[float, float, float]]:
    """Lexicographic key for ``time``, ``cost`` or ``co2`` first."""
    order = {"time": (0, 1, 2), "cost": (1, 0, 2), "co2": (2, 0, 1)}[sort]

    def key(r: Route) -> tuple[float, float, float]:
        c = r.criteria()
        return (c[order[0]], c[order[1]], c[order[2]])

    return key


@dataclass(frozen=True, slots=True)
class _Signature:
    km: dict[int, float]
    borders: frozenset[int]
    modes: frozenset[int]
    criteria: tuple[float, float, float]


def _signature(net: CompiledNetwork, route: Route) -> _Signature:
    km: dict[int, float] = {}
    modes: set[int] = set()
    borders: set[int] = set()
    for s in route.steps:
        link = int(net.arc_link[s.arc])
        km[link] = float(net.arc_km[s.arc])
        modes.add(int(net.arc_mode[s.arc]))
        if net.arc_crossing[s.arc] >= 0:
            borders.add(link)
    return _Signature(km, frozenset(borders), frozenset(modes), route.criteria())


def eps_dominates(a: tuple[float, float, float], b: tuple[float, float, float], eps: float) -> bool:
    """Whether ``a`` is within a factor ``1 + eps`` of ``b`` or better on every criterion."""
    return all(x <= y * (1.0 + eps) + 1e-9 for x, y in zip(a, b, strict=True))


def overlap(a: dict[int, float], b: dict[int, float]) -> float:
    """Kilometre-weighted Jaccard similarity of two link sets."""
    shared = sum(min(a[k], b[k]) for k in a.keys() & b.keys())
    union = sum(a.values()) + sum(b.values()) - shared
    return shared / union if union > 0 else 1.0


def diversify(
    net: CompiledNetwork,
    routes: Sequence[Route],
    *,
    sort: str = "time",
    max_options: int = 5,
    max_overlap: float = 0.8,
    outcome_tolerance: float = 0.15,
) -> list[Route]:
    """Choose up to ``max_options`` distinct routes, ordered by ``sort``."""
    if not routes:
        return []
    key = sort_key(sort)
    ordered = sorted(routes, key=key)
    champions = [min(routes, key=sort_key(s)) for s in (sort, *SORT_KEYS)]
    candidates = list(dict.fromkeys([*champions, *ordered]))
    chosen: list[Route] = []
    sigs: list[_Signature] = []
    for r in candidates:
        if len(chosen) >= max_options:
            break
        sig = _signature(net, r)
        if any(
            (sig.borders == c.borders and overlap(sig.km, c.km) > max_overlap)
            or (
                (sig.modes == c.modes or overlap(sig.km, c.km) > 0.5)
                and eps_dominates(c.criteria, sig.criteria, outcome_tolerance)
            )
            for c in sigs
        ):
            continue
        chosen.append(r)
        sigs.append(sig)
    return sorted(chosen, key=key)
