"""The search kernel compiled with numba, for large networks.

The same label-setting search as :func:`silkway.engine.search.search` with
``exact=False``: the same labels taken in the same heap order, the same dominance and
pruning rules, hence the same routes, on flat arrays: labels, bags (linked lists per
node) and the heap live in numpy arrays, and a route's "no place twice" rule walks the
label's parents instead of keeping a bitmask. It runs in chunks of expansions so the
caller can watch the clock between chunks. The planner uses it for networks of
``search.JIT_MIN_PLACES`` places or more, where the interpreted kernel spends hundreds
of microseconds a label; numba is imported only then, so a plan on the bundled network
does not pay for it. Its twin for the reachability check is
:mod:`silkway.engine._jit_reach`. ``tests/engine/test_jit.py`` checks both against the
interpreted ones on random networks.
"""

from __future__ import annotations

import time

import numpy as np
from numba import njit
from numba import types as nbt
from numba.typed import Dict

from ..compile import CompiledNetwork
from ..compile.timing import HOURS_PER_WEEK
from ..model.records import MODES
from .driving import after_stop, drive
from .pricing import Costing
from .reach import state_csr
from .search import OBJECTIVES, Bounds, Route, SearchResult, SearchStats, Step

CHUNK = 512
"""Expansions between two looks at the clock."""

# status codes of _run
_DONE, _CHUNK_DONE, _FULL = 0, 1, 2

# a label's row in lab_i: place, state, service, next arc, phase, parent, transshipments,
# arc, transfer, service boarded, continued, breaks, rests; then _SIG_WORDS words of a 256-bit
# signature of the places its route passed (a bit per hashed place index), which spares
# most walks up the parents when checking that a route passes each place once
_SIG, _SIG_WORDS = 13, 4
# a label's row in lab_f: time, cost, CO2e, then the step: start, transfer, wait, moving,
# opening wait, dwell, storm hold; then the driving clock (since the break, since the
# daily rest) and the hours stopped for breaks and rests on the arc
_NF = 13

# numba's cache of _run does not notice a change to driving.py: after editing it, delete
# the engine's __pycache__/*.nbi and *.nbc files (or touch this module)
_drive = njit(cache=True)(drive)
_after_stop = njit(cache=True)(after_stop)


@njit(cache=True)
def _sig_bit(place):  # type: ignore[no-untyped-def]
    """The signature bit (0-255) of a place index."""
    return ((place * 2654435761) & 0xFFFFFFFF) >> 24


@njit(cache=True)
def _mark(lab_i, row, place):  # type: ignore[no-untyped-def]
    """Set ``place``'s bit in the signature of label ``row``."""
    hb = _sig_bit(place)
    lab_i[row, _SIG + (hb >> 6)] |= np.int64(1) << (hb & 63)


@njit(cache=True)
def _finish(t, work, starts, ends, cum, cum_end, lo, hi, fold_at, week_open):  # type: ignore[no-untyped-def]
    """Scalar twin of :meth:`silkway.compile.timing.OpenWindows.finish` on one post."""
    shift = 0.0
    if t > fold_at:
        shift = np.ceil((t - fold_at) / HOURS_PER_WEEK) * HOURS_PER_WEEK
    tf = t - shift
    n = hi - lo
    i = np.searchsorted(starts[lo:hi], tf, side="right") - 1
    opened = 0.0
    if i >= 0:
        span = ends[lo + i] - starts[lo + i]
        opened = cum[lo + i] + min(max(tf - starts[lo + i], 0.0), span)
    target = opened + work
    some_work = target > opened
    limit = cum_end[hi - 1] - week_open
    if target > limit:
        weeks = np.ceil((target - limit) / week_open)
        target -= weeks * week_open
        shift += weeks * HOURS_PER_WEEK
    if some_work:
        j = np.searchsorted(cum_end[lo:hi], target, side="left")
    else:
        j = np.searchsorted(cum_end[lo:hi], target, side="right")
    if j == i:
        done = tf + (target - opened)
    elif j >= n:
        done = ends[hi - 1] + (target - cum_end[hi - 1])
    else:
        done = starts[lo + j] + (target - cum[lo + j])
    return done + shift


@njit(cache=True)
def _before(key_a, lid_a, key_b, lid_b, lab_f):  # type: ignore[no-untyped-def]
    """Heap order of the interpreted kernel: (time + bound, cost, CO2e, label id)."""
    if key_a != key_b:
        return key_a < key_b
    if lab_f[lid_a, 1] != lab_f[lid_b, 1]:
        return lab_f[lid_a, 1] < lab_f[lid_b, 1]
    if lab_f[lid_a, 2] != lab_f[lid_b, 2]:
        return lab_f[lid_a, 2] < lab_f[lid_b, 2]
    return lid_a < lid_b


@njit(cache=True)
def _covered(  # type: ignore[no-untyped-def]
    head, ct, cc, ce, ck, cb, cd, lab_f, lab_i, next_in_bag, alive, use_t, use_c, use_e, use_k
):
    """Whether a live label of the list from ``head`` is no worse on every criterion and
    on the driving clock (``cb``, ``cd``; pass ``inf`` to ignore the clock)."""
    j = head
    while j >= 0:
        if (
            alive[j]
            and (lab_f[j, 0] if use_t else 0.0) <= ct
            and (lab_f[j, 1] if use_c else 0.0) <= cc
            and (lab_f[j, 2] if use_e else 0.0) <= ce
            and (lab_i[j, 6] if use_k else 0) <= ck
            and lab_f[j, 10] <= cb
            and lab_f[j, 11] <= cd
        ):
            return True
        j = next_in_bag[j]
    return False


@njit(cache=True)
def _loosen(t, c, e, fin_min, scal_f, use_t, check_best):  # type: ignore[no-untyped-def]
    """(t, c, e) widened by the tolerance, as in the interpreted kernel's ``loosen``.

    With ``check_best``, values that beat the best finished time, cost or CO2e stay as
    they are (compared exactly).
    """
    tol = scal_f[0]
    if tol <= 0.0:
        return t, c, e
    if check_best and (t < fin_min[0] or c < fin_min[1] or e < fin_min[2]):
        return t, c, e
    relax = 1.0 + tol
    if use_t:
        t = scal_f[1] + (t - scal_f[1]) * relax
    return t, c * relax, e * relax


@njit(cache=True)
def _run(  # type: ignore[no-untyped-def]
    g,  # graph: int arrays
    f,  # per-query floats
    b,  # per-query bools
    w,  # windows
    lab_i,
    lab_f,
    bag_of,
    bag_head,
    next_in_bag,
    alive,
    heap_key,
    heap_lid,
    counters,
    max_pops,
):
    (
        out_ptr,
        out_arc,
        arc_to,
        arc_from_state,
        arc_to_state,
        arc_crossing,
        board_ptr,
        board_service,
        board_next,
        tr_ptr,
        tr_to,
        tr_idx,
        t_k,
        dep_ptr,
        via_rank,
        storm_ptr,
        storm_vals,
        scal_i,
    ) = g
    (
        arc_hours,
        arc_cost,
        arc_co2,
        board_offset,
        t_h,
        t_c,
        t_e,
        c_h,
        c_c,
        s_wait,
        dep_vals,
        lb_t,
        lb_c,
        lb_e,
        scal_f,  # tolerance, start hours
        fin_min,  # best finished time, cost, CO2e (kept between chunks)
        rules,  # driving rules: before break, break, daily driving, daily rest
    ) = f
    arc_ok, t_ok, s_ok, s_timetable, always_open, arc_road, transload = b
    win_ptr, starts, ends, cum, cum_end, fold_at, week_open = w
    (
        destination,
        n_states,
        n_phase,
        n_via,
        use_t,
        use_c,
        use_e,
        use_k,
        kmax,
        n_services,
        max_new,
        rules_on,
    ) = scal_i
    r_bb = rules[0]
    r_bh = rules[1]
    r_dd = rules[2]
    r_dr = rules[3]
    no_clock = np.inf
    n_labels = counters[0]
    n_heap = counters[1]
    pops = 0
    finished_head = counters[3]
    cap = lab_i.shape[0]
    covered_args = (lab_f, lab_i, next_in_bag, alive, use_t, use_c, use_e, use_k)
    while n_heap > 0:
        if pops >= max_pops:
            counters[0] = n_labels
            counters[1] = n_heap
            counters[3] = finished_head
            return _CHUNK_DONE
        if n_labels + max_new >= cap:
            counters[0] = n_labels
            counters[1] = n_heap
            counters[3] = finished_head
            return _FULL
        # pop the smallest key
        lid = heap_lid[0]
        n_heap -= 1
        if n_heap > 0:
            key = heap_key[n_heap]
            item = heap_lid[n_heap]
            pos = 0
            while True:
                child = 2 * pos + 1
                if child >= n_heap:
                    break
                if child + 1 < n_heap and _before(
                    heap_key[child + 1],
                    heap_lid[child + 1],
                    heap_key[child],
                    heap_lid[child],
                    lab_f,
                ):
                    child += 1
                if _before(heap_key[child], heap_lid[child], key, item, lab_f):
                    heap_key[pos] = heap_key[child]
                    heap_lid[pos] = heap_lid[child]
                    pos = child
                else:
                    break
            heap_key[pos] = key
            heap_lid[pos] = item
        if not alive[lid]:
            continue
        p = lab_i[lid, 0]
        s0 = lab_i[lid, 1]
        svc0 = lab_i[lid, 2]
        nxt0 = lab_i[lid, 3]
        ph = lab_i[lid, 4]
        k0 = lab_i[lid, 6]
        t0 = lab_f[lid, 0]
        c0 = lab_f[lid, 1]
        e0 = lab_f[lid, 2]
        if finished_head >= 0:
            et = (t0 + lb_t[ph, p]) if use_t else 0.0
            ec = (c0 + lb_c[ph, p]) if use_c else 0.0
            ee = (e0 + lb_e[ph, p]) if use_e else 0.0
            ek = k0 if use_k else 0
            et, ec, ee = _loosen(et, ec, ee, fin_min, scal_f, use_t, True)
            if _covered(finished_head, et, ec, ee, ek, no_clock, no_clock, *covered_args):
                continue
        clk_b = lab_f[lid, 10]
        clk_d = lab_f[lid, 11]
        pops += 1
        counters[2] += 1
        for ai in range(out_ptr[p], out_ptr[p + 1]):
            a = out_arc[ai]
            if not arc_ok[a]:
                continue
            q = arc_to[a]
            # no place twice: walk the parents, unless the label's signature of the
            # places it passed says q is not among them
            hb = _sig_bit(q)
            if (lab_i[lid, _SIG + (hb >> 6)] >> (hb & 63)) & 1:
                seen = False
                j = lid
                while j >= 0:
                    if lab_i[j, 0] == q:
                        seen = True
                        break
                    j = lab_i[j, 5]
                if seen:
                    continue
            q_phase = ph
            if n_via > 0:
                rank = via_rank[q]
                if rank >= 0:
                    if rank != ph:
                        continue
                    q_phase = ph + 1
                elif q == destination and ph < n_via:
                    continue
            t = t0
            c = c0
            e = e0
            k = k0
            ti = -1
            th = 0.0
            s_from = arc_from_state[a]
            if s0 >= 0 and s0 != s_from:
                for x in range(tr_ptr[s0], tr_ptr[s0 + 1]):
                    if tr_to[x] == s_from:
                        ti = tr_idx[x]
                        break
                if ti < 0 or not t_ok[ti]:
                    continue
                th = t_h[ti]
                t += th
                c += t_c[ti]
                e += t_e[ti]
                k += t_k[ti]
                if k > kmax:
                    continue
            b0 = board_ptr[a]
            b1 = board_ptr[a + 1]
            n_opt = 1 if b0 == b1 else b1 - b0
            for oi in range(n_opt):
                sv = -1
                wait = 0.0
                storm = 0.0
                nxt = -1
                cont = 0
                if b0 != b1:
                    bb = b0 + oi
                    sv = board_service[bb]
                    if not s_ok[sv]:
                        continue
                    nxt = board_next[bb]
                    if ti < 0 and sv == svc0 and nxt0 == a:
                        cont = 1
                    elif s_timetable[sv]:
                        tw = (t - board_offset[bb]) % HOURS_PER_WEEK
                        best = HOURS_PER_WEEK * 2.0
                        for d in range(dep_ptr[sv], dep_ptr[sv + 1]):
                            cand = (dep_vals[d] - tw) % HOURS_PER_WEEK
                            if cand < best:
                                best = cand
                        wait = best
                    else:
                        wait = s_wait[sv]
                    if cont == 0 and storm_ptr[sv] < storm_ptr[sv + 1]:
                        # the median storm hold, as weather.median_hold
                        td = t + wait
                        day = np.int64(np.floor(td / 24.0))
                        last = storm_ptr[sv + 1] - storm_ptr[sv] - 1
                        n_days = storm_vals[storm_ptr[sv] + min(day, last)]
                        if n_days > 0:
                            storm = (day + n_days) * 24.0 - td
                stopped = 0.0
                n_brk = 0
                n_rst = 0
                cb = 0.0
                cd = 0.0
                driven = rules_on != 0 and arc_road[a]
                if driven:
                    cb = clk_b
                    cd = clk_d
                    if th + wait + storm > 0.0:
                        cb, cd = _after_stop(cb, cd, th + wait + storm, r_bh, r_dr)
                    stopped, cb, cd, n_brk, n_rst = _drive(
                        cb, cd, arc_hours[a], r_bb, r_bh, r_dd, r_dr
                    )
                arrive = t + wait + storm + arc_hours[a] + stopped
                ci = arc_crossing[a]
                open_wait = 0.0
                dwell = 0.0
                c2 = c + arc_cost[a]
                if ci >= 0:
                    dwell = c_h[ci]
                    c2 += c_c[ci]
                    on_schedule = nxt >= 0 and sv >= 0 and s_timetable[sv]
                    if not always_open[ci] and not on_schedule and win_ptr[ci] < win_ptr[ci + 1]:
                        fin = _finish(
                            arrive,
                            dwell,
                            starts,
                            ends,
                            cum,
                            cum_end,
                            win_ptr[ci],
                            win_ptr[ci + 1],
                            fold_at[ci],
                            week_open[ci],
                        )
                        open_wait = fin - arrive - dwell
                t2 = arrive + open_wait + dwell
                if driven and ci >= 0:
                    if transload[ci]:
                        cb = 0.0
                        cd = 0.0
                    else:
                        cb, cd = _after_stop(cb, cd, open_wait + dwell, r_bh, r_dr)
                e2 = e + arc_co2[a]
                # ---- push
                at_dest = q == destination and q_phase == n_via
                ct = t2 if use_t else 0.0
                cc = c2 if use_c else 0.0
                ce = e2 if use_e else 0.0
                ck = k if use_k else 0
                if finished_head >= 0:
                    if at_dest:
                        et, ec, ee = ct, cc, ce
                    else:
                        et = (ct + lb_t[q_phase, q]) if use_t else 0.0
                        ec = (cc + lb_c[q_phase, q]) if use_c else 0.0
                        ee = (ce + lb_e[q_phase, q]) if use_e else 0.0
                    et, ec, ee = _loosen(et, ec, ee, fin_min, scal_f, use_t, True)
                    if _covered(finished_head, et, ec, ee, ck, no_clock, no_clock, *covered_args):
                        continue
                if at_dest:
                    head = finished_head
                else:
                    if nxt < 0 or sv < 0:
                        node = arc_to_state[a] * n_phase + q_phase
                    else:
                        node = n_states * n_phase + (nxt * n_services + sv) * n_phase + q_phase
                    if node in bag_of:
                        bag = bag_of[node]
                    else:
                        bag = np.int64(len(bag_of))
                        bag_of[node] = bag
                        bag_head[bag] = -1
                    head = bag_head[bag]
                lt, lc, le = _loosen(ct, cc, ce, fin_min, scal_f, use_t, at_dest)
                # a label covers another only if its driving clock is no later either
                kb = no_clock if at_dest else cb
                kd = no_clock if at_dest else cd
                if _covered(head, lt, lc, le, ck, kb, kd, *covered_args):
                    continue
                # kill those the new label dominates, and unlink the dead
                prev = -1
                j = head
                while j >= 0:
                    nj = next_in_bag[j]
                    if alive[j]:
                        ot = lab_f[j, 0] if use_t else 0.0
                        oc = lab_f[j, 1] if use_c else 0.0
                        oe = lab_f[j, 2] if use_e else 0.0
                        ok_ = lab_i[j, 6] if use_k else 0
                        if (
                            ct <= ot
                            and cc <= oc
                            and ce <= oe
                            and ck <= ok_
                            and (at_dest or (cb <= lab_f[j, 10] and cd <= lab_f[j, 11]))
                        ):
                            alive[j] = False
                    if not alive[j]:
                        if prev < 0:
                            head = nj
                        else:
                            next_in_bag[prev] = nj
                    else:
                        prev = j
                    j = nj
                nl = n_labels
                n_labels += 1
                lab_i[nl, 0] = q
                lab_i[nl, 1] = arc_to_state[a]
                lab_i[nl, 2] = sv if nxt >= 0 else -1
                lab_i[nl, 3] = nxt
                lab_i[nl, 4] = q_phase
                lab_i[nl, 5] = lid
                lab_i[nl, 6] = k
                lab_i[nl, 7] = a
                lab_i[nl, 8] = ti
                lab_i[nl, 9] = sv
                lab_i[nl, 10] = cont
                lab_i[nl, 11] = n_brk
                lab_i[nl, 12] = n_rst
                for wi in range(_SIG_WORDS):
                    lab_i[nl, _SIG + wi] = lab_i[lid, _SIG + wi]
                _mark(lab_i, nl, q)
                lab_f[nl, 0] = t2
                lab_f[nl, 1] = c2
                lab_f[nl, 2] = e2
                lab_f[nl, 3] = t0
                lab_f[nl, 4] = th
                lab_f[nl, 5] = wait
                lab_f[nl, 6] = arc_hours[a]
                lab_f[nl, 7] = open_wait
                lab_f[nl, 8] = dwell
                lab_f[nl, 9] = storm
                lab_f[nl, 10] = cb
                lab_f[nl, 11] = cd
                lab_f[nl, 12] = stopped
                alive[nl] = True
                next_in_bag[nl] = head
                head = nl
                if at_dest:
                    finished_head = head
                    fin_min[0] = min(fin_min[0], ct)
                    fin_min[1] = min(fin_min[1], cc)
                    fin_min[2] = min(fin_min[2], ce)
                else:
                    bag_head[bag] = head
                    # heap push
                    hk = t2 + lb_t[q_phase, q]
                    pos = n_heap
                    n_heap += 1
                    while pos > 0:
                        parent = (pos - 1) // 2
                        if _before(hk, nl, heap_key[parent], heap_lid[parent], lab_f):
                            heap_key[pos] = heap_key[parent]
                            heap_lid[pos] = heap_lid[parent]
                            pos = parent
                        else:
                            break
                    heap_key[pos] = hk
                    heap_lid[pos] = nl
    counters[0] = n_labels
    counters[1] = n_heap
    counters[3] = finished_head
    return _DONE


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
