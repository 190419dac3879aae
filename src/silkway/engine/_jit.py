"""The search kernel compiled with numba, for large networks.

The same label-setting search as :func:`silkway.engine.search.search` with
``exact=False``: the same labels taken in the same heap order, the same dominance and
pruning rules, hence the same routes, on flat arrays: labels, bags (linked lists per
node) and the heap live in numpy arrays, and a route's "no place twice" rule walks the
label's parents instead of keeping a bitmask. It runs in chunks of expansions so the
caller can watch the clock between chunks. The planner uses it for networks of
``search.JIT_MIN_PLACES`` places or more, where the interpreted kernel spends hundreds
of microseconds a label; numba is imported only then, so a plan on the bundled network
does not pay for it. This module holds the compiled kernel; :mod:`._jit_search` prepares
its inputs and turns its labels into routes. Its twin for the reachability check is
:mod:`silkway.engine._jit_reach`. ``tests/engine/test_jit.py`` checks both against the
interpreted ones on random networks.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..compile.timing import HOURS_PER_WEEK
from .driving import after_stop, drive

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
