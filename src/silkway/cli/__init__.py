"""The ``silkway`` command line: one module per command group.

:func:`main` is the console-script entry point. It turns every :class:`SilkwayError`
and every usage mistake into a short message on stderr and exit status 2; it never
shows a traceback (set ``SILKWAY_DEBUG=1`` to see one for an internal error).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

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


def _register() -> None:
    from . import info, places, plan, validate

    for module in (plan, places, validate, info):
        module.register(app)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the exit status (0 ok, 1 validation failed or internal, 2 error)."""
    _register()
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        # standalone mode: typer/click report usage errors themselves (exit 2)
        app(args=args, prog_name="silkway", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    except SilkwayError as exc:
        _error(str(exc))
        return 2
    except KeyboardInterrupt:
        _error("interrupted")
        return 130
    except BrokenPipeError:
        return 0
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
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True, highlight=False, soft_wrap=True).print(
        f"[bold red]error:[/] {escape(message)}", markup=True
    )


def run() -> None:
    """Console-script shim: ``sys.exit(main())``."""
    sys.exit(main())
