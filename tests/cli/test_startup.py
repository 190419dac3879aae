"""The console script ends without the interpreter's teardown (``silkway.cli._exit``):
output, exit status and ``atexit`` handlers are as with ``sys.exit``, and a profiler
still gets its report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from _cli_util import DEPART, TINY, run, run_script, script_env

ATEXIT_RUN = """
import atexit, sys
atexit.register(lambda: print("atexit handler ran", file=sys.stderr))
from silkway.cli import run
sys.argv = ["silkway", *sys.argv[1:]]
run()
"""


def _python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=script_env(),
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("args", "status"),
    [
        (["info", "--network", TINY, "--json"], 0),
        (["plan", "Nowhere", "E", "--network", TINY], 2),
        (["plan", "A", "E", "--network", TINY, "--options", "0"], 2),
    ],
)
def test_atexit_handlers_run_and_status_kept(args: list[str], status: int) -> None:
    proc = _python("-c", ATEXIT_RUN, *args)
    assert proc.returncode == status, proc.stderr
    assert proc.stderr.rstrip().endswith("atexit handler ran")
    if status == 0:
        assert json.loads(proc.stdout)["counts"]["places"] == 6


def test_piped_output_complete(capsys: pytest.CaptureFixture[str]) -> None:
    """Every byte reaches the pipe: the bundled network's places as CSV, and a plan."""
    for args in (
        ["places", "--format", "csv"],
        ["plan", "A", "E", "--network", TINY, "--depart", DEPART, "--explain"],
    ):
        code, expected, _ = run(capsys, *args)
        proc = run_script(*args)
        assert (proc.returncode, code) == (0, 0), proc.stderr
        assert proc.stdout == expected and len(expected) > 500


def test_output_file_complete(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["plan", "A", "E", "--network", TINY, "--depart", DEPART, "--format", "json"]
    code, expected, _ = run(capsys, *args)
    proc = run_script(*args, "-o", str(tmp_path / "plan.json"))
    assert (proc.returncode, code) == (0, 0), proc.stderr
    written = json.loads((tmp_path / "plan.json").read_text(encoding="utf-8"))
    want = json.loads(expected)
    for doc in (written, want):
        doc.pop("stats")  # timings
    assert written == want


def test_profiler_still_reports() -> None:
    """Under cProfile the process exits the ordinary way, so the report is printed."""
    proc = _python("-m", "cProfile", "-m", "silkway", "info", "--network", TINY, "--json")
    assert proc.returncode == 0, proc.stderr
    assert "function calls" in proc.stdout
