"""A plan request: every option of ``silkway plan`` in one record, and :func:`run`.

:class:`PlanRequest` is the one schema of a planning query, shared by the command line
(``silkway plan`` builds one from its flags) and the REST API (``POST /api/v1/plan``
reads one from JSON). :func:`run` plans it on a compiled network through
:func:`silkway.engine.planner.plan`, whose query check (:mod:`.query`) is the one
validation of every value. The record is a plain dataclass, so the command line does
not import pydantic; the bounds are ``annotated_types`` constraints that pydantic
(FastAPI) enforces and publishes in the OpenAPI schema, and field docs are attribute
docstrings (``use_attribute_docstrings``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from annotated_types import Ge, Le, MaxLen, MinLen

from .query import DEFAULT_TIME_LIMIT_S, MAX_SAMPLES, MAX_SEED, MAX_YEAR, MIN_YEAR

if TYPE_CHECKING:
    from ..compile import CompiledNetwork
    from ..results import PlanResult

MAX_LIST = 50
"""Most items of a list option (via, avoided places and countries, scenarios)."""
MAX_TEXT = 200
"""Longest text option (a place name, a cargo, a date)."""

Text = Annotated[str, MinLen(1), MaxLen(MAX_TEXT)]
Mode = Literal["rail", "road", "ferry", "sea", "air", "pipeline"]


@dataclass(frozen=True, slots=True)
class PlanRequest:
    """A planning query: the options of ``silkway plan``, with its defaults.

    The names are those of the command's flags (``avoid_countries`` for
    ``--avoid-country``, ``options`` for ``--options``); ``uncertainty`` is the
    opposite of ``--no-uncertainty``, and ``time_limit`` 0 means no limit.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = {
        "extra": "forbid",
        "use_attribute_docstrings": True,
    }

    origin: Text
    """Origin: a place id or a name in any language (Xi'an, xian, 西安, CN_XIA)."""
    destination: Text
    """Destination: a place id or a name in any language."""
    via: Annotated[tuple[Text, ...], MaxLen(MAX_LIST)] = ()
    """Places the route must pass, in this order."""
    depart: Annotated[str, MaxLen(MAX_TEXT)] | None = None
    """Departure date or time, UTC: 2026-12-07 or 2026-12-07T08:00. Default: today."""
    cargo: Text = "1xFEU"
    """What to ship: 2xFEU, 3xTEU, 500t:dry_bulk, 800kg, 800kg/4m3, 1xTEU:dangerous_goods."""
    cargo_class: (
        Literal["container", "general", "dry_bulk", "liquid_bulk", "dangerous_goods"] | None
    ) = None
    """Cargo class override."""
    avoid_countries: Annotated[tuple[Text, ...], MaxLen(MAX_LIST)] = ()
    """ISO country codes no route may enter or cross, e.g. RU."""
    avoid_places: Annotated[tuple[Text, ...], MaxLen(MAX_LIST)] = ()
    """Place ids or names no route may touch."""
    modes: Annotated[tuple[Mode, ...], MaxLen(6)] | None = None
    """Allowed modes; default all."""
    include_planned: bool = False
    """Open planned links such as the CKU railway."""
    as_of: Annotated[int, Ge(MIN_YEAR), Le(MAX_YEAR)] | None = None
    """Plan on the network as expected in this year. Default: the departure year."""
    max_transshipments: Annotated[int, Ge(0), Le(100)] | None = None
    """Most transshipments plus gauge changes allowed."""
    train: Literal["express", "block", "wagonload"] = "express"
    """Train type of the rail legs."""
    crew: Annotated[int, Ge(1), Le(2)] = 1
    """Drivers per truck: 1, or 2 (AETR multi-manning)."""
    sort: Literal["time", "cost", "co2"] = "time"
    """Rank options by time (P50), cost or co2."""
    options: Annotated[int, Ge(1), Le(20)] = 5
    """How many distinct options to return."""
    all_options: bool = False
    """Return every Pareto-optimal route (then ``options`` is ignored)."""
    samples: Annotated[int, Ge(1), Le(MAX_SAMPLES)] = 1000
    """Monte Carlo draws per option for P50/P90."""
    seed: Annotated[int, Ge(0), Le(MAX_SEED)] = 0
    """Random seed: same seed, same numbers."""
    uncertainty: bool = True
    """Estimate P50/P90 by Monte Carlo; false: medians only."""
    time_limit: Annotated[float, Ge(0), Le(86_400)] = DEFAULT_TIME_LIMIT_S
    """Seconds the search may take (0: no limit); a result cut short says so."""
    avoid_advisory: Literal["info", "warning", "critical"] | None = None
    """Leave out what advisories of this severity or higher name."""
    scenario: Annotated[tuple[Text, ...], MaxLen(MAX_LIST)] = ()
    """Scenarios laid over the network, in order (the API takes bundled names only)."""


def run(request: PlanRequest, network: CompiledNetwork) -> PlanResult:
    """Plan ``request`` on ``network`` (which already has ``request.scenario`` applied).

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError, QueryError, NoRouteError
        As :func:`silkway.plan` does.
    """
    from .planner import plan

    return plan(
        network,
        request.origin,
        request.destination,
        via=request.via,
        depart=request.depart,
        cargo=request.cargo,
        cargo_class=request.cargo_class,
        avoid_countries=request.avoid_countries,
        avoid_places=request.avoid_places,
        modes=request.modes,
        include_planned=request.include_planned,
        as_of=request.as_of,
        max_transshipments=request.max_transshipments,
        train=request.train,
        sort=request.sort,
        max_options=request.options,
        all_options=request.all_options,
        uncertainty=request.uncertainty,
        samples=request.samples,
        seed=request.seed,
        time_limit=request.time_limit or None,
        avoid_advisory=request.avoid_advisory,
        crew=request.crew,
    )
