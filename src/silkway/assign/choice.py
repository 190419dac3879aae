"""Choice sets: the route options of every OD pair and cargo class, from the planner.

Each group (origin, destination, cargo class) is planned once on the free-flow network
(its Pareto options, medians only); column generation plans it again on a network with
the congestion built in, and keeps the routes it did not have. Routes are told apart by
the elements they load.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .._errors import NoRouteError, QueryError
from ..compile import CompiledNetwork
from ..model.records import Network
from ..results import Option
from . import kernels
from .config import AssignConfig
from .network import ElementIndex, ElementKey, RouteUse, route_use
from .solver import Problem, element_arrays

FEU_CLASSES: tuple[str, ...] = ("container", "general", "dangerous_goods")
"""Classes planned as one FEU; the bulk classes are planned as an FEU's weight in tonnes."""


@dataclass(frozen=True, slots=True)
class Group:
    """One OD pair and cargo class with its yearly demand."""

    origin: str
    destination: str
    cargo_class: str
    feu: float
    tonnes: float
    value_usd_per_feu: float | None
    """Cargo value per FEU-equivalent from the demand rows, or ``None`` if not given."""
    vot: float
    """USD per FEU-hour."""
    weight: float
    """Demand in FEU-equivalents (FEU, or tonnes over an FEU's payload): the gap's weight."""


@dataclass(frozen=True, slots=True)
class Route:
    """One route option of a group, with its free-flow totals per FEU-equivalent."""

    group: int
    label: str
    places: str
    """Place ids of the route, joined by ``>`` (as a skim table's ``route``)."""
    modes: str
    cost_usd: float
    hours: float
    co2e_kg: float
    use: RouteUse
    round: int
    """0: free-flow choice set; n: found by the n-th round of column generation."""


@dataclass(slots=True)
class ChoiceSets:
    """Routes of every group, and the elements they load."""

    groups: list[Group]
    routes: list[Route] = field(default_factory=list)
    elements: ElementIndex = field(default_factory=ElementIndex)
    failures: dict[int, str] = field(default_factory=dict)
    """Group -> why it has no route (the planner's message)."""
    _seen: set[tuple[int, tuple[ElementKey, ...]]] = field(default_factory=set)

    def add(
        self, g: int, option: Option, network: Network, config: AssignConfig, round_: int
    ) -> bool:
        """Add ``option`` to group ``g`` unless a route loading the same elements exists."""
        use = route_use(option, network)
        sig = (g, use.keys)
        if sig in self._seen:
            return False
        self._seen.add(sig)
        for key in use.keys:
            self.elements.index(key, network, config)
        self.routes.append(
            Route(
                g,
                " → ".join(option.route_names),
                ">".join(option.route),
                "+".join(option.modes),
                option.cost_usd,
                option.hours_p50,
                option.co2e_wtw_kg,
                use,
                round_,
            )
        )
        return True

    def problem(
        self, network: Network, config: AssignConfig, reference: np.ndarray | None
    ) -> Problem:
        """The solver's arrays for the current routes (``reference``: keep these scales)."""
        idx = self.elements
        n_r, n_e = len(self.routes), len(idx)
        rows: list[int] = []
        cols: list[int] = []
        weights: list[float] = []
        for r, route in enumerate(self.routes):
            for key, w in zip(route.use.keys, route.use.weights, strict=True):
                rows.append(r)
                cols.append(idx.index(key, network, config))
                weights.append(w)
        ones = np.ones(len(rows))
        use = sparse.csr_array((ones, (rows, cols)), shape=(n_r, n_e))
        cap, basis_t, fn, w0 = element_arrays(idx.elements)
        hours_w = np.asarray(weights)
        col = np.asarray(cols, dtype=np.int64)
        dw = np.where(fn[col] == 1, hours_w, np.where(fn[col] == 2, 1.0, 0.0))
        delay_weight = sparse.csr_array((dw, (rows, cols)), shape=(n_r, n_e))
        t0 = np.zeros(n_e)
        np.maximum.at(t0, col, hours_w)
        group = np.asarray([r.group for r in self.routes], dtype=np.int64)
        link = np.asarray([k.kind == "link" for k in self._keys_of(cols)], dtype=bool)
        pairs = np.unique(np.stack([np.asarray(rows, dtype=np.int64)[link], col[link]]), axis=1)
        pair_hours = _pair_hours(
            np.asarray(rows, dtype=np.int64)[link], col[link], hours_w[link], pairs
        )
        log_ps = kernels.log_path_size(group, pairs[0], pairs[1], pair_hours)
        cost = np.asarray([r.cost_usd for r in self.routes])
        hours = np.asarray([r.hours for r in self.routes])
        co2 = np.asarray([r.co2e_kg for r in self.routes])
        vot = np.asarray([g.vot for g in self.groups])
        if reference is None:
            gc0 = cost + vot[group] * hours
            reference = np.full(len(self.groups), np.inf)
            np.minimum.at(reference, group, gc0)
            reference[~np.isfinite(reference)] = 1.0
            reference = np.maximum(reference, 1.0)
        return Problem(
            group=group,
            cost_usd=cost,
            hours=hours,
            co2e_kg=co2,
            use=use,
            delay_weight=delay_weight,
            capacity=cap,
            basis_t=basis_t,
            function=fn,
            w0=w0,
            t0=t0,
            group_feu=np.asarray([g.feu for g in self.groups]),
            group_t=np.asarray([g.tonnes for g in self.groups]),
            group_weight=np.asarray([g.weight for g in self.groups]),
            vot=vot,
            reference=np.asarray(reference, dtype=np.float64),
            log_path_size=log_ps,
        )

    def _keys_of(self, cols: list[int]) -> list[ElementKey]:
        elements = self.elements.elements
        return [elements[c].key for c in cols]


def _pair_hours(
    rows: np.ndarray, cols: np.ndarray, hours: np.ndarray, pairs: np.ndarray
) -> np.ndarray:
    """Hours of each unique (route, element) pair: a link travelled twice counts twice."""
    if pairs.size == 0:
        return np.zeros(0)
    width = int(cols.max()) + 1
    key = rows * width + cols
    order = np.searchsorted(pairs[0] * width + pairs[1], key)
    return np.bincount(order, weights=hours, minlength=pairs.shape[1])


def cargo_text(cargo_class: str, network: Network) -> str:
    """What the planner is asked to carry for a class: one FEU, or an FEU's tonnes."""
    if cargo_class == "container":
        return "1xFEU"
    if cargo_class in FEU_CLASSES:
        return f"1xFEU:{cargo_class}"
    t = network.parameter("payload_t_per_teu", 10.0) * network.parameter("teu_per_feu", 2.0)
    return f"{t:g}t:{cargo_class}"


def plan_group(
    net: CompiledNetwork, group: Group, config: AssignConfig, depart: str
) -> list[Option] | str:
    """The Pareto options of a group (medians only), or the reason there is none."""
    from ..engine.planner import plan

    try:
        result = plan(
            net,
            group.origin,
            group.destination,
            cargo=cargo_text(group.cargo_class, net.network),
            cargo_class=group.cargo_class,
            depart=depart,
            all_options=True,
            uncertainty=False,
            time_limit=config.time_limit_s,
        )
    except (NoRouteError, QueryError) as exc:  # this group cannot go: say why, go on
        return str(exc)
    return list(result.options)
