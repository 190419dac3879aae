"""``silkway.distributed.run_tasks``: in process, on a real local Dask cluster of two
worker processes on loopback, against an unreachable scheduler, and under Ctrl-C."""

from __future__ import annotations

import operator
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import psutil
import pytest

from silkway.cli import main
from silkway.compile import compile_network
from silkway.distributed import AUTO_CLUSTER_MIN_TASKS, in_process, run_tasks
from silkway.model import load_network
from silkway.skims import matrix

SRC = str(Path(__file__).resolve().parents[2] / "src")
TINY = str(Path(__file__).resolve().parents[1] / "data" / "tiny")
DEPART = "2026-12-07"


def test_in_process_keeps_task_order() -> None:
    assert run_tasks(operator.add, [3, 1, 2], shared=10, workers=0) == [13, 11, 12]
    assert run_tasks(operator.add, [], shared=10) == []


def test_a_failing_task_raises_its_own_error_on_a_cluster() -> None:
    with pytest.raises(ZeroDivisionError):
        run_tasks(operator.truediv, [2.0, 0.0, 4.0], shared=1.0, workers=1)
    with pytest.raises(ZeroDivisionError):
        run_tasks(operator.truediv, [2.0, 0.0], shared=1.0, workers=0)


def test_where_tasks_run() -> None:
    assert in_process(AUTO_CLUSTER_MIN_TASKS - 1, scheduler=None, workers=None)
    assert in_process(10**6, scheduler=None, workers=0)
    assert not in_process(1, scheduler=None, workers=1)
    assert not in_process(1, scheduler="tcp://127.0.0.1:8786", workers=None)


def test_two_local_workers_give_the_single_process_matrix() -> None:
    net = compile_network(load_network())
    places = ["CN_XIA", "KZ_ALA", "AZ_BAK", "DE_DUI"]
    alone = matrix(net, places, depart=DEPART, samples=100, seed=5, workers=0)
    shared = matrix(net, places, depart=DEPART, samples=100, seed=5, workers=2)
    pd.testing.assert_frame_equal(alone, shared)
    assert alone.reachable.all()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unreachable_scheduler_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    code = main(["matrix", "--network", TINY, "--all", "--samples", "0", "--scheduler", address])
    out, err = capsys.readouterr()
    assert code == 2
    assert f"cannot reach the Dask scheduler at {address}" in err
    assert "dask scheduler" in err and "Traceback" not in err + out


def test_ctrl_c_stops_the_workers_and_exits_130(tmp_path: Path) -> None:
    """SIGINT to the whole process group, as a terminal sends it: the command stops,
    says so, writes nothing, and leaves no worker process behind."""
    out = tmp_path / "skims.csv"
    env = {k: v for k, v in os.environ.items() if k != "SILKWAY_DEBUG"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (SRC, env.get("PYTHONPATH", "")) if p)
    cmd = [sys.executable, "-m", "silkway", "matrix", "--all", "--workers", "2"]
    cmd += ["--samples", "5000", "--depart", DEPART, "--out", str(out)]
    child = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    try:
        proc = psutil.Process(child.pid)
        workers: list[psutil.Process] = []
        deadline = time.monotonic() + 90
        # wait until the workers compute (a Ctrl-C while they start is not seen)
        while time.monotonic() < deadline and child.poll() is None:
            workers = proc.children(recursive=True)
            busy = [w for w in workers if _cpu(w) > 2.5]
            if len(busy) >= 1:
                break
            time.sleep(0.2)
        assert child.poll() is None, "the matrix finished before it could be interrupted"
        os.killpg(child.pid, signal.SIGINT)
        stdout, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == 130, stderr
    assert "interrupted" in stderr and "Traceback" not in stderr + stdout
    assert not out.exists()
    time.sleep(1.0)
    left = [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    assert not left


def _cpu(p: psutil.Process) -> float:
    try:
        t = p.cpu_times()
    except psutil.Error:
        return 0.0
    return float(t.user + t.system)
