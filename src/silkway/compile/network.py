"""Compile a :class:`Network` once into the arrays every later stage reads.

The compiled network is state-expanded: a *state* is (place, mode, gauge), and an *arc*
is one usable direction of a link, from a state to a state of the same mode and gauge.
Transfers connect states at one place. Arcs leaving a place are stored as flat CSR
arrays (``out_ptr``/``out_arc``), and the services that can be boarded on an arc as a
second CSR (``board_ptr``/``board_*``).

Every number the planner, the pricing and the Monte Carlo use is here, as an array
indexed through the :class:`~silkway.compile.ids.IdIndex` of its table: speeds and
moving hours, dwell and wait medians and spreads, opening days and hours, costs and
their units, emission factors, planned-link years, the countries each link touches.
Nothing downstream goes back to the records for a number; the records are kept for
names and provenance only. A scenario patches these arrays.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..model.geometry import geometry_countries
from ..model.names import PlaceIndex
from ..model.records import (
    BASE_TRAIN,
    CAPACITY_UNITS,
    CARGO_CLASSES,
    COST_UNITS,
    MODES,
    TRAIN_TYPES,
    Closure,
    Network,
    travels_forward,
)
from .emissions import link_intensities
from .ids import IdIndex
from .trains import Z90, lognormal_sigma, train_arrays

NO_GAUGE = 0
NEVER = 1 << 30
"""Opening year of a planned link with no year given."""

DEFAULT_PAYLOAD_T_PER_TEU = 10.0
DEFAULT_TEU_PER_FEU = 2.0
DEFAULT_DELAY_CORRELATION = 0.5
DEFAULT_TEU_VOLUME_M3 = 33.2
"""Inside volume of a 20-ft dry container (DSV container specifications)."""
DEFAULT_GENERAL_DENSITY_KG_PER_M3 = 190.0
"""Density assumed for general cargo whose volume is not given (an estimate)."""
DEFAULT_AIR_VOLUME_CM3_PER_KG = 6000.0
"""IATA volume weight: 6,000 cm3 count as 1 kg of chargeable weight (166.7 kg/m3)."""
DEFAULT_MOVING_P90_RATIO = 1.0

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def mode_code(mode: str) -> int:
    """Small integer code of a mode (index in ``MODES``)."""
    return MODES.index(mode)


def cargo_mask(classes: Sequence[str]) -> int:
    """Bitmask of cargo classes."""
    mask = 0
    for c in classes:
        mask |= 1 << CARGO_CLASSES.index(c)
    return mask


def element_key(kind: str, element_id: str) -> int:
    """A stable 63-bit key of a network element, the seed of its random numbers.

    The same element gets the same key in every network that holds it, so Monte Carlo
    draws stay common between a network and a scenario of it.
    """
    digest = hashlib.blake2b(f"{kind}:{element_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") >> 1


@dataclass(frozen=True)
class CompiledNetwork:
    """Arrays the engine runs on. Built by :func:`compile_network`; read-only after.

    Index conventions: ``place``, ``link``, ``transfer``, ``crossing``, ``service`` and
    ``country`` arrays are indexed through the matching :class:`IdIndex`; ``arc`` and
    ``state`` arrays are internal to the compiled graph. ``-1`` means "none".
    """

    network: Network
    places: IdIndex
    links: IdIndex
    services: IdIndex
    transfers: IdIndex
    crossings: IdIndex
    countries: IdIndex
    names: PlaceIndex
    # parameters
    payload_t_per_teu: float
    teu_per_feu: float
    delay_correlation: float
    """Share of log-variance of dwell and waits common to one corridor group and season."""
    teu_volume_m3: float
    """Inside volume of one TEU: general cargo takes the larger of its weight share and
    its volume share of a container on surface modes."""
    general_density_kg_per_m3: float
    """Density of general cargo whose volume is not given."""
    air_volume_cm3_per_kg: float
    """Volume that counts as 1 kg of chargeable weight in the air (IATA: 6,000 cm3)."""
    vehicle_teu: FloatArray
    """One vehicle of each mode (index in ``MODES``) in TEU: a truck, a train, a ship;
    NaN where the network does not say (then the mode has no vehicle limit)."""
    vehicle_t: FloatArray
    """One vehicle of each mode in tonnes (for air: chargeable tonnes); NaN if not given."""
    # places
    place_country: tuple[str, ...]
    place_country_idx: IntArray
    place_lat: FloatArray
    place_lon: FloatArray
    place_tz: tuple[str, ...]
    # states (place, mode, gauge)
    state_place: IntArray
    state_mode: IntArray
    state_gauge: IntArray
    # arcs (one per usable direction of a link)
    arc_link: IntArray
    arc_from: IntArray
    arc_to: IntArray
    arc_from_state: IntArray
    arc_to_state: IntArray
    arc_mode: IntArray
    arc_gauge: IntArray
    arc_km: FloatArray
    arc_hours: FloatArray
    arc_crossing: IntArray
    arc_served: BoolArray
    """Whether an arc's link carries services: then it can only be used by boarding one,
    even in a direction none of them runs (a one-way service on a two-way link)."""
    out_ptr: IntArray
    out_arc: IntArray
    """Arcs leaving place ``p``: ``out_arc[out_ptr[p]:out_ptr[p + 1]]``."""
    board_ptr: IntArray
    board_service: IntArray
    board_offset: FloatArray
    """Scheduled hours from the service's first stop to this arc's start: moving time
    plus median border dwell of its earlier links, so each stop's timetable follows
    from the first one."""
    board_next: IntArray
    """Arc that continues the service after this one, or -1."""
    # links
    link_mode: IntArray
    link_km: FloatArray
    link_cargo: IntArray
    link_planned: BoolArray
    link_closed: BoolArray
    link_open_year: IntArray
    """Expected opening year of a planned link (``NEVER`` if it has none: it opens only
    with ``include_planned``); 0 for other links."""
    link_wtw: FloatArray
    link_ttw: FloatArray
    link_grid_g_per_kwh: FloatArray
    """Grid intensity (g CO2e per kWh, km-weighted over the countries run in) of links
    whose factor is electric traction per kWh; NaN for fixed factors."""
    link_grid_mix: tuple[tuple[tuple[str, float], ...], ...]
    """Per link, the ``(country, share of km)`` pairs of that grid mix (empty if fixed)."""
    link_cost_fixed: FloatArray
    link_cost_per_km: FloatArray
    link_cost_unit: IntArray
    """Index in ``COST_UNITS``."""
    link_capacity: FloatArray
    """Capacity of a link in ``link_capacity_unit`` (NaN where none is given)."""
    link_capacity_unit: IntArray
    """Index in ``CAPACITY_UNITS``, -1 where the link gives no capacity."""
    link_sigma: FloatArray
    """Lognormal sigma of moving time (from the mode's P90/median ratio)."""
    link_country_ptr: IntArray
    link_country_idx: IntArray
    """Countries a link touches (ends and transit): ``link_country_idx[ptr[l]:ptr[l+1]]``."""
    link_group: IntArray
    link_key: IntArray
    # transfers
    transfer_place: IntArray
    transfer_kind: tuple[str, ...]
    transfer_counts: IntArray
    """1 where the transfer is a transshipment or gauge change, else 0."""
    transfer_hours: FloatArray
    transfer_sigma: FloatArray
    transfer_cost: FloatArray
    transfer_cost_unit: IntArray
    transfer_co2_per_teu: FloatArray
    transfer_group: IntArray
    transfer_key: IntArray
    transfer_between: dict[int, int]
    """``from_state * n_states + to_state`` -> transfer index, both directions."""
    # crossings
    crossing_hours: FloatArray
    crossing_sigma: FloatArray
    crossing_cost: FloatArray
    crossing_cost_unit: IntArray
    crossing_mode: IntArray
    """Mode code of the crossed link (road crossings are paid per truck)."""
    crossing_open_days: tuple[tuple[int, ...], ...]
    crossing_open_hours: tuple[tuple[float, float] | None, ...]
    crossing_always_open: BoolArray
    """Open around the clock every day, with no dated closure."""
    crossing_closures: tuple[tuple[Closure, ...], ...]
    """Dated and yearly closures of each crossing (``closures.csv``)."""
    crossing_transload: BoolArray
    """Goods change trucks at the crossing (a fresh driving clock after it)."""
    crossing_tz: tuple[str, ...]
    """Zone of the post's opening hours: that of the place where the dwell is spent
    (the far end of the crossed link)."""
    crossing_group: IntArray
    crossing_key: IntArray
    # services
    service_queue: BoolArray
    service_hours: FloatArray
    """Median wait of queue services (0 for timetabled ones)."""
    service_sigma: FloatArray
    service_cargo: IntArray
    service_mode: IntArray
    service_departures: tuple[FloatArray | None, ...]
    """Weekly departures from the first stop (hours of the UTC week), ``None`` for queues."""
    service_group: IntArray
    service_key: IntArray
    service_capacity_teu: FloatArray
    """TEU one departure of a service carries (NaN: the mode's vehicle applies)."""
    service_storm_p: FloatArray
    """Storm-day probability per service and month, shape (services, 12); 0 for none."""
    service_storm_spell: FloatArray
    """Mean storm spell in days per service and month, shape (services, 12)."""
    service_storm_key: IntArray
    """Random-number key of a service's weather region (0 where it has none)."""
    service_storm_region: tuple[str, ...]
    """Name of a service's weather region ("" where it has none)."""
    groups: IdIndex
    """Correlation groups ("corridors") of uncertain elements."""
    # train types: one row per type in TRAIN_TYPES order; the default (block) row equals
    # arc_hours, link_cost_per_km, crossing_hours and crossing_sigma above
    train_types: tuple[str, ...]
    default_train: int
    """Row of the base train type (:data:`~silkway.model.records.BASE_TRAIN`), whose
    values the links and crossings hold."""
    arc_hours_by_train: FloatArray
    """Moving hours of every arc under each train type, shape (train types, arcs)."""
    link_cost_per_km_by_train: FloatArray
    crossing_hours_by_train: FloatArray
    crossing_sigma_by_train: FloatArray
    link_train_rule: IntArray
    """Row of ``train_types.csv`` (index in ``train_rules``) that set a link's speed and
    price under each train type, -1 where the link's own apply."""
    crossing_train_rule: IntArray
    train_rules: IdIndex
    cache: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    """Per-network memo of derived values (Python lists for the kernel, opening windows
    per departure week); filled on first use, never changes a result."""

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.arc_link.shape[0])

    @property
    def n_states(self) -> int:
        """Number of (place, mode, gauge) states."""
        return int(self.state_place.shape[0])

    def arc_direction(self, arc: int) -> tuple[str, str]:
        """(from place id, to place id) of an arc."""
        return self.places.id(int(self.arc_from[arc])), self.places.id(int(self.arc_to[arc]))

    def out_arcs(self, place: int) -> IntArray:
        """Arcs leaving place index ``place``."""
        return self.out_arc[self.out_ptr[place] : self.out_ptr[place + 1]]

    def boardings(self, arc: int) -> range:
        """Positions in the ``board_*`` arrays of the services boardable on ``arc``."""
        return range(int(self.board_ptr[arc]), int(self.board_ptr[arc + 1]))

    def state(self, place: int, mode: int, gauge: int = NO_GAUGE) -> int:
        """State index of (place index, mode code, gauge mm or 0); ``-1`` if none."""
        table = self.cache.get("state_index")
        if table is None:
            table = self.cache["state_index"] = {
                k: i
                for i, k in enumerate(
                    zip(
                        self.state_place.tolist(),
                        self.state_mode.tolist(),
                        self.state_gauge.tolist(),
                        strict=True,
                    )
                )
            }
        return int(table.get((place, mode, gauge), -1))

    def transfer(self, from_state: int, to_state: int) -> int:
        """Transfer index between two states at one place, either way; ``-1`` if none."""
        return self.transfer_between.get(from_state * self.n_states + to_state, -1)

    def link_countries(self, link: int) -> IntArray:
        """Country indexes a link touches."""
        return self.link_country_idx[self.link_country_ptr[link] : self.link_country_ptr[link + 1]]


def closures_by_crossing(network: Network) -> dict[str, tuple[Closure, ...]]:
    """Each crossing's closures: those naming it, its link, or a place at an end of it."""
    by_target: dict[str, list[Closure]] = {}
    for cl in network.closures.values():
        by_target.setdefault(cl.applies_to, []).append(cl)
    out: dict[str, tuple[Closure, ...]] = {}
    if not by_target:
        return out
    for c in network.crossings.values():
        link = network.links.get(c.link)
        ends = link.ends() if link is not None else ()
        got = {cl.id: cl for key in (c.id, c.link, *ends) for cl in by_target.get(key, ())}
        if got:
            out[c.id] = tuple(got.values())
    return out


def _csr(groups: Sequence[Sequence[int] | range]) -> tuple[IntArray, IntArray]:
    ptr = np.zeros(len(groups) + 1, dtype=np.int64)
    ptr[1:] = np.cumsum([len(g) for g in groups])
    flat = np.fromiter((x for g in groups for x in g), dtype=np.int64, count=int(ptr[-1]))
    return ptr, flat


def compile_network(network: Network) -> CompiledNetwork:
    """Compile a validated network into arrays.

    Parameters
    ----------
    network
        A network that passed validation (see :func:`silkway.load_network`).

    Returns
    -------
    CompiledNetwork
    """
    places = IdIndex(network.places)
    links = IdIndex(network.links)
    services = IdIndex(network.services)
    transfers = IdIndex(network.transfers)
    crossings = IdIndex(network.crossings)
    place_recs = list(network.places.values())
    link_recs = list(network.links.values())
    # countries a link's geometry runs in count as its transit countries too, so that
    # avoiding a country avoids every link whose line crosses it
    geo_countries = [geometry_countries(network, k) for k in link_recs]
    countries = IdIndex(
        sorted(
            {p.country for p in place_recs}
            | {c for k in link_recs for c in getattr(k, "transit_countries", ())}
            | {c for codes in geo_countries for c in codes}
        )
    )
    crossing_of = {(c.link, c.from_id): crossings.index(c.id) for c in network.crossings.values()}
    crossing_recs = list(network.crossings.values())

    # states: every (place, mode, gauge) some link end or transfer uses
    state_of: dict[tuple[int, int, int], int] = {}

    def state(p: int, m: int, g: int) -> int:
        key = (p, m, g)
        s = state_of.get(key)
        if s is None:
            s = state_of[key] = len(state_of)
        return s

    arc_rows: list[tuple[int, int, int, int, int, float, float, int, int, int]] = []
    arc_key: dict[tuple[str, bool], int] = {}
    for li, link in enumerate(link_recs):
        hours = link.moving_hours()
        m, g = mode_code(link.mode), link.gauge_mm or NO_GAUGE
        for reverse in (False, True) if link.bidirectional else (False,):
            a, b = (link.to_id, link.from_id) if reverse else (link.from_id, link.to_id)
            pa, pb = places.index(a), places.index(b)
            arc_key[(link.id, reverse)] = len(arc_rows)
            arc_rows.append(
                (
                    li,
                    pa,
                    pb,
                    m,
                    g,
                    link.km,
                    hours,
                    crossing_of.get((link.id, a), -1),
                    state(pa, m, g),
                    state(pb, m, g),
                )
            )
    n_arcs = len(arc_rows)
    cols = list(zip(*arc_rows, strict=True)) if arc_rows else [()] * 10
    arc_hours = np.array(cols[6], dtype=np.float64)
    arc_crossing = np.array(cols[7], dtype=np.int64)
    crossing_hours = np.array([c.dwell.median_hours for c in crossing_recs], dtype=np.float64)

    boards: list[list[tuple[int, float, int]]] = [[] for _ in range(n_arcs)]
    for si, svc in enumerate(network.services.values()):
        for reverse in (False, True) if svc.bidirectional else (False,):
            seq = list(reversed(svc.links)) if reverse else list(svc.links)
            run = [network.links[lid] for lid in seq]
            # the arc of each link in travel direction, or -1 where that direction is missing
            arcs = [
                arc_key.get((lid, not travels_forward(run, i, lone_forward=not reverse)), -1)
                for i, lid in enumerate(seq)
            ]
            offset = 0.0
            for i, arc in enumerate(arcs):
                if arc < 0:
                    continue
                nxt = arcs[i + 1] if i + 1 < len(arcs) else -1
                boards[arc].append((si, offset, nxt))
                offset += float(arc_hours[arc])
                if arc_crossing[arc] >= 0:
                    offset += float(crossing_hours[arc_crossing[arc]])
    board_ptr, _ = _csr([range(len(bs)) for bs in boards])
    flat_boards = [b for bs in boards for b in bs]

    out: list[list[int]] = [[] for _ in range(len(places))]
    for ai, row in enumerate(arc_rows):
        out[row[1]].append(ai)
    out_ptr, out_arc = _csr(out)

    transfer_recs = list(network.transfers.values())
    transfer_between: dict[int, int] = {}
    t_states: list[tuple[int, int]] = []
    for t in transfer_recs:
        p = places.index(t.place)
        s1 = state(p, mode_code(t.from_mode), t.from_gauge_mm or NO_GAUGE)
        s2 = state(p, mode_code(t.to_mode), t.to_gauge_mm or NO_GAUGE)
        t_states.append((s1, s2))
    n_states = len(state_of)
    for ti, (s1, s2) in enumerate(t_states):
        transfer_between[s1 * n_states + s2] = ti
        transfer_between[s2 * n_states + s1] = ti
    states = sorted(state_of.items(), key=lambda kv: kv[1])

    served = {lid for svc in network.services.values() for lid in svc.links}
    moving_ratio = {
        m: max(1.0, network.parameter(f"moving_p90_ratio_{m}", DEFAULT_MOVING_P90_RATIO))
        for m in MODES
    }
    country_of = {pid: p.country for pid, p in network.places.items()}

    def link_country_list(k: Any, geo: list[str]) -> list[int]:
        # in travel order: the geometry knows where each country lies
        transit = getattr(k, "transit_countries", ())
        codes = dict.fromkeys([country_of[k.from_id], *geo, *transit, country_of[k.to_id]])
        return [countries.index(c) for c in codes]

    link_country_ptr, link_country_idx = _csr(
        [link_country_list(k, g) for k, g in zip(link_recs, geo_countries, strict=True)]
    )
    intensities = link_intensities(network, link_recs)

    group_names: dict[str, int] = {}

    def group(name: str) -> int:
        return group_names.setdefault(name, len(group_names))

    def span(codes: Sequence[str]) -> str:
        return "-".join(sorted(set(codes)))

    link_group = [group(f"move:{k.mode}:{span([country_of[k.from_id]])}") for k in link_recs]
    transfer_group = [group(f"hub:{country_of[t.place]}") for t in transfer_recs]
    crossing_group = []
    for c in crossing_recs:
        lk = network.links[c.link]
        crossing_group.append(
            group(f"border:{lk.mode}:{span([country_of[lk.from_id], country_of[lk.to_id]])}")
        )
    service_group = []
    for s in network.services.values():
        codes = [country_of[p] for lid in s.links for p in network.links[lid].ends()]
        service_group.append(group(f"service:{s.mode}:{span(codes)}"))

    def far_end(c: Any) -> str:
        lk = network.links[c.link]
        return lk.to_id if c.from_id == lk.from_id else lk.from_id

    closures = closures_by_crossing(network)

    unit = COST_UNITS.index
    service_recs = list(network.services.values())
    by_train = train_arrays(network, link_recs, crossing_recs, served)
    arc_link = np.array(cols[0], dtype=np.int64)
    storm_p = np.zeros((len(service_recs), 12), dtype=np.float64)
    storm_spell = np.ones((len(service_recs), 12), dtype=np.float64)
    storm_region = [""] * len(service_recs)
    for w in network.weather.values():
        for sid in w.services:
            if sid not in network.services:
                continue  # reported by validation; a network built in memory may skip it
            si = services.index(sid)
            storm_p[si, w.month - 1] = w.storm_day_probability
            storm_spell[si, w.month - 1] = w.mean_spell_days
            storm_region[si] = w.region
    return CompiledNetwork(
        network=network,
        places=places,
        links=links,
        services=services,
        transfers=transfers,
        crossings=crossings,
        countries=countries,
        names=PlaceIndex.of(network),
        payload_t_per_teu=network.parameter("payload_t_per_teu", DEFAULT_PAYLOAD_T_PER_TEU),
        teu_per_feu=network.parameter("teu_per_feu", DEFAULT_TEU_PER_FEU),
        delay_correlation=min(
            1.0, max(0.0, network.parameter("delay_correlation", DEFAULT_DELAY_CORRELATION))
        ),
        teu_volume_m3=network.parameter("teu_volume_m3", DEFAULT_TEU_VOLUME_M3),
        general_density_kg_per_m3=network.parameter(
            "general_density_kg_per_m3", DEFAULT_GENERAL_DENSITY_KG_PER_M3
        ),
        air_volume_cm3_per_kg=network.parameter(
            "air_volume_cm3_per_kg", DEFAULT_AIR_VOLUME_CM3_PER_KG
        ),
        vehicle_teu=np.array(
            [network.parameter(f"vehicle_teu_{m}", math.nan) for m in MODES], dtype=np.float64
        ),
        vehicle_t=np.array(
            [network.parameter(f"vehicle_t_{m}", math.nan) for m in MODES], dtype=np.float64
        ),
        place_country=tuple(p.country for p in place_recs),
        place_country_idx=np.array(
            [countries.index(p.country) for p in place_recs], dtype=np.int64
        ),
        place_lat=np.array([p.lat for p in place_recs], dtype=np.float64),
        place_lon=np.array([p.lon for p in place_recs], dtype=np.float64),
        place_tz=tuple(getattr(p, "tz", "") for p in place_recs),
        state_place=np.array([k[0] for k, _ in states], dtype=np.int64),
        state_mode=np.array([k[1] for k, _ in states], dtype=np.int64),
        state_gauge=np.array([k[2] for k, _ in states], dtype=np.int64),
        arc_link=arc_link,
        arc_from=np.array(cols[1], dtype=np.int64),
        arc_to=np.array(cols[2], dtype=np.int64),
        arc_from_state=np.array(cols[8], dtype=np.int64),
        arc_to_state=np.array(cols[9], dtype=np.int64),
        arc_mode=np.array(cols[3], dtype=np.int64),
        arc_gauge=np.array(cols[4], dtype=np.int64),
        arc_km=np.array(cols[5], dtype=np.float64),
        arc_hours=arc_hours,
        arc_crossing=arc_crossing,
        arc_served=np.array([link_recs[int(li)].id in served for li in cols[0]], dtype=np.bool_),
        out_ptr=out_ptr,
        out_arc=out_arc,
        board_ptr=board_ptr,
        board_service=np.array([b[0] for b in flat_boards], dtype=np.int64),
        board_offset=np.array([b[1] for b in flat_boards], dtype=np.float64),
        board_next=np.array([b[2] for b in flat_boards], dtype=np.int64),
        link_mode=np.array([mode_code(k.mode) for k in link_recs], dtype=np.int64),
        link_km=np.array([k.km for k in link_recs], dtype=np.float64),
        link_cargo=np.array([cargo_mask(k.cargo) for k in link_recs], dtype=np.int64),
        link_planned=np.array([k.status == "planned" for k in link_recs], dtype=np.bool_),
        link_closed=np.array([k.status == "closed" for k in link_recs], dtype=np.bool_),
        link_open_year=np.array(
            [k.open_year or (NEVER if k.status == "planned" else 0) for k in link_recs],
            dtype=np.int64,
        ),
        link_wtw=intensities.wtw,
        link_ttw=intensities.ttw,
        link_grid_g_per_kwh=intensities.grid_g_per_kwh,
        link_grid_mix=intensities.grid_mix,
        link_cost_fixed=np.array([k.cost_fixed_usd for k in link_recs], dtype=np.float64),
        link_cost_per_km=np.array([k.cost_per_km_usd for k in link_recs], dtype=np.float64),
        link_cost_unit=np.array([unit(k.cost_unit) for k in link_recs], dtype=np.int64),
        link_capacity=np.array(
            [k.capacity if k.capacity is not None else math.nan for k in link_recs],
            dtype=np.float64,
        ),
        link_capacity_unit=np.array(
            [
                CAPACITY_UNITS.index(k.capacity_unit)
                if k.capacity is not None and k.capacity_unit in CAPACITY_UNITS
                else -1
                for k in link_recs
            ],
            dtype=np.int64,
        ),
        link_sigma=np.array(
            [math.log(moving_ratio[k.mode]) / Z90 for k in link_recs], dtype=np.float64
        ),
        link_country_ptr=link_country_ptr,
        link_country_idx=link_country_idx,
        link_group=np.array(link_group, dtype=np.int64),
        link_key=np.array([element_key("link", k.id) for k in link_recs], dtype=np.int64),
        transfer_place=np.array([places.index(t.place) for t in transfer_recs], dtype=np.int64),
        transfer_kind=tuple(t.kind for t in transfer_recs),
        transfer_counts=np.array(
            [t.kind in ("gauge_change", "transshipment") for t in transfer_recs], dtype=np.int64
        ),
        transfer_hours=np.array([t.dwell.median_hours for t in transfer_recs], dtype=np.float64),
        transfer_sigma=np.array([lognormal_sigma(t.dwell) for t in transfer_recs]),
        transfer_cost=np.array([t.cost_usd for t in transfer_recs], dtype=np.float64),
        transfer_cost_unit=np.array([unit(t.cost_unit) for t in transfer_recs], dtype=np.int64),
        transfer_co2_per_teu=np.array([t.co2e_kg_per_teu for t in transfer_recs], dtype=np.float64),
        transfer_group=np.array(transfer_group, dtype=np.int64),
        transfer_key=np.array(
            [element_key("transfer", t.id) for t in transfer_recs], dtype=np.int64
        ),
        transfer_between=transfer_between,
        crossing_hours=crossing_hours,
        crossing_sigma=np.array([lognormal_sigma(c.dwell) for c in crossing_recs]),
        crossing_cost=np.array([c.cost_usd for c in crossing_recs], dtype=np.float64),
        crossing_cost_unit=np.array([unit(c.cost_unit) for c in crossing_recs], dtype=np.int64),
        crossing_mode=np.array(
            [mode_code(network.links[c.link].mode) for c in crossing_recs], dtype=np.int64
        ),
        crossing_open_days=tuple(tuple(c.open_days) for c in crossing_recs),
        crossing_open_hours=tuple(c.open_hours for c in crossing_recs),
        crossing_closures=tuple(closures.get(c.id, ()) for c in crossing_recs),
        crossing_transload=np.array(
            [getattr(c, "transload", False) for c in crossing_recs], dtype=np.bool_
        ),
        crossing_always_open=np.array(
            [
                len(set(c.open_days)) == 7 and c.open_hours is None and c.id not in closures
                for c in crossing_recs
            ],
            dtype=np.bool_,
        ),
        crossing_tz=tuple(getattr(network.places[far_end(c)], "tz", "") for c in crossing_recs),
        crossing_group=np.array(crossing_group, dtype=np.int64),
        crossing_key=np.array(
            [element_key("crossing", c.id) for c in crossing_recs], dtype=np.int64
        ),
        service_queue=np.array([s.kind == "queue" for s in service_recs], dtype=np.bool_),
        service_hours=np.array(
            [s.wait.median_hours if s.wait else 0.0 for s in service_recs], dtype=np.float64
        ),
        service_sigma=np.array(
            [lognormal_sigma(s.wait) if s.wait else 0.0 for s in service_recs], dtype=np.float64
        ),
        service_cargo=np.array([cargo_mask(s.cargo) for s in service_recs], dtype=np.int64),
        service_mode=np.array([mode_code(s.mode) for s in service_recs], dtype=np.int64),
        service_departures=tuple(
            np.array(s.departures, dtype=np.float64) if s.kind == "timetable" else None
            for s in service_recs
        ),
        service_group=np.array(service_group, dtype=np.int64),
        service_key=np.array([element_key("service", s.id) for s in service_recs], dtype=np.int64),
        service_capacity_teu=np.array(
            [s.capacity_teu if s.capacity_teu is not None else math.nan for s in service_recs],
            dtype=np.float64,
        ),
        service_storm_p=storm_p,
        service_storm_spell=storm_spell,
        service_storm_key=np.array(
            [element_key("weather", r) if r else 0 for r in storm_region], dtype=np.int64
        ),
        service_storm_region=tuple(storm_region),
        groups=IdIndex(group_names),
        train_types=TRAIN_TYPES,
        default_train=TRAIN_TYPES.index(BASE_TRAIN),
        arc_hours_by_train=by_train.link_hours[:, arc_link],
        link_cost_per_km_by_train=by_train.link_cost_per_km,
        crossing_hours_by_train=by_train.crossing_hours,
        crossing_sigma_by_train=by_train.crossing_sigma,
        link_train_rule=by_train.link_rule,
        crossing_train_rule=by_train.crossing_rule,
        train_rules=by_train.rules,
    )
