"""Independent tasks run in process, on a local Dask cluster, or on an existing one.

:func:`run_tasks` is the one runner of ``silkway matrix`` (one task per origin) and of
the commands that sweep scenarios or assign demand. See :mod:`.runner`.
"""

from __future__ import annotations

from .._errors import SchedulerError
from .runner import AUTO_CLUSTER_MIN_TASKS, CONNECT_TIMEOUT_S, in_process, run_tasks

__all__ = [
    "AUTO_CLUSTER_MIN_TASKS",
    "CONNECT_TIMEOUT_S",
    "SchedulerError",
    "in_process",
    "run_tasks",
]
