"""Generate a synthetic corridor network in silkway's own folder format.

The network imitates the structure of the bundled corridor network at any size: places
on a lon/lat plane (lon 5..122, lat 25..56) grouped into compact "countries" (about one
per 60 places, at most 200, real ISO 3166-1 alpha-2 codes), a Caspian-like sea gap that
land links go around and ferries cross, standard gauge (1435 mm) in the west and the
east and broad gauge (1520 mm) in the middle band with a gauge change wherever the two
meet, rail and road links between near neighbours, ferries with queue services, long
sea links between ocean ports, air freighters with weekly timetables, mode changes at
terminals, ports and airports, and a border crossing (per direction) on every link
between two countries. Rail and road tariffs per km are national (one per country and
mode, as a railway's distance-based tariff is), and so are typical speeds, with each
line's speed within 15 % of its country's. Every number cites one ``synthetic`` source of kind
``estimate``. The same seed gives the same files.

Run::

    python benchmarks/synth.py --places 1000 --seed 1 --out /tmp/synth1k
    silkway validate /tmp/synth1k

or from Python: ``from synth import generate; generate("/tmp/synth1k", places=1000,
seed=1)`` (with ``benchmarks/`` on ``sys.path``).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components, minimum_spanning_tree
from scipy.spatial import Delaunay, cKDTree

from silkway.model.loader import SCHEMAS, default_network_path


def _words(text: str) -> list[str]:
    return text.split()


# ISO 3166-1 alpha-2 codes (officially assigned), so a validator checking codes accepts them.
ISO_CODES: tuple[str, ...] = tuple(
    _words(
        """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO
    BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ
    DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP
    GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG
    KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML
    MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE
    PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL
    SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM
    US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """
    )
)

LINK_COLUMNS = _words(
    """
    id from to mode gauge electrified energy km speed_kmh duration_hours cost_fixed_usd
    cost_per_km_usd cost_unit cargo status open_year bidirectional emission_factor
    sources
    """
)

TRANSFER_COLUMNS = _words(
    """
    id place kind from_mode from_gauge to_mode to_gauge median_hours p90_hours cost_usd
    cost_unit co2e_kg_per_teu sources
    """
)

CROSSING_COLUMNS = _words(
    """
    id link from name median_hours p90_hours cost_usd cost_unit open_days open_hours
    regimes sources
    """
)

SERVICE_COLUMNS = _words(
    """
    id name kind mode links departures median_wait_hours p90_wait_hours cargo
    bidirectional sources
    """
)

LON_RANGE = (5.0, 122.0)
LAT_RANGE = (25.0, 56.0)
SEA_GAP = (47.5, 53.5, 37.0, 46.5)
"""A Caspian-like sea (lon0, lon1, lat0, lat1): no places inside, no land link across it."""
GAUGE_BANDS = (36.0, 82.0)
"""Countries whose centre lies between these longitudes use 1520 mm, the others 1435 mm."""
MAX_COUNTRIES = 200
PLACES_PER_COUNTRY = 60
EARTH_RADIUS_KM = 6371.0088
SRC = "*=synthetic"
ALL_CARGO = "container;dry_bulk;liquid_bulk;dangerous_goods"
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_KX = math.cos(math.radians(40.0))
"""Planar projection: x = lon * cos(40 deg), y = lat (good enough for neighbours)."""


def _haversine(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def _in_gap(lon: Any, lat: Any) -> Any:
    lo0, lo1, la0, la1 = SEA_GAP
    return (lon > lo0) & (lon < lo1) & (lat > la0) & (lat < la1)


def _crosses_gap(lon: Any, lat: Any, a: Any, b: Any) -> Any:
    """True for edges (a[i], b[i]) whose straight segment passes through the sea gap."""
    t = np.linspace(0.0, 1.0, 25)[None, :]
    lons = lon[a][:, None] * (1 - t) + lon[b][:, None] * t
    lats = lat[a][:, None] * (1 - t) + lat[b][:, None] * t
    return np.asarray(_in_gap(lons, lats).any(axis=1))


def _points(rng: np.random.Generator, n: int) -> tuple[Any, Any]:
    """``n`` distinct places (lon, lat rounded to 1e-4 deg) outside the sea gap."""
    lons: list[Any] = []
    lats: list[Any] = []
    seen: set[tuple[float, float]] = set()
    while len(lons) < n:
        m = max(64, int((n - len(lons)) * 1.3))
        lon = np.round(rng.uniform(*LON_RANGE, m), 4)
        lat = np.round(rng.uniform(*LAT_RANGE, m), 4)
        for x, y in zip(lon[~_in_gap(lon, lat)], lat[~_in_gap(lon, lat)], strict=True):
            key = (float(x), float(y))
            if key not in seen and len(lons) < n:
                seen.add(key)
                lons.append(x)
                lats.append(y)
    return np.array(lons, dtype=np.float64), np.array(lats, dtype=np.float64)


def _countries(rng: np.random.Generator, xy: Any, n_countries: int) -> tuple[Any, Any, list[str]]:
    """Compact regions: a few Lloyd (k-means) rounds from random seeds; label per place."""
    centres = xy[rng.choice(len(xy), size=n_countries, replace=False)]
    for _ in range(8):
        label = cKDTree(centres).query(xy)[1]
        sums = np.zeros_like(centres)
        np.add.at(sums, label, xy)
        counts = np.bincount(label, minlength=len(centres))[:, None]
        centres = np.where(counts > 0, sums / np.maximum(counts, 1), centres)
    label = cKDTree(centres).query(xy)[1]
    used = np.unique(label)
    remap = np.full(len(centres), -1)
    remap[used] = np.arange(len(used))
    codes = sorted(rng.choice(len(ISO_CODES), size=len(used), replace=False).tolist())
    return remap[label], centres[used], [ISO_CODES[i] for i in rng.permutation(codes)]


def _near_graph(
    xy: Any, lon: Any, lat: Any, members: Any, k: int
) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
    """Edges among ``members``: Delaunay edges between k-nearest neighbours, plus the
    Euclidean minimum spanning tree for connectivity; none across the sea gap.

    Returns (edges, tree edges), each edge as a sorted pair of global place indexes.
    """
    members = np.asarray(members)
    pts = xy[members]
    if len(members) < 2:
        return [], set()
    if len(members) < 4:
        pairs = {(i, j) for i in range(len(members)) for j in range(i + 1, len(members))}
        edges_local = np.array(sorted(pairs))
    else:
        tri = Delaunay(pts)
        s = tri.simplices
        e = np.concatenate([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
        e.sort(axis=1)
        edges_local = np.unique(e, axis=0)
    a_g, b_g = members[edges_local[:, 0]], members[edges_local[:, 1]]
    keep = ~_crosses_gap(lon, lat, a_g, b_g)
    edges_local = edges_local[keep]
    length = np.linalg.norm(pts[edges_local[:, 0]] - pts[edges_local[:, 1]], axis=1)
    kk = min(k + 1, len(members))
    radius = cKDTree(pts).query(pts, k=kk)[0][:, -1]
    near = (length <= radius[edges_local[:, 0]] + 1e-12) | (
        length <= radius[edges_local[:, 1]] + 1e-12
    )
    n = len(members)
    graph = coo_matrix((length + 1e-9, (edges_local[:, 0], edges_local[:, 1])), shape=(n, n))
    tree = minimum_spanning_tree(graph).tocoo()
    tree_pairs = {
        (int(min(members[i], members[j])), int(max(members[i], members[j])))
        for i, j in zip(tree.row, tree.col, strict=True)
    }
    chosen = {
        (int(members[i]), int(members[j])) for (i, j) in edges_local[near].tolist()
    } | tree_pairs
    return sorted(chosen), tree_pairs


def _shore_ports(lon: Any, lat: Any, side: str, n: int, taken: set[int]) -> list[int]:
    """Up to ``n`` places along one shore, one per latitude band, nearest the water."""
    lo0, lo1, la0, la1 = SEA_GAP
    if side == "gap_w":
        band, dist = (lon <= lo0) & (lon > lo0 - 4), lo0 - lon
        lat_lo, lat_hi = la0, la1
    elif side == "gap_e":
        band, dist = (lon >= lo1) & (lon < lo1 + 4), lon - lo1
        lat_lo, lat_hi = la0, la1
    elif side == "east":
        band, dist = lon > LON_RANGE[1] - 6, LON_RANGE[1] - lon
        lat_lo, lat_hi = LAT_RANGE
    else:
        band, dist = lon < LON_RANGE[0] + 6, lon - LON_RANGE[0]
        lat_lo, lat_hi = LAT_RANGE
    out: list[int] = []
    edges = np.linspace(lat_lo, lat_hi, n + 1)
    for lo, hi in itertools.pairwise(edges):
        cand = np.flatnonzero(band & (lat >= lo) & (lat < hi))
        cand = np.array([c for c in cand if int(c) not in taken], dtype=np.int64)
        if len(cand):
            best = int(cand[np.argmin(dist[cand])])
            out.append(best)
            taken.add(best)
    return out


def _fmt(x: float, digits: int = 2) -> str:
    text = f"{x:.{digits}f}".rstrip("0").rstrip(".")
    return text or "0"


def _dwell(
    rng: np.random.Generator, median_mu: float, sigma: float, lo: float, hi: float
) -> tuple[float, float]:
    """A lognormal-ish (median, P90) pair in [lo, hi] hours, P90 >= median."""
    median = float(np.clip(rng.lognormal(math.log(median_mu), sigma), lo, hi * 0.7))
    p90 = float(np.clip(median * rng.uniform(1.6, 3.0), median, hi))
    return round(median, 1), round(p90, 1)


def _write(folder: Path, name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    known = [c.name for c in SCHEMAS[name]]
    missing = [h for h in header if h not in known]
    if missing:
        raise RuntimeError(f"{name}: the loader does not know columns {missing}")
    count = 0
    with (folder / name).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(folder: str | Path, *, places: int, seed: int) -> dict[str, int]:
    """Write a synthetic network of ``places`` places into ``folder``; same seed, same files.

    Returns the row count of each table.
    """
    if places < 20:
        raise ValueError("a synthetic network needs at least 20 places")
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    n = places

    # --- places and countries -------------------------------------------------------
    lon, lat = _points(rng, n)
    xy = np.column_stack([lon * _KX, lat])
    n_countries = max(2, min(MAX_COUNTRIES, round(n / PLACES_PER_COUNTRY), len(ISO_CODES)))
    country, centres, codes = _countries(rng, xy, n_countries)
    centre_lon = centres[:, 0] / _KX
    country_gauge = np.where(
        (centre_lon > GAUGE_BANDS[0]) & (centre_lon < GAUGE_BANDS[1]), 1520, 1435
    )
    cc = [codes[c] for c in country]
    # rail and road tariffs are national (a railway's distance-based tariff, a country's
    # trucking market), and so is the typical speed; a line's speed varies around it
    rail_rate = rng.uniform(0.3, 0.9, n_countries)
    rail_speed = rng.uniform(30, 60, n_countries)
    road_rate = rng.uniform(1.5, 2.5, n_countries)
    road_speed = rng.uniform(40, 60, n_countries)

    kind = np.array(["city"] * n, dtype=object)
    taken: set[int] = set()
    n_ferry = max(2, min(6, n // 250))
    ferry_w = _shore_ports(lon, lat, "gap_w", n_ferry, taken)
    ferry_e = _shore_ports(lon, lat, "gap_e", n_ferry, taken)
    n_ocean = max(2, min(12, n // 400))
    ocean_e = _shore_ports(lon, lat, "east", n_ocean, taken)
    ocean_w = _shore_ports(lon, lat, "west", n_ocean, taken)
    for i in ferry_w + ferry_e + ocean_e + ocean_w:
        kind[i] = "seaport"
    n_air = max(4, len(codes) // 3)
    air_countries = rng.choice(len(codes), size=min(n_air, len(codes)), replace=False)
    airports: list[int] = []
    for c in sorted(air_countries.tolist()):
        members = np.flatnonzero(country == c)
        members = np.array([m for m in members if int(m) not in taken], dtype=np.int64)
        if len(members):
            d = np.linalg.norm(xy[members] - centres[c], axis=1)
            best = int(members[np.argmin(d)])
            airports.append(best)
            taken.add(best)
            kind[best] = "airport"
    # border posts: places with a near neighbour abroad; the rest by chance
    nbr = cKDTree(xy).query(xy, k=min(4, n))[1]
    abroad = (country[nbr[:, 1:]] != country[:, None]).any(axis=1)
    draw = rng.random(n)
    for i in range(n):
        if i in taken:
            continue
        if abroad[i] and draw[i] < 0.35:
            kind[i] = "border_crossing"
        elif draw[i] >= 0.96:
            kind[i] = "dry_port"
        elif draw[i] < 0.62:
            kind[i] = "rail_terminal"
        else:
            kind[i] = "city"

    rail_served = np.isin(kind, ["rail_terminal", "dry_port", "border_crossing", "seaport"])
    ids = [f"{cc[i]}_{i:05d}" for i in range(n)]
    kind_name = {
        "rail_terminal": "Terminal",
        "dry_port": "Dry port",
        "border_crossing": "Border post",
        "seaport": "Port",
        "airport": "Airport",
        "city": "City",
    }

    # --- links ------------------------------------------------------------------------
    links: list[list[Any]] = []
    link_ends: list[tuple[int, int, str, int | None]] = []  # a, b, mode, gauge
    services: list[list[Any]] = []

    def gc(a: int, b: int) -> float:
        return float(_haversine(lat[a], lon[a], lat[b], lon[b]))

    def km_of(a: int, b: int, lo: float, hi: float) -> float:
        return math.ceil(gc(a, b) * rng.uniform(lo, hi) * 10 + 1) / 10

    def row(lid: str, a: int, b: int, mode: str, **kw: Any) -> None:
        links.append(
            [
                lid,
                ids[a],
                ids[b],
                mode,
                kw.get("gauge", ""),
                kw.get("electrified", ""),
                kw["energy"],
                _fmt(kw["km"], 1),
                _fmt(kw["speed"], 1) if "speed" in kw else "",
                _fmt(kw["duration"], 2) if "duration" in kw else "",
                _fmt(kw["fixed"], 0) if "fixed" in kw else "",
                _fmt(kw["per_km"], 3) if "per_km" in kw else "",
                kw.get("unit", "FEU"),
                kw.get("cargo", ALL_CARGO),
                kw.get("status", "operational"),
                kw.get("open_year", ""),
                "true",
                kw["ef"],
                SRC,
            ]
        )
        link_ends.append((a, b, mode, kw.get("gauge") or None))

    rail_members = np.flatnonzero(rail_served)
    rail_edges, rail_tree = _near_graph(xy, lon, lat, rail_members, k=3)
    for j, (a, b) in enumerate(rail_edges):
        ga, gb = country_gauge[country[a]], country_gauge[country[b]]
        gauge = int(ga if ga == gb or rng.random() < 0.5 else gb)
        electrified = rng.random() < 0.6
        west = lon[a] < GAUGE_BANDS[0] and lon[b] < GAUGE_BANDS[0]
        planned = (a, b) not in rail_tree and rng.random() < 0.01
        row(
            f"R_{j:06d}",
            a,
            b,
            "rail",
            gauge=gauge,
            electrified="true" if electrified else "false",
            energy="electric" if electrified else "diesel",
            km=km_of(a, b, 1.1, 1.35),
            speed=rail_speed[country[a]] * rng.uniform(0.85, 1.15),
            per_km=rail_rate[country[a]],
            ef=(
                ("ef_rail_electric_eu" if west else "ef_rail_electric_grid")
                if electrified
                else "ef_rail_diesel"
            ),
            status="planned" if planned else "operational",
            open_year=int(rng.integers(2028, 2034)) if planned else "",
        )

    road_edges, _ = _near_graph(xy, lon, lat, np.arange(n), k=3)
    for j, (a, b) in enumerate(road_edges):
        row(
            f"D_{j:06d}",
            a,
            b,
            "road",
            energy="diesel",
            km=km_of(a, b, 1.1, 1.35),
            speed=road_speed[country[a]] * rng.uniform(0.85, 1.15),
            per_km=road_rate[country[a]],
            ef="ef_truck_diesel",
        )

    ferry_pairs: set[tuple[int, int]] = set()
    for a in ferry_w:
        by_dist = sorted(ferry_e, key=lambda b, a=a: gc(a, b))
        for b in by_dist[: int(rng.integers(1, 3))]:
            ferry_pairs.add((a, b))
    for j, (a, b) in enumerate(sorted(ferry_pairs)):
        km = km_of(a, b, 1.05, 1.2)
        lid = f"F_{j:04d}"
        row(
            lid,
            a,
            b,
            "ferry",
            energy="mdo",
            km=km,
            duration=km / rng.uniform(20, 28),
            fixed=rng.uniform(1000, 1800),
            ef="ef_ferry_ropax_mdo",
        )
        median = float(rng.uniform(24, 72))
        services.append(
            [
                f"SV_{lid}",
                f"Ferry {ids[a]}–{ids[b]} (sails when full)",
                "queue",
                "ferry",
                lid,
                "",
                _fmt(median, 1),
                _fmt(median * rng.uniform(2.5, 3.5), 1),
                ALL_CARGO,
                "true",
                SRC,
            ]
        )

    sea_pairs: set[tuple[int, int, str]] = set()
    for a in ocean_e:
        for b in rng.choice(
            ocean_w, size=min(len(ocean_w), int(rng.integers(1, 3))), replace=False
        ):
            sea_pairs.add((int(a), int(b), "long"))
    for coast in (ocean_e, ocean_w):
        ordered = sorted(coast, key=lambda i: lat[i])
        for a, b in itertools.pairwise(ordered):
            sea_pairs.add((min(a, b), max(a, b), "coastal"))
    for j, (a, b, what) in enumerate(sorted(sea_pairs)):
        if what == "long":
            km = km_of(a, b, 2.0, 2.4)
            duration, fixed = km / rng.uniform(25, 30), rng.uniform(1800, 2600)
        else:
            km = km_of(a, b, 1.2, 1.5)
            duration, fixed = km / 25 + 6, rng.uniform(150, 400)
        row(
            f"S_{j:04d}",
            a,
            b,
            "sea",
            energy="vlsfo",
            km=km,
            duration=duration,
            fixed=fixed,
            cargo="container",
            ef="ef_container_ship",
        )

    air_pairs: set[tuple[int, int]] = set()
    for a in airports:
        far = [b for b in airports if b != a and gc(a, b) > 1500] or [b for b in airports if b != a]
        for b in rng.choice(far, size=min(len(far), int(rng.integers(1, 3))), replace=False):
            air_pairs.add((min(a, int(b)), max(a, int(b))))
    for j, (a, b) in enumerate(sorted(air_pairs)):
        km = km_of(a, b, 1.02, 1.1)
        lid = f"A_{j:04d}"
        row(
            lid,
            a,
            b,
            "air",
            energy="jet",
            km=km,
            duration=km / 800 + 0.5,
            per_km=rng.uniform(0.55, 0.75),
            unit="t",
            cargo="general",  # containers do not fly
            ef="ef_air_freighter_lh",
        )
        days = sorted(rng.choice(7, size=int(rng.integers(1, 4)), replace=False).tolist())
        hour = int(rng.integers(0, 24))
        services.append(
            [
                f"SV_{lid}",
                f"Freighter {ids[a]}–{ids[b]} ({len(days)} per week)",
                "timetable",
                "air",
                lid,
                ";".join(f"{WEEKDAYS[d]} {hour:02d}:00" for d in days),
                "",
                "",
                "general",
                "true",
                SRC,
            ]
        )

    # every place reachable: join stray components to the main one by road
    def components() -> tuple[int, Any]:
        a_arr = np.array([e[0] for e in link_ends])
        b_arr = np.array([e[1] for e in link_ends])
        ok = np.array([r[14] != "planned" for r in links])
        g = coo_matrix((np.ones(int(ok.sum())), (a_arr[ok], b_arr[ok])), shape=(n, n))
        count, lab = connected_components(g, directed=False)
        return int(count), lab

    count, lab = components()
    extra = 0
    while count > 1:
        main = np.bincount(lab).argmax()
        inside, outside = np.flatnonzero(lab == main), np.flatnonzero(lab != main)
        d, j = cKDTree(xy[inside]).query(xy[outside])
        a, b = int(outside[np.argmin(d)]), int(inside[j[np.argmin(d)]])
        row(
            f"D_X{extra:04d}",
            min(a, b),
            max(a, b),
            "road",
            energy="diesel",
            km=km_of(a, b, 1.1, 1.35),
            speed=road_speed[country[a]] * rng.uniform(0.85, 1.15),
            per_km=road_rate[country[a]],
            ef="ef_truck_diesel",
        )
        extra += 1
        count, lab = components()

    # --- transfers ----------------------------------------------------------------------
    gauges_at: dict[int, set[int]] = defaultdict(set)
    modes_at: dict[int, set[str]] = defaultdict(set)
    for a, b, mode, gauge in link_ends:
        for p in (a, b):
            modes_at[p].add(mode)
            if gauge is not None:
                gauges_at[p].add(gauge)
    transfers: list[list[Any]] = []

    def transfer(p: int, what: str, fm: str, fg: Any, tm: str, tg: Any, **kw: Any) -> None:
        median, p90 = kw["dwell"]
        transfers.append(
            [
                f"T_{ids[p]}_{fm}{fg}_{tm}{tg}",
                ids[p],
                what,
                fm,
                fg,
                tm,
                tg,
                _fmt(median, 1),
                _fmt(p90, 1),
                _fmt(kw["cost"], 0),
                kw.get("unit", "FEU"),
                _fmt(kw["co2e"], 1),
                SRC,
            ]
        )

    for p in range(n):
        gauges = sorted(gauges_at.get(p, ()))
        modes = modes_at.get(p, set())
        if len(gauges) == 2:
            transfer(
                p, "gauge_change", "rail", gauges[0], "rail", gauges[1],
                dwell=_dwell(rng, 5, 0.6, 1, 48), cost=rng.uniform(150, 250), co2e=3,
            )  # fmt: skip
        if kind[p] in ("rail_terminal", "dry_port", "seaport") and "road" in modes:
            for g in gauges:
                transfer(
                    p, "mode_change", "rail", g, "road", "",
                    dwell=_dwell(rng, 4, 0.5, 1, 36), cost=rng.uniform(80, 200),
                    co2e=rng.uniform(2, 4),
                )  # fmt: skip
        for water in ("ferry", "sea"):
            if water in modes:
                for g in gauges:
                    transfer(
                        p, "mode_change", "rail", g, water, "",
                        dwell=_dwell(rng, 8, 0.6, 2, 60), cost=rng.uniform(150, 300),
                        co2e=3,
                    )  # fmt: skip
                if "road" in modes:
                    transfer(
                        p, "mode_change", "road", "", water, "",
                        dwell=_dwell(rng, 6, 0.6, 2, 48), cost=rng.uniform(100, 250),
                        co2e=2,
                    )  # fmt: skip
        if "air" in modes and "road" in modes:
            transfer(
                p, "mode_change", "road", "", "air", "",
                dwell=_dwell(rng, 12, 0.4, 4, 48), cost=80, unit="t", co2e=1,
            )  # fmt: skip

    # --- border crossings -------------------------------------------------------------
    regimes = {
        "rail": "SMGS;CIM/SMGS",
        "road": "TIR;CMR",
        "ferry": "B/L;SMGS",
        "sea": "B/L",
        "air": "AWB",
    }
    crossings: list[list[Any]] = []
    for lk, (a, b, mode, _gauge) in zip(links, link_ends, strict=True):
        if country[a] == country[b]:
            continue
        for start in (a, b):
            if mode in ("air", "sea"):
                median, p90 = _dwell(rng, 4, 0.5, 2, 24)
            elif mode == "rail":
                median, p90 = _dwell(rng, 10, 0.8, 2, 60)
            else:
                median, p90 = _dwell(rng, 5, 0.9, 2, 60)
            office = mode == "road" and rng.random() < 0.3
            crossings.append(
                [
                    f"X_{lk[0]}_{ids[start]}",
                    lk[0],
                    ids[start],
                    f"{cc[a]}–{cc[b]} {kind_name[kind[a]]} {a}–{kind_name[kind[b]]} {b}",
                    _fmt(median, 1),
                    _fmt(p90, 1),
                    _fmt(rng.uniform(20, 400), 0),
                    "FEU",
                    "Mon-Fri" if office else "Mon-Sun",
                    "09:00-18:00" if office else "",
                    regimes[mode],
                    SRC,
                ]
            )

    # --- write --------------------------------------------------------------------------
    (out / "network.yaml").write_text(
        f"name: synth-{n}-seed{seed}\n"
        f'version: "synthetic"\n'
        f"description: >-\n"
        f"  Synthetic corridor network of {n} places in {len(codes)} countries, generated by\n"
        f"  benchmarks/synth.py with seed {seed}. For benchmarks only; every number is made up.\n",
        encoding="utf-8",
    )
    counts: dict[str, int] = {}
    counts["sources.csv"] = _write(
        out,
        "sources.csv",
        ["id", "kind", "title", "publisher", "url", "date", "derived_from", "note"],
        [
            [
                "synthetic",
                "estimate",
                f"Synthetic corridor network (benchmarks/synth.py, seed {seed})",
                "silkway benchmarks",
                "",
                "n.d.",
                "",
                "Random values in realistic ranges scaled from the bundled network.",
            ]
        ],
    )
    counts["parameters.csv"] = _write(
        out,
        "parameters.csv",
        ["id", "value", "unit", "sources"],
        [["payload_t_per_teu", "10", "t", SRC], ["teu_per_feu", "2", "TEU", SRC]],
    )
    with_tz = any(c.name == "tz" for c in SCHEMAS["places.csv"])
    place_header = ["id", "name_en", "country", "lat", "lon", "kind"]
    place_header += ["tz", "sources"] if with_tz else ["sources"]
    counts["places.csv"] = _write(
        out,
        "places.csv",
        place_header,
        (
            [
                ids[i],
                f"{kind_name[kind[i]]} {cc[i]} {i}",
                cc[i],
                _fmt(lat[i], 4),
                _fmt(lon[i], 4),
                kind[i],
                *(["UTC"] if with_tz else []),
                SRC,
            ]
            for i in range(n)
        ),
    )
    counts["links.csv"] = _write(
        out,
        "links.csv",
        LINK_COLUMNS,
        links,
    )
    counts["transfers.csv"] = _write(
        out,
        "transfers.csv",
        TRANSFER_COLUMNS,
        transfers,
    )
    counts["crossings.csv"] = _write(
        out,
        "crossings.csv",
        CROSSING_COLUMNS,
        crossings,
    )
    counts["services.csv"] = _write(
        out,
        "services.csv",
        SERVICE_COLUMNS,
        services,
    )
    with (default_network_path() / "emission_factors.csv").open(encoding="utf-8") as handle:
        factors = list(csv.DictReader(handle))
    counts["emission_factors.csv"] = _write(
        out,
        "emission_factors.csv",
        ["id", "mode", "energy", "description", "wtw_g_per_tkm", "ttw_g_per_tkm", "sources"],
        (
            [
                ef["id"],
                ef["mode"],
                ef["energy"],
                ef["description"],
                # electric traction on each country's grid: a flat synthetic grid of
                # SYNTH_GRID_G_PER_KWH, since synthetic countries have no grid rows
                ef["wtw_g_per_tkm"] or f"{float(ef['kwh_per_tkm']) * SYNTH_GRID_G_PER_KWH:.2f}",
                ef["ttw_g_per_tkm"] or "0",
                SRC,
            ]
            for ef in factors
        ),
    )
    return counts


SYNTH_GRID_G_PER_KWH = 600.0
"""Grid intensity given to electric traction in synthetic networks (g CO2e per kWh)."""


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: write one synthetic network and print its row counts and time."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--places", type=int, default=1000, help="number of places")
    parser.add_argument("--seed", type=int, default=1, help="random seed")
    parser.add_argument("--out", required=True, help="folder to write (created if missing)")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(args.out, places=args.places, seed=args.seed)
    seconds = time.perf_counter() - t0
    rows = ", ".join(f"{k.removesuffix('.csv')} {v}" for k, v in counts.items())
    print(f"wrote {args.out} in {seconds:.2f} s: {rows}")


if __name__ == "__main__":
    main()
