"""The assignment's hot loops, vectorised: delay functions, grouped logit, loading.

Everything here works on plain numpy arrays indexed by position (route index, element
index, group index); the id <-> index mapping lives in :mod:`.network`, never here.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import sparse

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def bpr_factor(v_c: FloatArray, *, alpha: float, beta: float) -> FloatArray:
    """Relative added time of a BPR link, ``alpha (v/c)^beta`` (0 where ``v_c`` is NaN)."""
    out = alpha * np.power(np.nan_to_num(v_c, nan=0.0), beta)
    return np.asarray(out, dtype=np.float64)


def queue_wait(rho: FloatArray, w0: FloatArray, *, rho_max: float) -> FloatArray:
    """Added queueing wait ``w0 rho / (1 - rho)``, continued by its tangent beyond ``rho_max``.

    Parameters
    ----------
    rho
        Utilisation (flow over capacity); NaN (no capacity) gives no wait.
    w0
        Scale of the wait in hours (Kingman: ``(ca^2 + cs^2) / 2`` times the service
        time of one vehicle).
    rho_max
        Where the curve turns into a straight line of the same slope, so the wait stays
        finite, continuous and differentiable for any load.
    """
    r = np.clip(np.nan_to_num(rho, nan=0.0), 0.0, None)
    inside = np.minimum(r, rho_max)
    wait = w0 * inside / (1.0 - inside)
    slope = w0 / (1.0 - rho_max) ** 2
    return np.asarray(wait + np.where(r > rho_max, slope * (r - rho_max), 0.0), np.float64)


def grouped_logit(utility: FloatArray, group: IntArray, n_groups: int) -> FloatArray:
    """Multinomial logit shares of routes within their groups (OD pair and cargo class).

    ``utility`` is already scaled (``-dispersion x cost / reference cost``); each group's
    shares sum to 1. Stable for any utility range (the group maximum is subtracted).
    """
    top = np.full(n_groups, -np.inf)
    np.maximum.at(top, group, utility)
    e = np.exp(utility - top[group])
    total = np.bincount(group, weights=e, minlength=n_groups)
    return np.asarray(e / total[group], dtype=np.float64)


def load(incidence: sparse.csr_array, route_flow: FloatArray) -> FloatArray:
    """Element flows: ``incidence.T @ route_flow`` (an element used twice counts twice)."""
    return np.asarray(incidence.T @ route_flow, dtype=np.float64)


def relative_gap(
    shares: FloatArray, target: FloatArray, route_weight: FloatArray, total: float
) -> float:
    """Demand-weighted L1 distance between current and logit-target route flows over total
    demand: 0 exactly at the stochastic user equilibrium, at most 2."""
    if total <= 0.0:
        return 0.0
    return float(np.sum(route_weight * np.abs(target - shares)) / total)


def log_path_size(
    route_group: IntArray, entry_route: IntArray, entry_element: IntArray, entry_hours: FloatArray
) -> FloatArray:
    """``ln PS`` of every route: the path-size correction of overlapping routes.

    ``PS_r = sum over the links e of r of (h_e / H_r) / N_e``, where ``h_e`` is the moving
    time on link ``e``, ``H_r`` the route's total, and ``N_e`` the number of routes of the
    same group that use ``e`` (Ben-Akiva and Bierlaire 1999). A route sharing nothing has
    ``PS = 1`` (``ln PS = 0``); two identical routes have 1/2 each. The entries are one
    per (route, link) pair, a link used twice by a route listed once.
    """
    n_routes = route_group.shape[0]
    out = np.zeros(n_routes)
    if entry_route.size == 0:
        return out
    key = route_group[entry_route].astype(np.int64) * (int(entry_element.max()) + 1) + entry_element
    _, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    users = counts[inverse].astype(np.float64)
    total = np.bincount(entry_route, weights=entry_hours, minlength=n_routes)
    ok = total[entry_route] > 0
    share = np.where(ok, entry_hours / np.where(ok, total[entry_route], 1.0), 0.0)
    ps = np.bincount(entry_route, weights=share / users, minlength=n_routes)
    has = total > 0
    out[has] = np.log(ps[has])
    return np.asarray(out, dtype=np.float64)
