"""The network model: typed records, the folder loader and the validator.

This package imports nothing from the engine, the CLI or the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .._errors import Problem
from .loader import default_network_path, raise_if_problems, read_network
from .records import Network
from .validate import validate

__all__ = ["Network", "default_network_path", "load_network", "validate_folder"]


def validate_folder(
    path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()
) -> tuple[Network, list[Problem]]:
    """Read and validate a folder; return ``(network, problems)`` without raising."""
    network, problems = read_network(path, overlays=overlays)
    if not any(p.code in {"missing-file", "bad-csv", "encoding"} for p in problems):
        problems = problems + validate(network)
    return network, problems


def load_network(path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()) -> Network:
    """Load and validate a network folder.

    Parameters
    ----------
    path
        Folder of network files; ``None`` (default) for the bundled corridor network.
    overlays
        Folders laid over it, in order (rows replace rows with the same id).

    Returns
    -------
    Network

    Raises
    ------
    NetworkError
        Listing every problem (file, line, field, reason) if the network is not valid.
    """
    network, problems = validate_folder(path, overlays=overlays)
    raise_if_problems(problems, network.folder)
    return network
