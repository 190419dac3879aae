"""Helpers shared by the command-line tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from silkway.cli import main

TINY = str(Path(__file__).resolve().parents[1] / "data" / "tiny")
DEPART = "2026-12-07"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``silkway ARGS`` in this process: (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def command() -> list[str]:
    """The console script installed beside this Python, or ``python -m silkway`` without
    one (a ``silkway`` elsewhere on PATH may belong to another Python)."""
    exe = Path(sys.executable).parent / "silkway"
    return [str(exe)] if exe.is_file() else [sys.executable, "-m", "silkway"]


def script_env() -> dict[str, str]:
    """The environment for a console-script run: no debug tracebacks, this source tree."""
    env = {k: v for k, v in os.environ.items() if k != "SILKWAY_DEBUG"}
    src = str(Path(__file__).resolve().parents[2] / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env


def run_script(
    *args: str, stdout: int | None = None, shell_suffix: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run the console script as a user would; ``stdout`` is a file descriptor (or None for a
    pipe); ``shell_suffix`` (e.g. ``>&-``) runs it through ``sh`` with that redirection."""
    cmd = [*command(), *args]
    if shell_suffix:
        cmd = ["sh", "-c", f'"$@" {shell_suffix}', "sh", *cmd]
    return subprocess.run(
        cmd,
        stdout=subprocess.PIPE if stdout is None else stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=script_env(),
        timeout=120,
        check=False,
    )


def assert_clean_error(err: str, out: str = "") -> None:
    """A user-facing error: one ``error:`` message, no traceback, no internal error."""
    assert "error:" in err
    assert "Traceback" not in err + out
    assert "internal error" not in err
    assert "Exception ignored" not in err
