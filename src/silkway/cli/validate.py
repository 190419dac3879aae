"""``silkway validate``: every problem of a network folder, with file, line and field."""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ._common import NetworkOpt, OverlayOpt, ScenarioOpt, emit, load_scenarios, print_to

if TYPE_CHECKING:
    from rich.console import Console

    from .._errors import Problem
    from ..model.records import Network


class ValidateFormat(StrEnum):
    """Output format of ``validate``."""

    text = "text"
    json = "json"


def severity(p: "Problem") -> str:
    """``"error"`` or ``"warning"`` (problems without a severity are errors)."""
    return str(getattr(p, "severity", "error"))


def validate_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Network folder to check (or give it with --network). "
            "Default: the bundled network.",
            show_default=False,
        ),
    ] = None,
    network: NetworkOpt = None,
    overlay: OverlayOpt = None,
    scenario: ScenarioOpt = None,
    fmt: Annotated[ValidateFormat, typer.Option("--format", "-f", help="text or json.")] = (
        ValidateFormat.text
    ),
) -> None:
    """Check a network folder; exit 0 if it has no errors (warnings allowed), 1 if it has."""
    from ..model import validate_folder

    folder = _one_folder(path, network)
    scenarios = load_scenarios(scenario)
    net, problems = validate_folder(folder, overlays=overlay or ())
    errors = [p for p in problems if severity(p) == "error"]
    if scenarios and not errors:
        # a scenario that breaks the network raises ScenarioError (exit 2), naming
        # its file, line and patch; the warnings it brings are listed here
        from ..scenarios.patching import apply_all

        patched = apply_all(net, scenarios)
        problems = problems + [w for w in patched.warnings if w not in net.warnings]
        net = patched
    if fmt is ValidateFormat.json:
        emit(
            json.dumps(
                {
                    "schema": "silkway.validate/1",
                    "folder": net.folder,
                    "scenarios": list(net.scenarios),
                    "valid": not errors,
                    "counts": net.summary(),
                    "problems": [
                        {
                            "file": p.file,
                            "line": p.line,
                            "field": p.field,
                            "code": p.code,
                            "message": p.message,
                            "severity": severity(p),
                        }
                        for p in problems
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        print_to(None, lambda console: _report(console, net, problems, errors))
    if errors:
        raise typer.Exit(1)


def _one_folder(path: Path | None, network: Path | None) -> Path | None:
    """The folder given as PATH or with --network; both only if they are the same."""
    if path is not None and network is not None and path.resolve() != network.resolve():
        raise typer.BadParameter(
            f"got two different folders, {str(path)!r} and --network {str(network)!r}; "
            "give one (PATH or --network)",
            param_hint="'PATH' / '--network'",
        )
    return path if path is not None else network


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


def _report(
    console: "Console", net: "Network", problems: "list[Problem]", errors: "list[Problem]"
) -> None:
    from rich.markup import escape

    for p in problems:
        if severity(p) == "error":
            head = f"[red]{escape(p.location())}[/]: "
        else:
            head = f"[yellow]{escape(p.location())}[/]: [yellow]warning:[/] "
        console.print(f"{head}{escape(p.message)} [dim]({escape(p.code)})[/]", soft_wrap=True)
    counts = ", ".join(f"{v} {k}" for k, v in net.summary().items())
    n_warn = len(problems) - len(errors)
    where = net.folder + "".join(f" + scenario {name}" for name in net.scenarios)
    warn = f", {_plural(n_warn, 'warning')}" if n_warn else ""
    if errors:
        console.print(
            f"[bold red]{_plural(len(errors), 'error')}[/]{warn} in {escape(where)} ({counts})",
            soft_wrap=True,
        )
    else:
        console.print(f"[bold green]valid[/]{warn}: {escape(where)} ({counts})", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the app."""
    from ._fastparams import FastCommand

    app.command("validate", cls=FastCommand)(validate_command)
