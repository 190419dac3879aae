"""The server's limits, and the bounded pool that runs every computation.

:class:`Limits` holds the bounds a request is checked against: body size, compute
seconds, concurrent computations, Monte Carlo draws, matrix and comparison sizes.
:class:`ComputePool` runs a computation on a worker thread, off the event loop, so the
server keeps answering (``/health``, places) while it runs: a request that finds every
slot busy is answered 503 at once, and one that runs past the compute bound is answered
503 when the bound is reached (its thread finishes on its own: the plan's own time
limit is capped below the bound, see :attr:`Limits.plan_time_limit`).
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
        Computations that may run at once in a worker process; one more is answered
        503 at once.
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
    compute_slots: int = 2
    max_samples: int = 10_000
    matrix_places: int = 8
    compare_pairs: int = 10
    scenario_networks: int = 4

    def __post_init__(self) -> None:
        for name, value in asdict(self).items():
            if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
                raise ValueError(f"limit {name} must be a number above 0, not {value!r}")

    @property
    def plan_time_limit(self) -> float:
        """The most ``time_limit`` a plan may use: :data:`PLAN_SHARE` of the bound."""
        return self.compute_seconds * PLAN_SHARE


class ComputePool:
    """A fixed number of worker threads, each running one computation at a time."""

    def __init__(self, *, slots: int, seconds: float) -> None:
        self.seconds = seconds
        self._executor = ThreadPoolExecutor(max_workers=slots, thread_name_prefix="silkway")
        self._free = threading.BoundedSemaphore(slots)

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` on a free thread, awaited up to the compute bound.

        Raises
        ------
        ProblemError
            503 at once if every slot is busy; 503 with ``Retry-After`` if the bound
            passes first.
        """
        if not self._free.acquire(blocking=False):
            raise ProblemError(
                503,
                "server busy",
                "every compute slot of this server is busy; try again in a moment",
                kind="busy",
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        try:
            future = self._executor.submit(function, *args)
        except BaseException:
            self._free.release()
            raise
        future.add_done_callback(lambda _: self._free.release())
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.seconds)
        except TimeoutError:
            raise ProblemError(
                503,
                "compute limit exceeded",
                f"the computation took longer than this server's limit of "
                f"{self.seconds:g} s; narrow the request (fewer samples, options or places, "
                "a shorter time_limit) or try again later",
                kind="compute-limit",
                headers={"Retry-After": str(max(RETRY_AFTER_S, round(self.seconds)))},
            ) from None

    def shutdown(self) -> None:
        """Stop taking work; computations queued but not started are cancelled."""
        self._executor.shutdown(wait=False, cancel_futures=True)
