"""The ``silkway`` command line: one module per command group.

:func:`main` is the console-script entry point. It turns every :class:`SilkwayError`
and every usage mistake into a short message on stderr and exit status 2; it never
shows a traceback (set ``SILKWAY_DEBUG=1`` to see one for an internal error).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from .._errors import SilkwayError

app = typer.Typer(
    name="silkway",
    help=(
        "Open multimodal freight planner for the China - Central Asia - Europe corridors.\n\n"
        "Plan routes with door-to-door days (P50/P90), cost, CO2e, borders, gauge changes "
        "and ferry waits, on a bundled, sourced network or your own."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        from .. import __version__
        from ._common import emit

        emit(f"silkway {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            help="Print the version and exit.",
            callback=_print_version,
            is_eager=True,
        ),
    ] = False,
) -> None:
    """Open multimodal freight planner for the China - Central Asia - Europe corridors."""


def _register() -> None:
    from . import info, places, plan, validate

    if app.registered_commands:  # main() may run many times in one process (tests)
        return
    for module in (plan, places, validate, info):
        module.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 1 validation failed or internal, 2 error)."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        _register()
        # standalone mode: typer/click report usage errors themselves (exit 2)
        app(args=args, prog_name="silkway", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        if _stdout_pipe_broke():
            # click met a broken pipe writing its own output (help text) and exited 1
            _error("cannot write to standard output: broken pipe (the reading end was closed)")
            return 2
        return code if isinstance(code, int) else (0 if code is None else 1)
    except SilkwayError as exc:  # includes OutputError: closed stdout, broken pipe, full disk
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except OSError as exc:
        from ._common import describe_os_error

        _error(f"{exc.filename}: {describe_os_error(exc)}" if exc.filename else str(exc))
        return 2
    except Exception as exc:  # an internal bug: say so plainly, no traceback
        if os.environ.get("SILKWAY_DEBUG"):
            raise
        _error(
            f"internal error: {type(exc).__name__}: {exc}. "
            "Please report it (run with SILKWAY_DEBUG=1 for details)."
        )
        return 1
    return 0


def _error(message: str) -> None:
    from ._common import stderr_line

    stderr_line(message, prefix="error", style="bold red")


def _stdout_pipe_broke() -> bool:
    """Whether click swapped stdout for its broken-pipe wrapper."""
    from click.utils import PacifyFlushWrapper

    return isinstance(sys.stdout, PacifyFlushWrapper)


def _silence_stdout() -> None:
    """After a failed write, point fd 1 at /dev/null so the interpreter's final flush of
    the unwritten buffer cannot fail again (which would print a traceback-like notice
    and change the exit status)."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        stream.flush()
        return
    except (OSError, ValueError):
        pass
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def run() -> None:
    """Console-script shim: ``sys.exit(main())``."""
    code = main()
    _silence_stdout()
    sys.exit(code)
