"""The reachability check compiled with numba, for large networks.

:func:`min_transshipments_jit` is the compiled twin of
:func:`silkway.engine.reach.min_transshipments`: a 0-1 breadth-first search over the
state graph by levels of transshipments. :mod:`silkway.engine.reach` imports it only for
networks of ``search.JIT_MIN_PLACES`` places or more.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..compile import CompiledNetwork
from .reach import state_csr


@njit(cache=True)
def _levels(  # type: ignore[no-untyped-def]
    ptr, arcs, arc_to_state, arc_ok, tr_ptr, tr_to, tr_idx, t_ok, counts, dist, seeds
):
    """0-1 breadth-first search by levels of transshipments; fills ``dist`` (-1 = not
    reached). ``seeds`` are states already given their level in ``dist``."""
    n = dist.shape[0]
    stack = np.empty(n + 1, dtype=np.int64)
    nxt = np.empty(n + 1, dtype=np.int64)
    order = np.argsort(dist[seeds])
    seeds = seeds[order]
    si = 0
    top = 0
    n_next = 0
    level = 0
    max_seed = dist[seeds[-1]] if seeds.shape[0] > 0 else 0
    while True:
        while si < seeds.shape[0] and dist[seeds[si]] <= level:
            if dist[seeds[si]] == level:
                stack[top] = seeds[si]
                top += 1
            si += 1
        for i in range(n_next):
            if dist[nxt[i]] == level:
                stack[top] = nxt[i]
                top += 1
        n_next = 0
        if top == 0 and level >= max_seed:
            break
        while top > 0:
            top -= 1
            s = stack[top]
            for i in range(ptr[s], ptr[s + 1]):
                a = arcs[i]
                if arc_ok[a]:
                    s2 = arc_to_state[a]
                    if dist[s2] < 0 or dist[s2] > level:
                        dist[s2] = level
                        stack[top] = s2
                        top += 1
            for x in range(tr_ptr[s], tr_ptr[s + 1]):
                ti = tr_idx[x]
                if t_ok[ti]:
                    s2 = tr_to[x]
                    if counts[ti] == 0:
                        if dist[s2] < 0 or dist[s2] > level:
                            dist[s2] = level
                            stack[top] = s2
                            top += 1
                    elif dist[s2] < 0:
                        dist[s2] = level + 1
                        nxt[n_next] = s2
                        n_next += 1
        if n_next == 0 and si >= seeds.shape[0]:
            break
        level += 1


def min_transshipments_jit(
    net: CompiledNetwork, arc_ok: np.ndarray, transfer_ok: np.ndarray, legs: list[int]
) -> int | None:
    """:func:`silkway.engine.reach.min_transshipments`, compiled; ``legs`` is the origin,
    the via places and the destination, as place indexes."""
    ptr, arcs, tr_ptr, tr_to, tr_idx = state_csr(net)
    counts = net.transfer_counts.astype(np.int64)
    dist = np.full(net.n_states, -1, dtype=np.int64)
    seeds = np.flatnonzero(net.state_place == legs[0])
    dist[seeds] = 0
    for target in legs[1:]:
        _levels(
            ptr,
            arcs,
            net.arc_to_state,
            arc_ok,
            tr_ptr,
            tr_to,
            tr_idx,
            transfer_ok,
            counts,
            dist,
            seeds.astype(np.int64),
        )
        at = np.flatnonzero(net.state_place == target)
        reached = at[dist[at] >= 0]
        if reached.size == 0:
            return None
        start = dist[reached]
        dist = np.full(net.n_states, -1, dtype=np.int64)
        dist[reached] = start
        seeds = reached
    return int(dist[seeds].min())
