"""The network as the store sees it: places (with UN/LOCODEs), crossings, shortest distances.

These Arrow tables fill ``sw_places``, ``sw_crossings`` and ``sw_distances`` (see
:meth:`silkway.monitor.store.Store.sync_network`); :func:`place_lookup` and
:func:`crossing_ends` are what row validation needs of the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from ..model.records import Network

ANY_MODE = "any"
"""Distance mode measured over the links of every mode."""


def normalize_locode(text: str) -> str:
    """A UN/LOCODE in its 5-letter form: ``"kz ala"`` -> ``"KZALA"``."""
    return "".join(text.split()).upper()


def place_lookup(network: Network) -> dict[str, str]:
    """Every way an event log may name a place -> the place id.

    Place ids map to themselves; each place's UN/LOCODE maps to the place's id, written
    as five letters or with a space after the country (``KZALA``, ``KZ ALA``), in upper
    or lower case. A LOCODE shared by several places maps to the first in file order.
    """
    lookup: dict[str, str] = {}
    for place in network.places.values():
        if place.locode:
            code = normalize_locode(place.locode)
            for form in (code, f"{code[:2]} {code[2:]}"):
                lookup.setdefault(form, place.id)
                lookup.setdefault(form.lower(), place.id)
    for place in network.places.values():  # ids win over LOCODEs
        lookup[place.id] = place.id
    return lookup


def other_end(network: Network, link_id: str, place_id: str) -> str:
    """The end of a link that is not ``place_id``."""
    link = network.links[link_id]
    return link.to_id if link.from_id == place_id else link.from_id


def place_table(network: Network) -> pa.Table:
    """Rows of ``sw_places``: id, English name, country, kind, LOCODE (or null)."""
    import pyarrow as pa

    places = list(network.places.values())
    return pa.table(
        {
            "place_id": [p.id for p in places],
            "name": [p.name_en for p in places],
            "country": [p.country for p in places],
            "kind": [p.kind for p in places],
            "locode": [normalize_locode(p.locode) if p.locode else None for p in places],
        }
    )


def crossing_table(network: Network) -> pa.Table:
    """Rows of ``sw_crossings``: a crossing is entered at ``from_place`` and left at
    ``to_place``, the other end of its link (the convention of
    :data:`silkway.monitor.schema.BORDER_PAIR`)."""
    import pyarrow as pa

    rows = []
    for x in network.crossings.values():
        link = network.links[x.link]
        to = other_end(network, x.link, x.from_id)
        rows.append(
            (
                x.id,
                x.name,
                x.link,
                link.mode,
                x.from_id,
                to,
                network.places[x.from_id].country,
                network.places[to].country,
            )
        )
    names = (
        "crossing_id",
        "name",
        "link_id",
        "mode",
        "from_place",
        "to_place",
        "from_country",
        "to_country",
    )
    return pa.table({n: [r[i] for r in rows] for i, n in enumerate(names)})


def crossing_ends(network: Network) -> pa.Table:
    """(entry place, exit place) of every crossing: where ``border_entry`` and
    ``border_exit`` events of one crossing are recorded."""
    return crossing_table(network).select(["from_place", "to_place"])


def distance_table(
    network: Network, pairs: Sequence[tuple[str, str, str]] | None = None
) -> pa.Table:
    """Shortest distances in km between places, on the links of one mode.

    Parameters
    ----------
    network
        The network whose links are measured (every status: an observed shipment
        used the link, planned or not). A link that is not bidirectional is
        measured one way only.
    pairs
        ``(from place, to place, mode)`` triples to measure, mode one of the
        network's link modes or :data:`ANY_MODE`; ``None``: every connected pair of
        every mode and of :data:`ANY_MODE`. Unknown places and unconnected pairs are
        left out.

    Returns
    -------
    pyarrow.Table
        Columns ``from_place``, ``to_place``, ``mode``, ``km`` (the pair itself is
        left out when from and to are the same place).
    """
    import numpy as np
    import pyarrow as pa
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import dijkstra

    ids = list(network.places)
    index = {pid: i for i, pid in enumerate(ids)}
    n = len(ids)
    modes = [*sorted({link.mode for link in network.links.values()}), ANY_MODE]
    wanted: dict[str, list[tuple[int, int]]] = {}
    if pairs is not None:
        for p, q, m in sorted(set(pairs)):
            if p in index and q in index and p != q and m in modes:
                wanted.setdefault(m, []).append((index[p], index[q]))
    out_from: list[str] = []
    out_to: list[str] = []
    out_mode: list[str] = []
    out_km: list[float] = []
    for mode in modes:
        if pairs is not None and mode not in wanted:
            continue
        rows, cols, km = [], [], []
        for link in network.links.values():
            if mode not in (ANY_MODE, link.mode):
                continue
            a, b = index[link.from_id], index[link.to_id]
            rows.append(a)
            cols.append(b)
            km.append(link.km)
            if link.bidirectional:
                rows.append(b)
                cols.append(a)
                km.append(link.km)
        if not km:
            continue
        # parallel links: csr sums duplicates, so keep the shortest of each pair first
        best: dict[tuple[int, int], float] = {}
        for a, b, d in zip(rows, cols, km, strict=True):
            best[(a, b)] = min(d, best.get((a, b), np.inf))
        keys = list(best)
        graph = csr_matrix(
            (
                [max(best[k], 1e-9) for k in keys],
                ([k[0] for k in keys], [k[1] for k in keys]),
            ),
            shape=(n, n),
        )
        if pairs is None:
            dist = dijkstra(graph, directed=True)
            src, dst = np.nonzero(np.isfinite(dist) & ~np.eye(n, dtype=bool))
            values = dist[src, dst]
        else:
            todo = wanted[mode]
            sources = sorted({a for a, _ in todo})
            dist = dijkstra(graph, directed=True, indices=sources)
            row_of = {s: i for i, s in enumerate(sources)}
            src = np.array([a for a, _ in todo], dtype=np.int64)
            dst = np.array([b for _, b in todo], dtype=np.int64)
            values = dist[[row_of[a] for a in src.tolist()], dst]
            keep = np.isfinite(values)
            src, dst, values = src[keep], dst[keep], values[keep]
        out_from += [ids[i] for i in src.tolist()]
        out_to += [ids[i] for i in dst.tolist()]
        out_mode += [mode] * len(values)
        out_km += [float(v) for v in np.round(values, 6)]
    return pa.table(
        {
            "from_place": pa.array(out_from, pa.string()),
            "to_place": pa.array(out_to, pa.string()),
            "mode": pa.array(out_mode, pa.string()),
            "km": pa.array(out_km, pa.float64()),
        }
    )
