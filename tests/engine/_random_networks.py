"""Random small corridor networks for property tests, built as records (no files).

Every number is chosen so that the planner's arithmetic is exact in binary floating
point: moving times are quarter hours (km = speed x hours with speeds that are multiples
of 40 km/h), dwell and waits are half hours, costs are multiples of 1/4 USD, and
emission factors are multiples of 5 g/tkm with whole-tonne cargo, so that
km x g/tkm x t / 1000 is a multiple of 0.5 kg. Two routes with equal criteria are
therefore equal exactly, whatever order the sums are taken in, and a brute force can
compare its Pareto front with the planner's without tolerances.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hypothesis import strategies as st

from silkway.model.records import (
    Crossing,
    Dwell,
    EmissionFactor,
    Link,
    Network,
    Parameter,
    Place,
    Service,
    Source,
    Transfer,
    Weather,
)
from silkway.model.validate import great_circle_km

STATES: tuple[tuple[str, int | None], ...] = (("rail", 1435), ("rail", 1520), ("road", None))
COST_UNITS = ("FEU", "TEU", "t", "shipment")
SPEEDS = (40.0, 80.0, 120.0)
GRID = [(r, c) for r in range(4) for c in range(4)]
DRIVING_KEYS = (
    "road_driving_before_break_hours",
    "road_break_hours",
    "road_daily_driving_hours",
    "road_daily_rest_hours",
    "road_crew2_daily_driving_hours",
    "road_crew2_daily_rest_hours",
    "road_crew2_cost_per_km_usd",
)
DRIVING_RULES = (
    (4.5, 0.75, 9.0, 11.0, 18.0, 9.0, 0.25),  # AETR
    (1.0, 0.5, 2.0, 3.0, 3.0, 2.5, 0.5),  # short: rests on most road runs
    (0.5, 0.25, 1.5, 2.5, 2.5, 1.5, 0.0),
)
"""Driving-time rules in binary-exact hours (quarter hours)."""


@dataclass(frozen=True)
class Case:
    """A generated network and query."""

    network: Network
    origin: str
    destination: str
    start_hours: float
    teu: int
    crew: int = 1


def _dwell(draw: st.DrawFn, max_half_hours: int) -> Dwell:
    median = draw(st.integers(0, max_half_hours)) / 2
    return Dwell(median, median + draw(st.integers(0, 8)) / 2)


@st.composite
def networks(
    draw: st.DrawFn,
    *,
    min_places: int = 3,
    max_places: int = 6,
    max_links: int = 9,
    modes: tuple[str, ...] = ("rail", "road"),
    transfers: bool = True,
    uniform_transfers: bool = False,
    borders: bool = True,
    windows: bool = True,
    services: bool = True,
    planned: bool = True,
    weather: bool = False,
    driving: bool | None = False,
) -> Network:
    """A random network: places on a small grid, random links, transfers, crossings.

    With ``uniform_transfers``, every place has a transfer between every two states,
    all with the same dwell, cost, CO2e and count (a loop that comes back to a place in
    another state is then never better than changing state there). With ``weather``,
    services get storm days (some months above a probability of 0.5, so that the median
    hold is not zero).
    another state is then never better than changing state there).

    With ``driving`` (``None``: drawn), the network gives driving-time rules (the AETR
    ones or short ones that make road runs of a few links take breaks and rests), and
    some crossings transload.
    """
    n = draw(st.integers(min_places, max_places))
    cells = draw(st.lists(st.sampled_from(GRID), min_size=n, max_size=n, unique=True))
    countries = (
        draw(st.lists(st.sampled_from(["KZ", "UZ"]), min_size=n, max_size=n))
        if borders
        else ["KZ"] * n
    )
    places = {
        f"P{i}": Place(f"P{i}", f"Place {i}", countries[i], 40.0 + 0.5 * r, 70.0 + 0.5 * c, "city")
        for i, (r, c) in enumerate(cells)
    }
    pids = list(places)

    links: dict[str, Link] = {}
    factors: dict[str, EmissionFactor] = {}
    for li in range(draw(st.integers(n - 1, max_links))):
        a, b = draw(st.lists(st.sampled_from(pids), min_size=2, max_size=2, unique=True))
        mode = draw(st.sampled_from(modes))
        gauge = draw(st.sampled_from([1435, 1520])) if mode == "rail" else None
        speed = draw(st.sampled_from(SPEEDS))
        pa, pb = places[a], places[b]
        factor = draw(st.sampled_from([1.0, 1.1, 1.25, 1.5, 2.0]))
        min_km = great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon) * factor
        hours = math.ceil(min_km / speed * 4) / 4
        km = speed * hours
        by_duration = draw(st.booleans())
        wtw = 5.0 * draw(st.integers(1, 30))
        fid = f"ef{li}"
        # an energy no WTW/TTW plausibility rule applies to: the numbers are random
        factors[fid] = EmissionFactor(fid, mode, "synthetic", wtw, 5.0 * draw(st.integers(0, 1)))
        status = "operational"
        if planned and draw(st.integers(0, 9)) == 0:
            status = "planned"
        cargo = ("container",) if draw(st.integers(0, 9)) else ("dry_bulk",)
        links[f"L{li}"] = Link(
            id=f"L{li}",
            from_id=a,
            to_id=b,
            mode=mode,
            km=km,
            cargo=cargo,
            gauge_mm=gauge,
            speed_kmh=None if by_duration else speed,
            duration_hours=hours if by_duration else None,
            cost_fixed_usd=float(draw(st.integers(0, 300))),
            cost_per_km_usd=draw(st.sampled_from([0.0, 0.25, 0.5, 1.0, 1.5])),
            cost_unit=draw(st.sampled_from(COST_UNITS)),
            status=status,
            open_year=2030 if status == "planned" else None,
            bidirectional=draw(st.integers(0, 4)) > 0,
            emission_factor=fid,
        )

    transfer_rows: dict[str, Transfer] = {}
    if uniform_transfers:
        dwell = _dwell(draw, 24)
        cost = float(draw(st.integers(0, 200)))
        co2 = float(draw(st.integers(0, 5)))
        for pid in pids:
            for i, s1 in enumerate(STATES):
                for s2 in STATES[i + 1 :]:
                    kind = "gauge_change" if s1[0] == s2[0] == "rail" else "transshipment"
                    tid = f"t{len(transfer_rows)}"
                    transfer_rows[tid] = Transfer(
                        tid,
                        pid,
                        kind,
                        s1[0],
                        s1[1],
                        s2[0],
                        s2[1],
                        dwell,
                        cost_usd=cost,
                        cost_unit="FEU",
                        co2e_kg_per_teu=co2,
                    )
    elif transfers:
        for pid in pids:
            for i, s1 in enumerate(STATES):
                for s2 in STATES[i + 1 :]:
                    if not draw(st.booleans()):
                        continue
                    kind = (
                        "gauge_change"
                        if s1[0] == s2[0] == "rail"
                        else draw(st.sampled_from(["transshipment", "mode_change"]))
                    )
                    tid = f"t{len(transfer_rows)}"
                    transfer_rows[tid] = Transfer(
                        tid,
                        pid,
                        kind,
                        s1[0],
                        s1[1],
                        s2[0],
                        s2[1],
                        _dwell(draw, 24),
                        cost_usd=float(draw(st.integers(0, 200))),
                        cost_unit=draw(st.sampled_from(COST_UNITS)),
                        co2e_kg_per_teu=float(draw(st.integers(0, 5))),
                    )

    crossings: dict[str, Crossing] = {}
    for link in links.values():
        if places[link.from_id].country == places[link.to_id].country:
            continue
        for start in (link.from_id, link.to_id) if link.bidirectional else (link.from_id,):
            days: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
            hours_open: tuple[float, float] | None = None
            if windows and draw(st.booleans()):
                days = draw(st.sampled_from([(0, 1, 2, 3, 4), (0, 2, 4), (5, 6), (3,)]))
                if draw(st.booleans()):
                    h1 = draw(st.integers(0, 20))
                    hours_open = (float(h1), float(draw(st.integers(h1 + 1, 24))))
            cid = f"x{len(crossings)}"
            transload = link.mode == "road" and draw(st.integers(0, 3)) == 0
            crossings[cid] = Crossing(
                cid,
                link.id,
                start,
                f"crossing {cid}",
                _dwell(draw, 48),
                cost_usd=float(draw(st.integers(0, 300))),
                cost_unit=draw(st.sampled_from(COST_UNITS)),
                open_days=days,
                open_hours=hours_open,
                transload=transload,
            )

    service_rows: dict[str, Service] = {}
    if services:
        for si in range(draw(st.integers(1 if weather else 0, 2))):
            chain = _service_chain(draw, links)
            if chain is None:
                continue
            first = links[chain[0]]
            cargo = tuple(c for c in first.cargo if all(c in links[k].cargo for k in chain))
            both_ways = all(links[k].bidirectional for k in chain) and draw(st.booleans())
            if draw(st.booleans()):
                service_rows[f"s{si}"] = Service(
                    f"s{si}",
                    f"queue {si}",
                    "queue",
                    first.mode,
                    chain,
                    cargo,
                    wait=_dwell(draw, 48),
                    bidirectional=both_ways,
                )
            else:
                deps = draw(
                    st.lists(st.integers(0, 4 * 168 - 1), min_size=1, max_size=3, unique=True)
                )
                service_rows[f"s{si}"] = Service(
                    f"s{si}",
                    f"timetable {si}",
                    "timetable",
                    first.mode,
                    chain,
                    cargo,
                    departures=tuple(sorted(d / 4 for d in deps)),
                    bidirectional=both_ways,
                )

    weather_rows: dict[str, Weather] = {}
    if weather and service_rows:
        sids = sorted(service_rows)
        regions = {sid: f"sea {draw(st.integers(0, 1))}" for sid in sids}
        for region in sorted(set(regions.values())):
            members = tuple(sid for sid in sids if regions[sid] == region)
            for month in range(1, 13):
                spell = draw(st.sampled_from([1.0, 2.0, 3.5]))
                p = draw(st.sampled_from([0.0, 0.2, 0.5, 0.65]))
                p = min(p, spell / (spell + 1.0))
                wid = f"w{len(weather_rows)}"
                weather_rows[wid] = Weather(wid, region, members, month, p, spell)

    parameters = {
        "payload_t_per_teu": Parameter("payload_t_per_teu", 10.0, "t"),
        "teu_per_feu": Parameter("teu_per_feu", 2.0, "TEU"),
    }
    if driving is None:
        driving = draw(st.booleans())
    if driving:
        rules = draw(st.sampled_from(DRIVING_RULES))
        for key, value in zip(DRIVING_KEYS, rules, strict=True):
            parameters[key] = Parameter(key, value, "h")
    return Network(
        name="random",
        version="0",
        description="",
        folder="<memory>",
        sources={"s": Source("s", "estimate", "test")},
        parameters=parameters,
        places=places,
        links=links,
        transfers=transfer_rows,
        crossings=crossings,
        services=service_rows,
        emission_factors=factors,
        weather=weather_rows,
    )


def _service_chain(draw: st.DrawFn, links: dict[str, Link]) -> tuple[str, ...] | None:
    """One link, or two links of the same mode and gauge forming a path P0-P1-P2
    travelled with the direction of any one-way link."""
    first = links[draw(st.sampled_from(sorted(links)))]
    if draw(st.booleans()):
        return (first.id,)

    def fits(k: Link) -> bool:
        shared = set(k.ends()) & set(first.ends())
        if k.id == first.id or len(shared) != 1:
            return False
        (p1,) = shared
        return (
            (k.mode, k.gauge_mm) == (first.mode, first.gauge_mm)
            and bool(set(k.cargo) & set(first.cargo))
            and (first.bidirectional or first.to_id == p1)  # first runs P0 -> P1
            and (k.bidirectional or k.from_id == p1)  # second runs P1 -> P2
        )

    nexts = [k for k in links.values() if fits(k)]
    if not nexts:
        return (first.id,)
    return (first.id, draw(st.sampled_from(nexts)).id)


@st.composite
def cases(draw: st.DrawFn, **kwargs: object) -> Case:
    """A network plus an origin, a destination, a departure hour and a cargo size."""
    net = draw(networks(**kwargs))  # type: ignore[arg-type]
    o, d = draw(st.lists(st.sampled_from(list(net.places)), min_size=2, max_size=2, unique=True))
    start = draw(st.integers(0, 4 * 168 - 1)) / 4
    teu = draw(st.sampled_from([1, 2, 4, 6]))
    crew = draw(st.sampled_from([1, 2])) if "road_daily_driving_hours" in net.parameters else 1
    return Case(net, o, d, start, teu, crew)


def describe(case: Case) -> str:
    """A compact, readable listing of a case for failure messages."""
    net = case.network
    out = [f"query {case.origin} -> {case.destination} at hour {case.start_hours}, {case.teu} TEU"]
    out += [f"  crew {case.crew}; rules {p.id}={p.value:g}" for p in net.parameters.values()]
    out += [f"  place {p.id} {p.country}" for p in net.places.values()]
    for k in net.links.values():
        out.append(
            f"  link {k.id} {k.from_id}{'-' if k.bidirectional else '->'}{k.to_id} {k.mode}"
            f"{k.gauge_mm or ''} {k.km:g} km {k.moving_hours():g} h "
            f"cost {k.cost_fixed_usd:g}+{k.cost_per_km_usd:g}/km per {k.cost_unit} "
            f"ef {net.emission_factors[k.emission_factor].wtw_g_per_tkm:g} {k.status} "
            f"{';'.join(k.cargo)}"
        )
    for t in net.transfers.values():
        out.append(
            f"  transfer {t.id} at {t.place} {t.kind} {t.from_mode}{t.from_gauge_mm or ''}"
            f"<->{t.to_mode}{t.to_gauge_mm or ''} {t.dwell.median_hours:g} h "
            f"{t.cost_usd:g}/{t.cost_unit} co2 {t.co2e_kg_per_teu:g}/TEU"
        )
    for c in net.crossings.values():
        out.append(
            f"  crossing {c.id} {c.link} leaving {c.from_id} {c.dwell.median_hours:g} h "
            f"{c.cost_usd:g}/{c.cost_unit} days {c.open_days} hours {c.open_hours}"
            f"{' transload' if c.transload else ''}"
        )
    for s in net.services.values():
        what = (
            f"wait {s.wait.median_hours:g} h"
            if s.wait is not None
            else f"departures {s.departures}"
        )
        out.append(
            f"  service {s.id} {s.kind} on {';'.join(s.links)} "
            f"{'both ways' if s.bidirectional else 'one way'} {what} "
            f"{';'.join(s.cargo)}"
        )
    for w in net.weather.values():
        out.append(
            f"  weather {w.id} {w.region} {';'.join(w.services)} month {w.month} "
            f"p {w.storm_day_probability:g} spell {w.mean_spell_days:g} d"
        )
    return "\n".join(out)
