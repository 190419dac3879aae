"""Assignment with capacities: OD trade flows onto the network's route options.

A stochastic user equilibrium: each OD pair and cargo class chooses among its route
options by a logit on generalised cost (money, time valued per cargo class, an optional
CO2e price); links slow down by a BPR function and borders, ferries and terminals by a
queueing delay as their loads near capacity. See ``docs/assignment.md``.

Nothing is computed at import time.
"""

from __future__ import annotations

from .api import AssignmentWarning, assign
from .config import AssignConfig, load_config
from .result import AssignmentResult

__all__ = ["AssignConfig", "AssignmentResult", "AssignmentWarning", "assign", "load_config"]
