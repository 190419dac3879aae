"""``silkway serve``: its help, a real uvicorn server answering on a free port, and the
errors it reports before starting (exit status 2, no traceback)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from _cli_util import assert_clean_error, run, script_env

SILKWAY = [sys.executable, "-m", "silkway"]
"""This interpreter's silkway (a console script on PATH may be another install)."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def test_help(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "serve", "--help")
    assert code == 0
    for flag in ("--host", "--port", "--workers", "--compute-limit", "--max-body", "--network"):
        assert flag in out


def test_the_cli_does_not_import_fastapi() -> None:
    """Other commands start as fast as before: ``serve`` imports FastAPI only when it runs."""
    code = "import sys; from silkway.cli import _register; _register(); print(sorted(sys.modules))"
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=script_env(), check=True
    )
    modules = proc.stdout
    assert "silkway.cli.serve" in modules
    assert "'fastapi" not in modules and "'uvicorn" not in modules and "'pydantic" not in modules


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serves_the_api_on_a_free_port(tmp_path: Path, workers: str) -> None:
    port = _free_port()
    log = tmp_path / "stderr.txt"
    with log.open("w") as err:
        proc = subprocess.Popen(
            [*SILKWAY, "serve", "--port", str(port), "--workers", workers],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=script_env(),
        )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/health"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    health = json.loads(r.read())
                    request_id = r.headers["x-request-id"]
                break
            except OSError:
                assert proc.poll() is None, log.read_text()
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.3)
        assert health["status"] == "ok" and health["network"]["name"] == "silkway-default"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    text = log.read_text()
    assert f"http://127.0.0.1:{port}/" in text
    lines = [json.loads(x) for x in text.splitlines() if x.startswith("{")]
    assert any(x["request_id"] == request_id and x["status"] == 200 for x in lines)
    assert "Traceback" not in text


def test_a_busy_port_is_a_clean_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        proc = subprocess.run(
            [*SILKWAY, "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            env=script_env(),
            timeout=120,
            check=False,
        )
    assert proc.returncode == 2
    assert_clean_error(proc.stderr, proc.stdout)
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr


def test_a_bad_network_is_a_clean_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "serve", "--network", str(tmp_path / "missing"))
    assert code == 2
    assert_clean_error(err, out)
    assert os.environ.get("SILKWAY_SERVE") is None  # nothing was started
