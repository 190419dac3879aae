"""silkway: an open multimodal freight planner for the China - Central Asia - Europe corridors.

The public API, with nothing computed at import time::

    import silkway
    net = silkway.load_network()                 # the bundled, sourced corridor network
    result = silkway.plan(net, "Xi'an", "Istanbul", avoid_countries=["RU"], cargo="2xFEU")
    result.to_dataframe()
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ._errors import (
    AmbiguousPlaceError,
    AssignmentError,
    NetworkError,
    NoRouteError,
    Problem,
    QueryError,
    SilkwayError,
    UnknownPlaceError,
)

if TYPE_CHECKING:
    from .compile import CompiledNetwork, compile_network
    from .engine.planner import plan
    from .model import load_network, validate_folder
    from .model.records import Network
    from .results import PlanResult

__version__ = "0.1.0"

__all__ = [
    "AmbiguousPlaceError",
    "AssignmentError",
    "CompiledNetwork",
    "Network",
    "NetworkError",
    "NoRouteError",
    "PlanResult",
    "Problem",
    "QueryError",
    "SilkwayError",
    "UnknownPlaceError",
    "compile_network",
    "load_network",
    "plan",
    "validate_folder",
]

_LAZY = {
    "load_network": ("silkway.model", "load_network"),
    "validate_folder": ("silkway.model", "validate_folder"),
    "Network": ("silkway.model.records", "Network"),
    "compile_network": ("silkway.compile", "compile_network"),
    "CompiledNetwork": ("silkway.compile", "CompiledNetwork"),
    "plan": ("silkway.engine.planner", "plan"),
    "PlanResult": ("silkway.results", "PlanResult"),
}


def __getattr__(name: str) -> Any:
    """Import public names on first use, so ``import silkway`` stays fast."""
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'silkway' has no attribute {name!r}")
