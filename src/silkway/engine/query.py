"""The planning query: every user input checked once and turned into a typed :class:`Query`.

:func:`make_query` is the single place where what a user typed (CLI, API or Python) is
judged. Every mistake raises a member of the :class:`~silkway.SilkwayError` family with
a message that names the input and says what is expected; nothing later in the engine
checks user input again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from .._errors import QueryError
from ..compile import CompiledNetwork
from ..compile.timing import frame_start, hours_since
from ..model.records import ADVISORY_SEVERITIES, DEFAULT_TRAIN, MODES, TRAIN_TYPES
from .cargo import Cargo, check_cargo, parse_cargo
from .driving import check_crew

OBJECTIVES: tuple[str, ...] = ("time", "cost", "co2")
SORT_KEYS: tuple[str, ...] = ("time", "cost", "co2")
MIN_YEAR, MAX_YEAR = 1970, 2200
MAX_SAMPLES = 100_000
MAX_SEED = 2**63 - 1
DEFAULT_TIME_LIMIT_S = 10.0
MAX_TOLERANCE = 0.5
"""Largest relative dominance tolerance a query may ask for (50 %)."""
LARGE_NETWORK_PLACES = 2_000
"""From this many places a query's default tolerance is ``AUTO_TOLERANCE``."""
TRAIN_HELP = (
    "express (a priority China-Europe express block train), block (a scheduled "
    "container block train, the default) or wagonload (regional wagonload)"
)
"""The train types, explained, for messages and help texts."""
AUTO_TOLERANCE = 0.05
"""Default dominance tolerance on large networks, where exact Pareto sets of hundreds of
routes take seconds to prove (``docs/performance.md``); 0 (exact) below."""


@dataclass(frozen=True, slots=True)
class Query:
    """A checked planning query. Place fields are place *ids*; see :func:`make_query`."""

    origin: str
    destination: str
    via: tuple[str, ...]
    depart: dt.datetime
    """Aware UTC datetime."""
    frame: dt.datetime
    """Monday 00:00 UTC of the departure week: hour 0 of the engine's clock."""
    start_hours: float
    cargo: Cargo
    avoid_countries: frozenset[str]
    avoid_places: frozenset[str]
    modes: frozenset[str]
    include_planned: bool
    as_of: int
    """Planned links whose opening year is at most this are open."""
    max_transshipments: int | None
    sort: str
    max_options: int
    all_options: bool
    uncertainty: bool
    samples: int
    seed: int
    objectives: tuple[str, ...]
    time_limit: float | None
    tolerance: float = 0.0
    """Relative tolerance of the search's dominance checks (0: the exact Pareto set)."""
    avoid_advisory: str | None = None
    """Leave out what advisories of this severity or higher, valid on the departure
    date, name (``info``, ``warning``, ``critical``); ``None``: advisories only inform."""
    train: str = DEFAULT_TRAIN
    """Train type of the rail legs: ``express``, ``block`` or ``wagonload``."""
    crew: int = 1
    """Drivers per truck: 1, or 2 for a two-driver crew under the multi-manning rules."""

    @property
    def cargo_class(self) -> str:
        """The cargo class."""
        return self.cargo.cargo_class

    def echo(self) -> dict[str, Any]:
        """The query as it is echoed in results (ids resolved, defaults filled)."""
        return {
            "depart": self.depart.isoformat(),
            "cargo": str(self.cargo),
            "cargo_class": self.cargo.cargo_class,
            "sort": self.sort,
            "via": list(self.via),
            "avoid_countries": sorted(self.avoid_countries),
            "avoid_places": sorted(self.avoid_places),
            "modes": sorted(self.modes),
            "include_planned": self.include_planned,
            "as_of": self.as_of,
            "max_transshipments": self.max_transshipments,
            "all_options": self.all_options,
            "uncertainty": self.uncertainty,
            "samples": self.samples if self.uncertainty else 0,
            "seed": self.seed,
            "time_limit": self.time_limit,
            "tolerance": self.tolerance,
            "avoid_advisory": self.avoid_advisory,
            "train": self.train,
            "crew": self.crew,
        }


def parse_depart(depart: str | dt.date | dt.datetime | None) -> dt.datetime:
    """Departure as an aware UTC datetime; a date means 00:00 UTC; ``None`` means today.

    Raises
    ------
    QueryError
        If the text is not a date or time, or the year is outside 1970-2200.
    """
    if depart is None:
        today = dt.datetime.now(dt.UTC).date()
        return dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    if isinstance(depart, dt.datetime):
        value = depart
    elif isinstance(depart, dt.date):
        value = dt.datetime(depart.year, depart.month, depart.day)
    elif isinstance(depart, str):
        try:
            value = dt.datetime.fromisoformat(depart.strip())
        except ValueError:
            raise QueryError(
                f"cannot read departure {depart!r}; write a date like 2026-12-07 "
                "or a time like 2026-12-07T08:00"
            ) from None
    else:
        raise QueryError(f"depart must be a date, datetime or ISO text, not {_kind(depart)}")
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise QueryError(
            f"departure {value.date().isoformat()} is outside the years "
            f"{MIN_YEAR}-{MAX_YEAR} the planner covers"
        )
    try:
        utc = value.astimezone(dt.UTC)
    except OverflowError:  # pragma: no cover - guarded by the year check
        raise QueryError(f"departure {depart!r} is out of range") from None
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise QueryError(f"departure {depart!r} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    return utc


def _kind(value: object) -> str:
    return type(value).__name__


def _strings(values: Iterable[str] | str | None, what: str) -> list[str]:
    """A list of non-empty strings from a string, a comma list or an iterable of them."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    try:
        items = list(values)
    except TypeError:
        raise QueryError(f"{what} must be a list of strings, not {_kind(values)}") from None
    out: list[str] = []
    for v in items:
        if not isinstance(v, str):
            raise QueryError(f"{what} must be strings, not {_kind(v)} ({v!r})")
        out += [part.strip() for part in v.split(",") if part.strip()]
    return out


def _int(value: object, what: str, *, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise QueryError(f"{what} must be a whole number, not {_kind(value)} ({value!r})")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        raise QueryError(f"{what} must be {bound}, not {value}")
    return value


def _bool(value: object, what: str) -> bool:
    if not isinstance(value, bool):
        raise QueryError(f"{what} must be true or false, not {_kind(value)} ({value!r})")
    return value


def _check_cargo(cargo: Cargo) -> None:
    """A :class:`Cargo` built in Python gets the checks :func:`parse_cargo` makes."""
    check_cargo(cargo)


def check_train(train: object) -> str:
    """The train type, lower-cased, if it is one of ``TRAIN_TYPES``.

    Raises
    ------
    QueryError
        If ``train`` is not text or not a train type; the message lists them.
    """
    if not isinstance(train, str):
        raise QueryError(f"train must be text, one of {TRAIN_HELP}; not {_kind(train)}")
    name = train.strip().lower()
    if name not in TRAIN_TYPES:
        raise QueryError(f"unknown train type {train!r}; expected {TRAIN_HELP}")
    return name


def check_countries(codes: Sequence[str]) -> frozenset[str]:
    """Upper-cased ISO 3166 alpha-2 codes; an unknown code is an error with suggestions."""
    from ..model.countries import check_country

    return frozenset(check_country(c) for c in codes)


def make_query(
    net: CompiledNetwork,
    origin: str,
    destination: str,
    *,
    via: Iterable[str] | str | None = (),
    depart: str | dt.date | dt.datetime | None = None,
    cargo: str | Cargo = "1xFEU",
    cargo_class: str | None = None,
    avoid_countries: Iterable[str] | str | None = (),
    avoid_places: Iterable[str] | str | None = (),
    modes: Iterable[str] | str | None = None,
    include_planned: bool = False,
    as_of: int | None = None,
    max_transshipments: int | None = None,
    sort: str = "time",
    max_options: int = 5,
    all_options: bool = False,
    uncertainty: bool = True,
    samples: int = 1000,
    seed: int = 0,
    objectives: Sequence[str] = OBJECTIVES,
    time_limit: float | None = DEFAULT_TIME_LIMIT_S,
    tolerance: float | None = None,
    avoid_advisory: str | None = None,
    train: str = DEFAULT_TRAIN,
    crew: int = 1,
) -> Query:
    """Check every input of :func:`silkway.plan` and return a :class:`Query`.

    See :func:`silkway.engine.planner.plan` for the parameters.

    Raises
    ------
    UnknownPlaceError, AmbiguousPlaceError
        If a place name does not resolve.
    QueryError
        For any other bad input: its message names the input and what is expected.
    """
    for name, value in (("origin", origin), ("destination", destination)):
        if not isinstance(value, str):
            raise QueryError(f"{name} must be a place name or id, not {_kind(value)}")
    names = net.names
    o_place, d_place = names.resolve(origin), names.resolve(destination)
    if o_place.id == d_place.id:
        raise QueryError(f"origin and destination are the same place ({o_place.id})")
    if not isinstance(sort, str) or sort not in SORT_KEYS:
        raise QueryError(f"unknown sort {sort!r}; expected one of: {', '.join(SORT_KEYS)}")
    max_options = _int(max_options, "max_options", low=1)
    samples = _int(samples, "samples", low=1, high=MAX_SAMPLES)
    seed = _int(seed, "seed", low=0, high=MAX_SEED)
    if max_transshipments is not None:
        max_transshipments = _int(max_transshipments, "max_transshipments", low=0)
    if isinstance(objectives, str):
        objectives = [objectives]
    objs = tuple(dict.fromkeys(objectives))
    if not objs or any(o not in OBJECTIVES for o in objs):
        raise QueryError(f"objectives must be a non-empty subset of {', '.join(OBJECTIVES)}")
    if time_limit is not None:
        if isinstance(time_limit, bool) or not isinstance(time_limit, int | float):
            raise QueryError(f"time_limit must be a number of seconds, not {_kind(time_limit)}")
        if not time_limit > 0:
            raise QueryError(f"time_limit must be more than 0 seconds, not {time_limit}")
    if tolerance is None:
        tolerance = AUTO_TOLERANCE if len(net.places) >= LARGE_NETWORK_PLACES else 0.0
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float):
        raise QueryError(f"tolerance must be a fraction such as 0.05, not {_kind(tolerance)}")
    if not 0.0 <= tolerance <= MAX_TOLERANCE:
        raise QueryError(
            f"tolerance must be between 0 and {MAX_TOLERANCE:g} (a fraction: 0.05 is 5 %), "
            f"not {tolerance}"
        )
    if avoid_advisory is not None:
        if not isinstance(avoid_advisory, str) or (
            avoid_advisory.strip().lower() not in ADVISORY_SEVERITIES
        ):
            raise QueryError(
                f"unknown advisory severity {avoid_advisory!r}; expected one of: "
                + ", ".join(ADVISORY_SEVERITIES)
            )
        avoid_advisory = avoid_advisory.strip().lower()
    train = check_train(train)
    include_planned = _bool(include_planned, "include_planned")
    crew = check_crew(crew)
    all_options = _bool(all_options, "all_options")
    uncertainty = _bool(uncertainty, "uncertainty")

    if cargo_class is not None and not isinstance(cargo_class, str):
        raise QueryError(f"cargo_class must be text such as 'dry_bulk', not {_kind(cargo_class)}")
    if isinstance(cargo, Cargo):
        cargo_obj = replace(cargo, cargo_class=cargo_class) if cargo_class else cargo
        _check_cargo(cargo_obj)
    elif isinstance(cargo, str):
        cargo_obj = parse_cargo(cargo, cargo_class=cargo_class)
    else:
        raise QueryError(f"cargo must be text like '2xFEU' or a Cargo, not {_kind(cargo)}")

    countries = check_countries([c.upper() for c in _strings(avoid_countries, "avoid_countries")])
    avoid_ids = frozenset(names.resolve(p).id for p in _strings(avoid_places, "avoid_places"))
    mode_list = [m.lower() for m in _strings(modes, "modes")]
    for m in mode_list:
        if m not in MODES:
            raise QueryError(f"unknown mode {m!r}; expected one of: {', '.join(MODES)}")
    mode_set = frozenset(mode_list) or frozenset(MODES)
    via_ids = tuple(names.resolve(p).id for p in _strings(via, "via"))
    for place, role in ((o_place, "origin"), (d_place, "destination")):
        if place.id in avoid_ids or place.country in countries:
            raise QueryError(f"the {role} {names.label(place.id)} is itself avoided")
    for i, v in enumerate(via_ids):
        label = names.label(v)
        if v in (o_place.id, d_place.id):
            raise QueryError(f"--via {label} is the origin or the destination")
        if v in via_ids[:i]:
            raise QueryError(f"--via {label} is given twice")
        if v in avoid_ids or net.network.places[v].country in countries:
            raise QueryError(f"--via {label} is also avoided")

    depart_at = parse_depart(depart)
    if as_of is None:
        as_of_year = depart_at.year
    else:
        as_of_year = _int(as_of, "as_of", low=MIN_YEAR, high=MAX_YEAR)
    frame = frame_start(depart_at)
    return Query(
        origin=o_place.id,
        destination=d_place.id,
        via=via_ids,
        depart=depart_at,
        frame=frame,
        start_hours=hours_since(frame, depart_at),
        cargo=cargo_obj,
        avoid_countries=countries,
        avoid_places=avoid_ids,
        modes=mode_set,
        include_planned=include_planned,
        as_of=as_of_year,
        max_transshipments=max_transshipments,
        sort=sort,
        max_options=max_options,
        all_options=all_options,
        uncertainty=uncertainty,
        samples=samples,
        seed=seed,
        objectives=objs,
        time_limit=None if time_limit is None else float(time_limit),
        tolerance=float(tolerance),
        avoid_advisory=avoid_advisory,
        train=train,
        crew=crew,
    )
