"""The compile stage: a validated network in, the arrays every later stage reads out.

* :mod:`.ids`: :class:`IdIndex`, the one mapping between ids and array indexes;
* :mod:`.timing`: weekly timetables and local opening hours on the absolute clock;
* :mod:`.trains`: the speed, price and border dwell of each train type;
* :mod:`.network`: :func:`compile_network` and :class:`CompiledNetwork`.

Imports the model only; nothing from the engine, the results or the CLI.
"""

from __future__ import annotations

from .ids import IdIndex
from .network import CompiledNetwork, cargo_mask, compile_network, mode_code

__all__ = ["CompiledNetwork", "IdIndex", "cargo_mask", "compile_network", "mode_code"]
