"""The network model: typed records, the folder loader and the validator.

This package imports nothing from the engine, the CLI or the API.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .._errors import Problem, errors_only
from .countries import check_country
from .loader import default_network_path, raise_if_problems, read_layers
from .records import Network
from .validate import validate

__all__ = [
    "Network",
    "check_country",
    "default_network_path",
    "errors_only",
    "load_network",
    "validate_folder",
]


def validate_folder(
    path: str | Path | None = None, *, overlays: Sequence[str | Path] = ()
) -> tuple[Network, list[Problem]]:
    """Read and validate a folder; return ``(network, problems)`` without raising.

    Parameters
    ----------
    path
        Folder of network files; ``None`` (default) for the bundled corridor network.
    overlays
        Folders laid over it, in order (rows replace rows with the same id).

    Returns
    -------
    network, problems
        The network as far as it could be read (its :attr:`Network.warnings` set), and
        every problem, errors and warnings alike, each with its
        :attr:`Problem.severity`. The folder is valid when :func:`errors_only` of the
        problems is empty; ``silkway validate`` should fail only then.
    """
    reading = read_layers(path, overlays=overlays)
    network, problems = reading.network, reading.problems
    if not any(p.code in {"missing-file", "bad-csv", "encoding"} for p in problems):
        problems = problems + validate(network, base=reading.base, overlays=reading.overlays)
    warnings = tuple(p for p in problems if not p.is_error)
    return replace(network, warnings=warnings), problems


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
        The network; problems of severity ``warning`` (such as places an overlay leaves
        without links) are in its :attr:`Network.warnings`.

    Raises
    ------
    NetworkError
        Listing every error (file, line, field, reason) if the network is not valid.
        Warnings never raise.
    """
    network, problems = validate_folder(path, overlays=overlays)
    raise_if_problems(problems, network.folder)
    return network
