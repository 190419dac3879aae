"""Typed records of the corridor network: places, links, transfers, crossings, services.

These are plain frozen dataclasses. They know nothing of files (see :mod:`.loader`),
of validity rules (see :mod:`.validate`) or of routing (see :mod:`silkway.engine`).
Every record keeps its :class:`Origin` (file and line) and its provenance map, so any
number can be traced to its source.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from .._errors import Problem

Mode = Literal["rail", "road", "ferry", "sea", "air", "pipeline"]
MODES: tuple[str, ...] = ("rail", "road", "ferry", "sea", "air", "pipeline")
PLACE_KINDS: tuple[str, ...] = (
    "rail_terminal",
    "dry_port",
    "seaport",
    "border_crossing",
    "airport",
    "pipeline_station",
    "city",
)
CARGO_CLASSES: tuple[str, ...] = (
    "container",
    "dry_bulk",
    "liquid_bulk",
    "dangerous_goods",
    "general",
)
"""Cargo classes; ``general`` is loose freight (pallets, cartons, parcels) measured by
weight and volume, the only class that flies besides dangerous goods where allowed."""
COST_UNITS: tuple[str, ...] = ("FEU", "TEU", "t", "shipment", "kg_chargeable")
"""Units a cost is given per. ``kg_chargeable`` is the air freight unit: the larger of
the actual weight in kg and the volume weight (IATA: 6,000 cm3 per kg)."""
AIR_CARGO_CLASSES: tuple[str, ...] = ("general", "dangerous_goods")
"""The only classes an air link or service may carry: air never carries containers."""
CAPACITY_UNITS: tuple[str, ...] = (
    "TEU/year",
    "t/year",
    "Mt/year",
    "trains/day",
    "trucks/day",
    "bcm/year",
)
GAUGES_MM: tuple[int, ...] = (1435, 1520)
LINK_STATUSES: tuple[str, ...] = ("operational", "planned", "closed")
TRANSFER_KINDS: tuple[str, ...] = ("gauge_change", "mode_change", "transshipment")
SERVICE_KINDS: tuple[str, ...] = ("timetable", "queue")
SOURCE_KINDS: tuple[str, ...] = ("sourced", "derived", "estimate")
TRAIN_TYPES: tuple[str, ...] = ("express", "block", "wagonload")
"""Kinds of rail service a query can ask for: the scheduled China-Europe (and
Trans-Caspian) express container train, cleared with priority at the borders (the
default), a container block train without that priority, and regional wagonload. A
rail link's own speed and price, and a rail crossing's own dwell, are those of the
block train (:data:`BASE_TRAIN`); ``train_types.csv`` says how the other two differ."""
BASE_TRAIN = "block"
"""The train type whose values the links and crossings hold."""
DEFAULT_TRAIN = "express"
"""The train type of a query that names none. The audit of the bundled data (and CPMM's
own reading of its figures) has the China-Europe express trains cleared ahead of the
regional trains that make up CPMM's border means, so a container forwarded to Europe
or Turkiye is planned on the express by default."""
WEEKDAYS: tuple[str, ...] = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
ADVISORY_SEVERITIES: tuple[str, ...] = ("info", "warning", "critical")
"""Severities of a route advisory, least severe first."""
ADVISORY_CATEGORIES: tuple[str, ...] = (
    "sanctions",
    "restriction",
    "closure",
    "congestion",
    "security",
    "other",
)
"""What an advisory is about: sanctions exposure, a transit restriction, a (seasonal or
temporary) closure, congestion, a security risk, or something else."""
SELECTOR_KINDS: tuple[str, ...] = ("country", "place", "link", "crossing", "border")
"""What an advisory applies to: a country entered or crossed, a place passed, a link
used, a crossing (one link, one direction) passed, or any border between two countries."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was read from: file name and 1-based line number."""

    file: str
    line: int


@dataclass(frozen=True, slots=True)
class Source:
    """A source, derivation or estimate that numbers rely on."""

    id: str
    kind: str
    title: str
    publisher: str = ""
    url: str = ""
    date: str = ""
    derived_from: tuple[str, ...] = ()
    note: str = ""
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Dwell:
    """A lognormal time distribution given by its median and 90th percentile, in hours.

    ``p90_hours == median_hours`` means a fixed time.
    """

    median_hours: float
    p90_hours: float


Provenance = Mapping[str, str]
"""Field name -> source id, for every numeric field of a record."""


@dataclass(frozen=True, slots=True)
class Place:
    """A node: terminal, port, border post, airport, pipeline station or city."""

    id: str
    name_en: str
    country: str
    lat: float
    lon: float
    kind: str
    name_ru: str = ""
    name_zh: str = ""
    name_local: str = ""
    aliases: tuple[str, ...] = ()
    locode: str = ""
    tz: str = ""
    """IANA time zone (``Asia/Almaty``) in which the place's opening hours are given;
    empty means UTC."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None

    def names(self) -> tuple[str, ...]:
        """All names of the place, id first, empty ones left out."""
        raw = (self.id, self.name_en, self.name_ru, self.name_zh, self.name_local, *self.aliases)
        return tuple(n for n in raw if n)


@dataclass(frozen=True, slots=True)
class Link:
    """An edge between two places for one mode."""

    id: str
    from_id: str
    to_id: str
    mode: str
    km: float
    cargo: tuple[str, ...]
    gauge_mm: int | None = None
    electrified: bool | None = None
    energy: str = ""
    speed_kmh: float | None = None
    duration_hours: float | None = None
    cost_fixed_usd: float = 0.0
    cost_per_km_usd: float = 0.0
    cost_unit: str = "FEU"
    capacity: float | None = None
    capacity_unit: str = ""
    status: str = "operational"
    open_year: int | None = None
    bidirectional: bool = True
    emission_factor: str = ""
    transit_countries: tuple[str, ...] = ()
    """ISO codes of countries the link crosses between its two end places (e.g. HU and
    AT for Constanța-Duisburg by rail); the ends' own countries are not listed."""
    section: str = ""
    """Rail tariff section (``cn``, ``era``, ``eu`` ...): the rows of ``train_types.csv``
    for the section apply to the link; empty for other modes."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None

    def moving_hours(self) -> float:
        """Scheduled duration if given, else length over speed."""
        if self.duration_hours is not None:
            return self.duration_hours
        if self.speed_kmh:
            return self.km / self.speed_kmh
        raise ValueError(f"link {self.id} has neither duration_hours nor speed_kmh")

    def ends(self) -> tuple[str, str]:
        """The two place ids."""
        return (self.from_id, self.to_id)


@dataclass(frozen=True, slots=True)
class Transfer:
    """A change of mode or gauge allowed at a place, in both directions."""

    id: str
    place: str
    kind: str
    from_mode: str
    from_gauge_mm: int | None
    to_mode: str
    to_gauge_mm: int | None
    dwell: Dwell
    cost_usd: float = 0.0
    cost_unit: str = "FEU"
    co2e_kg_per_teu: float = 0.0
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Crossing:
    """Border clearance for one link in one direction (leaving ``from_id``)."""

    id: str
    link: str
    from_id: str
    name: str
    dwell: Dwell
    cost_usd: float = 0.0
    cost_unit: str = "shipment"
    open_days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    open_hours: tuple[float, float] | None = None
    regimes: tuple[str, ...] = ()
    transload: bool = False
    """Whether goods change trucks here (the vehicles of one side may not go on into
    the other country): the crossing's dwell and cost include the transloading, and the
    goods go on with another truck and driver (a fresh driving clock)."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Closure:
    """Days a border crossing does not clear cargo (a holiday, a season).

    ``start`` and ``end`` are ``(year, month, day)``, both days included, in the local
    time of the place the cargo enters; year ``0`` means every year (``end`` before
    ``start`` then runs over the new year).
    """

    id: str
    applies_to: str
    """A crossing id, a link id (its crossings both ways) or a place id (every crossing
    of a link that ends there)."""
    start: tuple[int, int, int]
    end: tuple[int, int, int]
    reason: str = ""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None

    @property
    def yearly(self) -> bool:
        """Whether the closure repeats every year."""
        return self.start[0] == 0

    def span_text(self) -> str:
        """The days as written, e.g. ``2026-02-15..2026-02-23`` or ``12-01..04-30``."""

        def one(d: tuple[int, int, int]) -> str:
            return (f"{d[0]:04d}-" if d[0] else "") + f"{d[1]:02d}-{d[2]:02d}"

        return f"{one(self.start)}..{one(self.end)}"


@dataclass(frozen=True, slots=True)
class Service:
    """A timetabled or queue ("sails when full") service along consecutive links."""

    id: str
    name: str
    kind: str
    mode: str
    links: tuple[str, ...]
    cargo: tuple[str, ...]
    departures: tuple[float, ...] = ()
    """Weekly departures as hours since Monday 00:00 UTC (timetable services)."""
    wait: Dwell | None = None
    """Wait-for-departure distribution (queue services)."""
    bidirectional: bool = True
    capacity_teu: float | None = None
    """TEU one departure carries (a feeder's vessel), where it is smaller than the
    mode's vehicle; ``None``: the mode's vehicle (``vehicle_teu_<mode>``) applies."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Weather:
    """Storm days of one month for the services of one sea region (``weather.csv``).

    On a storm day sailings do not leave: a shipment about to sail waits for the end of
    the storm spell. Storm days come in spells whose length in days is geometric with
    mean ``mean_spell_days``.
    """

    id: str
    region: str
    """Name of the sea region (services of one region share their storm days)."""
    services: tuple[str, ...]
    month: int
    """1 (January) to 12."""
    storm_day_probability: float
    """Probability that a given day of the month is a storm day, 0 to 1."""
    mean_spell_days: float
    """Mean length of a storm spell in days, at least 1."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


def travels_forward(run: Sequence[Link], i: int, *, lone_forward: bool = True) -> bool:
    """Whether a service run (links in travel order) travels its ``i``-th link from->to.

    The direction is fixed by the place the link shares with its neighbour in the run;
    a run of one link travels it forward unless ``lone_forward`` is false.
    """
    link = run[i]
    if len(run) == 1:
        return lone_forward
    if i + 1 < len(run):
        return link.to_id in run[i + 1].ends()
    return link.from_id in run[i - 1].ends()


@dataclass(frozen=True, slots=True)
class TrainRule:
    """How one train type differs from the block train on a rail section or crossing.

    A *section* rule sets the speed and the price per km of every rail link of the
    section (an absolute value or a factor on the link's own); a *crossing* rule sets the
    dwell of one rail crossing in its direction. Train types without a rule for an
    element keep the element's own (block-train) values.
    """

    id: str
    train: str
    section: str = ""
    crossing: str = ""
    speed_kmh: float | None = None
    speed_factor: float | None = None
    cost_per_km_usd: float | None = None
    cost_factor: float | None = None
    median_hours: float | None = None
    p90_hours: float | None = None
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None

    @property
    def dwell(self) -> Dwell | None:
        """The crossing dwell this rule sets (P90 = median if not given), or ``None``."""
        if self.median_hours is None:
            return None
        p90 = self.p90_hours if self.p90_hours is not None else self.median_hours
        return Dwell(self.median_hours, p90)


@dataclass(frozen=True, slots=True)
class EmissionFactor:
    """A GLEC / ISO 14083 emission intensity in g CO2e per tonne-km.

    A factor gives either its well-to-wheel and tank-to-wheel intensities, or (electric
    traction) the energy a tonne-km takes, ``kwh_per_tkm``: then each link's WTW is that
    energy times the grid intensity of the countries the link runs in (see
    :class:`GridIntensity`) and its TTW is 0.
    """

    id: str
    mode: str
    energy: str
    wtw_g_per_tkm: float
    """NaN where the row gives none (a factor per kWh)."""
    ttw_g_per_tkm: float
    description: str = ""
    kwh_per_tkm: float | None = None
    """Electric traction energy per tonne-km; ``None`` for a fixed-intensity factor."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None

    @property
    def grid_based(self) -> bool:
        """Whether the factor's WTW depends on the grid of the countries a link runs in."""
        return self.kwh_per_tkm is not None


@dataclass(frozen=True, slots=True)
class GridIntensity:
    """The carbon intensity of one country's electricity, well to wheel."""

    country: str
    """ISO 3166-1 alpha-2 code (the row's ``id``)."""
    wtw_g_per_kwh: float
    year: int | None = None
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class LinkGeometry:
    """The line a link follows on the map, from its ``from`` place to its ``to`` place."""

    link: str
    """Link id (the row's ``id``)."""
    line: tuple[tuple[float, float], ...]
    """``(lon, lat)`` points in WGS84 degrees, ends included."""
    via: tuple[str, ...] = ()
    """Names of the intermediate points (stations, towns, straits), for people."""
    country_km: Mapping[str, float] = field(default_factory=dict)
    """Kilometres of the line in each country (``""``: at sea or off the country grid),
    in the order the line enters them; filled by the loader for land links."""
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A global numeric parameter such as the payload per TEU."""

    id: str
    value: float
    unit: str
    sources: Provenance = field(default_factory=dict)
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Selector:
    """What an advisory applies to: ``kind`` (one of :data:`SELECTOR_KINDS`) and
    ``value``, an id (``RU``, ``PL_MAL``, ``R_BRE_MAL``, ``X_...``) or, for ``border``,
    two country codes in alphabetical order joined by ``-`` (``BY-PL``)."""

    kind: str
    value: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


@dataclass(frozen=True, slots=True, order=True)
class AdvisoryDate:
    """A date an advisory is valid from or to: a day (``2025-09-12``) or, with ``year``
    ``None``, the same day every year (``--12-01``)."""

    year: int | None
    month: int
    day: int

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


@dataclass(frozen=True, slots=True)
class Advisory:
    """A sourced, dated note on a route: sanctions, restrictions, closures, congestion.

    It applies to an option that matches any of its ``selectors`` when the departure
    date is within ``valid_from`` .. ``valid_to`` (both included; either may be open).
    Yearly dates (``--MM-DD``) repeat every year and may wrap over the new year.
    """

    id: str
    severity: str
    selectors: tuple[Selector, ...]
    text: str
    sources: tuple[str, ...]
    category: str = "other"
    valid_from: AdvisoryDate | None = None
    valid_to: AdvisoryDate | None = None
    origin: Origin | None = None

    def valid_on(self, year: int, month: int, day: int) -> bool:
        """Whether the advisory applies to a departure on that day."""
        a, b = self.valid_from, self.valid_to
        if (a is not None and a.year is None) or (b is not None and b.year is None):
            md = (month, day)
            lo = (a.month, a.day) if a is not None else (1, 1)
            hi = (b.month, b.day) if b is not None else (12, 31)
            return lo <= md <= hi if lo <= hi else (md >= lo or md <= hi)
        ymd = (year, month, day)
        if a is not None and ymd < (a.year or 0, a.month, a.day):
            return False
        return not (b is not None and ymd > (b.year or 0, b.month, b.day))


@dataclass(frozen=True, slots=True)
class Network:
    """A whole corridor network, as read from one folder (plus overlays).

    Tables are dicts keyed by id, in file order.
    """

    name: str
    version: str
    description: str
    folder: str
    sources: Mapping[str, Source]
    parameters: Mapping[str, Parameter]
    places: Mapping[str, Place]
    links: Mapping[str, Link]
    transfers: Mapping[str, Transfer]
    crossings: Mapping[str, Crossing]
    services: Mapping[str, Service]
    emission_factors: Mapping[str, EmissionFactor]
    geometries: Mapping[str, LinkGeometry] = field(default_factory=dict)
    """Link id -> the line it follows (``link_geometry.csv``); links without one are drawn
    straight (air links: as great-circle arcs)."""
    grid_intensities: Mapping[str, GridIntensity] = field(default_factory=dict)
    """Country code -> electricity carbon intensity (``grid_intensity.csv``)."""
    warnings: tuple[Problem, ...] = ()
    """Problems of severity ``warning`` found when the network was loaded (for example
    places an overlay leaves without links); errors are raised, never kept here."""
    advisories: Mapping[str, Advisory] = field(default_factory=dict)
    """Route advisories (``advisories.csv``, optional)."""
    train_rules: Mapping[str, TrainRule] = field(default_factory=dict)
    """Rows of ``train_types.csv``: how express trains and wagonload differ from the
    block train whose values the links and crossings hold."""
    weather: Mapping[str, Weather] = field(default_factory=dict)
    """Storm-day rows (``weather.csv``) by id; empty: no storms anywhere."""
    closures: Mapping[str, Closure] = field(default_factory=dict)
    """Dated and seasonal closures of border crossings (``closures.csv``)."""
    scenarios: tuple[str, ...] = ()
    """Names of the scenarios applied to the network, in order (see
    :mod:`silkway.scenarios`); empty for a network as read from its files."""

    def parameter(self, key: str, default: float) -> float:
        """Value of a global parameter, or ``default`` if the network does not set it."""
        p = self.parameters.get(key)
        return p.value if p is not None else default

    def summary(self) -> dict[str, int]:
        """Record counts per table."""
        return {
            "places": len(self.places),
            "links": len(self.links),
            "transfers": len(self.transfers),
            "crossings": len(self.crossings),
            "services": len(self.services),
            "emission_factors": len(self.emission_factors),
            "link_geometries": len(self.geometries),
            "grid_intensities": len(self.grid_intensities),
            "advisories": len(self.advisories),
            "train_types": len(self.train_rules),
            "weather": len(self.weather),
            "closures": len(self.closures),
            "sources": len(self.sources),
        }
