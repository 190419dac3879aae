"""Applying a scenario to a network: pure functions, ``Network -> Network``.

:func:`apply` lays a scenario's patches over a network in order and returns a new
network (the input is never changed; records are replaced with
:func:`dataclasses.replace`). The result is validated like any network
(:func:`silkway.model.validate.validate`); a patch that leaves it invalid raises a
:class:`ScenarioError` naming the patch and the problems.

What the actions do:

``close`` / ``open``
    A link: its ``status`` becomes ``closed`` (``open``: ``operational`` again; a
    planned link is opened with ``include``). A place: every link with an end there.
    A crossing: the link it crosses (both directions). A service: the service is taken
    out (with its storm rows in ``weather.csv``) and so are, closed, the links it ran on
    that no other service runs on (such links are used only by boarding a service);
    ``open`` on a service opens its closed links.
``include``
    Planned links become ``operational``; with ``year``, ``open_year`` is set to it.
``add``
    A new place, link, crossing, service or transfer, given with the columns of its
    CSV file.
``scale`` / ``set``
    Numeric fields of every item the selector picks, multiplied by a factor or set.

Provenance: every number a patch changes or adds gets a scenario source, a
:class:`~silkway.model.records.Source` of kind ``derived`` (the patch cites a
``source``) or ``estimate`` (it gives only a ``reason``) whose id is
``scenario.<name>.p<patch>[.<original source>]``, whose ``derived_from`` names the
original source and the patch's, and whose note names the scenario file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .._errors import Problem
from ..model.records import Link, Network, Origin, Source
from .errors import ScenarioError
from .fields import column, get, put
from .format import ADD_KINDS, Patch, Scenario
from .select import TABLES, Selector, SelectorError, matches

SCENARIO_PUBLISHER = "silkway scenario"
"""``publisher`` of the sources a scenario generates."""


@dataclass(frozen=True, slots=True)
class Change:
    """One value a patch changed.

    Attributes
    ----------
    kind, id
        The item (``link``, ``R_KSG_TOR_CKU``).
    field
        A numeric field (``median_hours``), ``status``, or ``record`` for an item added
        or taken out.
    old, new
        The values before and after (``None``: none; for ``record``, ``"added"`` or
        ``"removed"``).
    source
        The provenance of the new value (a scenario source id), if it is a number.
    """

    kind: str
    id: str
    field: str
    old: float | str | None
    new: float | str | None
    source: str = ""


@dataclass(frozen=True, slots=True)
class PatchReport:
    """What one patch matched and changed."""

    patch: Patch
    matched: tuple[str, ...]
    changes: tuple[Change, ...]


@dataclass(frozen=True, slots=True)
class Applied:
    """A scenario applied: the new network and, per patch, what it changed."""

    scenario: Scenario
    network: Network
    reports: tuple[PatchReport, ...]
    warnings: tuple[Problem, ...] = ()
    """Warnings the scenario brought (places it cut off), also in the network's."""


@dataclass(slots=True)
class _Work:
    """The tables being patched (fresh dicts; the records themselves are immutable)."""

    base: Network
    scenario: Scenario
    tables: dict[str, dict[str, Any]]
    sources: dict[str, Source]
    weather: dict[str, Any]
    changes: list[Change] = field(default_factory=list)

    @classmethod
    def of(cls, network: Network, scenario: Scenario) -> _Work:
        tables = {kind: dict(getattr(network, attr)) for kind, attr in TABLES.items()}
        return cls(network, scenario, tables, dict(network.sources), dict(network.weather))

    def network(self) -> Network:
        """The network as patched so far."""
        t = self.tables
        return replace(
            self.base,
            sources=self.sources,
            weather=self.weather,
            scenarios=(*self.base.scenarios, self.scenario.name),
            links=t["link"],
            places=t["place"],
            crossings=t["crossing"],
            services=t["service"],
            transfers=t["transfer"],
            parameters=t["parameter"],
            train_rules=t["train_rule"],
        )

    def fail(self, patch: Patch, reason: str) -> ScenarioError:
        line = patch.selector.line if patch.selector is not None else patch.line
        return ScenarioError(self.scenario.file, line or patch.line, reason, patch=patch.label)

    def source_for(self, patch: Patch, original: str | None) -> str:
        """The id of the scenario source of values ``patch`` changes from ``original``."""
        sc = self.scenario
        sid = f"scenario.{sc.name}.p{patch.number}" + (f".{original}" if original else "")
        if sid not in self.sources:
            note = f"{sc.file}:{patch.line}: {patch.summary()}."
            if patch.reason:
                note += f" {patch.reason.rstrip('.')}."
            if original:
                verb = "scales" if patch.action == "scale" else "replaces"
                note += f" It {verb} the value sourced {original}."
            self.sources[sid] = Source(
                id=sid,
                kind="derived" if patch.source else "estimate",
                title=f"Scenario {sc.name}, {patch.label}",
                publisher=SCENARIO_PUBLISHER,
                derived_from=tuple(
                    s for s in (original if patch.action == "scale" else None, patch.source) if s
                ),
                note=note,
                origin=Origin(sc.file, patch.line),
            )
        return sid

    def set_status(self, link_id: str, status: str) -> None:
        link: Link = self.tables["link"][link_id]
        if link.status != status:
            self.changes.append(Change("link", link_id, "status", link.status, status))
            self.tables["link"][link_id] = replace(link, status=status)


def apply(network: Network, scenario: Scenario) -> Network:
    """Lay a scenario's patches over a network, in order; return the new network.

    Parameters
    ----------
    network
        A valid network (as :func:`silkway.load_network` returns it, overlays and
        earlier scenarios included). It is not changed.
    scenario
        A scenario, from :func:`silkway.scenarios.load_scenario`.

    Returns
    -------
    Network
        The patched network, validated; its ``scenarios`` ends with the scenario's
        name, and its ``warnings`` include those the scenario brought (places it cut
        off).

    Raises
    ------
    ScenarioError
        Naming the scenario file, the line, the patch and the reason: an unknown id, a
        selector matching nothing, a value out of range, or the validation problems of
        the network the patch leaves.
    """
    return apply_traced(network, scenario).network


def apply_all(network: Network, scenarios: Iterable[Scenario]) -> Network:
    """:func:`apply` each scenario in turn (``--scenario a --scenario b``)."""
    for scenario in scenarios:
        network = apply(network, scenario)
    return network


def apply_traced(network: Network, scenario: Scenario) -> Applied:
    """:func:`apply`, also telling what each patch matched and changed (for
    ``silkway scenario show``)."""
    work, reports = _patch_all(network, scenario, scenario.patches)
    patched = work.network()
    errors, warnings = _validate(patched, network, scenario)
    if errors:
        _blame(network, scenario)
    new = tuple(w for w in warnings if w not in network.warnings)
    patched = replace(patched, warnings=(*network.warnings, *new))
    return Applied(scenario, patched, reports, new)


def _patch_all(
    network: Network, scenario: Scenario, patches: Sequence[Patch]
) -> tuple[_Work, tuple[PatchReport, ...]]:
    work = _Work.of(network, scenario)
    for src in scenario.sources:
        have = work.sources.get(src.id)
        if have is not None and replace(have, origin=None) != replace(src, origin=None):
            where = src.origin.line if src.origin is not None else None
            raise ScenarioError(
                scenario.file,
                where,
                f"source {src.id!r} is already a different source of the network; "
                "give the scenario's source another id",
            )
        work.sources.setdefault(src.id, src)
    reports = []
    for patch in patches:
        work.changes = []
        matched = _one_patch(work, patch)
        reports.append(PatchReport(patch, tuple(matched), tuple(work.changes)))
    return work, tuple(reports)


def _one_patch(work: _Work, patch: Patch) -> list[str]:
    if patch.source and patch.source not in work.sources:
        raise ScenarioError(
            work.scenario.file,
            patch.line,
            f"unknown source {patch.source!r}: give a source id of the network's "
            "sources.csv or of the scenario's 'sources'",
            patch=patch.label,
        )
    if patch.action == "add":
        return [_add(work, patch)]
    assert patch.selector is not None
    try:
        matched = matches(work.network(), patch.selector)
    except SelectorError as exc:
        raise work.fail(patch, str(exc)) from None
    handler = _ACTIONS[patch.action]
    for item_id in matched:
        handler(work, patch, patch.selector, item_id)
    return matched


def _links_of(work: _Work, kind: str, item_id: str) -> list[str]:
    """The links that opening or closing item ``item_id`` of ``kind`` opens or closes."""
    if kind == "link":
        return [item_id]
    if kind == "crossing":
        return [work.tables["crossing"][item_id].link]
    if kind == "place":
        return [k.id for k in work.tables["link"].values() if item_id in k.ends()]
    return [k for k in work.tables["service"][item_id].links if k in work.tables["link"]]


def _close(work: _Work, patch: Patch, sel: Selector, item_id: str) -> None:
    if sel.kind == "service":
        _remove_service(work, item_id)
        return
    for link_id in _links_of(work, sel.kind, item_id):
        work.set_status(link_id, "closed")


def _remove_service(work: _Work, service_id: str) -> None:
    service = work.tables["service"].pop(service_id)
    work.changes.append(Change("service", service_id, "record", "present", "removed"))
    for wid, row in list(work.weather.items()):
        if service_id in row.services:
            left = tuple(s for s in row.services if s != service_id)
            if left:
                work.weather[wid] = replace(row, services=left)
            else:
                del work.weather[wid]
            old, new = ";".join(row.services), ";".join(left) or "removed"
            work.changes.append(Change("weather", wid, "services", old, new))
    still_served = {lid for s in work.tables["service"].values() for lid in s.links}
    for link_id in service.links:
        if link_id in work.tables["link"] and link_id not in still_served:
            work.set_status(link_id, "closed")


def _open(work: _Work, patch: Patch, sel: Selector, item_id: str) -> None:
    for link_id in _links_of(work, sel.kind, item_id):
        link = work.tables["link"][link_id]
        if link.status == "planned":
            if sel.kind == "link":
                raise work.fail(
                    patch,
                    f"link {link_id} is planned, not closed: open a planned link with "
                    "'include' (it then opens with its planned parameters)",
                )
            continue
        work.set_status(link_id, "operational")


def _include(work: _Work, patch: Patch, sel: Selector, item_id: str) -> None:
    link = work.tables["link"][item_id]
    if link.status != "planned":
        raise work.fail(
            patch,
            f"link {item_id} is {link.status}, not planned; 'include' opens planned links "
            "(select them with status: planned)",
        )
    work.set_status(item_id, "operational")
    if patch.year is not None:
        _change_number(work, patch, "link", item_id, "open_year", float(patch.year))


def _scale(work: _Work, patch: Patch, sel: Selector, item_id: str) -> None:
    for name, factor in patch.values:
        old = get(sel.kind, work.tables[sel.kind][item_id], name)
        if old is None:
            raise work.fail(
                patch,
                f"{sel.kind} {item_id} has no {name} to scale; narrow the selector "
                f"(has: {name}) or give the value with 'set'",
            )
        _change_number(work, patch, sel.kind, item_id, name, old * factor)


def _set(work: _Work, patch: Patch, sel: Selector, item_id: str) -> None:
    for name, value in patch.values:
        _change_number(work, patch, sel.kind, item_id, name, value)


def _change_number(
    work: _Work, patch: Patch, kind: str, item_id: str, name: str, value: float
) -> None:
    from ..model.schema import out_of_range

    rec = work.tables[kind][item_id]
    old = get(kind, rec, name)
    bad = out_of_range(column(kind, name), value)
    if bad is not None:
        raise work.fail(patch, f"{kind} {item_id}: {bad}")
    try:
        new_rec = put(kind, rec, name, value)
    except ValueError as exc:
        raise work.fail(patch, str(exc)) from None
    sid = work.source_for(patch, rec.sources.get(name))
    sources = {**rec.sources, name: sid}
    work.tables[kind][item_id] = replace(new_rec, sources=sources)
    work.changes.append(Change(kind, item_id, name, old, value, sid))


def _add(work: _Work, patch: Patch) -> str:
    from ..model.loader import parse_records

    kind = patch.add_kind
    cells = dict(patch.record)
    # numbers without a source of their own get the patch's scenario source
    own = cells.get("sources", "")
    if not any(token.startswith("*=") for token in own.split()):
        cells["sources"] = f"{own} *=-".strip()
    origin = Origin(work.scenario.file, patch.line)
    built, problems = parse_records(ADD_KINDS[kind], [(origin, cells)])
    errors = [p for p in problems if p.is_error]
    if errors or not built:
        first = errors[0] if errors else None
        reason = f"{first.field}: {first.message}" if first else "the record is incomplete"
        raise ScenarioError(
            work.scenario.file, patch.line, reason, patch=patch.label, problems=errors[1:]
        )
    rec = next(iter(built.values()))
    item_id = str(rec.id)
    if item_id in work.tables[kind]:
        raise work.fail(
            patch,
            f"{kind} {item_id} already exists; change it with 'set' or 'scale', or give "
            "the new one another id",
        )
    sources = {f: work.source_for(patch, None if s == "-" else s) for f, s in rec.sources.items()}
    work.tables[kind][item_id] = replace(rec, sources=sources)
    work.changes.append(Change(kind, item_id, "record", None, "added"))
    return item_id


_ACTIONS = {
    "close": _close,
    "open": _open,
    "include": _include,
    "scale": _scale,
    "set": _set,
}


def _validate(
    patched: Network, before: Network, scenario: Scenario
) -> tuple[list[Problem], list[Problem]]:
    """Errors and warnings of the patched network. A place cut off already before the
    scenario keeps the warning it had, which the network carries (the validator would
    call it an error, as the network before the scenario is its base)."""
    from ..model.validate import validate

    cut_before = {(p.file, p.line) for p in before.warnings if p.code == "unreachable-place"}
    problems = validate(patched, base=before, overlays=(scenario.name,), layer="scenario")
    out = [
        p
        for p in problems
        if not (p.code == "unreachable-place" and (p.file, p.line) in cut_before)
    ]
    return [p for p in out if p.is_error], [p for p in out if not p.is_error]


def _blame(network: Network, scenario: Scenario) -> None:
    """Raise the error of the first patch after which the network is invalid."""
    from ..model.validate import validate

    already = {p for p in validate(network) if p.is_error}
    for k, patch in enumerate(scenario.patches, 1):
        work, _ = _patch_all(network, scenario, scenario.patches[:k])
        errors, _ = _validate(work.network(), network, scenario)
        new = [p for p in errors if p not in already]
        if new:
            n = len(new)
            raise ScenarioError(
                scenario.file,
                patch.line,
                f"the patch leaves the network invalid ({n} problem{'s' if n != 1 else ''}):",
                patch=patch.label,
                problems=new,
            )
    raise ScenarioError(  # pragma: no cover - errors came from some patch
        scenario.file, None, "the scenario leaves the network invalid"
    )


__all__ = [
    "Applied",
    "Change",
    "PatchReport",
    "apply",
    "apply_all",
    "apply_traced",
]
