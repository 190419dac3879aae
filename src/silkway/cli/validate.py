"""``silkway validate``: every problem of a network folder, with file, line and field."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from ._common import OverlayOpt


class ValidateFormat(StrEnum):
    """Output format of ``validate``."""

    text = "text"
    json = "json"


def validate_command(
    path: Annotated[
        Path | None,
        typer.Argument(
            help="Network folder to check. Default: the bundled network.", show_default=False
        ),
    ] = None,
    overlay: OverlayOpt = None,
    fmt: Annotated[ValidateFormat, typer.Option("--format", "-f", help="text or json.")] = (
        ValidateFormat.text
    ),
) -> None:
    """Check a network folder; exit 0 if it is valid, 1 if it has problems."""
    from ..model import validate_folder

    network, problems = validate_folder(path, overlays=overlay or ())
    if fmt is ValidateFormat.json:
        typer.echo(
            json.dumps(
                {
                    "schema": "silkway.validate/1",
                    "folder": network.folder,
                    "valid": not problems,
                    "counts": network.summary(),
                    "problems": [
                        {
                            "file": p.file,
                            "line": p.line,
                            "field": p.field,
                            "code": p.code,
                            "message": p.message,
                        }
                        for p in problems
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
    else:
        from rich.console import Console
        from rich.markup import escape

        console = Console(highlight=False, soft_wrap=True)
        for p in problems:
            console.print(f"[red]{escape(p.location())}[/]: {escape(p.message)} [dim]({p.code})[/]")
        counts = ", ".join(f"{v} {k}" for k, v in network.summary().items())
        if problems:
            console.print(
                f"[bold red]{len(problems)} problem{'s' if len(problems) != 1 else ''}"
                f"[/] in {escape(network.folder)} ({counts})"
            )
        else:
            console.print(f"[bold green]valid[/]: {escape(network.folder)} ({counts})")
    if problems:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the app."""
    app.command("validate")(validate_command)
