"""Differences between two runs: OD skims, element flows and the networks themselves.

The inputs follow the column schemas of the other stages:

* skims (:data:`SKIM_COLUMNS`): one row per origin-destination pair, from
  ``silkway matrix``; ``route`` is the key place ids joined by ``>``;
* element flows (:data:`FLOW_COLUMNS`): one row per link, crossing, service (or other
  element), from ``silkway assign``.

Every function checks its columns and raises :class:`ReportError` naming the table and
what is missing; no row is dropped: a pair or element on one side only is kept with a
``status`` that says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..model.records import Network
from ..skims.matrix import COLUMNS as MATRIX_COLUMNS
from ._common import ReportError, place_name

if TYPE_CHECKING:
    import pandas as pd

SKIM_COLUMNS: tuple[str, ...] = MATRIX_COLUMNS
"""Columns of a skim table (those :func:`silkway.skims.matrix` writes); ``origin``,
``destination`` and ``reachable`` are required, the metrics are compared where both
tables have them."""
OD_METRICS: tuple[str, ...] = (
    "time_p50_h",
    "time_p90_h",
    "time_p95_h",
    "cost_usd",
    "co2e_kg",
    "distance_km",
    "transshipments",
    "borders",
)
PERCENT_METRICS: tuple[str, ...] = ("time_p50_h", "time_p90_h", "cost_usd", "co2e_kg")
"""Metrics whose change is also given in per cent of the base (``<metric>_pct``)."""
FLOW_COLUMNS: tuple[str, ...] = (
    "kind",
    "id",
    "name",
    "flow_feu",
    "flow_t",
    "capacity",
    "v_c",
    "added_delay_h",
)
"""Columns of an element flow table; ``kind`` and ``id`` are required."""
ELEMENT_METRICS: tuple[str, ...] = ("flow_feu", "flow_t", "capacity", "v_c", "added_delay_h")
LOAD_METRICS: tuple[str, ...] = ("flow_feu", "flow_t", "v_c", "added_delay_h")
"""Element metrics that are 0 on a side that lacks the element (it carries nothing);
``capacity`` is left empty there."""


def _check(frame: pd.DataFrame, required: Sequence[str], what: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise ReportError(
            f"{what} has no column {', '.join(missing)} "
            f"(it has: {', '.join(map(str, frame.columns))})"
        )


def _unique(frame: pd.DataFrame, keys: list[str], what: str) -> None:
    doubled = frame.duplicated(keys, keep=False)
    if doubled.any():
        first = frame.loc[doubled, keys].iloc[0].tolist()
        raise ReportError(
            f"{what} has {int(doubled.sum())} rows that repeat a key "
            f"({', '.join(keys)}), e.g. {' / '.join(map(str, first))}"
        )


def _outer(
    base: pd.DataFrame, other: pd.DataFrame, keys: list[str], columns: list[str]
) -> pd.DataFrame:
    """Both tables side by side on ``keys`` (``_base`` / ``_other`` suffixes, ``_merge``
    says which side has the row), sorted by the keys."""
    import pandas as pd

    return pd.merge(
        base[columns],
        other[columns],
        on=keys,
        how="outer",
        suffixes=("_base", "_other"),
        indicator=True,
        sort=True,
    )


def _numbers(both: pd.DataFrame, metric: str) -> tuple[pd.Series, pd.Series]:
    """A metric's base and other columns as floats (empty where not a number)."""
    import pandas as pd

    base = pd.to_numeric(both[f"{metric}_base"], errors="coerce").astype("float64")
    other = pd.to_numeric(both[f"{metric}_other"], errors="coerce").astype("float64")
    return base, other


def od_deltas(
    skims_base: pd.DataFrame,
    skims_other: pd.DataFrame,
    *,
    networks: Sequence[Network] = (),
) -> pd.DataFrame:
    """One row per OD pair of either skim table, with both sides' values and the change.

    Parameters
    ----------
    skims_base, skims_other
        Skim tables (:data:`SKIM_COLUMNS`).
    networks
        Networks to name the places from (the first that knows a place names it).

    Returns
    -------
    DataFrame
        ``origin``, ``destination``, ``origin_name``, ``destination_name``, ``status``
        (``both``, ``newly reachable``, ``no longer reachable``, ``unreachable``,
        ``base only``, ``other only``), ``route_changed``; for each metric both tables
        have, ``<m>_base``, ``<m>_other`` and ``<m>_delta`` (other minus base, where the
        pair is reachable on both sides, else empty), and ``<m>_pct`` for
        :data:`PERCENT_METRICS`; then ``modes_*`` and ``route_*`` where given. Sorted by
        origin and destination.

    Raises
    ------
    ReportError
        If a table lacks a required column or repeats a pair.
    """
    import numpy as np
    import pandas as pd

    keys = ["origin", "destination"]
    for frame, what in ((skims_base, "base skims"), (skims_other, "other skims")):
        _check(frame, [*keys, "reachable"], what)
        _unique(frame, keys, what)
    metrics = [m for m in OD_METRICS if m in skims_base.columns and m in skims_other.columns]
    texts = [c for c in ("modes", "route") if c in skims_base.columns and c in skims_other]
    both = _outer(skims_base, skims_other, keys, [*keys, "reachable", *metrics, *texts])
    rb = both["reachable_base"].fillna(False).astype(bool)
    ro = both["reachable_other"].fillna(False).astype(bool)
    side = both["_merge"].astype(str)
    status = np.select(
        [side == "left_only", side == "right_only", rb & ro, ~rb & ro, rb & ~ro],
        ["base only", "other only", "both", "newly reachable", "no longer reachable"],
        default="unreachable",
    )
    out = pd.DataFrame(
        {
            "origin": both["origin"],
            "destination": both["destination"],
            "origin_name": [_name(networks, p) for p in both["origin"]],
            "destination_name": [_name(networks, p) for p in both["destination"]],
            "status": status,
            "reachable_base": rb.where(side != "right_only"),
            "reachable_other": ro.where(side != "left_only"),
        }
    )
    if "route" in texts:
        route_changed = rb & ro & (both["route_base"] != both["route_other"])
    else:
        route_changed = pd.Series(False, index=both.index)
    out["route_changed"] = route_changed
    for m in metrics:
        b, o = _numbers(both, m)
        out[f"{m}_base"], out[f"{m}_other"] = b, o
        out[f"{m}_delta"] = (o - b).where(rb & ro)
        if m in PERCENT_METRICS:
            out[f"{m}_pct"] = (100 * (o - b) / b.where(b != 0)).where(rb & ro)
    for c in texts:
        out[f"{c}_base"], out[f"{c}_other"] = both[f"{c}_base"], both[f"{c}_other"]
    return out.reset_index(drop=True)


def _name(networks: Sequence[Network], place_id: object) -> str:
    for network in networks:
        if str(place_id) in network.places:
            return place_name(network, str(place_id))
    return str(place_id)


def element_deltas(flows_base: pd.DataFrame, flows_other: pd.DataFrame) -> pd.DataFrame:
    """One row per element of either flow table, with both sides' values and the change.

    An element on one side only (a link a scenario adds or removes) carries nothing on
    the other: its :data:`LOAD_METRICS` count as 0 there, its capacity stays empty.

    Returns
    -------
    DataFrame
        ``kind``, ``id``, ``name``, ``status`` (``both``, ``base only``, ``other only``),
        then ``<m>_base``, ``<m>_other`` and ``<m>_delta`` for each metric both tables
        have. Sorted by kind and id.

    Raises
    ------
    ReportError
        If a table lacks ``kind`` or ``id``, or repeats an element.
    """
    import pandas as pd

    keys = ["kind", "id"]
    for frame, what in ((flows_base, "base element flows"), (flows_other, "other flows")):
        _check(frame, keys, what)
        _unique(frame, keys, what)
    metrics = [m for m in ELEMENT_METRICS if m in flows_base and m in flows_other]
    names = [c for c in ("name",) if c in flows_base and c in flows_other]
    both = _outer(flows_base, flows_other, keys, [*keys, *names, *metrics])
    side = both["_merge"].astype(str)
    out = pd.DataFrame({"kind": both["kind"], "id": both["id"]})
    if names:
        out["name"] = both["name_other"].where(both["name_other"].notna(), both["name_base"])
    out["status"] = side.map({"both": "both", "left_only": "base only", "right_only": "other only"})
    for m in metrics:
        b, o = _numbers(both, m)
        if m in LOAD_METRICS:
            b = b.where(side != "right_only", 0.0)
            o = o.where(side != "left_only", 0.0)
        out[f"{m}_base"], out[f"{m}_other"], out[f"{m}_delta"] = b, o, o - b
    return out.reset_index(drop=True)


_TABLES: tuple[tuple[str, str], ...] = (
    ("place", "places"),
    ("link", "links"),
    ("crossing", "crossings"),
    ("service", "services"),
    ("transfer", "transfers"),
    ("parameter", "parameters"),
)
_IGNORED_FIELDS = frozenset({"origin", "sources"})


def element_name(network: Network, kind: str, element_id: str) -> str:
    """A readable name of an element: a place's or crossing's name, a link's two ends."""
    if kind == "link" and element_id in network.links:
        link = network.links[element_id]
        return f"{place_name(network, link.from_id)}–{place_name(network, link.to_id)}"
    record = getattr(network, dict(_TABLES).get(kind, ""), {}).get(element_id)
    for attr in ("name_en", "name"):
        value = getattr(record, attr, None)
        if value:
            return str(value)
    if kind == "transfer" and record is not None:
        return f"{record.kind} at {place_name(network, record.place)}"
    return element_id


def network_changes(base: Network, other: Network) -> pd.DataFrame:
    """What differs between two networks, one row per added, removed or changed record.

    Returns
    -------
    DataFrame
        ``kind`` (place, link, crossing, service, transfer, parameter), ``id``, ``name``,
        ``change`` (``added``, ``removed``, ``opened``, ``closed`` or ``changed``) and
        ``fields``: each changed field as ``field: base -> other``. Provenance and file
        positions are not compared.
    """
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for kind, table in _TABLES:
        a: Mapping[str, Any] = getattr(base, table)
        b: Mapping[str, Any] = getattr(other, table)
        for element_id in [*a, *(k for k in b if k not in a)]:
            if element_id not in b:
                change, fields = "removed", ""
            elif element_id not in a:
                change, fields = "added", ""
            else:
                diffs = _field_diffs(a[element_id], b[element_id])
                if not diffs:
                    continue
                change = _status_change(a[element_id], b[element_id])
                fields = "; ".join(f"{f}: {x!r} -> {y!r}" for f, x, y in diffs)
            rows.append(
                {
                    "kind": kind,
                    "id": element_id,
                    "name": element_name(other if element_id in b else base, kind, element_id),
                    "change": change,
                    "fields": fields,
                }
            )
    return pd.DataFrame(rows, columns=["kind", "id", "name", "change", "fields"])


def _field_diffs(a: object, b: object) -> list[tuple[str, object, object]]:
    if not dataclasses.is_dataclass(a) or not dataclasses.is_dataclass(b):
        return [] if a == b else [("value", a, b)]
    return [
        (f.name, getattr(a, f.name), getattr(b, f.name))
        for f in dataclasses.fields(a)
        if f.name not in _IGNORED_FIELDS and getattr(a, f.name) != getattr(b, f.name)
    ]


def _status_change(a: object, b: object) -> str:
    before, after = getattr(a, "status", None), getattr(b, "status", None)
    if before != after and after == "operational":
        return "opened"
    if before != after and after == "closed":
        return "closed"
    return "changed"
