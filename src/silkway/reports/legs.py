"""Leg by leg: which legs of one route replace which of another, and where time and cost go.

:func:`leg_diff` plans one origin-destination pair on two networks (a base and, say, a
scenario that opens the CKU railway) with :func:`silkway.plan`, picks the option of each
that the comparison is about (the skims' route where it is given, else the best option
by the chosen sort), and lines their legs up: legs kept, legs only in the base route
(replaced) and legs only in the other (new), each with its moving and waiting hours, its
cost and its CO2e. The deltas of the rows add up to the change of the two routes' leg
sums (median-basis hours; the options' P50 and P90 include the spread of the waits).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..model.records import Network
from ..results import Leg, Option, PlanResult
from ._common import short

if TYPE_CHECKING:
    import pandas as pd

LEG_DIFF_COLUMNS: tuple[str, ...] = (
    "status",
    "seq",
    "from_id",
    "to_id",
    "from_name",
    "to_name",
    "mode",
    "link_id",
    "service_id",
    "km",
    "hours_base",
    "wait_hours_base",
    "cost_usd_base",
    "co2e_kg_base",
    "hours_other",
    "wait_hours_other",
    "cost_usd_other",
    "co2e_kg_other",
    "hours_delta",
    "wait_hours_delta",
    "cost_usd_delta",
    "co2e_kg_delta",
    "waits",
)
"""Columns of :attr:`LegDiff.table`. ``status`` is ``kept`` (the leg is in both routes),
``replaced`` (base route only) or ``new`` (other route only); ``seq`` is the leg's
position in its route (the base route's for kept legs); the deltas are other minus base,
with a missing side counted as 0; ``waits`` says why the cargo waits on the leg."""


@dataclass(frozen=True)
class LegDiff:
    """Two routes of one OD pair, leg by leg (see :func:`leg_diff`)."""

    origin: str
    destination: str
    base: Option
    other: Option
    table: pd.DataFrame
    """One row per leg, columns :data:`LEG_DIFF_COLUMNS`."""
    notes: tuple[str, ...] = ()
    """How the options were picked, where not as asked."""

    @property
    def changed(self) -> bool:
        """Whether the two routes differ in any leg."""
        return bool((self.table["status"] != "kept").any())

    def headline(self, *, base_name: str = "base", other_name: str = "other") -> str:
        """The difference in one line, for a terminal summary."""
        b, o, t = self.base, self.other, self.table
        pair = f"{short(b.route_names[0])} → {short(b.route_names[-1])}"
        if not self.changed:
            return f"{pair}: the same legs in {base_name} and {other_name}."
        replaced, new = int((t["status"] == "replaced").sum()), int((t["status"] == "new").sum())
        return (
            f"{pair}: {other_name} takes {_via(o)} instead of {_via(b)} ({replaced} legs "
            f"replaced by {new}); P50 {o.hours_p50 - b.hours_p50:+.1f} h, P90 "
            f"{o.hours_p90 - b.hours_p90:+.1f} h, cost {o.cost_usd - b.cost_usd:+,.0f} USD, "
            f"CO2e {o.co2e_wtw_kg - b.co2e_wtw_kg:+,.0f} kg."
        )

    def lines(self, *, base_name: str = "base", other_name: str = "other") -> list[str]:
        """The difference in plain English, a few lines."""
        b, o = self.base, self.other
        out = [
            f"{b.route_names[0]} → {b.route_names[-1]}: {base_name} goes "
            f"{_route_text(b)}; {other_name} goes {_route_text(o)}.",
        ]
        t = self.table
        replaced, new = t[t["status"] == "replaced"], t[t["status"] == "new"]
        if replaced.empty and new.empty:
            out.append("Both use the same legs; only their times or costs differ.")
        else:
            out.append(
                f"{other_name} replaces {_legs_text(replaced, 'base') or 'no leg'} "
                f"with {_legs_text(new, 'other') or 'no leg'}."
            )
        moving, waiting = float(t["hours_delta"].sum()), float(t["wait_hours_delta"].sum())
        cost, co2 = float(t["cost_usd_delta"].sum()), float(t["co2e_kg_delta"].sum())
        out.append(
            f"Time: {moving + waiting:+.1f} h over the legs ({moving:+.1f} h moving, "
            f"{waiting:+.1f} h waiting; P50 {o.hours_p50 - b.hours_p50:+.1f} h, "
            f"P90 {o.hours_p90 - b.hours_p90:+.1f} h). Cost: {cost:+,.0f} USD. "
            f"CO2e: {co2:+,.0f} kg."
        )
        records = t.to_dict("records")
        records.sort(key=lambda r: -abs(r["hours_delta"] + r["wait_hours_delta"]))
        parts = [
            f"{r['from_name']}–{r['to_name']} ({r['mode']}, {r['status']}): "
            f"{r['hours_delta'] + r['wait_hours_delta']:+.1f} h, {r['cost_usd_delta']:+,.0f} USD"
            for r in records[:3]
            if r["hours_delta"] + r["wait_hours_delta"] != 0 or r["cost_usd_delta"] != 0
        ]
        if parts:
            out.append("Largest leg changes in time: " + "; ".join(parts) + ".")
        out.extend(self.notes)
        return out


def _via(option: Option) -> str:
    inner = [short(n) for n in option.route_names[1:-1]]
    return "+".join(option.modes) + (f" via {', '.join(inner)}" if inner else " direct")


def _route_text(option: Option) -> str:
    names = " – ".join(option.route_names)
    return (
        f"{names} ({'+'.join(option.modes)}; P50 {option.hours_p50:.1f} h, "
        f"P90 {option.hours_p90:.1f} h, {option.cost_usd:,.0f} USD)"
    )


def _legs_text(rows: pd.DataFrame, side: str) -> str:
    return ", ".join(
        f"{r['mode']} {r['from_name']}–{r['to_name']} ({r[f'hours_{side}']:.1f} h moving "
        f"+ {r[f'wait_hours_{side}']:.1f} h waiting, {r[f'cost_usd_{side}']:,.0f} USD)"
        for r in rows.to_dict("records")
    )


def _key(leg: Leg) -> tuple[str, str, str]:
    return (leg.link_id, leg.from_id, leg.to_id)


def _leg_values(leg: Leg | None, side: str) -> dict[str, float]:
    if leg is None:
        return {f"{m}_{side}": float("nan") for m in ("hours", "wait_hours", "cost_usd", "co2e_kg")}
    return {
        f"hours_{side}": leg.hours,
        f"wait_hours_{side}": leg.wait_hours,
        f"cost_usd_{side}": leg.cost_usd,
        f"co2e_kg_{side}": leg.co2e_wtw_kg,
    }


def leg_table(base: Option, other: Option) -> pd.DataFrame:
    """The legs of two options lined up (columns :data:`LEG_DIFF_COLUMNS`).

    Legs are matched by link and direction. Rows follow the base route (kept and
    replaced legs), then the legs new in the other route, in its order.
    """
    import pandas as pd

    in_other = {_key(leg): leg for leg in other.legs}
    in_base = {_key(leg) for leg in base.legs}
    rows: list[dict[str, Any]] = []

    def row(status: str, seq: int, leg: Leg, b: Leg | None, o: Leg | None) -> dict[str, Any]:
        values = {**_leg_values(b, "base"), **_leg_values(o, "other")}
        for m in ("hours", "wait_hours", "cost_usd", "co2e_kg"):
            bv, ov = values[f"{m}_base"], values[f"{m}_other"]
            values[f"{m}_delta"] = (0.0 if ov != ov else ov) - (0.0 if bv != bv else bv)
        waits = "; ".join(x.wait_reason for x in (b, o) if x is not None and x.wait_reason)
        return {
            "status": status,
            "seq": seq,
            "from_id": leg.from_id,
            "to_id": leg.to_id,
            "from_name": leg.from_name,
            "to_name": leg.to_name,
            "mode": leg.mode,
            "link_id": leg.link_id,
            "service_id": leg.service_id,
            "km": leg.km,
            **values,
            "waits": waits,
        }

    for seq, leg in enumerate(base.legs, start=1):
        match = in_other.get(_key(leg))
        rows.append(row("kept" if match else "replaced", seq, leg, leg, match))
    for seq, leg in enumerate(other.legs, start=1):
        if _key(leg) not in in_base:
            rows.append(row("new", seq, leg, None, leg))
    return pd.DataFrame(rows, columns=list(LEG_DIFF_COLUMNS))


def pick_option(
    result: PlanResult, route: Sequence[str] | None, *, label: str
) -> tuple[Option, str]:
    """The option whose key places are ``route``, else the first; and a note if not found."""
    if route:
        wanted = tuple(route)
        for option in result.options:
            if option.route == wanted:
                return option, ""
        first = result.options[0]
        return first, (
            f"The {label} route {'>'.join(wanted)} is not among the planner's options; "
            f"its first option ({'>'.join(first.route)}) is shown instead."
        )
    return result.options[0], ""


def leg_diff(
    base: Network,
    other: Network,
    origin: str,
    destination: str,
    *,
    route_base: Sequence[str] | str | None = None,
    route_other: Sequence[str] | str | None = None,
    sort: str = "time",
    plan_options: Mapping[str, Any] | None = None,
) -> LegDiff:
    """Plan one pair on both networks and line the two routes' legs up.

    Parameters
    ----------
    base, other
        The two networks (e.g. the bundled one, and one with the CKU railway open).
    origin, destination
        Place ids or names.
    route_base, route_other
        The routes to compare as key place ids (a sequence, or joined by ``>`` as in a
        skim table's ``route``); the option with those key places is used, else the
        first option by ``sort`` (and :attr:`LegDiff.notes` says so).
    sort
        ``time``, ``cost`` or ``co2``: the order of the planner's options.
    plan_options
        Further keyword options of :func:`silkway.plan` (``depart``, ``cargo``,
        ``train``, ``seed`` ...), the same for both networks.

    Returns
    -------
    LegDiff

    Raises
    ------
    SilkwayError
        As :func:`silkway.plan` does (an unknown place, no route on either network).
    """
    from ..engine.planner import plan

    options = {"max_options": 5, **(plan_options or {}), "sort": sort}
    notes = []
    picked = []
    for network, route, label in ((base, route_base, "base"), (other, route_other, "other")):
        result = plan(network, origin, destination, **options)
        option, note = pick_option(result, _route_ids(route), label=label)
        picked.append(option)
        if note:
            notes.append(note)
    b, o = picked
    return LegDiff(
        origin=b.route[0],
        destination=b.route[-1],
        base=b,
        other=o,
        table=leg_table(b, o),
        notes=tuple(notes),
    )


def _route_ids(route: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if route is None:
        return None
    if isinstance(route, str):
        return tuple(p for p in route.split(">") if p) or None
    return tuple(route) or None


def leg_diffs_frame(diffs: Iterable[LegDiff]) -> pd.DataFrame:
    """The tables of several leg diffs as one, with ``origin`` and ``destination`` first."""
    import pandas as pd

    frames = [d.table.assign(origin=d.origin, destination=d.destination) for d in diffs]
    columns = ["origin", "destination", *LEG_DIFF_COLUMNS]
    if not frames:
        return pd.DataFrame(columns=columns)
    return pd.concat(frames, ignore_index=True)[columns]
