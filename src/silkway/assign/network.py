"""Elements a route loads (links, crossings, services, transfers), their capacities, and
the one mapping between element ids and array indexes.

A capacity is turned into a yearly capacity in one of two bases, FEU or tonnes, as its
unit dictates (``trains/day`` -> FEU, ``Mt/year`` -> t); the element's flow in the same
basis gives its utilisation. Elements without a capacity (none in the network, none in
the config) are uncapacitated, and listed as such in the output.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..model.records import Dwell, Link, Network
from ..results import Option
from .config import AssignConfig, CapacityEntry

CAPACITY_UNITS: tuple[str, ...] = (
    "FEU/year",
    "TEU/year",
    "t/year",
    "Mt/year",
    "trains/day",
    "trucks/day",
    "bcm/year",
    "sailings/year",
)
"""Units a capacity may be given in; ``bcm/year`` (natural gas) is turned into tonnes with
the config's ``gas_t_per_bcm``; ``sailings/year`` (services only) is multiplied by the TEU
of one sailing the network gives the service."""
SAILINGS = "sailings/year"
DAYS_PER_YEAR = 365.0
WEEKS_PER_YEAR = 365.25 / 7.0
HOURS_PER_YEAR = 8760.0
FORWARD, BACKWARD = "forward", "backward"


@dataclass(frozen=True, slots=True, order=True)
class ElementKey:
    """One element a route loads: ``kind`` (link, crossing, service, transfer), its id,
    and for links and services the direction travelled (crossings are one-way already,
    transfers count both ways)."""

    kind: str
    id: str
    direction: str = ""


@dataclass(frozen=True, slots=True)
class Capacity:
    """A yearly capacity in the flow basis ``feu`` or ``t``."""

    per_year: float
    basis: str
    vehicle: float
    """Basis units one vehicle (train, truck, sailing, flight) carries: the queue's
    service time is ``8760 h x vehicle / per_year``."""
    given: str
    """As written, e.g. ``20 trains/day``."""
    source: str
    kind: str


@dataclass(frozen=True, slots=True)
class Element:
    """An element with its name, mode, delay function and capacity (``None``: none)."""

    key: ElementKey
    name: str
    mode: str
    function: str
    capacity: Capacity | None
    note: str = ""


@dataclass(slots=True)
class ElementIndex:
    """The only id <-> index mapping of the assignment; grows as routes are added."""

    elements: list[Element] = field(default_factory=list)
    _index: dict[ElementKey, int] = field(default_factory=dict)

    def index(self, key: ElementKey, network: Network, config: AssignConfig) -> int:
        """The index of ``key``, registering the element on first sight."""
        i = self._index.get(key)
        if i is None:
            i = len(self.elements)
            self._index[key] = i
            self.elements.append(describe(key, network, config))
        return i

    def __len__(self) -> int:
        return len(self.elements)


@dataclass(frozen=True, slots=True)
class RouteUse:
    """What one route loads: element keys with the hours the BPR factor scales (the
    moving hours on the link; 1 for the others, whose delay is a wait per passage)."""

    keys: tuple[ElementKey, ...]
    weights: tuple[float, ...]


def route_use(option: Option, network: Network) -> RouteUse:
    """The elements an option loads, in travel order."""
    keys: list[ElementKey] = []
    weights: list[float] = []
    aboard: str | None = None  # a service running over several links is boarded once
    for leg in option.legs:
        link = network.links[leg.link_id]
        direction = FORWARD if leg.from_id == link.from_id else BACKWARD
        for kind, eid, _usd in leg.cost_items:
            if kind == "transfer":
                keys.append(ElementKey("transfer", eid))
                weights.append(1.0)
        keys.append(ElementKey("link", leg.link_id, direction))
        weights.append(leg.hours)
        if leg.service_id and leg.service_id != aboard:
            keys.append(ElementKey("service", leg.service_id, direction))
            weights.append(1.0)
        aboard = leg.service_id
        for kind, eid, _usd in leg.cost_items:
            if kind == "crossing":
                keys.append(ElementKey("crossing", eid))
                weights.append(1.0)
    return RouteUse(tuple(keys), tuple(weights))


def _p(network: Network, key: str, default: float) -> float:
    return network.parameter(key, default)


def _vehicle(network: Network, mode: str, basis: str) -> float:
    teu_per_feu = _p(network, "teu_per_feu", 2.0)
    teu = _p(network, f"vehicle_teu_{mode}", 0.0)
    if basis == "feu":
        return max(teu / teu_per_feu, 1.0)
    t = _p(network, f"vehicle_t_{mode}", teu * _p(network, "payload_t_per_teu", 10.0))
    return max(t, 1.0)


def convert(
    value: float, unit: str, network: Network, *, gas_t_per_bcm: float
) -> tuple[float, str] | None:
    """A capacity in ``unit`` as ``(per year, basis)``; ``None`` for an unknown unit."""
    teu_per_feu = _p(network, "teu_per_feu", 2.0)
    if unit == "FEU/year":
        return value, "feu"
    if unit == "TEU/year":
        return value / teu_per_feu, "feu"
    if unit == "t/year":
        return value, "t"
    if unit == "Mt/year":
        return value * 1e6, "t"
    if unit == "bcm/year":
        return value * gas_t_per_bcm, "t"
    if unit == "trains/day":
        return value * DAYS_PER_YEAR * _p(network, "vehicle_teu_rail", 108.0) / teu_per_feu, "feu"
    if unit == "trucks/day":
        return value * DAYS_PER_YEAR * _p(network, "vehicle_teu_road", 2.0) / teu_per_feu, "feu"
    return None


def _capacity(
    value: float,
    unit: str,
    mode: str,
    network: Network,
    config: AssignConfig,
    source: str,
    kind: str,
) -> Capacity | None:
    got = convert(value, unit, network, gas_t_per_bcm=config.gas_t_per_bcm)
    if got is None:
        return None
    per_year, basis = got
    return Capacity(
        per_year, basis, _vehicle(network, mode, basis), f"{value:g} {unit}", source, kind
    )  # fmt: skip


def _link_capacity(link: Link, network: Network, config: AssignConfig) -> Capacity | None:
    """The capacity ``links.csv`` gives a link (``None``: none, or not a freight unit)."""
    if link.capacity is None:
        return None
    source = link.sources.get("capacity", "")
    return _capacity(link.capacity, link.capacity_unit, link.mode, network, config, source,
                     "sourced")  # fmt: skip


def describe(key: ElementKey, network: Network, config: AssignConfig) -> Element:
    """The element of ``key``: name, mode, delay function and capacity.

    Where the config gives a capacity it wins; else a link has its own, a crossing its
    link's (``crossing_from_link``), a timetable service its departures times its vessel
    size, and a queue service or a transfer none.
    """
    fn = config.functions.get(key.kind, "none")
    entry = config.capacities.get(key.kind, {}).get(key.id)
    places = network.places
    note = ""
    cap: Capacity | None = None
    if key.kind == "link":
        link = network.links[key.id]
        ends = (link.from_id, link.to_id)
        a, b = ends if key.direction != BACKWARD else ends[::-1]
        name, mode = f"{places[a].name_en} – {places[b].name_en}", link.mode
        cap = _link_capacity(link, network, config)
        if cap is None and link.capacity is not None:
            note = f"capacity {link.capacity:g} {link.capacity_unit} is not a freight capacity"
    elif key.kind == "crossing":
        c = network.crossings[key.id]
        link = network.links[c.link]
        name, mode = c.name, link.mode
        if config.crossing_from_link:
            cap = _link_capacity(link, network, config)
            note = f"capacity of link {link.id}" if cap is not None else ""
    elif key.kind == "service":
        s = network.services[key.id]
        name, mode = s.name, s.mode
        if s.kind == "timetable" and s.departures:
            cap, note = _timetable_capacity(network, s.id), "departures x vehicle size"
    else:
        t = network.transfers[key.id]
        name, mode = f"{t.kind.replace('_', ' ')} at {places[t.place].name_en}", t.from_mode
    if entry is not None and entry.unit == SAILINGS and key.kind == "service":
        cap, note = _sailings_capacity(network, key.id, entry), "config sailings x vessel size"
    elif entry is not None:
        cap = _capacity(entry.value, entry.unit, mode, network, config, entry.source, entry.kind)
        note = "assignment config"
    return Element(key, name, mode, fn, cap, note)


def _sailings_capacity(network: Network, service_id: str, entry: CapacityEntry) -> Capacity:
    """A queue service's capacity: the config's sailings a year times the TEU of one
    sailing in the network (``services.capacity_teu``, else ``vehicle_teu_<mode>``), so
    that a scenario that scales the vessels scales the capacity."""
    teu, feu, src = _sailing(network, service_id)
    return Capacity(
        entry.value * feu,
        "feu",
        feu,
        f"{entry.value:g} sailings/year x {teu:g} TEU",
        f"{entry.source};{src}",
        "derived" if entry.kind != "estimate" else "estimate",
    )


def _sailing(network: Network, service_id: str) -> tuple[float, float, str]:
    """TEU and FEU of one departure of a service (``capacity_teu``, else
    ``vehicle_teu_<mode>``), and the source of the TEU."""
    s = network.services[service_id]
    teu = s.capacity_teu or _p(network, f"vehicle_teu_{s.mode}", 100.0)
    src = s.sources.get("capacity_teu", "") or f"vehicle_teu_{s.mode}"
    return teu, teu / _p(network, "teu_per_feu", 2.0), src


def _timetable_capacity(network: Network, service_id: str) -> Capacity:
    s = network.services[service_id]
    per_year = len(s.departures) * WEEKS_PER_YEAR
    if s.mode == "air":
        t = _p(network, "vehicle_t_air", 100.0)
        src = (
            network.parameters["vehicle_t_air"].sources.get("value", "")
            if "vehicle_t_air" in network.parameters
            else ""
        )
        return Capacity(per_year * t, "t", t, f"{len(s.departures)}/week x {t:g} t", src, "derived")
    teu, feu, src = _sailing(network, service_id)
    return Capacity(
        per_year * feu, "feu", feu, f"{len(s.departures)}/week x {teu:g} TEU", src, "derived"
    )


def congested_network(
    network: Network, elements: list[Element], delay_h: list[float], bpr_factor: list[float]
) -> Network:
    """The network with each element's added delay built in, for column generation.

    Crossings, transfers and queue services wait ``delay_h`` longer (median and P90); a
    link's moving time is scaled by ``1 + bpr_factor`` (the larger of its two directions).
    A timetable service keeps its timetable: its added wait goes onto the moving time
    of its first link instead (the search sees the same extra hours).
    """
    crossings = dict(network.crossings)
    transfers = dict(network.transfers)
    services = dict(network.services)
    links = dict(network.links)
    link_factor: dict[str, float] = {}
    extra_h: dict[str, float] = {}
    for el, d, f in zip(elements, delay_h, bpr_factor, strict=True):
        k = el.key
        if k.kind == "link" and f > 1e-6:
            link_factor[k.id] = max(link_factor.get(k.id, 0.0), f)
        elif d <= 1e-6:
            continue
        elif k.kind == "crossing":
            c = crossings[k.id]
            crossings[k.id] = replace(c, dwell=_longer(c.dwell, d))
        elif k.kind == "transfer":
            t = transfers[k.id]
            transfers[k.id] = replace(t, dwell=_longer(t.dwell, d))
        elif k.kind == "service":
            s = services[k.id]
            if s.wait is not None:
                services[k.id] = replace(s, wait=_longer(s.wait, d))
            else:
                extra_h[s.links[0]] = max(extra_h.get(s.links[0], 0.0), d)
    for lid in link_factor.keys() | extra_h.keys():
        link = links[lid]
        hours = link.moving_hours() * (1.0 + link_factor.get(lid, 0.0)) + extra_h.get(lid, 0.0)
        links[lid] = replace(link, duration_hours=hours, speed_kmh=None)
    return replace(
        network, crossings=crossings, transfers=transfers, services=services, links=links
    )


def _longer(d: Dwell, hours: float) -> Dwell:
    return Dwell(d.median_hours + hours, d.p90_hours + hours)
