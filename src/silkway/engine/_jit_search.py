"""Entry points of the compiled search kernel (:mod:`silkway.engine._jit`).

:func:`search_jit` runs the numba twin of :func:`silkway.engine.search.search` and
turns its label arrays into routes; :func:`label_arrays` runs it and hands back the
arrays (for the one-to-all search of :mod:`silkway.engine.onetoall`). Both prepare the
flat inputs the kernel takes (opening windows per week, array sizes) and drive it chunk
by chunk, watching the clock between chunks.
"""

from __future__ import annotations

import time

import numpy as np
from numba import types as nbt
from numba.typed import Dict

from ..compile import CompiledNetwork
from ..model.records import MODES
from ._jit import _DONE, _FULL, _NF, _SIG, _SIG_WORDS, CHUNK, _mark, _run
from .pricing import Costing
from .reach import state_csr
from .search import OBJECTIVES, Bounds, Route, SearchResult, SearchStats, Step


def _grow(arr: np.ndarray, size: int) -> np.ndarray:
    out = np.empty((size, *arr.shape[1:]), dtype=arr.dtype)
    out[: arr.shape[0]] = arr
    return out


def _max_new(net: CompiledNetwork) -> int:
    """Most labels one expansion can create (arcs out of a place times their boardings)."""
    got = net.cache.get("jit_max_new")
    if got is None:
        per_arc = np.maximum(np.diff(net.board_ptr), 1)
        per_place = np.zeros(len(net.places), dtype=np.int64)
        np.add.at(per_place, net.arc_from, per_arc)
        got = net.cache["jit_max_new"] = int(per_place.max(initial=1)) + 1
    return int(got)


def _windows(net: CompiledNetwork, costing: Costing) -> tuple[np.ndarray, ...]:
    """Opening windows of every post that is not always open, concatenated, per week."""
    key = ("jit_windows", costing.windows.frame)
    got: tuple[np.ndarray, ...] | None = net.cache.get(key)
    if got is not None:
        return got
    n_cross = len(net.crossings)
    win_ptr = np.zeros(n_cross + 1, dtype=np.int64)
    fold_at = np.zeros(n_cross)
    week_open = np.ones(n_cross)
    parts: list[tuple[np.ndarray, ...]] = []
    for ci in range(n_cross):
        w = None if net.crossing_always_open[ci] else costing.windows[ci]
        if w is not None:
            parts.append((w.starts, w.ends, w.cum, w.cum_end))
            fold_at[ci], week_open[ci] = w.fold_at, w.week_open
        win_ptr[ci + 1] = win_ptr[ci] + (0 if w is None else w.starts.shape[0])
    cat = [np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(4)]
    got = (win_ptr, *cat, fold_at, week_open)
    net.cache[key] = got
    return got


def search_jit(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    destination: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...] = OBJECTIVES,
    max_transshipments: int | None = None,
    max_labels: int = 2_000_000,
    via: list[int] | tuple[int, ...] = (),
    bounds: Bounds | None = None,
    deadline: float | None = None,
    tolerance: float = 0.0,
) -> SearchResult:
    """:func:`silkway.engine.search.search` (``exact=False``), compiled; same parameters."""
    t_start = time.perf_counter()
    lab_i, lab_f, alive, next_in_bag, counters, budget_hit, deadline_hit = label_arrays(
        net,
        costing,
        origin,
        destination,
        start_hours=start_hours,
        objectives=objectives,
        max_transshipments=max_transshipments,
        max_labels=max_labels,
        via=via,
        bounds=bounds,
        deadline=deadline,
        tolerance=tolerance,
    )
    routes: list[Route] = []
    n_labels = int(counters[0])
    parent = lab_i[:n_labels, 5].tolist()
    nxt_list = next_in_bag[:n_labels].tolist()
    live = alive[:n_labels].tolist()
    ends: list[list[int]] = []
    j = int(counters[3])
    while j >= 0:
        if live[j]:
            path = [j]
            while parent[path[-1]] >= 0:
                path.append(parent[path[-1]])
            ends.append(path[:-1][::-1])  # labels after the origin, in travel order
        j = nxt_list[j]
    rows = sorted({x for path in ends for x in path})
    at = {x: n for n, x in enumerate(rows)}
    ints = lab_i[rows].tolist()
    floats = lab_f[rows].tolist()
    for path in ends:
        steps = []
        for x in path:
            a, ti, sv, cont, n_brk, n_rst = ints[at[x]][7:13]
            t2, _, _, t0, th, wait, mv, ow, dw, st, _, _, stopped = floats[at[x]]
            steps.append(
                Step(
                    a,
                    ti,
                    sv,
                    bool(cont),
                    t0 - start_hours,
                    th,
                    wait,
                    mv,
                    ow,
                    dw,
                    t2 - start_hours,
                    st,
                    stopped,
                    n_brk,
                    n_rst,
                )
            )
        last_i, last_f = ints[at[path[-1]]], floats[at[path[-1]]]
        routes.append(Route(last_f[0] - start_hours, last_f[1], last_f[2], last_i[6], tuple(steps)))
    routes.sort(key=lambda r: (r.hours, r.cost_usd, r.co2_kg))
    stats = SearchStats(
        labels=int(counters[0]),
        expanded=int(counters[2]),
        seconds=time.perf_counter() - t_start,
        budget_hit=budget_hit,
        deadline_hit=deadline_hit,
    )
    return SearchResult(routes, stats)


def label_arrays(
    net: CompiledNetwork,
    costing: Costing,
    origin: int,
    destination: int,
    *,
    start_hours: float,
    objectives: tuple[str, ...] = OBJECTIVES,
    max_transshipments: int | None = None,
    max_labels: int = 2_000_000,
    via: list[int] | tuple[int, ...] = (),
    bounds: Bounds | None = None,
    deadline: float | None = None,
    tolerance: float = 0.0,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, bool, bool]:
    """Run the compiled kernel (``destination=-1``: one-to-all, as in
    :func:`~.search.label_search`); return its label arrays ``lab_i``, ``lab_f``,
    ``alive``, ``next_in_bag``, its counters, and whether the budget or the deadline
    stopped it."""
    _, _, tr_ptr, tr_to, tr_idx = state_csr(net)
    max_new = _max_new(net)
    n_places = len(net.places)
    n_phase = len(via) + 1
    via_rank = np.full(n_places, -1, dtype=np.int64)
    for i, v in enumerate(via):
        via_rank[v] = i
    if bounds is None:
        zeros = np.zeros((n_phase, n_places))
        lb_t = lb_c = lb_e = zeros
    else:
        lb_t, lb_c, lb_e = (
            np.asarray(x, dtype=np.float64) for x in (bounds.time, bounds.cost, bounds.co2)
        )
    deps = costing.service_departures
    dep_ptr = np.zeros(len(deps) + 1, dtype=np.int64)
    dep_ptr[1:] = np.cumsum([0 if d is None else len(d) for d in deps])
    dep_vals = np.concatenate([d for d in deps if d is not None] or [np.zeros(0)])
    held = costing.service_storm_days
    storm_ptr = np.zeros(len(held) + 1, dtype=np.int64)
    storm_ptr[1:] = np.cumsum([0 if d is None else len(d) for d in held])
    storm_vals = np.concatenate(
        [d for d in held if d is not None] or [np.zeros(0, dtype=np.int64)]
    ).astype(np.int64)
    windows = _windows(net, costing)
    rules = costing.drive_rules
    use = [int(o in objectives) for o in OBJECTIVES]
    kmax = max_transshipments if max_transshipments is not None else 1 << 30
    scal_i = np.array(
        [
            destination,
            net.n_states,
            n_phase,
            len(via),
            *use,
            int(max_transshipments is not None),
            kmax,
            len(net.services),
            max_new,
            int(rules is not None),
        ],
        dtype=np.int64,
    )
    g = (
        net.out_ptr,
        net.out_arc,
        net.arc_to,
        net.arc_from_state,
        net.arc_to_state,
        net.arc_crossing,
        net.board_ptr,
        net.board_service,
        net.board_next,
        tr_ptr,
        tr_to,
        tr_idx,
        costing.transfer_counts.astype(np.int64),
        dep_ptr,
        via_rank,
        storm_ptr,
        storm_vals,
        scal_i,
    )
    f = (
        costing.arc_hours,
        costing.arc_cost_usd,
        costing.arc_co2_kg,
        net.board_offset,
        costing.transfer_hours,
        costing.transfer_cost_usd,
        costing.transfer_co2_kg,
        costing.crossing_hours,
        costing.crossing_cost_usd,
        costing.service_wait_hours,
        dep_vals,
        lb_t,
        lb_c,
        lb_e,
        np.array([tolerance, start_hours]),
        np.full(3, np.inf),
        np.array(rules.as_tuple() if rules is not None else (0.0, 0.0, 0.0, 0.0)),
    )
    bools = (
        costing.arc_ok,
        costing.transfer_ok,
        costing.service_ok,
        ~net.service_queue,
        net.crossing_always_open,
        net.arc_mode == MODES.index("road"),
        net.crossing_transload,
    )
    cap = 1 << 14
    lab_i = np.full((cap, _SIG + _SIG_WORDS), -1, dtype=np.int64)
    lab_f = np.zeros((cap, _NF))
    next_in_bag = np.full(cap, -1, dtype=np.int64)
    alive = np.zeros(cap, dtype=np.bool_)
    bag_head = np.full(cap, -1, dtype=np.int64)
    heap_key = np.zeros(cap)
    heap_lid = np.zeros(cap, dtype=np.int64)
    bag_of = Dict.empty(key_type=nbt.int64, value_type=nbt.int64)
    lab_i[0, 0], lab_i[0, 4], lab_i[0, 6] = origin, 0, 0
    lab_i[0, _SIG:] = 0
    _mark(lab_i, 0, origin)
    lab_f[0, 0] = start_hours
    alive[0] = True
    heap_key[0], heap_lid[0] = start_hours + lb_t[0, origin], 0
    counters = np.array([1, 1, 0, -1], dtype=np.int64)  # labels, heap, expanded, finished
    budget_hit = deadline_hit = False
    while True:
        status = _run(
            g,
            f,
            bools,
            windows,
            lab_i,
            lab_f,
            bag_of,
            bag_head,
            next_in_bag,
            alive,
            heap_key,
            heap_lid,
            counters,
            CHUNK,
        )
        if status == _DONE:
            break
        if counters[0] > max_labels:
            budget_hit = True
            break
        if deadline is not None and time.perf_counter() > deadline:
            deadline_hit = True
            break
        if status == _FULL:
            cap *= 2
            lab_i = _grow(lab_i, cap)
            lab_i[cap // 2 :] = -1
            lab_f = _grow(lab_f, cap)
            next_in_bag = _grow(next_in_bag, cap)
            alive = _grow(alive, cap)
            alive[cap // 2 :] = False
            bag_head = _grow(bag_head, cap)
            heap_key = _grow(heap_key, cap)
            heap_lid = _grow(heap_lid, cap)

    return lab_i, lab_f, alive, next_in_bag, counters, budget_hit, deadline_hit
