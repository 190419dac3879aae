"""Options and helpers shared by every command: ``--network``, ``--overlay``, output.

All command output goes through :func:`emit` (or :func:`print_to`), which writes it in
one piece and turns every failure to write — a closed stdout, a broken pipe, a full
disk — into an :class:`OutputError`, which :func:`silkway.cli.main` reports as one line
on stderr with exit status 2.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import SilkwayError

if TYPE_CHECKING:
    from rich.console import Console

    from .._errors import Problem
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

FILE_WIDTH = 140
"""Console width used when the output is not a terminal (a pipe or a file)."""


class OutputError(SilkwayError):
    """The output could not be written: stdout closed, a broken pipe, or a full disk."""


def load(network: Path | None, overlay: list[Path] | None) -> Network:
    """Load and validate the chosen network (raises NetworkError with every problem).

    Warnings found while loading (``Network.warnings``) are printed to stderr, one line
    each, and do not stop the command.
    """
    from ..model import load_network

    net = load_network(network, overlays=overlay or ())
    print_warnings(getattr(net, "warnings", ()))
    return net


def print_warnings(problems: Iterable[Problem]) -> None:
    """Print each problem as ``warning: file:line [field]: message`` on stderr."""
    for p in problems:
        stderr_line(f"{p.location()}: {p.message}", prefix="warning", style="yellow")


def stderr_line(message: str, *, prefix: str, style: str) -> None:
    """Print ``prefix: message`` on stderr as one line (coloured on a terminal).

    Never raises: if stderr itself cannot be written there is nowhere left to complain.
    """
    from rich.console import Console
    from rich.markup import escape

    with contextlib.suppress(OSError, ValueError):
        Console(stderr=True, highlight=False, soft_wrap=True).print(
            f"[{style}]{prefix}:[/] {escape(message)}", markup=True
        )


def describe_os_error(exc: OSError) -> str:
    """A short reason for a failed write, e.g. ``no space left on device``."""
    if exc.errno == errno.EPIPE:
        return "broken pipe (the reading end was closed)"
    if exc.errno == errno.ENOSPC:
        return "no space left on device"
    if exc.errno == errno.EBADF:
        return "it is closed"
    reason = exc.strerror or str(exc) or type(exc).__name__
    return reason[:1].lower() + reason[1:]


def emit(text: str, output: Path | None = None) -> None:
    """Write ``text`` plus a newline to ``output``, or to stdout if ``output`` is None.

    Raises
    ------
    OutputError
        If stdout is closed, the pipe is broken, the disk is full, or the file cannot
        be written.
    """
    if output is not None:
        try:
            with output.open("w", encoding="utf-8", newline="") as fh:
                fh.write(text + "\n")
        except OSError as exc:
            raise OutputError(f"cannot write {output}: {describe_os_error(exc)}") from None
        return
    stream = sys.stdout
    if stream is None:
        raise OutputError(
            "standard output is closed, so there is nowhere to print the result "
            "(use -o FILE to write it to a file)"
        )
    try:
        stream.write(text + "\n")
        stream.flush()
    except OSError as exc:
        raise OutputError(f"cannot write to standard output: {describe_os_error(exc)}") from None
    except ValueError:  # "I/O operation on closed file"
        raise OutputError("cannot write to standard output: it is closed") from None


def output_console(output: Path | None, *, width: int | None = None) -> Console:
    """A rich console whose output is captured, to be written with :func:`print_to`.

    With ``output`` (a file) or when stdout is not a terminal: plain text, no colour,
    :data:`FILE_WIDTH` columns (or ``$COLUMNS`` when stdout is piped and it is set).
    On a terminal: the terminal's width and colours.
    """
    from rich.console import Console

    if output is not None:
        return Console(
            file=io.StringIO(),
            width=width or FILE_WIDTH,
            color_system=None,
            force_terminal=False,
            force_interactive=False,
            highlight=False,
            emoji=False,
        )
    console = Console(highlight=False, emoji=False, width=width)
    if not console.is_terminal and width is None:
        columns = os.environ.get("COLUMNS", "")
        console = Console(
            highlight=False,
            emoji=False,
            width=int(columns) if columns.isdigit() and int(columns) > 0 else FILE_WIDTH,
        )
    return console


def print_to(console: Console, output: Path | None, body: Callable[[Console], None]) -> None:
    """Run ``body(console)``, capturing what it prints, then :func:`emit` it in one piece."""
    with console.capture() as captured:
        body(console)
    # rich pads lines to the console width; files and pipes need no trailing blanks
    emit("\n".join(line.rstrip() for line in captured.get().rstrip("\n").splitlines()), output)
