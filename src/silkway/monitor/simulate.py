"""Synthetic shipment event logs, drawn from the network's own routes and distributions.

:func:`simulate` plans a set of origin-destination relations on a network once each
(:func:`silkway.plan`, up to :data:`OPTIONS_PER_RELATION` options), turns every option
into a *template* (the events and payments of one shipment along its legs, in order),
then samples many shipments from each template at once with numpy:

* **Times.** Moving time on a leg is lognormal around the planner's moving hours with
  the spread of the link (``moving_p90_ratio_<mode>``); border dwell, gauge changes and
  other transfers, and queue ("sails when full") services are lognormal with the
  network's median and P90 for that crossing and direction, transfer or service (a
  rail crossing with the chosen train type's dwell, ``train_types.csv``). A timetabled
  sailing waits for its next weekly departure, and a ferry or sea service is held by
  storms with the storm-day probability and mean spell of the month it is ready to sail
  in (``weather.csv``; held to 00:00 UTC of the first calm day). Road breaks and rests
  of the plan are added to the leg's moving time.
* **Events.** ``departure``; at a crossing ``border_entry`` at the crossing's ``from``
  place and ``border_exit`` at the other end of its link (after the link is travelled);
  ``gauge_change_start``/``_end`` around a gauge change; ``gate_in``/``gate_out``
  around a transshipment or change of mode; ``ferry_load``, ``ferry_depart``,
  ``ferry_arrive`` and ``ferry_discharge`` around a ferry or sea leg; ``arrival``. Each
  event names the mode of the leg it belongs to.
* **Payments** (``payment`` rows), in the local currency of the country they are paid
  in where a rate for the month is given (else USD): the crossing's official fee,
  strictly between entry and exit; with probability ``unofficial_rate`` an unofficial
  payment there too (category ``unofficial``); a transfer's handling charge during the
  transfer; and the freight of each corridor section (departure or border exit to the
  next border entry or arrival) halfway through it, the freight of a crossing's own
  link with the section before the crossing. Amounts carry multiplicative
  lognormal noise (``cost_noise``).

Dirt on request: ``missing`` drops a share of events whose loss leaves the log valid
(a border exit, the end of a gauge change, a ferry event, a gate event), ``duplicates``
repeats a share of rows, and ``bad_rows`` corrupts a share of rows in one of the ways
ingest must quarantine (:data:`BAD_ROW_KINDS`). The same inputs and seed give the same
log, byte for byte.

The simulation's own parameters (discharge time after a sailing, the size of an
unofficial payment) are estimates for synthetic data, not sourced figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np
from numpy.typing import NDArray

from .._errors import NoRouteError, QueryError
from ..compile.trains import Z90
from .schema import EVENT_MODES
from .simulate_rows import (
    BAD_ROW_KINDS,
    CATEGORIES,
    CURRENCY_OF_COUNTRY,
    FORMATS,
    ITEMS,
    Block,
    Codes,
    Dirt,
    Formatter,
    merge_blocks,
    write_log,
)

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]

    from ..compile import CompiledNetwork
    from ..model.records import Network
    from ..results import Leg, Option

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

__all__ = [
    "BAD_ROW_KINDS",
    "CURRENCY_OF_COUNTRY",
    "FORMATS",
    "Relation",
    "default_relations",
    "simulate",
    "write_log",
]

OPTIONS_PER_RELATION: Final = 2
"""Route options planned per relation; shipments are split 70/30 between two."""
DEFAULT_RELATIONS: Final = 24
DISCHARGE_MEDIAN_HOURS: Final = 2.0
DISCHARGE_P90_HOURS: Final = 6.0
"""Time from a vessel's arrival to the discharge of the cargo (an estimate)."""
UNOFFICIAL_MEDIAN_USD: Final = 25.0
UNOFFICIAL_P90_USD: Final = 120.0
"""Size of an unofficial payment at a border (an estimate for synthetic data)."""
MIN_STEP_SECONDS: Final = 60
"""Shortest wait or move: every interval a payment sits inside is at least a minute."""
_UNIX_MONDAY = 4 * 86400
"""1970-01-01 was a Thursday: the first Monday 00:00 UTC is 4 days later."""
_WEEK = 7 * 86400
_DIRT_TYPES: Final = (
    "border_exit",
    "gauge_change_end",
    "ferry_load",
    "ferry_depart",
    "ferry_arrive",
    "ferry_discharge",
    "gate_in",
    "gate_out",
)
"""Events ``missing`` may drop: none of them makes another row invalid."""


@dataclass(frozen=True, slots=True)
class Relation:
    """An origin-destination pair planned once, and the modes it may use."""

    origin: str
    destination: str
    modes: tuple[str, ...]


@dataclass(slots=True)
class _Wait:
    """How long one step takes: lognormal (median, sigma) plus fixed hours, a weekly
    timetable, and storm holds by month."""

    median_h: float = 0.0
    sigma: float = 0.0
    fixed_h: float = 0.0
    departures_h: FloatArray | None = None
    storm_p: FloatArray | None = None
    storm_spell: FloatArray | None = None


@dataclass(slots=True)
class _Template:
    """The events and payments of one route option, in order."""

    relation: Relation
    option_rank: int
    steps: list[tuple[_Wait, ...]] = field(default_factory=list)
    """Waits between consecutive events: event ``i + 1`` follows step ``i``."""
    events: list[tuple[str, str, str]] = field(default_factory=list)
    """``(event type, place id, mode)`` per event."""
    payments: list[tuple[int, int, float, str, str, str, float, float]] = field(
        default_factory=list
    )
    """``(event a, event b, fraction, item, category, place, usd, probability)``: paid at
    ``t[a] + fraction * (t[b] - t[a])``; ``usd`` and ``probability`` -1 for an
    unofficial payment (drawn, and made at the simulation's rate)."""

    def event(self, kind: str, place: str, mode: str, *waits: _Wait) -> int:
        """Add an event after ``waits`` (none: at the time of the last); its index."""
        if self.events:
            self.steps.append(tuple(waits))
        self.events.append((kind, place, mode))
        return len(self.events) - 1


def default_relations(
    network: Network, *, count: int = DEFAULT_RELATIONS, seed: int = 0
) -> tuple[Relation, ...]:
    """``count`` relations between the network's terminals, ports and cities, chosen by
    ``seed``: from China to another country and back, most by any surface mode and
    every fourth by road only.

    Parameters
    ----------
    network
        The network whose places are paired.
    count
        How many relations (at least 1).
    seed
        Chooses the pairs.
    """
    if count < 1:
        raise QueryError(f"relations must be at least 1, not {count}")
    kinds = ("rail_terminal", "dry_port", "seaport", "city")
    ends = sorted(p.id for p in network.places.values() if p.kind in kinds)
    china = [p for p in ends if network.places[p].country == "CN"]
    abroad = [p for p in ends if network.places[p].country != "CN"]
    if not china or not abroad:
        china, abroad = ends, ends
    rng = np.random.default_rng([seed, 0x5E1A7])
    out: list[Relation] = []
    for i in range(count):
        a = china[int(rng.integers(len(china)))]
        b = abroad[int(rng.integers(len(abroad)))]
        modes = ("road",) if i % 4 == 3 else ("rail", "road", "ferry", "sea")
        out.append(Relation(a, b, modes) if i % 2 == 0 else Relation(b, a, modes))
    return tuple(out)


def simulate(
    network: Network | CompiledNetwork,
    *,
    shipments: int,
    seed: int = 0,
    start: dt.date = dt.date(2026, 1, 1),
    months: int = 12,
    relations: Sequence[Relation] | None = None,
    train: str = "block",
    missing: float = 0.0,
    duplicates: float = 0.0,
    bad_rows: float = 0.0,
    unofficial_rate: float = 0.1,
    cost_noise: float = 0.1,
    fx: Mapping[tuple[str, str], float] | None = None,
    chunk_shipments: int = 100_000,
) -> Iterator[pa.Table]:
    """Synthetic event logs, as Arrow tables with the columns of ``INPUT_COLUMNS``.

    Parameters
    ----------
    network
        A network, or one compiled (faster when simulating repeatedly).
    shipments
        Number of shipments (at least 1).
    seed
        Seeds every draw: the same inputs and seed give the same rows.
    start, months
        Shipments depart uniformly over ``months`` calendar months from ``start``.
    relations
        Relations to plan (default :func:`default_relations` of the network).
        Relations without a route are left out; if none has one, an error is raised.
    train
        Train type of the rail legs (default ``block``: CAREC CPMM's border times).
    missing, duplicates, bad_rows
        Shares (0 to 1) of events dropped, rows repeated, and rows spoiled.
    unofficial_rate
        Probability that a border passage has an unofficial payment.
    cost_noise
        Sigma of the multiplicative lognormal noise on every amount.
    fx
        Currency units per US dollar by ``(currency, "YYYY-MM")`` (the ``rates`` of
        :class:`silkway.monitor.currency.FxTable`): a payment in a country whose
        currency has a rate for the month is made in that currency, others in USD.
    chunk_shipments
        Shipments per yielded table (memory stays bounded for large logs).

    Returns
    -------
    Iterator of pyarrow.Table
        Rows of about ``chunk_shipments`` shipments each, in shipment and time order;
        the relations are planned, and options checked, before it is returned.

    Raises
    ------
    QueryError
        For a bad option (a negative count, a share outside 0..1).
    NoRouteError
        If no relation has a route.
    """
    from ..compile import CompiledNetwork, compile_network

    _check_options(shipments, months, missing, duplicates, bad_rows, unofficial_rate, cost_noise)
    if chunk_shipments < 1:
        raise QueryError(f"chunk_shipments must be at least 1, not {chunk_shipments}")
    net = network if isinstance(network, CompiledNetwork) else compile_network(network)
    rels = tuple(relations) if relations is not None else default_relations(net.network, seed=seed)
    templates = _templates(net, rels, start=start, train=train)
    t0 = int(dt.datetime(start.year, start.month, 1, tzinfo=dt.UTC).timestamp())
    end = _add_months(start.replace(day=1), months)
    t1 = int(dt.datetime(end.year, end.month, 1, tzinfo=dt.UTC).timestamp())
    codes = Codes(net.network)
    fmt = Formatter(net.network, codes, t0, t1 + 366 * 86400, fx or {})
    rng = np.random.default_rng([seed, 0x10C])
    weights = np.array([0.7 if t.option_rank == 1 else 0.3 for t in templates])
    for rel in {t.relation for t in templates}:  # a relation's options share its weight
        idx = [i for i, t in enumerate(templates) if t.relation == rel]
        weights[idx] /= weights[idx].sum()
    weights /= weights.sum()
    dirt = Dirt(missing, duplicates, bad_rows)
    return _chunks(
        templates,
        weights,
        fmt,
        rng,
        dirt,
        (t0, t1),
        shipments=shipments,
        chunk_shipments=chunk_shipments,
        unofficial_rate=unofficial_rate,
        cost_noise=cost_noise,
    )


def _chunks(
    templates: Sequence[_Template],
    weights: FloatArray,
    fmt: Formatter,
    rng: np.random.Generator,
    dirt: Dirt,
    span: tuple[int, int],
    *,
    shipments: int,
    chunk_shipments: int,
    unofficial_rate: float,
    cost_noise: float,
) -> Iterator[pa.Table]:
    """The tables of :func:`simulate`, ``chunk_shipments`` shipments at a time."""
    codes = fmt.codes
    t0, t1 = span
    for lo in range(0, shipments, chunk_shipments):
        n = min(chunk_shipments, shipments - lo)
        counts = rng.multinomial(n, weights)
        departures = np.sort(rng.integers(t0, t1, size=n))
        order = rng.permutation(n)  # which departure (and shipment number) each takes
        blocks = []
        at = 0
        for tpl, k in zip(templates, counts, strict=True):
            if k:
                mine = order[at : at + k]
                blocks.append(
                    _sample(
                        tpl,
                        departures[mine],
                        lo + mine,
                        rng,
                        codes,
                        missing=dirt.missing,
                        unofficial_rate=unofficial_rate,
                        cost_noise=cost_noise,
                    )
                )
                at += k
        weight_t = np.round(rng.uniform(8.0, 26.0, size=n), 1)
        yield fmt.table(merge_blocks(blocks), weight_t, lo, rng, dirt)


def _check_options(
    shipments: int,
    months: int,
    missing: float,
    duplicates: float,
    bad_rows: float,
    unofficial_rate: float,
    cost_noise: float,
) -> None:
    if shipments < 1:
        raise QueryError(f"shipments must be at least 1, not {shipments}")
    if months < 1:
        raise QueryError(f"months must be at least 1, not {months}")
    for name, v in (
        ("missing", missing),
        ("duplicates", duplicates),
        ("bad-rows", bad_rows),
        ("unofficial-rate", unofficial_rate),
    ):
        if not 0.0 <= v <= 1.0:
            raise QueryError(f"{name} must be a share between 0 and 1, not {v}")
    if not 0.0 <= cost_noise <= 2.0:
        raise QueryError(f"cost noise must be between 0 and 2, not {cost_noise}")


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    return dt.date(day.year + m // 12, m % 12 + 1, 1)


def _templates(
    net: CompiledNetwork, relations: Sequence[Relation], *, start: dt.date, train: str
) -> list[_Template]:
    from ..engine.planner import plan

    out: list[_Template] = []
    for rel in relations:
        try:
            res = plan(
                net,
                rel.origin,
                rel.destination,
                depart=start,
                modes=rel.modes,
                train=train,
                max_options=OPTIONS_PER_RELATION,
                uncertainty=False,
            )
        except NoRouteError:
            continue
        out += [_template(net, rel, o, train) for o in res.options[:OPTIONS_PER_RELATION]]
    if not out:
        raise NoRouteError("no relation to simulate has a route on this network")
    return out


def _lognormal(median: float, p90: float) -> _Wait:
    sigma = math.log(p90 / median) / Z90 if median > 0 and p90 > median else 0.0
    return _Wait(median_h=median, sigma=sigma)


def _template(net: CompiledNetwork, rel: Relation, option: Option, train: str) -> _Template:
    """The events and payments of one shipment along ``option``."""
    tpl = _Template(rel, option.rank)
    t_idx = net.train_types.index(train)
    legs = option.legs
    pending: list[_Wait] = []
    start = tpl.event("departure", legs[0].from_id, legs[0].mode)  # the section's first event
    section_usd = 0.0  # freight of the legs of the section so far
    carried = 0.0  # freight of crossing legs, paid with the next section that moves
    moved = False  # whether the section has a leg of its own

    def close_section(end: int) -> None:
        nonlocal section_usd, carried, moved
        if moved:
            usd = section_usd + carried
            place = tpl.events[start][1]
            tpl.payments.append((start, end, 0.5, "freight", "official", place, usd, 1.0))
            carried, moved = 0.0, False
        section_usd = 0.0

    for leg in legs:
        costs: dict[tuple[str, str], float] = {}
        for kind, ident, usd in leg.cost_items:
            costs[(kind, ident)] = costs.get((kind, ident), 0.0) + usd
        for w in leg.waits:
            if not w.code.startswith("transfer."):
                continue
            ti = net.transfers.index(w.subject)
            kind = net.transfer_kind[ti]
            first, last = (
                ("gauge_change_start", "gauge_change_end")
                if kind == "gauge_change"
                else ("gate_in", "gate_out")
            )
            a = tpl.event(first, leg.from_id, leg.mode, *pending)
            dwell = _Wait(float(net.transfer_hours[ti]), float(net.transfer_sigma[ti]))
            b = tpl.event(last, leg.from_id, leg.mode, dwell)
            pending = []
            usd = costs.get(("transfer", w.subject), 0.0)
            if usd > 0:
                tpl.payments.append((a, b, 0.5, kind, "official", leg.from_id, usd, 1.0))
        crossing = next((w.subject for w in leg.waits if w.code == "border.dwell"), "")
        freight = sum(usd for (k, _), usd in costs.items() if k in ("link", "handling"))
        entry = -1
        if crossing:
            # the freight of a crossing's link goes with the section before it (or, if
            # that did not move, the next one): never inside the border passage
            if moved:
                section_usd += freight
            else:
                carried += freight
            entry = tpl.event("border_entry", leg.from_id, leg.mode, *pending)
            close_section(entry)
            ci = net.crossings.index(crossing)
            pending = [
                _Wait(
                    float(net.crossing_hours_by_train[t_idx, ci]),
                    float(net.crossing_sigma_by_train[t_idx, ci]),
                )
            ]
        move = _move(net, leg)
        exit_ = -1
        if leg.service_id:
            tpl.event("ferry_load", leg.from_id, leg.mode, *pending)
            tpl.event("ferry_depart", leg.from_id, leg.mode, _service_wait(net, leg.service_id))
            tpl.event("ferry_arrive", leg.to_id, leg.mode, move)
            pending = []
            if crossing:
                exit_ = tpl.event("border_exit", leg.to_id, leg.mode)
            discharge = _lognormal(DISCHARGE_MEDIAN_HOURS, DISCHARGE_P90_HOURS)
            tpl.event("ferry_discharge", leg.to_id, leg.mode, discharge)
        else:
            pending.append(move)
            if crossing:
                exit_ = tpl.event("border_exit", leg.to_id, leg.mode, *pending)
                pending = []
        if crossing:
            fee = costs.get(("crossing", crossing), 0.0)
            if fee > 0:
                tpl.payments.append(
                    (entry, exit_, 0.5, "border_fee", "official", leg.from_id, fee, 1.0)
                )
            tpl.payments.append(
                (entry, exit_, 1 / 3, "informal_payment", "unofficial", leg.from_id, -1.0, -1.0)
            )
            start = exit_
        else:
            section_usd += freight
            moved = True
    close_section(tpl.event("arrival", legs[-1].to_id, legs[-1].mode, *pending))
    return tpl


def _move(net: CompiledNetwork, leg: Leg) -> _Wait:
    """A leg's moving time: lognormal with the link's spread, plus road breaks and rests."""
    li = net.links.index(leg.link_id)
    road = sum(w.hours for w in leg.waits if w.code.startswith("road."))
    return _Wait(leg.hours, float(net.link_sigma[li]), fixed_h=road)


def _service_wait(net: CompiledNetwork, service: str) -> _Wait:
    """The wait for a sailing: a queue's lognormal, or the next timetabled departure;
    then storm holds of the month."""
    si = net.services.index(service)
    storm_p = net.service_storm_p[si]
    wait = _Wait(
        storm_p=storm_p if storm_p.any() else None,
        storm_spell=net.service_storm_spell[si],
    )
    deps = net.service_departures[si]
    if bool(net.service_queue[si]) or deps is None or not len(deps):
        wait.median_h = float(net.service_hours[si])
        wait.sigma = float(net.service_sigma[si])
    else:
        wait.departures_h = np.sort(np.asarray(deps, dtype=np.float64) % 168.0)
    return wait


def _month_index(t: IntArray) -> IntArray:
    """Calendar month (0 = January) of each UTC epoch second."""
    months = t.astype("datetime64[s]").astype("datetime64[M]").astype(np.int64)
    return np.asarray(months % 12, dtype=np.int64)


def _advance(wait: _Wait, t: IntArray, rng: np.random.Generator) -> IntArray:
    """Times after ``wait`` for shipments ready at ``t`` (epoch seconds)."""
    n = t.shape[0]
    hours = np.full(n, float(wait.fixed_h))
    if wait.median_h > 0:
        if wait.sigma > 0:
            hours += wait.median_h * np.exp(wait.sigma * rng.standard_normal(n))
        else:
            hours += wait.median_h
    out = t + np.maximum(np.rint(hours * 3600.0).astype(np.int64), 0)
    if wait.departures_h is not None:
        deps = np.rint(wait.departures_h * 3600.0).astype(np.int64)
        into = (out - _UNIX_MONDAY) % _WEEK
        k = np.searchsorted(deps, into, side="left")
        nxt = np.where(k < deps.size, deps[np.minimum(k, deps.size - 1)], deps[0] + _WEEK)
        out = out + (nxt - into).astype(np.int64)
    if wait.storm_p is not None and wait.storm_spell is not None:
        month = _month_index(out)
        stormy = rng.random(n) < wait.storm_p[month]
        if stormy.any():
            spell = np.maximum(wait.storm_spell[month[stormy]], 1.0)
            days = rng.geometric(1.0 / spell)
            out[stormy] = (out[stormy] // 86400 + days) * 86400
    return np.maximum(out, t + MIN_STEP_SECONDS)


def _sample(
    tpl: _Template,
    departures: IntArray,
    ids: IntArray,
    rng: np.random.Generator,
    codes: Codes,
    *,
    missing: float,
    unofficial_rate: float,
    cost_noise: float,
) -> Block:
    """Rows of ``len(ids)`` shipments along ``tpl``, departing at ``departures``."""
    n = departures.shape[0]
    n_e, n_p = len(tpl.events), len(tpl.payments)
    ts = np.empty((n, n_e + n_p), dtype=np.int64)
    ts[:, 0] = departures
    t = departures.copy()
    for i, waits in enumerate(tpl.steps):
        if waits:
            before = t
            for w in waits:
                t = _advance(w, t, rng)
            t = np.maximum(t, before + MIN_STEP_SECONDS)
        ts[:, i + 1] = t
    usd = np.full((n, n_e + n_p), np.nan)
    keep = np.ones((n, n_e + n_p), dtype=bool)
    for j, (a, b, frac, _item, _cat, _place, amount, prob) in enumerate(tpl.payments):
        pc = n_e + j
        ts[:, pc] = ts[:, a] + np.floor((ts[:, b] - ts[:, a]) * frac).astype(np.int64)
        if amount < 0:  # an unofficial payment: made at the rate, of a drawn size
            sigma = math.log(UNOFFICIAL_P90_USD / UNOFFICIAL_MEDIAN_USD) / Z90
            usd[:, pc] = UNOFFICIAL_MEDIAN_USD * np.exp(sigma * rng.standard_normal(n))
            keep[:, pc] = rng.random(n) < unofficial_rate
        else:
            usd[:, pc] = amount * np.exp(cost_noise * rng.standard_normal(n))
            keep[:, pc] = rng.random(n) < prob
    if missing > 0:
        for e, (event_type, _place, _mode) in enumerate(tpl.events):
            if event_type in _DIRT_TYPES:
                keep[:, e] = rng.random(n) >= missing
    order = np.argsort(ts, axis=1, kind="stable")
    ts = np.take_along_axis(ts, order, axis=1)
    keep = np.take_along_axis(keep, order, axis=1)
    usd = np.take_along_axis(usd, order, axis=1)
    kind = np.array(
        [codes.kind_index[k] for k, _, _ in tpl.events] + [codes.kind_index["payment"]] * n_p
    )
    place = np.array(
        [codes.place_index[p] for _, p, _ in tpl.events]
        + [codes.place_index[p[5]] for p in tpl.payments]
    )
    mode = np.array([EVENT_MODES.index(m) for _, _, m in tpl.events] + [-1] * n_p)
    item = np.array([0] * n_e + [ITEMS.index(p[3]) for p in tpl.payments])
    cat = np.array([0] * n_e + [CATEGORIES.index(p[4]) for p in tpl.payments])
    flat = keep.ravel()
    col = order.ravel()[flat]
    return Block(
        ship=np.repeat(ids, keep.sum(axis=1)),
        ts=ts.ravel()[flat],
        kind=kind[col],
        place=place[col],
        mode=mode[col],
        item=item[col],
        category=cat[col],
        usd=usd.ravel()[flat],
    )
