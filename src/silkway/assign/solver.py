"""Stochastic user equilibrium over route choice sets, by self-regulated averaging.

The state is one share per route (routes of a group share its demand). One iteration:
load the elements with the current route flows, compute each element's added delay,
each route's generalised cost, the logit shares those costs imply (the *target*), the
gap between current and target flows, and move the shares towards the target by a step
``1 / eta``. The step regulates itself by the gap, as in Liu, He and He (2009), but
geometrically: ``eta`` doubles when the gap grew and shrinks by a tenth (not below 1)
when it fell, so a steep logit reaches small steps in a few iterations and the steps
grow back once the gap falls. At a fixed point the shares equal the logit of their own
costs: the SUE.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from . import kernels
from .kernels import FloatArray, IntArray
from .network import HOURS_PER_YEAR, Element

FN_NONE, FN_BPR, FN_QUEUE = 0, 1, 2
_FN_CODE = {"none": FN_NONE, "bpr": FN_BPR, "queue": FN_QUEUE}


@dataclass(frozen=True, slots=True)
class Params:
    """The numbers the iteration needs, from the config and the call."""

    dispersion: float
    bpr_alpha: float
    bpr_beta: float
    queue_variability: float
    rho_max: float
    co2_price_usd_per_t: float
    path_size: float
    """Coefficient of ``ln PS`` in the utility (0: a plain multinomial logit)."""


@dataclass(slots=True)
class Problem:
    """Route and element arrays (positions, never ids)."""

    group: IntArray
    """Route -> group index."""
    cost_usd: FloatArray
    hours: FloatArray
    co2e_kg: FloatArray
    use: sparse.csr_array
    """Route x element: times the route passes the element."""
    delay_weight: sparse.csr_array
    """Route x element: moving hours on BPR links, 1 on queue elements, else 0."""
    capacity: FloatArray
    """Element -> capacity per year in its basis (NaN: uncapacitated)."""
    basis_t: npt.NDArray[np.bool_]
    function: IntArray
    w0: FloatArray
    t0: FloatArray
    """Element -> hours the BPR factor scales (largest moving time on the link)."""
    group_feu: FloatArray
    group_t: FloatArray
    group_weight: FloatArray
    vot: FloatArray
    """Group -> USD per FEU-hour."""
    reference: FloatArray
    """Group -> the cheapest free-flow generalised cost (fixed: the logit's scale)."""
    log_path_size: FloatArray
    """Route -> ``ln PS``, the overlap correction (0 for a route that shares no link)."""

    @property
    def n_groups(self) -> int:
        return int(self.group_feu.shape[0])


def element_arrays(
    elements: list[Element],
) -> tuple[FloatArray, npt.NDArray[np.bool_], IntArray, FloatArray]:
    """Capacity, basis-is-tonnes, delay function code and Kingman scale per element."""
    n = len(elements)
    cap = np.full(n, np.nan)
    basis_t = np.zeros(n, dtype=bool)
    fn = np.zeros(n, dtype=np.int64)
    w0 = np.zeros(n)
    for i, el in enumerate(elements):
        fn[i] = _FN_CODE[el.function]
        if el.capacity is not None:
            cap[i] = el.capacity.per_year
            basis_t[i] = el.capacity.basis == "t"
            w0[i] = HOURS_PER_YEAR * el.capacity.vehicle / el.capacity.per_year
    return cap, basis_t, fn, w0


@dataclass(frozen=True, slots=True)
class State:
    """Everything one evaluation of the shares gives."""

    shares: FloatArray
    flow_feu: FloatArray
    flow_t: FloatArray
    v_c: FloatArray
    delay_h: FloatArray
    """Element -> added hours per passage."""
    route_added_h: FloatArray
    generalised: FloatArray
    target: FloatArray


def evaluate(pb: Problem, shares: FloatArray, prm: Params) -> State:
    """Load, delays, generalised costs and logit targets for ``shares``."""
    flow_feu = kernels.load(pb.use, shares * pb.group_weight[pb.group])
    flow_t = kernels.load(pb.use, shares * pb.group_t[pb.group])
    load = np.where(pb.basis_t, flow_t, flow_feu)
    with np.errstate(invalid="ignore", divide="ignore"):
        v_c = load / pb.capacity
    factor = np.zeros_like(v_c)
    bpr = pb.function == FN_BPR
    queue = pb.function == FN_QUEUE
    factor[bpr] = kernels.bpr_factor(v_c[bpr], alpha=prm.bpr_alpha, beta=prm.bpr_beta)
    factor[queue] = kernels.queue_wait(
        v_c[queue], prm.queue_variability * pb.w0[queue], rho_max=prm.rho_max
    )
    delay_h = np.where(bpr, pb.t0 * factor, factor)
    added = np.asarray(pb.delay_weight @ factor, dtype=np.float64)
    gc = generalised(pb, added, prm)
    utility = -prm.dispersion * gc / pb.reference[pb.group] + prm.path_size * pb.log_path_size
    target = kernels.grouped_logit(utility, pb.group, pb.n_groups)
    return State(shares, flow_feu, flow_t, v_c, delay_h, added, gc, target)


def generalised(pb: Problem, added_h: FloatArray, prm: Params) -> FloatArray:
    """Money + CO2e price + value of time x (hours + added hours), per FEU-equivalent."""
    hours = pb.hours + added_h
    return np.asarray(
        pb.cost_usd + prm.co2_price_usd_per_t * pb.co2e_kg / 1000.0 + pb.vot[pb.group] * hours,
        dtype=np.float64,
    )


@dataclass(frozen=True, slots=True)
class Iteration:
    """One row of the convergence log."""

    iteration: int
    gap: float
    step: float
    routes: int
    max_v_c: float
    new_routes: int = 0


@dataclass(frozen=True, slots=True)
class Outcome:
    """The solver's result: final state, log, whether the gap reached the tolerance."""

    state: State
    log: tuple[Iteration, ...]
    converged: bool


Extend = Callable[[State], tuple[Problem, FloatArray, int]]
"""Column generation: given the state, returns the (possibly larger) problem, the shares
carried over (new routes at 0) and how many routes were added."""


def solve(
    pb: Problem,
    prm: Params,
    *,
    tolerance: float,
    max_iterations: int,
    sra_up: float,
    sra_down: float,
    extend: Extend | None = None,
    extend_every: int = 10,
    extend_rounds: int = 0,
    on_iteration: Callable[[Iteration], None] | None = None,
) -> Outcome:
    """Iterate to the SUE (see the module docstring).

    The shares start at the logit of free-flow costs. ``eta`` is multiplied by ``sra_up``
    when the gap grew and by ``1 - sra_down`` (not below 1) when it fell; the step is
    ``1 / eta``. Column generation (``extend``)
    runs every ``extend_every`` iterations and whenever the gap reaches the tolerance,
    at most ``extend_rounds`` times; the solver stops when the gap is within tolerance
    and no round of column generation is left or the last one found no new route.
    """
    shares = evaluate(pb, np.zeros(pb.group.shape[0]), prm).target
    weight_total = float(pb.group_weight.sum())
    eta, last_gap = 1.0, np.inf
    log: list[Iteration] = []
    rounds = extend_rounds
    state = evaluate(pb, shares, prm)
    for k in range(1, max_iterations + 1):
        gap = kernels.relative_gap(shares, state.target, pb.group_weight[pb.group], weight_total)
        new = 0
        if extend is not None and rounds > 0 and (gap <= tolerance or k % extend_every == 0):
            rounds -= 1
            pb, shares, new = extend(state)
            if new:
                state = evaluate(pb, shares, prm)
                gap = kernels.relative_gap(
                    shares, state.target, pb.group_weight[pb.group], weight_total
                )
                eta = max(1.0, eta / 2.0)  # let the new routes take their share quickly
        if gap <= tolerance:
            item = Iteration(k, gap, 0.0, len(shares), _max(state.v_c), new)
            log.append(item)
            if on_iteration is not None:
                on_iteration(item)
            return Outcome(state, tuple(log), True)
        eta = eta * sra_up if gap >= last_gap else max(1.0, eta * (1.0 - sra_down))
        step = 1.0 / eta
        item = Iteration(k, gap, step, len(shares), _max(state.v_c), new)
        log.append(item)
        if on_iteration is not None:
            on_iteration(item)
        last_gap = gap
        shares = shares + step * (state.target - shares)
        state = evaluate(pb, shares, prm)
    return Outcome(state, tuple(log), False)


def _max(v: FloatArray) -> float:
    finite = v[np.isfinite(v)]
    return float(finite.max()) if finite.size else float("nan")
