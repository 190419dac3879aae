"""Options and helpers shared by every command: ``--network``, ``--overlay``, output."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ..model.records import Network

NetworkOpt = Annotated[
    Path | None,
    typer.Option(
        "--network",
        "-n",
        help="Network folder to use instead of the bundled corridor network "
        "(a folder whose network.yaml says 'extends: default' is an overlay).",
        show_default=False,
    ),
]
OverlayOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--overlay",
        help="Folder laid over the network: its rows replace rows with the same id. Repeatable.",
        show_default=False,
    ),
]


def load(network: Path | None, overlay: list[Path] | None) -> Network:
    """Load and validate the chosen network (raises NetworkError with every problem)."""
    from ..model import load_network

    return load_network(network, overlays=overlay or ())


def write_text(text: str, output: Path | None) -> None:
    """Print ``text`` to stdout, or write it to ``output``."""
    if output is None:
        typer.echo(text)
        return
    try:
        output.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        from .._errors import QueryError

        raise QueryError(f"cannot write {output}: {exc.strerror}") from None
