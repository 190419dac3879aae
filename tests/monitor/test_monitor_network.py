"""The network in the store: crossings' two sides, and shortest distances by mode."""

from __future__ import annotations

import itertools
import math

from silkway.model.records import Network
from silkway.monitor.network import (
    ANY_MODE,
    crossing_table,
    distance_table,
    normalize_locode,
    place_lookup,
)


def _floyd(net: Network, mode: str) -> dict[tuple[str, str], float]:
    """All-pairs shortest km, an independent Floyd-Warshall over dicts."""
    ids = list(net.places)
    d = {(a, b): (0.0 if a == b else math.inf) for a in ids for b in ids}
    for link in net.links.values():
        if mode in (ANY_MODE, link.mode):
            d[link.from_id, link.to_id] = min(d[link.from_id, link.to_id], link.km)
            if link.bidirectional:
                d[link.to_id, link.from_id] = min(d[link.to_id, link.from_id], link.km)
    for k, i, j in itertools.product(ids, ids, ids):
        if d[i, k] + d[k, j] < d[i, j]:
            d[i, j] = d[i, k] + d[k, j]
    return {k: v for k, v in d.items() if k[0] != k[1] and math.isfinite(v)}


def test_all_pair_distances_match_floyd_warshall(tiny_network: Network) -> None:
    table = distance_table(tiny_network).to_pylist()
    modes = {link.mode for link in tiny_network.links.values()} | {ANY_MODE}
    for mode in modes:
        got = {(r["from_place"], r["to_place"]): r["km"] for r in table if r["mode"] == mode}
        assert got == _floyd(tiny_network, mode), mode


def test_requested_pairs_only(tiny_network: Network) -> None:
    pairs = [("A", "D", "rail"), ("A", "D", "road"), ("A", "E", "rail"), ("A", "Q", "rail")]
    got = {
        (r["from_place"], r["to_place"], r["mode"]): r["km"]
        for r in distance_table(tiny_network, pairs * 2).to_pylist()
    }
    # A-E needs the ferry: no rail path; Q is no place
    assert got == {("A", "D", "rail"): 600.0, ("A", "D", "road"): 710.0}


def test_crossings_are_entered_at_from_and_left_at_the_other_end(tiny_network: Network) -> None:
    rows = {r["crossing_id"]: r for r in crossing_table(tiny_network).to_pylist()}
    assert (rows["xBC"]["from_place"], rows["xBC"]["to_place"]) == ("B", "C")
    assert (rows["xCB"]["from_place"], rows["xCB"]["to_place"]) == ("C", "B")
    assert (rows["xCB"]["from_country"], rows["xCB"]["to_country"]) == ("KZ", "CN")


def test_place_lookup_ids_and_locodes(tiny_network: Network) -> None:
    lookup = place_lookup(tiny_network)
    assert all(lookup[pid] == pid for pid in tiny_network.places)
    assert normalize_locode(" kz ala ") == "KZALA"
