"""Validation of ``train_types.csv`` and of the rail tariff sections it refers to.

A row of ``train_types.csv`` says how one train type (express or wagonload) differs
from the block train, whose values the links and crossings hold: on a *section* (every
rail link whose ``section`` is that) it sets speed and price, on a *crossing* (one rail
border crossing in one direction) it sets the dwell. :func:`check_train_rules` returns
every problem with file, line, field and a stable code; it never raises.
"""

from __future__ import annotations

from collections.abc import Iterable

from .._errors import Problem
from .records import BASE_TRAIN, Network, Origin, TrainRule

FILE = "train_types.csv"
SECTION_FIELDS: tuple[str, ...] = ("speed_kmh", "speed_factor", "cost_per_km_usd", "cost_factor")
"""What a section row may set."""
CROSSING_FIELDS: tuple[str, ...] = ("median_hours", "p90_hours")
"""What a crossing row may set."""


def _p(origin: Origin | None, field: str | None, message: str, code: str) -> Problem:
    return Problem.at(origin, FILE, field, message, code)


def _given(rule: TrainRule, fields: Iterable[str]) -> list[str]:
    return [name for name in fields if getattr(rule, name) is not None]


def rail_sections(net: Network) -> set[str]:
    """Sections named by rail links (closed ones included)."""
    return {k.section for k in net.links.values() if k.mode == "rail" and k.section}


def check_link_sections(net: Network) -> Iterable[Problem]:
    """A ``section`` belongs to rail links only."""
    for link in net.links.values():
        if link.section and link.mode != "rail":
            o = link.origin
            yield Problem(
                o.file if o else "links.csv",
                o.line if o else None,
                "section",
                f"a {link.mode} link has no rail tariff section; leave section empty",
                "inconsistent-value",
            )


def _check_section_rule(rule: TrainRule, sections: set[str]) -> Iterable[Problem]:
    o = rule.origin
    if rule.section not in sections:
        known = ", ".join(sorted(sections)) or "none"
        yield _p(
            o,
            "section",
            f"no rail link has section {rule.section!r}; the sections of links.csv are: {known}",
            "unknown-id",
        )
    for name in _given(rule, CROSSING_FIELDS):
        yield _p(
            o,
            name,
            "a section row sets speed and price; a border dwell goes on a row with a crossing",
            "inconsistent-value",
        )
    if rule.speed_kmh is not None and rule.speed_factor is not None:
        yield _p(
            o, "speed_factor", "give speed_kmh or speed_factor, not both", "inconsistent-value"
        )
    if rule.cost_per_km_usd is not None and rule.cost_factor is not None:
        yield _p(
            o,
            "cost_factor",
            "give cost_per_km_usd or cost_factor, not both",
            "inconsistent-value",
        )
    if not _given(rule, SECTION_FIELDS):
        yield _p(
            o,
            "speed_kmh",
            "a section row sets speed_kmh or speed_factor, and/or cost_per_km_usd or cost_factor",
            "missing-value",
        )


def _check_crossing_rule(rule: TrainRule, net: Network) -> Iterable[Problem]:
    o = rule.origin
    crossing = net.crossings.get(rule.crossing)
    if crossing is None:
        yield _p(o, "crossing", f"unknown crossing {rule.crossing!r}", "unknown-id")
    else:
        link = net.links.get(crossing.link)
        if link is not None and link.mode != "rail":
            yield _p(
                o,
                "crossing",
                f"crossing {crossing.id} is on {link.mode} link {link.id}; train types "
                "apply to rail crossings only",
                "inconsistent-value",
            )
    for name in _given(rule, SECTION_FIELDS):
        yield _p(
            o,
            name,
            "a crossing row sets a border dwell; speed and price go on a row with a section",
            "inconsistent-value",
        )
    if rule.median_hours is None:
        yield _p(o, "median_hours", "a crossing row needs median_hours", "missing-value")
    elif rule.p90_hours is not None and rule.p90_hours < rule.median_hours:
        yield _p(o, "p90_hours", "p90_hours is below the median", "inconsistent-value")


def check_train_rules(net: Network) -> Iterable[Problem]:
    """Every problem of the rows of ``train_types.csv``."""
    sections = rail_sections(net)
    first: dict[tuple[str, str, str], TrainRule] = {}
    for rule in net.train_rules.values():
        o = rule.origin
        if rule.train == BASE_TRAIN:
            yield _p(
                o,
                "train",
                f"{BASE_TRAIN} is the base train type: its values are the links' and "
                "crossings' own; rows here are for the other train types",
                "inconsistent-value",
            )
        if rule.section and rule.crossing:
            yield _p(o, "crossing", "give a section or a crossing, not both", "inconsistent-value")
            continue
        if not rule.section and not rule.crossing:
            yield _p(
                o,
                "section",
                "give a section (a rail tariff section of links.csv) or a crossing id",
                "missing-value",
            )
            continue
        target = ("section", rule.section) if rule.section else ("crossing", rule.crossing)
        earlier = first.setdefault((rule.train, *target), rule)
        if earlier is not rule:
            where = f"{earlier.origin.file}:{earlier.origin.line}" if earlier.origin else "?"
            yield _p(
                o,
                target[0],
                f"row {rule.id} repeats row {earlier.id} ({where}) for {rule.train} trains "
                f"on {target[0]} {target[1]}; keep one row per train type and {target[0]}",
                "duplicate-train-rule",
            )
        if rule.section:
            yield from _check_section_rule(rule, sections)
        else:
            yield from _check_crossing_rule(rule, net)
