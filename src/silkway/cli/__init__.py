"""The ``silkway`` command line: one module per command group.

:func:`main` is the console-script entry point. It turns every :class:`SilkwayError`,
every usage mistake and every failure to write the output (a closed stdout, a broken
pipe, a full disk) into a short message on stderr and exit status 2; it never shows a
traceback (set ``SILKWAY_DEBUG=1`` to see one for an internal error, exit status 1).
"""

# Annotations are evaluated here, not left as strings (no ``from __future__ import
# annotations``): typer evaluates each string annotation four times a run (~10 ms).

import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Annotated, Any, NoReturn, TextIO, cast

import typer

from .._errors import SilkwayError
from ._fastparams import FastGroup

app = typer.Typer(
    name="silkway",
    cls=FastGroup,  # and each command a FastCommand: no pydantic on the way in
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
    from . import assign, demand, info, matrix, monitor, places, plan, scenario, serve, validate

    if app.registered_commands:  # main() may run many times in one process (tests)
        return
    for module in (plan, places, validate, info, matrix, assign, demand, scenario, serve, monitor):
        module.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 1 validation failed or internal, 2 error).

    While the command runs, stdout is watched: if any write to it fails (a closed
    stdout, a broken pipe, a full disk), whoever wrote it, the result is an error
    message on stderr and exit status 2, never a silent 0 or 1.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    real = sys.stdout
    if real is None and (not args or "-h" in args or "--help" in args):
        # click would print the help into the void and exit 0
        _error("standard output is closed, so there is nowhere to print the help")
        return 2
    guard = None if real is None else _StdoutGuard(real)
    if guard is not None:
        sys.stdout = cast(TextIO, guard)
    try:
        return _run(args, guard)
    finally:
        if guard is not None:
            sys.stdout = real


def _run(args: list[str], guard: "_StdoutGuard | None") -> int:
    try:
        _register()
        # standalone mode: typer/click report usage errors themselves (exit 2)
        app(args=args, prog_name="silkway", standalone_mode=True)
    except SystemExit as exc:
        if guard is not None and guard.failure is not None:
            # click or rich met the failure writing their own output (help) and exited
            return _output_failed(guard.failure)
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except SilkwayError as exc:  # includes OutputError: closed stdout, broken pipe, full disk
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except (OSError, ValueError) as exc:
        if guard is not None and guard.failure is not None:
            return _output_failed(guard.failure)
        if not isinstance(exc, OSError):
            return _internal(exc)
        from ._common import describe_os_error

        _error(f"{exc.filename}: {describe_os_error(exc)}" if exc.filename else str(exc))
        return 2
    except Exception as exc:  # an internal bug: say so plainly, no traceback
        return _internal(exc)
    return 0


def _internal(exc: Exception) -> int:
    if os.environ.get("SILKWAY_DEBUG"):
        raise exc
    _error(
        f"internal error: {type(exc).__name__}: {exc}. "
        "Please report it (run with SILKWAY_DEBUG=1 for details)."
    )
    return 1


def _output_failed(exc: OSError | ValueError) -> int:
    from ._common import describe_os_error

    reason = describe_os_error(exc) if isinstance(exc, OSError) else "it is closed"
    _error(f"cannot write to standard output: {reason}")
    return 2


def _error(message: str) -> None:
    from ._common import stderr_line

    stderr_line(message, prefix="error", style="bold red")


class _StdoutGuard:
    """Stands in for ``sys.stdout`` while a command runs; remembers the first failed write."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.failure: OSError | ValueError | None = None

    def write(self, text: str) -> int:
        try:
            return self.stream.write(text)
        except (OSError, ValueError) as exc:
            self.failure = self.failure or exc
            raise

    def flush(self) -> None:
        try:
            self.stream.flush()
        except (OSError, ValueError) as exc:
            self.failure = self.failure or exc
            raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)


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


def run() -> NoReturn:
    """Console-script shim: ``sys.exit(main())``, without the interpreter's teardown.

    A command does no linear algebra, so OpenBLAS, which numpy loads, is held to one
    thread unless the user chose otherwise: its thread pool cost about 0.08 s of CPU a
    call, on a machine that is often busy with other work.
    """
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    code = main()
    _silence_stdout()
    _exit(code)


def _exit(code: int) -> NoReturn:
    """End the process with status ``code``.

    The interpreter's teardown (freeing every module and object that numpy, typer and
    rich made) took about 0.1 s of CPU, a sixth of a ``silkway plan``, and none of it
    matters to a finished command. So the ``atexit`` handlers run, stdout and stderr are
    flushed, and the process ends at once (``os._exit``) — unless a profiler, a tracer or
    ``python -i`` is watching (they report or take over at exit) or another thread still
    runs; then it is the ordinary ``sys.exit``.
    """
    threading = sys.modules.get("threading")
    if (
        sys.getprofile() is None
        and sys.gettrace() is None
        and not sys.flags.inspect
        and (threading is None or threading.active_count() == 1)
    ):
        import atexit

        atexit._run_exitfuncs()
        _silence_stdout()  # the handlers may have printed
        with contextlib.suppress(OSError, ValueError, AttributeError):
            sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
