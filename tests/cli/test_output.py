"""Where the output goes: files, closed stdout, broken pipes, full disks."""

from __future__ import annotations

import errno
import io
import json
import os
import sys
from pathlib import Path

import pytest
from _cli_util import DEPART, TINY, assert_clean_error, run, run_script

HAS_DEV_FULL = os.path.exists("/dev/full")
needs_dev_full = pytest.mark.skipif(not HAS_DEV_FULL, reason="no /dev/full on this system")
PLAN = ("plan", "A", "E", "--network", TINY, "--depart", DEPART)


def test_table_to_file_is_plain_text(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plan.txt"
    code, out, err = run(capsys, *PLAN, "-o", str(target))
    assert code == 0
    assert out == "" and err == ""
    text = target.read_text(encoding="utf-8")
    assert text.startswith("Alpha → Echo")
    assert "Pareto-optimal" in text and "days" in text and "CO2e" in text
    assert "\x1b" not in text  # no colour or cursor codes
    assert not any(line != line.rstrip() for line in text.splitlines())  # no padding


def test_json_to_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plan.json"
    code, out, _ = run(capsys, *PLAN, "-f", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "silkway.plan/1"


def test_unwritable_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "no" / "such" / "dir" / "plan.txt"
    code, out, err = run(capsys, *PLAN, "-o", str(target))
    assert code == 2
    assert f"cannot write {target}: no such file or directory" in err
    assert_clean_error(err, out)


@needs_dev_full
@pytest.mark.parametrize("fmt", ["table", "json", "geojson"])
def test_output_file_on_full_disk(fmt: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, *PLAN, "-f", fmt, "-o", "/dev/full")
    assert code == 2
    assert "cannot write /dev/full: no space left on device" in err
    assert_clean_error(err, out)


class _Failing(io.StringIO):
    """A stdout whose writes fail with ``errno``."""

    def __init__(self, err: int) -> None:
        super().__init__()
        self.err = err

    def write(self, text: str) -> int:
        raise OSError(self.err, os.strerror(self.err))


@pytest.mark.parametrize(
    ("err", "needle"),
    [
        (errno.EPIPE, "cannot write to standard output: broken pipe"),
        (errno.ENOSPC, "cannot write to standard output: no space left on device"),
        (errno.EIO, "cannot write to standard output: input/output error"),
    ],
)
@pytest.mark.parametrize(
    "args",
    [
        PLAN,
        (*PLAN, "-f", "json"),
        ("places", "-n", TINY),
        ("places", "-n", TINY, "-f", "csv"),
        ("info", "-n", TINY),
        ("validate", TINY),
        ("--version",),
    ],
    ids=["plan", "plan-json", "places", "places-csv", "info", "validate", "version"],
)
def test_failed_stdout_write_is_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    err: int,
    needle: str,
) -> None:
    monkeypatch.setattr(sys, "stdout", _Failing(err))
    code, _, stderr = run(capsys, *args)
    assert code == 2
    assert needle in stderr
    assert_clean_error(stderr)


def test_stdout_none_is_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    code, _, err = run(capsys, *PLAN)
    assert code == 2
    assert "standard output is closed" in err and "-o FILE" in err


def test_closed_stdout_still_allows_output_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", None)
    code, _, err = run(capsys, *PLAN, "-o", str(tmp_path / "plan.txt"))
    assert code == 0, err
    assert (tmp_path / "plan.txt").read_text(encoding="utf-8").startswith("Alpha → Echo")


# --------------------------------------------------------------------------- real processes


@pytest.mark.parametrize(
    "args",
    [PLAN, ("places", "-n", TINY), ("--version",), ("plan", "--help"), ()],
    ids=["plan", "places", "version", "help", "no-args"],
)
def test_closed_stdout_process(args: tuple[str, ...]) -> None:
    """``silkway plan A B >&-``"""
    proc = run_script(*args, shell_suffix=">&-")
    assert proc.returncode == 2
    assert "standard output is closed" in proc.stderr
    assert_clean_error(proc.stderr)


@pytest.mark.parametrize(
    "args",
    [PLAN, ("places", "-n", TINY), ("places", "-n", TINY, "-f", "csv"), ("info", "-n", TINY)],
    ids=["plan", "places", "places-csv", "info"],
)
def test_broken_pipe_process(args: tuple[str, ...]) -> None:
    """``silkway places | head -c0``: the reader is gone before anything is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = run_script(*args, stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 2
    assert "cannot write to standard output: broken pipe" in proc.stderr
    assert_clean_error(proc.stderr)


def test_broken_pipe_on_help_process() -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = run_script("plan", "--help", stdout=write_end)
    finally:
        os.close(write_end)
    assert proc.returncode == 2
    assert "broken pipe" in proc.stderr
    assert_clean_error(proc.stderr)


@needs_dev_full
@pytest.mark.parametrize(
    "args",
    [
        PLAN,
        (*PLAN, "-f", "json"),
        ("places", "-n", TINY),
        ("validate", TINY),
        ("--version",),
        ("--help",),
    ],
    ids=["plan", "plan-json", "places", "validate", "version", "help"],
)
def test_stdout_on_full_disk_process(args: tuple[str, ...]) -> None:
    """``silkway plan A B > /dev/full``"""
    with open("/dev/full", "w") as full:
        proc = run_script(*args, stdout=full.fileno())
    assert proc.returncode == 2
    assert "cannot write to standard output: no space left on device" in proc.stderr
    assert_clean_error(proc.stderr)


@needs_dev_full
def test_output_file_on_full_disk_process() -> None:
    proc = run_script(*PLAN, "-o", "/dev/full")
    assert proc.returncode == 2
    assert "cannot write /dev/full: no space left on device" in proc.stderr
    assert_clean_error(proc.stderr, proc.stdout)
    assert proc.stdout == ""
