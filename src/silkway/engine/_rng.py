"""Counter-based random numbers: the SplitMix64 mix, and uniforms made from it.

A draw is a pure function of integers (seed, element or region key, counters), so the
same numbers come out in every query, in any order, one at a time or in batches.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def splitmix64(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The SplitMix64 finaliser (a bijective 64-bit mix), elementwise."""
    with np.errstate(over="ignore"):
        z = x + GOLDEN
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def open_unit(z: NDArray[np.uint64]) -> NDArray[np.float64]:
    """Uniforms in (0, 1) from 64-bit words: the top 53 bits, centred in their step."""
    return (z >> np.uint64(11)).astype(np.float64) * 2.0**-53 + 2.0**-54
