"""What :func:`silkway.assign.assign` returns: tables of element flows, OD results, routes,
iterations and bottlenecks, with stable column names, and how to write them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from . import kernels
from .choice import ChoiceSets
from .config import AssignConfig
from .solver import Outcome, Problem, State

if TYPE_CHECKING:
    import pandas as pd

FLOW_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "direction",
    "name",
    "mode",
    "flow_feu",
    "flow_t",
    "capacity",
    "capacity_unit",
    "capacity_given",
    "capacity_source",
    "capacity_kind",
    "v_c",
    "delay_function",
    "added_delay_h",
    "note",
)
OD_COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "cargo_class",
    "demand_feu",
    "demand_t",
    "value_of_time_usd_h",
    "routes",
    "hours_free_flow",
    "hours",
    "added_delay_h",
    "cost_usd",
    "co2e_kg",
    "generalised_cost_usd",
    "top_route",
    "top_route_places",
    "top_share",
    "status",
)
ROUTE_COLUMNS: tuple[str, ...] = (
    "origin",
    "destination",
    "cargo_class",
    "route",
    "route_places",
    "modes",
    "found_in_round",
    "share_free_flow",
    "share",
    "flow_feu",
    "flow_t",
    "hours_free_flow",
    "hours",
    "cost_usd",
    "co2e_kg",
    "generalised_cost_usd",
)
ITERATION_COLUMNS: tuple[str, ...] = ("iteration", "gap", "step", "routes", "max_v_c", "new_routes")
BOTTLENECK_COLUMNS: tuple[str, ...] = (
    "ranking",
    "rank",
    "kind",
    "id",
    "direction",
    "name",
    "v_c",
    "added_delay_h",
    "flow_feu",
    "flow_t",
    "capacity",
    "capacity_unit",
    "loaded_by",
)


@dataclass(frozen=True, slots=True)
class AssignmentResult:
    """An assignment's tables (pandas DataFrames) and its convergence.

    ``converged`` is ``False`` when the gap did not reach ``tolerance`` within the
    iteration limit: the flows are then the last iterate, and ``warnings`` says so.
    """

    flows: pd.DataFrame
    od: pd.DataFrame
    routes: pd.DataFrame
    iterations: pd.DataFrame
    bottlenecks: pd.DataFrame
    converged: bool
    gap: float
    tolerance: float
    seconds: float
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def tables(self) -> dict[str, pd.DataFrame]:
        """The tables by file stem."""
        return {
            "flows": self.flows,
            "od": self.od,
            "routes": self.routes,
            "iterations": self.iterations,
            "bottlenecks": self.bottlenecks,
        }

    def write(self, folder: str | Path, *, parquet: bool | None = None) -> list[Path]:
        """Write every table as CSV (and Parquet when pyarrow is installed, or when
        ``parquet`` is true) plus ``summary.json``; return the files written."""
        import json

        out = Path(folder)
        out.mkdir(parents=True, exist_ok=True)
        if parquet is None:
            import importlib.util

            parquet = importlib.util.find_spec("pyarrow") is not None
        written: list[Path] = []
        for stem, frame in self.tables().items():
            path = out / f"{stem}.csv"
            frame.to_csv(path, index=False)
            written.append(path)
            if parquet:
                pq = out / f"{stem}.parquet"
                frame.to_parquet(pq, index=False)
                written.append(pq)
        path = out / "summary.json"
        path.write_text(json.dumps(self.summary, indent=2, default=str) + "\n", encoding="utf-8")
        written.append(path)
        return written


def build_result(
    sets: ChoiceSets,
    pb: Problem,
    outcome: Outcome,
    free: State,
    cfg: AssignConfig,
    *,
    co2_price: float,
    tolerance: float,
    max_iterations: int,
    depart: str,
    seconds: float,
    top: int = 10,
) -> AssignmentResult:
    """Assemble the tables from the solver's final state."""
    import pandas as pd

    st = outcome.state
    gap = kernels.relative_gap(
        st.shares, st.target, pb.group_weight[pb.group], float(pb.group_weight.sum())
    )
    flows = _flows(sets, pb, st)
    routes = _routes(sets, pb, st, free)
    od = _od(sets, routes)
    iterations = pd.DataFrame(
        [(i.iteration, i.gap, i.step, i.routes, i.max_v_c, i.new_routes) for i in outcome.log],
        columns=list(ITERATION_COLUMNS),
    )
    bottlenecks = _bottlenecks(sets, pb, st, flows, top)
    notes: list[str] = []
    if not outcome.converged:
        notes.append(
            f"the assignment did not converge: relative gap {gap:.2e} after "
            f"{len(outcome.log)} iterations, above the tolerance {tolerance:g} "
            "(raise --max-iterations, or loosen --tolerance); the flows are the last iterate"
        )
    for g, why in sets.failures.items():
        grp = sets.groups[g]
        notes.append(
            f"no route for {grp.origin} → {grp.destination} ({grp.cargo_class}, "
            f"{grp.feu:,.0f} FEU/year): {why}; its demand is not assigned"
        )
    used = flows[flows["flow_feu"] + flows["flow_t"] > 0]
    missing = used[used["capacity"].isna()]
    summary = {
        "schema": "silkway.assign/1",
        "converged": outcome.converged,
        "gap": gap,
        "tolerance": tolerance,
        "iterations": len(outcome.log),
        "max_iterations": max_iterations,
        "seconds": round(seconds, 3),
        "groups": len(sets.groups),
        "groups_without_route": len(sets.failures),
        "routes": len(sets.routes),
        "elements": len(sets.elements),
        "elements_loaded": len(used),
        "elements_loaded_without_capacity": len(missing),
        "uncapacitated_by_kind": {
            str(k): int(v) for k, v in missing["kind"].value_counts().items()
        },
        "demand_feu": float(sum(g.feu for g in sets.groups)),
        "demand_t": float(sum(g.tonnes for g in sets.groups)),
        "co2_price_usd_per_t": co2_price,
        "depart": depart,
        "config": cfg.raw,
        "warnings": notes,
    }
    return AssignmentResult(
        flows,
        od,
        routes,
        iterations,
        bottlenecks,
        outcome.converged,
        gap,
        tolerance,
        seconds,
        summary,
        tuple(notes),
    )


def _flows(sets: ChoiceSets, pb: Problem, st: State) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for i, el in enumerate(sets.elements.elements):
        cap = el.capacity
        rows.append(
            (
                el.key.kind,
                el.key.id,
                el.key.direction,
                el.name,
                el.mode,
                float(st.flow_feu[i]),
                float(st.flow_t[i]),
                cap.per_year if cap else float("nan"),
                ("FEU/year" if cap.basis == "feu" else "t/year") if cap else "",
                cap.given if cap else "",
                cap.source if cap else "",
                cap.kind if cap else "",
                float(st.v_c[i]),
                el.function if cap else "none",
                float(st.delay_h[i]),
                el.note,
            )
        )
    frame = pd.DataFrame(rows, columns=list(FLOW_COLUMNS))
    return frame.sort_values(["kind", "id", "direction"], kind="stable").reset_index(drop=True)


def _routes(sets: ChoiceSets, pb: Problem, st: State, free: State) -> pd.DataFrame:
    import pandas as pd

    rows = []
    for r, route in enumerate(sets.routes):
        g = sets.groups[route.group]
        rows.append(
            (
                g.origin,
                g.destination,
                g.cargo_class,
                route.label,
                route.places,
                route.modes,
                route.round,
                float(free.shares[r]),
                float(st.shares[r]),
                float(st.shares[r] * g.weight),
                float(st.shares[r] * g.tonnes),
                route.hours,
                route.hours + float(st.route_added_h[r]),
                route.cost_usd,
                route.co2e_kg,
                float(st.generalised[r]),
            )
        )
    return pd.DataFrame(rows, columns=list(ROUTE_COLUMNS))


def _od(sets: ChoiceSets, routes: pd.DataFrame) -> pd.DataFrame:
    import pandas as pd

    rows = []
    by_group: dict[Any, pd.DataFrame] = {
        k: v for k, v in routes.groupby(["origin", "destination", "cargo_class"], sort=False)
    }
    for g_i, g in enumerate(sets.groups):
        rs = by_group.get((g.origin, g.destination, g.cargo_class))
        if rs is None or g_i in sets.failures:
            rows.append(
                (
                    g.origin,
                    g.destination,
                    g.cargo_class,
                    g.feu,
                    g.tonnes,
                    g.vot,
                    0,
                    *([float("nan")] * 7),
                    "",
                    "",
                    float("nan"),
                    "no route",
                )
            )
            continue
        s = rs["share"].to_numpy()
        s0 = rs["share_free_flow"].to_numpy()
        hours = float(s @ rs["hours"].to_numpy())
        best = int(np.argmax(s))
        rows.append(
            (
                g.origin,
                g.destination,
                g.cargo_class,
                g.feu,
                g.tonnes,
                g.vot,
                len(rs),
                float(s0 @ rs["hours_free_flow"].to_numpy()),
                hours,
                float(s @ (rs["hours"] - rs["hours_free_flow"]).to_numpy()),
                float(s @ rs["cost_usd"].to_numpy()),
                float(s @ rs["co2e_kg"].to_numpy()),
                float(s @ rs["generalised_cost_usd"].to_numpy()),
                str(rs["route"].iloc[best]),
                str(rs["route_places"].iloc[best]),
                float(s[best]),
                "assigned",
            )
        )
    return pd.DataFrame(rows, columns=list(OD_COLUMNS))


def _bottlenecks(
    sets: ChoiceSets, pb: Problem, st: State, flows: pd.DataFrame, top: int
) -> pd.DataFrame:
    """Top elements by utilisation and by added delay, with the groups loading them."""
    import pandas as pd

    use = pb.use.tocsc()
    route_flow = st.shares * pb.group_weight[pb.group]
    order_vc = [i for i in np.argsort(-np.nan_to_num(st.v_c, nan=-1.0)) if np.isfinite(st.v_c[i])]
    order_d = [i for i in np.argsort(-st.delay_h) if st.delay_h[i] > 0]
    rows = []
    for ranking, order in (("utilisation", order_vc[:top]), ("added_delay", order_d[:top])):
        for rank, i in enumerate(order, start=1):
            el = sets.elements.elements[int(i)]
            col = use[:, [int(i)]]
            r_idx = col.indices
            loads: dict[int, float] = {}
            for r, times in zip(r_idx, col.data, strict=True):
                g = int(pb.group[r])
                loads[g] = loads.get(g, 0.0) + float(route_flow[r] * times)
            total = sum(loads.values()) or 1.0
            ods = sorted(loads.items(), key=lambda kv: -kv[1])[:5]
            loaded_by = "; ".join(
                f"{sets.groups[g].origin}→{sets.groups[g].destination} "
                f"{sets.groups[g].cargo_class} {v / total:.0%}"
                for g, v in ods
                if v >= 0.005 * total
            )
            cap = el.capacity
            rows.append(
                (
                    ranking,
                    rank,
                    el.key.kind,
                    el.key.id,
                    el.key.direction,
                    el.name,
                    float(st.v_c[i]),
                    float(st.delay_h[i]),
                    float(st.flow_feu[i]),
                    float(st.flow_t[i]),
                    cap.per_year if cap else float("nan"),
                    ("FEU/year" if cap.basis == "feu" else "t/year") if cap else "",
                    loaded_by,
                )
            )
    return pd.DataFrame(rows, columns=list(BOTTLENECK_COLUMNS))
