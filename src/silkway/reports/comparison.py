"""Compare two networks (a base and a scenario): tables, maps, charts and one HTML page.

:func:`compare` is what ``silkway scenario compare BASE OTHER --out DIR`` runs once the
two networks, and optionally their skims and element flows, are at hand. It writes into
``out_dir``:

* ``index.html``, one self-contained page (figures embedded; no network needed);
* ``network_changes``, ``od_deltas``, ``leg_diffs``, ``element_deltas`` and
  ``utilisation_changes`` as CSV and Parquet (those it has the inputs for);
* ``map_network_changes.png`` and ``map_crossing_dwell.png`` (what the other network
  changes), ``map_<metric>_<kind>.png`` (change in flow and in utilisation per link,
  crossing, service or place) and ``chart_<metric>.png`` (the largest OD changes in
  time P50 and P90, cost and CO2e);

and returns a :class:`ComparisonSummary` whose text is the short terminal summary.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from .._errors import SilkwayError
from ..model.records import Network
from ._common import ReportError, short
from .charts import METRIC_LABELS, draw_od_delta_chart
from .deltas import element_deltas, network_changes, od_deltas
from .html import Image, Section, Table, write_report
from .legs import LegDiff, leg_diff, leg_diffs_frame
from .maps import KINDS, draw_network_map

if TYPE_CHECKING:
    import pandas as pd

CHART_METRICS: tuple[str, ...] = ("time_p50_h", "time_p90_h", "cost_usd", "co2e_kg")
MAP_METRICS: tuple[tuple[str, str], ...] = (
    ("flow_feu", "change in flow (FEU)"),
    ("v_c", "change in utilisation (volume / capacity)"),
)
CHANGE_MARKS: Mapping[str, float] = {
    "added": 1.0,
    "opened": 1.0,
    "changed": 0.5,
    "closed": -1.0,
    "removed": -1.0,
}
"""Values of the links on the network-changes map: +1 opened or added, -1 closed or
removed, 0.5 otherwise changed."""


@dataclass(frozen=True)
class ComparisonSummary:
    """What :func:`compare` wrote, and the short summary to print.

    ``str(summary)`` is the terminal summary: a few lines and the report's path.
    """

    base_name: str
    other_name: str
    out_dir: Path
    index: Path
    """The written ``index.html``."""
    lines: tuple[str, ...]
    files: tuple[Path, ...]
    """Every file written (the page, figures and tables)."""
    changes: pd.DataFrame
    """:func:`~silkway.reports.deltas.network_changes` of the two networks."""
    od: pd.DataFrame | None = None
    """:func:`~silkway.reports.deltas.od_deltas`, when skims were given."""
    elements: pd.DataFrame | None = None
    """:func:`~silkway.reports.deltas.element_deltas`, when flows were given."""
    leg_diffs: tuple[LegDiff, ...] = ()

    def __str__(self) -> str:
        return "\n".join([*self.lines, f"report: {self.index}"])


def union_network(base: Network, other: Network) -> Network:
    """``other`` with the places, links, crossings and services only ``base`` has added
    back, so that one map can draw the elements of both."""

    def merged(name: str) -> dict[str, Any]:
        return {**getattr(base, name), **getattr(other, name)}

    return dataclasses.replace(
        other,
        places=merged("places"),
        links=merged("links"),
        crossings=merged("crossings"),
        services=merged("services"),
        geometries=merged("geometries"),
    )


def _count_text(frame: pd.DataFrame, column: str) -> str:
    counts = Counter(zip(map(str, frame["kind"]), map(str, frame[column]), strict=True))
    return ", ".join(f"{n} {kind}(s) {what}" for (kind, what), n in sorted(counts.items()))


def _changes_section(
    base: Network, other: Network, drawn: Network, changes: pd.DataFrame, folder: Path
) -> tuple[Section, list[str]]:
    images = []
    if changes.empty:
        text = ["The two networks are the same."]
    else:
        text = [f"{len(changes)} record(s) differ: {_count_text(changes, 'change')}."]
    links = changes[changes["kind"] == "link"]
    if not links.empty:
        marks = {str(r.id): CHANGE_MARKS[str(r.change)] for r in links.itertuples()}
        images.append(
            Image(
                draw_network_map(
                    drawn,
                    values=marks,
                    title="Links the other network opens (+1), closes (−1) or changes (0.5)",
                    label="+1 opened or added, −1 closed or removed, 0.5 changed",
                    out_path=folder / "map_network_changes.png",
                    focus=True,
                ),
                "Links that differ between the two networks.",
            )
        )
    dwell = {
        cid: other.crossings[cid].dwell.median_hours - base.crossings[cid].dwell.median_hours
        for cid in changes.loc[changes["kind"] == "crossing", "id"]
        if cid in base.crossings and cid in other.crossings
    }
    if any(dwell.values()):
        images.append(
            Image(
                draw_network_map(
                    drawn,
                    values=dwell,
                    kind="crossing",
                    title="Change in the median border dwell (h), at the side cargo leaves",
                    label="change in median dwell (h)",
                    out_path=folder / "map_crossing_dwell.png",
                    focus=True,
                ),
                "Border crossings whose median dwell changes.",
            )
        )
    table = Table("network_changes", changes, "Records added, removed or changed.")
    return Section("What the other network changes", text, images, [table]), text


def _od_lines(od: pd.DataFrame) -> list[str]:
    counts = od["status"].value_counts()
    lines = [
        f"OD pairs: {len(od)}; reachable in both {int(counts.get('both', 0))}, newly reachable "
        f"{int(counts.get('newly reachable', 0))}, no longer reachable "
        f"{int(counts.get('no longer reachable', 0))}; route changed for "
        f"{int(od['route_changed'].sum())}."
    ]
    for m in CHART_METRICS:
        if f"{m}_delta" not in od:
            continue
        d = od[f"{m}_delta"].to_numpy(dtype=np.float64)
        if np.isnan(d).all():
            continue
        ends = zip(od["origin_name"], od["destination_name"], strict=True)
        names = [f"{short(a)} → {short(b)}" for a, b in ends]
        lo, hi = int(np.nanargmin(d)), int(np.nanargmax(d))
        text = f"{METRIC_LABELS[m]}: {int((d < 0).sum())} pairs lower, {int((d > 0).sum())} higher"
        if d[lo] < 0:
            text += f"; largest fall {d[lo]:+,.1f} ({names[lo]})"
        if d[hi] > 0:
            text += f"; largest rise {d[hi]:+,.1f} ({names[hi]})"
        lines.append(text + ".")
    return lines


def _explained_pairs(
    od: pd.DataFrame | None, explain: int, explain_pairs: Sequence[tuple[str, ...]]
) -> list[tuple[str, str, str | None, str | None]]:
    """Pairs to explain leg by leg: those asked for, then the route changes with the
    largest change in time P50; each with the routes asked for, else its skim routes
    where known."""
    routes: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    chosen: list[tuple[str, str]] = [(str(p[0]), str(p[1])) for p in explain_pairs]
    given = {(str(p[0]), str(p[1])): (p[2], p[3]) for p in explain_pairs if len(p) == 4}
    if od is not None and "route_base" in od:
        for r in od.to_dict("records"):
            routes[(str(r["origin"]), str(r["destination"]))] = (
                r["route_base"] if isinstance(r["route_base"], str) else None,
                r["route_other"] if isinstance(r["route_other"], str) else None,
            )
        changed = od[od["route_changed"]]
        if "time_p50_h_delta" in changed:
            changed = changed.assign(_size=changed["time_p50_h_delta"].abs())
            changed = changed.sort_values("_size", ascending=False, kind="stable")
        ods = zip(changed["origin"], changed["destination"], strict=True)
        chosen += [(str(o), str(d)) for o, d in ods][:explain]
    routes.update(given)
    return [(o, d, *routes.get((o, d), (None, None))) for o, d in dict.fromkeys(chosen)]


def _flow_section(
    drawn: Network, elements: pd.DataFrame, folder: Path, top: int
) -> tuple[Section, list[str]]:
    images, notes = [], []
    for kind in KINDS:
        rows = elements[elements["kind"] == kind]
        if rows.empty:
            continue
        known = getattr(drawn, f"{kind}s")
        absent = sorted(str(i) for i in rows["id"] if str(i) not in known)
        if absent:
            notes.append(
                f"{len(absent)} {kind}(s) in the flows are in neither network, so not on "
                f"the maps: {', '.join(absent[:10])}{' ...' if len(absent) > 10 else ''}."
            )
        for metric, label in MAP_METRICS:
            if f"{metric}_delta" not in rows:
                continue
            values = {
                str(i): float(v)
                for i, v in zip(rows["id"], rows[f"{metric}_delta"], strict=True)
                if str(i) in known
            }
            path = draw_network_map(
                drawn,
                values=values,
                kind=kind,
                title=f"{label[0].upper()}{label[1:]}, per {kind}",
                label=label,
                out_path=folder / f"map_{metric}_{kind}.png",
            )
            images.append(Image(path, f"{label}, per {kind}"))
    other_kinds = sorted(set(map(str, elements["kind"])) - set(KINDS))
    if other_kinds:
        notes.append(
            f"Elements of kind {', '.join(other_kinds)} have no place on the maps; "
            "they are in the tables."
        )
    tables = [Table("element_deltas", elements, "Flow and utilisation of every element.")]
    lines = []
    if "v_c_delta" in elements:
        ranked = elements.assign(_size=elements["v_c_delta"].abs())
        ranked = ranked.sort_values("_size", ascending=False, kind="stable").head(top)
        ranked = ranked.drop(columns="_size")
        tables.append(Table("utilisation_changes", ranked, "Largest changes in utilisation."))
        lines += [
            f"utilisation of {r['kind']} {r.get('name') or r['id']}: "
            f"{r['v_c_base']:.2f} -> {r['v_c_other']:.2f}"
            for r in ranked.head(3).to_dict("records")
            if np.isfinite(r["v_c_delta"]) and r["v_c_delta"] != 0
        ]
    section = Section("Flows and utilisation", notes, images, tables)
    return section, [*lines, *notes]


def compare(
    base: Network,
    other: Network,
    *,
    base_name: str = "base",
    other_name: str = "other",
    skims_base: pd.DataFrame | None = None,
    skims_other: pd.DataFrame | None = None,
    flows_base: pd.DataFrame | None = None,
    flows_other: pd.DataFrame | None = None,
    out_dir: str | Path,
    top: int = 15,
    explain: int = 3,
    explain_pairs: Sequence[tuple[str, ...]] = (),
    explain_sort: str = "time",
    plan_options: Mapping[str, Any] | None = None,
) -> ComparisonSummary:
    """Compare two networks and write the report into ``out_dir``.

    Parameters
    ----------
    base, other
        The networks compared (e.g. the bundled one, and it under a scenario).
    base_name, other_name
        Their names on the page and in the summary (e.g. ``baseline``, ``cku-open``).
    skims_base, skims_other
        Skim tables of the two networks (columns
        :data:`~silkway.reports.deltas.SKIM_COLUMNS`); both or neither.
    flows_base, flows_other
        Element flow tables of the two networks (columns
        :data:`~silkway.reports.deltas.FLOW_COLUMNS`); both or neither.
    out_dir
        Folder written into (created if missing).
    top
        Pairs per OD chart, and rows of the utilisation table.
    explain
        How many OD pairs whose route changed to explain leg by leg (the largest
        changes in time P50 first); needs the skims' ``route``.
    explain_pairs
        OD pairs (place ids or names) to explain leg by leg in any case: ``(origin,
        destination)``, or ``(origin, destination, route_base, route_other)`` with the
        routes to compare (place ids joined by ``>``, e.g. an assignment's top routes),
        which take the place of the skims' routes; such a pair is left out if the two
        options the planner gives for them have the same legs.
    explain_sort
        ``time``, ``cost`` or ``co2``: which option of the planner a leg-by-leg
        explanation compares where the skims give no route.
    plan_options
        Keyword options of :func:`silkway.plan` for the leg-by-leg explanations.

    Returns
    -------
    ComparisonSummary

    Raises
    ------
    ReportError
        If only one of a pair of tables is given, a table lacks a required column or
        repeats a key, or the folder cannot be written.
    """
    if (skims_base is None) != (skims_other is None):
        raise ReportError("compare needs the skims of both networks, or of neither")
    if (flows_base is None) != (flows_other is None):
        raise ReportError("compare needs the element flows of both networks, or of neither")
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReportError(f"cannot create the report folder {folder}: {exc}") from exc
    drawn = union_network(base, other)
    lines = [f"{other_name} against {base_name}"]

    changes = network_changes(base, other)
    section, text = _changes_section(base, other, drawn, changes, folder)
    sections = [section]
    lines += text

    od = None
    if skims_base is not None and skims_other is not None:
        od = od_deltas(skims_base, skims_other, networks=(other, base))
        od_lines = _od_lines(od)
        charts = []
        for m in CHART_METRICS:
            if f"{m}_delta" in od:
                path = draw_od_delta_chart(
                    od,
                    metric=m,
                    top=top,
                    base_name=base_name,
                    other_name=other_name,
                    out_path=folder / f"chart_{m}.png",
                )
                if path is not None:
                    charts.append(Image(path, f"Largest changes in {METRIC_LABELS[m]}"))
        table = Table("od_deltas", od, "Every OD pair: both sides and the change.")
        sections.append(Section("Origin-destination changes", od_lines, charts, [table]))
        lines += od_lines

    leg_at = len(lines)
    diffs: list[LegDiff] = []
    explained: list[str] = []
    headlines: list[str] = []
    with_routes = {(str(p[0]), str(p[1])) for p in explain_pairs if len(p) == 4}
    for o, d, route_b, route_o in _explained_pairs(od, explain, explain_pairs):
        try:
            diff = leg_diff(
                base,
                other,
                o,
                d,
                route_base=route_b,
                route_other=route_o,
                sort=explain_sort,
                plan_options=plan_options,
            )
        except SilkwayError as exc:
            explained.append(f"{o} → {d}: cannot be explained leg by leg: {exc}")
            headlines.append(explained[-1])
            continue
        if not diff.changed and (o, d) in with_routes:
            continue  # routes from elsewhere (an assignment) the planner lines up as one
        diffs.append(diff)
        explained += diff.lines(base_name=base_name, other_name=other_name)
        headlines.append(diff.headline(base_name=base_name, other_name=other_name))
    if explained:
        tables = [Table("leg_diffs", leg_diffs_frame(diffs), "Legs kept, replaced and new.")]
        sections.append(Section("Leg by leg", explained, (), tables))

    elements = None
    if flows_base is not None and flows_other is not None:
        elements = element_deltas(flows_base, flows_other)
        section, flow_lines = _flow_section(drawn, elements, folder, top)
        sections.append(section)
        lines += flow_lines

    lines[leg_at:leg_at] = headlines
    index = write_report(
        folder, title=f"{other_name} against {base_name}", summary=lines[1:], sections=sections
    )
    files = [index, *(i.path for s in sections for i in s.images)]
    for t in (t for s in sections for t in s.tables):
        files += [p for p in (folder / f"{t.name}.csv", folder / f"{t.name}.parquet") if p.exists()]
    return ComparisonSummary(
        base_name=base_name,
        other_name=other_name,
        out_dir=folder,
        index=index,
        lines=tuple(lines),
        files=tuple(files),
        changes=changes,
        od=od,
        elements=elements,
        leg_diffs=tuple(diffs),
    )
