"""The server's limits, and the bounded pool that runs every computation.

:class:`Limits` holds the bounds a request is checked against: body size, compute
seconds, concurrent computations, Monte Carlo draws, matrix and comparison sizes.
:class:`ComputePool` runs a computation on a worker thread, off the event loop, so the
server keeps answering (``/health``, places) while it runs. A request that finds every
slot busy waits in a short queue; one that finds the queue full too is answered 503 at
once, never queued without end; and one that is not done when the compute bound
passes (waiting included) is answered 503 then: a computation still waiting is
dropped, a running one finishes on its own (the plan's own time limit is capped below
the bound, see :attr:`Limits.plan_time_limit`).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from .problems import ProblemError

T = TypeVar("T")

PLAN_SHARE = 0.5
"""Share of the compute bound a plan's search may take (its ``time_limit`` is capped at
it): the Monte Carlo and the assembly that follow the search need the rest."""
RETRY_AFTER_S = 1
"""``Retry-After`` seconds of a 503 for busy compute slots."""


@dataclass(frozen=True, slots=True)
class Limits:
    """Bounds of what one request may ask (``silkway serve`` options).

    Attributes
    ----------
    body_bytes
        Largest request body; a larger one is answered 413 (counted while reading).
    compute_seconds
        Longest a computation (a plan, a matrix, a comparison) may run before the
        request is answered 503.
    compute_slots
        Computations that may run at once in a worker process. One by default: a
        worker's computations share one interpreter lock, so a second slot adds
        contention (more CPU per request, a higher p99), not throughput; scale with
        worker processes instead.
    compute_queue
        Requests that may wait for a slot (0: none); one more is answered 503 at once.
    max_samples
        Most Monte Carlo draws a request may ask for.
    matrix_places
        Most places of a ``/matrix`` request.
    compare_pairs
        Most OD pairs of a ``/scenarios/compare`` request.
    scenario_networks
        Compiled networks kept per worker for scenario sets (least recently used
        dropped).
    """

    body_bytes: int = 64 * 1024
    compute_seconds: float = 10.0
    compute_slots: int = 1
    compute_queue: int = 8
    max_samples: int = 10_000
    matrix_places: int = 8
    compare_pairs: int = 10
    scenario_networks: int = 4

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            least = 0 if name == "compute_queue" else 1e-9
            if isinstance(value, bool) or not isinstance(value, int | float) or value < least:
                above = "0 or more" if least == 0 else "above 0"
                raise ValueError(f"limit {name} must be a number {above}, not {value!r}")

    @property
    def plan_time_limit(self) -> float:
        """The most ``time_limit`` a plan may use: :data:`PLAN_SHARE` of the bound."""
        return self.compute_seconds * PLAN_SHARE


class ComputePool:
    """A fixed number of worker threads, each running one computation at a time, and a
    short queue in front of them."""

    def __init__(self, *, slots: int, queue: int, seconds: float) -> None:
        self.seconds = seconds
        self.capacity = slots + queue
        self._executor = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="silkway")
        self._lock = threading.Lock()
        self._admitted = 0
        """Computations running or waiting for a thread."""

    @property
    def admitted(self) -> int:
        """Computations running or waiting for a thread now."""
        with self._lock:
            return self._admitted

    def _release(self, _: object) -> None:
        with self._lock:
            self._admitted -= 1

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` on a thread, awaited up to the compute bound.

        Raises
        ------
        ProblemError
            503 at once if every slot and queue place is taken; 503 with
            ``Retry-After`` if the bound passes first.
        """
        with self._lock:
            full = self._admitted >= self.capacity
            if not full:
                self._admitted += 1
        if full:
            raise ProblemError(
                503,
                "server busy",
                "every compute slot of this server is busy and its queue is full; "
                "try again in a moment",
                kind="busy",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        try:
            future = self._executor.submit(function, *args)
        except BaseException:
            self._release(None)
            raise
        future.add_done_callback(self._release)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.seconds)
        except TimeoutError:
            future.cancel()  # if it is still waiting for a thread, it never runs
            raise ProblemError(
                503,
                "compute limit exceeded",
                f"the computation was not done within this server's limit of "
                f"{self.seconds:g} s; narrow the request (fewer samples, options or places, "
                "a shorter time_limit) or try again later",
                kind="compute-limit",
                headers={"Retry-After": str(max(RETRY_AFTER_S, round(self.seconds)))},
            ) from None

    def shutdown(self) -> None:
        """Stop taking work; computations queued but not started are cancelled."""
        self._executor.shutdown(wait=False, cancel_futures=True)
