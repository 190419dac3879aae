"""Route advisories: which sourced, dated notes apply to an option, and what to avoid.

An advisory (``advisories.csv``, :class:`~silkway.model.records.Advisory`) applies to an
option when the departure date is within its validity and the route matches one of its
selectors: it enters or crosses the country, passes the place, uses the link (either
way), passes the crossing (that link in that direction), or crosses a border between
the two countries. Advisories inform; they exclude nothing unless the query asks
(``avoid_advisory``: leave out everything an advisory of that severity or higher
names, see :func:`avoided`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from ..model.records import ADVISORY_SEVERITIES, Advisory
from ..results import RouteAdvisory

BoolArray = NDArray[np.bool_]


def valid_on(net: CompiledNetwork, day: dt.date) -> tuple[Advisory, ...]:
    """The network's advisories valid on ``day`` (cached per network and day)."""
    key = ("advisories", day)
    got: tuple[Advisory, ...] | None = net.cache.get(key)
    if got is None:
        got = net.cache[key] = tuple(
            a for a in net.network.advisories.values() if a.valid_on(day.year, day.month, day.day)
        )
    return got


@dataclass(frozen=True, slots=True)
class RouteFacts:
    """What a route passes, as advisories select it."""

    countries: frozenset[str]
    places: frozenset[str]
    links: frozenset[str]
    crossings: frozenset[str]
    borders: frozenset[str]
    """``AA-BB`` country pairs (alphabetical) of every border crossed."""


def border_key(a: str, b: str) -> str:
    """The ``border`` selector value of two countries: ``BY-PL``."""
    return "-".join(sorted((a, b)))


def _matched(adv: Advisory, facts: RouteFacts) -> tuple[str, ...]:
    sets = {
        "country": facts.countries,
        "place": facts.places,
        "link": facts.links,
        "crossing": facts.crossings,
        "border": facts.borders,
    }
    return tuple(str(s) for s in adv.selectors if s.value in sets[s.kind])


def for_route(net: CompiledNetwork, day: dt.date, facts: RouteFacts) -> tuple[RouteAdvisory, ...]:
    """The advisories valid on ``day`` that the route matches, most severe first."""
    out = []
    for adv in valid_on(net, day):
        matched = _matched(adv, facts)
        if matched:
            out.append(
                RouteAdvisory(
                    id=adv.id,
                    category=adv.category,
                    severity=adv.severity,
                    text=adv.text,
                    valid_from=str(adv.valid_from) if adv.valid_from is not None else "",
                    valid_to=str(adv.valid_to) if adv.valid_to is not None else "",
                    matched=matched,
                    sources=adv.sources,
                )
            )
    out.sort(key=lambda a: (-ADVISORY_SEVERITIES.index(a.severity), a.id))
    return tuple(out)


def at_least(advisories: Iterable[Advisory], severity: str) -> list[Advisory]:
    """The advisories of ``severity`` or a higher one."""
    floor = ADVISORY_SEVERITIES.index(severity)
    return [a for a in advisories if ADVISORY_SEVERITIES.index(a.severity) >= floor]


@dataclass(frozen=True, slots=True)
class Avoided:
    """What a query that avoids advisories may not use."""

    countries: frozenset[str]
    places: frozenset[str]
    links: BoolArray
    """Per link: named by a ``link`` selector, or joining two countries of a ``border``."""
    crossings: BoolArray
    """Per crossing: named by a ``crossing`` selector."""

    def __bool__(self) -> bool:
        return bool(self.countries or self.places or self.links.any() or self.crossings.any())


def avoided(net: CompiledNetwork, day: dt.date, severity: str) -> Avoided:
    """Everything the advisories of ``severity`` or higher valid on ``day`` name."""
    chosen = at_least(valid_on(net, day), severity)
    sel = [s for a in chosen for s in a.selectors]
    links = np.zeros(len(net.links), dtype=np.bool_)
    crossings = np.zeros(len(net.crossings), dtype=np.bool_)
    borders = {s.value for s in sel if s.kind == "border"}
    for s in sel:
        if s.kind == "link" and s.value in net.links:
            links[net.links.index(s.value)] = True
        elif s.kind == "crossing" and s.value in net.crossings:
            crossings[net.crossings.index(s.value)] = True
    if borders:
        cf = net.place_country_idx[net.arc_from]
        ct = net.place_country_idx[net.arc_to]
        for pair in borders:
            a, b = pair.split("-")
            if a in net.countries and b in net.countries:
                ia, ib = net.countries.index(a), net.countries.index(b)
                hit = ((cf == ia) & (ct == ib)) | ((cf == ib) & (ct == ia))
                links[net.arc_link[hit]] = True
    return Avoided(
        countries=frozenset(s.value for s in sel if s.kind == "country"),
        places=frozenset(s.value for s in sel if s.kind == "place" and s.value in net.places),
        links=links,
        crossings=crossings,
    )


__all__ = [
    "Avoided",
    "RouteFacts",
    "at_least",
    "avoided",
    "border_key",
    "for_route",
    "valid_on",
]
