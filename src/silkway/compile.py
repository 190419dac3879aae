"""Compile a :class:`Network` once into arrays for the search engine.

The compiled network is state-expanded: a *state* is (place, mode, gauge), and an
*arc* is one usable direction of a link, from a state to a state of the same mode and
gauge. Transfers connect states at one place. This module owns the single mapping
between ids and array indexes (:class:`IdIndex`); nothing else turns one into the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .engine.timing import weekly_windows
from .model.records import CARGO_CLASSES, MODES, Network, travels_forward

_NO_GAUGE = 0


class IdIndex:
    """A fixed, ordered mapping between string ids and array indexes.

    Parameters
    ----------
    ids
        Ids in index order; must be unique.
    """

    __slots__ = ("_ids", "_index")

    def __init__(self, ids: Iterable[str]) -> None:
        self._ids: tuple[str, ...] = tuple(ids)
        self._index: dict[str, int] = {k: i for i, k in enumerate(self._ids)}
        if len(self._index) != len(self._ids):
            raise ValueError("ids must be unique")

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, key: object) -> bool:
        return key in self._index

    def index(self, key: str) -> int:
        """Array index of ``key`` (raises ``KeyError`` if unknown)."""
        return self._index[key]

    def id(self, index: int) -> str:
        """Id at array index ``index``."""
        return self._ids[index]

    @property
    def ids(self) -> tuple[str, ...]:
        """All ids in index order."""
        return self._ids


@dataclass(frozen=True, slots=True)
class Boarding:
    """A service that can be boarded on an arc."""

    service: int
    """Service index."""
    reverse: bool
    """Whether the service runs against the listed link order here."""
    offset_hours: float
    """Moving time of the service's earlier links, added to its departures."""
    next_arc: int
    """Arc that continues this service after this one, or -1."""


@dataclass(frozen=True, slots=True)
class CompiledNetwork:
    """Arrays the search runs on. Built by :func:`compile_network`; read-only after."""

    network: Network
    places: IdIndex
    links: IdIndex
    services: IdIndex
    transfers: IdIndex
    crossings: IdIndex
    # places
    place_country: tuple[str, ...]
    place_lat: NDArray[np.float64]
    place_lon: NDArray[np.float64]
    # arcs (one per usable direction of a link)
    arc_link: NDArray[np.int64]
    arc_from: NDArray[np.int64]
    arc_to: NDArray[np.int64]
    arc_mode: NDArray[np.int64]
    arc_gauge: NDArray[np.int64]
    arc_km: NDArray[np.float64]
    arc_hours: NDArray[np.float64]
    arc_crossing: NDArray[np.int64]
    arc_boardings: tuple[tuple[Boarding, ...], ...]
    arc_served: NDArray[np.bool_]
    """Whether an arc's link carries services: then it can only be used by boarding one,
    even in a direction none of them runs (a one-way service on a two-way link)."""
    out_arcs: tuple[tuple[int, ...], ...]
    """Arc indexes leaving each place."""
    # per link
    link_cargo: NDArray[np.int64]
    """Bitmask of cargo classes a link accepts."""
    link_planned: NDArray[np.bool_]
    link_closed: NDArray[np.bool_]
    link_wtw: NDArray[np.float64]
    link_ttw: NDArray[np.float64]
    # transfers: (place, from state, to state) -> transfer index, both directions
    transfer_at: dict[tuple[int, int, int, int, int], int] = field(default_factory=dict)
    # opening windows per crossing: (k, 2) hours-of-week intervals, or None if always open
    crossing_windows: tuple[NDArray[np.float64] | None, ...] = ()

    @property
    def n_arcs(self) -> int:
        """Number of arcs."""
        return int(self.arc_link.shape[0])

    def arc_direction(self, arc: int) -> tuple[str, str]:
        """(from place id, to place id) of an arc."""
        return self.places.id(int(self.arc_from[arc])), self.places.id(int(self.arc_to[arc]))


def mode_code(mode: str) -> int:
    """Small integer code of a mode (index in ``MODES``)."""
    return MODES.index(mode)


def cargo_mask(classes: Sequence[str]) -> int:
    """Bitmask of cargo classes."""
    mask = 0
    for c in classes:
        mask |= 1 << CARGO_CLASSES.index(c)
    return mask


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
    crossing_of = {(c.link, c.from_id): crossings.index(c.id) for c in network.crossings.values()}

    arc_rows: list[tuple[int, int, int, int, int, float, float, int]] = []
    arc_key: dict[tuple[str, bool], int] = {}
    for li, link in enumerate(network.links.values()):
        directions = [False, True] if link.bidirectional else [False]
        hours = link.moving_hours()
        for reverse in directions:
            a, b = (link.to_id, link.from_id) if reverse else (link.from_id, link.to_id)
            arc_key[(link.id, reverse)] = len(arc_rows)
            arc_rows.append(
                (
                    li,
                    places.index(a),
                    places.index(b),
                    mode_code(link.mode),
                    link.gauge_mm or _NO_GAUGE,
                    link.km,
                    hours,
                    crossing_of.get((link.id, a), -1),
                )
            )

    boardings: list[list[Boarding]] = [[] for _ in arc_rows]
    for si, svc in enumerate(network.services.values()):
        variants = [False, True] if svc.bidirectional else [False]
        for reverse in variants:
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
                boardings[arc].append(Boarding(si, reverse, offset, nxt))
                offset += float(arc_rows[arc][6])

    out: list[list[int]] = [[] for _ in range(len(places))]
    for ai, row in enumerate(arc_rows):
        out[row[1]].append(ai)

    transfer_at: dict[tuple[int, int, int, int, int], int] = {}
    for ti, t in enumerate(network.transfers.values()):
        p = places.index(t.place)
        s1 = (mode_code(t.from_mode), t.from_gauge_mm or _NO_GAUGE)
        s2 = (mode_code(t.to_mode), t.to_gauge_mm or _NO_GAUGE)
        transfer_at[(p, *s1, *s2)] = ti
        transfer_at[(p, *s2, *s1)] = ti

    link_list = list(network.links.values())
    served = {lid for svc in network.services.values() for lid in svc.links}
    ef = network.emission_factors
    cols = list(zip(*arc_rows, strict=True)) if arc_rows else [()] * 8
    return CompiledNetwork(
        network=network,
        places=places,
        links=links,
        services=services,
        transfers=transfers,
        crossings=crossings,
        place_country=tuple(p.country for p in network.places.values()),
        place_lat=np.array([p.lat for p in network.places.values()], dtype=np.float64),
        place_lon=np.array([p.lon for p in network.places.values()], dtype=np.float64),
        arc_link=np.array(cols[0], dtype=np.int64),
        arc_from=np.array(cols[1], dtype=np.int64),
        arc_to=np.array(cols[2], dtype=np.int64),
        arc_mode=np.array(cols[3], dtype=np.int64),
        arc_gauge=np.array(cols[4], dtype=np.int64),
        arc_km=np.array(cols[5], dtype=np.float64),
        arc_hours=np.array(cols[6], dtype=np.float64),
        arc_crossing=np.array(cols[7], dtype=np.int64),
        arc_boardings=tuple(tuple(b) for b in boardings),
        arc_served=np.array([link_list[int(li)].id in served for li in cols[0]], dtype=np.bool_),
        out_arcs=tuple(tuple(o) for o in out),
        link_cargo=np.array([cargo_mask(k.cargo) for k in link_list], dtype=np.int64),
        link_planned=np.array([k.status == "planned" for k in link_list], dtype=np.bool_),
        link_closed=np.array([k.status == "closed" for k in link_list], dtype=np.bool_),
        link_wtw=np.array([ef[k.emission_factor].wtw_g_per_tkm for k in link_list]),
        link_ttw=np.array([ef[k.emission_factor].ttw_g_per_tkm for k in link_list]),
        transfer_at=transfer_at,
        crossing_windows=tuple(
            weekly_windows(c.open_days, c.open_hours) for c in network.crossings.values()
        ),
    )
