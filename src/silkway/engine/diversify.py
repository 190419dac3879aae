"""Pick a few genuinely different options from a Pareto set.

Two routes are near-duplicates when most of their kilometres run on the same links
(weighted Jaccard similarity above ``max_overlap``) **and** they cross the same borders.
Routes are taken greedily in the requested sort order, and the best route on each
criterion is always offered first, so a forwarder sees the fastest, the cheapest and
the cleanest even when the sort puts them low.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

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


def _signature(net: CompiledNetwork, route: Route) -> tuple[dict[int, float], frozenset[int]]:
    km: dict[int, float] = {}
    borders: set[int] = set()
    for s in route.steps:
        link = int(net.arc_link[s.arc])
        km[link] = float(net.arc_km[s.arc])
        if net.arc_crossing[s.arc] >= 0:
            borders.add(link)
    return km, frozenset(borders)


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
) -> list[Route]:
    """Choose up to ``max_options`` distinct routes, ordered by ``sort``."""
    if not routes:
        return []
    key = sort_key(sort)
    ordered = sorted(routes, key=key)
    champions = [min(routes, key=sort_key(s)) for s in (sort, *SORT_KEYS)]
    candidates = list(dict.fromkeys([*champions, *ordered]))
    chosen: list[Route] = []
    sigs: list[tuple[dict[int, float], frozenset[int]]] = []
    for r in candidates:
        if len(chosen) >= max_options:
            break
        km, borders = _signature(net, r)
        if any(borders == b and overlap(km, k) > max_overlap for k, b in sigs):
            continue
        chosen.append(r)
        sigs.append((km, borders))
    return sorted(chosen, key=key)
