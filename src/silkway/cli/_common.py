"""Options and helpers shared by every command: ``--network``, ``--overlay``,
``--scenario``, output.

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
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .._errors import SilkwayError

if TYPE_CHECKING:
    from rich.console import Console

    from .._errors import Problem
    from ..compile import CompiledNetwork
    from ..model.records import Network
    from ..scenarios.format import Scenario

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

ScenarioOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--scenario",
        metavar="NAME|PATH",
        help="Scenario laid over the network (and its overlays): a bundled name "
        "(silkway scenario list) or a YAML file. Repeatable: applied in order.",
        show_default=False,
    ),
]

DepartOpt = Annotated[
    str | None,
    typer.Option(
        help="Departure date or time, UTC: 2026-12-07 or 2026-12-07T08:00. Default: today.",
        show_default=False,
    ),
]
AvoidCountryOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--avoid-country",
        metavar="CODE",
        help="ISO country code to avoid, e.g. RU. Repeatable or comma list.",
        show_default=False,
    ),
]
ModeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--mode",
        metavar="MODE",
        help="Allowed mode (rail, road, ferry, sea, air, pipeline). Repeatable. Default: all.",
        show_default=False,
    ),
]
IncludePlannedOpt = Annotated[
    bool, typer.Option("--include-planned", help="Open planned links such as the CKU railway.")
]
SeedOpt = Annotated[int, typer.Option(help="Random seed: same seed, same numbers.")]
WorkersOpt = Annotated[
    int | None,
    typer.Option(
        "--workers",
        "-w",
        help="Run on a local Dask cluster of N worker processes (0: in this process). "
        "Default: in this process for a few tasks, else one worker per core.",
        min=0,
        max=256,
        show_default=False,
    ),
]
SchedulerOpt = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        metavar="URL",
        help="Run on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (see the README).",
        show_default=False,
    ),
]

FILE_WIDTH = 140
"""Console width used when the output is not a terminal (a pipe or a file)."""


class OutputError(SilkwayError):
    """The output could not be written: stdout closed, a broken pipe, or a full disk."""


def load(
    network: Path | None, overlay: list[Path] | None, *, scenario: list[str] | None = None
) -> Network:
    """Load and validate the chosen network, with its overlays and scenarios.

    The one loader of every command that takes ``--network``, ``--overlay`` and
    ``--scenario``: ``load(network, overlay, scenario)``. Warnings found while loading
    (``Network.warnings``, including places a scenario cuts off) are printed to stderr,
    one line each, and do not stop the command.

    Raises
    ------
    NetworkError
        With every problem of the network files.
    ScenarioError
        Naming the scenario file, line and patch, if a scenario cannot be read or
        applied.
    """
    from ..model import load_network

    scenarios = load_scenarios(scenario)
    net = load_network(network, overlays=overlay or ())
    if scenarios:
        from ..scenarios.patching import apply_all

        net = apply_all(net, scenarios)
    print_warnings(getattr(net, "warnings", ()))
    return net


def load_scenarios(names: list[str] | None) -> list[Scenario]:
    """Read each ``--scenario`` value (a bundled name or a path), in order."""
    if not names:
        return []
    from ..scenarios.format import load_scenario

    return [load_scenario(name) for name in names]


def load_compiled(
    network: Path | None, overlay: list[Path] | None, *, scenario: list[str] | None = None
) -> CompiledNetwork:
    """:func:`load`, compiled, through the disk cache of :mod:`silkway.cli._cache`."""
    from ._cache import load_compiled as cached

    net, _ = cached(network, overlay or [], load_scenarios(scenario))
    print_warnings(getattr(net.network, "warnings", ()))
    return net


def print_warnings(problems: Iterable[Problem]) -> None:
    """Print each problem as ``warning: file:line [field]: message`` on stderr."""
    for p in problems:
        stderr_line(f"{p.location()}: {p.message}", prefix="warning", style="yellow")


@contextlib.contextmanager
def stopped_by_ctrl_c() -> Iterator[None]:
    """Around a long job (a matrix, a sweep, an assignment on a cluster): Ctrl-C becomes
    one line on stderr and exit status 130; the job's own cleanup (cancelling Dask tasks,
    closing a local cluster) has run by then, and nothing is written."""
    try:
        yield
    except KeyboardInterrupt:
        stderr_line("stopped (Ctrl-C); nothing was written", prefix="interrupted", style="yellow")
        raise typer.Exit(130) from None


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


def output_console(output: Path | None = None) -> Console:
    """A rich console that prints into memory, for :func:`print_to` to write out.

    For a file (``output``), or when stdout is not a terminal: plain text without colour,
    :data:`FILE_WIDTH` columns (``$COLUMNS`` instead when stdout is piped and it is set).
    On a terminal: the terminal's width and colours. The console never touches the real
    stdout itself, so every failure to write surfaces in :func:`emit`.
    """
    from rich.console import Console

    width = FILE_WIDTH
    color_system: str | None = None
    terminal = False
    if output is None:
        probe = Console()
        if probe.is_terminal:
            width, color_system, terminal = probe.width, probe.color_system, True
        else:
            columns = os.environ.get("COLUMNS", "")
            if columns.isdigit() and int(columns) > 0:
                width = int(columns)
    return Console(
        file=io.StringIO(),
        width=width,
        color_system=color_system,  # type: ignore[arg-type]
        force_terminal=terminal,
        force_interactive=False,
        legacy_windows=False,
        highlight=False,
        emoji=False,
    )


def print_to(output: Path | None, body: Callable[[Console], None]) -> None:
    """Run ``body`` on an :func:`output_console`, then :func:`emit` what it printed.

    Rich pads lines to the console width; the padding is dropped.
    """
    buffer = io.StringIO()
    console = output_console(output)
    console.file = buffer
    body(console)
    text = buffer.getvalue().rstrip("\n")
    emit("\n".join(line.rstrip() for line in text.splitlines()), output)
