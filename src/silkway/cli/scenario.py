"""``silkway scenario``: the bundled scenarios, and what a scenario changes.

``scenario list`` names the bundled scenarios with their one-line rationale;
``scenario show NAME|PATH`` applies one to the network and prints each patch, what it
matched, every value it changed (old -> new) and the sources. Further subcommands
(``sweep``, ``compare``) join the same group: add them to :func:`subcommands`.
"""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ._common import (
    NetworkOpt,
    OverlayOpt,
    ScenarioOpt,
    emit,
    load,
    print_to,
    print_warnings,
)
from ._fastparams import FastCommand, FastGroup

if TYPE_CHECKING:
    from rich.console import Console

    from ..scenarios.format import Scenario
    from ..scenarios.patching import Applied, Change

SHOW_SCHEMA = "silkway.scenario/1"
LIST_SCHEMA = "silkway.scenarios/1"


class ScenarioFormat(StrEnum):
    """Output format of ``scenario list`` and ``scenario show``."""

    table = "table"
    json = "json"


FormatOpt = Annotated[ScenarioFormat, typer.Option("--format", "-f", help="table or json.")]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to this file instead of stdout.", show_default=False
    ),
]


def list_command(fmt: FormatOpt = ScenarioFormat.table, output: OutputOpt = None) -> None:
    """List the bundled scenarios with their one-line rationale."""
    from ..scenarios.format import bundled_scenarios, load_scenario

    scenarios = [load_scenario(name) for name in bundled_scenarios()]
    if fmt is ScenarioFormat.json:
        emit(json.dumps(list_document(scenarios), ensure_ascii=False, indent=2), output)
        return

    def body(console: "Console") -> None:
        from rich.markup import escape

        width = max(len(s.name) for s in scenarios)
        for s in scenarios:
            n = len(s.patches)
            console.print(
                f"[bold]{escape(s.name.ljust(width))}[/]  {escape(s.title)} "
                f"[dim]({n} patch{'es' if n != 1 else ''})[/]",
                soft_wrap=True,
            )
        console.print("\n[dim]silkway scenario show NAME: what a scenario changes[/]")

    print_to(output, body)


def list_document(scenarios: "list[Scenario]") -> dict[str, Any]:
    """The ``silkway.scenarios/1`` document listing ``scenarios``."""
    return {
        "schema": LIST_SCHEMA,
        "scenarios": [
            {
                "name": s.name,
                "title": s.title,
                "rationale": s.rationale,
                "patches": len(s.patches),
            }
            for s in scenarios
        ],
    }


def show_command(
    name: Annotated[
        str, typer.Argument(metavar="NAME|PATH", help="A bundled scenario name or a YAML file.")
    ],
    fmt: FormatOpt = ScenarioFormat.table,
    output: OutputOpt = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
) -> None:
    """Show what a scenario changes: each patch, what it matched, old -> new values."""
    from ..scenarios.format import load_scenario
    from ..scenarios.patching import apply_traced

    shown = load_scenario(name)
    net = load(network, overlay, scenario=scenario)
    applied = apply_traced(net, shown)
    print_warnings(applied.warnings)
    if fmt is ScenarioFormat.json:
        emit(json.dumps(show_document(applied), ensure_ascii=False, indent=2), output)
        return
    print_to(output, lambda console: _render(console, applied))


def show_document(applied: "Applied") -> dict[str, Any]:
    """The ``silkway.scenario/1`` document of an applied scenario."""
    s = applied.scenario
    sources = applied.network.sources
    cited = sorted(
        {c.source for r in applied.reports for c in r.changes if c.source}
        | {src.id for src in s.sources}
    )
    return {
        "schema": SHOW_SCHEMA,
        "name": s.name,
        "title": s.title,
        "file": s.file,
        "rationale": s.rationale,
        "applied_over": list(applied.network.scenarios[:-1]),
        "patches": [
            {
                "number": r.patch.number,
                "line": r.patch.line,
                "action": r.patch.action,
                "summary": r.patch.summary(),
                "source": r.patch.source or None,
                "reason": r.patch.reason or None,
                "matched": list(r.matched),
                "changes": [_change(c) for c in r.changes],
            }
            for r in applied.reports
        ],
        "sources": {
            sid: {
                "kind": sources[sid].kind,
                "title": sources[sid].title,
                "publisher": sources[sid].publisher,
                "url": sources[sid].url,
                "date": sources[sid].date,
                "derived_from": list(sources[sid].derived_from),
                "note": sources[sid].note,
            }
            for sid in cited
        },
        "warnings": [str(w) for w in applied.warnings],
    }


def _change(c: "Change") -> dict[str, Any]:
    return {
        "kind": c.kind,
        "id": c.id,
        "field": c.field,
        "old": c.old,
        "new": c.new,
        "source": c.source or None,
    }


def _value(v: float | str | None) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def _render(console: "Console", applied: "Applied") -> None:
    from rich.markup import escape

    s = applied.scenario
    console.print(f"[bold]{escape(s.name)}[/]: {escape(s.title)}  [dim]({escape(s.file)})[/]")
    if s.rationale:
        console.print(escape(s.rationale), soft_wrap=True)
    over = applied.network.scenarios[:-1]
    if over:
        console.print(f"[dim]applied over: {escape(', '.join(over))}[/]")
    if not applied.reports:
        console.print("\nno patches: the network as it is")
    for r in applied.reports:
        p = r.patch
        console.print(f"\n[bold]{p.number}.[/] {escape(p.summary())}  [dim](line {p.line})[/]")
        why = [f"source {p.source}"] if p.source else []
        why += [p.reason] if p.reason else []
        console.print("   " + escape("; ".join(why)), soft_wrap=True)
        n = len(r.matched)
        console.print(f"   matched {n}: " + escape(", ".join(r.matched)), soft_wrap=True)
        if not r.changes:
            console.print("   [dim]no value changed (already so)[/]")
        for c in r.changes:
            src = f"  [dim]{escape(c.source)}[/]" if c.source else ""
            console.print(
                f"   {escape(c.kind)} {escape(c.id)}: {escape(c.field)} "
                f"{escape(_value(c.old))} → {escape(_value(c.new))}{src}",
                soft_wrap=True,
            )
    _sources(console, applied, s)


def _sources(console: "Console", applied: "Applied", s: "Scenario") -> None:
    from rich.markup import escape

    cited = dict.fromkeys(
        [src.id for src in s.sources] + [r.patch.source for r in applied.reports if r.patch.source]
    )
    if not cited:
        return
    console.print("\n[bold]Sources[/]")
    for sid in cited:
        src = applied.network.sources[sid]
        extra = ", ".join(x for x in (src.publisher, src.date) if x)
        line = f"  {sid} ({src.kind}): {src.title}" + (f", {extra}" if extra else "")
        console.print(escape(line + (f" {src.url}" if src.url else "")), soft_wrap=True)


def subcommands() -> list[tuple[str, Any]]:
    """The ``scenario`` subcommands, ``(name, function)``, in the order ``--help`` lists
    them. ``sweep`` and ``compare`` are added here (their functions may live in their own
    modules, imported inside this function)."""
    from .scenario_runs import compare_command, sweep_command

    return [
        ("list", list_command),
        ("show", show_command),
        ("sweep", sweep_command),
        ("compare", compare_command),
    ]


def register(app: typer.Typer) -> None:
    """Add the ``scenario`` group and its :func:`subcommands` to the app."""
    group = typer.Typer(
        name="scenario",
        cls=FastGroup,
        help="Scenarios: YAML patches laid over the network (list, show, sweep, compare).",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode="rich",
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    for name, function in subcommands():
        group.command(name, cls=FastCommand)(function)
    app.add_typer(group, name="scenario")


__all__ = ["list_document", "register", "show_document", "subcommands"]
