"""Pick genuinely different options from a Pareto set: one per corridor, best ones first.

A route's *corridor* is the sequence of border points it crosses (the pair of places
on either side, whatever the mode: road and rail through Alashankou-Dostyk are one
corridor) and of the countries it passes (transit countries of long links included).
Two routes on different corridors are never duplicates. Two on the same corridor
differ only in where and how the cargo changes mode on the way (a truck to the railhead
or the train all along); they are duplicates when one is within ``tolerance`` (25 %)
of the other, or better, on every criterion, and then only the first one taken is
offered (``all_options`` shows them all).

The fastest (by the P50 the user sees), the cheapest and the lowest-CO2e routes are
always offered, whatever the sort order; the rest follow in sort order. A route that
*doubles back* (moves more than ``max(300 km, 15 %`` of the origin-destination
distance) back away from the destination after having been closer) is offered only
when it is one of those three champions, and only when its lead is real: if a route
that does not double back comes within ``BACKTRACK_MARGIN`` (10 %) of it on that
criterion, that route is the champion instead (a forwarder would not send cargo 700 km
back the way it came to save 1 % of CO2e).

The rest add something or are left out: a route that is not a champion is left out when
an option already taken is within ``MARGINAL_GAIN`` (5 %) of it on every criterion and
better by more than ``tolerance`` (25 %) on one (a forwarder gains nothing from a route
65 % dearer and days slower whose only lead is 1 % of CO2e; a corridor 3 % cheaper and
20 % slower is a real choice and stays).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..compile import CompiledNetwork
from ..geo.lines import great_circle_km
from .query import SORT_KEYS
from .search import Route

DUPLICATE_TOLERANCE = 0.25
BACKTRACK_MIN_KM = 300.0
BACKTRACK_SHARE = 0.15
BACKTRACK_MARGIN = 0.10
"""A route that doubles back is a champion only if it beats every route that does not by
more than this share on the criterion."""
MARGINAL_GAIN = 0.05
"""A route that is not a champion and leads an option already taken by at most this share
on every criterion, while trailing it by more than the duplicate tolerance on one, is
left out (:func:`marginal`)."""
KM_MEMO_ENTRIES = 1_000_000
"""Most great-circle distances kept between queries (place to destination)."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A Pareto route with what the picker judges it by."""

    route: Route
    hours: float
    """The time it is ranked by: the P50 where simulated, else the median-basis time."""
    borders: tuple[tuple[int, int], ...]
    """(place left, place entered) of every border crossed, in order."""
    countries: tuple[int, ...]
    km: float
    direct_km: float
    """Great-circle km from origin to destination."""
    backtrack_km: float

    @property
    def detour_factor(self) -> float:
        """Route km over great-circle km."""
        return self.km / self.direct_km if self.direct_km > 0 else 1.0

    @property
    def corridor(self) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
        """(border points, countries) in order."""
        return (self.borders, self.countries)

    def criteria(self) -> tuple[float, float, float]:
        """(hours, cost, CO2e) as ranked."""
        return (self.hours, self.route.cost_usd, self.route.co2_kg)


def _lists(net: CompiledNetwork) -> dict[str, list[Any]]:
    """The compiled arrays :func:`candidate` reads, as lists (cached per network)."""
    got: dict[str, list[Any]] | None = net.cache.get("candidate_lists")
    if got is None:
        ptr = net.link_country_ptr.tolist()
        idx = net.link_country_idx.tolist()
        got = net.cache["candidate_lists"] = {
            "arc_from": net.arc_from.tolist(),
            "arc_to": net.arc_to.tolist(),
            "arc_link": net.arc_link.tolist(),
            "arc_crossing": net.arc_crossing.tolist(),
            "country": net.place_country_idx.tolist(),
            "lat": net.place_lat.tolist(),
            "lon": net.place_lon.tolist(),
            "link_countries": [idx[ptr[k] : ptr[k + 1]] for k in range(len(ptr) - 1)],
        }
    return got


def candidate(net: CompiledNetwork, route: Route, hours: float) -> Candidate:
    """Describe ``route`` for the picker."""
    tab = _lists(net)
    arc_from, arc_to, arc_crossing = tab["arc_from"], tab["arc_to"], tab["arc_crossing"]
    arcs = [s.arc for s in route.steps]
    borders = tuple((arc_from[a], arc_to[a]) for a in arcs if arc_crossing[a] >= 0)
    countries: list[int] = []
    for a in arcs:
        seq = tab["link_countries"][tab["arc_link"][a]]
        if tab["country"][arc_from[a]] != seq[0]:
            seq = seq[::-1]  # the arc runs against the link's listed direction
        for c in seq:
            if not countries or countries[-1] != c:
                countries.append(c)
    direct, backtrack = _backtrack(net, [arc_from[arcs[0]], *(arc_to[a] for a in arcs)])
    return Candidate(
        route=route,
        hours=hours,
        borders=borders,
        countries=tuple(countries),
        km=float(net.arc_km[arcs].sum()),
        direct_km=direct,
        backtrack_km=backtrack,
    )


def _backtrack(net: CompiledNetwork, places: Sequence[int]) -> tuple[float, float]:
    """Great-circle km from the first of ``places`` (indexes) to the last, and the most
    km the walk through them moves back away from the last after having been closer."""
    tab = _lists(net)
    lat, lon, dest = tab["lat"], tab["lon"], places[-1]
    memo: dict[tuple[int, int], float] = net.cache.setdefault("km_to_place", {})
    if len(memo) > KM_MEMO_ENTRIES:
        memo.clear()
    to_dest = []
    for p in places:
        got = memo.get((p, dest))
        if got is None:
            got = memo[p, dest] = great_circle_km(lat[p], lon[p], lat[dest], lon[dest])
        to_dest.append(got)
    closest = to_dest[0]
    backtrack = 0.0
    for dist in to_dest[1:]:
        backtrack = max(backtrack, dist - closest)
        closest = min(closest, dist)
    return to_dest[0], backtrack


def route_doubles_back(net: CompiledNetwork, route: Route) -> bool:
    """:func:`doubles_back` of ``route``, without describing the rest of it."""
    tab = _lists(net)
    arc_from, arc_to = tab["arc_from"], tab["arc_to"]
    arcs = [s.arc for s in route.steps]
    return _too_far(*_backtrack(net, [arc_from[arcs[0]], *(arc_to[a] for a in arcs)]))


CRITERIA_ORDER: dict[str, tuple[int, int, int]] = {
    "time": (0, 1, 2),
    "cost": (1, 0, 2),
    "co2": (2, 0, 1),
}
"""Per sort, the positions in (hours, cost, CO2e) compared first, second and third."""


def ordered(values: tuple[float, float, float], sort: str) -> tuple[float, float, float]:
    """``values`` (hours, cost, CO2e) in the lexicographic order of ``sort``."""
    a, b, c = CRITERIA_ORDER[sort]
    return (values[a], values[b], values[c])


def sort_key(sort: str) -> Callable[[Candidate], tuple[float, float, float]]:
    """Lexicographic key of a :class:`Candidate` for ``time``, ``cost`` or ``co2`` first."""
    a, b, o = CRITERIA_ORDER[sort]

    def key(c: Candidate) -> tuple[float, float, float]:
        v = c.criteria()
        return (v[a], v[b], v[o])

    return key


def within(a: tuple[float, ...], b: tuple[float, ...], tolerance: float) -> bool:
    """Whether ``a`` is within a factor ``1 + tolerance`` of ``b``, or better, on all."""
    return all(x <= y * (1.0 + tolerance) + 1e-9 for x, y in zip(a, b, strict=True))


def doubles_back(c: Candidate) -> bool:
    """Whether the route moves clearly back away from its destination at some point."""
    return _too_far(c.direct_km, c.backtrack_km)


def _too_far(direct_km: float, backtrack_km: float) -> bool:
    return backtrack_km > max(BACKTRACK_MIN_KM, BACKTRACK_SHARE * direct_km)


def marginal(c: Candidate, x: Candidate, tolerance: float = DUPLICATE_TOLERANCE) -> bool:
    """Whether ``c`` adds nothing to ``x``: better by at most ``MARGINAL_GAIN`` on every
    criterion, and worse by more than ``tolerance`` on one."""
    return within(x.criteria(), c.criteria(), MARGINAL_GAIN) and not within(
        c.criteria(), x.criteria(), tolerance
    )


def champion(candidates: Sequence[Candidate], sort: str) -> Candidate:
    """The best of ``candidates`` by ``sort`` (``time``, ``cost`` or ``co2``), unless it
    doubles back and the best of those that do not is within ``BACKTRACK_MARGIN`` of it
    on that criterion: then that one."""
    key = sort_key(sort)
    best = min(candidates, key=key)
    if not doubles_back(best):
        return best
    straight = [c for c in candidates if not doubles_back(c)]
    if not straight:
        return best
    alternative = min(straight, key=key)
    i = SORT_KEYS.index(sort)
    lead = best.criteria()[i] * (1.0 + BACKTRACK_MARGIN) + 1e-9
    return alternative if alternative.criteria()[i] <= lead else best


def pick(
    candidates: Sequence[Candidate],
    *,
    sort: str = "time",
    max_options: int = 5,
    tolerance: float = DUPLICATE_TOLERANCE,
) -> list[Candidate]:
    """Choose up to ``max_options`` distinct candidates, ordered by ``sort``.

    The time, cost and CO2e champions (:func:`champion`) come first (the sort's own
    champion first), so with three options or more all three are always included; with
    fewer, the first ``max_options`` of them. The rest follow in sort order, leaving out
    routes that double back, duplicates on a chosen corridor, and :func:`marginal` ones.
    """
    if not candidates:
        return []
    key = sort_key(sort)
    champions: list[Candidate] = []
    for s in (sort, *SORT_KEYS):
        best = champion(candidates, s)
        if all(best is not c for c in champions):
            champions.append(best)
    chosen = champions[:max_options]
    for c in sorted(candidates, key=key):
        if len(chosen) >= max_options:
            break
        if any(c is x for x in chosen) or doubles_back(c):
            continue
        if any(
            c.corridor == x.corridor and within(x.criteria(), c.criteria(), tolerance)
            for x in chosen
        ):
            continue
        if any(marginal(c, x, tolerance) for x in chosen):
            continue
        chosen.append(c)
    return sorted(chosen, key=key)
