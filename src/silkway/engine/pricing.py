"""Per-query numbers: what a query may use, and what each element costs for its cargo.

:func:`allowed` turns a :class:`~silkway.engine.query.Query` into masks over arcs,
transfers and services; :func:`price` adds the cost, CO2e and median times of every
element for the query's cargo. Both read only the compiled arrays.

Cargo size counts twice. A consignment larger than one vehicle takes several: on the
road each truck is paid (whole trucks for containers and bulk, a share of one for a
part load of general cargo). And a consignment must fit what it uses: one departure of
a service, one vessel or aircraft on sea, ferry and air links, and a link's capacity
where the network gives one (trains or trucks a day, TEU or tonnes a year). The
elements it does not fit are masked by :func:`allowed`; :func:`too_large` says which.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from ..compile import CompiledNetwork
from ..compile.timing import OpenWindows, opening_windows
from ..model.records import CAPACITY_UNITS, CARGO_CLASSES, COST_UNITS, MODES
from .advisories import avoided
from .cargo import LOOSE_MODES, ONE_DEPARTURE_MODES, PART_LOAD_CLASSES, Basis, Cargo
from .driving import PARAMETERS as DRIVE_PARAMETERS
from .driving import DriveRules, rules_of
from .query import Query
from .weather import median_hold_days

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Allowed:
    """What a query may use: masks over arcs, transfers and services."""

    arc_ok: BoolArray
    transfer_ok: BoolArray
    service_ok: BoolArray


class Windows:
    """Opening windows of every border post for one departure week, built on first use.

    Parameters
    ----------
    net
        The compiled network (its cache keeps the windows of each week).
    query
        Supplies the frame start (Monday 00:00 UTC of the departure week).
    """

    __slots__ = ("_frame", "_net", "_ready")

    def __init__(self, net: CompiledNetwork, query: Query) -> None:
        self._net = net
        self._frame = query.frame
        self._ready: dict[int, OpenWindows | None] = {}

    @property
    def frame(self) -> object:
        """The departure week these windows are for (its Monday 00:00 UTC)."""
        return self._frame

    def __getitem__(self, crossing: int) -> OpenWindows | None:
        """Windows of crossing index ``crossing`` (``None`` if always open)."""
        got = self._ready.get(crossing, False)
        if got is not False:
            return got  # type: ignore[return-value]
        net = self._net
        key = ("windows", crossing, self._frame)
        if key not in net.cache:
            net.cache[key] = (
                None
                if net.crossing_always_open[crossing]
                else opening_windows(
                    net.crossing_open_days[crossing],
                    net.crossing_open_hours[crossing],
                    net.crossing_tz[crossing],
                    self._frame,
                    closures=[(cl.start, cl.end) for cl in net.crossing_closures[crossing]],
                )
            )
        value: OpenWindows | None = net.cache[key]
        self._ready[crossing] = value
        return value


@dataclass(frozen=True, slots=True)
class Costing:
    """Per-query numbers for every arc, transfer, crossing and service (median basis).

    The moving hours of the arcs and the dwell of the crossings are those of the query's
    train type (``train``, a row of the compiled network's ``*_by_train`` arrays).
    """

    arc_ok: BoolArray
    arc_hours: FloatArray
    """Moving hours of every arc for the query's train type."""
    arc_cost_usd: FloatArray
    arc_co2_kg: FloatArray
    transfer_ok: BoolArray
    transfer_hours: FloatArray
    transfer_cost_usd: FloatArray
    transfer_co2_kg: FloatArray
    transfer_counts: NDArray[np.int64]
    crossing_hours: FloatArray
    crossing_sigma: FloatArray
    """Lognormal sigma of each crossing's dwell (for the Monte Carlo)."""
    crossing_cost_usd: FloatArray
    service_ok: BoolArray
    service_wait_hours: FloatArray
    """Median wait of queue services (unused for timetabled ones)."""
    service_departures: tuple[FloatArray | None, ...]
    """Weekly departures from the first stop (hours of the UTC week), ``None`` for queues."""
    service_storm_days: tuple[NDArray[np.int64] | None, ...]
    """Median storm hold in days per day from the frame start, per service; ``None``
    where it is zero all year (see :mod:`silkway.engine.weather`)."""
    windows: Windows
    tonnes: float
    teu: float
    cargo: Cargo
    """The consignment priced (its conversion into cost units is attributed to the
    network parameters it uses, :mod:`.attribution`)."""
    train: int = 0
    """Row of the query's train type in the compiled ``*_by_train`` arrays."""
    drive_rules: DriveRules | None = None
    """Driving-time rules of the query's crew, or ``None`` where the network has none."""
    arc_cfs_usd: FloatArray | None = None
    """The part of ``arc_cost_usd`` that is a container freight station charge
    (:func:`part_load_handling`); ``None`` where there is none."""
    transfer_cfs_usd: FloatArray | None = None
    """The part of ``transfer_cost_usd`` that is a container freight station charge."""


def allowed(net: CompiledNetwork, query: Query) -> Allowed:
    """Masks of the arcs, transfers and services ``query`` may use."""
    cls_bit = 1 << CARGO_CLASSES.index(query.cargo_class)
    link_ok = ~net.link_closed & (
        ~net.link_planned | query.include_planned | (net.link_open_year <= query.as_of)
    )
    link_ok &= (net.link_cargo & cls_bit) != 0
    if query.modes != frozenset(MODES):
        wanted = np.array([m in query.modes for m in MODES], dtype=np.bool_)
        link_ok &= wanted[net.link_mode]
    avoid_countries, avoid_places = query.avoid_countries, query.avoid_places
    banned_crossing = None
    if query.avoid_advisory is not None:
        av = avoided(net, query.depart.date(), query.avoid_advisory)
        avoid_countries = avoid_countries | av.countries
        avoid_places = avoid_places | av.places
        link_ok &= ~av.links
        banned_crossing = av.crossings if av.crossings.any() else None
    if avoid_countries:
        touched = np.zeros(len(net.links), dtype=np.bool_)
        banned_country = np.zeros(len(net.countries), dtype=np.bool_)
        for c in avoid_countries:
            if c in net.countries:
                banned_country[net.countries.index(c)] = True
        hit = banned_country[net.link_country_idx]
        links_hit = np.repeat(np.arange(len(net.links)), np.diff(net.link_country_ptr))[hit]
        touched[links_hit] = True
        link_ok &= ~touched
    link_ok &= fits_links(net, query.cargo)
    arc_ok = link_ok[net.arc_link]
    if banned_crossing is not None:
        crossing = net.arc_crossing
        arc_ok &= ~((crossing >= 0) & banned_crossing[np.maximum(crossing, 0)])
    transfer_ok = np.ones(len(net.transfers), dtype=np.bool_)
    if avoid_places:
        banned = np.zeros(len(net.places), dtype=np.bool_)
        for pid in avoid_places:
            banned[net.places.index(pid)] = True
        arc_ok &= ~banned[net.arc_from] & ~banned[net.arc_to]
        transfer_ok &= ~banned[net.transfer_place]
    service_ok = (net.service_cargo & cls_bit) != 0
    service_ok &= fits_one_vehicle(net, query.cargo)[net.service_mode]
    service_ok &= ~(Basis.of(net).teu(query.cargo) > net.service_capacity_teu)
    # a served arc is usable only by boarding a service the query may use
    served = np.flatnonzero(net.arc_served & arc_ok)
    if served.size:
        boardable = np.zeros(net.n_arcs, dtype=np.bool_)
        ok_board = service_ok[net.board_service]
        board_arc = np.repeat(np.arange(net.n_arcs), np.diff(net.board_ptr))
        boardable[board_arc[ok_board]] = True
        arc_ok[served] &= boardable[served]
    return Allowed(arc_ok, transfer_ok, service_ok)


def quantities(net: CompiledNetwork, cargo: Cargo, basis: Basis | None = None) -> FloatArray:
    """How many of each ``COST_UNITS`` unit the consignment is (slots and shares);
    ``basis``: the parameters to measure it with (default: the network's)."""
    basis = basis if basis is not None else Basis.of(net)
    return np.array([basis.quantity(cargo, u) for u in COST_UNITS], dtype=np.float64)


def quantities_by_mode(
    net: CompiledNetwork, cargo: Cargo, basis: Basis | None = None
) -> FloatArray:
    """``quantities`` per mode (rows in ``MODES`` order): where a mode is paid per
    vehicle (road), the row bills whole trucks, or a truck's share for a part load; where
    a mode has an LCL tariff, a part load's row bills its chargeable volume
    (:meth:`~.cargo.Basis.billed_as_part_load`)."""
    basis = basis if basis is not None else Basis.of(net)
    plain = quantities(net, cargo, basis)
    rows = []
    for mode in MODES:
        billed = basis.billed_by_vehicle(cargo, mode)
        if billed is None:
            billed = basis.billed_as_part_load(cargo, mode)
        rows.append(plain if billed is None else billed)
    return np.vstack(rows)


def part_load_handling(
    net: CompiledNetwork, query: Query, basis: Basis | None = None
) -> tuple[FloatArray, FloatArray]:
    """Container freight station (CFS) charges of a part load, per arc and per transfer.

    A part load on a consolidated mode (one with an LCL tariff, see
    :meth:`~.cargo.Basis.consolidated`) is packed into a shared container where it
    boards that mode and unpacked where it leaves it: on the arcs of such a mode that
    leave the query's origin or reach its destination, and on every transfer between
    such a mode and a mode on which it travels loose (road, air). A change between two
    consolidated modes (rail to sea at a port) moves the container, not the cargo, and
    costs nothing more. Zero everywhere for other cargo.
    """
    basis = basis if basis is not None else Basis.of(net)
    cargo = query.cargo
    fee = np.array([basis.cfs_usd(cargo, m) for m in MODES], dtype=np.float64)
    arc_fee = np.zeros(net.n_arcs, dtype=np.float64)
    transfer_fee = np.zeros(len(net.transfers), dtype=np.float64)
    if not fee.any():
        return arc_fee, transfer_fee
    ix = net.places.index
    ends = (net.arc_from == ix(query.origin)).astype(np.float64)
    ends += net.arc_to == ix(query.destination)
    arc_fee = ends * fee[net.arc_mode]
    loose = np.array([m in LOOSE_MODES for m in MODES], dtype=np.bool_)
    a, b = _transfer_modes(net)
    transfer_fee = np.where(loose[a], fee[b], 0.0) + np.where(loose[b], fee[a], 0.0)
    return arc_fee, transfer_fee


def _transfer_modes(net: CompiledNetwork) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """The two modes (indexes in ``MODES``) each transfer joins (cached per network)."""
    got: tuple[NDArray[np.int64], NDArray[np.int64]] | None = net.cache.get("transfer_modes")
    if got is None:
        recs = [net.network.transfers[net.transfers.id(i)] for i in range(len(net.transfers))]
        got = net.cache["transfer_modes"] = (
            np.array([MODES.index(t.from_mode) for t in recs], dtype=np.int64),
            np.array([MODES.index(t.to_mode) for t in recs], dtype=np.int64),
        )
    return got


def fits_one_vehicle(net: CompiledNetwork, cargo: Cargo) -> BoolArray:
    """Per mode: whether the consignment fits one vehicle (True where none is defined)."""
    basis = Basis.of(net)
    return np.array([not basis.vehicles(cargo, m) > 1 for m in MODES], dtype=np.bool_)


def link_limits(net: CompiledNetwork, cargo: Cargo) -> FloatArray:
    """Per link: how much of its capacity the consignment takes, as a share (above 1: it
    does not fit); NaN where the link gives no capacity silkway can compare."""
    basis = Basis.of(net)
    out = np.full(len(net.links), np.nan)
    have = np.flatnonzero(net.link_capacity_unit >= 0)
    if not have.size:
        return out
    need = {
        "TEU/year": basis.teu(cargo),
        "t/year": basis.tonnes(cargo),
        "Mt/year": basis.tonnes(cargo) / 1e6,
        "trains/day": basis.vehicles(cargo, "rail"),
        "trucks/day": basis.vehicles(cargo, "road"),
        "bcm/year": math.nan,  # gas volume: not comparable with a mass
    }
    needed = np.array([need[u] for u in CAPACITY_UNITS], dtype=np.float64)
    out[have] = needed[net.link_capacity_unit[have]] / net.link_capacity[have]
    return out


def fits_links(net: CompiledNetwork, cargo: Cargo) -> BoolArray:
    """Per link: whether the consignment fits its capacity and, on sea, ferry and air,
    one vessel or aircraft."""
    ok = ~(link_limits(net, cargo) > 1.0)
    one = fits_one_vehicle(net, cargo)
    for mode in ONE_DEPARTURE_MODES:
        if not one[MODES.index(mode)]:
            ok &= net.link_mode != MODES.index(mode)
    return ok


def too_large(net: CompiledNetwork, query: Query, *, most: int = 6) -> str:
    """Why the query's consignment does not fit: the vehicles and link capacities it
    exceeds, among the links that carry its class and are open in the query's year."""
    cargo = query.cargo
    basis = Basis.of(net)
    usable = (net.link_cargo & (1 << CARGO_CLASSES.index(cargo.cargo_class))) != 0
    usable &= ~net.link_closed & (
        ~net.link_planned | query.include_planned | (net.link_open_year <= query.as_of)
    )
    parts: list[tuple[float, str]] = []
    for m, mode in enumerate(MODES):
        n = basis.vehicles(cargo, mode)
        if not n > 1 or not np.any(usable & (net.link_mode == m)):
            continue
        cap = []
        if not math.isnan(basis.vehicle_teu[m]):
            cap.append(f"{basis.vehicle_teu[m]:,.0f} TEU")
        if not math.isnan(basis.vehicle_t[m]):
            cap.append(f"{basis.vehicle_t[m]:,.0f} t" + (" chargeable" if mode == "air" else ""))
        if mode in ONE_DEPARTURE_MODES:
            parts.append((n, f"one {_VEHICLE[mode]} ({' or '.join(cap)})"))
        elif bool(np.any(net.service_mode == m)):
            parts.append((n, f"one departure of a {mode} service ({' or '.join(cap)})"))
    teu = basis.teu(cargo)
    for si in np.flatnonzero(teu > net.service_capacity_teu).tolist():
        svc = net.network.services[net.services.id(si)]
        if any(usable[net.links.index(lid)] for lid in svc.links):
            per_departure = float(net.service_capacity_teu[si])
            parts.append(
                (teu / per_departure, f"one departure of {svc.name} ({per_departure:,.0f} TEU)")
            )
    limits = link_limits(net, cargo)
    names = net.network.places
    for li in np.flatnonzero((limits > 1.0) & usable):
        link = net.network.links[net.links.id(int(li))]
        a, b = names[link.from_id].name_en, names[link.to_id].name_en
        parts.append(
            (
                float(limits[li]),
                f"{link.mode} link {link.id} {a} – {b} ({link.capacity:,g} {link.capacity_unit})",
            )
        )
    parts.sort(key=lambda p: p[0])
    shown = [text for _, text in parts[:most]]
    more = f" and {len(parts) - most} more" if len(parts) > most else ""
    return (
        f"{cargo} is more than the routes can carry in one consignment: it exceeds "
        + "; ".join(shown)
        + more
        + ". Ship it as several smaller consignments."
    )


_VEHICLE = {
    "rail": "train",
    "road": "truck",
    "ferry": "ferry sailing",
    "sea": "sea vessel",
    "air": "aircraft",
    "pipeline": "batch",
}


def price(net: CompiledNetwork, query: Query, ok: Allowed | None = None) -> Costing:
    """Price every arc, transfer, crossing and service for ``query``'s cargo.

    ``ok`` is :func:`allowed` of the query, if the caller has it already.
    """
    ok = ok if ok is not None else allowed(net, query)
    qty = quantities(net, query.cargo)
    by_mode = quantities_by_mode(net, query.cargo)
    basis = Basis.of(net)
    tonnes = basis.tonnes(query.cargo)
    teu = basis.teu(query.cargo)
    t = net.train_types.index(query.train)
    per_km = net.link_cost_per_km_by_train[t]
    link_cost = (net.link_cost_fixed + per_km * net.link_km) * by_mode[
        net.link_mode, net.link_cost_unit
    ]
    road_params = drive_parameters(net)
    rules = rules_of(road_params, query.crew)
    extra = road_params.get("road_crew2_cost_per_km_usd", 0.0)
    if query.crew > 1 and rules is not None and extra > 0.0:
        # the second driver, paid per truck-km (a part load pays its share of a truck)
        trucks = basis.vehicle_share(query.cargo, "road")
        if query.cargo.cargo_class not in PART_LOAD_CLASSES:
            trucks = basis.vehicles(query.cargo, "road")
        if not math.isnan(trucks):
            road = net.link_mode == MODES.index("road")
            link_cost = link_cost + np.where(road, net.link_km * extra * trucks, 0.0)
    arc_cost = link_cost[net.arc_link]
    transfer_cost = net.transfer_cost * qty[net.transfer_cost_unit]
    arc_cfs, transfer_cfs = part_load_handling(net, query, basis)
    has_cfs = bool(arc_cfs.any() or transfer_cfs.any())
    if has_cfs:
        arc_cost = arc_cost + arc_cfs
        transfer_cost = transfer_cost + transfer_cfs
    return Costing(
        arc_ok=ok.arc_ok,
        arc_hours=net.arc_hours_by_train[t],
        arc_cost_usd=arc_cost,
        arc_co2_kg=net.arc_km * net.link_wtw[net.arc_link] * tonnes / 1000.0,
        transfer_ok=ok.transfer_ok,
        transfer_hours=net.transfer_hours,
        transfer_cost_usd=transfer_cost,
        transfer_co2_kg=net.transfer_co2_per_teu * teu,
        transfer_counts=net.transfer_counts,
        crossing_hours=net.crossing_hours_by_train[t],
        crossing_sigma=net.crossing_sigma_by_train[t],
        crossing_cost_usd=net.crossing_cost * by_mode[net.crossing_mode, net.crossing_cost_unit],
        service_ok=ok.service_ok,
        service_wait_hours=net.service_hours,
        service_departures=net.service_departures,
        service_storm_days=median_hold_days(net, query.frame),
        windows=Windows(net, query),
        tonnes=tonnes,
        teu=teu,
        cargo=query.cargo,
        train=t,
        drive_rules=rules,
        arc_cfs_usd=arc_cfs if has_cfs else None,
        transfer_cfs_usd=transfer_cfs if has_cfs else None,
    )


def drive_parameters(net: CompiledNetwork) -> dict[str, float]:
    """The network's driving-rule parameters (``driving.PARAMETERS``), cached per network."""
    got: dict[str, float] | None = net.cache.get("drive_parameters")
    if got is None:
        params = net.network.parameters
        got = {k: params[k].value for k in DRIVE_PARAMETERS if k in params}
        net.cache["drive_parameters"] = got
    return got
