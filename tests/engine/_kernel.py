"""Run the search kernel on a network the way the planner does, for kernel-level tests."""

from __future__ import annotations

import datetime as dt

from silkway.compile import CompiledNetwork
from silkway.engine.cargo import Cargo
from silkway.engine.pricing import Costing, price
from silkway.engine.query import MIN_YEAR, make_query

FRAME = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
"""A Monday 00:00 UTC: hour 0 of the kernel's clock in these tests."""


def price_case(
    net: CompiledNetwork,
    origin: str,
    destination: str,
    *,
    teu: float,
    start_hours: float,
    crew: int = 1,
) -> Costing:
    """The costing of a container query (planned links closed) starting ``start_hours``
    after Monday 00:00 UTC."""
    query = make_query(
        net,
        origin,
        destination,
        cargo=Cargo(teu, "TEU", "container"),
        depart=FRAME + dt.timedelta(hours=start_hours),
        as_of=MIN_YEAR,
        crew=crew,
    )
    return price(net, query)
