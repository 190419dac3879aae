"""The task runner: ``fn(shared, task)`` for every task, results in task order.

Where the tasks run:

* **in process**, one after the other: ``workers=0``, or by default a small job (fewer
  than :data:`AUTO_CLUSTER_MIN_TASKS` tasks, or a one-core machine);
* on a **local Dask cluster** of ``workers`` processes on the loopback interface,
  started for the job and closed after it (no dashboard): ``workers=N``, or by default
  a large job, with one worker per core;
* on an **existing Dask cluster**: ``scheduler="tcp://HOST:8786"`` (started with
  ``dask scheduler`` and ``dask worker``, see the README). A scheduler that cannot be
  reached within :data:`CONNECT_TIMEOUT_S` seconds is a :class:`SchedulerError`.

``shared`` (for example the compiled network) is sent to each worker once, before the
tasks, and every task on that worker reads the same copy, with the caches it builds.
A task's result must depend only on ``shared`` and the task, never on the worker it
ran on or on the tasks before it: then every way of running gives the same results.

A long job shows a progress bar on stderr (rich) when asked and stderr is a terminal,
and never under ``CI``. Ctrl-C (``KeyboardInterrupt``) cancels the tasks not yet done,
closes the client and any local cluster, and is raised again.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

from .._errors import QueryError, SchedulerError

S = TypeVar("S")
T = TypeVar("T")
R = TypeVar("R")

AUTO_CLUSTER_MIN_TASKS = 256
"""From this many tasks a run without ``workers`` or ``scheduler`` starts a local
cluster (when the machine has two cores or more); below, it runs in process. Starting
a worker process and sending it the network costs about 2.5 s of CPU (imports mostly),
as much as a third of the bundled network's whole matrix with 1,000 draws (108 origins,
about 7 s of CPU in process): local workers pay off on larger networks only (see
``docs/performance.md``)."""
CONNECT_TIMEOUT_S = 5.0
"""Seconds to wait for a Dask scheduler to answer before giving up."""
MAX_WORKERS = 256
"""Most local worker processes a run may ask for."""
LOCAL_WORKER_CONFIG: Mapping[str, object] = MappingProxyType(
    {"distributed.worker.profile.enabled": False}
)
"""Dask settings of the local workers: no statistical profiler (it samples every
thread's stack 100 times a second, which made a matrix cost half as much CPU again).
Workers of an existing cluster keep their own settings (see the README)."""


def run_tasks(
    fn: Callable[[S, T], R],
    tasks: Sequence[T],
    *,
    shared: S,
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    description: str = "tasks",
) -> list[R]:
    """Run ``fn(shared, task)`` for every task; return the results in task order.

    Parameters
    ----------
    fn
        A module-level function (workers import it by name), pure in its arguments.
    tasks
        The tasks; each is sent to a worker, so keep them small.
    shared
        What every task reads (sent to each worker once).
    scheduler
        Address of an existing Dask scheduler, e.g. ``tcp://10.0.0.5:8786``.
    workers
        ``0``: run in this process. ``N``: on a local cluster of N worker processes.
        ``None`` (default): in process for small jobs, else a local cluster with one
        worker per core (see the module doc).
    progress
        Show a progress bar on stderr (only on a terminal, never under ``CI``).
    description
        What the tasks are, for the progress bar ("origins").

    Returns
    -------
    list
        ``fn``'s result for each task, in the order of ``tasks``.

    Raises
    ------
    QueryError
        If ``workers`` is negative or too large, or given with ``scheduler``.
    SchedulerError
        If the scheduler cannot be reached, or a local cluster does not start.
    """
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, int):
            raise QueryError(f"workers must be a whole number, not {type(workers).__name__}")
        if not 0 <= workers <= MAX_WORKERS:
            raise QueryError(f"workers must be between 0 and {MAX_WORKERS}, not {workers}")
        if scheduler is not None:
            raise QueryError("give either workers (a local cluster) or scheduler, not both")
    if scheduler is not None and (not isinstance(scheduler, str) or not scheduler.strip()):
        raise QueryError("scheduler must be an address such as tcp://127.0.0.1:8786")
    items = list(tasks)
    bar = _bar(progress, len(items), description)
    if in_process(len(items), scheduler=scheduler, workers=workers):
        with bar as advance:
            out = []
            for task in items:
                out.append(fn(shared, task))
                advance()
            return out
    n_local = workers if workers is not None else min(_cores(), len(items))
    with _client(scheduler, n_local) as client, bar as advance:
        return _run_on(client, fn, items, shared, advance)


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def in_process(n_tasks: int, *, scheduler: str | None, workers: int | None) -> bool:
    """Whether :func:`run_tasks` runs ``n_tasks`` tasks in this process (then
    ``shared`` is used as it is, not copied: the caller may pass it with its caches)."""
    if scheduler is not None:
        return False
    if workers is None:
        return n_tasks < AUTO_CLUSTER_MIN_TASKS or _cores() < 2
    return workers == 0


def _dask_config() -> Any:
    """The ``dask.config`` module (imported on first use)."""
    import dask.config

    return dask.config


def _dask() -> Any:
    """The ``distributed`` module (imported on first use; typed loosely, as it is)."""
    import distributed

    return distributed


def _run_on(
    client: Any, fn: Callable[[S, T], R], items: list[T], shared: S, advance: Callable[[], None]
) -> list[R]:
    """Scatter ``shared`` to every worker, submit the tasks, wait, gather in order."""
    as_completed = _dask().as_completed
    if not items:
        return []
    futures: list[Any] = []
    try:
        handle = client.scatter(shared, broadcast=True, hash=False)
        futures = [client.submit(fn, handle, task, pure=False) for task in items]
        for done in as_completed(futures, loop=client.loop):
            if done.status == "error":
                done.result()  # raises the task's own exception
            advance()
        return list(client.gather(futures))
    except BaseException:
        if futures:
            with contextlib.suppress(Exception):
                client.cancel(futures)
        raise


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the scheduler at ``scheduler``, or of a new local cluster."""
    dask = _dask()
    Client, LocalCluster = dask.Client, dask.LocalCluster  # noqa: N806

    if scheduler is not None:
        address = scheduler.strip()
        try:
            client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
        except (OSError, TimeoutError, ValueError, TypeError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {address} ({_reason(exc)}); start one with "
                "'dask scheduler' and 'dask worker ADDRESS', or leave out --scheduler "
                "to run locally"
            ) from None
        with client:
            yield client
        return
    with _sigint_ignored(), _dask_config().set(dict(LOCAL_WORKER_CONFIG)):
        # the worker processes start with SIGINT ignored (a disposition they inherit),
        # so a Ctrl-C at a terminal, which reaches the whole process group, stops this
        # process alone, and it closes them in order; a Ctrl-C during the few seconds
        # the workers take to start is not seen
        try:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
        except (OSError, TimeoutError, RuntimeError) as exc:
            raise SchedulerError(
                f"cannot start a local Dask cluster of {workers} worker(s): {_reason(exc)}"
            ) from None
    with cluster, Client(cluster, set_as_default=False) as client:
        yield client


@contextlib.contextmanager
def _sigint_ignored() -> Iterator[None]:
    """Ignore SIGINT while the block runs (only in the main thread, where it can be set)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:200]


class _Bar:
    """A rich progress bar on stderr, or nothing; entering it gives ``advance()``."""

    def __init__(self, total: int, description: str, shown: bool) -> None:
        self.total = total
        self.description = description
        self.shown = shown
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> Callable[[], None]:
        if not self.shown:
            return _nothing
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        bar = self._stack.enter_context(
            Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=True,
            )
        )
        task = bar.add_task(self.description, total=self.total)
        return lambda: bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        self._stack.close()


def _nothing() -> None:
    return None


def _bar(progress: bool, total: int, description: str) -> _Bar:
    shown = progress and total > 1 and not os.environ.get("CI") and _stderr_is_terminal()
    return _Bar(total, description, shown)


def _stderr_is_terminal() -> bool:
    stream = sys.stderr
    try:
        return stream is not None and stream.isatty()
    except (ValueError, AttributeError):
        return False


__all__ = [
    "AUTO_CLUSTER_MIN_TASKS",
    "CONNECT_TIMEOUT_S",
    "SchedulerError",
    "in_process",
    "run_tasks",
]
