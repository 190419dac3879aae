"""Cross-record checks of ``advisories.csv`` (see :func:`check_advisories`)."""

from __future__ import annotations

from collections.abc import Iterable

from .._errors import Problem
from .records import Network

FILE = "advisories.csv"


def _p(origin: object, field: str, message: str, code: str) -> Problem:
    return Problem.at(origin, FILE, field, message, code)


def check_advisories(net: Network) -> Iterable[Problem]:
    """Every problem of the network's advisories: selectors naming a place, link or
    crossing the network does not have, unknown sources, and validity dates that run
    backwards or mix a day with a yearly date."""
    tables = {"place": net.places, "link": net.links, "crossing": net.crossings}
    for adv in net.advisories.values():
        for sel in adv.selectors:
            table = tables.get(sel.kind)
            if table is not None and sel.value not in table:
                yield _p(
                    adv.origin,
                    "selector",
                    f"{sel.kind} {sel.value!r} is not in the network",
                    "unknown-id",
                )
        for src in adv.sources:
            if src not in net.sources:
                yield _p(
                    adv.origin, "sources", f"source {src!r} is not in sources.csv", "unknown-id"
                )
        a, b = adv.valid_from, adv.valid_to
        yearly = [d for d in (a, b) if d is not None and d.year is None]
        if yearly and (a is None or b is None or len(yearly) != 2):
            yield _p(
                adv.origin,
                "valid_to" if a is not None and a.year is None else "valid_from",
                "a yearly date (--MM-DD) needs a yearly date at the other end too "
                "(valid_from and valid_to both --MM-DD)",
                "inconsistent-value",
            )
        elif a is not None and b is not None and not yearly and b < a:
            yield _p(
                adv.origin,
                "valid_to",
                f"valid_to {b} is before valid_from {a}",
                "inconsistent-value",
            )


__all__ = ["check_advisories"]
